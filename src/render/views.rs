//! Views: the small, already-formatted structures templates see. Domain types know
//! nothing of templates; everything a reader reads (dates at their precision, figures
//! with their uncertainty, claims as claims) is decided here, once.

use super::i18n::Strings;
use super::markdown;
use crate::config::Subjects;
use crate::date::EventDate;
use crate::index::{Edge, EventIx, Index, Involvement, PlaceReach, Reach};
use crate::lang::{Lang, format_number};
use crate::load::{Actor, Event, Location};
use crate::model::{ActorRelationType, Attribution, Figure, Reaction, Role, Status, Text, Who};
use crate::period;
use serde::Serialize;

/// A link to a page, relative to the site root (`events/x/index.html`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub name: String,
    /// Set when the name is in another language than the page.
    pub lang: Option<String>,
}

/// A text in the page's language, or in another with its `lang` for the markup and a
/// note for the reader ("Texte disponible en anglais seulement").
#[derive(Debug, Clone, Serialize, Default)]
pub struct Localized {
    pub text: String,
    pub lang: Option<String>,
    /// Set when the text is shown in another language than the page's because it has
    /// no version in the page's language.
    pub note: Option<String>,
}

/// The building context of views: the index, the language and its strings.
pub struct Ctx<'a> {
    pub index: &'a Index<'a>,
    pub lang: Lang,
    pub strings: &'a Strings,
    /// The site's default language: texts written without a language are in it, and a
    /// text missing in the page's language is shown in it first.
    pub default: Lang,
    /// The cards built so far, in this language.
    pub cards: CardCache,
    /// Whether bodies show images from other sites (`remote_images:`), or link them.
    pub remote_images: bool,
}

/// Each event's card, built the first time a list shows it and cloned afterwards: an
/// event is on about eleven lists (timeline, type, year, tags, each actor and place
/// and their parents), and building a card (Markdown, links, dates) costs more than
/// copying it. Emptied once the lists are done (`clear`): at 100,000 events the cards
/// take hundreds of MB, and what comes after (feeds, exports) needs each card once.
pub struct CardCache(std::sync::RwLock<Vec<std::sync::OnceLock<EventCard>>>);

impl CardCache {
    /// An empty cache for the events of `index`.
    pub fn new(index: &Index) -> CardCache {
        CardCache(std::sync::RwLock::new(
            (0..index.events.len())
                .map(|_| Default::default())
                .collect(),
        ))
    }

    /// Forgets every card: later calls to `card` build them again, keeping none.
    pub fn clear(&self) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Vec::new();
    }
}

impl<'a> Ctx<'a> {
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A prose text (title, summary, body, note) in the page's language, else in the
    /// default language, else in the first language it has. A text written as one
    /// string is in the default language.
    pub fn text(&self, t: &Text) -> Localized {
        match t {
            Text::Plain(s) => self.localized(s, self.default.code()),
            Text::Translated(m) => {
                let (code, text) = m
                    .get_key_value(self.code())
                    .or_else(|| m.get_key_value(self.default.code()))
                    .or_else(|| m.iter().next())
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .unwrap_or((self.code(), ""));
                self.localized(text, code)
            }
        }
    }

    /// A name (of an actor, a place): one string is the name in every language; a map
    /// of languages falls back like a text.
    pub fn name(&self, t: &Text) -> Localized {
        match t {
            Text::Plain(s) => self.localized(s, self.code()),
            Text::Translated(_) => self.text(t),
        }
    }

    fn localized(&self, text: &str, code: &str) -> Localized {
        let other = code != self.code();
        Localized {
            text: text.to_string(),
            lang: other.then(|| code.to_string()),
            note: other.then(|| self.only_in(code)),
        }
    }

    /// "Texte disponible en anglais seulement", in the page's language.
    pub fn only_in(&self, code: &str) -> String {
        let key = format!("only_in_{code}");
        match self.strings.get(&key) {
            s if s != key => s.to_string(),
            _ => self.strings.get("only_in_other").replace("{lang}", code),
        }
    }

    pub fn markdown(&self, t: &Text) -> Localized {
        let l = self.text(t);
        Localized {
            text: markdown::to_html(&l.text, self.remote_images),
            ..l
        }
    }

    pub fn markdown_inline(&self, t: &Text) -> Localized {
        let l = self.text(t);
        Localized {
            text: markdown::inline_html(&l.text),
            ..l
        }
    }

    pub fn actor_name(&self, a: &Actor) -> Localized {
        self.name(a.data.short_name.as_ref().unwrap_or(&a.data.name))
    }

    pub fn actor_link(&self, id: &str) -> Link {
        match self.index.actors.get(id) {
            Some(a) => {
                let n = self.actor_name(a);
                Link {
                    url: format!("actors/{id}/index.html"),
                    name: n.text,
                    lang: n.lang,
                }
            }
            None => Link {
                url: format!("actors/{id}/index.html"),
                name: id.to_string(),
                lang: None,
            },
        }
    }

    /// What `names` make of an entity's name at `date`: the name it bore then, or the
    /// names it may have borne joined with " / " when the date cannot tell.
    fn name_at(
        &self,
        current: crate::names::Naming,
        names: &[crate::model::DatedName],
        date: &EventDate,
    ) -> Localized {
        match crate::names::at(current, names, date).as_slice() {
            [one] => self.name(one.shown()),
            many => {
                let shown: Vec<&Text> = many.iter().map(crate::names::Naming::shown).collect();
                self.name(&crate::names::joined(&shown))
            }
        }
    }

    /// A link to an actor's page, under the name it bore at `date` (an event's card).
    pub fn actor_link_at(&self, id: &str, date: &EventDate) -> Link {
        match self.index.actors.get(id) {
            Some(a) if !a.data.names.is_empty() => {
                let current = crate::names::Naming {
                    name: &a.data.name,
                    short_name: a.data.short_name.as_ref(),
                };
                let n = self.name_at(current, &a.data.names, date);
                Link {
                    url: format!("actors/{id}/index.html"),
                    name: n.text,
                    lang: n.lang,
                }
            }
            _ => self.actor_link(id),
        }
    }

    /// A link to a place's page, under the name it bore at `date`.
    pub fn location_link_at(&self, id: &str, date: &EventDate) -> Link {
        match self.index.locations.get(id) {
            Some(l) if !l.data.names.is_empty() => {
                let current = crate::names::Naming {
                    name: &l.data.name,
                    short_name: None,
                };
                let n = self.name_at(current, &l.data.names, date);
                Link {
                    url: format!("locations/{id}/index.html"),
                    name: n.text,
                    lang: n.lang,
                }
            }
            _ => self.location_link(id),
        }
    }

    pub fn location_link(&self, id: &str) -> Link {
        match self.index.locations.get(id) {
            Some(l) => {
                let n = self.name(&l.data.name);
                Link {
                    url: format!("locations/{id}/index.html"),
                    name: n.text,
                    lang: n.lang,
                }
            }
            None => Link {
                url: format!("locations/{id}/index.html"),
                name: id.to_string(),
                lang: None,
            },
        }
    }

    pub fn event_link(&self, e: &Event) -> Link {
        let t = self.text(&e.data.title);
        Link {
            url: event_url(&e.id),
            name: t.text,
            lang: t.lang,
        }
    }

