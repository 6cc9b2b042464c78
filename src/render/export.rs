//! Data exports: `data/events.json` (every event with its references resolved) and
//! `data/events.csv` (one row per event, columns close to ACLED and UCDP). Both are
//! documented in events/README.md.

use super::views::{self, Ctx};
use crate::config::Config;
use crate::date::{EventDate, Precision};
use crate::load::Event;
use crate::model::{Reaction, Role, Text, Who};
use crate::names::{self, Naming};
use serde::Serialize;
use std::borrow::Cow;

// The shape of `data/events.json`. Fields are declared in the order of their names,
// the order the file has always had (it was built from `json!` maps, which sort).

/// The head of the document, before `events`.
#[derive(Serialize)]
struct Head<'a> {
    generator: &'static str,
    language: &'a str,
    title: &'a str,
}

/// One event, its references resolved.
#[derive(Serialize)]
struct EventJson<'a> {
    actors: Vec<ActorJson<'a>>,
    body: Option<&'a Text>,
    casualties: Vec<CasualtyJson<'a>>,
    claims: Vec<ClaimJson<'a>>,
    date: DateJson,
    id: &'a str,
    locations: Vec<LocationJson<'a>>,
    official_reaction: Option<ReactionJson<'a>>,
    related: Vec<RelatedJson<'a>>,
    sources: Vec<SourceJson<'a>>,
    status: &'static str,
    summary: Option<&'a Text>,
    tags: Vec<&'a str>,
    time: Option<String>,
    title: &'a Text,
    #[serde(rename = "type")]
    event_type: &'static str,
    url: String,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    id: &'a str,
    /// The name at the event's date; `null` for an actor that is not defined.
    name: Option<Cow<'a, Text>>,
    note: Option<&'a Text>,
    role: &'static str,
}

/// One report of a figure: its own record, never merged with another's.
#[derive(Serialize)]
struct CasualtyJson<'a> {
    /// The actor who gives the figure.
    according_to: Option<&'a str>,
    best: Option<u64>,
    /// When the figure was given, as written (`2019-03`).
    date: Option<String>,
    /// The figure as written (`about 100`).
    figure: String,
    high: Option<u64>,
    /// `exact`, `about`, `at-least`, `at-most`, `more-than`, `fewer-than`, `range`,
    /// `several`, `dozens`, `hundreds` or `unspecified`.
    kind: &'static str,
    low: Option<u64>,
    note: Option<&'a Text>,
    /// The number of the event's source that reports it.
    source: Option<usize>,
    what: &'static str,
    who: String,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    channel: Option<&'a str>,
    claim: &'a Text,
    claimant: &'a str,
    date: Option<String>,
}

#[derive(Serialize)]
struct DateJson {
    approximate: bool,
    earliest: String,
    edtf: String,
    latest: String,
    precision: &'static str,
    uncertain: bool,
}

#[derive(Serialize)]
struct LocationJson<'a> {
    coordinates: Option<CoordinatesJson>,
    id: &'a str,
    /// The name at the event's date; `null` for a place that is not defined.
    name: Option<Cow<'a, Text>>,
    /// Why the place is in doubt, or a remark on it; only when written.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a Text>,
    /// The place, then each place certainly around it at the event's date, innermost
    /// first.
    path: Vec<&'a str>,
    /// Only when the sources leave the place in doubt.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    uncertain: bool,
}

#[derive(Serialize)]
struct CoordinatesJson {
    lat: f64,
    lon: f64,
    /// Only when the file says it (`approximate`, `area`, `exact`).
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'static str>,
}

