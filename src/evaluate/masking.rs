//! The masking's name and plate finders on the labelled set.

use std::collections::BTreeMap;

use super::{covered, Labelled, Score};
use crate::mask::names::{self, Finders};
use crate::mask::plates;

/// What one finder did on one labelled row, where it differs from the labels.
#[derive(Debug, Clone)]
pub struct Difference {
    /// The row's id.
    pub id: u32,
    /// Labelled names left in clear.
    pub missed: Vec<String>,
    /// Text masked that is not a labelled name.
    pub wrongly_masked: Vec<String>,
}

/// The name finders' figures on the labelled set: overall, by kind of case, and the rows
/// where they differ from the labels.
#[derive(Debug, Clone)]
pub struct NameReport {
    /// Every row.
    pub overall: Score,
    /// By the rows' `split` (dev, holdout).
    pub by_split: BTreeMap<String, Score>,
    /// By the rows' `case`.
    pub by_case: BTreeMap<String, Score>,
    /// Rows with a miss or a wrong mask.
    pub differences: Vec<Difference>,
    /// Labelled names that `Finders::Introduced` catches and these finders do not.
    pub lost: Vec<(u32, String)>,
}

/// Measures the name finders on the labelled set.
pub fn names(set: &[Labelled], finders: Finders) -> NameReport {
    let mut overall = Score::default();
    let mut by_split: BTreeMap<String, Score> = BTreeMap::new();
    let mut by_case: BTreeMap<String, Score> = BTreeMap::new();
    let mut differences = Vec::new();
    let mut lost = Vec::new();
    for row in set {
        let gold = row.name_spans();
        let found = names::find(&row.text, None, finders);
        overall.add(&gold, &found);
        by_split
            .entry(row.split.clone())
            .or_default()
            .add(&gold, &found);
        by_case
            .entry(row.case.clone())
            .or_default()
            .add(&gold, &found);
        let baseline = names::find(&row.text, None, Finders::Introduced);
        for g in &gold {
            if covered(g, &baseline) && !covered(g, &found) {
                lost.push((row.id, row.text[g.clone()].to_string()));
            }
        }
        let missed: Vec<String> = gold
            .iter()
            .filter(|g| !covered(g, &found))
            .map(|g| row.text[g.clone()].to_string())
            .collect();
        let wrongly_masked: Vec<String> = found
            .iter()
            .filter(|f| !gold.iter().any(|g| f.start < g.end && g.start < f.end))
            .map(|f| row.text[f.clone()].to_string())
            .collect();
        if !missed.is_empty() || !wrongly_masked.is_empty() {
            differences.push(Difference {
                id: row.id,
                missed,
                wrongly_masked,
            });
        }
    }
    NameReport {
        overall,
        by_split,
        by_case,
        differences,
        lost,
    }
}

/// Measures the plate finder on the labelled set, overall and by split.
pub fn plates(set: &[Labelled]) -> (Score, BTreeMap<String, Score>) {
    let mut score = Score::default();
    let mut by_split: BTreeMap<String, Score> = BTreeMap::new();
    for row in set {
        let (gold, found) = (row.plate_spans(), plates::find(&row.text));
        score.add(&gold, &found);
        by_split
            .entry(row.split.clone())
            .or_default()
            .add(&gold, &found);
    }
    (score, by_split)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::labelled_set;

    #[test]
    fn the_finders_catch_every_name_the_old_rules_caught_and_many_more() {
        let set = labelled_set().unwrap();
        let before = names(&set, Finders::Introduced);
        let after = names(&set, Finders::All);
        assert_eq!(
            after.lost,
            Vec::new(),
            "names the old rules caught are let through"
        );
        assert!(before.overall.recall() < 0.2, "{:?}", before.overall);
        assert!(after.overall.recall() >= 0.95, "{:?}", after.overall);
        assert!(after.overall.precision() >= 0.98, "{:?}", after.overall);
        // Rows written after the finders were, and not tuned on.
        let held_out = after.by_split["holdout4"];
        assert!(held_out.recall() >= 0.75, "{held_out:?}");
        assert!(held_out.precision() >= 0.9, "{held_out:?}");
        // Nothing is masked where no name is labelled (王某, 王庄村, 文明城市…).
        for case in ["surname_mou", "address_like", "brand_word", "plate_like"] {
            let s = after.by_case[case];
            assert_eq!(s.found, s.correct, "{case}: {:?}", after.differences);
        }
    }

    #[test]
    fn every_labelled_plate_is_masked_and_nothing_else() {
        let (score, _) = plates(&labelled_set().unwrap());
        assert!(score.labelled >= 30, "{score:?}");
        assert_eq!(
            (score.caught, score.correct),
            (score.labelled, score.found),
            "{score:?}"
        );
    }
}
