//! The one error type every parser of the domain returns.
//!
//! A value that comes from a person or from a legacy database (a credit code typed into a form, a
//! conclusion copied from an old report) is parsed once, at the edge, into a domain type. When that
//! fails the caller gets a [`ParseError`]: a stable snake_case [`code`](ParseError::code) that
//! programs can branch on (the API puts it in its problem body) and a Chinese
//! [`message`](ParseError::message) a user can read. `Display` prints the message.

use std::fmt;

/// 解析错误: why a piece of text is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    code: &'static str,
    message: String,
}

impl ParseError {
    /// An error with a stable machine code (snake_case) and a Chinese message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable, machine-readable code, e.g. `invalid_credit_code`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message for people, in Chinese.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// 提示: a value was accepted but does not follow the current standard.
///
/// Legacy data is never rejected for being old-fashioned; it is kept and flagged. A warning has the
/// same shape as an error: a stable `code` and a Chinese `message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeWarning {
    code: &'static str,
    message: String,
}

impl CodeWarning {
    /// A warning with a stable machine code (snake_case) and a Chinese message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable, machine-readable code, e.g. `nonstandard_format`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message for people, in Chinese.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Implements `Serialize` as the string, and `TryFrom<String>`, `FromStr`, `Display`,
/// `AsRef<str>` and `From<T> for String` for a newtype that has `parse(&str)` and `as_str()`.
macro_rules! string_newtype {
    ($ty:ty) => {
        impl ::std::convert::TryFrom<String> for $ty {
            type Error = $crate::ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::ParseError;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::parse(value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.as_str().to_owned()
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Implements `as_str`, `FromStr`, `Display` (the snake_case name) for a wire enum, from one table
/// of `Variant => "name"`. The names must equal the serde names; each module tests that.
macro_rules! wire_enum_names {
    ($ty:ty, $unknown_code:literal, $unknown_msg:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The snake_case name used on the wire and in the database, e.g. `in_use`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::ParseError;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value.trim() {
                    $($name => Ok(Self::$variant),)+
                    other => Err($crate::ParseError::new(
                        $unknown_code,
                        format!(concat!($unknown_msg, "：{}"), other),
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_newtype;
pub(crate) use wire_enum_names;
