//! `rexian remask`: applies today's masking to the texts stored under older rules.
//!
//! A release that masks more (third parties' names and vehicle plates were added after the
//! first) protects what is loaded from then on; the appeals, rejects and lake partitions loaded before still hold
//! what the older rules let through. This pass reads every stored text, masks it again
//! (masking what is already masked changes nothing), and replaces the ones that change, in
//! one transaction that the privacy check must pass before it commits. Then it rewrites the
//! lake months that hold a changed appeal and the load folders' `rejects.csv`.
//!
//! The caller's own name is not known any more (only its keyed hash is stored), so it is not
//! looked for; it was masked when the row was loaded. A ticket's `state_hash` keeps the value
//! of its load, so that ticket in a later extract counts as updated once (to the same masked
//! text), never as a conflict.

use std::path::Path;

use anyhow::{bail, Context, Result};
use duckdb::params;

use crate::config::Workspace;
use crate::mask::mask_text;
use crate::{check, lake, sql, warehouse};

/// What a remask pass changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remasked {
    /// Appeals read.
    pub appeals_read: u64,
    /// Appeals whose title, content or address changed.
    pub appeals_changed: u64,
    /// Rejected rows whose recorded values changed.
    pub rejects_changed: u64,
    /// Lake partitions rewritten, as (year, month).
    pub lake_months: Vec<(i32, u32)>,
    /// `rejects.csv` files rewritten.
    pub reject_files: u64,
}

/// Masks every stored text again under today's rules.
///
/// # Errors
/// When the warehouse cannot be opened or written, or the privacy check still fails after
/// the pass (then nothing is changed).
pub fn remask(ws: &Workspace) -> Result<Remasked> {
    if !ws.warehouse_path().exists() {
        bail!(
            "the warehouse {} does not exist yet: there is nothing to remask",
            ws.warehouse_path().display()
        );
    }
    let reference = crate::reference::Reference::load(ws.reference_dir().as_deref())?;
    let mut conn = warehouse::open_for_writing(ws, &reference)?;
    let mut out = Remasked::default();
    let tx = conn.transaction()?;
    sql::run(&tx, sql::REMASK_STAGE, &[])?;
    remask_appeals(&tx, &mut out)?;
    remask_rejects(&tx, &mut out)?;
    sql::run(&tx, sql::REMASK_APPLY, &[])?;
    let outcomes = check::run_all(&tx, check::Scope::All)?;
    if let Some(o) = outcomes
        .iter()
        .find(|o| o.name == "appeals_no_personal_data" && !o.passed())
    {
        bail!(
            "after masking again, {} text(s) still fail the privacy check (first: {}); nothing was \
             changed. This is a bug in rexian's masking: please report it with `rexian check`'s output",
            o.failing,
            o.sample.first().map(|r| r.join(" ")).unwrap_or_default()
        );
    }
    tx.commit().context("committing the remasked texts")?;
    tracing::info!(
        appeals = out.appeals_changed,
        rejects = out.rejects_changed,
        "stored texts masked again"
    );
    let synced = lake::sync(&conn, &ws.lake_path())?;
    out.lake_months = synced.written.iter().map(|(y, m, _)| (*y, *m)).collect();
    drop(conn);
    out.reject_files = remask_reject_files(&ws.loads_path())?;
    Ok(out)
}

fn remask_appeals(conn: &duckdb::Connection, out: &mut Remasked) -> Result<()> {
    let mut changed = Vec::new();
    {
        let mut stmt = conn.prepare("select rowid, title, content, address from appeals")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            out.appeals_read += 1;
            let texts: [Option<String>; 3] = [r.get(1)?, r.get(2)?, r.get(3)?];
            let masked = texts
                .each_ref()
                .map(|t| t.as_deref().map(|t| mask_text(t, None).into_owned()));
            if masked != texts {
                changed.push((r.get::<_, i64>(0)?, masked));
            }
        }
    }
    let mut app = conn.appender("remask_appeals")?;
    for (key, [title, content, address]) in &changed {
        app.append_row(params![key, title, content, address])?;
    }
    app.flush()?;
    out.appeals_changed = changed.len() as u64;
    Ok(())
}

fn remask_rejects(conn: &duckdb::Connection, out: &mut Remasked) -> Result<()> {
    let mut changed = Vec::new();
    {
        let mut stmt = conn
            .prepare("select rowid, row_values from load_rejects where row_values is not null")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let values: String = r.get(1)?;
            // The values are JSON; a mask holds no quote or backslash, so it stays JSON.
            if let std::borrow::Cow::Owned(masked) = mask_text(&values, None) {
                changed.push((r.get::<_, i64>(0)?, masked));
            }
        }
    }
    let mut app = conn.appender("remask_rejects")?;
    for (key, values) in &changed {
        app.append_row(params![key, values])?;
    }
    app.flush()?;
    out.rejects_changed = changed.len() as u64;
    Ok(())
}

/// Masks every cell of each load folder's `rejects.csv` again; returns the files rewritten.
fn remask_reject_files(loads: &Path) -> Result<u64> {
    let Ok(entries) = std::fs::read_dir(loads) else {
        return Ok(0);
    };
    let mut rewritten = 0;
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path().join("rejects.csv"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text.as_ref()),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut writer = csv::Writer::from_writer(bom.as_bytes().to_vec());
        let mut any = false;
        for record in reader.records() {
            let record = record.with_context(|| format!("reading {}", file.display()))?;
            let cells: Vec<String> = record
                .iter()
                .map(|c| {
                    let m = mask_text(c, None);
                    any |= matches!(m, std::borrow::Cow::Owned(_));
                    m.into_owned()
                })
                .collect();
            writer.write_record(&cells)?;
        }
        if any {
            let bytes = writer
                .into_inner()
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", file.display()))?;
            crate::fsutil::write_atomic(&file, &bytes)?;
            rewritten += 1;
        }
    }
    Ok(rewritten)
}
