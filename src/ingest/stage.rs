//! Records → Arrow batches in the layout of the `appeals` table (sql/warehouse/schema.sql).
//!
//! Arrow is the fast path into DuckDB: one column at a time instead of one value at a time.
//! The rows go straight into `appeals` inside the load's transaction, stamped with the load's
//! id; sql/load/classify.sql then decides which of them stay (see ingest/mod.rs).

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use duckdb::arrow::array::{
    ArrayRef, BooleanBuilder, Int32Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;

use super::row::Record;

/// What every row of one load carries besides its own values.
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    /// The load's id in the ledger.
    pub load_id: i32,
    /// The extract's moment, when known before reading: the state time of rows without an
    /// update time of their own. When `None` such rows get their accepted time for now, and
    /// the load sets the real moment once the file has been read.
    pub as_of: Option<NaiveDateTime>,
}

/// Column builders in the order of `appeals`.
pub struct Batch {
    stamp: Stamp,
    ids: Vec<Int32Builder>,
    text: Vec<StringBuilder>,
    times: Vec<TimestampMicrosecondBuilder>,
    ints: Vec<Int32Builder>,
    flags: Vec<BooleanBuilder>,
    len: usize,
}

/// The columns of `appeals`, in order, and their kind.
const COLUMNS: &[(&str, Kind)] = &[
    ("ticket_id", Kind::Text(0)),
    ("channel", Kind::Text(1)),
    ("accepted_at", Kind::Time(0)),
    ("appeal_type", Kind::Text(2)),
    ("title", Kind::Text(3)),
    ("content", Kind::Text(4)),
    ("caller_hash", Kind::Text(5)),
    ("phone_hash", Kind::Text(6)),
    ("region_code", Kind::Text(7)),
    ("region_name", Kind::Text(8)),
    ("street", Kind::Text(9)),
    ("address", Kind::Text(10)),
    ("category", Kind::Text(11)),
    ("category_l1", Kind::Text(12)),
    ("category_l2", Kind::Text(13)),
    ("category_l3", Kind::Text(14)),
    ("is_enforcement", Kind::Flag(0)),
    ("enforcement_field", Kind::Text(15)),
    ("is_dispute", Kind::Flag(1)),
    ("department", Kind::Text(16)),
    ("co_departments", Kind::Text(17)),
    ("dispatched_at", Kind::Time(1)),
    ("signed_at", Kind::Time(2)),
    ("due_at", Kind::Time(3)),
    ("closed_at", Kind::Time(4)),
    ("status", Kind::Text(18)),
    ("extensions", Kind::Int(0)),
    ("returns", Kind::Int(1)),
    ("returned_by", Kind::Text(19)),
    ("resolved", Kind::Text(20)),
    ("callback_at", Kind::Time(5)),
    ("satisfaction", Kind::Text(21)),
    ("satisfaction_raw", Kind::Text(22)),
    ("reopened", Kind::Flag(2)),
    ("supervised", Kind::Flag(3)),
    ("updated_at", Kind::Time(6)),
    ("state_at", Kind::Time(7)),
    ("state_hash", Kind::Text(23)),
    ("load_id", Kind::Id(0)),
    ("source_row", Kind::Id(1)),
];

#[derive(Clone, Copy)]
enum Kind {
    Id(usize),
    Text(usize),
    Time(usize),
    Int(usize),
    Flag(usize),
}

fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

impl Batch {
    /// Empty builders sized for `rows` rows of the load `stamp` describes.
    pub fn with_capacity(rows: usize, stamp: Stamp) -> Batch {
        Batch {
            stamp,
            ids: (0..2).map(|_| Int32Builder::with_capacity(rows)).collect(),
            text: (0..24)
                .map(|_| StringBuilder::with_capacity(rows, rows * 16))
                .collect(),
            times: (0..8)
                .map(|_| TimestampMicrosecondBuilder::with_capacity(rows))
                .collect(),
            ints: (0..2).map(|_| Int32Builder::with_capacity(rows)).collect(),
            flags: (0..4)
                .map(|_| BooleanBuilder::with_capacity(rows))
                .collect(),
            len: 0,
        }
    }

