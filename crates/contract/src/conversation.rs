//! 交流互动 (manual §5.4): conversations between an enterprise and a market-supervision bureau.

use serde::{Deserialize, Serialize};
use tejian_domain::conversation::{ConversationState, EntryKind, Party};
use time::OffsetDateTime;
use validator::Validate;

use crate::files::StoredFileInfo;

/// 发起交流: the first message goes to the bureau of the enterprise's district.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "subject": "电梯定期检验时间咨询",
    "content": "我单位 3 台电梯下月到期，能否安排在同一天检验？",
    "attachment_ids": []
})))]
pub struct NewConversation {
    /// 交流主题, 1–100 字（去掉首尾空白后）。
    pub subject: String,
    /// 交流内容, 1–2000 字（去掉首尾空白后）。
    pub content: String,
    /// 附件：先用 `POST /api/v1/files` 上传本单位的文件，最多 10 个。
    #[serde(default)]
    #[validate(length(max = 10, message = "附件最多 10 个"))]
    pub attachment_ids: Vec<String>,
}

/// 回复: one more message in the thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "content": "可以，请提前 5 个工作日网上报检。", "attachment_ids": []
})))]
pub struct NewMessage {
    /// 交流内容, 1–2000 字（去掉首尾空白后）。
    pub content: String,
    /// 附件（用 `POST /api/v1/files` 上传），最多 10 个。
    #[serde(default)]
    #[validate(length(max = 10, message = "附件最多 10 个"))]
    pub attachment_ids: Vec<String>,
}

/// 提交监察机构: pass the conversation on to another bureau.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "bureau_code": "nanxun" })))]
pub struct ForwardConversation {
    /// 接收的监管局代码（`GET /api/v1/reference/bureaus`）。
    pub bureau_code: String,
    /// 转交说明（可选）, 最多 500 字。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "转交说明不超过 500 字"))]
    pub note: Option<String>,
}

/// 关闭交流 (bureau): an optional closing note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseConversation {
    /// 关闭说明（可选）, 最多 500 字。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "关闭说明不超过 500 字"))]
    pub note: Option<String>,
}

/// 一条交流（列表行）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: i64,
    /// 交流主题。
    pub subject: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::conversation_state))]
    pub state: ConversationState,
    /// 状态名称：待回复、已回复、交流关闭。
    pub state_name: String,
    /// 使用单位名称。
    pub enterprise_name: String,
    /// 受理机构（当前接收的监管局）代码。
    pub bureau_code: String,
    /// 受理机构名称。
    pub bureau_name: String,
    /// 最新一条留言的开头。
    pub last_excerpt: String,
    /// 最新留言方。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::party))]
    pub last_party: Party,
    /// 发起时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// 最新留言时间。
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_message_at: OffsetDateTime,
    /// 关闭时间。
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closed_at: Option<OffsetDateTime>,
}

/// 交流记录的一条：留言、转交或关闭。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::entry_kind))]
    pub kind: EntryKind,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::party))]
    pub party: Party,
    /// 留言方名称：使用单位名称或监管局名称。
    pub party_name: String,
    /// 留言人。
    pub author_name: String,
    /// 留言内容（转交、关闭时为说明，可空）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// 转交前的监管局（仅 `forward`）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_bureau_name: Option<String>,
    /// 转交后的监管局（仅 `forward`）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_bureau_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// 附件（`GET /api/v1/files/{id}` 下载）。
    pub attachments: Vec<StoredFileInfo>,
}

/// 一条交流及其全部交流记录（最早的在前）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationDetail {
    pub conversation: Conversation,
    pub thread: Vec<ThreadEntry>,
}

/// 交流列表条件。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ConversationQuery {
    /// 状态: `awaiting_reply` 待回复, `replied` 已回复, `closed` 交流关闭。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::schema::conversation_state))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub state: Option<ConversationState>,
    /// 主题或任一条留言中包含的文字。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}
