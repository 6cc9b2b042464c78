//! The layout of a chronology: which files under `ROOT/events` are entries, of what kind and with what id.
//!
//! The one place that knows the folder rules, used by `load`, `serve`, `import` and `new`:
//! `events/<year>/<id>.yaml` is an event, `events/actors/<id>.yaml` an actor,
//! `events/locations/<id>.yaml` a location; hidden names, `.md` and `.txt` files are
//! documentation; anything else is reported with what to do. Symbolic links are never
//! followed. The id of a file is its name without the final `.yaml` (`strip_suffix`,
//! once), so every command names a file the same way.

use crate::diag::{Diagnostic, Report};
use crate::model;
use crate::span::Known;
use std::path::{Path, PathBuf};

/// The extension of every entry file.
pub const EXTENSION: &str = ".yaml";

/// What an entry is, decided by the folder it stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Event,
    Actor,
    Location,
}

/// A file to read: its kind, its id and its path relative to the chronology root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    pub path: PathBuf,
}

/// What a directory entry is, as the folder listing tells (never the type of a link's
/// target).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    File,
    Dir,
    Symlink,
}

impl Type {
    fn of(t: std::fs::FileType) -> Type {
        if t.is_symlink() {
            Type::Symlink
        } else if t.is_dir() {
            Type::Dir
        } else {
            Type::File
        }
    }

    /// One letter for a listing: `f`, `d`, `l`.
    fn letter(self) -> char {
        match self {
            Type::File => 'f',
            Type::Dir => 'd',
            Type::Symlink => 'l',
        }
    }
}

