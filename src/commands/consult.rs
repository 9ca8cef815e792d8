//! `rexian consult`: record a 会商 that was held, and list the register.

use anyhow::Result;
use chrono::NaiveDate;

use super::analyse::Output;
use crate::casework::consult::{self, Consultation, Topic};
use crate::casework::{self, Register};
use crate::config::Workspace;

/// `rexian consult record`: records a consultation and prints its number.
///
/// # Errors
/// When it is refused (the message says why) or cannot be recorded.
pub fn record(
    ws: &Workspace,
    date: NaiveDate,
    departments: &str,
    topics: &[String],
    lead: &str,
    norm: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    let topics = topics
        .iter()
        .map(|t| Topic::parse(t))
        .collect::<Result<Vec<_>>>()?;
    let mut register = Register::open(ws)?;
    let (no, event) = register.record_consultation(&Consultation {
        date,
        departments: departments
            .split(['、', ',', '，'])
            .map(str::to_string)
            .collect(),
        topics,
        lead: lead.to_string(),
        norm: norm.map(str::to_string),
        note: note.map(str::to_string),
    })?;
    eprintln!(
        "会商 {no} of {date} recorded (event {}, by {}); `rexian analyse disputes` marks its \
         categories settled",
        event.event_id, event.staff
    );
    println!("{no}");
    Ok(())
}

/// `rexian consult list`: the register of consultations.
///
/// # Errors
/// When the output cannot be written.
pub fn list(ws: &Workspace, year: Option<i32>, out: &Output) -> Result<()> {
    let Some(conn) = super::case::open(ws)? else {
        eprintln!("no consultations yet: the 督办台账 is empty");
        return Ok(());
    };
    let frame = consult::list(&conn, year.unwrap_or(0), casework::local_now(ws)?.1)?;
    if frame.rows.is_empty() && out.path.is_none() {
        eprintln!("no consultations recorded");
    }
    out.write(&[frame])
}
