//! `annalist import ucdp|acled|annalist FILE.csv [--into ROOT] [--update]`, run as
//! editors run it: the real binary on temporary copies of the fixtures in
//! `tests/fixtures/import/` (real UCDP GED 23.1 rows, and synthetic ACLED-shaped rows;
//! see the README there), then `annalist check` and `annalist build` on the result.

use crate::common::{Run, annalist};
use annalist::load::{Loaded, load};
use annalist::model::{Figure, Text, Who};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The real GED rows as the shared data folder holds them (CI clones `shared/` beside
/// the repository); the tests themselves use the copy in the fixtures.
const SHARED_GED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/ucdp-ged-mali.csv"
);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// An empty chronology (a folder with an empty `events/`) and a copy of the fixture
/// `csv` beside it, under `as_name`.
fn setup(csv: &str, as_name: &str) -> (TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("chronology");
    std::fs::create_dir_all(root.join("events")).expect("create events/");
    let file = dir.path().join(as_name);
    std::fs::copy(fixture(csv), &file).expect("copy the fixture");
    (dir, root, file)
}

/// Runs `annalist import FORMAT FILE --into ROOT [extra...]` from `root`.
fn import(format: &str, file: &Path, root: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        format,
        file.to_str().expect("UTF-8 path"),
        "--into",
        root.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    annalist(&args, root)
}

/// Imports the GED fixture, as GED 23.1, into a new empty chronology.
fn ged() -> (TempDir, PathBuf, PathBuf) {
    let (dir, root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "7 imported, 0 updated, 0 matched, 0 kept (edited by hand), 0 skipped; created 5 actors, 16 locations\n"
    );
    assert_eq!(run.stderr, "");
    (dir, root, file)
}

/// Every file under `root/events`, with its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("read folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.insert(p.clone(), std::fs::read(&p).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root.join("events"), &mut out);
    out
}

/// The chronology as annalist reads it; it must load without a problem.
fn loaded(root: &Path) -> Loaded {
    let l = load(root);
    assert_eq!(l.report.diagnostics.len(), 0, "{:#?}", l.report.diagnostics);
    l
}

fn event<'a>(l: &'a Loaded, id_part: &str) -> &'a annalist::load::Event {
    l.events
        .iter()
        .find(|e| e.id.contains(id_part))
        .unwrap_or_else(|| panic!("no event with `{id_part}` in its id"))
}

fn plain(t: &Text) -> &str {
    match t {
        Text::Plain(s) => s,
        Text::Translated(_) => panic!("expected a plain text, got {t:?}"),
    }
}

fn event_path(root: &Path, id_part: &str) -> PathBuf {
    files(root)
        .into_keys()
        .find(|p| p.to_string_lossy().contains(id_part))
        .unwrap_or_else(|| panic!("no file with `{id_part}` in its name"))
}

// ---------------------------------------------------------------------------------
// UCDP GED

#[test]
fn the_fixture_is_the_shared_ged_file() {
    match std::fs::read(SHARED_GED) {
        Ok(shared) => assert_eq!(
            shared,
            std::fs::read(fixture("ucdp-ged-mali.csv")).expect("fixture"),
            "tests/fixtures/import/ucdp-ged-mali.csv differs from {SHARED_GED}"
        ),
        Err(_) => eprintln!("note: {SHARED_GED} is not here; the fixture copy is used"),
    }
}

#[test]
fn ged_rows_become_a_chronology_that_checks_and_builds() {
    let (_dir, root, _) = ged();
    let run = annalist(&["check", root.to_str().expect("UTF-8")], &root);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "ok: 7 events, 5 actors, 16 locations\n");
    assert_eq!(run.stderr, "", "no warning either");

    let run = annalist(&["build", root.to_str().expect("UTF-8")], &root);
    assert_eq!(run.code, 0, "{run:#?}");
    let l = loaded(&root);
    assert_eq!(l.events.len(), 7);
    for gid in [
        "12989", "203499", "237564", "256789", "352268", "431002", "433894",
    ] {
        let e = event(&l, &format!("-ucdp-{gid}-"));
        let page = root.join("site/events").join(&e.id).join("index.html");
        assert!(page.is_file(), "no page for row {gid}: {}", page.display());
    }
    assert!(
        l.events
            .iter()
            .any(|e| e.id == "2017-03-29-ucdp-237564-boulikessi")
    );
}

