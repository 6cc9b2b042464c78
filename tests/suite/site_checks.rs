//! Checks on a built site, for the build tests: a tiny HTML tag scanner, a link
//! checker, a strict XML parse (roxmltree) and an Atom (RFC 4287) feed checker, and
//! helpers to copy, run and compare folders.
#![allow(dead_code)] // each suite uses its own subset

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------
// Running the binary and handling folders

/// What a run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `annalist <args>` in `cwd` without colours, with extra environment variables.
pub fn run_env<S: AsRef<OsStr>>(args: &[S], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.args(args).current_dir(cwd).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run annalist");
    Output {
        code: out.status.code().expect("annalist exited with a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `annalist <args>` in `cwd` without colours.
pub fn run<S: AsRef<OsStr>>(args: &[S], cwd: &Path) -> Output {
    run_env(args, cwd, &[])
}

/// One entry of a folder tree: a file's bytes, a folder, or a symlink's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(Vec<u8>),
    Dir,
    Link(PathBuf),
}

/// Every entry under `dir` by relative path (forward slashes), without following
/// symlinks: to compare trees byte for byte.
pub fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let path = entry.expect("read folder entry").path();
            let rel = rel_path(base, &path);
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&path).expect("link")));
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(base, &path, out);
            } else {
                out.insert(rel, Entry::File(std::fs::read(&path).expect("read file")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The files of a tree only, by relative path.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter_map(|(k, v)| match v {
            Entry::File(b) => Some((k, b)),
            _ => None,
        })
        .collect()
}

/// Asserts two trees are identical, naming the first entries that differ.
pub fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    let (ta, tb) = (tree(a), tree(b));
    if ta == tb {
        return;
    }
    let keys: BTreeSet<&String> = ta.keys().chain(tb.keys()).collect();
    let diffs: Vec<String> = keys
        .into_iter()
        .filter(|k| ta.get(*k) != tb.get(*k))
        .take(10)
        .map(|k| match (ta.get(k), tb.get(k)) {
            (Some(_), None) => format!("{k}: only in the first"),
            (None, Some(_)) => format!("{k}: only in the second"),
            _ => format!("{k}: differs"),
        })
        .collect();
    panic!("{what}: the trees differ:\n  {}", diffs.join("\n  "));
}

fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .expect("path inside base")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Copies the chronology at `root` (its `annalist.yaml`, `events/` and `templates/`,
/// not its git history) into `to`, creating files and folders in reverse order of
/// their names: a build must not depend on the order the file system lists them in.
pub fn copy_chronology_reversed(root: &Path, to: &Path) {
    copy_chronology(root, to, true)
}

/// The files of the chronology at `root` (`annalist.yaml`, everything under `events/`
/// and `templates/`), sorted.
pub fn chronology_files(root: &Path) -> Vec<PathBuf> {
    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                collect(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for part in ["events", "templates"] {
        if root.join(part).is_dir() {
            collect(&root.join(part), &mut paths);
        }
    }
    if root.join("annalist.yaml").is_file() {
        paths.push(root.join("annalist.yaml"));
    }
    paths.sort();
    paths
}

/// Copies the chronology at `root` into `to`, creating files in the order of their
/// names, or in reverse order.
pub fn copy_chronology(root: &Path, to: &Path, reverse: bool) {
    let mut paths = chronology_files(root);
    if reverse {
        paths.reverse();
    }
    for path in paths {
        let target = to.join(path.strip_prefix(root).expect("inside root"));
        std::fs::create_dir_all(target.parent().expect("parent")).expect("create folder");
        std::fs::copy(&path, &target).expect("copy file");
    }
}

/// Every file under `dir` whose name ends with `ext`, as relative paths, sorted.
pub fn files_ending(dir: &Path, ext: &str) -> Vec<String> {
    tree(dir)
        .into_iter()
        .filter(|(k, v)| matches!(v, Entry::File(_)) && k.ends_with(ext))
        .map(|(k, _)| k)
        .collect()
}

// ---------------------------------------------------------------------------------
// HTML: a tag scanner, enough for pages written by templates

/// A tag of an HTML page, with its attributes decoded.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Lowercase name.
    pub name: String,
    pub closing: bool,
    pub self_closing: bool,
    pub attrs: Vec<(String, String)>,
    /// Byte offsets of the tag in the page: `html[start..end]` is `<...>`.
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The tags of `html` in order, skipping comments, the doctype and the content of raw
/// text elements (`<script>`, `<style>`, `<title>`).
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest
                .find("-->")
                .map(|e| start + e + 3)
                .unwrap_or(html.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map(|e| start + e + 1).unwrap_or(html.len());
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        if name_start >= b.len() || !b[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let mut j = name_start;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        // Attributes.
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                self_closing = true;
                j += 1;
                continue;
            }
            let a_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>') {
                j += 1;
            }
            let a_name = html[a_start..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let v_start = j + 1;
                    let v_end = html[v_start..]
                        .bytes()
                        .position(|c| c == q)
                        .map(|p| v_start + p)
                        .unwrap_or(html.len());
                    value = decode_entities(&html[v_start..v_end]);
                    j = (v_end + 1).min(html.len());
                } else {
                    let v_start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities(&html[v_start..j]);
                }
            }
            if !a_name.is_empty() {
                self_closing = false;
                attrs.push((a_name, value));
            }
        }
        out.push(Tag {
            name: name.clone(),
            closing,
            self_closing,
            attrs,
            start,
            end: j,
        });
        i = j;
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            // Skip to the end tag, as a browser does.
            let close = format!("</{name}");
            i = find_ci(html, &close, j).unwrap_or(html.len());
        }
    }
    out
}

