//! The analyses of one period: the queries in `sql/analyses/` run over the marts, returned as
//! [`Frame`]s that the commands print or export and the reports typeset. Keyword counting
//! (热点关键词) needs Chinese word segmentation and so is done here with `jieba-rs`.

use std::collections::{BTreeSet, HashSet};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use duckdb::arrow::array::{
    Array, BooleanArray, Int64Array, LargeStringArray, StringArray, StringViewArray,
};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::types::Value;
use duckdb::{Connection, ToSql};
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::keywords;
use crate::period::Period;
use crate::sql;

/// A result table: column names and rows of values.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Its title, for sheets and headings.
    pub title: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Value>>,
    /// Columns holding rates (shown as percentages).
    pub percent: BTreeSet<String>,
    /// The headings people read (data/dictionary.csv's labels), one per column; empty when
    /// the column names are shown as they are.
    pub labels: Vec<String>,
}

impl Frame {
    /// The same table with only its first `n` rows.
    pub fn head(&self, n: usize) -> Frame {
        Frame {
            rows: self.rows.iter().take(n).cloned().collect(),
            ..self.clone()
        }
    }

    /// The headings a person reads: the labels where the frame has them, else the names.
    pub fn headers(&self) -> &[String] {
        if self.labels.len() == self.columns.len() {
            &self.labels
        } else {
            &self.columns
        }
    }

    /// The same frame headed by data/dictionary.csv's labels, its rates marked by the
    /// dictionary's units. A column without a label is an error: the dictionary is where a
    /// heading is decided, so that no code finds a column by it.
    ///
    /// # Errors
    /// When a column has no label in data/dictionary.csv.
    pub fn labelled(mut self) -> Result<Frame> {
        let mut labels = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let Some(h) = crate::dictionary::heading(c) else {
                bail!(
                    "{}: the column {c:?} has no label in data/dictionary.csv",
                    self.title
                );
            };
            if h.unit == "rate" {
                self.percent.insert(c.clone());
            }
            labels.push(h.label.clone());
        }
        self.labels = labels;
        Ok(self)
    }

    /// The index of a column.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The values of one column as text (NULL as "").
    pub fn texts(&self, name: &str) -> Vec<String> {
        let Some(i) = self.col(name) else {
            return Vec::new();
        };
        self.rows.iter().map(|r| value_text(&r[i])).collect()
    }

    /// Removes a column, if there.
    pub fn drop_column(&mut self, name: &str) {
        if let Some(i) = self.col(name) {
            self.columns.remove(i);
            for r in &mut self.rows {
                r.remove(i);
            }
        }
    }

    /// The same frame, its rates marked by data/dictionary.csv's units for the columns the
    /// dictionary knows, and headed by its own names: for a query a person wrote.
    pub fn with_units(mut self) -> Frame {
        for c in &self.columns {
            if crate::dictionary::heading(c).is_some_and(|h| h.unit == "rate") {
                self.percent.insert(c.clone());
            }
        }
        self
    }
}

/// Plain text of a value (NULL as "").
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Boolean(b) => if *b { "是" } else { "否" }.into(),
        Value::TinyInt(x) => x.to_string(),
        Value::SmallInt(x) => x.to_string(),
        Value::Int(x) => x.to_string(),
        Value::BigInt(x) => x.to_string(),
        Value::HugeInt(x) => x.to_string(),
        Value::UTinyInt(x) => x.to_string(),
        Value::USmallInt(x) => x.to_string(),
        Value::UInt(x) => x.to_string(),
        Value::UBigInt(x) => x.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Double(x) => x.to_string(),
        Value::Decimal(x) => x.to_string(),
        Value::Text(s) => s.clone(),
        Value::Timestamp(unit, n) => {
            let micros = unit.to_micros(*n);
            chrono::DateTime::from_timestamp_micros(micros)
                .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        }
        Value::Date32(d) => NaiveDate::from_num_days_from_ce_opt(*d + 719_163)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        other => format!("{other:?}"),
    }
}

