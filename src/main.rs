//! The `annalist` command line: turns arguments into options for the library, prints
//! what it reports, and sets the exit code (0 ok, 1 problems in the input, 2 usage or
//! I/O failure).

use annalist::diag::{escape_controls, escape_controls_keep_lines};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "annalist",
    version,
    about = "Turns a folder of event files into a static chronology website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every file of the chronology and report every problem at once.
    Check {
        /// The chronology folder (the one holding `events/`).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Print the time spent in each phase (load, check, report).
        #[arg(long)]
        timings: bool,
    },
    /// Check the chronology, then build the static site (into ROOT/site by default).
    Build {
        /// The chronology folder (the one holding `events/`).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Print the time spent in each phase (load, check, index, render, write).
        #[arg(long)]
        timings: bool,
    },
    /// Import a dataset export (UCDP GED, ACLED, or annalist's own data/events.csv):
    /// one event file per row; re-running it keeps the files edited by hand.
    Import {
        /// What the file is.
        #[arg(value_enum)]
        format: annalist::import::Format,
        /// The CSV file to import.
        file: PathBuf,
        /// The chronology folder (the one holding `events/`).
        #[arg(long, default_value = ".")]
        into: PathBuf,
        /// Show, for each event file edited by hand, a diff of what the dataset now says.
        #[arg(long)]
        update: bool,
        /// The dataset's version (UCDP GED `23.1`) when the file name does not give it.
        #[arg(long)]
        dataset_version: Option<String>,
    },
    /// Create a new chronology in DIR: folders, settings, an example, schemas, CI.
    Init(annalist::workflow::init::InitArgs),
    /// Create an event file from flags (or by asking, in a terminal); `new actor ID`,
    /// `new location ID` create an actor or a place. Never overwrites a file.
    New(Box<annalist::workflow::new::NewArgs>),
    /// Serve the site on 127.0.0.1, rebuilt and reloaded in the browser on every change.
    Serve(annalist::serve::ServeArgs),
    /// Print the JSON Schema of event, actor and location files, or write them.
    Schema {
        /// `event`, `actor` or `location`; all three in one document when left out.
        #[arg(value_parser = ["event", "actor", "location"])]
        kind: Option<String>,
        /// Write ROOT/schema/{event,actor,location}.schema.json instead of printing.
        #[arg(long, value_name = "ROOT", conflicts_with = "kind")]
        write: Option<PathBuf>,
    },
}

/// jemalloc: building a site allocates and frees many short strings and maps from
/// several threads, where glibc's malloc spends a fifth of the time (bench/README.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Check {
            root,
            deny_warnings,
            timings,
        } => {
            if let Some(code) = missing_root(&root, color) {
                return code;
            }
            let bar = Bar::new(std::io::stderr().is_terminal());
            let mut checked = annalist::check_with_progress(
                &annalist::CheckOptions {
                    root: root.clone(),
                    deny_warnings,
                },
                &bar,
            );
            bar.clear();
            let report = checked.timings.time("report", || {
                annalist::render_report(&root, &checked.report, color)
            });
            eprint!("{report}");
            println!("{}", checked.summary());
            if let Some(t) = &checked.translations {
                println!("{}", t.render());
            }
            if timings {
                eprint!("{}", checked.timings.render());
            }
            let ok = checked.ok();
            // The process ends here: freeing every parsed file one by one would only
            // delay the exit, by a noticeable moment at 100,000 events.
            std::mem::forget(checked);
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Build {
            root,
            output,
            deny_warnings,
            timings,
        } => {
            if let Some(code) = missing_root(&root, color) {
                return code;
            }
            let opts = annalist::BuildOptions {
                root: root.clone(),
                output,
                deny_warnings,
            };
            let bar = Bar::new(std::io::stderr().is_terminal());
            let outcome = annalist::build_with_progress(&opts, &bar);
            bar.clear();
            match outcome {
                Ok(annalist::BuildOutcome::Built {
                    checked,
                    stats,
                    output,
                }) => {
                    eprint!("{}", annalist::render_report(&root, &checked.report, color));
                    for note in &checked.notes {
                        eprintln!("warning: {}", escape_controls(note));
                    }
                    println!("{}", checked.summary());
                    if let Some(t) = &checked.translations {
                        println!("{}", t.render());
                    }
                    println!(
                        "built {} files ({} KiB) into {}",
                        stats.files,
                        stats.bytes / 1024,
                        output.display()
                    );
                    if checked.config.base_url.is_none() {
                        eprintln!(
                            "note: no `base_url` in annalist.yaml: feeds link relatively and no sitemap.xml was written"
                        );
                    }
                    if timings {
                        eprint!("{}", checked.timings.render());
                    }
                    ExitCode::SUCCESS
                }
                Ok(annalist::BuildOutcome::Refused { checked }) => {
                    eprint!("{}", annalist::render_report(&root, &checked.report, color));
                    println!("{}", checked.summary());
                    eprintln!(
                        "error: the site was not built; fix the errors above and build again"
                    );
                    ExitCode::from(1)
                }
                Err(e) => fail(&e.message, e.help.as_deref(), color),
            }
        }
        Command::Import {
            format,
            file,
            into,
            update,
            dataset_version,
        } => {
            let opts = annalist::import::ImportOptions {
                format,
                file,
                root: into,
                update,
                dataset_version,
            };
            match annalist::import(&opts) {
                Ok(outcome) => {
                    for p in &outcome.problems {
                        eprintln!("{}", escape_controls_keep_lines(&p.to_string()));
                    }
                    // The report quotes rows and diffs of event files: escaped too.
                    print!("{}", escape_controls_keep_lines(&outcome.report));
                    println!("{}", outcome.summary());
                    if outcome.counts.skipped > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => fail(&e.message, e.help.as_deref(), color),
            }
        }
        other => workflow(other, color),
    }
}

