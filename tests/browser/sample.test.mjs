// The reader's filter and search on the sample chronology (4 events), in Chromium.
// Expected results come from the server-rendered pages (an actor's page lists that
// actor's events) or, for searches, from reading the sample's files (noted below).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, openFilters, serve, serverListIds, settled, sites, visibleEventIds } from './lib.mjs';

let server;
let browser;
before(async () => {
  server = await serve(sites.sample);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const ATTACK_2023 = '2023-09-djoura-camp-attack';
const KIDAL_2023 = '2023-11-kidal-occupation';
const VISIT_2025 = '2025-05-23-sadio-camara-kidal-visit';
const ATTACK_2025 = '2025-05-23-djoura-camp-attack';
const ALL = [ATTACK_2025, VISIT_2025, KIDAL_2023, ATTACK_2023];

function noErrors(page) {
  // Chromium asks for /favicon.ico on its own; the site has none.
  const errors = page.errors.filter((e) => !/status of 404/.test(e));
  assert.deepEqual(errors, []);
}

test('the form is revealed by the script; the index loads only when the reader uses it', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(server.url + 'index.html');
  assert.equal(await page.isVisible('form.filter'), true);
  assert.equal(await page.isVisible('.filter-fallback'), false);
  assert.equal(await page.getAttribute('script[src$="filter.js"]', 'defer'), '');
  await page.waitForTimeout(200);
  assert.ok(!asked.some((p) => p.includes('/data/search/')), `loaded too early: ${asked}`);
  assert.deepEqual(await visibleEventIds(page), ALL);
  await page.focus('#f-q');
  await page.waitForResponse((r) => r.url().endsWith('data/search/index.json'));
  const live = await page.getAttribute('.filter-count', 'aria-live');
  assert.equal(live, 'polite');
  noErrors(page);
  await page.context().close();
});

test('filtering by actor shows exactly the events of its page', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'actors/index.html');
  const actors = await page.$$eval('main ul.terms a', (as) => as.map((a) => a.getAttribute('href').match(/actors\/([^/]+)\//)[1]));
  assert.equal(actors.length, 10);
  for (const actor of actors) {
    const expected = await serverListIds(page, `${server.url}actors/${actor}/index.html`);
    await page.goto(server.url + 'index.html');
    await openFilters(page);
    await page.selectOption('#f-actor', actor);
    await settled(page);
    const shown = await visibleEventIds(page);
    assert.deepEqual(shown, expected, `actor ${actor}`);
    const count = await page.textContent('.filter-count');
    assert.match(count, expected.length === 0 ? /Aucun/ : new RegExp(`^${expected.length} `), `actor ${actor}: ${count}`);
  }
  noErrors(page);
  await page.context().close();
});

test('filtering by place includes the places inside it', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'locations/index.html');
  const places = await page.$$eval('main ul.tree a', (as) => as.map((a) => a.getAttribute('href').match(/locations\/([^/]+)\//)[1]));
  assert.equal(places.length, 7);
  for (const place of places) {
    const expected = await serverListIds(page, `${server.url}locations/${place}/index.html`);
    await page.goto(server.url + 'index.html');
    await openFilters(page);
    await page.selectOption('#f-location', place);
    await settled(page);
    assert.deepEqual(await visibleEventIds(page), expected, `place ${place}`);
  }
  // The Mopti region holds Djoura: both Djoura attacks, though neither names the region as its place.
  await page.selectOption('#f-location', 'mopti-region');
  await settled(page);
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025, ATTACK_2023]);
  noErrors(page);
  await page.context().close();
});

test('search forgives accents and case', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'index.html');
  const search = async (q) => {
    await page.fill('#f-q', q);
    await settled(page);
    return visibleEventIds(page);
  };
  // "armée": the 2025 title ("l'armée malienne") and both attacks on the army (Armée malienne).
  for (const q of ['armee', 'armée', 'ARMÉE', 'Armee']) {
    assert.deepEqual(await search(q), [ATTACK_2025, ATTACK_2023], q);
  }
  // "mopti": the 2025 summary, and Djoura's region for both attacks.
  assert.deepEqual(await search('mopti'), [ATTACK_2025, ATTACK_2023]);
  // "camara": the visit's title and its actor, Sadio Camara, and the texts (bodies
  // included) of the attack of the same day and of the occupation of Kidal.
  assert.deepEqual(await search('camara'), [ATTACK_2025, VISIT_2025, KIDAL_2023]);
  assert.deepEqual(await search('CÂMARA'), [ATTACK_2025, VISIT_2025, KIDAL_2023]);
  // A word's beginning finds it ("cam" finds "Camara" and "camp").
  assert.deepEqual(await search('sadio cam'), [ATTACK_2025, VISIT_2025, KIDAL_2023]);
  // Every word must match; the English texts are searched too (the attack's body
  // names Kidal and Wagner).
  assert.deepEqual(await search('kidal wagner'), [ATTACK_2025, VISIT_2025, KIDAL_2023]);
  assert.deepEqual(await search('occupied djoura'), [ATTACK_2025, VISIT_2025]);
  assert.deepEqual(await search('occupies'), [KIDAL_2023]);
  assert.deepEqual(await search('ségou'), []);
  assert.equal(await page.textContent('.filter-count'), 'Aucun événement ne correspond.');
  // Clearing the search brings back the page as it was.
  await page.fill('#f-q', '');
  await page.waitForFunction(() => document.querySelector('.filter-results').hidden);
  assert.deepEqual(await visibleEventIds(page), ALL);
  noErrors(page);
  await page.context().close();
});