/// Runs a query and collects its rows.
///
/// # Errors
/// When the query fails.
pub fn query(conn: &Connection, title: &str, text: &str, params: &[&dyn ToSql]) -> Result<Frame> {
    let mut stmt = conn
        .prepare(text)
        .with_context(|| format!("preparing {title}"))?;
    let mut rows = stmt
        .query(params)
        .with_context(|| format!("running {title}"))?;
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(row) = rows.next()? {
        if n == 0 {
            n = row.as_ref().column_count();
        }
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            values.push(row.get::<_, Value>(i)?);
        }
        out.push(values);
    }
    drop(rows);
    let columns = stmt.column_names();
    Ok(Frame {
        title: title.to_string(),
        columns,
        rows: out,
        percent: BTreeSet::new(),
        labels: Vec::new(),
    })
}

/// The text of `sql/analyses/NAME.sql`.
///
/// # Errors
/// When the build has no such file.
pub fn query_text(name: &str) -> Result<&'static str> {
    sql::FILES
        .iter()
        .find(|(p, _)| *p == format!("analyses/{name}.sql"))
        .map(|(_, t)| *t)
        .with_context(|| format!("sql/analyses/{name}.sql is missing from this build"))
}

/// The unit kinds indicators are given by.
pub const UNIT_KINDS: [&str; 4] = ["department", "region", "field", "city"];

/// Every indicator of every unit of one kind in a period, with score, band and rank.
///
/// # Errors
/// When the kind or region is unknown, or the query fails.
pub fn indicators(conn: &Connection, period: &Period, by: &str, region: &str) -> Result<Frame> {
    check_unit(conn, by, region)?;
    let mut f = query(
        conn,
        &format!("{} 指标（按{}）", period.label, unit_label(by)),
        query_text("indicators")?,
        &[&period.key, &by, &region],
    )?;
    if by != "department" {
        // The region of a unit only tells something for departments.
        f.drop_column("region_name");
    }
    f.labelled()
}

/// The indicators in long form with numerators, denominators, 环比 and 同比.
///
/// # Errors
/// When the kind or region is unknown, or the query fails.
pub fn indicator_changes(
    conn: &Connection,
    period: &Period,
    by: &str,
    region: &str,
) -> Result<Frame> {
    check_unit(conn, by, region)?;
    query(
        conn,
        &format!("{} 指标明细（按{}）", period.label, unit_label(by)),
        query_text("indicator_changes")?,
        &[&period.key, &by, &region],
    )?
    .labelled()
}

fn unit_label(by: &str) -> &'static str {
    match by {
        "department" => "部门",
        "region" => "区县",
        "field" => "执法领域",
        _ => "全市",
    }
}

fn check_unit(conn: &Connection, by: &str, region: &str) -> Result<()> {
    if !UNIT_KINDS.contains(&by) {
        bail!("--by {by:?}: use one of {}", UNIT_KINDS.join(", "));
    }
    check_region(conn, region)
}

/// Refuses a region that is not one ("" is the whole city), listing the regions.
///
/// # Errors
/// When the region is unknown, or the regions cannot be read.
pub fn check_region(conn: &Connection, region: &str) -> Result<()> {
    if !region.is_empty() {
        let known: Vec<String> = {
            let mut s = conn.prepare("select region_name from dim_region order by region_code")?;
            let names = s.query_map([], |r| r.get::<_, String>(0))?;
            names.collect::<duckdb::Result<_>>()?
        };
        if !known.iter().any(|k| k == region) {
            bail!(
                "--region {region:?} is not a region; the regions are {}",
                known.join("、")
            );
        }
    }
    Ok(())
}

/// Reads `sql/analyses/NAME.sql`, a read of a mart for period `$1` and region `$2` ("" for
/// the city), headed by the dictionary: the one way the analyses' marts are read.
///
/// # Errors
/// When the region is unknown or the query fails.
fn read_mart(
    conn: &Connection,
    name: &str,
    title: &str,
    period: &Period,
    region: &str,
) -> Result<Frame> {
    check_region(conn, region)?;
    query(
        conn,
        &format!("{} {title}", period.label),
        query_text(name)?,
        &[&period.key, &region],
    )?
    .labelled()
}

/// 分级分类 of every enforcement-related appeal accepted in the period, in a region ("" for
/// the city), from mart_graded_appeals.
///
/// # Errors
/// When the region is unknown or the query fails.
pub fn grade(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    read_mart(conn, "grade", "分级分类", period, region)
}