/// Case-insensitive search of ASCII `needle` in `hay` from `from`.
pub fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (from..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the character references templates and Markdown produce (named ones for
/// markup characters, and numeric ones).
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(semi) = rest.bytes().take(12).position(|c| c == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The visible text of an HTML fragment: tags removed, references decoded, spaces
/// collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    for t in tags(html) {
        if t.start > i {
            out.push_str(&html[i..t.start]);
        }
        out.push(' ');
        i = t.end;
        if !t.closing && RAW_TEXT.contains(&t.name.as_str()) {
            i = find_ci(html, &format!("</{}", t.name), t.end).unwrap_or(html.len());
        }
    }
    out.push_str(&html[i.min(html.len())..]);
    let decoded = decode_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of some HTML as a reader reads it: tags removed (not made spaces, so that a
/// name split by a link reads whole), references decoded, blanks joined.
pub fn joined_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The outer HTML of every element whose start tag satisfies `pred`, found by counting
/// the nesting of its tag name.
pub fn elements(html: &str, pred: impl Fn(&Tag) -> bool) -> Vec<&str> {
    let all = tags(html);
    let mut out = Vec::new();
    for (k, t) in all.iter().enumerate() {
        if t.closing || !pred(t) {
            continue;
        }
        if VOID.contains(&t.name.as_str()) || t.self_closing {
            out.push(&html[t.start..t.end]);
            continue;
        }
        let mut depth = 0usize;
        let mut end = html.len();
        for u in &all[k + 1..] {
            if u.name != t.name {
                continue;
            }
            if !u.closing {
                depth += 1;
            } else if depth == 0 {
                end = u.end;
                break;
            } else {
                depth -= 1;
            }
        }
        out.push(&html[t.start..end]);
    }
    out
}

/// Every `id` (and `<a name>`) of a page: the targets of `#fragment` links.
pub fn anchors(html: &str) -> BTreeSet<String> {
    tags(html)
        .into_iter()
        .filter(|t| !t.closing)
        .flat_map(|t| {
            let mut v: Vec<String> = t.attr("id").map(str::to_string).into_iter().collect();
            if t.name == "a" {
                v.extend(t.attr("name").map(str::to_string));
            }
            v
        })
        .collect()
}

/// Every `href` and `src` of a page, decoded.
pub fn link_targets(html: &str) -> Vec<(String, String)> {
    tags(html)
        .into_iter()
        .filter(|t| !t.closing)
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "href" || n == "src")
                .map(move |(_, v)| (t.name.clone(), v))
        })
        .collect()
}

