//! What the fuzz targets check, as plain functions over bytes: each panics when a
//! property fails. The fuzz targets (`fuzz/fuzz_targets/`) call them on what libFuzzer
//! makes up; `tests/suite/fuzz_regressions.rs` includes this file and calls them on the saved
//! inputs of `tests/fixtures/fuzz/`, so a finding stays fixed under `cargo test`.
//! Only `annalist` and std are used, so that both crates can compile it.

use annalist::date::{EventDate, Lang, TimeOfDay};
use annalist::diag::Diagnostic;
use annalist::load;
use annalist::render::markdown;
use annalist::span::Known;
use std::path::Path;
use std::sync::Arc;

/// The event loader as `check` runs it on one file: decoded (BOM, NUL, UTF-8), then
/// parsed as an event, an actor and a location with no known ids, every diagnostic
/// rendered against the text. Properties: no panic; every diagnostic has a message and
/// a position inside the text (or none); rendering it does not panic.
pub fn loader(data: &[u8]) {
    let path = Path::new("events/2025/2025-05-23-fuzz.yaml");
    let text = match load::decode(data, path) {
        Ok(text) => text,
        Err(d) => {
            check_diagnostic(&d, &String::from_utf8_lossy(data));
            return;
        }
    };
    let known = Arc::new(Known::default());
    let id = "2025-05-23-fuzz";
    let results = [
        load::parse_event(&text, path, id, &known).err(),
        load::parse_actor(&text, path, id, &known).err(),
        load::parse_location(&text, path, id, &known).err(),
    ];
    for diagnostics in results.into_iter().flatten() {
        assert!(!diagnostics.is_empty(), "a failed parse must say why");
        for d in &diagnostics {
            check_diagnostic(d, &text);
        }
    }
}

/// A diagnostic names a problem, points inside the file (YAML counts `\r`, `\n`,
/// `\r\n`, NEL, LS and PS as line breaks, so the bound allows for all of them), and
/// renders with the source line whatever its position.
fn check_diagnostic(d: &Diagnostic, text: &str) {
    assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    if d.column.is_some() {
        assert!(d.line.is_some(), "a column without a line: {d:?}");
    }
    if let Some(line) = d.line {
        let breaks = text
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
            .count();
        assert!(
            (1..=breaks + 1).contains(&line),
            "line {line} outside a text of {} lines: {d:?}",
            breaks + 1
        );
        assert!(d.column.is_none_or(|c| c >= 1), "column 0: {d:?}");
    }
    for source in [Some(text), None] {
        for color in [false, true] {
            let shown = d.render(source, color);
            assert!(shown.contains(&d.message), "{shown}");
        }
    }
}

/// The date and time parsers. Properties: no panic; a date that parses prints back
/// (EDTF) to a text that parses to the same date, its earliest day is not after its
/// latest, and it renders in both languages; a time round-trips the same way; an
/// error always says something.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match EventDate::parse(text) {
        Ok(d) => {
            let written = d.to_edtf();
            assert_eq!(EventDate::parse(&written), Ok(d), "{text:?} -> {written:?}");
            assert!(d.earliest() <= d.latest(), "{text:?}");
            for lang in [Lang::Fr, Lang::En] {
                assert!(!d.render(lang).trim().is_empty(), "{text:?}");
            }
            assert_eq!(d.sort_key(), d.sort_key());
            assert!(d.years().contains(&d.year()), "{text:?}");
        }
        Err(e) => assert!(!e.message.trim().is_empty(), "{text:?}"),
    }
    match TimeOfDay::parse(text) {
        Ok(t) => {
            let written = t.as_str();
            assert_eq!(TimeOfDay::parse(&written), Ok(t), "{text:?} -> {written:?}");
            for lang in [Lang::Fr, Lang::En] {
                assert!(!t.render(lang).trim().is_empty(), "{text:?}");
            }
        }
        Err(e) => assert!(!e.message.trim().is_empty(), "{text:?}"),
    }
}

/// The Markdown renderer, as a body (`to_html`) and inline (`inline_html`).
/// Properties, on the HTML itself: every `<` starts a well-formed tag (text is always
/// escaped); no `<script`, no `on...=` attribute, no `href`/`src` with a scheme other
/// than http, https or mailto (after decoding entities and dropping the characters
/// browsers ignore); every element is closed in order, with no link inside a link;
/// inline HTML holds only inline elements.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let block = markdown::to_html(text, true);
    check_html(&block, text, BLOCK_ELEMENTS);
    // Images of other sites turned into links keep the HTML as well formed.
    let linked = markdown::to_html(text, false);
    check_html(&linked, text, BLOCK_ELEMENTS);
    let inline = markdown::inline_html(text);
    check_html(&inline, text, INLINE_ELEMENTS);
    let _ = markdown::to_plain(text);
}

/// Elements pulldown-cmark writes for the options annalist enables.
const BLOCK_ELEMENTS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// What may stand inside a `<p>` or a `<span>`.
const INLINE_ELEMENTS: &[&str] = &["a", "br", "code", "del", "em", "strong", "sup"];

/// Elements without a closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "input"];

