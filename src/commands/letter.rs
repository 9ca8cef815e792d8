//! `rexian letter`: issue a 《行政执法监督意见书》 or 提醒函 on a case of the 督办台账 (its 文号
//! drawn from the register), void a number, record the department's reply, list the letters;
//! or typeset an unnumbered draft about one ticket.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::analyse::Output;
use crate::casework::letters::{self, Wording};
use crate::casework::{self, Register};
use crate::config::Workspace;
use crate::export::open_marts;
use crate::report::{self, LetterKind};

/// Issues the `kind` letter on `case` into `dir`; prints its path, and its 文号 and reply
/// deadline on standard error.
///
/// # Errors
/// When the register refuses it (the message says why) or typesetting or writing fails.
pub fn issue(
    ws: &Workspace,
    kind: LetterKind,
    case: &str,
    wording: &Wording,
    dir: &Path,
) -> Result<()> {
    let register = Register::open(ws)?;
    let (done, path) = register.issue_letter(kind, case, wording, dir)?;
    let details: serde_json::Value =
        serde_json::from_str(done.event.details.as_deref().unwrap_or("{}"))?;
    eprintln!(
        "case {}: {} {} issued to {} (event {}, by {}); reply due {}",
        done.case_no,
        details["number"].as_str().unwrap_or_default(),
        kind.title(),
        details["to"].as_str().unwrap_or_default(),
        done.event.event_id,
        done.event.staff,
        details["due"].as_str().unwrap_or_default(),
    );
    println!("{}", path.display());
    Ok(())
}

/// Voids the letter `number`.
///
/// # Errors
/// When the register refuses it.
pub fn void(ws: &Workspace, number: &str, reason: &str) -> Result<()> {
    let register = Register::open(ws)?;
    let done = register.void_letter(number, reason)?;
    eprintln!(
        "{number} voided (case {}, event {}, by {}); the number stays used",
        done.case_no, done.event.event_id, done.event.staff
    );
    Ok(())
}

/// Records the department's reply to the letter `number` as its case's answer.
///
/// # Errors
/// When the register refuses it.
pub fn reply(ws: &Workspace, number: &str, note: &str, file: Option<&Path>) -> Result<()> {
    let mut register = Register::open(ws)?;
    let done = register.reply_letter(number, note, file)?;
    eprintln!(
        "case {}: the reply to {number} recorded, {} → {} (event {}, by {})",
        done.case_no,
        done.event.from_state.as_deref().unwrap_or_default(),
        done.event.to_state,
        done.event.event_id,
        done.event.staff
    );
    println!("{}", done.case_no);
    Ok(())
}

/// Lists the letters issued (of `year`, or all).
///
/// # Errors
/// When the output cannot be written.
pub fn list(ws: &Workspace, year: Option<i32>, out: &Output) -> Result<()> {
    let Some(conn) = super::case::open(ws)? else {
        eprintln!("no letters yet: the 督办台账 is empty");
        return Ok(());
    };
    let frame = letters::list(&conn, casework::local_now(ws)?, year.unwrap_or(0))?;
    if frame.rows.is_empty() && out.path.is_none() {
        eprintln!("no letters issued");
    }
    out.write(&[frame])
}

/// Typesets an unnumbered draft of the `kind` letter about `ticket` into `dir` and prints its
/// path.
///
/// # Errors
/// When the ticket is unknown, or typesetting or writing fails.
pub fn draft(
    ws: &Workspace,
    kind: LetterKind,
    ticket: &str,
    date: Option<NaiveDate>,
    dir: &Path,
) -> Result<()> {
    let conn = open_marts(ws)?;
    let path = report::letter::write_draft(ws, &conn, kind, ticket, date, dir)?;
    println!("{}", path.display());
    Ok(())
}

/// Paragraphs from a text given on the command line or in a file (`-` for standard input):
/// one per non-empty line.
///
/// # Errors
/// When the file cannot be read or the text is empty.
pub fn paragraphs(
    text: Option<String>,
    file: Option<PathBuf>,
    what: &str,
) -> Result<Option<Vec<String>>> {
    let text = match (text, file) {
        (Some(t), _) => t,
        (None, Some(p)) if p.as_os_str() == "-" => {
            std::io::read_to_string(std::io::stdin()).context("reading standard input")?
        }
        (None, Some(p)) => std::fs::read_to_string(&p)
            .with_context(|| format!("cannot read {what} from {}", p.display()))?,
        (None, None) => return Ok(None),
    };
    let paragraphs: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if paragraphs.is_empty() {
        anyhow::bail!(
            "{what} is empty: write at least one paragraph, or leave it out for the default"
        );
    }
    Ok(Some(paragraphs))
}
