//! The configurable rules as tables: before every refresh, the thresholds, curves, weights
//! and word lists of `rexian.toml` are written to `cfg_*` tables that the SQL models read.
//! This keeps every rule in one place (the configuration) and every formula in SQL.

use anyhow::{Context, Result};
use duckdb::{params, Connection};

use crate::config::Config;
use crate::model::Summary;
use crate::sql;

/// Rewrites the `cfg_*` tables from the configuration and the learned model in use (`None`:
/// the rules alone decide scope and field).
///
/// # Errors
/// When the warehouse cannot be written.
pub fn write(conn: &Connection, config: &Config, model: Option<&Summary>) -> Result<()> {
    sql::run(conn, sql::WAREHOUSE_RULES, &[])?;
    let mut app = conn.appender("cfg_param")?;
    for (k, v) in &params(config, model) {
        app.append_row(params![k, v])?;
    }
    app.flush()?;
    let g = &config.grading;
    let a = &config.analysis;
    let s = &config.scoring;
    let mut app = conn.appender("cfg_scoring_curve")?;
    for (code, c) in &s.curves {
        let gw = s.groups.get(&c.group).copied().unwrap_or(0.0);
        app.append_row(params![code, c.group, gw, c.weight, c.floor, c.target])?;
    }
    app.flush()?;
    let mut app = conn.appender("cfg_band")?;
    for (band, min) in &s.bands {
        app.append_row(params![band, min])?;
    }
    app.flush()?;
    let mut app = conn.appender("cfg_action")?;
    for (k, v) in &g.actions {
        app.append_row(params![k, v])?;
    }
    app.flush()?;
    let mut app = conn.appender("cfg_word")?;
    for (list, words) in [
        ("major", &g.major_keywords),
        ("behaviour", &a.behaviours),
        ("stopword", &a.stopwords),
    ] {
        for w in words {
            app.append_row(params![list, w.trim()])?;
        }
    }
    app.flush().context("writing the rules tables")?;
    Ok(())
}

/// The version stamped on every figure: the rules' fingerprint, and the learned model's
/// version when one decided scope and field ("r0.1.0-1a2b3c4d5e+m0f1e2d3c4b5a").
pub fn version(config: &Config, model: Option<&str>) -> String {
    match model {
        Some(m) => format!("{}+m{m}", config.rules_version()),
        None => config.rules_version(),
    }
}

/// Every scalar rule as (name, value): the rows of `cfg_param`, and the values a model
/// names as `{{name}}` (see `refresh`). `model` is the learned model in use: its version and
/// its figures on the months kept out of its training, for the reports ("" without one).
pub fn params(config: &Config, model: Option<&Summary>) -> Vec<(&'static str, String)> {
    let ind = &config.indicators;
    let g = &config.grading;
    let a = &config.analysis;
    let s = &config.scoring;
    let of_model = |f: fn(&Summary) -> String| model.map(f).unwrap_or_default();
    vec![
        (
            "rules_version",
            version(config, model.map(|m| m.version.as_str())),
        ),
        ("model_version", of_model(|m| m.version.clone())),
        ("model_held_out", of_model(|m| m.held_out.clone())),
        ("model_scope_f1", of_model(|m| m.scope_f1.to_string())),
        ("model_field_right", of_model(|m| m.field_right.to_string())),
        (
            "model_min_confidence",
            config.model.min_confidence.to_string(),
        ),
        ("sign_limit_hours", ind.sign_limit_hours.to_string()),
        ("default_due_workdays", ind.default_due_workdays.to_string()),
        ("repeat_window_days", ind.repeat_window_days.to_string()),
        (
            "recurrence_window_days",
            ind.recurrence_window_days.to_string(),
        ),
        ("min_callbacks", s.min_callbacks.to_string()),
        ("confidence_z", s.confidence_z.to_string()),
        ("major_pattern", alternation(&g.major_keywords)),
        (
            "major_denial_pattern",
            denial(&g.major_negations, &g.major_keywords),
        ),
        (
            "major_retraction_pattern",
            retraction(&g.major_retractions, &g.major_keywords),
        ),
        ("major_exception_pattern", alternation(&g.major_exceptions)),
        ("behaviour_pattern", alternation(&a.behaviours)),
        ("crowd_callers", g.crowd_callers.to_string()),
        ("crowd_window_days", g.crowd_window_days.to_string()),
        ("coordination_returns", g.coordination_returns.to_string()),
        (
            "coordination_departments",
            g.coordination_departments.to_string(),
        ),
        ("widespread_regions", g.widespread_regions.to_string()),
        (
            "widespread_orders_per_region",
            g.widespread_orders_per_region.to_string(),
        ),
        ("ranking_months", config.report.ranking_months.to_string()),
        ("top", a.top.to_string()),
        ("examples", a.examples.to_string()),
        ("warning_months", a.warning_months.to_string()),
        ("warning_sigma", a.warning_sigma.to_string()),
        ("warning_min_orders", a.warning_min_orders.to_string()),
        ("pilot_start", config.pilot.start.first_day().to_string()),
        (
            "pilot_end",
            config.pilot.end.plus(1).first_day().to_string(),
        ),
        (
            "baseline_start",
            config.pilot.baseline_start.first_day().to_string(),
        ),
        (
            "baseline_end",
            config.pilot.baseline_end.plus(1).first_day().to_string(),
        ),
    ]
}

/// A regular expression matching a major word that a negation denies: the negation, at most
/// a verb (造成, 导致…) and a word for people (人员, 一人…), then the word ("没有人员受伤",
/// "并非暴力执法", "所幸未造成人员死亡"). Nothing else may stand between, so that
/// "没有出示证件就打人" still counts.
fn denial(negations: &[String], keywords: &[String]) -> String {
    if negations.is_empty() {
        return alternation(&[]);
    }
    // Longest first: RE2 takes the first alternative that matches, and 没有人员受伤 must not
    // stop at 没.
    let mut negations = negations.to_vec();
    negations.sort_by_key(|w| std::cmp::Reverse(w.trim().chars().count()));
    format!(
        "(?:{})(?:造成|导致|致使|致|发生|出现|有)?(?:任何人员|任何人|人员|一人|人)?(?:{})",
        alternation(&negations),
        alternation(keywords)
    )
}

/// A regular expression matching a quotation that holds a major word and that the text then
/// calls a misunderstanding or untrue ("“吃拿卡要”系误会", "“打人”一说不属实").
fn retraction(retractions: &[String], keywords: &[String]) -> String {
    if retractions.is_empty() {
        return alternation(&[]);
    }
    format!(
        "[“\"「][^”\"」]*(?:{})[^”\"」]*[”\"」](?:一说|的说法)?(?:系|是|属|为|纯属)?(?:{})",
        alternation(keywords),
        alternation(retractions)
    )
}

/// A regular expression matching any of the words literally ("" matches nothing).
fn alternation(words: &[String]) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|w| regex::escape(w.trim()))
        .filter(|w| !w.is_empty())
        .collect();
    if parts.is_empty() {
        // A pattern that never matches: an empty list means "no keyword rule".
        "[^\\s\\S]".to_string()
    } else {
        parts.join("|")
    }
}
