// The reader's side of issue 16, as a reader on a phone with a poor connection feels it:
// a built site served with gzip on 127.0.0.1, Debian's Chromium (playwright-core) at
// 390×844, the network throttled to 400 kbit/s with 400 ms of latency, the CPU slowed
// 4×, the cache disabled. Each task starts from a fresh page load of the timeline.
// A benchmark, not a test: it asserts nothing and CI never runs it. See bench/README.md.
//
//   node bench/reading.mjs --site SITE [--pagefind COPY] [--word W] [--body-word W]
//                          [--out FILE.json] [--events N]
//
// COPY is a copy of SITE with Pagefind's index in COPY/pagefind/ and the page
// COPY/pagefind-bench.html (bench/reading.sh makes both).

import { createServer } from 'node:http';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const tools = process.env.ANNALIST_TOOLS || join(repo, 'tests/tools');
const require = createRequire(join(tools, 'package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : dflt;
}
const site = opt('site');
if (!site) {
  console.error('usage: node bench/reading.mjs --site SITE [--pagefind COPY] [--word W] [--body-word W] [--out FILE]');
  process.exit(2);
}
const pfSite = opt('pagefind', '');
const word = opt('word', 'djawe');
const bodyWord = opt('body-word', 'humanitaire');
const out = opt('out', '');
const events = opt('events', '');
const TIMEOUT = +opt('timeout', 180) * 1000;

const PROFILE = {
  viewport: { width: 390, height: 844 },
  latency: 400, // ms
  throughput: 50000, // bytes/s each way (400 kbit/s)
  cpu: 4,
};

// ------------------------------------------------------------------- the server

const TEXT = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const BINARY = { '.wasm': 'application/wasm' };

// Text is gzipped (level 6, as a default nginx or Apache would) and the compressed bytes
// kept, so that compression time is not counted again; Pagefind's files are gzipped by
// Pagefind itself and go as they are.
// The server also counts what it sends (body and headers), which sees the requests of
// workers (Pagefind searches in a Web Worker, whose requests the page's CDP session does
// not report).
const served = { bytes: 0, log: [] };
function serve(dir) {
  const cache = new Map();
  const server = createServer((req, res) => {
    const t0 = Date.now();
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(resolve(dir))) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const ext = extname(file);
    const gz = (req.headers['accept-encoding'] || '').includes('gzip') && TEXT[ext];
    let body = cache.get(file + (gz ? ':gz' : ''));
    if (!body) {
      body = readFileSync(file);
      if (gz) body = gzipSync(body, { level: 6 });
      cache.set(file + (gz ? ':gz' : ''), body);
    }
    const headers = {
      'Content-Type': TEXT[ext] || BINARY[ext] || 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    };
    if (gz) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    let head = 17;
    for (const [k, v] of Object.entries(headers)) head += k.length + String(v).length + 4;
    served.bytes += body.length + head;
    served.log.push({ t: t0, url: path, bytes: body.length + head });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// `--serve PORT`: only serve SITE with gzip (for Lighthouse, say) until interrupted.
if (opt('serve')) {
  const server = await serve(site);
  server.close();
  createServer(server.listeners('request')[0]).listen(+opt('serve'), '127.0.0.1');
  console.error(`serving ${site} on http://127.0.0.1:${opt('serve')}/`);
  await new Promise(() => {});
}

// ------------------------------------------------------------------- the browser

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

// A fresh context and page under the profile; `bytes()` is the sum of the responses'
// encodedDataLength since the last `mark()`.
async function open(base, path) {
  const context = await browser.newContext({ viewport: PROFILE.viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latency,
    downloadThroughput: PROFILE.throughput,
    uploadThroughput: PROFILE.throughput,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpu });
  const urls = new Map();
  let total = 0;
  let since = 0;
  let serverSince = 0;
  let logSince = 0;
  let requests = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    total += e.encodedDataLength;
    requests.push({ url: (urls.get(e.requestId) || '').replace(base, '/'), bytes: e.encodedDataLength });
  });
  const t = Date.now();
  await page.goto(base + path, { waitUntil: 'load', timeout: TIMEOUT });
  const loaded = { ms: Date.now() - t, bytes: total };
  await page.waitForTimeout(300); // let what `load` started finish
  return {
    context,
    page,
    loaded,
    mark() {
      since = total;
      requests = [];
      serverSince = served.bytes;
      logSince = served.log.length;
    },
    bytes: () => total - since,
    // Bytes sent by the server since mark(), and what it sent (ms after the first).
    served: () => ({
      bytes: served.bytes - serverSince,
      requests: served.log.slice(logSince).map((r, i, l) => ({ ms: r.t - l[0].t, url: r.url, bytes: r.bytes })),
    }),
    requests: () => requests.slice(),
  };
}

const kb = (b) => Math.round(b / 100) / 10;
const s = (ms) => Math.round(ms / 100) / 10;

// Annalist's filter: type into the search box, time to the first card.
async function annalistSearch(base, q, count) {
  const p = await open(base, 'index.html');
  const box = p.page.locator('form.filter input[name=q]');
  p.mark();
  const t = Date.now();
  await box.click();
  await p.page.keyboard.type(q);
  await p.page.waitForSelector('.filter-results article', { timeout: TIMEOUT });
  const ms = Date.now() - t;
  const r = { load: p.loaded, ms, bytes: p.bytes(), requests: p.requests(), served: p.served() };
  if (count) {
    await p.page.waitForTimeout(1500);
    r.shown = (await p.page.locator('.filter-count').textContent()).trim();
    r.count = +(r.shown.replace(/[\s\u00a0\u202f,.]/g, '').match(/\d+/) || [NaN])[0];
  }
  await p.context.close();
  return r;
}

// Annalist's actor select: options before the index, time until it has options, time
// from the first click on it to the first card of the actor chosen (the first actor of
// the newest event, so that there are results).
async function annalistActor(base) {
  const p = await open(base, 'index.html');
  const page = p.page;
  const before = await page.locator('#f-actor option').count();
  const first = await page.evaluate(() => {
    const a = document.querySelector('[data-unfiltered] article a[href*="actors/"]');
    return a ? a.getAttribute('href').replace(/\/(index\.html)?$/, '').split('/').pop() : null;
  });
  p.mark();
  const t = Date.now();
  await page.locator('#f-actor').click();
  await page.waitForFunction(() => document.querySelectorAll('#f-actor option').length > 1, null, {
    timeout: TIMEOUT,
    polling: 100,
  });
  const usable = Date.now() - t;
  const values = await page.$$eval('#f-actor option', (os) => os.map((o) => o.value));
  const value = first && values.includes(first) ? first : values[1];
  await page.keyboard.press('Escape');
  await page.locator('#f-actor').selectOption(value);
  await page.waitForSelector('.filter-results article', { timeout: TIMEOUT });
  const ms = Date.now() - t;
  const r = {
    load: p.loaded,
    optionsBeforeIndex: before,
    optionsAfter: values.length,
    actor: value,
    usableMs: usable,
    ms,
    bytes: p.bytes(),
    requests: p.requests(),
    served: p.served(),
  };
  await p.context.close();
  return r;
}

// Pagefind's default UI on pagefind-bench.html of the copy.
async function pagefindSearch(base, q, count) {
  const p = await open(base, 'pagefind-bench.html');
  const page = p.page;
  await page.waitForSelector('.pagefind-ui__search-input', { timeout: TIMEOUT });
  await page.waitForTimeout(500);
  p.mark();
  const t = Date.now();
  await page.locator('.pagefind-ui__search-input').click();
  await page.keyboard.type(q);
  await page.waitForSelector('.pagefind-ui__result', { timeout: TIMEOUT });
  const ms = Date.now() - t;
  const r = { load: p.loaded, ms, bytes: p.bytes(), requests: p.requests(), served: p.served() };
  if (count) {
    await page.waitForTimeout(1500);
    r.shown = (await page.locator('.pagefind-ui__message').textContent()).trim();
    r.count = +(r.shown.replace(/[\s\u00a0\u202f,.]/g, '').match(/\d+/) || [NaN])[0];
  }
  await p.context.close();
  return r;
}

function timed(label, f) {
  process.stderr.write(`  ${label}… `);
  return f().then(
    (r) => {
      process.stderr.write(r.error ? `${r.error}\n` : `${s(r.ms)} s, ${kb(r.bytes)} KB (CDP), ${kb(r.served.bytes)} KB (server)\n`);
      return r;
    },
    (e) => {
      process.stderr.write(`failed: ${e.message.split('\n')[0]}\n`);
      return { error: e.message.split('\n')[0] };
    },
  );
}

const results = {
  date: new Date().toISOString(),
  events: events ? +events : null,
  site: resolve(site),
  profile: PROFILE,
  machine: `${require('node:os').cpus().length} cores, ${require('node:os').cpus()[0].model}; load ${require('node:os')
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} at start`,
  chromium: browser.version(),
  words: { search: word, body: bodyWord },
  annalist: {},
  pagefind: null,
};

const only = opt('only', ''); // "pagefind" or "annalist": one side only (to try things)
const server = await serve(site);
const base = `http://127.0.0.1:${server.address().port}/`;
console.error(`annalist site ${site} on ${base}`);
const skipped = async () => ({ error: 'skipped' });
results.annalist.search = await timed(`first search "${word}"`, () => (only === 'pagefind' ? skipped() : annalistSearch(base, word, false)));
results.annalist.actor = await timed('filter by actor', () => (only === 'pagefind' ? skipped() : annalistActor(base)));
results.annalist.fulltext = await timed(`full text "${bodyWord}"`, () => (only === 'pagefind' ? skipped() : annalistSearch(base, bodyWord, true)));
server.close();

if (pfSite && only !== 'annalist') {
  const pserver = await serve(pfSite);
  const pbase = `http://127.0.0.1:${pserver.address().port}/`;
  console.error(`Pagefind copy ${pfSite} on ${pbase}`);
  results.pagefind = { version: process.env.PAGEFIND_VERSION || null, glob: process.env.PAGEFIND_GLOB || null };
  results.pagefind.search = await timed(`first search "${word}"`, () => pagefindSearch(pbase, word, false));
  results.pagefind.fulltext = await timed(`full text "${bodyWord}"`, () => pagefindSearch(pbase, bodyWord, true));
  pserver.close();
}
await browser.close();

// ------------------------------------------------------------------- the table

// The largest responses after the page's load, as the server sent them.
function split(r) {
  if (!r || r.error || !r.served) return '—';
  const sorted = r.served.requests.slice().sort((a, b) => b.bytes - a.bytes);
  return (
    sorted
      .slice(0, 3)
      .map((q) => `${q.url.split('/').pop() || q.url} ${kb(q.bytes)} KB`)
      .join(', ') + (sorted.length > 3 ? `, +${sorted.length - 3} more` : '')
  );
}
const cell = (r) => (!r ? '—' : r.error ? `failed (${r.error})` : `${kb(r.served.bytes)} KB, ${s(r.ms)} s to the first result`);
const a = results.annalist;
const pf = results.pagefind;
const rows = [
  ['page load (timeline / Pagefind page)', a.search.load ? `${kb(a.search.load.bytes)} KB, ${s(a.search.load.ms)} s` : '—', pf?.search?.load ? `${kb(pf.search.load.bytes)} KB, ${s(pf.search.load.ms)} s` : '—'],
  [`first search ("${word}")`, cell(a.search), cell(pf?.search)],
  [
    'filter by actor',
    a.actor.error
      ? cell(a.actor)
      : `${a.actor.optionsBeforeIndex - 1} actors in the select before the index; list filled after ${s(a.actor.usableMs)} s; ${kb(a.actor.served.bytes)} KB, ${s(a.actor.ms)} s to the first result (${a.actor.actor})`,
    '— (no filters indexed)',
  ],
  [
    `full text ("${bodyWord}", in bodies, not in titles)`,
    a.fulltext.error ? cell(a.fulltext) : `"${a.fulltext.shown}" (${kb(a.fulltext.served.bytes)} KB, ${s(a.fulltext.ms)} s)`,
    !pf ? '—' : pf.fulltext.error ? cell(pf.fulltext) : `"${pf.fulltext.shown}" (${kb(pf.fulltext.served.bytes)} KB, ${s(pf.fulltext.ms)} s)`,
  ],
];
let table = `| task (${events ? (+events).toLocaleString('en') + ' events' : site}) | annalist | Pagefind${pf?.version ? ' ' + pf.version : ''} |\n|---|---|---|\n`;
for (const r of rows) table += `| ${r.join(' | ')} |\n`;
table += `\nBytes: as sent by the server after the page's load (gzip; headers included), until the first result.\n`;
table += `First search, largest responses: annalist: ${split(a.search)}; Pagefind: ${split(pf?.search)}.\n`;
table += `Profile: ${PROFILE.viewport.width}×${PROFILE.viewport.height}, ${PROFILE.latency} ms latency, ${(PROFILE.throughput * 8) / 1000} kbit/s each way, CPU ${PROFILE.cpu}× slower, cache disabled; ${results.machine}; ${results.chromium}.\n`;
results.table = table;
console.log(table);
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.error(`results in ${out}`);
}
