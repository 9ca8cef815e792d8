//! `rexian run JOB [--period P] [--force]`: one job now, through the run ledger.

use std::sync::atomic::AtomicBool;

use anyhow::{bail, Result};

use super::Status;
use crate::config::Workspace;
use crate::schedule::ledger::{self, Trigger};
use crate::schedule::plan::State;
use crate::schedule::{daemon, lock, work, Clock, Job};

/// Runs `job` for `period` (default: the newest period that has ended; the latest load for
/// refresh; the inbox as it is), waiting for a job the daemon runs. A period already done
/// needs `force`.
///
/// # Errors
/// When the job is unknown, the period already done without `force`, the ledger cannot be
/// written, or the job failed (it is recorded in the ledger all the same).
pub fn run(ws: &Workspace, job: &str, period: Option<&str>, force: bool) -> Result<Status> {
    let job: Job = job.parse()?;
    let clock = Clock::from_env(ws.config.tz())?;
    let mut held = lock::job(ws, daemon::JOB_LOCK_WAIT)?;
    held.note("rexian run: looking at the ledger");
    let plan = work::evaluate(ws, &clock)?;
    let today = clock.local_now().date_naive();
    let period = match (job, period) {
        (Job::Inbox, _) => clock.local_now().format("%Y-%m-%d %H:%M:%S").to_string(),
        (Job::Refresh, _) => format!("load {}", plan.facts.latest_load),
        (Job::Casework, Some(p)) => match p.parse::<chrono::NaiveDate>() {
            Ok(day) => day.to_string(),
            Err(_) => bail!("{p:?} is not a day of the casework job: write one such as 2024-06-03"),
        },
        (Job::Casework, None) => today.to_string(),
        (_, Some(p)) => job.parse_period(p, &ws.config)?.to_string(),
        (_, None) => match work::latest_ended(job, ws, today) {
            Some(p) => p,
            None => bail!("no period of the {job} job has ended yet; give one with --period"),
        },
    };
    let done = plan
        .items
        .iter()
        .find(|i| i.job == job && i.period == period)
        .and_then(|i| match i.state {
            State::Done(run_id) => Some(run_id),
            _ => None,
        });
    let trigger = match (done, force) {
        (Some(run_id), false) => bail!(
            "{job} {period} was already done (run {run_id}; `rexian status` lists it). Add \
             --force to do it again"
        ),
        (Some(_), true) => Trigger::Forced,
        (None, _) => Trigger::Manual,
    };
    held.note(&format!("rexian run: {job} {period}"));
    let mut ws = ws.clone();
    if job == Job::Inbox {
        // By hand, every file in the inbox is meant, settled or not.
        ws.config.schedule.settle_seconds = 0;
    }
    let (status, done, error) =
        work::attempt(&ws, &clock, job, &period, trigger, &AtomicBool::new(false))?;
    for o in &done.outputs {
        println!("{o}");
    }
    match status {
        ledger::Status::Succeeded => {
            eprintln!("{job} {period}: done");
            Ok(Status::Success)
        }
        _ => {
            bail!(
                "{job} {period} {}: {}",
                status.as_str(),
                error.unwrap_or_default()
            )
        }
    }
}