/// One tag of the output.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

fn check_html(html: &str, input: &str, allowed: &[&str]) {
    let fail = |why: String| -> ! {
        panic!("{why}\ninput: {input:?}\nhtml: {html:?}");
    };
    if html.to_ascii_lowercase().contains("<script") {
        fail("the HTML holds `<script`".into());
    }
    let tags = scan(html).unwrap_or_else(|e| fail(e));
    let mut open: Vec<&str> = Vec::new();
    for tag in &tags {
        let name = tag.name.as_str();
        if !allowed.contains(&name) {
            fail(format!("unexpected element <{name}>"));
        }
        for (attribute, value) in &tag.attributes {
            if attribute.starts_with("on") {
                fail(format!("an event handler attribute `{attribute}`"));
            }
            if matches!(attribute.as_str(), "href" | "src") && !is_inert_url(value) {
                fail(format!("an unsafe {attribute}=\"{value}\""));
            }
        }
        if VOID_ELEMENTS.contains(&name) {
            if tag.closing {
                fail(format!("a closing tag for the void element <{name}>"));
            }
        } else if tag.closing {
            match open.pop() {
                Some(top) if top == name => {}
                top => fail(format!("</{name}> closes {top:?}")),
            }
        } else {
            if name == "a" && open.contains(&"a") {
                fail("a link inside a link".into());
            }
            open.push(name);
        }
    }
    if !open.is_empty() {
        fail(format!("elements left open: {open:?}"));
    }
}

/// The tags of HTML written by pulldown-cmark: `<name attr="value" ...>`, `</name>`,
/// `<name ... />`. A `<` that starts anything else is an error: text is escaped.
fn scan(html: &str) -> Result<Vec<Tag>, String> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        let mut j = start + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            return Err(format!("a raw `<` at byte {start}"));
        }
        let mut attributes = Vec::new();
        loop {
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            match bytes.get(j) {
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') if bytes.get(j + 1) == Some(&b'>') => {
                    j += 2;
                    break;
                }
                Some(c) if c.is_ascii_alphabetic() && !closing => {
                    let a = j;
                    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-')
                    {
                        j += 1;
                    }
                    let attribute = html[a..j].to_ascii_lowercase();
                    let value = if bytes.get(j) == Some(&b'=') {
                        if bytes.get(j + 1) != Some(&b'"') {
                            return Err(format!("an unquoted attribute at byte {j}"));
                        }
                        let v = j + 2;
                        let Some(end) = html[v..].find('"') else {
                            return Err(format!("an unclosed attribute at byte {v}"));
                        };
                        j = v + end + 1;
                        html[v..v + end].to_string()
                    } else {
                        String::new()
                    };
                    if value.contains('<') {
                        return Err(format!("a raw `<` in an attribute at byte {j}"));
                    }
                    attributes.push((attribute, value));
                }
                _ => return Err(format!("a malformed tag at byte {start}")),
            }
        }
        tags.push(Tag {
            name,
            closing,
            attributes,
        });
        i = j;
    }
    if html.contains('>') && html.matches('>').count() != tags.len() + count_gt_in_values(&tags) {
        return Err("a raw `>` outside a tag".into());
    }
    Ok(tags)
}

fn count_gt_in_values(tags: &[Tag]) -> usize {
    tags.iter()
        .flat_map(|t| &t.attributes)
        .map(|(_, v)| v.matches('>').count())
        .sum()
}

/// Whether a browser following this `href` or `src` stays out of script: no scheme,
/// or http, https or mailto. The value is read as a browser reads it: entities
/// decoded, ASCII whitespace and control characters dropped (`java\tscript:`), case
/// folded.
fn is_inert_url(value: &str) -> bool {
    let decoded = decode_entities(value);
    let cleaned: String = decoded
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_ascii_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || matches!(scheme, "http" | "https" | "mailto")
}

/// Decodes the character references of an attribute value: named ones pulldown-cmark
/// writes, and numeric ones in decimal or hex.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => {
                    let n = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checker_catches_unsafe_or_broken_html() {
        let bad = [
            "<p><script>x</script></p>",
            "<a href=\"javascript:x\">x</a>",
            "<a href=\"java&#x9;script&colon;x\">x</a>",
            "<img src=\"data:text/html,x\" />",
            "<p onclick=\"x\">x</p>",
            "<em><strong>x</em></strong>",
            "<a href=\"/\"><a href=\"/\">x</a></a>",
            "<p>1 < 2</p>",
            "<em>x",
        ];
        for html in bad {
            let caught = std::panic::catch_unwind(|| check_html(html, "", BLOCK_ELEMENTS));
            assert!(caught.is_err(), "not caught: {html}");
        }
        check_html(
            "<p><a href=\"https://x.org/?a=1&amp;b\" title=\"t\">x</a> <img src=\"i.png\" alt=\"a\" /></p>\n",
            "",
            BLOCK_ELEMENTS,
        );
        let caught = std::panic::catch_unwind(|| check_html("<p>x</p>", "", INLINE_ELEMENTS));
        assert!(caught.is_err());
    }
}
