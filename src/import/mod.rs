//! `annalist import`: turns a dataset export (UCDP GED, ACLED, or annalist's own
//! `data/events.csv`) into event, actor and location files that editors then curate
//! by hand.
//!
//! Each CSV row becomes one event file, `events/<year>/<id>.yaml`, whose first line
//! records where it came from and the SHA-256 of the generated text below that line:
//!
//! ```text
//! # imported from UCDP GED 23.1 row 237564; sha256 of the generated content: 5e1f…
//! ```
//!
//! Re-importing is safe: a file whose text still has that hash was not touched by
//! anyone and may be replaced by what the dataset now says; a file edited by hand is
//! kept as it is and reported (with `--update`, with a diff of what the dataset now
//! says). Actors and locations are matched with those already in the chronology (by
//! id, name and alias, ignoring case and accents) and created only when missing;
//! existing files of actors and locations are never rewritten, and nothing is ever
//! deleted. Every generated file is read back with the loader before anything is
//! written, so an import never leaves a file that `annalist check` refuses.

mod acled;
mod annalist_csv;
mod diff;
mod hash;
mod markdown;
mod ucdp;

use crate::date::EventDate;
use crate::diag::plural;
use crate::error::Error;
use crate::load;
use crate::model::{
    self, ActorKind, CasualtyKind, EventType, Figure, LocationKind, Role, Status, slugify,
};
use crate::span::Known;
use crate::yaml_out::{self, MapBuilder, Node};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use hash::sha256_hex;

/// The kind of file to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UCDP Georeferenced Event Dataset (GED) CSV, e.g. `GEDEvent_v23_1.csv`.
    Ucdp,
    /// ACLED export (CSV with ACLED's codebook columns).
    Acled,
    /// annalist's own `data/events.csv` export.
    Annalist,
}

/// What `annalist import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    /// The CSV file to read.
    pub file: PathBuf,
    /// The chronology folder (the one holding `events/`).
    pub root: PathBuf,
    /// Show, for each event edited by hand, a diff of what the dataset now says.
    pub update: bool,
    /// The dataset's version (UCDP GED `23.1`), when the file name does not say it.
    pub dataset_version: Option<String>,
}

/// How many rows went where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// New event files written.
    pub imported: usize,
    /// Event files untouched since their import, rewritten because the dataset changed.
    pub updated: usize,
    /// Event files already present with exactly the dataset's content.
    pub matched: usize,
    /// Event files edited by hand, left as they are.
    pub kept: usize,
    /// Rows that could not be imported.
    pub skipped: usize,
    pub actors_created: usize,
    pub locations_created: usize,
}

/// What an import did, for the command line to print.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub counts: Counts,
    /// Problems and warnings, one per line (`line 9: skipped: ...`), for stderr.
    pub problems: Vec<String>,
    /// What happened to existing files, and the diffs asked for, for stdout.
    pub report: String,
}

impl ImportOutcome {
    /// `7 imported, 0 updated, 0 matched, 0 kept (edited by hand), 1 skipped; created 4 actors, 8 locations`
    pub fn summary(&self) -> String {
        let c = &self.counts;
        format!(
            "{} imported, {} updated, {} matched, {} kept (edited by hand), {} skipped; created {}, {}",
            c.imported,
            c.updated,
            c.matched,
            c.kept,
            c.skipped,
            plural(c.actors_created, "actor", "actors"),
            plural(c.locations_created, "location", "locations"),
        )
    }
}

// ---------------------------------------------------------------------------------
// What a dataset row says, before actors and locations are matched

/// An actor as a row names it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActorSpec {
    pub name: String,
    /// An acronym the row gives with the name (ACLED's `JNIM: Group for…`).
    pub short_name: Option<String>,
    /// The exact id to use (annalist's own export gives ids, not names).
    pub id: Option<String>,
    pub kind: Option<ActorKind>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

impl ActorSpec {
    pub fn named(name: &str) -> Self {
        ActorSpec {
            name: name.to_string(),
            short_name: None,
            id: None,
            kind: None,
            aliases: Vec::new(),
            description: None,
        }
    }
}

/// A place as a row names it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlaceSpec {
    pub name: String,
    pub id: Option<String>,
    pub kind: LocationKind,
    pub aliases: Vec<String>,
    pub coordinates: Option<(f64, f64)>,
    pub description: Option<String>,
}

impl PlaceSpec {
    pub fn new(name: &str, kind: LocationKind) -> Self {
        PlaceSpec {
            name: name.to_string(),
            id: None,
            kind,
            aliases: Vec::new(),
            coordinates: None,
            description: None,
        }
    }
}

/// Whose casualties: an index into the row's actors, or civilians.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhoSpec {
    Civilians,
    /// A total over every side of the event.
    All,
    /// Deaths the dataset does not attribute to a side.
    Unknown,
    Actor(usize),
}

/// Who gives a figure: one of the row's sources (1-based) or one of its actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrSpec {
    Source(usize),
    Actor(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CasualtySpec {
    pub who: WhoSpec,
    pub what: CasualtyKind,
    pub figure: Figure,
    pub according_to: Option<AttrSpec>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SourceSpec {
    pub publisher: String,
    pub title: Option<String>,
    /// A date as written in files (checked).
    pub date: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
}

/// One row, read and checked: everything an event file needs, with actors and
/// places still by name.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub id: String,
    /// `UCDP GED 23.1 row 237564`, for the first line of the file.
    pub provenance: String,
    /// `ucdp-237564`: the part of the id that names the dataset row, which finds the
    /// event's file again when the dataset changes its date or place (and so the rest
    /// of the id); ids are permanent addresses and are never changed.
    pub token: Option<String>,
    pub title: String,
    pub summary: Option<String>,
    pub date: EventDate,
    pub time: Option<String>,
    pub event_type: EventType,
    pub status: Status,
    /// Each location as a chain from the place itself up to its country.
    pub places: Vec<Vec<PlaceSpec>>,
    pub actors: Vec<ActorSpec>,
    /// (index into `actors`, role, note)
    pub participants: Vec<(usize, Role, Option<String>)>,
    /// (index into `actors`, what is claimed)
    pub claims: Vec<(usize, String)>,
    pub casualties: Vec<CasualtySpec>,
    pub sources: Vec<SourceSpec>,
    pub tags: Vec<String>,
    pub body: Option<String>,
}

impl Draft {
    /// The index of `spec` in the row's actors, adding it if it is not there yet.
    pub fn actor(&mut self, spec: ActorSpec) -> usize {
        if let Some(i) = self.actors.iter().position(|a| a == &spec) {
            return i;
        }
        self.actors.push(spec);
        self.actors.len() - 1
    }
}

/// One CSV record with its header.
pub(crate) struct Record<'a> {
    fields: &'a [String],
    columns: &'a HashMap<String, usize>,
}