test('type, status, year and dates filter too', async () => {
  const page = await newPage(browser);
  const at = async (query) => {
    await page.goto(server.url + 'index.html' + query);
    await settled(page);
    return visibleEventIds(page);
  };
  assert.deepEqual(await at('?type=attack'), [ATTACK_2025, ATTACK_2023]);
  assert.deepEqual(await at('?status=claimed'), [ATTACK_2025]);
  assert.deepEqual(await at('?year=2023'), [KIDAL_2023, ATTACK_2023]);
  // "septembre 2023" may have been any day of the month: a range that touches it keeps it.
  assert.deepEqual(await at('?from=2023-09-30&to=2023-10-15'), [ATTACK_2023]);
  assert.deepEqual(await at('?from=2023-10-01&to=2023-10-31'), []);
  assert.deepEqual(await at('?to=2023-12-31'), [KIDAL_2023, ATTACK_2023]);
  // On a tag or type page, within its events.
  const within = async (path) => {
    await page.goto(server.url + path);
    await settled(page);
    return visibleEventIds(page);
  };
  assert.deepEqual(await within('tags/kidal/index.html?q=wagner'), [VISIT_2025, KIDAL_2023]);
  // The attack on Djoura (tagged macina) names Wagner in its body; nothing tagged
  // macina names Ségou.
  assert.deepEqual(await within('tags/macina/index.html?q=wagner'), [ATTACK_2025]);
  assert.deepEqual(await within('tags/macina/index.html?q=segou'), []);
  assert.deepEqual(await within('types/attack/index.html?status=claimed'), [ATTACK_2025]);
  assert.deepEqual(await within('years/2023/index.html?q=djoura'), [ATTACK_2023]);
  noErrors(page);
  await page.context().close();
});

test('the address holds the filters: a shared link opens filtered, and Back works', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'index.html?actor=jnim&year=2025');
  await settled(page);
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025]);
  assert.equal(await page.inputValue('#f-actor'), 'jnim');
  assert.equal(await page.inputValue('#f-year'), '2025');
  await openFilters(page);
  // A change is a new entry in the history.
  await page.selectOption('#f-actor', 'sadio-camara');
  await settled(page);
  await page.waitForURL((u) => u.search === '?actor=sadio-camara&year=2025');
  assert.deepEqual(await visibleEventIds(page), [VISIT_2025]);
  // Typing a word is one more entry, however many letters.
  await page.selectOption('#f-actor', '');
  await page.waitForURL((u) => u.search === '?year=2025');
  await page.type('#f-q', 'kidal', { delay: 20 });
  await settled(page);
  // The address follows once typing pauses.
  await page.waitForURL((u) => u.search === '?q=kidal&year=2025');
  await page.goBack();
  await settled(page);
  assert.equal(new URL(page.url()).search, '?year=2025');
  assert.equal(await page.inputValue('#f-q'), '');
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025, VISIT_2025]);
  await page.goBack();
  await page.goBack();
  await settled(page);
  assert.equal(new URL(page.url()).search, '?actor=jnim&year=2025');
  assert.equal(await page.inputValue('#f-actor'), 'jnim');
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025]);
  // Clear: back to the whole page, at its plain address.
  await page.click('button[type="reset"]');
  await page.waitForFunction(() => document.querySelector('.filter-results').hidden);
  await page.waitForURL((u) => u.search === '');
  assert.deepEqual(await visibleEventIds(page), ALL);
  noErrors(page);
  await page.context().close();
});

