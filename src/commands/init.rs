//! `rexian init [DIR]`: create a workspace.

use std::path::Path;

use anyhow::Result;

use crate::config::{Workspace, CONFIG_FILE};

/// Creates (or completes) a workspace in `dir` and says what is there.
///
/// # Errors
/// When the folder cannot be written.
pub fn run(dir: &Path) -> Result<Workspace> {
    let existed = dir.join(CONFIG_FILE).exists();
    let ws = Workspace::init(dir)?;
    if existed {
        println!(
            "{} is already a workspace; kept its rexian.toml and key, created missing folders.",
            ws.root.display()
        );
    } else {
        println!("Created the workspace {}:", ws.root.display());
        println!("  rexian.toml   every setting, commented, with its default");
        println!("  secret.key    the masking key: back it up, never commit it");
        println!("  inbox/ archive/ rejected/ loads/ reports/ lake/");
        println!(
            "Next: rexian --workspace {} ingest EXTRACT.xlsx",
            dir.display()
        );
    }
    Ok(ws)
}
