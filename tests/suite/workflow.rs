//! The editor's workflow: `annalist init`, `annalist new` (events, actors, locations;
//! from flags and from answers), and `annalist schema`, whose output is checked with
//! an independent validator (Python's `jsonschema`, installed by tests/setup.sh)
//! against every sample file of the repository and against broken files.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `annalist <args>` in `dir` with `input` on stdin (not a terminal).
fn annalist_with_input(args: &[&str], dir: &Path, input: &str) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run annalist");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write the answers");
    let out = child.wait_with_output().expect("wait for annalist");
    common::Run {
        code: out.status.code().expect("an exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------------------
// init

#[test]
fn init_makes_a_chronology_that_checks_and_builds() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let run = common::annalist(
        &["init", "chrono", "--title", "Chronique : essai"],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = tmp.path().join("chrono");
    for f in [
        "annalist.yaml",
        ".gitignore",
        ".github/workflows/site.yml",
        "README.md",
        "events/README.md",
        "events/2025/2025-01-15-example-event.yaml",
        "events/actors/example-organisation.yaml",
        "events/locations/example-region.yaml",
        "schema/event.schema.json",
        "schema/actor.schema.json",
        "schema/location.schema.json",
    ] {
        assert!(root.join(f).is_file(), "{f} is missing");
        assert!(run.stdout.contains(f), "{f} is not listed: {}", run.stdout);
    }
    assert!(read(&root.join("annalist.yaml")).contains("title: \"Chronique : essai\""));
    assert!(read(&root.join(".gitignore")).contains("/site/"));
    let workflow = read(&root.join(".github/workflows/site.yml"));
    for needle in [
        "fetch-depth: 0",
        "cargo install --locked annalist",
        "annalist check .",
        "annalist build .",
    ] {
        assert!(workflow.contains(needle), "{needle}");
    }
    let event = read(&root.join("events/2025/2025-01-15-example-event.yaml"));
    assert!(event.starts_with("# yaml-language-server: $schema=../../schema/event.schema.json\n"));

    let check = common::annalist(&["check", "chrono", "--deny-warnings"], tmp.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stdout.trim(), "ok: 1 event, 1 actor, 1 location");
    let build = common::annalist(&["build", "chrono"], tmp.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        root.join("site/events/2025-01-15-example-event/index.html")
            .is_file()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir(tmp.path().join("taken")).expect("folder");
    std::fs::write(tmp.path().join("taken/notes.txt"), "mine").expect("file");
    let run = common::annalist(&["init", "taken"], tmp.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`taken` is not empty"),
        "{}",
        run.stderr
    );
    let entries = std::fs::read_dir(tmp.path().join("taken"))
        .expect("list")
        .count();
    assert_eq!(entries, 1, "nothing was written");
    // An empty folder is fine.
    std::fs::create_dir(tmp.path().join("empty")).expect("folder");
    assert_eq!(common::annalist(&["init", "empty"], tmp.path()).code, 0);
}

// ---------------------------------------------------------------------------------
// new

const DJOURA_FLAGS: &[&str] = &[
    "new",
    "--date",
    "2025-06-02",
    "--title",
    "Nouvelle attaque : le camp de Djoura visé",
    "--location",
    "djoura",
    "--actor",
    "jnim:perpetrator",
    "--actor",
    "fama:target",
    "--type",
    "attack",
    "--status",
    "reported",
    "--source",
    "Agence de presse",
    "--url",
    "https://example.org/depeche",
];

#[test]
fn new_writes_an_event_that_passes_check_and_never_overwrites() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let run = common::annalist(DJOURA_FLAGS, d);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "events/2025/2025-06-02-nouvelle-attaque-camp-djoura-vise.yaml";
    assert!(run.stdout.contains(rel), "{}", run.stdout);
    let text = read(&d.join(rel));
    for needle in [
        "title:\n  fr: \"Nouvelle attaque : le camp de Djoura visé\"\n",
        "date: 2025-06-02\n",
        "locations: [djoura]\n",
        "  - id: jnim\n    role: perpetrator\n",
        "sources:\n  - publisher: Agence de presse\n    url: https://example.org/depeche\n",
        // The optional fields, in comments.
        "# casualties:",
        "# updates:",
        "# aliases:",
        "# body:",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let check = common::annalist(&["check", ".", "--deny-warnings"], d);
    assert_eq!(check.code, 0, "{}\n{text}", check.stderr);
    assert_eq!(check.stdout.trim(), "ok: 3 events, 2 actors, 3 locations");

    // The same again: refused, and the file is untouched.
    std::fs::write(d.join(rel), "title: edited by hand\n").expect("write");
    let again = common::annalist(DJOURA_FLAGS, d);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains(
            "an event with the id `2025-06-02-nouvelle-attaque-camp-djoura-vise` already exists"
        ),
        "{}",
        again.stderr
    );
    assert_eq!(read(&d.join(rel)), "title: edited by hand\n");
    // Also under another year's folder, and with an explicit id.
    let mut flags = DJOURA_FLAGS.to_vec();
    flags.extend(["--id", "2025-05-23-djoura-camp-attack"]);
    let run = common::annalist(&flags, d);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
}

/// A year folder that is a symbolic link out of the chronology: `new` used to follow it
/// (`create_dir_all` and `open` follow links) and write the event outside the tree.
#[cfg(unix)]
#[test]
fn new_never_writes_through_a_linked_year_folder() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let outside = tempfile::tempdir().expect("temporary folder");
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[2] = "2026-06-02";
    std::os::unix::fs::symlink(outside.path(), d.join("events/2026")).expect("a linked year");
    let run = common::annalist(&flags, d);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr.contains("/events/2026` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("replace the link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
}

/// A title with characters YAML reads as line breaks (LINE SEPARATOR, NEL, PARAGRAPH
/// SEPARATOR) or cannot hold unescaped: `new` used to write it plain and then refuse
/// its own file ("could not find expected ':'").
#[test]
fn new_writes_any_title_so_that_it_reads_back() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let title = "Djoura\u{2028}attaque\u{85}du camp\u{2029}\u{feff} \u{7}fin";
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[4] = title;
    flags.extend(["--summary", "Résumé\u{2028}en deux lignes"]);
    let run = common::annalist(&flags, d);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "events/2025/2025-06-02-djoura-attaque-camp-fin.yaml";
    let text = read(&d.join(rel));
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the file reads back");
    assert_eq!(doc["title"]["fr"].as_str(), Some(title), "{text}");
    assert_eq!(
        doc["summary"]["fr"].as_str(),
        Some("Résumé\u{2028}en deux lignes"),
        "{text}"
    );
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{}\n{text}", check.stderr);
}

#[test]
fn new_leaves_a_line_for_each_other_language_of_the_site() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let settings = d.join("annalist.yaml");
    let text = read(&settings);
    std::fs::write(&settings, format!("{text}languages: [fr, en]\n")).expect("write");
    let run = common::annalist(DJOURA_FLAGS, d);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "events/2025/2025-06-02-nouvelle-attaque-camp-djoura-vise.yaml";
    let text = read(&d.join(rel));
    assert!(
        text.contains(
            "title:\n  fr: \"Nouvelle attaque : le camp de Djoura visé\"\n  # en: the same text in `en`\n"
        ),
        "{text}"
    );
    // Until it is translated, check says so.
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("no English (`en`) version of `title`"),
        "{}",
        check.stderr
    );
}

