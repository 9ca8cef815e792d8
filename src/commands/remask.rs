//! `rexian remask`: masks the stored texts again under today's rules, then refreshes the
//! models that copy them.

use anyhow::Result;

use super::Status;
use crate::config::Workspace;

/// Remasks, prints what changed, and refreshes.
///
/// # Errors
/// When the warehouse cannot be opened or written, or the privacy check fails afterwards.
pub fn run(ws: &Workspace) -> Result<Status> {
    let r = crate::remask::remask(ws)?;
    println!(
        "Masked again: {} of {} appeals changed, {} rejected rows, {} rejects.csv file(s); \
         lake months rewritten: {}.",
        r.appeals_changed,
        r.appeals_read,
        r.rejects_changed,
        r.reject_files,
        if r.lake_months.is_empty() {
            "none".to_string()
        } else {
            r.lake_months
                .iter()
                .map(|(y, m)| format!("{y}-{m:02}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    super::refresh::run(ws)
}
