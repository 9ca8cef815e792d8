//! One file per subcommand: what it does and what it prints. `main.rs` parses the command
//! line and calls these.

pub mod analyse;
pub mod backup;
pub mod case;
pub mod check;
pub mod consult;
pub mod demo;
pub mod dictionary;
pub mod generate;
pub mod ingest;
pub mod init;
pub mod ledger;
pub mod letter;
pub mod model;
pub mod push;
pub mod refresh;
pub mod remask;
pub mod report;
pub mod run;
pub mod serve;
pub mod sql;
pub mod status;

/// The outcome of a command for the process's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything done.
    Success,
    /// Done, but some input was refused (exit status 3).
    BadInput,
    /// A data check failed (exit status 4).
    ChecksFailed,
}
