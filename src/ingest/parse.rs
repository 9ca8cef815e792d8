//! Parsing the values extracts hold: every date variant seen in the wild, counts and flags.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::source::{Cell, CellRef};

/// Parses a timestamp cell: `2024-03-05 08:05:00`, `2024/3/5 8:05`, `2024.3.5`,
/// `2024年3月5日 8时5分`, `2024-03-05T08:05:00`, `20240305`, or an Excel serial number
/// (as a date cell or as text). Returns `Ok(None)` for a blank cell.
///
/// # Errors
/// A message saying why the text is not a valid moment (e.g. 2024-02-30, 25:00).
pub fn timestamp(cell: &Cell) -> Result<Option<NaiveDateTime>, String> {
    timestamp_ref(cell.as_ref())
}

/// [`timestamp`] for a borrowed cell.
///
/// # Errors
/// As [`timestamp`].
pub fn timestamp_ref(cell: CellRef<'_>) -> Result<Option<NaiveDateTime>, String> {
    match cell {
        CellRef::Empty => Ok(None),
        CellRef::Serial(n) | CellRef::Number(n) => excel_serial(n).map(Some),
        CellRef::Bool(_) => Err("a yes/no value where a date was expected".into()),
        CellRef::Text(s) => {
            // Full-width digits and separators (２０２４－０３－０５　０８：０５) read as their
            // ASCII forms.
            let folded = crate::reference::fold(s);
            let s = folded.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                text_timestamp(s).map(Some)
            }
        }
    }
}

/// Converts an Excel serial number (days since 1899-12-30, fraction = time of day).
fn excel_serial(n: f64) -> Result<NaiveDateTime, String> {
    if !(1.0..=2_958_465.0).contains(&n) || !n.is_finite() {
        return Err(format!("{n} is not an Excel date serial number"));
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("valid")
        .and_hms_opt(0, 0, 0)
        .expect("valid");
    // Round to the second: Excel stores times as binary fractions of a day.
    let secs = (n * 86_400.0).round() as i64;
    Ok(base + Duration::seconds(secs))
}

fn text_timestamp(s: &str) -> Result<NaiveDateTime, String> {
    let bad = |why: &str| format!("{s:?} is not a date and time ({why})");
    // Pure numbers: a serial number typed as text, or 20240305[0805[00]].
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1
    {
        if s.len() >= 8 && !s.contains('.') {
            let (d, t) = s.split_at(8);
            let date = ymd(&d[..4], &d[4..6], &d[6..8]).ok_or_else(|| bad("no such day"))?;
            let time = match t.len() {
                0 => NaiveTime::MIN,
                4 => hms(&t[..2], &t[2..4], "0").ok_or_else(|| bad("no such time"))?,
                6 => hms(&t[..2], &t[2..4], &t[4..6]).ok_or_else(|| bad("no such time"))?,
                _ => return Err(bad("unexpected digits")),
            };
            return Ok(date.and_time(time));
        }
        let n: f64 = s.parse().map_err(|_| bad("not a number"))?;
        if n < 100_000.0 {
            return excel_serial(n);
        }
        return Err(bad("a number that is not a date"));
    }
    if s.ends_with('Z') || s.rfind(['+']).is_some_and(|i| i > 10) {
        return Err(bad(
            "it carries a time-zone offset; write local time, as the platform shows it",
        ));
    }
    // Split into digit groups; the separators tell date from time loosely.
    let mut groups: Vec<&str> = Vec::with_capacity(7);
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(st) = start.take() {
                groups.push(&s[st..i]);
            }
            if !matches!(
                c,
                '-' | '/'
                    | '.'
                    | ' '
                    | ':'
                    | 'T'
                    | '年'
                    | '月'
                    | '日'
                    | '时'
                    | '分'
                    | '秒'
                    | '点'
                    | '号'
            ) {
                return Err(bad(&format!("unexpected character {c:?}")));
            }
        }
    }
    if let Some(st) = start {
        groups.push(&s[st..]);
    }
    if groups.len() < 3 || groups[0].len() != 4 {
        return Err(bad(
            "expected year, month and day, e.g. 2024-03-05 08:05:00",
        ));
    }
    let date = ymd(groups[0], groups[1], groups[2]).ok_or_else(|| bad("no such day"))?;
    let time = match groups.len() {
        3 => Some(NaiveTime::MIN),
        4 => hms(groups[3], "0", "0"),
        5 => hms(groups[3], groups[4], "0"),
        6 => hms(groups[3], groups[4], groups[5]),
        // Fractions of a second are dropped.
        7 => hms(groups[3], groups[4], groups[5]),
        _ => None,
    }
    .ok_or_else(|| bad("no such time of day"))?;
    Ok(date.and_time(time))
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn hms(h: &str, m: &str, s: &str) -> Option<NaiveTime> {
    if h.len() > 2 || m.len() > 2 || s.len() > 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, s.parse().ok()?)
}

