//! When a dated fact holds (a relation, a former name, a parent place) and whether an
//! event's date falls within it: certainly, possibly, or not at all. One rule for every
//! roll-up, name and parent at a date, so no page re-derives it (docs/design/time.md §2).

use crate::date::{EventDate, PartialDate, Precision};
use crate::lang::Lang;
use chrono::{Datelike, Months, NaiveDate};

/// The answer for one event and one dated fact. Ordered weakest first, so that a path
/// takes the `min` of its edges and several paths the `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Overlap {
    /// The event and the period share no day.
    Excluded,
    /// The dates cannot tell: part of the event may fall outside, or a date is marked
    /// uncertain.
    Possible,
    /// Every day the event may have happened on lies within the period.
    Certain,
}

/// The days a written date allows, first and last. A date marked `~`, `?` or `%` is
/// widened by one unit of its precision on each side (`2017~` allows 2016–2018): the
/// convention documented in events/README.md, kept in this one function.
pub fn days(date: &PartialDate) -> (NaiveDate, NaiveDate) {
    let (first, last) = (date.earliest(), date.latest());
    if !date.is_qualified() {
        return (first, last);
    }
    match date.precision() {
        Precision::Year => (
            first.with_year(first.year() - 1).unwrap_or(first),
            last.with_year(last.year() + 1).unwrap_or(last),
        ),
        Precision::Month => (
            first.checked_sub_months(Months::new(1)).unwrap_or(first),
            // The last day of the next month: the first of the month after, less a day.
            last.with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(2)))
                .and_then(|d| d.pred_opt())
                .unwrap_or(last),
        ),
        Precision::Day => (
            first.pred_opt().unwrap_or(first),
            last.succ_opt().unwrap_or(last),
        ),
    }
}

/// The days an event's date allows: from its start's first day to its end's last.
pub fn event_days(date: &EventDate) -> (NaiveDate, NaiveDate) {
    (days(date.start()).0, days(date.end()).1)
}

/// Whether either end of a date is marked uncertain (`?` or `%`), which keeps any
/// answer that depends on it at "possible".
fn uncertain(date: &EventDate) -> bool {
    date.start().uncertain || date.end().uncertain
}

/// A period bounded by an optional `since` and an optional `until`, both inclusive:
/// a missing `since` means "from always", a missing `until` "to now".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period<'a> {
    pub since: Option<&'a EventDate>,
    pub until: Option<&'a EventDate>,
}

