//! The states of a 督办事项 and the actions that move it between them. A case is opened
//! 待研判; assigned, it is 督办中 until the department's answer (or 整改报告) is recorded and it
//! is 待审核; reviewed, it is 审核通过 or, returned (退回重办), 督办中 again; then 已办结. A case
//! the office will not take up is 不予立案.

use std::fmt;

use anyhow::{bail, Result};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Opened, not yet decided.
    Pending,
    /// Assigned to a staff member, waiting for the department.
    Supervising,
    /// The department's answer is in, waiting for review.
    Reviewing,
    /// The answer was approved; the reply can go back to the citizen.
    Approved,
    /// Closed.
    Closed,
    /// Closed without action.
    Rejected,
}

impl State {
    /// Every state, in the order of a case's life.
    pub const ALL: [State; 6] = [
        State::Pending,
        State::Supervising,
        State::Reviewing,
        State::Approved,
        State::Closed,
        State::Rejected,
    ];

    /// The users' word for it, as stored in the log.
    pub fn word(self) -> &'static str {
        match self {
            State::Pending => "待研判",
            State::Supervising => "督办中",
            State::Reviewing => "待审核",
            State::Approved => "审核通过",
            State::Closed => "已办结",
            State::Rejected => "不予立案",
        }
    }

    /// The state a stored word names.
    ///
    /// # Errors
    /// When the word is not a state's (a log written by something else than rexian).
    pub fn from_word(word: &str) -> Result<State> {
        State::ALL
            .into_iter()
            .find(|s| s.word() == word)
            .ok_or_else(|| anyhow::anyhow!("{word:?} is not a state of a case"))
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// What a staff member does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 立案: open it from one or more tickets.
    Open,
    /// 交办: give it a responsible staff member, a supervision form and a deadline.
    Assign,
    /// 不予立案: close it without action, with the reason.
    Reject,
    /// Record the department's answer or 整改报告.
    Answer,
    /// 审核通过.
    Approve,
    /// 退回重办, with the reason and a new deadline.
    Return,
    /// 办结.
    Close,
    /// 发函: issue a 《行政执法监督意见书》 or 提醒函 with the next 文号 (the state stays).
    Letter,
    /// 作废: void a letter's 文号, with the reason (the number stays used; the state stays).
    VoidLetter,
    /// 选为典型案例: the office's account of a case with a result (problem, supervision
    /// action, result) for the pilot summary, or its withdrawal (the state stays).
    Typical,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 10] = [
        Action::Open,
        Action::Assign,
        Action::Reject,
        Action::Answer,
        Action::Approve,
        Action::Return,
        Action::Close,
        Action::Letter,
        Action::VoidLetter,
        Action::Typical,
    ];

    /// Its name in the log and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Action::Open => "open",
            Action::Assign => "assign",
            Action::Reject => "reject",
            Action::Answer => "answer",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Close => "close",
            Action::Letter => "letter",
            Action::VoidLetter => "void_letter",
            Action::Typical => "typical",
        }
    }

    /// How the office says it.
    pub fn word(self) -> &'static str {
        match self {
            Action::Open => "立案",
            Action::Assign => "交办",
            Action::Reject => "不予立案",
            Action::Answer => "登记答复",
            Action::Approve => "审核通过",
            Action::Return => "退回重办",
            Action::Close => "办结",
            Action::Letter => "发函",
            Action::VoidLetter => "文号作废",
            Action::Typical => "典型案例",
        }
    }

    /// The state the action leaves a case in, from the state it is in (`None`: no case yet),
    /// or `None` when the action is not allowed there.
    pub fn next(self, from: Option<State>) -> Option<State> {
        use State::*;
        match (self, from) {
            (Action::Open, None) => Some(Pending),
            (Action::Assign, Some(Pending | Supervising)) => Some(Supervising),
            (Action::Reject, Some(Pending)) => Some(Rejected),
            (Action::Answer, Some(Supervising)) => Some(Reviewing),
            (Action::Approve, Some(Reviewing)) => Some(Approved),
            (Action::Return, Some(Reviewing)) => Some(Supervising),
            (Action::Close, Some(Approved)) => Some(Closed),
            // A letter goes to a department the case is assigned to and waiting for.
            (Action::Letter, Some(Supervising)) => Some(Supervising),
            // A number issued by mistake is voided whenever it is found.
            (Action::VoidLetter, Some(s)) => Some(s),
            // A typical case is one with a result: its answer approved, or closed.
            (Action::Typical, Some(s @ (Approved | Closed))) => Some(s),
            _ => None,
        }
    }

    /// The roles that may take it.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            Action::Open
            | Action::Assign
            | Action::Answer
            | Action::Close
            | Action::Letter
            | Action::Typical => &["经办", "负责人"],
            Action::Reject | Action::VoidLetter => &["负责人"],
            Action::Approve | Action::Return => &["审核", "负责人"],
        }
    }
}

/// The state `action` leads to from `from`, or an error naming what is allowed instead.
///
/// # Errors
/// When the action is not allowed in that state.
pub fn transition(case: &str, action: Action, from: State) -> Result<State> {
    if let Some(to) = action.next(Some(from)) {
        return Ok(to);
    }
    if action == Action::Typical {
        bail!(
            "case {case} is {from}: a typical case (典型案例) is one with a result, its answer \
             approved (审核通过) or the case closed (已办结)"
        );
    }
    // Voiding a letter's number and choosing a typical case move nothing: not worth naming.
    let allowed: Vec<String> = Action::ALL
        .into_iter()
        .filter(|a| !matches!(a, Action::VoidLetter | Action::Typical))
        .filter(|a| a.next(Some(from)).is_some())
        .map(|a| format!("{} ({})", a.name(), a.word()))
        .collect();
    if allowed.is_empty() {
        bail!(
            "case {case} is {from}: it is finished, and nothing more can be done to it; \
             open a new case if the matter comes back"
        );
    }
    bail!(
        "case {case} is {from}: {} ({}) is not allowed now; allowed: {}",
        action.name(),
        action.word(),
        allowed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_goes_from_opening_to_closing_and_back_when_returned() {
        let mut s = Action::Open.next(None).unwrap();
        for (a, to) in [
            (Action::Assign, State::Supervising),
            (Action::Answer, State::Reviewing),
            (Action::Return, State::Supervising),
            (Action::Answer, State::Reviewing),
            (Action::Approve, State::Approved),
            (Action::Close, State::Closed),
        ] {
            s = transition("2026-0001", a, s).unwrap();
            assert_eq!(s, to);
        }
        let e = transition("2026-0001", Action::Answer, s).unwrap_err();
        assert!(e.to_string().contains("finished"), "{e}");
    }

    #[test]
    fn a_refused_action_names_the_allowed_ones() {
        let e = transition("2026-0002", Action::Approve, State::Pending).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("待研判"), "{text}");
        assert!(
            text.contains("assign (交办)") && text.contains("reject (不予立案)"),
            "{text}"
        );
        assert!(!text.contains("close"), "{text}");
        for w in State::ALL {
            assert_eq!(State::from_word(w.word()).unwrap(), w);
        }
    }
}
