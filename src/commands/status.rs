//! `rexian status`: the daemon, each job's last run and next wake-up, what is due and not
//! done, and the failures with their errors.

use anyhow::Result;

use crate::config::Workspace;
use crate::schedule::daemon::local;
use crate::schedule::ledger::{self, Status};
use crate::schedule::plan::{Plan, State};
use crate::schedule::{job, lock, work, Clock, Job};
use crate::warehouse;

/// Prints the scheduler's state. Reads only: it never repairs or waits for long.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn run(ws: &Workspace, recent: usize) -> Result<()> {
    let clock = Clock::from_env(ws.config.tz())?;
    match lock::daemon_running(ws) {
        Some(who) => println!("daemon: running — {who}"),
        None => println!("daemon: not running (start it with `rexian serve`)"),
    }
    if let Some(what) = lock::job_running(ws) {
        println!("working now: {what}");
    }
    println!(
        "now: {} ({})",
        clock.local_now().format("%Y-%m-%d %H:%M:%S"),
        clock.tz()
    );
    if !ws.warehouse_path().exists() {
        println!("no warehouse yet: nothing has run");
        return Ok(());
    }
    let conn = match warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        std::time::Duration::from_secs(15),
    ) {
        Ok(c) => c,
        Err(e) => {
            println!(
                "the warehouse is busy (a job is writing it); the ledger can be read when it \
                 has finished: {e:#}"
            );
            return Ok(());
        }
    };
    let (plan, runs) = work::read_plan(&conn, ws, &clock)?;
    println!("{}", jobs(ws, &clock, &runs));
    print_open(&clock, &plan, &runs);
    print_unit_texts(ws, &clock, &plan);
    if recent > 0 && !runs.is_empty() {
        println!("recent runs:\n{}", recent_runs(&clock, &runs, recent));
    }
    Ok(())
}

/// Each job: its cron, next wake-up and last run.
fn jobs(ws: &Workspace, clock: &Clock, runs: &[ledger::Run]) -> comfy_table::Table {
    let mut jobs = crate::output::table([
        "job",
        "cron",
        "next wake-up",
        "last run",
        "period",
        "result",
    ]);
    for j in Job::ALL {
        let cron = j.cron(&ws.config);
        let next = cron
            .and_then(|c| job::parse_cron(c).ok())
            .and_then(|c| job::next_fire(&c, clock.tz(), clock.now()))
            .map(|t| local(clock, t));
        let last = runs.iter().rev().find(|r| r.job == j.name());
        jobs.add_row([
            j.name().to_string(),
            cron.unwrap_or(if j == Job::Refresh {
                "after each load"
            } else {
                "off"
            })
            .to_string(),
            next.unwrap_or_else(|| "—".into()),
            last.map(|r| local(clock, r.started))
                .unwrap_or_else(|| "never".into()),
            last.map(|r| r.period.clone()).unwrap_or_default(),
            last.map(|r| r.status.as_str().to_string())
                .unwrap_or_default(),
        ]);
    }
    jobs
}

/// What is due and not done, one waiting period per job (the rest counted).
fn print_open(clock: &Clock, plan: &Plan, runs: &[ledger::Run]) {
    let open: Vec<_> = plan
        .items
        .iter()
        .filter(|i| !matches!(i.state, State::Done(_) | State::Later(_)))
        .collect();
    if open.is_empty() {
        println!("due and not done: nothing");
    } else {
        let mut t = crate::output::table([
            "due and not done",
            "period",
            "due since",
            "state",
            "last error",
        ]);
        let mut waiting_shown: Vec<Job> = Vec::new();
        let mut waiting_more: Vec<(Job, usize)> = Vec::new();
        for i in open {
            // One waiting period per job is enough to see why; the rest are counted.
            if matches!(i.state, State::Waiting(_)) {
                if waiting_shown.contains(&i.job) {
                    match waiting_more.iter_mut().find(|(j, _)| *j == i.job) {
                        Some((_, n)) => *n += 1,
                        None => waiting_more.push((i.job, 1)),
                    }
                    continue;
                }
                waiting_shown.push(i.job);
            }
            let running = runs.iter().any(|r| {
                r.job == i.job.name() && r.period == i.period && r.status == Status::Running
            });
            let state = match &i.state {
                _ if running => "running now".to_string(),
                State::Due(_) => "due: runs at the daemon's next look".to_string(),
                State::Retrying { at, failures } => {
                    format!("failed {failures}×; retried at {}", local(clock, *at))
                }
                State::GaveUp { failures } => format!(
                    "FAILED {failures}×, given up; fix the cause, then `rexian run {} --period {}`",
                    i.job.name(),
                    i.period
                ),
                State::Waiting(why) => why.clone(),
                State::Later(_) | State::Done(_) => String::new(),
            };
            t.add_row([
                i.job.name().to_string(),
                i.period.clone(),
                i.due_at
                    .map(|t| local(clock, t))
                    .unwrap_or_else(|| "—".into()),
                state,
                i.last_error.clone().unwrap_or_default(),
            ]);
        }
        for (j, n) in waiting_more {
            t.add_row([
                j.name().to_string(),
                format!("… {n} more"),
                String::new(),
                "waiting likewise".to_string(),
                String::new(),
            ]);
        }
        println!("{t}");
    }
}

/// The pilot units' own paragraphs (单位材料) still missing for the quarterly reports and
/// the pilot summary not yet issued, so that the office can ask for them before the report
/// is due.
fn print_unit_texts(ws: &Workspace, clock: &Clock, plan: &Plan) {
    let mut t = crate::output::table(["report", "period", "due", "unit", "missing"]);
    let mut n = 0;
    for i in plan.items.iter().filter(|i| {
        matches!(i.job, Job::Quarterly | Job::PilotSummary) && !matches!(i.state, State::Done(_))
    }) {
        for unit in &ws.config.pilot.units {
            let missing = crate::report::unit_texts::missing(ws, unit, &i.period);
            if missing.is_empty() {
                continue;
            }
            n += 1;
            t.add_row([
                i.job.name().to_string(),
                i.period.clone(),
                i.due_at
                    .map(|t| local(clock, t))
                    .unwrap_or_else(|| "—".into()),
                unit.clone(),
                missing.join("、"),
            ]);
        }
    }
    if n == 0 {
        return;
    }
    println!(
        "单位材料 not yet written ({n}), typeset into the pilot units' quarterly reports and the \
         pilot summary; each is a text file {}/<区县>/<期间>/<part>.txt:\n{t}",
        ws.path(&ws.config.paths.unit_texts).display()
    );
}

/// The newest `recent` runs.
fn recent_runs(clock: &Clock, runs: &[ledger::Run], recent: usize) -> comfy_table::Table {
    let mut t = crate::output::table([
        "run",
        "job",
        "period",
        "attempt",
        "trigger",
        "started",
        "finished",
        "status",
        "outputs / error",
    ]);
    for r in runs.iter().rev().take(recent) {
        let detail = match (&r.error, r.status) {
            (Some(e), Status::Failed | Status::Interrupted) => e.clone(),
            _ => r.outputs.len().to_string() + " output(s)",
        };
        t.add_row([
            r.run_id.to_string(),
            r.job.clone(),
            r.period.clone(),
            r.attempt.to_string(),
            r.trigger.clone(),
            local(clock, r.started),
            r.finished
                .map(|f| local(clock, f))
                .unwrap_or_else(|| "—".into()),
            r.status.as_str().to_string(),
            detail,
        ]);
    }
    t
}
