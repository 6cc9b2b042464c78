//! The chronology's settings, `annalist.yaml` at its root: the site's title, language
//! and address. Every field has a default, so a folder of events is enough to start.

use crate::diag::Diagnostic;
use crate::model::NonEmpty;
use crate::span::{self, Known, Scalar};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name of the settings file at the chronology root.
pub const FILE: &str = "annalist.yaml";

/// The settings `annalist.yaml` may hold.
const SETTINGS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "at_root",
    "per_page",
    "author",
    "history",
    "remote_images",
];

/// The keys of the `history:` setting.
const HISTORY_SETTINGS: &[&str] = &["language", "subjects"];

/// The ISO 639-1 language codes, the only ones `history: {language: ..}` takes: a
/// `lang` attribute with a code no reader knows would be as wrong as none.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Settings as written in `annalist.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: Option<crate::model::Text>,
    description: Option<crate::model::Text>,
    base_url: Option<BaseUrl>,
    language: Option<span::Spanned<SiteLanguage>>,
    languages: Option<Vec<span::Spanned<SiteLanguage>>>,
    at_root: Option<AtRootSetting>,
    per_page: Option<PerPage>,
    author: Option<NonEmpty>,
    history: Option<HistoryFile>,
    remote_images: Option<bool>,
}

/// `history:` as written: the language of the commit subjects, or whether to show them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryFile {
    language: Option<SubjectLanguage>,
    subjects: Option<bool>,
}

/// How event pages show the subjects of the commits that changed their file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Subjects {
    /// Shown, marked `lang=""`: HTML's "language unknown". annalist cannot tell what
    /// language editors write commits in (most repositories write them in English
    /// whatever the site's language), and a page in French must not claim they are
    /// French, nor guess they are English.
    #[default]
    Unknown,
    /// Shown, marked with this ISO 639-1 code where it is not the page's language.
    In(String),
    /// Left out: the list gives the dates of the revisions only.
    Hidden,
}
/// What the site root holds when the site has several languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AtRoot {
    /// A small page sending readers to the default language (`fr/`), with a link to
    /// every language: one address per page, nothing published twice.
    #[default]
    Redirect,
    /// A full copy of the default language's tree, so that addresses of a site that
    /// was monolingual before keep working; its canonical links name the `fr/` pages.
    Copy,
}

/// The settings the rest of annalist reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    /// Absolute address of the published site, ending in `/`; used only where an
    /// absolute URL is required (feeds, sitemap, canonical links).
    pub base_url: Option<String>,
    /// The default language: of the interface, of texts written without a language,
    /// and of the site root.
    pub language: String,
    /// Every language of the site, the default first. With one language the site is
    /// one tree at the root; with several, one tree per language (`fr/`, `en/`).
    pub languages: Vec<String>,
    /// What the root holds when there are several languages.
    pub at_root: AtRoot,
    /// Events per page on the main timeline and the list pages.
    pub per_page: usize,
    /// Who publishes the chronology, for feeds.
    pub author: Option<String>,
    /// How the revision lists of event pages show commit subjects (`history:`).
    pub subjects: Subjects,
    /// Whether images of bodies may be loaded from another site (`remote_images:
    /// true`); by default they are links, so that reading a page contacts no other
    /// site.
    pub remote_images: bool,
    /// The title and description as written, in one language or several; `title`
    /// and `description` above are their versions in the language being rendered.
    pub title_text: Option<crate::model::Text>,
    pub description_text: Option<crate::model::Text>,
}

impl Config {
    /// The settings as the pages in `lang` see them: the title and description in
    /// that language, else in the default one.
    pub fn in_language(&self, lang: &str) -> Config {
        let pick = |t: &crate::model::Text| -> String {
            match t {
                crate::model::Text::Plain(s) => s.clone(),
                crate::model::Text::Translated(m) => m
                    .get(lang)
                    .or_else(|| m.get(&self.language))
                    .or_else(|| m.values().next())
                    .cloned()
                    .unwrap_or_default(),
            }
        };
        Config {
            title: self
                .title_text
                .as_ref()
                .map(pick)
                .unwrap_or_else(|| self.title.clone()),
            description: self
                .description_text
                .as_ref()
                .map(pick)
                .or_else(|| self.description.clone()),
            ..self.clone()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Chronologie".into(),
            description: None,
            base_url: None,
            language: "fr".into(),
            languages: vec!["fr".into()],
            at_root: AtRoot::Redirect,
            per_page: 50,
            author: None,
            subjects: Subjects::Unknown,
            remote_images: false,
            title_text: None,
            description_text: None,
        }
    }
}

