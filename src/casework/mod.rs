//! The 督办台账: the supervision office's cases (督办事项), each opened from one or more graded
//! tickets and carried through 交办, the department's answer, 审核 and 办结. The register is
//! read from an append-only, signed log (see [`log`]); every change is one event in the name
//! of the staff member running rexian (see [`staff`]), and only the moves of [`state`] are
//! allowed.

pub mod auto;
pub mod consult;
pub mod exchange;
pub mod letters;
pub mod log;
pub mod register;
pub mod staff;
pub mod state;
pub mod typical;

use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, OptionalExt};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::analysis::{self, Frame};
use crate::config::{Staff, Workspace};
use crate::reference::Reference;
use crate::schedule::clock::Clock;
use crate::sql;
use crate::warehouse;
use log::{ChainKey, Event};
use state::{Action, State};

/// The kinds of case.
pub const KINDS: [&str; 4] = ["个案监督", "会商", "专项执法监督", "提醒"];

/// The supervision forms (监督方式) a case is assigned with.
pub const FORMS: [&str; 4] = ["线上监督", "案例示范指导", "案卷核验", "随同执法"];

/// Where the tickets of a new case come from, besides a list of 工单编号.
#[derive(Debug, Clone)]
pub enum Source {
    /// A 会商 matter: the returned tickets of a category in a region in a period.
    Dispute {
        /// 分类@区县.
        topic: String,
        /// The period, as a user writes it.
        period: String,
    },
    /// A 普遍性执法问题: the tickets of a category graded so in a period.
    Widespread {
        /// 诉求分类, or 分类@区县 for one region's.
        category: String,
        /// The period, as a user writes it.
        period: String,
    },
}

impl Source {
    /// The kind of case it opens by default.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Dispute { .. } => KINDS[1],
            Source::Widespread { .. } => KINDS[2],
        }
    }

    /// The case's title by default.
    pub fn title(&self) -> String {
        match self {
            Source::Dispute { topic, .. } => format!("会商：{}", topic.replace('@', "（") + "）"),
            Source::Widespread { category, .. } => {
                format!(
                    "普遍性执法问题：{}",
                    category.split('@').next().unwrap_or(category)
                )
            }
        }
    }

    /// What it is, for the message.
    pub fn describe(&self) -> String {
        match self {
            Source::Dispute { topic, period } => format!("会商 {topic} in {period}"),
            Source::Widespread { category, period } => {
                format!("普遍性执法问题 {category} in {period}")
            }
        }
    }
}

/// The register opened for changes by the staff member running rexian.
pub struct Register<'a> {
    ws: &'a Workspace,
    conn: Connection,
    key: ChainKey,
    staff: Staff,
    reference: Reference,
    /// Now, in whole seconds (UTC), and today in the workspace's time zone.
    now: i64,
    today: NaiveDate,
}

/// What a change did: the event recorded and the state it left the case in.
#[derive(Debug)]
pub struct Done {
    /// The case.
    pub case_no: String,
    /// The event.
    pub event: Event,
}

impl<'a> Register<'a> {
    /// Opens the register for the staff member running rexian.
    ///
    /// # Errors
    /// When the user is not on the staff list, the key or the reference data cannot be read,
    /// or the warehouse cannot be opened for writing.
    pub fn open(ws: &'a Workspace) -> Result<Register<'a>> {
        let staff = staff::current(&ws.config.casework)?.clone();
        let conn = warehouse::open(
            &ws.warehouse_path(),
            warehouse::Access::ReadWrite,
            warehouse::LOCK_WAIT,
        )?;
        Self::with_connection(ws, conn, staff)
    }

    /// The register on a connection the caller already holds (the refresh's, whose write
    /// lock a second open would wait for), with changes recorded for `staff`.
    ///
    /// # Errors
    /// When the key or the reference data cannot be read, or `REXIAN_NOW` is not a time.
    pub fn with_connection(
        ws: &'a Workspace,
        conn: Connection,
        staff: Staff,
    ) -> Result<Register<'a>> {
        let clock = clock(ws)?;
        Ok(Register {
            ws,
            conn,
            key: ChainKey::load(ws)?,
            staff,
            reference: Reference::load(ws.reference_dir().as_deref())?,
            now: clock.now().timestamp(),
            today: clock.local_now().date_naive(),
        })
    }

    /// The staff member the changes are recorded for.
    pub fn staff(&self) -> &Staff {
        &self.staff
    }

