use sea_orm::entity::prelude::*;

/// 缴款通知书.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 缴款通知书编号 (20 digits).
    #[sea_orm(unique)]
    pub notice_no: String,
    pub enterprise_id: i64,
    /// 缴款单位名称 (the enterprise's name when issued).
    pub payer_name: String,
    pub total_fen: i64,
    /// `tejian_domain::payment::NoticeState` wire name.
    pub state: String,
    pub due_date: TimeDate,
    pub issued_at: TimeDateTimeWithTimeZone,
    pub issued_by_name: String,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
    pub paid_payment_id: Option<i64>,
    pub cancel_reason: Option<String>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
