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

/// One reporting period by its key.
pub const OPS_PERIOD: Script = script!("ops/period.sql");
/// Every reporting period's kind and key.
pub const OPS_PERIOD_KEYS: Script = script!("ops/period_keys.sql");

/// The indicators of one unit in a period, for a report.
pub const REPORT_UNIT_INDICATORS: Script = script!("report/unit_indicators.sql");
/// The indicators' names, short names and formulas.
pub const REPORT_INDICATOR_DEFINITIONS: Script = script!("report/indicator_definitions.sql");
/// The loaded files and the rules version behind a report.
pub const REPORT_PROVENANCE: Script = script!("report/provenance.sql");

/// A working day some working days after a day.
pub const REPORT_ADD_WORKDAYS: Script = script!("report/add_workdays.sql");
/// What a supervision letter says of its appeal.
pub const REPORT_LETTER_APPEAL: Script = script!("report/letter_appeal.sql");
/// The newest extract's day, the loaded files and the rules version behind a letter.
pub const REPORT_LETTER_PROVENANCE: Script = script!("report/letter_provenance.sql");

/// Appends one event to the 督办台账's log.
pub const CASEWORK_APPEND_EVENT: Script = script!("casework/append_event.sql");
/// The 督办台账's log in order, from an event on.
pub const CASEWORK_EVENTS: Script = script!("casework/events.sql");
/// The newest event of the log.
pub const CASEWORK_CHAIN_HEAD: Script = script!("casework/chain_head.sql");
/// The next number of a year's sequence of cases.
pub const CASEWORK_NEXT_CASE_NO: Script = script!("casework/next_case_no.sql");
/// The 督办台账: one row per case, read from case_register.
pub const CASEWORK_REGISTER: Script = script!("casework/register.sql");
/// The register worked out from the log, one row per case (or one case).
pub const CASEWORK_REGISTER_ROWS: Script = script!("casework/register_rows.sql");
/// The register as case_register keeps it.
pub const CASEWORK_REGISTER_STORED: Script = script!("casework/register_stored.sql");
/// Takes the register's row of a case (or every row) away before it is worked out again.
pub const CASEWORK_REGISTER_FORGET: Script = script!("casework/register_forget.sql");
/// The state a case is in.
pub const CASEWORK_CASE_STATE: Script = script!("casework/case_state.sql");
/// The next number of a year's sequence of letters of one kind.
pub const CASEWORK_NEXT_LETTER_NO: Script = script!("casework/next_letter_no.sql");
/// One letter by its 文号: its case, kind, whether voided or answered.
pub const CASEWORK_LETTER: Script = script!("casework/letter.sql");
/// The letters of the register.
pub const CASEWORK_LETTERS: Script = script!("casework/letters.sql");
/// What a case was opened with.
pub const CASEWORK_CASE_OPENING: Script = script!("casework/case_opening.sql");
/// Who recorded a case's latest answer.
pub const CASEWORK_ANSWERED_BY: Script = script!("casework/answered_by.sql");
/// The appeals a case is opened from.
pub const CASEWORK_TICKETS: Script = script!("casework/tickets.sql");
/// A ticket's grade in its month.
pub const CASEWORK_TICKET_GRADE: Script = script!("casework/ticket_grade.sql");
/// Whether the log has any event.
pub const CASEWORK_ANY_EVENT: Script = script!("casework/any_event.sql");
/// 督办工作情况 of a period and region: one row per item.
pub const CASEWORK_PERIOD_WORK: Script = script!("casework/period_work.sql");
/// The tickets of the cases open at a period's end, by the month each was accepted in.
pub const CASEWORK_OPEN_CASE_MONTHS: Script = script!("casework/open_case_months.sql");
/// Whether a case stands chosen as a typical case.
pub const CASEWORK_TYPICAL_CHOSEN: Script = script!("casework/typical_chosen.sql");
/// The typical cases of a period, with the office's account.
pub const CASEWORK_TYPICAL_CASES: Script = script!("casework/typical_cases.sql");
/// Whether some enforcement-related appeal has a category.
pub const CASEWORK_CATEGORY_KNOWN: Script = script!("casework/category_known.sql");
/// The 会商 register.
pub const CASEWORK_CONSULTATIONS: Script = script!("casework/consultations.sql");
/// The categories settled by a 会商, with the returns before and after it.
pub const CASEWORK_SETTLED_DISPUTES: Script = script!("casework/settled_disputes.sql");
/// How many regions the warehouse knows (the pilot effect's permutation test).
pub const REPORT_REGION_COUNT: Script = script!("report/region_count.sql");
/// The months whose items auto_open may open cases for.
pub const CASEWORK_AUTO_OPEN_MONTHS: Script = script!("casework/auto_open_months.sql");
/// The items of a month auto_open opens a case for.
pub const CASEWORK_AUTO_OPEN_CANDIDATES: Script = script!("casework/auto_open_candidates.sql");
/// The returned tickets of a category in a region in a period (a 会商 case's).
pub const CASEWORK_DISPUTE_TICKETS: Script = script!("casework/dispute_tickets.sql");
/// The tickets of a category graded 普遍性执法问题 in a period.
pub const CASEWORK_WIDESPREAD_TICKETS: Script = script!("casework/widespread_tickets.sql");
/// The events of one case.
pub const CASEWORK_HISTORY: Script = script!("casework/history.sql");

