//! `rexian ingest PATH...`: load extracts and print the accounting of each file.

use std::path::PathBuf;

use anyhow::Result;

use super::Status;
use crate::config::Workspace;
use crate::ingest::{self, Loader, Options, Outcome};

/// Loads the files and folders given, prints a line per file and a total, and says whether
/// any file was refused.
///
/// # Errors
/// When the warehouse or lake fail (bad files are reported, not errors).
pub fn run(ws: &Workspace, paths: &[PathBuf], opts: Options) -> Result<(Status, Vec<Outcome>)> {
    let files = ingest::expand_paths(paths)?;
    if files.is_empty() {
        anyhow::bail!(
            "no .csv or .xlsx files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut loader = Loader::open(ws, opts)?;
    let (outcomes, lake) = loader.load_all(&files)?;
    let status = if outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Refused { .. }))
    {
        Status::BadInput
    } else {
        Status::Success
    };
    let table = accounting(&outcomes);
    println!("{table}");
    for o in &outcomes {
        if let Outcome::Refused { error, .. } = o {
            eprintln!("error: {error:#}");
        }
    }
    if !lake.written.is_empty() || !lake.removed.is_empty() {
        println!(
            "Lake: rewrote {} month partition(s) under {}",
            lake.written.len() + lake.removed.len(),
            ws.lake_path().join("appeals").display()
        );
    }
    Ok((status, outcomes))
}

/// The accounting table: a row per file (read, inserted, updated, unchanged, rejected, what
/// happened), and the totals when there are several.
fn accounting(outcomes: &[Outcome]) -> comfy_table::Table {
    let mut table = crate::output::table([
        "文件 file",
        "读取 read",
        "新增 inserted",
        "更新 updated",
        "未变 unchanged",
        "拒收 rejected",
        "结果 result",
    ]);
    let mut totals = [0u64; 5];
    for o in outcomes {
        match o {
            Outcome::Loaded(s) => {
                let name = s
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                for (t, v) in totals.iter_mut().zip([
                    s.rows_read,
                    s.inserted,
                    s.updated,
                    s.unchanged,
                    s.rejected,
                ]) {
                    *t += v;
                }
                let mut result = format!("load {}", s.load_id);
                if s.stale > 0 {
                    result.push_str(&format!("; {} older than the warehouse", s.stale));
                }
                if let Some(csv) = &s.rejects_csv {
                    result.push_str(&format!("; rejects: {}", csv.display()));
                }
                table.add_row([
                    name,
                    s.rows_read.to_string(),
                    s.inserted.to_string(),
                    s.updated.to_string(),
                    s.unchanged.to_string(),
                    s.rejected.to_string(),
                    result,
                ]);
            }
            Outcome::AlreadyLoaded { path, load_id } => {
                let why = format!("already loaded (load {load_id}); nothing changed");
                table.add_row(unloaded(path, why));
            }
            Outcome::Refused { path, .. } => {
                table.add_row(unloaded(path, "REFUSED, nothing loaded (see below)".into()));
            }
        }
    }
    if outcomes.len() > 1 {
        table.add_row([
            "合计 total".to_string(),
            totals[0].to_string(),
            totals[1].to_string(),
            totals[2].to_string(),
            totals[3].to_string(),
            totals[4].to_string(),
            String::new(),
        ]);
    }
    table
}

/// The row of a file that loaded nothing: its name, dashes, and why.
fn unloaded(path: &std::path::Path, result: String) -> [String; 7] {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dash = || "—".to_string();
    [name, dash(), dash(), dash(), dash(), dash(), result]
}
