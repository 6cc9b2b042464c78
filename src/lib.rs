//! annalist turns a folder of event files (YAML, one per event, kept in git) into a
//! static chronology website. Data flows one way: load → validate → index → render →
//! write; `check` stops after validate.

pub mod config;
pub mod date;
pub mod deaths;
pub mod diag;
pub mod error;
pub mod fold;
pub mod geo;
pub mod history;
pub mod import;
pub mod index;
pub mod lang;
pub mod layout;
pub mod load;
pub mod model;
pub mod names;
pub mod new_file;
pub mod period;
pub mod render;
pub mod serve;
pub mod span;
pub mod translations;
pub mod validate;
pub mod workflow;
pub mod write;
pub mod yaml_out;

use crate::error::Error;
use diag::Report;
use std::path::{Path, PathBuf};

/// What `annalist check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub deny_warnings: bool,
}

/// A chronology that has been loaded and validated, with every problem found.
#[derive(Debug)]
pub struct Checked {
    pub config: config::Config,
    pub loaded: load::Loaded,
    pub report: Report,
    /// Time spent in each phase so far, for `--timings`.
    pub timings: Timings,
    /// What the build could not know (no git history), one line each, for a warning.
    pub notes: Vec<String>,
    /// How complete each language is, for a site with several.
    pub translations: Option<translations::Completeness>,
}

/// Wall time of each phase of a run, in order.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

impl Timings {
    /// Runs `f`, recording its wall time under `phase`.
    pub fn time<T>(&mut self, phase: &'static str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        self.0.push((phase, start.elapsed()));
        out
    }

    /// One line per phase and a total, aligned, in milliseconds.
    pub fn render(&self) -> String {
        let total: std::time::Duration = self.0.iter().map(|(_, d)| *d).sum();
        let mut out = String::new();
        for (phase, d) in self.0.iter().chain(std::iter::once(&("total", total))) {
            out.push_str(&format!(
                "{phase:>8}  {:>9.1} ms\n",
                d.as_secs_f64() * 1000.0
            ));
        }
        out
    }
}

impl Checked {
    /// The line that closes a check: `ok: 4 events, 10 actors, 7 locations` or
    /// `3 errors in 2 files`.
    pub fn summary(&self) -> String {
        summary(&self.loaded, &self.report)
    }

    pub fn ok(&self) -> bool {
        self.report.errors() == 0
    }
}

