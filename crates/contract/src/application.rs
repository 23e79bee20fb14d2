//! 网上报检 (manual 5.1): online inspection applications, their items and the institute's
//! decisions.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tejian_domain::application::{ItemState, Progress};
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use time::{Date, OffsetDateTime};
use validator::Validate;

/// 申报登记 / 检验申报: one application for one or more units of equipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "contact_name": "王建国", "contact_phone": "13957200001", "contact_address": "湖州市吴兴区红丰路 1 号",
    "preferred_date": "2026-12-10",
    "items": [{"equipment_id": 12, "inspection_type": "periodic"}, {"equipment_id": 13, "inspection_type": "periodic"}]
})))]
pub struct NewApplication {
    /// 检验联系人。
    #[validate(length(min = 1, max = 32, message = "请填写检验联系人（不超过 32 字）"))]
    pub contact_name: String,
    /// 检验联系电话（手机或固定电话）。
    pub contact_phone: String,
    /// 联系地址。
    #[validate(length(min = 1, max = 255, message = "请填写联系地址（不超过 255 字）"))]
    pub contact_address: String,
    /// 期望检验日期（可空；实际日期由检验机构协商确定）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_date: Option<Date>,
    /// 备注。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "备注不超过 500 字"))]
    pub note: Option<String>,
    /// 报检设备，1–200 台。
    #[validate(length(min = 1, max = 200, message = "请至少选择一台设备（一次最多 200 台）"))]
    #[validate(nested)]
    pub items: Vec<NewApplicationItem>,
}

/// 一台报检设备。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApplicationItem {
    pub equipment_id: i64,
    /// 检验类别，默认定期检验。
    #[serde(default = "periodic")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::inspection_type))]
    pub inspection_type: InspectionType,
    /// 计费参数（计费对话框的输入：`params` 覆盖设备档案中的参数，`imported`、`options`、
    /// `ex_works_price`）；省略时按设备档案计算参考费用。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub fee: Option<Value>,
}

fn periodic() -> InspectionType {
    InspectionType::Periodic
}

/// 报检申请及其各设备的受理情况。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: i64,
    /// 外网申报序列号。
    pub serial_no: String,
    pub enterprise_id: i64,
    /// 使用单位名称。
    pub enterprise_name: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 申报人。
    pub applicant_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub submitted_at: OffsetDateTime,
    /// 申报进度：由各设备的受理状态得出。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::progress))]
    pub progress: Progress,
    pub progress_name: String,
    /// 参考费用合计（元）。
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "760.00"))]
    pub estimated_total: Money,
    /// 核定费用合计（元；已受理的设备）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "760.00"))]
    pub approved_total: Option<Money>,
    pub items: Vec<ApplicationItem>,
}

/// 报检设备及其受理意见。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationItem {
    pub id: i64,
    pub equipment_id: i64,
    /// 注册代码或设备代码。
    pub equipment_label: String,
    /// 设备品种名称。
    pub variety_name: String,
    /// 使用地点。
    pub install_location: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::inspection_type))]
    pub inspection_type: InspectionType,
    pub inspection_type_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::item_state))]
    pub state: ItemState,
    pub state_name: String,
    /// 受理意见：待受理 / 同意 / 不同意。
    pub opinion_name: String,
    /// 受理意见说明（不同意的原因等）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
    /// 参考费用（元）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub estimated_fee: Option<Money>,
    /// 核定费用（元）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub approved_fee: Option<Money>,
    /// 业务流水号（受理后生成）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_no: Option<String>,
    /// 协商检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_date: Option<Date>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub decided_at: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
}

/// 报检查询条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ApplicationQuery {
    /// 外网申报序列号（完整或部分）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_no: Option<String>,
    /// 只看含有该受理状态设备的申请，如 `pending`（待受理）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::item_state))]
    pub item_state: Option<ItemState>,
    /// 注册代码或设备代码（部分匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment: Option<String>,
    /// 申报日期起。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_from: Option<Date>,
    /// 申报日期止。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_to: Option<Date>,
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

/// 受理：同意所列设备，给出核定费用，可同时安排检验日期。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "items": [{"item_id": 31, "approved_fee": "380.00"}], "scheduled_date": "2026-12-08"
})))]
pub struct AcceptApplication {
    #[validate(length(min = 1, max = 200, message = "请列出要受理的设备"))]
    pub items: Vec<ApprovedItem>,
    /// 协商检验日期（可稍后安排）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_date: Option<Date>,
    /// 受理意见说明。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "受理意见不超过 500 字"))]
    pub opinion: Option<String>,
}

/// 一台设备的核定费用。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovedItem {
    pub item_id: i64,
    /// 核定费用（元）。
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "380.00"))]
    pub approved_fee: Money,
}

/// 不予受理。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectApplication {
    /// 不同意的原因。
    #[validate(length(min = 1, max = 500, message = "请填写不予受理的原因（不超过 500 字）"))]
    pub reason: String,
    /// 要驳回的设备；为空时驳回全部待受理设备。
    #[serde(default)]
    pub item_ids: Vec<i64>,
}

/// 安排（或改期）检验日期。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleApplication {
    pub scheduled_date: Date,
    /// 要安排的设备；为空时为全部已受理设备。
    #[serde(default)]
    pub item_ids: Vec<i64>,
}

/// 登记检验结果：写入检验记录、按规则推算下次检验日期，并生成报告（编制）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "inspection_date": "2026-12-08", "inspector": "李工", "conclusion": "不合格",
    "problems": ["层门门锁啮合长度不足 7 mm"]
})))]
pub struct RecordInspection {
    pub inspection_date: Date,
    /// 检验员。
    #[validate(length(min = 1, max = 64, message = "请填写检验员（不超过 64 字）"))]
    pub inspector: String,
    /// 检验结论原文，如 合格、不合格、符合要求、基本符合要求。
    pub conclusion: String,
    /// 发现的问题（每条不超过 500 字，最多 200 条）。
    #[serde(default)]
    #[validate(length(max = 200, message = "问题最多 200 条"))]
    pub problems: Vec<String>,
}
