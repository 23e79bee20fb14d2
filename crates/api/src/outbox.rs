//! The notification outbox: messages (SMS) are written in the same transaction as the event that
//! causes them, and sent afterwards by a background job.
//!
//! - **Never lost**: the row commits or rolls back with the event.
//! - **Never queued twice**: each message has a `dedupe_key` (unique), e.g.
//!   `application_accepted:42`; enqueueing the same key again does nothing.
//! - **Never sent twice by two nodes**: a worker claims a row with one conditional `UPDATE`
//!   (`… WHERE id = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < now)`);
//!   only the worker whose update changed the row sends it. A claim expires after
//!   [`CLAIM_FOR`], so a worker that died mid-send does not block the message forever; the
//!   gateway gets the message id as its idempotency key, so a resend after such a crash is
//!   dropped by a gateway that honours it.
//! - **Retried** with exponential back-off (30 s, 1 min, 2 min … capped at 1 h) up to
//!   [`MAX_ATTEMPTS`], then marked `failed` and logged.

use std::time::Duration as StdDuration;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::{Duration, OffsetDateTime};

use crate::store::entity::outbox_message;

/// How long a claim protects a message from other workers.
pub const CLAIM_FOR: Duration = Duration::minutes(2);
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i32 = 8;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Message {
    pub recipient: String,
    pub kind: &'static str,
    pub body: String,
    pub dedupe_key: String,
}

/// Queues an SMS on `conn` (pass the transaction of the event). A second message with the same
/// dedupe key is ignored.
pub async fn enqueue_sms<C: ConnectionTrait>(conn: &C, message: Message) -> Result<(), DbErr> {
    let now = OffsetDateTime::now_utc();
    let body: String = message.body.chars().take(1000).collect();
    let row = outbox_message::ActiveModel {
        channel: Set("sms".to_owned()),
        recipient: Set(message.recipient),
        kind: Set(message.kind.to_owned()),
        body: Set(body),
        dedupe_key: Set(message.dedupe_key),
        state: Set("pending".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_by: Set(None),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    outbox_message::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox_message::Column::DedupeKey])
        .exec(conn)
        .await
        .map(|_| ())
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Something that delivers an SMS.
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    /// Sends `body` to `recipient`. `message_id` is stable across retries of the same message
    /// (gateways use it to drop duplicates).
    fn send<'a>(
        &'a self,
        message_id: i64,
        recipient: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>;
}

/// The default sender: writes the message to the log (local runs, demos, tests).
#[derive(Debug, Default)]
pub struct LogSender;

impl SmsSender for LogSender {
    fn send<'a>(
        &'a self,
        message_id: i64,
        recipient: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            let masked = mask(recipient);
            tracing::info!(message_id, recipient = %masked, %body, "SMS (log sender)");
            Ok(())
        })
    }
}

/// The log sender that also appends each SMS as a JSON line `{"id","to","text"}` to a file
/// (`TEJIAN_SMS_LOG_FILE`): browser tests and demos read the credentials an SMS carries from it.
/// For tests and demos only: the file holds whatever the messages hold, passwords included.
#[derive(Debug)]
pub struct FileLogSender {
    pub path: std::path::PathBuf,
}

impl SmsSender for FileLogSender {
    fn send<'a>(
        &'a self,
        message_id: i64,
        recipient: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            use tokio::io::AsyncWriteExt;
            let mut line =
                serde_json::json!({ "id": message_id, "to": recipient, "text": body }).to_string();
            line.push('\n');
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
                .map_err(|e| SendError(format!("SMS log file: {e}")))?;
            file.write_all(line.as_bytes())
                .await
                .map_err(|e| SendError(format!("SMS log file: {e}")))?;
            tracing::info!(message_id, recipient = %mask(recipient), "SMS written to the SMS log file");
            Ok(())
        })
    }
}

/// An HTTP SMS gateway: `POST {url}` with JSON `{"id", "to", "text"}` and
/// `Authorization: Bearer {token}`; any 2xx is success. Configured by `TEJIAN_SMS_URL` and
/// `TEJIAN_SMS_TOKEN`.
#[derive(Debug)]
pub struct HttpGatewaySender {
    pub url: String,
    pub token: String,
    pub client: reqwest::Client,
}

impl HttpGatewaySender {
    /// A sender for the gateway at `url` (http, or https when built with the `tls` feature).
    pub fn new(url: String, token: String) -> Result<Self, SendError> {
        let client = reqwest::Client::builder()
            .timeout(StdDuration::from_secs(10))
            .build()
            .map_err(|e| SendError(e.to_string()))?;
        Ok(Self { url, token, client })
    }
}

