//! RFC 9457 problem details: the one error shape of the API.

use serde::{Deserialize, Serialize};

/// The media type of every error response.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// 错误响应 (RFC 9457 problem details). `code` is stable and machine-readable; `title` and
/// `detail` are Chinese text for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://tejian.dev/problems/not_found",
    "title": "未找到",
    "status": 404,
    "detail": "请求的对象不存在或无权访问",
    "code": "not_found"
})))]
pub struct Problem {
    /// 问题类型 URI, `https://tejian.dev/problems/{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// 简短标题（中文）。
    pub title: String,
    /// HTTP 状态码。
    pub status: u16,
    /// 详细说明（中文）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// 稳定的机器可读错误码, snake_case, e.g. `validation_failed`, `not_found`.
    pub code: String,
    /// 字段级错误（仅校验失败时）。
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// 字段错误: which field (JSON pointer), why (code) and what to do (detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer to the field, e.g. `/new_password`.
    pub pointer: String,
    /// 稳定错误码, e.g. `password_too_short`.
    pub code: String,
    /// 中文说明。
    pub detail: String,
}

impl Problem {
    /// The `type` URI for a machine code.
    pub fn type_uri(code: &str) -> String {
        format!("https://tejian.dev/problems/{code}")
    }

    /// A problem with the given status, code and Chinese title.
    pub fn new(status: u16, code: &str, title: &str) -> Self {
        Self {
            kind: Self::type_uri(code),
            title: title.to_owned(),
            status,
            detail: None,
            code: code.to_owned(),
            errors: Vec::new(),
        }
    }

    /// Adds the human detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The text to show a person: the detail when there is one, else the title.
    pub fn message(&self) -> &str {
        self.detail.as_deref().unwrap_or(&self.title)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message(), self.code)
    }
}

impl std::error::Error for Problem {}
