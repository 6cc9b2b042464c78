//! Search and filtering for readers: the index under `data/search/` that `filter.js`
//! reads when a reader starts to search or filter, the options of the filter form,
//! and the folding of text that lets "segou" find "Ségou".
//!
//! The index is split so that a reader downloads kilobytes whatever the size of the
//! chronology (issue 16: one `search.json` was 980 KB gzipped at 10,000 events).
//! Events are numbered as the timeline shows them, 0 the newest. Lists of events are
//! `[first, gap, gap, …]` (see [`push_gaps`]). Every file is one line of JSON.
//!
//! | file | what | read |
//! | --- | --- | --- |
//! | `index.json` | the head (below) | when the reader first touches the form |
//! | `w/wPREFIX.json`, `w/xHEX.json` | words starting with a prefix, each with its events: `{"djawe": [12, 3, …]}` | one file per word typed |
//! | `f/aN.json`, `lN`, `tN`, `sN`, `gN`, `yYEAR` | the events of actor N (as its page lists them: its units, possible links), place N (the places inside it), type, status, tag, year | one per filter |
//! | `dates.json` | `[first days, spans]`: each event's first day the date allows (days since 1970, as the difference from the previous event's), and the days from it to the last | the date fields |
//! | `c/K.json` | the cards of events `K × chunk` to `K × chunk + chunk − 1`, as rows (below) | the cards drawn |
//!
//! The head: `v` the format's version, `count` the events, `chunk` the events per
//! file of cards, `max_word` (words are cut there), `w` the prefixes of the shards
//! (sorted; a shard whose words would pass [`SHARD_BYTES`] is split by one more
//! character, and keeps only the words of exactly its length), `lang`, `f` the
//! folding table (the characters whose fold is not `normalize('NFKD')`, marks
//! removed, lowercase; see [`crate::fold`]), `t` and `s` types and statuses
//! `[[key, label], …]`, `y` the years, `a` actors `[[id, name, lang], …]`, `l` places
//! `[[id, name, lang, parent (index or -1)], …]`, `g` tags, `m` month headings
//! (`{"2025-05": "mai 2025", "2023": "2023 — mois non précisé"}`), `n` the notice of
//! an event that cites no source, `o` the roles' labels in the order of `Role::ALL`,
//! `u` the mark after an uncertain place, `p` the paths by which events reach an
//! actor's page through its units ("Par l'intermédiaire de : …"), `k` the link of an
//! event with several death tolls, `i` the notes of texts shown in another language,
//! by language.
//!
//! The words of an event are those of its title, summary, body, claims, reaction,
//! sources and tags in every language, and of the names and aliases of the actors and
//! places whose pages list it ([`words_of`]: folded, runs of letters and digits, two
//! characters at least). The script splits the reader's words the same way and
//! matches each as the beginning of a word.
//!
//! A row: `[id, date, datetime, time, type, status, title, title lang, summary HTML,
//! summary lang, claim note, actors shown, other actors, places, roles, notices]`,
//! the last two written only when there is something in them (`roles` is then `""`
//! when only the notices are). `type` and `status` index `t` and `s`; the actors
//! shown are the card's, in order; the other actors are those whose page also lists
//! the event (claimants, and groups whose units took part). Languages are `""` for
//! the site's language.
//!
//! `roles` are the roles an actor's page gives beside the status, for the actors
//! shown then the other actors, separated by spaces, each role one letter (`a` for the
//! first of `o`): `"a bd"`; empty for an actor that is there only through its units
//! (trailing spaces left out).
//! The notices are what a card shows on some pages or on all, each `[kind, index,
//! text]` (and a fourth element, the language, for a name not in the site's):
//!
//! | kind | index | text | the card shows |
//! | --- | --- | --- | --- |
//! | 0 | actor | note | on the actor's page: why it lists the event only possibly |
//! | 1 | place | note | on the place's page: the same |
//! | 2 | 0 | `""` | everywhere: no source cited (`n`) |
//! | 3 | actor | path (index of `p`) | on the actor's page: through which unit the event comes |
//! | 4 | place | `""` | everywhere: the place is uncertain (`u` after it) |
//! | 5 | 0 | `""` | everywhere: several death tolls (`k`, a link to the event's casualties) |
//! | 6 | actor | name | everywhere: the actor's name at the event's date, when not its current one |
//! | 7 | place | name | everywhere: the place's name at the event's date, the same |

use super::views::{self, Ctx};
use crate::index::EventIx;
use crate::model::{EventType, Role, Status};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The options of a select are written into every list page as long as their ids
/// and names take no more bytes than this (about 4 KB gzipped): then the choices are
/// there before anything is downloaded. Beyond it (2,000 places), the script fills
/// the select from the index's head when the reader first touches the form, so that
/// the pages stay light for the readers who never filter.
pub const MAX_SERVER_OPTION_BYTES: usize = 24_000;

