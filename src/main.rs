//! The `annalist` command line: turns arguments into options for the library, prints
//! what it reports, and sets the exit code (0 ok, 1 problems in the input, 2 usage or
//! I/O failure).

use annalist::diag::{escape_controls, escape_controls_keep_lines};
use annalist::error::{Error, Exit};
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
        format: FormatArg,
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
    Init(InitArgs),
    /// Create an event file from flags (or by asking, in a terminal); `new actor ID`,
    /// `new location ID` create an actor or a place. Never overwrites a file.
    New(Box<NewArgs>),
    /// Serve the site on 127.0.0.1, rebuilt and reloaded in the browser on every change.
    Serve(ServeArgs),
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

/// The kind of file to import (`annalist::import::Format`).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// UCDP Georeferenced Event Dataset (GED) CSV, e.g. `GEDEvent_v23_1.csv`.
    Ucdp,
    /// ACLED export (CSV with ACLED's codebook columns).
    Acled,
    /// annalist's own `data/events.csv` export.
    Annalist,
}

impl From<FormatArg> for annalist::import::Format {
    fn from(f: FormatArg) -> Self {
        use annalist::import::Format;
        match f {
            FormatArg::Ucdp => Format::Ucdp,
            FormatArg::Acled => Format::Acled,
            FormatArg::Annalist => Format::Annalist,
        }
    }
}

/// What `annalist init` is asked to do.
#[derive(Debug, Clone, clap::Args)]
struct InitArgs {
    /// The folder to create the chronology in; it must not exist or be empty.
    dir: PathBuf,
    /// The site's title (`title` in annalist.yaml).
    #[arg(long)]
    title: Option<String>,
    /// The language of the site: `fr` or `en`.
    #[arg(long, default_value = "fr", value_parser = ["fr", "en"])]
    language: String,
}

impl From<InitArgs> for annalist::workflow::init::InitOptions {
    fn from(a: InitArgs) -> Self {
        annalist::workflow::init::InitOptions {
            dir: a.dir,
            title: a.title,
            language: a.language,
        }
    }
}

/// `annalist new`: an event by default, or an actor or a location.
#[derive(Debug, Clone, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
struct NewArgs {
    #[command(subcommand)]
    what: Option<NewWhat>,
    #[command(flatten)]
    event: EventArgs,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum NewWhat {
    /// Create an actor file, `events/actors/ID.yaml`.
    #[command(
        after_help = "Dated relations and former names: each --since and --until dates the --relation or --former-name before it:\n  \
        annalist new actor katiba-macina --name \"Katiba Macina\" \\\n    \
        --relation affiliated-with:ansar-dine --since 2015~ --until 2017-03 \\\n    \
        --relation part-of:jnim --since 2017-03\n  \
        annalist new actor isgs --name \"État islamique au Sahel\" --short-name \"EI Sahel\" \\\n    \
        --former-name \"EIGS=État islamique dans le Grand Sahara\" --until 2022-03\n\
        A former name needs a date (--until, the last day it was in use, or --since); the short name before `=` is optional.\n\
        When it asks questions (--interactive, or a terminal and no --name), it asks \"since when?\" and \"until when?\" of each relation without dates, and for former names."
    )]
    Actor(ActorArgs),
    /// Create a location file, `events/locations/ID.yaml`.
    #[command(
        after_help = "Parents over time: each --since and --until dates the --parent before it; one --parent without dates writes `parent:`, dated or several write `parents:`:\n  \
        annalist new location bankass-cercle --name \"Cercle de Bankass\" --kind district \\\n    \
        --parent mopti-region --until 2023 --parent bandiagara-region --since 2023"
    )]
    Location(LocationArgs),
}

