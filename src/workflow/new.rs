//! `annalist new`: creates an event file from flags, or by asking for each missing
//! field in a terminal; `annalist new actor ID` and `annalist new location ID` create
//! an actor or a place. Every value is checked against the chronology (unknown ids get
//! "did you mean"), the file is parsed by the loader before it is written, and an
//! existing file is never replaced.

use super::prompt::{self, Prompter};
use super::{schema, write_new_file};
use crate::date::{EventDate, TimeOfDay};
use crate::error::Error;
use crate::model::{
    self, ActorKind, EventType, Latitude, LocationKind, Longitude, Relation, Role, Status, Tag, Url,
};
use crate::span::{Known, Problem, Scalar};
use crate::yaml_out as yaml;
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `annalist new` is asked to create.
#[derive(Debug, Clone)]
pub enum NewOptions {
    Event(Box<EventOptions>),
    Actor(ActorOptions),
    Location(LocationOptions),
}

impl NewOptions {
    /// The chronology folder the file goes into.
    pub fn root(&self) -> &Path {
        match self {
            NewOptions::Event(e) => &e.root,
            NewOptions::Actor(a) => &a.root,
            NewOptions::Location(l) => &l.root,
        }
    }
}

/// The fields of a new event, as given on the command line (unchecked). In a terminal,
/// the required ones that are missing are asked for.
#[derive(Debug, Clone, Default)]
pub struct EventOptions {
    /// The chronology folder (the one holding `events/`).
    pub root: PathBuf,
    pub date: Option<String>,
    pub title: Option<String>,
    pub event_type: Option<String>,
    pub status: Option<String>,
    /// Location ids.
    pub locations: Vec<String>,
    /// `ID:ROLE` each.
    pub actors: Vec<String>,
    /// A clock time or a part of the day.
    pub time: Option<String>,
    pub summary: Option<String>,
    /// Who claims the event (an actor id).
    pub claimant: Option<String>,
    /// The outlet that carried the claim (an actor id); only with a claimant.
    pub channel: Option<String>,
    /// What the claimant says; only with a claimant.
    pub claim: Option<String>,
    /// The publisher of the source.
    pub source: Option<String>,
    /// The address of the source; only with a source.
    pub url: Option<String>,
    pub tags: Vec<String>,
    /// The id, instead of the one made from the date and the title.
    pub id: Option<String>,
    /// Ask for the missing fields even when the input is not a terminal.
    pub interactive: bool,
}

/// The fields of a new actor, as given on the command line (unchecked).
#[derive(Debug, Clone, Default)]
pub struct ActorOptions {
    pub id: String,
    /// The chronology folder (the one holding `events/`).
    pub root: PathBuf,
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    /// Relations to other actors (`TYPE:TARGET`), each with its dates.
    pub relations: Vec<DatedFlag>,
    /// Names it bore before (`SHORT=Full name`, or the full name alone), each with
    /// its dates.
    pub former_names: Vec<DatedFlag>,
    /// Ask for the missing fields even when the input is not a terminal.
    pub interactive: bool,
}

/// A flag of `new` that holds for a time, with the `--since` and `--until` that
/// follow it on the command line (unchecked): a relation, a former name, a parent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatedFlag {
    /// What the flag says: `part-of:jnim`, `EIGS=État islamique dans le Grand
    /// Sahara`, `mopti-region`.
    pub spec: String,
    /// The first day it held, at the precision of the sources; `None` if unknown.
    pub since: Option<String>,
    /// The last day it held; `None` while it holds.
    pub until: Option<String>,
}

/// The fields of a new location, as given on the command line (unchecked).
#[derive(Debug, Clone, Default)]
pub struct LocationOptions {
    pub id: String,
    /// The chronology folder (the one holding `events/`).
    pub root: PathBuf,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// The ids of the larger places that contain it, each with its dates: one
    /// undated for a place always inside the same one, several over time.
    pub parents: Vec<DatedFlag>,
    /// Latitude and longitude in decimal degrees, as written.
    pub lat: Option<String>,
    pub lon: Option<String>,
    /// Ask for the missing fields even when the input is not a terminal.
    pub interactive: bool,
}

/// What `new` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    /// The file, relative to the chronology root.
    pub path: PathBuf,
    /// Things worth knowing about the new file (a warning `check` will give).
    pub notes: Vec<String>,
}

/// Runs `annalist new`, asking questions on stderr when the input is a terminal.
pub fn run(opts: &NewOptions) -> Result<Created, Error> {
    let tty = std::io::stdin().is_terminal();
    let stdin = std::io::stdin();
    let mut p = Prompter::new(stdin.lock(), std::io::stderr());
    match opts {
        NewOptions::Event(e) => event(e, tty, &mut p),
        NewOptions::Actor(a) => actor(a, tty, &mut p),
        NewOptions::Location(l) => location(l, tty, &mut p),
    }
}

// ---------------------------------------------------------------------------------
// What the chronology already holds

/// The ids of the chronology, from file names (the loader learns them the same way),
/// and its language.
struct Chronology {
    root: PathBuf,
    lang: String,
    /// The site's other languages, for which the file leaves a line to fill in.
    others: Vec<String>,
    events: BTreeMap<String, PathBuf>,
    actors: Vec<String>,
    locations: Vec<String>,
}

