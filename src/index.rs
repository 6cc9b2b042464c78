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

/// How an event reaches a place's page: at the place or through parents that
/// certainly held at its date, or through a parent whose dates cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceReach<'a> {
    Certain,
    /// `place`'s entry number `entry` of `parents:` may or may not have held at the
    /// event's date (the weakest edge of the strongest path).
    Possible {
        place: &'a str,
        entry: usize,
    },
}

impl PlaceReach<'_> {
    pub fn is_possible(&self) -> bool {
        matches!(self, PlaceReach::Possible { .. })
    }
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
    /// Location id → events at the place or at any place inside it on the event's
    /// date, certainly or possibly (events a parent's dates exclude are not here).
    pub by_location: BTreeMap<&'a str, Vec<(EventIx, PlaceReach<'a>)>>,
    /// Location id → how many events stand at the place itself (not at places inside
    /// it), for the sizes of the map's discs.
    pub at_location: BTreeMap<&'a str, usize>,
    /// Location id → how many of those events name the place as uncertain.
    pub uncertain_location: BTreeMap<&'a str, usize>,
    /// Location id → the locations directly inside it now (their current parent).
    pub children: BTreeMap<&'a str, Vec<&'a str>>,
    /// Location id → the locations that were inside it until a date (`parents:`
    /// entries with `until`), each with the number of its entry.
    pub former_children: BTreeMap<&'a str, Vec<(&'a str, usize)>>,
    /// Actor id → actors that stand in a relation to it (incoming relations).
    pub incoming: BTreeMap<&'a str, Vec<(&'a str, ActorRelationType)>>,
    pub by_type: BTreeMap<&'static str, Vec<EventIx>>,
    /// Status key → its events, for the list of each status (`statuses/claimed/`).
    pub by_status: BTreeMap<&'static str, Vec<EventIx>>,
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
        let mut former_children: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
        for (id, l) in &loaded.locations {
            if let Some(p) = l.data.current_parent() {
                children.entry(p).or_default().push(id.as_str());
            }
            for (n, p) in l.data.parents.iter().enumerate() {
                if p.until.is_some() && Some(p.id.value.0.as_str()) != l.data.current_parent() {
                    former_children
                        .entry(p.id.value.0.as_str())
                        .or_default()
                        .push((id.as_str(), n));
                }
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
        let mut by_location: BTreeMap<&str, BTreeMap<EventIx, PlaceReach>> = BTreeMap::new();
        let mut at_location: BTreeMap<&str, usize> = BTreeMap::new();
        let mut uncertain_location: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_type: BTreeMap<&'static str, Vec<EventIx>> = BTreeMap::new();
        let mut by_status: BTreeMap<&'static str, Vec<EventIx>> = BTreeMap::new();
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
                if l.uncertain {
                    *uncertain_location.entry(l.as_str()).or_default() += 1;
                }
            }
            // The event counts for its places and every place that contains them on
            // its date; the strongest way wins when several lead to one place.
            for (place, reach) in places_reached(
                &loaded.locations,
                d.locations.iter().map(|l| l.as_str()),
                &d.date.value,
            ) {
                let slot = by_location.entry(place).or_default();
                match slot.get(&ix) {
                    Some(PlaceReach::Certain) => {}
                    Some(_) if reach.is_possible() => {}
                    _ => {
                        slot.insert(ix, reach);
                    }
                }
            }
            by_type.entry(d.event_type.key()).or_default().push(ix);
            by_status.entry(d.status.value.key()).or_default().push(ix);
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
            uncertain_location,
            children,
            former_children,
            incoming,
            by_type,
            by_status,
            by_year,
            by_tag,
            related_in,
        }
    }

    /// How many events stand at the place `id` itself, not at places inside it.
    pub fn events_at(&self, id: &str) -> usize {
        self.at_location.get(id).copied().unwrap_or(0)
    }

    /// How many events at the place `id` itself name it as uncertain.
    pub fn uncertain_at(&self, id: &str) -> usize {
        self.uncertain_location.get(id).copied().unwrap_or(0)
    }

    /// The chain of places containing `id` now, nearest first (Mopti region, Mali).
    pub fn ancestors(&self, id: &str) -> Vec<&'a Location> {
        self.chain(id, |l| l.data.current_parent())
    }

    /// The chain of places that certainly contained `id` on `date`, nearest first:
    /// the breadcrumb of an event's place and the `location_path` of the exports.
    pub fn ancestors_at(&self, id: &str, date: &EventDate) -> Vec<&'a Location> {
        self.chain(id, |l| {
            l.data
                .parent_periods()
                .into_iter()
                .find(|(_, p)| p.overlap(date) == Overlap::Certain)
                .map(|(id, _)| id)
        })
    }

    fn chain(
        &self,
        id: &str,
        parent: impl for<'l> Fn(&'l Location) -> Option<&'l str>,
    ) -> Vec<&'a Location> {
        let mut out: Vec<&Location> = Vec::new();
        let mut current = self.locations.get(id).and_then(&parent);
        while let Some(p) = current {
            let Some(loc) = self.locations.get(p) else {
                break;
            };
            if out.iter().any(|l| l.id == loc.id) {
                break;
            }
            out.push(loc);
            current = parent(loc);
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

/// The places an event dated `date` at the places `from` counts for: those places
/// (certainly), and every place that contains them on that date, with how. Each
/// `parents:` entry is decided by [`Period::overlap`](crate::period::Period::overlap);
/// a path is as strong as its weakest edge, and the strongest path wins (ties: the
/// shortest, found first). Excluded edges lead nowhere. Sorted by place id.
pub fn places_reached<'a>(
    locations: &'a BTreeMap<String, Location>,
    from: impl IntoIterator<Item = &'a str>,
    date: &EventDate,
) -> Vec<(&'a str, PlaceReach<'a>)> {
    let mut best: BTreeMap<&'a str, PlaceReach<'a>> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<&'a str> = std::collections::VecDeque::new();
    for id in from {
        if best.insert(id, PlaceReach::Certain) != Some(PlaceReach::Certain) {
            queue.push_back(id);
        }
    }
    // Breadth first, and a place is visited again only when it gets stronger (at most
    // twice: possible, then certain), so loops end.
    while let Some(id) = queue.pop_front() {
        let Some(loc) = locations.get(id) else {
            continue;
        };
        let here = best.get(id).copied().unwrap_or(PlaceReach::Certain);
        for (entry, (parent, period)) in loc.data.parent_periods().into_iter().enumerate() {
            let Some((parent, _)) = locations.get_key_value(parent) else {
                continue;
            };
            let reach = match (period.overlap(date), here) {
                (Overlap::Excluded, _) => continue,
                (Overlap::Certain, here) => here,
                (Overlap::Possible, PlaceReach::Certain) => PlaceReach::Possible {
                    place: loc.id.as_str(),
                    entry,
                },
                (Overlap::Possible, here) => here,
            };
            let stronger = match best.get(parent.as_str()) {
                None => true,
                Some(PlaceReach::Possible { .. }) => reach == PlaceReach::Certain,
                Some(PlaceReach::Certain) => false,
            };
            if stronger {
                best.insert(parent.as_str(), reach);
                queue.push_back(parent.as_str());
            }
        }
    }
    best.into_iter().collect()
}

