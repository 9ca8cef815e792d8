//! Tests declared beside the models, as in dbt: `sql/models/LAYER/NAME.toml` names the
//! model's grain (the columns that identify a row), its not-null columns, the values a column
//! may take and the columns that must point at a row of another table. Each declaration
//! becomes one query that returns the offending rows, run by `rexian check` like the
//! hand-written checks in `sql/checks/`.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::sql;

/// What a model's `.toml` declares.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The columns that together identify a row: no two rows share them.
    pub grain: Vec<String>,
    /// Columns that are never NULL.
    #[serde(default)]
    pub not_null: Vec<String>,
    /// For a column, the only values it takes (NULL aside).
    #[serde(default)]
    pub accepted_values: BTreeMap<String, Vec<String>>,
    /// Columns whose every value is found in another table's column.
    #[serde(default)]
    pub relationships: Vec<Relationship>,
}

/// A column that points at another table's rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// The model's column.
    pub column: String,
    /// `table.column` it points at.
    pub to: String,
}

/// One declared test, as a query over the model.
#[derive(Debug, Clone)]
pub struct Declared {
    /// `model.kind.column`, e.g. `mart_scores.grain`, `dim_period.not_null.period_key`.
    pub name: String,
    /// What it asserts, in words.
    pub description: String,
    /// The query that returns the offending rows.
    pub query: String,
    /// The file that declared it, for messages.
    pub path: &'static str,
}

/// Every test the models declare, model by model in file order.
///
/// # Errors
/// When a declaration cannot be read: the message names the file.
pub fn all() -> Result<Vec<Declared>> {
    let mut out = Vec::new();
    for (path, text) in sql::files_under("models/").filter(|(p, _)| p.ends_with(".toml")) {
        let model = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".toml");
        let model_sql = path.trim_end_matches(".toml").to_string() + ".sql";
        if !sql::FILES.iter().any(|(p, _)| *p == model_sql) {
            bail!("sql/{path} declares tests of {model}, but there is no sql/{model_sql}");
        }
        let spec: Spec = toml::from_str(text).with_context(|| format!("reading sql/{path}"))?;
        out.extend(tests_of(model, &spec, path)?);
    }
    Ok(out)
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The queries of one model's declarations.
fn tests_of(model: &str, spec: &Spec, path: &'static str) -> Result<Vec<Declared>> {
    let m = ident(model);
    let mut out = Vec::new();
    if spec.grain.is_empty() {
        bail!("sql/{path}: grain names no column; give the columns that identify a row");
    }
    let grain: Vec<String> = spec.grain.iter().map(|c| ident(c)).collect();
    out.push(Declared {
        name: format!("{model}.grain"),
        description: format!("{model} has one row per {}", spec.grain.join(" × ")),
        query: format!(
            "select {cols}, count(*) as copies from {m} group by {cols} having count(*) > 1",
            cols = grain.join(", ")
        ),
        path,
    });
    for c in &spec.not_null {
        out.push(Declared {
            name: format!("{model}.not_null.{c}"),
            description: format!("{model}.{c} is never NULL"),
            query: format!(
                "select {} from {m} where {} is null",
                grain.join(", "),
                ident(c)
            ),
            path,
        });
    }
    for (c, values) in &spec.accepted_values {
        let list: Vec<String> = values.iter().map(|v| sql::literal(v)).collect();
        out.push(Declared {
            name: format!("{model}.accepted_values.{c}"),
            description: format!("{model}.{c} is one of {}", values.join(", ")),
            query: format!(
                "select {col}, count(*) as rows from {m} where {col} is not null \
                 and cast({col} as varchar) not in ({}) group by {col}",
                list.join(", "),
                col = ident(c)
            ),
            path,
        });
    }
    for r in &spec.relationships {
        let Some((table, column)) = r.to.split_once('.') else {
            bail!(
                "sql/{path}: relationship of {}: write `to` as table.column",
                r.column
            );
        };
        out.push(Declared {
            name: format!("{model}.relationship.{}", r.column),
            description: format!("every {model}.{} is a {}", r.column, r.to),
            query: format!(
                "select m.{col}, count(*) as rows from {m} as m where m.{col} is not null \
                 and not exists (select 1 from {t} as t where t.{tc} = m.{col}) group by m.{col}",
                col = ident(&r.column),
                t = ident(table),
                tc = ident(column)
            ),
            path,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_reads_and_names_its_model() {
        let all = all().unwrap();
        assert!(all.iter().any(|d| d.name == "mart_scores.grain"), "{all:?}");
        assert!(all
            .iter()
            .any(|d| d.name == "dim_period.accepted_values.period_kind"));
        for d in &all {
            let model = d.name.split('.').next().unwrap();
            assert!(d.query.contains(&format!("\"{model}\"")), "{}", d.query);
        }
    }

    #[test]
    fn a_grain_is_required() {
        let e = tests_of("m", &Spec::default(), "models/core/m.toml").unwrap_err();
        assert!(e.to_string().contains("grain"), "{e}");
    }
}
