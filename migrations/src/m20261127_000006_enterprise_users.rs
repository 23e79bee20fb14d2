//! Users inside an enterprise (roles admin / operator / viewer) and the API tokens an enterprise
//! admin hands to integrators.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AppUser {
    Table,
    Id,
    Role,
    EnterpriseRole,
}

#[derive(DeriveIden, Clone, Copy)]
enum Enterprise {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiToken {
    Table,
    Id,
    EnterpriseId,
    Name,
    TokenHash,
    /// The first characters of the secret, shown in lists so a user can tell tokens apart.
    Hint,
    Scope,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
    RevokedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .add_column(string_len_null(AppUser::EnterpriseRole, 16))
                    .to_owned(),
            )
            .await?;
        // Every enterprise user so far was its enterprise's only kind of user: they keep all rights.
        let existing = Query::update()
            .table(AppUser::Table)
            .value(AppUser::EnterpriseRole, "admin")
            .and_where(Expr::col(AppUser::Role).eq("enterprise"))
            .to_owned();
        manager.exec_stmt(existing).await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(big_pk_auto(ApiToken::Id))
                    .col(big_integer(ApiToken::EnterpriseId))
                    .col(string_len(ApiToken::Name, 100))
                    .col(string_len_uniq(ApiToken::TokenHash, 64))
                    .col(string_len(ApiToken::Hint, 16))
                    .col(string_len(ApiToken::Scope, 16))
                    .col(timestamp_with_time_zone(ApiToken::ExpiresAt))
                    .col(big_integer(ApiToken::CreatedBy))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .col(big_integer_null(ApiToken::RevokedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_enterprise")
                            .from(ApiToken::Table, ApiToken::EnterpriseId)
                            .to(Enterprise::Table, Enterprise::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_creator")
                            .from(ApiToken::Table, ApiToken::CreatedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_token_enterprise")
                    .table(ApiToken::Table)
                    .col(ApiToken::EnterpriseId)
                    .col(ApiToken::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiToken::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AppUser::Table)
                    .drop_column(AppUser::EnterpriseRole)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
