//! Markdown to HTML for bodies, summaries and notes. Editors are trusted to write, not
//! to run code in readers' browsers: raw HTML is shown as text, and links or images
//! with a scheme other than http, https or mailto lose their target.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Renders `text` to HTML that is safe to insert into a page.
pub fn to_html(text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, safe_events(text));
    out
}

/// Renders a short text (a summary, a note, a claim) for a place where only inline
/// markup is valid (inside `<p>` or `<span>`): paragraphs, lists and headings are
/// flattened into the running text, emphasis and links are kept.
pub fn inline_html(text: &str) -> String {
    let mut out = String::new();
    let mut started = false;
    let events = safe_events(text).filter_map(|event| match event {
        Event::Start(tag) if !is_inline(&tag) => None,
        Event::End(end) if !is_inline_end(&end) => {
            // A block ends: keep the words apart.
            started.then_some(Event::SoftBreak)
        }
        Event::Rule | Event::TaskListMarker(_) => None,
        other => {
            started = true;
            Some(other)
        }
    });
    html::push_html(&mut out, events);
    out.trim().to_string()
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
    )
}

/// The Markdown events of `text` with everything unsafe removed: raw HTML becomes
/// visible text, links and images with an unsafe target lose it (their text stays).
fn safe_events(text: &str) -> impl Iterator<Item = Event<'_>> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    // Whether each open link or image was dropped, so its end is dropped too, and how
    // many kept links are open: HTML forbids a link inside a link, so an inner one
    // (an autolink in a link's text) keeps only its text.
    let mut dropped: Vec<bool> = Vec::new();
    let mut open_links = 0usize;
    Parser::new_ext(text, options).filter_map(move |event| match event {
        // Raw HTML becomes visible text: escaped, never interpreted.
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_safe_url(&dest_url) && open_links == 0;
            dropped.push(!keep);
            open_links += usize::from(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_url(&dest_url);
            dropped.push(!safe);
            safe.then_some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
            if dropped.pop().unwrap_or(false) {
                None
            } else {
                if end == TagEnd::Link {
                    open_links = open_links.saturating_sub(1);
                }
                Some(Event::End(end))
            }
        }
        other => Some(other),
    })
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
    fn an_unsafe_image_leaves_balanced_markup() {
        let html = to_html("x ![alt text](javascript:alert(1)) y");
        assert_eq!(html, "<p>x alt text y</p>\n");
        let nested = to_html("[![i](javascript:x)](https://example.org)");
        assert_eq!(nested, "<p><a href=\"https://example.org\">i</a></p>\n");
    }

    #[test]
    fn inline_html_has_no_blocks() {
        assert_eq!(inline_html("A\n\nB"), "A\nB");
        assert_eq!(inline_html("- un\n- *deux*"), "un\n<em>deux</em>");
        assert!(!inline_html("# Titre\n\n> cité").contains('<'));
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
