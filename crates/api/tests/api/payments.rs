//! 网上自助缴费: notices, anonymous query rules, sandbox payments, callbacks applied exactly
//! once, signature and amount checks, expiry, unlocking of reports, isolation.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use tejian_api::payments::Providers;
use tejian_api::store::entity::{equipment, payment, payment_notice};
use tejian_client::AuthedClient;
use tejian_contract::application::{
    AcceptApplication, ApprovedItem, NewApplication, NewApplicationItem, RecordInspection,
};
use tejian_contract::invoice::InvoiceQuery;
use tejian_contract::payment::{NewPayment, NewPaymentNotice, PaymentNoticeQuery};
use tejian_contract::report::ReportTransition;
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use tejian_domain::payment::{NoticeState, PaymentState, Provider};
use tejian_domain::report::ReportAction;
use time::{Duration, OffsetDateTime};

use crate::both;
use crate::helpers::TestApp;

const TEST_SECRET: &str = "test-secret-test-secret-test-secret-0001";

fn today() -> time::Date {
    (OffsetDateTime::now_utc() + Duration::hours(8)).date()
}

fn code(e: &tejian_client::Error) -> (Option<u16>, String) {
    match e {
        tejian_client::Error::Api(p) => (
            Some(p.status),
            p.errors
                .first()
                .map_or_else(|| p.code.clone(), |f| f.code.clone()),
        ),
        other => (None, other.to_string()),
    }
}