    pub fn date(&self, d: &EventDate) -> String {
        d.render(self.lang)
    }

    /// A figure as a reader should read it: "environ 100", "au moins 20".
    pub fn figure(&self, f: &Figure) -> String {
        figure_words(f, self.lang)
    }
}

/// A figure in words, exactly as uncertain as written: "about 100" stays "environ 100",
/// "more than 70" "plus de 70", never "at least 71".
pub fn figure_words(f: &Figure, lang: Lang) -> String {
    let n = |v: u64| format_number(v, lang);
    match (lang, f) {
        (_, Figure::Exact { value }) => n(*value),
        (Lang::Fr, Figure::About { value }) => format!("environ {}", n(*value)),
        (_, Figure::About { value }) => format!("about {}", n(*value)),
        (Lang::Fr, Figure::AtLeast { value }) => format!("au moins {}", n(*value)),
        (_, Figure::AtLeast { value }) => format!("at least {}", n(*value)),
        (Lang::Fr, Figure::AtMost { value }) => format!("au plus {}", n(*value)),
        (_, Figure::AtMost { value }) => format!("at most {}", n(*value)),
        (Lang::Fr, Figure::MoreThan { value }) => format!("plus de {}", n(*value)),
        (_, Figure::MoreThan { value }) => format!("more than {}", n(*value)),
        (Lang::Fr, Figure::FewerThan { value }) => format!("moins de {}", n(*value)),
        (_, Figure::FewerThan { value }) => format!("fewer than {}", n(*value)),
        (Lang::Fr, Figure::Range { low, high }) => format!("entre {} et {}", n(*low), n(*high)),
        (_, Figure::Range { low, high }) => format!("{}–{}", n(*low), n(*high)),
        (Lang::Fr, Figure::Several) => "plusieurs".into(),
        (_, Figure::Several) => "several".into(),
        (Lang::Fr, Figure::Dozens) => "des dizaines".into(),
        (_, Figure::Dozens) => "dozens".into(),
        (Lang::Fr, Figure::Hundreds) => "des centaines".into(),
        (_, Figure::Hundreds) => "hundreds".into(),
        (Lang::Fr, Figure::Unspecified) => "nombre non précisé".into(),
        (_, Figure::Unspecified) => "number not given".into(),
    }
}

/// Sorts a list of actors or places by the name the page shows ([`crate::names::sort_key`]);
/// the link's URL stands for the id (`actors/<id>/index.html`).
pub fn sort_by_name<T>(items: &mut [T], link: impl Fn(&T) -> &Link) {
    items.sort_by_cached_key(|t| {
        let l = link(t);
        crate::names::sort_key(&l.name, &l.url)
    });
}

/// The relative URL of an event page.
pub fn event_url(id: &str) -> String {
    format!("events/{id}/index.html")
}

// ---------------------------------------------------------------------------------

/// An event as it appears in lists: everything a reader needs to judge it at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct EventCard {
    pub id: String,
    pub url: String,
    pub title: Localized,
    pub summary: Option<Localized>,
    pub date: String,
    /// Machine-readable date for `<time datetime>`, at the event's precision.
    pub datetime: String,
    pub time: Option<String>,
    pub type_key: &'static str,
    pub type_label: &'static str,
    pub status_key: &'static str,
    pub status_label: &'static str,
    /// Who claims it, when the event is a claim: lists must say so too.
    pub claimed_by: Vec<Link>,
    /// "Revendiqué par JNIM — revendication non confirmée".
    pub claim_note: Option<String>,
    pub locations: Vec<PlaceLink>,
    pub actors: Vec<ActorInEvent>,
    /// Set on an actor's page when the event comes through one of its units.
    pub via: Option<String>,
    /// Set on an actor's or a place's page when the dates cannot tell whether the
    /// unit's relation or the place's parent held at the event's date: both dates,
    /// for the reader to judge.
    pub link_note: Option<String>,
    /// The roles of the actor whose page this is.
    pub roles: Vec<&'static str>,
    /// The deaths are given by more than one report: the card says so, and shows no
    /// figure, rather than pick one (the event page lists them all).
    pub several_tolls: bool,
    /// True when the event cites no source: cards and its page say so, so that a
    /// reader never takes an unsourced account for a sourced one.
    pub unsourced: bool,
}

/// A place of an event on its card.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceLink {
    #[serde(flatten)]
    pub link: Link,
    /// "lieu incertain" when the sources leave the place in doubt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
}

impl PlaceLink {
    /// The place under the name it bore at `date`, with its mark of doubt.
    fn of(ctx: &Ctx, l: &crate::model::LocationRef, date: &EventDate) -> PlaceLink {
        PlaceLink {
            link: ctx.location_link_at(l.as_str(), date),
            uncertain: l
                .uncertain
                .then(|| ctx.strings.get("uncertain_location").to_string()),
        }
    }
}

/// A place of an event on its page: the place and those containing it on the
/// event's date (Djoura, Mopti region, Mali), and the doubt about it, if any.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceView {
    pub links: Vec<Link>,
    pub uncertain: Option<String>,
    pub note: Option<Localized>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorInEvent {
    pub link: Link,
    pub roles: Vec<&'static str>,
    pub notes: Vec<Localized>,
}

pub fn card(ctx: &Ctx, e: &Event) -> EventCard {
    let cells = ctx.cards.0.read().unwrap_or_else(|e| e.into_inner());
    match ctx
        .index
        .event_ix
        .get(e.id.as_str())
        .and_then(|&ix| cells.get(ix))
    {
        Some(cell) => cell.get_or_init(|| build_card(ctx, e)).clone(),
        None => build_card(ctx, e),
    }
}

fn build_card(ctx: &Ctx, e: &Event) -> EventCard {
    let d = &e.data;
    let lang = ctx.code();
    let when = &d.date.value;
    let mut actors: Vec<ActorInEvent> = Vec::new();
    for p in &d.actors {
        let link = ctx.actor_link_at(p.id.as_str(), when);
        match actors.iter_mut().find(|a| a.link.url == link.url) {
            Some(a) => {
                a.roles.push(p.role.label(lang));
                a.notes
                    .extend(p.note.as_ref().map(|n| ctx.markdown_inline(n)));
            }
            None => actors.push(ActorInEvent {
                link,
                roles: vec![p.role.label(lang)],
                notes: p.note.iter().map(|n| ctx.markdown_inline(n)).collect(),
            }),
        }
    }
    let mut claimed_by: Vec<Link> = Vec::new();
    if d.status.value == Status::Claimed {
        for c in &d.claims {
            let l = ctx.actor_link_at(c.claimant.as_str(), when);
            if !claimed_by.contains(&l) {
                claimed_by.push(l);
            }
        }
    }
    let claim_note = (!claimed_by.is_empty()).then(|| {
        let who: Vec<&str> = claimed_by.iter().map(|l| l.name.as_str()).collect();
        format!(
            "{} — {}",
            ctx.strings
                .get("claimed_by")
                .replace("{who}", &who.join(", ")),
            ctx.strings.get("claim_unconfirmed")
        )
    });
    EventCard {
        id: e.id.clone(),
        claim_note,
        url: event_url(&e.id),
        title: ctx.text(&d.title),
        summary: d.summary.as_ref().map(|s| ctx.markdown_inline(s)),
        date: ctx.date(&d.date.value),
        datetime: datetime_attr(&d.date.value),
        time: d.time.as_ref().map(|t| t.render(ctx.lang)),
        type_key: d.event_type.key(),
        type_label: d.event_type.label(lang),
        status_key: d.status.value.key(),
        status_label: d.status.value.label(lang),
        claimed_by,
        locations: d
            .locations
            .iter()
            .map(|l| PlaceLink::of(ctx, l, when))
            .collect(),
        actors,
        via: None,
        roles: Vec::new(),
        link_note: None,
        several_tolls: crate::deaths::several_reports(&d.casualties),
        unsourced: d.sources.is_empty(),
    }
}

