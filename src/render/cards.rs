//! Cards rendered once. An event shows as a card on about ten lists (the timeline,
//! its type, year, tags, actors, places and their parents); rendering the `card` macro
//! of `macros.html` through Tera for each of them was most of the cost of a build. The
//! macro stays the one source of the card's markup: it is rendered once per event
//! with placeholder tokens where lists differ (the relative `root`, the heading level,
//! and on actor pages the path, the roles and the note of a possible link), and each list pastes that HTML with its own
//! values put in the place of the tokens.
//!
//! This holds only for the built-in templates, whose card puts these values in the
//! markup as they are (escaped). When a chronology replaces `macros.html` or a
//! template that lists cards, each card is rendered whole for each list, as before.

use super::html::escape_html;
use super::templates::{CARD_BATCH as BATCH, CARD_END as END, CARD_ONE as ONE};
use super::templates::{Templates, tera_error};
use super::views::{Ctx, EventCard, Extras};
use crate::error::Error;
use crate::index::EventIx;
use serde::Serialize;
use std::sync::OnceLock;

/// The heading level of the cards of a list: `h4` under months of `h3` (the timeline
/// and the lists of a type, year or tag), `h5` under `h4` (an actor's or a place's page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    H4,
    H5,
}

impl Heading {
    /// The element's name, as the `card` macro receives it (`heading`).
    pub fn tag(self) -> &'static str {
        match self {
            Heading::H4 => "h4",
            Heading::H5 => "h5",
        }
    }
}

/// Starts every token: a character of Unicode's private use area, which no card is
/// rendered with (cards whose data holds it are rendered whole each time).
const MARK: char = '\u{E000}';
const ROOT: &str = "\u{E000}r";
const HEADING: &str = "\u{E000}h";
const VIA: &str = "\u{E000}v";
const ROLES: &str = "\u{E000}o";
const LINK_NOTE: &str = "\u{E000}n";

/// What differs between two appearances of a card in lists.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Root,
    Heading,
    Via,
    Roles,
    LinkNote,
}

/// A card's HTML, cut at the places where lists differ.
#[derive(Debug)]
pub struct Cut {
    /// The HTML without its tokens.
    text: String,
    /// Where each token stood in `text`, in order.
    slots: Vec<(usize, Slot)>,
}

impl Cut {
    /// Reads a card rendered with tokens; `None` when it holds a mark that is not one.
    fn parse(html: &str) -> Option<Cut> {
        let mut text = String::with_capacity(html.len());
        let mut slots = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find(MARK) {
            text.push_str(&rest[..at]);
            let after = &rest[at + MARK.len_utf8()..];
            let slot = match after.chars().next() {
                Some('r') => Slot::Root,
                Some('h') => Slot::Heading,
                Some('v') => Slot::Via,
                Some('o') => Slot::Roles,
                Some('n') => Slot::LinkNote,
                _ => return None,
            };
            slots.push((text.len(), slot));
            rest = &after[1..];
        }
        text.push_str(rest);
        Some(Cut { text, slots })
    }

    /// The card as a list shows it, with that list's values escaped as the template
    /// escapes them.
    fn fill(&self, out: &mut String, root: &str, heading: Heading, extras: &Extras) {
        let mut from = 0;
        for &(at, slot) in &self.slots {
            out.push_str(&self.text[from..at]);
            match slot {
                Slot::Root => out.push_str(&escape_html(root)),
                Slot::Heading => out.push_str(heading.tag()),
                Slot::Via => out.push_str(&escape_html(extras.via.as_deref().unwrap_or(""))),
                Slot::Roles => out.push_str(&escape_html(&extras.roles.join(", "))),
                Slot::LinkNote => {
                    out.push_str(&escape_html(extras.link_note.as_deref().unwrap_or("")))
                }
            }
            from = at;
        }
        out.push_str(&self.text[from..]);
    }
}

/// Which of the card's conditional parts a list shows: the path it came through, the
/// roles, the note of a possible link. The template tests them as Tera does (an empty
/// text or list is false).
fn shape(extras: &Extras) -> usize {
    let set = |t: &Option<String>| t.as_deref().is_some_and(|v| !v.is_empty());
    usize::from(set(&extras.via))
        | (usize::from(!extras.roles.is_empty()) << 1)
        | (usize::from(set(&extras.link_note)) << 2)
}

/// The cut cards of one language's tree. Each event's plain card (the shape of every
/// list but actor pages) is cut the first time a list shows it and kept; `None` for
/// a card that cannot be cut (its data holds `MARK`): it is rendered whole for each
/// list. The cards of actor pages are cut for each page and not kept: an event is on
/// few actor pages, and keeping them would hold most of the site's cards in memory
/// twice at 100,000 events.
pub struct CardHtml {
    cells: Vec<OnceLock<Option<Cut>>>,
    /// False when a chronology's templates replace those that show cards.
    cut: bool,
}

/// A card as the built-in list templates see it: its HTML only.
#[derive(Serialize)]
pub struct Pasted {
    pub html: String,
}

/// A card as replaced templates may see it: its fields as before, and its HTML.
#[derive(Serialize)]
pub struct Whole {
    #[serde(flatten)]
    pub card: EventCard,
    pub html: String,
}

/// The cards of a list page, in one of the forms above.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ListCard {
    Pasted(Pasted),
    Whole(Box<Whole>),
}

impl CardHtml {
    /// The cache of a tree of `events` events; it keeps nothing when `templates`
    /// replace those that show cards.
    pub fn new(events: usize, templates: &Templates) -> CardHtml {
        let cut = templates.cards_built_in;
        CardHtml {
            cells: (0..if cut { events } else { 0 })
                .map(|_| OnceLock::new())
                .collect(),
            cut,
        }
    }

