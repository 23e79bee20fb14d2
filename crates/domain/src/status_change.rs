//! 设备使用状态变更 (manual 4.2.4 (2)): an enterprise asks the bureau of the equipment's district
//! to approve a change of use or registration (TSG 08-2017; DOMAIN.md §4.2–4.3). The bureau
//! approves or rejects; an approved change moves the equipment's statuses.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ParseError;
use crate::equipment::{RegistrationStatus, UseStatus};

/// 变更类别: what the enterprise asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 停用: stop using the equipment (file within 30 days, post a 停用标志).
    Stop,
    /// 停用后启用: use it again after a stop; only with a valid periodic inspection.
    Resume,
    /// 报废: scrap it; the registration is cancelled (注销).
    Scrap,
    /// 移装: move it to another place (a new 使用地点).
    Relocate,
    /// 单位变更（过户）: hand it to another user; the registration here is cancelled.
    Transfer,
    /// 更名: the user unit was renamed.
    Rename,
    /// 改造: it was modified (with a supervision inspection certificate).
    Modify,
    /// 达到设计使用年限: keep using it past its design life (with an inspection or assessment).
    DesignLifeReached,
}

crate::error::wire_enum_names!(ChangeKind, "unknown_change_kind", "未知的变更类别", {
    Stop => "stop",
    Resume => "resume",
    Scrap => "scrap",
    Relocate => "relocate",
    Transfer => "transfer",
    Rename => "rename",
    Modify => "modify",
    DesignLifeReached => "design_life_reached",
});

impl ChangeKind {
    /// Every kind, in the order the form lists them.
    pub fn all() -> &'static [ChangeKind] {
        &[
            ChangeKind::Stop,
            ChangeKind::Resume,
            ChangeKind::Scrap,
            ChangeKind::Relocate,
            ChangeKind::Transfer,
            ChangeKind::Rename,
            ChangeKind::Modify,
            ChangeKind::DesignLifeReached,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeKind::Stop => "停用",
            ChangeKind::Resume => "停用后启用",
            ChangeKind::Scrap => "报废",
            ChangeKind::Relocate => "移装",
            ChangeKind::Transfer => "单位变更（过户）",
            ChangeKind::Rename => "更名",
            ChangeKind::Modify => "改造",
            ChangeKind::DesignLifeReached => "达到设计使用年限",
        }
    }

    /// The documents the bureau needs (at least one file must be attached).
    pub fn required_documents_zh(self) -> &'static str {
        match self {
            ChangeKind::Stop | ChangeKind::Scrap => "《特种设备停用报废注销登记表》",
            ChangeKind::Resume => "自行检查记录及有效期内的定期检验报告",
            ChangeKind::Relocate => "移装后的使用登记表及检验报告",
            ChangeKind::Transfer => "原使用登记证、有效期内的定期检验报告及过户证明",
            ChangeKind::Rename => "使用登记证及更名证明",
            ChangeKind::Modify => "改造质量证明资料及改造监督检验证书",
            ChangeKind::DesignLifeReached => "检验或安全评估报告及单位负责人批准文件",
        }
    }

    /// Whether the request must name a new 使用地点.
    pub fn needs_new_location(self) -> bool {
        self == ChangeKind::Relocate
    }
}

/// The statuses of a piece of equipment that a change reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EquipmentStatuses {
    pub use_status: UseStatus,
    pub registration_status: RegistrationStatus,
    /// 下次检验日期 (with any approved deferral already applied).
    pub next_inspection_date: Option<Date>,
}

/// What a change will do once approved: the statuses after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: EquipmentStatuses,
    pub to_use_status: UseStatus,
    pub to_registration_status: RegistrationStatus,
}

/// Checks whether `kind` may be asked for equipment in `current` state on `today`, and returns the
/// statuses it leads to. Refusals carry a stable code:
/// `equipment_cancelled` (scrapped, gone or registration cancelled: nothing more can change),
/// `invalid_transition` (e.g. stopping stopped equipment, resuming equipment that is not stopped),
/// `inspection_lapsed` (resuming after the periodic inspection has expired: inspect first).
pub fn plan(
    kind: ChangeKind,
    current: EquipmentStatuses,
    today: Date,
) -> Result<Transition, ParseError> {
    use UseStatus as U;
    let gone = matches!(
        current.use_status,
        U::Scrapped | U::Dismantled | U::MovedOut | U::Junk | U::Removed
    ) || current.registration_status == RegistrationStatus::Cancelled;
    if gone {
        return Err(ParseError::new(
            "equipment_cancelled",
            format!(
                "设备已{}，不能再申请变更",
                if current.registration_status == RegistrationStatus::Cancelled {
                    "注销登记"
                } else {
                    current.use_status.label_zh()
                }
            ),
        ));
    }
    let refuse = |why: &str| Err(ParseError::new("invalid_transition", why.to_owned()));
    let (to_use, to_reg) = match kind {
        ChangeKind::Stop => match current.use_status {
            U::InUse | U::InUseUnregistered => (U::Stopped, current.registration_status),
            _ => return refuse("只有在用的设备可以申请停用"),
        },
        ChangeKind::Resume => {
            if current.use_status != U::Stopped {
                return refuse("只有停用的设备可以申请停用后启用");
            }
            match current.next_inspection_date {
                Some(next) if next >= today => (U::InUse, current.registration_status),
                _ => {
                    return Err(ParseError::new(
                        "inspection_lapsed",
                        "定期检验已过有效期：请先申请检验，检验合格后再申请启用".to_owned(),
                    ));
                }
            }
        }
        ChangeKind::Scrap => (U::Scrapped, RegistrationStatus::Cancelled),
        ChangeKind::Transfer => (U::MovedOut, RegistrationStatus::Cancelled),
        ChangeKind::Relocate
        | ChangeKind::Rename
        | ChangeKind::Modify
        | ChangeKind::DesignLifeReached => (current.use_status, current.registration_status),
    };
    Ok(Transition {
        from: current,
        to_use_status: to_use,
        to_registration_status: to_reg,
    })
}

