//! `rexian ingest`: hotline extracts → validated, masked rows → the warehouse (newest state
//! wins) → the Parquet lake, with every row accounted for.
//!
//! A file is one transaction: either all of it is accounted for (inserted + updated +
//! unchanged + rejected = rows read) and recorded in the load ledger, or nothing of it is
//! kept. Loading the same bytes again changes nothing and says so.

// `FileError` carries paths and messages for the user; it is built once per bad file, so its
// size on the error path does not matter.
#![allow(clippy::result_large_err)]

mod error;
mod headers;
mod parse;
mod pipeline;
mod read;
mod row;
mod source;
mod stage;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{NaiveDateTime, Utc};
use duckdb::{params, Connection};
use serde::Serialize;

pub use error::FileError;
pub use parse::{timestamp as parse_timestamp, timestamp_ref as parse_timestamp_ref};
pub use source::{read_table, Cell, CellRef, EncodingChoice, RawRow};

use crate::config::Workspace;
use crate::mask::MaskKey;
use crate::reference::Reference;
use crate::{lake, sql, warehouse};
use read::{Item, Reading};
use row::Rejection;

/// Rows searched for the header (title rows above it are common in exports).
const HEADER_SEARCH_ROWS: usize = 20;

/// How to read the files.
#[derive(Debug, Clone)]
pub struct Options {
    /// Text encoding of CSV files.
    pub encoding: EncodingChoice,
    /// The extracts' moment, when the file name does not tell it.
    pub as_of: Option<NaiveDateTime>,
    /// Process files again even when the ledger has them (still changes nothing that is
    /// already current).
    pub force: bool,
    /// Draw progress bars on the terminal.
    pub progress: bool,
}

/// What happened to one file.
#[derive(Debug)]
pub enum Outcome {
    /// Loaded and recorded.
    Loaded(Box<LoadSummary>),
    /// The same bytes were loaded before; nothing changed.
    AlreadyLoaded {
        /// The file.
        path: PathBuf,
        /// The earlier load.
        load_id: i32,
    },
    /// Refused as a whole; nothing changed.
    Refused {
        /// The file.
        path: PathBuf,
        /// Why, and what to do.
        error: anyhow::Error,
    },
}

/// The accounting of one loaded file, also written as `load.json` beside its rejects.
#[derive(Debug, Clone, Serialize)]
pub struct LoadSummary {
    /// Ledger id.
    pub load_id: i32,
    /// The file as given.
    pub path: PathBuf,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// csv or xlsx.
    pub format: String,
    /// Text encoding (CSV).
    pub encoding: Option<String>,
    /// The extract's moment, used when a ticket has no update time of its own.
    pub as_of: NaiveDateTime,
    /// Where `as_of` came from.
    pub as_of_source: String,
    /// Data rows read (blank rows and header rows not counted).
    pub rows_read: u64,
    /// New tickets.
    pub inserted: u64,
    /// Newer states of known tickets.
    pub updated: u64,
    /// Rows that changed nothing: identical, older than the warehouse, or repeated in the file.
    pub unchanged: u64,
    /// Of `unchanged`: older than what the warehouse holds.
    pub stale: u64,
    /// Of `unchanged`: older copies of a ticket repeated in the same file.
    pub superseded: u64,
    /// Rows rejected, with reasons in `load_rejects` and the rejects CSV.
    pub rejected: u64,
    /// Entirely blank rows skipped (not data).
    pub blank_rows: u64,
    /// Months of acceptance time that the load touched.
    pub months: Vec<String>,
    /// Headers of the file that mean nothing known (their data is not loaded).
    pub ignored_columns: Vec<String>,
    /// Sheets read (workbooks) and sheets skipped for having no header.
    pub sheets: Vec<String>,
    /// Where the rejected rows were written.
    pub rejects_csv: Option<PathBuf>,
    /// Seconds spent.
    pub seconds: f64,
}