impl Chronology {
    fn open(root: &Path) -> Result<Chronology, Error> {
        let events_dir = root.join("events");
        if !events_dir.is_dir() {
            return Err(Error::new(format!(
                "no `events` folder in `{}`",
                root.display()
            ))
            .help("pass the chronology folder with `--root DIR`, or create one with `annalist init DIR`"));
        }
        let (lang, others) = crate::config::load(root)
            .map(|c| {
                let others = c.languages.iter().skip(1).cloned().collect();
                (c.language, others)
            })
            .unwrap_or_else(|_| ("fr".into(), Vec::new()));
        let mut c = Chronology {
            root: root.to_path_buf(),
            lang,
            others,
            events: BTreeMap::new(),
            actors: Vec::new(),
            locations: Vec::new(),
        };
        // The files the loader would read, by the same rules.
        for e in crate::layout::discover(root).entries {
            match e.kind {
                crate::layout::Kind::Event => {
                    c.events.entry(e.id).or_insert(e.path);
                }
                crate::layout::Kind::Actor => c.actors.push(e.id),
                crate::layout::Kind::Location => c.locations.push(e.id),
            }
        }
        c.actors.sort();
        c.locations.sort();
        Ok(c)
    }

    fn known(&self) -> Arc<Known> {
        let mut k = Known::default();
        k.events.extend(self.events.keys().cloned());
        k.actors.extend(self.actors.iter().cloned());
        k.locations.extend(self.locations.iter().cloned());
        Arc::new(k)
    }

    fn actor_ids(&self) -> Vec<&str> {
        self.actors.iter().map(String::as_str).collect()
    }

    fn location_ids(&self) -> Vec<&str> {
        self.locations.iter().map(String::as_str).collect()
    }

    /// The first line of a new file of `kind`, when the chronology has its schema.
    fn modeline(&self, kind: &str) -> String {
        if self.root.join(schema::file_for(kind)).is_file() {
            schema::modeline(kind)
        } else {
            String::new()
        }
    }

    fn schema_note(&self, kind: &str) -> Option<String> {
        (!self.root.join(schema::file_for(kind)).is_file()).then(|| {
            format!(
                "tip: `annalist schema --write {}` writes the schemas editors use to complete fields",
                self.root.display()
            )
        })
    }
}

// ---------------------------------------------------------------------------------
// Checks of single values, shared by flags and questions

fn problem_text(p: Problem) -> String {
    match p.help {
        Some(h) => format!("{}; {h}", p.message),
        None => p.message,
    }
}

fn vocabulary<T: Scalar>(s: &str) -> Result<T, String> {
    T::from_scalar(s.trim()).map_err(problem_text)
}

fn keys<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| key(*v)).collect::<Vec<_>>().join(", ")
}

fn known_id(what: &str, id: &str, known: &[&str], create: &str) -> Result<String, String> {
    let id = id.trim();
    if known.contains(&id) {
        return Ok(id.to_string());
    }
    Err(match model::did_you_mean(id, known.iter().copied()) {
        Some(s) => format!("unknown {what} `{id}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{id}`; create it first with `{create} {id} --name ...`"),
    })
}

fn parse_date(s: &str) -> Result<EventDate, String> {
    EventDate::parse(s.trim()).map_err(|e| match e.help {
        Some(help) => format!("{} ({help})", e.message),
        None => e.message,
    })
}

/// `ID:ROLE`, the actor by its id (or a unique prefix, when `prefix` allows it).
fn parse_actor(spec: &str, actors: &[&str], prefix: bool) -> Result<(String, Role), String> {
    let Some((id, role)) = spec.split_once(':') else {
        return Err(format!(
            "`{spec}` gives no role; write `ID:ROLE`, e.g. `{}:perpetrator` (roles: {})",
            spec.trim(),
            keys(Role::ALL, Role::key)
        ));
    };
    let id = if prefix {
        prompt::resolve(id.trim(), actors)?
    } else {
        known_id("actor", id, actors, "annalist new actor")?
    };
    let role_keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
    let role = match prompt::resolve(role.trim(), &role_keys) {
        Ok(r) if prefix => r,
        _ => role.trim().to_string(),
    };
    Ok((id, vocabulary::<Role>(&role)?))
}

/// The date as it starts an id: `2025-05-23`, `2023-09`, `2023` (without qualifiers).
pub fn date_prefix(d: &EventDate) -> String {
    d.start().to_iso()
}

/// Words that say little in an id.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "at", "on", "to", "for", "by", "with", "from", "and", "le", "la",
    "les", "l", "de", "du", "des", "d", "un", "une", "et", "en", "au", "aux", "par", "pour", "sur",
    "dans", "avec", "s", "qu", "que", "est",
];

/// The id of an event: its date as written, then the first words of the title that
/// say something, at most six and about fifty characters.
pub fn derive_id(date: &EventDate, title: &str) -> String {
    let slug = model::slugify(title);
    let mut words: Vec<&str> = Vec::new();
    let mut len = 0;
    for w in slug.split('-').filter(|w| !w.is_empty()) {
        if STOP_WORDS.contains(&w) {
            continue;
        }
        if words.len() == 6 || (len + w.len() > 50 && !words.is_empty()) {
            break;
        }
        len += w.len() + 1;
        words.push(w);
    }
    let mut id = date_prefix(date);
    if words.is_empty() {
        id.push_str("-event");
    } else {
        for w in words {
            id.push('-');
            id.push_str(w);
        }
    }
    id.truncate(120);
    id.trim_end_matches('-').to_string()
}

// ---------------------------------------------------------------------------------
// Events

/// The values of a new event once checked.
struct EventValues {
    date_text: String,
    date: EventDate,
    title: String,
    event_type: EventType,
    status: Status,
    locations: Vec<String>,
    actors: Vec<(String, Role)>,
    time: Option<String>,
    summary: Option<String>,
    claim: Option<(String, Option<String>, String)>,
    source: Option<(String, Option<String>)>,
    tags: Vec<String>,
}

