//! The deaths of an event as one figure per estimate (low, best, high), added up with
//! checked arithmetic within one report only: what `data/events.csv` shows, and what
//! `check` makes sure can be counted at all.

use crate::date::EventDate;
use crate::model::{Casualty, CasualtyKind, Who};

/// Low, best and high totals; `None` where a figure does not give that estimate, and
/// all three `None` when the event has no deaths or competing accounts of them.
pub type Totals = (Option<u64>, Option<u64>, Option<u64>);

/// Deaths that add up past `u64::MAX`: one of the figures is surely a typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// Who gives the one report the totals come from: the actor, the source number and
/// the date of its entries (each `None` where the entries do not say).
pub type Giver<'a> = (Option<&'a str>, Option<usize>, Option<&'a EventDate>);

/// The `killed` entries of `casualties`, and who gives them when they all come from one
/// report; `None` for the giver when two reports (two sources, two actors, or one
/// source at two dates) give deaths: a total across them would merge accounts.
fn killed(casualties: &[Casualty]) -> (Vec<&Casualty>, Option<Giver<'_>>) {
    let killed: Vec<&Casualty> = casualties
        .iter()
        .filter(|c| c.what == CasualtyKind::Killed)
        .collect();
    let giver = killed.first().map(|c| c.report_key());
    let one = killed.iter().all(|c| Some(c.report_key()) == giver);
    (killed, giver.filter(|_| one))
}

/// Whether the deaths of the event come in more than one figure for a party or from
/// more than one report: a card then says "several tolls" rather than choose one.
pub fn several_reports(casualties: &[Casualty]) -> bool {
    let (killed, giver) = killed(casualties);
    let twice = killed
        .iter()
        .enumerate()
        .any(|(i, a)| killed[..i].iter().any(|b| b.who == a.who));
    killed.len() > 1 && (giver.is_none() || twice)
}

/// Who gives the deaths [`totals`] adds up, when there is a total to give.
pub fn giver(casualties: &[Casualty]) -> Option<Giver<'_>> {
    match totals(casualties) {
        Ok((None, None, None)) | Err(_) => None,
        Ok(_) => killed(casualties).1,
    }
}

