//! Uploaded files and 设备使用状态变更 requests with their attachments.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StoredFile {
    Table,
    Id,
    EnterpriseId,
    UploadedBy,
    FileName,
    ContentType,
    Size,
    StorageKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StatusChange {
    Table,
    Id,
    EquipmentId,
    EnterpriseId,
    DistrictCode,
    Kind,
    State,
    FromUseStatus,
    ToUseStatus,
    FromRegistrationStatus,
    ToRegistrationStatus,
    Reason,
    EffectiveDate,
    NewLocation,
    ApplicantUserId,
    ApplicantName,
    SubmittedAt,
    ReviewerUserId,
    ReviewerName,
    ReviewedAt,
    Opinion,
    IdempotencyKey,
}

#[derive(DeriveIden)]
enum StatusChangeFile {
    Table,
    StatusChangeId,
    FileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StoredFile::Table)
                    .col(string_len(StoredFile::Id, 40).primary_key())
                    .col(big_integer_null(StoredFile::EnterpriseId))
                    .col(big_integer(StoredFile::UploadedBy))
                    .col(string_len(StoredFile::FileName, 255))
                    .col(string_len(StoredFile::ContentType, 64))
                    .col(big_integer(StoredFile::Size))
                    .col(string_len(StoredFile::StorageKey, 128))
                    .col(timestamp_with_time_zone(StoredFile::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stored_file_enterprise")
                    .table(StoredFile::Table)
                    .col(StoredFile::EnterpriseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatusChange::Table)
                    .col(big_pk_auto(StatusChange::Id))
                    .col(big_integer(StatusChange::EquipmentId))
                    .col(big_integer(StatusChange::EnterpriseId))
                    .col(string_len(StatusChange::DistrictCode, 12))
                    .col(string_len(StatusChange::Kind, 32))
                    .col(string_len(StatusChange::State, 16))
                    .col(string_len(StatusChange::FromUseStatus, 24))
                    .col(string_len(StatusChange::ToUseStatus, 24))
                    .col(string_len(StatusChange::FromRegistrationStatus, 16))
                    .col(string_len(StatusChange::ToRegistrationStatus, 16))
                    .col(string_len(StatusChange::Reason, 1000))
                    .col(date(StatusChange::EffectiveDate))
                    .col(string_len_null(StatusChange::NewLocation, 255))
                    .col(big_integer(StatusChange::ApplicantUserId))
                    .col(string_len(StatusChange::ApplicantName, 64))
                    .col(timestamp_with_time_zone(StatusChange::SubmittedAt))
                    .col(big_integer_null(StatusChange::ReviewerUserId))
                    .col(string_len_null(StatusChange::ReviewerName, 64))
                    .col(timestamp_with_time_zone_null(StatusChange::ReviewedAt))
                    .col(string_len_null(StatusChange::Opinion, 1000))
                    .col(string_len_null(StatusChange::IdempotencyKey, 128))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "idx_status_change_equipment",
                vec![StatusChange::EquipmentId, StatusChange::State],
                false,
            ),
            (
                "idx_status_change_district",
                vec![StatusChange::DistrictCode, StatusChange::State],
                false,
            ),
            (
                "idx_status_change_enterprise",
                vec![StatusChange::EnterpriseId, StatusChange::SubmittedAt],
                false,
            ),
            (
                "uq_status_change_idempotency",
                vec![StatusChange::ApplicantUserId, StatusChange::IdempotencyKey],
                true,
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(StatusChange::Table)
                .to_owned();
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(StatusChangeFile::Table)
                    .col(big_integer(StatusChangeFile::StatusChangeId))
                    .col(string_len(StatusChangeFile::FileId, 40))
                    .primary_key(
                        Index::create()
                            .col(StatusChangeFile::StatusChangeId)
                            .col(StatusChangeFile::FileId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_status_change_file_change")
                            .from(StatusChangeFile::Table, StatusChangeFile::StatusChangeId)
                            .to(StatusChange::Table, StatusChange::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_status_change_file_file")
                    .table(StatusChangeFile::Table)
                    .col(StatusChangeFile::FileId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StatusChangeFile::Table.into_iden(),
            StatusChange::Table.into_iden(),
            StoredFile::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