/// Creates an event file: the steps of `annalist new` for an event.
fn event<R: BufRead, W: Write>(
    a: &EventOptions,
    tty: bool,
    p: &mut Prompter<R, W>,
) -> Result<Created, Error> {
    let c = Chronology::open(&a.root)?;
    let ask = should_ask(a, tty)?;
    refuse_orphan_flags(a)?;
    let values = event_values(a, ask, &c, p)?;
    let id = event_id(a, &values, &c)?;
    let rel = PathBuf::from("events")
        .join(values.date.year().to_string())
        .join(format!("{id}.yaml"));
    let text = format!(
        "{}{}",
        c.modeline("event"),
        event_text(&values, &c.lang, &c.others)
    );
    // The file must read back as a valid event before it is written.
    let known = c.known();
    write_checked(&c.root, &rel, &text, |t| {
        crate::load::parse_event(t, &rel, &id, &known).map(drop)
    })?;
    Ok(Created {
        notes: event_notes(&id, &values, &c),
        path: rel,
    })
}

/// Whether to ask for the fields the flags leave out: with `--interactive`, or in a
/// terminal when a required one is missing. Without a terminal, a missing required
/// field is a failure that names them all.
fn should_ask(a: &EventOptions, tty: bool) -> Result<bool, Error> {
    let missing: Vec<&str> = [
        ("--date", a.date.is_none()),
        ("--title", a.title.is_none()),
        ("--type", a.event_type.is_none()),
        ("--status", a.status.is_none()),
        ("--location", a.locations.is_empty()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(f, _)| *f)
    .collect();
    let ask = a.interactive || (tty && !missing.is_empty());
    if !ask && !missing.is_empty() {
        return Err(Error::new(format!("missing {}", missing.join(", "))).help(
            "give every required field as a flag, e.g. `annalist new --date 2025-05-23 --title \"...\" \
             --type attack --status reported --location ID`, or run it in a terminal to be asked for each",
        ));
    }
    Ok(ask)
}

/// `--claim` and `--channel` describe a claimant's claim: without `--claimant` they
/// would be dropped, so they are refused before anything is asked.
fn refuse_orphan_flags(a: &EventOptions) -> Result<(), Error> {
    if a.claimant.is_some() {
        return Ok(());
    }
    let orphans: Vec<&str> = [("--claim", &a.claim), ("--channel", &a.channel)]
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, _)| *f)
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    Err(Error::new(format!(
        "{} {} --claimant: the actor who makes the claim",
        orphans.join(" and "),
        if orphans.len() == 1 { "needs" } else { "need" }
    ))
    .help("add `--claimant ID` (an actor id), or leave out --claim and --channel"))
}

/// Every value of the new event, from its flag or, when `ask`, from a question, each
/// checked against the chronology; in the order the questions come.
fn event_values<R: BufRead, W: Write>(
    a: &EventOptions,
    ask: bool,
    c: &Chronology,
    p: &mut Prompter<R, W>,
) -> Result<EventValues, Error> {
    let actor_ids = c.actor_ids();
    let (date_text, date) = date_value(a, p)?;
    let title = title_value(a, &c.lang, p)?;
    let event_type: EventType = match &a.event_type {
        Some(t) => flag("--type", vocabulary(t))?,
        None => choose_vocabulary(p, "Type", EventType::ALL, EventType::key)?,
    };
    let status: Status = match &a.status {
        Some(s) => flag("--status", vocabulary(s))?,
        None => choose_vocabulary(p, "Status", Status::ALL, Status::key)?,
    };
    let locations = location_values(a, &c.location_ids(), p)?;
    let actors = actor_values(a, ask, &actor_ids, p)?;
    let time = time_value(a)?;
    let claim = claim_value(a, status, ask, &actor_ids, p)?;
    let source = source_value(a, ask, p)?;
    let tags = tag_values(a)?;
    Ok(EventValues {
        date_text,
        date,
        title,
        event_type,
        status,
        locations,
        actors,
        time,
        summary: a.summary.clone().filter(|s| !s.trim().is_empty()),
        claim,
        source,
        tags,
    })
}

/// The date as written (trimmed) and as read.
fn date_value<R: BufRead, W: Write>(
    a: &EventOptions,
    p: &mut Prompter<R, W>,
) -> Result<(String, EventDate), Error> {
    match &a.date {
        Some(d) => Ok((d.trim().to_string(), flag("--date", parse_date(d))?)),
        None => p.ask(
            "Date",
            "2025-05-23, 2025-05 or 2025; ~ approximate, ? uncertain",
            |s| parse_date(s).map(|d| (s.trim().to_string(), d)),
        ),
    }
}

fn title_value<R: BufRead, W: Write>(
    a: &EventOptions,
    lang: &str,
    p: &mut Prompter<R, W>,
) -> Result<String, Error> {
    match &a.title {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
        Some(_) => Err(Error::new("--title: the title is empty")),
        None => p.text("Title", &format!("a short headline, in `{lang}`")),
    }
}

/// The location ids, each known to the chronology.
fn location_values<R: BufRead, W: Write>(
    a: &EventOptions,
    location_ids: &[&str],
    p: &mut Prompter<R, W>,
) -> Result<Vec<String>, Error> {
    if a.locations.is_empty() {
        return p.choose_many("Locations", location_ids, true);
    }
    a.locations
        .iter()
        .map(|l| {
            flag(
                "--location",
                known_id("location", l, location_ids, "annalist new location"),
            )
        })
        .collect()
}

/// The actors and their roles; asked for (known ids by a unique prefix) only when
/// asking and no `--actor` is given.
fn actor_values<R: BufRead, W: Write>(
    a: &EventOptions,
    ask: bool,
    actor_ids: &[&str],
    p: &mut Prompter<R, W>,
) -> Result<Vec<(String, Role)>, Error> {
    if !a.actors.is_empty() {
        return a
            .actors
            .iter()
            .map(|spec| flag("--actor", parse_actor(spec, actor_ids, false)))
            .collect();
    }
    if !ask {
        return Ok(Vec::new());
    }
    p.say(&format!(
        "  known actors: {}\n",
        prompt::listing(actor_ids, "")
    ));
    p.ask(
        "Actors",
        "ID:ROLE separated by commas, e.g. jnim:perpetrator; empty for none",
        |s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| parse_actor(x, actor_ids, true))
                .collect()
        },
    )
}

