//! Loading: takes the files `layout` finds under `ROOT/events` and the ids it learns
//! from their names, then parses each file into the domain types, turning every problem into a
//! diagnostic with file, line and column. Parsing is a pure function over `&str`
//! (`parse_event`, ...) under a thin file-reading wrapper.

use crate::diag::{Diagnostic, Report};
use crate::layout::{self, Entry, Kind, Layout, check_link};
use crate::model::{self, ActorFile, EventFile, LocationFile};
use crate::span::{self, Known};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are refused: an event file is a page of text, and a huge one
/// is a mistake (a pasted export, a binary) that would only slow everything down.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// An event with its id and where it came from.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    /// Path relative to the chronology root, for diagnostics and links to sources.
    pub path: PathBuf,
    pub data: EventFile,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub path: PathBuf,
    pub data: ActorFile,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub id: String,
    pub path: PathBuf,
    pub data: LocationFile,
}

/// Everything read from `ROOT/events`: the files that parsed, and the problems found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub events: Vec<Event>,
    pub actors: BTreeMap<String, Actor>,
    pub locations: BTreeMap<String, Location>,
    pub report: Report,
    /// Every id of the chronology, from file names, including files that failed to parse.
    pub known: Arc<Known>,
    /// The chronology folder, to check paths a help proposes.
    pub root: PathBuf,
}

/// Loads the chronology under `root/events`.
pub fn load(root: &Path) -> Loaded {
    load_with_progress(root, &|_| {}, &|| {})
}

/// `load`, telling `found_files` how many files it is about to read, then `read` after each
/// one, from several threads: for a progress bar.
pub fn load_with_progress(
    root: &Path,
    found_files: &dyn Fn(usize),
    read: &(dyn Fn() + Sync),
) -> Loaded {
    let mut layout = layout::discover(root);
    if !layout.found {
        return Loaded {
            report: layout.report,
            ..Loaded::default()
        };
    }
    let mut loaded = load_layout(root, &mut layout, found_files, read);
    let mut report = std::mem::take(&mut layout.report);
    report.extend(std::mem::take(&mut loaded.report.diagnostics));
    loaded.report = report;
    loaded
}

/// Reads and parses the entries `layout` found (taking them out of it); the problems
/// of the files go in the result's report, those of the layout stay in `layout`.
pub fn load_layout(
    root: &Path,
    layout: &mut Layout,
    found_files: &dyn Fn(usize),
    read: &(dyn Fn() + Sync),
) -> Loaded {
    let known = Arc::new(std::mem::take(&mut layout.known));
    let found = std::mem::take(&mut layout.entries);
    found_files(found.len());

    // Files are independent: parse them on every core. `collect` keeps the sorted order.
    use rayon::prelude::*;
    let parsed: Vec<(Entry, Result<Parsed, Vec<Diagnostic>>)> = found
        .into_par_iter()
        .map(|f| {
            let result = read_entry(root, &f, &known);
            read();
            (f, result)
        })
        .collect();

    let mut loaded = Loaded {
        known: Arc::clone(&known),
        root: root.to_path_buf(),
        ..Loaded::default()
    };
    for (f, result) in parsed {
        match result {
            Ok(p) => loaded.insert(p, f.path, f.id),
            Err(ds) => loaded.report.extend(ds),
        }
    }
    loaded
}

impl Loaded {
    /// Adds a parsed entry; an event goes at its place in path order (where the loader
    /// puts it), an actor or a location under its id.
    pub fn insert(&mut self, parsed: Parsed, path: PathBuf, id: String) {
        match parsed {
            Parsed::Event(data) => {
                let at = match self.events.last() {
                    // Loading: every event comes after the last one.
                    Some(last) if last.path < path => self.events.len(),
                    _ => self
                        .events
                        .binary_search_by(|e| e.path.cmp(&path))
                        .unwrap_or_else(|i| i),
                };
                self.events.insert(
                    at,
                    Event {
                        id,
                        path,
                        data: *data,
                    },
                );
            }
            Parsed::Actor(data) => {
                self.actors.insert(
                    id.clone(),
                    Actor {
                        id,
                        path,
                        data: *data,
                    },
                );
            }
            Parsed::Location(data) => {
                self.locations.insert(
                    id.clone(),
                    Location {
                        id,
                        path,
                        data: *data,
                    },
                );
            }
        }
    }

    /// Removes the entry of `kind` read from `path` (with `id`), if it is there.
    pub fn remove(&mut self, kind: Kind, path: &Path, id: &str) {
        match kind {
            Kind::Event => {
                if let Ok(i) = self.events.binary_search_by(|e| e.path.as_path().cmp(path)) {
                    self.events.remove(i);
                }
            }
            Kind::Actor => {
                self.actors.remove(id);
            }
            Kind::Location => {
                self.locations.remove(id);
            }
        }
    }
}

/// One file, parsed into what its kind holds.
pub enum Parsed {
    Event(Box<EventFile>),
    Actor(Box<ActorFile>),
    Location(Box<LocationFile>),
}

