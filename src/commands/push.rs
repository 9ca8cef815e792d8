//! `rexian push`: the exchange with the hotline — send a period's new and changed items (with
//! their frozen grades, the office's opinions, case numbers and states), record the office's
//! opinion on an item or correct its grade, and list the push ledger, the items the hotline
//! has not answered (件件有回音), the grades a refresh would change, and the feedback
//! imported (`rexian case import-feedback`).

use std::path::Path;

use anyhow::Result;

use super::analyse::Output;
use crate::casework::{self, exchange, Register};
use crate::config::Workspace;

/// `rexian push send`: writes the exchange file of a period's new and changed items.
///
/// # Errors
/// When the push is refused or cannot be written.
pub fn send(ws: &Workspace, period: &str, county: Option<&str>, dir: Option<&Path>) -> Result<()> {
    let mut register = Register::open(ws)?;
    let pushed = register.push(period, county, dir)?;
    let Some(push_no) = pushed.push_no else {
        eprintln!(
            "nothing to push: every item of {period}{} was pushed before and has not changed \
             since (grade, opinion, case, state); nothing was written",
            county.map(|c| format!(" in {c}")).unwrap_or_default()
        );
        return Ok(());
    };
    eprintln!(
        "push {push_no}: {} item(s) ({} new, {} updated), recorded in the push ledger",
        pushed.items,
        pushed.new,
        pushed.items - pushed.new
    );
    for f in &pushed.files {
        println!("{}", f.display());
    }
    Ok(())
}

/// `rexian push opinion TICKET`: the office's opinion on an item, carried by its next push.
///
/// # Errors
/// When refused or not recorded.
pub fn opinion(ws: &Workspace, ticket: &str, note: &str) -> Result<()> {
    let mut register = Register::open(ws)?;
    let e = register.opinion(ticket, note)?;
    eprintln!(
        "{ticket}: the office's opinion recorded (event {}, by {}); the next push carries it",
        e.event_id, e.staff
    );
    Ok(())
}

/// `rexian push regrade TICKET`: corrects an item's grade, with the reason.
///
/// # Errors
/// When refused or not recorded.
pub fn regrade(ws: &Workspace, ticket: &str, grade: &str, reason: &str) -> Result<()> {
    let mut register = Register::open(ws)?;
    let e = register.regrade(ticket, grade, reason)?;
    let from = e
        .details
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|d| d["from"].as_str().map(str::to_string))
        .unwrap_or_else(|| "ungraded".into());
    eprintln!(
        "{ticket}: {from} → {grade} (event {}, by {}); the next push carries it",
        e.event_id, e.staff
    );
    Ok(())
}

/// `rexian case import-feedback FILE`: imports the hotline's feedback once.
///
/// # Errors
/// When the file is refused (the message says what to fix) or cannot be recorded.
pub fn import_feedback(ws: &Workspace, path: &Path) -> Result<()> {
    let mut register = Register::open(ws)?;
    let done = register.import_feedback(path)?;
    if let Some((at, by)) = &done.already {
        eprintln!(
            "{} was already imported (import {}, {at}, by {by}); nothing changed",
            path.display(),
            done.import_no
        );
        return Ok(());
    }
    eprintln!(
        "import {}: {} row(s) from {} — {} matched to pushed items, {} matching no push (kept), \
         {} duplicate(s) kept once, {} imported before from another file",
        done.import_no,
        done.rows,
        path.display(),
        done.matched,
        done.unmatched.len(),
        done.duplicates.len(),
        done.known
    );
    if !done.duplicates.is_empty() {
        let shown: Vec<String> = done
            .duplicates
            .iter()
            .take(10)
            .map(|(row, first)| format!("row {row} = row {first}"))
            .collect();
        eprintln!(
            "  duplicate rows: {}{}",
            shown.join(", "),
            if done.duplicates.len() > 10 {
                ", …"
            } else {
                ""
            }
        );
    }
    if !done.unmatched.is_empty() {
        let shown: Vec<String> = done
            .unmatched
            .iter()
            .take(10)
            .map(|(row, ticket)| format!("row {row} ({ticket})"))
            .collect();
        eprintln!(
            "  no push sent these tickets: {}{}; `rexian push feedback --unmatched` lists them all",
            shown.join(", "),
            if done.unmatched.len() > 10 {
                ", …"
            } else {
                ""
            }
        );
    }
    println!("{}", done.import_no);
    Ok(())
}

/// What `rexian push` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// The push ledger.
    Ledger,
    /// 件件有回音: pushed items without feedback past their time (as of a day, else today).
    Unanswered {
        /// The day to count to, instead of today.
        as_of: Option<chrono::NaiveDate>,
    },
    /// Pushed items a refresh now grades differently.
    Differences,
    /// The feedback imported (all, or only the rows matching no push).
    Feedback {
        /// Only the rows matching no push.
        unmatched: bool,
    },
}

/// `rexian push ledger|unanswered|differences|feedback`.
///
/// # Errors
/// When the warehouse cannot be read or the output written.
pub fn list(ws: &Workspace, what: Listing, out: &Output) -> Result<()> {
    let Some(conn) = super::case::open(ws)? else {
        eprintln!("nothing pushed yet");
        return Ok(());
    };
    if !crate::warehouse::has_relation(&conn, "pushed_items")? {
        eprintln!("nothing pushed yet: run `rexian refresh` once to add the push ledger");
        return Ok(());
    }
    let now = casework::local_now(ws)?;
    let frame = match what {
        Listing::Ledger => exchange::ledger(&conn, now.1)?,
        Listing::Unanswered { as_of } => {
            let (frame, uncounted) = exchange::unanswered(
                &conn,
                (as_of.unwrap_or(now.0), now.1),
                ws.config.casework.feedback_workdays,
            )?;
            if uncounted > 0 {
                eprintln!(
                    "warning: {uncounted} pushed item(s) without feedback are not listed: their \
                     {} working days run beyond the official holiday calendar, so their due day \
                     cannot be counted; put the coming year's 放假 and 调休 days into holidays.csv \
                     in the workspace's reference folder ([paths] reference of rexian.toml) and \
                     run `rexian refresh`",
                    ws.config.casework.feedback_workdays
                );
            }
            frame
        }
        Listing::Differences => exchange::differences(&conn)?,
        Listing::Feedback { unmatched } => exchange::feedback(&conn, unmatched)?,
    };
    if frame.rows.is_empty() && out.path.is_none() {
        eprintln!(
            "{}",
            match what {
                Listing::Ledger => "nothing pushed yet".to_string(),
                Listing::Unanswered { .. } => format!(
                    "every pushed item has feedback, or is within its {} working days",
                    ws.config.casework.feedback_workdays
                ),
                Listing::Differences =>
                    "no pushed item is graded differently now than when it was pushed".into(),
                Listing::Feedback { .. } => "no feedback rows".into(),
            }
        );
        return Ok(());
    }
    out.write(&[frame])
}
