//! What is due: worked out afresh from the run ledger, the calendar and the loaded data, never
//! from memory of past wake-ups, so downtime of any length is caught up exactly once.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::job::{self, Job};
use super::ledger::{Run, Status, Trigger};
use crate::config::Config;

/// What the scheduler knows of the data (from `sql/schedule/facts.sql`).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The newest load's id (0 before the first).
    pub latest_load: i64,
    /// The day of the newest extract (its `as_of`).
    pub newest_as_of: Option<NaiveDate>,
    /// Whether a load finished after the last model build.
    pub needs_refresh: bool,
    /// The first day with appeals.
    pub first_day: Option<NaiveDate>,
}

/// Where one (job, period) stands.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// To run now.
    Due(Trigger),
    /// Failed; tried again at this moment.
    Retrying {
        /// When.
        at: DateTime<Utc>,
        /// Failed attempts so far.
        failures: u32,
    },
    /// Failed `max_attempts` times; stays failed until `rexian run` succeeds.
    GaveUp {
        /// Failed attempts.
        failures: u32,
    },
    /// Its time has come, but something it needs has not (data, a refresh).
    Waiting(String),
    /// Not due before this moment.
    Later(DateTime<Utc>),
    /// Done by this run.
    Done(i64),
}

/// One (job, period) and where it stands.
#[derive(Debug, Clone)]
pub struct Item {
    /// The job.
    pub job: Job,
    /// The period (2024-03, 2024Q1, PY2023-24, load N).
    pub period: String,
    /// When it fell or falls due.
    pub due_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub state: State,
    /// The last failure's message.
    pub last_error: Option<String>,
}

/// Every (job, period) the scheduler knows of at one moment.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The items, in the order due work runs: refresh first, then by due time.
    pub items: Vec<Item>,
    /// The facts of the data it was made from.
    pub facts: Facts,
}

impl Plan {
    /// Works out the plan at `now`.
    pub fn make(config: &Config, facts: &Facts, runs: &[Run], now: DateTime<Utc>) -> Plan {
        let tz = config.tz();
        let today = now.with_timezone(&tz).date_naive();
        let mut items = Vec::new();
        let refresh_open = facts.needs_refresh;
        if facts.needs_refresh {
            let period = format!("load {}", facts.latest_load);
            let (state, last_error) = attempts(config, runs, Job::Refresh, &period, now);
            items.push(Item {
                job: Job::Refresh,
                period,
                due_at: None,
                state,
                last_error,
            });
        }
        for j in Job::ALL.into_iter().filter(|j| j.is_periodic()) {
            let Some(cron) = j.cron(config).and_then(|c| job::parse_cron(c).ok()) else {
                continue;
            };
            for period in j.periods(config, today) {
                let (key, end) = (period.to_string(), period.end());
                let due_at = job::due_at(&cron, tz, end);
                if let Some(done) = runs
                    .iter()
                    .find(|r| r.job == j.name() && r.period == key && r.status == Status::Succeeded)
                {
                    items.push(Item {
                        job: j,
                        period: key.clone(),
                        due_at,
                        state: State::Done(done.run_id),
                        last_error: None,
                    });
                    continue;
                }
                let Some(at) = due_at else { continue };
                if at > now {
                    items.push(Item {
                        job: j,
                        period: key.clone(),
                        due_at,
                        state: State::Later(at),
                        last_error: None,
                    });
                    continue;
                }
                // A period that ended before the first appeal has nothing to report.
                if facts.first_day.is_none_or(|d| end <= d) {
                    continue;
                }
                let last_day = end.pred_opt().unwrap_or(end);
                let (state, last_error) = if refresh_open {
                    (
                        State::Waiting("the figures are being rebuilt after a load".into()),
                        None,
                    )
                } else if facts.newest_as_of.is_none_or(|d| d < last_day) {
                    (
                        State::Waiting(format!(
                            "waiting for data through {last_day}: the newest extract is of {}",
                            facts
                                .newest_as_of
                                .map_or_else(|| "—".to_string(), |d| d.to_string())
                        )),
                        None,
                    )
                } else {
                    attempts(config, runs, j, &key, now)
                };
                items.push(Item {
                    job: j,
                    period: key.clone(),
                    due_at,
                    state,
                    last_error,
                });
            }
        }
        if let Some(item) = todays_reminder(config, runs, now, refresh_open) {
            items.push(item);
        }
        // Refresh first (everything else reads its models), then the oldest due first.
        items.sort_by_key(|i| (i.job != Job::Refresh, i.due_at, i.job));
        Plan {
            items,
            facts: facts.clone(),
        }
    }