/// Everything a batch of loads needs, opened once.
pub struct Loader<'a> {
    ws: &'a Workspace,
    readers: Readers,
    conn: Connection,
    /// The next file, already being read while the current one settles.
    ahead: Option<Ahead>,
}

/// What starting to read a file needs (shared with the reading threads), and the options.
struct Readers {
    reference: Arc<Reference>,
    key: Arc<MaskKey>,
    opts: Options,
    max_text_chars: usize,
    earliest: chrono::NaiveDate,
    tz: chrono_tz::Tz,
    /// Two files can be read at once, so their bars are drawn together.
    bars: indicatif::MultiProgress,
}

/// A file read ahead: its size when it was started, its hashing and its reading.
struct Ahead {
    bytes: u64,
    hashing: Hashing,
    reading: Reading,
}

/// DuckDB's threads while files load: the cores the reading threads (a reader and its
/// workers, see `pipeline::workers`) leave, at least one. Its own work on a load is mostly
/// one thread's (a file's rows are one row group); with a second thread on two cores it only
/// contended with the reading: twelve monthly files took 19.2 s with two threads and 16.8 s
/// with one, a 1 M-row file 12.8 s and 11.7 s (scripts/bench-ingest-monthly.sh,
/// scripts/bench-ingest.sh).
fn loading_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1 + pipeline::workers()).max(1)
}

/// The files a list of paths means: files as given, folders' `.csv`/`.xlsx`/`.xls` files by
/// name.
///
/// # Errors
/// When a path does not exist or a folder cannot be read.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list the folder {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && is_extract_name(f))
                .collect();
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            anyhow::bail!(
                "{} does not exist; give extract files (.csv, .xlsx, .xls) or folders of them",
                p.display()
            );
        }
    }
    Ok(out)
}

fn is_extract_name(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    !name.starts_with('.')
        && !name.starts_with("~$")
        && matches!(ext.as_str(), "csv" | "xlsx" | "xls" | "txt" | "tsv")
}

impl<'a> Loader<'a> {
    /// Opens the warehouse for writing and reads the reference data and the masking key.
    ///
    /// # Errors
    /// When the warehouse, the reference data or the key cannot be used.
    pub fn open(ws: &'a Workspace, opts: Options) -> Result<Loader<'a>> {
        let reference = Reference::load(ws.reference_dir().as_deref())?;
        let key = MaskKey::load(
            &ws.config.masking.key_env,
            &ws.path(&ws.config.masking.key_file),
        )?;
        // The reference dimensions depend on the reference files, not on the extracts:
        // rebuilt once per run, not once per file.
        let conn = warehouse::open_for_writing(ws, &reference)?;
        conn.execute_batch(&format!("set threads = {}", loading_threads()))?;
        let readers = Readers {
            reference: Arc::new(reference),
            key: Arc::new(key),
            opts,
            max_text_chars: ws.config.ingest.max_text_chars,
            earliest: ws.config.ingest.earliest_date,
            tz: ws.config.tz(),
            bars: indicatif::MultiProgress::new(),
        };
        Ok(Loader {
            ws,
            readers,
            conn,
            ahead: None,
        })
    }

    /// Loads each file in turn (a refused file does not stop the others), then brings the
    /// lake up to date.
    ///
    /// # Errors
    /// Only for failures of the warehouse or lake themselves; bad files are outcomes.
    pub fn load_all(&mut self, files: &[PathBuf]) -> Result<(Vec<Outcome>, lake::SyncReport)> {
        let mut outcomes = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let outcome = match self.load_one(f, files.get(i + 1).map(PathBuf::as_path)) {
                Ok(o) => o,
                Err(error) => {
                    // Only input problems are outcomes; anything else stops the run.
                    if error.downcast_ref::<FileError>().is_none() {
                        return Err(error);
                    }
                    Outcome::Refused {
                        path: f.clone(),
                        error,
                    }
                }
            };
            match &outcome {
                Outcome::Loaded(s) => tracing::info!(
                    file = %f.display(), load_id = s.load_id, read = s.rows_read, inserted = s.inserted,
                    updated = s.updated, unchanged = s.unchanged, rejected = s.rejected, "loaded"
                ),
                Outcome::AlreadyLoaded { load_id, .. } => {
                    tracing::info!(file = %f.display(), load_id, "already loaded; nothing changed")
                }
                Outcome::Refused { error, .. } => {
                    tracing::warn!(file = %f.display(), "refused: {error:#}")
                }
            }
            outcomes.push(outcome);
        }
        // Fault injection for the crash tests: die after the loads committed, before the lake.
        if crate::fault("after-commit") {
            std::process::abort();
        }
        let report = self.sync_lake()?;
        Ok((outcomes, report))
    }

