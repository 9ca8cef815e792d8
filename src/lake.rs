//! The Parquet lake: `lake/appeals/year=YYYY/month=MM/appeals.parquet`, the open copy of the
//! warehouse that any engine reads.
//!
//! A load records the months it touched in `lake_pending` inside its own transaction; this
//! module rewrites exactly those partitions, each to a temporary name and then renamed into
//! place, and only then forgets them. A crash in between leaves the month pending, and the
//! next run rewrites it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::Connection;

use crate::sql;

/// Name of the one file in each partition.
const PART_FILE: &str = "appeals.parquet";

/// The folder of one month's partition.
pub fn partition_dir(lake: &Path, table: &str, year: i32, month: u32) -> PathBuf {
    lake.join(table)
        .join(format!("year={year:04}"))
        .join(format!("month={month:02}"))
}

/// What a lake sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Partitions rewritten, as (year, month, rows).
    pub written: Vec<(i32, u32, u64)>,
    /// Partitions removed because the month no longer has rows.
    pub removed: Vec<(i32, u32)>,
}

/// Rewrites every pending partition, two at a time (each on a connection of its own): a
/// month of one load is one row group, which DuckDB writes on one thread. DuckDB's threads
/// are set for the writers meanwhile (see [`engine_threads`]) and left at their default after.
///
/// # Errors
/// When a partition cannot be written; that month then stays pending (the others written
/// meanwhile are done and forgotten).
pub fn sync(conn: &Connection, lake: &Path) -> Result<SyncReport> {
    remove_stray_temporaries(&lake.join("appeals"));
    let mut stmt = conn.prepare(
        "select distinct year, month from lake_pending where table_name = 'appeals' order by 1, 2",
    )?;
    let months: Vec<(i32, u32)> = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i32>(0)?, r.get::<_, i32>(1)? as u32))
        })?
        .collect::<Result<_, _>>()?;
    let writers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 2)
        .min(months.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<(usize, Result<Written>)>> = std::sync::Mutex::new(Vec::new());
    let mut connections = Vec::with_capacity(writers);
    for _ in 0..writers {
        connections.push(conn.try_clone()?);
    }
    conn.execute_batch(&format!("set threads = {}", engine_threads(writers.max(1))))?;
    std::thread::scope(|s| {
        for c in connections {
            let (next, done, months) = (&next, &done, &months);
            s.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(year, month)) = months.get(i) else {
                    break;
                };
                let result = write_month(&c, lake, year, month);
                let failed = result.is_err();
                done.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((i, result));
                if failed {
                    // The rest stay pending for the next run.
                    next.store(months.len(), std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    conn.execute_batch("reset threads")?;
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(i, _)| *i);
    let mut report = SyncReport::default();
    let mut first_error = None;
    for (i, result) in done {
        let (year, month) = months[i];
        match result {
            Ok(Written::Rows(rows)) => report.written.push((year, month, rows)),
            Ok(Written::Removed) => report.removed.push((year, month)),
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        }
        conn.execute(
            "delete from lake_pending where table_name = 'appeals' and year = ? and month = ?",
            duckdb::params![year, month as i32],
        )?;
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// DuckDB's threads while `writers` threads write months: one per core left, counting each
/// writer's own. A writer's thread runs its query's work itself; a thread of DuckDB's pool
/// beyond the cores only takes turns with the writers, and a writer whose work a pool thread
/// holds polls for it meanwhile. On two cores the twelve months of the issue-15 benchmark
/// took 3.2, 2.3 and 2.4 s with one thread against 4.5, 3.8 and 3.4 s with two (the same
/// bytes), that polling writer burning most of a core. A lone writer keeps the pool: the
/// 1 M-row file's one month took 2.4–2.5 s on two threads against 3.3–3.5 s on one.
fn engine_threads(writers: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores + 1).saturating_sub(writers).max(1)
}

/// What writing one month's partition did.
enum Written {
    /// The partition was rewritten with this many rows.
    Rows(u64),
    /// The month has no rows any more: its partition was removed.
    Removed,
}

/// Rewrites one month's partition: to a temporary name beside it, synced, then renamed into
/// place, so that a reader sees the old file or the new one.
fn write_month(conn: &Connection, lake: &Path, year: i32, month: u32) -> Result<Written> {
    let dir = partition_dir(lake, "appeals", year, month);
    let start = format!("{year:04}-{month:02}-01 00:00:00");
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let end = format!("{ny:04}-{nm:02}-01 00:00:00");
    // The bounds are our own formatted timestamps, so they can stand in the text (COPY
    // takes no parameters).
    let query = sql::LAKE_APPEALS_MONTH
        .text
        .replace("$1", &format!("'{start}'"))
        .replace("$2", &format!("'{end}'"));
    let rows: u64 = conn
        .query_row(&format!("select count(*) from ({query})"), [], |r| {
            r.get::<_, i64>(0)
        })
        .with_context(|| format!("counting the rows of lake partition {year}-{month:02}"))?
        as u64;
    let target = dir.join(PART_FILE);
    if rows == 0 {
        if target.exists() {
            std::fs::remove_file(&target)
                .with_context(|| format!("cannot remove {}", target.display()))?;
            let _ = std::fs::remove_dir(&dir);
        }
        return Ok(Written::Removed);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = crate::fsutil::temp_beside(&target);
    let copy = format!(
        "copy ({query}) to '{}' (format parquet, compression zstd, row_group_size 122880)",
        tmp.display().to_string().replace('\'', "''")
    );
    let written = conn
        .execute_batch(&copy)
        .with_context(|| format!("writing {}", tmp.display()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", tmp.display()))?;
    std::fs::rename(&tmp, &target)
        .with_context(|| format!("cannot move {} into place", target.display()))?;
    tracing::info!(year, month, rows, "lake partition written");
    Ok(Written::Rows(rows))
}

/// Temporary files left by a crash mid-write are never part of the lake.
fn remove_stray_temporaries(root: &Path) {
    let Ok(years) = std::fs::read_dir(root) else {
        return;
    };
    for y in years.flatten() {
        let Ok(months) = std::fs::read_dir(y.path()) else {
            continue;
        };
        for m in months.flatten() {
            let Ok(files) = std::fs::read_dir(m.path()) else {
                continue;
            };
            for f in files.flatten() {
                if f.file_name().to_string_lossy().contains(".tmp-") {
                    tracing::info!(file = %f.path().display(), "removing a temporary file left by an interrupted run");
                    let _ = std::fs::remove_file(f.path());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_and_duckdbs_pool_fill_the_cores_and_no_more() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for writers in 1..=cores {
            // A writer's own thread plus the pool's threads beyond the first.
            assert_eq!(
                writers + engine_threads(writers) - 1,
                cores,
                "{writers} writers"
            );
        }
        assert_eq!(engine_threads(cores + 1), 1);
    }

    #[test]
    fn a_sync_leaves_duckdbs_threads_at_their_default() {
        let mut conn = Connection::open_in_memory().expect("an in-memory database");
        crate::migrate::run(&mut conn, Path::new(":memory:")).expect("the schema");
        let threads = |c: &Connection| -> i64 {
            c.query_row("select current_setting('threads')", [], |r| r.get(0))
                .expect("the setting")
        };
        let default = threads(&conn);
        conn.execute_batch(
            "insert into lake_pending values ('appeals', 2024, 3), ('appeals', 2024, 4)",
        )
        .expect("two months owed");
        let lake = tempfile::tempdir().expect("a folder");
        let report = sync(&conn, lake.path()).expect("synced");
        // Neither month has rows: both partitions are (already) gone, and nothing is owed.
        assert_eq!(report.removed, vec![(2024, 3), (2024, 4)]);
        assert_eq!(threads(&conn), default);
        let owed: i64 = conn
            .query_row("select count(*) from lake_pending", [], |r| r.get(0))
            .expect("counted");
        assert_eq!(owed, 0);
    }
}
