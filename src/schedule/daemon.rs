//! `rexian serve`: the wake-ups (tokio-cron-scheduler), the supervisor that runs each pass of
//! due work in a child process, and stopping cleanly on SIGINT/SIGTERM.
//!
//! The daemon itself never opens the warehouse or Typst: at each wake-up it starts
//! `rexian serve --once` as a child, which does what is due and exits. So an idle daemon is a
//! few MiB whatever it did before, memory cannot grow run over run, and a crash inside a job
//! (a DuckDB abort, say) costs one pass, not the daemon. The daemon also sets its own alarm
//! for the next moment it knows something changes (a period falls due, a retry, a file
//! settles), so a wake-up the cron crate misses costs nothing.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use super::clock::{Clock, NOW_VAR};
use super::due::{self, Next};
use super::job::{self, Job};
use super::{lock, work};
use crate::config::Workspace;

pub use super::due::JOB_LOCK_WAIT;

/// How long the daemon sleeps at most between two passes.
const MAX_SLEEP: Duration = Duration::from_secs(3600);

/// How long after a failed pass the daemon tries again.
const PASS_RETRY: Duration = Duration::from_secs(60);

/// What wakes the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    /// A job's cron expression fired.
    Cron(Job),
    /// Stop.
    Stop,
}

/// Options of `rexian serve`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Run what is due now, then exit (for a system timer instead of a daemon, and tests).
    pub once: bool,
    /// A pass started by the daemon: no daemon lock, and what to wait for on standard output.
    pub child: bool,
}

/// Runs the daemon until SIGINT/SIGTERM (or, with `once`, what is due now).
///
/// # Errors
/// When another daemon holds the workspace, a cron expression is bad, or the warehouse
/// cannot be used at all. A failing job is not an error: it is recorded and retried.
pub fn serve(ws: &Workspace, opts: Options) -> Result<()> {
    let clock = Clock::from_env(ws.config.tz())?;
    if opts.once {
        let _daemon = if opts.child {
            None
        } else {
            Some(lock::daemon(ws)?)
        };
        let stop = due::stop_on_signals();
        let next = due::run_due(ws, &clock, stop)?;
        if opts.child {
            println!("{}", serde_json::to_string(&next)?);
        }
        return Ok(());
    }
    let _daemon = lock::daemon(ws)?;
    tracing::info!(
        workspace = %ws.root.display(),
        version = crate::VERSION,
        time_zone = %clock.tz(),
        now = %clock.local_now().format("%Y-%m-%d %H:%M:%S"),
        rehearsal = clock.is_shifted(),
        "rexian serve started"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let child = Arc::new(AtomicU32::new(0));
    let (tx, rx) = mpsc::channel::<Wake>();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the scheduler's runtime")?;
    let supervisor = {
        let (ws, stop, child) = (ws.clone(), stop.clone(), child.clone());
        std::thread::Builder::new()
            .name("rexian-supervisor".into())
            .spawn(move || supervise(&ws, &clock, &stop, &child, &rx))
            .context("starting the supervisor")?
    };
    let result = runtime.block_on(async {
        let mut scheduler = wake_ups(ws, clock, tx.clone()).await?;
        let signalled = wait_for_signal(stop.clone(), child.clone(), tx.clone());
        tokio::pin!(signalled);
        loop {
            tokio::select! {
                r = &mut signalled => { r?; break; }
                () = tokio::time::sleep(Duration::from_millis(500)) => {
                    if supervisor.is_finished() { break; }
                }
            }
        }
        scheduler.shutdown().await.ok();
        anyhow::Ok(())
    });
    stop.store(true, Ordering::SeqCst);
    tx.send(Wake::Stop).ok();
    let supervised = supervisor
        .join()
        .map_err(|_| anyhow::anyhow!("the supervisor thread panicked"))?;
    result?;
    supervised?;
    tracing::info!("rexian serve stopped");
    Ok(())
}

/// Registers one cron job per scheduled job; each only sends the supervisor a wake-up.
async fn wake_ups(
    ws: &Workspace,
    clock: Clock,
    tx: mpsc::Sender<Wake>,
) -> Result<tokio_cron_scheduler::JobScheduler> {
    use tokio_cron_scheduler::{Job as CronJob, JobScheduler};
    let scheduler = JobScheduler::new()
        .await
        .context("starting tokio-cron-scheduler")?;
    for j in Job::ALL {
        let Some(expr) = j.cron(&ws.config) else {
            continue;
        };
        let tx = tx.clone();
        let cron = CronJob::new_tz(expr, clock.tz(), move |_id, _lock| {
            tx.send(Wake::Cron(j)).ok();
        })
        .with_context(|| format!("[schedule] {} = {expr:?}", j.name()))?;
        scheduler.add(cron).await?;
        let next = job::parse_cron(expr)
            .ok()
            .and_then(|c| job::next_fire(&c, clock.tz(), clock.now()));
        tracing::info!(
            job = %j,
            cron = expr,
            next = %next.map(|t| local(&clock, t)).unwrap_or_default(),
            "scheduled"
        );
    }
    scheduler.start().await.context("starting the wake-ups")?;
    Ok(scheduler)
}

/// Waits for SIGINT or SIGTERM and passes it on to the running pass, which finishes its
/// current unit of work, records it and exits; a second signal stops the pass at once.
async fn wait_for_signal(
    stop: Arc<AtomicBool>,
    child: Arc<AtomicU32>,
    tx: mpsc::Sender<Wake>,
) -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: stopping after the current step"),
        _ = int.recv() => tracing::info!("SIGINT: stopping after the current step"),
    }
    stop.store(true, Ordering::SeqCst);
    signal_child(&child, libc::SIGTERM);
    tx.send(Wake::Stop).ok();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        eprintln!("second signal: exiting now");
        signal_child(&child, libc::SIGKILL);
        std::process::exit(130);
    });
    Ok(())
}

