//! 基本信息维护 (manual §6.1): the enterprise's own details.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use validator::{Validate, ValidationError};

/// 单位信息。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseDetails {
    pub id: i64,
    /// 单位名称（只读：更名请联系检验院）。
    pub name: String,
    /// 统一社会信用代码（只读）。
    pub credit_code: String,
    /// 单位类型代码，如 `use_unit` 使用单位。
    pub unit_type: String,
    /// 所在区县代码（只读：迁址到其他区县须向监管局办理）。
    pub district_code: String,
    /// 所在区县名称。
    pub district_name: String,
    /// 单位地址。
    pub address: String,
    /// 法定代表人。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<String>,
    /// 安全管理负责人。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_manager: Option<String>,
    /// 安全管理负责人手机：接收检验信息、电子发票、检验意见通知书等短信。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_manager_phone: Option<String>,
    /// 单位联系电话。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// 电子邮箱。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 最后修改时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
}

/// 保存单位信息。单位名称和统一社会信用代码不能在此修改。更换安全管理负责人手机时须再次输入
/// 当前登录密码（`current_password`）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "address": "湖州市吴兴区凤凰路 88 号", "legal_representative": "沈建华",
    "safety_manager": "沈国强", "safety_manager_phone": "13857201000",
    "contact_phone": "0572-2123456", "email": "safety@example.com"
})))]
pub struct UpdateEnterprise {
    /// 单位地址, 1–200 字。
    #[validate(length(min = 1, max = 200, message = "单位地址应为 1 到 200 个字"))]
    pub address: String,
    /// 法定代表人, 最多 50 字。
    #[serde(default)]
    #[validate(length(max = 50, message = "法定代表人不超过 50 个字"))]
    pub legal_representative: Option<String>,
    /// 安全管理负责人, 最多 50 字。
    #[serde(default)]
    #[validate(length(max = 50, message = "安全管理负责人不超过 50 个字"))]
    pub safety_manager: Option<String>,
    /// 安全管理负责人手机（11 位）。
    #[serde(default)]
    #[validate(custom(
        function = "mobile_number_or_empty",
        message = "请输入有效的 11 位手机号码"
    ))]
    pub safety_manager_phone: Option<String>,
    /// 单位联系电话（手机或座机）。
    #[serde(default)]
    #[validate(length(max = 30, message = "联系电话过长"))]
    pub contact_phone: Option<String>,
    /// 电子邮箱。
    #[serde(default)]
    #[validate(
        email(message = "请输入有效的电子邮箱"),
        length(max = 120, message = "电子邮箱过长")
    )]
    pub email: Option<String>,
    /// 当前登录密码：只在更换安全管理负责人手机时需要。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

/// An empty mobile clears the field; anything else must be a mobile number.
fn mobile_number_or_empty(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Ok(());
    }
    crate::me::mobile_number(value)
}