/// Whether a link target leaves the site: a scheme the link checker does not follow.
pub fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http:", "https:", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Decodes `%XX` escapes of a URL path.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves `link` (a relative URL path, already without query and fragment) from
/// the page at site path `page`; `None` when it climbs above the site root.
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    let ends_in_dir = link.ends_with('/') || link.is_empty();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if ends_in_dir {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Checks every internal link of every HTML page of the site at `dir`: the target
/// file exists (a link ending in `/` needs an `index.html`), its `#fragment` is an id
/// of the target page, and no link is absolute (`/x`, `//host/x`), except on the 404
/// pages, served at any depth, whose links start from the site root (`dir`). Returns
/// every problem, as `page: link: why`.
pub fn check_links(dir: &Path) -> Vec<String> {
    let site = files(dir);
    let pages: HashMap<&str, String> = site
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k.as_str(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    let mut ids: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    let mut names: Vec<&&str> = pages.keys().collect();
    names.sort();
    for page in names {
        for (tag, raw) in link_targets(&pages[*page]) {
            let url = raw.trim();
            if is_external(url) {
                continue;
            }
            let not_found = *page == "404.html" || page.ends_with("/404.html");
            let (from, url) = match url.strip_prefix('/') {
                Some(rest) if not_found && !rest.starts_with(['/', '\\']) => ("index.html", rest),
                _ => (*page, url),
            };
            if url.starts_with('/') || url.starts_with('\\') {
                problems.push(format!("{page}: <{tag}> {raw:?}: absolute internal link"));
                continue;
            }
            let (before_fragment, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path_part = before_fragment
                .split_once('?')
                .map_or(before_fragment, |(p, _)| p);
            let target = if path_part.is_empty() {
                Some(page.to_string())
            } else {
                resolve(from, &percent_decode(path_part))
            };
            let Some(target) = target else {
                problems.push(format!("{page}: <{tag}> {raw:?}: leaves the site"));
                continue;
            };
            if !site.contains_key(&target) {
                problems.push(format!("{page}: <{tag}> {raw:?}: no file {target}"));
                continue;
            }
            let Some(fragment) = fragment.map(percent_decode) else {
                continue;
            };
            if fragment.is_empty() {
                continue; // `#` is the top of the page
            }
            let Some(html) = pages.get(target.as_str()) else {
                problems.push(format!(
                    "{page}: <{tag}> {raw:?}: a fragment into {target}, which is not a page"
                ));
                continue;
            };
            let key = *pages.get_key_value(target.as_str()).expect("page").0;
            let set = ids.entry(key).or_insert_with(|| anchors(html));
            if !set.contains(&fragment) {
                problems.push(format!(
                    "{page}: <{tag}> {raw:?}: no id {fragment:?} in {target}"
                ));
            }
        }
    }
    problems
}

/// Elements that only hold phrasing content: a block element inside one is invalid
/// HTML, and browsers silently restructure the page around it.
const PHRASING_ONLY: &[&str] = &[
    "p", "span", "a", "strong", "em", "h1", "h2", "h3", "h4", "h5", "h6", "time", "dt",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "dl",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hr",
];

/// Checks a page's markup is explicitly balanced (every non-void element closed, in
/// order), that no `<a>` is nested in another, and that no block element stands
/// inside a phrasing-only one such as `<p>`. Returns the problems.
pub fn check_nesting(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    for t in tags(html) {
        if VOID.contains(&t.name.as_str()) {
            continue;
        }
        if t.closing {
            match stack.iter().rposition(|n| *n == t.name) {
                Some(p) if p == stack.len() - 1 => {
                    stack.pop();
                }
                Some(p) => {
                    problems.push(format!(
                        "</{}> closes <{}> while <{}> is still open",
                        t.name,
                        t.name,
                        stack[p + 1..].join("> <")
                    ));
                    stack.truncate(p);
                }
                None => problems.push(format!("</{}> without a start tag", t.name)),
            }
            continue;
        }
        if t.self_closing {
            continue;
        }
        if BLOCK.contains(&t.name.as_str())
            && let Some(parent) = stack.last()
            && PHRASING_ONLY.contains(&parent.as_str())
        {
            problems.push(format!("<{}> inside <{parent}>", t.name));
        }
        if t.name == "a" && stack.iter().any(|n| n == "a") {
            problems.push("<a> inside <a>".to_string());
        }
        stack.push(t.name);
    }
    if !stack.is_empty() {
        problems.push(format!("never closed: <{}>", stack.join("> <")));
    }
    problems
}

// ---------------------------------------------------------------------------------
// XML: feeds and the sitemap, parsed by roxmltree into a small owned tree

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// An element of an XML document: its local name and namespace (so that `<atom:feed>`
/// and `<feed xmlns="...Atom">` are the same element), attributes and children.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub namespace: Option<String>,
    /// By qualified name (`href`, `xml:lang`); namespace declarations are not
    /// attributes (see `namespace`).
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The child elements named `name` in this element's namespace.
    pub fn all(&self, name: &str) -> Vec<&Element> {
        self.elements()
            .filter(|e| e.name == name && e.namespace == self.namespace)
            .collect()
    }

    /// The text content (decoded), of this element only.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .map(|n| match n {
                Node::Text(t) => t.as_str(),
                Node::Element(_) => "",
            })
            .collect()
    }
}

