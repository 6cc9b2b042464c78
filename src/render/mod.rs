//! Rendering: turns the index into the site's files, in memory. Pages go through Tera
//! templates (built in, overridable by name from the chronology's `templates/`);
//! feeds, the sitemap and the data exports are written by code.

pub mod cards;
pub mod export;
pub mod feeds;
pub mod geo;
pub mod i18n;
pub mod markdown;
pub mod search;
pub mod svg;
pub mod views;

use crate::config::{AtRoot, Config};
use crate::history::History;
use crate::index::{EventIx, Index};
use crate::lang::Lang;
use crate::write::Site;
use i18n::Strings;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;
use tera::{Context, Tera};
use views::{Ctx, Extras, Link};

/// The built-in templates, by name. A file of the same name in the chronology's
/// `templates/` folder replaces one.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("event.html", include_str!("../../templates/event.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    ("actors.html", include_str!("../../templates/actors.html")),
    (
        "location.html",
        include_str!("../../templates/location.html"),
    ),
    (
        "locations.html",
        include_str!("../../templates/locations.html"),
    ),
    ("list.html", include_str!("../../templates/list.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("root.html", include_str!("../../templates/root.html")),
];

/// The templates that show event cards in lists: while none is replaced, each card is
/// rendered once and pasted (`cards`).
const CARD_TEMPLATES: &[&str] = &[
    "macros.html",
    "timeline.html",
    "list.html",
    "actor.html",
    "location.html",
];

/// The stylesheet, also overridable as `templates/style.css`.
const STYLE: &str = include_str!("../../templates/style.css");

/// The script of the filter form (`filter.js` in the site), loaded with `defer` by list
/// pages: every page reads completely without it.
const FILTER_JS: &str = include_str!("../../assets/filter.js");

/// A failure to render: a template that does not parse or fails on the data.
#[derive(Debug)]
pub struct RenderError {
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

fn tera_error(e: tera::Error) -> RenderError {
    // Tera nests the useful part in its sources; show the whole chain once.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    RenderError { message }
}

/// Where rendered files go: the staging folder of a build, or memory. Called from
/// several threads at once; the order of calls is not the order of the site.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String>;

    /// Writes the file at `path` from pieces made one after the other, for files too
    /// large to hold whole (`data/events.json`); by default they are joined and `put`.
    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), String> {
        let bytes = pieces.fold(Vec::new(), |mut all, p| {
            all.extend_from_slice(&p);
            all
        });
        self.put(path, bytes)
    }
}

/// A sink that keeps the site in memory, for tests and small tools.
#[derive(Default)]
pub struct MemorySink(Mutex<Site>);

impl MemorySink {
    pub fn into_site(self) -> Site {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        let mut site = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if site.insert(path.to_string(), bytes).is_some() {
            return Err(format!("two files of the site are named `{path}`"));
        }
        Ok(())
    }
}

/// Records the pages put into a sink, for the sitemap.
struct Recording<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<String>>,
    /// The one file to render (`render_one`); every file when `None`.
    only: Option<&'a str>,
}

impl Recording<'_> {
    /// Whether the file at `path` is to be rendered.
    fn wants(&self, path: &str) -> bool {
        self.only.is_none_or(|o| o == path)
    }

    /// Whether any file under the folder `dir` (ending in `/`) is to be rendered.
    fn wants_under(&self, dir: &str) -> bool {
        self.only.is_none_or(|o| o.starts_with(dir))
    }

    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), RenderError> {
        self.inner
            .put_pieces(path, pieces)
            .map_err(|message| RenderError { message })
    }

    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), RenderError> {
        if path.ends_with(".html") && path != "404.html" {
            self.pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        self.inner
            .put(path, bytes)
            .map_err(|message| RenderError { message })
    }
}

/// The templates, compiled once per build.
pub struct Templates {
    tera: Tera,
    style: String,
    /// The interface strings of each language annalist has, with the chronology's
    /// overrides.
    fr: Strings,
    en: Strings,
    /// True when the templates that show cards (`macros.html` and the lists) are the
    /// built-in ones: each card is then rendered once and pasted into every list.
    cards_built_in: bool,
}

