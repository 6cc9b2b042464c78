// Search latency at scale: 50,000 synthetic events (examples/synth.rs, seed 1), the CPU
// slowed down 4 times with the DevTools protocol (Emulation.setCPUThrottlingRate) to
// stand for a phone, a phone-sized window. Each keystroke is timed in the page from the
// input event to the end of the first frame painted after it (a task queued by an
// animation frame callback requested before the event). Typing adds letters (each
// narrows the previous matches), then deletes them (each goes back to a result already
// computed). Up to three readers in a row; the best counts, as other programs on the
// machine can only add time. The figures are written to
// tests/browser/artifacts/search-latency.json and shown by the test runner.
//
//   bash tests/browser/run.sh                     # builds target/browser/big once
//   node --test tests/browser/perf.test.mjs       # then, again and again

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { artifacts, launch, newPage, serve, sites } from './lib.mjs';

const index = join(sites.big, 'data/search.json');
const skip = existsSync(index) ? false : `no site of 50,000 events at ${sites.big} (ANNALIST_BROWSER_BIG=0?)`;

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

const BUDGET_MS = 100;

/** One reader: a fresh page, the CPU slowed 4x, the index loaded, a word typed. */
async function measure(query) {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(server.url + 'index.html');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

  // Loading the index, once, when the reader first focuses the form.
  const loadStart = Date.now();
  await page.focus('#f-q');
  await page.waitForFunction(() => document.querySelector('#f-actor').options.length > 1, null, { timeout: 120_000 });
  const loadMs = Date.now() - loadStart;

  const keystrokes = await page.evaluate(async (q) => {
    const input = document.querySelector('#f-q');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const steps = [];
    for (let i = 1; i <= q.length; i++) steps.push(q.slice(0, i));
    for (let i = q.length - 1; i >= Math.max(1, q.length - 4); i--) steps.push(q.slice(0, i));
    const out = [];
    for (const value of steps) {
      // Let the previous keystroke finish (the rest of its first hundred cards).
      await frame();
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      // The first frame painted after the handler: a task queued by the next
      // animation frame callback, asked for before the handler runs.
      const painted = frame();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const handler = performance.now() - t0;
      await painted;
      out.push({ value, ms: +(performance.now() - t0).toFixed(1), handler: +handler.toFixed(1), count: document.querySelector('.filter-count').textContent });
    }
    return out;
  }, query);

  // A select: one pass over every event with the actor filter.
  const select = await page.evaluate(async () => {
    const s = document.querySelector('#f-actor');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    document.querySelector('#f-q').value = '';
    s.value = s.options[1].value;
    await frame();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    const painted = frame();
    s.dispatchEvent(new Event('change', { bubbles: true }));
    await painted;
    return { ms: +(performance.now() - t0).toFixed(1), count: document.querySelector('.filter-count').textContent };
  });
  await page.context().close();
  const ms = keystrokes.map((k) => k.ms).sort((a, b) => a - b);
  const over = keystrokes.filter((k) => k.ms > BUDGET_MS);
  return { loadMs, keystrokes, select, median: ms[ms.length >> 1], max: ms[ms.length - 1], over };
}

test('typing a search updates the list of 50,000 events within 100 ms, CPU slowed 4x', { skip, timeout: 900_000 }, async (t) => {
  const raw = readFileSync(index);
  const j = JSON.parse(raw);
  assert.equal(j.e.length, 50_000);
  // What a reader would type: the place of the most events, then an actor of one of them.
  const counts = new Map();
  for (const e of j.e) for (const l of e[15]) counts.set(l, (counts.get(l) || 0) + 1);
  const [place] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const word = j.l[place][1];
  const actor = j.a[j.e.find((e) => e[15].includes(place))[13][0]][1].split(' ')[0];
  const query = `${word} ${actor}`.toLowerCase();

  // Other programs on the machine can only add time: up to three readers, the best
  // one counts. The median keystroke within the budget, all but two (of 13) too (the
  // first letter matches half the chronology; a garbage collection), none far beyond.
  const ok = (r) => r.median <= BUDGET_MS && r.over.length <= 2 && r.max <= BUDGET_MS * 2.5;
  const runs = [];
  for (let i = 0; i < 3 && !runs.some(ok); i++) runs.push(await measure(query));
  const best = runs.find(ok) || runs.slice().sort((a, b) => a.median - b.median)[0];

  const report = {
    events: j.e.length,
    cpuThrottling: 4,
    searchJsonBytes: statSync(index).size,
    searchJsonGzipBytes: gzipSync(raw, { level: 9 }).length,
    filterJsBytes: statSync(join(sites.big, 'filter.js')).size,
    query,
    runs: runs.map((r) => ({ indexLoadMs: r.loadMs, keystrokeMedianMs: r.median, keystrokeMaxMs: r.max })),
    best,
  };
  writeFileSync(join(artifacts, 'search-latency.json'), JSON.stringify(report, null, 2) + '\n');
  t.diagnostic(`search.json ${report.searchJsonBytes} bytes (${report.searchJsonGzipBytes} gzipped); filter.js ${report.filterJsBytes} bytes`);
  for (const [i, r] of runs.entries()) {
    t.diagnostic(`run ${i + 1}: index loaded in ${r.loadMs} ms; "${query}": per keystroke median ${r.median} ms, max ${r.max} ms; actor select ${r.select.ms} ms`);
  }
  for (const k of best.keystrokes) t.diagnostic(`  ${JSON.stringify(k.value)}: ${k.ms} ms (handler ${k.handler} ms), ${k.count}`);
  assert.ok(best.keystrokes.every((k) => /correspond/.test(k.count)), 'every keystroke shows a count');
  assert.ok(best.median <= BUDGET_MS, `median ${best.median} ms > ${BUDGET_MS} ms`);
  assert.ok(best.over.length <= 2, `${best.over.length} keystrokes over ${BUDGET_MS} ms: ${JSON.stringify(best.over)}`);
  assert.ok(best.max <= BUDGET_MS * 2.5, `slowest keystroke ${best.max} ms`);
});
