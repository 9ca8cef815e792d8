//! 《行政执法监督意见书》 (for a 重大 case) and 提醒函 (for a general item): one appeal's facts,
//! the office's words from rexian.toml, a deadline in working days, typeset with Typst.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, OptionalExt};
use serde::Serialize;

use crate::config::Workspace;
use crate::sql;

/// The kinds of letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterKind {
    /// 《行政执法监督意见书》.
    Opinion,
    /// 提醒函.
    Reminder,
}

impl LetterKind {
    fn title(self) -> &'static str {
        match self {
            LetterKind::Opinion => "行政执法监督意见书",
            LetterKind::Reminder => "行政执法监督提醒函",
        }
    }
}

/// A section of a letter.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// 一、… heading.
    pub heading: String,
    /// Its paragraphs.
    pub paragraphs: Vec<String>,
}

/// Everything the letter template prints.
#[derive(Debug, Clone, Serialize)]
pub struct LetterData {
    /// 行政执法监督意见书 / 行政执法监督提醒函.
    pub title: String,
    /// The PDF's title.
    pub doc_title: String,
    /// The PDF's keywords (provenance).
    pub keywords: Vec<String>,
    /// 发文机关.
    pub issuer: String,
    /// 文号.
    pub number: String,
    /// 主送机关: the supervised department.
    pub addressee: String,
    /// Opening paragraphs.
    pub opening: Vec<String>,
    /// The sections.
    pub sections: Vec<Section>,
    /// 成文日期, e.g. 2024年3月5日.
    pub date: String,
    /// Provenance line.
    pub footnote: String,
}

fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The working day `n` working days after `from`, under the official calendar.
fn add_workdays(conn: &Connection, from: NaiveDate, n: u32) -> Result<NaiveDate> {
    let d: Option<String> = conn
        .query_row(
            sql::REPORT_ADD_WORKDAYS.text,
            duckdb::params![from.to_string(), n],
            |r| r.get(0),
        )
        .optional()?;
    let d = d.with_context(|| {
        format!("{from} plus {n} working days is beyond the holiday calendar (data/reference/holidays.csv)")
    })?;
    Ok(NaiveDate::parse_from_str(&d, "%Y-%m-%d")?)
}

/// What a letter says of its appeal (sql/report/letter_appeal.sql).
struct Appeal {
    accepted: String,
    department: Option<String>,
    region: String,
    category: Option<String>,
    title: Option<String>,
    content: Option<String>,
    status: String,
    major: Option<String>,
    recurrence: bool,
    recurrence_of: Option<String>,
}

impl Appeal {
    /// The enforcement-related appeal `ticket`, if the warehouse has it.
    fn find(conn: &Connection, ticket: &str) -> Result<Option<Appeal>> {
        Ok(conn
            .query_row(sql::REPORT_LETTER_APPEAL.text, [ticket], |r| {
                Ok(Appeal {
                    accepted: r.get(0)?,
                    department: r.get(1)?,
                    region: r.get(2)?,
                    category: r.get(3)?,
                    title: r.get(4)?,
                    content: r.get(5)?,
                    status: r.get(6)?,
                    major: r.get(7)?,
                    recurrence: r.get(8)?,
                    recurrence_of: r.get(9)?,
                })
            })
            .optional()?)
    }

    /// The paragraphs of 一、基本情况.
    fn facts(&self, ticket: &str) -> Vec<String> {
        let mut facts = vec![format!(
            "工单编号{ticket}，{}受理，所属区县{}，诉求分类“{}”，办理状态“{}”。",
            self.accepted,
            self.region,
            self.category.as_deref().unwrap_or("未分类"),
            self.status
        )];
        if let Some(t) = &self.title {
            facts.push(format!("诉求标题：{t}"));
        }
        if let Some(c) = &self.content {
            facts.push(format!("诉求内容（已脱敏）：{c}"));
        }
        if let Some(k) = &self.major {
            facts.push(format!("诉求反映“{k}”等重大情形。"));
        }
        if self.recurrence {
            facts.push(format!(
                "同一地址同类问题在前次工单（{}）办结后90日内再次被反映，属屡次不改情形。",
                self.recurrence_of.as_deref().unwrap_or_default()
            ));
        }
        facts
    }
}

