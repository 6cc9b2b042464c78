//! Diagnostics: what `check` and `build` tell editors, in the style of rustc: the file,
//! line and column, the offending line with a marker under the value, and a hint.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar as _;

/// How serious a problem is: errors stop a build, warnings do not (unless denied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the chronology root where possible.
    pub file: PathBuf,
    /// 1-based line and column; `None` for problems with the file as a whole.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Order of the report: by file, then position, then message, so output is stable.
    fn sort_key(&self) -> (&Path, usize, usize, Severity, &str) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }

    /// Renders the diagnostic; `source` is the file's text, when it could be read.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let line_text = self
            .line
            .and_then(|l| source.and_then(|s| s.lines().nth(l.saturating_sub(1))));
        self.render_line(line_text, color)
    }

    /// Renders the diagnostic with the text of its line, when known. A report of many
    /// diagnostics in one file finds each line through an index (`LineIndex`) rather
    /// than by reading the file from the top each time.
    pub fn render_line(&self, line_text: Option<&str>, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let (bold, blue, reset) = if color {
            ("\x1b[1m", "\x1b[1;34m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let paint = if color { paint } else { "" };
        let mut out = String::new();
        // Messages, help and file names quote the input: escaped, so that a value
        // cannot drive the terminal (see `escape_controls`).
        let _ = writeln!(
            out,
            "{paint}{label}{reset}{bold}: {}{reset}",
            escape_controls(&self.message)
        );
        let file = self.file.display().to_string();
        let file = escape_controls(&file);
        let location = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.into_owned(),
        };
        let gutter = self.line.map(|l| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}{blue}-->{reset} {location}");
        if let (Some(l), Some(text)) = (self.line, line_text) {
            let text = text.trim_end_matches('\r');
            let chars: Vec<char> = text
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let col = self.column.unwrap_or(1).clamp(1, chars.len() + 1);
            let width = marker_width(&chars, col);
            // A very long line (a minified list, a pasted paragraph) is cut around the value.
            let (start, end) = window(chars.len(), col, width);
            // The marker is placed by display width, not by characters: a CJK character
            // or an emoji takes two columns, a combining mark none, an escape several.
            let mut shown = String::new();
            let (mut offset, mut marker) = (0, 0);
            if start > 0 {
                shown.push('…');
                offset += 1;
            }
            for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
                let columns = push_visible(&mut shown, c);
                if i < col - 1 {
                    offset += columns;
                } else if i < col - 1 + width {
                    marker += columns;
                }
            }
            if end < chars.len() {
                shown.push('…');
            }
            let width = marker.max(1);
            let _ = writeln!(out, "{pad} {blue}|{reset}");
            let _ = writeln!(out, "{blue}{l}{reset} {blue}|{reset} {shown}");
            let _ = writeln!(
                out,
                "{pad} {blue}|{reset} {}{paint}{}{reset}",
                " ".repeat(offset),
                "^".repeat(width)
            );
        }
        if let Some(help) = &self.help {
            let help = escape_controls(help);
            let _ = writeln!(out, "{pad} {blue}={reset} {bold}help{reset}: {help}");
        }
        out
    }
}

/// Where each line of a text starts, to find line `n` without reading the lines
/// before it. Lines are those of `str::lines` (a final line break starts no line).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(i, b)| b == b'\n' && i + 1 < text.len())
                .map(|(i, _)| i + 1),
        );
        if text.is_empty() {
            starts.clear();
        }
        LineIndex { text, starts }
    }

    /// Line `n`, counted from 1, without its line break; `None` past the end.
    pub fn line(&self, n: usize) -> Option<&'a str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Whether `c` must not reach a terminal as it is: control characters (C0 but the tab,