/// Parses a whole XML document strictly (roxmltree: well-formed XML 1.0 with its
/// namespaces, no DTD, so only the five predefined entities and character references).
/// The error names the line and column.
pub fn parse_xml(xml: &str) -> Result<Element, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    Ok(owned(doc.root_element()))
}

fn owned(node: roxmltree::Node) -> Element {
    let attrs = node
        .attributes()
        .map(|a| {
            let name = match a.namespace() {
                Some(ns) => match node.lookup_prefix(ns) {
                    Some(prefix) => format!("{prefix}:{}", a.name()),
                    None => format!("{{{ns}}}{}", a.name()),
                },
                None => a.name().to_string(),
            };
            (name, a.value().to_string())
        })
        .collect();
    let children = node
        .children()
        .filter_map(|c| {
            if c.is_element() {
                Some(Node::Element(owned(c)))
            } else if c.is_text() {
                c.text().map(|t| Node::Text(t.to_string()))
            } else {
                None // comments and processing instructions
            }
        })
        .collect();
    Element {
        name: node.tag_name().name().to_string(),
        namespace: node.tag_name().namespace().map(str::to_string),
        attrs,
        children,
    }
}

// ---------------------------------------------------------------------------------
// Atom (RFC 4287)

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// Whether `s` is an absolute IRI: a scheme, a colon, something after it.
fn is_absolute_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.contains(char::is_whitespace)
}

fn check_date(what: &str, e: Option<&Element>, problems: &mut Vec<String>) {
    if let Some(e) = e {
        let t = e.text();
        if chrono::DateTime::parse_from_rfc3339(t.trim()).is_err() || t.trim() != t {
            problems.push(format!(
                "{what}: <{}> {t:?} is not an RFC 3339 date",
                e.name
            ));
        }
    }
}

/// `atom:title`, `atom:summary`, `atom:content`...: a text construct (RFC 4287 §3.1)
/// of type text or html must hold text only: escaped markup, no child elements.
fn check_text_construct(what: &str, e: &Element, problems: &mut Vec<String>) {
    let ty = e.attr("type").unwrap_or("text");
    match ty {
        "text" | "html" => {
            if let Some(child) = e.elements().next() {
                problems.push(format!(
                    "{what}: <{}> of type {ty} holds a raw <{}> element instead of escaped text",
                    e.name, child.name
                ));
            }
        }
        "xhtml" => {}
        other if e.name == "content" && other.contains('/') => {}
        other => problems.push(format!(
            "{what}: <{}> has an unknown type {other:?}",
            e.name
        )),
    }
}

