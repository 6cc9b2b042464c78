//! Validation across files: what no single file can know alone (a location parent
//! cycle, an event filed under the wrong year) and the editorial warnings.

use crate::diag::{Diagnostic, Report};
use crate::load::Loaded;
use crate::model::{ActorRelation, Attribution, LocationKind, Status, Text};
use crate::period::Period;
use std::collections::{BTreeMap, BTreeSet};

/// Adds the cross-file problems of `loaded` to `report`.
pub fn validate(loaded: &Loaded, report: &mut Report) {
    location_cycles(loaded, report);
    location_parents(loaded, report);
    actor_cycles(loaded, report);
    alias_clashes(loaded, report);
    let former = former_ids(loaded);
    for event in &loaded.events {
        let data = &event.data;
        death_totals(loaded, event, report);
        related_events(loaded, &former, event, report);
        copies(loaded, event, report);
        let date = &data.date.value;
        let folder_year = event
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if folder_year != date.year().to_string() {
            report.push(
                Diagnostic::error(
                    event.path.clone(),
                    format!(
                        "this event is dated {} but is filed under `events/{folder_year}/`",
                        date.year()
                    ),
                )
                .at(data.date.pos.line, data.date.pos.column)
                .help({
                    let target = format!("events/{}/{}.yaml", date.year(), event.id);
                    if loaded.root.join(&target).exists() {
                        format!("`{target}` already exists: is this file a stray copy of it?")
                    } else {
                        format!("move it to `{target}`")
                    }
                }),
            );
        }
        let written = date.start().to_iso();
        if !event.id.starts_with(&written) {
            report.push(
                Diagnostic::warning(
                    event.path.clone(),
                    format!("the id does not start with the event's date `{written}`"),
                )
                .help(format!(
                    "name the file `{written}-...yaml` so that ids sort by date and stay unique"
                )),
            );
        }
        if data.status.value == Status::Claimed && data.claims.is_empty() {
            report.push(
                Diagnostic::error(
                    event.path.clone(),
                    "the status is `claimed` but no claim says who claims it",
                )
                .at(data.status.pos.line, data.status.pos.column)
                .help("add a `claims:` entry with the `claimant`, or use another status"),
            );
        }
        for c in &data.casualties {
            if let (Some(given), Some(Attribution::Source(old))) = (&c.source, &c.according_to) {
                report.push(
                    Diagnostic::error(
                        event.path.clone(),
                        "this figure names its source twice, in `source` and in `according_to`",
                    )
                    .at(old.pos.line, old.pos.column)
                    .help(format!(
                        "keep `source: {}` and remove `according_to: {{source: {}}}` (or name the actor who gives the figure: `according_to: fama`)",
                        given.value.0, old.value.0
                    )),
                );
            }
            if let Some(n) = c.source_number()
                && n.value.0 > data.sources.len()
            {
                report.push(
                    Diagnostic::error(
                        event.path.clone(),
                        format!(
                            "there is no source {} (this event has {})",
                            n.value.0,
                            data.sources.len()
                        ),
                    )
                    .at(n.pos.line, n.pos.column)
                    .help("sources are numbered from 1, in the order of `sources:`"),
                );
            }
        }
        if data.sources.is_empty() {
            report.push(
                Diagnostic::warning(event.path.clone(), "this event has no sources").help(
                    "add a `sources:` entry: readers need to know where each fact comes from",
                ),
            );
        }
    }
    relation_dates(loaded, report);
    for actor in loaded.actors.values() {
        relation_shapes(actor, report);
    }
    for location in loaded.locations.values() {
        // Regions and countries are drawn as outlines; only places need a point.
        let is_place = matches!(
            location.data.kind,
            LocationKind::Village | LocationKind::Town | LocationKind::City | LocationKind::Site
        );
        if is_place && location.data.coordinates.is_none() {
            report.push(
                Diagnostic::warning(location.path.clone(), "this location has no coordinates")
                    .help("add `coordinates: {lat: ..., lon: ...}` when a source gives them, so that it shows on maps, or `coordinates: unknown` when none does"),
            );
        }
        outside_country(loaded, location, report);
    }
}

