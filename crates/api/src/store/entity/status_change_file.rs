use sea_orm::entity::prelude::*;

/// An attachment of a status change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "status_change_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub status_change_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub file_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
