//! The editor's workflow around `check` and `build`: `init` (a new chronology),
//! `new` (an event, actor or location file from flags or questions), and `schema`
//! (the JSON Schema of the files, for editors' tools).

pub mod init;
pub mod new;
pub mod prompt;
pub mod schema;

/// Why a workflow command did nothing: what happened and how to go on.
pub use crate::error::Error as Failure;

/// Writes `text` to a new file at `path` (see [`crate::new_file::create`]), creating
/// the folders it needs; an existing file, even one created in the meantime, is never
/// replaced.
pub fn write_new_file(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use crate::new_file::{NewFileError, create};
    create(path, text.as_bytes()).map_err(|e| match e {
        NewFileError::Folder(dir, e) => {
            Failure::new(format!("could not create `{}`: {e}", dir.display()))
        }
        NewFileError::Exists(_) => Failure::new(format!(
            "`{}` already exists; annalist never overwrites a file",
            path.display()
        ))
        .help("edit that file, or choose another id"),
        NewFileError::Create(e) => {
            Failure::new(format!("could not create `{}`: {e}", path.display()))
        }
        NewFileError::Write(e) => {
            Failure::new(format!("could not write `{}`: {e}", path.display()))
        }
    })
}
