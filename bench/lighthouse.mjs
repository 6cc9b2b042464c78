// The summary of bench/lighthouse.sh: the four scores of each page, a few of its figures,
// and the audits that failed (score < 0.9), from Lighthouse's JSON reports.
//
//   node bench/lighthouse.mjs DIR LABEL NAME=PATH...
//
// DIR holds NAME.json for each page (and pages.txt: name, path, load average before it);
// the table goes to stdout (Markdown) and DIR/summary.json.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, label, ...list] = process.argv.slice(2);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const loads = new Map(
  (existsSync(join(dir, 'pages.txt')) ? readFileSync(join(dir, 'pages.txt'), 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map(([name, , load]) => [name, load.replaceAll(',', ' ')]),
);

const pages = [];
for (const item of list) {
  const [name, path] = item.split(/=(.*)/s);
  const file = join(dir, `${name}.json`);
  const page = { name, path, load: loads.get(name) || null };
  pages.push(page);
  let lhr;
  try {
    lhr = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    page.error = `no report (${e.code || e.message})`;
    continue;
  }
  if (lhr.runtimeError) page.error = `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`;
  page.lighthouse = lhr.lighthouseVersion;
  page.chrome = lhr.environment?.hostUserAgent?.match(/Chrome\/[\d.]+/)?.[0] || null;
  page.scores = {};
  for (const c of CATEGORIES) {
    const s = lhr.categories[c]?.score;
    page.scores[c] = s == null ? null : Math.round(s * 100);
  }
  const a = lhr.audits;
  const num = (id) => a[id]?.numericValue;
  page.metrics = {
    fcpMs: num('first-contentful-paint'),
    lcpMs: num('largest-contentful-paint'),
    tbtMs: num('total-blocking-time'),
    cls: num('cumulative-layout-shift'),
    siMs: num('speed-index'),
    bytes: num('total-byte-weight'),
    domSize: num('dom-size'),
  };
  // Every audit a category counts or shows, scored below 0.9 (not the informative,
  // manual or not-applicable ones, which have no score).
  const seen = new Set();
  page.failed = [];
  for (const c of CATEGORIES) {
    for (const ref of lhr.categories[c]?.auditRefs || []) {
      const audit = a[ref.id];
      if (!audit || seen.has(ref.id) || audit.score == null || audit.score >= 0.9) continue;
      seen.add(ref.id);
      const items = audit.details?.items || [];
      const examples = items
        .slice(0, 3)
        .map((i) => i.node?.snippet || i.node?.selector || i.url || i.source?.url || i.description || '')
        .filter(Boolean)
        .map((x) => String(x).replace(/\s+/g, ' ').slice(0, 120));
      page.failed.push({
        category: c,
        id: ref.id,
        title: audit.title,
        score: audit.score,
        weight: ref.weight,
        display: audit.displayValue || null,
        items: items.length,
        examples,
      });
    }
  }
}

const f = (x, d = 1) => (x == null ? '—' : (x / 1000).toFixed(d));
let md = `Lighthouse ${pages.find((p) => p.lighthouse)?.lighthouse || '?'} (default mobile simulation), ${pages.find((p) => p.chrome)?.chrome || '?'}, ${label}\n\n`;
md += '| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | bytes | DOM | load avg |\n';
md += '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n';
for (const p of pages) {
  const sc = p.scores || {};
  const m = p.metrics || {};
  md += `| ${p.name} (\`${p.path}\`) | ${CATEGORIES.map((c) => sc[c] ?? '—').join(' | ')} | ${f(m.fcpMs)} s | ${f(m.lcpMs)} s | ${m.tbtMs == null ? '—' : Math.round(m.tbtMs) + ' ms'} | ${m.cls == null ? '—' : m.cls.toFixed(3)} | ${m.bytes == null ? '—' : Math.round(m.bytes / 1024) + ' KiB'} | ${m.domSize ?? '—'} | ${p.load || '—'} |\n`;
}
md += '\nFailed audits (score < 0.9):\n\n';
for (const p of pages) {
  if (p.error) md += `- **${p.name}**: ${p.error}\n`;
  if (!p.failed) continue;
  if (!p.failed.length) md += `- **${p.name}**: none\n`;
  for (const x of p.failed) {
    md += `- **${p.name}** ${x.category} \`${x.id}\` (${x.title}): score ${x.score}${x.display ? ', ' + x.display : ''}${x.items ? `, ${x.items} item(s)` : ''}${x.examples.length ? ': ' + x.examples.map((e) => '`' + e.replaceAll('`', "'") + '`').join('; ') : ''}\n`;
  }
}
writeFileSync(join(dir, 'summary.json'), JSON.stringify({ label, pages }, null, 2) + '\n');
process.stdout.write(md);
