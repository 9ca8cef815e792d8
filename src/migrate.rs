//! The warehouse's schema version and its migrations: the files `sql/migrations/NNN_name.sql`,
//! applied in order, each once, in one transaction, after the database file is copied aside.
//!
//! A warehouse records in `schema_migrations` every migration it has had; its version is the
//! highest. One made before versions existed (it has `appeals` but no `schema_migrations`) is
//! at version 1, the tables of `001_initial.sql`. Only the tables rexian keeps (appeals, the
//! ledgers, decisions) are migrated: reference tables are rebuilt on every load and models on
//! every refresh. A warehouse newer than this binary is refused, naming both versions.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use duckdb::{params, Connection, OptionalExt};

use crate::sql;

/// The migration that made the 督办台账's register a table (006_case_register.sql).
const CASE_REGISTER: i64 = 6;

/// One migration: its number, its file name and its SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// NNN of the file name.
    pub version: i64,
    /// The file name, e.g. `002_load_ledger_schema_version.sql`.
    pub name: &'static str,
    /// Its statements.
    pub text: &'static str,
}

/// Every migration, in order of version.
///
/// # Panics
/// Never at run time: the file names are checked by a unit test.
pub fn migrations() -> Vec<Migration> {
    sql::files_under("migrations/")
        .filter(|(path, _)| path.ends_with(".sql"))
        .map(|(path, text)| {
            let name = path.trim_start_matches("migrations/");
            let version = name
                .split('_')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            Migration {
                version,
                name,
                text,
            }
        })
        .collect()
}

/// The schema version this binary writes: its last migration's.
pub fn latest() -> i64 {
    migrations().last().map_or(0, |m| m.version)
}

/// What [`run`] did to a warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// The version it had.
    pub from: i64,
    /// The version it has now.
    pub to: i64,
    /// The copy of the file taken before (none for a new warehouse).
    pub backup: Option<PathBuf>,
}

/// The schema version of an open warehouse: 0 when it is new, 1 when it predates versions.
///
/// # Errors
/// DuckDB's error.
pub fn version(conn: &Connection) -> Result<i64> {
    let has = |table: &str| crate::warehouse::has_relation(conn, table);
    if has("schema_migrations")? {
        let v: Option<i64> = conn
            .query_row("select max(version) from schema_migrations", [], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        if let Some(v) = v {
            return Ok(v);
        }
    }
    Ok(if has("appeals")? { 1 } else { 0 })
}

/// Refuses a warehouse written by a newer rexian, whose tables this binary does not know.
///
/// # Errors
/// When the warehouse is newer, saying both versions and what to do.
pub fn check_known(conn: &Connection, path: &Path) -> Result<i64> {
    let (have, know) = (version(conn)?, latest());
    if have > know {
        bail!(
            "the warehouse {} has schema version {have}, and this rexian ({}) knows versions up \
             to {know}: it was written by a newer rexian. Run that version (or newer), or \
             restore a backup made before the upgrade",
            path.display(),
            crate::VERSION
        );
    }
    Ok(have)
}

/// Brings an open warehouse (at `path`, opened for writing) to the latest schema version: the
/// file is checkpointed and copied aside (`rexian.duckdb.schema-vN.bak`), then every missing
/// migration runs in one transaction, each recorded in `schema_migrations`. Returns what was
/// done, or `None` when the warehouse was already current.
///
/// # Errors
/// When the warehouse is newer than this binary, the copy cannot be written, or a migration
/// fails (the transaction is rolled back; the warehouse stays as it was).
pub fn run(conn: &mut Connection, path: &Path) -> Result<Option<Migrated>> {
    sql::run(conn, sql::WAREHOUSE_SCHEMA_MIGRATIONS, &[])?;
    let from = check_known(conn, path)?;
    let to = latest();
    if from == to {
        return Ok(None);
    }
    let backup = if from > 0 {
        Some(copy_aside(conn, path, from)?)
    } else {
        None
    };
    let tx = conn.transaction()?;
    if from == 1 && version_rows(&tx)? == 0 {
        // A warehouse from before versions: its tables are migration 1's.
        record(&tx, migrations()[0])?;
    }
    for m in migrations().into_iter().filter(|m| m.version > from) {
        sql::run(
            &tx,
            sql::Script {
                name: m.name,
                text: m.text,
            },
            &[],
        )
        .with_context(|| format!("migrating the warehouse to schema version {}", m.version))?;
        record(&tx, m)?;
    }
    if from > 0 && from < CASE_REGISTER {
        // The register table is derived from the log: a log kept before it is worked out
        // into it in the same transaction.
        crate::casework::register::rebuild(&tx)
            .context("migrating the warehouse: building the 督办台账's register")?;
    }
    tx.commit().context("committing the migration")?;
    if let Some(b) = &backup {
        tracing::info!(
            from,
            to,
            backup = %b.display(),
            "the warehouse was migrated; the copy from before is kept"
        );
    }
    Ok(Some(Migrated { from, to, backup }))
}

fn version_rows(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("select count(*) from schema_migrations", [], |r| r.get(0))?)
}

fn record(conn: &Connection, m: Migration) -> Result<()> {
    conn.execute(
        crate::sql::OPS_MIGRATION_RECORD.text,
        params![m.version, m.name, crate::VERSION],
    )?;
    Ok(())
}

/// Checkpoints the database (so the file holds everything) and copies it beside itself. An
/// earlier copy of the same version is kept: the new one gets the next free number.
fn copy_aside(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    conn.execute_batch("checkpoint")
        .context("checkpointing the warehouse before the migration")?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rexian.duckdb".into());
    let mut target = path.with_file_name(format!("{name}.schema-v{version}.bak"));
    let mut n = 2;
    while target.exists() {
        target = path.with_file_name(format!("{name}.schema-v{version}.{n}.bak"));
        n += 1;
    }
    crate::fsutil::copy_atomic(path, &target).with_context(|| {
        format!(
            "cannot copy the warehouse aside to {} before migrating it; free some space \
             and run the command again",
            target.display()
        )
    })?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        let all = migrations();
        assert!(all.len() >= 2);
        for (i, m) in all.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
            assert!(m.name.len() > 4 && &m.name[3..4] == "_", "{}", m.name);
        }
        assert_eq!(latest(), all.len() as i64);
    }
}
