//! `rexian model evaluate`: how well the text rules do on the hand-labelled appeals
//! (`data/eval/labelled_appeals.csv`): the names and plates that masking finds, the 重大 that
//! grading finds, and the scope and field inferred for a blank extract, each before (the
//! rules rexian had first) and now.

use std::path::PathBuf;

use anyhow::Result;

use crate::config::Config;
use crate::evaluate::{self, grading, masking, Score};
use crate::mask::names::Finders;

/// Where the rules come from: a workspace's `rexian.toml` and reference folder, or the
/// built-in ones.
pub struct Rules {
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
    println!(
        "是否涉及行政执法 and 执法领域 inferred by the rules (承办单位, then field keywords) for \
         an extract that leaves them blank; there is no learned model yet"
    );
    let s = grading::scope(set, &rules.config, rules.reference.as_deref())?;
    let mut table = score_table("推断 inferred");
    add_score(
        &mut table,
        ["涉及行政执法 enforcement", "规则 rules", "合计 all"],
        &s.enforcement,
    );
    for code in s.codes() {
        add_score(
            &mut table,
            [&format!("领域 field {code}"), "规则 rules", "合计 all"],
            &s.field(&code),
        );
    }
    println!("{table}");
    let (right, total) = s.accuracy();
    println!(
        "Field right (非执法 counted as a field) for {right} of {total} texts ({}).",
        percent(evaluate::share(right, total))
    );
    let codes = s.codes();
    let mut header = vec!["标注＼推断 labelled＼inferred".to_string()];
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