/// Reads and parses the file of one entry.
pub fn read_entry(root: &Path, f: &Entry, known: &Arc<Known>) -> Result<Parsed, Vec<Diagnostic>> {
    let text = read_text(&root.join(&f.path), &f.path).map_err(|d| vec![d])?;
    match f.kind {
        Kind::Event => {
            parse_event(&text, &f.path, &f.id, known).map(|e| Parsed::Event(Box::new(e)))
        }
        Kind::Actor => {
            parse_actor(&text, &f.path, &f.id, known).map(|a| Parsed::Actor(Box::new(a)))
        }
        Kind::Location => {
            parse_location(&text, &f.path, &f.id, known).map(|l| Parsed::Location(Box::new(l)))
        }
    }
}

/// Reads a data file as UTF-8 text, refusing what no editor means to write.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    decode_owned(read_file(path, shown)?, shown)
}

/// Reads a file of the chronology (`shown` is its path under the root, `path` where it
/// is), refusing a symbolic link anywhere in `shown`, anything but a regular file, and a
/// file over `MAX_FILE_BYTES`. A link in git could make the build publish a file from
/// outside the chronology (`templates/style.css -> /proc/self/environ` would put the
/// build's secrets on the site); a pipe would block it and a device never end.
pub fn read_file(path: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| Diagnostic::error(shown, format!("cannot read this file: {e}"));
    refuse_links(path, shown)?;
    let before = std::fs::symlink_metadata(path).map_err(cannot)?;
    if !before.is_file() {
        return Err(not_regular(shown));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    // What was opened must be what was looked at: a file swapped for a link in between
    // is refused like the link.
    if !meta.is_file() || !same_file(&before, &meta) {
        return Err(not_regular(shown));
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large(len, shown));
    }
    // Read at most one byte past the limit: a file that grew since `metadata` is still
    // refused without reading all of it.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64, shown));
    }
    Ok(bytes)
}

/// `read_file` for a file the chronology may leave out (`annalist.yaml`, a template):
/// `None` when there is nothing at `path`. A dangling link is something, and refused.
pub fn read_optional(path: &Path, shown: &Path) -> Result<Option<Vec<u8>>, Diagnostic> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A missing folder on the way is nothing too, unless it is a link.
            refuse_links(path, shown)?;
            Ok(None)
        }
        _ => read_file(path, shown).map(Some),
    }
}

/// Refuses a symbolic link at `path` or at any folder of `shown` on the way to it, when
/// `path` ends with `shown` (the chronology root itself may be a link).
fn refuse_links(path: &Path, shown: &Path) -> Result<(), Diagnostic> {
    if !(shown.is_relative() && path.ends_with(shown)) {
        return check_link(path, shown, shown);
    }
    let mut base = path.to_path_buf();
    for _ in shown.components() {
        base.pop();
    }
    let mut rel = PathBuf::new();
    for part in shown.components() {
        rel.push(part);
        check_link(&base.join(&rel), &rel, shown)?;
    }
    Ok(())
}

fn not_regular(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        "this is not a regular file (a folder, a pipe or a device?)",
    )
    .help("put a plain text file here, or remove this entry")
}

/// Whether two metadata describe the same file (the same inode on the same device).
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

fn too_large(len: u64, shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!(
            "this file is {} bytes; data files are limited to {} bytes (1 MiB)",
            crate::diag::group_digits(len, ','),
            crate::diag::group_digits(MAX_FILE_BYTES, ',')
        ),
    )
    .help(if shown.starts_with("events") {
        "an event file holds one event; split it, or move long documents out of `events/`"
    } else {
        "shorten it: settings, templates and style sheets are a few pages of text"
    })
}

/// Checks the bytes are UTF-8 text and drops a byte-order mark.
pub fn decode(bytes: &[u8], shown: &Path) -> Result<String, Diagnostic> {
    decode_owned(bytes.to_vec(), shown)
}

/// `decode`, keeping the buffer it is given rather than copying it.
fn decode_owned(mut bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            if let Some(nul) = s.find('\0') {
                let line = s[..nul].matches('\n').count() + 1;
                return Err(Diagnostic::error(
                    shown,
                    "this file contains binary data (a NUL byte)",
                )
                .at(line, 1)
                .help("event files are plain text; was a binary file saved under this name?"));
            }
            if s.trim().is_empty() {
                return Err(Diagnostic::error(shown, "this file is empty")
                    .help("write the fields of the entry, or delete the file"));
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let good = &e.as_bytes()[..valid];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(Diagnostic::error(shown, "this file is not valid UTF-8 text")
                .at(line, column)
                .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")"))
        }
    }
}

pub fn parse_event(
    text: &str,
    path: &Path,
    id: &str,
    known: &Arc<Known>,
) -> Result<EventFile, Vec<Diagnostic>> {
    parse_file(text, path, id, known, "an event")
}

