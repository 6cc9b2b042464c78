//! The domain: events, actors and locations as editors write them in YAML, and the
//! small vocabularies they draw from. Every type here is read by serde_yaml; leaf
//! types check themselves as they are read so that problems carry exact positions.

use crate::date::{EventDate, TimeOfDay};
use crate::fold;
use crate::span::{self, Problem, Scalar, Spanned};
use serde::{Deserialize, Deserializer, Serialize};

// ---------------------------------------------------------------------------------
// Text in one or several languages

/// A text field: either one string, or a map of language codes to strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Translated(Translations),
}

/// The language versions of a text, sorted by language code. A text has one version per
/// language of the site (one or two): a short sorted list holds them in a fifth of the
/// memory of a B-tree node, which counts when a chronology holds 100,000 events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Translations(Vec<(String, String)>);

impl Translations {
    /// Sets the version in `lang`, replacing one already there.
    pub fn insert(&mut self, lang: String, text: String) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&lang)) {
            Ok(i) => self.0[i].1 = text,
            Err(i) => self.0.insert(i, (lang, text)),
        }
    }
    pub fn get_key_value(&self, lang: &str) -> Option<(&String, &String)> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(lang))
            .ok()
            .map(|i| (&self.0[i].0, &self.0[i].1))
    }
    pub fn get(&self, lang: &str) -> Option<&String> {
        self.get_key_value(lang).map(|(_, v)| v)
    }
    pub fn contains_key(&self, lang: &str) -> bool {
        self.get_key_value(lang).is_some()
    }
    /// The versions in the order of their language codes.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(_, v)| v)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Serialized as a map, in the order of the language codes (as the B-tree map was).
impl Serialize for Translations {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl Text {
    /// Every language version, for search and alias matching.
    pub fn all(&self) -> Vec<&str> {
        match self {
            Text::Plain(s) => vec![s],
            Text::Translated(m) => m.values().map(String::as_str).collect(),
        }
    }

    /// Languages this text is given in (none for a plain string: it counts for all).
    pub fn languages(&self) -> Vec<&str> {
        match self {
            Text::Plain(_) => Vec::new(),
            Text::Translated(m) => m.keys().map(String::as_str).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or a map of language codes to texts (`fr: ...`, `en: ...`)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                if v.trim().is_empty() {
                    return Err(span::report(Problem::error("this text is empty").help(
                        "write the text, or remove the line if the field is optional",
                    )));
                }
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Text, E> {
                Err(span::report(
                    Problem::error(format!(
                        "`{v}` is read by YAML as a yes/no value, not a text"
                    ))
                    .help(format!("put it in quotes: \"{v}\"")),
                ))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Text, E> {
                Err(span::report(Problem::error("this text is empty").help(
                    "write the text after the colon, or remove the line if the field is optional \
                     (`~` and `null` mean \"nothing\" in YAML, not a text)",
                )))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = Translations::default();
                while let Some(lang) = map.next_key::<LangCode>()? {
                    let text: NonEmpty = map.next_value()?;
                    out.insert(lang.0, text.0);
                }
                out.0.shrink_to_fit();
                if out.is_empty() {
                    return Err(serde::de::Error::custom(
                        "this text has no language versions; write `fr: ...` and/or `en: ...`",
                    ));
                }
                Ok(Text::Translated(out))
            }
        }
        span::leaf(d, |d| d.deserialize_any(V), || Text::Plain(String::new()))
    }
}

/// A language code used as a key in a translated text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LangCode(pub String);

impl Scalar for LangCode {
    const EXPECTING: &'static str = "a language code such as `fr` or `en`";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        let ok = (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase());
        if ok {
            Ok(LangCode(text.to_string()))
        } else {
            Err(Problem::error(format!("`{text}` is not a language code"))
                .help("use a two-letter ISO 639-1 code in lowercase, such as `fr` or `en`"))
        }
    }
    fn placeholder() -> Self {
        LangCode(String::new())
    }
}

/// A required non-empty string (a YAML `~` or an empty value is an error, never the text "~").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct NonEmpty(pub String);

impl Scalar for NonEmpty {
    const EXPECTING: &'static str = "a text";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if text.trim().is_empty() {
            Err(Problem::error("this text is empty")
                .help("write the text, or remove the line if the field is optional"))
        } else {
            Ok(NonEmpty(text.to_string()))
        }
    }
    fn placeholder() -> Self {
        NonEmpty(String::new())
    }
}

impl std::ops::Deref for NonEmpty {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------------------------
// Ids and references

/// Whether `id` is a valid id: lowercase ASCII letters, digits and single `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// The id an editor most likely meant for `raw`: folded ([`fold::skeleton`]: no
/// accents, lowercase, `ł` as `l`), every other character than an ASCII letter or
/// digit turned into a single `-`.
pub fn slugify(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    fold::skeleton(raw, |c| {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    });
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Folds an id for collision checks and suggestions: case, accents, look-alike
/// letters ([`fold::skeleton`]), and `_` or a space as `-`.
pub fn fold_id(raw: &str) -> String {
    // Called for every file name of the chronology: no allocation per character.
    let mut out = String::with_capacity(raw.len());
    fold::skeleton(raw, |c| {
        out.push(if c == '_' || c == ' ' { '-' } else { c })
    });
    out
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let folded = fold_id(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&folded, &fold_id(c));
        let better = match best {
            None => true,
            Some((s, b)) => score > s || (score == s && c < b),
        };
        if better {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c.to_string())
}

macro_rules! reference {
    ($name:ident, $what:literal, $set:ident, $dir:literal) => {
        #[doc = concat!("A reference to ", $what, " by id, checked against the ids known from file names.")]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Scalar for $name {
            const EXPECTING: &'static str = concat!("the id of ", $what);
            fn from_scalar(text: &str) -> Result<Self, Problem> {
                let found = span::known(|k, current| {
                    if k.$set.contains(text) {
                        Ok(())
                    } else {
                        // Never suggest the entry itself: it cannot refer to itself.
                        Err(did_you_mean(text, k.$set.iter().map(String::as_str).filter(|c| *c != current)))
                    }
                });
                match found {
                    None | Some(Ok(())) => Ok($name(text.to_string())),
                    Some(Err(suggestion)) => {
                        let problem = Problem::error(format!("unknown {} `{}`", $what, text));
                        Err(match suggestion {
                            Some(s) => problem.help(format!("did you mean `{s}`?")),
                            None => problem.help(format!(
                                "create `{}{}.yaml`, or use the id of an existing one",
                                $dir, text
                            )),
                        })
                    }
                }
            }
            fn placeholder() -> Self {
                $name(String::new())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                span::read_scalar(d)
            }
        }
    };
}

reference!(ActorId, "actor", actors, "events/actors/");
reference!(LocationId, "location", locations, "events/locations/");
reference!(EventId, "event", events, "events/<year>/");

// ---------------------------------------------------------------------------------
// Vocabularies

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $key:literal, $fr:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The key editors write.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            /// The label readers see.
            pub fn label(self, lang: &str) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, "fr") => $fr,)+
                    $(($name::$variant, _) => $en,)+
                }
            }
        }

        impl Scalar for $name {
            const EXPECTING: &'static str = concat!("a value from the ", $what, " list");
            fn from_scalar(text: &str) -> Result<Self, Problem> {
                let t = text.trim();
                $(if t == $key { return Ok($name::$variant); })+
                let keys = [$($key),+];
                let problem = Problem::error(format!("`{t}` is not a known {}", $what));
                Err(match did_you_mean(t, keys) {
                    Some(s) => problem.help(format!("did you mean `{s}`? (one of: {})", keys.join(", "))),
                    None => problem.help(format!("use one of: {}", keys.join(", "))),
                })
            }
            fn placeholder() -> Self {
                Self::ALL[0]
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                span::read_scalar(d)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
    };
}