impl Record<'_> {
    /// The raw value of `column` (empty when the file has no such column).
    pub fn raw(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The value of `column` without surrounding spaces.
    pub fn get(&self, column: &str) -> &str {
        self.raw(column).trim()
    }

    /// The value of `column`, which must not be empty.
    pub fn required(&self, column: &str) -> Result<&str, String> {
        let v = self.get(column);
        if v.is_empty() {
            Err(format!("the column `{column}` is empty"))
        } else {
            Ok(v)
        }
    }

    /// A whole number from `column`, which must not be empty (`3` and `3.0` are read).
    pub fn count(&self, column: &str) -> Result<u64, String> {
        let v = self.required(column)?;
        parse_count(v).ok_or_else(|| format!("`{v}` in `{column}` is not a whole number"))
    }

    /// A whole number from `column`, or nothing when it is empty.
    pub fn opt_count(&self, column: &str) -> Result<Option<u64>, String> {
        if self.get(column).is_empty() {
            Ok(None)
        } else {
            self.count(column).map(Some)
        }
    }

    /// A decimal number from `column`, or nothing when it is empty.
    pub fn opt_decimal(&self, column: &str) -> Result<Option<f64>, String> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!("`{v}` in `{column}` is not a number")),
        }
    }
}

fn parse_count(v: &str) -> Option<u64> {
    v.parse::<u64>().ok().or_else(|| {
        v.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0 && x.fract() == 0.0 && *x < 1e15)
            .map(|x| x as u64)
    })
}

/// Latitude and longitude from two columns: both or neither, within range.
pub(crate) fn coordinates(
    r: &Record,
    lat_col: &str,
    lon_col: &str,
) -> Result<Option<(f64, f64)>, String> {
    match (r.opt_decimal(lat_col)?, r.opt_decimal(lon_col)?) {
        (Some(lat), Some(lon)) => {
            if lat.abs() > 90.0 {
                return Err(format!("the latitude `{lat}` is not between -90 and 90"));
            }
            if lon.abs() > 180.0 {
                return Err(format!("the longitude `{lon}` is not between -180 and 180"));
            }
            Ok(Some((lat, lon)))
        }
        (None, None) => Ok(None),
        _ => Err(format!("only one of `{lat_col}` and `{lon_col}` is given")),
    }
}

/// Whitespace (line breaks too) collapsed to single spaces, for one-line texts.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id of an event: its date as written, then `prefix`, then words, kept under the
/// length limit of ids.
pub(crate) fn event_id(date: &EventDate, parts: &[&str]) -> String {
    let written = date.start().to_iso();
    let mut id = written;
    for p in parts {
        let s = slugify(p);
        if s.is_empty() {
            continue;
        }
        if id.len() + 1 + s.len() > 100 {
            // Cut the last part at a word boundary.
            let room = 100usize.saturating_sub(id.len() + 1);
            let cut: String = s.chars().take(room).collect();
            let cut = match cut.rfind('-') {
                Some(i) if cut.len() < s.len() => cut[..i].to_string(),
                _ => cut,
            };
            let cut = cut.trim_matches('-');
            if !cut.is_empty() {
                id.push('-');
                id.push_str(cut);
            }
            break;
        }
        id.push('-');
        id.push_str(&s);
    }
    id
}

/// Kind words that UCDP and others append to place names (`Boulikessi village`,
/// `Douentza cercle`), stripped to match a place written without them.
const KIND_WORDS: &[&str] = &[
    "village",
    "town",
    "city",
    "cercle",
    "district",
    "region",
    "province",
    "prefecture",
    "department",
    "county",
    "governorate",
    "state",
    "commune",
];

/// `name` without a trailing kind word, and the kind word.
pub(crate) fn strip_kind_word(name: &str) -> (&str, Option<&'static str>) {
    let trimmed = name.trim();
    if let Some((head, last)) = trimmed.rsplit_once(' ') {
        let lower = last.to_lowercase();
        if let Some(w) = KIND_WORDS.iter().find(|w| **w == lower)
            && !head.trim().is_empty()
        {
            return (head.trim(), Some(w));
        }
    }
    (trimmed, None)
}

/// The keys an actor's name is matched by.
fn actor_keys(name: &str) -> Vec<String> {
    let key = slugify(name);
    if key.is_empty() {
        Vec::new()
    } else {
        vec![key]
    }
}

/// The keys a place is registered under: the slug of its name, and, when the name
/// ends with a kind word (`Mopti region`), its bare name marked with `~` (`~mopti`).
fn match_keys(name: &str) -> Vec<String> {
    let mut keys = vec![slugify(name)];
    if let (bare, Some(_)) = strip_kind_word(name) {
        keys.push(format!("~{}", slugify(bare)));
    }
    keys.retain(|k| !k.is_empty() && k != "~");
    keys
}

/// The keys a place name is looked up by. `Mopti region` finds a place named `Mopti`
/// or `Mopti region`; `Mopti` finds a place named `Mopti`, `Mopti region` or `Mopti
/// cercle` (the kind then decides); but `Mopti cercle` never finds `Mopti commune`.
fn lookup_keys(name: &str) -> Vec<String> {
    let full = slugify(name);
    let mut keys = vec![full.clone()];
    match strip_kind_word(name) {
        (bare, Some(_)) => keys.push(slugify(bare)),
        (_, None) => keys.push(format!("~{full}")),
    }
    keys.retain(|k| !k.is_empty() && k != "~");
    keys
}

// ---------------------------------------------------------------------------------
// Matching actors and locations

/// Which location kinds may be the same place: villages, towns, cities and sites are
/// interchangeable (sources disagree); administrative units only match their own kind;
/// an `area` matches anything.
fn kinds_compatible(a: Option<LocationKind>, b: LocationKind) -> bool {
    use LocationKind::*;
    let Some(a) = a else { return true };
    let place = |k: LocationKind| matches!(k, Village | Town | City | Site);
    a == b || (place(a) && place(b)) || a == Area || b == Area
}

#[derive(Debug, Clone)]
enum NewEntry {
    Actor(ActorSpec),
    Location(PlaceSpec),
}

#[derive(Debug, Clone)]
struct Entry {
    id: String,
    /// For locations: the kind (None for a file that did not parse).
    kind: Option<LocationKind>,
    parent: Option<String>,
    keys: Vec<String>,
    /// Set for entries this import creates; None for files already there.
    new: Option<NewEntry>,
    /// The row that created it, for the comment line of its file.
    origin: String,
}

