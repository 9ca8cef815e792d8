//! One pass of the scheduler: everything due now, one job at a time, then what to wait for.
//! `rexian serve --once` is this pass; the daemon runs it in a child process at each wake-up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::job::Job;
use super::ledger::Trigger;
use super::plan::{Item, State};
use super::{lock, work};
use crate::config::Workspace;

/// How long a job waits for another (a `rexian run` beside the daemon).
pub const JOB_LOCK_WAIT: Duration = Duration::from_secs(6 * 3600);

/// What a pass leaves for the daemon to wait for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Next {
    /// The next moment the plan changes by itself (a due time, a retry).
    pub change: Option<DateTime<Utc>>,
    /// Milliseconds until a file in the inbox has settled.
    pub settle_ms: Option<u64>,
    /// Whether the pass was stopped by a signal.
    pub stopped: bool,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // A second signal: leave at once (every write is a transaction or a rename).
    if STOP.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(130) }
    }
}

/// Makes SIGINT and SIGTERM ask the pass to stop after its current unit of work, and returns
/// the flag they set.
pub fn stop_on_signals() -> &'static AtomicBool {
    let handler = on_signal as extern "C" fn(libc::c_int);
    // SAFETY: the handler only touches an atomic, or calls _exit.
    unsafe {
        libc::signal(libc::SIGTERM, handler as libc::sighandler_t);
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
    &STOP
}

/// Runs everything due now (the inbox first when it is scheduled, then refresh, then the
/// periods oldest first), each job recorded in the run ledger, until nothing is due or `stop`
/// is set. Returns what to wait for.
///
/// # Errors
/// When the warehouse or the ledger cannot be used; a failing job is recorded, not an error.
pub fn run_due(ws: &Workspace, clock: &Clock, stop: &AtomicBool) -> Result<Next> {
    let settle = Duration::from_secs(ws.config.schedule.settle_seconds);
    let inbox_on = Job::Inbox.cron(&ws.config).is_some();
    let mut job_lock = lock::job(ws, JOB_LOCK_WAIT)?;
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(Next {
                stopped: true,
                ..Next::default()
            });
        }
        job_lock.note("rexian serve: looking at what is due");
        // Repairs what a killed run left, then the plan.
        let plan = work::evaluate(ws, clock)?;
        let (ready, settle_wait) = if inbox_on {
            work::settled_files(ws, settle)?
        } else {
            (Vec::new(), None)
        };
        if !ready.is_empty() {
            // The inbox's own run: the period is the moment of the scan.
            let period = clock.local_now().format("%Y-%m-%d %H:%M:%S").to_string();
            job_lock.note(&format!("rexian serve: inbox {period}"));
            work::attempt(ws, clock, Job::Inbox, &period, Trigger::Schedule, stop)?;
            continue;
        }
        if let Some(Item {
            job, period, state, ..
        }) = plan.next_due().cloned()
        {
            let State::Due(trigger) = state else {
                unreachable!("next_due returns a due item")
            };
            job_lock.note(&format!("rexian serve: {job} {period}"));
            work::attempt(ws, clock, job, &period, trigger, stop)?;
            continue;
        }
        for i in &plan.items {
            match &i.state {
                State::Waiting(why) => {
                    tracing::debug!(job = %i.job, period = %i.period, "waiting: {why}")
                }
                State::GaveUp { failures } => tracing::warn!(
                    job = %i.job, period = %i.period, failures,
                    "failed and given up; fix the cause, then `rexian run`"
                ),
                _ => {}
            }
        }
        return Ok(Next {
            change: plan.next_change(),
            settle_ms: settle_wait.map(|d| d.as_millis() as u64),
            stopped: false,
        });
    }
}
