//! The one text fold: how ids, slugs, names, dates in words and search compare text.
//!
//! [`fold`] takes each character through its compatibility decomposition (NFKD), drops
//! the combining marks, lowercases what is left and spells the letters that do not
//! decompose (`ł`, `đ`, `ø`, `æ`, `ß`, …) with the letters a reader would type instead.
//! It works character by character, so it gives the same answer for every
//! normalisation form of a text and `fold(fold(s)) == fold(s)`. [`skeleton`] folds
//! further, for ids only: Cyrillic and Greek letters that look like Latin ones become
//! the Latin letter, so `mоpti` typed with a Cyrillic `о` is seen as `mopti`.
//!
//! The browser's filter (`assets/filter.js`) folds with `normalize('NFKD')`, the marks
//! removed and `toLowerCase()`, plus [`BROWSER_TABLE`]: every character whose fold
//! differs from that, generated from this fold. A test runs the script's fold under
//! Node and compares it with this one, character by character.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// `s` folded: compatibility decomposition, no combining marks, lowercase, letters
/// that do not decompose spelled out ("Łódź" → "lodz", "Œuvre" → "oeuvre").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out`: no allocation per character, and ASCII text (most ids
/// and file names) is only lowercased.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
}

/// The fold of one character, each character of it given to `emit`. The fold of a
/// text is the folds of its characters end to end: that is what makes it idempotent
/// and blind to the normalisation form.
pub fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            // The lowercase of a decomposed letter can itself decompose (`İ` lowercases to
            // `i` and a combining dot); the marks go here too.
            decompose_compatible(l, |m| {
                if is_combining_mark(m) {
                    return;
                }
                match spelled(m) {
                    Some(s) => s.chars().for_each(&mut *emit),
                    None => emit(m),
                }
            });
        }
    });
}

/// The letters (lowercase, after decomposition) that Unicode does not decompose,
/// written as a reader without them on the keyboard would: Latin letters with a
/// stroke, hook or bar, ligatures, the Greek final sigma, and typographic apostrophes
/// and dashes. Every answer is itself folded.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ð' | 'đ' | 'ɖ' | 'ɗ' => "d",
        'ł' | 'ƚ' => "l",
        'ø' | 'ɵ' | 'ɔ' => "o",
        'ı' | 'ɨ' => "i",
        'ħ' => "h",
        'ŧ' | 'ƭ' => "t",
        'ŋ' | 'ɲ' | 'ƞ' => "n",
        'ƀ' | 'ɓ' => "b",
        'ƈ' | 'ȼ' => "c",
        'ɇ' | 'ɛ' => "e",
        'ƒ' => "f",
        'ǥ' | 'ɠ' => "g",
        'ɉ' => "j",
        'ƙ' => "k",
        'ƥ' => "p",
        'ɍ' => "r",
        'ʉ' => "u",
        'ƴ' | 'ɏ' => "y",
        'ƶ' | 'ȥ' => "z",
        'ς' => "σ",
        '’' | '‘' | 'ʼ' => "'",
        '‐' | '–' | '—' => "-",
        _ => return None,
    })
}

/// `s` folded for ids: [`fold`], then Cyrillic and Greek look-alikes of Latin letters
/// as the Latin letter, each character of the result given to `emit`. For telling
/// apart ids and file names, never for the reader's text.
pub fn skeleton(s: &str, mut emit: impl FnMut(char)) {
    let mut look = |c: char| emit(latin_twin(c).unwrap_or(c));
    if s.is_ascii() {
        s.bytes().for_each(|b| look(b.to_ascii_lowercase() as char));
    } else {
        s.chars().for_each(|c| fold_char(c, &mut look));
    }
}

/// The Latin letter a folded Cyrillic or Greek letter looks like, if one does.
fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' => 'c',
        'е' | 'ε' => 'e',
        'н' | 'η' => 'h',
        'і' | 'ι' => 'i',
        'к' | 'κ' => 'k',
        'м' | 'μ' => 'm',
        'ν' => 'n',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'т' | 'τ' => 't',
        'х' | 'χ' => 'x',
        'у' => 'y',
        _ => return None,
    })
}

