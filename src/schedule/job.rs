//! The jobs of the scheduler, their cron expressions and the periods they work through.

use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds};
use croner::Cron;

use crate::config::Config;
use crate::period::{PeriodKey, PeriodKind, YearMonth};

/// One kind of scheduled work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// Load new extracts from the inbox; archive or reject each file.
    Inbox,
    /// Rebuild the models and run the checks after a load.
    Refresh,
    /// The monthly report (city-wide).
    Monthly,
    /// The quarterly reports (city-wide and one per pilot unit).
    Quarterly,
    /// The pilot summary (试点工作总结), once the pilot period has ended.
    PilotSummary,
    /// The month's 推送清单 (XLSX and Parquet).
    PushList,
    /// The day's 督办提醒: open cases near or past their deadline, pushed items without
    /// feedback (only with a [casework] staff list).
    Casework,
}

impl Job {
    /// Every job, in the order the daemon runs what is due at the same moment.
    pub const ALL: [Job; 7] = [
        Job::Inbox,
        Job::Refresh,
        Job::Monthly,
        Job::Quarterly,
        Job::PilotSummary,
        Job::PushList,
        Job::Casework,
    ];

    /// The name used in `rexian.toml`, the run ledger and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Job::Inbox => "inbox",
            Job::Refresh => "refresh",
            Job::Monthly => "monthly",
            Job::Quarterly => "quarterly",
            Job::PilotSummary => "pilot_summary",
            Job::PushList => "push_list",
            Job::Casework => "casework",
        }
    }

    /// The job's cron expression, or `None` when it has none (refresh follows loads) or is
    /// switched off.
    pub fn cron(self, config: &Config) -> Option<&str> {
        let s = &config.schedule;
        let expr = match self {
            Job::Inbox => &s.inbox,
            Job::Refresh => return None,
            Job::Monthly => &s.monthly,
            Job::Quarterly => &s.quarterly,
            Job::PilotSummary => &s.pilot_summary,
            Job::PushList => &s.push_list,
            Job::Casework => &s.casework,
        };
        let expr = expr.trim();
        (!expr.is_empty()).then_some(expr)
    }

    /// The kind of period the job works through (reports, push lists), if any.
    pub fn period_kind(self) -> Option<PeriodKind> {
        match self {
            Job::Monthly | Job::PushList => Some(PeriodKind::Month),
            Job::Quarterly => Some(PeriodKind::Quarter),
            Job::PilotSummary => Some(PeriodKind::PilotYear),
            Job::Inbox | Job::Refresh | Job::Casework => None,
        }
    }

    /// Whether the job works through calendar periods (reports, push lists).
    pub fn is_periodic(self) -> bool {
        self.period_kind().is_some()
    }

    /// Reads a period of this job's kind (2024-03 for monthly and push_list, 2024Q1 for
    /// quarterly, `pilot` or PY2023-24 for pilot_summary), so that a typo is refused before
    /// anything is recorded.
    ///
    /// # Errors
    /// When it is not one, saying what to write.
    pub fn parse_period(self, text: &str, config: &Config) -> Result<PeriodKey> {
        let Some(kind) = self.period_kind() else {
            bail!("the {self} job does not work through periods");
        };
        match PeriodKey::parse_user(text, config) {
            Ok(key) if key.kind() == kind => Ok(key),
            _ => bail!(
                "{text:?} is not a period of the {self} job: write {}",
                kind.example()
            ),
        }
    }

    /// The periods of a periodic job from the configured first month up to `today`, oldest
    /// first (the last may not have ended yet).
    pub fn periods(self, config: &Config, today: NaiveDate) -> Vec<PeriodKey> {
        let since = config.schedule_since();
        let now = YearMonth::of(today);
        match self.period_kind() {
            Some(PeriodKind::Month) => since.through(now).map(PeriodKey::Month).collect(),
            Some(PeriodKind::Quarter) => {
                let mut out: Vec<PeriodKey> =
                    since.through(now).map(PeriodKey::quarter_of).collect();
                out.dedup();
                out
            }
            Some(_) => vec![PeriodKey::pilot(config)],
            None => Vec::new(),
        }
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Job {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Job> {
        let wanted = s.trim().replace('-', "_");
        Job::ALL
            .into_iter()
            .find(|j| j.name() == wanted)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no job called {s:?}; the jobs are {}",
                    Job::ALL.map(Job::name).join(", ")
                )
            })
    }
}