#[test]
fn actors_and_locations_are_created_once_and_nested() {
    let (_dir, root, _) = ged();
    let l = loaded(&root);
    let named = |n: &str| {
        l.actors
            .values()
            .filter(|a| a.data.name.all().contains(&n))
            .count()
    };
    // Five rows name the Government of Mali, three JNIM: one file each.
    assert_eq!(named("Government of Mali"), 1);
    assert_eq!(named("JNIM"), 1);
    assert_eq!(
        named("Civilians"),
        0,
        "civilians are `who: civilians`, not an actor"
    );
    let parent = |id: &str| {
        l.locations[id]
            .data
            .parent
            .as_ref()
            .map(|p| p.value.0.as_str().to_string())
    };
    assert_eq!(parent("mopti-region").as_deref(), Some("mali"));
    assert_eq!(parent("douentza-cercle").as_deref(), Some("mopti-region"));
    assert_eq!(parent("boulikessi").as_deref(), Some("douentza-cercle"));
    assert_eq!(parent("mali"), None);
    assert_eq!(l.locations["mali"].data.kind.key(), "country");
    assert_eq!(l.locations["boulikessi"].data.kind.key(), "village");
    let mopti_regions = l
        .locations
        .values()
        .filter(|x| x.data.name.all().contains(&"Mopti region"))
        .count();
    assert_eq!(mopti_regions, 1, "three rows name the Mopti region");
    // Row 256789 is placed at the region itself (adm_2 empty, where_prec 4).
    let e = event(&l, "-ucdp-256789-");
    assert_eq!(e.data.locations[0].as_str(), "mopti-region");
    // Row 433894 has no admin units: the reserve sits directly in Mali.
    let e = event(&l, "-ucdp-433894-");
    let reserve = e.data.locations[0].as_str();
    assert_eq!(parent(reserve).as_deref(), Some("mali"));
    // Coordinates, with their precision in the description.
    let b = &l.locations["boulikessi"].data;
    let c = b.point().expect("coordinates");
    assert_eq!((c.lat.0, c.lon.0), (14.79832, -1.302596));
    let desc = plain(b.description.as_ref().expect("description"));
    assert!(desc.contains("where_prec 1"), "{desc}");
}

#[test]
fn importing_into_the_sample_matches_its_actors_and_places() {
    let (dir, _root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let root = dir.path().join("sample");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("events"), &root.join("events"));
    let before = files(&root);
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    // jnim, mopti-region and mali are the sample's own files, matched by id, short
    // name or alias: untouched, and not created again.
    for (path, bytes) in &before {
        assert_eq!(
            std::fs::read(path).ok().as_ref(),
            Some(bytes),
            "{}",
            path.display()
        );
    }
    let l = loaded(&root);
    let e = event(&l, "-ucdp-237564-");
    let ids: Vec<&str> = e.data.actors.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["government-of-mali", "jnim"]);
    assert!(!root.join("events/actors/jnim-2.yaml").exists());
    assert_eq!(
        l.locations["douentza-cercle"]
            .data
            .parent
            .as_ref()
            .map(|p| p.value.0.as_str()),
        Some("mopti-region")
    );
    let run = annalist(&["check", root.to_str().expect("UTF-8")], &root);
    assert_eq!(run.code, 0, "{run:#?}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for e in std::fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

#[test]
fn dates_keep_the_precision_ucdp_gives() {
    let (_dir, root, _) = ged();
    let l = loaded(&root);
    // date_prec 2, from 22 to 23 August 2020: a span, never one invented day.
    let e = event(&l, "-ucdp-352268-");
    assert_eq!(e.data.date.value.to_edtf(), "2020-08-22/2020-08-23");
    assert_eq!(e.id, "2020-08-22-ucdp-352268-i-n-tilelt");
    assert_eq!(
        event(&l, "-ucdp-237564-").data.date.value.to_edtf(),
        "2017-03-29"
    );
    assert_eq!(e.data.status.value.key(), "reported");
    assert_eq!(e.data.event_type.key(), "battle");
    assert_eq!(
        event(&l, "-ucdp-12989-").data.event_type.key(),
        "violence-against-civilians"
    );
}

#[test]
fn deaths_keep_ucdp_low_best_high_and_sides() {
    let (_dir, root, _) = ged();
    let l = loaded(&root);
    // Row 12989: low 20, best 20, high 48, all civilians (one-sided violence).
    let c = &event(&l, "-ucdp-12989-").data.casualties;
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].figure, Figure::Range { low: 20, high: 48 });
    assert_eq!(c[0].figure.to_source(), "20-48");
    assert_eq!(c[0].who, Who::Civilians);
    // Row 203499: best 6 = side A 2 + side B 3 + unknown 1, low = best = high.
    let c = &event(&l, "-ucdp-203499-").data.casualties;
    let figures: Vec<(String, String)> = c
        .iter()
        .map(|x| {
            let who = match &x.who {
                Who::Actor(a) => a.as_str().to_string(),
                other => other.key().unwrap_or_default().to_string(),
            };
            (who, x.figure.to_source())
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("government-of-mali".into(), "2".into()),
            ("ansar-dine".into(), "3".into()),
            ("unknown".into(), "1".into()),
        ]
    );
}

