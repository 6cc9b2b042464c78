//! What an actor or a place is called: its name at an event's date (names change:
//! ISGS was EIGS until March 2022), and the order of lists by the name readers see.
//! One rule, used by cards, event pages, feeds and exports (docs/design/time.md §1.4).

use crate::date::EventDate;
use crate::model::{DatedName, Text};
use crate::period::Overlap;

/// One name of an entity: the full name and, for lists and links, a short one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Naming<'a> {
    pub name: &'a Text,
    pub short_name: Option<&'a Text>,
}

impl<'a> Naming<'a> {
    /// The name lists and links show: the short name when there is one.
    pub fn shown(&self) -> &'a Text {
        self.short_name.unwrap_or(self.name)
    }
}

/// The names an entity bore at `date`, in time order: one in nearly every case; two
/// or more when the date cannot tell (an event of `2022-03` and a name that changed
/// during March 2022 give "EIGS / EI Sahel").
///
/// The entry of `names` whose period certainly contains the date wins; else the
/// current name when no entry possibly holds; else every name that possibly holds,
/// the current one among them.
pub fn at<'a>(current: Naming<'a>, names: &'a [DatedName], date: &EventDate) -> Vec<Naming<'a>> {
    if names.is_empty() {
        return vec![current];
    }
    let answers: Vec<(Overlap, &DatedName)> = names
        .iter()
        .map(|n| (n.period().overlap(date), n))
        .collect();
    if let Some((_, n)) = answers.iter().find(|(o, _)| *o == Overlap::Certain) {
        return vec![naming(n)];
    }
    let mut possible: Vec<&DatedName> = answers
        .iter()
        .filter(|(o, _)| *o == Overlap::Possible)
        .map(|(_, n)| *n)
        .collect();
    if possible.is_empty() {
        return vec![current];
    }
    // Former names (with an `until`) come before the current name, later ones (only a
    // `since`) after it; among each, by the first day they may have held.
    possible.sort_by_key(|n| n.period().possible().map(|p| p.0));
    let (before, after): (Vec<&DatedName>, Vec<&DatedName>) =
        possible.into_iter().partition(|n| n.until.is_some());
    before
        .into_iter()
        .map(naming)
        .chain(std::iter::once(current))
        .chain(after.into_iter().map(naming))
        .collect()
}

/// Every text of `names:` entries, full and short, in every language: they lead to
/// the entity as its current name does (import matching).
pub fn every_text(names: &[DatedName]) -> impl Iterator<Item = &str> {
    names.iter().flat_map(|n| {
        n.name
            .all()
            .into_iter()
            .chain(n.short_name.iter().flat_map(Text::all))
    })
}

fn naming(n: &DatedName) -> Naming<'_> {
    Naming {
        name: &n.name,
        short_name: n.short_name.as_ref(),
    }
}

/// How several texts read as one: each language's versions joined with " / ", the
/// same version once. A single text comes back as it is.
pub fn joined(texts: &[&Text]) -> Text {
    if let [one] = texts {
        return (*one).clone();
    }
    let mut langs: Vec<&str> = texts.iter().flat_map(|t| t.languages()).collect();
    langs.sort_unstable();
    langs.dedup();
    let version = |t: &&Text, lang: Option<&str>| -> String {
        match t {
            Text::Plain(s) => s.clone(),
            Text::Translated(m) => lang
                .and_then(|l| m.get(l))
                .or_else(|| m.values().next())
                .cloned()
                .unwrap_or_default(),
        }
    };
    let join = |lang: Option<&str>| {
        let mut parts: Vec<String> = Vec::new();
        for t in texts {
            let v = version(t, lang);
            if !parts.contains(&v) {
                parts.push(v);
            }
        }
        parts.join(" / ")
    };
    if langs.is_empty() {
        return Text::Plain(join(None));
    }
    let mut out = crate::model::Translations::default();
    for l in langs {
        out.insert(l.to_string(), join(Some(l)));
    }
    Text::Translated(out)
}

/// The order of lists of actors and places: by the name shown, folded (accents and
/// case count only between names that fold alike: "État" sorts with "Etat"), then as
/// written, then by id.
pub fn sort_key(shown: &str, id: &str) -> (String, String, String) {
    (crate::fold::fold(shown), shown.to_string(), id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isgs() -> crate::model::ActorFile {
        serde_yaml::from_str(
            "name: {fr: État islamique au Sahel, en: Islamic State Sahel Province}\n\
             short_name: {fr: EI Sahel, en: IS Sahel}\n\
             names:\n\
             \x20 - name: {fr: État islamique dans le Grand Sahara, en: Islamic State in the Greater Sahara}\n\
             \x20   short_name: {fr: EIGS, en: ISGS}\n\
             \x20   until: 2022-03\n",
        )
        .expect("an actor")
    }

    fn shown_at(a: &crate::model::ActorFile, date: &str, lang: &str) -> String {
        let current = Naming {
            name: &a.name,
            short_name: a.short_name.as_ref(),
        };
        let date = EventDate::parse(date).expect("a date");
        let names = at(current, &a.names, &date);
        let shown: Vec<&Text> = names.iter().map(Naming::shown).collect();
        match joined(&shown) {
            Text::Plain(s) => s,
            Text::Translated(m) => m.get(lang).cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn the_name_at_a_date_follows_the_dates_of_the_names() {
        let a = isgs();
        assert_eq!(shown_at(&a, "2021-08-08", "fr"), "EIGS");
        assert_eq!(shown_at(&a, "2021-08-08", "en"), "ISGS");
        assert_eq!(shown_at(&a, "2022-03-01", "fr"), "EIGS");
        // A month that straddles the change: both, the former first.
        assert_eq!(shown_at(&a, "2022-03", "fr"), "EIGS / EI Sahel");
        assert_eq!(shown_at(&a, "2022", "en"), "ISGS / IS Sahel");
        assert_eq!(shown_at(&a, "2022-04-02", "fr"), "EI Sahel");
        assert_eq!(shown_at(&a, "2024", "en"), "IS Sahel");
    }

    #[test]
    fn without_names_the_name_is_the_current_one() {
        let a: crate::model::ActorFile =
            serde_yaml::from_str("name: Groupe\nshort_name: JNIM\n").expect("an actor");
        assert_eq!(shown_at(&a, "2012", "fr"), "JNIM");
        let one = Text::Plain("JNIM".into());
        assert_eq!(joined(&[&one]), one);
    }

    #[test]
    fn lists_sort_by_the_folded_shown_name_then_as_written_then_id() {
        let mut names = [
            ("FAMa", "fama"),
            ("Dan Na Ambassagou", "dan-na-ambassagou"),
            ("CEDEAO", "ecowas"),
            ("État islamique", "islamic-state"),
            ("Etat", "etat"),
            ("al-Mourabitoun", "al-mourabitoun"),
            ("Ansar Dine", "ansar-dine"),
        ];
        names.sort_by_key(|(n, id)| sort_key(n, id));
        let order: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            order,
            [
                "al-Mourabitoun",
                "Ansar Dine",
                "CEDEAO",
                "Dan Na Ambassagou",
                "Etat",
                "État islamique",
                "FAMa"
            ]
        );
    }
}