fn signal_child(child: &AtomicU32, sig: libc::c_int) {
    let pid = child.load(Ordering::SeqCst);
    if pid != 0 {
        // SAFETY: signalling our own child process.
        unsafe {
            libc::kill(pid as libc::pid_t, sig);
        }
    }
}

/// What the supervisor is asked to look at next.
#[derive(Debug, Default)]
struct Wanted {
    /// The inbox (its cron fired, or a file is settling).
    inbox: bool,
    /// The plan (a report job's cron fired, or a known moment came).
    plan: bool,
}

/// The supervisor: starts a pass when something may be due, then sleeps until the next
/// wake-up. An inbox wake-up with an empty inbox only reads a folder.
fn supervise(
    ws: &Workspace,
    clock: &Clock,
    stop: &AtomicBool,
    child: &AtomicU32,
    rx: &mpsc::Receiver<Wake>,
) -> Result<()> {
    let settle = Duration::from_secs(ws.config.schedule.settle_seconds);
    let inbox_on = Job::Inbox.cron(&ws.config).is_some();
    let mut wanted = Wanted {
        inbox: inbox_on,
        plan: true,
    };
    let mut next = Next::default();
    let mut retry_at: Option<DateTime<Utc>> = None;
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let now = clock.now();
        let files_ready = wanted.inbox
            && inbox_on
            && !work::settled_files(ws, settle)
                .map(|(r, _)| r)
                .unwrap_or_default()
                .is_empty();
        let change_came = next.change.is_some_and(|t| t <= now);
        let retry_came = retry_at.is_some_and(|t| t <= now);
        if wanted.plan || files_ready || change_came || retry_came {
            match pass(ws, clock, child) {
                Ok(n) => {
                    next = n;
                    retry_at = None;
                }
                Err(e) => {
                    tracing::error!("the pass failed; trying again in a minute: {e:#}");
                    retry_at =
                        Some(clock.now() + chrono::TimeDelta::seconds(PASS_RETRY.as_secs() as i64));
                }
            }
            wanted = Wanted::default();
            if next.stopped || stop.load(Ordering::SeqCst) {
                return Ok(());
            }
        }
        let now = clock.now();
        let plan_alarm = [next_fire_of(ws, clock, false), next.change, retry_at]
            .into_iter()
            .flatten()
            .min();
        let inbox_alarm = next_fire_of(ws, clock, true);
        let until =
            |t: Option<DateTime<Utc>>| t.map(|t| (t - now).to_std().unwrap_or(Duration::ZERO));
        let settle_wait = next.settle_ms.map(|ms| Duration::from_millis(ms + 200));
        let sleep = [until(plan_alarm), until(inbox_alarm), settle_wait]
            .into_iter()
            .flatten()
            .fold(MAX_SLEEP, Duration::min);
        tracing::debug!(seconds = sleep.as_secs(), "nothing due; sleeping");
        if wait(rx, sleep, &mut wanted) {
            let now = clock.now();
            wanted.plan |= plan_alarm.is_none_or(|t| t <= now);
            wanted.inbox |= settle_wait.is_some() || inbox_alarm.is_some_and(|t| t <= now);
        }
    }
}