    /// The cards of the events `items` as the list page whose root is `root` shows
    /// them, in the same order, under headings `heading`.
    pub fn list(
        &self,
        ctx: &Ctx,
        templates: &Templates,
        items: Vec<(EventIx, Extras)>,
        root: &str,
        heading: Heading,
    ) -> Result<Vec<ListCard>, Error> {
        if !self.cut {
            return items
                .into_iter()
                .map(|(ix, extras)| {
                    let mut card = super::views::card(ctx, ctx.index.events[ix]);
                    extras.apply(&mut card);
                    let html = whole(ctx, templates, &card, root, heading)?;
                    Ok(ListCard::Whole(Box::new(Whole { card, html })))
                })
                .collect();
        }
        let kept = |ix: EventIx| self.cells.get(ix).and_then(OnceLock::get);
        // The cards to cut for this page: plain ones not kept yet, and actor pages'.
        let todo: Vec<usize> = (0..items.len())
            .filter(|&i| shape(&items[i].1) != 0 || kept(items[i].0).is_none())
            .collect();
        let wanted: Vec<(EventIx, usize)> = todo
            .iter()
            .map(|&i| (items[i].0, shape(&items[i].1)))
            .collect();
        let made = cut_batch(ctx, templates, &wanted)?;
        let mut fresh: Vec<Option<Option<Cut>>> = (0..items.len()).map(|_| None).collect();
        for (i, cut) in todo.into_iter().zip(made) {
            match self.cells.get(items[i].0) {
                // Another thread may have cut the same card meanwhile: the same text.
                Some(cell) if shape(&items[i].1) == 0 => {
                    let _ = cell.set(cut);
                }
                _ => fresh[i] = Some(cut),
            }
        }
        items
            .into_iter()
            .zip(fresh)
            .map(|((ix, extras), fresh)| {
                let cut = match &fresh {
                    Some(cut) => cut.as_ref(),
                    None => kept(ix).and_then(Option::as_ref),
                };
                let html = match cut {
                    Some(cut) => {
                        let mut html = String::with_capacity(cut.text.len() + 64);
                        cut.fill(&mut html, root, heading, &extras);
                        html
                    }
                    // Not cut: rendered whole, as replaced templates are.
                    None => {
                        let mut card = super::views::card(ctx, ctx.index.events[ix]);
                        extras.apply(&mut card);
                        whole(ctx, templates, &card, root, heading)?
                    }
                };
                Ok(ListCard::Pasted(Pasted { html }))
            })
            .collect()
    }
}

/// The cards of the events `wanted`, each in its shape, cut in one render of the
/// template; `None` for those that cannot be cut.
fn cut_batch(
    ctx: &Ctx,
    templates: &Templates,
    wanted: &[(EventIx, usize)],
) -> Result<Vec<Option<Cut>>, Error> {
    let mut cards: Vec<serde_json::Value> = Vec::new();
    let mut rendered: Vec<bool> = Vec::new();
    for &(ix, s) in wanted {
        let card = super::views::card(ctx, ctx.index.events[ix]);
        let mut value = to_value(&card)?;
        // A text holding the mark could be read as a token: rendered whole instead.
        let cuttable = !holds_mark(&value);
        rendered.push(cuttable);
        if !cuttable {
            continue;
        }
        if let serde_json::Value::Object(fields) = &mut value {
            if s & 1 != 0 {
                fields.insert("via".into(), VIA.into());
            }
            if s & 2 != 0 {
                fields.insert("roles".into(), serde_json::json!([ROLES]));
            }
            if s & 4 != 0 {
                fields.insert("link_note".into(), LINK_NOTE.into());
            }
        }
        cards.push(value);
    }
    if cards.is_empty() {
        return Ok(wanted.iter().map(|_| None).collect());
    }
    let mut fields = serde_json::Map::new();
    fields.insert("cards".into(), cards.into());
    fields.insert("root".into(), ROOT.into());
    fields.insert("heading".into(), HEADING.into());
    fields.insert("t".into(), to_value(ctx.strings)?);
    let c = tera::Context::from_value(fields.into()).map_err(tera_error)?;
    let html = String::from_utf8(templates.render(BATCH, &c)?)
        .map_err(|e| Error::new(format!("template `{BATCH}`: {e}")))?;
    let mut parts = html.split(END);
    // A card that does not come out as cut is rendered whole for each list.
    Ok(rendered
        .into_iter()
        .map(|r| {
            if r {
                parts.next().and_then(Cut::parse)
            } else {
                None
            }
        })
        .collect())
}

/// The card as the list at `root` shows it, rendered whole.
fn whole(
    ctx: &Ctx,
    templates: &Templates,
    card: &EventCard,
    root: &str,
    heading: Heading,
) -> Result<String, Error> {
    let mut c = tera::Context::new();
    c.insert("e", card);
    c.insert("root", root);
    c.insert("heading", heading.tag());
    c.insert("t", ctx.strings);
    String::from_utf8(templates.render(ONE, &c)?)
        .map_err(|e| Error::new(format!("template `{ONE}`: {e}")))
}

fn to_value(v: &impl Serialize) -> Result<serde_json::Value, Error> {
    serde_json::to_value(v).map_err(|e| Error::new(format!("a card: {e}")))
}

/// Whether any text of `v` holds `MARK`.
fn holds_mark(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains(MARK),
        serde_json::Value::Array(a) => a.iter().any(holds_mark),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains(MARK) || holds_mark(v)),
        _ => false,
    }
}
