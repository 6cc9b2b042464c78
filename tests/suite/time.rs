//! Issue 14, "Faithful in time", on the Mali 2012–2025 fixture (real, widely reported
//! events; `tests/fixtures/mali-2012-2025/README.md` maps each case to its files):
//! roll-ups that follow the dates of relations and parents, names at a date, relations
//! in words on both sides, lists in reading order, and the `check` diagnostics of
//! `broken/`. Each assertion fails if a date is ignored.

use crate::common::{Run, annalist};
use crate::shared::shared;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mali-2012-2025")
}

fn utf8(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The fixture built once per run (without git: the copy has no history).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    shared(&SITE, "mali-2012-2025", |dir| {
        crate::site_checks::copy_chronology(&fixture(), dir, false);
        let out = dir.join("site");
        let run = annalist(&["build", utf8(dir), "--output", utf8(&out)], dir);
        assert_eq!(run.code, 0, "the Mali fixture must build:\n{run:#?}");
        out
    })
}

fn page(path: &str) -> String {
    let file = site().join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The `<main>` of a page, where the events are listed (the header and footer link
/// elsewhere).
fn main_of(path: &str) -> String {
    let html = page(path);
    let start = html
        .find("<main")
        .unwrap_or_else(|| panic!("{path}: no <main>"));
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    html[start..end].to_string()
}

/// The text a reader sees in some HTML (so that `jusqu&#39;au` reads `jusqu'au` and a
/// name split by a link reads whole).
fn text(html: &str) -> String {
    crate::site_checks::joined_text(html)
}

/// Whether a page lists the event `id` (a link to its page).
fn lists(html: &str, id: &str) -> bool {
    html.contains(&format!("events/{id}/index.html"))
}

/// The card of the event `id` in a list page: from its `<article` to the next.
fn card<'a>(html: &'a str, id: &str) -> &'a str {
    let link = html
        .find(&format!("events/{id}/index.html"))
        .unwrap_or_else(|| panic!("no card of {id}"));
    let start = html[..link].rfind("<article").expect("card start");
    let end = html[start..]
        .find("</article>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn the_fixture_passes_check_with_warnings_denied() {
    let dir = tempfile::tempdir().expect("temporary folder");
    crate::site_checks::copy_chronology(&fixture(), dir.path(), false);
    let run = annalist(&["check", utf8(dir.path()), "--deny-warnings"], dir.path());
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.starts_with("ok: 25 events"), "{run:#?}");
}

#[test]
fn a_group_is_not_credited_with_what_happened_before_it_existed() {
    let jnim = main_of("fr/actors/jnim/index.html");
    // Ansar Dine is part of JNIM since March 2017: its 2012–2013 events are its own.
    for id in [
        "2012-01-aguelhok-killings",
        "2012-03-30-fall-of-kidal-gao-timbuktu",
        "2012-06-timbuktu-mausoleums-destroyed",
        "2013-01-11-serval-konna",
        // al-Mourabitoun, part of JNIM since March 2017
        "2015-11-20-radisson-blu-attack",
        "2017-01-18-gao-moc-camp-bombing",
    ] {
        assert!(!lists(&jnim, id), "JNIM's page lists {id}");
    }
    // Its own and its units' events since 2017 are there.
    assert!(lists(&jnim, "2017-03-02-jnim-founded"));
    assert!(lists(&jnim, "2024-09-17-bamako-attacks"));
    assert!(lists(&jnim, "2024-07-25-tinzaouaten-battle"));
}

#[test]
fn a_chain_of_dated_relations_reaches_the_groups_above() {
    let aqim = main_of("fr/actors/aqim/index.html");
    // al-Mourabitoun → AQIM since about December 2015: the Radisson attack of
    // 20 November 2015 may predate it (shown, with the note), the Gao bombing of
    // January 2017 is certain.
    assert!(lists(&aqim, "2015-11-20-radisson-blu-attack"));
    let radisson = text(card(&aqim, "2015-11-20-radisson-blu-attack"));
    assert!(radisson.contains("Rattachement possible"), "{radisson}");
    assert!(lists(&aqim, "2017-01-18-gao-moc-camp-bombing"));
    assert!(
        !card(&aqim, "2017-01-18-gao-moc-camp-bombing").contains("Rattachement possible"),
        "the Gao bombing is certain for AQIM"
    );
    // JNIM → AQIM since March 2017: JNIM's 2024 events reach AQIM.
    assert!(lists(&aqim, "2024-09-17-bamako-attacks"));
    // The path is stated, never a verification.
    assert!(
        text(&aqim).contains("Par l'intermédiaire de"),
        "no via line on AQIM's page"
    );
}

#[test]
fn an_overlap_the_dates_cannot_decide_is_shown_with_a_note() {
    // The offensive is dated 2022-03, the month ISGS's tie to ISWAP ends (about).
    let iswap = main_of("fr/actors/iswap/index.html");
    assert!(lists(&iswap, "2022-03-isgs-menaka-offensive"));
    let c = text(card(&iswap, "2022-03-isgs-menaka-offensive"));
    assert!(c.contains("Rattachement possible"), "{c}");
    assert!(c.contains("mars 2022"), "the note states the dates: {c}");
    let en = main_of("en/actors/iswap/index.html");
    assert!(text(card(&en, "2022-03-isgs-menaka-offensive")).contains("Possibly linked"));
    // Counted apart.
    assert!(text(&iswap).contains("à rattachement incertain"), "{iswap}");
}

