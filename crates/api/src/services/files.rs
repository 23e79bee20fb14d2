//! 附件: upload and download, scoped like everything else.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use tejian_contract::files::{MAX_UPLOAD_BYTES, StoredFileInfo};
use time::OffsetDateTime;

use super::{Actor, Scope, Services};
use crate::audit::{self, Entry};
use crate::auth::random_token;
use crate::error::{AppError, AppResult};
use crate::files::{clean_file_name, sniff_content_type};
use crate::store::entity::{status_change, status_change_file, stored_file};

/// The wire view of a stored file.
pub fn info(f: &stored_file::Model) -> StoredFileInfo {
    StoredFileInfo {
        id: f.id.clone(),
        file_name: f.file_name.clone(),
        content_type: f.content_type.clone(),
        size: u64::try_from(f.size).unwrap_or(0),
        uploaded_at: f.created_at,
    }
}

impl Services {
    /// Stores an upload after checking its size and, by its first bytes, its type.
    pub async fn upload(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> AppResult<StoredFileInfo> {
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: MAX_UPLOAD_BYTES,
            });
        }
        if bytes.is_empty() {
            return Err(AppError::field("/file", "empty_file", "文件是空的"));
        }
        let content_type = sniff_content_type(&bytes).ok_or_else(|| {
            AppError::field(
                "/file",
                "unsupported_file_type",
                "只接受 PDF、JPEG 或 PNG 文件",
            )
        })?;
        let id = format!("f_{}", random_token(18).map_err(AppError::internal)?);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        // The bytes go first: a row never points at a missing file.
        self.files
            .put(&id, bytes)
            .await
            .map_err(AppError::internal)?;
        let row = stored_file::ActiveModel {
            id: Set(id.clone()),
            enterprise_id: Set(actor.enterprise_id),
            uploaded_by: Set(actor.user_id),
            file_name: Set(clean_file_name(file_name)),
            content_type: Set(content_type.to_owned()),
            size: Set(size),
            storage_key: Set(id.clone()),
            created_at: Set(OffsetDateTime::now_utc()),
        }
        .insert(&self.db)
        .await?;
        audit::record(
            &self.db,
            Entry::by(actor, &format!("user:{}", actor.user_id), "file_uploaded", "file", &id)
                .after(serde_json::json!({ "name": row.file_name, "type": row.content_type, "size": row.size })),
        )
        .await?;
        Ok(info(&row))
    }

    /// A file's metadata, if the actor may see it: its own enterprise's, a bureau's for files
    /// attached to changes in its district, everything for the institute.
    pub async fn file_visible(&self, actor: &Actor, id: &str) -> AppResult<stored_file::Model> {
        let query = stored_file::Entity::find_by_id(id.to_owned());
        let found = match actor.scope() {
            Scope::All => query.one(&self.db).await?,
            Scope::Enterprise(ent) => {
                query
                    .filter(stored_file::Column::EnterpriseId.eq(ent))
                    .one(&self.db)
                    .await?
            }
            Scope::District(district) => {
                let changes = status_change::Entity::find()
                    .select_only()
                    .column(status_change::Column::Id)
                    .filter(status_change::Column::DistrictCode.eq(district));
                let linked = status_change_file::Entity::find()
                    .filter(status_change_file::Column::FileId.eq(id))
                    .filter(
                        status_change_file::Column::StatusChangeId
                            .in_subquery(sea_orm::QueryTrait::into_query(changes)),
                    )
                    .one(&self.db)
                    .await?;
                match linked {
                    Some(_) => query.one(&self.db).await?,
                    None => None,
                }
            }
            Scope::Nothing => None,
        };
        found.ok_or(AppError::NotFound)
    }

    /// A file's metadata and bytes.
    pub async fn download(
        &self,
        actor: &Actor,
        id: &str,
    ) -> AppResult<(stored_file::Model, Vec<u8>)> {
        let file = self.file_visible(actor, id).await?;
        let bytes = self
            .files
            .get(&file.storage_key)
            .await
            .map_err(AppError::internal)?;
        Ok((file, bytes))
    }
}
