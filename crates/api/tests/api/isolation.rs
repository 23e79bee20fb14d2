//! Authorisation, swept from the served route table: every operation of `/openapi.json` must have
//! a rule here (a new route without one fails the build of trust), staff and bureau routes refuse
//! every other kind of caller whatever the body, and an enterprise calling with another
//! enterprise's ids gets 404 — exactly like a missing object — and learns nothing.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tejian_contract::list::PageQuery;

use crate::both;
use crate::helpers::TestApp;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// No login (the public side, payment callbacks, operations endpoints).
    Public,
    /// Login optional: anonymous callers see less (payment by name + number, logout).
    Optional,
    /// Any signed-in user; the query is scoped to the caller's enterprise or district.
    Scoped,
    /// The caller's own account.
    Account,
    /// Enterprise users only (what an enterprise submits about its own objects).
    Enterprise,
    /// An enterprise's admin (own enterprise only).
    Admin,
    /// Institute staff.
    Staff,
    /// Bureau staff.
    Bureau,
}

use Rule::*;

/// Every operation and its rule. Adding a route means adding it here.
const RULES: &[(&str, &str, Rule)] = &[
    ("GET", "/api/v1/api-tokens", Admin),
    ("POST", "/api/v1/api-tokens", Admin),
    ("DELETE", "/api/v1/api-tokens/{id}", Admin),
    ("GET", "/api/v1/audit", Scoped),
    ("POST", "/api/v1/auth/login", Public),
    ("POST", "/api/v1/auth/logout", Optional),
    ("POST", "/api/v1/auth/refresh", Public),
    ("GET", "/api/v1/conversations", Scoped),
    ("POST", "/api/v1/conversations", Enterprise),
    ("GET", "/api/v1/conversations/{id}", Scoped),
    ("POST", "/api/v1/conversations/{id}/close", Bureau),
    ("POST", "/api/v1/conversations/{id}/forward", Scoped),
    ("GET", "/api/v1/conversations/{id}/messages", Scoped),
    ("POST", "/api/v1/conversations/{id}/messages", Scoped),
    ("GET", "/api/v1/enterprise", Scoped),
    ("PUT", "/api/v1/enterprise", Admin),
    ("POST", "/api/v1/enterprises", Staff),
    ("GET", "/api/v1/equipment", Scoped),
    ("POST", "/api/v1/equipment", Staff),
    ("POST", "/api/v1/equipment/import", Staff),
    ("GET", "/api/v1/equipment/import-template", Staff),
    ("GET", "/api/v1/equipment/overview", Scoped),
    ("GET", "/api/v1/equipment/{id}", Scoped),
    ("PUT", "/api/v1/equipment/{id}", Staff),
    ("POST", "/api/v1/equipment/{id}/inspections", Staff),
    ("GET", "/api/v1/equipment/{id}/status-changes", Scoped),
    ("POST", "/api/v1/equipment/{id}/status-changes", Enterprise),
    ("GET", "/api/v1/equipment/{id}/timeline", Scoped),
    ("POST", "/api/v1/fees/estimate", Scoped),
    ("GET", "/api/v1/fees/tariff", Scoped),
    ("POST", "/api/v1/files", Scoped),
    ("GET", "/api/v1/files/{id}", Scoped),
    ("GET", "/api/v1/forms/account-application.pdf", Public),
    ("GET", "/api/v1/inspection-applications", Scoped),
    ("POST", "/api/v1/inspection-applications", Enterprise),
    ("GET", "/api/v1/inspection-applications/{id}", Scoped),
    ("POST", "/api/v1/inspection-applications/{id}/accept", Staff),
    (
        "POST",
        "/api/v1/inspection-applications/{id}/items/{item_id}/inspection",
        Staff,
    ),
    ("POST", "/api/v1/inspection-applications/{id}/reject", Staff),
    (
        "POST",
        "/api/v1/inspection-applications/{id}/schedule",
        Staff,
    ),
    ("GET", "/api/v1/invoices", Scoped),
    ("GET", "/api/v1/invoices/{id}/pdf", Scoped),
    ("GET", "/api/v1/me", Account),
    ("PUT", "/api/v1/me", Account),
    ("PUT", "/api/v1/me/password", Account),
    ("GET", "/api/v1/notifications", Scoped),
    ("POST", "/api/v1/notifications/read-all", Scoped),
    ("POST", "/api/v1/notifications/{id}/read", Scoped),
    ("GET", "/api/v1/reminder-settings", Scoped),
    ("PUT", "/api/v1/reminder-settings", Admin),
    ("POST", "/api/v1/reminders/run", Staff),
    ("GET", "/api/v1/notices", Scoped),
    ("GET", "/api/v1/notices/{id}", Scoped),
    ("POST", "/api/v1/notices/{id}/confirm", Staff),
    ("POST", "/api/v1/notices/{id}/feedback", Enterprise),
    ("GET", "/api/v1/notices/{id}/pdf", Scoped),
    ("POST", "/api/v1/notices/{id}/return", Staff),
    ("GET", "/api/v1/payment-notices", Optional),
    ("POST", "/api/v1/payment-notices", Staff),
    ("POST", "/api/v1/payment-notices/{id}/cancel", Staff),
    ("POST", "/api/v1/payment-notices/{id}/payments", Optional),
    ("POST", "/api/v1/payments/notify/{provider}", Public),
    ("GET", "/api/v1/payments/{out_trade_no}", Public),
    ("GET", "/api/v1/public/reports/verify", Public),
    ("GET", "/api/v1/reference/bureaus", Public),
    ("GET", "/api/v1/reference/categories", Public),
    ("GET", "/api/v1/reference/districts", Public),
    ("GET", "/api/v1/reference/offices", Public),
    ("GET", "/api/v1/registration/terms", Public),
    ("GET", "/api/v1/registrations", Staff),
    ("POST", "/api/v1/registrations", Public),
    ("GET", "/api/v1/registrations/{id}", Staff),
    ("POST", "/api/v1/registrations/{id}/approve", Staff),
    ("GET", "/api/v1/registrations/{id}/licence", Staff),
    ("POST", "/api/v1/registrations/{id}/reject", Staff),
    ("GET", "/api/v1/reports", Scoped),
    ("GET", "/api/v1/reports/{id}", Scoped),
    ("GET", "/api/v1/reports/{id}/download", Scoped),
    ("POST", "/api/v1/reports/{id}/fee-paid", Staff),
    ("POST", "/api/v1/reports/{id}/notices", Staff),
    ("POST", "/api/v1/reports/{id}/transitions", Staff),
    ("GET", "/api/v1/status-changes", Scoped),
    ("GET", "/api/v1/status-changes/{id}", Scoped),
    ("POST", "/api/v1/status-changes/{id}/approve", Bureau),
    ("POST", "/api/v1/status-changes/{id}/reject", Bureau),
    ("GET", "/api/v1/users", Admin),
    ("POST", "/api/v1/users", Admin),
    ("PUT", "/api/v1/users/{id}", Admin),
    ("POST", "/api/v1/users/{id}/password-reset", Staff),
    ("GET", "/healthz", Public),
    ("GET", "/metrics", Public),
    ("GET", "/readyz", Public),
];

