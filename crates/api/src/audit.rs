//! The audit log: every state change writes who did what, when, to which object, before and after,
//! in the same transaction as the change.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;
use time::OffsetDateTime;

use crate::services::Actor;
use crate::store::entity::audit_log;

/// One audit entry to write.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub actor_user_id: Option<i64>,
    /// The actor's user name, or what was typed for a failed login.
    pub actor_label: String,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: Option<String>,
    pub enterprise_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub client_addr: Option<String>,
}

impl Entry {
    /// An entry for an authenticated actor.
    pub fn by(
        actor: &Actor,
        label: &str,
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
    ) -> Self {
        // A token acts for the user who made it; the log still says it was the token.
        let actor_label = match actor.api_token_id {
            Some(token) => format!("{label} (API 令牌 #{token})"),
            None => label.to_owned(),
        };
        Self {
            actor_user_id: Some(actor.user_id),
            actor_label,
            action,
            entity,
            entity_id: Some(entity_id.to_string()),
            enterprise_id: actor.enterprise_id,
            client_addr: actor.client_addr.clone(),
            ..Self::default()
        }
    }

    #[must_use]
    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    #[must_use]
    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
}

/// Writes the entry on `conn` (pass the transaction of the change).
pub async fn record<C: ConnectionTrait>(conn: &C, entry: Entry) -> Result<(), DbErr> {
    let label: String = entry.actor_label.chars().take(128).collect();
    audit_log::ActiveModel {
        at: Set(OffsetDateTime::now_utc()),
        actor_user_id: Set(entry.actor_user_id),
        actor_label: Set(label),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        enterprise_id: Set(entry.enterprise_id),
        before: Set(entry.before),
        after: Set(entry.after),
        client_addr: Set(entry.client_addr),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map(|_| ())
}
