//! The pages and files of one language's tree of the site, and the root pages of a
//! site with several languages.

use super::cards::{self, Heading};
use super::html::{escape_html, pretty, relative, root_of};
use super::i18n::Strings;
use super::sink::Sink;
use super::templates::{FAVICON_SVG, FILTER_JS, MAP_JS, STRIP_JS, Templates};
use super::views::{self, Ctx, Extras, Link};
use super::{export, feeds, geo, markdown, search, svg};
use crate::config::Config;
use crate::error::Error;
use crate::history::History;
use crate::index::{EventIx, Index};
use crate::lang::{Lang, format_number, format_size};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;
use tera::Context;

/// One tree of the site: every page in one language, under `prefix`.
pub(crate) struct Tree<'a> {
    pub(crate) lang: Lang,
    /// The site's default language.
    pub(crate) default: Lang,
    /// Where the tree stands from the site root: `""`, or `"fr/"` when the site has
    /// several languages.
    pub(crate) prefix: &'a str,
    /// The site's languages when it has several (for the switcher and `hreflang`);
    /// empty when it has one.
    pub(crate) languages: &'a [Lang],
    /// The site's address, for absolute `hreflang` links.
    pub(crate) site_base: Option<&'a str>,
}

/// Records the pages put into a sink, for the sitemap.
struct Recording<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<String>>,
    /// The one file to render (`render_one`); every file when `None`.
    only: Option<&'a str>,
}

impl Recording<'_> {
    /// Whether the file at `path` is to be rendered: `only` is that file, or a folder
    /// (ending in `/`) that holds it.
    fn wants(&self, path: &str) -> bool {
        self.only
            .is_none_or(|o| o == path || (o.ends_with('/') && path.starts_with(o)))
    }

    /// Whether any file under the folder `dir` (ending in `/`) is to be rendered.
    fn wants_under(&self, dir: &str) -> bool {
        self.only
            .is_none_or(|o| o.starts_with(dir) || (o.ends_with('/') && dir.starts_with(o)))
    }

    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), Error> {
        self.inner.put_pieces(path, pieces)
    }

    /// Puts a file that the sitemap does not list (a redirect).
    fn put_unlisted(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.inner.put(path, bytes)
    }

    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        if path.ends_with(".html") && path != "404.html" {
            self.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        self.inner.put(path, bytes)
    }
}

/// What every page's template sees about the site.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    lang: &'a str,
    base_url: Option<&'a str>,
}

/// Pagination links of a list page.
#[derive(Serialize)]
struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    label: String,
}

/// A language of the site, as the switcher and `hreflang` links name it.
#[derive(Serialize)]
struct Alternate {
    code: &'static str,
    /// The language's own name for itself ("Français", "English").
    name: &'static str,
    /// For `hreflang`: absolute when the site's address is known.
    href: String,
    /// For the switcher: relative, so that the site works from `file://`.
    link: String,
    current: bool,
}

/// The root of a site with several languages, `at_root: redirect`: a page sending
/// readers to the default language (with a link to each, for browsers that do not
/// follow), and a "not found" page in every language.
pub(crate) fn root_pages(
    config: &Config,
    templates: &Templates,
    langs: &[Lang],
    only: Option<&str>,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let default = langs.first().copied().unwrap_or(Lang::Fr);
    let alternates: Vec<Alternate> = langs
        .iter()
        .map(|l| {
            let link = format!("{}/index.html", l.code());
            Alternate {
                code: l.code(),
                name: l.autonym(),
                href: match &config.base_url {
                    Some(b) => format!("{b}{}/", l.code()),
                    None => link.clone(),
                },
                link,
                current: *l == default,
            }
        })
        .collect();
    let pages: Vec<(&str, bool)> = vec![("index.html", false), (NOT_FOUND, true)];
    for (path, not_found) in pages {
        if only.is_some_and(|o| o != path) {
            continue;
        }
        // The 404 page is served at any depth: its links start from `base_url`, or
        // without it from the host's root (as in each tree, `Renderer::page`).
        let site = match (not_found, config.base_url.as_deref()) {
            (false, _) => "",
            (true, Some(b)) => b,
            (true, None) => "/",
        };
        let alternates: Vec<Alternate> = alternates
            .iter()
            .map(|a| Alternate {
                link: format!("{site}{}", a.link),
                href: a.href.clone(),
                ..*a
            })
            .collect();
        let texts: Vec<_> = langs
            .iter()
            .map(|l| {
                let t = templates.strings(*l);
                serde_json::json!({
                    "code": l.code(),
                    "title": if not_found {
                        t.get("not_found_title").to_string()
                    } else {
                        config.in_language(l.code()).title
                    },
                    "text": if not_found { t.get("not_found_text") } else { "" },
                })
            })
            .collect();
        let mut c = Context::new();
        c.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: config.description.as_deref(),
                lang: default.code(),
                base_url: config.base_url.as_deref(),
            },
        );
        c.insert("alternates", &alternates);
        c.insert("texts", &texts);
        c.insert("not_found", &not_found);
        c.insert("t", templates.strings(default));
        c.insert("redirect", &format!("{site}{}/index.html", default.code()));
        let canonical = config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}/", default.code()));
        c.insert("canonical", &canonical);
        sink.put(path, templates.render("root.html", &c)?)?;
    }
    Ok(())
}

