//! 设备: the equipment register as enterprises see it (manual §4).

use serde::{Deserialize, Serialize};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::Outcome;
use time::Date;

/// 受理状态: whether an inspection application for the equipment is in progress (manual §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 未申报
    #[default]
    None,
    /// 待受理
    Pending,
    /// 已受理
    Accepted,
}

impl ApplicationStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicationStatus::None => "未申报",
            ApplicationStatus::Pending => "待受理",
            ApplicationStatus::Accepted => "已受理",
        }
    }
}

/// 设备列表条目。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentSummary {
    pub id: i64,
    /// 使用单位 id。
    pub enterprise_id: i64,
    /// 使用单位名称。
    pub enterprise_name: String,
    /// 种类代码, e.g. `3000`。
    pub category_code: String,
    /// 种类名称, e.g. 电梯。
    pub category_name: String,
    /// 品种（或类别）代码, e.g. `3110`。
    pub variety_code: String,
    /// 品种名称。
    pub variety_name: String,
    /// 设备代码 (17–18 位)。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_code: Option<String>,
    /// 注册代码 (20 位)。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_code: Option<String>,
    /// 使用登记证编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_certificate_no: Option<String>,
    /// 单位内编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_no: Option<String>,
    /// 设备使用地点。
    pub install_location: String,
    /// 所在辖区代码。
    pub district_code: String,
    /// 使用状态。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::use_status))]
    pub use_status: UseStatus,
    /// 注册状态。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::registration_status))]
    pub registration_status: RegistrationStatus,
    /// 上次检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inspection_date: Option<Date>,
    /// 下次检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_inspection_date: Option<Date>,
    /// 超期天数（已超期时）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// 最近一次检验结论。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::outcome_opt))]
    pub last_outcome: Option<Outcome>,
    /// 使用状态最近一次变更日期（非在用设备的「变更日期」）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_changed_on: Option<Date>,
    /// 受理状态。
    pub application_status: ApplicationStatus,
}

/// 列表视图 (manual 4.2–4.6)。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EquipmentView {
    /// 全部（设备综合查询）。
    #[default]
    All,
    /// 超期设备：在用，已过下次检验日期，无有效延期。
    Overdue,
    /// 不合格设备：最近一次检验结论为不合格，且未报废、拆除或注销。
    Unqualified,
    /// 非在用设备：未投入使用、停用、报废、拆除、迁出等，或已注销登记。
    Inactive,
    /// 即将到期设备：在用，下次检验日期在今天到 `within_days` 天内。
    Expiring,
    /// 可报检设备（网上报检）：未报废、拆除、迁出或注销，且没有未完成的报检申请。
    Applicable,
}

/// 导出格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// Excel 工作簿。
    Xlsx,
}

/// 设备查询条件（基本条件与「更多条件」）。All filters combine with AND; text filters on codes
/// match a prefix, other text filters a substring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct EquipmentQuery {
    /// 页码，从 1 开始。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    /// 每页条数 (1–200)。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
    /// 视图: `all` (default), `overdue`, `unqualified`, `inactive`, `expiring`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<EquipmentView>,
    /// `expiring` 的天数范围, 1–365, 默认 30。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 365))]
    pub within_days: Option<u16>,
    /// 种类代码, e.g. `3000`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 类别或品种代码, e.g. `3100` or `3110`（前缀匹配）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variety: Option<String>,
    /// 注册代码（前缀）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_code: Option<String>,
    /// 设备代码（前缀）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_code: Option<String>,
    /// 使用登记证编号（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_certificate_no: Option<String>,
    /// 单位内编号（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_no: Option<String>,
    /// 使用状态。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::use_status))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub use_status: Option<UseStatus>,
    /// 更多条件: 辖区代码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// 更多条件: 使用地点（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// 更多条件: 制造单位（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// 更多条件: 设备型号（包含）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// 更多条件: 制造日期起。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufactured_from: Option<Date>,
    /// 更多条件: 制造日期止。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufactured_to: Option<Date>,
    /// 更多条件: 下次检验日期起。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_from: Option<Date>,
    /// 更多条件: 下次检验日期止。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_to: Option<Date>,
    /// 更多条件: 最近检验结论。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::outcome_opt))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub last_outcome: Option<Outcome>,
    /// 更多条件: 登记日期起。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_from: Option<Date>,
    /// 更多条件: 登记日期止。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_to: Option<Date>,
    /// 排序: `next_inspection_date` (default), `-next_inspection_date`, `registration_code`,
    /// `variety_code`, `use_status`, `-overdue_days` …（前缀 `-` 为倒序）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::equipment_sort))]
    pub sort: Option<String>,
    /// 导出: `csv` 或 `xlsx`，导出当前条件下的全部记录（最多 50,000 条）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ExportFormat>,
}

/// 设备总览中一个种类的数量。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewCounts {
    /// 全部。
    pub total: u64,
    /// 在用。
    pub in_use: u64,
    /// 超期未检。
    pub overdue: u64,
    /// 30 天内到期。
    pub expiring: u64,
    /// 不合格。
    pub unqualified: u64,
    /// 非在用。
    pub inactive: u64,
}

