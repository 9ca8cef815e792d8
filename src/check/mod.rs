//! Data tests (`rexian check`): every `sql/checks/*.sql` is a query that returns offending
//! rows, and so is every test a model declares beside it (`sql/models/LAYER/NAME.toml`, see
//! [`declared`]); no rows is a pass. The lists are the files, embedded at build time.

pub mod declared;

use anyhow::{Context, Result};
use duckdb::Connection;

use crate::sql;

/// Rows of a failing check shown to the user.
const SAMPLE_ROWS: usize = 5;

/// The result of one check.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The file's name without `.sql`, e.g. `appeals_unique_ticket_id`.
    pub name: String,
    /// The file's first comment line: what the check asserts.
    pub description: String,
    /// Offending rows (0: pass).
    pub failing: u64,
    /// Column names of the sample.
    pub columns: Vec<String>,
    /// The first offending rows, as text.
    pub sample: Vec<Vec<String>>,
}

impl CheckOutcome {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        self.failing == 0
    }
}

fn marts_built(conn: &Connection) -> Result<bool> {
    crate::warehouse::has_relation(conn, "mart_indicator_values")
}

/// Which rows the incremental checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every row (`rexian check`).
    All,
    /// A check that names `{{checked_through_load}}` reads only the rows of loads after its
    /// last passing run (`rexian refresh`).
    SinceLastPass,
    /// Only the rows of this load, the newest (run by ingest before it commits).
    Load(i64),
}

const WATERMARK: &str = "{{checked_through_load}}";

/// Runs every check, in file-name order.
///
/// # Errors
/// When a check's SQL fails to run (a broken check, not a failing one).
pub fn run_all(conn: &Connection, scope: Scope) -> Result<Vec<CheckOutcome>> {
    let mut out = Vec::new();
    for (path, text) in sql::files_under("checks/") {
        let name = path
            .trim_start_matches("checks/")
            .trim_end_matches(".sql")
            .to_string();
        let description = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("--").map(|d| d.trim().to_string()))
            .unwrap_or_default();
        if name.starts_with("marts_") && !marts_built(conn)? {
            // `rexian check` on a warehouse never refreshed: say so instead of failing.
            out.push(CheckOutcome {
                name,
                description: "skipped: the marts are not built yet (run `rexian refresh`)".into(),
                failing: 0,
                columns: Vec::new(),
                sample: Vec::new(),
            });
            continue;
        }
        if matches!(scope, Scope::Load(_)) && !text.contains(WATERMARK) {
            continue;
        }
        let text = &if text.contains(WATERMARK) {
            let since: i64 = match scope {
                Scope::All => 0,
                Scope::Load(id) => id - 1,
                Scope::SinceLastPass => {
                    conn.query_row(sql::OPS_CHECK_WATERMARK.text, [&name], |r| r.get(0))?
                }
            };
            text.replace(WATERMARK, &since.to_string())
        } else {
            text.to_string()
        };
        out.push(outcome(conn, name, description, text, path)?);
    }
    // The models' declared tests read whole models; `rexian check` runs them, the refresh
    // (which only rebuilds what their SQL defines) and each load do not.
    if scope == Scope::All {
        out.extend(run_declared(conn)?);
    }
    Ok(out)
}

/// Runs the tests the models declare (whole models: none of them is incremental). A model
/// not built yet (the warehouse was never refreshed) has its tests skipped, saying so.
fn run_declared(conn: &Connection) -> Result<Vec<CheckOutcome>> {
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    // The declarations come model by model: whether it is built is asked once per model.
    let mut built: Option<(String, bool)> = None;
    for d in declared::all()? {
        let model = d.name.split('.').next().unwrap_or_default();
        if built.as_ref().is_none_or(|(m, _)| m != model) {
            built = Some((
                model.to_string(),
                crate::warehouse::has_relation(conn, model)?,
            ));
        }
        let is_built = built.as_ref().is_some_and(|(_, b)| *b);
        if !is_built {
            out.push(CheckOutcome {
                name: d.name,
                description: "skipped: the models are not built yet (run `rexian refresh`)".into(),
                failing: 0,
                columns: Vec::new(),
                sample: Vec::new(),
            });
            continue;
        }
        out.push(outcome(conn, d.name, d.description, &d.query, d.path)?);
    }
    tracing::info!(
        tests = out.len(),
        seconds = started.elapsed().as_secs_f64(),
        "ran the tests the models declare"
    );
    Ok(out)
}

/// Runs one check's query: how many rows offend, and the first of them as text.
fn outcome(
    conn: &Connection,
    name: String,
    description: String,
    text: &str,
    path: &str,
) -> Result<CheckOutcome> {
    let failing: i64 = conn
        .query_row(&format!("select count(*) from (\n{text}\n)"), [], |r| {
            r.get(0)
        })
        .with_context(|| format!("running the check {name} (sql/{path})"))?;
    let mut columns = Vec::new();
    let mut sample = Vec::new();
    if failing > 0 {
        let mut stmt = conn.prepare(&format!(
            "select columns(*)::varchar from (\n{text}\n) limit {SAMPLE_ROWS}"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let n = row.as_ref().column_count();
            sample.push(
                (0..n)
                    .map(|i| {
                        row.get::<_, Option<String>>(i)
                            .map(|v| v.unwrap_or_else(|| "NULL".into()))
                    })
                    .collect::<Result<_, _>>()?,
            );
        }
        columns = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    }
    Ok(CheckOutcome {
        name,
        description,
        failing: failing as u64,
        columns,
        sample,
    })
}

/// Runs the incremental checks on the rows of one load, inside its transaction, and moves
/// their watermarks on when every earlier load had passed them too.
///
/// # Errors
/// When a check fails (its message names the check and the first rows), or cannot run.
pub fn verify_load(conn: &Connection, load_id: i64) -> Result<()> {
    let outcomes = run_all(conn, Scope::Load(load_id))?;
    if let Some(o) = outcomes.iter().find(|o| !o.passed()) {
        anyhow::bail!(
            "the check {} failed on {} row(s) of this load (first: {}); nothing was loaded. \
             This is a bug in rexian's loading or masking: please report it with the check's output",
            o.name,
            o.failing,
            o.sample.first().map(|r| r.join(" ")).unwrap_or_default()
        );
    }
    for o in &outcomes {
        let through: i64 =
            conn.query_row(sql::OPS_CHECK_WATERMARK.text, [&o.name], |r| r.get(0))?;
        if through == load_id - 1 {
            record_passes(conn, std::slice::from_ref(o), load_id)?;
        }
    }
    Ok(())
}

/// Records, for every passing incremental check, that the rows of every load so far passed.
///
/// # Errors
/// When the warehouse cannot be written.
pub fn record_passes(
    conn: &Connection,
    outcomes: &[CheckOutcome],
    through_load: i64,
) -> Result<()> {
    for o in outcomes.iter().filter(|o| o.passed()) {
        let incremental = sql::files_under("checks/")
            .into_iter()
            .any(|(p, t)| p == format!("checks/{}.sql", o.name) && t.contains(WATERMARK));
        if incremental {
            sql::run(
                conn,
                sql::OPS_CHECK_PASS,
                &[&o.name as &dyn duckdb::ToSql, &through_load],
            )?;
        }
    }
    Ok(())
}
