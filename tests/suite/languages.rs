//! A chronology in several languages, built by the real binary: the sample (French
//! and English), and copies of it with some translations removed or other settings.
//!
//! What is checked: every page exists in every language; the switcher and the
//! `hreflang` links of every page lead to the same page in each language; a text
//! missing in a language is shown in another with its `lang` and a note, exactly
//! where it is missing; dates and numbers read as each language writes them; `check`
//! warns about missing translations and sums up each language; the settings are
//! checked.

use crate::site_checks as sc;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn utf8(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// A copy of the sample chronology in a temporary folder, to be edited by a test.
fn sample_copy() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    sc::copy_chronology(sample_root(), dir.path(), false);
    dir
}

/// Builds `root` into `<root>/site` and returns the site folder.
fn build(root: &Path) -> PathBuf {
    let out = root.join("site");
    let run = sc::run(&["build", utf8(root), "--output", utf8(&out)], root);
    assert_eq!(run.code, 0, "build of {root:?} failed:\n{run:#?}");
    out
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Replaces `from` by `to` in the file at `rel`, which must contain it.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

const ATTACK_2025: &str = "events/2025/2025-05-23-djoura-camp-attack.yaml";

/// Removes the English title of the 2025 attack.
fn drop_english_title(root: &Path) {
    edit(
        root,
        ATTACK_2025,
        "  en: JNIM claims the capture of the Malian army camp at Djoura\n",
        "",
    );
}
const EVENT_PAGE: &str = "events/2025-05-23-djoura-camp-attack/index.html";

/// The sample, copied without its git history and built once per run; tests only
/// read it.
fn sample_site() -> PathBuf {
    crate::shared::sample_copy_site().to_path_buf()
}

#[test]
fn every_page_exists_in_every_language() {
    let site = sample_site();
    let fr: Vec<String> = sc::files(&site.join("fr")).into_keys().collect();
    let en: Vec<String> = sc::files(&site.join("en")).into_keys().collect();
    assert!(fr.len() > 50, "{} files", fr.len());
    assert_eq!(fr, en, "the two trees have the same files");
    for page in fr.iter().filter(|p| p.ends_with(".html")) {
        let lang_of = |tree: &str| {
            sc::tags(&read(&site, &format!("{tree}/{page}")))
                .into_iter()
                .find(|t| t.name == "html")
                .and_then(|t| t.attr("lang").map(str::to_string))
        };
        assert_eq!(lang_of("fr").as_deref(), Some("fr"), "fr/{page}");
        assert_eq!(lang_of("en").as_deref(), Some("en"), "en/{page}");
    }
    // Feeds, search index and exports exist per language, in the language.
    for tree in ["fr", "en"] {
        for f in [
            "atom.xml",
            "data/search/index.json",
            "data/events.json",
            "data/events.csv",
        ] {
            assert!(site.join(tree).join(f).is_file(), "{tree}/{f}");
        }
        let feed = read(&site, &format!("{tree}/atom.xml"));
        assert!(
            feed.contains(&format!("xml:lang=\"{tree}\"")),
            "{tree}/atom.xml"
        );
        assert!(sc::check_feed(&feed).is_empty(), "{tree}/atom.xml");
    }
    assert!(read(&site, "en/atom.xml").contains("JNIM claims the capture"));
    assert!(read(&site, "fr/atom.xml").contains("Le JNIM revendique"));
    assert!(read(&site, "en/data/search/c/0.json").contains("JNIM claims the capture"));
    assert!(read(&site, "en/data/events.csv").contains("JNIM claims the capture"));
    assert!(read(&site, "fr/data/events.csv").contains("Le JNIM revendique"));
    // The root sends readers to the default language, and lists both.
    let root = read(&site, "index.html");
    assert!(root.contains("content=\"0; url=fr/index.html\""), "{root}");
    assert!(root.contains("href=\"en/index.html\""), "{root}");
    // Every link of the whole site resolves, the switchers' included.
    let broken = sc::check_links(&site);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_switcher_and_hreflang_lead_to_the_same_page_in_each_language() {
    let site = sample_site();
    let base = "https://annalist.example/mali/";
    let pages = sc::files_ending(&site.join("fr"), ".html");
    for tree in ["fr", "en"] {
        for page in &pages {
            let at = format!("{tree}/{page}");
            let html = read(&site, &at);
            if page.starts_with("events/") && html.contains("http-equiv=\"refresh\"") {
                continue; // the former address of a renamed event: a redirect
            }
            let nav = sc::elements(&html, |t| t.name == "nav" && t.has_class("languages"));
            assert_eq!(nav.len(), 1, "{at}: one language switcher");
            let links: BTreeMap<String, String> = sc::tags(nav[0])
                .into_iter()
                .filter(|t| t.name == "a" && !t.closing)
                .map(|t| {
                    (
                        t.attr("hreflang").unwrap_or("").to_string(),
                        t.attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
            assert_eq!(links.len(), 2, "{at}: {links:?}");
            for (lang, href) in &links {
                let target = format!("{lang}/{page}");
                if page == "404.html" {
                    // Served at any depth, the 404 page links from `base_url`.
                    assert_eq!(href, &format!("{base}{target}"), "{at}: the {lang} link");
                    continue;
                }
                assert_eq!(
                    sc::resolve(&at, href).as_deref(),
                    Some(target.as_str()),
                    "{at}: the {lang} link"
                );
            }
            let current: Vec<String> = sc::tags(nav[0])
                .into_iter()
                .filter(|t| t.name == "a" && t.attr("aria-current").is_some())
                .filter_map(|t| t.attr("hreflang").map(str::to_string))
                .collect();
            assert_eq!(current, vec![tree.to_string()], "{at}");
            // hreflang alternates: absolute (the sample has a base_url), one per
            // language and the default for x-default.
            let alternates: BTreeMap<String, String> = sc::tags(&html)
                .into_iter()
                .filter(|t| t.name == "link" && t.attr("hreflang").is_some())
                .map(|t| {
                    (
                        t.attr("hreflang").unwrap_or("").to_string(),
                        t.attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
            let pretty = page.strip_suffix("index.html").unwrap_or(page);
            for lang in ["fr", "en"] {
                assert_eq!(
                    alternates.get(lang),
                    Some(&format!("{base}{lang}/{pretty}")),
                    "{at}"
                );
            }
            assert_eq!(alternates.get("x-default"), alternates.get("fr"), "{at}");
            // The canonical link names the page in its own language.
            let canonical = sc::tags(&html)
                .into_iter()
                .find(|t| t.name == "link" && t.attr("rel") == Some("canonical"))
                .and_then(|t| t.attr("href").map(str::to_string));
            assert_eq!(canonical, Some(format!("{base}{tree}/{pretty}")), "{at}");
        }
    }
}

#[test]
fn dates_numbers_and_interface_read_as_each_language_writes_them() {
    let site = sample_site();
    let fr = sc::text(&read(&site, &format!("fr/{EVENT_PAGE}")));
    let en = sc::text(&read(&site, &format!("en/{EVENT_PAGE}")));
    for s in [
        "23 mai 2025",
        "vers midi",
        "Revendiqué par JNIM",
        "nombre non précisé",
    ] {
        assert!(fr.contains(s), "fr lacks {s:?}:\n{fr}");
    }
    for s in [
        "23 May 2025",
        "around midday",
        "Claimed by JNIM",
        "number not given",
    ] {
        assert!(en.contains(s), "en lacks {s:?}:\n{en}");
    }
    // A month stays a month in both languages.
    let older = "events/2023-09-djoura-camp-attack/index.html";
    assert!(sc::text(&read(&site, &format!("fr/{older}"))).contains("septembre 2023"));
    let en_older = sc::text(&read(&site, &format!("en/{older}")));
    assert!(en_older.contains("September 2023"), "{en_older}");
    assert!(!en_older.contains("1 September 2023"), "{en_older}");
    // The interface is translated, the site's title too.
    let en_home = sc::text(&read(&site, "en/index.html"));
    assert!(
        en_home.contains("Chronology of the conflict in Mali"),
        "{en_home}"
    );
    assert!(en_home.contains("4 events"), "{en_home}");
    assert!(sc::text(&read(&site, "fr/index.html")).contains("4 événements"));
    // The sample is complete in both languages: no note anywhere.
    for page in sc::files_ending(&site, ".html") {
        assert!(!read(&site, &page).contains("fallback-note"), "{page}");
    }
}

/// The paragraphs and spans of `html` that are fallback notes.
fn notes(html: &str) -> Vec<String> {
    sc::elements(html, |t| t.has_class("fallback-note"))
        .into_iter()
        .map(sc::text)
        .collect()
}

#[test]
fn a_missing_translation_falls_back_with_a_note_exactly_where_it_is_missing() {
    let dir = sample_copy();
    let root = dir.path();
    // The title and the note of the casualty figure lose their English; the claim
    // loses its French.
    drop_english_title(root);
    edit(
        root,
        ATTACK_2025,
        "      en: '\"heavy losses\", according to the JNIM statement'\n",
        "",
    );
    edit(
        root,
        ATTACK_2025,
        "      fr: >-\n        Ses combattants ont réussi à prendre le contrôle total du camp ; le communiqué\n        évoque d'importantes pertes dans les rangs de l'armée malienne sans en préciser\n        le nombre.\n",
        "",
    );
    let site = build(root);
    let en = read(&site, &format!("en/{EVENT_PAGE}"));
    let fr = read(&site, &format!("fr/{EVENT_PAGE}"));
    assert_eq!(
        notes(&en),
        vec![
            "Text available in French only",
            "(Text available in French only)"
        ],
        "the English page: the title and the casualty note"
    );
    assert_eq!(
        notes(&fr),
        vec!["(Texte disponible en anglais seulement)"],
        "the French page: the claim"
    );
    // The text shown is the other language's, marked as such.
    let h1 = sc::elements(&en, |t| t.name == "h1");
    assert!(
        h1[0].starts_with("<h1 lang=\"fr\">Le JNIM revendique"),
        "{}",
        h1[0]
    );
    assert!(
        fr.contains("<span lang=\"en\">Its fighters took full control"),
        "{fr}"
    );
    // Lists say it once per card, where the title falls back.
    let en_home = read(&site, "en/index.html");
    assert_eq!(notes(&en_home), vec!["Text available in French only"]);
    assert!(notes(&read(&site, "fr/index.html")).is_empty());
    // No other page of either language has a note.
    for page in sc::files_ending(&site, ".html") {
        let html = read(&site, &page);
        let n = notes(&html).len();
        let expected = match page.as_str() {
            p if p == format!("en/{EVENT_PAGE}") => 2,
            p if p == format!("fr/{EVENT_PAGE}") => 1,
            // A list: one note on the card of the event, where it stands.
            p if p.starts_with("en/") => {
                sc::elements(&html, |t| t.name == "article" && t.has_class("event"))
                    .into_iter()
                    .filter(|card| card.contains("lang=\"fr\">Le JNIM revendique"))
                    .count()
            }
            _ => 0,
        };
        assert_eq!(n, expected, "{page}");
    }
}

#[test]
fn check_warns_about_missing_translations_and_sums_up_each_language() {
    let dir = sample_copy();
    let root = dir.path();
    let ok = sc::run(&["check", utf8(root), "--deny-warnings"], root);
    // The sample is complete; its only warnings are the places without coordinates.
    assert!(
        ok.stdout
            .contains("translations: fr 100% (51 of 51 texts), en 100% (51 of 51 texts)"),
        "{ok:#?}"
    );
    assert!(!ok.stderr.contains("version of"), "{ok:#?}");

    drop_english_title(root);
    edit(
        root,
        "events/actors/fama.yaml",
        "description:\n  fr: L'armée de l'État malien.\n  en: The army of the Malian state.\n",
        "description: L'armée de l'État malien.\n",
    );
    let run = sc::run(&["check", utf8(root)], root);
    assert_eq!(run.code, 0, "missing translations are warnings: {run:#?}");
    assert!(
        run.stderr.contains(
            "warning: no English (`en`) version of `title`\n --> events/2025/2025-05-23-djoura-camp-attack.yaml:1:1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: no English (`en`) version of `description`\n --> events/actors/fama.yaml:7:1"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a text written as one string is in `fr`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(
            "translations: fr 100% (51 of 51 texts), en 96% (49 of 51 texts; 2 files to complete)"
        ),
        "{}",
        run.stdout
    );
    let strict = sc::run(&["check", utf8(root), "--deny-warnings"], root);
    assert_eq!(strict.code, 1, "{strict:#?}");
    let build = sc::run(&["build", utf8(root), "--deny-warnings"], root);
    assert_eq!(build.code, 1, "{build:#?}");
    assert!(!root.join("site").exists());
}

#[test]
fn at_root_copy_puts_the_default_language_at_the_root_too() {
    let dir = sample_copy();
    let root = dir.path();
    edit(
        root,
        "annalist.yaml",
        "per_page: 50\n",
        "per_page: 50\nat_root: copy\n",
    );
    let site = build(root);
    let fr: Vec<String> = sc::files(&site.join("fr")).into_keys().collect();
    for f in &fr {
        assert!(site.join(f).is_file(), "the root lacks {f}");
    }
    // The copy's canonical links name the French tree's pages, which alone are in
    // the sitemap.
    let home = read(&site, "index.html");
    assert!(
        home.contains("<link rel=\"canonical\" href=\"https://annalist.example/mali/fr/\">"),
        "{home}"
    );
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://annalist.example/mali/fr/</loc>"));
    assert!(!sitemap.contains("<loc>https://annalist.example/mali/</loc>"));
    let broken = sc::check_links(&site);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn language_settings_are_checked() {
    let cases = [
        (
            "language: en\nlanguages: [fr, de]\n",
            "annalist.yaml:2:",
            "annalist has no interface in `de` yet",
        ),
        (
            "language: en\nlanguages: [fr]\n",
            "annalist.yaml:1:11",
            "the default language `en` is not in `languages`",
        ),
        (
            "languages: [fr, en, fr]\n",
            "annalist.yaml:1:21",
            "`fr` is listed twice in `languages`",
        ),
        (
            "languages: [fr, en]\nat_root: mirror\n",
            "annalist.yaml:2:10",
            "`mirror` is not a choice for the site root",
        ),
    ];
    for (settings, at, message) in cases {
        let dir = sample_copy();
        let root = dir.path();
        std::fs::write(root.join("annalist.yaml"), settings).expect("write");
        let run = sc::run(&["check", utf8(root)], root);
        assert_eq!(run.code, 1, "{settings}: {run:#?}");
        assert!(run.stderr.contains(message), "{settings}: {}", run.stderr);
        assert!(run.stderr.contains(at), "{settings}: {}", run.stderr);
    }
}

#[test]
fn the_default_language_need_not_be_listed_first() {
    let dir = sample_copy();
    let root = dir.path();
    edit(root, "annalist.yaml", "language: fr\n", "language: en\n");
    let site = build(root);
    let home = read(&site, "index.html");
    assert!(home.contains("content=\"0; url=en/index.html\""), "{home}");
    assert!(home.contains("<html lang=\"en\">"), "{home}");
}
