use sea_orm::entity::prelude::*;

/// 交流: a conversation between an enterprise and the bureau it is routed to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The receiving bureau now (受理机构); changes on 转交.
    pub bureau_code: String,
    pub subject: String,
    /// `awaiting_reply`, `replied` or `closed`.
    pub state: String,
    /// The start of the latest message, for lists.
    pub last_excerpt: String,
    /// Who wrote the latest message: `enterprise` or `bureau`.
    pub last_party: String,
    pub last_message_at: TimeDateTimeWithTimeZone,
    pub created_by_user_id: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
    pub idempotency_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
