//! The jobs of the scheduler, their cron expressions and the periods they work through.

use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds};
use croner::Cron;

use crate::config::Config;
use crate::period::YearMonth;

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
}

impl Job {
    /// Every job, in the order the daemon runs what is due at the same moment.
    pub const ALL: [Job; 6] = [
        Job::Inbox,
        Job::Refresh,
        Job::Monthly,
        Job::Quarterly,
        Job::PilotSummary,
        Job::PushList,
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
        };
        let expr = expr.trim();
        (!expr.is_empty()).then_some(expr)
    }

    /// Whether the job works through calendar periods (reports, push lists).
    pub fn is_periodic(self) -> bool {
        matches!(
            self,
            Job::Monthly | Job::Quarterly | Job::PilotSummary | Job::PushList
        )
    }

    /// Checks that `key` is a period of this job's kind (2024-03 for monthly and push_list,
    /// 2024Q1 for quarterly, PY2023-24 for pilot_summary), so that a typo is refused before
    /// anything is recorded.
    ///
    /// # Errors
    /// When it is not, saying what to write.
    pub fn check_period(self, key: &str) -> Result<()> {
        let ok = match self {
            Job::Monthly | Job::PushList => key.parse::<YearMonth>().is_ok(),
            Job::Quarterly => {
                let b = key.as_bytes();
                b.len() == 6
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && b[4] == b'Q'
                    && (b'1'..=b'4').contains(&b[5])
            }
            Job::PilotSummary => key.starts_with("PY"),
            Job::Inbox | Job::Refresh => true,
        };
        if !ok {
            let example = match self {
                Job::Monthly | Job::PushList => "a month such as 2024-03",
                Job::Quarterly => "a quarter such as 2024Q1",
                _ => "pilot, or a pilot year such as PY2023-24",
            };
            bail!("{key:?} is not a period of the {self} job: write {example}");
        }
        Ok(())
    }

    /// The periods of a periodic job from the configured first month up to `today`, each
    /// with the first day after it (when it has ended), oldest first.
    pub fn periods(self, config: &Config, today: NaiveDate) -> Vec<Period> {
        let since = config.schedule_since();
        let now = YearMonth::of(today);
        let mut out = Vec::new();
        match self {
            Job::Monthly | Job::PushList => {
                for m in since.through(now) {
                    out.push(Period {
                        key: m.to_string(),
                        first_day: m.first_day(),
                        end: m.next().first_day(),
                    });
                }
            }
            Job::Quarterly => {
                let mut q =
                    YearMonth::new(since.year, (since.month - 1) / 3 * 3 + 1).unwrap_or(since);
                while q <= now {
                    out.push(Period {
                        key: format!("{}Q{}", q.year, (q.month - 1) / 3 + 1),
                        first_day: q.first_day(),
                        end: q.plus(3).first_day(),
                    });
                    q = q.plus(3);
                }
            }
            Job::PilotSummary => {
                let p = &config.pilot;
                out.push(Period {
                    key: format!("PY{}-{:02}", p.end.year - 1, p.end.year % 100),
                    first_day: p.start.first_day(),
                    end: p.end.next().first_day(),
                });
            }
            Job::Inbox | Job::Refresh => {}
        }
        out
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

/// A period a job issues something for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Its key: 2024-03, 2024Q1, PY2023-24.
    pub key: String,
    /// Its first day.
    pub first_day: NaiveDate,
    /// The first day after it.
    pub end: NaiveDate,
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
                .map(|p| p.key)
                .collect()
        };
        assert_eq!(
            keys(Job::Monthly),
            ["2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
        );
        assert_eq!(keys(Job::Quarterly), ["2024Q1", "2024Q2", "2024Q3"]);
        assert_eq!(keys(Job::PilotSummary), ["PY2023-24"]);
        assert_eq!("pilot-summary".parse::<Job>().unwrap(), Job::PilotSummary);
        assert!(Job::Monthly.check_period("2024-03").is_ok());
        let e = Job::Monthly.check_period("2024Q1").unwrap_err().to_string();
        assert!(e.contains("a month such as 2024-03"), "{e}");
        assert!(Job::Quarterly.check_period("2024Q4").is_ok());
        assert!(Job::Quarterly.check_period("2024Q5").is_err());
        assert!(Job::PilotSummary.check_period("2024").is_err());
        assert!("weekly".parse::<Job>().is_err());
    }
}
