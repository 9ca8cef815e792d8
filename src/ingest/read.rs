//! Reading one file on threads of its own: sniff and open it, find each sheet's header, map
//! its columns, then read, check and mask its rows (`pipeline`), handing the results over in
//! file order through a bounded channel.
//!
//! A load reads the next file while the warehouse settles the current one (classify, verify,
//! commit: DuckDB on one core), so both cores stay busy. Reading touches nothing but the file:
//! whatever happens to it, the warehouse only changes in the load's own transaction.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};

use super::error::FileError;
use super::headers::Aliases;
use super::pipeline::{self, Parsed};
use super::row::RowParser;
use super::source::{self, EncodingChoice, FileKind, RawRow, Rows};
use super::stage::Stamp;
use super::HEADER_SEARCH_ROWS;
use crate::mask::MaskKey;
use crate::reference::Reference;

/// Chunks (of 2 048 rows) read ahead of the load that takes them: about a month's extract of
/// a large city, 60–100 MB of Arrow arrays; a longer file waits for the load to catch up.
const AHEAD_CHUNKS: usize = 64;

/// What checking a row needs besides the row: the reference data, the masking key, the
/// limits, and the latest plausible moment (now plus a day).
#[derive(Clone)]
pub struct Parts {
    /// Regions, fields, value spellings, header aliases.
    pub reference: Arc<Reference>,
    /// The masking key.
    pub key: Arc<MaskKey>,
    /// Longest accepted text cell, in characters ([ingest] max_text_chars).
    pub max_text_chars: usize,
    /// Earliest plausible date ([ingest] earliest_date).
    pub earliest: NaiveDate,
    /// No event may lie after this.
    pub latest: NaiveDateTime,
}

/// What the reading hands over, in file order.
pub enum Item {
    /// A sheet (or the CSV file) whose header was found: its name, and its headers that mean
    /// nothing known.
    Sheet {
        /// The sheet's name (`None` for a CSV file).
        name: Option<String>,
        /// Its headers that map to no field.
        ignored: Vec<String>,
    },
    /// A workbook's sheet without a header row (notes, pivots): skipped.
    Skipped {
        /// The sheet's name.
        name: String,
        /// Why, for when no sheet had a header.
        error: FileError,
    },
    /// A chunk of rows, checked and masked.
    Rows(Parsed),
}

/// A file being read: its items as they come, and how it was read once the channel closes.
pub struct Reading {
    /// The file.
    pub path: PathBuf,
    /// The stamp its batches were built with (the load id is the one expected for it).
    pub stamp: Stamp,
    /// Items in file order; closed when the file is read through or reading failed.
    pub items: Receiver<Item>,
    /// The progress bar, when drawn.
    pub bar: Option<indicatif::ProgressBar>,
    thread: JoinHandle<Result<Opened>>,
}

/// What a file turned out to be.
pub struct Opened {
    /// CSV or workbook.
    pub kind: FileKind,
    /// A CSV file's text encoding.
    pub encoding: Option<String>,
}

impl Reading {
    /// Starts reading `path` on threads of its own.
    pub fn start(
        path: &Path,
        choice: EncodingChoice,
        parts: Parts,
        stamp: Stamp,
        bar: Option<indicatif::ProgressBar>,
    ) -> Reading {
        let (tx, items) = sync_channel(AHEAD_CHUNKS);
        let (owned, thread_bar) = (path.to_path_buf(), bar.clone());
        let thread =
            std::thread::spawn(move || read(&owned, choice, &parts, stamp, thread_bar, &tx));
        Reading {
            path: path.to_path_buf(),
            stamp,
            items,
            bar,
            thread,
        }
    }

    /// Waits for the reading to end (call once `items` is drained): what the file was, or
    /// why it could not be read.
    ///
    /// # Errors
    /// The file's error ([`FileError`]), or the reading threads' failure.
    pub fn finish(self) -> Result<Opened> {
        drop(self.items);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the reading thread failed")))
    }
}

