//! Writing the rendered site to disk: the only module that touches the output folder.

use std::collections::{BTreeMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The rendered site: relative path (forward slashes, no `..`, no leading `/`) -> bytes.
/// A `BTreeMap` so that files are always written in the same order.
pub type Site = BTreeMap<String, Vec<u8>>;

/// File written at the top of every output annalist creates, so that a later build knows
/// the folder is its own and may be replaced as a whole.
pub const MARKER: &str = ".annalist-site";

/// What the marker says, for a person who finds it; fixed, so builds are reproducible.
const MARKER_TEXT: &str = "This folder was made by annalist. Each `annalist build` deletes and \
rewrites it as a whole,\nso do not keep your own files here.\n";

/// Why the site could not be written, with a hint on what to do instead.
pub use crate::error::Error as WriteError;

/// What `publish` wrote, for the closing summary line. Counts the site's files only,
/// not the marker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Whether `dir` was made by annalist, i.e. holds the marker as a regular file; only such
/// folders (or empty ones) may be replaced.
pub fn is_annalist_output(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Checks `output` is a safe place to write the site of the chronology at `root`, before
/// any rendering, so a mistyped `--output` fails fast instead of after a long build.
pub fn check_output(root: &Path, output: &Path) -> Result<(), WriteError> {
    check_output_with_home(root, output, env_home().as_deref()).map(|_| ())
}

/// Writes `site` to `output` atomically: builds into a staging folder beside `output`,
/// then swaps it in, so readers never see a half-written site and a failed build leaves
/// the previous one untouched.
pub fn publish(root: &Path, output: &Path, site: &Site) -> Result<WriteStats, WriteError> {
    publish_with_home(root, output, site, env_home().as_deref())
}

/// The user's home folder from `$HOME`; an empty value means none.
fn env_home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `check_output` with the home folder as a parameter, so tests need not change `$HOME`.
/// Returns the resolved output path, which is what `publish` then works on: checks and
/// writes must concern the same folder, even when `output` is a symlink.
fn check_output_with_home(
    root: &Path,
    output: &Path,
    home: Option<&Path>,
) -> Result<PathBuf, WriteError> {
    let resolved = resolve(output).map_err(|e| e.help(suggestion(root, None)))?;
    let refuse = |why: String| refusal(root, output, &resolved, &why);

    if resolved.parent().is_none() {
        return Err(refuse("it is the root of the file system".into()));
    }
    if let Some(home) = home {
        // A home folder that cannot be resolved is still compared as written.
        let home = resolve(home).unwrap_or_else(|_| home.to_path_buf());
        if resolved == home {
            return Err(refuse("it is your home folder".into()));
        }
        if home.starts_with(&resolved) {
            return Err(refuse(format!(
                "it contains your home folder `{}`",
                home.display()
            )));
        }
    }
    let root_resolved = resolve(root)?;
    if resolved == root_resolved {
        return Err(refuse("it is the chronology folder itself".into()));
    }
    if root_resolved.starts_with(&resolved) {
        return Err(refuse(format!(
            "it contains the chronology `{}`",
            root_resolved.display()
        )));
    }
    for sub in ["events", "templates"] {
        // Resolved on its own in case `events/` is itself a symlink elsewhere.
        let sub_resolved = resolve(&root_resolved.join(sub))?;
        if resolved.starts_with(&sub_resolved) {
            return Err(refuse(format!(
                "it is in the chronology's `{sub}/` folder, which holds your sources"
            )));
        }
    }

    // `resolved` has no symlinks left, so this looks at the real thing.
    let meta = match fs::symlink_metadata(&resolved) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(resolved),
        Err(e) => return Err(WriteError::io("look at", &resolved, &e)),
    };
    if !meta.is_dir() {
        return Err(refuse("it is a file, not a folder".into()));
    }
    #[cfg(unix)]
    if let Some(parent) = resolved.parent() {
        use std::os::unix::fs::MetadataExt as _;
        let parent_dev = fs::metadata(parent)
            .map_err(|e| WriteError::io("look at", parent, &e))?
            .dev();
        if let Some(err) = mount_point_refusal(output, &resolved, meta.dev(), parent_dev) {
            return Err(err);
        }
    }
    if fs::symlink_metadata(resolved.join(".git")).is_ok() {
        return Err(refuse(
            "it holds a `.git` entry, so it is a git repository".into(),
        ));
    }
    if is_annalist_output(&resolved) {
        return Ok(resolved);
    }
    let entries =
        fs::read_dir(&resolved).map_err(|e| WriteError::io("list the folder", &resolved, &e))?;
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if !names.is_empty() {
        names.sort();
        let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
        let more = if names.len() > 3 {
            format!(" and {} more", names.len() - 3)
        } else {
            String::new()
        };
        return Err(WriteError::new(format!(
            "`{}`{} holds files annalist did not create ({}{more}); nothing in it was touched",
            shown_folder(output),
            resolved_note(output, &resolved),
            shown.join(", "),
        ))
        .help(format!(
            "pass a new or empty folder instead, or move those files away first; annalist only \
             replaces folders that hold its `{MARKER}` file"
        )));
    }
    Ok(resolved)
}

/// The refusal for an output folder on another device than its parent (`st_dev`), i.e.
/// a mount point: the final swap renames the output, which cannot be done to a mount
/// point, so it is refused before the build rather than failing after all of it. (A
/// bind mount of a folder of the same file system is not seen this way.)
fn mount_point_refusal(
    output: &Path,
    resolved: &Path,
    dev: u64,
    parent_dev: u64,
) -> Option<WriteError> {
    (dev != parent_dev).then(|| {
        WriteError::new(format!(
            "refusing to write the site to `{}`{}: it is a mount point (another file system \
             is mounted there), and annalist publishes by swapping the output with a new \
             folder beside it, which cannot be done to a mount point",
            shown_folder(output),
            resolved_note(output, resolved),
        ))
        .help(format!(
            "pass a folder inside it instead, such as `--output {}`",
            output.join("site").display()
        ))
    })
}

/// The refusal for an output that is one of the forbidden places.
fn refusal(root: &Path, output: &Path, resolved: &Path, why: &str) -> WriteError {
    WriteError::new(format!(
        "refusing to write the site to `{}`{}: {why}",
        shown_folder(output),
        resolved_note(output, resolved),
    ))
    .help(suggestion(root, Some(resolved)))
}

/// The help line of a refusal: a folder of its own inside the chronology, unless that is
/// the very folder being refused.
fn suggestion(root: &Path, refused: Option<&Path>) -> String {
    let site = root.join("site");
    let same = refused.is_some_and(|r| resolve(&site).is_ok_and(|s| s == r));
    let pick = if same { root.join("public") } else { site };
    format!(
        "pass a new folder of its own instead, such as `--output {}`",
        pick.display()
    )
}

/// The output as the user wrote it, with a trailing `/` to show it is taken as a folder.
fn shown_folder(output: &Path) -> String {
    let s = output.display().to_string();
    if s.ends_with('/') { s } else { format!("{s}/") }
}

/// ` (`/real/path`)` when the output as written differs from where it really leads, so a
/// symlink or `..` does not hide what was refused.
fn resolved_note(output: &Path, resolved: &Path) -> String {
    if output == resolved {
        String::new()
    } else {
        format!(" (`{}`)", resolved.display())
    }
}

/// Makes `path` absolute and free of symlinks, `.` and `..`: the longest existing part is
/// canonicalized component by component and the rest appended, so a folder that does not
/// exist yet can still be checked.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| WriteError::new(format!("could not read the current folder: {e}")))?;
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component.as_os_str()),
            Component::CurDir => {}
            // Safe to pop lexically: `out` is either canonical or does not exist.
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                let candidate = out.join(name);
                match fs::symlink_metadata(&candidate) {
                    Ok(_) => {
                        out = fs::canonicalize(&candidate).map_err(|e| {
                            if e.kind() == io::ErrorKind::NotFound {
                                WriteError::new(format!(
                                    "`{}` leads through `{}`, a symbolic link to something \
                                     that does not exist",
                                    path.display(),
                                    candidate.display()
                                ))
                            } else {
                                WriteError::io("resolve", &candidate, &e)
                            }
                        })?;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => out = candidate,
                    Err(e) => return Err(WriteError::io("look at", &candidate, &e)),
                }
            }
        }
    }
    Ok(out)
}