async fn spec_operations(app: &TestApp) -> BTreeMap<(String, String), Value> {
    let doc: Value = app
        .http()
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (verb, op) in item.as_object().unwrap() {
            ops.insert((verb.to_uppercase(), path.clone()), op.clone());
        }
    }
    ops
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, String) {
    let mut rb = app.http().request(
        Method::from_bytes(method.as_bytes()).unwrap(),
        app.url(path),
    );
    if let Some(token) = token {
        rb = rb.bearer_auth(token);
    }
    if let Some(body) = body {
        rb = rb.json(&body);
    }
    let response = rb.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

fn placeholder_ids(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "1" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_route_has_a_rule_and_the_spec_agrees(app: TestApp) {
    let ops = spec_operations(&app).await;
    let in_spec: BTreeSet<(String, String)> = ops.keys().cloned().collect();
    let ruled: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = in_spec.difference(&ruled).collect();
    let stale: Vec<_> = ruled.difference(&in_spec).collect();
    assert!(
        missing.is_empty(),
        "routes without an authorisation rule in isolation.rs: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rules for routes that no longer exist: {stale:?}"
    );
    // The spec tells integrators the same: public routes need no token, the others do.
    for (method, path, rule) in RULES {
        let op = &ops[&((*method).to_owned(), (*path).to_owned())];
        let security = op["security"].as_array().cloned().unwrap_or_default();
        let optional = security
            .iter()
            .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
        match rule {
            Public => assert!(
                security.is_empty(),
                "{method} {path} is public but asks for a token"
            ),
            Optional => assert!(
                optional,
                "{method} {path}: the spec should mark the token optional"
            ),
            _ => assert!(
                !security.is_empty() && !optional,
                "{method} {path}: the spec should require a token"
            ),
        }
    }
}

async fn only_the_right_kind_of_caller_gets_through(app: TestApp) {
    let enterprise = app.login("demo-ent-1").await.access_token();
    let institute = app.login("demo-institute").await.access_token();
    let bureau = app.login("demo-bureau").await.access_token();
    let operator = app.login("demo-operator").await.access_token();
    for (method, path, rule) in RULES {
        let concrete = placeholder_ids(path);
        let refused: &[(&str, &str)] = match rule {
            Staff => &[("enterprise", &enterprise), ("bureau", &bureau)],
            Bureau => &[("enterprise", &enterprise), ("institute", &institute)],
            Enterprise => &[("institute", &institute), ("bureau", &bureau)],
            Admin => &[("operator", &operator), ("institute", &institute)],
            _ => &[],
        };
        for (who, token) in refused {
            // Whatever the body: the role is checked before it is read.
            let (status, body) = call(&app, method, &concrete, Some(token), Some(json!({}))).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{who} → {method} {path}: {body}"
            );
        }
        if !matches!(rule, Public | Optional) {
            let (status, _) = call(&app, method, &concrete, None, Some(json!({}))).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "anonymous → {method} {path}"
            );
        }
    }
}

