//! No phone number, ID number or caller name reaches the warehouse, the lake or the load
//! records in clear.

use std::collections::HashSet;
use std::path::Path;

use regex::Regex;
use rexian::generate::Format;

use super::util::*;

fn patterns() -> (Regex, Regex) {
    (
        Regex::new(r"(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)").unwrap(),
        Regex::new(r"[0-9]{17}[0-9Xx]").unwrap(),
    )
}

fn check_text(where_: &str, text: &str, names: &HashSet<String>) {
    let (phone, id) = patterns();
    assert!(!phone.is_match(text), "{where_}: phone number in {text:?}");
    assert!(!id.is_match(text), "{where_}: ID number in {text:?}");
    for n in names {
        assert!(
            !text.contains(n.as_str()),
            "{where_}: caller name {n} in {text:?}"
        );
    }
}

#[test]
fn no_personal_data_in_warehouse_lake_or_load_records() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-02",
        300,
        Format::Csv,
        31,
    );
    let mut names = HashSet::new();
    let mut phones_in_text = 0;
    for f in &files {
        let (h, rows) = read_csv(f);
        let name_col = h.iter().position(|c| c.starts_with("来电人")).unwrap();
        for r in &rows {
            if r[name_col].chars().count() >= 2 {
                names.insert(r[name_col].clone());
            }
            phones_in_text += usize::from(patterns().0.is_match(&r[5]));
        }
    }
    assert!(
        names.len() > 100 && phones_in_text > 20,
        "the sample carries personal data to mask"
    );
    t.load(&files);

    // Every text column of every table.
    let db = t.db();
    let mut stmt = db
        .prepare("select table_name, column_name from information_schema.columns where data_type = 'VARCHAR' and table_schema = 'main'")
        .unwrap();
    let cols: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(cols.iter().any(|c| c.1 == "content"));
    // Hex digests (keyed hashes, checksums) are not text anyone wrote.
    for (table, col) in cols
        .iter()
        .filter(|c| !c.1.ends_with("_hash") && !c.1.ends_with("sha256"))
    {
        let mut s = db
            .prepare(&format!(
                "select \"{col}\" from \"{table}\" where \"{col}\" is not null"
            ))
            .unwrap();
        for v in s.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            check_text(&format!("{table}.{col}"), &v.unwrap(), &names);
        }
    }
    let masked: i64 = db
        .query_row(
            "select count(*) from appeals where content like '%[电话]%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(masked > 20, "phones were masked, not dropped");
    drop(stmt);
    drop(db);

    // Every Parquet file, read independently of DuckDB, and every load record.
    for file in walk(&t.ws.lake_path()) {
        for value in super::lake::parquet_strings(&file)
            .into_iter()
            .filter(|v| !is_digest(v))
        {
            check_text(&file.display().to_string(), &value, &names);
        }
    }
    for file in walk(&t.ws.loads_path()) {
        check_text(
            &file.display().to_string(),
            &std::fs::read_to_string(&file).unwrap(),
            &names,
        );
    }
}

/// Every file under a folder.
pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A keyed hash (`n:…`, `p:…`) or an md5 digest: hex, not text anyone wrote.
fn is_digest(v: &str) -> bool {
    let hex = v
        .strip_prefix("n:")
        .or_else(|| v.strip_prefix("p:"))
        .unwrap_or(v);
    hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}
