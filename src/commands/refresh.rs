//! `rexian refresh`: rebuild the models, then run the checks.

use anyhow::Result;

use super::Status;
use crate::config::Workspace;
use crate::refresh;

/// Rebuilds the reference dimensions and every model, prints them, then runs the checks.
///
/// # Errors
/// When the warehouse cannot be opened or a model fails to build.
pub fn run(ws: &Workspace) -> Result<Status> {
    let refresh::Rebuilt {
        built,
        checks: outcomes,
        opened,
        classifier,
    } = refresh::rebuild(ws)?;
    let mut table = crate::output::table(["model", "layer", "kept as", "rows", "seconds"]);
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
    if let Some(said) = classifier.describe() {
        println!("{said}");
    }
    if !opened.is_empty() {
        println!(
            "opened {} case(s) by [casework] auto_open: {} (see `rexian case list`)",
            opened.len(),
            opened.join(", ")
        );
    }
    Ok(super::check::report(&outcomes))
}
