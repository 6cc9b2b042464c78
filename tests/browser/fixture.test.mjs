// Filter, search, the strip of months and the map on the fictional chronology of
// fixture.mjs (151 events on 16 pages, coordinates, aliases). Expected results are
// computed from fixture.mjs's own definitions, not from annalist's output.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, launch, newPage, serve, serverListIds, settled, sites, visibleEventIds } from './lib.mjs';
import { actors, actorsOf, events, locations, placesOf } from './fixture.mjs';

let server;
let browser;
before(async () => {
  server = await serve(sites.fixture);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Newest first, as lists show them: date, then id (ties are not in the fixture). */
function newest(list) {
  return list
    .slice()
    .sort((a, b) => (a.date === '2024' ? '2024-01-00' : a.date).localeCompare(b.date === '2024' ? '2024-01-00' : b.date) || a.id.localeCompare(b.id))
    .reverse()
    .map((e) => e.id);
}

function names(x) {
  const n = typeof x.name === 'string' ? [x.name] : Object.values(x.name);
  return [...n, ...(x.aliases || []), ...(x.short ? [x.short] : [])];
}

/** The fixture's own idea of a search: every word (two letters or more) begins a word
 * of a text (claims and sources included), an actor or a place of the event. */
function searched(q) {
  const split = (t) => fold(t).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);
  const words = split(q);
  return events.filter((e) => {
    const texts = [
      ...Object.values(e.title),
      ...Object.values(e.summary || {}),
      ...(e.claimant ? ['Revendication fictive.'] : []),
      'Source fictive',
      ...[...actorsOf(e)].flatMap((a) => names(actors[a])),
      ...[...placesOf(e)].flatMap((l) => names(locations[l])),
    ].flatMap(split);
    return words.every((w) => texts.some((t) => t.startsWith(w)));
  });
}

async function allShown(page) {
  // Shows every match, pressing "show more" as long as there is one.
  while (await page.isVisible('.filter-results .more button')) {
    await page.click('.filter-results .more button');
    await settled(page);
  }
  return visibleEventIds(page);
}

test('an alias finds its place: "dioura" finds Djoura', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'index.html');
  await page.fill('#f-q', 'dioura');
  await settled(page);
  const expected = newest(events.filter((e) => e.locations.includes('djoura')));
  assert.ok(expected.length > 10);
  assert.deepEqual(await allShown(page), expected);
  assert.deepEqual(newest(searched('dioura')), expected);
  // Accents and case: "SEGOU", "ségou" and "segou" find Ségou's events (and its region's).
  for (const q of ['segou', 'SEGOU', 'ségou', 'Ségou']) {
    await page.fill('#f-q', q);
    await settled(page);
    assert.deepEqual(await allShown(page), newest(searched(q)), q);
  }
  // An English alias, and an English-only title on a French site, with its language.
  await page.fill('#f-q', 'timbuktu');
  await settled(page);
  assert.deepEqual(await allShown(page), newest(events.filter((e) => e.locations.includes('tombouctou'))));
  await page.fill('#f-q', 'convoy ambushed');
  await settled(page);
  assert.deepEqual(await visibleEventIds(page), ['2024-unknown-month-convoy']);
  assert.equal(await page.getAttribute('.filter-results .event-title a', 'lang'), 'en');
  assert.match(await page.textContent('.filter-results h3'), /2024 — mois non précisé/);
  await page.context().close();
});

