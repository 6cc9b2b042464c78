//! Dated relations drive the roll-up of actors (issue 14): a unit's event reaches a
//! group's page, feed, counts, strip and search filter only while the relation held,
//! is shown with a note when the dates cannot tell, and the card states the path it
//! came through in words, never a verification. The fixture
//! (`tests/fixtures/build/time-actors/`) is a handful of real events and actors copied
//! from `tests/fixtures/mali-2012-2025/`.

use crate::common;
use crate::site_checks as sc;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const AGUELHOK_2012: &str = "2012-01-aguelhok-killings";
const RADISSON_2015: &str = "2015-11-20-radisson-blu-attack";
const GAO_MOC_2017: &str = "2017-01-18-gao-moc-camp-bombing";
const JNIM_FOUNDED: &str = "2017-03-02-jnim-founded";
const BAMAKO_2024: &str = "2024-09-17-bamako-attacks";

/// The fixture's site, built once (the fixture folder is only read).
fn site() -> PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    crate::shared::shared(&SITE, "time-actors", |dir| {
        let root = common::fixture_dir("build", "time-actors");
        let out = dir.join("site");
        let utf8 = |p: &Path| p.to_str().expect("UTF-8 paths").to_string();
        let run = sc::run(&["build", &utf8(&root), "--output", &utf8(&out)], &root);
        assert_eq!(run.code, 0, "build of the fixture failed:\n{run:#?}");
        out
    })
    .to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The cards of `html` (the page of an actor) for `event`, as their markup.
fn card<'a>(html: &'a str, event: &str) -> Option<&'a str> {
    let link = format!("events/{event}/index.html\"");
    sc::elements(html, |t| t.name == "article" && t.has_class("event"))
        .into_iter()
        .find(|c| c.contains(&link))
}

/// The text of the elements of class `class` inside `html`.
fn texts(html: &str, class: &str) -> Vec<String> {
    sc::elements(html, |t| t.has_class(class))
        .into_iter()
        .map(sc::text)
        .collect()
}

#[test]
fn a_group_is_not_credited_with_events_from_before_its_units_joined_it() {
    for lang in ["fr", "en"] {
        let html = read(&format!("{lang}/actors/jnim/index.html"));
        // Ansar Dine (part of JNIM since March 2017) in 2012, al-Mourabitoun (part of
        // JNIM since March 2017) in 2015 and January 2017: JNIM did not exist.
        for event in [AGUELHOK_2012, RADISSON_2015, GAO_MOC_2017] {
            assert!(card(&html, event).is_none(), "{lang}: JNIM lists {event}");
        }
        for event in [JNIM_FOUNDED, BAMAKO_2024] {
            assert!(card(&html, event).is_some(), "{lang}: JNIM lacks {event}");
        }
        let count = texts(&html, "count").join(" ");
        let expected = if lang == "fr" {
            "2 événements ·"
        } else {
            "2 events ·"
        };
        assert!(count.starts_with(expected), "{lang}: {count}");
        assert!(
            !html.contains("link-note") && !html.contains("hatch"),
            "{lang}"
        );
        let feed = read(&format!("{lang}/actors/jnim/atom.xml"));
        assert!(!feed.contains(AGUELHOK_2012) && !feed.contains(RADISSON_2015));
    }
}

