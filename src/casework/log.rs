//! The 督办台账's log: every change to a case is one event, appended and never updated. Each
//! event's MAC is an HMAC-SHA256 over the previous event's MAC and this event's fields, keyed
//! by a key derived from the workspace's secret key, so that whoever can write the warehouse
//! (`rexian sql --write`, DuckDB itself) but has not the key cannot change, insert or delete
//! an event without [`verify`] finding it. The newest event's number and MAC are also kept
//! beside the warehouse (`casework.head`), so that removing the last events is found too.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::{Connection, OptionalExt};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::Workspace;
use crate::mask::MaskKey;
use crate::sql;

/// What the key of the log is derived for (changing it would orphan every signed log).
const PURPOSE: &str = "rexian 督办台账 event log v1";

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its number: 1, 2, 3 … with no gaps.
    pub event_id: i64,
    /// The case it belongs to.
    pub case_no: String,
    /// When, in whole seconds since 1970 (UTC).
    pub at: i64,
    /// Who ([casework] staff).
    pub staff: String,
    /// What (`Action::name`).
    pub action: String,
    /// The state before (none for an opening).
    pub from_state: Option<String>,
    /// The state after.
    pub to_state: String,
    /// The reason, the answer's summary, the opinion.
    pub note: Option<String>,
    /// What the action set, as JSON.
    pub details: Option<String>,
    /// SHA-256 of an attached file.
    pub file_sha256: Option<String>,
    /// Its MAC.
    pub mac: String,
}

/// The key that signs the log.
pub struct ChainKey(Hmac<Sha256>);

impl ChainKey {
    /// The workspace's log key, derived from its secret key.
    ///
    /// # Errors
    /// When the workspace has no usable secret key (the message says how to restore it).
    pub fn load(ws: &Workspace) -> Result<ChainKey> {
        let key = MaskKey::load(
            &ws.config.masking.key_env,
            &ws.path(&ws.config.masking.key_file),
        )?;
        Ok(ChainKey(
            Hmac::<Sha256>::new_from_slice(&key.derive(PURPOSE)).context("unusable derived key")?,
        ))
    }

