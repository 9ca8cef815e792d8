//! `rexian case`: the 督办台账 — open a case from graded tickets, assign it, record the
//! department's answer, review it, close it; list the register, show a case's history, and
//! verify that the log is as rexian wrote it.

use std::path::Path;

use anyhow::{bail, Result};

use super::analyse::Output;
use crate::casework::{self, log, Done, Register};
use crate::config::Workspace;
use crate::warehouse;

/// What `rexian case` changes.
#[derive(Debug, Clone)]
pub enum Change {
    /// 立案 from tickets.
    Open {
        /// 个案监督, 会商, 专项执法监督 or 提醒 (default: as the source says).
        kind: Option<String>,
        /// The 工单编号.
        tickets: Vec<String>,
        /// Where the tickets come from instead: a 会商 matter or a 普遍性 problem.
        source: Option<casework::Source>,
        /// A title (default: the first ticket's category).
        title: Option<String>,
        /// Why it is opened.
        note: Option<String>,
    },
    /// 交办.
    Assign {
        /// The responsible staff member.
        staff: String,
        /// The supervision form.
        form: String,
        /// Working days to the deadline.
        workdays: Option<u32>,
        /// A note.
        note: Option<String>,
    },
    /// 不予立案.
    Reject {
        /// Why.
        reason: String,
    },
    /// The department's answer.
    Answer {
        /// What it said.
        note: String,
        /// The file it came as.
        file: Option<std::path::PathBuf>,
    },
    /// 审核.
    Review {
        /// Approve (else return: 退回重办).
        approve: bool,
        /// The opinion; the reason of a return.
        note: Option<String>,
        /// Working days to the new deadline of a return.
        workdays: Option<u32>,
    },
    /// 办结.
    Close {
        /// A note.
        note: Option<String>,
    },
    /// 选为典型案例, with the office's account.
    Typical(casework::typical::Account),
    /// Withdraw a typical case, with the reason.
    Withdraw {
        /// Why.
        reason: String,
    },
}

/// Makes one change to the register (`case` is ignored for an opening) and says what it did.
///
/// # Errors
/// When the change is refused (the message says why and what is allowed) or cannot be
/// recorded.
pub fn change(ws: &Workspace, case: Option<&str>, what: Change) -> Result<()> {
    let mut register = Register::open(ws)?;
    let case = || -> Result<&str> {
        case.ok_or_else(|| anyhow::anyhow!("name the case: rexian case … CASE_NO"))
    };
    let done: Done = match what {
        Change::Open {
            kind,
            tickets,
            source,
            title,
            note,
        } => {
            let (tickets, kind, title) = match &source {
                Some(s) => {
                    let tickets = register.tickets_of_source(s)?;
                    eprintln!("{}: {} ticket(s)", s.describe(), tickets.len());
                    (
                        tickets,
                        kind.unwrap_or_else(|| s.kind().to_string()),
                        title.or_else(|| Some(s.title())),
                    )
                }
                None => (
                    tickets,
                    kind.unwrap_or_else(|| casework::KINDS[0].into()),
                    title,
                ),
            };
            register.open_case(&kind, &tickets, title.as_deref(), note.as_deref())?
        }
        Change::Assign {
            staff,
            form,
            workdays,
            note,
        } => register.assign(case()?, &staff, &form, workdays, note.as_deref())?,
        Change::Reject { reason } => register.reject(case()?, &reason)?,
        Change::Answer { note, file } => register.answer(case()?, &note, file.as_deref())?,
        Change::Review {
            approve,
            note,
            workdays,
        } => register.review(case()?, approve, note.as_deref(), workdays)?,
        Change::Close { note } => register.close(case()?, note.as_deref())?,
        Change::Typical(account) => register.mark_typical(case()?, &account)?,
        Change::Withdraw { reason } => register.withdraw_typical(case()?, &reason)?,
    };
    let e = &done.event;
    let due = e
        .details
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|d| d["due"].as_str().map(str::to_string));
    // A move says where the case went; an action that moves nothing (典型案例) says what it was.
    let what = match e.from_state.as_deref() {
        Some(from) if from == e.to_state => format!(
            "{} (stays {from})",
            casework::state::Action::ALL
                .into_iter()
                .find(|a| a.name() == e.action)
                .map_or(e.action.as_str(), |a| a.word())
        ),
        from => format!("{} → {}", from.unwrap_or("立案"), e.to_state),
    };
    eprintln!(
        "case {}: {what} (event {}, by {}){}",
        done.case_no,
        e.event_id,
        e.staff,
        due.map(|d| format!("; deadline {d}")).unwrap_or_default()
    );
    println!("{}", done.case_no);
    Ok(())
}

