//! 账户信息维护 (manual §7.1): the signed-in user's own profile and password.

use serde::{Deserialize, Serialize};
use tejian_domain::account::{EnterpriseRole, Role};
use time::OffsetDateTime;
use validator::{Validate, ValidationError};

/// 当前用户。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    /// 登录用户名。
    pub username: String,
    /// 姓名。
    pub display_name: String,
    /// 角色: `enterprise` 企业用户, `institute` 检验院, `bureau` 监管局, `admin` 系统管理员。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::role))]
    pub role: Role,
    /// 所属企业（企业用户）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<EnterpriseRef>,
    /// 在本单位的角色（企业用户）：`admin` 管理员, `operator` 经办, `viewer` 查看。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "admin"))]
    pub enterprise_role: Option<EnterpriseRole>,
    /// 所属监管局的辖区代码（监管局用户）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_code: Option<String>,
    /// 手机号码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 为 true 时必须先修改密码。
    pub must_change_password: bool,
    /// 上次登录时间。
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_login_at: Option<OffsetDateTime>,
}

/// 企业简要信息。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseRef {
    pub id: i64,
    /// 单位名称。
    pub name: String,
    /// 统一社会信用代码。
    pub credit_code: String,
}

/// 修改个人资料（个人资料选项卡）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "display_name": "张三", "phone": "13857200001", "email": "zhangsan@example.com"
})))]
pub struct UpdateMe {
    /// 姓名, 1–50 字。
    #[validate(length(min = 1, max = 50, message = "姓名应为 1 到 50 个字"))]
    pub display_name: String,
    /// 手机号码（中国大陆 11 位），可空。
    #[serde(default)]
    #[validate(custom(function = "mobile_number", message = "请输入有效的 11 位手机号码"))]
    pub phone: Option<String>,
    /// 电子邮箱，可空。
    #[serde(default)]
    #[validate(
        email(message = "请输入有效的电子邮箱"),
        length(max = 120, message = "电子邮箱过长")
    )]
    pub email: Option<String>,
}

/// 修改密码（账户安全选项卡）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    /// 当前密码。
    #[validate(length(min = 1, max = 128, message = "请输入当前密码"))]
    pub current_password: String,
    /// 新密码：8–128 个字符，不能是常见密码，不能与用户名相同。
    pub new_password: String,
}

/// `validator` check of a mainland mobile number with the domain's parser, shared by every form
/// that takes one.
pub(crate) fn mobile_number(value: &str) -> Result<(), ValidationError> {
    tejian_domain::phone::MobileNumber::parse(value)
        .map(|_| ())
        .map_err(|_| ValidationError::new("invalid_mobile"))
}