/// Which files of a tree to render: all (`only` is `None`), or one, with the data
/// exports' sizes kept from an earlier page (`annalist serve`).
#[derive(Clone, Copy)]
pub(crate) struct Select<'a> {
    pub only: Option<&'a str>,
    pub sizes: Option<&'a super::DataSizes>,
}

/// Renders the pages, feeds and exports of one language's tree into `sink`, and
/// returns the paths of its pages, for the sitemap: the [`DATA_FILES`] first (the
/// footers give their sizes), each kind of [`LISTS`], then, once the cards are
/// forgotten, each of [`FILES`].
pub(crate) fn render_tree(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    tree: &Tree,
    select: Select,
    sink: &dyn Sink,
) -> Result<Vec<String>, Error> {
    let Select { only, sizes } = select;
    let lang = tree.lang;
    let strings = templates.strings(lang);
    let ctx = Ctx {
        index,
        lang,
        strings,
        default: tree.default,
        cards: views::CardCache::new(index),
        remote_images: config.remote_images,
    };
    let out = Recording {
        inner: sink,
        pages: Mutex::new(Vec::new()),
        only,
    };
    let mut r = Renderer {
        ctx: &ctx,
        config,
        templates,
        strings,
        out: &out,
        history,
        filter: search::FilterView::new(&ctx),
        tree,
        cards: cards::CardHtml::new(index.events.len(), templates),
        entries: feeds::Entries::new(index.events.len()),
        sizes: Vec::new(),
    };
    // The data exports first: every page's footer says how large they are, from the
    // bytes written. Rendering one page, the sizes measured for an earlier one serve,
    // unless the page is an export itself.
    let cached = sizes.zip(only).and_then(|(c, o)| {
        let known = c.0.lock().unwrap_or_else(|e| e.into_inner());
        let hit = known.get(tree.prefix).cloned();
        hit.filter(|_| !DATA_FILES.contains(&o))
    });
    r.sizes = match cached {
        Some(known) => known,
        None => {
            let measured = r.data_files()?;
            if let (Some(c), Some(o)) = (sizes, only)
                && o.ends_with(".html")
            {
                c.0.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(tree.prefix.to_string(), measured.clone());
            }
            measured
        }
    };
    for kind in LISTS {
        kind(&r)?;
    }
    // The lists are done: their cards are not needed any more.
    r.cards = cards::CardHtml::new(0, templates);
    ctx.cards.clear();
    for kind in FILES {
        kind(&r)?;
    }
    let pages = std::mem::take(&mut *out.pages.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(pages)
}

/// Renders every file of one kind that the tree has (those `Recording::wants`, for
/// `render_one`). The kinds are independent: each reads the index and puts its files.
type Kind = fn(&Renderer) -> Result<(), Error>;

/// The kinds of pages made while each event's card is kept, in this order: those
/// that list events, and the event pages, which build the cards the lists reuse.
/// To add a page kind, write its function (a method of `Renderer` below) and name it
/// here, or in [`FILES`] if it shows no list of events; a new template also goes into
/// `TEMPLATES` (templates.rs).
const LISTS: &[Kind] = &[
    |r| r.timeline(),
    |r| r.events(),
    |r| r.redirects(),
    |r| r.actor_index(),
    |r| r.actors(),
    |r| r.location_index(),
    |r| r.locations(),
    |r| r.map(),
    |r| r.types(),
    |r| r.statuses(),
    |r| r.years(),
    |r| r.tags(),
];

/// The kinds of files made after the lists, when the cards are forgotten: at
/// 100,000 events they take hundreds of MB, and these need each card once at most.
const FILES: &[Kind] = &[
    |r| r.not_found(),
    |r| r.methodology(),
    |r| r.asset("style.css", &r.templates.style),
    |r| r.asset("filter.js", FILTER_JS),
    |r| r.asset("strip.js", STRIP_JS),
    |r| r.asset("map.js", MAP_JS),
    |r| r.asset("favicon.svg", FAVICON_SVG),
    |r| r.site_feed(),
    |r| r.actor_feeds(),
    |r| r.location_feeds(),
    |r| r.casualties_csv(),
    |r| r.search_index(),
];

/// What every page kind reads: the tree's context (index, language, strings), the
/// settings and templates, the history of the event files, and where files go.
struct Renderer<'a> {
    ctx: &'a Ctx<'a>,
    config: &'a Config,
    templates: &'a Templates,
    strings: &'a Strings,
    out: &'a Recording<'a>,
    history: &'a History,
    /// The options of the filter form, the same on every list page.
    filter: search::FilterView,
    tree: &'a Tree<'a>,
    /// Each event's card, rendered once for every list.
    cards: cards::CardHtml,
    /// Each event's feed entry, made once for every feed that carries it.
    entries: feeds::Entries,
    /// The size of each of [`DATA_FILES`], in bytes, as the footers give it.
    sizes: Vec<(&'static str, u64)>,
}

/// The page hosts serve for a missing address, in each tree and at the site root.
pub(crate) const NOT_FOUND: &str = "404.html";

/// The data exports the footer of every page links, with the size of each: they are
/// made before the pages (`Renderer::data_files`).
const DATA_FILES: [&str; 2] = ["data/events.json", "data/events.csv"];

/// A list of events shown as pages of `per_page` cards (`Renderer::paginate`).
struct List<'a> {
    /// The folder of its pages: `""` for the main timeline, `actors/x/`.
    dir: &'a str,
    template: &'a str,
    title: &'a str,
    /// The list's Atom feed, linked from each page.
    feed: Option<&'a str>,
    heading: Heading,
    /// How many of its events are only possibly linked to the page (an actor's or a
    /// place's page), counted apart ("dont 2 à rattachement incertain"); 0 elsewhere.
    possible: usize,
    /// What every page's context has besides the list.
    extra: Context,
}

