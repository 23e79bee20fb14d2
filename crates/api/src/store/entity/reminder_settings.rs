use sea_orm::entity::prelude::*;

/// 提醒设置 of one enterprise (no row: the defaults).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enterprise_id: i64,
    pub window_days: i16,
    /// Comma-separated day counts, earliest first (`7,1`).
    pub marks: String,
    /// The largest of the window and the marks (the job's look-ahead).
    pub horizon_days: i16,
    pub weekly_overdue: bool,
    pub sms_safety_manager: bool,
    /// Comma-separated mobile numbers.
    pub extra_phones: String,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