/// Warns when a place's point lies outside the outline of the country it is filed
/// under (the first country among the places containing it, at any date): most often
/// a longitude written east for west.
fn outside_country(loaded: &Loaded, location: &crate::load::Location, report: &mut Report) {
    let Some(crate::model::Position::At(c, pos)) = location.data.coordinates else {
        return;
    };
    if location.data.kind == LocationKind::Country {
        return;
    }
    let mut seen = BTreeSet::new();
    let mut queue: std::collections::VecDeque<&str> = location
        .data
        .parent_periods()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let country = std::iter::from_fn(|| {
        while let Some(id) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            let Some(l) = loaded.locations.get(id) else {
                continue;
            };
            if l.data.kind == LocationKind::Country {
                return Some((id, crate::geo::for_place(&l.data)));
            }
            queue.extend(l.data.parent_periods().into_iter().map(|(p, _)| p));
        }
        None
    })
    .next();
    let Some((id, Some(outline))) = country else {
        return;
    };
    let (lat, lon) = (c.lat.0, c.lon.0);
    if outline.contains(lat, lon) {
        return;
    }
    report.push(
        Diagnostic::warning(
            location.path.clone(),
            format!("the point {lat}, {lon} lies outside the outline of `{id}`, the country this place is filed under"),
        )
        .at(pos.line.max(1), pos.column.max(1))
        .help("check the sign of the longitude (west is negative)"),
    );
}

/// Refuses dates of the wrong shape on a relation: a lasting relation holds `since`
/// and `until`, a one-off one happened on a `date`. `succeeded-by` with `since`, which
/// files wrote before `date:` existed, is only a warning and read as its date.
fn relation_shapes(actor: &crate::load::Actor, report: &mut Report) {
    use crate::model::{ActorRelationType, Shape};
    for r in &actor.data.relations {
        let key = r.relation.key();
        let wrong: Vec<(&str, &crate::span::Spanned<crate::date::EventDate>)> =
            match r.relation.shape() {
                Shape::Lasting => r.date.iter().map(|d| ("date", d)).collect(),
                Shape::OneOff => r
                    .since
                    .iter()
                    .map(|d| ("since", d))
                    .chain(r.until.iter().map(|d| ("until", d)))
                    .collect(),
            };
        for (field, at) in wrong {
            let legacy = r.relation == ActorRelationType::SucceededBy
                && field == "since"
                && r.date.is_none()
                && r.until.is_none();
            let d = if legacy {
                Diagnostic::warning(
                    actor.path.clone(),
                    "`succeeded-by` happens once: write `date:`, not `since:`",
                )
                .help(format!(
                    "write `date: {}` (it is read as the date of the succession)",
                    at.value.to_edtf()
                ))
            } else if field == "date" {
                Diagnostic::error(
                    actor.path.clone(),
                    format!("`{key}` lasts over a time: it takes `since` and `until`, not `date`"),
                )
                .help(format!(
                    "write `since: {d}` if it began on that date, or `until: {d}` if it ended then",
                    d = at.value.to_edtf()
                ))
            } else {
                Diagnostic::error(
                    actor.path.clone(),
                    format!("`{key}` happens once: it takes `date`, not `{field}`"),
                )
                .help(format!(
                    "write `date: {}` for when it happened",
                    at.value.to_edtf()
                ))
            };
            report.push(d.at(at.pos.line.max(1), at.pos.column.max(1)));
        }
    }
}