impl<'a> Period<'a> {
    pub fn new(since: Option<&'a EventDate>, until: Option<&'a EventDate>) -> Period<'a> {
        Period { since, until }
    }

    /// A period without bounds: a fact that holds at all times.
    pub fn always() -> Period<'static> {
        Period::default()
    }

    /// Whether the period has any bound at all.
    pub fn is_dated(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// The days on which the fact certainly holds: from the last day `since` allows to
    /// the first day `until` allows. `None` when no day is certain (`since: 2017`,
    /// `until: 2017`).
    pub fn certain(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.since.map_or(NaiveDate::MIN, |s| event_days(s).1);
        let last = self.until.map_or(NaiveDate::MAX, |u| event_days(u).0);
        (first <= last).then_some((first, last))
    }

    /// The days on which the fact possibly holds: from the first day `since` allows to
    /// the last day `until` allows. `None` when the bounds contradict each other.
    pub fn possible(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.since.map_or(NaiveDate::MIN, |s| event_days(s).0);
        let last = self.until.map_or(NaiveDate::MAX, |u| event_days(u).1);
        (first <= last).then_some((first, last))
    }

    /// Whether an event dated `date` falls within the period.
    pub fn overlap(&self, date: &EventDate) -> Overlap {
        let (e0, e1) = event_days(date);
        let Some((p0, p1)) = self.possible() else {
            return Overlap::Excluded;
        };
        if e1 < p0 || e0 > p1 {
            return Overlap::Excluded;
        }
        let inside = self.certain().is_some_and(|(c0, c1)| c0 <= e0 && e1 <= c1);
        // An uncertain date only matters against a bound: a fact that holds at all
        // times holds on whatever day the event was.
        let doubtful = self.is_dated() && uncertain(date)
            || self.since.is_some_and(uncertain)
            || self.until.is_some_and(uncertain);
        if inside && !doubtful {
            Overlap::Certain
        } else {
            Overlap::Possible
        }
    }

    /// Whether two periods may share a day (their possible periods meet): a loop of
    /// relations that can never hold together is no loop.
    pub fn may_meet(&self, other: &Period) -> bool {
        match (self.possible(), other.possible()) {
            (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
            _ => false,
        }
    }

    /// The days both periods certainly hold on, when there are any: two names or two
    /// parents in force on the same days contradict each other.
    pub fn certainly_shared(&self, other: &Period) -> Option<(NaiveDate, NaiveDate)> {
        let (a0, a1) = self.certain()?;
        let (b0, b1) = other.certain()?;
        let (first, last) = (a0.max(b0), a1.min(b1));
        (first <= last).then_some((first, last))
    }
}

// ---------------------------------------------------------------------------------
// In words

/// A bound in words with its preposition, then its qualifier: "depuis le 2 mars 2017",
/// "jusqu'en mai 2022 environ", "since around March 2017". Bounds are single dates
/// (`check` refuses a span as a bound), so the start of the date is the bound.
fn bound(lead: Lead, date: &EventDate, lang: Lang) -> String {
    let d = date.start();
    let day = d.precision() == Precision::Day;
    let plain = d.render_plain(lang);
    let lead = match (lang, lead, day) {
        (Lang::Fr, Lead::Since, false) => "depuis ".to_string(),
        (Lang::Fr, Lead::Since, true) => "depuis le ".to_string(),
        (Lang::Fr, Lead::Until, false) => "jusqu'en ".to_string(),
        (Lang::Fr, Lead::Until, true) => "jusqu'au ".to_string(),
        (Lang::Fr, Lead::From, false) => crate::lang::lead_before(Lang::Fr, "de", &plain),
        (Lang::Fr, Lead::From, true) => "du ".to_string(),
        (Lang::Fr, Lead::To, false) => "à ".to_string(),
        (Lang::Fr, Lead::To, true) => "au ".to_string(),
        (Lang::Fr, Lead::Of, false) => crate::lang::lead_before(Lang::Fr, "de", &plain),
        (Lang::Fr, Lead::Of, true) => "du ".to_string(),
        (Lang::En, Lead::Since, _) => "since ".to_string(),
        (Lang::En, Lead::Until, _) => "until ".to_string(),
        (Lang::En, Lead::From, _) => "from ".to_string(),
        (Lang::En, Lead::To, _) => "to ".to_string(),
        (Lang::En, Lead::Of, _) => String::new(),
    };
    match (lang, d.approximate, d.uncertain) {
        (_, false, false) => format!("{lead}{plain}"),
        (Lang::Fr, true, false) => format!("{lead}{plain} environ"),
        (Lang::Fr, false, true) => format!("{lead}{plain} (date incertaine)"),
        (Lang::Fr, true, true) => format!("{lead}{plain} environ (date incertaine)"),
        (Lang::En, true, false) => format!("{lead}around {plain}"),
        (Lang::En, false, true) => format!("{lead}{plain} (uncertain date)"),
        (Lang::En, true, true) => format!("{lead}around {plain} (uncertain date)"),
    }
}

#[derive(Clone, Copy)]
enum Lead {
    Since,
    Until,
    From,
    To,
    /// After "daté" / "dated": "de mars 2017", "du 2 mars 2017"; nothing in English.
    Of,
}

impl Period<'_> {
    /// The period in words, for a relation or a name on both sides' pages: "depuis mars
    /// 2017", "jusqu'au 29 janvier 2025", "de février 2014 à mai 2022", "from 2017 to
    /// 2023". Empty for a period without bounds.
    pub fn render(&self, lang: Lang) -> String {
        match (self.since, self.until) {
            (None, None) => String::new(),
            (Some(s), None) => bound(Lead::Since, s, lang),
            (None, Some(u)) => bound(Lead::Until, u, lang),
            (Some(s), Some(u)) => format!(
                "{} {}",
                bound(Lead::From, s, lang),
                bound(Lead::To, u, lang)
            ),
        }
    }
}

