//! `annalist serve`: builds the site into memory, serves it on 127.0.0.1, watches the
//! chronology and rebuilds when a file changes, and reloads the pages open in the
//! browser. While the input has errors, every page shows them instead of a stale site.
//!
//! Rebuilds are incremental where it is cheap to be exact: the files are found by
//! `layout` and parsed by `load` as for `build`; a file that did not change is not read
//! again (it is kept parsed, keyed by path; a file the watcher reports is read again,
//! and without a watcher a file is read again when its modification time or size
//! changed); the templates are compiled again only when they change, and git is asked
//! for history only when the commit or the set of files changes. The checks
//! (`check_loaded`, translations included), the index and the rendering run again on
//! the whole chronology, so that the result is always the same as `annalist build`
//! would give.
//!
//! The HTTP server is a small one on `std::net`: GET and HEAD, one request per
//! connection, paths looked up in the in-memory site only (nothing is ever read from
//! the disk on behalf of a request, so no path can reach outside the site). It answers
//! only requests naming its own address and not made by another site's page; what it
//! renders is kept within a byte budget; every request has a deadline, and slow
//! clients and reload streams are bounded apart, so that none of them keeps it from
//! answering (`Gate`).

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Report};
use crate::history::{self, History};
use crate::layout::{self, Entry, Kind, Layout};
use crate::load::{self, Loaded, Parsed};
use crate::render::{self, MemorySink, Templates};
use crate::span::Known;
use crate::write::Site;
use crate::{Timings, index};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// What `annalist serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The chronology folder (the one holding `events/`).
    pub root: PathBuf,
    /// The port on 127.0.0.1; the next free one is used when it is taken (0: any free port).
    pub port: u16,
    /// Print the time spent in each phase of every rebuild.
    pub timings: bool,
}

// ---------------------------------------------------------------------------------
// Incremental builds

/// Modification time and size: a file whose stamp is unchanged is not read again.
type Stamp = (Option<SystemTime>, u64);

/// What stands under `events/`, as `layout::discover` lists it: a change here means
/// files appeared, disappeared or were renamed, and the chronology is loaded again whole.
type Listing = Vec<(PathBuf, char)>;

/// A file the loader parses, and the stamp it had when it was parsed.
#[derive(Debug, Clone)]
struct Slot {
    kind: Kind,
    id: String,
    stamp: Stamp,
}

/// The chronology as last loaded, kept between rebuilds.
struct Cache {
    listing: Listing,
    loaded: Loaded,
    /// Problems about the layout (names, folders), which only a new listing changes.
    structural: Vec<Diagnostic>,
    /// The problems of each parsed file that failed.
    failures: BTreeMap<PathBuf, Vec<Diagnostic>>,
    slots: BTreeMap<PathBuf, Slot>,
}

/// Compiled templates with their interface strings.
struct Compiled {
    templates: Templates,
}

/// The result of a build: the site is ready to be rendered page by page
/// (`Engine::pages`), or the diagnostics are to be shown instead.
pub enum Outcome {
    Ready,
    /// The text of the problems (diagnostics with their source lines).
    Errors(String),
}

/// What one call to `Engine::rebuild` did.
pub struct Rebuild {
    /// Nothing changed since the last build: the outcome is `None`.
    pub outcome: Option<Outcome>,
    /// How many files were parsed again.
    pub reparsed: usize,
    /// Whether the whole chronology was loaded again.
    pub full: bool,
    /// The summary line, as `check` prints it.
    pub summary: String,
    /// The warnings and errors, rendered (empty when there are none).
    pub report: String,
    /// What the build could not know (no git history).
    pub notes: Vec<String>,
    pub timings: Timings,
}

/// Builds a chronology again and again, reusing what did not change.
pub struct Engine {
    root: PathBuf,
    /// `root`, absolute, to recognise the paths the watcher reports.
    root_abs: PathBuf,
    cache: Option<Cache>,
    config: Option<(Stamp, Result<Config, Vec<Diagnostic>>)>,
    /// The templates and strings, or why they could not be compiled, with what they
    /// were made from.
    compiled: Option<(TemplateKey, Result<Compiled, String>)>,
    /// History, with the commit and the listing generation it was read for.
    history: Option<(Option<String>, u64, History)>,
    /// Increases each time the set of files changes.
    generation: u64,
    /// Whether a build produced an outcome yet (a first build always does).
    built: bool,
    /// The settings of the last build without errors; `None` while there are errors.
    ready: Option<Config>,
}

type TemplateKey = (Vec<(PathBuf, Stamp)>, String);

impl Engine {
    pub fn new(root: &Path) -> Engine {
        Engine {
            root: root.to_path_buf(),
            root_abs: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            cache: None,
            config: None,
            compiled: None,
            history: None,
            generation: 0,
            built: false,
            ready: None,
        }
    }

    /// Builds the site, or tells that nothing changed since the last build. Looks at
    /// every file of the chronology.
    pub fn rebuild(&mut self) -> Rebuild {
        self.rebuild_with(None)
    }

    /// `rebuild`, when only `paths` (absolute, as a file watcher reports them) may
    /// have changed: only those are looked at, unless one of them appeared or
    /// disappeared, which calls for looking at everything.
    pub fn rebuild_paths(&mut self, paths: &[PathBuf]) -> Rebuild {
        self.rebuild_with(Some(paths))
    }

    fn rebuild_with(&mut self, paths: Option<&[PathBuf]>) -> Rebuild {
        let mut timings = Timings::default();
        let first = !self.built;
        let mut changed = first;
        let rel: Option<Vec<PathBuf>> = paths.map(|ps| {
            ps.iter()
                .map(|p| {
                    p.strip_prefix(&self.root_abs)
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|_| p.clone())
                })
                .collect()
        });
        let touches =
            |f: &dyn Fn(&Path) -> bool| rel.as_ref().is_none_or(|r| r.iter().any(|p| f(p)));

        // Settings.
        if touches(&|p| p == Path::new(config::FILE)) || self.config.is_none() {
            let config_stamp = stamp(&self.root.join(config::FILE));
            if self.config.as_ref().map(|(s, _)| *s) != Some(config_stamp) {
                self.config = Some((config_stamp, config::load(&self.root)));
                changed = true;
            }
        }

        // The files of the chronology: only those reported, when that is enough.
        let events_only: Option<Vec<PathBuf>> = rel.as_ref().map(|r| {
            r.iter()
                .filter(|p| p.starts_with("events"))
                .cloned()
                .collect()
        });
        let quick = match (&mut self.cache, &events_only) {
            (Some(cache), Some(ps)) => {
                let root = self.root.clone();
                timings.time("load", || cache.update_paths(&root, ps))
            }
            _ => None,
        };
        let (reparsed, full) = match quick {
            Some(n) => {
                changed |= n > 0;
                (n, false)
            }
            None => {
                let layout = timings.time("scan", || layout::discover(&self.root));
                match &mut self.cache {
                    Some(cache) if cache.listing == layout.listing => {
                        let root = self.root.clone();
                        let n = timings.time("load", || cache.update(&root, layout.listing));
                        changed |= n > 0;
                        (n, false)
                    }
                    _ => {
                        let cache = timings.time("load", || Cache::load(&self.root, layout));
                        let n = cache.slots.len();
                        self.cache = Some(cache);
                        self.generation += 1;
                        changed = true;
                        (n, true)
                    }
                }
            }
        };

        // Templates and interface strings.
        let language = match self.config.as_ref().map(|(_, c)| c) {
            Some(Ok(c)) => c.language.clone(),
            _ => Config::default().language,
        };
        let look = self.compiled.is_none()
            || touches(&|p| p.starts_with("templates") || p == Path::new("templates"))
            || self.compiled.as_ref().is_some_and(|(k, _)| k.1 != language);
        if look {
            let key = (template_stamps(&self.root), language.clone());
            if self.compiled.as_ref().map(|(k, _)| k) != Some(&key) {
                changed = true;
                let result = Templates::load(&self.root)
                    .map(|templates| Compiled { templates })
                    .map_err(|e| e.message);
                self.compiled = Some((key, result));
            }
        }

        // History from git, when the commit or the set of files changed.
        let head = git_head(&self.root);
        let Some(cache) = &self.cache else {
            unreachable!("the cache was filled above")
        };
        let stale = match &self.history {
            Some((h, g, _)) => *h != head || *g != self.generation,
            None => true,
        };
        if stale {
            let h = timings.time("history", || history::collect(&self.root, &cache.loaded));
            self.history = Some((head, self.generation, h));
            changed = true;
        }

        if !changed {
            return Rebuild {
                outcome: None,
                reparsed,
                full,
                summary: String::new(),
                report: String::new(),
                notes: Vec::new(),
                timings,
            };
        }
        self.built = true;
        self.ready = None;

