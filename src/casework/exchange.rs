//! The exchange with the hotline, both ways (双向推送, 件件有回音). A push sends the graded
//! items of a period — each with its grade as frozen when first pushed (or as the office
//! corrected it), the office's opinion, the case opened from it and that case's state — as an
//! exchange file (XLSX for people, CSV and Parquet for systems; `docs/exchange.md`), and only
//! the items that are new or changed since their last push. The hotline's feedback file is
//! imported once, its rows matched to the pushed items; a row that matches none is kept and
//! reported. Pushes, imports, the office's opinions and its grade corrections are events of
//! the 督办台账's signed log (case_no ''), and a push's or an import's rows are covered by a
//! digest its event signs, so `rexian case verify` finds them changed too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, OptionalExt};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::log::Event;
use super::Register;
use crate::analysis::{self, Frame};
use crate::config::Staff;
use crate::ingest::{self, CellRef, RawRow};
use crate::output::{self, CsvEncoding, Format};
use crate::period::Period;
use crate::sql;
use crate::warehouse;

/// The exchange format's name and version, carried in every row of every exchange file.
pub const FORMAT_VERSION: &str = "rexian-exchange/1";

/// The grades an item can have.
pub const GRADES: [&str; 4] = ["重大", "需协调争议解决", "普遍性执法问题", "一般"];

/// What the office does with an item of the exchange (not a move of a case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemAction {
    Push,
    Feedback,
    Opinion,
    Regrade,
}

impl ItemAction {
    fn name(self) -> &'static str {
        match self {
            ItemAction::Push => "push",
            ItemAction::Feedback => "feedback",
            ItemAction::Opinion => "opinion",
            ItemAction::Regrade => "regrade",
        }
    }

    fn word(self) -> &'static str {
        match self {
            ItemAction::Push => "推送",
            ItemAction::Feedback => "导入反馈",
            ItemAction::Opinion => "督办意见",
            ItemAction::Regrade => "更正分级",
        }
    }

    /// Correcting a grade is a judgement on the grading: a reviewer's or the head's.
    fn roles(self) -> &'static [&'static str] {
        match self {
            ItemAction::Regrade => &["审核", "负责人"],
            _ => &["经办", "审核", "负责人"],
        }
    }

    fn check(self, staff: &Staff) -> Result<()> {
        if self.roles().contains(&staff.role.as_str()) {
            return Ok(());
        }
        bail!(
            "{} is {}: {} ({}) is for {}",
            staff.name,
            staff.role,
            self.name(),
            self.word(),
            self.roles().join("、")
        )
    }
}

/// What a push did.
#[derive(Debug)]
pub struct Pushed {
    /// 推送批次号 (none when nothing had changed and nothing was sent).
    pub push_no: Option<String>,
    /// Items sent.
    pub items: usize,
    /// Of them, pushed for the first time.
    pub new: usize,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// What a feedback import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// 导入批次号; for a file imported before, that import's.
    pub import_no: String,
    /// When the file was imported before (local time) and by whom: nothing was changed now.
    pub already: Option<(String, String)>,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows matched to a pushed item.
    pub matched: usize,
    /// Rows kept that match no pushed item: (row, ticket).
    pub unmatched: Vec<(i64, String)>,
    /// Rows the same as an earlier row of the file, kept once: (row, the earlier row).
    pub duplicates: Vec<(i64, i64)>,
    /// Rows imported before from another file, not kept again.
    pub known: usize,
}

/// The headers a feedback file may have, each with the field it fills; 工单编号 is required.
const FEEDBACK_HEADERS: [(&str, &[&str]); 7] = [
    ("ticket_id", &["工单编号", "工单号"]),
    ("push_no", &["推送批次号"]),
    ("received_at", &["签收时间"]),
    ("result", &["处理结果", "办理结果"]),
    ("redispatched", &["重新派单", "是否重新派单"]),
    ("feedback_at", &["反馈时间"]),
    ("remark", &["备注"]),
];

