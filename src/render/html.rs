//! Escaping for HTML and the links between pages of the site: the small helpers
//! that the pages, feeds, maps and exports share.

/// Escapes what HTML needs escaped in text and quoted attributes, and nothing else
/// (Tera's default also escapes `/`, which only bloats every link).
pub fn escape_html(s: &str) -> String {
    // Tera calls this for every value a page shows.
    replace_ascii(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    })
}

/// `s` with each ASCII byte for which `replace` gives a text replaced by it, copying
/// the runs between them whole rather than character by character: the loop of
/// `escape_html` and `feeds::xml_escape`. Bytes past ASCII are never offered, so a
/// replacement always falls on a character boundary.
pub(crate) fn replace_ascii(s: &str, replace: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let Some(with) = (if b.is_ascii() { replace(b) } else { None }) else {
            continue;
        };
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// The pretty form of a page path for absolute URLs: `events/x/` for `events/x/index.html`.
pub fn pretty(path: &str) -> String {
    path.strip_suffix("index.html").unwrap_or(path).to_string()
}

/// The relative link from the page at `path` to the root of its tree: `../../` from
/// `page/2/index.html`.
pub(crate) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The link from the page at `from` to the page at `to`, both relative to the site root.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// ` lang="xx"` for a text in another language than the page's, or nothing.
pub fn lang_attr(lang: Option<&str>) -> String {
    lang.map(|l| format!(" lang=\"{}\"", escape_html(l)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        assert_eq!(
            relative("index.html", "page/2/index.html"),
            "page/2/index.html"
        );
        assert_eq!(
            relative("page/2/index.html", "index.html"),
            "../../index.html"
        );
        assert_eq!(pretty("events/x/index.html"), "events/x/");
        assert_eq!(pretty("index.html"), "");
    }

    #[test]
    fn escaping_copies_what_needs_no_escape_whole() {
        // The character-by-character form it replaces.
        let reference = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        for s in [
            "",
            "plain",
            "<a href=\"x\">l'été & co</a>",
            "&&",
            "Ségou — «\u{E000}r» ⟨𝄞⟩ >",
            "\u{1}\t\n<",
        ] {
            assert_eq!(escape_html(s), reference(s), "{s:?}");
        }
        let xml = super::super::feeds::xml_escape("a\u{1}<é>\t'\"&\u{1f}\n\r𝄞");
        assert_eq!(xml, "a&lt;é&gt;\t&apos;&quot;&amp;\n\r𝄞");
        // U+FFFE and U+FFFF are not XML either; the discouraged characters are.
        let xml = super::super::feeds::xml_escape(
            "\u{FFFE}a\u{FFFF}&\u{FFFD}\u{7F}\u{85}\u{FDD0}\u{1FFFE}\u{FFFF}",
        );
        assert_eq!(xml, "a&amp;\u{FFFD}\u{7F}\u{85}\u{FDD0}\u{1FFFE}");
    }
}
