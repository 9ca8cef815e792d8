//! Themed test modules and their shared helpers.

mod util;

mod accounting;
mod checks;
mod cli;
mod crash;
mod formats;
mod generate;
mod hostile;
mod lake;
mod privacy;
mod refresh;