/// The labelled appeals (scope and field given), by month: the classifier's training data.
pub const MODEL_LABELLED_MONTHS: Script = script!("model/labelled_months.sql");
/// A sample of the labelled appeals with their class.
pub const MODEL_TRAINING_ROWS: Script = script!("model/training_rows.sql");
/// The files the warehouse was loaded from, for a model's record of its training data.
pub const MODEL_LEDGER_DIGEST: Script = script!("model/ledger_digest.sql");

/// The appeals the model has yet to score.
pub const MODEL_PENDING: Script = script!("model/pending.sql");
/// The newest load a model has scored.
pub const MODEL_SCORED_THROUGH: Script = script!("model/scored_through.sql");
/// The scores that go before a model scores the new loads.
pub const MODEL_FORGET_SCORES: Script = script!("model/forget_scores.sql");
/// 低置信度待复核: the blank appeals the model was not confident about.
pub const MODEL_REVIEW: Script = script!("model/review.sql");

/// Whether the figures use a model, and what it decided.
pub const MODEL_IN_USE: Script = script!("model/in_use.sql");

/// What the figures record of the learned classifier that decided in them.
pub const REPORT_MODEL_IN_FIGURES: Script = script!("report/model_in_figures.sql");
/// How many of a period's appeals the learned classifier decided.
pub const REPORT_MODEL_DECIDED: Script = script!("report/model_decided.sql");

/// What a push of a period (and county) sends: the new and changed items.
pub const EXCHANGE_CANDIDATES: Script = script!("exchange/candidates.sql");
/// The next number of a year's sequence of pushes or feedback imports.
pub const EXCHANGE_NEXT_NO: Script = script!("exchange/next_no.sql");
/// Records a push's items.
pub const EXCHANGE_RECORD_PUSH: Script = script!("exchange/record_push.sql");
/// The exchange file's rows.
pub const EXCHANGE_FILE: Script = script!("exchange/file.sql");
/// A push's rows as its event's digest covers them.
pub const EXCHANGE_PUSH_DIGEST: Script = script!("exchange/push_digest.sql");
/// A feedback import's rows as its event's digest covers them.
pub const EXCHANGE_FEEDBACK_DIGEST: Script = script!("exchange/feedback_digest.sql");
/// The pushes and imports of the log with their signed digests.
pub const EXCHANGE_SIGNED: Script = script!("exchange/signed.sql");
/// The staging table of a feedback file.
pub const EXCHANGE_FEEDBACK_STAGE: Script = script!("exchange/feedback_stage.sql");
/// An earlier import of the same feedback file.
pub const EXCHANGE_FEEDBACK_IMPORTED: Script = script!("exchange/feedback_imported.sql");
/// Records a feedback file's new rows, matched to pushes.
pub const EXCHANGE_FEEDBACK_RECORD: Script = script!("exchange/feedback_record.sql");
/// What became of each row of a feedback file.
pub const EXCHANGE_FEEDBACK_OUTCOMES: Script = script!("exchange/feedback_outcomes.sql");
/// The imported feedback.
pub const EXCHANGE_FEEDBACK_LIST: Script = script!("exchange/feedback_list.sql");
/// 件件有回音: pushed items without feedback past their time.
pub const EXCHANGE_UNANSWERED: Script = script!("exchange/unanswered.sql");
/// Pushed items the refresh now grades differently.
pub const EXCHANGE_DIFFERENCES: Script = script!("exchange/differences.sql");
/// The push ledger.
pub const EXCHANGE_LEDGER: Script = script!("exchange/ledger.sql");
/// The grade the office holds for a ticket (corrected, or frozen when pushed).
pub const EXCHANGE_EFFECTIVE_GRADE: Script = script!("exchange/effective_grade.sql");
/// The regions appeals come from.
pub const EXCHANGE_COUNTIES: Script = script!("exchange/counties.sql");

