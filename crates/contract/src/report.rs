//! 报告领取查询 (manual 5.2): inspection reports, their workflow and public verification.

use serde::{Deserialize, Serialize};
use tejian_domain::inspection::{InspectionType, Outcome};
use tejian_domain::money::Money;
use tejian_domain::report::{ReportAction, ReportState};
use time::Date;
use validator::Validate;

/// 一份检验报告。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: i64,
    /// 报告编号。
    pub report_no: String,
    /// 业务流水号。
    pub business_no: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub equipment_id: i64,
    /// 注册代码或设备代码。
    pub equipment_label: String,
    pub variety_name: String,
    pub category_code: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::inspection_type))]
    pub inspection_type: InspectionType,
    pub inspection_type_name: String,
    pub inspection_date: Date,
    /// 检验结论原文。
    pub conclusion: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::outcome_opt))]
    pub outcome: Outcome,
    pub problems: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_inspection_date: Option<Date>,
    pub inspector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver_name: Option<String>,
    /// 流转状态。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::report_state))]
    pub state: ReportState,
    pub state_name: String,
    /// 检验费用（元）。
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "380.00"))]
    pub fee: Money,
    /// 费用是否已交清。
    pub fee_paid: bool,
    /// 该报告费用所在的缴款通知书编号（未作废的）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_notice_no: Option<String>,
    /// 是否可以下载（已出具且已缴费）。
    pub downloadable: bool,
    /// 不能下载时的原因代码：`report_not_ready` 或 `report_unpaid`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_downloadable_code: Option<String>,
    /// 不能下载时给用户看的说明。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_downloadable_reason: Option<String>,
    /// 签发日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
    /// 电子报告 PDF 的 SHA-256（签发后）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_sha256: Option<String>,
    /// 验证码（仅检验机构可见；企业在报告二维码下方看到）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    /// 退回或作废的原因。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// 该报告的检验意见通知书数量。
    pub notice_count: u32,
}

/// 报告查询条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportQuery {
    /// 检验年度（按检验日期），默认今年；`0` 表示全部年度。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::report_year))]
    pub year: Option<i32>,
    /// 设备种类代码，如 `3000`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 注册代码（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_code: Option<String>,
    /// 业务流水号（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_no: Option<String>,
    /// 报告编号（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
    /// 流转状态。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::report_state))]
    pub state: Option<ReportState>,
    /// 使用单位（仅检验机构）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// 报告流转：送审、审核通过、批准签发、归档、退回、作废。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"action": "return", "reason": "结论与检验记录不一致"})))]
pub struct ReportTransition {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::report_action))]
    pub action: ReportAction,
    /// 退回、作废时必填。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "原因不超过 500 字"))]
    pub reason: Option<String>,
}

/// 公开验证结果：只含报告编号、设备代码、检验结论、签发日期。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportVerification {
    /// 是否为本院出具的有效报告。
    pub genuine: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
    /// 设备代码（或注册代码）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
    /// 给公众看的一句话结果。
    pub message: String,
}

/// 公开验证的查询参数。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct VerifyQuery {
    /// 报告编号。
    pub report_no: String,
    /// 验证码（报告二维码下方的 8 位字符）。
    pub code: String,
}