/// Whether `options` fit in [`MAX_SERVER_OPTION_BYTES`].
fn small(options: &[Opt]) -> bool {
    options
        .iter()
        .map(|o| o.value.len() + o.label.len() + 24)
        .sum::<usize>()
        <= MAX_SERVER_OPTION_BYTES
}

/// Every version of the dated names of an entity: a reader may search by an old name.
fn former_names(names: &[crate::model::DatedName]) -> impl Iterator<Item = &str> {
    names.iter().flat_map(|n| {
        n.name
            .all()
            .into_iter()
            .chain(n.short_name.iter().flat_map(|s| s.all()))
    })
}

/// The folder of the index, under a tree's root.
pub const DIR: &str = "data/search/";

/// Events per file of cards (`c/K.json`): small enough that the first result costs a
/// few kilobytes, large enough that a page of results drawn from nearby dates takes a
/// request or two.
pub const CHUNK: usize = 32;

/// A shard of words (`w/…`) whose JSON is larger than this is split by one more
/// letter, so that one word typed downloads a few kilobytes (a word alone is never
/// split: "de" in every event stays one list).
const SHARD_BYTES: usize = 12_000;

/// The longest prefix a shard is named by: beyond it, words stay together.
const MAX_SHARD_DEPTH: usize = 6;

/// Words are cut at this many characters, in the index and in the reader's query
/// alike, so that a hostile file cannot make one word of a megabyte.
pub const MAX_WORD: usize = 32;

