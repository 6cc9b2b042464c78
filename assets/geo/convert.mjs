// Converts Natural Earth's country outlines (1:50m, as TopoJSON in the npm package
// `world-atlas`, pinned in package.json) into `countries.bin`, the compact file that
// annalist embeds (src/render/geo.rs) to draw maps at build time.
//
//   cd assets/geo && npm ci && node convert.mjs
//
// The output depends only on the input: running it again gives the same bytes.
//
// What it does:
//   1. decodes the TopoJSON arcs (delta-encoded, quantised) into degrees;
//   2. simplifies each arc once with Douglas–Peucker (TOLERANCE degrees), keeping its
//      ends, so that two neighbours still share exactly the same border;
//   3. assembles each country's rings from its arcs, rounds every point to
//      1/100 degree (about 1 km) and drops repeated points and rings that collapse;
//   4. writes the format below.
//
// Format (little-endian; `varint` is LEB128, `zigzag` maps signed to unsigned):
//   "AGEO"  u8 version (1)  u8 decimals (2: units of 0.01 degree)
//   u16 number of countries, then for each, sorted by name:
//     u8 name length, name (UTF-8, Natural Earth's short English name)
//     u16 ISO 3166-1 numeric code (0 when Natural Earth gives none)
//     i16 x4 bounding box: min lon, min lat, max lon, max lat (units)
//     varint number of rings, then for each ring:
//       varint number of points, then each point as zigzag varint dlon, dlat from
//       the previous point (the first from 0, 0). Rings are closed implicitly; holes
//       are rings too (draw with fill-rule evenodd).

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TOLERANCE = 0.02; // degrees, about 2 km: finer than a pixel of a country-wide map
const UNITS = 100; // per degree

const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;

// 1. Arcs in degrees.
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

// 2. Douglas–Peucker on each arc.
function simplify(points, tol) {
  if (points.length <= 2) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = points[a];
    const [bx, by] = points[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1;
    let far = 0;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > far) {
        far = d;
        worst = i;
      }
    }
    if (worst >= 0 && far > tol) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}
const simple = arcs.map((a) => simplify(a, TOLERANCE));

// 3. Rings of each country.
function ring(indexes) {
  const out = [];
  for (const i of indexes) {
    const arc = i >= 0 ? simple[i] : simple[~i].slice().reverse();
    // Consecutive arcs share their joining point.
    out.push(...(out.length ? arc.slice(1) : arc));
  }
  const q = [];
  for (const [lon, lat] of out) {
    const p = [Math.round(lon * UNITS), Math.round(lat * UNITS)];
    const last = q[q.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) q.push(p);
  }
  if (q.length > 1 && q[0][0] === q[q.length - 1][0] && q[0][1] === q[q.length - 1][1]) q.pop();
  return q.length >= 3 ? q : null;
}

const countries = [];
for (const g of topo.objects.countries.geometries) {
  const polygons = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
  const rings = polygons.flatMap((p) => p.map(ring)).filter(Boolean);
  if (!rings.length) continue;
  const all = rings.flat();
  countries.push({
    name: g.properties.name,
    iso: g.id ? Number(g.id) : 0,
    bbox: [
      Math.min(...all.map((p) => p[0])),
      Math.min(...all.map((p) => p[1])),
      Math.max(...all.map((p) => p[0])),
      Math.max(...all.map((p) => p[1])),
    ],
    rings,
  });
}
countries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.iso - b.iso));

// 4. Bytes.
const bytes = [];
const u8 = (v) => bytes.push(v & 0xff);
const u16 = (v) => {
  u8(v);
  u8(v >> 8);
};
const i16 = (v) => u16(v & 0xffff);
const varint = (v) => {
  while (v >= 0x80) {
    u8((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  u8(v);
};
const zigzag = (v) => varint(v >= 0 ? v * 2 : -v * 2 - 1);

for (const c of 'AGEO') u8(c.charCodeAt(0));
u8(1);
u8(2);
u16(countries.length);
let points = 0;
for (const c of countries) {
  const name = Buffer.from(c.name, 'utf8');
  u8(name.length);
  for (const b of name) u8(b);
  u16(c.iso);
  c.bbox.forEach(i16);
  varint(c.rings.length);
  for (const r of c.rings) {
    varint(r.length);
    let px = 0;
    let py = 0;
    for (const [x, y] of r) {
      zigzag(x - px);
      zigzag(y - py);
      px = x;
      py = y;
      points++;
    }
  }
}
const out = new URL('./countries.bin', import.meta.url);
writeFileSync(out, Buffer.from(bytes));
console.log(`countries.bin: ${countries.length} countries, ${points} points, ${bytes.length} bytes`);