/// `publish` with the home folder as a parameter, for tests.
fn publish_with_home(
    root: &Path,
    output: &Path,
    site: &Site,
    home: Option<&Path>,
) -> Result<WriteStats, WriteError> {
    check_output_with_home(root, output, home)?;
    // Every name is checked before anything is written.
    for key in site.keys() {
        check_key(key)?;
    }
    let staging = Staging::begin_with_home(root, output, home)?;
    for (key, bytes) in site {
        staging.write(key, bytes)?;
    }
    staging.commit()
}

/// Refuses a site path that could escape the staging folder or be read differently on
/// another system. A failure here is a bug in rendering, not in the user's data.
fn check_key(key: &str) -> Result<(), WriteError> {
    let parts = || key.split('/');
    let why = if key.is_empty() {
        Some("it is empty")
    } else if key.starts_with('/') {
        Some("it is absolute")
    } else if key.contains('\\') {
        Some("it contains a backslash")
    } else if key.contains('\0') {
        Some("it contains a NUL character")
    } else if parts().any(|p| p == "..") {
        Some("it contains `..`")
    } else if parts().any(|p| p.is_empty() || p == ".") {
        Some("it has an empty or `.` part")
    } else if parts().next() == Some(MARKER) {
        Some("annalist keeps that name for its marker")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(WriteError::new(format!(
            "the rendered site has a file named \"{}\", which annalist will not write: {why}",
            key.escape_debug()
        ))
        .help("this is a bug in annalist or a template; the previous output was left as it was")),
    }
}

/// `.{name}.annalist-{kind}-{pid}`: hidden, beside the output, and recognisably ours.
fn sibling_name(name: &OsStr, kind: &str, pid: u32) -> OsString {
    let mut s = sibling_prefix(name, kind);
    s.push(pid.to_string());
    s
}

fn sibling_prefix(name: &OsStr, kind: &str) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".annalist-{kind}-"));
    s
}

/// `.{name}.annalist-lock`: the lock file of the output `name`, beside it.
fn lock_name(name: &OsStr) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(".annalist-lock");
    s
}

/// The advisory lock (`flock`) on one output, held from before the staging folder is
/// made until the swap and its cleanup are done, so that builds into one output run one
/// at a time. A second build fails at once, naming the one that holds the lock, instead
/// of waiting: two builds into one folder are a mistake to see (two CI jobs sharing a
/// workspace, a hook racing a manual build), and waiting could hang behind a stopped
/// process. The kernel releases the lock when its holder dies, however it dies: a lock
/// that can be taken proves that no live build is writing beside this output, whatever
/// process ids the dead ones had (a PID namespace repeats them).
struct OutputLock {
    path: PathBuf,
    _file: fs::File,
}

impl OutputLock {
    fn acquire(parent: &Path, name: &OsStr, shown: &Path) -> Result<OutputLock, WriteError> {
        let path = parent.join(lock_name(name));
        // The holder removes the file when it is done (while still holding it): a build
        // that opened the old file just before then locks a file nobody else will see,
        // so it checks that its file is still the one at `path`, and otherwise tries again.
        for _ in 0..100 {
            let file = open_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(held_elsewhere(&path, shown)),
                Err(fs::TryLockError::Error(e)) => {
                    return Err(WriteError::io("lock", &path, &e));
                }
            }
            if same_file(&file, &path) {
                // The process id is for the message of a build that finds the lock held;
                // it is never used to decide anything.
                let _ = file.set_len(0);
                let _ = (&file).write_all(format!("{}\n", std::process::id()).as_bytes());
                return Ok(OutputLock { path, _file: file });
            }
        }
        Err(WriteError::new(format!(
            "could not lock `{}`: it keeps being replaced",
            path.display()
        ))
        .help("another program is removing annalist's lock file; stop it and build again"))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held (the file is closed after this), so the folder is
        // left as clean as before the build; see `acquire` for why that is safe.
        let _ = fs::remove_file(&self.path);
    }
}

