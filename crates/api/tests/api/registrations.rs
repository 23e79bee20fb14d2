//! 账号开通 (manual §3): terms, online registration and its refusals, review by the institute,
//! the offline form and the institute's direct creation of an enterprise.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use tejian_api::store::entity::{app_user, audit_log, enterprise, outbox_message, registration};
use tejian_client::Client;
use tejian_contract::me::ChangePassword;
use tejian_contract::registration::{AccountApplication, RegistrationQuery};
use tejian_domain::registration::{RegistrationState, TERMS_VERSION};

use crate::both;
use crate::helpers::{Backend, TestApp, spawn_app_with};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// A valid credit code from 17 characters (the check character computed).
pub(crate) fn code(first17: &str) -> String {
    let check = tejian_domain::credit_code::check_char(first17).unwrap();
    format!("{first17}{check}")
}

pub(crate) fn application(credit_code: &str) -> AccountApplication {
    AccountApplication {
        unit_type: "use_unit".to_owned(),
        name: "湖州示例机械有限公司".to_owned(),
        credit_code: credit_code.to_owned(),
        district_code: "330502".to_owned(),
        address: "湖州市吴兴区示例路 1 号".to_owned(),
        legal_representative: "王建国".to_owned(),
        safety_manager: "沈国强".to_owned(),
        safety_manager_phone: "13857201234".to_owned(),
        applicant_name: "钱丽".to_owned(),
        applicant_phone: "13957205678".to_owned(),
        email: Some("safety@example.com".to_owned()),
        terms_version: Some(TERMS_VERSION.to_owned()),
    }
}

/// Everything a refused request could have left behind.
async fn footprint(app: &TestApp) -> (u64, u64, u64, u64, usize) {
    let files = std::fs::read_dir(app.services.settings.data_dir.join("files"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("licence-"))
                .count()
        })
        .unwrap_or(0);
    (
        registration::Entity::find().count(&app.db).await.unwrap(),
        enterprise::Entity::find().count(&app.db).await.unwrap(),
        app_user::Entity::find().count(&app.db).await.unwrap(),
        outbox_message::Entity::find().count(&app.db).await.unwrap(),
        files,
    )
}

/// Posts a registration as raw multipart, so tests can send what the typed client never would.
async fn post_raw(
    app: &TestApp,
    json: String,
    licence: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = Form::new().part(
        "registration",
        Part::text(json).mime_str("application/json").unwrap(),
    );
    if let Some((name, bytes)) = licence {
        form = form.part("licence", Part::bytes(bytes).file_name(name.to_owned()));
    }
    app.http()
        .post(app.url("/api/v1/registrations"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json::<Value>().await.unwrap())
}

fn pointers(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["pointer"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The SMS queued of one kind, newest first.
async fn sms(app: &TestApp, kind: &str) -> outbox_message::Model {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq(kind))
        .order_by_desc(outbox_message::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind} SMS"))
}

fn between<'a>(text: &'a str, start: &str, end: char) -> &'a str {
    text.split(start)
        .nth(1)
        .and_then(|rest| rest.split(end).next())
        .unwrap_or_else(|| panic!("{start} not in {text}"))
}

async fn terms_are_public(app: TestApp) {
    let terms = app.client.registration_terms().await.unwrap();
    assert_eq!(terms.title, "湖州市特种设备企业服务平台企业客户服务条款");
    assert_eq!(terms.min_read_seconds, 10);
    assert_eq!(terms.version, TERMS_VERSION);
    for needle in ["安全管理负责人手机", "申请人手机", "个人信息", "责任"] {
        assert!(terms.text.contains(needle), "{needle}");
    }
}
both!(terms_are_public);

