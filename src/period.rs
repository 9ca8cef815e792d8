//! Periods: calendar months (`2024-03`, the unit extracts and partitions are cut by) and the
//! reporting periods built from them (`2024Q1`, `PY2023-24`, `2024`, `2023-04..2024-03`). Every
//! period key is parsed and written here and nowhere else; `dim_period` holds the same keys
//! (a test checks each of its rows against [`PeriodKey`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::types::{ToSqlOutput, Value};
use duckdb::{Connection, OptionalExt, ToSql};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::Config;

/// A calendar month such as 2024-03.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// The year, e.g. 2024.
    pub year: i32,
    /// The month, 1..=12.
    pub month: u32,
}

impl YearMonth {
    /// Builds a month, or `None` when `month` is not 1..=12.
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("date in range")
    }

    /// The following month.
    pub fn next(self) -> YearMonth {
        self.plus(1)
    }

    /// The month `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> YearMonth {
        let idx = self.year * 12 + (self.month as i32 - 1) + n;
        YearMonth {
            year: idx.div_euclid(12),
            month: (idx.rem_euclid(12) + 1) as u32,
        }
    }

    /// Months from `self` to `other` (positive when `other` is later).
    pub fn months_until(self, other: YearMonth) -> i32 {
        (other.year * 12 + other.month as i32) - (self.year * 12 + self.month as i32)
    }

    /// Every month from `self` to `last`, inclusive.
    pub fn through(self, last: YearMonth) -> impl Iterator<Item = YearMonth> {
        let n = self.months_until(last);
        (0..=n.max(-1)).map(move |i| self.plus(i))
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a month; write it as YYYY-MM, for example 2024-03");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a period spans: the values of `dim_period.period_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// A calendar month (2024-03).
    Month,
    /// A calendar quarter (2024Q1).
    Quarter,
    /// A pilot year, November to October (PY2023-24).
    PilotYear,
    /// A calendar year (2024).
    Year,
    /// Several months ending with one, the monthly report's ranking window (2023-04..2024-03).
    Rolling,
}

impl PeriodKind {
    /// Every kind, in dim_period's order of length.
    pub const ALL: [PeriodKind; 5] = [
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::PilotYear,
        PeriodKind::Year,
        PeriodKind::Rolling,
    ];

    /// Its name in dim_period.period_kind.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::PilotYear => "pilot_year",
            PeriodKind::Year => "year",
            PeriodKind::Rolling => "rolling",
        }
    }

    /// How a user writes one, for messages.
    pub fn example(self) -> &'static str {
        match self {
            PeriodKind::Month => "a month such as 2024-03",
            PeriodKind::Quarter => "a quarter such as 2024Q1",
            PeriodKind::PilotYear => "pilot, or a pilot year such as PY2023-24",
            PeriodKind::Year => "a year such as 2024",
            PeriodKind::Rolling => "a run of months such as 2023-04..2024-03",
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A period's key, parsed: the one way rexian names a period in SQL, files and the run ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKey {
    /// 2024-03.
    Month(YearMonth),
    /// 2024Q1 (quarter 1..=4).
    Quarter {
        /// The year.
        year: i32,
        /// The quarter, 1..=4.
        quarter: u32,
    },
    /// PY2023-24: 2023-11 to 2024-10, named by the year it ends in.
    PilotYear {
        /// The year of its last month (October).
        end_year: i32,
    },
    /// 2024.
    Year(i32),
    /// 2023-04..2024-03: the months from `first` to `last`.
    Rolling {
        /// Its first month.
        first: YearMonth,
        /// Its last month.
        last: YearMonth,
    },
}

impl PeriodKey {
    /// The quarter a month falls in.
    pub fn quarter_of(m: YearMonth) -> PeriodKey {
        PeriodKey::Quarter {
            year: m.year,
            quarter: (m.month - 1) / 3 + 1,
        }
    }

    /// The pilot year of rexian.toml's [pilot]: the one its last month ends.
    pub fn pilot(config: &Config) -> PeriodKey {
        PeriodKey::PilotYear {
            end_year: config.pilot.end.year,
        }
    }

