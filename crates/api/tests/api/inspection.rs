//! 网上报检, 检验报告, 检验意见通知书 and the outbox: the whole lifecycle over the API, every
//! refusal, tenant isolation, and the PDFs' text.

use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use tejian_api::outbox::{self, SendError, SmsSender};
use tejian_api::store::entity::{audit_log, equipment, opinion_notice, outbox_message};
use tejian_client::AuthedClient;
use tejian_contract::application::{
    AcceptApplication, ApplicationQuery, ApprovedItem, NewApplication, NewApplicationItem,
    RecordInspection, RejectApplication, ScheduleApplication,
};
use tejian_contract::equipment::{ApplicationStatus, EquipmentQuery, EquipmentView};
use tejian_contract::notice::{
    NewNotice, NoticeFeedback, NoticeProblem, NoticeQuery, NoticeReview,
};
use tejian_contract::report::{ReportQuery, ReportTransition};
use tejian_domain::application::{ItemState, Progress};
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use tejian_domain::notice::NoticeState;
use tejian_domain::report::{ReportAction, ReportState};
use time::{Duration, OffsetDateTime};

use crate::both;
use crate::helpers::TestApp;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn today() -> time::Date {
    (OffsetDateTime::now_utc() + Duration::hours(8)).date()
}

/// In-use, registered equipment of the user's enterprise, oldest id first.
async fn usable(app: &TestApp, who: &AuthedClient, n: usize) -> Vec<equipment::Model> {
    let enterprise_id = who.me().await.unwrap().enterprise.unwrap().id;
    let rows = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .filter(equipment::Column::RegistrationStatus.eq("registered"))
        .order_by_asc(equipment::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        rows.len() >= n,
        "the small seed has {} usable units",
        rows.len()
    );
    rows.into_iter().take(n).collect()
}

fn application(ids: &[i64]) -> NewApplication {
    NewApplication {
        contact_name: "王建国".to_owned(),
        contact_phone: "13957200001".to_owned(),
        contact_address: "湖州市吴兴区红丰路 1 号".to_owned(),
        preferred_date: Some(today() + Duration::days(7)),
        note: None,
        items: ids
            .iter()
            .map(|id| NewApplicationItem {
                equipment_id: *id,
                inspection_type: InspectionType::Periodic,
                fee: None,
            })
            .collect(),
    }
}

