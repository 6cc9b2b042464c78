//! A seeded generator of realistic synthetic chronologies, for benchmarks.
//!
//! ```sh
//! cargo run --release --example synth -- --events 10000 --seed 42 --out /tmp/chrono
//! cargo run --release --example synth -- --events 10000 --seed 42 --out /tmp/hugo --hugo
//! ```
//!
//! Without `--hugo` it writes an annalist chronology: `DIR/annalist.yaml`,
//! `DIR/events/<year>/<id>.yaml`, `DIR/events/actors/<id>.yaml` and
//! `DIR/events/locations/<id>.yaml`. With `--hugo` it writes, instead, the same
//! chronology as a Hugo site (its "twin", for `bench/run.sh`): `config.toml`,
//! `content/events/<id>.md`, a term page per actor and location, and the templates of
//! `bench/hugo/`.
//!
//! The output depends only on `--events` and `--seed`: the same arguments give the
//! same bytes, whatever the machine's number of cores. Every file passes
//! `annalist check` (warnings aside: some places have no coordinates, some events no
//! source, as in real chronologies).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const FIRST_YEAR: i32 = 2012;
const LAST_YEAR: i32 = 2025;

// ---------------------------------------------------------------------------------
// Random numbers: splitmix64, seeded, with one independent stream per event so that
// events can be generated on several threads and still give the same bytes.

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        r.next();
        r
    }

    /// The generator of stream `stream`, item `index`, for this seed.
    fn stream(seed: u64, stream: u64, index: u64) -> Rng {
        Rng::new(
            seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407)
                ^ (index.wrapping_add(1)).wrapping_mul(0x9FB2_1C65_1E98_DF25),
        )
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index drawn with the given integer weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A Zipf–Mandelbrot law over ranks `0..n`: weight `1 / (rank + q)`. A few ranks take
/// a large share (with `q = 2.7` over 1,600 places, the first takes about 5%).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, q: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|k| {
                total += 1.0 / (k as f64 + q);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

// ---------------------------------------------------------------------------------
// Vocabulary

static SYLLABLES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    "ba bou da dja dou ga go ka ki kou ma mo na ni sa sé si so ta té ti to za zé fa fo ha \
     ja la lo ra ro ya wé mé bé gué dio ndé nia tin kel zou gar mou sou bar kan dan lé"
        .split_whitespace()
        .collect()
});

static FIRST_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| {
    "Amadou Moussa Ibrahim Oumar Aliou Hamadoun Boubacar Mariam Aminata Fatoumata Sadio Assimi Iyad Hamza Abdoulaye Seydou Adama Aïcha Kadiatou Souleymane Mahamadou Issa Youssouf Djibril Hawa Salif"
        .split_whitespace()
        .collect()
});

const LAST_NAMES: &[&str] = &[
    "Traoré",
    "Diallo",
    "Coulibaly",
    "Keïta",
    "Cissé",
    "Touré",
    "Sangaré",
    "Maïga",
    "Diarra",
    "Koné",
    "Dicko",
    "Ag Ghaly",
    "Kouffa",
    "Camara",
    "Doumbia",
    "Sidibé",
    "Tall",
    "Ba",
    "Sow",
    "Barry",
    "Ould Mohamed",
    "Ag Intalla",
    "Goïta",
    "Kanté",
];

static FR_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    "armée camp village attaque combattants habitants région autorités sources locales \
     selon communiqué route marché véhicules convoi patrouille forces groupe sécurité \
     déplacés population nord centre frontière bilan témoins élus poste militaire \
     opération civils récolte bétail puits école mosquée chef coutumier négociations \
     accord otages engins explosifs drone frappe aérienne mines site orpaillage enquête \
     préfecture gouverneur cercle commune rapport humanitaire aide blocus axe pont fleuve \
     saison pluies nuit matin jours semaines mois après avant pendant contre dans depuis \
     vers sans avec entre les des une un le la du de et a ont été sont plusieurs nombreux \
     nouvelle dernière important lourd rapidement toujours encore officiellement affirme \
     rapporte indique confirme dément revendique signale précise évoque accuse déclare \
     annonce"
        .split_whitespace()
        .collect()
});

static EN_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    "army camp village attack fighters residents region authorities sources local \
     according statement road market vehicles convoy patrol forces group security \
     displaced population north centre border toll witnesses officials post military \
     operation civilians harvest cattle well school mosque chief customary talks \
     agreement hostages devices explosive drone strike air mines site gold mining inquiry \
     prefecture governor district commune report humanitarian aid blockade axis bridge \
     river season rains night morning days weeks months after before during against in \
     since towards without with between the a an of and to has have been are several many \
     new last major heavy quickly still again officially says reports indicates confirms \
     denies claims notes specifies mentions accuses declares announces"
        .split_whitespace()
        .collect()
});

const PUBLISHERS: &[&str] = &[
    "Le Journal du Sahel",
    "Agence Sahel Presse",
    "Radio Kénédougou",
    "Sahel Monitor",
    "L'Indépendant du Nord",
    "Bulletin des droits humains",
    "Observatoire des conflits",
    "Le Républicain de Bamako",
    "Studio Tamani",
    "Agence France-Presse",
    "Reuters",
    "Associated Press",
    "Jeune Afrique",
    "Le Monde Afrique",
    "RFI",
    "Communiqué de l'état-major",
    "Communiqué du gouvernement",
    "Rapport d'une ONG locale",
    "Témoignages recueillis sur place",
    "Réseaux sociaux (vidéo authentifiée)",
];

static TAGS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    "camp-militaire embuscade engin-explosif drone orpaillage otages deplaces marche \
     convoi blocus ecole frappe-aerienne represailles negociations accord-local elections \
     manifestation coup-d-etat sanctions humanitaire betail saison-des-pluies frontiere \
     axe-routier pont puits mosquee chefs-coutumiers milice auto-defense wagner \
     africa-corps minusma barkhane g5-sahel aes ecowas couvre-feu telephonie \
     mines-antipersonnel prisonniers enlevement assassinat incendie pillage vol-de-betail \
     checkpoint evasion mutinerie reddition"
        .split_whitespace()
        .collect()
});

const EVENT_TYPES: &[&str] = &[
    "battle",
    "attack",
    "explosion-remote-violence",
    "violence-against-civilians",
    "protest",
    "strategic-development",
    "political-development",
];
const EVENT_TYPE_WEIGHTS: &[u32] = &[22, 25, 12, 18, 7, 9, 7];
/// The word an event's id uses for its type.
const EVENT_TYPE_WORDS: &[&str] = &[
    "fighting",
    "attack",
    "explosion",
    "killings",
    "protest",
    "takeover",
    "visit",
];

const STATUSES: &[&str] = &["claimed", "reported", "confirmed", "disputed", "denied"];
const STATUS_WEIGHTS: &[u32] = &[22, 45, 20, 8, 5];

const MINOR_ROLES: &[&str] = &[
    "ally", "witness", "mediator", "claimant", "captor", "occupier", "visitor", "other", "victim",
];
const CASUALTY_KINDS: &[&str] = &["killed", "wounded", "captured", "missing", "losses"];
const CASUALTY_KIND_WEIGHTS: &[u32] = &[50, 25, 10, 7, 8];
const RELATIONS: &[&str] = &[
    "same-site",
    "same-day",
    "follow-up",
    "part-of",
    "response-to",
    "context",
];
const DAY_PARTS: &[&str] = &["morning", "midday", "afternoon", "evening", "night"];

// ---------------------------------------------------------------------------------
// Texts

/// A text as the format has it: one string, or French and English versions.
#[derive(Clone)]
enum Txt {
    Plain(String),
    Both { fr: String, en: String },
}

impl Txt {
    /// The version a French site shows.
    fn fr(&self) -> &str {
        match self {
            Txt::Plain(s) => s,
            Txt::Both { fr, .. } => fr,
        }
    }
}

