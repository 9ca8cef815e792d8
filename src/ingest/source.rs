//! Opening an extract: telling XLSX from CSV, finding the text encoding, and handing out rows
//! of cells one at a time.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::error::FileError;

/// How the text of a CSV file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// GBK / GB18030 (older Chinese platforms and Excel's plain "CSV" on Chinese Windows).
    Gb18030,
    /// UTF-16 with a byte-order mark (Excel's "Unicode text").
    Utf16,
}

impl Encoding {
    /// The name stored in the load ledger.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// The encoding asked for on the command line or in `rexian.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingChoice {
    /// Detect: BOM, then strict UTF-8, then GB18030.
    Auto,
    /// Force UTF-8.
    Utf8,
    /// Force GB18030 (a superset of GBK).
    Gb18030,
}

impl std::str::FromStr for EncodingChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Ok(EncodingChoice::Auto),
            "utf-8" | "utf8" => Ok(EncodingChoice::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(EncodingChoice::Gb18030),
            _ => Err(format!(
                "unknown encoding {s:?}; use auto, utf-8 or gb18030 (also for GBK)"
            )),
        }
    }
}

/// One cell as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing there.
    Empty,
    /// Text (every CSV cell, and text cells of workbooks).
    Text(String),
    /// A number cell of a workbook.
    Number(f64),
    /// A date cell of a workbook, as its Excel serial number.
    Serial(f64),
    /// A boolean cell of a workbook.
    Bool(bool),
}

impl Cell {
    /// The cell as text, as a person reading the file would see it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) | Cell::Serial(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }

    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A cell borrowed from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// Nothing there.
    Empty,
    /// Text.
    Text(&'a str),
    /// A number cell of a workbook.
    Number(f64),
    /// A date cell of a workbook, as its Excel serial number.
    Serial(f64),
    /// A boolean cell of a workbook.
    Bool(bool),
}

impl CellRef<'_> {
    /// The cell as text, as a person reading the file would see it.
    pub fn display(&self) -> std::borrow::Cow<'_, str> {
        match self {
            CellRef::Text(s) => std::borrow::Cow::Borrowed(s),
            CellRef::Empty => std::borrow::Cow::Borrowed(""),
            CellRef::Number(n) => std::borrow::Cow::Owned(Cell::Number(*n).display()),
            CellRef::Serial(n) => std::borrow::Cow::Owned(Cell::Serial(*n).display()),
            CellRef::Bool(b) => std::borrow::Cow::Owned(Cell::Bool(*b).display()),
        }
    }

    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

impl Cell {
    /// The cell, borrowed.
    pub fn as_ref(&self) -> CellRef<'_> {
        match self {
            Cell::Empty => CellRef::Empty,
            Cell::Text(s) if s.is_empty() => CellRef::Empty,
            Cell::Text(s) => CellRef::Text(s),
            Cell::Number(n) => CellRef::Number(*n),
            Cell::Serial(n) => CellRef::Serial(*n),
            Cell::Bool(b) => CellRef::Bool(*b),
        }
    }
}

/// One row read from a file.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// Row number as a spreadsheet shows it (1-based, header rows counted).
    pub number: u64,
    /// A CSV row, all in one buffer.
    pub record: Option<csv::StringRecord>,
    /// A workbook row (or a CSV row that had to be decoded cell by cell).
    pub cells: Vec<Cell>,
    /// Why the row could not be decoded, if it could not (it is then rejected, not dropped).
    pub decode_error: Option<String>,
}

impl RawRow {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match &self.record {
            Some(r) => r.len(),
            None => self.cells.len(),
        }
    }

    /// Whether the row has no cell at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `i`, if the row has it.
    pub fn get(&self, i: usize) -> Option<CellRef<'_>> {
        match &self.record {
            Some(r) => r.get(i).map(|s| {
                if s.is_empty() {
                    CellRef::Empty
                } else {
                    CellRef::Text(s)
                }
            }),
            None => self.cells.get(i).map(Cell::as_ref),
        }
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| self.get(i).is_none_or(|c| c.is_blank()))
    }

    /// The cells as owned values (for header rows and messages).
    pub fn to_cells(&self) -> Vec<Cell> {
        match &self.record {
            Some(r) => r
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
            None => self.cells.clone(),
        }
    }
}

/// The kind of file, found from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An Office Open XML workbook.
    Xlsx,
    /// An old binary Excel workbook (BIFF, Excel 97–2003), as many platforms still export.
    Xls,
    /// Delimited text.
    Csv,
}

impl FileKind {
    /// Its name in the load ledger.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Xlsx => "xlsx",
            FileKind::Xls => "xls",
            FileKind::Csv => "csv",
        }
    }

    /// Whether it is a workbook (read whole, sheet by sheet).
    pub fn is_workbook(self) -> bool {
        matches!(self, FileKind::Xlsx | FileKind::Xls)
    }
}

