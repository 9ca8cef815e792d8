//! `rexian model`: the learned classifier of scope and field (`train`, `status`, `review`),
//! and `evaluate`: how well rexian reads text on the hand-labelled appeals
//! (`data/eval/labelled_appeals.csv`) — the names and plates that masking finds, the 重大 that
//! grading finds, and the scope and field inferred for a blank extract, each before (the
//! rules rexian had first) and now — and the workspace's model against the rules on the
//! months kept out of its training.

use std::path::PathBuf;

use anyhow::Result;

use anyhow::bail;

use super::analyse::Output;
use crate::config::{Config, Workspace};
use crate::evaluate::{self, grading, masking, Score};
use crate::mask::names::Finders;
use crate::model;
use crate::reference::Reference;
use crate::warehouse;

/// Where the rules come from: a workspace's `rexian.toml` and reference folder, or the
/// built-in ones; and the workspace, for its model.
pub struct Rules {
    /// The workspace, when run in one.
    pub ws: Option<Workspace>,
    /// The grading and indicator rules.
    pub config: Config,
    /// The reference data folder (`None`: the built-in data).
    pub reference: Option<PathBuf>,
    /// Whose rules these are, for the output.
    pub whose: String,
}

/// Prints the figures under `rules`; with `differences`, every labelled text where masking or
/// grading differs from the labels.
///
/// # Errors
/// When the embedded labelled set does not parse or a scratch workspace cannot be made.
pub fn evaluate(rules: &Rules, differences: bool) -> Result<()> {
    let set = evaluate::labelled_set()?;
    masking_figures(&set, differences)?;
    println!();
    grading_figures(&set, rules, differences)?;
    println!();
    scope_figures(&set, rules)
}

/// `rexian model train`: trains the classifier on the warehouse's labelled appeals, prints its
/// figures on the months kept out, writes it into the workspace, and scores the blank-extract
/// appeals with it (so that the next refresh has only new loads to score).
///
/// # Errors
/// When there are too few labelled rows (the rules keep deciding), or the warehouse cannot
/// be read or the model written.
pub fn train(ws: &Workspace) -> Result<()> {
    let reference = Reference::load(ws.reference_dir().as_deref())?;
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let started = std::time::Instant::now();
    let mut m = model::train::train(
        &conn,
        &reference,
        &model::train::Settings {
            min_rows: ws.config.model.min_rows,
            min_confidence: ws.config.model.min_confidence,
        },
    )?;
    drop(conn);
    let path = model::path(ws);
    let version = m.save(&path)?;
    let trained = started.elapsed().as_secs_f64();
    // The blank-extract appeals are scored now, while the model is new, so that the next
    // refresh has only new loads to score.
    let conn = warehouse::open_for_writing(ws, &reference)?;
    let scored = match model::score::update(ws, &reference, &conn)? {
        model::score::Use::Used { scored, .. } => scored,
        other => bail!(
            "the model just written cannot be read back: {}",
            other.describe().unwrap_or_default()
        ),
    };
    drop(conn);
    let t = &m.header.training;
    println!(
        "trained the classifier of scope and field on {} appeals of {} (one in {} of the {} \
         labelled), in {trained:.1} s; measured on {} appeals of {}, which it did not see:",
        t.trained_rows,
        month_span(&t.months),
        t.sample_one_in,
        t.labelled_rows,
        t.held_out_rows,
        month_span(&t.held_out)
    );
    print_training(t);
    if t.unknown_field_rows > 0 {
        println!(
            "{} labelled appeal(s) name a 执法领域 the reference data no longer has (it changed \
             since they were loaded) and were left out.",
            t.unknown_field_rows
        );
    }
    println!(
        "wrote {} (version {version}) and scored the {scored} appeal(s) whose extract leaves \
         scope and field blank; the next `rexian refresh` uses it where its confidence is at \
         least {}",
        path.display(),
        ws.config.model.min_confidence
    );
    Ok(())
}

/// "2022-11..2024-08".
fn month_span(months: &[String]) -> String {
    model::train::month_range(&months.iter().collect::<Vec<_>>())
}