/// The time as written, once checked.
fn time_value(a: &EventOptions) -> Result<Option<String>, Error> {
    match &a.time {
        Some(t) => {
            flag("--time", TimeOfDay::parse(t).map_err(|e| e.to_string()))?;
            Ok(Some(t.trim().to_string()))
        }
        None => Ok(None),
    }
}

/// The claim (claimant, channel, what is claimed): from the flags, asked for when the
/// event is claimed and no `--claimant` is given, required for a claimed event.
fn claim_value<R: BufRead, W: Write>(
    a: &EventOptions,
    status: Status,
    ask: bool,
    actor_ids: &[&str],
    p: &mut Prompter<R, W>,
) -> Result<Option<(String, Option<String>, String)>, Error> {
    let actor =
        |name: &str, id: &str| flag(name, known_id("actor", id, actor_ids, "annalist new actor"));
    match (&a.claimant, status) {
        (Some(who), _) => {
            let who = actor("--claimant", who)?;
            let channel = a
                .channel
                .as_deref()
                .map(|ch| actor("--channel", ch))
                .transpose()?;
            let text = match &a.claim {
                Some(t) if !t.trim().is_empty() => t.trim().to_string(),
                _ if ask => p.text("What does the claimant say", "the claim, in a sentence")?,
                _ => {
                    return Err(
                        Error::new("--claimant needs --claim: what the claimant says")
                            .help("add `--claim \"...\"` with the claimant's words"),
                    );
                }
            };
            Ok(Some((who, channel, text)))
        }
        (None, Status::Claimed) if ask => {
            let who = p
                .choose("Who claims it", actor_ids, false)?
                .unwrap_or_default();
            let channel = p.choose("Through which channel (an actor)", actor_ids, true)?;
            let text = p.text("What does the claimant say", "the claim, in a sentence")?;
            Ok(Some((who, channel, text)))
        }
        (None, Status::Claimed) => Err(Error::new(
            "a claimed event needs its claimant: add --claimant ID and --claim TEXT",
        )
        .help("or choose another --status (reported, confirmed, disputed, denied)")),
        (None, _) => Ok(None),
    }
}

/// The source's publisher and address; the address is checked, and needs a publisher.
fn source_value<R: BufRead, W: Write>(
    a: &EventOptions,
    ask: bool,
    p: &mut Prompter<R, W>,
) -> Result<Option<(String, Option<String>)>, Error> {
    let source = match &a.source {
        Some(publisher) => Some((publisher.trim().to_string(), a.url.clone())),
        None if ask => match p.optional("Source (its publisher)", "empty to add it later")? {
            Some(publisher) => Some((publisher, p.optional("Its address", "empty for none")?)),
            None => None,
        },
        None => None,
    };
    if let Some((_, Some(u))) = &source {
        flag(
            "--url",
            Url::from_scalar(u).map(|_| ()).map_err(problem_text),
        )?;
    } else if a.url.is_some() && source.is_none() {
        return Err(Error::new(
            "--url needs --source: the publisher of the source",
        ));
    }
    Ok(source)
}

fn tag_values(a: &EventOptions) -> Result<Vec<String>, Error> {
    a.tags
        .iter()
        .map(|t| {
            flag(
                "--tag",
                Tag::from_scalar(t.trim())
                    .map(|t| t.0)
                    .map_err(problem_text),
            )
        })
        .collect()
}

/// The event's id: `--id` when valid, else made from the date and the title; it must
/// not be taken by another event, in any year.
fn event_id(a: &EventOptions, values: &EventValues, c: &Chronology) -> Result<String, Error> {
    let id = match &a.id {
        Some(id) if model::is_valid_id(id) => id.clone(),
        Some(id) => {
            return Err(
                Error::new(format!("--id: `{id}` is not a valid id")).help(format!(
                    "ids use lowercase letters, digits and `-`: `{}`",
                    model::slugify(id)
                )),
            );
        }
        None => derive_id(&values.date, &values.title),
    };
    if let Some(existing) = c.events.get(&id) {
        return Err(Error::new(format!(
            "an event with the id `{id}` already exists: `{}`",
            existing.display()
        ))
        .help("edit that file, or give this event another id with `--id`"));
    }
    Ok(id)
}

/// What is worth knowing about the new event file: the warnings `check` will give.
fn event_notes(id: &str, values: &EventValues, c: &Chronology) -> Vec<String> {
    let mut notes = Vec::new();
    if !id.starts_with(&date_prefix(&values.date)) {
        notes.push(format!(
            "the id does not start with the date `{}`; `annalist check` will warn",
            date_prefix(&values.date)
        ));
    }
    if values.source.is_none() {
        notes.push("add a source under `sources:` before publishing; `annalist check` warns about events without one".into());
    }
    notes.extend(c.schema_note("event"));
    notes
}

/// A flag's value, or the failure that names the flag.
fn flag<T>(name: &str, r: Result<T, String>) -> Result<T, Error> {
    r.map_err(|why| Error::new(format!("{name}: {why}")))
}

fn choose_vocabulary<T: Copy + Scalar, R: BufRead, W: Write>(
    p: &mut Prompter<R, W>,
    question: &str,
    all: &[T],
    key: impl Fn(T) -> &'static str,
) -> Result<T, Error> {
    let keys: Vec<&str> = all.iter().map(|v| key(*v)).collect();
    let chosen = p.choose(question, &keys, false)?.unwrap_or_default();
    vocabulary::<T>(&chosen).map_err(Error::new)
}

