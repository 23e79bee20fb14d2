//! 企业用户管理 and API 令牌: an enterprise admin adds colleagues with a role, changes their role,
//! disables them, and hands scoped, expiring tokens to integrators.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::str::FromStr;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::users::{
    ApiToken, CreatedApiToken, EnterpriseUser, NewApiToken, NewEnterpriseUser, UpdateEnterpriseUser,
};
use tejian_domain::account::{EnterpriseRole, Role, Username};
use tejian_domain::api_token::{TOKEN_PREFIX, TokenLifetime, TokenName, TokenScope};
use tejian_domain::phone::MobileNumber;
use time::OffsetDateTime;

use super::account::temporary_password;
use super::{Actor, Services};
use crate::audit::{self, Entry};
use crate::auth::{random_token, sha256_hex};
use crate::error::{AppError, AppResult};
use crate::outbox;
use crate::store::entity::{api_token, app_user};
use crate::store::users;

/// Live tokens an enterprise may hold at once (a leak is easier to find among few).
pub const MAX_LIVE_TOKENS: u64 = 20;

fn wire_user(user: &app_user::Model) -> AppResult<EnterpriseUser> {
    let role = user
        .enterprise_role
        .as_deref()
        .map(EnterpriseRole::from_str)
        .transpose()
        .map_err(|_| AppError::internal(format!("user {} has unknown enterprise role", user.id)))?
        .unwrap_or(EnterpriseRole::Viewer);
    Ok(EnterpriseUser {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role,
        phone: user.phone.clone(),
        email: user.email.clone(),
        disabled: user.disabled,
        must_change_password: user.must_change_password,
        last_login_at: user.last_login_at,
        created_at: user.created_at,
    })
}

fn user_json(user: &app_user::Model) -> serde_json::Value {
    json!({ "username": user.username, "role": user.enterprise_role, "disabled": user.disabled })
}

fn wire_token(
    token: &api_token::Model,
    creator_name: &str,
    now: OffsetDateTime,
) -> AppResult<ApiToken> {
    let scope = TokenScope::from_str(&token.scope)
        .map_err(|_| AppError::internal(format!("api token {} has unknown scope", token.id)))?;
    let state = if token.revoked_at.is_some() {
        "revoked"
    } else if token.expires_at <= now {
        "expired"
    } else {
        "active"
    };
    Ok(ApiToken {
        id: token.id,
        name: token.name.clone(),
        hint: token.hint.clone(),
        scope,
        created_by_name: creator_name.to_owned(),
        created_at: token.created_at,
        expires_at: token.expires_at,
        last_used_at: token.last_used_at,
        revoked_at: token.revoked_at,
        state: state.to_owned(),
    })
}

impl Services {
    /// The users of the admin's enterprise, admins first, then by name.
    pub async fn enterprise_users(
        &self,
        actor: &Actor,
        query: PageQuery,
    ) -> AppResult<Page<EnterpriseUser>> {
        let enterprise = actor.require_enterprise_admin()?;
        let paging = crate::http::equipment::paging(query)?;
        let select = app_user::Entity::find()
            .filter(app_user::Column::EnterpriseId.eq(enterprise))
            .filter(app_user::Column::Role.eq(Role::Enterprise.as_str()));
        let total = select.clone().count(&self.db).await?;
        let rows = select
            .order_by_asc(app_user::Column::Disabled)
            .order_by_asc(app_user::Column::Username)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let items = rows.iter().map(wire_user).collect::<AppResult<Vec<_>>>()?;
        Ok(paging.wrap(items, total))
    }

