use sea_orm::entity::prelude::*;

/// 报检项目: one unit of equipment in an application, with its 受理意见 and progress.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub enterprise_id: i64,
    pub equipment_id: i64,
    pub inspection_type: String,
    /// `tejian_domain::application::ItemState` wire name.
    pub state: String,
    /// The fee parameters the enterprise gave (a `FeeRequest` as JSON).
    pub fee_request: Json,
    pub estimated_fee_fen: Option<i64>,
    /// 核定费用.
    pub approved_fee_fen: Option<i64>,
    /// 业务流水号, given at acceptance.
    #[sea_orm(unique)]
    pub business_no: Option<String>,
    /// 受理意见 text (the reason of a rejection, or a note with an acceptance).
    pub opinion: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    /// 协商检验日期.
    pub scheduled_date: Option<TimeDate>,
    pub report_id: Option<i64>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
