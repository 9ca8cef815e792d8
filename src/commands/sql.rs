//! `rexian sql`: the analysts' shell, one-off statements, files and saved queries.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::config::Workspace;
use crate::shell::{self, Access, Session, ShellFormat, Sink};

/// What `rexian sql` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `-c`: statements to run.
    pub command: Option<String>,
    /// `-f`: a file of statements.
    pub file: Option<PathBuf>,
    /// `--query`: a saved query's name.
    pub saved: Option<String>,
    /// `--param name=value`.
    pub params: Vec<(String, String)>,
    /// `--list`: list the saved queries.
    pub list: bool,
    /// `--format`.
    pub format: Option<ShellFormat>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--write`.
    pub write: bool,
    /// `--wait`: seconds to wait for a writer.
    pub wait: u64,
}

/// Runs `rexian sql`.
///
/// # Errors
/// A SQL error (DuckDB's message with its position), a bad saved query or parameter, or an
/// unusable workspace.
pub fn run(ws: &Workspace, req: &Request) -> Result<()> {
    if req.list {
        let queries = shell::saved_queries(ws)?;
        let mut t = crate::output::table(["query", "what it answers", "parameters", "from"]);
        for q in &queries {
            t.add_row([
                q.name.clone(),
                q.description.clone(),
                q.params.clone(),
                q.origin.clone(),
            ]);
        }
        println!("{t}");
        println!("Run one with: rexian sql --query NAME --param name=value");
        return Ok(());
    }
    let access = if req.write {
        Access::Write
    } else {
        Access::ReadOnly
    };
    let script = if let Some(name) = &req.saved {
        let queries = shell::saved_queries(ws)?;
        let Some(q) = queries.iter().find(|q| &q.name == name) else {
            bail!(
                "no saved query {name:?}; the saved queries are {} (rexian sql --list)",
                queries
                    .iter()
                    .map(|q| q.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        Some(shell::bind_params(q, &req.params)?)
    } else if let Some(c) = &req.command {
        Some(c.clone())
    } else if let Some(f) = &req.file {
        Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?)
    } else {
        None
    };
    let mut session = Session::open(ws, access, Duration::from_secs(req.wait))?;
    if access == Access::Write {
        eprintln!("rexian sql: WRITE ACCESS — statements can change the warehouse.");
    }
    session.format = req.format.unwrap_or(match script {
        None => ShellFormat::Table,
        Some(_) if req.output.is_some() => ShellFormat::Csv,
        Some(_) => ShellFormat::Table,
    });
    match script {
        Some(text) => {
            let sink = match &req.output {
                Some(p) => {
                    prepare_output(p)?;
                    Sink::File(p.clone())
                }
                None => Sink::Stdout { page: false },
            };
            shell::run_script(&mut session, &text, &sink)
        }
        None => shell::interactive(&mut session, access),
    }
}

fn prepare_output(p: &Path) -> Result<()> {
    if p.exists() {
        std::fs::remove_file(p).with_context(|| format!("cannot replace {}", p.display()))?;
    }
    Ok(())
}
