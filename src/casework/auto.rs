//! 自动立案: where `[casework] auto_open` says so, the refresh opens a case by itself for every
//! 重大 and/or 屡次不改 item accepted since `auto_open_from` that no case was opened from yet,
//! one case per item, recorded in the name "rexian". The office then works it like any other
//! (交办, or 不予立案 with the reason); a rejected item is never opened again.

use anyhow::Result;
use duckdb::Connection;

use super::{Register, KINDS};
use crate::analysis;
use crate::config::{Staff, Workspace};
use crate::sql;
use crate::warehouse;

/// The name the log records for the cases the refresh opens.
pub const SYSTEM: &str = "rexian";

/// Opens a case for every new item `[casework] auto_open` asks for, on the refresh's own
/// connection, and returns their numbers (none when it is off).
///
/// # Errors
/// When the settings are wrong, or the grades or the log cannot be read or written.
pub fn open_new(ws: &Workspace, conn: &Connection) -> Result<Vec<String>> {
    let settings = &ws.config.casework;
    let Some(from) = settings.auto_open_from()? else {
        return Ok(Vec::new());
    };
    if !warehouse::has_relation(conn, "mart_graded_appeals")?
        || !warehouse::has_relation(conn, "case_events")?
    {
        return Ok(Vec::new());
    }
    let major = settings.auto_open.iter().any(|w| w == "重大");
    let recurrence = settings.auto_open.iter().any(|w| w == "屡次不改");
    let from_text = from.to_string();
    let months = analysis::query(
        conn,
        "自动立案的月份",
        sql::CASEWORK_AUTO_OPEN_MONTHS.text,
        &[&from_text],
    )?;
    let mut items: Vec<(String, String)> = Vec::new();
    // One month at a time: a read of the grades' view for one period reaches only its months.
    for month in months.texts("period_key") {
        let found = analysis::query(
            conn,
            "自动立案",
            sql::CASEWORK_AUTO_OPEN_CANDIDATES.text,
            &[&month, &from_text, &major, &recurrence],
        )?;
        let (tickets, reasons) = (found.texts("ticket_id"), found.texts("reason"));
        items.extend(tickets.into_iter().zip(reasons));
    }
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let system = Staff {
        name: SYSTEM.to_string(),
        role: "经办".to_string(),
        os_user: String::new(),
    };
    let mut register = Register::with_connection(ws, conn.try_clone()?, system)?;
    let mut opened = Vec::with_capacity(items.len());
    for (ticket, reason) in items {
        let done = register.open_case(
            KINDS[0],
            std::slice::from_ref(&ticket),
            None,
            Some(&format!("自动立案：{reason}（[casework] auto_open）")),
        )?;
        opened.push(done.case_no);
    }
    tracing::info!(cases = opened.len(), first = %opened[0], "auto_open: opened cases");
    Ok(opened)
}