/// Refuses deaths that add up past what can be counted: the export's total would be
/// wrong, and one of the figures is surely a typo.
fn death_totals(loaded: &Loaded, event: &crate::load::Event, report: &mut Report) {
    if crate::deaths::totals(&event.data.casualties).is_ok() {
        return;
    }
    // Casualties carry no position: point at the list, read again only here.
    let line = crate::load::read_text(&loaded.root.join(&event.path), &event.path)
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.starts_with("casualties:"))
                .map(|i| i + 1)
        });
    let mut d = Diagnostic::error(
        event.path.clone(),
        format!(
            "the deaths of this event add up to more than {}, which cannot be counted",
            crate::diag::group_digits(u64::MAX, ',')
        ),
    )
    .help("check the `figure` of each `killed` entry: one of them is likely a typo");
    if let Some(line) = line {
        d = d.at(line, 1);
    }
    report.push(d);
}

/// The most bytes of text (title, summary and body, in every language) one event may
/// put on the list pages and feeds it appears on, all together: a long text listed
/// under many tags, actors and places would be copied onto each of their pages (300
/// tags and a 300 KB summary made 190 MB of site). See events/README.md.
pub const MAX_COPIED_BYTES: usize = 16 * 1024 * 1024;

/// Refuses an event whose text times the pages it is listed on exceeds
/// `MAX_COPIED_BYTES`.
fn copies(loaded: &Loaded, event: &crate::load::Event, report: &mut Report) {
    let d = &event.data;
    let len = |t: &crate::model::Text| match t {
        crate::model::Text::Plain(s) => s.len(),
        crate::model::Text::Translated(v) => v.values().map(String::len).sum(),
    };
    let text = len(&d.title) + d.summary.as_ref().map_or(0, len) + d.body.as_ref().map_or(0, len);
    // The places listed and the regions above them each have a page and a feed.
    // Every parent a place ever had counts: an upper bound, whatever the date.
    let mut places = BTreeSet::new();
    let mut stack: Vec<&str> = d.locations.iter().map(|l| l.as_str()).collect();
    while let Some(id) = stack.pop() {
        if places.insert(id)
            && let Some(l) = loaded.locations.get(id)
        {
            stack.extend(l.data.parent_periods().into_iter().map(|(p, _)| p));
        }
    }
    // The home page, the year and the type: three lists every event is on.
    let pages = 3 + places.len() + d.actors.len() + d.tags.len();
    let bytes = text.saturating_mul(pages);
    if bytes > MAX_COPIED_BYTES {
        report.push(
            Diagnostic::error(
                event.path.clone(),
                format!(
                    "this event's text ({} bytes) would be copied onto {pages} lists and feeds, {} bytes in all; one event may add at most {} bytes",
                    crate::diag::group_digits(text as u64, ','),
                    crate::diag::group_digits(bytes as u64, ','),
                    crate::diag::group_digits(MAX_COPIED_BYTES as u64, ','),
                ),
            )
            .help("shorten the summary or the body (move long documents to a source), or list fewer places, actors and tags"),
        );
    }
}

/// Reports each chain of parents (`parent:` or `parents:`) that loops back on itself,
/// once, from the location of the cycle first in id order, at its first link. A chain
/// through `parents:` whose periods can never hold on a common day is no loop: the
/// place was never inside itself.
fn location_cycles(loaded: &Loaded, report: &mut Report) {
    let links = |id: &str| -> Vec<Link<'_>> {
        let Some(l) = loaded.locations.get(id) else {
            return Vec::new();
        };
        match &l.data.parent {
            Some(p) => vec![Link {
                to: p.value.0.as_str(),
                period: Period::always(),
                pos: p.pos,
            }],
            None => l
                .data
                .parents
                .iter()
                .map(|p| Link {
                    to: p.id.value.0.as_str(),
                    period: p.period(),
                    pos: p.id.pos,
                })
                .collect(),
        }
    };
    for (chain, pos) in dated_loops(loaded.locations.keys().map(String::as_str), links) {
        let Some(loc) = chain.first().and_then(|id| loaded.locations.get(*id)) else {
            continue;
        };
        report.push(
            Diagnostic::error(
                loc.path.clone(),
                format!(
                    "the parents of `{}` loop back to it: {}",
                    loc.id,
                    chain.join(" → ")
                ),
            )
            .at(pos.line.max(1), pos.column.max(1))
            .help("a location's parent is the larger place that contains it; one of these parents is wrong"),
        );
    }
}

