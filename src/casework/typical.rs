//! 典型案例: the cases the office chooses for its pilot summary, each with its own account —
//! the problem, what the office did (督办措施), the result. Choosing (or withdrawing) is an
//! event of the case's log; the summary prints the cases whose latest choice stands.

use anyhow::{bail, Result};
use duckdb::Connection;
use serde_json::json;

use super::state::Action;
use super::{Done, Register};
use crate::analysis::{self, Frame};
use crate::period::Period;
use crate::sql;

/// The office's account of a typical case.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// 问题: what the citizens reported and what was wrong.
    pub problem: String,
    /// 督办措施: what the office did.
    pub action: String,
    /// 处理结果: what came of it.
    pub result: String,
}

impl Register<'_> {
    /// Chooses a case with a result (审核通过 or 已办结) as a 典型案例, with the office's account.
    /// The account is masked as the extracts' free text is (names, phones, plates): it is
    /// printed in a report.
    ///
    /// # Errors
    /// When a part of the account is empty, the case is unknown or has no result yet.
    pub fn mark_typical(&mut self, case_no: &str, account: &Account) -> Result<Done> {
        for (part, text) in [
            ("--problem (问题)", &account.problem),
            ("--action (督办措施)", &account.action),
            ("--result (处理结果)", &account.result),
        ] {
            if text.trim().is_empty() {
                bail!("a typical case is written up in three parts; {part} is empty");
            }
        }
        let masked = |t: &str| crate::mask::mask_text(t.trim(), None).into_owned();
        let details = json!({
            "problem": masked(&account.problem),
            "action": masked(&account.action),
            "result": masked(&account.result),
        });
        self.act(case_no, Action::Typical, None, Some(details), None)
    }

    /// Withdraws a case from the typical ones, with the reason.
    ///
    /// # Errors
    /// When the reason is empty, or the case is unknown or was never chosen.
    pub fn withdraw_typical(&mut self, case_no: &str, reason: &str) -> Result<Done> {
        if reason.trim().is_empty() {
            bail!("say why the case is withdrawn: --reason \"…\"");
        }
        let chosen: bool =
            self.conn
                .query_row(sql::CASEWORK_TYPICAL_CHOSEN.text, [case_no], |r| r.get(0))?;
        if !chosen {
            bail!("case {case_no} is not a typical case; nothing to withdraw");
        }
        self.act(
            case_no,
            Action::Typical,
            Some(reason),
            Some(json!({ "withdrawn": true })),
            None,
        )
    }
}

/// The typical cases of `period` in `region` ("" for the city): those chosen (and not
/// withdrawn) with a ticket accepted in the period, in the order of their numbers.
///
/// # Errors
/// When the log cannot be read.
pub fn of_period(conn: &Connection, period: &Period, region: &str) -> Result<Frame> {
    analysis::query(
        conn,
        &format!("{} 典型案例", period.label),
        sql::CASEWORK_TYPICAL_CASES.text,
        &[&period.start.to_string(), &period.end.to_string(), &region],
    )
}
