//! Enterprise roles (admin / operator / viewer), 企业用户管理, API tokens, sessions that end at
//! once, 基本信息维护 and the audit view.

use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tejian_api::store::entity::{api_token, app_user, enterprise, outbox_message};
use tejian_contract::enterprise::UpdateEnterprise;
use tejian_contract::list::PageQuery;
use tejian_contract::me::ChangePassword;
use tejian_contract::users::{AuditQuery, NewApiToken, NewEnterpriseUser, UpdateEnterpriseUser};
use tejian_domain::account::EnterpriseRole;
use tejian_domain::api_token::TokenScope;

use crate::both;
use crate::helpers::{PASSWORD, TestApp};

/// The problem of a failed typed call: (status, code or first field code).
fn problem(e: &tejian_client::Error) -> (u16, String) {
    match e {
        tejian_client::Error::Api(p) => (
            p.status,
            p.errors
                .first()
                .map_or_else(|| p.code.clone(), |f| f.code.clone()),
        ),
        other => panic!("expected a problem, got {other}"),
    }
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut rb = app.http().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        rb = rb.json(&body);
    }
    let response = rb.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Every write endpoint that needs a login, read from the served OpenAPI document, so a new route
/// is covered without touching this test.
async fn protected_writes(app: &TestApp) -> Vec<(Method, String)> {
    let doc: Value = app
        .http()
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (verb, op) in item.as_object().unwrap() {
            let method = match verb.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                _ => continue,
            };
            let security = op["security"].as_array().cloned().unwrap_or_default();
            let optional = security
                .iter()
                .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
            if security.is_empty() || optional {
                continue;
            }
            // Placeholder ids: the role check comes before anything is looked up.
            let concrete = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "1" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            writes.push((method, concrete));
        }
    }
    writes
}