    /// Rewrites the lake partitions that loads have touched and the lake does not yet show.
    ///
    /// # Errors
    /// When a partition cannot be written.
    pub fn sync_lake(&mut self) -> Result<lake::SyncReport> {
        // The lake is DuckDB's work alone: it sets the threads it wants, and leaves them at
        // their default for whatever follows.
        lake::sync(&self.conn, &self.ws.lake_path())
    }

    /// Loads one file in one transaction (see [`Loader::load_one`]).
    ///
    /// # Errors
    /// A [`FileError`] for bad input (nothing changed), anything else for warehouse failures.
    pub fn load_file(&mut self, path: &Path) -> Result<Outcome> {
        self.load_one(path, None)
    }

    /// Loads one file in one transaction, stage by stage: sniff and open it, read, check,
    /// mask and stage its rows, make sure the file did not change meanwhile, classify the rows
    /// against the warehouse and apply them, record and verify the load, commit. Once its rows
    /// are staged, `next` (the file to load after it) starts being read. (About a hundred
    /// lines: each stage is one call, and the early returns — a re-load, a refused file —
    /// stay here, so that one place shows every way a file can end.)
    fn load_one(&mut self, path: &Path, next: Option<&Path>) -> Result<Outcome> {
        let started = Instant::now();
        let started_at = Utc::now();
        let ahead = match self.ahead.take() {
            Some(a) if a.reading.path == path => a,
            _ => {
                // Nothing read ahead (the first file, or the one before was cut short).
                let bytes = file_size(path)?;
                let hashing = match start_hashing(&self.conn, self.readers.opts.force, path, bytes)?
                {
                    Ok(hashing) => hashing,
                    Err(load_id) => return Ok(already(path, load_id)),
                };
                let load_id: i32 = self
                    .conn
                    .query_row(sql::LOAD_NEXT_ID.text, [], |r| r.get(0))?;
                let reading = self.readers.start(path, bytes, load_id);
                Ahead {
                    bytes,
                    hashing,
                    reading,
                }
            }
        };
        let Ahead {
            bytes,
            hashing,
            reading,
        } = ahead;
        let now = Utc::now().with_timezone(&self.readers.tz).naive_local();
        let known_as_of = known_as_of(&self.readers.opts, path);
        let tx = self.conn.transaction()?;
        let load_id: i32 = tx.query_row(sql::LOAD_NEXT_ID.text, [], |r| r.get(0))?;
        let (staged, opened) = stage_rows(&tx, reading, load_id)?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            cpu = crate::fsutil::cpu_seconds(),
            rows_read = staged.rows_read,
            "read, checked and staged"
        );
        // While the warehouse settles this file (mostly on one core), the next one is read.
        if let Some(next) = next {
            self.ahead = self.readers.ahead(&tx, next, load_id + 1)?;
        }
        let (kind, encoding) = (opened.kind, opened.encoding);
        let sha256 = whole_file(path, bytes, hashing)?;
        if !self.readers.opts.force {
            if let Some(load_id) = earlier_load(&tx, &sha256)? {
                return Ok(already(path, load_id));
            }
        }
        if staged.rows_read == 0 {
            return Err(staged.no_rows(path));
        }
        let name = file_name(path);
        if staged.accepted == 0 {
            drop(tx);
            let rows = staged.reject_rows(&name);
            return Err(self
                .refuse_all(path, &sha256, staged.rows_read, rows)?
                .into());
        }
        let (as_of, as_of_source) = settle_as_of(
            &tx,
            load_id,
            known_as_of,
            staged.latest_event.unwrap_or(now),
        )?;
        let counts = classify(&tx, load_id)?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            cpu = crate::fsutil::cpu_seconds(),
            "classified"
        );
        record_rejects(&tx, load_id, &name, &staged.rejections)?;
        let months = changed_months(&tx)?;
        let rejected = staged.rejections.len() as u64 + counts.conflicts;
        if rejected == staged.rows_read {
            // Every row failed (here: conflicting duplicates): refuse the file as a whole.
            let rows = rejects_of(&tx, load_id)?;
            drop(tx);
            return Err(self
                .refuse_all(path, &sha256, staged.rows_read, rows)?
                .into());
        }
        sql::run(&tx, sql::LOAD_APPLY, &[&load_id])?;
        counts.check_accounting(staged.rows_read, rejected)?;
        let summary = LoadSummary {
            load_id,
            path: path.into(),
            sha256,
            format: kind.name().into(),
            encoding,
            as_of,
            as_of_source,
            rows_read: staged.rows_read,
            inserted: counts.inserted,
            updated: counts.updated,
            unchanged: counts.unchanged,
            stale: counts.stale,
            superseded: counts.superseded,
            rejected,
            blank_rows: staged.blank_rows,
            months,
            ignored_columns: staged.ignored_columns,
            sheets: staged.sheets,
            rejects_csv: None,
            seconds: 0.0,
        };
        write_ledger(&tx, &summary, bytes, started_at)?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            cpu = crate::fsutil::cpu_seconds(),
            "applied"
        );
        // The masking is verified on what was written, before anything is committed.
        crate::check::verify_load(&tx, i64::from(load_id))?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            cpu = crate::fsutil::cpu_seconds(),
            "verified"
        );
        tx.commit().context("committing the load")?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            cpu = crate::fsutil::cpu_seconds(),
            "committed"
        );
        let mut summary = LoadSummary {
            seconds: started.elapsed().as_secs_f64(),
            ..summary
        };
        self.write_load_record(&mut summary)?;
        Ok(Outcome::Loaded(Box::new(summary)))
    }

    /// Writes the rejects of a file none of whose rows can be loaded to
    /// `loads/refused-<sha>/rejects.csv` and builds the error that says so.
    fn refuse_all(
        &self,
        path: &Path,
        sha256: &str,
        rows_read: u64,
        rows: Vec<RejectRow>,
    ) -> Result<FileError> {
        let csv = self
            .ws
            .loads_path()
            .join(format!("refused-{}", &sha256[..12]))
            .join("rejects.csv");
        let sample = rows
            .iter()
            .take(8)
            .map(|r| {
                format!(
                    "  row {}{}: {}",
                    r.1,
                    r.2.as_ref()
                        .map(|c| format!(", column {c}"))
                        .unwrap_or_default(),
                    r.3
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        write_rejects_csv(&csv, rows.into_iter())?;
        Ok(FileError::AllRejected {
            path: path.into(),
            rows: rows_read,
            sample,
            rejects: csv,
        })
    }

    /// Writes `loads/<id>_<sha>/load.json` and, when rows were rejected, `rejects.csv`.
    fn write_load_record(&self, s: &mut LoadSummary) -> Result<()> {
        let dir = self
            .ws
            .loads_path()
            .join(format!("{:06}_{}", s.load_id, &s.sha256[..12]));
        if s.rejected > 0 {
            let csv = dir.join("rejects.csv");
            write_rejects_csv(&csv, rejects_of(&self.conn, s.load_id)?.into_iter())?;
            s.rejects_csv = Some(csv);
        }
        crate::fsutil::write_atomic(&dir.join("load.json"), &serde_json::to_vec_pretty(s)?)?;
        Ok(())
    }
}

impl Readers {
    /// Starts reading `path` (of `bytes` bytes), its batches stamped for the load `load_id`.
    fn start(&self, path: &Path, bytes: u64, load_id: i32) -> Reading {
        let now = Utc::now().with_timezone(&self.tz).naive_local();
        let parts = read::Parts {
            reference: Arc::clone(&self.reference),
            key: Arc::clone(&self.key),
            max_text_chars: self.max_text_chars,
            earliest: self.earliest,
            latest: now + chrono::Duration::days(1),
        };
        let stamp = stage::Stamp {
            load_id,
            as_of: known_as_of(&self.opts, path).map(|(t, _)| t),
        };
        Reading::start(
            path,
            self.opts.encoding,
            parts,
            stamp,
            self.progress_bar(path, bytes),
        )
    }

    /// Starts reading the file to load next, expected as load `load_id`, with its hashing.
    /// Not for a file of a size the ledger knows: it may be a re-load, which its own turn
    /// recognises without reading it (`None`); nor for one that cannot be opened (its turn
    /// says why).
    fn ahead(&self, conn: &Connection, path: &Path, load_id: i32) -> Result<Option<Ahead>> {
        let Ok(bytes) = file_size(path) else {
            return Ok(None);
        };
        if !self.opts.force && seen_size(conn, bytes)? {
            return Ok(None);
        }
        Ok(Some(Ahead {
            bytes,
            hashing: Hashing::spawn(path),
            reading: self.start(path, bytes, load_id),
        }))
    }

    fn progress_bar(&self, path: &Path, bytes: u64) -> Option<indicatif::ProgressBar> {
        if !self.opts.progress {
            return None;
        }
        let bar = self.bars.add(indicatif::ProgressBar::new(bytes));
        bar.set_style(progress_style(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {elapsed}",
        ));
        bar.set_prefix(file_name(path));
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        Some(bar)
    }
}

fn progress_style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn already(path: &Path, load_id: i32) -> Outcome {
    Outcome::AlreadyLoaded {
        path: path.into(),
        load_id,
    }
}

/// What staging a file found.
#[derive(Default)]
struct Staged {
    rows_read: u64,
    accepted: u64,
    blank_rows: u64,
    latest_event: Option<NaiveDateTime>,
    /// In row order.
    rejections: Vec<Rejection>,
    ignored_columns: Vec<String>,
    sheets: Vec<String>,
    /// A sheet without a header row, reported when no sheet had one.
    header_error: Option<FileError>,
}

impl Staged {
    /// Why a file without a single row is refused.
    fn no_rows(self, path: &Path) -> anyhow::Error {
        match self.header_error {
            Some(e) if self.sheets.iter().all(|s| s.contains("skipped")) => e.into(),
            _ => FileError::NoRows { path: path.into() }.into(),
        }
    }

    /// The rejected rows, for the rejects CSV of a refused file.
    fn reject_rows(&self, name: &str) -> Vec<RejectRow> {
        self.rejections
            .iter()
            .map(|r| {
                (
                    name.to_string(),
                    r.row as i64,
                    r.column.clone(),
                    r.reason.clone(),
                    r.values.clone(),
                )
            })
            .collect()
    }
}

/// Takes the file's rows from its reading as they come and appends them to `appeals`,
/// stamped with the load's id, inside the load's transaction; classify.sql then decides
/// which of them stay. Also gathers what the reading found (counts, rejections, sheets).
fn stage_rows(tx: &Connection, reading: Reading, load_id: i32) -> Result<(Staged, read::Opened)> {
    let mut staged = Staged::default();
    // Straight into `appeals`: a staging table in between cost one more copy of every value
    // (0.4 s of 1.8 s per 118 000-row file).
    let mut appender = tx.appender("appeals")?;
    // Read ahead, the file was expected as another load (the one before was refused).
    let restamp = reading.stamp.load_id != load_id;
    for item in &reading.items {
        match item {
            Item::Sheet { name, ignored } => {
                staged.ignored_columns.extend(ignored);
                staged.sheets.extend(name);
            }
            Item::Skipped { name, error } => {
                staged
                    .sheets
                    .push(format!("{name} (skipped: no header row)"));
                staged.header_error.get_or_insert(error);
            }
            Item::Rows(mut parsed) => {
                staged.blank_rows += parsed.blank;
                staged.rows_read += parsed.rows;
                staged.rejections.append(&mut parsed.rejections);
                staged.latest_event = staged.latest_event.max(parsed.latest_event);
                staged.accepted += parsed.accepted;
                if let Some(batch) = parsed.batch {
                    let batch = if restamp {
                        stage::with_load_id(&batch, load_id)?
                    } else {
                        batch
                    };
                    appender.append_record_batch(batch)?;
                }
            }
        }
    }
    appender.flush()?;
    let bar = reading.bar.clone();
    let opened = reading.finish()?;
    if let Some(b) = &bar {
        b.set_position(b.length().unwrap_or(0));
        b.finish_and_clear();
    }
    // Sheets are read one after the other; the clerk reads rejects in row order.
    staged.rejections.sort_by_key(|r| r.row);
    Ok((staged, opened))
}

/// Starts hashing the file: a file of a size the ledger already knows may be a re-load,
/// so it is hashed first and a folder given again is recognised without reading its files
/// through (`Err(load_id)` of the earlier load). Any other file is hashed on a thread of
/// its own while it loads (the same bytes under another name are still caught, before
/// anything is recorded).
fn start_hashing(
    conn: &Connection,
    force: bool,
    path: &Path,
    bytes: u64,
) -> Result<Result<Hashing, i32>> {
    if !force && seen_size(conn, bytes)? {
        let (sha, bytes) = hash_file(path)?;
        if let Some(load_id) = earlier_load(conn, &sha)? {
            return Ok(Err(load_id));
        }
        return Ok(Ok(Hashing::Done(sha, bytes)));
    }
    Ok(Ok(Hashing::spawn(path)))
}

/// Whether the ledger knows a file of this size: then it may be a re-load.
fn seen_size(conn: &Connection, bytes: u64) -> Result<bool> {
    Ok(
        conn.query_row(sql::LOAD_SEEN_SIZE.text, params![bytes as i64], |r| {
            r.get(0)
        })?,
    )
}

/// The size of a file about to be loaded.
fn file_size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .map_err(|e| FileError::io(path, e))?
        .len())
}