/// The page kinds, one function each.
impl Renderer<'_> {
    /// The main timeline (`index.html`, `page/N/`), with its strip of months and its
    /// filter.
    fn timeline(&self) -> Result<(), Error> {
        let all: Vec<EventIx> = (0..self.ctx.index.events.len()).collect();
        let mut c = Context::new();
        c.insert("filter", &self.filter.scoped("", 2));
        if self.out.wants("index.html") {
            c.insert("strip", &self.strip(all.iter().rev().copied()));
        }
        let list = List {
            dir: "",
            template: "timeline.html",
            title: self.strings.get("timeline"),
            feed: None,
            heading: Heading::H4,
            possible: 0,
            extra: c,
        };
        self.list_pages(list, &all)
    }

    /// `events/ID/index.html`, one per event.
    fn events(&self) -> Result<(), Error> {
        self.ctx
            .index
            .events
            .par_iter()
            .try_for_each(|e| self.event(e))
    }

    /// The former addresses of renamed events, redirecting to their pages (not in the
    /// sitemap).
    fn redirects(&self) -> Result<(), Error> {
        self.ctx.index.events.par_iter().try_for_each(|e| {
            e.data.aliases.iter().try_for_each(|a| {
                if !self.out.wants(&views::event_url(&a.value.0)) {
                    return Ok(());
                }
                let (path, page) = redirect_page(self.ctx, self.config, e, &a.value.0);
                self.out.put_unlisted(&path, page)
            })
        })
    }

    /// `actors/index.html`: every actor, with the number of its events.
    fn actor_index(&self) -> Result<(), Error> {
        let path = "actors/index.html";
        if !self.out.wants(path) {
            return Ok(());
        }
        let (ctx, index) = (self.ctx, self.ctx.index);
        let mut actor_links: Vec<(Link, usize, Option<&str>)> = index
            .actors
            .values()
            .map(|a| {
                let count = index.by_actor.get(a.id.as_str()).map(Vec::len).unwrap_or(0);
                (
                    ctx.actor_link(&a.id),
                    count,
                    a.data.kind.map(|k| k.label(ctx.code())),
                )
            })
            .collect();
        views::sort_by_name(&mut actor_links, |a| &a.0);
        let mut c = Context::new();
        c.insert("actors", &actor_links);
        self.out.put(
            path,
            self.page("actors.html", path, self.strings.get("actors"), c)?,
        )
    }

    /// `actors/ID/`, the pages of each actor.
    fn actors(&self) -> Result<(), Error> {
        self.ctx
            .index
            .actors
            .par_iter()
            .try_for_each(|(_, a)| self.actor(a))
    }

    /// `locations/index.html`: the tree of places.
    fn location_index(&self) -> Result<(), Error> {
        let path = "locations/index.html";
        if !self.out.wants(path) {
            return Ok(());
        }
        let mut c = Context::new();
        c.insert("tree", &views::location_tree(self.ctx));
        self.out.put(
            path,
            self.page("locations.html", path, self.strings.get("locations"), c)?,
        )
    }

    /// `locations/ID/`, the pages of each place.
    fn locations(&self) -> Result<(), Error> {
        self.ctx
            .index
            .locations
            .par_iter()
            .try_for_each(|(_, l)| self.location(l))
    }

    /// `map/index.html`.
    fn map(&self) -> Result<(), Error> {
        let path = "map/index.html";
        if !self.out.wants(path) && !self.out.wants(MAP_POINTS) {
            return Ok(());
        }
        let (page, points) = self.map_page()?;
        if let Some(points) = points.filter(|_| self.out.wants(MAP_POINTS)) {
            self.out.put(MAP_POINTS, points.into_bytes())?;
        }
        if !self.out.wants(path) {
            return Ok(());
        }
        self.out.put(path, page)
    }

    /// `types/`: the event types, and a list per type.
    fn types(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        let lang_code = self.ctx.code();
        let types: Vec<(String, String, usize)> = index
            .by_type
            .iter()
            .map(|(k, v)| {
                let label = crate::model::EventType::ALL
                    .iter()
                    .find(|t| t.key() == *k)
                    .map(|t| t.label(lang_code))
                    .unwrap_or(k);
                (k.to_string(), label.to_string(), v.len())
            })
            .collect();
        self.terms("types", self.strings.get("types"), &types)?;
        types.par_iter().try_for_each(|(key, label, _)| {
            self.term_list(
                &format!("types/{key}/"),
                label,
                &index.by_type[key.as_str()],
                &format!("t:{key}"),
            )
        })
    }

    /// `statuses/`: the statuses, in the vocabulary's order, and a list per status,
    /// so that readers without the filter's script can list the claimed or the
    /// denied events.
    fn statuses(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        let lang_code = self.ctx.code();
        let statuses: Vec<(String, String, usize)> = crate::model::Status::ALL
            .iter()
            .filter_map(|s| {
                let n = index.by_status.get(s.key())?.len();
                Some((s.key().to_string(), s.label(lang_code).to_string(), n))
            })
            .collect();
        self.terms("statuses", self.strings.get("statuses"), &statuses)?;
        statuses.par_iter().try_for_each(|(key, label, _)| {
            // "Statut : Revendiqué": the status's word alone would not say what lists it.
            let title = format!(
                "{}{} {label}",
                self.strings.get("status"),
                self.strings.get("colon")
            );
            self.term_list(
                &format!("statuses/{key}/"),
                &title,
                &index.by_status[key.as_str()],
                &format!("s:{key}"),
            )
        })
    }

    /// `years/`: the years, newest first, and a list per year.
    fn years(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        let years: Vec<(String, String, usize)> = index
            .by_year
            .iter()
            .rev()
            .map(|(y, v)| (y.to_string(), y.to_string(), v.len()))
            .collect();
        self.terms("years", self.strings.get("years"), &years)?;
        index.by_year.par_iter().try_for_each(|(y, ixs)| {
            self.term_list(
                &format!("years/{y}/"),
                &y.to_string(),
                ixs,
                &format!("y:{y}"),
            )
        })
    }

    /// `tags/`: the tags, and a list per tag.
    fn tags(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        let tags: Vec<(String, String, usize)> = index
            .by_tag
            .iter()
            .map(|(t, v)| (t.to_string(), t.to_string(), v.len()))
            .collect();
        self.terms("tags", self.strings.get("tags"), &tags)?;
        index.by_tag.par_iter().try_for_each(|(t, ixs)| {
            self.term_list(&format!("tags/{t}/"), t, ixs, &format!("g:{t}"))
        })
    }

    /// `404.html`, whose links do not depend on where it is served (`Renderer::page`).
    fn not_found(&self) -> Result<(), Error> {
        if !self.out.wants(NOT_FOUND) {
            return Ok(());
        }
        let title = self.strings.get("not_found_title");
        self.out.put(
            NOT_FOUND,
            self.page("404.html", NOT_FOUND, title, Context::new())?,
        )
    }

    /// `methodology/index.html`: what each status, date form and figure form means.
    fn methodology(&self) -> Result<(), Error> {
        let path = "methodology/index.html";
        if !self.out.wants(path) {
            return Ok(());
        }
        let mut c = Context::new();
        c.insert("m", &views::methodology(self.ctx));
        let title = self.strings.get("methodology");
        self.out
            .put(path, self.page("methodology.html", path, title, c)?)
    }

    /// A file written as it is: the style sheet, the scripts of the filter, the strip
    /// and the map, the icon.
    fn asset(&self, path: &str, text: &str) -> Result<(), Error> {
        if !self.out.wants(path) {
            return Ok(());
        }
        self.out.put(path, text.as_bytes().to_vec())
    }

    /// `atom.xml`, the feed of the whole chronology.
    fn site_feed(&self) -> Result<(), Error> {
        if !self.out.wants("atom.xml") {
            return Ok(());
        }
        let feed = feeds::Feed {
            path: "atom.xml".into(),
            title: self.config.title.clone(),
            page: "index.html".into(),
            events: (0..self.ctx.index.events.len()).collect(),
            notes: Default::default(),
        };
        self.put_feed(&feed)
    }

    /// `actors/ID/atom.xml`, the feed of each actor.
    fn actor_feeds(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        index.actors.par_iter().try_for_each(|(_, a)| {
            if !self.out.wants(&format!("actors/{}/atom.xml", a.id)) {
                return Ok(());
            }
            let list = index.by_actor.get(a.id.as_str());
            let ixs: Vec<EventIx> = list
                .map(|v| v.iter().map(|(i, _)| *i).collect())
                .unwrap_or_default();
            let notes = list
                .into_iter()
                .flatten()
                .filter(|(_, inv)| inv.is_possible())
                .filter_map(|(ix, inv)| {
                    let date = &index.events[*ix].data.date.value;
                    Some((*ix, Extras::of(self.ctx, inv, date).link_note?))
                })
                .collect();
            let feed = feeds::Feed {
                path: format!("actors/{}/atom.xml", a.id),
                title: format!("{} — {}", self.config.title, self.ctx.actor_name(a).text),
                page: format!("actors/{}/index.html", a.id),
                events: ixs,
                notes,
            };
            self.put_feed(&feed)
        })
    }

    /// `locations/ID/atom.xml`, the feed of each place.
    fn location_feeds(&self) -> Result<(), Error> {
        let index = self.ctx.index;
        index.locations.par_iter().try_for_each(|(_, l)| {
            if !self.out.wants(&format!("locations/{}/atom.xml", l.id)) {
                return Ok(());
            }
            let list = index.by_location.get(l.id.as_str());
            let feed = feeds::Feed {
                path: format!("locations/{}/atom.xml", l.id),
                title: format!(
                    "{} — {}",
                    self.config.title,
                    self.ctx.name(&l.data.name).text
                ),
                page: format!("locations/{}/index.html", l.id),
                events: list.into_iter().flatten().map(|(ix, _)| *ix).collect(),
                notes: list
                    .into_iter()
                    .flatten()
                    .filter(|(_, reach)| reach.is_possible())
                    .filter_map(|(ix, reach)| {
                        Some((*ix, Extras::of_place(self.ctx, *ix, reach).link_note?))
                    })
                    .collect(),
            };
            self.put_feed(&feed)
        })
    }

    /// The pieces of the data export at `path`, one of [`DATA_FILES`], streamed.
    fn data_pieces(&self, path: &str) -> Box<dyn Iterator<Item = Vec<u8>> + '_> {
        match path {
            "data/events.csv" => Box::new(export::csv_pieces(self.ctx)),
            _ => Box::new(export::json_pieces(self.ctx, self.config)),
        }
    }

    /// Writes `data/events.json` and `data/events.csv`, and returns their sizes, from
    /// the bytes written. When one page alone is rendered (`render_one`), the exports
    /// are only measured, the same pieces counted instead of written.
    fn data_files(&self) -> Result<Vec<(&'static str, u64)>, Error> {
        let needs_sizes = self.out.only.is_none_or(|o| o.ends_with(".html"));
        let mut sizes = Vec::new();
        for path in DATA_FILES {
            let mut written: u64 = 0;
            let mut counted = self.data_pieces(path).inspect(|p| {
                written = written.saturating_add(p.len() as u64);
            });
            if self.out.wants(path) {
                self.out.put_pieces(path, &mut counted)?;
            } else if needs_sizes {
                counted.for_each(drop);
            } else {
                continue;
            }
            sizes.push((path, written));
        }
        Ok(sizes)
    }

    /// `data/casualties.csv`, streamed: one row per figure.
    fn casualties_csv(&self) -> Result<(), Error> {
        if !self.out.wants("data/casualties.csv") {
            return Ok(());
        }
        self.out.put_pieces(
            "data/casualties.csv",
            &mut export::casualties_csv_pieces(self.ctx),
        )
    }

    /// `data/search/`, the index of the filter form's script, in small files.
    fn search_index(&self) -> Result<(), Error> {
        if !self.out.wants_under(search::DIR) {
            return Ok(());
        }
        search::index_files(self.ctx, &mut |path, bytes| {
            if self.out.wants(&path) {
                self.out.put(&path, bytes)
            } else {
                Ok(())
            }
        })
    }
}

