//! 会商: the register of the consultations the office holds on disputed matters — when, which
//! departments sat at the table, which categories (in which regions) were discussed, and what
//! was agreed: the lead department (牵头单位) and the handling norm (处置规范). Each is an event
//! of the 督办台账's signed log (case_no '', action consult), numbered in its own yearly
//! sequence (YYYY-HNNNN). The disputes analysis (会商研判) marks a category settled by one,
//! with the lead decided and whether its returns fell afterwards.

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::Connection;
use serde_json::json;

use super::log::Event;
use super::Register;
use crate::analysis::{self, Frame};
use crate::period::Period;
use crate::sql;

/// The roles that record a consultation.
const ROLES: [&str; 2] = ["经办", "负责人"];

/// One category discussed, in one region or ("" ) the whole city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// 诉求分类, as the appeals carry it.
    pub category: String,
    /// 区县, or "" for every region.
    pub region: String,
}

impl Topic {
    /// Reads `分类` or `分类@区县`.
    ///
    /// # Errors
    /// When the category is empty.
    pub fn parse(text: &str) -> Result<Topic> {
        let (category, region) = match text.split_once('@') {
            Some((c, r)) => (c.trim(), r.trim()),
            None => (text.trim(), ""),
        };
        if category.is_empty() {
            bail!("--topic {text:?}: write the category, or category@region (占道经营@任城区)");
        }
        Ok(Topic {
            category: category.to_string(),
            region: region.to_string(),
        })
    }
}

/// A consultation as the office records it.
#[derive(Debug, Clone)]
pub struct Consultation {
    /// The day it was held.
    pub date: NaiveDate,
    /// The departments present.
    pub departments: Vec<String>,
    /// The categories (× regions) discussed.
    pub topics: Vec<Topic>,
    /// The lead department decided (one of those present).
    pub lead: String,
    /// The handling norm agreed (处置规范), if any.
    pub norm: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl Register<'_> {
    /// Records a consultation and returns its number (YYYY-HNNNN).
    ///
    /// # Errors
    /// When the staff member may not, the day lies ahead, fewer than two departments were
    /// present, the lead was not among them, a region or category is unknown, a topic is
    /// given twice, or the log cannot be written.
    pub fn record_consultation(&mut self, c: &Consultation) -> Result<(String, Event)> {
        if !ROLES.contains(&self.staff.role.as_str()) {
            bail!(
                "{} is {}: recording a 会商 is for {}",
                self.staff.name,
                self.staff.role,
                ROLES.join("、")
            );
        }
        if c.date > self.today {
            bail!(
                "--date {}: a consultation is recorded once it has been held",
                c.date
            );
        }
        let departments: Vec<&str> = c
            .departments
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect();
        if departments.len() < 2 {
            bail!(
                "--departments: name the departments present, at least two, separated by 、 or ,"
            );
        }
        if !departments.contains(&c.lead.trim()) {
            bail!(
                "--lead {:?} was not among the departments present ({}); the lead department is \
                 one of them",
                c.lead,
                departments.join("、")
            );
        }
        if c.topics.is_empty() {
            bail!("--topic: name at least one category discussed (占道经营, or 占道经营@任城区)");
        }
        for (i, t) in c.topics.iter().enumerate() {
            if c.topics[..i].contains(t) {
                bail!("--topic {}@{} is given twice", t.category, t.region);
            }
            if !t.region.is_empty() {
                analysis::check_region(&self.conn, &t.region)?;
            }
            let known: bool =
                self.conn
                    .query_row(sql::CASEWORK_CATEGORY_KNOWN.text, [&t.category], |r| {
                        r.get(0)
                    })?;
            if !known {
                bail!(
                    "--topic {:?}: no enforcement-related appeal has that category; copy it from \
                     `rexian analyse disputes` (and run `rexian refresh` after a load)",
                    t.category
                );
            }
        }
        let year = c.date.year();
        let tx = self.conn.unchecked_transaction()?;
        let seq: i64 = tx.query_row(
            sql::EXCHANGE_NEXT_NO.text,
            duckdb::params!["consult", year],
            |r| r.get(0),
        )?;
        let consult_no = format!("{year}-H{seq:04}");
        let details = json!({
            "consult_no": consult_no,
            "year": year,
            "seq": seq,
            "date": c.date.to_string(),
            "departments": departments,
            "topics": c.topics.iter().map(|t| json!({
                "category": t.category,
                "region": t.region,
            })).collect::<Vec<_>>(),
            "lead": c.lead.trim(),
            "norm": c.norm.as_deref().map(str::trim).filter(|n| !n.is_empty()),
        });
        let event = self.append_office_event(&tx, "consult", c.note.as_deref(), details, None)?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok((consult_no, event))
    }
}

