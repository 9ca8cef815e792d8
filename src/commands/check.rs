//! `rexian check`: run the data tests and show each failing one with a sample of its rows.

use anyhow::Result;

use super::Status;
use crate::config::Workspace;
use crate::{check, warehouse};

/// Runs every check; `Status::ChecksFailed` when any fails.
///
/// # Errors
/// When the warehouse cannot be opened or a check cannot run.
pub fn run(ws: &Workspace) -> Result<Status> {
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let outcomes = check::run_all(&conn, check::Scope::All)?;
    Ok(report(&outcomes))
}

/// Prints the outcomes: a table, then each failing check with its sample rows.
pub fn report(outcomes: &[check::CheckOutcome]) -> Status {
    let mut table = crate::output::table(["check", "result", "what it asserts"]);
    for o in outcomes {
        let result = if o.passed() {
            "pass".to_string()
        } else {
            format!("FAIL: {} row(s)", o.failing)
        };
        table.add_row([o.name.clone(), result, o.description.clone()]);
    }
    println!("{table}");
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed()).collect();
    for o in &failed {
        println!("\n{} — {} offending row(s); the first:", o.name, o.failing);
        let mut t = crate::output::table(o.columns.clone());
        for r in &o.sample {
            t.add_row(r.clone());
        }
        println!("{t}");
    }
    if failed.is_empty() {
        println!("All {} checks passed.", outcomes.len());
        Status::Success
    } else {
        eprintln!(
            "error: {} of {} checks failed (queries in sql/checks/)",
            failed.len(),
            outcomes.len()
        );
        Status::ChecksFailed
    }
}
