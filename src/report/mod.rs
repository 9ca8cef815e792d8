//! Typeset reports: the data of a period, gathered from the same queries as `rexian
//! indicators` and `rexian analyse`, formatted as the terminal shows it, handed to a Typst
//! template as JSON, and compiled to PDF in-process.

mod chart;
pub mod letter;
mod prose;
pub mod unit_texts;
mod world;

pub use letter::{LetterData, LetterKind};

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::analysis::{self, Frame};
use crate::config::Workspace;
use crate::output::display;
use crate::period::{Period, PeriodKey, PeriodKind};
use crate::sql;

pub use world::{fonts, require_cjk, ReportWorld, CJK_FAMILIES, TEMPLATES};

/// A table for a template: column names and rows of display strings.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each cell as shown ("—" for a missing value).
    pub rows: Vec<Vec<String>>,
    /// Which columns hold numbers (set right-aligned).
    pub numeric: Vec<bool>,
}

impl Table {
    fn from_frame(f: &Frame, keep: &[&str]) -> Table {
        Self::from_frame_as(f, keep, &Labels::new())
    }

    /// The table of `keep`'s columns (all when empty), headed by their short labels.
    fn from_frame_as(f: &Frame, keep: &[&str], labels: &Labels) -> Table {
        let idx: Vec<usize> = if keep.is_empty() {
            (0..f.columns.len()).collect()
        } else {
            keep.iter().filter_map(|k| f.col(k)).collect()
        };
        use duckdb::types::Value;
        let is_number = |v: &Value| {
            matches!(
                v,
                Value::Null
                    | Value::BigInt(_)
                    | Value::Int(_)
                    | Value::SmallInt(_)
                    | Value::TinyInt(_)
                    | Value::UBigInt(_)
                    | Value::HugeInt(_)
                    | Value::Double(_)
                    | Value::Float(_)
                    | Value::Decimal(_)
            )
        };
        Table {
            numeric: idx
                .iter()
                .map(|i| f.rows.iter().all(|r| is_number(&r[*i])))
                .collect(),
            columns: idx
                .iter()
                .map(|i| {
                    let c = &f.headers()[*i];
                    labels.get(c).unwrap_or(c).clone()
                })
                .collect(),
            rows: f
                .rows
                .iter()
                .map(|r| {
                    idx.iter()
                        .map(|i| {
                            let c = &f.columns[*i];
                            cell(&r[*i], f.percent.contains(c), c)
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// Short headers for a report's tables, keyed by the analysis's column name (及时签收率 →
/// 签收率): the indicators' `short_name` from stg_indicator.
type Labels = std::collections::BTreeMap<String, String>;

/// A cell as a report prints it: rates as percentages, an index (data/dictionary.csv's unit
/// `index`) with one decimal, a probability (unit `p`) with three, other fractional figures
/// with two, so that a column's figures line up.
fn cell(v: &duckdb::types::Value, percent: bool, column: &str) -> String {
    match v {
        duckdb::types::Value::Double(x) if !percent => {
            let unit = crate::dictionary::heading(column).map(|h| h.unit.as_str());
            let decimals = match unit {
                Some("index") => 1,
                Some("p") => 3,
                _ => 2,
            };
            format!("{x:.decimals$}")
        }
        _ => display(v, percent),
    }
}

/// Where the figures came from, printed on the last page and in the metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The data's source in words.
    pub source: String,
    /// SHA-256 (first 16 hex) of the load ledger's file hashes: the data snapshot.
    pub ledger: String,
    /// The rules version of the figures.
    pub rules: String,
    /// rexian's version.
    pub version: String,
    /// The 督办台账's log when the report was made: its number of events and the head's
    /// signature (first 16 hex), so that a report can be held against the log; none when the
    /// log is empty.
    pub casework: Option<String>,
}

/// The kinds of period report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// 月度分析报告 (a month).
    Monthly,
    /// 季度分析报告 (a quarter).
    Quarterly,
    /// 年度分析报告 (a calendar year).
    Annual,
    /// 试点工作总结 (a pilot year, with the pilot effect).
    PilotSummary,
    /// Every report due for a pilot year or a year (see [`all`]).
    All,
}

impl Kind {
    /// The period kind it covers.
    pub fn period_kind(self) -> PeriodKind {
        match self {
            Kind::Monthly => PeriodKind::Month,
            Kind::Quarterly => PeriodKind::Quarter,
            Kind::Annual => PeriodKind::Year,
            Kind::PilotSummary | Kind::All => PeriodKind::PilotYear,
        }
    }

    /// Its name in titles and file names.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Monthly => "行政执法监督12345热线数据分析月报",
            Kind::Quarterly => "行政执法监督12345热线数据分析季报",
            Kind::Annual => "行政执法监督12345热线数据分析年报",
            Kind::PilotSummary | Kind::All => "行政执法监督与12345热线联动试点工作总结",
        }
    }

    fn words(self) -> Words {
        let (this, prev) = match self {
            Kind::Monthly => ("本月", "上月"),
            Kind::Quarterly => ("本季度", "上季度"),
            Kind::Annual | Kind::PilotSummary | Kind::All => ("本年度", "上年度"),
        };
        Words {
            this: this.into(),
            prev: prev.into(),
        }
    }
}

/// How the template names the period and the one before.
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// 本月 / 本季度 / 本年度.
    pub this: String,
    /// 上月 / 上季度 / 上年度.
    pub prev: String,
}

/// The closing parts of a pilot summary: typical cases, recommendations, and the input for
/// next year's supervision plan.
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    /// 典型案例, a paragraph each: the cases the office chose where it keeps its 督办台账 in
    /// rexian, else the year's first 重大 items.
    pub cases: Vec<String>,
    /// What is printed when there is none.
    pub no_cases: String,
    /// 工作建议.
    pub recommendations: String,
    /// 监督重点 by field, behaviour and department: the plan's input.
    pub plan: Table,
}

/// Column `i` of a result as a chart's series (a gap where a cell is not a number).
/// One column of a chart's query as a series, found by its name.
///
/// # Errors
/// When the query has no such column (a defect of its file in `sql/analyses/`).
fn series(f: &Frame, column: &str) -> Result<Vec<Option<f64>>> {
    let i = f
        .col(column)
        .with_context(|| format!("the chart's query {} has no column {column:?}", f.title))?;
    Ok(f.rows.iter().map(|r| as_number(&r[i])).collect())
}

/// The heading data/dictionary.csv gives a column: a chart's legend.
fn legend(column: &str) -> String {
    crate::dictionary::heading(column).map_or_else(|| column.to_string(), |h| h.label.clone())
}

/// 排名变动: how the departments' ranks moved since the period before.
#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    /// The sentence naming the largest moves.
    pub note: String,
    /// Rank now and before, the move, 效能指数 and its change (the first 20).
    pub table: Table,
}