#[test]
fn new_refuses_unknown_ids_with_a_suggestion() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[8] = "jnimm:perpetrator";
    let run = common::annalist(&flags, d);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--actor: unknown actor `jnimm`; did you mean `jnim`?"),
        "{}",
        run.stderr
    );
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[6] = "djuora";
    let run = common::annalist(&flags, d);
    assert!(
        run.stderr
            .contains("--location: unknown location `djuora`; did you mean `djoura`?"),
        "{}",
        run.stderr
    );
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[12] = "atack";
    let run = common::annalist(&flags, d);
    assert!(
        run.stderr.contains("did you mean `attack`?"),
        "{}",
        run.stderr
    );
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[2] = "2025-02-30";
    let run = common::annalist(&flags, d);
    assert!(run.stderr.contains("--date:"), "{}", run.stderr);
    // A claimed event needs its claimant.
    let mut flags = DJOURA_FLAGS.to_vec();
    flags[14] = "claimed";
    let run = common::annalist(&flags, d);
    assert!(run.stderr.contains("--claimant"), "{}", run.stderr);
    assert!(!d.join("events/2025").read_dir().expect("list").any(|e| {
        e.expect("entry")
            .file_name()
            .to_string_lossy()
            .starts_with("2025-06-02")
    }));

    // Without a terminal, missing fields are named instead of asked for.
    let run = annalist_with_input(&["new", "--title", "x"], d, "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("missing --date, --type, --status, --location"),
        "{}",
        run.stderr
    );
}

