//! `rexian generate`: write realistic monthly extracts.

use anyhow::Result;

use crate::generate::{self, Manifest, Options};
use crate::reference::Reference;

/// Generates the extracts and prints one line per file.
///
/// # Errors
/// When the range is empty or the folder cannot be written.
pub fn run(opts: &Options, reference: &Reference) -> Result<Manifest> {
    let manifest = generate::generate(opts, reference, |f| {
        println!(
            "{}  {:>9} rows ({} new, {} carried over)",
            opts.out.join(&f.name).display(),
            f.rows,
            f.new_tickets,
            f.carried_over
        );
    })?;
    println!(
        "Planted patterns and file list: {}",
        opts.out.join("manifest.json").display()
    );
    Ok(manifest)
}
