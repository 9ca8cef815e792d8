//! The Parquet lake: read back with the `parquet` crate (not DuckDB) it holds exactly the
//! warehouse's rows; it is byte-for-byte reproducible; only touched months are rewritten.

use std::collections::BTreeSet;
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, TimestampMicrosecondType};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rexian::generate::Format;

use super::privacy::walk;
use super::util::*;

fn batches(file: &Path) -> Vec<RecordBatch> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(file).unwrap())
        .unwrap()
        .build()
        .unwrap();
    reader.map(Result::unwrap).collect()
}

/// Every string value of a Parquet file.
pub fn parquet_strings(file: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for b in batches(file) {
        for col in b.columns() {
            match col.data_type() {
                DataType::Utf8 => {
                    out.extend(col.as_string::<i32>().iter().flatten().map(String::from))
                }
                DataType::Utf8View => {
                    out.extend(col.as_string_view().iter().flatten().map(String::from))
                }
                DataType::LargeUtf8 => {
                    out.extend(col.as_string::<i64>().iter().flatten().map(String::from))
                }
                _ => {}
            }
        }
    }
    out
}

fn string_col(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let c = b.column_by_name(name).unwrap();
    match c.data_type() {
        DataType::Utf8View => c
            .as_string_view()
            .iter()
            .map(|v| v.map(String::from))
            .collect(),
        _ => c
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(String::from))
            .collect(),
    }
}

type Key = (String, String, String, Option<i64>, String);

fn lake_rows(lake: &Path) -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for f in walk(&lake.join("appeals")) {
        let path = f.display().to_string();
        for b in batches(&f) {
            let ids = string_col(&b, "ticket_id");
            let status = string_col(&b, "status");
            let hash = string_col(&b, "state_hash");
            let closed = b
                .column_by_name("closed_at")
                .unwrap()
                .as_primitive::<TimestampMicrosecondType>()
                .clone();
            let accepted = b
                .column_by_name("accepted_at")
                .unwrap()
                .as_primitive::<TimestampMicrosecondType>()
                .clone();
            for i in 0..b.num_rows() {
                let acc = chrono::DateTime::from_timestamp_micros(accepted.value(i))
                    .unwrap()
                    .naive_utc();
                let part = format!("year={}/month={:02}", acc.format("%Y"), acc.format("%m"));
                assert!(path.contains(&part), "{path} holds a row accepted {acc}");
                out.insert((
                    ids[i].clone().unwrap(),
                    status[i].clone().unwrap(),
                    hash[i].clone().unwrap(),
                    (!closed.is_null(i)).then(|| closed.value(i)),
                    part,
                ));
            }
        }
    }
    out
}

fn warehouse_rows(t: &TestWs) -> BTreeSet<Key> {
    let db = t.db();
    let mut s = db
        .prepare("select ticket_id, status, state_hash, epoch_us(closed_at), strftime(accepted_at, 'year=%Y/month=%m') from appeals")
        .unwrap();
    s.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn lake_read_back_independently_equals_the_warehouse() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2023-12",
        "2024-02",
        150,
        Format::Csv,
        41,
    );
    t.load(&files);
    let lake = lake_rows(&t.ws.lake_path());
    assert!(lake.len() > 400);
    assert_eq!(lake, warehouse_rows(&t));
    assert_eq!(t.count("select count(*) from lake_pending"), 0);
}

#[test]
fn lake_bytes_are_reproducible_and_only_touched_months_are_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-01", "2024-04", 120, Format::Csv, 42);
    let a = TestWs::new();
    a.load(&files[..3]);
    let b = TestWs::new();
    b.load(&files[..3]);
    let la = walk(&a.ws.lake_path());
    let lb = walk(&b.ws.lake_path());
    assert_eq!(la.len(), lb.len());
    for (x, y) in la.iter().zip(&lb) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
    let jan =
        rexian::lake::partition_dir(&a.ws.lake_path(), "appeals", 2024, 1).join("appeals.parquet");
    let before = std::fs::metadata(&jan).unwrap();
    // April's extract carries March's open tickets: March and April change, January does not.
    let s = loaded(&a.load(&files[3..])[0]).clone();
    assert!(
        s.months.contains(&"2024-03".to_string()) && s.months.contains(&"2024-04".to_string()),
        "{:?}",
        s.months
    );
    assert!(!s.months.contains(&"2024-01".to_string()), "{:?}", s.months);
    let after = std::fs::metadata(&jan).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "January was rewritten"
    );
    assert_eq!(lake_rows(&a.ws.lake_path()), warehouse_rows(&a));
}
