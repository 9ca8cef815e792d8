//! `rexian generate`: realistic monthly hotline extracts, for demos, tests and benchmarks.
//!
//! One file a month with Chinese headers, following DOMAIN.md's distributions, written the way
//! real exports are (mixed date formats, Excel serial dates, blanks, trailing spaces, a BOM,
//! GBK), with personal data in the free text, and with planted patterns that the analyses must
//! find, listed in `manifest.json`. Tickets still open at a month's end re-appear in the next
//! month's extract with their later state. Same seed, same bytes; memory stays flat in the
//! number of rows because every ticket is recomputed from its coordinates.

mod prng;
mod ticket;
pub mod vocab;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDateTime};
use serde::Serialize;

pub use prng::Rng;
pub use ticket::{plant, Setting, Slot, Ticket, View};

use crate::period::YearMonth;
use crate::reference::Reference;

/// Output file format of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
pub enum Format {
    /// Excel workbook, dates as date cells (Excel serial numbers).
    Xlsx,
    /// UTF-8 CSV with a byte-order mark, as Excel writes it.
    Csv,
    /// CSV in GBK/GB18030, as older platforms write it.
    CsvGbk,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv | Format::CsvGbk => "csv",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// First month.
    pub from: YearMonth,
    /// Last month (inclusive).
    pub to: YearMonth,
    /// Seed of every random choice.
    pub seed: u64,
    /// New appeals per month, before the planted ones.
    pub per_month: u32,
    /// File format.
    pub format: Format,
    /// First month of the pilot (pilot units handle appeals better from then on).
    pub pilot_start: YearMonth,
}

/// One generated file.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// File name inside the output folder.
    pub name: String,
    /// The month it covers.
    pub month: YearMonth,
    /// Data rows written.
    pub rows: u64,
    /// Rows of tickets first seen in this month.
    pub new_tickets: u64,
    /// Rows of tickets carried over from earlier months, with their later state.
    pub carried_over: u64,
}

/// The planted patterns, for the analyses' tests.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Planted {
    /// Appeals bounced between two departments.
    pub bounce: PlantedSet,
    /// The address re-appealed after each closing.
    pub repeat_address: PlantedSet,
    /// The spike of one category in one region.
    pub spike: PlantedSet,
    /// The problem spread over several regions.
    pub widespread: PlantedSet,
    /// Appeals with major-incident words.
    pub major: PlantedSet,
}

/// One planted pattern: what it is and which tickets carry it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlantedSet {
    /// Plain description.
    pub description: String,
    /// Regions involved.
    pub regions: Vec<String>,
    /// Category involved.
    pub category: String,
    /// Months involved.
    pub months: Vec<YearMonth>,
    /// Ticket ids.
    pub ticket_ids: Vec<String>,
}

/// `manifest.json`: what was generated, and where the planted patterns are.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The options used.
    pub options: Options,
    /// Files in month order.
    pub files: Vec<FileInfo>,
    /// The planted patterns.
    pub planted: Planted,
}

/// The columns written, in order, with two header spellings (real platforms differ).
const COLUMNS: &[(&str, &str)] = &[
    ("工单编号", "工单编号"),
    ("受理渠道", "诉求渠道"),
    ("受理时间", "来电时间"),
    ("诉求类型", "诉求类型"),
    ("诉求标题", "诉求标题 "),
    ("诉求内容", "诉求内容"),
    ("来电人", "来电人姓名"),
    ("联系电话", "联系电话"),
    ("所属区县", "区县"),
    ("乡镇街道", "乡镇街道"),
    ("事发地址", "事发地址"),
    ("诉求分类", "诉求分类"),
    ("是否涉及行政执法", "是否涉及行政执法"),
    ("执法领域", "执法领域"),
    ("承办单位", "承办单位"),
    ("协办单位", "协办单位"),
    ("派单时间", "派单时间"),
    ("签收时间", "签收时间"),
    ("办理时限", "应办结时间（截止）"),
    ("办结时间", "办结时间"),
    ("办理状态", "工单状态"),
    ("延期次数", "延期次数"),
    ("退单次数", "退单次数"),
    ("退单单位", "退单单位"),
    ("是否解决", "是否解决"),
    ("回访时间", "回访时间"),
    ("回访满意度", "回访满意度"),
    ("重办", "二次办理"),
    ("是否督办", "是否督办"),
];

/// One cell as the generator means it; each writer renders it its own way.
#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Text(String),
    Time(NaiveDateTime),
    Int(i64),
}

