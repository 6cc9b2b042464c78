//! ACLED (Armed Conflict Location & Event Data) export rows, after ACLED's codebook:
//! one row is one event, with its type, actors (and their `inter` codes), place (and
//! `geo_precision`), date (and `time_precision`), fatalities, sources and notes.

use super::markdown::{markdown_escape, markdown_inline};
use super::{
    ActorSpec, AttrSpec, CasualtySpec, Context, Draft, PlaceSpec, Record, SourceSpec, WhoSpec,
    coordinates, event_id, one_line,
};
use crate::date::EventDate;
use crate::model::{ActorKind, CasualtyKind, EventType, Figure, LocationKind, Role, Status};
use chrono::NaiveDate;

pub(super) const REQUIRED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];

/// ACLED dates: `2023-09-12` (API), `12 September 2023` or `12-September-2023`
/// (export tool), `12 Sep 2023`.
pub(super) fn acled_day(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if let (Some(head), Some(tail)) = (v.get(..10), v.get(10..))
        && (tail.is_empty() || tail.starts_with([' ', 'T']))
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return Some(d);
    }
    ["%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
}

/// The event type for ACLED's `event_type`. Riots have no type of their own in
/// annalist: they are protests, tagged `riots`.
fn event_type(t: &str) -> Option<(EventType, Option<&'static str>)> {
    Some(match t.trim().to_lowercase().as_str() {
        "battles" => (EventType::Battle, None),
        "violence against civilians" => (EventType::ViolenceAgainstCivilians, None),
        "explosions/remote violence" => (EventType::RemoteViolence, None),
        "protests" => (EventType::Protest, None),
        "riots" => (EventType::Protest, Some("riots")),
        "strategic developments" => (EventType::StrategicDevelopment, None),
        _ => return None,
    })
}

/// The actor kind an `inter` code gives, when it says one (codes 1–8 or their names).
fn inter_kind(code: &str) -> (Option<ActorKind>, Option<&'static str>) {
    match code.trim().to_lowercase().as_str() {
        "1" | "state forces" => (Some(ActorKind::StateForce), Some("state forces")),
        "2" | "rebel group" | "rebel groups" => (Some(ActorKind::ArmedGroup), Some("rebel group")),
        "3" | "political militia" | "political militias" => {
            (Some(ActorKind::ArmedGroup), Some("political militia"))
        }
        "4" | "identity militia" | "identity militias" => {
            (Some(ActorKind::ArmedGroup), Some("identity militia"))
        }
        "5" | "rioters" => (None, Some("rioters")),
        "6" | "protesters" => (None, Some("protesters")),
        "7" | "civilians" => (Some(ActorKind::Civilians), Some("civilians")),
        "8" | "external/other forces" | "external/other force" => {
            (None, Some("external/other forces"))
        }
        _ => (None, None),
    }
}

fn actor(name: &str, inter: &str) -> ActorSpec {
    let (kind, label) = inter_kind(inter);
    let mut spec = match acronym(name) {
        // Matched by the full name, the acronym (an editor's `short_name: JNIM`) and
        // the whole text (what an earlier import may have written as the name).
        Some((short, full)) => ActorSpec {
            short_name: Some(short.to_string()),
            aliases: vec![name.to_string()],
            ..ActorSpec::named(full)
        },
        None => ActorSpec::named(name),
    };
    spec.kind = kind;
    let code = one_line(inter);
    spec.description = Some(match label {
        Some(l) if code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("An actor in ACLED (inter code {code}: {l}).")
        }
        Some(l) => format!("An actor in ACLED (inter: {l})."),
        None => "An actor in ACLED.".to_string(),
    });
    spec
}

/// The acronym and the full name of ACLED's `JNIM: Group for Support of Islam and
/// Muslims` and of `Group for Support of Islam and Muslims (JNIM)`. An acronym is 2 to
/// 12 capital letters, digits, `-` or `.`, starting with a letter (so that `Military
/// Forces of Mali (2021-)` keeps its years).
fn acronym(name: &str) -> Option<(&str, &str)> {
    let is_acronym = |h: &str| {
        (2..=12).contains(&h.len())
            && h.starts_with(|c: char| c.is_ascii_uppercase())
            && h.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    let (short, full) = if let Some((head, rest)) = name.split_once(": ") {
        (head, rest)
    } else {
        let open = name.strip_suffix(')')?.rfind(" (")?;
        (&name[open + 2..name.len() - 1], &name[..open])
    };
    let full = full.trim();
    (is_acronym(short) && !full.is_empty()).then_some((short, full))
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(one_line)
        .filter(|x| !x.is_empty())
        .collect()
}

fn geo_precision_text(p: u64) -> &'static str {
    match p {
        1 => "the named place itself",
        2 => "near the named place (within its district)",
        _ => "only a larger region is known; the point stands for it",
    }
}

