// A fictional chronology for the browser tests, written as YAML files by
// `node tests/browser/fixture.mjs DIR`. Nothing in it is a fact: names of real places
// are used so that the map has outlines around them, with approximate coordinates;
// the events are invented. It has what the sample lacks: coordinates, an alias that
// only the search can find (Djoura, also written "Dioura"), a unit whose events
// belong on its group's page, 151 events over three years (several pages at
// per_page: 10), an event dated only to the year and a title in another language.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const locations = {
  mali: { name: 'Mali', kind: 'country' },
  'mopti-region': { name: { fr: 'Région de Mopti', en: 'Mopti region' }, kind: 'region', parent: 'mali' },
  mopti: { name: 'Mopti', kind: 'city', parent: 'mopti-region', coordinates: [14.49, -4.2] },
  djoura: { name: 'Djoura', aliases: ['Dioura'], kind: 'town', parent: 'mopti-region', coordinates: [14.3, -4.6] },
  'segou-region': { name: { fr: 'Région de Ségou', en: 'Ségou region' }, kind: 'region', parent: 'mali' },
  segou: { name: 'Ségou', kind: 'city', parent: 'segou-region', coordinates: [13.45, -6.26] },
  niono: { name: 'Niono', kind: 'town', parent: 'segou-region', coordinates: [14.25, -5.99] },
  tombouctou: { name: 'Tombouctou', aliases: ['Timbuktu'], kind: 'city', parent: 'mali', coordinates: [16.77, -3.0] },
  kidal: { name: 'Kidal', kind: 'town', parent: 'mali', coordinates: [18.44, 1.41] },
  bamako: { name: 'Bamako', kind: 'city', parent: 'mali', coordinates: [12.64, -8.0] },
  menaka: { name: 'Ménaka', kind: 'town', parent: 'mali' },
};

export const actors = {
  jnim: { name: { fr: "Groupe de soutien à l'islam et aux musulmans", en: 'Group for the Support of Islam and Muslims' }, short: 'JNIM', kind: 'armed-group' },
  'katiba-macina': { name: 'Katiba Macina', kind: 'armed-group', relations: [['part-of', 'jnim']] },
  fama: { name: { fr: 'Forces armées maliennes', en: 'Malian Armed Forces' }, short: 'FAMa', kind: 'state-force', aliases: ['Armée malienne'] },
  isgs: { name: { fr: 'État islamique au Sahel', en: 'Islamic State Sahel' }, short: 'EIS', kind: 'armed-group' },
  wagner: { name: 'Groupe Wagner', kind: 'private-military', aliases: ['Africa Corps'] },
};

const PLACES = ['djoura', 'mopti', 'segou', 'niono', 'tombouctou', 'kidal', 'bamako', 'menaka'];
const PAIRS = [['jnim', 'fama'], ['katiba-macina', 'fama'], ['isgs', 'fama'], ['fama', 'jnim'], ['wagner', 'jnim']];
const TYPES = [
  ['attack', 'Attaque'],
  ['battle', 'Combats'],
  ['explosion-remote-violence', 'Explosion'],
  ['violence-against-civilians', 'Violences contre des civils'],
  ['strategic-development', 'Déploiement'],
];
const STATUSES = ['reported', 'confirmed', 'claimed', 'disputed'];

function placeName(id) {
  const n = locations[id].name;
  return typeof n === 'string' ? n : n.fr;
}

