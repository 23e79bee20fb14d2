//! 基础数据: the equipment catalogue, districts, bureaus and the institute's offices.

use serde::{Deserialize, Serialize};

/// 特种设备目录条目（种类 / 类别 / 品种）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "code": "3110", "name": "曳引驱动乘客电梯", "level": "variety", "parent": "3100", "in_catalogue": true
})))]
pub struct CatalogueEntry {
    /// 4 位目录代码, e.g. `3110`。
    pub code: String,
    /// 中文名称。
    pub name: String,
    /// 层级: `category` 种类, `class` 类别, `variety` 品种。
    pub level: String,
    /// 上级代码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// false 表示目录外设备（如常压容器）。
    pub in_catalogue: bool,
}

/// 行政区划或功能区。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct District {
    /// GB/T 2260 代码，功能区用省平台私有代码（如 330590 南太湖新区）。
    pub code: String,
    pub name: String,
    /// `administrative` 行政区, `functional_zone` 功能区。
    pub kind: String,
    /// 负责该辖区的监管局代码。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bureau_code: Option<String>,
}

/// 市场监管局（审批设备状态变更、接收交流）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bureau {
    /// 稳定代码, e.g. `wuxing`。
    pub code: String,
    pub name: String,
    /// 辖区代码。
    pub district_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// 检验院办事机构（附录二）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    pub code: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    /// 服务的辖区代码。
    pub serves: Vec<String>,
}
