//! History from git: when each event was first published and last updated, and the
//! commits that changed its file (following renames), read with one `git log` for the
//! whole chronology. Also the checks of `aliases:` (an event's former ids), which keep
//! the addresses of renamed events working.
//!
//! Everything here comes from commits, never from the clock, so that a build is
//! reproducible. Outside a git repository, or in a shallow clone whose history is cut
//! short, nothing is invented: the pages leave the dates out and the build says why.

use crate::diag::{Diagnostic, Report};
use crate::load::Loaded;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One commit that touched an event's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub commit: String,
    /// The committer date as git gives it, ISO 8601 with its offset.
    pub datetime: String,
    /// Its calendar date, `YYYY-MM-DD`, in the committer's time zone.
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
}

/// The commits of one event, newest first; the last one created the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventHistory {
    pub revisions: Vec<Revision>,
}

impl EventHistory {
    /// The commit that added the file (under this or a former name).
    pub fn first_published(&self) -> Option<&Revision> {
        self.revisions.last()
    }

    /// The latest commit that changed the file.
    pub fn last_updated(&self) -> Option<&Revision> {
        self.revisions.first()
    }
}

/// What git says about the events of a chronology.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Event id → its commits. Events not committed yet have no entry.
    pub events: BTreeMap<String, EventHistory>,
    /// Why there is no history, when there is none: said once by the build.
    pub unavailable: Option<String>,
}

impl History {
    /// No history, and no reason to mention it (tests, tools).
    pub fn none() -> History {
        History::default()
    }

    pub fn of(&self, id: &str) -> Option<&EventHistory> {
        self.events.get(id)
    }
}

/// Reads the history of every event of `loaded` from the git repository holding
/// `root`: one `git rev-parse` to learn where the chronology stands in the repository
/// and whether the clone is shallow, then one `git log` over `events/`.
pub fn collect(root: &Path, loaded: &Loaded) -> History {
    let unavailable = |why: String| History {
        events: BTreeMap::new(),
        unavailable: Some(why),
    };
    let probe = match git(root)
        .args([
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
            "--show-prefix",
        ])
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            return unavailable(format!(
                "could not run git ({e}): event pages do not show when each event was published and updated"
            ));
        }
    };
    if !probe.status.success() {
        return unavailable(
            "the chronology is not in a git repository: event pages do not show when each event was published and updated"
                .into(),
        );
    }
    let text = String::from_utf8_lossy(&probe.stdout);
    let mut lines = text.lines();
    let inside = lines.next() == Some("true");
    let shallow = lines.next() == Some("true");
    let prefix = lines.next().unwrap_or("").to_string();
    if !inside {
        return unavailable(
            "the chronology is not in a git work tree: event pages do not show when each event was published and updated"
                .into(),
        );
    }
    if shallow {
        return unavailable(
            "this is a shallow clone, so the history of the events is cut short: event pages do not show when each event \
             was published and updated (fetch the whole history with `git fetch --unshallow`, or `fetch-depth: 0` in CI)"
                .into(),
        );
    }
    let out = match git(root)
        .args([
            "-c",
            "core.quotePath=false",
            "-c",
            "log.showSignature=false",
            "log",
            "-z",
            "--date-order",
            "-M",
            "--name-status",
            "--no-color",
            "--format=%x1e%H%x1f%cI%x1f%s",
            "--",
            "events/",
        ])
        .output()
    {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            // A repository without commits yet has no history, and that is no problem.
            if err.contains("does not have any commits") || err.contains("bad default revision") {
                return History::none();
            }
            return unavailable(format!(
                "`git log` failed ({}): event pages do not show when each event was published and updated",
                err.trim()
            ));
        }
        Err(e) => {
            return unavailable(format!(
                "could not run git ({e}): event pages do not show when each event was published and updated"
            ));
        }
    };
    let commits = parse_log(&String::from_utf8_lossy(&out.stdout));
    let current: Vec<(String, String)> = loaded
        .events
        .iter()
        .map(|e| {
            let path = e.path.to_string_lossy().replace('\\', "/");
            (format!("{prefix}{path}"), e.id.clone())
        })
        .collect();
    History {
        events: follow(&commits, &current),
        unavailable: None,
    }
}

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(root);
    // The output is parsed: no pager, no translation.
    c.env("GIT_PAGER", "cat").env("LC_ALL", "C");
    c
}

/// One commit of `git log --name-status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub revision: Revision,
    pub changes: Vec<Change>,
}

/// A change to one file in a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Modified(String),
    Deleted(String),
    /// A rename or a copy: from, to.
    Renamed(String, String),
    Copied(String, String),
}

/// Parses `git log -z --name-status --format=%x1e%H%x1f%cI%x1f%s`.
pub fn parse_log(text: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    for record in text.split('\u{1e}').filter(|r| !r.is_empty()) {
        let (header, rest) = record.split_once('\0').unwrap_or((record, ""));
        let mut fields = header.splitn(3, '\u{1f}');
        let (Some(hash), Some(datetime)) = (fields.next(), fields.next()) else {
            continue;
        };
        let subject = fields.next().unwrap_or("").trim().to_string();
        let mut tokens = rest.split('\0').map(|t| t.trim_start_matches('\n'));
        let mut changes = Vec::new();
        while let Some(status) = tokens.next() {
            if status.is_empty() {
                continue;
            }
            let mut path = || tokens.next().unwrap_or("").to_string();
            let change = match status.as_bytes()[0] {
                b'A' => Change::Added(path()),
                b'D' => Change::Deleted(path()),
                b'R' => {
                    let from = path();
                    Change::Renamed(from, path())
                }
                b'C' => {
                    let from = path();
                    Change::Copied(from, path())
                }
                // M (modified), T (type changed), U, X: the file is still there.
                _ => Change::Modified(path()),
            };
            changes.push(change);
        }
        commits.push(Commit {
            revision: Revision {
                commit: hash.to_string(),
                date: datetime.get(..10).unwrap_or(datetime).to_string(),
                datetime: datetime.to_string(),
                subject,
            },
            changes,
        });
    }
    commits
}