async fn refusals_change_nothing(app: TestApp) {
    let before = footprint(&app).await;
    let good = code("91330502MA2B3C4D5");

    // Wrong check character.
    let mut bad_check = good.clone();
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let (status, body) = problem(
        post_raw(
            &app,
            serde_json::to_string(&application(&bad_check)).unwrap(),
            Some(("licence.png", PNG.to_vec())),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(pointers(&body), ["/credit_code"]);
    assert_eq!(body["errors"][0]["code"], "invalid_credit_code");

    // Missing fields: each one named.
    let (status, body) = problem(
        post_raw(
            &app,
            r#"{"unit_type":"use_unit","credit_code":""}"#.to_owned(),
            Some(("licence.png", PNG.to_vec())),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let named = pointers(&body);
    for p in [
        "/name",
        "/credit_code",
        "/district_code",
        "/address",
        "/legal_representative",
        "/safety_manager",
        "/safety_manager_phone",
        "/applicant_name",
        "/applicant_phone",
        "/terms_version",
    ] {
        assert!(named.iter().any(|n| n == p), "{p} not in {named:?}");
    }
    assert!(!named.iter().any(|n| n == "/unit_type"));

    // A bad mobile number.
    let mut app_bad_phone = application(&good);
    app_bad_phone.applicant_phone = "12345678".to_owned();
    let (status, body) = problem(
        post_raw(
            &app,
            serde_json::to_string(&app_bad_phone).unwrap(),
            Some(("licence.png", PNG.to_vec())),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&body), ["/applicant_phone"]);
    assert_eq!(body["errors"][0]["code"], "invalid_mobile");

    // A file that is not PDF / JPEG / PNG, whatever its name says; and no file at all.
    let json = serde_json::to_string(&application(&good)).unwrap();
    let (status, body) = problem(
        post_raw(
            &app,
            json.clone(),
            Some(("licence.pdf", b"MZ\x90\0 not a pdf".to_vec())),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&body), ["/licence"]);
    assert_eq!(body["errors"][0]["code"], "unsupported_file_type");
    let (status, body) = problem(post_raw(&app, json.clone(), None).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&body), ["/licence"]);

    // Too large.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) =
        problem(post_raw(&app, json.clone(), Some(("licence.pdf", big))).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "payload_too_large");

    // Unknown district and outdated terms.
    let mut other = application(&good);
    other.district_code = "110101".to_owned();
    other.terms_version = Some("2000-01".to_owned());
    let (status, body) = problem(
        post_raw(
            &app,
            serde_json::to_string(&other).unwrap(),
            Some(("licence.png", PNG.to_vec())),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointers(&body), ["/district_code", "/terms_version"]);

    assert_eq!(footprint(&app).await, before, "a refusal stored something");
}
both!(refusals_change_nothing);

async fn duplicates_are_refused_without_details(app: TestApp) {
    // An enterprise already on the platform.
    let existing = enterprise::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let before = footprint(&app).await;
    let e = app
        .client
        .submit_registration(
            &application(&existing.credit_code),
            "licence.png",
            PNG.to_vec(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.code(), Some("enterprise_already_registered"));
    let detail = format!("{e}");
    assert!(
        !detail.contains(&existing.name),
        "the refusal names the enterprise"
    );
    assert_eq!(footprint(&app).await, before);

    // A registration pending for the same code: the second is refused.
    let good = code("91330502MA2B3C4D5");
    let receipt = app
        .client
        .submit_registration(&application(&good), "营业执照.png", PNG.to_vec())
        .await
        .unwrap();
    assert_eq!(receipt.state, RegistrationState::Pending);
    assert!(receipt.reference_no.starts_with("ZC"));
    assert!(receipt.next_steps.contains("139****5678"));
    let after_first = footprint(&app).await;
    let mut again = application(&good);
    again.name = "另一个名字".to_owned();
    let e = app
        .client
        .submit_registration(&again, "licence.png", PNG.to_vec())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(409));
    assert_eq!(e.code(), Some("registration_pending"));
    assert!(!format!("{e}").contains("湖州示例机械"));
    assert_eq!(footprint(&app).await, after_first);

    // The staff way is refused too while the registration is pending.
    let staff = app.login("demo-institute").await;
    let e = staff
        .create_enterprise(&application(&good))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("registration_pending"));
    let e = staff
        .create_enterprise(&application(&existing.credit_code))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("enterprise_already_registered"));
    assert_eq!(footprint(&app).await, after_first);
}
both!(duplicates_are_refused_without_details);

async fn rate_limited(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.registration_rate_limit = 2).await;
    let before = footprint(&app).await;
    for _ in 0..2 {
        let e = app
            .client
            .submit_registration(&application("bad"), "licence.png", PNG.to_vec())
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("validation_failed"));
    }
    // Even a valid third attempt is refused now, and stores nothing.
    let response = post_raw(
        &app,
        serde_json::to_string(&application(&code("91330502MA2B3C4D5"))).unwrap(),
        Some(("licence.png", PNG.to_vec())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_some());
    let (_, body) = problem(response).await;
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(footprint(&app).await, before);
}

mod rate_limited {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        rate_limited(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        rate_limited(Backend::Postgres).await;
    }
}

async fn review_is_for_institute_staff(app: TestApp) {
    let receipt = app
        .client
        .submit_registration(
            &application(&code("91330502MA2B3C4D5")),
            "l.png",
            PNG.to_vec(),
        )
        .await
        .unwrap();
    let id = registration::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    for user in ["demo-ent-1", "demo-bureau"] {
        let c = app.login(user).await;
        let e = c
            .registrations(&RegistrationQuery::default())
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(403), "{user} lists");
        assert_eq!(c.registration(id).await.unwrap_err().status(), Some(403));
        assert_eq!(
            c.registration_licence(id).await.unwrap_err().status(),
            Some(403)
        );
        assert_eq!(
            c.approve_registration(id).await.unwrap_err().status(),
            Some(403)
        );
        assert_eq!(
            c.reject_registration(id, "x").await.unwrap_err().status(),
            Some(403)
        );
        let e = c
            .create_enterprise(&application(&code("91330502MA2B3C4D6")))
            .await
            .unwrap_err();
        assert_eq!(e.status(), Some(403));
    }
    // Anonymous: 401.
    let anonymous = app
        .http()
        .get(app.url("/api/v1/registrations"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        registration::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .state,
        "pending"
    );

    // The institute lists (filters), reads and downloads the licence.
    let staff = app.login("demo-institute").await;
    let pending = staff
        .registrations(&RegistrationQuery {
            state: Some(RegistrationState::Pending),
            ..RegistrationQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(pending.total, 1);
    let r = &pending.items[0];
    assert_eq!(r.reference_no, receipt.reference_no);
    assert_eq!(r.district_name, "吴兴区");
    assert_eq!(r.unit_type_name, "使用单位");
    assert_eq!(r.licence.content_type, "image/png");
    assert_eq!(r.licence.file_name, "l.png");
    for (q, n) in [("示例机械", 1), ("91330502", 1), ("钱丽", 1), ("不存在", 0)] {
        let found = staff
            .registrations(&RegistrationQuery {
                q: Some(q.to_owned()),
                ..RegistrationQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(found.total, n, "{q}");
    }
    let approved = staff
        .registrations(&RegistrationQuery {
            state: Some(RegistrationState::Approved),
            ..RegistrationQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(approved.total, 0);
    assert_eq!(staff.registration_licence(id).await.unwrap(), PNG);
    assert_eq!(
        staff.registration(9_999_999).await.unwrap_err().status(),
        Some(404)
    );
}
both!(review_is_for_institute_staff);

async fn approval_opens_the_account(app: TestApp) {
    let credit_code = code("91330502MA2B3C4D5");
    app.client
        .submit_registration(&application(&credit_code), "l.png", PNG.to_vec())
        .await
        .unwrap();
    let id = registration::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let staff = app.login("demo-institute").await;
    let approved = staff.approve_registration(id).await.unwrap();
    assert_eq!(approved.state, RegistrationState::Approved);
    let username = credit_code.to_lowercase();
    assert_eq!(approved.username.as_deref(), Some(username.as_str()));
    let enterprise_id = approved.enterprise_id.unwrap();
    let answer = serde_json::to_string(&approved).unwrap();

    // The enterprise and its first user exist.
    let ent = enterprise::Entity::find_by_id(enterprise_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ent.credit_code, credit_code);
    assert_eq!(ent.unit_type, "use_unit");
    assert_eq!(ent.safety_manager_phone.as_deref(), Some("13857201234"));
    let user = app_user::Entity::find()
        .filter(app_user::Column::EnterpriseId.eq(enterprise_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, username);
    assert_eq!(user.display_name, "钱丽");
    assert_eq!(user.phone.as_deref(), Some("13957205678"));
    assert!(user.must_change_password);
    assert_eq!(user.enterprise_role.as_deref(), Some("admin"));

    // The SMS to the applicant carries the user name and a password that logs in.
    let message = sms(&app, "account_opened").await;
    assert_eq!(message.recipient, "13957205678");
    assert!(message.body.contains(&format!("用户名：{username}")));
    let password = between(&message.body, "初始密码：", '，').to_owned();
    assert_eq!(password.len(), 14);
    // …and appears nowhere else.
    assert!(!answer.contains(&password));
    let audits = audit_log::Entity::find().all(&app.db).await.unwrap();
    assert!(audits.iter().all(|a| !format!("{a:?}").contains(&password)));
    assert!(
        audits
            .iter()
            .any(|a| a.action == "registration_approved" && a.enterprise_id == Some(enterprise_id))
    );

    // First login: must change the password before anything else.
    let (new_user, tokens) = app.client.login(&credit_code, &password).await.unwrap();
    assert!(tokens.must_change_password);
    let e = new_user
        .equipment(tejian_contract::list::PageQuery::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("password_change_required"));
    new_user
        .change_password(&ChangePassword {
            current_password: password.clone(),
            new_password: "Huzhou-new-2026!".to_owned(),
        })
        .await
        .unwrap();
    let (fresh, tokens) = app
        .client
        .login(&credit_code, "Huzhou-new-2026!")
        .await
        .unwrap();
    assert!(!tokens.must_change_password);
    let me = fresh.me().await.unwrap();
    assert_eq!(me.enterprise.unwrap().id, enterprise_id);

    // Deciding twice: 409, nothing changes.
    let users = app_user::Entity::find().count(&app.db).await.unwrap();
    for e in [
        staff.approve_registration(id).await.unwrap_err(),
        staff.reject_registration(id, "重复").await.unwrap_err(),
    ] {
        assert_eq!(e.status(), Some(409));
        assert_eq!(e.code(), Some("registration_already_decided"));
    }
    assert_eq!(
        app_user::Entity::find().count(&app.db).await.unwrap(),
        users
    );

    // Now the code is registered: a new registration is refused.
    let e = app
        .client
        .submit_registration(&application(&credit_code), "l.png", PNG.to_vec())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("enterprise_already_registered"));
}
both!(approval_opens_the_account);

async fn rejection_tells_the_reason(app: TestApp) {
    let credit_code = code("91330502MA2B3C4D5");
    app.client
        .submit_registration(&application(&credit_code), "l.png", PNG.to_vec())
        .await
        .unwrap();
    let id = registration::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let staff = app.login("demo-institute").await;
    let before = footprint(&app).await;
    let e = staff.reject_registration(id, "  ").await.unwrap_err();
    assert_eq!(e.code(), Some("validation_failed"));
    assert_eq!(footprint(&app).await, before);

    let rejected = staff
        .reject_registration(id, "营业执照照片不清晰")
        .await
        .unwrap();
    assert_eq!(rejected.state, RegistrationState::Rejected);
    assert_eq!(rejected.reason.as_deref(), Some("营业执照照片不清晰"));
    let message = sms(&app, "registration_rejected").await;
    assert_eq!(message.recipient, "13957205678");
    assert!(message.body.contains("营业执照照片不清晰"));
    assert!(message.body.contains(&rejected.reference_no));
    assert_eq!(
        enterprise::Entity::find()
            .filter(enterprise::Column::CreditCode.eq(&credit_code))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    let e = staff.approve_registration(id).await.unwrap_err();
    assert_eq!(e.code(), Some("registration_already_decided"));
    assert!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("registration_rejected"))
            .count(&app.db)
            .await
            .unwrap()
            == 1
    );

    // After a rejection the enterprise may apply again.
    app.client
        .submit_registration(&application(&credit_code), "l.png", PNG.to_vec())
        .await
        .unwrap();
}
both!(rejection_tells_the_reason);

async fn institute_creates_an_enterprise(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let credit_code = code("91330502MA2B3C4D7");
    let mut form = application(&credit_code);
    form.terms_version = None;
    form.unit_type = "installer".to_owned();

    // Field errors first, and nothing stored.
    let before = footprint(&app).await;
    let mut bad = form.clone();
    bad.safety_manager_phone = "0572-1234".to_owned();
    bad.name = String::new();
    let e = staff.create_enterprise(&bad).await.unwrap_err();
    assert_eq!(e.code(), Some("validation_failed"));
    assert_eq!(footprint(&app).await, before);

    let created = staff.create_enterprise(&form).await.unwrap();
    assert_eq!(created.username, credit_code.to_lowercase());
    assert_eq!(created.sms_sent_to, "139****5678");
    let ent = enterprise::Entity::find_by_id(created.enterprise_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ent.unit_type, "installer");
    let admin = app_user::Entity::find()
        .filter(app_user::Column::EnterpriseId.eq(created.enterprise_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.enterprise_role.as_deref(), Some("admin"));
    let message = sms(&app, "account_opened").await;
    let password = between(&message.body, "初始密码：", '，').to_owned();
    assert!(!serde_json::to_string(&created).unwrap().contains(&password));
    let (_, tokens) = app.client.login(&credit_code, &password).await.unwrap();
    assert!(tokens.must_change_password);
    assert!(
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("enterprise_created"))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .all(|a| !format!("{a:?}").contains(&password))
    );
    // Twice: refused.
    let e = staff.create_enterprise(&form).await.unwrap_err();
    assert_eq!(e.code(), Some("enterprise_already_registered"));
}
both!(institute_creates_an_enterprise);

async fn the_paper_form(app: TestApp) {
    let pdf = Client::new(&app.base)
        .account_application_form()
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = crate::inspection::pdf_text(&pdf);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "企业服务平台账号申请表",
        "使用单位",
        "单位名称",
        "统一社会信用代码",
        "所在区县",
        "单位地址",
        "法定代表人",
        "安全管理负责人手机",
        "申请人手机",
        "电子邮箱",
        "加盖公章",
        "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院；",
        "质量和科技管理部（收）",
        "0572-2523106",
        "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院405室，质量和科技管理部",
        "设备检验时交给检验员",
    ] {
        assert!(flat.contains(needle), "{needle} not in the form:\n{text}");
    }
}
both!(the_paper_form);

async fn simultaneous_registrations_make_one(app: TestApp) {
    let credit_code = code("91330502MA2B3C4D5");
    let form = application(&credit_code);
    let attempts = (0..4).map(|_| app.client.submit_registration(&form, "l.png", PNG.to_vec()));
    let results = futures_util::future::join_all(attempts).await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(created, 1, "{results:?}");
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(e.code(), Some("registration_pending"), "{e:?}");
    }
    let (registrations, _, _, _, files) = footprint(&app).await;
    assert_eq!(
        (registrations, files),
        (1, 1),
        "refused ones left nothing behind"
    );
}
both!(simultaneous_registrations_make_one);
