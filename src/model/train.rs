//! `rexian model train`: fits the classifier on the warehouse's labelled rows. The last
//! months of the labelled history are kept out of the training (the last one, or the last two
//! once there are six or more months), and the figures are measured on them: the model is
//! judged on months it has never seen, as it will be used.

use anyhow::{bail, Context, Result};
use duckdb::Connection;
use sha2::{Digest, Sha256};

use super::features::{self, Appeal, Text};
use super::{weight, Class, ClassFigures, Figures, Header, Model, Scratch, Training};
use crate::evaluate::grading::ScopeRow;
use crate::reference::Reference;
use crate::sql;

/// Hash buckets per class: 2^17 (about 7 MB of weights for 14 classes).
const BUCKETS: u32 = 1 << 17;

/// Passes over the training rows: at least this many…
const MIN_EPOCHS: u32 = 4;

/// …and more for few rows, up to this many, so that a small office's history is seen about
/// [`UPDATES`] times in all.
const MAX_EPOCHS: u32 = 40;

/// The number of row updates a training aims at.
const UPDATES: usize = 400_000;

/// The passes over `rows` training rows.
fn epochs(rows: usize) -> u32 {
    u32::try_from(UPDATES.div_ceil(rows.max(1)))
        .map_or(MAX_EPOCHS, |e| e.clamp(MIN_EPOCHS, MAX_EPOCHS))
}

/// At most this many rows are read (a deterministic sample beyond): more rows teach a linear
/// model little and cost time.
const MAX_ROWS: usize = 240_000;

/// The learning rate at the start; it falls as the passes go on.
const LEARNING_RATE: f64 = 0.5;

/// One labelled appeal.
struct Row {
    month: String,
    appeal: Appeal,
    class: usize,
}

/// What the training needs to know of the workspace.
pub struct Settings {
    /// Fewer training rows than this: refuse, and the rules keep deciding.
    pub min_rows: usize,
    /// The confidence the refresh asks of the model, for the coverage figure.
    pub min_confidence: f64,
}

/// Trains a model on the labelled rows of the warehouse open on `conn`.
///
/// # Errors
/// When there are too few labelled rows or months (the message says how many there are and
/// that the rules keep deciding), or the warehouse cannot be read.
pub fn train(conn: &Connection, reference: &Reference, settings: &Settings) -> Result<Model> {
    let classes: Vec<Class> = std::iter::once(Class {
        code: String::new(),
        name: "非行政执法".into(),
    })
    .chain(reference.fields.iter().map(|f| Class {
        code: f.code.clone(),
        name: f.name.clone(),
    }))
    .collect();
    let months = labelled_months(conn)?;
    let labelled: usize = months.iter().map(|m| m.1).sum();
    let unknown: usize = months.iter().map(|m| m.2).sum();
    let with_rows: Vec<&String> = months.iter().filter(|m| m.1 > 0).map(|m| &m.0).collect();
    let keep_out = if with_rows.len() >= 6 { 2 } else { 1 };
    if with_rows.len() < 2 {
        bail!(
            "too few labelled rows to train: {labelled} appeal(s) whose extract gives 是否涉及行政执法 \
             and 执法领域, in {} month(s); the model is trained on some months and measured on \
             a later one, so at least two months are needed. The rules keep deciding",
            with_rows.len()
        );
    }
    let (train_months, held_out) = with_rows.split_at(with_rows.len() - keep_out);
    let train_rows: usize = months
        .iter()
        .filter(|m| train_months.contains(&&m.0))
        .map(|m| m.1)
        .sum();
    if train_rows < settings.min_rows {
        bail!(
            "too few labelled rows to train: {train_rows} in the months trained on ({}), and \
             [model] min_rows asks for {}; the rules keep deciding",
            month_range(train_months),
            settings.min_rows
        );
    }
    let stride = labelled.div_ceil(MAX_ROWS).max(1);
    let rows = read_rows(conn, &classes, stride, None)?;
    let (train, test): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .partition(|r| train_months.iter().any(|m| **m == r.month));
    let test: Vec<&Row> = test
        .into_iter()
        .filter(|r| held_out.iter().any(|m| **m == r.month))
        .collect();
    let mut model = Model::zero(Header {
        features_version: features::FEATURES_VERSION,
        buckets: BUCKETS,
        classes,
        training: Training {
            rexian: crate::VERSION.into(),
            ledger_sha256: ledger_sha256(conn)?,
            labelled_rows: labelled,
            trained_rows: train.len(),
            sample_one_in: stride,
            months: train_months.iter().map(|m| (*m).clone()).collect(),
            held_out: held_out.iter().map(|m| (*m).clone()).collect(),
            held_out_rows: test.len(),
            unknown_field_rows: unknown,
            epochs: epochs(train.len()),
            figures: Figures::default(),
        },
    });
    fit(&mut model, &train);
    model.header.training.figures = measure(
        &model,
        test.iter().map(|r| (r.appeal.text(), r.class)),
        settings.min_confidence,
    );
    Ok(model)
}

/// The rows of the months `model` kept out of its training, read again from the warehouse
/// (the same sample of them), as a blank extract's rows with their labels.
///
/// # Errors
/// When the warehouse cannot be read.
pub fn held_out(conn: &Connection, model: &Model) -> Result<Vec<ScopeRow>> {
    let t = &model.header.training;
    let classes = &model.header.classes;
    // The months kept out are the last ones with labels: read from the first of them on.
    let from = t.held_out.first().map(String::as_str);
    let rows = read_rows(conn, classes, t.sample_one_in.max(1), from)?;
    Ok(rows
        .into_iter()
        .filter(|r| t.held_out.contains(&r.month))
        .enumerate()
        .map(|(i, r)| ScopeRow {
            id: u32::try_from(i + 1).unwrap_or(u32::MAX),
            enforcement: classes[r.class].is_enforcement(),
            field: classes[r.class].code.clone(),
            appeal: r.appeal,
        })
        .collect())
}