/// What the page kinds share.
impl Renderer<'_> {
    /// Puts the Atom feed `feed`, with the entries made once for every feed.
    fn put_feed(&self, feed: &feeds::Feed) -> Result<(), Error> {
        let atom = feeds::atom(self.ctx, self.config, feed, &self.entries, self.history);
        self.out.put(&feed.path, atom)
    }

    /// Renders `template` as the page at `path`, with what every page needs.
    fn page(
        &self,
        template: &str,
        path: &str,
        title: &str,
        mut c: Context,
    ) -> Result<Vec<u8>, Error> {
        let (root, site_root) = if path == NOT_FOUND {
            // Hosts serve the 404 page for a missing address at any depth
            // (`/fr/events/x/y/`), where relative links break: its links start from
            // `base_url`, or without it from the host's root.
            let site = self.tree.site_base.unwrap_or("/");
            (format!("{site}{}", self.tree.prefix), site.to_string())
        } else {
            let root = root_of(path);
            // The site root: one more folder up from a language's tree.
            let site_root = if self.tree.prefix.is_empty() {
                root.clone()
            } else {
                format!("{root}../")
            };
            (root, site_root)
        };
        let alternates: Vec<Alternate> = self
            .tree
            .languages
            .iter()
            .map(|l| {
                let link = format!("{site_root}{}/{path}", l.code());
                Alternate {
                    code: l.code(),
                    name: l.autonym(),
                    href: match self.tree.site_base {
                        Some(b) => format!("{b}{}/{}", l.code(), pretty(path)),
                        None => link.clone(),
                    },
                    link,
                    current: *l == self.tree.lang,
                }
            })
            .collect();
        c.insert("alternates", &alternates);
        c.insert("root", &root);
        c.insert("path", path);
        c.insert("page_title", title);
        c.insert(
            "site",
            &SiteView {
                title: &self.config.title,
                description: self.config.description.as_deref(),
                lang: self.ctx.code(),
                base_url: self.config.base_url.as_deref(),
            },
        );
        c.insert("t", self.strings);
        // "45,7 Mo" for `data/events.json`, as `data_sizes.json`.
        let sizes: std::collections::BTreeMap<&str, String> = self
            .sizes
            .iter()
            .map(|(path, n)| {
                let ext = path.rsplit('.').next().unwrap_or(path);
                (ext, format_size(*n, self.ctx.lang))
            })
            .collect();
        c.insert("data_sizes", &sizes);
        let canonical = self
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", pretty(path)));
        c.insert("canonical", &canonical);
        self.templates.render(template, &c)
    }

    /// The events `ixs` (oldest first) as the pages of `list`, newest first.
    fn list_pages(&self, list: List, ixs: &[EventIx]) -> Result<(), Error> {
        let newest: Vec<EventIx> = ixs.iter().rev().copied().collect();
        self.paginate(&list, &newest, |&ix: &EventIx| (ix, Extras::default()))
    }

    /// Renders `items` (newest first) as pages of `per_page` events under `list.dir`:
    /// `dir/index.html`, then `dir/page/N/index.html`, each grouped by year and month,
    /// in parallel. No page grows with the size of the chronology. `item` says which
    /// event each item is and what the list adds to its card.
    fn paginate<T: Sync>(
        &self,
        list: &List,
        items: &[T],
        item: impl Fn(&T) -> (EventIx, Extras) + Sync,
    ) -> Result<(), Error> {
        let dir = list.dir;
        let per_page = self.config.per_page.max(1);
        let chunks: Vec<&[T]> = if items.is_empty() {
            vec![&[]]
        } else {
            items.chunks(per_page).collect()
        };
        let pages = chunks.len();
        let page_path = |n: usize| {
            if n == 1 {
                format!("{dir}index.html")
            } else {
                format!("{dir}page/{n}/index.html")
            }
        };
        let mut count = self.strings.count(items.len(), self.ctx.lang);
        if list.possible > 0 {
            count = self
                .strings
                .get("count_possible")
                .replace("{count}", &count)
                .replace("{n}", &format_number(list.possible as u64, self.ctx.lang));
        }
        chunks.par_iter().enumerate().try_for_each(|(i, chunk)| {
            let n = i + 1;
            let path = page_path(n);
            if !self.out.wants(&path) {
                return Ok(());
            }
            let items: Vec<(EventIx, Extras)> = chunk.iter().map(&item).collect();
            let events: Vec<&crate::load::Event> = items
                .iter()
                .map(|(ix, _)| self.ctx.index.events[*ix])
                .collect();
            let cards = self.cards.list(
                self.ctx,
                self.templates,
                items,
                &root_of(&path),
                list.heading,
            )?;
            let mut c = list.extra.clone();
            c.insert(
                "years",
                &views::group(self.ctx, events.into_iter().zip(cards).collect()),
            );
            c.insert("count", &count);
            if let Some(f) = list.feed {
                c.insert("feed", &relative(&path, f));
            }
            c.insert(
                "pager",
                &Pager {
                    page: n,
                    pages,
                    prev: (n > 1).then(|| relative(&path, &page_path(n - 1))),
                    next: (n < pages).then(|| relative(&path, &page_path(n + 1))),
                    label: self
                        .strings
                        .get("page_of")
                        .replace("{page}", &n.to_string())
                        .replace("{pages}", &pages.to_string()),
                },
            );
            self.out
                .put(&path, self.page(list.template, &path, list.title, c)?)
        })
    }

    /// The page of the event `e`.
    fn event(&self, e: &crate::load::Event) -> Result<(), Error> {
        let path = views::event_url(&e.id);
        if !self.out.wants(&path) {
            return Ok(());
        }
        let mut view = views::event_page(self.ctx, e);
        view.history = self
            .history
            .of(&e.id)
            .and_then(|h| views::history_view(self.ctx, h, &self.config.subjects));
        let abs = self
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", pretty(&path)));
        let mut c = Context::new();
        c.insert("json_ld", &views::json_ld(self.ctx, e, abs.as_deref()));
        c.insert(
            "description",
            &e.data
                .summary
                .as_ref()
                .map(|s| markdown::to_plain(&self.ctx.text(s).text)),
        );
        let title = view.card.title.text.clone();
        c.insert("e", &view);
        self.out
            .put(&path, self.page("event.html", &path, &title, c)?)?;
        Ok(())
    }

    /// The pages of the actor `a`: its events, newest first, with the part it took.
    fn actor(&self, a: &crate::load::Actor) -> Result<(), Error> {
        if !self.out.wants_under(&format!("actors/{}/", a.id)) {
            return Ok(());
        }
        let mut list = self
            .ctx
            .index
            .by_actor
            .get(a.id.as_str())
            .cloned()
            .unwrap_or_default();
        list.reverse();
        let view = views::actor_page(self.ctx, a);
        let mut c = Context::new();
        let title = view.full_name.text.clone();
        c.insert("a", &view);
        c.insert("filter", &self.filter.scoped(&format!("a:{}", a.id), 3));
        if self.out.wants(&format!("actors/{}/index.html", a.id)) {
            let placed = list.iter().map(|(ix, inv)| (*ix, inv.is_possible()));
            c.insert("strip", &self.strip_marked(placed));
        }
        let dir = format!("actors/{}/", a.id);
        let feed = format!("{dir}atom.xml");
        let events = &self.ctx.index.events;
        let item = |(ix, inv): &(EventIx, crate::index::Involvement)| {
            (*ix, Extras::of(self.ctx, inv, &events[*ix].data.date.value))
        };
        let pages = List {
            dir: &dir,
            template: "actor.html",
            title: &title,
            feed: Some(&feed),
            heading: Heading::H5,
            possible: list.iter().filter(|(_, inv)| inv.is_possible()).count(),
            extra: c,
        };
        self.paginate(&pages, &list, item)
    }

    /// The pages of the place `l`: the events there or in a place inside it.
    fn location(&self, l: &crate::load::Location) -> Result<(), Error> {
        if !self.out.wants_under(&format!("locations/{}/", l.id)) {
            return Ok(());
        }
        let mut items = self
            .ctx
            .index
            .by_location
            .get(l.id.as_str())
            .cloned()
            .unwrap_or_default();
        items.reverse();
        let view = views::location_page(self.ctx, l);
        let mut c = Context::new();
        let title = view.name.text.clone();
        c.insert("l", &view);
        c.insert("filter", &self.filter.scoped(&format!("l:{}", l.id), 3));
        if self.out.wants(&format!("locations/{}/index.html", l.id)) {
            let placed = items.iter().map(|(ix, reach)| (*ix, reach.is_possible()));
            c.insert("strip", &self.strip_marked(placed));
            c.insert("map", &self.location_map(l));
        }
        let dir = format!("locations/{}/", l.id);
        let feed = format!("{dir}atom.xml");
        let item = |(ix, reach): &(EventIx, crate::index::PlaceReach)| {
            (*ix, Extras::of_place(self.ctx, *ix, reach))
        };
        let pages = List {
            dir: &dir,
            template: "location.html",
            title: &title,
            feed: Some(&feed),
            heading: Heading::H5,
            possible: items.iter().filter(|(_, r)| r.is_possible()).count(),
            extra: c,
        };
        self.paginate(&pages, &items, item)
    }

    /// `dir/index.html`: the terms (key, label, number of events) of a kind of list.
    fn terms(
        &self,
        dir: &str,
        title: &str,
        terms: &[(String, String, usize)],
    ) -> Result<(), Error> {
        let path = format!("{dir}/index.html");
        if !self.out.wants(&path) {
            return Ok(());
        }
        let mut c = Context::new();
        let links: Vec<(Link, usize)> = terms
            .iter()
            .map(|(key, label, n)| {
                (
                    Link {
                        url: format!("{dir}/{key}/index.html"),
                        name: label.clone(),
                        lang: None,
                    },
                    *n,
                )
            })
            .collect();
        c.insert("terms", &links);
        self.out
            .put(&path, self.page("terms.html", &path, title, c)?)?;
        Ok(())
    }

    /// The pages of one term's list under `dir`, whose filter is about `scope`.
    fn term_list(&self, dir: &str, title: &str, ixs: &[EventIx], scope: &str) -> Result<(), Error> {
        if !self.out.wants_under(dir) {
            return Ok(());
        }
        let mut c = Context::new();
        c.insert("heading", title);
        c.insert("filter", &self.filter.scoped(scope, 2));
        let list = List {
            dir,
            template: "list.html",
            title,
            feed: None,
            heading: Heading::H4,
            possible: 0,
            extra: c,
        };
        self.list_pages(list, ixs)
    }
}

