//! `rexian sql`: analysts' SQL over the warehouse and the lake, read-only unless asked.
//!
//! The session is an in-memory DuckDB with the warehouse attached as `warehouse` (read-only,
//! the default catalog) and the lake's Parquet partitions as views in `lake` (`lake.appeals`).
//! When another rexian process is writing the warehouse (an ingest, a refresh), DuckDB's file
//! lock keeps readers out: the shell waits a little, then reads the lake instead — the state
//! of the last completed load — and says so.

mod complete;
mod dot;
mod render;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use duckdb::Connection;

use crate::analysis::Frame;
use crate::config::Workspace;
use crate::output::Format;

/// Rows kept for display of one result; the count goes on beyond it.
const DISPLAY_ROWS: usize = 10_000;

/// How the shell may touch the warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read-only (the default).
    ReadOnly,
    /// Read and write (`--write`, for administrators).
    Write,
}

/// Where the session's unqualified names point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The warehouse file.
    Warehouse,
    /// The lake only (the warehouse was locked by a writer).
    Lake,
}

/// One SQL session.
pub struct Session {
    conn: Connection,
    /// Where unqualified names point.
    pub source: Source,
    /// How results are shown.
    pub format: Format,
    /// Whether to show the time after each statement.
    pub timer: bool,
    /// The last statement that returned rows (for `.export`).
    pub last_query: Option<String>,
    /// The running query's interrupt handle (Ctrl-C).
    running: Arc<Mutex<Option<Arc<duckdb::InterruptHandle>>>>,
    workspace: PathBuf,
    /// The warehouse file, its access and the wait for a writer, for attaching it again.
    warehouse: PathBuf,
    access: Access,
    wait: Duration,
    /// Whether the warehouse is attached now (see [`Session::release`]).
    attached: bool,
}

/// The result of one statement.
pub struct Outcome {
    /// The rows kept for display.
    pub frame: Frame,
    /// All rows the statement returned.
    pub total_rows: usize,
    /// How long it took.
    pub elapsed: Duration,
}

impl Session {
    /// Opens a session on a workspace. `wait` bounds how long to wait for a writer before
    /// falling back to the lake (read-only sessions) or failing (`--write`).
    ///
    /// # Errors
    /// When the workspace has no warehouse, or DuckDB fails.
    pub fn open(ws: &Workspace, access: Access, wait: Duration) -> Result<Session> {
        let path = ws.warehouse_path();
        if !path.exists() {
            bail!(
                "the warehouse {} does not exist yet; load extracts with `rexian ingest FILE`",
                path.display()
            );
        }
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(&format!(
            "set memory_limit = '{}'",
            ws.config.warehouse.memory_limit.replace('\'', "")
        ))?;
        let lake = ws.lake_path();
        let source = attach(&conn, &path, access, wait, true)?;
        conn.execute_batch("attach ':memory:' as lake")?;
        let appeals = lake.join("appeals");
        if has_parquet(&appeals) {
            let partitions = format!("'{}/*/*/*.parquet'", sql_text(&appeals));
            conn.execute_batch(
                &crate::sql::SHELL_LAKE_VIEW
                    .text
                    .replace("{{partitions}}", &partitions),
            )?;
        }
        conn.execute_batch(match source {
            Source::Warehouse => "use warehouse",
            Source::Lake => "use lake",
        })?;
        Ok(Session {
            conn,
            source,
            format: Format::Table,
            timer: true,
            last_query: None,
            running: Arc::new(Mutex::new(None)),
            workspace: ws.root.clone(),
            warehouse: path,
            access,
            wait,
            attached: source == Source::Warehouse,
        })
    }

    /// Lets go of the warehouse while the shell waits at its prompt, so that a writer (the
    /// daemon's load or refresh, an ingest) is not kept out by an analyst's idle session. The
    /// next statement attaches it again. Only read-only sessions on the warehouse let go.
    ///
    /// # Errors
    /// DuckDB's error.
    pub fn release(&mut self) -> Result<()> {
        if self.attached && self.access == Access::ReadOnly {
            self.conn
                .execute_batch("use memory; detach warehouse")
                .context("letting go of the warehouse")?;
            self.attached = false;
        }
        Ok(())
    }

