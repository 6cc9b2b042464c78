//! Questions in the terminal for `annalist new`, without dependencies: each answer is a
//! line; ids may be given by a unique prefix, and a prefix matching several ids lists
//! them. A wrong answer is explained and the question asked again; the end of the
//! input cancels.

use crate::error::Error;
use std::io::{BufRead, Write};

/// How many known ids a question lists before saying "and N more".
const SHOWN: usize = 12;

/// Asks questions on `out` and reads answers from `input`.
pub struct Prompter<R, W> {
    input: R,
    out: W,
}

impl<R: BufRead, W: Write> Prompter<R, W> {
    pub fn new(input: R, out: W) -> Self {
        Prompter { input, out }
    }

    /// Writes `text` as it is (a note between questions).
    pub fn say(&mut self, text: &str) {
        // The terminal going away is noticed when reading the answer.
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    /// One line of input, trimmed; `None` at the end of the input.
    fn line(&mut self) -> Result<Option<String>, Error> {
        let mut s = String::new();
        match self.input.read_line(&mut s) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(s.trim().to_string())),
            Err(e) => Err(Error::new(format!("could not read the answer: {e}"))),
        }
    }

    fn cancelled() -> Error {
        Error::new("cancelled: the input ended before every question was answered")
            .help("nothing was written; run the command again, or give the fields as flags")
    }

    /// Asks until `parse` accepts the answer. An empty answer is passed to `parse`
    /// too, so that optional questions can accept it.
    pub fn ask<T>(
        &mut self,
        question: &str,
        hint: &str,
        mut parse: impl FnMut(&str) -> Result<T, String>,
    ) -> Result<T, Error> {
        for _ in 0..100 {
            let hint = if hint.is_empty() {
                String::new()
            } else {
                format!(" ({hint})")
            };
            self.say(&format!("{question}{hint}: "));
            let Some(answer) = self.line()? else {
                self.say("\n");
                return Err(Self::cancelled());
            };
            match parse(&answer) {
                Ok(v) => return Ok(v),
                Err(why) => self.say(&format!("  {why}\n")),
            }
        }
        Err(Error::new(
            "too many answers were refused; nothing was written",
        ))
    }

    /// Asks for a required text.
    pub fn text(&mut self, question: &str, hint: &str) -> Result<String, Error> {
        self.ask(question, hint, |a| {
            if a.is_empty() {
                Err("this is required".into())
            } else {
                Ok(a.to_string())
            }
        })
    }

    /// Asks for an optional text: an empty answer is `None`.
    pub fn optional(&mut self, question: &str, hint: &str) -> Result<Option<String>, Error> {
        self.ask(question, hint, |a| {
            Ok((!a.is_empty()).then(|| a.to_string()))
        })
    }

    /// Asks for one of `known`, by its full name or a unique prefix; lists the known
    /// values first. With `optional`, an empty answer is `None`.
    pub fn choose(
        &mut self,
        question: &str,
        known: &[&str],
        optional: bool,
    ) -> Result<Option<String>, Error> {
        self.say(&format!("  known: {}\n", listing(known, "")));
        let hint = if optional {
            "a unique prefix is enough; empty for none"
        } else {
            "a unique prefix is enough"
        };
        self.ask(question, hint, |a| {
            if a.is_empty() {
                return if optional {
                    Ok(None)
                } else {
                    Err("this is required".into())
                };
            }
            resolve(a, known).map(Some)
        })
    }

    /// Asks for several of `known`, separated by commas; each by a unique prefix.
    pub fn choose_many(
        &mut self,
        question: &str,
        known: &[&str],
        at_least_one: bool,
    ) -> Result<Vec<String>, Error> {
        self.say(&format!("  known: {}\n", listing(known, "")));
        let hint = if at_least_one {
            "separated by commas; a unique prefix is enough"
        } else {
            "separated by commas; a unique prefix is enough; empty for none"
        };
        self.ask(question, hint, |a| {
            let parts: Vec<&str> = a
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.is_empty() && at_least_one {
                return Err("give at least one".into());
            }
            parts.iter().map(|p| resolve(p, known)).collect()
        })
    }
}

/// The known values, or those starting with `prefix`, shortened to `SHOWN`.
pub fn listing(known: &[&str], prefix: &str) -> String {
    let matching: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| k.starts_with(prefix))
        .collect();
    if matching.is_empty() {
        return "(none yet)".into();
    }
    let mut s = matching
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if matching.len() > SHOWN {
        s.push_str(&format!(", … ({} more)", matching.len() - SHOWN));
    }
    s
}

/// The value of `known` that `answer` names: itself, or the only one it is a prefix
/// of. Otherwise says what matches, or what was probably meant.
pub fn resolve(answer: &str, known: &[&str]) -> Result<String, String> {
    if known.contains(&answer) {
        return Ok(answer.to_string());
    }
    let matching: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| k.starts_with(answer))
        .collect();
    match matching.len() {
        1 => Ok(matching[0].to_string()),
        0 => Err(
            match crate::model::did_you_mean(answer, known.iter().copied()) {
                Some(s) => format!("`{answer}` is not known; did you mean `{s}`?"),
                None => format!("`{answer}` is not known; one of: {}", listing(known, "")),
            },
        ),
        _ => Err(format!(
            "`{answer}` matches several: {}; type more of it",
            listing(known, answer)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_prefix_names_an_id() {
        let known = ["djoura", "mali", "mopti-region"];
        assert_eq!(resolve("dj", &known), Ok("djoura".into()));
        assert_eq!(resolve("mali", &known), Ok("mali".into()));
        assert!(
            resolve("m", &known)
                .unwrap_err()
                .contains("mali, mopti-region")
        );
        assert!(resolve("djuora", &known).unwrap_err().contains("`djoura`"));
    }

    #[test]
    fn questions_are_asked_again_until_answered() {
        let input = b"\nzz\nmo\n" as &[u8];
        let mut out = Vec::new();
        let mut p = Prompter::new(input, &mut out);
        let got = p.choose("Location", &["djoura", "mali", "mopti-region"], false);
        assert_eq!(got, Ok(Some("mopti-region".into())));
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("this is required"), "{text}");
        assert!(text.contains("`zz` is not known"), "{text}");
        let mut p = Prompter::new(b"" as &[u8], Vec::new());
        assert!(p.text("Title", "").is_err());
    }
}
