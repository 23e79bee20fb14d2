//! 企业用户管理 and API 令牌: an enterprise admin's colleagues, their roles, and the tokens handed to
//! integrators.

use serde::{Deserialize, Serialize};
use tejian_domain::account::EnterpriseRole;
use tejian_domain::api_token::TokenScope;
use time::OffsetDateTime;
use validator::Validate;

/// 企业用户。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseUser {
    pub id: i64,
    /// 登录用户名。
    pub username: String,
    /// 姓名。
    pub display_name: String,
    /// 角色。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::enterprise_role))]
    pub role: EnterpriseRole,
    /// 手机号码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 已停用（不能登录，会话和所建令牌均失效）。
    pub disabled: bool,
    /// 首次登录须修改密码（尚未修改）。
    pub must_change_password: bool,
    /// 上次登录时间。
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_login_at: Option<OffsetDateTime>,
    /// 创建时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

/// 新增企业用户。初始密码随机生成，以短信发到该用户手机，首次登录必须修改。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "username": "hzjx-wang", "display_name": "王芳", "role": "operator", "phone": "13857200002"
})))]
pub struct NewEnterpriseUser {
    /// 登录用户名：3–32 位字母、数字、下划线、点或连字符。
    pub username: String,
    /// 姓名, 1–50 字。
    #[validate(length(min = 1, max = 50, message = "姓名应为 1 到 50 个字"))]
    pub display_name: String,
    /// 角色，默认 `viewer`。
    #[serde(default = "viewer")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::enterprise_role))]
    pub role: EnterpriseRole,
    /// 手机号码（接收初始密码），必填。
    #[validate(custom(
        function = "crate::me::mobile_number",
        message = "请输入有效的 11 位手机号码"
    ))]
    pub phone: String,
    /// 电子邮箱，可空。
    #[serde(default)]
    #[validate(
        email(message = "请输入有效的电子邮箱"),
        length(max = 120, message = "电子邮箱过长")
    )]
    pub email: Option<String>,
}

fn viewer() -> EnterpriseRole {
    EnterpriseRole::Viewer
}

/// 修改企业用户：角色、停用/启用。省略的字段不变。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateEnterpriseUser {
    /// 新角色。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "operator"))]
    pub role: Option<EnterpriseRole>,
    /// `true` 停用（其会话立即结束），`false` 启用。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// API 令牌（列表中不含令牌本身）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: i64,
    /// 名称。
    pub name: String,
    /// 令牌开头几个字符，用于辨认。
    pub hint: String,
    /// 权限：`read` 只读，`write` 读写。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::token_scope))]
    pub scope: TokenScope,
    /// 创建人。
    pub created_by_name: String,
    /// 创建时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// 到期时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
    /// 最近使用时间（精确到分钟）。
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<OffsetDateTime>,
    /// 吊销时间。
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<OffsetDateTime>,
    /// `active` 有效, `expired` 已过期, `revoked` 已吊销。
    pub state: String,
}

/// 新建 API 令牌。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "ERP 同步", "scope": "read", "expires_in_days": 90
})))]
pub struct NewApiToken {
    /// 名称（用途），1–50 个字符。
    pub name: String,
    /// 权限，默认 `read`（只读）。
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::token_scope))]
    pub scope: TokenScope,
    /// 有效天数 1–365，默认 90。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// 新建的令牌：`token` 只在这一次返回，平台只保存其散列值。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    /// 令牌（`Authorization: Bearer tjk_…`），请立即妥善保存。
    pub token: String,
    /// 令牌信息。
    pub info: ApiToken,
}

/// 操作日志的一条记录。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// 时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// 操作人用户名（API 令牌操作时为 `令牌:名称`）。
    pub actor: String,
    /// 操作人姓名。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// 操作代码，如 `login_succeeded`、`inspection_application_submitted`。
    pub action: String,
    /// 操作名称（中文）。
    pub action_label: String,
    /// 对象类型与编号。
    pub entity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// 变更前。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// 变更后。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    /// 客户端地址。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_addr: Option<String>,
}

/// 操作日志查询条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// 操作人用户名（精确）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// 操作代码（精确），如 `login_failed`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// 起始日期（含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub from: Option<time::Date>,
    /// 截止日期（含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub to: Option<time::Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}
