//! 网上报检: an enterprise's online application for inspections (manual 5.1).
//!
//! An application holds one or more items, one per unit of equipment. The institute decides each
//! item (受理意见: 同意 or 不同意 with a reason); an accepted item gets its approved fee (核定费用)
//! and, when agreed, a date (协商检验日期); then it is inspected and its report issued. The
//! application's progress is read from its items ([`progress`]).
//!
//! ```text
//! pending ──accept──▶ accepted ──schedule──▶ scheduled ──inspect──▶ inspected ──issue──▶ report_issued
//!    └──reject──▶ rejected      └─────────────inspect─────────────────▲
//! ```

use serde::{Deserialize, Serialize};

use crate::equipment::{RegistrationStatus, UseStatus};
use crate::error::ParseError;

/// The state of one application item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// 待受理: submitted, waiting for the institute.
    Pending,
    /// 已受理: accepted with an approved fee; no date agreed yet.
    Accepted,
    /// 已排期: accepted and a date agreed.
    Scheduled,
    /// 不予受理: rejected with a reason.
    Rejected,
    /// 已检验: the inspection was done; the report is being prepared.
    Inspected,
    /// 已出报告: the report was issued.
    ReportIssued,
}

crate::error::wire_enum_names!(ItemState, "unknown_item_state", "未知的受理状态", {
    Pending => "pending",
    Accepted => "accepted",
    Scheduled => "scheduled",
    Rejected => "rejected",
    Inspected => "inspected",
    ReportIssued => "report_issued",
});

impl ItemState {
    /// Every state, in lifecycle order.
    pub fn all() -> &'static [ItemState] {
        &[
            ItemState::Pending,
            ItemState::Accepted,
            ItemState::Scheduled,
            ItemState::Rejected,
            ItemState::Inspected,
            ItemState::ReportIssued,
        ]
    }

    /// The state's Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            ItemState::Pending => "待受理",
            ItemState::Accepted => "已受理",
            ItemState::Scheduled => "已排期",
            ItemState::Rejected => "不予受理",
            ItemState::Inspected => "已检验",
            ItemState::ReportIssued => "已出报告",
        }
    }

    /// 受理意见 as the manual's query screen shows it (5.1.9): 待受理, 同意 or 不同意.
    pub fn opinion_zh(self) -> &'static str {
        match self {
            ItemState::Pending => "待受理",
            ItemState::Rejected => "不同意",
            _ => "同意",
        }
    }

    /// Whether the item still blocks another application for the same equipment.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ItemState::Pending | ItemState::Accepted | ItemState::Scheduled
        )
    }

    /// 受理: accept (→ accepted, or scheduled when a date is agreed at once) or reject.
    pub fn decide(self, accept: bool, scheduled: bool) -> Result<ItemState, ParseError> {
        match (self, accept, scheduled) {
            (ItemState::Pending, true, false) => Ok(ItemState::Accepted),
            (ItemState::Pending, true, true) => Ok(ItemState::Scheduled),
            (ItemState::Pending, false, _) => Ok(ItemState::Rejected),
            (other, _, _) => Err(ParseError::new(
                "application_already_decided",
                format!("该报检项目{}，不能再次受理", other.label_zh()),
            )),
        }
    }

    /// 协商检验日期: set or move the agreed date of an accepted item.
    pub fn schedule(self) -> Result<ItemState, ParseError> {
        match self {
            ItemState::Accepted | ItemState::Scheduled => Ok(ItemState::Scheduled),
            other => Err(ParseError::new(
                "application_not_accepted",
                format!("该报检项目{}，不能安排检验日期", other.label_zh()),
            )),
        }
    }

    /// The inspection was done.
    pub fn inspect(self) -> Result<ItemState, ParseError> {
        match self {
            ItemState::Accepted | ItemState::Scheduled => Ok(ItemState::Inspected),
            other => Err(ParseError::new(
                "application_not_accepted",
                format!("该报检项目{}，不能登记检验结果", other.label_zh()),
            )),
        }
    }

    /// The report was issued.
    pub fn issue_report(self) -> Result<ItemState, ParseError> {
        match self {
            ItemState::Inspected | ItemState::ReportIssued => Ok(ItemState::ReportIssued),
            other => Err(ParseError::new(
                "application_not_inspected",
                format!("该报检项目{}，尚不能出具报告", other.label_zh()),
            )),
        }
    }
}

/// 进度 of a whole application, read from its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 已提交: at least one item waits for a decision.
    Submitted,
    /// 已受理: every item is decided, some accepted, not all dated.
    Accepted,
    /// 已排期: every accepted item has a date.
    Scheduled,
    /// 已检验: every accepted item was inspected.
    Inspected,
    /// 已出报告: every accepted item has its report.
    ReportIssued,
    /// 不予受理: every item was rejected.
    Rejected,
}

crate::error::wire_enum_names!(Progress, "unknown_progress", "未知的申报进度", {
    Submitted => "submitted",
    Accepted => "accepted",
    Scheduled => "scheduled",
    Inspected => "inspected",
    ReportIssued => "report_issued",
    Rejected => "rejected",
});