impl Register<'_> {
    /// 推送: sends the items of `period` (of one county, or the whole city) that are new or
    /// changed since their last push, as an exchange file in `dir` (default: the reports
    /// folder), and records the push. Nothing is written or recorded when nothing changed.
    ///
    /// # Errors
    /// When the period or county is unknown, the appeals were never graded, or a file or the
    /// log cannot be written.
    pub fn push(
        &mut self,
        period: &str,
        county: Option<&str>,
        dir: Option<&Path>,
    ) -> Result<Pushed> {
        ItemAction::Push.check(&self.staff)?;
        self.require_graded()?;
        let period = Period::resolve(&self.conn, &self.ws.config, period)?;
        if let Some(c) = county {
            let counties = column(&self.conn, sql::EXCHANGE_COUNTIES.text)?;
            if !counties.iter().any(|k| k == c) {
                bail!(
                    "--county {c:?}: no enforcement-related appeal comes from it; the regions are {}",
                    counties.join("、")
                );
            }
        }
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            &format!(
                "create or replace temp table push_items as {}",
                sql::EXCHANGE_CANDIDATES.text
            ),
            duckdb::params![period.key.to_string(), county.unwrap_or("")],
        )
        .context("choosing the items to push")?;
        let (items, new): (i64, i64) = tx.query_row(
            "select count(*), count(*) filter (where change_kind = '新增') from temp.push_items",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if items == 0 {
            return Ok(Pushed {
                push_no: None,
                items: 0,
                new: 0,
                files: Vec::new(),
            });
        }
        let (year, seq, push_no) = next_number(&tx, ItemAction::Push, self.today.year())?;
        tx.execute(
            sql::EXCHANGE_RECORD_PUSH.text,
            duckdb::params![push_no, period.key.to_string()],
        )?;
        let rows_sha256 = digest(&tx, sql::EXCHANGE_PUSH_DIGEST.text, &push_no, 10)?;

        // The file's rows once, in a temporary table: the three formats read the same rows.
        tx.execute(
            &format!(
                "create or replace temp table push_file as {}",
                sql::EXCHANGE_FILE.text
            ),
            duckdb::params![push_no, FORMAT_VERSION],
        )?;
        let dir = dir.map_or_else(
            || self.ws.path(&self.ws.config.paths.reports),
            Path::to_path_buf,
        );
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let stem = format!(
            "{} 12345热线推送 {push_no}{}",
            period.label,
            county.map(|c| format!(" {c}")).unwrap_or_default()
        );
        let frame =
            analysis::query(&tx, "推送清单", "select * from temp.push_file", &[])?.labelled()?;
        let xlsx = dir.join(format!("{stem}.xlsx"));
        output::write(
            std::slice::from_ref(&frame),
            Format::Xlsx,
            CsvEncoding::Utf8Bom,
            Some(&xlsx),
        )?;
        let csv = dir.join(format!("{stem}.csv"));
        output::write(&[frame], Format::Csv, CsvEncoding::Utf8Bom, Some(&csv))?;
        let parquet = dir.join(format!("{stem}.parquet"));
        output::export_query(&tx, "select * from temp.push_file", &parquet)?;
        let csv_sha = hex::encode(Sha256::digest(
            std::fs::read(&csv).with_context(|| format!("reading back {}", csv.display()))?,
        ));

        let details = json!({
            "year": year,
            "seq": seq,
            "push_no": push_no,
            "period": period.key.to_string(),
            "county": county.unwrap_or(""),
            "format": FORMAT_VERSION,
            "items": items,
            "new": new,
            "file": csv.file_name().map(|n| n.to_string_lossy().into_owned()),
            "rows_sha256": rows_sha256,
        });
        let event = self.append_item_event(&tx, ItemAction::Push, None, details, Some(csv_sha))?;
        tx.execute_batch("drop table temp.push_file; drop table temp.push_items")?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok(Pushed {
            push_no: Some(push_no),
            items: usize::try_from(items).unwrap_or_default(),
            new: usize::try_from(new).unwrap_or_default(),
            files: vec![xlsx, csv, parquet],
        })
    }

    /// Records the office's opinion (督办意见) on an item: what its next push carries.
    ///
    /// # Errors
    /// When the text is empty, the ticket unknown or the log cannot be written.
    pub fn opinion(&mut self, ticket: &str, text: &str) -> Result<Event> {
        ItemAction::Opinion.check(&self.staff)?;
        if text.trim().is_empty() {
            bail!("write the office's opinion: --note \"…\"");
        }
        self.require_ticket(ticket)?;
        self.record_item_event(ItemAction::Opinion, Some(text), json!({ "ticket": ticket }))
    }

    /// Corrects an item's grade, with the reason: what its pushes carry from now on, whatever
    /// a refresh computes.
    ///
    /// # Errors
    /// When the grade or the ticket is unknown, the reason empty, the item already has that
    /// grade, or the log cannot be written.
    pub fn regrade(&mut self, ticket: &str, grade: &str, reason: &str) -> Result<Event> {
        ItemAction::Regrade.check(&self.staff)?;
        if !GRADES.contains(&grade) {
            bail!("--grade {grade:?}: use one of {}", GRADES.join("、"));
        }
        if reason.trim().is_empty() {
            bail!("a corrected grade needs its reason: --reason \"…\"");
        }
        let graded_now = self.require_ticket(ticket)?;
        let held: Option<String> =
            self.conn
                .query_row(sql::EXCHANGE_EFFECTIVE_GRADE.text, [ticket], |r| r.get(0))?;
        let from = held.or(graded_now);
        if from.as_deref() == Some(grade) {
            bail!("{ticket} is already graded {grade}: nothing to correct");
        }
        self.record_item_event(
            ItemAction::Regrade,
            Some(reason),
            json!({ "ticket": ticket, "grade": grade, "from": from }),
        )
    }

    /// Imports the hotline's feedback file (签收, 处理结果, 重新派单): each row once, matched to
    /// the push it answers; rows matching none are kept and reported. A file imported before
    /// changes nothing and says so.
    ///
    /// # Errors
    /// When the file cannot be read, has an unknown or missing header, or a cell that cannot
    /// be read (the message names its row and column); nothing is imported then.
    pub fn import_feedback(&mut self, path: &Path) -> Result<Imported> {
        ItemAction::Feedback.check(&self.staff)?;
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file_sha = hex::encode(Sha256::digest(&bytes));
        let offset = super::local_now(self.ws)?.1;
        let before: Option<(String, String, String)> = self
            .conn
            .query_row(
                sql::EXCHANGE_FEEDBACK_IMPORTED.text,
                duckdb::params![file_sha, offset],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((import_no, at, by)) = before {
            return Ok(Imported {
                import_no,
                already: Some((at, by)),
                ..Imported::default()
            });
        }
        let rows = read_feedback(path)?;

        let tx = self.conn.unchecked_transaction()?;
        tx.execute_batch(sql::EXCHANGE_FEEDBACK_STAGE.text)?;
        {
            let mut app = tx.appender("feedback_in")?;
            for r in &rows {
                app.append_row(duckdb::params![
                    r.row_no,
                    r.fields[0],
                    r.fields[1],
                    r.fields[2],
                    r.fields[3],
                    r.fields[4],
                    r.fields[5],
                    r.fields[6],
                    r.sha256
                ])?;
            }
            app.flush()?;
        }
        let (year, seq, import_no) = next_number(&tx, ItemAction::Feedback, self.today.year())?;
        tx.execute(sql::EXCHANGE_FEEDBACK_RECORD.text, [&import_no])
            .with_context(|| format!("recording the feedback of {}", path.display()))?;
        let mut out = Imported {
            import_no: import_no.clone(),
            rows: rows.len(),
            ..Imported::default()
        };
        {
            let mut stmt = tx.prepare(sql::EXCHANGE_FEEDBACK_OUTCOMES.text)?;
            let mut q = stmt.query([&import_no])?;
            while let Some(r) = q.next()? {
                let row: i64 = r.get(0)?;
                match r.get::<_, String>(2)?.as_str() {
                    "matched" => out.matched += 1,
                    "unmatched" => out.unmatched.push((row, r.get(1)?)),
                    "duplicate" => out.duplicates.push((row, r.get(3)?)),
                    _ => out.known += 1,
                }
            }
        }
        let rows_sha256 = digest(&tx, sql::EXCHANGE_FEEDBACK_DIGEST.text, &import_no, 9)?;
        let details = json!({
            "year": year,
            "seq": seq,
            "import_no": import_no,
            "file": path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "rows": out.rows,
            "matched": out.matched,
            "unmatched": out.unmatched.len(),
            "duplicates": out.duplicates.len(),
            "known": out.known,
            "rows_sha256": rows_sha256,
        });
        let event =
            self.append_item_event(&tx, ItemAction::Feedback, None, details, Some(file_sha))?;
        tx.execute_batch("drop table temp.feedback_in")?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok(out)
    }

    /// Refuses when the appeals were never graded.
    fn require_graded(&self) -> Result<()> {
        if !warehouse::has_relation(&self.conn, "mart_graded_appeals")? {
            bail!(
                "the appeals have not been graded yet: load the extracts (`rexian ingest`) and \
                 run `rexian refresh` first"
            );
        }
        Ok(())
    }

    /// Refuses a ticket the warehouse has no enforcement-related appeal of; returns its grade
    /// in its month as the warehouse computes it.
    fn require_ticket(&self, ticket: &str) -> Result<Option<String>> {
        self.require_graded()?;
        match super::tickets_of(&self.conn, &[ticket.to_string()])?.pop() {
            Some(t) => Ok(t.grade),
            None => bail!(
                "no enforcement-related appeal {ticket:?} in the warehouse; copy the 工单编号 \
                 from `rexian grade` or a push's file"
            ),
        }
    }

    /// Records one event of the exchange in a transaction of its own.
    fn record_item_event(
        &self,
        action: ItemAction,
        note: Option<&str>,
        details: serde_json::Value,
    ) -> Result<Event> {
        let tx = self.conn.unchecked_transaction()?;
        let event = self.append_item_event(&tx, action, note, details, None)?;
        tx.commit()?;
        self.after_commit(&event)?;
        Ok(event)
    }

    /// Appends one event of the exchange (no case: case_no '', no state) inside `tx`.
    fn append_item_event(
        &self,
        tx: &Connection,
        action: ItemAction,
        note: Option<&str>,
        details: serde_json::Value,
        file_sha256: Option<String>,
    ) -> Result<Event> {
        self.append_office_event(tx, action.name(), note, details, file_sha256)
    }
}

