//! Translations: in a site with several languages, which texts lack a version in one
//! of them. `check` warns once per file and language, naming the fields, and sums up
//! how complete each language is; the pages meanwhile show another language's text
//! with a note (see `render::views::Ctx::text`).

use crate::config::Config;
use crate::diag::{Diagnostic, Report};
use crate::load::Loaded;
use crate::model::{Reaction, Text};
use std::path::Path;

/// How complete one language of the site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCount {
    pub lang: String,
    /// Texts that have a version in this language.
    pub present: usize,
    /// Texts of the chronology that can be translated.
    pub total: usize,
    /// Files with at least one text missing in this language.
    pub files: usize,
}

/// The completeness of every language of the site, in the order of the settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completeness(pub Vec<LanguageCount>);

impl Completeness {
    /// "translations: fr 100% (63 of 63 texts), en 97% (61 of 63 texts; 2 files to complete)".
    pub fn render(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|c| {
                // Rounded down, so that 100% means complete.
                let pct = (c.present * 100).checked_div(c.total).unwrap_or(100);
                let files = match c.files {
                    0 => String::new(),
                    1 => "; 1 file to complete".to_string(),
                    n => format!("; {n} files to complete"),
                };
                format!(
                    "{} {pct}% ({} of {} texts{files})",
                    c.lang, c.present, c.total
                )
            })
            .collect();
        format!("translations: {}", parts.join(", "))
    }
}

/// One step of the way to a field in a file: a key or a position in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg {
    Key(&'static str),
    Item(usize),
}

/// A translatable text of a file, with where it is.
struct Field<'a> {
    path: Vec<Seg>,
    text: &'a Text,
    /// A name written as one string is the same in every language; a prose text
    /// written as one string is in the default language.
    name: bool,
}

/// The translatable texts of every file, with the file's path.
fn fields(loaded: &Loaded) -> Vec<(&Path, Vec<Field<'_>>)> {
    use Seg::{Item, Key};
    let mut out = Vec::new();
    let prose = |path: Vec<Seg>, text| Field {
        path,
        text,
        name: false,
    };
    for e in &loaded.events {
        let d = &e.data;
        let mut f = vec![prose(vec![Key("title")], &d.title)];
        f.extend(d.summary.iter().map(|t| prose(vec![Key("summary")], t)));
        for (i, l) in d.locations.iter().enumerate() {
            f.extend(
                l.note
                    .iter()
                    .map(|t| prose(vec![Key("locations"), Item(i), Key("note")], t)),
            );
        }
        for (i, p) in d.actors.iter().enumerate() {
            f.extend(
                p.note
                    .iter()
                    .map(|t| prose(vec![Key("actors"), Item(i), Key("note")], t)),
            );
        }
        for (i, c) in d.claims.iter().enumerate() {
            f.push(prose(vec![Key("claims"), Item(i), Key("claim")], &c.claim));
        }
        if let Some(Reaction::Text(t)) = &d.official_reaction {
            f.push(prose(vec![Key("official_reaction")], t));
        }
        for (i, c) in d.casualties.iter().enumerate() {
            f.extend(
                c.note
                    .iter()
                    .map(|t| prose(vec![Key("casualties"), Item(i), Key("note")], t)),
            );
        }
        f.extend(d.body.iter().map(|t| prose(vec![Key("body")], t)));
        for (i, u) in d.updates.iter().enumerate() {
            f.push(prose(vec![Key("updates"), Item(i), Key("note")], &u.note));
        }
        out.push((e.path.as_path(), f));
    }
    for a in loaded.actors.values() {
        let d = &a.data;
        let mut f = vec![Field {
            path: vec![Key("name")],
            text: &d.name,
            name: true,
        }];
        f.extend(d.short_name.iter().map(|t| Field {
            path: vec![Key("short_name")],
            text: t,
            name: true,
        }));
        for (i, r) in d.relations.iter().enumerate() {
            f.extend(
                r.note
                    .iter()
                    .map(|t| prose(vec![Key("relations"), Item(i), Key("note")], t)),
            );
        }
        f.extend(
            d.description
                .iter()
                .map(|t| prose(vec![Key("description")], t)),
        );
        out.push((a.path.as_path(), f));
    }
    for l in loaded.locations.values() {
        let d = &l.data;
        let mut f = vec![Field {
            path: vec![Key("name")],
            text: &d.name,
            name: true,
        }];
        for (i, p) in d.parents.iter().enumerate() {
            f.extend(
                p.note
                    .iter()
                    .map(|t| prose(vec![Key("parents"), Item(i), Key("note")], t)),
            );
        }
        f.extend(
            d.description
                .iter()
                .map(|t| prose(vec![Key("description")], t)),
        );
        out.push((l.path.as_path(), f));
    }
    out
}

/// Whether `field` has a version in `lang`, the site's default language being `default`.
fn has(field: &Field, lang: &str, default: &str) -> bool {
    match field.text {
        Text::Plain(_) => field.name || lang == default,
        Text::Translated(m) => m.contains_key(lang),
    }
}

/// The English name of a language, for messages.
fn language_name(code: &str) -> &str {
    match code {
        "fr" => "French",
        "en" => "English",
        other => other,
    }
}