/// The actors (or the locations) of the chronology and those the import creates,
/// with the keys they are matched by.
#[derive(Debug, Default)]
struct Registry {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    by_key: HashMap<String, Vec<usize>>,
    /// Ids of files that exist, read or not: never created again.
    taken: BTreeSet<String>,
}

impl Registry {
    fn add(&mut self, entry: Entry) -> usize {
        let i = self.entries.len();
        self.by_id.entry(entry.id.clone()).or_insert(i);
        for k in &entry.keys {
            self.by_key.entry(k.clone()).or_default().push(i);
        }
        self.entries.push(entry);
        i
    }

    fn mark(&self) -> usize {
        self.entries.len()
    }

    /// Forgets what was created since `mark`.
    fn rollback(&mut self, mark: usize) {
        for e in self.entries.drain(mark..) {
            if self.by_id.get(&e.id).is_some_and(|&i| i >= mark) {
                self.by_id.remove(&e.id);
            }
            for k in &e.keys {
                if let Some(v) = self.by_key.get_mut(k) {
                    v.retain(|&i| i < mark);
                }
            }
        }
    }

    fn is_free(&self, id: &str) -> bool {
        !self.by_id.contains_key(id) && !self.taken.contains(id)
    }

    /// A new id from `base`, with `-<kind>` or a number added when it is taken.
    fn fresh_id(&self, base: &str, kind: Option<&str>, fallback: &str) -> String {
        let mut base: String = if base.is_empty() {
            fallback.to_string()
        } else {
            base.chars().take(100).collect::<String>()
        };
        while base.ends_with('-') {
            base.pop();
        }
        if self.is_free(&base) {
            return base;
        }
        if let Some(k) = kind {
            let with_kind = format!("{base}-{k}");
            if self.is_free(&with_kind) {
                return with_kind;
            }
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| self.is_free(id))
            .unwrap_or_else(|| unreachable!("an unbounded range yields a free id"))
    }

    /// The first entry under one of `keys` that `accept` takes: by id first, then by
    /// name and alias.
    fn find(&self, keys: &[String], accept: impl Fn(&Entry) -> bool) -> Option<String> {
        for k in keys {
            if let Some(&i) = self.by_id.get(k)
                && accept(&self.entries[i])
            {
                return Some(self.entries[i].id.clone());
            }
        }
        for k in keys {
            if let Some(found) = self
                .by_key
                .get(k)
                .and_then(|v| v.iter().find(|&&i| accept(&self.entries[i])))
            {
                return Some(self.entries[*found].id.clone());
            }
        }
        // A file that exists but did not parse: its id still names it.
        keys.iter()
            .find(|k| self.taken.contains(*k) && !self.by_id.contains_key(*k))
            .cloned()
    }

    fn resolve_actor(&mut self, spec: &ActorSpec, origin: &str) -> String {
        if let Some(id) = &spec.id {
            if self.by_id.contains_key(id) || self.taken.contains(id) {
                return id.clone();
            }
        } else {
            let mut keys = actor_keys(&spec.name);
            for a in spec.short_name.iter().chain(&spec.aliases) {
                keys.extend(actor_keys(a));
            }
            if let Some(id) = self.find(&keys, |_| true) {
                return id;
            }
        }
        let id = match &spec.id {
            Some(id) => id.clone(),
            None => self.fresh_id(&slugify(&spec.name), None, "actor"),
        };
        let mut keys = vec![id.clone()];
        keys.extend(actor_keys(&spec.name));
        for a in spec.short_name.iter().chain(&spec.aliases) {
            keys.extend(actor_keys(a));
        }
        self.add(Entry {
            id: id.clone(),
            kind: None,
            parent: None,
            keys,
            new: Some(NewEntry::Actor(spec.clone())),
            origin: origin.to_string(),
        });
        id
    }

    fn resolve_place(&mut self, spec: &PlaceSpec, parent: Option<&str>, origin: &str) -> String {
        if let Some(id) = &spec.id {
            if self.by_id.contains_key(id) {
                return id.clone();
            }
            if self.taken.contains(id) {
                return id.clone();
            }
        } else {
            let mut keys = lookup_keys(&spec.name);
            for a in &spec.aliases {
                keys.extend(lookup_keys(a));
            }
            if let Some(id) = self.find(&keys, |e| kinds_compatible(e.kind, spec.kind)) {
                return id;
            }
        }
        let id = match &spec.id {
            Some(id) => id.clone(),
            None => self.fresh_id(&slugify(&spec.name), Some(spec.kind.key()), "place"),
        };
        let mut keys = vec![id.clone()];
        keys.extend(match_keys(&spec.name));
        for a in &spec.aliases {
            keys.extend(match_keys(a));
        }
        self.add(Entry {
            id: id.clone(),
            kind: Some(spec.kind),
            parent: parent.map(str::to_string),
            keys,
            new: Some(NewEntry::Location(spec.clone())),
            origin: origin.to_string(),
        });
        id
    }
}

fn actor_registry(loaded: &load::Loaded) -> Registry {
    let mut r = Registry {
        taken: loaded.known.actors.iter().cloned().collect(),
        ..Registry::default()
    };
    for a in loaded.actors.values() {
        r.add(Entry {
            id: a.id.clone(),
            kind: None,
            parent: None,
            keys: actor_file_keys(&a.id, &a.data),
            new: None,
            origin: String::new(),
        });
    }
    r
}

/// The keys an actor file is found by: its id, its names and short names in every
/// language, its aliases, and the names it bore before (or after): a row naming ISGS
/// by its old name finds the file now called "Islamic State Sahel Province".
fn actor_file_keys(id: &str, a: &model::ActorFile) -> Vec<String> {
    let texts = a
        .name
        .all()
        .into_iter()
        .chain(a.short_name.iter().flat_map(model::Text::all))
        .chain(a.aliases.iter().map(|al| al.value.0.as_str()))
        .chain(crate::names::every_text(&a.names));
    file_keys(id, texts, actor_keys)
}

/// The keys a place file is found by: its id, its names, aliases and former names
/// (a commune renamed still matches rows that use its old name).
fn location_file_keys(id: &str, l: &model::LocationFile) -> Vec<String> {
    let texts = l
        .name
        .all()
        .into_iter()
        .chain(l.aliases.iter().map(|al| al.value.0.as_str()))
        .chain(crate::names::every_text(&l.names));
    file_keys(id, texts, match_keys)
}

