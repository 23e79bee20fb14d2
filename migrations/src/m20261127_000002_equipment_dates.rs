//! Dates the equipment lists need: 登记日期 (registration date, a 更多条件 filter), the day the
//! use status last changed (非在用设备's 变更日期) and an approved 延期检验日期 (deferral, which keeps
//! equipment off the overdue list). Plus indexes for the state lists.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Equipment {
    Table,
    EnterpriseId,
    RegistrationDate,
    StatusChangedOn,
    DeferredUntil,
    UseStatus,
    LastOutcome,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite cannot add several in one ALTER TABLE.
        for column in [
            date_null(Equipment::RegistrationDate),
            date_null(Equipment::StatusChangedOn),
            date_null(Equipment::DeferredUntil),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Equipment::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for (name, col) in [
            ("idx_equipment_enterprise_status", Equipment::UseStatus),
            ("idx_equipment_enterprise_outcome", Equipment::LastOutcome),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Equipment::Table)
                        .col(Equipment::EnterpriseId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_equipment_enterprise_status",
            "idx_equipment_enterprise_outcome",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Equipment::Table).to_owned())
                .await?;
        }
        for column in [
            Equipment::RegistrationDate,
            Equipment::StatusChangedOn,
            Equipment::DeferredUntil,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Equipment::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