/// A link of a graph whose loops `check` refuses (parents of places, roll-up relations
/// of actors): where it leads, the days it holds, where it is written.
#[derive(Clone, Copy)]
struct Link<'a> {
    to: &'a str,
    period: Period<'a>,
    pos: crate::span::Pos,
}

/// Every loop of `links` whose links may all hold on a common day, once each: the
/// nodes from the first in id order back to it, and the position of its first link.
/// Depth first over simple paths through nodes after the start in id order, so that
/// each loop is found from its first node only; a loop whose links never hold
/// together is none (by Helly's theorem for intervals, periods that meet pairwise
/// share a day).
fn dated_loops<'a>(
    nodes: impl Iterator<Item = &'a str>,
    links: impl Fn(&str) -> Vec<Link<'a>>,
) -> Vec<(Vec<&'a str>, crate::span::Pos)> {
    let mut found = Vec::new();
    let mut reported: BTreeSet<Vec<&str>> = BTreeSet::new();
    let mut steps = 0usize;
    // The links of each node, gathered once: the search asks for them at every step.
    let mut out_of: BTreeMap<&'a str, Vec<Link<'a>>> = BTreeMap::new();
    for start in nodes {
        // Each frame: the node, the link taken to reach it, and the next link to try.
        let mut path: Vec<(&str, Option<Link>)> = vec![(start, None)];
        let mut next: Vec<usize> = vec![0];
        while let (Some(&(at, _)), Some(i)) = (path.last(), next.last_mut()) {
            steps += 1;
            if steps > MAX_CYCLE_STEPS {
                return found;
            }
            let Some(link) = out_of
                .entry(at)
                .or_insert_with(|| links(at))
                .get(*i)
                .copied()
            else {
                path.pop();
                next.pop();
                continue;
            };
            *i += 1;
            let together = link.period.possible().is_some()
                && path
                    .iter()
                    .filter_map(|(_, taken)| taken.as_ref())
                    .all(|t| t.period.may_meet(&link.period));
            if !together {
                continue;
            }
            if link.to == start {
                let mut ids: Vec<&str> = path.iter().map(|(id, _)| *id).collect();
                if !reported.insert(ids.clone()) {
                    continue;
                }
                ids.push(start);
                let first = path.get(1).and_then(|(_, t)| *t).unwrap_or(link);
                found.push((ids, first.pos));
            } else if link.to > start && !path.iter().any(|(id, _)| *id == link.to) {
                path.push((link.to, Some(link)));
                next.push(0);
            }
        }
    }
    found
}

/// The cross-file problems of `parents:` lists: written next to `parent:`, ending
/// before they begin, or two parents certainly in force on the same days.
fn location_parents(loaded: &Loaded, report: &mut Report) {
    for (id, loc) in &loaded.locations {
        let parents = &loc.data.parents;
        if let (Some(_), Some(first)) = (&loc.data.parent, parents.first()) {
            report.push(
                Diagnostic::error(loc.path.clone(), "this place has both `parent:` and `parents:`")
                    .at(first.id.pos.line.max(1), first.id.pos.column.max(1))
                    .help("keep `parent:` for a place that was always inside the same place, or move it into `parents:` with its dates (`since`, `until`)"),
            );
        }
        for p in parents {
            if let (Some(since), Some(until)) = (&p.since, &p.until)
                && until.value.latest() < since.value.earliest()
            {
                report.push(
                    Diagnostic::error(
                        loc.path.clone(),
                        format!(
                            "the parent `{}` ends before it begins",
                            p.id.value.0.as_str()
                        ),
                    )
                    .at(until.pos.line, until.pos.column)
                    .help("check `since` and `until`"),
                );
            }
        }
        for (j, b) in parents.iter().enumerate() {
            let Some((a, (first, last))) = parents[..j]
                .iter()
                .find_map(|a| Some((a, a.period().certainly_shared(&b.period())?)))
            else {
                continue;
            };
            let pos = b.since.as_ref().map_or(b.id.pos, |s| s.pos);
            report.push(
                Diagnostic::error(
                    loc.path.clone(),
                    format!(
                        "`{id}` would be in `{}` and `{}` on the same days ({})",
                        a.id.value.0.as_str(),
                        b.id.value.0.as_str(),
                        days_in_words(first, last)
                    ),
                )
                .at(pos.line.max(1), pos.column.max(1))
                .help("end one parent where the other begins (`until:` on the first, `since:` on the next)"),
            );
        }
    }
}