impl SmsSender for HttpGatewaySender {
    fn send<'a>(
        &'a self,
        message_id: i64,
        recipient: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            let response = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token)
                .header("Idempotency-Key", format!("tejian-sms-{message_id}"))
                .json(&serde_json::json!({ "id": message_id, "to": recipient, "text": body }))
                .send()
                .await
                .map_err(|e| SendError(format!("gateway unreachable: {e}")))?;
            if response.status().is_success() {
                Ok(())
            } else {
                Err(SendError(format!("gateway answered {}", response.status())))
            }
        })
    }
}

/// Masks a phone number for logs: `139****0001`.
pub fn mask(recipient: &str) -> String {
    let chars: Vec<char> = recipient.chars().collect();
    if chars.len() < 7 {
        return "****".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// Result of one pass of the job.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
}

/// One pass: claims due messages one by one and sends them. Returns what happened.
pub async fn run_once(
    db: &DatabaseConnection,
    sender: &dyn SmsSender,
    worker: &str,
    batch: u64,
) -> Result<Pass, DbErr> {
    let now = OffsetDateTime::now_utc();
    let due = outbox_message::Entity::find()
        .filter(outbox_message::Column::State.eq("pending"))
        .filter(outbox_message::Column::NextAttemptAt.lte(now))
        .filter(
            sea_orm::Condition::any()
                .add(outbox_message::Column::ClaimedUntil.is_null())
                .add(outbox_message::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(outbox_message::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut pass = Pass::default();
    for message in due {
        let claim_until = OffsetDateTime::now_utc() + CLAIM_FOR;
        let claimed = outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::ClaimedBy, Expr::value(worker))
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                Expr::value(claim_until),
            )
            .filter(outbox_message::Column::Id.eq(message.id))
            .filter(outbox_message::Column::State.eq("pending"))
            .filter(
                sea_orm::Condition::any()
                    .add(outbox_message::Column::ClaimedUntil.is_null())
                    .add(outbox_message::Column::ClaimedUntil.lt(OffsetDateTime::now_utc())),
            )
            .exec(db)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue; // another worker has it
        }
        let result = sender
            .send(message.id, &message.recipient, &message.body)
            .await;
        let attempts = message.attempts.saturating_add(1);
        let update = outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Attempts, Expr::value(attempts))
            .col_expr(
                outbox_message::Column::ClaimedUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .filter(outbox_message::Column::Id.eq(message.id))
            .filter(outbox_message::Column::ClaimedBy.eq(worker));
        match result {
            Ok(()) => {
                update
                    .col_expr(outbox_message::Column::State, Expr::value("sent"))
                    .col_expr(
                        outbox_message::Column::SentAt,
                        Expr::value(OffsetDateTime::now_utc()),
                    )
                    .exec(db)
                    .await?;
                pass.sent += 1;
            }
            Err(e) => {
                let give_up = attempts >= MAX_ATTEMPTS;
                let error: String = e.0.chars().take(500).collect();
                tracing::warn!(message_id = message.id, attempts, give_up, error = %error, "SMS send failed");
                let update = update.col_expr(outbox_message::Column::LastError, Expr::value(error));
                if give_up {
                    update
                        .col_expr(outbox_message::Column::State, Expr::value("failed"))
                        .exec(db)
                        .await?;
                    pass.failed += 1;
                } else {
                    update
                        .col_expr(
                            outbox_message::Column::NextAttemptAt,
                            Expr::value(OffsetDateTime::now_utc() + backoff(attempts)),
                        )
                        .exec(db)
                        .await?;
                    pass.retried += 1;
                }
            }
        }
    }
    Ok(pass)
}

/// Delay before attempt `attempts + 1`: 30 s doubled per attempt, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    Duration::seconds((30_i64 << exp).min(3600))
}

/// Runs [`run_once`] every `every` until the process ends.
pub async fn run_forever(
    db: DatabaseConnection,
    sender: std::sync::Arc<dyn SmsSender>,
    worker: String,
    every: StdDuration,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match run_once(&db, sender.as_ref(), &worker, 50).await {
            Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "outbox pass"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox pass failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(20), Duration::seconds(3600));
    }

    #[test]
    fn masks_numbers() {
        assert_eq!(mask("13957200001"), "139****0001");
        assert_eq!(mask("12"), "****");
    }
}
