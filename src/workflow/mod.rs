//! The editor's workflow around `check` and `build`: `init` (a new chronology),
//! `new` (an event, actor or location file from flags or questions), and `schema`
//! (the JSON Schema of the files, for editors' tools).

use crate::error::Error;

pub mod init;
pub mod new;
pub mod prompt;
pub mod schema;

/// Writes `text` to a new file at `rel` under `root` (see [`crate::new_file::create`]),
/// creating the folders it needs, none of them through a link; an existing file, even
/// one created in the meantime, is never replaced.
pub fn write_new_file(
    root: &std::path::Path,
    rel: &std::path::Path,
    text: &str,
) -> Result<(), Error> {
    let path = root.join(rel);
    crate::new_file::create(root, &path, text.as_bytes()).map_err(|e| write_failure(&path, e))
}

/// The words of a failed write of `path`.
pub fn write_failure(path: &std::path::Path, e: crate::new_file::NewFileError) -> Error {
    use crate::new_file::NewFileError;
    match e {
        NewFileError::Folder(dir, e) => {
            Error::new(format!("could not create `{}`: {e}", dir.display()))
        }
        NewFileError::Link(at) => {
            let (message, help) = crate::new_file::link_message(&at);
            Error::new(message).help(help)
        }
        NewFileError::Exists(_) => Error::new(format!(
            "`{}` already exists; annalist never overwrites a file",
            path.display()
        ))
        .help("edit that file, or choose another id"),
        NewFileError::Create(e) => {
            Error::new(format!("could not create `{}`: {e}", path.display()))
        }
        NewFileError::Write(e) => Error::new(format!("could not write `{}`: {e}", path.display())),
    }
}
