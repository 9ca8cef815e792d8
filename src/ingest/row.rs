//! One row of an extract → one validated, masked record, or one rejection with its reason.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

use super::headers::ColumnMap;
use super::parse;
use super::source::{CellRef, RawRow};
use crate::mask::{mask_text, MaskKey};
use crate::reference::Reference;

/// A row that passed every check, personal data already masked. Its text borrows from the
/// row and the reference data where it can: a load makes one of these for every row, and it
/// is copied into the Arrow batch at once, so a string of its own for each of some twenty
/// cells was only an allocation, a copy and a free more.
#[derive(Debug, Clone, Default)]
pub struct Record<'r> {
    /// Row number in the file.
    pub source_row: u64,
    /// 工单编号.
    pub ticket_id: Cow<'r, str>,
    /// 受理渠道.
    pub channel: Option<Cow<'r, str>>,
    /// 受理时间.
    pub accepted_at: NaiveDateTime,
    /// 诉求类型.
    pub appeal_type: Option<Cow<'r, str>>,
    /// 诉求标题, masked.
    pub title: Option<Cow<'r, str>>,
    /// 诉求内容, masked.
    pub content: Option<Cow<'r, str>>,
    /// 来电人, keyed hash.
    pub caller_hash: Option<Cow<'r, str>>,
    /// 联系电话, keyed hash.
    pub phone_hash: Option<Cow<'r, str>>,
    /// Region code.
    pub region_code: Cow<'r, str>,
    /// Region name.
    pub region_name: Cow<'r, str>,
    /// 乡镇街道.
    pub street: Option<Cow<'r, str>>,
    /// 事发地址, masked.
    pub address: Option<Cow<'r, str>>,
    /// 诉求分类 path.
    pub category: Option<Cow<'r, str>>,
    /// Its three levels.
    pub category_levels: [Option<Cow<'r, str>>; 3],
    /// 是否涉及行政执法.
    pub is_enforcement: Option<bool>,
    /// 执法领域, canonical name.
    pub enforcement_field: Option<Cow<'r, str>>,
    /// 是否管辖争议.
    pub is_dispute: Option<bool>,
    /// 承办单位.
    pub department: Option<Cow<'r, str>>,
    /// 协办单位.
    pub co_departments: Option<Cow<'r, str>>,
    /// 派单时间.
    pub dispatched_at: Option<NaiveDateTime>,
    /// 签收时间.
    pub signed_at: Option<NaiveDateTime>,
    /// 应办结时间.
    pub due_at: Option<NaiveDateTime>,
    /// 办结时间.
    pub closed_at: Option<NaiveDateTime>,
    /// 办理状态, canonical.
    pub status: Cow<'r, str>,
    /// 延期次数.
    pub extensions: Option<i32>,
    /// 退单次数.
    pub returns: Option<i32>,
    /// 退单单位, joined by 、.
    pub returned_by: Option<Cow<'r, str>>,
    /// 是否解决, canonical.
    pub resolved: Option<Cow<'r, str>>,
    /// 回访时间.
    pub callback_at: Option<NaiveDateTime>,
    /// 回访满意度, canonical.
    pub satisfaction: Option<Cow<'r, str>>,
    /// 回访满意度 as written.
    pub satisfaction_raw: Option<Cow<'r, str>>,
    /// 重办.
    pub reopened: Option<bool>,
    /// 是否督办.
    pub supervised: Option<bool>,
    /// The ticket's own update time.
    pub updated_at: Option<NaiveDateTime>,
    /// Digest of the content, see [`Record::state_hash`].
    pub state_hash: Cow<'r, str>,
}