/// The number of appeals per grade and suggested action in the period and region (for the
/// reports).
///
/// # Errors
/// When the region is unknown or the query fails.
pub fn grade_counts(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    read_mart(conn, "grade_counts", "分级分类统计", period, region)
}

/// 重点督办: the 重大 and 屡次不改 appeals of the period and region, with the office's
/// decisions.
///
/// # Errors
/// When the region is unknown or the query fails.
pub fn supervision(
    conn: &Connection,
    config: &Config,
    period: &Period,
    region: &str,
) -> Result<Frame> {
    check_region(conn, region)?;
    let title = format!("{} 重点督办清单", period.label);
    let text = query_text("supervision")?;
    let end = period.end.to_string();
    let offset = crate::casework::utc_offset(config.tz(), period.end);
    let mut frame = query(
        conn,
        &title,
        text,
        &[&period.key, &region, &end, &offset, &"[]"],
    )?;
    if crate::casework::in_use(conn)? {
        // The cases still open at the period's end, whatever month their tickets came from:
        // read month by month, as a read of the grades' view for one period reaches only its
        // months.
        let months = query(
            conn,
            "在办督办事项",
            sql::CASEWORK_OPEN_CASE_MONTHS.text,
            &[&end, &offset],
        )?;
        let ticket = frame
            .col("ticket_id")
            .context("重点督办清单 has no ticket_id")?;
        let mut listed: HashSet<String> = frame
            .rows
            .iter()
            .filter_map(|r| match &r[ticket] {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        for row in &months.rows {
            let (Value::Text(month), Value::List(tickets)) = (&row[0], &row[1]) else {
                continue;
            };
            let carried: Vec<&String> = tickets
                .iter()
                .filter_map(|t| match t {
                    Value::Text(t) if !listed.contains(t) => Some(t),
                    _ => None,
                })
                .collect();
            if carried.is_empty() {
                continue;
            }
            let list = serde_json::to_string(&carried)?;
            let more = query(conn, &title, text, &[month, &region, &end, &offset, &list])?;
            listed.extend(carried.into_iter().cloned());
            frame.rows.extend(more.rows);
        }
    }
    frame.labelled()
}

/// 会商研判: the categories returned between departments in the period, in a region ("" for
/// the city), each marked settled where a 会商 of the register decided its lead department
/// (see [`crate::casework::consult::mark_settled`]).
///
/// # Errors
/// When the region is unknown or a query fails.
pub fn disputes(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    let mut f = read_mart(conn, "disputes", "会商研判", period, region)?;
    crate::casework::consult::mark_settled(conn, period, &mut f)?;
    f.labelled()
}

/// The names of the analyses `rexian analyse` runs.
pub const ANALYSES: [&str; 6] = [
    "hot",
    "disputes",
    "warnings",
    "focus",
    "supervision",
    "pilot-effect",
];

/// Runs one named analysis for a period in a region ("" for the city). `hot` gives three
/// frames (categories, keywords, examples); the others one.
///
/// # Errors
/// When the name or region is unknown or a query fails.
pub fn run(
    conn: &Connection,
    config: &Config,
    name: &str,
    period: &Period,
    region: &str,
) -> Result<Vec<Frame>> {
    Ok(match name {
        "hot" => hot(conn, config, period, region)?,
        "disputes" => vec![disputes(conn, period, region)?],
        "warnings" => vec![read_mart(conn, "warnings", "预警", period, region)?],
        "focus" => vec![read_mart(conn, "focus", "监督重点", period, region)?],
        "supervision" => vec![supervision(conn, config, period, region)?],
        "pilot-effect" => vec![
            query(
                conn,
                "试点成效（双重差分）",
                query_text("pilot_effect")?,
                &[],
            )?
            .labelled()?,
            query(
                conn,
                "各试点单位的双重差分",
                query_text("pilot_effect_units")?,
                &[],
            )?
            .labelled()?,
        ],
        other => bail!(
            "no analysis {other:?}; the analyses are {}",
            ANALYSES.join(", ")
        ),
    })
}

/// 按诉求类型和来源渠道: the appeals of the period and region per type and per channel.
///
/// # Errors
/// When the region is unknown or the query fails.
pub fn type_channel(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    read_mart(conn, "type_channel", "诉求类型和来源渠道", period, region)
}

/// 排名变动: the departments ranked in the period (those of the region, "" for all) with
/// their ranks in the period before.
///
/// # Errors
/// When the region is unknown or the query fails.
pub fn department_movement(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    read_mart(conn, "department_movement", "排名变动", period, region)
}

/// 热点问题: the hot categories, the hot keywords and the hottest categories' examples.
fn hot(conn: &Connection, config: &Config, period: &Period, region: &str) -> Result<Vec<Frame>> {
    let categories = read_mart(conn, "hot_categories", "热点诉求分类", period, region)?;
    let keywords = hot_keywords(conn, config, period, region)?.labelled()?;
    let examples = read_mart(conn, "hot_examples", "典型诉求（已脱敏）", period, region)?;
    Ok(vec![categories, keywords, examples])
}

pub use crate::keywords::warm_up;

/// The distinct texts of the period and the one before, with their numbers of appeals, as
/// Arrow batches: the strings are read in place rather than copied one by one.
fn texts(conn: &Connection, period: &Period, region: &str) -> Result<Vec<RecordBatch>> {
    let mut stmt = conn.prepare(query_text("keyword_texts")?)?;
    let batches = stmt.query_arrow([period.key.to_string(), region.to_string()])?;
    Ok(batches.collect())
}

/// (text, appeals) pairs of the period and of the period before, borrowed from the batches.
type Pairs<'a> = Vec<(&'a str, u64)>;

fn text_pairs(batches: &[RecordBatch]) -> Result<(Pairs<'_>, Pairs<'_>)> {
    let (mut now, mut before) = (Vec::new(), Vec::new());
    for b in batches {
        let in_period = b
            .column(0)
            .as_any()
            .downcast_ref::<BooleanArray>()
            .context("keyword_texts.sql: the first column must say the period")?;
        let counts = b
            .column(2)
            .as_any()
            .downcast_ref::<Int64Array>()
            .context("keyword_texts.sql: the third column must be a count")?;
        let col = b.column(1);
        let strings: Vec<Option<&str>> = if let Some(a) = col.as_any().downcast_ref::<StringArray>()
        {
            a.iter().collect()
        } else if let Some(a) = col.as_any().downcast_ref::<StringViewArray>() {
            a.iter().collect()
        } else if let Some(a) = col.as_any().downcast_ref::<LargeStringArray>() {
            a.iter().collect()
        } else {
            bail!(
                "keyword_texts.sql: unexpected text type {:?}",
                col.data_type()
            );
        };
        for (i, text) in strings.into_iter().enumerate() {
            let pair = (text.unwrap_or(""), counts.value(i) as u64);
            if in_period.value(i) {
                now.push(pair);
            } else {
                before.push(pair);
            }
        }
    }
    Ok((now, before))
}

/// For each word, the number of appeals whose text contains it.
/// At most about this many distinct texts are segmented to propose keyword candidates.
const CANDIDATE_TEXTS: usize = 100_000;

/// The texts the keyword candidates are proposed from: all of them, or for a long period a
/// sample of about [`CANDIDATE_TEXTS`] picked by a fixed hash of each text.
fn candidate_sample<'a>(texts: &[(&'a str, u64)]) -> Vec<(&'a str, u64)> {
    use std::hash::Hasher;
    let k = (texts.len() / CANDIDATE_TEXTS).max(1) as u64;
    if k == 1 {
        return texts.to_vec();
    }
    texts
        .iter()
        .filter(|(t, _)| {
            let mut h = rustc_hash::FxHasher::default();
            h.write(t.as_bytes());
            h.finish().is_multiple_of(k)
        })
        .copied()
        .collect()
}