/// The keys of a file: its id, then `keys_of` each of its texts.
fn file_keys<'a>(
    id: &str,
    texts: impl Iterator<Item = &'a str>,
    keys_of: fn(&str) -> Vec<String>,
) -> Vec<String> {
    let mut keys = vec![id.to_string()];
    keys.extend(texts.flat_map(keys_of));
    keys
}

fn location_registry(loaded: &load::Loaded) -> Registry {
    let mut r = Registry {
        taken: loaded.known.locations.iter().cloned().collect(),
        ..Registry::default()
    };
    for l in loaded.locations.values() {
        r.add(Entry {
            id: l.id.clone(),
            kind: Some(l.data.kind),
            parent: l
                .data
                .parent
                .as_ref()
                .map(|p| p.value.0.as_str().to_string()),
            keys: location_file_keys(&l.id, &l.data),
            new: None,
            origin: String::new(),
        });
    }
    r
}

// ---------------------------------------------------------------------------------
// Writing files

/// The text of an event file (without its first comment line), with the ids the
/// row's actors and places were matched to.
fn event_yaml(d: &Draft, actor_ids: &[String], location_ids: &[String]) -> String {
    let who = |w: WhoSpec| match w {
        WhoSpec::Civilians => "civilians".to_string(),
        WhoSpec::All => "all".to_string(),
        WhoSpec::Unknown => "unknown".to_string(),
        WhoSpec::Actor(i) => actor_ids[i].clone(),
    };
    let actors: Vec<Node> = d
        .participants
        .iter()
        .map(|(i, role, note)| {
            MapBuilder::new()
                .text("id", actor_ids[*i].clone())
                .text("role", role.key())
                .opt("note", note.clone())
                .build()
        })
        .collect();
    let claims: Vec<Node> = d
        .claims
        .iter()
        .map(|(i, claim)| {
            MapBuilder::new()
                .text("claimant", actor_ids[*i].clone())
                .text("claim", claim.clone())
                .build()
        })
        .collect();
    let casualties: Vec<Node> = d
        .casualties
        .iter()
        .map(|c| {
            let according = c.according_to.map(|a| match a {
                AttrSpec::Source(n) => Node::Raw(format!("{{source: {n}}}")),
                AttrSpec::Actor(i) => Node::str(actor_ids[i].clone()),
            });
            let mut m = MapBuilder::new()
                .text("who", who(c.who))
                .text("what", c.what.key())
                .text("figure", c.figure.to_source());
            if let Some(a) = according {
                m = m.put("according_to", a);
            }
            m.opt("note", c.note.clone()).build()
        })
        .collect();
    let sources: Vec<Node> = d
        .sources
        .iter()
        .map(|s| {
            MapBuilder::new()
                .text("publisher", s.publisher.clone())
                .opt("title", s.title.clone())
                .opt("date", s.date.clone())
                .opt("language", s.language.clone())
                .opt("url", s.url.clone())
                .build()
        })
        .collect();
    let doc = MapBuilder::new()
        .text("title", d.title.clone())
        .opt("summary", d.summary.clone())
        .text("date", d.date.to_edtf())
        .opt("time", d.time.clone())
        .text("type", d.event_type.key())
        .text("status", d.status.key())
        .put("locations", Node::Flow(location_ids.to_vec()))
        .put("actors", Node::List(actors))
        .put("claims", Node::List(claims))
        .put("casualties", Node::List(casualties))
        .put("sources", Node::List(sources))
        .put("tags", Node::Flow(d.tags.clone()))
        .opt("body", d.body.clone())
        .build();
    yaml_out::document(&doc)
}

fn actor_yaml(spec: &ActorSpec, origin: &str) -> String {
    let doc = MapBuilder::new()
        .text("name", spec.name.clone())
        .opt("short_name", spec.short_name.clone())
        .put(
            "aliases",
            Node::List(spec.aliases.iter().map(Node::str).collect()),
        )
        .opt("kind", spec.kind.map(|k| k.key()))
        .opt("description", spec.description.clone())
        .build();
    format!(
        "# created by annalist import from {origin}\n{}",
        yaml_out::document(&doc)
    )
}

fn location_yaml(spec: &PlaceSpec, parent: Option<&str>, origin: &str) -> String {
    let doc = MapBuilder::new()
        .text("name", spec.name.clone())
        .put(
            "aliases",
            Node::List(spec.aliases.iter().map(Node::str).collect()),
        )
        .text("kind", spec.kind.key())
        .opt("parent", parent)
        .put(
            "coordinates",
            match spec.coordinates {
                Some((lat, lon)) => Node::Raw(format!("{{lat: {lat}, lon: {lon}}}")),
                None => Node::Raw(String::new()),
            },
        )
        .opt("description", spec.description.clone())
        .build();
    format!(
        "# created by annalist import from {origin}\n{}",
        yaml_out::document(&doc)
    )
}

const HASH_MARK: &str = "sha256 of the generated content: ";

/// The whole file: the comment line with the hash, then the content.
fn with_header(provenance: &str, content: &str) -> String {
    format!(
        "# imported from {provenance}; {HASH_MARK}{}\n{content}",
        sha256_hex(content.as_bytes())
    )
}

/// Whether `text` is exactly what an import wrote: its first line records the hash of
/// the rest.
pub fn untouched(text: &str) -> bool {
    let Some((first, rest)) = text.split_once('\n') else {
        return false;
    };
    if !first.starts_with("# imported from ") {
        return false;
    }
    match first.split_once(HASH_MARK) {
        Some((_, hex)) => hex.trim() == sha256_hex(rest.as_bytes()),
        None => false,
    }
}

/// Where each event file is, by id, as the loader finds it (`layout::discover`).
fn existing_events(events_dir: &Path) -> BTreeMap<String, PathBuf> {
    let root = events_dir.parent().unwrap_or(Path::new(""));
    crate::layout::discover(root)
        .entries
        .into_iter()
        .filter(|e| e.kind == crate::layout::Kind::Event)
        .map(|e| (e.id, root.join(e.path)))
        .collect()
}

/// The dataset rows named in event ids: `2017-03-29-ucdp-237564-boulikessi` gives
/// `ucdp-237564` → that id.
fn row_tokens<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for id in ids {
        if let Some(t) = row_token(id) {
            out.entry(t).or_insert_with(|| id.clone());
        }
    }
    out
}

/// `ucdp-237564` in `2017-03-29-ucdp-237564-boulikessi`.
pub(crate) fn row_token(id: &str) -> Option<String> {
    let parts: Vec<&str> = id.split('-').collect();
    let i = parts.iter().position(|p| *p == "ucdp" || *p == "acled")?;
    parts.get(i + 1).map(|row| format!("{}-{row}", parts[i]))
}