/// Every file of the index, given to `put` as `(path under the tree, bytes)` one at
/// a time, in a fixed order: at 100,000 events the folder is a hundred megabytes,
/// which need not all be held at once.
pub fn index_files(
    ctx: &Ctx,
    put: &mut dyn FnMut(String, Vec<u8>) -> Result<(), crate::error::Error>,
) -> Result<(), crate::error::Error> {
    let index = ctx.index;
    let lang = ctx.code();
    let numbers = Numbers::new(ctx);
    let n = index.events.len();
    // Events are numbered as the timeline shows them: 0 is the newest.
    let shown_number = |ix: EventIx| (n - 1 - ix) as u32;
    let mut emit = |(path, bytes): (String, Vec<u8>)| put(path, bytes);

    // The words, and the events each is in.
    let words = Words::collect(ctx, &numbers);
    let mut shards: Vec<Shard> = Vec::new();
    let terms: Vec<(&str, &[u32])> = words
        .terms
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_slice()))
        .collect();
    split_shards(&terms, 2, &mut shards);
    let shard_keys: Vec<String> = shards.iter().map(|s| s.key.clone()).collect();
    for s in &shards {
        let mut out = String::from("{");
        for (i, (term, postings)) in s.terms.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // Terms are letters and digits: only `"` and `\` would need escaping, and
            // they are neither.
            out.push('"');
            out.push_str(term);
            out.push_str("\":");
            push_gaps(&mut out, postings);
        }
        out.push_str("}\n");
        emit((
            format!("{DIR}w/{}.json", shard_file(&s.key)),
            out.into_bytes(),
        ))?;
    }

    // The lists the filters intersect: by actor (as its page lists them, units
    // included), place (places inside included), type, status, year and tag.
    let facet = |name: String, list: &mut dyn Iterator<Item = EventIx>| {
        let mut p: Vec<u32> = list.map(shown_number).collect();
        p.sort_unstable();
        p.dedup();
        let mut out = String::new();
        push_gaps(&mut out, &p);
        out.push('\n');
        (format!("{DIR}f/{name}.json"), out.into_bytes())
    };
    // A file for every actor, place, type and status, even without events, so that
    // the script never asks for one that is not there.
    for (i, a) in index.actors.keys().enumerate() {
        let list = index
            .by_actor
            .get(a.as_str())
            .map_or(&[][..], Vec::as_slice);
        emit(facet(format!("a{i}"), &mut list.iter().map(|(ix, _)| *ix)))?;
    }
    for (i, l) in index.locations.keys().enumerate() {
        let list = index
            .by_location
            .get(l.as_str())
            .map_or(&[][..], Vec::as_slice);
        emit(facet(format!("l{i}"), &mut list.iter().map(|(ix, _)| *ix)))?;
    }
    for (i, t) in EventType::ALL.iter().enumerate() {
        let list = index.by_type.get(t.key()).map_or(&[][..], Vec::as_slice);
        emit(facet(format!("t{i}"), &mut list.iter().copied()))?;
    }
    for (i, s) in Status::ALL.iter().enumerate() {
        let list = index.by_status.get(s.key()).map_or(&[][..], Vec::as_slice);
        emit(facet(format!("s{i}"), &mut list.iter().copied()))?;
    }
    for (y, list) in &index.by_year {
        emit(facet(format!("y{y}"), &mut list.iter().copied()))?;
    }
    for (i, t) in numbers.tags.iter().enumerate() {
        if let Some(list) = index.by_tag.get(t) {
            emit(facet(format!("g{i}"), &mut list.iter().copied()))?;
        }
    }

    // The first and last days each event's date allows, for the date fields: the
    // first as a difference from the previous event's, the last from the first.
    let mut earliest: Vec<i64> = Vec::with_capacity(n);
    let mut span: Vec<i64> = Vec::with_capacity(n);
    let mut previous = 0i64;
    for e in index.events.iter().rev() {
        let d = &e.data.date.value;
        let first = epoch_day(d.earliest());
        earliest.push(first - previous);
        span.push(epoch_day(d.latest()) - first);
        previous = first;
    }
    let mut dates = serde_json::to_vec(&(earliest, span)).unwrap_or_default();
    dates.push(b'\n');
    emit((format!("{DIR}dates.json"), dates))?;

    // The cards, in the timeline's order.
    let mut headings: BTreeMap<String, String> = BTreeMap::new();
    let mut only_in: BTreeMap<String, String> = BTreeMap::new();
    let order: Vec<EventIx> = (0..n).rev().collect();
    for (k, chunk) in order.chunks(CHUNK).enumerate() {
        let rows: Vec<EventRow> = chunk
            .iter()
            .map(|&ix| numbers.event_row(ctx, ix, index.events[ix], &mut headings, &mut only_in))
            .collect();
        let mut out = serde_json::to_vec(&rows).unwrap_or_default();
        out.push(b'\n');
        emit((format!("{DIR}c/{k}.json"), out))?;
    }

    let actors: Vec<ActorRow> = index
        .actors
        .values()
        .map(|a| {
            let name = ctx.actor_name(a);
            ActorRow(&a.id, name.text, name.lang.unwrap_or_default())
        })
        .collect();
    let locations: Vec<LocationRow> = index
        .locations
        .values()
        .map(|l| {
            let name = ctx.name(&l.data.name);
            let parent = l
                .data
                .current_parent()
                .and_then(|p| numbers.location.get(p))
                .map(|&i| i as i64)
                .unwrap_or(-1);
            LocationRow(&l.id, name.text, name.lang.unwrap_or_default(), parent)
        })
        .collect();
    let doc = SearchDoc {
        v: 2,
        lang,
        count: n,
        chunk: CHUNK,
        max_word: MAX_WORD,
        w: shard_keys,
        n: ctx.strings.get("no_source"),
        o: Role::ALL.iter().map(|r| r.label(lang)).collect(),
        u: ctx.strings.get("uncertain_location"),
        k: ctx.strings.get("several_tolls"),
        i: only_in,
        p: &numbers.paths,
        f: crate::fold::BROWSER_TABLE,
        t: EventType::ALL
            .iter()
            .map(|t| (t.key(), t.label(lang)))
            .collect(),
        s: Status::ALL
            .iter()
            .map(|s| (s.key(), s.label(lang)))
            .collect(),
        y: index.by_year.keys().copied().collect(),
        a: actors,
        l: locations,
        g: numbers.tags.clone(),
        m: headings,
    };
    let mut out = serde_json::to_vec(&doc).unwrap_or_default();
    out.push(b'\n');
    emit((format!("{DIR}index.json"), out))
}

/// Days since 1970-01-01, as the script counts them (`Date.UTC(…) / 86400000`).
fn epoch_day(d: chrono::NaiveDate) -> i64 {
    d.signed_duration_since(chrono::NaiveDate::default())
        .num_days()
}

/// `[first, gap, gap, …]`: a sorted list of event numbers as the differences between
/// neighbours, which are small where a word is common and so compress well.
fn push_gaps(out: &mut String, sorted: &[u32]) {
    use std::fmt::Write as _;
    out.push('[');
    let mut previous = 0u32;
    for (i, &x) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", x - previous);
        previous = x;
    }
    out.push(']');
}

