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
//! the disk on behalf of a request, so no path can reach outside the site).

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Report};
use crate::history::{self, History};
use crate::layout::{self, Entry, Kind, Layout};
use crate::load::{self, Loaded, Parsed};
use crate::render::{self, MemorySink, Templates};
use crate::span::Known;
use crate::write::Site;
use crate::{Timings, index};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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
        })
    }
}

/// A built chronology, rendered one file at a time, as pages are asked for.
pub struct Pages<'a> {
    index: index::Index<'a>,
    config: &'a Config,
    templates: &'a Templates,
    history: Option<&'a History>,
}

impl Pages<'_> {
    /// The file of the site at `path` (`events/x/index.html`), or `None` when there is
    /// no such file.
    pub fn render(&self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let none = History::none();
        let history = self.history.unwrap_or(&none);
        if path == "sitemap.xml" {
            // The sitemap lists every page: only a whole build knows them.
            return self.render_all().map(|mut site| site.remove(path));
        }
        render::render_one(&self.index, self.config, self.templates, history, path)
            .map_err(|e| e.message)
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
    });

    let listener = bind(args.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("could not read the server's address: {e}"))?;

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

    let connections = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if connections.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            // Too many open pages or stuck clients: refuse this one rather than pile up threads.
            let _ = respond_plain(stream, 503, "busy, try again\n", false);
            continue;
        }
        connections.fetch_add(1, Ordering::SeqCst);
        let shared = Arc::clone(&shared);
        let counter = Arc::clone(&connections);
        std::thread::spawn(move || {
            let _ = handle(stream, &shared);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// The builder thread: renders the pages asked for from the current build, and builds
/// again when the files change. Pages are rendered here, one at a time, because they
/// borrow the chronology the engine holds.
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
    loop {
        let mut changed: Option<Vec<PathBuf>>;
        {
            let pages = engine.pages();
            let mut rendered: std::collections::HashMap<String, PageReply> = Default::default();
            let mut answer = |path: String, reply: std::sync::mpsc::Sender<PageReply>| {
                let result = rendered
                    .entry(path)
                    .or_insert_with_key(|path| match &pages {
                        Some(p) => p.render(path).map(|o| o.map(Arc::new)),
                        None => Err("the chronology has errors".into()),
                    })
                    .clone();
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
                    Ok(Msg::Changed(paths)) => {
                        changed = paths;
                        break;
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        changed = None;
                        break;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
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

const MAX_CONNECTIONS: usize = 256;

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

struct Request {
    method: String,
    target: String,
    host: Option<String>,
}

fn read_request(stream: &mut TcpStream) -> Result<Option<Request>, String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err("malformed request line".into());
    };
    // Read the headers to their end; only `Host` matters here.
    let mut host = None;
    loop {
        let mut h = String::new();
        let n = reader.read_line(&mut h).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the request headers are too long or cut short".into());
        }
        if h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((name, value)) = h.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_string());
        }
    }
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        host,
    }))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let req = match read_request(&mut stream) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(()),
        Err(_) => return respond_plain(stream, 400, "bad request\n", false),
    };
    let head = req.method == "HEAD";
    if !local_host(req.host.as_deref()) {
        // A page of another site pointing a name of its own at 127.0.0.1 (DNS rebinding).
        return respond_plain(stream, 403, "forbidden: unknown host\n", head);
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
        "/__annalist/events" => return stream_versions(stream, shared),
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
    if !last.contains('.') && matches!(shared.page(&format!("{key}/index.html")), Ok(Some(_))) {
        let location = format!("{path}/");
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

/// Whether a request's `Host` names this machine (or is absent, as in HTTP/1.0).
fn local_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "::1"
    )
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
    stream.write_all(h.as_bytes())?;
    if !head {
        stream.write_all(body)?;
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
/// published, with a comment every 15 seconds to keep the connection open.
fn stream_versions(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    let mut sent = None;
    loop {
        match next_version(shared, sent, Duration::from_secs(15)) {
            Some((generation, version)) => {
                stream.write_all(format!("data: {version}\n\n").as_bytes())?;
                sent = Some(generation);
            }
            None => stream.write_all(b": keep-alive\n\n")?,
        }
        stream.flush()?;
    }
}

/// The generation and version a reload stream that has sent `sent` is to send next,
/// waiting up to `keep_alive` for one; `None` when none was published meanwhile. The
/// generation is compared under the lock `publish` holds, and the version read under
/// it too: a build published between two calls is never missed.
fn next_version(shared: &Shared, sent: Option<u64>, keep_alive: Duration) -> Option<(u64, String)> {
    let g = shared.generation.lock().unwrap_or_else(|e| e.into_inner());
    let (g, _) = shared
        .changed
        .wait_timeout_while(g, keep_alive, |g| Some(*g) == sent)
        .unwrap_or_else(|e| e.into_inner());
    if Some(*g) == sent {
        return None;
    }
    Some((*g, shared.current().version.clone()))
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
        }
    }

    #[test]
    fn a_build_published_before_the_stream_waits_is_not_missed() {
        let s = shared();
        assert_eq!(
            next_version(&s, None, Duration::ZERO),
            Some((0, "run-0".into()))
        );
        // The stream sent generation 0; a build is published before it waits again.
        s.publish(None);
        assert_eq!(
            next_version(&s, Some(0), Duration::ZERO),
            Some((1, "run-1".into()))
        );
        assert_eq!(next_version(&s, Some(1), Duration::ZERO), None);
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

    #[test]
    fn only_requests_for_this_machine_are_served() {
        for ok in [
            None,
            Some("127.0.0.1:8000"),
            Some("localhost"),
            Some("[::1]:8000"),
        ] {
            assert!(local_host(ok), "{ok:?}");
        }
        for bad in [Some("evil.example:8000"), Some("127.0.0.1.evil.example")] {
            assert!(!local_host(bad), "{bad:?}");
        }
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