/// One data row of a feedback file, its fields in [`FEEDBACK_HEADERS`]' order.
struct FeedbackRow {
    row_no: i64,
    fields: [Option<String>; 7],
    sha256: String,
}

/// Reads a feedback file whole, refusing it (naming every bad header or cell) before anything
/// is imported.
fn read_feedback(path: &Path) -> Result<Vec<FeedbackRow>> {
    let rows = ingest::read_table(path)?;
    let mut rows = rows.into_iter().skip_while(RawRow::is_blank);
    let Some(header) = rows.next() else {
        bail!(
            "{}: the file has no rows; export the feedback again from the hotline platform",
            path.display()
        );
    };
    let known = || {
        FEEDBACK_HEADERS
            .iter()
            .map(|(_, names)| names[0])
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut columns: Vec<Option<usize>> = Vec::new();
    let mut unknown = Vec::new();
    let mut seen: BTreeMap<usize, String> = BTreeMap::new();
    for i in 0..header.len() {
        let name = header
            .get(i)
            .map(|c| crate::reference::fold(&c.display()).trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            columns.push(None);
            continue;
        }
        match FEEDBACK_HEADERS
            .iter()
            .position(|(_, names)| names.contains(&name.as_str()))
        {
            Some(field) => {
                if let Some(first) = seen.insert(field, name.clone()) {
                    bail!(
                        "{}: row {}: the headers {first:?} and {name:?} both give {}; keep one \
                         and import the file again",
                        path.display(),
                        header.number,
                        FEEDBACK_HEADERS[field].1[0]
                    );
                }
                columns.push(Some(field));
            }
            None => {
                unknown.push(format!("{name:?} (column {})", column_letter(i)));
                columns.push(None);
            }
        }
    }
    if !unknown.is_empty() {
        bail!(
            "{}: row {}: unknown header(s) {}; a feedback file has the columns {} (工单编号 \
             required). Rename or remove those columns and import it again; nothing was imported",
            path.display(),
            header.number,
            unknown.join(", "),
            known()
        );
    }
    if !seen.contains_key(&0) {
        bail!(
            "{}: row {}: no 工单编号 column; each feedback row names the ticket it answers \
             (the columns are {}); nothing was imported",
            path.display(),
            header.number,
            known()
        );
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for raw in rows {
        if raw.is_blank() {
            continue;
        }
        let mut fields: [Option<String>; 7] = Default::default();
        for (i, field) in columns.iter().enumerate() {
            let (Some(field), Some(cell)) = (field, raw.get(i)) else {
                continue;
            };
            let where_ = || {
                format!(
                    "row {}, column {} ({})",
                    raw.number,
                    column_letter(i),
                    FEEDBACK_HEADERS[*field].1[0]
                )
            };
            let value = match FEEDBACK_HEADERS[*field].0 {
                "received_at" | "feedback_at" => match ingest::parse_timestamp_ref(cell) {
                    Ok(t) => t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                    Err(e) => {
                        problems.push(format!("{}: {e}", where_()));
                        None
                    }
                },
                // The hotline's words may name the citizen or a third party: masked as the
                // extracts' free text is.
                "result" | "redispatched" | "remark" => {
                    text(cell).map(|t| crate::mask::mask_text(&t, None).into_owned())
                }
                _ => text(cell),
            };
            fields[*field] = value;
        }
        if fields[0].is_none() {
            problems.push(format!(
                "row {}: no 工单编号; every feedback row names the ticket it answers",
                raw.number
            ));
            continue;
        }
        let sha256 = hex::encode(Sha256::digest(json!(fields).to_string().as_bytes()));
        out.push(FeedbackRow {
            row_no: i64::try_from(raw.number).unwrap_or(i64::MAX),
            fields,
            sha256,
        });
    }
    if !problems.is_empty() {
        let n = problems.len();
        problems.truncate(20);
        bail!(
            "{}: {n} cell(s) cannot be read; correct them and import the file again (nothing \
             was imported):\n  {}",
            path.display(),
            problems.join("\n  ")
        );
    }
    Ok(out)
}

/// A cell as trimmed text, or `None` when blank.
fn text(cell: CellRef<'_>) -> Option<String> {
    let t = cell.display();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A spreadsheet's name of column `i` (0 → A).
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + u8::try_from(i % 26).unwrap_or(0));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The first column of every row of a query, as text.
fn column(conn: &Connection, text: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(text)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<duckdb::Result<_>>()?)
}

/// SHA-256 over the `width` text columns of every row `text` gives for the batch `batch`
/// (a push's items or an import's rows), one JSON array per row: what the batch's event signs.
/// The next number of `year`'s sequence of pushes (`YYYY-PNNNN`) or imports (`YYYY-FNNNN`),
/// drawn inside the transaction that records it: (year, sequence, number).
fn next_number(conn: &Connection, action: ItemAction, year: i32) -> Result<(i32, i64, String)> {
    let seq: i64 = conn.query_row(
        sql::EXCHANGE_NEXT_NO.text,
        duckdb::params![action.name(), year],
        |r| r.get(0),
    )?;
    let letter = if action == ItemAction::Push { 'P' } else { 'F' };
    Ok((year, seq, format!("{year}-{letter}{seq:04}")))
}

fn digest(conn: &Connection, text: &str, batch: &str, width: usize) -> Result<String> {
    let mut stmt = conn.prepare(text)?;
    let mut rows = stmt.query([batch])?;
    let mut hash = Sha256::new();
    while let Some(r) = rows.next()? {
        let values = (0..width)
            .map(|i| r.get::<_, Option<String>>(i))
            .collect::<duckdb::Result<Vec<_>>>()?;
        hash.update(json!(values).to_string().as_bytes());
        hash.update(b"\n");
    }
    Ok(hex::encode(hash.finalize()))
}

/// Checks every push's items and every import's rows against the digest its signed event
/// carries: how many pushes and imports were checked, and each mismatch in words.
///
/// # Errors
/// When the tables cannot be read.
pub fn verify_batches(conn: &Connection) -> Result<(Batches, Vec<String>)> {
    let mut signed = Vec::new();
    {
        let mut stmt = conn.prepare(sql::EXCHANGE_SIGNED.text)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            signed.push((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                r.get::<_, i64>(3)?,
            ));
        }
    }
    let mut problems = Vec::new();
    let mut checked = Batches::default();
    for (action, batch, signed_sha, event_id) in signed {
        let (text, width, what, table) = if action == "push" {
            checked.pushes += 1;
            (sql::EXCHANGE_PUSH_DIGEST.text, 10, "push", "pushed_items")
        } else {
            checked.imports += 1;
            (
                sql::EXCHANGE_FEEDBACK_DIGEST.text,
                9,
                "feedback import",
                "feedback_rows",
            )
        };
        if digest(conn, text, &batch, width)? != signed_sha {
            problems.push(format!(
                "the rows of {what} {batch} (event {event_id}) in {table} were changed, added \
                 or deleted behind rexian's back: they no longer match the digest the event signed"
            ));
        }
    }
    Ok((checked, problems))
}

