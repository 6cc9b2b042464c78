//! The deaths of an event as one figure per estimate (low, best, high), added up with
//! checked arithmetic: what `data/events.csv` shows, and what `check` makes sure can
//! be counted at all.

use crate::model::{Casualty, CasualtyKind, Who};

/// Low, best and high totals; `None` where a figure does not give that estimate, and
/// all three `None` when the event has no deaths or competing accounts of them.
pub type Totals = (Option<u64>, Option<u64>, Option<u64>);

/// Deaths that add up past `u64::MAX`: one of the figures is surely a typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// The totals of the `killed` entries of `casualties`. Deaths add up across parties
/// (army + civilians), but two figures for the same party are competing accounts, not
/// a sum: then there is no total. A total over all sides, when given, is the figure:
/// the per-side entries are parts of it, not more deaths.
pub fn totals(casualties: &[Casualty]) -> Result<Totals, Overflow> {
    let mut killed: Vec<&Casualty> = casualties
        .iter()
        .filter(|c| c.what == CasualtyKind::Killed)
        .collect();
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
    use crate::model::Figure;

    fn killed(who: Who, figure: Figure) -> Casualty {
        Casualty {
            who,
            what: CasualtyKind::Killed,
            figure,
            according_to: None,
            note: None,
        }
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
