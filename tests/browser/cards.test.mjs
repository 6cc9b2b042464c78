// Cards drawn by filter.js are the server's cards: on the timeline and on every
// actor's and place's page of the sample, the fictional fixture and the Mali fixture
// (roles, units, names at the event's date, uncertain places, several tolls,
// possible links, texts in another language), the filter is set to match every
// event of the page and each card it draws is compared, as HTML, with the card the
// server wrote for the same event on the same page (and its next pages).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, newPage, serve, settled, sites } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The template's line breaks and indentation go; every other character stays. */
function normal(html) {
  return html.replace(/\s*\n\s*/g, '');
}

/** The server's cards of a list page, by event link, and the address of its next page. */
async function serverCards(page, url) {
  await page.goto(url);
  const cards = new Map();
  for (const [href, html] of await page.$$eval('.listing article.event', (as) =>
    as.map((a) => [a.querySelector('.event-title a').getAttribute('href'), a.outerHTML]),
  )) {
    cards.set(href, normal(html));
  }
  const next = await page.$eval('.listing a[rel="next"]', (a) => a.href).catch(() => null);
  const min = await page.$eval('#f-from', (i) => i.min).catch(() => '');
  return { cards, next, min };
}

/** The filter's cards of the same page, set to match all its events. */
async function drawnCards(page, url, min) {
  await page.goto(`${url}?from=${min}`);
  await settled(page);
  while (await page.isVisible('.filter-results .more button')) {
    await page.click('.filter-results .more button');
    await settled(page);
  }
  const cards = new Map();
  for (const [href, html] of await page.$$eval('.filter-results article.event', (as) =>
    as.map((a) => [a.querySelector('.event-title a').getAttribute('href'), a.outerHTML]),
  )) {
    cards.set(href, normal(html));
  }
  return cards;
}

/**
 * Compares the cards of `only` (the timeline and every actor's and place's page of
 * `dir` when not given).
 */
async function compareSite(dir, only) {
  const server = await serve(dir);
  const page = await newPage(browser);
  const index = JSON.parse(readFileSync(join(dir, 'data/search/index.json'), 'utf8'));
  const lists = only || [
    'index.html',
    ...index.a.map((a) => `actors/${a[0]}/index.html`),
    ...index.l.map((l) => `locations/${l[0]}/index.html`),
  ];
  let compared = 0;
  try {
    for (const list of lists) {
      // The first page of the list, then the later ones, which share their root:
      // every card the server wrote there, drawn by the filter on the first of them.
      let next = server.url + list;
      for (let part = 0; next; part++) {
        const url = next;
        const want = new Map();
        let min = '';
        do {
          const page1 = await serverCards(page, next);
          for (const [k, v] of page1.cards) want.set(k, v);
          next = page1.next;
          min = min || page1.min;
        } while (part > 0 && next);
        if (want.size === 0) continue;
        const got = await drawnCards(page, url, min);
        for (const [href, html] of want) {
          assert.ok(got.has(href), `${dir}: ${href} drawn on ${url}`);
          assert.equal(got.get(href), html, `${dir}: the card of ${href} on ${url}`);
          compared++;
        }
      }
    }
    // No script error, no missing file, nothing from another site.
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
    await server.close();
  }
  return compared;
}

/** Every row of the files of cards of the site in `dir` (src/render/search.rs). */
function cardRows(dir) {
  const index = JSON.parse(readFileSync(join(dir, 'data/search/index.json'), 'utf8'));
  const rows = [];
  for (let c = 0; c * index.chunk < index.count; c++) {
    rows.push(...JSON.parse(readFileSync(join(dir, `data/search/c/${c}.json`), 'utf8')));
  }
  assert.equal(rows.length, index.count);
  return rows;
}

test('the filter draws the sample\'s cards as the server does, in French and English', async () => {
  // The timeline, the group with a unit and a media arm, the group above it, a country.
  const lists = ['index.html', 'actors/jnim/index.html', 'actors/aqim/index.html', 'locations/mali/index.html'];
  assert.ok((await compareSite(sites.sample, lists)) > 0);
  assert.ok((await compareSite(join(sites.sampleRoot, 'en'), lists)) > 0);
});

test('the filter draws the fixture\'s cards as the server does (units, roles, other languages)', async () => {
  const index = JSON.parse(readFileSync(join(sites.fixture, 'data/search/index.json'), 'utf8'));
  const rows = cardRows(sites.fixture);
  // The cases are there: roles, a unit's path, a text in another language.
  assert.ok(rows.some((r) => r[14]));
  assert.ok(rows.some((r) => (r[15] || []).some((n) => n[0] === 3)));
  assert.ok(Object.keys(index.i).length > 0);
  // The timeline (every event, 16 pages), the group reached through its unit, the
  // unit, and a region: the other pages add nothing these do not.
  const lists = ['index.html', 'actors/jnim/index.html', 'actors/katiba-macina/index.html', 'locations/mopti-region/index.html'];
  assert.ok((await compareSite(sites.fixture, lists)) > 0);
});

test('the filter draws the Mali cards as the server does (uncertain places, several tolls, names at a date, units, possible links)', async () => {
  for (const lang of ['fr', 'en']) {
    const dir = join(sites.mali, lang);
    const rows = cardRows(dir);
    for (const kind of [0, 3, 4, 5, 6]) {
      assert.ok(rows.some((r) => (r[15] || []).some((n) => n[0] === kind)), `${lang}: a notice of kind ${kind}`);
    }
    // The pages where the cases stand (every page of this site takes a minute): the
    // timeline, groups reached through their units with possible links, a group whose
    // name changed, regions holding uncertain places and several tolls.
    assert.ok((await compareSite(dir, MALI_LISTS)) > 0);
  }
});

const MALI_LISTS = [
  'index.html',
  'actors/aqim/index.html',
  'actors/al-qaeda/index.html',
  'actors/jnim/index.html',
  'actors/iswap/index.html',
  'actors/isgs/index.html',
  'locations/kidal-region/index.html',
  'locations/mopti-region/index.html',
];
