//! The reports' sentences, from minijinja templates in `report-templates/prose/`. A
//! workspace may override one by putting a file of the same name in its own
//! `report-templates/prose/` folder: the office words its reports without touching Rust. The
//! result is plain text, which Typst sets as text (never as markup).

use anyhow::{Context, Result};
use minijinja::value::Serde;
use minijinja::{Environment, Value};

use crate::config::Workspace;

/// The built-in templates: (name, text).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "model_note",
        include_str!("../../report-templates/prose/model_note.j2"),
    ),
    (
        "overview",
        include_str!("../../report-templates/prose/overview.j2"),
    ),
    (
        "ranking",
        include_str!("../../report-templates/prose/ranking.j2"),
    ),
    (
        "rank_order",
        include_str!("../../report-templates/prose/rank_order.j2"),
    ),
    (
        "pilot_effect",
        include_str!("../../report-templates/prose/pilot_effect.j2"),
    ),
    (
        "movement",
        include_str!("../../report-templates/prose/movement.j2"),
    ),
    (
        "typical_case",
        include_str!("../../report-templates/prose/typical_case.j2"),
    ),
    (
        "recommendations",
        include_str!("../../report-templates/prose/recommendations.j2"),
    ),
    (
        "disputes",
        include_str!("../../report-templates/prose/disputes.j2"),
    ),
    (
        "casework",
        include_str!("../../report-templates/prose/casework.j2"),
    ),
    (
        "pilot_noise",
        include_str!("../../report-templates/prose/pilot_noise.j2"),
    ),
    (
        "marked_case",
        include_str!("../../report-templates/prose/marked_case.j2"),
    ),
];

/// A share as a percentage with two decimals.
fn pct(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

/// A relative change in words.
fn change(v: f64) -> String {
    if v.abs() < 5e-5 {
        "持平".to_string()
    } else if v > 0.0 {
        format!("上升{}", pct(v))
    } else {
        format!("下降{}", pct(-v))
    }
}

/// Renders the prose template `name` with `context`.
///
/// # Errors
/// When the template is unknown, cannot be read, or fails (the file is named).
pub fn render(ws: &Workspace, name: &str, context: serde_json::Value) -> Result<String> {
    let own = ws
        .root
        .join("report-templates/prose")
        .join(format!("{name}.j2"));
    let (text, origin) = if own.is_file() {
        let t = std::fs::read_to_string(&own)
            .with_context(|| format!("cannot read {}", own.display()))?;
        (t, own.display().to_string())
    } else {
        let t = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| (*t).to_string())
            .with_context(|| format!("no prose template {name}"))?;
        (t, format!("report-templates/prose/{name}.j2 (built in)"))
    };
    let mut env = Environment::new();
    env.add_filter("pct", pct);
    env.add_filter("change", change);
    let out = env
        .render_str(&text, Value::from(Serde(&context)))
        .map_err(|e| anyhow::anyhow!("{e:#}"))
        .with_context(|| format!("in the prose template {origin}"))?;
    // The templates wrap lines for reading; the sentences are one paragraph.
    Ok(out.lines().map(str::trim).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prose_template_is_built_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/prose");
        for f in std::fs::read_dir(dir).unwrap() {
            let name = f
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                BUILT_IN.iter().any(|(n, _)| *n == name),
                "{name}.j2 is not in BUILT_IN"
            );
        }
    }

    #[test]
    fn the_overview_reads_as_the_office_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(dir.path()).unwrap();
        let text = render(
            &ws,
            "overview",
            serde_json::json!({
                "period": "2024年03月", "unit": "全市", "volume": 98, "change_prev": 1.5789,
                "change_yoy": null, "on_time": 0.9444, "satisfaction": null,
                "top_category": "城乡建设/市容环境", "top_count": 33, "warnings": 0,
            }),
        )
        .unwrap();
        assert_eq!(
            text,
            "2024年03月，全市12345热线共受理涉及行政执法诉求98件，较上期上升157.89%，\
             去年同期无可比数据。按期办结率94.44%，无有效回访。诉求最多的分类为“城乡建设/市容环境”，共33件。"
        );
        // A workspace's own wording wins.
        std::fs::create_dir_all(dir.path().join("report-templates/prose")).unwrap();
        std::fs::write(
            dir.path().join("report-templates/prose/overview.j2"),
            "本期{{ volume }}件。",
        )
        .unwrap();
        let text = render(&ws, "overview", serde_json::json!({"volume": 7})).unwrap();
        assert_eq!(text, "本期7件。");
        std::fs::write(
            dir.path().join("report-templates/prose/overview.j2"),
            "{% if %}",
        )
        .unwrap();
        let e = render(&ws, "overview", serde_json::json!({})).unwrap_err();
        assert!(format!("{e:#}").contains("overview.j2"), "{e:#}");
    }

    #[test]
    fn a_typical_case_quotes_the_sentence_that_made_it_major() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(dir.path()).unwrap();
        let case = |sentence: &str| {
            render(
                &ws,
                "typical_case",
                serde_json::json!({
                    "n": 1, "ticket": "T1", "region": "任城区", "department": "任城区综合行政执法局",
                    "category": "城市管理/执法行为", "rule": "文本含“打人”", "sentence": sentence,
                    "status": "已办结", "decision": "—",
                }),
            )
            .unwrap()
        };
        assert_eq!(
            case("没有人员受伤，但执法人员打人"),
            "案例1：工单T1（任城区），由任城区综合行政执法局承办，诉求分类为“城市管理/执法行为”，\
             因文本含“打人”（“没有人员受伤，但执法人员打人”）列为重大事项，办理状态为已办结。"
        );
        assert!(!case("—").contains("（“"), "{}", case("—"));
    }
}