#[test]
fn sources_are_split_and_the_dataset_is_credited() {
    let (_dir, root, _) = ged();
    let l = loaded(&root);
    let s = &event(&l, "-ucdp-203499-").data.sources;
    assert_eq!(s.len(), 5, "the GED attribution and four articles");
    assert_eq!(
        s[0].publisher.0,
        "UCDP Georeferenced Event Dataset (GED) 23.1, CC BY 4.0"
    );
    let title = &s[0].title.as_ref().expect("title").0;
    assert!(title.contains("event id 203499"), "{title}");
    assert!(title.contains("Sundberg"), "{title}");
    assert!(title.contains("Davies"), "{title}");
    let articles: Vec<(&str, Option<String>, Option<&str>)> = s[1..]
        .iter()
        .map(|x| {
            (
                x.publisher.0.as_str(),
                x.date.as_ref().map(|d| d.value.to_edtf()),
                x.title.as_ref().map(|t| t.0.as_str()),
            )
        })
        .collect();
    assert_eq!(
        articles[1],
        (
            "Reuters",
            Some("2015-06-27".to_string()),
            Some("Islamist gunmen attack western Mali town, 12 dead")
        )
    );
    assert_eq!(articles[2].0, "Jenune Afrique");
    // A citation that is not `publisher,date,title` is kept whole.
    let s = &event(&l, "-ucdp-12989-").data.sources;
    assert_eq!(
        s[1].publisher.0,
        "Humphreys and ag Mohamed, \"Senegal & Mali\", 22"
    );
}

#[test]
fn a_line_break_inside_a_field_is_kept() {
    let (_dir, root, _) = ged();
    let l = loaded(&root);
    let e = event(&l, "-ucdp-431002-");
    let body = plain(e.data.body.as_ref().expect("body"));
    assert!(
        body.contains("\n  north of Mopti\n\n  near Denga-Ouro\n"),
        "{body}"
    );
    let text = std::fs::read_to_string(event_path(&root, "-ucdp-431002-")).expect("read");
    insta::assert_snapshot!("ged-431002", text);
}

