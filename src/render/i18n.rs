//! Interface strings of the templates, one YAML file per language, shipped in the
//! binary and overridable by a chronology's own `templates/i18n/<lang>.yaml`.

use crate::lang::{Lang, format_number};
use std::collections::BTreeMap;
use std::path::Path;

const FR: &str = include_str!("../../templates/i18n/fr.yaml");
const EN: &str = include_str!("../../templates/i18n/en.yaml");

/// The strings of one language.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Strings(BTreeMap<String, String>);

impl Strings {
    /// The default strings for `lang`, with the chronology's overrides from
    /// `root/templates/i18n/<lang>.yaml` on top.
    pub fn load(lang: &str, root: Option<&Path>) -> Result<Strings, super::RenderError> {
        let builtin = if lang == "en" { EN } else { FR };
        let mut map: BTreeMap<String, String> = serde_yaml::from_str(builtin)
            .map_err(|e| super::RenderError::new(format!("built-in strings for `{lang}`: {e}")))?;
        if let Some(root) = root {
            let rel = format!("i18n/{lang}.yaml");
            if let Some(text) = super::own::read(root, &rel)? {
                let path = root.join("templates").join(&rel);
                let extra: BTreeMap<String, String> = serde_yaml::from_str(&text)
                    .map_err(|e| super::RenderError::new(format!("{}: {e}", path.display())))?;
                map.extend(extra);
            }
        }
        Ok(Strings(map))
    }

    /// The string for `key`; a missing key shows as itself so that it is noticed.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    /// "1 événement" / "12 événements".
    pub fn count(&self, n: usize, lang: Lang) -> String {
        if n == 1 {
            self.get("event_count_one").to_string()
        } else {
            self.get("event_count_many")
                .replace("{n}", &format_number(n as u64, lang))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let fr = Strings::load("fr", None).expect("fr");
        let en = Strings::load("en", None).expect("en");
        let fk: Vec<_> = fr.0.keys().collect();
        let ek: Vec<_> = en.0.keys().collect();
        assert_eq!(fk, ek);
        assert_eq!(fr.count(3, Lang::Fr), "3 événements");
    }
}
