//! The learned classifier of scope and field (是否涉及行政执法, 执法领域): a linear model
//! (multinomial logistic regression) over hashed character n-grams, the category and the
//! 承办单位 ([`features`]), trained in the workspace on the warehouse's own rows whose
//! extract gives both ([`train`]). One class says "not enforcement-related", one class per
//! enforcement field of the reference data.
//!
//! The model is a file in the workspace (`models/scope_field.model`): a header in JSON (its
//! classes, what it was trained on: the load ledger's digest, the months, the figures on the
//! months held out) and the weights, closed by a SHA-256 of everything before it. Its version
//! is the start of that digest. The same rows give the same bytes: training is one thread in
//! a fixed order, and nothing in the file depends on the time it was made.

pub mod features;
pub mod score;
pub mod train;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Workspace;
use crate::evaluate::Score;
use crate::reference::Reference;
use features::Text;

/// The first bytes of a model file.
const MAGIC: &[u8] = b"REXIAN-MODEL/1\n";

/// The file a workspace keeps its model in, under its root.
pub const FILE: &str = "models/scope_field.model";

/// One class of the model: not enforcement-related (code ""), or an enforcement field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    /// The field's code in fields.csv; "" for 非执法.
    pub code: String,
    /// The field's name; 非行政执法 for the class of the rest.
    pub name: String,
}

impl Class {
    /// Whether the class says enforcement-related.
    pub fn is_enforcement(&self) -> bool {
        !self.code.is_empty()
    }
}

/// The counts of one class (or of the scope) on rows kept out of training: rows labelled so,
/// given it, and both (precision, recall and F1 come from them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassFigures {
    /// The class's name.
    pub name: String,
    /// The counts.
    pub score: Score,
}

impl ClassFigures {
    /// Empty figures of a class.
    pub fn named(name: &str) -> ClassFigures {
        ClassFigures {
            name: name.into(),
            score: Score::default(),
        }
    }
}

/// The figures of a model on labelled rows it was not trained on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Scope (是否涉及行政执法).
    pub scope: ClassFigures,
    /// Each class, in the model's order.
    pub classes: Vec<ClassFigures>,
    /// `confusion[label][predicted]`, in class order.
    pub confusion: Vec<Vec<usize>>,
    /// The confidence asked of the model ([model] min_confidence when measured).
    pub min_confidence: f64,
    /// Share of the rows whose score reaches it.
    pub coverage: f64,
    /// Share of those rows the model got right (scope and field).
    pub accuracy_confident: f64,
}

impl Figures {
    /// The rows whose class (scope and field) the model got right, and the rows.
    pub fn right(&self) -> (usize, usize) {
        let right = self.classes.iter().map(|c| c.score.correct).sum();
        let rows = self.classes.iter().map(|c| c.score.labelled).sum();
        (right, rows)
    }
}

/// What a model was trained on, and how it did on the months kept out of its training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// The rexian that trained it.
    pub rexian: String,
    /// SHA-256 of the load ledger's files (in load order) the rows came from.
    pub ledger_sha256: String,
    /// Labelled rows in the warehouse.
    pub labelled_rows: usize,
    /// Rows it was trained on (a sample of the training months' rows when they are many).
    pub trained_rows: usize,
    /// One labelled row in this many was read (by the ticket's hash), for training and for
    /// the months kept out alike.
    pub sample_one_in: usize,
    /// The months trained on.
    pub months: Vec<String>,
    /// The months kept out, its figures measured on.
    pub held_out: Vec<String>,
    /// Rows of the months kept out it was measured on.
    pub held_out_rows: usize,
    /// Rows whose field the reference data does not know (left out).
    pub unknown_field_rows: usize,
    /// Passes over the rows.
    pub epochs: u32,
    /// Its figures on the months kept out.
    pub figures: Figures,
}

/// What the figures a refresh builds record of the model that decided in them (in
/// `cfg_param`, for the reports).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Its version.
    pub version: String,
    /// The months kept out of its training ("2024-09..2024-10").
    pub held_out: String,
    /// Its scope F1 there.
    pub scope_f1: f64,
    /// The share of those months' rows whose field (or 非执法) it got right.
    pub field_right: f64,
}