/// Walks the commits newest first, following each current file back through its
/// renames to the commit that added it.
pub fn follow(commits: &[Commit], current: &[(String, String)]) -> BTreeMap<String, EventHistory> {
    // The name each event's file has at the point of history being read.
    let mut tracking: BTreeMap<String, String> = current.iter().cloned().collect();
    let mut out: BTreeMap<String, EventHistory> = BTreeMap::new();
    for c in commits {
        for change in &c.changes {
            let (touched, older_name) = match change {
                Change::Modified(p) => (p, Some(p.clone())),
                Change::Renamed(from, to) => (to, Some(from.clone())),
                // Before a file was added or copied, it did not exist under that name.
                Change::Added(p) | Change::Copied(_, p) => (p, None),
                Change::Deleted(_) => continue,
            };
            let Some(id) = tracking.remove(touched) else {
                continue;
            };
            let revisions = &mut out.entry(id.clone()).or_default().revisions;
            if revisions.last().map(|r| &r.commit) != Some(&c.revision.commit) {
                revisions.push(c.revision.clone());
            }
            if let Some(name) = older_name {
                tracking.insert(name, id);
            }
        }
    }
    out
}

/// Checks the `aliases:` of every event against each other: two events cannot claim
/// the same former id (each file checks its own against current ids as it is read).
pub fn check_aliases(loaded: &Loaded, report: &mut Report) {
    let mut seen: BTreeMap<&str, &crate::load::Event> = BTreeMap::new();
    for e in &loaded.events {
        for a in &e.data.aliases {
            let alias = a.value.0.as_str();
            if alias.is_empty() {
                continue;
            }
            match seen.get(alias) {
                Some(first) if first.id != e.id => report.push(
                    Diagnostic::error(
                        e.path.clone(),
                        format!(
                            "the former id `{alias}` is also claimed by `{}`",
                            first.path.display()
                        ),
                    )
                    .at(a.pos.line.max(1), a.pos.column.max(1))
                    .help("an old address can redirect to one event only; keep it in one file"),
                ),
                Some(_) => report.push(
                    Diagnostic::warning(
                        e.path.clone(),
                        format!("the former id `{alias}` is listed twice"),
                    )
                    .at(a.pos.line.max(1), a.pos.column.max(1))
                    .help("remove the repeated entry"),
                ),
                None => {
                    seen.insert(alias, e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\u{1e}c3\u{1f}2025-06-01T09:00:00+00:00\u{1f}Rename\0\nR100\0events/2025/x.yaml\0events/2025/y.yaml\0\u{1e}c2\u{1f}2025-05-24T09:00:00+02:00\u{1f}Fix: the figure\0\nM\0events/2025/x.yaml\0M\0events/2025/other.yaml\0\u{1e}c1\u{1f}2025-05-23T10:00:00+02:00\u{1f}Add x\0\nA\0events/2025/x.yaml\0A\0events/2025/other.yaml\0";

    #[test]
    fn a_log_is_parsed_into_commits_and_changes() {
        let commits = parse_log(LOG);
        assert_eq!(commits.len(), 3);
        assert_eq!(commits[1].revision.subject, "Fix: the figure");
        assert_eq!(commits[1].revision.date, "2025-05-24");
        assert_eq!(
            commits[0].changes,
            [Change::Renamed(
                "events/2025/x.yaml".into(),
                "events/2025/y.yaml".into()
            )]
        );
        assert_eq!(commits[2].changes.len(), 2);
    }

    #[test]
    fn history_follows_renames_back_to_the_creation() {
        let commits = parse_log(LOG);
        let h = follow(
            &commits,
            &[
                ("events/2025/y.yaml".into(), "y".into()),
                ("events/2025/other.yaml".into(), "other".into()),
            ],
        );
        let y: Vec<&str> = h["y"].revisions.iter().map(|r| r.commit.as_str()).collect();
        assert_eq!(y, ["c3", "c2", "c1"]);
        assert_eq!(
            h["y"].first_published().map(|r| r.date.as_str()),
            Some("2025-05-23")
        );
        assert_eq!(
            h["y"].last_updated().map(|r| r.date.as_str()),
            Some("2025-06-01")
        );
        assert_eq!(h["other"].revisions.len(), 2);
    }

    #[test]
    fn a_file_added_again_after_a_deletion_starts_a_new_history() {
        let log = "\u{1e}c3\u{1f}2025-06-01T09:00:00Z\u{1f}Again\0\nA\0events/2025/x.yaml\0\u{1e}c2\u{1f}2025-05-24T09:00:00Z\u{1f}Drop\0\nD\0events/2025/x.yaml\0\u{1e}c1\u{1f}2025-05-23T09:00:00Z\u{1f}Add\0\nA\0events/2025/x.yaml\0";
        let h = follow(
            &parse_log(log),
            &[("events/2025/x.yaml".into(), "x".into())],
        );
        assert_eq!(h["x"].revisions.len(), 1);
        assert_eq!(h["x"].revisions[0].commit, "c3");
    }
}