impl Renderer<'_> {
    /// The strip of months of a list (newest first), as its first page shows it, with
    /// each month linked to the page of the list where it stands.
    fn strip(&self, newest_first: impl Iterator<Item = EventIx>) -> Option<String> {
        self.strip_marked(newest_first.map(|ix| (ix, false)))
    }

    /// The strip of a list some of whose events are only possibly linked to the page
    /// (`true`), drawn apart.
    fn strip_marked(&self, newest_first: impl Iterator<Item = (EventIx, bool)>) -> Option<String> {
        let per_page = self.config.per_page.max(1);
        let placed: Vec<svg::Placed> = newest_first
            .enumerate()
            .map(|(i, (ix, possible))| svg::Placed {
                possible,
                ..svg::Placed::of(&self.ctx.index.events[ix].data.date.value, i / per_page + 1)
            })
            .collect();
        svg::strip(self.ctx, &placed)
    }

    /// A place of the map, linked from the page at `from`.
    fn map_point(&self, l: &crate::load::Location, from: &str) -> Option<svg::MapPoint> {
        let c = l.data.point()?;
        Some(svg::MapPoint {
            name: self.ctx.name(&l.data.name),
            lat: c.lat.0,
            lon: c.lon.0,
            count: self.ctx.index.events_at(&l.id),
            uncertain: self.ctx.index.events_at(&l.id) > 0
                && self.ctx.index.uncertain_at(&l.id) == self.ctx.index.events_at(&l.id),
            precision: c.precision,
            href: relative(from, &format!("locations/{}/index.html", l.id)),
        })
    }

    /// The country of Natural Earth a place of kind `country` stands for, by any of
    /// its names.
    fn country(&self, l: &crate::load::Location) -> Option<&'static geo::Country> {
        geo::for_place(&l.data)
    }

    /// The map of a place page: the place and the places inside it that have
    /// coordinates, framed with the country they are in when it is known.
    fn location_map(&self, l: &crate::load::Location) -> Option<String> {
        let from = format!("locations/{}/index.html", l.id);
        let index = self.ctx.index;
        let mut points: Vec<svg::MapPoint> = Vec::new();
        points.extend(self.map_point(l, &from));
        for d in index.descendants(&l.id) {
            if let Some(p) = index
                .locations
                .get(d)
                .and_then(|x| self.map_point(x, &from))
            {
                points.push(p);
            }
        }
        let own = self.country(l);
        let around = index
            .ancestors(&l.id)
            .into_iter()
            .find_map(|a| self.country(a));
        if points.is_empty() && own.is_none() {
            return None;
        }
        let focus: Vec<&geo::Country> = own.or(around).into_iter().collect();
        svg::map(self.ctx, &points, &focus, own.is_some(), true)
    }

    /// `map/index.html`: every place with coordinates, and the list of those without;
    /// with [`MAP_POINTS`], what `map.js` redraws the places from at other zooms.
    fn map_page(&self) -> Result<(Vec<u8>, Option<String>), Error> {
        let path = "map/index.html";
        let index = self.ctx.index;
        let mut points = Vec::new();
        let mut placed = Vec::new();
        let mut unplaced = Vec::new();
        let mut focus: Vec<&geo::Country> = Vec::new();
        for l in index.locations.values() {
            let link = self.ctx.location_link(&l.id);
            let count = self.ctx.index.events_at(&l.id);
            let kind = l.data.kind.label(self.ctx.code());
            match self.map_point(l, path) {
                Some(p) => {
                    placed.push((
                        link,
                        kind,
                        count,
                        self.ctx.strings.count(count, self.ctx.lang),
                    ));
                    points.push(p);
                }
                None => unplaced.push((link, kind)),
            }
            if let Some(c) = self.country(l)
                && !focus.iter().any(|f| std::ptr::eq(*f, c))
            {
                focus.push(c);
            }
        }
        // The most events first, then by name, as the other lists of places.
        views::sort_by_name(&mut placed, |p| &p.0);
        placed.sort_by_key(|p| std::cmp::Reverse(p.2));
        views::sort_by_name(&mut unplaced, |p| &p.0);
        // Only the first places of each list, so that the page stays light at any
        // size: the places page lists them all.
        let more = |n: usize| {
            (n > MAP_LIST).then(|| {
                self.strings
                    .get("map_more")
                    .replace("{n}", &(n - MAP_LIST).to_string())
            })
        };
        let mut c = Context::new();
        let (map, points) = svg::zoomable_map(self.ctx, &points, &focus).unzip();
        c.insert("map", &map);
        c.insert("placed_more", &more(placed.len()));
        c.insert("unplaced_more", &more(unplaced.len()));
        c.insert("unplaced_count", &unplaced.len());
        placed.truncate(MAP_LIST);
        unplaced.truncate(MAP_LIST);
        c.insert("placed", &placed);
        c.insert("unplaced", &unplaced);
        let page = self.page("map.html", path, self.strings.get("map"), c)?;
        Ok((page, points))
    }
}

