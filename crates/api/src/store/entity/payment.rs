use sea_orm::entity::prelude::*;

/// One attempt to pay a notice through a provider.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notice_id: i64,
    /// `sandbox`, `wechat` or `alipay`.
    pub provider: String,
    /// Our id at the provider: random, unguessable (the payer's page polls by it).
    #[sea_orm(unique)]
    pub out_trade_no: String,
    pub amount_fen: i64,
    /// `tejian_domain::payment::PaymentState` wire name.
    pub state: String,
    pub qr_text: Option<String>,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub transaction_id: Option<String>,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