vocabulary!(
    /// What kind of event this is, after ACLED's event types.
    EventType, "event type" {
        Battle = "battle", "Combats", "Battle";
        Attack = "attack", "Attaque", "Attack";
        RemoteViolence = "explosion-remote-violence", "Explosion / violence à distance", "Explosion / remote violence";
        ViolenceAgainstCivilians = "violence-against-civilians", "Violence contre des civils", "Violence against civilians";
        Protest = "protest", "Manifestation", "Protest";
        StrategicDevelopment = "strategic-development", "Évolution stratégique", "Strategic development";
        PoliticalDevelopment = "political-development", "Évolution politique", "Political development";
    }
);

vocabulary!(
    /// How established an event is: readers must never see a claim as a fact.
    Status, "status" {
        Claimed = "claimed", "Revendiqué", "Claimed";
        Reported = "reported", "Rapporté", "Reported";
        Confirmed = "confirmed", "Confirmé", "Confirmed";
        Disputed = "disputed", "Contesté", "Disputed";
        Denied = "denied", "Démenti", "Denied";
    }
);

vocabulary!(
    /// The part an actor plays in an event.
    Role, "actor role" {
        Perpetrator = "perpetrator", "auteur", "perpetrator";
        Target = "target", "cible", "target";
        Victim = "victim", "victime", "victim";
        Claimant = "claimant", "revendicateur", "claimant";
        Captor = "captor", "détient des captifs", "holds captives";
        Occupier = "occupier", "force d'occupation", "occupying force";
        Ally = "ally", "allié", "ally";
        Intervening = "intervening", "force d'intervention", "intervening force";
        Supporting = "supporting", "en soutien", "supporting force";
        Visitor = "visitor", "visiteur", "visitor";
        Mediator = "mediator", "médiateur", "mediator";
        Witness = "witness", "témoin", "witness";
        Other = "other", "autre", "other";
    }
);

vocabulary!(
    /// What sort of actor this is.
    ActorKind, "actor kind" {
        ArmedGroup = "armed-group", "Groupe armé", "Armed group";
        Coalition = "coalition", "Coalition", "Coalition";
        StateForce = "state-force", "Force étatique", "State force";
        PrivateMilitary = "private-military", "Société militaire privée", "Private military company";
        Government = "government", "Gouvernement", "Government";
        Person = "person", "Personne", "Person";
        Media = "media", "Média", "Media";
        Organisation = "organisation", "Organisation", "Organisation";
        Civilians = "civilians", "Civils", "Civilians";
    }
);

vocabulary!(
    /// How one actor stands to another.
    ActorRelationType, "actor relation" {
        PartOf = "part-of", "fait partie de", "part of";
        BranchOf = "branch-of", "branche de", "branch of";
        AffiliatedWith = "affiliated-with", "affilié à", "affiliated with";
        MediaArmOf = "media-arm-of", "branche médiatique de", "media arm of";
        MemberOf = "member-of", "membre de", "member of";
        Supports = "supports", "soutient", "supports";
        AlliedWith = "allied-with", "allié à", "allied with";
        SucceededBy = "succeeded-by", "remplacé par", "succeeded by";
        LeaderOf = "leader-of", "dirige", "leader of";
        FounderOf = "founder-of", "fondateur de", "founder of";
        SplitFrom = "split-from", "issu d'une scission de", "split from";
        SuccessorOf = "successor-of", "successeur de", "successor of";
        MergedInto = "merged-into", "a fusionné dans", "merged into";
    }
);

/// Whether a relation holds over a time (`since`/`until`) or happened once (`date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Lasting,
    OneOff,
}

impl ActorRelationType {
    /// The label on the target's page, which reads the relation from the other end:
    /// "a pour membre : Mali" on ECOWAS's page for Mali's `member-of ecowas`.
    pub fn inverse_label(self, lang: &str) -> &'static str {
        use ActorRelationType::*;
        let (fr, en) = match self {
            PartOf => ("comprend", "includes"),
            BranchOf => ("a pour branche", "has as a branch"),
            AffiliatedWith => ("a pour affilié", "has as an affiliate"),
            MediaArmOf => ("a pour branche médiatique", "has as its media arm"),
            MemberOf => ("a pour membre", "has as a member"),
            Supports => ("soutenu par", "supported by"),
            AlliedWith => ("allié à", "allied with"),
            SucceededBy => ("succède à", "successor of"),
            LeaderOf => ("dirigé par", "led by"),
            FounderOf => ("fondé par", "founded by"),
            SplitFrom => ("a connu la scission de", "saw the split of"),
            SuccessorOf => ("remplacé par", "succeeded by"),
            MergedInto => ("issu de la fusion de", "formed by the merger of"),
        };
        if lang == "fr" { fr } else { en }
    }

    /// Lasting relations take `since`/`until`; one-off ones (a founding, a split, a
    /// succession, a merger) take the `date` they happened on.
    pub fn shape(self) -> Shape {
        use ActorRelationType::*;
        match self {
            PartOf | BranchOf | AffiliatedWith | MediaArmOf | MemberOf | Supports | AlliedWith
            | LeaderOf => Shape::Lasting,
            FounderOf | SplitFrom | SuccessorOf | SucceededBy | MergedInto => Shape::OneOff,
        }
    }

    /// The type that states the same fact from the target's side, when there is one:
    /// `successor-of` and `succeeded-by`, so that a pair written on both files shows once.
    pub fn converse(self) -> Option<ActorRelationType> {
        match self {
            ActorRelationType::SuccessorOf => Some(ActorRelationType::SucceededBy),
            ActorRelationType::SucceededBy => Some(ActorRelationType::SuccessorOf),
            _ => None,
        }
    }
}

vocabulary!(
    /// What sort of place this is.
    LocationKind, "location kind" {
        Village = "village", "Village", "Village";
        Town = "town", "Ville", "Town";
        City = "city", "Grande ville", "City";
        Site = "site", "Site", "Site";
        District = "district", "Cercle / district", "District";
        Region = "region", "Région", "Region";
        Area = "area", "Zone", "Area";
        Country = "country", "Pays", "Country";
    }
);

vocabulary!(
    /// How closely a place's point stands for it.
    CoordinatePrecision, "coordinate precision" {
        Exact = "exact", "position exacte", "exact position";
        Approximate = "approximate", "position approximative", "approximate position";
        Area = "area", "centre de la zone", "centre of the area";
    }
);

vocabulary!(
    /// How two events are related.
    Relation, "event relation" {
        SameSite = "same-site", "même lieu", "same site";
        SameDay = "same-day", "même jour", "same day";
        FollowUp = "follow-up", "suite de", "follow-up to";
        PartOf = "part-of", "fait partie de", "part of";
        ResponseTo = "response-to", "réponse à", "response to";
        Context = "context", "contexte", "context";
    }
);

vocabulary!(
    /// What a casualty figure counts.
    CasualtyKind, "casualty kind" {
        Killed = "killed", "tués", "killed";
        Wounded = "wounded", "blessés", "wounded";
        Captured = "captured", "capturés", "captured";
        Missing = "missing", "disparus", "missing";
        Losses = "losses", "pertes (nature non précisée)", "losses (kind not specified)";
    }
);

// ---------------------------------------------------------------------------------
// Figures

/// A casualty figure with exactly the uncertainty its source gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Figure {
    Exact {
        value: u64,
    },
    About {
        value: u64,
    },
    AtLeast {
        value: u64,
    },
    AtMost {
        value: u64,
    },
    /// "More than 70", "plus de 70": the source's words, not "at least 71".
    MoreThan {
        value: u64,
    },
    /// "Fewer than 10", "moins de 10".
    FewerThan {
        value: u64,
    },
    Range {
        low: u64,
        high: u64,
    },
    /// "Several", "plusieurs": more than one, no number.
    Several,
    /// "Dozens", "des dizaines": no number is made of the word.
    Dozens,
    /// "Hundreds", "des centaines".
    Hundreds,
    /// The source mentions casualties without a number.
    Unspecified,
}

