//! Validation across files: what no single file can know alone (a location parent
//! cycle, an event filed under the wrong year) and the editorial warnings.

use crate::diag::{Diagnostic, Report};
use crate::load::Loaded;
use crate::model::{Attribution, LocationKind, Status};
use std::collections::BTreeSet;

/// Adds the cross-file problems of `loaded` to `report`.
pub fn validate(loaded: &Loaded, report: &mut Report) {
    location_cycles(loaded, report);
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
        relation_dates(actor, report);
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
                    .help("add `coordinates: {lat: ..., lon: ...}` when a source gives them, so that it shows on maps"),
            );
        }
    }
}

/// Refuses dates of the wrong shape on a relation: a lasting relation holds `since`
/// and `until`, a one-off one happened on a `date`. `succeeded-by` with `since`, which
/// files wrote before `date:` existed, is only a warning and read as its date.
fn relation_dates(actor: &crate::load::Actor, report: &mut Report) {
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
                    "write `since: {}` for when it began (and `until:` when it ended)",
                    at.value.to_edtf()
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
    let mut places = BTreeSet::new();
    for l in &d.locations {
        let mut at = Some(l.as_str());
        while let Some(id) = at {
            if !places.insert(id) {
                break;
            }
            at = loaded
                .locations
                .get(id)
                .and_then(|l| l.data.parent.as_ref())
                .map(|p| p.value.0.as_str());
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

/// Reports each chain of `parent:` links that loops back on itself, once, at the
/// `parent:` of the first location of the cycle in id order.
fn location_cycles(loaded: &Loaded, report: &mut Report) {
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in loaded.locations.keys() {
        let mut chain = vec![start.clone()];
        let mut current = start.clone();
        while let Some(parent) = loaded
            .locations
            .get(&current)
            .and_then(|l| l.data.parent.as_ref())
            .map(|p| p.value.0.as_str().to_string())
        {
            if parent == *start {
                if chain.iter().any(|c| reported.contains(c)) {
                    break;
                }
                reported.extend(chain.iter().cloned());
                let loc = &loaded.locations[start];
                let pos = loc.data.parent.as_ref().map(|p| p.pos).unwrap_or_default();
                chain.push(start.clone());
                report.push(
                    Diagnostic::error(loc.path.clone(), format!("the parents of `{start}` loop back to it: {}", chain.join(" → ")))
                        .at(pos.line.max(1), pos.column.max(1))
                        .help("a location's parent is the larger place that contains it; one of these parents is wrong"),
                );
                break;
            }
            if chain.contains(&parent) || chain.len() > loaded.locations.len() {
                break; // a cycle that does not include `start`: reported from its own members
            }
            chain.push(parent.clone());
            current = parent;
        }
    }
}
