//! 登录, 刷新, 退出: login with throttling, refresh-token rotation with reuse detection, logout.

use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;
use std::str::FromStr;
use std::time::Duration;
use tejian_domain::account::{EnterpriseRole, Role};
use time::OffsetDateTime;

use super::{Actor, Services};
use crate::audit::{self, Entry};
use crate::auth::{TokenError, TokenKind, TokenSubject, random_token, sha256_hex};
use crate::error::{AppError, AppResult};
use crate::store::entity::app_user;
use crate::store::users;

/// Tokens handed out by a login or a refresh.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
    pub must_change_password: bool,
}

fn to_time(d: Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MAX)
}

/// The token subject for a stored user.
pub fn subject_of(user: &app_user::Model) -> AppResult<TokenSubject> {
    let role = Role::from_str(&user.role)
        .map_err(|_| AppError::internal(format!("user {} has unknown role", user.id)))?;
    Ok(TokenSubject {
        user_id: user.id,
        role,
        enterprise_id: user.enterprise_id,
        district_code: user.district_code.clone(),
        must_change_password: user.must_change_password,
    })
}

impl Services {
    fn throttle_keys(username: &str, client_addr: Option<&str>) -> Vec<String> {
        let mut keys = vec![format!("user:{}", username.trim().to_lowercase())];
        if let Some(addr) = client_addr {
            keys.push(format!("addr:{addr}"));
        }
        keys
    }

