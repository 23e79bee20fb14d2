//! Queries for users, their sessions and login throttling.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use time::OffsetDateTime;

use super::entity::{api_token, app_user, enterprise, login_throttle, session};

/// A user by login name (names are stored and compared in lower case).
pub async fn find_by_username<C: ConnectionTrait>(
    conn: &C,
    username: &str,
) -> Result<Option<app_user::Model>, DbErr> {
    app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.trim().to_lowercase()))
        .one(conn)
        .await
}

/// A user by id.
pub async fn find_by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<app_user::Model>, DbErr> {
    app_user::Entity::find_by_id(id).one(conn).await
}

/// The enterprise of a user, if any.
pub async fn enterprise_of<C: ConnectionTrait>(
    conn: &C,
    user: &app_user::Model,
) -> Result<Option<enterprise::Model>, DbErr> {
    match user.enterprise_id {
        Some(id) => enterprise::Entity::find_by_id(id).one(conn).await,
        None => Ok(None),
    }
}

/// Stores a new refresh-token row.
pub async fn insert_session<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    family_id: &str,
    token_hash: String,
    expires_at: OffsetDateTime,
    client_addr: Option<String>,
) -> Result<(), DbErr> {
    session::ActiveModel {
        user_id: Set(user_id),
        family_id: Set(family_id.to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(OffsetDateTime::now_utc()),
        client_addr: Set(client_addr),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map(|_| ())
}

/// A refresh-token row by the hash of its `jti`.
pub async fn find_session<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await
}

/// Marks a refresh token used, only if it is still unused and live. Returns false when another
/// request got there first (a replay or a race: both are treated as reuse).
pub async fn mark_session_used<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, DbErr> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::UsedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UsedAt.is_null())
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every token of a login session.
pub async fn revoke_family<C: ConnectionTrait>(
    conn: &C,
    family_id: &str,
    now: OffsetDateTime,
) -> Result<u64, DbErr> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::FamilyId.eq(family_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Revokes every session of a user except `keep_family` (after a password change).
pub async fn revoke_user_sessions_except<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    keep_family: Option<&str>,
    now: OffsetDateTime,
) -> Result<u64, DbErr> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep_family {
        update = update.filter(session::Column::FamilyId.ne(keep));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// The lock of the first locked key, if any is locked now.
pub async fn locked_until<C: ConnectionTrait>(
    conn: &C,
    keys: &[String],
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, DbErr> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(keys.iter().cloned()))
        .filter(login_throttle::Column::LockedUntil.gt(now))
        .all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|r| r.locked_until).max())
}

/// Counts one failure for `key`; starts a new window when the old one is over, and locks the key
/// once `max_failures` is reached. Returns the failures in the current window.
pub async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: OffsetDateTime,
    window: time::Duration,
    max_failures: u32,
    lock_for: time::Duration,
) -> Result<u32, DbErr> {
    let existing = login_throttle::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await?;
    let (failures, window_started_at) = match existing {
        Some(row)
            if row.window_started_at + window > now && row.locked_until.is_none_or(|l| l > now) =>
        {
            (row.failures.saturating_add(1), row.window_started_at)
        }
        _ => (1, now),
    };
    let limit = i32::try_from(max_failures).unwrap_or(i32::MAX);
    let locked_until = (failures >= limit).then(|| now + lock_for);
    let model = login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(failures),
        window_started_at: Set(window_started_at),
        locked_until: Set(locked_until),
    };
    login_throttle::Entity::insert(model)
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .update_columns([
                    login_throttle::Column::Failures,
                    login_throttle::Column::WindowStartedAt,
                    login_throttle::Column::LockedUntil,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(u32::try_from(failures).unwrap_or(0))
}

/// Forgets the failures of `key` (after a successful login).
pub async fn clear_failures<C: ConnectionTrait>(conn: &C, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(conn)
        .await
        .map(|_| ())
}

/// The user of a login session, if the user exists and the session (its family) is still live:
/// not revoked by a logout, a password change or reset, or the user being disabled.
pub async fn session_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    family_id: &str,
    now: OffsetDateTime,
) -> Result<Option<app_user::Model>, DbErr> {
    use sea_orm::sea_query::{ExprTrait, Query};
    let live_session = Query::select()
        .expr(Expr::val(1))
        .from(session::Entity)
        .and_where(Expr::col((session::Entity, session::Column::FamilyId)).eq(family_id))
        .and_where(Expr::col((session::Entity, session::Column::UserId)).eq(user_id))
        .and_where(Expr::col((session::Entity, session::Column::RevokedAt)).is_null())
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
        .to_owned();
    app_user::Entity::find_by_id(user_id)
        .filter(app_user::Column::Disabled.eq(false))
        .filter(Expr::exists(live_session))
        .one(conn)
        .await
}

/// A live API token by the hash of its secret, with the user who created it (who must still be
/// enabled: disabling a user stops the tokens they made).
pub async fn live_api_token<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<(api_token::Model, app_user::Model)>, DbErr> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?;
    let Some(token) = found else {
        return Ok(None);
    };
    let creator = app_user::Entity::find_by_id(token.created_by)
        .filter(app_user::Column::Disabled.eq(false))
        .filter(app_user::Column::EnterpriseId.eq(token.enterprise_id))
        .one(conn)
        .await?;
    Ok(creator.map(|user| (token, user)))
}

/// Records that a token was used, at most once a minute per token (a write per request would
/// cost more than the request).
pub async fn touch_api_token<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    use sea_orm::Condition;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(api_token::Column::LastUsedAt.is_null())
                .add(api_token::Column::LastUsedAt.lt(now - time::Duration::minutes(1))),
        )
        .exec(conn)
        .await?;
    Ok(())
}
