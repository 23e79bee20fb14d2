//! Operational endpoints: health and readiness.

use serde::{Deserialize, Serialize};

/// 健康检查结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` 或 `unavailable`。
    pub status: String,
    /// 服务版本。
    pub version: String,
}