/// The register of consultations (of `year`, or every year with 0), newest last, with the
/// time each was recorded at local time (`offset` seconds from UTC).
///
/// # Errors
/// When the log cannot be read.
pub fn list(conn: &Connection, year: i32, offset: i64) -> Result<Frame> {
    analysis::query(
        conn,
        "会商台账",
        sql::CASEWORK_CONSULTATIONS.text,
        &[&year, &offset],
    )?
    .labelled()
}

/// The columns [`mark_settled`] adds to the disputes analysis.
pub const SETTLED_COLUMNS: [&str; 5] = [
    "consult_no",
    "consulted_on",
    "lead_decided",
    "return_rate_before",
    "return_rate_after",
];

/// Marks the categories of a disputes analysis (会商研判) settled by a consultation held by
/// the period's last day: the latest one on the category in the row's region (or city-wide),
/// the lead department it decided, and the share of the category's appeals returned in the
/// three months before the consultation's month and in the months after it up to the
/// period's end. Rows no consultation settled get empty cells.
///
/// # Errors
/// When the log or the appeals cannot be read.
pub fn mark_settled(conn: &Connection, period: &Period, disputes: &mut Frame) -> Result<()> {
    use duckdb::types::Value;
    let settled = if super::in_use(conn)? {
        analysis::query(
            conn,
            "会商结果",
            sql::CASEWORK_SETTLED_DISPUTES.text,
            &[&period.end.to_string()],
        )?
    } else {
        Frame::default()
    };
    let (Some(cat), Some(reg)) = (disputes.col("category"), disputes.col("region_name")) else {
        bail!("会商研判 has no category or region_name column");
    };
    fn text(v: &Value) -> &str {
        match v {
            Value::Text(t) => t,
            _ => "",
        }
    }
    for row in &mut disputes.rows {
        let (category, region) = (text(&row[cat]).to_string(), text(&row[reg]).to_string());
        // The region's own consultation before a city-wide one; the settled query lists the
        // latest per topic.
        let found = settled
            .rows
            .iter()
            .filter(|s| {
                text(&s[0]) == category && (text(&s[1]) == region || text(&s[1]).is_empty())
            })
            .min_by_key(|s| text(&s[1]).is_empty());
        match found {
            Some(s) => row.extend(s[2..].iter().cloned()),
            None => row.extend(std::iter::repeat_n(Value::Null, SETTLED_COLUMNS.len())),
        }
    }
    disputes
        .columns
        .extend(SETTLED_COLUMNS.iter().map(|c| c.to_string()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_is_a_category_in_a_region_or_the_whole_city() {
        let t = Topic::parse(" 城市管理/占道经营 @ 任城区 ").unwrap();
        assert_eq!(
            (t.category.as_str(), t.region.as_str()),
            ("城市管理/占道经营", "任城区")
        );
        assert_eq!(Topic::parse("城市管理/占道经营").unwrap().region, "");
        let e = Topic::parse("@任城区").unwrap_err().to_string();
        assert!(e.contains("category@region"), "{e}");
    }
}