pub fn parse_actor(
    text: &str,
    path: &Path,
    id: &str,
    known: &Arc<Known>,
) -> Result<ActorFile, Vec<Diagnostic>> {
    parse_file(text, path, id, known, "an actor")
}

pub fn parse_location(
    text: &str,
    path: &Path,
    id: &str,
    known: &Arc<Known>,
) -> Result<LocationFile, Vec<Diagnostic>> {
    parse_file(text, path, id, known, "a location")
}

/// Parses one file into `T`, with every problem the leaves found plus the first
/// structural one, if any.
fn parse_file<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    id: &str,
    known: &Arc<Known>,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    // libyaml's scanner takes time quadratic in the depth of flow nesting (each `[`
    // keeps a possible key that every later token looks at again): refuse deep nesting
    // before it sees the file.
    // The scan also finds YAML tags (`!!binary`, `!!str`, `!x`), which would make the
    // typed read accept what the file does not say in plain text.
    match scan(text, MAX_FLOW_DEPTH) {
        Some(Found::TooDeep(line, column)) => {
            return Err(vec![too_deep(Diagnostic::error(path, "").at(line, column))]);
        }
        Some(Found::Tag(line, column, tag)) => {
            return Err(vec![
                Diagnostic::error(
                    path,
                    format!("`{tag}` is a YAML tag; annalist files use no tags"),
                )
                .at(line, column)
                .help(format!(
                    "remove `{tag}` and write the value as plain text, or put the text in quotes if the `!` belongs to it"
                )),
            ]);
        }
        None => {}
    }
    // Aliases are expanded as they are read; read the file once as plain values first
    // so that an alias bomb or runaway nesting fails fast with serde_yaml's limits,
    // before the typed read reports something less telling.
    if may_expand(text)
        && let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(text)
    {
        return Err(vec![yaml_error(&e, text, path, what)]);
    }
    let (result, problems) = span::with_context(known, id, || serde_yaml::from_str::<T>(text));
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            let pos = p.pos.unwrap_or(span::Pos { line: 1, column: 1 });
            let d = if p.warning {
                Diagnostic::warning(path, p.message)
            } else {
                Diagnostic::error(path, p.message)
            };
            d.at(pos.line, pos.column).with_help(p.help)
        })
        .collect();
    match result {
        Ok(v) if diags.is_empty() => Ok(v),
        Ok(_) => Err(diags),
        Err(e) => {
            diags.push(yaml_error(&e, text, path, what));
            Err(diags)
        }
    }
}

/// Turns a serde_yaml error into a diagnostic that teaches the fix.
fn yaml_error(e: &serde_yaml::Error, text: &str, path: &Path, what: &str) -> Diagnostic {
    let raw = span::message_of(e);
    // serde_yaml prefixes the path of the value (`actors[0].role: ...`); the line and
    // column say the same more precisely, so keep it only as a fallback.
    let (field_path, message) = split_path(&raw);
    // libyaml puts the end of a stream without a final line break one line past the
    // last line: point at the end of the last line instead.
    let lines = text.lines().count().max(1);
    let location = e.location().map(|l| {
        if l.line() > lines {
            let last = text.lines().last().unwrap_or("");
            (lines, last.chars().count() + 1)
        } else {
            (l.line(), l.column())
        }
    });
    let mut d = Diagnostic::error(path, message.clone());
    if let Some((line, col)) = location {
        d = d.at(line, col);
    } else if !field_path.is_empty() {
        d.message = format!("{message} (in `{field_path}`)");
    }

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        d.message = format!("unknown field `{field}`");
        d.help = Some(match model::did_you_mean(field, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if expected.is_empty() => "remove this field".to_string(),
            None => format!("the fields here are: {}", expected.join(", ")),
        });
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        d.help = Some(format!("add `{field}:` with its value"));
        if location.is_none_or(|(l, _)| l <= 1) {
            d = d.at(1, 1);
        }
    } else if let Some(rest) = message.strip_prefix("duplicate field `") {
        let field = rest.split('`').next().unwrap_or("");
        d.message = format!("the field `{field}` is written twice");
        d.help = Some("keep one of them: YAML keeps only one value per field".into());
        if let Some((line, col)) = second_occurrence(text, field, location.map(|l| l.1)) {
            d = d.at(line, col);
        }
    } else if message.starts_with("duplicate entry") {
        d.help = Some("each key may appear once in a map; remove or merge the duplicate".into());
    } else if message.contains("recursion limit exceeded") {
        d = too_deep(d);
    } else if message.contains("repetition limit exceeded") {
        d.message = "this file repeats YAML aliases too many times (an alias bomb?)".into();
        d.help = Some("write the values out instead of using `&anchor` / `*alias`".into());
        if let Some((line, col)) = first_alias(text) {
            d = d.at(line, col);
        }
    } else if message.contains("more than one document") {
        d.message = "this file holds more than one YAML document".into();
        d.help = Some("remove the `---` line: one file holds one entry".into());
    } else if message.starts_with("invalid type") && message.contains("expected struct") {
        d.message = format!("{what} file is a map of fields, one per line (`title: ...`)");
        d.help = Some(format!("see events/README.md for the fields of {what}"));
    } else if let Some(found) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.strip_suffix(", expected a sequence"))
    {
        d.message = format!("expected a list here, found {}", describe_found(found));
        d.help = Some("write a list: `[a, b]`, or one item per line starting with `- `".into());
    } else if let Some(found) = message.strip_prefix("invalid type: ").and_then(|m| {
        m.strip_suffix(
            ", expected a text, or a map of language codes to texts (`fr: ...`, `en: ...`)",
        )
    }) {
        d.message = format!("expected a text here, found {}", describe_found(found));
        d.help = Some(
            "write the text after the colon, or one line per language: `fr: ...` and `en: ...`"
                .into(),
        );
    } else if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
    {
        d.message = format!("expected {expected} here, found {}", describe_found(found));
        d.help = Some(if found == "enum" {
            "remove the `!tag` before the value: annalist files use no YAML tags".into()
        } else {
            "see events/README.md for the form of this field".into()
        });
    } else if message.contains("tab character") {
        d.message = "a tab is used for indentation here".into();
        d.help = Some("YAML indents with spaces only: replace the tab with spaces".into());
    } else if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("found character that cannot start")
    {
        d.message = format!("YAML syntax error: {message}");
        d.help = Some(syntax_hint(&message));
    }
    d
}