/// The fields of a new event. In a terminal, the required ones that are missing are
/// asked for.
#[derive(Debug, Clone, clap::Args)]
struct EventArgs {
    /// The chronology folder (the one holding `events/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The date, at the precision of the sources: 2025-05-23, 2025-05, 2025, 2023-09-01/2023-09-03.
    #[arg(long)]
    date: Option<String>,
    /// A short headline, in the site's language.
    #[arg(long)]
    title: Option<String>,
    /// The event type (attack, battle, protest, ...).
    #[arg(long = "type")]
    event_type: Option<String>,
    /// How established it is: claimed, reported, confirmed, disputed or denied.
    #[arg(long)]
    status: Option<String>,
    /// A location id; repeat the flag (or separate with commas) for several.
    #[arg(long = "location", value_delimiter = ',')]
    locations: Vec<String>,
    /// An actor and its role, `ID:ROLE` (jnim:perpetrator); repeat for several.
    #[arg(long = "actor", value_delimiter = ',')]
    actors: Vec<String>,
    /// A clock time (14:30) or a part of the day (morning, midday, ...).
    #[arg(long)]
    time: Option<String>,
    /// One or two sentences shown in lists.
    #[arg(long)]
    summary: Option<String>,
    /// Who claims the event (an actor id); needed with `--status claimed`.
    #[arg(long)]
    claimant: Option<String>,
    /// The outlet that carried the claim (an actor id, such as a media arm).
    #[arg(long)]
    channel: Option<String>,
    /// What the claimant says.
    #[arg(long)]
    claim: Option<String>,
    /// The publisher of the source (a newspaper, an agency...).
    #[arg(long)]
    source: Option<String>,
    /// The address of the source.
    #[arg(long)]
    url: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_delimiter = ',')]
    tags: Vec<String>,
    /// The id, instead of the one made from the date and the title.
    #[arg(long)]
    id: Option<String>,
    /// Ask for the missing fields even when the input is not a terminal.
    #[arg(short, long)]
    interactive: bool,
}

#[derive(Debug, Clone, clap::Args)]
struct ActorArgs {
    /// The id: lowercase letters, digits and `-` (jnim, katiba-macina).
    id: String,
    /// The chronology folder (the one holding `events/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The full name.
    #[arg(long)]
    name: Option<String>,
    /// A short name or acronym used in lists (JNIM).
    #[arg(long)]
    short_name: Option<String>,
    /// What sort of actor, when the sources say (armed-group, state-force, ...).
    #[arg(long)]
    kind: Option<String>,
    /// A relation to another actor, `TYPE:TARGET` (part-of:jnim, member-of:ecowas);
    /// repeat for several. The --since and --until that follow it give its dates.
    #[arg(long = "relation", value_name = "TYPE:TARGET")]
    relations: Vec<String>,
    /// A name it bore before, `SHORT=Full name` or the full name alone
    /// ("EIGS=État islamique dans le Grand Sahara"); repeat for several. Give it the
    /// --until (and --since, if known) that follow it: the days it was in use.
    #[arg(long = "former-name", value_name = "SHORT=FULL NAME")]
    former_names: Vec<String>,
    /// When the relation or former name before this flag began, at the precision of
    /// the sources (2017-03, 2017, 2017-03-02; add ~ when approximate). Leave it out if
    /// unknown.
    #[arg(long, value_name = "DATE")]
    since: Vec<String>,
    /// When the relation or former name before this flag ended (both dates count as
    /// inside it). Leave it out while the relation holds.
    #[arg(long, value_name = "DATE")]
    until: Vec<String>,
    /// Ask for the missing fields even when the input is not a terminal.
    #[arg(short, long)]
    interactive: bool,
}

#[derive(Debug, Clone, clap::Args)]
struct LocationArgs {
    /// The id: lowercase letters, digits and `-` (djoura, mopti-region).
    id: String,
    /// The chronology folder (the one holding `events/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The name.
    #[arg(long)]
    name: Option<String>,
    /// What sort of place (village, town, city, site, district, region, area, country).
    #[arg(long)]
    kind: Option<String>,
    /// The id of the larger place that contains it; repeat, each with its --since
    /// and --until, for a place that moved (a region reform).
    #[arg(long = "parent", value_name = "ID")]
    parents: Vec<String>,
    /// When the parent before this flag began to contain it (2023, 2023-03).
    #[arg(long, value_name = "DATE")]
    since: Vec<String>,
    /// When the parent before this flag last contained it.
    #[arg(long, value_name = "DATE")]
    until: Vec<String>,
    /// Latitude in decimal degrees, from a source or a gazetteer.
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    /// Longitude in decimal degrees (west is negative).
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// Ask for the missing fields even when the input is not a terminal.
    #[arg(short, long)]
    interactive: bool,
}

