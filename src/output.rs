//! Writing result tables ([`Frame`]s) for people and programs: an aligned terminal table, CSV
//! for Excel (UTF-8 with BOM, or GB18030), JSON, XLSX and Parquet. Every file is written
//! whole to a temporary name and renamed, so a reader never sees half a file.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use duckdb::types::Value;

use crate::analysis::{value_text, Frame};

/// How a result is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table on the terminal.
    Table,
    /// Comma-separated values, for Excel (see --csv-encoding).
    Csv,
    /// JSON: one array of objects per table.
    Json,
    /// An Excel workbook, one sheet per table.
    Xlsx,
    /// A Markdown table per table.
    Markdown,
}

impl Format {
    /// Its name, as `--format` and the shell's `.format` take it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Markdown => "markdown",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim() {
            "table" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "xlsx" => Format::Xlsx,
            "markdown" | "md" => Format::Markdown,
            other => bail!("no format {other:?}: use table, csv, json, markdown or xlsx"),
        })
    }
}

/// The text encoding of CSV output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark, which Excel opens correctly.
    Utf8Bom,
    /// GB18030 (a superset of GBK), for older Excel and WPS set-ups.
    Gb18030,
}

/// What a missing value looks like to a person.
pub const NULL_SHOWN: &str = "—";

/// A value as a person reads it: rates as percentages, NULL as "—".
pub fn display(v: &Value, percent: bool) -> String {
    match (v, percent) {
        (Value::Null, _) => NULL_SHOWN.to_string(),
        (Value::Double(x), true) => format!("{:.2}%", x * 100.0),
        (Value::Double(x), false) => {
            let s = format!("{x:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        (other, _) => value_text(other),
    }
}

/// Prints frames as aligned tables, each under its title.
pub fn print_tables(frames: &[Frame]) {
    for f in frames {
        println!("{}", f.title);
        if f.rows.is_empty() {
            println!("（无）\n");
            continue;
        }
        let mut t = table(f.headers().to_vec());
        for row in &f.rows {
            t.add_row(
                row.iter()
                    .zip(&f.columns)
                    .map(|(v, c)| display(v, f.percent.contains(c)))
                    .collect::<Vec<_>>(),
            );
        }
        println!("{t}\n{} 行\n", f.rows.len());
    }
}

/// Writes frames to `path` (or standard output when `None`) in a format.
///
/// # Errors
/// When the file cannot be written, or several tables go to a CSV file.
pub fn write(
    frames: &[Frame],
    format: Format,
    csv: CsvEncoding,
    path: Option<&Path>,
) -> Result<()> {
    if format == Format::Table {
        print_tables(frames);
        return Ok(());
    }
    let bytes = match format {
        Format::Csv => csv_bytes(frames, csv)?,
        Format::Json => json_bytes(frames)?,
        Format::Xlsx => {
            if path.is_none() {
                bail!("an XLSX workbook needs a file: add --output FILE.xlsx");
            }
            xlsx_bytes(frames)?
        }
        Format::Markdown => frames
            .iter()
            .map(|f| format!("## {}\n\n{}", f.title, markdown(f)))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        Format::Table => unreachable!("handled above"),
    };
    match path {
        Some(p) => crate::fsutil::write_atomic(p, &bytes)
            .with_context(|| format!("writing {}", p.display())),
        None => {
            std::io::stdout().write_all(&bytes)?;
            Ok(())
        }
    }
}

/// Writes the whole result of `sql` to `path`, in the format its extension names (.csv as
/// UTF-8 with a byte-order mark and booleans as 是/否, .parquet, .xlsx, .json), through a
/// temporary file and a rename. Returns the number of rows. The shell's `.export` and
/// `rexian sql --output` write files this one way.
///
/// # Errors
/// When the extension is unknown, the query fails, or the file cannot be written.
pub fn export_query(conn: &duckdb::Connection, sql: &str, path: &Path) -> Result<u64> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let tmp = crate::fsutil::temp_beside(path);
    // COPY says how many rows it wrote: the query runs once.
    let copy = |select: &str, options: &str| -> Result<u64> {
        let target = crate::sql::literal(&tmp.to_string_lossy());
        let rows = conn
            .execute(&format!("copy ({select}) to {target} ({options})"), [])
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(rows as u64)
    };
    let written = match ext.as_str() {
        "parquet" => copy(sql, "format parquet, compression zstd"),
        "json" => copy(sql, "format json, array true"),
        "csv" => booleans_as_words(conn, sql)
            .and_then(|select| copy(&select, "format csv, header true"))
            .and_then(|rows| {
                // Excel reads UTF-8 only with a byte-order mark.
                let body = std::fs::read(&tmp)?;
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all("\u{feff}".as_bytes())?;
                f.write_all(&body)?;
                f.sync_all()?;
                Ok(rows)
            }),
        "xlsx" => (|| {
            // Counted first, so that a result too big for a sheet is refused before it is read.
            let rows: i64 = conn
                .query_row(&format!("select count(*) from ({sql})"), [], |r| r.get(0))
                .context("counting the rows to export")?;
            if rows > 1_048_575 {
                bail!("{rows} rows do not fit in one Excel sheet (1 048 575 at most); export .csv or .parquet");
            }
            let mut f = crate::analysis::query(conn, "export", sql, &[])?.with_units();
            f.title = "结果".into();
            write(&[f], Format::Xlsx, CsvEncoding::Utf8Bom, Some(&tmp))?;
            Ok(rows as u64)
        })(),
        other => bail!("cannot export to .{other}: use .csv, .parquet, .xlsx or .json"),
    };
    let rows = match written {
        Ok(rows) => rows,
        Err(e) => {
            std::fs::remove_file(&tmp).ok();
            return Err(e);
        }
    };
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(rows)
}

/// `sql` with its boolean columns written 是/否, as every table rexian shows writes them.
fn booleans_as_words(conn: &duckdb::Connection, sql: &str) -> Result<String> {
    let mut stmt = conn
        .prepare(&format!(
            "select column_name from (describe ({sql})) where column_type = 'BOOLEAN'"
        ))
        .context("reading the result's columns")?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<duckdb::Result<_>>()?;
    if names.is_empty() {
        return Ok(sql.to_string());
    }
    let replaced: Vec<String> = names
        .iter()
        .map(|n| {
            let q = format!("\"{}\"", n.replace('"', "\"\""));
            format!("case when {q} then '是' when not {q} then '否' end as {q}")
        })
        .collect();
    Ok(format!(
        "select * replace ({}) from ({sql})",
        replaced.join(", ")
    ))
}

/// A frame as a Markdown table (rates as they are stored, NULL as "—").
pub fn markdown(f: &Frame) -> String {
    let esc = |s: String| s.replace('|', "\\|").replace('\n', " ");
    let mut s = format!("| {} |\n", f.headers().join(" | "));
    s.push_str(&format!("|{}\n", "---|".repeat(f.headers().len())));
    for row in &f.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Null => NULL_SHOWN.to_string(),
                other => esc(value_text(other)),
            })
            .collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}

