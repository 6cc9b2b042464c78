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

/// A file size as the language writes it, in decimal units (1 MB = 1,000,000 bytes)
/// with one decimal below 100 of a unit: "45,7 Mo" / "45.7 MB", "123 ko" / "123 kB",
/// "812 octets" / "812 bytes". Integer arithmetic only, so that every build writes
/// the same text.
pub fn format_size(bytes: u64, lang: Lang) -> String {
    let units: [&str; 4] = match lang {
        Lang::Fr => ["octets", "ko", "Mo", "Go"],
        Lang::En => ["bytes", "kB", "MB", "GB"],
    };
    if bytes < 1000 {
        return format!("{} {}", format_number(bytes, lang), units[0]);
    }
    let b = u128::from(bytes);
    // The largest unit, rounded to tenths; a size that would show as 1000 of it moves
    // to the next one.
    let mut i = 1;
    while i < 3 && b >= 1000u128.pow(i as u32 + 1) {
        i += 1;
    }
    let unit = 1000u128.pow(i as u32);
    let mut tenths = (b * 10 + unit / 2) / unit;
    if tenths >= 9_995 && i < 3 {
        i += 1;
        tenths = (b * 10 + unit * 500) / (unit * 1000);
    }
    let whole = u64::try_from(tenths / 10).unwrap_or(u64::MAX);
    let tenth = tenths % 10;
    let mark = if lang == Lang::Fr { ',' } else { '.' };
    if tenths >= 1000 || tenth == 0 {
        // 100 of a unit or more: the tenths say nothing useful; none either for "2 Mo".
        let unit = 1000u128.pow(i as u32);
        let rounded = u64::try_from((b + unit / 2) / unit).unwrap_or(u64::MAX);
        let shown = if tenths >= 1000 { rounded } else { whole };
        format!("{} {}", format_number(shown, lang), units[i])
    } else {
        format!("{}{mark}{tenth} {}", format_number(whole, lang), units[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sizes read as each language writes them, rounded to tenths at most.
    #[test]
    fn sizes_are_worded_in_decimal_units() {
        let cases: &[(u64, &str, &str)] = &[
            (0, "0 octets", "0 bytes"),
            (999, "999 octets", "999 bytes"),
            (1000, "1 ko", "1 kB"),
            (2164, "2,2 ko", "2.2 kB"),
            (14_616, "14,6 ko", "14.6 kB"),
            (99_960, "100 ko", "100 kB"),
            (123_456, "123 ko", "123 kB"),
            (999_600, "1 Mo", "1 MB"),
            (5_007_859, "5 Mo", "5 MB"),
            (45_731_576, "45,7 Mo", "45.7 MB"),
            (1_234_567_890, "1,2 Go", "1.2 GB"),
            (12_345_678_901_234, "12\u{202f}346 Go", "12,346 GB"),
        ];
        for &(bytes, fr, en) in cases {
            assert_eq!(format_size(bytes, Lang::Fr), fr, "{bytes}");
            assert_eq!(format_size(bytes, Lang::En), en, "{bytes}");
        }
        assert!(format_size(u64::MAX, Lang::En).ends_with(" GB"));
    }

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