/// Runs `init`, `new`, `serve` and `schema`.
fn workflow(command: Command, color: bool) -> ExitCode {
    use annalist::workflow::{init, new, schema};
    let failed = |f: annalist::workflow::Failure| fail(&f.message, f.help.as_deref(), color);
    match command {
        Command::Init(args) => match init::run(&args) {
            Ok(files) => {
                for f in &files {
                    println!("created {}", args.dir.join(f).display());
                }
                println!(
                    "next: cd {0} && git init && git add . && git commit -m \"New chronology\"; \
                     then `annalist serve` to see the site while you edit",
                    args.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(f) => failed(f),
        },
        Command::New(args) => match new::run(&args) {
            Ok(created) => {
                let root = match &args.what {
                    None => &args.event.root,
                    Some(new::NewWhat::Actor(a)) => &a.root,
                    Some(new::NewWhat::Location(l)) => &l.root,
                };
                println!("created {}", root.join(&created.path).display());
                for n in &created.notes {
                    eprintln!("note: {}", escape_controls(n));
                }
                ExitCode::SUCCESS
            }
            Err(f) => failed(f),
        },
        Command::Serve(args) => match annalist::serve::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&message, None, color),
        },
        Command::Schema { kind, write } => {
            if let Some(root) = write {
                return match schema::write_files(&root) {
                    Ok(paths) => {
                        for p in paths {
                            println!("wrote {}", p.display());
                        }
                        ExitCode::SUCCESS
                    }
                    Err(message) => fail(&message, None, color),
                };
            }
            let doc = match kind.as_deref() {
                Some(k) => schema::schema_for(k).unwrap_or_default(),
                None => schema::all_in_one(),
            };
            print!("{}", schema::to_text(&doc));
            ExitCode::SUCCESS
        }
        _ => fail("not a workflow command", None, color),
    }
}

/// The progress bar of `annalist build` and `annalist check` on a terminal. It stays hidden for the first
/// moment, so that small builds print nothing more than before, and altogether when
/// stderr is not a terminal or `CI` is set (logs keep no cursor movements). indicatif
/// draws at a bounded rate from any thread, which a parallel render needs.
struct Bar {
    bar: indicatif::ProgressBar,
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
    start: std::time::Instant,
}

impl Bar {
    /// How long a build runs before the bar appears.
    const DELAY: std::time::Duration = std::time::Duration::from_millis(300);

    fn new(terminal: bool) -> Bar {
        Bar {
            bar: indicatif::ProgressBar::hidden(),
            enabled: terminal && std::env::var_os("CI").is_none(),
            shown: Default::default(),
            start: std::time::Instant::now(),
        }
    }

    fn show_if_slow(&self) {
        use std::sync::atomic::Ordering;
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar
                .enable_steady_tick(std::time::Duration::from_millis(120));
        }
    }

    /// Removes the bar before the report is printed.
    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl annalist::Progress for Bar {
    fn phase(&self, name: &'static str, steps: Option<u64>) {
        let template = match steps {
            Some(_) => "{spinner} {msg:>7} [{bar:30}] {human_pos}/{human_len} files ({elapsed})",
            None => "{spinner} {msg:>7} ({elapsed})",
        };
        self.bar.set_length(steps.unwrap_or(0));
        self.bar.set_position(0);
        self.bar.set_message(name);
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.show_if_slow();
    }

    fn step(&self) {
        self.bar.inc(1);
        // The number of files to write is an estimate: grow rather than overflow.
        if self
            .bar
            .length()
            .is_some_and(|len| self.bar.position() > len)
        {
            self.bar.set_length(self.bar.position());
        }
        self.show_if_slow();
    }
}

/// A chronology folder that does not exist is a usage error (exit 2), not a problem
/// in the input.
fn missing_root(root: &std::path::Path, color: bool) -> Option<ExitCode> {
    if root.is_dir() {
        return None;
    }
    Some(fail(
        &format!("`{}` is not a folder", root.display()),
        Some("pass the chronology folder, the one that holds `events/`"),
        color,
    ))
}

/// Prints a failure that is not about the input files, once, and exits with 2. Its
/// message may quote the input (a path, a CSV cell): control characters are escaped,
/// line breaks kept (a message may hold rendered diagnostics, already escaped).
fn fail(message: &str, help: Option<&str>, color: bool) -> ExitCode {
    let message = escape_controls_keep_lines(message);
    let help = help.map(escape_controls_keep_lines);
    let (red, bold, reset) = if color {
        ("\x1b[1;31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    eprintln!("{red}error{reset}{bold}: {message}{reset}");
    if let Some(h) = &help {
        eprintln!("  = help: {h}");
    }
    ExitCode::from(2)
}
