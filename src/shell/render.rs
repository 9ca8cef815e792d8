//! How the shell shows a result: an aligned table (Chinese characters count double), CSV,
//! JSON or Markdown, with the row count and time; long tables go through a pager.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use super::{Outcome, Session};
use crate::analysis::{value_text, Frame};
use crate::output::{Format, NULL_SHOWN};

/// Where results go.
#[derive(Debug, Clone)]
pub enum Sink {
    /// The terminal; `page` lets long tables go through a pager.
    Stdout {
        /// Page long results.
        page: bool,
    },
    /// A file, appended to statement after statement.
    File(PathBuf),
    /// Nowhere but the footer (standard error): the result is exported afterwards.
    Footer,
}

/// Prints one statement's result and its footer.
///
/// # Errors
/// When the output cannot be written.
pub fn show(session: &Session, o: &Outcome, sink: &Sink) -> Result<()> {
    let footer = if o.frame.columns.is_empty() {
        format!("OK{}", timing(session, o))
    } else if o.total_rows > o.frame.rows.len() {
        format!(
            "{} rows (the first {} shown; .export FILE writes them all){}",
            o.total_rows,
            o.frame.rows.len(),
            timing(session, o)
        )
    } else {
        format!(
            "{} row{}{}",
            o.total_rows,
            if o.total_rows == 1 { "" } else { "s" },
            timing(session, o)
        )
    };
    let body = if o.frame.columns.is_empty() {
        String::new()
    } else {
        format_frame(&o.frame, session.format)?
    };
    match sink {
        Sink::File(path) => {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            f.write_all(body.as_bytes())?;
            eprintln!("{footer}");
        }
        Sink::Footer => eprintln!("{footer}"),
        Sink::Stdout { page } => {
            if session.format == Format::Table {
                let text = if body.is_empty() {
                    format!("{footer}\n")
                } else {
                    format!("{body}\n{footer}\n")
                };
                write_paged(&text, *page)?;
            } else {
                std::io::stdout().write_all(body.as_bytes())?;
                eprintln!("{footer}");
            }
        }
    }
    Ok(())
}

fn timing(session: &Session, o: &Outcome) -> String {
    if session.timer {
        format!(" in {:.3} s", o.elapsed.as_secs_f64())
    } else {
        String::new()
    }
}

/// A frame in one of the shell's formats.
///
/// # Errors
/// When JSON or CSV cannot be produced.
pub fn format_frame(f: &Frame, format: Format) -> Result<String> {
    Ok(match format {
        Format::Table => {
            let mut t = crate::output::table(f.columns.clone());
            for row in &f.rows {
                t.add_row(
                    row.iter()
                        .map(|v| match v {
                            duckdb::types::Value::Null => NULL_SHOWN.to_string(),
                            other => value_text(other),
                        })
                        .collect::<Vec<_>>(),
                );
            }
            t.to_string()
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&f.columns)?;
            for row in &f.rows {
                w.write_record(row.iter().map(value_text))?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Json => {
            let frame = Frame {
                title: String::new(),
                ..f.clone()
            };
            let mut text = String::from_utf8(crate::output::json_rows(&frame)?)?;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        Format::Markdown => crate::output::markdown(f),
        Format::Xlsx => {
            bail!("a workbook needs a file: give --output FILE.xlsx (in the shell: .export FILE.xlsx)")
        }
    })
}

/// Writes text to the terminal, through `$PAGER` (or `less -FRSX`) when it is longer than
/// the screen.
fn write_paged(text: &str, page: bool) -> Result<()> {
    let height: usize = std::env::var("LINES")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(40);
    let stdout = std::io::stdout();
    if page && stdout.is_terminal() && text.lines().count() > height {
        let pager = std::env::var("PAGER").unwrap_or_else(|_| "less -FRSX".to_string());
        let mut parts = pager.split_whitespace();
        if let Some(cmd) = parts.next() {
            if let Ok(mut child) = std::process::Command::new(cmd)
                .args(parts)
                .stdin(std::process::Stdio::piped())
                .spawn()
            {
                if let Some(mut stdin) = child.stdin.take() {
                    // A pager closed early (q) is not an error.
                    let _ = stdin.write_all(text.as_bytes());
                }
                child.wait()?;
                return Ok(());
            }
        }
    }
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes())?;
    lock.flush()?;
    Ok(())
}
