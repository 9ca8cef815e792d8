//! The workspace: a folder with a `rexian.toml`, and the settings read from it.
//!
//! The defaults live in one place, `data/rexian.default.toml`, which is both what `rexian init`
//! writes (with its comments) and what a missing key falls back to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::period::YearMonth;

/// The commented default configuration, written by `rexian init`.
pub const DEFAULT_TOML: &str = include_str!("../data/rexian.default.toml");

/// The name of a workspace's configuration file.
pub const CONFIG_FILE: &str = "rexian.toml";

/// Every setting of a workspace, as read from `rexian.toml` over the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// IANA time zone of the extracts' local times and of the schedules.
    pub time_zone: String,
    /// Where the warehouse, lake and working folders are.
    pub paths: Paths,
    /// How the warehouse engine runs.
    pub warehouse: WarehouseSettings,
    /// The pilot period, its baseline and its units.
    pub pilot: Pilot,
    /// Where the masking key comes from.
    pub masking: Masking,
    /// How extracts are read.
    pub ingest: IngestSettings,
    /// Limits and windows behind the derived facts (签收时限, 重复诉求, 屡次不改…).
    pub indicators: IndicatorSettings,
    /// The composite 效能指数: curves, weights, bands, minimum sample.
    pub scoring: Scoring,
    /// The grading rules (分级分类) and suggested actions.
    pub grading: Grading,
    /// Sizes and thresholds of the analyses.
    pub analysis: AnalysisSettings,
    /// How reports are typeset.
    pub report: ReportSettings,
    /// When `rexian serve` runs each job.
    pub schedule: ScheduleSettings,
    /// The 督办台账: who works on it, deadlines, review.
    pub casework: CaseworkSettings,
    /// The learned classifier of scope and field.
    pub model: ModelSettings,
}

/// The learned classifier's settings (`rexian model`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    /// Fewer labelled appeals than this in the months trained on: it is not trained.
    pub min_rows: usize,
    /// The confidence at which the model decides a blank extract's scope and field.
    pub min_confidence: f64,
}

/// The 督办台账's settings: the office's staff, the default deadline and the review rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseworkSettings {
    /// The staff who may work on cases; an OS user not on it is refused.
    pub staff: Vec<Staff>,
    /// Whoever recorded a department's answer may not approve it (审核把关 by another).
    pub four_eyes: bool,
    /// Working days a department is given to answer, from the day a case is assigned.
    pub deadline_workdays: u32,
    /// Working days the hotline is given to send feedback on a pushed item (件件有回音).
    pub feedback_workdays: u32,
    /// Working days before its deadline that an open case joins the 督办提醒.
    pub remind_workdays: u32,
    /// An environment variable naming the staff member instead of the OS user ("" = off):
    /// for a training or test workspace where everyone shares one account.
    pub user_env: String,
    /// What the refresh opens a case for by itself: 重大 and/or 屡次不改 items (empty = none).
    pub auto_open: Vec<String>,
    /// The first day of acceptance whose items `auto_open` opens cases for (YYYY-MM-DD; needed
    /// with `auto_open`, so that turning it on does not open a case for every item of the past).
    pub auto_open_from: String,
}

impl CaseworkSettings {
    /// The first day `auto_open` covers, when it is on.
    ///
    /// # Errors
    /// When `auto_open` names something else than 重大 and 屡次不改, or `auto_open_from` is
    /// not a day.
    pub fn auto_open_from(&self) -> Result<Option<chrono::NaiveDate>> {
        for what in &self.auto_open {
            if !["重大", "屡次不改"].contains(&what.as_str()) {
                bail!("[casework] auto_open = [{what:?}]; use \"重大\" and/or \"屡次不改\"");
            }
        }
        if self.auto_open.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(self.auto_open_from.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                anyhow::anyhow!(
                    "[casework] auto_open_from = {:?}; with auto_open, write the first day of \
                     acceptance to open cases for (e.g. \"2024-11-01\"), so that older items are \
                     not all opened at once",
                    self.auto_open_from
                )
            })
    }
}

/// One staff member of the supervision office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// The name recorded on every event.
    pub name: String,
    /// 经办, 审核 or 负责人.
    pub role: String,
    /// The OS user who is this staff member (default: the name).
    #[serde(default)]
    pub os_user: String,
}

