//! The register kept as a table (`case_register`): one row per case, worked out again from
//! the log in the transaction of each of the case's events, so that `rexian case list` and
//! the 督办提醒 read a row per case instead of parsing every event's JSON. The log stays the
//! truth: [`differences`] compares the table with it for `rexian case verify`, and
//! [`rebuild`] makes the table again from the log.

use std::cmp::Ordering;

use anyhow::{Context, Result};
use duckdb::Connection;

use crate::analysis::{self, Frame};
use crate::sql;
use crate::warehouse;

/// The statement that puts a case's row (or every case's: '') worked out from the log into
/// the table.
fn insert_rows() -> String {
    format!(
        "insert into case_register by name\n{}",
        sql::CASEWORK_REGISTER_ROWS.text
    )
}

/// Works out the row of `case_no` again from its events (inside the caller's transaction,
/// right after an event of it was appended).
///
/// # Errors
/// When the log or the table cannot be read or written.
pub fn refresh_case(conn: &Connection, case_no: &str) -> Result<()> {
    sql::run(conn, sql::CASEWORK_REGISTER_FORGET, &[&case_no])?;
    conn.prepare_cached(&insert_rows())?
        .execute([case_no])
        .with_context(|| format!("keeping the register's row of case {case_no}"))?;
    Ok(())
}

/// Makes the whole table again from the log; returns the number of cases.
///
/// # Errors
/// When the log or the table cannot be read or written.
pub fn rebuild(conn: &Connection) -> Result<usize> {
    sql::run(conn, sql::CASEWORK_REGISTER_FORGET, &[&""])?;
    conn.execute(&insert_rows(), [""])
        .context("building the 督办台账's register from its log")
}

/// Gives a connection that reads a warehouse from before the register table (schema version
/// 5, opened read-only, so not migrated yet) the register as a temporary table worked out
/// from the log; a warehouse that has the table is left alone.
///
/// # Errors
/// When the log cannot be read.
pub fn ensure_readable(conn: &Connection) -> Result<()> {
    if warehouse::has_relation(conn, "case_register")? {
        return Ok(());
    }
    conn.execute(
        &format!(
            "create temp table case_register as\n{}",
            sql::CASEWORK_REGISTER_ROWS.text
        ),
        [""],
    )
    .context("working out the 督办台账's register from its log")?;
    Ok(())
}

/// Every way the table differs from the register worked out from the log, in words (none
/// when they agree): a row changed, added or taken away behind rexian's back.
///
/// # Errors
/// When the log or the table cannot be read.
pub fn differences(conn: &Connection) -> Result<Vec<String>> {
    let title = "督办台账";
    let stored = analysis::query(conn, title, sql::CASEWORK_REGISTER_STORED.text, &[])?;
    let derived = analysis::query(conn, title, sql::CASEWORK_REGISTER_ROWS.text, &[&""])?;
    Ok(compare(&stored, &derived))
}

/// The differences of two frames of the same columns, each ordered by its first column (the
/// case).
fn compare(stored: &Frame, derived: &Frame) -> Vec<String> {
    let key = |r: &Vec<duckdb::types::Value>| analysis::value_text(&r[0]);
    let (a, b) = (&stored.rows, &derived.rows);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => key(x).cmp(&key(y)),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Equal => {
                for (c, (x, y)) in a[i].iter().zip(&b[j]).enumerate() {
                    if x != y {
                        out.push(format!(
                            "the register's row of case {} says {} {} where its log says {}",
                            key(&a[i]),
                            derived.columns[c],
                            crate::output::display(x, false),
                            crate::output::display(y, false)
                        ));
                    }
                }
                i += 1;
                j += 1;
            }
            Ordering::Less => {
                out.push(format!(
                    "the register has a case {} that its log has not",
                    key(&a[i])
                ));
                i += 1;
            }
            Ordering::Greater => {
                out.push(format!(
                    "the register lacks case {}, which its log has",
                    key(&b[j])
                ));
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::types::Value;

    fn frame(rows: &[(&str, i64)]) -> Frame {
        Frame {
            columns: vec!["case_no".into(), "events".into()],
            rows: rows
                .iter()
                .map(|(c, n)| vec![Value::Text((*c).into()), Value::BigInt(*n)])
                .collect(),
            ..Frame::default()
        }
    }

    #[test]
    fn names_each_changed_added_and_missing_case() {
        let stored = frame(&[("2026-0001", 3), ("2026-0002", 9), ("2026-0004", 1)]);
        let derived = frame(&[("2026-0001", 3), ("2026-0002", 4), ("2026-0003", 2)]);
        assert_eq!(
            compare(&stored, &derived),
            [
                "the register's row of case 2026-0002 says events 9 where its log says 4",
                "the register lacks case 2026-0003, which its log has",
                "the register has a case 2026-0004 that its log has not",
            ]
        );
        assert!(compare(&derived, &derived).is_empty());
    }
}