    /// 立案: opens a case of `kind` from `tickets` (enforcement-related appeals the warehouse
    /// has), recording each ticket's grade as it stands now. Returns the new case.
    ///
    /// # Errors
    /// When the kind is unknown, a ticket is unknown or given twice, or the log cannot be
    /// written.
    pub fn open_case(
        &mut self,
        kind: &str,
        tickets: &[String],
        title: Option<&str>,
        note: Option<&str>,
    ) -> Result<Done> {
        if !KINDS.contains(&kind) {
            bail!("--kind {kind:?}: use one of {}", KINDS.join("、"));
        }
        if tickets.is_empty() {
            bail!("a case is opened from at least one 工单编号");
        }
        for (i, t) in tickets.iter().enumerate() {
            if tickets[..i].contains(t) {
                bail!("the ticket {t} is given twice");
            }
        }
        check_role(&self.staff, Action::Open)?;
        if !warehouse::has_relation(&self.conn, "mart_graded_appeals")? {
            bail!(
                "the appeals have not been graded yet: load the extracts (`rexian ingest`) and \
                 run `rexian refresh`, then open the case"
            );
        }
        let found = tickets_of(&self.conn, tickets)?;
        let missing: Vec<&String> = tickets
            .iter()
            .filter(|t| !found.iter().any(|f| &f.ticket_id == *t))
            .collect();
        if !missing.is_empty() {
            bail!(
                "no enforcement-related appeal {} in the warehouse; copy the 工单编号 from \
                 `rexian analyse supervision` or `rexian grade` (and run `rexian refresh` after \
                 a load)",
                missing
                    .iter()
                    .map(|t| format!("{t:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let distinct = |f: &dyn Fn(&Ticket) -> Option<String>| -> Vec<String> {
            let mut v: Vec<String> = Vec::new();
            for t in &found {
                if let Some(x) = f(t) {
                    if !v.contains(&x) {
                        v.push(x);
                    }
                }
            }
            v
        };
        let regions = distinct(&|t| t.region_name.clone());
        let fields = distinct(&|t| t.field_name.clone());
        let departments = distinct(&|t| t.department.clone());
        let title = title
            .map(str::to_string)
            .or_else(|| found[0].category.clone())
            .unwrap_or_else(|| tickets[0].clone());
        let details = json!({
            "kind": kind,
            "tickets": tickets,
            "grades": tickets
                .iter()
                .map(|t| found.iter().find(|f| &f.ticket_id == t).and_then(|f| f.grade.clone()))
                .collect::<Vec<_>>(),
            "title": title,
            "region": regions.join("、"),
            "field": fields.join("、"),
            "departments": departments,
        });
        let year = self.today.year();
        let tx = self.conn.transaction()?;
        let n: i64 = tx.query_row(sql::CASEWORK_NEXT_CASE_NO.text, [year], |r| r.get(0))?;
        let case_no = format!("{year}-{n:04}");
        let event = log::append(
            &tx,
            &self.key,
            Event {
                event_id: 0,
                case_no: case_no.clone(),
                at: self.now,
                staff: self.staff.name.clone(),
                action: Action::Open.name().into(),
                from_state: None,
                to_state: State::Pending.word().into(),
                note: note.map(str::to_string),
                details: Some(details.to_string()),
                file_sha256: None,
                mac: String::new(),
            },
        )?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok(Done { case_no, event })
    }

    /// The tickets a case from `source` is opened from, oldest first.
    ///
    /// # Errors
    /// When the period or region is unknown, or the source has no tickets (the message says
    /// where to find the right ones).
    pub fn tickets_of_source(&self, source: &Source) -> Result<Vec<String>> {
        let (period, text, params): (&str, &str, Vec<String>) = match source {
            Source::Dispute { topic, period } => {
                let t = consult::Topic::parse(topic)?;
                if t.region.is_empty() {
                    bail!(
                        "--dispute {topic:?}: a 会商 matter is a category in a region, \
                         分类@区县 as `rexian analyse disputes` lists it"
                    );
                }
                analysis::check_region(&self.conn, &t.region)?;
                (
                    period,
                    sql::CASEWORK_DISPUTE_TICKETS.text,
                    vec![t.category, t.region],
                )
            }
            Source::Widespread { category, period } => {
                let t = consult::Topic::parse(category)?;
                if !t.region.is_empty() {
                    analysis::check_region(&self.conn, &t.region)?;
                }
                (
                    period,
                    sql::CASEWORK_WIDESPREAD_TICKETS.text,
                    vec![t.category, t.region],
                )
            }
        };
        if !warehouse::has_relation(&self.conn, "mart_graded_appeals")? {
            bail!(
                "the appeals have not been graded yet: load the extracts (`rexian ingest`) and \
                 run `rexian refresh`, then open the case"
            );
        }
        let period = crate::period::Period::resolve(&self.conn, &self.ws.config, period)?;
        let found = analysis::query(
            &self.conn,
            "source tickets",
            text,
            &[&period.key, &params[0], &params[1]],
        )?
        .texts("ticket_id");
        if found.is_empty() {
            bail!(
                "{} has no tickets; `rexian analyse disputes --period {}` (or `rexian grade`) \
                 lists the matters there are",
                source.describe(),
                period.key
            );
        }
        Ok(found)
    }

    /// 交办: gives the case a responsible staff member and a supervision form, and a deadline
    /// `workdays` working days from today ([casework] deadline_workdays when not given).
    ///
    /// # Errors
    /// When the case, the staff member or the form is unknown, the move is not allowed, or the
    /// deadline lies beyond the official calendar.
    pub fn assign(
        &mut self,
        case_no: &str,
        responsible: &str,
        form: &str,
        workdays: Option<u32>,
        note: Option<&str>,
    ) -> Result<Done> {
        let settings = &self.ws.config.casework;
        if !settings.staff.iter().any(|s| s.name == responsible) {
            bail!(
                "--staff {responsible:?} is not on the [casework] staff list; the staff are {}",
                settings
                    .staff
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            );
        }
        if !FORMS.contains(&form) {
            bail!("--form {form:?}: use one of {}", FORMS.join("、"));
        }
        let workdays = workdays.unwrap_or(settings.deadline_workdays);
        let due = self.deadline(workdays)?;
        let details = json!({
            "staff": responsible,
            "form": form,
            "workdays": workdays,
            "due": due.to_string(),
        });
        self.act(case_no, Action::Assign, note, Some(details), None)
    }

    /// 不予立案, with the reason.
    ///
    /// # Errors
    /// When the reason is empty, the case unknown or the move not allowed.
    pub fn reject(&mut self, case_no: &str, reason: &str) -> Result<Done> {
        if reason.trim().is_empty() {
            bail!("不予立案 needs its reason: --reason \"…\"");
        }
        self.act(case_no, Action::Reject, Some(reason), None, None)
    }

    /// Records the department's answer (or 整改报告): its summary, and the SHA-256 of the file
    /// it came as, if one is given.
    ///
    /// # Errors
    /// When the summary is empty, the file unreadable, the case unknown or the move not
    /// allowed.
    pub fn answer(&mut self, case_no: &str, summary: &str, file: Option<&Path>) -> Result<Done> {
        self.record_answer(case_no, summary, file, None)
    }

    /// Records an answer, the reply to the letter `letter` (its 文号) when given.
    fn record_answer(
        &mut self,
        case_no: &str,
        summary: &str,
        file: Option<&Path>,
        letter: Option<&str>,
    ) -> Result<Done> {
        if summary.trim().is_empty() {
            bail!("record what the department answered: --note \"…\"");
        }
        let mut details = serde_json::Map::new();
        if let Some(l) = letter {
            details.insert("letter".into(), l.into());
        }
        let sha = match file {
            Some(p) => {
                let bytes = std::fs::read(p)
                    .with_context(|| format!("cannot read the answer's file {}", p.display()))?;
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                details.insert("file".into(), name.into());
                Some(hex::encode(Sha256::digest(&bytes)))
            }
            None => None,
        };
        let details = (!details.is_empty()).then_some(serde_json::Value::Object(details));
        self.act(case_no, Action::Answer, Some(summary), details, sha)
    }

    /// 审核: approves the answer, or returns the case (退回重办) with the reason and a new
    /// deadline `workdays` working days from today.
    ///
    /// # Errors
    /// When a return has no reason, the reviewer recorded the answer themselves (four-eyes),
    /// the case is unknown or the move not allowed.
    pub fn review(
        &mut self,
        case_no: &str,
        approve: bool,
        note: Option<&str>,
        workdays: Option<u32>,
    ) -> Result<Done> {
        if approve {
            return self.act(case_no, Action::Approve, note, None, None);
        }
        let Some(reason) = note.filter(|n| !n.trim().is_empty()) else {
            bail!("退回重办 needs its reason: --note \"…\"");
        };
        let workdays = workdays.unwrap_or(self.ws.config.casework.deadline_workdays);
        let due = self.deadline(workdays)?;
        let details = json!({ "workdays": workdays, "due": due.to_string() });
        self.act(case_no, Action::Return, Some(reason), Some(details), None)
    }

    /// 办结.
    ///
    /// # Errors
    /// When the case is unknown or the move not allowed.
    pub fn close(&mut self, case_no: &str, note: Option<&str>) -> Result<Done> {
        self.act(case_no, Action::Close, note, None, None)
    }

    /// The day `workdays` working days after today, under the official calendar.
    fn deadline(&self, workdays: u32) -> Result<NaiveDate> {
        self.deadline_from(self.today, workdays)
    }

    /// The day `workdays` working days after `from`, under the official calendar.
    fn deadline_from(&self, from: NaiveDate, workdays: u32) -> Result<NaiveDate> {
        let due = self.reference.add_workdays(from, workdays);
        match self.reference.calendar_years() {
            Some((_, last)) if due.year() <= last => Ok(due),
            covered => bail!(
                "{workdays} working days from {} is {due}, beyond the official holiday calendar \
                 (it covers {}); put that year's 放假 and 调休 days into holidays.csv in the \
                 workspace's reference folder ([paths] reference of rexian.toml) first, so \
                 that the deadline counts them",
                from,
                covered.map_or("no year".to_string(), |(a, b)| format!("{a}–{b}"))
            ),
        }
    }

    /// Records one move of a case, after checking that it is allowed, that the staff member's
    /// role may make it and, for an approval, that another person recorded the answer.
    fn act(
        &self,
        case_no: &str,
        action: Action,
        note: Option<&str>,
        details: Option<serde_json::Value>,
        file_sha256: Option<String>,
    ) -> Result<Done> {
        self.act_with(case_no, action, note, |_, _| Ok((details, file_sha256)))
    }

    /// Records one move of a case as [`Self::act`] does, its details and attached file's
    /// SHA-256 made by `prepare` once the move is known to be allowed (inside the transaction,
    /// given the case's state): for a letter, whose 文号 is drawn and whose file is written
    /// there.
    fn act_with(
        &self,
        case_no: &str,
        action: Action,
        note: Option<&str>,
        prepare: impl FnOnce(&Connection, State) -> Result<(Option<serde_json::Value>, Option<String>)>,
    ) -> Result<Done> {
        check_role(&self.staff, action)?;
        if case_no.trim().is_empty() {
            bail!(
                "name the case: its 督办事项编号, e.g. 2026-0001 (`rexian case list` shows them)"
            );
        }
        // The warehouse is this process's alone while the register is open (DuckDB's file
        // lock), so the transaction needs no exclusive borrow of the connection.
        let tx = self.conn.unchecked_transaction()?;
        let from: Option<String> = tx
            .query_row(sql::CASEWORK_CASE_STATE.text, [case_no], |r| r.get(0))
            .optional()?;
        let Some(from) = from else {
            bail!("no case {case_no:?} in the 督办台账; `rexian case list` shows the cases");
        };
        let from = State::from_word(&from)?;
        let to = state::transition(case_no, action, from)?;
        if action == Action::Approve && self.ws.config.casework.four_eyes {
            let answered_by: Option<String> = tx
                .query_row(sql::CASEWORK_ANSWERED_BY.text, [case_no], |r| r.get(0))
                .optional()?;
            if answered_by.as_deref() == Some(self.staff.name.as_str()) {
                bail!(
                    "{} recorded the department's answer to case {case_no} and cannot also \
                     approve it: another 审核 or 负责人 reviews it (four-eyes, [casework] \
                     four_eyes)",
                    self.staff.name
                );
            }
        }
        let (details, file_sha256) = prepare(&tx, from)?;
        let event = log::append(
            &tx,
            &self.key,
            Event {
                event_id: 0,
                case_no: case_no.to_string(),
                at: self.now,
                staff: self.staff.name.clone(),
                action: action.name().into(),
                from_state: Some(from.word().into()),
                to_state: to.word().into(),
                note: note.map(str::to_string),
                details: details.map(|d| d.to_string()),
                file_sha256,
                mac: String::new(),
            },
        )?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok(Done {
            case_no: case_no.to_string(),
            event,
        })
    }

    /// Records the log's new head beside the warehouse.
    /// Appends, inside `tx`, one event of the office's work that belongs to no case (case_no
    /// '', no state): a push, a feedback import, an opinion, a regrade, a 会商.
    fn append_office_event(
        &self,
        tx: &Connection,
        action: &str,
        note: Option<&str>,
        details: serde_json::Value,
        file_sha256: Option<String>,
    ) -> Result<Event> {
        log::append(
            tx,
            &self.key,
            Event {
                event_id: 0,
                case_no: String::new(),
                at: self.now,
                staff: self.staff.name.clone(),
                action: action.into(),
                from_state: None,
                to_state: String::new(),
                note: note.map(str::to_string),
                details: Some(details.to_string()),
                file_sha256,
                mac: String::new(),
            },
        )
    }

    fn after_commit(&self, event: &Event) -> Result<()> {
        log::write_head(
            &log::head_path(self.ws),
            &(event.event_id, event.mac.clone()),
        )
    }
}

/// Refuses a move the staff member's role may not make.
fn check_role(staff: &Staff, action: Action) -> Result<()> {
    if action.roles().contains(&staff.role.as_str()) {
        return Ok(());
    }
    bail!(
        "{} is {}: {} ({}) is for {}",
        staff.name,
        staff.role,
        action.name(),
        action.word(),
        action.roles().join("、")
    )
}

/// What a case records of each of its tickets.
struct Ticket {
    ticket_id: String,
    region_name: Option<String>,
    field_name: Option<String>,
    department: Option<String>,
    category: Option<String>,
    grade: Option<String>,
}

fn tickets_of(conn: &Connection, tickets: &[String]) -> Result<Vec<Ticket>> {
    let list = duckdb::types::Value::List(
        tickets
            .iter()
            .map(|t| duckdb::types::Value::Text(t.clone()))
            .collect(),
    );
    let mut stmt = conn.prepare(sql::CASEWORK_TICKETS.text)?;
    let rows = stmt.query_map([list], |r| {
        Ok((
            Ticket {
                ticket_id: r.get(0)?,
                region_name: r.get(1)?,
                field_name: r.get(2)?,
                department: r.get(3)?,
                category: r.get(4)?,
                grade: None,
            },
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut t, month) = row?;
        // One read of the grades' view per ticket, for its month: a join would grade every
        // period.
        t.grade = conn
            .query_row(
                sql::CASEWORK_TICKET_GRADE.text,
                [&month, &t.ticket_id],
                |r| r.get(0),
            )
            .optional()?;
        out.push(t);
    }
    Ok(out)
}

/// The register's clock: the system's, or, in a training workspace (one whose `[casework]
/// user_env` names a variable), the moment `REXIAN_NOW` names, so that a rehearsal can play a
/// month of casework in minutes. A production workspace always records the real time.
///
/// # Errors
/// When a training workspace's `REXIAN_NOW` is not a time.
pub fn clock(ws: &Workspace) -> Result<Clock> {
    if ws.config.casework.user_env.is_empty() {
        Ok(Clock::system(ws.config.tz()))
    } else {
        Clock::from_env(ws.config.tz())
    }
}

/// Today in the workspace's time zone, and its offset from UTC in seconds (the log keeps UTC;
/// the register shows local time).
///
/// # Errors
/// When a training workspace's `REXIAN_NOW` is not a time.
pub fn local_now(ws: &Workspace) -> Result<(NaiveDate, i64)> {
    use chrono::Offset;
    let now = clock(ws)?.local_now();
    Ok((
        now.date_naive(),
        i64::from(now.offset().fix().local_minus_utc()),
    ))
}

/// The workspace's offset from UTC in seconds at the start of `day` (the log keeps UTC; the
/// office's days are local).
pub fn utc_offset(tz: chrono_tz::Tz, day: NaiveDate) -> i64 {
    use chrono::{Offset, TimeZone};
    tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()))
}

/// Whether the office keeps its 督办台账 in rexian: the log has any event. The reports print
/// their 督办工作情况 only then, so a workspace without casework gets the reports it had.
///
/// # Errors
/// When the log cannot be read.
pub fn in_use(conn: &Connection) -> Result<bool> {
    Ok(warehouse::has_relation(conn, "case_events")?
        && conn.query_row(sql::CASEWORK_ANY_EVENT.text, [], |r| r.get(0))?)
}

/// 督办工作情况: what the office did in `period` in `region` ("" for the city) — cases opened,
/// 交办, letters, answers, reviews, closings, what stood open and overdue at the period's end,
/// items pushed to the hotline and its feedback — one row per item, as the reports print it.
///
/// # Errors
/// When the log cannot be read.
pub fn period_work(
    conn: &Connection,
    config: &crate::config::Config,
    period: &crate::period::Period,
    region: &str,
) -> Result<Frame> {
    let offset = utc_offset(config.tz(), period.end);
    analysis::query(
        conn,
        &format!("{} {region}督办工作情况", period.label),
        sql::CASEWORK_PERIOD_WORK.text,
        &[
            &period.start.to_string(),
            &period.end.to_string(),
            &region,
            &offset,
        ],
    )?
    .labelled()
}

/// The register: every case (or those in `state`, or the one `case_no`), as of `today`, its
/// times shifted by `offset` seconds to local time.
///
/// # Errors
/// When the state is unknown or the log cannot be read.
pub fn list(
    conn: &Connection,
    (today, offset): (NaiveDate, i64),
    state: &str,
    case_no: &str,
) -> Result<Frame> {
    if !state.is_empty() && State::from_word(state).is_err() {
        bail!(
            "--state {state:?}: use one of {}",
            State::ALL.map(State::word).join("、")
        );
    }
    register::ensure_readable(conn)?;
    analysis::query(
        conn,
        "督办台账",
        sql::CASEWORK_REGISTER.text,
        &[&today.to_string(), &state, &case_no, &offset, &""],
    )?
    .labelled()
}

/// The day's 督办提醒: the open cases past their deadline or due within `[casework]
/// remind_workdays` working days of `today`, soonest first, and the pushed items the hotline
/// has not answered in time (件件有回音).
#[derive(Debug)]
pub struct Reminder {
    /// The day it is for.
    pub day: NaiveDate,
    /// 临期、超期督办事项.
    pub cases: Frame,
    /// 推送未回音事项.
    pub unanswered: Frame,
    /// Unanswered items not counted: their due day lies beyond the official calendar.
    pub uncounted: usize,
}

impl Reminder {
    /// Works out the 督办提醒 of `today` from the register and the push ledger.
    ///
    /// # Errors
    /// When the reference data or the warehouse cannot be read.
    pub fn of(
        ws: &Workspace,
        conn: &Connection,
        (today, offset): (NaiveDate, i64),
    ) -> Result<Self> {
        let reference = Reference::load(ws.reference_dir().as_deref())?;
        let due_by = reference.add_workdays(today, ws.config.casework.remind_workdays);
        register::ensure_readable(conn)?;
        let cases = analysis::query(
            conn,
            "临期超期督办事项",
            sql::CASEWORK_REGISTER.text,
            &[&today.to_string(), &"", &"", &offset, &due_by.to_string()],
        )?
        .labelled()?;
        // Nothing pushed yet (or a warehouse from before the exchange, or one never refreshed):
        // no item can be waiting for feedback.
        let pushed = crate::warehouse::has_relation(conn, "pushed_items")?
            && crate::warehouse::has_relation(conn, "dim_date")?
            && conn.query_row("select count(*) > 0 from pushed_items", [], |r| r.get(0))?;
        let (unanswered, uncounted) = if pushed {
            exchange::unanswered(conn, (today, offset), ws.config.casework.feedback_workdays)?
        } else {
            let empty = Frame {
                title: "推送未回音事项".into(),
                ..Frame::default()
            };
            (empty, 0)
        };
        Ok(Reminder {
            day: today,
            cases,
            unanswered,
            uncounted,
        })
    }

    /// Open cases past their deadline.
    pub fn overdue(&self) -> usize {
        let i = self.cases.columns.iter().position(|c| c == "is_overdue");
        i.map_or(0, |i| {
            self.cases
                .rows
                .iter()
                .filter(|r| matches!(r[i], duckdb::types::Value::Boolean(true)))
                .count()
        })
    }

    /// Writes it as one workbook of two sheets, `督办提醒 YYYY-MM-DD.xlsx` in `dir`.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&self, dir: &std::path::Path) -> Result<std::path::PathBuf> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(format!("督办提醒 {}.xlsx", self.day));
        crate::output::write(
            &[self.cases.clone(), self.unanswered.clone()],
            crate::output::Format::Xlsx,
            crate::output::CsvEncoding::Utf8Bom,
            Some(&path),
        )?;
        Ok(path)
    }
}

/// The events of one case, oldest first, at local time (`offset` seconds from UTC).
///
/// # Errors
/// When the log cannot be read.
pub fn history(conn: &Connection, case_no: &str, offset: i64) -> Result<Frame> {
    analysis::query(
        conn,
        &format!("督办事项 {case_no} 办理过程"),
        sql::CASEWORK_HISTORY.text,
        &[&case_no, &offset],
    )?
    .labelled()
}