    /// Whether no rows are held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds one record.
    ///
    /// # Errors
    /// When the row number does not fit the table's `source_row` (a file of over 2^31 lines).
    pub fn push(&mut self, r: Record<'_>) -> Result<()> {
        let row = i32::try_from(r.source_row).with_context(|| {
            format!(
                "row {} is past the 2 147 483 647 lines one file may have; split the file",
                r.source_row
            )
        })?;
        self.ids[0].append_value(self.stamp.load_id);
        self.ids[1].append_value(row);
        let state_at = r.updated_at.or(self.stamp.as_of).unwrap_or(r.accepted_at);
        let [l1, l2, l3] = r.category_levels;
        let texts: [Option<std::borrow::Cow<'_, str>>; 24] = [
            Some(r.ticket_id),
            r.channel,
            r.appeal_type,
            r.title,
            r.content,
            r.caller_hash,
            r.phone_hash,
            Some(r.region_code),
            Some(r.region_name),
            r.street,
            r.address,
            r.category,
            l1,
            l2,
            l3,
            r.enforcement_field,
            r.department,
            r.co_departments,
            Some(r.status),
            r.returned_by,
            r.resolved,
            r.satisfaction,
            r.satisfaction_raw,
            Some(r.state_hash),
        ];
        for (b, v) in self.text.iter_mut().zip(texts) {
            b.append_option(v.as_deref());
        }
        let times = [
            Some(r.accepted_at),
            r.dispatched_at,
            r.signed_at,
            r.due_at,
            r.closed_at,
            r.callback_at,
            r.updated_at,
            Some(state_at),
        ];
        for (b, v) in self.times.iter_mut().zip(times) {
            b.append_option(v.map(micros));
        }
        self.ints[0].append_option(r.extensions);
        self.ints[1].append_option(r.returns);
        for (b, v) in
            self.flags
                .iter_mut()
                .zip([r.is_enforcement, r.is_dispute, r.reopened, r.supervised])
        {
            b.append_option(v);
        }
        self.len += 1;
        Ok(())
    }

    /// Builds the batch and resets the builders.
    pub fn finish(&mut self) -> Result<RecordBatch> {
        let mut fields = Vec::with_capacity(COLUMNS.len());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(COLUMNS.len());
        for (name, kind) in COLUMNS {
            let (dt, array): (DataType, ArrayRef) = match *kind {
                Kind::Id(i) => (DataType::Int32, Arc::new(self.ids[i].finish())),
                Kind::Text(i) => (DataType::Utf8, Arc::new(self.text[i].finish())),
                Kind::Time(i) => (
                    DataType::Timestamp(TimeUnit::Microsecond, None),
                    Arc::new(self.times[i].finish()),
                ),
                Kind::Int(i) => (DataType::Int32, Arc::new(self.ints[i].finish())),
                Kind::Flag(i) => (DataType::Boolean, Arc::new(self.flags[i].finish())),
            };
            fields.push(Field::new(*name, dt, true));
            arrays.push(array);
        }
        self.len = 0;
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .context("building an Arrow batch")
    }
}

/// The batch with another load id: a file read ahead was expected as the next load, but the
/// load before it was refused and took no id.
///
/// # Errors
/// When the batch does not have the layout of `appeals`.
pub fn with_load_id(batch: &RecordBatch, load_id: i32) -> Result<RecordBatch> {
    let i = batch
        .schema()
        .index_of("load_id")
        .context("a batch without a load_id column")?;
    let mut columns = batch.columns().to_vec();
    columns[i] = Arc::new(duckdb::arrow::array::Int32Array::from(vec![
        load_id;
        batch.num_rows()
    ]));
    RecordBatch::try_new(batch.schema(), columns).context("restamping an Arrow batch")
}