/// `<time datetime>` accepts `2023`, `2023-09` and `2023-09-01`: the start, at its precision.
pub fn datetime_attr(d: &EventDate) -> String {
    d.start().to_iso()
}

/// What a list adds to the cards it shows: on an actor's page, the actor's roles in
/// each event, the path it came through, and the note of a possible link; nothing on
/// other lists.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub via: Option<String>,
    pub roles: Vec<&'static str>,
    /// Why the event is only possibly on the page (an actor's or a place's): both
    /// dates, for the reader to judge.
    pub link_note: Option<String>,
}

impl Extras {
    /// The additions of an actor's page for an event dated `date` the actor is
    /// involved in as `inv`.
    pub fn of(ctx: &Ctx, inv: &Involvement, date: &EventDate) -> Extras {
        let lang = ctx.code();
        let (via, link_note, roles) = match inv {
            Involvement::Direct(roles) => (None, None, roles.as_slice()),
            Involvement::Unit { path, reach, roles } => {
                // The roles are the unit's, not the page's actor's: they go with the
                // unit, in the path, never beside the status as if the actor had them.
                let unit_roles: Vec<&str> = roles.iter().map(|r| r.label(lang)).collect();
                let hops: Vec<String> = path
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let hop = if i == 0 && !unit_roles.is_empty() {
                            ctx.strings
                                .get("via_hop_roles")
                                .replace("{roles}", &unit_roles.join(", "))
                        } else {
                            ctx.strings.get("via_hop").to_string()
                        };
                        hop.replace("{unit}", &ctx.actor_link(&e.unit).name)
                            .replace("{relation}", &relation_to(ctx, e, e.relation.label(lang)))
                    })
                    .collect();
                let via = ctx
                    .strings
                    .get("via_path")
                    .replace("{path}", &hops.join(" → "));
                let note = match reach {
                    Reach::Certain => None,
                    Reach::Possible(e) => Some(possible_note(
                        ctx,
                        date,
                        &ctx.actor_link(&e.unit).name,
                        &relation_to(ctx, e, holds(e.relation, e.until.is_some(), ctx.lang)),
                    )),
                };
                (Some(via), note, &[][..])
            }
        };
        Extras {
            via,
            link_note,
            roles: roles.iter().map(|r| r.label(lang)).collect(),
        }
    }

    /// The addition of a place's page for an event that reaches it as `reach`.
    pub fn of_place(ctx: &Ctx, ix: EventIx, reach: &PlaceReach) -> Extras {
        Extras {
            link_note: match *reach {
                PlaceReach::Certain => None,
                PlaceReach::Possible { place, entry } => {
                    possible_place_note(ctx, &ctx.index.events[ix].data.date.value, place, entry)
                }
            },
            ..Extras::default()
        }
    }

    /// Puts these additions on `card`.
    pub fn apply(self, card: &mut EventCard) {
        card.via = self.via;
        card.roles = self.roles;
        card.link_note = self.link_note;
    }
}

/// `words` then the relation's target and dates: "fait partie de JNIM depuis mars
/// 2017", "branche d'AQMI", "part of JNIM since March 2017". No article before the
/// target (the files do not say which a name takes: "du JNIM" but "de Boko Haram"),
/// and "de" elided before a vowel as French writes it.
fn relation_to(ctx: &Ctx, e: &Edge, words: &str) -> String {
    relation_words(
        ctx.lang,
        words,
        &ctx.actor_link(&e.target).name,
        &e.period().render(ctx.lang),
    )
}

/// `words`, `target` and `period` as one phrase, "de" elided before a vowel.
fn relation_words(lang: Lang, words: &str, target: &str, period: &str) -> String {
    let mut out = format!("{}{target}", crate::lang::lead_before(lang, words, target));
    if !period.is_empty() {
        out.push(' ');
        out.push_str(period);
    }
    out
}

/// A roll-up relation as the verb of a sentence, in the tense its dates call for:
/// "fait partie de" / "has been part of" while it holds, "a fait partie de" / "was
/// part of" once it has an end.
fn holds(relation: ActorRelationType, ended: bool, lang: Lang) -> &'static str {
    use ActorRelationType as T;
    match (lang, ended, relation) {
        (Lang::Fr, false, T::PartOf) => "fait partie de",
        (Lang::Fr, false, T::BranchOf) => "est une branche de",
        (Lang::Fr, false, T::AffiliatedWith) => "est affilié à",
        (Lang::Fr, false, T::MediaArmOf) => "est la branche médiatique de",
        (Lang::Fr, true, T::PartOf) => "a fait partie de",
        (Lang::Fr, true, T::BranchOf) => "a été une branche de",
        (Lang::Fr, true, T::AffiliatedWith) => "a été affilié à",
        (Lang::Fr, true, T::MediaArmOf) => "a été la branche médiatique de",
        (Lang::En, false, T::PartOf) => "has been part of",
        (Lang::En, false, T::BranchOf) => "has been a branch of",
        (Lang::En, false, T::AffiliatedWith) => "has been affiliated with",
        (Lang::En, false, T::MediaArmOf) => "has been the media arm of",
        (Lang::En, true, T::PartOf) => "was part of",
        (Lang::En, true, T::BranchOf) => "was a branch of",
        (Lang::En, true, T::AffiliatedWith) => "was affiliated with",
        (Lang::En, true, T::MediaArmOf) => "was the media arm of",
        // Only the relations of `index::UNIT_RELATIONS` make paths.
        (_, _, other) => other.label(lang.code()),
    }
}

/// Why an event dated `date` is only possibly inside a place: the event's date and
/// the dates of the undecided parent, entry `entry` of `place`'s `parents:` ("…
/// l'événement est daté de 2023 ; Cercle de Bankass fait partie de Région de
/// Bandiagara depuis 2023."). A parent is a part-of relation between places, worded as
/// an actor's.
pub fn possible_place_note(
    ctx: &Ctx,
    date: &EventDate,
    place: &str,
    entry: usize,
) -> Option<String> {
    let p = ctx.index.locations.get(place)?.data.parents.get(entry)?;
    let relation = relation_words(
        ctx.lang,
        holds(ActorRelationType::PartOf, p.until.is_some(), ctx.lang),
        &ctx.location_link(p.id.value.0.as_str()).name,
        &p.period().render(ctx.lang),
    );
    Some(possible_note(
        ctx,
        date,
        &ctx.location_link(place).name,
        &relation,
    ))
}

/// The note of a possible link, on an actor's or a place's page: the event's date,
/// and the relation or parent that may not have held then, with its dates. It states
/// both dates and lets the reader judge; never "probably".
fn possible_note(ctx: &Ctx, date: &EventDate, unit: &str, relation: &str) -> String {
    ctx.strings
        .get("possible_link")
        .replace("{date}", &period::render_dated(date, ctx.lang))
        .replace("{unit}", unit)
        .replace("{relation}", relation)
}

