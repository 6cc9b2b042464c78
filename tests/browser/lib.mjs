// Shared helpers of the browser tests: a tiny static server on a free port of
// localhost, Debian's Chromium driven by playwright-core, and the sites under test
// (built by tests/browser/run.sh into target/browser/).

import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repo = resolve(here, '../..');
// playwright-core and axe are pinned in tests/tools (installed by tests/setup.sh).
const require = createRequire(join(repo, 'tests/tools/package.json'));
export const { chromium } = require('playwright-core');
export const { default: AxeBuilder } = require('@axe-core/playwright');

export const sites = {
  // The sample is in French and English; most tests read its French tree.
  sample: process.env.ANNALIST_SAMPLE_SITE || join(repo, 'target/browser/sample/fr'),
  sampleRoot: process.env.ANNALIST_SAMPLE_ROOT || join(repo, 'target/browser/sample'),
  fixture: process.env.ANNALIST_FIXTURE_SITE || join(repo, 'target/browser/fixture'),
  big: process.env.ANNALIST_BIG_SITE || join(repo, 'target/browser/big'),
  // Real events, Mali 2012–2025 (tests/fixtures/mali-2012-2025): relations, names
  // and parents that change over time (issue 14).
  mali: process.env.ANNALIST_MALI_SITE || join(repo, 'target/browser/mali'),
};
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Serves the folder `dir` on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serve(dir) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new page that fails the test on any request leaving localhost, and on any
 * script error. `errors` collects both.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1') page.errors.push(`third-party request: ${r.url()}`);
  });
  return page;
}

/** The event ids of the cards visible in the page, in order. */
export function visibleEventIds(page) {
  return page.$$eval('article.event .event-title a', (links) =>
    links
      .filter((a) => a.offsetParent !== null)
      .map((a) => {
        const m = a.getAttribute('href').match(/events\/([^/]+)\/index\.html$/);
        return m ? m[1] : a.getAttribute('href');
      }),
  );
}

/** Event ids linked from the cards of a server page and its next pages. */
export async function serverListIds(page, url) {
  const ids = [];
  let next = url;
  while (next) {
    await page.goto(next);
    ids.push(...(await page.$$eval('.listing article.event .event-title a', (as) =>
      as.map((a) => a.getAttribute('href').match(/events\/([^/]+)\/index\.html$/)[1]),
    )));
    const rel = await page.$eval('.listing a[rel="next"]', (a) => a.href).catch(() => null);
    next = rel;
  }
  return ids;
}

/** Folds text as readers type it: lowercase, accents removed (the test's own rule). */
export function fold(s) {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

/** Unfolds the filters other than the search field (a closed <details> of the form),
 * as a reader does before choosing an actor or a place. */
export async function openFilters(page) {
  if (!(await page.$eval('details.filter-more', (d) => d.open))) await page.click('details.filter-more > summary');
}

/** Waits until the filter's count line says something other than "loading" and
 * the list is drawn (the script marks it aria-busy while it adds cards). */
export async function settled(page) {
  await page.waitForFunction(() => {
    const c = document.querySelector('.filter-count');
    const r = document.querySelector('.filter-results');
    return c && r && !/…$/.test(c.textContent) && (c.textContent === '' || !r.hidden) && r.getAttribute('aria-busy') !== 'true';
  });
}
