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
      'Cache-Control': 'no-cache', // not no-store, which keeps pages out of the back/forward cache (Lighthouse's bf-cache audit)
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
// PORT 0: a free port, printed.
if (opt('serve')) {
  const server = await serve(site);
  server.close();
  const own = createServer(server.listeners('request')[0]);
  await new Promise((ok) => own.listen(+opt('serve'), '127.0.0.1', ok));
  console.error(`serving ${site} on http://127.0.0.1:${own.address().port}/`);
  await new Promise(() => {});
}

// ------------------------------------------------------------------- the browser

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

// A fresh context and page under the profile; `bytes()` is the sum of the responses'
// encodedDataLength since the last `mark()`.
// `js: false` opens it with JavaScript disabled.
async function open(base, path, { js = true } = {}) {
  const context = await browser.newContext({ viewport: PROFILE.viewport, deviceScaleFactor: 1, javaScriptEnabled: js });
  // The layout shifts from the very start (buffered), summed, without those that follow an
  // input (hadRecentInput), as CLS counts them. Init scripts run even with JavaScript off
  // (Playwright injects them through the DevTools protocol).
  await context.addInitScript(() => {
    window.__shifts = { cls: 0, n: 0 };
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          window.__shifts.cls += e.value;
          window.__shifts.n += 1;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    } catch {}
  });
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

// A select of annalist's filter (`#f-actor`, `#f-location`): its options right after
// the load (before any index), the time from the first interaction until it has options,
// then the time from that interaction to the first card for the value chosen (the first
// actor or place of the newest event, so that there are results). The select may sit in a
// closed <details> (opened first, which is then the first interaction) and may be filled by
// script from a small file, at the load or on that interaction.
async function annalistSelect(base, select, hrefPart) {
  const p = await open(base, 'index.html');
  const page = p.page;
  const before = await page.locator(`${select} option`).count();
  const first = await page.evaluate((part) => {
    const a = document.querySelector(`[data-unfiltered] article a[href*="${part}"]`);
    return a ? a.getAttribute('href').replace(/\/(index\.html)?$/, '').split('/').pop() : null;
  }, hrefPart);
  p.mark();
  const t = Date.now();
  const box = page.locator(select);
  let openedDetails = false;
  if (!(await box.isVisible())) {
    const summary = await page.evaluateHandle((sel) => {
      const d = document.querySelector(sel)?.closest('details');
      return d && !d.open ? d.querySelector(':scope > summary') : null;
    }, select);
    const el = summary.asElement();
    if (el) {
      await el.click();
      openedDetails = true;
    }
  }
  await box.click({ timeout: TIMEOUT });
  await page.waitForFunction((sel) => document.querySelectorAll(`${sel} option`).length > 1, select, {
    timeout: TIMEOUT,
    polling: 100,
  });
  const usable = Date.now() - t;
  const values = await page.$$eval(`${select} option`, (os) => os.map((o) => o.value));
  const value = first && values.includes(first) ? first : values.find((v) => v) || values[1];
  await page.keyboard.press('Escape');
  await box.selectOption(value);
  await page.waitForSelector('.filter-results article', { timeout: TIMEOUT });
  const ms = Date.now() - t;
  const r = {
    load: p.loaded,
    openedDetails,
    optionsBeforeIndex: before,
    optionsAfter: values.length,
    value,
    usableMs: usable,
    ms,
    bytes: p.bytes(),
    requests: p.requests(),
    served: p.served(),
  };
  await p.context.close();
  return r;
}

