//! `rexian report KIND PERIOD`: typesets one period report, or with `all` every report due
//! for a period, and prints the paths.

use std::path::Path;

use anyhow::Result;

use crate::config::Workspace;
use crate::export::open_marts;
use crate::period::Period;
use crate::report::{self, Kind};

/// Writes the `kind` report of `period` (the city's, or `region`'s) into `dir`.
///
/// # Errors
/// When the period is unknown or not of the kind's length, or a report fails.
pub fn run(ws: &Workspace, kind: Kind, period: &str, region: &str, dir: &Path) -> Result<()> {
    let conn = open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    if kind == Kind::All {
        let started = std::time::Instant::now();
        let paths = report::all(ws, &conn, &period, dir, |p| {
            println!("{}", p.display());
        })?;
        eprintln!(
            "{} reports in {:.1} s",
            paths.len(),
            started.elapsed().as_secs_f64()
        );
    } else {
        let path = report::write(ws, &conn, kind, &period, region, dir)?;
        println!("{}", path.display());
    }
    Ok(())
}