/// `--claim` and `--channel` belong to a claimant: without `--claimant` they used to
/// be dropped silently (exit 0, a file without them).
#[test]
fn new_refuses_a_claim_without_its_claimant() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    for (extra, message) in [
        (
            &["--claim", "Nous avons attaqué le camp."][..],
            "error: --claim needs --claimant: the actor who makes the claim\n",
        ),
        (
            &["--channel", "jnim"][..],
            "error: --channel needs --claimant: the actor who makes the claim\n",
        ),
        (
            &[
                "--claim",
                "Nous avons attaqué le camp.",
                "--channel",
                "jnim",
            ][..],
            "error: --claim and --channel need --claimant: the actor who makes the claim\n",
        ),
    ] {
        let mut flags = DJOURA_FLAGS.to_vec();
        flags.extend(extra);
        let run = common::annalist(&flags, d);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(message), "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "= help: add `--claimant ID` (an actor id), or leave out --claim and --channel"
            ),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            !d.join("events/2025/2025-06-02-nouvelle-attaque-camp-djoura-vise.yaml")
                .exists(),
            "nothing is written"
        );
    }
    // With its claimant, the claim is written.
    let mut flags = DJOURA_FLAGS.to_vec();
    flags.extend([
        "--claimant",
        "jnim",
        "--claim",
        "Nous avons attaqué le camp.",
    ]);
    let run = common::annalist(&flags, d);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&d.join("events/2025/2025-06-02-nouvelle-attaque-camp-djoura-vise.yaml"));
    assert!(
        text.contains(
            "claims:\n  - claimant: jnim\n    claim:\n      fr: Nous avons attaqué le camp.\n"
        ),
        "{text}"
    );
}

#[test]
fn new_asks_for_missing_fields_and_completes_known_ids() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    // date (a bad one first), title, type by prefix, status, locations by prefix,
    // actors, then who claims it, channel (none), the claim, and the source.
    let answers = "23 mai\n2025-06-03\nLe JNIM revendique une embuscade\nbat\nclaimed\ndj\n\
                   jn:perp, fa:target\njnim\n\nUne embuscade réussie.\nAgence de presse\n\n";
    let run = annalist_with_input(&["new", "--interactive"], d, answers);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("Date ("), "{}", run.stderr);
    assert!(
        run.stderr.contains("known: djoura, mali, mopti-region"),
        "{}",
        run.stderr
    );
    let rel = "events/2025/2025-06-03-jnim-revendique-embuscade.yaml";
    let text = read(&d.join(rel));
    for needle in [
        "date: 2025-06-03\n",
        "type: battle\n",
        "status: claimed\n",
        "locations: [djoura]\n",
        "  - id: fama\n    role: target\n",
        "claims:\n  - claimant: jnim\n    claim:\n      fr: Une embuscade réussie.\n",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{}", check.stderr);

    // The input ending early cancels without writing anything.
    let run = annalist_with_input(&["new", "--interactive"], d, "2025-06-04\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cancelled"), "{}", run.stderr);
}