impl Templates {
    /// Compiles the built-in templates with the overrides found in `root/templates`.
    pub fn load(root: &Path) -> Result<Templates, RenderError> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let dir = root.join("templates");
        let mut style = STYLE.to_string();
        let mut cards_built_in = true;
        for (name, text) in sources.iter_mut() {
            let path = dir.join(name.as_str());
            if path.is_file() {
                let own = std::fs::read_to_string(&path).map_err(|e| RenderError {
                    message: format!("{}: {e}", path.display()),
                })?;
                // A copy of the built-in template (the sample's own `templates/`)
                // replaces nothing.
                cards_built_in &= own == *text || !CARD_TEMPLATES.contains(&name.as_str());
                *text = own;
            }
        }
        let style_path = dir.join("style.css");
        if style_path.is_file() {
            style = std::fs::read_to_string(&style_path).map_err(|e| RenderError {
                message: format!("{}: {e}", style_path.display()),
            })?;
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        sources.extend(cards::templates());
        tera.add_raw_templates(sources).map_err(tera_error)?;
        let load = |l: Lang| {
            Strings::load(l.code(), Some(root)).map_err(|message| RenderError { message })
        };
        Ok(Templates {
            tera,
            style,
            fr: load(Lang::Fr)?,
            en: load(Lang::En)?,
            cards_built_in,
        })
    }

    /// The interface strings of `lang`.
    pub fn strings(&self, lang: Lang) -> &Strings {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, RenderError> {
        self.tera
            .render(name, ctx)
            .map(String::into_bytes)
            .map_err(|e| RenderError {
                message: format!("template `{name}`: {}", tera_error(e).message),
            })
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

/// Renders the whole site into memory (tests, tools); `render_into` streams instead.
pub fn render_site(
    index: &Index,
    config: &Config,
    templates: &Templates,
) -> Result<Site, RenderError> {
    let sink = MemorySink::default();
    render_into(index, config, templates, &sink)?;
    Ok(sink.into_site())
}

/// Renders every file of the site into `sink`, pages in parallel. The bytes of each
/// file depend only on the data, never on the order or thread that produced them.
pub fn render_into(
    index: &Index,
    config: &Config,
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    render_with_history(index, config, templates, &History::none(), sink)
}

/// `render_into`, with each event page showing its history from git.
pub fn render_with_history(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    render_selected(index, config, templates, history, None, sink)
}

/// Renders the one file of the site at `path` (`events/x/index.html`), or `None` when
/// the site has no such file: `annalist serve` renders each page when it is asked
/// for. `sitemap.xml`, which lists every page, is only made by `render_into`.
pub fn render_one(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    path: &str,
) -> Result<Option<Vec<u8>>, RenderError> {
    let sink = MemorySink::default();
    render_selected(index, config, templates, history, Some(path), &sink)?;
    Ok(sink.into_site().remove(path))
}

fn render_selected(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    only: Option<&str>,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let langs: Vec<Lang> = config
        .languages
        .iter()
        .filter_map(|c| Lang::from_code(c))
        .collect();
    let default = langs.first().copied().unwrap_or(Lang::Fr);
    let site_base = config.base_url.as_deref();
    let mut pages: Vec<String> = Vec::new();
    if langs.len() <= 1 {
        let tree = Tree {
            lang: default,
            default,
            prefix: "",
            languages: &[],
            site_base,
        };
        pages = render_tree(index, config, templates, history, &tree, only, sink)?;
    } else {
        for &lang in &langs {
            let prefix = format!("{}/", lang.code());
            let tree_only = match only {
                None => None,
                Some(p) => match p.strip_prefix(prefix.as_str()) {
                    Some(rest) => Some(rest),
                    None => continue,
                },
            };
            let tree = Tree {
                lang,
                default,
                prefix: &prefix,
                languages: &langs,
                site_base,
            };
            let sub = Prefixed {
                prefix: &prefix,
                inner: sink,
            };
            let tree_config = in_tree(config, lang, &prefix);
            let tree_pages = render_tree(
                index,
                &tree_config,
                templates,
                history,
                &tree,
                tree_only,
                &sub,
            )?;
            pages.extend(tree_pages.into_iter().map(|p| format!("{prefix}{p}")));
        }
        let in_a_tree = only.is_some_and(|p| {
            langs
                .iter()
                .any(|l| p.starts_with(&format!("{}/", l.code())))
        });
        if !in_a_tree {
            match config.at_root {
                AtRoot::Copy => {
                    // The default language's pages again at the root, for the addresses
                    // of a site that had one language; their canonical links name the
                    // pages of the language's own tree, and the sitemap lists only those.
                    let tree = Tree {
                        lang: default,
                        default,
                        prefix: "",
                        languages: &langs,
                        site_base,
                    };
                    let tree_config = in_tree(config, default, &format!("{}/", default.code()));
                    render_tree(index, &tree_config, templates, history, &tree, only, sink)?;
                }
                AtRoot::Redirect => root_pages(config, templates, &langs, only, sink)?,
            }
        }
    }
    pages.sort();
    // A sitemap lists absolute addresses only: without `base_url` there is none
    // (`check` warns about it).
    if config.base_url.is_some() && only.is_none() {
        sink.put("sitemap.xml", feeds::sitemap(config, pages.iter()))
            .map_err(|message| RenderError { message })?;
    }
    if only.is_none_or(|o| o == "robots.txt") {
        sink.put("robots.txt", feeds::robots(config))
            .map_err(|message| RenderError { message })?;
    }
    Ok(pages.len())
}

/// One tree of the site: every page in one language, under `prefix`.
struct Tree<'a> {
    lang: Lang,
    /// The site's default language.
    default: Lang,
    /// Where the tree stands from the site root: `""`, or `"fr/"` when the site has
    /// several languages.
    prefix: &'a str,
    /// The site's languages when it has several (for the switcher and `hreflang`);
    /// empty when it has one.
    languages: &'a [Lang],
    /// The site's address, for absolute `hreflang` links.
    site_base: Option<&'a str>,
}

/// The settings as the tree of `lang` under `prefix` sees them: the title in its
/// language, and its absolute addresses (canonical links, feeds, JSON-LD) under
/// `base_url` + `prefix`.
fn in_tree(config: &Config, lang: Lang, prefix: &str) -> Config {
    let mut c = config.in_language(lang.code());
    c.base_url = config.base_url.as_ref().map(|b| format!("{b}{prefix}"));
    c
}

/// Puts the files of one language's tree under its folder.
struct Prefixed<'a> {
    prefix: &'a str,
    inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.inner.put(&format!("{}{path}", self.prefix), bytes)
    }
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
fn root_pages(
    config: &Config,
    templates: &Templates,
    langs: &[Lang],
    only: Option<&str>,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
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
    let pages: Vec<(&str, bool)> = vec![("index.html", false), ("404.html", true)];
    for (path, not_found) in pages {
        if only.is_some_and(|o| o != path) {
            continue;
        }
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
        c.insert("redirect", &format!("{}/index.html", default.code()));
        let canonical = config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}/", default.code()));
        c.insert("canonical", &canonical);
        sink.put(path, templates.render("root.html", &c)?)
            .map_err(|message| RenderError { message })?;
    }
    Ok(())
}

