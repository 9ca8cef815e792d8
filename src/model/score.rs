//! The learned classifier in the refresh: before the models are built, the workspace's model
//! scores the appeals whose extract leaves scope and field blank, of the loads it has not
//! scored yet (all of them under a new model), into `model_scores`; the refresh then tells
//! `fct_enforcement_appeals` which model's scores to read. A model that cannot be used
//! (damaged, of another version, naming a field the reference data no longer has) is said so,
//! and the rules decide.

use anyhow::{Context, Result};
use duckdb::{params, Connection};

use super::features::Appeal;
use super::{Guess, Model, Scratch, Summary};
use crate::config::Workspace;
use crate::reference::Reference;
use crate::sql;

/// Rows read and scored at a time.
const BATCH: usize = 20_000;

/// Whether the learned classifier took part in a refresh.
#[derive(Debug, Clone, PartialEq)]
pub enum Use {
    /// The workspace has no model: the rules decided.
    None,
    /// The model decided where confident; it scored this many appeals now.
    Used {
        /// What the figures record of it (its version first).
        model: Summary,
        /// Appeals scored by this refresh (those of new loads, or all under a new model).
        scored: usize,
    },
    /// The model could not be used, for this reason: the rules decided.
    Refused(String),
}

impl Use {
    /// The model whose scores decide, if one does.
    pub fn model(&self) -> Option<&Summary> {
        match self {
            Use::Used { model, .. } => Some(model),
            _ => None,
        }
    }

    /// What to tell the user, if anything.
    pub fn describe(&self) -> Option<String> {
        match self {
            Use::None => None,
            Use::Used { model, scored } => Some(format!(
                "the learned classifier {} decided scope and field where the extract \
                 leaves them blank and it is confident; it scored {scored} appeal(s) now",
                model.version
            )),
            Use::Refused(why) => Some(format!(
                "the learned classifier was not used: {why}. The rules decided scope and field"
            )),
        }
    }
}

/// Scores, on `conn` (open for writing), what the workspace's model has not scored yet.
///
/// # Errors
/// When the warehouse cannot be read or written (a model that cannot be used is not an
/// error: it is [`Use::Refused`]).
pub fn update(ws: &Workspace, reference: &Reference, conn: &Connection) -> Result<Use> {
    let path = super::path(ws);
    if !path.exists() {
        return Ok(Use::None);
    }
    let model = match Model::read(&path, reference) {
        Ok(m) => m,
        Err(e) => {
            let why = format!("{e:#}");
            tracing::warn!("{why}; the rules decide scope and field");
            return Ok(Use::Refused(why));
        }
    };
    let tx = conn.unchecked_transaction()?;
    let through: i64 = tx.query_row(sql::MODEL_SCORED_THROUGH.text, [&model.version], |r| {
        r.get(0)
    })?;
    sql::run(&tx, sql::MODEL_FORGET_SCORES, &[&model.version, &through])?;
    let scored = score_pending(&tx, &model, reference, through)?;
    tx.commit()?;
    tracing::info!(version = %model.version, scored, "the learned classifier scored the new appeals");
    Ok(Use::Used {
        model: model.summary(),
        scored,
    })
}

/// One appeal to score.
struct Pending {
    ticket_id: String,
    load_id: i64,
    appeal: Appeal,
}

/// What the model made of one appeal.
struct Scored {
    ticket_id: String,
    load_id: i64,
    class: usize,
    score: f64,
}

fn score_pending(
    conn: &Connection,
    model: &Model,
    reference: &Reference,
    through: i64,
) -> Result<usize> {
    let mut stmt = conn.prepare(sql::MODEL_PENDING.text)?;
    let mut rows = stmt
        .query([through])
        .context("reading the appeals to score")?;
    let mut scored = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let row = rows.next()?;
        if let Some(r) = row {
            batch.push(Pending {
                ticket_id: r.get(0)?,
                load_id: r.get(1)?,
                appeal: Appeal::read(r, 2)?,
            });
        }
        if batch.len() == BATCH || (row.is_none() && !batch.is_empty()) {
            scored.extend(score_batch(model, std::mem::take(&mut batch)));
        }
        if row.is_none() {
            break;
        }
    }
    drop(rows);
    // Each class's field by the name the reference data has now (none for 非执法).
    let fields: Vec<Option<&str>> = model
        .header
        .classes
        .iter()
        .map(|c| {
            reference
                .fields
                .iter()
                .find(|f| f.code == c.code)
                .map(|f| f.name.as_str())
        })
        .collect();
    let mut app = conn.appender("model_scores")?;
    for s in &scored {
        app.append_row(params![
            s.ticket_id,
            s.load_id,
            model.version,
            model.header.classes[s.class].is_enforcement(),
            fields[s.class],
            s.score
        ])?;
    }
    app.flush().context("writing the model's scores")?;
    Ok(scored.len())
}

/// Scores a batch on two threads (the machine's two cores), in order. The threads only read
/// the batch: its texts are freed here, by the thread that made them (freeing them in the
/// workers made the allocator's arenas contend and cost the scoring a quarter more).
fn score_batch(model: &Model, batch: Vec<Pending>) -> Vec<Scored> {
    let guess = |part: &[Pending]| -> Vec<Guess> {
        let mut scratch = Scratch::default();
        part.iter()
            .map(|p| model.guess(&p.appeal.text(), &mut scratch))
            .collect()
    };
    let (a, b) = batch.split_at(batch.len().div_ceil(2));
    let guesses = std::thread::scope(|s| {
        let second = s.spawn(|| guess(b));
        let mut out = guess(a);
        match second.join() {
            Ok(rest) => out.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        out
    });
    batch
        .into_iter()
        .zip(guesses)
        .map(|(p, g)| Scored {
            ticket_id: p.ticket_id,
            load_id: p.load_id,
            class: g.class,
            score: g.score,
        })
        .collect()
}
