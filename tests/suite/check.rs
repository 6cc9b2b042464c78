//! `annalist check [ROOT] [--deny-warnings]`, run as editors run it: the real binary
//! on a chronology folder. Each case is `tests/fixtures/check/<case>/`, copied over the
//! small valid chronology in `tests/fixtures/check/_base/` (actors jnim and fama,
//! locations mali → mopti-region → djoura, one event in 2023 and one in 2025).
//! The diagnostics (stderr) are snapshotted under the case's name; the summary
//! (stdout) and the exit code are asserted here.

use crate::common;

use crate::common::{Run, annalist, chronology};
use std::path::Path;

/// Runs `annalist check ROOT [extra...]` on the chronology of `case`, after `prepare`
/// has had a chance to change the temporary copy.
fn check_with(case: &str, extra: &[&str], prepare: impl FnOnce(&Path)) -> Run {
    let dir = chronology("check", case);
    prepare(dir.path());
    let root = dir.path().to_str().expect("temporary path is UTF-8");
    let mut args = vec!["check", root];
    args.extend_from_slice(extra);
    annalist(&args, dir.path())
}

/// A case that must fail: exit code 1 and `summary` as the last line of stdout.
/// Returns the diagnostics.
fn fails_with(case: &str, summary: &str, prepare: impl FnOnce(&Path)) -> String {
    let run = check_with(case, &[], prepare);
    assert_eq!(run.code, 1, "{case}: expected exit code 1\n{run:#?}");
    assert_eq!(
        run.stdout,
        format!("{summary}\n"),
        "{case}: summary\n{run:#?}"
    );
    assert!(
        !run.stderr.contains("[ROOT]"),
        "{case}: a diagnostic names the absolute path instead of a path in the chronology\n{}",
        run.stderr
    );
    run.stderr
}

fn fails(case: &str, summary: &str) -> String {
    fails_with(case, summary, |_| {})
}

// ---------------------------------------------------------------------------------
// Valid chronologies

#[test]
fn the_sample_chronology_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Read-only: `check` writes nothing, so the repository itself is the fixture.
    let run = annalist(&["check", root.to_str().expect("UTF-8 path")], root);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout
            .starts_with("ok: 4 events, 10 actors, 7 locations"),
        "{run:#?}"
    );
}

#[test]
fn the_base_fixture_passes_cleanly() {
    // Every other case is this chronology with one thing broken: it must be clean.
    let dir = tempfile::tempdir().expect("temp dir");
    let base = common::fixture_dir("check", "_base");
    let run = annalist(&["check", base.to_str().expect("UTF-8 path")], dir.path());
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "ok: 2 events, 2 actors, 3 locations\n");
    assert_eq!(run.stderr, "");
}

// ---------------------------------------------------------------------------------
// YAML and structure

#[test]
fn yaml_syntax_error() {
    insta::assert_snapshot!(
        "yaml-syntax-error",
        fails("yaml-syntax-error", "1 error in 1 file")
    );
}

#[test]
fn wrong_type_map_for_text() {
    insta::assert_snapshot!(
        "wrong-type-map-for-text",
        fails("wrong-type-map-for-text", "1 error in 1 file")
    );
}