impl Record<'_> {
    /// A digest of everything the row says about its ticket (provenance excluded): equal
    /// digests mean an unchanged ticket. SHA-256 (hardware-accelerated where the CPU has it),
    /// first 128 bits in hex; stable across releases, unlike a general-purpose hasher.
    pub fn state_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let [l1, l2, l3] = &self.category_levels;
        for v in [
            Some(self.ticket_id.as_ref()),
            self.channel.as_deref(),
            self.appeal_type.as_deref(),
            self.title.as_deref(),
            self.content.as_deref(),
            self.caller_hash.as_deref(),
            self.phone_hash.as_deref(),
            Some(self.region_code.as_ref()),
            self.street.as_deref(),
            self.address.as_deref(),
            self.category.as_deref(),
            l1.as_deref(),
            l2.as_deref(),
            l3.as_deref(),
            self.enforcement_field.as_deref(),
            self.department.as_deref(),
            self.co_departments.as_deref(),
            Some(self.status.as_ref()),
            self.returned_by.as_deref(),
            self.resolved.as_deref(),
            self.satisfaction_raw.as_deref(),
        ] {
            match v {
                Some(s) => {
                    h.update([1u8]);
                    h.update(s.as_bytes());
                }
                None => h.update([0u8]),
            }
            h.update([0x1Fu8]);
        }
        let times = [
            Some(self.accepted_at),
            self.dispatched_at,
            self.signed_at,
            self.due_at,
            self.closed_at,
            self.callback_at,
            self.updated_at,
        ];
        for t in times {
            let micros = t.map(|t| t.and_utc().timestamp_micros());
            h.update([u8::from(micros.is_some())]);
            h.update(micros.unwrap_or(0).to_le_bytes());
        }
        for i in [self.extensions, self.returns] {
            h.update([u8::from(i.is_some())]);
            h.update(i.unwrap_or(0).to_le_bytes());
        }
        for f in [
            self.is_enforcement,
            self.is_dispute,
            self.reopened,
            self.supervised,
        ] {
            h.update([match f {
                None => 0u8,
                Some(false) => 1,
                Some(true) => 2,
            }]);
        }
        crate::mask::hex_after("", &h.finalize()[..16])
    }
}

/// A rejected row: where and why.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// Row number in the file.
    pub row: u64,
    /// The file's header of the column at fault, if one is.
    pub column: Option<String>,
    /// What is wrong and what to do.
    pub reason: String,
    /// The row as JSON, personal data masked.
    pub values: String,
}

/// Turns rows into records under one file's column map.
pub struct RowParser<'a> {
    /// Where the columns are.
    pub map: &'a ColumnMap,
    /// Regions, fields, value spellings.
    pub reference: &'a Reference,
    /// The masking key.
    pub key: &'a MaskKey,
    /// Longest accepted text cell, in characters.
    pub max_text_chars: usize,
    /// Earliest plausible date.
    pub earliest: NaiveDate,
    /// Latest plausible moment for an event (now, plus a day of slack).
    pub latest: NaiveDateTime,
}