/// The name of a shard's file: its prefix when it is ASCII (`dj`), else `x` and the
/// hexadecimal of its UTF-8 (`xc3a9`, never a letter-only name that Windows reserves,
/// like `con`: ASCII names start with `w`).
fn shard_file(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        format!("w{key}")
    } else {
        let mut s = String::from("x");
        for b in key.bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

/// A file of words: the words that start with `key` (or, when `key` was split,
/// only the word `key` itself), each with its events.
struct Shard<'t> {
    key: String,
    terms: Vec<(&'t str, &'t [u32])>,
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Groups `terms` (sorted, each at least `depth` characters long) by their first
/// `depth` characters into shards, splitting a group larger than [`SHARD_BYTES`] by
/// one more character: its words of exactly `depth` characters keep the group's key.
fn split_shards<'t>(terms: &[(&'t str, &'t [u32])], depth: usize, out: &mut Vec<Shard<'t>>) {
    let mut start = 0;
    while start < terms.len() {
        let key = prefix(terms[start].0, depth);
        let mut end = start;
        let mut bytes = 0;
        while end < terms.len() && prefix(terms[end].0, depth) == key {
            bytes += terms[end].0.len() + 4 + terms[end].1.len() * 3;
            end += 1;
        }
        let group = &terms[start..end];
        if bytes > SHARD_BYTES && depth < MAX_SHARD_DEPTH && group.len() > 1 {
            let (head, rest): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() == depth);
            out.push(Shard {
                key: key.to_string(),
                terms: head,
            });
            split_shards(&rest, depth + 1, out);
        } else {
            out.push(Shard {
                key: key.to_string(),
                terms: group.to_vec(),
            });
        }
        start = end;
    }
}

/// The words of every event's texts, and of the names of its actors and places.
struct Words {
    /// Each word, with the events (numbered as the timeline shows them) it is in.
    terms: BTreeMap<String, Vec<u32>>,
}

impl Words {
    fn collect(ctx: &Ctx, numbers: &Numbers) -> Words {
        let index = ctx.index;
        let n = index.events.len();
        // The words of each actor's and place's names, once each.
        let actor_words: Vec<Vec<String>> = index
            .actors
            .values()
            .map(|a| {
                let mut names: Vec<&str> = a.data.name.all();
                names.extend(a.data.short_name.iter().flat_map(|s| s.all()));
                names.extend(former_names(&a.data.names));
                names.extend(a.data.aliases.iter().map(|s| s.0.as_str()));
                words_of(names)
            })
            .collect();
        let place_words: Vec<Vec<String>> = index
            .locations
            .values()
            .map(|l| {
                let mut names: Vec<&str> = l.data.name.all();
                names.extend(former_names(&l.data.names));
                names.extend(l.data.aliases.iter().map(|s| s.0.as_str()));
                words_of(names)
            })
            .collect();
        // Each event's own words, on every core, a batch at a time (all of them at
        // once would hold a hundred million bytes of small strings at 100,000
        // events); then into the lists, newest first.
        use rayon::prelude::*;
        const BATCH: usize = 2048;
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        let mut seen: Vec<usize> = Vec::new();
        let numbers_newest_first: Vec<usize> = (0..n).collect();
        for batch in numbers_newest_first.chunks(BATCH) {
            let own: Vec<Vec<String>> = batch
                .par_iter()
                .map(|&number| {
                    let e = index.events[n - 1 - number];
                    words_of(event_texts(e).iter().map(String::as_str))
                })
                .collect();
            for (&number, own) in batch.iter().zip(own) {
                let ix = n - 1 - number;
                seen.clear();
                let names = numbers.actor_pages[ix]
                    .iter()
                    .flat_map(|&a| &actor_words[a])
                    .chain(
                        numbers.place_pages[ix]
                            .iter()
                            .flat_map(|&l| &place_words[l]),
                    );
                for w in own.iter().chain(names) {
                    seen.push(word_id(&mut ids, &mut lists, w));
                }
                seen.sort_unstable();
                seen.dedup();
                // Events come newest first: each list stays sorted.
                for &id in &seen {
                    lists[id].push(number as u32);
                }
            }
        }
        let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (w, id) in ids {
            terms.insert(w, std::mem::take(&mut lists[id]));
        }
        Words { terms }
    }
}

/// The number of word `w`, given in the order words are met (a new list for a new
/// word).
fn word_id(ids: &mut HashMap<String, usize>, lists: &mut Vec<Vec<u32>>, w: &str) -> usize {
    if let Some(&id) = ids.get(w) {
        return id;
    }
    ids.insert(w.to_string(), lists.len());
    lists.push(Vec::new());
    lists.len() - 1
}

/// Every text of an event a reader may search, in every language: title, summary,
/// body, claims, reaction, sources and tags.
fn event_texts(e: &crate::load::Event) -> Vec<String> {
    let d = &e.data;
    let mut out: Vec<String> = d.title.all().into_iter().map(str::to_string).collect();
    for t in d.summary.iter().chain(&d.body) {
        out.extend(t.all().into_iter().map(super::markdown::to_plain));
    }
    for c in &d.claims {
        out.extend(c.claim.all().into_iter().map(str::to_string));
    }
    if let Some(crate::model::Reaction::Text(t)) = &d.official_reaction {
        out.extend(t.all().into_iter().map(str::to_string));
    }
    for s in &d.sources {
        out.push(s.publisher.0.clone());
        out.extend(s.title.iter().map(|t| t.0.clone()));
        out.extend(s.quote.iter().map(|t| t.0.clone()));
    }
    out.extend(d.tags.iter().map(|t| t.0.clone()));
    out
}