#[test]
fn wrong_type_text_for_list() {
    insta::assert_snapshot!(
        "wrong-type-text-for-list",
        fails("wrong-type-text-for-list", "1 error in 1 file")
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    insta::assert_snapshot!("unknown-field", fails("unknown-field", "1 error in 1 file"));
}

#[test]
fn unknown_field_in_a_nested_entry() {
    insta::assert_snapshot!(
        "unknown-nested-field",
        fails("unknown-nested-field", "1 error in 1 file")
    );
}

#[test]
fn empty_tilde_and_null_required_fields() {
    insta::assert_snapshot!(
        "empty-required-fields",
        fails("empty-required-fields", "3 errors in 1 file")
    );
}

#[test]
fn duplicate_key() {
    insta::assert_snapshot!("duplicate-key", fails("duplicate-key", "1 error in 1 file"));
}

#[test]
fn an_extension_written_twice_is_not_read_as_the_shorter_id() {
    // It used to load as the event `2025-06-01-x` here, while `serve` skipped it.
    let stderr = fails_with("_base", "1 error in 1 file", |root| {
        std::fs::write(
            root.join("events/2025/2025-06-01-x.yaml.yaml"),
            "title: X\ndate: 2025-06-01\ntype: attack\nstatus: reported\nlocations: [djoura]\n",
        )
        .expect("write the file");
    });
    assert!(
        stderr.contains(
            "`2025-06-01-x.yaml.yaml` has its extension twice, so its id `2025-06-01-x.yaml` contains a `.`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("rename the file to `2025-06-01-x.yaml`"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------
// Dates

#[test]
fn impossible_date() {
    insta::assert_snapshot!(
        "impossible-date",
        fails("impossible-date", "1 error in 1 file")
    );
}

#[test]
fn malformed_date() {
    insta::assert_snapshot!(
        "malformed-date",
        fails("malformed-date", "1 error in 1 file")
    );
}

/// Issue 17: a value with escape sequences (`"2025-05-23\e]0;PWNED\a\e[2J"` retitles
/// and clears the terminal) is quoted in diagnostics as visible escapes, as rustc does.
#[test]
fn control_characters_from_the_input_are_escaped() {
    let stderr = fails("control-characters", "2 errors in 1 file");
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal: {stderr:?}"
    );
    assert!(stderr.contains(r"2025-05-23\u{1b}]0;PWNED\u{7}\u{1b}[2J"));
    insta::assert_snapshot!("control-characters", stderr);
}

#[test]
fn interval_end_before_start() {
    insta::assert_snapshot!(
        "interval-end-before-start",
        fails("interval-end-before-start", "1 error in 1 file")
    );
}

#[test]
fn event_filed_under_the_wrong_year() {
    insta::assert_snapshot!(
        "wrong-year-folder",
        fails("wrong-year-folder", "1 error in 1 file")
    );
}

// ---------------------------------------------------------------------------------
// References

#[test]
fn unknown_actor_suggests_the_closest_id() {
    insta::assert_snapshot!("unknown-actor", fails("unknown-actor", "1 error in 1 file"));
}

#[test]
fn unknown_location() {
    insta::assert_snapshot!(
        "unknown-location",
        fails("unknown-location", "1 error in 1 file")
    );
}

#[test]
fn unknown_related_event() {
    // The suggestion is never the event itself, which may not be related to itself.
    insta::assert_snapshot!(
        "unknown-related-event",
        fails("unknown-related-event", "1 error in 1 file")
    );
}

#[test]
fn actor_related_to_itself() {
    insta::assert_snapshot!(
        "actor-relation-to-itself",
        fails("actor-relation-to-itself", "1 error in 1 file")
    );
}

#[test]
fn location_parent_cycle() {
    insta::assert_snapshot!(
        "location-parent-cycle",
        fails("location-parent-cycle", "1 error in 1 file")
    );
}

#[test]
fn location_parents_that_overlap() {
    insta::assert_snapshot!(
        "location-parents-overlap",
        fails("location-parents-overlap", "1 error in 1 file")
    );
}

#[test]
fn actor_rollup_loop_is_named_once_at_its_first_actor() {
    // jnim part-of katiba-macina, katiba-macina part-of and affiliated-with jnim: one
    // loop, told once. fama part-of katiba-macina since 2015, katiba-macina
    // affiliated-with fama until 2014: never together, no loop.
    insta::assert_snapshot!(
        "actor-rollup-cycle",
        fails("actor-rollup-cycle", "1 error in 1 file")
    );
}

#[test]
fn location_parents_that_loop() {
    // The overlay also holds a loop whose links never hold together: not reported.
    insta::assert_snapshot!(
        "location-parents-loop",
        fails("location-parents-loop", "1 error in 1 file")
    );
}

#[test]
fn actor_rollup_loop_that_never_holds_together_passes() {
    let run = check_with("actor-rollup-cycle", &["--deny-warnings"], |root| {
        // Without jnim's relation, only the loop through fama is left, and its two
        // relations never hold on a common day.
        let jnim = root.join("events/actors/jnim.yaml");
        let text = std::fs::read_to_string(&jnim).expect("jnim.yaml");
        let cut = text.find("relations:").expect("relations");
        std::fs::write(&jnim, &text[..cut]).expect("write jnim.yaml");
    });
    assert_eq!(run.code, 0, "{run:#?}");
}

#[test]
fn contradictory_relation_dates() {
    insta::assert_snapshot!(
        "relation-dates",
        fails("relation-dates", "4 errors in 2 files")
    );
}

#[test]
fn location_with_parent_and_parents() {
    insta::assert_snapshot!(
        "location-parent-and-parents",
        fails("location-parent-and-parents", "2 errors in 1 file")
    );
}

#[test]
fn location_outside_its_country() {
    let run = check_with("location-outside-country", &[], |_| {});
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "ok: 2 events, 2 actors, 3 locations (1 warning)\n"
    );
    insta::assert_snapshot!("location-outside-country", run.stderr);
}

#[test]
fn unknown_coordinates_pass_with_deny_warnings() {
    // Without `coordinates:`, djoura would warn of having none.
    let run = check_with("location-coordinates-unknown", &["--deny-warnings"], |_| {});
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.stdout, "ok: 2 events, 2 actors, 3 locations\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn alias_that_is_another_entitys_name_or_alias() {
    // An error: import and `new` match names through aliases, so such an alias would
    // file a row under either entity.
    insta::assert_snapshot!("alias-clash", fails("alias-clash", "3 errors in 3 files"));
}

#[test]
fn related_event_that_is_gone_or_renamed() {
    insta::assert_snapshot!(
        "related-gone",
        fails("related-gone", "2 errors in 1 file (1 warning)")
    );
}

#[test]
fn location_that_is_its_own_parent() {
    insta::assert_snapshot!(
        "location-own-parent",
        fails("location-own-parent", "1 error in 1 file")
    );
}

// ---------------------------------------------------------------------------------
// Ids and file names

#[test]
fn same_event_id_in_two_year_folders() {
    // The second file (in path order) is reported and not read; the first is in the
    // wrong year folder, and its help does not propose to move it over the other.
    insta::assert_snapshot!(
        "duplicate-event-id",
        fails("duplicate-event-id", "2 errors in 2 files")
    );
}

#[test]
fn ids_that_differ_only_by_case() {
    // An id with uppercase is itself invalid; the fixed stem is taken, so the help
    // names the file that has it instead of proposing to overwrite it.
    insta::assert_snapshot!(
        "case-collision",
        fails("case-collision", "1 error in 1 file")
    );
}

#[test]
fn invalid_file_stem_proposes_an_id() {
    insta::assert_snapshot!(
        "invalid-file-stem",
        fails("invalid-file-stem", "1 error in 1 file")
    );
}

// ---------------------------------------------------------------------------------
// Files no editor means to write

#[test]
fn file_that_is_not_utf8() {
    let fixture = common::fixture_dir("check", "not-utf8").join("events/actors/fama.yaml");
    let bytes = std::fs::read(&fixture).expect("read fixture");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must stay Latin-1, not UTF-8"
    );
    insta::assert_snapshot!("not-utf8", fails("not-utf8", "1 error in 1 file"));
}

#[test]
fn empty_file() {
    insta::assert_snapshot!("empty-file", fails("empty-file", "1 error in 1 file"));
}

#[test]
fn file_over_one_mib() {
    let stderr = fails_with("file-too-large", "1 error in 1 file", |root| {
        grow_pasted_export(root, 3 * 1024 * 1024 / 2)
    });
    insta::assert_snapshot!("file-too-large", stderr);
}

#[test]
fn file_one_byte_over_one_mib() {
    let stderr = fails_with("file-too-large", "1 error in 1 file", |root| {
        grow_pasted_export(root, 1024 * 1024 + 1)
    });
    insta::assert_snapshot!("file-too-large-by-one-byte", stderr);
}

/// Grows the seed file of `file-too-large` (a valid event ending with `body: |`) to
/// exactly `size` bytes of text, so that only its size is wrong.
fn grow_pasted_export(root: &Path, size: usize) {
    let path = root.join("events/2025/2025-05-24-pasted-export.yaml");
    let mut text = std::fs::read_to_string(&path).expect("read the seed file");
    let line = "  Ligne d'un export collé par erreur dans le corps de l'événement.\n";
    while text.len() + 2 * line.len() <= size {
        text.push_str(line);
    }
    let rest = size - text.len() - "  \n".len();
    text.push_str(&format!("  {}\n", "x".repeat(rest)));
    assert_eq!(text.len(), size);
    std::fs::write(&path, text).expect("write the grown file");
}

#[test]
fn an_id_listed_twice_is_an_error_at_its_second_mention() {
    insta::assert_snapshot!(
        "duplicate-list-entries",
        fails("duplicate-list-entries", "4 errors in 1 file")
    );
}

#[test]
fn lists_longer_than_the_limits_are_refused() {
    // 70 locations (one id, 70 times) and 40 tags: one error for each list, and the
    // duplicate once, however many times it is repeated.
    insta::assert_snapshot!(
        "too-many-list-entries",
        fails("too-many-list-entries", "3 errors in 1 file")
    );
}

/// A 500 KB summary on an event with 30 tags would be copied onto 38 lists and feeds.
#[test]
fn text_copied_onto_too_many_pages_is_refused() {
    let stderr = fails_with("too-much-copied-text", "1 error in 1 file", |root| {
        let path = root.join("events/2025/2025-05-23-djoura-camp-attack.yaml");
        let mut text = std::fs::read_to_string(&path).expect("read the seed file");
        let line = "  Une phrase du résumé, répétée jusqu'à faire un long texte.\n";
        while text.len() < 500 * 1024 {
            text.push_str(line);
        }
        std::fs::write(&path, text).expect("write the grown file");
    });
    insta::assert_snapshot!("too-much-copied-text", stderr);
}

/// docs/SECURITY.md: tags are refused, never interpreted (`!!binary` was read as text).
#[test]
fn yaml_tag() {
    insta::assert_snapshot!("yaml-tag", fails("yaml-tag", "1 error in 1 file"));
}

#[test]
fn alias_bomb() {
    // Fails fast, at the first alias, with a message that says what to do.
    insta::assert_snapshot!("alias-bomb", fails("alias-bomb", "1 error in 1 file"));
}

#[test]
fn deep_nesting() {
    // Fails fast (no stack overflow), at the right place, with the long line cut
    // around the column.
    insta::assert_snapshot!("deep-nesting", fails("deep-nesting", "1 error in 1 file"));
}

// ---------------------------------------------------------------------------------
// Reports

#[test]
fn every_problem_of_every_file_in_one_run() {
    let stderr = fails("several-problems", "4 errors in 3 files");
    // Sorted by file, then line.
    let locations: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(
        locations,
        [
            "events/2025/2025-05-23-djoura-camp-attack.yaml:2:7",
            "events/2025/2025-05-23-djoura-camp-attack.yaml:7:9",
            "events/actors/fama.yaml:6:7",
            "events/locations/djoura.yaml:3:9",
        ]
    );
    insta::assert_snapshot!("several-problems", stderr);
}

#[test]
fn warnings_do_not_fail_the_run() {
    let run = check_with("warnings", &[], |_| {});
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "ok: 2 events, 2 actors, 3 locations (1 warning)\n"
    );
    insta::assert_snapshot!("warnings", run.stderr);
}