fn time_precision_text(p: u64) -> &'static str {
    match p {
        1 => "the exact day is known",
        2 => "only the week is known (the date is a day within it)",
        _ => "only the month is known",
    }
}

/// The update time of the row (`timestamp`, Unix seconds), as a day.
fn updated(r: &Record) -> Option<String> {
    let t: i64 = r.get("timestamp").parse().ok()?;
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string())
}

fn attribution(eid: &str, r: &Record) -> SourceSpec {
    let when = match updated(r) {
        Some(d) => format!(", last updated {d} (timestamp {})", r.get("timestamp")),
        None => String::new(),
    };
    SourceSpec {
        publisher: "Armed Conflict Location & Event Data (ACLED)".into(),
        title: Some(format!(
            "ACLED event {eid}{when}. Cite: Raleigh, Clionadh, Andrew Linke, Håvard Hegre & Joakim Karlsen (2010), \"Introducing ACLED: An Armed Conflict Location and Event Dataset\", Journal of Peace Research 47(5): 651–660. Used under ACLED's terms of use."
        )),
        date: None,
        language: Some("en".into()),
        url: Some("https://acleddata.com/".into()),
    }
}

/// Reads one ACLED row.
pub(super) fn parse(r: &Record, _ctx: &Context) -> Result<Draft, String> {
    let eid = r.required("event_id_cnty")?;
    let raw_date = r.required("event_date")?;
    let day =
        acled_day(raw_date).ok_or_else(|| format!("`{raw_date}` in `event_date` is not a date"))?;
    let tp = r.count("time_precision")?;
    let text = match tp {
        1 => day.format("%Y-%m-%d").to_string(),
        2 => format!("{}~", day.format("%Y-%m-%d")),
        3 => day.format("%Y-%m").to_string(),
        other => {
            return Err(format!("`{other}` in `time_precision` is not 1, 2 or 3"));
        }
    };
    let date = EventDate::parse(&text).map_err(|e| e.message)?;
    let raw_type = r.required("event_type")?;
    let (event_type, extra_tag) = event_type(raw_type)
        .ok_or_else(|| format!("`{raw_type}` in `event_type` is not an ACLED event type"))?;
    let sub = one_line(r.get("sub_event_type"));
    let actor1 = one_line(r.required("actor1")?);
    let actor2 = one_line(r.get("actor2"));
    let fatalities = r.opt_count("fatalities")?.unwrap_or(0);
    let geo = r.count("geo_precision")?;
    if !(1..=3).contains(&geo) {
        return Err(format!("`{geo}` in `geo_precision` is not 1, 2 or 3"));
    }
    let coords = coordinates(r, "latitude", "longitude")?;
    let location = one_line(r.required("location")?);
    let country = one_line(r.required("country")?);

    let id = event_id(&date, &["acled", eid, &location]);
    let mut draft = Draft {
        id,
        provenance: format!("ACLED row {eid}"),
        token: Some(format!("acled-{}", crate::model::slugify(eid))),
        title: String::new(),
        summary: None,
        date,
        time: None,
        event_type,
        status: Status::Reported,
        places: Vec::new(),
        actors: Vec::new(),
        participants: Vec::new(),
        claims: Vec::new(),
        casualties: Vec::new(),
        sources: vec![attribution(eid, r)],
        tags: Vec::new(),
        body: None,
    };

    // Places: location → admin3 → admin2 → admin1 → country.
    let created = format!("Created by `annalist import` from ACLED (event {eid}).");
    let slug = crate::model::slugify;
    let mut chain = Vec::new();
    let admins = [
        (r.get("admin3"), LocationKind::District),
        (r.get("admin2"), LocationKind::District),
        (r.get("admin1"), LocationKind::Region),
    ];
    let is_admin = admins
        .iter()
        .any(|(a, _)| !a.is_empty() && slug(a) == slug(&location))
        || slug(&location) == slug(&country);
    if !is_admin {
        chain.push(PlaceSpec {
            coordinates: coords,
            description: Some(match coords {
                Some(_) => format!(
                    "{created} Coordinate precision (ACLED geo_precision {geo}): {}.",
                    geo_precision_text(geo)
                ),
                None => created.clone(),
            }),
            ..PlaceSpec::new(
                &location,
                if geo == 3 {
                    LocationKind::Area
                } else {
                    LocationKind::Site
                },
            )
        });
    }
    for (name, kind) in admins {
        let name = one_line(name);
        if name.is_empty()
            || chain
                .last()
                .is_some_and(|p: &PlaceSpec| slug(&p.name) == slug(&name))
        {
            continue;
        }
        let here = chain.is_empty() && slug(&name) == slug(&location);
        let c = if here { coords } else { None };
        chain.push(PlaceSpec {
            coordinates: c,
            description: Some(match c {
                Some(_) => format!(
                    "{created} Coordinate precision (ACLED geo_precision {geo}): {}.",
                    geo_precision_text(geo)
                ),
                None => created.clone(),
            }),
            ..PlaceSpec::new(&name, kind)
        });
    }
    chain.push(PlaceSpec {
        description: Some(created.clone()),
        ..PlaceSpec::new(&country, LocationKind::Country)
    });
    draft.places.push(chain);

    // Actors and their roles.
    let (role1, role2) = match event_type {
        EventType::ViolenceAgainstCivilians => (Role::Perpetrator, Role::Victim),
        EventType::RemoteViolence => (Role::Perpetrator, Role::Target),
        _ => (Role::Other, Role::Other),
    };
    let a1 = draft.actor(actor(&actor1, r.get("inter1")));
    draft
        .participants
        .push((a1, role1, Some("actor1 in ACLED".into())));
    for assoc in split_list(r.get("assoc_actor_1")) {
        let i = draft.actor(actor(&assoc, ""));
        draft
            .participants
            .push((i, Role::Ally, Some("assoc_actor_1 in ACLED".into())));
    }
    if !actor2.is_empty() {
        let a2 = draft.actor(actor(&actor2, r.get("inter2")));
        draft
            .participants
            .push((a2, role2, Some("actor2 in ACLED".into())));
        for assoc in split_list(r.get("assoc_actor_2")) {
            let i = draft.actor(actor(&assoc, ""));
            draft
                .participants
                .push((i, role2, Some("assoc_actor_2 in ACLED".into())));
        }
    }

    // Fatalities: ACLED gives one figure for the whole event.
    if fatalities > 0 {
        let who = WhoSpec::All;
        draft.casualties.push(CasualtySpec {
            who,
            what: CasualtyKind::Killed,
            figure: Figure::Exact { value: fatalities },
            according_to: Some(AttrSpec::Source(1)),
            note: Some("ACLED `fatalities`: the deaths reported for the whole event, not attributed to a side".into()),
        });
    }

    for s in split_list(r.get("source")) {
        draft.sources.push(SourceSpec {
            publisher: s,
            ..SourceSpec::default()
        });
    }

    draft.tags.push("acled".into());
    if let Some(t) = extra_tag {
        draft.tags.push(t.into());
    }
    let sub_tag = slug(&sub);
    if !sub_tag.is_empty() && !draft.tags.contains(&sub_tag) {
        draft.tags.push(sub_tag);
    }

    let who = if actor2.is_empty() {
        actor1.clone()
    } else {
        format!("{actor1} and {actor2}")
    };
    let kind = if sub.is_empty() {
        one_line(raw_type)
    } else {
        sub.clone()
    };
    draft.title = format!("{kind}: {who} at {location}");
    let notes = one_line(r.get("notes"));
    draft.summary = (!notes.is_empty()).then(|| markdown_escape(&notes));
    draft.body = Some(body(r, eid, tp, geo));
    Ok(draft)
}

