//! Inputs kept from fuzzing (`fuzz/`, see tests/README.md), replayed under
//! `cargo test`: every file of `tests/fixtures/fuzz/<target>/` goes through the same
//! checks as the fuzz target of that name (`fuzz/src/lib.rs`, included here), so a
//! crash found once stays fixed and the properties the fuzzer checks (inert, balanced
//! HTML; dates that round-trip; diagnostics inside the file) hold on the most
//! interesting inputs of the corpus.

#[path = "../../fuzz/src/lib.rs"]
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

/// Found by the `event` target (fixed in `src/load.rs`): a YAML syntax error at the
/// very end of a file that does not end with a line break was reported one line past
/// the last line (libyaml puts the end of the stream there), so `check` printed
/// `file:3:1` for a file of two lines, with no source line under it.
#[test]
fn a_syntax_error_at_the_end_of_a_file_points_inside_it() {
    checks::loader(b"name: x\nkind");
    let found =
        include_bytes!("../fixtures/fuzz/event/crash-e5e04550-eof-error-past-last-line.yaml");
    checks::loader(found);
}

/// Found by the `markdown` target (fixed in `src/render/markdown.rs`): an autolink
/// inside the text of a link gave a link inside a link, in `to_html` and `inline_html`
/// alike (`<a href="/d"><a href="https://b">https://b</a></a>`); and `inline_html`,
/// which drops images but keeps their alt text's events, did the same with a link in
/// the alt text of an image inside a link. HTML forbids an `a` inside an `a` (the Nu
/// HTML Checker rejects the page; browsers close the outer link early).
#[test]
fn no_link_is_rendered_inside_a_link() {
    checks::markdown(b"[<https://b>](/d)");
    checks::markdown(b"[![a <https://c>](/i.png)](/d)");
    checks::markdown(include_bytes!(
        "../fixtures/fuzz/markdown/crash-55a4169d-nested-link.md"
    ));
}

/// Found while bounding the `event` target's line numbers: libyaml counts U+2028 (LINE
/// SEPARATOR) and U+0085 (NEL) as line breaks, editors and `check`'s own source
/// excerpt (`str::lines`) do not. Both come with text pasted from word processors and
/// messaging apps; after one, every diagnostic of the file points one line too far
/// (`unknown actor` on line 8, under `role: perpetrator`, instead of line 7).
#[test]
#[ignore = "bug: a U+2028 or U+0085 in a value shifts the line of every later diagnostic (src/span.rs, src/load.rs)"]
fn a_pasted_line_separator_does_not_shift_later_positions() {
    use annalist::span::Known;
    use std::sync::Arc;
    let mut known = Known::default();
    known.actors.insert("jnim".into());
    known.locations.insert("djoura".into());
    let known = Arc::new(known);
    for separator in ['\u{2028}', '\u{85}'] {
        let text = format!(
            "title: Le JNIM{separator} revendique\ndate: 2025-05-23\ntype: attack\n\
             status: claimed\nlocations: [djoura]\nactors:\n  - id: jnimm\n    role: perpetrator\n"
        );
        let ds = annalist::load::parse_event(&text, Path::new("e.yaml"), "2025-05-23-x", &known)
            .expect_err("an unknown actor");
        assert_eq!(ds[0].message, "unknown actor `jnimm`");
        assert_eq!(
            (ds[0].line, ds[0].column),
            (Some(7), Some(9)),
            "{separator:?}: {:?}",
            ds[0]
        );
    }
}