/// What a long command reports as it goes, for a progress bar; every method may be
/// called from several threads. The library draws nothing itself: the command line
/// decides whether a terminal is there to draw on.
pub trait Progress: Sync {
    /// A new phase starts (`load`, `render`, ...), with the number of steps it will
    /// take when known in advance.
    fn phase(&self, _name: &'static str, _steps: Option<u64>) {}
    /// One more step of the current phase is done (a file read, a file written).
    fn step(&self) {}
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Loads and validates the chronology at `opts.root`: the first half of every command.
pub fn check(opts: &CheckOptions) -> Checked {
    check_with_progress(opts, &NoProgress)
}

/// `check`, reporting each file read to `progress`.
pub fn check_with_progress(opts: &CheckOptions, progress: &dyn Progress) -> Checked {
    let mut report = Report::default();
    let mut timings = Timings::default();
    let config = match config::load(&opts.root) {
        Ok(c) => c,
        Err(ds) => {
            report.extend(ds);
            config::Config::default()
        }
    };
    progress.phase("load", None);
    let mut loaded = timings.time("load", || {
        load::load_with_progress(
            &opts.root,
            &|n| progress.phase("load", Some(n as u64)),
            &|| progress.step(),
        )
    });
    report.extend(std::mem::take(&mut loaded.report.diagnostics));
    progress.phase("check", None);
    let translations = timings.time("check", || {
        check_loaded(&opts.root, &config, &loaded, &mut report)
    });
    if opts.deny_warnings {
        report.deny_warnings();
    }
    report.sort();
    Checked {
        config,
        loaded,
        report,
        timings,
        notes: Vec::new(),
        translations,
    }
}

/// Every check of a loaded chronology, in order: the rules of each entry and between
/// entries, the aliases against history, the translations. The one validation that
/// `check`, `build` and `serve` run, so that they report the same problems.
pub fn check_loaded(
    root: &Path,
    config: &config::Config,
    loaded: &load::Loaded,
    report: &mut Report,
) -> Option<translations::Completeness> {
    validate::validate(loaded, report);
    validate::remote_images(root, config, loaded, report);
    history::check_aliases(loaded, report);
    translations::check(root, loaded, config, report)
}

/// The line that closes a check: `ok: 4 events, 10 actors, 7 locations` or
/// `3 errors in 2 files`, with the number of warnings.
pub fn summary(loaded: &load::Loaded, report: &Report) -> String {
    let errors = report.errors();
    let warnings = report.warnings();
    let warn = if warnings > 0 {
        format!(" ({})", diag::plural(warnings, "warning", "warnings"))
    } else {
        String::new()
    };
    if errors == 0 {
        format!(
            "ok: {}, {}, {}{warn}",
            diag::plural(loaded.events.len(), "event", "events"),
            diag::plural(loaded.actors.len(), "actor", "actors"),
            diag::plural(loaded.locations.len(), "location", "locations"),
        )
    } else {
        let files = report.files_with(diag::Severity::Error);
        format!(
            "{} in {}{warn}",
            diag::plural(errors, "error", "errors"),
            diag::plural(files, "file", "files")
        )
    }
}

/// Renders every diagnostic of `report` with its source line, reading each file once.
pub fn render_report(root: &Path, report: &Report, color: bool) -> String {
    let mut texts: std::collections::BTreeMap<&Path, Option<String>> = Default::default();
    for d in &report.diagnostics {
        texts
            .entry(d.file.as_path())
            .or_insert_with(|| load::read_text(&root.join(&d.file), &d.file).ok());
    }
    // Lines are found through an index: thousands of diagnostics in one file would
    // otherwise each read it from the top.
    let indexes: std::collections::BTreeMap<&Path, Option<diag::LineIndex>> = texts
        .iter()
        .map(|(file, text)| (*file, text.as_deref().map(diag::LineIndex::new)))
        .collect();
    let mut out = String::new();
    for d in &report.diagnostics {
        let index = indexes.get(d.file.as_path()).and_then(Option::as_ref);
        let line = d.line.and_then(|l| index.and_then(|i| i.line(l)));
        out.push_str(&d.render_line(line, color));
        out.push('\n');
    }
    out
}

/// What `annalist build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; `ROOT/site` by default.
    pub output: Option<PathBuf>,
    pub deny_warnings: bool,
}

/// How a build ended.
pub enum BuildOutcome {
    /// The site was written: the check (with its warnings) and what was written.
    Built {
        checked: Box<Checked>,
        stats: write::WriteStats,
        output: PathBuf,
    },
    /// The chronology has errors: nothing was written.
    Refused { checked: Box<Checked> },
}

/// The hint given with every template failure.
const TEMPLATE_HELP: &str = "check the templates in the chronology's `templates/` folder";

/// Checks the chronology and, when it has no errors, renders it and publishes the
/// site atomically: load → validate → index → render → write.
pub fn build(opts: &BuildOptions) -> Result<BuildOutcome, Error> {
    build_with_progress(opts, &NoProgress)
}

/// `build`, reporting its phases, each file read and each file written to `progress`.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildOutcome, Error> {
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("site"));
    // Refuse a dangerous output before doing any work.
    write::check_output(&opts.root, &output)?;
    let checked = check_with_progress(
        &CheckOptions {
            root: opts.root.clone(),
            deny_warnings: opts.deny_warnings,
        },
        progress,
    );
    if !checked.ok() {
        return Ok(BuildOutcome::Refused {
            checked: Box::new(checked),
        });
    }
    let mut timings = checked.timings.clone();
    progress.phase("index", None);
    let index = timings.time("index", || index::Index::build(&checked.loaded));
    let templates = render::Templates::load(&opts.root).map_err(template_help)?;
    // Pages are written into the staging folder as they are rendered, in parallel; the
    // staging folder replaces the output only once everything succeeded.
    let history = timings.time("history", || history::collect(&opts.root, &checked.loaded));
    let staging = write::Staging::begin(&opts.root, &output)?;
    progress.phase("render", Some(expected_files(&index, &checked.config)));
    timings
        .time("render", || {
            render::render_with_history(
                &index,
                &checked.config,
                &templates,
                &history,
                &StagingSink(&staging, progress),
            )
        })
        .map_err(template_help)?;
    progress.phase("write", None);
    let stats = timings.time("write", || staging.commit())?;
    drop(index);
    let mut checked = checked;
    checked.timings = timings;
    checked.notes.extend(history.unavailable);
    Ok(BuildOutcome::Built {
        checked: Box::new(checked),
        stats,
        output,
    })
}