/// Generates every month's extract and the manifest. (Long: the months are simulated in
/// order because open tickets carry over from one month's file into the next.)
///
/// # Errors
/// When the range is empty or a file cannot be written.
pub fn generate(
    opts: &Options,
    reference: &Reference,
    mut progress: impl FnMut(&FileInfo),
) -> Result<Manifest> {
    if opts.from > opts.to {
        bail!("--from {} is after --to {}", opts.from, opts.to);
    }
    if opts.per_month == 0 || opts.per_month > ticket::MAX_PER_MONTH {
        bail!("--per-month must be from 1 to {}", ticket::MAX_PER_MONTH);
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create the output folder {}", opts.out.display()))?;
    let setting = Setting {
        seed: opts.seed,
        reference,
        pilot_start: opts.pilot_start,
        region_weights: reference
            .regions
            .iter()
            .map(|r| r.population_10k.unwrap_or(20.0))
            .collect(),
    };
    let months: Vec<YearMonth> = opts.from.through(opts.to).collect();
    let spike_month = pick_month(&months, "2024-06", 2, 3);
    let wide_month = pick_month(&months, "2024-03", 1, 2);
    let mut planted = planted_descriptions(spike_month, wide_month);

    let mut files = Vec::new();
    let mut carry: Vec<(YearMonth, Slot)> = Vec::new();
    for (i, &month) in months.iter().enumerate() {
        let mut slots: Vec<Slot> = (0..opts.per_month)
            .map(|n| Slot::Normal {
                n,
                of: opts.per_month,
            })
            .collect();
        for k in 0..(opts.per_month / 100).max(3) {
            slots.push(Slot::Bounce(k));
        }
        slots.push(Slot::RepeatAddress);
        if month == spike_month {
            slots.extend((0..(opts.per_month / 20).max(30)).map(Slot::Spike));
        }
        if month == wide_month {
            for r in 0..plant::WIDESPREAD_REGIONS.len() as u32 {
                slots.extend((0..(opts.per_month / 150).max(6)).map(|k| Slot::Widespread(r, k)));
            }
        }
        if i % 4 == 1 {
            slots.push(Slot::Major((i / 4) as u32 % 3));
        }

        let as_of = month
            .last_day()
            .and_hms_opt(23, 59, 59)
            .expect("valid time");
        let name = format!("12345热线工单_{month}.{}", opts.format.extension());
        let path = opts.out.join(&name);
        let mut writer = SheetWriter::create(&path, opts.format, month)?;
        let variant = month.month % 2;
        writer.header(
            &COLUMNS
                .iter()
                .map(|c| if variant == 0 { c.0 } else { c.1 })
                .collect::<Vec<_>>(),
        )?;
        let mut next_carry = Vec::new();
        let mut info = FileInfo {
            name,
            month,
            rows: 0,
            new_tickets: 0,
            carried_over: 0,
        };
        for (m, slot) in carry
            .iter()
            .map(|c| (c.0, c.1))
            .chain(slots.iter().map(|s| (month, *s)))
        {
            let t = setting.ticket(m, slot);
            let view = View { t: &t, as_of };
            // The messiness is a property of the ticket, not of the month: a carried-over
            // ticket keeps its date formats and spacing, so only its real changes show.
            let row_seed = Rng::new(&[
                opts.seed,
                0xF0F0,
                (m.year * 100) as u64 + m.month as u64,
                slot.code(),
            ])
            .next_u64();
            writer.row(&cells(&view, &mut Rng::new(&[row_seed]), month), row_seed)?;
            info.rows += 1;
            if m == month {
                info.new_tickets += 1;
                record_plant(&mut planted, &t, slot, month);
            } else {
                info.carried_over += 1;
            }
            if t.finished_at() > as_of {
                next_carry.push((m, slot));
            }
        }
        writer.finish()?;
        carry = next_carry;
        progress(&info);
        files.push(info);
    }
    let manifest = Manifest {
        options: opts.clone(),
        files,
        planted,
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    crate::fsutil::write_atomic(&opts.out.join("manifest.json"), &json)?;
    Ok(manifest)
}

fn pick_month(months: &[YearMonth], preferred: &str, num: usize, den: usize) -> YearMonth {
    let p: YearMonth = preferred.parse().expect("valid month");
    if months.contains(&p) {
        p
    } else {
        months[(months.len() * num / den).min(months.len() - 1)]
    }
}

fn planted_descriptions(spike: YearMonth, wide: YearMonth) -> Planted {
    let set = |d: &str, regions: &[&str], category: &str, months: Vec<YearMonth>| PlantedSet {
        description: d.to_string(),
        regions: regions.iter().map(|s| s.to_string()).collect(),
        category: category.to_string(),
        months,
        ticket_ids: Vec::new(),
    };
    Planted {
        bounce: set(
            "每月若干工单在任城区综合行政执法局与任城区住房和城乡建设局之间两次退单，最终由综合行政执法局办结",
            &[plant::BOUNCE_REGION],
            plant::BOUNCE_CATEGORY,
            vec![],
        ),
        repeat_address: set(
            "同一地址、同一分类每月办结后再次投诉（屡次不改）",
            &[plant::REPEAT_REGION],
            plant::REPEAT_CATEGORY,
            vec![],
        ),
        spike: set("一个区县一个分类当月诉求量激增（预警）", &[plant::SPIKE_REGION], plant::SPIKE_CATEGORY, vec![spike]),
        widespread: set(
            "同一分类、同一执法领域同月出现在4个区县（普遍性执法问题）",
            &plant::WIDESPREAD_REGIONS,
            plant::WIDESPREAD_CATEGORY,
            vec![wide],
        ),
        major: set("含暴力执法、索贿、死亡等重大情形词语的诉求（重大）", &[], "城乡建设/城市管理/执法行为", vec![]),
    }
}

fn record_plant(p: &mut Planted, t: &Ticket, slot: Slot, month: YearMonth) {
    let set = match slot {
        Slot::Normal { .. } => return,
        Slot::Bounce(_) => &mut p.bounce,
        Slot::RepeatAddress => &mut p.repeat_address,
        Slot::Spike(_) => &mut p.spike,
        Slot::Widespread(..) => &mut p.widespread,
        Slot::Major(_) => {
            if !p.major.regions.contains(&t.region) {
                p.major.regions.push(t.region.clone());
            }
            &mut p.major
        }
    };
    if !set.months.contains(&month) {
        set.months.push(month);
    }
    set.ticket_ids.push(t.id.clone());
}

/// The row an extract shows of a ticket, with the messiness real exports have.
fn cells(v: &View<'_>, rng: &mut Rng, month: YearMonth) -> Vec<Cell> {
    let t = v.t;
    let text = |s: &str, rng: &mut Rng| {
        if rng.chance(0.08) {
            Cell::Text(format!("{s} "))
        } else {
            Cell::Text(s.to_string())
        }
    };
    let opt_time = |x: Option<NaiveDateTime>| x.map(Cell::Time).unwrap_or(Cell::Empty);
    let returns = v.returns();
    let callback = v.callback();
    let five_levels = month.month.is_multiple_of(3);
    let satisfaction = match callback {
        Some((_, s)) if five_levels => Cell::Text(
            match (s, rng.chance(0.5)) {
                ("满意", true) => "非常满意",
                ("基本满意", _) => "比较满意",
                ("不满意", true) => "非常不满意",
                (s, _) => s,
            }
            .to_string(),
        ),
        Some((_, s)) => Cell::Text(s.to_string()),
        None if t.callback.is_none() && v.closed_at().is_some() => Cell::Text("未回访".into()),
        None => Cell::Empty,
    };
    let closed = v.closed_at().is_some();
    vec![
        Cell::Text(t.id.clone()),
        Cell::Text(t.channel.into()),
        Cell::Time(t.accepted_at),
        Cell::Text(t.appeal_type.into()),
        text(&t.title, rng),
        Cell::Text(t.content.clone()),
        Cell::Text(t.caller_name.clone()),
        Cell::Text(t.caller_phone.clone()),
        text(&t.region_written, rng),
        Cell::Text(t.street.into()),
        Cell::Text(t.address.clone()),
        Cell::Text(t.category.clone()),
        if t.hide_enforcement {
            Cell::Empty
        } else {
            Cell::Text(if t.is_enforcement { "是" } else { "否" }.into())
        },
        match (t.hide_enforcement, &t.field) {
            (false, Some(f)) => Cell::Text(f.clone()),
            _ => Cell::Empty,
        },
        text(&t.department, rng),
        t.co_departments
            .clone()
            .map(Cell::Text)
            .unwrap_or(Cell::Empty),
        opt_time(v.dispatched_at()),
        opt_time(v.signed_at()),
        if t.hide_due {
            Cell::Empty
        } else {
            Cell::Time(v.due_at())
        },
        opt_time(v.closed_at()),
        Cell::Text(v.status().into()),
        Cell::Int(v.extensions() as i64),
        Cell::Int(returns.len() as i64),
        if returns.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(returns.join("、"))
        },
        if closed {
            Cell::Text(t.resolved.into())
        } else {
            Cell::Empty
        },
        opt_time(callback.map(|c| c.0)),
        satisfaction,
        Cell::Text(
            if t.reopened && callback.is_some() {
                "是"
            } else {
                "否"
            }
            .into(),
        ),
        Cell::Text(if t.supervised { "是" } else { "否" }.into()),
    ]
}

/// Writes one extract, streaming, in one of the formats.
enum SheetWriter {
    Csv {
        out: BufWriter<File>,
        gbk: bool,
        line: Vec<u8>,
        path: PathBuf,
    },
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
        path: PathBuf,
        date: rust_xlsxwriter::Format,
    },
}