    /// Attaches the warehouse again after [`Session::release`] (waiting for a writer, then
    /// reading the lake, as at the start).
    ///
    /// # Errors
    /// DuckDB's error.
    pub fn reattach(&mut self) -> Result<()> {
        if self.attached || self.access == Access::Write {
            return Ok(());
        }
        // On the lake already (a long load): look once, without waiting, and say nothing
        // new; on the warehouse: wait for the writer as at the start.
        let on_lake = self.source == Source::Lake;
        let wait = if on_lake { Duration::ZERO } else { self.wait };
        let before = self.source;
        self.source = attach(&self.conn, &self.warehouse, self.access, wait, !on_lake)?;
        if before == Source::Lake && self.source == Source::Warehouse {
            eprintln!("The writer has finished: back on the warehouse.");
        }
        self.attached = self.source == Source::Warehouse;
        self.conn.execute_batch(match self.source {
            Source::Warehouse => "use warehouse",
            Source::Lake => "use lake",
        })?;
        Ok(())
    }

    /// The handle Ctrl-C uses to interrupt the running statement.
    pub fn running(&self) -> Arc<Mutex<Option<Arc<duckdb::InterruptHandle>>>> {
        self.running.clone()
    }

    /// The workspace folder.
    pub fn workspace(&self) -> &Path {
        &self.workspace
    }

    /// The DuckDB connection (for completion and the catalog).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs one statement and keeps up to [`DISPLAY_ROWS`] rows of its result.
    ///
    /// # Errors
    /// DuckDB's message (with the position of the error), or a clear word when a read-only
    /// session was asked to write.
    pub fn execute(&mut self, sql: &str) -> Result<Outcome> {
        let started = Instant::now();
        *self.running.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(self.conn.interrupt_handle());
        let result = self.run_statement(sql);
        *self.running.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let (frame, total_rows) = result.map_err(|e| explain(e, sql))?;
        if !frame.columns.is_empty() {
            self.last_query = Some(sql.trim().trim_end_matches(';').to_string());
        }
        Ok(Outcome {
            frame,
            total_rows,
            elapsed: started.elapsed(),
        })
    }

    fn run_statement(&self, sql: &str) -> duckdb::Result<(Frame, usize)> {
        // Through Arrow: every DuckDB type arrives (an untyped NULL column included), and the
        // rows beyond the display limit are only counted.
        let mut stmt = self.conn.prepare(sql)?;
        let batches = stmt.query_arrow([])?;
        let columns: Vec<String> = batches
            .get_schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let mut kept = Vec::new();
        let mut total = 0;
        for batch in batches {
            total += batch.num_rows();
            let take = DISPLAY_ROWS
                .saturating_sub(kept.len())
                .min(batch.num_rows());
            for i in 0..take {
                kept.push(
                    batch
                        .columns()
                        .iter()
                        .map(|c| arrow_value(c.as_ref(), i))
                        .collect(),
                );
            }
        }
        Ok((
            Frame {
                title: String::new(),
                columns,
                rows: kept,
                percent: Default::default(),
                labels: Vec::new(),
            },
            total,
        ))
    }
}

