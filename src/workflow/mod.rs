//! The editor's workflow around `check` and `build`: `init` (a new chronology),
//! `new` (an event, actor or location file from flags or questions), and `schema`
//! (the JSON Schema of the files, for editors' tools).

pub mod init;
pub mod new;
pub mod prompt;
pub mod schema;

/// Why a workflow command did nothing: what happened and how to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

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
