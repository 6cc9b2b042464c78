//! The editor's workflow around `check` and `build`: `init` (a new chronology),
//! `new` (an event, actor or location file from flags or questions), and `schema`
//! (the JSON Schema of the files, for editors' tools).

pub mod init;
pub mod new;
pub mod prompt;
pub mod schema;
pub mod yaml;

/// Why a workflow command did nothing: what happened and how to go on.
pub use crate::error::Error as Failure;

/// Writes `text` to `path`, never replacing a file that exists (even one created in
/// the meantime), creating the folders it needs.
pub fn write_new_file(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::new(format!("could not create `{}`: {e}", parent.display())))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::new(format!(
                    "`{}` already exists; annalist never overwrites a file",
                    path.display()
                ))
                .help("edit that file, or choose another id")
            } else {
                Failure::new(format!("could not create `{}`: {e}", path.display()))
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Failure::new(format!("could not write `{}`: {e}", path.display())))
}
