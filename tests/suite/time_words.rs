//! Relations and names in words, on both sides and at the event's date (issue 14):
//! the real binary builds `tests/fixtures/build/time-words/` (actors of the Mali
//! fixture over the build suite's `_base`) and the pages are read as text, the way a
//! reader reads them.

use crate::shared::fixture_site;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The site of the fixture, built once per test (small: a few hundred KB).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    fixture_site(&SITE, "build", "time-words")
}

/// The text of a page as a reader sees it: no tags, entities decoded, spaces joined.
fn text(site: &Path, rel: &str) -> String {
    let html = std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    crate::site_checks::joined_text(&html)
}

/// The facts block (names, relations) of an actor's page, as text.
fn facts(site: &Path, lang: &str, actor: &str) -> String {
    let page = text(site, &format!("{lang}/actors/{actor}/index.html"));
    let events = if lang == "fr" {
        "Événements"
    } else {
        "Events"
    };
    page.split(events).next().unwrap_or_default().to_string()
}

#[test]
fn time_words_relations_read_in_words_on_both_sides() {
    let site = site();
    let mali = facts(site, "fr", "mali-government");
    // Ended memberships are past, never worded as current, with their dates and notes.
    let (current, past) = mali
        .split_once("Relations passées")
        .expect("past relations");
    assert!(
        current.contains("membre d'AES depuis le 16 septembre 2023 — charte du Liptako-Gourma"),
        "{mali}"
    );
    assert!(
        past.contains(
            "membre de CEDEAO jusqu'au 29 janvier 2025 — retrait annoncé le 28 janvier 2024"
        ),
        "{mali}"
    );
    assert!(
        past.contains(
            "membre de G5 Sahel de février 2014 à mai 2022 — retrait annoncé le 15 mai 2022"
        ),
        "{mali}"
    );
    assert!(!current.contains("CEDEAO"), "{mali}");
    let en = facts(site, "en", "mali-government");
    assert!(
        en.contains("Past relations member of ECOWAS until 29 January 2025 — withdrawal announced"),
        "{en}"
    );
    assert!(
        en.contains("member of G5 Sahel from February 2014 to May 2022"),
        "{en}"
    );

    // The target's page: the inverse label, the same dates and note.
    let ecowas = facts(site, "fr", "ecowas");
    assert!(
        ecowas.contains("Relations passées a pour membre : Gouvernement du Mali, jusqu'au 29 janvier 2025 — retrait annoncé le 28 janvier 2024"),
        "{ecowas}"
    );
    let ecowas = facts(site, "en", "ecowas");
    assert!(
        ecowas.contains("Past relations has as a member: Government of Mali, until 29 January 2025 — withdrawal announced on 28 January 2024"),
        "{ecowas}"
    );
    let g5 = facts(site, "fr", "g5-sahel");
    assert!(
        g5.contains("a pour membre : Gouvernement du Mali, de février 2014 à mai 2022"),
        "{g5}"
    );
}

#[test]
fn time_words_one_off_relations_and_successions_stated_once() {
    let site = site();
    let isgs = facts(site, "fr", "isgs");
    assert!(
        isgs.contains("issu d'une scission d'Al-Mourabitoun en mai 2015"),
        "{isgs}"
    );
    assert!(
        isgs.contains("branche d'EI depuis mars 2022 environ"),
        "{isgs}"
    );
    let past = isgs
        .split_once("Relations passées")
        .expect("past relations")
        .1;
    assert!(
        past.contains("fait partie d'EIAO de 2019 environ à mars 2022 environ"),
        "{isgs}"
    );
    let en = facts(site, "en", "isgs");
    assert!(en.contains("split from Al-Mourabitoun in May 2015"), "{en}");
    assert!(
        en.contains("part of ISWAP from around 2019 to around March 2022"),
        "{en}"
    );
    let mourabitoun = facts(site, "en", "al-mourabitoun");
    assert!(
        mourabitoun.contains("saw the split of: IS Sahel, in May 2015"),
        "{mourabitoun}"
    );

    // Serval `succeeded-by barkhane` and Barkhane `successor-of serval`: one fact,
    // said once on each page, by that page's own entry.
    let serval = facts(site, "fr", "serval");
    assert_eq!(serval.matches("Barkhane").count(), 1, "{serval}");
    assert!(
        serval.contains("remplacé par Barkhane le 1er août 2014"),
        "{serval}"
    );
    let barkhane = facts(site, "en", "barkhane");
    assert_eq!(barkhane.matches("Serval").count(), 1, "{barkhane}");
    assert!(
        barkhane.contains("successor of Serval on 1 August 2014"),
        "{barkhane}"
    );
}