/// The words of `texts`, folded, each once, in order of first appearance: runs of
/// letters and digits (the script splits the reader's query the same way), at least
/// two characters, cut at [`MAX_WORD`].
pub fn words_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for t in texts {
        let folded = crate::fold::fold(t);
        for w in folded.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().nth(1).is_none() {
                continue;
            }
            let w = prefix(w, MAX_WORD);
            if !seen.contains(w) {
                seen.insert(w.to_string());
                out.push(w.to_string());
            }
        }
    }
    out
}

/// `data/search/index.json`, its fields in the order of their names.
#[derive(Serialize)]
struct SearchDoc<'a> {
    a: Vec<ActorRow<'a>>,
    chunk: usize,
    count: usize,
    f: &'static str,
    g: Vec<&'a str>,
    /// The notes of texts shown in another language, by language.
    i: BTreeMap<String, String>,
    /// The link to the casualties of an event with several tolls.
    k: &'a str,
    l: Vec<LocationRow<'a>>,
    lang: &'a str,
    m: BTreeMap<String, String>,
    max_word: usize,
    /// The notice of an event that cites no source, as cards show it.
    n: &'a str,
    /// The roles' labels, in the order of `Role::ALL`.
    o: Vec<&'static str>,
    /// The paths through units, each once.
    p: &'a [String],
    s: Vec<(&'static str, &'static str)>,
    t: Vec<(&'static str, &'static str)>,
    /// The mark after an uncertain place.
    u: &'a str,
    v: u32,
    /// The shards of words, by prefix, sorted.
    w: Vec<String>,
    /// The years that have events.
    y: Vec<i32>,
}

/// An actor of `a`: `[id, name, lang]` (a tuple struct is a JSON array).
#[derive(Serialize)]
struct ActorRow<'a>(&'a str, String, String);

/// A place of `l`: `[id, name, lang, parent (index or -1)]`.
#[derive(Serialize)]
struct LocationRow<'a>(&'a str, String, String, i64);

/// An event of a file of cards, in the order of the module's documentation.
#[derive(Serialize)]
struct EventRow<'a>(
    &'a str,
    String,
    String,
    String,
    usize,
    usize,
    String,
    String,
    String,
    String,
    String,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
    /// The roles an actor's page shows, one letter each (see the module's doc); left
    /// out, with the notices, when neither has anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    Option<String>,
    /// What the cards say on some pages or all (see the module's doc), so that the
    /// filter's cards say it as the pages do.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    Vec<Notice>,
);

/// A notice of an event's row: `[kind, index, text]`, and the language of the text
/// when it is not the site's.
#[derive(Debug, Clone, Serialize)]
struct Notice(
    u8,
    usize,
    NoticeText,
    #[serde(skip_serializing_if = "String::is_empty")] String,
);

/// The text of a notice, or the number of a path in `p`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum NoticeText {
    Text(String),
    Path(usize),
}

impl Notice {
    fn new(kind: u8, index: usize, text: String) -> Notice {
        Notice(kind, index, NoticeText::Text(text), String::new())
    }
}

/// The numbers by which the index's rows name actors, places, tags, types and
/// statuses, and which actors' and places' pages list each event: made once, read
/// by every event's row.
struct Numbers<'a> {
    actor: HashMap<&'a str, usize>,
    location: HashMap<&'a str, usize>,
    tags: Vec<&'a str>,
    /// By event: the actors whose page lists it.
    actor_pages: Vec<BTreeSet<usize>>,
    /// By event: the places whose page lists it.
    place_pages: Vec<BTreeSet<usize>>,
    /// By event: the notices of the pages that list it (see `EventRow`).
    notes: Vec<Vec<Notice>>,
    /// By event: the actors whose page lists it directly, with their roles' letters.
    roles: Vec<BTreeMap<usize, String>>,
    /// The paths of `p`, in the order they are first met.
    paths: Vec<String>,
}

