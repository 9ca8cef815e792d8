//! The time the scheduler believes it is.
//!
//! Normally the system's. `REXIAN_NOW` (e.g. `2024-06-03 07:00:00`, read in the workspace's
//! time zone) shifts it for a rehearsal or a test: the clock starts at that moment and runs at
//! the normal pace, so "a month of downtime" can be played in seconds.

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The variable that shifts the scheduler's clock.
pub const NOW_VAR: &str = "REXIAN_NOW";

/// The scheduler's clock: the system's time plus a fixed shift.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    shift: TimeDelta,
    tz: Tz,
}

impl Clock {
    /// The system clock, in the time zone `tz`.
    pub fn system(tz: Tz) -> Clock {
        Clock {
            shift: TimeDelta::zero(),
            tz,
        }
    }

    /// The system clock, or the moment `REXIAN_NOW` names when it is set.
    ///
    /// # Errors
    /// When `REXIAN_NOW` is not a time such as `2024-06-03 07:00:00`.
    pub fn from_env(tz: Tz) -> Result<Clock> {
        match std::env::var(NOW_VAR) {
            Ok(text) if !text.trim().is_empty() => Clock::starting_at(tz, &text),
            _ => Ok(Clock::system(tz)),
        }
    }

    /// A clock that reads `text` (local time in `tz`) now and runs on from there.
    ///
    /// # Errors
    /// When `text` is not `YYYY-MM-DD HH:MM[:SS]` or does not exist in `tz`.
    pub fn starting_at(tz: Tz, text: &str) -> Result<Clock> {
        let t = text.trim();
        let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
            .with_context(|| {
                format!("{NOW_VAR}={t:?}: write a time such as 2024-06-03 07:00:00")
            })?;
        let start = tz
            .from_local_datetime(&naive)
            .earliest()
            .with_context(|| format!("{NOW_VAR}={t:?} does not exist in {tz}"))?;
        Ok(Clock {
            shift: start.with_timezone(&Utc) - Utc::now(),
            tz,
        })
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.shift
    }

    /// Now, in the configured time zone.
    pub fn local_now(&self) -> DateTime<Tz> {
        self.now().with_timezone(&self.tz)
    }

    /// The configured time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Whether the clock is shifted (a rehearsal), for the log.
    pub fn is_shifted(&self) -> bool {
        self.shift.num_seconds().abs() > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_reads_the_given_local_time() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let c = Clock::starting_at(tz, "2024-06-03 07:00:00").unwrap();
        let now = c.local_now().naive_local();
        let want =
            NaiveDateTime::parse_from_str("2024-06-03 07:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert!((now - want).num_seconds().abs() <= 1, "{now}");
        // 07:00 in Shanghai is 23:00 UTC the day before.
        assert_eq!(c.now().format("%Y-%m-%d %H").to_string(), "2024-06-02 23");
        assert!(Clock::starting_at(tz, "June 3rd").is_err());
    }
}