/// The families of each typographic role, each a fallback chain (official fonts first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontRoles {
    /// Document titles (方正小标宋).
    pub title: Vec<String>,
    /// Body text (仿宋_GB2312).
    pub body: Vec<String>,
    /// Headings, table headers and chart text (黑体).
    pub heading: Vec<String>,
    /// Second-level headings and subtitles (楷体).
    pub kai: Vec<String>,
    /// Fixed-width text (ticket numbers in letters).
    pub mono: Vec<String>,
}

/// When `rexian serve` runs each job, and how it retries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Cron expression of the inbox scan ("" = off).
    pub inbox: String,
    /// Cron expression of the monthly report.
    pub monthly: String,
    /// Cron expression of the quarterly reports.
    pub quarterly: String,
    /// Cron expression of the pilot summary.
    pub pilot_summary: String,
    /// Cron expression of the push-list export.
    pub push_list: String,
    /// Cron expression of the day's 督办提醒 (only with a [casework] staff list).
    pub casework: String,
    /// First month the daemon issues reports for ("" = the pilot's start).
    pub since: String,
    /// Attempts of a failing job before it stays failed.
    pub max_attempts: u32,
    /// Seconds before the first retry (doubling after each failure).
    pub retry_seconds: u64,
    /// Seconds an inbox file must stay unchanged before it is loaded.
    pub settle_seconds: u64,
    /// Folder of the daemon's log files, relative to the workspace.
    pub log_dir: PathBuf,
    /// Days of log files kept.
    pub keep_log_days: u32,
}

/// How reports are typeset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// The issuing office.
    pub issuer: String,
    /// Extra font folders.
    pub font_dirs: Vec<PathBuf>,
    /// 文号 prefix of 监督意见书.
    pub opinion_prefix: String,
    /// Working days to correct after a 监督意见书.
    pub opinion_days: u32,
    /// The opinion of a 监督意见书.
    pub opinion_text: String,
    /// 文号 prefix of 提醒函.
    pub reminder_prefix: String,
    /// Working days to correct after a 提醒函.
    pub reminder_days: u32,
    /// The text of a 提醒函.
    pub reminder_text: String,
    /// Write PDF/A-2b (for archiving) instead of plain PDF.
    pub pdf_a: bool,
    /// The font of each role, as fallback chains.
    pub fonts: FontRoles,
    /// The legal basis cited in letters.
    pub legal_basis: String,
    /// Months a monthly report ranks its departments on, ending with its month (1 for the
    /// month alone): one month gives most departments too few callbacks to be ranked.
    pub ranking_months: u32,
}

/// Limits and windows behind the derived facts of every appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSettings {
    /// Hours after dispatch within which signing is on time.
    pub sign_limit_hours: f64,
    /// Working days to close when the extract gives no deadline.
    pub default_due_workdays: u32,
    /// Window of 重复诉求, in days.
    pub repeat_window_days: u32,
    /// Window of 屡次不改 after a closing, in days.
    pub recurrence_window_days: u32,
}

/// How the 效能指数 is computed, graded and ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Fewest valid callbacks to be graded and ranked.
    pub min_callbacks: u32,
    /// z of the Wilson interval used for ranking.
    pub confidence_z: f64,
    /// First-level group → weight.
    pub groups: BTreeMap<String, f64>,
    /// Band name → lowest score.
    pub bands: BTreeMap<String, f64>,
    /// Indicator code → its scoring curve.
    pub curves: BTreeMap<String, Curve>,
}

/// One indicator's scoring curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curve {
    /// The first-level group it belongs to.
    pub group: String,
    /// The value that scores 0.
    pub floor: f64,
    /// The value that scores 100.
    pub target: f64,
    /// Its weight inside the group.
    pub weight: f64,
}

