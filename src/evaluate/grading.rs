//! The refresh's reading of text on the labelled set: which appeals are 重大 by their words,
//! and which are enforcement-related and in which field when the extract leaves that blank.
//!
//! Measured on the real code path: the labelled texts are written as an extract, loaded
//! (masked) into a scratch workspace and refreshed, and `fct_enforcement_appeals` is read
//! back. For 重大 the extract marks every row enforcement-related, so that the grade is
//! measured apart from the scope; for the scope and field it leaves both blank, as most
//! extracts do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Labelled, Score};
use crate::config::{Config, Workspace};
use crate::ingest::{EncodingChoice, Loader, Options, Outcome};

/// The label of a row that is not enforcement-related, in the field confusion matrix.
pub const NOT_ENFORCEMENT: &str = "非执法";

/// One labelled row's 重大 as the refresh graded it.
#[derive(Debug, Clone)]
pub struct MajorRow {
    /// The row's id.
    pub id: u32,
    /// Labelled 重大.
    pub labelled: bool,
    /// The word that made it 重大, if one did.
    pub keyword: Option<String>,
    /// The sentence it stands in.
    pub sentence: Option<String>,
}

/// The figures of one set of grading rules.
#[derive(Debug, Clone)]
pub struct MajorReport {
    /// Rows: labelled 重大 (`labelled`), found (`found`), both (`caught` = `correct`).
    pub overall: Score,
    /// The same by split.
    pub by_split: BTreeMap<String, Score>,
    /// Every row, graded.
    pub rows: Vec<MajorRow>,
}

/// Scope and field as the refresh inferred them from a blank extract.
#[derive(Debug, Clone)]
pub struct ScopeReport {
    /// Rows: labelled enforcement-related against inferred.
    pub enforcement: Score,
    /// (labelled field code or 非执法, inferred field code or 非执法) → rows.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Which rule decided each inferred row (department, keyword) → rows.
    pub sources: BTreeMap<String, usize>,
}

impl ScopeReport {
    /// Precision and recall of one field (a code, or 非执法) over every row.
    pub fn field(&self, code: &str) -> Score {
        let mut s = Score::default();
        for ((gold, found), &n) in &self.confusion {
            for _ in 0..n {
                s.add_row(gold == code, found == code);
            }
        }
        s
    }

    /// Every field code that is labelled or inferred, 非执法 last.
    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .confusion
            .keys()
            .flat_map(|(g, f)| [g.clone(), f.clone()])
            .filter(|c| c != NOT_ENFORCEMENT)
            .collect();
        codes.sort();
        codes.dedup();
        codes.push(NOT_ENFORCEMENT.to_string());
        codes
    }

    /// Rows whose field was inferred right, over every row.
    pub fn accuracy(&self) -> (usize, usize) {
        let total = self.confusion.values().sum();
        let right = self
            .confusion
            .iter()
            .filter(|((g, f), _)| g == f)
            .map(|(_, n)| n)
            .sum();
        (right, total)
    }
}

/// The grading rules of `config` without what reads the sentence (negations, exceptions,
/// retractions): the rules rexian graded 重大 by before.
pub fn keywords_only(config: &Config) -> Config {
    let mut c = config.clone();
    c.grading.major_negations.clear();
    c.grading.major_exceptions.clear();
    c.grading.major_retractions.clear();
    c
}

/// Grades the labelled rows under `config`'s rules and the reference data in `reference`
/// (the built-in data when `None`).
///
/// # Errors
/// When the scratch workspace cannot be made, loaded or refreshed.
pub fn major(set: &[Labelled], config: &Config, reference: Option<&Path>) -> Result<MajorReport> {
    let scratch = Scratch::new("major", config, reference)?;
    let rows: Vec<ScopeRow> = set.iter().map(ScopeRow::of).collect();
    scratch.load(&rows, true)?;
    let found: BTreeMap<u32, (Option<String>, Option<String>)> = scratch.query(
        "select ticket_id, major_keyword, major_sentence from fct_enforcement_appeals",
        |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))),
    )?;
    let mut overall = Score::default();
    let mut by_split: BTreeMap<String, Score> = BTreeMap::new();
    let mut rows = Vec::new();
    for row in set {
        let (keyword, sentence) = found.get(&row.id).cloned().unwrap_or((None, None));
        let hit = keyword.is_some();
        overall.add_row(row.major, hit);
        by_split
            .entry(row.split.clone())
            .or_default()
            .add_row(row.major, hit);
        rows.push(MajorRow {
            id: row.id,
            labelled: row.major,
            keyword,
            sentence,
        });
    }
    Ok(MajorReport {
        overall,
        by_split,
        rows,
    })
}

