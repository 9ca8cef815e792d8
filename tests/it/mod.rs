//! Themed test modules and their shared helpers.

mod util;

mod accounting;
mod backup;
mod casework;
mod casework_reports;
mod checks;
mod cli;
mod crash;
mod disk;
mod exchange;
mod formats;
mod generate;
mod hostile;
mod indicators;
mod lake;
mod migrate;
mod model;
mod package;
mod patterns;
mod privacy;
mod refresh;
mod report;
mod schedule;
mod shell;
