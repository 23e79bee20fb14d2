use sea_orm::entity::prelude::*;

/// 检验意见通知书.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opinion_notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub notice_no: String,
    pub report_id: i64,
    pub enterprise_id: i64,
    pub equipment_id: i64,
    /// Problems and required handling (a JSON array of `{description, requirement}`).
    pub problems: Json,
    /// 整改期限.
    pub deadline: TimeDate,
    /// `tejian_domain::notice::NoticeState` wire name.
    pub state: String,
    pub inspector: String,
    pub issued_on: TimeDate,
    pub pdf_key: Option<String>,
    pub pdf_sha256: Option<String>,
    pub feedback_statement: Option<String>,
    pub feedback_at: Option<TimeDateTimeWithTimeZone>,
    pub feedback_by_name: Option<String>,
    pub review_comment: Option<String>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<TimeDateTimeWithTimeZone>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
