//! The run ledger (`run_ledger` in the warehouse): one row per attempt of a job for a period.
//!
//! A row is written `running` and committed before the work starts, and finished after it, so
//! a process killed in between leaves a trace that [`repair`] turns into `interrupted`.

use anyhow::{Context, Result};
use chrono::{DateTime, TimeZone, Utc};
use duckdb::{params, Connection};

use super::job::Job;
use crate::sql;

/// How an attempt ended (or that it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Started and not finished: running now, or killed.
    Running,
    /// Done.
    Succeeded,
    /// Failed with an error; retried with backoff up to `[schedule] max_attempts`.
    Failed,
    /// Stopped by a signal or a kill before it finished; due again at once.
    Interrupted,
}

impl Status {
    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "succeeded" => Status::Succeeded,
            "failed" => Status::Failed,
            "interrupted" => Status::Interrupted,
            _ => Status::Running,
        }
    }
}

/// Why an attempt was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Due by the schedule (including catching up after downtime).
    Schedule,
    /// A retry after a failure.
    Retry,
    /// `rexian run` of a period not yet done.
    Manual,
    /// `rexian run --force` of a period already done.
    Forced,
}

impl Trigger {
    /// The word stored in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::Retry => "retry",
            Trigger::Manual => "manual",
            Trigger::Forced => "forced",
        }
    }
}

/// One attempt as the ledger holds it.
#[derive(Debug, Clone)]
pub struct Run {
    /// Ledger id.
    pub run_id: i64,
    /// The job's name.
    pub job: String,
    /// The period (or load, or scan moment).
    pub period: String,
    /// 1, 2, … for the same job and period.
    pub attempt: i64,
    /// How it ended.
    pub status: Status,
    /// Why it started.
    pub trigger: String,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it finished.
    pub finished: Option<DateTime<Utc>>,
    /// Files written, loads made.
    pub outputs: Vec<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// Every attempt, oldest first.
///
/// # Errors
/// DuckDB's error.
pub fn runs(conn: &Connection) -> Result<Vec<Run>> {
    let mut stmt = conn.prepare(sql::SCHEDULE_RUNS.text)?;
    let rows = stmt.query_map([], |r| {
        let outputs: String = r.get(8)?;
        Ok(Run {
            run_id: r.get(0)?,
            job: r.get(1)?,
            period: r.get(2)?,
            attempt: r.get(3)?,
            status: Status::parse(&r.get::<_, String>(4)?),
            trigger: r.get(5)?,
            started: epoch(r.get(6)?),
            finished: r.get::<_, Option<f64>>(7)?.map(epoch),
            outputs: outputs
                .lines()
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            error: r.get(9)?,
        })
    })?;
    rows.collect::<duckdb::Result<Vec<_>>>()
        .context("reading the run ledger")
}

fn epoch(seconds: f64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt((seconds * 1000.0).round() as i64)
        .single()
        .unwrap_or_default()
}

/// Records the start of an attempt and returns its run id.
///
/// # Errors
/// DuckDB's error.
pub fn begin(
    conn: &Connection,
    job: Job,
    period: &str,
    trigger: Trigger,
    now: DateTime<Utc>,
) -> Result<i64> {
    let (run_id, attempt): (i64, i64) = conn.query_row(
        sql::SCHEDULE_RUN_NEXT.text,
        params![job.name(), period],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.execute(
        sql::SCHEDULE_RUN_BEGIN.text,
        params![
            run_id,
            job.name(),
            period,
            attempt,
            trigger.as_str(),
            now.to_rfc3339(),
            std::process::id(),
            crate::VERSION
        ],
    )
    .context("recording the start of a run")?;
    Ok(run_id)
}

/// Records how an attempt ended.
///
/// # Errors
/// DuckDB's error.
pub fn finish(
    conn: &Connection,
    run_id: i64,
    status: Status,
    outputs: &[String],
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let list = duckdb::types::Value::List(
        outputs
            .iter()
            .map(|o| duckdb::types::Value::Text(o.clone()))
            .collect(),
    );
    conn.execute(
        sql::SCHEDULE_RUN_FINISH.text,
        params![status.as_str(), now.to_rfc3339(), list, error, run_id],
    )
    .context("recording the end of a run")?;
    Ok(())
}

/// Marks every `running` row as `interrupted`: called only while holding the job lock, when
/// no job can be running, so those rows are traces of a killed process. Returns them.
///
/// # Errors
/// DuckDB's error.
pub fn repair(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(sql::SCHEDULE_RUN_REPAIR.text)?;
    let rows = stmt.query_map([now.to_rfc3339()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<duckdb::Result<Vec<_>>>()?)
}
