//! Partial, uncertain event dates (a subset of EDTF / ISO 8601-2) and times of day: parsing with helpful errors, ordering, and French/English rendering.

use crate::error::Error;
use crate::fold::fold;
use chrono::{NaiveDate, NaiveTime, Timelike};
use std::cmp::Ordering;
use std::fmt;
use std::ops::RangeInclusive;

/// The first year accepted: four-digit years keep the written form unambiguous.
pub const MIN_YEAR: i32 = 1000;
/// The last year accepted, for the same reason.
pub const MAX_YEAR: i32 = 9999;

/// What editors are reminded of when a date cannot be read at all.
const DATE_FORMS: &str = "write a date such as `2025-05-23`, `2023-09` or `2023`, optionally followed by `~` (approximate), `?` (uncertain) or `%` (both), or a span such as `2023-09-01/2023-09-03`";

/// What editors are reminded of when a time cannot be read.
const TIME_FORMS: &str = "write a time as `HH:MM` on the 24-hour clock (`00:00` to `23:59`), or a part of the day: `morning`, `midday` (or `noon`), `afternoon`, `evening`, `night`";

pub use crate::lang::Lang;

// ---------------------------------------------------------------------------------
// Errors

// ---------------------------------------------------------------------------------
// Calendar tables

/// French month names, lowercase as French writes them.
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// English month names (chrono's locales are not enabled, so we keep our own).
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Month names and abbreviations editors may type instead of numbers, accent-folded
/// and lowercase, with their month number: recognised only to suggest the numeric form.
const MONTH_WORDS: [(&str, u32); 41] = [
    ("january", 1),
    ("jan", 1),
    ("janvier", 1),
    ("janv", 1),
    ("february", 2),
    ("feb", 2),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("march", 3),
    ("mar", 3),
    ("mars", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("may", 5),
    ("mai", 5),
    ("june", 6),
    ("jun", 6),
    ("juin", 6),
    ("july", 7),
    ("jul", 7),
    ("juillet", 7),
    ("juil", 7),
    ("august", 8),
    ("aug", 8),
    ("aout", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octobre", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("december", 12),
    ("dec", 12),
    ("decembre", 12),
];

/// The name of month `month` (1–12, clamped) in `lang`.
fn month_name(lang: Lang, month: u32) -> &'static str {
    let i = month.clamp(1, 12) as usize - 1;
    match lang {
        Lang::Fr => MONTHS_FR[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// Whether `year` has a 29 February in the proleptic Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// How many days month `month` (1–12, clamped) of `year` has, leap years included.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month.clamp(1, 12) {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A calendar day that never panics: out-of-range parts of hand-built values are
/// clamped, so a bad `PartialDate` still sorts somewhere sensible.
fn clamped_date(year: i32, month: u32, day: u32) -> NaiveDate {
    let month = month.clamp(1, 12);
    let day = day.clamp(1, days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

// ---------------------------------------------------------------------------------
// Partial dates

/// How much of a date is known; coarser precisions sort first among equal days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// One date as sources give it: a year, perhaps a month, perhaps a day, possibly
/// approximate (`~`) and/or uncertain (`?`). We never invent the missing parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    /// 1–12 when known.
    pub month: Option<u32>,
    /// 1–31 when known; only meaningful with a month.
    pub day: Option<u32>,
    /// EDTF `~`: the source gives the date as roughly right.
    pub approximate: bool,
    /// EDTF `?`: the source is not sure of the date.
    pub uncertain: bool,
}

impl PartialDate {
    /// A checked date without qualifiers, so that code building dates gets the same
    /// errors as editors do.
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Result<PartialDate, Error> {
        let date = PartialDate {
            year,
            month,
            day,
            approximate: false,
            uncertain: false,
        };
        match parse_side(&date.to_edtf())? {
            p if p == date => Ok(p),
            _ => Err(Error::new(format!("a day needs a month (year {year})"))
                .help("give the month too, or leave the day out")),
        }
    }

    /// How much of the date is known (a day without a month counts as a year).
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            (None, _) => Precision::Year,
        }
    }

    /// The first day the date may denote (2023-09 gives 2023-09-01), for sorting and spans.
    pub fn earliest(&self) -> NaiveDate {
        match self.precision() {
            Precision::Year => clamped_date(self.year, 1, 1),
            Precision::Month => clamped_date(self.year, self.month.unwrap_or(1), 1),
            Precision::Day => {
                clamped_date(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            }
        }
    }

    /// The last day the date may denote (2023-09 gives 2023-09-30), leap years included.
    pub fn latest(&self) -> NaiveDate {
        match self.precision() {
            Precision::Year => clamped_date(self.year, 12, 31),
            Precision::Month => clamped_date(self.year, self.month.unwrap_or(12), 31),
            Precision::Day => {
                clamped_date(self.year, self.month.unwrap_or(12), self.day.unwrap_or(31))
            }
        }
    }

    /// The year and month, for grouping events into year and month sections.
    pub fn year_month(&self) -> (i32, Option<u32>) {
        (self.year, self.month)
    }

    /// Whether either qualifier is set.
    pub fn is_qualified(&self) -> bool {
        self.approximate || self.uncertain
    }

    /// The canonical EDTF form, e.g. `2023-09~`.
    pub fn to_edtf(&self) -> String {
        let mut s = self.to_iso();
        s.push_str(qualifier_suffix(self.approximate, self.uncertain));
        s
    }

    /// The date at its precision without qualifiers (`2023`, `2023-09`, `2025-05-23`):
    /// how event ids start, and what HTML's `<time datetime>` accepts.
    pub fn to_iso(&self) -> String {
        let mut s = format!("{:04}", self.year);
        if let Some(m) = self.month {
            s.push_str(&format!("-{m:02}"));
            if let Some(d) = self.day {
                s.push_str(&format!("-{d:02}"));
            }
        }
        s
    }

    /// The date alone in words, qualifiers included, e.g. "vers le 23 mai 2025".
    pub fn render(&self, lang: Lang) -> String {
        let core = self.render_plain(lang);
        let day = self.precision() == Precision::Day;
        match (lang, self.approximate, self.uncertain) {
            (_, false, false) => core,
            (Lang::Fr, true, false) => format!("vers {}{core}", if day { "le " } else { "" }),
            (Lang::Fr, false, true) => {
                format!("peut-être {}{core}", if day { "le " } else { "en " })
            }
            (Lang::Fr, true, true) => {
                format!("peut-être vers {}{core}", if day { "le " } else { "" })
            }
            (Lang::En, true, false) => format!("around {core}"),
            (Lang::En, false, true) => format!("possibly {core}"),
            (Lang::En, true, true) => format!("possibly around {core}"),
        }
    }

    /// The date in words without qualifiers: "1er mai 2025", "September 2023", "2023".
    pub(crate) fn render_plain(&self, lang: Lang) -> String {
        match (self.precision(), self.month, self.day) {
            (Precision::Day, Some(m), Some(d)) => {
                format!(
                    "{} {} {}",
                    day_number(lang, d),
                    month_name(lang, m),
                    self.year
                )
            }
            (Precision::Month, Some(m), _) => format!("{} {}", month_name(lang, m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// The same calendar value, whatever the qualifiers.
    fn same_value(&self, other: &PartialDate) -> bool {
        (self.year, self.month, self.day) == (other.year, other.month, other.day)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_edtf())
    }
}

/// The EDTF suffix for a pair of qualifiers.
fn qualifier_suffix(approximate: bool, uncertain: bool) -> &'static str {
    match (approximate, uncertain) {
        (false, false) => "",
        (true, false) => "~",
        (false, true) => "?",
        (true, true) => "%",
    }
}

/// A day of the month in words: French writes the first "1er".
fn day_number(lang: Lang, day: u32) -> String {
    match (lang, day) {
        (Lang::Fr, 1) => "1er".to_string(),
        _ => day.to_string(),
    }
}

// ---------------------------------------------------------------------------------
// Event dates

/// When an event happened: one partial date, or a span between two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventDate {
    Single(PartialDate),
    Interval(PartialDate, PartialDate),
}

/// The order of event dates: earliest possible day, then coarser precision first,
/// then single before span, then the end. Every field of both ends takes part, so
/// distinct dates never compare equal and the order agrees with `Eq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SortKey {
    pub earliest: NaiveDate,
    pub precision: Precision,
    pub interval: bool,
    pub end_latest: NaiveDate,
    pub end_precision: Precision,
    qualifiers: (bool, bool, bool, bool),
    raw: (i32, Option<u32>, Option<u32>, i32, Option<u32>, Option<u32>),
}

impl EventDate {
    /// Read a date as written in an event file (the YAML scalar as a string).
    pub fn parse(s: &str) -> Result<EventDate, Error> {
        let text = s.trim();
        if text.is_empty() {
            return Err(Error::new("the date is empty").help(DATE_FORMS));
        }
        if let Some(e) = shape_hint(text) {
            return Err(e);
        }
        let Some((a, b)) = text.split_once('/') else {
            return parse_side(text).map(EventDate::Single);
        };
        if b.contains('/') {
            return Err(Error::new(format!("`{text}` has more than one `/`"))
                .help("a span is written `START/END`, e.g. `2023-09-01/2023-09-03`"));
        }
        let (a, b) = (a.trim(), b.trim());
        let open = |side: &str| side.is_empty() || side == "..";
        if open(a) || open(b) {
            let known = if open(a) { b } else { a };
            let mut e = Error::new(format!("`{text}` is open-ended; spans need both ends"));
            if !open(known) && parse_side(known).is_ok() {
                e = e.help(format!(
                    "give both ends, or the one date known alone: `{known}`"
                ));
            } else {
                e = e.help("a span is written `START/END`, e.g. `2023-09-01/2023-09-03`");
            }
            return Err(e);
        }
        let start = parse_side(a)?;
        let end = parse_side(b)?;
        if start.same_value(&end) {
            let single = PartialDate {
                approximate: start.approximate || end.approximate,
                uncertain: start.uncertain || end.uncertain,
                ..start
            };
            return Err(
                Error::new(format!("`{text}` starts and ends on the same date"))
                    .help(format!("write the single date `{single}`")),
            );
        }
        if end.latest() < start.earliest() {
            return Err(Error::new(format!(
                "`{text}` ends ({}) before it starts ({})",
                end.render_plain(Lang::En),
                start.render_plain(Lang::En)
            ))
            .help(format!("swap them? `{end}/{start}`")));
        }
        if end.earliest() < start.earliest() || end.latest() < start.latest() {
            return Err(Error::new(format!(
                "in `{text}`, one end lies within the other"
            ))
            .help("give both ends at the same precision, e.g. `2023-09-01/2023-09-03` or `2023-09/2023-11`"));
        }
        Ok(EventDate::Interval(start, end))
    }

    /// The date, or the start of the span.
    pub fn start(&self) -> &PartialDate {
        match self {
            EventDate::Single(d) | EventDate::Interval(d, _) => d,
        }
    }

    /// The date, or the end of the span.
    pub fn end(&self) -> &PartialDate {
        match self {
            EventDate::Single(d) | EventDate::Interval(_, d) => d,
        }
    }

    /// Whether this is a span.
    pub fn is_interval(&self) -> bool {
        matches!(self, EventDate::Interval(..))
    }

    /// The first day the event may have happened on.
    pub fn earliest(&self) -> NaiveDate {
        self.start().earliest()
    }

    /// The last day the event may have happened on.
    pub fn latest(&self) -> NaiveDate {
        self.end().latest()
    }

    /// The precision of the start, which decides where the event is listed.
    pub fn precision(&self) -> Precision {
        self.start().precision()
    }

    /// The year of the start: an event is listed on the page of the year it began.
    pub fn year(&self) -> i32 {
        self.start().year
    }

    /// Every year the event touches, for pages that list ongoing events too.
    pub fn years(&self) -> RangeInclusive<i32> {
        self.start().year..=self.end().year.max(self.start().year)
    }

    /// The key events are ordered by before their id (see [`SortKey`]).
    pub fn sort_key(&self) -> SortKey {
        let (s, e) = (self.start(), self.end());
        SortKey {
            earliest: s.earliest(),
            precision: s.precision(),
            interval: self.is_interval(),
            end_latest: e.latest(),
            end_precision: e.precision(),
            qualifiers: (s.approximate, s.uncertain, e.approximate, e.uncertain),
            raw: (s.year, s.month, s.day, e.year, e.month, e.day),
        }
    }

    /// The date in words, at exactly the precision the data has.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            EventDate::Single(d) => d.render(lang),
            EventDate::Interval(a, b) => render_interval(a, b, lang),
        }
    }

    /// The canonical written form; `parse(to_edtf(d)) == d`.
    pub fn to_edtf(&self) -> String {
        match self {
            EventDate::Single(d) => d.to_edtf(),
            EventDate::Interval(a, b) => format!("{}/{}", a.to_edtf(), b.to_edtf()),
        }
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_edtf())
    }
}

impl PartialOrd for EventDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EventDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

// ---------------------------------------------------------------------------------
// Rendering spans

/// A span read as one phrase ("du 1er au 3 septembre 2023", "1–3 September 2023").
/// Qualifiers shared by both ends qualify the whole; otherwise each end is marked.
fn render_interval(a: &PartialDate, b: &PartialDate, lang: Lang) -> String {
    let shared = a.approximate == b.approximate && a.uncertain == b.uncertain;
    if !shared {
        let side = |p: &PartialDate| {
            let marker = match (lang, p.approximate, p.uncertain) {
                (_, false, false) => "",
                (Lang::Fr, true, false) => " (environ)",
                (Lang::Fr, false, true) => " (incertain)",
                (Lang::Fr, true, true) => " (environ, incertain)",
                (Lang::En, true, false) => " (approx.)",
                (Lang::En, false, true) => " (uncertain)",
                (Lang::En, true, true) => " (approx., uncertain)",
            };
            format!("{}{marker}", p.render_plain(lang))
        };
        return join_sides(a, b, &side(a), &side(b), lang);
    }
    let core = interval_plain(a, b, lang);
    match (lang, a.approximate, a.uncertain) {
        (_, false, false) => core,
        (Lang::Fr, true, false) => format!("{core} environ"),
        (Lang::Fr, false, true) => format!("peut-être {core}"),
        (Lang::Fr, true, true) => format!("peut-être {core} environ"),
        (Lang::En, true, false) => format!("around {core}"),
        (Lang::En, false, true) => format!("possibly {core}"),
        (Lang::En, true, true) => format!("possibly around {core}"),
    }
}

/// A span without qualifiers, sharing the year (and month) when both ends have it
/// at the same precision; otherwise each end is written in full.
fn interval_plain(a: &PartialDate, b: &PartialDate, lang: Lang) -> String {
    let y = a.year;
    if a.precision() == b.precision() && a.year == b.year {
        match (a.precision(), a.month, a.day, b.month, b.day) {
            (Precision::Day, Some(ma), Some(da), Some(mb), Some(db)) if ma == mb => {
                let (da, db) = (day_number(lang, da), day_number(lang, db));
                let m = month_name(lang, ma);
                return match lang {
                    Lang::Fr => format!("du {da} au {db} {m} {y}"),
                    Lang::En => format!("{da}–{db} {m} {y}"),
                };
            }
            (Precision::Day, Some(ma), Some(da), Some(mb), Some(db)) => {
                let (da, db) = (day_number(lang, da), day_number(lang, db));
                let (ma, mb) = (month_name(lang, ma), month_name(lang, mb));
                return match lang {
                    Lang::Fr => format!("du {da} {ma} au {db} {mb} {y}"),
                    Lang::En => format!("{da} {ma} – {db} {mb} {y}"),
                };
            }
            (Precision::Month, Some(ma), _, Some(mb), _) => {
                let (ma, mb) = (month_name(lang, ma), month_name(lang, mb));
                return match lang {
                    Lang::Fr => format!("{} à {mb} {y}", french_from(ma)),
                    Lang::En => format!("{ma}–{mb} {y}"),
                };
            }
            _ => {}
        }
    }
    join_sides(a, b, &a.render_plain(lang), &b.render_plain(lang), lang)
}

/// Two fully written ends joined: French "du … au …" / "de … à …", English with an
/// en dash, spaced when either end has several words.
fn join_sides(a: &PartialDate, b: &PartialDate, sa: &str, sb: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr => {
            let from = if a.precision() == Precision::Day {
                format!("du {sa}")
            } else {
                french_from(sa)
            };
            let to = if b.precision() == Precision::Day {
                "au"
            } else {
                "à"
            };
            format!("{from} {to} {sb}")
        }
        Lang::En if sa.contains(' ') || sb.contains(' ') => format!("{sa} – {sb}"),
        Lang::En => format!("{sa}–{sb}"),
    }
}

