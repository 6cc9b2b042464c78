//! Markdown to HTML for bodies, summaries and notes. Editors are trusted to write, not
//! to run code in readers' browsers: raw HTML is shown as text, and links or images
//! with a scheme other than http, https or mailto lose their target.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Renders `text` to HTML that is safe to insert into a page. An image on another
/// site becomes a link to it, its text the image's description, unless
/// `remote_images` (the setting of that name): showing it would make every reader's
/// browser contact that site.
pub fn to_html(text: &str, remote_images: bool) -> String {
    let mut out = String::new();
    let mut open_links = 0usize;
    // Each open image: whether it became a link (else it passes as `safe_events` left
    // it), its address, and whether its description had any text.
    let mut images: Vec<(bool, String, bool)> = Vec::new();
    let events = safe_events(text).flat_map(|event| -> Vec<Event> {
        match event {
            Event::Start(Tag::Link { .. }) => {
                open_links += 1;
                vec![event]
            }
            Event::End(TagEnd::Link) => {
                open_links = open_links.saturating_sub(1);
                vec![event]
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let linked = !remote_images && is_remote(&dest_url);
                images.push((linked, dest_url.to_string(), false));
                if !linked {
                    return vec![Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })];
                }
                // Inside a link (`[![x](img)](page)`) only the description stays: HTML
                // has no link in a link.
                if open_links > 0 {
                    return Vec::new();
                }
                vec![Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })]
            }
            Event::Text(_) | Event::Code(_) => {
                if let Some(top) = images.last_mut() {
                    top.2 = true;
                }
                vec![event]
            }
            Event::End(TagEnd::Image) => match images.pop() {
                Some((true, url, had_text)) if open_links == 0 => {
                    // A link needs words: the address, for an image described by none.
                    let mut v = Vec::new();
                    if !had_text {
                        v.push(Event::Text(url.into()));
                    }
                    v.push(Event::End(TagEnd::Link));
                    v
                }
                Some((true, _, _)) => Vec::new(),
                _ => vec![event],
            },
            other => vec![other],
        }
    });
    html::push_html(&mut out, events);
    out
}

/// Whether a browser fetches `url` from another site: an absolute `http`/`https`
/// address or a scheme-relative one (`//host/x.png`).
pub fn is_remote(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("http:") || cleaned.starts_with("https:") || cleaned.starts_with("//")
}

/// The addresses of the images of `text` that are on another site, in order.
pub fn remote_images(text: &str) -> Vec<String> {
    safe_events(text)
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) if is_remote(&dest_url) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
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
        let html = to_html("Hello <script>alert(1)</script> **bold**", false);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        let block = to_html("<div onclick=\"x()\">hi</div>\n", false);
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
            let html = to_html(&format!("[click]({url}) and ![img]({url})"), true);
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
        let ok = to_html(
            "[a](https://example.org) [b](mailto:x@example.org) [c](../events/x/)",
            false,
        );
        assert!(ok.contains("href=\"https://example.org\""));
        assert!(ok.contains("href=\"mailto:x@example.org\""));
        assert!(ok.contains("href=\"../events/x/\""));
    }

    #[test]
    fn an_unsafe_image_leaves_balanced_markup() {
        let html = to_html("x ![alt text](javascript:alert(1)) y", true);
        assert_eq!(html, "<p>x alt text y</p>\n");
        let nested = to_html("[![i](javascript:x)](https://example.org)", true);
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

    /// The README promises that reading a page loads nothing from another site: by
    /// default an image on another site is a link to it, with its description.
    #[test]
    fn remote_images_are_links_unless_the_site_wants_them() {
        let text = "Carte : ![carte de Djoura](https://example.org/djoura.png) et ![](//example.org/x.png).";
        let html = to_html(text, false);
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/djoura.png">carte de Djoura</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="//example.org/x.png">//example.org/x.png</a>"#),
            "{html}"
        );
        let shown = to_html(text, true);
        assert!(
            shown.contains(r#"<img src="https://example.org/djoura.png" alt="carte de Djoura" />"#),
            "{shown}"
        );
        // An image of the site itself is shown either way.
        assert!(to_html("![plan](plan.png)", false).contains("<img src=\"plan.png\""));
        // Inside a link, the description alone: no link in a link.
        let nested = to_html(
            "[![logo](https://example.org/l.png)](https://example.org/)",
            false,
        );
        assert_eq!(nested.matches("<a ").count(), 1, "{nested}");
        assert!(nested.contains(">logo</a>"), "{nested}");
        assert_eq!(
            remote_images(text),
            vec!["https://example.org/djoura.png", "//example.org/x.png"]
        );
        assert!(remote_images("![plan](plan.png) [lien](https://example.org)").is_empty());
    }
}