/// 审批状态 of a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    /// 待审批
    Submitted,
    /// 已批准
    Approved,
    /// 未批准
    Rejected,
}

crate::error::wire_enum_names!(ChangeState, "unknown_change_state", "未知的审批状态", {
    Submitted => "submitted",
    Approved => "approved",
    Rejected => "rejected",
});

impl ChangeState {
    pub fn all() -> &'static [ChangeState] {
        &[
            ChangeState::Submitted,
            ChangeState::Approved,
            ChangeState::Rejected,
        ]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeState::Submitted => "待审批",
            ChangeState::Approved => "已批准",
            ChangeState::Rejected => "未批准",
        }
    }

    /// The bureau's decision: only a submitted request can be decided, once.
    pub fn decide(self, approve: bool) -> Result<ChangeState, ParseError> {
        match self {
            ChangeState::Submitted if approve => Ok(ChangeState::Approved),
            ChangeState::Submitted => Ok(ChangeState::Rejected),
            decided => Err(ParseError::new(
                "change_already_decided",
                format!("该申请已{}，不能再次审批", decided.label_zh()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn statuses(use_status: UseStatus, next: Option<Date>) -> EquipmentStatuses {
        EquipmentStatuses {
            use_status,
            registration_status: RegistrationStatus::Registered,
            next_inspection_date: next,
        }
    }

    const TODAY: Date = date!(2026 - 11 - 27);

    #[test]
    fn stop_then_resume() {
        let t = plan(ChangeKind::Stop, statuses(UseStatus::InUse, None), TODAY).unwrap();
        assert_eq!(t.to_use_status, UseStatus::Stopped);
        let err = plan(ChangeKind::Stop, statuses(UseStatus::Stopped, None), TODAY).unwrap_err();
        assert_eq!(err.code(), "invalid_transition");
        let ok = plan(
            ChangeKind::Resume,
            statuses(UseStatus::Stopped, Some(date!(2027 - 01 - 01))),
            TODAY,
        )
        .unwrap();
        assert_eq!(ok.to_use_status, UseStatus::InUse);
    }

    #[test]
    fn resume_needs_a_valid_inspection() {
        for next in [None, Some(date!(2026 - 11 - 26))] {
            let err = plan(
                ChangeKind::Resume,
                statuses(UseStatus::Stopped, next),
                TODAY,
            )
            .unwrap_err();
            assert_eq!(err.code(), "inspection_lapsed");
        }
    }

    #[test]
    fn scrap_cancels_and_nothing_follows() {
        let t = plan(ChangeKind::Scrap, statuses(UseStatus::Stopped, None), TODAY).unwrap();
        assert_eq!(
            (t.to_use_status, t.to_registration_status),
            (UseStatus::Scrapped, RegistrationStatus::Cancelled)
        );
        let after = EquipmentStatuses {
            use_status: t.to_use_status,
            registration_status: t.to_registration_status,
            next_inspection_date: None,
        };
        for kind in ChangeKind::all() {
            assert_eq!(
                plan(*kind, after, TODAY).unwrap_err().code(),
                "equipment_cancelled"
            );
        }
    }

    #[test]
    fn decisions_happen_once() {
        assert_eq!(
            ChangeState::Submitted.decide(true).unwrap(),
            ChangeState::Approved
        );
        assert_eq!(
            ChangeState::Submitted.decide(false).unwrap(),
            ChangeState::Rejected
        );
        assert_eq!(
            ChangeState::Approved.decide(false).unwrap_err().code(),
            "change_already_decided"
        );
    }

    proptest! {
        #[test]
        fn plan_never_panics_and_keeps_gone_equipment_gone(
            kind in 0usize..8, status in 1u8..=9, cancelled in any::<bool>(), days in -800i64..800
        ) {
            let kind = ChangeKind::all()[kind];
            let current = EquipmentStatuses {
                use_status: UseStatus::from_code(status).unwrap(),
                registration_status: if cancelled { RegistrationStatus::Cancelled } else { RegistrationStatus::Registered },
                next_inspection_date: Some(TODAY + time::Duration::days(days)),
            };
            if let Ok(t) = plan(kind, current, TODAY) {
                prop_assert!(current.registration_status != RegistrationStatus::Cancelled);
                prop_assert!(current.use_status != UseStatus::Scrapped);
                if kind == ChangeKind::Resume {
                    prop_assert!(days >= 0);
                }
                prop_assert_eq!(t.from, current);
            }
        }
    }
}