#[test]
fn new_actor_and_location_are_checked_too() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let run = common::annalist(
        &[
            "new",
            "actor",
            "katiba-macina",
            "--name",
            "Katiba Macina",
            "--kind",
            "armed-group",
        ],
        d,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&d.join("events/actors/katiba-macina.yaml"));
    assert!(text.contains("name: Katiba Macina\n") && text.contains("kind: armed-group\n"));
    assert!(text.contains("# relations:"), "{text}");

    let run = common::annalist(
        &[
            "new",
            "location",
            "sevare",
            "--name",
            "Sévaré",
            "--kind",
            "town",
            "--parent",
            "mopti-regoin",
            "--lat",
            "14.5",
            "--lon",
            "-4.1",
        ],
        d,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `mopti-region`?"),
        "{}",
        run.stderr
    );
    let run = common::annalist(
        &[
            "new",
            "location",
            "sevare",
            "--name",
            "Sévaré",
            "--kind",
            "town",
            "--parent",
            "mopti-region",
            "--lat",
            "14.5",
            "--lon",
            "-4.1",
        ],
        d,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&d.join("events/locations/sevare.yaml"));
    assert!(text.contains("parent: mopti-region\n"), "{text}");
    assert!(
        text.contains("coordinates: {lat: 14.5, lon: -4.1}\n"),
        "{text}"
    );

    // Existing ids and bad ids are refused; the file is left alone.
    let run = common::annalist(&["new", "actor", "jnim", "--name", "Autre"], d);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the actor `jnim` already exists"),
        "{}",
        run.stderr
    );
    assert!(read(&d.join("events/actors/jnim.yaml")).contains("JNIM"));
    let run = common::annalist(&["new", "actor", "Katiba Serma", "--name", "x"], d);
    assert!(run.stderr.contains("`katiba-serma`"), "{}", run.stderr);

    let check = common::annalist(&["check", ".", "--deny-warnings"], d);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn new_files_point_at_the_schema_when_the_chronology_has_it() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    assert_eq!(common::annalist(&["init", "c"], tmp.path()).code, 0);
    let root = tmp.path().join("c");
    let run = common::annalist(
        &[
            "new", "location", "capital", "--name", "Capitale", "--kind", "city", "--root", "c",
        ],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&root.join("events/locations/capital.yaml"));
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../schema/location.schema.json\n"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------
// schema

