//! UCDP Georeferenced Event Dataset (GED) rows, after the "UCDP GED Codebook version
//! 23.1" (Högbladh 2023): one row is one event of organised violence with at least one
//! death, with its sides, place (and how precisely it is known), dates (and their
//! precision), deaths (low, best, high, and the best estimate by side) and sources.

use super::markdown::{markdown_escape, markdown_inline};
use super::{
    ActorSpec, AttrSpec, CasualtySpec, Context, Draft, PlaceSpec, Record, SourceSpec, WhoSpec,
    coordinates, event_id, one_line, strip_kind_word,
};
use crate::date::EventDate;
use crate::model::{ActorKind, CasualtyKind, EventType, Figure, LocationKind, Role, Status};
use chrono::{Datelike, NaiveDate};

pub(super) const REQUIRED: &[&str] = &[
    "id",
    "type_of_violence",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "source_article",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
];

/// `UCDP GED 23.1` (or `UCDP GED` when the version is not known).
fn dataset(ctx: &Context) -> String {
    match &ctx.version {
        Some(v) => format!("UCDP GED {v}"),
        None => "UCDP GED".to_string(),
    }
}

/// The attribution UCDP asks for: the dataset, its licence and the publications to cite.
fn attribution(ctx: &Context, id: &str, relid: &str) -> SourceSpec {
    let publisher = match &ctx.version {
        Some(v) => format!("UCDP Georeferenced Event Dataset (GED) {v}, CC BY 4.0"),
        None => "UCDP Georeferenced Event Dataset (GED), CC BY 4.0".to_string(),
    };
    let relid = if relid.is_empty() {
        String::new()
    } else {
        format!(" (relid {relid})")
    };
    let annual = match ctx.version.as_deref() {
        Some("23.1") => "Davies, Shawn, Therese Pettersson & Magnus Öberg (2023), \"Organized violence 1989–2022 and the return of conflicts between states?\", Journal of Peace Research 60(4)".to_string(),
        Some(v) => format!("and the UCDP annual article for GED {v} listed on https://ucdp.uu.se/downloads/"),
        None => "and the UCDP annual article for the GED version used, listed on https://ucdp.uu.se/downloads/".to_string(),
    };
    SourceSpec {
        publisher,
        title: Some(format!(
            "{}, event id {id}{relid}. Cite: Sundberg, Ralph & Erik Melander (2013), \"Introducing the UCDP Georeferenced Event Dataset\", Journal of Peace Research 50(4): 523–532; {annual}.",
            dataset(ctx)
        )),
        date: None,
        language: Some("en".into()),
        url: Some("https://ucdp.uu.se/downloads/".into()),
    }
}

/// A GED date: `2017-03-29` or `2017-03-29 00:00:00.000`.
fn day(r: &Record, column: &str) -> Result<NaiveDate, String> {
    let v = r.required(column)?;
    let bad = || format!("`{v}` in `{column}` is not a date (YYYY-MM-DD)");
    let head = v.get(..10).ok_or_else(bad)?;
    let tail = &v[10..];
    if !(tail.is_empty() || tail.starts_with([' ', 'T'])) {
        return Err(bad());
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d").map_err(|_| bad())
}

/// What `date_prec` says, for the body.
fn date_prec_text(p: u64) -> &'static str {
    match p {
        1 => "the exact day is known",
        2 => "the event falls within a span of 2 to 6 days",
        3 => "only the week is known",
        4 => "only the month is known",
        _ => "only the year (or a longer span) is known",
    }
}