    /// Reads a period as a user writes it: a key (`2024q1` and `py2023-24` too) or `pilot`.
    ///
    /// # Errors
    /// When the text is not a period, saying how to write one.
    pub fn parse_user(text: &str, config: &Config) -> Result<PeriodKey> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("pilot") {
            return Ok(PeriodKey::pilot(config));
        }
        t.parse().map_err(anyhow::Error::msg)
    }

    /// Its kind.
    pub fn kind(self) -> PeriodKind {
        match self {
            PeriodKey::Month(_) => PeriodKind::Month,
            PeriodKey::Quarter { .. } => PeriodKind::Quarter,
            PeriodKey::PilotYear { .. } => PeriodKind::PilotYear,
            PeriodKey::Year(_) => PeriodKind::Year,
            PeriodKey::Rolling { .. } => PeriodKind::Rolling,
        }
    }

    /// Its first month.
    pub fn first_month(self) -> YearMonth {
        match self {
            PeriodKey::Month(m) => m,
            PeriodKey::Quarter { year, quarter } => YearMonth {
                year,
                month: quarter * 3 - 2,
            },
            PeriodKey::PilotYear { end_year } => YearMonth {
                year: end_year - 1,
                month: 11,
            },
            PeriodKey::Year(year) => YearMonth { year, month: 1 },
            PeriodKey::Rolling { first, .. } => first,
        }
    }

    /// Its last month.
    pub fn last_month(self) -> YearMonth {
        match self {
            PeriodKey::Month(m) => m,
            PeriodKey::Rolling { last, .. } => last,
            PeriodKey::Quarter { .. } => self.first_month().plus(2),
            PeriodKey::PilotYear { .. } | PeriodKey::Year(_) => self.first_month().plus(11),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.first_month().first_day()
    }

    /// The first day after it.
    pub fn end(self) -> NaiveDate {
        self.last_month().next().first_day()
    }

    /// Its months, oldest first.
    pub fn months(self) -> impl Iterator<Item = YearMonth> {
        self.first_month().through(self.last_month())
    }

    /// The quarters that end inside it, oldest first: a pilot year's are 2023Q4 to 2024Q3.
    pub fn quarters(self) -> impl Iterator<Item = PeriodKey> {
        self.months()
            .filter(|m| m.month.is_multiple_of(3))
            .map(PeriodKey::quarter_of)
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodKey::Month(m) => write!(f, "{m}"),
            PeriodKey::Quarter { year, quarter } => write!(f, "{year:04}Q{quarter}"),
            PeriodKey::PilotYear { end_year } => {
                write!(f, "PY{:04}-{:02}", end_year - 1, end_year.rem_euclid(100))
            }
            PeriodKey::Year(y) => write!(f, "{y:04}"),
            PeriodKey::Rolling { first, last } => write!(f, "{first}..{last}"),
        }
    }
}

impl FromStr for PeriodKey {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || {
            format!(
                "{s:?} is not a period: write a month (2024-03), a quarter (2024Q1), a year \
                 (2024), a pilot year (PY2023-24) or `pilot`, or a run of months \
                 (2023-04..2024-03)"
            )
        };
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| (1900..=2999).contains(y))
        };
        let key = if let Some((a, b)) = t.split_once("..") {
            let (first, last): (YearMonth, YearMonth) =
                (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
            if first > last {
                return Err(format!("{s:?}: the first month is after the last"));
            }
            PeriodKey::Rolling { first, last }
        } else if let Some(rest) = t.strip_prefix("PY") {
            let (a, b) = rest.split_once('-').ok_or_else(bad)?;
            let start = year(a).ok_or_else(bad)?;
            let end_year = start + 1;
            if b != format!("{:02}", end_year.rem_euclid(100)) {
                return Err(format!(
                    "{s:?} is not a pilot year: a pilot year runs from November to October, \
                     e.g. PY{start}-{:02}",
                    end_year.rem_euclid(100)
                ));
            }
            PeriodKey::PilotYear { end_year }
        } else if let Some((y, q)) = t.split_once('Q') {
            let year = year(y).ok_or_else(bad)?;
            let quarter = q
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad)?;
            PeriodKey::Quarter { year, quarter }
        } else if t.contains('-') {
            PeriodKey::Month(t.parse().map_err(|_| bad())?)
        } else {
            PeriodKey::Year(year(&t).ok_or_else(bad)?)
        };
        Ok(key)
    }
}

impl ToSql for PeriodKey {
    fn to_sql(&self) -> duckdb::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(self.to_string())))
    }
}

/// A reporting period as the warehouse knows it (a row of dim_period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Its key.
    pub key: PeriodKey,
    /// Its Chinese label: 2024年03月, 2024年第1季度…
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// The day after the last.
    pub end: NaiveDate,
    /// The period before (环比).
    pub prev_key: PeriodKey,
    /// The same period a year before (同比).
    pub yoy_key: PeriodKey,
}