/// The extract's moment when known before reading: given, else from the file name (else,
/// known only once the file is read, its latest event).
fn known_as_of(opts: &Options, path: &Path) -> Option<(NaiveDateTime, &'static str)> {
    match (opts.as_of, as_of_from_name(path)) {
        (Some(t), _) => Some((t, "option --as-of")),
        (None, Some(t)) => Some((t, "file name")),
        (None, None) => None,
    }
}

/// The file's SHA-256, once it is sure that what was read is the whole file and the file is
/// as it was when the load began (a file still being copied in would load as a prefix of
/// itself).
fn whole_file(path: &Path, bytes: u64, hashing: Hashing) -> Result<String> {
    // Fault injection for the tests: the file grows while it loads, as a copy in progress does.
    if crate::fault("grow-during-load") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(path)?;
        f.write_all(b"\n")?;
    }
    let (sha256, hashed) = match hashing {
        Hashing::Done(sha, hashed) => (sha, hashed),
        Hashing::Running(thread) => thread
            .join()
            .map_err(|_| anyhow::anyhow!("the hashing thread failed"))??,
    };
    let now_bytes = std::fs::metadata(path)
        .map_err(|e| FileError::io(path, e))?
        .len();
    if hashed != bytes || now_bytes != bytes {
        return Err(FileError::Changed {
            path: path.into(),
            before: bytes,
            after: if hashed != bytes { hashed } else { now_bytes },
        }
        .into());
    }
    Ok(sha256)
}

