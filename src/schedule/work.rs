//! What each job does, and one attempt of a job recorded in the run ledger.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use super::clock::Clock;
use super::job::Job;
use super::ledger::{self, Status, Trigger};
use super::plan::{Facts, Plan};
use crate::config::Workspace;
use crate::ingest::{self, FileError, Loader, Outcome};
use crate::period::Period;
use crate::report;
use crate::{sql, warehouse};

/// What an attempt produced.
#[derive(Debug, Clone, Default)]
pub struct Done {
    /// Files written, loads made, files archived or rejected.
    pub outputs: Vec<String>,
    /// Stopped by a signal before all of its work was done (what was done is kept).
    pub interrupted: bool,
}

/// Opens the warehouse for one short step of the scheduler's own (the ledger, the plan).
fn open(ws: &Workspace) -> Result<duckdb::Connection> {
    warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadWrite,
        warehouse::LOCK_WAIT,
    )
}

/// Repairs what a killed process left (ledger rows still `running`, lake months not yet
/// rewritten), then works out the plan. Call it holding the job lock.
///
/// # Errors
/// When the warehouse cannot be opened or read.
pub fn evaluate(ws: &Workspace, clock: &Clock) -> Result<Plan> {
    let conn = open(ws)?;
    for (job, period) in ledger::repair(&conn, clock.now())? {
        tracing::warn!(%job, %period, "found a run cut short by a stopped process; it is due again");
    }
    let pending: i64 = conn.query_row("select count(*) from lake_pending", [], |r| r.get(0))?;
    if pending > 0 {
        tracing::warn!(
            months = pending,
            "a load was cut short before its lake partitions were written; writing them now"
        );
        crate::lake::sync(&conn, &ws.lake_path())?;
    }
    Ok(read_plan(&conn, ws, clock)?.0)
}

/// The plan and the ledger as they stand, read without changing anything (for `rexian
/// status`, which must not repair while a job may be running).
///
/// # Errors
/// When the warehouse cannot be read.
pub fn read_plan(
    conn: &duckdb::Connection,
    ws: &Workspace,
    clock: &Clock,
) -> Result<(Plan, Vec<ledger::Run>)> {
    let mut facts = conn.query_row(sql::SCHEDULE_FACTS.text, [], |r| {
        let day = |s: Option<String>| s.and_then(|s| s.parse().ok());
        Ok(Facts {
            latest_load: r.get(0)?,
            newest_as_of: day(r.get(1)?),
            needs_refresh: r.get(2)?,
            first_day: day(r.get(3)?),
        })
    })?;
    // Marts built by an older rexian are rebuilt as if a load had come in.
    facts.needs_refresh |= facts.latest_load > 0 && !crate::export::marts_current(conn)?;
    let runs = ledger::runs(conn)?;
    Ok((Plan::make(&ws.config, &facts, &runs, clock.now()), runs))
}

