//! What readers are told beside the facts (issue 15): the "no source cited" notice and
//! archived copies of sources, the methodology page every status badge links to, one
//! list per status, the language of commit subjects, the size of the data files, and
//! images of other sites. The real binary builds `tests/fixtures/build/readers/` (real
//! events of the Mali fixture over the build suite's `_base`).

use crate::common::{annalist, chronology};
use crate::site_checks as sc;
use std::path::{Path, PathBuf};

const COUP: &str = "events/2012-03-22-coup-bamako/index.html";
const UNSOURCED: &str = "events/2022-05-15-mali-leaves-g5-sahel/index.html";

/// Builds the chronology at `root` into `root/_site`; the run must succeed.
fn build(root: &Path) -> (PathBuf, crate::common::Run) {
    let out = root.join("_site");
    let run = crate::common::build_site(root, &out);
    (out, run)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The one element of `page` that `pred` picks, as written.
fn one(html: &str, pred: impl Fn(&sc::Tag) -> bool) -> String {
    let found = sc::elements(html, pred);
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].to_string()
}

#[test]
fn readers_an_unsourced_event_says_so_on_its_page_and_its_cards() {
    let dir = chronology("build", "readers");
    let (site, _) = build(dir.path());
    for (lang, notice) in [("fr", "Aucune source citée"), ("en", "No source cited")] {
        let p = format!(r#"<p class="notice no-source">{notice}</p>"#);
        let page = read(&site, &format!("{lang}/{UNSOURCED}"));
        assert_eq!(page.matches(&p).count(), 1, "{lang}: {page}");
        // A sourced event has none.
        assert!(!read(&site, &format!("{lang}/{COUP}")).contains("no-source"));
        // The timeline (all five events on its page) marks the one card only, and the
        // lists of its year and type too.
        for list in [
            "index.html",
            "years/2022/index.html",
            "statuses/confirmed/index.html",
        ] {
            let html = read(&site, &format!("{lang}/{list}"));
            assert_eq!(html.matches(&p).count(), 1, "{lang}/{list}");
        }
        // The cards the filter draws say it too: the search index marks the event
        // (`[2, 0, ""]` among its notices, the row's element 15) and gives the
        // notice's text once.
        let index = sc::SearchIndex::read(&site.join(lang));
        assert_eq!(index.head["n"], notice);
        for row in &index.rows {
            let marked = row
                .get(15)
                .and_then(|n| n.as_array())
                .is_some_and(|n| n.iter().any(|x| x[0] == 2));
            let unsourced = row[0] == "2022-05-15-mali-leaves-g5-sahel";
            assert_eq!(marked, unsourced, "{lang}: {}", row[0]);
        }
    }
}

#[test]
fn readers_an_archived_copy_is_linked_beside_its_source_and_exported() {
    let dir = chronology("build", "readers");
    let (site, _) = build(dir.path());
    let archive = "https://example.org/placeholder-archive-of-the-reuters-article";
    let page = read(&site, &format!("fr/{COUP}"));
    let sources = one(&page, |t| {
        t.name == "ol" && t.attr("class") == Some("sources")
    });
    assert!(
        sources.contains(&format!(
            r#"(<a class="archive" href="{archive}" rel="nofollow noopener">archive</a>)"#
        )),
        "{sources}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(&site, "fr/data/events.json")).expect("JSON");
    let events = json["events"].as_array().expect("events");
    for e in events {
        for s in e["sources"].as_array().expect("sources") {
            let expected = (e["id"] == "2012-03-22-coup-bamako").then_some(archive);
            assert_eq!(
                s.get("archive_url").and_then(|a| a.as_str()),
                expected,
                "{e}"
            );
        }
    }
}

#[test]
fn readers_an_archive_address_is_checked_as_a_source_address() {
    let dir = chronology("build", "readers");
    let file = dir.path().join("events/2012/2012-03-22-coup-bamako.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let bad = text.replace(
        "archive_url: https://example.org/placeholder-archive-of-the-reuters-article",
        "archive_url: javascript:alert(1)",
    );
    assert_ne!(bad, text);
    std::fs::write(&file, bad).expect("write");
    let run = annalist(&["check"], dir.path());
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("--> events/2012/2012-03-22-coup-bamako.yaml:27:18"),
        "{}",
        run.stderr
    );
}

#[test]
fn readers_every_status_badge_links_to_its_explanation() {
    let dir = chronology("build", "readers");
    let (site, _) = build(dir.path());
    for lang in ["fr", "en"] {
        let method = read(&site, &format!("{lang}/methodology/index.html"));
        let mut seen = 0;
        for rel in ["index.html", COUP, "statuses/claimed/index.html"] {
            let html = read(&site, &format!("{lang}/{rel}"));
            for badge in sc::elements(&html, |t| {
                t.attr("class").is_some_and(|c| c.starts_with("badge "))
            }) {
                let href = badge
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .unwrap_or_else(|| panic!("{rel}: a badge without a link: {badge}"));
                let anchor = href.split_once("methodology/index.html#").map(|x| x.1);
                let anchor = anchor.unwrap_or_else(|| panic!("{rel}: {href}"));
                assert!(method.contains(&format!(r#"id="{anchor}""#)), "{anchor}");
                seen += 1;
            }
        }
        assert!(seen >= 7, "{lang}: {seen} badges");
        // The page and the status lists are in the sitemap and the footer.
        let sitemap = read(&site, "sitemap.xml");
        assert!(sitemap.contains(&format!("chronologie/{lang}/methodology/</loc>")));
        assert!(sitemap.contains(&format!("chronologie/{lang}/statuses/claimed/</loc>")));
        let home = read(&site, &format!("{lang}/index.html"));
        assert!(home.contains(r#"<a href="methodology/index.html">"#));
    }
    let fr = read(&site, "fr/methodology/index.html");
    insta::assert_snapshot!("readers_methodology_fr", one(&fr, |t| t.name == "main"));
    let en = read(&site, "en/methodology/index.html");
    insta::assert_snapshot!("readers_methodology_en", one(&en, |t| t.name == "main"));
}

#[test]
fn readers_each_status_has_its_list() {
    let dir = chronology("build", "readers");
    let (site, _) = build(dir.path());
    // The fixture: one claimed event, two reported, two confirmed; no list for the
    // statuses no event has.
    for (status, ids) in [
        ("claimed", vec!["2025-05-23-djoura-camp-attack"]),
        (
            "reported",
            vec!["2024-02-mopti-patrol", "2023-09-djoura-camp-attack"],
        ),
        (
            "confirmed",
            vec!["2022-05-15-mali-leaves-g5-sahel", "2012-03-22-coup-bamako"],
        ),
    ] {
        let html = read(&site, &format!("fr/statuses/{status}/index.html"));
        let listed: Vec<String> = sc::elements(&html, |t| t.name == "h4")
            .iter()
            .filter_map(|h| {
                h.split("events/")
                    .nth(1)?
                    .split('/')
                    .next()
                    .map(String::from)
            })
            .collect();
        assert_eq!(listed, ids, "{status}");
    }
    for missing in ["disputed", "denied"] {
        assert!(!site.join(format!("fr/statuses/{missing}")).exists());
    }
    let index = read(&site, "en/statuses/index.html");
    assert!(
        index.contains(
            r#"<a href="../statuses/claimed/index.html">Claimed</a> <span class="n">(1)</span>"#
        ),
        "{index}"
    );
    let claimed = read(&site, "fr/statuses/claimed/index.html");
    insta::assert_snapshot!(
        "readers_status_claimed_fr",
        one(&claimed, |t| t.name == "main")
    );
}

#[test]
fn readers_the_footer_gives_the_size_of_each_data_file() {
    let dir = chronology("build", "readers");
    let (site, _) = build(dir.path());
    for (lang, l) in [
        ("fr", annalist::lang::Lang::Fr),
        ("en", annalist::lang::Lang::En),
    ] {
        let size = |f: &str| {
            let n = std::fs::metadata(site.join(format!("{lang}/data/{f}")))
                .expect("data file")
                .len();
            annalist::lang::format_size(n, l)
        };
        let (json, csv) = (size("events.json"), size("events.csv"));
        for rel in ["index.html", COUP, "methodology/index.html", "404.html"] {
            let html = read(&site, &format!("{lang}/{rel}"));
            let footer = one(&html, |t| t.name == "footer");
            assert!(footer.contains(&format!("({json})</a>")), "{rel}: {footer}");
            assert!(footer.contains(&format!("({csv})</a>")), "{rel}: {footer}");
        }
    }
    let home = read(&site, "fr/index.html");
    insta::assert_snapshot!("readers_footer_fr", one(&home, |t| t.name == "footer"));
    let home = read(&site, "en/index.html");
    insta::assert_snapshot!("readers_footer_en", one(&home, |t| t.name == "footer"));
}

#[test]
fn readers_remote_images_are_links_unless_the_site_wants_them() {
    let dir = chronology("build", "readers");
    let image = "https://example.org/placeholder-image.png";
    let run = annalist(&["check"], dir.path());
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr.contains(&format!(
            "warning: this image is loaded from another site ({image})"
        )) && run
            .stderr
            .contains("--> events/2012/2012-03-22-coup-bamako.yaml:32:24")
            && run.stderr.contains("`remote_images: true`"),
        "{}",
        run.stderr
    );
    let (site, _) = build(dir.path());
    let page = read(&site, &format!("fr/{COUP}"));
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains(&format!(r#"<a href="{image}">placeholder image</a>"#)));
    // The site that wants them.
    let settings = dir.path().join("annalist.yaml");
    let text = std::fs::read_to_string(&settings).expect("read");
    std::fs::write(&settings, format!("{text}remote_images: true\n")).expect("write");
    let run = annalist(&["check"], dir.path());
    assert!(!run.stderr.contains("another site"), "{}", run.stderr);
    let (site, _) = build(dir.path());
    let page = read(&site, &format!("fr/{COUP}"));
    assert!(page.contains(&format!(r#"<img src="{image}" alt="placeholder image" />"#)));
}

#[test]
fn readers_commit_subjects_are_marked_with_their_language_or_left_out() {
    let dir = chronology("build", "readers");
    let d = dir.path();
    crate::history::git(d, "2025-05-23T10:00:00+02:00", &["init", "-q"]);
    crate::history::commit(d, "2025-05-23T10:00:00+02:00", "Add the events");
    let settings = d.join("annalist.yaml");
    let base = std::fs::read_to_string(&settings).expect("read");
    let revisions = |extra: &str, lang: &str| {
        std::fs::write(&settings, format!("{base}{extra}")).expect("write");
        let (site, _) = build(d);
        let page = read(&site, &format!("{lang}/{COUP}"));
        one(&page, |t| {
            t.name == "ol" && t.attr("class") == Some("revisions")
        })
    };
    let subject = "Add the events";
    // Nobody said: `lang=""`, "unknown", rather than French or a guess.
    let r = revisions("", "fr");
    assert!(
        r.contains(&format!(r#"— <span lang="">{subject}</span>"#)),
        "{r}"
    );
    let r = revisions("history: {language: en}\n", "fr");
    assert!(
        r.contains(&format!(r#"— <span lang="en">{subject}</span>"#)),
        "{r}"
    );
    let r = revisions("history: {language: en}\n", "en");
    assert!(r.contains(&format!("— {subject}</li>")), "{r}");
    let r = revisions("history: {subjects: false}\n", "fr");
    assert!(!r.contains(subject) && r.contains("</time></li>"), "{r}");
    // An unknown code is refused where it is written.
    std::fs::write(&settings, format!("{base}history: {{language: english}}\n")).expect("write");
    let run = annalist(&["check"], d);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("`english` is not an ISO 639-1 language code")
            && run.stderr.contains("--> annalist.yaml:8:21"),
        "{}",
        run.stderr
    );
}
