//! Benchmark helper (issue 3): computes everything one month's report needs — the
//! indicators of every unit kind, the 环比/同比 detail, the grading counts and all six
//! analyses (the key supervision list among them) — in one process on a refreshed
//! workspace, and prints the time taken. The full list of graded appeals is the push list,
//! an export of its own; it is timed last, apart.
//!
//! It runs twice: the first run includes loading the word-segmentation dictionary (about
//! 0.12 s, once per process); the second is what a long-running process (`rexian serve`)
//! pays for each report.
//!
//! Usage: month_report_data WORKSPACE PERIOD

use std::time::Instant;

use anyhow::{Context, Result};
use rexian::analysis;
use rexian::period::Period;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .context("usage: month_report_data WORKSPACE PERIOD")?;
    let period = args
        .next()
        .context("usage: month_report_data WORKSPACE PERIOD")?;
    let ws = rexian::config::Workspace::open(std::path::Path::new(&dir))?;
    for run in [
        "first run in this process",
        "second run (dictionary loaded)",
    ] {
        once(&ws, &period, run)?;
    }
    Ok(())
}

fn once(ws: &rexian::config::Workspace, period: &str, run: &str) -> Result<()> {
    println!("== {run}");
    let started = Instant::now();
    analysis::warm_up();
    let conn = rexian::export::open_marts(ws)?;
    let period = Period::resolve(&conn, &ws.config, period)?;
    // 热点 (word segmentation) runs on its own connection and thread, beside the SQL sections.
    let hot = {
        let conn = conn.try_clone()?;
        let (config, period) = (ws.config.clone(), period.clone());
        std::thread::spawn(move || -> Result<(Vec<analysis::Frame>, f64)> {
            let t = Instant::now();
            let frames = analysis::run(&conn, &config, "hot", &period, "")?;
            Ok((frames, t.elapsed().as_secs_f64()))
        })
    };
    let mut rows = 0;
    let mut step = |name: &str, frames: Vec<analysis::Frame>, t: Instant| {
        let n: usize = frames.iter().map(|f| f.rows.len()).sum();
        rows += n;
        println!(
            "{name:<22} {n:>7} rows {:>8.3} s",
            t.elapsed().as_secs_f64()
        );
    };
    for by in analysis::UNIT_KINDS {
        let t = Instant::now();
        step(
            &format!("indicators {by}"),
            vec![analysis::indicators(&conn, &period, by, "")?],
            t,
        );
    }
    let t = Instant::now();
    step(
        "indicator detail",
        vec![analysis::indicator_changes(&conn, &period, "city", "")?],
        t,
    );
    let t = Instant::now();
    step(
        "grade counts",
        vec![analysis::grade_counts(&conn, &period, "")?],
        t,
    );
    for name in analysis::ANALYSES.iter().filter(|n| **n != "hot") {
        let t = Instant::now();
        step(
            name,
            analysis::run(&conn, &ws.config, name, &period, "")?,
            t,
        );
    }
    let (frames, seconds) = hot
        .join()
        .map_err(|_| anyhow::anyhow!("the hot-issue thread panicked"))??;
    let n: usize = frames.iter().map(|f| f.rows.len()).sum();
    rows += n;
    println!(
        "{:<22} {n:>7} rows {seconds:>8.3} s (beside the others)",
        "hot"
    );
    println!(
        "RESULT month report data, {run}: {:.3} s for {} ({rows} rows)",
        started.elapsed().as_secs_f64(),
        period.label
    );
    let t = Instant::now();
    let push = analysis::grade(&conn, &period, "")?;
    println!(
        "RESULT push list (every graded appeal): {} rows in {:.3} s",
        push.rows.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