/// Renders the pages, feeds and exports of one language's tree into `sink`, and
/// returns the paths of its pages, for the sitemap.
fn render_tree(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    tree: &Tree,
    only: Option<&str>,
    sink: &dyn Sink,
) -> Result<Vec<String>, RenderError> {
    let lang = tree.lang;
    let strings = templates.strings(lang);
    let ctx = Ctx {
        index,
        lang,
        strings,
        default: tree.default,
        cards: views::CardCache::new(index),
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
    };

    // The main timeline, with its strip of months and its filter.
    let all: Vec<EventIx> = (0..index.events.len()).collect();
    let mut c = Context::new();
    c.insert("filter", &r.filter.scoped("", 2));
    if out.wants("index.html") {
        c.insert("strip", &r.strip(all.iter().rev().copied()));
    }
    r.list_pages("", "timeline.html", &all, c, None)?;

    index.events.par_iter().try_for_each(|e| r.event(e))?;
    // The former addresses of renamed events redirect to their pages (not in the sitemap).
    index.events.par_iter().try_for_each(|e| {
        e.data.aliases.iter().try_for_each(|a| {
            if !out.wants(&views::event_url(&a.value.0)) {
                return Ok(());
            }
            let (path, page) = redirect_page(&ctx, config, e, &a.value.0);
            sink.put(&path, page)
                .map_err(|message| RenderError { message })
        })
    })?;

    // Actors.
    if out.wants("actors/index.html") {
        let actor_links: Vec<(Link, usize, Option<&str>)> = index
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
        let mut c = Context::new();
        c.insert("actors", &actor_links);
        out.put(
            "actors/index.html",
            r.page("actors.html", "actors/index.html", strings.get("actors"), c)?,
        )?;
    }
    index.actors.par_iter().try_for_each(|(_, a)| r.actor(a))?;

    // Locations.
    if out.wants("locations/index.html") {
        let mut c = Context::new();
        c.insert("tree", &views::location_tree(&ctx));
        out.put(
            "locations/index.html",
            r.page(
                "locations.html",
                "locations/index.html",
                strings.get("locations"),
                c,
            )?,
        )?;
    }
    index
        .locations
        .par_iter()
        .try_for_each(|(_, l)| r.location(l))?;
    if out.wants("map/index.html") {
        out.put("map/index.html", r.map_page()?)?;
    }

    // Types, years, tags: an index of terms, and a list per term.
    let lang_code = ctx.code();
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
    r.terms("types", strings.get("types"), &types)?;
    types.par_iter().try_for_each(|(key, label, _)| {
        r.term_list(
            &format!("types/{key}/"),
            label,
            &index.by_type[key.as_str()],
            &format!("t:{key}"),
        )
    })?;
    let years: Vec<(String, String, usize)> = index
        .by_year
        .iter()
        .rev()
        .map(|(y, v)| (y.to_string(), y.to_string(), v.len()))
        .collect();
    r.terms("years", strings.get("years"), &years)?;
    index.by_year.par_iter().try_for_each(|(y, ixs)| {
        r.term_list(
            &format!("years/{y}/"),
            &y.to_string(),
            ixs,
            &format!("y:{y}"),
        )
    })?;
    let tags: Vec<(String, String, usize)> = index
        .by_tag
        .iter()
        .map(|(t, v)| (t.to_string(), t.to_string(), v.len()))
        .collect();
    r.terms("tags", strings.get("tags"), &tags)?;
    index
        .by_tag
        .par_iter()
        .try_for_each(|(t, ixs)| r.term_list(&format!("tags/{t}/"), t, ixs, &format!("g:{t}")))?;

    // The lists are done: their cards are not needed any more.
    r.cards = cards::CardHtml::new(0, templates);
    ctx.cards.clear();

    if out.wants("404.html") {
        out.put(
            "404.html",
            r.page(
                "404.html",
                "404.html",
                strings.get("not_found_title"),
                Context::new(),
            )?,
        )?;
    }
    if out.wants("style.css") {
        out.put("style.css", templates.style.clone().into_bytes())?;
    }
    if out.wants("filter.js") {
        out.put("filter.js", FILTER_JS.as_bytes().to_vec())?;
    }

    // Feeds, exports, and the files for crawlers.
    let entries = feeds::Entries::new(index.events.len());
    let all_feed = feeds::Feed {
        path: "atom.xml".into(),
        title: config.title.clone(),
        page: "index.html".into(),
        events: all,
    };
    if out.wants("atom.xml") {
        out.put("atom.xml", feeds::atom(&ctx, config, &all_feed, &entries))?;
    }
    index.actors.par_iter().try_for_each(|(_, a)| {
        if !out.wants(&format!("actors/{}/atom.xml", a.id)) {
            return Ok(());
        }
        let ixs: Vec<EventIx> = index
            .by_actor
            .get(a.id.as_str())
            .map(|v| v.iter().map(|(i, _)| *i).collect())
            .unwrap_or_default();
        let feed = feeds::Feed {
            path: format!("actors/{}/atom.xml", a.id),
            title: format!("{} — {}", config.title, ctx.actor_name(a).text),
            page: format!("actors/{}/index.html", a.id),
            events: ixs,
        };
        out.put(&feed.path, feeds::atom(&ctx, config, &feed, &entries))
    })?;
    index.locations.par_iter().try_for_each(|(_, l)| {
        if !out.wants(&format!("locations/{}/atom.xml", l.id)) {
            return Ok(());
        }
        let feed = feeds::Feed {
            path: format!("locations/{}/atom.xml", l.id),
            title: format!("{} — {}", config.title, ctx.name(&l.data.name).text),
            page: format!("locations/{}/index.html", l.id),
            events: index
                .by_location
                .get(l.id.as_str())
                .cloned()
                .unwrap_or_default(),
        };
        out.put(&feed.path, feeds::atom(&ctx, config, &feed, &entries))
    })?;
    if out.wants("data/events.json") {
        out.put_pieces("data/events.json", &mut export::json_pieces(&ctx, config))?;
    }
    if out.wants("data/events.csv") {
        out.put_pieces("data/events.csv", &mut export::csv_pieces(&ctx))?;
    }
    if out.wants("data/search.json") {
        out.put("data/search.json", search::index_json(&ctx))?;
    }
    let pages = std::mem::take(&mut *out.pages.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(pages)
}

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
}