/// Reads `ROOT/annalist.yaml`, or the defaults when there is none.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let shown = PathBuf::from(FILE);
    // A link is refused, not followed: its target's lines would show in the errors.
    let Some(bytes) = crate::load::read_optional(&path, &shown).map_err(|d| vec![d])? else {
        return Ok(Config::default());
    };
    let text = crate::load::decode(&bytes, &shown).map_err(|d| vec![d])?;
    parse(&text, &shown)
}

/// Parses the settings text.
pub fn parse(text: &str, shown: &Path) -> Result<Config, Vec<Diagnostic>> {
    let known = Arc::new(Known::default());
    let (result, problems) =
        span::with_context(&known, "", || serde_yaml::from_str::<ConfigFile>(text));
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            let pos = p.pos.unwrap_or_default();
            Diagnostic::error(shown, p.message)
                .at(pos.line.max(1), pos.column.max(1))
                .with_help(p.help)
        })
        .collect();
    let languages = match &result {
        Ok(f) => languages(f, shown, &mut diags),
        Err(_) => Vec::new(),
    };
    match result {
        Ok(f) if diags.is_empty() => {
            let d = Config::default();
            let language = languages.first().cloned().unwrap_or(d.language.clone());
            let config = Config {
                title: d.title.clone(),
                description: None,
                title_text: f.title,
                description_text: f.description,
                base_url: f.base_url.map(|u| u.0),
                language: language.clone(),
                languages,
                at_root: f.at_root.map(|a| a.0).unwrap_or_default(),
                per_page: f.per_page.map(|p| p.0).unwrap_or(d.per_page),
                author: f.author.map(|a| a.0),
                subjects: match f.history {
                    None => Subjects::Unknown,
                    Some(HistoryFile {
                        subjects: Some(false),
                        ..
                    }) => Subjects::Hidden,
                    Some(HistoryFile {
                        language: Some(l), ..
                    }) => Subjects::In(l.0),
                    Some(_) => Subjects::Unknown,
                },
                remote_images: f.remote_images.unwrap_or(false),
            };
            Ok(config.in_language(&language))
        }
        Ok(_) => Err(diags),
        Err(e) => {
            let mut d = Diagnostic::error(shown, span::message_of(&e));
            if let Some(l) = e.location() {
                d = d.at(l.line(), l.column());
            }
            // serde_yaml prefixes the path of a nested key: `history: unknown field ..`.
            let unknown = d
                .message
                .split_once("unknown field `")
                .map(|(_, rest)| rest.to_string());
            if let Some(rest) = unknown.as_deref() {
                let field = rest.split('`').next().unwrap_or("").to_string();
                // serde names the keys it expected: those of `history:` for a key in it.
                let in_history = rest.contains("`subjects`");
                d.message = if in_history {
                    format!("unknown key `{field}` in `history`")
                } else {
                    format!("unknown setting `{field}`")
                };
                d.help = Some(if in_history {
                    format!(
                        "`history` takes {}: `history: {{language: en}}` (the language commit subjects are written in) or `history: {{subjects: false}}` (leave them out)",
                        HISTORY_SETTINGS.join(" and ")
                    )
                } else {
                    match crate::model::did_you_mean(&field, SETTINGS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the settings are: {}", SETTINGS.join(", ")),
                    }
                });
            }
            diags.push(d);
            Err(diags)
        }
    }
}

