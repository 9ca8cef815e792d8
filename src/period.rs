//! Calendar months (`2024-03`), the unit extracts, partitions and reports are cut by.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

#[cfg(test)]
mod tests {
    use super::*;

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
