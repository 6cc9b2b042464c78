// The map page's zoom (assets/map.js, issue 16) on the fixture chronology, whose map
// has 7 places drawn as 5 discs: Niono and Ségou, Djoura and Mopti are grouped at the
// build's scale. Zooming in splits the groups, zooming out merges them again; buttons,
// keys, wheel, drag and two fingers move the view; the map is one tab stop and the
// table of places stays the keyboard's path, and the page without JavaScript is the
// build's map and table.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AxeBuilder, artifacts, launch, newPage, serve, sites } from './lib.mjs';

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

const MAP = 'map/index.html';

/** The discs drawn: [class, cx, cy] of each, and the counts written on groups. */
function discs(page) {
  return page.$$eval('figure.map g.places circle.place', (cs) =>
    cs.map((c) => [c.getAttribute('class'), +(+c.getAttribute('cx')).toFixed(1), +(+c.getAttribute('cy')).toFixed(1)]),
  );
}

function viewBox(page) {
  return page.$eval('figure.map svg', (s) => s.getAttribute('viewBox').split(' ').map(Number));
}

/** Waits for the frame after a zoom, once the places are drawn again. */
async function drawn(page, width) {
  await page.waitForFunction(
    (w) => {
      const s = document.querySelector('figure.map svg');
      return Math.abs(s.viewBox.baseVal.width - w) < 0.01 && document.querySelector('figure.map.regrouped');
    },
    width,
  );
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

test('without JavaScript, the map of the build and the table of places', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(server.url + MAP);
  assert.equal(await page.isVisible('button[data-zoom="in"]'), false, 'no buttons that would do nothing');
  assert.equal(await page.isVisible('.map-tools a[href="#placed"]'), true, 'a link to the list');
  assert.equal((await discs(page)).length, 5);
  assert.equal(await page.locator('table.places tbody tr').count(), 7);
  assert.equal(await page.locator('table.places a[href]').count(), 7);
  assert.equal(await page.getAttribute('figure.map svg', 'tabindex'), null);
  await page.context().close();
});

