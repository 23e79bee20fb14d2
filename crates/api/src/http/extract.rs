//! Extractors: the authenticated caller and the client address.

use std::future::{Ready, ready};

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::AppError;
use crate::services::{Actor, Services};
use tejian_domain::account::Role;

/// The client's address: the TCP peer, or behind a proxy listed in `TEJIAN_TRUSTED_PROXIES`
/// the address that proxy saw (never an `X-Forwarded-For` from anyone else).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl FromRequest for ClientAddr {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientAddr(client_addr(req))))
    }
}

fn client_addr(req: &HttpRequest) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let ip = match req.app_data::<web::Data<Services>>() {
        Some(services) => {
            let forwarded = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok());
            services.settings.trusted_proxies.client_ip(peer, forwarded)
        }
        None => peer,
    };
    Some(ip.to_string())
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

/// The outcome of checking a request's bearer value, stored by [`authenticate`] before any
/// other extractor runs (so a missing or bad login is reported before a bad body).
#[derive(Debug, Clone)]
struct Authentication(Result<(Actor, bool), AppError>);

/// Middleware on `/api/v1`: authenticates a request that carries a bearer value (one database
/// lookup: a live session or API token) and leaves the outcome for the extractors.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let token = bearer(req.request()).map(str::to_owned);
    let services = req.app_data::<web::Data<Services>>().cloned();
    if let (Some(token), Some(services)) = (token, services) {
        let client_addr = client_addr(req.request());
        let outcome = services.authenticate_bearer(&token, client_addr).await;
        req.extensions_mut().insert(Authentication(outcome));
    }
    next.call(req).await
}

fn actor_of(req: &HttpRequest, allow_password_change: bool) -> Result<Actor, AppError> {
    let outcome = req
        .extensions()
        .get::<Authentication>()
        .map(|a| a.0.clone())
        .ok_or(AppError::Unauthenticated)?;
    let (actor, must_change_password) = outcome?;
    if must_change_password && !allow_password_change {
        return Err(AppError::PasswordChangeRequired);
    }
    may_call(req, &actor)?;
    Ok(actor)
}

/// Paths a viewer may still write to: their own profile and password, logging out, and marking
/// their notifications read.
const VIEWER_WRITABLE: [&str; 4] = [
    "/api/v1/me",
    "/api/v1/me/password",
    "/api/v1/auth/logout",
    "/api/v1/notifications",
];

/// Paths an API token never reaches: a person's own account and session.
const NOT_FOR_TOKENS: [&str; 2] = ["/api/v1/me", "/api/v1/auth/"];

/// Role rules that hold for every endpoint, so no handler can forget them: a read-only caller (an
/// enterprise viewer, a read-scoped API token) may only read, and an API token never acts on a
/// person's account. The kind of caller a route needs is its handler's extractor ([`StaffUser`],
/// [`BureauUser`], [`EnterpriseCaller`], [`EnterpriseAdmin`]); the services check again.
fn may_call(req: &HttpRequest, actor: &Actor) -> Result<(), AppError> {
    let path = req.path();
    if actor.api_token_id.is_some() && NOT_FOR_TOKENS.iter().any(|p| path.starts_with(p)) {
        return Err(AppError::Denied {
            code: "not_for_api_tokens",
            detail: "API 令牌不能调用此接口，请登录后操作".to_owned(),
        });
    }
    let reads = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if reads || actor.can_write() {
        return Ok(());
    }
    let exempt = actor.api_token_id.is_none()
        && VIEWER_WRITABLE
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if exempt {
        return Ok(());
    }
    Err(AppError::Denied {
        code: "read_only_access",
        detail: "当前账号（或令牌）只有查看权限，不能提交或修改，请联系本单位管理员".to_owned(),
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

/// A signed-in caller of one kind of role, checked before the body is read, so a caller of the
/// wrong kind always gets 403, whatever it sent. The services check again (they are also called
/// from jobs and the seed).
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $($role:path)|+) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Actor);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<Self, AppError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(actor_of(req, false).and_then(|actor| {
                    if matches!(actor.role, $($role)|+) {
                        Ok($name(actor))
                    } else {
                        Err(AppError::Forbidden)
                    }
                }))
            }
        }
    };
}

role_extractor!(
    /// Institute staff (or a system administrator): applications, reports, notices, payment
    /// notices, equipment records, registrations, password resets.
    StaffUser,
    Role::Institute | Role::Admin
);
role_extractor!(
    /// Bureau staff (or a system administrator): status-change decisions, replies to messages.
    BureauUser,
    Role::Bureau | Role::Admin
);
role_extractor!(
    /// An enterprise user: what only an enterprise submits (applications, status changes,
    /// rectification feedback).
    EnterpriseCaller,
    Role::Enterprise
);

/// An enterprise's admin signed in as a person (never an API token), checked before the body is
/// read.
#[derive(Debug, Clone)]
pub struct EnterpriseAdmin(pub Actor);

impl FromRequest for EnterpriseAdmin {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(actor_of(req, false).and_then(|actor| {
            actor.require_enterprise_admin()?;
            Ok(EnterpriseAdmin(actor))
        }))
    }
}

/// An optional JSON body: no body at all is `None`; a body that is there must be JSON of `T`,
/// refused like any other (`Option<web::Json<T>>` would read a malformed body as no body, and
/// the request would go ahead without what the client meant to send).
pub struct OptionalJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        let no_body = match length {
            Some(n) => n == "0",
            None => !headers.contains_key(header::TRANSFER_ENCODING),
        };
        if no_body {
            return Box::pin(ready(Ok(OptionalJson(None))));
        }
        let json = web::Json::<T>::from_request(req, payload);
        Box::pin(async move { Ok(OptionalJson(Some(json.await?.into_inner()))) })
    }
}
