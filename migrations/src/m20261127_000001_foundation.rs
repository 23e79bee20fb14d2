//! The foundation: reference data (districts, bureaus, offices), enterprises, users and their
//! sessions, login throttling, the audit log, equipment and inspections.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]
// Iden enums name columns after the table (`Equipment::EquipmentCode` is the column equipment_code).
#![allow(clippy::enum_variant_names)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum District {
    Table,
    Code,
    Name,
    Kind,
    BureauCode,
    SortOrder,
}

#[derive(DeriveIden)]
enum Bureau {
    Table,
    Code,
    Name,
    DistrictCode,
    Phone,
}

#[derive(DeriveIden)]
enum Office {
    Table,
    Code,
    Name,
    Address,
    Phone,
    Serves,
    SortOrder,
}

#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
    Name,
    CreditCode,
    UnitType,
    DistrictCode,
    Address,
    LegalRepresentative,
    SafetyManager,
    SafetyManagerPhone,
    ContactPhone,
    Email,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    PasswordHash,
    DisplayName,
    Role,
    EnterpriseId,
    DistrictCode,
    Phone,
    Email,
    MustChangePassword,
    Disabled,
    PasswordChangedAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
    ClientAddr,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorLabel,
    Action,
    Entity,
    EntityId,
    EnterpriseId,
    Before,
    After,
    ClientAddr,
}