/// The words for a file nested deeper than serde_yaml's or `flow_too_deep`'s limit.
fn too_deep(mut d: Diagnostic) -> Diagnostic {
    d.message = "this file is nested too deeply to be an entry".into();
    d.help = Some("event files are a few levels deep; check the indentation".into());
    d
}

/// Flow collections (`[...]`, `{...}`) nested deeper than this are refused before
/// parsing: real files nest two or three deep, serde_yaml refuses anything past 128
/// levels anyway, and libyaml needs time quadratic in the depth to get there.
pub const MAX_FLOW_DEPTH: usize = 256;

/// What `scan` found first, with its line and column (from 1).
#[derive(Debug, PartialEq)]
enum Found {
    /// A `[` or `{` that opens a flow collection deeper than the limit.
    TooDeep(usize, usize),
    /// A YAML tag (`!!binary`, `!local`) before a value.
    Tag(usize, usize, String),
}

/// Finds the first `[` or `{` that opens a flow collection deeper than `limit`, or the
/// first YAML tag, in one pass over the text: a simplified YAML scanner that knows
/// enough to leave out what is text (quoted scalars, comments, block scalars `|`/`>`,
/// and plain scalars in block context such as `title: a [b !c`), so that a valid file
/// is never refused.
fn scan(text: &str, limit: usize) -> Option<Found> {
    /// What the scanner is in, in block context (flow depth 0).
    #[derive(Clone, Copy, PartialEq)]
    enum Block {
        /// Where a value, a key or an indicator may start.
        Start,
        /// In a plain scalar, until `: `.
        Plain,
        /// After a quoted scalar or a flow collection, until `: `.
        Done,
        /// The content of a block scalar: lines indented deeper than `owner`.
        Literal,
    }
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut state = Block::Start;
    // The column of the key or `- ` that owns what follows, for block scalars and
    // plain scalars continued on the next lines; `None` at the top of the document.
    let mut owner: Option<usize> = None;
    // After `key: ` on this line: a scalar here is a value, not a new owner.
    let mut after_colon = false;
    // The owner of the plain scalar being read: the key before `: `, or the `- ` of a
    // sequence item (whose own column `owner` takes, in case the scalar is a key).
    let mut value_owner: Option<usize> = None;
    // A plain scalar at the end of a line goes on on lines indented deeper than this.
    let mut plain_goes_on: Option<Option<usize>> = None;
    // In flow context: whether a token may start here (after `[`, `{`, `,`, `: `).
    let mut token_start = true;
    let mut after_quoted = false;
    let mut prev = '\n';
    let mut at_line_start = true;
    let mut indent = 0usize;
    let deeper = |indent: usize, o: Option<usize>| o.is_none_or(|o| indent > o);
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            if depth == 0 && state == Block::Plain {
                plain_goes_on = Some(value_owner);
            }
            line += 1;
            column = 0;
            prev = c;
            at_line_start = true;
            indent = 0;
            after_colon = false;
            if state != Block::Literal {
                state = Block::Start;
            }
            continue;
        }
        if at_line_start {
            if c == ' ' {
                indent += 1;
                prev = c;
                continue;
            }
            at_line_start = false;
            if depth == 0 && state == Block::Literal {
                if c == '\r' || c == '\t' || deeper(indent, owner) {
                    skip_line(&mut chars, &mut column);
                    continue;
                }
                state = Block::Start;
            }
            if depth == 0
                && let Some(o) = plain_goes_on.take()
                && c != '#'
                && deeper(indent, o)
            {
                // The plain scalar goes on: this line is its text, up to a comment.
                state = Block::Plain;
                value_owner = o;
                prev = c;
                continue;
            }
        }
        let next_blank = matches!(chars.peek(), Some(' ' | '\t' | '\n' | '\r') | None);
        if c == '#' && matches!(prev, ' ' | '\t' | '\n') {
            skip_line(&mut chars, &mut column);
            continue;
        }
        if depth > 0 {
            match c {
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(Found::TooDeep(line, column));
                    }
                    token_start = true;
                }
                ']' | '}' => {
                    depth -= 1;
                    token_start = false;
                    if depth == 0 {
                        state = Block::Done;
                    }
                }
                ',' => token_start = true,
                ':' | '?' if next_blank || after_quoted => token_start = true,
                '"' | '\'' if token_start => {
                    skip_quoted(c, &mut chars, &mut line, &mut column);
                    token_start = false;
                    after_quoted = true;
                    prev = c;
                    continue;
                }
                '!' if token_start => return Some(tag(&mut chars, line, column)),
                '&' | '*' if token_start => skip_word(&mut chars, &mut column),
                ' ' | '\t' | '\r' => {}
                _ => token_start = false,
            }
            after_quoted = false;
            prev = c;
            continue;
        }
        match (state, c) {
            (Block::Start, '[' | '{') => {
                if !after_colon {
                    owner = Some(column - 1);
                }
                depth = 1;
                if depth > limit {
                    return Some(Found::TooDeep(line, column));
                }
                token_start = true;
                after_quoted = false;
            }
            (Block::Start, '"' | '\'') => {
                if !after_colon {
                    owner = Some(column - 1);
                }
                skip_quoted(c, &mut chars, &mut line, &mut column);
                state = Block::Done;
            }
            (Block::Start, '|' | '>') => {
                skip_line(&mut chars, &mut column);
                state = Block::Literal;
                prev = '\n';
                continue;
            }
            (Block::Start, '-') if next_blank => {
                owner = Some(column - 1);
                after_colon = false;
            }
            (Block::Start, '?') if next_blank => {}
            (Block::Start | Block::Plain | Block::Done, ':') if next_blank => {
                state = Block::Start;
                after_colon = true;
            }
            (Block::Start, '!') => return Some(tag(&mut chars, line, column)),
            (Block::Start, '&' | '*') => skip_word(&mut chars, &mut column),
            (Block::Start, ' ' | '\t' | '\r') => {}
            (Block::Start, _) => {
                value_owner = owner;
                if !after_colon {
                    owner = Some(column - 1);
                }
                state = Block::Plain;
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// Skips to the end of the line (leaving the line break to the caller).
fn skip_line(chars: &mut std::iter::Peekable<std::str::Chars>, column: &mut usize) {
    while chars.next_if(|&c| c != '\n').is_some() {
        *column += 1;
    }
}

/// Skips an anchor or an alias name: up to a blank, a flow indicator or the end of the
/// line.
fn skip_word(chars: &mut std::iter::Peekable<std::str::Chars>, column: &mut usize) {
    while chars.next_if(|&c| !ends_word(c)).is_some() {
        *column += 1;
    }
}

fn ends_word(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | ',' | '[' | ']' | '{' | '}')
}

/// The tag whose `!` is at `line`, `column`, shortened for a message.
fn tag(chars: &mut std::iter::Peekable<std::str::Chars>, line: usize, column: usize) -> Found {
    let mut tag = String::from("!");
    while let Some(c) = chars.next_if(|&c| !ends_word(c)) {
        if tag.chars().count() < 40 {
            tag.push(c);
        }
    }
    Found::Tag(line, column, tag)
}

/// Skips a quoted scalar after its opening `quote`, over lines: `\` escapes in double
/// quotes, `''` in single quotes.
fn skip_quoted(
    quote: char,
    chars: &mut std::iter::Peekable<std::str::Chars>,
    line: &mut usize,
    column: &mut usize,
) {
    while let Some(c) = chars.next() {
        *column += 1;
        match c {
            '\n' => {
                *line += 1;
                *column = 0;
            }
            // An escaped character (a line break escaped is counted as one above).
            '\\' if quote == '"' && chars.next_if(|&c| c != '\n').is_some() => {
                *column += 1;
            }
            '\'' if quote == '\'' => {
                if chars.next_if_eq(&'\'').is_some() {
                    *column += 1;
                } else {
                    return;
                }
            }
            '"' if quote == '"' => return,
            _ => {}
        }
    }
}

/// serde's "map" / "sequence" / "string \"x\"" in words an editor knows.
fn describe_found(found: &str) -> String {
    match found {
        "map" => "a map of fields (`key: value` lines)".into(),
        "sequence" => "a list".into(),
        "enum" => "a value with a YAML tag (`!...`)".into(),
        other => match other.strip_prefix("string ") {
            Some(s) => format!("the text {s}"),
            None => other.to_string(),
        },
    }
}

/// Whether the text could make serde_yaml expand or nest without bound: an anchor
/// (`&name` where a value starts: at the start, or after a space, a bracket, a comma or
/// a line break; the only way to use aliases, and false for Markdown `**bold**` and
/// prose `R&D`, `a & b`) or four opening brackets or braces in a row. One pass over the
/// bytes: it runs on every file.
fn may_expand(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = (0u8, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'&' => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                if matches!(before, None | Some(b' ' | b'[' | b',' | b'{' | b'\n'))
                    && after.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    return true;
                }
                run = (0, 0);
            }
            b'[' | b'{' => {
                run = if run.0 == b { (b, run.1 + 1) } else { (b, 1) };
                if run.1 == 4 {
                    return true;
                }
            }
            _ => run = (0, 0),
        }
    }
    false
}