/// The period a relation's `since` and `until` write, whatever its shape (a one-off
/// relation with them is refused apart, by `relation_shapes`).
fn period(r: &ActorRelation) -> Period<'_> {
    Period::new(
        r.since.as_ref().map(|s| &s.value),
        r.until.as_ref().map(|u| &u.value),
    )
}

/// The most steps the search for roll-up loops takes: real chronologies need a few
/// hundred; a file written to make the search explode stops here, with what was found.
const MAX_CYCLE_STEPS: usize = 1_000_000;

/// Reports each loop of roll-up relations (`part-of`, `branch-of`, `affiliated-with`,
/// `media-arm-of`): an event of a unit counts for the groups above it, so in a loop
/// each group would be credited with the other's events. A loop is reported once, from
/// its first actor in id order, at that actor's relation; one whose relations can
/// never hold on a common day is no loop.
fn actor_cycles(loaded: &Loaded, report: &mut Report) {
    // Roll-up relations to known actors only.
    let links = |id: &str| -> Vec<Link<'_>> {
        loaded.actors.get(id).map_or_else(Vec::new, |a| {
            a.data
                .relations
                .iter()
                .filter(|r| crate::index::UNIT_RELATIONS.contains(&r.relation))
                .filter(|r| loaded.actors.contains_key(r.target.value.0.as_str()))
                .map(|r| Link {
                    to: r.target.value.0.as_str(),
                    period: r.period(),
                    pos: r.target.pos,
                })
                .collect()
        })
    };
    for (chain, pos) in dated_loops(loaded.actors.keys().map(String::as_str), links) {
        let Some(actor) = chain.first().and_then(|id| loaded.actors.get(*id)) else {
            continue;
        };
        report.push(
            Diagnostic::error(
                actor.path.clone(),
                format!(
                    "the roll-up relations of `{}` loop back to it: {}",
                    actor.id,
                    chain.join(" → ")
                ),
            )
            .at(pos.line.max(1), pos.column.max(1))
            .help(
                "an event of a unit counts for the groups above it; a loop would credit each group with the other's events: remove one of these relations, or date them so they never hold together",
            ),
        );
    }
}

