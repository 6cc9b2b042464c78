//! The cross-reference index, built once after validation: events in chronological
//! order, and maps from each actor, location, type, year and tag to its events. Pages
//! read from it and never scan all events again.

use crate::load::{Actor, Event, Loaded, Location};
use crate::model::{ActorRelationType, Role};
use std::collections::{BTreeMap, BTreeSet};

/// An event's position in `Index::events` (chronological order, oldest first).
pub type EventIx = usize;

/// How an event reaches an actor's page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Involvement {
    /// The actor itself takes part, in these roles.
    Direct(Vec<Role>),
    /// A unit of the actor takes part (Katiba Macina for JNIM): the unit's id, its
    /// relation to the actor, and its roles.
    Unit {
        unit: String,
        relation: ActorRelationType,
        roles: Vec<Role>,
    },
}

/// Relations through which a unit's events belong on its parent's page.
pub const UNIT_RELATIONS: [ActorRelationType; 4] = [
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
        let former: BTreeMap<&str, &str> = events
            .iter()
            .flat_map(|e| {
                e.data
                    .aliases
                    .iter()
                    .map(|a| (a.value.0.as_str(), e.id.as_str()))
            })
            .collect();
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
                // A former id (a warning of `check`) links to the renamed event.
                let id = r.id.value.0.as_str();
                related_in
                    .entry(former.get(id).copied().unwrap_or(id))
                    .or_default()
                    .push(ix);
            }
        }

        // An actor's page: its own events, and those of its units (transitively).
        let mut by_actor: BTreeMap<&str, Vec<(EventIx, Involvement)>> = BTreeMap::new();
        for id in loaded.actors.keys() {
            let mut list: BTreeMap<EventIx, Involvement> = BTreeMap::new();
            for (ix, roles) in direct.get(id.as_str()).into_iter().flatten() {
                list.insert(*ix, Involvement::Direct(roles.clone()));
            }
            for (unit, relation) in units_of(id, &incoming) {
                for (ix, roles) in direct.get(unit).into_iter().flatten() {
                    list.entry(*ix).or_insert_with(|| Involvement::Unit {
                        unit: unit.to_string(),
                        relation,
                        roles: roles.clone(),
                    });
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

/// Units of `id`: actors that are part of, a branch of, affiliated with or the media
/// arm of it, and their own units in turn, each with the relation that brought it.
fn units_of<'a>(
    id: &str,
    incoming: &BTreeMap<&'a str, Vec<(&'a str, ActorRelationType)>>,
) -> Vec<(&'a str, ActorRelationType)> {
    let mut out: Vec<(&str, ActorRelationType)> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<(&str, Option<ActorRelationType>)> = vec![(id, None)];
    while let Some((cur, via)) = stack.pop() {
        for (unit, rel) in incoming.get(cur).into_iter().flatten() {
            if UNIT_RELATIONS.contains(rel) && *unit != id && seen.insert(unit) {
                let relation = via.unwrap_or(*rel);
                out.push((unit, relation));
                stack.push((unit, Some(relation)));
            }
        }
    }
    out.sort();
    out
}

/// Chronological order: earliest possible instant, then precision, then time of day.
fn chrono_key(e: &Event) -> (impl Ord + use<>, u32) {
    let time = e.data.time.as_ref().map(|t| t.sort_minutes()).unwrap_or(0);
    (e.data.date.value.sort_key(), time)
}