/// 设备总览的一行（一个种类）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewRow {
    /// 种类代码。
    pub category_code: String,
    /// 种类名称。
    pub category_name: String,
    #[serde(flatten)]
    pub counts: OverviewCounts,
}

/// 设备总览 (manual 4.1)。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// 按种类，目录顺序，只含有设备的种类。
    pub categories: Vec<OverviewRow>,
    /// 合计。
    pub totals: OverviewCounts,
    /// 统计日期。
    pub as_of: Date,
}

/// 一条检验记录。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionRecord {
    pub id: i64,
    /// 检验类别 (periodic 定期检验 …)。
    pub inspection_type: String,
    /// 检验类别名称。
    pub inspection_type_name: String,
    /// 检验日期。
    pub inspection_date: Date,
    /// 检验结论原文。
    pub conclusion: String,
    /// 归一化结论。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::outcome_opt))]
    pub outcome: Outcome,
    /// 是否复检。
    pub is_reinspection: bool,
    /// 下次检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_inspection_date: Option<Date>,
    /// 报告编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
    /// 检验员。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspector: Option<String>,
}

/// 一项设备参数（带中文名称与单位）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParamLine {
    /// 参数键, e.g. `floors`。
    pub key: String,
    /// 中文名称, e.g. 层站数。
    pub label: String,
    /// 值。
    pub value: String,
    /// 单位。
    pub unit: String,
}

/// 设备档案 (manual 4.2.4 (1)): basic information, parameters and inspection history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentDetail {
    #[serde(flatten)]
    pub summary: EquipmentSummary,
    /// 出厂编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factory_no: Option<String>,
    /// 设备型号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// 制造单位。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// 制造日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacture_date: Option<Date>,
    /// 投入使用日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commissioning_date: Option<Date>,
    /// 登记日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<Date>,
    /// 参数（原始 JSON 对象）。
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: serde_json::Value,
    /// 参数（中文名称与单位）。
    pub param_lines: Vec<ParamLine>,
    /// 检验记录，最近的在前。
    pub inspections: Vec<InspectionRecord>,
}

/// 设备时间线上的一个事件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    /// 日期。
    pub date: Date,
    /// `manufactured`, `commissioned`, `registered`, `inspected`, `change_requested`, `status_changed`。
    pub kind: String,
    /// 标题。
    pub title: String,
    /// 说明。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// 设备信息（检验院新建或修改设备时提交）。Codes are checked by the domain rules: 注册代码 and
/// 设备代码 must be valid; a non-standard 使用登记证编号 is kept and reported as a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentFields {
    /// 品种（或类别）代码, e.g. `3110`。
    pub variety_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equipment_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_certificate_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factory_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacture_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commissioning_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<Date>,
    /// 设备使用地点。
    pub install_location: String,
    /// 所在辖区代码。
    pub district_code: String,
    /// 使用状态，默认 `in_use`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub use_status: Option<UseStatus>,
    /// 注册状态，默认 `registered`。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub registration_status: Option<RegistrationStatus>,
    /// 下次检验日期（导入历史数据时）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_inspection_date: Option<Date>,
    /// 设备参数（按种类，见设备档案的 `param_lines`）。
    #[serde(default = "empty_object")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: serde_json::Value,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(serde_json::Map::new())
}

/// 新建设备。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEquipment {
    /// 使用单位 id。
    pub enterprise_id: i64,
    #[serde(flatten)]
    pub fields: EquipmentFields,
}

/// 保存结果：设备档案和提醒（不阻止保存的格式问题）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentSaved {
    pub equipment: EquipmentDetail,
    pub warnings: Vec<crate::problem::FieldError>,
}

/// 录入检验结果（检验院）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "inspection_type": "periodic", "inspection_date": "2026-11-20", "conclusion": "合格",
    "inspector": "周明", "report_no": "HZTJ-2026-000123"
})))]
pub struct NewInspection {
    /// 检验类别: `periodic` 定期检验 …
    pub inspection_type: String,
    /// 检验日期（不晚于今天）。
    pub inspection_date: Date,
    /// 检验结论原文, e.g. 合格、符合要求、基本符合要求、不合格、复检合格。
    pub conclusion: String,
    /// 检验员。
    pub inspector: String,
    /// 报告编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_no: Option<String>,
}

/// The fields `GET /equipment?sort=` accepts (each also with `-` first, for descending).
pub const EQUIPMENT_SORT_FIELDS: [&str; 9] = [
    "next_inspection_date",
    "overdue_days",
    "last_inspection_date",
    "registration_code",
    "equipment_code",
    "variety_code",
    "use_status",
    "internal_no",
    "id",
];

/// Largest import file accepted, in bytes (5 MB).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// The media type of an Excel workbook (.xlsx): import files and templates.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// 批量导入结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// 导入的设备台数。
    pub imported: u64,
}
