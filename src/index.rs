//! The cross-reference index, built once after validation: events in chronological
//! order, and maps from each actor, location, type, year and tag to its events. Pages
//! read from it and never scan all events again.

use crate::date::EventDate;
use crate::load::{Actor, Event, Loaded, Location};
use crate::model::{ActorRelation, ActorRelationType, Role};
use crate::period::{Overlap, Period};
use std::collections::{BTreeMap, BTreeSet};

/// An event's position in `Index::events` (chronological order, oldest first).
pub type EventIx = usize;

/// How an event reaches an actor's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Involvement {
    /// The actor itself takes part, in these roles: always certain.
    Direct(Vec<Role>),
    /// A unit of the actor takes part (Katiba Macina for JNIM): the relations from
    /// the unit up to the page's actor, how sure the link is at the event's date, and
    /// the unit's roles.
    Unit {
        path: Vec<Edge>,
        reach: Reach,
        roles: Vec<Role>,
    },
}

impl Involvement {
    /// Whether the dates cannot tell if the event belongs on the page: such an event
    /// is shown with a note and counted apart.
    pub fn is_possible(&self) -> bool {
        matches!(
            self,
            Involvement::Unit {
                reach: Reach::Possible(_),
                ..
            }
        )
    }
}

/// One roll-up relation along a path: `unit` *relation* `target`, with its dates as
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub unit: String,
    pub relation: ActorRelationType,
    pub target: String,
    pub since: Option<EventDate>,
    pub until: Option<EventDate>,
}

impl Edge {
    /// The days the relation holds on.
    pub fn period(&self) -> Period<'_> {
        Period::new(self.since.as_ref(), self.until.as_ref())
    }
}

/// How sure a path from a unit to a group is at an event's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every relation of the path certainly held on every day the event may have been.
    Certain,
    /// The dates cannot tell: this relation of the path (the first such, from the
    /// unit up) may or may not have held, which the page's note states.
    Possible(Edge),
}

/// Relations through which a unit's events belong on its parent's page.
const UNIT_RELATIONS: [ActorRelationType; 4] = [
    ActorRelationType::PartOf,
    ActorRelationType::BranchOf,
    ActorRelationType::AffiliatedWith,
    ActorRelationType::MediaArmOf,
];

#[derive(Debug)]
pub struct Index<'a> {
    pub events: Vec<&'a Event>,
    pub actors: &'a BTreeMap<String, Actor>,
    pub locations: &'a BTreeMap<String, Location>,
    pub event_ix: BTreeMap<&'a str, EventIx>,
    /// Actor id → its events (oldest first), with how it is involved in each.
    pub by_actor: BTreeMap<&'a str, Vec<(EventIx, Involvement)>>,
    /// Location id → events at the place or at any place inside it.
    pub by_location: BTreeMap<&'a str, Vec<EventIx>>,
    /// Location id → how many events stand at the place itself (not at places inside
    /// it), for the sizes of the map's discs.
    pub at_location: BTreeMap<&'a str, usize>,
    /// Location id → the locations directly inside it.
    pub children: BTreeMap<&'a str, Vec<&'a str>>,
    /// Actor id → actors that stand in a relation to it (incoming relations).
    pub incoming: BTreeMap<&'a str, Vec<(&'a str, ActorRelationType)>>,
    pub by_type: BTreeMap<&'static str, Vec<EventIx>>,
    pub by_year: BTreeMap<i32, Vec<EventIx>>,
    pub by_tag: BTreeMap<&'a str, Vec<EventIx>>,
    /// Event id → events that link to it with a relation.
    pub related_in: BTreeMap<&'a str, Vec<EventIx>>,
}