/// Writes a new file (see [`crate::new_file::create`]): an import never replaces a
/// file it did not check first, nor writes through a link.
fn write_new(root: &Path, path: &Path, text: &str) -> Result<(), Error> {
    crate::new_file::create(root, path, text.as_bytes()).map_err(|e| write_error(path, e))
}

/// Replaces a file through a new temporary file beside it (see
/// [`crate::new_file::replace`]), so that a failure never leaves half a file and a link
/// planted at the temporary name is never followed.
fn replace(root: &Path, path: &Path, text: &str) -> Result<(), Error> {
    crate::new_file::replace(root, path, text.as_bytes()).map_err(|e| write_error(path, e))
}

fn write_error(path: &Path, e: crate::new_file::NewFileError) -> Error {
    use crate::new_file::NewFileError;
    match e {
        NewFileError::Folder(dir, e) => {
            Error::new(format!("cannot create the folder {}: {e}", dir.display()))
        }
        NewFileError::Link(at) => {
            let (message, help) = crate::new_file::link_message(&at);
            Error::new(message).help(help)
        }
        NewFileError::Exists(e) | NewFileError::Create(e) => {
            Error::new(format!("cannot create {}: {e}", path.display()))
        }
        NewFileError::Write(e) => Error::new(format!("cannot write {}: {e}", path.display())),
    }
}

// ---------------------------------------------------------------------------------
// The import

/// What a dataset module needs to know besides the row.
pub(crate) struct Context {
    /// UCDP GED version (`23.1`), when known.
    pub version: Option<String>,
}

fn relative(root: &Path, path: &Path) -> String {
    load::relative(root, path).display().to_string()
}

/// The columns every row of `format` needs.
fn required_columns(format: Format) -> &'static [&'static str] {
    match format {
        Format::Ucdp => ucdp::REQUIRED,
        Format::Acled => acled::REQUIRED,
        Format::Annalist => annalist_csv::REQUIRED,
    }
}

/// The UCDP GED version in a file name: `GEDEvent_v23_1.csv`, `ged231-csv`, `ged-23.1`.
pub fn version_from_file_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let b = name.as_bytes();
    let digits = |i: usize, n: usize| {
        b.get(i..i + n)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    for i in 0..b.len() {
        // v23_1 / v23.1 / v23-1
        if b[i] == b'v'
            && digits(i + 1, 2)
            && matches!(b.get(i + 3), Some(b'_' | b'.' | b'-'))
            && digits(i + 4, 1)
            && !digits(i + 5, 1)
        {
            return Some(format!("{}.{}", &name[i + 1..i + 3], &name[i + 4..i + 5]));
        }
        // ged231
        if b[i..].starts_with(b"ged") && digits(i + 3, 3) && !digits(i + 6, 1) {
            return Some(format!("{}.{}", &name[i + 3..i + 5], &name[i + 5..i + 6]));
        }
        // 23.1 standing alone
        if (i == 0 || !b[i - 1].is_ascii_digit())
            && digits(i, 2)
            && b.get(i + 2) == Some(&b'.')
            && digits(i + 3, 1)
            && !digits(i + 4, 1)
        {
            return Some(name[i..i + 4].to_string());
        }
    }
    None
}

/// Imports `opts.file` into the chronology at `opts.root`.
pub fn run(opts: &ImportOptions) -> Result<ImportOutcome, Error> {
    require_root(&opts.root)?;
    let mut outcome = ImportOutcome::default();
    let (mut reader, header) = open_csv(opts)?;
    let ctx = Context {
        version: dataset_version(opts, &mut outcome),
    };
    let events_dir = opts.root.join("events");
    create_events_dir(&events_dir, &mut outcome)?;
    let mut chronology = Chronology::read(&opts.root, &events_dir);
    let mut record = csv::ByteRecord::new();
    while next_record(&mut reader, &mut record, &opts.file)? {
        let line = record.position().map_or(0, |p| line_at(&mut reader, p));
        let row = match read_row(opts.format, &header, &record, &ctx) {
            Ok(draft) => import_row(opts, &draft, line, &mut chronology, &mut outcome),
            Err(why) => Err(RowError::Skipped(why)),
        };
        match row {
            Ok(()) => {}
            Err(RowError::Skipped(why)) => outcome.skip(line, why),
            Err(RowError::Failed(e)) => return Err(e),
        }
    }
    if outcome.counts.kept > 0 && !opts.update {
        outcome.report.push_str(
            "(run the import again with --update to see what the dataset now says about the files kept)\n",
        );
    }
    Ok(outcome)
}

impl ImportOutcome {
    /// Counts a row that was not imported, and says why.
    fn skip(&mut self, line: u64, why: String) {
        self.counts.skipped += 1;
        self.problems.push(format!("line {line}: skipped: {why}"));
    }
}

/// Why a row was not imported: the row's own problem (reported, the import goes on),
/// or a failure that stops the import (a file that cannot be written).
enum RowError {
    Skipped(String),
    Failed(Error),
}

impl From<Error> for RowError {
    fn from(e: Error) -> Self {
        RowError::Failed(e)
    }
}

fn require_root(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Error::new(format!(
        "the chronology folder {} does not exist",
        root.display()
    ))
    .help("create it, or pass an existing folder with `--into`"))
}

/// The columns of the CSV file: their names in order, and the first column of each
/// name.
struct Header {
    names: Vec<String>,
    columns: HashMap<String, usize>,
}

/// Opens the CSV file and reads its header, which must name every column the format
/// needs.
/// The CSV file under the reader, noting where a line ends with CR LF: the csv crate
/// ends a record at the CR and counts the LF with the next record, so the line it gives
/// a record that follows a CR LF is one too low.
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    last: u8,
    /// The offsets of the LFs that follow a CR, not yet passed by the reader.
    crlf: std::collections::VecDeque<u64>,
}

impl<R: std::io::Read> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' && self.last == b'\r' {
                self.crlf.push_back(self.offset);
            }
            self.last = b;
            self.offset += 1;
        }
        Ok(n)
    }
}

type CsvReader = csv::Reader<Lines<std::fs::File>>;

/// The line of the file at `pos`, a position the csv crate gave (see [`Lines`]).
fn line_at(reader: &mut CsvReader, pos: &csv::Position) -> u64 {
    let crlf = &mut reader.get_mut().crlf;
    while crlf.front().is_some_and(|&o| o < pos.byte()) {
        crlf.pop_front();
    }
    pos.line() + u64::from(crlf.front() == Some(&pos.byte()))
}