impl Renderer<'_> {
    /// Renders `template` as the page at `path`, with what every page needs.
    fn page(
        &self,
        template: &str,
        path: &str,
        title: &str,
        mut c: Context,
    ) -> Result<Vec<u8>, RenderError> {
        let root = root_of(path);
        // The site root: one more folder up from a language's tree.
        let site_root = if self.tree.prefix.is_empty() {
            root.clone()
        } else {
            format!("{root}../")
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
        let canonical = self
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{}", pretty(path)));
        c.insert("canonical", &canonical);
        self.templates.render(template, &c)
    }

    /// A paginated list of events under `dir` (`""` for the main timeline), newest
    /// first and grouped by year and month, with `extra` in every page's context.
    fn list_pages(
        &self,
        dir: &str,
        template: &str,
        ixs: &[EventIx],
        extra: Context,
        title: Option<&str>,
    ) -> Result<(), RenderError> {
        let newest: Vec<EventIx> = ixs.iter().rev().copied().collect();
        let title = title.unwrap_or(self.strings.get("timeline"));
        let item = |&ix: &EventIx| (ix, Extras::default());
        self.paginate(dir, template, &newest, item, extra, None, title, "h4")
    }

    /// Renders `items` (newest first) as pages of `per_page` events under `dir`:
    /// `dir/index.html`, then `dir/page/N/index.html`, each grouped by year and month,
    /// in parallel. No page grows with the size of the chronology. `item` says which
    /// event each item is and what the list adds to its card; cards have headings
    /// `heading` (`h4` under months of `h3`, `h5` under `h4`).
    #[allow(clippy::too_many_arguments)]
    fn paginate<T: Sync>(
        &self,
        dir: &str,
        template: &str,
        items: &[T],
        item: impl Fn(&T) -> (EventIx, Extras) + Sync,
        extra: Context,
        feed: Option<&str>,
        title: &str,
        heading: &str,
    ) -> Result<(), RenderError> {
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
        let count = self.strings.count(items.len(), self.ctx.lang);
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
            let cards =
                self.cards
                    .list(self.ctx, self.templates, items, &root_of(&path), heading)?;
            let mut c = extra.clone();
            c.insert(
                "years",
                &views::group(self.ctx, events.into_iter().zip(cards).collect()),
            );
            c.insert("count", &count);
            if let Some(f) = feed {
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
            self.out.put(&path, self.page(template, &path, title, c)?)
        })
    }

    fn event(&self, e: &crate::load::Event) -> Result<(), RenderError> {
        let path = views::event_url(&e.id);
        if !self.out.wants(&path) {
            return Ok(());
        }
        let mut view = views::event_page(self.ctx, e);
        view.history = self
            .history
            .of(&e.id)
            .and_then(|h| views::history_view(self.ctx, h));
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

    fn actor(&self, a: &crate::load::Actor) -> Result<(), RenderError> {
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
            c.insert("strip", &self.strip(list.iter().map(|(ix, _)| *ix)));
        }
        let dir = format!("actors/{}/", a.id);
        let feed = format!("{dir}atom.xml");
        let item =
            |(ix, inv): &(EventIx, crate::index::Involvement)| (*ix, Extras::of(self.ctx, inv));
        self.paginate(
            &dir,
            "actor.html",
            &list,
            item,
            c,
            Some(&feed),
            &title,
            "h5",
        )
    }

    fn location(&self, l: &crate::load::Location) -> Result<(), RenderError> {
        if !self.out.wants_under(&format!("locations/{}/", l.id)) {
            return Ok(());
        }
        let mut ixs = self
            .ctx
            .index
            .by_location
            .get(l.id.as_str())
            .cloned()
            .unwrap_or_default();
        ixs.reverse();
        let view = views::location_page(self.ctx, l);
        let mut c = Context::new();
        let title = view.name.text.clone();
        c.insert("l", &view);
        c.insert("filter", &self.filter.scoped(&format!("l:{}", l.id), 3));
        if self.out.wants(&format!("locations/{}/index.html", l.id)) {
            c.insert("strip", &self.strip(ixs.iter().copied()));
            c.insert("map", &self.location_map(l));
        }
        let dir = format!("locations/{}/", l.id);
        let feed = format!("{dir}atom.xml");
        let item = |&ix: &EventIx| (ix, Extras::default());
        self.paginate(
            &dir,
            "location.html",
            &ixs,
            item,
            c,
            Some(&feed),
            &title,
            "h5",
        )
    }

    fn terms(
        &self,
        dir: &str,
        title: &str,
        terms: &[(String, String, usize)],
    ) -> Result<(), RenderError> {
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

    fn term_list(
        &self,
        dir: &str,
        title: &str,
        ixs: &[EventIx],
        scope: &str,
    ) -> Result<(), RenderError> {
        if !self.out.wants_under(dir) {
            return Ok(());
        }
        let mut c = Context::new();
        c.insert("heading", title);
        c.insert("filter", &self.filter.scoped(scope, 2));
        self.list_pages(dir, "list.html", ixs, c, Some(title))
    }
}