fn event_text(v: &EventValues, lang: &str, others: &[String]) -> String {
    let mut s = String::new();
    // A line to fill in for each other language of the site (`check` warns until then).
    let translate = |s: &mut String| {
        for o in others {
            s.push_str(&format!("  # {o}: the same text in `{o}`\n"));
        }
    };
    s.push_str(&yaml::text_field("title", lang, &v.title, 0));
    translate(&mut s);
    match &v.summary {
        Some(t) => {
            s.push_str(&yaml::text_field("summary", lang, t, 0));
            translate(&mut s);
        }
        None => s.push_str(&format!(
            "# summary:\n#   {lang}: One or two sentences shown in lists.\n"
        )),
    }
    s.push_str(&format!("date: {}\n", v.date_text));
    match &v.time {
        Some(t) => s.push_str(&format!("time: {}\n", yaml::scalar(t))),
        None => {
            s.push_str("# time: midday   # 14:30, or morning, midday, afternoon, evening, night\n")
        }
    }
    s.push_str(&format!("type: {}\n", v.event_type.key()));
    s.push_str(&format!("status: {}\n", v.status.key()));
    s.push_str(&format!("locations: [{}]\n", v.locations.join(", ")));
    if v.actors.is_empty() {
        s.push_str(&format!(
            "# actors:\n#   - id: an-actor\n#     role: perpetrator   # {}\n",
            keys(Role::ALL, Role::key)
        ));
    } else {
        s.push_str("actors:\n");
        for (id, role) in &v.actors {
            s.push_str(&format!("  - id: {id}\n    role: {}\n", role.key()));
        }
    }
    match &v.claim {
        Some((who, channel, text)) => {
            s.push_str(&format!("claims:\n  - claimant: {who}\n"));
            if let Some(ch) = channel {
                s.push_str(&format!("    channel: {ch}\n"));
            }
            s.push_str(&yaml::text_field("claim", lang, text, 4));
        }
        None => s.push_str(&format!(
            "# claims:   # required when the status is claimed\n#   - claimant: an-actor\n#     channel: its-media-arm\n#     claim:\n#       {lang}: What the claimant says.\n"
        )),
    }
    s.push_str("# official_reaction: none   # only when a source says no reaction was published\n");
    s.push_str(&format!(
        "# casualties:\n#   - who: civilians        # an actor id, or civilians\n#     what: killed          # {}\n#     figure: about 10      # 10, about 10, at least 10, more than 10, fewer than 10, 10-40, several, dozens, hundreds, unspecified\n#     source: 1             # the source that gives it; `according_to: an-actor` for the actor who does\n#     date: 2025-01-15      # when it was given; one entry per report, never a merged figure\n",
        keys(model::CasualtyKind::ALL, model::CasualtyKind::key)
    ));
    s.push_str(&format!(
        "# related:\n#   - id: another-event-id\n#     relation: follow-up   # {}\n",
        keys(Relation::ALL, Relation::key)
    ));
    match &v.source {
        Some((publisher, url)) => {
            s.push_str(&format!("sources:\n  - publisher: {}\n", yaml::scalar(publisher)));
            if let Some(u) = url {
                s.push_str(&format!("    url: {}\n", yaml::scalar(u.trim())));
            }
            s.push_str("    # title: The title of the article\n    # date: 2025-05-23\n    # language: fr\n    # quote: The sentence that supports the facts above.\n");
        }
        None => s.push_str(
            "# sources:   # where the facts come from; `annalist check` warns without one\n#   - publisher: A newspaper\n#     title: The title of the article\n#     url: https://...\n#     quote: The sentence that supports the facts above.\n",
        ),
    }
    if v.tags.is_empty() {
        s.push_str("# tags: [a-tag]\n");
    } else {
        s.push_str(&format!("tags: [{}]\n", v.tags.join(", ")));
    }
    s.push_str(&format!(
        "# updates:   # substantive corrections, shown to readers\n#   - date: 2025-05-24\n#     note:\n#       {lang}: What was corrected, and why.\n"
    ));
    s.push_str("# aliases: [former-id]   # former ids, if this file is ever renamed\n");
    s.push_str(&format!(
        "# body:\n#   {lang}: |\n#     The full account, in Markdown, attributed to its sources.\n"
    ));
    s
}

// ---------------------------------------------------------------------------------
// Actors and locations

fn check_new_id(id: &str, existing: &[String], what: &str, dir: &str) -> Result<(), Error> {
    if !model::is_valid_id(id) {
        return Err(
            Error::new(format!("`{id}` is not a valid id")).help(format!(
                "ids use lowercase letters, digits and `-`: `{}`",
                model::slugify(id)
            )),
        );
    }
    if existing.iter().any(|e| e == id) {
        return Err(Error::new(format!(
            "the {what} `{id}` already exists: `{dir}{id}.yaml`"
        ))
        .help("edit that file, or choose another id"));
    }
    Ok(())
}