#[test]
fn the_ged_version_comes_from_the_file_name_or_is_left_out() {
    let (_dir, root, file) = setup("ucdp-ged-mali.csv", "GEDEvent_v23_1.csv");
    let run = import("ucdp", &file, &root, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    let l = loaded(&root);
    assert_eq!(
        event(&l, "-ucdp-237564-").data.sources[0].publisher.0,
        "UCDP Georeferenced Event Dataset (GED) 23.1, CC BY 4.0"
    );

    let (_dir, root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let run = import("ucdp", &file, &root, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr
            .contains("warning: the UCDP GED version is not in the file name"),
        "{run:#?}"
    );
    let l = loaded(&root);
    assert_eq!(
        event(&l, "-ucdp-237564-").data.sources[0].publisher.0,
        "UCDP Georeferenced Event Dataset (GED), CC BY 4.0"
    );
}

// ---------------------------------------------------------------------------------
// Re-importing

#[test]
fn a_second_import_matches_everything_and_changes_no_byte() {
    let (_dir, root, file) = ged();
    let before = files(&root);
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "0 imported, 0 updated, 7 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"
    );
    assert_eq!(files(&root), before);
}

#[test]
fn a_file_edited_by_hand_is_kept_and_update_shows_the_difference() {
    let (_dir, root, file) = ged();
    let path = event_path(&root, "-ucdp-237564-");
    let original = std::fs::read_to_string(&path).expect("read");
    let edited = original.replace(
        "title: Government of Mali - JNIM at Boulikessi village",
        "title: JNIM claims an attack on the army post at Boulikessi",
    );
    assert_ne!(edited, original);
    std::fs::write(&path, &edited).expect("edit");
    // An actor file edited by hand is never rewritten either.
    let actor = root.join("events/actors/jnim.yaml");
    std::fs::write(&actor, "name: JNIM\nkind: armed-group\n").expect("edit actor");
    let before = files(&root);

    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "events/2017/2017-03-29-ucdp-237564-boulikessi.yaml: edited by hand, kept\n\
         (run the import again with --update to see what the dataset now says about the files kept)\n\
         0 imported, 0 updated, 6 matched, 1 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"
    );
    assert_eq!(files(&root), before, "no byte changed");

    let run = import(
        "ucdp",
        &file,
        &root,
        &["--dataset-version", "23.1", "--update"],
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains(
            "--- events/2017/2017-03-29-ucdp-237564-boulikessi.yaml (the file)\n\
             +++ UCDP GED 23.1 row 237564 (what the dataset now says)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "-title: JNIM claims an attack on the army post at Boulikessi\n\
             +title: Government of Mali - JNIM at Boulikessi village\n"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(files(&root), before, "--update shows, it does not write");
    insta::assert_snapshot!("ged-update-diff", run.stdout);
}

/// Replaces `from` (which must be there) with `to` throughout the CSV `file`.
fn edit(file: &Path, from: &str, to: &str) {
    let csv = std::fs::read_to_string(file).expect("read");
    let changed = csv.replace(from, to);
    assert_ne!(changed, csv);
    std::fs::write(file, changed).expect("write");
}

#[test]
fn an_untouched_file_follows_the_dataset() {
    let (_dir, root, file) = ged();
    edit(
        &file,
        "Boulikessi, which is part of the Douentza area",
        "Boulikessi, in the Douentza area",
    );
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.starts_with(
            "events/2017/2017-03-29-ucdp-237564-boulikessi.yaml: updated (untouched since its import; the dataset changed)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("0 imported, 1 updated, 6 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(event_path(&root, "-ucdp-237564-")).expect("read");
    assert!(text.contains("Boulikessi, in the Douentza area"));
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert!(run.stdout.contains("7 matched"), "{}", run.stdout);
}

/// An update replaces a file through a temporary file beside it; that used to have a
/// fixed name (`….yaml.annalist-import.tmp`) and was opened following links, so a link
/// committed under that name made the import overwrite a file outside the chronology.
#[cfg(unix)]
#[test]
fn an_update_never_writes_through_a_planted_link() {
    let (dir, root, file) = ged();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "keep\n").expect("write");
    let path = event_path(&root, "-ucdp-237564-");
    let planted = path.with_extension("yaml.annalist-import.tmp");
    std::os::unix::fs::symlink(&secret, &planted).expect("a planted link");
    edit(
        &file,
        "Boulikessi, which is part of the Douentza area",
        "Boulikessi, in the Douentza area",
    );
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert!(run.stdout.contains("1 updated"), "{run:#?}");
    assert_eq!(std::fs::read_to_string(&secret).expect("read"), "keep\n");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("Boulikessi, in the Douentza area"));
    assert!(
        std::fs::symlink_metadata(&planted)
            .expect("the link")
            .is_symlink()
    );
}

/// A year folder that is a link out of the chronology is refused, and nothing is
/// written through it.
#[cfg(unix)]
#[test]
fn an_import_never_writes_into_a_linked_year_folder() {
    let (dir, root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    std::os::unix::fs::symlink(&outside, root.join("events/2017")).expect("a linked year");
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_ne!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr.contains("/events/2017` is a symbolic link"),
        "{run:#?}"
    );
    assert_eq!(std::fs::read_dir(&outside).expect("ls").count(), 0);
}

#[test]
fn a_row_the_dataset_redates_keeps_its_file_and_id() {
    let (_dir, root, file) = ged();
    edit(
        &file,
        "2017-03-29 00:00:00.000,2017-03-29 00:00:00.000",
        "2017-03-30 00:00:00.000,2017-03-30 00:00:00.000",
    );
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains("1 updated, 6 matched"),
        "{}",
        run.stdout
    );
    // The id is the event's permanent address: the file is found by `ucdp-237564`
    // and updated where it is, not duplicated under a new id.
    let l = loaded(&root);
    assert_eq!(l.events.len(), 7);
    let e = event(&l, "-ucdp-237564-");
    assert_eq!(e.id, "2017-03-29-ucdp-237564-boulikessi");
    assert_eq!(e.data.date.value.to_edtf(), "2017-03-30");
}

// ---------------------------------------------------------------------------------
// Bad rows

#[test]
fn bad_rows_are_reported_with_their_line_and_the_rest_is_imported() {
    let (_dir, root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let csv = std::fs::read_to_string(&file).expect("read");
    let (header, rows) = csv.split_once('\n').expect("a header");
    let good = rows
        .lines()
        .find(|l| l.starts_with("237564,"))
        .expect("row 237564");
    // Line 2: an impossible date; lines 3-11: the seven real rows (row 431002 spans
    // three lines: its `where_description` holds a blank line); line 12: a row cut
    // short. Lines are counted in the file, not in records.
    let bad_date = good.replace("237564,", "999001,").replace(
        "2017-03-29 00:00:00.000,2017-03-29",
        "2017-02-30 00:00:00.000,2017-02-30",
    );
    let cut = "999002,MLI-2017-1-15108-2,2017,1,Clear\n";
    std::fs::write(&file, format!("{header}\n{bad_date}\n{rows}{cut}")).expect("write");

    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        run.stderr,
        "line 2: skipped: `2017-02-30 00:00:00.000` in `date_start` is not a date (YYYY-MM-DD)\n\
         line 12: skipped: the row has 5 fields, the header has 49\n"
    );
    assert_eq!(
        run.stdout,
        "7 imported, 0 updated, 0 matched, 0 kept (edited by hand), 2 skipped; created 5 actors, 16 locations\n"
    );
    let run = annalist(&["check", root.to_str().expect("UTF-8")], &root);
    assert_eq!(run.code, 0, "{run:#?}");
}

