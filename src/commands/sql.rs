//! `rexian sql`: the analysts' shell, one-off statements, files and saved queries.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::config::Workspace;
use crate::output::Format;
use crate::shell::{self, Access, Session, Sink};

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
    pub format: Option<Format>,
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
    let target = req
        .output
        .as_deref()
        .map(|p| OutputFile::of(p, req.format))
        .transpose()?;
    session.format = match (&target, req.format) {
        (Some(OutputFile::Shown(f)), _) => *f,
        (_, Some(f)) => f,
        _ => Format::Table,
    };
    let Some(text) = script else {
        return shell::interactive(&mut session, access);
    };
    match (&target, &req.output) {
        (Some(OutputFile::Shown(_)), Some(p)) => {
            prepare_output(p)?;
            shell::run_script(&mut session, &text, &Sink::File(p.clone()))
        }
        (Some(OutputFile::Export), Some(p)) => {
            // The statements run as they would on screen (footers on standard error); the
            // last query's whole result is then written in the file's own format.
            session.last_query = None;
            shell::run_script(&mut session, &text, &Sink::Footer)?;
            let Some(last) = session.last_query.clone() else {
                bail!(
                    "no statement returned rows, so nothing was written to {}",
                    p.display()
                );
            };
            let rows = crate::output::export_query(session.conn(), &last, p)?;
            eprintln!(
                "wrote {rows} rows to {} (the last query's result)",
                p.display()
            );
            Ok(())
        }
        _ => shell::run_script(&mut session, &text, &Sink::Stdout { page: false }),
    }
}

/// What `--output FILE` writes, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputFile {
    /// .csv, .parquet, .xlsx, .json: the last query's whole result, as `.export` writes it.
    Export,
    /// .md, .txt: every result as the shell shows it (markdown, or aligned tables).
    Shown(Format),
}

impl OutputFile {
    /// The output a file name asks for; a `--format` that says otherwise is refused.
    fn of(path: &Path, format: Option<Format>) -> Result<OutputFile> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let (out, implied) = match ext.as_str() {
            "csv" => (OutputFile::Export, Some(Format::Csv)),
            "json" => (OutputFile::Export, Some(Format::Json)),
            "xlsx" => (OutputFile::Export, Some(Format::Xlsx)),
            "parquet" => (OutputFile::Export, None),
            "md" | "markdown" => (OutputFile::Shown(Format::Markdown), Some(Format::Markdown)),
            "txt" => (OutputFile::Shown(Format::Table), Some(Format::Table)),
            _ => bail!(
                "cannot tell what to write to {}: end the file name in .csv, .parquet, .xlsx or \
                 .json (the whole result of the last query) or .md or .txt (every result as \
                 the shell shows it)",
                path.display()
            ),
        };
        if let Some(f) = format {
            if implied != Some(f) {
                bail!(
                    "--format {} does not match --output {}: the file's extension decides its \
                     format, so leave out --format or change the extension",
                    f.name(),
                    path.display()
                );
            }
        }
        Ok(out)
    }
}

fn prepare_output(p: &Path) -> Result<()> {
    if p.exists() {
        std::fs::remove_file(p).with_context(|| format!("cannot replace {}", p.display()))?;
    }
    Ok(())
}