/// The id of a generated name: annalist's own slug of it, accents folded.
fn slug(s: &str) -> String {
    annalist::model::slugify(s)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A made-up place or group name of two or three syllables.
fn made_up_name(rng: &mut Rng) -> String {
    let n = if rng.chance(0.7) { 2 } else { 3 };
    let mut s = String::new();
    for _ in 0..n {
        let syllable = *rng.pick(&SYLLABLES);
        s.push_str(syllable);
    }
    capitalize(&s)
}

/// Makes `base` unique among `taken` by adding `-2`, `-3`...
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// A sentence of `n` words, with a capital and a full stop.
fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = *rng.pick(words);
        if i == 0 {
            s.push_str(&capitalize(w));
        } else {
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A sentence of `lo..=hi` words.
fn words(rng: &mut Rng, list: &[&str], lo: u32, hi: u32) -> String {
    let n = rng.range(lo, hi) as usize;
    sentence(rng, list, n)
}

/// A Markdown body of 80-250 words: paragraphs, some **bold**, usually one link.
fn markdown_body(rng: &mut Rng, words: &[&str], link_label: &str, link_path: &str) -> String {
    let target = rng.range(80, 250) as usize;
    let mut count = 0;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut link_done = !rng.chance(0.85);
    while count < target {
        let mut para = String::new();
        let sentences = rng.range(2, 4);
        for _ in 0..sentences {
            if count >= target {
                break;
            }
            let n = (rng.range(8, 20) as usize).min(target - count).max(3);
            count += n;
            let mut tokens: Vec<String> = (0..n).map(|_| rng.pick(words).to_string()).collect();
            tokens[0] = capitalize(&tokens[0]);
            if rng.chance(0.25) {
                let at = rng.below(n);
                let len = (rng.range(1, 3) as usize).min(n - at);
                tokens[at] = format!("**{}", tokens[at]);
                tokens[at + len - 1].push_str("**");
            }
            if !link_done && rng.chance(0.3) {
                let at = rng.below(n);
                tokens[at] = format!(
                    "{} [{link_label}](https://example.org/{link_path})",
                    tokens[at]
                );
                link_done = true;
            }
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(&tokens.join(" "));
            para.push('.');
        }
        paragraphs.push(para);
    }
    if !link_done && let Some(last) = paragraphs.last_mut() {
        let _ = write!(last, " [{link_label}](https://example.org/{link_path}).");
    }
    paragraphs
        .iter()
        .map(|p| wrap(p, 78))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Breaks a paragraph into lines of at most about `width` characters.
fn wrap(p: &str, width: usize) -> String {
    let mut out = String::with_capacity(p.len() + p.len() / width + 1);
    let mut line = 0;
    for w in p.split(' ') {
        if line > 0 && line + 1 + w.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.chars().count();
    }
    out
}

// ---------------------------------------------------------------------------------
// Dates

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The date of an event as written, the prefix of its id, and its first day.
struct DateChoice {
    written: String,
    prefix: String,
    start: (i32, u32, u32),
    /// A single day: the only dates given a `time`.
    single_day: bool,
}

fn choose_date(rng: &mut Rng) -> DateChoice {
    // More events in recent years, as in real chronologies.
    let weights: Vec<u32> = (FIRST_YEAR..=LAST_YEAR)
        .map(|y| 4 + (y - FIRST_YEAR) as u32)
        .collect();
    let y = FIRST_YEAR + rng.weighted(&weights) as i32;
    let m = rng.range(1, 12);
    let dim = days_in_month(y, m);
    let d = rng.range(1, dim);
    let day = format!("{y:04}-{m:02}-{d:02}");
    let month = format!("{y:04}-{m:02}");
    let r = rng.below(1000);
    let (written, prefix, start, single_day) = if r < 730 {
        (day.clone(), day, (y, m, d), true)
    } else if r < 850 {
        (month.clone(), month, (y, m, 1), false)
    } else if r < 880 {
        (format!("{y:04}"), format!("{y:04}"), (y, 1, 1), false)
    } else if r < 940 {
        // Spans: days within a month, months within a year, or years.
        let kind = rng.below(20);
        if kind < 12 {
            let d0 = rng.range(1, dim - 4);
            let d1 = d0 + rng.range(1, 4);
            let start = format!("{y:04}-{m:02}-{d0:02}");
            (
                format!("{start}/{y:04}-{m:02}-{d1:02}"),
                start,
                (y, m, d0),
                false,
            )
        } else if kind < 17 {
            let m0 = rng.range(1, 10);
            let m1 = m0 + rng.range(1, 2);
            let start = format!("{y:04}-{m0:02}");
            (format!("{start}/{y:04}-{m1:02}"), start, (y, m0, 1), false)
        } else {
            let y0 = y.min(LAST_YEAR - 1);
            let y1 = (y0 + rng.range(1, 3) as i32).min(LAST_YEAR);
            let approx = if rng.chance(0.3) { "~" } else { "" };
            (
                format!("{y0:04}{approx}/{y1:04}{approx}"),
                format!("{y0:04}"),
                (y0, 1, 1),
                false,
            )
        }
    } else {
        // Approximate (and a few uncertain) dates.
        let sign = *rng.pick(&["~", "~", "~", "~", "?", "%"]);
        if rng.chance(0.6) {
            (format!("{day}{sign}"), day, (y, m, d), false)
        } else {
            (format!("{month}{sign}"), month, (y, m, 1), false)
        }
    };
    DateChoice {
        written,
        prefix,
        start,
        single_day,
    }
}

// ---------------------------------------------------------------------------------
// The world: places and actors

struct Location {
    id: String,
    name: Txt,
    kind: &'static str,
    parent: Option<usize>,
    coordinates: Option<(f64, f64)>,
    aliases: Vec<String>,
    description: Option<Txt>,
    /// Parents, nearest first.
    ancestors: Vec<usize>,
}

struct Relation {
    kind: &'static str,
    target: usize,
    since: Option<String>,
    until: Option<String>,
    note: Option<Txt>,
}

struct Actor {
    id: String,
    name: Txt,
    short_name: Option<String>,
    aliases: Vec<String>,
    kind: Option<&'static str>,
    relations: Vec<Relation>,
    description: Option<Txt>,
    /// Actors whose page lists this actor's events (unit relations, transitively).
    unit_of: Vec<usize>,
}

impl Actor {
    /// The name used in titles: the short name, else the French name.
    fn label(&self) -> &str {
        self.short_name.as_deref().unwrap_or(self.name.fr())
    }
    fn label_en(&self) -> &str {
        match (&self.short_name, &self.name) {
            (Some(s), _) => s,
            (None, Txt::Both { en, .. }) => en,
            (None, Txt::Plain(s)) => s,
        }
    }
}

struct World {
    locations: Vec<Location>,
    /// Villages, towns, cities and sites, in Zipf rank order.
    places: Vec<usize>,
    /// Areas, districts and regions: sometimes an event's second location.
    wider: Vec<usize>,
    actors: Vec<Actor>,
    /// Armed groups, coalitions, state forces and private military, by importance.
    fighters: Vec<usize>,
    /// Civilian communities, for victims.
    civilians: Vec<usize>,
    media: Vec<usize>,
    /// Every actor, by importance.
    ranked: Vec<usize>,
    place_law: Zipf,
    fighter_law: Zipf,
    actor_law: Zipf,
    tag_law: Zipf,
    wider_law: Zipf,
}

const COUNTRIES: &[(&str, &str, &str, &str, usize)] = &[
    // id, French, English, demonym for the army, regions
    ("mali", "Mali", "Mali", "maliennes", 12),
    (
        "burkina-faso",
        "Burkina Faso",
        "Burkina Faso",
        "burkinabè",
        10,
    ),
    ("niger", "Niger", "Niger", "nigériennes", 8),
    ("tchad", "Tchad", "Chad", "tchadiennes", 4),
    (
        "mauritanie",
        "Mauritanie",
        "Mauritania",
        "mauritaniennes",
        3,
    ),
    ("nigeria", "Nigeria", "Nigeria", "nigérianes", 3),
];

/// Removes the aliases that would lead to two entities (a region aliased with the name
/// of its town, two villages sharing a spelling), which `check` refuses: an import
/// could not tell them apart. Done after generation, so that the random draws, and
/// everything else generated, stay as they were.
fn drop_ambiguous_aliases(locations: &mut [Location], actors: &mut [Actor]) {
    use annalist::fold::fold;
    use std::collections::HashMap;
    fn keep(entities: Vec<(Vec<String>, &mut Vec<String>)>) {
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, (own, _)) in entities.iter().enumerate() {
            for n in own {
                names.entry(fold(n)).or_insert(i);
            }
        }
        let mut aliases: HashMap<String, usize> = HashMap::new();
        for (i, (own, list)) in entities.into_iter().enumerate() {
            let own: Vec<String> = own.iter().map(|n| fold(n)).collect();
            list.retain(|a| {
                let f = fold(a);
                if own.contains(&f) {
                    return true;
                }
                let clash = names.get(&f).is_some_and(|&j| j != i)
                    || aliases.get(&f).is_some_and(|&j| j != i);
                aliases.entry(f).or_insert(i);
                !clash
            });
        }
    }
    let txt = |t: &Txt| match t {
        Txt::Plain(s) => vec![s.clone()],
        Txt::Both { fr, en } => vec![fr.clone(), en.clone()],
    };
    keep(
        locations
            .iter_mut()
            .map(|l| (txt(&l.name), &mut l.aliases))
            .collect(),
    );
    keep(
        actors
            .iter_mut()
            .map(|a| {
                let mut own = txt(&a.name);
                own.extend(a.short_name.clone());
                (own, &mut a.aliases)
            })
            .collect(),
    );
}

fn build_world(seed: u64) -> World {
    let mut rng = Rng::stream(seed, 1, 0);
    let mut locations: Vec<Location> = Vec::new();
    let mut loc_ids: HashSet<String> = HashSet::new();
    let mut push_loc = |locations: &mut Vec<Location>, mut l: Location| {
        l.id = unique(std::mem::take(&mut l.id), &mut loc_ids);
        l.ancestors = match l.parent {
            Some(p) => {
                let mut a = vec![p];
                a.extend(locations[p].ancestors.iter().copied());
                a
            }
            None => Vec::new(),
        };
        locations.push(l);
        locations.len() - 1
    };
    let blank = |id: String, name: Txt, kind: &'static str, parent: Option<usize>| Location {
        id,
        name,
        kind,
        parent,
        coordinates: None,
        aliases: Vec::new(),
        description: None,
        ancestors: Vec::new(),
    };

    // Countries → 40 regions → 300 districts → places; a few areas across regions.
    let mut countries = Vec::new();
    let mut regions = Vec::new();
    for (id, fr, en, _, n_regions) in COUNTRIES {
        let name = if fr == en {
            Txt::Plain(fr.to_string())
        } else {
            Txt::Both {
                fr: fr.to_string(),
                en: en.to_string(),
            }
        };
        let c = push_loc(&mut locations, blank(id.to_string(), name, "country", None));
        countries.push(c);
        for _ in 0..*n_regions {
            let base = made_up_name(&mut rng);
            let mut l = blank(
                format!("{}-region", slug(&base)),
                Txt::Both {
                    fr: format!("Région de {base}"),
                    en: format!("{base} region"),
                },
                "region",
                Some(c),
            );
            if rng.chance(0.5) {
                l.aliases.push(base.clone());
            }
            regions.push(push_loc(&mut locations, l));
        }
    }
    let mut districts = Vec::new();
    for i in 0..300 {
        let region = regions[i % regions.len()];
        let base = made_up_name(&mut rng);
        let name = if rng.chance(0.5) {
            Txt::Both {
                fr: format!("Cercle de {base}"),
                en: format!("{base} district"),
            }
        } else {
            Txt::Plain(base.clone())
        };
        let l = blank(slug(&base), name, "district", Some(region));
        districts.push(push_loc(&mut locations, l));
    }
    let mut areas = Vec::new();
    for _ in 0..10 {
        let base = made_up_name(&mut rng);
        let parent = countries[rng.below(3)];
        let mut l = blank(slug(&base), Txt::Plain(base.clone()), "area", Some(parent));
        l.description = Some(Txt::Both {
            fr: format!("Zone de {base}, à cheval sur plusieurs régions."),
            en: format!("The {base} area, across several regions."),
        });
        areas.push(push_loc(&mut locations, l));
    }
    let mut places = Vec::new();
    while locations.len() < 2000 {
        let district = *rng.pick(&districts);
        let base = made_up_name(&mut rng);
        let k = rng.weighted(&[60, 25, 5, 10]);
        let kind = ["village", "town", "city", "site"][k];
        let name = if kind == "site" {
            let what = rng.below(3);
            Txt::Both {
                fr: format!(
                    "{} de {base}",
                    ["Camp militaire", "Mine d'or", "Poste"][what]
                ),
                en: format!("{base} {}", ["military camp", "gold mine", "post"][what]),
            }
        } else {
            Txt::Plain(base.clone())
        };
        let id = if kind == "site" {
            format!("{}-{}", slug(&base), ["camp", "mine", "post"][rng.below(3)])
        } else {
            slug(&base)
        };
        let mut l = blank(id, name, kind, Some(district));
        if rng.chance(0.95) {
            let lat = 10.0 + rng.unit() * 15.0;
            let lon = -15.0 + rng.unit() * 30.0;
            l.coordinates = Some(((lat * 1e4).round() / 1e4, (lon * 1e4).round() / 1e4));
        }
        if rng.chance(0.2) {
            l.aliases.push(format!("{base}{}", rng.pick(&SYLLABLES)));
        }
        if rng.chance(0.1) {
            l.description = Some(Txt::Plain(sentence(&mut rng, &FR_WORDS, 12)));
        }
        places.push(push_loc(&mut locations, l));
    }
    let mut wider = areas.clone();
    wider.extend(regions.iter().copied());
    wider.extend(districts.iter().copied());

    // Actors: state forces and governments, coalitions and armed groups, media arms,
    // private military, organisations, communities, persons.
    let mut actors: Vec<Actor> = Vec::new();
    let mut actor_ids: HashSet<String> = HashSet::new();
    let mut new_actor =
        |actors: &mut Vec<Actor>, id: String, name: Txt, kind: Option<&'static str>| {
            let id = unique(id, &mut actor_ids);
            actors.push(Actor {
                id,
                name,
                short_name: None,
                aliases: Vec::new(),
                kind,
                relations: Vec::new(),
                description: None,
                unit_of: Vec::new(),
            });
            actors.len() - 1
        };
    let mut fighters = Vec::new();
    let mut civilians = Vec::new();
    let mut media = Vec::new();
    let mut groups = Vec::new();
    let mut armies = Vec::new();
    for (id, fr, en, adj, _) in COUNTRIES {
        let a = new_actor(
            &mut actors,
            format!("{id}-armed-forces"),
            Txt::Both {
                fr: format!("Forces armées {adj}"),
                en: format!("Armed forces of {en}"),
            },
            Some("state-force"),
        );
        actors[a].short_name = Some(format!("FA{}", fr[..2].to_uppercase()));
        armies.push(a);
    }
    // Coalitions first, so that groups can be part of them.
    let mut coalitions = Vec::new();
    for _ in 0..6 {
        let base = made_up_name(&mut rng);
        let a = new_actor(
            &mut actors,
            format!("{}-coalition", slug(&base)),
            Txt::Both {
                fr: format!("Coalition pour le {base}"),
                en: format!("Coalition for {base}"),
            },
            Some("coalition"),
        );
        coalitions.push(a);
    }
    for i in 0..60 {
        let base = made_up_name(&mut rng);
        let style = rng.below(3);
        let (id, name) = match style {
            0 => (
                format!("katiba-{}", slug(&base)),
                Txt::Plain(format!("Katiba {base}")),
            ),
            1 => (
                format!("{}-liberation-front", slug(&base)),
                Txt::Both {
                    fr: format!("Front de libération du {base}"),
                    en: format!("{base} Liberation Front"),
                },
            ),
            _ => (
                format!("{}-group", slug(&base)),
                Txt::Both {
                    fr: format!("Groupe armé du {base}"),
                    en: format!("{base} armed group"),
                },
            ),
        };
        let a = new_actor(&mut actors, id, name, Some("armed-group"));
        if style == 1 || rng.chance(0.3) {
            let initials: String = base.chars().take(3).collect::<String>().to_uppercase();
            actors[a].short_name = Some(format!("F{initials}"));
        }
        if rng.chance(0.3) {
            actors[a].aliases.push(base.clone());
        }
        // Units of earlier groups or of a coalition: a forest, never a loop.
        if i > 0 && rng.chance(0.35) {
            let target = if rng.chance(0.4) {
                *rng.pick(&coalitions)
            } else {
                groups[rng.below(groups.len().min(12))]
            };
            let kind = *rng.pick(&["part-of", "branch-of", "affiliated-with", "allied-with"]);
            let since_year = rng.range(2008, 2020);
            let since = Some(format!("{since_year}"));
            let until = rng
                .chance(0.2)
                .then(|| format!("{}-{:02}", since_year + rng.range(1, 5), rng.range(1, 12)));
            actors[a].relations.push(Relation {
                kind,
                target,
                since,
                until,
                note: rng
                    .chance(0.2)
                    .then(|| Txt::Plain(sentence(&mut rng, &FR_WORDS, 9))),
            });
        }
        if rng.chance(0.5) {
            actors[a].description = Some(Txt::Both {
                fr: sentence(&mut rng, &FR_WORDS, 14),
                en: sentence(&mut rng, &EN_WORDS, 14),
            });
        }
        groups.push(a);
    }
    // The main fighters, by importance: the first groups and armies, then the rest.
    fighters.extend(groups.iter().take(4).copied());
    fighters.extend(armies.iter().take(3).copied());
    fighters.extend(groups.iter().skip(4).take(8).copied());
    fighters.extend(armies.iter().skip(3).copied());
    fighters.extend(coalitions.iter().copied());
    fighters.extend(groups.iter().skip(12).copied());
    for _ in 0..4 {
        let base = made_up_name(&mut rng);
        let a = new_actor(
            &mut actors,
            slug(&base),
            Txt::Plain(format!("Groupe {base}")),
            if rng.chance(0.5) {
                Some("private-military")
            } else {
                None
            },
        );
        fighters.push(a);
    }
    for (i, _) in COUNTRIES.iter().enumerate() {
        let (id, fr, en, _, _) = COUNTRIES[i];
        new_actor(
            &mut actors,
            format!("{id}-government"),
            Txt::Both {
                fr: format!("Gouvernement ({fr})"),
                en: format!("Government of {en}"),
            },
            Some("government"),
        );
    }
    for _ in 0..20 {
        let base = made_up_name(&mut rng);
        let a = new_actor(
            &mut actors,
            format!("{}-media", slug(&base)),
            Txt::Both {
                fr: format!("Fondation {base}"),
                en: format!("{base} Foundation"),
            },
            Some("media"),
        );
        let target = groups[rng.below(groups.len().min(20))];
        actors[a].relations.push(Relation {
            kind: "media-arm-of",
            target,
            since: None,
            until: None,
            note: None,
        });
        media.push(a);
    }
    for _ in 0..30 {
        let base = made_up_name(&mut rng);
        new_actor(
            &mut actors,
            format!("{}-association", slug(&base)),
            Txt::Plain(format!("Association {base}")),
            Some("organisation"),
        );
    }
    for _ in 0..8 {
        let base = made_up_name(&mut rng);
        let a = new_actor(
            &mut actors,
            format!("{}-community", slug(&base)),
            Txt::Both {
                fr: format!("Communauté {base}"),
                en: format!("{base} community"),
            },
            Some("civilians"),
        );
        civilians.push(a);
    }
    for _ in 0..10 {
        let base = made_up_name(&mut rng);
        new_actor(
            &mut actors,
            format!("{}-unidentified", slug(&base)),
            Txt::Plain(format!("Hommes armés de {base}")),
            None,
        );
    }
    while actors.len() < 400 {
        let name = format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(LAST_NAMES));
        let a = new_actor(&mut actors, slug(&name), Txt::Plain(name), Some("person"));
        if rng.chance(0.4) {
            let target = if rng.chance(0.7) {
                groups[rng.below(groups.len())]
            } else {
                armies[rng.below(armies.len())]
            };
            let since_year = rng.range(2010, 2022);
            actors[a].relations.push(Relation {
                kind: "member-of",
                target,
                since: rng.chance(0.5).then(|| format!("{since_year}")),
                until: None,
                note: None,
            });
        }
    }
    // Where each actor's events also show: up the unit relations.
    for i in 0..actors.len() {
        let mut out: Vec<usize> = Vec::new();
        let mut stack = vec![i];
        while let Some(cur) = stack.pop() {
            for r in &actors[cur].relations {
                let unit = matches!(
                    r.kind,
                    "part-of" | "branch-of" | "affiliated-with" | "media-arm-of"
                );
                if unit && r.target != i && !out.contains(&r.target) {
                    out.push(r.target);
                    stack.push(r.target);
                }
            }
        }
        actors[i].unit_of = out;
    }
    let mut ranked: Vec<usize> = fighters.clone();
    let mut in_ranked = vec![false; actors.len()];
    for &a in &ranked {
        in_ranked[a] = true;
    }
    for (a, seen) in in_ranked.iter().enumerate() {
        if !seen {
            ranked.push(a);
        }
    }
    drop_ambiguous_aliases(&mut locations, &mut actors);
    World {
        place_law: Zipf::new(places.len(), 2.7),
        fighter_law: Zipf::new(fighters.len(), 1.5),
        actor_law: Zipf::new(ranked.len(), 3.0),
        tag_law: Zipf::new(TAGS.len(), 2.0),
        wider_law: Zipf::new(wider.len(), 2.0),
        locations,
        places,
        wider,
        actors,
        fighters,
        civilians,
        media,
        ranked,
    }
}

