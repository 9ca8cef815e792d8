//! `rexian serve`: the daemon that loads new extracts and issues every report on time.

use anyhow::Result;

use crate::config::Workspace;
use crate::schedule::daemon;

/// Runs the daemon (or, with `once`, what is due now; `child` when the daemon started it).
///
/// # Errors
/// When another daemon holds the workspace or the warehouse cannot be used at all.
pub fn run(ws: &Workspace, once: bool, child: bool) -> Result<()> {
    daemon::serve(ws, daemon::Options { once, child })
}
