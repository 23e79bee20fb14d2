//! `/auth`: login, refresh, logout.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, post, web};
use tejian_contract::auth::{LoginRequest, REFRESH_COOKIE, RefreshRequest, TokenResponse};
use tejian_contract::problem::Problem;
use validator::Validate;

use super::extract::{ClientAddr, bearer};
use crate::error::{AppError, AppResult};
use crate::services::Services;
use crate::services::auth::IssuedTokens;

const COOKIE_PATH: &str = "/api/v1/auth";

fn refresh_cookie(svc: &Services, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(svc.settings.cookie_secure)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

fn respond(svc: &Services, tokens: IssuedTokens, cookie: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    let refresh_token = if cookie {
        let age = i64::try_from(svc.tokens.refresh_ttl().as_secs()).unwrap_or(i64::MAX);
        response.cookie(refresh_cookie(svc, tokens.refresh_token, age));
        None
    } else {
        Some(tokens.refresh_token)
    };
    response.insert_header(("Cache-Control", "no-store"));
    response.json(TokenResponse {
        access_token: tokens.access_token,
        token_type: "Bearer".to_owned(),
        refresh_token,
        expires_in: tokens.expires_in,
        must_change_password: tokens.must_change_password,
    })
}

/// 登录
///
/// 用户名或密码错误时统一返回 401 `invalid_credentials`（「用户名或密码错误，请重新输入」），不区分
/// 用户是否存在。连续失败会逐步变慢，超过次数后账号和来源地址会被暂时锁定（429 `login_locked`，
/// 到期自动解除）。浏览器设置 `use_cookie: true`，刷新令牌只写入 HttpOnly Cookie。
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "认证",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "登录成功", body = TokenResponse),
        (status = 401, description = "用户名或密码错误", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "缺少用户名或密码", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "失败次数过多，暂时锁定", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    svc: web::Data<Services>,
    addr: ClientAddr,
    body: web::Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let tokens = svc
        .login(&request.username, &request.password, addr.0)
        .await?;
    Ok(respond(&svc, tokens, request.use_cookie))
}

/// 刷新令牌
///
/// 用刷新令牌换取新的访问令牌和新的刷新令牌（轮换）。每个刷新令牌只能使用一次；重复使用会注销整个
/// 会话（401 `refresh_token_reused`）。API 客户端在请求体中提供 `refresh_token`；浏览器留空，使用 Cookie。
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "认证",
    request_body(content = Option<RefreshRequest>, description = "API 客户端提供刷新令牌；浏览器可省略"),
    responses(
        (status = 200, description = "新的令牌", body = TokenResponse),
        (status = 401, description = "刷新令牌无效、过期、已注销或被重复使用", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    svc: web::Data<Services>,
    req: HttpRequest,
    addr: ClientAddr,
    body: Option<web::Json<RefreshRequest>>,
) -> AppResult<HttpResponse> {
    let from_body = body.and_then(|b| b.into_inner().refresh_token);
    let (token, cookie) = match from_body {
        Some(t) => (t, false),
        None => match req.cookie(REFRESH_COOKIE) {
            Some(c) => (c.value().to_owned(), true),
            None => return Err(AppError::Unauthenticated),
        },
    };
    let tokens = svc.refresh(&token, addr.0).await?;
    Ok(respond(&svc, tokens, cookie))
}

/// 退出登录
///
/// 注销当前会话（请求体中的刷新令牌、Cookie 或访问令牌所属的会话），并清除 Cookie。总是返回 204。
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "认证",
    request_body(content = Option<RefreshRequest>, description = "可选：要注销的刷新令牌"),
    responses((status = 204, description = "已退出")),
    security((), ("bearer" = []))
)]
#[post("/auth/logout")]
pub async fn logout(
    svc: web::Data<Services>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> AppResult<HttpResponse> {
    let refresh_token = body
        .and_then(|b| b.into_inner().refresh_token)
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()));
    let access_family = bearer(&req)
        .and_then(|t| svc.authenticate(t).ok())
        .and_then(|c| c.user_id().map(|id| (id, c.sid)));
    svc.logout(refresh_token.as_deref(), access_family).await?;
    let mut gone = refresh_cookie(&svc, String::new(), 0);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}