fn python_has_jsonschema() -> bool {
    Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Validates each (name, JSON) with Python's `jsonschema` against `schema`; returns
/// the names of the documents it rejects.
fn rejected(schema: &Path, docs: &[(String, serde_json::Value)], work: &Path) -> Vec<String> {
    let list: Vec<serde_json::Value> = docs
        .iter()
        .map(|(n, v)| serde_json::json!({"name": n, "doc": v}))
        .collect();
    let docs_path = work.join("docs.json");
    std::fs::write(&docs_path, serde_json::to_string(&list).expect("json")).expect("write");
    let script = r#"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
for d in json.load(open(sys.argv[2])):
    errors = list(v.iter_errors(d["doc"]))
    if errors:
        print(d["name"] + ": " + errors[0].message)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(schema)
        .arg(&docs_path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "the validator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A YAML file as the JSON the schema describes (as annalist's YAML reader sees it).
fn as_json(path: &Path) -> serde_json::Value {
    let v: serde_yaml::Value = serde_yaml::from_str(&read(path)).expect("YAML");
    serde_json::to_value(v).expect("JSON")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn the_schema_accepts_every_sample_file_and_rejects_broken_ones() {
    assert!(
        python_has_jsonschema(),
        "Python's jsonschema is needed: run tests/setup.sh (or `pip install jsonschema`)"
    );
    let tmp = tempfile::tempdir().expect("temporary folder");
    let run = common::annalist(&["schema", "--write", "."], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let events = repo.join("events");
    let mut years: Vec<PathBuf> = std::fs::read_dir(&events)
        .expect("events")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().len() == 4)
        })
        .collect();
    years.sort();
    let event_files: Vec<PathBuf> = years.iter().flat_map(|y| yaml_files(y)).collect();
    assert!(event_files.len() >= 4);
    for (kind, files) in [
        ("event", event_files),
        ("actor", yaml_files(&events.join("actors"))),
        ("location", yaml_files(&events.join("locations"))),
    ] {
        let docs: Vec<(String, serde_json::Value)> = files
            .iter()
            .map(|f| (f.display().to_string(), as_json(f)))
            .collect();
        let schema = tmp.path().join(format!("schema/{kind}.schema.json"));
        assert_eq!(
            rejected(&schema, &docs, tmp.path()),
            Vec::<String>::new(),
            "{kind}"
        );
    }

    // Broken files: an unknown field, a value outside a vocabulary, a bad date, an
    // id with a capital, a missing field.
    let good = as_json(&events.join("2025/2025-05-23-djoura-camp-attack.yaml"));
    let broken = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        v
    };
    let docs = vec![
        (
            "unknown-field".to_string(),
            broken(&|v| v["actros"] = serde_json::json!([])),
        ),
        (
            "wrong-status".to_string(),
            broken(&|v| v["status"] = "claimd".into()),
        ),
        (
            "wrong-role".to_string(),
            broken(&|v| v["actors"][0]["role"] = "perpetrater".into()),
        ),
        (
            "bad-date".to_string(),
            broken(&|v| v["date"] = "23/05/2025".into()),
        ),
        (
            "bad-id".to_string(),
            broken(&|v| v["locations"][0] = "Djoura".into()),
        ),
        (
            "bad-figure".to_string(),
            broken(&|v| v["casualties"][0]["figure"] = "environ 100".into()),
        ),
        (
            "no-title".to_string(),
            broken(&|v| {
                v.as_object_mut().map(|o| o.remove("title"));
            }),
        ),
        ("still-good".to_string(), good.clone()),
    ];
    let rejected = rejected(
        &tmp.path().join("schema/event.schema.json"),
        &docs,
        tmp.path(),
    );
    let names: Vec<&str> = rejected
        .iter()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "unknown-field",
            "wrong-status",
            "wrong-role",
            "bad-date",
            "bad-id",
            "bad-figure",
            "no-title"
        ],
        "{rejected:#?}"
    );
}

