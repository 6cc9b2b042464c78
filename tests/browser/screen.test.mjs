// The first screen and the keyboard path of list pages (issue 16): on a phone
// (390×844) the first event's title is on the first screen with and without
// JavaScript; nothing moves while the page loads (the filter form has its place from
// the first paint); after the skip link, the first event is at most 10 Tab presses
// away (the month strip is one tab stop, its bars reached with the arrow keys).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, serve, sites } from './lib.mjs';

// Each site's timeline, and its largest actor and place pages (most events).
const PAGES = [
  ['sample', sites.sample, ['index.html']],
  ['fixture', sites.fixture, ['index.html', 'actors/jnim/index.html', 'locations/mali/index.html']],
  ['mali', join(sites.mali, 'fr'), ['index.html', 'actors/fama/index.html', 'locations/mali/index.html']],
];
const FIRST = '.listing article.event .event-title a';
const PHONE = { viewport: { width: 390, height: 844 } };

let browser;
const servers = {};
before(async () => {
  browser = await launch();
  for (const [name, dir] of PAGES) servers[name] = await serve(dir);
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
});

async function open(url, js, init) {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: js });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

for (const [name, , paths] of PAGES) {
  for (const path of paths) {
    for (const js of [true, false]) {
      const how = js ? 'with JavaScript' : 'without JavaScript';

      // One reader per page: nothing moves while it loads; the first event's title is
      // on the first screen (the timeline), or one skip link away (actor and place
      // pages put what the actor or place is first: names, relations, places inside,
      // its map); from the skip link, the first event is within 10 Tab presses.
      const own = path !== 'index.html';
      test(`${name} ${path}, ${how}: ${own ? 'the skip link to the events brings the first event into a phone\'s screen' : 'the first event is on a phone\'s first screen'}, nothing moves, 10 Tab presses at most`, async () => {
        const page = await open(servers[name].url + path, js, () => {
          window.__shift = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
        });
        if (js) {
          // filter.js has started: the form is as readers see it; two frames more, for
          // the shifts to be reported. Without scripts the page cannot observe itself,
          // and nothing changes it after it is laid out.
          await page.waitForFunction(() => !document.querySelector('form.filter').hidden);
          await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
          const shift = await page.evaluate(() => window.__shift);
          assert.ok(shift < 0.02, `layout shift ${shift}`);
        }
        assert.equal(await page.isVisible('form.filter'), js);
        if (js) assert.equal(await page.isVisible('#f-q'), true);
        const onScreen = async () => {
          const box = await page.$eval(FIRST, (a) => {
            const r = a.getBoundingClientRect();
            return { top: r.top, bottom: r.bottom, inner: innerHeight };
          });
          assert.ok(box.top >= 0 && box.bottom <= box.inner, `title at ${box.top}–${box.bottom}, screen ${box.inner}`);
        };
        if (!own) await onScreen();
        // The skip link to the events where the page has one, else to the content.
        const target = own ? '#events' : '#main';
        for (let i = 0; i < 3; i++) {
          await page.keyboard.press('Tab');
          if (await page.evaluate((t) => document.activeElement.matches(`a.skip[href="${t}"]`), target)) break;
        }
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), target);
        await page.keyboard.press('Enter');
        await page.waitForFunction((t) => location.hash === t, target);
        if (own) await onScreen();
        let presses = 0;
        let reached = false;
        while (presses < 10 && !reached) {
          await page.keyboard.press('Tab');
          presses++;
          reached = await page.evaluate((sel) => document.activeElement === document.querySelector(sel), FIRST);
        }
        assert.ok(reached, `not reached in ${presses} Tab presses`);
        await page.context().close();
      });
    }
  }
}

test('the month strip is one tab stop; arrows, Home, End, Page Up and Down move among its bars', async () => {
  const page = await open(servers.fixture.url + 'index.html', true);
  await page.waitForFunction(() => !document.querySelector('form.filter').hidden);
  const bars = await page.$$eval('figure.strip svg a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(bars.length > 13, `${bars.length} bars`);
  const stops = () => page.$$eval('figure.strip svg a', (as) => as.filter((a) => a.tabIndex >= 0).length);
  assert.equal(await stops(), 1);
  const focused = () => page.evaluate(() => document.activeElement.closest('figure.strip svg a')?.getAttribute('href') ?? null);
  // Tab enters the strip on its first bar and leaves it with the next press.
  for (let i = 0; i < 30 && (await focused()) === null; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), bars[0]);
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), bars[1]);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), bars[0]);
  await page.keyboard.press('End');
  assert.equal(await focused(), bars[bars.length - 1]);
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  assert.equal(await focused(), bars[12]);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), bars[13]);
  // The bar last reached keeps the tab stop: Tab out and Shift+Tab back return to it.
  assert.equal(await stops(), 1);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), null);
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), bars[13]);
  // Enter follows the bar's link.
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.href.endsWith(bars[13].replace(/^page\//, 'page/')));
  await page.context().close();
});

test('without JavaScript the strip is one tab stop too, and every bar still a link', async () => {
  const page = await open(servers.fixture.url + 'index.html', false);
  const bars = await page.$$eval('figure.strip svg a', (as) => as.map((a) => [a.getAttribute('href'), a.tabIndex]));
  assert.ok(bars.length > 13);
  assert.deepEqual(bars.filter(([, t]) => t >= 0).map(([h]) => h), [bars[0][0]]);
  assert.ok(bars.every(([h]) => h));
  // The links that stand in for the form come after the first page of events.
  assert.equal(await page.isVisible('.filter-fallback'), true);
  assert.equal(await page.$eval('.filter-fallback', (p) => !!(p.compareDocumentPosition(document.querySelector('.listing')) & Node.DOCUMENT_POSITION_PRECEDING)), true);
  await page.context().close();
});