/// The header of a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The features' version ([`features::FEATURES_VERSION`]).
    pub features_version: u32,
    /// Hash buckets per class.
    pub buckets: u32,
    /// The classes, in the order of the weights.
    pub classes: Vec<Class>,
    /// What it was trained on.
    pub training: Training,
}

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Its header.
    pub header: Header,
    /// Its version: the first 12 hex digits of the SHA-256 that closes its file.
    pub version: String,
    /// One bias per class.
    bias: Vec<f32>,
    /// Bucket-major: the class weights of bucket `j` are `weights[j * K .. j * K + K]`.
    weights: Vec<f32>,
}

/// What the model makes of one appeal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// The class's index in the header.
    pub class: usize,
    /// Its probability under the model: the confidence.
    pub score: f64,
}

impl Model {
    /// A model of these classes with every weight zero (training starts from it).
    pub fn zero(header: Header) -> Model {
        let k = header.classes.len();
        Model {
            weights: vec![0.0; k * header.buckets as usize],
            bias: vec![0.0; k],
            header,
            version: String::new(),
        }
    }

    /// The class probabilities of the features `x` (bucket numbers), into `p`.
    fn probabilities(&self, x: &[u32], p: &mut Vec<f64>) {
        let k = self.bias.len();
        p.clear();
        p.extend(self.bias.iter().map(|b| f64::from(*b)));
        let w = weight(x.len());
        for &j in x {
            let row = &self.weights[j as usize * k..j as usize * k + k];
            for (pi, wi) in p.iter_mut().zip(row) {
                *pi += w * f64::from(*wi);
            }
        }
        let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for pi in p.iter_mut() {
            *pi = (*pi - max).exp();
            sum += *pi;
        }
        for pi in p.iter_mut() {
            *pi /= sum;
        }
    }

