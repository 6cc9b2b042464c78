//! The cross-reference index, built once after validation: events in chronological
//! order, and maps from each actor, location, type, year and tag to its events. Pages
//! read from it and never scan all events again.

use crate::date::EventDate;
use crate::load::{Actor, Event, Loaded, Location};
use crate::model::{ActorRelationType, Role};
use crate::period::Overlap;
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
            uncertain_location,
            children,
            former_children,
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
}
