use sea_orm::entity::prelude::*;

/// 检验报告.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub report_no: String,
    /// 业务流水号.
    pub business_no: String,
    pub enterprise_id: i64,
    pub equipment_id: i64,
    pub inspection_id: Option<i64>,
    pub application_item_id: Option<i64>,
    pub category_code: String,
    pub inspection_type: String,
    pub inspection_date: TimeDate,
    pub conclusion_raw: String,
    pub outcome: String,
    /// Problems found (a JSON array of strings).
    pub problems: Json,
    pub next_inspection_date: Option<TimeDate>,
    pub inspector: String,
    pub reviewer_name: Option<String>,
    pub approver_name: Option<String>,
    /// `tejian_domain::report::ReportState` wire name.
    pub state: String,
    /// The fee of the inspection, in 分.
    pub fee_fen: i64,
    pub fee_paid_at: Option<TimeDateTimeWithTimeZone>,
    pub verification_code: String,
    /// Where the issued PDF is kept (set at 批准签发).
    pub pdf_key: Option<String>,
    pub pdf_sha256: Option<String>,
    pub issued_on: Option<TimeDate>,
    /// The reason of the last 退回 or 作废.
    pub remark: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