/// Refuses relation dates that contradict each other or cannot be read as a bound: an
/// end before the beginning, a span as a bound, and the same relation written twice
/// for the same days.
fn relation_dates(loaded: &Loaded, report: &mut Report) {
    for actor in loaded.actors.values() {
        let relations = &actor.data.relations;
        for (i, r) in relations.iter().enumerate() {
            for (key, bound) in [("since", &r.since), ("until", &r.until)] {
                if let Some(b) = bound
                    && b.value.is_interval()
                {
                    report.push(
                        Diagnostic::error(
                            actor.path.clone(),
                            format!(
                                "`{key}` is the day the relation {}, not a span",
                                if key == "since" { "began" } else { "ended" }
                            ),
                        )
                        .at(b.pos.line, b.pos.column)
                        .help("write one date, with ~ if it is approximate (`2017-03~`)"),
                    );
                }
            }
            if let (Some(since), Some(until)) = (&r.since, &r.until)
                && period(r).possible().is_none()
            {
                report.push(
                    Diagnostic::error(actor.path.clone(), "this relation ends before it begins")
                        .at(until.pos.line, until.pos.column)
                        .help(format!(
                            "check `since` ({}) and `until` ({}): one of them is likely a typo",
                            since.value.to_edtf(),
                            until.value.to_edtf()
                        )),
                );
            }
            let twin = relations[..i].iter().find(|o| {
                o.relation == r.relation
                    && o.target.value == r.target.value
                    && period(o).certainly_shared(&period(r)).is_some()
            });
            if let Some(twin) = twin {
                let target = r.target.value.0.as_str();
                let kind = r.relation.key();
                let (message, help) = if period(r).is_dated() || period(twin).is_dated() {
                    (
                        format!(
                            "`{}` is `{kind}` `{target}` twice on the same days: {}, and {}",
                            actor.id,
                            written(&period(twin)),
                            written(&period(r)),
                        ),
                        "end one where the other begins, or remove one",
                    )
                } else {
                    (
                        format!("`{}` is `{kind}` `{target}` twice", actor.id),
                        "remove the second one (if the relation ended and began again, give each its `since` and `until`)",
                    )
                };
                report.push(
                    Diagnostic::error(actor.path.clone(), message)
                        .at(r.target.pos.line.max(1), r.target.pos.column.max(1))
                        .help(help),
                );
            }
        }
    }
}

/// A relation's period as written, in words ("from 2018 to 2022", "at all times").
fn written(p: &Period) -> String {
    if p.is_dated() {
        p.render(crate::lang::Lang::En)
    } else {
        "at all times".to_string()
    }
}

