use sea_orm::entity::prelude::*;

/// An entry of an enterprise's in-app inbox (站内消息).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// `reminder_due` or `reminder_overdue`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub equipment_id: Option<i64>,
    pub reminder_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
