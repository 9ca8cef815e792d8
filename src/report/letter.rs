//! 《行政执法监督意见书》 (for a 重大 case) and 提醒函 (for a general item), typeset with Typst:
//! the facts the office found, its opinion (rexian.toml's wording by default), the legal basis
//! and a reply deadline in working days. A letter the office sends is issued from the 督办台账
//! (`casework::Register::issue_letter`), which draws its 文号; a draft from one ticket
//! ([`write_draft`]) carries no number and is recorded nowhere.

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
    /// Both kinds.
    pub const ALL: [LetterKind; 2] = [LetterKind::Opinion, LetterKind::Reminder];

    /// Its name in the log and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Opinion => "opinion",
            LetterKind::Reminder => "reminder",
        }
    }

    /// The kind a stored name names.
    pub fn from_name(name: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The document's title.
    pub fn title(self) -> &'static str {
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

/// 2024年3月5日.
pub fn chinese_date(d: NaiveDate) -> String {
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

/// The office's settings for a kind of letter: its 文号 prefix, the working days a department
/// has to reply, and the default opinion.
pub fn settings(ws: &Workspace, kind: LetterKind) -> (&str, u32, &str) {
    let r = &ws.config.report;
    match kind {
        LetterKind::Opinion => (&r.opinion_prefix, r.opinion_days, &r.opinion_text),
        LetterKind::Reminder => (&r.reminder_prefix, r.reminder_days, &r.reminder_text),
    }
}

/// The 文号 of the `seq`-th letter of `kind` in `year`: 济司执监意〔2026〕3号.
pub fn number(ws: &Workspace, kind: LetterKind, year: i32, seq: i64) -> String {
    format!("{}〔{year}〕{seq}号", settings(ws, kind).0)
}

/// What the warehouse says of a ticket for a letter: the paragraphs of 一、基本情况 and the
/// department that handled it (else the region's government).
///
/// # Errors
/// When the ticket is not an enforcement-related appeal in the warehouse.
pub fn ticket_facts(conn: &Connection, ticket: &str) -> Result<(Vec<String>, String)> {
    let Some(appeal) = Appeal::find(conn, ticket)? else {
        bail!(
            "{ticket:?} is not an enforcement-related appeal in the warehouse; \
             `rexian analyse supervision --period …` lists the key items"
        );
    };
    let facts = appeal.facts(ticket);
    let department = appeal
        .department
        .unwrap_or_else(|| format!("{}人民政府", appeal.region));
    Ok((facts, department))
}

/// What a letter says, whoever decided it.
#[derive(Debug, Clone)]
pub struct Content {
    /// Opinion or reminder.
    pub kind: LetterKind,
    /// The 文号, or how a draft says it has none.
    pub number: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// The day the department's reply is due.
    pub deadline: NaiveDate,
    /// 主送机关.
    pub addressee: String,
    /// 一、基本情况: the facts the office found.
    pub facts: Vec<String>,
    /// 二、监督意见.
    pub opinion: Vec<String>,
    /// Where the matter came from, for the provenance line (线索来源：…).
    pub source: String,
}

/// Lays out a letter's content with the office's name, the legal basis and the provenance
/// (the loaded files and the rules version the facts stand on).
///
/// # Errors
/// When the warehouse's load ledger cannot be read.
pub fn compose(conn: &Connection, ws: &Workspace, c: &Content) -> Result<LetterData> {
    let r = &ws.config.report;
    let (ledger, rules) = provenance(conn)?.1;
    let ledger_hash = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(ledger.as_bytes()))[..16].to_string()
    };
    Ok(LetterData {
        title: c.kind.title().to_string(),
        doc_title: format!("{} {}（{}）", c.number, c.kind.title(), c.addressee),
        keywords: vec![
            format!("ledger {ledger_hash}"),
            format!("rules {rules}"),
            format!("rexian {}", crate::VERSION),
        ],
        issuer: r.issuer.clone(),
        number: c.number.clone(),
        addressee: c.addressee.clone(),
        opening: vec![format!(
            "我单位在行政执法监督与12345政务服务便民热线联动工作中，发现你单位承办的下列诉求事项需要{}。",
            if c.kind == LetterKind::Opinion { "依法监督纠正" } else { "引起重视、及时改进" }
        )],
        sections: vec![
            Section {
                heading: "一、基本情况".into(),
                paragraphs: c.facts.clone(),
            },
            Section {
                heading: "二、监督意见".into(),
                paragraphs: c.opinion.clone(),
            },
            Section {
                heading: "三、依据".into(),
                paragraphs: vec![r.legal_basis.clone()],
            },
            Section {
                heading: "四、整改要求".into(),
                paragraphs: vec![format!(
                    "请你单位于{}前完成整改，并将整改情况书面报送我单位。",
                    chinese_date(c.deadline)
                )],
            },
        ],
        date: chinese_date(c.date),
        footnote: format!(
            "线索来源：{}　数据快照：{ledger_hash}　规则版本：{rules}",
            c.source
        ),
    })
}

/// The newest extract's day, and the loaded files' SHA-256 in load order with the rules
/// version.
fn provenance(conn: &Connection) -> Result<(Option<NaiveDate>, (String, String))> {
    let (as_of, ledger, rules): (Option<String>, String, String) =
        conn.query_row(sql::REPORT_LETTER_PROVENANCE.text, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let as_of = as_of
        .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
        .transpose()?;
    Ok((as_of, (ledger, rules)))
}

/// Typesets a letter; returns the PDF and the file name it goes by (its 文号, title and
/// addressee).
///
/// # Errors
/// When typesetting fails.
pub fn typeset_letter(
    ws: &Workspace,
    data: &LetterData,
    date: NaiveDate,
) -> Result<(Vec<u8>, String)> {
    let pdf = super::typeset(ws, "letter.typ", data, &[], date)?;
    Ok((pdf, format!("{}.pdf", data.doc_title.replace('/', "／"))))
}

/// Writes a draft letter about one ticket into `dir` and returns its path: marked 样稿, with
/// no 文号, dated `date` (default: the newest extract's day), and recorded nowhere (a letter
/// that is sent is issued from its case: `rexian letter opinion CASE`).
///
/// # Errors
/// When the ticket is unknown, typesetting fails, or the file cannot be written.
pub fn write_draft(
    ws: &Workspace,
    conn: &Connection,
    kind: LetterKind,
    ticket: &str,
    date: Option<NaiveDate>,
    dir: &Path,
) -> Result<PathBuf> {
    let (facts, addressee) = ticket_facts(conn, ticket)?;
    let date = match date {
        Some(d) => d,
        None => provenance(conn)?
            .0
            .context("nothing is loaded yet: `rexian ingest` the extracts first")?,
    };
    let (_, days, opinion) = settings(ws, kind);
    let content = Content {
        kind,
        number: "（样稿，未编号）".into(),
        date,
        deadline: add_workdays(conn, date, days)?,
        addressee,
        facts,
        opinion: vec![opinion.to_string()],
        source: format!("12345热线工单{ticket}"),
    };
    let data = compose(conn, ws, &content)?;
    let (pdf, _) = typeset_letter(ws, &data, date)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(
        format!(
            "样稿 {ticket} {}（{}）.pdf",
            kind.title(),
            content.addressee
        )
        .replace('/', "／"),
    );
    crate::fsutil::write_atomic(&path, &pdf)?;
    Ok(path)
}
