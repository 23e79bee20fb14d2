//! Extractors: the authenticated caller and the client address.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::AppError;
use crate::services::{Actor, Services};

/// The client's address (the TCP peer; proxies are not trusted for throttling).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl FromRequest for ClientAddr {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientAddr(req.peer_addr().map(|a| a.ip().to_string()))))
    }
}

/// The bearer token of a request, if it has one.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn actor_of(req: &HttpRequest, allow_password_change: bool) -> Result<Actor, AppError> {
    let services = req
        .app_data::<web::Data<Services>>()
        .ok_or_else(|| AppError::internal("services not configured"))?;
    let token = bearer(req).ok_or(AppError::Unauthenticated)?;
    let claims = services.authenticate(token)?;
    if claims.pwc && !allow_password_change {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(Actor {
        user_id: claims.user_id().ok_or(AppError::Unauthenticated)?,
        role: claims.role,
        enterprise_id: claims.ent,
        district_code: claims.dist,
        session_family: claims.sid,
        client_addr: req.peer_addr().map(|a| a.ip().to_string()),
    })
}

/// A signed-in caller in good standing (a pending forced password change is refused with
/// `password_change_required`).
#[derive(Debug, Clone)]
pub struct AuthUser(pub Actor);

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(actor_of(req, false).map(AuthUser))
    }
}

/// A signed-in caller who may still have to change the password: only for reading the profile,
/// changing the password and logging out.
#[derive(Debug, Clone)]
pub struct AuthUserAnyState(pub Actor);

impl FromRequest for AuthUserAnyState {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(actor_of(req, true).map(AuthUserAnyState))
    }
}

/// Reads a raw request body of at most `limit` bytes. A larger one, declared in `Content-Length`
/// or counted while reading, is `payload_too_large` as problem+json (like the JSON limit) rather
/// than actix's plain-text 413; the server lingers on the unread rest so the client sees it.
pub async fn body_within(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<web::Bytes, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit)) {
        return Err(AppError::PayloadTooLarge { limit });
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(AppError::BadRequest {
            code: "malformed_request",
            detail: format!("请求体无法读取: {e}"),
        }),
        Err(_) => Err(AppError::PayloadTooLarge { limit }),
    }
}

/// A caller who may be anonymous (public endpoints that show more to a signed-in user). A token
/// that is present must be valid: an expired one is `token_expired`, so the client refreshes.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Actor>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if bearer(req).is_none() {
            return ready(Ok(MaybeUser(None)));
        }
        ready(actor_of(req, false).map(|a| MaybeUser(Some(a))))
    }
}