/// `rexian case list`: the register, or the cases in one state.
///
/// # Errors
/// When the state is unknown, or the output cannot be written.
pub fn list(ws: &Workspace, state: Option<&str>, out: &Output) -> Result<()> {
    let Some(conn) = open(ws)? else {
        eprintln!("no cases yet: the 督办台账 is empty");
        return Ok(());
    };
    let frame = casework::list(&conn, casework::local_now(ws)?, state.unwrap_or(""), "")?;
    if frame.rows.is_empty() && out.path.is_none() {
        eprintln!(
            "no cases{}",
            state.map(|s| format!(" {s}")).unwrap_or_default()
        );
    }
    out.write(&[frame])
}

/// `rexian case summary`: 督办工作情况 of a period, in a region or the city, as the reports
/// print it.
///
/// # Errors
/// When the period or region is unknown, or the output cannot be written.
pub fn summary(ws: &Workspace, period: &str, region: Option<&str>, out: &Output) -> Result<()> {
    let Some(conn) = open(ws)? else {
        bail!("no cases yet: the 督办台账 is empty");
    };
    let period = crate::period::Period::resolve(&conn, &ws.config, period)?;
    let region = region.unwrap_or("");
    crate::analysis::check_region(&conn, region)?;
    out.write(&[casework::period_work(&conn, &ws.config, &period, region)?])
}

/// `rexian case show CASE`: the case as the register has it and every event of it.
///
/// # Errors
/// When the case is unknown, or the output cannot be written.
pub fn show(ws: &Workspace, case: &str, out: &Output) -> Result<()> {
    let Some(conn) = open(ws)? else {
        bail!("no case {case:?}: the 督办台账 is empty");
    };
    let now = casework::local_now(ws)?;
    let register = casework::list(&conn, now, "", case)?;
    if register.rows.is_empty() {
        bail!("no case {case:?} in the 督办台账; `rexian case list` shows the cases");
    }
    out.write(&[register, casework::history(&conn, case, now.1)?])
}

/// `rexian case verify`: checks every event of the log against its MAC and the recorded
/// head, and the register against the log. Exit status 1, naming each problem, when anything
/// was changed behind rexian's back; with `repair`, a register that differs from a whole log
/// is worked out again from it.
///
/// # Errors
/// When the log was tampered with, or cannot be read.
pub fn verify(ws: &Workspace, repair: bool, quiet: bool) -> Result<()> {
    let Some(conn) = open(ws)? else {
        if !quiet {
            println!("the 督办台账's log is empty");
        }
        return Ok(());
    };
    let key = log::ChainKey::load(ws)?;
    let recorded = log::read_head(&log::head_path(ws))?;
    let mut v = log::verify(&conn, &key, recorded.as_ref())?;
    let mut batches = None;
    if warehouse::has_relation(&conn, "pushed_items")? {
        let (checked, problems) = casework::exchange::verify_batches(&conn)?;
        v.problems.extend(problems);
        batches = Some(checked).filter(|b| b.pushes + b.imports > 0);
    }
    casework::register::ensure_readable(&conn)?;
    let register = casework::register::differences(&conn)?;
    if !v.problems.is_empty() {
        bail!(
            "the 督办台账's log was changed behind rexian's back ({} of {} events checked):\n  {}\n\
             Restore the warehouse from a backup (`rexian backup restore`) taken before the change.",
            v.problems.len(),
            v.events,
            v.problems.iter().chain(&register).cloned().collect::<Vec<_>>().join("\n  ")
        );
    }
    if !register.is_empty() {
        if !repair {
            bail!(
                "the 督办台账's log is whole ({} events), but its register (the table of one row \
                 per case kept from it) was changed behind rexian's back:\n  {}\n\
                 Work it out again from the log with `rexian case verify --repair`.",
                v.events,
                register.join("\n  ")
            );
        }
        drop(conn);
        let mut writable = warehouse::open(
            &ws.warehouse_path(),
            warehouse::Access::ReadWrite,
            warehouse::LOCK_WAIT,
        )?;
        let tx = writable.transaction()?;
        let cases = casework::register::rebuild(&tx)?;
        tx.commit()?;
        tracing::warn!(
            differences = register.len(),
            cases,
            "the 督办台账's register differed from its whole log and was worked out again"
        );
        eprintln!(
            "the register differed from the log in {} place(s); it was worked out again from \
             the log: {cases} cases",
            register.len()
        );
    }
    if !quiet {
        println!("the register (one row per case) agrees with the log");
        match &v.head {
            Some((id, mac)) => println!(
                "the 督办台账's log is whole: {} events, head {id} {}",
                v.events,
                &mac[..16]
            ),
            None => println!("the 督办台账's log is empty"),
        }
        if let Some(b) = batches {
            println!(
                "the rows of {} push(es) and {} feedback import(s) match the digests their events signed",
                b.pushes, b.imports
            );
        }
    }
    Ok(())
}

