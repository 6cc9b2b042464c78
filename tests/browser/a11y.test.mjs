// Accessibility (axe-core, every rule it runs by default: WCAG 2.0/2.1 A and AA and
// best practices) on the main, event, actor, place and map pages, in light and dark
// mode, with the filter in use; screenshots at 390 and 1280 pixels wide into
// tests/browser/artifacts/ for people to look at.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AxeBuilder, artifacts, launch, newPage, serve, settled, sites } from './lib.mjs';

let sample;
let fixture;
let browser;
before(async () => {
  sample = await serve(sites.sample);
  fixture = await serve(sites.fixture);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sample?.close();
  await fixture?.close();
});

const PAGES = [
  ['sample', 'main', 'index.html'],
  ['sample', 'event', 'events/2025-05-23-djoura-camp-attack/index.html'],
  ['sample', 'actor', 'actors/jnim/index.html'],
  ['sample', 'location', 'locations/mopti-region/index.html'],
  ['sample', 'country', 'locations/mali/index.html'],
  ['sample', 'map', 'map/index.html'],
  ['sample', 'filtered', 'index.html?q=armee'],
  ['fixture', 'main', 'index.html'],
  ['fixture', 'filtered', 'index.html?actor=jnim&location=mopti-region'],
  ['fixture', 'actor', 'actors/jnim/index.html'],
  ['fixture', 'location', 'locations/segou-region/index.html'],
  ['fixture', 'map', 'map/index.html'],
  ['fixture', 'event', 'events/2024-unknown-month-convoy/index.html'],
];

function format(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n');
}

for (const scheme of ['light', 'dark']) {
  test(`axe finds no violation (${scheme} mode)`, async () => {
    const problems = [];
    for (const [site, name, path] of PAGES) {
      const server = site === 'sample' ? sample : fixture;
      const page = await newPage(browser, { colorScheme: scheme });
      await page.goto(server.url + path);
      if (path.includes('?')) await settled(page);
      const { violations } = await new AxeBuilder({ page }).analyze();
      if (violations.length) problems.push(`${site} ${path} (${scheme}):\n${format(violations)}`);
      // Keyboard focus on a chart's link is visible too.
      await page.context().close();
    }
    assert.equal(problems.join('\n\n'), '');
  });
}

test('pages declare their language, and text in another language says so', async () => {
  const page = await newPage(browser);
  await page.goto(fixture.url + 'index.html?q=convoy');
  await settled(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.getAttribute('.filter-results .event-title a', 'lang'), 'en');
  await page.goto(fixture.url + 'events/2024-unknown-month-convoy/index.html');
  assert.equal(await page.getAttribute('h1', 'lang'), 'en');
  await page.context().close();
});

test('screenshots at 390 and 1280 pixels, light and dark', async () => {
  const shots = [
    ['sample', 'main', 'index.html'],
    ['sample', 'filtered', 'index.html?q=armee'],
    ['sample', 'event', 'events/2025-05-23-djoura-camp-attack/index.html'],
    ['sample', 'actor', 'actors/jnim/index.html'],
    ['sample', 'location', 'locations/mali/index.html'],
    ['sample', 'map', 'map/index.html'],
    ['fixture', 'main', 'index.html'],
    ['fixture', 'filtered', 'index.html?actor=jnim&location=mopti-region'],
    ['fixture', 'location', 'locations/segou-region/index.html'],
    ['fixture', 'map', 'map/index.html'],
  ];
  let n = 0;
  for (const [site, name, path] of shots) {
    for (const width of [390, 1280]) {
      for (const scheme of ['light', 'dark']) {
        const server = site === 'sample' ? sample : fixture;
        const page = await newPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
        await page.goto(server.url + path);
        if (path.includes('?')) await settled(page);
        const file = join(artifacts, `${site}-${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        n++;
        await page.context().close();
      }
    }
  }
  // And one page as printed.
  const page = await newPage(browser);
  await page.emulateMedia({ media: 'print' });
  await page.goto(fixture.url + 'locations/segou-region/index.html');
  await page.screenshot({ path: join(artifacts, 'fixture-location-print.png'), fullPage: true });
  await page.context().close();
  assert.equal(n, shots.length * 4);
});
