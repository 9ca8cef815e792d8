//! The interactive shell: line editing and history (rustyline), completion of SQL keywords,
//! table, view and column names, multi-line statements, and Ctrl-C that cancels the running
//! query instead of leaving.

use std::collections::BTreeSet;

use anyhow::Result;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};

use super::dot::{dot_command, Next};
use super::render::show;
use super::{is_complete, split_statements, Access, Session, Sink, Source};
use crate::analysis::{query, value_text};

const KEYWORDS: &[&str] = &[
    "select",
    "from",
    "where",
    "group",
    "by",
    "order",
    "having",
    "limit",
    "offset",
    "join",
    "left",
    "right",
    "inner",
    "outer",
    "full",
    "cross",
    "on",
    "using",
    "as",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "like",
    "ilike",
    "between",
    "case",
    "when",
    "then",
    "else",
    "end",
    "distinct",
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "with",
    "union",
    "all",
    "except",
    "intersect",
    "desc",
    "asc",
    "nulls",
    "first",
    "last",
    "filter",
    "over",
    "partition",
    "window",
    "rows",
    "range",
    "cast",
    "date",
    "timestamp",
    "interval",
    "year",
    "month",
    "strftime",
    "date_trunc",
    "coalesce",
    "round",
    "describe",
    "summarize",
    "show",
    "tables",
    "pivot",
    "unpivot",
    "qualify",
    "true",
    "false",
    "exists",
    "any_value",
    "arg_max",
    "string_agg",
    "list",
    "unnest",
    "read_parquet",
    "copy",
    "to",
    "format",
];

const DOT_COMMANDS: &[&str] = &[
    ".tables",
    ".schema",
    ".describe",
    ".export",
    ".format",
    ".timer",
    ".read",
    ".help",
    ".quit",
];

/// Completion and multi-line input for the shell.
pub struct SqlHelper {
    names: BTreeSet<String>,
}

impl SqlHelper {
    fn new(session: &Session) -> Result<SqlHelper> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        let objects = query(
            session.conn(),
            "tables",
            crate::sql::SHELL_OBJECTS.text,
            &[],
        )?;
        for r in &objects.rows {
            let (catalog, name) = (value_text(&r[0]), value_text(&r[2]));
            if catalog == "lake" {
                names.insert(format!("lake.{name}"));
            }
            names.insert(name);
        }
        let columns = query(
            session.conn(),
            "columns",
            crate::sql::SHELL_COLUMNS.text,
            &[],
        )?;
        for r in &columns.rows {
            names.insert(value_text(&r[2]));
        }
        Ok(SqlHelper { names })
    }
}

impl Completer for SqlHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((start, Vec::new()));
        }
        let lower = word.to_lowercase();
        let upper = word.chars().next().is_some_and(char::is_uppercase);
        let mut out: Vec<Pair> = Vec::new();
        if word.starts_with('.') && start == 0 {
            for d in DOT_COMMANDS.iter().filter(|d| d.starts_with(word)) {
                out.push(Pair {
                    display: d.to_string(),
                    replacement: format!("{d} "),
                });
            }
        }
        for n in self
            .names
            .iter()
            .filter(|n| n.to_lowercase().starts_with(&lower))
        {
            out.push(Pair {
                display: n.clone(),
                replacement: n.clone(),
            });
        }
        for k in KEYWORDS.iter().filter(|k| k.starts_with(&lower)) {
            let k = if upper {
                k.to_uppercase()
            } else {
                k.to_string()
            };
            out.push(Pair {
                display: k.clone(),
                replacement: k,
            });
        }
        out.dedup_by(|a, b| a.replacement == b.replacement);
        Ok((start, out))
    }
}

impl Hinter for SqlHelper {
    type Hint = String;
}

impl Highlighter for SqlHelper {}

impl Validator for SqlHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for SqlHelper {}

/// Runs the interactive shell until `.quit` or Ctrl-D.
///
/// # Errors
/// When the terminal cannot be used.
pub fn interactive(session: &mut Session, access: Access) -> Result<()> {
    let mut rl: Editor<SqlHelper, rustyline::history::DefaultHistory> = Editor::new()?;
    rl.set_helper(Some(SqlHelper::new(session)?));
    let running = session.running();
    // Ctrl-C while a query runs cancels the query; at the prompt the line editor reads it as
    // a key and clears the line. Installed after the editor, whose own handler it replaces.
    ctrlc::set_handler(move || {
        if let Some(h) = running.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            h.interrupt();
        }
    })?;

    let history = session.workspace().join(".rexian_sql_history");
    let _ = rl.load_history(&history);
    match (access, session.source) {
        (Access::Write, _) => println!(
            "rexian sql — WRITE ACCESS: statements can change the warehouse. .help for help."
        ),
        (_, Source::Lake) => println!(
            "rexian sql — read-only, on the lake (the warehouse is being written). .help for help."
        ),
        _ => println!(
            "rexian sql — read-only. Statements end with ;  .tables lists the data, .help the commands."
        ),
    }
    let sink = Sink::Stdout { page: true };
    session.release()?;
    loop {
        match rl.readline("rexian> ") {
            Ok(input) => {
                if input.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(input.as_str());
                let _ = rl.save_history(&history);
                if let Err(e) = session.reattach() {
                    eprintln!("error: {e:#}");
                    continue;
                }
                let mut quit = false;
                if input.trim_start().starts_with('.') {
                    match dot_command(session, &input, &sink) {
                        Ok(Next::Quit) => quit = true,
                        Ok(Next::Continue) => {}
                        Err(e) => eprintln!("error: {e:#}"),
                    }
                } else {
                    for stmt in split_statements(&input) {
                        match session.execute(&stmt) {
                            Ok(o) => {
                                if let Err(e) = show(session, &o, &sink) {
                                    eprintln!("error: {e:#}");
                                }
                            }
                            Err(e) => {
                                eprintln!("error: {e:#}");
                                break;
                            }
                        }
                    }
                }
                // Back at the prompt: let a writer in while the analyst reads.
                if let Err(e) = session.release() {
                    eprintln!("error: {e:#}");
                }
                if quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
