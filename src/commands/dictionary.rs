//! `rexian dictionary`: the data dictionary as Markdown, from the warehouse's comments.

use std::path::Path;

use anyhow::Result;

use crate::config::Workspace;
use crate::warehouse;

/// Writes the data dictionary of the workspace's warehouse to `out` or standard output.
///
/// # Errors
/// When the warehouse cannot be read or the file written.
pub fn run(ws: &Workspace, out: Option<&Path>) -> Result<()> {
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let text = crate::dictionary::markdown(&conn)?;
    match out {
        Some(p) => {
            crate::fsutil::write_atomic(p, text.as_bytes())?;
            eprintln!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
