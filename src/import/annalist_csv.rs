//! annalist's own `data/events.csv` (see `render/export.rs` and events/README.md),
//! read back into event files: what the export keeps (ids, date, time, type, status,
//! title, actors and their perpetrator/target roles, claimants, locations with the
//! first one's parents and coordinates, casualty figures, source publishers, summary)
//! comes back; what it leaves out (bodies, tags, related events, quotes, other roles,
//! names of actors and places) cannot.

use super::markdown::markdown_escape;
use super::{
    ActorSpec, AttrSpec, CasualtySpec, Context, Draft, PlaceSpec, Record, SourceSpec, WhoSpec,
};
use crate::date::{EventDate, TimeOfDay};
use crate::model::{CasualtyKind, EventType, Figure, LocationKind, Role, Status, is_valid_id};
use crate::span::Scalar;

pub(super) const REQUIRED: &[&str] = &[
    "event_id",
    "date",
    "time",
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
    "casualties",
    "sources",
    "summary",
];

/// A free-text cell without the `'` the export puts before a would-be formula.
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

fn ids(r: &Record, column: &str) -> Result<Vec<String>, String> {
    r.get(column)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if is_valid_id(s) {
                Ok(s.to_string())
            } else {
                Err(format!("`{s}` in `{column}` is not an id"))
            }
        })
        .collect()
}

fn actor(id: &str) -> ActorSpec {
    ActorSpec {
        name: id.to_string(),
        short_name: None,
        id: Some(id.to_string()),
        kind: None,
        aliases: Vec::new(),
        description: Some(format!(
            "Created by `annalist import` from the id `{id}` in an annalist CSV export, which gives ids only: give it its name."
        )),
    }
}

fn place(id: &str, kind: LocationKind) -> PlaceSpec {
    PlaceSpec {
        id: Some(id.to_string()),
        description: Some(format!(
            "Created by `annalist import` from the id `{id}` in an annalist CSV export, which gives ids only: give it its name and kind."
        )),
        ..PlaceSpec::new(id, kind)
    }
}

/// One entry of the `casualties` column: `fama killed: about 100 (according to source 1)`.
fn casualty(item: &str, draft: &mut Draft) -> Result<CasualtySpec, String> {
    let bad = || format!("`{item}` in `casualties` is not `who what: figure (according to ...)`");
    let (head, tail) = item.split_once(": ").ok_or_else(bad)?;
    let (who, what) = head.trim().rsplit_once(' ').ok_or_else(bad)?;
    let what = CasualtyKind::from_scalar(what).map_err(|p| p.message)?;
    let (figure, according) = match tail.trim().strip_suffix(')') {
        Some(t) => match t.split_once(" (according to ") {
            Some((f, a)) => (f, Some(a)),
            None => return Err(bad()),
        },
        None => (tail.trim(), None),
    };
    let figure = Figure::from_scalar(figure).map_err(|p| p.message)?;
    let who = match who.trim() {
        "civilians" => WhoSpec::Civilians,
        "all" => WhoSpec::All,
        "unknown" => WhoSpec::Unknown,
        id if is_valid_id(id) => WhoSpec::Actor(draft.actor(actor(id))),
        _ => return Err(bad()),
    };
    let according_to = match according.map(str::trim) {
        None => None,
        Some(a) => match a.strip_prefix("source ") {
            Some(n) => Some(AttrSpec::Source(
                n.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(bad)?,
            )),
            None if is_valid_id(a) => Some(AttrSpec::Actor(draft.actor(actor(a)))),
            None => return Err(bad()),
        },
    };
    Ok(CasualtySpec {
        who,
        what,
        figure,
        according_to,
        note: None,
    })
}

