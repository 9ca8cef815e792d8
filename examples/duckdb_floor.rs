//! The ingest benchmark's floor: the storage work that `rexian ingest` must do by the issue's
//! own terms, done by DuckDB alone with no checking or masking at all. It reads a CSV extract
//! into a table of a persistent database file (committed), then writes that table to one
//! Parquet partition in the order it holds the rows, as the lake does.
//!
//! Given several extracts (issue 15's twelve monthly files), it reads them all into the one
//! table in one statement, as an analyst would with DuckDB alone, then writes one Parquet file.
//!
//! Usage: duckdb_floor INPUT.csv [INPUT.csv ...] WORK_DIR

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: duckdb_floor INPUT.csv [INPUT.csv ...] WORK_DIR".into());
    }
    let dir = std::path::PathBuf::from(&args[args.len() - 1]);
    let inputs = &args[1..args.len() - 1];
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("floor.duckdb");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(dir.join("floor.duckdb.wal"));
    let lake = dir.join("floor.parquet");
    let q = |s: &str| s.replace('\'', "''");
    let started = Instant::now();
    let conn = duckdb::Connection::open(&db)?;
    let list = inputs
        .iter()
        .map(|i| format!("'{}'", q(i)))
        .collect::<Vec<_>>()
        .join(", ");
    conn.execute_batch(&format!(
        "create table appeals as select * from read_csv([{list}], header = true, all_varchar = true, union_by_name = true)"
    ))?;
    let stored = started.elapsed().as_secs_f64();
    conn.execute_batch(&format!(
        "copy (select * from appeals) to '{}' (format parquet, compression zstd, row_group_size 122880)",
        q(&lake.display().to_string())
    ))?;
    drop(conn);
    println!(
        "duckdb floor: table {stored:.2} s, then Parquet: {:.2} s in all",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