/// One appeal of a blank extract whose scope and field are known: a hand-labelled text, or
/// an appeal of the months a model was not trained on.
#[derive(Debug, Clone, Default)]
pub struct ScopeRow {
    /// Its number (the scratch extract's ticket is `E{id}`).
    pub id: u32,
    /// Its category, title, content and 承办单位.
    pub appeal: crate::model::features::Appeal,
    /// Labelled enforcement-related.
    pub enforcement: bool,
    /// The labelled field's code (empty when not enforcement-related).
    pub field: String,
}

impl ScopeRow {
    /// A hand-labelled text: its content alone.
    pub fn of(l: &Labelled) -> ScopeRow {
        ScopeRow {
            id: l.id,
            appeal: crate::model::features::Appeal {
                content: l.text.clone(),
                ..Default::default()
            },
            enforcement: l.enforcement,
            field: l.field.clone(),
        }
    }

    /// Its label as the confusion matrix writes it: a field code, or 非执法.
    pub fn gold(&self) -> String {
        if self.enforcement {
            self.field.clone()
        } else {
            NOT_ENFORCEMENT.to_string()
        }
    }
}

impl ScopeReport {
    /// The figures of `(label, inferred)` pairs: the label a field code or 非执法, the
    /// inference a field code and what decided it, or none for not enforcement-related.
    pub fn of(pairs: impl IntoIterator<Item = (String, Option<(String, String)>)>) -> ScopeReport {
        let mut enforcement = Score::default();
        let mut confusion = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for (gold, inferred) in pairs {
            enforcement.add_row(gold != NOT_ENFORCEMENT, inferred.is_some());
            let got = inferred
                .as_ref()
                .map_or(NOT_ENFORCEMENT.to_string(), |(f, _)| f.clone());
            *confusion.entry((gold, got)).or_insert(0) += 1;
            if let Some((_, source)) = inferred {
                *sources.entry(source).or_insert(0) += 1;
            }
        }
        ScopeReport {
            enforcement,
            confusion,
            sources,
        }
    }
}

/// Infers the labelled rows' scope and field under `config`'s rules and the reference data in
/// `reference` (its departments and field keywords; the built-in data when `None`), from an
/// extract that leaves both blank.
///
/// # Errors
/// When the scratch workspace cannot be made, loaded or refreshed.
pub fn scope(set: &[Labelled], config: &Config, reference: Option<&Path>) -> Result<ScopeReport> {
    let rows: Vec<ScopeRow> = set.iter().map(ScopeRow::of).collect();
    let inferred = rules_scope(&rows, config, reference)?;
    Ok(ScopeReport::of(
        rows.iter().map(ScopeRow::gold).zip(inferred),
    ))
}

/// What the rules make of each row (field code and the rule that decided, or none for not
/// enforcement-related), in the order of `rows`, through a load and refresh of a blank
/// extract in a scratch workspace (no learned model there: the rules alone).
///
/// # Errors
/// When the scratch workspace cannot be made, loaded or refreshed.
pub fn rules_scope(
    rows: &[ScopeRow],
    config: &Config,
    reference: Option<&Path>,
) -> Result<Vec<Option<(String, String)>>> {
    let scratch = Scratch::new("scope", config, reference)?;
    scratch.load(rows, false)?;
    let found: BTreeMap<u32, (String, String)> = scratch
        .query(crate::sql::EVALUATE_SCOPE.text, |r| {
            Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?)))
        })?;
    Ok(rows.iter().map(|r| found.get(&r.id).cloned()).collect())
}

/// A workspace in the system's temporary folder, removed when dropped.
struct Scratch {
    dir: PathBuf,
    ws: Workspace,
}

