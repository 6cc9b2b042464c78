//! The Tera templates and the interface strings, compiled once per build: built in,
//! each replaceable by a file of the same name in the chronology's `templates/`.

use super::html::escape_html;
use super::i18n::Strings;
use crate::error::Error;
use crate::lang::Lang;
use std::path::Path;
use tera::{Context, Tera};

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
    (
        "methodology.html",
        include_str!("../../templates/methodology.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("root.html", include_str!("../../templates/root.html")),
];

/// The template that renders a batch of cards for `cards`, each followed by
/// `CARD_END`.
pub const CARD_BATCH: &str = "annalist-cards.html";
/// The template that renders one card as a list shows it.
pub const CARD_ONE: &str = "annalist-card.html";

/// The two internal templates of `cards`: the `card` macro of `macros.html` (built in or
/// replaced), called as the `timeline` macro used to call it.
fn card_templates() -> [(String, String); 2] {
    [
        (
            CARD_BATCH.to_string(),
            format!(
                "{{% import \"macros.html\" as m %}}{{% for e in cards %}}{{{{ m::card(e=e, root=root, t=t, heading=heading) }}}}{CARD_END}{{% endfor %}}"
            ),
        ),
        (
            CARD_ONE.to_string(),
            "{% import \"macros.html\" as m %}{{ m::card(e=e, root=root, t=t, heading=heading) }}"
                .to_string(),
        ),
    ]
}

/// Ends each card of a batch: a token of `cards` (its mark, then `e`).
pub const CARD_END: &str = "\u{E000}e";

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
pub(crate) const FILTER_JS: &str = include_str!("../../assets/filter.js");

/// The script of the month strip (`strip.js` in the site), loaded with `defer` by the
/// pages that show one: the arrow keys move among the bars, which cost one Tab press.
pub(crate) const STRIP_JS: &str = include_str!("../../assets/strip.js");
/// The script of the map page (`map.js` in the site): zoom and pan, the places
/// regrouped at every zoom. Loaded with `defer` by that page only.
pub(crate) const MAP_JS: &str = include_str!("../../assets/map.js");

/// The site's icon (`favicon.svg` at each tree's root), linked from every page so that
/// browsers do not ask for a missing `/favicon.ico`: three bars of the month strip, in
/// the link colour, with nothing to fetch.
pub(crate) const FAVICON_SVG: &str = include_str!("../../assets/favicon.svg");

pub(crate) fn tera_error(e: tera::Error) -> Error {
    // Tera nests the useful part in its sources; show the whole chain once.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::new(message)
}

/// The templates, compiled once per build.
pub struct Templates {
    tera: Tera,
    pub(crate) style: String,
    /// The interface strings of each language annalist has, with the chronology's
    /// overrides.
    fr: Strings,
    en: Strings,
    /// True when the templates that show cards (`macros.html` and the lists) are the
    /// built-in ones: each card is then rendered once and pasted into every list.
    pub(crate) cards_built_in: bool,
}

impl Templates {
    /// Compiles the built-in templates with the overrides found in `root/templates`.
    pub fn load(root: &Path) -> Result<Templates, Error> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut style = STYLE.to_string();
        let mut cards_built_in = true;
        for (name, text) in sources.iter_mut() {
            if let Some(own) = super::own::read(root, name)? {
                // A copy of the built-in template (the sample's own `templates/`)
                // replaces nothing.
                cards_built_in &= own == *text || !CARD_TEMPLATES.contains(&name.as_str());
                *text = own;
            }
        }
        if let Some(own) = super::own::read(root, "style.css")? {
            style = own;
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        sources.extend(card_templates());
        tera.add_raw_templates(sources).map_err(tera_error)?;
        let load = |l: Lang| Strings::load(l.code(), Some(root));
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

    pub(crate) fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, Error> {
        self.tera
            .render(name, ctx)
            .map(String::into_bytes)
            .map_err(|e| Error::new(format!("template `{name}`: {}", tera_error(e).message)))
    }
}
