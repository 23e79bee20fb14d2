//! The client address behind a proxy (`TEJIAN_TRUSTED_PROXIES`): limits count per client, and
//! only a trusted proxy's `X-Forwarded-For` is believed.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use tejian_api::config::TrustedProxies;

use crate::helpers::{Backend, TestApp, spawn_app_with, tiny_png};

/// An invalid registration (counted by the per-address limit of one an hour) as if from
/// `forwarded_for`.
async fn register(app: &TestApp, forwarded_for: Option<&str>) -> StatusCode {
    let form = Form::new()
        .part(
            "registration",
            Part::text("{}").mime_str("application/json").unwrap(),
        )
        .part("licence", Part::bytes(tiny_png()).file_name("l.png"));
    let mut request = app.http().post(app.url("/api/v1/registrations"));
    if let Some(value) = forwarded_for {
        request = request.header("X-Forwarded-For", value);
    }
    request.multipart(form).send().await.unwrap().status()
}

#[tokio::test]
async fn limits_count_per_client_behind_a_trusted_proxy() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.registration_rate_limit = 1;
        s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    let limited = StatusCode::TOO_MANY_REQUESTS;
    // Refused as invalid, and counted.
    let counted = register(&app, Some("203.0.113.7")).await;
    assert!(counted.is_client_error() && counted != limited, "{counted}");
    assert_eq!(register(&app, Some("203.0.113.7")).await, limited);
    // Another client behind the same proxy has its own allowance.
    assert_eq!(register(&app, Some("198.51.100.9")).await, counted);
    // Claiming to be someone else on the left does not help: the proxy appended the real one.
    assert_eq!(
        register(&app, Some("198.51.100.9, 203.0.113.8")).await,
        counted
    );
    assert_eq!(
        register(&app, Some("203.0.113.7, 203.0.113.8")).await,
        limited
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_anyone_else() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.registration_rate_limit = 1).await;
    assert_ne!(
        register(&app, Some("203.0.113.7")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Without trusted proxies the header changes nothing: same peer, same limit.
    assert_eq!(
        register(&app, Some("198.51.100.9")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