/// Exactly one child named `name`; records a problem otherwise.
fn one<'e>(
    what: &str,
    parent: &'e Element,
    name: &str,
    problems: &mut Vec<String>,
) -> Option<&'e Element> {
    let all = parent.all(name);
    match all.len() {
        1 => Some(all[0]),
        n => {
            problems.push(format!(
                "{what}: {n} <{name}> elements, RFC 4287 wants exactly one"
            ));
            None
        }
    }
}

fn has_author(e: &Element) -> bool {
    e.all("author")
        .iter()
        .any(|a| a.all("name").iter().any(|n| !n.text().trim().is_empty()))
}

/// Checks one Atom feed document against RFC 4287: the feed has exactly one `id`,
/// `title` and `updated` (RFC 3339), a `link rel="self"`, an author (or every entry
/// has one); every entry has exactly one `id`, `title` and `updated`, an alternate
/// link when it has no content, and an id unique in the feed; ids are absolute IRIs;
/// text constructs hold escaped text, never raw markup. Returns the problems.
pub fn check_feed(xml: &str) -> Vec<String> {
    let feed = match parse_xml(xml) {
        Ok(f) => f,
        Err(e) => return vec![format!("not well-formed XML: {e}")],
    };
    let mut p = Vec::new();
    if feed.name != "feed" {
        p.push(format!("root element is <{}>, not <feed>", feed.name));
    }
    if feed.namespace.as_deref() != Some(ATOM_NS) {
        p.push(format!("feed namespace is {:?}", feed.namespace));
    }
    if let Some(id) = one("feed", &feed, "id", &mut p)
        && !is_absolute_iri(id.text().trim())
    {
        p.push(format!("feed: id {:?} is not an absolute IRI", id.text()));
    }
    if let Some(t) = one("feed", &feed, "title", &mut p) {
        check_text_construct("feed", t, &mut p);
    }
    for s in feed.all("subtitle") {
        check_text_construct("feed", s, &mut p);
    }
    check_date("feed", one("feed", &feed, "updated", &mut p), &mut p);
    let links = feed.all("link");
    if !links
        .iter()
        .any(|l| l.attr("rel") == Some("self") && l.attr("href").is_some_and(|h| !h.is_empty()))
    {
        p.push("feed: no <link rel=\"self\" href=...>".into());
    }
    for l in &links {
        if l.attr("href").is_none() {
            p.push("feed: a <link> without href".into());
        }
    }
    let entries = feed.all("entry");
    let feed_author = has_author(&feed);
    let mut seen = BTreeSet::new();
    for (n, entry) in entries.iter().enumerate() {
        let what = format!("entry {}", n + 1);
        if let Some(id) = one(&what, entry, "id", &mut p) {
            let id = id.text().trim().to_string();
            if !is_absolute_iri(&id) {
                p.push(format!("{what}: id {id:?} is not an absolute IRI"));
            }
            if !seen.insert(id.clone()) {
                p.push(format!("{what}: id {id:?} repeats an earlier entry's"));
            }
        }
        if let Some(t) = one(&what, entry, "title", &mut p) {
            check_text_construct(&what, t, &mut p);
        }
        check_date(&what, one(&what, entry, "updated", &mut p), &mut p);
        if !feed_author && !has_author(entry) {
            p.push(format!("{what}: no author, and the feed has none"));
        }
        let contents = entry.all("content");
        if contents.len() > 1 {
            p.push(format!("{what}: {} <content> elements", contents.len()));
        }
        for c in &contents {
            check_text_construct(&what, c, &mut p);
        }
        for s in entry.all("summary") {
            check_text_construct(&what, s, &mut p);
        }
        if entry.all("summary").len() > 1 {
            p.push(format!("{what}: several <summary> elements"));
        }
        // RFC 4287 §4.1.1: an entry without content needs an alternate link.
        if contents.is_empty()
            && !entry
                .all("link")
                .iter()
                .any(|l| l.attr("rel").unwrap_or("alternate") == "alternate")
        {
            p.push(format!(
                "{what}: no <content> and no <link rel=\"alternate\"> (RFC 4287 §4.1.1)"
            ));
        }
    }
    p
}

