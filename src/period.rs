//! When a dated fact holds (a relation, a former name, a parent place) and whether an
//! event's date falls within it: certainly, possibly, or not at all. One rule for every
//! roll-up, name and parent at a date, so no page re-derives it (docs/design/time.md §2).

use crate::date::{EventDate, PartialDate, Precision};
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
}
