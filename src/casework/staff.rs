//! Who is at the keyboard: the OS user running rexian, looked up in `[casework] staff`. An
//! event is recorded in that staff member's name, and an unknown user is refused, so that the
//! 督办台账 says who did what without anyone typing a name.

use anyhow::{bail, Result};

use crate::config::{CaseworkSettings, Staff};

/// The roles a staff member can have.
pub const ROLES: [&str; 3] = ["经办", "审核", "负责人"];

/// The login running this process (its effective user).
pub fn os_user() -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or null; the name is copied out
    // at once, and this process does not call getpwuid from another thread meanwhile.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// The staff member running rexian: the one whose `os_user` (or name) is the login, or, where
/// `[casework] user_env` names a variable that is set, the one that variable names.
///
/// # Errors
/// When the user is not on the staff list, or the list gives a role rexian does not know.
pub fn current(settings: &CaseworkSettings) -> Result<&Staff> {
    for s in &settings.staff {
        if !ROLES.contains(&s.role.as_str()) {
            bail!(
                "[casework] staff {:?} has the role {:?}; use one of {}",
                s.name,
                s.role,
                ROLES.join("、")
            );
        }
    }
    let from_env = (!settings.user_env.is_empty())
        .then(|| std::env::var(&settings.user_env).ok())
        .flatten();
    let by_env = from_env.is_some();
    let (user, how) = match from_env {
        Some(u) => (u, format!("the variable {}", settings.user_env)),
        None => (
            os_user().unwrap_or_default(),
            "the login running rexian".to_string(),
        ),
    };
    // The variable of a training workspace may give the staff member's name itself.
    let found = settings.staff.iter().find(|s| {
        let login = if s.os_user.is_empty() {
            &s.name
        } else {
            &s.os_user
        };
        *login == user || (by_env && s.name == user)
    });
    match found {
        Some(s) => Ok(s),
        None if settings.staff.is_empty() => bail!(
            "no staff are listed for the 督办台账: add each member of the office to rexian.toml \
             as [[casework.staff]] with name, role (经办, 审核 or 负责人) and os_user \
             ({user:?} is {how})"
        ),
        None => bail!(
            "{user:?} ({how}) is not on the [casework] staff list of rexian.toml; the staff \
             are {}. Add `[[casework.staff]] name = \"…\" role = \"经办\" os_user = \"{user}\"`",
            settings
                .staff
                .iter()
                .map(|s| format!("{}（{}）", s.name, s.role))
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(staff: &[(&str, &str, &str)]) -> CaseworkSettings {
        CaseworkSettings {
            staff: staff
                .iter()
                .map(|(n, r, u)| Staff {
                    name: n.to_string(),
                    role: r.to_string(),
                    os_user: u.to_string(),
                })
                .collect(),
            four_eyes: true,
            deadline_workdays: 15,
            feedback_workdays: 5,
            remind_workdays: 3,
            user_env: String::new(),
            auto_open: Vec::new(),
            auto_open_from: String::new(),
        }
    }

    #[test]
    fn the_login_is_looked_up_and_a_stranger_refused() {
        let me = os_user().unwrap();
        let s = settings(&[("张明", "经办", &me)]);
        assert_eq!(current(&s).unwrap().name, "张明");
        let s = settings(&[("李华", "审核", "somebody-else")]);
        let e = current(&s).unwrap_err().to_string();
        assert!(e.contains(&me) && e.contains("李华（审核）"), "{e}");
        let s = settings(&[("王强", "科长", &me)]);
        assert!(current(&s).unwrap_err().to_string().contains("科长"));
    }
}