/// How many batches `verify_batches` checked.
#[derive(Debug, Default, Clone, Copy)]
pub struct Batches {
    /// Pushes.
    pub pushes: usize,
    /// Feedback imports.
    pub imports: usize,
}

/// The push ledger: every push with its counts, at local time (`offset` seconds from UTC).
///
/// # Errors
/// When the log cannot be read.
pub fn ledger(conn: &Connection, offset: i64) -> Result<Frame> {
    analysis::query(conn, "推送台账", sql::EXCHANGE_LEDGER.text, &[&offset])?.labelled()
}

/// 件件有回音: every pushed item without feedback `workdays` working days after its first
/// push, as of `today`; and how many unanswered items could not be counted because their due
/// day lies beyond the official calendar.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn unanswered(
    conn: &Connection,
    (today, offset): (NaiveDate, i64),
    workdays: u32,
) -> Result<(Frame, usize)> {
    let mut frame = analysis::query(
        conn,
        "推送未回音事项",
        sql::EXCHANGE_UNANSWERED.text,
        &[&today.to_string(), &offset, &workdays],
    )?
    .labelled()?;
    let due = frame
        .columns
        .iter()
        .position(|c| c == "feedback_due")
        .context("unanswered.sql has no feedback_due column")?;
    let before = frame.rows.len();
    frame
        .rows
        .retain(|r| !matches!(r[due], duckdb::types::Value::Null));
    let uncounted = before - frame.rows.len();
    Ok((frame, uncounted))
}

/// The pushed items whose grade a refresh now computes differently from the grade the
/// hotline has, over every period pushed.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn differences(conn: &Connection) -> Result<Frame> {
    let periods = column(
        conn,
        "select distinct period_key from pushed_items order by 1",
    )?;
    let mut out: Option<Frame> = None;
    // One period at a time: the grades' view grades a period when asked for it.
    for p in periods {
        let f = analysis::query(conn, "分级变化", sql::EXCHANGE_DIFFERENCES.text, &[&p])?;
        match &mut out {
            Some(o) => o.rows.extend(f.rows),
            None => out = Some(f),
        }
    }
    match out {
        Some(f) => f.labelled(),
        None => {
            analysis::query(conn, "分级变化", sql::EXCHANGE_DIFFERENCES.text, &[&""])?.labelled()
        }
    }
}

/// The hotline's feedback as imported: every row, or only those matching no push.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn feedback(conn: &Connection, unmatched_only: bool) -> Result<Frame> {
    analysis::query(
        conn,
        "热线反馈",
        sql::EXCHANGE_FEEDBACK_LIST.text,
        &[&unmatched_only],
    )?
    .labelled()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