fn problem_code(e: &tejian_client::Error) -> (Option<u16>, String) {
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

pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("tejian-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "{}.pdf",
        OffsetDateTime::now_utc().unix_timestamp_nanos()
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: cargo xtask setup");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Renders page 1 to PNG with poppler and checks the page has ink (the CJK font drew glyphs).
fn assert_renders_to_png(pdf: &[u8]) {
    // One folder per call: the SQLite and PostgreSQL runs of a test go in parallel.
    let dir = std::env::temp_dir().join(format!(
        "tejian-png-{}-{}",
        std::process::id(),
        OffsetDateTime::now_utc().unix_timestamp_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("page.pdf");
    std::fs::write(&input, pdf).unwrap();
    let out = std::process::Command::new("pdftoppm")
        .args(["-gray", "-r", "40", "-f", "1", "-l", "1"])
        .arg(&input)
        .arg(dir.join("page"))
        .output()
        .expect("pdftoppm (poppler-utils) must be installed");
    assert!(out.status.success());
    let pgm = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".pgm"))
        .expect("a page image");
    let bytes = std::fs::read(pgm.path()).unwrap();
    // Skip the PGM header (three lines); count dark pixels.
    let mut newlines = 0;
    let start = bytes
        .iter()
        .position(|b| {
            if *b == b'\n' {
                newlines += 1;
            }
            newlines == 3
        })
        .unwrap()
        + 1;
    let dark = bytes[start..].iter().filter(|p| **p < 128).count();
    assert!(dark > 2_000, "page 1 is nearly blank ({dark} dark pixels)");
    let _ = std::fs::remove_dir_all(&dir);
}

pub(crate) fn unzip_single(zip: &[u8]) -> (String, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(archive.len(), 1);
    let mut file = archive.by_index(0).unwrap();
    let name = file.name().unwrap().into_owned();
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).unwrap();
    (name, bytes)
}

async fn full_lifecycle(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let units = usable(&app, &ent, 2).await;
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();

    // 申报: one batch of two, idempotent.
    let first = ent
        .submit_application(&application(&ids), Some("batch-1"))
        .await
        .unwrap();
    let again = ent
        .submit_application(&application(&ids), Some("batch-1"))
        .await
        .unwrap();
    assert_eq!(first.id, again.id);
    assert!(first.serial_no.starts_with("SB"), "{}", first.serial_no);
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.progress, Progress::Submitted);
    assert!(first.items.iter().all(|i| i.opinion_name == "待受理"));
    assert!(
        first.items.iter().all(|i| i.estimated_fee.is_some()),
        "estimated with the tariff"
    );
    assert_eq!(
        first.estimated_total,
        first
            .items
            .iter()
            .filter_map(|i| i.estimated_fee)
            .fold(Money::ZERO, |a, b| a + b)
    );

    // The register shows 受理状态 and the applicable list leaves them out.
    let page = ent
        .equipment_search(&EquipmentQuery {
            per_page: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    let status = |id: i64| {
        page.items
            .iter()
            .find(|e| e.id == id)
            .unwrap()
            .application_status
    };
    assert_eq!(status(ids[0]), ApplicationStatus::Pending);
    let applicable = ent
        .equipment_search(&EquipmentQuery {
            view: Some(EquipmentView::Applicable),
            per_page: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(applicable.items.iter().all(|e| !ids.contains(&e.id)));
    assert!(!applicable.items.is_empty());

    // 受理 one, 不予受理 the other.
    let fee = Money::parse("420.00").unwrap();
    let accepted = staff
        .accept_application(
            first.id,
            &AcceptApplication {
                items: vec![ApprovedItem {
                    item_id: first.items[0].id,
                    approved_fee: fee,
                }],
                scheduled_date: None,
                opinion: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(accepted.items[0].state, ItemState::Accepted);
    assert!(
        accepted.items[0]
            .business_no
            .as_deref()
            .unwrap()
            .starts_with("YW")
    );
    let e = staff
        .accept_application(
            first.id,
            &AcceptApplication {
                items: vec![ApprovedItem {
                    item_id: first.items[0].id,
                    approved_fee: fee,
                }],
                scheduled_date: None,
                opinion: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(409), "application_already_decided".to_owned())
    );
    let rejected = staff
        .reject_application(
            first.id,
            &RejectApplication {
                reason: "该设备已办理停用".to_owned(),
                item_ids: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(rejected.items[1].opinion_name, "不同意");
    assert_eq!(
        rejected.items[1].opinion.as_deref(),
        Some("该设备已办理停用")
    );
    let scheduled = staff
        .schedule_application(
            first.id,
            &ScheduleApplication {
                scheduled_date: today() + Duration::days(3),
                item_ids: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(scheduled.items[0].state, ItemState::Scheduled);
    assert_eq!(scheduled.progress, Progress::Scheduled);
    // The enterprise sees the same.
    let mine = ent
        .applications(&ApplicationQuery::default())
        .await
        .unwrap();
    assert_eq!(mine.total, 1);
    assert_eq!(mine.items[0].items[0].opinion_name, "同意");
    assert_eq!(mine.items[0].approved_total, Some(fee));

    // 登记检验结果 → report in 编制.
    let report = staff
        .record_item_inspection(
            first.id,
            first.items[0].id,
            &RecordInspection {
                inspection_date: today(),
                inspector: "李明".to_owned(),
                conclusion: "合格".to_owned(),
                problems: vec!["机房通风不良".to_owned()],
            },
        )
        .await
        .unwrap();
    assert_eq!(report.state, ReportState::Drafting);
    assert_eq!(report.fee, fee);
    assert_eq!(
        report.business_no,
        scheduled.items[0].business_no.clone().unwrap()
    );
    let eq = equipment::Entity::find_by_id(ids[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(eq.last_inspection_date, Some(today()));
    assert!(
        eq.next_inspection_date.unwrap() > today(),
        "moved by the schedule rules"
    );

    // Not downloadable until issued, then not until paid.
    let e = ent.download_report(report.id).await.unwrap_err();
    assert_eq!(problem_code(&e), (Some(409), "report_not_ready".to_owned()));
    for action in [
        ReportAction::Submit,
        ReportAction::Review,
        ReportAction::Approve,
    ] {
        staff
            .transition_report(
                report.id,
                &ReportTransition {
                    action,
                    reason: None,
                },
            )
            .await
            .unwrap();
    }
    let listed = ent.reports(&ReportQuery::default()).await.unwrap();
    let mine = listed.items.iter().find(|r| r.id == report.id).unwrap();
    assert_eq!(mine.state_name, "报告打印");
    assert!(!mine.downloadable);
    assert_eq!(mine.not_downloadable_code.as_deref(), Some("report_unpaid"));
    assert!(
        mine.verification_code.is_none(),
        "enterprises see the code only on the PDF"
    );
    let e = ent.download_report(report.id).await.unwrap_err();
    assert_eq!(problem_code(&e), (Some(409), "report_unpaid".to_owned()));
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    assert!(p.detail.unwrap().contains("检验费用尚未交纳"));
    staff.mark_report_paid(report.id).await.unwrap();
    let zip = ent.download_report(report.id).await.unwrap();
    let (name, pdf) = unzip_single(&zip);
    assert_eq!(name, format!("{}.pdf", report.report_no));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(text.contains(&report.report_no), "{text}");
    assert_renders_to_png(&pdf);
    assert!(text.contains("检验结论"), "{text}");
    let issued = staff.report(report.id).await.unwrap();
    assert_eq!(
        issued.pdf_sha256.as_deref(),
        Some(tejian_api::auth::sha256_hex(&pdf).as_str())
    );
    assert_eq!(issued.approver_name.as_deref(), Some("检验院 张工"));

    // Public verification: genuine with the code, not without it.
    let code = issued.verification_code.clone().unwrap();
    let v = app
        .client
        .verify_report(&report.report_no, &code)
        .await
        .unwrap();
    assert!(v.genuine);
    assert_eq!(v.conclusion.as_deref(), Some("合格"));
    let label = eq.registration_code.clone().or(eq.equipment_code.clone());
    assert_eq!(v.equipment_code, label);
    let v = app
        .client
        .verify_report(&report.report_no, "ABCDEFGH")
        .await
        .unwrap();
    assert!(!v.genuine);
    assert!(v.report_no.is_none(), "nothing leaks on a wrong code");

    // The application is done; SMS queued for each event; every step audited.
    let done = ent.application(first.id).await.unwrap();
    assert_eq!(done.progress, Progress::ReportIssued);
    assert_eq!(
        done.items[0].report_no.as_deref(),
        Some(report.report_no.as_str())
    );
    let kinds: Vec<String> = outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    for kind in [
        "application_accepted",
        "application_rejected",
        "report_ready",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    let actions: Vec<String> = audit_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for action in [
        "application_submitted",
        "application_accepted",
        "application_rejected",
        "application_scheduled",
        "report_created",
        "report_transition",
        "report_fee_paid",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
}
both!(full_lifecycle);

async fn application_refusals(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let other = app.login("demo-ent-2").await;
    let staff = app.login("demo-institute").await;
    let units = usable(&app, &ent, 3).await;
    let theirs = usable(&app, &other, 1).await;

    let empty = ent
        .submit_application(&application(&[]), None)
        .await
        .unwrap_err();
    assert_eq!(problem_code(&empty).0, Some(422));
    let mut bad_phone = application(&[units[0].id]);
    bad_phone.contact_phone = "12345".to_owned();
    let e = ent.submit_application(&bad_phone, None).await.unwrap_err();
    assert_eq!(problem_code(&e), (Some(422), "invalid_phone".to_owned()));
    let mut no_contact = application(&[units[0].id]);
    no_contact.contact_name = String::new();
    let e = ent.submit_application(&no_contact, None).await.unwrap_err();
    assert_eq!(problem_code(&e).0, Some(422));
    let e = ent
        .submit_application(&application(&[theirs[0].id]), None)
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(422), "equipment_not_found".to_owned())
    );
    // Scrapped equipment.
    let mut scrapped = units[2].clone().into_active_model();
    scrapped.use_status = Set("scrapped".to_owned());
    scrapped.update(&app.db).await.unwrap();
    let e = ent
        .submit_application(&application(&[units[2].id]), None)
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(422), "equipment_cancelled".to_owned())
    );
    // Already pending: the second batch is refused whole, nothing written.
    ent.submit_application(&application(&[units[0].id]), None)
        .await
        .unwrap();
    let e = ent
        .submit_application(&application(&[units[1].id, units[0].id]), None)
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(422), "application_pending".to_owned())
    );
    let tejian_client::Error::Api(p) = &e else {
        panic!()
    };
    assert_eq!(p.errors[0].pointer, "/items/1/equipment_id");
    assert_eq!(
        ent.applications(&ApplicationQuery::default())
            .await
            .unwrap()
            .total,
        1
    );
    // Only enterprises apply; only staff decide.
    let e = staff
        .submit_application(&application(&[units[1].id]), None)
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(403));
    let mine = ent
        .applications(&ApplicationQuery::default())
        .await
        .unwrap();
    let e = ent
        .reject_application(
            mine.items[0].id,
            &RejectApplication {
                reason: "x".to_owned(),
                item_ids: vec![],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(403));
    let e = staff
        .reject_application(
            mine.items[0].id,
            &RejectApplication {
                reason: " ".to_owned(),
                item_ids: vec![],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(422));
    let e = staff
        .record_item_inspection(
            mine.items[0].id,
            mine.items[0].items[0].id,
            &RecordInspection {
                inspection_date: today(),
                inspector: "李明".to_owned(),
                conclusion: "合格".to_owned(),
                problems: vec![],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(409), "application_not_accepted".to_owned())
    );
}
both!(application_refusals);

/// Issues a report for one unit of `ent`'s equipment; returns (application id, report id).
pub(crate) async fn issued_report(
    app: &TestApp,
    ent: &AuthedClient,
    staff: &AuthedClient,
    nth: usize,
) -> i64 {
    let unit = usable(app, ent, nth + 1).await.remove(nth);
    let a = ent
        .submit_application(&application(&[unit.id]), None)
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
                conclusion: "不合格".to_owned(),
                problems: vec!["层门门锁啮合长度不足 7 mm".to_owned()],
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
    r.id
}

async fn report_workflow_rules(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let report_id = issued_report(&app, &ent, &staff, 0).await;
    let e = staff
        .transition_report(
            report_id,
            &ReportTransition {
                action: ReportAction::Submit,
                reason: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(409), "invalid_report_transition".to_owned())
    );
    let e = staff
        .transition_report(
            report_id,
            &ReportTransition {
                action: ReportAction::Void,
                reason: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(422));
    let e = ent
        .transition_report(
            report_id,
            &ReportTransition {
                action: ReportAction::Archive,
                reason: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(403));
    let archived = staff
        .transition_report(
            report_id,
            &ReportTransition {
                action: ReportAction::Archive,
                reason: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(archived.state, ReportState::Archived);
    let e = staff
        .transition_report(
            report_id,
            &ReportTransition {
                action: ReportAction::Void,
                reason: Some("错误".to_owned()),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(409));
    // Year filter: this year by default, none in an empty year, all with 0.
    let this_year = ent.reports(&ReportQuery::default()).await.unwrap();
    assert_eq!(this_year.total, 1);
    let old = ent
        .reports(&ReportQuery {
            year: Some(2001),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(old.total, 0);
    let all = ent
        .reports(&ReportQuery {
            year: Some(0),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.total, 1);
    let by_state = ent
        .reports(&ReportQuery {
            state: Some(ReportState::Drafting),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_state.total, 0);
}
both!(report_workflow_rules);

async fn isolation(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let other = app.login("demo-ent-2").await;
    let bureau = app.login("demo-bureau").await;
    let staff = app.login("demo-institute").await;
    let report_id = issued_report(&app, &ent, &staff, 0).await;
    staff.mark_report_paid(report_id).await.unwrap();
    let notice = staff
        .issue_notice(
            report_id,
            &NewNotice {
                problems: vec![NoticeProblem {
                    description: "层门门锁啮合长度不足".to_owned(),
                    requirement: "调整门锁".to_owned(),
                }],
                deadline: None,
            },
        )
        .await
        .unwrap();
    let apps = ent
        .applications(&ApplicationQuery::default())
        .await
        .unwrap();
    let app_id = apps.items[0].id;
    for e in [
        other.application(app_id).await.unwrap_err(),
        other.report(report_id).await.map(|_| ()).unwrap_err(),
        other
            .download_report(report_id)
            .await
            .map(|_| ())
            .unwrap_err(),
        other.notice_pdf(notice.id).await.map(|_| ()).unwrap_err(),
        other
            .notice_feedback(
                notice.id,
                &NoticeFeedback {
                    statement: "x".to_owned(),
                    attachment_ids: vec!["f_x".to_owned()],
                },
            )
            .await
            .map(|_| ())
            .unwrap_err(),
        bureau.application(app_id).await.unwrap_err(),
    ] {
        assert_eq!(e.status(), Some(404), "{e}");
    }
    assert_eq!(
        other
            .applications(&ApplicationQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        other
            .reports(&ReportQuery {
                year: Some(0),
                ..Default::default()
            })
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        other.notices(&NoticeQuery::default()).await.unwrap().total,
        0
    );
    // The owner can.
    assert!(ent.download_report(report_id).await.is_ok());
    assert!(ent.notice_pdf(notice.id).await.is_ok());
}
both!(isolation);

async fn notices_and_rectification(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let staff = app.login("demo-institute").await;
    let report_id = issued_report(&app, &ent, &staff, 0).await;
    let e = staff
        .issue_notice(
            report_id,
            &NewNotice {
                problems: vec![],
                deadline: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(422));
    let e = staff
        .issue_notice(
            report_id,
            &NewNotice {
                problems: vec![NoticeProblem {
                    description: "a".to_owned(),
                    requirement: "b".to_owned(),
                }],
                deadline: Some(today() - Duration::days(1)),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e), (Some(422), "deadline_in_past".to_owned()));
    let notice = staff
        .issue_notice(
            report_id,
            &NewNotice {
                problems: vec![NoticeProblem {
                    description: "轿厢应急照明不能正常工作".to_owned(),
                    requirement: "更换应急电源".to_owned(),
                }],
                deadline: None,
            },
        )
        .await
        .unwrap();
    assert!(notice.notice_no.starts_with("TZ"));
    assert_eq!(notice.deadline, today() + Duration::days(30));
    assert_eq!(notice.state, NoticeState::Open);
    let text = pdf_text(&ent.notice_pdf(notice.id).await.unwrap());
    assert!(text.contains(&notice.notice_no), "{text}");
    assert!(text.contains("应急照明"), "{text}");

    // Overdue once the deadline passes.
    let row = opinion_notice::Entity::find_by_id(notice.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut a = row.into_active_model();
    a.deadline = Set(today() - Duration::days(1));
    a.update(&app.db).await.unwrap();
    let overdue = ent
        .notices(&NoticeQuery {
            overdue: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(overdue.total, 1);
    assert!(overdue.items[0].overdue);

    // Feedback, return, feedback again, confirm.
    let file = ent.upload_file("整改照片.pdf", PDF.to_vec()).await.unwrap();
    let sent = ent
        .notice_feedback(
            notice.id,
            &NoticeFeedback {
                statement: "已更换应急电源".to_owned(),
                attachment_ids: vec![file.id.clone()],
            },
        )
        .await
        .unwrap();
    assert_eq!(sent.state, NoticeState::Submitted);
    assert!(!sent.overdue);
    assert_eq!(sent.feedback_files.len(), 1);
    let e = ent
        .notice_feedback(
            notice.id,
            &NoticeFeedback {
                statement: "再次".to_owned(),
                attachment_ids: vec![file.id.clone()],
            },
        )
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e), (Some(409), "notice_not_open".to_owned()));
    let e = staff
        .review_notice(notice.id, false, &NoticeReview { comment: None })
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(422));
    let returned = staff
        .review_notice(
            notice.id,
            false,
            &NoticeReview {
                comment: Some("请补充照片".to_owned()),
            },
        )
        .await
        .unwrap();
    assert_eq!(returned.state, NoticeState::Returned);
    ent.notice_feedback(
        notice.id,
        &NoticeFeedback {
            statement: "补充照片".to_owned(),
            attachment_ids: vec![file.id],
        },
    )
    .await
    .unwrap();
    let confirmed = staff
        .review_notice(notice.id, true, &NoticeReview { comment: None })
        .await
        .unwrap();
    assert_eq!(confirmed.state, NoticeState::Confirmed);
    let e = staff
        .review_notice(notice.id, true, &NoticeReview { comment: None })
        .await
        .unwrap_err();
    assert_eq!(
        problem_code(&e),
        (Some(409), "notice_not_submitted".to_owned())
    );
    let e = ent
        .review_notice(notice.id, true, &NoticeReview { comment: None })
        .await
        .unwrap_err();
    assert_eq!(problem_code(&e).0, Some(403));
}
both!(notices_and_rectification);

/// A sender that counts deliveries per message id and can be told to fail.
#[derive(Debug, Default)]
struct Counting {
    sent: Mutex<Vec<i64>>,
    fail: bool,
    calls: AtomicU32,
}

impl SmsSender for Counting {
    fn send<'a>(
        &'a self,
        message_id: i64,
        _recipient: &'a str,
        _body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            // Give the other worker a chance to race.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            if self.fail {
                return Err(SendError("gateway down".to_owned()));
            }
            self.sent.lock().unwrap().push(message_id);
            Ok(())
        })
    }
}

async fn outbox_delivers_once(app: TestApp) {
    for n in 0..12 {
        outbox::enqueue_sms(
            &app.db,
            outbox::Message {
                recipient: "13957200001".to_owned(),
                kind: "test",
                body: format!("message {n}"),
                dedupe_key: format!("test:{n}"),
            },
        )
        .await
        .unwrap();
    }
    // The same event twice queues one message.
    outbox::enqueue_sms(
        &app.db,
        outbox::Message {
            recipient: "13957200001".to_owned(),
            kind: "test",
            body: "dup".to_owned(),
            dedupe_key: "test:0".to_owned(),
        },
    )
    .await
    .unwrap();
    let sender = Counting::default();
    let (a, b) = tokio::join!(
        outbox::run_once(&app.db, &sender, "worker-a", 50),
        outbox::run_once(&app.db, &sender, "worker-b", 50),
    );
    let total = a.unwrap().sent + b.unwrap().sent;
    assert_eq!(total, 12);
    let mut sent = sender.sent.lock().unwrap().clone();
    sent.sort_unstable();
    let before = sent.len();
    sent.dedup();
    assert_eq!((before, sent.len()), (12, 12), "each message exactly once");
    let rows = outbox_message::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|m| m.state == "sent" && m.attempts == 1));
    // Nothing left: another pass sends nothing.
    assert_eq!(
        outbox::run_once(&app.db, &sender, "worker-a", 50)
            .await
            .unwrap()
            .sent,
        0
    );

    // A failing gateway: retried later with back-off, not sent.
    outbox::enqueue_sms(
        &app.db,
        outbox::Message {
            recipient: "13957200001".to_owned(),
            kind: "test",
            body: "retry".to_owned(),
            dedupe_key: "test:retry".to_owned(),
        },
    )
    .await
    .unwrap();
    let failing = Counting {
        fail: true,
        ..Default::default()
    };
    let pass = outbox::run_once(&app.db, &failing, "worker-a", 50)
        .await
        .unwrap();
    assert_eq!(pass.retried, 1);
    let row = outbox_message::Entity::find()
        .filter(outbox_message::Column::DedupeKey.eq("test:retry"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("pending", 1));
    assert!(row.next_attempt_at > OffsetDateTime::now_utc() + Duration::seconds(20));
    assert_eq!(row.last_error.as_deref(), Some("gateway down"));
    // Not due yet: the next pass leaves it alone.
    assert_eq!(
        outbox::run_once(&app.db, &failing, "worker-a", 50)
            .await
            .unwrap(),
        outbox::Pass::default()
    );
}
both!(outbox_delivers_once);

async fn fees_and_verification_limits(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let estimate = ent
        .estimate_fee(
            &serde_json::json!({"variety": "1100", "params": {"rated_evaporation_t_h": "4"}}),
        )
        .await
        .unwrap();
    assert_eq!(estimate["label"], "参考费用");
    assert!(estimate["note"].as_str().unwrap().contains("缴款通知书"));
    let request: tejian_domain::fee::FeeRequest = serde_json::from_value(
        serde_json::json!({"variety": "1100", "params": {"rated_evaporation_t_h": "4"}}),
    )
    .unwrap();
    let book = tejian_domain::fee::TariffBook::bundled().unwrap();
    let local = book
        .select("330500", today())
        .unwrap()
        .estimate(&request)
        .unwrap();
    assert_eq!(
        estimate["total"],
        local.total.to_string(),
        "the API and the domain agree"
    );
    let tariff: serde_json::Value = ent.get_json("/fees/tariff", &()).await.unwrap();
    assert!(tariff["tariffs"].is_array());
    let e = ent
        .estimate_fee(&serde_json::json!({"variety": "9999"}))
        .await
        .unwrap_err();
    assert!(matches!(problem_code(&e).0, Some(400 | 422)), "{e}");

    // Public verification is rate-limited per address.
    let mut limited = false;
    for _ in 0..25 {
        match app.client.verify_report("DT2026-000001", "ABCDEFGH").await {
            Ok(v) => assert!(!v.genuine),
            Err(e) => {
                assert_eq!(problem_code(&e), (Some(429), "rate_limited".to_owned()));
                limited = true;
                break;
            }
        }
    }
    assert!(limited);
}
both!(fees_and_verification_limits);
