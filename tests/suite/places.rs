//! Places over time (issue 14), on the site of `tests/fixtures/build/time-places/`
//! (over the build suite's `_base`): Ogossagou in the Bankass cercle, which the 2023
//! reform moved from the Mopti region to the new Bandiagara region; Droukdel killed
//! "near Tessalit" (an uncertain place); Tessalit's approximate point; and an event
//! dated only to 2023, which may belong to either region.

use crate::common;
use crate::shared::fixture_site;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The fixture's site, built once per run; tests only read it.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    fixture_site(&SITE, "build", "time-places")
}

/// The places of event `id` in `fr/data/events.json`.
fn json_places(id: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(site().join("fr/data/events.json")).expect("json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let events = v["events"].as_array().expect("events");
    let e = events.iter().find(|e| e["id"] == id).expect("the event");
    e["locations"].as_array().expect("locations").clone()
}

/// The `<main>` of a page of the site.
fn main_of(page: &str) -> String {
    let html = std::fs::read_to_string(site().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    html[start..end].to_string()
}

const MASSACRE: &str = "events/2019-03-23-ogossagou-massacre/index.html";
const STRADDLE: &str = "events/2023-bankass-reform-straddle/index.html";

#[test]
fn ogossagou_2019_reaches_mopti_region_and_not_bandiagara() {
    let mopti = main_of("fr/locations/mopti-region/index.html");
    let bandiagara = main_of("fr/locations/bandiagara-region/index.html");
    assert!(mopti.contains(MASSACRE), "{mopti}");
    assert!(!bandiagara.contains(MASSACRE), "{bandiagara}");
    // The event page's breadcrumb and the exports follow the parents of 2019.
    let event = main_of(&format!("fr/{MASSACRE}"));
    assert!(
        event.contains("Cercle de Bankass</a>, <a href=\"../../locations/mopti-region/index.html\">Région de Mopti</a>"),
        "{event}"
    );
    assert!(!event.contains("bandiagara"), "{event}");
    let csv = std::fs::read_to_string(site().join("fr/data/events.csv")).expect("csv");
    assert!(
        csv.contains("ogossagou,ogossagou>bankass-cercle>mopti-region>mali,mali,"),
        "{csv}"
    );
}

#[test]
fn an_event_dated_to_the_year_of_the_reform_is_possibly_in_either_region() {
    let bandiagara = main_of("fr/locations/bandiagara-region/index.html");
    assert!(bandiagara.contains(STRADDLE), "{bandiagara}");
    assert!(bandiagara.contains(
        "Rattachement possible\u{a0}: l&#39;événement est daté de 2023\u{a0}; Cercle de Bankass fait partie de Région de Bandiagara depuis 2023."
    ), "{bandiagara}");
    assert!(bandiagara.contains("1 événement, dont 1 à rattachement incertain"));
    let mopti = main_of("en/locations/mopti-region/index.html");
    assert!(mopti.contains(
        "Possibly linked: the event is dated 2023; Bankass cercle was part of Mopti region until 2023."
    ), "{mopti}");
    assert!(
        mopti.contains("5 events, 1 of them possibly linked"),
        "{mopti}"
    );
    // A place with no possible event says nothing of them.
    let cercle = main_of("fr/locations/bankass-cercle/index.html");
    assert!(
        cercle.contains("<p class=\"count\">2 événements ·"),
        "{cercle}"
    );
    assert!(!cercle.contains("link-note"), "{cercle}");
    // Its exports stop where the parents stop being certain.
    let places = json_places("2023-bankass-reform-straddle");
    assert_eq!(
        places[0]["path"],
        serde_json::json!(["ogossagou", "bankass-cercle"])
    );
}

#[test]
fn a_place_page_shows_its_parents_with_their_dates() {
    let fr = main_of("fr/locations/bankass-cercle/index.html");
    assert!(
        fr.contains("Région de Mopti</a> jusqu&#39;en 2023, "),
        "{fr}"
    );
    assert!(
        fr.contains("Région de Bandiagara</a> depuis 2023 (réorganisation territoriale de 2023)"),
        "{fr}"
    );
    let en = main_of("en/locations/bankass-cercle/index.html");
    assert!(en.contains("Mopti region</a> until 2023, "), "{en}");
    // Mopti region lists the cercle among its former places, Bandiagara among its own.
    let mopti = main_of("fr/locations/mopti-region/index.html");
    assert!(
        mopti.contains("<dt>Lieux inclus auparavant</dt>"),
        "{mopti}"
    );
    let bandiagara = main_of("fr/locations/bandiagara-region/index.html");
    assert!(
        bandiagara.contains("<dt>Lieux inclus</dt><dd><a href=\"../../locations/bankass-cercle/"),
        "{bandiagara}"
    );
}

#[test]
fn an_uncertain_place_is_marked_with_its_note() {
    let card = main_of("fr/locations/tessalit/index.html");
    assert!(
        card.contains("Tessalit</a> <span class=\"uncertain\">(lieu incertain)</span>"),
        "{card}"
    );
    let fr = main_of("fr/events/2020-06-03-droukdel-killed/index.html");
    assert!(fr.contains("(lieu incertain)"), "{fr}");
    assert!(
        fr.contains("« près de Tessalit » ; certaines sources nomment Talhandak"),
        "{fr}"
    );
    let en = main_of("en/events/2020-06-03-droukdel-killed/index.html");
    assert!(en.contains("(uncertain location)"), "{en}");
    // The map draws the point hollow: its only event names it as uncertain.
    assert!(card.contains("class=\"place uncertain\""), "{card}");
    let places = json_places("2020-06-03-droukdel-killed");
    assert_eq!(places[0]["uncertain"], true);
    assert_eq!(places[0]["coordinates"]["precision"], "approximate");
    assert!(places[0]["note"]["fr"].is_string(), "{places:?}");
    // Places named without doubt carry neither key.
    let plain = &json_places("2019-03-23-ogossagou-massacre")[0];
    assert!(
        plain.get("uncertain").is_none() && plain.get("note").is_none(),
        "{plain}"
    );
}

#[test]
fn coordinates_say_how_precise_they_are() {
    let fr = main_of("fr/locations/tessalit/index.html");
    assert!(fr.contains("20.2, 1.01 (position approximative)"), "{fr}");
    assert!(fr.contains("<circle class=\"halo\""), "{fr}");
    let en = main_of("en/locations/tessalit/index.html");
    assert!(en.contains("20.2, 1.01 (approximate position)"), "{en}");
    // Djoura's point has no precision written: shown as before.
    let djoura = main_of("fr/locations/djoura/index.html");
    assert!(djoura.contains("<dd>14.1, -4.6</dd>"), "{djoura}");
    // Ogossagou's `coordinates: unknown`: no point, no warning.
    let ogossagou = main_of("fr/locations/ogossagou/index.html");
    assert!(!ogossagou.contains("Coordonnées"), "{ogossagou}");
}

#[test]
fn an_uncertain_place_is_named_as_it_was_at_the_date_and_keeps_its_mark() {
    // A made-up former name (the fixture's Tessalit has none), only to see both rules
    // at once on the card and the event page: the name of 2020, and "lieu incertain".
    let dir = common::chronology("build", "time-places");
    let root = dir.path();
    let tessalit = root.join("events/locations/tessalit.yaml");
    let mut text = std::fs::read_to_string(&tessalit).expect("tessalit.yaml");
    text.push_str("names:\n  - name: Tessalit-ancien\n    until: 2021\n");
    std::fs::write(&tessalit, text).expect("write tessalit.yaml");
    let out = root.join("site");
    common::build_site(root, &out);
    let marked = "Tessalit-ancien</a> <span class=\"uncertain\">(lieu incertain)</span>";
    let card = std::fs::read_to_string(out.join("fr/locations/kidal-region/index.html"))
        .expect("the region's page");
    assert!(card.contains(marked), "{card}");
    let page = std::fs::read_to_string(out.join("fr/events/2020-06-03-droukdel-killed/index.html"))
        .expect("the event's page");
    assert!(page.contains(marked), "{page}");
}
