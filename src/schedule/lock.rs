//! Two locks on files in the workspace, held by the operating system (they vanish with the
//! process, even on SIGKILL):
//! * the daemon lock: one `rexian serve` per workspace;
//! * the job lock: one scheduled job at a time on the warehouse, whether the daemon or
//!   `rexian run` started it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::config::Workspace;

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct Held {
    file: File,
}

impl Held {
    /// Writes what the holder is doing into the lock file, for `rexian status` to show.
    pub fn note(&mut self, what: &str) {
        let written = (|| -> std::io::Result<()> {
            self.file.set_len(0)?;
            self.file.rewind()?;
            write!(
                self.file,
                "{what} (pid {}, since {})",
                std::process::id(),
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
            )?;
            self.file.flush()
        })();
        if let Err(e) = written {
            tracing::debug!("cannot note the lock holder: {e}");
        }
    }
}

/// What the holder of the job lock is doing, when a job runs now.
pub fn job_running(ws: &Workspace) -> Option<String> {
    holder(&job_path(ws))
}

/// What the lock file at `path` says of its holder, when the lock is held now.
fn holder(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(_) => {
            let mut holder = String::new();
            file.read_to_string(&mut holder).ok();
            Some(holder.trim().to_string())
        }
    }
}

/// The daemon lock's file.
pub fn daemon_path(ws: &Workspace) -> PathBuf {
    ws.root.join(".rexian-serve.lock")
}

/// The job lock's file.
pub fn job_path(ws: &Workspace) -> PathBuf {
    ws.root.join(".rexian-job.lock")
}

fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))
}

/// Takes the daemon lock, or says which daemon holds it.
///
/// # Errors
/// When another `rexian serve` runs on this workspace.
pub fn daemon(ws: &Workspace) -> Result<Held> {
    let path = daemon_path(ws);
    let mut file = open(&path)?;
    match file.try_lock() {
        Ok(()) => {
            let mut held = Held { file };
            held.note("rexian serve");
            Ok(held)
        }
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            file.read_to_string(&mut holder).ok();
            bail!(
                "another `rexian serve` is already running on the workspace {} ({}). Only one \
                 daemon may run per workspace: stop that one first (e.g. `systemctl stop \
                 rexian`), or use `rexian run JOB` and `rexian status` beside it",
                ws.root.display(),
                holder.trim()
            )
        }
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Whether a daemon holds the workspace now (and what its lock file says of it).
pub fn daemon_running(ws: &Workspace) -> Option<String> {
    holder(&daemon_path(ws))
}

/// Takes the job lock, waiting while another job holds it (saying so once).
///
/// # Errors
/// When the lock file cannot be used, or the wait exceeds `wait`.
pub fn job(ws: &Workspace, wait: Duration) -> Result<Held> {
    let path = job_path(ws);
    let file = open(&path)?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Held { file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                if !told {
                    tracing::info!("another job is running on this workspace; waiting for it");
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(TryLockError::WouldBlock) => bail!(
                "another job kept the workspace busy for {} s; try again when it has finished \
                 (`rexian status` shows what runs)",
                wait.as_secs()
            ),
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }
}
