//! 检验报告: the report of an inspection and its workflow at the institute (DOMAIN §5.4).
//!
//! ```text
//! 编制 ──送审──▶ 审核 ──审核通过──▶ 批准 ──批准签发──▶ 报告打印 ──归档──▶ 报告归档
//!  ▲              │                  │
//!  └────退回──────┴──────退回─────────┘        any state before 归档 ──作废──▶ 作废
//! ```
//!
//! The enterprise may download the PDF only when the report is 报告打印 or 报告归档 **and** its
//! fee is paid (manual 5.2.4–5.2.5; "待收费的报告，不能领取").

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// 报告状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// 编制: the inspector writes the report.
    Drafting,
    /// 审核: a reviewer checks it.
    Reviewing,
    /// 批准: waiting for the approver's signature.
    Approving,
    /// 报告打印: signed and issued; the PDF exists.
    Printed,
    /// 报告归档: filed.
    Archived,
    /// 作废: cancelled; never downloadable.
    Voided,
}

crate::error::wire_enum_names!(ReportState, "unknown_report_state", "未知的报告状态", {
    Drafting => "drafting",
    Reviewing => "reviewing",
    Approving => "approving",
    Printed => "printed",
    Archived => "archived",
    Voided => "voided",
});

/// 报告流转操作.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// 送审: 编制 → 审核.
    Submit,
    /// 审核通过: 审核 → 批准.
    Review,
    /// 批准签发: 批准 → 报告打印 (the PDF is rendered now).
    Approve,
    /// 归档: 报告打印 → 报告归档.
    Archive,
    /// 退回: 审核 or 批准 → 编制, with a reason.
    Return,
    /// 作废: any state before 报告归档 → 作废, with a reason.
    Void,
}

crate::error::wire_enum_names!(ReportAction, "unknown_report_action", "未知的报告操作", {
    Submit => "submit",
    Review => "review",
    Approve => "approve",
    Archive => "archive",
    Return => "return",
    Void => "void",
});

impl ReportState {
    /// Every state, in workflow order.
    pub fn all() -> &'static [ReportState] {
        &[
            ReportState::Drafting,
            ReportState::Reviewing,
            ReportState::Approving,
            ReportState::Printed,
            ReportState::Archived,
            ReportState::Voided,
        ]
    }

    /// The Chinese name the manual uses.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportState::Drafting => "编制",
            ReportState::Reviewing => "审核",
            ReportState::Approving => "批准",
            ReportState::Printed => "报告打印",
            ReportState::Archived => "报告归档",
            ReportState::Voided => "作废",
        }
    }

    /// Whether the report is finished (报告打印 or 报告归档), so it may be handed out.
    pub fn is_issued(self) -> bool {
        matches!(self, ReportState::Printed | ReportState::Archived)
    }

    /// The state after `action`, or why it is not allowed now.
    pub fn apply(self, action: ReportAction) -> Result<ReportState, ParseError> {
        use ReportAction as A;
        use ReportState as S;
        let next = match (self, action) {
            (S::Drafting, A::Submit) => Some(S::Reviewing),
            (S::Reviewing, A::Review) => Some(S::Approving),
            (S::Approving, A::Approve) => Some(S::Printed),
            (S::Printed, A::Archive) => Some(S::Archived),
            (S::Reviewing | S::Approving, A::Return) => Some(S::Drafting),
            (S::Drafting | S::Reviewing | S::Approving | S::Printed, A::Void) => Some(S::Voided),
            _ => None,
        };
        next.ok_or_else(|| {
            ParseError::new(
                "invalid_report_transition",
                format!(
                    "报告当前为「{}」，不能{}",
                    self.label_zh(),
                    action.label_zh()
                ),
            )
        })
    }
}

impl ReportAction {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportAction::Submit => "送审",
            ReportAction::Review => "审核通过",
            ReportAction::Approve => "批准签发",
            ReportAction::Archive => "归档",
            ReportAction::Return => "退回编制",
            ReportAction::Void => "作废",
        }
    }

    /// Whether the action needs a reason (退回, 作废).
    pub fn needs_reason(self) -> bool {
        matches!(self, ReportAction::Return | ReportAction::Void)
    }

    /// Every action.
    pub fn all() -> &'static [ReportAction] {
        &[
            ReportAction::Submit,
            ReportAction::Review,
            ReportAction::Approve,
            ReportAction::Archive,
            ReportAction::Return,
            ReportAction::Void,
        ]
    }
}

/// Why a report cannot be downloaded, in the manual's words (5.2.4–5.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDownloadable {
    /// `report_not_ready`: not yet 报告打印 / 报告归档 (or voided).
    NotReady,
    /// `report_unpaid`: issued, but the fee is not paid.
    Unpaid,
}

impl NotDownloadable {
    /// The stable problem code.
    pub fn code(self) -> &'static str {
        match self {
            NotDownloadable::NotReady => "report_not_ready",
            NotDownloadable::Unpaid => "report_unpaid",
        }
    }

    /// The message shown to the enterprise.
    pub fn message_zh(self) -> &'static str {
        match self {
            NotDownloadable::NotReady => {
                "报告尚未出具完成（报告状态为「报告打印」或「报告归档」后才能下载）"
            }
            NotDownloadable::Unpaid => {
                "该设备的检验费用尚未交纳，无法下载报告。请先交清检验费用后再下载"
            }
        }
    }
}

/// Whether a report in `state` with its fee `paid` may be downloaded.
pub fn check_downloadable(state: ReportState, paid: bool) -> Result<(), NotDownloadable> {
    if !state.is_issued() {
        Err(NotDownloadable::NotReady)
    } else if !paid {
        Err(NotDownloadable::Unpaid)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path() {
        let mut s = ReportState::Drafting;
        for a in [
            ReportAction::Submit,
            ReportAction::Review,
            ReportAction::Approve,
            ReportAction::Archive,
        ] {
            s = s.apply(a).unwrap();
        }
        assert_eq!(s, ReportState::Archived);
    }

    #[test]
    fn returns_and_voids() {
        assert_eq!(
            ReportState::Approving.apply(ReportAction::Return).unwrap(),
            ReportState::Drafting
        );
        assert_eq!(
            ReportState::Printed.apply(ReportAction::Void).unwrap(),
            ReportState::Voided
        );
        for (state, action) in [
            (ReportState::Drafting, ReportAction::Return),
            (ReportState::Archived, ReportAction::Void),
            (ReportState::Voided, ReportAction::Submit),
            (ReportState::Drafting, ReportAction::Approve),
            (ReportState::Printed, ReportAction::Return),
        ] {
            assert_eq!(
                state.apply(action).unwrap_err().code(),
                "invalid_report_transition"
            );
        }
    }

    #[test]
    fn every_state_and_action_is_decided_without_panic() {
        for s in ReportState::all() {
            for a in ReportAction::all() {
                if let Ok(next) = s.apply(*a) {
                    assert_ne!(next, *s);
                }
            }
        }
    }

    #[test]
    fn download_rules() {
        assert_eq!(
            check_downloadable(ReportState::Approving, true),
            Err(NotDownloadable::NotReady)
        );
        assert_eq!(
            check_downloadable(ReportState::Voided, true),
            Err(NotDownloadable::NotReady)
        );
        assert_eq!(
            check_downloadable(ReportState::Printed, false),
            Err(NotDownloadable::Unpaid)
        );
        assert!(check_downloadable(ReportState::Archived, true).is_ok());
        assert_eq!(NotDownloadable::Unpaid.code(), "report_unpaid");
    }
}