// ---------------------------------------------------------------------------------
// Events

/// What is decided for every event before any is written: enough to name it, so that
/// events can refer to each other.
struct Head {
    id: String,
    date: DateChoice,
    event_type: usize,
    status: usize,
    place: usize,
    first: usize,
}

struct Claim {
    claimant: usize,
    channel: Option<usize>,
    claim: Txt,
    date: Option<String>,
}

enum According {
    Actor(usize),
    Source(usize),
}

struct Casualty {
    /// `None` for civilians.
    who: Option<usize>,
    what: &'static str,
    figure: String,
    according_to: Option<According>,
    note: Option<Txt>,
}

struct Source {
    publisher: &'static str,
    title: Option<String>,
    date: Option<String>,
    language: Option<&'static str>,
    url: Option<String>,
    quote: Option<String>,
}

struct Event<'h> {
    head: &'h Head,
    title: Txt,
    summary: Option<Txt>,
    time: Option<String>,
    locations: Vec<usize>,
    actors: Vec<(usize, &'static str, Option<Txt>)>,
    claims: Vec<Claim>,
    /// `Some(None)`: `official_reaction: none`.
    reaction: Option<Option<Txt>>,
    casualties: Vec<Casualty>,
    related: Vec<(usize, &'static str)>,
    sources: Vec<Source>,
    tags: Vec<&'static str>,
    body: Option<Txt>,
}

fn heads(world: &World, seed: u64, n: usize) -> Vec<Head> {
    let mut taken: HashSet<String> = HashSet::with_capacity(n);
    (0..n)
        .map(|i| {
            let mut rng = Rng::stream(seed, 2, i as u64);
            let date = choose_date(&mut rng);
            let event_type = rng.weighted(EVENT_TYPE_WEIGHTS);
            let status = rng.weighted(STATUS_WEIGHTS);
            let place = world.places[world.place_law.sample(&mut rng)];
            let first = world.fighters[world.fighter_law.sample(&mut rng)];
            let id = unique(
                format!(
                    "{}-{}-{}",
                    date.prefix, EVENT_TYPE_WORDS[event_type], world.locations[place].id
                ),
                &mut taken,
            );
            Head {
                id,
                date,
                event_type,
                status,
                place,
                first,
            }
        })
        .collect()
}

fn figure(rng: &mut Rng) -> String {
    let v = match rng.below(10) {
        0..=5 => rng.range(1, 30),
        6..=8 => rng.range(10, 200),
        _ => rng.range(100, 3000),
    };
    match rng.below(100) {
        0..=29 => v.to_string(),
        30..=44 => format!("about {v}"),
        45..=59 => format!("at least {v}"),
        60..=64 => format!("at most {v}"),
        65..=76 => format!("{v}-{}", v + rng.range(1, 40)),
        77..=86 => "several".to_string(),
        87..=95 => "unspecified".to_string(),
        // The other spellings the format accepts.
        96 => format!("~{v}"),
        97 => format!("around {v}"),
        98 => format!(">={v}"),
        _ => {
            let big = 1000 + v;
            format!("{} {:03}", big / 1000, big % 1000)
        }
    }
}

fn title_for(world: &World, h: &Head, second: Option<usize>) -> (String, String) {
    let a = &world.actors[h.first];
    let (a_fr, a_en) = (a.label(), a.label_en());
    let (b_fr, b_en) = second
        .map(|b| (world.actors[b].label(), world.actors[b].label_en()))
        .unwrap_or(("des hommes armés non identifiés", "unidentified gunmen"));
    let place = &world.locations[h.place].name;
    let p_fr = place.fr();
    let p_en = match place {
        Txt::Both { en, .. } => en.as_str(),
        Txt::Plain(s) => s,
    };
    let claimed = STATUSES[h.status] == "claimed";
    match EVENT_TYPES[h.event_type] {
        "battle" => (
            format!("Combats entre {a_fr} et {b_fr} à {p_fr}"),
            format!("Fighting between {a_en} and {b_en} in {p_en}"),
        ),
        "attack" if claimed => (
            format!("{a_fr} revendique une attaque contre {b_fr} à {p_fr}"),
            format!("{a_en} claims an attack on {b_en} in {p_en}"),
        ),
        "attack" => (
            format!("Attaque de {a_fr} contre {b_fr} à {p_fr}"),
            format!("{a_en} attack on {b_en} in {p_en}"),
        ),
        "explosion-remote-violence" => (
            format!("Explosion près de {p_fr}"),
            format!("Explosion near {p_en}"),
        ),
        "violence-against-civilians" => (
            format!("Des civils tués à {p_fr}"),
            format!("Civilians killed in {p_en}"),
        ),
        "protest" => (
            format!("Manifestation à {p_fr}"),
            format!("Protest in {p_en}"),
        ),
        "strategic-development" => (
            format!("{a_fr} prend position à {p_fr}"),
            format!("{a_en} takes position in {p_en}"),
        ),
        _ => (
            format!("Visite de {a_fr} à {p_fr}"),
            format!("{a_en} visits {p_en}"),
        ),
    }
}

fn event<'h>(world: &World, heads: &'h [Head], seed: u64, i: usize) -> Event<'h> {
    let h = &heads[i];
    let mut rng = Rng::stream(seed, 3, i as u64);
    let etype = EVENT_TYPES[h.event_type];
    let status = STATUSES[h.status];

    // Actors, 1-4, with roles.
    let n_actors = 1 + rng.weighted(&[20, 45, 25, 10]);
    let first_role = match etype {
        "protest" => "other",
        "strategic-development" => "occupier",
        "political-development" => "visitor",
        _ => "perpetrator",
    };
    let mut actors: Vec<(usize, &'static str, Option<Txt>)> = vec![(h.first, first_role, None)];
    let mut second = None;
    for k in 1..n_actors {
        let (a, role) = if k == 1 {
            match etype {
                "violence-against-civilians" => (*rng.pick(&world.civilians), "victim"),
                "battle" | "attack" | "explosion-remote-violence" => {
                    (world.fighters[world.fighter_law.sample(&mut rng)], "target")
                }
                _ => (world.ranked[world.actor_law.sample(&mut rng)], "other"),
            }
        } else {
            (
                world.ranked[world.actor_law.sample(&mut rng)],
                *rng.pick(MINOR_ROLES),
            )
        };
        if actors.iter().any(|(x, _, _)| *x == a) {
            continue;
        }
        if k == 1 {
            second = Some(a);
        }
        let note = rng.chance(0.08).then(|| Txt::Both {
            fr: sentence(&mut rng, &FR_WORDS, 7),
            en: sentence(&mut rng, &EN_WORDS, 7),
        });
        actors.push((a, role, note));
    }

    let (t_fr, t_en) = title_for(world, h, second);
    let title = if rng.chance(0.35) {
        Txt::Both { fr: t_fr, en: t_en }
    } else {
        Txt::Plain(t_fr)
    };
    let summary = rng.chance(0.7).then(|| {
        let n = rng.range(15, 35) as usize;
        if rng.chance(0.35) {
            Txt::Both {
                fr: sentence(&mut rng, &FR_WORDS, n),
                en: sentence(&mut rng, &EN_WORDS, n),
            }
        } else {
            Txt::Plain(sentence(&mut rng, &FR_WORDS, n))
        }
    });
    let time = (h.date.single_day && rng.chance(0.3)).then(|| {
        if rng.chance(0.5) {
            format!("{:02}:{:02}", rng.range(0, 23), rng.range(0, 11) * 5)
        } else {
            rng.pick(DAY_PARTS).to_string()
        }
    });

    let mut locations = vec![h.place];
    if rng.chance(0.25) {
        let w = world.wider[world.wider_law.sample(&mut rng)];
        if !world.locations[h.place].ancestors.contains(&w) {
            locations.push(w);
        }
    }

    // Sources, 1-3 (a few events have none: a warning, as in real chronologies).
    let n_sources = if rng.chance(0.03) {
        0
    } else {
        1 + rng.weighted(&[50, 35, 15])
    };
    let (y, m, d) = h.date.start;
    let sources: Vec<Source> = (0..n_sources)
        .map(|k| {
            let publisher = *rng.pick(PUBLISHERS);
            let date = if h.date.single_day {
                let later = (d + rng.range(0, 2)).min(days_in_month(y, m));
                rng.chance(0.8).then(|| format!("{y:04}-{m:02}-{later:02}"))
            } else {
                rng.chance(0.5).then(|| format!("{y:04}"))
            };
            Source {
                publisher,
                title: rng.chance(0.6).then(|| words(&mut rng, &FR_WORDS, 5, 10)),
                date,
                language: rng.chance(0.8).then(|| *rng.pick(&["fr", "fr", "en"])),
                url: rng
                    .chance(0.7)
                    .then(|| format!("https://example.org/{}/{}-{k}", slug(publisher), h.id)),
                quote: rng.chance(0.4).then(|| words(&mut rng, &FR_WORDS, 12, 30)),
            }
        })
        .collect();

    // Claims: required for a claimed event, sometimes given for others.
    let mut claims = Vec::new();
    if status == "claimed" || rng.chance(0.08) {
        let claimant = h.first;
        let own_media = world.media.iter().copied().find(|&md| {
            world.actors[md]
                .relations
                .iter()
                .any(|r| r.kind == "media-arm-of" && r.target == claimant)
        });
        let channel = own_media.or_else(|| rng.chance(0.2).then(|| *rng.pick(&world.media)));
        let n = rng.range(10, 25) as usize;
        let claim = if rng.chance(0.4) {
            Txt::Both {
                fr: sentence(&mut rng, &FR_WORDS, n),
                en: sentence(&mut rng, &EN_WORDS, n),
            }
        } else {
            Txt::Plain(sentence(&mut rng, &FR_WORDS, n))
        };
        let date = (h.date.single_day && rng.chance(0.7)).then(|| h.date.written.clone());
        claims.push(Claim {
            claimant,
            channel,
            claim,
            date,
        });
    }

    let reaction = match rng.below(100) {
        0..=19 => Some(None),
        20..=34 => Some(Some(Txt::Plain(sentence(&mut rng, &FR_WORDS, 15)))),
        _ => None,
    };

    // Casualties: none to three figures, in every form, mostly attributed.
    let n_cas = match etype {
        "protest" | "political-development" => rng.weighted(&[85, 15]),
        _ => rng.weighted(&[20, 45, 25, 10]),
    };
    let casualties = (0..n_cas)
        .map(|_| {
            let who = if etype == "violence-against-civilians" || rng.chance(0.2) {
                None
            } else {
                Some(actors[rng.below(actors.len())].0)
            };
            let according_to = match rng.below(100) {
                0..=39 if !sources.is_empty() => {
                    Some(According::Source(1 + rng.below(sources.len())))
                }
                0..=74 => Some(According::Actor(actors[rng.below(actors.len())].0)),
                _ => None,
            };
            Casualty {
                who,
                what: CASUALTY_KINDS[rng.weighted(CASUALTY_KIND_WEIGHTS)],
                figure: figure(&mut rng),
                according_to,
                note: rng
                    .chance(0.15)
                    .then(|| Txt::Plain(sentence(&mut rng, &FR_WORDS, 8))),
            }
        })
        .collect();

    let mut related = Vec::new();
    if heads.len() > 1 && rng.chance(0.12) {
        for _ in 0..rng.range(1, 2) {
            let j = rng.below(heads.len());
            if j != i && !related.iter().any(|(x, _)| *x == j) {
                related.push((j, *rng.pick(RELATIONS)));
            }
        }
    }

    let mut tags = Vec::new();
    for _ in 0..rng.weighted(&[25, 40, 25, 10]) {
        let t = TAGS[world.tag_law.sample(&mut rng)];
        if !tags.contains(&t) {
            tags.push(t);
        }
    }

    let body = rng.chance(0.95).then(|| {
        let fr = markdown_body(
            &mut rng,
            &FR_WORDS,
            "le rapport",
            &format!("rapports/{}", h.id),
        );
        if rng.chance(0.4) {
            let en = markdown_body(
                &mut rng,
                &EN_WORDS,
                "the report",
                &format!("reports/{}", h.id),
            );
            Txt::Both { fr, en }
        } else {
            Txt::Plain(fr)
        }
    });

    Event {
        head: h,
        title,
        summary,
        time,
        locations,
        actors,
        claims,
        reaction,
        casualties,
        related,
        sources,
        tags,
        body,
    }
}