/// The event's date at exactly the precision UCDP gives: `date_prec` 1 is the day;
/// 2 and 3 are the span `date_start/date_end` (or an approximate day when both are
/// the same day); 4 is the month; 5 the year.
pub(super) fn ged_date(start: NaiveDate, end: NaiveDate, prec: u64) -> Result<EventDate, String> {
    if end < start {
        return Err(format!(
            "`date_end` ({end}) is before `date_start` ({start})"
        ));
    }
    let d = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
    let m = |x: NaiveDate| x.format("%Y-%m").to_string();
    let y = |x: NaiveDate| format!("{:04}", x.year());
    let text = match prec {
        1 if start == end => d(start),
        2 | 3 if start == end => format!("{}~", d(start)),
        1..=3 => format!("{}/{}", d(start), d(end)),
        4 if m(start) == m(end) => m(start),
        4 => format!("{}/{}", m(start), m(end)),
        5 if start.year() == end.year() => y(start),
        5 => format!("{}/{}", y(start), y(end)),
        other => {
            return Err(format!(
                "`{other}` in `date_prec` is not a precision (1 to 5)"
            ));
        }
    };
    EventDate::parse(&text).map_err(|e| format!("the dates give `{text}`: {}", e.message))
}

/// What `where_prec` says about the coordinates.
fn where_prec_text(p: u64) -> &'static str {
    match p {
        1 => "the exact location",
        2 => "within about 25 km of the point",
        3 => "only the second-order administrative division (district) is known",
        4 => "only the first-order administrative division (region) is known",
        5 => "only a larger area (part of a country, a border, a road) is known",
        6 => "only the country is known",
        _ => "international waters or airspace",
    }
}

/// The sources in `source_article`: quoted `"publisher,date,title"` items joined by
/// `;`. An item that does not read that way is kept whole as the publisher.
pub(super) fn articles(field: &str) -> Vec<SourceSpec> {
    let field = field.trim();
    if field.is_empty() {
        return Vec::new();
    }
    let items: Vec<&str> = match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => inner.split("\";\"").collect(),
        None => vec![field],
    };
    items
        .into_iter()
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(article)
        .collect()
}

fn article(item: &str) -> SourceSpec {
    let whole = || SourceSpec {
        publisher: one_line(item),
        ..SourceSpec::default()
    };
    let Some((publisher, rest)) = item.split_once(',') else {
        return whole();
    };
    let (date, title) = rest.split_once(',').unwrap_or((rest, ""));
    let publisher = one_line(publisher);
    let date = date.trim();
    let is_day = date.len() == 10 && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    if publisher.is_empty() || !is_day {
        return whole();
    }
    let title = one_line(title);
    SourceSpec {
        publisher,
        title: (!title.is_empty()).then_some(title),
        date: Some(date.to_string()),
        ..SourceSpec::default()
    }
}

/// The places of the row, from the most precise up to the country: the named place
/// (from `where_coordinates`, unless it is one of the administrative units), then
/// `adm_2`, `adm_1` and the country, leaving out what is empty.
fn places(r: &Record, ctx: &Context, id: &str) -> Result<Vec<PlaceSpec>, String> {
    let where_prec = r.count("where_prec")?;
    if !(1..=7).contains(&where_prec) {
        return Err(format!(
            "`{where_prec}` in `where_prec` is not a precision (1 to 7)"
        ));
    }
    let coords = coordinates(r, "latitude", "longitude")?;
    let country = r.required("country")?;
    let adm1 = r.get("adm_1");
    let adm2 = r.get("adm_2");
    let named = one_line(r.get("where_coordinates"));
    let precision_note = format!(
        "Coordinate precision (UCDP where_prec {where_prec}): {}.",
        where_prec_text(where_prec)
    );
    let created = format!(
        "Created by `annalist import` from {} (event {id}).",
        dataset(ctx)
    );

    let same =
        |a: &str, b: &str| !a.is_empty() && crate::model::slugify(a) == crate::model::slugify(b);
    let mut chain = Vec::new();
    let place_kind = match where_prec {
        1 | 2 => None, // from the name: village, town, city, or a site
        3 => Some(LocationKind::District),
        4 => Some(LocationKind::Region),
        6 => Some(LocationKind::Country),
        _ => Some(LocationKind::Area),
    };
    let is_admin = same(&named, adm2) || same(&named, adm1) || same(&named, country);
    if !named.is_empty() && !is_admin {
        let (name, word) = strip_kind_word(&named);
        let kind = place_kind.unwrap_or(match word {
            Some("village") => LocationKind::Village,
            Some("town") => LocationKind::Town,
            Some("city") => LocationKind::City,
            _ => LocationKind::Site,
        });
        let (name, aliases) = if word.is_some() && place_kind.is_none() {
            (name.to_string(), vec![named.clone()])
        } else {
            (named.clone(), Vec::new())
        };
        chain.push(PlaceSpec {
            name,
            aliases,
            coordinates: coords,
            description: Some(if coords.is_some() {
                format!("{created} {precision_note}")
            } else {
                created.clone()
            }),
            ..PlaceSpec::new("", kind)
        });
    }
    // The administrative units; the coordinates go to the one the event is placed at.
    for (name, kind) in [
        (adm2, LocationKind::District),
        (adm1, LocationKind::Region),
        (country, LocationKind::Country),
    ] {
        if name.is_empty() {
            continue;
        }
        let here = chain.is_empty() && same(&named, name) && kind != LocationKind::Country;
        let coords = if here { coords } else { None };
        chain.push(PlaceSpec {
            coordinates: coords,
            description: Some(if coords.is_some() {
                format!("{created} {precision_note}")
            } else {
                created.clone()
            }),
            ..PlaceSpec::new(&one_line(name), kind)
        });
    }
    Ok(chain)
}

