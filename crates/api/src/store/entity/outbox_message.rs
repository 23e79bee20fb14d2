use sea_orm::entity::prelude::*;

/// A message waiting to be sent (SMS), claimed and sent by the outbox job.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `sms`.
    pub channel: String,
    pub recipient: String,
    /// What the message is about, e.g. `application_accepted`.
    pub kind: String,
    pub body: String,
    /// Makes enqueueing idempotent: the same event never queues two messages.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// `pending`, `sent` or `failed` (gave up).
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: TimeDateTimeWithTimeZone,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<TimeDateTimeWithTimeZone>,
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    pub last_error: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
