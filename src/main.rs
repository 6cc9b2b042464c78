//! The `annalist` command line: turns arguments into options for the library, prints
//! what it reports, and sets the exit code (0 ok, 1 problems in the input, 2 usage or
//! I/O failure).

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Check {
            root,
            deny_warnings,
        } => {
            let checked = annalist::check(&annalist::CheckOptions {
                root: root.clone(),
                deny_warnings,
            });
            eprint!("{}", annalist::render_report(&root, &checked.report, color));
            println!("{}", checked.summary());
            if checked.ok() {
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
            let opts = annalist::BuildOptions {
                root: root.clone(),
                output,
                deny_warnings,
            };
            match annalist::build(&opts) {
                Ok(annalist::BuildOutcome::Built {
                    checked,
                    stats,
                    output,
                }) => {
                    eprint!("{}", annalist::render_report(&root, &checked.report, color));
                    println!("{}", checked.summary());
                    println!(
                        "built {} files ({} KiB) into {}",
                        stats.files,
                        stats.bytes / 1024,
                        output.display()
                    );
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
    }
}

/// Prints a failure that is not about the input files, once, and exits with 2.
fn fail(message: &str, help: Option<&str>, color: bool) -> ExitCode {
    let (red, bold, reset) = if color {
        ("\x1b[1;31m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    eprintln!("{red}error{reset}{bold}: {message}{reset}");
    if let Some(h) = help {
        eprintln!("  = help: {h}");
    }
    ExitCode::from(2)
}