/// Parses a cron expression the way `tokio-cron-scheduler` does (six fields, seconds first),
/// so that the daemon's own reckoning of what is due agrees with its wake-ups.
///
/// # Errors
/// When the expression is not a valid six-field cron expression.
pub fn parse_cron(expr: &str) -> Result<Cron> {
    let fields = expr.split_whitespace().count();
    if fields != 6 {
        bail!(
            "a cron expression here has six fields: second minute hour day-of-month month \
             day-of-week, e.g. \"0 0 6 2 * *\" for 06:00 on the 2nd; this one has {fields}"
        );
    }
    CronParser::builder()
        .seconds(Seconds::Required)
        .dom_and_dow(true)
        .build()
        .parse(expr)
        .map_err(|e| anyhow::anyhow!("not a valid cron expression: {e}"))
}

/// The first moment at or after `after` that the cron expression names, read in `tz`.
pub fn next_fire(cron: &Cron, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // croner keeps the fraction of a second it starts from; fires are on whole seconds.
    let whole = after.with_nanosecond(0)?;
    let after = if whole < after {
        whole + chrono::TimeDelta::seconds(1)
    } else {
        whole
    };
    cron.find_next_occurrence(&after.with_timezone(&tz), true)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// When a period's work falls due: the job's first wake-up at or after the period's end
/// (midnight in `tz` of the day after it).
pub fn due_at(cron: &Cron, tz: Tz, end: NaiveDate) -> Option<DateTime<Utc>> {
    let midnight = tz
        .from_local_datetime(&end.and_hms_opt(0, 0, 0)?)
        .earliest()?
        .with_timezone(&Utc);
    next_fire(cron, tz, midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> Tz {
        "Asia/Shanghai".parse().unwrap()
    }

    #[test]
    fn six_oclock_means_six_oclock_in_shanghai() {
        let cron = parse_cron("0 0 6 2 * *").unwrap();
        let due = due_at(
            &cron,
            shanghai(),
            NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        )
        .unwrap();
        // 06:00 on 2 April in Shanghai is 22:00 UTC on 1 April.
        assert_eq!(due.to_rfc3339(), "2024-04-01T22:00:00+00:00");
        // Over a whole day of a daily 06:00 job, exactly one fire, at 06:00 Shanghai.
        let daily = parse_cron("0 0 6 * * *").unwrap();
        let start = Utc.with_ymd_and_hms(2024, 6, 1, 16, 0, 0).unwrap(); // 00:00 Shanghai
        let mut fires = Vec::new();
        let mut t = start;
        while let Some(f) = next_fire(&daily, shanghai(), t) {
            if f >= start + chrono::TimeDelta::days(1) {
                break;
            }
            fires.push(f.with_timezone(&shanghai()).format("%F %T").to_string());
            t = f + chrono::TimeDelta::seconds(1);
        }
        assert_eq!(fires, ["2024-06-02 06:00:00"]);
    }

    #[test]
    fn cron_expressions_are_checked() {
        assert!(parse_cron("0 6 2 * *")
            .unwrap_err()
            .to_string()
            .contains("six fields"));
        assert!(parse_cron("0 0 25 2 * *").is_err());
        assert!(parse_cron("*/2 * * * * *").is_ok());
    }

    #[test]
    fn periods_run_from_the_first_month() {
        let mut config = Config::default();
        config.schedule.since = "2024-02".into();
        let today = NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
        let keys = |j: Job| -> Vec<String> {
            j.periods(&config, today)
                .into_iter()
                .map(|p| p.to_string())
                .collect()
        };
        assert_eq!(
            keys(Job::Monthly),
            ["2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
        );
        assert_eq!(keys(Job::Quarterly), ["2024Q1", "2024Q2", "2024Q3"]);
        assert_eq!(keys(Job::PilotSummary), ["PY2023-24"]);
        assert_eq!("pilot-summary".parse::<Job>().unwrap(), Job::PilotSummary);
        assert!(Job::Monthly.parse_period("2024-03", &config).is_ok());
        let e = Job::Monthly
            .parse_period("2024Q1", &config)
            .unwrap_err()
            .to_string();
        assert!(e.contains("a month such as 2024-03"), "{e}");
        assert!(Job::Quarterly.parse_period("2024q4", &config).is_ok());
        assert!(Job::Quarterly.parse_period("2024Q5", &config).is_err());
        assert!(Job::PilotSummary.parse_period("2024", &config).is_err());
        let pilot = Job::PilotSummary.parse_period("pilot", &config).unwrap();
        assert_eq!(pilot.to_string(), "PY2023-24");
        assert!("weekly".parse::<Job>().is_err());
    }
}