fn actor<R: BufRead, W: Write>(
    a: &ActorOptions,
    tty: bool,
    p: &mut Prompter<R, W>,
) -> Result<Created, Error> {
    let c = Chronology::open(&a.root)?;
    check_new_id(&a.id, &c.actors, "actor", "events/actors/")?;
    let ask = a.interactive || (tty && a.name.is_none());
    let name = match &a.name {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        Some(_) => return Err(Error::new("--name: the name is empty")),
        None if ask => p.text("Name", "the full name")?,
        None => {
            return Err(Error::new("missing --name")
                .help("give the actor's full name: `annalist new actor ID --name \"...\"`"));
        }
    };
    let kind: Option<ActorKind> = match &a.kind {
        Some(k) => Some(vocabulary(k).map_err(|w| Error::new(format!("--kind: {w}")))?),
        None if ask => {
            let keys: Vec<&str> = ActorKind::ALL.iter().map(|k| k.key()).collect();
            match p.choose(
                "Kind (leave empty when the sources do not say)",
                &keys,
                true,
            )? {
                Some(k) => Some(vocabulary(&k).map_err(Error::new)?),
                None => None,
            }
        }
        None => None,
    };
    let mut relations = Vec::new();
    for r in &a.relations {
        relations.push(relation_value(r, &c, ask, p)?);
    }
    if ask && a.relations.is_empty() {
        let hint = "TYPE:TARGET, e.g. part-of:jnim; empty for none";
        while let Some(spec) = p.optional("Relation", hint)? {
            let r = DatedFlag {
                spec,
                ..DatedFlag::default()
            };
            relations.push(relation_value(&r, &c, true, p)?);
        }
    }
    let mut former = Vec::new();
    for f in &a.former_names {
        former.push(former_name_value(f, ask, p)?);
    }
    if ask && a.former_names.is_empty() {
        let hint = "SHORT=Full name, or the full name alone, e.g. EIGS=État islamique dans le Grand Sahara; empty for none";
        while let Some(spec) = p.optional("Former name", hint)? {
            let f = DatedFlag {
                spec,
                ..DatedFlag::default()
            };
            former.push(former_name_value(&f, true, p)?);
        }
    }
    let mut s = c.modeline("actor");
    s.push_str(&format!("name: {}\n", yaml::scalar(&name)));
    match &a.short_name {
        Some(sn) => s.push_str(&format!("short_name: {}\n", yaml::scalar(sn.trim()))),
        None => s.push_str("# short_name: ABC   # a short name or acronym used in lists\n"),
    }
    s.push_str(&names_text(&former));
    s.push_str("# aliases: [Other name, Other spelling]\n");
    match kind {
        Some(k) => s.push_str(&format!("kind: {}\n", k.key())),
        None => s.push_str(&format!(
            "# kind: armed-group   # only when the sources say: {}\n",
            keys(ActorKind::ALL, ActorKind::key)
        )),
    }
    if relations.is_empty() {
        s.push_str(&format!(
            "# relations:\n#   - type: part-of   # {}\n#     target: another-actor\n\
             #     since: 2017-03   # the first day it held, if known (both ends count)\n\
             #     until: 2022      # the last day, once it has ended\n",
            keys(model::ActorRelationType::ALL, model::ActorRelationType::key)
        ));
    } else {
        s.push_str("relations:\n");
        for (kind, target, since, until) in &relations {
            s.push_str(&format!("  - type: {}\n", kind.key()));
            s.push_str(&format!("    target: {}\n", yaml::scalar(target)));
            for (key, d) in [("since", since), ("until", until)] {
                if let Some(d) = d {
                    s.push_str(&format!("    {key}: {}\n", yaml::scalar(&d.to_edtf())));
                }
            }
        }
    }
    s.push_str(&format!(
        "# description:\n#   {}: A short description, from the sources.\n",
        c.lang
    ));
    let rel = PathBuf::from("events/actors").join(format!("{}.yaml", a.id));
    write_checked(&c.root, &rel, &s, |t| {
        crate::load::parse_actor(t, &rel, &a.id, &c.known()).map(drop)
    })?;
    Ok(Created {
        path: rel,
        notes: c.schema_note("actor").into_iter().collect(),
    })
}

/// A relation's type, target and dates, checked; its missing dates asked for when
/// `ask`.
fn relation_value<R: BufRead, W: Write>(
    r: &DatedFlag,
    c: &Chronology,
    ask: bool,
    p: &mut Prompter<R, W>,
) -> Result<
    (
        model::ActorRelationType,
        String,
        Option<EventDate>,
        Option<EventDate>,
    ),
    Error,
> {
    let flag = |w: String| Error::new(format!("--relation {}: {w}", r.spec));
    let Some((kind, target)) = r.spec.split_once(':') else {
        return Err(flag(format!(
            "write `TYPE:TARGET`, e.g. `part-of:jnim` (types: {})",
            keys(model::ActorRelationType::ALL, model::ActorRelationType::key)
        )));
    };
    let kind: model::ActorRelationType = vocabulary(kind.trim()).map_err(flag)?;
    let target =
        known_id("actor", target.trim(), &c.actor_ids(), "annalist new actor").map_err(flag)?;
    let (mut since, mut until) = flag_dates(r).map_err(flag)?;
    let what = format!("{} {target}", kind.key());
    if ask && since.is_none() {
        p.say(&format!("  {what}\n"));
        since = p.ask("Since when?", "empty if unknown", |a| {
            (!a.is_empty()).then(|| bound("since", a)).transpose()
        })?;
    }
    if ask && until.is_none() {
        until = p.ask("Until when?", "empty if it still holds", |a| {
            (!a.is_empty()).then(|| bound("until", a)).transpose()
        })?;
    }
    in_order(&since, &until).map_err(flag)?;
    Ok((kind, target, since, until))
}

/// One end of a period given on the command line: a single date (of any precision),
/// not a span.
fn bound(key: &str, v: &str) -> Result<EventDate, String> {
    let d = parse_date(v)?;
    if d.is_interval() {
        return Err(format!(
            "`{key}` is one date, not a span: write one date, with ~ if it is approximate"
        ));
    }
    Ok(d)
}

/// The `--since` and `--until` of a dated flag, read.
fn flag_dates(f: &DatedFlag) -> Result<(Option<EventDate>, Option<EventDate>), String> {
    let read = |key: &str, v: &Option<String>| v.as_deref().map(|v| bound(key, v)).transpose();
    Ok((read("since", &f.since)?, read("until", &f.until)?))
}

/// Refuses a period that ends before it begins (`check` would).
fn in_order(since: &Option<EventDate>, until: &Option<EventDate>) -> Result<(), String> {
    if crate::period::Period::new(since.as_ref(), until.as_ref())
        .possible()
        .is_none()
    {
        return Err("it ends before it begins: check --since and --until".into());
    }
    Ok(())
}