/// Reads the first bytes of a file and decides what it is.
pub fn sniff(path: &Path) -> Result<(FileKind, Vec<u8>), FileError> {
    let mut f = File::open(path).map_err(|e| FileError::io(path, e))?;
    let mut head = vec![0u8; 64 * 1024];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(FileError::io(path, e)),
        }
    }
    head.truncate(n);
    if head.is_empty() {
        return Err(FileError::Empty { path: path.into() });
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok((FileKind::Xlsx, head));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Ok((FileKind::Xls, head));
    }
    if looks_like_markup(&head) {
        return Err(FileError::NotTabular {
            path: path.into(),
            detail: "this is a web page or XML (an HTML table, or an Excel 2003 XML \
                     spreadsheet), not a workbook, though it may be named .xls: some platforms \
                     export that way. Open it in Excel or WPS and save it as .xlsx or CSV, then \
                     load that"
                .into(),
        });
    }
    Ok((FileKind::Csv, head))
}

/// Whether the first bytes are markup: a web page (an HTML table) or an Excel 2003 XML
/// spreadsheet saved under a spreadsheet's name.
fn looks_like_markup(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    start.starts_with('<')
        && ["<html", "<table", "<!doctype", "<meta", "<?xml"]
            .iter()
            .any(|tag| text.contains(tag))
}

/// Decides the encoding of a CSV file from its first bytes.
pub fn detect_encoding(
    path: &Path,
    head: &[u8],
    choice: EncodingChoice,
) -> Result<Encoding, FileError> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(Encoding::Utf8Bom);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(Encoding::Utf16);
    }
    let nul = head.iter().filter(|&&b| b == 0).count();
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
        .count();
    if nul > 0 || control * 20 > head.len() {
        return Err(FileError::NotTabular {
            path: path.into(),
            detail: format!(
                "it holds binary data ({nul} NUL and {control} other control bytes in the first \
                 {} bytes), not CSV text; check that the right file was exported",
                head.len()
            ),
        });
    }
    match choice {
        EncodingChoice::Utf8 => return Ok(Encoding::Utf8),
        EncodingChoice::Gb18030 => return Ok(Encoding::Gb18030),
        EncodingChoice::Auto => {}
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(Encoding::Utf8),
        // A multi-byte character cut at the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(Encoding::Utf8),
        Err(_) => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(head, false);
            let guess = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
            if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 {
                Ok(Encoding::Gb18030)
            } else {
                let (_, _, had_errors) = encoding_rs::GB18030.decode(head);
                if had_errors {
                    Err(FileError::Encoding {
                        path: path.into(),
                        detail: format!(
                            "it is neither UTF-8 nor GBK/GB18030 (it looks like {}); save it from \
                             Excel as \"CSV UTF-8\", or pass --encoding if you know the encoding",
                            guess.name()
                        ),
                    })
                } else {
                    Ok(Encoding::Gb18030)
                }
            }
        }
    }
}

/// A stream of rows from one sheet or CSV file.
pub enum Rows {
    /// CSV rows, decoded on the fly.
    Csv {
        /// The CSV reader over decoded text.
        reader: csv::Reader<Box<dyn Read + Send>>,
        /// Reused record buffer.
        record: csv::ByteRecord,
        /// Records read so far.
        count: u64,
        /// Whether decoding may have put U+FFFD in place of bad bytes.
        lossy: bool,
        /// The file, for messages.
        path: PathBuf,
    },
    /// Workbook rows, already in memory.
    Sheet {
        /// The sheet's rows.
        rows: std::vec::IntoIter<(u64, Vec<Cell>)>,
    },
}

