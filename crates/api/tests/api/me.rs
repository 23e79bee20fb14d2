//! 账户信息维护: profile and password.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tejian_api::store::entity::app_user;
use tejian_contract::list::PageQuery;
use tejian_contract::me::{ChangePassword, UpdateMe};

use crate::both;
use crate::helpers::{PASSWORD, TestApp};

fn change(current: &str, new: &str) -> ChangePassword {
    ChangePassword {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
    }
}

async fn password_change_needs_the_current_password(app: TestApp) {
    let (other_session, other_tokens) = app.client.login("demo-ent-1", PASSWORD).await.unwrap();
    let authed = app.login("demo-ent-1").await;

    let e = authed
        .change_password(&change("wrong-current", "A-new-pass-2026"))
        .await
        .unwrap_err();
    let tejian_client::Error::Api(p) = e else {
        panic!("expected a problem")
    };
    assert_eq!(p.status, 422);
    assert_eq!(p.errors[0].pointer, "/current_password");
    assert_eq!(p.errors[0].code, "wrong_current_password");

    for (weak, code) in [
        ("short", "password_too_short"),
        ("12345678", "password_too_common"),
        ("demo-ent-1", "password_equals_username"),
    ] {
        let e = authed
            .change_password(&change(PASSWORD, weak))
            .await
            .unwrap_err();
        let tejian_client::Error::Api(p) = e else {
            panic!("expected a problem")
        };
        assert_eq!(
            (p.errors[0].pointer.as_str(), p.errors[0].code.as_str()),
            ("/new_password", code)
        );
    }

    authed
        .change_password(&change(PASSWORD, "A-new-pass-2026"))
        .await
        .unwrap();
    // The old password no longer works; the new one does.
    assert_eq!(
        app.client
            .login("demo-ent-1", PASSWORD)
            .await
            .unwrap_err()
            .code(),
        Some("invalid_credentials")
    );
    app.client
        .login("demo-ent-1", "A-new-pass-2026")
        .await
        .unwrap();
    // The other session has ended; this one goes on.
    assert!(
        app.client
            .refresh(other_tokens.refresh_token.as_deref())
            .await
            .is_err()
    );
    drop(other_session);
    authed.refresh().await.unwrap();
    authed.me().await.unwrap();
}
both!(password_change_needs_the_current_password);

async fn forced_password_change(app: TestApp) {
    app_user::Entity::update_many()
        .col_expr(app_user::Column::MustChangePassword, Expr::value(true))
        .filter(app_user::Column::Username.eq("demo-ent-2"))
        .exec(&app.db)
        .await
        .unwrap();
    let (authed, tokens) = app.client.login("demo-ent-2", PASSWORD).await.unwrap();
    assert!(tokens.must_change_password);
    // Reading the profile works, anything else is refused until the password is changed.
    assert!(authed.me().await.unwrap().must_change_password);
    let e = authed.equipment(PageQuery::default()).await.unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(403), Some("password_change_required"))
    );
    authed
        .change_password(&change(PASSWORD, "Changed-at-first-login"))
        .await
        .unwrap();
    let fresh = authed.refresh().await.unwrap();
    assert!(!fresh.must_change_password);
    authed.equipment(PageQuery::default()).await.unwrap();
}
both!(forced_password_change);

async fn profile_update(app: TestApp) {
    let authed = app.login("demo-ent-1").await;
    let bad = UpdateMe {
        display_name: "沈国强".to_owned(),
        phone: Some("12345".to_owned()),
        email: Some("not-an-email".to_owned()),
    };
    let tejian_client::Error::Api(p) = authed.update_me(&bad).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(p.status, 422);
    assert_eq!(p.code, "validation_failed");
    let pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/email", "/phone"]);
    let before = authed.me().await.unwrap();

    let good = UpdateMe {
        display_name: "沈国强（安全管理）".to_owned(),
        phone: Some("+86 138 5720 9999".to_owned()),
        email: Some("shen@example.com".to_owned()),
    };
    let me = authed.update_me(&good).await.unwrap();
    assert_eq!(me.phone.as_deref(), Some("13857209999"), "normalised");
    assert_eq!(me.display_name, "沈国强（安全管理）");
    assert_ne!(before.display_name, me.display_name);
}
both!(profile_update);

/// 重置密码 (manual 8.1): staff trigger it, the temporary password goes only by SMS, the old one
/// and every session stop working, and the next login must change it.
async fn staff_reset_a_password(app: crate::helpers::TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tejian_api::store::entity::outbox_message;

    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let url = app.url("/api/v1/users/demo-ent-1/password-reset");
    let answer = app
        .http()
        .post(&url)
        .bearer_auth(ent.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403, "an enterprise user cannot reset");
    let missing = app
        .http()
        .post(app.url("/api/v1/users/nobody/password-reset"))
        .bearer_auth(staff.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // By id, as the resource map has it (the name works too, for scripts).
    let id = ent.me().await.unwrap().id;
    let answer = app
        .http()
        .post(app.url(&format!("/api/v1/users/{id}/password-reset")))
        .bearer_auth(staff.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
    assert!(
        answer.text().await.unwrap().is_empty(),
        "staff never see the password"
    );

    // The old password and the old session are gone (the session cannot be refreshed; its
    // short-lived access token runs out by itself, as after a password change).
    assert!(
        app.client
            .login("demo-ent-1", crate::helpers::PASSWORD)
            .await
            .is_err()
    );
    assert_eq!(ent.refresh().await.unwrap_err().status(), Some(401));
    // The SMS carries the temporary password; it logs in and must be changed.
    let sms = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("password_reset"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let temporary = sms
        .body
        .split("临时密码：")
        .nth(1)
        .and_then(|rest| rest.split('，').next())
        .unwrap()
        .to_owned();
    assert_eq!(temporary.len(), 14);
    let (_, tokens) = app.client.login("demo-ent-1", &temporary).await.unwrap();
    assert!(tokens.must_change_password);
    // Nothing in the audit log holds it.
    let audits = tejian_api::store::entity::audit_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        audits
            .iter()
            .all(|a| !format!("{:?}", a).contains(&temporary))
    );
}
crate::both!(staff_reset_a_password);
