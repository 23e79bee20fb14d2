//! 账户: who signs in, and in which role.
//!
//! Four kinds of people use the platform: the enterprises that use special equipment (使用单位),
//! the institute's staff (检验院), the staff of the district bureaus (监管局) and the system
//! administrators. An enterprise sees only its own data; staff see what their role covers.
//! [`password`] holds the rules for choosing a password.

pub mod password;

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, string_newtype};

/// 角色: what a signed-in user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 企业用户: a user of an enterprise (使用单位); sees its own enterprise's data only.
    Enterprise,
    /// 检验院: institute staff; runs registrations, applications, reports, fees and invoices.
    Institute,
    /// 监管局: bureau staff; approves status changes and answers messages in its district.
    Bureau,
    /// 系统管理员: a system administrator.
    Admin,
}

crate::error::wire_enum_names!(Role, "unknown_role", "未知的角色", {
    Enterprise => "enterprise",
    Institute => "institute",
    Bureau => "bureau",
    Admin => "admin",
});

impl Role {
    /// Every role.
    pub fn all() -> &'static [Role] {
        &[Role::Enterprise, Role::Institute, Role::Bureau, Role::Admin]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Enterprise => "企业用户",
            Role::Institute => "检验院",
            Role::Bureau => "监管局",
            Role::Admin => "系统管理员",
        }
    }

    /// `true` for everyone who is not an enterprise user.
    pub fn is_staff(self) -> bool {
        self != Role::Enterprise
    }
}

/// 企业内角色: what a user of an enterprise may do within it.
///
/// Roles are cumulative: an operator can do everything a viewer can, an admin everything an
/// operator can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseRole {
    /// 查看: reads everything of the enterprise, changes nothing (but their own profile).
    Viewer,
    /// 经办: also applies for inspections, asks for status changes, pays, writes to the bureau.
    Operator,
    /// 管理员: also keeps the enterprise's details, its users, API tokens and reminder settings,
    /// and reads the audit log.
    Admin,
}

crate::error::wire_enum_names!(EnterpriseRole, "unknown_enterprise_role", "未知的企业用户角色", {
    Viewer => "viewer",
    Operator => "operator",
    Admin => "admin",
});

impl EnterpriseRole {
    /// Every enterprise role, least privileged first.
    pub fn all() -> &'static [EnterpriseRole] {
        &[
            EnterpriseRole::Viewer,
            EnterpriseRole::Operator,
            EnterpriseRole::Admin,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            EnterpriseRole::Viewer => "查看",
            EnterpriseRole::Operator => "经办",
            EnterpriseRole::Admin => "管理员",
        }
    }

    /// `true` when the role may change the enterprise's data (submit, pay, write).
    pub fn can_write(self) -> bool {
        self >= EnterpriseRole::Operator
    }

    /// `true` when the role may manage the enterprise's users, tokens and details.
    pub fn can_administer(self) -> bool {
        self == EnterpriseRole::Admin
    }
}

/// The fewest characters in a username.
pub const USERNAME_MIN_CHARS: usize = 3;
/// The most characters in a username.
pub const USERNAME_MAX_CHARS: usize = 32;

/// 用户名: a login name of 3–32 characters from `A–Z a–z 0–9 _ . -`, e.g. `demo-ent-1`.
///
/// Surrounding whitespace is trimmed; case is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parses a username; fails with `invalid_username`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let name = value.trim();
        let length_ok = (USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&name.chars().count());
        let chars_ok = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if length_ok && chars_ok {
            Ok(Username(name.to_owned()))
        } else {
            Err(ParseError::new(
                "invalid_username",
                format!(
                    "用户名应为 {USERNAME_MIN_CHARS}–{USERNAME_MAX_CHARS} 位字母、数字、下划线、点或连字符"
                ),
            ))
        }
    }

    /// The username, e.g. `demo-ent-1`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(Username);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_on_the_wire() {
        for role in Role::all() {
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), *role);
            assert_eq!(role.as_str().parse::<Role>().unwrap(), *role);
        }
        assert_eq!(Role::Bureau.label_zh(), "监管局");
        assert!(!Role::Enterprise.is_staff());
        assert!(Role::Institute.is_staff() && Role::Bureau.is_staff() && Role::Admin.is_staff());
        assert_eq!("root".parse::<Role>().unwrap_err().code(), "unknown_role");
    }

    #[test]
    fn usernames() {
        for ok in [
            "demo-ent-1",
            "demo-institute",
            "a.b_c",
            "abc",
            &"x".repeat(32),
        ] {
            assert_eq!(Username::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            Username::parse("  Zhang.San ").unwrap().as_str(),
            "Zhang.San"
        );
        for bad in ["", "ab", "张三丰", "a b c", "abc@x", &"x".repeat(33)] {
            assert_eq!(
                Username::parse(bad).unwrap_err().code(),
                "invalid_username",
                "{bad}"
            );
        }
        let json = serde_json::to_string(&Username::parse("demo-bureau").unwrap()).unwrap();
        assert_eq!(json, "\"demo-bureau\"");
        assert!(serde_json::from_str::<Username>("\"a\"").is_err());
    }

    #[test]
    fn enterprise_roles_are_cumulative() {
        use EnterpriseRole::*;
        assert!(!Viewer.can_write() && !Viewer.can_administer());
        assert!(Operator.can_write() && !Operator.can_administer());
        assert!(Admin.can_write() && Admin.can_administer());
        for role in EnterpriseRole::all() {
            assert_eq!(role.as_str().parse::<EnterpriseRole>().unwrap(), *role);
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Viewer.label_zh(), "查看");
        assert_eq!(
            "owner".parse::<EnterpriseRole>().unwrap_err().code(),
            "unknown_enterprise_role"
        );
    }

    proptest! {
        #[test]
        fn username_parse_never_panics(input in any::<String>()) {
            let _ = Username::parse(&input);
        }

        #[test]
        fn valid_usernames_round_trip(name in "[A-Za-z0-9_.-]{3,32}") {
            let parsed = Username::parse(&name).unwrap();
            prop_assert_eq!(parsed.as_str(), name.as_str());
        }
    }
}