/// The pilot effect section of a pilot summary.
#[derive(Debug, Clone, Serialize)]
pub struct PilotEffect {
    /// What the table shows.
    pub note: String,
    /// Pilot vs other units, before vs during, difference in differences, its 95% interval
    /// over regions and the permutation test's p.
    pub table: Table,
    /// How to tell the effect from noise, indicator by indicator.
    pub noise: String,
    /// Each pilot unit's difference in differences against the other units.
    pub units: Table,
}

/// 督办工作情况: what the office did on its cases and in its exchange with the hotline in the
/// period (试点工作进展情况 in a pilot unit's quarterly report).
#[derive(Debug, Clone, Serialize)]
pub struct Casework {
    /// The section's heading.
    pub heading: String,
    /// The paragraph above the table.
    pub note: String,
    /// One row per item: opened, letters, answers, reviews, closings, open at the end…
    pub table: Table,
}

/// The pilot units' own paragraphs in a report: under 试点工作进展情况 in a pilot unit's
/// quarterly report, one unit after another in the city's pilot summary.
#[derive(Debug, Clone, Serialize)]
pub struct UnitSection {
    /// The section's heading; none when the paragraphs continue the 试点工作进展情况 that the
    /// 督办工作情况 opened.
    pub heading: Option<String>,
    /// Whether each unit is headed by its name (the city's reports).
    pub by_unit: bool,
    /// The units' texts (a unit without any: no parts, printed as 未报送).
    pub texts: Vec<unit_texts::UnitTexts>,
}

/// A file of a document's world held in memory: its path there and its bytes.
pub type MemoryFile = (String, Vec<u8>);

/// A chart of a report: its SVG's path in the document's world and its caption.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Where the template finds the SVG (`/charts/NAME.svg`).
    pub path: String,
    /// The caption under it.
    pub caption: String,
}

/// The charts of a period report (a chart without data is left out).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Charts {
    /// 诉求量 of the last twelve months.
    pub volume: Option<Figure>,
    /// 按期办结率 and 回访满意率 of the last twelve months.
    pub rates: Option<Figure>,
    /// 诉求量 by enforcement field (city-wide reports).
    pub fields: Option<Figure>,
    /// 保守效能指数 of the leading departments (what they are ranked by).
    pub departments: Option<Figure>,
    /// 回访满意率, pilot units against the others (pilot summaries).
    pub pilot: Option<Figure>,
}

/// The sentence above 分级分类 where the learned classifier decided some of the period's
/// appeals (none otherwise: a workspace without a model gets the reports it had), with the
/// figures on the months kept out of its training that the refresh recorded with it.
fn model_note(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
) -> Result<Option<String>> {
    let [version, held_out, scope_f1, field_right, min_confidence]: [String; 5] =
        conn.query_row(crate::sql::REPORT_MODEL_IN_FIGURES.text, [], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
        })?;
    if version.is_empty() {
        return Ok(None);
    }
    let (appeals, decided): (i64, i64) = conn.query_row(
        crate::sql::REPORT_MODEL_DECIDED.text,
        duckdb::params![period.start.to_string(), period.end.to_string(), region],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if decided == 0 {
        return Ok(None);
    }
    let number = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let context = serde_json::json!({
        "this": kind.words().this,
        "appeals": appeals,
        "decided": decided,
        "version": version,
        "min_confidence": min_confidence,
        "figures": !held_out.is_empty(),
        "held_out": held_out.replace("..", "至"),
        "scope_f1": format!("{:.3}", number(&scope_f1)),
        "field_right": format!("{:.1}%", 100.0 * number(&field_right)),
    });
    Ok(Some(prose::render(ws, "model_note", context)?))
}

/// Everything the period template prints.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodData {
    /// The charts.
    pub charts: Charts,
    /// The charts' SVG files, handed to Typst in memory (not part of the JSON).
    #[serde(skip)]
    pub svgs: Vec<MemoryFile>,
    /// 本月 / 上月 and the like.
    pub words: Words,
    /// The pilot effect (pilot summaries only).
    pub pilot_effect: Option<PilotEffect>,
    /// 排名变动 (quarterly and annual reports).
    pub movement: Option<Movement>,
    /// Appeals by 诉求类型 and by 来源渠道, with shares.
    pub types: Table,
    /// The enforcement fields' indicators (city-wide reports).
    pub fields: Option<Table>,
    /// 会商研判: categories returned between departments (the first 20).
    pub disputes: Table,
    /// The sentence above them.
    pub disputes_note: String,
    /// The year's closing parts (pilot summaries only).
    pub closing: Option<Closing>,
    /// Document title.
    pub title: String,
    /// The title in the PDF's metadata, with the period.
    pub doc_title: String,
    /// Line under the title.
    pub subtitle: String,
    /// The issuing office.
    pub issuer: String,
    /// 总体情况 paragraphs.
    pub overview: Vec<String>,
    /// City indicators: name, this month, last month, 环比, a year before, 同比.
    pub city: Vec<Vec<String>>,
    /// Heading of the units table: 各区县情况, or 各部门情况 in a region's report.
    pub units_heading: String,
    /// By region (by department in a region's report).
    pub regions: Table,
    /// How departments are ranked, in words.
    pub ranking_note: String,
    /// Ranked departments.
    pub departments: Table,
    /// The sentence under a ranked table: what 排名 follows.
    pub rank_order: String,
    /// Grading counts.
    pub grades: Table,
    /// The sentence above them where the learned classifier decided some of the period's
    /// appeals.
    pub grades_note: Option<String>,
    /// Hot categories.
    pub hot: Table,
    /// Hot keywords.
    pub keywords: Table,
    /// Early warnings.
    pub warnings: Table,
    /// Key supervision list.
    pub supervision: Table,
    /// 督办工作情况, where the office keeps its casework in rexian.
    pub casework: Option<Casework>,
    /// The pilot units' own paragraphs (单位材料), where they wrote any.
    pub unit_texts: Option<UnitSection>,
    /// Indicator definitions: name, formula.
    pub definitions: Vec<Vec<String>>,
    /// Where the figures came from.
    pub provenance: Provenance,
}

/// The file name of a report, in Chinese, e.g.
/// `2024年03月 行政执法监督12345热线数据分析月报.pdf` (a region's: `2024年第1季度
/// 兖州区行政执法监督12345热线数据分析季报.pdf`).
pub fn file_name(kind: Kind, period: &Period, region: &str) -> String {
    format!("{} {}.pdf", period.label, title_of(kind, region))
}