        // Check, as `annalist check` does.
        let mut report = Report::default();
        let config = match self.config.as_ref().map(|(_, c)| c) {
            Some(Ok(c)) => c.clone(),
            Some(Err(ds)) => {
                report.extend(ds.clone());
                Config::default()
            }
            None => Config::default(),
        };
        report.extend(cache.structural.clone());
        for ds in cache.failures.values() {
            report.extend(ds.clone());
        }
        // The same checks as `annalist check`, translations included.
        timings.time("check", || {
            crate::check_loaded(&self.root, &config, &cache.loaded, &mut report)
        });
        report.sort();
        let summary = crate::summary(&cache.loaded, &report);
        // Rendering every warning reads its file again: only when it is shown.
        let rendered_report = if first || report.errors() > 0 {
            crate::render_report(&self.root, &report, false)
        } else {
            String::new()
        };
        let notes: Vec<String> = self
            .history
            .as_ref()
            .and_then(|(_, _, h)| h.unavailable.clone())
            .into_iter()
            .collect();
        let outcome = if report.errors() > 0 {
            Outcome::Errors(format!("{rendered_report}{summary}\n"))
        } else {
            match self.compiled.as_ref().map(|(_, c)| c) {
                Some(Ok(_)) => {
                    self.ready = Some(config);
                    Outcome::Ready
                }
                Some(Err(e)) => Outcome::Errors(format!("error: {e}\n")),
                None => Outcome::Errors("error: the templates could not be compiled\n".into()),
            }
        };
        Rebuild {
            outcome: Some(outcome),
            reparsed,
            full,
            summary,
            report: rendered_report,
            notes,
            timings,
        }
    }

    /// The site of the last build, to render page by page; `None` while the
    /// chronology has errors. Builds the cross-reference index.
    pub fn pages(&self) -> Option<Pages<'_>> {
        let config = self.ready.as_ref()?;
        let cache = self.cache.as_ref()?;
        let compiled = self.compiled.as_ref()?.1.as_ref().ok()?;
        Some(Pages {
            index: index::Index::build(&cache.loaded),
            config,
            templates: &compiled.templates,
            history: self.history.as_ref().map(|(_, _, h)| h),
            sizes: render::DataSizes::default(),
        })
    }
}

/// A built chronology, rendered one file at a time, as pages are asked for.
pub struct Pages<'a> {
    index: index::Index<'a>,
    config: &'a Config,
    templates: &'a Templates,
    history: Option<&'a History>,
    /// The data exports' sizes, measured by the first page asked for.
    sizes: render::DataSizes,
}

impl Pages<'_> {
    /// The file of the site at `path` (`events/x/index.html`), or `None` when there is
    /// no such file.
    pub fn render(&self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let none = History::none();
        let history = self.history.unwrap_or(&none);
        if path == SITEMAP {
            return self.sitemap();
        }
        let page = render::render_one(
            &self.index,
            self.config,
            self.templates,
            history,
            path,
            &self.sizes,
        )
        .map_err(|e| e.message)?;
        Ok(page.map(|p| self.local_not_found(path, p)))
    }

    /// Every file under the folder `dir` (`data/search/`, `fr/data/search/`), made
    /// together as a build makes them.
    pub fn render_folder(&self, dir: &str) -> Result<crate::write::Site, String> {
        let none = History::none();
        let history = self.history.unwrap_or(&none);
        render::render_folder(
            &self.index,
            self.config,
            self.templates,
            history,
            dir,
            &self.sizes,
        )
        .map_err(|e| e.message)
    }

    /// The 404 pages link from `base_url` (they are served at any depth), which is
    /// the published site: served here, they link from this server's root instead.
    fn local_not_found(&self, path: &str, page: Vec<u8>) -> Vec<u8> {
        let not_found = path.rsplit('/').next() == Some("404.html");
        match (&self.config.base_url, not_found) {
            (Some(base), true) => String::from_utf8_lossy(&page)
                .replace(&format!("\"{base}"), "\"/")
                .into_bytes(),
            _ => page,
        }
    }

    /// The sitemap (`None` without `base_url`). It lists every page: only a whole
    /// render knows them, so the site is rendered, every other file dropped as it
    /// comes rather than held.
    pub fn sitemap(&self) -> Result<Option<Vec<u8>>, String> {
        let none = History::none();
        let sink = KeepOne {
            path: SITEMAP,
            kept: Mutex::new(None),
        };
        render::render_with_history(
            &self.index,
            self.config,
            self.templates,
            self.history.unwrap_or(&none),
            &sink,
        )
        .map_err(|e| e.message)?;
        Ok(sink.kept.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Every file of the site, as `annalist build` would write it.
    pub fn render_all(&self) -> Result<Site, String> {
        let none = History::none();
        let sink = MemorySink::default();
        render::render_with_history(
            &self.index,
            self.config,
            self.templates,
            self.history.unwrap_or(&none),
            &sink,
        )
        .map_err(|e| e.message)?;
        Ok(sink.into_site())
    }
}

/// A sink that keeps one file of a render and drops the others.
struct KeepOne {
    path: &'static str,
    kept: Mutex<Option<Vec<u8>>>,
}

impl render::Sink for KeepOne {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), crate::error::Error> {
        if path == self.path {
            *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
        }
        Ok(())
    }

    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), crate::error::Error> {
        if path == self.path {
            return self.put(path, pieces.flatten().collect());
        }
        // Made and dropped piece by piece, never joined.
        pieces.for_each(drop);
        Ok(())
    }
}

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, u64::MAX),
    }
}

/// The stamps of every file under `ROOT/templates` (overrides and strings).
fn template_stamps(root: &Path) -> Vec<(PathBuf, Stamp)> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("templates")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if out.len() < 10_000 {
                    stack.push(p);
                }
            } else {
                let s = stamp(&p);
                out.push((p, s));
            }
        }
    }
    out.sort();
    out
}

