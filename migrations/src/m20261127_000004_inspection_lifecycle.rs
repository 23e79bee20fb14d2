//! Online inspection applications, reports, inspection opinion notices and the notification
//! outbox (manual §5.1–§5.3). Money is stored as whole 分 (`*_fen`), identical on both databases.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum InspectionApplication {
    Table,
    Id,
    SerialNo,
    EnterpriseId,
    ContactName,
    ContactPhone,
    ContactAddress,
    PreferredDate,
    Note,
    ApplicantUserId,
    ApplicantName,
    SubmittedAt,
    IdempotencyKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApplicationItem {
    Table,
    Id,
    ApplicationId,
    EnterpriseId,
    EquipmentId,
    InspectionType,
    State,
    FeeRequest,
    EstimatedFeeFen,
    ApprovedFeeFen,
    BusinessNo,
    Opinion,
    DecidedByName,
    DecidedAt,
    ScheduledDate,
    ReportId,
    UpdatedAt,
}

// The column is `report_no`; the variant name follows it.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden, Clone, Copy)]
enum Report {
    Table,
    Id,
    ReportNo,
    BusinessNo,
    EnterpriseId,
    EquipmentId,
    InspectionId,
    ApplicationItemId,
    CategoryCode,
    InspectionType,
    InspectionDate,
    ConclusionRaw,
    Outcome,
    Problems,
    NextInspectionDate,
    Inspector,
    ReviewerName,
    ApproverName,
    State,
    FeeFen,
    FeePaidAt,
    VerificationCode,
    PdfKey,
    PdfSha256,
    IssuedOn,
    Remark,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OpinionNotice {
    Table,
    Id,
    NoticeNo,
    ReportId,
    EnterpriseId,
    EquipmentId,
    Problems,
    Deadline,
    State,
    Inspector,
    IssuedOn,
    PdfKey,
    PdfSha256,
    FeedbackStatement,
    FeedbackAt,
    FeedbackByName,
    ReviewComment,
    ReviewedByName,
    ReviewedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NoticeFeedbackFile {
    Table,
    NoticeId,
    FileId,
}

#[derive(DeriveIden, Clone, Copy)]
enum OutboxMessage {
    Table,
    Id,
    Channel,
    Recipient,
    Kind,
    Body,
    DedupeKey,
    State,
    Attempts,
    NextAttemptAt,
    ClaimedBy,
    ClaimedUntil,
    SentAt,
    LastError,
    CreatedAt,
}

async fn index<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: Vec<T>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(table).to_owned();
    for c in cols {
        index.col(c);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use InspectionApplication as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(big_pk_auto(A::Id))
                    .col(string_len(A::SerialNo, 32).unique_key())
                    .col(big_integer(A::EnterpriseId))
                    .col(string_len(A::ContactName, 64))
                    .col(string_len(A::ContactPhone, 20))
                    .col(string_len(A::ContactAddress, 255))
                    .col(date_null(A::PreferredDate))
                    .col(string_len_null(A::Note, 500))
                    .col(big_integer(A::ApplicantUserId))
                    .col(string_len(A::ApplicantName, 64))
                    .col(timestamp_with_time_zone(A::SubmittedAt))
                    .col(string_len_null(A::IdempotencyKey, 128))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_application_enterprise",
            A::Table,
            vec![A::EnterpriseId, A::SubmittedAt],
            false,
        )
        .await?;
        index(
            manager,
            "uq_application_idempotency",
            A::Table,
            vec![A::ApplicantUserId, A::IdempotencyKey],
            true,
        )
        .await?;

        use ApplicationItem as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(big_integer(I::ApplicationId))
                    .col(big_integer(I::EnterpriseId))
                    .col(big_integer(I::EquipmentId))
                    .col(string_len(I::InspectionType, 24))
                    .col(string_len(I::State, 16))
                    .col(json(I::FeeRequest))
                    .col(big_integer_null(I::EstimatedFeeFen))
                    .col(big_integer_null(I::ApprovedFeeFen))
                    .col(string_len_null(I::BusinessNo, 32).unique_key())
                    .col(string_len_null(I::Opinion, 500))
                    .col(string_len_null(I::DecidedByName, 64))
                    .col(timestamp_with_time_zone_null(I::DecidedAt))
                    .col(date_null(I::ScheduledDate))
                    .col(big_integer_null(I::ReportId))
                    .col(timestamp_with_time_zone(I::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_item_application")
                            .from(I::Table, I::ApplicationId)
                            .to(A::Table, A::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_application_item_application",
            I::Table,
            vec![I::ApplicationId],
            false,
        )
        .await?;
        index(
            manager,
            "idx_application_item_state",
            I::Table,
            vec![I::State, I::EnterpriseId],
            false,
        )
        .await?;
        index(
            manager,
            "idx_application_item_equipment",
            I::Table,
            vec![I::EquipmentId, I::State],
            false,
        )
        .await?;
        // One open application item per unit of equipment, enforced by the database itself, so
        // two concurrent submissions cannot both pass the check. Both databases support partial
        // unique indexes with this syntax.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_application_item_open ON application_item (equipment_id) \
                 WHERE state IN ('pending', 'accepted', 'scheduled')",
            )
            .await?;

        use Report as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(big_pk_auto(R::Id))
                    .col(string_len(R::ReportNo, 32).unique_key())
                    .col(string_len(R::BusinessNo, 32))
                    .col(big_integer(R::EnterpriseId))
                    .col(big_integer(R::EquipmentId))
                    .col(big_integer_null(R::InspectionId))
                    .col(big_integer_null(R::ApplicationItemId))
                    .col(string_len(R::CategoryCode, 8))
                    .col(string_len(R::InspectionType, 24))
                    .col(date(R::InspectionDate))
                    .col(string_len(R::ConclusionRaw, 32))
                    .col(string_len(R::Outcome, 24))
                    .col(json(R::Problems))
                    .col(date_null(R::NextInspectionDate))
                    .col(string_len(R::Inspector, 64))
                    .col(string_len_null(R::ReviewerName, 64))
                    .col(string_len_null(R::ApproverName, 64))
                    .col(string_len(R::State, 16))
                    .col(big_integer(R::FeeFen))
                    .col(timestamp_with_time_zone_null(R::FeePaidAt))
                    .col(string_len(R::VerificationCode, 16))
                    .col(string_len_null(R::PdfKey, 128))
                    .col(string_len_null(R::PdfSha256, 64))
                    .col(date_null(R::IssuedOn))
                    .col(string_len_null(R::Remark, 500))
                    .col(timestamp_with_time_zone(R::CreatedAt))
                    .col(timestamp_with_time_zone(R::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_report_enterprise_date",
            R::Table,
            vec![R::EnterpriseId, R::InspectionDate],
            false,
        )
        .await?;
        index(
            manager,
            "idx_report_state_date",
            R::Table,
            vec![R::State, R::InspectionDate],
            false,
        )
        .await?;
        index(
            manager,
            "idx_report_equipment",
            R::Table,
            vec![R::EquipmentId],
            false,
        )
        .await?;
        index(
            manager,
            "idx_report_business_no",
            R::Table,
            vec![R::BusinessNo],
            false,
        )
        .await?;

        use OpinionNotice as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(big_pk_auto(N::Id))
                    .col(string_len(N::NoticeNo, 32).unique_key())
                    .col(big_integer(N::ReportId))
                    .col(big_integer(N::EnterpriseId))
                    .col(big_integer(N::EquipmentId))
                    .col(json(N::Problems))
                    .col(date(N::Deadline))
                    .col(string_len(N::State, 16))
                    .col(string_len(N::Inspector, 64))
                    .col(date(N::IssuedOn))
                    .col(string_len_null(N::PdfKey, 128))
                    .col(string_len_null(N::PdfSha256, 64))
                    .col(string_len_null(N::FeedbackStatement, 2000))
                    .col(timestamp_with_time_zone_null(N::FeedbackAt))
                    .col(string_len_null(N::FeedbackByName, 64))
                    .col(string_len_null(N::ReviewComment, 500))
                    .col(string_len_null(N::ReviewedByName, 64))
                    .col(timestamp_with_time_zone_null(N::ReviewedAt))
                    .col(timestamp_with_time_zone(N::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opinion_notice_report")
                            .from(N::Table, N::ReportId)
                            .to(R::Table, R::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notice_enterprise",
            N::Table,
            vec![N::EnterpriseId, N::IssuedOn],
            false,
        )
        .await?;
        index(
            manager,
            "idx_notice_state",
            N::Table,
            vec![N::State, N::Deadline],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeFeedbackFile::Table)
                    .col(big_integer(NoticeFeedbackFile::NoticeId))
                    .col(string_len(NoticeFeedbackFile::FileId, 40))
                    .primary_key(
                        Index::create()
                            .col(NoticeFeedbackFile::NoticeId)
                            .col(NoticeFeedbackFile::FileId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notice_feedback_file_notice")
                            .from(NoticeFeedbackFile::Table, NoticeFeedbackFile::NoticeId)
                            .to(N::Table, N::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        use OutboxMessage as O;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(big_pk_auto(O::Id))
                    .col(string_len(O::Channel, 16))
                    .col(string_len(O::Recipient, 64))
                    .col(string_len(O::Kind, 48))
                    .col(string_len(O::Body, 1000))
                    .col(string_len(O::DedupeKey, 128).unique_key())
                    .col(string_len(O::State, 16))
                    .col(integer(O::Attempts))
                    .col(timestamp_with_time_zone(O::NextAttemptAt))
                    .col(string_len_null(O::ClaimedBy, 64))
                    .col(timestamp_with_time_zone_null(O::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(O::SentAt))
                    .col(string_len_null(O::LastError, 500))
                    .col(timestamp_with_time_zone(O::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_outbox_due",
            O::Table,
            vec![O::State, O::NextAttemptAt],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OutboxMessage::Table.into_iden(),
            NoticeFeedbackFile::Table.into_iden(),
            OpinionNotice::Table.into_iden(),
            Report::Table.into_iden(),
            ApplicationItem::Table.into_iden(),
            InspectionApplication::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
