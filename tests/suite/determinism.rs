//! The site depends on the chronology only: not on the locale, the time zone, the
//! number of threads or the order in which the files were written. The sample
//! chronology (the repository, read only, with its git history) is built under each
//! setting into its own temporary folder, and the whole trees are compared byte for
//! byte with a reference build (`LANG=C`, `TZ=UTC`).
//!
//! The French and Turkish locales are compiled by the test with `localedef` into a
//! temporary folder (`LOCPATH`), so that they take effect even where they are not
//! installed: the Turkish one is the classic trap (`I` lowercases to a dotless `ı`).
//! Without `localedef` the variables are still set but name a locale the C library
//! does not have; the test says so and goes on.

use crate::site_checks as sc;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// The sample chronology: the repository root. Only ever read.
fn sample_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The environment of a build: nothing inherited that could matter (`LANG`, `LC_*`,
/// `LANGUAGE`, `TZ`, `RAYON_NUM_THREADS`, `LOCPATH`), then the reference settings,
/// then `vars`.
fn build_with(root: &Path, out: &Path, vars: &[(&str, &str)]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.arg("build")
        .arg(root)
        .arg("--output")
        .arg(out)
        .current_dir(root)
        .env("NO_COLOR", "1");
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("LC_")
            || matches!(
                k.as_ref(),
                "LANG" | "LANGUAGE" | "TZ" | "RAYON_NUM_THREADS" | "LOCPATH"
            )
        {
            cmd.env_remove(&key);
        }
    }
    cmd.env("LANG", "C").env("TZ", "UTC");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let run = cmd.output().expect("run annalist");
    assert!(
        run.status.success(),
        "build with {vars:?} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `fr_FR.UTF-8` and `tr_TR.UTF-8`, compiled into a temporary folder to use as
/// `LOCPATH`; `None` (with a note) when `localedef` cannot make them.
fn compiled_locales() -> Option<TempDir> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (input, name) in [("fr_FR", "fr_FR.UTF-8"), ("tr_TR", "tr_TR.UTF-8")] {
        let made = Command::new("localedef")
            .args(["-i", input, "-f", "UTF-8"])
            .arg(dir.path().join(name))
            .output();
        if !made.is_ok_and(|o| o.status.success()) {
            eprintln!("note: localedef could not compile {name}; its variables are set anyway");
            return None;
        }
    }
    Some(dir)
}

#[test]
fn the_site_is_the_same_in_every_locale_time_zone_and_thread_count() {
    let root = sample_root();
    let tmp = tempfile::tempdir().expect("temp dir");
    let reference = tmp.path().join("reference");
    build_with(root, &reference, &[("LC_ALL", "C")]);
    assert!(sc::files(&reference).len() > 50, "a small site");

    let locales = compiled_locales();
    let locpath = locales
        .as_ref()
        .map(|d| d.path().to_str().expect("UTF-8 temp path").to_string());
    let with_locale = |name: &'static str| -> Vec<(&'static str, String)> {
        let mut v = vec![("LC_ALL", name.to_string()), ("LANG", name.to_string())];
        if let Some(p) = &locpath {
            v.push(("LOCPATH", p.clone()));
        }
        v
    };
    let owned = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    let variants: Vec<(&str, Vec<(&'static str, String)>)> = vec![
        ("LANG=C", owned(&[("LANG", "C")])),
        ("LC_ALL=fr_FR.UTF-8", with_locale("fr_FR.UTF-8")),
        ("LC_ALL=tr_TR.UTF-8", with_locale("tr_TR.UTF-8")),
        (
            "TZ=Pacific/Kiritimati",
            owned(&[("TZ", "Pacific/Kiritimati")]),
        ),
        ("TZ=UTC", owned(&[("TZ", "UTC")])),
        ("RAYON_NUM_THREADS=1", owned(&[("RAYON_NUM_THREADS", "1")])),
        ("RAYON_NUM_THREADS=2", owned(&[("RAYON_NUM_THREADS", "2")])),
        ("RAYON_NUM_THREADS=4", owned(&[("RAYON_NUM_THREADS", "4")])),
    ];
    for (i, (what, vars)) in variants.iter().enumerate() {
        let out = tmp.path().join(format!("variant-{i}"));
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        build_with(root, &out, &vars);
        sc::assert_same_tree(&reference, &out, &format!("reference vs {what}"));
    }
}

/// Copies the chronology's files (`annalist.yaml`, `events/`, `templates/`) into `to`
/// in the order given by a seeded shuffle: folders are created as their first file
/// comes, so both the files and the folders are listed in that order by the file
/// system.
fn copy_shuffled(root: &Path, to: &Path, seed: u64) {
    let mut paths = sc::chronology_files(root);
    // Fisher–Yates with splitmix64: the same seed, the same order, on every machine.
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..paths.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        paths.swap(i, j);
    }
    for path in paths {
        let target = to.join(path.strip_prefix(root).expect("inside root"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("create folder");
        std::fs::copy(&path, &target).expect("copy file");
    }
}

#[test]
fn copies_written_in_shuffled_orders_build_the_same_site() {
    // Copies have no git history, so they are compared with each other (a copy in name
    // order), not with the repository, whose event pages show their history.
    let tmp = tempfile::tempdir().expect("temp dir");
    let sorted_root = tmp.path().join("sorted");
    sc::copy_chronology(sample_root(), &sorted_root, false);
    let sorted = tmp.path().join("sorted-site");
    build_with(&sorted_root, &sorted, &[]);
    let locales = compiled_locales();
    let locpath = locales
        .as_ref()
        .map_or(String::new(), |d| d.path().to_string_lossy().into_owned());
    for seed in [1, 2, 3] {
        let root = tmp.path().join(format!("shuffled-{seed}"));
        copy_shuffled(sample_root(), &root, seed);
        let out = tmp.path().join(format!("shuffled-{seed}-site"));
        // Shuffled files, and every other setting changed at once.
        build_with(
            &root,
            &out,
            &[
                ("RAYON_NUM_THREADS", ["1", "3", "4"][seed as usize - 1]),
                ("TZ", "Pacific/Kiritimati"),
                ("LC_ALL", "tr_TR.UTF-8"),
                ("LOCPATH", &locpath),
            ],
        );
        sc::assert_same_tree(&sorted, &out, &format!("name order vs shuffle {seed}"));
    }
}