/// Opens (or creates) the lock file, never through a symbolic link.
fn open_lock_file(path: &Path) -> Result<fs::File, WriteError> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|e| {
        let parent = path.parent().unwrap_or(path);
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return WriteError::new(format!(
                "`{}` is a symbolic link; annalist does not write through one",
                path.display()
            ))
            .help("remove that link: it is the name of annalist's lock file for this output");
        }
        let err = WriteError::io("create the lock file", path, &e);
        match e.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                err.help(not_writable_help(parent))
            }
            _ => err,
        }
    })
}

/// Whether the open `file` is still the file at `path`.
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
    }
}

/// The refusal when another build holds the output's lock, naming that build's process
/// as it wrote it in the lock file (it may not have yet).
fn held_elsewhere(lock: &Path, shown: &Path) -> WriteError {
    let pid = fs::read_to_string(lock)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok());
    let who = match pid {
        Some(pid) => format!("another annalist build (process {pid})"),
        None => "another annalist build".to_string(),
    };
    WriteError::new(format!(
        "{who} is writing the site to `{}` right now; this build stopped before changing anything",
        shown_folder(shown)
    ))
    .help(format!(
        "builds into one output run one at a time: wait for that one to finish (or stop it) \
         and build again, or pass another `--output`; the lock is `{}`",
        lock.display()
    ))
}

/// The help for an output whose parent folder cannot be written.
fn not_writable_help(parent: &Path) -> String {
    format!(
        "annalist builds the new site in a folder beside the output and then swaps the two, so \
         it must be able to create files in `{}`; make that folder writable, or pass an \
         `--output` in a writable place",
        parent.display()
    )
}

/// Removes staging and old folders left by earlier builds of this output that were
/// killed. Called with the output's lock held: no live build is writing any of them.
/// Only real folders that hold the marker (or are empty) are removed: anything else
/// with a similar name is not ours. A folder half-removed by a build killed while
/// cleaning up still holds its marker, which `remove_site_folder` deletes last.
fn remove_leftovers(parent: &Path, name: &OsStr) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !is_leftover_name(&entry.file_name(), name) {
            continue;
        }
        let path = entry.path();
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            let _ = remove_site_folder(&path);
        }
    }
}

/// When the output is missing but a whole previous site waits beside it (a build
/// killed between the two renames of the fallback swap), puts that site back. Called
/// with the output's lock held.
fn restore_moved_aside(parent: &Path, name: &OsStr, target: &Path) {
    if fs::symlink_metadata(target).is_ok() {
        return;
    }
    let prefix = sibling_prefix(name, "old");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let is_old = file_name
            .as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
            .is_some_and(|rest| !rest.is_empty() && rest.iter().all(u8::is_ascii_digit));
        let path = entry.path();
        if is_old
            && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir())
            && is_annalist_output(&path)
            && fs::rename(&path, target).is_ok()
        {
            return;
        }
    }
}

/// Removes a folder annalist made (a staging folder, or a site moved aside): everything
/// but its top-level marker first, the marker last, so that a removal cut short by a kill
/// leaves a folder the next build still recognises as its own. An empty folder is
/// removed too (a build killed before it wrote the marker); anything else is left.
fn remove_site_folder(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    if !is_annalist_output(dir) {
        return fs::remove_dir(dir);
    }
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_name() == MARKER {
            Ok(())
        } else if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_file(dir.join(MARKER))?;
    fs::remove_dir(dir)
}

/// Whether `entry` is `.{name}.annalist-staging-{digits}` or `.{name}.annalist-old-{digits}`.
fn is_leftover_name(entry: &OsStr, name: &OsStr) -> bool {
    ["staging", "old"].iter().any(|kind| {
        let prefix = sibling_prefix(name, kind);
        entry
            .as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
            .is_some_and(|rest| !rest.is_empty() && rest.iter().all(u8::is_ascii_digit))
    })
}

/// Creates the folders of `key` inside staging that `known` does not already hold, and
/// returns the path of the file. Remembering the folders made saves a `stat` per folder
/// per file: at 100,000 events that is about 300,000 system calls.
fn prepare_dirs(
    staging: &Path,
    known: &Mutex<HashSet<String>>,
    key: &str,
) -> Result<PathBuf, WriteError> {
    let path = staging.join(key);
    let Some((dir, _)) = key.rsplit_once('/') else {
        return Ok(path);
    };
    let lock = || known.lock().unwrap_or_else(|e| e.into_inner());
    if lock().contains(dir) {
        return Ok(path);
    }
    let mut so_far = String::new();
    for part in dir.split('/') {
        if !so_far.is_empty() {
            so_far.push('/');
        }
        so_far.push_str(part);
        if lock().contains(so_far.as_str()) {
            continue;
        }
        ensure_dir(&staging.join(&so_far), &so_far, key)?;
        lock().insert(so_far.clone());
    }
    Ok(path)
}

/// Whether the file at `old` is a regular file holding exactly `bytes`. Anything that
/// cannot be read is taken as different.
fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(file) = fs::File::open(old) else {
        return false;
    };
    // One byte more than expected, to notice a file that grew since `stat`.
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    match file.take(bytes.len() as u64 + 1).read_to_end(&mut buf) {
        Ok(_) => buf == bytes,
        Err(_) => false,
    }
}

