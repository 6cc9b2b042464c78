//! The one error type of annalist: what went wrong, what to do about it, and what caused
//! it, shown once by the command line with the exit code that goes with it.
//!
//! Problems in the chronology's files are not errors of this kind: they are collected
//! as diagnostics (`diag`), all of them, so that an editor sees every problem at once.
//! An `Error` stops a command: an unreadable file, an unsafe output folder, a broken
//! template, a date that cannot be read where one value is asked for.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// Why a command (or one step of it) could not go on, worded for the person who ran it.
///
/// `Display` shows only `message`; the command line prints `help` on a line of its own
/// and the chain of `source`s after it, so neither is repeated inside `message`.
#[derive(Debug, Clone)]
pub struct Error {
    /// What is wrong, e.g. "February 2025 has no day 30".
    pub message: String,
    /// How to fix it, when a fix is likely, e.g. "the last day of February 2025 is 28".
    pub help: Option<String>,
    /// The lower-level failure behind it, when there is one. An `Arc` so that an error
    /// can be cloned (a rebuild in `serve` keeps the last one to show on every page).
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error without help or source, to which both may be added.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            help: None,
            source: None,
        }
    }

    /// The same error with a suggested fix; replaces an earlier one.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same error with a suggested fix when there is one.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The same error, caused by `source`.
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// An operating-system failure, naming what was being done and where. The
    /// `io::Error` is both shown in the message (it is short and says what the system
    /// refused) and kept as the source, for callers that look at its kind.
    pub fn io(what: &str, path: &Path, err: &io::Error) -> Self {
        let e = Error::new(format!("could not {what} `{}`: {err}", path.display()))
            .caused_by(io::Error::new(err.kind(), err.to_string()));
        // The one failure whose fix does not depend on what was being done.
        match err.kind() {
            io::ErrorKind::StorageFull => e.help(
                "free some space on the disk that holds it (or write elsewhere), then try again",
            ),
            _ => e,
        }
    }

    /// The `io::Error` behind this error, if that is what caused it.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        self.source
            .as_deref()
            .and_then(|s| s.downcast_ref::<io::Error>())
            .map(io::Error::kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Two errors are equal when they say the same thing to the reader; the source is a
/// detail of how the failure was found.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message && self.help == other.help
    }
}

impl Eq for Error {}

/// How a command ended, as its exit status. Scripts and CI rely on these three values
/// (documented in the README), so they are named here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// The command did what it was asked; the input has no errors.
    Ok = 0,
    /// The input has problems (errors, or warnings under `--deny-warnings`): nothing
    /// was published.
    Problems = 1,
    /// The command could not run: a usage error or an I/O failure.
    Failure = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn display_is_the_message_alone() {
        let e = Error::new("the date is empty").help("write `2025-05-23`");
        assert_eq!(e.to_string(), "the date is empty");
        assert_eq!(e.help.as_deref(), Some("write `2025-05-23`"));
    }

    #[test]
    fn io_errors_name_the_path_and_keep_their_kind() {
        let err = io::Error::new(io::ErrorKind::PermissionDenied, "denied");
        let e = Error::io("write", Path::new("site/index.html"), &err);
        assert_eq!(e.message, "could not write `site/index.html`: denied");
        assert_eq!(e.io_kind(), Some(io::ErrorKind::PermissionDenied));
        assert!(e.source().is_some());
        assert_eq!(Error::new("x").io_kind(), None);
    }

    #[test]
    fn a_full_disk_says_what_to_do() {
        let err = io::Error::from(io::ErrorKind::StorageFull);
        let e = Error::io("write", Path::new("site/index.html"), &err);
        assert!(
            e.help
                .as_deref()
                .is_some_and(|h| h.contains("free some space"))
        );
        assert_eq!(e.io_kind(), Some(io::ErrorKind::StorageFull));
    }

    #[test]
    fn equality_ignores_the_source() {
        let a = Error::new("x").help("y");
        let b = Error::new("x").help("y").caused_by(io::Error::other("z"));
        assert_eq!(a, b);
        assert_ne!(a, Error::new("x"));
    }

    #[test]
    fn exit_codes_are_the_documented_ones() {
        assert_eq!(Exit::Ok as u8, 0);
        assert_eq!(Exit::Problems as u8, 1);
        assert_eq!(Exit::Failure as u8, 2);
    }
}
