//! rexian (热线) turns 12345-hotline extracts into law-enforcement supervision work.
//!
//! The modules follow the data flow:
//! * `config`: the workspace folder and its `rexian.toml`.
//! * `reference`: regions, enforcement fields, departments, holiday calendars, header aliases.
//! * `generate`: realistic monthly extracts with planted patterns (demo, tests, benchmarks).
//! * `ingest`: extracts → validated, masked rows → the warehouse, every row accounted for.
//! * `mask`: the keyed hash and the masks that keep personal data out of everything stored.
//! * `evaluate`: how well the masking and the grading read text, on a hand-labelled set.
//! * `model`: the learned classifier of scope and field, trained on the warehouse's rows.
//! * `warehouse`: the DuckDB file, its tables and reference dimensions; `migrate` brings an
//!   older warehouse to this binary's schema version.
//! * `lake`: the Parquet copy, partitioned by year and month.
//! * `sql`: the embedded `sql/` files and the helper that runs them.
//! * `refresh`: builds the layered SQL models in `sql/models/` in dependency order.
//! * `remask`: masks the texts stored under older rules again.
//! * `check`: data tests, one query per file in `sql/checks/`.
//! * `analysis`, `report`: the figures, analyses and PDFs of a period; `keywords` finds the
//!   phrases of its 热点关键词.
//! * `export`: the marts' read-only connection and the 推送清单 handed to the hotline.
//! * `schedule`: the daemon (`rexian serve`) and its run ledger.
//! * `backup`: a consistent copy of a workspace while the daemon runs, and its restore.
//! * `shell`: the analysts' SQL shell.
//! * `commands`: what each subcommand of the `rexian` binary does and prints.

pub mod analysis;
pub mod backup;
pub mod casework;
pub mod check;
pub mod commands;
pub mod config;
pub mod dictionary;
pub mod evaluate;
pub mod export;
pub mod fsutil;
pub mod generate;
pub mod ingest;
pub mod keywords;
pub mod lake;
pub mod logging;
pub mod mask;
pub mod migrate;
pub mod model;
pub mod output;
pub mod period;
pub mod reference;
pub mod refresh;
pub mod remask;
pub mod report;
pub mod rules;
pub mod schedule;
pub mod shell;
pub mod sql;
pub mod warehouse;

/// The version recorded in the load ledger and on every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether the crash and failure tests asked for the fault `name` through the environment
/// variable `REXIAN_FAULT`: `after-commit` (ingest dies between its commit and the lake),
/// `grow-during-load` (the file grows while it loads), `fail-job:JOB` (that scheduled job
/// fails every time).
pub fn fault(name: &str) -> bool {
    std::env::var("REXIAN_FAULT").is_ok_and(|f| f == name)
}

/// Exit status for bad input: a file or argument value the user must fix.
pub const EXIT_BAD_INPUT: u8 = 3;

/// Exit status when a data check fails.
pub const EXIT_CHECKS_FAILED: u8 = 4;