impl Renderer<'_> {
    /// The strip of months of a list (newest first), as its first page shows it, with
    /// each month linked to the page of the list where it stands.
    fn strip(&self, newest_first: impl Iterator<Item = EventIx>) -> Option<String> {
        let per_page = self.config.per_page.max(1);
        let placed: Vec<svg::Placed> = newest_first
            .enumerate()
            .map(|(i, ix)| {
                svg::Placed::of(&self.ctx.index.events[ix].data.date.value, i / per_page + 1)
            })
            .collect();
        svg::strip(self.ctx, &placed)
    }

    /// A place of the map, linked from the page at `from`.
    fn map_point(&self, l: &crate::load::Location, from: &str) -> Option<svg::MapPoint> {
        let c = l.data.coordinates?;
        Some(svg::MapPoint {
            name: self.ctx.name(&l.data.name),
            lat: c.lat.0,
            lon: c.lon.0,
            count: self.ctx.index.events_at(&l.id),
            href: relative(from, &format!("locations/{}/index.html", l.id)),
        })
    }

    /// The country of Natural Earth a place of kind `country` stands for, by any of
    /// its names.
    fn country(&self, l: &crate::load::Location) -> Option<&'static geo::Country> {
        if l.data.kind != crate::model::LocationKind::Country {
            return None;
        }
        l.data
            .name
            .all()
            .into_iter()
            .chain(l.data.aliases.iter().map(|a| a.0.as_str()))
            .find_map(geo::find)
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

    /// `map/index.html`: every place with coordinates, and the list of those without.
    fn map_page(&self) -> Result<Vec<u8>, RenderError> {
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
        placed.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.name.cmp(&b.0.name)));
        let mut c = Context::new();
        c.insert("map", &svg::map(self.ctx, &points, &focus, true, false));
        c.insert("placed", &placed);
        c.insert("unplaced", &unplaced);
        self.page("map.html", path, self.strings.get("map"), c)
    }
}

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
    let lang_attr = title
        .lang
        .as_ref()
        .map(|l| format!(" lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
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

/// Escapes what HTML needs escaped in text and quoted attributes, and nothing else
/// (Tera's default also escapes `/`, which only bloats every link).
pub fn escape_html(s: &str) -> String {
    // Tera calls this for every value a page shows.
    replace_ascii(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    })
}

/// `s` with each ASCII byte for which `replace` gives a text replaced by it, copying
/// the runs between them whole rather than character by character: the loop of
/// `escape_html` and `feeds::xml_escape`. Bytes past ASCII are never offered, so a
/// replacement always falls on a character boundary.
pub(crate) fn replace_ascii(s: &str, replace: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let Some(with) = (if b.is_ascii() { replace(b) } else { None }) else {
            continue;
        };
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// The pretty form of a page path for absolute URLs: `events/x/` for `events/x/index.html`.
pub fn pretty(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

/// The relative link from the page at `path` to the root of its tree: `../../` from
/// `page/2/index.html`.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The link from the page at `from` to the page at `to`, both relative to the site root.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        assert_eq!(
            relative("index.html", "page/2/index.html"),
            "page/2/index.html"
        );
        assert_eq!(
            relative("page/2/index.html", "index.html"),
            "../../index.html"
        );
        assert_eq!(pretty("events/x/index.html"), "events/x/");
        assert_eq!(pretty("index.html"), "");
    }

    #[test]
    fn escaping_copies_what_needs_no_escape_whole() {
        // The character-by-character form it replaces.
        let reference = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        for s in [
            "",
            "plain",
            "<a href=\"x\">l'été & co</a>",
            "&&",
            "Ségou — «\u{E000}r» ⟨𝄞⟩ >",
            "\u{1}\t\n<",
        ] {
            assert_eq!(escape_html(s), reference(s), "{s:?}");
        }
        let xml = feeds::xml_escape("a\u{1}<é>\t'\"&\u{1f}\n\r𝄞");
        assert_eq!(xml, "a&lt;é&gt;\t&apos;&quot;&amp;\n\r𝄞");
    }
}
