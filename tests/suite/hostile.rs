//! Hostile inputs: what editors paste from messaging apps and what attackers craft.
//! Each either works as an editor would expect or fails with a clear, positioned
//! message; none panics, hangs or exhausts memory. Files are made by the tests (some
//! are binary or huge), in a temporary copy of the `check` suite's base chronology.

use crate::common;

use std::path::Path;
use std::process::Command;

const EVENT: &str = "events/2025/2025-05-23-djoura-camp-attack.yaml";

/// A temporary copy of the base chronology, changed by `edit`, then checked.
fn check_after(edit: impl FnOnce(&Path)) -> common::Run {
    let dir = common::chronology("check", "_base");
    edit(dir.path());
    let run = common::annalist(&["check", "."], dir.path());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn replace_in(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read fixture");
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write fixture");
}

fn fails(run: &common::Run) -> &str {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    &run.stderr
}

fn passes(run: &common::Run) {
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.starts_with("ok: 2 events"), "{}", run.stdout);
}

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let run = check_after(|root| {
        let f =
            std::fs::File::create(root.join("events/2025/2025-05-24-huge.yaml")).expect("create");
        f.set_len(100 * 1024 * 1024).expect("grow");
    });
    insta::assert_snapshot!("huge-file", fails(&run));
}

#[test]
fn binary_data_is_refused() {
    let run = check_after(|root| {
        std::fs::write(
            root.join("events/actors/blob.yaml"),
            b"name: x\nkind: media\n\0\0\0\x01\x02",
        )
        .expect("write");
    });
    insta::assert_snapshot!("binary-data", fails(&run));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    passes(&check_after(|root| {
        let path = root.join(EVENT);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(&path).expect("read"));
        std::fs::write(&path, bytes).expect("write");
    }));
}

#[test]
fn crlf_line_endings_are_accepted_and_shown_cleanly() {
    passes(&check_after(|root| {
        let path = root.join(EVENT);
        let text = std::fs::read_to_string(&path)
            .expect("read")
            .replace('\n', "\r\n");
        std::fs::write(&path, text).expect("write");
    }));
    let run = check_after(|root| {
        let path = root.join(EVENT);
        let text = std::fs::read_to_string(&path)
            .expect("read")
            .replace('\n', "\r\n")
            .replace("id: jnim", "id: jnimm");
        std::fs::write(&path, text).expect("write");
    });
    let stderr = fails(&run);
    assert!(!stderr.contains('\r'), "{stderr:?}");
    insta::assert_snapshot!("crlf-unknown-actor", stderr);
}

#[test]
fn tabs_for_indentation_get_a_hint() {
    let run = check_after(|root| {
        replace_in(
            root,
            EVENT,
            "  - id: jnim\n    role: perpetrator",
            "  - id: jnim\n\trole: perpetrator",
        )
    });
    insta::assert_snapshot!("tab-indentation", fails(&run));
}

#[test]
fn yaml_tags_are_refused() {
    let run =
        check_after(|root| replace_in(root, EVENT, "type: attack", "type: !!binary YXR0YWNr"));
    insta::assert_snapshot!("yaml-tag", fails(&run));
    let run = check_after(|root| replace_in(root, EVENT, "type: attack", "type: !custom attack"));
    insta::assert_snapshot!("yaml-local-tag", fails(&run));
}

#[test]
fn yes_no_and_on_stay_words() {
    // YAML 1.1 would read these as booleans (the "Norway problem"); annalist reads
    // YAML 1.2, where they are words, as an editor means them.
    passes(&check_after(|root| {
        replace_in(
            root,
            EVENT,
            "title: Le JNIM revendique la prise du camp de Djoura",
            "title: no",
        );
        replace_in(root, EVENT, "publisher: Article de presse", "publisher: on");
    }));
    // `true` is a boolean in every YAML: a clear message says to quote it.
    let run = check_after(|root| {
        replace_in(
            root,
            EVENT,
            "title: Le JNIM revendique la prise du camp de Djoura",
            "title: true",
        )
    });
    insta::assert_snapshot!("boolean-title", fails(&run));
}

