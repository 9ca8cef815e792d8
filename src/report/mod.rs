//! Typeset reports: the data of a period, gathered from the same queries as `rexian
//! indicators` and `rexian analyse`, formatted as the terminal shows it, handed to a Typst
//! template as JSON, and compiled to PDF in-process.

mod letter;
mod world;

pub use letter::{letter_data, write_letter, LetterData, LetterKind};

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::analyse::{self, Frame, Period};
use crate::config::Workspace;
use crate::output::display;

pub use world::{fonts, require_cjk, ReportWorld, CJK_FAMILIES};

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
            columns: idx.iter().map(|i| f.columns[*i].clone()).collect(),
            rows: f
                .rows
                .iter()
                .map(|r| {
                    idx.iter()
                        .map(|i| display(&r[*i], f.percent.contains(&f.columns[*i])))
                        .collect()
                })
                .collect(),
        }
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
    /// The period kind it covers (dim_period.period_kind).
    pub fn period_kind(self) -> &'static str {
        match self {
            Kind::Monthly => "month",
            Kind::Quarterly => "quarter",
            Kind::Annual => "year",
            Kind::PilotSummary | Kind::All => "pilot_year",
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

    /// An example of its period, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Kind::Monthly => "2024-03",
            Kind::Quarterly => "2024Q1",
            Kind::Annual => "2024",
            Kind::PilotSummary | Kind::All => "pilot",
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

/// The pilot effect section of a pilot summary.
#[derive(Debug, Clone, Serialize)]
pub struct PilotEffect {
    /// What the table shows.
    pub note: String,
    /// Pilot vs other units, before vs during, difference in differences.
    pub table: Table,
}

/// Everything the period template prints.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodData {
    /// 本月 / 上月 and the like.
    pub words: Words,
    /// The pilot effect (pilot summaries only).
    pub pilot_effect: Option<PilotEffect>,
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
    /// Grading counts.
    pub grades: Table,
    /// Hot categories.
    pub hot: Table,
    /// Hot keywords.
    pub keywords: Table,
    /// Early warnings.
    pub warnings: Table,
    /// Key supervision list.
    pub supervision: Table,
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
        Some(x) => display(&Value::Double(x), unit == "rate"),
    }
}

