//! Payment notices (缴款通知书), online payments and e-invoices (manual §5.5–§5.6). Money in 分.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum PaymentNotice {
    Table,
    Id,
    NoticeNo,
    EnterpriseId,
    PayerName,
    TotalFen,
    State,
    DueDate,
    IssuedAt,
    IssuedByName,
    PaidAt,
    PaidPaymentId,
    CancelReason,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PaymentNoticeItem {
    Table,
    Id,
    NoticeId,
    ApplicationItemId,
    Description,
    AmountFen,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payment {
    Table,
    Id,
    NoticeId,
    Provider,
    OutTradeNo,
    AmountFen,
    State,
    QrText,
    ExpiresAt,
    TransactionId,
    PaidAt,
    CreatedAt,
    UpdatedAt,
}

// Columns `invoice_no`, `invoice_code`: the variant names follow them.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden, Clone, Copy)]
enum Invoice {
    Table,
    Id,
    PaymentNoticeId,
    Kind,
    InvoiceNo,
    InvoiceCode,
    BuyerName,
    BuyerCreditCode,
    Items,
    AmountFen,
    TaxFen,
    TotalFen,
    TaxRate,
    IssuedAt,
    PdfKey,
    PdfSha256,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use PaymentNotice as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(big_pk_auto(N::Id))
                    .col(string_len(N::NoticeNo, 20).unique_key())
                    .col(big_integer(N::EnterpriseId))
                    .col(string_len(N::PayerName, 128))
                    .col(big_integer(N::TotalFen))
                    .col(string_len(N::State, 16))
                    .col(date(N::DueDate))
                    .col(timestamp_with_time_zone(N::IssuedAt))
                    .col(string_len(N::IssuedByName, 64))
                    .col(timestamp_with_time_zone_null(N::PaidAt))
                    .col(big_integer_null(N::PaidPaymentId))
                    .col(string_len_null(N::CancelReason, 500))
                    .col(timestamp_with_time_zone(N::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payment_notice_enterprise")
                    .table(N::Table)
                    .col(N::EnterpriseId)
                    .col(N::IssuedAt)
                    .to_owned(),
            )
            .await?;
        use PaymentNoticeItem as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(big_integer(I::NoticeId))
                    .col(big_integer(I::ApplicationItemId))
                    .col(string_len(I::Description, 255))
                    .col(big_integer(I::AmountFen))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_notice_item_notice")
                            .from(I::Table, I::NoticeId)
                            .to(N::Table, N::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_payment_notice_item_notice", I::NoticeId),
            ("idx_payment_notice_item_item", I::ApplicationItemId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(I::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        use Payment as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_pk_auto(P::Id))
                    .col(big_integer(P::NoticeId))
                    .col(string_len(P::Provider, 16))
                    .col(string_len(P::OutTradeNo, 32).unique_key())
                    .col(big_integer(P::AmountFen))
                    .col(string_len(P::State, 16))
                    .col(string_len_null(P::QrText, 512))
                    .col(timestamp_with_time_zone(P::ExpiresAt))
                    .col(string_len_null(P::TransactionId, 64))
                    .col(timestamp_with_time_zone_null(P::PaidAt))
                    .col(timestamp_with_time_zone(P::CreatedAt))
                    .col(timestamp_with_time_zone(P::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_payment_notice", vec![P::NoticeId, P::State]),
            ("idx_payment_state", vec![P::State, P::ExpiresAt]),
        ] {
            let mut index = Index::create().name(name).table(P::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        // A provider transaction pays one payment, whatever the callbacks repeat.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_payment_transaction ON payment (provider, transaction_id) \
                 WHERE transaction_id IS NOT NULL",
            )
            .await?;
        use Invoice as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(big_pk_auto(V::Id))
                    .col(big_integer(V::PaymentNoticeId).unique_key())
                    .col(string_len(V::Kind, 24))
                    .col(string_len(V::InvoiceNo, 24).unique_key())
                    .col(string_len_null(V::InvoiceCode, 16))
                    .col(string_len(V::BuyerName, 128))
                    .col(string_len(V::BuyerCreditCode, 18))
                    .col(json(V::Items))
                    .col(big_integer(V::AmountFen))
                    .col(big_integer(V::TaxFen))
                    .col(big_integer(V::TotalFen))
                    .col(string_len(V::TaxRate, 8))
                    .col(timestamp_with_time_zone(V::IssuedAt))
                    .col(string_len_null(V::PdfKey, 128))
                    .col(string_len_null(V::PdfSha256, 64))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Invoice::Table.into_iden(),
            Payment::Table.into_iden(),
            PaymentNoticeItem::Table.into_iden(),
            PaymentNotice::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