impl Figure {
    /// One figure of each form, as the methodology page explains them.
    pub const EXAMPLES: [Figure; 11] = [
        Figure::Exact { value: 100 },
        Figure::About { value: 100 },
        Figure::AtLeast { value: 20 },
        Figure::AtMost { value: 5 },
        Figure::MoreThan { value: 70 },
        Figure::FewerThan { value: 10 },
        Figure::Range { low: 10, high: 40 },
        Figure::Several,
        Figure::Dozens,
        Figure::Hundreds,
        Figure::Unspecified,
    ];

    /// The figure as written in the files (`about 100`); parsing it gives the same figure.
    pub fn to_source(&self) -> String {
        match self {
            Figure::Exact { value } => value.to_string(),
            Figure::About { value } => format!("about {value}"),
            Figure::AtLeast { value } => format!("at least {value}"),
            Figure::AtMost { value } => format!("at most {value}"),
            Figure::MoreThan { value } => format!("more than {value}"),
            Figure::FewerThan { value } => format!("fewer than {value}"),
            Figure::Range { low, high } => format!("{low}-{high}"),
            Figure::Several => "several".into(),
            Figure::Dozens => "dozens".into(),
            Figure::Hundreds => "hundreds".into(),
            Figure::Unspecified => "unspecified".into(),
        }
    }

    /// The kind of figure, as the exports type it (`exact`, `about`, `more-than`,
    /// `dozens`...): the same words as the JSON Schema's and events/README.md's, and
    /// the anchors and interface strings of the methodology page (a new kind without
    /// its explanation fails the test of `views`).
    pub fn kind(&self) -> &'static str {
        match self {
            Figure::Exact { .. } => "exact",
            Figure::About { .. } => "about",
            Figure::AtLeast { .. } => "at-least",
            Figure::AtMost { .. } => "at-most",
            Figure::MoreThan { .. } => "more-than",
            Figure::FewerThan { .. } => "fewer-than",
            Figure::Range { .. } => "range",
            Figure::Several => "several",
            Figure::Dozens => "dozens",
            Figure::Hundreds => "hundreds",
            Figure::Unspecified => "unspecified",
        }
    }

    /// Low, best and high estimates in the manner of UCDP, each only where the figure
    /// gives it: "about 100" has a best estimate and no bounds.
    pub fn estimates(&self) -> (Option<u64>, Option<u64>, Option<u64>) {
        match *self {
            Figure::Exact { value } => (Some(value), Some(value), Some(value)),
            Figure::About { value } => (None, Some(value), None),
            Figure::AtLeast { value } => (Some(value), None, None),
            Figure::AtMost { value } => (None, None, Some(value)),
            // Counts are whole: "more than 70" is at least 71 (parsing refuses a bound
            // with nothing past or below it).
            Figure::MoreThan { value } => (value.checked_add(1), None, None),
            Figure::FewerThan { value } => (None, None, value.checked_sub(1)),
            Figure::Range { low, high } => (Some(low), None, Some(high)),
            Figure::Several => (Some(2), None, None),
            // "Dozens" is 24 or more in English and "des dizaines" 20 or more in French:
            // a number would be ours, not the source's.
            Figure::Dozens | Figure::Hundreds | Figure::Unspecified => (None, None, None),
        }
    }
}

impl Scalar for Figure {
    const EXPECTING: &'static str = "a figure";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        let t = text.trim().to_lowercase();
        let number = |s: &str| -> Option<u64> {
            let s: String = s
                .chars()
                .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ','))
                .collect();
            s.parse().ok()
        };
        let forms = "write `100`, `about 100`, `at least 20`, `at most 5`, `more than 70`, `fewer than 10`, `10-40`, `several`, `dozens`, `hundreds` or `unspecified`";
        let not_a_figure = || Problem::error(format!("`{text}` is not a figure"));
        if let Some(v) = number(&t) {
            return Ok(Figure::Exact { value: v });
        }
        // Longer prefixes first: `>=` before `>`.
        for (prefix, make) in [
            ("about ", Figure::About { value: 0 }),
            ("~", Figure::About { value: 0 }),
            ("around ", Figure::About { value: 0 }),
            ("at least ", Figure::AtLeast { value: 0 }),
            (">=", Figure::AtLeast { value: 0 }),
            ("at most ", Figure::AtMost { value: 0 }),
            ("<=", Figure::AtMost { value: 0 }),
            ("more than ", Figure::MoreThan { value: 0 }),
            (">", Figure::MoreThan { value: 0 }),
            ("fewer than ", Figure::FewerThan { value: 0 }),
            ("less than ", Figure::FewerThan { value: 0 }),
            ("<", Figure::FewerThan { value: 0 }),
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let Some(v) = number(rest) else {
                    return Err(not_a_figure().help(forms));
                };
                return match make {
                    Figure::About { .. } => Ok(Figure::About { value: v }),
                    Figure::AtLeast { .. } => Ok(Figure::AtLeast { value: v }),
                    Figure::AtMost { .. } => Ok(Figure::AtMost { value: v }),
                    Figure::MoreThan { .. } if v == u64::MAX => {
                        Err(not_a_figure()
                            .help("no count is more than this number: check the figure"))
                    }
                    Figure::MoreThan { .. } => Ok(Figure::MoreThan { value: v }),
                    _ if v == 0 => Err(Problem::error(format!(
                        "`{text}` is not a figure: no count is below 0"
                    ))
                    .help("write `0` if the source says nobody")),
                    _ => Ok(Figure::FewerThan { value: v }),
                };
            }
        }
        match t.as_str() {
            "several" => return Ok(Figure::Several),
            "dozens" => return Ok(Figure::Dozens),
            "hundreds" => return Ok(Figure::Hundreds),
            "unspecified" | "unknown" => return Ok(Figure::Unspecified),
            _ => {}
        }
        let dash = t.find(['-', '–']);
        if let Some(i) = dash {
            let dash_len = t[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            if let (Some(low), Some(high)) = (number(&t[..i]), number(&t[i + dash_len..])) {
                if low >= high {
                    return Err(Problem::error(format!(
                        "the range `{text}` does not go up: {low} is not below {high}"
                    ))
                    .help(if low == high {
                        format!("write `{low}`")
                    } else {
                        format!("write `{high}-{low}`")
                    }));
                }
                return Ok(Figure::Range { low, high });
            }
        }
        let french = match t.as_str() {
            "plusieurs" => Some("several"),
            "des dizaines" | "dizaines" => Some("dozens"),
            "des centaines" | "centaines" => Some("hundreds"),
            "inconnu" | "non précisé" | "non precise" => Some("unspecified"),
            _ if t.starts_with("environ ") => Some("about N"),
            _ if t.starts_with("au moins ") => Some("at least N"),
            _ if t.starts_with("au plus ") => Some("at most N"),
            _ if t.starts_with("plus de ") => Some("more than N"),
            _ if t.starts_with("moins de ") => Some("fewer than N"),
            _ => None,
        };
        Err(match french {
            Some(f) => not_a_figure().help(format!("figures use English keywords: write `{f}`")),
            None => not_a_figure().help(forms),
        })
    }
    fn placeholder() -> Self {
        Figure::Unspecified
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

// ---------------------------------------------------------------------------------
// Dates as fields

impl Scalar for EventDate {
    const EXPECTING: &'static str =
        "a date such as `2025-05-23`, `2023-09`, `2023` or `2023-09-01/2023-09-03`";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        EventDate::parse(text).map_err(|e| Problem::error(e.message).with_help(e.help))
    }
    fn placeholder() -> Self {
        EventDate::parse("2000").unwrap_or_else(|_| unreachable!("a literal year parses"))
    }
}

impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

impl Scalar for TimeOfDay {
    const EXPECTING: &'static str = "a time such as `14:30` or a part of the day (`morning`, `midday`, `afternoon`, `evening`, `night`)";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        TimeOfDay::parse(text).map_err(|e| Problem::error(e.message).with_help(e.help))
    }
    fn placeholder() -> Self {
        TimeOfDay::parse("midday").unwrap_or_else(|_| unreachable!("a literal part of day parses"))
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

/// A URL a reader may follow: only http and https.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Url(pub String);

impl Scalar for Url {
    const EXPECTING: &'static str = "a web address starting with https:// or http://";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let host_ok = |rest: &str| {
            !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
        };
        match lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
        {
            Some(rest) if host_ok(rest) => Ok(Url(t.to_string())),
            _ => Err(
                Problem::error(format!("`{t}` is not a web address a reader can open"))
                    .help("write the full address, starting with https://"),
            ),
        }
    }
    fn placeholder() -> Self {
        Url(String::new())
    }
}

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

impl<'de> Deserialize<'de> for NonEmpty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

impl<'de> Deserialize<'de> for LangCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

/// A tag: a free label, normalised to an id so that it can be a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Tag(pub String);

impl Scalar for Tag {
    const EXPECTING: &'static str = "a tag (lowercase letters, digits and `-`)";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if is_valid_id(text) {
            Ok(Tag(text.to_string()))
        } else {
            Err(
                Problem::error(format!("`{text}` is not a valid tag")).help(format!(
                    "tags are lowercase ASCII with `-`: write `{}`",
                    slugify(text)
                )),
            )
        }
    }
    fn placeholder() -> Self {
        Tag(String::new())
    }
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

// ---------------------------------------------------------------------------------
// Event

/// One event file, `events/<year>/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub title: Text,
    pub summary: Option<Text>,
    pub date: Spanned<EventDate>,
    pub time: Option<TimeOfDay>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub status: Spanned<Status>,
    #[serde(deserialize_with = "locations_list")]
    #[schemars(with = "Vec<LocationRef>")]
    pub locations: Vec<LocationRef>,
    #[serde(default, deserialize_with = "actors_list")]
    #[schemars(with = "Vec<Participant>")]
    pub actors: Vec<Participant>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    pub official_reaction: Option<Reaction>,
    #[serde(default)]
    pub casualties: Vec<Casualty>,
    #[serde(default, deserialize_with = "related_list")]
    #[schemars(with = "Vec<Related>")]
    pub related: Vec<Related>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default, deserialize_with = "tags_list")]
    #[schemars(with = "Vec<Tag>")]
    pub tags: Vec<Tag>,
    pub body: Option<Text>,
    /// Substantive corrections of the account, each with its date and what changed.
    #[serde(default)]
    pub updates: Vec<Update>,
    /// Former ids of this event (it was renamed): their pages redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<FormerId>>,
}

/// The most locations one event may list: it appears on the page and in the feed of
/// each (and of the regions above them), so one file must not make thousands of pages
/// grow. Real events list one to three; see events/README.md.
pub const MAX_LOCATIONS: usize = 64;
/// The most actors one event may list, for the same reason.
pub const MAX_ACTORS: usize = 64;
/// The most tags one event may list, for the same reason.
pub const MAX_TAGS: usize = 32;
/// The most related events one event may list (each is a link on its page).
pub const MAX_RELATED: usize = 64;

/// Files a problem at the second mention of each key listed twice or more in `field`
/// (`twice` words it, or gives `None` for the placeholder of a value that already had
/// a problem), and one at the first item past `limit` (only the items within it are
/// looked at, so a list of a million copies makes two problems, not a million).
fn check_list<K: std::hash::Hash + Eq, E: serde::de::Error>(
    items: impl Iterator<Item = (K, span::Pos)>,
    field: &str,
    limit: usize,
    twice: impl Fn(&K) -> Option<Problem>,
) -> Result<(), E> {
    let mut seen = std::collections::HashMap::new();
    for (i, (key, pos)) in items.enumerate() {
        if i == limit {
            return span::file(
                Problem::error(format!(
                    "this event lists more than {limit} items in `{field}`"
                ))
                .help(format!(
                    "an event lists at most {limit} {field}, so that one file cannot fill the site with copies of itself; keep those that matter (see events/README.md)"
                ))
                .at(pos),
            );
        }
        match seen.get_mut(&key) {
            None => {
                seen.insert(key, 1usize);
            }
            Some(times) => {
                *times += 1;
                if *times == 2
                    && let Some(problem) = twice(&key)
                {
                    span::file(problem.at(pos))?;
                }
            }
        }
    }
    Ok(())
}

/// The problem of an id listed twice in a plain list of ids.
fn listed_twice(field: &str) -> impl Fn(&&str) -> Option<Problem> + '_ {
    move |key: &&str| {
        // A placeholder of an id that had a problem is not a second one.
        (!key.is_empty()).then(|| {
            Problem::error(format!("`{key}` is listed twice in `{field}`"))
                .help(format!("remove the second `{key}`"))
        })
    }
}

/// A place of an event: its id, and whether the sources leave the place in doubt
/// ("near Tessalit"). The event counts for the place either way; pages say "lieu
/// incertain" and give the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationRef {
    pub id: LocationId,
    pub uncertain: bool,
    pub note: Option<Text>,
}

impl LocationRef {
    pub fn as_str(&self) -> &str {
        self.id.as_str()
    }
}

/// `locations:` items as written in the map form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationRefMap {
    id: Spanned<LocationId>,
    #[serde(default)]
    uncertain: bool,
    note: Option<Text>,
}

fn locations_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LocationRef>, D::Error> {
    let items = Vec::<span::ScalarOrMap<LocationId, LocationRefMap>>::deserialize(d)?;
    let refs: Vec<(LocationRef, span::Pos)> = items
        .into_iter()
        .map(|item| match item {
            span::ScalarOrMap::Scalar(s) => (
                LocationRef {
                    id: s.value,
                    uncertain: false,
                    note: None,
                },
                s.pos,
            ),
            span::ScalarOrMap::Map(m) => (
                LocationRef {
                    id: m.id.value,
                    uncertain: m.uncertain,
                    note: m.note,
                },
                m.id.pos,
            ),
        })
        .collect();
    // An id written once plain and once as a map is listed twice all the same.
    check_list(
        refs.iter().map(|(r, pos)| (r.as_str(), *pos)),
        "locations",
        MAX_LOCATIONS,
        listed_twice("locations"),
    )?;
    Ok(refs.into_iter().map(|(r, _)| r).collect())
}

fn tags_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Tag>, D::Error> {
    let items = Vec::<Spanned<Tag>>::deserialize(d)?;
    check_list(
        items.iter().map(|s| (s.value.0.as_str(), s.pos)),
        "tags",
        MAX_TAGS,
        listed_twice("tags"),
    )?;
    Ok(items.into_iter().map(|s| s.value).collect())
}

fn related_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Related>, D::Error> {
    let items = Vec::<Related>::deserialize(d)?;
    check_list(
        items.iter().map(|r| (r.id.value.0.as_str(), r.id.pos)),
        "related",
        MAX_RELATED,
        listed_twice("related"),
    )?;
    Ok(items)
}