impl SheetWriter {
    fn create(path: &Path, format: Format, month: YearMonth) -> Result<SheetWriter> {
        match format {
            Format::Csv | Format::CsvGbk => {
                let f = File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                let mut out = BufWriter::with_capacity(1 << 20, f);
                if format == Format::Csv {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                Ok(SheetWriter::Csv {
                    out,
                    gbk: format == Format::CsvGbk,
                    line: Vec::new(),
                    path: path.into(),
                })
            }
            Format::Xlsx => {
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                // A fixed creation time keeps the bytes the same from run to run.
                let created = rust_xlsxwriter::ExcelDateTime::from_ymd(
                    month.year as u16,
                    month.month as u8,
                    1,
                )
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                book.set_properties(
                    &rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created),
                );
                let sheet = book
                    .add_worksheet_with_constant_memory()
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                sheet
                    .set_name("工单明细")
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                // Real exports often put a title above the header.
                sheet
                    .write_string(
                        0,
                        0,
                        format!(
                            "12345政务服务便民热线工单导出（{}年{}月）",
                            month.year, month.month
                        ),
                    )
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
                Ok(SheetWriter::Xlsx {
                    book,
                    row: 1,
                    path: path.into(),
                    date,
                })
            }
        }
    }

    fn header(&mut self, names: &[&str]) -> Result<()> {
        let cells: Vec<Cell> = names.iter().map(|n| Cell::Text(n.to_string())).collect();
        self.row(&cells, 0)
    }

