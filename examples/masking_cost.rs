//! Benchmark helper (issue 14): the CPU time of masking the free text of one extract, with
//! the rules rexian had first (introducing words, numbers, plates) and with every finder
//! (third parties' names too), in one process on the same texts, best of three each. The
//! added time is what the load pays on its worker threads, whatever else it does.
//!
//! Usage: masking_cost EXTRACT.csv

use std::time::Instant;

use rexian::mask::{mask_with, names::Finders};

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: masking_cost EXTRACT.csv"))?;
    let mut reader = csv::Reader::from_path(&path)?;
    let header: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h.starts_with(name));
    let texts: Vec<usize> = ["诉求标题", "诉求内容", "事发地址"]
        .iter()
        .filter_map(|n| col(n))
        .collect();
    let caller = col("来电人");
    let mut rows: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let r = record?;
        let known = caller.and_then(|c| r.get(c)).filter(|n| !n.is_empty());
        rows.push((
            known.map(String::from),
            texts
                .iter()
                .filter_map(|&c| r.get(c).map(String::from))
                .collect(),
        ));
    }
    let chars: usize = rows
        .iter()
        .flat_map(|(_, t)| t.iter().map(|s| s.chars().count()))
        .sum();
    println!(
        "{} rows, {} text cells, {chars} characters",
        rows.len(),
        rows.len() * texts.len()
    );
    let mut best = [f64::MAX; 2];
    for _ in 0..3 {
        for (i, finders) in [Finders::Introduced, Finders::All].into_iter().enumerate() {
            let t = Instant::now();
            let mut changed = 0usize;
            for (known, cells) in &rows {
                for text in cells {
                    changed += usize::from(matches!(
                        mask_with(text, known.as_deref(), finders),
                        std::borrow::Cow::Owned(_)
                    ));
                }
            }
            let s = t.elapsed().as_secs_f64();
            best[i] = best[i].min(s);
            eprintln!("{finders:?}: {s:.3} s, {changed} cells changed");
        }
    }
    println!(
        "RESULT masking CPU (best of 3, one thread): introducing words only {:.3} s, every finder {:.3} s, added {:.3} s ({:.0} ns per text cell)",
        best[0],
        best[1],
        best[1] - best[0],
        (best[1] - best[0]) * 1e9 / (rows.len() * texts.len()).max(1) as f64
    );
    Ok(())
}