#[test]
fn deny_warnings_makes_them_fail_the_run() {
    let run = check_with("warnings", &["--deny-warnings"], |_| {});
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout, "1 error in 1 file\n");
    insta::assert_snapshot!("warnings-denied", run.stderr);
}

#[test]
fn relation_dates_of_the_wrong_shape() {
    // A lasting relation takes `since`/`until`, a one-off one `date`: each wrong key
    // is refused at its line with the key to write.
    insta::assert_snapshot!(
        "relation-date-shapes",
        fails("relation-date-shapes", "2 errors in 1 file")
    );
}

#[test]
fn succeeded_by_with_since_is_a_warning_read_as_its_date() {
    let run = check_with("succeeded-by-since", &[], |_| {});
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stdout,
        "ok: 2 events, 2 actors, 3 locations (1 warning)\n"
    );
    insta::assert_snapshot!("succeeded-by-since", run.stderr);
}

// ---------------------------------------------------------------------------------
// Editorial rules

#[test]
fn claimed_event_without_claims() {
    insta::assert_snapshot!(
        "claimed-without-claims",
        fails("claimed-without-claims", "1 error in 1 file")
    );
}

#[test]
fn figure_attributed_to_a_source_that_does_not_exist() {
    insta::assert_snapshot!(
        "source-number-out-of-range",
        fails("source-number-out-of-range", "1 error in 1 file")
    );
}