fn title_of(kind: Kind, region: &str) -> String {
    format!("{region}{}", kind.title())
}

fn rate_change(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if unit == "rate" => format!("{:+.2}个百分点", x * 100.0),
        Some(x) => format!("{:+.2}%", x * 100.0),
    }
}

fn value_shown(v: Option<f64>, unit: &str) -> String {
    use duckdb::types::Value;
    match v {
        None => display(&Value::Null, false),
        Some(x) if unit == "count" => display(&Value::BigInt(x as i64), false),
        Some(x) if unit == "days" => format!("{x:.2}"),
        Some(x) => display(&Value::Double(x), unit == "rate"),
    }
}

/// Gathers a report's data for a period, section by section.
///
/// # Errors
/// When the region is unknown or a query fails.
pub fn period_data(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
) -> Result<PeriodData> {
    let config = &ws.config;
    analysis::check_region(conn, region)?;
    let unit_key = if region.is_empty() { "全市" } else { region };
    let (city, headline) = unit_indicators(
        conn,
        period,
        if region.is_empty() { "city" } else { "region" },
        unit_key,
    )?;
    let (definitions, labels) = definitions(conn)?;
    let units = units(conn, ws, kind, period, region, &labels)?;
    let hot = analysis::run(conn, config, "hot", period, region)?;
    let warnings = analysis::run(conn, config, "warnings", period, region)?.remove(0);
    let supervision = analysis::supervision(conn, config, period, region)?;
    let casework = casework(conn, ws, kind, period, region)?;
    let unit_texts = unit_section(ws, kind, period, region, casework.is_some())?;
    let disputes = analysis::run(conn, config, "disputes", period, region)?.remove(0);
    // The categories a 会商 of the register settled.
    let settled = disputes.col("consult_no").map_or(0, |i| {
        disputes
            .rows
            .iter()
            .filter(|r| !matches!(r[i], duckdb::types::Value::Null))
            .count()
    });
    let (charts, svgs) = charts(
        conn,
        ws,
        kind,
        period,
        region,
        (&units.ranked_period, &units.ranked),
    )?;
    Ok(PeriodData {
        charts,
        svgs,
        movement: match kind {
            Kind::Quarterly | Kind::Annual => movement(conn, ws, period, region)?,
            _ => None,
        },
        types: Table::from_frame(&analysis::type_channel(conn, period, region)?, &[]),
        fields: fields(conn, period, region, &labels)?,
        disputes_note: prose::render(
            ws,
            "disputes",
            serde_json::json!({
                "this": kind.words().this,
                "total": disputes.rows.len(),
                "shown": disputes.rows.len().min(20),
                "settled": settled,
            }),
        )?,
        disputes: Table::from_frame(
            &disputes.head(20),
            &with_if(
                &[
                    "category",
                    "region_name",
                    "appeals",
                    "returned",
                    "returned_by",
                    "lead_candidate",
                ],
                settled > 0,
                &[
                    "lead_decided",
                    "consulted_on",
                    "return_rate_before",
                    "return_rate_after",
                ],
            ),
        ),
        closing: if kind == Kind::PilotSummary {
            Some(closing(
                conn,
                ws,
                period,
                region,
                &supervision,
                disputes.rows.len(),
                warnings.rows.len(),
            )?)
        } else {
            None
        },
        words: kind.words(),
        pilot_effect: if kind == Kind::PilotSummary {
            Some(pilot_effect(conn, ws, period)?)
        } else {
            None
        },
        title: format!("{region}{}", kind.title()),
        doc_title: format!("{} {}", period.label, title_of(kind, region)),
        subtitle: format!("{}　{}", period.label, config.report.issuer),
        issuer: config.report.issuer.clone(),
        overview: vec![overview(
            ws, period, unit_key, &headline, &hot[0], &warnings,
        )?],
        city,
        units_heading: if region.is_empty() {
            "各区县情况"
        } else {
            "各部门情况"
        }
        .to_string(),
        regions: units.regions,
        ranking_note: units.ranking_note,
        rank_order: prose::render(
            ws,
            "rank_order",
            serde_json::json!({"min_callbacks": config.scoring.min_callbacks}),
        )?,
        departments: units.departments,
        grades: Table::from_frame(&analysis::grade_counts(conn, period, region)?, &[]),
        grades_note: model_note(conn, ws, kind, period, region)?,
        hot: Table::from_frame(&hot[0], &["rank", "category", "appeals", "share", "growth"]),
        keywords: Table::from_frame(&hot[1], &[]),
        warnings: Table::from_frame(
            &warnings,
            &[
                "category",
                "region_name",
                "appeals",
                "mean_before",
                "threshold",
            ],
        ),
        supervision: Table::from_frame(
            &supervision.head(30),
            &with_if(
                &[
                    "ticket_id",
                    "region_name",
                    "department",
                    "category",
                    "supervision_type",
                    "status",
                ],
                casework.is_some(),
                &["case_no", "case_status"],
            ),
        ),
        casework,
        unit_texts,
        definitions,
        provenance: provenance(conn)?,
    })
}

/// 督办工作情况 of the period in the region, where the office keeps its 督办台账 in rexian
/// (a workspace without casework gets the reports it had); headed 试点工作进展情况 in a pilot
/// unit's quarterly report.
///
/// # Errors
/// When the log cannot be read or the sentence's template fails.
fn casework(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
) -> Result<Option<Casework>> {
    if !crate::casework::in_use(conn)? {
        return Ok(None);
    }
    let frame = crate::casework::period_work(conn, &ws.config, period, region)?;
    let count = |order: i64| -> i64 {
        frame
            .rows
            .iter()
            .find(|r| as_number(&r[0]) == Some(order as f64))
            .and_then(|r| as_number(&r[2]))
            .map_or(0, |v| v as i64)
    };
    let pilot_unit = kind == Kind::Quarterly && ws.config.pilot.units.iter().any(|u| u == region);
    let unit = if region.is_empty() { "全市" } else { region };
    let note = prose::render(
        ws,
        "casework",
        serde_json::json!({
            "this": kind.words().this,
            "unit": unit,
            "pilot_unit": pilot_unit,
            "opened": count(1),
            "rejected": count(2),
            "assigned": count(3),
            "opinions": count(4),
            "reminders": count(5),
            "answers": count(6),
            "approved": count(7),
            "returned": count(8),
            "closed": count(9),
            "open_end": count(10),
            "overdue_end": count(11),
            "pushed": count(12),
            "pushed_new": count(13),
            "answered": count(14),
            "consults": count(15),
        }),
    )?;
    Ok(Some(Casework {
        heading: if pilot_unit {
            "试点工作进展情况"
        } else {
            "督办工作情况"
        }
        .to_string(),
        note,
        table: Table::from_frame(&frame, &["work_item", "work_count"]),
    }))
}