/// French "de" before a month or year, elided before a vowel ("d'avril", "d'août").
fn french_from(words: &str) -> String {
    let vowel = words
        .chars()
        .next()
        .is_some_and(|c| "aeiouyàâäéèêëîïôöùûü".contains(c.to_lowercase().next().unwrap_or(c)));
    if vowel {
        format!("d'{words}")
    } else {
        format!("de {words}")
    }
}

// ---------------------------------------------------------------------------------
// Parsing one side

/// Read one date with its optional qualifier, explaining every malformed form.
fn parse_side(text: &str) -> Result<PartialDate, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::new("the date is empty").help(DATE_FORMS));
    }
    let (body, approximate, uncertain) = split_qualifier(text)?;
    let q = qualifier_suffix(approximate, uncertain);
    if let Some(e) = time_hint(body, q) {
        return Err(e);
    }
    if let Some(r) = qualifier_word_hint(body, q) {
        return Err(r);
    }
    if let Some(e) = month_word_hint(body, q) {
        return Err(e);
    }
    if let Some(e) = unspecified_hint(body) {
        return Err(e);
    }
    if let Some(e) = shape_hint(body) {
        return Err(e);
    }
    let mut date = parse_plain(body, q, text)?;
    date.approximate = approximate;
    date.uncertain = uncertain;
    Ok(date)
}