impl<'a> Numbers<'a> {
    fn new(ctx: &Ctx<'a>) -> Numbers<'a> {
        let index = ctx.index;
        let actor: HashMap<&str, usize> = index
            .actors
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let location: HashMap<&str, usize> = index
            .locations
            .keys()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let tags: Vec<&str> = index.by_tag.keys().copied().collect();
        let mut actor_pages: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); index.events.len()];
        // An event that cites no source says so on every card: `[2, 0, ""]`, the
        // notice's text once, in `n`.
        let mut notes: Vec<Vec<Notice>> = index
            .events
            .iter()
            .map(|e| {
                if e.data.sources.is_empty() {
                    vec![Notice::new(2, 0, String::new())]
                } else {
                    Vec::new()
                }
            })
            .collect();
        let mut roles: Vec<BTreeMap<usize, String>> = vec![BTreeMap::new(); index.events.len()];
        let mut paths: Vec<String> = Vec::new();
        let mut path_number: HashMap<String, usize> = HashMap::new();
        for (id, list) in &index.by_actor {
            if let Some(&a) = actor.get(id) {
                for (ix, inv) in list {
                    actor_pages[*ix].insert(a);
                    match inv {
                        crate::index::Involvement::Direct(r) => {
                            roles[*ix].insert(a, r.iter().map(|r| role_letter(*r)).collect());
                        }
                        crate::index::Involvement::Unit { .. } => {
                            let date = &index.events[*ix].data.date.value;
                            let extras = views::Extras::of(ctx, inv, date);
                            if let Some(via) = extras.via {
                                let n = *path_number.entry(via.clone()).or_insert_with(|| {
                                    paths.push(via);
                                    paths.len() - 1
                                });
                                notes[*ix].push(Notice(3, a, NoticeText::Path(n), String::new()));
                            }
                            if let Some(note) = extras.link_note {
                                notes[*ix].push(Notice::new(0, a, note));
                            }
                        }
                    }
                }
            }
        }
        let mut place_pages: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); index.events.len()];
        for (id, list) in &index.by_location {
            if let Some(&l) = location.get(id) {
                for (ix, reach) in list {
                    place_pages[*ix].insert(l);
                    if let Some(note) = views::Extras::of_place(ctx, *ix, reach).link_note {
                        notes[*ix].push(Notice::new(1, l, note));
                    }
                }
            }
        }
        Numbers {
            actor,
            location,
            tags,
            actor_pages,
            place_pages,
            notes,
            roles,
            paths,
        }
    }

    /// The row of event `e` (number `ix`), adding the heading of its month to
    /// `headings` the first time the month is seen, and the note of a language its
    /// title or summary falls back to, to `only_in`.
    fn event_row<'e>(
        &self,
        ctx: &Ctx,
        ix: EventIx,
        e: &'e crate::load::Event,
        headings: &mut BTreeMap<String, String>,
        only_in: &mut BTreeMap<String, String>,
    ) -> EventRow<'e> {
        let d = &e.data;
        let card = views::card(ctx, e);
        let date = &d.date.value;
        let anchor = month_anchor(date);
        if !headings.contains_key(&anchor) {
            headings.insert(anchor.clone(), month_heading(ctx, date));
        }
        let mut shown: Vec<usize> = Vec::new();
        for p in &d.actors {
            if let Some(&a) = self.actor.get(p.id.as_str())
                && !shown.contains(&a)
            {
                shown.push(a);
            }
        }
        let other_actors: Vec<usize> = self.actor_pages[ix]
            .iter()
            .copied()
            .filter(|a| !shown.contains(a))
            .collect();
        let places: Vec<usize> = d
            .locations
            .iter()
            .filter_map(|l| self.location.get(l.as_str()).copied())
            .collect();
        let summary = card.summary.unwrap_or_default();
        for l in [&card.title, &summary] {
            if let (Some(code), Some(note)) = (&l.lang, &l.note) {
                only_in.entry(code.clone()).or_insert_with(|| note.clone());
            }
        }
        let roles: Vec<&str> = shown
            .iter()
            .chain(&other_actors)
            .map(|a| self.roles[ix].get(a).map_or("", String::as_str))
            .collect();
        let roles = if roles.iter().all(|r| r.is_empty()) {
            String::new()
        } else {
            roles.join(" ").trim_end().to_string()
        };
        let mut notes = self.notes[ix].clone();
        // The names the card gives at the event's date, where they are not those of
        // `a` and `l`; and the places in doubt.
        for link in card.actors.iter().map(|a| &a.link) {
            let id = link
                .url
                .strip_prefix("actors/")
                .and_then(|u| u.strip_suffix("/index.html"));
            if let Some((a, actor)) =
                id.and_then(|id| Some((*self.actor.get(id)?, ctx.index.actors.get(id)?)))
            {
                let now = ctx.actor_name(actor);
                if now.text != link.name || now.lang != link.lang {
                    notes.push(Notice(
                        6,
                        a,
                        NoticeText::Text(link.name.clone()),
                        link.lang.clone().unwrap_or_default(),
                    ));
                }
            }
        }
        for (r, link) in d.locations.iter().zip(&card.locations) {
            let id = r.as_str();
            if let (Some(&l), Some(place)) = (self.location.get(id), ctx.index.locations.get(id)) {
                if r.uncertain {
                    notes.push(Notice::new(4, l, String::new()));
                }
                let now = ctx.name(&place.data.name);
                if now.text != link.link.name || now.lang != link.link.lang {
                    notes.push(Notice(
                        7,
                        l,
                        NoticeText::Text(link.link.name.clone()),
                        link.link.lang.clone().unwrap_or_default(),
                    ));
                }
            }
        }
        if card.several_tolls {
            notes.push(Notice::new(5, 0, String::new()));
        }
        EventRow(
            &e.id,
            card.date,
            card.datetime,
            card.time.unwrap_or_default(),
            position(EventType::ALL, &d.event_type),
            position(Status::ALL, &d.status.value),
            card.title.text,
            card.title.lang.unwrap_or_default(),
            summary.text,
            summary.lang.unwrap_or_default(),
            card.claim_note.unwrap_or_default(),
            shown,
            other_actors,
            places,
            (!roles.is_empty() || !notes.is_empty()).then_some(roles),
            notes,
        )
    }
}