/// Group id → the roll-up relations naming it as their target, by unit id: the
/// graph the paths of `best_path` walk down. Relations whose dates contradict each
/// other hold on no day and are left out.
type Below<'a> = BTreeMap<&'a str, Vec<(&'a str, &'a ActorRelation)>>;

fn units_below(loaded: &Loaded) -> Below<'_> {
    let mut below: Below = BTreeMap::new();
    for (id, a) in &loaded.actors {
        for r in &a.data.relations {
            if UNIT_RELATIONS.contains(&r.relation) && r.period().possible().is_some() {
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
                    let overlap = r.period().overlap(date);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LocationFile;

    /// Places of the 2023 reform: Ogossagou in the Bankass cercle, in Mopti region
    /// until 2023 and in Bandiagara region since 2023, both in Mali.
    fn places(extra: &[(&str, &str)]) -> BTreeMap<String, Location> {
        let files = [
            ("mali", "name: Mali\nkind: country\n"),
            ("mopti-region", "name: Mopti\nkind: region\nparent: mali\n"),
            (
                "bandiagara-region",
                "name: Bandiagara\nkind: region\nparent: mali\n",
            ),
            (
                "bankass-cercle",
                "name: Bankass\nkind: district\nparents:\n  - id: mopti-region\n    until: 2023\n  - id: bandiagara-region\n    since: 2023\n",
            ),
            (
                "ogossagou",
                "name: Ogossagou\nkind: village\nparent: bankass-cercle\ncoordinates: unknown\n",
            ),
        ];
        files
            .iter()
            .chain(extra)
            .map(|(id, yaml)| {
                let data: LocationFile = serde_yaml::from_str(yaml).expect("a location");
                let path = format!("events/locations/{id}.yaml").into();
                (
                    id.to_string(),
                    Location {
                        id: id.to_string(),
                        path,
                        data,
                    },
                )
            })
            .collect()
    }

    fn reached(
        locations: &BTreeMap<String, Location>,
        from: &str,
        date: &str,
    ) -> BTreeMap<String, &'static str> {
        let date = EventDate::parse(date).expect("a date");
        places_reached(locations, [from], &date)
            .into_iter()
            .map(|(id, r)| {
                let how = match r {
                    PlaceReach::Certain => "certain",
                    PlaceReach::Possible { .. } => "possible",
                };
                (id.to_string(), how)
            })
            .collect()
    }

    #[test]
    fn an_event_rolls_up_to_the_parent_in_force_at_its_date() {
        let l = places(&[]);
        // Ogossagou 2019: Mopti region, never Bandiagara.
        let r = reached(&l, "ogossagou", "2019-03-23");
        assert_eq!(r.get("mopti-region"), Some(&"certain"));
        assert_eq!(r.get("mali"), Some(&"certain"));
        assert_eq!(r.get("bandiagara-region"), None, "{r:?}");
        // 2024: Bandiagara region, no longer Mopti.
        let r = reached(&l, "ogossagou", "2024-02-01");
        assert_eq!(r.get("bandiagara-region"), Some(&"certain"));
        assert_eq!(r.get("mopti-region"), None, "{r:?}");
        // Dated only to the year of the reform: possibly either, and so Mali too.
        let r = reached(&l, "ogossagou", "2023");
        assert_eq!(r.get("ogossagou"), Some(&"certain"));
        assert_eq!(r.get("bankass-cercle"), Some(&"certain"));
        assert_eq!(r.get("mopti-region"), Some(&"possible"));
        assert_eq!(r.get("bandiagara-region"), Some(&"possible"));
        assert_eq!(r.get("mali"), Some(&"possible"));
    }

    #[test]
    fn a_possible_link_names_the_undecided_entry() {
        let l = places(&[]);
        let date = EventDate::parse("2023").expect("a date");
        let r: BTreeMap<&str, PlaceReach> = places_reached(&l, ["ogossagou"], &date)
            .into_iter()
            .collect();
        assert_eq!(
            r.get("bandiagara-region"),
            Some(&PlaceReach::Possible {
                place: "bankass-cercle",
                entry: 1
            })
        );
    }

    #[test]
    fn the_strongest_path_wins() {
        // A second, undated way from Ogossagou to Mopti region makes 2023 certain.
        let l = places(&[(
            "ogossagou-commune",
            "name: Commune\nkind: area\nparent: mopti-region\n",
        )]);
        let date = EventDate::parse("2023").expect("a date");
        let r: BTreeMap<&str, PlaceReach> =
            places_reached(&l, ["ogossagou", "ogossagou-commune"], &date)
                .into_iter()
                .collect();
        assert_eq!(r.get("mopti-region"), Some(&PlaceReach::Certain));
        assert_eq!(r.get("mali"), Some(&PlaceReach::Certain));
    }

    #[test]
    fn a_loop_of_parents_ends() {
        let l = places(&[
            ("a", "name: A\nkind: area\nparent: b\n"),
            (
                "b",
                "name: B\nkind: area\nparents:\n  - id: a\n    since: 2020\n",
            ),
        ]);
        let r = reached(&l, "a", "2021");
        assert_eq!(r.get("b"), Some(&"certain"));
        assert_eq!(r.get("a"), Some(&"certain"));
    }

    #[test]
    fn breadcrumbs_follow_certain_parents_at_the_date() {
        let l = places(&[]);
        let loaded = Loaded {
            locations: l,
            ..Loaded::default()
        };
        let index = Index::build(&loaded);
        let ids = |v: Vec<&Location>| v.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        let at = |d: &str| EventDate::parse(d).expect("a date");
        assert_eq!(
            ids(index.ancestors_at("ogossagou", &at("2019-03-23"))),
            ["bankass-cercle", "mopti-region", "mali"]
        );
        assert_eq!(
            ids(index.ancestors_at("ogossagou", &at("2023"))),
            ["bankass-cercle"]
        );
        // Undated, the place stands where it is now.
        assert_eq!(
            ids(index.ancestors("ogossagou")),
            ["bankass-cercle", "bandiagara-region", "mali"]
        );
        assert_eq!(index.children["bandiagara-region"], ["bankass-cercle"]);
        assert_eq!(
            index.former_children["mopti-region"],
            [("bankass-cercle", 0)]
        );
    }

    use crate::load::{Parsed, parse_actor, parse_event};
    use crate::span::Known;
    use std::path::PathBuf;
    use std::sync::Arc;

    /// A chronology from inline files: actors `(id, yaml)`, events `(id, date, actor
    /// ids)` each at `bamako` with the actors as perpetrators.
    fn loaded(actors: &[(&str, &str)], events: &[(&str, &str, &[&str])]) -> Loaded {
        let mut known = Known::default();
        known
            .actors
            .extend(actors.iter().map(|(id, _)| id.to_string()));
        known.locations.insert("bamako".to_string());
        known
            .events
            .extend(events.iter().map(|(id, ..)| id.to_string()));
        let known = Arc::new(known);
        let mut l = Loaded::default();
        for (id, text) in actors {
            let path = PathBuf::from(format!("events/actors/{id}.yaml"));
            let a = parse_actor(text, &path, id, &known).expect("a valid actor");
            l.insert(Parsed::Actor(Box::new(a)), path, id.to_string());
        }
        for (id, date, who) in events {
            let mut text = format!(
                "title: {id}\ndate: {date}\ntype: attack\nstatus: reported\nlocations: [bamako]\nactors:\n"
            );
            for a in *who {
                text.push_str(&format!("  - id: {a}\n    role: perpetrator\n"));
            }
            let path = PathBuf::from(format!("events/{id}.yaml"));
            let e = parse_event(&text, &path, id, &known).expect("a valid event");
            l.insert(Parsed::Event(Box::new(e)), path, id.to_string());
        }
        l
    }

    /// The events on `actor`'s page: id, and `None` for direct involvement, else the
    /// units of the path from the event up and whether the link is only possible.
    /// The units of a path, from the event up, and whether the link is only possible.
    type Via = Option<(Vec<String>, bool)>;

    fn page(index: &Index, actor: &str) -> Vec<(String, Via)> {
        index.by_actor[actor]
            .iter()
            .map(|(ix, inv)| {
                let id = index.events[*ix].id.clone();
                match inv {
                    Involvement::Direct(_) => (id, None),
                    Involvement::Unit { path, .. } => (
                        id,
                        Some((
                            path.iter().map(|e| e.unit.clone()).collect(),
                            inv.is_possible(),
                        )),
                    ),
                }
            })
            .collect()
    }

    fn via(units: &[&str], possible: bool) -> Via {
        Some((units.iter().map(|u| u.to_string()).collect(), possible))
    }

    const JNIM: (&str, &str) = ("jnim", "name: JNIM\n");
    const ANSAR_DINE: (&str, &str) = (
        "ansar-dine",
        "name: Ansar Dine\nrelations:\n  - type: part-of\n    target: jnim\n    since: 2017-03\n",
    );

    #[test]
    fn a_unit_reaches_its_group_only_while_the_relation_holds() {
        let l = loaded(
            &[JNIM, ANSAR_DINE],
            &[
                ("a-2012", "2012-01-24", &["ansar-dine"]),
                ("b-2017", "2017", &["ansar-dine"]),
                ("c-2017-03", "2017-03-15", &["ansar-dine"]),
                ("d-2017-04", "2017-04-02", &["ansar-dine"]),
                ("e-2018", "2018-06-01", &["jnim", "ansar-dine"]),
            ],
        );
        let index = Index::build(&l);
        assert_eq!(
            page(&index, "jnim"),
            vec![
                ("b-2017".to_string(), via(&["ansar-dine"], true)),
                ("c-2017-03".to_string(), via(&["ansar-dine"], true)),
                ("d-2017-04".to_string(), via(&["ansar-dine"], false)),
                // Direct involvement is certain and beats the path.
                ("e-2018".to_string(), None),
            ]
        );
        // The unit's own page keeps all its events.
        assert_eq!(index.by_actor["ansar-dine"].len(), 5);
        // The possible link says which relation was undecided, with its dates.
        let (_, inv) = &index.by_actor["jnim"][0];
        let Involvement::Unit {
            reach: Reach::Possible(edge),
            ..
        } = inv
        else {
            panic!("a possible link: {inv:?}");
        };
        assert_eq!(
            (edge.unit.as_str(), edge.relation, edge.target.as_str()),
            ("ansar-dine", ActorRelationType::PartOf, "jnim")
        );
        assert_eq!(edge.since, EventDate::parse("2017-03").ok());
        assert_eq!(edge.until, None);
    }

    #[test]
    fn a_path_takes_its_weakest_relation() {
        let l = loaded(
            &[
                ("aqim", "name: AQIM\n"),
                (
                    "jnim",
                    "name: JNIM\nrelations:\n  - type: branch-of\n    target: aqim\n    since: 2017-03\n",
                ),
                (
                    "katiba-macina",
                    "name: Katiba Macina\nrelations:\n  - type: part-of\n    target: jnim\n    since: 2018\n",
                ),
            ],
            &[
                ("a-2016", "2016-05-01", &["katiba-macina"]),
                // jnim → aqim is certain, katiba-macina → jnim is not.
                ("b-2018", "2018", &["katiba-macina"]),
                ("c-2019", "2019-02-01", &["katiba-macina"]),
                // Before jnim branch-of aqim: excluded on AQIM's page, even if the
                // unit's edge to JNIM held (it did not either).
                ("d-2017-01", "2017-01-10", &["katiba-macina", "jnim"]),
            ],
        );
        let index = Index::build(&l);
        assert_eq!(
            page(&index, "aqim"),
            vec![
                ("b-2018".to_string(), via(&["katiba-macina", "jnim"], true)),
                ("c-2019".to_string(), via(&["katiba-macina", "jnim"], false)),
            ]
        );
        assert_eq!(
            page(&index, "jnim"),
            vec![
                ("d-2017-01".to_string(), None),
                ("b-2018".to_string(), via(&["katiba-macina"], true)),
                ("c-2019".to_string(), via(&["katiba-macina"], false)),
            ]
        );
        // The undecided edge of the long path is the unit's, not the group's.
        let (_, inv) = &index.by_actor["aqim"][0];
        let Involvement::Unit {
            reach: Reach::Possible(edge),
            path,
            ..
        } = inv
        else {
            panic!("a possible link: {inv:?}");
        };
        assert_eq!(edge.unit, "katiba-macina");
        assert_eq!(path[1].unit, "jnim");
        assert_eq!(path[1].target, "aqim");
    }

    #[test]
    fn the_strongest_path_wins_then_the_shortest() {
        // Katiba Macina reaches JNIM directly (since 2019) and through Ansar Dine
        // (part of JNIM since 2017-03, Katiba Macina affiliated with it since 2015).
        let l = loaded(
            &[
                JNIM,
                ANSAR_DINE,
                (
                    "katiba-macina",
                    "name: Katiba Macina\nrelations:\n  - type: affiliated-with\n    target: ansar-dine\n    since: 2015\n  - type: part-of\n    target: jnim\n    since: 2019\n",
                ),
            ],
            &[
                // Only the longer path holds: it wins.
                ("a-2018", "2018-05-01", &["katiba-macina"]),
                // Both hold: the shorter.
                ("b-2020", "2020-05-01", &["katiba-macina"]),
                // The direct edge is possible (2019 against since 2019), the long
                // path certain: the certain one wins though longer.
                ("c-2019", "2019", &["katiba-macina"]),
                // Before any relation held on JNIM's side.
                ("d-2016", "2016-05-01", &["katiba-macina"]),
            ],
        );
        let index = Index::build(&l);
        assert_eq!(
            page(&index, "jnim"),
            vec![
                (
                    "a-2018".to_string(),
                    via(&["katiba-macina", "ansar-dine"], false)
                ),
                (
                    "c-2019".to_string(),
                    via(&["katiba-macina", "ansar-dine"], false)
                ),
                ("b-2020".to_string(), via(&["katiba-macina"], false)),
            ]
        );
    }

    #[test]
    fn among_units_taking_part_the_surer_link_wins() {
        // Two units in one event: Ansar Dine's link is possible, Al-Mourabitoun's
        // certain; the page shows the event once, through the certain one.
        let l = loaded(
            &[
                JNIM,
                ANSAR_DINE,
                (
                    "al-mourabitoun",
                    "name: Al-Mourabitoun\nrelations:\n  - type: part-of\n    target: jnim\n    since: 2016\n",
                ),
            ],
            &[("a-2017", "2017", &["ansar-dine", "al-mourabitoun"])],
        );
        let index = Index::build(&l);
        assert_eq!(
            page(&index, "jnim"),
            vec![("a-2017".to_string(), via(&["al-mourabitoun"], false))]
        );
    }

    #[test]
    fn undated_relations_roll_up_at_all_times_and_loops_stop() {
        let l = loaded(
            &[
                (
                    "jnim",
                    "name: JNIM\nrelations:\n  - type: part-of\n    target: katiba-macina\n",
                ),
                (
                    "katiba-macina",
                    "name: Katiba Macina\nrelations:\n  - type: affiliated-with\n    target: jnim\n",
                ),
                (
                    "az-zallaqa",
                    "name: Az-Zallaqa\nrelations:\n  - type: media-arm-of\n    target: jnim\n  - type: member-of\n    target: katiba-macina\n",
                ),
            ],
            &[
                ("a-1990", "1990?", &["az-zallaqa"]),
                ("b-2020", "2020", &["katiba-macina"]),
            ],
        );
        let index = Index::build(&l);
        assert_eq!(
            page(&index, "jnim"),
            vec![
                ("a-1990".to_string(), via(&["az-zallaqa"], false)),
                ("b-2020".to_string(), via(&["katiba-macina"], false)),
            ]
        );
        // member-of does not roll up; the loop does not bring a group its own events.
        assert_eq!(
            page(&index, "katiba-macina"),
            vec![
                ("a-1990".to_string(), via(&["az-zallaqa", "jnim"], false)),
                ("b-2020".to_string(), None),
            ]
        );
    }
}