/** The events, each { id, date, year, type, status, title, summary, locations, actors, claimant }. */
export const events = [];
for (let i = 0; i < 150; i++) {
  const month = i * 36 / 150 | 0; // 0..35: 2023-01 .. 2025-12
  const year = 2023 + (month / 12 | 0);
  const m = String(month % 12 + 1).padStart(2, '0');
  const d = String(1 + (i * 7) % 28).padStart(2, '0');
  const place = PLACES[i % PLACES.length];
  const [actor, other] = PAIRS[i % PAIRS.length];
  const [type, word] = TYPES[(i * 3) % TYPES.length];
  const status = STATUSES[((i / 3) | 0) % STATUSES.length];
  const date = `${year}-${m}-${d}`;
  const slug = `${word.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]+/g, '-')}${place}-${i}`;
  events.push({
    id: `${date}-${slug}`,
    date,
    year,
    type,
    status,
    title: { fr: `${word} à ${placeName(place)}, n° ${i}`, en: `${word} in ${place}, no. ${i}` },
    summary: { fr: `Récit n° ${i} : l'armée et un groupe armé près de ${placeName(place)}.`, en: `Account no. ${i}: the army and an armed group near ${place}.` },
    locations: [place],
    actors: [[actor, 'perpetrator'], [other, 'target']],
    claimant: status === 'claimed' ? actor : null,
  });
}
// Known only to the year, and titled in English only on a French site.
events.push({
  id: '2024-unknown-month-convoy',
  date: '2024',
  year: 2024,
  type: 'attack',
  status: 'reported',
  title: { en: 'Convoy ambushed on the Niono road' },
  summary: null,
  locations: ['niono', 'segou'],
  actors: [['jnim', 'perpetrator']],
  claimant: null,
});

const y = (v) => JSON.stringify(v);
function text(v) {
  if (typeof v === 'string') return ` ${y(v)}`;
  return '\n' + Object.entries(v).map(([k, s]) => `  ${k}: ${y(s)}`).join('\n');
}

export function write(dir) {
  mkdirSync(join(dir, 'events/actors'), { recursive: true });
  mkdirSync(join(dir, 'events/locations'), { recursive: true });
  writeFileSync(join(dir, 'annalist.yaml'), 'title: Chronologie fictive pour les tests\nlanguage: fr\nper_page: 10\n');
  for (const [id, l] of Object.entries(locations)) {
    let s = `name:${text(l.name)}\nkind: ${l.kind}\n`;
    if (l.aliases) s += `aliases: ${y(l.aliases)}\n`;
    if (l.parent) s += `parent: ${l.parent}\n`;
    if (l.coordinates) s += `coordinates: {lat: ${l.coordinates[0]}, lon: ${l.coordinates[1]}}\n`;
    writeFileSync(join(dir, `events/locations/${id}.yaml`), s);
  }
  for (const [id, a] of Object.entries(actors)) {
    let s = `name:${text(a.name)}\n`;
    if (a.short) s += `short_name: ${y(a.short)}\n`;
    if (a.aliases) s += `aliases: ${y(a.aliases)}\n`;
    s += `kind: ${a.kind}\n`;
    if (a.relations) s += 'relations:\n' + a.relations.map(([t, target]) => `  - type: ${t}\n    target: ${target}\n`).join('');
    writeFileSync(join(dir, `events/actors/${id}.yaml`), s);
  }
  for (const e of events) {
    mkdirSync(join(dir, `events/${e.year}`), { recursive: true });
    let s = `title:${text(e.title)}\n`;
    if (e.summary) s += `summary:${text(e.summary)}\n`;
    s += `date: ${y(e.date)}\ntype: ${e.type}\nstatus: ${e.status}\nlocations: [${e.locations.join(', ')}]\nactors:\n`;
    s += e.actors.map(([id, role]) => `  - id: ${id}\n    role: ${role}\n`).join('');
    if (e.claimant) s += `claims:\n  - claimant: ${e.claimant}\n    claim: "Revendication fictive."\n`;
    s += 'sources:\n  - publisher: Source fictive\n';
    writeFileSync(join(dir, `events/${e.year}/${e.id}.yaml`), s);
  }
}

// Ground truth, computed here from the definitions above, independently of annalist.

function ancestors(id) {
  const out = [];
  for (let p = locations[id].parent; p; p = locations[p].parent) out.push(p);
  return out;
}

/** Actors whose page lists the event: its actors, its claimant, and groups of its units. */
export function actorsOf(e) {
  const set = new Set(e.actors.map(([a]) => a));
  if (e.claimant) set.add(e.claimant);
  for (const a of [...set]) {
    for (const [t, target] of actors[a].relations || []) if (t === 'part-of') set.add(target);
  }
  return set;
}

export function placesOf(e) {
  return new Set(e.locations.flatMap((l) => [l, ...ancestors(l)]));
}

if (process.argv[2]) write(process.argv[2]);