fn csv_bytes(frames: &[Frame], encoding: CsvEncoding) -> Result<Vec<u8>> {
    // Flexible: the tables of one file differ in width (hot categories, then keywords).
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for (i, f) in frames.iter().enumerate() {
        if i > 0 {
            // Several tables in one CSV: a blank line and the title between them.
            w.write_record([""])?;
            w.write_record([f.title.as_str()])?;
        }
        w.write_record(f.headers())?;
        for row in &f.rows {
            w.write_record(row.iter().map(|v| match v {
                Value::Null => NULL_SHOWN.to_string(),
                other => value_text(other),
            }))?;
        }
    }
    let text = String::from_utf8(w.into_inner()?)?;
    Ok(match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend_from_slice(text.as_bytes());
            out
        }
        CsvEncoding::Gb18030 => encoding_rs::GB18030.encode(&text).0.into_owned(),
    })
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Boolean(b) => (*b).into(),
        Value::TinyInt(x) => (*x).into(),
        Value::SmallInt(x) => (*x).into(),
        Value::Int(x) => (*x).into(),
        Value::BigInt(x) => (*x).into(),
        Value::UInt(x) => (*x).into(),
        Value::UBigInt(x) => (*x).into(),
        Value::Double(x) => serde_json::Number::from_f64(*x)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Float(x) => serde_json::Number::from_f64(f64::from(*x))
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::List(items) => items.iter().map(json_value).collect(),
        other => value_text(other).into(),
    }
}