/// A committed `schema/event.schema.json -> ~/.bashrc`: `schema --write` used to write
/// the schema into the link's target.
#[cfg(unix)]
#[test]
fn schema_write_refuses_a_linked_schema_file() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let outside = tempfile::tempdir().expect("temporary folder");
    let target = outside.path().join("bashrc");
    std::fs::write(&target, "keep\n").expect("write");
    std::fs::create_dir(tmp.path().join("schema")).expect("mkdir");
    std::os::unix::fs::symlink(&target, tmp.path().join("schema/event.schema.json"))
        .expect("a linked schema");
    let run = common::annalist(&["schema", "--write", "."], tmp.path());
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr
            .contains("schema/event.schema.json` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&target), "keep\n");
    // Without the link, the files are written (and written again over themselves).
    std::fs::remove_file(tmp.path().join("schema/event.schema.json")).expect("rm");
    for _ in 0..2 {
        let run = common::annalist(&["schema", "--write", "."], tmp.path());
        assert_eq!(run.code, 0, "{run:#?}");
    }
    let names: Vec<_> = std::fs::read_dir(tmp.path().join("schema"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
        .collect();
    assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
}

#[test]
fn schema_prints_one_kind_or_all_in_one_document() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let run = common::annalist(&["schema", "event"], tmp.path());
    assert_eq!(run.code, 0);
    let event: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        event["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(event["properties"]["updates"]["type"], "array");
    assert_eq!(event["properties"]["aliases"]["type"], "array");
    let all = common::annalist(&["schema"], tmp.path());
    let all: serde_json::Value = serde_json::from_str(&all.stdout).expect("JSON");
    for kind in ["event", "actor", "location"] {
        assert!(all["$defs"][kind]["properties"].is_object(), "{kind}");
    }
    assert_eq!(common::annalist(&["schema", "nothing"], tmp.path()).code, 2);
}

#[test]
fn new_actor_writes_dated_relations_in_the_order_of_the_flags() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    // Each --since and --until dates the --relation before it.
    let run = common::annalist(
        &[
            "new",
            "actor",
            "katiba-macina",
            "--name",
            "Katiba Macina",
            "--relation",
            "affiliated-with:fama",
            "--since",
            "2015~",
            "--until",
            "2017-03",
            "--relation",
            "part-of:jnim",
            "--since",
            "2017-03",
        ],
        d,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&d.join("events/actors/katiba-macina.yaml"));
    assert!(
        text.contains(
            "relations:\n  - type: affiliated-with\n    target: fama\n    since: \"2015~\"\n    until: 2017-03\n  - type: part-of\n    target: jnim\n    since: 2017-03\n"
        ),
        "{text}"
    );
    let check = common::annalist(&["check", d.to_str().expect("UTF-8")], d);
    assert_eq!(check.code, 0, "{check:#?}");
}

/// `annalist new <what> <flags>` with each case's flags is refused (exit 2) with the
/// case's error on stderr, and writes no `events/<file>`.
fn assert_new_refused(d: &Path, what: &[&str], file: &str, cases: &[(&[&str], &str)]) {
    for (flags, error) in cases {
        let mut args = vec!["new"];
        args.extend_from_slice(what);
        args.extend_from_slice(flags);
        let run = common::annalist(&args, d);
        assert_eq!(run.code, 2, "{flags:?}\n{run:#?}");
        assert!(run.stderr.contains(error), "{flags:?}\n{}", run.stderr);
        assert!(!d.join("events").join(file).exists(), "{flags:?}");
    }
}

#[test]
fn new_actor_refuses_dates_that_date_no_relation_or_contradict() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--since", "2017", "--relation", "part-of:jnim"],
            "--since 2017 comes before any --relation",
        ),
        (
            &[
                "--relation",
                "part-of:jnim",
                "--until",
                "2017",
                "--until",
                "2018",
            ],
            "--until is given twice for `--relation part-of:jnim`",
        ),
        (
            &[
                "--relation",
                "part-of:jnim",
                "--since",
                "2022",
                "--until",
                "2017",
            ],
            "it ends before it begins",
        ),
        (
            &[
                "--relation",
                "part-of:jnim",
                "--since",
                "2017-03-01/2017-03-05",
            ],
            "one date, not a span",
        ),
    ];
    assert_new_refused(d, &["actor", "x", "--name", "X"], "actors/x.yaml", &cases);
}

#[test]
fn new_actor_asks_since_when_for_each_relation() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let run = annalist_with_input(
        &["new", "actor", "ansar-dine", "--interactive"],
        d,
        // name, kind (none), a relation, since, until (empty), no more relations, no
        // former name.
        "Ansar Dine\n\npart-of:jnim\n2017-03\n\n\n\n",
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stderr.contains("Since when? (empty if unknown)"),
        "{}",
        run.stderr
    );
    let text = read(&d.join("events/actors/ansar-dine.yaml"));
    assert!(
        text.contains(
            "relations:\n  - type: part-of\n    target: jnim\n    since: 2017-03\n# description"
        ),
        "{text}"
    );
}

