//! `annalist build`, run as editors run it: the real binary on the sample chronology
//! (the repository itself, read-only) and on fixture chronologies copied into
//! temporary folders (`tests/fixtures/build/_base/`, plus a case's files over it).
//! Every site is built into a temporary folder; nothing is written in the repository.
//!
//! What is checked: every page kind exists; the pages say what the sources say and no
//! more; every internal link and fragment resolves; every feed follows RFC 4287;
//! hostile text never becomes markup; the output folder is safe; builds are
//! reproducible byte for byte.

use crate::common;

use crate::site_checks as sc;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

/// The sample chronology: the repository root. Only ever read.
fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn utf8(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Runs `annalist build ROOT --output OUT` in `root`.
fn build(root: &Path, out: &Path) -> sc::Output {
    sc::run(&["build", utf8(root), "--output", utf8(out)], root)
}

/// Builds `root` into a new temporary folder and asserts it succeeded; the site is
/// `<tempdir>/site`.
fn built(root: &Path) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let run = build(root, &out);
    assert_eq!(run.code, 0, "build of {root:?} failed:\n{run:#?}");
    (dir, out)
}

/// The French tree of the sample site: the sample is in French and English (`fr/`,
/// `en/`), and most checks read the default language's pages. The languages
/// themselves are checked in `languages.rs`.
fn sample_site() -> PathBuf {
    sample_site_root().join("fr")
}

/// The whole sample site: the root with its language trees. Built once per run (see
/// `shared::shared`); tests only read it.
fn sample_site_root() -> PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    let site = crate::shared::shared(&SITE, "build-sample", |dir| {
        let out = dir.join("site");
        let run = build(sample_root(), &out);
        assert_eq!(run.code, 0, "build of the sample failed:\n{run:#?}");
        out
    });
    site.to_path_buf()
}

/// A fixture chronology (`_base` plus `case`) copied into a temporary folder.
fn fixture(case: &str) -> TempDir {
    common::chronology("build", case)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The ids (file stems) of the `.yaml` files directly in `dir`, sorted.
fn stems(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The event files of a chronology: `events/<year>/*.yaml`.
fn event_files(root: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for entry in std::fs::read_dir(root.join("events")).expect("events/") {
        let p = entry.expect("entry").path();
        let is_year = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()));
        if p.is_dir() && is_year {
            for f in std::fs::read_dir(&p).expect("year folder") {
                let f = f.expect("entry").path();
                if f.extension().is_some_and(|x| x == "yaml") {
                    v.push(f);
                }
            }
        }
    }
    v.sort();
    v
}

/// The value of a top-level `key: value` line of a YAML file (enough for `type:`,
/// `date:` and flow lists such as `tags: [a, b]`).
fn top_level(yaml: &str, key: &str) -> Option<String> {
    yaml.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(|v| v.trim().to_string())
}

/// The link targets of a page, resolved to site paths (`events/x/index.html`).
fn internal_links(page: &str, html: &str) -> BTreeSet<String> {
    sc::link_targets(html)
        .into_iter()
        .filter(|(_, u)| !sc::is_external(u) && !u.starts_with('#'))
        .filter_map(|(_, u)| sc::resolve(page, u.split(['#', '?']).next().unwrap_or("")))
        .collect()
}

/// The event cards (`<article class="event ...">`) of a list page that link to `event`.
fn cards_of<'a>(page: &str, html: &'a str, event: &str) -> Vec<&'a str> {
    let target = format!("events/{event}/index.html");
    sc::elements(html, |t| t.name == "article" && t.has_class("event"))
        .into_iter()
        .filter(|card| internal_links(page, card).contains(&target))
        .collect()
}

const ATTACK_2023: &str = "2023-09-djoura-camp-attack";
const ATTACK_2025: &str = "2025-05-23-djoura-camp-attack";

// ---------------------------------------------------------------------------------
// 1. Every page kind of the sample site

#[test]
fn sample_site_has_every_page_kind() {
    let site = sample_site();
    let root = sample_root();
    let mut expected: Vec<String> = [
        "index.html",
        "actors/index.html",
        "locations/index.html",
        "types/index.html",
        "years/index.html",
        "tags/index.html",
        "years/2023/index.html",
        "years/2025/index.html",
        "atom.xml",
        "data/events.json",
        "data/events.csv",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
        "favicon.svg",
    ]
    .map(String::from)
    .to_vec();
    let events = event_files(root);
    assert_eq!(events.len(), 4, "the sample has 4 events: {events:?}");
    let mut types = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for f in &events {
        let id = f.file_stem().expect("stem").to_string_lossy();
        expected.push(format!("events/{id}/index.html"));
        let yaml = std::fs::read_to_string(f).expect("read event");
        types.insert(top_level(&yaml, "type").expect("type"));
        let list = top_level(&yaml, "tags").unwrap_or_default();
        for t in list.trim_matches(['[', ']']).split(',') {
            if !t.trim().is_empty() {
                tags.insert(t.trim().to_string());
            }
        }
    }
    let actors = stems(&root.join("events/actors"));
    let locations = stems(&root.join("events/locations"));
    assert_eq!((actors.len(), locations.len()), (10, 7));
    for a in &actors {
        expected.push(format!("actors/{a}/index.html"));
        expected.push(format!("actors/{a}/atom.xml"));
    }
    for l in &locations {
        expected.push(format!("locations/{l}/index.html"));
        expected.push(format!("locations/{l}/atom.xml"));
    }
    assert_eq!(types.len(), 3, "{types:?}");
    for t in &types {
        expected.push(format!("types/{t}/index.html"));
    }
    assert!(tags.len() >= 2, "{tags:?}");
    for t in &tags {
        expected.push(format!("tags/{t}/index.html"));
    }
    // The files for crawlers stand at the site root, above the language trees.
    let top = site.parent().expect("the French tree is in the site");
    let missing: Vec<&String> = expected
        .iter()
        .map(|p| {
            if p == "sitemap.xml" || p == "robots.txt" {
                (p, top.join(p))
            } else {
                (p, site.join(p))
            }
        })
        .filter(|(_, f)| !f.is_file() || std::fs::metadata(f).unwrap().len() == 0)
        .map(|(p, _)| p)
        .collect();
    assert!(missing.is_empty(), "missing or empty: {missing:?}");

    // The whole list of files, so that a page that appears or vanishes is noticed;
    // the search index's small files counted by folder (`w/` grows with the words).
    let mut listing: Vec<String> = Vec::new();
    let mut counted: std::collections::BTreeMap<String, usize> = Default::default();
    for f in sc::files(top).into_keys() {
        match f.split_once("/data/search/").and_then(|(tree, rest)| {
            rest.split_once('/')
                .map(|(dir, _)| format!("{tree}/data/search/{dir}/"))
        }) {
            Some(dir) => *counted.entry(dir).or_default() += 1,
            None => listing.push(f),
        }
    }
    listing.extend(counted.iter().map(|(dir, n)| format!("{dir} ({n} files)")));
    listing.sort();
    insta::assert_snapshot!("sample_site_files", listing.join("\n"));
}

