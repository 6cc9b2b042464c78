//! Rendering: turns the index into the site's files, in memory. Pages go through Tera
//! templates (built in, overridable by name from the chronology's `templates/`);
//! feeds, the sitemap and the data exports are written by code.

pub mod cards;
pub mod export;
pub mod feeds;
/// The outlines moved out of rendering so that `check` can use them.
pub use crate::geo;
pub mod html;
pub mod i18n;
pub mod markdown;
mod own;
mod pages;
pub mod search;
pub mod sink;
pub mod svg;
pub mod templates;
pub mod views;

pub use html::{escape_html, pretty, relative};
pub use sink::{MemorySink, Sink};
pub use templates::Templates;

use crate::config::{AtRoot, Config};
use crate::error::Error;
use crate::history::History;
use crate::index::Index;
use crate::lang::Lang;
use crate::write::Site;
use pages::{Tree, render_tree, root_pages};
use sink::Prefixed;

/// Renders the whole site into memory (tests, tools); `render_into` streams instead.
pub fn render_site(index: &Index, config: &Config, templates: &Templates) -> Result<Site, Error> {
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
) -> Result<usize, Error> {
    render_with_history(index, config, templates, &History::none(), sink)
}

/// `render_into`, with each event page showing its history from git.
pub fn render_with_history(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    sink: &dyn Sink,
) -> Result<usize, Error> {
    render_selected(index, config, templates, history, None, None, sink)
}

/// The sizes of each language tree's data exports, measured once for a built
/// chronology: every page's footer gives them, and `annalist serve` renders pages one
/// at a time, which would otherwise serialise the exports again for each.
#[derive(Debug, Default)]
pub struct DataSizes(
    std::sync::Mutex<std::collections::BTreeMap<String, Vec<(&'static str, u64)>>>,
);

/// Renders the one file of the site at `path` (`events/x/index.html`), or `None` when
/// the site has no such file: `annalist serve` renders each page when it is asked
/// for. `sitemap.xml`, which lists every page, is only made by `render_into`.
pub fn render_one(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    path: &str,
    sizes: &DataSizes,
) -> Result<Option<Vec<u8>>, Error> {
    Ok(render_in_memory(index, config, templates, history, path, sizes)?.remove(path))
}

/// Every file under the folder `dir` (ending in `/`, from the site's root), by path:
/// for `annalist serve`, which asks for the small files of the search index one by
/// one, while they are made together.
pub fn render_folder(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    dir: &str,
    sizes: &DataSizes,
) -> Result<Site, Error> {
    render_in_memory(index, config, templates, history, dir, sizes)
}

/// The files `only` selects (a file, or a folder ending in `/`), in memory.
fn render_in_memory(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    only: &str,
    sizes: &DataSizes,
) -> Result<Site, Error> {
    let sink = MemorySink::default();
    render_selected(
        index,
        config,
        templates,
        history,
        Some(only),
        Some(sizes),
        &sink,
    )?;
    Ok(sink.into_site())
}

fn render_selected(
    index: &Index,
    config: &Config,
    templates: &Templates,
    history: &History,
    only: Option<&str>,
    sizes: Option<&DataSizes>,
    sink: &dyn Sink,
) -> Result<usize, Error> {
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
        pages = render_tree(
            index,
            config,
            templates,
            history,
            &tree,
            pages::Select { only, sizes },
            sink,
        )?;
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
                pages::Select {
                    only: tree_only,
                    sizes,
                },
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
                    render_tree(
                        index,
                        &tree_config,
                        templates,
                        history,
                        &tree,
                        pages::Select { only, sizes },
                        sink,
                    )?;
                }
                AtRoot::Redirect => root_pages(config, templates, &langs, only, sink)?,
            }
        }
    }
    pages.sort();
    // A sitemap lists absolute addresses only: without `base_url` there is none
    // (`check` warns about it).
    if config.base_url.is_some() && only.is_none() {
        sink.put("sitemap.xml", feeds::sitemap(config, pages.iter()))?;
    }
    if only.is_none_or(|o| o == "robots.txt") {
        sink.put("robots.txt", feeds::robots(config))?;
    }
    Ok(pages.len())
}

/// The settings as the tree of `lang` under `prefix` sees them: the title in its
/// language, and its absolute addresses (canonical links, feeds, JSON-LD) under
/// `base_url` + `prefix`.
fn in_tree(config: &Config, lang: Lang, prefix: &str) -> Config {
    let mut c = config.in_language(lang.code());
    c.base_url = config.base_url.as_ref().map(|b| format!("{b}{prefix}"));
    c
}
