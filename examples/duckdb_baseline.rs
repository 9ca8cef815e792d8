//! The benchmark's baseline: DuckDB alone (the same engine build rexian links) reading a CSV
//! extract and writing it to Parquet, in one process.
//!
//! Usage: duckdb_baseline INPUT.csv OUTPUT.parquet

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match (args.get(1), args.get(2)) {
        (Some(i), Some(o)) => (i, o),
        _ => return Err("usage: duckdb_baseline INPUT.csv OUTPUT.parquet".into()),
    };
    let started = Instant::now();
    let conn = duckdb::Connection::open_in_memory()?;
    let q = |s: &str| s.replace('\'', "''");
    conn.execute_batch(&format!(
        "copy (select * from read_csv('{}', header = true, all_varchar = true)) to '{}' (format parquet, compression zstd)",
        q(input),
        q(output)
    ))?;
    let rows: i64 = conn.query_row(
        &format!("select count(*) from read_parquet('{}')", q(output)),
        [],
        |r| r.get(0),
    )?;
    println!(
        "duckdb baseline: {rows} rows in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