// ---------------------------------------------------------------------------------
// YAML

/// A YAML scalar: plain when it is surely read back as the same string, else quoted.
fn scalar(out: &mut String, s: &str) {
    let plain = s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -.,/'~?%()«»!".contains(c))
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        out.push_str(s);
    } else {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

/// `key: value` at `indent`, for a text (one string, or `fr:`/`en:` below).
fn text_field(out: &mut String, indent: usize, key: &str, t: &Txt, markdown_block: bool) {
    let pad = " ".repeat(indent);
    let one = |out: &mut String, s: &str, indent: usize| {
        if markdown_block && s.contains('\n') {
            out.push_str("|\n");
            let pad = " ".repeat(indent + 2);
            for line in s.lines() {
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
                out.push('\n');
            }
        } else {
            scalar(out, s);
            out.push('\n');
        }
    };
    let _ = write!(out, "{pad}{key}: ");
    match t {
        Txt::Plain(s) => one(out, s, indent),
        Txt::Both { fr, en } => {
            out.push('\n');
            let _ = write!(out, "{pad}  fr: ");
            one(out, fr, indent + 2);
            let _ = write!(out, "{pad}  en: ");
            one(out, en, indent + 2);
        }
    }
}

fn str_field(out: &mut String, indent: usize, key: &str, s: &str) {
    for _ in 0..indent {
        out.push(' ');
    }
    out.push_str(key);
    out.push_str(": ");
    scalar(out, s);
    out.push('\n');
}

fn event_yaml(world: &World, heads: &[Head], e: &Event) -> String {
    let h = e.head;
    let mut o = String::with_capacity(4096);
    text_field(&mut o, 0, "title", &e.title, false);
    if let Some(s) = &e.summary {
        text_field(&mut o, 0, "summary", s, false);
    }
    str_field(&mut o, 0, "date", &h.date.written);
    if let Some(t) = &e.time {
        // Quoted: YAML 1.1 readers take 14:30 for a number of minutes.
        let _ = writeln!(o, "time: \"{t}\"");
    }
    let _ = writeln!(o, "type: {}", EVENT_TYPES[h.event_type]);
    let _ = writeln!(o, "status: {}", STATUSES[h.status]);
    let locs: Vec<&str> = e
        .locations
        .iter()
        .map(|&l| world.locations[l].id.as_str())
        .collect();
    let _ = writeln!(o, "locations: [{}]", locs.join(", "));
    o.push_str("actors:\n");
    for (a, role, note) in &e.actors {
        let _ = writeln!(o, "  - id: {}\n    role: {role}", world.actors[*a].id);
        if let Some(n) = note {
            text_field(&mut o, 4, "note", n, false);
        }
    }
    if !e.claims.is_empty() {
        o.push_str("claims:\n");
        for c in &e.claims {
            let _ = writeln!(o, "  - claimant: {}", world.actors[c.claimant].id);
            if let Some(ch) = c.channel {
                let _ = writeln!(o, "    channel: {}", world.actors[ch].id);
            }
            if let Some(d) = &c.date {
                str_field(&mut o, 4, "date", d);
            }
            text_field(&mut o, 4, "claim", &c.claim, false);
        }
    }
    match &e.reaction {
        Some(None) => o.push_str("official_reaction: none\n"),
        Some(Some(t)) => text_field(&mut o, 0, "official_reaction", t, false),
        None => {}
    }
    if !e.casualties.is_empty() {
        o.push_str("casualties:\n");
        for c in &e.casualties {
            let who = c.who.map_or("civilians", |a| world.actors[a].id.as_str());
            let _ = writeln!(o, "  - who: {who}\n    what: {}", c.what);
            str_field(&mut o, 4, "figure", &c.figure);
            match &c.according_to {
                Some(According::Actor(a)) => {
                    let _ = writeln!(o, "    according_to: {}", world.actors[*a].id);
                }
                Some(According::Source(n)) => {
                    let _ = writeln!(o, "    according_to: {{source: {n}}}");
                }
                None => {}
            }
            if let Some(n) = &c.note {
                text_field(&mut o, 4, "note", n, false);
            }
        }
    }
    if !e.related.is_empty() {
        o.push_str("related:\n");
        for (j, rel) in &e.related {
            let _ = writeln!(o, "  - id: {}\n    relation: {rel}", heads[*j].id);
        }
    }
    if !e.sources.is_empty() {
        o.push_str("sources:\n");
        for s in &e.sources {
            o.push_str("  - ");
            str_field(&mut o, 0, "publisher", s.publisher);
            if let Some(t) = &s.title {
                str_field(&mut o, 4, "title", t);
            }
            if let Some(d) = &s.date {
                str_field(&mut o, 4, "date", d);
            }
            if let Some(l) = s.language {
                str_field(&mut o, 4, "language", l);
            }
            if let Some(u) = &s.url {
                str_field(&mut o, 4, "url", u);
            }
            if let Some(q) = &s.quote {
                str_field(&mut o, 4, "quote", q);
            }
        }
    }
    if !e.tags.is_empty() {
        let _ = writeln!(o, "tags: [{}]", e.tags.join(", "));
    }
    if let Some(b) = &e.body {
        text_field(&mut o, 0, "body", b, true);
    }
    o
}

fn actor_yaml(world: &World, a: &Actor) -> String {
    let mut o = String::with_capacity(512);
    text_field(&mut o, 0, "name", &a.name, false);
    if let Some(s) = &a.short_name {
        str_field(&mut o, 0, "short_name", s);
    }
    if !a.aliases.is_empty() {
        o.push_str("aliases:\n");
        for al in &a.aliases {
            o.push_str("  - ");
            scalar(&mut o, al);
            o.push('\n');
        }
    }
    if let Some(k) = a.kind {
        let _ = writeln!(o, "kind: {k}");
    }
    if !a.relations.is_empty() {
        o.push_str("relations:\n");
        for r in &a.relations {
            let _ = writeln!(
                o,
                "  - type: {}\n    target: {}",
                r.kind, world.actors[r.target].id
            );
            if let Some(s) = &r.since {
                str_field(&mut o, 4, "since", s);
            }
            if let Some(u) = &r.until {
                str_field(&mut o, 4, "until", u);
            }
            if let Some(n) = &r.note {
                text_field(&mut o, 4, "note", n, false);
            }
        }
    }
    if let Some(d) = &a.description {
        text_field(&mut o, 0, "description", d, false);
    }
    o
}

fn location_yaml(world: &World, l: &Location) -> String {
    let mut o = String::with_capacity(256);
    text_field(&mut o, 0, "name", &l.name, false);
    if !l.aliases.is_empty() {
        o.push_str("aliases: [");
        for (i, al) in l.aliases.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            scalar(&mut o, al);
        }
        o.push_str("]\n");
    }
    let _ = writeln!(o, "kind: {}", l.kind);
    if let Some(p) = l.parent {
        let _ = writeln!(o, "parent: {}", world.locations[p].id);
    }
    if let Some((lat, lon)) = l.coordinates {
        let _ = writeln!(o, "coordinates: {{lat: {lat}, lon: {lon}}}");
    }
    if let Some(d) = &l.description {
        text_field(&mut o, 0, "description", d, false);
    }
    o
}