/// Issue 17: a cell with an escape sequence is quoted in the problem line as visible
/// escapes; raw, it could retitle or clear the terminal.
#[test]
fn control_characters_in_a_cell_do_not_reach_the_terminal() {
    let (_dir, root, file) = setup("ucdp-ged-mali.csv", "ucdp-ged-mali.csv");
    let csv = std::fs::read_to_string(&file).expect("read");
    let hostile = csv.replacen(
        "2017-03-29 00:00:00.000,2017-03-29",
        "2017-03-29\x1b]0;PWNED\x07\x1b[2J,2017-03-29",
        1,
    );
    assert_ne!(hostile, csv, "the row to change is in the fixture");
    std::fs::write(&file, hostile).expect("write");
    let run = import("ucdp", &file, &root, &["--dataset-version", "23.1"]);
    assert!(
        !run.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(r"2017-03-29\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
        "{:?}",
        run.stderr
    );
}

/// The csv crate ends a record at the CR of a CR LF and counts the LF with the next
/// record: bad rows of a Windows file were reported one line too early.
#[test]
fn bad_rows_of_a_crlf_file_are_reported_at_their_line() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled-synthetic.csv");
    let csv = std::fs::read_to_string(&file).expect("read");
    assert!(!csv.contains('\r'));
    std::fs::write(&file, csv.replace('\n', "\r\n")).expect("write");
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        run.stderr,
        "line 3: skipped: `2023-02-30` in `event_date` is not a date\n\
         line 7: skipped: the row has 6 fields, the header has 31\n\
         line 9: skipped: `Picnics` in `event_type` is not an ACLED event type\n\
         line 11: skipped: the latitude `95` is not between -90 and 90\n"
    );
}

/// A 2 MB `notes` cell used to make a 4 MB event file that `check` then refused.
#[test]
fn a_row_that_would_make_a_file_over_the_limit_is_skipped() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled-synthetic.csv");
    let csv = std::fs::read_to_string(&file).expect("read");
    let pasted = "pasted ".repeat(2 * 1024 * 1024 / 7);
    let changed = csv.replacen("\"\"heavy\"\"", &pasted, 1);
    assert_ne!(changed, csv);
    std::fs::write(&file, changed).expect("write");
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .starts_with("line 2: skipped: events/2023/2023-09-12-acled-xmp0001-"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("over the limit of 1,048,576 bytes (1 MiB) for a data file; is a cell of this row a pasted document?\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .starts_with("4 imported, 0 updated, 0 matched, 0 kept (edited by hand), 5 skipped"),
        "{}",
        run.stdout
    );
    let check = annalist(&["check", root.to_str().expect("UTF-8")], &root);
    assert_eq!(check.code, 0, "{check:#?}");
}

/// Cells that read as YAML tags are written as text: `check` refuses tags.
#[test]
fn cells_that_look_like_yaml_tags_are_written_as_text() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled-synthetic.csv");
    let csv = std::fs::read_to_string(&file).expect("read");
    let changed = csv
        .replacen("\"\"heavy\"\"", "!!binary aGVsbG8=", 1)
        .replace("Military Forces of Examplestan", "!!str Military Forces");
    std::fs::write(&file, changed).expect("write");
    let run = import("acled", &file, &root, &[]);
    assert!(run.stdout.starts_with("5 imported"), "{run:#?}");
    let l = loaded(&root);
    let e = event(&l, "-xmp0001-");
    let summary = plain(e.data.summary.as_ref().expect("summary"));
    assert!(summary.contains("!!binary aGVsbG8="), "{summary}");
    assert!(
        l.actors
            .values()
            .any(|a| plain(&a.data.name).starts_with("!!str Military Forces")),
        "{:?}",
        l.actors.keys()
    );
}

#[test]
fn a_file_without_the_dataset_columns_is_refused() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled.csv");
    let run = import("ucdp", &file, &root, &[]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr
            .contains("has no column `id`, `type_of_violence`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("is it a UCDP GED CSV?"),
        "{}",
        run.stderr
    );
    assert!(files(&root).is_empty(), "nothing written");
}