#[test]
fn new_actor_writes_former_names_with_their_dates() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let run = common::annalist(
        &[
            "new",
            "actor",
            "isgs",
            "--name",
            "État islamique au Sahel",
            "--short-name",
            "EI Sahel",
            "--former-name",
            "EIGS=État islamique dans le Grand Sahara",
            "--until",
            "2022-03",
            "--relation",
            "affiliated-with:jnim",
            "--until",
            "2019~",
            "--former-name",
            "Al-Mourabitoun du Sahara",
            "--since",
            "2015-05",
            "--until",
            "2015-10~",
        ],
        d,
    );
    assert_eq!(run.code, 0, "{run:#?}");
    let text = read(&d.join("events/actors/isgs.yaml"));
    assert!(
        text.contains(
            "short_name: EI Sahel\nnames:\n  - name: État islamique dans le Grand Sahara\n    short_name: EIGS\n    until: 2022-03\n  - name: Al-Mourabitoun du Sahara\n    since: 2015-05\n    until: 2015-10~\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "relations:\n  - type: affiliated-with\n    target: jnim\n    until: \"2019~\"\n"
        ),
        "{text}"
    );
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{check:#?}");
    // The chronology reads the names as written.
    let l = annalist::load::load(d);
    let names = &l.actors["isgs"].data.names;
    assert_eq!(names.len(), 2);
    assert_eq!(names[0].name.all(), ["État islamique dans le Grand Sahara"]);
    assert_eq!(
        names[0].short_name.as_ref().map(annalist::model::Text::all),
        Some(vec!["EIGS"])
    );

    // Without a former name, the file shows how to write one.
    let run = common::annalist(&["new", "actor", "mnla", "--name", "MNLA"], d);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        read(&d.join("events/actors/mnla.yaml")).contains("# names:"),
        "a commented `names:`"
    );
}

