//! What the pages say: the `<main>` of the timeline, an event, an actor and a place
//! page of the sample, in French and English, snapshotted, so that any change to what
//! readers see shows as a diff to review. The sample is built from a copy without its
//! git history (`shared::sample_copy_site`), so the event page's history does not
//! change with each commit; the history is checked in `history.rs`.

use crate::site_checks as sc;

/// The one `<main>` element of the page at `rel` of the sample copy's site, as written.
fn main_of(rel: &str) -> String {
    let path = crate::shared::sample_copy_site().join(rel);
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mains = sc::elements(&html, |t| t.name == "main");
    assert_eq!(mains.len(), 1, "{rel}: {} <main> elements", mains.len());
    mains[0].to_string()
}

/// Snapshots `<main>` of `page` in each language tree, as `<lang>-<name>`.
fn snapshot_main(name: &str, page: &str) {
    for lang in ["fr", "en"] {
        insta::assert_snapshot!(format!("{lang}-{name}"), main_of(&format!("{lang}/{page}")));
    }
}

#[test]
fn the_timeline() {
    snapshot_main("timeline", "index.html");
}

#[test]
fn a_claimed_event() {
    snapshot_main("event", "events/2025-05-23-djoura-camp-attack/index.html");
}

#[test]
fn an_actor() {
    snapshot_main("actor", "actors/jnim/index.html");
}

#[test]
fn a_place() {
    snapshot_main("place", "locations/djoura/index.html");
}