/// One cell of an Arrow column as a value: numbers, text and booleans as themselves, other
/// types as DuckDB would print them.
fn arrow_value(col: &dyn duckdb::arrow::array::Array, i: usize) -> duckdb::types::Value {
    use duckdb::arrow::array::{
        BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, Int8Array,
        LargeStringArray, StringArray, StringViewArray, UInt16Array, UInt32Array, UInt64Array,
        UInt8Array,
    };
    use duckdb::arrow::datatypes::DataType;
    use duckdb::types::Value;
    if col.is_null(i) {
        return Value::Null;
    }
    let any = col.as_any();
    macro_rules! cell {
        ($t:ty, $v:expr) => {
            if let Some(a) = any.downcast_ref::<$t>() {
                return $v(a.value(i));
            }
        };
    }
    match col.data_type() {
        DataType::Null => return Value::Null,
        DataType::Boolean => cell!(BooleanArray, Value::Boolean),
        DataType::Int8 => cell!(Int8Array, |x| Value::BigInt(i64::from(x))),
        DataType::Int16 => cell!(Int16Array, |x| Value::BigInt(i64::from(x))),
        DataType::Int32 => cell!(Int32Array, |x| Value::BigInt(i64::from(x))),
        DataType::Int64 => cell!(Int64Array, Value::BigInt),
        DataType::UInt8 => cell!(UInt8Array, |x| Value::BigInt(i64::from(x))),
        DataType::UInt16 => cell!(UInt16Array, |x| Value::BigInt(i64::from(x))),
        DataType::UInt32 => cell!(UInt32Array, |x| Value::BigInt(i64::from(x))),
        DataType::UInt64 => cell!(UInt64Array, Value::UBigInt),
        DataType::Float32 => cell!(Float32Array, |x| Value::Double(f64::from(x))),
        DataType::Float64 => cell!(Float64Array, Value::Double),
        DataType::Utf8 => cell!(StringArray, |x: &str| Value::Text(x.to_string())),
        DataType::LargeUtf8 => cell!(LargeStringArray, |x: &str| Value::Text(x.to_string())),
        DataType::Utf8View => cell!(StringViewArray, |x: &str| Value::Text(x.to_string())),
        DataType::Timestamp(unit, tz) => {
            // Arrow's own formatter cannot read a time zone name without chrono-tz; DuckDB
            // hands TIMESTAMPTZ over in UTC, so it is shown in UTC, marked as such.
            if let Some(text) = timestamp_text(col, i, *unit, tz.is_some()) {
                return Value::Text(text);
            }
        }
        _ => {}
    }
    let options = duckdb::arrow::util::display::FormatOptions::default();
    match duckdb::arrow::util::display::ArrayFormatter::try_new(col, &options) {
        Ok(f) => Value::Text(f.value(i).to_string()),
        Err(_) => Value::Text(format!("<{}>", col.data_type())),
    }
}

/// A timestamp cell as `2024-03-05 08:05:00` (with `+00` when it has a time zone: UTC).
fn timestamp_text(
    col: &dyn duckdb::arrow::array::Array,
    i: usize,
    unit: duckdb::arrow::datatypes::TimeUnit,
    utc: bool,
) -> Option<String> {
    use duckdb::arrow::array::{
        TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
        TimestampSecondArray,
    };
    use duckdb::arrow::datatypes::TimeUnit;
    let any = col.as_any();
    let micros = match unit {
        TimeUnit::Second => any.downcast_ref::<TimestampSecondArray>()?.value(i) * 1_000_000,
        TimeUnit::Millisecond => any.downcast_ref::<TimestampMillisecondArray>()?.value(i) * 1_000,
        TimeUnit::Microsecond => any.downcast_ref::<TimestampMicrosecondArray>()?.value(i),
        TimeUnit::Nanosecond => any.downcast_ref::<TimestampNanosecondArray>()?.value(i) / 1_000,
    };
    let t = chrono::DateTime::from_timestamp_micros(micros)?.naive_utc();
    let mut text = if t.and_utc().timestamp_subsec_micros() == 0 {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    };
    if utc {
        text.push_str("+00");
    }
    Some(text)
}