/// When a one-off fact happened (a claim, a one-off relation), in words with its
/// preposition, the qualifier leading as a reader says it: "en mai 2015", "le 1er août
/// 2014", "vers le 27 juillet 2024", "peut-être le 6 juin 2025", "peut-être vers 2019";
/// "in May 2015", "on 1 August 2014", "around 27 July 2024", "possibly on 6 June 2025".
/// A span keeps the event's own wording ("du 3 au 5 mai 2017", "3–5 May 2017").
pub fn render_on(date: &EventDate, lang: Lang) -> String {
    let d = match date {
        EventDate::Single(d) => d,
        EventDate::Interval(..) => return date.render(lang),
    };
    let day = d.precision() == Precision::Day;
    let plain = d.render_plain(lang);
    let on = match (lang, day) {
        (Lang::Fr, true) => "le ",
        (Lang::Fr, false) => "en ",
        (Lang::En, true) => "on ",
        (Lang::En, false) => "in ",
    };
    // "Vers" and "around" replace the preposition ("vers le 27 juillet", "vers 2019",
    // "around July 2024"); "peut-être" and "possibly" stand before it.
    let around = match (lang, day) {
        (Lang::Fr, true) => "vers le ",
        (Lang::Fr, false) => "vers ",
        (Lang::En, _) => "around ",
    };
    let maybe = match lang {
        Lang::Fr => "peut-être ",
        Lang::En => "possibly ",
    };
    match (d.approximate, d.uncertain) {
        (false, false) => format!("{on}{plain}"),
        (true, false) => format!("{around}{plain}"),
        (false, true) => format!("{maybe}{on}{plain}"),
        (true, true) => format!("{maybe}{around}{plain}"),
    }
}

