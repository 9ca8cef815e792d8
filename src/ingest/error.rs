//! Why a whole file could not be loaded. Each message says what, where, and what to do; a
//! refused file changes nothing in the warehouse.

use std::path::{Path, PathBuf};

/// A file-level reason to refuse an extract.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be read at all.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// Zero bytes.
    #[error("{}: the file is empty (0 bytes); export it again from the hotline platform", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Not text and not a workbook.
    #[error("{}: not a CSV or XLSX extract: {detail}", path.display())]
    NotTabular {
        /// The file.
        path: PathBuf,
        /// What was seen.
        detail: String,
    },
    /// A workbook that cannot be opened (truncated, damaged, password-protected).
    #[error("{}: the file looks like an Excel workbook but cannot be opened ({detail}); it may be \
             truncated or damaged: export or copy it again", path.display())]
    BadWorkbook {
        /// The file.
        path: PathBuf,
        /// The reader's error.
        detail: String,
    },
    /// The text encoding cannot be determined.
    #[error("{}: cannot tell the text encoding: {detail}", path.display())]
    Encoding {
        /// The file.
        path: PathBuf,
        /// What was tried.
        detail: String,
    },
    /// The CSV structure broke down.
    #[error("{}, row {row}: the CSV cannot be read ({detail}); check the quoting around that row", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// Row number.
        row: u64,
        /// The reader's error.
        detail: String,
    },
    /// No row in the first rows looks like a header.
    #[error("{}{}: no header row found in the first {searched} rows (a header names at least 3 \
             known columns such as 工单编号, 受理时间, 所属区县).{hint}", path.display(), sheet_label(sheet))]
    NoHeader {
        /// The file.
        path: PathBuf,
        /// The sheet, for workbooks.
        sheet: Option<String>,
        /// How many rows were searched.
        searched: usize,
        /// Closest known headers to what was found.
        hint: String,
    },
    /// Required columns are missing.
    #[error("{}{}, row {row}: required column(s) missing: {missing}.{hint}\nAdd the header spelling \
             to data/reference/headers.csv (or the workspace's reference folder) if the platform \
             names it differently.", path.display(), sheet_label(sheet))]
    MissingColumns {
        /// The file.
        path: PathBuf,
        /// The sheet, for workbooks.
        sheet: Option<String>,
        /// The header row's number.
        row: u64,
        /// The missing columns, with their Chinese names.
        missing: String,
        /// Closest headers of the file to each missing column.
        hint: String,
    },
    /// The same column appears twice.
    #[error("{}{}, row {row}: columns {first:?} and {second:?} both mean {field}; remove one of \
             them", path.display(), sheet_label(sheet))]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The sheet, for workbooks.
        sheet: Option<String>,
        /// The header row's number.
        row: u64,
        /// The canonical field.
        field: String,
        /// The first header.
        first: String,
        /// The second header.
        second: String,
    },
    /// A header but no data.
    #[error("{}: the file has a header row but no data rows; nothing to load", path.display())]
    NoRows {
        /// The file.
        path: PathBuf,
    },
    /// The file grew or shrank while it was read: probably still being copied.
    #[error("{}: the file changed while it was being loaded ({before} bytes, then {after}); \
             nothing was loaded. Load it again once it is completely copied", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
        /// Its size when the load began.
        before: u64,
        /// Its size as hashed.
        after: u64,
    },
    /// Every data row was rejected, so nothing is loaded.
    #[error("{}: none of its {rows} data rows can be loaded, so the file is refused. The first \
             problems:\n{sample}\nAll rejected rows with their reasons: {}", path.display(), rejects.display())]
    AllRejected {
        /// The file.
        path: PathBuf,
        /// Data rows read.
        rows: u64,
        /// The first reasons, one per line.
        sample: String,
        /// Where the full list was written.
        rejects: PathBuf,
    },
}

fn sheet_label(sheet: &Option<String>) -> String {
    sheet
        .as_ref()
        .map(|s| format!(", sheet {s}"))
        .unwrap_or_default()
}

impl FileError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> FileError {
        FileError::Io {
            path: path.into(),
            source,
        }
    }
}