// ---------------------------------------------------------------------------------
// Timeline grouping

/// Events of one month (or of a year when the month is not known), newest first, as
/// `C`: a card, or its HTML already rendered.
#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup<C> {
    pub heading: String,
    /// `YYYY-MM` anchor, or `YYYY` for the events known only to the year.
    pub anchor: String,
    pub events: Vec<C>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearGroup<C> {
    pub year: i32,
    pub months: Vec<MonthGroup<C>>,
}

/// Groups cards (already newest first) by year, then month. Events known only to the
/// month stand under their month with no day; events known only to the year stand in
/// a group of their own at the end of the year.
pub fn group<C>(ctx: &Ctx, events: Vec<(&Event, C)>) -> Vec<YearGroup<C>> {
    let mut years: Vec<YearGroup<C>> = Vec::new();
    for (e, card) in events {
        let start = e.data.date.value.start();
        let year = start.year;
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearGroup {
                year,
                months: Vec::new(),
            });
        }
        let Some(y) = years.last_mut() else { continue };
        let (anchor, heading) = match start.month {
            Some(m) => {
                let anchor = format!("{year:04}-{m:02}");
                if y.months.last().is_some_and(|g| g.anchor == anchor) {
                    (anchor, String::new())
                } else {
                    let heading = EventDate::parse(&anchor)
                        .map(|d| ctx.date(&d))
                        .unwrap_or_else(|_| anchor.clone());
                    (anchor, heading)
                }
            }
            None => (
                format!("{year:04}"),
                format!("{year} — {}", ctx.strings.get("year_unknown")),
            ),
        };
        if y.months.last().is_none_or(|m| m.anchor != anchor) {
            y.months.push(MonthGroup {
                heading,
                anchor,
                events: Vec::new(),
            });
        }
        if let Some(m) = y.months.last_mut() {
            m.events.push(card);
        }
    }
    years
}

// ---------------------------------------------------------------------------------
// The event page

#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    pub card: EventCard,
    pub body: Option<Localized>,
    /// Each location with the places containing it: Djoura, Mopti region, Mali.
    pub places: Vec<PlaceView>,
    pub claims: Vec<ClaimView>,
    /// True when the data says explicitly that no official reaction was published.
    pub reaction_none: bool,
    /// The official reaction, when there was one.
    pub reaction: Option<Localized>,
    pub casualties: Vec<TollView>,
    pub related: Vec<RelatedView>,
    pub sources: Vec<SourceView>,
    pub tags: Vec<Link>,
    /// The editors' notes on corrections, newest first.
    pub updates: Vec<UpdateView>,
    /// When the account was published and changed, from git; `None` when unknown.
    pub history: Option<HistoryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub date: String,
    pub datetime: String,
    pub note: Localized,
}

/// Dates of an event's file in git, and its latest commits.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub published: RevisionView,
    /// The latest change, when there was one after the first publication.
    pub updated: Option<RevisionView>,
    /// Newest first, at most `MAX_REVISIONS`.
    pub revisions: Vec<RevisionView>,
    /// How many older revisions are not listed.
    pub more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    pub date: String,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub datetime: String,
    /// The commit's subject; `None` when the settings leave subjects out.
    pub message: Option<String>,
    /// The subject's `lang` attribute: `None` for none (the page's language), `""`
    /// for "unknown".
    pub lang: Option<String>,
    pub commit: String,
}

/// The most revisions an event page lists.
pub const MAX_REVISIONS: usize = 10;

/// The history of an event's file, or `None` when it has no commits yet.
pub fn history_view(
    ctx: &Ctx,
    h: &crate::history::EventHistory,
    subjects: &Subjects,
) -> Option<HistoryView> {
    // The `lang` of the subjects: none where they are in the page's language, `""`
    // (unknown) where nobody said.
    let (shown, lang) = match subjects {
        Subjects::Hidden => (false, None),
        Subjects::Unknown => (true, Some(String::new())),
        Subjects::In(l) if l == ctx.code() => (true, None),
        Subjects::In(l) => (true, Some(l.clone())),
    };
    let rev = |r: &crate::history::Revision| RevisionView {
        lang: lang.clone(),
        date: EventDate::parse(&r.date)
            .map(|d| ctx.date(&d))
            .unwrap_or_else(|_| r.date.clone()),
        datetime: r.date.clone(),
        message: shown.then(|| r.subject.clone()),
        commit: r.commit.get(..12).unwrap_or(&r.commit).to_string(),
    };
    Some(HistoryView {
        published: h.first_published().map(rev)?,
        updated: h.last_updated().filter(|_| h.revisions.len() > 1).map(rev),
        revisions: h.revisions.iter().take(MAX_REVISIONS).map(rev).collect(),
        more: h.revisions.len().saturating_sub(MAX_REVISIONS),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub claimant: Link,
    pub channel: Option<Link>,
    pub claim: Localized,
    /// When it was made, with its preposition: "en octobre 2019", "vers le 27 juillet
    /// 2024" (`period::render_on`, the one wording of a one-off date).
    pub date: Option<String>,
}

/// One toll (whose, what) and every report of it, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct TollView {
    pub who: Link,
    pub what: &'static str,
    pub reports: Vec<ReportView>,
    /// "3 bilans, du plus ancien au plus récent", above two reports or more.
    pub caption: Option<String>,
}

/// One figure of a toll, with who gives it and when.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub figure: String,
    /// "JNIM", "source 1": who gives the figure.
    pub according_to: Option<Link>,
    /// The source of a figure an actor gives ("FAMa, source 3").
    pub source: Option<Link>,
    /// "25 mars 2019", "avril 2022", "peut-être en mai 2019".
    pub date: Option<String>,
    pub note: Option<Localized>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub link: Link,
    pub relation: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub n: usize,
    pub publisher: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub quote: Option<String>,
}

