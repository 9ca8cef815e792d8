//! 《行政执法监督意见书》 (for a 重大 case) and 提醒函 (for a general item): one appeal's facts,
//! the office's words from rexian.toml, a deadline in working days, typeset with Typst.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, OptionalExt};
use serde::Serialize;

use crate::config::Workspace;

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
            "select cast(w2.date as varchar) from dim_workday as w1 \
             join dim_workday as w2 on w2.workday_seq = w1.workday_seq + ? and w2.is_workday \
             where w1.date = cast(? as date)",
            duckdb::params![n, from.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let d = d.with_context(|| {
        format!("{from} plus {n} working days is beyond the holiday calendar (data/reference/holidays.csv)")
    })?;
    Ok(NaiveDate::parse_from_str(&d, "%Y-%m-%d")?)
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
    type Row = (
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        bool,
        Option<String>,
    );
    let row: Option<Row> = conn
        .query_row(
            "select strftime(f.accepted_at, '%Y年%m月%d日 %H:%M'), f.department, f.region_name, \
             f.category, a.title, a.content, f.status, f.major_keyword, f.is_recurrence, \
             f.recurrence_of \
             from fct_enforcement_appeals as f join appeals as a using (ticket_id) \
             where f.ticket_id = ?",
            [ticket],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?;
    let Some((
        accepted,
        department,
        region,
        category,
        title,
        content,
        status,
        major,
        recur,
        recur_of,
    )) = row
    else {
        bail!(
            "{ticket:?} is not an enforcement-related appeal in the warehouse; \
             `rexian analyse supervision --period …` lists the key items"
        );
    };
    let (as_of, ledger): (String, String) = conn.query_row(
        "select cast(cast(max(as_of) as date) as varchar), \
         coalesce(string_agg(file_sha256, ',' order by load_id), '') from load_ledger",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
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
    let department = department.unwrap_or_else(|| format!("{region}人民政府"));
    let mut facts = vec![format!(
        "工单编号{ticket}，{accepted}受理，所属区县{region}，诉求分类“{}”，办理状态“{status}”。",
        category.unwrap_or_else(|| "未分类".into())
    )];
    if let Some(t) = title {
        facts.push(format!("诉求标题：{t}"));
    }
    if let Some(c) = content {
        facts.push(format!("诉求内容（已脱敏）：{c}"));
    }
    if let Some(k) = major {
        facts.push(format!("诉求反映“{k}”等重大情形。"));
    }
    if recur {
        facts.push(format!(
            "同一地址同类问题在前次工单（{}）办结后90日内再次被反映，属屡次不改情形。",
            recur_of.unwrap_or_default()
        ));
    }
    let rules: String = conn
        .query_row(
            "select value from cfg_param where key = 'rules_version'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
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