/// A name an actor bore for a time, checked: one entry of `names:`.
struct FormerName {
    name: String,
    short_name: Option<String>,
    since: Option<EventDate>,
    until: Option<EventDate>,
}

/// `SHORT=Full name` (or the full name alone) and its dates; the missing dates asked
/// for when `ask`. A former name needs a date: without one it would hold at all
/// times, like the current name (the loader refuses such an entry).
fn former_name_value<R: BufRead, W: Write>(
    f: &DatedFlag,
    ask: bool,
    p: &mut Prompter<R, W>,
) -> Result<FormerName, Error> {
    let flag = |w: String| Error::new(format!("--former-name \"{}\": {w}", f.spec.trim()));
    let (short_name, name) = match f.spec.split_once('=') {
        Some((short, full)) => (Some(short.trim()), full.trim()),
        None => (None, f.spec.trim()),
    };
    if short_name == Some("") {
        return Err(flag("nothing before `=`".into()).help(
            "write `SHORT=Full name` (`EIGS=État islamique dans le Grand Sahara`), or the full name alone",
        ));
    }
    if name.is_empty() {
        return Err(flag("the full name is empty".into()).help(
            "write `SHORT=Full name` (`EIGS=État islamique dans le Grand Sahara`), or the full name alone",
        ));
    }
    let (mut since, mut until) = flag_dates(f).map_err(flag)?;
    if ask && until.is_none() {
        p.say(&format!("  former name: {name}\n"));
        let required = since.is_none();
        let hint = if required {
            "the last day it was in use"
        } else {
            "the last day it was in use; empty if it still is"
        };
        until = p.ask("Until when?", hint, |a| {
            if a.is_empty() && required {
                return Err("a former name needs the day it ended, at the precision of the sources (2022-03, 2022)".into());
            }
            (!a.is_empty()).then(|| bound("until", a)).transpose()
        })?;
    }
    if ask && since.is_none() {
        since = p.ask(
            "Since when?",
            "the first day it was in use; empty if unknown",
            |a| (!a.is_empty()).then(|| bound("since", a)).transpose(),
        )?;
    }
    if since.is_none() && until.is_none() {
        return Err(flag("a former name needs its dates".into()).help(
            "add `--until DATE` after it (the last day it was in use, e.g. `--until 2022-03`), \
             or `--since DATE` for a name taken later; a name that never changed belongs in `aliases:`",
        ));
    }
    in_order(&since, &until).map_err(flag)?;
    Ok(FormerName {
        name: name.to_string(),
        short_name: short_name.map(str::to_string),
        since,
        until,
    })
}

/// The `names:` list of a new actor, or a commented example when it has none.
fn names_text(former: &[FormerName]) -> String {
    if former.is_empty() {
        return "# names:   # former names, each with the last day it was in use\n\
                #   - name: Former full name\n\
                #     short_name: ABC\n\
                #     until: 2022-03\n"
            .to_string();
    }
    let entries = former
        .iter()
        .map(|f| {
            yaml::MapBuilder::new()
                .text("name", f.name.as_str())
                .opt("short_name", f.short_name.as_deref())
                .opt("since", f.since.as_ref().map(EventDate::to_edtf))
                .opt("until", f.until.as_ref().map(EventDate::to_edtf))
                .build()
        })
        .collect();
    yaml::document(
        &yaml::MapBuilder::new()
            .put("names", yaml::Node::List(entries))
            .build(),
    )
}

/// A parent of a new place, checked: its id and the days it holds.
struct ParentValue {
    id: String,
    since: Option<EventDate>,
    until: Option<EventDate>,
}

/// The `--parent` flags, each a known place with its dates; refused when two of them
/// would hold on the same days (`check` refuses that too).
fn parent_values(l: &LocationOptions, location_ids: &[&str]) -> Result<Vec<ParentValue>, Error> {
    let mut out: Vec<ParentValue> = Vec::new();
    for f in &l.parents {
        let flag = |w: String| Error::new(format!("--parent {}: {w}", f.spec.trim()));
        let id =
            known_id("location", &f.spec, location_ids, "annalist new location").map_err(flag)?;
        let (since, until) = flag_dates(f).map_err(flag)?;
        in_order(&since, &until).map_err(flag)?;
        let period = crate::period::Period::new(since.as_ref(), until.as_ref());
        if let Some(other) = out.iter().find(|o| {
            crate::period::Period::new(o.since.as_ref(), o.until.as_ref())
                .certainly_shared(&period)
                .is_some()
        }) {
            return Err(flag(format!(
                "it would hold on the same days as `--parent {}`",
                other.id
            ))
            .help("end one parent where the next begins: `--parent old-region --until 2023 --parent new-region --since 2023`"));
        }
        out.push(ParentValue { id, since, until });
    }
    Ok(out)
}

/// `parent:` for one parent at all times, else `parents:` with the dates of each;
/// the other form in a comment.
fn parents_text(parents: &[ParentValue]) -> String {
    let dated = parents.len() > 1
        || parents
            .iter()
            .any(|p| p.since.is_some() || p.until.is_some());
    let other = "# parents:   # instead of `parent`, when it moved (a region reform):\n\
                 #   - {id: old-region, until: 2023}\n\
                 #   - {id: new-region, since: 2023}\n";
    match parents {
        [] => format!("# parent: a-region   # the larger place that contains it\n{other}"),
        [one] if !dated => format!("parent: {}\n{other}", one.id),
        _ => {
            let entries = parents
                .iter()
                .map(|p| {
                    yaml::MapBuilder::new()
                        .text("id", p.id.as_str())
                        .opt("since", p.since.as_ref().map(EventDate::to_edtf))
                        .opt("until", p.until.as_ref().map(EventDate::to_edtf))
                        .build()
                })
                .collect();
            yaml::document(
                &yaml::MapBuilder::new()
                    .put("parents", yaml::Node::List(entries))
                    .build(),
            )
        }
    }
}