/// DEL, C1: escape sequences can retitle or clear the terminal, a carriage return or a
/// cursor move can overwrite a line and fake an "ok" in a CI log), the line and
/// paragraph separators, and the bidirectional controls that reorder what is shown.
fn must_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c` to `out` as it should be shown, returning the columns it takes: an
/// escape (`\n`, `\u{1b}`, as rustc shows them) for a character of `must_escape`.
fn push_visible(out: &mut String, c: char) -> usize {
    let before = out.len();
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if must_escape(c) => {
            let _ = write!(out, "{}", c.escape_unicode());
        }
        c => {
            out.push(c);
            return c.width().unwrap_or(0);
        }
    }
    out.len() - before
}

/// `text` as a terminal may show it: every character of `must_escape` (a line break
/// too) written as a visible escape, the rest unchanged. For every diagnostic and
/// every error message, since they quote the input.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_except(text, |_| false)
}

/// `escape_controls`, but line breaks are kept: for messages made of several lines.
pub fn escape_controls_keep_lines(text: &str) -> Cow<'_, str> {
    escape_except(text, |c| c == '\n')
}

fn escape_except(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| must_escape(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            push_visible(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// How many characters the marker covers: the value starting at `col`: a quoted string
/// to its closing quote; in a flow list or map (`[a, b]`) up to the next `,`, `]` or `}`;
/// otherwise up to a comment or the end of the line.
fn marker_width(line: &[char], col: usize) -> usize {
    let rest = &line[(col - 1).min(line.len())..];
    let width = match rest.first() {
        Some(&q @ ('"' | '\'')) => rest[1..]
            .iter()
            .position(|&c| c == q)
            .map(|i| i + 2)
            .unwrap_or(rest.len()),
        _ => {
            let prefix = &line[..(col - 1).min(line.len())];
            let depth: i32 = prefix
                .iter()
                .map(|c| match c {
                    '[' | '{' => 1,
                    ']' | '}' => -1,
                    _ => 0,
                })
                .sum();
            let mut end = rest.len();
            for (i, c) in rest.iter().enumerate() {
                let comment = *c == '#' && i > 0 && rest[i - 1] == ' ';
                if comment || (depth > 0 && matches!(c, ',' | ']' | '}')) {
                    end = i;
                    break;
                }
            }
            let mut w = end;
            while w > 0 && rest[w - 1] == ' ' {
                w -= 1;
            }
            w
        }
    };
    width.clamp(1, 60)
}

/// The slice of a line of `len` characters to show, so that the value at `col` and its
/// marker are visible: the whole line when it is short, else about 100 characters.
fn window(len: usize, col: usize, width: usize) -> (usize, usize) {
    const MAX: usize = 100;
    if len <= MAX {
        return (0, len);
    }
    let start = (col - 1).saturating_sub(40);
    let end = (start + MAX).max(col - 1 + width).min(len);
    (start, end)
}

/// Every problem found in a run, sorted for a stable report.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
    }
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
    /// Files with at least one diagnostic of severity `s`.
    pub fn files_with(&self, s: Severity) -> usize {
        let mut files: Vec<&Path> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .map(|d| d.file.as_path())
            .collect();
        files.dedup();
        files.len()
    }
    /// Turns every warning into an error, for `--deny-warnings`.
    pub fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
    }
}

/// Digits in groups of three: `group_digits(1048576, ',')` is "1,048,576".
pub fn group_digits(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// "1 error", "3 errors".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_finds_the_lines_str_lines_finds() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "é\n😀 x\n\nlast",
            "a\r",
        ] {
            let index = LineIndex::new(text);
            // The renderer drops a line's final `\r` either way.
            let lines: Vec<&str> = text
                .lines()
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect();
            for n in 1..=lines.len() + 2 {
                assert_eq!(
                    index.line(n),
                    lines.get(n - 1).copied(),
                    "line {n} of {text:?}"
                );
            }
            assert_eq!(index.line(0), None);
        }
    }

    #[test]
    fn renders_the_line_with_a_marker_under_the_value() {
        let src = "title: x\nactors:\n  - id: jnimm # typo\n    role: perpetrator\n";
        let d = Diagnostic::error("events/2025/a.yaml", "unknown actor `jnimm`")
            .at(3, 9)
            .help("did you mean `jnim`?");
        let text = d.render(Some(src), false);
        assert_eq!(
            text,
            "error: unknown actor `jnimm`\n --> events/2025/a.yaml:3:9\n  |\n3 |   - id: jnimm # typo\n  |         ^^^^^\n  = help: did you mean `jnim`?\n"
        );
    }

    #[test]
    fn markers_stop_at_the_end_of_a_value_in_a_flow_list() {
        let src = "locations: [djoura, tombouctou]\n";
        let d = Diagnostic::error("e.yaml", "unknown location").at(1, 21);
        assert!(
            d.render(Some(src), false)
                .contains("\n  |                     ^^^^^^^^^^\n")
        );
        let quoted = Diagnostic::error("e.yaml", "x")
            .at(1, 8)
            .render(Some("title: \"a # b\" # c\n"), false);
        assert!(quoted.contains("        ^^^^^^^\n"), "{quoted}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_value() {
        let src = format!("tags: {}x{}\n", "[".repeat(300), "]".repeat(300));
        let text = Diagnostic::error("e.yaml", "deep")
            .at(1, 307)
            .render(Some(&src), false);
        let line = text.lines().nth(3).unwrap_or_default();
        assert!(line.chars().count() < 120, "{line}");
        assert!(line.contains('…') && line.contains('x'), "{line}");
    }

    #[test]
    fn control_characters_are_shown_as_escapes() {
        for (text, shown) in [
            ("plain, with a\ttab", "plain, with a\ttab"),
            (
                "2025\x1b]0;PWNED\x07\x1b[2J",
                r"2025\u{1b}]0;PWNED\u{7}\u{1b}[2J",
            ),
            ("ok\rfake", r"ok\rfake"),
            ("two\nlines", r"two\nlines"),
            ("del\x7f c1\u{9b}", r"del\u{7f} c1\u{9b}"),
            ("bidi\u{202e}txt\u{2066}", r"bidi\u{202e}txt\u{2066}"),
            ("sep\u{2028}", r"sep\u{2028}"),
            ("Đà Nẵng, 東京, 👍", "Đà Nẵng, 東京, 👍"),
        ] {
            assert_eq!(escape_controls(text), shown, "{text:?}");
        }
        assert!(matches!(escape_controls("clean"), Cow::Borrowed(_)));
        assert_eq!(escape_controls_keep_lines("a\nb\x1b"), "a\nb\\u{1b}");
    }

    #[test]
    fn a_diagnostic_escapes_its_message_help_file_and_line() {
        let src = "date: \"x\\e\"\nid: a\u{202e}b\n";
        let d = Diagnostic::error("events/\x1b[2J.yaml", "bad `\x1b[2J`")
            .at(2, 5)
            .help("not `\r`");
        let text = d.render(Some(src), false);
        assert!(
            !text.chars().any(|c| must_escape(c) && c != '\n'),
            "{text:?}"
        );
        assert_eq!(
            text,
            "error: bad `\\u{1b}[2J`\n --> events/\\u{1b}[2J.yaml:2:5\n  |\n2 | id: a\\u{202e}b\n  |     ^^^^^^^^^^\n  = help: not `\\r`\n"
        );
    }

    /// Issue 18: the marker was placed by characters and slid left of the value after
    /// wide characters (CJK, emoji) and right of it after combining marks.
    #[test]
    fn the_marker_is_placed_by_display_width() {
        let marker = |src: &str, col: usize| {
            let text = Diagnostic::error("e.yaml", "x")
                .at(1, col)
                .render(Some(src), false);
            text.lines().nth(4).unwrap_or_default().to_string()
        };
        // `東京` is four columns wide: the marker starts under `jnimm`, two columns
        // later than a count of characters would put it.
        let src = "title: 東京 [jnimm]";
        assert_eq!(marker(src, 12), format!("  | {}^^^^^", " ".repeat(13)));
        // An emoji is two columns, and a marker under it two carets.
        assert_eq!(marker("tags: [👍]", 8), format!("  | {}^^", " ".repeat(7)));
        // `e` + U+0301 is one column: the marker is not pushed right.
        let src = "title: Cafe\u{301} x";
        assert_eq!(marker(src, 14), format!("  | {}^", " ".repeat(12)));
    }

    #[test]
    fn a_file_level_problem_has_no_source_line() {
        let d = Diagnostic::error("events/x.yaml", "file is empty");
        assert_eq!(
            d.render(None, false),
            "error: file is empty\n --> events/x.yaml\n"
        );
    }

    #[test]
    fn reports_sort_by_file_then_position() {
        let mut r = Report::default();
        r.push(Diagnostic::error("b.yaml", "x").at(1, 1));
        r.push(Diagnostic::error("a.yaml", "y").at(9, 1));
        r.push(Diagnostic::error("a.yaml", "z").at(2, 1));
        r.sort();
        let order: Vec<_> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