/// Split the EDTF qualifier off the end: `~` approximate, `?` uncertain, `%` both.
fn split_qualifier(text: &str) -> Result<(&str, bool, bool), Error> {
    let is_q = |c: char| matches!(c, '~' | '?' | '%');
    if let Some(rest) = text.strip_prefix(is_q) {
        let q = &text[..1];
        return Err(
            Error::new(format!("in `{text}`, the `{q}` comes before the date")).help(format!(
                "qualifiers go right after the date: `{}{q}`",
                rest.trim()
            )),
        );
    }
    let (body, approximate, uncertain) = match text.chars().last() {
        Some('~') => (&text[..text.len() - 1], true, false),
        Some('?') => (&text[..text.len() - 1], false, true),
        Some('%') => (&text[..text.len() - 1], true, true),
        _ => return Ok((text, false, false)),
    };
    let bare = body.trim_end_matches(is_q).trim_end();
    if body.ends_with(is_q) {
        return Err(
            Error::new(format!("`{text}` has more than one qualifier")).help(format!(
                "use one: `~` approximate, `?` uncertain, or `%` for both: `{bare}%`"
            )),
        );
    }
    if body.ends_with(char::is_whitespace) {
        let q = qualifier_suffix(approximate, uncertain);
        return Err(
            Error::new(format!("`{text}` has a space before its qualifier"))
                .help(format!("write `{bare}{q}`")),
        );
    }
    Ok((body, approximate, uncertain))
}

/// A time of day written into the date (`2025-05-23T12:00`, `2025-05-23 12:00`).
fn time_hint(body: &str, q: &str) -> Option<Error> {
    let t_after_digit = body
        .char_indices()
        .any(|(i, c)| matches!(c, 'T' | 't') && body[..i].ends_with(|p: char| p.is_ascii_digit()));
    if !body.contains(':') && !t_after_digit {
        return None;
    }
    let (date_part, time_part) = match body.find(['T', 't', ' ']) {
        Some(i) => (body[..i].trim(), body[i + 1..].trim()),
        None => ("", body),
    };
    let time = TimeOfDay::parse(time_part)
        .map(|t| t.as_str())
        .unwrap_or_else(|_| "14:30".to_string());
    let e = Error::new(format!("`{body}{q}` includes a time of day"));
    Some(if !date_part.is_empty() && parse_side(date_part).is_ok() {
        e.help(format!(
            "write `{date_part}{q}` here and put the time in the `time` field: `time: {time}`"
        ))
    } else {
        e.help(format!(
            "give the date here and put the time in the `time` field: `time: {time}`"
        ))
    })
}

/// Words for "about" or "maybe" before the date, which EDTF writes as `~` or `?`.
fn qualifier_word_hint(body: &str, q: &str) -> Option<Error> {
    const APPROX: [&str; 12] = [
        "vers ",
        "circa ",
        "ca. ",
        "ca ",
        "c. ",
        "around ",
        "about ",
        "approx. ",
        "approx ",
        "approximately ",
        "environ ",
        "env. ",
    ];
    const UNSURE: [&str; 8] = [
        "peut-être ",
        "peut-etre ",
        "maybe ",
        "possibly ",
        "perhaps ",
        "probably ",
        "probablement ",
        "sans doute ",
    ];
    let strip = |words: &[&str]| {
        words.iter().find_map(|w| {
            body.get(..w.len())
                .filter(|h| h.eq_ignore_ascii_case(w))
                .and_then(|_| body.get(w.len()..))
        })
    };
    let (rest, approximate, what) = if let Some(rest) = strip(&APPROX) {
        (rest.trim(), true, "an approximate date with `~`")
    } else if let Some(rest) = strip(&UNSURE) {
        (rest.trim(), false, "an uncertain date with `?`")
    } else {
        return None;
    };
    Some(match parse_side(&format!("{rest}{q}")) {
        Ok(p) => {
            let fixed = PartialDate {
                approximate: p.approximate || approximate,
                uncertain: p.uncertain || !approximate,
                ..p
            };
            Error::new(format!("`{body}{q}` qualifies the date in words"))
                .help(format!("mark {what} after it: `{fixed}`"))
        }
        Err(e) => {
            let help = match e.help {
                Some(h) => format!("{h}; then mark {what} after it"),
                None => format!("mark {what} after it"),
            };
            Error::new(e.message).help(help)
        }
    })
}

/// A month written in words ("May 2025", "23 mai 2025"), answered with the numeric form.
fn month_word_hint(body: &str, q: &str) -> Option<Error> {
    let tokens: Vec<&str> = body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let month = tokens.iter().find_map(|t| {
        let f = fold(t);
        MONTH_WORDS.iter().find(|(w, _)| *w == f).map(|&(_, m)| m)
    })?;
    let year = tokens
        .iter()
        .find(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()));
    let day = tokens.iter().find_map(|t| {
        let (digits, suffix) = take_digits(t);
        let ordinal = ["", "er", "st", "nd", "rd", "th", "e", "eme"];
        ((1..=2).contains(&digits.len()) && ordinal.contains(&fold(suffix).as_str()))
            .then(|| small_number(digits))
    });
    let e = Error::new(format!(
        "`{body}{q}` names the month in words; dates are written in numbers"
    ));
    let Some(year) = year else {
        return Some(e.help(format!(
            "write the year first, then the month: `YYYY-{month:02}`, e.g. `2025-{month:02}` for {} 2025",
            month_name(Lang::En, month)
        )));
    };
    let suggestion = match day {
        Some(d) => format!("{year}-{month:02}-{d:02}{q}"),
        None => format!("{year}-{month:02}{q}"),
    };
    Some(match parse_side(&suggestion) {
        Ok(_) => e.help(format!("write `{suggestion}`")),
        Err(inner) => e.help(format!(
            "write it year first, `YYYY-MM-DD`; note that {}",
            inner.message
        )),
    })
}