    /// The first item to run now.
    pub fn next_due(&self) -> Option<&Item> {
        self.items.iter().find(|i| matches!(i.state, State::Due(_)))
    }

    /// The earliest future moment at which an item changes by itself (a retry, a due time).
    pub fn next_change(&self) -> Option<DateTime<Utc>> {
        self.items
            .iter()
            .filter_map(|i| match i.state {
                State::Retrying { at, .. } | State::Later(at) => Some(at),
                _ => None,
            })
            .min()
    }
}

/// The casework job's item: today's 督办提醒, due at the job's first wake-up of the day. Only
/// today's: a reminder of a day gone by is of no use, so downtime is not caught up day by day.
/// None when the job is off or the office has no staff list (no casework).
fn todays_reminder(
    config: &Config,
    runs: &[Run],
    now: DateTime<Utc>,
    refresh_open: bool,
) -> Option<Item> {
    if config.casework.staff.is_empty() {
        return None;
    }
    let cron = Job::Casework
        .cron(config)
        .and_then(|c| job::parse_cron(c).ok())?;
    let tz = config.tz();
    let today = now.with_timezone(&tz).date_naive();
    let period = today.to_string();
    let due_at = job::due_at(&cron, tz, today);
    let done = runs.iter().find(|r| {
        r.job == Job::Casework.name() && r.period == period && r.status == Status::Succeeded
    });
    let (state, last_error) = match (done, due_at) {
        (Some(d), _) => (State::Done(d.run_id), None),
        (None, None) => return None,
        (None, Some(at)) if at > now => (State::Later(at), None),
        (None, Some(_)) if refresh_open => (
            State::Waiting("the figures are being rebuilt after a load".into()),
            None,
        ),
        (None, Some(_)) => attempts(config, runs, Job::Casework, &period, now),
    };
    Some(Item {
        job: Job::Casework,
        period,
        due_at,
        state,
        last_error,
    })
}