/// A render failure with the hint to look at the templates, unless it already says its
/// own fix (a refused file) or is not about templates at all (a write failure, such as a
/// full disk, which has an operating-system cause).
fn template_help(e: Error) -> Error {
    if e.help.is_some() || e.io_kind().is_some() {
        e
    } else {
        e.help(TEMPLATE_HELP)
    }
}

/// Streams rendered files into the staging folder.
struct StagingSink<'a>(&'a write::Staging, &'a dyn Progress);

impl render::Sink for StagingSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.0.write(path, &bytes)?;
        self.1.step();
        Ok(())
    }

    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), Error> {
        self.0.write_pieces(path, pieces)?;
        self.1.step();
        Ok(())
    }
}

/// About how many files a build writes, for the length of the progress bar: a page
/// per event, the pages of every list, a feed per actor and place, and a few more,
/// in each language.
/// Only an estimate (the bar grows if it is exceeded), so that the renderer need not
/// count its pages twice.
fn expected_files(index: &index::Index, config: &config::Config) -> u64 {
    let per_page = config.per_page.max(1);
    let pages = |n: usize| n.div_ceil(per_page).max(1) as u64;
    let events = index.events.len() as u64;
    let aliases: u64 = index
        .events
        .iter()
        .map(|e| e.data.aliases.len() as u64)
        .sum();
    let actors: u64 = index
        .actors
        .keys()
        .map(|a| 1 + pages(index.by_actor.get(a.as_str()).map_or(0, Vec::len)))
        .sum();
    let locations: u64 = index
        .locations
        .keys()
        .map(|l| 1 + pages(index.by_location.get(l.as_str()).map_or(0, Vec::len)))
        .sum();
    let terms: u64 = index.by_type.values().map(|v| pages(v.len())).sum::<u64>()
        + index.by_year.values().map(|v| pages(v.len())).sum::<u64>()
        + index.by_tag.values().map(|v| pages(v.len())).sum::<u64>();
    // One tree per language of the site.
    let languages = config.languages.len().max(1) as u64;
    (events + aliases + actors + locations + terms + pages(index.events.len()) + 16) * languages
}

/// Imports a dataset export (UCDP GED, ACLED, or annalist's own CSV) into the
/// chronology: one event file per row, actors and locations matched or created.
/// See [`import`] for what a re-import keeps.
pub fn import(opts: &import::ImportOptions) -> Result<import::ImportOutcome, Error> {
    import::run(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_template_failures_are_told_to_check_the_templates() {
        let broken = template_help(Error::new("template `event.html`: unexpected `}`"));
        assert_eq!(broken.help.as_deref(), Some(TEMPLATE_HELP));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let disk = template_help(Error::io("write", Path::new("site/a.html"), &full));
        assert!(
            disk.help
                .as_deref()
                .is_some_and(|h| h.contains("free some space"))
        );
        let refused = template_help(Error::new("a link").help("replace the link"));
        assert_eq!(refused.help.as_deref(), Some("replace the link"));
    }
}
