use sea_orm::entity::prelude::*;

/// 检验记录: one inspection of one piece of equipment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub equipment_id: i64,
    pub enterprise_id: i64,
    pub inspection_type: String,
    pub inspection_date: TimeDate,
    pub conclusion_raw: String,
    pub outcome: String,
    pub is_reinspection: bool,
    pub next_inspection_date: Option<TimeDate>,
    pub report_no: Option<String>,
    pub inspector: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
