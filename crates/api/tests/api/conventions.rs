//! HTTP conventions: problem+json, limits, headers, operational endpoints, reference data.

use reqwest::StatusCode;
use serde_json::Value;

use crate::both;
use crate::helpers::TestApp;

async fn problem(r: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], code);
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["type"], format!("https://tejian.dev/problems/{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

async fn problem_shapes(app: TestApp) {
    let http = app.http();
    // 400: malformed JSON.
    let r = http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::BAD_REQUEST, "malformed_request").await;
    // 401: no token.
    let r = http.get(app.url("/api/v1/me")).send().await.unwrap();
    assert!(r.headers().contains_key("www-authenticate"));
    problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    // 404: unknown API path, and a path parameter that is not an id.
    let r = http
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;
    let token = app.login("demo-ent-1").await.access_token();
    let r = http
        .get(app.url("/api/v1/equipment/abc"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;
    // 422: validation with per-field errors.
    let r = http
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "", "password": "" }))
        .send()
        .await
        .unwrap();
    let body = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/password", "/username"]);
    // 413: a body over the limit.
    let big = format!(
        "{{\"username\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(100_000)
    );
    let r = http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // 400: a query parameter of the wrong type.
    let r = http
        .get(app.url("/api/v1/equipment?page=x"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::BAD_REQUEST, "invalid_query").await;
}
both!(problem_shapes);

async fn security_headers_and_operations(app: TestApp) {
    let http = app.http();
    let r = http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    let ready: Value = http
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ok");
    let metrics = http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains(
        "tejian_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
    ));
    let spec: Value = http
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
    let docs = http.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
    // The SPA placeholder answers client-side routes when the SPA is not built.
    let page = http
        .get(app.url("/equipment/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}
both!(security_headers_and_operations);

async fn reference_data(app: TestApp) {
    let districts = app.client.districts().await.unwrap();
    let codes: Vec<&str> = districts.iter().map(|d| d.code.as_str()).collect();
    for code in ["330502", "330503", "330521", "330522", "330523", "330590"] {
        assert!(codes.contains(&code), "{code} missing");
    }
    assert!(districts.iter().all(|d| d.bureau_code.is_some()));
    let bureaus = app.client.bureaus().await.unwrap();
    assert!(bureaus.iter().any(|b| b.name.contains("吴兴分局")));
    let offices = app.client.offices().await.unwrap();
    assert_eq!(offices.len(), 5);
    assert!(offices.iter().any(|o| o.phone == "0572-3652231"));
    let categories = app.client.categories().await.unwrap();
    let lift = categories.iter().find(|c| c.code == "3110").unwrap();
    assert_eq!(
        (
            lift.name.as_str(),
            lift.level.as_str(),
            lift.parent.as_deref()
        ),
        ("曳引驱动乘客电梯", "variety", Some("3100"))
    );
    assert!(
        categories
            .iter()
            .any(|c| c.code == "R000" && !c.in_catalogue)
    );
}
both!(reference_data);

async fn a_known_path_with_another_method_is_405(app: TestApp) {
    let r = app
        .http()
        .delete(app.url("/api/v1/equipment/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "GET");
    let body = problem(r, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    assert!(body["detail"].as_str().unwrap().contains("GET"));
    // `/equipment/{id}` has GET and PUT.
    let r = app
        .http()
        .patch(app.url("/api/v1/equipment/12"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "GET, PUT");
    // An unknown path stays 404.
    let r = app
        .http()
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;
}

both!(a_known_path_with_another_method_is_405);
