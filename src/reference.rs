//! Reference data (参考数据): regions, enforcement fields, departments, holiday calendars,
//! header aliases and value spellings.
//!
//! They are CSV files a clerk can edit (`data/reference/` in the source, built in), or a
//! workspace's own folder set by `[paths] reference`. Everything that is knowledge about the
//! city rather than about the program lives here, not in code.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The built-in reference files, by file name.
const BUILT_IN: &[(&str, &str)] = &[
    ("regions.csv", include_str!("../data/reference/regions.csv")),
    ("fields.csv", include_str!("../data/reference/fields.csv")),
    (
        "departments.csv",
        include_str!("../data/reference/departments.csv"),
    ),
    (
        "holidays.csv",
        include_str!("../data/reference/holidays.csv"),
    ),
    ("headers.csv", include_str!("../data/reference/headers.csv")),
    ("values.csv", include_str!("../data/reference/values.csv")),
];

/// One administrative division or functional zone (区县).
#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    /// Six-digit division code, e.g. 370812.
    pub code: String,
    /// Official short name, e.g. 兖州区.
    pub name: String,
    /// 区, 县, 县级市 or 功能区.
    pub kind: String,
    /// Whether it is one of the pilot units.
    pub is_pilot: bool,
    /// 2023 population in ten thousands (none for functional zones).
    pub population_10k: Option<f64>,
    /// Other spellings seen in extracts, separated by `|`.
    pub aliases: String,
}

/// One enforcement field (执法领域).
#[derive(Debug, Clone, Deserialize)]
pub struct Field {
    /// Stable ASCII code, e.g. `market`.
    pub code: String,
    /// Name used in reports, e.g. 市场监管.
    pub name: String,
    /// Suffix of a county's department of this field, e.g. 市场监督管理局.
    pub department_suffix: String,
    /// Other spellings, separated by `|`.
    pub aliases: String,
    /// Words in an appeal's text that point to this field, separated by `|`.
    pub keywords: String,
}

/// One enforcement department of a region.
#[derive(Debug, Clone, Deserialize)]
pub struct Department {
    /// Code of its region.
    pub region_code: String,
    /// Code of its field.
    pub field_code: String,
    /// Full name, e.g. 兖州区市场监督管理局.
    pub name: String,
    /// Other spellings, separated by `|`.
    pub aliases: String,
}

/// One row of the holiday calendar.
#[derive(Debug, Clone, Deserialize)]
pub struct Holiday {
    /// The day.
    pub date: NaiveDate,
    /// `holiday` (a day off) or `workday` (a weekend day worked, 调休).
    pub kind: String,
    /// The festival it belongs to.
    pub name: String,
}

/// One canonical extract column and the headers that mean it.
#[derive(Debug, Clone, Deserialize)]
pub struct HeaderSpec {
    /// Canonical column name, e.g. `accepted_at`.
    pub field: String,
    /// Whether a file without this column is refused.
    pub required: bool,
    /// How values are parsed: text, timestamp, count, bool, status, resolved, satisfaction,
    /// personal.
    pub kind: String,
    /// Header spellings, separated by `|`.
    pub aliases: String,
    /// Chinese description, used in messages and the data dictionary.
    pub description: String,
}

/// One accepted spelling of a coded value.
#[derive(Debug, Clone, Deserialize)]
pub struct ValueSpelling {
    /// Which kind of value: status, resolved, satisfaction, bool.
    pub kind: String,
    /// The spelling seen in extracts.
    pub raw: String,
    /// What it means.
    pub canonical: String,
}

/// All reference data, with lookups.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Where it was read from (`None`: built in).
    pub source: Option<PathBuf>,
    /// Regions in file order.
    pub regions: Vec<Region>,
    /// Enforcement fields in file order.
    pub fields: Vec<Field>,
    /// Departments in file order.
    pub departments: Vec<Department>,
    /// Holiday calendar rows.
    pub holidays: Vec<Holiday>,
    /// Extract columns and their header aliases.
    pub headers: Vec<HeaderSpec>,
    /// Accepted spellings of coded values.
    pub values: Vec<ValueSpelling>,
    // The indexes are looked up for every cell of every row: Fx hashing, not SipHash (the
    // keys are our own reference data, so there is nothing to defend against).
    region_index: FxHashMap<String, usize>,
    field_index: FxHashMap<String, usize>,
    /// kind → spelling (normalised) → canonical value.
    value_index: FxHashMap<String, FxHashMap<String, String>>,
    calendar: HashMap<NaiveDate, bool>,
}

impl Reference {
    /// The built-in reference data.
    ///
    /// # Errors
    /// Never in a released build (the files are tested); kept fallible for symmetry.
    pub fn built_in() -> Result<Reference> {
        Self::build(None, |name| {
            BUILT_IN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .context("missing built-in reference file")
        })
    }

