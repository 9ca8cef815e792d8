//! The shell's dot commands: `.tables`, `.schema`, `.describe`, `.export`, `.format`,
//! `.timer`, `.read`, `.help`, `.quit`.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::render::format_frame;
use super::{run_script, Session, Sink};
use crate::analysis::{query, value_text};
use crate::output::Format;

/// What the shell does after a dot command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Read the next command.
    Continue,
    /// Leave the shell.
    Quit,
}

const HELP: &str = "\
.tables                 the tables and views, with what they hold
.schema [NAME]          the columns of one table or view (all, without NAME), with comments
.describe NAME          the same as .schema NAME
.export FILE            writes the last query's whole result; the format comes from the
                        extension: .csv (UTF-8 with BOM, for Excel), .parquet, .xlsx, .json
.format table|csv|json|markdown
                        how results are shown
.timer on|off           the time after each statement
.read FILE              runs the statements in a file
.help                   this list
.quit                   leaves (so does Ctrl-D); Ctrl-C cancels a running query
The warehouse is the default catalog; the lake's Parquet partitions are lake.appeals.
Statements end with ; and may span lines.";

/// Runs one dot command.
///
/// # Errors
/// When the command is unknown or fails.
pub fn dot_command(session: &mut Session, line: &str, sink: &Sink) -> Result<Next> {
    let line = line.trim().trim_end_matches(';');
    let (cmd, arg) = match line.split_once(char::is_whitespace) {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    match cmd {
        ".quit" | ".exit" | ".q" => return Ok(Next::Quit),
        ".help" | ".h" => println!("{HELP}"),
        ".tables" => {
            let mut f = query(
                session.conn(),
                "tables",
                crate::sql::SHELL_OBJECTS.text,
                &[],
            )?;
            f.columns = ["库", "模式", "名称", "类型", "说明"]
                .map(String::from)
                .to_vec();
            println!("{}", format_frame(&f, Format::Table)?);
        }
        ".schema" | ".describe" => {
            if cmd == ".describe" && arg.is_empty() {
                bail!(".describe needs a table or view name; .tables lists them");
            }
            let f = query(
                session.conn(),
                "columns",
                crate::sql::SHELL_COLUMNS.text,
                &[],
            )?;
            let name_of = |r: &Vec<duckdb::types::Value>| value_text(&r[1]);
            let wanted = arg
                .trim_start_matches("lake.")
                .trim_start_matches("warehouse.");
            let rows: Vec<Vec<duckdb::types::Value>> = f
                .rows
                .iter()
                .filter(|r| wanted.is_empty() || name_of(r) == wanted)
                .map(|r| vec![r[1].clone(), r[2].clone(), r[3].clone(), r[4].clone()])
                .collect();
            if rows.is_empty() {
                bail!("no table or view {arg:?}; .tables lists them");
            }
            let out = crate::analysis::Frame {
                title: String::new(),
                columns: ["表/视图", "列", "类型", "说明"].map(String::from).to_vec(),
                rows,
                percent: Default::default(),
                labels: Vec::new(),
            };
            println!("{}", format_frame(&out, Format::Table)?);
        }
        ".format" | ".mode" => {
            let format: Format = arg.parse()?;
            if format == Format::Xlsx {
                bail!("a workbook cannot be shown here: write one with .export FILE.xlsx");
            }
            session.format = format;
        }
        ".timer" => {
            session.timer = match arg {
                "on" => true,
                "off" => false,
                _ => bail!(".timer on or .timer off"),
            };
        }
        ".read" => {
            if arg.is_empty() {
                bail!(".read needs a file name");
            }
            let text =
                std::fs::read_to_string(arg).with_context(|| format!("cannot read {arg}"))?;
            run_script(session, &text, sink)?;
        }
        ".export" => {
            if arg.is_empty() {
                bail!(".export needs a file name ending in .csv, .parquet, .xlsx or .json");
            }
            let Some(last) = session.last_query.clone() else {
                bail!("nothing to export yet: run a query first, then .export FILE");
            };
            let rows = crate::output::export_query(session.conn(), &last, Path::new(arg))?;
            println!("wrote {rows} rows to {arg}");
        }
        other => bail!("unknown command {other}; .help lists the commands"),
    }
    Ok(Next::Continue)
}
