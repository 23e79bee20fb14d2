//! Online account registrations (manual §3.1): what an enterprise submitted, the 营业执照 it
//! uploaded, and the institute's decision.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Registration {
    Table,
    Id,
    ReferenceNo,
    State,
    UnitType,
    Name,
    CreditCode,
    DistrictCode,
    Address,
    LegalRepresentative,
    SafetyManager,
    SafetyManagerPhone,
    ApplicantName,
    ApplicantPhone,
    Email,
    LicenceKey,
    LicenceFileName,
    LicenceContentType,
    LicenceSize,
    TermsVersion,
    ClientAddr,
    SubmittedAt,
    ReviewerUserId,
    ReviewerName,
    ReviewedAt,
    Reason,
    EnterpriseId,
    Username,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Registration as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(big_pk_auto(R::Id))
                    .col(string_len(R::ReferenceNo, 20).unique_key())
                    .col(string_len(R::State, 16))
                    .col(string_len(R::UnitType, 32))
                    .col(string_len(R::Name, 200))
                    .col(string_len(R::CreditCode, 18))
                    .col(string_len(R::DistrictCode, 12))
                    .col(string_len(R::Address, 255))
                    .col(string_len(R::LegalRepresentative, 64))
                    .col(string_len(R::SafetyManager, 64))
                    .col(string_len(R::SafetyManagerPhone, 20))
                    .col(string_len(R::ApplicantName, 64))
                    .col(string_len(R::ApplicantPhone, 20))
                    .col(string_len_null(R::Email, 120))
                    .col(string_len(R::LicenceKey, 64))
                    .col(string_len(R::LicenceFileName, 128))
                    .col(string_len(R::LicenceContentType, 32))
                    .col(big_integer(R::LicenceSize))
                    .col(string_len(R::TermsVersion, 16))
                    .col(string_len_null(R::ClientAddr, 64))
                    .col(timestamp_with_time_zone(R::SubmittedAt))
                    .col(big_integer_null(R::ReviewerUserId))
                    .col(string_len_null(R::ReviewerName, 64))
                    .col(timestamp_with_time_zone_null(R::ReviewedAt))
                    .col(string_len_null(R::Reason, 500))
                    .col(big_integer_null(R::EnterpriseId))
                    .col(string_len_null(R::Username, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_registration_state")
                    .table(R::Table)
                    .col(R::State)
                    .col(R::SubmittedAt)
                    .to_owned(),
            )
            .await?;
        // At most one pending registration per credit code, even for two requests at once.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_registration_pending ON registration (credit_code) \
                 WHERE state = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Registration::Table).to_owned())
            .await
    }
}