/// The pilot units' own paragraphs a report prints: a pilot unit's in its quarterly report
/// and its pilot summary, every pilot unit's in the city's pilot summary (a unit that sent
/// none listed as 未报送); none when no unit wrote anything for the period.
///
/// # Errors
/// When a unit's file cannot be read.
fn unit_section(
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
    casework: bool,
) -> Result<Option<UnitSection>> {
    let key = period.key.to_string();
    let pilot = &ws.config.pilot.units;
    let is_pilot_unit = pilot.iter().any(|u| u == region);
    Ok(match kind {
        Kind::Quarterly | Kind::PilotSummary if is_pilot_unit => {
            unit_texts::read(ws, region, &key)?.map(|t| UnitSection {
                // A pilot unit's quarterly report: under the 试点工作进展情况 its casework
                // opened.
                heading: (kind == Kind::PilotSummary || !casework)
                    .then(|| "试点工作进展情况".to_string()),
                by_unit: false,
                texts: vec![t],
            })
        }
        Kind::PilotSummary if region.is_empty() => {
            let mut texts = Vec::new();
            for u in pilot {
                texts.push(
                    unit_texts::read(ws, u, &key)?.unwrap_or(unit_texts::UnitTexts {
                        unit: u.clone(),
                        parts: Vec::new(),
                    }),
                );
            }
            texts
                .iter()
                .any(|t| !t.parts.is_empty())
                .then(|| UnitSection {
                    heading: Some("各试点单位工作情况".to_string()),
                    by_unit: true,
                    texts,
                })
        }
        _ => None,
    })
}

/// A table's columns, and `more` after them when `shown` (columns a workspace only has a use
/// for once it keeps casework or 会商).
fn with_if<'a>(columns: &[&'a str], shown: bool, more: &[&'a str]) -> Vec<&'a str> {
    let mut v = columns.to_vec();
    if shown {
        v.extend_from_slice(more);
    }
    v
}

/// The columns of a report's tables of units (regions, departments).
const UNIT_COLUMNS: [&str; 11] = [
    "rank",
    "unit_key",
    "volume",
    "sign_rate",
    "on_time_rate",
    "handling_days_mean",
    "return_rate",
    "satisfaction_rate",
    "score",
    "rank_score",
    "band",
];

/// A report's units: the table of regions (a region's report: of its departments) and the
/// ranked departments, with the period they are ranked on and the note saying how.
struct Units {
    regions: Table,
    departments: Table,
    ranking_note: String,
    /// The ranked departments (at most 20), for the chart of their index.
    ranked: Frame,
    /// The period the departments are ranked on.
    ranked_period: Period,
}

fn units(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
    labels: &Labels,
) -> Result<Units> {
    let config = &ws.config;
    // A region's report lists its departments where the city's lists its regions.
    let regions = if region.is_empty() {
        analysis::indicators(conn, period, "region", "")?
    } else {
        analysis::indicators(conn, period, "department", region)?
    };
    // A monthly report ranks departments on the months ending with its month: one month
    // gives most departments too few callbacks to be ranked at all.
    let basis = ranking_basis(conn, config, kind, period)?;
    let ranked_period = basis.clone().unwrap_or_else(|| period.clone());
    let departments = analysis::indicators(conn, &ranked_period, "department", region)?;
    let is_ranked = |r: &&Vec<duckdb::types::Value>| !matches!(r[0], duckdb::types::Value::Null);
    let ranked = Frame {
        rows: departments
            .rows
            .iter()
            .filter(is_ranked)
            .take(20)
            .cloned()
            .collect(),
        ..departments.clone()
    };
    let small = departments.rows.len() - departments.rows.iter().filter(is_ranked).count();
    Ok(Units {
        regions: Table::from_frame_as(&regions, &UNIT_COLUMNS, labels),
        departments: Table::from_frame_as(&ranked, &UNIT_COLUMNS, labels),
        ranking_note: prose::render(
            ws,
            "ranking",
            serde_json::json!({
                "min_callbacks": config.scoring.min_callbacks,
                "small": small,
                "shown": ranked.rows.len(),
                "basis": basis.as_ref().map(|b| b.label.clone()),
                "months": config.report.ranking_months,
            }),
        )?,
        ranked,
        ranked_period,
    })
}

/// 总体情况's paragraph: the unit's headline figures, its hottest category and the warnings.
fn overview(
    ws: &Workspace,
    period: &Period,
    unit_key: &str,
    headline: &Headline,
    hot: &Frame,
    warnings: &Frame,
) -> Result<String> {
    let top = hot.rows.first();
    let top_cell = |c: &str| top.and_then(|r| hot.col(c).map(|i| display(&r[i], false)));
    prose::render(
        ws,
        "overview",
        serde_json::json!({
            "period": period.label,
            "unit": unit_key,
            "volume": headline.volume.map(|v| v.round() as i64),
            "change_prev": headline.volume_prev,
            "change_yoy": headline.volume_yoy,
            "on_time": headline.on_time,
            "satisfaction": headline.satisfaction,
            "top_category": top_cell("category"),
            "top_count": top_cell("appeals"),
            "warnings": warnings.rows.len(),
        }),
    )
}

/// The enforcement fields' table of a city-wide report (`None` in a region's).
fn fields(
    conn: &Connection,
    period: &Period,
    region: &str,
    labels: &Labels,
) -> Result<Option<Table>> {
    if !region.is_empty() {
        return Ok(None);
    }
    let f = analysis::indicators(conn, period, "field", "")?;
    // The fields' table has no room for the handling time.
    let columns: Vec<&str> = UNIT_COLUMNS
        .into_iter()
        .filter(|c| *c != "handling_days_mean")
        .collect();
    Ok(Some(Table::from_frame_as(&f, &columns, labels)))
}

/// Where the figures came from: the data snapshot (a hash of the load ledger), the rules
/// version and this rexian's.
fn provenance(conn: &Connection) -> Result<Provenance> {
    let (ledger, rules): (String, String) =
        conn.query_row(sql::REPORT_PROVENANCE.text, [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(Provenance {
        source: "12345热线工单数据（已脱敏）".into(),
        ledger: hex::encode(Sha256::digest(ledger.as_bytes()))[..16].to_string(),
        rules,
        version: crate::VERSION.to_string(),
        casework: casework_head(conn)?,
    })
}

/// The 督办台账's head for a provenance note: "N 条记录，签名 …".
fn casework_head(conn: &Connection) -> Result<Option<String>> {
    if !crate::warehouse::has_relation(conn, "case_events")? {
        return Ok(None);
    }
    Ok(crate::casework::log::head(conn)?
        .map(|(id, mac)| format!("{id} 条记录，签名 {}", &mac[..16])))
}

/// The figures the overview sentence quotes.
#[derive(Debug, Default)]
struct Headline {
    volume: Option<f64>,
    volume_prev: Option<f64>,
    volume_yoy: Option<f64>,
    on_time: Option<f64>,
    satisfaction: Option<f64>,
}

/// The rows of 总体情况 (each indicator of the unit with 环比 and 同比, as shown) and the
/// figures the overview quotes.
fn unit_indicators(
    conn: &Connection,
    period: &Period,
    unit_kind: &str,
    unit_key: &str,
) -> Result<(Vec<Vec<String>>, Headline)> {
    let mut rows_shown = Vec::new();
    let mut headline = Headline::default();
    let mut stmt = conn.prepare(sql::REPORT_UNIT_INDICATORS.text)?;
    let rows = stmt.query_map(duckdb::params![period.key, unit_kind, unit_key], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<f64>>(3)?,
            r.get::<_, Option<f64>>(4)?,
            r.get::<_, Option<f64>>(5)?,
            r.get::<_, Option<f64>>(6)?,
            r.get::<_, Option<f64>>(7)?,
        ))
    })?;
    for row in rows {
        let (code, name, unit, v, prev, cprev, yoy, cyoy) = row?;
        match code.as_str() {
            "volume" => {
                headline.volume = v;
                headline.volume_prev = cprev;
                headline.volume_yoy = cyoy;
            }
            "satisfaction_rate" => headline.satisfaction = v,
            "on_time_rate" => headline.on_time = v,
            _ => {}
        }
        rows_shown.push(vec![
            name,
            value_shown(v, &unit),
            value_shown(prev, &unit),
            rate_change(cprev, &unit),
            value_shown(yoy, &unit),
            rate_change(cyoy, &unit),
        ]);
    }
    Ok((rows_shown, headline))
}