impl Scratch {
    fn new(what: &str, config: &Config, reference: Option<&Path>) -> Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "rexian-evaluate-{what}-{}-{nanos}",
            std::process::id()
        ));
        let mut ws = Workspace::init(&dir)
            .with_context(|| format!("making a scratch workspace in {}", dir.display()))?;
        let paths = ws.config.paths.clone();
        ws.config = config.clone();
        // The scratch workspace's own folders, whatever the configuration says, but the
        // reference data asked for (it decides the scope and field).
        ws.config.paths = paths;
        ws.config.paths.reference = reference.map(Path::to_path_buf).unwrap_or_default();
        Ok(Scratch { dir, ws })
    }

    /// Writes the rows as an extract (one month, one region) and loads it.
    fn load(&self, rows: &[ScopeRow], mark_enforcement: bool) -> Result<()> {
        let file = self.dir.join("labelled_2024-03.csv");
        write_extract(&file, rows, mark_enforcement)?;
        let opts = Options {
            encoding: EncodingChoice::Auto,
            as_of: None,
            force: false,
            progress: false,
        };
        let (outcomes, _) = Loader::open(&self.ws, opts)?.load_all(&[file])?;
        for o in outcomes {
            if let Outcome::Refused { path, error } = o {
                anyhow::bail!(
                    "the labelled set was refused ({}): {error:#}",
                    path.display()
                );
            }
        }
        crate::refresh::rebuild(&self.ws)?;
        Ok(())
    }

    /// Rows of `sql` keyed by the labelled id (ticket `E{id}`).
    fn query<T>(
        &self,
        sql: &str,
        f: impl Fn(&duckdb::Row<'_>) -> duckdb::Result<(String, T)>,
    ) -> Result<BTreeMap<u32, T>> {
        let conn = crate::warehouse::open(
            &self.ws.warehouse_path(),
            crate::warehouse::Access::ReadOnly,
            crate::warehouse::LOCK_WAIT,
        )?;
        let mut stmt = conn.prepare(sql)?;
        let mut out = BTreeMap::new();
        for row in stmt.query_map([], |r| f(r))? {
            let (ticket, value) = row?;
            if let Some(id) = ticket.strip_prefix('E').and_then(|i| i.parse().ok()) {
                out.insert(id, value);
            }
        }
        Ok(out)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_extract(path: &Path, rows: &[ScopeRow], mark_enforcement: bool) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
    let mut header = vec![
        "工单编号",
        "受理时间",
        "所属区县",
        "诉求分类",
        "诉求标题",
        "诉求内容",
        "承办单位",
        "办理状态",
    ];
    if mark_enforcement {
        header.push("是否涉及行政执法");
    }
    w.write_record(&header)?;
    for row in rows {
        let mut record = vec![
            format!("E{}", row.id),
            "2024-03-05 09:00:00".to_string(),
            "任城区".to_string(),
            row.appeal.category.clone(),
            row.appeal.title.clone(),
            row.appeal.content.clone(),
            row.appeal.department.clone(),
            "办理中".to_string(),
        ];
        if mark_enforcement {
            record.push("是".to_string());
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::labelled_set;

    #[test]
    fn reading_the_sentence_keeps_every_true_major_and_drops_the_denied_ones() {
        let set = labelled_set().unwrap();
        let config = Config::default();
        let before = major(&set, &keywords_only(&config), None).unwrap();
        let now = major(&set, &config, None).unwrap();
        // The denials and quoted retractions fired before and no longer do.
        let fired =
            |r: &MajorReport, id: u32| r.rows.iter().any(|m| m.id == id && m.keyword.is_some());
        for id in [121, 123, 124, 126, 127, 129, 131, 132, 137, 140] {
            assert!(fired(&before, id), "#{id} fired before");
            assert!(!fired(&now, id), "#{id} still fires");
        }
        // Every labelled 重大 that fired before still does, with its sentence.
        for m in now.rows.iter().filter(|m| m.labelled) {
            if fired(&before, m.id) {
                assert!(m.keyword.is_some(), "#{} lost", m.id);
            }
        }
        let m141 = now.rows.iter().find(|m| m.id == 141).unwrap();
        assert_eq!(
            m141.sentence.as_deref(),
            Some("反映城管执法人员暴力执法，推搡并打人，致摊主受伤，现场有视频")
        );
        assert!(
            now.overall.precision() > before.overall.precision() + 0.1,
            "{:?} {:?}",
            before.overall,
            now.overall
        );
        assert_eq!(now.overall.recall(), before.overall.recall());
    }

    #[test]
    fn the_keyword_rules_scope_and_field_are_measured_on_every_row() {
        let set = labelled_set().unwrap();
        let s = scope(&set, &Config::default(), None).unwrap();
        assert_eq!(s.confusion.values().sum::<usize>(), set.len());
        assert_eq!(
            s.enforcement.labelled,
            set.iter().filter(|r| r.enforcement).count()
        );
        // The keyword rules find some but not all: the figure is a real one.
        let r = s.enforcement.recall();
        assert!(r > 0.2 && r < 1.0, "{:?}", s.enforcement);
        assert!(s.sources.contains_key("keyword"), "{:?}", s.sources);
    }
}