/// The casualties of `e` as tolls: the entries of one `who` and `what` together, in
/// the order their first entry comes in the file, each toll's reports by date (the
/// figure's own `date`, else its source's; undated ones last, in file order). Nothing
/// is added up or merged: each report keeps its figure and who gives it.
fn tolls(ctx: &Ctx, e: &Event) -> Vec<TollView> {
    let d = &e.data;
    let lang = ctx.code();
    let when = &d.date.value;
    let mut groups: Vec<Vec<&crate::model::Casualty>> = Vec::new();
    for c in &d.casualties {
        match groups
            .iter_mut()
            .find(|g| g[0].who == c.who && g[0].what == c.what)
        {
            Some(g) => g.push(c),
            None => groups.push(vec![c]),
        }
    }
    let dated = |c: &crate::model::Casualty| {
        c.date.as_ref().map(|x| x.value).or_else(|| {
            c.source_number()
                .and_then(|n| d.sources.get(n.value.0.wrapping_sub(1)))
                .and_then(|s| s.date.as_ref().map(|x| x.value))
        })
    };
    // A source as readers find it in the list below: by its publisher when it is the
    // one who gives the figure ("Human Rights Watch (source 1)"), by its number after
    // the actor who gives it ("FAMa, source 3").
    let source_link = |n: usize, named: bool| {
        let number = ctx.strings.get("source_n").replace("{n}", &n.to_string());
        Link {
            url: format!("#source-{n}"),
            name: match d.sources.get(n.wrapping_sub(1)) {
                Some(s) if named => format!("{} ({number})", s.publisher.0),
                _ => number,
            },
            lang: None,
        }
    };
    groups
        .into_iter()
        .map(|mut g| {
            // A stable sort: `None` (undated) sorts after every date.
            g.sort_by_key(|c| (dated(c).is_none(), dated(c)));
            let all_dated = g.iter().all(|c| dated(c).is_some());
            let caption = (g.len() > 1).then(|| {
                let key = if all_dated {
                    "reports_by_date"
                } else {
                    "reports_n"
                };
                ctx.strings.get(key).replace("{n}", &g.len().to_string())
            });
            let first = g[0];
            TollView {
                who: match &first.who {
                    Who::Actor(a) => ctx.actor_link_at(a.as_str(), when),
                    other => Link {
                        url: String::new(),
                        name: other.label(lang).into(),
                        lang: None,
                    },
                },
                what: first.what.label(lang),
                caption,
                reports: g
                    .iter()
                    .map(|c| {
                        // The older `according_to: {source: N}` names the source as the giver.
                        let (according_to, source) = match (&c.according_to, &c.source) {
                            (Some(Attribution::Actor(id)), s) => (
                                Some(ctx.actor_link_at(id.as_str(), when)),
                                s.as_ref().map(|n| source_link(n.value.0, false)),
                            ),
                            (_, Some(n)) | (Some(Attribution::Source(n)), None) => {
                                (Some(source_link(n.value.0, true)), None)
                            }
                            (None, None) => (None, None),
                        };
                        ReportView {
                            figure: ctx.figure(&c.figure),
                            according_to,
                            source,
                            // After a comma in the parentheses, the date as the
                            // sources list writes it: "avril 2022", "peut-être en mai 2019".
                            date: c.date.as_ref().map(|x| ctx.date(&x.value)),
                            note: c.note.as_ref().map(|n| ctx.markdown_inline(n)),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

pub fn event_page(ctx: &Ctx, e: &Event) -> EventPage {
    let d = &e.data;
    let lang = ctx.code();
    let when = &d.date.value;
    let places = d
        .locations
        .iter()
        .map(|l| {
            let mut links = vec![ctx.location_link_at(l.as_str(), when)];
            links.extend(
                ctx.index
                    .ancestors_at(l.as_str(), &d.date.value)
                    .iter()
                    .map(|a| ctx.location_link_at(&a.id, when)),
            );
            PlaceView {
                links,
                uncertain: l
                    .uncertain
                    .then(|| ctx.strings.get("uncertain_location").to_string()),
                note: l.note.as_ref().map(|n| ctx.markdown_inline(n)),
            }
        })
        .collect();
    let claims = d
        .claims
        .iter()
        .map(|c| ClaimView {
            claimant: ctx.actor_link_at(c.claimant.as_str(), when),
            channel: c
                .channel
                .as_ref()
                .map(|ch| ctx.actor_link_at(ch.as_str(), when)),
            claim: ctx.markdown_inline(&c.claim),
            date: c
                .date
                .as_ref()
                .map(|dt| crate::period::render_on(&dt.value, ctx.lang)),
        })
        .collect();
    let reaction_none = matches!(d.official_reaction, Some(Reaction::None));
    let reaction = match &d.official_reaction {
        Some(Reaction::Text(t)) => Some(ctx.markdown_inline(t)),
        _ => None,
    };
    let casualties = tolls(ctx, e);
    let mut related: Vec<RelatedView> = Vec::new();
    for r in &d.related {
        let id = r.id.value.0.as_str();
        // A former id (a warning of `check`) links to the renamed event; rare, so
        // looked up only when the id is not current.
        let ix = ctx.index.event_ix.get(id).copied().or_else(|| {
            ctx.index
                .events
                .iter()
                .position(|e| e.data.aliases.iter().any(|a| a.value.0 == id))
        });
        if let Some(ix) = ix {
            let other = ctx.index.events[ix];
            related.push(RelatedView {
                link: ctx.event_link(other),
                relation: r.relation.label(lang).to_string(),
                date: ctx.date(&other.data.date.value),
            });
        }
    }
    // Events that point here and are not already listed.
    for &ix in ctx
        .index
        .related_in
        .get(e.id.as_str())
        .into_iter()
        .flatten()
    {
        let other = ctx.index.events[ix];
        let link = ctx.event_link(other);
        if !related.iter().any(|r| r.link.url == link.url) {
            related.push(RelatedView {
                link,
                relation: ctx.strings.get("related_from").to_string(),
                date: ctx.date(&other.data.date.value),
            });
        }
    }
    let sources = d
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceView {
            n: i + 1,
            publisher: s.publisher.0.clone(),
            title: s.title.as_ref().map(|t| t.0.clone()),
            date: s.date.as_ref().map(|dt| ctx.date(&dt.value)),
            language: s.language.as_ref().map(|l| l.0.clone()),
            url: s.url.as_ref().map(|u| u.0.clone()),
            archive_url: s.archive_url.as_ref().map(|u| u.0.clone()),
            quote: s.quote.as_ref().map(|q| q.0.clone()),
        })
        .collect();
    EventPage {
        card: card(ctx, e),
        body: d.body.as_ref().map(|b| ctx.markdown(b)),
        places,
        claims,
        reaction_none,
        reaction,
        casualties,
        related,
        sources,
        tags: d
            .tags
            .iter()
            .map(|t| Link {
                url: format!("tags/{}/index.html", t.0),
                name: t.0.clone(),
                lang: None,
            })
            .collect(),
        updates: {
            // Newest first; notes of the same date keep the file's order.
            let mut u: Vec<&crate::model::Update> = d.updates.iter().collect();
            u.sort_by_key(|u| std::cmp::Reverse(u.date.value.sort_key()));
            u.into_iter()
                .map(|u| UpdateView {
                    date: ctx.date(&u.date.value),
                    datetime: datetime_attr(&u.date.value),
                    note: ctx.markdown_inline(&u.note),
                })
                .collect()
        },
        history: None,
    }
}

/// The JSON-LD of an event page: a schema.org `Event`, with `<` escaped so that no
/// text can close the script element.
pub fn json_ld(ctx: &Ctx, e: &Event, page_url: Option<&str>) -> String {
    let d = &e.data;
    let locations: Vec<serde_json::Value> = d
        .locations
        .iter()
        .filter_map(|l| ctx.index.locations.get(l.as_str()))
        .map(|l| {
            let name = ctx.location_link_at(&l.id, &d.date.value).name;
            let mut place = serde_json::json!({"@type": "Place", "name": name});
            if let Some(c) = l.data.point() {
                place["geo"] = serde_json::json!({"@type": "GeoCoordinates", "latitude": c.lat.0, "longitude": c.lon.0});
            }
            place
        })
        .collect();
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ctx.text(&d.title).text,
        "location": locations,
        "inLanguage": ctx.code(),
    });
    if let Some(start) = schema_date(d.date.value.start()) {
        v["startDate"] = serde_json::Value::String(start);
    }
    if let crate::date::EventDate::Interval(_, end) = &d.date.value
        && let Some(end) = schema_date(end)
    {
        v["endDate"] = serde_json::Value::String(end);
    }
    if let Some(s) = &d.summary {
        v["description"] = serde_json::Value::String(markdown::to_plain(&ctx.text(s).text));
    }
    if let Some(u) = page_url {
        v["url"] = serde_json::Value::String(u.to_string());
    }
    let perpetrators: Vec<serde_json::Value> = d
        .actors
        .iter()
        .filter(|p| organizer_is_fact(d, p))
        .map(|p| serde_json::json!({"@type": "Organization", "name": ctx.actor_link_at(p.id.as_str(), &d.date.value).name}))
        .collect();
    if !perpetrators.is_empty() {
        v["organizer"] = serde_json::Value::Array(perpetrators);
    }
    escape_script_json(&v.to_string())
}

/// A date as schema.org reads it (ISO 8601 at the date's own precision: `2023`,
/// `2023-09`, `2023-09-16`), or nothing for a date marked approximate or uncertain:
/// schema.org's `Date` is plain ISO 8601, which has no qualifier (EDTF's `~` and `?`
/// are ISO 8601-2 and no reader of schema.org knows them), and any precision we could
/// give instead would state a day, month or year the file does not vouch for.
fn schema_date(d: &crate::date::PartialDate) -> Option<String> {
    (!d.approximate && !d.uncertain).then(|| d.to_iso())
}

/// Whether the page states an actor's part as the event's author as a fact, so that
/// the JSON-LD may name it `organizer`: a perpetrator of a confirmed event, and not one
/// whose part rests on its own claim (it is a claimant or channel of the event's
/// claims). A claimed, reported, disputed or denied event names no organizer.
fn organizer_is_fact(d: &crate::model::EventFile, p: &crate::model::Participant) -> bool {
    p.role == Role::Perpetrator
        && d.status.value == Status::Confirmed
        && !d
            .claims
            .iter()
            .any(|c| c.claimant == p.id || c.channel.as_ref().is_some_and(|ch| *ch == p.id))
        && !d
            .actors
            .iter()
            .any(|o| o.id == p.id && o.role == Role::Claimant)
}

/// Makes JSON safe inside `<script>`: `<`, `>` and `&` become `\u` escapes.
pub fn escape_script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

// ---------------------------------------------------------------------------------
// Actor and location pages

/// One relation as a page words it, from either end: on Mali's page "membre de
/// CEDEAO jusqu'au 29 janvier 2025 — note", on ECOWAS's "a pour membre : Mali, jusqu'au
/// 29 janvier 2025 — note".
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The forward label on the actor's own page, the inverse one on the target's.
    pub label: &'static str,
    /// The forward label as written before the other's name, with its space or, in
    /// French, "de" elided ("branche d'AQMI").
    pub lead: String,
    pub other: Link,
    /// When it held or happened, in words: "depuis mars 2017", "en mai 2015".
    pub when: Option<String>,
    pub note: Option<Localized>,
    /// True for relations other actors hold to this one.
    pub incoming: bool,
    /// True once the relation has ended (it has an `until`).
    pub past: bool,
}

/// A name an entity bore for a time, as its page lists it: "EIGS — État islamique dans
/// le Grand Sahara, jusqu'en mars 2022".
#[derive(Debug, Clone, Serialize)]
pub struct NameView {
    pub short_name: Option<Localized>,
    pub name: Localized,
    pub when: String,
    pub note: Option<Localized>,
}

/// The dated names of an entity, in time order (by the first day each may have held).
pub fn name_views(ctx: &Ctx, names: &[crate::model::DatedName]) -> Vec<NameView> {
    let mut sorted: Vec<&crate::model::DatedName> = names.iter().collect();
    sorted.sort_by_key(|n| n.period().possible().map(|p| p.0));
    sorted
        .into_iter()
        .map(|n| NameView {
            short_name: n.short_name.as_ref().map(|s| ctx.name(s)),
            name: ctx.name(&n.name),
            when: n.period().render(ctx.lang),
            note: n.note.as_ref().map(|t| ctx.markdown_inline(t)),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorPage {
    pub id: String,
    pub name: Localized,
    pub full_name: Localized,
    pub short_name: Option<String>,
    pub aliases: Vec<String>,
    pub kind: Option<&'static str>,
    pub description: Option<Localized>,
    /// Relations in force (or undated, or one-off), sorted by the other's name.
    pub relations: Vec<RelationView>,
    /// Relations that have ended, after the current ones.
    pub past_relations: Vec<RelationView>,
    /// Other names the actor bore, with their dates.
    pub names: Vec<NameView>,
}

/// A relation in words, read from `a`'s side (`incoming` false) or from its target's.
fn relation_view(
    ctx: &Ctx,
    r: &crate::model::ActorRelation,
    other: &str,
    incoming: bool,
) -> RelationView {
    let lang = ctx.code();
    let when = match r.relation.shape() {
        crate::model::Shape::Lasting => Some(r.period().render(ctx.lang)).filter(|w| !w.is_empty()),
        crate::model::Shape::OneOff => r.date_of().map(|d| crate::period::render_on(d, ctx.lang)),
    };
    let label = if incoming {
        r.relation.inverse_label(lang)
    } else {
        r.relation.label(lang)
    };
    let other = ctx.actor_link(other);
    RelationView {
        label,
        lead: crate::lang::lead_before(ctx.lang, label, &other.name),
        other,
        when,
        note: r.note.as_ref().map(|n| ctx.markdown_inline(n)),
        incoming,
        past: r.ended(),
    }
}

pub fn actor_page(ctx: &Ctx, a: &Actor) -> ActorPage {
    let lang = ctx.code();
    let own = &a.data.relations;
    let mut relations: Vec<RelationView> = own
        .iter()
        .map(|r| relation_view(ctx, r, r.target.value.0.as_str(), false))
        .collect();
    // The relations of the actors that name this one, each read from this side. The
    // index says who they are; their files say the dates and notes.
    let mut others: Vec<&str> = ctx
        .index
        .incoming
        .get(a.id.as_str())
        .into_iter()
        .flatten()
        .map(|(other, _)| *other)
        .collect();
    others.sort_unstable();
    others.dedup();
    for other in others {
        let Some(o) = ctx.index.actors.get(other) else {
            continue;
        };
        for r in o
            .data
            .relations
            .iter()
            .filter(|r| r.target.value.0.as_str() == a.id)
        {
            // A succession written on both files is one fact: this side's entry says it.
            let stated_here = r.relation.converse().is_some_and(|c| {
                own.iter()
                    .any(|m| m.relation == c && m.target.value.0.as_str() == other)
            });
            if !stated_here {
                relations.push(relation_view(ctx, r, other, true));
            }
        }
    }
    // By the other's name as shown; the sort is stable, so one actor's relations keep
    // the order of the files.
    sort_by_name(&mut relations, |r| &r.other);
    let (past_relations, relations) = relations.into_iter().partition(|r| r.past);
    ActorPage {
        id: a.id.clone(),
        name: ctx.actor_name(a),
        full_name: ctx.name(&a.data.name),
        short_name: a.data.short_name.as_ref().map(|s| ctx.name(s).text),
        aliases: a.data.aliases.iter().map(|s| s.0.clone()).collect(),
        kind: a.data.kind.map(|k| k.label(lang)),
        description: a.data.description.as_ref().map(|d| ctx.markdown(d)),
        relations,
        past_relations,
        names: name_views(ctx, &a.data.names),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LocationPage {
    pub id: String,
    pub name: Localized,
    pub aliases: Vec<String>,
    pub kind: &'static str,
    /// Nearest first: the places containing it now. After `parents` when there are
    /// some (the places above the current parent).
    pub ancestors: Vec<Link>,
    /// The places it was inside over time, with their dates (`parents:`).
    pub parents: Vec<DatedLink>,
    pub children: Vec<Link>,
    /// Places that were inside it until a date.
    pub former_children: Vec<DatedLink>,
    pub coordinates: Option<(f64, f64)>,
    /// "position approximative", when the file says how closely the point stands.
    pub precision: Option<&'static str>,
    pub description: Option<Localized>,
    /// Other names the place bore, with their dates.
    pub names: Vec<NameView>,
}

/// A link with the period it held ("Région de Mopti", "jusqu'en 2023") and its note.
#[derive(Debug, Clone, Serialize)]
pub struct DatedLink {
    pub link: Link,
    pub period: String,
    pub note: Option<Localized>,
}

pub fn location_page(ctx: &Ctx, l: &Location) -> LocationPage {
    let dated = |id: &str, p: &crate::model::ParentPeriod| DatedLink {
        link: ctx.location_link(id),
        period: p.period().render(ctx.lang),
        note: p.note.as_ref().map(|n| ctx.markdown_inline(n)),
    };
    let parents: Vec<DatedLink> = l
        .data
        .parents
        .iter()
        .map(|p| dated(p.id.value.0.as_str(), p))
        .collect();
    let mut ancestors: Vec<Link> = ctx
        .index
        .ancestors(&l.id)
        .iter()
        .map(|a| ctx.location_link(&a.id))
        .collect();
    if !parents.is_empty() && l.data.current_parent().is_some() {
        // The current parent is among `parents`, with its dates.
        ancestors.remove(0);
    }
    LocationPage {
        id: l.id.clone(),
        name: ctx.name(&l.data.name),
        aliases: l.data.aliases.iter().map(|s| s.0.clone()).collect(),
        kind: l.data.kind.label(ctx.code()),
        ancestors,
        parents,
        former_children: ctx
            .index
            .former_children
            .get(l.id.as_str())
            .into_iter()
            .flatten()
            .filter_map(|&(c, n)| {
                let p = ctx.index.locations.get(c)?.data.parents.get(n)?;
                Some(dated(c, p))
            })
            .collect(),
        children: {
            let mut c: Vec<Link> = ctx
                .index
                .children
                .get(l.id.as_str())
                .into_iter()
                .flatten()
                .map(|c| ctx.location_link(c))
                .collect();
            sort_by_name(&mut c, |l| l);
            c
        },
        coordinates: l.data.point().map(|c| (c.lat.0, c.lon.0)),
        precision: l
            .data
            .point()
            .and_then(|c| c.precision)
            .map(|p| p.label(ctx.code())),
        description: l.data.description.as_ref().map(|d| ctx.markdown(d)),
        names: name_views(ctx, &l.data.names),
    }
}

/// A location in the tree of the locations index.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub link: Link,
    pub kind: &'static str,
    pub count: usize,
    pub children: Vec<TreeNode>,
}

pub fn location_tree(ctx: &Ctx) -> Vec<TreeNode> {
    fn node(ctx: &Ctx, id: &str, depth: usize) -> TreeNode {
        let mut children: Vec<TreeNode> = if depth > 32 {
            Vec::new()
        } else {
            ctx.index
                .children
                .get(id)
                .into_iter()
                .flatten()
                .map(|c| node(ctx, c, depth + 1))
                .collect()
        };
        sort_by_name(&mut children, |n| &n.link);
        TreeNode {
            link: ctx.location_link(id),
            kind: ctx
                .index
                .locations
                .get(id)
                .map(|l| l.data.kind.label(ctx.code()))
                .unwrap_or(""),
            count: ctx.index.by_location.get(id).map(Vec::len).unwrap_or(0),
            children,
        }
    }
    let mut roots: Vec<TreeNode> = ctx
        .index
        .locations
        .values()
        .filter(|l| l.data.current_parent().is_none())
        .map(|l| node(ctx, &l.id, 0))
        .collect();
    sort_by_name(&mut roots, |n| &n.link);
    roots
}

// ---------------------------------------------------------------------------------
// The methodology page

/// One date of each form the files accept, as the methodology page explains them:
/// the name of its `date_<form>_means` string and the date as written.
pub const DATE_FORMS: [(&str, &str); 7] = [
    ("year", "2023"),
    ("month", "2023-09"),
    ("day", "2025-05-23"),
    ("approximate", "2025-05-23~"),
    ("uncertain", "2025-05-23?"),
    ("both", "2025-05-23%"),
    ("span", "2023-09-01/2023-09-03"),
];

/// What the methodology page shows: each status, date form and figure form with its
/// meaning, worded from the interface strings. The lists come from the vocabulary
/// (`Status::ALL`, `Figure::EXAMPLES`), so a new status or figure form shows here
/// once its strings exist.
#[derive(Debug, Clone, Serialize)]
pub struct MethodologyView {
    pub statuses: Vec<StatusMeaning>,
    pub dates: Vec<FormMeaning>,
    pub figures: Vec<FormMeaning>,
}

/// A status, what it means, and the list of its events.
#[derive(Debug, Clone, Serialize)]
pub struct StatusMeaning {
    pub key: &'static str,
    pub label: &'static str,
    pub means: String,
    /// The status's list (`statuses/claimed/index.html`), named with its count;
    /// `None` when no event has the status (there is no such list).
    pub list: Option<Link>,
}

/// A form as written in the files, as the site shows it, and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct FormMeaning {
    /// The anchor of its row: `date-month`, `figure-at-least`.
    pub anchor: String,
    pub written: String,
    pub shown: String,
    pub means: String,
}

/// The methodology page's content in the tree's language.
pub fn methodology(ctx: &Ctx) -> MethodologyView {
    let s = ctx.strings;
    let means = |key: String| s.get(&key).to_string();
    let statuses = Status::ALL
        .iter()
        .map(|st| {
            let n = ctx.index.by_status.get(st.key()).map_or(0, Vec::len);
            StatusMeaning {
                key: st.key(),
                label: st.label(ctx.code()),
                means: means(format!("status_{}_means", st.key())),
                list: (n > 0).then(|| Link {
                    url: format!("statuses/{}/index.html", st.key()),
                    name: s
                        .get("status_list")
                        .replace("{status}", st.label(ctx.code()))
                        .replace("{count}", &s.count(n, ctx.lang)),
                    lang: None,
                }),
            }
        })
        .collect();
    let dates = DATE_FORMS
        .iter()
        .filter_map(|(form, written)| {
            let d = EventDate::parse(written).ok()?;
            Some(FormMeaning {
                anchor: format!("date-{form}"),
                written: written.to_string(),
                shown: ctx.date(&d),
                means: means(format!("date_{form}_means")),
            })
        })
        .collect();
    let figures = Figure::EXAMPLES
        .iter()
        .map(|f| FormMeaning {
            anchor: format!("figure-{}", f.kind()),
            written: f.to_source(),
            shown: ctx.figure(f),
            means: means(format!("figure_{}_means", f.kind().replace('-', "_"))),
        })
        .collect();
    MethodologyView {
        statuses,
        dates,
        figures,
    }
}

#[cfg(test)]
mod figure_tests {
    use super::*;

    fn words(written: &str, lang: Lang) -> String {
        use crate::span::Scalar;
        let f = Figure::from_scalar(written).unwrap_or_else(|p| panic!("{written}: {p:?}"));
        figure_words(&f, lang)
    }

    #[test]
    fn figures_read_in_words_as_uncertain_as_written() {
        for (written, fr, en) in [
            ("about 100", "environ 100", "about 100"),
            ("more than 70", "plus de 70", "more than 70"),
            ("fewer than 10", "moins de 10", "fewer than 10"),
            ("at least 500", "au moins 500", "at least 500"),
            ("dozens", "des dizaines", "dozens"),
            ("hundreds", "des centaines", "hundreds"),
            ("several", "plusieurs", "several"),
            ("12000", "12\u{202f}000", "12,000"),
            ("10-40", "entre 10 et 40", "10–40"),
        ] {
            assert_eq!(words(written, Lang::Fr), fr, "{written}");
            assert_eq!(words(written, Lang::En), en, "{written}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_event;
    use crate::model::EventFile;
    use crate::span::Known;
    use std::path::Path;
    use std::sync::Arc;

    /// An attack on Kidal by `aqim` with `status`, and `extra` lines after `actors:`.
    fn event(status: &str, extra: &str) -> EventFile {
        let mut k = Known::default();
        k.actors
            .extend(["aqim", "jnim", "az-zallaqa", "fama"].map(String::from));
        k.locations.insert("kidal".to_string());
        let text = format!(
            "title: Attaque\ndate: 2013-11-02\ntype: attack\nstatus: {status}\nlocations: [kidal]\nactors:\n  - id: aqim\n    role: perpetrator\n{extra}"
        );
        parse_event(&text, Path::new("e.yaml"), "2013-11-02-a", &Arc::new(k))
            .expect("a valid event")
    }

    fn organizers(e: &EventFile) -> Vec<&str> {
        e.actors
            .iter()
            .filter(|p| organizer_is_fact(e, p))
            .map(|p| p.id.as_str())
            .collect()
    }

    #[test]
    fn only_a_perpetrator_the_page_states_as_fact_is_an_organizer() {
        assert_eq!(organizers(&event("confirmed", "")), ["aqim"]);
        // A claimed, reported, disputed or denied event states no author as fact.
        for status in ["claimed", "reported", "disputed", "denied"] {
            assert!(organizers(&event(status, "")).is_empty(), "{status}");
        }
        // A perpetrator known through its own claim (claimant, channel, or the
        // claimant role) is not stated as fact, even on a confirmed event.
        let claim = "claims:\n  - claimant: aqim\n    claim: revendique\n";
        assert!(organizers(&event("confirmed", claim)).is_empty());
        let via = "  - id: jnim\n    role: perpetrator\nclaims:\n  - claimant: az-zallaqa\n    channel: jnim\n    claim: revendique\n";
        assert_eq!(organizers(&event("confirmed", via)), ["aqim"]);
        let role = "  - id: aqim\n    role: claimant\n";
        assert!(organizers(&event("confirmed", role)).is_empty());
        // Other roles never make an organizer.
        let target = "  - id: fama\n    role: target\n";
        assert_eq!(organizers(&event("confirmed", target)), ["aqim"]);
    }

    #[test]
    fn schema_dates_keep_their_precision_and_invent_none() {
        let cases = [
            ("2023", Some("2023")),
            ("2023-09", Some("2023-09")),
            ("2023-09-16", Some("2023-09-16")),
            ("2025-06-06?", None),
            ("2024-07-27~", None),
            ("2019-10%", None),
            ("2023?", None),
        ];
        for (date, iso) in cases {
            let d = EventDate::parse(date).expect("a date");
            assert_eq!(schema_date(d.start()).as_deref(), iso, "{date}");
        }
    }

    use crate::date::Precision;
    use crate::history::{EventHistory, Revision};
    use crate::load::Loaded;

    /// The methodology page is made from the vocabulary: every status, date form and
    /// figure form must have its explanation in both languages, or the page would
    /// show the string's key.
    #[test]
    fn every_meaning_has_its_strings_in_both_languages() {
        for lang in ["fr", "en"] {
            let s = Strings::load(lang, None).expect("strings");
            let mut keys: Vec<String> = Status::ALL
                .iter()
                .map(|st| format!("status_{}_means", st.key()))
                .collect();
            keys.extend(DATE_FORMS.iter().map(|(f, _)| format!("date_{f}_means")));
            keys.extend(
                Figure::EXAMPLES
                    .iter()
                    .map(|f| format!("figure_{}_means", f.kind().replace('-', "_"))),
            );
            for k in keys {
                assert_ne!(s.get(&k), k, "`{k}` is missing in {lang}.yaml");
            }
        }
    }

    /// Each example date reads as the form it explains.
    #[test]
    fn the_example_dates_are_of_the_forms_they_explain() {
        for (form, written) in DATE_FORMS {
            let d = EventDate::parse(written).expect(written);
            let start = d.start();
            let ok = match form {
                "year" => d.precision() == Precision::Year,
                "month" => d.precision() == Precision::Month,
                "day" => d.precision() == Precision::Day && !start.approximate,
                "approximate" => start.approximate && !start.uncertain,
                "uncertain" => start.uncertain && !start.approximate,
                "both" => start.uncertain && start.approximate,
                "span" => matches!(d, EventDate::Interval(..)),
                _ => false,
            };
            assert!(ok, "{form}: {written}");
        }
        let forms: Vec<&str> = Figure::EXAMPLES.iter().map(Figure::kind).collect();
        let mut unique = forms.clone();
        unique.dedup();
        assert_eq!(forms, unique);
    }

    /// A commit subject is marked with the language the settings give, `lang=""`
    /// (unknown) when they give none, and left out when they say so.
    #[test]
    fn commit_subjects_carry_their_language() {
        let loaded = Loaded::default();
        let index = Index::build(&loaded);
        let strings = Strings::load("fr", None).expect("strings");
        let ctx = Ctx {
            index: &index,
            lang: Lang::Fr,
            strings: &strings,
            default: Lang::Fr,
            cards: CardCache::new(&index),
            remote_images: false,
        };
        let h = EventHistory {
            revisions: vec![Revision {
                commit: "0123456789abcdef".into(),
                datetime: "2025-05-24T10:00:00+00:00".into(),
                date: "2025-05-24".into(),
                subject: "Add the Djoura attack".into(),
            }],
        };
        let first = |s: Subjects| {
            let v = history_view(&ctx, &h, &s).expect("history");
            let r = &v.revisions[0];
            (r.message.clone(), r.lang.clone())
        };
        let subject = Some("Add the Djoura attack".to_string());
        assert_eq!(
            first(Subjects::Unknown),
            (subject.clone(), Some(String::new()))
        );
        assert_eq!(
            first(Subjects::In("en".into())),
            (subject.clone(), Some("en".into()))
        );
        assert_eq!(first(Subjects::In("fr".into())), (subject, None));
        assert_eq!(first(Subjects::Hidden).0, None);
    }
}
