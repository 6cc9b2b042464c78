//! Data exports: `data/events.json` (every event with its references resolved) and
//! `data/events.csv` (one row per event, columns close to ACLED and UCDP). Both are
//! documented in events/README.md.

use super::views::{self, Ctx};
use crate::config::Config;
use crate::date::{EventDate, Precision};
use crate::load::Event;
use crate::model::{Attribution, CasualtyKind, Reaction, Role, Text, Who};
use serde_json::{Value, json};

fn text(t: &Text) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

fn date_json(d: &EventDate) -> Value {
    json!({
        "edtf": d.to_edtf(),
        "earliest": d.earliest().format("%Y-%m-%d").to_string(),
        "latest": d.latest().format("%Y-%m-%d").to_string(),
        "precision": precision(d.precision()),
        "approximate": d.start().approximate || d.end().approximate,
        "uncertain": d.start().uncertain || d.end().uncertain,
    })
}

fn precision(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

fn event_json(ctx: &Ctx, config: &Config, e: &Event) -> Value {
    let d = &e.data;
    let url = views::event_url(&e.id);
    let locations: Vec<Value> = d
        .locations
        .iter()
        .map(|l| {
            let mut path = vec![l.as_str().to_string()];
            path.extend(ctx.index.ancestors(l.as_str()).iter().map(|a| a.id.clone()));
            let loc = ctx.index.locations.get(l.as_str());
            json!({
                "id": l.as_str(),
                "name": loc.map(|x| text(&x.data.name)).unwrap_or(Value::Null),
                "path": path,
                "coordinates": loc.and_then(|x| x.data.coordinates).map(|c| json!({"lat": c.lat.0, "lon": c.lon.0})),
            })
        })
        .collect();
    let actors: Vec<Value> = d
        .actors
        .iter()
        .map(|p| {
            let a = ctx.index.actors.get(p.id.as_str());
            json!({
                "id": p.id.as_str(),
                "name": a.map(|x| text(&x.data.name)).unwrap_or(Value::Null),
                "role": p.role.key(),
                "note": p.note.as_ref().map(text),
            })
        })
        .collect();
    let claims: Vec<Value> = d
        .claims
        .iter()
        .map(|c| {
            json!({
                "claimant": c.claimant.as_str(),
                "channel": c.channel.as_ref().map(|x| x.as_str()),
                "claim": text(&c.claim),
                "date": c.date.as_ref().map(|x| x.value.to_edtf()),
            })
        })
        .collect();
    let casualties: Vec<Value> = d
        .casualties
        .iter()
        .map(|c| {
            let (low, best, high) = c.figure.estimates();
            json!({
                "who": who(&c.who),
                "what": c.what.key(),
                "figure": c.figure.to_source(),
                "low": low, "best": best, "high": high,
                "according_to": c.according_to.as_ref().map(attribution),
                "note": c.note.as_ref().map(text),
            })
        })
        .collect();
    let sources: Vec<Value> = d
        .sources
        .iter()
        .map(|s| {
            json!({
                "publisher": s.publisher.0,
                "title": s.title.as_ref().map(|t| &t.0),
                "date": s.date.as_ref().map(|x| x.value.to_edtf()),
                "language": s.language.as_ref().map(|l| &l.0),
                "url": s.url.as_ref().map(|u| &u.0),
                "quote": s.quote.as_ref().map(|q| &q.0),
            })
        })
        .collect();
    json!({
        "id": e.id,
        "url": config.base_url.as_ref().map(|b| format!("{b}{}", super::html::pretty(&url))).unwrap_or(url),
        "title": text(&d.title),
        "summary": d.summary.as_ref().map(text),
        "date": date_json(&d.date.value),
        "time": d.time.as_ref().map(|t| t.as_str()),
        "type": d.event_type.key(),
        "status": d.status.value.key(),
        "locations": locations,
        "actors": actors,
        "claims": claims,
        "official_reaction": match &d.official_reaction {
            None => Value::Null,
            Some(Reaction::None) => Value::String("none".into()),
            Some(Reaction::Text(t)) => text(t),
        },
        "casualties": casualties,
        "related": d.related.iter().map(|r| json!({"id": r.id.value.0.as_str(), "relation": r.relation.key()})).collect::<Vec<_>>(),
        "sources": sources,
        "tags": d.tags.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        "body": d.body.as_ref().map(text),
    })
}

fn who(w: &Who) -> String {
    match w {
        Who::Actor(a) => a.as_str().to_string(),
        other => other.key().unwrap_or_default().to_string(),
    }
}

fn attribution(a: &Attribution) -> Value {
    match a {
        Attribution::Actor(id) => json!({"actor": id.as_str()}),
        Attribution::Source(n) => json!({"source": n.value.0}),
    }
}

/// `data/events.json` (every event, oldest first) in pieces, made one after the other as they are asked for, so
/// that the sink can write each to disk and the document (460 MB at 100,000 events) is
/// never held whole. Each event is turned into JSON on its own, in parallel batches,
/// and only its text is kept, never a tree (42 KB per event otherwise).
pub fn json_pieces<'a>(ctx: &'a Ctx<'a>, config: &'a Config) -> impl Iterator<Item = Vec<u8>> + 'a {
    use rayon::prelude::*;
    let head = json!({
        "generator": "annalist",
        "title": config.title,
        "language": config.language,
    });
    let mut first = b"{\n".to_vec();
    if let Value::Object(fields) = head {
        for (k, v) in fields {
            first.extend_from_slice(format!("  {}: {},\n", Value::String(k), v).as_bytes());
        }
    }
    first.extend_from_slice(b"  \"events\": [");
    let events = &ctx.index.events;
    let batches = events.chunks(1024).enumerate().map(move |(b, batch)| {
        let pieces: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|e| {
                let text =
                    serde_json::to_string_pretty(&event_json(ctx, config, e)).unwrap_or_default();
                let mut indented = Vec::with_capacity(text.len() + text.len() / 8);
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        indented.push(b'\n');
                    }
                    indented.extend_from_slice(b"    ");
                    indented.extend_from_slice(line.as_bytes());
                }
                indented
            })
            .collect();
        let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len() + 2).sum());
        for (i, e) in pieces.iter().enumerate() {
            out.extend_from_slice(if b == 0 && i == 0 { b"\n" } else { b",\n" });
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

/// Low, best and high estimates of one figure.
type Estimates = (Option<u64>, Option<u64>, Option<u64>);

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
    path.extend(ctx.index.ancestors(first).iter().map(|a| a.id.clone()));
    let country = ctx
        .index
        .ancestors(first)
        .iter()
        .copied()
        .chain(ctx.index.locations.get(first))
        .find(|l| l.data.kind == crate::model::LocationKind::Country)
        .map(|l| l.id.clone())
        .unwrap_or_default();
    let coords = ctx
        .index
        .locations
        .get(first)
        .and_then(|l| l.data.coordinates);
    // Deaths add up across parties (army + civilians), but two figures for the same
    // party are competing accounts, not a sum: then the columns stay empty.
    let mut killed_entries: Vec<_> = d
        .casualties
        .iter()
        .filter(|c| c.what == CasualtyKind::Killed)
        .collect();
    // A total over all sides, when given, is the figure: the per-side entries
    // are parts of it, not more deaths.
    if killed_entries.iter().any(|c| c.who == Who::All) {
        killed_entries.retain(|c| c.who == Who::All);
    }
    let competing = killed_entries
        .iter()
        .enumerate()
        .any(|(i, a)| killed_entries[..i].iter().any(|b| b.who == a.who));
    let killed: Vec<_> = if competing {
        Vec::new()
    } else {
        killed_entries
            .iter()
            .map(|c| c.figure.estimates())
            .collect()
    };
    let sum = |pick: fn(&Estimates) -> Option<u64>| -> String {
        if killed.is_empty() {
            return String::new();
        }
        killed
            .iter()
            .map(pick)
            .sum::<Option<u64>>()
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let casualties: Vec<String> = d
        .casualties
        .iter()
        .map(|c| {
            let by = match &c.according_to {
                Some(Attribution::Actor(a)) => format!(" (according to {})", a.as_str()),
                Some(Attribution::Source(n)) => format!(" (according to source {})", n.value.0),
                None => String::new(),
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
        sum(|t| t.0),
        sum(|t| t.1),
        sum(|t| t.2),
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

/// Neutralises a free-text cell that a spreadsheet would read as a formula.
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
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
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("plain"), "plain");
    }
}