/// "2023-11..2024-08", or the one month.
pub fn month_range(months: &[&String]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}..{b}"),
        (Some(a), _) => (*a).clone(),
        _ => "none".into(),
    }
}

/// Each month with labelled rows: (month, rows of a known class, rows of an unknown field).
fn labelled_months(conn: &Connection) -> Result<Vec<(String, usize, usize)>> {
    if !crate::warehouse::has_relation(conn, "appeals")? {
        bail!("the warehouse holds no appeals yet: load the extracts first (`rexian ingest`)");
    }
    let mut stmt = conn.prepare(sql::MODEL_LABELLED_MONTHS.text)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)? as usize,
            r.get::<_, i64>(2)? as usize,
        ))
    })?;
    Ok(rows.collect::<duckdb::Result<_>>()?)
}

/// The sample (one in `stride`) of the labelled rows accepted in the month `from` (YYYY-MM;
/// none for all) or later, of the classes given.
fn read_rows(
    conn: &Connection,
    classes: &[Class],
    stride: usize,
    from: Option<&str>,
) -> Result<Vec<Row>> {
    // A plain comparison with a day: a parameter that may be empty would be tested per row.
    let from = from.map_or_else(|| "0001-01-01".to_string(), |m| format!("{m}-01"));
    let mut stmt = conn.prepare(sql::MODEL_TRAINING_ROWS.text)?;
    let mut rows = stmt
        .query(duckdb::params![i64::try_from(stride)?, from])
        .context("reading the labelled appeals")?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let code: String = r.get(5)?;
        let Some(class) = classes.iter().position(|c| c.code == code) else {
            continue;
        };
        out.push(Row {
            month: r.get(0)?,
            appeal: Appeal::read(r, 1)?,
            class,
        });
    }
    Ok(out)
}

/// SHA-256 of the files the warehouse was loaded from, in load order.
///
/// # Errors
/// When the load ledger cannot be read.
pub fn ledger_sha256(conn: &Connection) -> Result<String> {
    let files: String = conn.query_row(sql::MODEL_LEDGER_DIGEST.text, [], |r| r.get(0))?;
    Ok(hex::encode(Sha256::digest(files.as_bytes())))
}

/// A deterministic stream of numbers (xorshift64*), for the order of the rows.
struct Shuffle(u64);

impl Shuffle {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

/// Stochastic gradient descent on the cross-entropy, one thread, the rows in an order drawn
/// afresh (but the same every time) for each pass. Each row's features are extracted again on
/// each pass: keeping them would hold about 350 MB at 240 000 rows.
fn fit(model: &mut Model, rows: &[&Row]) {
    let k = model.bias.len();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut shuffle = Shuffle(0x9e37_79b9_7f4a_7c15);
    let mut scratch = Scratch::default();
    let passes = model.header.training.epochs;
    let total = (rows.len() * passes as usize).max(1) as f64;
    let mut seen = 0.0;
    for _ in 0..passes {
        for i in (1..order.len()).rev() {
            order.swap(i, shuffle.below(i + 1));
        }
        for &i in &order {
            let row = rows[i];
            features::extract(&row.appeal.text(), model.header.buckets, &mut scratch.x);
            model.probabilities(&scratch.x, &mut scratch.p);
            let rate = LEARNING_RATE / (1.0 + 4.0 * seen / total);
            seen += 1.0;
            let w = weight(scratch.x.len());
            for c in 0..k {
                let target = if c == row.class { 1.0 } else { 0.0 };
                let g = rate * (scratch.p[c] - target);
                model.bias[c] -= g as f32;
                let step = (g * w) as f32;
                for &j in &scratch.x {
                    model.weights[j as usize * k + c] -= step;
                }
            }
        }
    }
}

/// Measures `model` on `(text, class)` pairs.
pub fn measure<'a>(
    model: &Model,
    texts: impl Iterator<Item = (Text<'a>, usize)>,
    min_confidence: f64,
) -> Figures {
    let classes = &model.header.classes;
    let mut f = Figures {
        scope: ClassFigures::named("涉及行政执法"),
        classes: classes
            .iter()
            .map(|c| ClassFigures::named(&c.name))
            .collect(),
        confusion: vec![vec![0; classes.len()]; classes.len()],
        min_confidence,
        ..Figures::default()
    };
    let (mut n, mut confident, mut right) = (0usize, 0usize, 0usize);
    let mut scratch = Scratch::default();
    for (text, label) in texts {
        let g = model.guess(&text, &mut scratch);
        n += 1;
        f.confusion[label][g.class] += 1;
        f.scope.score.add_row(
            classes[label].is_enforcement(),
            classes[g.class].is_enforcement(),
        );
        for (c, figures) in f.classes.iter_mut().enumerate() {
            figures.score.add_row(label == c, g.class == c);
        }
        if g.score >= min_confidence {
            confident += 1;
            right += usize::from(g.class == label);
        }
    }
    f.coverage = crate::evaluate::share(confident, n);
    f.accuracy_confident = crate::evaluate::share(right, confident);
    f
}
