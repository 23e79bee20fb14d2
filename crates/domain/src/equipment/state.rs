//! 设备状态 (derived): the dashboard states of a unit of equipment — 超期未检, 即将到期, 不合格,
//! 非在用 — computed from its statuses, its next inspection date, an approved deferral and the
//! outcome of its last inspection (DOMAIN §3, §4).
//!
//! The API evaluates the same rules in SQL for its lists (超期设备查询, 即将到期设备, 不合格设备查询,
//! 非在用设备查询); these functions are the reference for one row, and the two must agree:
//! - **in use**: use status 在用 or 在用未注册 ([`IN_USE`]);
//! - **overdue** (超期未检): in use, the next inspection date is before today, and no approved
//!   deferral (延期检验) runs to today or later;
//! - **due soon** (即将到期): in use, and the next inspection date is from today to today +
//!   horizon days (default [`DEFAULT_DUE_SOON_DAYS`]); the legal deadline to apply is one month
//!   before the date ([`legal_window_start`]);
//! - **unqualified** (不合格): the last outcome failed, the equipment is not gone ([`GONE`]) and
//!   its registration is not cancelled. A passed re-inspection replaces the last outcome, which
//!   ends the state;
//! - **inactive** (非在用): not in use, or the registration is cancelled.
//!
//! Due soon and overdue never hold together, and only equipment in use is either.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::equipment::{RegistrationStatus, UseStatus};
use crate::inspection::Outcome;

/// The use statuses in which equipment is in use, and so can be due or overdue.
pub const IN_USE: &[UseStatus] = &[UseStatus::InUse, UseStatus::InUseUnregistered];

/// The use statuses after which equipment is gone: it no longer counts as 不合格.
pub const GONE: &[UseStatus] = &[
    UseStatus::Scrapped,
    UseStatus::Dismantled,
    UseStatus::MovedOut,
    UseStatus::Junk,
    UseStatus::Removed,
];

/// The default horizon of 即将到期, in days.
pub const DEFAULT_DUE_SOON_DAYS: u16 = 30;

/// What the derived states are computed from: the columns of one equipment row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateInput {
    /// 使用状态.
    pub use_status: UseStatus,
    /// 注册状态.
    pub registration_status: RegistrationStatus,
    /// 下次检验日期 (the earliest due item), if known.
    pub next_due: Option<Date>,
    /// 延期检验日期: the date an approved deferral runs to, if any.
    pub deferred_until: Option<Date>,
    /// The outcome of the last inspection, if any.
    pub last_outcome: Option<Outcome>,
}

impl StateInput {
    /// 在用: the use status is 在用 or 在用未注册.
    pub fn is_in_use(&self) -> bool {
        IN_USE.contains(&self.use_status)
    }

    /// 超期未检: in use, `next_due < today`, and no deferral that runs to today or later.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_in_use()
            && self.next_due.is_some_and(|next| next < today)
            && self.deferred_until.is_none_or(|until| until < today)
    }

    /// 即将到期: in use and `today <= next_due <= today + horizon_days`.
    pub fn is_due_soon(&self, today: Date, horizon_days: u16) -> bool {
        let horizon = today
            .checked_add(Duration::days(i64::from(horizon_days)))
            .unwrap_or(Date::MAX);
        self.is_in_use()
            && self
                .next_due
                .is_some_and(|next| today <= next && next <= horizon)
    }

    /// 到期待检 in the legal sense: in use, and today lies in the month before the next
    /// inspection date (from [`legal_window_start`] to the date itself), when the user must have
    /// applied for the inspection.
    pub fn is_in_legal_window(&self, today: Date) -> bool {
        self.is_in_use()
            && self
                .next_due
                .is_some_and(|next| legal_window_start(next) <= today && today <= next)
    }

    /// 不合格: the last outcome failed, the equipment is not gone and not cancelled.
    pub fn is_unqualified(&self) -> bool {
        self.last_outcome == Some(Outcome::Fail)
            && !GONE.contains(&self.use_status)
            && self.registration_status != RegistrationStatus::Cancelled
    }

    /// 非在用: not in use, or the registration is cancelled.
    pub fn is_inactive(&self) -> bool {
        !self.is_in_use() || self.registration_status == RegistrationStatus::Cancelled
    }

    /// 超期天数: the days since the next inspection date, when the equipment is overdue.
    pub fn overdue_days(&self, today: Date) -> Option<i64> {
        if self.is_overdue(today) {
            self.next_due.map(|next| overdue_days(next, today))
        } else {
            None
        }
    }

    /// Every state that holds today, in the order of [`EquipmentState::all`].
    pub fn states(&self, today: Date, horizon_days: u16) -> Vec<EquipmentState> {
        EquipmentState::all()
            .iter()
            .copied()
            .filter(|state| match state {
                EquipmentState::Overdue => self.is_overdue(today),
                EquipmentState::DueSoon => self.is_due_soon(today, horizon_days),
                EquipmentState::Unqualified => self.is_unqualified(),
                EquipmentState::Inactive => self.is_inactive(),
            })
            .collect()
    }
}