/// Reads `actors:`. An actor may be listed once per role (a group both `perpetrator`
/// and `claimant` of an attack), so a repeat is the same id in the same role.
fn actors_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Participant>, D::Error> {
    /// `Participant`, with the position of its id.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename = "Participant")]
    struct Read {
        id: Spanned<ActorId>,
        role: Role,
        note: Option<Text>,
    }
    let items = Vec::<Read>::deserialize(d)?;
    check_list(
        items
            .iter()
            .map(|p| ((p.id.value.as_str(), p.role), p.id.pos)),
        "actors",
        MAX_ACTORS,
        |(id, role)| {
            (!id.is_empty()).then(|| {
                Problem::error(format!(
                    "`{id}` is listed twice in `actors` with the role `{}`",
                    role.key()
                ))
                .help(format!(
                    "remove the second `{id}`; an actor is listed once per role (twice only with two different roles)"
                ))
            })
        },
    )?;
    Ok(items
        .into_iter()
        .map(|p| Participant {
            id: p.id.value,
            role: p.role,
            note: p.note,
        })
        .collect())
}

/// An editor's note on a substantive correction of an event's account.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// When the account was corrected.
    pub date: Spanned<EventDate>,
    /// What changed, and why (Markdown).
    pub note: Text,
}

/// A former id of an event: a valid id that no current event uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FormerId(pub String);

impl Scalar for FormerId {
    const EXPECTING: &'static str = "a former id of this event";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        let t = text.trim();
        if !is_valid_id(t) {
            return Err(Problem::error(format!("`{t}` is not a valid id"))
                .help("write the old id exactly as it was: the old file name without `.yaml`"));
        }
        let clash = span::known(|k, current| {
            if t == current {
                Some("this is the event's own id, not a former one")
            } else if k.events.contains(t) {
                Some("another event has this id: its page cannot also redirect here")
            } else {
                None
            }
        });
        match clash.flatten() {
            Some(why) => Err(
                Problem::error(format!("the former id `{t}` clashes: {why}")).help(
                    "remove it from `aliases:`; a former id must not be any event's current id",
                ),
            ),
            None => Ok(FormerId(t.to_string())),
        }
    }
    fn placeholder() -> Self {
        FormerId(String::new())
    }
}

/// An actor taking part in an event, in a role.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub id: ActorId,
    pub role: Role,
    pub note: Option<Text>,
}

/// Who claims what, through which channel, when.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub claimant: ActorId,
    /// The outlet that carried the claim, when it is an actor (a media arm).
    pub channel: Option<ActorId>,
    /// What is claimed.
    pub claim: Text,
    pub date: Option<Spanned<EventDate>>,
}

/// Whether the authorities reacted: `none` says explicitly that no reaction was published.
#[derive(Debug, Clone)]
pub enum Reaction {
    None,
    Text(Text),
}

impl<'de> Deserialize<'de> for Reaction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Text::deserialize(d)?;
        Ok(match &text {
            Text::Plain(s) if s.trim().eq_ignore_ascii_case("none") => Reaction::None,
            _ => Reaction::Text(text),
        })
    }
}

/// One casualty figure as one report gives it: who it counts, who gives it and when.
/// Several entries for the same `who` and `what` are the history of that toll
/// (revisions, other sources), never one figure to merge.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Casualty {
    /// An actor id, or `civilians`.
    pub who: Who,
    pub what: CasualtyKind,
    pub figure: Figure,
    /// Who gives the figure: an actor, or (the older form) a source by number.
    pub according_to: Option<Attribution>,
    /// The event's source that reports the figure, numbered as on the page.
    #[schemars(with = "Option<SourceNumber>")]
    pub source: Option<Spanned<SourceNumber>>,
    /// When the figure was given, at the precision known (`2019-03-25`, `2019-03`).
    #[schemars(with = "Option<EventDate>")]
    pub date: Option<Spanned<EventDate>>,
    pub note: Option<Text>,
}

impl Casualty {
    /// The actor who gives the figure, if any.
    pub fn according_to_actor(&self) -> Option<&ActorId> {
        match &self.according_to {
            Some(Attribution::Actor(a)) => Some(a),
            _ => None,
        }
    }

    /// The source that reports the figure: `source: N`, or `according_to: {source: N}`
    /// (`check` refuses both at once).
    pub fn source_number(&self) -> Option<&Spanned<SourceNumber>> {
        match (&self.source, &self.according_to) {
            (Some(n), _) | (None, Some(Attribution::Source(n))) => Some(n),
            _ => None,
        }
    }

    /// Who gives the figure and when: entries with the same key are one report (the
    /// parts of one account, which add up); entries with different keys are different
    /// reports, which never do.
    pub fn report_key(&self) -> (Option<&str>, Option<usize>, Option<&EventDate>) {
        (
            self.according_to_actor().map(|a| a.as_str()),
            self.source_number().map(|n| n.value.0),
            self.date.as_ref().map(|d| &d.value),
        )
    }
}

/// Whose casualties: an actor, civilians, all sides together, or a side the source
/// does not name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Civilians,
    /// A total over every party of the event (UCDP's `best`, ACLED's `fatalities`).
    All,
    /// The source gives the figure without saying whose dead they are.
    Unknown,
    Actor(ActorId),
}

impl Who {
    /// The word editors write for the non-actor forms.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Who::Civilians => Some("civilians"),
            Who::All => Some("all"),
            Who::Unknown => Some("unknown"),
            Who::Actor(_) => None,
        }
    }

    /// How readers see the non-actor forms.
    pub fn label(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Who::Civilians, "fr") => "civils",
            (Who::Civilians, _) => "civilians",
            (Who::All, "fr") => "toutes parties confondues",
            (Who::All, _) => "all sides together",
            (Who::Unknown, "fr") => "partie non précisée",
            (Who::Unknown, _) => "side not given",
            (Who::Actor(_), _) => "",
        }
    }
}

impl Scalar for Who {
    const EXPECTING: &'static str = "an actor id, `civilians`, `all` or `unknown`";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        match text.trim() {
            "civilians" => Ok(Who::Civilians),
            "all" => Ok(Who::All),
            "unknown" => Ok(Who::Unknown),
            _ => ActorId::from_scalar(text)
                .map(Who::Actor)
                .map_err(|p| Problem {
                    help: p.help.map(|h| {
                        format!("{h} (or `civilians`, `all` for every side together, `unknown`)")
                    }),
                    ..p
                }),
        }
    }
    fn placeholder() -> Self {
        Who::Civilians
    }
}

impl<'de> Deserialize<'de> for Who {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        span::read_scalar(d)
    }
}

/// Who gives a figure: an actor (`according_to: jnim`) or a source of the event
/// (`according_to: {source: 1}`, numbered from 1 as on the page).
#[derive(Debug, Clone)]
pub enum Attribution {
    Actor(ActorId),
    Source(Spanned<SourceNumber>),
}

impl<'de> Deserialize<'de> for Attribution {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Written by hand rather than `untagged`: serde's untagged enums buffer the
        // value and lose its position.
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Attribution;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an actor id, or `{source: N}` for the event's N-th source")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Attribution, E> {
                ActorId::from_scalar(v)
                    .map(Attribution::Actor)
                    .map_err(|p| span::report(p))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Attribution, A::Error> {
                let mut found = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "source" {
                        return Err(serde::de::Error::custom(format!(
                            "unknown field `{key}`, expected `source` (the number of one of the event's sources)"
                        )));
                    }
                    found = Some(map.next_value::<Spanned<SourceNumber>>()?);
                }
                found.map(Attribution::Source).ok_or_else(|| {
                    serde::de::Error::custom("write `source: N` with the number of a source")
                })
            }
        }
        span::leaf(
            d,
            |d| d.deserialize_any(V),
            || Attribution::Actor(ActorId::placeholder()),
        )
    }
}

/// A 1-based index into the event's sources, checked once the sources are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceNumber(pub usize);

impl Scalar for SourceNumber {
    const EXPECTING: &'static str = "a source number (1 for the first source)";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        match text.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Ok(SourceNumber(n)),
            _ => Err(Problem::error(format!("`{text}` is not a source number"))
                .help("sources are numbered from 1, in the order of `sources:`")),
        }
    }
    fn placeholder() -> Self {
        SourceNumber(1)
    }
}