fn violence_text(t: u64) -> &'static str {
    match t {
        1 => "state-based violence",
        2 => "non-state violence",
        _ => "one-sided violence",
    }
}

fn deaths_text(n: u64) -> String {
    if n == 1 {
        "1 death".into()
    } else {
        format!("{n} deaths")
    }
}

/// Reads one GED row.
pub(super) fn parse(r: &Record, ctx: &Context) -> Result<Draft, String> {
    let gid = r.required("id")?;
    let relid = r.get("relid");
    let violence = r.count("type_of_violence")?;
    let event_type = match violence {
        1 | 2 => EventType::Battle,
        3 => EventType::ViolenceAgainstCivilians,
        other => {
            return Err(format!("`{other}` in `type_of_violence` is not 1, 2 or 3"));
        }
    };
    let start = day(r, "date_start")?;
    let end = day(r, "date_end")?;
    let date_prec = r.count("date_prec")?;
    let date = ged_date(start, end, date_prec)?;

    let side_a = one_line(r.required("side_a")?);
    let side_b = one_line(r.required("side_b")?);
    let (deaths_a, deaths_b) = (r.count("deaths_a")?, r.count("deaths_b")?);
    let (deaths_civ, deaths_unknown) = (r.count("deaths_civilians")?, r.count("deaths_unknown")?);
    let (low, best, high) = (r.count("low")?, r.count("best")?, r.count("high")?);
    if !(low <= best && best <= high) {
        return Err(format!(
            "the deaths are not in order: low {low}, best {best}, high {high}"
        ));
    }
    let chain = places(r, ctx, gid)?;
    let named = one_line(r.get("where_coordinates"));
    let where_prec = r.count("where_prec")?;

    let id = event_id(&date, &["ucdp", gid, strip_kind_word(&named).0]);
    let provenance = format!("{} row {gid}", dataset(ctx));
    let mut draft = Draft {
        id,
        provenance,
        token: Some(format!("ucdp-{}", crate::model::slugify(gid))),
        title: String::new(),
        summary: None,
        date,
        time: None,
        event_type,
        status: Status::Reported,
        places: vec![chain],
        actors: Vec::new(),
        participants: Vec::new(),
        claims: Vec::new(),
        casualties: Vec::new(),
        sources: Vec::new(),
        tags: vec!["ucdp-ged".into()],
        body: None,
    };

    let side = |name: &str, dset_col: &str, letter: &str| {
        let ucdp_id = r.get(dset_col);
        let mut spec = ActorSpec::named(name);
        if name.starts_with("Government of ") {
            spec.kind = Some(ActorKind::Government);
        }
        spec.description = Some(if ucdp_id.is_empty() {
            format!("A side (side {letter}) in {}.", dataset(ctx))
        } else {
            format!("A side in {} (UCDP actor id {ucdp_id}).", dataset(ctx))
        });
        spec
    };
    let civilians_b = violence == 3;
    let a = draft.actor(side(&side_a, "side_a_new_id", "A"));
    let b = if civilians_b {
        None
    } else {
        Some(draft.actor(side(&side_b, "side_b_new_id", "B")))
    };
    if civilians_b {
        draft.participants.push((
            a,
            Role::Perpetrator,
            Some("side A in UCDP GED (one-sided violence)".into()),
        ));
    } else if let Some(b) = b {
        draft
            .participants
            .push((a, Role::Other, Some("side A in UCDP GED".into())));
        draft
            .participants
            .push((b, Role::Other, Some("side B in UCDP GED".into())));
    }

    // Sources: the dataset first (figures refer to it), then the articles it cites.
    draft.sources.push(attribution(ctx, gid, relid));
    let mut cited = articles(r.raw("source_article"));
    if cited.is_empty() {
        cited = office_sources(r);
    }
    draft.sources.extend(cited);

    // Casualties: the best estimate by side, and the range when low and high differ.
    let mut sides: Vec<(WhoSpec, u64, String)> = Vec::new();
    let mut add = |who: WhoSpec, n: u64, what: String| {
        if n == 0 {
            return;
        }
        match sides.iter_mut().find(|(w, _, _)| *w == who) {
            Some(s) => {
                s.1 += n;
                s.2 = format!("{} and {what}", s.2);
            }
            None => sides.push((who, n, what)),
        }
    };
    add(WhoSpec::Actor(a), deaths_a, "deaths_a (side A)".into());
    match b {
        Some(b) => add(WhoSpec::Actor(b), deaths_b, "deaths_b (side B)".into()),
        None => add(WhoSpec::Civilians, deaths_b, "deaths_b (side B)".into()),
    }
    add(WhoSpec::Civilians, deaths_civ, "deaths_civilians".into());
    add(
        WhoSpec::Unknown,
        deaths_unknown,
        "deaths_unknown (side not known)".into(),
    );
    let sum: u64 = sides.iter().map(|s| s.1).sum();
    let estimates = format!("best estimate {best}, low {low}, high {high}");
    let per_side = |sides: &[(WhoSpec, u64, String)], part_of_total: bool| -> Vec<CasualtySpec> {
        sides
            .iter()
            .map(|(who, n, what)| CasualtySpec {
                who: *who,
                what: CasualtyKind::Killed,
                figure: Figure::Exact { value: *n },
                according_to: Some(AttrSpec::Source(1)),
                note: Some(if part_of_total {
                    format!("UCDP GED {what}, part of the best estimate of the total above")
                } else {
                    format!("UCDP GED {what}; {estimates}")
                }),
            })
            .collect()
    };
    let range = low < high;
    if best == 0 && high == 0 {
        // Nothing to record.
    } else if !range && sum == best {
        draft.casualties = per_side(&sides, false);
    } else if range && sides.len() == 1 && sum == best {
        let (who, _, what) = &sides[0];
        draft.casualties.push(CasualtySpec {
            who: *who,
            what: CasualtyKind::Killed,
            figure: Figure::Range { low, high },
            according_to: Some(AttrSpec::Source(1)),
            note: Some(format!(
                "UCDP GED {estimates}; the best estimate is all {what}"
            )),
        });
    } else {
        let total_who = WhoSpec::All;
        draft.casualties.push(CasualtySpec {
            who: total_who,
            what: CasualtyKind::Killed,
            figure: if range {
                Figure::Range { low, high }
            } else {
                Figure::Exact { value: best }
            },
            according_to: Some(AttrSpec::Source(1)),
            note: Some(format!("UCDP GED total over all sides: {estimates}")),
        });
        draft.casualties.extend(per_side(&sides, true));
    }

    // Texts.
    let at = if where_prec <= 2 { "at" } else { "in" };
    let place_words = if named.is_empty() {
        one_line(r.get("country"))
    } else {
        named.clone()
    };
    draft.title = format!("{} {at} {place_words}", one_line(r.get("dyad_name")));
    let deaths = if range {
        format!(
            "{} as its best estimate (low {low}, high {high})",
            deaths_text(best)
        )
    } else {
        deaths_text(best)
    };
    let who = if civilians_b {
        format!("one-sided violence by {side_a} against civilians")
    } else {
        format!(
            "{} between {side_a} and {side_b} (conflict: {})",
            violence_text(violence),
            one_line(r.get("conflict_name"))
        )
    };
    draft.summary = Some(markdown_escape(&format!(
        "UCDP GED records {deaths} in {who}, {at} {place_words}."
    )));
    draft.body = Some(body(r, ctx, gid, relid, violence, date_prec, where_prec));
    Ok(draft)
}