/// The totals of the `killed` entries of `casualties`, within one report only. Deaths
/// add up across the parties of one report (the army's and the civilians' in the same
/// statement), but never across reports: Moura 2022 has 203 per the army, about 300
/// per Human Rights Watch, at least 500 per the UN, and no total. Within a report, two
/// figures for the same party are competing, not a sum: then there is no total either.
/// A total over all sides, when the report gives it, is the figure: the per-side
/// entries are parts of it, not more deaths.
pub fn totals(casualties: &[Casualty]) -> Result<Totals, Overflow> {
    let (mut killed, giver) = killed(casualties);
    if giver.is_none() {
        return Ok((None, None, None));
    }
    if killed.iter().any(|c| c.who == Who::All) {
        killed.retain(|c| c.who == Who::All);
    }
    let competing = killed
        .iter()
        .enumerate()
        .any(|(i, a)| killed[..i].iter().any(|b| b.who == a.who));
    if killed.is_empty() || competing {
        return Ok((None, None, None));
    }
    let figures: Vec<Totals> = killed.iter().map(|c| c.figure.estimates()).collect();
    let sum = |pick: fn(&Totals) -> Option<u64>| -> Result<Option<u64>, Overflow> {
        // A figure without this estimate leaves the total unknown, whatever the others.
        let Some(values) = figures.iter().map(pick).collect::<Option<Vec<u64>>>() else {
            return Ok(None);
        };
        values
            .into_iter()
            .try_fold(0u64, u64::checked_add)
            .map(Some)
            .ok_or(Overflow)
    };
    Ok((sum(|t| t.0)?, sum(|t| t.1)?, sum(|t| t.2)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorId, Attribution, Figure, SourceNumber};
    use crate::span::Spanned;

    fn killed(who: Who, figure: Figure) -> Casualty {
        Casualty {
            who,
            what: CasualtyKind::Killed,
            figure,
            according_to: None,
            source: None,
            date: None,
            note: None,
        }
    }

    fn from_source(who: Who, figure: Figure, n: usize) -> Casualty {
        Casualty {
            source: Some(Spanned {
                value: SourceNumber(n),
                pos: Default::default(),
            }),
            ..killed(who, figure)
        }
    }

    #[test]
    fn reports_never_add_up_across_sources() {
        // Moura 2022: 203 per the army, about 300 civilians per HRW, at least 500 in all
        // per the UN. Today's rule kept the UN's `all` as a floor of 500.
        let army = Casualty {
            according_to: Some(Attribution::Actor(ActorId("fama".into()))),
            ..killed(Who::Unknown, Figure::Exact { value: 203 })
        };
        let hrw = from_source(Who::Civilians, Figure::About { value: 300 }, 1);
        let un = from_source(Who::All, Figure::AtLeast { value: 500 }, 2);
        let moura = [army.clone(), hrw.clone(), un.clone()];
        assert_eq!(totals(&moura), Ok((None, None, None)));
        assert_eq!(giver(&moura), None);
        assert!(several_reports(&moura));
        // Two parties in one report add up, and the report is named.
        let soldiers = from_source(
            Who::Actor(ActorId("fama".into())),
            Figure::Exact { value: 4 },
            1,
        );
        let civilians = from_source(Who::Civilians, Figure::Exact { value: 3 }, 1);
        let one = [soldiers.clone(), civilians.clone()];
        assert_eq!(totals(&one), Ok((Some(7), Some(7), Some(7))));
        assert_eq!(giver(&one), Some((None, Some(1), None)));
        assert!(!several_reports(&one), "the parts of one report");
        // The same parts from two sources are two reports: no total.
        let other = from_source(Who::Civilians, Figure::Exact { value: 3 }, 2);
        assert_eq!(totals(&[soldiers.clone(), other]), Ok((None, None, None)));
        // One source at two dates (a revision) is two reports too.
        let revised = Casualty {
            date: Some(Spanned {
                value: EventDate::parse("2019-05").expect("date"),
                pos: Default::default(),
            }),
            ..civilians.clone()
        };
        assert_eq!(totals(&[soldiers, revised]), Ok((None, None, None)));
        // A report alone gives its total, and who gives it.
        assert_eq!(giver(&[army]), Some((Some("fama"), None, None)));
        assert_eq!(giver(&[hrw]), Some((None, Some(1), None)));
        assert_eq!(giver(&[]), None);
    }

    #[test]
    fn parties_add_up_and_competing_accounts_do_not() {
        let army = killed(Who::Civilians, Figure::Exact { value: 3 });
        let about = killed(Who::Unknown, Figure::About { value: 10 });
        assert_eq!(
            totals(&[army.clone(), about.clone()]),
            Ok((None, Some(13), None))
        );
        assert_eq!(
            totals(&[army.clone(), army.clone()]),
            Ok((None, None, None))
        );
        let all = killed(Who::All, Figure::Range { low: 5, high: 9 });
        assert_eq!(totals(&[army, all]), Ok((Some(5), None, Some(9))));
        assert_eq!(totals(&[]), Ok((None, None, None)));
    }

    #[test]
    fn a_total_past_u64_is_an_overflow_not_a_small_number() {
        let max = Figure::Exact { value: u64::MAX };
        let two = [killed(Who::Civilians, max), killed(Who::Unknown, max)];
        assert_eq!(totals(&two), Err(Overflow));
        // Alone, the largest figure is counted as it is.
        assert_eq!(
            totals(&two[..1]),
            Ok((Some(u64::MAX), Some(u64::MAX), Some(u64::MAX)))
        );
    }
}
