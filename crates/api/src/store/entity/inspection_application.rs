use sea_orm::entity::prelude::*;

/// 网上报检申请: one submission, holding one or more items.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 外网申报序列号.
    #[sea_orm(unique)]
    pub serial_no: String,
    pub enterprise_id: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub preferred_date: Option<TimeDate>,
    pub note: Option<String>,
    pub applicant_user_id: i64,
    pub applicant_name: String,
    pub submitted_at: TimeDateTimeWithTimeZone,
    pub idempotency_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
