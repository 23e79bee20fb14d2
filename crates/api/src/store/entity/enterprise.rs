use sea_orm::entity::prelude::*;

/// 使用单位: an enterprise that runs special equipment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// 统一社会信用代码.
    #[sea_orm(unique)]
    pub credit_code: String,
    pub unit_type: String,
    pub district_code: String,
    pub address: String,
    pub legal_representative: Option<String>,
    /// 安全管理负责人.
    pub safety_manager: Option<String>,
    pub safety_manager_phone: Option<String>,
    pub contact_phone: Option<String>,
    pub email: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