/// The characters the browser must be told about, as `"ca cb …"`: each entry a
/// character, then its fold; entries apart by a space. Exactly the characters whose
/// fold differs from the browser's start (`normalize('NFKD')`, marks removed,
/// `toLowerCase()`), so that the script's fold is this one: 135 characters, 639 bytes.
/// Written out rather than computed at each build, which would scan all of Unicode;
/// a test checks that it is what the fold makes.
pub const BROWSER_TABLE: &str = "Æae Ðd Øo Þth ßss æae ðd øo þth Đd đd Ħh ħh ıi Łl łl ŉ'n Ŋn ŋn Œoe œoe Ŧt ŧt ƀb \
Ɓb Ɔo Ƈc ƈc Ɖd Ɗd Ɛe Ƒf ƒf Ɠg Ɨi Ƙk ƙk ƚl Ɲn ƞn Ɵo Ƥp ƥp Ƭt ƭt Ƴy ƴy Ƶz ƶz Ǣae \
ǣae Ǥg ǥg Ǽae ǽae Ǿo ǿo Ƞn Ȥz ȥz Ȼc ȼc Ƚl Ƀb Ʉu Ɇe ɇe Ɉj ɉj Ɍr ɍr Ɏy ɏy ɓb ɔo ɖd \
ɗd ɛe ɠg ɨi ɲn ɵo ʉu ʼ' ςσ ϲσ ᴭae ᵋe ᵑn ᵓo ᶞd ᶤi ᶮn ᶱo ᶶu ẞss ‐- ‑- –- —- ‘' ’' \
ℇe ℏh ꟸh ꟹoe ︱- ︲- ﹘- 𐞃ae 𐞅b 𐞋d 𐞌d 𐞓g 𐞕h 𐞢o 𝚤i 𝚦ss 𝛓σ 𝜍σ 𝝇σ 𝞁σ 𝞻σ 𝾕ss 𝿒b 𝿓d 𝿔g \
𝿕l 𝿖l 𝿙j 𝿜n 𝿺c 𝿻k 𝿼p 𝿾t";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    fn skel(s: &str) -> String {
        let mut out = String::new();
        skeleton(s, |c| out.push(c));
        out
    }

    fn fold_one(c: char, out: &mut String) {
        out.clear();
        fold_char(c, &mut |f| out.push(f));
    }

    /// What the browser's fold starts from for one character: `normalize('NFKD')`, the
    /// combining marks removed, `toLowerCase()`.
    fn browser_base(c: char, out: &mut String) {
        let mut d = String::new();
        decompose_compatible(c, |x| {
            if !is_combining_mark(x) {
                d.push(x)
            }
        });
        out.clear();
        out.push_str(&d.to_lowercase());
    }

    #[test]
    fn folds_accents_case_and_letters_that_do_not_decompose() {
        let cases = [
            ("Ségou", "segou"),
            ("ARMÉE malienne", "armee malienne"),
            ("Łódź", "lodz"),
            ("Đà Nẵng", "da nang"),
            ("Œuvre Straße", "oeuvre strasse"),
            ("æ", "ae"),
            ("ǣ", "ae"),
            ("Ǿresund", "oresund"),
            ("Þórshöfn", "thorshofn"),
            ("ıİ", "ii"),
            ("l’armée", "l'armee"),
            ("Se\u{301}gou", "segou"),
            ("ﬁn ² ½", "fin 2 1\u{2044}2"),
            ("ΑΘΗΝΑ ΟΔΟΣ", "αθηνα οδοσ"),
            ("تَمْبُكْتُو", "تمبكتو"),
            ("Sɛgu Ɲɔrɔ", "segu noro"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(fold(raw), want, "{raw}");
        }
    }

    #[test]
    fn the_skeleton_reads_look_alikes_as_latin() {
        assert_eq!(skel("m\u{43e}pti-k\u{430}\u{3a1}"), "mopti-kap");
        assert_eq!(skel("ΜΟΡΕ"), "mope");
        assert_eq!(skel("Łódź_2"), "lodz_2");
    }

    /// All of Unicode, so that no rare character escapes: the fold of each character is
    /// made of characters that fold (and skeleton) to themselves, which makes
    /// `fold(fold(s)) == fold(s)` for every text; and the browser's table is exactly
    /// the characters whose fold is not the browser's start.
    #[test]
    fn every_character_folds_to_folded_characters_and_the_table_lists_the_rest() {
        let (mut f, mut g, mut b) = (String::new(), String::new(), String::new());
        let mut table = String::new();
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            fold_one(c, &mut f);
            for o in f.chars() {
                fold_one(o, &mut g);
                assert_eq!(g, o.to_string(), "{c:?} folds to {f:?}");
                if let Some(t) = latin_twin(o) {
                    assert!(t.is_ascii_lowercase(), "{o}");
                }
            }
            browser_base(c, &mut b);
            if !c.is_ascii() && f != b {
                if !table.is_empty() {
                    table.push(' ');
                }
                table.push(c);
                table.push_str(&f);
            }
        }
        assert_eq!(
            BROWSER_TABLE, table,
            "BROWSER_TABLE is out of date; it should be the right side"
        );
    }

    #[test]
    fn the_browser_table_is_well_formed() {
        for e in BROWSER_TABLE.split(' ') {
            let mut cs = e.chars();
            let c = cs.next().expect("an entry");
            assert_eq!(fold(&c.to_string()), cs.as_str(), "{e}");
            assert!(!cs.as_str().contains(' '), "{e}");
        }
        for e in ["łl", "Łl", "Đd", "ǣae", "ςσ", "’'"] {
            assert!(BROWSER_TABLE.split(' ').any(|x| x == e), "{e}");
        }
    }

    /// The script's fold (`folder` in assets/filter.js), run by Node on every character
    /// Node's Unicode assigns and on mixed texts, gives what this fold gives. Skipped,
    /// with a note, where there is no `node`.
    #[test]
    fn the_browser_folds_like_the_build() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let script = include_str!("../assets/filter.js");
        let (Some(a), Some(b)) = (script.find("// fold:begin"), script.find("// fold:end")) else {
            panic!("assets/filter.js has lost its `// fold:begin` and `// fold:end` markers");
        };
        // Texts where the whole-string steps could differ from one character at a time:
        // final sigma, the dotted I, decomposed accents, astral letters.
        let mut texts: Vec<String> = [
            "ΟΔΟΣ ΑΣ Σ.",
            "İSTANBUL ıi",
            "Łódź, ĐÀ NẴNG",
            "Se\u{301}gou l’Armée",
            "ǣ Æ ǢB",
            "𝐀𝚺 ﬁn ½ ㎏",
            "تَمْبُكْتُو",
            "한국어 Ǆ ǅ",
            "A\u{10FFFD}\u{E000}",
        ]
        .map(String::from)
        .to_vec();
        // And pseudo-random ones over the alphabetic scripts (up to U+2FFF), where the
        // marks, cases and decompositions are.
        let mut x: u32 = 7;
        for _ in 0..200 {
            let t = (0..16)
                .filter_map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from_u32((x >> 8) % 0x3000)
                        .filter(|&c| unicode_normalization::char::is_public_assigned(c))
                })
                .collect();
            texts.push(t);
        }
        let js = format!(
            "{}\nconst fold = folder({});\nconst texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n\
             const out = [];\nconst assigned = /[^\\p{{Cn}}\\p{{Co}}\\p{{Cs}}]/u;\n\
             for (let cp = 0x80; cp <= 0x10ffff; cp++) {{\n\
               const c = String.fromCodePoint(cp);\n\
               if (assigned.test(c)) out.push([cp, fold(c)]);\n\
             }}\n\
             const known = (t) => Array.from(t).every((c) => c < '\\x80' || assigned.test(c));\n\
             process.stdout.write(JSON.stringify({{chars: out, texts: texts.map((t) => known(t) ? fold(t) : null)}}));\n",
            &script[a..b],
            serde_json::to_string(BROWSER_TABLE).expect("a string")
        );
        let child = Command::new("node")
            .arg("-e")
            .arg(&js)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("note: no `node` here: the browser's fold is not compared");
            return;
        };
        let input = serde_json::to_string(&texts).expect("texts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("node reads");
        let output = child.wait_with_output().expect("node runs");
        assert!(output.status.success(), "node failed: {output:?}");
        #[derive(serde::Deserialize)]
        struct Answer {
            chars: Vec<(u32, String)>,
            texts: Vec<Option<String>>,
        }
        let answer: Answer = serde_json::from_slice(&output.stdout).expect("node's answer");
        assert!(answer.chars.len() > 100_000, "{}", answer.chars.len());
        let mut wrong = Vec::new();
        for (cp, js) in &answer.chars {
            let Some(c) = char::from_u32(*cp) else {
                continue;
            };
            // Characters Node's Unicode knows and this crate's does not are not compared.
            if !unicode_normalization::char::is_public_assigned(c) {
                continue;
            }
            let rust = fold(c.encode_utf8(&mut [0; 4]));
            if &rust != js {
                wrong.push(format!("U+{cp:04X} {c}: build {rust:?}, browser {js:?}"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} characters fold apart:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        let mut compared = 0;
        for (t, js) in texts.iter().zip(&answer.texts) {
            // A text with a character new to Node's Unicode is not compared.
            if let Some(js) = js.as_ref().filter(|_| {
                t.chars()
                    .all(|c| c.is_ascii() || unicode_normalization::char::is_public_assigned(c))
            }) {
                assert_eq!(&fold(t), js, "{t:?}");
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared} texts compared");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in any::<String>()) {
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
            prop_assert_eq!(skel(&skel(&s)), skel(&s));
        }

        #[test]
        fn every_normalisation_form_folds_alike(s in any::<String>()) {
            let f = fold(&s);
            prop_assert_eq!(&fold(&s.nfd().collect::<String>()), &f);
            prop_assert_eq!(&fold(&s.nfc().collect::<String>()), &f);
            prop_assert_eq!(&fold(&s.nfkd().collect::<String>()), &f);
            prop_assert_eq!(&fold(&s.nfkc().collect::<String>()), &f);
        }

        /// The same over accented Latin text, where the forms differ most.
        #[test]
        fn accented_text_folds_alike_in_every_form(s in "[a-zA-Z àéèêïôùçÉÀŁłĐđƠơẴẵǢǣ\u{300}-\u{36f}]{0,24}") {
            let f = fold(&s);
            prop_assert_eq!(&fold(&s.nfc().collect::<String>()), &f);
            prop_assert_eq!(&fold(&s.nfd().collect::<String>()), &f);
            prop_assert_eq!(&fold(&s.nfkc().collect::<String>()), &f);
            prop_assert_eq!(fold(&f), f.clone());
        }
    }
}