// ---------------------------------------------------------------------------------
// The search index (`data/search/`, src/render/search.rs)

/// A tree's search index as the filter's script reads it: the head, every card row
/// (newest first) and the lists of words and filters, decoded.
pub struct SearchIndex {
    pub dir: PathBuf,
    pub head: serde_json::Value,
    pub rows: Vec<serde_json::Value>,
}

impl SearchIndex {
    /// The index of the tree at `tree` (a site, or one language's folder of it).
    pub fn read(tree: &Path) -> SearchIndex {
        let dir = tree.join("data/search");
        let json = |p: &Path| -> serde_json::Value {
            let raw = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(raw.lines().count(), 1, "{}: one line", p.display());
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let head = json(&dir.join("index.json"));
        let count = head["count"].as_u64().expect("count") as usize;
        let chunk = head["chunk"].as_u64().expect("chunk") as usize;
        let mut rows = Vec::new();
        for c in 0..count.div_ceil(chunk) {
            let file = json(&dir.join(format!("c/{c}.json")));
            rows.extend(file.as_array().expect("rows").iter().cloned());
        }
        assert_eq!(rows.len(), count, "one row per event");
        SearchIndex { dir, head, rows }
    }

    /// The ids of the events, newest first.
    pub fn ids(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| r[0].as_str().expect("id").to_string())
            .collect()
    }

    /// The position of `id` in the head's list `key` (`a` actors, `l` places).
    pub fn position(&self, key: &str, id: &str) -> usize {
        self.head[key]
            .as_array()
            .and_then(|a| a.iter().position(|x| x[0] == id))
            .unwrap_or_else(|| panic!("no {id} in {key}"))
    }

    /// The events (ids) of the filter list `name` (`a3`, `l0`, `t1`, `y2024`, …).
    pub fn facet(&self, name: &str) -> Vec<String> {
        let raw = std::fs::read_to_string(self.dir.join(format!("f/{name}.json")))
            .unwrap_or_else(|e| panic!("f/{name}.json: {e}"));
        let gaps: Vec<usize> = serde_json::from_str(&raw).expect("gaps");
        self.numbers_to_ids(&gaps)
    }

    fn numbers_to_ids(&self, gaps: &[usize]) -> Vec<String> {
        let ids = self.ids();
        let mut x = 0;
        gaps.iter()
            .map(|g| {
                x += g;
                ids[x].clone()
            })
            .collect()
    }

    /// The events (ids, newest first) with a word starting with `prefix` (folded, as
    /// the script folds it), read from the shards as the script does.
    pub fn word(&self, prefix: &str) -> Vec<String> {
        let keys: Vec<String> = self.head["w"]
            .as_array()
            .expect("w")
            .iter()
            .map(|k| k.as_str().expect("key").to_string())
            .collect();
        let mut hits = BTreeSet::new();
        for k in keys
            .iter()
            .filter(|k| prefix.starts_with(k.as_str()) || k.starts_with(prefix))
        {
            let file = if k.bytes().all(|b| b.is_ascii_alphanumeric()) {
                format!("w/w{k}.json")
            } else {
                let hex: String = k.bytes().map(|b| format!("{b:02x}")).collect();
                format!("w/x{hex}.json")
            };
            let raw = std::fs::read_to_string(self.dir.join(&file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            let shard: BTreeMap<String, Vec<usize>> = serde_json::from_str(&raw).expect("shard");
            for (term, gaps) in shard {
                if term.starts_with(prefix) {
                    let mut x = 0;
                    for g in gaps {
                        x += g;
                        hits.insert(x);
                    }
                }
            }
        }
        let ids = self.ids();
        hits.into_iter().map(|n| ids[n].clone()).collect()
    }
}
