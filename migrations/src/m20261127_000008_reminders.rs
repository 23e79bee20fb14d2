//! Inspection reminders and the in-app inbox (issue 6 item 8): per-enterprise reminder settings,
//! one row per sent reminder (unique per equipment, due date and threshold: that key is what
//! keeps reruns and several api nodes from sending one twice), the inbox and per-user read marks.
//! Plus an index on the next inspection date, so the job selects its candidates by a date range
//! across all enterprises instead of scanning the register.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ReminderSettings {
    Table,
    EnterpriseId,
    WindowDays,
    Marks,
    HorizonDays,
    WeeklyOverdue,
    SmsSafetyManager,
    ExtraPhones,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Reminder {
    Table,
    Id,
    EquipmentId,
    EnterpriseId,
    DueDate,
    Threshold,
    OffsetDays,
    RunOn,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Notification {
    Table,
    Id,
    EnterpriseId,
    Kind,
    Title,
    Body,
    EquipmentId,
    ReminderId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationRead {
    Table,
    NotificationId,
    UserId,
    ReadAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Equipment {
    Table,
    NextInspectionDate,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ReminderSettings as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_integer(S::EnterpriseId).primary_key())
                    .col(small_integer(S::WindowDays))
                    // Comma-separated day counts, earliest first ("7,1").
                    .col(string_len(S::Marks, 64))
                    // max(window, marks): the job's look-ahead is the largest of these.
                    .col(small_integer(S::HorizonDays))
                    .col(boolean(S::WeeklyOverdue))
                    .col(boolean(S::SmsSafetyManager))
                    // Comma-separated mobile numbers.
                    .col(string_len(S::ExtraPhones, 128))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        use Reminder as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(big_pk_auto(R::Id))
                    .col(big_integer(R::EquipmentId))
                    .col(big_integer(R::EnterpriseId))
                    .col(date(R::DueDate))
                    .col(string_len(R::Threshold, 32))
                    .col(integer(R::OffsetDays))
                    .col(date(R::RunOn))
                    .col(timestamp_with_time_zone(R::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_reminder_equipment_due_threshold")
                    .table(R::Table)
                    .col(R::EquipmentId)
                    .col(R::DueDate)
                    .col(R::Threshold)
                    .unique()
                    .to_owned(),
            )
            .await?;

        use Notification as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(big_pk_auto(N::Id))
                    .col(big_integer(N::EnterpriseId))
                    .col(string_len(N::Kind, 32))
                    .col(string_len(N::Title, 200))
                    .col(string_len(N::Body, 1000))
                    .col(big_integer_null(N::EquipmentId))
                    .col(big_integer_null(N::ReminderId))
                    .col(timestamp_with_time_zone(N::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_enterprise")
                    .table(N::Table)
                    .col(N::EnterpriseId)
                    .col(N::Id)
                    .to_owned(),
            )
            .await?;

        use NotificationRead as NR;
        manager
            .create_table(
                Table::create()
                    .table(NR::Table)
                    .col(big_integer(NR::NotificationId))
                    .col(big_integer(NR::UserId))
                    .col(timestamp_with_time_zone(NR::ReadAt))
                    .primary_key(Index::create().col(NR::NotificationId).col(NR::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_read_notification")
                            .from(NR::Table, NR::NotificationId)
                            .to(N::Table, N::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_index(
                Index::create()
                    .name("idx_equipment_next_inspection")
                    .table(Equipment::Table)
                    .col(Equipment::NextInspectionDate)
                    .col(Equipment::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_equipment_next_inspection")
                    .table(Equipment::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            NotificationRead::Table.into_iden(),
            Notification::Table.into_iden(),
            Reminder::Table.into_iden(),
            ReminderSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