/// The extract's moment and where it came from: the one known before reading (the option,
/// the file name), else `latest`, the file's latest event, which then also stands for the
/// moment of the rows without an update time of their own.
fn settle_as_of(
    tx: &Connection,
    load_id: i32,
    known: Option<(NaiveDateTime, &str)>,
    latest: NaiveDateTime,
) -> Result<(NaiveDateTime, String)> {
    if let Some((t, source)) = known {
        return Ok((t, source.to_string()));
    }
    tx.execute(
        sql::LOAD_STATE_AT.text,
        params![latest.to_string(), load_id],
    )?;
    Ok((latest, "latest time in the file".to_string()))
}

/// What classify.sql decided for the staged rows of a load.
struct Counts {
    inserted: u64,
    updated: u64,
    unchanged: u64,
    stale: u64,
    superseded: u64,
    conflicts: u64,
}

impl Counts {
    /// Fails (and so nothing is loaded) unless every row read is accounted for.
    fn check_accounting(&self, rows_read: u64, rejected: u64) -> Result<()> {
        let accounted = self.inserted + self.updated + self.unchanged + rejected;
        if rows_read != accounted {
            anyhow::bail!(
                "internal error: {rows_read} rows read but {accounted} accounted for; nothing \
                 was loaded"
            );
        }
        Ok(())
    }
}