impl Cache {
    /// Loads the whole chronology `layout` found, and learns which file holds what.
    fn load(root: &Path, mut layout: Layout) -> Cache {
        // Stamped before they are read: an edit made meanwhile is seen next time.
        use rayon::prelude::*;
        let slots: BTreeMap<PathBuf, Slot> = layout
            .entries
            .par_iter()
            .map(|e| {
                let slot = Slot {
                    kind: e.kind,
                    id: e.id.clone(),
                    stamp: stamp(&root.join(&e.path)),
                };
                (e.path.clone(), slot)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let mut loaded = load::load_layout(root, &mut layout, &|_| {}, &|| {});
        // Every problem of a parsed file keeps it out of the chronology until it changes.
        let mut failures: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in std::mem::take(&mut loaded.report.diagnostics) {
            failures.entry(d.file.clone()).or_default().push(d);
        }
        Cache {
            listing: layout.listing,
            loaded,
            structural: layout.report.diagnostics,
            failures,
            slots,
        }
    }

    /// Parses again the files whose stamp changed; the set of files is the same.
    /// Returns how many were parsed.
    fn update(&mut self, root: &Path, listing: Listing) -> usize {
        use rayon::prelude::*;
        let changed: Vec<(PathBuf, Stamp)> = self
            .slots
            .par_iter()
            .filter_map(|(p, s)| {
                let now = stamp(&root.join(p));
                (now != s.stamp).then(|| (p.clone(), now))
            })
            .collect();
        self.listing = listing;
        self.reparse(root, changed)
    }

    /// Parses again those of `paths` (relative to the root), or returns `None` when one
    /// of them is not a file known to be parsed (it appeared, disappeared or changed
    /// kind): then the whole listing must be looked at. A path the watcher reported is
    /// read again even when its stamp is the same: an edit that keeps the size within
    /// one tick of the clock keeps the stamp too.
    fn update_paths(&mut self, root: &Path, paths: &[PathBuf]) -> Option<usize> {
        let mut changed: Vec<(PathBuf, Stamp)> = Vec::new();
        for p in paths {
            if p == Path::new("events") {
                continue;
            }
            let ignored = p.components().count() == 3
                && p.file_name()
                    .is_some_and(|n| layout::hidden(&n.to_string_lossy()));
            if ignored {
                // Editors' swap and lock files, which the layout skips.
                continue;
            }
            self.slots.get(p)?;
            let meta = std::fs::symlink_metadata(root.join(p)).ok()?;
            if !meta.is_file() {
                return None;
            }
            changed.push((p.clone(), (meta.modified().ok(), meta.len())));
        }
        changed.sort();
        changed.dedup_by(|a, b| a.0 == b.0);
        Some(self.reparse(root, changed))
    }

    /// Parses `changed` files again and records their new stamps.
    fn reparse(&mut self, root: &Path, changed: Vec<(PathBuf, Stamp)>) -> usize {
        let known: Arc<Known> = Arc::clone(&self.loaded.known);
        use rayon::prelude::*;
        let parsed: Vec<(PathBuf, Stamp, Result<Parsed, Vec<Diagnostic>>)> = changed
            .par_iter()
            .filter_map(|(p, now)| {
                let slot = self.slots.get(p)?;
                let entry = Entry {
                    kind: slot.kind,
                    id: slot.id.clone(),
                    path: p.clone(),
                };
                Some((p.clone(), *now, load::read_entry(root, &entry, &known)))
            })
            .collect();
        let n = parsed.len();
        for (path, now, result) in parsed {
            let Some(slot) = self.slots.get_mut(&path) else {
                continue;
            };
            slot.stamp = now;
            let (kind, id) = (slot.kind, slot.id.clone());
            self.loaded.remove(kind, &path, &id);
            match result {
                Ok(p) => {
                    self.failures.remove(&path);
                    self.loaded.insert(p, path, id);
                }
                Err(ds) => {
                    self.failures.insert(path, ds);
                }
            }
        }
        n
    }
}

/// The commit checked out, to know when history must be read again.
fn git_head(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

// ---------------------------------------------------------------------------------
// What is being served

/// The state of the site being served.
struct Served {
    /// Changes with every build, so that open pages know when to reload.
    version: String,
    /// The problems to show instead of the site, when there are any.
    errors: Option<String>,
}

/// A request to the builder thread for one file of the site.
enum Msg {
    /// Something changed on disk: build again. The paths the watcher reported, or
    /// `None` when it may have missed some.
    Changed(Option<Vec<PathBuf>>),
    /// Render this file and send it back (`None`: no such file).
    Page(String, std::sync::mpsc::Sender<PageReply>),
}

type PageReply = Result<Option<Arc<Vec<u8>>>, String>;

/// State shared by the builder and the connections.
struct Shared {
    served: RwLock<Arc<Served>>,
    /// The number of builds published, to wake the reload streams.
    generation: Mutex<u64>,
    changed: Condvar,
    /// A prefix that differs between runs, so that a page open before a restart reloads.
    run: String,
    /// Where to ask for pages.
    builder: std::sync::mpsc::Sender<Msg>,
    /// The port listened on, which every request's `Host` must name.
    port: u16,
    gate: Gate,
}

impl Shared {
    fn publish(&self, errors: Option<String>) {
        let mut g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        let served = Served {
            version: format!("{}-{}", self.run, *g),
            errors,
        };
        *self.served.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(served);
        self.changed.notify_all();
    }

    /// Wakes every reload stream, to see whether it was closed.
    fn wake(&self) {
        let _g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        self.changed.notify_all();
    }

    fn current(&self) -> Arc<Served> {
        Arc::clone(&self.served.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The file at `path` of the current build, rendered by the builder thread.
    fn page(&self, path: &str) -> PageReply {
        let (tx, rx) = std::sync::mpsc::channel();
        self.builder
            .send(Msg::Page(path.to_string(), tx))
            .map_err(|_| "the builder has stopped".to_string())?;
        rx.recv_timeout(Duration::from_secs(120))
            .map_err(|_| "the page took too long to render".to_string())?
    }
}

fn errors_of(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Ready => None,
        Outcome::Errors(text) => Some(text.clone()),
    }
}

/// Runs `annalist serve` until the process is stopped.
pub fn run(args: &ServeOptions) -> Result<(), String> {
    let root = args.root.clone();
    if !root.join("events").is_dir() {
        return Err(format!(
            "no `events` folder in `{}`: pass the chronology folder, `annalist serve ROOT`",
            root.display()
        ));
    }
    let mut engine = Engine::new(&root);
    println!("annalist serve: building {}", root.display());
    let first = engine.rebuild();
    report_rebuild(&first, args.timings, true);
    let run = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| format!("{:x}", d.as_nanos()))
        .unwrap_or_else(|_| "0".into());
    let listener = bind(args.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("could not read the server's address: {e}"))?;
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let shared = Arc::new(Shared {
        served: RwLock::new(Arc::new(Served {
            version: format!("{run}-0"),
            errors: first.outcome.as_ref().and_then(errors_of),
        })),
        generation: Mutex::new(0),
        changed: Condvar::new(),
        run,
        builder: tx.clone(),
        port: addr.port(),
        gate: Gate::new(),
    });

    let watcher = watch(&root, tx);
    if let Err(e) = &watcher {
        println!(
            "annalist serve: cannot watch the files ({e}); checking them every second instead"
        );
    }
    println!(
        "annalist serve: http://{addr}/ (watching {}; Ctrl-C to stop)",
        root.display()
    );
    let builder_shared = Arc::clone(&shared);
    let timings = args.timings;
    std::thread::spawn(move || builder(engine, watcher.ok(), rx, &builder_shared, timings));

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let admitted = stream
            .try_clone()
            .ok()
            .and_then(|handle| shared.gate.admit(handle));
        let Some(id) = admitted else {
            // Too many connections answering or streaming: refuse this one rather
            // than pile up threads.
            let _ = respond_plain(stream, 503, "busy, try again\n", false);
            continue;
        };
        let conn = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("annalist-serve-conn".into())
            .spawn(move || {
                let _ = handle(stream, &conn, id);
                conn.gate.close(id);
            });
        if spawned.is_err() {
            shared.gate.close(id);
        }
    }
    Ok(())
}

/// The builder thread: renders the pages asked for from the current build, and builds
/// again when the files change. Pages are rendered here, one at a time, because they
/// borrow the chronology the engine holds; what was rendered is kept, within
/// `CACHE_BUDGET`, until the next build. The sitemap, which renders the whole site, is
/// made on a thread of its own meanwhile, so that it holds up no other page.
fn builder(
    mut engine: Engine,
    mut watcher: Option<notify::RecommendedWatcher>,
    rx: std::sync::mpsc::Receiver<Msg>,
    shared: &Shared,
    timings: bool,
) {
    use std::sync::mpsc::RecvTimeoutError;
    let poll = watcher.is_none();
    let mut waiting: Vec<(String, std::sync::mpsc::Sender<PageReply>)> = Vec::new();
    // The whole-site render runs in a pool of one thread: in the shared pool, the
    // pages asked meanwhile would queue behind its tasks.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "annalist-serve-sitemap".into())
        .build()
        .ok();
    let mut cache = PageCache::new(CACHE_BUDGET);
    // The search index's files, by folder: a search asks for several, and each asked
    // alone would make them all again.
    let mut folders: HashMap<String, Arc<crate::write::Site>> = HashMap::new();
    loop {
        cache.clear();
        folders.clear();
        let next = {
            let pages = engine.pages();
            let sitemap = Mutex::new(Background::Idle);
            std::thread::scope(|scope| {
                let mut answer = |path: String, reply: std::sync::mpsc::Sender<PageReply>| {
                    let Some(p) = &pages else {
                        let _ = reply.send(Err("the chronology has errors".into()));
                        return;
                    };
                    if path == SITEMAP {
                        let render = || match &pool {
                            Some(pool) => pool.install(|| p.sitemap()),
                            None => p.sitemap(),
                        };
                        ask_background(&sitemap, reply, scope, render);
                        return;
                    }
                    if let Some(dir) = search_folder(&path) {
                        let site = match folders.get(dir) {
                            Some(site) => Ok(site.clone()),
                            None => p.render_folder(dir).map(|site| {
                                let site = Arc::new(site);
                                folders.insert(dir.to_string(), site.clone());
                                site
                            }),
                        };
                        let _ = reply
                            .send(site.map(|site| site.get(&path).map(|b| Arc::new(b.clone()))));
                        return;
                    }
                    let result = match cache.get(&path) {
                        Some(r) => r,
                        None => {
                            // Kept without the spare capacity rendering left.
                            let r = p.render(&path).map(|o| {
                                o.map(|mut bytes| {
                                    bytes.shrink_to_fit();
                                    Arc::new(bytes)
                                })
                            });
                            cache.insert(path, r.clone());
                            r
                        }
                    };
                    let _ = reply.send(result);
                };
                for (path, reply) in waiting.drain(..) {
                    answer(path, reply);
                }
                loop {
                    let msg = if poll {
                        rx.recv_timeout(Duration::from_secs(1))
                    } else {
                        rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    };
                    match msg {
                        Ok(Msg::Page(path, reply)) => answer(path, reply),
                        Ok(Msg::Changed(paths)) => return Some(paths),
                        Err(RecvTimeoutError::Timeout) => return Some(None),
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
                // Leaving the scope waits for a sitemap being rendered: its callers
                // get it from the build they asked.
            })
        };
        // `None`: the server has stopped.
        let Some(mut changed) = next else { return };
        // Let a burst of changes (an editor saving, a git checkout) settle; pages
        // asked for meanwhile are rendered from the new build.
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(600) {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(Msg::Changed(more)) => {
                    changed = match (changed, more) {
                        (Some(mut a), Some(b)) => {
                            a.extend(b);
                            Some(a)
                        }
                        _ => None,
                    }
                }
                Ok(Msg::Page(path, reply)) => waiting.push((path, reply)),
                Err(_) => break,
            }
        }
        if let Some(w) = watcher.as_mut() {
            watch_templates(w, &engine.root);
        }
        let r = match &changed {
            Some(paths) => engine.rebuild_paths(paths),
            None => engine.rebuild(),
        };
        report_rebuild(&r, timings, false);
        if let Some(outcome) = &r.outcome {
            shared.publish(errors_of(outcome));
        }
    }
}

/// The file that lists every page, and so renders the whole site.
const SITEMAP: &str = "sitemap.xml";

/// A file rendered in the background once per build, for every caller that asks.
enum Background {
    Idle,
    /// Being rendered; these callers wait for it.
    Rendering(Vec<std::sync::mpsc::Sender<PageReply>>),
    Done(PageReply),
}

/// Answers `reply` with the file `job` keeps: at once when it is done, else when the
/// render started on a thread of `scope` (by the first caller) ends.
fn ask_background<'scope, 'env: 'scope>(
    job: &'env Mutex<Background>,
    reply: std::sync::mpsc::Sender<PageReply>,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    render: impl FnOnce() -> Result<Option<Vec<u8>>, String> + Send + 'scope,
) {
    let mut state = job.lock().unwrap_or_else(|e| e.into_inner());
    match &mut *state {
        Background::Done(r) => {
            let _ = reply.send(r.clone());
        }
        Background::Rendering(callers) => callers.push(reply),
        Background::Idle => {
            *state = Background::Rendering(vec![reply]);
            drop(state);
            let finish = move || {
                let r = render().map(|o| o.map(Arc::new));
                let mut state = job.lock().unwrap_or_else(|e| e.into_inner());
                let callers = match std::mem::replace(&mut *state, Background::Done(r.clone())) {
                    Background::Rendering(callers) => callers,
                    _ => Vec::new(),
                };
                for c in callers {
                    let _ = c.send(r.clone());
                }
            };
            let thread = std::thread::Builder::new().name("annalist-serve-background".into());
            if let Err(e) = thread.spawn_scoped(scope, finish) {
                // No thread to be had: the callers are told, and the next one tries again.
                let mut state = job.lock().unwrap_or_else(|e| e.into_inner());
                if let Background::Rendering(callers) =
                    std::mem::replace(&mut *state, Background::Idle)
                {
                    for c in callers {
                        let _ = c.send(Err(format!("could not start a thread: {e}")));
                    }
                }
            }
        }
    }
}

/// How many bytes of rendered files the server keeps between two builds.
const CACHE_BUDGET: usize = 32 * 1024 * 1024;

/// The folder of the search index that holds `path` (`fr/data/search/` for
/// `fr/data/search/w/wdj.json`), if it is in one.
fn search_folder(path: &str) -> Option<&str> {
    let dir = crate::render::search::DIR;
    let at = path.find(dir)?;
    (at == 0 || path[..at].ends_with('/')).then(|| &path[..at + dir.len()])
}

/// What an entry costs besides its path and bytes (the maps' nodes, the `Arc`).
const ENTRY_COST: usize = 128;

/// The files of the current build rendered so far, the least recently asked dropped
/// first when they would take more than `budget` bytes: asking for every address of
/// the site, or for made-up ones, cannot grow the server past the budget. (A map
/// and an ordered index by last use, rather than a crate: a few lines, and the cost
/// of an entry is its size in bytes, not one.)
struct PageCache {
    budget: usize,
    used: usize,
    tick: u64,
    /// Path → (last use, file).
    entries: HashMap<String, (u64, PageReply)>,
    /// Last use → path, oldest first.
    order: BTreeMap<u64, String>,
}

impl PageCache {
    fn new(budget: usize) -> PageCache {
        PageCache {
            budget,
            used: 0,
            tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    fn cost(path: &str, reply: &PageReply) -> usize {
        let bytes = match reply {
            Ok(Some(b)) => b.len(),
            Ok(None) => 0,
            Err(e) => e.len(),
        };
        2 * path.len() + bytes + ENTRY_COST
    }

    fn get(&mut self, path: &str) -> Option<PageReply> {
        self.tick += 1;
        let tick = self.tick;
        let (used, reply) = self.entries.get_mut(path)?;
        let path = self.order.remove(used)?;
        *used = tick;
        let reply = reply.clone();
        self.order.insert(tick, path);
        Some(reply)
    }

    /// Keeps `reply` for `path`, dropping the least recently asked files to make room;
    /// a file larger than the whole budget is not kept.
    fn insert(&mut self, path: String, reply: PageReply) {
        let cost = Self::cost(&path, &reply);
        if cost > self.budget {
            return;
        }
        self.remove(&path);
        while self.used + cost > self.budget {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some((_, r)) = self.entries.remove(&oldest) {
                self.used -= Self::cost(&oldest, &r);
            }
        }
        self.tick += 1;
        self.used += cost;
        self.order.insert(self.tick, path.clone());
        self.entries.insert(path, (self.tick, reply));
    }

    fn remove(&mut self, path: &str) {
        if let Some((used, r)) = self.entries.remove(path) {
            self.order.remove(&used);
            self.used -= Self::cost(path, &r);
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.used = 0;
    }
}

/// Prints one line per rebuild, and the problems when there are errors (or, on the
/// first build, warnings too, at most a screenful).
fn report_rebuild(r: &Rebuild, timings: bool, first: bool) {
    if r.outcome.is_none() {
        return;
    }
    let total: Duration = r.timings.0.iter().map(|(_, d)| *d).sum();
    let what = if first { "built" } else { "rebuilt" };
    let files = if r.full {
        "all files read".to_string()
    } else {
        crate::diag::plural(r.reparsed, "file re-read", "files re-read")
    };
    let errors = matches!(r.outcome, Some(Outcome::Errors(_)));
    if errors || first {
        let lines: Vec<&str> = r.report.lines().collect();
        let shown = if errors { 400 } else { 60 };
        for l in lines.iter().take(shown) {
            eprintln!("{l}");
        }
        if lines.len() > shown {
            eprintln!(
                "... ({} more lines: run `annalist check`)",
                lines.len() - shown
            );
        }
    }
    if first {
        for n in &r.notes {
            eprintln!("warning: {}", crate::diag::escape_controls(n));
        }
    }
    let state = if errors {
        "the pages show the errors until they are fixed"
    } else {
        "pages reload"
    };
    println!(
        "{what} in {:.0} ms ({files}): {}; {state}",
        total.as_secs_f64() * 1000.0,
        r.summary
    );
    if timings {
        print!("{}", r.timings.render());
    }
}

fn bind(port: u16) -> Result<TcpListener, String> {
    if port == 0 {
        return TcpListener::bind(("127.0.0.1", 0))
            .map_err(|e| format!("could not listen on 127.0.0.1: {e}"));
    }
    let mut last = None;
    for p in port..port.saturating_add(20) {
        match TcpListener::bind(("127.0.0.1", p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "could not listen on 127.0.0.1, ports {port} to {}: {}",
        port.saturating_add(19),
        last.map(|e| e.to_string()).unwrap_or_default()
    ))
}

// ---------------------------------------------------------------------------------
// Watching

fn watch(
    root: &Path,
    tx: std::sync::mpsc::Sender<Msg>,
) -> Result<notify::RecommendedWatcher, String> {
    use notify::Watcher;
    let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let events = root_abs.join("events");
    let templates = root_abs.join("templates");
    let config = root_abs.join(config::FILE);
    let relevant = move |p: &Path| {
        p.starts_with(&events) || p.starts_with(&templates) || p == config.as_path()
    };
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let msg = match res {
            Ok(ev) if matches!(ev.kind, notify::EventKind::Access(_)) => None,
            Ok(ev) if ev.need_rescan() || ev.paths.is_empty() => Some(Msg::Changed(None)),
            Ok(ev) => {
                let paths: Vec<PathBuf> = ev.paths.into_iter().filter(|p| relevant(p)).collect();
                (!paths.is_empty()).then_some(Msg::Changed(Some(paths)))
            }
            // A lost event (an overflowing queue): look at everything again.
            Err(_) => Some(Msg::Changed(None)),
        };
        if let Some(msg) = msg {
            let _ = tx.send(msg);
        }
    })
    .map_err(|e| e.to_string())?;
    w.watch(&root_abs.join("events"), notify::RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    // The root itself, for annalist.yaml and a templates folder created later.
    w.watch(&root_abs, notify::RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    watch_templates(&mut w, &root_abs);
    Ok(w)
}

/// Watches `ROOT/templates` when it exists (watching it again is harmless).
fn watch_templates(w: &mut notify::RecommendedWatcher, root: &Path) {
    use notify::Watcher;
    let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let t = root_abs.join("templates");
    if t.is_dir() {
        let _ = w.watch(&t, notify::RecursiveMode::Recursive);
    }
}

// ---------------------------------------------------------------------------------
// HTTP

/// The script served pages carry (never the built files): it reloads the page when
/// the server announces a new build.
const RELOAD_SCRIPT: &str = "<script>/* annalist serve: reload on change */(function(){var v=null;var s=new EventSource(\"/__annalist/events\");s.onmessage=function(e){if(v!==null&&e.data!==v){location.reload();}v=e.data;};})();</script>\n";

/// What a request's head says, as far as this server looks.
#[derive(Debug, Default, PartialEq)]
struct Request {
    method: String,
    target: String,
    host: Option<String>,
    /// `Origin`, which browsers send with cross-origin and non-GET requests.
    origin: Option<String>,
    /// `Sec-Fetch-Site`: `same-origin`, `same-site`, `cross-site` or `none` (typed by
    /// the reader), sent by current browsers with every request.
    fetch_site: Option<String>,
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq)]
enum HeadError {
    /// The connection closed before the first byte: nothing to answer.
    Closed,
    /// The head was not all there by the deadline (a client sending it a byte at a
    /// time, or none at all).
    Late,
    TooLarge,
    Malformed,
}

/// The most a request head may hold.
const MAX_HEAD: usize = 16 * 1024;

/// Reads a request head (up to its blank line) from `r`, which must all have arrived
/// by `deadline`: before each read, `set_timeout` is given the time left, so a client
/// sending a byte every few seconds is cut at the deadline, not kept for ever.
fn read_head<R: Read>(
    r: &mut R,
    deadline: Instant,
    mut set_timeout: impl FnMut(Duration) -> std::io::Result<()>,
) -> Result<Vec<u8>, HeadError> {
    let mut head: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Late);
        }
        set_timeout(left).map_err(|_| HeadError::Malformed)?;
        let n = match r.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Late);
            }
            Err(_) => return Err(HeadError::Malformed),
        };
        if n == 0 {
            return Err(if head.is_empty() {
                HeadError::Closed
            } else {
                HeadError::Malformed
            });
        }
        // Look for the blank line from a little before the new bytes, which may
        // complete one that began in the last chunk.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        let tail = &head[from..];
        let end = tail
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| from + i + 4)
            .or_else(|| {
                tail.windows(2)
                    .position(|w| w == b"\n\n")
                    .map(|i| from + i + 2)
            });
        if let Some(end) = end {
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// The request line and the headers this server looks at. Two `Host` headers are
/// refused: which one a proxy or a check believes is anyone's guess.
fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(HeadError::Malformed);
    };
    let mut req = Request {
        method: method.to_string(),
        target: target.to_string(),
        ..Request::default()
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "host" => &mut req.host,
            "origin" => &mut req.origin,
            "sec-fetch-site" => &mut req.fetch_site,
            _ => continue,
        };
        if slot.is_some() {
            return Err(HeadError::Malformed);
        }
        *slot = Some(value.trim().to_string());
    }
    Ok(req)
}

