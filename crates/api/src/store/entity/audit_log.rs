use sea_orm::entity::prelude::*;

/// 审计记录: who did what, when, to which object, with the state before and after.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub enterprise_id: Option<i64>,
    pub before: Option<Json>,
    pub after: Option<Json>,
    pub client_addr: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