    /// 登录. Unknown user, wrong password and disabled account all answer
    /// [`AppError::InvalidCredentials`] after the same work; failures slow down and then lock the
    /// account name and the client address for a bounded time.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: Option<String>,
    ) -> AppResult<IssuedTokens> {
        let now = OffsetDateTime::now_utc();
        let keys = Self::throttle_keys(username, client_addr.as_deref());
        if let Some(until) = users::locked_until(&self.db, &keys, now).await? {
            let secs = u64::try_from((until - now).whole_seconds().max(1)).unwrap_or(1);
            return Err(AppError::LoginLocked {
                retry_after_secs: secs,
                minutes: secs.div_ceil(60),
            });
        }

        let user = users::find_by_username(&self.db, username).await?;
        let matches = self
            .hasher
            .verify(
                password.to_owned(),
                user.as_ref().map(|u| u.password_hash.clone()),
            )
            .await?;
        let user = match user {
            Some(u) if matches && !u.disabled => u,
            other => {
                let failures = self
                    .record_login_failure(&keys, username, other.as_ref(), client_addr)
                    .await?;
                let extra = failures.saturating_sub(2);
                if extra > 0 {
                    let delay = self
                        .login_policy
                        .delay_step
                        .saturating_mul(extra)
                        .min(self.login_policy.max_delay);
                    tokio::time::sleep(delay).await;
                }
                return Err(AppError::InvalidCredentials);
            }
        };

        let subject = subject_of(&user)?;
        let family = random_token(16).map_err(AppError::internal)?;
        let txn = self.begin_write().await?;
        let tokens = self
            .issue(&subject, &family, client_addr.clone(), &txn)
            .await?;
        users::clear_failures(&txn, &keys[0]).await?;
        let mut active = user.clone().into_active_model();
        active.last_login_at = Set(Some(now));
        active.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                actor_user_id: Some(user.id),
                actor_label: user.username.clone(),
                action: "login_succeeded",
                entity: "user",
                entity_id: Some(user.id.to_string()),
                enterprise_id: user.enterprise_id,
                client_addr,
                ..Entry::default()
            },
        )
        .await?;
        txn.commit().await?;
        Ok(tokens)
    }

    async fn record_login_failure(
        &self,
        keys: &[String],
        username: &str,
        user: Option<&app_user::Model>,
        client_addr: Option<String>,
    ) -> AppResult<u32> {
        let now = OffsetDateTime::now_utc();
        let policy = &self.login_policy;
        let txn = self.begin_write().await?;
        let mut account_failures = 0;
        for (i, key) in keys.iter().enumerate() {
            let max = if i == 0 {
                policy.max_failures_per_account
            } else {
                policy.max_failures_per_addr
            };
            let n = users::record_failure(
                &txn,
                key,
                now,
                to_time(policy.window),
                max,
                to_time(policy.lock_for),
            )
            .await?;
            if i == 0 {
                account_failures = n;
            }
        }
        audit::record(
            &txn,
            Entry {
                actor_user_id: None,
                actor_label: username.to_owned(),
                action: "login_failed",
                entity: "user",
                entity_id: user.map(|u| u.id.to_string()),
                enterprise_id: user.and_then(|u| u.enterprise_id),
                client_addr,
                after: Some(json!({ "failures": account_failures })),
                ..Entry::default()
            },
        )
        .await?;
        txn.commit().await?;
        Ok(account_failures)
    }

    /// Signs an access and a refresh token in `family` and stores the refresh token's row.
    async fn issue<C: sea_orm::ConnectionTrait>(
        &self,
        subject: &TokenSubject,
        family: &str,
        client_addr: Option<String>,
        conn: &C,
    ) -> AppResult<IssuedTokens> {
        let (access_token, _) = self
            .tokens
            .sign(TokenKind::Access, subject, family)
            .map_err(AppError::internal)?;
        let (refresh_token, refresh_claims) = self
            .tokens
            .sign(TokenKind::Refresh, subject, family)
            .map_err(AppError::internal)?;
        let expires_at = OffsetDateTime::now_utc() + to_time(self.tokens.refresh_ttl());
        users::insert_session(
            conn,
            subject.user_id,
            family,
            sha256_hex(&refresh_claims.jti),
            expires_at,
            client_addr,
        )
        .await?;
        Ok(IssuedTokens {
            access_token,
            refresh_token,
            expires_in: self.tokens.access_ttl().as_secs(),
            must_change_password: subject.must_change_password,
        })
    }

    /// 刷新令牌: each refresh token works once. Presenting a used one again revokes the whole
    /// session (someone has a copy).
    pub async fn refresh(
        &self,
        refresh_token: &str,
        client_addr: Option<String>,
    ) -> AppResult<IssuedTokens> {
        let claims = self
            .tokens
            .verify(refresh_token, TokenKind::Refresh)
            .map_err(|_| AppError::Unauthenticated)?;
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let Some(row) = users::find_session(&txn, &sha256_hex(&claims.jti)).await? else {
            return Err(AppError::Unauthenticated);
        };
        if row.revoked_at.is_some() || row.expires_at <= now {
            return Err(AppError::Unauthenticated);
        }
        if !users::mark_session_used(&txn, row.id, now).await? {
            users::revoke_family(&txn, &row.family_id, now).await?;
            audit::record(
                &txn,
                Entry {
                    actor_user_id: Some(row.user_id),
                    actor_label: format!("user:{}", row.user_id),
                    action: "refresh_token_reused",
                    entity: "session",
                    entity_id: Some(row.family_id.clone()),
                    client_addr,
                    ..Entry::default()
                },
            )
            .await?;
            txn.commit().await?;
            return Err(AppError::RefreshTokenReused);
        }
        let user = match users::find_by_id(&txn, row.user_id).await? {
            Some(u) if !u.disabled => u,
            _ => {
                users::revoke_family(&txn, &row.family_id, now).await?;
                txn.commit().await?;
                return Err(AppError::Unauthenticated);
            }
        };
        let tokens = self
            .issue(&subject_of(&user)?, &row.family_id, client_addr, &txn)
            .await?;
        txn.commit().await?;
        Ok(tokens)
    }

    /// 退出登录: revokes the session of the refresh token and/or of the access token's family.
    /// Always succeeds, so a client can log out even with stale tokens.
    pub async fn logout(
        &self,
        refresh_token: Option<&str>,
        access_family: Option<(i64, String)>,
    ) -> AppResult<()> {
        let now = OffsetDateTime::now_utc();
        let mut families = Vec::new();
        if let Some(token) = refresh_token
            && let Ok(claims) = self.tokens.verify(token, TokenKind::Refresh)
        {
            families.push((claims.user_id(), claims.sid));
        }
        if let Some((user_id, family)) = access_family {
            families.push((Some(user_id), family));
        }
        if families.is_empty() {
            return Ok(());
        }
        let txn = self.begin_write().await?;
        for (user_id, family) in families {
            if users::revoke_family(&txn, &family, now).await? > 0 {
                audit::record(
                    &txn,
                    Entry {
                        actor_user_id: user_id,
                        actor_label: user_id.map(|id| format!("user:{id}")).unwrap_or_default(),
                        action: "logout",
                        entity: "session",
                        entity_id: Some(family),
                        ..Entry::default()
                    },
                )
                .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Checks an access token and returns its claims.
    pub fn authenticate(&self, access_token: &str) -> AppResult<crate::auth::Claims> {
        self.tokens
            .verify(access_token, TokenKind::Access)
            .map_err(|e| match e {
                TokenError::Expired => AppError::TokenExpired,
                TokenError::Invalid => AppError::Unauthenticated,
            })
    }

    /// The caller behind a bearer value: an API token (`tjk_…`) or a signed access token whose
    /// session is still live. Rights come from the stored user, not the token, so disabling a
    /// user, ending a session, or changing a role takes effect on the next request. Returns
    /// whether the password must be changed first.
    pub async fn authenticate_bearer(
        &self,
        bearer: &str,
        client_addr: Option<String>,
    ) -> AppResult<(Actor, bool)> {
        let now = OffsetDateTime::now_utc();
        if tejian_domain::api_token::looks_like_token(bearer) {
            let (token, creator) = users::live_api_token(&self.db, &sha256_hex(bearer), now)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let scope =
                tejian_domain::api_token::TokenScope::from_str(&token.scope).map_err(|_| {
                    AppError::internal(format!("api token {} has unknown scope", token.id))
                })?;
            users::touch_api_token(&self.db, token.id, now).await?;
            let actor = Actor {
                user_id: creator.id,
                role: Role::Enterprise,
                enterprise_id: Some(token.enterprise_id),
                enterprise_role: Some(scope.acts_as()),
                api_token_id: Some(token.id),
                district_code: None,
                session_family: format!("token:{}", token.id),
                client_addr,
            };
            return Ok((actor, false));
        }
        let claims = self.authenticate(bearer)?;
        let user_id = claims.user_id().ok_or(AppError::Unauthenticated)?;
        let user = users::session_user(&self.db, user_id, &claims.sid, now)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let must_change = user.must_change_password;
        Ok((Actor::of_user(&user, claims.sid, client_addr)?, must_change))
    }
}

impl Actor {
    /// The actor for a stored user acting in session `session_family`.
    pub fn of_user(
        user: &app_user::Model,
        session_family: String,
        client_addr: Option<String>,
    ) -> AppResult<Actor> {
        let subject = subject_of(user)?;
        let enterprise_role = match (subject.role, user.enterprise_role.as_deref()) {
            (Role::Enterprise, Some(name)) => {
                Some(EnterpriseRole::from_str(name).map_err(|_| {
                    AppError::internal(format!("user {} has unknown enterprise role", user.id))
                })?)
            }
            _ => None,
        };
        Ok(Actor {
            user_id: user.id,
            role: subject.role,
            enterprise_id: user.enterprise_id,
            enterprise_role,
            api_token_id: None,
            district_code: user.district_code.clone(),
            session_family,
            client_addr,
        })
    }
}