/// The site's languages, the default first: `languages` as written (in that order,
/// after the default), or the one `language`. Problems go to `diags`.
fn languages(f: &ConfigFile, shown: &Path, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let Some(list) = &f.languages else {
        let one = f.language.as_ref().map_or("fr", |l| l.value.0.as_str());
        return vec![one.to_string()];
    };
    let mut out: Vec<String> = Vec::new();
    for l in list {
        if out.contains(&l.value.0) {
            diags.push(
                Diagnostic::error(
                    shown,
                    format!("`{}` is listed twice in `languages`", l.value.0),
                )
                .at(l.pos.line.max(1), l.pos.column.max(1))
                .with_help(Some("list each language once".into())),
            );
        } else {
            out.push(l.value.0.clone());
        }
    }
    if out.is_empty() {
        diags.push(
            Diagnostic::error(shown, "`languages` lists no language").with_help(Some(
                "write the site's languages, such as `languages: [fr, en]`".into(),
            )),
        );
        return vec!["fr".into()];
    }
    if let Some(default) = &f.language {
        match out.iter().position(|l| *l == default.value.0) {
            Some(i) => {
                let d = out.remove(i);
                out.insert(0, d);
            }
            None => diags.push(
                Diagnostic::error(
                    shown,
                    format!(
                        "the default language `{}` is not in `languages`",
                        default.value.0
                    ),
                )
                .at(default.pos.line.max(1), default.pos.column.max(1))
                .with_help(Some(format!(
                    "add it: `languages: [{}, {}]`",
                    default.value.0,
                    out.join(", ")
                ))),
            ),
        }
    }
    out
}

#[derive(Debug, Clone)]
struct AtRootSetting(AtRoot);

impl Scalar for AtRootSetting {
    const EXPECTING: &'static str = "`redirect` or `copy`";
    fn from_scalar(text: &str) -> Result<Self, span::Problem> {
        match text.trim() {
            "redirect" => Ok(AtRootSetting(AtRoot::Redirect)),
            "copy" => Ok(AtRootSetting(AtRoot::Copy)),
            other => Err(span::Problem::error(format!(
                "`{other}` is not a choice for the site root"
            ))
            .help("write `redirect` (the root sends readers to the default language) or `copy` (the root holds the default language's pages too)")),
        }
    }
    fn placeholder() -> Self {
        AtRootSetting(AtRoot::Redirect)
    }
}

impl<'de> Deserialize<'de> for AtRootSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

#[derive(Debug, Clone)]
struct BaseUrl(String);