test('zooming in splits groups, zooming out merges them, as the build groups them', async () => {
  const page = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(server.url + MAP);
  const built = await discs(page);
  assert.equal(built.filter((d) => d[0].includes('group')).length, 2, 'two groups at the build scale');
  assert.ok(!requests.some((p) => p.endsWith('points.json')), 'the places are fetched on the first zoom only');
  const [, , W, H] = await viewBox(page);

  await page.click('button[data-zoom="in"]');
  await drawn(page, W / 2);
  assert.ok(requests.some((p) => p.endsWith('/map/points.json')));
  const twice = await discs(page);
  assert.equal(twice.length, 6, 'Niono and Ségou apart at zoom 2; Djoura and Mopti still one');
  await page.click('button[data-zoom="in"]');
  await drawn(page, W / 4);
  const four = await discs(page);
  assert.equal(four.filter((d) => d[0].includes('group')).length, 0, 'every place alone at zoom 4');
  // Discs keep their size on the screen: their radius in SVG units shrinks with the zoom.
  const r = await page.$$eval('figure.map circle.place', (cs) => Math.max(...cs.map((c) => +c.getAttribute('r'))));
  assert.ok(r <= 18 / 4 + 0.01, `radius ${r}`);

  await page.click('button[data-zoom="out"]');
  await drawn(page, W / 2);
  assert.equal((await discs(page)).length, 6, 'zooming out merges Djoura and Mopti again');
  // Screen readers hear the zoom and what it shows.
  await page.waitForFunction(() => document.querySelector('.map-tools [aria-live]').textContent !== '');
  assert.equal(await page.textContent('.map-tools [aria-live]'), 'Zoom ×2\u00a0: 6 disques.');
  await page.click('button[data-zoom="reset"]');
  await drawn(page, W);
  assert.deepEqual(await viewBox(page), [0, 0, W, H]);
  assert.deepEqual(await discs(page), built, 'at zoom 1 the script draws the groups of the build');
  assert.equal(await page.locator('figure.map text.count').count(), 2, 'each group shows its count');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keys, wheel and drag move the view; a click still opens a place', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + MAP);
  const [, , W, H] = await viewBox(page);
  await page.focus('figure.map svg');
  await page.keyboard.press('+');
  await drawn(page, W / 2);
  const centred = await viewBox(page);
  assert.deepEqual(centred, [W / 4, H / 4, W / 2, H / 2], 'zoomed on the centre');
  await page.keyboard.press('ArrowRight');
  await drawn(page, W / 2);
  assert.ok((await viewBox(page))[0] > centred[0], 'the arrow moves the view');
  const scrolled = await page.evaluate(() => scrollY);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => scrollY), scrolled, 'arrows on the map do not scroll the page');
  await page.keyboard.press('-');
  await drawn(page, W);
  await page.keyboard.press('+');
  await page.keyboard.press('0');
  await drawn(page, W);
  assert.deepEqual(await viewBox(page), [0, 0, W, H]);

  const box = await page.locator('figure.map svg').boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((w) => document.querySelector('figure.map svg').viewBox.baseVal.width < w - 1, W);
  const wheeled = await viewBox(page);
  assert.ok(wheeled[0] < W / 4, 'the wheel zooms around the pointer, here left of the centre');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(ok)));
  assert.ok((await viewBox(page))[0] > wheeled[0], 'dragging left moves the view right');
  assert.equal(new URL(page.url()).pathname.endsWith(MAP), true, 'a drag opens nothing');

  // A click on a disc opens its place.
  await page.keyboard.press('0');
  await drawn(page, W);
  const kidal = page.locator('figure.map a[href*="kidal"] circle');
  await kidal.click();
  await page.waitForURL(/locations\/kidal\//);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a phone: two fingers zoom, one finger pans, and the page never scrolls sideways', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.goto(server.url + MAP);
  const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok((await wide()) <= 390, `page ${await wide()} px wide`);
  const [, , W] = await viewBox(page);
  const box = await page.locator('figure.map svg').boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const touch = (type, pts) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map(([x, y], id) => ({ x, y, id })) });
  await touch('touchStart', [[cx - 20, cy], [cx + 20, cy]]);
  for (let d = 30; d <= 80; d += 10) await touch('touchMove', [[cx - d, cy], [cx + d, cy]]);
  await touch('touchEnd', []);
  await page.waitForFunction((w) => document.querySelector('figure.map svg').viewBox.baseVal.width < w / 2, W);
  const pinched = await viewBox(page);
  await touch('touchStart', [[cx, cy]]);
  for (let d = 10; d <= 60; d += 10) await touch('touchMove', [[cx - d, cy]]);
  await touch('touchEnd', []);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(ok)));
  assert.ok((await viewBox(page))[0] > pinched[0], 'one finger pans');
  assert.ok((await wide()) <= 390, 'no sideways scroll once zoomed');
  await page.screenshot({ path: join(artifacts, 'fixture-map-zoomed-390-light.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the map is one tab stop, and the places are a few Tab presses away', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + MAP);
  // Tab from the top until the first place of the table.
  const stops = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => {
      const e = document.activeElement;
      return { tag: e.tagName.toLowerCase(), inMap: !!e.closest('figure.map'), inTable: !!e.closest('table.places'), text: e.textContent.trim().slice(0, 20) };
    });
    stops.push(here);
    if (here.inTable) break;
  }
  assert.ok(stops.at(-1).inTable, 'Tab reaches the table of places');
  assert.ok(stops.length <= 20, `${stops.length} Tab presses to the first place`);
  assert.equal(stops.filter((s) => s.inMap).length, 1, 'the map is one tab stop, its discs none');
  const svg = stops.find((s) => s.inMap);
  assert.equal(svg.tag, 'svg');
  // The link to the list jumps there.
  await page.click('.map-tools a[href="#placed"]');
  assert.equal(new URL(page.url()).hash, '#placed');
  // The map says what it is and how its keys work.
  const name = await page.$eval('figure.map svg', (s) => document.getElementById(s.getAttribute('aria-labelledby')).textContent);
  assert.match(name, /7 lieux/);
  const keys = await page.$eval('figure.map svg', (s) => document.getElementById(s.getAttribute('aria-describedby')).textContent);
  assert.match(keys, /clavier/);
  await page.context().close();
});

test('axe finds no violation on the zoomed map (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await newPage(browser, { colorScheme: scheme, viewport: { width: 390, height: 844 } });
    await page.goto(server.url + MAP);
    const [, , W] = await viewBox(page);
    await page.click('button[data-zoom="in"]');
    await drawn(page, W / 2);
    const axe = new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } });
    const { violations } = await axe.analyze();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
    await page.screenshot({ path: join(artifacts, `fixture-map-zoom2-390-${scheme}.png`), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