/// Parses a non-negative count such as 延期次数 (`1`, `1.0`, `1次`). Blank is `None`.
///
/// # Errors
/// When the value is not a whole non-negative number.
pub fn count(cell: CellRef<'_>) -> Result<Option<i32>, String> {
    let n = match cell {
        CellRef::Empty => return Ok(None),
        CellRef::Number(n) | CellRef::Serial(n) => n,
        CellRef::Bool(_) => return Err("a yes/no value where a count was expected".into()),
        CellRef::Text(s) => {
            let folded = crate::reference::fold(s);
            let t = folded.trim().trim_end_matches('次');
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .map_err(|_| format!("{s:?} is not a count"))?
        }
    };
    if n < 0.0 || n.fract() != 0.0 || n > 1000.0 {
        return Err(format!(
            "{n} is not a plausible count (a whole number from 0)"
        ));
    }
    Ok(Some(n as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Result<Option<NaiveDateTime>, String> {
        timestamp(&Cell::Text(s.into()))
    }
    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn every_date_variant() {
        assert_eq!(
            t("2024-03-05 08:05:00").unwrap(),
            Some(at("2024-03-05 08:05:00"))
        );
        assert_eq!(t("2024/3/5 8:05").unwrap(), Some(at("2024-03-05 08:05:00")));
        assert_eq!(t(" 2024.3.5 ").unwrap(), Some(at("2024-03-05 00:00:00")));
        assert_eq!(
            t("2024年3月5日 8时5分").unwrap(),
            Some(at("2024-03-05 08:05:00"))
        );
        assert_eq!(
            t("2024-03-05T08:05:07.250").unwrap(),
            Some(at("2024-03-05 08:05:07"))
        );
        assert_eq!(
            t("20240305080500").unwrap(),
            Some(at("2024-03-05 08:05:00"))
        );
        // 45356.3368055556 is 2024-03-05 08:05:00 in Excel's serial numbering.
        assert_eq!(
            t("45356.3368055556").unwrap(),
            Some(at("2024-03-05 08:05:00"))
        );
        assert_eq!(
            timestamp(&Cell::Serial(45_356.336_805_555_6)).unwrap(),
            Some(at("2024-03-05 08:05:00"))
        );
        assert_eq!(t("  ").unwrap(), None);
    }

    #[test]
    fn impossible_dates_are_errors() {
        for s in [
            "2024-02-30 10:00:00",
            "2023-02-29",
            "2024-13-01",
            "2024-03-05 25:00",
            "2024-03-05 08:61",
            "昨天",
            "24-3-5",
            "2024-03-05 08:05:00+08:00",
        ] {
            assert!(t(s).is_err(), "{s} should be refused");
        }
    }

    #[test]
    fn counts() {
        assert_eq!(count(Cell::Text("1.0".into()).as_ref()).unwrap(), Some(1));
        assert_eq!(count(Cell::Text("2次".into()).as_ref()).unwrap(), Some(2));
        assert_eq!(count(Cell::Number(0.0).as_ref()).unwrap(), Some(0));
        assert!(count(Cell::Text("-1".into()).as_ref()).is_err());
        assert!(count(Cell::Text("两次".into()).as_ref()).is_err());
        assert_eq!(count(Cell::Text("２次".into()).as_ref()).unwrap(), Some(2));
    }

    #[test]
    fn full_width_and_invisible_characters_read_as_their_plain_forms() {
        let t = |s: &str| {
            timestamp(&Cell::Text(s.into()))
                .unwrap()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            t("２０２４－０３－０５　０８：０５：００"),
            "2024-03-05 08:05:00"
        );
        assert_eq!(t("２０２４年３月５日 ８时５分"), "2024-03-05 08:05:00");
        assert_eq!(t("\u{200B}2024/3/5 8:05\u{FEFF}"), "2024-03-05 08:05:00");
        assert!(timestamp(&Cell::Text("２０２４－０２－３０".into())).is_err());
    }
}
