// Search and filters at scale: 10,000 synthetic events (examples/synth.rs, seed 1), in a
// phone-sized window with the CPU slowed down 4 times (Emulation.setCPUThrottlingRate).
// What a reader downloads is asserted, as it does not depend on the machine: the first
// search and the first filter by actor each fetch at most 150 KB (gzipped, as a web
// server would send them; the test's server sends them raw, so each file fetched is
// gzipped here from the disk). The answer is asserted too: the count shown is the one
// the index's files give, read here without the script. Times are only reported
// (tests/browser/artifacts/search-at-scale.json): bench/reading.sh measures them, under
// a throttled network, against Pagefind.
//
//   bash tests/browser/run.sh                     # builds target/browser/big once
//   node --test tests/browser/perf.test.mjs       # then, again and again

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { artifacts, launch, newPage, openFilters, serve, settled, sites } from './lib.mjs';

const dir = join(sites.big, 'data/search');
const skip = existsSync(join(dir, 'index.json')) ? false : `no site of 10,000 events at ${sites.big} (ANNALIST_BIG_SITE=0?)`;
const BUDGET = 150 * 1024;

let server;
let browser;
before(async () => {
  if (skip) return;
  server = await serve(sites.big);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const json = (rel) => JSON.parse(readFileSync(join(dir, rel), 'utf8'));
const gz = new Map();
/** The gzipped size of a file of the site, by its address. */
function gzipped(url) {
  const rel = decodeURIComponent(new URL(url).pathname).slice(1);
  if (!gz.has(rel)) gz.set(rel, gzipSync(readFileSync(join(sites.big, rel)), { level: 6 }).length);
  return gz.get(rel);
}

/** The numbers of `[first, gap, …]`. */
function gaps(g) {
  let x = 0;
  return g.map((d) => (x += d));
}

/** The shard file of a key (src/render/search.rs `shard_file`). */
function shardFile(key) {
  return /^[a-z0-9]+$/.test(key) ? `w/w${key}.json` : `w/x${Buffer.from(key).toString('hex')}.json`;
}

/** The events of the words starting with `w`, read from the shards without the script. */
function wordEvents(head, w) {
  const deeper = head.w.filter((k) => k.startsWith(w) && k !== w);
  const whole = deeper.length > 6;
  const keys = head.w.filter((k) => w.startsWith(k)).concat(whole ? [] : deeper);
  const hit = new Set();
  for (const k of keys) {
    for (const [t, g] of Object.entries(json(shardFile(k)))) {
      if (whole ? t === w : t.startsWith(w)) for (const e of gaps(g)) hit.add(e);
    }
  }
  return hit;
}

const intersect = (a, b) => new Set([...a].filter((x) => b.has(x)));

/** A fresh page of the timeline, the CPU slowed; the bytes fetched after `mark()`. */
async function open() {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(server.url + 'index.html');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let since = null;
  page.on('response', (r) => {
    if (since && r.url().startsWith(server.url)) since.push(r.url());
  });
  return {
    page,
    mark: () => (since = []),
    fetched: () => ({ files: since.length, bytes: since.reduce((s, u) => s + gzipped(u), 0) }),
  };
}

test('at 10,000 events, the first search and the first filter fetch kilobytes and answer right', { skip, timeout: 600_000 }, async (t) => {
  const head = json('index.json');
  assert.equal(head.count, 10_000);
  // What a reader would type: the place of the most events, then the beginning of the
  // name of an actor of the newest of them.
  const counts = head.l.map((l, i) => [i, json(`f/l${i}.json`).length]);
  const [place] = counts.sort((a, b) => b[1] - a[1])[0];
  const newest = gaps(json(`f/l${place}.json`))[0];
  const row = json(`c/${Math.floor(newest / head.chunk)}.json`)[newest % head.chunk];
  const actorWord = head.a[row[11][0]][1].split(' ')[0];
  const query = `${head.l[place][1]} ${actorWord.slice(0, Math.max(3, actorWord.length - 2))}`;
  const words = query
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);
  const expected = words.map((w) => wordEvents(head, w)).reduce(intersect);
  assert.ok(expected.size > 0, `"${query}" finds something`);

  const report = { events: head.count, query, expected: expected.size };
  const reader = await open();
  const { page } = reader;
  reader.mark();
  let t0 = Date.now();
  await page.type('#f-q', query, { delay: 30 });
  await page.waitForSelector('.filter-results article');
  report.searchMs = Date.now() - t0;
  await settled(page);
  report.search = reader.fetched();
  const count = (await page.textContent('.filter-count')).replace(/[\s\u00a0\u202f]/g, '');
  assert.match(count, new RegExp(`^${expected.size}événements?correspond`), count);
  const first = await page.$eval('.filter-results article .event-title a', (a) => a.getAttribute('href'));
  // The newest match comes first.
  const top = Math.min(...expected);
  assert.equal(first, `events/${json(`c/${Math.floor(top / head.chunk)}.json`)[top % head.chunk][0]}/index.html`);
  assert.ok(report.search.bytes <= BUDGET, `the first search fetched ${report.search.bytes} bytes`);

  // The first filter by actor, on a fresh page: the actor of the newest event.
  const actor = head.a[row[11][0]][0];
  const reader2 = await open();
  reader2.mark();
  t0 = Date.now();
  // The actors' names are in the page (they fit in a few kilobytes); the 2,000
  // places' come from the index's head, which opening the filters starts to load.
  assert.equal(await reader2.page.$eval('#f-actor', (s) => s.options.length), head.a.length + 1);
  assert.equal(await reader2.page.$eval('#f-location', (s) => s.options.length), 1);
  await openFilters(reader2.page);
  await reader2.page.waitForFunction(() => document.querySelector('#f-location').options.length > 1);
  assert.equal(await reader2.page.$eval('#f-location', (s) => s.options.length), head.l.length + 1);
  report.optionsMs = Date.now() - t0;
  await reader2.page.selectOption('#f-actor', actor);
  await reader2.page.waitForSelector('.filter-results article');
  report.actorMs = Date.now() - t0;
  await settled(reader2.page);
  report.actor = reader2.fetched();
  const shown = (await reader2.page.textContent('.filter-count')).replace(/[\s\u00a0\u202f]/g, '');
  const own = json(`f/a${row[11][0]}.json`).length;
  assert.match(shown, new RegExp(`^${own}événements?correspond`), shown);
  assert.ok(report.actor.bytes <= BUDGET, `the first filter fetched ${report.actor.bytes} bytes`);

  writeFileSync(join(artifacts, 'search-at-scale.json'), JSON.stringify(report, null, 2) + '\n');
  t.diagnostic(`"${query}": ${expected.size} events; first card after ${report.searchMs} ms; ${report.search.files} files, ${report.search.bytes} bytes gzipped`);
  t.diagnostic(`actor ${actor}: places' options after ${report.optionsMs} ms, first card after ${report.actorMs} ms; ${report.actor.files} files, ${report.actor.bytes} bytes gzipped`);
  await page.context().close();
  await reader2.page.context().close();
});