/// Whether `host` (a `Host` header, or an origin without its `http://`) names this
/// server: `127.0.0.1:PORT` or `localhost:PORT`, the only addresses it listens on.
/// Any other name pointing here is another site's (DNS rebinding).
fn own_host(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    let (name, p) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        // Browsers leave out the default port.
        None => (host.as_str(), Some(80)),
    };
    p == Some(port) && matches!(name, "127.0.0.1" | "localhost")
}

/// Why a request is refused before its path is looked at, or `None`. The dev server
/// answers only what this machine's reader asks for: a request naming another host,
/// or made by another site's page (a `no-cors` image or script, a form, a frame, a
/// link), gets 403, so that a page on the web can neither read the site through a
/// name of its own nor make the server render and keep pages.
fn refusal(req: &Request, port: u16) -> Option<(u16, String)> {
    // The host is not repeated: the answer says only what this server is.
    let open = format!("open http://127.0.0.1:{port}/ or http://localhost:{port}/ directly");
    let Some(host) = req.host.as_deref() else {
        return Some((400, format!("bad request: no `Host` header; {open}\n")));
    };
    if !own_host(host, port) {
        return Some((
            403,
            format!("forbidden: this server answers only its own addresses; {open}\n"),
        ));
    }
    // This server's own pages only ever make same-origin requests; `none` is an
    // address typed or a bookmark.
    let other_site = req
        .fetch_site
        .as_deref()
        .is_some_and(|s| !matches!(s.to_ascii_lowercase().as_str(), "same-origin" | "none"))
        || req
            .origin
            .as_deref()
            .is_some_and(|o| !o.strip_prefix("http://").is_some_and(|h| own_host(h, port)));
    if other_site {
        return Some((
            403,
            format!("forbidden: a request made by another site's page; {open}\n"),
        ));
    }
    None
}

