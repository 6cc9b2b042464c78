//! Helpers shared by the integration tests: build a chronology from fixture files in
//! a temporary folder, and run the real `annalist` binary on it.
#![allow(dead_code)] // each suite uses its own subset

use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// `tests/fixtures/<suite>/<case>`.
pub fn fixture_dir(suite: &str, case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(suite)
        .join(case)
}

/// A temporary chronology: `tests/fixtures/<suite>/_base` (when the suite has one),
/// then the files of `<case>` copied over it, adding or replacing files. Tests never
/// write in the repository.
pub fn chronology(suite: &str, case: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    chronology_in(suite, case, dir.path());
    dir
}

/// Like [`chronology`], into the folder `to`.
pub fn chronology_in(suite: &str, case: &str, to: &Path) {
    let case_dir = fixture_dir(suite, case);
    assert!(case_dir.is_dir(), "no fixture {}", case_dir.display());
    let base = fixture_dir(suite, "_base");
    if base.is_dir() {
        copy_tree(&base, to);
    }
    copy_tree(&case_dir, to);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("read fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// What a run of the binary printed, with `root` replaced by `[ROOT]` so that
/// snapshots do not depend on where the temporary folder was made.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Builds the chronology at `root` into `out`; the build must succeed.
pub fn build_site(root: &Path, out: &Path) -> Run {
    let run = annalist(
        &[
            "build",
            root.to_str().expect("UTF-8 path"),
            "--output",
            out.to_str().expect("UTF-8 path"),
        ],
        root,
    );
    assert_eq!(run.code, 0, "{run:#?}");
    run
}

/// Runs `annalist <args>` in the folder `root`, without colours; every occurrence of
/// `root` in the output is shown as `[ROOT]`.
pub fn annalist(args: &[&str], root: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run annalist");
    let redact = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes).replace(root.to_string_lossy().as_ref(), "[ROOT]")
    };
    Run {
        code: out.status.code().expect("annalist exited with a signal"),
        stdout: redact(&out.stdout),
        stderr: redact(&out.stderr),
    }
}