impl Progress {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Progress::Submitted => "已提交，待受理",
            Progress::Accepted => "已受理",
            Progress::Scheduled => "已排期",
            Progress::Inspected => "已检验",
            Progress::ReportIssued => "已出报告",
            Progress::Rejected => "不予受理",
        }
    }

    /// The steps a successful application passes, in order (for a progress bar).
    pub fn steps() -> &'static [Progress] {
        &[
            Progress::Submitted,
            Progress::Accepted,
            Progress::Scheduled,
            Progress::Inspected,
            Progress::ReportIssued,
        ]
    }
}

/// The application's progress: the least advanced of its items that were not rejected.
pub fn progress(items: &[ItemState]) -> Progress {
    let stage = |state: ItemState| match state {
        ItemState::Pending => Some(Progress::Submitted),
        ItemState::Accepted => Some(Progress::Accepted),
        ItemState::Scheduled => Some(Progress::Scheduled),
        ItemState::Inspected => Some(Progress::Inspected),
        ItemState::ReportIssued => Some(Progress::ReportIssued),
        ItemState::Rejected => None,
    };
    items
        .iter()
        .filter_map(|s| stage(*s))
        .min()
        .unwrap_or(Progress::Rejected)
}

/// Why a unit of equipment cannot be applied for (5.1: in use or due, not cancelled or scrapped).
pub fn check_eligible(
    use_status: UseStatus,
    registration_status: RegistrationStatus,
) -> Result<(), ParseError> {
    if matches!(registration_status, RegistrationStatus::Cancelled) {
        return Err(ParseError::new(
            "equipment_cancelled",
            "该设备已注销登记，不能申报检验",
        ));
    }
    match use_status {
        UseStatus::Scrapped | UseStatus::Dismantled | UseStatus::Junk | UseStatus::Removed => {
            Err(ParseError::new(
                "equipment_cancelled",
                format!("该设备已{}，不能申报检验", use_status.label_zh()),
            ))
        }
        UseStatus::MovedOut => Err(ParseError::new(
            "equipment_cancelled",
            "该设备已迁出本辖区，请向迁入地检验机构申报",
        )),
        // Stopped equipment is inspected before it is used again; new equipment before first use.
        UseStatus::NotYetInUse
        | UseStatus::InUse
        | UseStatus::Stopped
        | UseStatus::InUseUnregistered => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decisions() {
        assert_eq!(
            ItemState::Pending.decide(true, false).unwrap(),
            ItemState::Accepted
        );
        assert_eq!(
            ItemState::Pending.decide(true, true).unwrap(),
            ItemState::Scheduled
        );
        assert_eq!(
            ItemState::Pending.decide(false, true).unwrap(),
            ItemState::Rejected
        );
        for decided in [
            ItemState::Rejected,
            ItemState::Scheduled,
            ItemState::Inspected,
        ] {
            assert_eq!(
                decided.decide(true, false).unwrap_err().code(),
                "application_already_decided"
            );
        }
        assert_eq!(
            ItemState::Pending.inspect().unwrap_err().code(),
            "application_not_accepted"
        );
        assert_eq!(ItemState::Accepted.inspect().unwrap(), ItemState::Inspected);
        assert_eq!(
            ItemState::Inspected.issue_report().unwrap(),
            ItemState::ReportIssued
        );
        assert_eq!(
            ItemState::Rejected.schedule().unwrap_err().code(),
            "application_not_accepted"
        );
    }

    #[test]
    fn progress_is_the_slowest_live_item() {
        use ItemState::*;
        assert_eq!(progress(&[Pending, Scheduled]), Progress::Submitted);
        assert_eq!(progress(&[Rejected, Scheduled]), Progress::Scheduled);
        assert_eq!(progress(&[Inspected, ReportIssued]), Progress::Inspected);
        assert_eq!(progress(&[Rejected, Rejected]), Progress::Rejected);
        assert_eq!(progress(&[]), Progress::Rejected);
        assert_eq!(progress(&[ReportIssued]), Progress::ReportIssued);
    }

    #[test]
    fn opinions_follow_the_manual() {
        assert_eq!(ItemState::Pending.opinion_zh(), "待受理");
        assert_eq!(ItemState::Rejected.opinion_zh(), "不同意");
        assert_eq!(ItemState::ReportIssued.opinion_zh(), "同意");
    }

    #[test]
    fn scrapped_and_cancelled_equipment_is_refused() {
        assert!(check_eligible(UseStatus::InUse, RegistrationStatus::Registered).is_ok());
        assert!(check_eligible(UseStatus::Stopped, RegistrationStatus::Registered).is_ok());
        assert!(check_eligible(UseStatus::Scrapped, RegistrationStatus::Registered).is_err());
        assert!(check_eligible(UseStatus::InUse, RegistrationStatus::Cancelled).is_err());
    }

    proptest! {
        /// No sequence of actions leaves the lifecycle: states only move forward.
        #[test]
        fn states_only_move_forward(actions in proptest::collection::vec(0u8..5, 0..12)) {
            let rank = |s: ItemState| ItemState::all().iter().position(|x| *x == s).unwrap();
            let mut state = ItemState::Pending;
            for a in actions {
                let next = match a {
                    0 => state.decide(true, false),
                    1 => state.decide(false, false),
                    2 => state.schedule(),
                    3 => state.inspect(),
                    _ => state.issue_report(),
                };
                if let Ok(next) = next {
                    prop_assert!(rank(next) >= rank(state) || next == ItemState::Rejected);
                    prop_assert!(state != ItemState::Rejected);
                    state = next;
                }
            }
        }
    }
}
