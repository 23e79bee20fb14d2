//! 附件: uploaded files (PDF, JPEG, PNG) used by status changes, registrations and messages.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Largest accepted upload, in bytes (10 MB).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// 已上传的文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredFileInfo {
    /// 文件 id（随机、不可猜测），提交申请时引用。
    pub id: String,
    /// 原文件名。
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` 或 `image/png`（按文件内容识别）。
    pub content_type: String,
    /// 字节数。
    pub size: u64,
    /// 上传时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub uploaded_at: OffsetDateTime,
}