/// Sources from `source_office`, `source_date` and `source_headline` when
/// `source_article` is empty: items joined by `;`, used only when they line up.
fn office_sources(r: &Record) -> Vec<SourceSpec> {
    let offices: Vec<&str> = r.get("source_office").split(';').collect();
    let dates: Vec<&str> = r.get("source_date").split(';').collect();
    let heads: Vec<&str> = r.get("source_headline").split(';').collect();
    if r.get("source_office").is_empty() {
        return Vec::new();
    }
    if offices.len() != dates.len() || offices.len() != heads.len() {
        return vec![SourceSpec {
            publisher: one_line(r.get("source_office")),
            ..SourceSpec::default()
        }];
    }
    offices
        .iter()
        .zip(dates)
        .zip(heads)
        .filter(|((o, _), _)| !o.trim().is_empty())
        .map(|((o, d), h)| {
            let d = d.trim();
            let ok = d.len() == 10 && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
            SourceSpec {
                publisher: one_line(o),
                title: (!h.trim().is_empty()).then(|| one_line(h)),
                date: ok.then(|| d.to_string()),
                ..SourceSpec::default()
            }
        })
        .collect()
}

/// A Markdown list of what the row says, for the editor who curates the event.
fn body(
    r: &Record,
    ctx: &Context,
    gid: &str,
    relid: &str,
    violence: u64,
    date_prec: u64,
    where_prec: u64,
) -> String {
    let v = |col: &str| markdown_inline(&one_line(r.get(col)));
    let mut lines = vec![
        format!(
            "Imported from {}, event {}{}. Check it against the sources before publishing.",
            markdown_inline(&dataset(ctx)),
            markdown_inline(gid),
            if relid.is_empty() {
                String::new()
            } else {
                format!(" (relid {})", markdown_inline(relid))
            }
        ),
        String::new(),
        format!(
            "- Type of violence: {violence} ({})",
            violence_text(violence)
        ),
        format!("- Conflict: {}", v("conflict_name")),
        format!(
            "- Dyad: {} (side A: {}; side B: {})",
            v("dyad_name"),
            v("side_a"),
            v("side_b")
        ),
    ];
    let admin: Vec<String> = ["adm_2", "adm_1", "country"]
        .iter()
        .filter(|c| !r.get(c).is_empty())
        .map(|c| v(c))
        .collect();
    lines.push(format!(
        "- Where: {} (where_prec {where_prec}: {}); {}",
        v("where_coordinates"),
        where_prec_text(where_prec),
        admin.join(", ")
    ));
    if !r.get("latitude").is_empty() {
        lines.push(format!(
            "- Coordinates: {}, {}",
            v("latitude"),
            v("longitude")
        ));
    }
    let described = r.raw("where_description").trim();
    if !described.is_empty() {
        // Kept line for line: a break inside the description stays a break.
        let escaped = markdown_escape(described);
        let indented = escaped
            .lines()
            .map(|l| {
                let l = l.trim_end();
                if l.is_empty() {
                    String::new()
                } else {
                    format!("  {}", l.trim_start())
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        lines.push(format!("- Where, as UCDP describes it:\n{indented}"));
    }
    lines.push(format!(
        "- When: {} to {} (date_prec {date_prec}: {})",
        v("date_start"),
        v("date_end"),
        date_prec_text(date_prec)
    ));
    lines.push(format!(
        "- Deaths (best estimate by side): side A {}, side B {}, civilians {}, unknown {}; best {}, low {}, high {}",
        v("deaths_a"),
        v("deaths_b"),
        v("deaths_civilians"),
        v("deaths_unknown"),
        v("best"),
        v("low"),
        v("high")
    ));
    if !r.get("source_original").is_empty() {
        lines.push(format!("- Original source: {}", v("source_original")));
    }
    let mut facts = Vec::new();
    for (col, label) in [
        ("number_of_sources", "number of sources"),
        ("event_clarity", "event clarity"),
        ("code_status", "code status"),
    ] {
        if !r.get(col).is_empty() {
            facts.push(format!("{label} {}", v(col)));
        }
    }
    if !facts.is_empty() {
        lines.push(format!("- {}", capitalise(&facts.join("; "))));
    }
    lines.join("\n") + "\n"
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn date_precision_maps_to_the_event_date() {
        let t = |a: &str, b: &str, p| ged_date(ymd(a), ymd(b), p).map(|d| d.to_edtf());
        assert_eq!(
            t("2017-03-29", "2017-03-29", 1).as_deref(),
            Ok("2017-03-29")
        );
        assert_eq!(
            t("2020-08-22", "2020-08-23", 2).as_deref(),
            Ok("2020-08-22/2020-08-23")
        );
        assert_eq!(
            t("2020-08-22", "2020-08-22", 2).as_deref(),
            Ok("2020-08-22~")
        );
        assert_eq!(
            t("2020-08-17", "2020-08-23", 3).as_deref(),
            Ok("2020-08-17/2020-08-23")
        );
        assert_eq!(t("2020-08-01", "2020-08-31", 4).as_deref(), Ok("2020-08"));
        assert_eq!(
            t("2020-08-20", "2020-09-10", 4).as_deref(),
            Ok("2020-08/2020-09")
        );
        assert_eq!(t("2020-01-01", "2020-12-31", 5).as_deref(), Ok("2020"));
        assert_eq!(t("2019-06-01", "2020-05-31", 5).as_deref(), Ok("2019/2020"));
        assert!(t("2020-08-23", "2020-08-22", 1).is_err());
        assert!(t("2020-08-23", "2020-08-23", 9).is_err());
    }

    #[test]
    fn several_articles_in_one_field() {
        let s = articles(
            "\"Reuters,2015-07-06,Islamist group Ansar Dine claims multiple attacks in Mali\";\"Reuters,2015-06-27,Islamist gunmen attack western Mali town, 12 dead\";\"Jenune Afrique ,2015-12-03,Mali: Keïta and Kufa\"",
        );
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].publisher, "Reuters");
        assert_eq!(s[1].date.as_deref(), Some("2015-06-27"));
        assert_eq!(
            s[1].title.as_deref(),
            Some("Islamist gunmen attack western Mali town, 12 dead")
        );
        assert_eq!(s[2].publisher, "Jenune Afrique");
        let odd = articles("Humphreys and ag Mohamed, \"Senegal & Mali\", 22");
        assert_eq!(odd.len(), 1);
        assert_eq!(
            odd[0].publisher,
            "Humphreys and ag Mohamed, \"Senegal & Mali\", 22"
        );
        assert_eq!(odd[0].date, None);
        assert!(articles("").is_empty());
    }
}
