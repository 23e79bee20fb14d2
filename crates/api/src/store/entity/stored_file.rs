use sea_orm::entity::prelude::*;

/// An uploaded file (PDF, JPEG, PNG): metadata here, bytes in the file store under `storage_key`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stored_file")]
pub struct Model {
    /// Random, unguessable id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The enterprise that owns it (its uploader's), if any.
    pub enterprise_id: Option<i64>,
    pub uploaded_by: i64,
    /// The name the uploader gave it (shown, never used as a path).
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