/// The appendix's indicator definitions (name, short name, formula), and the short names
/// the tables print for each indicator's name.
fn definitions(conn: &Connection) -> Result<(Vec<Vec<String>>, Labels)> {
    let mut definitions = Vec::new();
    let mut labels = Labels::new();
    let mut stmt = conn.prepare(sql::REPORT_INDICATOR_DEFINITIONS.text)?;
    let rows = stmt.query_map([], |r| {
        Ok(vec![r.get::<_, String>(0)?, r.get(1)?, r.get(2)?])
    })?;
    for r in rows {
        let r = r?;
        labels.insert(r[0].clone(), r[1].clone());
        definitions.push(r);
    }
    Ok((definitions, labels))
}

/// The pilot summary's 试点成效 section: the difference-in-differences table and its note.
fn pilot_effect(conn: &Connection, ws: &Workspace, period: &Period) -> Result<PilotEffect> {
    let config = &ws.config;
    let frames = analysis::run(conn, config, "pilot-effect", period, "")?;
    let (f, by_unit) = (&frames[0], &frames[1]);
    let number = |r: &[duckdb::types::Value], c: &str| f.col(c).and_then(|i| as_number(&r[i]));
    let shown = |v: Option<f64>| value_shown(v, "rate");
    let indicators: Vec<serde_json::Value> = f
        .rows
        .iter()
        .map(|r| {
            let (did, low, high, p) = (
                number(r, "did"),
                number(r, "did_low"),
                number(r, "did_high"),
                number(r, "did_p"),
            );
            serde_json::json!({
                "name": f.col("indicator_name").map(|i| display(&r[i], false)).unwrap_or_default(),
                "did": rate_change(did, "rate"),
                "low": rate_change(low, "rate"),
                "high": rate_change(high, "rate"),
                "p": p.map_or_else(|| shown(None), |p| format!("{p:.3}")),
                "clear": matches!((low, high, p), (Some(l), Some(h), Some(p))
                    if (l > 0.0 || h < 0.0) && p < 0.05),
                "known": did.is_some(),
            })
        })
        .collect();
    let pilot_units = ws.config.pilot.units.len();
    let all_regions: i64 = conn.query_row(sql::REPORT_REGION_COUNT.text, [], |r| r.get(0))?;
    Ok(PilotEffect {
        noise: prose::render(
            ws,
            "pilot_noise",
            serde_json::json!({
                "indicators": indicators,
                "draws": 1000,
                "regions": all_regions,
                "pilot": pilot_units,
            }),
        )?,
        units: Table::from_frame(by_unit, &[]),
        note: prose::render(
            ws,
            "pilot_effect",
            serde_json::json!({
                "units": config.pilot.units,
                "baseline_start": config.pilot.baseline_start.to_string(),
                "baseline_end": config.pilot.baseline_end.to_string(),
                "pilot_start": config.pilot.start.to_string(),
                "pilot_end": config.pilot.end.to_string(),
            }),
        )?,
        table: {
            // 试点单位_试点前 → 试点单位·试点前: the labels read as two words in a table.
            let mut t = Table::from_frame(f, &[]);
            t.columns = t.columns.iter().map(|c| c.replace('_', "·")).collect();
            t
        },
    })
}

/// The period a report ranks its departments on when it is not the report's own: for a
/// monthly report the `[report] ranking_months` ending with its month (`2023-04..2024-03`),
/// once the warehouse has all of them.
///
/// # Errors
/// When dim_period cannot be read.
fn ranking_basis(
    conn: &Connection,
    config: &crate::config::Config,
    kind: Kind,
    period: &Period,
) -> Result<Option<Period>> {
    let months = config.report.ranking_months as i32;
    if kind != Kind::Monthly || months <= 1 {
        return Ok(None);
    }
    let PeriodKey::Month(month) = period.key else {
        return Ok(None);
    };
    let key = PeriodKey::Rolling {
        first: month.plus(1 - months),
        last: month,
    };
    Period::find(conn, key)
}