// The first screen, the layout shift and the keyboard path of the timeline, with or without
// JavaScript, under the same throttling. After the load and SETTLE ms (for what scripts
// reveal late): where the first event card's title link is, whether it is wholly inside the
// 390×844 viewport, and the layout shift summed since the start. Then the keyboard: Tab
// once (the skip link), Enter to follow it, and Tab until the focus is inside the first
// event card of the list (at most 300 presses).
const SETTLE = +opt('settle', 3000);
async function firstScreen(base, js) {
  const p = await open(base, 'index.html', { js });
  const page = p.page;
  await page.waitForTimeout(SETTLE);
  const FIRST = '[data-unfiltered] article.event, .listing article.event, main ol.events article';
  const screen = await page.evaluate(
    ([sel, vw]) => {
      const card = document.querySelector(sel.split(', ').find((s) => document.querySelector(s)) || 'article');
      const link = card?.querySelector('.event-title a, h2 a, h3 a, h4 a');
      if (!link) return { found: false };
      const r = link.getBoundingClientRect();
      return {
        found: true,
        y: Math.round(r.top),
        bottom: Math.round(r.bottom),
        inside: r.top >= 0 && r.left >= 0 && r.bottom <= vw.height && r.right <= vw.width,
        text: link.textContent.trim().slice(0, 80),
      };
    },
    [FIRST, PROFILE.viewport],
  );
  const shifts = await page.evaluate(() => window.__shifts || null);
  // The keyboard.
  const keys = { skip: null, presses: null };
  await page.keyboard.press('Tab');
  keys.skip = await page.evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()}${a.className ? '.' + a.className : ''} ${a.getAttribute('href') || ''}`.trim() : null;
  });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  const inFirst = (sel) => {
    const first = document.querySelector(sel.split(', ').find((s) => document.querySelector(s)) || 'article');
    return !!first && first.contains(document.activeElement);
  };
  for (let n = 1; n <= 300; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(inFirst, FIRST)) {
      keys.presses = n;
      break;
    }
  }
  if (keys.presses == null) keys.gaveUp = 300;
  const r = { js, load: p.loaded, ms: p.loaded.ms, bytes: p.loaded.bytes, served: { bytes: 0 }, settleMs: SETTLE, screen, cls: shifts ? shifts.cls : null, shifts: shifts ? shifts.n : null, keys };
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

// Each task is bounded: a wait of Playwright's that exceeds TIMEOUT says so, and a task
// still running after TASK_TIMEOUT is abandoned (its contexts closed) and reported as
// "timed out after N s", so that a very slow site (100,000 events) gives a table, not a hang.
const TASK_TIMEOUT = +opt('task-timeout', 2 * (TIMEOUT / 1000) + 60) * 1000;
function timed(label, f) {
  process.stderr.write(`  ${label}… `);
  let timer;
  const cap = new Promise((_, no) => {
    timer = setTimeout(() => no(Object.assign(new Error(`timed out after ${TASK_TIMEOUT / 1000} s`), { name: 'TaskTimeout' })), TASK_TIMEOUT);
  });
  return Promise.race([f(), cap]).then(
    (r) => {
      clearTimeout(timer);
      const line = r.error
        ? r.error
        : r.screen
          ? `y ${r.screen.y}, CLS ${r.cls?.toFixed(3)}, ${r.keys.presses ?? '>' + r.keys.gaveUp} Tab presses`
          : `${s(r.ms)} s, ${kb(r.bytes)} KB (CDP), ${kb(r.served.bytes)} KB (server)`;
      process.stderr.write(line + '\n');
      return r;
    },
    async (e) => {
      clearTimeout(timer);
      const error = e.name === 'TimeoutError' ? `timed out after ${TIMEOUT / 1000} s (${e.message.split('\n')[0]})` : e.message.split('\n')[0];
      process.stderr.write(`failed: ${error}\n`);
      if (e.name === 'TaskTimeout') for (const c of browser.contexts()) await c.close().catch(() => {});
      return { error };
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
// `--tasks search,actor,place,fulltext,screen`: only these of annalist's tasks (to try things).
const tasks = new Set(opt('tasks', 'search,actor,place,fulltext,screen').split(','));
const want = (t) => only !== 'pagefind' && tasks.has(t);
results.annalist.search = await timed(`first search "${word}"`, () => (want('search') ? annalistSearch(base, word, false) : skipped()));
results.annalist.actor = await timed('filter by actor', () => (want('actor') ? annalistSelect(base, '#f-actor', 'actors/') : skipped()));
results.annalist.place = await timed('filter by place', () => (want('place') ? annalistSelect(base, '#f-location', 'locations/') : skipped()));
results.annalist.fulltext = await timed(`full text "${bodyWord}"`, () => (want('fulltext') ? annalistSearch(base, bodyWord, true) : skipped()));
results.annalist.screen = await timed('first screen, layout shift, keyboard (JavaScript on)', () => (want('screen') ? firstScreen(base, true) : skipped()));
results.annalist.screenNoJs = await timed('the same, JavaScript off', () => (want('screen') ? firstScreen(base, false) : skipped()));
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
const selectCell = (r, what) =>
  !r || r.error
    ? cell(r)
    : `${Math.max(0, r.optionsBeforeIndex - 1)} ${what} in the select right after the load${r.openedDetails ? ' (in a closed <details>, opened first)' : ''}; options after ${s(r.usableMs)} s from the first interaction; ${kb(r.served.bytes)} KB, ${s(r.ms)} s to the first result (${r.value})`;
const screenCell = (r) =>
  !r || r.error ? cell(r) : !r.screen.found ? 'no event card found' : `y = ${r.screen.y} px (bottom ${r.screen.bottom}): ${r.screen.inside ? 'fully inside' : 'not fully inside'} the first screen`;
const clsCell = (r) => (!r || r.error ? cell(r) : r.cls == null ? 'not measured' : `${r.cls.toFixed(3)} (${r.shifts} shift(s), ${s(r.settleMs)} s after the load)`);
const keysCell = (r) =>
  !r || r.error ? cell(r) : `${r.keys.presses == null ? `not reached in ${r.keys.gaveUp}` : r.keys.presses} (first Tab: ${r.keys.skip || 'nothing focused'})`;
const a = results.annalist;
const pf = results.pagefind;
const rows = [
  ['page load (timeline / Pagefind page)', a.search.load ? `${kb(a.search.load.bytes)} KB, ${s(a.search.load.ms)} s` : '—', pf?.search?.load ? `${kb(pf.search.load.bytes)} KB, ${s(pf.search.load.ms)} s` : '—'],
  [`first search ("${word}")`, cell(a.search), cell(pf?.search)],
  ['filter by actor', selectCell(a.actor, 'actors'), '— (no filters indexed)'],
  ['filter by place', selectCell(a.place, 'places'), '— (no filters indexed)'],
  [
    `full text ("${bodyWord}", in bodies, not in titles)`,
    a.fulltext.error ? cell(a.fulltext) : `"${a.fulltext.shown}" (${kb(a.fulltext.served.bytes)} KB, ${s(a.fulltext.ms)} s)`,
    !pf ? '—' : pf.fulltext.error ? cell(pf.fulltext) : `"${pf.fulltext.shown}" (${kb(pf.fulltext.served.bytes)} KB, ${s(pf.fulltext.ms)} s)`,
  ],
];
const screenRows = [
  ['first screen: first event title link (390×844)', screenCell(a.screen), screenCell(a.screenNoJs)],
  ['layout shift during the load (CLS, summed)', clsCell(a.screen), clsCell(a.screenNoJs)],
  ['Tab presses after the skip link to the first event', keysCell(a.screen), keysCell(a.screenNoJs)],
];
let table = `| task (${events ? (+events).toLocaleString('en') + ' events' : site}) | annalist | Pagefind${pf?.version ? ' ' + pf.version : ''} |\n|---|---|---|\n`;
for (const r of rows) table += `| ${r.join(' | ')} |\n`;
table += `\n| annalist's timeline | JavaScript on | JavaScript off |\n|---|---|---|\n`;
for (const r of screenRows) table += `| ${r.join(' | ')} |\n`;
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