impl From<NewArgs> for annalist::workflow::new::NewOptions {
    fn from(a: NewArgs) -> Self {
        use annalist::workflow::new::{ActorOptions, EventOptions, LocationOptions, NewOptions};
        match a.what {
            None => {
                let e = a.event;
                NewOptions::Event(Box::new(EventOptions {
                    root: e.root,
                    date: e.date,
                    title: e.title,
                    event_type: e.event_type,
                    status: e.status,
                    locations: e.locations,
                    actors: e.actors,
                    time: e.time,
                    summary: e.summary,
                    claimant: e.claimant,
                    channel: e.channel,
                    claim: e.claim,
                    source: e.source,
                    url: e.url,
                    tags: e.tags,
                    id: e.id,
                    interactive: e.interactive,
                }))
            }
            Some(NewWhat::Actor(a)) => NewOptions::Actor(ActorOptions {
                id: a.id,
                root: a.root,
                name: a.name,
                short_name: a.short_name,
                kind: a.kind,
                // Paired with their dates in `main`, which sees the order of the flags.
                relations: Vec::new(),
                former_names: Vec::new(),
                interactive: a.interactive,
            }),
            Some(NewWhat::Location(l)) => NewOptions::Location(LocationOptions {
                id: l.id,
                root: l.root,
                name: l.name,
                kind: l.kind,
                // Paired with their dates in `main`, as for actors.
                parents: Vec::new(),
                lat: l.lat,
                lon: l.lon,
                interactive: l.interactive,
            }),
        }
    }
}

/// What `annalist serve` is asked to do; the library takes it as `ServeOptions`.
#[derive(clap::Args)]
struct ServeArgs {
    /// The chronology folder (the one holding `events/`).
    #[arg(default_value = ".")]
    root: PathBuf,
    /// The port on 127.0.0.1; the next free one is used when it is taken (0: any free port).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Print the time spent in each phase of every rebuild.
    #[arg(long)]
    timings: bool,
}

impl From<ServeArgs> for annalist::serve::ServeOptions {
    fn from(a: ServeArgs) -> Self {
        annalist::serve::ServeOptions {
            root: a.root,
            port: a.port,
            timings: a.timings,
        }
    }
}

/// jemalloc: building a site allocates and frees many short strings and maps from
/// several threads, where glibc's malloc spends a fifth of the time (bench/README.md).
#[cfg(all(not(target_env = "msvc"), feature = "jemalloc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The dated flags of `new actor` (`--relation`, `--former-name`) or `new location`
/// (`--parent`), each with the `--since` and `--until` that follow it: clap gives each
/// flag's values apart, their positions pair them. Returns, for each of `anchors`
/// (`(arg id, flag)`), its flags in the order given.
fn dated_flags(
    m: &clap::ArgMatches,
    what: &str,
    anchors: &[(&str, &str)],
) -> Result<Vec<Vec<annalist::workflow::new::DatedFlag>>, Error> {
    use annalist::workflow::new::DatedFlag;
    let mut out: Vec<Vec<DatedFlag>> = vec![Vec::new(); anchors.len()];
    let Some(a) = m
        .subcommand_matches("new")
        .and_then(|n| n.subcommand_matches(what))
    else {
        return Ok(out);
    };
    // (position, the anchor's index or the flag --since/--until, value)
    let mut flags: Vec<(usize, Result<usize, &str>, String)> = Vec::new();
    let ids = anchors.iter().enumerate().map(|(k, (id, _))| (*id, Ok(k)));
    for (id, which) in ids.chain([("since", Err("--since")), ("until", Err("--until"))]) {
        if let (Some(ix), Some(values)) = (a.indices_of(id), a.get_many::<String>(id)) {
            flags.extend(ix.zip(values).map(|(i, v)| (i, which, v.clone())));
        }
    }
    flags.sort_by_key(|(i, ..)| *i);
    let names: Vec<&str> = anchors.iter().map(|(_, f)| *f).collect();
    let mut last: Option<usize> = None;
    for (_, which, value) in flags {
        let flag = match which {
            Ok(k) => {
                out[k].push(DatedFlag {
                    spec: value,
                    since: None,
                    until: None,
                });
                last = Some(k);
                continue;
            }
            Err(flag) => flag,
        };
        let Some((k, dated)) = last.and_then(|k| Some((k, out[k].last_mut()?))) else {
            return Err(Error::new(format!(
                "{flag} {value} comes before any {}",
                names.join(" or ")
            ))
            .help(format!(
                "write it after the {} it dates, e.g. `{} {flag} {value}`",
                names.join(" or "),
                match names.first() {
                    Some(&"--parent") => "--parent mopti-region",
                    _ => "--relation part-of:jnim",
                }
            )));
        };
        let slot = if flag == "--since" {
            &mut dated.since
        } else {
            &mut dated.until
        };
        if slot.is_some() {
            return Err(Error::new(format!(
                "{flag} is given twice for `{} {}`",
                names[k], dated.spec
            ))
            .help(format!(
                "give each one --since and one --until at most; repeat {} for another period",
                names[k]
            )));
        }
        *slot = Some(value);
    }
    Ok(out)
}