#[test]
fn an_event_the_dates_cannot_place_is_shown_with_a_note_and_counted_apart() {
    // al-Mourabitoun branch-of AQIM since 2015-12~ until 2017-03: the Radisson Blu
    // attack (20 November 2015) and JNIM's founding (2 March 2017) are possible, the
    // Gao bombing (18 January 2017) certain.
    let cases = [
        (
            "fr",
            "5 événements, dont 2 à rattachement incertain",
            "Par l'intermédiaire de : Al-Mourabitoun (auteur, revendicateur ; branche d'AQMI de décembre 2015 environ à mars 2017)",
            "Rattachement possible : l'événement est daté du 20 novembre 2015 ; Al-Mourabitoun a été une branche d'AQMI de décembre 2015 environ à mars 2017.",
            "Par l'intermédiaire de : JNIM (auteur, revendicateur ; branche d'AQMI depuis mars 2017)",
            "Hachuré : événements à rattachement incertain.",
        ),
        (
            "en",
            "5 events, 2 of them possibly linked",
            "Through Al-Mourabitoun (perpetrator, claimant; branch of AQIM from around December 2015 to March 2017)",
            "Possibly linked: the event is dated 20 November 2015; Al-Mourabitoun was a branch of AQIM from around December 2015 to March 2017.",
            "Through JNIM (perpetrator, claimant; branch of AQIM since March 2017)",
            "Hatched: events possibly linked.",
        ),
    ];
    for (lang, count, via, note, via_jnim, legend) in cases {
        let html = read(&format!("{lang}/actors/aqim/index.html"));
        let counted = texts(&html, "count").join(" ");
        assert!(counted.starts_with(count), "{lang}: {counted}");

        let radisson = card(&html, RADISSON_2015).expect("the Radisson Blu attack");
        assert_eq!(texts(radisson, "via"), vec![via.to_string()], "{lang}");
        assert_eq!(
            texts(radisson, "link-note"),
            vec![note.to_string()],
            "{lang}"
        );
        // The path is no part of the status line, and nothing says "confirmed by"; the
        // unit's roles go with the unit, not beside the status as if AQIM's.
        for status in texts(radisson, "status") {
            assert!(!status.contains("Al-Mourabitoun"), "{lang}: {status}");
            assert!(!status.contains('('), "{lang}: {status}");
        }

        let gao = card(&html, GAO_MOC_2017).expect("the Gao bombing");
        assert_eq!(texts(gao, "via"), vec![via.to_string()], "{lang}");
        assert!(texts(gao, "link-note").is_empty(), "{lang}: a certain link");
        let bamako = card(&html, BAMAKO_2024).expect("the 2024 Bamako attacks");
        assert_eq!(texts(bamako, "via"), vec![via_jnim.to_string()], "{lang}");
        assert!(texts(bamako, "link-note").is_empty(), "{lang}");
        // AQIM's own event: neither.
        let aguelhok = card(&html, AGUELHOK_2012).expect("Aguelhok");
        assert!(texts(aguelhok, "via").is_empty() && texts(aguelhok, "link-note").is_empty());

        // The month strip draws them hatched, with its legend.
        let strip = sc::elements(&html, |t| t.name == "figure" && t.has_class("strip"));
        let strip = strip.first().expect("a strip");
        assert!(sc::text(strip).contains(legend), "{lang}");
        assert_eq!(strip.matches("class=\"bar possible\"").count(), 2, "{lang}");

        // The feed carries the note.
        let feed = read(&format!("{lang}/actors/aqim/atom.xml"));
        let feed = sc::decode_entities(&feed).replace('\u{a0}', " ");
        assert!(feed.contains(note), "{lang}: {feed}");
    }
}

#[test]
fn a_longer_path_is_written_hop_by_hop() {
    let html = read("fr/actors/al-qaeda/index.html");
    let gao = card(&html, GAO_MOC_2017).expect("the Gao bombing");
    assert_eq!(
        texts(gao, "via"),
        vec![
            "Par l'intermédiaire de : Al-Mourabitoun (auteur, revendicateur ; branche d'AQMI de décembre 2015 environ à mars 2017) → AQMI (branche d'Al-Qaïda depuis septembre 2006 environ)"
                .to_string()
        ]
    );
    let html = read("en/actors/al-qaeda/index.html");
    let bamako = card(&html, BAMAKO_2024).expect("the 2024 Bamako attacks");
    assert_eq!(
        texts(bamako, "via"),
        vec![
            "Through JNIM (perpetrator, claimant; branch of AQIM since March 2017) → AQIM (branch of Al-Qaeda since around September 2006)"
                .to_string()
        ]
    );
}

#[test]
fn the_search_filter_matches_possible_events_by_the_actor_and_excluded_ones_not() {
    let index = sc::SearchIndex::read(&site().join("fr"));
    let events_of = |id: &str| index.facet(&format!("a{}", index.position("a", id)));
    let (aqim, jnim) = (events_of("aqim"), events_of("jnim"));
    let has = |list: &[String], e: &str| list.iter().any(|x| x == e);
    assert!(has(&aqim, RADISSON_2015));
    assert!(!has(&jnim, RADISSON_2015));
    assert!(!has(&jnim, AGUELHOK_2012));
    assert!(has(&aqim, BAMAKO_2024));
}
