//! Where rendered files go: the sink a build streams into (`write` stages them on
//! disk), memory for tests and `serve`, or a language's folder of another sink.

use crate::error::Error;
use crate::write::Site;
use std::sync::Mutex;

/// Where rendered files go: the staging folder of a build, or memory. Called from
/// several threads at once; the order of calls is not the order of the site.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error>;

    /// Writes the file at `path` from pieces made one after the other, for files too
    /// large to hold whole (`data/events.json`); by default they are joined and `put`.
    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), Error> {
        let bytes = pieces.fold(Vec::new(), |mut all, p| {
            all.extend_from_slice(&p);
            all
        });
        self.put(path, bytes)
    }
}

/// A sink that keeps the site in memory, for tests and small tools.
#[derive(Default)]
pub struct MemorySink(Mutex<Site>);

impl MemorySink {
    pub fn into_site(self) -> Site {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        let mut site = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if site.insert(path.to_string(), bytes).is_some() {
            return Err(Error::new(format!(
                "two files of the site are named `{path}`"
            )));
        }
        Ok(())
    }
}

/// Puts the files of one language's tree under its folder.
pub(crate) struct Prefixed<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.inner.put(&format!("{}{path}", self.prefix), bytes)
    }
}