/// EDTF unspecified digits (`199X`, `2025-XX`), which we do not support: suggest
/// the span or the coarser date they stand for.
fn unspecified_hint(body: &str) -> Option<Error> {
    if !body.contains(['X', 'x'])
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '-'))
    {
        return None;
    }
    let e = Error::new(format!(
        "`{body}` uses unspecified digits (`X`), which are not supported"
    ));
    let parts: Vec<&str> = body.split('-').collect();
    let first_x = parts.iter().position(|p| p.contains(['X', 'x']))?;
    if first_x == 0 {
        let year = parts.first().copied().unwrap_or("");
        let lo = year.replace(['X', 'x'], "0");
        let hi = year.replace(['X', 'x'], "9");
        let span = format!("{lo}/{hi}");
        if EventDate::parse(&span).is_ok() {
            return Some(e.help(format!("write the span of years instead: `{span}`")));
        }
        return Some(e.help(DATE_FORMS));
    }
    let coarser = parts[..first_x].join("-");
    Some(if parse_side(&coarser).is_ok() {
        e.help(format!("write the coarser date instead: `{coarser}`"))
    } else {
        e.help(DATE_FORMS)
    })
}

/// Numbers in the wrong order or with the wrong separators (`23/05/2025`,
/// `09-2023`, `2025.05.23`), answered with the year-first form when it is valid.
fn shape_hint(text: &str) -> Option<Error> {
    let (body, q) = match text.char_indices().last() {
        Some((i, '~' | '?' | '%')) => (text[..i].trim_end(), &text[i..]),
        _ => (text, ""),
    };
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<String> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (digits, after) = take_digits(rest);
        if digits.is_empty() {
            return None;
        }
        groups.push(digits);
        let sep_len = after
            .find(|c: char| !matches!(c, '/' | '.' | '-' | ' '))
            .unwrap_or(after.len());
        let sep = after[..sep_len].trim();
        if sep.chars().count() > 1 || (sep_len > 0 && sep_len == after.len()) {
            return None;
        }
        if sep_len > 0 {
            seps.push(if sep.is_empty() {
                " ".into()
            } else {
                sep.into()
            });
        }
        rest = &after[sep_len..];
    }
    let valid = |s: &str| parse_side(s).is_ok();
    let first_wrong = || Error::new(format!("`{text}` is not written year first"));
    match groups.as_slice() {
        [a, b, y] if a.len() <= 2 && y.len() == 4 => {
            let (a, b) = (small_number(a), small_number(b));
            let (m, d) = if b > 12 && a <= 12 { (a, b) } else { (b, a) };
            let suggestion = format!("{y}-{m:02}-{d:02}{q}");
            Some(if valid(&suggestion) {
                first_wrong().help(format!("dates are written year first: `{suggestion}`"))
            } else {
                first_wrong().help("dates are written year first: `YYYY-MM-DD`, e.g. `2025-05-23`")
            })
        }
        [a, _, y] if a.len() <= 2 && y.len() == 2 => Some(first_wrong().help(
            "dates are written year first, with all four digits of the year: `YYYY-MM-DD`, e.g. `2025-05-23`",
        )),
        [m, y] if m.len() <= 2 && y.len() == 4 => {
            let suggestion = format!("{y}-{:02}{q}", small_number(m));
            Some(if valid(&suggestion) {
                first_wrong().help(format!("dates are written year first: `{suggestion}`"))
            } else {
                first_wrong().help("dates are written year first: `YYYY-MM`, e.g. `2023-09`")
            })
        }
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 && seps.iter().any(|s| s != "-") => {
            let suggestion = format!("{y}-{:02}-{:02}{q}", small_number(m), small_number(d));
            valid(&suggestion).then(|| {
                Error::new(format!("`{text}` is not separated with `-`"))
                    .help(format!("write `{suggestion}`"))
            })
        }
        [y, m] if y.len() == 4 && m.len() <= 2 && seps.iter().any(|s| s != "-") => {
            let suggestion = format!("{y}-{:02}{q}", small_number(m));
            valid(&suggestion).then(|| {
                let e = Error::new(format!("`{text}` is not separated with `-`"));
                e.help(format!(
                    "write `{suggestion}` for {} {y}",
                    month_name(Lang::En, small_number(m))
                ))
            })
        }
        [a, b] if a.len() == 4 && b.len() == 4 && seps.iter().all(|s| s != "/" && s != "-") => {
            let suggestion = format!("{a}/{b}{q}");
            EventDate::parse(&suggestion).is_ok().then(|| {
                Error::new(format!("`{text}` is not a date"))
                    .help(format!("a span of years is written with `/`: `{suggestion}`"))
            })
        }
        _ => None,
    }
}

/// The leading ASCII digits of `s`, and what follows.
fn take_digits(s: &str) -> (&str, &str) {
    let n = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(n)
}

/// The value of a short run of ASCII digits (saturating, so it never overflows).
fn small_number(digits: &str) -> u32 {
    digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u32, |n, b| {
            n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
        })
}

/// `YYYY[-MM[-DD]]` with nothing else, checked against the calendar.
fn parse_plain(body: &str, q: &str, full: &str) -> Result<PartialDate, Error> {
    if body
        .strip_prefix('-')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Err(
            Error::new(format!("`{full}` is before year 1000")).help("years run from 1000 to 9999")
        );
    }
    let (ydigits, mut rest) = take_digits(body);
    if ydigits.is_empty() {
        return Err(Error::new(format!("`{full}` is not a date")).help(DATE_FORMS));
    }
    if ydigits.len() != 4 {
        if rest.is_empty() && matches!(ydigits.len(), 6 | 8) {
            let suggestion = if ydigits.len() == 8 {
                format!("{}-{}-{}{q}", &ydigits[..4], &ydigits[4..6], &ydigits[6..])
            } else {
                format!("{}-{}{q}", &ydigits[..4], &ydigits[4..])
            };
            if parse_side(&suggestion).is_ok() {
                return Err(Error::new(format!("`{full}` runs the numbers together"))
                    .help(format!("write `{suggestion}`")));
            }
        }
        return Err(
            Error::new(format!("`{ydigits}` is not a year with four digits"))
                .help("years run from 1000 to 9999"),
        );
    }
    let year = small_number(ydigits) as i32;
    if year < MIN_YEAR {
        return Err(Error::new(format!("year `{ydigits}` is before 1000"))
            .help("years run from 1000 to 9999"));
    }
    let mut month_digits = None;
    let mut day_digits = None;
    if let Some(r) = rest.strip_prefix('-') {
        let (md, after_month) = take_digits(r);
        if (1..=2).contains(&md.len()) {
            month_digits = Some(md);
            rest = after_month;
            if let Some(r) = rest.strip_prefix('-') {
                let (dd, after_day) = take_digits(r);
                if (1..=2).contains(&dd.len()) {
                    day_digits = Some(dd);
                    rest = after_day;
                } else if dd.len() >= 3 {
                    let prefix = &body[..body.len() - rest.len()];
                    return Err(span_hint(prefix, rest, q).unwrap_or_else(|| {
                        Error::new(format!("`{dd}` is not a day of the month in `{full}`"))
                            .help("days are written with two digits, `01` to `31`")
                    }));
                }
            }
        } else if md.len() >= 3 {
            return Err(span_hint(ydigits, rest, q).unwrap_or_else(|| {
                Error::new(format!("`{md}` is not a month in `{full}`"))
                    .help("months are written with two digits, `01` to `12`")
            }));
        }
    }
    let prefix = &body[..body.len() - rest.len()];
    if !rest.is_empty() {
        return Err(trailing(prefix, rest, q, full));
    }
    let month = month_digits.map(small_number);
    let day = day_digits.map(small_number);
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            let e = Error::new(format!("there is no month {m:02} in `{full}`"));
            let swapped = day
                .filter(|d| (1..=12).contains(d) && m <= 31)
                .map(|d| format!("{year}-{d:02}-{m:02}{q}"))
                .filter(|s| parse_side(s).is_ok());
            return Err(match swapped {
                Some(s) => e.help(format!(
                    "months run from 01 to 12 and come before the day: did you mean `{s}`?"
                )),
                None if (21..=24).contains(&m) => e.help(
                    "seasons are not supported; write a span of months instead, e.g. `2025-03/2025-05`",
                ),
                None => e.help("months run from 01 to 12"),
            });
        }
        if let Some(d) = day {
            let last = days_in_month(year, m);
            let name = month_name(Lang::En, m);
            if d == 0 {
                return Err(
                    Error::new(format!("there is no day 00 in `{full}`")).help("days start at 01")
                );
            }
            if d > last {
                let leap = if m == 2 && d == 29 {
                    format!(" ({year} is not a leap year)")
                } else {
                    String::new()
                };
                return Err(Error::new(format!("{name} {year} has no day {d}"))
                    .help(format!("the last day of {name} {year} is {last}{leap}")));
            }
        }
    }
    let short = |d: Option<&str>| d.is_some_and(|d| d.len() < 2);
    if short(month_digits) || short(day_digits) {
        let mut canonical = PartialDate {
            year,
            month,
            day,
            approximate: false,
            uncertain: false,
        }
        .to_edtf();
        canonical.push_str(q);
        return Err(
            Error::new(format!("in `{full}`, months and days take two digits"))
                .help(format!("write `{canonical}`")),
        );
    }
    Ok(PartialDate {
        year,
        month,
        day,
        approximate: false,
        uncertain: false,
    })
}