/// A role as one letter of the rows' roles: `a` for the first of `Role::ALL`.
fn role_letter(r: Role) -> char {
    let i = position(Role::ALL, &r) as u8;
    char::from(b'a' + i)
}

/// Where `x` stands in `all` (`t` and `s` of the index list every type and status).
fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|a| a == x).unwrap_or(0)
}

/// The anchor of the month section an event stands in (`2025-05`, or `2025` when only
/// the year is known), as `views::group` writes it.
pub fn month_anchor(d: &crate::date::EventDate) -> String {
    let s = d.start();
    match s.month {
        Some(m) => format!("{:04}-{m:02}", s.year),
        None => format!("{:04}", s.year),
    }
}

/// The heading of that section ("mai 2025", "2025 — mois non précisé").
pub fn month_heading(ctx: &Ctx, d: &crate::date::EventDate) -> String {
    let s = d.start();
    match s.month {
        Some(m) => crate::date::EventDate::parse(&format!("{:04}-{m:02}", s.year))
            .map(|md| ctx.date(&md))
            .unwrap_or_else(|_| format!("{:04}-{m:02}", s.year)),
        None => format!("{} — {}", s.year, ctx.strings.get("year_unknown")),
    }
}

// ---------------------------------------------------------------------------------
// The filter form

/// An option of a select.
#[derive(Debug, Clone, Serialize)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub lang: Option<String>,
}

/// What the filter form of a list page shows: its options, and the set of events the
/// page is about (`scope`), which the script filters within.
#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    /// `""` on the main timeline; `a:ID`, `l:ID`, `t:KEY`, `y:YEAR` or `g:TAG` on the
    /// page of an actor, place, type, year or tag.
    pub scope: String,
    /// Heading level of the year headings of the page's list (2 or 3).
    pub level: u8,
    /// Empty when they would take more than [`MAX_SERVER_OPTION_BYTES`]: the script
    /// fills it.
    pub actors: Vec<Opt>,
    pub locations: Vec<Opt>,
    pub types: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub years: Vec<i32>,
    /// The first and last days of the chronology, for the date fields (`YYYY-MM-DD`).
    pub min: String,
    pub max: String,
}

impl FilterView {
    /// The options of the whole chronology, for every list page.
    pub fn new(ctx: &Ctx) -> FilterView {
        let index = ctx.index;
        let lang = ctx.code();
        let mut actors: Vec<Opt> = index
            .actors
            .values()
            .map(|a| {
                let n = ctx.actor_name(a);
                Opt {
                    value: a.id.clone(),
                    label: n.text,
                    lang: n.lang,
                }
            })
            .collect();
        actors.sort_by_cached_key(|a| crate::names::sort_key(&a.label, &a.value));
        if !small(&actors) {
            actors.clear();
        }
        let mut locations: Vec<Opt> = Vec::new();
        for node in views::location_tree(ctx) {
            flatten(&node, 0, &mut locations);
        }
        if !small(&locations) {
            locations.clear();
        }
        let types = EventType::ALL
            .iter()
            .filter(|t| index.by_type.contains_key(t.key()))
            .map(|t| Opt {
                value: t.key().into(),
                label: t.label(lang).into(),
                lang: None,
            })
            .collect();
        let statuses = Status::ALL
            .iter()
            .map(|s| Opt {
                value: s.key().into(),
                label: s.label(lang).into(),
                lang: None,
            })
            .collect();
        let years = index.by_year.keys().rev().copied().collect();
        let min = index
            .events
            .iter()
            .map(|e| e.data.date.value.earliest())
            .min();
        let max = index
            .events
            .iter()
            .map(|e| e.data.date.value.latest())
            .max();
        let day = |d: Option<chrono::NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        FilterView {
            scope: String::new(),
            level: 2,
            actors,
            locations,
            types,
            statuses,
            years,
            min: day(min),
            max: day(max),
        }
    }