    /// Reads reference data from a folder; files missing there fall back to the built-in ones.
    ///
    /// # Errors
    /// When a file cannot be read or has a bad row (the message names file and row).
    pub fn from_dir(dir: &Path) -> Result<Reference> {
        if !dir.is_dir() {
            bail!(
                "the reference folder {} does not exist; fix [paths] reference in rexian.toml \
                 (empty means the built-in reference data)",
                dir.display()
            );
        }
        Self::build(Some(dir.to_path_buf()), |name| {
            let p = dir.join(name);
            if p.exists() {
                std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))
            } else {
                Ok(BUILT_IN
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default())
            }
        })
    }

    /// Reads from `dir` when given, else the built-in data.
    ///
    /// # Errors
    /// As [`Reference::from_dir`].
    pub fn load(dir: Option<&Path>) -> Result<Reference> {
        match dir {
            Some(d) => Self::from_dir(d),
            None => Self::built_in(),
        }
    }

    fn build(source: Option<PathBuf>, read: impl Fn(&str) -> Result<String>) -> Result<Reference> {
        let regions: Vec<Region> = parse_csv("regions.csv", &read("regions.csv")?)?;
        let fields: Vec<Field> = parse_csv("fields.csv", &read("fields.csv")?)?;
        let departments: Vec<Department> = parse_csv("departments.csv", &read("departments.csv")?)?;
        let holidays: Vec<Holiday> = parse_csv("holidays.csv", &read("holidays.csv")?)?;
        let headers: Vec<HeaderSpec> = parse_csv("headers.csv", &read("headers.csv")?)?;
        let values: Vec<ValueSpelling> = parse_csv("values.csv", &read("values.csv")?)?;

        let mut region_index = FxHashMap::default();
        for (i, r) in regions.iter().enumerate() {
            for key in [r.code.as_str(), r.name.as_str()]
                .into_iter()
                .chain(split_aliases(&r.aliases))
            {
                if let Some(j) = region_index.insert(normalize_key(key), i) {
                    if j != i {
                        bail!(
                            "regions.csv: {key:?} names both {} and {}",
                            regions[j].name,
                            r.name
                        );
                    }
                }
            }
        }
        let mut field_index = FxHashMap::default();
        for (i, f) in fields.iter().enumerate() {
            for key in [f.code.as_str(), f.name.as_str()]
                .into_iter()
                .chain(split_aliases(&f.aliases))
            {
                field_index.insert(normalize_key(key), i);
            }
        }
        for d in &departments {
            if !regions.iter().any(|r| r.code == d.region_code) {
                bail!(
                    "departments.csv: {} has unknown region code {}",
                    d.name,
                    d.region_code
                );
            }
            if !fields.iter().any(|f| f.code == d.field_code) {
                bail!(
                    "departments.csv: {} has unknown field code {}",
                    d.name,
                    d.field_code
                );
            }
        }
        let mut value_index: FxHashMap<String, FxHashMap<String, String>> = FxHashMap::default();
        for v in &values {
            value_index
                .entry(v.kind.clone())
                .or_default()
                .insert(normalize_key(&v.raw), v.canonical.clone());
        }
        let mut calendar = HashMap::new();
        for h in &holidays {
            match h.kind.as_str() {
                "holiday" => calendar.insert(h.date, false),
                "workday" => calendar.insert(h.date, true),
                other => bail!(
                    "holidays.csv: {} has kind {other:?}; use holiday or workday",
                    h.date
                ),
            };
        }
        Ok(Reference {
            source,
            regions,
            fields,
            departments,
            holidays,
            headers,
            values,
            region_index,
            field_index,
            value_index,
            calendar,
        })
    }

    /// Finds a region by code, name or alias (spaces and width ignored).
    pub fn region(&self, key: &str) -> Option<&Region> {
        // Most cells already hold a canonical spelling: try it before normalising.
        self.region_index
            .get(key)
            .or_else(|| self.region_index.get(&normalize_key(key)))
            .map(|&i| &self.regions[i])
    }

    /// Finds a field by code, name or alias.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.field_index
            .get(key)
            .or_else(|| self.field_index.get(&normalize_key(key)))
            .map(|&i| &self.fields[i])
    }

    /// The canonical spelling of a coded value of `kind`, if the spelling is known.
    pub fn value(&self, kind: &str, raw: &str) -> Option<&str> {
        let spellings = self.value_index.get(kind)?;
        spellings
            .get(raw)
            .or_else(|| spellings.get(&normalize_key(raw)))
            .map(String::as_str)
    }

    /// The known canonical values of `kind`, for error messages.
    pub fn canonical_values(&self, kind: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .values
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.canonical.as_str())
            .collect();
        v.dedup();
        v
    }

    /// The department of a region for a field.
    pub fn department(&self, region_code: &str, field_code: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.region_code == region_code && d.field_code == field_code)
    }

    /// Whether a day is a working day under the official calendar (调休 included).
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        match self.calendar.get(&date) {
            Some(&w) => w,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`th working day after `date` (n ≥ 1).
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_workday(d) {
                left -= 1;
            }
        }
        d
    }

    /// First and last year the holiday calendar covers.
    pub fn calendar_years(&self) -> Option<(i32, i32)> {
        let min = self.holidays.iter().map(|h| h.date.year()).min()?;
        let max = self.holidays.iter().map(|h| h.date.year()).max()?;
        Some((min, max))
    }
}

/// Splits an alias list written as `a|b|c`.
pub fn split_aliases(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|a| !a.is_empty())
}

/// The key under which names are compared: no spaces, half-width, lower case, and the
/// brackets extracts use around qualifiers made uniform.
pub fn normalize_key(s: &str) -> String {
    fold(s)
        .chars()
        .filter_map(|c| {
            let c = match c {
                '【' | '〔' => '(',
                '】' | '〕' => ')',
                _ => c,
            };
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// A value as a parser should read it: compatibility forms folded (NFKC: full-width digits,
/// letters and punctuation to ASCII, the ideographic space to a space) and invisible format
/// characters (zero-width spaces and joiners, byte-order marks) dropped. Exports carry them
/// (`２０２４－０３－０５　０８：０５`, a header with a zero-width space) and they must not
/// make a value unreadable. Plain ASCII, most cells, is returned as it is.
pub fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.nfkc()
            .filter(
                |c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'),
            )
            .collect(),
    )
}

fn parse_csv<T: DeserializeOwned>(name: &str, text: &str) -> Result<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.deserialize().enumerate() {
        out.push(rec.with_context(|| format!("reference file {name}, row {}: bad value", i + 2))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_reference_is_complete() {
        let r = Reference::built_in().unwrap();
        assert_eq!(r.regions.len(), 14);
        assert_eq!(r.regions.iter().filter(|r| r.is_pilot).count(), 6);
        assert_eq!(r.fields.len(), 13);
        assert_eq!(r.departments.len(), 14 * 13);
        assert_eq!(r.region("高新区").unwrap().code, "370871");
        assert_eq!(r.region("济宁高新区").unwrap().name, "高新区");
        assert_eq!(r.region(" 370812 ").unwrap().name, "兖州区");
        assert_eq!(r.field("城管").unwrap().code, "urban");
        assert_eq!(r.value("satisfaction", "非常满意"), Some("满意"));
        assert_eq!(r.calendar_years(), Some((2022, 2025)));
    }

    #[test]
    fn working_days_follow_the_official_calendar() {
        let r = Reference::built_in().unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2024-02-04 (Sunday) and 2024-02-18 (Sunday) were 调休 working days.
        assert!(r.is_workday(d("2024-02-04")));
        assert!(!r.is_workday(d("2024-02-12")));
        // Dispatched Thursday 2024-02-08; 10–17 Feb is the Spring Festival, the 18th is worked.
        assert_eq!(r.add_workdays(d("2024-02-08"), 1), d("2024-02-09"));
        assert_eq!(r.add_workdays(d("2024-02-08"), 2), d("2024-02-18"));
        assert_eq!(r.add_workdays(d("2024-02-08"), 5), d("2024-02-21"));
    }

    #[test]
    fn a_workspace_folder_overrides_single_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("regions.csv"),
            "code,name,kind,is_pilot,population_10k,aliases\n370811,任城区,区,false,150,老城区\n",
        )
        .unwrap();
        // Departments must name known regions: a folder that trims regions trims them too.
        let e = Reference::from_dir(dir.path()).unwrap_err();
        assert!(e.to_string().contains("unknown region code 370812"), "{e}");
        std::fs::write(
            dir.path().join("departments.csv"),
            "region_code,field_code,name,aliases\n370811,market,任城区市场监督管理局,\n",
        )
        .unwrap();
        let r = Reference::from_dir(dir.path()).unwrap();
        assert_eq!(r.regions.len(), 1);
        assert_eq!(r.region("老城区").unwrap().name, "任城区");
        assert_eq!(r.fields.len(), 13, "files not in the folder stay built in");
        let e = Reference::from_dir(&dir.path().join("missing")).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
    }

    #[test]
    fn keys_ignore_width_and_spaces() {
        assert_eq!(normalize_key(" 受理时间（来电） "), "受理时间(来电)");
        assert_eq!(normalize_key("ＡＢＣ　1"), "abc1");
        // A zero-width space and a no-break space, as web exports leave them.
        assert_eq!(normalize_key("受理\u{200B}时间\u{00A0}"), "受理时间");
        assert_eq!(normalize_key("\u{FEFF}工单编号"), "工单编号");
    }
}