/// 超期天数: whole days from `next` to `today` (negative while `next` is still ahead).
pub fn overdue_days(next: Date, today: Date) -> i64 {
    (today - next).whole_days()
}

/// The legal application deadline for an inspection due on `next`: one calendar month earlier,
/// the day clamped to the end of the shorter month (`2024-03-31` → `2024-02-29`).
pub fn legal_window_start(next: Date) -> Date {
    let (year, month) = match next.month() {
        Month::January => (next.year() - 1, Month::December),
        month => (next.year(), month.previous()),
    };
    let day = next.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// 设备状态: a derived dashboard state, as the lists and counts of the overview name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentState {
    /// 超期未检.
    Overdue,
    /// 即将到期.
    DueSoon,
    /// 不合格.
    Unqualified,
    /// 非在用.
    Inactive,
}

crate::error::wire_enum_names!(EquipmentState, "unknown_equipment_state", "未知的设备状态", {
    Overdue => "overdue",
    DueSoon => "due_soon",
    Unqualified => "unqualified",
    Inactive => "inactive",
});

impl EquipmentState {
    /// Every state.
    pub fn all() -> &'static [EquipmentState] {
        &[
            EquipmentState::Overdue,
            EquipmentState::DueSoon,
            EquipmentState::Unqualified,
            EquipmentState::Inactive,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            EquipmentState::Overdue => "超期未检",
            EquipmentState::DueSoon => "即将到期",
            EquipmentState::Unqualified => "不合格",
            EquipmentState::Inactive => "非在用",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 05 - 20);

    fn input(next: Option<Date>) -> StateInput {
        StateInput {
            use_status: UseStatus::InUse,
            registration_status: RegistrationStatus::Registered,
            next_due: next,
            deferred_until: None,
            last_outcome: Some(Outcome::Pass),
        }
    }

    #[test]
    fn overdue_and_deferral() {
        let late = input(Some(date!(2026 - 05 - 19)));
        assert!(late.is_overdue(TODAY));
        assert_eq!(late.overdue_days(TODAY), Some(1));
        assert!(!input(Some(TODAY)).is_overdue(TODAY));
        let deferred = StateInput {
            deferred_until: Some(TODAY),
            ..late
        };
        assert!(!deferred.is_overdue(TODAY));
        assert_eq!(deferred.overdue_days(TODAY), None);
        let lapsed = StateInput {
            deferred_until: Some(date!(2026 - 05 - 19)),
            ..late
        };
        assert!(lapsed.is_overdue(TODAY));
        let stopped = StateInput {
            use_status: UseStatus::Stopped,
            ..late
        };
        assert!(!stopped.is_overdue(TODAY));
        assert!(stopped.is_inactive());
        let unregistered = StateInput {
            use_status: UseStatus::InUseUnregistered,
            ..late
        };
        assert!(unregistered.is_overdue(TODAY));
        assert!(!input(None).is_overdue(TODAY));
        assert_eq!(overdue_days(date!(2026 - 01 - 01), TODAY), 139);
    }