    /// Writes one row; `seed` fixes each cell's presentation (date format, date cell or text).
    fn row(&mut self, cells: &[Cell], seed: u64) -> Result<()> {
        match self {
            SheetWriter::Csv {
                out,
                gbk,
                line,
                path,
            } => {
                line.clear();
                {
                    let mut w = csv::WriterBuilder::new()
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(&mut *line);
                    let fields: Vec<String> = cells
                        .iter()
                        .enumerate()
                        .map(|(col, c)| match c {
                            Cell::Empty => String::new(),
                            Cell::Text(s) => s.clone(),
                            Cell::Int(i) => i.to_string(),
                            Cell::Time(t) => {
                                if Rng::new(&[seed, col as u64]).chance(0.35) {
                                    t.format("%Y/%-m/%-d %-H:%M").to_string()
                                } else {
                                    t.format("%Y-%m-%d %H:%M:%S").to_string()
                                }
                            }
                        })
                        .collect();
                    w.write_record(&fields)?;
                    w.flush()?;
                }
                let res = if *gbk {
                    let text = std::str::from_utf8(line).context("generated text is UTF-8")?;
                    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
                    out.write_all(&bytes)
                } else {
                    out.write_all(line)
                };
                res.with_context(|| format!("cannot write {}", path.display()))
            }
            SheetWriter::Xlsx {
                book, row, date, ..
            } => {
                let sheet = book
                    .worksheet_from_index(0)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                for (col, c) in cells.iter().enumerate() {
                    let col = col as u16;
                    let r = match c {
                        Cell::Empty => Ok(&mut *sheet),
                        Cell::Text(s) => sheet.write_string(*row, col, s),
                        Cell::Int(i) => sheet.write_number(*row, col, *i as f64),
                        Cell::Time(t) => {
                            if Rng::new(&[seed, col as u64]).chance(0.2) {
                                sheet.write_string(
                                    *row,
                                    col,
                                    t.format("%Y-%m-%d %H:%M:%S").to_string(),
                                )
                            } else {
                                let dt = excel_datetime(*t)?;
                                sheet.write_datetime_with_format(*row, col, &dt, date)
                            }
                        }
                    };
                    r.map_err(|e| anyhow::anyhow!("{e}"))?;
                }
                *row += 1;
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            SheetWriter::Csv { mut out, path, .. } => out
                .flush()
                .with_context(|| format!("cannot write {}", path.display())),
            SheetWriter::Xlsx { mut book, path, .. } => book
                .save(&path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        }
    }
}

fn excel_datetime(t: NaiveDateTime) -> Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Timelike;
    rust_xlsxwriter::ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
        .map_err(|e| anyhow::anyhow!("{e}"))
}