/// DuckDB's error with a word of advice where one helps.
fn explain(e: duckdb::Error, sql: &str) -> anyhow::Error {
    let text = e.to_string();
    if text.contains("read-only") || text.contains("read only") {
        anyhow::anyhow!(
            "the shell is read-only: it cannot change the warehouse. Administrators can start it \
             with `rexian sql --write`. (DuckDB: {text})"
        )
    } else if text.contains("INTERRUPT") || text.contains("nterrupted") {
        anyhow::anyhow!("cancelled")
    } else {
        let first = sql.trim().lines().next().unwrap_or("").trim();
        anyhow::anyhow!("{text}\n(in the statement beginning `{first}`)")
    }
}

/// Attaches the warehouse as `warehouse`, waiting up to `wait` for a writer. A read-only
/// session then falls back to the lake, a writing one fails. `announce`: say so on the
/// terminal (not when the session was on the lake already).
fn attach(
    conn: &Connection,
    path: &Path,
    access: Access,
    wait: Duration,
    announce: bool,
) -> Result<Source> {
    let mode = if access == Access::ReadOnly {
        " (read_only)"
    } else {
        ""
    };
    let statement = format!("attach '{}' as warehouse{mode}", sql_text(path));
    let started = Instant::now();
    let mut told = false;
    loop {
        match conn.execute_batch(&statement) {
            Ok(()) => return Ok(Source::Warehouse),
            Err(e) if is_lock_error(&e.to_string()) => {
                if started.elapsed() >= wait {
                    if access == Access::Write {
                        bail!(
                            "the warehouse is being written by another rexian process (an \
                             ingest or a refresh); try again when it has finished"
                        );
                    }
                    if announce {
                        eprintln!(
                            "The warehouse is still being written. Reading the lake instead: \
                             the appeals as of the last completed load (lake.appeals, also as \
                             `appeals`); the marts come back when the writer has finished."
                        );
                    }
                    return Ok(Source::Lake);
                }
                if !told && announce {
                    eprintln!(
                        "The warehouse is being written by another rexian process (an ingest \
                         or a refresh); waiting up to {} s…",
                        wait.as_secs()
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("opening {}", path.display()));
            }
        }
    }
}

fn is_lock_error(text: &str) -> bool {
    text.contains("Could not set lock") || text.contains("Conflicting lock")
}

fn has_parquet(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|years| {
            years.flatten().any(|y| {
                std::fs::read_dir(y.path()).is_ok_and(|months| {
                    months
                        .flatten()
                        .any(|m| m.path().join("appeals.parquet").is_file())
                })
            })
        })
        .unwrap_or(false)
}

/// A path or value inside a SQL string literal.
pub fn sql_text(p: &Path) -> String {
    p.to_string_lossy().replace('\'', "''")
}

/// Splits input into statements at semicolons outside quotes and comments.
pub fn split_statements(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = input.chars().peekable();
    let (mut single, mut double, mut line_comment) = (false, false, false);
    while let Some(c) = chars.next() {
        cur.push(c);
        match c {
            '\n' if line_comment => line_comment = false,
            _ if line_comment => {}
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '-' if !single && !double && chars.peek() == Some(&'-') => line_comment = true,
            ';' if !single && !double => {
                let s = cur.trim().trim_end_matches(';').trim().to_string();
                if !only_comments(&s) {
                    out.push(s);
                }
                cur.clear();
            }
            _ => {}
        }
    }
    let s = cur.trim().to_string();
    if !only_comments(&s) {
        out.push(s);
    }
    out
}

fn only_comments(s: &str) -> bool {
    s.lines()
        .map(|l| l.split("--").next().unwrap_or("").trim())
        .all(str::is_empty)
}

/// Whether the input so far is a whole statement (ends with `;`) or a dot command.
pub fn is_complete(input: &str) -> bool {
    let t = input.trim();
    if t.is_empty() || t.starts_with('.') {
        return true;
    }
    let code: String = t
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    code.trim_end().ends_with(';')
}