impl Period {
    /// Finds a period written as a user writes it ([`PeriodKey::parse_user`]).
    ///
    /// # Errors
    /// When the text is not a period, or the warehouse has no data in it; the message lists
    /// the periods there are.
    pub fn resolve(conn: &Connection, config: &Config, text: &str) -> Result<Period> {
        let not_found = match PeriodKey::parse_user(text, config) {
            Ok(key) => match Period::find(conn, key)? {
                Some(p) => return Ok(p),
                None => format!(
                    "no data for the period {text:?}. Write a month (2024-03), quarter \
                     (2024Q1), year (2024), pilot year (PY2023-24), `pilot`, or the months a \
                     monthly report ranks departments on (2023-04..2024-03)"
                ),
            },
            Err(e) => e.to_string(),
        };
        let mut have: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stmt = conn.prepare(crate::sql::OPS_PERIOD_KEYS.text)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            have.entry(k).or_default().push(v);
        }
        let listing: Vec<String> = have
            .iter()
            .map(|(k, v)| match (v.first(), v.last()) {
                (Some(a), Some(b)) if v.len() > 2 => format!("{k}: {a} … {b}"),
                _ => format!("{k}: {}", v.join(", ")),
            })
            .collect();
        if listing.is_empty() {
            bail!("{not_found}; there are no periods yet: load extracts and run `rexian refresh` first");
        }
        bail!(
            "{not_found}. The warehouse has:\n  {}",
            listing.join("\n  ")
        )
    }

    /// The period of `key` when the warehouse has it.
    ///
    /// # Errors
    /// When dim_period cannot be read (the figures were never built), or holds a key this
    /// build cannot read.
    pub fn find(conn: &Connection, key: PeriodKey) -> Result<Option<Period>> {
        let row = conn
            .query_row(crate::sql::OPS_PERIOD.text, [&key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()
            .context("reading dim_period; run `rexian refresh` first")?;
        let Some((label, start, end, prev, yoy)) = row else {
            return Ok(None);
        };
        let parse = |k: &str| -> Result<PeriodKey> {
            k.parse()
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("dim_period's row for {key}"))
        };
        let day = |d: &str| -> Result<NaiveDate> {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .with_context(|| format!("dim_period's row for {key}: the date {d:?}"))
        };
        Ok(Some(Period {
            key,
            label,
            start: day(&start)?,
            end: day(&end)?,
            prev_key: parse(&prev)?,
            yoy_key: parse(&yoy)?,
        }))
    }

    /// Its kind.
    pub fn kind(&self) -> PeriodKind {
        self.key.kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_and_written_one_way() {
        for (text, kind, first, end) in [
            ("2024-03", PeriodKind::Month, "2024-03-01", "2024-04-01"),
            ("2024Q1", PeriodKind::Quarter, "2024-01-01", "2024-04-01"),
            ("2024Q4", PeriodKind::Quarter, "2024-10-01", "2025-01-01"),
            (
                "PY2023-24",
                PeriodKind::PilotYear,
                "2023-11-01",
                "2024-11-01",
            ),
            (
                "PY1999-00",
                PeriodKind::PilotYear,
                "1999-11-01",
                "2000-11-01",
            ),
            ("2024", PeriodKind::Year, "2024-01-01", "2025-01-01"),
            (
                "2023-04..2024-03",
                PeriodKind::Rolling,
                "2023-04-01",
                "2024-04-01",
            ),
        ] {
            let k: PeriodKey = text.parse().unwrap();
            assert_eq!(k.to_string(), text);
            assert_eq!(k.kind(), kind, "{text}");
            assert_eq!(k.first_day().to_string(), first, "{text}");
            assert_eq!(k.end().to_string(), end, "{text}");
        }
        assert_eq!("2024q2".parse::<PeriodKey>().unwrap().to_string(), "2024Q2");
        assert_eq!(
            "py2023-24".parse::<PeriodKey>().unwrap().to_string(),
            "PY2023-24"
        );
        let config = Config::default();
        let pilot = PeriodKey::parse_user(" Pilot ", &config).unwrap();
        assert_eq!(pilot.to_string(), "PY2023-24");
        let quarters: Vec<String> = pilot.quarters().map(|q| q.to_string()).collect();
        assert_eq!(quarters, ["2023Q4", "2024Q1", "2024Q2", "2024Q3"]);
        assert_eq!(pilot.months().count(), 12);
    }

    #[test]
    fn bad_keys_are_refused_saying_how_to_write_one() {
        for s in [
            "2024Q5",
            "2024Q0",
            "PY2023-25",
            "24",
            "2024-13",
            "2024-03..2023-04",
            "x",
        ] {
            let e = s.parse::<PeriodKey>().unwrap_err();
            assert!(e.contains(s), "{s}: {e}");
        }
        let e = "x".parse::<PeriodKey>().unwrap_err();
        assert!(e.contains("2024Q1") && e.contains("pilot"), "{e}");
    }

    #[test]
    fn arithmetic_crosses_years() {
        let m: YearMonth = "2023-11".parse().unwrap();
        assert_eq!(m.plus(2).to_string(), "2024-01");
        assert_eq!(m.plus(-11).to_string(), "2022-12");
        assert_eq!(m.through("2024-10".parse().unwrap()).count(), 12);
        assert_eq!(
            "2024-02"
                .parse::<YearMonth>()
                .unwrap()
                .last_day()
                .to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn bad_months_are_refused() {
        for s in ["2024-13", "2024", "24-03", "2024-00", "x-y"] {
            assert!(s.parse::<YearMonth>().is_err(), "{s}");
        }
    }
}