impl Rows {
    /// Opens a CSV file for reading with the given encoding.
    /// `progress`, when given, advances with the bytes read.
    pub fn csv(
        path: &Path,
        encoding: Encoding,
        head: &[u8],
        progress: Option<indicatif::ProgressBar>,
    ) -> Result<Rows, FileError> {
        let mut file = File::open(path).map_err(|e| FileError::io(path, e))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| FileError::io(path, e))?;
        let raw: Box<dyn Read + Send> = match progress {
            Some(bar) => Box::new(bar.wrap_read(file)),
            None => Box::new(file),
        };
        let buffered = BufReader::with_capacity(1 << 20, raw);
        let (input, lossy): (Box<dyn Read + Send>, bool) = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => (
                Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .bom_sniffing(true)
                        .strip_bom(true)
                        .utf8_passthru(true)
                        .build(buffered),
                ),
                false,
            ),
            Encoding::Gb18030 => (
                Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .encoding(Some(encoding_rs::GB18030))
                        .build(buffered),
                ),
                true,
            ),
            Encoding::Utf16 => (
                Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .bom_sniffing(true)
                        .build(buffered),
                ),
                true,
            ),
        };
        let delimiter = sniff_delimiter(head, encoding);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(1 << 20)
            .from_reader(input);
        Ok(Rows::Csv {
            reader,
            record: csv::ByteRecord::new(),
            count: 0,
            lossy,
            path: path.into(),
        })
    }

    /// The next row, or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        match self {
            Rows::Csv {
                reader,
                record,
                count,
                lossy,
                path,
            } => {
                match reader.read_byte_record(record) {
                    Ok(false) => Ok(None),
                    Ok(true) => {
                        *count += 1;
                        // One record keeps the row in one buffer: no string per cell. The
                        // buffer is handed over, and the reader gets a new one of the size
                        // rows have.
                        let fresh = csv::ByteRecord::with_capacity(
                            record.as_slice().len() + 64,
                            record.len(),
                        );
                        match csv::StringRecord::from_byte_record(std::mem::replace(record, fresh))
                        {
                            Ok(text) => {
                                let decode_error = (*lossy && text.as_slice().contains('\u{FFFD}')).then(|| {
                                "the row holds bytes that are not valid in the file's encoding".to_string()
                            });
                                Ok(Some(RawRow {
                                    number: *count,
                                    record: Some(text),
                                    cells: Vec::new(),
                                    decode_error,
                                }))
                            }
                            Err(e) => {
                                let cells = e
                                    .into_byte_record()
                                    .iter()
                                    .map(|f| Cell::Text(String::from_utf8_lossy(f).into_owned()))
                                    .collect();
                                Ok(Some(RawRow {
                                number: *count,
                                record: None,
                                cells,
                                decode_error: Some(
                                    "the row is not valid UTF-8 although the rest of the file is; re-export the \
                                     file, or pass --encoding gb18030 if it is GBK"
                                        .to_string(),
                                ),
                            }))
                            }
                        }
                    }
                    Err(e) => Err(FileError::Csv {
                        path: path.clone(),
                        row: *count + 1,
                        detail: e.to_string(),
                    }),
                }
            }
            Rows::Sheet { rows } => Ok(rows.next().map(|(number, cells)| RawRow {
                number,
                record: None,
                cells,
                decode_error: None,
            })),
        }
    }
}

/// Every row of a small table file read whole: a CSV file in any encoding rexian reads, or the
/// first sheet of a workbook that has rows. For the files people send back (the hotline's
/// feedback), which are read as they are, without an extract's header aliases.
///
/// # Errors
/// When the file cannot be read or is not a table (the message says what to do).
pub fn read_table(path: &Path) -> Result<Vec<RawRow>, FileError> {
    let (kind, head) = sniff(path)?;
    let mut rows = match kind {
        FileKind::Csv => {
            let encoding = detect_encoding(path, &head, EncodingChoice::Auto)?;
            Rows::csv(path, encoding, &head, None)?
        }
        FileKind::Xlsx | FileKind::Xls => {
            let sheets = workbook_sheets(path, kind)?;
            let rows = sheets
                .into_iter()
                .map(|(_, rows)| rows)
                .find(|rows| !rows.is_empty())
                .unwrap_or_default();
            Rows::Sheet {
                rows: rows.into_iter(),
            }
        }
    };
    let mut out = Vec::new();
    while let Some(row) = rows.next_row()? {
        out.push(row);
    }
    Ok(out)
}

fn sniff_delimiter(head: &[u8], encoding: Encoding) -> u8 {
    let text = match encoding {
        Encoding::Utf16 => {
            let (t, _) = encoding_rs::UTF_16LE.decode_with_bom_removal(head);
            t.into_owned()
        }
        Encoding::Gb18030 => encoding_rs::GB18030.decode(head).0.into_owned(),
        _ => String::from_utf8_lossy(head).into_owned(),
    };
    let first = text.lines().next().unwrap_or("");
    let tabs = first.matches('\t').count();
    let commas = first.matches(',').count();
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// A sheet's rows with their spreadsheet row numbers.
pub type SheetRows = Vec<(u64, Vec<Cell>)>;

/// Reads every sheet of a workbook (`.xlsx` or `.xls`) into memory: (sheet name, rows with
/// their numbers).
pub fn workbook_sheets(path: &Path, kind: FileKind) -> Result<Vec<(String, SheetRows)>, FileError> {
    let bad = |detail: String| FileError::BadWorkbook {
        path: path.into(),
        detail,
    };
    match kind {
        FileKind::Xls => {
            let book: calamine::Xls<_> = calamine::open_workbook(path)
                .map_err(|e: calamine::XlsError| bad(e.to_string()))?;
            sheets_of(book, &bad)
        }
        _ => {
            let book: calamine::Xlsx<_> = calamine::open_workbook(path)
                .map_err(|e: calamine::XlsxError| bad(e.to_string()))?;
            sheets_of(book, &bad)
        }
    }
}

fn sheets_of<R, E>(
    mut book: R,
    bad: &dyn Fn(String) -> FileError,
) -> Result<Vec<(String, SheetRows)>, FileError>
where
    R: Reader<std::io::BufReader<File>, Error = E>,
    E: std::fmt::Display,
{
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| bad(format!("sheet {name}: {e}")))?;
        let start_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let mut cells = vec![Cell::Empty; start_col];
                cells.extend(row.iter().map(cell_of));
                (start_row + i as u64 + 1, cells)
            })
            .collect();
        sheets.push((name, rows));
    }
    Ok(sheets)
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Serial(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}