impl Scalar for BaseUrl {
    const EXPECTING: &'static str = "the site's address, such as https://example.org/chronology/";
    fn from_scalar(text: &str) -> Result<Self, span::Problem> {
        let t = text.trim();
        let ok =
            (t.starts_with("https://") || t.starts_with("http://")) && t.len() > "https://".len();
        if !ok || t.contains(char::is_whitespace) {
            return Err(span::Problem::error(format!("`{t}` is not an absolute web address"))
                .help("write the full address where the site is published, such as https://example.org/chronology/"));
        }
        let mut u = t.to_string();
        if !u.ends_with('/') {
            u.push('/');
        }
        Ok(BaseUrl(u))
    }
    fn placeholder() -> Self {
        BaseUrl(String::new())
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

#[derive(Debug, Clone)]
struct SiteLanguage(String);

impl Scalar for SiteLanguage {
    const EXPECTING: &'static str = "`fr` or `en`";
    fn from_scalar(text: &str) -> Result<Self, span::Problem> {
        match text.trim() {
            l @ ("fr" | "en") => Ok(SiteLanguage(l.to_string())),
            other => Err(span::Problem::error(format!(
                "annalist has no interface in `{other}` yet"
            ))
            .help("use `fr` or `en`")),
        }
    }
    fn placeholder() -> Self {
        SiteLanguage("fr".into())
    }
}

impl<'de> Deserialize<'de> for SiteLanguage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

/// The language commit subjects are written in, an ISO 639-1 code.
#[derive(Debug, Clone)]
struct SubjectLanguage(String);

impl Scalar for SubjectLanguage {
    const EXPECTING: &'static str = "a language code such as `en` or `fr`";
    fn from_scalar(text: &str) -> Result<Self, span::Problem> {
        let t = text.trim();
        if ISO_639_1.split(' ').any(|c| c == t) {
            return Ok(SubjectLanguage(t.to_string()));
        }
        let lower = t.to_lowercase();
        let help = if ISO_639_1.split(' ').any(|c| c == lower) {
            format!("write it in lowercase: `{lower}`")
        } else {
            "write the two-letter ISO 639-1 code of the language the commit subjects are written in, such as `en` or `fr`, or `subjects: false` to leave them out".to_string()
        };
        Err(span::Problem::error(format!("`{t}` is not an ISO 639-1 language code")).help(help))
    }
    fn placeholder() -> Self {
        SubjectLanguage("en".into())
    }
}

impl<'de> Deserialize<'de> for SubjectLanguage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

#[derive(Debug, Clone)]
struct PerPage(usize);

impl Scalar for PerPage {
    const EXPECTING: &'static str = "a number of events per page";
    fn from_scalar(text: &str) -> Result<Self, span::Problem> {
        match text.trim().parse::<usize>() {
            Ok(n) if (5..=1000).contains(&n) => Ok(PerPage(n)),
            _ => Err(
                span::Problem::error(format!("`{text}` is not a usable page size"))
                    .help("write a number from 5 to 1000"),
            ),
        }
    }
    fn placeholder() -> Self {
        PerPage(50)
    }
}

impl<'de> Deserialize<'de> for PerPage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linked `annalist.yaml` is refused before it is read: a parse error would
    /// otherwise print a line of its target (a secret, `/etc/shadow`).
    #[cfg(unix)]
    #[test]
    fn a_linked_settings_file_is_refused_unread() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret"), "root:hunter2:19000\n").expect("write");
        std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join(FILE))
            .expect("symlink");
        let diags = load(root.path()).expect_err("refused");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file, Path::new(FILE));
        assert!(diags[0].message.contains("symbolic link"), "{diags:?}");
        assert!(diags[0].line.is_none());
        assert!(!format!("{diags:?}").contains("hunter2"));
    }

    #[test]
    fn settings_parse_with_defaults() {
        let c = parse(
            "title: Mali\nbase_url: https://example.org/x\n",
            Path::new(FILE),
        )
        .expect("ok");
        assert_eq!(c.title, "Mali");
        assert_eq!(c.base_url.as_deref(), Some("https://example.org/x/"));
        assert_eq!(c.language, "fr");
    }

    #[test]
    fn commit_subjects_are_of_unknown_language_unless_said() {
        let c = parse("title: Mali\n", Path::new(FILE)).expect("ok");
        assert_eq!(c.subjects, Subjects::Unknown);
        assert!(!c.remote_images);
        let c = parse("history: {language: en}\n", Path::new(FILE)).expect("ok");
        assert_eq!(c.subjects, Subjects::In("en".into()));
        let c = parse("history: {subjects: false}\n", Path::new(FILE)).expect("ok");
        assert_eq!(c.subjects, Subjects::Hidden);
        let c = parse("remote_images: true\n", Path::new(FILE)).expect("ok");
        assert!(c.remote_images);
    }

    #[test]
    fn an_unknown_subject_language_is_refused_where_it_is_written() {
        let ds = parse(
            "title: Mali\nhistory:\n  language: english\n",
            Path::new(FILE),
        )
        .expect_err("bad");
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!((ds[0].line, ds[0].column), (Some(3), Some(13)));
        assert!(
            ds[0].message.contains("`english` is not an ISO 639-1"),
            "{ds:?}"
        );
        let ds = parse("history: {language: EN}\n", Path::new(FILE)).expect_err("bad");
        assert!(
            ds[0].help.as_deref().is_some_and(|h| h.contains("`en`")),
            "{ds:?}"
        );
        let ds = parse("history: {lang: en}\n", Path::new(FILE)).expect_err("bad");
        assert_eq!(ds[0].message, "unknown key `lang` in `history`", "{ds:?}");
    }

    #[test]
    fn bad_settings_point_at_the_value() {
        let ds =
            parse("title: Mali\nlanguage: de\nper_page: 2\n", Path::new(FILE)).expect_err("bad");
        assert_eq!(ds.len(), 2);
        assert_eq!((ds[0].line, ds[0].column), (Some(2), Some(11)));
        assert_eq!((ds[1].line, ds[1].column), (Some(3), Some(11)));
    }
}