#[test]
fn time_words_names_at_the_date_of_the_event() {
    let site = site();
    // The entity's page lists its names with their dates.
    let isgs = facts(site, "fr", "isgs");
    assert!(
        isgs.contains(
            "Noms successifs EIGS — État islamique dans le Grand Sahara, jusqu'en mars 2022"
        ),
        "{isgs}"
    );
    let en = facts(site, "en", "isgs");
    assert!(
        en.contains("Names over time ISGS — Islamic State in the Greater Sahara, until March 2022"),
        "{en}"
    );

    // A 2021 card and event page name the group as it was called then.
    let card = |lang: &str| {
        let page = text(site, &format!("{lang}/years/2021/index.html"));
        let title = if lang == "fr" {
            "Attaques contre Ouatagouna"
        } else {
            "Attacks on Ouatagouna"
        };
        page.split_once(title)
            .map(|(_, card)| card.to_string())
            .unwrap_or_default()
    };
    assert!(card("fr").contains("EIGS"), "{}", card("fr"));
    assert!(!card("fr").contains("EI Sahel"), "{}", card("fr"));
    assert!(card("en").contains("ISGS"), "{}", card("en"));
    let event = text(site, "fr/events/2021-08-08-ouatagouna-attacks/index.html");
    assert!(
        event.contains("EIGS") && !event.contains("EI Sahel"),
        "{event}"
    );
    // A date that straddles the change (March 2022) gives both, the former first.
    let march = text(site, "fr/events/2022-03-isgs-menaka-offensive/index.html");
    assert!(march.contains("EIGS / EI Sahel"), "{march}");
    // The actor's own page keeps its current name.
    let page = text(site, "fr/actors/isgs/index.html");
    assert!(
        page.contains("État islamique au Sahel (EI Sahel)"),
        "{page}"
    );

    // events.json: the full name at the date.
    let json = std::fs::read_to_string(site.join("fr/data/events.json")).expect("events.json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let name_in = |id: &str| {
        v["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["actors"][0]["name"]["en"].clone())
    };
    assert_eq!(
        name_in("2021-08-08-ouatagouna-attacks"),
        Some("Islamic State in the Greater Sahara".into())
    );
    assert_eq!(
        name_in("2022-03-isgs-menaka-offensive"),
        Some("Islamic State in the Greater Sahara / Islamic State Sahel Province".into())
    );
}

#[test]
fn time_words_lists_sort_by_the_displayed_name() {
    let site = site();
    let index = text(site, "fr/actors/index.html");
    let at = |name: &str| {
        index
            .find(name)
            .unwrap_or_else(|| panic!("{name} in {index}"))
    };
    // By id, `ecowas` would sort between `dan-na-ambassagou` and `fama`.
    assert!(at("CEDEAO") < at("Dan Na Ambassagou"), "{index}");
    assert!(at("Dan Na Ambassagou") < at("FAMa"), "{index}");
    // "EI" (islamic-state) and "EI Sahel" (isgs) sort with E, after "AQMI", before "FAMa".
    assert!(
        at("AQMI") < at("EI Sahel") && at("EI Sahel") < at("FAMa"),
        "{index}"
    );
}
