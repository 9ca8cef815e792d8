//! Where log lines go: standard error always, and for the daemon also a file per day in the
//! workspace (`[schedule] log_dir`), the oldest removed after `keep_log_days`.

use std::path::Path;

use anyhow::{Context, Result};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Keeps the file writer flushing; drop it last.
pub type Guard = tracing_appender::non_blocking::WorkerGuard;

/// Installs the logger. `default` is the level when `REXIAN_LOG` is not set ("warn",
/// "info", "debug"). With `file`, lines also go to `DIR/rexian.YYYY-MM-DD.log`.
///
/// # Errors
/// When the log folder cannot be created.
pub fn init(default: &str, file: Option<(&Path, u32)>) -> Result<Option<Guard>> {
    let filter =
        || EnvFilter::try_from_env("REXIAN_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    use std::io::IsTerminal;
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_filter(filter());
    let Some((dir, keep_days)) = file else {
        tracing_subscriber::registry().with(stderr).try_init().ok();
        return Ok(None);
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the log folder {}", dir.display()))?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("rexian")
        .filename_suffix("log")
        .max_log_files(keep_days.max(1) as usize)
        .build(dir)
        .with_context(|| format!("cannot write logs in {}", dir.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let to_file = fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(false)
        .with_filter(filter());
    tracing_subscriber::registry()
        .with(stderr)
        .with(to_file)
        .try_init()
        .ok();
    Ok(Some(guard))
}