/// The position of the first `*alias` in the text.
fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for (j, &b) in bytes.iter().enumerate() {
            let starts_alias = b == b'*'
                && (j == 0 || matches!(bytes[j - 1], b' ' | b'[' | b',' | b'{' | b':'))
                && bytes
                    .get(j + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
            if starts_alias {
                return Some((i + 1, line[..j].chars().count() + 1));
            }
        }
    }
    None
}

fn syntax_hint(message: &str) -> String {
    if message.contains("mapping values are not allowed") {
        "a text containing `: ` must be put in quotes".into()
    } else if message.contains("cannot start any token") && message.contains('\t') {
        "YAML does not allow tabs for indentation; use spaces".into()
    } else if message.contains("cannot start any token") {
        "put the value in quotes".into()
    } else {
        "check the indentation and quotes on this line and the one before".into()
    }
}

fn split_path(raw: &str) -> (String, String) {
    // A path is made of field names, indices and dots, followed by ": ".
    if let Some((head, tail)) = raw.split_once(": ") {
        let looks_like_path = !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
        if looks_like_path && !head.contains(' ') {
            return (head.to_string(), tail.to_string());
        }
    }
    (String::new(), raw.to_string())
}

/// Finds the second `field:` key at the indentation of the map that holds it.
fn second_occurrence(text: &str, field: &str, map_column: Option<usize>) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches([' ', '-']);
        let indent = line.len() - trimmed.len();
        let matches = trimmed
            .strip_prefix(field)
            .is_some_and(|r| r.trim_start().starts_with(':'));
        if matches && map_column.is_none_or(|c| indent + 1 >= c) {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, indent + 1));
            }
        }
    }
    None
}

