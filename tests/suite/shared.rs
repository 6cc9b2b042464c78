//! Sites and folders that the tests of one run share: made once, by the first test
//! that asks, in a folder of this run under cargo's `target/tmp/`, and only read after.
//! The sample's site, for one, is built once per run instead of once per test.

use crate::common::annalist;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder of this run of the test binary for what its tests share, under cargo's
/// `target/tmp/suite-runs/<pid>/`. Made empty on first use; the folders of earlier
/// runs whose process has ended are removed then (a `TempDir` in a `static` is never
/// dropped, so it would stay in `/tmp` for ever).
pub fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let runs = Path::new(env!("CARGO_TARGET_TMPDIR")).join("suite-runs");
        std::fs::create_dir_all(&runs).expect("create target/tmp/suite-runs");
        let pid = std::process::id().to_string();
        // Where /proc is missing, earlier runs cannot be told from live ones: keep them.
        if Path::new("/proc/self").exists() {
            for entry in std::fs::read_dir(&runs).expect("read target/tmp/suite-runs") {
                let entry = entry.expect("read entry");
                let name = entry.file_name();
                if name != *pid && !Path::new("/proc").join(&name).exists() {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = runs.join(pid);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the run's folder");
        dir
    })
}

/// What `make` returns, made once per run of the test binary: the first test that asks
/// runs `make` with a new empty folder `name` of [`run_dir`], the others wait for it
/// and share the result. For sites that tests only read, such as the sample's: built
/// once instead of once per test.
pub fn shared(
    cell: &'static OnceLock<PathBuf>,
    name: &str,
    make: impl FnOnce(&Path) -> PathBuf,
) -> &'static Path {
    cell.get_or_init(|| {
        let dir = run_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir); // left by a `make` that panicked
        std::fs::create_dir_all(&dir).expect("create a shared folder");
        make(&dir)
    })
}

/// The site of the fixture `tests/fixtures/<suite>/<case>/` (over its suite's `_base`),
/// copied into `<shared>/chronology` and built once per run into `<shared>/site`, which
/// this returns; tests only read it.
pub fn fixture_site(cell: &'static OnceLock<PathBuf>, suite: &str, case: &str) -> &'static Path {
    shared(cell, &format!("{suite}-{case}"), |dir| {
        let root = dir.join("chronology");
        crate::common::chronology_in(suite, case, &root);
        let out = dir.join("site");
        let utf8 = |p: &Path| p.to_str().expect("UTF-8 path").to_string();
        let run = annalist(&["build", &utf8(&root), "--output", &utf8(&out)], &root);
        assert_eq!(run.code, 0, "build of {suite}/{case} failed:\n{run:#?}");
        out
    })
}

/// The sample chronology (the repository's `annalist.yaml`, `events/`, `templates/`),
/// copied without its git history (so that its pages do not change with each commit)
/// and built once per run into `<copy>/site`, which this returns; tests only read it.
pub fn sample_copy_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    shared(&SITE, "sample-copy", |dir| {
        crate::site_checks::copy_chronology(Path::new(env!("CARGO_MANIFEST_DIR")), dir, false);
        let out = dir.join("site");
        let utf8 = |p: &Path| p.to_str().expect("UTF-8 path").to_string();
        let run = annalist(&["build", &utf8(dir), "--output", &utf8(&out)], dir);
        assert_eq!(run.code, 0, "build of the sample copy failed:\n{run:#?}");
        out
    })
}
