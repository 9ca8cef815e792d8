//! The shell's dot commands: `.tables`, `.schema`, `.describe`, `.export`, `.format`,
//! `.timer`, `.read`, `.help`, `.quit`.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::render::{format_frame, ShellFormat};
use super::{run_script, sql_text, Session, Sink};
use crate::analyse::{query, value_text};

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
            println!("{}", format_frame(&f, ShellFormat::Table)?);
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
            let out = crate::analyse::Frame {
                title: String::new(),
                columns: ["表/视图", "列", "类型", "说明"].map(String::from).to_vec(),
                rows,
                percent: Default::default(),
            };
            println!("{}", format_frame(&out, ShellFormat::Table)?);
        }
        ".format" | ".mode" => {
            session.format = arg.parse()?;
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
            let rows = export(session, &last, Path::new(arg))?;
            println!("wrote {rows} rows to {arg}");
        }
        other => bail!("unknown command {other}; .help lists the commands"),
    }
    Ok(Next::Continue)
}

/// Writes the whole result of `sql` to `path`, in the format its extension names, through a
/// temporary file and a rename. Returns the number of rows.
///
/// # Errors
/// When the extension is unknown, the query fails, or the file cannot be written.
pub fn export(session: &Session, sql: &str, path: &Path) -> Result<u64> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let tmp = crate::fsutil::temp_beside(path);
    let conn = session.conn();
    let rows: i64 = conn
        .query_row(&format!("select count(*) from ({sql})"), [], |r| r.get(0))
        .context("counting the rows to export")?;
    let copy = |options: &str| -> Result<()> {
        conn.execute_batch(&format!("copy ({sql}) to '{}' ({options})", sql_text(&tmp)))
            .with_context(|| format!("writing {}", path.display()))
    };
    let written = match ext.as_str() {
        "parquet" => copy("format parquet, compression zstd"),
        "json" => copy("format json, array true"),
        "csv" => copy("format csv, header true").and_then(|()| {
            // Excel reads UTF-8 only with a byte-order mark.
            let body = std::fs::read(&tmp)?;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all("\u{feff}".as_bytes())?;
            f.write_all(&body)?;
            f.sync_all()?;
            Ok(())
        }),
        "xlsx" => {
            if rows > 1_048_575 {
                bail!("{rows} rows do not fit in one Excel sheet (1 048 575 at most); export .csv or .parquet");
            }
            let mut f = query(conn, "export", sql, &[])?;
            f.title = "结果".into();
            crate::output::write(
                &[f],
                crate::output::Format::Xlsx,
                crate::output::CsvEncoding::Utf8Bom,
                Some(&tmp),
            )
        }
        other => bail!("cannot export to .{other}: use .csv, .parquet, .xlsx or .json"),
    };
    if let Err(e) = written {
        std::fs::remove_file(&tmp).ok();
        return Err(e);
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(rows as u64)
}
