//! 设备: the equipment register as enterprises see it.

use serde::{Deserialize, Serialize};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::Outcome;
use time::Date;

/// 设备列表条目。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EquipmentSummary {
    pub id: i64,
    /// 使用单位 id。
    pub enterprise_id: i64,
    /// 种类代码, e.g. `3000`。
    pub category_code: String,
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
    /// 下次检验日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_inspection_date: Option<Date>,
    /// 最近一次检验结论。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::outcome_opt))]
    pub last_outcome: Option<Outcome>,
}
