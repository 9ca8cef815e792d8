//! Benchmark helper (issue 4), on a refreshed workspace:
//! 1. the first monthly report in this process (fonts found, word dictionary loaded), then
//!    the same report again, warm: queries and typesetting, each timed apart;
//! 2. every city-wide report of the pilot year (12 monthly, 4 quarterly, the summary);
//! 3. resident memory after 10, 50 and 100 reports (monthly reports in turn);
//! 4. with SOURCE_DIR, the Typst sources of the month's report (templates, data.json,
//!    charts) written there, for timing the `typst compile` CLI on the same input.
//!
//! Usage: report_cold_warm WORKSPACE MONTH [SOURCE_DIR]

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rexian::period::{Period, PeriodKey};
use rexian::report::{self, Kind};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: report_cold_warm WORKSPACE MONTH [SOURCE_DIR]";
    let ws = rexian::config::Workspace::open(Path::new(&args.next().context(usage)?))?;
    let month = args.next().context(usage)?;
    let sources = args.next();
    let out = tempdir()?;
    let conn = rexian::export::open_marts(&ws)?;
    let period = Period::resolve(&conn, &ws.config, &month)?;
    let last_day = period.end.pred_opt().unwrap_or(period.end);

    for run in ["first in the process", "warm"] {
        let t = Instant::now();
        let data = report::period_data(&conn, &ws, Kind::Monthly, &period, "")?;
        let queries = t.elapsed().as_secs_f64();
        let t2 = Instant::now();
        let pdf = report::typeset(&ws, "period-report.typ", &data, &data.svgs, last_day)?;
        let typeset = t2.elapsed().as_secs_f64();
        std::fs::write(out.join("m.pdf"), &pdf)?;
        println!(
            "RESULT monthly {month} ({run}): {:.3} s = queries {queries:.3} s + typesetting {typeset:.3} s",
            t.elapsed().as_secs_f64()
        );
        if run == "warm" {
            if let Some(dir) = &sources {
                let dir = Path::new(dir);
                std::fs::create_dir_all(dir.join("charts"))?;
                for (name, text) in report::TEMPLATES {
                    std::fs::write(dir.join(name), text)?;
                }
                std::fs::write(dir.join("data.json"), report::document_json(&ws, &data)?)?;
                for (path, bytes) in &data.svgs {
                    std::fs::write(dir.join(path.trim_start_matches('/')), bytes)?;
                }
                println!("wrote the Typst sources to {}", dir.display());
            }
        }
    }

    let year = Period::resolve(&conn, &ws.config, "pilot")?;
    // The city-wide reports of `report all pilot`: each month's, each quarter's, the summary.
    let mut keys: Vec<PeriodKey> = year.key.months().map(PeriodKey::Month).collect();
    keys.extend(year.key.quarters());
    keys.push(year.key);
    let t = Instant::now();
    let mut jobs = Vec::new();
    for &key in &keys {
        let Some(found) = Period::find(&conn, key)? else {
            continue;
        };
        let (kind, _, region) = report::issued_by(&ws.config, key).remove(0);
        jobs.push((kind, found, region));
    }
    report::write_many(&ws, &conn, &jobs, &out, |_| {})?;
    println!(
        "RESULT pilot year, city-wide: {} reports in {:.2} s",
        jobs.len(),
        t.elapsed().as_secs_f64()
    );

    let months: Vec<Period> = jobs
        .iter()
        .filter(|(k, _, _)| *k == Kind::Monthly)
        .map(|(_, p, _)| p.clone())
        .collect();
    let mut at_10 = 0.0;
    for i in 1..=100 {
        let p = &months[i % months.len()];
        report::write(&ws, &conn, Kind::Monthly, p, "", &out)?;
        if [10, 50, 100].contains(&i) {
            let rss = rss_mib()?;
            if i == 10 {
                at_10 = rss;
            }
            println!(
                "RESULT RSS after {i:>3} reports: {rss:.1} MiB ({:+.1} % of after 10)",
                (rss / at_10 - 1.0) * 100.0
            );
        }
    }
    std::fs::remove_dir_all(&out).ok();
    Ok(())
}

fn tempdir() -> Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("rexian-report-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

fn rss_mib() -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| kib / 1024.0)
        .context("no VmRSS in /proc/self/status")
}
