use sea_orm::entity::prelude::*;

/// One entry of a conversation's thread: a message, a 转交 or the 关闭.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub conversation_id: i64,
    /// `message`, `forward` or `close`.
    pub kind: String,
    /// `enterprise` or `bureau`.
    pub party: String,
    pub author_user_id: i64,
    pub author_name: String,
    /// The bureau the conversation was routed to when this happened.
    pub bureau_code: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub content: Option<String>,
    pub from_bureau_code: Option<String>,
    pub to_bureau_code: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