/// `rexian case remind`: writes the day's 督办提醒 and says what is in it; returns the file.
///
/// # Errors
/// When the warehouse cannot be read or the file written.
pub fn remind(
    ws: &Workspace,
    as_of: Option<chrono::NaiveDate>,
    dir: Option<&std::path::Path>,
) -> Result<Option<std::path::PathBuf>> {
    let day = as_of.unwrap_or(casework::local_now(ws)?.0);
    let Some((reminder, path)) = write_reminder(ws, day, dir)? else {
        eprintln!("no case yet, nothing pushed: no 督办提醒");
        return Ok(None);
    };
    eprintln!(
        "督办提醒 {}: {} open case(s) past or within {} working days of their deadline ({} past \
         it), {} pushed item(s) without feedback after {} working days",
        reminder.day,
        reminder.cases.rows.len(),
        ws.config.casework.remind_workdays,
        reminder.overdue(),
        reminder.unanswered.rows.len(),
        ws.config.casework.feedback_workdays
    );
    if reminder.uncounted > 0 {
        eprintln!(
            "warning: {} pushed item(s) without feedback are not counted: their due day lies \
             beyond the official holiday calendar; add the coming year to holidays.csv in the \
             reference folder and run `rexian refresh`",
            reminder.uncounted
        );
    }
    println!("{}", path.display());
    Ok(Some(path))
}

/// Works out and writes the 督办提醒 of `day` into `dir` (default: the reports folder); none
/// when the warehouse has no 督办台账 yet. The scheduler's casework job is this.
///
/// # Errors
/// When the warehouse cannot be read or the file written.
pub fn write_reminder(
    ws: &Workspace,
    day: chrono::NaiveDate,
    dir: Option<&std::path::Path>,
) -> Result<Option<(casework::Reminder, std::path::PathBuf)>> {
    let Some(conn) = open(ws)? else {
        return Ok(None);
    };
    let reminder = casework::Reminder::of(ws, &conn, (day, casework::local_now(ws)?.1))?;
    let dir = dir.map_or_else(
        || ws.path(&ws.config.paths.reports),
        std::path::Path::to_path_buf,
    );
    let path = reminder.write(&dir)?;
    Ok(Some((reminder, path)))
}

/// The warehouse, read-only, when it has the 督办台账's log (a warehouse no rexian with
/// casework has written yet has none: it gets one with its first change).
pub(crate) fn open(ws: &Workspace) -> Result<Option<duckdb::Connection>> {
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    Ok(warehouse::has_relation(&conn, "case_events")?.then_some(conn))
}

/// Whether a path names a file that exists (for clap's check of --file).
pub fn existing_file(s: &str) -> Result<std::path::PathBuf, String> {
    let p = Path::new(s);
    if p.is_file() {
        Ok(p.to_path_buf())
    } else {
        Err(format!("{s}: no such file"))
    }
}