/// A link to another event.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub id: Spanned<EventIdSelf>,
    pub relation: Relation,
}

/// An event id that must not be the event itself (whether it exists is checked by
/// `validate::related_events`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventIdSelf(pub EventId);

impl Scalar for EventIdSelf {
    const EXPECTING: &'static str = "the id of another event";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if span::known(|_, current| current == text) == Some(true) {
            return Err(Problem::error("an event cannot be related to itself")
                .help("remove this entry, or name another event"));
        }
        // Whether an event has this id is checked in `validate`, where every event's
        // former ids (`aliases:`) are known: a file name alone cannot tell a renamed
        // event from a removed one.
        Ok(EventIdSelf(EventId(text.to_string())))
    }
    fn placeholder() -> Self {
        EventIdSelf(EventId::placeholder())
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The publisher or issuer (a newspaper, an agency, an armed group's statement).
    pub publisher: NonEmpty,
    pub title: Option<NonEmpty>,
    pub date: Option<Spanned<EventDate>>,
    pub language: Option<LangCode>,
    pub url: Option<Url>,
    /// An archived copy of `url` (the Wayback Machine, archive.today), for when the
    /// original moves or disappears; checked as `url` is.
    pub archive_url: Option<Url>,
    pub quote: Option<NonEmpty>,
}

// ---------------------------------------------------------------------------------
// Actor and location

/// One actor file, `events/actors/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorFile {
    pub name: Text,
    /// A short name or acronym used in lists (`JNIM`); per language when it differs
    /// (`fr: AQMI`, `en: AQIM`).
    pub short_name: Option<Text>,
    /// Other spellings, for matching; each must lead to this entity only (`validate`).
    #[serde(default)]
    pub aliases: Vec<Spanned<NonEmpty>>,
    /// Absent when the sources do not say what sort of actor it is.
    pub kind: Option<ActorKind>,
    #[serde(default)]
    pub relations: Vec<ActorRelation>,
    pub description: Option<Text>,
    /// Former (or later) names with their dates; `name` and `short_name` are the
    /// current ones.
    #[serde(default)]
    pub names: Vec<DatedName>,
}

/// A name an actor or a place bore for a time: ISGS was "État islamique dans le Grand
/// Sahara" (EIGS) until March 2022. Events of those days show it under that name.
#[derive(Debug, Clone, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedName {
    pub name: Text,
    pub short_name: Option<Text>,
    pub since: Option<Spanned<EventDate>>,
    pub until: Option<Spanned<EventDate>>,
    pub note: Option<Text>,
}

impl<'de> Deserialize<'de> for DatedName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// `DatedName` as written, before the check that it has a date.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename = "DatedName")]
        struct Read {
            name: Text,
            short_name: Option<Text>,
            since: Option<Spanned<EventDate>>,
            until: Option<Spanned<EventDate>>,
            note: Option<Text>,
        }
        let r = Read::deserialize(d)?;
        if r.since.is_none() && r.until.is_none() {
            // An undated name would hold at all times, like the top-level one.
            return Err(serde::de::Error::custom(
                "this entry of `names:` has no dates; write `until:` for a former name, `since:` for a later one (or both); a name without dates belongs in `aliases:`",
            ));
        }
        Ok(DatedName {
            name: r.name,
            short_name: r.short_name,
            since: r.since,
            until: r.until,
            note: r.note,
        })
    }
}

impl DatedName {
    /// The days the name was in use.
    pub fn period(&self) -> crate::period::Period<'_> {
        crate::period::Period::new(
            self.since.as_ref().map(|d| &d.value),
            self.until.as_ref().map(|d| &d.value),
        )
    }
}

/// How this actor stands to another, with dates when known.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorRelation {
    #[serde(rename = "type")]
    pub relation: ActorRelationType,
    pub target: Spanned<ActorIdOther>,
    pub since: Option<Spanned<EventDate>>,
    pub until: Option<Spanned<EventDate>>,
    /// When a one-off relation happened (a founding, a split, a merger).
    pub date: Option<Spanned<EventDate>>,
    pub note: Option<Text>,
}

impl ActorRelation {
    /// The period a lasting relation holds over (always, when undated). A one-off
    /// relation has none: it happened on its `date`.
    pub fn period(&self) -> crate::period::Period<'_> {
        match self.relation.shape() {
            Shape::Lasting => crate::period::Period::new(
                self.since.as_ref().map(|d| &d.value),
                self.until.as_ref().map(|d| &d.value),
            ),
            Shape::OneOff => crate::period::Period::always(),
        }
    }

    /// When a one-off relation happened: its `date`, or the `since` that files written
    /// before `date:` existed give `succeeded-by` (`check` warns about it).
    pub fn date_of(&self) -> Option<&EventDate> {
        match self.relation.shape() {
            Shape::OneOff => self.date.as_ref().or(self.since.as_ref()).map(|d| &d.value),
            Shape::Lasting => None,
        }
    }

    /// Whether the relation has ended: a lasting one with an `until` (the build reads
    /// no clock, so a written end is taken as past).
    pub fn ended(&self) -> bool {
        self.relation.shape() == Shape::Lasting && self.until.is_some()
    }
}

/// An actor id that must not be the actor itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorIdOther(pub ActorId);

impl Scalar for ActorIdOther {
    const EXPECTING: &'static str = "the id of another actor";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if span::known(|_, current| current == text) == Some(true) {
            return Err(Problem::error("an actor cannot be related to itself")
                .help("name another actor as the target of this relation"));
        }
        ActorId::from_scalar(text).map(ActorIdOther)
    }
    fn placeholder() -> Self {
        ActorIdOther(ActorId::placeholder())
    }
}

/// One location file, `events/locations/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationFile {
    pub name: Text,
    /// Other spellings, for matching; each must lead to this entity only (`validate`).
    #[serde(default)]
    pub aliases: Vec<Spanned<NonEmpty>>,
    pub kind: LocationKind,
    /// The larger place that contains it at all times.
    pub parent: Option<Spanned<LocationIdOther>>,
    /// Instead of `parent`, the places that contained it over time (a region reform
    /// moves a district to a new region).
    #[serde(default)]
    pub parents: Vec<ParentPeriod>,
    /// Where it is, or `unknown` when no source gives a point.
    pub coordinates: Option<Position>,
    pub description: Option<Text>,
    /// Former (or later) names with their dates; `name` is the current one.
    #[serde(default)]
    pub names: Vec<DatedName>,
}

/// What a place file says of its position: a point (with its precision), or that
/// none is known (`coordinates: unknown`), which silences the warning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Position {
    /// A point, with the position of its latitude for diagnostics.
    At(Coordinates, span::Pos),
    Unknown,
}

/// The word `unknown`, as `coordinates:` takes it.
#[derive(Debug, Clone, Copy)]
pub struct UnknownWord;

impl Scalar for UnknownWord {
    const EXPECTING: &'static str = "`{lat: ..., lon: ...}` or `unknown`";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if text.trim() == "unknown" {
            Ok(UnknownWord)
        } else {
            Err(Problem::error(format!("`{text}` is not a position")).help(
                "write `coordinates: {lat: 14.1, lon: -4.6}` (decimal degrees), or `coordinates: unknown` when no source gives them",
            ))
        }
    }
    fn placeholder() -> Self {
        UnknownWord
    }
}

/// `coordinates:` as written in the map form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoordinatesMap {
    lat: Spanned<Latitude>,
    lon: Longitude,
    precision: Option<CoordinatePrecision>,
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(
            match span::ScalarOrMap::<UnknownWord, CoordinatesMap>::deserialize(d)? {
                span::ScalarOrMap::Scalar(_) => Position::Unknown,
                span::ScalarOrMap::Map(m) => Position::At(
                    Coordinates {
                        lat: m.lat.value,
                        lon: m.lon,
                        precision: m.precision,
                    },
                    m.lat.pos,
                ),
            },
        )
    }
}