// ---------------------------------------------------------------------------------
// The Hugo twin

/// The twin's templates, from `bench/hugo/`.
const HUGO_FILES: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        include_str!("../bench/hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("../bench/hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("../bench/hugo/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/term.html",
        include_str!("../bench/hugo/layouts/_default/term.html"),
    ),
    (
        "layouts/_default/taxonomy.html",
        include_str!("../bench/hugo/layouts/_default/taxonomy.html"),
    ),
    (
        "layouts/actors/term.html",
        include_str!("../bench/hugo/layouts/actors/term.html"),
    ),
    (
        "layouts/locations/term.html",
        include_str!("../bench/hugo/layouts/locations/term.html"),
    ),
    (
        "layouts/index.html",
        include_str!("../bench/hugo/layouts/index.html"),
    ),
    (
        "layouts/index.json",
        include_str!("../bench/hugo/layouts/index.json"),
    ),
    (
        "layouts/index.csv",
        include_str!("../bench/hugo/layouts/index.csv"),
    ),
    (
        "layouts/404.html",
        include_str!("../bench/hugo/layouts/404.html"),
    ),
    (
        "layouts/partials/card.html",
        include_str!("../bench/hugo/layouts/partials/card.html"),
    ),
    (
        "layouts/partials/timeline.html",
        include_str!("../bench/hugo/layouts/partials/timeline.html"),
    ),
    (
        "layouts/partials/pager.html",
        include_str!("../bench/hugo/layouts/partials/pager.html"),
    ),
    (
        "static/style.css",
        include_str!("../bench/hugo/static/style.css"),
    ),
];

