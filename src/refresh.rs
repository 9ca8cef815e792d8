//! `rexian refresh`: builds the SQL models in `sql/models/` (layered `staging/` → `core/` →
//! `marts/`, like a dbt project) in dependency order, then runs the checks.
//!
//! A model is one `select` in one file, named after the file. Its dependencies are the other
//! models its text names, so the order comes from the files themselves. The folder decides
//! how it is kept: `staging/` models are views, `core/` and `marts/` models are tables, unless
//! the file says `-- materialized: view` on a line of its own (the analyses' marts: a view
//! read for one period costs what a table would cost every refresh for all of them).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use duckdb::{params, Connection, OptionalExt};
use regex::Regex;

use crate::config::{Config, Workspace};
use crate::sql;

/// One SQL model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Its name: the file's name without `.sql`.
    pub name: String,
    /// `staging`, `core` or `marts`.
    pub layer: String,
    /// Its path under `sql/`.
    pub path: &'static str,
    /// Its `select`.
    pub sql: &'static str,
    /// The models it reads, found in its text.
    pub depends_on: BTreeSet<String>,
}

impl Model {
    /// The SHA-256 of its SQL file, recorded with each build so that marts built from other
    /// SQL are known to need a refresh.
    pub fn sql_sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(self.sql.as_bytes()))
    }

    /// `view` for staging models and those that say `-- materialized: view`, `table` for
    /// the others.
    pub fn materialized(&self) -> &'static str {
        if self.layer == "staging"
            || self
                .sql
                .lines()
                .any(|l| l.trim() == "-- materialized: view")
        {
            "view"
        } else {
            "table"
        }
    }
}

/// The models under `sql/models/` without their dependencies (quicker to list: finding
/// those compiles a pattern per pair of models).
///
/// # Errors
/// When a model file is not in a layer folder.
pub fn model_files() -> Result<Vec<Model>> {
    files()
}

/// Every model under `sql/models/`, with its dependencies.
///
/// # Errors
/// When a model file is not in a layer folder.
pub fn models() -> Result<Vec<Model>> {
    let mut out = files()?;
    let names: Vec<String> = out.iter().map(|m| m.name.clone()).collect();
    for m in &mut out {
        let code: String = m
            .sql
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for n in &names {
            if *n != m.name
                && Regex::new(&format!(r"(?i)\b{}\b", regex::escape(n)))?.is_match(&code)
            {
                m.depends_on.insert(n.clone());
            }
        }
    }
    Ok(out)
}

/// The model files, without their dependencies.
fn files() -> Result<Vec<Model>> {
    let mut out = Vec::new();
    for (path, text) in sql::files_under("models/").filter(|(p, _)| p.ends_with(".sql")) {
        let mut parts = path.split('/');
        let (Some(_), Some(layer), Some(file), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            bail!("sql/{path}: a model belongs in sql/models/staging, core or marts");
        };
        if !["staging", "core", "marts"].contains(&layer) {
            bail!("sql/{path}: unknown layer {layer:?}; use staging, core or marts");
        }
        out.push(Model {
            name: file.trim_end_matches(".sql").to_string(),
            layer: layer.to_string(),
            path,
            sql: text,
            depends_on: BTreeSet::new(),
        });
    }
    Ok(out)
}

/// The models in an order where each comes after the models it reads (ties by name).
///
/// # Errors
/// When models depend on each other in a cycle.
pub fn build_order(models: &[Model]) -> Result<Vec<&Model>> {
    let by_name: BTreeMap<&str, &Model> = models.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::new();
    while order.len() < models.len() {
        let ready: Vec<&str> = by_name
            .iter()
            .filter(|(n, m)| {
                !done.contains(*n) && m.depends_on.iter().all(|d| done.contains(d.as_str()))
            })
            .map(|(n, _)| *n)
            .collect();
        if ready.is_empty() {
            let stuck: Vec<&str> = by_name
                .keys()
                .filter(|n| !done.contains(*n))
                .copied()
                .collect();
            bail!(
                "the models {} depend on each other in a cycle; break it",
                stuck.join(", ")
            );
        }
        for n in ready {
            done.insert(n);
            order.push(by_name[n]);
        }
    }
    Ok(order)
}

/// What one model build did.
#[derive(Debug, Clone)]
pub struct Built {
    /// The model's name.
    pub name: String,
    /// Its layer.
    pub layer: String,
    /// view or table.
    pub materialized: &'static str,
    /// Rows of a table.
    pub rows: Option<u64>,
    /// Seconds spent.
    pub seconds: f64,
}