test('filters reach across every page of the chronology, with their own paging', async () => {
  const page = await newPage(browser);
  // Every event: 151, shown 20 at a time (each card's row is fetched: a page of
  // results costs a reader a few files of cards, not the chronology).
  await page.goto(server.url + 'index.html?from=2000-01-01');
  await settled(page);
  assert.equal(await page.textContent('.filter-count'), '151 événements correspondent (20 affichés)');
  assert.equal((await visibleEventIds(page)).length, 20);
  await page.click('.filter-results .more button');
  await settled(page);
  // Focus moves to the first event shown by the button.
  assert.equal(await page.evaluate(() => document.activeElement.closest('li') === document.querySelectorAll('.filter-results li')[20]), true);
  assert.equal(await page.textContent('.filter-count'), '151 événements correspondent (40 affichés)');
  assert.deepEqual(await allShown(page), newest(events));
  // Cards added later join their month: one section per month, one per year.
  const headings = await page.$$eval('.filter-results h2, .filter-results h3', (hs) => hs.map((h) => h.textContent));
  assert.equal(new Set(headings).size, headings.length, headings.join(', '));
  assert.equal(headings.filter((h) => /^\d{4}$/.test(h)).length, 3);
  // JNIM: its own events, those it claims, and those of its unit Katiba Macina;
  // the same as its paginated page.
  const jnim = newest(events.filter((e) => actorsOf(e).has('jnim')));
  assert.deepEqual(await serverListIds(page, server.url + 'actors/jnim/index.html'), jnim);
  await page.goto(server.url + 'index.html?actor=jnim');
  await settled(page);
  assert.deepEqual(await allShown(page), jnim);
  // Every JNIM attack in the Mopti region in 2025.
  await page.goto(server.url + 'index.html?actor=jnim&location=mopti-region&type=attack&year=2025');
  await settled(page);
  const mopti = newest(events.filter((e) => actorsOf(e).has('jnim') && placesOf(e).has('mopti-region') && e.type === 'attack' && e.year === 2025));
  assert.ok(mopti.length > 0);
  assert.deepEqual(await visibleEventIds(page), mopti);
  await page.context().close();
});

test('on an actor or place page, the filter searches within its events', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'actors/fama/index.html?q=mopti');
  await settled(page);
  assert.deepEqual(await allShown(page), newest(searched('mopti').filter((e) => actorsOf(e).has('fama'))));
  await page.goto(server.url + 'locations/segou-region/index.html?status=claimed');
  await settled(page);
  assert.deepEqual(await allShown(page), newest(events.filter((e) => placesOf(e).has('segou-region') && e.status === 'claimed')));
  // Year and type pages too.
  await page.goto(server.url + 'years/2024/index.html?location=kidal');
  await settled(page);
  assert.deepEqual(await allShown(page), newest(events.filter((e) => e.year === 2024 && e.locations.includes('kidal'))));
  await page.context().close();
});

