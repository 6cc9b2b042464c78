//! Validation across files: what no single file can know alone (a location parent
//! cycle, an event filed under the wrong year) and the editorial warnings.

use crate::diag::{Diagnostic, Report};
use crate::load::Loaded;
use crate::model::{Attribution, LocationKind, Status};
use std::collections::BTreeSet;

/// Adds the cross-file problems of `loaded` to `report`.
pub fn validate(loaded: &Loaded, report: &mut Report) {
    location_cycles(loaded, report);
    location_parents(loaded, report);
    for event in &loaded.events {
        let data = &event.data;
        death_totals(loaded, event, report);
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
            if let Some(Attribution::Source(n)) = &c.according_to
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
    for actor in loaded.actors.values() {
        for r in &actor.data.relations {
            if let (Some(since), Some(until)) = (&r.since, &r.until)
                && until.value.latest() < since.value.earliest()
            {
                report.push(
                    Diagnostic::error(actor.path.clone(), "this relation ends before it begins")
                        .at(until.pos.line, until.pos.column)
                        .help("check `since` and `until`"),
                );
            }
        }
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
    for (start, loc) in &loaded.locations {
        let Some((chain, first)) = cycle_from(loaded, start) else {
            continue;
        };
        let pos = match (&loc.data.parent, loc.data.parents.get(first)) {
            (Some(p), _) => p.pos,
            (None, Some(p)) => p.id.pos,
            (None, None) => Default::default(),
        };
        report.push(
            Diagnostic::error(
                loc.path.clone(),
                format!(
                    "the parents of `{start}` loop back to it: {}",
                    chain.join(" → ")
                ),
            )
            .at(pos.line.max(1), pos.column.max(1))
            .help("a location's parent is the larger place that contains it; one of these parents is wrong"),
        );
    }
}

/// The first loop of parents from `start` back to it through places after it in id
/// order (so that each loop is found once, from its first place), whose links may all
/// hold on one day; with the number of the link it leaves `start` by.
fn cycle_from<'a>(loaded: &'a Loaded, start: &'a str) -> Option<(Vec<&'a str>, usize)> {
    use crate::period::Period;
    struct Step<'a> {
        at: &'a str,
        next: usize,
    }
    let links = |id: &str| -> Vec<(&'a str, Period<'a>)> {
        loaded
            .locations
            .get_key_value(id)
            .map(|(_, l)| l.data.parent_periods())
            .unwrap_or_default()
    };
    let mut path: Vec<Step> = vec![Step { at: start, next: 0 }];
    let mut periods: Vec<Period> = Vec::new();
    let mut first = 0;
    while let Some(top) = path.last() {
        let (at, next, depth) = (top.at, top.next, path.len());
        let Some(&(parent, period)) = links(at).get(next) else {
            path.pop();
            periods.pop();
            continue;
        };
        if depth == 1 {
            first = next;
        }
        if let Some(top) = path.last_mut() {
            top.next += 1;
        }
        // Links that can never hold together make no loop.
        if !periods.iter().all(|p| p.may_meet(&period)) {
            continue;
        }
        if parent == start {
            let mut chain: Vec<&str> = path.iter().map(|s| s.at).collect();
            chain.push(start);
            return Some((chain, first));
        }
        if parent > start
            && !path.iter().any(|s| s.at == parent)
            && path.len() <= loaded.locations.len()
        {
            periods.push(period);
            path.push(Step {
                at: parent,
                next: 0,
            });
        }
    }
    None
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
            let Some(a) = parents[..j]
                .iter()
                .find(|a| a.period().certainly_shared(&b.period()).is_some())
            else {
                continue;
            };
            let pos = b.since.as_ref().map_or(b.id.pos, |s| s.pos);
            report.push(
                Diagnostic::error(
                    loc.path.clone(),
                    format!(
                        "`{id}` would be in `{}` and `{}` on the same days",
                        a.id.value.0.as_str(),
                        b.id.value.0.as_str()
                    ),
                )
                .at(pos.line.max(1), pos.column.max(1))
                .help("end one parent where the other begins (`until:` on the first, `since:` on the next)"),
            );
        }
    }
}