test('every filter can be used with the keyboard alone', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'index.html');
  // From the top of the page, Tab reaches the search box.
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.id === 'f-q');
  }
  assert.ok(found, 'Tab never reaches the search box');
  // Focus is visible.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid');
  await page.keyboard.type('djoura');
  await settled(page);
  // The visit's summary names the Djoura camp too.
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025, VISIT_2025, ATTACK_2023]);
  // On to the folded filters: Enter unfolds them.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.matches('details.filter-more > summary')), true);
  await page.keyboard.press('Enter');
  // On to the actor select; arrows choose an actor.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-actor');
  const order = await page.$$eval('#f-actor option', (os) => os.map((o) => o.value));
  const jnim = order.indexOf('jnim');
  for (let i = 0; i < jnim; i++) await page.keyboard.press('ArrowDown');
  await settled(page);
  assert.equal(await page.inputValue('#f-actor'), 'jnim');
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025]);
  // Every control of the form is reachable in order (a date field has a stop for
  // each of its parts), then Enter submits.
  const ids = [];
  for (let i = 0; i < 20 && ids[ids.length - 1] !== 'reset'; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement.id || document.activeElement.type);
    if (ids[ids.length - 1] !== id) ids.push(id);
  }
  assert.deepEqual(ids, ['f-location', 'f-type', 'f-status', 'f-year', 'f-from', 'f-to', 'submit', 'reset']);
  // A date typed with the keyboard (month, day, year in this browser's locale) applies.
  await page.focus('#f-q');
  await page.fill('#f-q', '');
  await page.focus('#f-from');
  await page.keyboard.type('01012024');
  await settled(page);
  assert.equal(await page.inputValue('#f-from'), '2024-01-01');
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025]);
  // Back to the actor select (through the parts of the date), to clear it.
  for (let i = 0; i < 15 && (await page.evaluate(() => document.activeElement.id)) !== 'f-actor'; i++) {
    await page.keyboard.press('Shift+Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-actor');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await settled(page);
  await page.waitForURL((u) => u.search === '?from=2024-01-01');
  assert.deepEqual(await visibleEventIds(page), [ATTACK_2025, VISIT_2025]);
  noErrors(page);
  await page.context().close();
});

test('without JavaScript every event is reachable and nothing that matters is hidden', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + 'index.html');
  assert.equal(await page.isVisible('form.filter'), false);
  assert.equal(await page.isVisible('.filter-fallback'), true);
  assert.deepEqual(await visibleEventIds(page), ALL);
  // Hidden elements: only the form and the empty results.
  const hidden = await page.$$eval('[hidden]', (els) => els.map((e) => e.className));
  assert.deepEqual(hidden.sort(), ['filter', 'filter-results']);
  // The fallback links lead to the lists that filter without a script.
  const fallback = await page.$$eval('.filter-fallback a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(fallback, ['actors/index.html', 'locations/index.html', 'types/index.html', 'years/index.html', 'map/index.html']);
  // Crawl the site from the home page by links: every event page is reached.
  const seen = new Set();
  const queue = [server.url + 'index.html'];
  const events = new Set();
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    // The links are in the document as parsed; nothing waits for the page's load.
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    // Links of the HTML and of the charts (SVG <a>, whose href is not a string).
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const l of links) {
      const u = new URL(l, url);
      u.hash = '';
      if (u.origin !== new URL(server.url).origin || !u.pathname.endsWith('.html')) continue;
      const m = u.pathname.match(/\/events\/([^/]+)\/index\.html$/);
      if (m) events.add(m[1]);
      if (!seen.has(u.href)) queue.push(u.href);
    }
  }
  assert.deepEqual([...events].sort(), [...ALL].sort());
  assert.ok(seen.size > 30, `${seen.size} pages crawled`);
  await page.context().close();
});
