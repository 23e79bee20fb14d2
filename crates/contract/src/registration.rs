//! 账号开通 (manual §3): the terms, the online registration and its review by the institute, and
//! the institute's direct creation of an enterprise from the paper form.

use serde::{Deserialize, Serialize};
use tejian_domain::registration::{RegistrationState, UnitType};
use time::OffsetDateTime;
use validator::Validate;

/// Form field of the JSON part of `POST /registrations` (multipart).
pub const REGISTRATION_PART: &str = "registration";
/// Form field of the 营业执照 file part of `POST /registrations` (multipart).
pub const LICENCE_PART: &str = "licence";

/// 《湖州市特种设备企业服务平台企业客户服务条款》。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationTerms {
    /// 标题。
    pub title: String,
    /// 版本；注册时回传 `terms_version`，表示申请人同意的版本。
    pub version: String,
    /// 条款正文，每段一行。
    pub text: String,
    /// 至少阅读的秒数，之后才能点击「同意以上条款」。
    pub min_read_seconds: u32,
}

/// 账号申请表: the fields of the online form (manual 3.1.4) and of the paper form (3.2.1).
///
/// Every field is read as text, so that each mistake is reported on its own field
/// (`validation_failed`, `errors[].pointer` e.g. `/credit_code`) instead of failing the whole body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "unit_type": "use_unit", "name": "湖州示例机械有限公司", "credit_code": "91330502MA2B3C4D58",
    "district_code": "330502", "address": "湖州市吴兴区示例路 1 号", "legal_representative": "王建国",
    "safety_manager": "沈国强", "safety_manager_phone": "13857201234", "applicant_name": "钱丽",
    "applicant_phone": "13957205678", "email": "safety@example.com", "terms_version": "2026-11"
})))]
#[serde(default)]
pub struct AccountApplication {
    /// 单位类型: `use_unit` 使用单位, `manufacturer` 制造单位, `installer` 安装改造维修单位,
    /// `filling` 充装单位。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::unit_type))]
    pub unit_type: String,
    /// 单位名称。
    pub name: String,
    /// 统一社会信用代码（18 位，校验码须正确）。
    pub credit_code: String,
    /// 所在区县代码（见 `GET /api/v1/reference/districts`）。
    pub district_code: String,
    /// 单位地址。
    pub address: String,
    /// 法定代表人。
    pub legal_representative: String,
    /// 安全管理负责人。
    pub safety_manager: String,
    /// 安全管理负责人手机：今后接收报检信息、电子发票、检验意见通知书等短信。
    pub safety_manager_phone: String,
    /// 申请人。
    pub applicant_name: String,
    /// 申请人手机：接收平台账号和密码短信。
    pub applicant_phone: String,
    /// 电子邮箱（选填）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 同意的服务条款版本（网上注册必填，见 `GET /api/v1/registration/terms`；线下开户不需要）。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_version: Option<String>,
}

/// 注册已提交: what the applicant keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationReceipt {
    /// 申请编号，咨询时提供。
    pub reference_no: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::registration_state))]
    pub state: RegistrationState,
    /// 状态名称。
    pub state_name: String,
    /// 接下来会发生什么。
    pub next_steps: String,
}

/// 上传的营业执照。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceFile {
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` 或 `image/png`（按文件内容识别）。
    pub content_type: String,
    pub size: u64,
}

/// 一条注册申请及其审核结果（检验院）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registration {
    pub id: i64,
    pub reference_no: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::registration_state))]
    pub state: RegistrationState,
    pub state_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::unit_type))]
    pub unit_type: UnitType,
    pub unit_type_name: String,
    pub name: String,
    pub credit_code: String,
    pub district_code: String,
    /// 区县名称。
    pub district_name: String,
    pub address: String,
    pub legal_representative: String,
    pub safety_manager: String,
    pub safety_manager_phone: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 营业执照（下载: `GET /api/v1/registrations/{id}/licence`）。
    pub licence: LicenceFile,
    pub terms_version: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub submitted_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_name: Option<String>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub reviewed_at: Option<OffsetDateTime>,
    /// 驳回原因。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 审核通过后创建的单位。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<i64>,
    /// 审核通过后创建的首个账号（单位管理员）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// 注册申请列表的筛选 `?state=&q=&page=&per_page=`。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RegistrationQuery {
    /// 审核状态: `pending` 待审核, `approved` 已通过, `rejected` 未通过；不填为全部。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::registration_state))]
    pub state: Option<RegistrationState>,
    /// 单位名称、统一社会信用代码、申请编号或申请人（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// 驳回注册申请。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectRegistration {
    /// 驳回原因（1–200 字），以短信告知申请人。
    #[validate(length(min = 1, max = 200, message = "请填写驳回原因（不超过 200 字）"))]
    pub reason: String,
}

/// 单位及其首个账号已创建（线下开户，检验院）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseCreated {
    pub enterprise_id: i64,
    pub name: String,
    pub credit_code: String,
    /// 首个账号（单位管理员）的用户名；初始密码只以短信发给申请人。
    pub username: String,
    /// 收到账号短信的手机（部分隐藏），e.g. `139****5678`。
    pub sms_sent_to: String,
}
