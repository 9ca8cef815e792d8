//! `rexian ledger`: the load ledger, newest first.

use anyhow::Result;

use crate::config::Workspace;
use crate::warehouse;

/// Prints the last `limit` loads.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn run(ws: &Workspace, limit: usize) -> Result<()> {
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let mut stmt = conn.prepare(crate::sql::OPS_LEDGER_RECENT.text)?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok([
            r.get::<_, i32>(0)?.to_string(),
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?.to_string(),
            r.get::<_, i64>(4)?.to_string(),
            r.get::<_, i64>(5)?.to_string(),
            r.get::<_, i64>(6)?.to_string(),
            r.get::<_, i64>(7)?.to_string(),
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
        ])
    })?;
    let mut table = crate::output::table([
        "load",
        "文件 file",
        "as of",
        "read",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "loaded at",
        "sha256",
    ]);
    for r in rows {
        table.add_row(r?);
    }
    println!("{table}");
    Ok(())
}