    /// The MAC of `e` following an event whose MAC is `prev` ("" for the first).
    fn mac(&self, prev: &str, e: &Event) -> String {
        // A JSON array: every field delimited and escaped, so that no two events share bytes.
        let fields = serde_json::json!([
            e.event_id,
            e.case_no,
            e.at,
            e.staff,
            e.action,
            e.from_state,
            e.to_state,
            e.note,
            e.details,
            e.file_sha256
        ]);
        let mut mac = self.0.clone();
        mac.update(prev.as_bytes());
        mac.update(b"\n");
        mac.update(fields.to_string().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The newest event's number and MAC, if the log has any.
///
/// # Errors
/// When the log cannot be read.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(sql::CASEWORK_CHAIN_HEAD.text, [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Appends an event after the log's head, filling its number and MAC (inside the caller's
/// transaction: the warehouse has one writer at a time, so numbers cannot collide).
///
/// # Errors
/// When the log cannot be read or written.
pub fn append(conn: &Connection, key: &ChainKey, e: Event) -> Result<Event> {
    let after = head(conn)?.unwrap_or((0, String::new()));
    append_after(conn, key, &after, e)
}

/// Appends an event after the event `after` (its number and MAC; `(0, "")` for the first),
/// which must be the log's head: for a caller that appends many in one transaction and so
/// knows it. The register's row of the event's case is worked out again with it.
///
/// # Errors
/// When the log cannot be written (an event of that number already there among them).
pub fn append_after(
    conn: &Connection,
    key: &ChainKey,
    after: &(i64, String),
    e: Event,
) -> Result<Event> {
    let e = insert(conn, key, after, e)?;
    if !e.case_no.is_empty() {
        super::register::refresh_case(conn, &e.case_no)?;
    }
    Ok(e)
}

/// Appends many events after the event `after` (the log's head), in order, and then works
/// out the register once for all of them: for filling a log of an office's years at once.
/// Returns the new head.
///
/// # Errors
/// When the log cannot be written.
pub fn append_all(
    conn: &Connection,
    key: &ChainKey,
    after: &(i64, String),
    events: impl IntoIterator<Item = Event>,
) -> Result<(i64, String)> {
    let mut head = after.clone();
    for e in events {
        let e = insert(conn, key, &head, e)?;
        head = (e.event_id, e.mac);
    }
    super::register::rebuild(conn)?;
    Ok(head)
}

/// Writes one event after `after`, numbered and signed, leaving the register to the caller.
fn insert(conn: &Connection, key: &ChainKey, after: &(i64, String), mut e: Event) -> Result<Event> {
    let (last, prev) = after;
    e.event_id = last + 1;
    e.mac = key.mac(prev, &e);
    conn.execute(
        sql::CASEWORK_APPEND_EVENT.text,
        duckdb::params![
            e.event_id,
            e.case_no,
            e.at,
            e.staff,
            e.action,
            e.from_state,
            e.to_state,
            e.note,
            e.details,
            e.file_sha256,
            e.mac
        ],
    )
    .context("appending to the 督办台账's log")?;
    Ok(e)
}

/// The log's events from `from` on, in order.
///
/// # Errors
/// When the log cannot be read.
pub fn events(conn: &Connection, from: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(sql::CASEWORK_EVENTS.text)?;
    let rows = stmt.query_map([from], |r| {
        Ok(Event {
            event_id: r.get(0)?,
            case_no: r.get(1)?,
            at: r.get(2)?,
            staff: r.get(3)?,
            action: r.get(4)?,
            from_state: r.get(5)?,
            to_state: r.get(6)?,
            note: r.get(7)?,
            details: r.get(8)?,
            file_sha256: r.get(9)?,
            mac: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<duckdb::Result<_>>()?)
}

/// Where the log's head is kept beside the warehouse.
pub fn head_path(ws: &Workspace) -> PathBuf {
    let mut p = ws.warehouse_path();
    p.set_file_name("casework.head");
    p
}

/// Records the log's head beside the warehouse, after the transaction that wrote it committed.
///
/// # Errors
/// When the file cannot be written.
pub fn write_head(path: &Path, head: &(i64, String)) -> Result<()> {
    crate::fsutil::write_atomic(path, format!("{} {}\n", head.0, head.1).as_bytes())
}

/// The head recorded beside the warehouse, if any.
///
/// # Errors
/// When the file is there but unreadable or malformed.
pub fn read_head(path: &Path) -> Result<Option<(i64, String)>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let mut parts = text.split_whitespace();
    let (Some(id), Some(mac), None) = (parts.next(), parts.next(), parts.next()) else {
        anyhow::bail!("{}: expected \"EVENT_NUMBER MAC\"", path.display());
    };
    let id = id
        .parse()
        .with_context(|| format!("{}: {id:?} is not an event number", path.display()))?;
    Ok(Some((id, mac.to_string())))
}

/// What [`verify`] found.
#[derive(Debug, Default)]
pub struct Verified {
    /// Events read.
    pub events: usize,
    /// The newest event's number and MAC.
    pub head: Option<(i64, String)>,
    /// Each edit, insertion or deletion found, in words; empty when the log is whole.
    pub problems: Vec<String>,
}

/// Checks every event's number and MAC along the chain, and the end of the chain against the
/// head recorded beside the warehouse (`recorded`).
///
/// # Errors
/// When the log cannot be read.
pub fn verify(
    conn: &Connection,
    key: &ChainKey,
    recorded: Option<&(i64, String)>,
) -> Result<Verified> {
    let events = events(conn, 1)?;
    let mut out = Verified {
        events: events.len(),
        ..Verified::default()
    };
    let mut prev = String::new();
    let mut expected = 1;
    for e in &events {
        if e.event_id != expected {
            out.problems.push(if e.event_id > expected {
                format!(
                    "events {expected}–{} are missing (deleted), before event {} of case {}",
                    e.event_id - 1,
                    e.event_id,
                    e.case_no
                )
            } else {
                format!("event {} appears out of order", e.event_id)
            });
        }
        if key.mac(&prev, e) != e.mac {
            out.problems.push(format!(
                "event {} (case {}, {} by {}) was changed or inserted behind rexian's back: \
                 its MAC does not match",
                e.event_id, e.case_no, e.action, e.staff
            ));
        }
        prev.clone_from(&e.mac);
        expected = e.event_id + 1;
    }
    out.head = events.last().map(|e| (e.event_id, e.mac.clone()));
    if let Some((id, mac)) = recorded {
        match events.iter().find(|e| e.event_id == *id) {
            Some(e) if e.mac == *mac => {}
            Some(_) => out.problems.push(format!(
                "event {id} is not the one recorded in casework.head: the log was rewritten"
            )),
            None => out.problems.push(format!(
                "the log ends at event {} but event {id} was recorded (casework.head): the \
                 newest events were deleted",
                out.head.as_ref().map_or(0, |h| h.0)
            )),
        }
    }
    Ok(out)
}