/// The font roles for the templates: each configured chain, with Noto Serif and Sans CJK SC
/// after it so that no character is without a glyph.
fn font_roles(roles: &crate::config::FontRoles) -> serde_json::Value {
    let chain = |c: &[String]| {
        let mut v: Vec<String> = c.to_vec();
        for f in ["Noto Serif CJK SC", "Noto Sans CJK SC"] {
            if !v.iter().any(|x| x == f) {
                v.push(f.to_string());
            }
        }
        v
    };
    serde_json::json!({
        "title": chain(&roles.title),
        "body": chain(&roles.body),
        "heading": chain(&roles.heading),
        "kai": chain(&roles.kai),
        "mono": chain(&roles.mono),
    })
}

/// A document's `/data.json`: its data with the font roles added.
///
/// # Errors
/// When the data cannot be serialised (it always can).
pub fn document_json(ws: &Workspace, data: &impl Serialize) -> Result<Vec<u8>> {
    let mut value = serde_json::to_value(data)?;
    if let Some(doc) = value.as_object_mut() {
        doc.insert("fonts".into(), font_roles(&ws.config.report.fonts));
    }
    Ok(serde_json::to_vec(&value)?)
}

/// The fonts of the system and of `[report] font_dirs` (found once per process).
pub fn font_store(ws: &Workspace) -> std::sync::Arc<typst_kit::fonts::FontStore> {
    let font_dirs: Vec<PathBuf> = ws
        .config
        .report
        .font_dirs
        .iter()
        .map(|d| ws.path(d))
        .collect();
    fonts(&font_dirs)
}

/// The pilot summary's closing parts: up to five 重大 cases of the key supervision list, the
/// recommendations drawn from 监督重点, and 监督重点 itself as next year's plan input.
fn closing(
    conn: &Connection,
    ws: &Workspace,
    period: &Period,
    region: &str,
    supervision: &Frame,
    disputes: usize,
    warnings: usize,
) -> Result<Closing> {
    let cell = |f: &Frame, r: &[duckdb::types::Value], c: &str| {
        f.col(c).map(|i| display(&r[i], false)).unwrap_or_default()
    };
    let mut cases = Vec::new();
    let in_use = crate::casework::in_use(conn)?;
    if in_use {
        // The office's own: the cases it chose, in its words.
        let chosen = crate::casework::typical::of_period(conn, period, region)?;
        for r in &chosen.rows {
            let text = |c: &str| cell(&chosen, r, c);
            cases.push(prose::render(
                ws,
                "marked_case",
                serde_json::json!({
                    "n": cases.len() + 1,
                    "case_no": text("case_no"),
                    "title": text("case_title"),
                    "kind": text("case_kind"),
                    "region": text("region_name"),
                    "departments": Some(text("departments")).filter(|d| d != "—"),
                    "tickets": text("tickets"),
                    "problem": full_stop(&text("problem")),
                    "action": full_stop(&match text("letters") {
                        l if l == "—" => text("supervision_action"),
                        l => format!(
                            "{}（发函{l}）",
                            text("supervision_action").trim_end_matches(['。', '.', '；'])
                        ),
                    }),
                    "result": full_stop(&text("result")),
                }),
            )?);
        }
    }
    for r in supervision
        .rows
        .iter()
        .filter(|_| !in_use)
        .filter(|r| cell(supervision, r, "supervision_type").contains("重大"))
        .take(5)
    {
        cases.push(prose::render(
            ws,
            "typical_case",
            serde_json::json!({
                "n": cases.len() + 1,
                "ticket": cell(supervision, r, "ticket_id"),
                "region": cell(supervision, r, "region_name"),
                "department": cell(supervision, r, "department"),
                "category": cell(supervision, r, "category"),
                "rule": cell(supervision, r, "rule_fired"),
                "sentence": cell(supervision, r, "trigger_sentence"),
                "status": cell(supervision, r, "status"),
                "decision": cell(supervision, r, "decision"),
            }),
        )?);
    }
    let focus = &analysis::run(conn, &ws.config, "focus", period, region)?[0];
    let top = |dim: &str, n: usize| -> Vec<serde_json::Value> {
        focus
            .rows
            .iter()
            .filter(|r| cell(focus, r, "dimension") == dim)
            .take(n)
            .map(|r| {
                serde_json::json!({
                    "name": cell(focus, r, "item"),
                    "count": cell(focus, r, "complaints"),
                })
            })
            .collect()
    };
    let recommendations = prose::render(
        ws,
        "recommendations",
        serde_json::json!({
            "fields": top("执法领域", 3),
            "behaviours": top("执法行为", 3),
            "departments": top("执法部门", 3),
            "disputes": disputes,
            "warnings": warnings,
            "units": ws.config.pilot.units,
        }),
    )?;
    Ok(Closing {
        cases,
        no_cases: if in_use {
            "本年度未选定典型案例。"
        } else {
            "本年度无重大事项。"
        }
        .to_string(),
        recommendations,
        plan: Table::from_frame(focus, &[]),
    })
}