impl<'a> Index<'a> {
    pub fn build(loaded: &'a Loaded) -> Index<'a> {
        let mut events: Vec<&Event> = loaded.events.iter().collect();
        events.sort_by(|a, b| {
            chrono_key(a)
                .cmp(&chrono_key(b))
                .then_with(|| a.id.cmp(&b.id))
        });
        let event_ix: BTreeMap<&str, EventIx> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();

        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (id, l) in &loaded.locations {
            if let Some(p) = &l.data.parent {
                children
                    .entry(p.value.0.as_str())
                    .or_default()
                    .push(id.as_str());
            }
        }
        let mut incoming: BTreeMap<&str, Vec<(&str, ActorRelationType)>> = BTreeMap::new();
        for (id, a) in &loaded.actors {
            for r in &a.data.relations {
                incoming
                    .entry(r.target.value.0.as_str())
                    .or_default()
                    .push((id.as_str(), r.relation));
            }
        }

        let mut direct: BTreeMap<&str, Vec<(EventIx, Vec<Role>)>> = BTreeMap::new();
        let mut by_location: BTreeMap<&str, BTreeSet<EventIx>> = BTreeMap::new();
        let mut at_location: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_type: BTreeMap<&'static str, Vec<EventIx>> = BTreeMap::new();
        let mut by_year: BTreeMap<i32, Vec<EventIx>> = BTreeMap::new();
        let mut by_tag: BTreeMap<&str, Vec<EventIx>> = BTreeMap::new();
        let mut related_in: BTreeMap<&str, Vec<EventIx>> = BTreeMap::new();
        for (ix, e) in events.iter().enumerate() {
            let d = &e.data;
            let mut roles: BTreeMap<&str, Vec<Role>> = BTreeMap::new();
            for p in &d.actors {
                roles.entry(p.id.as_str()).or_default().push(p.role);
            }
            for c in &d.claims {
                let r = roles.entry(c.claimant.as_str()).or_default();
                if !r.contains(&Role::Claimant) {
                    r.push(Role::Claimant);
                }
            }
            for (actor, roles) in roles {
                direct.entry(actor).or_default().push((ix, roles));
            }
            for l in &d.locations {
                *at_location.entry(l.as_str()).or_default() += 1;
                // The event counts for the place and every place that contains it.
                let mut current = Some(l.as_str());
                let mut guard = 0;
                while let Some(id) = current {
                    by_location.entry(id).or_default().insert(ix);
                    current = loaded
                        .locations
                        .get(id)
                        .and_then(|loc| loc.data.parent.as_ref())
                        .map(|p| p.value.0.as_str());
                    guard += 1;
                    if guard > loaded.locations.len() {
                        break;
                    }
                }
            }
            by_type.entry(d.event_type.key()).or_default().push(ix);
            by_year.entry(d.date.value.year()).or_default().push(ix);
            for t in &d.tags {
                by_tag.entry(t.0.as_str()).or_default().push(ix);
            }
            for r in &d.related {
                related_in
                    .entry(r.id.value.0.as_str())
                    .or_default()
                    .push(ix);
            }
        }

        // An actor's page: its own events, and those of its units (transitively) while
        // the relations that make them its units held.
        let below = units_below(loaded);
        let mut by_actor: BTreeMap<&str, Vec<(EventIx, Involvement)>> = BTreeMap::new();
        for id in loaded.actors.keys() {
            let mut list: BTreeMap<EventIx, Involvement> = BTreeMap::new();
            for (ix, roles) in direct.get(id.as_str()).into_iter().flatten() {
                list.insert(*ix, Involvement::Direct(roles.clone()));
            }
            let units = reachable(id, &below);
            let mut candidates: BTreeSet<EventIx> = BTreeSet::new();
            for unit in &units {
                for (ix, _) in direct.get(unit).into_iter().flatten() {
                    if !list.contains_key(ix) {
                        candidates.insert(*ix);
                    }
                }
            }
            for ix in candidates {
                let date = &events[ix].data.date.value;
                let taking_part = |a: &str| units.contains(a) && roles_in(&direct, a, ix).is_some();
                if let Some((path, reach)) = best_path(id, date, &below, &taking_part) {
                    let unit = path.first().map_or("", |e| e.unit.as_str());
                    let roles = roles_in(&direct, unit, ix).cloned().unwrap_or_default();
                    list.insert(ix, Involvement::Unit { path, reach, roles });
                }
            }
            by_actor.insert(id.as_str(), list.into_iter().collect());
        }

        Index {
            events,
            actors: &loaded.actors,
            locations: &loaded.locations,
            event_ix,
            by_actor,
            by_location: by_location
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
            at_location,
            children,
            incoming,
            by_type,
            by_year,
            by_tag,
            related_in,
        }
    }

    /// How many events stand at the place `id` itself, not at places inside it.
    pub fn events_at(&self, id: &str) -> usize {
        self.at_location.get(id).copied().unwrap_or(0)
    }

    /// The chain of places containing `id`, nearest first (Mopti region, Mali).
    pub fn ancestors(&self, id: &str) -> Vec<&'a Location> {
        let mut out: Vec<&Location> = Vec::new();
        let mut current = self.locations.get(id).and_then(|l| l.data.parent.as_ref());
        while let Some(p) = current {
            let Some(loc) = self.locations.get(p.value.0.as_str()) else {
                break;
            };
            if out.iter().any(|l| l.id == loc.id) {
                break;
            }
            out.push(loc);
            current = loc.data.parent.as_ref();
        }
        out
    }

    /// Every place inside `id`, at any depth, in id order.
    pub fn descendants(&self, id: &str) -> Vec<&'a str> {
        let mut out = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            for c in self.children.get(cur).into_iter().flatten() {
                if out.insert(*c) {
                    stack.push(c);
                }
            }
        }
        out.into_iter().collect()
    }
}