    /// The form of a page about `scope`, whose list has year headings at `level`.
    pub fn scoped(&self, scope: &str, level: u8) -> FilterView {
        FilterView {
            scope: scope.to_string(),
            level,
            ..self.clone()
        }
    }
}

/// Places in tree order, each indented by its depth (no-break spaces, as a select
/// cannot nest options more than one level).
fn flatten(node: &views::TreeNode, depth: usize, out: &mut Vec<Opt>) {
    let id = node
        .link
        .url
        .strip_prefix("locations/")
        .and_then(|u| u.strip_suffix("/index.html"))
        .unwrap_or_default()
        .to_string();
    out.push(Opt {
        value: id,
        label: format!("{}{}", "\u{a0}\u{a0}\u{a0}".repeat(depth), node.link.name),
        lang: node.link.lang.clone(),
    });
    if depth < 32 {
        for c in &node.children {
            flatten(c, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_forgives_accents_case_and_apostrophes() {
        let words = |s: &str| words_of([s]).join(" ");
        assert_eq!(words("Ségou"), "segou");
        assert_eq!(words("ARMÉE malienne"), "armee malienne");
        // The apostrophe splits words, as the script splits the reader's.
        assert_eq!(words("l’armée d'Ansongo"), "armee ansongo");
        assert_eq!(words(" Œuvre \u{a0} Straße\n"), "oeuvre strasse");
        assert_eq!(words("Łódź Tombouctou Ménaka"), "lodz tombouctou menaka");
        assert_eq!(words("Đà Nẵng ǣ"), "da nang ae");
        assert_eq!(words("æ"), "ae");
        // Decomposed input folds like composed input.
        assert_eq!(words("Se\u{301}gou"), "segou");
        // Scripts without these accents are kept as they are, lowercased.
        assert_eq!(words("تمبكتو"), "تمبكتو");
        assert_eq!(words("ΑΘΗΝΑ"), "αθηνα");
    }

    #[test]
    fn words_are_folded_runs_of_letters_and_digits_cut_at_their_limit() {
        assert_eq!(
            words_of(["L’armée a repris Djoura (Dioura) le 23/05", "djoura G5"]),
            [
                "armee", "repris", "djoura", "dioura", "le", "23", "05", "g5"
            ]
        );
        // One letter is no word; a hostile word of a million letters is cut.
        let long = "a".repeat(1_000_000);
        assert_eq!(words_of(["a b", &long]), ["a".repeat(MAX_WORD)]);
        assert_eq!(words_of(["Ségou تمبكتو"]), ["segou", "تمبكتو"]);
    }

    #[test]
    fn a_shard_too_large_is_split_by_one_more_letter() {
        let common: Vec<u32> = (0..5_000).collect();
        let one = [7u32];
        let terms: Vec<(&str, &[u32])> = vec![
            ("da", &one),
            ("de", &common),
            ("dea", &one),
            ("deb", &common),
            ("debut", &one),
            ("dj", &one),
        ];
        let mut shards = Vec::new();
        split_shards(&terms, 2, &mut shards);
        let keys: Vec<(&str, Vec<&str>)> = shards
            .iter()
            .map(|s| (s.key.as_str(), s.terms.iter().map(|t| t.0).collect()))
            .collect();
        assert_eq!(
            keys,
            [
                ("da", vec!["da"]),
                // "de" keeps the word "de"; "dea" and "deb…" go one letter deeper,
                // and "deb…", large too, one more: "debut" stands in "debu".
                ("de", vec!["de"]),
                ("dea", vec!["dea"]),
                ("deb", vec!["deb"]),
                ("debu", vec!["debut"]),
                ("dj", vec!["dj"]),
            ]
        );
    }

    #[test]
    fn shard_files_are_safe_names_on_every_system() {
        assert_eq!(shard_file("dj"), "wdj");
        // "con" is reserved on Windows whatever follows it; ASCII names start with w.
        assert_eq!(shard_file("con"), "wcon");
        assert_eq!(shard_file("sé"), "x73c3a9");
        assert_eq!(shard_file("../"), "x2e2e2f");
    }

    #[test]
    fn lists_are_first_then_gaps() {
        let mut out = String::new();
        push_gaps(&mut out, &[3, 4, 10]);
        assert_eq!(out, "[3,1,6]");
        out.clear();
        push_gaps(&mut out, &[]);
        assert_eq!(out, "[]");
    }
}