/// Decides what happens to each of the file's rows, already in `appeals` (classify.sql).
fn classify(tx: &Connection, load_id: i32) -> Result<Counts> {
    // The window functions that sort out repeated tickets are only needed when a ticket
    // is repeated; most extracts have one row per ticket.
    let repeated: i64 = tx.query_row(sql::LOAD_REPEATED.text, params![load_id], |r| r.get(0))?;
    let classify = if repeated > 0 {
        sql::LOAD_CLASSIFY
    } else {
        sql::LOAD_CLASSIFY_UNIQUE
    };
    sql::run(tx, classify, &[&load_id])?;
    let counts: [i64; 6] = tx.query_row(sql::LOAD_COUNTS.text, [], |r| {
        Ok([
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ])
    })?;
    let [inserted, updated, unchanged, stale, superseded, conflicts] = counts.map(|c| c as u64);
    Ok(Counts {
        inserted,
        updated,
        unchanged,
        stale,
        superseded,
        conflicts,
    })
}

/// Records the load's rejected rows: conflicting duplicates, then the rows that failed their
/// checks.
fn record_rejects(
    tx: &Connection,
    load_id: i32,
    name: &str,
    rejections: &[Rejection],
) -> Result<()> {
    let id_header = "工单编号".to_string();
    sql::run(
        tx,
        sql::LOAD_CONFLICT_REJECTS,
        &[&load_id, &name, &id_header],
    )?;
    let mut a = tx.appender("load_rejects")?;
    for r in rejections {
        a.append_row(params![
            load_id,
            name,
            r.row as i64,
            r.column,
            r.reason,
            r.values
        ])?;
    }
    Ok(())
}