/// Runs one attempt of `job` for `period` and records it in the run ledger (started before
/// the work, finished after it). A failing job is an outcome, not an error.
///
/// # Errors
/// Only when the run ledger itself cannot be written.
pub fn attempt(
    ws: &Workspace,
    clock: &Clock,
    job: Job,
    period: &str,
    trigger: Trigger,
    stop: &AtomicBool,
) -> Result<(Status, Done, Option<String>)> {
    let run_id = ledger::begin(&open(ws)?, job, period, trigger, clock.now())?;
    tracing::info!(%job, period, run_id, trigger = trigger.as_str(), "started");
    let started = std::time::Instant::now();
    let result = execute(ws, job, period, stop);
    let (status, done, error) = match result {
        Ok(done) if done.interrupted => (
            Status::Interrupted,
            done,
            Some("stopped by a signal before it finished; due again".to_string()),
        ),
        Ok(done) => (Status::Succeeded, done, None),
        Err(e) => {
            let mut text = format!("{e:#}");
            if let Some(hint) = crate::fsutil::disk_full_hint(&e, &ws.written_folders()) {
                text = format!("{text}. {hint}");
            }
            (Status::Failed, Done::default(), Some(text))
        }
    };
    ledger::finish(
        &open(ws)?,
        run_id,
        status,
        &done.outputs,
        error.as_deref(),
        clock.now(),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    match status {
        Status::Failed => tracing::error!(
            %job, period, run_id, seconds, "failed: {}", error.as_deref().unwrap_or("")
        ),
        _ => tracing::info!(
            %job, period, run_id, seconds, outputs = done.outputs.len(), status = status.as_str(), "finished"
        ),
    }
    Ok((status, done, error))
}

/// Does the work of one job for one period.
///
/// # Errors
/// Whatever stops the job: a missing period, a failing report, a warehouse failure.
pub fn execute(ws: &Workspace, job: Job, period: &str, stop: &AtomicBool) -> Result<Done> {
    // Fault injection for the scheduler's tests: this job fails every time.
    if crate::fault(&format!("fail-job:{}", job.name())) {
        anyhow::bail!("injected failure of the {job} job (REXIAN_FAULT)");
    }
    match job {
        Job::Inbox => {
            let settle = Duration::from_secs(ws.config.schedule.settle_seconds);
            load_inbox(ws, &settled_files(ws, settle)?.0, stop)
        }
        Job::Refresh => {
            let crate::refresh::Rebuilt {
                built,
                checks,
                opened,
                classifier,
            } = crate::refresh::rebuild(ws)?;
            let mut outputs = vec![format!("{} models built", built.len())];
            outputs.extend(classifier.describe());
            if !opened.is_empty() {
                outputs.push(format!(
                    "{} case(s) opened by auto_open: {}",
                    opened.len(),
                    opened.join(", ")
                ));
            }
            for c in checks.iter().filter(|c| !c.passed()) {
                tracing::warn!(check = %c.name, rows = c.failing, "a data check failed; see `rexian check`");
                outputs.push(format!("check {} failed: {} row(s)", c.name, c.failing));
            }
            Ok(Done {
                outputs,
                interrupted: false,
            })
        }
        Job::Monthly | Job::Quarterly | Job::PilotSummary => reports(ws, period, stop),
        Job::Casework => {
            let day: chrono::NaiveDate = period
                .parse()
                .with_context(|| format!("the casework job's period {period:?} is not a day"))?;
            let written = crate::commands::case::write_reminder(ws, day, None)?;
            Ok(Done {
                outputs: written
                    .map(|(r, p)| {
                        vec![
                            p.display().to_string(),
                            format!(
                                "{} case(s) near or past their deadline ({} past), {} pushed item(s) without feedback",
                                r.cases.rows.len(),
                                r.overdue(),
                                r.unanswered.rows.len()
                            ),
                        ]
                    })
                    .unwrap_or_else(|| vec!["no case yet, nothing pushed".into()]),
                interrupted: false,
            })
        }
        Job::PushList => {
            let paths = crate::export::push_list(ws, period, None)?;
            Ok(Done {
                outputs: paths.iter().map(|p| p.display().to_string()).collect(),
                interrupted: false,
            })
        }
    }
}

fn reports(ws: &Workspace, period: &str, stop: &AtomicBool) -> Result<Done> {
    let conn = crate::export::open_marts(ws)?;
    let p = Period::resolve(&conn, &ws.config, period)?;
    let dir = ws.path(&ws.config.paths.reports);
    let mut done = Done::default();
    for (kind, _, region) in report::issued_by(&ws.config, p.key) {
        if stop.load(Ordering::SeqCst) {
            done.interrupted = true;
            break;
        }
        let path = report::write(ws, &conn, kind, &p, &region, &dir)?;
        done.outputs.push(path.display().to_string());
    }
    Ok(done)
}

/// The extracts in the inbox that have not changed for `settle` (oldest name first), and
/// how long until the next of the others settles.
///
/// # Errors
/// When the inbox cannot be listed.
pub fn settled_files(ws: &Workspace, settle: Duration) -> Result<(Vec<PathBuf>, Option<Duration>)> {
    let inbox = ws.path(&ws.config.paths.inbox);
    if !inbox.is_dir() {
        return Ok((Vec::new(), None));
    }
    let mut ready = Vec::new();
    let mut next: Option<Duration> = None;
    for f in ingest::expand_paths(std::slice::from_ref(&inbox))? {
        let modified = std::fs::metadata(&f)
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let age = SystemTime::now()
            .duration_since(modified)
            .unwrap_or(Duration::ZERO);
        if age >= settle {
            ready.push(f);
        } else {
            let wait = settle - age;
            next = Some(next.map_or(wait, |n| n.min(wait)));
        }
    }
    Ok((ready, next))
}

/// Loads the files, moving each loaded (or already loaded) one to the archive and each
/// refused one to the rejected folder with a `.reason.txt` beside it.
fn load_inbox(ws: &Workspace, files: &[PathBuf], stop: &AtomicBool) -> Result<Done> {
    let mut done = Done::default();
    if files.is_empty() {
        return Ok(done);
    }
    let encoding = ws
        .config
        .ingest
        .encoding
        .parse()
        .map_err(anyhow::Error::msg)?;
    let mut loader = Loader::open(
        ws,
        ingest::Options {
            encoding,
            as_of: None,
            force: false,
            progress: false,
        },
    )?;
    let archive = ws.path(&ws.config.paths.archive);
    let rejected = ws.path(&ws.config.paths.rejected);
    for f in files {
        if stop.load(Ordering::SeqCst) {
            done.interrupted = true;
            break;
        }
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match loader.load_file(f) {
            Ok(Outcome::Loaded(s)) => {
                let to = move_into(f, &archive)?;
                tracing::info!(file = %name, load_id = s.load_id, inserted = s.inserted, updated = s.updated, rejected_rows = s.rejected, "loaded and archived");
                done.outputs
                    .push(format!("load {}: {name} → {}", s.load_id, to.display()));
            }
            Ok(Outcome::AlreadyLoaded { load_id, .. }) => {
                let to = move_into(f, &archive)?;
                done.outputs
                    .push(format!("already load {load_id}: {name} → {}", to.display()));
            }
            Ok(Outcome::Refused { error, .. }) => {
                let to = reject(f, &rejected, &error)?;
                done.outputs
                    .push(format!("rejected: {name} → {}", to.display()));
            }
            Err(error) if matches!(error.downcast_ref(), Some(FileError::Changed { .. })) => {
                // Still being copied in: it stays in the inbox and is loaded once it settles.
                tracing::warn!(file = %name, "left in the inbox: {error:#}");
                done.outputs
                    .push(format!("still changing, left in the inbox: {name}"));
            }
            Err(error) if error.downcast_ref::<FileError>().is_some() => {
                let to = reject(f, &rejected, &error)?;
                tracing::warn!(file = %name, "refused and moved to {}: {error:#}", to.display());
                done.outputs
                    .push(format!("rejected: {name} → {}", to.display()));
            }
            Err(error) => return Err(error).with_context(|| format!("loading {name}")),
        }
    }
    loader.sync_lake()?;
    Ok(done)
}

/// Writes the reason beside the refused file's new place, then moves it there.
fn reject(file: &Path, dir: &Path, error: &anyhow::Error) -> Result<PathBuf> {
    let to = free_name(file, dir)?;
    let reason = format!(
        "{} was not loaded (checked {}).\n\n{error:#}\n\nNothing of this file is in the \
         warehouse. Correct the file (or export it again from the hotline system) and put it \
         back into the inbox; it is loaded at the next scan.\n",
        file.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
    );
    let mut reason_path = to.clone().into_os_string();
    reason_path.push(".reason.txt");
    crate::fsutil::write_atomic(Path::new(&reason_path), reason.as_bytes())?;
    rename(file, &to)?;
    Ok(to)
}

fn move_into(file: &Path, dir: &Path) -> Result<PathBuf> {
    let to = free_name(file, dir)?;
    rename(file, &to)?;
    Ok(to)
}

/// `dir/name`, or `dir/stem.N.ext` when that is taken (an extract sent twice under one name).
fn free_name(file: &Path, dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = file.file_name().context("a file without a name")?;
    let mut to = dir.join(name);
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = file.extension().map(|s| s.to_string_lossy().into_owned());
    let mut n = 1;
    while to.exists() {
        let candidate = match &ext {
            Some(e) => format!("{stem}.{n}.{e}"),
            None => format!("{stem}.{n}"),
        };
        to = dir.join(candidate);
        n += 1;
    }
    Ok(to)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    // Another file system (an inbox on a mounted share): copy, then remove.
    let tmp = crate::fsutil::temp_beside(to);
    std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::rename(&tmp, to))
        .and_then(|()| std::fs::remove_file(from))
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))
}

/// The newest period of a periodic job that has ended by `today` (what `rexian run JOB`
/// issues when no period is given).
pub fn latest_ended(job: Job, ws: &Workspace, today: chrono::NaiveDate) -> Option<String> {
    job.periods(&ws.config, today)
        .into_iter()
        .rfind(|p| p.end() <= today)
        .map(|p| p.to_string())
}