/// A check failed: (canonical field or none, message).
type Fail = (Option<&'static str>, String);

/// A row's handling times, checked against each other.
struct Times {
    dispatched_at: Option<NaiveDateTime>,
    signed_at: Option<NaiveDateTime>,
    due_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    callback_at: Option<NaiveDateTime>,
    updated_at: Option<NaiveDateTime>,
}

impl RowParser<'_> {
    /// Parses, checks and masks one row.
    pub fn parse<'r>(&'r self, raw: &'r RawRow) -> Result<Record<'r>, Rejection> {
        self.try_parse(raw).map_err(|(field, reason)| Rejection {
            row: raw.number,
            column: field.map(|f| self.map.header(f).to_string()),
            reason,
            values: self.masked_json(raw),
        })
    }

    fn cell<'r>(&self, raw: &'r RawRow, field: &str) -> CellRef<'r> {
        self.map
            .index(field)
            .and_then(|i| raw.get(i))
            .unwrap_or(CellRef::Empty)
    }

    fn text<'r>(&self, raw: &'r RawRow, field: &'static str) -> Result<Option<Cow<'r, str>>, Fail> {
        // Text cells (all of a CSV's) are borrowed, trimmed; only other cells are formatted.
        let s = match self.cell(raw, field) {
            CellRef::Empty => return Ok(None),
            CellRef::Text(t) => Cow::Borrowed(t.trim()),
            other => Cow::Owned(other.display().trim().to_string()),
        };
        if s.is_empty() {
            return Ok(None);
        }
        // Characters are at most bytes: count them only when the bytes exceed the limit.
        if s.len() > self.max_text_chars && s.chars().count() > self.max_text_chars {
            let n = s.chars().count();
            return Err((
                Some(field),
                format!(
                    "{} is {n} characters long, over the limit of {} ([ingest] max_text_chars); \
                     check the row for a broken export, or raise the limit",
                    self.map.header(field),
                    self.max_text_chars
                ),
            ));
        }
        Ok(Some(s))
    }

    fn time(&self, raw: &RawRow, field: &'static str) -> Result<Option<NaiveDateTime>, Fail> {
        let t = parse::timestamp_ref(self.cell(raw, field))
            .map_err(|e| (Some(field), format!("{}: {e}", self.map.header(field))))?;
        if let Some(t) = t {
            if t.date() < self.earliest {
                return Err((
                    Some(field),
                    format!(
                        "{}: {t} is before {} ([ingest] earliest_date); a typing error?",
                        self.map.header(field),
                        self.earliest
                    ),
                ));
            }
            if field != "due_at" && t > self.latest {
                return Err((
                    Some(field),
                    format!("{}: {t} is in the future", self.map.header(field)),
                ));
            }
        }
        Ok(t)
    }

    fn coded<'r>(
        &'r self,
        raw: &'r RawRow,
        field: &'static str,
        kind: &str,
    ) -> Result<Option<(&'r str, Cow<'r, str>)>, Fail> {
        let Some(s) = self.text(raw, field)? else {
            return Ok(None);
        };
        match self.reference.value(kind, &s) {
            Some(c) => Ok(Some((c, s))),
            None => {
                let mut known = self.reference.canonical_values(kind);
                known.sort();
                known.dedup();
                Err((
                    Some(field),
                    format!(
                        "{}: {s:?} is not a known value (known: {}); add the spelling to values.csv if it is valid",
                        self.map.header(field),
                        known.join("、")
                    ),
                ))
            }
        }
    }

    fn flag(&self, raw: &RawRow, field: &'static str) -> Result<Option<bool>, Fail> {
        if let CellRef::Bool(b) = self.cell(raw, field) {
            return Ok(Some(b));
        }
        Ok(self.coded(raw, field, "bool")?.map(|(c, _)| c == "true"))
    }

    /// Refuses a row with more filled cells than the header (an unquoted comma or line
    /// break), or with half of them or fewer (cut short).
    fn check_width(&self, raw: &RawRow) -> Result<(), Fail> {
        if let Some(e) = &raw.decode_error {
            return Err((None, e.clone()));
        }
        if raw.len() > self.map.width
            && (self.map.width..raw.len()).any(|i| raw.get(i).is_some_and(|c| !c.is_blank()))
        {
            return Err((None, format!(
                "the row has {} cells but the header has {}; a value probably holds an unquoted comma or line break",
                raw.len(), self.map.width
            )));
        }
        if raw.len() < self.map.width && raw.len() <= self.map.width / 2 {
            return Err((
                None,
                format!(
                    "the row has only {} cells but the header has {}; the row looks cut short",
                    raw.len(),
                    self.map.width
                ),
            ));
        }
        Ok(())
    }

    /// The 工单编号: present, at most 64 characters, no control characters.
    fn ticket_id<'r>(&self, raw: &'r RawRow) -> Result<Cow<'r, str>, Fail> {
        let ticket_id = self.text(raw, "ticket_id")?.ok_or((
            Some("ticket_id"),
            "工单编号 is empty; every row needs its ticket number".to_string(),
        ))?;
        if ticket_id.chars().count() > 64 || ticket_id.chars().any(char::is_control) {
            return Err((
                Some("ticket_id"),
                format!(
                    "工单编号 {:?} is not a ticket number (too long or holds control characters)",
                    truncate(&ticket_id, 40)
                ),
            ));
        }
        Ok(ticket_id)
    }

    /// The reference region the row names.
    fn region(&self, raw: &RawRow) -> Result<&crate::reference::Region, Fail> {
        let region_text = self.text(raw, "region")?.ok_or((
            Some("region"),
            format!("{} is empty", self.map.header("region")),
        ))?;
        self.reference.region(&region_text).ok_or_else(|| {
            (Some("region"), format!(
                "{}: {region_text:?} is not a known region (known: {}); add it as an alias in regions.csv if it is one",
                self.map.header("region"),
                self.reference.regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("、")
            ))
        })
    }

    /// The handling times, each after the one it follows (accepted → dispatched → signed,
    /// accepted → closed → called back, accepted → due), and a closing time for a closed one.
    fn times(&self, raw: &RawRow, accepted_at: NaiveDateTime, status: &str) -> Result<Times, Fail> {
        let times = Times {
            dispatched_at: self.time(raw, "dispatched_at")?,
            signed_at: self.time(raw, "signed_at")?,
            due_at: self.time(raw, "due_at")?,
            closed_at: self.time(raw, "closed_at")?,
            callback_at: self.time(raw, "callback_at")?,
            updated_at: self.time(raw, "updated_at")?,
        };
        let order = |a: Option<NaiveDateTime>,
                     fa: &'static str,
                     b: Option<NaiveDateTime>,
                     fb: &'static str|
         -> Result<(), Fail> {
            match (a, b) {
                (Some(x), Some(y)) if y < x => Err((
                    Some(fb),
                    format!(
                        "{} {y} is before {} {x}; one of them is wrong",
                        self.map.header(fb),
                        self.map.header(fa)
                    ),
                )),
                _ => Ok(()),
            }
        };
        let accepted = Some(accepted_at);
        order(
            accepted,
            "accepted_at",
            times.dispatched_at,
            "dispatched_at",
        )?;
        order(
            times.dispatched_at,
            "dispatched_at",
            times.signed_at,
            "signed_at",
        )?;
        order(accepted, "accepted_at", times.closed_at, "closed_at")?;
        order(accepted, "accepted_at", times.due_at, "due_at")?;
        order(
            times.closed_at,
            "closed_at",
            times.callback_at,
            "callback_at",
        )?;
        if status == "已办结" && times.closed_at.is_none() {
            return Err((
                Some("closed_at"),
                format!(
                    "办理状态 is 已办结 but {} is empty",
                    self.map.header("closed_at")
                ),
            ));
        }
        Ok(times)
    }

    /// The 执法领域 the extract gives, as the reference names it.
    fn enforcement_field<'r>(&'r self, raw: &RawRow) -> Result<Option<Cow<'r, str>>, Fail> {
        let Some(f) = self.text(raw, "enforcement_field")? else {
            return Ok(None);
        };
        let field = self.reference.field(&f).ok_or_else(|| (Some("enforcement_field"), format!(
            "{}: {f:?} is not a known enforcement field (known: {}); add it as an alias in fields.csv",
            self.map.header("enforcement_field"),
            self.reference.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join("、")
        )))?;
        Ok(Some(Cow::Borrowed(field.name.as_str())))
    }

    fn try_parse<'r>(&'r self, raw: &'r RawRow) -> Result<Record<'r>, Fail> {
        self.check_width(raw)?;
        let ticket_id = self.ticket_id(raw)?;
        let accepted_at = self.time(raw, "accepted_at")?.ok_or((
            Some("accepted_at"),
            format!(
                "{} is empty; every appeal has an acceptance time",
                self.map.header("accepted_at")
            ),
        ))?;
        let region = self.region(raw)?;
        let known_name = self.text(raw, "caller_name")?;
        // Masked text borrows the row's cell when there was nothing to mask.
        let mask = |s: Option<Cow<'r, str>>| {
            s.map(|t| match t {
                Cow::Borrowed(b) => mask_text(b, known_name.as_deref()),
                Cow::Owned(o) => match mask_text(&o, known_name.as_deref()) {
                    Cow::Borrowed(_) => Cow::Owned(o),
                    Cow::Owned(masked) => Cow::Owned(masked),
                },
            })
        };
        let title = mask(self.text(raw, "title")?);
        let content = mask(self.text(raw, "content")?);
        if title.is_none() && content.is_none() {
            return Err((
                Some("content"),
                "诉求内容 and 诉求标题 are both empty".into(),
            ));
        }
        let status = self.coded(raw, "status", "status")?.map(|c| c.0).ok_or((
            Some("status"),
            format!("{} is empty", self.map.header("status")),
        ))?;

        let times = self.times(raw, accepted_at, status)?;

        let count = |field: &'static str| {
            parse::count(self.cell(raw, field))
                .map_err(|e| (Some(field), format!("{}: {e}", self.map.header(field))))
        };
        let satisfaction = self.coded(raw, "satisfaction", "satisfaction")?;
        let enforcement_field = self.enforcement_field(raw)?;
        let (category, [l1, l2, l3]) = self.category(raw)?;
        let category_levels = [l1.map(Cow::Owned), l2.map(Cow::Owned), l3.map(Cow::Owned)];

        let mut record = Record {
            source_row: raw.number,
            ticket_id,
            channel: self.text(raw, "channel")?,
            accepted_at,
            appeal_type: self.text(raw, "appeal_type")?,
            title,
            content,
            caller_hash: known_name
                .as_deref()
                .and_then(|n| self.key.hash_name(n))
                .map(Cow::Owned),
            phone_hash: self
                .text(raw, "caller_phone")?
                .and_then(|p| self.key.hash_phone(&p))
                .map(Cow::Owned),
            region_code: Cow::Borrowed(&region.code),
            region_name: Cow::Borrowed(&region.name),
            street: self.text(raw, "street")?,
            address: mask(self.text(raw, "address")?),
            category: category.map(Cow::Owned),
            category_levels,
            is_enforcement: self.flag(raw, "is_enforcement")?,
            enforcement_field,
            is_dispute: self.flag(raw, "is_dispute")?,
            department: self.text(raw, "department")?,
            co_departments: self
                .text(raw, "co_departments")?
                .map(|s| Cow::Owned(join_units(&s))),
            dispatched_at: times.dispatched_at,
            signed_at: times.signed_at,
            due_at: times.due_at,
            closed_at: times.closed_at,
            status: Cow::Borrowed(status),
            extensions: count("extensions")?,
            returns: count("returns")?,
            returned_by: self
                .text(raw, "returned_by")?
                .map(|s| Cow::Owned(join_units(&s))),
            resolved: self
                .coded(raw, "resolved", "resolved")?
                .map(|c| Cow::Borrowed(c.0)),
            callback_at: times.callback_at,
            satisfaction: satisfaction.as_ref().map(|c| Cow::Borrowed(c.0)),
            satisfaction_raw: satisfaction.map(|c| c.1),
            reopened: self.flag(raw, "reopened")?,
            supervised: self.flag(raw, "supervised")?,
            updated_at: times.updated_at,
            state_hash: Cow::Borrowed(""),
        };
        record.state_hash = Cow::Owned(record.state_hash());
        Ok(record)
    }

    /// The category path, from one joined column or from level columns.
    fn category(&self, raw: &RawRow) -> Result<(Option<String>, [Option<String>; 3]), Fail> {
        let levels: Vec<String> = match self.text(raw, "category")? {
            Some(path) => path
                .split(['/', '／', '>', '＞', '\\'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            None => ["category_l1", "category_l2", "category_l3"]
                .into_iter()
                .map(|f| self.text(raw, f))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .map(Cow::into_owned)
                .collect(),
        };
        if levels.is_empty() {
            return Ok((None, [None, None, None]));
        }
        let mut l = levels.iter().cloned().map(Some);
        let out = [l.next().flatten(), l.next().flatten(), l.next().flatten()];
        Ok((Some(levels.join("/")), out))
    }

    /// The row's cells as a JSON object under the file's headers, with personal data masked:
    /// rejected rows are kept for the clerk without breaking confidentiality.
    fn masked_json(&self, raw: &RawRow) -> String {
        let mut headers: Vec<(usize, &str, &str)> = self
            .map
            .columns
            .iter()
            .map(|(f, (i, h))| (*i, f.as_str(), h.as_str()))
            .collect();
        headers.sort();
        let name = self
            .map
            .index("caller_name")
            .and_then(|i| raw.get(i))
            .map(|c| c.display().into_owned());
        let mut obj = serde_json::Map::new();
        for (i, field, header) in headers {
            let v = raw
                .get(i)
                .map(|c| c.display().into_owned())
                .unwrap_or_default();
            let v = match field {
                "caller_name" => self.key.hash_name(v.trim()).unwrap_or_default(),
                "caller_phone" => self.key.hash_phone(&v).unwrap_or_default(),
                _ => mask_text(&truncate(&v, 500), name.as_deref()).into_owned(),
            };
            obj.insert(header.to_string(), serde_json::Value::String(v));
        }
        if raw.len() > self.map.width {
            let extra: Vec<String> = (self.map.width..raw.len())
                .filter_map(|i| raw.get(i))
                .map(|c| mask_text(&truncate(&c.display(), 200), None).into_owned())
                .collect();
            obj.insert(
                "(extra cells)".into(),
                serde_json::Value::String(extra.join(" | ")),
            );
        }
        serde_json::Value::Object(obj).to_string()
    }
}

/// Lists of units written with any separator become one list joined by 、.
fn join_units(s: &str) -> String {
    s.split(['、', ';', '；', ',', '，', '|'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