#[test]
fn new_actor_refuses_a_former_name_without_dates_or_badly_written() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--former-name", "EIGS=État islamique dans le Grand Sahara"],
            "a former name needs its dates",
        ),
        (
            &[
                "--former-name",
                "EIGS=État islamique",
                "--relation",
                "part-of:jnim",
                "--until",
                "2022",
            ],
            "a former name needs its dates",
        ),
        (
            &["--until", "2022", "--former-name", "EIGS"],
            "--until 2022 comes before any --relation or --former-name",
        ),
        (
            &["--former-name", "=État islamique", "--until", "2022"],
            "nothing before `=`",
        ),
        (
            &["--former-name", "EIGS= ", "--until", "2022"],
            "the full name is empty",
        ),
        (
            &[
                "--former-name",
                "EIGS",
                "--since",
                "2023",
                "--until",
                "2022",
            ],
            "it ends before it begins",
        ),
    ];
    assert_new_refused(d, &["actor", "x", "--name", "X"], "actors/x.yaml", &cases);
    // The message says what to write.
    let run = common::annalist(
        &[
            "new",
            "actor",
            "x",
            "--name",
            "X",
            "--former-name",
            "EIGS=Grand Sahara",
        ],
        d,
    );
    assert!(
        run.stderr
            .contains("--former-name \"EIGS=Grand Sahara\": a former name needs its dates")
            && run.stderr.contains("--until 2022-03"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_actor_asks_for_former_names_and_their_end() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    // name, kind (none), no relation, a former name, until (empty: refused, then
    // given), since (empty), no more former names.
    let run = annalist_with_input(
        &["new", "actor", "isgs", "--interactive"],
        d,
        "État islamique au Sahel\n\n\nEIGS=État islamique dans le Grand Sahara\n\n2022-03\n\n\n",
    );
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stderr.contains("Former name ("), "{}", run.stderr);
    assert!(
        run.stderr.contains("a former name needs the day it ended"),
        "{}",
        run.stderr
    );
    let text = read(&d.join("events/actors/isgs.yaml"));
    assert!(
        text.contains(
            "names:\n  - name: État islamique dans le Grand Sahara\n    short_name: EIGS\n    until: 2022-03\n"
        ),
        "{text}"
    );
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{check:#?}");
}

#[test]
fn new_location_writes_parent_at_all_times_or_parents_over_time() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let new_location = |args: &[&str]| {
        let mut all = vec!["new", "location"];
        all.extend_from_slice(args);
        common::annalist(&all, d)
    };
    let run = new_location(&[
        "bandiagara-region",
        "--name",
        "Région de Bandiagara",
        "--kind",
        "region",
        "--parent",
        "mali",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let text = read(&d.join("events/locations/bandiagara-region.yaml"));
    assert!(text.contains("\nparent: mali\n"), "{text}");
    assert!(text.contains("# parents:"), "{text}");

    let run = new_location(&[
        "bankass-cercle",
        "--name",
        "Cercle de Bankass",
        "--kind",
        "district",
        "--parent",
        "mopti-region",
        "--until",
        "2023",
        "--parent",
        "bandiagara-region",
        "--since",
        "2023",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let text = read(&d.join("events/locations/bankass-cercle.yaml"));
    assert!(
        text.contains(
            "parents:\n  - id: mopti-region\n    until: \"2023\"\n  - id: bandiagara-region\n    since: \"2023\"\n"
        ),
        "{text}"
    );
    assert!(!text.contains("\nparent:"), "{text}");

    // One dated parent is a `parents:` entry too.
    let run = new_location(&[
        "koro-cercle",
        "--name",
        "Cercle de Koro",
        "--kind",
        "district",
        "--parent",
        "bandiagara-region",
        "--since",
        "2023-03",
    ]);
    assert_eq!(run.code, 0, "{run:#?}");
    let text = read(&d.join("events/locations/koro-cercle.yaml"));
    assert!(
        text.contains("parents:\n  - id: bandiagara-region\n    since: 2023-03\n"),
        "{text}"
    );
    let check = common::annalist(&["check", "."], d);
    assert_eq!(check.code, 0, "{check:#?}");
    let l = annalist::load::load(d);
    assert_eq!(
        l.locations["bankass-cercle"].data.current_parent(),
        Some("bandiagara-region")
    );
}

#[test]
fn new_location_refuses_parents_that_overlap_or_dates_without_a_parent() {
    let dir = common::chronology("workflow", "_base");
    let d = dir.path();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--since", "2023", "--parent", "mali"],
            "--since 2023 comes before any --parent",
        ),
        (
            &["--parent", "mali", "--parent", "mopti-region"],
            "--parent mopti-region: it would hold on the same days as `--parent mali`",
        ),
        (
            &[
                "--parent",
                "mali",
                "--until",
                "2024",
                "--parent",
                "mopti-region",
                "--since",
                "2020",
            ],
            "it would hold on the same days",
        ),
        (
            &["--parent", "mali", "--since", "2023", "--since", "2024"],
            "--since is given twice for `--parent mali`",
        ),
        (
            &["--parent", "mopti-regoin", "--until", "2023"],
            "did you mean `mopti-region`?",
        ),
    ];
    assert_new_refused(
        d,
        &["location", "x", "--name", "X", "--kind", "district"],
        "locations/x.yaml",
        &cases,
    );
}

#[test]
fn new_help_documents_former_names_and_parents() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let actor = common::annalist(&["new", "actor", "--help"], dir.path());
    assert_eq!(actor.code, 0, "{actor:#?}");
    assert!(
        actor.stdout.contains("--former-name <SHORT=FULL NAME>")
            && actor.stdout.contains(
                "--former-name \"EIGS=État islamique dans le Grand Sahara\" --until 2022-03"
            ),
        "{}",
        actor.stdout
    );
    let location = common::annalist(&["new", "location", "--help"], dir.path());
    assert!(
        location
            .stdout
            .contains("--parent mopti-region --until 2023 --parent bandiagara-region --since 2023"),
        "{}",
        location.stdout
    );
}