/// A site being written file by file, from several threads, into a staging folder that
/// replaces the output only on `commit`. Pages are written as they are rendered, so a
/// large site never has to fit in memory; dropping it without `commit` (an error, a
/// panic) removes the staging folder and leaves the previous output untouched.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// The site being replaced, when it is annalist's: its files that come out the same
    /// are hard-linked into staging instead of written again (see `write`).
    previous: Option<PathBuf>,
    /// Folders already made inside staging (relative, `/`-separated).
    dirs: Mutex<HashSet<String>>,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
    reused: std::sync::atomic::AtomicUsize,
    committed: bool,
    /// Declared last, so it is released after `drop` has removed the staging folder.
    _lock: OutputLock,
}

impl Staging {
    /// Checks `output` and creates the staging folder beside it.
    pub fn begin(root: &Path, output: &Path) -> Result<Staging, WriteError> {
        Staging::begin_with_home(root, output, env_home().as_deref())
    }

    fn begin_with_home(
        root: &Path,
        output: &Path,
        home: Option<&Path>,
    ) -> Result<Staging, WriteError> {
        let target = check_output_with_home(root, output, home)?;
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(WriteError::new(format!(
                "`{}` has no parent folder to build the site beside",
                target.display()
            )));
        };
        fs::create_dir_all(parent).map_err(|e| {
            let err = WriteError::io("create the folder", parent, &e);
            match e.kind() {
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                    err.help(not_writable_help(parent))
                }
                _ => err,
            }
        })?;
        let lock = OutputLock::acquire(parent, name, output)?;
        let pid = std::process::id();
        let staging = parent.join(sibling_name(name, "staging", pid));
        let old = parent.join(sibling_name(name, "old", pid));
        restore_moved_aside(parent, name, &target);
        remove_leftovers(parent, name);
        fs::create_dir(&staging).map_err(|e| {
            let err = WriteError::io("create the staging folder", &staging, &e);
            match e.kind() {
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                    err.help(not_writable_help(parent))
                }
                // Leftovers of annalist's own builds were removed just above.
                io::ErrorKind::AlreadyExists => err.help(
                    "something that is not annalist's has that name; move it away and build again",
                ),
                _ => err,
            }
        })?;
        let previous = is_annalist_output(&target).then(|| target.clone());
        let st = Staging {
            target,
            staging,
            old,
            previous,
            dirs: Default::default(),
            files: Default::default(),
            bytes: Default::default(),
            reused: Default::default(),
            committed: false,
            _lock: lock,
        };
        write_new(&st.staging.join(MARKER), MARKER_TEXT.as_bytes(), MARKER)?;
        Ok(st)
    }

    /// Writes one file of the site; safe to call from several threads at once.
    ///
    /// A file whose bytes are those of the same file in the previous site is hard-linked
    /// from it instead: a rebuild then writes only what changed, and removing the old
    /// site afterwards frees no file data, which is most of its cost on a disk that
    /// discards freed blocks. Both sites stay whole on their own: nothing is ever
    /// written through a link (`write_new` creates every file it writes), and the old
    /// one is untouched until the swap.
    pub fn write(&self, key: &str, bytes: &[u8]) -> Result<(), WriteError> {
        use std::sync::atomic::Ordering;
        check_key(key)?;
        let path = prepare_dirs(&self.staging, &self.dirs, key)?;
        let linked = self.previous.as_ref().is_some_and(|prev| {
            let old = prev.join(key);
            same_bytes(&old, bytes) && fs::hard_link(&old, &path).is_ok()
        });
        if linked {
            self.reused.fetch_add(1, Ordering::Relaxed);
        } else {
            write_new(&path, bytes, key)?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Swaps the finished site into place.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
        swap(&self.target, &self.staging, &self.old)?;
        self.committed = true;
        Ok(WriteStats {
            files: self.files.load(std::sync::atomic::Ordering::Relaxed),
            bytes: self.bytes.load(std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Writes one file of the site from pieces made one after the other, each written
    /// as it comes, so that a large file is never held whole in memory. Such a file is
    /// always written, never linked from the previous site.
    pub fn write_pieces(
        &self,
        key: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), WriteError> {
        use std::sync::atomic::Ordering;
        check_key(key)?;
        let path = prepare_dirs(&self.staging, &self.dirs, key)?;
        let mut file = create_new(&path, key)?;
        let mut written = 0u64;
        for piece in pieces {
            file.write_all(&piece)
                .map_err(|e| WriteError::new(format!("could not write `{key}`: {e}")))?;
            written += piece.len() as u64;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(written, Ordering::Relaxed);
        Ok(())
    }

    /// How many files so far were the same as in the previous site, and linked from it.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The folder the site will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && fs::symlink_metadata(&self.staging).is_ok() {
            let _ = remove_site_folder(&self.staging);
        }
    }
}

/// Creates one folder inside staging, refusing to go through anything that is not a
/// real folder (a file, or a symlink that would lead out of staging).
fn ensure_dir(path: &Path, so_far: &str, key: &str) -> Result<(), WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(WriteError::new(format!(
            "cannot write `{key}`: the site also has a file `{so_far}` where a folder is needed"
        ))
        .help("this is a bug in annalist or a template; the previous output was left as it was")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(path) {
            Ok(()) => Ok(()),
            // Another thread writing the same folder got there first.
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) =>
            {
                Ok(())
            }
            Err(e) => Err(WriteError::new(format!(
                "could not create folder `{so_far}`: {e}"
            ))),
        },
        Err(e) => Err(WriteError::new(format!(
            "could not look at folder `{so_far}`: {e}"
        ))),
    }
}

/// Writes a file that must not exist yet; `create_new` also refuses an existing symlink,
/// so nothing outside staging can be written through one.
fn write_new(path: &Path, bytes: &[u8], key: &str) -> Result<(), WriteError> {
    create_new(path, key)?
        .write_all(bytes)
        .map_err(|e| WriteError::new(format!("could not write `{key}`: {e}")))
}

/// Creates a file that must not exist yet (see `write_new`).
fn create_new(path: &Path, key: &str) -> Result<fs::File, WriteError> {
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    result.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            WriteError::new(format!(
                "cannot write `{key}`: another file of the site already has that name \
                 (perhaps differing only in case)"
            ))
            .help("this is a bug in annalist or a template; the previous output was left as it was")
        } else {
            WriteError::new(format!("could not write `{key}`: {e}"))
        }
    })
}

