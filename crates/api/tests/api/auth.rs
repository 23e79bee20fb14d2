//! Login, refresh rotation, logout, lockout, token tampering.

use base64::Engine;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tejian_api::store::entity::audit_log;

use crate::both;
use crate::helpers::{Backend, PASSWORD, TestApp, spawn_app_with};

async fn login_ok(app: TestApp) {
    let (authed, tokens) = app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    assert!(tokens.refresh_token.is_some());
    assert!(!tokens.must_change_password);
    assert_eq!(tokens.expires_in, 900);
    let me = authed.me().await.unwrap();
    assert_eq!(me.username, "demo-ent-1");
    assert_eq!(me.enterprise.unwrap().name, "湖州太湖物业管理有限公司");
    // The success is audited.
    let n = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("login_succeeded"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(n, 1);
}
both!(login_ok);

async fn wrong_password_and_unknown_user_look_the_same(app: TestApp) {
    let http = app.http();
    let attempt = |username: &'static str| {
        let http = http.clone();
        let url = app.url("/api/v1/auth/login");
        async move {
            let r = http
                .post(url)
                .json(&json!({ "username": username, "password": "not-the-password" }))
                .send()
                .await
                .unwrap();
            let status = r.status();
            let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
            (status, ct, r.text().await.unwrap())
        }
    };
    let wrong = attempt("demo-ent-1").await;
    let unknown = attempt("no-such-user").await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown, "same status, type and body");
    let body: Value = serde_json::from_str(&wrong.2).unwrap();
    assert_eq!(body["code"], "invalid_credentials");
    assert_eq!(body["detail"], "用户名或密码错误，请重新输入");
    assert_eq!(wrong.1, "application/problem+json");
    let failures = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("login_failed"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(failures, 2, "both failures are audited");
}
both!(wrong_password_and_unknown_user_look_the_same);

async fn lockout_then_expiry(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.login.max_failures_per_account = 3;
        s.login.lock_for = std::time::Duration::from_secs(2);
        s.login.delay_step = std::time::Duration::from_millis(10);
    })
    .await;
    for _ in 0..3 {
        let e = app
            .client
            .login("demo-ent-2", "wrong-password")
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("invalid_credentials"));
    }
    // Locked: even the right password is refused for now, with a bounded Retry-After.
    let r = app
        .http()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": "demo-ent-2", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "login_locked");
    // Another account is not affected.
    app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    // The lock expires by itself.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    app.client.login("demo-ent-2", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn lockout_expires_sqlite() {
    lockout_then_expiry(Backend::Sqlite).await;
}

#[tokio::test]
async fn lockout_expires_postgres() {
    lockout_then_expiry(Backend::Postgres).await;
}

async fn refresh_rotates_and_detects_reuse(app: TestApp) {
    let (_, tokens) = app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    let first = tokens.refresh_token.unwrap();
    let second = app.client.refresh(Some(&first)).await.unwrap();
    let second_refresh = second.refresh_token.clone().unwrap();
    assert_ne!(first, second_refresh);
    // The new access token works.
    let authed = app.client.with_token(&second.access_token, None);
    authed.me().await.unwrap();
    // The old refresh token is refused, and its reuse ends the whole session.
    let e = app.client.refresh(Some(&first)).await.unwrap_err();
    assert_eq!(e.code(), Some("refresh_token_reused"));
    let e = app.client.refresh(Some(&second_refresh)).await.unwrap_err();
    assert_eq!(e.status(), Some(401), "the family is revoked");
}
both!(refresh_rotates_and_detects_reuse);

async fn refresh_token_is_not_an_access_token(app: TestApp) {
    let (_, tokens) = app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    let as_access = app.client.with_token(&tokens.refresh_token.unwrap(), None);
    let e = as_access.me().await.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.code(), Some("unauthenticated"));
}
both!(refresh_token_is_not_an_access_token);

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

async fn forged_tokens_are_refused(app: TestApp) {
    let (_, tokens) = app.client.login("demo-institute", PASSWORD).await.unwrap();
    let parts: Vec<&str> = tokens.access_token.split('.').collect();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap(),
    )
    .unwrap();
    // alg: none with the real claims.
    let none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        parts[1]
    );
    // The real header and claims, signed with another key.
    let resigned = format!(
        "{}.{}.{}",
        parts[0], parts[1], "c2lnbmF0dXJlLWZyb20tYW5vdGhlci1rZXk"
    );
    // Claims changed (role escalation) under the original signature.
    let mut escalated = claims.clone();
    escalated["role"] = json!("admin");
    let tampered = format!("{}.{}.{}", parts[0], b64(&escalated), parts[2]);
    for token in [none, resigned, tampered, "garbage".to_owned()] {
        let e = app.client.with_token(&token, None).me().await.unwrap_err();
        assert_eq!(e.status(), Some(401), "token {token} must be refused");
    }
}
both!(forged_tokens_are_refused);

async fn logout_revokes_the_session(app: TestApp) {
    let (authed, tokens) = app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    authed.logout().await.unwrap();
    let e = app
        .client
        .refresh(tokens.refresh_token.as_deref())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(401));
}
both!(logout_revokes_the_session);

async fn browser_cookie_flow(app: TestApp) {
    let http = reqwest::Client::new();
    let r = http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": "demo-ent-1", "password": PASSWORD, "use_cookie": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    let body: Value = r.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "the refresh token stays in the cookie"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    let r = http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("set-cookie"), "rotated cookie");
    // The old cookie value is now spent.
    let r = http
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
both!(browser_cookie_flow);

async fn client_refreshes_an_expired_access_token(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.access_ttl = std::time::Duration::from_secs(1)
    })
    .await;
    let authed = app.login("demo-ent-1").await;
    let before = authed.access_token();
    // exp is whole seconds and the check allows 1 s of leeway: 3.5 s is always past it.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let raw = app
        .http()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&before)
        .send()
        .await
        .unwrap();
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "token_expired");
    // The typed client refreshes once by itself and retries.
    authed.me().await.unwrap();
    assert_ne!(authed.access_token(), before);
}

#[tokio::test]
async fn expired_access_token_is_refreshed_sqlite() {
    client_refreshes_an_expired_access_token(Backend::Sqlite).await;
}