/// The new `source:` of a figure is checked like `according_to: {source: N}`, and the
/// two forms at once are refused.
#[test]
fn figure_with_its_source_twice_or_out_of_range() {
    insta::assert_snapshot!(
        "figure-source-twice",
        fails("figure-source-twice", "2 errors in 1 file")
    );
}

// ---------------------------------------------------------------------------------
// Settings and usage

#[test]
fn bad_settings_file() {
    insta::assert_snapshot!("bad-config", fails("bad-config", "2 errors in 1 file"));
}

#[test]
fn unknown_option_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = annalist(&["check", "--bogus"], dir.path());
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("usage-error", run.stderr);
}

#[test]
fn a_root_that_is_not_a_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = common::annalist(&["check", "no-such-folder"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`no-such-folder` is not a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn timings_name_each_phase_after_the_report() {
    let run = check_with("_base", &["--timings"], |_| {});
    assert_eq!(run.code, 0, "{run:#?}");
    let phases: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(phases, ["load", "check", "report", "total"], "{run:#?}");
    for line in run.stderr.lines() {
        assert!(line.trim_end().ends_with(" ms"), "not a timing: {line:?}");
    }
    // Timings go to stderr: stdout stays the summary a script reads.
    assert!(run.stdout.starts_with("ok: "), "{run:#?}");
}

#[test]
fn a_related_former_id_still_links_to_the_renamed_event() {
    // The related-gone case without its two broken entries: only the former id is left.
    let dir = chronology("check", "related-gone");
    let path = dir
        .path()
        .join("events/2017/2017-01-18-gao-moc-camp-bombing.yaml");
    let text = std::fs::read_to_string(&path).expect("event");
    let cut = text.find("  # BROKEN ON PURPOSE").expect("broken entries");
    let rest = &text[text.find("sources:").expect("sources")..];
    std::fs::write(&path, format!("{}{rest}", &text[..cut])).expect("write event");
    let out = dir.path().join("site");
    let root = dir.path().to_str().expect("UTF-8");
    let build = annalist(
        &["build", root, "--output", out.to_str().expect("UTF-8")],
        dir.path(),
    );
    assert_eq!(build.code, 0, "a former id is a warning only\n{build:#?}");
    assert!(build.stderr.contains("is a former id of"), "{build:#?}");
    // The "related" section of an event's page (prev/next links name neighbours too).
    let page = |id: &str| {
        let html =
            std::fs::read_to_string(out.join("events").join(id).join("index.html")).expect("page");
        let start = html.find(r#"<h2 id="related">"#).unwrap_or(html.len());
        let end = html[start..]
            .find("</section>")
            .map_or(html.len(), |e| start + e);
        html[start..end].to_string()
    };
    // Both ways: the bombing links to the Radisson attack, which lists it in return.
    assert!(
        page("2017-01-18-gao-moc-camp-bombing").contains("2015-11-20-radisson-blu-attack/"),
        "the former id's link is dropped"
    );
    assert!(
        page("2015-11-20-radisson-blu-attack").contains("2017-01-18-gao-moc-camp-bombing/"),
        "the renamed event does not list the event that links to its former id"
    );
}