async fn a_viewer_reads_but_never_writes(app: TestApp) {
    let viewer = app.login("demo-viewer").await;
    let me = viewer.me().await.unwrap();
    assert_eq!(me.enterprise_role, Some(EnterpriseRole::Viewer));
    // Reads work, scoped to the enterprise like any user's.
    let own = app.login("demo-ent-1").await;
    assert_eq!(
        viewer.equipment(PageQuery::default()).await.unwrap().total,
        own.equipment(PageQuery::default()).await.unwrap().total
    );
    let token = viewer.access_token();
    let writes = protected_writes(&app).await;
    assert!(
        writes.len() > 20,
        "the sweep found the write endpoints: {}",
        writes.len()
    );
    let exempt = ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];
    for (method, path) in writes {
        if exempt.contains(&path.as_str()) || path.starts_with("/api/v1/notifications") {
            continue;
        }
        let (status, body) = call(&app, method.clone(), &path, &token, Some(json!({}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
        assert_eq!(body["code"], "read_only_access", "{method} {path}");
    }
    // Their own profile stays theirs to keep.
    let (status, _) = call(
        &app,
        Method::PUT,
        "/api/v1/me",
        &token,
        Some(json!({ "display_name": "沈明", "phone": "13857201009" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_operator_writes_but_does_not_administer(app: TestApp) {
    let operator = app.login("demo-operator").await;
    assert_eq!(
        operator.me().await.unwrap().enterprise_role,
        Some(EnterpriseRole::Operator)
    );
    operator
        .upload_file("铭牌.png", crate::helpers::tiny_png())
        .await
        .unwrap();
    for e in [
        operator
            .enterprise_users(PageQuery::default())
            .await
            .unwrap_err(),
        operator.api_tokens(PageQuery::default()).await.unwrap_err(),
        operator
            .audit_log(&AuditQuery::default())
            .await
            .unwrap_err(),
        operator
            .update_enterprise(&UpdateEnterprise {
                address: "湖州市吴兴区某路 1 号".to_owned(),
                ..UpdateEnterprise::default()
            })
            .await
            .unwrap_err(),
    ] {
        assert_eq!(problem(&e), (403, "enterprise_admin_required".to_owned()));
    }
    // Staff are not enterprise admins either.
    let staff = app.login("demo-institute").await;
    assert_eq!(
        problem(
            &staff
                .enterprise_users(PageQuery::default())
                .await
                .unwrap_err()
        ),
        (403, "enterprise_admin_required".to_owned())
    );
}

fn sms_password(body: &str) -> String {
    body.split("初始密码：")
        .nth(1)
        .and_then(|rest| rest.split('，').next())
        .unwrap()
        .to_owned()
}

async fn an_admin_manages_the_enterprise_users(app: TestApp) {
    let admin = app.login("demo-ent-1").await;
    let list = admin.enterprise_users(PageQuery::default()).await.unwrap();
    let names: Vec<_> = list.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["demo-ent-1", "demo-operator", "demo-viewer"]);

    let new = |username: &str, phone: &str| NewEnterpriseUser {
        username: username.to_owned(),
        display_name: "王芳".to_owned(),
        role: EnterpriseRole::Operator,
        phone: phone.to_owned(),
        email: None,
    };
    // Refusals change nothing.
    let e = admin
        .create_enterprise_user(&new("demo-ent-2", "13857200002"))
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (409, "username_taken".to_owned()));
    let e = admin
        .create_enterprise_user(&new("wang fang", "13857200002"))
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (422, "invalid_username".to_owned()));
    let e = admin
        .create_enterprise_user(&new("wangfang", "12345"))
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (422, "invalid_mobile".to_owned()));
    assert_eq!(
        admin
            .enterprise_users(PageQuery::default())
            .await
            .unwrap()
            .total,
        3
    );

    let created = admin
        .create_enterprise_user(&new("WangFang", "13857200002"))
        .await
        .unwrap();
    assert_eq!(
        created.username, "wangfang",
        "user names are kept in lower case"
    );
    assert!(created.must_change_password);
    // The initial password goes to the new user's phone only.
    let sms = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("enterprise_user_created"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sms.recipient, "13857200002");
    let initial = sms_password(&sms.body);
    assert!(sms.body.contains("wangfang") && sms.body.contains("经办"));
    let audit = admin.audit_log(&AuditQuery::default()).await.unwrap();
    assert!(!serde_json::to_string(&audit).unwrap().contains(&initial));
    let (colleague, tokens) = app.client.login("wangfang", &initial).await.unwrap();
    assert!(tokens.must_change_password);
    colleague
        .change_password(&ChangePassword {
            current_password: initial.clone(),
            new_password: "Wang-fang-2026".to_owned(),
        })
        .await
        .unwrap();
    let (colleague, _) = app
        .client
        .login("wangfang", "Wang-fang-2026")
        .await
        .unwrap();
    colleague
        .upload_file("a.png", crate::helpers::tiny_png())
        .await
        .unwrap();

    // A role change applies to the very next request, without logging in again.
    admin
        .update_enterprise_user(
            created.id,
            &UpdateEnterpriseUser {
                role: Some(EnterpriseRole::Viewer),
                disabled: None,
            },
        )
        .await
        .unwrap();
    let e = colleague
        .upload_file("a.png", crate::helpers::tiny_png())
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (403, "read_only_access".to_owned()));

    // Disabling ends the sessions at once and stops logins.
    admin
        .update_enterprise_user(
            created.id,
            &UpdateEnterpriseUser {
                role: None,
                disabled: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(problem(&colleague.me().await.unwrap_err()).0, 401);
    assert_eq!(problem(&colleague.refresh().await.unwrap_err()).0, 401);
    assert!(
        app.client
            .login("wangfang", "Wang-fang-2026")
            .await
            .is_err()
    );

    // The enterprise always keeps an enabled admin.
    let me = admin.me().await.unwrap();
    for update in [
        UpdateEnterpriseUser {
            role: Some(EnterpriseRole::Operator),
            disabled: None,
        },
        UpdateEnterpriseUser {
            role: None,
            disabled: Some(true),
        },
    ] {
        let e = admin
            .update_enterprise_user(me.id, &update)
            .await
            .unwrap_err();
        assert_eq!(problem(&e), (409, "last_admin".to_owned()));
    }
    // Another enterprise's user is not there.
    let other = app.login("demo-ent-2").await.me().await.unwrap();
    let e = admin
        .update_enterprise_user(
            other.id,
            &UpdateEnterpriseUser {
                role: None,
                disabled: Some(true),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem(&e).0, 404);
    let still = app_user::Entity::find_by_id(other.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!still.disabled);
}

async fn api_tokens_are_scoped_hashed_and_revocable(app: TestApp) {
    let admin = app.login("demo-ent-1").await;
    let own_total = admin.equipment(PageQuery::default()).await.unwrap().total;
    for (name, days, code) in [
        ("", None, "invalid_token_name"),
        ("ERP", Some(400), "invalid_token_lifetime"),
    ] {
        let e = admin
            .create_api_token(&NewApiToken {
                name: name.to_owned(),
                scope: TokenScope::Read,
                expires_in_days: days,
            })
            .await
            .unwrap_err();
        assert_eq!(problem(&e), (422, code.to_owned()));
    }
    let read = admin
        .create_api_token(&NewApiToken {
            name: "ERP 同步".to_owned(),
            scope: TokenScope::default(),
            expires_in_days: None,
        })
        .await
        .unwrap();
    assert!(read.token.starts_with("tjk_"));
    assert_eq!(read.info.scope, TokenScope::Read);
    assert_eq!(read.info.state, "active");
    assert!(read.token.starts_with(&read.info.hint));
    // Only the hash is kept, and the list never shows the secret again.
    let row = api_token::Entity::find_by_id(read.info.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.token_hash, read.token);
    assert_eq!(row.token_hash.len(), 64);
    let listed = admin.api_tokens(PageQuery::default()).await.unwrap();
    assert_eq!(listed.total, 1);
    assert!(
        !serde_json::to_string(&listed)
            .unwrap()
            .contains(&read.token)
    );

    // An integrator reads the enterprise's data with it, and only that enterprise's.
    let integrator = app.client.with_token(&read.token, None);
    assert_eq!(
        integrator
            .equipment(PageQuery::default())
            .await
            .unwrap()
            .total,
        own_total
    );
    let other_equipment = app
        .login("demo-ent-2")
        .await
        .equipment(PageQuery::default())
        .await
        .unwrap()
        .items[0]
        .id;
    assert_eq!(
        problem(
            &integrator
                .equipment_by_id(other_equipment)
                .await
                .unwrap_err()
        )
        .0,
        404
    );
    // Read-only: no writes; and never the account or token endpoints.
    let e = integrator
        .upload_file("a.png", crate::helpers::tiny_png())
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (403, "read_only_access".to_owned()));
    assert_eq!(
        problem(&integrator.me().await.unwrap_err()),
        (403, "not_for_api_tokens".to_owned())
    );
    assert_eq!(
        problem(
            &integrator
                .api_tokens(PageQuery::default())
                .await
                .unwrap_err()
        ),
        (403, "not_for_api_tokens".to_owned())
    );
    let used = api_token::Entity::find_by_id(read.info.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(used.last_used_at.is_some(), "last use is recorded");

    // A write token can submit.
    let write = admin
        .create_api_token(&NewApiToken {
            name: "报检接口".to_owned(),
            scope: TokenScope::Write,
            expires_in_days: Some(7),
        })
        .await
        .unwrap();
    let writer = app.client.with_token(&write.token, None);
    writer
        .upload_file("a.png", crate::helpers::tiny_png())
        .await
        .unwrap();
    let e = writer
        .create_api_token(&NewApiToken {
            name: "x".to_owned(),
            scope: TokenScope::Write,
            expires_in_days: None,
        })
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (403, "not_for_api_tokens".to_owned()));

    // Another enterprise's admin cannot see or revoke it.
    let other_admin = app.login("demo-ent-2").await;
    assert_eq!(
        other_admin
            .api_tokens(PageQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        problem(
            &other_admin
                .revoke_api_token(write.info.id)
                .await
                .unwrap_err()
        )
        .0,
        404
    );
    writer.equipment(PageQuery::default()).await.unwrap();

    // Revoked: refused at once; revoking again is harmless.
    admin.revoke_api_token(write.info.id).await.unwrap();
    admin.revoke_api_token(write.info.id).await.unwrap();
    assert_eq!(
        problem(&writer.equipment(PageQuery::default()).await.unwrap_err()).0,
        401
    );
    // Expired: refused.
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::ExpiresAt,
            Expr::value(time::OffsetDateTime::now_utc() - time::Duration::minutes(1)),
        )
        .filter(api_token::Column::Id.eq(read.info.id))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        problem(
            &integrator
                .equipment(PageQuery::default())
                .await
                .unwrap_err()
        )
        .0,
        401
    );
    let states: Vec<_> = admin
        .api_tokens(PageQuery::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|t| t.state)
        .collect();
    assert_eq!(states, ["revoked", "expired"]);
    // A token that looks right but is unknown, and garbage, are both 401.
    for bogus in [format!("tjk_{}", "A".repeat(43)), "tjk_short".to_owned()] {
        let (status, body) = call(&app, Method::GET, "/api/v1/equipment", &bogus, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

async fn a_disabled_creator_stops_their_tokens(app: TestApp) {
    let admin = app.login("demo-ent-1").await;
    // A second admin makes a token, then is disabled by the first.
    let operator = admin
        .enterprise_users(PageQuery::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|u| u.username == "demo-operator")
        .unwrap();
    admin
        .update_enterprise_user(
            operator.id,
            &UpdateEnterpriseUser {
                role: Some(EnterpriseRole::Admin),
                disabled: None,
            },
        )
        .await
        .unwrap();
    let second = app.login("demo-operator").await;
    let token = second
        .create_api_token(&NewApiToken {
            name: "对账".to_owned(),
            scope: TokenScope::Read,
            expires_in_days: None,
        })
        .await
        .unwrap();
    let integrator = app.client.with_token(&token.token, None);
    integrator.equipment(PageQuery::default()).await.unwrap();
    admin
        .update_enterprise_user(
            operator.id,
            &UpdateEnterpriseUser {
                role: None,
                disabled: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        problem(
            &integrator
                .equipment(PageQuery::default())
                .await
                .unwrap_err()
        )
        .0,
        401
    );
}

async fn sessions_end_at_once(app: TestApp) {
    let a = app.login("demo-ent-2").await;
    let b = app.login("demo-ent-2").await;
    b.me().await.unwrap();
    a.change_password(&ChangePassword {
        current_password: PASSWORD.to_owned(),
        new_password: "Another-pass-2026".to_owned(),
    })
    .await
    .unwrap();
    // The session that changed the password goes on; the other one's access token is dead now,
    // not in 15 minutes.
    a.me().await.unwrap();
    assert_eq!(problem(&b.me().await.unwrap_err()).0, 401);
    // Logging out ends the access token too.
    let token = a.access_token();
    a.logout().await.unwrap();
    let (status, _) = call(&app, Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn the_enterprise_keeps_its_details(app: TestApp) {
    let admin = app.login("demo-ent-1").await;
    let before = admin.enterprise().await.unwrap();
    assert!(!before.name.is_empty() && before.credit_code.len() == 18);
    assert!(!before.district_name.is_empty());
    let phone = before.safety_manager_phone.clone();
    let mut update = UpdateEnterprise {
        address: "湖州市吴兴区凤凰路 88 号".to_owned(),
        legal_representative: Some("沈建华".to_owned()),
        safety_manager: Some("沈国强".to_owned()),
        safety_manager_phone: phone.clone(),
        contact_phone: Some("0572-2123456".to_owned()),
        email: Some("safety@example.com".to_owned()),
        current_password: None,
    };
    let saved = admin.update_enterprise(&update).await.unwrap();
    assert_eq!(saved.address, "湖州市吴兴区凤凰路 88 号");
    assert_eq!(saved.name, before.name, "the name is not changed here");

    // The name and credit code cannot be smuggled in.
    let (status, body) = call(
        &app,
        Method::PUT,
        "/api/v1/enterprise",
        &admin.access_token(),
        Some(json!({ "address": "湖州市吴兴区凤凰路 88 号", "name": "别的公司", "credit_code": "91330500MA2B3C4D5E",
                     "safety_manager_phone": phone })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], before.name.as_str());
    assert_eq!(body["credit_code"], before.credit_code.as_str());

    // A new 安全管理负责人 mobile needs the password again; refusals change nothing.
    update.safety_manager_phone = Some("13900001111".to_owned());
    let e = admin.update_enterprise(&update).await.unwrap_err();
    assert_eq!(problem(&e), (422, "password_required".to_owned()));
    update.current_password = Some("not-my-password".to_owned());
    let e = admin.update_enterprise(&update).await.unwrap_err();
    assert_eq!(problem(&e), (422, "wrong_current_password".to_owned()));
    update.safety_manager_phone = Some("1390000".to_owned());
    let e = admin.update_enterprise(&update).await.unwrap_err();
    assert_eq!(problem(&e), (422, "invalid_mobile".to_owned()));
    let stored = enterprise::Entity::find_by_id(before.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.safety_manager_phone, phone);
    update.safety_manager_phone = Some("13900001111".to_owned());
    update.current_password = Some(PASSWORD.to_owned());
    let saved = admin.update_enterprise(&update).await.unwrap();
    assert_eq!(saved.safety_manager_phone.as_deref(), Some("13900001111"));

    // Staff have no enterprise; a viewer cannot save.
    let staff = app.login("demo-institute").await;
    assert_eq!(
        problem(&staff.enterprise().await.unwrap_err()),
        (403, "enterprise_user_required".to_owned())
    );
    let viewer = app.login("demo-viewer").await;
    assert_eq!(viewer.enterprise().await.unwrap().id, before.id);
    assert_eq!(
        problem(&viewer.update_enterprise(&update).await.unwrap_err()).0,
        403
    );
    // The change is in the audit log with before and after.
    let log = admin
        .audit_log(&AuditQuery {
            action: Some("enterprise_updated".to_owned()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(log.total, 3);
    assert_eq!(
        log.items[0].after.as_ref().unwrap()["safety_manager_phone"],
        "13900001111"
    );
    assert_eq!(log.items[0].action_label, "修改单位信息");
}

async fn the_audit_view_shows_only_the_enterprise(app: TestApp) {
    app.login("demo-ent-2").await;
    app.login("demo-viewer").await;
    let admin = app.login("demo-ent-1").await;
    let log = admin.audit_log(&AuditQuery::default()).await.unwrap();
    let actors: Vec<_> = log.items.iter().map(|e| e.actor.as_str()).collect();
    assert!(
        actors.contains(&"demo-viewer") && actors.contains(&"demo-ent-1"),
        "{actors:?}"
    );
    assert!(
        !actors.contains(&"demo-ent-2"),
        "another enterprise's entries leak: {actors:?}"
    );
    assert!(
        log.items.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
    let viewer_only = admin
        .audit_log(&AuditQuery {
            actor: Some("demo-viewer".to_owned()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(viewer_only.total >= 1);
    assert!(
        viewer_only
            .items
            .iter()
            .all(|e| e.actor == "demo-viewer" && e.actor_name.as_deref() == Some("沈明"))
    );
    let nobody = admin
        .audit_log(&AuditQuery {
            actor: Some("nobody-here".to_owned()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(nobody.total, 0);
    let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
    let todays = admin
        .audit_log(&AuditQuery {
            from: Some(today),
            to: Some(today),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(todays.total, log.total);
    let e = admin
        .audit_log(&AuditQuery {
            from: today.next_day(),
            to: Some(today),
            ..AuditQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(problem(&e), (422, "invalid_range".to_owned()));
    // Institute staff see everyone; a bureau does not read the log.
    let all = app
        .login("demo-institute")
        .await
        .audit_log(&AuditQuery::default())
        .await
        .unwrap();
    assert!(all.items.iter().any(|e| e.actor == "demo-ent-2"));
    assert_eq!(
        problem(
            &app.login("demo-bureau")
                .await
                .audit_log(&AuditQuery::default())
                .await
                .unwrap_err()
        )
        .0,
        403
    );
    // Entries by a token say so.
    let token = admin
        .create_api_token(&NewApiToken {
            name: "t".to_owned(),
            scope: TokenScope::Write,
            expires_in_days: None,
        })
        .await
        .unwrap();
    app.client
        .with_token(&token.token, None)
        .upload_file("a.png", crate::helpers::tiny_png())
        .await
        .unwrap();
    let uploads = admin
        .audit_log(&AuditQuery {
            action: Some("file_uploaded".to_owned()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(
        uploads.items[0].actor.contains("API 令牌"),
        "{:?}",
        uploads.items[0]
    );
    let rows = tejian_api::store::entity::audit_log::Entity::find()
        .order_by_desc(tejian_api::store::entity::audit_log::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rows.action, "file_uploaded");
}

both!(a_viewer_reads_but_never_writes);
both!(an_operator_writes_but_does_not_administer);
both!(an_admin_manages_the_enterprise_users);
both!(api_tokens_are_scoped_hashed_and_revocable);
both!(a_disabled_creator_stops_their_tokens);
both!(sessions_end_at_once);
both!(the_enterprise_keeps_its_details);
both!(the_audit_view_shows_only_the_enterprise);
