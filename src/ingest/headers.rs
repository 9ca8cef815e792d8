//! Mapping a file's header row to the canonical columns, through the alias table in
//! `headers.csv` (Chinese and English names, full-width brackets, stray spaces).

use std::collections::HashMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use super::error::FileError;
use super::source::Cell;
use crate::reference::{normalize_key, split_aliases, HeaderSpec, Reference};

/// Where each canonical column is found in a file.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// Canonical field name → (column index, the file's own header). Looked up for every
    /// cell, hence Fx hashing.
    pub columns: FxHashMap<String, (usize, String)>,
    /// Headers of the file that mean nothing known (their data is not loaded).
    pub ignored: Vec<String>,
    /// Number of cells in the header row.
    pub width: usize,
}

impl ColumnMap {
    /// Column index of a canonical field, if the file has it.
    pub fn index(&self, field: &str) -> Option<usize> {
        self.columns.get(field).map(|c| c.0)
    }

    /// The file's own header for a canonical field (for messages), else the field's name.
    pub fn header<'a>(&'a self, field: &'a str) -> &'a str {
        self.columns
            .get(field)
            .map(|c| c.1.as_str())
            .unwrap_or(field)
    }
}

/// Header spellings, normalised, to canonical fields.
pub struct Aliases<'a> {
    by_key: HashMap<String, &'a HeaderSpec>,
    specs: &'a [HeaderSpec],
}

impl<'a> Aliases<'a> {
    /// Builds the lookup from the reference data.
    pub fn new(reference: &'a Reference) -> Aliases<'a> {
        let mut by_key = HashMap::new();
        for spec in &reference.headers {
            by_key.insert(normalize_key(&spec.field), spec);
            for a in split_aliases(&spec.aliases) {
                by_key.insert(normalize_key(a), spec);
            }
        }
        Aliases {
            by_key,
            specs: &reference.headers,
        }
    }

    /// The canonical field a header means, if known. A bracketed qualifier such as
    /// "应办结时间（截止）" is ignored when the whole header is not itself known.
    pub fn lookup(&self, header: &str) -> Option<&'a HeaderSpec> {
        let key = normalize_key(header);
        if let Some(s) = self.by_key.get(&key) {
            return Some(s);
        }
        let stripped = strip_brackets(&key);
        (stripped != key)
            .then(|| self.by_key.get(&stripped).copied())
            .flatten()
    }

    /// How many cells of a row are known headers: a header row has at least 3.
    pub fn score(&self, cells: &[Cell]) -> usize {
        cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if self.lookup(t).is_some()))
            .count()
    }

    /// Maps a header row; refuses missing required columns and duplicates.
    pub fn map(
        &self,
        path: &Path,
        sheet: Option<&str>,
        row: u64,
        cells: &[Cell],
    ) -> Result<ColumnMap, FileError> {
        let mut columns: FxHashMap<String, (usize, String)> = FxHashMap::default();
        let mut ignored = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            let h = c.display().trim().to_string();
            if h.is_empty() {
                continue;
            }
            match self.lookup(&h) {
                Some(spec) => {
                    if let Some((_, first)) = columns.get(&spec.field) {
                        return Err(FileError::DuplicateColumn {
                            path: path.into(),
                            sheet: sheet.map(String::from),
                            row,
                            field: format!("{} ({})", spec.field, short(&spec.description)),
                            first: first.clone(),
                            second: h,
                        });
                    }
                    columns.insert(spec.field.clone(), (i, h));
                }
                None => ignored.push(h),
            }
        }
        let missing: Vec<&HeaderSpec> = self
            .specs
            .iter()
            .filter(|s| s.required && !columns.contains_key(&s.field))
            // A file may give the title instead of the content, or category levels instead of
            // the joined path; only the content needs one of them.
            .filter(|s| !(s.field == "content" && columns.contains_key("title")))
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing
                .iter()
                .map(|s| format!("{} ({})", short(&s.description), s.field))
                .collect();
            let mut hint = String::new();
            for s in &missing {
                if let Some((h, _)) = closest(s, &ignored) {
                    hint.push_str(&format!(
                        " The file's header {h:?} is the closest to {}; if it means that, rename it.",
                        short(&s.description)
                    ));
                }
            }
            if !ignored.is_empty() {
                hint.push_str(&format!(
                    " Unrecognised headers in the file: {}.",
                    ignored.join("、")
                ));
            }
            return Err(FileError::MissingColumns {
                path: path.into(),
                sheet: sheet.map(String::from),
                row,
                missing: names.join("、"),
                hint,
            });
        }
        Ok(ColumnMap {
            columns,
            ignored,
            width: cells.len(),
        })
    }

    /// For a row that is not a header at all: the known headers closest to its cells.
    pub fn suggestions(&self, cells: &[Cell]) -> String {
        let mut out = Vec::new();
        for c in cells.iter().take(40) {
            let h = c.display();
            if h.trim().is_empty() {
                continue;
            }
            let best = self
                .specs
                .iter()
                .flat_map(|s| split_aliases(&s.aliases).map(move |a| (a, s)))
                .map(|(a, _)| {
                    (
                        a,
                        strsim::normalized_levenshtein(&normalize_key(&h), &normalize_key(a)),
                    )
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((a, score)) = best {
                if score >= 0.5 {
                    out.push(format!("{h:?} looks like {a:?}"));
                }
            }
        }
        if out.is_empty() {
            String::new()
        } else {
            format!(" Closest known headers: {}.", out.join("; "))
        }
    }
}

/// The file header closest to any spelling of `spec`.
fn closest<'h>(spec: &HeaderSpec, headers: &'h [String]) -> Option<(&'h str, f64)> {
    headers
        .iter()
        .flat_map(|h| {
            split_aliases(&spec.aliases).map(move |a| {
                (
                    h.as_str(),
                    strsim::normalized_levenshtein(&normalize_key(h), &normalize_key(a)),
                )
            })
        })
        .filter(|(_, s)| *s >= 0.3)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn strip_brackets(key: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in key.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn short(description: &str) -> &str {
    description
        .split(['：', '（'])
        .next()
        .unwrap_or(description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<Cell> {
        v.iter().map(|s| Cell::Text(s.to_string())).collect()
    }

    #[test]
    fn aliases_width_and_brackets() {
        let r = Reference::built_in().unwrap();
        let a = Aliases::new(&r);
        assert_eq!(a.lookup(" 来电时间 ").unwrap().field, "accepted_at");
        assert_eq!(a.lookup("应办结时间（截止）").unwrap().field, "due_at");
        assert_eq!(a.lookup("Ticket ID").unwrap().field, "ticket_id");
        assert!(a.lookup("备注").is_none());
    }

    #[test]
    fn missing_required_column_names_the_closest_header() {
        let r = Reference::built_in().unwrap();
        let a = Aliases::new(&r);
        let row = cells(&["工单编号", "受理时", "所属区县", "诉求内容", "办理状态"]);
        let e = a
            .map(Path::new("x.csv"), None, 1, &row)
            .unwrap_err()
            .to_string();
        assert!(e.contains("受理时间 (accepted_at)"), "{e}");
        assert!(e.contains("\"受理时\" is the closest"), "{e}");
    }
}