/// Gathers a report's data for a period.
///
/// # Errors
/// When a query fails.
pub fn period_data(
    conn: &Connection,
    ws: &Workspace,
    kind: Kind,
    period: &Period,
    region: &str,
) -> Result<PeriodData> {
    let config = &ws.config;
    analyse::set_region(conn, region)?;
    let (unit_kind, unit_key) = if region.is_empty() {
        ("city", "全市")
    } else {
        ("region", region)
    };
    let mut city = Vec::new();
    let mut volume = (None, None, None);
    let mut sat = None;
    let mut on_time = None;
    {
        let mut stmt = conn.prepare(
            "select indicator, indicator_name, unit, value, value_prev, change_prev, value_yoy, \
             change_yoy from mart_indicator_values where period_key = ? and dim_kind = ? \
             and dim_key = ? order by sort_order",
        )?;
        let rows = stmt.query_map([&period.key, unit_kind, unit_key], |r| {
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
                "volume" => volume = (v, cprev, cyoy),
                "satisfaction_rate" => sat = v,
                "on_time_rate" => on_time = v,
                _ => {}
            }
            city.push(vec![
                name,
                value_shown(v, &unit),
                value_shown(prev, &unit),
                rate_change(cprev, &unit),
                value_shown(yoy, &unit),
                rate_change(cyoy, &unit),
            ]);
        }
    }
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{:.2}%", x * 100.0));
    let change = |v: Option<f64>| match v {
        None => "无可比数据".to_string(),
        Some(x) if x >= 0.0 => format!("上升{:.2}%", x * 100.0),
        Some(x) => format!("下降{:.2}%", -x * 100.0),
    };
    let overview = vec![format!(
        "{}，{}12345热线共受理涉及行政执法诉求{}件，较上期{}，同比{}。按期办结率{}，回访满意率{}。",
        period.label,
        unit_key,
        volume.0.map_or("—".to_string(), |v| format!("{v:.0}")),
        change(volume.1),
        change(volume.2),
        pct(on_time),
        pct(sat),
    )];
    // A region's report lists its departments where the city's lists its regions.
    let regions = if region.is_empty() {
        analyse::indicators(conn, period, "region", "")?
    } else {
        analyse::indicators(conn, period, "department", region)?
    };
    let departments = analyse::indicators(conn, period, "department", region)?;
    let ranked = Frame {
        rows: departments
            .rows
            .iter()
            .filter(|r| !matches!(r[0], duckdb::types::Value::Null))
            .take(20)
            .cloned()
            .collect(),
        ..departments.clone()
    };
    let small = departments.rows.len()
        - departments
            .rows
            .iter()
            .filter(|r| !matches!(r[0], duckdb::types::Value::Null))
            .count();
    let keep = [
        "排名",
        "单位",
        "诉求量",
        "及时签收率",
        "按期办结率",
        "平均办理时长",
        "退单率",
        "回访满意率",
        "效能指数",
        "等级",
    ];
    let grades = analyse::grade_counts(conn, period)?;
    let hot = analyse::run(conn, config, "hot", period)?;
    let warnings = analyse::run(conn, config, "warnings", period)?;
    let supervision = analyse::run(conn, config, "supervision", period)?;
    let mut definitions = Vec::new();
    {
        let mut stmt =
            conn.prepare("select indicator_name, formula from stg_indicator order by sort_order")?;
        let rows = stmt.query_map([], |r| Ok(vec![r.get::<_, String>(0)?, r.get(1)?]))?;
        for r in rows {
            definitions.push(r?);
        }
    }
    let (ledger, rules): (String, String) = conn.query_row(
        "select coalesce(string_agg(file_sha256, ',' order by load_id), ''), \
         (select value from cfg_param where key = 'rules_version') from load_ledger",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let pilot_effect = if kind == Kind::PilotSummary {
        let f = &analyse::run(conn, config, "pilot-effect", period)?[0];
        Some(PilotEffect {
            note: format!(
                "对照试点单位（{}）与其他区县在试点前（{}至{}）和试点期间（{}至{}）的变化，\
                 以双重差分衡量试点成效：正值表示试点单位的改善多于其他区县（退单率以负值为好）。",
                config.pilot.units.join("、"),
                config.pilot.baseline_start,
                config.pilot.baseline_end,
                config.pilot.start,
                config.pilot.end
            ),
            table: Table::from_frame(f, &[]),
        })
    } else {
        None
    };
    Ok(PeriodData {
        words: kind.words(),
        pilot_effect,
        title: format!("{region}{}", kind.title()),
        doc_title: format!("{} {}", period.label, title_of(kind, region)),
        subtitle: format!("{}　{}", period.label, config.report.issuer),
        issuer: config.report.issuer.clone(),
        overview,
        city,
        units_heading: if region.is_empty() { "各区县情况" } else { "各部门情况" }.to_string(),
        regions: Table::from_frame(&regions, &keep[1..]),
        ranking_note: format!(
            "效能指数按响应、办理效能、办理质量、群众满意四项一级指标加权计算；排名以各比率 95% 威尔逊区间的保守端计算，\
             有效回访少于{}件的{}个部门为样本不足，不参与排名。下表列前{}名。",
            config.scoring.min_callbacks,
            small,
            ranked.rows.len()
        ),
        departments: Table::from_frame(&ranked, &keep),
        grades: Table::from_frame(&grades, &[]),
        hot: Table::from_frame(&hot[0], &["排名", "诉求分类", "件数", "占比", "环比增长"]),
        keywords: Table::from_frame(&hot[1], &[]),
        warnings: Table::from_frame(&warnings[0], &["诉求分类", "区县", "件数", "前期月均", "预警线"]),
        supervision: Table::from_frame(
            &Frame {
                rows: supervision[0].rows.iter().take(30).cloned().collect(),
                ..supervision[0].clone()
            },
            &["工单编号", "区县", "承办单位", "诉求分类", "督办类型", "办理状态"],
        ),
        definitions,
        provenance: Provenance {
            source: "12345热线工单数据（已脱敏）".into(),
            ledger: hex::encode(Sha256::digest(ledger.as_bytes()))[..16].to_string(),
            rules,
            version: crate::VERSION.to_string(),
        },
    })
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
    date: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    use chrono::Datelike;
    let font_dirs: Vec<PathBuf> = ws
        .config
        .report
        .font_dirs
        .iter()
        .map(|d| ws.path(d))
        .collect();
    let store = fonts(&font_dirs);
    require_cjk(&store)?;
    let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
        .context("the document date")?;
    let world = ReportWorld::new(template, serde_json::to_vec(data)?, today, store)?;
    let result = typst::compile::<PagedDocument>(&world);
    let pdf = match result.output {
        Ok(doc) => {
            let options = typst_pdf::PdfOptions {
                ident: Smart::Custom(format!("rexian-{template}")),
                timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
                ..Default::default()
            };
            typst_pdf::pdf(&doc, &options).map_err(|errors| {
                anyhow::anyhow!(
                    "writing the PDF of {template}: {}",
                    errors
                        .iter()
                        .map(|e| e.message.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
        }
        Err(errors) => Err(anyhow::anyhow!(
            "typesetting {template}: {}",
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
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
    if period.kind != kind.period_kind() {
        anyhow::bail!(
            "{} is a {}, and this report covers a {}: write it like {}",
            period.key,
            period.kind,
            kind.period_kind(),
            kind.example()
        );
    }
    let data = period_data(conn, ws, kind, period, region);
    analyse::set_region(conn, "")?;
    let data = data?;
    let last_day = period.end.pred_opt().unwrap_or(period.end);
    let pdf = typeset(ws, "period-report.typ", &data, last_day)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(file_name(kind, period, region));
    crate::fsutil::write_atomic(&path, &pdf)?;
    Ok(path)
}

/// Every report due for a pilot year or a calendar year: each month's, each quarter's (for
/// the city and for each pilot unit), and the year's own (试点工作总结 or 年报). `done` hears
/// of each file as it is written. Returns the paths.
///
/// # Errors
/// When the period is not a year, or a report fails.
pub fn all(
    ws: &Workspace,
    conn: &Connection,
    year: &Period,
    dir: &Path,
    mut done: impl FnMut(&Path),
) -> Result<Vec<PathBuf>> {
    let summary = match year.kind.as_str() {
        "pilot_year" => Kind::PilotSummary,
        "year" => Kind::Annual,
        _ => anyhow::bail!(
            "--all covers a pilot year (pilot, PY2023-24) or a year (2024), not the {} {}",
            year.kind,
            year.key
        ),
    };
    let mut months = Vec::new();
    let mut quarters: Vec<String> = Vec::new();
    let mut m = crate::period::YearMonth::of(year.start);
    while m.first_day() < year.end {
        months.push(m.to_string());
        let q = format!("{}Q{}", m.year, (m.month - 1) / 3 + 1);
        if !quarters.contains(&q) {
            quarters.push(q);
        }
        m = m.plus(1);
    }
    let mut jobs: Vec<(Kind, String, String)> = Vec::new();
    jobs.extend(
        months
            .iter()
            .map(|k| (Kind::Monthly, k.clone(), String::new())),
    );
    jobs.extend(
        quarters
            .iter()
            .map(|k| (Kind::Quarterly, k.clone(), String::new())),
    );
    for unit in &ws.config.pilot.units {
        jobs.extend(
            quarters
                .iter()
                .map(|k| (Kind::Quarterly, k.clone(), unit.clone())),
        );
    }
    jobs.push((summary, year.key.clone(), String::new()));
    let mut out = Vec::new();
    for (kind, key, region) in jobs {
        // A month or quarter without data (before the first load) is simply not due.
        let Ok(period) = Period::resolve(conn, &ws.config, &key) else {
            continue;
        };
        let path = write(ws, conn, kind, &period, &region, dir)?;
        done(&path);
        out.push(path);
    }
    Ok(out)
}