// ---------------------------------------------------------------------------------
// ACLED (synthetic rows)

#[test]
fn acled_rows_become_events_and_bad_rows_are_skipped() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled-synthetic.csv");
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        run.stderr,
        "line 3: skipped: `2023-02-30` in `event_date` is not a date\n\
         line 7: skipped: the row has 6 fields, the header has 31\n\
         line 9: skipped: `Picnics` in `event_type` is not an ACLED event type\n\
         line 11: skipped: the latitude `95` is not between -90 and 90\n"
    );
    assert_eq!(
        run.stdout,
        "5 imported, 0 updated, 0 matched, 0 kept (edited by hand), 4 skipped; created 7 actors, 10 locations\n"
    );
    let check = annalist(&["check", root.to_str().expect("UTF-8")], &root);
    assert_eq!(check.code, 0, "{check:#?}");
    assert_eq!(check.stderr, "");
    let build = annalist(&["build", root.to_str().expect("UTF-8")], &root);
    assert_eq!(build.code, 0, "{build:#?}");

    let l = loaded(&root);
    let date = |part: &str| event(&l, part).data.date.value.to_edtf();
    assert_eq!(date("-xmp0001-"), "2023-09-12");
    assert_eq!(date("-xmp0002-"), "2023-09-15~", "time_precision 2");
    assert_eq!(date("-xmp0003-"), "2023-10", "time_precision 3");
    let kind = |part: &str| event(&l, part).data.event_type.key();
    assert_eq!(kind("-xmp0001-"), "battle");
    assert_eq!(kind("-xmp0002-"), "violence-against-civilians");
    assert_eq!(kind("-xmp0003-"), "protest");
    assert_eq!(kind("-xmp0004-"), "explosion-remote-violence");
    assert_eq!(kind("-xmp0005-"), "protest");
    for e in &l.events {
        let page = root.join("site/events").join(&e.id).join("index.html");
        assert!(page.is_file(), "{}", page.display());
    }
    // The Example Liberation Front, in three rows, is one actor.
    let elf = l
        .actors
        .values()
        .filter(|a| a.data.name.all().contains(&"Example Liberation Front"))
        .count();
    assert_eq!(elf, 1);
    let e = event(&l, "-xmp0002-");
    let roles: Vec<(&str, &str)> = e
        .data
        .actors
        .iter()
        .map(|p| (p.id.as_str(), p.role.key()))
        .collect();
    assert_eq!(
        roles,
        [
            ("example-liberation-front", "perpetrator"),
            ("civilians-examplestan", "victim"),
            ("farmers-examplestan", "victim"),
            ("herders-examplestan", "victim"),
        ]
    );
}

#[test]
fn tricky_strings_survive_the_round_trip_through_yaml() {
    let (_dir, root, file) = setup("acled-synthetic.csv", "acled-synthetic.csv");
    import("acled", &file, &root, &[]);
    let l = loaded(&root);
    // Place names `Yes` and `1991`, a source `No`: strings, not a boolean or a number.
    assert_eq!(plain(&l.locations["yes"].data.name), "Yes");
    assert_eq!(plain(&l.locations["1991"].data.name), "1991");
    let e = event(&l, "-xmp0003-");
    assert_eq!(e.data.sources[1].publisher.0, "No");
    assert_eq!(e.data.locations[0].as_str(), "yes");
    // `- `, `: `, `#` and quotes in a source.
    let e = event(&l, "-xmp0002-");
    assert_eq!(
        e.data.sources[1].publisher.0,
        "- Radio Sampleton: #1 'news'"
    );
    // Line breaks, a line starting with `- ` and a line `yes` inside the notes.
    let body = plain(e.data.body.as_ref().expect("body"));
    assert!(
        body.ends_with(
            "- Notes:\n  Around 15 September 2023 (week of), militants attacked farmers near Sampleton.\n  \\- 2 civilians were killed.\n  yes\n"
        ),
        "{body}"
    );
    let e = event(&l, "-xmp0001-");
    assert_eq!(
        plain(e.data.summary.as_ref().expect("summary")),
        "On 12 September 2023, the military forces of Examplestan clashed with the Example Liberation Front near Exampleville: \\#1 \"heavy\" fighting, per local sources. 4 fatalities."
    );
    let text = std::fs::read_to_string(event_path(&root, "-xmp0002-")).expect("read");
    insta::assert_snapshot!("acled-xmp0002", text);
}

// ---------------------------------------------------------------------------------
// annalist's own CSV export, back to event files

/// An event's id, date (EDTF), type, status, location ids and actor ids.
type EventSummary = (String, String, String, String, Vec<String>, Vec<String>);

