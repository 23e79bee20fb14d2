use sea_orm::entity::prelude::*;

/// 设备使用状态变更申请.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "status_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub equipment_id: i64,
    pub enterprise_id: i64,
    /// The district whose bureau decides (the equipment's).
    pub district_code: String,
    pub kind: String,
    pub state: String,
    pub from_use_status: String,
    pub to_use_status: String,
    pub from_registration_status: String,
    pub to_registration_status: String,
    pub reason: String,
    pub effective_date: TimeDate,
    pub new_location: Option<String>,
    pub applicant_user_id: i64,
    pub applicant_name: String,
    pub submitted_at: TimeDateTimeWithTimeZone,
    pub reviewer_user_id: Option<i64>,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<TimeDateTimeWithTimeZone>,
    pub opinion: Option<String>,
    pub idempotency_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
