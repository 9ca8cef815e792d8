//! Benchmark helper (issue 5): runs the monthly-report job N times in one process, through
//! the run ledger as the daemon does (`--force`d attempts), and prints the resident memory
//! after runs 10, 100 and N, so growth run over run shows (Typst's memo cache is evicted
//! after every compile; DuckDB is opened and closed per job).
//!
//! Usage: report_runs_rss WORKSPACE PERIOD [N (default 1000)]

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Context, Result};
use rexian::schedule::ledger::{Status, Trigger};
use rexian::schedule::{work, Clock, Job};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: report_runs_rss WORKSPACE PERIOD [N]";
    let dir = args.next().context(usage)?;
    let period = args.next().context(usage)?;
    let n: usize = args.next().map_or(Ok(1000), |s| s.parse()).context(usage)?;
    let ws = rexian::config::Workspace::open(std::path::Path::new(&dir))?;
    let clock = Clock::system(ws.config.tz());
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let mut at_10 = 0;
    for i in 1..=n {
        let (status, _, error) =
            work::attempt(&ws, &clock, Job::Monthly, &period, Trigger::Forced, &stop)?;
        if status != Status::Succeeded {
            anyhow::bail!("run {i} failed: {}", error.unwrap_or_default());
        }
        if i == 10 || i == 100 || i == n {
            let rss = rss_kib()?;
            if i == 10 {
                at_10 = rss;
            }
            println!(
                "after {i:>5} runs: RSS {:>7.1} MiB ({:+.1} % of after 10), {:.2} s per run",
                rss as f64 / 1024.0,
                (rss as f64 / at_10 as f64 - 1.0) * 100.0,
                started.elapsed().as_secs_f64() / i as f64
            );
        }
    }
    Ok(())
}

fn rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("no VmRSS in /proc/self/status")
}
