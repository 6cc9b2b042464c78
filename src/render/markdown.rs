//! Markdown to HTML for bodies, summaries and notes. Editors are trusted to write, not
//! to run code in readers' browsers: raw HTML is shown as text, and links or images
//! with a scheme other than http, https or mailto lose their target.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Renders `text` to HTML that is safe to insert into a page.
pub fn to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut dropped_links = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        // Raw HTML becomes visible text: escaped, never interpreted.
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if is_safe_url(&dest_url) {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_links += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) if !is_safe_url(&dest_url) => {
            // Keep the alt text as plain text; drop the unsafe image.
            Some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed("#"),
                title,
                id: CowStr::Borrowed(""),
            }))
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Renders a short text (a summary, a note) without the surrounding paragraph.
pub fn inline_html(text: &str) -> String {
    let html = to_html(text);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Plain text of Markdown, for feeds' summaries, meta descriptions and search.
pub fn to_plain(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => {
                out.push_str(&s)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a link target may be followed by a reader: http, https, mailto, or a
/// relative link. Control characters and whitespace inside the scheme (`java\tscript:`)
/// are treated as browsers treat them, by removing them first.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a `/`, `?` or `#` is part of a relative path, not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hello <script>alert(1)</script> **bold**");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        let block = to_html("<div onclick=\"x()\">hi</div>\n");
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn unsafe_links_lose_their_target_in_any_letter_case() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "java\tscript:x",
            "vbscript:x",
        ] {
            let html = to_html(&format!("[click]({url}) and ![img]({url})"));
            assert!(
                !html.to_lowercase().contains("href=\"java"),
                "{url}: {html}"
            );
            assert!(
                !html.to_lowercase().contains("href=\"vbscript"),
                "{url}: {html}"
            );
            assert!(!html.contains("href=\"data:"), "{url}: {html}");
            assert!(!html.contains("src="), "{url}: {html}");
            assert!(html.contains("click"), "{html}");
        }
        let ok = to_html("[a](https://example.org) [b](mailto:x@example.org) [c](../events/x/)");
        assert!(ok.contains("href=\"https://example.org\""));
        assert!(ok.contains("href=\"mailto:x@example.org\""));
        assert!(ok.contains("href=\"../events/x/\""));
    }

    #[test]
    fn plain_text_and_inline() {
        assert_eq!(
            to_plain("Un **texte**\n\nen *deux* paragraphes"),
            "Un texte en deux paragraphes"
        );
        assert_eq!(inline_html("un *mot*"), "un <em>mot</em>");
    }
}