/// Every name an actor is known by, for the alias clash check: its names and short
/// names in each language. (Dated `names:` entries join here, one line.)
fn actor_names(a: &crate::model::ActorFile) -> Vec<(&'static str, &str)> {
    let mut out: Vec<(&'static str, &str)> =
        a.name.all().into_iter().map(|n| ("name", n)).collect();
    out.extend(
        a.short_name
            .iter()
            .flat_map(Text::all)
            .map(|n| ("short name", n)),
    );
    out.extend(former_names(&a.names));
    out
}

/// The names of `names:` entries (full and short), which lead to the entity as its
/// current name does.
fn former_names(names: &[crate::model::DatedName]) -> impl Iterator<Item = (&'static str, &str)> {
    names.iter().flat_map(|n| {
        n.name
            .all()
            .into_iter()
            .chain(n.short_name.iter().flat_map(Text::all))
            .map(|t| ("former name", t))
    })
}

/// Every name a place is known by, for the alias clash check.
fn location_names(l: &crate::model::LocationFile) -> Vec<(&'static str, &str)> {
    let mut out: Vec<(&'static str, &str)> =
        l.name.all().into_iter().map(|n| ("name", n)).collect();
    out.extend(former_names(&l.names));
    out
}

/// Refuses an alias that leads to two entities: one that, folded (case, accents), is
/// the name, short name, former name or alias of another actor (among actors) or place
/// (among places). Import and `new` match names through aliases, so such an alias
/// would file a row under either entity. An alias equal to the entity's own name is
/// only redundant, and accepted.
fn alias_clashes(loaded: &Loaded, report: &mut Report) {
    type Entity<'a> = (
        &'a str,
        &'a std::path::Path,
        Vec<(&'static str, &'a str)>,
        &'a [crate::span::Spanned<crate::model::NonEmpty>],
    );
    let actors: Vec<Entity> = loaded
        .actors
        .values()
        .map(|a| {
            (
                a.id.as_str(),
                a.path.as_path(),
                actor_names(&a.data),
                a.data.aliases.as_slice(),
            )
        })
        .collect();
    let places: Vec<Entity> = loaded
        .locations
        .values()
        .map(|l| {
            (
                l.id.as_str(),
                l.path.as_path(),
                location_names(&l.data),
                l.data.aliases.as_slice(),
            )
        })
        .collect();
    for (entities, what) in [(actors, "actor"), (places, "place")] {
        // Folded text → (what it is, whose), names first: an alias clashing with a name
        // says so rather than naming the other's alias.
        let mut owners: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
        for (id, _, names, _) in &entities {
            for (kind, n) in names {
                owners
                    .entry(crate::fold::fold(n))
                    .or_default()
                    .push((kind, id));
            }
        }
        for (id, _, _, aliases) in &entities {
            for a in aliases.iter() {
                owners
                    .entry(crate::fold::fold(&a.value))
                    .or_default()
                    .push(("alias", id));
            }
        }
        for (id, path, names, aliases) in &entities {
            let mut said = BTreeSet::new();
            let own: BTreeSet<String> = names.iter().map(|(_, n)| crate::fold::fold(n)).collect();
            for a in aliases.iter() {
                let folded = crate::fold::fold(&a.value);
                // The entity's own name again: redundant, and told at the other's alias
                // if another entity has it as an alias too.
                if own.contains(&folded) {
                    continue;
                }
                let Some(others) = owners.get(&folded) else {
                    continue;
                };
                // Another entity's name; or its alias, told once, at the later id.
                let clash = others
                    .iter()
                    .find(|(kind, other)| other != id && *kind != "alias")
                    .or_else(|| {
                        others
                            .iter()
                            .find(|(kind, other)| *kind == "alias" && *other < *id)
                    });
                let Some((kind, other)) = clash else { continue };
                if !said.insert(folded.clone()) {
                    continue;
                }
                report.push(
                    Diagnostic::error(
                        path.to_path_buf(),
                        format!(
                            "the alias `{}` of `{id}` is also {} of `{other}`",
                            a.value.0,
                            if *kind == "alias" {
                                "an alias".to_string()
                            } else {
                                format!("the {kind}")
                            }
                        ),
                    )
                    .at(a.pos.line.max(1), a.pos.column.max(1))
                    .help(format!(
                        "an alias must lead to one {what} only; remove it, or use a longer form"
                    )),
                );
            }
        }
    }
}

/// Former ids (`aliases:` of events) → the event that now has the id.
fn former_ids(loaded: &Loaded) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for e in &loaded.events {
        for a in &e.data.aliases {
            out.entry(a.value.0.as_str()).or_insert(e.id.as_str());
        }
    }
    out
}

/// The date an id starts with (`2015-11-20` of `2015-11-20-radisson-blu-attack`), if any.
fn date_prefix(id: &str) -> Option<&str> {
    let mut end = 0;
    for (i, part) in id.split('-').enumerate().take(3) {
        let digits = part.bytes().all(|b| b.is_ascii_digit());
        let ok = match i {
            0 => part.len() == 4 && digits,
            _ => part.len() == 2 && digits,
        };
        if !ok {
            break;
        }
        end += part.len() + usize::from(i > 0);
    }
    (end > 0).then(|| &id[..end])
}