    #[test]
    fn due_soon_within_the_horizon() {
        assert!(input(Some(TODAY)).is_due_soon(TODAY, DEFAULT_DUE_SOON_DAYS));
        assert!(input(Some(date!(2026 - 06 - 19))).is_due_soon(TODAY, 30));
        assert!(!input(Some(date!(2026 - 06 - 20))).is_due_soon(TODAY, 30));
        assert!(input(Some(date!(2026 - 06 - 20))).is_due_soon(TODAY, 60));
        assert!(!input(Some(date!(2026 - 05 - 19))).is_due_soon(TODAY, 30));
        assert!(input(Some(date!(2026 - 06 - 20))).is_in_legal_window(TODAY));
        assert!(!input(Some(date!(2026 - 06 - 21))).is_in_legal_window(TODAY));
    }

    #[test]
    fn legal_window_is_one_calendar_month() {
        assert_eq!(
            legal_window_start(date!(2024 - 03 - 31)),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            legal_window_start(date!(2026 - 01 - 15)),
            date!(2025 - 12 - 15)
        );
        assert_eq!(
            legal_window_start(date!(2026 - 07 - 31)),
            date!(2026 - 06 - 30)
        );
        assert_eq!(legal_window_start(Date::MIN), Date::MIN);
    }

    #[test]
    fn unqualified_until_gone_or_cancelled() {
        let failed = StateInput {
            last_outcome: Some(Outcome::Fail),
            ..input(None)
        };
        assert!(failed.is_unqualified());
        let stopped = StateInput {
            use_status: UseStatus::Stopped,
            ..failed
        };
        assert!(stopped.is_unqualified());
        for gone in GONE {
            let g = StateInput {
                use_status: *gone,
                ..failed
            };
            assert!(!g.is_unqualified(), "{gone}");
        }
        let cancelled = StateInput {
            registration_status: RegistrationStatus::Cancelled,
            ..failed
        };
        assert!(!cancelled.is_unqualified());
        assert!(cancelled.is_inactive());
        assert!(!input(None).is_unqualified());
        assert_eq!(failed.states(TODAY, 30), [EquipmentState::Unqualified]);
    }

    #[test]
    fn states_on_the_wire() {
        for state in EquipmentState::all() {
            assert_eq!(
                serde_json::to_string(state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
            assert_eq!(state.as_str().parse::<EquipmentState>().unwrap(), *state);
        }
        assert_eq!(EquipmentState::DueSoon.as_str(), "due_soon");
        assert_eq!(EquipmentState::Overdue.label_zh(), "超期未检");
        assert!(IN_USE.iter().all(|s| s.is_active()));
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (-40_000i64..40_000).prop_map(|days| TODAY + Duration::days(days))
    }

    proptest! {
        #[test]
        fn states_are_consistent(
            status in 1u8..=9,
            cancelled in any::<bool>(),
            next in proptest::option::of(any_date()),
            deferred in proptest::option::of(any_date()),
            outcome in proptest::option::of(0usize..3),
            today in any_date(),
            horizon in any::<u16>(),
        ) {
            let s = StateInput {
                use_status: UseStatus::from_code(status).unwrap(),
                registration_status: if cancelled { RegistrationStatus::Cancelled } else { RegistrationStatus::Registered },
                next_due: next,
                deferred_until: deferred,
                last_outcome: outcome.map(|i| Outcome::all()[i]),
            };
            prop_assert!(!(s.is_overdue(today) && s.is_due_soon(today, horizon)));
            if s.is_overdue(today) || s.is_due_soon(today, horizon) {
                prop_assert!(s.is_in_use());
            }
            if s.is_overdue(today) {
                prop_assert!(s.overdue_days(today).unwrap() > 0);
            }
            if !cancelled {
                prop_assert_eq!(s.is_inactive(), !s.is_in_use());
            }
            if let Some(next) = next {
                let start = legal_window_start(next);
                prop_assert!(start < next);
                prop_assert!((next - start).whole_days() <= 31);
            }
        }
    }
}