/// Gathers a letter's data for one appeal.
///
/// # Errors
/// When the appeal is not an enforcement-related one in the warehouse.
pub fn letter_data(
    conn: &Connection,
    ws: &Workspace,
    kind: LetterKind,
    ticket: &str,
    number: u32,
    date: Option<NaiveDate>,
) -> Result<LetterData> {
    let r = &ws.config.report;
    let Some(appeal) = Appeal::find(conn, ticket)? else {
        bail!(
            "{ticket:?} is not an enforcement-related appeal in the warehouse; \
             `rexian analyse supervision --period …` lists the key items"
        );
    };
    let (as_of, ledger, rules): (String, String, String) =
        conn.query_row(sql::REPORT_LETTER_PROVENANCE.text, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let date = match date {
        Some(d) => d,
        None => NaiveDate::parse_from_str(&as_of, "%Y-%m-%d")?,
    };
    let (prefix, days, opinion) = match kind {
        LetterKind::Opinion => (&r.opinion_prefix, r.opinion_days, &r.opinion_text),
        LetterKind::Reminder => (&r.reminder_prefix, r.reminder_days, &r.reminder_text),
    };
    let deadline = add_workdays(conn, date, days)?;
    let number = format!("{prefix}〔{}〕{number}号", date.year());
    let facts = appeal.facts(ticket);
    let department = appeal
        .department
        .unwrap_or_else(|| format!("{}人民政府", appeal.region));
    let ledger_hash = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(ledger.as_bytes()))[..16].to_string()
    };
    Ok(LetterData {
        title: kind.title().to_string(),
        doc_title: format!("{number} {}（{department}）", kind.title()),
        keywords: vec![
            format!("ledger {ledger_hash}"),
            format!("rules {rules}"),
            format!("rexian {}", crate::VERSION),
        ],
        issuer: r.issuer.clone(),
        number,
        addressee: department,
        opening: vec![format!(
            "我单位在行政执法监督与12345政务服务便民热线联动工作中，发现你单位承办的下列诉求事项需要{}。",
            if kind == LetterKind::Opinion { "依法监督纠正" } else { "引起重视、及时改进" }
        )],
        sections: vec![
            Section {
                heading: "一、基本情况".into(),
                paragraphs: facts,
            },
            Section {
                heading: "二、监督意见".into(),
                paragraphs: vec![opinion.clone()],
            },
            Section {
                heading: "三、依据".into(),
                paragraphs: vec![r.legal_basis.clone()],
            },
            Section {
                heading: "四、整改要求".into(),
                paragraphs: vec![format!(
                    "请你单位于{}前完成整改，并将整改情况书面报送我单位。",
                    chinese_date(deadline)
                )],
            },
        ],
        date: chinese_date(date),
        footnote: format!(
            "线索来源：12345热线工单{ticket}　数据快照：{ledger_hash}　规则版本：{rules}"
        ),
    })
}

/// Writes a letter for one appeal into `dir` and returns its path.
///
/// # Errors
/// When the appeal is unknown, typesetting fails, or the file cannot be written.
pub fn write_letter(
    ws: &Workspace,
    conn: &Connection,
    kind: LetterKind,
    ticket: &str,
    number: u32,
    date: Option<NaiveDate>,
    dir: &Path,
) -> Result<PathBuf> {
    let data = letter_data(conn, ws, kind, ticket, number, date)?;
    let day = NaiveDate::parse_from_str(&data.date, "%Y年%m月%d日")?;
    let pdf = super::typeset(ws, "letter.typ", &data, &[], day)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{}.pdf", data.doc_title.replace('/', "／")));
    crate::fsutil::write_atomic(&path, &pdf)?;
    Ok(path)
}