/// Checks each `related:` id: an event's current id; a former id of an event (a
/// warning: the link is followed to it); or gone, with a "did you mean" only among
/// events of the same date, never an unrelated one.
fn related_events(
    loaded: &Loaded,
    former: &BTreeMap<&str, &str>,
    event: &crate::load::Event,
    report: &mut Report,
) {
    for r in &event.data.related {
        let x = r.id.value.0.as_str();
        if x.is_empty() || loaded.known.events.contains(x) {
            continue;
        }
        let (line, column) = (r.id.pos.line.max(1), r.id.pos.column.max(1));
        if let Some(y) = former.get(x) {
            report.push(
                Diagnostic::warning(event.path.clone(), format!("`{x}` is a former id of `{y}`"))
                    .at(line, column)
                    .help(format!("write `{y}`")),
            );
            continue;
        }
        // Dates that may be the same day: `2023-09` and `2023-09-01`.
        let same_date = |c: &str| match (date_prefix(x), date_prefix(c)) {
            (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
            _ => false,
        };
        let candidates = loaded
            .known
            .events
            .iter()
            .map(String::as_str)
            .filter(|c| *c != event.id && same_date(c));
        let help = match crate::model::did_you_mean(x, candidates) {
            Some(y) => format!(
                "did you mean `{y}` (same date)? If the event was renamed, add `aliases: [{x}]` to its file and write its new id here; if it was removed, remove this entry"
            ),
            None => format!(
                "if the event was renamed, add `aliases: [{x}]` to the renamed file and write its new id here; if it was removed, remove this entry"
            ),
        };
        report.push(
            Diagnostic::error(
                event.path.clone(),
                format!("no event has the id `{x}` (any more)"),
            )
            .at(line, column)
            .help(help),
        );
    }
}

/// Days shared by two dated facts, for a message: "2020-12-31 to 2023-01-01", with
/// "always" and "now" for open ends.
fn days_in_words(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    let from = if first == chrono::NaiveDate::MIN {
        "always".to_string()
    } else {
        first.to_string()
    };
    let to = if last == chrono::NaiveDate::MAX {
        "now".to_string()
    } else {
        last.to_string()
    };
    format!("from {from} to {to}")
}

/// Warns about each image of a body or description that would be loaded from another
/// site, unless `remote_images: true`: by default such an image is a link (the
/// README promises that reading a page contacts no other site), which the editor may
/// not expect. A file is read again only when it has one, to point at its line.
pub fn remote_images(
    root: &std::path::Path,
    config: &crate::config::Config,
    loaded: &Loaded,
    report: &mut Report,
) {
    if config.remote_images {
        return;
    }
    let texts = loaded
        .events
        .iter()
        .map(|e| (&e.path, e.data.body.as_ref()))
        .chain(
            loaded
                .actors
                .values()
                .map(|a| (&a.path, a.data.description.as_ref())),
        )
        .chain(
            loaded
                .locations
                .values()
                .map(|l| (&l.path, l.data.description.as_ref())),
        );
    for (path, text) in texts {
        let urls: Vec<String> = text
            .into_iter()
            .flat_map(Text::all)
            .flat_map(crate::render::markdown::remote_images)
            .collect();
        if urls.is_empty() {
            continue;
        }
        let source = crate::load::read_text(&root.join(path), path).ok();
        for url in urls {
            // The line that holds the address; none when YAML escapes hide it (the
            // warning then names the file only).
            let at = source.as_deref().and_then(|t| {
                t.lines().enumerate().find_map(|(i, l)| {
                    let col = l.find(url.as_str())?;
                    Some((i + 1, l[..col].chars().count() + 1))
                })
            });
            let mut d = Diagnostic::warning(
                path.clone(),
                format!(
                    "this image is loaded from another site ({url}): the pages show a link to it instead"
                ),
            )
            .help(
                "to show it, set `remote_images: true` in annalist.yaml (every reader's browser then contacts that site); otherwise nothing to do, the link stays",
            );
            if let Some((line, column)) = at {
                d = d.at(line, column);
            }
            report.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_an_id_starts_with() {
        let cases = [
            ("2015-11-20-radisson-blu-attack", Some("2015-11-20")),
            ("2023-09-djoura-camp-attack", Some("2023-09")),
            ("2023-bamako", Some("2023")),
            ("2023", Some("2023")),
            ("20231-x", None),
            ("djoura-2023", None),
            ("2023-9-x", Some("2023")),
        ];
        for (id, want) in cases {
            assert_eq!(date_prefix(id), want, "{id}");
        }
    }
}
