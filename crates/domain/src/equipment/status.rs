//! 使用状态 and 注册状态, with the numeric codes of the legacy platforms.

use serde::{Deserialize, Serialize};

/// 使用状态: whether and how a unit of equipment is being used.
///
/// The numbers are the legacy `EQP_USE_STA` codes, kept for imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseStatus {
    /// 1 未投入使用: installed or bought, not yet used.
    NotYetInUse,
    /// 2 在用: in use.
    InUse,
    /// 3 停用: stopped (for a year or more, with a 停用标志 and a filing at the bureau).
    Stopped,
    /// 4 报废: scrapped.
    Scrapped,
    /// 5 拆除: dismantled.
    Dismantled,
    /// 6 迁出: moved out of the jurisdiction (relocated or transferred to another authority).
    MovedOut,
    /// 7 垃圾数据: a junk record.
    Junk,
    /// 8 删除(移除监察): removed from supervision.
    Removed,
    /// 9 在用未注册: in use but not registered.
    InUseUnregistered,
}

crate::error::wire_enum_names!(UseStatus, "unknown_use_status", "未知的使用状态", {
    NotYetInUse => "not_yet_in_use",
    InUse => "in_use",
    Stopped => "stopped",
    Scrapped => "scrapped",
    Dismantled => "dismantled",
    MovedOut => "moved_out",
    Junk => "junk",
    Removed => "removed",
    InUseUnregistered => "in_use_unregistered",
});

impl UseStatus {
    /// Every status, in the order of the legacy codes.
    pub fn all() -> &'static [UseStatus] {
        use UseStatus::*;
        &[
            NotYetInUse,
            InUse,
            Stopped,
            Scrapped,
            Dismantled,
            MovedOut,
            Junk,
            Removed,
            InUseUnregistered,
        ]
    }

    /// The legacy numeric code, 1–9.
    pub fn code(self) -> u8 {
        use UseStatus::*;
        match self {
            NotYetInUse => 1,
            InUse => 2,
            Stopped => 3,
            Scrapped => 4,
            Dismantled => 5,
            MovedOut => 6,
            Junk => 7,
            Removed => 8,
            InUseUnregistered => 9,
        }
    }

    /// The status with this legacy code.
    pub fn from_code(code: u8) -> Option<UseStatus> {
        Self::all().iter().copied().find(|s| s.code() == code)
    }

    /// The Chinese name, as the legacy platforms show it.
    pub fn label_zh(self) -> &'static str {
        use UseStatus::*;
        match self {
            NotYetInUse => "未投入使用",
            InUse => "在用",
            Stopped => "停用",
            Scrapped => "报废",
            Dismantled => "拆除",
            MovedOut => "迁出",
            Junk => "垃圾数据",
            Removed => "删除(移除监察)",
            InUseUnregistered => "在用未注册",
        }
    }

    /// `true` when the equipment is operating (在用 or 在用未注册), and so must be inspected on time.
    pub fn is_active(self) -> bool {
        matches!(self, UseStatus::InUse | UseStatus::InUseUnregistered)
    }
}

/// 注册状态: whether a unit of equipment is on the bureau's register.
///
/// The numbers are the legacy `EQP_REG_STA` codes (2 is not used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// 0 待注册: awaiting registration.
    Pending,
    /// 1 在册: registered.
    Registered,
    /// 3 注销登记: registration cancelled.
    Cancelled,
}

crate::error::wire_enum_names!(RegistrationStatus, "unknown_registration_status", "未知的注册状态", {
    Pending => "pending",
    Registered => "registered",
    Cancelled => "cancelled",
});

impl RegistrationStatus {
    /// Every status, in the order of the legacy codes.
    pub fn all() -> &'static [RegistrationStatus] {
        &[
            RegistrationStatus::Pending,
            RegistrationStatus::Registered,
            RegistrationStatus::Cancelled,
        ]
    }

    /// The legacy numeric code: 0, 1 or 3.
    pub fn code(self) -> u8 {
        match self {
            RegistrationStatus::Pending => 0,
            RegistrationStatus::Registered => 1,
            RegistrationStatus::Cancelled => 3,
        }
    }

    /// The status with this legacy code.
    pub fn from_code(code: u8) -> Option<RegistrationStatus> {
        Self::all().iter().copied().find(|s| s.code() == code)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "待注册",
            RegistrationStatus::Registered => "在册",
            RegistrationStatus::Cancelled => "注销登记",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_status_codes_and_names() {
        let codes: Vec<u8> = UseStatus::all().iter().map(|s| s.code()).collect();
        assert_eq!(codes, (1..=9).collect::<Vec<u8>>());
        for status in UseStatus::all() {
            assert_eq!(UseStatus::from_code(status.code()), Some(*status));
            assert_eq!(status.as_str().parse::<UseStatus>().unwrap(), *status);
            assert_eq!(
                serde_json::to_string(status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
        assert_eq!(UseStatus::from_code(0), None);
        assert_eq!(UseStatus::from_code(10), None);
        assert_eq!(UseStatus::InUseUnregistered.as_str(), "in_use_unregistered");
        assert_eq!(
            UseStatus::from_code(8).unwrap().label_zh(),
            "删除(移除监察)"
        );
        let err = "in use".parse::<UseStatus>().unwrap_err();
        assert_eq!(err.code(), "unknown_use_status");
        assert!(err.to_string().contains("未知的使用状态"));
    }

    #[test]
    fn only_operating_equipment_is_active() {
        let active: Vec<UseStatus> = UseStatus::all()
            .iter()
            .copied()
            .filter(|s| s.is_active())
            .collect();
        assert_eq!(active, [UseStatus::InUse, UseStatus::InUseUnregistered]);
    }

    #[test]
    fn registration_status_codes_and_names() {
        for status in RegistrationStatus::all() {
            assert_eq!(RegistrationStatus::from_code(status.code()), Some(*status));
            assert_eq!(
                status.as_str().parse::<RegistrationStatus>().unwrap(),
                *status
            );
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(
                serde_json::from_str::<RegistrationStatus>(&json).unwrap(),
                *status
            );
        }
        assert_eq!(RegistrationStatus::from_code(2), None);
        assert_eq!(RegistrationStatus::Cancelled.code(), 3);
        assert_eq!(RegistrationStatus::Registered.label_zh(), "在册");
    }
}