/// A terminal table in the house style (borders only) with its header row.
pub fn table(header: impl Into<comfy_table::Row>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_BORDERS_ONLY);
    t.set_header(header);
    t
}

/// The rows of one frame as a pretty JSON array of objects (NULL as null).
///
/// # Errors
/// When serialisation fails.
pub fn json_rows(f: &Frame) -> Result<Vec<u8>> {
    let rows: Vec<serde_json::Value> = f
        .rows
        .iter()
        .map(|r| {
            serde_json::Value::Object(
                f.headers()
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.clone(), json_value(v)))
                    .collect(),
            )
        })
        .collect();
    Ok(serde_json::to_vec_pretty(&rows)?)
}

fn json_bytes(frames: &[Frame]) -> Result<Vec<u8>> {
    let tables: Vec<serde_json::Value> = frames
        .iter()
        .map(|f| {
            let rows: Vec<serde_json::Value> = f
                .rows
                .iter()
                .map(|r| {
                    let obj: serde_json::Map<String, serde_json::Value> = f
                        .headers()
                        .iter()
                        .zip(r)
                        .map(|(c, v)| (c.clone(), json_value(v)))
                        .collect();
                    serde_json::Value::Object(obj)
                })
                .collect();
            serde_json::json!({ "title": f.title, "rows": rows })
        })
        .collect();
    let doc = if tables.len() == 1 {
        tables.into_iter().next().unwrap_or_default()
    } else {
        serde_json::Value::Array(tables)
    };
    let mut out = serde_json::to_vec_pretty(&doc)?;
    out.push(b'\n');
    Ok(out)
}

fn xlsx_bytes(frames: &[Frame]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let mut book = Workbook::new();
    // A fixed creation time: the same figures give the same bytes.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let bold = XFormat::new().set_bold();
    let pct = XFormat::new().set_num_format("0.00%");
    for (i, f) in frames.iter().enumerate() {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ .
        let name: String = f
            .title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(28)
            .collect();
        sheet.set_name(if name.is_empty() {
            format!("表{}", i + 1)
        } else {
            name
        })?;
        for (c, col) in f.headers().iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, col, &bold)?;
            sheet.set_column_width(c as u16, 14)?;
        }
        for (r, row) in f.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                let is_pct = f.percent.contains(&f.columns[c as usize]);
                let number = match v {
                    Value::Double(x) => Some(*x),
                    Value::Float(x) => Some(f64::from(*x)),
                    Value::BigInt(x) => Some(*x as f64),
                    Value::Int(x) => Some(f64::from(*x)),
                    Value::SmallInt(x) => Some(f64::from(*x)),
                    Value::UBigInt(x) => Some(*x as f64),
                    _ => None,
                };
                match (number, v) {
                    (Some(x), _) if is_pct => {
                        sheet.write_number_with_format(r, c, x, &pct)?;
                    }
                    (Some(x), _) => {
                        sheet.write_number(r, c, x)?;
                    }
                    (None, Value::Null) => {
                        sheet.write_string(r, c, NULL_SHOWN)?;
                    }
                    (None, other) => {
                        sheet.write_string(r, c, value_text(other))?;
                    }
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::types::Value;

    #[test]
    fn tables_of_different_widths_share_one_csv() {
        let frame = |title: &str, columns: &[&str], row: Vec<Value>| Frame {
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: vec![row],
            percent: Default::default(),
            labels: Vec::new(),
        };
        let bytes = csv_bytes(
            &[
                frame(
                    "热点诉求分类",
                    &["排名", "诉求分类", "件数"],
                    vec![
                        Value::BigInt(1),
                        Value::Text("餐饮油烟".into()),
                        Value::BigInt(33),
                    ],
                ),
                frame(
                    "热点关键词",
                    &["关键词", "件数"],
                    vec![Value::Text("油烟".into()), Value::BigInt(30)],
                ),
            ],
            CsvEncoding::Utf8Bom,
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "排名,诉求分类,件数\n1,餐饮油烟,33\n\"\"\n热点关键词\n关键词,件数\n油烟,30\n"
        );
    }
}
