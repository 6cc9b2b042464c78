//! Writing files into a chronology: the one way `init`, `new`, `import` and `schema
//! --write` add or replace files, never following a symbolic link out of the tree.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Why a file was not written; each command words it in its own error.
#[derive(Debug)]
pub enum NewFileError {
    /// A folder on the way could not be created.
    Folder(PathBuf, io::Error),
    /// A folder on the way, or the file itself, is a symbolic link (or a folder on
    /// the way is a file): writing there would write outside the chronology.
    Link(PathBuf),
    /// Something is already at the path: a file, a folder or a symbolic link.
    Exists(io::Error),
    /// The file could not be created.
    Create(io::Error),
    /// The file was created but not written; it has been removed again.
    Write(io::Error),
}

/// Writes `bytes` to a new file at `path` under `root`, creating the folders it needs.
/// Every folder between `root` and the file must be a real folder: a linked year folder
/// would make `create_dir_all` and `open` follow the link out of the chronology (the
/// root itself may be a link: it is where the editor chose to work). It never replaces
/// anything: the file is opened with `create_new` (`O_EXCL`), which also refuses a file
/// created in the meantime and a symbolic link, even a dangling one. A file left
/// half-written by a failed write is removed, so a failure leaves nothing behind.
pub fn create(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), NewFileError> {
    real_folders(root, path)?;
    let mut file = open_new(path)?;
    if let Err(e) = file.write_all(bytes) {
        // Only this call created the file: removing it cannot lose anyone's work.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(NewFileError::Write(e));
    }
    Ok(())
}

/// Replaces (or creates) the file at `path` under `root` with `bytes`: written to a new
/// temporary file beside it, created with `create_new` so that a link planted at the
/// temporary name is never followed, then renamed over `path`, so that a failure never
/// leaves half a file. A symbolic link at `path` is refused rather than replaced: it was
/// put there on purpose, and its target is outside what annalist may write.
pub fn replace(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), NewFileError> {
    real_folders(root, path)?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
        return Err(NewFileError::Link(path.to_path_buf()));
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let dir = path.parent().unwrap_or(Path::new(""));
    // A name of this process; a leftover of a killed run is taken by the next try.
    let mut tries = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{name}.annalist-{}-{tries}.tmp",
            std::process::id()
        ));
        match open_new(&tmp) {
            Ok(file) => break (tmp, file),
            Err(NewFileError::Exists(_)) if tries < 16 => tries += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(NewFileError::Write(e));
    }
    Ok(())
}

fn open_new(path: &Path) -> Result<std::fs::File, NewFileError> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => NewFileError::Exists(e),
            _ => NewFileError::Create(e),
        })
}

/// Makes sure every folder from `root` to the folder of `path` is a real folder,
/// creating the missing ones one at a time (never through a link), and the root if it
/// is missing. A `path` outside `root` has only its own folder created.
fn real_folders(root: &Path, path: &Path) -> Result<(), NewFileError> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    let (mut at, rel) = match dir.strip_prefix(root) {
        Ok(rel) => (root.to_path_buf(), rel),
        Err(_) => {
            return std::fs::create_dir_all(dir)
                .map_err(|e| NewFileError::Folder(dir.to_path_buf(), e));
        }
    };
    // The root may be a link, and may not exist yet (`init`).
    if !root.as_os_str().is_empty() && !root.is_dir() {
        std::fs::create_dir_all(root).map_err(|e| NewFileError::Folder(root.to_path_buf(), e))?;
    }
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(NewFileError::Link(at)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // `create_dir` never follows a link: one made in the meantime fails it.
                std::fs::create_dir(&at).map_err(|e| NewFileError::Folder(at.clone(), e))?;
            }
            Err(e) => return Err(NewFileError::Folder(at, e)),
        }
    }
    Ok(())
}

/// The words for a [`NewFileError::Link`] at `at`: what it is and what to do.
pub fn link_message(at: &Path) -> (String, String) {
    let what = if std::fs::symlink_metadata(at).is_ok_and(|m| m.is_symlink()) {
        "a symbolic link"
    } else {
        "not a folder"
    };
    (
        format!(
            "`{}` is {what}; annalist does not write through links, which could lead out of the chronology",
            at.display()
        ),
        "replace the link with a real folder or file (move its contents in), then run the command again"
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_folders_and_never_replaces_a_file_or_a_link() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let path = tmp.path().join("a/b/new.yaml");
        create(tmp.path(), &path, b"one\n").expect("a new file");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\n");
        assert!(matches!(
            create(tmp.path(), &path, b"two\n"),
            Err(NewFileError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\n");
        #[cfg(unix)]
        {
            let target = tmp.path().join("target.yaml");
            let link = tmp.path().join("link.yaml");
            std::os::unix::fs::symlink(&target, &link).expect("a dangling link");
            assert!(matches!(
                create(tmp.path(), &link, b"x"),
                Err(NewFileError::Exists(_))
            ));
            assert!(!target.exists(), "nothing written through the link");
        }
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_linked_folder() {
        let root = tempfile::tempdir().expect("temporary folder");
        let outside = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir(root.path().join("events")).expect("mkdir");
        let year = root.path().join("events/2025");
        std::os::unix::fs::symlink(outside.path(), &year).expect("a linked year");
        for write in [create, replace] {
            let e = write(root.path(), &year.join("x/a.yaml"), b"x").expect_err("a link");
            assert!(matches!(&e, NewFileError::Link(at) if *at == year), "{e:?}");
            let e = write(root.path(), &year.join("a.yaml"), b"x").expect_err("a link");
            assert!(matches!(&e, NewFileError::Link(at) if *at == year), "{e:?}");
        }
        assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
        let (message, _) = link_message(&year);
        assert!(message.contains("is a symbolic link"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn replace_refuses_a_linked_file_and_never_follows_a_planted_temporary_link() {
        let root = tempfile::tempdir().expect("temporary folder");
        let outside = tempfile::tempdir().expect("temporary folder");
        let secret = outside.path().join("secret");
        std::fs::write(&secret, "keep").expect("write");
        let path = root.path().join("schema/event.schema.json");
        std::fs::create_dir(root.path().join("schema")).expect("mkdir");
        std::os::unix::fs::symlink(&secret, &path).expect("a linked file");
        let e = replace(root.path(), &path, b"{}").expect_err("a link");
        assert!(matches!(&e, NewFileError::Link(at) if *at == path), "{e:?}");
        std::fs::remove_file(&path).expect("rm");
        // Links at every name `replace` may try for its temporary file.
        for tries in 0..17 {
            let tmp = root.path().join(format!(
                "schema/.event.schema.json.annalist-{}-{tries}.tmp",
                std::process::id()
            ));
            std::os::unix::fs::symlink(&secret, &tmp).expect("a planted link");
        }
        assert!(replace(root.path(), &path, b"{}").is_err());
        assert_eq!(std::fs::read_to_string(&secret).expect("read"), "keep");
        std::fs::write(&path, "old").expect("write");
        for tries in 1..17 {
            let tmp = root.path().join(format!(
                "schema/.event.schema.json.annalist-{}-{tries}.tmp",
                std::process::id()
            ));
            std::fs::remove_file(tmp).expect("rm");
        }
        replace(root.path(), &path, b"{}").expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{}");
        assert_eq!(std::fs::read_to_string(&secret).expect("read"), "keep");
    }
}