fn handle(mut stream: TcpStream, shared: &Shared, id: u64) -> std::io::Result<()> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let head = {
        let timeouts = stream.try_clone()?;
        read_head(&mut stream, deadline, |left| {
            timeouts.set_read_timeout(Some(left))
        })
    };
    shared.gate.read(id);
    let req = match head.and_then(|h| parse_head(&h)) {
        Ok(r) => r,
        Err(HeadError::Closed) => return Ok(()),
        Err(HeadError::Late) => return respond_plain(stream, 408, "request timeout\n", false),
        Err(HeadError::TooLarge) => {
            return respond_plain(stream, 431, "request header fields too large\n", false);
        }
        Err(HeadError::Malformed) => return respond_plain(stream, 400, "bad request\n", false),
    };
    let head = req.method == "HEAD";
    if let Some((status, why)) = refusal(&req, shared.port) {
        return respond_plain(stream, status, &why, head);
    }
    if req.method != "GET" && !head {
        let body = b"only GET and HEAD are served\n";
        return respond(
            stream,
            405,
            "text/plain; charset=utf-8",
            &[("Allow", "GET, HEAD")],
            body,
            head,
        );
    }
    let path = req.target.split(['?', '#']).next().unwrap_or("");
    match path {
        "/__annalist/events" => return stream_versions(stream, shared, id),
        "/__annalist/version" => {
            let v = shared.current().version.clone();
            return respond(
                stream,
                200,
                "text/plain; charset=utf-8",
                &[],
                v.as_bytes(),
                head,
            );
        }
        _ => {}
    }
    let key = match site_key(path) {
        Ok(k) => k,
        Err((status, why)) => return respond_plain(stream, status, why, head),
    };
    let html = "text/html; charset=utf-8";
    let error_response =
        |stream, text: &str| respond(stream, 500, html, &[], error_page(text).as_bytes(), head);
    if let Some(errors) = &shared.current().errors {
        return error_response(stream, errors);
    }
    let page = match shared.page(&key) {
        Ok(p) => p,
        Err(e) => {
            // The chronology broke meanwhile, or a template failed on this page.
            let text = shared
                .current()
                .errors
                .clone()
                .unwrap_or(format!("error: {e}\n"));
            return error_response(stream, &text);
        }
    };
    if let Some(bytes) = page {
        let ct = content_type(&key);
        return if ct == html {
            respond(stream, 200, ct, &[], &inject(&bytes, None), head)
        } else {
            respond(stream, 200, ct, &[], &bytes, head)
        };
    }
    // A folder asked without its final `/`: relative links need it.
    let last = key.rsplit('/').next().unwrap_or("");
    if !last.contains('.')
        && let Some(location) = folder_location(path)
        && matches!(shared.page(&format!("{key}/index.html")), Ok(Some(_)))
    {
        return respond(
            stream,
            301,
            "text/plain; charset=utf-8",
            &[("Location", &location)],
            b"moved\n",
            head,
        );
    }
    // Under a language's folder (`en/...`), that language's page; else the root's.
    let tree = key
        .split_once('/')
        .map(|(first, _)| first)
        .filter(|f| f.len() == 2 && f.bytes().all(|b| b.is_ascii_lowercase()))
        .and_then(|f| match shared.page(&format!("{f}/404.html")) {
            Ok(Some(page)) => Some((format!("<base href=\"/{f}/\">"), page)),
            _ => None,
        });
    let found = match tree {
        Some(t) => Ok(Some(t)),
        None => shared
            .page("404.html")
            .map(|p| p.map(|p| ("<base href=\"/\">".to_string(), p))),
    };
    match found {
        // The 404 page's links are relative to its tree's root.
        Ok(Some((base, page))) => {
            respond(stream, 404, html, &[], &inject(&page, Some(&base)), head)
        }
        _ => respond_plain(stream, 404, "not found\n", head),
    }
}

