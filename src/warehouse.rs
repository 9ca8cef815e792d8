//! The DuckDB warehouse file: opening it (waiting politely when another process holds it),
//! creating its tables, and refreshing the reference dimensions.
//!
//! DuckDB lets one process open a file for writing and then nobody else, not even to read, so
//! every command opens the warehouse for one job and closes it after.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use duckdb::{params, AccessMode, Config, Connection};

use crate::reference::{split_aliases, Reference};
use crate::sql;

/// How long a command waits for another rexian process to release the warehouse.
pub const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Read-write or read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Loading and refreshing.
    ReadWrite,
    /// Analysts' queries.
    ReadOnly,
}

/// Whether the warehouse has a table or view of this name (sql/ops/relation_exists.sql).
///
/// # Errors
/// When the catalog cannot be read.
pub fn has_relation(conn: &Connection, name: &str) -> Result<bool> {
    let n: i64 = conn.query_row(crate::sql::OPS_RELATION_EXISTS.text, [name], |r| r.get(0))?;
    Ok(n > 0)
}

/// Opens the warehouse file, creating it (and its folder) when writing. When another process
/// holds the file, waits up to `wait`, saying so once, instead of failing.
///
/// # Errors
/// When the file cannot be opened within the wait, or is not a DuckDB database.
pub fn open(path: &Path, access: Access, wait: Duration) -> Result<Connection> {
    if access == Access::ReadWrite {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
    } else if !path.exists() {
        anyhow::bail!(
            "the warehouse {} does not exist yet; load an extract first with `rexian ingest FILE`",
            path.display()
        );
    }
    let started = Instant::now();
    let mut told = false;
    loop {
        let config = Config::default().access_mode(if access == Access::ReadOnly {
            AccessMode::ReadOnly
        } else {
            AccessMode::ReadWrite
        })?;
        match Connection::open_with_flags(path, config) {
            Ok(mut conn) => {
                // The tables rexian keeps are created, or brought to this binary's schema
                // version, by the migrations; a newer warehouse is refused either way.
                if access == Access::ReadWrite {
                    crate::migrate::run(&mut conn, path)?;
                } else {
                    crate::migrate::check_known(&conn, path)?;
                }
                return Ok(conn);
            }
            Err(e) if is_lock_error(&e) && started.elapsed() < wait => {
                if !told {
                    tracing::warn!(
                        "the warehouse {} is in use by another rexian process; waiting up to {} s",
                        path.display(),
                        wait.as_secs()
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => {
                let hint = if is_lock_error(&e) {
                    "\nAnother process kept it busy for too long; try again when it has finished."
                } else {
                    ""
                };
                return Err(e).with_context(|| {
                    format!("cannot open the warehouse {}{hint}", path.display())
                });
            }
        }
    }
}

/// Opens the workspace's warehouse for writing (waiting [`LOCK_WAIT`] for another writer),
/// with its engine settings, and rebuilds the reference dimensions from `reference`: what
/// every writer (a load, a refresh) needs first.
///
/// # Errors
/// When the warehouse cannot be opened or the reference data not written.
pub fn open_for_writing(
    ws: &crate::config::Workspace,
    reference: &Reference,
) -> Result<Connection> {
    let mut conn = open(&ws.warehouse_path(), Access::ReadWrite, LOCK_WAIT)?;
    apply_settings(&conn, &ws.config.warehouse)?;
    let tx = conn.transaction()?;
    sync_reference(&tx, reference)?;
    tx.commit()?;
    Ok(conn)
}

/// Applies the workspace's engine settings to a connection.
///
/// # Errors
/// DuckDB's error for a bad setting.
pub fn apply_settings(
    conn: &Connection,
    settings: &crate::config::WarehouseSettings,
) -> Result<()> {
    // Validated in the configuration; a size has no quote in it.
    conn.execute_batch(&format!(
        "set memory_limit = '{}'",
        settings.memory_limit.replace('\'', "")
    ))
    .context("applying [warehouse] memory_limit")
}

fn is_lock_error(e: &duckdb::Error) -> bool {
    let m = e.to_string();
    m.contains("Could not set lock") || m.contains("Conflicting lock")
}

/// Rebuilds the reference dimensions (regions, fields, departments, holidays, working days)
/// from the reference data, in the caller's transaction.
///
/// # Errors
/// DuckDB's error.
pub fn sync_reference(conn: &Connection, r: &Reference) -> Result<()> {
    sql::run(conn, sql::WAREHOUSE_REFERENCE, &[])?;
    {
        let mut a = conn.appender("dim_region")?;
        for x in &r.regions {
            a.append_row(params![
                x.code,
                x.name,
                x.kind,
                x.is_pilot,
                x.population_10k
            ])?;
        }
    }
    {
        let mut a = conn.appender("dim_region_alias")?;
        for x in &r.regions {
            for alias in [x.name.as_str(), x.code.as_str()]
                .into_iter()
                .chain(split_aliases(&x.aliases))
            {
                a.append_row(params![alias, x.code])?;
            }
        }
    }
    {
        let mut a = conn.appender("dim_field")?;
        for f in &r.fields {
            a.append_row(params![f.code, f.name, f.department_suffix, f.keywords])?;
        }
    }
    {
        let mut a = conn.appender("dim_department")?;
        for d in &r.departments {
            a.append_row(params![d.name, d.region_code, d.field_code, d.aliases])?;
        }
    }
    {
        let mut a = conn.appender("dim_holiday")?;
        for h in &r.holidays {
            a.append_row(params![h.date.to_string(), h.kind, h.name])?;
        }
    }
    sql::run(conn, sql::WAREHOUSE_DIM_DATE, &[])?;
    // The tables were just recreated: their comments (the data dictionary) go back on.
    crate::dictionary::apply(conn)?;
    Ok(())
}