/// The places of the map page for `map.js` (`svg::zoomable_map`).
const MAP_POINTS: &str = "map/points.json";

/// How many places each list of the map page shows, the most events first.
const MAP_LIST: usize = 100;

/// The page at an event's former address `old`: a meta refresh to the event's page,
/// a canonical link, and a visible link for readers whose browser does not follow it.
fn redirect_page(
    ctx: &Ctx,
    config: &Config,
    e: &crate::load::Event,
    old: &str,
) -> (String, Vec<u8>) {
    let path = views::event_url(old);
    // Both pages are in `events/`: one folder up, then into the event's.
    let target = format!("../{}/index.html", e.id);
    let canonical = match &config.base_url {
        Some(b) => format!("{b}{}", pretty(&views::event_url(&e.id))),
        None => target.clone(),
    };
    let title = ctx.text(&e.data.title);
    let lang_attr = super::html::lang_attr(title.lang.as_deref());
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{moved} — {site}</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n\
         <p>{moved_text} <a href=\"{target}\"{lang_attr}>{title}</a></p>\n</body>\n</html>\n",
        lang = ctx.code(),
        moved = escape_html(ctx.strings.get("moved_title")),
        site = escape_html(&config.title),
        target = escape_html(&target),
        canonical = escape_html(&canonical),
        moved_text = escape_html(ctx.strings.get("moved_text")),
        title = escape_html(&title.text),
    );
    (path, html.into_bytes())
}