/// What the rules make of one name under `events/`.
#[derive(Debug, Clone, PartialEq)]
pub enum Class {
    /// A folder whose files are entries of this kind (`events/2025/`, `events/actors/`).
    Folder(Kind),
    /// A file to read.
    Entry(Entry),
    /// Not data, and not a problem: why it is skipped.
    Ignored(&'static str),
    /// Refused, with what to do.
    Problem(Diagnostic),
}

/// Everything found under `ROOT/events`, before any file is read.
#[derive(Debug, Default)]
pub struct Layout {
    /// Whether `ROOT/events` is a folder at all (when not, `report` says so).
    pub found: bool,
    /// The files to read, sorted by path, each id once.
    pub entries: Vec<Entry>,
    /// Every id of the chronology, including those of files that will fail to parse.
    pub known: Known,
    /// Every name listed under `events/` and in the folders it reads, with its type
    /// letter (`f`, `d`, `l`, `?`), sorted: when it changes, files appeared,
    /// disappeared or were renamed.
    pub listing: Vec<(PathBuf, char)>,
    /// The problems of the layout: names, folders, ids used twice.
    pub report: Report,
}

/// The id a file name gives (`x.yaml` gives `x`), or `None` when the name does not end
/// in `.yaml`. Only the last extension is removed: `x.yaml.yaml` gives `x.yaml`, which is
/// not a valid id and is reported as such.
pub fn id_of(file_name: &str) -> Option<&str> {
    file_name.strip_suffix(EXTENSION)
}

/// The kind of entries a folder directly under `events/` holds, by its name.
pub fn folder_kind(name: &str) -> Option<Kind> {
    match name {
        "actors" => Some(Kind::Actor),
        "locations" => Some(Kind::Location),
        n if is_year(n) => Some(Kind::Event),
        _ => None,
    }
}

/// Whether a name inside a folder of entries is skipped whatever it is: editors' swap,
/// lock and backup files start with a dot.
pub fn hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn is_year(n: &str) -> bool {
    n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit())
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn symlink_refused(rel: PathBuf) -> Diagnostic {
    Diagnostic::error(rel, "symbolic links are not followed under `events/`")
        .help("put the file itself here, so that the chronology is complete in git")
}

/// What a name directly under `events/` is. `rel` is relative to the root.
pub fn classify_top(rel: &Path, ty: Type) -> Class {
    let name = file_name(rel);
    if ty == Type::Symlink {
        return Class::Problem(symlink_refused(rel.to_path_buf()));
    }
    if ty == Type::Dir {
        return match folder_kind(&name) {
            Some(kind) => Class::Folder(kind),
            None if hidden(&name) => Class::Ignored("a hidden folder"),
            None => Class::Problem(
                Diagnostic::error(rel, format!("unexpected folder `{name}` in `events/`"))
                    .help("events go in a folder per year (`events/2025/`), actors in `events/actors/`, locations in `events/locations/`"),
            ),
        };
    }
    if is_yaml(&name) {
        return Class::Problem(
            Diagnostic::error(rel, "event files go in a folder named after their year")
                .help("move it to `events/<year>/`, for example `events/2025/`"),
        );
    }
    Class::Ignored("documentation (README.md, .gitkeep), not data")
}

/// What a name inside a folder of `kind` entries is. `rel` is relative to `root`, which
/// is looked at only to say whether the name a help proposes is taken.
pub fn classify(root: &Path, rel: &Path, ty: Type, kind: Kind) -> Class {
    let name = file_name(rel);
    if hidden(&name) {
        return Class::Ignored("a hidden file");
    }
    if ty == Type::Symlink {
        return Class::Problem(symlink_refused(rel.to_path_buf()));
    }
    if ty == Type::Dir {
        return Class::Problem(
            Diagnostic::error(rel, "unexpected folder here")
                .help("files go directly in their folder: `events/<year>/<id>.yaml`"),
        );
    }
    if !is_yaml(&name) {
        if name.ends_with(".md") || name.ends_with(".txt") {
            return Class::Ignored("documentation, not data");
        }
        return Class::Problem(
            Diagnostic::warning(rel, "this file is not a `.yaml` file and is ignored")
                .help("rename it to `<id>.yaml` if it is meant to be read"),
        );
    }
    let Some(id) = id_of(&name) else {
        let stem = name.strip_suffix(".yml").unwrap_or(&name);
        return Class::Problem(
            Diagnostic::error(rel, "files end in `.yaml`, not `.yml`")
                .help(format!("rename it to `{stem}.yaml`")),
        );
    };
    if !model::is_valid_id(id) {
        return Class::Problem(invalid_id(root, rel, id));
    }
    Class::Entry(Entry {
        kind,
        id: id.to_string(),
        path: rel.to_path_buf(),
    })
}

/// Why `id` (from the file `rel`) is not an id, and the name to give the file.
fn invalid_id(root: &Path, rel: &Path, id: &str) -> Diagnostic {
    // `x.yaml.yaml`: the extension written twice, most often by an editor or a copy.
    let doubled = id
        .strip_suffix(EXTENSION)
        .or_else(|| id.strip_suffix(".yml"));
    let fixed = match doubled {
        Some(inner) if model::is_valid_id(inner) => inner.to_string(),
        Some(inner) => model::slugify(inner),
        None => model::slugify(id),
    };
    let taken = rel.with_file_name(format!("{fixed}{EXTENSION}"));
    let help = if fixed.is_empty() {
        "ids use lowercase ASCII letters, digits and `-`".to_string()
    } else if std::fs::symlink_metadata(root.join(&taken)).is_ok() {
        // Renaming would overwrite the other file: it is the same id twice.
        format!(
            "`{}` already has the id `{fixed}`: merge the two files, or give this one another id",
            taken.display()
        )
    } else if doubled.is_some() {
        format!("rename the file to `{fixed}.yaml`")
    } else {
        format!(
            "rename the file to `{fixed}.yaml` (ids use lowercase ASCII letters, digits and `-`)"
        )
    };
    if doubled.is_some() {
        let name = file_name(rel);
        return Diagnostic::error(
            rel,
            format!("`{name}` has its extension twice, so its id `{id}` contains a `.`"),
        )
        .help(help);
    }
    // Name the letters that are not plain ASCII: a Cyrillic "о" looks like an "o".
    let odd: Vec<String> = id
        .chars()
        .filter(|c| !c.is_ascii())
        .map(|c| format!("`{c}` (U+{:04X})", c as u32))
        .collect();
    let message = if odd.is_empty() {
        format!("`{id}` is not a valid id")
    } else {
        format!("`{id}` is not a valid id: it contains {}", odd.join(", "))
    };
    Diagnostic::error(rel, message).help(help)
}

/// Walks `ROOT/events`: `actors/`, `locations/` and one folder per year, listing the
/// folders on every core. The result is sorted, whatever order the file system lists.
pub fn discover(root: &Path) -> Layout {
    let mut layout = Layout::default();
    let events_dir = root.join("events");
    if !events_dir.is_dir() {
        layout.report.push(
            Diagnostic::error(events_dir, "no `events` folder here").help(
                "run annalist in a chronology folder, or pass its path: `annalist check PATH`",
            ),
        );
        return layout;
    }
    if let Err(d) = check_link(&events_dir, Path::new("events"), Path::new("events")) {
        // Said once here rather than once for every file read through it.
        layout.report.push(d);
        return layout;
    }
    layout.found = true;
    let mut folders: Vec<(PathBuf, Kind)> = Vec::new();
    for (path, listed) in list_dir(root, &events_dir, &mut layout.report) {
        let rel = relative(root, &path);
        let ty = match listed {
            Ok(t) => Type::of(t),
            Err(e) => {
                layout.listing.push((rel.clone(), '?'));
                layout.report.push(Diagnostic::error(
                    rel,
                    format!("cannot read this entry: {e}"),
                ));
                continue;
            }
        };
        layout.listing.push((rel.clone(), ty.letter()));
        match classify_top(&rel, ty) {
            Class::Folder(kind) => folders.push((path, kind)),
            Class::Problem(d) => layout.report.push(d),
            Class::Entry(_) | Class::Ignored(_) => {}
        }
    }
    // A folder per year: list and classify them on every core, then join them in the
    // folders' sorted order.
    use rayon::prelude::*;
    type Listed = (Vec<Entry>, Vec<(PathBuf, char)>, Report);
    let per_folder: Vec<Listed> = folders
        .par_iter()
        .map(|(dir, kind)| {
            let mut report = Report::default();
            let mut entries = Vec::new();
            let mut listing = Vec::new();
            for (file, listed) in list_dir(root, dir, &mut report) {
                let rel = relative(root, &file);
                let ty = match listed {
                    Ok(t) => Type::of(t),
                    Err(e) => {
                        listing.push((rel.clone(), '?'));
                        if !hidden(&file_name(&rel)) {
                            report.push(Diagnostic::error(
                                rel,
                                format!("cannot read this entry: {e}"),
                            ));
                        }
                        continue;
                    }
                };
                listing.push((rel.clone(), ty.letter()));
                match classify(root, &rel, ty, *kind) {
                    Class::Entry(e) => entries.push(e),
                    Class::Problem(d) => report.push(d),
                    Class::Folder(_) | Class::Ignored(_) => {}
                }
            }
            (entries, listing, report)
        })
        .collect();
    for (entries, listing, r) in per_folder {
        layout.entries.extend(entries);
        layout.listing.extend(listing);
        layout.report.extend(r.diagnostics);
    }
    layout.listing.sort();
    layout.known = known_ids(&mut layout.entries, &mut layout.report);
    layout
}

/// The ids of the chronology, from file names; reports duplicates and ids that would
/// collide once case and accents are folded, and keeps only the first file of each.
fn known_ids(entries: &mut Vec<Entry>, report: &mut Report) -> Known {
    let mut known = Known::default();
    // Looked up once per file, in the files' sorted order: the order of the reports
    // does not depend on the map's.
    let mut seen: std::collections::HashMap<(Kind, String), PathBuf> = Default::default();
    // A file whose id is taken is reported and not read: every other message about it
    // (its date, its folder) would only add noise to the one fix that matters.
    entries.retain(|f| {
        let set = match f.kind {
            Kind::Event => &mut known.events,
            Kind::Actor => &mut known.actors,
            Kind::Location => &mut known.locations,
        };
        let key = (f.kind, model::fold_id(&f.id));
        if let Some(first) = seen.get(&key) {
            report.push(
                Diagnostic::error(f.path.clone(), format!("the id `{}` is used twice", f.id)).help(
                    format!(
                        "`{}` has the same id; give one of them another name",
                        first.display()
                    ),
                ),
            );
            return false;
        }
        seen.insert(key, f.path.clone());
        set.insert(f.id.clone());
        true
    });
    known
}

/// The entries of `dir`, sorted by name, each with its type as the folder listing gives
/// it: no `stat` per file where the file system records types in its folders (std
/// asks for one itself where it does not). A type is never that of a link's target.
fn list_dir(
    root: &Path,
    dir: &Path,
    report: &mut Report,
) -> Vec<(PathBuf, std::io::Result<std::fs::FileType>)> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut entries: Vec<_> = rd
                .filter_map(|e| e.ok().map(|e| (e.path(), e.file_type())))
                .collect();
            // One folder: comparing names is comparing paths, without walking components.
            entries.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
            entries
        }
        Err(e) => {
            report.push(Diagnostic::error(
                relative(root, dir),
                format!("cannot read this folder: {e}"),
            ));
            Vec::new()
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path` relative to `root` when it is inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Refuses `at` (shown as `link`) when it is a symbolic link; nothing there is no link.
pub fn check_link(at: &Path, link: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let Ok(meta) = std::fs::symlink_metadata(at) else {
        return Ok(());
    };
    if !meta.is_symlink() {
        return Ok(());
    }
    let what = if at.is_dir() { "folder" } else { "file" };
    let message = if link == shown {
        "this is a symbolic link; annalist does not follow links in the chronology".to_string()
    } else {
        format!(
            "`{}` is a symbolic link; annalist does not follow links in the chronology",
            link.display()
        )
    };
    Err(Diagnostic::error(shown, message).help(format!(
        "replace the link with the {what} itself, so that the site is made only of what is in the chronology"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(name: &str, kind: Kind) -> Class {
        let rel = Path::new("events").join("2025").join(name);
        classify(Path::new("/nonexistent"), &rel, Type::File, kind)
    }

    #[test]
    fn the_id_is_the_name_without_one_final_extension() {
        assert_eq!(id_of("x.yaml"), Some("x"));
        assert_eq!(id_of("x.yaml.yaml"), Some("x.yaml"));
        assert_eq!(id_of("x.yml"), None);
        assert_eq!(id_of("x"), None);
    }

    #[test]
    fn folders_are_classified_by_name() {
        assert_eq!(folder_kind("2025"), Some(Kind::Event));
        assert_eq!(folder_kind("actors"), Some(Kind::Actor));
        assert_eq!(folder_kind("locations"), Some(Kind::Location));
        for other in ["202", "20255", "misc", ".git"] {
            assert_eq!(folder_kind(other), None, "{other}");
        }
        let top = |name: &str, ty| classify_top(&Path::new("events").join(name), ty);
        assert!(matches!(top(".git", Type::Dir), Class::Ignored(_)));
        assert!(matches!(top("misc", Type::Dir), Class::Problem(_)));
        assert!(matches!(top("2025", Type::Symlink), Class::Problem(_)));
        assert!(matches!(top("x.yaml", Type::File), Class::Problem(_)));
        assert!(matches!(top("README.md", Type::File), Class::Ignored(_)));
    }

    #[test]
    fn files_in_a_folder_are_entries_ignored_or_problems() {
        assert_eq!(
            entry_of("a-b.yaml", Kind::Event),
            Class::Entry(Entry {
                kind: Kind::Event,
                id: "a-b".into(),
                path: PathBuf::from("events/2025/a-b.yaml"),
            })
        );
        assert!(matches!(
            entry_of(".a.yaml.swp", Kind::Event),
            Class::Ignored(_)
        ));
        assert!(matches!(
            entry_of("notes.md", Kind::Event),
            Class::Ignored(_)
        ));
        let Class::Problem(d) = entry_of("a.yml", Kind::Event) else {
            panic!("a .yml file is refused")
        };
        assert_eq!(d.help.as_deref(), Some("rename it to `a.yaml`"));
        let Class::Problem(d) = entry_of("Été.yaml", Kind::Actor) else {
            panic!("an invalid id is refused")
        };
        assert!(d.message.contains("`É` (U+00C9)"), "{}", d.message);
    }

    #[test]
    fn an_extension_written_twice_is_refused_with_the_name_to_give() {
        let Class::Problem(d) = entry_of("a-b.yaml.yaml", Kind::Event) else {
            panic!("`a-b.yaml.yaml` is not the event `a-b`")
        };
        assert_eq!(
            d.message,
            "`a-b.yaml.yaml` has its extension twice, so its id `a-b.yaml` contains a `.`"
        );
        assert_eq!(d.help.as_deref(), Some("rename the file to `a-b.yaml`"));
    }

    #[test]
    fn discover_lists_sorted_entries_and_keeps_the_first_of_an_id() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for (path, text) in [
            ("events/2025/b.yaml", "x"),
            ("events/2024/b.yaml", "x"),
            ("events/2025/a.yaml.yaml", "x"),
            ("events/actors/jnim.yaml", "x"),
            ("events/README.md", "x"),
        ] {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let layout = discover(root);
        assert!(layout.found);
        let ids: Vec<(&str, &Path)> = layout
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.path.as_path()))
            .collect();
        assert_eq!(
            ids,
            [
                ("b", Path::new("events/2024/b.yaml")),
                ("jnim", Path::new("events/actors/jnim.yaml")),
            ]
        );
        let messages: Vec<&str> = layout
            .report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("extension twice")));
        assert!(messages.contains(&"the id `b` is used twice"));
        assert!(layout.known.events.contains("b"));
        assert!(!layout.known.events.contains("a"));
        assert_eq!(layout.listing.len(), 8, "{:?}", layout.listing);
    }
}