impl LocationFile {
    /// The point of the place, when one is known.
    pub fn point(&self) -> Option<Coordinates> {
        match self.coordinates {
            Some(Position::At(c, _)) => Some(c),
            _ => None,
        }
    }
}

/// One of the places that contained a place, for the days from `since` to `until`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentPeriod {
    pub id: Spanned<LocationIdOther>,
    pub since: Option<Spanned<EventDate>>,
    pub until: Option<Spanned<EventDate>>,
    pub note: Option<Text>,
}

impl ParentPeriod {
    /// The days this parent holds.
    pub fn period(&self) -> crate::period::Period<'_> {
        crate::period::Period::new(
            self.since.as_ref().map(|s| &s.value),
            self.until.as_ref().map(|u| &u.value),
        )
    }
}

impl LocationFile {
    /// Every parent with the days it holds: `parent:` at all times, or each entry of
    /// `parents:`, in file order.
    pub fn parent_periods(&self) -> Vec<(&str, crate::period::Period<'_>)> {
        match &self.parent {
            Some(p) => vec![(p.value.0.as_str(), crate::period::Period::always())],
            None => self
                .parents
                .iter()
                .map(|p| (p.id.value.0.as_str(), p.period()))
                .collect(),
        }
    }

    /// The parent today: `parent:`, or the entry of `parents:` that has not ended (the
    /// last of them if several have not). Pages without a date (the tree of places, a
    /// place's "inside" line) show the place where it stands now.
    pub fn current_parent(&self) -> Option<&str> {
        match &self.parent {
            Some(p) => Some(p.value.0.as_str()),
            None => self
                .parents
                .iter()
                .rev()
                .find(|p| p.until.is_none())
                .map(|p| p.id.value.0.as_str()),
        }
    }
}

/// A location id that must not be the location itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocationIdOther(pub LocationId);

impl Scalar for LocationIdOther {
    const EXPECTING: &'static str = "the id of the enclosing location";
    fn from_scalar(text: &str) -> Result<Self, Problem> {
        if span::known(|_, current| current == text) == Some(true) {
            return Err(Problem::error("a location cannot be its own parent")
                .help("name the region or country that contains it"));
        }
        LocationId::from_scalar(text).map(LocationIdOther)
    }
    fn placeholder() -> Self {
        LocationIdOther(LocationId::placeholder())
    }
}

/// A point in WGS 84 degrees, and how closely it stands for the place.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coordinates {
    pub lat: Latitude,
    pub lon: Longitude,
    /// As written; a point without it is exact.
    pub precision: Option<CoordinatePrecision>,
}