#[test]
fn the_sample_exported_as_csv_imports_back_to_the_same_events() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = dir.path().join("original");
    copy_tree(&repo.join("events"), &original.join("events"));
    std::fs::copy(repo.join("annalist.yaml"), original.join("annalist.yaml")).expect("copy");
    let run = annalist(&["build", original.to_str().expect("UTF-8")], &original);
    assert_eq!(run.code, 0, "{run:#?}");
    // The sample is in French and English: each language has its export.
    let csv = original.join("site/fr/data/events.csv");

    let copy = dir.path().join("copy");
    std::fs::create_dir_all(copy.join("events")).expect("create");
    let run = import("annalist", &csv, &copy, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    let check = annalist(&["check", copy.to_str().expect("UTF-8")], &copy);
    assert_eq!(check.code, 0, "{check:#?}");

    let a = load(&original);
    let b = loaded(&copy);
    let summary = |l: &Loaded| {
        let mut v: Vec<EventSummary> = l
            .events
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.data.date.value.to_edtf(),
                    e.data.event_type.key().to_string(),
                    e.data.status.value.key().to_string(),
                    e.data
                        .locations
                        .iter()
                        .map(|x| x.as_str().to_string())
                        .collect(),
                    e.data
                        .actors
                        .iter()
                        .map(|p| p.id.as_str().to_string())
                        .collect(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(summary(&b), summary(&a));
    assert!(!a.events.is_empty());
    // The location hierarchy of the first location comes back too.
    let parent = |l: &Loaded, id: &str| {
        l.locations
            .get(id)
            .and_then(|x| x.data.parent.as_ref())
            .map(|p| p.value.0.as_str().to_string())
    };
    assert_eq!(parent(&b, "djoura"), parent(&a, "djoura"));
    assert_eq!(parent(&b, "mopti-region"), parent(&a, "mopti-region"));

    // And importing the same export again changes nothing.
    let before = files(&copy);
    let run = import("annalist", &csv, &copy, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains(" 0 kept"), "{}", run.stdout);
    assert_eq!(files(&copy), before);
}

// ---------------------------------------------------------------------------------
// Matching what an editor already has

/// A chronology with Mali, Ségou (written precomposed, as keyboards type it) and
/// JNIM (the Mali fixture's file, without its relations), and an ACLED file of one
/// row built from the synthetic fixture's header with `values` set.
fn editor_has_segou_and_jnim(values: &[(&str, &str)]) -> (TempDir, PathBuf, PathBuf) {
    let (dir, root, file) = setup("acled-synthetic.csv", "rows.csv");
    let events = root.join("events");
    std::fs::create_dir_all(events.join("locations")).expect("locations/");
    std::fs::create_dir_all(events.join("actors")).expect("actors/");
    std::fs::write(
        events.join("locations/mali.yaml"),
        "name: Mali\nkind: country\n",
    )
    .expect("mali");
    std::fs::write(
        events.join("locations/segou.yaml"),
        "name: Ségou\nkind: city\nparent: mali\ncoordinates: {lat: 13.43, lon: -6.26}\n",
    )
    .expect("segou");
    let jnim = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mali-2012-2025/events/actors/jnim.yaml"),
    )
    .expect("the Mali fixture's jnim.yaml");
    let (head, tail) = jnim.split_once("relations:").expect("relations");
    let tail = &tail[tail.find("description:").expect("description")..];
    std::fs::write(events.join("actors/jnim.yaml"), format!("{head}{tail}")).expect("jnim");

    let header = std::fs::read_to_string(&file).expect("fixture");
    let header = header.lines().next().expect("header").to_string();
    let row: Vec<String> = header
        .split(',')
        .map(|column| {
            let base = match column {
                "event_id_cnty" => "MLI9001",
                "event_date" => "2023-09-12",
                "year" => "2023",
                "time_precision" => "1",
                "event_type" => "Battles",
                "sub_event_type" => "Armed clash",
                "actor1" => "Military Forces of Mali (2021-)",
                "inter1" => "1",
                "country" => "Mali",
                "location" => "Ségou",
                "latitude" => "13.43",
                "longitude" => "-6.26",
                "geo_precision" => "1",
                "source" => "Example Times",
                "notes" => "A clash.",
                "fatalities" => "0",
                "timestamp" => "1694563200",
                _ => "",
            };
            values
                .iter()
                .find(|(c, _)| *c == column)
                .map_or(base, |(_, v)| v)
                .to_string()
        })
        .collect();
    std::fs::write(&file, format!("{header}\n{}\n", row.join(","))).expect("rows.csv");
    (dir, root, file)
}

#[test]
fn a_decomposed_accent_matches_the_place_and_is_written_composed() {
    // `Se\u{301}gou`: an `e` and a combining acute accent, as some exports write it.
    let (_dir, root, file) = editor_has_segou_and_jnim(&[
        ("location", "Se\u{301}gou"),
        ("admin2", "Se\u{301}gou cercle"),
    ]);
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "1 imported, 0 updated, 0 matched, 0 kept (edited by hand), 0 skipped; created 1 actor, 1 location\n"
    );
    let l = loaded(&root);
    assert_eq!(
        l.locations.keys().map(String::as_str).collect::<Vec<_>>(),
        ["mali", "segou", "segou-cercle"],
        "no `se-gou` or second Ségou"
    );
    let e = event(&l, "-mli9001-");
    assert_eq!(e.data.locations[0].as_str(), "segou");
    // Every file the import wrote spells Ségou as the editor's file does (NFC).
    for (path, bytes) in files(&root) {
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(
            !text.contains('\u{301}'),
            "{} keeps the decomposed accent:\n{text}",
            path.display()
        );
    }
    assert_eq!(
        plain(&l.locations["segou-cercle"].data.name),
        "Ségou cercle"
    );
    let again = import("acled", &file, &root, &[]);
    assert_eq!(
        again.stdout,
        "0 imported, 0 updated, 1 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"
    );
}