    /// Adds a colleague. A random initial password goes by SMS to the new user's mobile and must
    /// be changed at the first login; the admin never sees it.
    pub async fn create_enterprise_user(
        &self,
        actor: &Actor,
        new: NewEnterpriseUser,
    ) -> AppResult<EnterpriseUser> {
        let enterprise = actor.require_enterprise_admin()?;
        let username = Username::parse(&new.username)
            .map_err(|e| AppError::field("/username", e.code(), e.to_string()))?;
        let username = username.as_str().to_lowercase();
        let phone = MobileNumber::parse(&new.phone)
            .map_err(|e| AppError::field("/phone", e.code(), e.to_string()))?;
        let display_name = new.display_name.trim().to_owned();
        if display_name.is_empty() {
            return Err(AppError::field("/display_name", "required", "请输入姓名"));
        }
        let email = new
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        let admin = self.acting_user(actor).await?;
        let password = temporary_password()?;
        let hash = self.hasher.hash(password.clone()).await?;
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        if users::find_by_username(&txn, &username).await?.is_some() {
            return Err(AppError::Conflict {
                code: "username_taken",
                detail: format!("用户名 {username} 已被使用，请换一个"),
            });
        }
        let user = app_user::ActiveModel {
            username: Set(username.clone()),
            password_hash: Set(hash),
            display_name: Set(display_name),
            role: Set(Role::Enterprise.as_str().to_owned()),
            enterprise_id: Set(Some(enterprise)),
            enterprise_role: Set(Some(new.role.as_str().to_owned())),
            district_code: Set(None),
            phone: Set(Some(phone.as_str().to_owned())),
            email: Set(email),
            must_change_password: Set(true),
            disabled: Set(false),
            password_changed_at: Set(Some(now)),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        outbox::enqueue_sms(
            &txn,
            outbox::Message {
                recipient: phone.as_str().to_owned(),
                kind: "enterprise_user_created",
                body: format!(
                    "【湖州特检院】{} 为您开通了企业服务平台账号 {username}（{}），初始密码：{password}，请登录后立即修改。",
                    admin.display_name,
                    new.role.label_zh()
                ),
                dedupe_key: format!("enterprise_user_created:{}", user.id),
            },
        )
        .await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &admin.username,
                "enterprise_user_created",
                "user",
                user.id,
            )
            .after(user_json(&user)),
        )
        .await?;
        txn.commit().await?;
        wire_user(&user)
    }

    /// Changes a colleague's role or disables / enables them. Disabling ends every session of the
    /// user at once and stops the tokens they made. The enterprise always keeps one enabled admin.
    pub async fn update_enterprise_user(
        &self,
        actor: &Actor,
        id: i64,
        update: UpdateEnterpriseUser,
    ) -> AppResult<EnterpriseUser> {
        let enterprise = actor.require_enterprise_admin()?;
        let admin = self.acting_user(actor).await?;
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let user = app_user::Entity::find_by_id(id)
            .filter(app_user::Column::EnterpriseId.eq(enterprise))
            .filter(app_user::Column::Role.eq(Role::Enterprise.as_str()))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let before = user_json(&user);
        let was_admin = user.enterprise_role.as_deref() == Some(EnterpriseRole::Admin.as_str());
        let role = update
            .role
            .map(|r| r.as_str().to_owned())
            .or(user.enterprise_role.clone());
        let disabled = update.disabled.unwrap_or(user.disabled);
        let stays_admin = role.as_deref() == Some(EnterpriseRole::Admin.as_str()) && !disabled;
        if was_admin && !user.disabled && !stays_admin {
            let other_admins = app_user::Entity::find()
                .filter(app_user::Column::EnterpriseId.eq(enterprise))
                .filter(app_user::Column::EnterpriseRole.eq(EnterpriseRole::Admin.as_str()))
                .filter(app_user::Column::Disabled.eq(false))
                .filter(app_user::Column::Id.ne(user.id))
                .count(&txn)
                .await?;
            if other_admins == 0 {
                return Err(AppError::Conflict {
                    code: "last_admin",
                    detail: "单位至少要保留一名启用的管理员".to_owned(),
                });
            }
        }
        let newly_disabled = disabled && !user.disabled;
        let mut active = user.into_active_model();
        active.enterprise_role = Set(role);
        active.disabled = Set(disabled);
        active.updated_at = Set(now);
        let updated = active.update(&txn).await?;
        let sessions_ended = if newly_disabled {
            users::revoke_user_sessions_except(&txn, updated.id, None, now).await?
        } else {
            0
        };
        audit::record(
            &txn,
            Entry::by(
                actor,
                &admin.username,
                "enterprise_user_updated",
                "user",
                updated.id,
            )
            .before(before)
            .after(json!({
                "username": updated.username, "role": updated.enterprise_role,
                "disabled": updated.disabled, "sessions_ended": sessions_ended,
            })),
        )
        .await?;
        txn.commit().await?;
        wire_user(&updated)
    }

    /// The enterprise's API tokens, newest first (the secrets are never shown again).
    pub async fn api_tokens(&self, actor: &Actor, query: PageQuery) -> AppResult<Page<ApiToken>> {
        let enterprise = actor.require_enterprise_admin()?;
        let paging = crate::http::equipment::paging(query)?;
        let select =
            api_token::Entity::find().filter(api_token::Column::EnterpriseId.eq(enterprise));
        let total = select.clone().count(&self.db).await?;
        let rows = select
            .order_by_desc(api_token::Column::CreatedAt)
            .order_by_desc(api_token::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let people =
            crate::store::lookup::users_by_id(&self.db, rows.iter().map(|t| t.created_by)).await?;
        let now = OffsetDateTime::now_utc();
        let items = rows
            .iter()
            .map(|t| {
                let name = people
                    .get(&t.created_by)
                    .map_or("", |u| u.display_name.as_str());
                wire_token(t, name, now)
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(paging.wrap(items, total))
    }

    /// Makes a token. Its secret is in this answer only; the platform keeps its SHA-256.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        new: NewApiToken,
    ) -> AppResult<CreatedApiToken> {
        let enterprise = actor.require_enterprise_admin()?;
        let name = TokenName::parse(&new.name)
            .map_err(|e| AppError::field("/name", e.code(), e.to_string()))?;
        let lifetime = match new.expires_in_days {
            Some(days) => TokenLifetime::days(days)
                .map_err(|e| AppError::field("/expires_in_days", e.code(), e.to_string()))?,
            None => TokenLifetime::default(),
        };
        let admin = self.acting_user(actor).await?;
        let secret = format!(
            "{TOKEN_PREFIX}{}",
            random_token(32).map_err(AppError::internal)?
        );
        let hint: String = secret.chars().take(TOKEN_PREFIX.len() + 4).collect();
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let live = api_token::Entity::find()
            .filter(api_token::Column::EnterpriseId.eq(enterprise))
            .filter(api_token::Column::RevokedAt.is_null())
            .filter(api_token::Column::ExpiresAt.gt(now))
            .count(&txn)
            .await?;
        if live >= MAX_LIVE_TOKENS {
            return Err(AppError::Conflict {
                code: "too_many_tokens",
                detail: format!("有效令牌最多 {MAX_LIVE_TOKENS} 个，请先吊销不用的令牌"),
            });
        }
        let token = api_token::ActiveModel {
            enterprise_id: Set(enterprise),
            name: Set(name.as_str().to_owned()),
            token_hash: Set(sha256_hex(&secret)),
            hint: Set(hint),
            scope: Set(new.scope.as_str().to_owned()),
            expires_at: Set(now + lifetime.duration()),
            created_by: Set(admin.id),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            revoked_by: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &admin.username,
                "api_token_created",
                "api_token",
                token.id,
            )
            .after(
                json!({ "name": token.name, "scope": token.scope, "expires_at": token.expires_at }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(CreatedApiToken {
            token: secret,
            info: wire_token(&token, &admin.display_name, now)?,
        })
    }

    /// Revokes a token at once. Revoking a revoked token changes nothing.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let enterprise = actor.require_enterprise_admin()?;
        let admin = self.acting_user(actor).await?;
        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let token = api_token::Entity::find_by_id(id)
            .filter(api_token::Column::EnterpriseId.eq(enterprise))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let revoked = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(now))
            .col_expr(api_token::Column::RevokedBy, Expr::value(admin.id))
            .filter(api_token::Column::Id.eq(token.id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if revoked > 0 {
            audit::record(
                &txn,
                Entry::by(
                    actor,
                    &admin.username,
                    "api_token_revoked",
                    "api_token",
                    token.id,
                )
                .after(json!({ "name": token.name })),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