/// The office's sentence as a report prints it: ending with a full stop.
fn full_stop(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['。', '！', '？', '；', '.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// A number of a result cell, when it is one.
fn as_number(v: &duckdb::types::Value) -> Option<f64> {
    use duckdb::types::Value;
    match v {
        Value::Double(x) => Some(*x),
        Value::Float(x) => Some(f64::from(*x)),
        Value::BigInt(x) => Some(*x as f64),
        Value::Int(x) => Some(f64::from(*x)),
        Value::HugeInt(x) => Some(*x as f64),
        Value::UBigInt(x) => Some(*x as f64),
        Value::Decimal(d) => d.to_string().parse().ok(),
        _ => None,
    }
}

/// 排名变动: the departments' ranks now and in the period before, with a sentence naming the
/// largest moves; `None` when no department is ranked.
fn movement(
    conn: &Connection,
    ws: &Workspace,
    period: &Period,
    region: &str,
) -> Result<Option<Movement>> {
    let f = analysis::department_movement(conn, period, region)?;
    if f.rows.is_empty() {
        return Ok(None);
    }
    let prev_label = Period::find(conn, period.prev_key)?.map(|p| p.label);
    let (Some(name), Some(now), Some(before)) =
        (f.col("unit_key"), f.col("rank_now"), f.col("rank_prev"))
    else {
        anyhow::bail!("sql/analyses/department_movement.sql lost a column");
    };
    let mut moves: Vec<(String, i64)> = f
        .rows
        .iter()
        .filter_map(|r| {
            let delta = as_number(&r[before])? - as_number(&r[now])?;
            Some((display(&r[name], false), delta as i64))
        })
        .collect();
    let new = f.rows.len() - moves.len();
    moves.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let up: Vec<_> = moves
        .iter()
        .filter(|m| m.1 > 0)
        .take(3)
        .map(|m| serde_json::json!({"name": m.0, "places": m.1}))
        .collect();
    let down: Vec<_> = moves
        .iter()
        .rev()
        .filter(|m| m.1 < 0)
        .take(3)
        .map(|m| serde_json::json!({"name": m.0, "places": -m.1}))
        .collect();
    let note = prose::render(
        ws,
        "movement",
        serde_json::json!({
            "prev": prev_label.unwrap_or_else(|| "上期".into()),
            "ranked": f.rows.len(),
            "up": up,
            "down": down,
            "new": new,
        }),
    )?;
    let shown = f.head(20);
    Ok(Some(Movement {
        note,
        table: Table::from_frame(&shown, &[]),
    }))
}

/// One chart drawn: its name (the SVG's file name), caption and SVG.
type Drawn = (&'static str, String, String);

/// Draws the charts of a period report from the marts: the twelve months up to the period's
/// end, the fields' shares, the leading departments' 保守效能指数, and for a pilot summary the
/// pilot units against the others. A chart without data is left out.
fn charts(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
    ranked: (&Period, &Frame),
) -> Result<(Charts, Vec<MemoryFile>)> {
    let family = world::chart_family(&font_store(ws), &ws.config.report.fonts.heading);
    let (volume, rates) = trend_charts(conn, &family, period, region)?;
    let mut out = Charts::default();
    let mut svgs = Vec::new();
    for (slot, drawn) in [
        (&mut out.volume, volume),
        (&mut out.rates, rates),
        (
            &mut out.fields,
            fields_chart(conn, &family, period, region)?,
        ),
        (&mut out.departments, departments_chart(&family, ranked)?),
        (
            &mut out.pilot,
            if kind == Kind::PilotSummary {
                pilot_chart(conn, ws, &family)?
            } else {
                None
            },
        ),
    ] {
        if let Some((name, caption, svg)) = drawn {
            let path = format!("/charts/{name}.svg");
            svgs.push((path.clone(), svg.into_bytes()));
            *slot = Some(Figure { path, caption });
        }
    }
    Ok((out, svgs))
}

/// 诉求量, and 按期办结率 with 回访满意率, of the unit (the city or the region) in the twelve
/// months up to the period's last month.
fn trend_charts(
    conn: &Connection,
    family: &str,
    period: &Period,
    region: &str,
) -> Result<(Option<Drawn>, Option<Drawn>)> {
    use chart::Scale;
    let unit = if region.is_empty() { "全市" } else { region };
    let trend = analysis::query(
        conn,
        "趋势",
        analysis::query_text("chart_trend")?,
        &[&period.key, &region],
    )?;
    if trend.rows.len() < 2 {
        return Ok((None, None));
    }
    let months = trend.texts("month_label");
    let volume = chart::lines(
        family,
        &months,
        &[(legend("volume"), series(&trend, "volume")?)],
        Scale::Count,
        None,
    )?;
    let rates = chart::lines(
        family,
        &months,
        &[
            (legend("on_time_rate"), series(&trend, "on_time_rate")?),
            (
                legend("satisfaction_rate"),
                series(&trend, "satisfaction_rate")?,
            ),
        ],
        Scale::Percent,
        None,
    )?;
    Ok((
        Some((
            "volume",
            format!("{unit}近{}个月涉及行政执法诉求量（件）", months.len()),
            volume,
        )),
        Some((
            "rates",
            format!("{unit}近{}个月按期办结率与回访满意率", months.len()),
            rates,
        )),
    ))
}

/// 诉求量 by enforcement field with each one's share (city-wide reports only).
fn fields_chart(
    conn: &Connection,
    family: &str,
    period: &Period,
    region: &str,
) -> Result<Option<Drawn>> {
    if !region.is_empty() {
        return Ok(None);
    }
    let fields = analysis::query(
        conn,
        "领域",
        analysis::query_text("chart_fields")?,
        &[&period.key],
    )?;
    let (Some(name), Some(volume)) = (fields.col("field"), fields.col("volume")) else {
        anyhow::bail!("sql/analyses/chart_fields.sql lost a column");
    };
    let bars: Vec<(String, f64)> = fields
        .rows
        .iter()
        .filter_map(|r| Some((display(&r[name], false), as_number(&r[volume])?)))
        .collect();
    let total: f64 = bars.iter().map(|b| b.1).sum();
    if bars.is_empty() || total <= 0.0 {
        return Ok(None);
    }
    let shares: Vec<String> = bars
        .iter()
        .map(|b| format!("{:.1}%", b.1 / total * 100.0))
        .collect();
    Ok(Some((
        "fields",
        format!("{}各执法领域诉求量及占比", period.label),
        chart::bars(family, &bars, chart::Scale::Count, &|k| shares[k].clone())?,
    )))
}

/// The leading departments' 保守效能指数: the bars are what the rank follows, so they fall
/// from the first to the last.
fn departments_chart(
    family: &str,
    (ranked_period, ranked): (&Period, &Frame),
) -> Result<Option<Drawn>> {
    let (Some(name), Some(score)) = (ranked.col("unit_key"), ranked.col("rank_score")) else {
        return Ok(None);
    };
    let bars: Vec<(String, f64)> = ranked
        .rows
        .iter()
        .take(15)
        .filter_map(|r| Some((display(&r[name], false), as_number(&r[score])?)))
        .collect();
    if bars.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        "departments",
        format!(
            "{}排名前{}位的执法部门及其保守效能指数",
            ranked_period.label,
            bars.len()
        ),
        chart::bars(family, &bars, chart::Scale::Points, &|_| String::new())?,
    )))
}

/// 回访满意率 of the pilot units against the other regions, from the baseline to the
/// pilot's end, marking where the pilot starts (pilot summaries).
fn pilot_chart(conn: &Connection, ws: &Workspace, family: &str) -> Result<Option<Drawn>> {
    let c = &ws.config.pilot;
    let pilot = analysis::query(conn, "试点", analysis::query_text("chart_pilot")?, &[])?;
    if pilot.rows.len() < 2 {
        return Ok(None);
    }
    let months = pilot.texts("month_label");
    // The months are yy.mm: the pilot starts at the first one not before its start.
    let start = c.start.first_day().format("%y.%m").to_string();
    let pilot_at = months.iter().position(|l| *l >= start).unwrap_or(0);
    Ok(Some((
        "pilot",
        format!(
            "试点单位与其他区县回访满意率（{}至{}）",
            c.baseline_start, c.end
        ),
        chart::lines(
            family,
            &months,
            &[
                ("试点单位".into(), series(&pilot, "pilot")?),
                ("其他区县".into(), series(&pilot, "others")?),
            ],
            chart::Scale::Percent,
            Some((pilot_at, "试点开始")),
        )?,
    )))
}