fn open_csv(opts: &ImportOptions) -> Result<(CsvReader, Header), Error> {
    let cannot_read =
        |e: csv::Error| Error::new(format!("cannot read {}: {e}", opts.file.display()));
    let file = std::fs::File::open(&opts.file)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", opts.file.display())))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(Lines {
            inner: file,
            offset: 0,
            last: 0,
            crlf: std::collections::VecDeque::new(),
        });
    let names: Vec<String> = reader
        .byte_headers()
        .map_err(cannot_read)?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string()
        })
        .collect();
    let mut columns = HashMap::new();
    for (i, h) in names.iter().enumerate() {
        columns.entry(h.clone()).or_insert(i);
    }
    let missing: Vec<&str> = required_columns(opts.format)
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        let what = match opts.format {
            Format::Ucdp => "a UCDP GED CSV",
            Format::Acled => "an ACLED CSV export",
            Format::Annalist => "annalist's data/events.csv",
        };
        return Err(Error::new(format!(
            "{} has no column {}",
            opts.file.display(),
            missing
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help(format!(
            "is it {what}? The first line must name the columns"
        )));
    }
    Ok((reader, Header { names, columns }))
}

/// The dataset's version: given, or (for UCDP GED) read from the file name, with a
/// warning when it is neither.
fn dataset_version(opts: &ImportOptions, outcome: &mut ImportOutcome) -> Option<String> {
    if opts.format != Format::Ucdp {
        return opts.dataset_version.clone();
    }
    let v = opts
        .dataset_version
        .clone()
        .or_else(|| version_from_file_name(&opts.file));
    if v.is_none() {
        outcome.problems.push(format!(
            "warning: the UCDP GED version is not in the file name {}; the events cite GED without a version (pass `--dataset-version 23.1` to record it)",
            opts.file.display()
        ));
    }
    v
}

fn create_events_dir(events_dir: &Path, outcome: &mut ImportOutcome) -> Result<(), Error> {
    if events_dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(events_dir)
        .map_err(|e| Error::new(format!("cannot create {}: {e}", events_dir.display())))?;
    outcome
        .problems
        .push(format!("note: created the folder {}", events_dir.display()));
    Ok(())
}

/// Reads the next record into `record`; false at the end of the file. A record the
/// CSV reader cannot read stops the import.
fn next_record(
    reader: &mut CsvReader,
    record: &mut csv::ByteRecord,
    file: &Path,
) -> Result<bool, Error> {
    reader.read_byte_record(record).map_err(|e| {
        let at = match e.position() {
            Some(p) => format!(" at line {}", line_at(reader, p)),
            None => String::new(),
        };
        Error::new(format!("cannot read {}{at}: {e}", file.display()))
    })
}

/// `s` in Unicode NFC, the form editors' keyboards type: a row's `Se\u{301}gou` and a
/// file's `Ségou` are then one text in the keys, the comparisons and the new files.
fn nfc(s: String) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// One record read by the dataset's module into a draft event, or why it cannot be.
fn read_row(
    format: Format,
    header: &Header,
    record: &csv::ByteRecord,
    ctx: &Context,
) -> Result<Draft, String> {
    if record.len() != header.names.len() {
        return Err(format!(
            "the row has {} fields, the header has {}",
            record.len(),
            header.names.len()
        ));
    }
    let fields = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            String::from_utf8(f.to_vec())
                .map(nfc)
                .map_err(|_| format!("the column `{}` is not UTF-8 text", header.names[i]))
        })
        .collect::<Result<Vec<String>, String>>()?;
    let row = Record {
        fields: &fields,
        columns: &header.columns,
    };
    let draft = match format {
        Format::Ucdp => ucdp::parse(&row, ctx),
        Format::Acled => acled::parse(&row, ctx),
        Format::Annalist => annalist_csv::parse(&row, ctx),
    }?;
    if !model::is_valid_id(&draft.id) {
        return Err(format!("`{}` is not a valid event id", draft.id));
    }
    Ok(draft)
}

/// What the import knows of the chronology, and learns as rows are imported.
struct Chronology {
    root: PathBuf,
    events_dir: PathBuf,
    actors: Registry,
    locations: Registry,
    /// The event files there were before the import, by id.
    existing: BTreeMap<String, PathBuf>,
    /// The dataset rows named in those ids (see [`row_tokens`]).
    tokens: HashMap<String, String>,
    /// The ids the loader accepts in references: those of the chronology and those
    /// this import has created so far.
    known: Arc<Known>,
    /// The line of the file each row was first seen at, by row token (or id).
    seen: HashMap<String, u64>,
}

impl Chronology {
    fn read(root: &Path, events_dir: &Path) -> Chronology {
        let loaded = load::load(root);
        let existing = existing_events(events_dir);
        let known = Arc::new({
            let mut k = (*loaded.known).clone();
            k.events.extend(existing.keys().cloned());
            k
        });
        Chronology {
            root: root.to_path_buf(),
            events_dir: events_dir.to_path_buf(),
            actors: actor_registry(&loaded),
            locations: location_registry(&loaded),
            tokens: row_tokens(existing.keys()),
            existing,
            known,
            seen: HashMap::new(),
        }
    }

    /// The actor and location ids of a row's actors and places: matched, or new
    /// entries of the registries (rolled back if the row is not written).
    fn resolve(&mut self, draft: &Draft) -> (Vec<String>, Vec<String>) {
        let actor_ids: Vec<String> = draft
            .actors
            .iter()
            .map(|a| self.actors.resolve_actor(a, &draft.provenance))
            .collect();
        let mut location_ids: Vec<String> = Vec::new();
        for chain in &draft.places {
            let mut parent: Option<String> = None;
            for spec in chain.iter().rev() {
                let id = self
                    .locations
                    .resolve_place(spec, parent.as_deref(), &draft.provenance);
                if parent.as_deref() != Some(id.as_str()) {
                    parent = Some(id);
                }
            }
            if let Some(id) = parent
                && !location_ids.contains(&id)
            {
                location_ids.push(id);
            }
        }
        (actor_ids, location_ids)
    }

    /// Forgets the actors and locations created since `mark`.
    fn rollback(&mut self, mark: (usize, usize)) {
        self.actors.rollback(mark.0);
        self.locations.rollback(mark.1);
    }