/// Ids of demo-ent-1's objects, by the path they are used in.
async fn ids_of_enterprise_one(app: &TestApp) -> BTreeMap<&'static str, String> {
    // The demo lifecycle gives both demo enterprises applications, reports, notices, payment
    // notices (paid and unpaid) and, after the invoice job, invoices.
    tejian_api::seed::lifecycle(&app.services).await.unwrap();
    app.services.issue_invoices(100).await.unwrap();
    app.services
        .run_reminders(tejian_api::services::local_today())
        .await
        .unwrap();
    let owner = app.login("demo-ent-1").await;
    let page = PageQuery::default();
    let mut ids = BTreeMap::new();
    let equipment = owner.equipment(page).await.unwrap().items[0].id;
    ids.insert("equipment", equipment.to_string());
    let file = owner
        .upload_file("own.png", crate::helpers::tiny_png())
        .await
        .unwrap();
    ids.insert("files", file.id);
    let get = |path: &'static str| {
        let owner = owner.clone();
        async move {
            let page: Value = owner.get_json(path, &json!({ "year": 0 })).await.unwrap();
            page["items"][0]["id"].as_i64().map(|id| id.to_string())
        }
    };
    for (key, path) in [
        ("inspection-applications", "/inspection-applications"),
        ("reports", "/reports"),
        ("notices", "/notices"),
        ("payment-notices", "/payment-notices"),
        ("invoices", "/invoices"),
        ("status-changes", "/status-changes"),
        ("conversations", "/conversations"),
        ("users", "/users"),
        ("notifications", "/notifications"),
    ] {
        if let Some(id) = get(path).await {
            ids.insert(key, id);
        }
    }
    let token: Value = owner
        .post_json("/api-tokens", &json!({ "name": "对方的令牌" }))
        .await
        .unwrap();
    ids.insert(
        "api-tokens",
        token["info"]["id"].as_i64().unwrap().to_string(),
    );
    ids
}

async fn another_enterprises_ids_answer_404(app: TestApp) {
    let ids = ids_of_enterprise_one(&app).await;
    for key in [
        "inspection-applications",
        "reports",
        "notices",
        "payment-notices",
        "invoices",
        "status-changes",
        "conversations",
    ] {
        assert!(ids.contains_key(key), "the seed gives demo-ent-1 a {key}");
    }
    let intruder = app.login("demo-ent-2").await;
    let token = intruder.access_token();
    let own_file = intruder
        .upload_file("mine.png", crate::helpers::tiny_png())
        .await
        .unwrap()
        .id;
    let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
    let mut checked = 0;
    for (method, path, rule) in RULES {
        if !matches!(rule, Scoped | Enterprise | Admin | Optional) || !path.contains('{') {
            continue;
        }
        let resource = path.split('/').nth(3).unwrap_or("");
        let Some(id) = ids.get(resource) else {
            panic!("no id of demo-ent-1 for {method} {path}: add one to ids_of_enterprise_one");
        };
        let concrete = path.replace("{id}", id);
        // A body the route would accept for the caller's own object.
        let body = match (*method, resource) {
            ("POST", "equipment") => Some(json!({
                "kind": "stop", "reason": "检修", "effective_date": today, "attachment_ids": [own_file]
            })),
            ("POST", "notices") => {
                Some(json!({ "statement": "已整改", "attachment_ids": [own_file] }))
            }
            ("POST", "payment-notices") => Some(json!({ "provider": "sandbox" })),
            ("PUT", "users") => Some(json!({ "disabled": true })),
            // A message (or a forward: the other field is ignored) the owner could send.
            ("POST", "conversations") => {
                Some(json!({ "content": "冒充留言", "bureau_code": "nanxun" }))
            }
            _ => None,
        };
        let (status, text) = call(&app, method, &concrete, Some(&token), body.clone()).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "demo-ent-2 → {method} {concrete}: {text}"
        );
        // Word for word what a missing object gets: nothing tells that it exists.
        let missing_id = if resource == "files" {
            "f_missing"
        } else {
            "987654321"
        };
        let missing = path.replace("{id}", missing_id);
        let (missing_status, missing_text) = call(&app, method, &missing, Some(&token), body).await;
        assert_eq!(
            (status, text),
            (missing_status, missing_text),
            "{method} {path}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "swept {checked} routes");
    // Nothing changed for the owner: the user is still enabled, the token still works.
    let owner = app.login("demo-ent-1").await;
    let users: Value = owner.get_json("/users", &json!({})).await.unwrap();
    assert!(
        users["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["disabled"] == false)
    );
}

both!(every_route_has_a_rule_and_the_spec_agrees);
both!(only_the_right_kind_of_caller_gets_through);
mod another_enterprises_ids {
    use crate::helpers::{Backend, spawn_demo_app};

    #[tokio::test]
    async fn sqlite() {
        super::another_enterprises_ids_answer_404(spawn_demo_app(Backend::Sqlite).await).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::another_enterprises_ids_answer_404(spawn_demo_app(Backend::Postgres).await).await;
    }
}