/// The months whose appeals the load inserts or updates (the lake partitions it owes).
fn changed_months(tx: &Connection) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(sql::LOAD_CHANGED_MONTHS.text)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The load ledger's row of the load (sql/load/ledger.sql).
fn write_ledger(
    tx: &Connection,
    s: &LoadSummary,
    bytes: u64,
    started_at: chrono::DateTime<Utc>,
) -> Result<()> {
    let months_list = format!("[{}]", s.months.join(", "));
    tx.execute(
        sql::LOAD_LEDGER.text,
        params![
            s.load_id,
            file_name(&s.path),
            s.path.display().to_string(),
            s.sha256,
            bytes as i64,
            s.format,
            s.encoding,
            s.as_of.to_string(),
            s.as_of_source,
            s.rows_read as i64,
            s.inserted as i64,
            s.updated as i64,
            s.unchanged as i64,
            s.rejected as i64,
            months_list,
            started_at.to_rfc3339(),
            Utc::now().to_rfc3339(),
            crate::VERSION,
            crate::migrate::latest(),
        ],
    )
    .context("writing the load ledger (sql/load/ledger.sql)")?;
    tx.execute_batch("drop table if exists stg_actions")?;
    Ok(())
}

/// SHA-256 and size of a file.
fn hash_file(path: &Path) -> Result<(String, u64)> {
    Ok(crate::fsutil::sha256_file(path).map_err(|e| FileError::io(path, e))?)
}