#[test]
fn sample_json_export_has_every_event_with_references_resolved() {
    let site = sample_site();
    let doc: serde_json::Value =
        serde_json::from_str(&read(&site, "data/events.json")).expect("valid JSON");
    let events = doc["events"].as_array().expect("events array");
    assert_eq!(events.len(), 4);
    let ids: BTreeSet<&str> = events
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    let files: BTreeSet<String> = event_files(sample_root())
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids, files.iter().map(String::as_str).collect());
    for e in events {
        let id = e["id"].as_str().unwrap();
        assert!(
            e["url"]
                .as_str()
                .is_some_and(|u| u == format!("https://annalist.example/mali/fr/events/{id}/")),
            "{id}: url {}",
            e["url"]
        );
        for a in e["actors"].as_array().expect("actors") {
            assert!(
                a["name"].is_object() || a["name"].is_string(),
                "{id}: actor {a}"
            );
        }
        for l in e["locations"].as_array().expect("locations") {
            assert!(
                l["name"].is_object() || l["name"].is_string(),
                "{id}: location {l}"
            );
            let path = l["path"].as_array().expect("path");
            assert_eq!(path.first(), Some(&l["id"]), "{id}: {l}");
            assert_eq!(
                path.last().and_then(|p| p.as_str()),
                Some("mali"),
                "{id}: {l}"
            );
        }
    }
    let attack = events
        .iter()
        .find(|e| e["id"] == ATTACK_2025)
        .expect("2025 attack");
    assert_eq!(
        attack["locations"][0]["path"],
        serde_json::json!(["djoura", "mopti-region", "mali"])
    );
    assert_eq!(attack["locations"][0]["name"], "Djoura");
    assert_eq!(attack["actors"][0]["id"], "jnim");
    assert_eq!(
        attack["actors"][0]["name"]["fr"],
        "Groupe de soutien à l'islam et aux musulmans"
    );
    assert_eq!(attack["status"], "claimed");
    assert_eq!(attack["claims"][0]["claimant"], "jnim");
    assert_eq!(attack["claims"][0]["channel"], "az-zallaqa");
    assert_eq!(attack["official_reaction"], "none");
    assert_eq!(attack["time"], "midday");
    let older = events
        .iter()
        .find(|e| e["id"] == ATTACK_2023)
        .expect("2023 attack");
    assert_eq!(older["date"]["edtf"], "2023-09");
    assert_eq!(older["date"]["precision"], "month");
    assert_eq!(older["casualties"][0]["figure"], "about 100");
}

