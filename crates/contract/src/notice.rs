//! 检验意见通知书 (manual 5.3) and the rectification loop.

use serde::{Deserialize, Serialize};
use tejian_domain::notice::NoticeState;
use time::{Date, OffsetDateTime};
use validator::Validate;

use crate::files::StoredFileInfo;

/// 一条问题及处理要求。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeProblem {
    /// 问题描述。
    #[validate(length(min = 1, max = 500, message = "请填写问题描述（不超过 500 字）"))]
    pub description: String,
    /// 处理要求。
    #[validate(length(min = 1, max = 500, message = "请填写处理要求（不超过 500 字）"))]
    pub requirement: String,
}

/// 签发检验意见通知书。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "problems": [{"description": "层门门锁啮合长度不足 7 mm", "requirement": "调整门锁，使啮合长度不小于 7 mm"}],
    "deadline": "2026-12-27"
})))]
pub struct NewNotice {
    #[validate(length(min = 1, max = 100, message = "请列出 1 到 100 条问题"))]
    #[validate(nested)]
    pub problems: Vec<NoticeProblem>,
    /// 整改期限；省略时为签发后 30 天。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
}

/// 一份检验意见通知书。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: i64,
    /// 通知书编号。
    pub notice_no: String,
    pub report_id: i64,
    /// 对应的报告编号。
    pub report_no: String,
    /// 业务流水号。
    pub business_no: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub equipment_id: i64,
    pub equipment_label: String,
    pub variety_name: String,
    pub problems: Vec<NoticeProblem>,
    /// 整改期限。
    pub deadline: Date,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::notice_state))]
    pub state: NoticeState,
    pub state_name: String,
    /// 已过整改期限且尚未提交整改（或被退回）。
    pub overdue: bool,
    pub inspector: String,
    pub issued_on: Date,
    /// 整改说明。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_statement: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub feedback_at: Option<OffsetDateTime>,
    /// 整改见证资料。
    pub feedback_files: Vec<StoredFileInfo>,
    /// 检验机构的确认或退回意见。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_comment: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub reviewed_at: Option<OffsetDateTime>,
}

/// 通知书查询条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct NoticeQuery {
    /// 通知书编号（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_no: Option<String>,
    /// 报告编号（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
    /// 注册代码或设备代码（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::notice_state))]
    pub state: Option<NoticeState>,
    /// 只看逾期未整改的。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
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

/// 提交整改：整改说明与见证资料。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeFeedback {
    /// 整改说明。
    #[validate(length(min = 1, max = 2000, message = "请填写整改说明（不超过 2000 字）"))]
    pub statement: String,
    /// 见证资料：先用 `POST /api/v1/files` 上传，1–10 个。
    #[validate(length(min = 1, max = 10, message = "请上传 1 到 10 个整改见证资料"))]
    pub attachment_ids: Vec<String>,
}

/// 检验机构确认或退回整改。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeReview {
    /// 意见；退回时必填。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "意见不超过 500 字"))]
    pub comment: Option<String>,
}