/// `path` relative to `root` when it is inside it.
pub use crate::layout::relative;

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn read_file_refuses_links_on_the_way_and_at_the_end() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("environ"), "CI_TOKEN=x").expect("write");
        std::fs::create_dir_all(root.path().join("events/2025")).expect("mkdir");
        let link = Path::new("events/2025/a.yaml");
        std::os::unix::fs::symlink(outside.path().join("environ"), root.path().join(link))
            .expect("symlink");
        let d = read_file(&root.path().join(link), link).expect_err("a link");
        assert_eq!(d.file, link);
        assert!(d.message.contains("symbolic link"), "{d:?}");
        assert!(
            d.help
                .is_some_and(|h| h.contains("replace the link with the file itself"))
        );
        // A linked folder on the way, and a linked file named by its absolute path.
        std::os::unix::fs::symlink(outside.path(), root.path().join("events/1999"))
            .expect("symlink");
        let through = Path::new("events/1999/environ");
        let d = read_file(&root.path().join(through), through).expect_err("a linked folder");
        assert!(
            d.message.contains("`events/1999` is a symbolic link"),
            "{d:?}"
        );
        let abs = root.path().join(link);
        assert!(read_file(&abs, &abs).is_err());
        // The same file, not linked, is read.
        let real = outside.path().join("environ");
        assert_eq!(read_file(&real, &real).expect("a file"), b"CI_TOKEN=x");
    }

    #[cfg(unix)]
    #[test]
    fn read_optional_tells_nothing_from_a_dangling_link() {
        let root = tempfile::tempdir().expect("tempdir");
        let shown = Path::new("annalist.yaml");
        let path = root.path().join(shown);
        assert_eq!(read_optional(&path, shown), Ok(None));
        std::os::unix::fs::symlink(root.path().join("nowhere"), &path).expect("symlink");
        assert!(read_optional(&path, shown).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_events_folder_is_one_error() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(outside.path().join("2025")).expect("mkdir");
        std::os::unix::fs::symlink(outside.path(), root.path().join("events")).expect("link");
        let loaded = load(root.path());
        assert_eq!(loaded.report.diagnostics.len(), 1, "{:?}", loaded.report);
        assert!(
            loaded.report.diagnostics[0]
                .message
                .contains("symbolic link")
        );
    }

    #[test]
    fn may_expand_finds_anchors_and_deep_brackets_only() {
        for text in [
            "a: &x 1\nb: *x\n",
            "&top\na: 1\n",
            "a: [&x 1, *x]\n",
            "a: [[[[1]]]]\n",
            "a: {{{{b: 1}}}}\n",
        ] {
            assert!(may_expand(text), "{text:?}");
        }
        for text in [
            "title: Tom & Jerry\n",
            "url: \"https://x.org/?a=1&b=2\"\n",
            "a: [[[1]]]\n",
            "a: [{[{1}]}]\n",
            "body: \"&\"\n",
        ] {
            assert!(!may_expand(text), "{text:?}");
        }
    }

    fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
        match scan(text, limit) {
            Some(Found::TooDeep(line, column)) => Some((line, column)),
            Some(Found::Tag(..)) => panic!("a tag in {text:?}"),
            None => None,
        }
    }

    /// The flow depth `scan` sees in `text`: the smallest limit it accepts.
    fn flow_depth(text: &str) -> usize {
        (0..10)
            .find(|&d| flow_too_deep(text, d).is_none())
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn tags_are_found_where_a_value_starts_only() {
        for (text, found) in [
            ("a: !!binary aGVsbG8=\n", Some((1, 4, "!!binary"))),
            ("a: [b, !!str 1]\n", Some((1, 8, "!!str"))),
            ("a:\n  - !x\n", Some((2, 5, "!x"))),
            ("!!map\na: b\n", Some((1, 1, "!!map"))),
            (
                "a: {k: !<tag:yaml.org,2002:str> x}\n",
                Some((1, 8, "!<tag:yaml.org")),
            ),
            ("title: Attention !\n", None),
            ("title: \"!!binary x\"\n", None),
            ("title: '!x'\n", None),
            ("body: |\n  !!binary\n", None),
            ("a: b # !x\n", None),
            ("a: [b!c]\n", None),
        ] {
            let got = match scan(text, MAX_FLOW_DEPTH) {
                Some(Found::Tag(l, c, t)) => Some((l, c, t)),
                _ => None,
            };
            assert_eq!(
                got,
                found.map(|(l, c, t)| (l, c, t.to_string())),
                "{text:?}"
            );
        }
        let ds = event(&format!("{GOOD}body: !!binary aGVsbG8=\n")).expect_err("a tag");
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "`!!binary` is a YAML tag; annalist files use no tags"
        );
        assert_eq!((ds[0].line, ds[0].column), (Some(9), Some(7)));
    }

    #[test]
    fn flow_depth_counts_only_brackets_that_open_collections() {
        for (text, depth) in [
            ("tags: [a, b]\n", 1),
            ("a: [[1], {b: [2]}]\n", 3),
            ("[[[a]]]\n", 3),
            ("a: &x [[b]]\n", 2),
            ("a: [l'x, [b]]\n", 2),
            ("a: {\"k\":\"[[[\"}\n", 1),
            ("a: [\"[[[\", '[[', b c, {x: \"]]]\"}]\n", 2),
            ("a: [b # [[[\n  , [c]]\n", 2),
            ("a: [b]\r\nc: [[d]]\r\n", 2),
            ("- |\n  [[[\n- [a]\n", 1),
            ("# [[[[\ntags: [a] # [[[\n", 1),
            ("body: |\n  [[[[\n  x\n\n  [[[\ntags: [a]\n", 1),
            (
                "actors:\n  - id: x\n    note: |\n      [[[[\n    tags: [[a]]\n",
                2,
            ),
            ("\"key\": [[a]]\n", 2),
            // Brackets that are text.
            ("title: \"[[[[\"\n", 0),
            ("title: '[[[[ it''s'\n", 0),
            ("title: a [[[[ b\n", 0),
            ("title: l'attaque [[\n  suite [[[\n", 0),
            ("title: a\n  [b\n  {c\ndate: [x]\n", 1),
            ("- a\n  [b\n- [c]\n", 1),
            ("body: >-\n  {{{{\n", 0),
            ("a: \"multi\n  line [[[\"\n", 0),
            ("a: \"esc \\\" [[[\"\n", 0),
            ("url: http://x.org/[[\n", 0),
            ("a: b#[[[\n", 0),
            ("a: b # [[[\n", 0),
            ("|\n[[[\n", 0),
        ] {
            assert_eq!(flow_depth(text), depth, "{text:?}");
        }
    }

    #[test]
    fn no_file_of_the_repository_nests_flow_collections_deeper_than_three_or_has_a_tag() {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        walk(&repo.join("events"), &mut files);
        walk(&repo.join("tests/fixtures"), &mut files);
        assert!(files.len() > 50, "{}", files.len());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            // The fixtures made to be refused, and the fuzzers' hostile inputs.
            let shown = f.to_string_lossy();
            if ["/deep-nesting/", "/yaml-tag/", "/fuzz/"]
                .iter()
                .any(|c| shown.contains(c))
            {
                continue;
            }
            assert_eq!(scan(&text, 3), None, "{}", f.display());
        }
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_the_first_bracket_over_the_limit() {
        let text = format!("title: x\ntags: {}\n", "[".repeat(MAX_FLOW_DEPTH + 10));
        assert_eq!(
            flow_too_deep(&text, MAX_FLOW_DEPTH),
            Some((2, 7 + MAX_FLOW_DEPTH))
        );
        let ds = event(&text).expect_err("refused");
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds[0].message,
            "this file is nested too deeply to be an entry"
        );
        assert_eq!(
            (ds[0].line, ds[0].column),
            (Some(2), Some(7 + MAX_FLOW_DEPTH))
        );
    }

    fn known() -> Arc<Known> {
        let mut k = Known::default();
        k.actors.extend(["jnim".to_string(), "fama".to_string()]);
        k.locations
            .extend(["djoura".to_string(), "mali".to_string()]);
        k.events.insert("2025-05-23-a".to_string());
        Arc::new(k)
    }

    const GOOD: &str = "title: Attaque\ndate: 2025-05-23\ntype: attack\nstatus: claimed\nlocations: [djoura]\nactors:\n  - id: jnim\n    role: perpetrator\n";

    fn event(text: &str) -> Result<EventFile, Vec<Diagnostic>> {
        parse_event(text, Path::new("e.yaml"), "2025-05-23-b", &known())
    }

    fn positions(ds: &[Diagnostic]) -> Vec<(usize, usize, String)> {
        ds.iter()
            .map(|d| {
                (
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_good_event_parses() {
        let e = event(GOOD).expect("parses");
        assert_eq!(e.locations[0].as_str(), "djoura");
    }

    #[test]
    fn every_semantic_problem_in_a_file_is_reported_at_its_value() {
        let text = GOOD
            .replace("[djoura]", "[djoura, dioura]")
            .replace("id: jnim", "id: jnimm")
            .replace("2025-05-23", "2025-02-30");
        let ds = event(&text).expect_err("fails");
        let p = positions(&ds);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!((p[0].0, p[0].1), (2, 7), "{p:?}");
        assert!(p[1].2.contains("unknown location `dioura`"), "{p:?}");
        assert_eq!((p[1].0, p[1].1), (5, 21));
        assert_eq!(p[2].2, "unknown actor `jnimm`");
        assert_eq!((p[2].0, p[2].1), (7, 9));
        assert_eq!(ds[2].help.as_deref(), Some("did you mean `jnim`?"));
    }

    #[test]
    fn an_unknown_field_suggests_the_right_one() {
        let ds = event(&GOOD.replace("actors:", "actros:")).expect_err("fails");
        assert_eq!(ds[0].message, "unknown field `actros`");
        assert_eq!(ds[0].help.as_deref(), Some("did you mean `actors`?"));
        assert_eq!((ds[0].line, ds[0].column), (Some(6), Some(1)));
    }

    #[test]
    fn null_and_empty_required_values_are_errors() {
        for bad in ["title: ~", "title: null", "title:", "title: ''"] {
            let ds = event(&GOOD.replace("title: Attaque", bad)).expect_err(bad);
            assert_eq!(ds.len(), 1, "{bad}: {:?}", positions(&ds));
            assert_eq!(ds[0].line, Some(1), "{bad}");
            assert!(ds[0].message.contains("empty"), "{bad}: {}", ds[0].message);
        }
    }

    #[test]
    fn a_duplicate_key_points_at_the_second_one() {
        let ds = event(&format!("{GOOD}title: Encore\n")).expect_err("fails");
        assert_eq!(ds[0].message, "the field `title` is written twice");
        assert_eq!(ds[0].line, Some(9));
    }

    #[test]
    fn a_missing_field_names_it() {
        let ds = event(&GOOD.replace("status: claimed\n", "")).expect_err("fails");
        assert_eq!(ds[0].message, "missing field `status`");
        assert_eq!(ds[0].help.as_deref(), Some("add `status:` with its value"));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_fail_fast() {
        let mut bomb = String::from("tags: [&a [x, x, x, x, x, x, x, x, x]");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!(
                ", &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"
            ));
        }
        bomb.push_str("]\n");
        let ds = event(&bomb).expect_err("fails");
        assert!(ds[0].message.contains("alias"), "{}", ds[0].message);
        let deep = format!("tags: {}{}\n", "[".repeat(1000), "]".repeat(1000));
        let ds = event(&deep).expect_err("fails");
        assert!(
            ds[0].message.contains("nested too deeply"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn bytes_that_are_not_text_are_refused_with_a_position() {
        let d = decode(b"title: ok\ndate: \xff\n", Path::new("x.yaml")).expect_err("fails");
        assert_eq!((d.line, d.column), (Some(2), Some(7)));
        assert_eq!(
            decode(b"\xEF\xBB\xBFtitle: x\n", Path::new("x"))
                .ok()
                .as_deref(),
            Some("title: x\n")
        );
        assert!(decode(b"  \n", Path::new("x")).is_err());
    }
}