/// The grading rules (分级分类).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grading {
    /// Words that make an order 重大.
    pub major_keywords: Vec<String>,
    /// Words that deny a major word right after them (没有, 未, 并非…), with at most a verb
    /// such as 造成 and a word such as 人员 between: the denied word does not count.
    pub major_negations: Vec<String>,
    /// Phrases that hold a major word in another sense (弱势群体): they do not count.
    pub major_exceptions: Vec<String>,
    /// Words that, right after a quotation holding a major word, call it a misunderstanding
    /// or untrue (“吃拿卡要”系误会): the quoted word does not count.
    pub major_retractions: Vec<String>,
    /// Different callers about one subject that make it 重大.
    pub crowd_callers: u32,
    /// The window of `crowd_callers`, in days.
    pub crowd_window_days: u32,
    /// Returns that make an order 需协调争议解决.
    pub coordination_returns: u32,
    /// Returning departments that make an order 需协调争议解决.
    pub coordination_departments: u32,
    /// Regions a category × field must reach to be 普遍性执法问题.
    pub widespread_regions: u32,
    /// Orders a category × field must reach in each of those regions.
    pub widespread_orders_per_region: u32,
    /// Grade (or general_reminder / general_routine / recurrence) → suggested action.
    pub actions: BTreeMap<String, String>,
}

/// Sizes and thresholds of the analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSettings {
    /// Length of the top lists.
    pub top: u32,
    /// Example appeals per hot category.
    pub examples: u32,
    /// Months of history an early warning compares with.
    pub warning_months: u32,
    /// Standard deviations above the mean that raise a warning.
    pub warning_sigma: f64,
    /// Fewest orders in the month for a warning.
    pub warning_min_orders: u32,
    /// Behaviour words looked for in complaints.
    pub behaviours: Vec<String>,
    /// Words never shown as keywords, nor at either end of a keyword phrase (filler).
    pub stopwords: Vec<String>,
    /// Words never shown as keywords by themselves, though a phrase may begin or end with
    /// one (违规 alone says nothing, 违规收费 does).
    pub generic_words: Vec<String>,
}

/// Paths of a workspace, relative to its folder unless absolute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    /// The DuckDB warehouse file.
    pub warehouse: PathBuf,
    /// The root of the Parquet lake.
    pub lake: PathBuf,
    /// Folder watched for new extracts.
    pub inbox: PathBuf,
    /// Folder loaded extracts are moved to.
    pub archive: PathBuf,
    /// Folder unloadable extracts are moved to.
    pub rejected: PathBuf,
    /// Folder of per-load records and rejected-row CSVs.
    pub loads: PathBuf,
    /// Folder of typeset reports.
    pub reports: PathBuf,
    /// Folder of reference CSVs; empty means the built-in copies.
    pub reference: PathBuf,
    /// Folder of the pilot units' own paragraphs (单位材料): 区县/期间/工作动态.txt …
    pub unit_texts: PathBuf,
}

/// Settings of the DuckDB engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarehouseSettings {
    /// DuckDB's memory limit, e.g. "1GB".
    pub memory_limit: String,
}

/// The pilot's calendar and units (试点期、对照期、试点单位).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pilot {
    /// First month of the pilot.
    pub start: YearMonth,
    /// Last month of the pilot.
    pub end: YearMonth,
    /// First month of the baseline.
    pub baseline_start: YearMonth,
    /// Last month of the baseline.
    pub baseline_end: YearMonth,
    /// Region names of the pilot units.
    pub units: Vec<String>,
}

/// Source of the secret key for the keyed hash of personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Masking {
    /// File holding the hex key, relative to the workspace.
    pub key_file: PathBuf,
    /// Environment variable that overrides the file.
    pub key_env: String,
}

/// Settings of `rexian ingest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestSettings {
    /// "auto", "utf-8" or "gb18030".
    pub encoding: String,
    /// Longest accepted text cell, in characters.
    pub max_text_chars: usize,
    /// Earliest plausible date in an extract.
    pub earliest_date: NaiveDate,
}

impl Default for Config {
    fn default() -> Self {
        // The embedded file is checked by a unit test, so this cannot fail at run time.
        toml::from_str(DEFAULT_TOML).expect("data/rexian.default.toml is valid")
    }
}

