use sea_orm::entity::prelude::*;

/// 电子发票 / 财政电子票据 of a paid notice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub payment_notice_id: i64,
    /// `tejian_domain::invoice::InvoiceKind` wire name.
    pub kind: String,
    #[sea_orm(unique)]
    pub invoice_no: String,
    /// 票据代码 (财政电子票据 only).
    pub invoice_code: Option<String>,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    /// Lines: a JSON array of `{name, amount_fen, tax_fen}`.
    pub items: Json,
    pub amount_fen: i64,
    pub tax_fen: i64,
    pub total_fen: i64,
    pub tax_rate: String,
    pub issued_at: TimeDateTimeWithTimeZone,
    pub pdf_key: Option<String>,
    pub pdf_sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
