//! `rexian refresh`: rebuild the models, then run the checks.

use anyhow::Result;

use super::Status;
use crate::config::Workspace;
use crate::reference::Reference;
use crate::{check, refresh, warehouse};

/// Rebuilds the reference dimensions and every model, prints them, then runs the checks.
///
/// # Errors
/// When the warehouse cannot be opened or a model fails to build.
pub fn run(ws: &Workspace) -> Result<Status> {
    if !ws.warehouse_path().exists() {
        anyhow::bail!(
            "the warehouse {} does not exist yet; load an extract first with `rexian ingest FILE`",
            ws.warehouse_path().display()
        );
    }
    let reference = Reference::load(ws.reference_dir().as_deref())?;
    {
        let mut conn = warehouse::open(
            &ws.warehouse_path(),
            warehouse::Access::ReadWrite,
            warehouse::LOCK_WAIT,
        )?;
        warehouse::apply_settings(&conn, &ws.config.warehouse)?;
        {
            let tx = conn.transaction()?;
            warehouse::sync_reference(&tx, &reference)?;
            tx.commit()?;
        }
        let built = refresh::refresh(&mut conn, &ws.config)?;
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_BORDERS_ONLY);
        table.set_header(["model", "layer", "kept as", "rows", "seconds"]);
        for b in &built {
            table.add_row([
                b.name.clone(),
                b.layer.clone(),
                b.materialized.to_string(),
                b.rows.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
                format!("{:.2}", b.seconds),
            ]);
        }
        println!("{table}");
        // The checks, on the same connection: the slow full-text ones read only the rows of
        // loads after their last passing run.
        let through: i64 = conn.query_row(
            "select coalesce(max(load_id), 0) from load_ledger",
            [],
            |r| r.get(0),
        )?;
        let outcomes = check::run_all(&conn, check::Scope::SinceLastPass)?;
        check::record_passes(&conn, &outcomes, through)?;
        Ok(super::check::report(&outcomes))
    }
}