impl Config {
    /// Reads a configuration file, filling every missing key from the defaults.
    ///
    /// # Errors
    /// When the file cannot be read, is not TOML, or has an unknown key or a bad value.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration {}", path.display()))?;
        Self::from_toml(&text).with_context(|| {
            format!(
                "bad configuration in {}; compare it with the output of `rexian init --print`",
                path.display()
            )
        })
    }

    /// Parses configuration text over the defaults.
    ///
    /// # Errors
    /// When the text is not TOML or has an unknown key or a bad value.
    pub fn from_toml(text: &str) -> Result<Config> {
        let mut base: toml::Table = toml::from_str(DEFAULT_TOML)?;
        let user: toml::Table = toml::from_str(text)?;
        merge(&mut base, user);
        let config: Config = toml::Value::Table(base).try_into()?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        let c = self.model.min_confidence;
        if !(c > 0.0 && c <= 1.0) {
            bail!(
                "[model] min_confidence = {c}: write a probability above 0 and at most 1, e.g. 0.9"
            );
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            bail!(
                "time_zone = {:?} is not an IANA time zone name (for example \"Asia/Shanghai\")",
                self.time_zone
            );
        }
        if self.pilot.start > self.pilot.end {
            bail!(
                "[pilot] start {} is after end {}",
                self.pilot.start,
                self.pilot.end
            );
        }
        if self.pilot.baseline_start > self.pilot.baseline_end {
            bail!(
                "[pilot] baseline_start {} is after baseline_end {}",
                self.pilot.baseline_start,
                self.pilot.baseline_end
            );
        }
        let limit = self.warehouse.memory_limit.trim();
        let digits = limit.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ');
        let unit = limit[digits.len()..].trim().to_ascii_uppercase();
        if digits.parse::<f64>().is_err()
            || !["KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB"].contains(&unit.as_str())
        {
            bail!(
                "[warehouse] memory_limit = {:?}; write a size such as \"1GB\" or \"512MB\"",
                self.warehouse.memory_limit
            );
        }
        if !["auto", "utf-8", "gb18030"].contains(&self.ingest.encoding.as_str()) {
            bail!(
                "[ingest] encoding = {:?}; use \"auto\", \"utf-8\" or \"gb18030\"",
                self.ingest.encoding
            );
        }
        if !(1..=24).contains(&self.report.ranking_months) {
            bail!(
                "[report] ranking_months = {}; write the months a monthly report ranks \
                 departments on, 1 (the month alone) to 24",
                self.report.ranking_months
            );
        }
        self.casework.auto_open_from()?;
        self.validate_schedule()?;
        self.validate_rules()
    }

    fn validate_schedule(&self) -> Result<()> {
        let s = &self.schedule;
        for job in crate::schedule::Job::ALL {
            if let Some(expr) = job.cron(self) {
                crate::schedule::parse_cron(expr)
                    .with_context(|| format!("[schedule] {} = {expr:?}", job.name()))?;
            }
        }
        if !s.since.trim().is_empty() && s.since.parse::<YearMonth>().is_err() {
            bail!(
                "[schedule] since = {:?}; write a month such as \"2023-11\", or \"\" for the pilot's start",
                s.since
            );
        }
        if s.max_attempts == 0 {
            bail!("[schedule] max_attempts must be at least 1");
        }
        Ok(())
    }

    /// The first month the scheduler issues reports for.
    pub fn schedule_since(&self) -> YearMonth {
        self.schedule.since.parse().unwrap_or(self.pilot.start)
    }

    fn validate_rules(&self) -> Result<()> {
        const SCORABLE: [&str; 10] = [
            "sign_rate",
            "return_rate",
            "on_time_rate",
            "overdue_rate",
            "handling_days_mean",
            "extension_rate",
            "resolution_rate",
            "reopen_rate",
            "repeat_rate",
            "satisfaction_rate",
        ];
        for (code, c) in &self.scoring.curves {
            if !SCORABLE.contains(&code.as_str()) {
                bail!(
                    "[scoring.curves.{code}]: no such indicator; the scored indicators are {}",
                    SCORABLE.join(", ")
                );
            }
            if !self.scoring.groups.contains_key(&c.group) {
                bail!(
                    "[scoring.curves.{code}] group = {:?} is not one of [scoring.groups]: {}",
                    c.group,
                    self.scoring
                        .groups
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if c.floor == c.target || !c.floor.is_finite() || !c.target.is_finite() {
                bail!("[scoring.curves.{code}]: floor and target must be different numbers");
            }
            if c.weight < 0.0 {
                bail!("[scoring.curves.{code}]: weight must not be negative");
            }
        }
        if self.scoring.groups.values().any(|w| *w < 0.0) {
            bail!("[scoring.groups]: weights must not be negative");
        }
        if self
            .grading
            .major_keywords
            .iter()
            .any(|k| k.trim().is_empty())
        {
            bail!("[grading] major_keywords has an empty word; remove it");
        }
        for (key, words) in [
            ("major_negations", &self.grading.major_negations),
            ("major_exceptions", &self.grading.major_exceptions),
            ("major_retractions", &self.grading.major_retractions),
        ] {
            if words.iter().any(|k| k.trim().is_empty()) {
                bail!("[grading] {key} has an empty word; remove it");
            }
        }
        for key in [
            "重大",
            "需协调争议解决",
            "普遍性执法问题",
            "general_reminder",
            "general_routine",
            "recurrence",
        ] {
            if !self.grading.actions.contains_key(key) {
                bail!("[grading.actions] needs a suggested action for {key:?}");
            }
        }
        Ok(())
    }

    /// A short fingerprint of every rule that changes a figure (indicators, scoring,
    /// grading, analysis), stored with each result so a figure can be traced to its rules.
    pub fn rules_version(&self) -> String {
        use sha2::{Digest, Sha256};
        let rules = serde_json::json!({
            "indicators": self.indicators,
            "scoring": self.scoring,
            "grading": self.grading,
            "analysis": self.analysis,
            "pilot": self.pilot,
        });
        let digest = Sha256::digest(rules.to_string().as_bytes());
        format!(
            "r{}-{}",
            env!("CARGO_PKG_VERSION"),
            &hex::encode(digest)[..10]
        )
    }

    /// The configured time zone.
    pub fn tz(&self) -> chrono_tz::Tz {
        // Checked in `validate`.
        self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }
}

/// Overlays `user` on `base`, table by table, so a partial file keeps the other defaults.
fn merge(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// An opened workspace: its folder and its settings.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace folder (absolute).
    pub root: PathBuf,
    /// Its settings.
    pub config: Config,
}

impl Workspace {
    /// Opens the workspace in `dir`, which must hold a `rexian.toml`.
    ///
    /// # Errors
    /// When the folder has no `rexian.toml` or the file is invalid.
    pub fn open(dir: &Path) -> Result<Workspace> {
        let root = crate::fsutil::absolute(dir)?;
        let file = root.join(CONFIG_FILE);
        if !file.is_file() {
            bail!(
                "{} is not a rexian workspace (searched for {}).\n\
                 Create one with `rexian init {}` or point to one with --workspace DIR \
                 (or the REXIAN_WORKSPACE variable).",
                root.display(),
                file.display(),
                dir.display()
            );
        }
        let config = Config::from_file(&file)?;
        tracing::debug!(config = %file.display(), "loaded workspace configuration");
        Ok(Workspace { root, config })
    }

    /// Creates a workspace in `dir`: `rexian.toml`, the masking key and the working folders.
    /// An existing `rexian.toml` or key is kept, never overwritten.
    ///
    /// # Errors
    /// When the folder cannot be created or written.
    pub fn init(dir: &Path) -> Result<Workspace> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the workspace folder {}", dir.display()))?;
        let root = crate::fsutil::absolute(dir)?;
        let file = root.join(CONFIG_FILE);
        if !file.exists() {
            crate::fsutil::write_atomic(&file, DEFAULT_TOML.as_bytes())?;
        }
        let ws = Workspace::open(&root)?;
        let key = ws.path(&ws.config.masking.key_file);
        if !key.exists() {
            crate::mask::MaskKey::create_file(&key)?;
        }
        ws.create_folders()?;
        let ignore = root.join(".gitignore");
        if !ignore.exists() {
            crate::fsutil::write_atomic(
                &ignore,
                b"# The masking key must never be committed.\nsecret.key\nwarehouse/\nlake/\nloads/\n",
            )?;
        }
        Ok(ws)
    }

    /// Creates the workspace's folders that are missing (inbox, archive, rejected, loads,
    /// reports, lake, the warehouse's).
    ///
    /// # Errors
    /// When a folder cannot be created.
    pub fn create_folders(&self) -> Result<()> {
        for p in [
            &self.config.paths.inbox,
            &self.config.paths.archive,
            &self.config.paths.rejected,
            &self.config.paths.loads,
            &self.config.paths.reports,
            &self.config.paths.lake,
        ] {
            let p = self.path(p);
            std::fs::create_dir_all(&p)
                .with_context(|| format!("cannot create {}", p.display()))?;
        }
        if let Some(parent) = self.warehouse_path().parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        Ok(())
    }

    /// The folders rexian writes into, by name, for saying which one is on a full disk.
    pub fn written_folders(&self) -> Vec<(&'static str, PathBuf)> {
        let warehouse = self.warehouse_path();
        vec![
            (
                "warehouse",
                warehouse
                    .parent()
                    .map_or(self.root.clone(), Path::to_path_buf),
            ),
            ("lake", self.lake_path()),
            ("loads", self.loads_path()),
            ("reports", self.path(&self.config.paths.reports)),
            ("archive", self.path(&self.config.paths.archive)),
        ]
    }

    /// Resolves a configured path against the workspace folder.
    pub fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }

    /// The warehouse file.
    pub fn warehouse_path(&self) -> PathBuf {
        self.path(&self.config.paths.warehouse)
    }

    /// The lake root.
    pub fn lake_path(&self) -> PathBuf {
        self.path(&self.config.paths.lake)
    }

    /// The folder of per-load records.
    pub fn loads_path(&self) -> PathBuf {
        self.path(&self.config.paths.loads)
    }

    /// The reference folder, or `None` for the built-in reference data.
    pub fn reference_dir(&self) -> Option<PathBuf> {
        let p = &self.config.paths.reference;
        if p.as_os_str().is_empty() {
            None
        } else {
            Some(self.path(p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_parse_and_validate() {
        let c = Config::from_toml("").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.time_zone, "Asia/Shanghai");
        assert_eq!(c.pilot.units.len(), 6);
        assert_eq!(c.pilot.start.to_string(), "2023-11");
    }

    #[test]
    fn partial_file_keeps_other_defaults() {
        let c = Config::from_toml("[paths]\nlake = \"/data/lake\"\n").unwrap();
        assert_eq!(c.paths.lake, PathBuf::from("/data/lake"));
        assert_eq!(c.paths.inbox, PathBuf::from("inbox"));
    }

    #[test]
    fn bad_rules_are_refused_with_what_to_write() {
        let e = Config::from_toml(
            "[scoring.curves.happiness]\ngroup = \"响应\"\nfloor = 0\ntarget = 1\nweight = 1\n",
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("satisfaction_rate"), "{e:#}");
        let e = Config::from_toml("[scoring.curves.sign_rate]\ngroup = \"速度\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("群众满意"), "{e:#}");
        let e = Config::from_toml("[scoring.curves.sign_rate]\nfloor = 1.0\n").unwrap_err();
        assert!(format!("{e:#}").contains("different numbers"), "{e:#}");
        let e = Config::from_toml("[grading]\nmajor_keywords = [\"打人\", \" \"]\n").unwrap_err();
        assert!(format!("{e:#}").contains("empty word"), "{e:#}");
        // The rules version follows the rules.
        let a = Config::default().rules_version();
        let b = Config::from_toml("[scoring]\nmin_callbacks = 5\n")
            .unwrap()
            .rules_version();
        assert_ne!(a, b);
        assert_eq!(a, Config::default().rules_version());
    }

    #[test]
    fn unknown_key_and_bad_zone_are_refused() {
        assert!(Config::from_toml("[paths]\nlakes = \"x\"\n").is_err());
        assert!(Config::from_toml("[warehouse]\nmemory_limit = \"lots\"\n").is_err());
        let e = Config::from_toml("time_zone = \"Mars/Olympus\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("IANA"), "{e:#}");
        let e = Config::from_toml("[report]\nranking_months = 0\n").unwrap_err();
        assert!(
            format!("{e:#}").contains("1 (the month alone) to 24"),
            "{e:#}"
        );
        assert_eq!(
            Config::from_toml("[report]\nranking_months = 3\n")
                .unwrap()
                .report
                .ranking_months,
            3
        );
    }
}