/// The figures a model was measured with on the months kept out, as tables.
fn print_training(t: &model::Training) {
    let f = &t.figures;
    let mut table = crate::output::table([
        "类别 class",
        "标注 labelled",
        "判定 predicted",
        "正确 correct",
        "精确率 precision",
        "召回率 recall",
        "F1",
    ]);
    for c in std::iter::once(&f.scope).chain(&f.classes) {
        let s = &c.score;
        if s.labelled == 0 && s.found == 0 {
            continue;
        }
        table.add_row([
            c.name.clone(),
            s.labelled.to_string(),
            s.found.to_string(),
            s.correct.to_string(),
            percent(s.precision()),
            percent(s.recall()),
            format!("{:.3}", s.f1()),
        ]);
    }
    println!("{table}");
    let (right, rows) = f.right();
    println!(
        "Class right (scope and field) for {right} of {rows} ({}). At confidence {} it decides {} of \
         them, {} of those right; the rules decide the rest.",
        percent(evaluate::share(right, rows)),
        f.min_confidence,
        percent(f.coverage),
        percent(f.accuracy_confident)
    );
}

/// `rexian model status`: the workspace's model, what it was trained on and what it decides.
///
/// # Errors
/// When the model is there but cannot be used (the message says why and to retrain), or the
/// warehouse cannot be read.
pub fn status(ws: &Workspace) -> Result<()> {
    let Some(m) = model::load(ws)? else {
        println!(
            "no model: {} does not exist, and the rules decide scope and field where the \
             extract leaves them blank. `rexian model train` trains one on the warehouse's \
             labelled appeals",
            model::path(ws).display()
        );
        return Ok(());
    };
    let t = &m.header.training;
    println!(
        "model {} (version {}), trained by rexian {} on {} appeals of {}, measured on {} of {}",
        model::path(ws).display(),
        m.version,
        t.rexian,
        t.trained_rows,
        month_span(&t.months),
        t.held_out_rows,
        month_span(&t.held_out)
    );
    print_training(t);
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    if model::train::ledger_sha256(&conn)? == t.ledger_sha256 {
        println!("The warehouse holds the loads it was trained on, and no other.");
    } else {
        println!(
            "The warehouse has been loaded since it was trained: `rexian model train` again to \
             learn from the new appeals (and from labels the office corrected)."
        );
    }
    if warehouse::has_relation(&conn, "fct_enforcement_appeals")? {
        let (used, decided, unsure): (String, i64, i64) = conn.query_row(
            crate::sql::MODEL_IN_USE.text,
            duckdb::params![m.version, ws.config.model.min_confidence],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if used == m.version {
            println!(
                "In the last refresh it decided {decided} enforcement-related appeal(s); {unsure} \
                 blank-extract appeal(s) it scored below {} were left to the rules \
                 (`rexian model review --period P` lists them: 低置信度待复核).",
                ws.config.model.min_confidence
            );
        } else {
            println!("The figures do not use it yet: run `rexian refresh`.");
        }
    }
    Ok(())
}

/// `rexian model review`: 低置信度待复核 of a period.
///
/// # Errors
/// When there is no usable model, the period is unknown, or the output cannot be written.
pub fn review(ws: &Workspace, period: &str, out: &Output) -> Result<()> {
    let Some(m) = model::load(ws)? else {
        bail!(
            "no model in this workspace ({}): the rules decide every blank extract. Train one \
             with `rexian model train`",
            model::path(ws).display()
        );
    };
    let conn = warehouse::open(
        &ws.warehouse_path(),
        warehouse::Access::ReadOnly,
        warehouse::LOCK_WAIT,
    )?;
    let period = crate::period::Period::resolve(&conn, &ws.config, period)?;
    let frame = crate::analysis::query(
        &conn,
        &format!("{} 低置信度待复核", period.label),
        crate::sql::MODEL_REVIEW.text,
        &[
            &m.version,
            &ws.config.model.min_confidence,
            &period.start.to_string(),
            &period.end.to_string(),
        ],
    )?
    .labelled()?;
    if frame.rows.is_empty() && out.path.is_none() {
        eprintln!(
            "{}: the model {} scored every blank-extract appeal at {} or above (or scored none: \
             run `rexian refresh` after training)",
            period.label, m.version, ws.config.model.min_confidence
        );
    }
    out.write(&[frame])
}

fn masking_figures(set: &[evaluate::Labelled], differences: bool) -> Result<()> {
    println!(
        "姓名与车牌识别 masking of names and plates: {} hand-labelled texts (data/eval/labelled_appeals.csv)",
        set.len()
    );
    println!(
        "split: dev = written with the rules; holdout, holdout2 = written afterwards, then tuned \
         on; holdout3 (重大) and holdout4 (names) = written after the rules, never tuned on"
    );
    let mut table = score_table("识别对象 what");
    let mut row = |what: &str, rules: &str, split: &str, s: &Score| {
        add_score(&mut table, [what, rules, split], s);
    };
    let before = masking::names(set, Finders::Introduced);
    let current = masking::names(set, Finders::All);
    for (label, report) in [("引导词规则 before", &before), ("现行规则 now", &current)] {
        for (split, score) in &report.by_split {
            row("姓名 names", label, split, score);
        }
        row("姓名 names", label, "合计 all", &report.overall);
    }
    let (plates, by_split) = masking::plates(set);
    for (split, score) in &by_split {
        row("车牌 plates", "现行规则 now", split, score);
    }
    row("车牌 plates", "现行规则 now", "合计 all", &plates);
    println!("{table}");

    if current.lost.is_empty() {
        println!("Every name the earlier rules caught is still caught.");
    } else {
        println!(
            "Names the earlier rules caught and these do not: {}",
            current
                .lost
                .iter()
                .map(|(id, name)| format!("#{id} {name}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if differences {
        let mut t =
            crate::output::table(["编号 id", "漏标 missed", "误标 wrongly masked", "文本 text"]);
        for d in &current.differences {
            t.add_row([
                d.id.to_string(),
                d.missed.join("、"),
                d.wrongly_masked.join("、"),
                text_of(set, d.id),
            ]);
        }
        println!("{t}");
    } else if !current.differences.is_empty() {
        println!(
            "{} texts differ from their labels; `rexian model evaluate --differences` lists them.",
            current.differences.len()
        );
    }
    Ok(())
}

fn grading_figures(set: &[evaluate::Labelled], rules: &Rules, differences: bool) -> Result<()> {
    println!(
        "重大 by the text ({}): every labelled text loaded as enforcement-related and graded \
         by `rexian refresh`; before = the major words alone, now = read in their sentence \
         ([grading] major_negations, major_exceptions, major_retractions)",
        rules.whose
    );
    let reference = rules.reference.as_deref();
    let before = grading::major(set, &grading::keywords_only(&rules.config), reference)?;
    let now = grading::major(set, &rules.config, reference)?;
    let mut table = score_table("分级 grade");
    for (label, report) in [("仅关键词 before", &before), ("读句子 now", &now)] {
        for (split, score) in &report.by_split {
            add_score(&mut table, ["重大", label, split], score);
        }
        add_score(&mut table, ["重大", label, "合计 all"], &report.overall);
    }
    println!("{table}");
    let changed: Vec<(&grading::MajorRow, &grading::MajorRow)> = before
        .rows
        .iter()
        .zip(&now.rows)
        .filter(|(b, n)| b.keyword.is_some() != n.keyword.is_some())
        .collect();
    println!(
        "{} texts graded differently now: {} no longer 重大 (of them {} labelled 重大), {} newly 重大.",
        changed.len(),
        changed.iter().filter(|(_, n)| n.keyword.is_none()).count(),
        changed.iter().filter(|(_, n)| n.keyword.is_none() && n.labelled).count(),
        changed.iter().filter(|(_, n)| n.keyword.is_some()).count(),
    );
    if differences {
        let mut t = crate::output::table([
            "编号 id",
            "标注 labelled",
            "触发词 word",
            "触发语句 sentence",
            "文本 text",
        ]);
        for m in now
            .rows
            .iter()
            .filter(|m| m.labelled != m.keyword.is_some())
        {
            t.add_row([
                m.id.to_string(),
                if m.labelled { "重大" } else { "非重大" }.to_string(),
                m.keyword.clone().unwrap_or_default(),
                m.sentence.clone().unwrap_or_default(),
                text_of(set, m.id),
            ]);
        }
        println!("{t}");
    }
    Ok(())
}

fn scope_figures(set: &[evaluate::Labelled], rules: &Rules) -> Result<()> {
    let model = match rules.ws.as_ref().map(model::load).transpose() {
        Ok(m) => m.flatten(),
        Err(e) => {
            println!("The workspace's model cannot be used: {e:#}");
            None
        }
    };
    println!(
        "是否涉及行政执法 and 执法领域 for an extract that leaves them blank: the rules (承办单位, \
         then field keywords){}",
        match &model {
            Some(m) => format!(
                ", the workspace's model {} alone, and both as the refresh uses them (the model \
                 where its confidence is at least {}, else the rules)",
                m.version,
                rules.config.model.min_confidence
            ),
            None => "; this workspace has no learned model (`rexian model train`)".into(),
        }
    );
    let rows: Vec<grading::ScopeRow> = set.iter().map(grading::ScopeRow::of).collect();
    println!(
        "On the {} hand-labelled texts (their content alone):",
        rows.len()
    );
    compare_scope(&rows, rules, model.as_ref())?;
    if let (Some(m), Some(ws)) = (&model, &rules.ws) {
        let conn = warehouse::open(
            &ws.warehouse_path(),
            warehouse::Access::ReadOnly,
            warehouse::LOCK_WAIT,
        )?;
        let held_out = model::train::held_out(&conn, m)?;
        drop(conn);
        println!();
        println!(
            "On {} appeals of {}, the months kept out of the model's training (category, title, \
             content and 承办单位, their labels taken away):",
            held_out.len(),
            month_span(&m.header.training.held_out)
        );
        compare_scope(&held_out, rules, Some(m))?;
    }
    Ok(())
}

/// Prints the rules', the model's and both's figures on the same rows, and the confusion
/// matrix of what the refresh would decide.
fn compare_scope(
    rows: &[grading::ScopeRow],
    rules: &Rules,
    model: Option<&model::Model>,
) -> Result<()> {
    let by_rules = grading::rules_scope(rows, &rules.config, rules.reference.as_deref())?;
    let gold = || rows.iter().map(grading::ScopeRow::gold);
    let mut reports = vec![(
        "规则 rules",
        grading::ScopeReport::of(gold().zip(by_rules.iter().cloned())),
    )];
    if let Some(m) = model {
        let alone = model::scope(m, rows, None, &by_rules);
        let both = model::scope(m, rows, Some(rules.config.model.min_confidence), &by_rules);
        reports.push(("模型 model", grading::ScopeReport::of(gold().zip(alone))));
        reports.push(("模型+规则 both", grading::ScopeReport::of(gold().zip(both))));
    }
    let mut table = score_table("推断 inferred");
    for (who, s) in &reports {
        add_score(
            &mut table,
            ["涉及行政执法 enforcement", who, "合计 all"],
            &s.enforcement,
        );
    }
    // Every field any of them labels or infers (one may infer a field the others never do),
    // 非执法 last.
    let mut codes: Vec<String> = reports
        .iter()
        .flat_map(|(_, s)| s.codes())
        .filter(|c| c != grading::NOT_ENFORCEMENT)
        .collect();
    codes.sort();
    codes.dedup();
    codes.push(grading::NOT_ENFORCEMENT.to_string());
    for code in &codes {
        for (who, s) in &reports {
            add_score(
                &mut table,
                [&format!("领域 field {code}"), who, "合计 all"],
                &s.field(code),
            );
        }
    }
    println!("{table}");
    for (who, s) in &reports {
        let (right, total) = s.accuracy();
        println!(
            "{who}: field right (非执法 counted as a field) for {right} of {total} ({}).",
            percent(evaluate::share(right, total))
        );
    }
    let Some((who, s)) = reports.last() else {
        return Ok(());
    };
    let codes = s.codes();
    let mut header = vec![format!("标注＼{who}")];
    header.extend(codes.iter().cloned());
    let mut m = crate::output::table(header);
    for gold in &codes {
        let mut row = vec![gold.clone()];
        for found in &codes {
            let n = s
                .confusion
                .get(&(gold.clone(), found.clone()))
                .copied()
                .unwrap_or(0);
            row.push(if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            });
        }
        m.add_row(row);
    }
    println!("{m}");
    Ok(())
}

fn score_table(first: &str) -> comfy_table::Table {
    crate::output::table([
        first,
        "规则 rules",
        "样本 split",
        "标注 labelled",
        "识别 caught",
        "召回率 recall",
        "标出 found",
        "正确 correct",
        "精确率 precision",
        "F1",
    ])
}

/// Adds a row of figures; a split with nothing labelled and nothing found says nothing and
/// is left out.
fn add_score(table: &mut comfy_table::Table, [what, rules, split]: [&str; 3], s: &Score) {
    if s.labelled == 0 && s.found == 0 {
        return;
    }
    table.add_row([
        what.to_string(),
        rules.to_string(),
        split.to_string(),
        s.labelled.to_string(),
        s.caught.to_string(),
        percent(s.recall()),
        s.found.to_string(),
        s.correct.to_string(),
        percent(s.precision()),
        format!("{:.3}", s.f1()),
    ]);
}

/// The text of the labelled row `id`.
fn text_of(set: &[evaluate::Labelled], id: u32) -> String {
    set.iter()
        .find(|r| r.id == id)
        .map(|r| r.text.clone())
        .unwrap_or_default()
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}