test('each bar of the strip leads to its month, on the right page', async () => {
  const page = await newPage(browser);
  for (const list of ['index.html', 'actors/jnim/index.html', 'locations/mopti-region/index.html']) {
    await page.goto(server.url + list);
    const bars = await page.$$eval('figure.strip svg a', (as) =>
      as.map((a) => ({ href: a.getAttribute('href'), title: a.querySelector('title').textContent })),
    );
    assert.ok(bars.length > 10, `${list}: ${bars.length} bars`);
    const table = await page.$$eval('figure.strip table tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.equal(table.length, bars.length);
    for (const bar of bars) {
      const [, month] = bar.href.match(/#m(\d{4}-\d{2})$/);
      const want = +bar.title.match(/ (\d+) événement/)[1];
      // The month is on the page the bar leads to, and not on the page before (the
      // newest of its events are here). The browser resolves, fetches and parses both
      // pages; rendering them is the other tests' job.
      const { here, prevHasMonth } = await page.evaluate(
        async ({ href, month }) => {
          const read = async (url) =>
            new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
          const target = new URL(href, location.href);
          const doc = await read(target);
          const here = [...doc.querySelectorAll(`#m${month} article.event time`)].map((t) => t.getAttribute('datetime'));
          const prev = doc.querySelector('a[rel="prev"]');
          if (!prev) return { here, prevHasMonth: false };
          const before = await read(new URL(prev.getAttribute('href'), target));
          return { here, prevHasMonth: before.querySelector(`#m${month}`) !== null };
        },
        { href: bar.href, month },
      );
      assert.ok(here.length > 0 && here.every((d) => d.startsWith(month)), `${bar.href}: ${here}`);
      assert.equal(prevHasMonth, false, `${bar.href}: the month starts earlier`);
      const all = events.filter((e) => e.date.startsWith(month));
      const inList = list === 'index.html' ? all : list.includes('jnim') ? all.filter((e) => actorsOf(e).has('jnim')) : all.filter((e) => placesOf(e).has('mopti-region'));
      assert.equal(want, inList.length, `${list} ${month}`);
    }
  }
  await page.context().close();
});

test('the map shows each place with coordinates, sized by its events, linked to its page', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'map/index.html');
  const points = await page.$$eval('figure.map svg a', (as) =>
    as.map((a) => ({ href: a.getAttribute('href'), title: a.querySelector('title').textContent, r: +a.querySelector('circle').getAttribute('r') })),
  );
  const placed = Object.entries(locations).filter(([, l]) => l.coordinates);
  const count = (id) => events.filter((e) => e.locations.includes(id)).length;
  // Places whose discs would overlap (Djoura and Mopti, Niono and Ségou) are one disc
  // at the bigger one, titled with its number of places and their events.
  const group = (p) => p.title.match(/^(\d+) lieux autour de .+\u00a0?: (\d+) événements$/);
  const groups = points.filter(group);
  assert.equal(groups.length, 2);
  assert.equal(points.length - groups.length + groups.reduce((n, g) => n + +group(g)[1], 0), placed.length);
  const events_of = (p) => +(group(p) ? group(p)[2] : p.title.match(/: (\d+) événements/)[1]);
  assert.equal(points.reduce((n, p) => n + events_of(p), 0), placed.reduce((n, [id]) => n + count(id), 0));
  for (const [id, l] of placed) {
    const p = points.find((x) => x.href === `../locations/${id}/index.html` && !group(x));
    if (p) assert.match(p.title, new RegExp(`^${l.name}\\u00a0?: ${count(id)} événements$`));
  }
  // Bigger counts, bigger discs.
  const byCount = points.map((p) => [events_of(p), p.r]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < byCount.length; i++) assert.ok(byCount[i][1] >= byCount[i - 1][1], JSON.stringify(byCount));
  // No disc is a Tab stop: the list of places is the keyboard's path.
  assert.equal(await page.$$eval('figure.map svg a:not([tabindex="-1"])', (as) => as.length), 0);
  // Points inside the frame; Mali outlined.
  const [, , width, height] = (await page.getAttribute('figure.map svg', 'viewBox')).split(' ').map(Number);
  const circles = await page.$$eval('figure.map circle', (cs) => cs.map((c) => [+c.getAttribute('cx'), +c.getAttribute('cy')]));
  for (const [x, y] of circles) assert.ok(x > 0 && y > 0 && x < width && y < height, `${x},${y}`);
  assert.ok((await page.$$('figure.map path.land.focus')).length === 1);
  // Ménaka has no coordinates: listed, not drawn.
  assert.match(await page.textContent('#unplaced + ul'), /Ménaka/);
  // A point leads to its page.
  await page.click('figure.map svg a[href="../locations/kidal/index.html"]');
  assert.equal(await page.textContent('h1'), 'Kidal');
  // Place pages have their map, framed on Mali.
  await page.goto(server.url + 'locations/segou-region/index.html');
  const local = await page.$$eval('.place-map svg a', (as) => as.map((a) => a.getAttribute('href')));
  // Niono and Ségou would overlap: one disc, at Niono (as many events, first by name).
  assert.deepEqual(local.sort(), ['../../locations/niono/index.html']);
  assert.match(await page.textContent('.place-map ul.visually-hidden'), /Ségou\u00a0?: \d+ événements/);
  await page.context().close();
});