/// Typst's diagnostics as one line.
fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Compiles a template with its data to PDF bytes. The document date is `date`, never the
/// clock, so the same data gives the same bytes.
///
/// # Errors
/// Typst's diagnostics, or a missing CJK font.
pub fn typeset(
    ws: &Workspace,
    template: &str,
    data: &impl Serialize,
    files: &[MemoryFile],
    date: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    use chrono::Datelike;
    let store = font_store(ws);
    require_cjk(&store)?;
    let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
        .context("the document date")?;
    let world = ReportWorld::new(template, document_json(ws, data)?, files, today, store)?;
    let result = typst::compile::<PagedDocument>(&world);
    let mut seen = std::collections::BTreeSet::new();
    for w in &result.warnings {
        let hints: Vec<&str> = w.hints.iter().map(|h| h.v.as_str()).collect();
        let message = if hints.is_empty() {
            w.message.to_string()
        } else {
            format!("{} ({})", w.message, hints.join("; "))
        };
        if !seen.insert(message.clone()) {
            continue;
        }
        if message.starts_with("unknown font family") {
            // The font roles are chains that fall back by design (the official fonts first,
            // often not installed): expected, so only for whoever looks into the fonts.
            tracing::debug!(template, "Typst: {message}");
        } else {
            // Anything else (a character no font has, a construct about to go) does not stop
            // the report, but whoever keeps the templates should hear of it.
            tracing::warn!(template, "Typst: {message}");
        }
    }
    let pdf = match result.output {
        Ok(doc) => {
            let standards = if ws.config.report.pdf_a {
                typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
                    .map_err(|e| anyhow::anyhow!("PDF/A-2b: {e:?}"))?
            } else {
                typst_pdf::PdfStandards::default()
            };
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(format!("rexian-{template}")),
                timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
                standards,
                ..Default::default()
            };
            typst_pdf::pdf(&doc, &options).map_err(|errors| {
                anyhow::anyhow!("writing the PDF of {template}: {}", messages(&errors))
            })
        }
        Err(errors) => Err(anyhow::anyhow!(
            "typesetting {template}: {}",
            messages(&errors)
        )),
    };
    // A long-running process must not grow: forget what this compile memoised.
    typst::comemo::evict(0);
    pdf
}

/// Writes the report of a period into `dir` and returns its path.
///
/// # Errors
/// When the period is not of the kind's length, the data cannot be gathered, typesetting
/// fails, or the file cannot be written.
pub fn write(
    ws: &Workspace,
    conn: &Connection,
    kind: Kind,
    period: &Period,
    region: &str,
    dir: &Path,
) -> Result<PathBuf> {
    if period.kind() != kind.period_kind() {
        anyhow::bail!(
            "{} is a {}, and this report covers a {}: write {}",
            period.key,
            period.kind(),
            kind.period_kind(),
            kind.period_kind().example()
        );
    }
    let data = period_data(conn, ws, kind, period, region)?;
    let last_day = period.end.pred_opt().unwrap_or(period.end);
    let pdf = typeset(ws, "period-report.typ", &data, &data.svgs, last_day)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(file_name(kind, period, region));
    crate::fsutil::write_atomic(&path, &pdf)?;
    Ok(path)
}

/// The reports a period issues itself: a month its 月报, a quarter its 季报 for the city and
/// for each pilot unit, a pilot year its 试点工作总结, a year its 年报 (a ranking window none).
/// The scheduler issues these for each period it reaches; [`all`] for a period and every
/// month and quarter inside it.
pub fn issued_by(config: &crate::config::Config, key: PeriodKey) -> Vec<(Kind, PeriodKey, String)> {
    let city = |kind| vec![(kind, key, String::new())];
    match key.kind() {
        PeriodKind::Month => city(Kind::Monthly),
        PeriodKind::Quarter => std::iter::once(String::new())
            .chain(config.pilot.units.iter().cloned())
            .map(|region| (Kind::Quarterly, key, region))
            .collect(),
        PeriodKind::PilotYear => city(Kind::PilotSummary),
        PeriodKind::Year => city(Kind::Annual),
        PeriodKind::Rolling => Vec::new(),
    }
}

/// Every report due for a period: each of its months', each quarter's that ends in it (for the
/// city and for each pilot unit), and for a pilot year or a calendar year the year's own (试点工作总结
/// or 年报). A quarter gives its months and itself, a month its own report. A month or quarter
/// the warehouse has no data for (before the first load) is not due. `done` hears of each file
/// as it is written. Returns the paths.
///
/// # Errors
/// When a report fails.
pub fn all(
    ws: &Workspace,
    conn: &Connection,
    period: &Period,
    dir: &Path,
    done: impl FnMut(&Path),
) -> Result<Vec<PathBuf>> {
    let mut keys: Vec<PeriodKey> = period.key.months().map(PeriodKey::Month).collect();
    keys.extend(period.key.quarters());
    if matches!(period.kind(), PeriodKind::PilotYear | PeriodKind::Year) {
        keys.push(period.key);
    }
    let mut due = Vec::new();
    for key in keys {
        let Some(found) = Period::find(conn, key)? else {
            continue;
        };
        due.extend(
            issued_by(&ws.config, key)
                .into_iter()
                .map(|(kind, _, region)| (kind, found.clone(), region)),
        );
    }
    write_many(ws, conn, &due, dir, done)
}

/// Writes several reports on two threads, each with its own connection (the machine's two
/// cores: while one report waits on DuckDB the other typesets). Returns the paths in the
/// order of `jobs`; `done` hears of each as it is written.
///
/// # Errors
/// The first report that fails (the others already written stay).
pub fn write_many(
    ws: &Workspace,
    conn: &Connection,
    jobs: &[(Kind, Period, String)],
    dir: &Path,
    mut done: impl FnMut(&Path),
) -> Result<Vec<PathBuf>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<PathBuf>)>();
    let mut out: Vec<Option<PathBuf>> = vec![None; jobs.len()];
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..2 {
            let conn = conn.try_clone()?;
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((kind, period, region)) = jobs.get(i) else {
                    break;
                };
                let result = write(ws, &conn, *kind, period, region, dir);
                let failed = result.is_err();
                if tx.send((i, result)).is_err() || failed {
                    // Stop taking work after a failure: the caller reports it.
                    next.store(jobs.len(), Ordering::SeqCst);
                    break;
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            let path = result?;
            done(&path);
            out[i] = Some(path);
        }
        Ok(())
    })?;
    Ok(out.into_iter().flatten().collect())
}
