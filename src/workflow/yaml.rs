//! Writing YAML by hand, for the files `init` and `new` create: the layout and the
//! comments stay as an editor would write them, and every user-given text is quoted
//! whenever YAML could read it as something else.

/// `s` as a YAML scalar: plain when YAML reads it back as the same string, otherwise
/// double-quoted (a JSON string is a valid YAML double-quoted scalar).
pub fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ];
    s == s.trim()
        && !s.chars().any(|c| c.is_control())
        && !"-?:,[]{}#&*!|>'\"%@`~.+".contains(first)
        && !first.is_ascii_digit()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
}

/// A text field in the site's language: `key:\n  fr: value\n` at `indent`.
pub fn text_field(key: &str, lang: &str, value: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!("{pad}{key}:\n{pad}  {lang}: {}\n", scalar(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("Attaque à Djoura"), "Attaque à Djoura");
        assert_eq!(scalar("l'armée"), "l'armée");
        for s in [
            "true",
            "No",
            "Exemple : un titre",
            "a: b",
            "- item",
            "#tag",
            "2025",
            "1e3",
            " padded",
            "line\nbreak",
            "",
            "'quoted'",
            "say \"hi\" # not a comment",
        ] {
            let q = scalar(s);
            assert!(q.starts_with('"'), "{s:?} gave {q}");
            let back: String = serde_yaml::from_str(&q).expect("reads back");
            assert_eq!(back, s);
        }
    }
}