#[test]
fn no_roll_up_reads_as_a_verification() {
    let mut read = 0;
    for lang in ["fr", "en"] {
        for dir in ["actors", "locations"] {
            let root = site().join(lang).join(dir);
            for entry in std::fs::read_dir(&root).expect("read pages") {
                let file = entry.expect("entry").path().join("index.html");
                if let Ok(html) = std::fs::read_to_string(&file) {
                    read += 1;
                    assert!(
                        !html.contains("Confirmé par") && !html.contains("Confirmed by"),
                        "{}",
                        file.display()
                    );
                }
            }
        }
    }
    assert!(read > 0, "no actor or place page read");
}

#[test]
fn a_place_rolls_up_to_the_region_in_force_at_the_date() {
    // Bankass cercle: Mopti region until 2023, Bandiagara region since 2023.
    assert!(lists(
        &main_of("fr/locations/mopti-region/index.html"),
        "2019-03-23-ogossagou-massacre"
    ));
    assert!(!lists(
        &main_of("fr/locations/bandiagara-region/index.html"),
        "2019-03-23-ogossagou-massacre"
    ));
    // Both still reach Mali.
    assert!(lists(
        &main_of("fr/locations/mali/index.html"),
        "2019-03-23-ogossagou-massacre"
    ));
    let bankass = text(&main_of("fr/locations/bankass-cercle/index.html"));
    assert!(bankass.contains("jusqu'en 2023"), "{bankass}");
    assert!(bankass.contains("depuis 2023"), "{bankass}");
}

#[test]
fn relations_are_worded_with_their_dates_on_both_sides() {
    let mali = text(&main_of("fr/actors/mali-government/index.html"));
    assert!(mali.contains("jusqu'au 29 janvier 2025"), "{mali}");
    assert!(mali.contains("de février 2014 à mai 2022"), "{mali}");
    assert!(mali.contains("depuis le 16 septembre 2023"), "{mali}");
    assert!(mali.contains("Relations passées"), "{mali}");
    let ecowas = text(&main_of("fr/actors/ecowas/index.html"));
    assert!(ecowas.contains("jusqu'au 29 janvier 2025"), "{ecowas}");
    assert!(
        ecowas.contains("retrait annoncé le 28 janvier 2024"),
        "the note is shown on the target's page too: {ecowas}"
    );
    let en = text(&main_of("en/actors/mali-government/index.html"));
    assert!(en.contains("until 29 January 2025"), "{en}");
    assert!(en.contains("from February 2014 to May 2022"), "{en}");
    assert!(en.contains("Past relations"), "{en}");
    let jnim = text(&main_of("fr/actors/jnim/index.html"));
    assert!(jnim.contains("depuis mars 2017"), "{jnim}");
}

#[test]
fn an_actor_is_named_as_it_was_called_at_the_date() {
    let timeline = main_of("fr/index.html");
    // Ouatagouna, August 2021: ISGS was still "EIGS".
    let ouatagouna = text(card(&timeline, "2021-08-08-ouatagouna-attacks"));
    assert!(ouatagouna.contains("EIGS"), "{ouatagouna}");
    assert!(!ouatagouna.contains("EI Sahel"), "{ouatagouna}");
    // March 2022, the month of the change: both names, in time order.
    let menaka = text(card(&timeline, "2022-03-isgs-menaka-offensive"));
    assert!(menaka.contains("EIGS / EI Sahel"), "{menaka}");
    // The actor's page lists its names with their dates.
    let isgs = text(&main_of("fr/actors/isgs/index.html"));
    assert!(
        isgs.contains("État islamique dans le Grand Sahara"),
        "{isgs}"
    );
    assert!(isgs.contains("jusqu'en mars 2022"), "{isgs}");
}

#[test]
fn lists_follow_the_names_readers_see() {
    let index = text(&main_of("fr/actors/index.html"));
    let at = |name: &str| {
        index
            .find(name)
            .unwrap_or_else(|| panic!("{name} not on the list of actors"))
    };
    assert!(at("CEDEAO") < at("Dan Na Ambassagou"));
    assert!(at("Dan Na Ambassagou") < at("FAMa"));
    // An accented initial sorts with its letter.
    assert!(at("EI Sahel") < at("FAMa"));
}

#[test]
fn an_uncertain_place_says_so() {
    let event = text(&main_of("fr/events/2020-06-03-droukdel-killed/index.html"));
    assert!(event.contains("lieu incertain"), "{event}");
    let en = text(&main_of("en/events/2020-06-03-droukdel-killed/index.html"));
    assert!(en.contains("uncertain location"), "{en}");
}

// ---------------------------------------------------------------------------------
// check: the cases of broken/, each copied over the fixture

fn check_broken(case: &str) -> Run {
    let dir = tempfile::tempdir().expect("temporary folder");
    crate::site_checks::copy_chronology(&fixture(), dir.path(), false);
    crate::site_checks::copy_chronology(&fixture().join("broken").join(case), dir.path(), false);
    annalist(&["check", utf8(dir.path())], dir.path())
}

macro_rules! broken {
    ($($name:ident => $case:literal,)*) => {$(
        #[test]
        fn $name() {
            let run = check_broken($case);
            assert_eq!(run.code, 1, "{run:#?}");
            insta::assert_snapshot!(run.stderr);
        }
    )*};
}

broken! {
    check_refuses_a_loop_of_roll_up_relations => "actor-cycle",
    check_refuses_contradictory_dates => "contradictory-dates",
    check_refuses_an_alias_that_names_another_entity => "alias-clash",
    check_refuses_a_duplicate_inside_a_list => "duplicate-in-list",
    check_says_a_related_event_was_renamed => "renamed-related",
}
