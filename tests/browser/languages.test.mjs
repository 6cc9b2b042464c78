// The sample in French and English, served from the site root as a host would: the
// root sends readers to French, the switcher moves between the two versions of the
// same page, and the English search finds English titles.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, serve, settled, sites, visibleEventIds } from './lib.mjs';

let server;
let browser;
before(async () => {
  server = await serve(sites.sampleRoot);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const EVENT = 'events/2025-05-23-djoura-camp-attack/index.html';

test('the root sends readers to the default language', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'index.html');
  await page.waitForURL(/\/fr\/index\.html$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
});

test('the switcher leads to the same page in the other language and back', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + 'fr/' + EVENT);
  assert.match(await page.textContent('main h1'), /Le JNIM revendique/);
  await page.click('nav.languages a[hreflang="en"]');
  await page.waitForURL(new RegExp('/en/' + EVENT.replace(/\./g, '\\.') + '$'));
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('main h1'), /JNIM claims the capture/);
  assert.match(await page.textContent('main .meta time'), /^23 May 2025$/);
  assert.equal(await page.getAttribute('nav.languages a[aria-current]', 'hreflang'), 'en');
  await page.click('nav.languages a[hreflang="fr"]');
  await page.waitForURL(new RegExp('/fr/' + EVENT.replace(/\./g, '\\.') + '$'));
  assert.match(await page.textContent('main .meta time'), /^23 mai 2025$/);
});

test('the English search index finds and shows English titles', async () => {
  const page = await newPage(browser);
  // "defence minister" is in the English texts only (the French says "ministre de la
  // Défense"): the visit's title, and the bodies of the attack of the same day and of
  // the occupation of Kidal.
  await page.goto(server.url + 'en/index.html?q=defence%20minister');
  await settled(page);
  assert.deepEqual(await visibleEventIds(page), ['2025-05-23-djoura-camp-attack', '2025-05-23-sadio-camara-kidal-visit', '2023-11-kidal-occupation']);
  const titles = await page.$$eval('.filter-results .event-title', (hs) => hs.map((h) => h.textContent));
  assert.match(titles[1], /Defence minister Sadio Camara's first visit to Kidal/);
});