/// The reading thread: every stream of the file in turn.
fn read(
    path: &Path,
    choice: EncodingChoice,
    parts: &Parts,
    stamp: Stamp,
    bar: Option<indicatif::ProgressBar>,
    tx: &SyncSender<Item>,
) -> Result<Opened> {
    let (kind, head) = source::sniff(path)?;
    let mut streams: Vec<(Option<String>, Rows)> = Vec::new();
    let mut encoding = None;
    // A CSV file's bar counts the bytes it reads; a workbook's, the rows done.
    let rows_bar = bar.clone().filter(|_| kind.is_workbook());
    match kind {
        FileKind::Csv => {
            let enc = source::detect_encoding(path, &head, choice)?;
            encoding = Some(enc.name().to_string());
            streams.push((None, Rows::csv(path, enc, &head, bar)?));
        }
        FileKind::Xlsx | FileKind::Xls => {
            let sheets = source::workbook_sheets(path, kind)?;
            if let Some(b) = &bar {
                // A workbook is read whole first; its progress counts rows.
                b.set_length(sheets.iter().map(|s| s.1.len() as u64).sum());
                b.set_style(super::progress_style(
                    "{prefix} [{bar:30}] {pos}/{len} rows {elapsed}",
                ));
            }
            for (name, rows) in sheets {
                streams.push((
                    Some(name),
                    Rows::Sheet {
                        rows: rows.into_iter(),
                    },
                ));
            }
        }
    }
    let aliases = Aliases::new(&parts.reference);
    for (sheet, mut rows) in streams {
        let header = match find_header(&aliases, path, &sheet, &mut rows)? {
            Ok(header) => header,
            Err((name, error)) => {
                if tx.send(Item::Skipped { name, error }).is_err() {
                    break;
                }
                continue;
            }
        };
        let map = aliases.map(path, sheet.as_deref(), header.number, &header.to_cells())?;
        let sheet_item = Item::Sheet {
            name: sheet.clone(),
            ignored: map.ignored.clone(),
        };
        if tx.send(sheet_item).is_err() {
            break;
        }
        let parser = RowParser {
            map: &map,
            reference: &parts.reference,
            key: &parts.key,
            max_text_chars: parts.max_text_chars,
            earliest: parts.earliest,
            latest: parts.latest,
        };
        let sent = pipeline::run(&mut rows, &parser, stamp, |parsed| {
            if let Some(b) = &rows_bar {
                b.inc(parsed.rows + parsed.blank);
            }
            tx.send(Item::Rows(parsed))
                .map_err(|_| anyhow::anyhow!("the load stopped taking rows"))
        });
        // A send fails only when the load went away (it failed): nobody hears this then.
        sent?;
    }
    Ok(Opened { kind, encoding })
}

/// The header row among the first rows of a stream. A workbook's sheet without one is
/// `Ok(Err((sheet, why)))`, to be skipped; a CSV file without one is refused.
fn find_header(
    aliases: &Aliases,
    path: &Path,
    sheet: &Option<String>,
    rows: &mut Rows,
) -> Result<std::result::Result<RawRow, (String, FileError)>> {
    let mut preamble = Vec::new();
    while preamble.len() < HEADER_SEARCH_ROWS {
        let Some(r) = rows.next_row()? else { break };
        if aliases.score(&r.to_cells()) >= 3 {
            return Ok(Ok(r));
        }
        preamble.push(r);
    }
    let seen = preamble.iter().find(|r| !r.is_blank());
    let hint = seen
        .map(|r| aliases.suggestions(&r.to_cells()))
        .unwrap_or_default();
    let e = FileError::NoHeader {
        path: path.into(),
        sheet: sheet.clone(),
        searched: HEADER_SEARCH_ROWS,
        hint,
    };
    match sheet {
        Some(name) => Ok(Err((name.clone(), e))),
        None => Err(e.into()),
    }
}