/// `"none"`, or the text of the reaction.
#[derive(Serialize)]
#[serde(untagged)]
enum ReactionJson<'a> {
    None(&'static str),
    Text(&'a Text),
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    id: &'a str,
    relation: &'static str,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    /// Left out when there is none, so that the exports of chronologies that name no
    /// archives do not change.
    #[serde(skip_serializing_if = "Option::is_none")]
    archive_url: Option<&'a str>,
    date: Option<String>,
    language: Option<&'a str>,
    publisher: &'a str,
    quote: Option<&'a str>,
    title: Option<&'a str>,
    url: Option<&'a str>,
}

fn date_json(d: &EventDate) -> DateJson {
    DateJson {
        approximate: d.start().approximate || d.end().approximate,
        earliest: d.earliest().format("%Y-%m-%d").to_string(),
        edtf: d.to_edtf(),
        latest: d.latest().format("%Y-%m-%d").to_string(),
        precision: precision(d.precision()),
        uncertain: d.start().uncertain || d.end().uncertain,
    }
}

fn precision(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

/// The full name an entity bore at `date` (several joined with " / " when the date
/// cannot tell), borrowed when it is one name.
fn full_name_at<'a>(
    current: Naming<'a>,
    dated: &'a [crate::model::DatedName],
    date: &EventDate,
) -> Cow<'a, Text> {
    match names::at(current, dated, date).as_slice() {
        [one] => Cow::Borrowed(one.name),
        many => {
            let full: Vec<&Text> = many.iter().map(|n| n.name).collect();
            Cow::Owned(names::joined(&full))
        }
    }
}

fn event_json<'a>(ctx: &'a Ctx, config: &Config, e: &'a Event) -> EventJson<'a> {
    let d = &e.data;
    let url = views::event_url(&e.id);
    let locations = d
        .locations
        .iter()
        .map(|l| {
            let mut path = vec![l.as_str()];
            path.extend(
                ctx.index
                    .ancestors_at(l.as_str(), &d.date.value)
                    .iter()
                    .map(|a| a.id.as_str()),
            );
            let loc = ctx.index.locations.get(l.as_str());
            LocationJson {
                coordinates: loc.and_then(|x| x.data.point()).map(|c| CoordinatesJson {
                    lat: c.lat.0,
                    lon: c.lon.0,
                    precision: c.precision.map(|p| p.key()),
                }),
                id: l.as_str(),
                name: loc.map(|x| {
                    let current = Naming {
                        name: &x.data.name,
                        short_name: None,
                    };
                    full_name_at(current, &x.data.names, &d.date.value)
                }),
                note: l.note.as_ref(),
                path,
                uncertain: l.uncertain,
            }
        })
        .collect();
    let actors = d
        .actors
        .iter()
        .map(|p| ActorJson {
            id: p.id.as_str(),
            name: ctx.index.actors.get(p.id.as_str()).map(|x| {
                let current = Naming {
                    name: &x.data.name,
                    short_name: x.data.short_name.as_ref(),
                };
                full_name_at(current, &x.data.names, &d.date.value)
            }),
            note: p.note.as_ref(),
            role: p.role.key(),
        })
        .collect();
    let claims = d
        .claims
        .iter()
        .map(|c| ClaimJson {
            channel: c.channel.as_ref().map(|x| x.as_str()),
            claim: &c.claim,
            claimant: c.claimant.as_str(),
            date: c.date.as_ref().map(|x| x.value.to_edtf()),
        })
        .collect();
    let casualties = d
        .casualties
        .iter()
        .map(|c| {
            let (low, best, high) = c.figure.estimates();
            CasualtyJson {
                according_to: c.according_to_actor().map(|a| a.as_str()),
                best,
                date: c.date.as_ref().map(|x| x.value.to_edtf()),
                figure: c.figure.to_source(),
                high,
                kind: c.figure.kind(),
                low,
                note: c.note.as_ref(),
                source: c.source_number().map(|n| n.value.0),
                what: c.what.key(),
                who: who(&c.who),
            }
        })
        .collect();
    let sources = d
        .sources
        .iter()
        .map(|s| SourceJson {
            archive_url: s.archive_url.as_ref().map(|u| u.0.as_str()),
            date: s.date.as_ref().map(|x| x.value.to_edtf()),
            language: s.language.as_ref().map(|l| l.0.as_str()),
            publisher: &s.publisher.0,
            quote: s.quote.as_ref().map(|q| q.0.as_str()),
            title: s.title.as_ref().map(|t| t.0.as_str()),
            url: s.url.as_ref().map(|u| u.0.as_str()),
        })
        .collect();
    EventJson {
        actors,
        body: d.body.as_ref(),
        casualties,
        claims,
        date: date_json(&d.date.value),
        id: &e.id,
        locations,
        official_reaction: d.official_reaction.as_ref().map(|r| match r {
            Reaction::None => ReactionJson::None("none"),
            Reaction::Text(t) => ReactionJson::Text(t),
        }),
        related: d
            .related
            .iter()
            .map(|r| RelatedJson {
                id: r.id.value.0.as_str(),
                relation: r.relation.key(),
            })
            .collect(),
        sources,
        status: d.status.value.key(),
        summary: d.summary.as_ref(),
        tags: d.tags.iter().map(|t| t.0.as_str()).collect(),
        time: d.time.as_ref().map(|t| t.as_str()),
        title: &d.title,
        event_type: d.event_type.key(),
        url: match &config.base_url {
            Some(b) => format!("{b}{}", super::html::pretty(&url)),
            None => url,
        },
    }
}

