//! The SQL the product runs, kept in `sql/` files and embedded at build time, with the one
//! helper that runs a file statement by statement.

use std::sync::LazyLock;

use anyhow::{Context, Result};
use duckdb::{Connection, ToSql};
use regex::Regex;

/// One `.sql` file of the `sql/` tree.
#[derive(Debug, Clone, Copy)]
pub struct Script {
    /// Its path under `sql/`, for messages.
    pub name: &'static str,
    /// Its text.
    pub text: &'static str,
}

macro_rules! script {
    ($path:literal) => {
        Script {
            name: $path,
            text: include_str!(concat!("../sql/", $path)),
        }
    };
}

/// The record of the schema migrations applied (see `migrate`).
pub const WAREHOUSE_SCHEMA_MIGRATIONS: Script = script!("warehouse/schema_migrations.sql");
/// The load ledger's row of one file.
pub const LOAD_LEDGER: Script = script!("load/ledger.sql");
/// Reference dimension tables.
pub const WAREHOUSE_REFERENCE: Script = script!("warehouse/reference.sql");
/// The configurable rules as tables.
pub const WAREHOUSE_RULES: Script = script!("warehouse/rules.sql");
/// The regular expression of every field keyword, for inferring 执法领域.
pub const REFRESH_FIELD_KEYWORDS: Script = script!("refresh/field_keywords.sql");
/// The tables and views of the SQL shell.
pub const SHELL_OBJECTS: Script = script!("shell/objects.sql");
/// The columns of the SQL shell's tables and views.
pub const SHELL_COLUMNS: Script = script!("shell/columns.sql");
/// The working-day calendar.
pub const WAREHOUSE_DIM_DATE: Script = script!("warehouse/dim_date.sql");
/// The staging table of one file.
pub const LOAD_STAGE: Script = script!("load/stage.sql");
/// What happens to each staged row.
pub const LOAD_CLASSIFY: Script = script!("load/classify.sql");
/// What happens to each staged row, for files with one row per ticket.
pub const LOAD_CLASSIFY_UNIQUE: Script = script!("load/classify_unique.sql");
/// Counts per action.
pub const LOAD_COUNTS: Script = script!("load/counts.sql");
/// Rejects of conflicting duplicates.
pub const LOAD_CONFLICT_REJECTS: Script = script!("load/conflict_rejects.sql");
/// Writing the classified rows.
pub const LOAD_APPLY: Script = script!("load/apply.sql");
/// The run ledger, for the scheduler's plan.
pub const SCHEDULE_RUNS: Script = script!("schedule/runs.sql");
/// What the scheduler needs to know of the loaded data.
pub const SCHEDULE_FACTS: Script = script!("schedule/facts.sql");
/// The staging tables of `rexian remask`.
pub const REMASK_STAGE: Script = script!("remask/stage.sql");
/// Replacing the stored texts by their remasked versions.
pub const REMASK_APPLY: Script = script!("remask/apply.sql");
/// The rows of one lake partition.
pub const LAKE_APPEALS_MONTH: Script = script!("lake/appeals_month.sql");

include!(concat!(env!("OUT_DIR"), "/sql_files.rs"));

/// The embedded files whose path (relative to `sql/`) starts with `prefix`, in name order.
pub fn files_under(prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    FILES
        .iter()
        .copied()
        .filter(move |(p, _)| p.starts_with(prefix))
}

static PARAM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$(\d+)").expect("valid"));

/// Splits a script into statements at semicolons that end a line.
pub fn statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        cur.push_str(line);
        cur.push('\n');
        // Our files keep `--` out of string literals, so this is where the code ends.
        let code = line.split("--").next().unwrap_or("");
        if code.trim_end().ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    out.push(cur);
    out.into_iter()
        .filter(|s| {
            s.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        })
        .collect()
}

/// A text as a SQL string literal: quoted, inner quotes doubled.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The highest `$N` a statement uses (comments ignored): how many parameters it takes.
pub fn param_count(text: &str) -> usize {
    let code: String = text
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    PARAM
        .captures_iter(&code)
        .filter_map(|c| c[1].parse::<usize>().ok())
        .max()
        .unwrap_or(0)
}

/// Runs every statement of a script; each gets the parameters it names (`$1`, `$2`, …).
///
/// # Errors
/// DuckDB's error, with the script's name.
pub fn run(conn: &Connection, script: Script, params: &[&dyn ToSql]) -> Result<()> {
    for stmt in statements(script.text) {
        let n = param_count(&stmt);
        conn.execute(&stmt, &params[..n.min(params.len())])
            .with_context(|| format!("running sql/{}", script.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_line_end_semicolons_only() {
        let s = statements("-- head\ncreate table a (x varchar); -- c\n\nselect ';'\n;\n-- tail\n");
        assert_eq!(s.len(), 1 + 1, "{s:?}");
        assert_eq!(statements(LOAD_APPLY.text).len(), 3);
    }
}