#[test]
fn ids_differing_only_by_accent_or_lookalike_letters_are_caught() {
    let run = check_after(|root| {
        let text = std::fs::read(root.join("events/locations/djoura.yaml")).expect("read");
        std::fs::write(root.join("events/locations/djöura.yaml"), &text).expect("write");
        // A Cyrillic "о" that looks like the Latin "o".
        std::fs::write(root.join("events/locations/djоura.yaml"), &text).expect("write");
    });
    insta::assert_snapshot!("lookalike-ids", fails(&run));
}

#[test]
fn a_file_name_with_spaces_proposes_an_id() {
    let run = check_after(|root| {
        std::fs::write(
            root.join("events/actors/armée malienne.yaml"),
            "name: x\nkind: state-force\n",
        )
        .expect("write");
    });
    insta::assert_snapshot!("file-name-with-spaces", fails(&run));
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_tree_is_not_followed() {
    let outside = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(outside.path(), "name: secret\nkind: person\n").expect("write");
    let run = check_after(|root| {
        std::os::unix::fs::symlink(outside.path(), root.join("events/actors/evil.yaml"))
            .expect("symlink");
    });
    let stderr = fails(&run);
    assert!(!stderr.contains("secret"), "{stderr}");
    insta::assert_snapshot!("symlink-outside", stderr);
}

/// `templates/style.css -> /proc/self/environ` would publish the build's environment
/// (CI secrets) as the site's style sheet: the build refuses the link and writes nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_linked_style_sheet_is_refused_and_nothing_is_published() {
    let dir = common::chronology("check", "_base");
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::os::unix::fs::symlink("/proc/self/environ", templates.join("style.css")).expect("link");
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["build", "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("CI_SECRET", "hunter2-in-the-environment")
        .output()
        .expect("run annalist");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Like any template that cannot be used: the build could not run.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`templates/style.css`"), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(
        stderr.contains("replace the link with the file itself"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!dir.path().join("site").exists(), "a site was published");
}

/// A linked `annalist.yaml` is refused unread: a parse error used to print a line of
/// whatever it pointed at.
#[cfg(unix)]
#[test]
fn a_linked_settings_file_is_refused_unread() {
    let outside = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(outside.path(), "root:$6$hunter2:19000:0:99999:7:::\n").expect("write");
    let run = check_after(|root| {
        std::os::unix::fs::symlink(outside.path(), root.join("annalist.yaml")).expect("link");
    });
    let stderr = fails(&run);
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(stderr.contains("annalist.yaml"), "{stderr}");
    assert!(
        stderr.contains("replace the link with the file itself"),
        "{stderr}"
    );
}

/// Two figures of 18446744073709551615 once summed to 18446744073709551614 in the
/// export (or panicked in a debug build): now `check` refuses them, at the list.
#[test]
fn deaths_that_cannot_be_counted_are_an_error() {
    let run = check_after(|root| {
        replace_in(
            root,
            EVENT,
            "  - who: fama\n    what: losses\n    figure: unspecified\n",
            // Both from source 1 (the line after the edit): one report, whose parts add up.
            "  - who: fama\n    what: killed\n    figure: 18446744073709551615\n    according_to: {source: 1}\n  - who: civilians\n    what: killed\n    figure: 18 446 744 073 709 551 615\n",
        );
    });
    let stderr = fails(&run);
    assert!(
        stderr.contains("the deaths of this event add up to more than 18,446,744,073,709,551,615"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{EVENT}:14:1")), "{stderr}");
    assert!(stderr.contains("likely a typo"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let run = check_after(|root| {
        let path = root.join("events/actors/jnim.yaml");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&path).is_ok() {
            // Running as root, which reads anything: make it a folder instead, which
            // cannot be read as a file either.
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            std::fs::remove_file(&path).expect("remove");
            std::fs::create_dir(root.join("events/actors/jnim.yaml")).expect("mkdir");
        }
    });
    let stderr = fails(&run);
    assert!(stderr.contains("events/actors/jnim.yaml"), "{stderr}");
    assert!(
        stderr.contains("cannot read") || stderr.contains("unexpected folder"),
        "{stderr}"
    );
}
