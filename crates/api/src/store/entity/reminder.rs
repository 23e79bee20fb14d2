use sea_orm::entity::prelude::*;

/// A reminder that was sent: unique per equipment, due date and threshold.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub equipment_id: i64,
    pub enterprise_id: i64,
    pub due_date: TimeDate,
    /// `window`, `days:7`, `overdue:week:2` (domain `Threshold::key`).
    pub threshold: String,
    /// Days before the due date the threshold stands for (negative when overdue).
    pub offset_days: i32,
    /// The Huzhou day of the run that sent it.
    pub run_on: TimeDate,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