/// Takes one occurrence of `id` out of `list`, if it is there.
fn take(list: &mut Vec<String>, id: &str) -> bool {
    match list.iter().position(|x| x == id) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

/// Reads one row of annalist's CSV export.
pub(super) fn parse(r: &Record, _ctx: &Context) -> Result<Draft, String> {
    let id = r.required("event_id")?.to_string();
    if !is_valid_id(&id) {
        return Err(format!("`{id}` in `event_id` is not an id"));
    }
    let raw_date = r.required("date")?;
    let date =
        EventDate::parse(raw_date).map_err(|e| format!("`{raw_date}` in `date`: {}", e.message))?;
    let time = match r.get("time") {
        "" => None,
        t => Some(
            TimeOfDay::parse(t)
                .map_err(|e| format!("`{t}` in `time`: {}", e.message))?
                .as_str(),
        ),
    };
    let event_type = EventType::from_scalar(r.required("event_type")?).map_err(|p| p.message)?;
    let status = Status::from_scalar(r.required("status")?).map_err(|p| p.message)?;
    let title = unguard(r.raw("title")).trim().to_string();
    if title.is_empty() {
        return Err("the column `title` is empty".into());
    }
    let mut draft = Draft {
        id: id.clone(),
        provenance: format!("annalist CSV export row {id}"),
        token: None,
        title,
        summary: None,
        date,
        time,
        event_type,
        status,
        places: Vec::new(),
        actors: Vec::new(),
        participants: Vec::new(),
        claims: Vec::new(),
        casualties: Vec::new(),
        sources: Vec::new(),
        tags: Vec::new(),
        body: None,
    };

    // Actors, in order; the export keeps only the perpetrator and target roles.
    let mut perpetrators = ids(r, "perpetrators")?;
    let mut targets = ids(r, "targets")?;
    for a in ids(r, "actors")? {
        let role = if take(&mut perpetrators, &a) {
            Role::Perpetrator
        } else if take(&mut targets, &a) {
            Role::Target
        } else {
            Role::Other
        };
        let i = draft.actor(actor(&a));
        let note = (role == Role::Other)
            .then(|| "the role is not in the CSV export; check it".to_string());
        draft.participants.push((i, role, note));
    }
    for c in ids(r, "claimants")? {
        let i = draft.actor(actor(&c));
        draft.claims.push((
            i,
            "The text of this claim is not in annalist's CSV export; see the sources.".into(),
        ));
    }

    // Locations: the first with its parents (`location_path`) and coordinates.
    let locations = ids(r, "locations")?;
    if locations.is_empty() {
        return Err("the column `locations` is empty".into());
    }
    let country = r.get("country");
    let path: Vec<&str> = r
        .get("location_path")
        .split('>')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let coords = super::coordinates(r, "latitude", "longitude")?;
    let kind_of = |l: &str| {
        if l == country {
            LocationKind::Country
        } else {
            LocationKind::Area
        }
    };
    for (n, l) in locations.iter().enumerate() {
        let mut chain = vec![PlaceSpec {
            coordinates: if n == 0 { coords } else { None },
            ..place(l, kind_of(l))
        }];
        if n == 0 && path.first() == Some(&l.as_str()) {
            for p in &path[1..] {
                if !is_valid_id(p) {
                    return Err(format!("`{p}` in `location_path` is not an id"));
                }
                chain.push(place(p, kind_of(p)));
            }
        }
        draft.places.push(chain);
    }

    let sources = unguard(r.raw("sources")).trim();
    if !sources.is_empty() {
        for s in sources.split("; ") {
            let s = s.trim();
            if !s.is_empty() {
                draft.sources.push(SourceSpec {
                    publisher: s.to_string(),
                    ..SourceSpec::default()
                });
            }
        }
    }
    let casualties = unguard(r.raw("casualties")).trim();
    if !casualties.is_empty() {
        for item in casualties.split("; ") {
            let c = casualty(item, &mut draft)?;
            if let Some(AttrSpec::Source(n)) = c.according_to
                && n > draft.sources.len()
            {
                return Err(format!(
                    "`{item}` refers to source {n}, but the row has {} sources",
                    draft.sources.len()
                ));
            }
            draft.casualties.push(c);
        }
    }
    let summary = unguard(r.raw("summary")).trim();
    if !summary.is_empty() {
        draft.summary = Some(markdown_escape(summary));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guards_are_removed() {
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'quoted'"), "'quoted'");
        assert_eq!(unguard("plain"), "plain");
    }
}
