//! Property tests (proptest) for the date model and for ids: what must hold for every
//! input, not only for the examples the unit tests list.

use annalist::date::{EventDate, Lang, PartialDate, Precision};
use annalist::model::{fold_id, is_valid_id, slugify};
use proptest::prelude::*;

/// Any partial date the format can express, with qualifiers.
fn partial_date() -> impl Strategy<Value = PartialDate> {
    (
        1000i32..=9999,
        0u32..=12,
        0u32..=31,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter_map(
            "a real calendar date",
            |(year, month, day, approximate, uncertain)| {
                let month = (month > 0).then_some(month);
                let day = month.and((day > 0).then_some(day));
                let mut d = PartialDate::new(year, month, day).ok()?;
                d.approximate = approximate;
                d.uncertain = uncertain;
                Some(d)
            },
        )
}

fn event_date() -> impl Strategy<Value = EventDate> {
    prop_oneof![
        partial_date().prop_map(EventDate::Single),
        (partial_date(), partial_date()).prop_filter_map("a valid interval", |(a, b)| {
            EventDate::parse(&format!("{}/{}", a.to_edtf(), b.to_edtf())).ok()
        }),
    ]
}

proptest! {
    #[test]
    fn parse_then_print_round_trips(d in event_date()) {
        let written = d.to_edtf();
        prop_assert_eq!(EventDate::parse(&written), Ok(d), "{}", written);
    }

    #[test]
    fn rendering_never_invents_precision(d in partial_date()) {
        let date = EventDate::Single(d);
        for lang in [Lang::Fr, Lang::En] {
            let text = date.render(lang);
            match d.precision() {
                // A year alone never gains a month or a day.
                Precision::Year => {
                    prop_assert_eq!(numbers(&text), vec![d.year as u64], "{}", text);
                    prop_assert!(!has_month_name(&text), "{}", text);
                }
                // A month never gains a day: the only number is the year.
                Precision::Month => prop_assert_eq!(numbers(&text), vec![d.year as u64], "{}", text),
                Precision::Day => prop_assert!(numbers(&text).contains(&(d.day.unwrap_or(0) as u64)), "{}", text),
            }
        }
    }

    #[test]
    fn sort_order_is_total_and_follows_time_then_precision(a in event_date(), b in event_date()) {
        // Total and consistent with equality.
        prop_assert_eq!(a.cmp(&b) == std::cmp::Ordering::Equal, a == b);
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        // The earliest possible day decides first; on the same day, coarser comes first.
        if a.earliest() < b.earliest() {
            prop_assert!(a < b);
        }
        if a.earliest() == b.earliest() && a.precision() < b.precision() {
            prop_assert!(a < b);
        }
    }

    #[test]
    fn earliest_is_never_after_latest(d in event_date()) {
        prop_assert!(d.earliest() <= d.latest());
    }

    #[test]
    fn any_text_slugifies_to_a_valid_id_or_nothing(s in "\\PC{0,60}") {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_valid_id(&slug), "{:?} -> {:?}", s, slug);
        // Slugifying is idempotent.
        prop_assert_eq!(slugify(&slug), slug.clone());
    }

    #[test]
    fn valid_ids_fold_to_themselves(id in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,4}") {
        prop_assert!(is_valid_id(&id));
        prop_assert_eq!(fold_id(&id), id);
    }

    #[test]
    fn ids_differing_by_case_or_accent_collide(id in "[a-z]{1,12}") {
        let upper = id.to_uppercase();
        prop_assert_eq!(fold_id(&upper), fold_id(&id));
        let accented = id.replace('e', "é").replace('a', "à");
        prop_assert_eq!(fold_id(&accented), fold_id(&id));
    }
}

fn numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn has_month_name(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    .iter()
    .any(|m| lower.contains(m))
}
