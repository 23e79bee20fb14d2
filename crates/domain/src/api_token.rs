//! API 令牌: how an enterprise lets a third-party system (an integrator) call the platform's
//! REST API on its behalf, without a person's password.
//!
//! An enterprise admin creates a token with a name, a [`TokenScope`] (read-only unless chosen
//! otherwise) and a [`TokenLifetime`]. The secret is shown once; the platform keeps only its
//! hash, so a lost token is revoked and replaced, never recovered. A token acts for its enterprise
//! with the rights of its scope and never manages users, tokens or passwords.

use serde::{Deserialize, Serialize};

use crate::account::EnterpriseRole;
use crate::error::{ParseError, string_newtype};

/// Every token starts with this, so a bearer value is recognised as an API token (not a JWT) and
/// secret scanners can find leaked ones.
pub const TOKEN_PREFIX: &str = "tjk_";

/// The number of characters after [`TOKEN_PREFIX`] (32 random bytes, base64url).
pub const SECRET_CHARS: usize = 43;

/// `true` when `bearer` has the shape of an API token (it may still be unknown or revoked).
pub fn looks_like_token(bearer: &str) -> bool {
    bearer.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == SECRET_CHARS
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// 只读: every read the enterprise's viewers may make.
    #[default]
    Read,
    /// 读写: also what an operator may do (apply, request changes, pay, write to the bureau).
    Write,
}

crate::error::wire_enum_names!(TokenScope, "unknown_token_scope", "未知的令牌权限", {
    Read => "read",
    Write => "write",
});

impl TokenScope {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            TokenScope::Read => "只读",
            TokenScope::Write => "读写",
        }
    }

    /// The enterprise role a token of this scope acts with.
    pub fn acts_as(self) -> EnterpriseRole {
        match self {
            TokenScope::Read => EnterpriseRole::Viewer,
            TokenScope::Write => EnterpriseRole::Operator,
        }
    }
}

/// The most characters in a token's name.
pub const NAME_MAX_CHARS: usize = 50;

/// 令牌名称: what the token is for, e.g. `ERP 同步`; 1–50 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenName(String);

impl TokenName {
    /// Parses a name; fails with `invalid_token_name`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let name = value.trim();
        let count = name.chars().count();
        if count == 0 || count > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(ParseError::new(
                "invalid_token_name",
                format!("令牌名称应为 1 到 {NAME_MAX_CHARS} 个字符"),
            ));
        }
        Ok(TokenName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(TokenName);

/// How long a token works: 1 to 365 days, 90 unless chosen. A token that never expires is not
/// offered: a forgotten integration should stop by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct TokenLifetime(u32);

impl TokenLifetime {
    /// The shortest lifetime in days.
    pub const MIN_DAYS: u32 = 1;
    /// The longest lifetime in days.
    pub const MAX_DAYS: u32 = 365;
    /// The lifetime when none is chosen.
    pub const DEFAULT: TokenLifetime = TokenLifetime(90);

    /// A lifetime of `days`; fails with `invalid_token_lifetime`.
    pub fn days(days: u32) -> Result<Self, ParseError> {
        if (Self::MIN_DAYS..=Self::MAX_DAYS).contains(&days) {
            Ok(TokenLifetime(days))
        } else {
            Err(ParseError::new(
                "invalid_token_lifetime",
                format!("有效期应为 {} 到 {} 天", Self::MIN_DAYS, Self::MAX_DAYS),
            ))
        }
    }

    /// The lifetime as a duration.
    pub fn duration(self) -> time::Duration {
        time::Duration::days(i64::from(self.0))
    }

    /// The number of days.
    pub fn as_days(self) -> u32 {
        self.0
    }
}

impl Default for TokenLifetime {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for TokenLifetime {
    type Error = ParseError;
    fn try_from(days: u32) -> Result<Self, Self::Error> {
        Self::days(days)
    }
}

impl From<TokenLifetime> for u32 {
    fn from(value: TokenLifetime) -> u32 {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scopes() {
        assert_eq!(TokenScope::default(), TokenScope::Read);
        assert_eq!(TokenScope::Read.acts_as(), EnterpriseRole::Viewer);
        assert!(!TokenScope::Read.acts_as().can_write());
        assert!(TokenScope::Write.acts_as().can_write());
        assert!(!TokenScope::Write.acts_as().can_administer());
        assert_eq!("write".parse::<TokenScope>().unwrap(), TokenScope::Write);
        assert_eq!(
            "admin".parse::<TokenScope>().unwrap_err().code(),
            "unknown_token_scope"
        );
        assert_eq!(
            serde_json::to_string(&TokenScope::Read).unwrap(),
            "\"read\""
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            TokenName::parse("  ERP 同步 ").unwrap().as_str(),
            "ERP 同步"
        );
        assert_eq!(
            TokenName::parse(&"名".repeat(50))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            50
        );
        for bad in ["", "   ", &"名".repeat(51), "a\nb"] {
            assert_eq!(
                TokenName::parse(bad).unwrap_err().code(),
                "invalid_token_name",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn lifetimes() {
        assert_eq!(TokenLifetime::default().as_days(), 90);
        assert_eq!(
            TokenLifetime::days(1).unwrap().duration(),
            time::Duration::days(1)
        );
        assert!(TokenLifetime::days(365).is_ok());
        for bad in [0, 366, 10_000] {
            assert_eq!(
                TokenLifetime::days(bad).unwrap_err().code(),
                "invalid_token_lifetime"
            );
        }
        assert!(serde_json::from_str::<TokenLifetime>("400").is_err());
        assert_eq!(
            serde_json::from_str::<TokenLifetime>("30")
                .unwrap()
                .as_days(),
            30
        );
    }

    #[test]
    fn token_shape() {
        let ok = format!("{TOKEN_PREFIX}{}", "a".repeat(SECRET_CHARS));
        assert!(looks_like_token(&ok));
        assert!(!looks_like_token(&ok[..ok.len() - 1]));
        assert!(!looks_like_token(&format!("{ok}a")));
        assert!(!looks_like_token("eyJhbGciOiJIUzI1NiJ9.e30.sig"));
        let bad_char = format!("{TOKEN_PREFIX}{}+", "a".repeat(SECRET_CHARS - 1));
        assert!(!looks_like_token(&bad_char));
    }

    proptest! {
        #[test]
        fn name_parse_never_panics(input in any::<String>()) {
            if let Ok(name) = TokenName::parse(&input) {
                prop_assert!(!name.as_str().is_empty());
                prop_assert!(name.as_str().chars().count() <= NAME_MAX_CHARS);
            }
        }

        #[test]
        fn a_jwt_is_never_taken_for_a_token(a in "[A-Za-z0-9_-]{10,60}", b in "[A-Za-z0-9_-]{10,60}") {
            let jwt = format!("{a}.{b}.sig");
            prop_assert!(!looks_like_token(&jwt));
        }
    }
}
