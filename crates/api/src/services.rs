//! Use cases. Each function takes the acting user (when there is one), decides, runs its writes
//! in one transaction with an audit record, and returns contract types or an [`AppError`].

pub mod account;
pub mod applications;
pub mod audit_log;
pub mod auth;
pub mod conversations;
pub mod enterprise;
pub mod enterprise_users;
pub mod equipment;
pub mod equipment_admin;
pub mod equipment_import;
pub mod fees;
pub mod files;
pub mod invoices;
pub mod notices;
pub mod payments;
pub mod reference;
pub mod registrations;
pub mod reminders;
pub mod reports;
pub mod status_changes;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tejian_domain::account::{EnterpriseRole, Role};

use crate::auth::{PasswordHasher, TokenSigner};
use crate::config::{LoginPolicy, Settings};
use crate::documents::Documents;
use crate::fees::Tariffs;
use crate::files::FileStore;
use crate::payments::Providers;

/// What every use case may need: the database, token signer, password hasher and policy.
#[derive(Debug, Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub tokens: TokenSigner,
    pub hasher: PasswordHasher,
    pub login_policy: LoginPolicy,
    pub settings: Arc<Settings>,
    pub files: FileStore,
    /// The PDF renderer (fonts load on first use).
    pub documents: Arc<Documents>,
    /// The fee tariffs in force (`TEJIAN_TARIFF_FILE`, else the bundled Zhejiang book).
    pub tariffs: Arc<Tariffs>,
    /// The payment providers (the sandbox always; WeChat and Alipay when configured).
    pub providers: Arc<Providers>,
    /// 设备总览 of districts and the province, recomputed at most once a minute.
    pub overview_cache: Arc<equipment::OverviewCache>,
}

/// The authenticated caller of a use case.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// Set for enterprise users: every query they run is scoped to it.
    pub enterprise_id: Option<i64>,
    /// Set for bureau staff: their district.
    pub district_code: Option<String>,
    /// For enterprise users: what they may do within the enterprise (an API token acts with the
    /// role of its scope).
    pub enterprise_role: Option<EnterpriseRole>,
    /// Set when the caller used an API token rather than a login session.
    pub api_token_id: Option<i64>,
    /// The login session family of the token used (`token:<id>` for an API token).
    pub session_family: String,
    pub client_addr: Option<String>,
}

/// Whose rows a query may see. Built from the actor, applied inside the query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Only this enterprise's rows.
    Enterprise(i64),
    /// Rows in this district (bureau staff).
    District(String),
    /// Everything (institute staff, administrators).
    All,
    /// Nothing (a misconfigured account: an enterprise user without an enterprise).
    Nothing,
}

impl Actor {
    /// `true` when the caller may change data: staff, and enterprise users (or tokens) above
    /// viewer.
    pub fn can_write(&self) -> bool {
        match self.role {
            Role::Enterprise => self.enterprise_role.is_some_and(EnterpriseRole::can_write),
            Role::Institute | Role::Bureau | Role::Admin => true,
        }
    }

    /// Refuses everyone but an enterprise's admin signed in as a person (never an API token):
    /// managing users, tokens, the enterprise's details, reminder settings and reading the audit
    /// log.
    pub fn require_enterprise_admin(&self) -> Result<i64, crate::error::AppError> {
        use crate::error::AppError;
        if self.api_token_id.is_some() {
            return Err(AppError::Denied {
                code: "not_for_api_tokens",
                detail: "API 令牌不能调用此接口，请登录后操作".to_owned(),
            });
        }
        match (self.role, self.enterprise_id, self.enterprise_role) {
            (Role::Enterprise, Some(enterprise), Some(EnterpriseRole::Admin)) => Ok(enterprise),
            _ => Err(AppError::Denied {
                code: "enterprise_admin_required",
                detail: "只有本单位的管理员可以执行此操作".to_owned(),
            }),
        }
    }

    /// The data scope of this actor.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Enterprise => self.enterprise_id.map_or(Scope::Nothing, Scope::Enterprise),
            Role::Bureau => self
                .district_code
                .clone()
                .map_or(Scope::Nothing, Scope::District),
            Role::Institute | Role::Admin => Scope::All,
        }
    }
}

/// Today in Huzhou (UTC+8 all year): the calendar day every date rule uses.
pub fn local_today() -> time::Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date()
}

impl Services {
    /// Begins a transaction that writes. On SQLite it takes the write lock at `BEGIN IMMEDIATE`
    /// (waiting up to the busy timeout): a deferred transaction that read first could not upgrade
    /// once another writer committed (`SQLITE_BUSY_SNAPSHOT`), and would fail instead of waiting.
    /// PostgreSQL ignores the mode.
    pub(crate) async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::TransactionTrait;
        self.db
            .begin_with_options(sea_orm::TransactionOptions {
                sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }

    /// Stores a rendered document under a key naming it (`report-17-…`) and returns the key and
    /// the document's SHA-256, which is kept beside it and checked on every read.
    pub(crate) async fn store_document(
        &self,
        kind: &str,
        id: i64,
        pdf: Vec<u8>,
    ) -> crate::error::AppResult<(String, String)> {
        let sha = crate::auth::sha256_hex(&pdf);
        let key = format!("{kind}-{id}-{}", &sha[..16]);
        self.files
            .put(&key, pdf)
            .await
            .map_err(crate::error::AppError::internal)?;
        Ok((key, sha))
    }

    /// Reads a stored document back; one that is missing or no longer matches its hash is an
    /// internal error (logged), never a silently different file.
    pub(crate) async fn stored_document(
        &self,
        kind: &str,
        id: i64,
        key: Option<&str>,
        sha: Option<&str>,
    ) -> crate::error::AppResult<Vec<u8>> {
        use crate::error::AppError;
        let key = key.ok_or_else(|| AppError::internal(format!("{kind} {id} has no PDF")))?;
        let pdf = self.files.get(key).await.map_err(AppError::internal)?;
        if sha != Some(crate::auth::sha256_hex(&pdf).as_str()) {
            return Err(AppError::internal(format!(
                "PDF of {kind} {id} does not match its stored hash"
            )));
        }
        Ok(pdf)
    }

    /// The acting user's row (gone: the session is no longer valid).
    pub(crate) async fn acting_user(
        &self,
        actor: &Actor,
    ) -> crate::error::AppResult<crate::store::entity::app_user::Model> {
        crate::store::users::find_by_id(&self.db, actor.user_id)
            .await?
            .ok_or(crate::error::AppError::Unauthenticated)
    }
}

/// `N` random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> crate::error::AppResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(crate::error::AppError::internal)?;
    Ok(bytes)
}

/// A filter value as typed: trimmed, `None` when empty.
pub(crate) fn filter_text(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}