    /// What to do with the event file of a row whose file text is `text`.
    fn decide(&self, draft: &Draft, text: &str) -> Decision {
        let fresh_path = self
            .events_dir
            .join(format!("{:04}", draft.date.year()))
            .join(format!("{}.yaml", draft.id));
        let found = self.existing.get(&draft.id).or_else(|| {
            draft
                .token
                .as_ref()
                .and_then(|t| self.tokens.get(t))
                .and_then(|id| self.existing.get(id))
        });
        let Some(path) = found else {
            return Decision::Write(fresh_path, Action::Create);
        };
        // Not through a link: what it points at is not the chronology's.
        let current = crate::load::read_file(path, path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        match current {
            Some(cur) if cur == text => Decision::Write(path.clone(), Action::Matched),
            Some(cur) if untouched(&cur) && path.parent() == fresh_path.parent() => {
                Decision::Write(path.clone(), Action::Update)
            }
            current => Decision::Keep {
                path: path.clone(),
                current,
            },
        }
    }

    /// The actor and location files a row creates (those entered in the registries
    /// since `mark`), whose ids, and the row's event's, become known ids.
    fn new_files(&mut self, mark: (usize, usize), file_id: &str) -> Vec<NewFile> {
        let mut out = Vec::new();
        let k = Arc::make_mut(&mut self.known);
        for e in &self.actors.entries[mark.0..] {
            if let Some(NewEntry::Actor(spec)) = &e.new {
                k.actors.insert(e.id.clone());
                let path = self
                    .events_dir
                    .join("actors")
                    .join(format!("{}.yaml", e.id));
                out.push(NewFile {
                    path,
                    text: actor_yaml(spec, &e.origin),
                    is_actor: true,
                });
            }
        }
        for e in &self.locations.entries[mark.1..] {
            if let Some(NewEntry::Location(spec)) = &e.new {
                k.locations.insert(e.id.clone());
                let path = self
                    .events_dir
                    .join("locations")
                    .join(format!("{}.yaml", e.id));
                out.push(NewFile {
                    path,
                    text: location_yaml(spec, e.parent.as_deref(), &e.origin),
                    is_actor: false,
                });
            }
        }
        k.events.insert(file_id.to_string());
        out
    }

    /// What the loader says of the files a row would write; empty when `check` would
    /// accept them all.
    fn problems(&self, new_files: &[NewFile], event: Option<(&Path, &str, &str)>) -> Vec<String> {
        let mut problems = Vec::new();
        for NewFile {
            path,
            text,
            is_actor,
        } in new_files
        {
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let shown = load::relative(&self.root, path);
            let result = if *is_actor {
                load::parse_actor(text, &shown, &id, &self.known).map(|_| ())
            } else {
                load::parse_location(text, &shown, &id, &self.known).map(|_| ())
            };
            if let Err(ds) = result {
                problems.extend(ds.into_iter().map(|d| d.message));
            }
        }
        if let Some((path, text, file_id)) = event
            && let Err(ds) = load::parse_event(
                text,
                &load::relative(&self.root, path),
                file_id,
                &self.known,
            )
        {
            problems.extend(ds.into_iter().map(|d| d.message));
        }
        problems
    }
}

/// An actor or location file a row creates.
struct NewFile {
    path: PathBuf,
    text: String,
    is_actor: bool,
}

/// What to do with a row's event file.
enum Decision {
    /// Write it (or leave it, when it already says what the dataset says).
    Write(PathBuf, Action),
    /// Keep the file as it is: edited by hand, not written by an import, or under
    /// another year; `current` is its text, when it is text.
    Keep {
        path: PathBuf,
        current: Option<String>,
    },
}

/// What is done with an event file the import may write.
enum Action {
    Create,
    Update,
    Matched,
}

/// Imports one row: matches its actors and places, decides what to do with its
/// event file, checks every file it would write, then writes them.
fn import_row(
    opts: &ImportOptions,
    draft: &Draft,
    line: u64,
    c: &mut Chronology,
    outcome: &mut ImportOutcome,
) -> Result<(), RowError> {
    let key = draft.token.clone().unwrap_or_else(|| draft.id.clone());
    if let Some(first) = c.seen.get(&key) {
        return Err(RowError::Skipped(format!(
            "the same event as line {first} (`{key}`)"
        )));
    }
    c.seen.insert(key, line);

    let mark = (c.actors.mark(), c.locations.mark());
    let (actor_ids, location_ids) = c.resolve(draft);
    let content = event_yaml(draft, &actor_ids, &location_ids);
    let text = with_header(&draft.provenance, &content);
    let (path, action) = match c.decide(draft, &text) {
        Decision::Write(path, action) => (path, action),
        Decision::Keep { path, current } => {
            let shown = relative(&c.root, &path);
            let report = kept_report(opts.update, draft, &shown, current.as_deref(), &text);
            outcome.report.push_str(&report);
            // Nothing of this row is written: forget what it would create.
            c.rollback(mark);
            outcome.counts.kept += 1;
            return Ok(());
        }
    };

    // The event keeps the id of the file it was found in.
    let file_id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| draft.id.clone());
    // The files this row creates, each read back with the loader before anything of
    // the row is written, so that a row never leaves a file `check` refuses.
    let new_files = c.new_files(mark, &file_id);
    let event = matches!(action, Action::Create | Action::Update).then_some((
        path.as_path(),
        text.as_str(),
        file_id.as_str(),
    ));
    // A huge cell (a document pasted into `notes`) would make a file `check` refuses.
    if let Some(f) = std::iter::once((path.as_path(), text.as_str()))
        .chain(
            new_files
                .iter()
                .map(|f| (f.path.as_path(), f.text.as_str())),
        )
        .find(|(_, t)| t.len() as u64 > load::MAX_FILE_BYTES)
    {
        c.rollback(mark);
        return Err(RowError::Skipped(format!(
            "{} would be {} bytes, over the limit of {} bytes (1 MiB) for a data file; is a cell of this row a pasted document?",
            relative(&c.root, f.0),
            crate::diag::group_digits(f.1.len() as u64, ','),
            crate::diag::group_digits(load::MAX_FILE_BYTES, ','),
        )));
    }
    let problems = c.problems(&new_files, event);
    if !problems.is_empty() {
        c.rollback(mark);
        return Err(RowError::Skipped(format!(
            "the generated files would not pass `annalist check` (please report this): {}",
            problems.join("; ")
        )));
    }
    write_row(&c.root, &new_files, &path, &text, action, outcome)?;
    Ok(())
}