/// A second date after the first, joined by a dash or a word: spans use `/`.
fn span_hint(prefix: &str, rest: &str, q: &str) -> Option<Error> {
    let r = rest.trim_start();
    let joiners = [
        "-",
        "–",
        "—",
        "to ",
        "au ",
        "à ",
        "until ",
        "jusqu'au ",
        "jusqu'à ",
    ];
    let after = joiners.iter().find_map(|j| r.strip_prefix(j))?.trim();
    let suggestion = format!("{prefix}/{after}{q}");
    EventDate::parse(&suggestion).ok().map(|_| {
        Error::new(format!("`{prefix}{rest}{q}` joins two dates without `/`"))
            .help(format!("a span is written with `/`: `{suggestion}`"))
    })
}

/// Something after an otherwise readable date.
fn trailing(prefix: &str, rest: &str, q: &str, full: &str) -> Error {
    if let Some(e) = span_hint(prefix, rest, q) {
        return e;
    }
    if rest == "-" {
        return Error::new(format!("`{full}` ends with `-`")).help(format!("write `{prefix}{q}`"));
    }
    if parse_side(prefix).is_ok() {
        Error::new(format!("unexpected `{rest}` after `{prefix}` in `{full}`")).help(format!(
            "write `{prefix}{q}`, with nothing after the date but a qualifier (`~`, `?` or `%`)"
        ))
    } else {
        Error::new(format!("`{full}` is not a date")).help(DATE_FORMS)
    }
}

// ---------------------------------------------------------------------------------
// Times of day

/// A broad part of the day, for sources that give no clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayPart {
    Morning,
    Midday,
    Afternoon,
    Evening,
    Night,
}

impl DayPart {
    /// Every part of the day, in the order they come.
    pub const ALL: [DayPart; 5] = [
        DayPart::Morning,
        DayPart::Midday,
        DayPart::Afternoon,
        DayPart::Evening,
        DayPart::Night,
    ];

    /// The keyword editors write.
    pub fn as_str(&self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Midday => "midday",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
            DayPart::Night => "night",
        }
    }

    /// A typical minute of the day, so parts sort among clock times.
    pub fn sort_minutes(&self) -> u32 {
        match self {
            DayPart::Morning => 6 * 60,
            DayPart::Midday => 12 * 60,
            DayPart::Afternoon => 15 * 60,
            DayPart::Evening => 19 * 60,
            DayPart::Night => 22 * 60,
        }
    }

    /// The part of the day in words.
    pub fn render(&self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Fr, DayPart::Morning) => "le matin",
            (Lang::Fr, DayPart::Midday) => "vers midi",
            (Lang::Fr, DayPart::Afternoon) => "l'après-midi",
            (Lang::Fr, DayPart::Evening) => "le soir",
            (Lang::Fr, DayPart::Night) => "la nuit",
            (Lang::En, DayPart::Morning) => "in the morning",
            (Lang::En, DayPart::Midday) => "around midday",
            (Lang::En, DayPart::Afternoon) => "in the afternoon",
            (Lang::En, DayPart::Evening) => "in the evening",
            (Lang::En, DayPart::Night) => "at night",
        }
    }
}

/// When in the day an event happened: a clock time to the minute, or a part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeOfDay {
    Clock(NaiveTime),
    Part(DayPart),
}

