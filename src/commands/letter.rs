//! `rexian letter opinion|reminder TICKET`: typesets a supervision letter for one appeal and
//! prints its path.

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use crate::config::Workspace;
use crate::export::open_marts;
use crate::report::{self, LetterKind};

/// Writes the `kind` letter about `ticket`, numbered `number` and dated `date` (default: the
/// newest extract's day), into `dir`.
///
/// # Errors
/// When the ticket is unknown, or typesetting or writing fails.
pub fn run(
    ws: &Workspace,
    kind: LetterKind,
    ticket: &str,
    number: u32,
    date: Option<NaiveDate>,
    dir: &Path,
) -> Result<()> {
    let conn = open_marts(ws)?;
    let path = report::write_letter(ws, &conn, kind, ticket, number, date, dir)?;
    println!("{}", path.display());
    Ok(())
}