#[test]
fn sample_csv_export_has_a_header_and_one_row_per_event() {
    let site = sample_site();
    let bytes = std::fs::read(site.join("data/events.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header.first().map(String::as_str), Some("event_id"));
    assert!(header.contains(&"title".to_string()) && header.contains(&"status".to_string()));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r.len(), header.len(), "{r:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let attack = rows
        .iter()
        .find(|r| &r[0] == ATTACK_2025)
        .expect("2025 attack row");
    assert_eq!(&attack[col("status")], "claimed");
    assert_eq!(&attack[col("claimants")], "jnim");
    let older = rows
        .iter()
        .find(|r| &r[0] == ATTACK_2023)
        .expect("2023 row");
    assert_eq!(&older[col("date")], "2023-09");
    assert_eq!(&older[col("date_precision")], "month");
    assert_eq!(&older[col("location_path")], "djoura>mopti-region>mali");
}

#[test]
fn sample_sitemap_and_robots_point_at_real_pages() {
    let site = sample_site_root();
    let sitemap = sc::parse_xml(&read(&site, "sitemap.xml")).expect("well-formed sitemap");
    assert_eq!(sitemap.name, "urlset");
    let base = "https://annalist.example/mali/";
    let locs: Vec<String> = sitemap
        .all("url")
        .iter()
        .map(|u| u.all("loc")[0].text())
        .collect();
    assert!(locs.len() > 30, "{} urls", locs.len());
    for loc in &locs {
        let rel = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{loc} is not under {base}"));
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(
            site.join(&file).is_file(),
            "sitemap lists {loc}, but there is no {file}"
        );
    }
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    // Every page of each language's tree is listed; the root's two pages (the
    // language choice and "not found") and each tree's 404.html are not.
    let pages = sc::files_ending(&site, ".html");
    assert_eq!(
        locs.len(),
        pages.len() - 4,
        "every page but the root's and the 404 pages is listed"
    );
    assert!(locs.iter().any(|l| l == &format!("{base}en/")), "{locs:?}");
    let robots = read(&site, "robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
}

#[test]
fn without_base_url_no_sitemap_is_written_and_the_build_says_so() {
    // A sitemap may only list absolute addresses, which need `base_url`.
    let dir = fixture("_base"); // no base_url
    let out = tempfile::tempdir().expect("temp dir");
    let site = out.path().join("site");
    let run = common::annalist(
        &["build", ".", "--output", site.to_str().expect("utf-8 path")],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("sitemap.xml").exists());
    assert!(
        run.stderr.contains("no sitemap.xml was written"),
        "{}",
        run.stderr
    );
    assert!(!read(&site, "robots.txt").contains("Sitemap"));
}

// ---------------------------------------------------------------------------------
// 2. The sample site says what the sources say, no more

#[test]
fn mopti_region_page_lists_both_djoura_attacks() {
    let site = sample_site();
    let page = "locations/mopti-region/index.html";
    let html = read(&site, page);
    for id in [ATTACK_2023, ATTACK_2025] {
        assert_eq!(cards_of(page, &html, id).len(), 1, "{page} lists {id} once");
    }
    // Newest first.
    let p25 = html.find(ATTACK_2025).expect("2025");
    let p23 = html.find(ATTACK_2023).expect("2023");
    assert!(p25 < p23, "the 2025 attack comes first");
}

#[test]
fn a_month_date_never_becomes_the_first_of_the_month() {
    let site = sample_site();
    let page = format!("events/{ATTACK_2023}/index.html");
    let html = read(&site, &page);
    let text = sc::text(&html);
    assert!(text.contains("septembre 2023"), "{text}");
    for wrong in [
        "1 septembre 2023",
        "1er septembre",
        "01/09/2023",
        "2023-09-01",
    ] {
        assert!(!text.contains(wrong), "{page} says {wrong:?}");
        assert!(
            !html.contains(wrong),
            "{page} holds {wrong:?} in its markup"
        );
    }
    // Machine-readable dates keep the month precision too: the event's date in the
    // header and in the facts (other <time>s, such as a revision history, are not it).
    let header = sc::elements(&html, |t| t.name == "header" && !t.has_class("site"));
    let facts = sc::elements(&html, |t| t.name == "dl" && t.has_class("facts"));
    let mut times = 0;
    for part in header.iter().take(1).chain(facts.iter().take(1)) {
        for t in sc::tags(part)
            .iter()
            .filter(|t| t.name == "time" && !t.closing)
        {
            assert_eq!(t.attr("datetime"), Some("2023-09"), "{part}");
            times += 1;
        }
    }
    assert_eq!(times, 2, "the date in the header and in the facts");
    assert!(!html.contains(r#"datetime="2023-09-01""#));
    assert!(
        html.contains(r#""startDate":"2023-09""#),
        "JSON-LD startDate"
    );
    // The same on the lists that show it.
    for list in [
        "index.html",
        "locations/djoura/index.html",
        "years/2023/index.html",
    ] {
        let h = read(&site, list);
        let cards = cards_of(list, &h, ATTACK_2023);
        assert_eq!(cards.len(), 1, "{list}");
        let t = sc::text(cards[0]);
        assert!(
            t.contains("septembre 2023") && !t.contains("1 septembre"),
            "{list}: {t}"
        );
    }
}

#[test]
fn a_claimed_attack_reads_as_a_claim_everywhere() {
    let site = sample_site();
    let claim = "Revendiqué par JNIM — revendication non confirmée";
    let page = format!("events/{ATTACK_2025}/index.html");
    let text = sc::text(&read(&site, &page));
    assert!(text.contains(claim), "{page}: {text}");
    assert!(text.contains("Revendiqué"), "status badge");
    for list in [
        "index.html",
        "locations/djoura/index.html",
        "locations/mopti-region/index.html",
        "actors/jnim/index.html",
        "types/attack/index.html",
        "years/2025/index.html",
    ] {
        let html = read(&site, list);
        let cards = cards_of(list, &html, ATTACK_2025);
        assert_eq!(cards.len(), 1, "{list} lists the attack once");
        let t = sc::text(cards[0]);
        assert!(t.contains(claim), "{list}: {t}");
    }
    // A report stays a report: no claim note on the 2023 attack.
    let html = read(&site, "index.html");
    let t = sc::text(cards_of("index.html", &html, ATTACK_2023)[0]);
    assert!(!t.contains("Revendiqué"), "{t}");
    // Feed readers see it too.
    let feed = sc::parse_xml(&read(&site, "atom.xml")).expect("feed");
    let entry = feed
        .all("entry")
        .into_iter()
        .find(|e| e.all("id")[0].text().contains(ATTACK_2025))
        .expect("entry of the attack");
    assert!(
        entry.all("title")[0]
            .text()
            .starts_with("[Revendiqué par JNIM] "),
        "{}",
        entry.all("title")[0].text()
    );
}

#[test]
fn an_approximate_figure_stays_approximate() {
    let site = sample_site();
    let html = read(&site, &format!("events/{ATTACK_2023}/index.html"));
    let figures: Vec<String> = sc::elements(&html, |t| t.has_class("figure"))
        .into_iter()
        .map(sc::text)
        .collect();
    assert!(figures.contains(&"environ 100".to_string()), "{figures:?}");
    assert!(figures.contains(&"plusieurs".to_string()), "{figures:?}");
    assert!(!figures.contains(&"100".to_string()), "{figures:?}");
}

#[test]
fn no_official_reaction_is_said_explicitly() {
    let site = sample_site();
    let html = read(&site, &format!("events/{ATTACK_2025}/index.html"));
    let reaction: Vec<String> = sc::elements(&html, |t| t.name == "p" && t.has_class("reaction"))
        .into_iter()
        .map(sc::text)
        .collect();
    assert_eq!(reaction.len(), 1, "{reaction:?}");
    assert!(
        reaction[0].ends_with("Aucune réaction officielle n'a été publiée."),
        "{reaction:?}"
    );
    // Events whose sources say nothing about a reaction show none.
    let other = read(&site, &format!("events/{ATTACK_2023}/index.html"));
    assert!(sc::elements(&other, |t| t.has_class("reaction")).is_empty());
}

#[test]
fn the_time_of_day_reads_as_the_source_gives_it() {
    let site = sample_site();
    let page = format!("events/{ATTACK_2025}/index.html");
    let text = sc::text(&read(&site, &page));
    assert!(text.contains("vers midi"), "{text}");
    assert!(!text.contains("12 h") && !text.contains("12:00"), "{text}");
}

#[test]
fn jnim_page_shows_the_relations_of_other_actors_to_it() {
    let site = sample_site();
    let page = "actors/jnim/index.html";
    let html = read(&site, page);
    let items: Vec<(String, BTreeSet<String>)> = sc::elements(&html, |t| t.name == "li")
        .into_iter()
        .map(|li| (sc::text(li), internal_links(page, li)))
        .collect();
    for (text, actor) in [
        // The inverse label, and the note of the unit's file (issue 14).
        (
            "a pour affilié : Katiba Macina — « la Katiba Macina, affiliée au JNIM »",
            "katiba-macina",
        ),
        (
            "a pour branche médiatique : Fondation Az-Zallaqa",
            "az-zallaqa",
        ),
        // French elides "de" before the name (the nodes' texts are joined by a space).
        ("branche d' AQMI", "aqim"),
    ] {
        let target = format!("actors/{actor}/index.html");
        assert!(
            items
                .iter()
                .any(|(t, links)| t.contains(text) && links.contains(&target)),
            "{page} lacks {text:?} linking to {target}: {items:#?}"
        );
    }
}

#[test]
fn the_search_index_is_compact_and_complete() {
    let site = sample_site();
    let ix = sc::SearchIndex::read(&site);
    assert!(
        !read(&site, "data/search/index.json").contains("\": "),
        "no pretty-printing"
    );
    // The cards, newest first, as the timeline shows them.
    assert_eq!(
        ix.ids(),
        [
            ATTACK_2025,
            "2025-05-23-sadio-camara-kidal-visit",
            "2023-11-kidal-occupation",
            ATTACK_2023,
        ]
    );
    assert_eq!(ix.head["a"].as_array().map(Vec::len), Some(10));
    let e = &ix.rows[3];
    assert_eq!(e[1], "septembre 2023", "the date as the card words it");
    let places: Vec<String> = e[13]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            ix.head["l"][x.as_u64().unwrap() as usize][0]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(places, ["djoura"]);
    // "septembre 2023" may be any of its days: the date fields see the month whole.
    let dates: (Vec<i64>, Vec<i64>) =
        serde_json::from_str(&read(&site, "data/search/dates.json")).expect("dates");
    let first: i64 = dates.0.iter().sum();
    assert_eq!(first, 19601, "2023-09-01 in days since 1970");
    assert_eq!(dates.1[3], 29, "to 2023-09-30");
    // A place's list holds the events of the places inside it.
    let mali = ix.facet(&format!("l{}", ix.position("l", "mali")));
    assert!(mali.contains(&ATTACK_2023.to_string()), "{mali:?}");
    // The words of every language, of bodies and sources, folded, by their beginning;
    // names and aliases of actors and places too.
    // "Azawad" stands in the texts of three events (tests/README.md: grep -il azawad).
    assert_eq!(
        ix.word("azawad"),
        [
            "2025-05-23-sadio-camara-kidal-visit",
            "2023-11-kidal-occupation",
            ATTACK_2023
        ]
    );
    for attack in [ATTACK_2023, ATTACK_2025] {
        assert!(ix.word("armee").contains(&attack.to_string()), "{attack}");
    }
    assert!(
        ix.word("malienne").contains(&ATTACK_2023.to_string()),
        "FAMa's alias"
    );
    assert!(
        ix.word("djour").contains(&ATTACK_2023.to_string()),
        "a prefix"
    );
    assert!(ix.word("segou").is_empty(), "no event names Ségou");
    // Every list page loads the script, deferred, from the site itself.
    for page in [
        "index.html",
        "actors/jnim/index.html",
        "locations/djoura/index.html",
        "years/2025/index.html",
    ] {
        let html = read(&site, page);
        assert!(html.contains("filter.js\" defer></script>"), "{page}");
        assert!(
            html.contains("<form class=\"filter\" role=\"search\"") && html.contains(" hidden "),
            "{page}"
        );
    }
    assert!(!read(&site, "events/2025-05-23-djoura-camp-attack/index.html").contains("filter.js"));
    // No place of the sample has coordinates: the map page says so and lists them.
    let map = sc::text(&read(&site, "map/index.html"));
    assert!(
        map.contains("Aucun lieu n'a encore de coordonnées"),
        "{map}"
    );
    assert!(map.contains("Lieux sans coordonnées (7)"), "{map}");
}

// ---------------------------------------------------------------------------------
// 3. Links

#[test]
fn every_internal_link_of_the_sample_site_resolves() {
    let site = sample_site_root();
    let pages = sc::files_ending(&site, ".html");
    assert!(pages.len() > 30, "{} pages", pages.len());
    let problems = sc::check_links(&site);
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_page_of_the_sample_site_is_well_nested() {
    let site = sample_site();
    let pages = sc::files_ending(&site, ".html");
    assert!(pages.len() > 30, "{} pages", pages.len());
    let mut problems = Vec::new();
    for page in &pages {
        for p in sc::check_nesting(&read(&site, page)) {
            problems.push(format!("{page}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn links_resolve_across_pages_of_a_paginated_chronology() {
    // 12 events at 5 per page: the timeline, a year, a type, a tag, an actor and a
    // location each get three pages with prev/next links.
    let dir = fixture("_base");
    for n in 1..=12 {
        let id = format!("2024-03-{n:02}-patrol-{n}");
        let yaml = format!(
            "title: Patrouille {n}\ndate: 2024-03-{n:02}\ntype: battle\nstatus: reported\n\
             locations: [djoura]\nactors:\n  - id: fama\n    role: other\n\
             sources:\n  - publisher: Presse\ntags: [serie]\n"
        );
        std::fs::write(dir.path().join(format!("events/2024/{id}.yaml")), yaml).expect("write");
    }
    let (_out, site) = built(dir.path());
    for p in [
        "page/3/index.html",
        "years/2024/page/3/index.html",
        "types/battle/page/3/index.html",
        "tags/serie/page/3/index.html",
        "actors/fama/page/3/index.html",
        "locations/djoura/page/3/index.html",
        "locations/mali/page/3/index.html",
    ] {
        assert!(site.join(p).is_file(), "no {p}");
    }
    assert!(!site.join("page/4").exists());
    let problems = sc::check_links(&site);
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

/// The site paths the links of the 404 page `html` lead to, followed as a browser does
/// from the nested missing address `from` (`fr/events/x/y/index.html`) the host serves
/// it at; `base` is the site's `base_url`, whose links are the site's own.
fn not_found_targets(html: &str, from: &str, base: Option<&str>) -> Vec<(String, String)> {
    sc::link_targets(html)
        .into_iter()
        .map(|(_, u)| u)
        .filter(|u| !u.starts_with('#'))
        .filter_map(|u| {
            let own = match base {
                Some(b) => u.strip_prefix(b).map(|r| format!("/{r}")),
                None => (!sc::is_external(&u)).then(|| u.clone()),
            };
            let path = own?.split(['#', '?']).next().unwrap_or("").to_string();
            let target = match path.strip_prefix('/') {
                Some(r) => sc::resolve("index.html", r),
                None => sc::resolve(from, &path),
            };
            Some((u, target.unwrap_or_else(|| "(above the root)".into())))
        })
        .collect()
}

#[test]
fn the_404_page_links_resolve_from_a_nested_address() {
    // Hosts serve 404.html for `/fr/events/x/y/`: relative links would lead under it.
    // Without base_url, links start from the host's root, in one language and in two.
    let one = fixture("_base");
    let two = fixture("_base");
    let settings = two.path().join("annalist.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(&settings, format!("{text}\nlanguages: [fr, en]\n")).expect("write");
    let (_o1, site1) = built(one.path());
    let (_o2, site2) = built(two.path());
    // With base_url (the sample's), they start from it.
    let sample = sample_site_root();
    let base = "https://annalist.example/mali/";
    let cases: [(&Path, &str, Option<&str>); 6] = [
        (&site1, "404.html", None),
        (&site2, "404.html", None),
        (&site2, "fr/404.html", None),
        (&site2, "en/404.html", None),
        (&sample, "404.html", Some(base)),
        (&sample, "en/404.html", Some(base)),
    ];
    for (site, page, base) in cases {
        let html = read(site, page);
        let tree = page.strip_suffix("404.html").unwrap_or("");
        let from = format!("{tree}events/x/y/index.html");
        let targets = not_found_targets(&html, &from, base);
        assert!(
            targets.iter().any(|(_, t)| t.ends_with("style.css")),
            "{page}: no stylesheet among {targets:?}"
        );
        let broken: Vec<_> = targets
            .iter()
            .filter(|(_, t)| !site.join(t).is_file())
            .collect();
        assert!(broken.is_empty(), "{page} at /{from}: broken {broken:?}");
        if base.is_some() {
            // Every link of the site's own is absolute: none is left relative.
            let relative: Vec<_> = sc::link_targets(&html)
                .into_iter()
                .filter(|(_, u)| !sc::is_external(u) && !u.starts_with('#'))
                .collect();
            assert!(relative.is_empty(), "{page}: relative {relative:?}");
        }
    }
    // The language switch leads to the other tree's page.
    let en = read(&site2, "en/404.html");
    assert!(en.contains(r#"href="/fr/404.html""#), "{en}");
    assert!(en.contains(r#"href="/en/style.css""#), "{en}");
}

#[test]
fn the_link_checker_finds_broken_links() {
    // The checker itself: a site with one of each mistake.
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path();
    std::fs::create_dir_all(site.join("a/b")).unwrap();
    std::fs::write(site.join("a/b/index.html"), r#"<p id="here">x</p>"#).unwrap();
    std::fs::write(site.join("s.css"), "").unwrap();
    std::fs::write(
        site.join("index.html"),
        r##"<link href="s.css"><a href="a/b/">ok</a> <a href="a/b/index.html#here">ok</a>
<a href="a/b/index.html?x=1&amp;y=2#here">ok</a> <a href="#top">no id</a>
<a href="a/">no index</a> <a href="/a/b/index.html">absolute</a> <a href="../x.html">out</a>
<a href="a/b/index.html#nowhere">bad fragment</a> <img src="missing.png">
<a href="https://example.org/">external</a> <a href="javascript:alert(1)">js</a>
<span id="top2"></span>"##,
    )
    .unwrap();
    let problems = sc::check_links(site);
    assert_eq!(problems.len(), 7, "{problems:#?}");
    for needle in [
        "\"#top\"",
        "\"a/\"",
        "absolute",
        "leaves the site",
        "no id \"nowhere\"",
        "missing.png",
        "javascript",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{needle}: {problems:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------
// 4. Feeds (RFC 4287)

#[test]
fn every_feed_of_the_sample_site_follows_rfc_4287() {
    let site = sample_site();
    let feeds = sc::files_ending(&site, "atom.xml");
    assert_eq!(feeds.len(), 1 + 10 + 7, "{feeds:?}");
    let mut problems = Vec::new();
    for f in &feeds {
        for p in sc::check_feed(&read(&site, f)) {
            problems.push(format!("{f}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The main feed carries every event, and its self link points at itself.
    let feed = sc::parse_xml(&read(&site, "atom.xml")).unwrap();
    assert_eq!(feed.all("entry").len(), 4);
    let self_link = feed
        .all("link")
        .into_iter()
        .find(|l| l.attr("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attr("href"),
        Some("https://annalist.example/mali/fr/atom.xml")
    );
    // Content is escaped HTML: decoded once, it is the body's markup.
    let entry = feed
        .all("entry")
        .into_iter()
        .find(|e| e.all("id")[0].text().contains(ATTACK_2025))
        .unwrap();
    let content = entry.all("content")[0].text();
    assert!(
        content.contains("<strong>Fondation Az-Zallaqa</strong>"),
        "{content}"
    );
}

#[test]
fn feeds_follow_rfc_4287_without_base_url() {
    // `_base` has no base_url and two events without a body.
    let dir = fixture("_base");
    let (_out, site) = built(dir.path());
    let feeds = sc::files_ending(&site, "atom.xml");
    assert!(!feeds.is_empty(), "no feed");
    let mut problems = Vec::new();
    for f in &feeds {
        for p in sc::check_feed(&read(&site, f)) {
            problems.push(format!("{f}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_feed_checker_finds_broken_feeds() {
    let bad = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>relative/id</id>
  <title>t</title><title>t2</title>
  <updated>2025-05-23</updated>
  <entry><id>urn:x:1</id><title>a</title><updated>2025-05-23T00:00:00Z</updated>
    <content type="html"><p>raw</p></content></entry>
  <entry><id>urn:x:1</id><updated>2025-05-23T00:00:00Z</updated></entry>
</feed>"#;
    let problems = sc::check_feed(bad);
    for needle in [
        "not an absolute IRI",
        "2 <title>",
        "RFC 3339",
        "self",
        "raw <p>",
        "repeats",
        "0 <title>",
        "no author",
        "alternate",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{needle}: {problems:#?}"
        );
    }
    assert!(
        sc::check_feed("<feed><id>x</feed>")
            .iter()
            .any(|p| p.contains("XML"))
    );
    assert!(
        sc::check_feed("<feed>a & b</feed>")
            .iter()
            .any(|p| p.contains("XML"))
    );
}

#[test]
fn the_xml_parser_refuses_what_is_not_well_formed() {
    let good = r#"<?xml version="1.0"?><a xmlns="urn:x" k="1 &amp; 2"><b>&lt;p&gt; &#233;</b><![CDATA[<i>]]></a>"#;
    let root = sc::parse_xml(good).expect("well-formed");
    assert_eq!(
        (root.name.as_str(), root.namespace.as_deref()),
        ("a", Some("urn:x"))
    );
    assert_eq!(root.attr("k"), Some("1 & 2"));
    assert_eq!(root.all("b")[0].text(), "<p> é");
    assert_eq!(root.text(), "<i>");
    for bad in [
        "<a><b></a></b>",
        "<a>x</a><a>y</a>",
        "<a>x</a>text",
        "<a>tom & jerry</a>",
        "<a>&nbsp;</a>",
        "<a k=1/>",
        "<a k=\"<\"/>",
        "<a k=\"1\" k=\"2\"/>",
        "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
        "<a>\u{1}</a>",
        "<a>&#1;</a>",
        "<a>]]></a>",
        "<a>",
        "<x:a/>",
    ] {
        assert!(sc::parse_xml(bad).is_err(), "accepted {bad:?}");
    }
}

// ---------------------------------------------------------------------------------
// 5. Hostile text never becomes markup

/// The payloads of `tests/fixtures/build/injection/`, in the fields that can hold them.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[y](JaVaScRiPt:alert(1))",
    "[z](data:text/html,<script>alert(1)</script>)",
    "\"><script>",
    "</script>",
];

const INJECTED: &str = "2025-06-01-injected-event";

#[test]
fn the_injection_fixture_holds_every_payload() {
    // Guards the fixture itself: each payload is in it, in the fields the test names.
    let yaml = std::fs::read_to_string(
        common::fixture_dir("build", "injection").join(format!("events/2025/{INJECTED}.yaml")),
    )
    .expect("injected event");
    for p in PAYLOADS {
        assert!(yaml.contains(p), "the fixture lacks {p:?}");
    }
    for field in ["title:", "summary:", "body:", "claim:", "quote:"] {
        assert!(yaml.contains(field), "{field}");
    }
    let actor = std::fs::read_to_string(
        common::fixture_dir("build", "injection").join("events/actors/evil-group.yaml"),
    )
    .unwrap();
    assert!(actor.contains("aliases:") && actor.contains("<script>alert(1)</script>"));
}

/// The site of the injection fixture, built once per run; tests only read it.
fn injection_site() -> PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    let site = crate::shared::shared(&SITE, "build-injection", |dir| {
        let root = dir.join("chronology");
        common::chronology_in("build", "injection", &root);
        let out = dir.join("site");
        let run = build(&root, &out);
        assert_eq!(
            run.code, 0,
            "build of the injection fixture failed:\n{run:#?}"
        );
        out
    });
    site.to_path_buf()
}

#[test]
fn hostile_text_is_never_markup() {
    let site = injection_site();
    let all = sc::files(&site);
    let mut problems = Vec::new();
    for (path, bytes) in &all {
        let s = String::from_utf8_lossy(bytes);
        // The data exports carry the editors' text verbatim, as data (a CSV cannot
        // escape `<`); they are checked on their own below.
        let is_data = path.starts_with("data/");
        if !is_data && s.contains("<script>alert") {
            problems.push(format!("{path}: holds <script>alert"));
        }
        let lower = s.to_ascii_lowercase();
        for bad in [
            "href=\"javascript:",
            "href=\"data:",
            "src=\"javascript:",
            "src=\"data:",
        ] {
            if !is_data && lower.contains(bad) {
                problems.push(format!("{path}: holds {bad}"));
            }
        }
        if !path.ends_with(".html") {
            continue;
        }
        // The elements the templates write themselves: the filter form, the script
        // that drives it or the map's zoom (from the site, deferred, without inline
        // code), and the
        // charts (the strip of months, a map). No more than one page can hold.
        let mut own = [0usize; 5];
        for t in sc::tags(&s) {
            if t.closing {
                continue;
            }
            for (name, value) in &t.attrs {
                if name.starts_with("on") {
                    problems.push(format!("{path}: <{} {name}={value:?}>", t.name));
                }
                let cleaned: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(name.as_str(), "href" | "src" | "action" | "formaction")
                    && ["javascript:", "data:", "vbscript:"]
                        .iter()
                        .any(|s| cleaned.starts_with(s))
                {
                    problems.push(format!("{path}: <{} {name}={value:?}>", t.name));
                }
            }
            match t.name.as_str() {
                "script" if t.attr("type") == Some("application/ld+json") => {}
                "script"
                    if t.attr("src").is_some_and(|src| {
                        src.ends_with("filter.js") || src.ends_with("map.js")
                    }) && t.attr("defer").is_some()
                        && s[t.end..].trim_start().starts_with("</script>") =>
                {
                    own[0] += 1
                }
                "script"
                    if t.attr("src").is_some_and(|src| src.ends_with("strip.js"))
                        && t.attr("defer").is_some()
                        && s[t.end..].trim_start().starts_with("</script>") =>
                {
                    own[3] += 1
                }
                // The one inline script, base.html's: the class that shows the form
                // from the first paint. Its text is the template's, never the data's.
                "script"
                    if t.attrs.is_empty()
                        && s[t.end..].starts_with(
                            "document.documentElement.classList.add(\"js\")</script>",
                        ) =>
                {
                    own[4] += 1
                }
                "form" if t.has_class("filter") => own[1] += 1,
                "svg" if t.has_class("chart") => own[2] += 1,
                "script" => problems.push(format!("{path}: a <script> that is not JSON-LD")),
                "img" | "iframe" | "object" | "embed" | "svg" | "math" | "form" | "base" => {
                    problems.push(format!("{path}: a <{}> element", t.name))
                }
                _ => {}
            }
        }
        if own[0] > 1 || own[1] > 1 || own[2] > 2 || own[3] > 1 || own[4] > own[0] {
            problems.push(format!("{path}: {own:?} scripts, forms and charts"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_json_ld_block_cannot_be_closed_early() {
    let site = injection_site();
    let mut checked = 0;
    for page in sc::files_ending(&site, ".html") {
        let html = read(&site, &page);
        let open = r#"<script type="application/ld+json">"#;
        let mut from = 0;
        while let Some(p) = html[from..].find(open) {
            let start = from + p + open.len();
            let end = sc::find_ci(&html, "</script", start).expect("closed");
            let json = &html[start..end];
            assert!(
                !json.contains('<'),
                "{page}: `<` inside the JSON-LD: {json}"
            );
            let v: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{page}: the JSON-LD block is cut short ({e}): {json}"));
            if page.contains(INJECTED) {
                assert_eq!(
                    v["name"],
                    "<script>alert(1)</script> <img src=x onerror=alert(1)> \
                     \"><script>alert(1)</script> </script>",
                    "the title survives whole"
                );
                assert!(
                    v["location"][0]["name"]
                        .as_str()
                        .unwrap()
                        .contains("</script>")
                );
            }
            checked += 1;
            from = end;
        }
    }
    assert_eq!(checked, 5, "one JSON-LD block per event page");
}

#[test]
fn hostile_text_is_shown_as_text() {
    // Escaped, not dropped: readers see what the editor wrote.
    let site = injection_site();
    let page = format!("events/{INJECTED}/index.html");
    let text = sc::text(&read(&site, &page));
    for shown in [
        "<script>alert(1)</script> <img src=x onerror=alert(1)> \"><script>alert(1)</script> </script>",
        "<img src=x onerror=alert(1)>",
    ] {
        assert!(
            text.contains(shown),
            "{page} does not show {shown:?}: {text}"
        );
    }
    let actor = sc::text(&read(&site, "actors/evil-group/index.html"));
    assert!(
        actor.contains("<img src=x onerror=alert(1)>"),
        "alias shown: {actor}"
    );
    // Dropped links keep their words.
    assert!(text.contains("Texte x et y et z et w"), "{text}");
}

#[test]
fn injected_pages_have_no_broken_links() {
    let site = injection_site();
    let problems = sc::check_links(&site);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn injected_feeds_stay_valid_and_their_html_stays_inert() {
    let site = injection_site();
    let feeds = sc::files_ending(&site, "atom.xml");
    assert!(!feeds.is_empty(), "no feed");
    let mut problems = Vec::new();
    for f in &feeds {
        let xml = read(&site, f);
        // Without base_url, entries without a body break §4.1.1 (see the ignored
        // test above); everything else must hold.
        for p in sc::check_feed(&xml) {
            if !p.contains("§4.1.1") {
                problems.push(format!("{f}: {p}"));
            }
        }
        let feed = sc::parse_xml(&xml).expect("well-formed");
        for entry in feed.all("entry") {
            for c in entry.all("content") {
                // What a feed reader renders: the decoded HTML.
                for t in sc::tags(&c.text()) {
                    let bad_attr = t.attrs.iter().any(|(n, v)| {
                        n.starts_with("on")
                            || v.to_ascii_lowercase().trim().starts_with("javascript:")
                    });
                    if t.name == "script" || t.name == "img" || bad_attr {
                        problems.push(format!("{f}: <{}> in an entry's HTML content", t.name));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Characters XML 1.0 forbids, written as YAML escapes (the YAML parser refuses them
/// raw), once made every feed carrying the event unreadable. A strict parser
/// (`xmllint`, installed by `tests/setup.sh`) must accept every XML file of the site.
#[test]
fn characters_xml_forbids_never_reach_the_feeds() {
    let dir = fixture("_base");
    let event = dir.path().join("events/2024/2024-02-mopti-patrol.yaml");
    let text = std::fs::read_to_string(&event).expect("read");
    let text = text.replace(
        "title: Patrouille de l'armée dans la région de Mopti",
        "title: \"Patrouille\\uFFFE de l'armée\\uFFFF dans la région\\x01 de Mopti\\x7F\\u0085\\uFDD0\"",
    );
    std::fs::write(
        &event,
        text + "summary: \"Résumé \\uFFFF\\uFFFE\\x1B[2J fin\"\n",
    )
    .expect("write");
    let (_out, site) = built(dir.path());
    let mut checked = 0;
    for f in sc::files_ending(&site, ".xml") {
        let run = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg(site.join(&f))
            .output()
            .expect("xmllint (tests/setup.sh installs it)");
        assert!(
            run.status.success(),
            "{f} is not XML: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        checked += 1;
    }
    let atom = read(&site, "atom.xml");
    // Dropped, and nothing else: the discouraged but valid ones stay.
    assert!(
        atom.contains("Patrouille de l&apos;armée dans la région de Mopti\u{7F}\u{85}\u{FDD0}"),
        "{atom}"
    );
    assert!(atom.contains("Résumé [2J fin"), "{atom}");
    assert!(checked >= 3, "only {checked} XML files");
}

#[test]
fn exports_keep_hostile_text_as_data_and_neutralise_formulas() {
    let site = injection_site();
    let doc: serde_json::Value =
        serde_json::from_str(&read(&site, "data/events.json")).expect("valid JSON");
    let e = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == INJECTED)
        .expect("injected event");
    assert_eq!(
        e["title"],
        "<script>alert(1)</script> <img src=x onerror=alert(1)> \"><script>alert(1)</script> </script>"
    );
    let bytes = std::fs::read(site.join("data/events.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let formula = rows
        .iter()
        .find(|r| &r[0] == "2025-06-02-formula-title")
        .expect("formula row");
    assert_eq!(
        &formula[col("title")],
        "'=HYPERLINK(\"https://evil.example/?x=1\",\"cliquez\")"
    );
    assert!(formula[col("summary")].starts_with("'@"), "{formula:?}");
    assert!(formula[col("sources")].starts_with("'+"), "{formula:?}");
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            assert!(
                !cell.starts_with(['=', '+', '@', '-'])
                    || header[i] == "longitude"
                    || header[i] == "latitude",
                "{}: column {} starts a formula: {cell:?}",
                &r[0],
                header[i]
            );
        }
    }
}

#[test]
fn an_unsafe_image_leaves_balanced_markup() {
    let site = injection_site();
    let page = format!("events/{INJECTED}/index.html");
    let html = read(&site, &page);
    let body = sc::elements(&html, |t| t.name == "section" && t.has_class("body"));
    let problems = sc::check_nesting(body[0]);
    assert!(problems.is_empty(), "{page}: {problems:?}\n{}", body[0]);
}

#[test]
fn a_summary_of_two_paragraphs_stays_valid_html() {
    let dir = fixture("_base");
    let file = dir
        .path()
        .join("events/2025/2025-05-23-djoura-camp-attack.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap().replace(
        "summary: Le JNIM revendique une attaque contre le camp de Djoura.",
        "summary: |\n  Premier paragraphe.\n\n  Second paragraphe.",
    );
    std::fs::write(&file, yaml).unwrap();
    let (_out, site) = built(dir.path());
    let pages = sc::files_ending(&site, ".html");
    assert!(!pages.is_empty(), "no page");
    let mut problems = Vec::new();
    for page in &pages {
        for p in sc::check_nesting(&read(&site, page)) {
            problems.push(format!("{page}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------
// 6. The output folder is safe

#[test]
fn a_failed_build_leaves_the_previous_site_byte_identical() {
    let dir = fixture("_base");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    let first = build(dir.path(), &out);
    assert_eq!(first.code, 0, "{first:#?}");
    let before = sc::tree(out_dir.path());
    assert!(before.contains_key("site/events/2024-02-mopti-patrol/index.html"));

    // Break one event: an unknown actor.
    let file = dir.path().join("events/2024/2024-02-mopti-patrol.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, yaml.replace("id: fama", "id: famaa")).unwrap();
    let second = build(dir.path(), &out);
    assert_eq!(second.code, 1, "{second:#?}");
    assert!(
        second.stderr.contains("2024-02-mopti-patrol.yaml"),
        "{}",
        second.stderr
    );
    assert!(
        second.stderr.contains("the site was not built"),
        "{}",
        second.stderr
    );
    // Byte for byte, and no staging folder left beside it.
    assert!(
        sc::tree(out_dir.path()) == before,
        "the previous site changed"
    );

    // A YAML syntax error too.
    std::fs::write(&file, "title: [unclosed\n").unwrap();
    let third = build(dir.path(), &out);
    assert_eq!(third.code, 1, "{third:#?}");
    assert!(
        sc::tree(out_dir.path()) == before,
        "the previous site changed"
    );
}

#[test]
fn a_broken_template_fails_without_touching_the_previous_site() {
    let dir = fixture("_base");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    assert_eq!(build(dir.path(), &out).code, 0);
    let before = sc::tree(out_dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/event.html"),
        "{% extends \"base.html\" %}{% block main %}{{ e.nothing.here }}{% endblock main %}",
    )
    .unwrap();
    let run = build(dir.path(), &out);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("event.html"), "{}", run.stderr);
    assert!(
        sc::tree(out_dir.path()) == before,
        "the previous site changed"
    );
}

#[test]
fn an_output_folder_with_foreign_files_is_refused() {
    let dir = fixture("_base");
    let out_dir = tempfile::tempdir().unwrap();
    let out_base = out_dir.path().canonicalize().unwrap();
    let out = out_base.join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), b"my notes\n").unwrap();
    let before = sc::tree(out_dir.path());
    let run = build(dir.path(), &out);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr.contains(&format!("{}/", out.display())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did not create"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(sc::tree(out_dir.path()) == before, "the folder changed");
    let shown = run.stderr.replace(utf8(&out_base), "[OUT]");
    insta::assert_snapshot!("refused_foreign_folder", shown);
}

/// A chronology at `<tmp>/chron`, with a symlink `<tmp>/link` to it: outputs that must
/// all be refused without changing anything under `<tmp>`.
#[test]
fn outputs_that_are_or_hold_the_chronology_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let root = base.join("chron");
    std::fs::create_dir(&root).unwrap();
    sc::copy_chronology_reversed(&common::fixture_dir("build", "_base"), &root);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, base.join("link")).unwrap();
    let before = sc::tree(&base);
    let mut cases: Vec<(String, PathBuf, &str)> = vec![
        ("root".into(), root.clone(), "chronology folder itself"),
        ("root/.".into(), root.join("."), "chronology folder itself"),
        ("events".into(), root.join("events"), "`events/`"),
        ("events/2023".into(), root.join("events/2023"), "`events/`"),
        ("..".into(), root.join(".."), "contains the chronology"),
        (
            "../chron".into(),
            root.join("../chron"),
            "chronology folder itself",
        ),
    ];
    #[cfg(unix)]
    cases.push((
        "symlink".into(),
        base.join("link"),
        "chronology folder itself",
    ));
    let mut shown = String::new();
    for (what, out, why) in &cases {
        let run = build(&root, out);
        assert_eq!(run.code, 2, "{what}: {run:#?}");
        assert!(run.stderr.contains(why), "{what}: {}", run.stderr);
        assert!(run.stderr.contains("help:"), "{what}: {}", run.stderr);
        assert!(sc::tree(&base) == before, "{what}: something changed");
        shown.push_str(&format!(
            "--output {what}\n{}\n",
            run.stderr.replace(utf8(&base), "[TMP]")
        ));
    }
    // Relative forms, from inside the chronology.
    for (arg, why) in [
        (".", "chronology folder itself"),
        ("events", "`events/`"),
        ("..", "contains"),
    ] {
        let run = sc::run(&["build", ".", "--output", arg], &root);
        assert_eq!(run.code, 2, "{arg}: {run:#?}");
        assert!(run.stderr.contains(why), "{arg}: {}", run.stderr);
        assert!(sc::tree(&base) == before, "{arg}: something changed");
    }
    insta::assert_snapshot!("refused_outputs", shown);
}

#[test]
fn a_second_build_replaces_the_first_and_drops_deleted_pages() {
    let dir = fixture("_base");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("site");
    assert_eq!(build(dir.path(), &out).code, 0);
    for p in [
        "events/2024-02-mopti-patrol/index.html",
        "years/2024/index.html",
        "tags/patrouille/index.html",
        "types/strategic-development/index.html",
    ] {
        assert!(out.join(p).is_file(), "first build: no {p}");
    }
    std::fs::remove_file(dir.path().join("events/2024/2024-02-mopti-patrol.yaml")).unwrap();
    let run = build(dir.path(), &out);
    assert_eq!(run.code, 0, "{run:#?}");
    for p in [
        "events/2024-02-mopti-patrol",
        "years/2024",
        "tags/patrouille",
        "types/strategic-development",
    ] {
        assert!(!out.join(p).exists(), "second build: {p} is still there");
    }
    let text = read(&out, "index.html");
    assert!(!text.contains("2024-02-mopti-patrol"));
    // The same as a build into a fresh folder, and nothing left beside it.
    let (_fresh_dir, fresh) = built(dir.path());
    sc::assert_same_tree(&out, &fresh, "rebuilt vs fresh");
    let beside: Vec<String> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["site".to_string()]);
}

// ---------------------------------------------------------------------------------
// 7. Reproducible builds

#[test]
fn builds_are_byte_identical_whatever_the_threads_and_file_order() {
    let root = sample_root();
    let tmp = tempfile::tempdir().unwrap();
    let build_with = |root: &Path, out: &Path, threads: &str| {
        let run = sc::run_env(
            &["build", utf8(root), "--output", utf8(out)],
            root,
            &[("RAYON_NUM_THREADS", threads)],
        );
        assert_eq!(run.code, 0, "{root:?} with {threads} threads: {run:#?}");
    };
    // The repository, on one thread and on two.
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    build_with(root, &one, "1");
    build_with(root, &two, "2");
    assert!(sc::files(&one).len() > 50);
    sc::assert_same_tree(&one, &two, "1 thread vs 2 threads");
    // Copies made in name order and in reverse order. They are compared with each
    // other, not with the repository: a copy has no git history, and event pages
    // show the history only when there is one.
    let (forward_root, reversed_root) = (tmp.path().join("fwd"), tmp.path().join("rev"));
    sc::copy_chronology(root, &forward_root, false);
    sc::copy_chronology(root, &reversed_root, true);
    let (forward, reversed) = (tmp.path().join("fwd-site"), tmp.path().join("rev-site"));
    build_with(&forward_root, &forward, "1");
    build_with(&reversed_root, &reversed, "8");
    sc::assert_same_tree(
        &forward,
        &reversed,
        "copy in name order vs in reverse order",
    );
}

#[test]
fn the_injection_fixture_builds_reproducibly_too() {
    let dir = fixture("injection");
    let copy = tempfile::tempdir().unwrap();
    sc::copy_chronology_reversed(dir.path(), copy.path());
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let run = sc::run_env(
        &["build", utf8(dir.path()), "--output", utf8(&a)],
        dir.path(),
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    let run = sc::run_env(
        &["build", utf8(copy.path()), "--output", utf8(&b)],
        copy.path(),
        &[("RAYON_NUM_THREADS", "3")],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    sc::assert_same_tree(&a, &b, "injection fixture");
}

// ---------------------------------------------------------------------------------
// Cards rendered once

/// The `timeline` macro as it was when it rendered the `card` macro for every list:
/// a chronology may still have it in its own `macros.html`.
const FORMER_TIMELINE_CARD: &str = r#"{% for e in m.events %}<li>{% if level == 2 %}{{ self::card(e=e, root=root, t=t, heading="h4") }}{% else %}{{ self::card(e=e, root=root, t=t, heading="h5") }}{% endif %}</li>"#;

/// Builds the chronology at `root` as it is (each card rendered once, then pasted
/// into every list) and with its own copy of `macros.html` whose `timeline` renders
/// the `card` macro in each list, as it was, and asserts that both sites are the same.
fn assert_cards_as_when_rendered_per_list(root: &Path, what: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let (pasted_root, whole_root) = (tmp.path().join("pasted"), tmp.path().join("whole"));
    sc::copy_chronology(root, &pasted_root, false);
    sc::copy_chronology(root, &whole_root, false);
    let macros = include_str!("../../templates/macros.html");
    let pasted_line = "{% for e in m.events %}<li>{{ e.html | safe }}</li>";
    assert!(macros.contains(pasted_line), "macros.html changed");
    std::fs::create_dir_all(whole_root.join("templates")).unwrap();
    std::fs::write(
        whole_root.join("templates/macros.html"),
        macros.replace(pasted_line, FORMER_TIMELINE_CARD),
    )
    .unwrap();
    let (pasted, whole) = (
        tmp.path().join("pasted-site"),
        tmp.path().join("whole-site"),
    );
    for (root, out) in [(&pasted_root, &pasted), (&whole_root, &whole)] {
        let run = build(root, out);
        assert_eq!(run.code, 0, "{what}: {run:#?}");
    }
    sc::assert_same_tree(&pasted, &whole, what);
}

#[test]
fn cards_rendered_once_are_the_cards_the_macro_renders_in_each_list() {
    // Both languages, claims, units of actors (`via`), roles, places and their parents.
    assert_cards_as_when_rendered_per_list(sample_root(), "sample");
    // Markup and quotes in every text.
    assert_cards_as_when_rendered_per_list(fixture("injection").path(), "injection");
}

#[test]
fn a_card_whose_text_looks_like_a_placeholder_is_rendered_whole() {
    // Cards are rendered once with tokens of Unicode's private use area in the place
    // of what lists change; a text holding such a token must stay as written.
    let dir = tempfile::tempdir().unwrap();
    sc::copy_chronology(sample_root(), dir.path(), false);
    std::fs::write(
        dir.path().join("events/2025/2025-05-30-marks.yaml"),
        "title: \"Marque \\uE000r \\uE000h \\uE000e fin\"\n\
         summary: \"R\\uE000o\\uE000v \\uE000\"\n\
         date: 2025-05-30\ntype: attack\nstatus: reported\n\
         locations: [djoura]\nactors:\n  - id: jnim\n    role: perpetrator\n\
         sources:\n  - publisher: Test\n",
    )
    .unwrap();
    assert_cards_as_when_rendered_per_list(dir.path(), "placeholders in a text");
    let (_tmp, site) = built(dir.path());
    let page = read(&site, "fr/locations/djoura/index.html");
    assert!(
        page.contains(">Marque \u{E000}r \u{E000}h \u{E000}e fin</a>"),
        "{page}"
    );
}