impl TimeOfDay {
    /// Read `HH:MM` / `H:MM` (24-hour clock) or a part-of-day keyword.
    pub fn parse(s: &str) -> Result<TimeOfDay, Error> {
        let text = s.trim();
        if text.is_empty() {
            return Err(Error::new("the time is empty").help(TIME_FORMS));
        }
        let word = fold(text);
        if word == "noon" {
            return Ok(TimeOfDay::Part(DayPart::Midday));
        }
        if let Some(p) = DayPart::ALL.into_iter().find(|p| p.as_str() == word) {
            return Ok(TimeOfDay::Part(p));
        }
        let french = match word.as_str() {
            "matin" | "le matin" | "matinee" => Some(DayPart::Morning),
            "midi" | "vers midi" => Some(DayPart::Midday),
            "apres-midi" | "apres midi" | "l'apres-midi" | "aprem" => Some(DayPart::Afternoon),
            "soir" | "le soir" | "soiree" => Some(DayPart::Evening),
            "nuit" | "la nuit" => Some(DayPart::Night),
            _ => None,
        };
        if let Some(p) = french {
            return Err(
                Error::new(format!("`{text}` is not a time keyword")).help(format!(
                    "times use English keywords: write `{}`",
                    p.as_str()
                )),
            );
        }
        if let Some(e) = clock_hint(&word, text) {
            return Err(e);
        }
        let Some((h, m)) = text.split_once(':') else {
            return Err(Error::new(format!("`{text}` is not a time")).help(TIME_FORMS));
        };
        let digits = |s: &str, max: usize| {
            (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if m.contains(':') && digits(h, 2) {
            let (mm, _) = m.split_once(':').unwrap_or((m, ""));
            let hint = if digits(mm, 2) && mm.len() == 2 {
                format!(
                    "times are given to the minute: write `{:02}:{mm}`",
                    small_number(h)
                )
            } else {
                TIME_FORMS.to_string()
            };
            return Err(Error::new(format!("`{text}` gives seconds")).help(hint));
        }
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Err(Error::new(format!("`{text}` is not a time")).help(TIME_FORMS));
        }
        let (hour, minute) = (small_number(h), small_number(m));
        if hour > 23 {
            return Err(Error::new(format!("there is no hour {hour} in `{text}`"))
                .help("hours run from 00 to 23; midnight is `00:00`"));
        }
        match NaiveTime::from_hms_opt(hour, minute, 0) {
            Some(t) => Ok(TimeOfDay::Clock(t)),
            None => Err(
                Error::new(format!("there is no minute {minute} in `{text}`"))
                    .help("minutes run from 00 to 59"),
            ),
        }
    }

    /// The time in words: French "14 h 30", English "14:30", or the part of the day.
    pub fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (TimeOfDay::Clock(t), Lang::Fr) if t.minute() == 0 => format!("{} h", t.hour()),
            (TimeOfDay::Clock(t), Lang::Fr) => format!("{} h {:02}", t.hour(), t.minute()),
            (TimeOfDay::Clock(t), Lang::En) => format!("{:02}:{:02}", t.hour(), t.minute()),
            (TimeOfDay::Part(p), _) => p.render(lang).to_string(),
        }
    }

    /// Minutes since midnight, parts of the day at a typical minute, to order events
    /// of the same day.
    pub fn sort_minutes(&self) -> u32 {
        match self {
            TimeOfDay::Clock(t) => t.hour() * 60 + t.minute(),
            TimeOfDay::Part(p) => p.sort_minutes(),
        }
    }

    /// The canonical written form: `14:30` or `midday`.
    pub fn as_str(&self) -> String {
        match self {
            TimeOfDay::Clock(t) => format!("{:02}:{:02}", t.hour(), t.minute()),
            TimeOfDay::Part(p) => p.as_str().to_string(),
        }
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// Clock times in other notations (`14h30`, `14 h`, `2pm`), answered with `HH:MM`.
fn clock_hint(word: &str, text: &str) -> Option<Error> {
    let compact: String = word.chars().filter(|c| !c.is_whitespace()).collect();
    let (h, rest) = take_digits(&compact);
    if h.is_empty() || h.len() > 2 {
        return None;
    }
    let hour = small_number(h);
    let (minute, suffix) = match rest.strip_prefix(['h', ':', '.']) {
        Some(r) => {
            let (m, s) = take_digits(r);
            if m.len() == 2 {
                (small_number(m), s)
            } else if m.is_empty() {
                (0, s)
            } else {
                return None;
            }
        }
        None => (0, rest),
    };
    let hour = match suffix {
        "" if rest.starts_with('h') => hour,
        "am" | "a.m." if (1..=12).contains(&hour) => hour % 12,
        "pm" | "p.m." if (1..=12).contains(&hour) => hour % 12 + 12,
        _ => return None,
    };
    (hour <= 23 && minute <= 59).then(|| {
        Error::new(format!("`{text}` is not written `HH:MM`"))
            .help(format!("write `{hour:02}:{minute:02}` (24-hour clock)"))
    })
}

// ---------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(year: i32, month: Option<u32>, day: Option<u32>) -> PartialDate {
        PartialDate {
            year,
            month,
            day,
            approximate: false,
            uncertain: false,
        }
    }

    fn parse(s: &str) -> EventDate {
        match EventDate::parse(s) {
            Ok(d) => d,
            Err(e) => panic!("`{s}` should parse: {e}"),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test day is valid")
    }

    #[test]
    fn accepted_forms() {
        let approx = |p: PartialDate| PartialDate {
            approximate: true,
            ..p
        };
        let unsure = |p: PartialDate| PartialDate {
            uncertain: true,
            ..p
        };
        let both = |p: PartialDate| approx(unsure(p));
        let single = EventDate::Single;
        let cases: Vec<(&str, EventDate, &str)> = vec![
            ("2023", single(pd(2023, None, None)), "2023"),
            ("  2023 ", single(pd(2023, None, None)), "2023"),
            ("1000", single(pd(1000, None, None)), "1000"),
            ("9999", single(pd(9999, None, None)), "9999"),
            ("2023-09", single(pd(2023, Some(9), None)), "2023-09"),
            (
                "2025-05-23",
                single(pd(2025, Some(5), Some(23))),
                "2025-05-23",
            ),
            (
                "2024-02-29",
                single(pd(2024, Some(2), Some(29))),
                "2024-02-29",
            ),
            (
                "2000-02-29",
                single(pd(2000, Some(2), Some(29))),
                "2000-02-29",
            ),
            (
                "2025-05-23~",
                single(approx(pd(2025, Some(5), Some(23)))),
                "2025-05-23~",
            ),
            (
                "2023-09?",
                single(unsure(pd(2023, Some(9), None))),
                "2023-09?",
            ),
            ("2023%", single(both(pd(2023, None, None))), "2023%"),
            (
                "2023-09-01/2023-09-03",
                EventDate::Interval(pd(2023, Some(9), Some(1)), pd(2023, Some(9), Some(3))),
                "2023-09-01/2023-09-03",
            ),
            (
                "2023-09/2023-11",
                EventDate::Interval(pd(2023, Some(9), None), pd(2023, Some(11), None)),
                "2023-09/2023-11",
            ),
            (
                "2023-09 / 2023-11",
                EventDate::Interval(pd(2023, Some(9), None), pd(2023, Some(11), None)),
                "2023-09/2023-11",
            ),
            (
                "2012/2014",
                EventDate::Interval(pd(2012, None, None), pd(2014, None, None)),
                "2012/2014",
            ),
            (
                "2012~/2014?",
                EventDate::Interval(approx(pd(2012, None, None)), unsure(pd(2014, None, None))),
                "2012~/2014?",
            ),
            (
                "2023-09/2023-10-15",
                EventDate::Interval(pd(2023, Some(9), None), pd(2023, Some(10), Some(15))),
                "2023-09/2023-10-15",
            ),
            (
                "2023-09-01/2023-09",
                EventDate::Interval(pd(2023, Some(9), Some(1)), pd(2023, Some(9), None)),
                "2023-09-01/2023-09",
            ),
            (
                "2023-12-30/2024-01-02",
                EventDate::Interval(pd(2023, Some(12), Some(30)), pd(2024, Some(1), Some(2))),
                "2023-12-30/2024-01-02",
            ),
        ];
        for (input, expected, edtf) in cases {
            let got = parse(input);
            assert_eq!(got, expected, "{input}");
            assert_eq!(got.to_edtf(), edtf, "{input}");
            assert_eq!(got.to_string(), edtf, "{input}");
            assert_eq!(parse(&got.to_edtf()), got, "round trip of {input}");
        }
    }

    #[test]
    fn malformed_forms() {
        // (input, part of the message, part of the help or "" for none expected)
        let cases: &[(&str, &str, &str)] = &[
            ("", "empty", "2025-05-23"),
            ("   ", "empty", "2025-05-23"),
            (
                "2025-02-30",
                "February 2025 has no day 30",
                "the last day of February 2025 is 28",
            ),
            (
                "2023-02-29",
                "February 2023 has no day 29",
                "2023 is not a leap year",
            ),
            ("1900-02-29", "February 1900 has no day 29", "is 28"),
            ("2025-04-31", "April 2025 has no day 31", "is 30"),
            ("2025-05-00", "no day 00", "01"),
            ("2025-05-40", "May 2025 has no day 40", "is 31"),
            ("2025-13-01", "no month 13", "01 to 12"),
            ("2025-13", "no month 13", "01 to 12"),
            ("2025-00", "no month 00", "01 to 12"),
            ("2025-23-05", "no month 23", "`2025-05-23`"),
            ("2025-21", "no month 21", "seasons"),
            ("2025-5-23", "two digits", "write `2025-05-23`"),
            ("2025-05-3", "two digits", "write `2025-05-03`"),
            ("2025-5", "two digits", "write `2025-05`"),
            ("2025-5-23~", "two digits", "write `2025-05-23~`"),
            ("23/05/2025", "year first", "`2025-05-23`"),
            ("23-05-2025", "year first", "`2025-05-23`"),
            ("23.05.2025", "year first", "`2025-05-23`"),
            ("05/23/2025", "year first", "`2025-05-23`"),
            ("23/05/25", "year first", "four digits"),
            ("09/2023", "year first", "`2023-09`"),
            ("2025/05/23", "separated", "`2025-05-23`"),
            ("2025.05.23", "separated", "`2025-05-23`"),
            ("May 2025", "month in words", "write `2025-05`"),
            ("mai 2025", "month in words", "write `2025-05`"),
            ("September 2023", "month in words", "write `2023-09`"),
            ("SEPTEMBRE 2023", "month in words", "write `2023-09`"),
            ("Août 2023", "month in words", "write `2023-08`"),
            ("aout 2023", "month in words", "write `2023-08`"),
            ("23 mai 2025", "month in words", "write `2025-05-23`"),
            ("1er mai 2025", "month in words", "write `2025-05-01`"),
            ("May 23, 2025", "month in words", "write `2025-05-23`"),
            (
                "2025-05-23T12:00",
                "time",
                "put the time in the `time` field",
            ),
            ("2025-05-23 12:00", "time", "`time: 12:00`"),
            ("2025-05-23abc", "unexpected `abc`", "write `2025-05-23`"),
            ("2025-05-23-", "ends with `-`", "`2025-05-23`"),
            ("2023.0", "unexpected `.0`", "write `2023`"),
            ("999", "four digits", "1000 to 9999"),
            ("0999", "before 1000", "1000 to 9999"),
            ("12345", "four digits", "1000 to 9999"),
            ("-0500", "before year 1000", "1000 to 9999"),
            ("hello", "not a date", "2025-05-23"),
            ("20230923", "runs the numbers together", "`2023-09-23`"),
            ("199X", "unspecified", "`1990/1999`"),
            ("2025-XX", "unspecified", "`2025`"),
        ];
        for &(input, message, help) in cases {
            let e = match EventDate::parse(input) {
                Ok(d) => panic!("`{input}` should not parse, got {d:?}"),
                Err(e) => e,
            };
            assert!(
                e.message.contains(message),
                "`{input}`: message {:?}",
                e.message
            );
            let h = e.help.clone().unwrap_or_default();
            assert!(h.contains(help), "`{input}`: help {h:?}");
        }
    }

    #[test]
    fn malformed_qualifiers_and_spans() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "2023-09-03/2023-09-01",
                "ends (1 September 2023) before it starts (3 September 2023)",
                "swap them? `2023-09-01/2023-09-03`",
            ),
            ("2014/2012", "before it starts", "swap them? `2012/2014`"),
            ("2023-09/2023-09", "same date", "single date `2023-09`"),
            ("2023-09~/2023-09", "same date", "single date `2023-09~`"),
            ("2023/2023-06", "within", "same precision"),
            ("2023-09-01/", "open-ended", "`2023-09-01`"),
            ("../2023", "open-ended", "`2023`"),
            ("2023/2024/2025", "more than one `/`", "START/END"),
            ("2023-09-01/2023-02-30", "February 2023 has no day 30", "28"),
            ("2012-2014", "without `/`", "`2012/2014`"),
            (
                "2023-09-01 – 2023-09-03",
                "without `/`",
                "`2023-09-01/2023-09-03`",
            ),
            ("2023~?", "more than one qualifier", "`2023%`"),
            ("~2023", "before the date", "`2023~`"),
            ("2023 ?", "space before", "`2023?`"),
            ("vers 2023", "in words", "`2023~`"),
            ("circa May 2025", "month in words", "`~`"),
        ];
        for &(input, message, help) in cases {
            let e = match EventDate::parse(input) {
                Ok(d) => panic!("`{input}` should not parse, got {d:?}"),
                Err(e) => e,
            };
            assert!(
                e.message.contains(message),
                "`{input}`: message {:?}",
                e.message
            );
            let h = e.help.clone().unwrap_or_default();
            assert!(h.contains(help), "`{input}`: help {h:?}");
        }
    }

    #[test]
    fn bounds_of_partial_dates() {
        let cases = [
            ("2023", day(2023, 1, 1), day(2023, 12, 31)),
            ("2023-09", day(2023, 9, 1), day(2023, 9, 30)),
            ("2024-02", day(2024, 2, 1), day(2024, 2, 29)),
            ("2023-02", day(2023, 2, 1), day(2023, 2, 28)),
            ("2025-05-23~", day(2025, 5, 23), day(2025, 5, 23)),
            ("2023-09-01/2023-09-03", day(2023, 9, 1), day(2023, 9, 3)),
            ("2023-09/2023-11", day(2023, 9, 1), day(2023, 11, 30)),
        ];
        for (input, earliest, latest) in cases {
            let d = parse(input);
            assert_eq!(d.earliest(), earliest, "{input}");
            assert_eq!(d.latest(), latest, "{input}");
        }
        let d = parse("2023-09-01/2024-03");
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!(d.year(), 2023);
        assert_eq!(d.years(), 2023..=2024);
        assert_eq!(d.start().year_month(), (2023, Some(9)));
        assert_eq!(d.end().year_month(), (2024, Some(3)));
        assert_eq!(parse("2023").precision(), Precision::Year);
        assert_eq!(parse("2023-09?").precision(), Precision::Month);
        // Hand-built nonsense does not panic.
        let odd = pd(2023, Some(14), Some(40));
        assert_eq!(odd.earliest(), day(2023, 12, 31));
        assert_eq!(pd(i32::MAX, None, None).latest(), NaiveDate::MAX);
        assert_eq!(pd(i32::MIN, None, None).earliest(), NaiveDate::MIN);
    }

    #[test]
    fn partial_date_new_checks() {
        assert_eq!(
            PartialDate::new(2023, Some(9), None),
            Ok(pd(2023, Some(9), None))
        );
        assert!(PartialDate::new(2023, Some(2), Some(29)).is_err());
        assert!(PartialDate::new(2023, None, Some(3)).is_err());
        assert!(PartialDate::new(999, None, None).is_err());
    }

    #[test]
    fn rendering() {
        let cases = [
            ("2023", "2023", "2023"),
            ("2023-09", "septembre 2023", "September 2023"),
            ("2025-05-23", "23 mai 2025", "23 May 2025"),
            ("2025-05-01", "1er mai 2025", "1 May 2025"),
            ("2023-08-15", "15 août 2023", "15 August 2023"),
            ("2023-12", "décembre 2023", "December 2023"),
            ("2023~", "vers 2023", "around 2023"),
            ("2023-09~", "vers septembre 2023", "around September 2023"),
            ("2025-05-23~", "vers le 23 mai 2025", "around 23 May 2025"),
            ("2025-05-01~", "vers le 1er mai 2025", "around 1 May 2025"),
            (
                "2025-05-23?",
                "peut-être le 23 mai 2025",
                "possibly 23 May 2025",
            ),
            (
                "2023-09?",
                "peut-être en septembre 2023",
                "possibly September 2023",
            ),
            ("2023?", "peut-être en 2023", "possibly 2023"),
            (
                "2025-05-23%",
                "peut-être vers le 23 mai 2025",
                "possibly around 23 May 2025",
            ),
            (
                "2023-09%",
                "peut-être vers septembre 2023",
                "possibly around September 2023",
            ),
            (
                "2023-09-01/2023-09-03",
                "du 1er au 3 septembre 2023",
                "1–3 September 2023",
            ),
            (
                "2023-09-30/2023-10-02",
                "du 30 septembre au 2 octobre 2023",
                "30 September – 2 October 2023",
            ),
            (
                "2023-09-30/2023-10-01",
                "du 30 septembre au 1er octobre 2023",
                "30 September – 1 October 2023",
            ),
            (
                "2023-12-30/2024-01-02",
                "du 30 décembre 2023 au 2 janvier 2024",
                "30 December 2023 – 2 January 2024",
            ),
            (
                "2023-09/2023-11",
                "de septembre à novembre 2023",
                "September–November 2023",
            ),
            ("2023-04/2023-06", "d'avril à juin 2023", "April–June 2023"),
            (
                "2023-08/2023-10",
                "d'août à octobre 2023",
                "August–October 2023",
            ),
            (
                "2023-11/2024-02",
                "de novembre 2023 à février 2024",
                "November 2023 – February 2024",
            ),
            ("2012/2014", "de 2012 à 2014", "2012–2014"),
            (
                "2023-09/2023-10-15",
                "de septembre 2023 au 15 octobre 2023",
                "September 2023 – 15 October 2023",
            ),
            (
                "2023-09-15/2024",
                "du 15 septembre 2023 à 2024",
                "15 September 2023 – 2024",
            ),
            ("2012~/2014~", "de 2012 à 2014 environ", "around 2012–2014"),
            (
                "2023-09-01?/2023-09-03?",
                "peut-être du 1er au 3 septembre 2023",
                "possibly 1–3 September 2023",
            ),
            (
                "2012%/2014%",
                "peut-être de 2012 à 2014 environ",
                "possibly around 2012–2014",
            ),
            (
                "2012~/2014",
                "de 2012 (environ) à 2014",
                "2012 (approx.) – 2014",
            ),
            (
                "2023-09-01/2023-09-03?",
                "du 1er septembre 2023 au 3 septembre 2023 (incertain)",
                "1 September 2023 – 3 September 2023 (uncertain)",
            ),
        ];
        for (input, fr, en) in cases {
            let d = parse(input);
            assert_eq!(d.render(Lang::Fr), fr, "{input} in French");
            assert_eq!(d.render(Lang::En), en, "{input} in English");
        }
    }

    #[test]
    fn ordering() {
        let ordered = [
            "2023",
            "2023/2024",
            "2023-01",
            "2023-01-01",
            "2023-01-01/2023-01-02",
            "2023-01-01/2023-01-05",
            "2023-09",
            "2023-09-01",
            "2023-09-02",
            "2024",
        ];
        for pair in ordered.windows(2) {
            let (a, b) = (parse(pair[0]), parse(pair[1]));
            assert!(a.sort_key() < b.sort_key(), "{} < {}", pair[0], pair[1]);
            assert!(a < b, "{} < {}", pair[0], pair[1]);
        }
        // Distinct dates never tie; equal dates always do.
        let all = [
            "2023",
            "2023~",
            "2023?",
            "2023%",
            "2023-09",
            "2023-09~",
            "2023/2024",
            "2023/2024~",
        ];
        for a in all {
            for b in all {
                let (da, db) = (parse(a), parse(b));
                assert_eq!(da.sort_key() == db.sort_key(), da == db, "{a} vs {b}");
                assert_eq!(da.cmp(&db), db.cmp(&da).reverse(), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn round_trips() {
        let inputs = [
            "2023",
            "2023~",
            "2023?",
            "2023%",
            "2023-09",
            "2023-09~",
            "2025-05-23",
            "2025-05-23%",
            "2024-02-29?",
            "2023-09-01/2023-09-03",
            "2023-09~/2023-11?",
            "2012%/2014",
            "1000/9999",
            "2023-12-30/2024-01-02",
        ];
        for input in inputs {
            let d = parse(input);
            assert_eq!(d.to_edtf(), input);
            assert_eq!(parse(&d.to_edtf()), d);
        }
    }

    #[test]
    fn times_parse() {
        let clock = |h, m| TimeOfDay::Clock(NaiveTime::from_hms_opt(h, m, 0).expect("valid"));
        let cases = [
            ("14:30", clock(14, 30), "14:30"),
            ("00:00", clock(0, 0), "00:00"),
            ("23:59", clock(23, 59), "23:59"),
            ("9:05", clock(9, 5), "09:05"),
            (" 09:05 ", clock(9, 5), "09:05"),
            ("morning", TimeOfDay::Part(DayPart::Morning), "morning"),
            ("midday", TimeOfDay::Part(DayPart::Midday), "midday"),
            ("noon", TimeOfDay::Part(DayPart::Midday), "midday"),
            (
                "Afternoon",
                TimeOfDay::Part(DayPart::Afternoon),
                "afternoon",
            ),
            ("evening", TimeOfDay::Part(DayPart::Evening), "evening"),
            ("night", TimeOfDay::Part(DayPart::Night), "night"),
        ];
        for (input, expected, canonical) in cases {
            let t = TimeOfDay::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t, expected, "{input}");
            assert_eq!(t.as_str(), canonical, "{input}");
            assert_eq!(t.to_string(), canonical, "{input}");
            assert_eq!(
                TimeOfDay::parse(&t.as_str()),
                Ok(t),
                "round trip of {input}"
            );
        }
    }

    #[test]
    fn times_malformed() {
        let cases = [
            ("", "empty", "HH:MM"),
            ("25:00", "no hour 25", "00 to 23"),
            ("24:00", "no hour 24", "00:00"),
            ("12:60", "no minute 60", "00 to 59"),
            ("12:5", "not a time", "HH:MM"),
            ("123:00", "not a time", "HH:MM"),
            ("12:30:00", "seconds", "`12:30`"),
            ("14h30", "HH:MM", "`14:30`"),
            ("14 h", "HH:MM", "`14:00`"),
            ("2pm", "HH:MM", "`14:00`"),
            ("12am", "HH:MM", "`00:00`"),
            ("matin", "keyword", "`morning`"),
            ("après-midi", "keyword", "`afternoon`"),
            ("dawn", "not a time", "`morning`"),
        ];
        for (input, message, help) in cases {
            let e = match TimeOfDay::parse(input) {
                Ok(t) => panic!("`{input}` should not parse, got {t:?}"),
                Err(e) => e,
            };
            assert!(
                e.message.contains(message),
                "`{input}`: message {:?}",
                e.message
            );
            let h = e.help.clone().unwrap_or_default();
            assert!(h.contains(help), "`{input}`: help {h:?}");
        }
    }

    #[test]
    fn times_render_and_sort() {
        let cases = [
            ("14:30", "14 h 30", "14:30", 870),
            ("14:00", "14 h", "14:00", 840),
            ("09:05", "9 h 05", "09:05", 545),
            ("morning", "le matin", "in the morning", 360),
            ("midday", "vers midi", "around midday", 720),
            ("afternoon", "l'après-midi", "in the afternoon", 900),
            ("evening", "le soir", "in the evening", 1140),
            ("night", "la nuit", "at night", 1320),
        ];
        for (input, fr, en, minutes) in cases {
            let t = TimeOfDay::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t.render(Lang::Fr), fr, "{input}");
            assert_eq!(t.render(Lang::En), en, "{input}");
            assert_eq!(t.sort_minutes(), minutes, "{input}");
        }
    }

    #[test]
    fn languages() {
        assert_eq!(Lang::Fr.code(), "fr");
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert!(Lang::Fr < Lang::En);
        assert!(Precision::Year < Precision::Month && Precision::Month < Precision::Day);
    }

    #[test]
    fn never_panics_and_accepted_values_round_trip() {
        let alphabet: Vec<char> = "0129-/~?%X:. Tmé–".chars().collect();
        let check = |input: &str| {
            if let Ok(d) = EventDate::parse(input) {
                assert_eq!(parse(&d.to_edtf()), d, "round trip of {input:?}");
                let _ = (d.render(Lang::Fr), d.render(Lang::En), d.sort_key());
            }
            if let Ok(t) = TimeOfDay::parse(input) {
                assert_eq!(
                    TimeOfDay::parse(&t.as_str()),
                    Ok(t),
                    "round trip of {input:?}"
                );
            }
        };
        // Every string of up to three characters, then pseudo-random longer ones.
        let n = alphabet.len();
        for len in 0..=3u32 {
            for mut i in 0..n.pow(len) {
                let mut s = String::new();
                for _ in 0..len {
                    s.push(alphabet[i % n]);
                    i /= n;
                }
                check(&s);
            }
        }
        let seeds = [
            "2023",
            "2023-09-01",
            "2023-09/2023-11",
            "23/05/2025",
            "14:30",
            "mai 2025",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let seed = seeds[(state >> 33) as usize % seeds.len()];
            let mut s: Vec<char> = seed.chars().collect();
            for k in 0..3 {
                let r = (state >> (8 + 16 * k)) as usize;
                let c = alphabet[r % n];
                let at = (r >> 5) % (s.len() + 1);
                if r & 16 == 0 && at < s.len() {
                    s[at] = c;
                } else {
                    s.insert(at, c);
                }
            }
            check(&s.into_iter().collect::<String>());
        }
    }

    #[test]
    fn errors_carry_their_help_apart() {
        let e =
            Error::new("February 2025 has no day 30").help("the last day of February 2025 is 28");
        assert_eq!(e.to_string(), "February 2025 has no day 30");
        assert_eq!(
            e.help.as_deref(),
            Some("the last day of February 2025 is 28")
        );
    }
}