fn hugo_config(n: usize, seed: u64) -> String {
    format!(
        r#"# Generated by `cargo run --example synth -- --events {n} --seed {seed} --hugo`:
# the Hugo twin of the synthetic chronology, for bench/run.sh.
baseURL = "https://example.org/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Chronologie synthétique ({n} événements, graine {seed})"
relativeURLs = true
enableRobotsTXT = true
# annalist: 50 events per page (per_page), 50 entries per feed (FEED_ENTRIES).
paginate = 50
rssLimit = 50
# annalist has no list of all events apart from the timeline (the home page).
disableKinds = ["section"]

[taxonomies]
actor = "actors"
location = "locations"
type = "types"
year = "years"
tag = "tags"

# annalist writes the timeline with a feed and the JSON and CSV exports, and a feed per
# actor and per location (Hugo also writes one per type, year and tag).
[outputs]
home = ["HTML", "RSS", "JSON", "CSV"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
"#
    )
}

/// A YAML front matter value, always quoted: annalist's own writer, which escapes
/// everything YAML reads as a line break.
fn q(s: &str) -> String {
    annalist::yaml_out::double_quoted(s)
}

fn event_hugo(world: &World, heads: &[Head], e: &Event) -> String {
    let h = e.head;
    let mut o = String::with_capacity(4096);
    let (y, m, d) = h.date.start;
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", q(e.title.fr()));
    let _ = writeln!(o, "date: {y:04}-{m:02}-{d:02}");
    let _ = writeln!(o, "date_written: {}", q(&h.date.written));
    if let Some(t) = &e.time {
        let _ = writeln!(o, "time: {}", q(t));
    }
    if let Some(s) = &e.summary {
        let _ = writeln!(o, "summary: {}", q(s.fr()));
    }
    let _ = writeln!(o, "event_type: {}", EVENT_TYPES[h.event_type]);
    let _ = writeln!(o, "status: {}", STATUSES[h.status]);
    // Taxonomies: the pages that list the event, as annalist's index has them.
    let mut actor_terms: Vec<usize> = Vec::new();
    let involved = e
        .actors
        .iter()
        .map(|(a, _, _)| *a)
        .chain(e.claims.iter().map(|c| c.claimant));
    for a in involved {
        for t in std::iter::once(a).chain(world.actors[a].unit_of.iter().copied()) {
            if !actor_terms.contains(&t) {
                actor_terms.push(t);
            }
        }
    }
    let ids: Vec<&str> = actor_terms
        .iter()
        .map(|&a| world.actors[a].id.as_str())
        .collect();
    let _ = writeln!(o, "actors: [{}]", ids.join(", "));
    let mut loc_terms: Vec<usize> = Vec::new();
    for &l in &e.locations {
        for t in std::iter::once(l).chain(world.locations[l].ancestors.iter().copied()) {
            if !loc_terms.contains(&t) {
                loc_terms.push(t);
            }
        }
    }
    let ids: Vec<&str> = loc_terms
        .iter()
        .map(|&l| world.locations[l].id.as_str())
        .collect();
    let _ = writeln!(o, "locations: [{}]", ids.join(", "));
    let _ = writeln!(o, "types: [{}]", EVENT_TYPES[h.event_type]);
    let _ = writeln!(o, "years: [\"{y:04}\"]");
    let _ = writeln!(o, "tags: [{}]", e.tags.join(", "));
    // What the event page shows.
    let ids: Vec<&str> = e
        .locations
        .iter()
        .map(|&l| world.locations[l].id.as_str())
        .collect();
    let _ = writeln!(o, "places: [{}]", ids.join(", "));
    o.push_str("roles:\n");
    for (a, role, note) in &e.actors {
        let _ = write!(o, "  - {{id: {}, role: {role}", world.actors[*a].id);
        if let Some(n) = note {
            let _ = write!(o, ", note: {}", q(n.fr()));
        }
        o.push_str("}\n");
    }
    if !e.claims.is_empty() {
        o.push_str("claims:\n");
        for c in &e.claims {
            let _ = write!(o, "  - {{claimant: {}", world.actors[c.claimant].id);
            if let Some(ch) = c.channel {
                let _ = write!(o, ", channel: {}", world.actors[ch].id);
            }
            let _ = writeln!(o, ", claim: {}}}", q(c.claim.fr()));
        }
    }
    match &e.reaction {
        Some(None) => o.push_str("official_reaction: none\n"),
        Some(Some(t)) => {
            let _ = writeln!(o, "official_reaction: {}", q(t.fr()));
        }
        None => {}
    }
    if !e.casualties.is_empty() {
        o.push_str("casualties:\n");
        for c in &e.casualties {
            let who = c.who.map_or("civilians", |a| world.actors[a].id.as_str());
            let _ = write!(
                o,
                "  - {{who: {who}, what: {}, figure: {}",
                c.what,
                q(&c.figure)
            );
            match &c.according_to {
                Some(According::Actor(a)) => {
                    let _ = write!(o, ", according_to: {}", world.actors[*a].id);
                }
                Some(According::Source(n)) => {
                    let _ = write!(o, ", according_to_source: {n}");
                }
                None => {}
            }
            if let Some(n) = &c.note {
                let _ = write!(o, ", note: {}", q(n.fr()));
            }
            o.push_str("}\n");
        }
    }
    if !e.related.is_empty() {
        o.push_str("related:\n");
        for (j, rel) in &e.related {
            let _ = writeln!(o, "  - {{id: {}, relation: {rel}}}", heads[*j].id);
        }
    }
    if !e.sources.is_empty() {
        o.push_str("sources:\n");
        for s in &e.sources {
            let _ = write!(o, "  - {{publisher: {}", q(s.publisher));
            if let Some(t) = &s.title {
                let _ = write!(o, ", title: {}", q(t));
            }
            if let Some(d) = &s.date {
                let _ = write!(o, ", date: {}", q(d));
            }
            if let Some(u) = &s.url {
                let _ = write!(o, ", url: {}", q(u));
            }
            if let Some(qt) = &s.quote {
                let _ = write!(o, ", quote: {}", q(qt));
            }
            o.push_str("}\n");
        }
    }
    o.push_str("---\n");
    if let Some(b) = &e.body {
        o.push_str(b.fr());
        o.push('\n');
    }
    o
}

fn actor_hugo(world: &World, a: &Actor) -> String {
    let mut o = String::with_capacity(512);
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", q(a.name.fr()));
    if let Some(s) = &a.short_name {
        let _ = writeln!(o, "short_name: {}", q(s));
    }
    if let Some(k) = a.kind {
        let _ = writeln!(o, "kind: {k}");
    }
    if !a.aliases.is_empty() {
        let al: Vec<String> = a.aliases.iter().map(|s| q(s)).collect();
        let _ = writeln!(o, "other_names: [{}]", al.join(", "));
    }
    if !a.relations.is_empty() {
        o.push_str("relations:\n");
        for r in &a.relations {
            let _ = writeln!(
                o,
                "  - {{type: {}, target: {}}}",
                r.kind, world.actors[r.target].id
            );
        }
    }
    o.push_str("---\n");
    if let Some(d) = &a.description {
        o.push_str(d.fr());
        o.push('\n');
    }
    o
}

fn location_hugo(world: &World, l: &Location) -> String {
    let mut o = String::with_capacity(256);
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", q(l.name.fr()));
    let _ = writeln!(o, "kind: {}", l.kind);
    let ids: Vec<&str> = l
        .ancestors
        .iter()
        .map(|&p| world.locations[p].id.as_str())
        .collect();
    let _ = writeln!(o, "path: [{}]", ids.join(", "));
    if let Some((lat, lon)) = l.coordinates {
        let _ = writeln!(o, "coordinates: {{lat: {lat}, lon: {lon}}}");
    }
    o.push_str("---\n");
    if let Some(d) = &l.description {
        o.push_str(d.fr());
        o.push('\n');
    }
    o
}

// ---------------------------------------------------------------------------------
// Writing

struct Options {
    events: usize,
    seed: u64,
    out: PathBuf,
    hugo: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo run --release --example synth -- --events N --seed S --out DIR [--hugo]\n\
         writes a synthetic chronology of N events into DIR (which must be absent or empty);\n\
         with --hugo, writes its Hugo twin instead"
    );
    std::process::exit(2)
}

