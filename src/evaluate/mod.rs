//! How well rexian reads free text, measured on hand-labelled appeals: the names and plates
//! that masking finds (`masking`), and the grade 重大 and the scope and field that the
//! refresh infers (`grading`).
//!
//! The labelled set, `data/eval/labelled_appeals.csv`, was written by hand in the operators'
//! register, not by the generator. Each row has its scope (是否涉及行政执法), field, whether it
//! is 重大, the names and plates in it, the kind of case it stands for (third parties,
//! negations, quoted denials, 王某, addresses that look like names…) and its split: `dev`
//! rows were written with the rules, `holdout` rows afterwards (and then tuned on),
//! `holdout2` rows (names, plates) after the first name rules, whose misses then guided a
//! second round, and `holdout3` (重大, negations) and `holdout4` (names) rows after the rules
//! were done, never tuned on: their figures are the honest ones.

pub mod grading;
pub mod masking;

use std::ops::Range;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::mask::names;

/// The labelled set, embedded so that the figures can be measured anywhere.
const LABELLED: &str = include_str!("../../data/eval/labelled_appeals.csv");

/// One hand-labelled appeal text.
#[derive(Debug, Clone, Deserialize)]
pub struct Labelled {
    /// Row number in the file.
    pub id: u32,
    /// The kind of case it stands for (third_party, negation, address_like…).
    pub case: String,
    /// `dev` (the rows the rules were written against), `holdout` (written afterwards, then
    /// tuned on), `holdout2` (written after the first name rules, then tuned on), `holdout3`
    /// and `holdout4` (written after the rules, never tuned on).
    pub split: String,
    /// Whether the appeal concerns administrative enforcement (是否涉及行政执法).
    #[serde(deserialize_with = "flag")]
    pub enforcement: bool,
    /// The enforcement field's code in `fields.csv`, empty when not enforcement-related.
    pub field: String,
    /// Whether it is 重大.
    #[serde(deserialize_with = "flag")]
    pub major: bool,
    /// The people's names in the text, `|`-separated (a bare surname before an honorific
    /// counts as one).
    pub names: String,
    /// The vehicle plates in the text, `|`-separated.
    pub plates: String,
    /// The text as an operator wrote it.
    pub text: String,
}

fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match String::deserialize(d)?.as_str() {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(serde::de::Error::custom(format!("{other:?} is not 1 or 0"))),
    }
}

impl Labelled {
    /// Where the labelled names stand in the text (every occurrence of each).
    pub fn name_spans(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for name in self.names.split('|').filter(|n| !n.is_empty()) {
            for (i, _) in self.text.match_indices(name) {
                let bare_surname = name.chars().count() == 1;
                let after = &self.text[i + name.len()..];
                if !bare_surname || names::HONORIFICS.iter().any(|h| after.starts_with(h)) {
                    out.push(i..i + name.len());
                }
            }
        }
        names::merge(out)
    }

    /// Where the labelled plates stand in the text.
    pub fn plate_spans(&self) -> Vec<Range<usize>> {
        let mut out: Vec<_> = self
            .plates
            .split('|')
            .filter(|p| !p.is_empty())
            .flat_map(|p| self.text.match_indices(p).map(|(i, s)| i..i + s.len()))
            .collect();
        out.sort_by_key(|r| r.start);
        out
    }
}

/// The hand-labelled set.
///
/// # Errors
/// When the embedded file does not parse, or a label names text that is not in its row.
pub fn labelled_set() -> Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for (i, row) in csv::Reader::from_reader(LABELLED.as_bytes())
        .deserialize::<Labelled>()
        .enumerate()
    {
        let row = row.with_context(|| {
            format!("data/eval/labelled_appeals.csv, row {}: unreadable", i + 2)
        })?;
        let labelled = row.names.split('|').chain(row.plates.split('|'));
        for label in labelled.filter(|l| !l.is_empty()) {
            if !row.text.contains(label) {
                bail!(
                    "data/eval/labelled_appeals.csv, id {}: the label {label:?} is not in the text",
                    row.id
                );
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// Counts for precision and recall against the labels: of spans (names, plates) or of rows
/// (重大, enforcement-related).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Score {
    /// Labelled spans.
    pub labelled: usize,
    /// Labelled spans wholly masked.
    pub caught: usize,
    /// Spans the finder masked.
    pub found: usize,
    /// Masked spans that touch a labelled one (the rest were not personal data).
    pub correct: usize,
}

impl Score {
    /// Share of the labelled spans that were masked (1 when nothing is labelled).
    pub fn recall(&self) -> f64 {
        share(self.caught, self.labelled)
    }

    /// Share of the masked spans that were personal data (1 when nothing was masked).
    pub fn precision(&self) -> f64 {
        share(self.correct, self.found)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// Counts one row whose label and finding are yes or no (重大, enforcement-related).
    pub fn add_row(&mut self, labelled: bool, found: bool) {
        self.labelled += usize::from(labelled);
        self.found += usize::from(found);
        self.caught += usize::from(labelled && found);
        self.correct += usize::from(labelled && found);
    }

    /// Counts one text's labelled spans against the spans found in it.
    pub fn add(&mut self, gold: &[Range<usize>], found: &[Range<usize>]) {
        self.labelled += gold.len();
        self.caught += gold.iter().filter(|g| covered(g, found)).count();
        self.found += found.len();
        self.correct += found
            .iter()
            .filter(|f| gold.iter().any(|g| f.start < g.end && g.start < f.end))
            .count();
    }
}

/// The harmonic mean of a precision and a recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// `a / b`, or 1 when `b` is 0 (nothing to get wrong).
pub fn share(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Whether every byte of `span` lies in one of `found` (sorted, not overlapping).
pub fn covered(span: &Range<usize>, found: &[Range<usize>]) -> bool {
    found
        .iter()
        .any(|f| f.start <= span.start && span.end <= f.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_labelled_set_reads_and_holds_every_kind_of_case() {
        let set = labelled_set().unwrap();
        assert!(set.len() >= 300, "{} rows", set.len());
        for case in [
            "third_party",
            "surname_mou",
            "address_like",
            "negation",
            "plate_like",
        ] {
            assert!(set.iter().filter(|r| r.case == case).count() >= 8, "{case}");
        }
        for split in ["dev", "holdout", "holdout2", "holdout3", "holdout4"] {
            assert!(set.iter().any(|r| r.split == split), "{split}");
        }
    }
}
