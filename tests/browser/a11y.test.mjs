// Accessibility (axe-core, every rule it runs by default: WCAG 2.0/2.1 A and AA and
// best practices, and WCAG 2.2's target size) on the main, event, actor, place and map
// pages, in light and dark mode, with the filter in use; screenshots at 390 pixels wide
// (light and dark) and 1280 (light) into
// tests/browser/artifacts/ for people to look at.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder, artifacts, launch, newPage, repo, serve, settled, sites } from './lib.mjs';

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

// Each page kind once on the sample, and again on the fixture where its data draws
// more (16 pages of a timeline, a map of many places, a title in another language);
// the Mali fixture's pages are checked in time.test.mjs.
const PAGES = [
  ['sample', 'main', 'index.html'],
  ['sample', 'event', 'events/2025-05-23-djoura-camp-attack/index.html'],
  ['sample', 'actor', 'actors/jnim/index.html'],
  ['sample', 'location', 'locations/mopti-region/index.html'],
  ['sample', 'map', 'map/index.html'],
  ['sample', 'filtered', 'index.html?q=armee'],
  ['fixture', 'main', 'index.html'],
  ['fixture', 'filtered', 'index.html?actor=jnim&location=mopti-region'],
  ['fixture', 'location', 'locations/segou-region/index.html'],
  ['fixture', 'map', 'map/index.html'],
  ['fixture', 'event', 'events/2024-unknown-month-convoy/index.html'],
];

function format(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n');
}

// The dark scheme changes colours only (the test below holds the stylesheet to that),
// so in dark mode axe runs the rules that colours can break; every rule runs in light
// mode. Each page is loaded once: switching the emulated `prefers-color-scheme`
// restyles it as a reader's setting would.
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

test('the dark scheme only redefines colours', async () => {
  const css = readFileSync(join(repo, 'templates/style.css'), 'utf8');
  const blocks = [...css.matchAll(/@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}\s*\}/g)];
  assert.equal(blocks.length, (css.match(/prefers-color-scheme/g) || []).length, 'every dark block is a :root of variables');
  for (const [, body] of blocks) {
    for (const decl of body.split(';').map((d) => d.trim()).filter(Boolean)) {
      assert.match(decl, /^--[a-z-]+:\s*#[0-9a-f]{3,8}$/i, decl);
    }
  }
});

test('axe finds no violation (light and dark mode)', async () => {
  const problems = [];
  for (const [site, name, path] of PAGES) {
    const server = site === 'sample' ? sample : fixture;
    const page = await newPage(browser, { colorScheme: 'light' });
    await page.goto(server.url + path);
    if (path.includes('?')) await settled(page);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
      assert.equal(dark, scheme === 'dark', `${path}: the ${scheme} scheme is in force`);
      const axe = new AxeBuilder({ page });
      if (scheme === 'dark') axe.withRules(COLOUR_RULES);
      // WCAG 2.2's target size (24 by 24 pixels), which axe does not run by default.
      else axe.options({ rules: { 'target-size': { enabled: true } } });
      const { violations } = await axe.analyze();
      if (violations.length) problems.push(`${site} ${name} ${path} (${scheme}):\n${format(violations)}`);
    }
    // axe's target-size passes a small target that has room around it; every target
    // drawn in HTML (the month strip and the map are SVG) is 24 by 24 pixels itself.
    const small = await page.$$eval('a[href], button, summary, select, input:not([type="hidden"])', (els) =>
      els
        .filter((e) => !e.closest('svg') && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map((e) => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.left >= 0 && (r.width < 24 || r.height < 24))
        .map(([e, r]) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}": ${r.width.toFixed(1)}×${r.height.toFixed(1)}`),
    );
    if (small.length) problems.push(`${site} ${name} ${path}: targets under 24×24 px:\n    ${small.join('\n    ')}`);
    // No console error (a missing favicon logs one) and no third-party request.
    if (page.errors.length) problems.push(`${site} ${name} ${path}:\n    ${page.errors.join('\n    ')}`);
    await page.context().close();
  }
  assert.equal(problems.join('\n\n'), '');
});

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

test('screenshots at 390 pixels, light and dark, and 1280 pixels', async () => {
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
  // One context for each width and scheme, reused across the pages; the dark scheme
  // at phone width only (it changes colours, not layout).
  let n = 0;
  for (const width of [390, 1280]) {
    for (const scheme of width === 390 ? ['light', 'dark'] : ['light']) {
      const page = await newPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
      for (const [site, name, path] of shots) {
        const server = site === 'sample' ? sample : fixture;
        await page.goto(server.url + path);
        if (path.includes('?')) await settled(page);
        const file = join(artifacts, `${site}-${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        n++;
      }
      await page.context().close();
    }
  }
  // And one page as printed.
  const page = await newPage(browser);
  await page.emulateMedia({ media: 'print' });
  await page.goto(fixture.url + 'locations/segou-region/index.html');
  await page.screenshot({ path: join(artifacts, 'fixture-location-print.png'), fullPage: true });
  await page.context().close();
  assert.equal(n, shots.length * 3);
});