/// Where a folder asked without its final `/` (`/events/x`) is sent: the same path
/// with it, always starting with exactly one `/`. `//en` must not answer `//en/`,
/// which a browser reads as the address of a host named `en`. `None` for a path
/// with anything but visible ASCII, which a `Location` header should not carry.
fn folder_location(path: &str) -> Option<String> {
    let rest = path.trim_start_matches('/');
    if !rest.bytes().all(|b| b.is_ascii_graphic()) || rest.starts_with('\\') {
        return None;
    }
    Some(format!("/{rest}/"))
}

/// The key of the site file a request path names, or why it is refused. Only paths
/// made of plain names are accepted: no `..`, no `.`, no backslash, no NUL.
pub fn site_key(path: &str) -> Result<String, (u16, &'static str)> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err((400, "bad request: the path must start with `/`\n"));
    };
    let decoded = percent_decode(rest).ok_or((400, "bad request: malformed %-escape\n"))?;
    if decoded.contains(['\\', '\0']) {
        return Err((400, "bad request\n"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            ".." | "." => return Err((403, "forbidden: the path leaves the site\n")),
            "" => {}
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // Two hex digits, nothing else: `from_str_radix` alone takes `+4` too.
            let hex = s.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" if key.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// A served copy of an HTML page with the reload script (and `extra` in the head).
fn inject(page: &[u8], extra: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut out = match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}{}", &text[..i], &text[i..]),
        None => format!("{text}{RELOAD_SCRIPT}"),
    };
    if let Some(extra) = extra
        && let Some(i) = out.find("<head>")
    {
        out.insert_str(i + "<head>".len(), &format!("\n{extra}"));
    }
    out.into_bytes()
}

/// The page every request gets while the chronology has errors.
fn error_page(report: &str) -> String {
    let escaped = crate::render::escape_html(report);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>annalist: the chronology has errors</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}\
         pre{{background:#fdf2f2;border-left:4px solid #c0392b;padding:1rem;overflow-x:auto;white-space:pre-wrap}}</style>\n\
         </head>\n<body>\n<h1>The chronology has errors</h1>\n\
         <p>The site is not built while these problems remain. Fix them and save: this page reloads by itself.</p>\n\
         <pre class=\"diagnostics\">{escaped}</pre>\n{RELOAD_SCRIPT}</body>\n</html>\n"
    )
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    let body = if head { &[][..] } else { body };
    send(
        &mut stream,
        &[h.as_bytes(), body],
        Instant::now() + WRITE_DEADLINE,
    )
}

/// Writes `parts` to `stream`, all of them by `deadline`: a client that takes the
/// answer a byte at a time is cut then, instead of holding its thread.
fn send(stream: &mut TcpStream, parts: &[&[u8]], deadline: Instant) -> std::io::Result<()> {
    use std::io::ErrorKind;
    for part in parts {
        let mut rest = *part;
        while !rest.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(ErrorKind::TimedOut.into());
            }
            stream.set_write_timeout(Some(left))?;
            match stream.write(rest) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    stream.flush()
}

fn respond_plain(stream: TcpStream, status: u16, text: &str, head: bool) -> std::io::Result<()> {
    respond(
        stream,
        status,
        "text/plain; charset=utf-8",
        &[],
        text.as_bytes(),
        head,
    )
}

/// Server-sent events: the current version now, then each new one as it is
/// published, with a comment every 15 seconds to keep the connection open. Ends when
/// the client goes, or when the gate closes this stream to make room for a newer one.
fn stream_versions(mut stream: TcpStream, shared: &Shared, id: u64) -> std::io::Result<()> {
    let closed = shared.gate.stream(id, stream.try_clone()?);
    // An older stream closed to make room ends now rather than at its next keep-alive.
    shared.wake();
    let write = |stream: &mut TcpStream, bytes: &[u8]| {
        send(stream, &[bytes], Instant::now() + WRITE_DEADLINE)
    };
    write(
        &mut stream,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    let mut sent = None;
    loop {
        let next = next_version(shared, sent, Duration::from_secs(15), &closed);
        if closed.load(Ordering::SeqCst) {
            return Ok(());
        }
        match next {
            Some((generation, version)) => {
                write(&mut stream, format!("data: {version}\n\n").as_bytes())?;
                sent = Some(generation);
            }
            None => write(&mut stream, b": keep-alive\n\n")?,
        }
    }
}

/// The generation and version a reload stream that has sent `sent` is to send next,
/// waiting up to `keep_alive` for one (or until `closed` is set); `None` when none was
/// published meanwhile. The generation is compared under the lock `publish` holds,
/// and the version read under it too: a build published between two calls is never
/// missed.
fn next_version(
    shared: &Shared,
    sent: Option<u64>,
    keep_alive: Duration,
    closed: &AtomicBool,
) -> Option<(u64, String)> {
    let g = shared.generation.lock().unwrap_or_else(|e| e.into_inner());
    let (g, _) = shared
        .changed
        .wait_timeout_while(g, keep_alive, |g| {
            Some(*g) == sent && !closed.load(Ordering::SeqCst)
        })
        .unwrap_or_else(|e| e.into_inner());
    if Some(*g) == sent {
        return None;
    }
    Some((*g, shared.current().version.clone()))
}

// ---------------------------------------------------------------------------------
// Bounds on connections

/// How long a client has to send its whole request head, from the moment it connects.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long a client has to take a whole answer (or one message of a reload stream).
const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// Connections reading their request head at once. One more closes the one that has
/// been reading longest: a normal request sends its head at once, so only clients
/// trickling theirs are closed, and a crowd of them cannot keep anyone else out.
const MAX_READING: usize = 64;
/// Reload streams open at once (one per open page). One more closes the oldest: the
/// newest page is the one being looked at, and a closed page's stream reconnects.
const MAX_STREAMS: usize = 32;
/// Connections in all, each a thread. Beyond it, 503 (when none is reading its head).
const MAX_OPEN: usize = 256;

/// Something the gate can close from another thread: a second handle to a connection.
trait Shut {
    fn shut(&self);
}

impl Shut for TcpStream {
    fn shut(&self) {
        // Wakes the thread blocked reading it; it then ends.
        let _ = self.shutdown(std::net::Shutdown::Both);
    }
}

/// Counts the open connections, by what they are doing, and closes the oldest of a
/// kind when there are too many. Every client is on 127.0.0.1, so a bound per client
/// address would be this bound in all: what keeps the server answering is that slow
/// or long-lived connections are bounded apart from the others, and time-limited.
struct Gate<S: Shut = TcpStream> {
    state: Mutex<GateState<S>>,
}

struct GateState<S> {
    next: u64,
    open: usize,
    /// Connections still reading their head, oldest first.
    reading: BTreeMap<u64, S>,
    /// Reload streams, oldest first, with the flag that tells one it was closed.
    streams: BTreeMap<u64, (S, Arc<AtomicBool>)>,
}

impl<S: Shut> Gate<S> {
    fn new() -> Gate<S> {
        Gate {
            state: Mutex::new(GateState {
                next: 0,
                open: 0,
                reading: BTreeMap::new(),
                streams: BTreeMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState<S>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets a new connection in (`handle` closes it), or `None` when there are too
    /// many; the id is to be given back with `close`.
    fn admit(&self, handle: S) -> Option<u64> {
        let mut st = self.lock();
        if st.reading.len() >= MAX_READING
            && let Some((_, oldest)) = st.reading.pop_first()
        {
            oldest.shut();
        }
        if st.open >= MAX_OPEN {
            return None;
        }
        st.open += 1;
        let id = st.next;
        st.next += 1;
        st.reading.insert(id, handle);
        Some(id)
    }

    /// Connection `id` has read its head.
    fn read(&self, id: u64) {
        self.lock().reading.remove(&id);
    }

    /// Connection `id` is a reload stream; the flag returned is set when it is closed
    /// to make room for a newer one.
    fn stream(&self, id: u64, handle: S) -> Arc<AtomicBool> {
        let mut st = self.lock();
        let closed = Arc::new(AtomicBool::new(false));
        st.streams.insert(id, (handle, Arc::clone(&closed)));
        while st.streams.len() > MAX_STREAMS {
            if let Some((_, (oldest, flag))) = st.streams.pop_first() {
                flag.store(true, Ordering::SeqCst);
                oldest.shut();
            }
        }
        closed
    }

    /// Connection `id` has ended.
    fn close(&self, id: u64) {
        let mut st = self.lock();
        st.reading.remove(&id);
        st.streams.remove(&id);
        st.open = st.open.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files_and_never_leave_the_site() {
        assert_eq!(site_key("/"), Ok("index.html".into()));
        assert_eq!(site_key("/events/x/"), Ok("events/x/index.html".into()));
        assert_eq!(site_key("/style.css"), Ok("style.css".into()));
        assert_eq!(site_key("/a%20b.html"), Ok("a b.html".into()));
        assert_eq!(site_key("/events/x"), Ok("events/x".into()));
        for bad in ["/../etc/passwd", "/events/../../x", "/%2e%2e/x", "/./x"] {
            assert_eq!(site_key(bad).map_err(|e| e.0), Err(403), "{bad}");
        }
        for bad in [
            "/a%5cb", "/%00", "/%zz", "/%+41b", "/%-1", "/% a", "relative",
        ] {
            assert_eq!(site_key(bad).map_err(|e| e.0), Err(400), "{bad}");
        }
    }

    fn shared() -> Shared {
        let (tx, _) = std::sync::mpsc::channel();
        Shared {
            served: RwLock::new(Arc::new(Served {
                version: "run-0".into(),
                errors: None,
            })),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            run: "run".into(),
            builder: tx,
            port: 8000,
            gate: Gate::new(),
        }
    }

    #[test]
    fn a_build_published_before_the_stream_waits_is_not_missed() {
        let s = shared();
        let open = AtomicBool::new(false);
        assert_eq!(
            next_version(&s, None, Duration::ZERO, &open),
            Some((0, "run-0".into()))
        );
        // The stream sent generation 0; a build is published before it waits again.
        s.publish(None);
        assert_eq!(
            next_version(&s, Some(0), Duration::ZERO, &open),
            Some((1, "run-1".into()))
        );
        assert_eq!(next_version(&s, Some(1), Duration::ZERO, &open), None);
    }

    /// A copy of `tests/fixtures/workflow/_base`.
    fn chronology() -> tempfile::TempDir {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).expect("mkdir");
            for e in std::fs::read_dir(from).expect("read fixture").flatten() {
                let target = to.join(e.file_name());
                if e.path().is_dir() {
                    copy(&e.path(), &target);
                } else {
                    std::fs::copy(e.path(), &target).expect("copy");
                }
            }
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflow/_base");
        copy(&base, dir.path());
        dir
    }

    #[test]
    fn a_reported_edit_is_read_even_with_the_same_size_and_time() {
        let dir = chronology();
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let file = root.join("events/2025/2025-05-23-djoura-camp-attack.yaml");
        let mut engine = Engine::new(&root);
        assert!(matches!(engine.rebuild().outcome, Some(Outcome::Ready)));
        let before = std::fs::metadata(&file).expect("metadata");
        let text = std::fs::read_to_string(&file).expect("read");
        let edited = text.replace("camp de Djoura", "camp de Djourb");
        assert_eq!(edited.len(), text.len());
        std::fs::write(&file, edited).expect("write");
        // The same stamp as before, as an edit within one tick of a coarse clock gives.
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(before.modified().expect("mtime")))
            .expect("set the time back");
        let r = engine.rebuild_paths(std::slice::from_ref(&file));
        assert_eq!(r.reparsed, 1);
        assert!(matches!(r.outcome, Some(Outcome::Ready)));
        let pages = engine.pages().expect("built");
        let page = pages
            .render("events/2025-05-23-djoura-camp-attack/index.html")
            .expect("renders")
            .expect("a page");
        assert!(String::from_utf8_lossy(&page).contains("camp de Djourb"));
    }

    /// The footers' sizes of the data exports are measured once and kept: pages asked
    /// one by one, before and after an export itself, are the files a build writes.
    #[test]
    fn pages_rendered_one_by_one_are_those_of_a_build() {
        let dir = chronology();
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let mut engine = Engine::new(&root);
        assert!(matches!(engine.rebuild().outcome, Some(Outcome::Ready)));
        let pages = engine.pages().expect("built");
        let none = History::none();
        let sink = render::MemorySink::default();
        render::render_with_history(
            &pages.index,
            pages.config,
            pages.templates,
            pages.history.unwrap_or(&none),
            &sink,
        )
        .expect("a build");
        let site = sink.into_site();
        let asked = [
            "index.html",
            "data/events.json",
            "events/2025-05-23-djoura-camp-attack/index.html",
            "data/events.csv",
            "actors/jnim/index.html",
        ];
        for path in asked {
            let one = pages.render(path).expect("renders").expect("a file");
            assert_eq!(Some(&one), site.get(path), "{path}");
        }
        let footer = String::from_utf8(site["index.html"].clone()).expect("UTF-8");
        assert!(footer.contains("Données JSON ("), "{footer}");
        // The search index, made as a folder: every file of the build, and only those.
        let folder = pages.render_folder("data/search/").expect("renders");
        let built: Vec<(&String, &Vec<u8>)> = site
            .iter()
            .filter(|(p, _)| p.starts_with("data/search/"))
            .collect();
        assert!(built.len() > 10, "{}", built.len());
        assert_eq!(folder.iter().collect::<Vec<_>>(), built);
    }

    #[test]
    fn the_search_folder_of_a_path_is_found_in_any_tree() {
        assert_eq!(
            search_folder("data/search/w/wdj.json"),
            Some("data/search/")
        );
        assert_eq!(
            search_folder("fr/data/search/c/0.json"),
            Some("fr/data/search/")
        );
        assert_eq!(search_folder("data/events.json"), None);
        assert_eq!(
            search_folder("events/data/search/x"),
            Some("events/data/search/")
        );
        assert_eq!(search_folder("xdata/search/a"), None);
    }

    fn request(host: Option<&str>, origin: Option<&str>, site: Option<&str>) -> Request {
        Request {
            method: "GET".into(),
            target: "/".into(),
            host: host.map(String::from),
            origin: origin.map(String::from),
            fetch_site: site.map(String::from),
        }
    }

    #[test]
    fn only_requests_for_this_server_from_its_own_pages_are_served() {
        let ours = Some("127.0.0.1:8000");
        for ok in [
            request(ours, None, None),
            request(Some("localhost:8000"), None, None),
            request(Some("LOCALHOST:8000"), None, Some("same-origin")),
            request(ours, None, Some("none")),
            request(ours, Some("http://127.0.0.1:8000"), Some("same-origin")),
            request(ours, Some("http://localhost:8000"), None),
        ] {
            assert_eq!(refusal(&ok, 8000), None, "{ok:?}");
        }
        for (bad, status) in [
            (request(None, None, None), 400),
            (request(Some("evil.example:8000"), None, None), 403),
            (
                request(Some("127.0.0.1.evil.example:8000"), None, None),
                403,
            ),
            (request(Some("127.0.0.1:8001"), None, None), 403),
            (request(Some("127.0.0.1"), None, None), 403),
            (request(Some("[::1]:8000"), None, None), 403),
            // A `no-cors` image or script of another site, or another port's page.
            (request(ours, None, Some("cross-site")), 403),
            (request(ours, None, Some("same-site")), 403),
            (request(ours, Some("http://evil.example"), None), 403),
            (request(ours, Some("http://127.0.0.1:3000"), None), 403),
            (request(ours, Some("null"), None), 403),
            (request(ours, Some("https://127.0.0.1:8000"), None), 403),
        ] {
            assert_eq!(refusal(&bad, 8000).map(|r| r.0), Some(status), "{bad:?}");
        }
        // The default port is left out of `Host` by browsers.
        assert_eq!(refusal(&request(Some("localhost"), None, None), 80), None);
    }

    #[test]
    fn request_heads_are_parsed_and_doubled_hosts_refused() {
        let head = b"GET /x?y HTTP/1.1\r\nHOST: 127.0.0.1:8000\r\nsec-fetch-site: cross-site\r\n\
                     Origin: http://evil.example\r\nAccept: */*\r\n\r\n";
        let req = parse_head(head).expect("parsed");
        assert_eq!(
            req,
            request(
                Some("127.0.0.1:8000"),
                Some("http://evil.example"),
                Some("cross-site")
            )
            .with_target("/x?y")
        );
        let doubled = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nHost: evil.example\r\n\r\n";
        assert_eq!(parse_head(doubled), Err(HeadError::Malformed));
        assert_eq!(parse_head(b"GARBAGE\r\n\r\n"), Err(HeadError::Malformed));
    }

    impl Request {
        fn with_target(mut self, target: &str) -> Request {
            self.target = target.into();
            self
        }
    }

    /// A client that sends `bytes` a few at a time, as a slow one does.
    struct Trickle<'a> {
        bytes: &'a [u8],
        at: usize,
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn a_request_head_must_be_whole_by_the_deadline_however_it_trickles() {
        let head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\nextra";
        let later = Instant::now() + Duration::from_secs(3600);
        let ok = |_| Ok(());
        for step in [1, 3, 4, 5, 100] {
            let mut r = Trickle {
                bytes: head,
                at: 0,
                step,
            };
            let got = read_head(&mut r, later, ok).expect("read");
            assert_eq!(got, &head[..head.len() - "extra".len()], "step {step}");
        }
        // Each read gives the time left to the socket, which never exceeds it.
        let mut given = Vec::new();
        let mut r = Trickle {
            bytes: head,
            at: 0,
            step: 1,
        };
        read_head(&mut r, later, |d| {
            given.push(d);
            Ok(())
        })
        .expect("read");
        assert!(given.windows(2).all(|w| w[1] <= w[0]), "{given:?}");
        // A byte at a time past the deadline: cut, however often bytes come.
        let mut r = Trickle {
            bytes: head,
            at: 0,
            step: 1,
        };
        assert_eq!(read_head(&mut r, Instant::now(), ok), Err(HeadError::Late));
        let big = [b'a'; MAX_HEAD + 10];
        let mut r = Trickle {
            bytes: &big,
            at: 0,
            step: 4096,
        };
        assert_eq!(read_head(&mut r, later, ok), Err(HeadError::TooLarge));
        let mut r = Trickle {
            bytes: b"GET / HT",
            at: 0,
            step: 4,
        };
        assert_eq!(read_head(&mut r, later, ok), Err(HeadError::Malformed));
        let mut r = Trickle {
            bytes: b"",
            at: 0,
            step: 4,
        };
        assert_eq!(read_head(&mut r, later, ok), Err(HeadError::Closed));
    }

    #[test]
    fn a_folder_redirect_stays_on_this_host() {
        assert_eq!(folder_location("/events/x").as_deref(), Some("/events/x/"));
        // `//en/` would be the host `en`.
        assert_eq!(folder_location("//en").as_deref(), Some("/en/"));
        assert_eq!(
            folder_location("///evil.example/x").as_deref(),
            Some("/evil.example/x/")
        );
        assert_eq!(folder_location("/%2F%2Fen").as_deref(), Some("/%2F%2Fen/"));
        assert_eq!(folder_location("/\\evil.example"), None);
        assert_eq!(folder_location("//\\evil.example"), None);
        assert_eq!(folder_location("/caf\u{e9}"), None);
        assert_eq!(folder_location("/a\r\nSet-Cookie: x"), None);
    }

    /// A connection the gate can close, which records that it was.
    #[derive(Clone, Default)]
    struct Probe(Arc<AtomicBool>);

    impl Shut for Probe {
        fn shut(&self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    impl Probe {
        fn shut_down(&self) -> bool {
            self.0.load(Ordering::SeqCst)
        }
    }

    #[test]
    fn slow_heads_and_old_streams_make_room_for_new_connections() {
        let gate: Gate<Probe> = Gate::new();
        // Slow clients fill the heads' slots; each new one closes the oldest.
        let slow: Vec<(u64, Probe)> = (0..MAX_READING + 3)
            .map(|_| {
                let p = Probe::default();
                (gate.admit(p.clone()).expect("admitted"), p)
            })
            .collect();
        assert!(slow[..3].iter().all(|(_, p)| p.shut_down()));
        assert!(slow[3..].iter().all(|(_, p)| !p.shut_down()));
        for (id, _) in &slow[..3] {
            gate.close(*id);
        }
        // A request whose head was read is not closed for slow ones.
        let fast = Probe::default();
        let id = gate.admit(fast.clone()).expect("admitted");
        gate.read(id);
        for _ in 0..2 * MAX_READING {
            let p = Probe::default();
            let id = gate.admit(p.clone()).expect("admitted");
            if p.shut_down() {
                gate.close(id);
            }
            // Those closed end; their threads then give back their places.
            let st = gate.lock();
            let shut: Vec<u64> = st
                .reading
                .iter()
                .filter(|(_, p)| p.shut_down())
                .map(|(id, _)| *id)
                .collect();
            drop(st);
            for id in shut {
                gate.close(id);
            }
        }
        assert!(!fast.shut_down());
        gate.close(id);

        // Reload streams: the oldest is closed, and told so.
        let gate: Gate<Probe> = Gate::new();
        let streams: Vec<(Probe, Arc<AtomicBool>)> = (0..MAX_STREAMS + 2)
            .map(|_| {
                let p = Probe::default();
                let id = gate.admit(p.clone()).expect("admitted");
                gate.read(id);
                let flag = gate.stream(id, p.clone());
                (p, flag)
            })
            .collect();
        for (i, (p, flag)) in streams.iter().enumerate() {
            let closed = i < 2;
            assert_eq!(p.shut_down(), closed, "stream {i}");
            assert_eq!(flag.load(Ordering::SeqCst), closed, "stream {i}");
        }
    }

    #[test]
    fn connections_beyond_the_total_are_refused_until_one_ends() {
        let gate: Gate<Probe> = Gate::new();
        let ids: Vec<u64> = (0..MAX_OPEN)
            .map(|_| {
                let id = gate.admit(Probe::default()).expect("admitted");
                gate.read(id);
                id
            })
            .collect();
        assert_eq!(gate.admit(Probe::default()), None);
        gate.close(ids[0]);
        assert!(gate.admit(Probe::default()).is_some());
    }

    fn page(n: usize) -> PageReply {
        Ok(Some(Arc::new(vec![b'x'; n])))
    }

    #[test]
    fn the_page_cache_keeps_the_latest_asked_within_its_budget() {
        let one = PageCache::cost("p0", &page(1000));
        let mut cache = PageCache::new(3 * one);
        for i in 0..3 {
            cache.insert(format!("p{i}"), page(1000));
        }
        assert!(cache.get("p0").is_some());
        // p1 is now the least recently asked: it goes first.
        cache.insert("p3".into(), page(1000));
        assert!(cache.get("p1").is_none());
        for p in ["p0", "p2", "p3"] {
            assert!(cache.get(p).is_some(), "{p}");
        }
        assert!(cache.used <= cache.budget);
        // Thousands of distinct paths, found or not: never past the budget.
        for i in 0..5000 {
            let reply = if i % 2 == 0 { page(700) } else { Ok(None) };
            cache.insert(format!("made-up/{i}"), reply);
            assert!(cache.used <= cache.budget);
            assert_eq!(cache.entries.len(), cache.order.len());
        }
        // A file larger than the budget is served but not kept.
        cache.insert("huge".into(), page(4 * one));
        assert!(cache.get("huge").is_none());
        // The same path again replaces its entry.
        cache.clear();
        cache.insert("a".into(), page(10));
        cache.insert("a".into(), page(20));
        assert_eq!(cache.entries.len(), 1);
        assert_eq!(cache.used, PageCache::cost("a", &page(20)));
    }

    #[test]
    fn a_background_render_does_not_hold_up_the_caller() {
        let job = Mutex::new(Background::Idle);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (a, got_a) = std::sync::mpsc::channel();
        let (b, got_b) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            ask_background(&job, a, scope, move || {
                // Blocks until the test lets it go: the caller must not be waiting.
                wait.recv().map_err(|e| e.to_string())?;
                Ok(Some(b"<urlset/>".to_vec()))
            });
            // Back here while it renders: a second caller waits for the same render.
            ask_background(&job, b, scope, || panic!("rendered twice"));
            assert!(matches!(
                &*job.lock().expect("lock"),
                Background::Rendering(c) if c.len() == 2
            ));
            release.send(()).expect("release");
        });
        for got in [got_a, got_b] {
            let r = got.recv().expect("answered").expect("rendered");
            assert_eq!(r.as_deref().map(Vec::as_slice), Some(&b"<urlset/>"[..]));
        }
        let (c, got_c) = std::sync::mpsc::channel();
        std::thread::scope(|scope| ask_background(&job, c, scope, || panic!("rendered again")));
        assert!(got_c.recv().expect("answered").is_ok());
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = inject(b"<html><head></head><body><p>x</p></body></html>", None);
        let page = String::from_utf8(page).expect("utf-8");
        assert!(page.contains("</p><script>"), "{page}");
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
        let errors = error_page("error: `<b>` & more");
        assert!(errors.contains("`&lt;b&gt;` &amp; more"));
    }
}