/// Warns about every text missing in one of the site's languages (once per file and
/// language) and returns how complete each language is; `None` for a site in one
/// language, where there is nothing to translate.
pub fn check(
    root: &Path,
    loaded: &Loaded,
    config: &Config,
    report: &mut Report,
) -> Option<Completeness> {
    if config.languages.len() < 2 {
        return None;
    }
    let default = config.language.as_str();
    let mut counts: Vec<LanguageCount> = config
        .languages
        .iter()
        .map(|l| LanguageCount {
            lang: l.clone(),
            present: 0,
            total: 0,
            files: 0,
        })
        .collect();
    for (path, fields) in fields(loaded) {
        let mut source: Option<Option<String>> = None;
        for count in counts.iter_mut() {
            let missing: Vec<&Field> = fields
                .iter()
                .filter(|f| !has(f, &count.lang, default))
                .collect();
            count.total += fields.len();
            count.present += fields.len() - missing.len();
            let Some(first) = missing.first() else {
                continue;
            };
            count.files += 1;
            // The file is read again only when it has something to point at.
            let text = source
                .get_or_insert_with(|| crate::load::read_text(&root.join(path), path).ok())
                .as_deref();
            let (line, column) = text.and_then(|t| locate(t, &first.path)).unwrap_or((1, 1));
            let names: Vec<String> = missing.iter().map(|f| shown(&f.path)).collect();
            let lang = &count.lang;
            let plain = missing.iter().any(|f| matches!(f.text, Text::Plain(_)));
            let mut help = format!(
                "add `{lang}: ...` beside the other languages of {} (the pages in {} show another language's text with a note meanwhile)",
                if missing.len() == 1 {
                    "this field"
                } else {
                    "each field"
                },
                language_name(lang),
            );
            if plain {
                help.push_str(&format!(
                    "; a text written as one string is in `{default}`: write it as `{default}: ...` and `{lang}: ...` on lines of their own"
                ));
            }
            report.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "no {} (`{lang}`) version of {}",
                        language_name(lang),
                        names.join(", ")
                    ),
                )
                .at(line, column)
                .with_help(Some(help)),
            );
        }
    }
    Some(Completeness(counts))
}

/// `claims[1].claim`, as the editor reads the field's place (counting from 1).
fn shown(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Item(i) => s.push_str(&format!("[{}]", i + 1)),
        }
    }
    format!("`{s}`")
}

/// A line of block YAML: its number, the column its content starts at, the content.
#[derive(Clone, Copy)]
struct Entry<'a> {
    line: usize,
    column: usize,
    body: &'a str,
}

/// The 1-based line and column of the field at `path` in a block-style YAML text,
/// as editors write them; `None` when it cannot be found (flow style, odd layout),
/// and the caller points at the file instead.
fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let mut region: Vec<Entry> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let body = l.trim_start_matches(' ');
            let skip = body.is_empty() || body.starts_with('#');
            (!skip).then(|| Entry {
                line: i + 1,
                column: l.len() - body.len() + 1,
                body,
            })
        })
        .collect();
    let mut found = None;
    for seg in path {
        let base = region.iter().map(|e| e.column).min()?;
        let (at, first) = match seg {
            Seg::Key(k) => {
                let at = region.iter().position(|e| {
                    e.column == base && e.body.strip_prefix(k).is_some_and(|r| r.starts_with(':'))
                })?;
                (at, None)
            }
            Seg::Item(i) => {
                let at = region
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| {
                        e.column == base && (e.body == "-" || e.body.starts_with("- "))
                    })
                    .nth(*i)?
                    .0;
                // The content after the dash is the first line of the item.
                let e = region[at];
                let rest = e.body[1..].trim_start_matches(' ');
                let first = (!rest.is_empty()).then(|| Entry {
                    line: e.line,
                    column: e.column + (e.body.len() - rest.len()),
                    body: rest,
                });
                (at, Some(first))
            }
        };
        let e = region[at];
        found = Some((e.line, e.column));
        let mut inner: Vec<Entry> = Vec::new();
        if let Some(Some(f)) = first {
            inner.push(f);
        }
        // A list may stand at its key's own indentation (`actors:` then `- id: x`).
        let is_key = matches!(seg, Seg::Key(_));
        inner.extend(
            region[at + 1..]
                .iter()
                .take_while(|x| {
                    x.column > base
                        || (is_key
                            && x.column == base
                            && (x.body == "-" || x.body.starts_with("- ")))
                })
                .copied(),
        );
        region = inner;
        if region.is_empty() {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "\
title:
  fr: Titre
summary: Résumé
actors:
  - id: jnim
    role: perpetrator
  - id: fama
    # a comment
    note:
      fr: Note
claims:
- claimant: jnim
  claim: Texte
";

    #[test]
    fn fields_are_found_where_editors_write_them() {
        use Seg::{Item, Key};
        assert_eq!(locate(EVENT, &[Key("title")]), Some((1, 1)));
        assert_eq!(locate(EVENT, &[Key("summary")]), Some((3, 1)));
        assert_eq!(
            locate(EVENT, &[Key("actors"), Item(1), Key("note")]),
            Some((9, 5))
        );
        assert_eq!(
            locate(EVENT, &[Key("claims"), Item(0), Key("claim")]),
            Some((13, 3))
        );
        // A key of the same name deeper down is not taken for a top-level one.
        assert_eq!(locate(EVENT, &[Key("role")]), None);
        assert_eq!(locate(EVENT, &[Key("actors"), Item(2)]), None);
    }

    #[test]
    fn field_paths_read_as_editors_count() {
        use Seg::{Item, Key};
        assert_eq!(
            shown(&[Key("claims"), Item(0), Key("claim")]),
            "`claims[1].claim`"
        );
    }

    #[test]
    fn completeness_reads_as_a_summary() {
        let c = Completeness(vec![
            LanguageCount {
                lang: "fr".into(),
                present: 63,
                total: 63,
                files: 0,
            },
            LanguageCount {
                lang: "en".into(),
                present: 61,
                total: 63,
                files: 2,
            },
        ]);
        assert_eq!(
            c.render(),
            "translations: fr 100% (63 of 63 texts), en 96% (61 of 63 texts; 2 files to complete)"
        );
    }
}