/// Where a due (job, period) stands given its past attempts: never tried or interrupted →
/// due; failed fewer than `max_attempts` times → retried after `retry_seconds` doubling;
/// else given up.
fn attempts(
    config: &Config,
    runs: &[Run],
    job: Job,
    period: &str,
    now: DateTime<Utc>,
) -> (State, Option<String>) {
    let mine: Vec<&Run> = runs
        .iter()
        .filter(|r| r.job == job.name() && r.period == period)
        .collect();
    let failures: Vec<&&Run> = mine.iter().filter(|r| r.status == Status::Failed).collect();
    let last_error = failures.last().and_then(|r| r.error.clone());
    let n = failures.len() as u32;
    if n == 0 {
        return (State::Due(Trigger::Schedule), None);
    }
    if n >= config.schedule.max_attempts {
        return (State::GaveUp { failures: n }, last_error);
    }
    let last = failures.last().map(|r| r.finished.unwrap_or(r.started));
    let backoff = config
        .schedule
        .retry_seconds
        .saturating_mul(1 << (n - 1).min(16));
    let at = last.unwrap_or(now) + TimeDelta::seconds(backoff.min(i64::MAX as u64) as i64);
    if at <= now {
        (State::Due(Trigger::Retry), last_error)
    } else {
        (State::Retrying { at, failures: n }, last_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn run(id: i64, job: &str, period: &str, status: Status, at: DateTime<Utc>) -> Run {
        Run {
            run_id: id,
            job: job.into(),
            period: period.into(),
            attempt: 1,
            status,
            trigger: "schedule".into(),
            started: at,
            finished: Some(at),
            outputs: vec![],
            error: (status == Status::Failed).then(|| "boom".into()),
        }
    }

    fn config() -> Config {
        let mut c = Config::default();
        c.schedule.since = "2024-01".into();
        c.schedule.quarterly = String::new();
        c.schedule.pilot_summary = String::new();
        c.schedule.push_list = String::new();
        c
    }

    fn facts(as_of: &str) -> Facts {
        Facts {
            latest_load: 5,
            newest_as_of: Some(as_of.parse().unwrap()),
            needs_refresh: false,
            first_day: Some("2023-01-01".parse().unwrap()),
        }
    }

    fn due(plan: &Plan) -> Vec<String> {
        plan.items
            .iter()
            .filter(|i| matches!(i.state, State::Due(_)))
            .map(|i| format!("{} {}", i.job, i.period))
            .collect()
    }

    #[test]
    fn downtime_is_caught_up_once_per_period_oldest_first() {
        let c = config();
        // Done through February; the daemon was down from early March to 07:00 on 3 June.
        let t = Utc.with_ymd_and_hms(2024, 3, 1, 22, 0, 0).unwrap();
        let runs = vec![
            run(1, "monthly", "2024-01", Status::Succeeded, t),
            run(2, "monthly", "2024-02", Status::Succeeded, t),
        ];
        let now = Utc.with_ymd_and_hms(2024, 6, 2, 23, 0, 0).unwrap();
        let plan = Plan::make(&c, &facts("2024-05-31"), &runs, now);
        assert_eq!(
            due(&plan),
            ["monthly 2024-03", "monthly 2024-04", "monthly 2024-05"]
        );
        // June is not due before 06:00 on 2 July, Shanghai time.
        assert_eq!(
            plan.next_change().unwrap().to_rfc3339(),
            "2024-07-01T22:00:00+00:00"
        );
        // Once they are done, nothing is due.
        let mut runs = runs;
        for (i, m) in ["2024-03", "2024-04", "2024-05"].iter().enumerate() {
            runs.push(run(3 + i as i64, "monthly", m, Status::Succeeded, now));
        }
        assert!(due(&Plan::make(&c, &facts("2024-05-31"), &runs, now)).is_empty());
    }

    #[test]
    fn a_month_waits_for_its_data_and_for_the_refresh() {
        let c = config();
        let now = Utc.with_ymd_and_hms(2024, 2, 2, 0, 0, 0).unwrap();
        let plan = Plan::make(&c, &facts("2024-01-20"), &[], now);
        assert!(due(&plan).is_empty());
        assert!(matches!(&plan.items[0].state, State::Waiting(w) if w.contains("2024-01-31")));
        let mut f = facts("2024-01-31");
        f.needs_refresh = true;
        let plan = Plan::make(&c, &f, &[], now);
        assert_eq!(due(&plan), ["refresh load 5"]);
        assert!(matches!(&plan.items[1].state, State::Waiting(_)));
    }

    #[test]
    fn failures_are_retried_with_backoff_then_given_up() {
        let mut c = config();
        c.schedule.max_attempts = 3;
        c.schedule.retry_seconds = 60;
        let t0 = Utc.with_ymd_and_hms(2024, 2, 2, 0, 0, 0).unwrap();
        let f = facts("2024-01-31");
        let mut runs = vec![run(1, "monthly", "2024-01", Status::Failed, t0)];
        let state = |runs: &[Run], now| Plan::make(&c, &f, runs, now).items[0].state.clone();
        assert!(matches!(
            state(&runs, t0 + TimeDelta::seconds(30)),
            State::Retrying { failures: 1, .. }
        ));
        assert_eq!(
            state(&runs, t0 + TimeDelta::seconds(60)),
            State::Due(Trigger::Retry)
        );
        let t1 = t0 + TimeDelta::seconds(60);
        runs.push(run(2, "monthly", "2024-01", Status::Failed, t1));
        // The second wait is twice the first.
        assert!(matches!(
            state(&runs, t1 + TimeDelta::seconds(100)),
            State::Retrying { .. }
        ));
        assert_eq!(
            state(&runs, t1 + TimeDelta::seconds(120)),
            State::Due(Trigger::Retry)
        );
        runs.push(run(
            3,
            "monthly",
            "2024-01",
            Status::Failed,
            t1 + TimeDelta::seconds(120),
        ));
        assert_eq!(
            state(&runs, t1 + TimeDelta::days(30)),
            State::GaveUp { failures: 3 }
        );
        // An interrupted attempt is not a failure: due again at once.
        let runs = vec![run(1, "monthly", "2024-01", Status::Interrupted, t0)];
        assert_eq!(state(&runs, t0), State::Due(Trigger::Schedule));
    }
}