    /// The model's class for an appeal and its confidence.
    pub fn guess(&self, text: &Text<'_>, scratch: &mut Scratch) -> Guess {
        features::extract(text, self.header.buckets, &mut scratch.x);
        self.probabilities(&scratch.x, &mut scratch.p);
        let (class, score) =
            scratch
                .p
                .iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (i, &s)| {
                    if s > best.1 {
                        (i, s)
                    } else {
                        best
                    }
                });
        Guess { class, score }
    }

    /// What the figures a refresh builds with it record of it.
    pub fn summary(&self) -> Summary {
        let t = &self.header.training;
        let (right, rows) = t.figures.right();
        Summary {
            version: self.version.clone(),
            held_out: train::month_range(&t.held_out.iter().collect::<Vec<_>>()),
            scope_f1: t.figures.scope.score.f1(),
            field_right: crate::evaluate::share(right, rows),
        }
    }

    /// The file's bytes: magic, header length and header, biases and weights (f32, little
    /// endian), SHA-256 of all that.
    fn bytes(&self) -> Result<Vec<u8>> {
        let header = serde_json::to_vec(&self.header)?;
        let mut out = Vec::with_capacity(header.len() + 4 * (self.weights.len() + 64));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&u32::try_from(header.len())?.to_le_bytes());
        out.extend_from_slice(&header);
        for v in self.bias.iter().chain(&self.weights) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        Ok(out)
    }

    /// Writes the model to `path` (through a temporary file and a rename); returns its
    /// version.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn save(&mut self, path: &Path) -> Result<String> {
        let bytes = self.bytes()?;
        self.version = version_of(&bytes[bytes.len() - 32..]);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        crate::fsutil::write_atomic(path, &bytes)
            .with_context(|| format!("writing the model {}", path.display()))?;
        Ok(self.version.clone())
    }

    /// Reads the model in `path`, checking that it is whole, of this rexian's features, and
    /// that every field it knows is still in `reference`.
    ///
    /// # Errors
    /// When the file is not a model, is damaged, comes from another version of rexian, or
    /// names a field the reference data no longer has; each says to retrain.
    pub fn read(path: &Path, reference: &Reference) -> Result<Model> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading the model {}", path.display()))?;
        let retrain = "retrain it with `rexian model train` (or delete it: the rules then decide)";
        let name = path.display();
        if !bytes.starts_with(MAGIC) {
            bail!("{name} is not a rexian model file; {retrain}");
        }
        let Some(body_len) = bytes.len().checked_sub(32) else {
            bail!("{name} is damaged (cut short); {retrain}");
        };
        if Sha256::digest(&bytes[..body_len]).as_slice() != &bytes[body_len..] {
            bail!("{name} is damaged: its checksum does not match its contents; {retrain}");
        }
        let at = MAGIC.len();
        let len = bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .context("cut short")?;
        let header: Header = bytes
            .get(at + 4..at + 4 + len)
            .context("cut short")
            .and_then(|h| Ok(serde_json::from_slice(h)?))
            .with_context(|| format!("{name}: its header does not read; {retrain}"))?;
        if header.features_version != features::FEATURES_VERSION {
            bail!(
                "{name} was trained by rexian {} on features of version {}, and this rexian \
                 reads version {}; {retrain}",
                header.training.rexian,
                header.features_version,
                features::FEATURES_VERSION
            );
        }
        for c in header.classes.iter().filter(|c| c.is_enforcement()) {
            if !reference.fields.iter().any(|f| f.code == c.code) {
                bail!(
                    "{name} knows the field {} ({}), which the reference data (fields.csv) no \
                     longer has; {retrain}",
                    c.name,
                    c.code
                );
            }
        }
        let k = header.classes.len();
        let Some(weights) = bytes.get(at + 4 + len..body_len) else {
            bail!("{name} is damaged: its header runs past its weights; {retrain}");
        };
        let floats: Vec<f32> = weights
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        if k == 0 || floats.len() != k * (1 + header.buckets as usize) {
            bail!(
                "{name} is damaged: it holds {} weights for {k} classes; {retrain}",
                floats.len()
            );
        }
        let (bias, weights) = floats.split_at(k);
        Ok(Model {
            version: version_of(&bytes[body_len..]),
            bias: bias.to_vec(),
            weights: weights.to_vec(),
            header,
        })
    }
}

/// The weight of each of an appeal's `n` features: 1/√n, so that a long text does not shout
/// louder than a short one.
fn weight(n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        1.0 / (n as f64).sqrt()
    }
}

/// Buffers reused from one appeal to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    x: Vec<u32>,
    p: Vec<f64>,
}

/// A model's version: the first 12 hex digits of the SHA-256 that closes its file.
fn version_of(checksum: &[u8]) -> String {
    hex::encode(checksum)[..12].to_string()
}

/// Where `ws` keeps its model.
pub fn path(ws: &Workspace) -> PathBuf {
    ws.root.join(FILE)
}

/// What the model makes of each row: its field code and "model", or none for not
/// enforcement-related; with `min_confidence`, only where its score reaches it (elsewhere
/// `fallback`, the rules' inference).
pub fn scope(
    model: &Model,
    rows: &[crate::evaluate::grading::ScopeRow],
    min_confidence: Option<f64>,
    fallback: &[Option<(String, String)>],
) -> Vec<Option<(String, String)>> {
    let mut scratch = Scratch::default();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let g = model.guess(&r.appeal.text(), &mut scratch);
            if min_confidence.is_some_and(|m| g.score < m) {
                return fallback.get(i).cloned().flatten();
            }
            let class = &model.header.classes[g.class];
            class
                .is_enforcement()
                .then(|| (class.code.clone(), "model".to_string()))
        })
        .collect()
}

/// The workspace's model, if it has one.
///
/// # Errors
/// When the file is there but cannot be used (see [`Model::read`]).
pub fn load(ws: &Workspace) -> Result<Option<Model>> {
    let p = path(ws);
    if !p.exists() {
        return Ok(None);
    }
    let reference = Reference::load(ws.reference_dir().as_deref())?;
    Model::read(&p, &reference).map(Some)
}
