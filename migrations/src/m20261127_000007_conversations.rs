//! 交流互动 (manual §5.4): conversations between an enterprise and a bureau, their thread of
//! messages and events (转交, 关闭), and the files attached to messages.

// async-trait expands `&SchemaManager` with a hidden lifetime; spelling it out breaks the trait match.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Conversation {
    Table,
    Id,
    EnterpriseId,
    BureauCode,
    Subject,
    State,
    LastExcerpt,
    LastParty,
    LastMessageAt,
    CreatedByUserId,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
    IdempotencyKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConversationMessage {
    Table,
    Id,
    ConversationId,
    Kind,
    Party,
    AuthorUserId,
    AuthorName,
    BureauCode,
    Content,
    FromBureauCode,
    ToBureauCode,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConversationFile {
    Table,
    MessageId,
    FileId,
    ConversationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conversation::Table)
                    .col(big_pk_auto(Conversation::Id))
                    .col(big_integer(Conversation::EnterpriseId))
                    // The bureau it is routed to now (changes on 转交).
                    .col(string_len(Conversation::BureauCode, 32))
                    .col(string_len(Conversation::Subject, 400))
                    .col(string_len(Conversation::State, 16))
                    .col(string_len(Conversation::LastExcerpt, 400))
                    .col(string_len(Conversation::LastParty, 16))
                    .col(timestamp_with_time_zone(Conversation::LastMessageAt))
                    .col(big_integer(Conversation::CreatedByUserId))
                    .col(timestamp_with_time_zone(Conversation::CreatedAt))
                    .col(timestamp_with_time_zone(Conversation::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Conversation::ClosedAt))
                    .col(string_len_null(Conversation::IdempotencyKey, 128))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "idx_conversation_enterprise",
                vec![Conversation::EnterpriseId, Conversation::LastMessageAt],
                false,
            ),
            (
                "idx_conversation_bureau",
                vec![
                    Conversation::BureauCode,
                    Conversation::State,
                    Conversation::LastMessageAt,
                ],
                false,
            ),
            (
                "uq_conversation_idempotency",
                vec![Conversation::CreatedByUserId, Conversation::IdempotencyKey],
                true,
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(Conversation::Table)
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
                    .table(ConversationMessage::Table)
                    .col(big_pk_auto(ConversationMessage::Id))
                    .col(big_integer(ConversationMessage::ConversationId))
                    // `message`, `forward` or `close`.
                    .col(string_len(ConversationMessage::Kind, 16))
                    .col(string_len(ConversationMessage::Party, 16))
                    .col(big_integer(ConversationMessage::AuthorUserId))
                    .col(string_len(ConversationMessage::AuthorName, 64))
                    // The bureau the conversation was routed to when this happened.
                    .col(string_len(ConversationMessage::BureauCode, 32))
                    .col(text_null(ConversationMessage::Content))
                    .col(string_len_null(ConversationMessage::FromBureauCode, 32))
                    .col(string_len_null(ConversationMessage::ToBureauCode, 32))
                    .col(timestamp_with_time_zone(ConversationMessage::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversation_message_conversation")
                            .from(
                                ConversationMessage::Table,
                                ConversationMessage::ConversationId,
                            )
                            .to(Conversation::Table, Conversation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversation_message_conversation")
                    .table(ConversationMessage::Table)
                    .col(ConversationMessage::ConversationId)
                    .col(ConversationMessage::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConversationFile::Table)
                    .col(big_integer(ConversationFile::MessageId))
                    .col(string_len(ConversationFile::FileId, 40))
                    // Kept beside the message id so file visibility is one lookup.
                    .col(big_integer(ConversationFile::ConversationId))
                    .primary_key(
                        Index::create()
                            .col(ConversationFile::MessageId)
                            .col(ConversationFile::FileId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_conversation_file_message")
                            .from(ConversationFile::Table, ConversationFile::MessageId)
                            .to(ConversationMessage::Table, ConversationMessage::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversation_file_file")
                    .table(ConversationFile::Table)
                    .col(ConversationFile::FileId)
                    .col(ConversationFile::ConversationId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ConversationFile::Table.into_iden(),
            ConversationMessage::Table.into_iden(),
            Conversation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