fn location<R: BufRead, W: Write>(
    l: &LocationOptions,
    tty: bool,
    p: &mut Prompter<R, W>,
) -> Result<Created, Error> {
    let c = Chronology::open(&l.root)?;
    check_new_id(&l.id, &c.locations, "location", "events/locations/")?;
    let ask = l.interactive || (tty && (l.name.is_none() || l.kind.is_none()));
    let name = match &l.name {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        Some(_) => return Err(Error::new("--name: the name is empty")),
        None if ask => p.text("Name", "")?,
        None => {
            return Err(Error::new("missing --name")
                .help("`annalist new location ID --name \"...\" --kind town --parent REGION`"));
        }
    };
    let kind: LocationKind = match &l.kind {
        Some(k) => vocabulary(k).map_err(|w| Error::new(format!("--kind: {w}")))?,
        None if ask => choose_vocabulary(p, "Kind", LocationKind::ALL, LocationKind::key)?,
        None => {
            return Err(Error::new("missing --kind").help(format!(
                "one of: {}",
                keys(LocationKind::ALL, LocationKind::key)
            )));
        }
    };
    let location_ids = c.location_ids();
    let mut parents = parent_values(l, &location_ids)?;
    if parents.is_empty()
        && ask
        && let Some(id) = p.choose("Inside which place (its parent)", &location_ids, true)?
    {
        parents.push(ParentValue {
            id,
            since: None,
            until: None,
        });
    }
    let coordinates = match (&l.lat, &l.lon) {
        (Some(lat), Some(lon)) => {
            let la = Latitude::from_scalar(lat)
                .map_err(|pb| Error::new(format!("--lat: {}", problem_text(pb))))?;
            let lo = Longitude::from_scalar(lon)
                .map_err(|pb| Error::new(format!("--lon: {}", problem_text(pb))))?;
            Some((la.0, lo.0))
        }
        (None, None) => None,
        _ => return Err(Error::new("give both --lat and --lon, or neither")),
    };
    let mut s = c.modeline("location");
    s.push_str(&format!("name: {}\n", yaml::scalar(&name)));
    s.push_str("# aliases: [Other name, Other spelling]\n");
    s.push_str(&format!(
        "kind: {}   # {}\n",
        kind.key(),
        keys(LocationKind::ALL, LocationKind::key)
    ));
    s.push_str(&parents_text(&parents));
    match coordinates {
        Some((la, lo)) => s.push_str(&format!("coordinates: {{lat: {la}, lon: {lo}}}\n")),
        None => s.push_str(
            "# coordinates: {lat: 12.34, lon: -5.67}   # from a source or a gazetteer, never guessed\n",
        ),
    }
    s.push_str(&format!(
        "# description:\n#   {}: A short description.\n",
        c.lang
    ));
    let rel = PathBuf::from("events/locations").join(format!("{}.yaml", l.id));
    write_checked(&c.root, &rel, &s, |t| {
        crate::load::parse_location(t, &rel, &l.id, &c.known()).map(drop)
    })?;
    let mut notes: Vec<String> = Vec::new();
    let is_place = matches!(
        kind,
        LocationKind::Village | LocationKind::Town | LocationKind::City | LocationKind::Site
    );
    if is_place && coordinates.is_none() {
        notes.push("add `coordinates:` when a source gives them; `annalist check` warns about places without".into());
    }
    notes.extend(c.schema_note("location"));
    Ok(Created { path: rel, notes })
}

/// Writes a new file only if the loader accepts it as `check` would, so that `new`
/// never leaves a failing file; the one place for events, actors and locations.
fn write_checked(
    root: &Path,
    rel: &Path,
    text: &str,
    parse: impl FnOnce(&str) -> Result<(), Vec<crate::diag::Diagnostic>>,
) -> Result<(), Error> {
    if let Err(ds) = parse(text) {
        let shown: Vec<String> = ds.iter().map(|d| d.render(Some(text), false)).collect();
        return Err(Error::new(format!(
            "the new file would not pass `annalist check`; nothing was written:\n{}",
            shown.join("\n")
        )));
    }
    write_new_file(root, rel, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> EventDate {
        EventDate::parse(s).expect("a date")
    }

    #[test]
    fn ids_are_made_of_the_date_and_the_words_that_matter() {
        assert_eq!(
            derive_id(
                &date("2025-05-23"),
                "Le JNIM revendique la prise du camp de l'armée malienne à Djoura"
            ),
            "2025-05-23-jnim-revendique-prise-camp-armee-malienne"
        );
        assert_eq!(derive_id(&date("2023-09~"), "Attack"), "2023-09-attack");
        assert_eq!(
            derive_id(&date("2023-09-01/2023-09-03"), "« ! »"),
            "2023-09-01-event"
        );
        let long = "Supercalifragilisticexpialidocious ".repeat(5);
        let id = derive_id(&date("2023"), &long);
        assert!(model::is_valid_id(&id) && id.len() < 100, "{id}");
    }

    #[test]
    fn an_actor_needs_a_known_id_and_a_role() {
        let actors = ["fama", "jnim"];
        assert_eq!(
            parse_actor("jnim:perpetrator", &actors, false),
            Ok(("jnim".into(), Role::Perpetrator))
        );
        assert!(
            parse_actor("jnimm:target", &actors, false)
                .unwrap_err()
                .contains("did you mean `jnim`")
        );
        assert!(
            parse_actor("jnim", &actors, false)
                .unwrap_err()
                .contains("ID:ROLE")
        );
        assert_eq!(
            parse_actor("jn:perp", &actors, true),
            Ok(("jnim".into(), Role::Perpetrator))
        );
    }
}