/// The warehouse's tables and views, for the data dictionary.
pub const OPS_DICTIONARY_OBJECTS: Script = script!("ops/dictionary_objects.sql");
/// The warehouse's columns, for the data dictionary.
pub const OPS_DICTIONARY_COLUMNS: Script = script!("ops/dictionary_columns.sql");

/// The next run's and attempt's numbers.
pub const SCHEDULE_RUN_NEXT: Script = script!("schedule/run_next.sql");
/// The run ledger's row of an attempt that begins.
pub const SCHEDULE_RUN_BEGIN: Script = script!("schedule/run_begin.sql");
/// How an attempt ended.
pub const SCHEDULE_RUN_FINISH: Script = script!("schedule/run_finish.sql");
/// Attempts a killed process left `running`, marked interrupted.
pub const SCHEDULE_RUN_REPAIR: Script = script!("schedule/run_repair.sql");

/// The first load of a file with the same bytes.
pub const LOAD_EARLIER: Script = script!("load/earlier_load.sql");
/// The rejected rows of one load.
pub const LOAD_REJECTS: Script = script!("load/rejects.sql");
/// The extracts the load ledger has taken, for a backup.
pub const OPS_ARCHIVE_LIST: Script = script!("ops/archive_list.sql");
/// The record of one migration applied.
pub const OPS_MIGRATION_RECORD: Script = script!("ops/migration_record.sql");
/// An incremental check's watermark.
pub const OPS_CHECK_WATERMARK: Script = script!("ops/check_watermark.sql");
/// An incremental check passed through a load.
pub const OPS_CHECK_PASS: Script = script!("ops/check_pass.sql");
/// The record of one model built.
pub const OPS_MODEL_BUILD: Script = script!("ops/model_build.sql");
/// Whether a model's name holds a table or a view.
pub const OPS_MODEL_TYPE: Script = script!("ops/model_type.sql");
/// The newest loads, for `rexian ledger`.
pub const OPS_LEDGER_RECENT: Script = script!("ops/ledger_recent.sql");
/// The office's decision on a key supervision item.
pub const OPS_DECISION: Script = script!("ops/decision.sql");
/// What the refresh made of the labelled appeals' scope and field.
pub const EVALUATE_SCOPE: Script = script!("evaluate/scope.sql");

/// The lake's appeals as a view of the shell.
pub const SHELL_LAKE_VIEW: Script = script!("shell/lake_view.sql");

/// The next load's number.
pub const LOAD_NEXT_ID: Script = script!("load/next_id.sql");
/// Whether the ledger knows a file of a size.
pub const LOAD_SEEN_SIZE: Script = script!("load/seen_size.sql");
/// The extract's moment on rows without an update time.
pub const LOAD_STATE_AT: Script = script!("load/state_at.sql");
/// How many rows of a load repeat a ticket.
pub const LOAD_REPEATED: Script = script!("load/repeated.sql");
/// The months a load changes.
pub const LOAD_CHANGED_MONTHS: Script = script!("load/changed_months.sql");

/// Whether a table or view exists.
pub const OPS_RELATION_EXISTS: Script = script!("ops/relation_exists.sql");

/// Whether the marts have this version's shape.
pub const OPS_MARTS_CURRENT: Script = script!("ops/marts_current.sql");

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

/// A name as a SQL identifier: double-quoted, inner quotes doubled.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
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
