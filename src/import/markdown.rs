//! Escaping dataset texts for the Markdown of event files, so that the site shows them
//! exactly as the dataset gives them.

/// Escapes the characters that Markdown would read as markup, so that a text from a
/// dataset shows on the site exactly as the dataset gives it. Every line of `s` is
/// taken to start a line of the Markdown text.
pub fn markdown_escape(s: &str) -> String {
    escape_markdown(s, true)
}

/// Like [`markdown_escape`], for a text placed after other words on its first line
/// (`- Coordinates: 15.7, -4.9`): its first line does not start a Markdown line.
pub fn markdown_inline(s: &str) -> String {
    escape_markdown(s, false)
}

fn escape_markdown(s: &str, first_starts_line: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let starts_line = i > 0 || first_starts_line;
        let trimmed = line.trim_start();
        out.push_str(&line[..line.len() - trimmed.len()]);
        // `1.` or `1)` followed by a space (or nothing) would start an ordered list.
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        let ordered = starts_line
            && digits > 0
            && trimmed[digits..].starts_with(['.', ')'])
            && trimmed[digits + 1..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t');
        for (idx, c) in trimmed.char_indices() {
            // Block markers only matter at the start of a line.
            let line_marker = starts_line && idx == 0 && matches!(c, '-' | '+' | '=');
            let ordered_marker = ordered && idx == digits;
            if line_marker
                || ordered_marker
                || matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
                )
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(markdown_escape("#Mali *now*"), "\\#Mali \\*now\\*");
        assert_eq!(markdown_escape("- item\n1. x"), "\\- item\n1\\. x");
        assert_eq!(markdown_escape("a - b 2.5"), "a - b 2.5");
        assert_eq!(markdown_escape("15.7118"), "15.7118");
        assert_eq!(markdown_inline("-4.9118"), "-4.9118");
        assert_eq!(markdown_inline("- a\n- b"), "- a\n\\- b");
        assert_eq!(markdown_escape("<b>x</b>"), "\\<b\\>x\\</b\\>");
    }
}
