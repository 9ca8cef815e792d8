//! Benchmark helper (issue 6): the same full-scan aggregate as `scripts/bench-sql.sh` runs in
//! `rexian sql`, through DuckDB's own API in one process on the same warehouse file (the
//! baseline). Prints the best of three runs.
//!
//! Usage: duckdb_scan WAREHOUSE.duckdb "SQL"

use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: duckdb_scan FILE SQL"))?;
    let sql = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: duckdb_scan FILE SQL"))?;
    let conn = duckdb::Connection::open_with_flags(
        &path,
        duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly)?,
    )?;
    conn.execute_batch("set memory_limit = '1GB'")?;
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mut stmt = conn.prepare(&sql)?;
        let rows: usize = stmt.query_arrow([])?.map(|b| b.num_rows()).sum();
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        eprintln!("{rows} rows in {s:.3} s");
    }
    println!("RESULT duckdb api: {best:.3} s");
    Ok(())
}
