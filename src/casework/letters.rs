//! Letters issued from the register: a 《行政执法监督意见书》 or 提醒函 on a case being
//! supervised, its 文号 drawn from the year's own sequence of its kind (never typed, never
//! reused: a number issued by mistake is voided and stays used), its reply deadline in working
//! days, and the department's written reply recorded against it (the case's answer).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use duckdb::{Connection, OptionalExt};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::state::Action;
use super::{Done, Register};
use crate::analysis::{self, Frame};
use crate::report::letter::{self, Content, LetterKind};
use crate::sql;

/// What the office writes into a letter; each left `None` takes its default.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    /// 主送机关: one of the case's departments (default: its only one).
    pub to: Option<String>,
    /// 一、基本情况, as paragraphs (default: what the warehouse says of each ticket).
    pub facts: Option<Vec<String>>,
    /// 二、监督意见, as paragraphs (default: [report] opinion_text or reminder_text).
    pub opinion: Option<Vec<String>>,
    /// 成文日期 (default: today).
    pub date: Option<NaiveDate>,
}

/// A letter on the register, as [`Register::void_letter`] and [`Register::reply_letter`]
/// find it.
struct Issued {
    case_no: String,
    voided: bool,
    replied_on: Option<String>,
}

impl Register<'_> {
    /// 发函: issues the `kind` letter on case `case_no` with the next 文号 of its year and
    /// kind, writes its PDF into `dir` and records it (its number, addressee, date, reply
    /// deadline, wording and the PDF's SHA-256) as one event. The case must be 督办中.
    /// Returns the event and the PDF's path.
    ///
    /// # Errors
    /// When the case is unknown or not being supervised, the addressee is not one of its
    /// departments, the deadline lies beyond the official calendar, or typesetting or writing
    /// fails (then nothing is recorded and no number is used).
    pub fn issue_letter(
        &self,
        kind: LetterKind,
        case_no: &str,
        wording: &Wording,
        dir: &Path,
    ) -> Result<(Done, PathBuf)> {
        let mut written: Option<PathBuf> = None;
        let done = self.act_with(case_no, Action::Letter, None, |conn, _| {
            let (details, path, sha) = self.draw_letter(conn, kind, case_no, wording, dir)?;
            written = Some(path);
            Ok((Some(details), Some(sha)))
        });
        match (done, written) {
            (Ok(done), Some(path)) => Ok((done, path)),
            (Ok(_), None) => bail!("internal: letter recorded without a file"),
            (Err(e), path) => {
                // The number was not recorded, so its file must not stay either.
                if let Some(p) = path {
                    let _ = std::fs::remove_file(p);
                }
                Err(e)
            }
        }
    }

    /// Draws the next 文号, typesets the letter and writes it; returns the event's details, the
    /// file and its SHA-256.
    fn draw_letter(
        &self,
        conn: &Connection,
        kind: LetterKind,
        case_no: &str,
        wording: &Wording,
        dir: &Path,
    ) -> Result<(serde_json::Value, PathBuf, String)> {
        let opening: String = conn
            .query_row(sql::CASEWORK_CASE_OPENING.text, [case_no], |r| r.get(0))
            .context("reading the case's opening")?;
        let opening: serde_json::Value = serde_json::from_str(&opening)?;
        let strings = |key: &str| -> Vec<String> {
            opening[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let tickets = strings("tickets");
        let departments = strings("departments");
        let mut facts = Vec::new();
        let mut handled_by = Vec::new();
        for t in &tickets {
            let (f, d) = letter::ticket_facts(conn, t)?;
            facts.extend(f);
            if !handled_by.contains(&d) {
                handled_by.push(d);
            }
        }
        let to = match (&wording.to, departments.as_slice()) {
            (Some(to), ds) if ds.is_empty() || ds.contains(to) => to.clone(),
            (Some(to), ds) => bail!(
                "--to {to:?} is not a department of case {case_no}; its departments are {}",
                ds.join("、")
            ),
            (None, [one]) => one.clone(),
            (None, []) if handled_by.len() == 1 => handled_by[0].clone(),
            (None, _) => bail!(
                "case {case_no} concerns {}: say which one the letter goes to with --to",
                if departments.is_empty() {
                    handled_by.join("、")
                } else {
                    departments.join("、")
                }
            ),
        };
        let (_, days, default_opinion) = letter::settings(self.ws, kind);
        let date = wording.date.unwrap_or(self.today);
        let due = self.deadline_from(date, days)?;
        let seq: i64 = conn.query_row(
            sql::CASEWORK_NEXT_LETTER_NO.text,
            duckdb::params![kind.name(), date.year()],
            |r| r.get(0),
        )?;
        let number = letter::number(self.ws, kind, date.year(), seq);
        let facts = wording.facts.clone().unwrap_or(facts);
        let opinion = wording
            .opinion
            .clone()
            .unwrap_or_else(|| vec![default_opinion.to_string()]);
        let content = Content {
            kind,
            number: number.clone(),
            date,
            deadline: due,
            addressee: to.clone(),
            facts: facts.clone(),
            opinion: opinion.clone(),
            source: format!("督办事项{case_no}（12345热线工单{}）", tickets.join("、")),
        };
        let data = letter::compose(conn, self.ws, &content)?;
        let (pdf, name) = letter::typeset_letter(self.ws, &data, date)?;
        let path = dir.join(name);
        crate::fsutil::write_atomic(&path, &pdf)?;
        let details = json!({
            "letter_kind": kind.name(),
            "year": date.year(),
            "seq": seq,
            "number": number,
            "to": to,
            "date": date.to_string(),
            "due": due.to_string(),
            "facts": facts,
            "opinion": opinion,
            "file": path.file_name().map(|n| n.to_string_lossy().into_owned()),
        });
        Ok((details, path, hex::encode(Sha256::digest(&pdf))))
    }

    /// 文号作废: voids the letter `number` with the reason; the number stays used.
    ///
    /// # Errors
    /// When there is no such letter, it is voided already or was answered, or the reason is
    /// empty.
    pub fn void_letter(&self, number: &str, reason: &str) -> Result<Done> {
        if reason.trim().is_empty() {
            bail!("a voided 文号 needs its reason: --reason \"…\"");
        }
        let l = self.issued(number)?;
        if let Some(day) = l.replied_on {
            bail!(
                "{number} was answered by the department on {day}: an answered letter is not \
                 voided"
            );
        }
        self.act(
            &l.case_no,
            Action::VoidLetter,
            Some(reason),
            Some(json!({ "number": number })),
            None,
        )
    }

    /// Records the department's written reply to the letter `number` as its case's answer
    /// (the case goes 待审核), with the SHA-256 of the file it came as.
    ///
    /// # Errors
    /// When there is no such letter, it was voided or answered already, or the case cannot
    /// take an answer now.
    pub fn reply_letter(
        &mut self,
        number: &str,
        summary: &str,
        file: Option<&Path>,
    ) -> Result<Done> {
        let l = self.issued(number)?;
        if let Some(day) = l.replied_on {
            bail!("the reply to {number} was recorded on {day} already");
        }
        self.record_answer(&l.case_no, summary, file, Some(number))
    }

    /// The letter `number`, not voided.
    fn issued(&self, number: &str) -> Result<Issued> {
        let found = self
            .conn
            .query_row(sql::CASEWORK_LETTER.text, [number], |r| {
                Ok(Issued {
                    case_no: r.get(0)?,
                    voided: r.get(2)?,
                    replied_on: r.get(3)?,
                })
            })
            .optional()?;
        let Some(l) = found else {
            bail!("no letter {number:?} was issued; `rexian letter list` shows the 文号");
        };
        if l.voided {
            bail!("{number} was voided; nothing more is recorded against it");
        }
        Ok(l)
    }
}

/// The letters issued (of `year`, or every year with 0), as of `today`, at local time
/// (`offset` seconds from UTC).
///
/// # Errors
/// When the log cannot be read.
pub fn list(conn: &Connection, (today, offset): (NaiveDate, i64), year: i32) -> Result<Frame> {
    analysis::query(
        conn,
        "发函登记",
        sql::CASEWORK_LETTERS.text,
        &[&today.to_string(), &year, &offset],
    )?
    .labelled()
}