/// Why an event file is kept, with the diff of what the dataset now says when
/// `update` asks for it; `shown` is the file's path for the reader.
fn kept_report(
    update: bool,
    draft: &Draft,
    shown: &str,
    current: Option<&str>,
    text: &str,
) -> String {
    let why = match current {
        Some(c) if untouched(c) => format!(
            "the dataset now dates it to {}, but the file is under another year; kept",
            draft.date.year()
        ),
        Some(c) if c.starts_with("# imported from ") => "edited by hand, kept".to_string(),
        Some(_) => "not written by annalist import (no hash line), kept".to_string(),
        None => "cannot be read as UTF-8 text, kept".to_string(),
    };
    let mut report = format!("{shown}: {why}\n");
    if update {
        report.push_str(&diff::unified(
            current.unwrap_or(""),
            text,
            &format!("{shown} (the file)"),
            &format!("{} (what the dataset now says)", draft.provenance),
        ));
    }
    report
}

/// Writes a checked row: its new actor and location files, then its event file.
fn write_row(
    root: &Path,
    new_files: &[NewFile],
    path: &Path,
    text: &str,
    action: Action,
    outcome: &mut ImportOutcome,
) -> Result<(), Error> {
    for f in new_files {
        write_new(root, &f.path, &f.text)?;
        if f.is_actor {
            outcome.counts.actors_created += 1;
        } else {
            outcome.counts.locations_created += 1;
        }
    }
    match action {
        Action::Create => {
            write_new(root, path, text)?;
            outcome.counts.imported += 1;
        }
        Action::Update => {
            replace(root, path, text)?;
            outcome.counts.updated += 1;
            outcome.report.push_str(&format!(
                "{}: updated (untouched since its import; the dataset changed)\n",
                relative(root, path)
            ));
        }
        Action::Matched => outcome.counts.matched += 1,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_file_names() {
        let v = |n: &str| version_from_file_name(Path::new(n));
        assert_eq!(v("GEDEvent_v23_1.csv").as_deref(), Some("23.1"));
        assert_eq!(v("ged231-csv.csv").as_deref(), Some("23.1"));
        assert_eq!(v("/x/ucdp-ged-24.1-mali.csv").as_deref(), Some("24.1"));
        assert_eq!(v("ucdp-ged-mali.csv"), None);
        assert_eq!(v("données-é-ged.csv"), None);
        assert_eq!(v("é23.1é.csv").as_deref(), Some("23.1"));
    }

    #[test]
    fn event_ids_keep_the_date_and_stay_short() {
        let d = EventDate::parse("2020-08-22/2020-08-23").expect("date");
        assert_eq!(
            event_id(&d, &["ucdp", "352268", "I-n-Tilelt"]),
            "2020-08-22-ucdp-352268-i-n-tilelt"
        );
        let long = "word ".repeat(60);
        let id = event_id(&d, &["ucdp", "1", &long]);
        assert!(id.len() <= 100 && model::is_valid_id(&id), "{id}");
    }

    #[test]
    fn row_tokens_find_a_row_whatever_its_date_and_place() {
        assert_eq!(
            row_token("2017-03-29-ucdp-237564-boulikessi").as_deref(),
            Some("ucdp-237564")
        );
        assert_eq!(
            row_token("2023-09-15-acled-xmp0002-sampleton").as_deref(),
            Some("acled-xmp0002")
        );
        assert_eq!(row_token("2025-05-23-djoura-camp-attack"), None);
    }

    #[test]
    fn kind_words_are_stripped() {
        assert_eq!(
            strip_kind_word("Boulikessi village"),
            ("Boulikessi", Some("village"))
        );
        assert_eq!(strip_kind_word("Mopti region"), ("Mopti", Some("region")));
        assert_eq!(strip_kind_word("Town"), ("Town", None));
    }

    #[test]
    fn the_hash_line_tells_untouched_files() {
        let text = with_header("X row 1", "title: a\n");
        assert!(untouched(&text));
        assert!(!untouched(&text.replace("title: a", "title: b")));
        assert!(!untouched("title: a\n"));
    }

    #[test]
    fn files_are_found_by_their_former_names_in_every_language() {
        let isgs: model::ActorFile = serde_yaml::from_str(
            "name: Islamic State Sahel Province\nshort_name: IS Sahel\nkind: armed-group\n\
             names:\n  - name: {en: Islamic State in the Greater Sahara, fr: \"E\u{301}tat islamique dans le Grand Sahara\"}\n    \
             short_name: {en: ISGS, fr: EIGS}\n    until: 2022-03\n",
        )
        .expect("an actor");
        let mut r = Registry::default();
        r.add(Entry {
            id: "isgs".into(),
            kind: None,
            parent: None,
            keys: actor_file_keys("isgs", &isgs),
            new: None,
            origin: String::new(),
        });
        for name in [
            "Islamic State in the Greater Sahara",
            "ISGS",
            "EIGS",
            // Composed here, decomposed in the file: the same name.
            "État islamique dans le Grand Sahara",
            "IS Sahel",
        ] {
            let spec = ActorSpec::named(name);
            assert_eq!(r.resolve_actor(&spec, "t"), "isgs", "{name}");
        }
        assert_eq!(r.entries.len(), 1, "nothing created");

        let place: model::LocationFile = serde_yaml::from_str(
            "name: Bandiagara\nkind: district\nnames:\n  - name: Bandiagara cercle\n    until: 2023\n",
        )
        .expect("a place");
        let keys = location_file_keys("bandiagara", &place);
        assert!(keys.contains(&"bandiagara-cercle".to_string()), "{keys:?}");
    }

    #[test]
    fn places_match_by_name_alias_and_compatible_kind_only() {
        let mut r = Registry::default();
        let region = PlaceSpec {
            aliases: vec!["Mopti".into()],
            ..PlaceSpec::new("Région de Mopti", LocationKind::Region)
        };
        let id = r.resolve_place(&region, None, "t");
        assert_eq!(id, "region-de-mopti");
        // The same region, written differently: matched.
        let again = PlaceSpec::new("MOPTI", LocationKind::Region);
        assert_eq!(r.resolve_place(&again, None, "t"), "region-de-mopti");
        // The town of Mopti is not the region.
        let town = PlaceSpec::new("Mopti", LocationKind::Town);
        assert_eq!(
            r.resolve_place(&town, Some("region-de-mopti"), "t"),
            "mopti"
        );
        let cercle = PlaceSpec::new("Mopti cercle", LocationKind::District);
        assert_eq!(
            r.resolve_place(&cercle, Some("region-de-mopti"), "t"),
            "mopti-cercle"
        );
        let mark = r.mark();
        let other = PlaceSpec::new("Djoura", LocationKind::Village);
        assert_eq!(r.resolve_place(&other, None, "t"), "djoura");
        r.rollback(mark);
        assert_eq!(r.entries.iter().filter(|e| e.new.is_some()).count(), 3);
        assert!(r.is_free("djoura"));
    }
}