macro_rules! degrees {
    ($name:ident, $max:literal, $what:literal) => {
        #[doc = concat!("A ", $what, " in degrees.")]
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl Scalar for $name {
            const EXPECTING: &'static str = concat!("a ", $what, " in decimal degrees");
            fn from_scalar(text: &str) -> Result<Self, Problem> {
                match text.trim().parse::<f64>() {
                    Ok(v) if v.is_finite() && v.abs() <= $max => Ok($name(v)),
                    _ => Err(
                        Problem::error(format!("`{text}` is not a {}", $what)).help(concat!(
                            "write decimal degrees between -",
                            stringify!($max),
                            " and ",
                            stringify!($max)
                        )),
                    ),
                }
            }
            fn placeholder() -> Self {
                $name(0.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                span::read_scalar(d)
            }
        }
    };
}

degrees!(Latitude, 90.0, "latitude");
degrees!(Longitude, 180.0, "longitude");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_and_bounded_figures_parse_and_write_back() {
        let ok = |t: &str| Figure::from_scalar(t).unwrap_or_else(|p| panic!("{t}: {p:?}"));
        for (written, figure, kind, canonical) in [
            ("dozens", Figure::Dozens, "dozens", "dozens"),
            ("Hundreds", Figure::Hundreds, "hundreds", "hundreds"),
            (
                "more than 70",
                Figure::MoreThan { value: 70 },
                "more-than",
                "more than 70",
            ),
            (
                ">70",
                Figure::MoreThan { value: 70 },
                "more-than",
                "more than 70",
            ),
            (
                "fewer than 10",
                Figure::FewerThan { value: 10 },
                "fewer-than",
                "fewer than 10",
            ),
            (
                "less than 10",
                Figure::FewerThan { value: 10 },
                "fewer-than",
                "fewer than 10",
            ),
            (
                "<10",
                Figure::FewerThan { value: 10 },
                "fewer-than",
                "fewer than 10",
            ),
            (
                ">=20",
                Figure::AtLeast { value: 20 },
                "at-least",
                "at least 20",
            ),
            ("<=5", Figure::AtMost { value: 5 }, "at-most", "at most 5"),
            (
                "about 1 200",
                Figure::About { value: 1200 },
                "about",
                "about 1200",
            ),
            ("157", Figure::Exact { value: 157 }, "exact", "157"),
        ] {
            assert_eq!(ok(written), figure, "{written}");
            assert_eq!(figure.kind(), kind, "{written}");
            assert_eq!(figure.to_source(), canonical, "{written}");
            assert_eq!(ok(canonical), figure, "{canonical} reads back");
        }
        // Bounds stay the source's words; the estimates say what they allow.
        assert_eq!(ok("more than 70").estimates(), (Some(71), None, None));
        assert_eq!(ok("fewer than 10").estimates(), (None, None, Some(9)));
        assert_eq!(ok("dozens").estimates(), (None, None, None));
    }

    #[test]
    fn impossible_or_french_figures_are_refused_with_a_hint() {
        let help = |t: &str| {
            Figure::from_scalar(t)
                .err()
                .and_then(|p| p.help)
                .unwrap_or_else(|| panic!("{t} should be refused"))
        };
        assert!(help("fewer than 0").contains("write `0`"));
        assert!(help("more than 18446744073709551615").contains("no count"));
        assert!(help("des dizaines").contains("write `dozens`"));
        assert!(help("plus de 70").contains("write `more than N`"));
        assert!(help("moins de 5").contains("write `fewer than N`"));
        assert!(help("more than many").contains("`more than 70`"));
    }

    #[test]
    fn translations_keep_language_order_and_the_last_version() {
        let mut t = Translations::default();
        t.insert("fr".into(), "un".into());
        t.insert("en".into(), "one".into());
        t.insert("fr".into(), "une".into());
        assert_eq!(t.keys().collect::<Vec<_>>(), ["en", "fr"]);
        assert_eq!(t.get("fr").map(String::as_str), Some("une"));
        assert!(t.contains_key("en") && !t.contains_key("de"));
        assert_eq!(
            serde_json::to_string(&Text::Translated(t)).ok().as_deref(),
            Some(r#"{"en":"one","fr":"une"}"#)
        );
    }

    #[test]
    fn new_relation_types_and_roles_read_with_their_labels_shapes_and_inverses() {
        let read = |k: &str| ActorRelationType::from_scalar(k).expect("a known type");
        let table = [
            (
                "leader-of",
                Shape::Lasting,
                "dirige",
                "dirigé par",
                "led by",
            ),
            (
                "founder-of",
                Shape::OneOff,
                "fondateur de",
                "fondé par",
                "founded by",
            ),
            (
                "split-from",
                Shape::OneOff,
                "issu d'une scission de",
                "a connu la scission de",
                "saw the split of",
            ),
            (
                "successor-of",
                Shape::OneOff,
                "successeur de",
                "remplacé par",
                "succeeded by",
            ),
            (
                "merged-into",
                Shape::OneOff,
                "a fusionné dans",
                "issu de la fusion de",
                "formed by the merger of",
            ),
            (
                "member-of",
                Shape::Lasting,
                "membre de",
                "a pour membre",
                "has as a member",
            ),
            (
                "succeeded-by",
                Shape::OneOff,
                "remplacé par",
                "succède à",
                "successor of",
            ),
        ];
        for (key, shape, fr, inv_fr, inv_en) in table {
            let t = read(key);
            assert_eq!((t.key(), t.shape(), t.label("fr")), (key, shape, fr));
            assert_eq!(
                (t.inverse_label("fr"), t.inverse_label("en")),
                (inv_fr, inv_en)
            );
        }
        // Every type has an inverse in both languages.
        for t in ActorRelationType::ALL {
            assert!(!t.inverse_label("fr").is_empty() && !t.inverse_label("en").is_empty());
        }
        assert_eq!(read("successor-of").converse(), Some(read("succeeded-by")));
        let role = |k: &str| Role::from_scalar(k).expect("a known role");
        assert_eq!(role("intervening").label("fr"), "force d'intervention");
        assert_eq!(role("intervening").label("en"), "intervening force");
        assert_eq!(role("supporting").label("fr"), "en soutien");
        assert_eq!(role("supporting").label("en"), "supporting force");
    }

    #[test]
    fn a_one_off_relation_reads_its_date_and_an_old_succeeded_by_its_since() {
        let rel = |yaml: &str| serde_yaml::from_str::<ActorRelation>(yaml).expect("a relation");
        let r = rel("{type: split-from, target: x, date: 2015-05}");
        assert_eq!(
            r.date_of().map(EventDate::to_edtf).as_deref(),
            Some("2015-05")
        );
        assert!(!r.period().is_dated() && !r.ended());
        let r = rel("{type: succeeded-by, target: x, since: 2014-08-01}");
        assert_eq!(
            r.date_of().map(EventDate::to_edtf).as_deref(),
            Some("2014-08-01")
        );
        let r = rel("{type: member-of, target: x, until: 2025-01-29}");
        assert!(r.ended() && r.period().is_dated() && r.date_of().is_none());
    }

    #[test]
    fn a_dated_name_needs_a_date() {
        let yaml = "name: ISGS\nnames:\n  - name: EIGS\n    until: 2022-03\nkind: armed-group\n";
        let a: ActorFile = serde_yaml::from_str(yaml).expect("an actor");
        assert_eq!(a.names.len(), 1);
        let undated = "name: ISGS\nnames:\n  - name: EIGS\n";
        let err = serde_yaml::from_str::<ActorFile>(undated).expect_err("no dates");
        assert!(err.to_string().contains("has no dates"), "{err}");
        let place = "name: Ménaka\nkind: town\nnames:\n  - name: Menaka\n    since: 2016\n";
        let l: LocationFile = serde_yaml::from_str(place).expect("a location");
        assert_eq!(
            l.names[0].period().since.map(EventDate::to_edtf).as_deref(),
            Some("2016")
        );
    }

    #[test]
    fn fold_id_folds_case_accents_look_alikes_and_separators() {
        assert_eq!(fold_id("Djóura"), "djoura");
        // Cyrillic о and а, Greek Ρ: they look like Latin letters in a file name.
        assert_eq!(fold_id("m\u{43e}pti-k\u{430}\u{3a1}"), "mopti-kap");
        assert_eq!(fold_id("ségou_region 2"), "segou-region-2");
        assert_eq!(fold_id("ŒUVRE-Straße"), "oeuvre-strasse");
        // The dotted capital I lowercases to `i` and a combining dot, which goes.
        assert_eq!(fold_id("İ"), "i");
        assert_eq!(fold_id("Łódź"), "lodz");
    }

    fn event_with(locations: &str) -> Result<EventFile, String> {
        let yaml = format!(
            "title: T\ndate: 2020-06-03\ntype: battle\nstatus: confirmed\nlocations:\n{locations}"
        );
        serde_yaml::from_str::<EventFile>(&yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn a_place_is_an_id_or_a_map_marked_uncertain() {
        let e = event_with(
            "  - kidal\n  - id: tessalit\n    uncertain: true\n    note: near Tessalit\n  - {id: gao}\n",
        )
        .expect("valid locations");
        let l = &e.locations;
        assert_eq!(l.len(), 3);
        assert_eq!(
            (l[0].as_str(), l[0].uncertain, l[0].note.is_some()),
            ("kidal", false, false)
        );
        assert_eq!((l[1].as_str(), l[1].uncertain), ("tessalit", true));
        assert_eq!(l[1].note, Some(Text::Plain("near Tessalit".into())));
        assert_eq!((l[2].as_str(), l[2].uncertain), ("gao", false));
        let err = event_with("  - {id: gao, doubtful: true}\n").expect_err("unknown field");
        assert!(err.contains("unknown field `doubtful`"), "{err}");
    }

    #[test]
    fn a_place_written_plain_and_as_a_map_is_listed_twice() {
        let err = event_with("  - tessalit\n  - {id: tessalit, uncertain: true}\n")
            .expect_err("a duplicate");
        assert!(
            err.contains("`tessalit` is listed twice in `locations`"),
            "{err}"
        );
    }

    fn place(coordinates: &str) -> Result<LocationFile, String> {
        let yaml = format!("name: P\nkind: town\ncoordinates: {coordinates}\n");
        serde_yaml::from_str::<LocationFile>(&yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn coordinates_have_a_precision_or_are_unknown() {
        let p = place("{lat: 20.2, lon: 1.01}").expect("a point");
        let c = p.point().expect("a point");
        assert_eq!((c.lat.0, c.lon.0, c.precision), (20.2, 1.01, None));
        let p = place("{lat: 16.27, lon: -0.04, precision: area}").expect("a point");
        assert_eq!(
            p.point().and_then(|c| c.precision),
            Some(CoordinatePrecision::Area)
        );
        assert_eq!(
            CoordinatePrecision::Approximate.label("fr"),
            "position approximative"
        );
        assert_eq!(CoordinatePrecision::Area.label("en"), "centre of the area");
        let p = place("unknown").expect("unknown");
        assert_eq!(p.coordinates, Some(Position::Unknown));
        assert!(p.point().is_none());
        let err = place("somewhere").expect_err("not a position");
        assert!(err.contains("`somewhere` is not a position"), "{err}");
        let err = place("{lat: 1, lon: 2, precision: rough}").expect_err("a precision");
        assert!(
            err.contains("`rough` is not a known coordinate precision"),
            "{err}"
        );
    }

    #[test]
    fn parents_over_time_and_the_current_one() {
        let l: LocationFile = serde_yaml::from_str(
            "name: B\nkind: district\nparents:\n  - id: mopti-region\n    until: 2023\n  - id: bandiagara-region\n    since: 2023\n",
        )
        .expect("parents");
        assert_eq!(l.current_parent(), Some("bandiagara-region"));
        let ids: Vec<&str> = l.parent_periods().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["mopti-region", "bandiagara-region"]);
    }

    #[test]
    fn slugify_keeps_ascii_letters_and_digits_of_the_folded_text() {
        let cases = [
            ("Ségou", "segou"),
            ("Attaque à Ménaka (2023)", "attaque-a-menaka-2023"),
            ("  --Déjà vu!!  ", "deja-vu"),
            ("ségou_region 2", "segou-region-2"),
            ("Łódź", "lodz"),
            ("Đà Nẵng", "da-nang"),
            ("ŒUVRE Straße", "oeuvre-strasse"),
            ("Ærø", "aero"),
            ("Þingvellir", "thingvellir"),
            ("l’armée", "l-armee"),
            ("ǣ æ", "ae-ae"),
            ("Se\u{301}gou", "segou"),
            ("m\u{43e}pti", "mopti"),
            ("تمبكتو", ""),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(slugify(raw), want, "{raw}");
            assert_eq!(slugify(want), want, "{want}");
        }
    }
}