fn main() -> ExitCode {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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
                Exit::Ok.into()
            } else {
                Exit::Problems.into()
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
                    Exit::Ok.into()
                }
                Ok(annalist::BuildOutcome::Refused { checked }) => {
                    eprint!("{}", annalist::render_report(&root, &checked.report, color));
                    println!("{}", checked.summary());
                    eprintln!(
                        "error: the site was not built; fix the errors above and build again"
                    );
                    Exit::Problems.into()
                }
                Err(e) => fail_with(&e, color),
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
                format: format.into(),
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
                        Exit::Problems.into()
                    } else {
                        Exit::Ok.into()
                    }
                }
                Err(e) => fail_with(&e, color),
            }
        }
        other => workflow(other, &matches, color),
    }
}

/// Runs `init`, `new`, `serve` and `schema`.
fn workflow(command: Command, matches: &clap::ArgMatches, color: bool) -> ExitCode {
    use annalist::workflow::{init, new, schema};
    let failed = |f: annalist::error::Error| fail_with(&f, color);
    match command {
        Command::Init(args) => {
            let opts = init::InitOptions::from(args);
            match init::run(&opts) {
                Ok(files) => {
                    for f in &files {
                        println!("created {}", opts.dir.join(f).display());
                    }
                    println!(
                        "next: cd {0} && git init && git add . && git commit -m \"New chronology\"; \
                         then `annalist serve` to see the site while you edit",
                        opts.dir.display()
                    );
                    Exit::Ok.into()
                }
                Err(f) => failed(f),
            }
        }
        Command::New(args) => {
            let mut opts = new::NewOptions::from(*args);
            match &mut opts {
                new::NewOptions::Actor(a) => {
                    let anchors = [
                        ("relations", "--relation"),
                        ("former_names", "--former-name"),
                    ];
                    match dated_flags(matches, "actor", &anchors) {
                        Ok(mut found) => {
                            a.former_names = found.pop().unwrap_or_default();
                            a.relations = found.pop().unwrap_or_default();
                        }
                        Err(f) => return failed(f),
                    }
                }
                new::NewOptions::Location(l) => {
                    match dated_flags(matches, "location", &[("parents", "--parent")]) {
                        Ok(mut found) => l.parents = found.pop().unwrap_or_default(),
                        Err(f) => return failed(f),
                    }
                }
                new::NewOptions::Event(_) => {}
            }
            match new::run(&opts) {
                Ok(created) => {
                    println!("created {}", opts.root().join(&created.path).display());
                    for n in &created.notes {
                        eprintln!("note: {}", escape_controls(n));
                    }
                    Exit::Ok.into()
                }
                Err(f) => failed(f),
            }
        }
        Command::Serve(args) => match annalist::serve::run(&args.into()) {
            Ok(()) => Exit::Ok.into(),
            Err(message) => fail(&message, None, color),
        },
        Command::Schema { kind, write } => {
            if let Some(root) = write {
                return match schema::write_files(&root) {
                    Ok(paths) => {
                        for p in paths {
                            println!("wrote {}", p.display());
                        }
                        Exit::Ok.into()
                    }
                    Err(f) => failed(f),
                };
            }
            let doc = match kind.as_deref() {
                Some(k) => schema::schema_for(k).unwrap_or_default(),
                None => schema::all_in_one(),
            };
            print!("{}", schema::to_text(&doc));
            Exit::Ok.into()
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

/// Prints an error, its help and the causes its message does not already say, once,
/// and exits with 2.
fn fail_with(e: &Error, color: bool) -> ExitCode {
    let mut message = e.message.clone();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    fail(&message, e.help.as_deref(), color)
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
    Exit::Failure.into()
}
