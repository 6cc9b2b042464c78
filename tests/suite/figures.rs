//! Casualty figures as reports (issue 15): the real binary builds
//! `tests/fixtures/build/figures/` (Ogossagou 2019, one toll revised three times; Moura
//! 2022, three sources that disagree) and the exports are read back and compared, field
//! by field, with the event files; the pages' casualty sections are snapshotted.

use crate::common::fixture_dir;
use crate::shared::fixture_site;
use crate::site_checks as sc;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const OGOSSAGOU: &str = "2019-03-23-ogossagou-massacre";
const MOURA: &str = "2022-03-27-moura-killings";

/// The site of the fixture (small: a hundred files).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    fixture_site(&SITE, "build", "figures")
}

/// The casualty entries of an event file of the fixture, as YAML.
fn entries(id: &str) -> Vec<serde_yaml::Value> {
    let year = &id[..4];
    let path = fixture_dir("build", "figures").join(format!("events/{year}/{id}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    doc["casualties"].as_sequence().expect("casualties").clone()
}

/// A scalar of the file as text (`134` and `"134"` alike), or `""` when absent.
fn scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// The kind the exports must give a figure written `figure` in this fixture.
fn kind_of(figure: &str) -> &'static str {
    if figure.starts_with("about ") {
        "about"
    } else if figure.starts_with("at least ") {
        "at-least"
    } else if figure.chars().all(|c| c.is_ascii_digit()) {
        "exact"
    } else {
        panic!("a figure this test does not know: {figure}")
    }
}

/// A JSON value as the CSV writes it: `null` empty, numbers and strings as text.
fn as_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn figures_exports_keep_every_report_as_written() {
    let site = site();
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(site.join("fr/data/events.json")).expect("events.json"),
    )
    .expect("JSON");
    let (header, rows) = csv_rows(&site.join("fr/data/casualties.csv"));
    assert_eq!(
        header,
        [
            "event_id",
            "who",
            "what",
            "figure",
            "kind",
            "low",
            "best",
            "high",
            "date",
            "source",
            "according_to",
            "note"
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    for id in [OGOSSAGOU, MOURA] {
        let files = entries(id);
        let event = json["events"]
            .as_array()
            .expect("events")
            .iter()
            .find(|e| e["id"] == id)
            .expect("event in JSON");
        let records = event["casualties"].as_array().expect("casualties");
        let csv: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == id).collect();
        // One record per entry of the file, in its order: nothing merged or dropped.
        assert_eq!(records.len(), files.len(), "{id}");
        assert_eq!(csv.len(), files.len(), "{id}");
        for ((file, record), row) in files.iter().zip(records).zip(csv) {
            let figure = scalar(&file["figure"]);
            let expect = [
                ("who", scalar(&file["who"])),
                ("what", scalar(&file["what"])),
                ("figure", figure.clone()),
                ("kind", kind_of(&figure).to_string()),
                ("date", scalar(&file["date"])),
                ("source", scalar(&file["source"])),
                ("according_to", scalar(&file["according_to"])),
            ];
            for (field, value) in &expect {
                assert_eq!(&as_cell(&record[field]), value, "{id} JSON {field}");
                assert_eq!(&row[col(field)], value, "{id} CSV {field}");
            }
            // The estimates are the figure's own, the same in both files.
            for field in ["low", "best", "high"] {
                assert_eq!(row[col(field)], as_cell(&record[field]), "{id} {field}");
            }
        }
    }
    // Each figure's estimates: no bound made up, none taken from another report.
    let moura = |field: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r[0] == MOURA)
            .map(|r| r[col(field)].clone())
            .collect()
    };
    assert_eq!(moura("low"), ["203", "", "500"]);
    assert_eq!(moura("best"), ["203", "300", ""]);
    assert_eq!(moura("high"), ["203", "", ""]);
}

#[test]
fn figures_no_total_across_sources_in_events_csv() {
    let site = site();
    let (header, rows) = csv_rows(&site.join("fr/data/events.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let deaths = [
        "deaths_low",
        "deaths_best",
        "deaths_high",
        "deaths_according_to",
        "deaths_source",
        "deaths_date",
    ];
    for id in [OGOSSAGOU, MOURA] {
        let row = rows.iter().find(|r| r[0] == id).expect("row");
        for c in deaths {
            // Moura once gave deaths_low=500: the UN's figure as a floor for all sources.
            assert_eq!(row[col(c)], "", "{id} {c}");
        }
    }
    // One report alone gives its total, and says whose it is.
    let djoura = rows
        .iter()
        .find(|r| r[0] == "2023-09-djoura-camp-attack")
        .expect("row");
    assert_eq!(djoura[col("deaths_best")], "100");
    assert_eq!(djoura[col("deaths_source")], "1");
    assert_eq!(djoura[col("deaths_according_to")], "");
}

/// The casualty section of an event page, as written.
fn casualties(site: &Path, lang: &str, id: &str) -> String {
    let rel = format!("{lang}/events/{id}/index.html");
    let html = std::fs::read_to_string(site.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let found = sc::elements(&html, |t| {
        t.name == "section" && t.attr("aria-labelledby") == Some("casualties")
    });
    assert_eq!(found.len(), 1, "{rel}");
    found[0].to_string()
}

/// The text of some HTML as a reader reads it.
fn read(html: &str) -> String {
    sc::joined_text(html)
}

#[test]
fn figures_reports_read_together_by_date_with_who_gives_them() {
    let site = site();
    let ogossagou = read(&casualties(site, "fr", OGOSSAGOU));
    assert!(
        ogossagou.contains(
            "civils — tués : 3 bilans, du plus ancien au plus récent 134 (selon Gouvernement du Mali (source 1), mars 2019) — premier bilan 160 (selon Gouvernement du Mali (source 1), mars 2019)"
        ),
        "{ogossagou}"
    );
    assert!(
        ogossagou.contains("157 (selon MINUSMA (source 2), peut-être en mai 2019) — bilan révisé"),
        "{ogossagou}"
    );
    let moura = read(&casualties(site, "en", MOURA));
    assert!(
        moura.contains("side not given — killed: 203 (according to FAMa, source 3, April 2022)"),
        "{moura}"
    );
    assert!(
        moura.contains(
            "all sides together — killed: at least 500 (according to Haut-Commissariat des Nations unies aux droits de l'homme (source 2), May 2023)"
        ),
        "{moura}"
    );
    assert!(moura.contains("none is added to another"), "{moura}");
    // The cards name no figure, and say there are several.
    let list = std::fs::read_to_string(site.join("fr/index.html")).expect("index");
    let card = sc::elements(&list, |t| t.name == "article")
        .into_iter()
        .find(|a| a.contains(MOURA))
        .expect("Moura's card");
    assert!(
        read(card).contains("Plusieurs bilans, non additionnés"),
        "{card}"
    );
    assert!(!card.contains("class=\"figure\""), "{card}");
    for lang in ["fr", "en"] {
        for id in [OGOSSAGOU, MOURA] {
            insta::assert_snapshot!(format!("{lang}-{id}"), casualties(site, lang, id));
        }
    }
}
