//! 附件: upload and download, scoped like everything else.

use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
};
use tejian_contract::files::{MAX_UPLOAD_BYTES, StoredFileInfo};
use time::OffsetDateTime;

use super::{Actor, Scope, Services};
use crate::audit::{self, Entry};
use crate::auth::random_token;
use crate::error::{AppError, AppResult};
use crate::files::{clean_file_name, sniff_content_type};
use crate::store::entity::{conversation_file, status_change, status_change_file, stored_file};

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

    /// A file's metadata, if the actor may see it: its own enterprise's uploads, files attached
    /// to conversations it can see (a bureau's reply), a bureau's for files attached to changes
    /// in its district or to conversations routed to it, and its own uploads; everything for the
    /// institute.
    pub async fn file_visible(&self, actor: &Actor, id: &str) -> AppResult<stored_file::Model> {
        let query = stored_file::Entity::find_by_id(id.to_owned());
        let scope = actor.scope();
        let in_conversations = || {
            conversation_file::Entity::find()
                .select_only()
                .column(conversation_file::Column::FileId)
                .filter(conversation_file::Column::FileId.eq(id))
                .filter(
                    conversation_file::Column::ConversationId
                        .in_subquery(super::conversations::visible_ids(&scope)),
                )
                .into_query()
        };
        let found = match &scope {
            Scope::All => query.one(&self.db).await?,
            Scope::Enterprise(ent) => {
                query
                    .filter(
                        Condition::any()
                            .add(stored_file::Column::EnterpriseId.eq(*ent))
                            .add(stored_file::Column::Id.in_subquery(in_conversations())),
                    )
                    .one(&self.db)
                    .await?
            }
            Scope::District(district) => {
                let changes = status_change::Entity::find()
                    .select_only()
                    .column(status_change::Column::Id)
                    .filter(status_change::Column::DistrictCode.eq(district.clone()));
                let in_changes = status_change_file::Entity::find()
                    .select_only()
                    .column(status_change_file::Column::FileId)
                    .filter(status_change_file::Column::FileId.eq(id))
                    .filter(
                        status_change_file::Column::StatusChangeId
                            .in_subquery(QueryTrait::into_query(changes)),
                    )
                    .into_query();
                query
                    .filter(
                        Condition::any()
                            .add(stored_file::Column::UploadedBy.eq(actor.user_id))
                            .add(stored_file::Column::Id.in_subquery(in_changes))
                            .add(stored_file::Column::Id.in_subquery(in_conversations())),
                    )
                    .one(&self.db)
                    .await?
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
