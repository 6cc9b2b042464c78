//! Inputs kept from fuzzing (`fuzz/`, see tests/README.md), replayed under
//! `cargo test`: every file of `tests/fixtures/fuzz/<target>/` goes through the same
//! checks as the fuzz target of that name (`fuzz/src/lib.rs`, included here), so a
//! crash found once stays fixed and the properties the fuzzer checks (inert, balanced
//! HTML; dates that round-trip; diagnostics inside the file) hold on the most
//! interesting inputs of the corpus.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of `tests/fixtures/fuzz/<target>/`, naming the ones that
/// fail; at least one file must be there.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("read input");
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "failing inputs:\n{}", failed.join("\n"));
}

#[test]
fn event_loader_inputs() {
    replay("event", checks::loader);
}

#[test]
fn date_inputs() {
    replay("date", checks::date);
}

#[test]
fn markdown_inputs() {
    replay("markdown", checks::markdown);
}

/// Found by the `event` target: a YAML syntax error at the very end of a file that
/// does not end with a line break is reported one line past the last line (libyaml
/// puts the end of the stream there), so `check` prints `file:3:1` for a file of two
/// lines, and shows no source line under it.
#[test]
fn a_syntax_error_at_the_end_of_a_file_points_inside_it() {
    checks::loader_strict(b"name: x\nkind");
    let found = include_bytes!("fixtures/fuzz/event/crash-e5e04550-eof-error-past-last-line.yaml");
    checks::loader_strict(found);
}

/// Found by the `markdown` target: an autolink inside the text of a link gives a link
/// inside a link, in `to_html` and `inline_html` alike (`<a href="/d"><a
/// href="https://b">https://b</a></a>`); and `inline_html`, which drops images but keeps
/// their alt text's events, does the same with a link in the alt text of an image inside
/// a link. HTML forbids an `a` inside an `a` (the Nu HTML Checker rejects the page;
/// browsers close the outer link early). Targets stay safe: both links are filtered.
#[test]
fn no_link_is_rendered_inside_a_link() {
    checks::markdown_strict(b"[<https://b>](/d)");
    checks::markdown_strict(b"[![a <https://c>](/i.png)](/d)");
    checks::markdown_strict(include_bytes!(
        "fixtures/fuzz/markdown/crash-55a4169d-nested-link.md"
    ));
}