#[derive(DeriveIden)]
enum Equipment {
    Table,
    Id,
    EnterpriseId,
    CategoryCode,
    VarietyCode,
    EquipmentCode,
    RegistrationCode,
    UseCertificateNo,
    InternalNo,
    FactoryNo,
    Model,
    Manufacturer,
    ManufactureDate,
    CommissioningDate,
    InstallLocation,
    DistrictCode,
    UseStatus,
    RegistrationStatus,
    LastInspectionDate,
    NextInspectionDate,
    LastOutcome,
    Params,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Inspection {
    Table,
    Id,
    EquipmentId,
    EnterpriseId,
    InspectionType,
    InspectionDate,
    ConclusionRaw,
    Outcome,
    IsReinspection,
    NextInspectionDate,
    ReportNo,
    Inspector,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(District::Table)
                    .col(string_len(District::Code, 12).primary_key())
                    .col(string_len(District::Name, 64))
                    .col(string_len(District::Kind, 24))
                    .col(string_len_null(District::BureauCode, 32))
                    .col(integer(District::SortOrder))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bureau::Table)
                    .col(string_len(Bureau::Code, 32).primary_key())
                    .col(string_len(Bureau::Name, 128))
                    .col(string_len(Bureau::DistrictCode, 12))
                    .col(string_len_null(Bureau::Phone, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Office::Table)
                    .col(string_len(Office::Code, 32).primary_key())
                    .col(string_len(Office::Name, 64))
                    .col(string_len(Office::Address, 255))
                    .col(string_len(Office::Phone, 32))
                    .col(string_len(Office::Serves, 255))
                    .col(integer(Office::SortOrder))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enterprise::Table)
                    .col(big_pk_auto(Enterprise::Id))
                    .col(string_len(Enterprise::Name, 200))
                    .col(string_len_uniq(Enterprise::CreditCode, 18))
                    .col(string_len(Enterprise::UnitType, 32))
                    .col(string_len(Enterprise::DistrictCode, 12))
                    .col(string_len(Enterprise::Address, 255))
                    .col(string_len_null(Enterprise::LegalRepresentative, 64))
                    .col(string_len_null(Enterprise::SafetyManager, 64))
                    .col(string_len_null(Enterprise::SafetyManagerPhone, 20))
                    .col(string_len_null(Enterprise::ContactPhone, 32))
                    .col(string_len_null(Enterprise::Email, 120))
                    .col(timestamp_with_time_zone(Enterprise::CreatedAt))
                    .col(timestamp_with_time_zone(Enterprise::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(big_pk_auto(AppUser::Id))
                    .col(string_len_uniq(AppUser::Username, 64))
                    .col(string_len(AppUser::PasswordHash, 255))
                    .col(string_len(AppUser::DisplayName, 64))
                    .col(string_len(AppUser::Role, 16))
                    .col(big_integer_null(AppUser::EnterpriseId))
                    .col(string_len_null(AppUser::DistrictCode, 12))
                    .col(string_len_null(AppUser::Phone, 20))
                    .col(string_len_null(AppUser::Email, 120))
                    .col(boolean(AppUser::MustChangePassword).default(false))
                    .col(boolean(AppUser::Disabled).default(false))
                    .col(timestamp_with_time_zone_null(AppUser::PasswordChangedAt))
                    .col(timestamp_with_time_zone_null(AppUser::LastLoginAt))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_app_user_enterprise")
                            .from(AppUser::Table, AppUser::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_app_user_enterprise")
                    .table(AppUser::Table)
                    .col(AppUser::EnterpriseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(big_pk_auto(Session::Id))
                    .col(big_integer(Session::UserId))
                    .col(string_len(Session::FamilyId, 64))
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::UsedAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(string_len_null(Session::ClientAddr, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_user")
                            .from(Session::Table, Session::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_session_user", Session::UserId),
            ("idx_session_family", Session::FamilyId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Session::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::Key, 128).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(LoginThrottle::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(big_integer_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorLabel, 128))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::Entity, 64))
                    .col(string_len_null(AuditLog::EntityId, 64))
                    .col(big_integer_null(AuditLog::EnterpriseId))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .col(string_len_null(AuditLog::ClientAddr, 64))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_audit_at", AuditLog::At),
            ("idx_audit_entity_id", AuditLog::EntityId),
            ("idx_audit_enterprise", AuditLog::EnterpriseId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Equipment::Table)
                    .col(big_pk_auto(Equipment::Id))
                    .col(big_integer(Equipment::EnterpriseId))
                    .col(string_len(Equipment::CategoryCode, 4))
                    .col(string_len(Equipment::VarietyCode, 4))
                    .col(string_len_null(Equipment::EquipmentCode, 18))
                    .col(string_len_null(Equipment::RegistrationCode, 20))
                    .col(string_len_null(Equipment::UseCertificateNo, 64))
                    .col(string_len_null(Equipment::InternalNo, 64))
                    .col(string_len_null(Equipment::FactoryNo, 64))
                    .col(string_len_null(Equipment::Model, 128))
                    .col(string_len_null(Equipment::Manufacturer, 200))
                    .col(date_null(Equipment::ManufactureDate))
                    .col(date_null(Equipment::CommissioningDate))
                    .col(string_len(Equipment::InstallLocation, 255))
                    .col(string_len(Equipment::DistrictCode, 12))
                    .col(string_len(Equipment::UseStatus, 24))
                    .col(string_len(Equipment::RegistrationStatus, 16))
                    .col(date_null(Equipment::LastInspectionDate))
                    .col(date_null(Equipment::NextInspectionDate))
                    .col(string_len_null(Equipment::LastOutcome, 24))
                    .col(json(Equipment::Params))
                    .col(timestamp_with_time_zone(Equipment::CreatedAt))
                    .col(timestamp_with_time_zone(Equipment::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_equipment_enterprise")
                            .from(Equipment::Table, Equipment::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // An enterprise's lists are ordered by the next inspection date (DESIGN.md, measured).
        manager
            .create_index(
                Index::create()
                    .name("idx_equipment_enterprise_next")
                    .table(Equipment::Table)
                    .col(Equipment::EnterpriseId)
                    .col(Equipment::NextInspectionDate)
                    .col(Equipment::Id)
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            (
                "idx_equipment_registration_code",
                Equipment::RegistrationCode,
            ),
            ("idx_equipment_equipment_code", Equipment::EquipmentCode),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Equipment::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Inspection::Table)
                    .col(big_pk_auto(Inspection::Id))
                    .col(big_integer(Inspection::EquipmentId))
                    .col(big_integer(Inspection::EnterpriseId))
                    .col(string_len(Inspection::InspectionType, 24))
                    .col(date(Inspection::InspectionDate))
                    .col(string_len(Inspection::ConclusionRaw, 64))
                    .col(string_len(Inspection::Outcome, 24))
                    .col(boolean(Inspection::IsReinspection).default(false))
                    .col(date_null(Inspection::NextInspectionDate))
                    .col(string_len_null(Inspection::ReportNo, 64))
                    .col(string_len_null(Inspection::Inspector, 64))
                    .col(timestamp_with_time_zone(Inspection::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspection_equipment")
                            .from(Inspection::Table, Inspection::EquipmentId)
                            .to(Equipment::Table, Equipment::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_inspection_equipment_date")
                    .table(Inspection::Table)
                    .col(Inspection::EquipmentId)
                    .col(Inspection::InspectionDate)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Inspection::Table.into_iden(),
            Equipment::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            Session::Table.into_iden(),
            AppUser::Table.into_iden(),
            Enterprise::Table.into_iden(),
            Office::Table.into_iden(),
            Bureau::Table.into_iden(),
            District::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