/// Runs statements one after the other, printing each result; stops at the first error.
///
/// # Errors
/// The first failing statement's error.
/// A line starting with `.` (outside a statement) is a dot command, as in the shell.
pub fn run_script(session: &mut Session, text: &str, out: &render::Sink) -> Result<()> {
    let mut pending = String::new();
    for line in text.lines() {
        if pending.trim().is_empty() && line.trim_start().starts_with('.') {
            if dot::dot_command(session, line, out)? == dot::Next::Quit {
                return Ok(());
            }
            continue;
        }
        pending.push_str(line);
        pending.push('\n');
        if is_complete(&pending) {
            for stmt in split_statements(&pending) {
                let outcome = session.execute(&stmt)?;
                render::show(session, &outcome, out)?;
            }
            pending.clear();
        }
    }
    for stmt in split_statements(&pending) {
        let outcome = session.execute(&stmt)?;
        render::show(session, &outcome, out)?;
    }
    Ok(())
}

pub use complete::interactive;
pub use dot::dot_command;
pub use render::Sink;

/// A saved query: a `.sql` file in `sql/queries/` (shipped) or the workspace's `queries/`.
#[derive(Debug, Clone)]
pub struct SavedQuery {
    /// Its name: the file name without `.sql`.
    pub name: String,
    /// Its first comment line.
    pub description: String,
    /// Its parameters, as the `-- params:` line lists them.
    pub params: String,
    /// Its text.
    pub text: String,
    /// Where it comes from.
    pub origin: String,
}

/// Every saved query; a workspace query overrides a shipped one of the same name.
///
/// # Errors
/// When the workspace's `queries/` folder cannot be read.
pub fn saved_queries(ws: &Workspace) -> Result<Vec<SavedQuery>> {
    let mut out: std::collections::BTreeMap<String, SavedQuery> = Default::default();
    for (path, text) in crate::sql::files_under("queries/") {
        let name = path.trim_start_matches("queries/").trim_end_matches(".sql");
        out.insert(name.to_string(), saved(name, text, "rexian"));
    }
    let dir = ws.root.join("queries");
    if dir.is_dir() {
        for e in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "sql") {
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                out.insert(name.clone(), saved(&name, &text, &p.display().to_string()));
            }
        }
    }
    Ok(out.into_values().collect())
}

fn saved(name: &str, text: &str, origin: &str) -> SavedQuery {
    let comments: Vec<&str> = text
        .lines()
        .take_while(|l| l.trim_start().starts_with("--"))
        .map(|l| l.trim_start().trim_start_matches("--").trim())
        .collect();
    SavedQuery {
        name: name.to_string(),
        description: comments.first().copied().unwrap_or("").to_string(),
        params: comments
            .iter()
            .find_map(|l| l.strip_prefix("params:"))
            .unwrap_or("")
            .trim()
            .to_string(),
        text: text.to_string(),
        origin: origin.to_string(),
    }
}

/// A saved query's text with its `{{name}}` parameters replaced by SQL string literals.
///
/// # Errors
/// When a parameter the query names is not given, or one given is not used.
pub fn bind_params(q: &SavedQuery, params: &[(String, String)]) -> Result<String> {
    let re = regex::Regex::new(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")?;
    let mut missing = Vec::new();
    let text = re.replace_all(&q.text, |c: &regex::Captures| {
        match params.iter().find(|(k, _)| k == &c[1]) {
            Some((_, v)) => crate::sql::literal(v),
            None => {
                missing.push(c[1].to_string());
                String::new()
            }
        }
    });
    if !missing.is_empty() {
        missing.dedup();
        bail!(
            "the query {} needs --param {} (its parameters: {})",
            q.name,
            missing
                .iter()
                .map(|m| format!("{m}=…"))
                .collect::<Vec<_>>()
                .join(" --param "),
            if q.params.is_empty() {
                "none listed"
            } else {
                &q.params
            }
        );
    }
    for (k, _) in params {
        if !re.captures_iter(&q.text).any(|c| &c[1] == k) {
            bail!("the query {} has no parameter {k:?} ({})", q.name, q.params);
        }
    }
    Ok(text.into_owned())
}
