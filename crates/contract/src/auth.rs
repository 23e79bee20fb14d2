//! 登录与会话: login, token refresh, logout.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// Name of the HttpOnly cookie that carries a browser's refresh token (path `/api/v1/auth`).
pub const REFRESH_COOKIE: &str = "tejian_refresh";

/// 登录请求。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "username": "demo-ent-1", "password": "Tejian-demo-2026"
})))]
pub struct LoginRequest {
    /// 用户名。
    #[validate(length(min = 1, max = 64, message = "请输入用户名"))]
    pub username: String,
    /// 密码。
    #[validate(length(min = 1, max = 128, message = "请输入密码"))]
    pub password: String,
    /// 浏览器设为 true：刷新令牌只放在 HttpOnly Cookie 中，不出现在响应体里。
    #[serde(default)]
    pub use_cookie: bool,
}

/// 登录或刷新成功后的令牌。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// 短期访问令牌 (JWT)，放在 `Authorization: Bearer …` 中。
    pub access_token: String,
    /// 固定为 `Bearer`。
    pub token_type: String,
    /// 刷新令牌（一次性，使用后轮换）；`use_cookie` 时为空，令牌在 Cookie 中。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// 访问令牌有效秒数。
    pub expires_in: u64,
    /// 为 true 时必须先修改密码（其他接口返回 `password_change_required`）。
    pub must_change_password: bool,
}

/// 刷新或退出请求：API 客户端在请求体里带刷新令牌；浏览器留空，用 Cookie。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// 刷新令牌；浏览器留空。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}
