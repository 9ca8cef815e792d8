//! `rexian backup DIR` and `rexian restore DIR`: copy a workspace aside while it runs, and
//! bring the copy back.

use std::path::Path;

use anyhow::Result;

use super::Status;
use crate::config::Workspace;

/// Takes the backup and says what is in it.
///
/// # Errors
/// See [`crate::backup::backup`].
pub fn backup(ws: &Workspace, dir: &Path, include_key: bool) -> Result<Status> {
    let started = std::time::Instant::now();
    let m = crate::backup::backup(ws, dir, include_key)?;
    let bytes: u64 = m.files.iter().map(|f| f.bytes).sum();
    println!(
        "Backed up {} to {}: {} files, {:.1} MB, in {:.1} s; {} appeals from {} loads, schema \
         version {}{}.",
        ws.root.display(),
        dir.display(),
        m.files.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        m.appeals,
        m.loads,
        m.schema_version,
        if m.includes_key {
            ", with secret.key"
        } else {
            "; secret.key is not in it (back it up apart, or add --include-key)"
        }
    );
    println!(
        "Restore with: rexian --workspace NEW_FOLDER restore {}",
        dir.display()
    );
    Ok(Status::Success)
}

/// Restores a backup into `to` and says what to do next.
///
/// # Errors
/// See [`crate::backup::restore`].
pub fn restore(from: &Path, to: &Path, force: bool) -> Result<Status> {
    let started = std::time::Instant::now();
    let m = crate::backup::restore(from, to, force)?;
    println!(
        "Restored the backup of {} (taken {}) into {}: {} files checked against the manifest, \
         {} appeals from {} loads, in {:.1} s.",
        m.workspace,
        m.taken_at,
        to.display(),
        m.files.len(),
        m.appeals,
        m.loads,
        started.elapsed().as_secs_f64()
    );
    println!(
        "Next: rexian --workspace {} check (then refresh, as after any load)",
        to.display()
    );
    Ok(Status::Success)
}