#[test]
fn an_acled_acronym_and_full_name_matches_the_editors_short_name() {
    let (_dir, root, file) = editor_has_segou_and_jnim(&[
        ("actor2", "JNIM: Group for Support of Islam and Muslims"),
        ("inter2", "2"),
    ]);
    let before = files(&root);
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "1 imported, 0 updated, 0 matched, 0 kept (edited by hand), 0 skipped; created 1 actor, 0 locations\n",
        "only the army is new"
    );
    let l = loaded(&root);
    let e = event(&l, "-mli9001-");
    let ids: Vec<&str> = e.data.actors.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["military-forces-of-mali-2021", "jnim"]);
    assert_eq!(
        files(&root)
            .into_keys()
            .filter(|p| !before.contains_key(p))
            .count(),
        2,
        "the event and the army only"
    );
    let again = import("acled", &file, &root, &[]);
    assert_eq!(
        again.stdout,
        "0 imported, 0 updated, 1 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"
    );
}

#[test]
fn a_new_acled_actor_keeps_its_acronym_as_short_name() {
    let (_dir, root, file) = editor_has_segou_and_jnim(&[
        ("actor2", "Islamic State Sahel Province (ISSP)"),
        ("inter2", "2"),
    ]);
    let run = import("acled", &file, &root, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    let l = loaded(&root);
    let a = &l.actors["islamic-state-sahel-province"];
    assert_eq!(plain(&a.data.name), "Islamic State Sahel Province");
    assert_eq!(a.data.short_name.as_ref().map(plain), Some("ISSP"));
    let again = import("acled", &file, &root, &[]);
    assert_eq!(
        again.stdout,
        "0 imported, 0 updated, 1 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n"
    );
}

#[test]
fn a_row_naming_an_actor_by_its_former_name_finds_its_file() {
    // ISGS is now "Islamic State Sahel Province"; its old names are in `names:` only
    // (no aliases), as an editor who records the renaming writes it.
    let isgs = "name: Islamic State Sahel Province\nshort_name: IS Sahel\nkind: armed-group\n\
                names:\n  - name: Islamic State in the Greater Sahara\n    short_name: ISGS\n    until: 2022-03\n";
    for named in [
        "Islamic State in the Greater Sahara",
        "ISGS",
        "ISGS: Islamic State in the Greater Sahara",
    ] {
        let (_dir, root, file) = editor_has_segou_and_jnim(&[("actor2", named), ("inter2", "2")]);
        std::fs::write(root.join("events/actors/isgs.yaml"), isgs).expect("isgs");
        let run = import("acled", &file, &root, &[]);
        assert_eq!(run.code, 0, "{run:#?}");
        assert_eq!(
            run.stdout,
            "1 imported, 0 updated, 0 matched, 0 kept (edited by hand), 0 skipped; created 1 actor, 0 locations\n",
            "{named}: only the army is new"
        );
        let l = loaded(&root);
        let e = event(&l, "-mli9001-");
        let ids: Vec<&str> = e.data.actors.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["military-forces-of-mali-2021", "isgs"], "{named}");
        assert_eq!(
            l.actors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["isgs", "jnim", "military-forces-of-mali-2021"],
            "{named}"
        );
        let again = import("acled", &file, &root, &[]);
        assert_eq!(
            again.stdout,
            "0 imported, 0 updated, 1 matched, 0 kept (edited by hand), 0 skipped; created 0 actors, 0 locations\n",
            "{named}"
        );
    }
}