fn who(w: &Who) -> String {
    match w {
        Who::Actor(a) => a.as_str().to_string(),
        other => other.key().unwrap_or_default().to_string(),
    }
}

/// serde_json's pretty form (two spaces a level), starting `depth` levels in: the
/// events of `data/events.json` are written one by one, each as the document
/// `{"events": [...]}` would hold it, without the document ever being held whole.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// `[` or `{`: one level further in, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own when something came before it.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: a comma after the first, then a new line.
    fn item<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` in serde_json's pretty form, `depth` levels in (its first line unindented).
fn to_nested(value: &impl Serialize, depth: usize, out: &mut Vec<u8>) {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        Nested {
            depth,
            has_value: false,
        },
    );
    // Strings, numbers and maps with string keys into memory: cannot fail.
    let _ = value.serialize(&mut ser);
}

/// `data/events.json` (every event, oldest first) in pieces, made one after the other as they are asked for, so
/// that the sink can write each to disk and the document (460 MB at 100,000 events) is
/// never held whole. Each event is turned into JSON on its own, in parallel batches,
/// and only its text is kept, never a tree (42 KB per event otherwise). The pieces
/// joined are the document `{generator, language, title, events}` in serde_json's
/// pretty form, with a line end.
pub fn json_pieces<'a>(ctx: &'a Ctx<'a>, config: &'a Config) -> impl Iterator<Item = Vec<u8>> + 'a {
    use rayon::prelude::*;
    let head = Head {
        generator: "annalist",
        language: &config.language,
        title: &config.title,
    };
    // The head without its closing brace, then the key of the list.
    let mut first = Vec::new();
    to_nested(&head, 0, &mut first);
    first.truncate(first.len().saturating_sub(2));
    first.extend_from_slice(b",\n  \"events\": [");
    let events = &ctx.index.events;
    let batches = events.chunks(1024).enumerate().map(move |(b, batch)| {
        let pieces: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|e| {
                let mut piece = b"\n    ".to_vec();
                to_nested(&event_json(ctx, config, e), 2, &mut piece);
                piece
            })
            .collect();
        let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len() + 1).sum());
        for (i, e) in pieces.iter().enumerate() {
            if b > 0 || i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(e);
        }
        out
    });
    let last: &[u8] = if events.is_empty() {
        b"]\n}\n"
    } else {
        b"\n  ]\n}\n"
    };
    std::iter::once(first)
        .chain(batches)
        .chain(std::iter::once(last.to_vec()))
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "time",
    "year",
    "event_type",
    "status",
    "title",
    "actors",
    "perpetrators",
    "targets",
    "claimants",
    "locations",
    "location_path",
    "country",
    "latitude",
    "longitude",
    "deaths_low",
    "deaths_best",
    "deaths_high",
    "deaths_according_to",
    "deaths_source",
    "deaths_date",
    "casualties",
    "sources",
    "summary",
];

/// `data/events.csv` (one row per event, oldest first) in pieces, as `json_pieces` makes `events.json`: the header,
/// then the rows of each batch of events, made in parallel, never the whole file.
pub fn csv_pieces<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = Vec<u8>> + 'a {
    use rayon::prelude::*;
    let head = format!("{}\r\n", CSV_COLUMNS.join(",")).into_bytes();
    let batches = ctx.index.events.chunks(1024).map(move |batch| {
        let rows: Vec<String> = batch.par_iter().map(|e| csv_row(ctx, e)).collect();
        rows.concat().into_bytes()
    });
    std::iter::once(head).chain(batches)
}

/// The row of `e`, with its line end.
fn csv_row(ctx: &Ctx, e: &Event) -> String {
    let d = &e.data;
    let with_role = |r: Role| -> String {
        d.actors
            .iter()
            .filter(|p| p.role == r)
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    let mut claimants: Vec<&str> = d.claims.iter().map(|c| c.claimant.as_str()).collect();
    claimants.dedup();
    let first = d.locations.first().map(|l| l.as_str()).unwrap_or("");
    let mut path = vec![first.to_string()];
    // Certain parents only, at the event's date.
    let ancestors = ctx.index.ancestors_at(first, &d.date.value);
    path.extend(ancestors.iter().map(|a| a.id.clone()));
    let country = ancestors
        .iter()
        .copied()
        .chain(ctx.index.locations.get(first))
        .find(|l| l.data.kind == crate::model::LocationKind::Country)
        .map(|l| l.id.clone())
        .unwrap_or_default();
    let coords = ctx.index.locations.get(first).and_then(|l| l.data.point());
    // A total past `u64::MAX` is refused by `check`; were it ever rendered, unknown.
    let (low, best, high) = crate::deaths::totals(&d.casualties).unwrap_or_default();
    let (by, source, on) = crate::deaths::giver(&d.casualties).unwrap_or_default();
    let number = |n: Option<u64>| n.map(|v| v.to_string()).unwrap_or_default();
    let casualties: Vec<String> = d
        .casualties
        .iter()
        .map(|c| {
            // The form `annalist import` reads back; every detail is in casualties.csv.
            let by = match (c.according_to_actor(), c.source_number()) {
                (Some(a), _) => format!(" (according to {})", a.as_str()),
                (None, Some(n)) => format!(" (according to source {})", n.value.0),
                (None, None) => String::new(),
            };
            format!(
                "{} {}: {}{by}",
                who(&c.who),
                c.what.key(),
                c.figure.to_source()
            )
        })
        .collect();
    let row: Vec<String> = vec![
        e.id.clone(),
        d.date.value.to_edtf(),
        d.date.value.earliest().format("%Y-%m-%d").to_string(),
        d.date.value.latest().format("%Y-%m-%d").to_string(),
        precision(d.date.value.precision()).into(),
        d.time.as_ref().map(|t| t.as_str()).unwrap_or_default(),
        d.date.value.year().to_string(),
        d.event_type.key().into(),
        d.status.value.key().into(),
        cell(&ctx.text(&d.title).text),
        d.actors
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        with_role(Role::Perpetrator),
        with_role(Role::Target),
        claimants.join(";"),
        d.locations
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        path.join(">"),
        country,
        coords.map(|c| c.lat.0.to_string()).unwrap_or_default(),
        coords.map(|c| c.lon.0.to_string()).unwrap_or_default(),
        number(low),
        number(best),
        number(high),
        by.unwrap_or_default().to_string(),
        source.map(|n| n.to_string()).unwrap_or_default(),
        on.map(|x| x.to_edtf()).unwrap_or_default(),
        cell(&casualties.join("; ")),
        cell(
            &d.sources
                .iter()
                .map(|s| s.publisher.0.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        cell(
            &d.summary
                .as_ref()
                .map(|s| super::markdown::to_plain(&ctx.text(s).text))
                .unwrap_or_default(),
        ),
    ];
    let line: Vec<String> = row.iter().map(|c| quote(c)).collect();
    let mut out = line.join(",");
    out.push_str("\r\n");
    out
}

/// The columns of `data/casualties.csv`, in order: one row per casualty figure, each
/// with who gives it and when, so that no figure stands for another source's.
pub const CASUALTY_COLUMNS: &[&str] = &[
    "event_id",
    "who",
    "what",
    "figure",
    "kind",
    "low",
    "best",
    "high",
    "date",
    "source",
    "according_to",
    "note",
];

/// `data/casualties.csv` in pieces, like [`csv_pieces`]: every figure of every event,
/// events oldest first and figures in the order of their file.
pub fn casualties_csv_pieces<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = Vec<u8>> + 'a {
    use rayon::prelude::*;
    let head = format!("{}\r\n", CASUALTY_COLUMNS.join(",")).into_bytes();
    let batches = ctx.index.events.chunks(1024).map(move |batch| {
        let rows: Vec<String> = batch.par_iter().map(|e| casualty_rows(ctx, e)).collect();
        rows.concat().into_bytes()
    });
    std::iter::once(head).chain(batches)
}

/// The rows of the figures of `e`, each with its line end.
fn casualty_rows(ctx: &Ctx, e: &Event) -> String {
    let number = |n: Option<u64>| n.map(|v| v.to_string()).unwrap_or_default();
    let mut out = String::new();
    for c in &e.data.casualties {
        let (low, best, high) = c.figure.estimates();
        let row = [
            e.id.clone(),
            who(&c.who),
            c.what.key().to_string(),
            c.figure.to_source(),
            c.figure.kind().to_string(),
            number(low),
            number(best),
            number(high),
            c.date
                .as_ref()
                .map(|x| x.value.to_edtf())
                .unwrap_or_default(),
            c.source_number()
                .map(|n| n.value.0.to_string())
                .unwrap_or_default(),
            c.according_to_actor()
                .map(|a| a.as_str().to_string())
                .unwrap_or_default(),
            cell(
                &c.note
                    .as_ref()
                    .map(|n| super::markdown::to_plain(&ctx.text(n).text))
                    .unwrap_or_default(),
            ),
        ];
        let line: Vec<String> = row.iter().map(|c| quote(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Neutralises a free-text cell that a spreadsheet would read as a formula (OWASP's
/// rule: a leading `'`), also when blanks a spreadsheet skips come first.
pub fn cell(s: &str) -> String {
    if s.starts_with(['\t', '\r']) || starts_formula(s.trim_start_matches(is_blank)) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Whether a spreadsheet may read `s` as a formula: `=`, `+`, `-`, `@`, or their
/// full-width forms, which some spreadsheets take for them.
fn starts_formula(s: &str) -> bool {
    s.starts_with([
        '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ])
}

/// White space and the invisible characters that can stand before a formula unseen:
/// every Unicode space (a newline, U+00A0, U+2000 to U+200A, U+3000...), the zero-width
/// ones and the byte-order mark.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
        )
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Djoura"), "Djoura");
        // Blanks a spreadsheet skips do not hide a formula.
        for s in [
            "\n=1+1",
            " =1+1",
            "\u{A0}+1",
            "\u{2000}-1",
            "\u{2007}@SUM(A1)",
            "\u{200A}=1",
            "\u{200B}=1",
            "\u{3000}=1",
            "\u{FEFF}=1",
            " \n \u{A0}=1",
            "\t1",
            "\r1",
            "\u{FF1D}1+1",
        ] {
            assert_eq!(cell(s), format!("'{s}"), "{s:?}");
        }
        for s in [" Djoura", "\u{A0}a = b", "", "a-b", "\u{2212}1"] {
            assert_eq!(cell(s), s, "{s:?}");
        }
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("plain"), "plain");
    }

    #[test]
    fn nested_is_the_pretty_form_indented() {
        let value = serde_json::json!({
            "a": [1, {"b": [], "c": {}}, [[]], "x\ny"],
            "d": {"e": null, "f": [true, 2.5]},
            "g": "é",
        });
        let pretty = serde_json::to_string_pretty(&value).expect("json");
        for depth in [0, 1, 2] {
            let mut out = Vec::new();
            to_nested(&value, depth, &mut out);
            let indent = "  ".repeat(depth);
            let expected = pretty.replace('\n', &format!("\n{indent}"));
            assert_eq!(String::from_utf8(out).expect("utf-8"), expected, "{depth}");
        }
    }
}