/// The moment an extract stands for, from a date in its name: `…2024-03…` or `…202403…` or
/// `…2024年03月…` means the end of that month; `…2024-03-15…` the end of that day.
pub fn as_of_from_name(path: &Path) -> Option<NaiveDateTime> {
    use std::sync::LazyLock;
    static DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(20\d\d)[-_.年]?(0[1-9]|1[0-2])(?:[-_.月]?(0[1-9]|[12]\d|3[01])(?:日)?)?(?:[^0-9]|$)",
        )
        .expect("valid")
    });
    let name = path.file_stem()?.to_string_lossy().into_owned();
    let c = DATE.captures_iter(&name).last()?;
    let year: i32 = c[1].parse().ok()?;
    let month: u32 = c[2].parse().ok()?;
    let ym = crate::period::YearMonth::new(year, month)?;
    let day = match c.get(3) {
        Some(d) => chrono::NaiveDate::from_ymd_opt(year, month, d.as_str().parse().ok()?)?,
        None => ym.last_day(),
    };
    day.and_hms_opt(23, 59, 59)
}

/// The first load of a file with these bytes, if any.
fn earlier_load(conn: &Connection, sha256: &str) -> Result<Option<i32>> {
    Ok(conn.query_row(crate::sql::LOAD_EARLIER.text, params![sha256], |r| r.get(0))?)
}

/// A file's SHA-256: known before the load, or being computed beside it.
enum Hashing {
    Done(String, u64),
    Running(std::thread::JoinHandle<Result<(String, u64)>>),
}

impl Hashing {
    /// Hashes the file on a thread of its own, beside its load.
    fn spawn(path: &Path) -> Hashing {
        let owned = path.to_path_buf();
        Hashing::Running(std::thread::spawn(move || hash_file(&owned)))
    }
}

/// One rejected row for the CSV: file, row, column, reason, masked values.
type RejectRow = (String, i64, Option<String>, String, String);

/// The rejected rows of one load, in file order.
fn rejects_of(conn: &Connection, load_id: i32) -> Result<Vec<RejectRow>> {
    let mut stmt = conn.prepare(crate::sql::LOAD_REJECTS.text)?;
    let rows = stmt
        .query_map(params![load_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<Vec<RejectRow>, _>>()?;
    Ok(rows)
}

fn write_rejects_csv(path: &Path, rows: impl Iterator<Item = RejectRow>) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "文件 file",
        "行号 row",
        "列 column",
        "原因 reason",
        "行内容（已脱敏） row values (masked)",
    ])?;
    for (file, row, col, reason, values) in rows {
        w.write_record([
            file,
            row.to_string(),
            col.unwrap_or_default(),
            reason,
            values,
        ])?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    crate::fsutil::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_from_file_names() {
        let t = |s: &str| as_of_from_name(Path::new(s)).map(|t| t.to_string());
        assert_eq!(
            t("12345热线工单_2024-03.csv").as_deref(),
            Some("2024-03-31 23:59:59")
        );
        assert_eq!(
            t("export_20240215.xlsx").as_deref(),
            Some("2024-02-15 23:59:59")
        );
        assert_eq!(
            t("2023年11月工单.csv").as_deref(),
            Some("2023-11-30 23:59:59")
        );
        assert_eq!(t("工单.csv"), None);
    }
}