fn parse_args() -> Options {
    let mut o = Options {
        events: 1000,
        seed: 1,
        out: PathBuf::new(),
        hugo: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--events" => o.events = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => o.seed = value().parse().unwrap_or_else(|_| usage()),
            "--out" => o.out = PathBuf::from(value()),
            "--hugo" => o.hugo = true,
            _ => usage(),
        }
    }
    if o.out.as_os_str().is_empty() {
        usage();
    }
    o
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text.as_bytes())
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

fn run(o: &Options) -> std::io::Result<()> {
    if o.out.exists() && std::fs::read_dir(&o.out)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "{} is not empty; remove it or choose another folder",
            o.out.display()
        )));
    }
    let world = build_world(o.seed);
    let heads = heads(&world, o.seed, o.events);
    let root = &o.out;
    let (event_dir, actor_dir, location_dir) = if o.hugo {
        (
            root.join("content/events"),
            root.join("content/actors"),
            root.join("content/locations"),
        )
    } else {
        (
            root.join("events"),
            root.join("events/actors"),
            root.join("events/locations"),
        )
    };
    std::fs::create_dir_all(&event_dir)?;
    std::fs::create_dir_all(&actor_dir)?;
    std::fs::create_dir_all(&location_dir)?;
    if o.hugo {
        write(&root.join("config.toml"), &hugo_config(o.events, o.seed))?;
        for (path, text) in HUGO_FILES {
            let p = root.join(path);
            if let Some(dir) = p.parent() {
                std::fs::create_dir_all(dir)?;
            }
            write(&p, text)?;
        }
        for a in &world.actors {
            let dir = actor_dir.join(&a.id);
            std::fs::create_dir_all(&dir)?;
            write(&dir.join("_index.md"), &actor_hugo(&world, a))?;
        }
        for l in &world.locations {
            let dir = location_dir.join(&l.id);
            std::fs::create_dir_all(&dir)?;
            write(&dir.join("_index.md"), &location_hugo(&world, l))?;
        }
    } else {
        write(
            &root.join("annalist.yaml"),
            &format!(
                "# Generated by `cargo run --example synth -- --events {n} --seed {s}`.\n\
                 title: Chronologie synthétique ({n} événements, graine {s})\n\
                 description: Chronologie générée pour les mesures de performance ; aucun fait n'y est réel.\n\
                 base_url: https://example.org/chronologie/\n\
                 language: fr\n\
                 per_page: 50\n\
                 author: annalist synth\n",
                n = o.events,
                s = o.seed
            ),
        )?;
        for y in FIRST_YEAR..=LAST_YEAR {
            std::fs::create_dir_all(event_dir.join(y.to_string()))?;
        }
        for a in &world.actors {
            write(
                &actor_dir.join(format!("{}.yaml", a.id)),
                &actor_yaml(&world, a),
            )?;
        }
        for l in &world.locations {
            write(
                &location_dir.join(format!("{}.yaml", l.id)),
                &location_yaml(&world, l),
            )?;
        }
    }

    // Events, on every core: each event's bytes depend only on the seed and its index.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let (world, heads, event_dir) = (&world, &heads, &event_dir);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || -> std::io::Result<()> {
                    for i in (w..heads.len()).step_by(workers) {
                        let e = event(world, heads, o.seed, i);
                        let h = &heads[i];
                        if o.hugo {
                            let text = event_hugo(world, heads, &e);
                            write(&event_dir.join(format!("{}.md", h.id)), &text)?;
                        } else {
                            let text = event_yaml(world, heads, &e);
                            let year = h.date.start.0;
                            write(&event_dir.join(format!("{year}/{}.yaml", h.id)), &text)?;
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a worker panicked")))
        })
    })
}

fn main() {
    let o = parse_args();
    let started = std::time::Instant::now();
    match run(&o) {
        Ok(()) => eprintln!(
            "wrote {} events, 400 actors and 2000 locations{} into {} in {:.2} s",
            o.events,
            if o.hugo { " (Hugo twin)" } else { "" },
            o.out.display(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