/// Removes the folder `dir` and everything in it, folders in parallel: on a disk that
/// discards freed blocks each removal waits for the device, and those waits overlap.
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Moves the finished staging folder into place, so that there is always a complete
/// site at `target`. Where the system can (Linux 3.15+, most local file systems), the two
/// folders are exchanged in one atomic step; elsewhere the old output is moved aside first
/// and put back if the second move fails, and a kill between the two moves leaves the
/// whole previous site beside the output, which the next build puts back
/// (`restore_moved_aside`). The previous site is removed afterwards, under the lock.
fn swap(target: &Path, staging: &Path, old: &Path) -> Result<(), WriteError> {
    let had_old = match fs::symlink_metadata(target) {
        Ok(_) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(WriteError::io("look at", target, &e)),
    };
    if !had_old {
        return fs::rename(staging, target)
            .map_err(|e| WriteError::io("move the new site to", target, &e));
    }
    match exchange(staging, target) {
        Ok(()) => {
            // `staging` now holds the previous site: annalist's or empty (checked).
            // A failure leaves it for the next build to clean up.
            let _ = remove_site_folder(staging);
            return Ok(());
        }
        Err(e) if exchange_unsupported(&e) => {}
        Err(e) => return Err(WriteError::io("swap the new site into", target, &e)),
    }
    if fs::symlink_metadata(old).is_ok() {
        return Err(WriteError::new(format!(
            "cannot move the previous site aside: `{}` is in the way",
            old.display()
        ))
        .help("something that is not annalist's has that name; move it away and build again"));
    }
    fs::rename(target, old).map_err(|e| WriteError::io("move aside", target, &e))?;
    if let Err(e) = fs::rename(staging, target) {
        let mut err = WriteError::io("move the new site to", target, &e);
        if let Err(back) = fs::rename(old, target) {
            err.message.push_str(&format!(
                "; the previous site could not be put back ({back}) and is now at `{}`",
                old.display()
            ));
        }
        return Err(err);
    }
    // Renamed to the staging name before removal, so that an `old` folder beside the
    // output always holds a whole site (the one `restore_moved_aside` may put back).
    let _ = fs::rename(old, staging).and_then(|()| remove_site_folder(staging));
    Ok(())
}