fn body(r: &Record, eid: &str, tp: u64, geo: u64) -> String {
    let v = |col: &str| markdown_inline(&one_line(r.get(col)));
    let mut lines = vec![
        format!(
            "Imported from ACLED, event {}. Check it against the sources before publishing.",
            markdown_inline(eid)
        ),
        String::new(),
        format!(
            "- Event type: {} / {}{}",
            v("event_type"),
            v("sub_event_type"),
            if r.get("disorder_type").is_empty() {
                String::new()
            } else {
                format!(" (disorder type: {})", v("disorder_type"))
            }
        ),
    ];
    let mut push = |label: &str, col: &str| {
        if !r.get(col).is_empty() {
            lines.push(format!("- {label}: {}", v(col)));
        }
    };
    push("Actor 1", "actor1");
    push("Associated with actor 1", "assoc_actor_1");
    push("Inter 1", "inter1");
    push("Actor 2", "actor2");
    push("Associated with actor 2", "assoc_actor_2");
    push("Inter 2", "inter2");
    push("Interaction", "interaction");
    push("Civilian targeting", "civilian_targeting");
    let place: Vec<String> = ["location", "admin3", "admin2", "admin1", "country"]
        .iter()
        .filter(|c| !r.get(c).is_empty())
        .map(|c| v(c))
        .collect();
    lines.push(format!(
        "- Where: {} (geo_precision {geo}: {})",
        place.join(", "),
        geo_precision_text(geo)
    ));
    if !r.get("latitude").is_empty() {
        lines.push(format!(
            "- Coordinates: {}, {}",
            v("latitude"),
            v("longitude")
        ));
    }
    lines.push(format!(
        "- When: {} (time_precision {tp}: {})",
        v("event_date"),
        time_precision_text(tp)
    ));
    let mut push = |label: &str, col: &str| {
        if !r.get(col).is_empty() {
            lines.push(format!("- {label}: {}", v(col)));
        }
    };
    push("Fatalities", "fatalities");
    push("Sources", "source");
    push("Source scale", "source_scale");
    push("Tags", "tags");
    push("ISO", "iso");
    push("Region", "region");
    push("Timestamp", "timestamp");
    let notes = r.raw("notes").trim();
    if !notes.is_empty() {
        // Kept line for line, as ACLED writes them.
        let indented = markdown_escape(notes)
            .lines()
            .map(|l| match l.trim() {
                "" => String::new(),
                t => format!("  {t}"),
            })
            .collect::<Vec<_>>()
            .join("\n");
        lines.push(format!("- Notes:\n{indented}"));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_date_forms() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 12);
        assert_eq!(acled_day("2023-09-12"), d);
        assert_eq!(acled_day("12 September 2023"), d);
        assert_eq!(acled_day("12-September-2023"), d);
        assert_eq!(acled_day("12 Sep 2023"), d);
        assert_eq!(acled_day("2023-09-31"), None);
        assert_eq!(acled_day("sometime"), None);
    }

    #[test]
    fn acronyms_are_split_from_full_names() {
        let full = "Group for Support of Islam and Muslims";
        let cases = [
            (
                "JNIM: Group for Support of Islam and Muslims",
                Some(("JNIM", full)),
            ),
            (
                "Group for Support of Islam and Muslims (JNIM)",
                Some(("JNIM", full)),
            ),
            (
                "MNLA: National Movement for the Liberation of Azawad",
                Some(("MNLA", "National Movement for the Liberation of Azawad")),
            ),
            ("G5-S: Joint Force", Some(("G5-S", "Joint Force"))),
            ("Military Forces of Mali (2021-)", None),
            ("Unidentified Armed Group (Mali)", None),
            ("Wagner Group", None),
            ("A: too short", None),
            ("Not An Acronym: text", None),
            ("JNIM: ", None),
        ];
        for (name, want) in cases {
            assert_eq!(acronym(name), want, "{name}");
        }
        let spec = actor("JNIM: Group for Support of Islam and Muslims", "2");
        assert_eq!(spec.name, full);
        assert_eq!(spec.short_name.as_deref(), Some("JNIM"));
        assert_eq!(
            spec.aliases,
            ["JNIM: Group for Support of Islam and Muslims"]
        );
    }

    #[test]
    fn event_types() {
        assert_eq!(event_type("Battles"), Some((EventType::Battle, None)));
        assert_eq!(
            event_type("Riots"),
            Some((EventType::Protest, Some("riots")))
        );
        assert_eq!(event_type("Picnics"), None);
    }
}