/// An accepted application of one unit of `ent`'s equipment, billed on a notice; with its report
/// issued (so payment unlocks it). Returns (notice id, report id).
async fn billed(app: &TestApp, ent: &AuthedClient, staff: &AuthedClient) -> (i64, i64) {
    let enterprise_id = ent.me().await.unwrap().enterprise.unwrap().id;
    let unit = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .filter(equipment::Column::RegistrationStatus.eq("registered"))
        .order_by_asc(equipment::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let a = ent
        .submit_application(
            &NewApplication {
                contact_name: "王建国".to_owned(),
                contact_phone: "13957200001".to_owned(),
                contact_address: "湖州市".to_owned(),
                preferred_date: None,
                note: None,
                items: vec![NewApplicationItem {
                    equipment_id: unit.id,
                    inspection_type: InspectionType::Periodic,
                    fee: None,
                }],
            },
            None,
        )
        .await
        .unwrap();
    staff
        .accept_application(
            a.id,
            &AcceptApplication {
                items: vec![ApprovedItem {
                    item_id: a.items[0].id,
                    approved_fee: Money::from_fen(38_000),
                }],
                scheduled_date: Some(today()),
                opinion: None,
            },
        )
        .await
        .unwrap();
    let r = staff
        .record_item_inspection(
            a.id,
            a.items[0].id,
            &RecordInspection {
                inspection_date: today(),
                inspector: "李明".to_owned(),
                conclusion: "合格".to_owned(),
                problems: vec![],
            },
        )
        .await
        .unwrap();
    for action in [
        ReportAction::Submit,
        ReportAction::Review,
        ReportAction::Approve,
    ] {
        staff
            .transition_report(
                r.id,
                &ReportTransition {
                    action,
                    reason: None,
                },
            )
            .await
            .unwrap();
    }
    let notice = staff
        .issue_payment_notice(&NewPaymentNotice {
            application_id: a.id,
            item_ids: vec![],
            due_date: None,
        })
        .await
        .unwrap();
    assert_eq!(notice.total, Money::from_fen(38_000));
    assert_eq!(notice.total_in_words, "叁佰捌拾元整");
    assert_eq!(notice.notice_no.len(), 20);
    // Billing the same items twice is refused.
    let e = staff
        .issue_payment_notice(&NewPaymentNotice {
            application_id: a.id,
            item_ids: vec![],
            due_date: None,
        })
        .await
        .unwrap_err();
    assert_eq!(code(&e), (Some(409), "nothing_to_bill".to_owned()));
    (notice.id, r.id)
}

async fn pay_with_the_sandbox(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let (notice_id, report_id) = billed(&app, &ent, &staff).await;
    let notice = ent
        .payment_notices(&PaymentNoticeQuery::default())
        .await
        .unwrap();
    assert_eq!(notice.total, 1);
    let notice = &notice.items[0];

    // Anonymous query needs both fields, exactly.
    let anon = &app.client;
    let e = anon
        .find_payment_notices(&PaymentNoticeQuery {
            payer_name: Some(notice.payer_name.clone()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(code(&e).0, Some(422));
    let wrong = anon
        .find_payment_notices(&PaymentNoticeQuery {
            payer_name: Some("别的公司".to_owned()),
            notice_no: Some(notice.notice_no.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(wrong.total, 0);
    let found = anon
        .find_payment_notices(&PaymentNoticeQuery {
            payer_name: Some(notice.payer_name.clone()),
            notice_no: Some(notice.notice_no.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.items[0].id, notice_id);

    // The report waits for the fee.
    assert_eq!(
        code(&ent.download_report(report_id).await.unwrap_err()).1,
        "report_unpaid"
    );

    // Pay anonymously by QR; the same QR is reused while open.
    let request = NewPayment {
        provider: Provider::Sandbox,
        payer_name: Some(notice.payer_name.clone()),
        notice_no: Some(notice.notice_no.clone()),
    };
    let p = anon.start_payment(notice_id, &request).await.unwrap();
    assert_eq!(p.state, PaymentState::QrIssued);
    assert!(p.qr_svg.as_deref().unwrap().contains("<svg"));
    assert!(p.qr_text.as_deref().unwrap().ends_with(&p.out_trade_no));
    assert_eq!(
        anon.start_payment(notice_id, &request)
            .await
            .unwrap()
            .out_trade_no,
        p.out_trade_no
    );
    let e = anon
        .start_payment(
            notice_id,
            &NewPayment {
                payer_name: None,
                notice_no: None,
                ..request.clone()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(code(&e).0, Some(404));

    // The payer page confirms: the signed callback goes through the real endpoint's checks.
    let http = app.http();
    let page = http
        .get(app.url(&format!("/sandbox/pay/{}", p.out_trade_no)))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("确认支付"));
    let confirmed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url(&format!("/sandbox/pay/{}", p.out_trade_no)))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 303);
    let status = anon.payment_status(&p.out_trade_no).await.unwrap();
    assert_eq!(status.state, PaymentState::Paid);
    assert!(status.qr_svg.is_none());
    let paid = ent
        .payment_notices(&PaymentNoticeQuery::default())
        .await
        .unwrap();
    assert_eq!(paid.items[0].state, NoticeState::Paid);
    // Unlocked at once.
    assert!(ent.download_report(report_id).await.is_ok());
    // Paying again is refused.
    let e = ent.start_payment(notice_id, &request).await.unwrap_err();
    assert_eq!(code(&e), (Some(409), "notice_already_paid".to_owned()));

    // The invoice job issues one invoice for the paid notice, once.
    assert_eq!(app.services.issue_invoices(50).await.unwrap(), 1);
    assert_eq!(app.services.issue_invoices(50).await.unwrap(), 0);
    let invoices = ent
        .invoices(&InvoiceQuery {
            notice_no: Some(notice.notice_no.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(invoices.total, 1);
    let invoice = &invoices.items[0];
    assert_eq!(invoice.total, Money::from_fen(38_000));
    assert_eq!(invoice.amount + invoice.tax, invoice.total);
    assert_eq!(invoice.total_in_words, "叁佰捌拾元整");
    assert_eq!(invoice.invoice_no.len(), 20);
    let pdf = ent.invoice_pdf(invoice.id).await.unwrap();
    let text = crate::inspection::pdf_text(&pdf);
    assert!(text.contains(&invoice.invoice_no), "{text}");
    assert!(text.contains("叁佰捌拾元整"), "{text}");
    let other = app.login("demo-ent-2").await;
    assert_eq!(
        other
            .invoices(&InvoiceQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        code(&other.invoice_pdf(invoice.id).await.unwrap_err()).0,
        Some(404)
    );
}
both!(pay_with_the_sandbox);

async fn callbacks_apply_exactly_once(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let (notice_id, _) = billed(&app, &ent, &staff).await;
    let request = NewPayment {
        provider: Provider::Sandbox,
        payer_name: None,
        notice_no: None,
    };
    let p = ent.start_payment(notice_id, &request).await.unwrap();
    // The server's sandbox (same secret): sign callbacks as the sandbox does.
    let providers = Providers::sandbox_only(TEST_SECRET, "http://127.0.0.1:8080").unwrap();
    let sandbox = &providers.sandbox;
    let notify = app.url("/api/v1/payments/notify/sandbox");
    let post = |headers: Vec<(String, String)>, body: Vec<u8>| {
        let http = app.http();
        let notify = notify.clone();
        async move {
            let mut rb = http.post(notify).body(body);
            for (k, v) in headers {
                rb = rb.header(k, v);
            }
            rb.send().await.unwrap().status().as_u16()
        }
    };

    // A forged body (amount changed after signing) is refused and changes nothing.
    let ts = OffsetDateTime::now_utc().unix_timestamp().to_string();
    let forged = serde_json::json!({
        "merchant_id": "TEJIAN-SANDBOX", "out_trade_no": p.out_trade_no, "transaction_id": "X1",
        "amount_fen": 38000, "currency": "CNY", "status": "SUCCESS", "paid_at": "2026-11-27T00:00:00Z"
    });
    let body = serde_json::to_vec(&forged).unwrap();
    let sig = sandbox.sign(&ts, b"something else").unwrap();
    assert_eq!(
        post(
            vec![
                ("x-sandbox-timestamp".into(), ts.clone()),
                ("x-sandbox-signature".into(), sig)
            ],
            body.clone()
        )
        .await,
        400
    );
    // A validly signed callback with the wrong amount is refused too.
    let mut cheap = forged.clone();
    cheap["amount_fen"] = serde_json::json!(1);
    let cheap_body = serde_json::to_vec(&cheap).unwrap();
    let sig = sandbox.sign(&ts, &cheap_body).unwrap();
    assert_eq!(
        post(
            vec![
                ("x-sandbox-timestamp".into(), ts.clone()),
                ("x-sandbox-signature".into(), sig)
            ],
            cheap_body
        )
        .await,
        400
    );
    let row = payment::Entity::find()
        .filter(payment::Column::OutTradeNo.eq(p.out_trade_no.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "qr_issued");

    // The right callback, eight times at once: one payment, one paid notice.
    let sig = sandbox.sign(&ts, &body).unwrap();
    let headers = vec![
        ("x-sandbox-timestamp".to_owned(), ts.clone()),
        ("x-sandbox-signature".to_owned(), sig),
    ];
    let results =
        futures_util::future::join_all((0..8).map(|_| post(headers.clone(), body.clone()))).await;
    assert!(results.iter().all(|s| *s == 200), "{results:?}");
    let rows = payment::Entity::find()
        .filter(payment::Column::NoticeId.eq(notice_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.iter().filter(|r| r.state == "paid").count(), 1);
    let notice = payment_notice::Entity::find_by_id(notice_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notice.state, "paid");
    assert_eq!(notice.paid_payment_id, Some(row.id));
    let audits = tejian_api::store::entity::audit_log::Entity::find()
        .filter(tejian_api::store::entity::audit_log::Column::Action.eq("payment_state"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1, "applied once");
}
both!(callbacks_apply_exactly_once);

async fn expiry_and_isolation(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let other = app.login("demo-ent-2").await;
    let staff = app.login("demo-institute").await;
    let (notice_id, _) = billed(&app, &ent, &staff).await;
    assert_eq!(
        other
            .payment_notices(&PaymentNoticeQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    let request = NewPayment {
        provider: Provider::Sandbox,
        payer_name: None,
        notice_no: None,
    };
    assert_eq!(
        code(&other.start_payment(notice_id, &request).await.unwrap_err()).0,
        Some(404)
    );
    assert_eq!(
        code(
            &ent.start_payment(
                notice_id,
                &NewPayment {
                    provider: Provider::Wechat,
                    ..request.clone()
                }
            )
            .await
            .unwrap_err()
        )
        .1,
        "provider_unavailable"
    );

    // A QR left unpaid past its time is closed by reconciliation and cannot be paid.
    let p = ent.start_payment(notice_id, &request).await.unwrap();
    let row = payment::Entity::find()
        .filter(payment::Column::OutTradeNo.eq(p.out_trade_no.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut a = row.into_active_model();
    a.expires_at = Set(OffsetDateTime::now_utc() - Duration::minutes(1));
    a.updated_at = Set(OffsetDateTime::now_utc() - Duration::minutes(5));
    a.update(&app.db).await.unwrap();
    assert_eq!(app.services.reconcile_payments().await.unwrap(), 1);
    let row = payment::Entity::find()
        .filter(payment::Column::OutTradeNo.eq(p.out_trade_no.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "expired");
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let confirmed = no_redirect
        .post(app.url(&format!("/sandbox/pay/{}", p.out_trade_no)))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 409, "a closed QR cannot be paid");
    // A new QR works and pays.
    let fresh = ent.start_payment(notice_id, &request).await.unwrap();
    assert_ne!(fresh.out_trade_no, p.out_trade_no);
    let confirmed = no_redirect
        .post(app.url(&format!("/sandbox/pay/{}", fresh.out_trade_no)))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        app.client
            .payment_status(&fresh.out_trade_no)
            .await
            .unwrap()
            .state,
        PaymentState::Paid
    );
}
both!(expiry_and_isolation);

/// With `TEJIAN_AUTO_PAYMENT_NOTICE` on, accepting an application issues its notice.
#[tokio::test]
async fn acceptance_issues_the_notice_when_configured() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, |s| {
        s.auto_payment_notice = true;
    })
    .await;
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let enterprise_id = ent.me().await.unwrap().enterprise.unwrap().id;
    let unit = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .order_by_asc(equipment::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let a = ent
        .submit_application(
            &NewApplication {
                contact_name: "王建国".to_owned(),
                contact_phone: "13957200001".to_owned(),
                contact_address: "湖州市".to_owned(),
                preferred_date: None,
                note: None,
                items: vec![NewApplicationItem {
                    equipment_id: unit.id,
                    inspection_type: InspectionType::Periodic,
                    fee: None,
                }],
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        ent.payment_notices(&PaymentNoticeQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    staff
        .accept_application(
            a.id,
            &AcceptApplication {
                items: vec![ApprovedItem {
                    item_id: a.items[0].id,
                    approved_fee: Money::from_fen(42_000),
                }],
                scheduled_date: None,
                opinion: None,
            },
        )
        .await
        .unwrap();
    let notices = ent
        .payment_notices(&PaymentNoticeQuery::default())
        .await
        .unwrap();
    assert_eq!(notices.total, 1);
    assert_eq!(notices.items[0].total, Money::from_fen(42_000));
    assert_eq!(notices.items[0].state, NoticeState::Unpaid);
}

async fn cancelled_notices_cannot_be_paid(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let (notice_id, _) = billed(&app, &ent, &staff).await;
    let request = NewPayment {
        provider: Provider::Sandbox,
        payer_name: None,
        notice_no: None,
    };
    let open = ent.start_payment(notice_id, &request).await.unwrap();
    assert_eq!(
        code(
            &ent.cancel_payment_notice(notice_id, "金额有误")
                .await
                .unwrap_err()
        )
        .0,
        Some(403)
    );
    assert_eq!(
        code(
            &staff
                .cancel_payment_notice(notice_id, " ")
                .await
                .unwrap_err()
        )
        .0,
        Some(422)
    );
    let cancelled = staff
        .cancel_payment_notice(notice_id, "核定费用有误，重新开具")
        .await
        .unwrap();
    assert_eq!(cancelled.state, NoticeState::Cancelled);
    // Its open QR code is closed, a new payment is refused, and cancelling again too.
    assert_eq!(
        app.client
            .payment_status(&open.out_trade_no)
            .await
            .unwrap()
            .state,
        PaymentState::Closed
    );
    let e = ent.start_payment(notice_id, &request).await.unwrap_err();
    assert_eq!(code(&e), (Some(409), "notice_cancelled".to_owned()));
    let e = staff
        .cancel_payment_notice(notice_id, "再次")
        .await
        .unwrap_err();
    assert_eq!(code(&e), (Some(409), "notice_cancelled".to_owned()));
}
both!(cancelled_notices_cannot_be_paid);