/// The keyword candidates, most appeals first: the phrases (see `keywords`) found in most
/// appeals of the period, proposed on two threads, half of the texts each. Over a long period
/// they are proposed from a sample of the texts chosen by a hash of the text itself (so the
/// same texts give the same sample in any order); the figures are then counted exactly over
/// every text.
fn candidates<'a>(
    now_texts: &[(&'a str, u64)],
    stop: &HashSet<&str>,
    generic: &HashSet<&str>,
) -> Result<Vec<(&'a str, u64)>> {
    let sample = candidate_sample(now_texts);
    let (left, right) = sample.split_at(sample.len() / 2);
    let (found, other) = std::thread::scope(|scope| {
        let other = scope.spawn(|| keywords::propose(right.iter().copied(), stop, generic));
        let found = keywords::propose(left.iter().copied(), stop, generic);
        let other = other
            .join()
            .map_err(|_| anyhow::anyhow!("counting keywords failed"))?;
        anyhow::Ok((found, other))
    })?;
    let mut merged: FxHashMap<&str, u64> = FxHashMap::default();
    for (w, n) in found.into_iter().chain(other) {
        *merged.entry(w).or_default() += n;
    }
    let mut candidates: Vec<(&str, u64)> = merged.into_iter().collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    Ok(candidates)
}

fn hot_keywords(
    conn: &Connection,
    config: &Config,
    period: &Period,
    region: &str,
) -> Result<Frame> {
    let stop: HashSet<&str> = config
        .analysis
        .stopwords
        .iter()
        .map(String::as_str)
        .collect();
    let generic: HashSet<&str> = config
        .analysis
        .generic_words
        .iter()
        .map(String::as_str)
        .collect();
    let started = std::time::Instant::now();
    let batches = texts(conn, period, region)?;
    let (now_texts, before_texts) = text_pairs(&batches)?;
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        texts = now_texts.len() + before_texts.len(),
        "keyword texts read"
    );
    let top = config.analysis.top as usize;
    let mut candidates = candidates(&now_texts, &stop, &generic)?;
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        "keyword candidates proposed"
    );
    candidates.truncate(top * 5);
    // The figures: appeals whose text contains the phrase, in the period and the one before,
    // one pass over the texts for all the candidates; the two periods on two threads.
    let words: Vec<&str> = candidates.iter().map(|c| c.0).collect();
    let (now_counts, before_counts) = std::thread::scope(|scope| {
        let before = scope.spawn(|| keywords::containing(&before_texts, &words));
        let now = keywords::containing(&now_texts, &words)?;
        let before = before
            .join()
            .map_err(|_| anyhow::anyhow!("counting keywords failed"))??;
        anyhow::Ok((now, before))
    })?;
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        "keywords counted"
    );
    let appeals_before: u64 = before_texts.iter().map(|t| t.1).sum();
    let rows = keywords::rank(
        &words,
        &now_counts,
        &before_counts.appeals,
        appeals_before,
        top,
    )
    .into_iter()
    .enumerate()
    .map(|(i, k)| {
        vec![
            Value::BigInt(i as i64 + 1),
            Value::Text(k.phrase.to_string()),
            Value::Text(k.related.join("、")),
            Value::BigInt(k.appeals as i64),
            Value::BigInt(k.before as i64),
            if k.before > 0 {
                Value::Double(k.appeals as f64 / k.before as f64 - 1.0)
            } else {
                Value::Null
            },
        ]
    })
    .collect();
    Ok(Frame {
        title: format!("{} 热点关键词", period.label),
        columns: [
            "rank",
            "keyword",
            "seen_with",
            "appeals_containing",
            "appeals_prev",
            "growth",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        percent: BTreeSet::new(),
        labels: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(columns: &[&str]) -> Frame {
        Frame {
            title: "t".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Frame::default()
        }
    }

    #[test]
    fn a_frame_is_headed_by_the_dictionary_and_found_by_its_names() {
        let f = frame(&["ticket_id", "grade", "recurrences"])
            .labelled()
            .unwrap();
        assert_eq!(f.headers(), ["工单编号", "分级", "其中屡次不改"]);
        assert_eq!(f.col("grade"), Some(1));
        assert_eq!(f.col("分级"), None);
        // Unlabelled frames (the SQL shell's) show their names.
        assert_eq!(frame(&["x"]).headers(), ["x"]);
    }

    #[test]
    fn a_column_without_a_label_is_refused_by_name() {
        let e = frame(&["ticket_id", "no_such_column"])
            .labelled()
            .unwrap_err();
        assert!(format!("{e}").contains("\"no_such_column\""), "{e}");
    }
}