/// An event's date after "daté" / "dated", for the note of a possible roll-up: "de
/// 2017", "du 24 janvier 2012", "de mars 2017 environ"; "2017", "around March 2017".
/// A span keeps the event's own wording ("du 3 au 5 mai 2017", "3–5 May 2017").
pub fn render_dated(date: &EventDate, lang: Lang) -> String {
    match date {
        EventDate::Single(_) => bound(Lead::Of, date, lang),
        EventDate::Interval(..) => date.render(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> EventDate {
        EventDate::parse(s).expect("a valid date")
    }

    fn since(s: &str, event: &str) -> Overlap {
        let s = d(s);
        Period::new(Some(&s), None).overlap(&d(event))
    }

    fn until(u: &str, event: &str) -> Overlap {
        let u = d(u);
        Period::new(None, Some(&u)).overlap(&d(event))
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn the_worked_examples_of_the_design() {
        // ansar-dine part-of jnim, since: 2017-03
        assert_eq!(since("2017-03", "2012-01-24"), Overlap::Excluded);
        assert_eq!(since("2017-03", "2017"), Overlap::Possible);
        assert_eq!(since("2017-03", "2017-03"), Overlap::Possible);
        assert_eq!(since("2017-03", "2017-03-15"), Overlap::Possible);
        assert_eq!(since("2017-03", "2017-03-31"), Overlap::Certain);
        assert_eq!(since("2017-03", "2017-04-02"), Overlap::Certain);
        assert_eq!(since("2017-03", "2017-03?"), Overlap::Possible);
        assert_eq!(since("2017-03", "2017-04-02?"), Overlap::Possible);
        // member-of ecowas, until: 2025-01-29
        assert_eq!(until("2025-01-29", "2025-01-29"), Overlap::Certain);
        assert_eq!(until("2025-01-29", "2025-01"), Overlap::Possible);
        assert_eq!(until("2025-01-29", "2025"), Overlap::Possible);
        assert_eq!(until("2025-01-29", "2025-02-01"), Overlap::Excluded);
        assert_eq!(until("2025-01-29", "2024-12-31"), Overlap::Certain);
    }

    #[test]
    fn qualified_dates_widen_by_one_unit() {
        assert_eq!(
            days(d("2017~").start()),
            (day("2016-01-01"), day("2018-12-31"))
        );
        assert_eq!(
            days(d("2017-03~").start()),
            (day("2017-02-01"), day("2017-04-30"))
        );
        assert_eq!(
            days(d("2017-12?").start()),
            (day("2017-11-01"), day("2018-01-31"))
        );
        assert_eq!(
            days(d("2017-01%").start()),
            (day("2016-12-01"), day("2017-02-28"))
        );
        assert_eq!(
            days(d("2024-03-01~").start()),
            (day("2024-02-29"), day("2024-03-02"))
        );
        assert_eq!(
            days(d("2017-03").start()),
            (day("2017-03-01"), day("2017-03-31"))
        );
        // A widened bound makes its neighbours possible, not certain.
        assert_eq!(since("2015-12~", "2016-01-10"), Overlap::Possible);
        assert_eq!(since("2015-12~", "2016-02-01"), Overlap::Certain);
        assert_eq!(since("2015-12~", "2015-10-31"), Overlap::Excluded);
        // An uncertain bound is never certain, however far inside.
        assert_eq!(since("2015-12?", "2020"), Overlap::Possible);
    }

    #[test]
    fn spans_straddling_a_bound_are_possible() {
        assert_eq!(since("2017-03", "2016-11/2017-05"), Overlap::Possible);
        assert_eq!(since("2017-03", "2017-04/2017-05"), Overlap::Certain);
        assert_eq!(until("2022-05", "2021/2023"), Overlap::Possible);
        assert_eq!(until("2022-05", "2022-06/2023"), Overlap::Excluded);
    }

    #[test]
    fn both_bounds_and_no_bounds() {
        let (s, u) = (d("2014-02"), d("2022-05"));
        let p = Period::new(Some(&s), Some(&u));
        assert_eq!(p.overlap(&d("2018-07-01")), Overlap::Certain);
        assert_eq!(p.overlap(&d("2014-02-10")), Overlap::Possible);
        assert_eq!(p.overlap(&d("2022-05-31")), Overlap::Possible);
        assert_eq!(p.overlap(&d("2013")), Overlap::Excluded);
        assert_eq!(Period::always().overlap(&d("1990?")), Overlap::Certain);
        assert_eq!(Period::always().overlap(&d("1990")), Overlap::Certain);
        // since and until in one year: no day is certain, every day possible.
        let y = d("2017");
        let same = Period::new(Some(&y), Some(&y));
        assert_eq!(same.certain(), None);
        assert_eq!(same.overlap(&d("2017-06-01")), Overlap::Possible);
        // Contradictory bounds hold on no day.
        let p = Period::new(Some(&u), Some(&s));
        assert_eq!(p.possible(), None);
        assert_eq!(p.overlap(&d("2018")), Overlap::Excluded);
    }

    #[test]
    fn meeting_and_sharing() {
        let (a, b, c) = (d("2023"), d("2023"), d("2024-01"));
        let until_2023 = Period::new(None, Some(&a));
        let since_2023 = Period::new(Some(&b), None);
        let since_2024 = Period::new(Some(&c), None);
        assert!(until_2023.may_meet(&since_2023));
        assert_eq!(until_2023.certainly_shared(&since_2023), None);
        assert!(!until_2023.may_meet(&since_2024));
        let always = Period::always();
        assert_eq!(
            always.certainly_shared(&since_2024),
            Some((day("2024-01-31"), NaiveDate::MAX))
        );
    }

    #[test]
    fn the_order_is_weakest_first() {
        assert!(Overlap::Excluded < Overlap::Possible);
        assert!(Overlap::Possible < Overlap::Certain);
        let path = [Overlap::Certain, Overlap::Possible];
        assert_eq!(path.iter().min(), Some(&Overlap::Possible));
    }

    fn words(since: Option<&str>, until: Option<&str>, lang: Lang) -> String {
        let (s, u) = (since.map(d), until.map(d));
        Period::new(s.as_ref(), u.as_ref()).render(lang)
    }

    #[test]
    fn periods_in_words_as_the_design_table() {
        use Lang::{En, Fr};
        let cases = [
            (Some("2017"), None, "depuis 2017", "since 2017"),
            (
                Some("2017-03"),
                None,
                "depuis mars 2017",
                "since March 2017",
            ),
            (
                Some("2017-03-02"),
                None,
                "depuis le 2 mars 2017",
                "since 2 March 2017",
            ),
            (None, Some("2022"), "jusqu'en 2022", "until 2022"),
            (None, Some("2022-05"), "jusqu'en mai 2022", "until May 2022"),
            (
                None,
                Some("2025-01-29"),
                "jusqu'au 29 janvier 2025",
                "until 29 January 2025",
            ),
            (
                Some("2017"),
                Some("2023"),
                "de 2017 à 2023",
                "from 2017 to 2023",
            ),
            (
                Some("2014-02"),
                Some("2022-05"),
                "de février 2014 à mai 2022",
                "from February 2014 to May 2022",
            ),
            (
                Some("2014-04"),
                Some("2022-08"),
                "d'avril 2014 à août 2022",
                "from April 2014 to August 2022",
            ),
            (
                Some("2002-06-08"),
                Some("2012-03-22"),
                "du 8 juin 2002 au 22 mars 2012",
                "from 8 June 2002 to 22 March 2012",
            ),
            (
                Some("2017-03~"),
                None,
                "depuis mars 2017 environ",
                "since around March 2017",
            ),
            (
                Some("2017-03?"),
                None,
                "depuis mars 2017 (date incertaine)",
                "since March 2017 (uncertain date)",
            ),
            (
                None,
                Some("2022-03~"),
                "jusqu'en mars 2022 environ",
                "until around March 2022",
            ),
            (
                Some("2014-08-01"),
                None,
                "depuis le 1er août 2014",
                "since 1 August 2014",
            ),
        ];
        for (since, until, fr, en) in cases {
            assert_eq!(words(since, until, Fr), fr, "{since:?} {until:?}");
            assert_eq!(words(since, until, En), en, "{since:?} {until:?}");
        }
        assert_eq!(words(None, None, Fr), "");
    }

    #[test]
    fn event_dates_after_dated() {
        assert_eq!(render_dated(&d("2017"), Lang::Fr), "de 2017");
        assert_eq!(render_dated(&d("2017-04"), Lang::Fr), "d'avril 2017");
        assert_eq!(
            render_dated(&d("2012-01-24"), Lang::Fr),
            "du 24 janvier 2012"
        );
        assert_eq!(render_dated(&d("2017~"), Lang::Fr), "de 2017 environ");
        assert_eq!(render_dated(&d("2017"), Lang::En), "2017");
        assert_eq!(render_dated(&d("2017-03~"), Lang::En), "around March 2017");
        assert_eq!(
            render_dated(&d("2017-05-03/2017-05-05"), Lang::Fr),
            "du 3 au 5 mai 2017"
        );
    }

    #[test]
    fn one_off_dates_in_words() {
        assert_eq!(render_on(&d("2015-05"), Lang::Fr), "en mai 2015");
        assert_eq!(render_on(&d("2014-08-01"), Lang::Fr), "le 1er août 2014");
        assert_eq!(render_on(&d("2015-05"), Lang::En), "in May 2015");
        assert_eq!(render_on(&d("2014-08-01"), Lang::En), "on 1 August 2014");
    }

    /// Every precision with every qualifier, in both languages: the qualifier leads
    /// and the preposition fits the precision, never "le octobre 2019" or "le vers le".
    #[test]
    fn one_off_dates_of_every_precision_and_qualifier() {
        let cases = [
            ("2019", "en 2019", "in 2019"),
            ("2019-10", "en octobre 2019", "in October 2019"),
            ("2024-07-27", "le 27 juillet 2024", "on 27 July 2024"),
            ("2019~", "vers 2019", "around 2019"),
            ("2019-10~", "vers octobre 2019", "around October 2019"),
            (
                "2024-07-27~",
                "vers le 27 juillet 2024",
                "around 27 July 2024",
            ),
            ("2019?", "peut-être en 2019", "possibly in 2019"),
            (
                "2019-10?",
                "peut-être en octobre 2019",
                "possibly in October 2019",
            ),
            (
                "2025-06-06?",
                "peut-être le 6 juin 2025",
                "possibly on 6 June 2025",
            ),
            ("2019%", "peut-être vers 2019", "possibly around 2019"),
            (
                "2019-10%",
                "peut-être vers octobre 2019",
                "possibly around October 2019",
            ),
            (
                "2025-06-06%",
                "peut-être vers le 6 juin 2025",
                "possibly around 6 June 2025",
            ),
            ("2014-08-01", "le 1er août 2014", "on 1 August 2014"),
            (
                "2017-05-03/2017-05-05",
                "du 3 au 5 mai 2017",
                "3–5 May 2017",
            ),
        ];
        for (date, fr, en) in cases {
            assert_eq!(render_on(&d(date), Lang::Fr), fr, "{date}");
            assert_eq!(render_on(&d(date), Lang::En), en, "{date}");
        }
    }
}
