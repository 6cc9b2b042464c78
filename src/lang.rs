//! The languages a site is rendered in, and the number forms that differ between them.

/// A language the site is rendered in; dates, times and numbers are worded differently in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// Every language, in the order pages list them.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The ISO 639-1 code, as used in URLs and `lang` attributes.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language's own name for itself, as a language switcher shows it.
    pub fn autonym(&self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    /// The language for a code such as `fr` or `EN`, if the site supports it.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }
}

/// A number in the language's form: "1 000" (narrow no-break space) in French, "1,000" in English.
pub fn format_number(v: u64, lang: Lang) -> String {
    let digits = v.to_string();
    if digits.len() <= 4 && lang == Lang::Fr {
        return digits;
    }
    let sep = if lang == Lang::Fr { '\u{202f}' } else { ',' };
    crate::diag::group_digits(v, sep)
}

/// The words to write before `next`, with their trailing space or apostrophe: French
/// elides a final "de" before a vowel ("branche d'AQMI", "d'avril 2014"); otherwise
/// the words and a space ("membre de CEDEAO", "part of JNIM").
pub fn lead_before(lang: Lang, words: &str, next: &str) -> String {
    const VOWELS: [char; 14] = [
        'a', 'e', 'i', 'o', 'u', 'é', 'è', 'A', 'E', 'I', 'O', 'U', 'É', 'È',
    ];
    match (lang, words.strip_suffix("de")) {
        (Lang::Fr, Some(head))
            if (head.is_empty() || head.ends_with(' ')) && next.starts_with(VOWELS) =>
        {
            format!("{head}d'")
        }
        _ => format!("{words} "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(format_number(1000, Lang::Fr), "1000");
        assert_eq!(format_number(12_345, Lang::Fr), "12\u{202f}345");
        assert_eq!(format_number(1000, Lang::En), "1,000");
        assert_eq!(format_number(999, Lang::En), "999");
    }

    #[test]
    fn codes_are_read_without_case_or_spaces() {
        assert_eq!(Lang::from_code(" EN "), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::Fr.code(), "fr");
    }

    #[test]
    fn french_elides_de_before_a_vowel_only() {
        assert_eq!(lead_before(Lang::Fr, "branche de", "AQMI"), "branche d'");
        assert_eq!(lead_before(Lang::Fr, "de", "avril 2014"), "d'");
        assert_eq!(lead_before(Lang::Fr, "membre de", "CEDEAO"), "membre de ");
        assert_eq!(
            lead_before(Lang::Fr, "issu d'une scission de", "Al-Mourabitoun"),
            "issu d'une scission d'"
        );
        assert_eq!(lead_before(Lang::Fr, "affilié à", "AQMI"), "affilié à ");
        assert_eq!(lead_before(Lang::Fr, "fonde", "AQMI"), "fonde ");
        assert_eq!(lead_before(Lang::En, "branch of", "AQIM"), "branch of ");
    }
}