/// Runs one pass (`rexian serve --once`) in a child process and reads what to wait for.
fn pass(ws: &Workspace, clock: &Clock, child: &AtomicU32) -> Result<Next> {
    let exe = std::env::current_exe().context("finding the rexian binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("-w")
        .arg(&ws.root)
        .args(["serve", "--once", "--child"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if clock.is_shifted() {
        // A rehearsal: the pass's clock starts where ours is now.
        cmd.env(
            NOW_VAR,
            clock.local_now().format("%Y-%m-%d %H:%M:%S").to_string(),
        );
    }
    let proc = cmd.spawn().context("starting a pass of due work")?;
    child.store(proc.id(), Ordering::SeqCst);
    let out = proc.wait_with_output();
    child.store(0, Ordering::SeqCst);
    let out = out.context("waiting for the pass")?;
    if !out.status.success() {
        anyhow::bail!("the pass ended with {}", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("reading what the pass left: {line:?}"))
}

/// Sleeps until a wake-up or `timeout`, then takes in every wake-up waiting. Returns whether
/// the time ran out (no wake-up came).
fn wait(rx: &mpsc::Receiver<Wake>, timeout: Duration, wanted: &mut Wanted) -> bool {
    fn note(w: Wake, wanted: &mut Wanted) {
        match w {
            Wake::Cron(Job::Inbox) => wanted.inbox = true,
            Wake::Cron(j) => {
                tracing::debug!(job = %j, "woken by the schedule");
                wanted.plan = true;
            }
            Wake::Stop => {}
        }
    }
    let timed_out = match rx.recv_timeout(timeout) {
        Ok(w) => {
            note(w, wanted);
            false
        }
        Err(RecvTimeoutError::Timeout) => true,
        Err(RecvTimeoutError::Disconnected) => return false,
    };
    while let Ok(w) = rx.try_recv() {
        note(w, wanted);
    }
    timed_out
}

/// The next moment the inbox's cron expression names (`inbox`), or any other job's.
fn next_fire_of(ws: &Workspace, clock: &Clock, inbox: bool) -> Option<DateTime<Utc>> {
    Job::ALL
        .into_iter()
        .filter(|j| (*j == Job::Inbox) == inbox)
        .filter_map(|j| j.cron(&ws.config))
        .filter_map(|e| job::parse_cron(e).ok())
        .filter_map(|c| job::next_fire(&c, clock.tz(), clock.now() + chrono::TimeDelta::seconds(1)))
        .min()
}

/// A moment as local time for messages.
pub fn local(clock: &Clock, t: DateTime<Utc>) -> String {
    t.with_timezone(&clock.tz())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use chrono_tz::Tz;

    #[test]
    fn the_cron_crate_and_our_reckoning_agree_on_shanghai_time() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let tz: Tz = "Asia/Shanghai".parse().unwrap();
            let scheduler = tokio_cron_scheduler::JobScheduler::new().await.unwrap();
            let wake = tokio_cron_scheduler::Job::new_tz("0 0 6 * * *", tz, |_, _| {}).unwrap();
            let id = scheduler.add(wake).await.unwrap();
            let mut scheduler = scheduler;
            let theirs = scheduler.next_tick_for_job(id).await.unwrap().unwrap();
            let ours =
                job::next_fire(&job::parse_cron("0 0 6 * * *").unwrap(), tz, Utc::now()).unwrap();
            assert_eq!(theirs, ours);
            let local = theirs.with_timezone(&tz);
            assert_eq!((local.hour(), local.minute(), local.second()), (6, 0, 0));
            scheduler.shutdown().await.ok();
        });
    }
}
