//! The files rexian hands to others: the marts' read-only connection that every export and
//! report reads, and the month's 推送清单 for the hotline (XLSX for people, Parquet for
//! systems), written by `rexian export push-list` and the scheduler alike.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use duckdb::Connection;

use crate::analysis;
use crate::config::Workspace;
use crate::output::{self, CsvEncoding, Format};
use crate::period::Period;
use crate::warehouse;

/// A read-only connection to a refreshed warehouse.
///
/// # Errors
/// When the warehouse is missing or was never refreshed.
pub fn open_marts(ws: &Workspace) -> Result<Connection> {
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
    if !warehouse::has_relation(&conn, "mart_scores")? {
        bail!("the figures have not been built yet; run `rexian refresh` first");
    }
    if !marts_current(&conn)? {
        bail!(
            "the figures were built by another rexian (from other SQL, or before some of \
             this version's models existed); run `rexian refresh` once to rebuild them"
        );
    }
    Ok(conn)
}

/// Whether the marts were built from this build's SQL (sql/ops/marts_current.sql): every
/// model exists and was last built from the same file; marts built by another rexian need
/// one `rexian refresh`.
///
/// # Errors
/// When the catalog cannot be read.
pub fn marts_current(conn: &Connection) -> Result<bool> {
    // The build log's hashes came with a migration; a warehouse opened read-only before it
    // was migrated has none, and a refresh (which migrates) is what it needs.
    if crate::migrate::version(conn)? < crate::migrate::latest() {
        return Ok(false);
    }
    let models = crate::refresh::model_files()?;
    let names = models
        .iter()
        .map(|m| duckdb::types::Value::Text(m.name.clone()))
        .collect();
    let hashes = models
        .iter()
        .map(|m| duckdb::types::Value::Text(format!("{}:{}", m.name, m.sql_sha256())))
        .collect();
    Ok(conn.query_row(
        crate::sql::OPS_MARTS_CURRENT.text,
        [
            duckdb::types::Value::List(names),
            duckdb::types::Value::List(hashes),
        ],
        |r| r.get(0),
    )?)
}

/// Writes the graded appeals of a period with their suggested actions, as an XLSX workbook
/// and a Parquet file named after the period, into `dir` (default: the reports folder).
/// Returns their paths.
///
/// # Errors
/// When the period is unknown, or a file cannot be written.
pub fn push_list(ws: &Workspace, period: &str, dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    let dir = dir.map_or_else(|| ws.path(&ws.config.paths.reports), Path::to_path_buf);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Graded once into a temporary table: the workbook and the Parquet file read the same rows.
    conn.execute_batch("drop table if exists temp.push_list")?;
    conn.execute(
        &format!(
            "create temp table push_list as {}",
            analysis::query_text("grade")?
        ),
        duckdb::params![period.key, ""],
    )?;
    let frame =
        analysis::query(&conn, "推送清单", "select * from temp.push_list", &[])?.labelled()?;
    // The Parquet file is headed as the workbook is, by the dictionary's labels.
    let headed: Vec<String> = frame
        .columns
        .iter()
        .zip(frame.headers())
        .map(|(c, h)| format!("{} as {}", crate::sql::ident(c), crate::sql::ident(h)))
        .collect();
    let headed = format!("select {} from temp.push_list", headed.join(", "));
    let stem = format!("{} 12345热线执法诉求推送清单", period.label);
    let xlsx = dir.join(format!("{stem}.xlsx"));
    output::write(&[frame], Format::Xlsx, CsvEncoding::Utf8Bom, Some(&xlsx))?;
    let parquet = dir.join(format!("{stem}.parquet"));
    output::export_query(&conn, &headed, &parquet)?;
    Ok(vec![xlsx, parquet])
}
