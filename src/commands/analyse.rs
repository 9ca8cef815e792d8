//! `rexian indicators`, `rexian grade`, `rexian analyse`, `rexian export push-list` and
//! `rexian decide`: the figures and lists of one period, read from the marts.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use chrono::Utc;

use crate::analysis;
use crate::config::Workspace;
use crate::export::open_marts;
use crate::output::{self, CsvEncoding, Format};
use crate::period::Period;
use crate::warehouse;

/// Where and how a command writes its tables.
#[derive(Debug, Clone)]
pub struct Output {
    /// table, csv, json or xlsx.
    pub format: Format,
    /// CSV encoding.
    pub csv: CsvEncoding,
    /// File to write; standard output when `None`.
    pub path: Option<PathBuf>,
}

impl Output {
    pub(crate) fn write(&self, frames: &[analysis::Frame]) -> Result<()> {
        output::write(frames, self.format, self.csv, self.path.as_deref())?;
        if let Some(p) = &self.path {
            eprintln!("wrote {}", p.display());
        }
        Ok(())
    }
}

/// `rexian indicators`: every indicator of every unit of one kind in a period.
///
/// # Errors
/// When the period, kind or region is unknown, or the output cannot be written.
pub fn indicators(
    ws: &Workspace,
    period: &str,
    by: &str,
    region: Option<&str>,
    detail: bool,
    out: &Output,
) -> Result<()> {
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    let region = region.unwrap_or("");
    let frame = if detail {
        analysis::indicator_changes(&conn, &period, by, region)?
    } else {
        analysis::indicators(&conn, &period, by, region)?
    };
    out.write(&[frame])
}

/// `rexian grade`: the grade of every enforcement-related appeal of a period, and the counts.
///
/// # Errors
/// When the period is unknown, or the output cannot be written.
pub fn grade(ws: &Workspace, period: &str, region: Option<&str>, out: &Output) -> Result<()> {
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    let frame = analysis::grade(&conn, &period, region.unwrap_or(""))?;
    if out.format == Format::Table && out.path.is_none() {
        let grades = frame.texts("grade");
        for g in ["重大", "需协调争议解决", "普遍性执法问题", "一般"] {
            eprintln!("{g}: {}", grades.iter().filter(|x| *x == g).count());
        }
    }
    out.write(&[frame])
}

/// `rexian analyse NAME`: one analysis of a period.
///
/// # Errors
/// When the analysis or period is unknown, or the output cannot be written.
pub fn analyse(
    ws: &Workspace,
    name: &str,
    period: &str,
    region: Option<&str>,
    out: &Output,
) -> Result<()> {
    if name == "hot" {
        analysis::warm_up();
    }
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    let frames = analysis::run(&conn, &ws.config, name, &period, region.unwrap_or(""))?;
    out.write(&frames)
}

/// `rexian export push-list`: writes the period's 推送清单 (XLSX and Parquet) and prints
/// their paths.
///
/// # Errors
/// When the period is unknown, or a file cannot be written.
pub fn push_list(ws: &Workspace, period: &str, dir: Option<&Path>) -> Result<()> {
    for p in crate::export::push_list(ws, period, dir)? {
        println!("{}", p.display());
    }
    Ok(())
}

/// `rexian decide`: records the office's decision on a 重点督办 item.
///
/// # Errors
/// When the ticket is unknown or the warehouse cannot be written.
pub fn decide(ws: &Workspace, ticket: &str, decision: &str, by: Option<&str>) -> Result<()> {
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadWrite,
        warehouse::LOCK_WAIT,
    )?;
    let known: i64 = conn.query_row(
        "select count(*) from appeals where ticket_id = ?",
        [ticket],
        |r| r.get(0),
    )?;
    if known == 0 {
        bail!("no appeal {ticket:?} in the warehouse; copy the 工单编号 from `rexian analyse supervision`");
    }
    conn.execute(
        crate::sql::OPS_DECISION.text,
        duckdb::params![ticket, decision, Utc::now().to_rfc3339(), by],
    )?;
    eprintln!("recorded the decision on {ticket}");
    Ok(())
}
