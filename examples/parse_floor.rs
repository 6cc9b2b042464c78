//! How fast can `check` be with serde_yaml? Reads every file of a chronology into
//! memory, then times, on every core and on one thread:
//!   - serde_yaml alone: each file parsed into a `serde_yaml::Value` (no annalist code);
//!   - annalist's typed parse (`load::parse_event` and friends, with every id known);
//!   - `annalist::check` as the command runs it (reading files included).
//!
//!   cargo run --release --example parse_floor -- DIR
//!
//! The first figure is a floor for `check` as long as files are parsed by serde_yaml:
//! no change in annalist's own code can bring the load below it.

use annalist::span::Known;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
enum Kind {
    Event,
    Actor,
    Location,
}

struct File {
    kind: Kind,
    id: String,
    text: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).ok_or("usage: parse_floor DIR")?);
    let files = read_all(&root.join("events"))?;
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut known = Known::default();
    for f in &files {
        match f.kind {
            Kind::Event => known.events.insert(f.id.clone()),
            Kind::Actor => known.actors.insert(f.id.clone()),
            Kind::Location => known.locations.insert(f.id.clone()),
        };
    }
    let known = Arc::new(known);
    println!(
        "{} files, {:.1} MB of YAML, {} threads",
        files.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    let value = |f: &File| serde_yaml::from_str::<serde_yaml::Value>(&f.text).is_ok();
    let typed = |f: &File| {
        let path = Path::new("x.yaml");
        match f.kind {
            Kind::Event => annalist::load::parse_event(&f.text, path, &f.id, &known).is_ok(),
            Kind::Actor => annalist::load::parse_actor(&f.text, path, &f.id, &known).is_ok(),
            Kind::Location => annalist::load::parse_location(&f.text, path, &f.id, &known).is_ok(),
        }
    };
    report("serde_yaml::Value, all threads", || {
        files.par_iter().filter(|f| value(f)).count()
    });
    report("serde_yaml::Value, one thread", || {
        files.iter().filter(|f| value(f)).count()
    });
    report("annalist typed parse, all threads", || {
        files.par_iter().filter(|f| typed(f)).count()
    });
    report("annalist typed parse, one thread", || {
        files.iter().filter(|f| typed(f)).count()
    });
    let start = Instant::now();
    let checked = annalist::check(&annalist::CheckOptions {
        root,
        deny_warnings: false,
    });
    println!(
        "{:>36}: {} ({})",
        "annalist::check, all threads",
        seconds(start.elapsed()),
        checked.summary()
    );
    Ok(())
}

fn report(what: &str, run: impl FnOnce() -> usize) {
    let start = Instant::now();
    let ok = run();
    println!("{what:>36}: {} ({ok} parsed)", seconds(start.elapsed()));
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Every `.yaml` file under `events/`: actors, locations and the year folders.
fn read_all(events: &Path) -> std::io::Result<Vec<File>> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(events)? {
        let dir = dir?.path();
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let kind = match name {
            "actors" => Kind::Actor,
            "locations" => Kind::Location,
            n if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) => Kind::Event,
            _ => continue,
        };
        for file in std::fs::read_dir(&dir)? {
            let path = file?.path();
            let Some(id) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml"))
            else {
                continue;
            };
            out.push(File {
                kind,
                id: id.to_string(),
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    Ok(out)
}