/// Exchanges two paths atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call; the system
    // call only reads them.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether `exchange` failed only because the system or file system cannot do it.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A unique temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(label: &str) -> Self {
            static COUNT: AtomicUsize = AtomicUsize::new(0);
            let n = COUNT.fetch_add(1, Ordering::SeqCst);
            let dir = std::env::temp_dir()
                .join(format!("annalist-write-{}-{n}-{label}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(fs::canonicalize(&dir).unwrap())
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// base/a/b/chron (with events/ and templates/) and base/home: deep enough that
    /// ROOT's ancestors up to base/a do not contain the home folder.
    struct Fixture {
        base: Scratch,
        root: PathBuf,
        home: PathBuf,
    }

    fn fixture(label: &str) -> Fixture {
        let base = Scratch::new(label);
        let root = base.0.join("a/b/chron");
        fs::create_dir_all(root.join("events")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        fs::write(root.join("events/e.yaml"), "title: x\n").unwrap();
        let home = base.0.join("home");
        fs::create_dir_all(&home).unwrap();
        Fixture { root, home, base }
    }

    impl Fixture {
        fn check(&self, output: &Path) -> Result<PathBuf, WriteError> {
            check_output_with_home(&self.root, output, Some(&self.home))
        }
        fn publish(&self, output: &Path, site: &Site) -> Result<WriteStats, WriteError> {
            publish_with_home(&self.root, output, site, Some(&self.home))
        }
    }

    fn site(files: &[(&str, &str)]) -> Site {
        files
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    /// Every file under `dir` (relative path -> bytes), to compare trees byte for byte.
    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let meta = fs::symlink_metadata(&path).unwrap();
                if meta.is_dir() {
                    out.insert(format!("{rel}/"), Vec::new());
                    walk(base, &path, out);
                } else {
                    out.insert(rel, fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    /// Names in `dir` that look like staging or old folders.
    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".annalist-"))
            .collect()
    }

    fn assert_refused(f: &Fixture, output: &Path, needle: &str) {
        let err = f.check(output).unwrap_err();
        assert!(
            err.message.contains(needle),
            "{output:?}: message {:?} lacks {needle:?}",
            err.message
        );
        assert!(err.help.is_some(), "{output:?}: no help line");
    }

    #[test]
    fn publish_into_fresh_nested_folder() {
        let f = fixture("fresh");
        let out = f.base.0.join("out/nested/site");
        let s = site(&[("index.html", "<h1>hi</h1>"), ("events/a.html", "a")]);
        let stats = f.publish(&out, &s).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                files: 2,
                bytes: 12
            }
        );
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"<h1>hi</h1>");
        assert_eq!(fs::read(out.join("events/a.html")).unwrap(), b"a");
        assert!(is_annalist_output(&out));
        assert!(leftovers(&f.base.0.join("out/nested")).is_empty());
    }

    #[test]
    fn publish_into_root_subfolder_and_empty_folder() {
        let f = fixture("inroot");
        let out = f.root.join("site");
        f.publish(&out, &site(&[("a.html", "a")])).unwrap();
        assert!(is_annalist_output(&out));
        let empty = f.base.0.join("empty");
        fs::create_dir(&empty).unwrap();
        f.publish(&empty, &site(&[("a.html", "a")])).unwrap();
        assert_eq!(fs::read(empty.join("a.html")).unwrap(), b"a");
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn publish_twice_replaces_and_drops_stale_files() {
        let f = fixture("twice");
        let out = f.base.0.join("site");
        let first = site(&[("index.html", "one"), ("old.html", "x"), ("a/b.html", "b")]);
        f.publish(&out, &first).unwrap();
        let second = site(&[("index.html", "two"), ("new.html", "n")]);
        f.publish(&out, &second).unwrap();
        let mut expected: BTreeMap<String, Vec<u8>> = second.clone();
        expected.insert(MARKER.into(), MARKER_TEXT.as_bytes().to_vec());
        assert_eq!(snapshot(&out), expected);
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn output_is_deterministic() {
        let f = fixture("determ");
        let s = site(&[("z.html", "z"), ("a/b/c.html", "c"), ("m.css", "m")]);
        let (one, two) = (f.base.0.join("one"), f.base.0.join("two"));
        f.publish(&one, &s).unwrap();
        f.publish(&two, &s).unwrap();
        assert_eq!(snapshot(&one), snapshot(&two));
    }

    #[test]
    fn foreign_folder_is_refused_and_untouched() {
        let f = fixture("foreign");
        let out = f.base.0.join("site");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), b"mine\x00\xff").unwrap();
        let before = snapshot(&out);
        let err = f.check(&out).unwrap_err();
        assert!(err.message.contains("holds files annalist did not create"));
        assert!(err.message.contains("site/"));
        assert!(err.help.as_deref().unwrap().contains(MARKER));
        let err = f.publish(&out, &site(&[("index.html", "x")])).unwrap_err();
        assert!(err.message.contains("did not create"));
        assert_eq!(snapshot(&out), before);
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn refuses_root_and_its_ancestors_via_dots() {
        let f = fixture("dots");
        assert_refused(&f, &f.root, "chronology folder itself");
        assert_refused(&f, &f.root.join("."), "chronology folder itself");
        assert_refused(&f, &f.root.join("events/.."), "chronology folder itself");
        // A missing folder followed by `..` still lands on ROOT.
        assert_refused(&f, &f.root.join("missing/.."), "chronology folder itself");
        assert_refused(&f, &f.root.join(".."), "contains the chronology");
        assert_refused(&f, &f.root.join("../.."), "contains the chronology");
    }

    #[test]
    fn refuses_relative_dot_and_dotdot() {
        // Read-only checks relative to the test's working folder.
        let err = check_output_with_home(Path::new("."), Path::new("."), None).unwrap_err();
        assert!(err.message.contains("`./`"), "{}", err.message);
        assert!(err.message.contains("chronology folder itself"));
        assert!(err.help.is_some());
        let err = check_output_with_home(Path::new("."), Path::new(".."), None).unwrap_err();
        assert!(err.message.contains("contains the chronology"));
    }

    #[test]
    fn refuses_sources() {
        let f = fixture("sources");
        assert_refused(&f, &f.root.join("events"), "`events/`");
        assert_refused(&f, &f.root.join("events/out"), "`events/`");
        assert_refused(&f, &f.root.join("templates"), "`templates/`");
        assert_refused(&f, &f.root.join("templates/a/b"), "`templates/`");
        assert_eq!(
            fs::read(f.root.join("events/e.yaml")).unwrap(),
            b"title: x\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_to_forbidden_places() {
        use std::os::unix::fs::symlink;
        let f = fixture("symlink");
        let to_root = f.base.0.join("link-root");
        symlink(&f.root, &to_root).unwrap();
        let err = f.check(&to_root).unwrap_err();
        assert!(err.message.contains("chronology folder itself"));
        assert!(err.message.contains(&f.root.display().to_string()));
        let to_events = f.base.0.join("link-events");
        symlink(f.root.join("events"), &to_events).unwrap();
        assert_refused(&f, &to_events, "`events/`");
        assert_refused(&f, &to_events.join("x"), "`events/`");
        let to_home = f.base.0.join("link-home");
        symlink(&f.home, &to_home).unwrap();
        assert_refused(&f, &to_home, "home folder");
        let dangling = f.base.0.join("dangling");
        symlink(f.base.0.join("nowhere"), &dangling).unwrap();
        assert_refused(&f, &dangling, "does not exist");
        // publish refuses too, and writes nothing into ROOT.
        let before = snapshot(&f.root);
        assert!(f.publish(&to_root, &site(&[("x.html", "x")])).is_err());
        assert_eq!(snapshot(&f.root), before);
    }

    #[cfg(unix)]
    #[test]
    fn publishing_through_a_symlink_keeps_the_link() {
        use std::os::unix::fs::symlink;
        let f = fixture("via-link");
        let real = f.base.0.join("real");
        f.publish(&real, &site(&[("a.html", "1")])).unwrap();
        let link = f.base.0.join("link");
        symlink(&real, &link).unwrap();
        f.publish(&link, &site(&[("a.html", "2")])).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(real.join("a.html")).unwrap(), b"2");
    }

    #[test]
    fn refuses_git_repository() {
        let f = fixture("git");
        let repo = f.base.0.join("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        assert_refused(&f, &repo, "`.git`");
        // Even if annalist's marker is there too.
        fs::write(repo.join(MARKER), "").unwrap();
        assert_refused(&f, &repo, "`.git`");
        // A `.git` file (worktree or submodule) counts as well.
        let wt = f.base.0.join("worktree");
        fs::create_dir(&wt).unwrap();
        fs::write(wt.join(".git"), "gitdir: elsewhere\n").unwrap();
        let before = snapshot(&wt);
        assert!(f.publish(&wt, &site(&[("a.html", "a")])).is_err());
        assert_eq!(snapshot(&wt), before);
    }

    #[test]
    fn refuses_filesystem_root() {
        let f = fixture("slash");
        let err = check_output_with_home(&f.root, Path::new("/"), None).unwrap_err();
        assert!(err.message.contains("root of the file system"));
        assert!(err.message.contains("`/`"));
        assert!(err.help.is_some());
        assert_refused(&f, Path::new("/tmp/.."), "root of the file system");
    }

    #[test]
    fn refuses_home_and_its_ancestors() {
        let f = fixture("home");
        assert_refused(&f, &f.home, "your home folder");
        assert_refused(&f, &f.base.0, "contains your home folder");
        assert_refused(&f, &f.home.join("sub/.."), "your home folder");
        // A new folder inside home is fine.
        assert!(f.check(&f.home.join("site")).is_ok());
    }

    #[test]
    fn refuses_existing_file() {
        let f = fixture("file");
        let file = f.base.0.join("site");
        fs::write(&file, "precious").unwrap();
        assert_refused(&f, &file, "is a file");
        assert!(f.publish(&file, &site(&[("a.html", "a")])).is_err());
        assert_eq!(fs::read(&file).unwrap(), b"precious");
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn bad_keys_are_refused_and_previous_output_kept() {
        let f = fixture("keys");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("index.html", "good")])).unwrap();
        let before = snapshot(&out);
        for key in [
            "../x",
            "/etc/x",
            "a/../../x",
            "a\\b",
            "a\0b",
            "",
            "a//b",
            "./a",
            "a/",
            MARKER,
        ] {
            let mut s = site(&[("index.html", "bad")]);
            s.insert(key.to_string(), b"evil".to_vec());
            let err = f.publish(&out, &s).unwrap_err();
            assert!(err.message.contains("will not write"), "{key:?}: {err}");
            assert_eq!(snapshot(&out), before, "{key:?}");
            assert!(leftovers(&f.base.0).is_empty(), "{key:?}");
        }
        assert!(!f.base.0.join("x").exists());
    }

    #[test]
    fn failed_publish_leaves_previous_output_identical() {
        let f = fixture("failed");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("index.html", "v1"), ("b/c.html", "c")]))
            .unwrap();
        let before = snapshot(&out);
        // `a` as a file and `a/b` below it cannot both exist: fails while staging.
        let err = f
            .publish(
                &out,
                &site(&[("a", "file"), ("a/b", "x"), ("index.html", "v2")]),
            )
            .unwrap_err();
        assert!(err.message.contains("`a`"), "{}", err.message);
        assert_eq!(snapshot(&out), before);
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn a_rebuild_links_unchanged_files_and_keeps_the_old_site_whole() {
        use std::os::unix::fs::MetadataExt;
        let f = fixture("reuse");
        let out = f.base.0.join("site");
        let v1 = site(&[
            ("same.html", "same"),
            ("a/changed.html", "v1"),
            ("gone", "x"),
        ]);
        f.publish(&out, &v1).unwrap();
        let before = snapshot(&out);
        let staging = Staging::begin_with_home(&f.root, &out, Some(&f.home)).unwrap();
        staging.write("same.html", b"same").unwrap();
        staging.write("a/changed.html", b"v2").unwrap();
        staging.write("a/new.html", b"new").unwrap();
        assert_eq!(staging.reused(), 1);
        let inode = |p: &Path| fs::metadata(p).unwrap().ino();
        assert_eq!(
            inode(&staging.staging.join("same.html")),
            inode(&out.join("same.html"))
        );
        // A build that fails now (dropped before commit) leaves the old site as it was.
        drop(staging);
        assert_eq!(snapshot(&out), before);
        assert!(leftovers(&f.base.0).is_empty());
        // One that succeeds gives the same tree as a build from scratch.
        let v2 = site(&[
            ("same.html", "same"),
            ("a/changed.html", "v2"),
            ("a/new.html", "new"),
        ]);
        f.publish(&out, &v2).unwrap();
        let fresh = f.base.0.join("fresh");
        f.publish(&fresh, &v2).unwrap();
        assert_eq!(snapshot(&out), snapshot(&fresh));
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1);
    }

    #[test]
    fn stale_staging_removed_only_with_marker() {
        let f = fixture("stale");
        let ours = f.base.0.join(".site.annalist-staging-1");
        fs::create_dir(&ours).unwrap();
        fs::write(ours.join(MARKER), "").unwrap();
        let old_ours = f.base.0.join(".site.annalist-old-2");
        fs::create_dir(&old_ours).unwrap();
        fs::write(old_ours.join(MARKER), "").unwrap();
        let foreign = f.base.0.join(".site.annalist-staging-3");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "keep").unwrap();
        let other = f.base.0.join(".site.annalist-staging-x");
        fs::create_dir(&other).unwrap();
        fs::write(other.join(MARKER), "").unwrap();

        f.publish(&f.base.0.join("site"), &site(&[("a.html", "a")]))
            .unwrap();
        assert!(!ours.exists());
        assert!(!old_ours.exists());
        assert_eq!(fs::read(foreign.join("keep.txt")).unwrap(), b"keep");
        assert!(other.exists());
    }

    #[test]
    fn a_second_build_into_a_locked_output_stops_and_touches_nothing() {
        let f = fixture("locked");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("index.html", "v1")])).unwrap();
        let first = Staging::begin_with_home(&f.root, &out, Some(&f.home)).unwrap();
        first.write("index.html", b"v2").unwrap();
        let before = snapshot(&f.base.0);
        let err = f.publish(&out, &site(&[("index.html", "v3")])).unwrap_err();
        assert!(
            err.message.contains(&format!(
                "another annalist build (process {})",
                std::process::id()
            )),
            "{}",
            err.message
        );
        assert!(err.help.as_deref().unwrap().contains(".site.annalist-lock"));
        // The live build's staging folder was not taken for a leftover.
        assert_eq!(snapshot(&f.base.0), before);
        first.commit().unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"v2");
        // Released and removed: the next build runs, and nothing is left beside.
        f.publish(&out, &site(&[("index.html", "v3")])).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"v3");
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn a_lock_left_by_a_killed_build_is_free() {
        // A killed build cannot remove its lock file; the kernel has released the lock.
        let f = fixture("deadlock");
        let out = f.base.0.join("site");
        fs::write(f.base.0.join(".site.annalist-lock"), "4194304\n").unwrap();
        f.publish(&out, &site(&[("a.html", "a")])).unwrap();
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_as_lock_file_is_refused_and_not_followed() {
        use std::os::unix::fs::symlink;
        let f = fixture("locklink");
        let victim = f.base.0.join("victim");
        symlink(&victim, f.base.0.join(".site.annalist-lock")).unwrap();
        let err = f
            .publish(&f.base.0.join("site"), &site(&[("a.html", "a")]))
            .unwrap_err();
        assert!(err.message.contains("symbolic link"), "{}", err.message);
        assert!(!victim.exists());
        assert!(!f.base.0.join("site").exists());
    }

    #[test]
    fn leftovers_half_removed_by_a_killed_cleanup_are_removed() {
        let f = fixture("halfgone");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("a.html", "a")])).unwrap();
        // What a kill during `remove_site_folder` leaves: some files gone, the marker
        // (removed last) still there; and one killed just after the marker went.
        let half = f.base.0.join(".site.annalist-staging-4194304");
        fs::create_dir_all(half.join("events/x")).unwrap();
        fs::write(half.join("events/x/b.html"), "b").unwrap();
        fs::write(half.join(MARKER), MARKER_TEXT).unwrap();
        let empty = f.base.0.join(".site.annalist-staging-4194305");
        fs::create_dir(&empty).unwrap();
        f.publish(&out, &site(&[("a.html", "a2")])).unwrap();
        assert!(leftovers(&f.base.0).is_empty());
    }

    /// Under a PID namespace a dead build may have had this very process id: its
    /// leftovers are recognised by the free lock, and do not block this build.
    #[test]
    fn leftovers_with_this_process_id_are_removed_too() {
        let f = fixture("samepid");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("a.html", "a")])).unwrap();
        let pid = std::process::id();
        for kind in ["staging", "old"] {
            let dead = f.base.0.join(format!(".site.annalist-{kind}-{pid}"));
            fs::create_dir(&dead).unwrap();
            fs::write(dead.join(MARKER), MARKER_TEXT).unwrap();
            fs::write(dead.join("a.html"), "dead").unwrap();
        }
        f.publish(&out, &site(&[("a.html", "b")])).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"b");
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_swap_is_put_back() {
        let f = fixture("restore");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("index.html", "v1"), ("a/b.html", "b")]))
            .unwrap();
        let before = snapshot(&out);
        // A kill between the two renames of the fallback swap: no output, the whole
        // previous site beside it.
        fs::rename(&out, f.base.0.join(".site.annalist-old-4194304")).unwrap();
        // Even a build that fails afterwards leaves the previous site in place.
        let staging = Staging::begin_with_home(&f.root, &out, Some(&f.home)).unwrap();
        drop(staging);
        assert_eq!(snapshot(&out), before);
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn swap_with_the_fallback_keeps_a_whole_site() {
        let f = fixture("fallback");
        let out = f.base.0.join("site");
        f.publish(&out, &site(&[("index.html", "v1")])).unwrap();
        let staging = f.base.0.join(".site.annalist-staging-1");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(staging.join("index.html"), "v2").unwrap();
        let old = f.base.0.join(".site.annalist-old-1");
        // The fallback is what runs where `exchange` is unsupported.
        assert!(exchange_unsupported(&io::ErrorKind::Unsupported.into()));
        swap(&out, &staging, &old).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"v2");
        assert!(leftovers(&f.base.0).is_empty());
    }

    #[test]
    fn a_mount_point_is_refused_with_a_folder_inside_it_as_help() {
        let out = Path::new("/mnt/usb");
        assert!(mount_point_refusal(out, out, 7, 7).is_none());
        let err = mount_point_refusal(out, out, 8, 7).unwrap();
        assert!(err.message.contains("`/mnt/usb/`"), "{}", err.message);
        assert!(err.message.contains("mount point"));
        assert!(err.help.unwrap().contains("--output /mnt/usb/site"));
    }

    /// With root and a tmpfs, the real thing: skipped where mounting is not permitted.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_mounted_output_is_refused_before_the_build() {
        let f = fixture("mounted");
        let out = f.base.0.join("site");
        fs::create_dir(&out).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: cannot mount a tmpfs here");
            return;
        }
        let result = f.check(&out);
        let _ = std::process::Command::new("umount").arg(&out).status();
        let err = result.unwrap_err();
        assert!(err.message.contains("mount point"), "{}", err.message);
    }

    #[test]
    fn a_read_only_parent_gets_help_about_the_parent() {
        let help = not_writable_help(Path::new("/srv/www"));
        assert!(help.contains("`/srv/www`") && help.contains("writable"));
        assert!(!help.contains("remove"));
    }

    #[test]
    fn marker_detection() {
        let s = Scratch::new("marker");
        assert!(!is_annalist_output(&s.0));
        fs::create_dir(s.0.join(MARKER)).unwrap();
        assert!(!is_annalist_output(&s.0), "a folder is not the marker");
        fs::remove_dir(s.0.join(MARKER)).unwrap();
        fs::write(s.0.join(MARKER), MARKER_TEXT).unwrap();
        assert!(is_annalist_output(&s.0));
        assert!(!is_annalist_output(&s.0.join("missing")));
    }

    #[test]
    fn error_displays_message() {
        let e = WriteError::new("boom").help("try again");
        assert_eq!(e.to_string(), "boom");
        let _: &dyn std::error::Error = &e;
    }
}