/// Group id → the roll-up relations naming it as their target, by unit id: the
/// graph the paths of `best_path` walk down. Relations whose dates contradict each
/// other hold on no day and are left out.
type Below<'a> = BTreeMap<&'a str, Vec<(&'a str, &'a ActorRelation)>>;

fn units_below(loaded: &Loaded) -> Below<'_> {
    let mut below: Below = BTreeMap::new();
    for (id, a) in &loaded.actors {
        for r in &a.data.relations {
            if UNIT_RELATIONS.contains(&r.relation) && relation_period(r).possible().is_some() {
                below
                    .entry(r.target.value.0.as_str())
                    .or_default()
                    .push((id.as_str(), r));
            }
        }
    }
    for units in below.values_mut() {
        units.sort_by(|a, b| a.0.cmp(b.0).then(a.1.relation.cmp(&b.1.relation)));
    }
    below
}

fn relation_period(r: &ActorRelation) -> Period<'_> {
    Period::new(
        r.since.as_ref().map(|s| &s.value),
        r.until.as_ref().map(|u| &u.value),
    )
}

/// Every unit below `id` at any date, `id` itself left out (a loop of relations,
/// which `check` refuses, never credits a group with its own events twice).
fn reachable<'a>(id: &str, below: &Below<'a>) -> BTreeSet<&'a str> {
    let mut out: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![id];
    while let Some(cur) = stack.pop() {
        for (unit, _) in below.get(cur).into_iter().flatten() {
            if *unit != id && out.insert(unit) {
                stack.push(unit);
            }
        }
    }
    out
}

/// The roles of `actor` in the event `ix`, when it takes part in it.
fn roles_in<'d>(
    direct: &'d BTreeMap<&str, Vec<(EventIx, Vec<Role>)>>,
    actor: &str,
    ix: EventIx,
) -> Option<&'d Vec<Role>> {
    let list = direct.get(actor)?;
    let at = list.binary_search_by(|(i, _)| i.cmp(&ix)).ok()?;
    list.get(at).map(|(_, roles)| roles)
}

/// The path by which an event dated `date`, in which the units for which `taking_part`
/// holds take part, reaches the group `top`: the strongest (its weakest relation
/// decides), then the shortest, then the unit of smallest id and the groups of
/// smallest ids on the way up. `None` when every path is excluded at that date.
fn best_path(
    top: &str,
    date: &EventDate,
    below: &Below,
    taking_part: &dyn Fn(&str) -> bool,
) -> Option<(Vec<Edge>, Reach)> {
    for floor in [Overlap::Certain, Overlap::Possible] {
        // Breadth first from the group down, through relations at least as sure as
        // `floor` at the date: the first depth where a taking part unit stands is the
        // shortest path.
        let mut up: BTreeMap<&str, (&str, &ActorRelation)> = BTreeMap::new();
        let mut level: Vec<&str> = vec![top];
        let mut found: Option<&str> = None;
        while !level.is_empty() && found.is_none() {
            let mut next: BTreeMap<&str, (&str, &ActorRelation, Overlap)> = BTreeMap::new();
            // `level` is in id order: the first group to reach a unit stands as its
            // way up; between two relations to the same group, the surer.
            for &group in &level {
                for &(unit, r) in below.get(group).into_iter().flatten() {
                    let overlap = relation_period(r).overlap(date);
                    if unit == top || up.contains_key(unit) || overlap < floor {
                        continue;
                    }
                    match next.get(unit) {
                        Some(&(g, _, o)) if g != group || o >= overlap => {}
                        _ => {
                            next.insert(unit, (group, r, overlap));
                        }
                    }
                }
            }
            found = next.keys().copied().find(|u| taking_part(u));
            level = next.keys().copied().collect();
            up.extend(next.into_iter().map(|(u, (g, r, _))| (u, (g, r))));
        }
        let Some(unit) = found else { continue };
        let mut path: Vec<Edge> = Vec::new();
        let mut cur = unit;
        while cur != top {
            let Some(&(group, r)) = up.get(cur) else {
                break;
            };
            path.push(Edge {
                unit: cur.to_string(),
                relation: r.relation,
                target: group.to_string(),
                since: r.since.as_ref().map(|s| s.value),
                until: r.until.as_ref().map(|u| u.value),
            });
            cur = group;
        }
        let undecided = path
            .iter()
            .find(|e| e.period().overlap(date) != Overlap::Certain)
            .cloned();
        let reach = match undecided {
            Some(edge) => Reach::Possible(edge),
            None => Reach::Certain,
        };
        return Some((path, reach));
    }
    None
}

/// Chronological order: earliest possible instant, then precision, then time of day.
fn chrono_key(e: &Event) -> (impl Ord + use<>, u32) {
    let time = e.data.time.as_ref().map(|t| t.sort_minutes()).unwrap_or(0);
    (e.data.date.value.sort_key(), time)
}
