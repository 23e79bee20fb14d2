//! 设备使用状态变更 (manual 4.2.4 (2)(3)): requests to the bureau and their history.

use serde::{Deserialize, Serialize};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::status_change::{ChangeKind, ChangeState};
use time::{Date, OffsetDateTime};
use validator::Validate;

use crate::files::StoredFileInfo;

/// 提交变更申请。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "stop", "reason": "设备所在车间停产检修，预计停用一年", "effective_date": "2026-12-01",
    "attachment_ids": ["f_3kq9…"]
})))]
pub struct NewStatusChange {
    /// 变更类别: `stop` 停用, `resume` 停用后启用, `scrap` 报废, `relocate` 移装, `transfer` 单位变更（过户）,
    /// `rename` 更名, `modify` 改造, `design_life_reached` 达到设计使用年限。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::change_kind))]
    pub kind: ChangeKind,
    /// 变更原因, 1–500 字。
    #[validate(length(min = 1, max = 500, message = "请填写变更原因（不超过 500 字）"))]
    pub reason: String,
    /// 变更生效日期（前 30 天至后 90 天内）。
    pub effective_date: Date,
    /// 移装后的使用地点（仅 `relocate`，必填）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 255, message = "使用地点不超过 255 字"))]
    pub new_location: Option<String>,
    /// 申报资料：先用 `POST /api/v1/files` 上传，1–10 个。
    #[validate(length(min = 1, max = 10, message = "请上传 1 到 10 个申报资料附件"))]
    pub attachment_ids: Vec<String>,
}

/// 一条变更申请及其审批结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub id: i64,
    pub equipment_id: i64,
    /// 设备的注册代码或设备代码（便于识别）。
    pub equipment_label: String,
    /// 使用单位名称。
    pub enterprise_name: String,
    /// 审批监管局所在辖区。
    pub district_code: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::change_kind))]
    pub kind: ChangeKind,
    /// 变更类别名称。
    pub kind_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::change_state))]
    pub state: ChangeState,
    /// 审批状态名称。
    pub state_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::use_status))]
    pub from_use_status: UseStatus,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::use_status))]
    pub to_use_status: UseStatus,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::registration_status))]
    pub from_registration_status: RegistrationStatus,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::registration_status))]
    pub to_registration_status: RegistrationStatus,
    pub reason: String,
    pub effective_date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_location: Option<String>,
    /// 申请人。
    pub applicant_name: String,
    /// 申请时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub submitted_at: OffsetDateTime,
    /// 审批人。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer_name: Option<String>,
    /// 审批时间。
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub reviewed_at: Option<OffsetDateTime>,
    /// 审批意见。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
    /// 申报资料。
    pub attachments: Vec<StoredFileInfo>,
}

/// 审批意见（驳回时必填）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// 审批意见, 最多 500 字。
    #[serde(default)]
    #[validate(length(max = 500, message = "审批意见不超过 500 字"))]
    pub opinion: Option<String>,
}

/// 变更申请列表条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StatusChangeQuery {
    /// 审批状态: `submitted` 待审批, `approved`, `rejected`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::change_state))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub state: Option<ChangeState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}
