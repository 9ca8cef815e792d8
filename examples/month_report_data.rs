//! Benchmark helper (issue 3): computes everything one month's report needs — the
//! indicators of every unit kind, the 环比/同比 detail, the grades and all six analyses — in
//! one process on a refreshed workspace, and prints the time taken.
//!
//! Usage: month_report_data WORKSPACE PERIOD

use std::time::Instant;

use anyhow::{Context, Result};
use rexian::analyse::{self, Period};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .context("usage: month_report_data WORKSPACE PERIOD")?;
    let period = args
        .next()
        .context("usage: month_report_data WORKSPACE PERIOD")?;
    let ws = rexian::config::Workspace::open(std::path::Path::new(&dir))?;
    let started = Instant::now();
    analyse::warm_up();
    let conn = rexian::commands::analyse::open_marts(&ws)?;
    let period = Period::resolve(&conn, &ws.config, &period)?;
    let mut rows = 0;
    let mut step = |name: &str, frames: Vec<analyse::Frame>, t: Instant| {
        let n: usize = frames.iter().map(|f| f.rows.len()).sum();
        rows += n;
        println!(
            "{name:<22} {n:>7} rows {:>8.3} s",
            t.elapsed().as_secs_f64()
        );
    };
    for by in analyse::UNIT_KINDS {
        let t = Instant::now();
        step(
            &format!("indicators {by}"),
            vec![analyse::indicators(&conn, &period, by, "")?],
            t,
        );
    }
    let t = Instant::now();
    step(
        "indicator detail",
        vec![analyse::indicator_changes(&conn, &period, "city", "")?],
        t,
    );
    let t = Instant::now();
    step("grade", vec![analyse::grade(&conn, &period)?], t);
    for name in analyse::ANALYSES {
        let t = Instant::now();
        step(name, analyse::run(&conn, &ws.config, name, &period)?, t);
    }
    println!(
        "RESULT month report data: {:.3} s for {} ({rows} rows)",
        started.elapsed().as_secs_f64(),
        period.label
    );
    Ok(())
}
