//! 检验意见通知书: the notice an inspector issues when problems are found (DOMAIN §5.3,
//! manual 5.3), and the rectification loop the old platform lacked.
//!
//! The enterprise fixes the problems and, before the 整改期限, sends a statement with evidence
//! (整改报告及见证资料). The institute confirms it or returns it for more work.
//!
//! ```text
//! open ──feedback──▶ submitted ──confirm──▶ confirmed
//!   ▲                   │
//!   └──── returned ◀────┘ (return, with a reason; feedback again)
//! ```
//!
//! A notice that is open or returned after its deadline is **overdue** ([`is_overdue`]); the
//! enterprise may still submit (late), because evidence late is better than none.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::error::ParseError;

/// Days to rectify when the inspector does not set a deadline (DOMAIN §5.3: 15–30 typical).
pub const DEFAULT_DEADLINE_DAYS: i64 = 30;

/// 通知书状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// 待整改.
    Open,
    /// 整改已提交, waiting for the institute.
    Submitted,
    /// 整改确认.
    Confirmed,
    /// 退回整改: the evidence was not enough.
    Returned,
}

crate::error::wire_enum_names!(NoticeState, "unknown_notice_state", "未知的通知书状态", {
    Open => "open",
    Submitted => "submitted",
    Confirmed => "confirmed",
    Returned => "returned",
});

impl NoticeState {
    /// Every state.
    pub fn all() -> &'static [NoticeState] {
        &[
            NoticeState::Open,
            NoticeState::Submitted,
            NoticeState::Confirmed,
            NoticeState::Returned,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeState::Open => "待整改",
            NoticeState::Submitted => "整改已提交",
            NoticeState::Confirmed => "整改确认",
            NoticeState::Returned => "退回整改",
        }
    }

    /// Whether the enterprise still owes a rectification.
    pub fn awaits_enterprise(self) -> bool {
        matches!(self, NoticeState::Open | NoticeState::Returned)
    }

    /// 提交整改: the enterprise sends its statement and evidence.
    pub fn submit_feedback(self) -> Result<NoticeState, ParseError> {
        if self.awaits_enterprise() {
            Ok(NoticeState::Submitted)
        } else {
            Err(ParseError::new(
                "notice_not_open",
                format!("通知书当前为「{}」，不能再提交整改", self.label_zh()),
            ))
        }
    }

    /// The institute confirms (`true`) or returns (`false`) the submitted rectification.
    pub fn review(self, confirm: bool) -> Result<NoticeState, ParseError> {
        match self {
            NoticeState::Submitted if confirm => Ok(NoticeState::Confirmed),
            NoticeState::Submitted => Ok(NoticeState::Returned),
            other => Err(ParseError::new(
                "notice_not_submitted",
                format!("通知书当前为「{}」，没有待确认的整改", other.label_zh()),
            )),
        }
    }
}

/// Whether a notice in `state` with `deadline` is overdue on `today`.
pub fn is_overdue(state: NoticeState, deadline: Date, today: Date) -> bool {
    state.awaits_enterprise() && today > deadline
}

/// The deadline for a notice issued on `issued_on` when none is given, or why a given one is
/// not acceptable (before the issue date, or more than a year later).
pub fn deadline(issued_on: Date, requested: Option<Date>) -> Result<Date, ParseError> {
    match requested {
        None => Ok(issued_on + Duration::days(DEFAULT_DEADLINE_DAYS)),
        Some(d) if d < issued_on => Err(ParseError::new(
            "deadline_in_past",
            "整改期限不能早于通知书签发日期",
        )),
        Some(d) if d > issued_on + Duration::days(366) => Err(ParseError::new(
            "deadline_too_far",
            "整改期限不能超过签发后一年",
        )),
        Some(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_loop() {
        let s = NoticeState::Open.submit_feedback().unwrap();
        let s = s.review(false).unwrap();
        assert_eq!(s, NoticeState::Returned);
        let s = s.submit_feedback().unwrap().review(true).unwrap();
        assert_eq!(s, NoticeState::Confirmed);
        assert_eq!(s.submit_feedback().unwrap_err().code(), "notice_not_open");
        assert_eq!(
            NoticeState::Open.review(true).unwrap_err().code(),
            "notice_not_submitted"
        );
    }

    #[test]
    fn overdue_only_while_owed() {
        let d = date!(2026 - 12 - 01);
        assert!(!is_overdue(NoticeState::Open, d, d));
        assert!(is_overdue(NoticeState::Open, d, date!(2026 - 12 - 02)));
        assert!(is_overdue(NoticeState::Returned, d, date!(2027 - 01 - 01)));
        assert!(!is_overdue(
            NoticeState::Submitted,
            d,
            date!(2027 - 01 - 01)
        ));
        assert!(!is_overdue(
            NoticeState::Confirmed,
            d,
            date!(2027 - 01 - 01)
        ));
    }

    #[test]
    fn deadlines() {
        let issued = date!(2026 - 11 - 27);
        assert_eq!(deadline(issued, None).unwrap(), date!(2026 - 12 - 27));
        assert_eq!(
            deadline(issued, Some(date!(2026 - 11 - 26)))
                .unwrap_err()
                .code(),
            "deadline_in_past"
        );
        assert_eq!(
            deadline(issued, Some(date!(2028 - 01 - 01)))
                .unwrap_err()
                .code(),
            "deadline_too_far"
        );
    }
}