/// Writes the rules of `config` (and what the figures record of the learned classifier whose
/// scores decide, if any), then builds every model, in one transaction, and records the build.
///
/// # Errors
/// When a model's SQL fails: nothing of the build is kept.
pub fn refresh(
    conn: &mut Connection,
    config: &Config,
    classifier: Option<&crate::model::Summary>,
) -> Result<Vec<Built>> {
    let models = models()?;
    let order = build_order(&models)?;
    let tx = conn.transaction()?;
    crate::rules::write(&tx, config, classifier)?;
    let mut vars: BTreeMap<String, String> = crate::rules::params(config, classifier)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let field_pattern: Option<String> =
        tx.query_row(sql::REFRESH_FIELD_KEYWORDS.text, [], |r| r.get(0))?;
    vars.insert(
        "field_keyword_pattern".into(),
        field_pattern.unwrap_or_else(|| "[^\\s\\S]".into()),
    );
    let build_id: i32 = tx.query_row(
        "select coalesce(max(build_id), 0) + 1 from model_builds",
        [],
        |r| r.get(0),
    )?;
    let mut built = Vec::new();
    for m in order {
        let started = Instant::now();
        let kind = m.materialized();
        // A model may change from table to view between releases: drop what is there.
        let existing: Option<String> = tx
            .query_row(crate::sql::OPS_MODEL_TYPE.text, [&m.name], |r| r.get(0))
            .optional()?;
        match existing.as_deref() {
            Some("VIEW") => tx.execute_batch(&format!("drop view {}", m.name))?,
            Some(_) => tx.execute_batch(&format!("drop table {}", m.name))?,
            None => {}
        }
        let text = substitute(m.sql, &vars).with_context(|| format!("sql/{}", m.path))?;
        tx.execute_batch(&format!("create {kind} {} as\n{text}", m.name))
            .with_context(|| format!("building the model {} (sql/{})", m.name, m.path))?;
        let rows = if kind == "table" {
            Some(
                tx.query_row(&format!("select count(*) from {}", m.name), [], |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            )
        } else {
            None
        };
        let seconds = started.elapsed().as_secs_f64();
        tx.execute(
            crate::sql::OPS_MODEL_BUILD.text,
            params![
                build_id,
                m.name,
                kind,
                rows.map(|r| r as i64),
                seconds,
                Utc::now().to_rfc3339(),
                crate::VERSION,
                m.sql_sha256()
            ],
        )?;
        built.push(Built {
            name: m.name.clone(),
            layer: m.layer.clone(),
            materialized: kind,
            rows,
            seconds,
        });
    }
    crate::dictionary::apply(&tx)?;
    tx.commit()?;
    Ok(built)
}

/// What a rebuild did: the models built, the checks' outcomes, and the cases it opened by
/// itself (`[casework] auto_open`).
#[derive(Debug)]
pub struct Rebuilt {
    /// The models, in the order built.
    pub built: Vec<Built>,
    /// The checks' outcomes.
    pub checks: Vec<crate::check::CheckOutcome>,
    /// The 督办事项编号 of the cases opened for new 重大/屡次不改 items.
    pub opened: Vec<String>,
    /// Whether the learned classifier took part, and what it scored.
    pub classifier: crate::model::score::Use,
}

/// Rebuilds the reference dimensions and every model of the workspace's warehouse, then runs
/// the checks on the same connection (the slow full-text ones read only the rows of loads
/// after their last pass), then opens the cases `[casework] auto_open` asks for.
///
/// # Errors
/// When the warehouse is missing or cannot be opened, a model fails to build, or a case
/// cannot be opened.
pub fn rebuild(ws: &Workspace) -> Result<Rebuilt> {
    if !ws.warehouse_path().exists() {
        bail!(
            "the warehouse {} does not exist yet; load an extract first with `rexian ingest FILE`",
            ws.warehouse_path().display()
        );
    }
    let reference = crate::reference::Reference::load(ws.reference_dir().as_deref())?;
    let mut conn = crate::warehouse::open_for_writing(ws, &reference)?;
    let classifier = crate::model::score::update(ws, &reference, &conn)?;
    let built = refresh(&mut conn, &ws.config, classifier.model())?;
    let through: i64 = conn.query_row(
        "select coalesce(max(load_id), 0) from load_ledger",
        [],
        |r| r.get(0),
    )?;
    let checks = crate::check::run_all(&conn, crate::check::Scope::SinceLastPass)?;
    crate::check::record_passes(&conn, &checks, through)?;
    let opened = crate::casework::auto::open_new(ws, &conn)?;
    Ok(Rebuilt {
        built,
        checks,
        opened,
        classifier,
    })
}

/// Replaces every `{{name}}` in a model by the SQL string literal of that rule. Regular
/// expressions must be literals for DuckDB to compile them once rather than once per row.
fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String> {
    static VAR: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"\{\{\s*([a-z_]+)\s*\}\}").expect("valid"));
    let mut unknown = None;
    let out = VAR.replace_all(text, |c: &regex::Captures| match vars.get(&c[1]) {
        Some(v) => crate::sql::literal(v),
        None => {
            unknown = Some(c[1].to_string());
            String::new()
        }
    });
    if let Some(name) = unknown {
        bail!(
            "{{{{{name}}}}} is not a rule; the rules are {}",
            vars.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(out.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_comes_from_the_files() {
        let models = models().unwrap();
        let fct = models
            .iter()
            .find(|m| m.name == "fct_enforcement_appeals")
            .unwrap();
        assert!(
            fct.depends_on.contains("dim_workday"),
            "{:?}",
            fct.depends_on
        );
        let order: Vec<&str> = build_order(&models)
            .unwrap()
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        let pos = |n: &str| order.iter().position(|x| *x == n).unwrap();
        assert!(
            pos("dim_workday") < pos("fct_enforcement_appeals"),
            "{order:?}"
        );
    }

    #[test]
    fn a_cycle_is_an_error() {
        let m = |name: &str, dep: &str| Model {
            name: name.into(),
            layer: "core".into(),
            path: "models/core/x.sql",
            sql: "",
            depends_on: [dep.to_string()].into(),
        };
        let e = build_order(&[m("a", "b"), m("b", "a")]).unwrap_err();
        assert!(e.to_string().contains("cycle"), "{e}");
    }
}
