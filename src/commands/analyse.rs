//! `rexian indicators`, `rexian grade`, `rexian analyse`, `rexian export push-list` and
//! `rexian decide`: the figures and lists of one period, read from the marts.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::Utc;

use crate::analyse::{self, Period};
use crate::config::Workspace;
use crate::output::{self, CsvEncoding, Format};
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
    fn write(&self, frames: &[analyse::Frame]) -> Result<()> {
        output::write(frames, self.format, self.csv, self.path.as_deref())?;
        if let Some(p) = &self.path {
            eprintln!("wrote {}", p.display());
        }
        Ok(())
    }
}

/// A read-only connection to a refreshed warehouse.
///
/// # Errors
/// When the warehouse is missing or was never refreshed.
pub fn open_marts(ws: &Workspace) -> Result<duckdb::Connection> {
    if !ws.warehouse_path().exists() {
        bail!(
            "the warehouse {} does not exist yet; load extracts with `rexian ingest FILE` and \
             build the figures with `rexian refresh`",
            ws.warehouse_path().display()
        );
    }
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let built: i64 = conn.query_row(
        "select count(*) from information_schema.tables where table_name = 'mart_scores'",
        [],
        |r| r.get(0),
    )?;
    if built == 0 {
        bail!("the figures have not been built yet; run `rexian refresh` first");
    }
    Ok(conn)
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
        analyse::indicator_changes(&conn, &period, by, region)?
    } else {
        analyse::indicators(&conn, &period, by, region)?
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
    analyse::set_region(&conn, region.unwrap_or(""))?;
    let frame = analyse::grade(&conn, &period)?;
    if out.format == Format::Table && out.path.is_none() {
        let grades = frame.texts("分级");
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
        analyse::warm_up();
    }
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    analyse::set_region(&conn, region.unwrap_or(""))?;
    let frames = analyse::run(&conn, &ws.config, name, &period)?;
    out.write(&frames)
}

/// `rexian export push-list`: the graded appeals with suggested actions for the hotline, as
/// an XLSX workbook and a Parquet file named after the period.
///
/// # Errors
/// When the period is unknown, or a file cannot be written.
pub fn push_list(ws: &Workspace, period: &str, dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    let dir = dir.map_or_else(|| ws.path(&ws.config.paths.reports), Path::to_path_buf);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut frame = analyse::grade(&conn, &period)?;
    frame.title = "推送清单".into();
    let stem = format!("{} 12345热线执法诉求推送清单", period.label);
    let xlsx = dir.join(format!("{stem}.xlsx"));
    output::write(
        &[frame.clone()],
        Format::Xlsx,
        CsvEncoding::Utf8Bom,
        Some(&xlsx),
    )?;
    let parquet = dir.join(format!("{stem}.parquet"));
    write_parquet(&conn, &period, &parquet)?;
    Ok(vec![xlsx, parquet])
}

fn write_parquet(conn: &duckdb::Connection, period: &Period, path: &Path) -> Result<()> {
    let grade_sql = crate::sql::FILES
        .iter()
        .find(|(p, _)| *p == "analyses/grade.sql")
        .map(|(_, t)| *t)
        .context("sql/analyses/grade.sql is missing from this build")?;
    conn.execute_batch("drop table if exists temp.push_list")?;
    conn.execute(
        &format!("create temp table push_list as {grade_sql}"),
        duckdb::params![period.start.to_string(), period.end.to_string()],
    )?;
    let tmp = crate::fsutil::temp_beside(path);
    let target = crate::sql::literal(&tmp.to_string_lossy());
    let copied = conn.execute_batch(&format!(
        "copy temp.push_list to {target} (format parquet, compression zstd)"
    ));
    if let Err(e) = copied {
        std::fs::remove_file(&tmp).ok();
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
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
        "insert into supervision_decisions values (?, ?, cast(? as timestamptz), ?)",
        duckdb::params![ticket, decision, Utc::now().to_rfc3339(), by],
    )?;
    eprintln!("recorded the decision on {ticket}");
    Ok(())
}
