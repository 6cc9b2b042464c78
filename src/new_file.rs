//! Creating a file that must not exist yet: the one way `init`, `new` and `import` add
//! files to a chronology, which never replaces what an editor has.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Why a new file was not written; each command words it in its own error.
#[derive(Debug)]
pub enum NewFileError {
    /// A folder on the way could not be created.
    Folder(PathBuf, io::Error),
    /// Something is already at the path: a file, a folder or a symbolic link.
    Exists(io::Error),
    /// The file could not be created.
    Create(io::Error),
    /// The file was created but not written; it has been removed again.
    Write(io::Error),
}

/// Writes `bytes` to a new file at `path`, creating the folders it needs. It never
/// replaces anything: the file is opened with `create_new` (`O_EXCL`), which also
/// refuses a file created in the meantime and a symbolic link, even a dangling one,
/// so nothing is ever written through a link. A file left half-written by a failed
/// write is removed, so a failure leaves nothing behind.
pub fn create(path: &Path, bytes: &[u8]) -> Result<(), NewFileError> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| NewFileError::Folder(dir.to_path_buf(), e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => NewFileError::Exists(e),
            _ => NewFileError::Create(e),
        })?;
    if let Err(e) = file.write_all(bytes) {
        // Only this call created the file: removing it cannot lose anyone's work.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(NewFileError::Write(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_folders_and_never_replaces_a_file_or_a_link() {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let path = tmp.path().join("a/b/new.yaml");
        create(&path, b"one\n").expect("a new file");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\n");
        assert!(matches!(
            create(&path, b"two\n"),
            Err(NewFileError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\n");
        #[cfg(unix)]
        {
            let target = tmp.path().join("target.yaml");
            let link = tmp.path().join("link.yaml");
            std::os::unix::fs::symlink(&target, &link).expect("a dangling link");
            assert!(matches!(create(&link, b"x"), Err(NewFileError::Exists(_))));
            assert!(!target.exists(), "nothing written through the link");
        }
    }
}
