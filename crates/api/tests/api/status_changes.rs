//! 附件 and 设备使用状态变更: upload checks, submission rules, the bureau's decision, isolation.

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tejian_api::store::entity::{audit_log, equipment, status_change};
use tejian_client::AuthedClient;
use tejian_contract::status_change::{NewStatusChange, StatusChangeQuery};
use tejian_domain::status_change::{ChangeKind, ChangeState};
use time::{Duration, OffsetDateTime};

use crate::both;
use crate::helpers::TestApp;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn today() -> time::Date {
    (OffsetDateTime::now_utc() + Duration::hours(8)).date()
}

/// An in-use piece of the user's equipment, with a valid inspection and no change pending.
async fn free_equipment(app: &TestApp, who: &AuthedClient) -> equipment::Model {
    let enterprise_id = who.me().await.unwrap().enterprise.unwrap().id;
    let pending: Vec<i64> = status_change::Entity::find()
        .filter(status_change::Column::State.eq("submitted"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.equipment_id)
        .collect();
    equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .filter(equipment::Column::Id.is_not_in(pending))
        .order_by_asc(equipment::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

fn request(kind: ChangeKind, attachment: &str) -> NewStatusChange {
    NewStatusChange {
        kind,
        reason: "车间停产检修".to_owned(),
        effective_date: today(),
        new_location: None,
        attachment_ids: vec![attachment.to_owned()],
    }
}

async fn uploads_are_checked_and_private(app: TestApp) {
    let ent1 = app.login("demo-ent-1").await;
    let ent2 = app.login("demo-ent-2").await;
    let file = ent1
        .upload_file("停用登记表.pdf", PDF.to_vec())
        .await
        .unwrap();
    assert_eq!(
        (file.content_type.as_str(), file.size),
        ("application/pdf", PDF.len() as u64)
    );
    assert_eq!(file.file_name, "停用登记表.pdf");
    // The type comes from the bytes, not the name.
    let e = ent1
        .upload_file("looks.pdf", b"<html><script>".to_vec())
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(422), Some("validation_failed"))
    );
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    assert_eq!(p.errors[0].code, "unsupported_file_type");
    let e = ent1.upload_file("empty.pdf", Vec::new()).await.unwrap_err();
    assert_eq!(e.status(), Some(422));
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let e = ent1.upload_file("big.pdf", big).await.unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(413), Some("payload_too_large"))
    );
    // Only the owner's enterprise reads it back, as an attachment.
    assert_eq!(ent1.download_file(&file.id).await.unwrap(), PDF);
    let r = app
        .http()
        .get(app.url(&format!("/api/v1/files/{}", file.id)))
        .bearer_auth(ent1.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(
        ent2.download_file(&file.id).await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(
        ent2.download_file("f_does_not_exist")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}
both!(uploads_are_checked_and_private);

async fn stop_approved_by_the_bureau(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let bureau = app.login("demo-bureau").await;
    let eq = free_equipment(&app, &ent).await;
    let file = ent.upload_file("登记表.pdf", PDF.to_vec()).await.unwrap();
    let change = ent
        .submit_status_change(eq.id, &request(ChangeKind::Stop, &file.id), Some("key-1"))
        .await
        .unwrap();
    assert_eq!(
        (change.state, change.kind_name.as_str()),
        (ChangeState::Submitted, "停用")
    );
    assert_eq!(change.attachments[0].id, file.id);
    // The same Idempotency-Key returns the same change, not a second one.
    let again = ent
        .submit_status_change(eq.id, &request(ChangeKind::Stop, &file.id), Some("key-1"))
        .await
        .unwrap();
    assert_eq!(again.id, change.id);
    // A second pending change for the same equipment is refused.
    let e = ent
        .submit_status_change(eq.id, &request(ChangeKind::Scrap, &file.id), None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(409), Some("status_change_pending"))
    );

    // The bureau sees it in its queue and can read the attachment.
    let queue = bureau
        .status_changes(&StatusChangeQuery {
            state: Some(ChangeState::Submitted),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(queue.items.iter().any(|c| c.id == change.id));
    assert!(queue.items.iter().all(|c| c.district_code == "330502"));
    assert_eq!(bureau.download_file(&file.id).await.unwrap(), PDF);
    // Only a bureau decides; the enterprise cannot approve its own request.
    assert_eq!(
        ent.approve_status_change(change.id, None)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    // A body that is there but is not a decision is refused, not read as no body (found by
    // schemathesis: `[1, 2]` approved the change).
    for (content_type, body) in [("application/json", "[1, 2]"), ("text/plain", "同意")] {
        let r = app
            .http()
            .post(app.url(&format!("/api/v1/status-changes/{}/approve", change.id)))
            .bearer_auth(bureau.access_token())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            [400, 422].contains(&r.status().as_u16()),
            "{body}: {}",
            r.status()
        );
    }
    let approved = bureau
        .approve_status_change(change.id, Some("同意停用"))
        .await
        .unwrap();
    assert_eq!(approved.state, ChangeState::Approved);
    assert_eq!(approved.reviewer_name.as_deref(), Some("吴兴分局 李科长"));
    let e = bureau
        .reject_status_change(change.id, "再议")
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(409), Some("change_already_decided"))
    );

    // The equipment is stopped now, and the history says who did what.
    let detail = ent.equipment_by_id(eq.id).await.unwrap();
    assert_eq!(detail.summary.use_status.as_str(), "stopped");
    assert_eq!(detail.summary.status_changed_on, Some(today()));
    let history = ent.status_change_history(eq.id).await.unwrap();
    assert_eq!(history[0].id, change.id);
    assert_eq!(history[0].opinion.as_deref(), Some("同意停用"));
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.is_in([
            "status_change_submitted",
            "status_change_approved",
            "equipment_status_changed",
        ]))
        .filter(audit_log::Column::EntityId.is_in([change.id.to_string(), eq.id.to_string()]))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 3);

    // Resuming needs a valid inspection: lapse it and try.
    equipment::Entity::update_many()
        .col_expr(
            equipment::Column::NextInspectionDate,
            Expr::value(today() - Duration::days(1)),
        )
        .filter(equipment::Column::Id.eq(eq.id))
        .exec(&app.db)
        .await
        .unwrap();
    let e = ent
        .submit_status_change(eq.id, &request(ChangeKind::Resume, &file.id), None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(409), Some("inspection_lapsed"))
    );
}
both!(stop_approved_by_the_bureau);

async fn refusals_and_rejection(app: TestApp) {
    let ent1 = app.login("demo-ent-1").await;
    let ent2 = app.login("demo-ent-2").await;
    let bureau = app.login("demo-bureau").await;
    let eq = free_equipment(&app, &ent1).await;
    let mine = ent1.upload_file("a.pdf", PDF.to_vec()).await.unwrap();
    let theirs = ent2.upload_file("b.pdf", PDF.to_vec()).await.unwrap();
    // Another enterprise's attachment, no attachment, a wrong state, a date out of range.
    let e = ent1
        .submit_status_change(eq.id, &request(ChangeKind::Stop, &theirs.id), None)
        .await
        .unwrap_err();
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    assert_eq!(
        (p.status, p.errors[0].code.as_str()),
        (422, "invalid_attachment")
    );
    let mut none = request(ChangeKind::Stop, &mine.id);
    none.attachment_ids.clear();
    assert_eq!(
        ent1.submit_status_change(eq.id, &none, None)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    let e = ent1
        .submit_status_change(eq.id, &request(ChangeKind::Resume, &mine.id), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("invalid_transition"));
    let mut late = request(ChangeKind::Stop, &mine.id);
    late.effective_date = today() + Duration::days(200);
    assert_eq!(
        ent1.submit_status_change(eq.id, &late, None)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    let mut relocate = request(ChangeKind::Relocate, &mine.id);
    assert_eq!(
        ent1.submit_status_change(eq.id, &relocate, None)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    // Another enterprise can neither submit for, nor read, this equipment's changes.
    let e = ent2
        .submit_status_change(eq.id, &request(ChangeKind::Stop, &theirs.id), None)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert_eq!(
        ent2.status_change_history(eq.id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    // Staff cannot submit on an enterprise's behalf.
    let staff = app.login("demo-institute").await;
    assert_eq!(
        staff
            .submit_status_change(eq.id, &request(ChangeKind::Stop, &mine.id), None)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );

    // 移装 with a new location, rejected: the equipment does not move.
    relocate.new_location = Some("新厂区 3 号楼".to_owned());
    let change = ent1
        .submit_status_change(eq.id, &relocate, None)
        .await
        .unwrap();
    assert_eq!(
        ent2.status_changes(&StatusChangeQuery::default())
            .await
            .unwrap()
            .items
            .iter()
            .filter(|c| c.id == change.id)
            .count(),
        0
    );
    let e = bureau
        .reject_status_change(change.id, "  ")
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422), "a rejection needs an opinion");
    let rejected = bureau
        .reject_status_change(change.id, "请补充移装后的检验报告")
        .await
        .unwrap();
    assert_eq!(rejected.state, ChangeState::Rejected);
    assert_eq!(
        ent1.equipment_by_id(eq.id)
            .await
            .unwrap()
            .summary
            .install_location,
        eq.install_location
    );
    // Approving a relocation moves the equipment.
    let change = ent1
        .submit_status_change(eq.id, &relocate, None)
        .await
        .unwrap();
    bureau.approve_status_change(change.id, None).await.unwrap();
    assert_eq!(
        ent1.equipment_by_id(eq.id)
            .await
            .unwrap()
            .summary
            .install_location,
        "新厂区 3 号楼"
    );
    // Scrap, approve, and nothing more can change.
    let scrap = ent1
        .submit_status_change(eq.id, &request(ChangeKind::Scrap, &mine.id), None)
        .await
        .unwrap();
    bureau.approve_status_change(scrap.id, None).await.unwrap();
    let detail = ent1.equipment_by_id(eq.id).await.unwrap();
    assert_eq!(detail.summary.registration_status.as_str(), "cancelled");
    let e = ent1
        .submit_status_change(eq.id, &request(ChangeKind::Stop, &mine.id), None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(409), Some("equipment_cancelled"))
    );
}
both!(refusals_and_rejection);

async fn bureau_sees_only_its_district(app: TestApp) {
    let bureau = app.login("demo-bureau").await;
    // Move one seeded change to 南浔区: the 吴兴 bureau no longer sees or decides it.
    let pending = status_change::Entity::find()
        .filter(status_change::Column::State.eq("submitted"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    status_change::Entity::update_many()
        .col_expr(status_change::Column::DistrictCode, Expr::value("330503"))
        .filter(status_change::Column::Id.eq(pending.id))
        .exec(&app.db)
        .await
        .unwrap();
    let queue = bureau
        .status_changes(&StatusChangeQuery::default())
        .await
        .unwrap();
    assert!(
        queue
            .items
            .iter()
            .all(|c| c.id != pending.id && c.district_code == "330502")
    );
    assert_eq!(
        bureau
            .approve_status_change(pending.id, None)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    let staff = app.login("demo-institute").await;
    let all = staff
        .status_changes(&StatusChangeQuery::default())
        .await
        .unwrap();
    assert!(all.items.iter().any(|c| c.id == pending.id));
    // The seeded history has one change in each state.
    let states: std::collections::BTreeSet<_> =
        all.items.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(
        states.into_iter().collect::<Vec<_>>(),
        ["approved", "rejected", "submitted"]
    );
    let r = app
        .http()
        .get(app.url("/api/v1/status-changes"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
both!(bureau_sees_only_its_district);

async fn timeline_shows_change_requests(app: TestApp) {
    let ent = app.login("demo-ent-1").await;
    let eq = free_equipment(&app, &ent).await;
    let file = ent.upload_file("a.pdf", PDF.to_vec()).await.unwrap();
    ent.submit_status_change(eq.id, &request(ChangeKind::Stop, &file.id), None)
        .await
        .unwrap();
    let timeline = ent.equipment_timeline(eq.id).await.unwrap();
    let change = timeline
        .iter()
        .find(|e| e.kind == "change_requested")
        .unwrap();
    assert_eq!(change.title, "申请停用");
    assert!(change.detail.as_deref().unwrap().contains("待审批"));
}
both!(timeline_shows_change_requests);

async fn another_enterprise_cannot_read_a_change(app: TestApp) {
    let ent1 = app.login("demo-ent-1").await;
    let ent2 = app.login("demo-ent-2").await;
    let mine = ent1
        .status_changes(&StatusChangeQuery::default())
        .await
        .unwrap();
    assert_eq!(mine.total, 3, "the seeded changes belong to demo-ent-1");
    assert_eq!(
        ent2.status_changes(&StatusChangeQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    for change in &mine.items {
        let r: Result<serde_json::Value, _> = ent2
            .get_json(&format!("/status-changes/{}", change.id), &())
            .await;
        assert_eq!(r.unwrap_err().status(), Some(404));
        for file in &change.attachments {
            assert_eq!(
                ent2.download_file(&file.id).await.unwrap_err().status(),
                Some(404)
            );
        }
        assert_eq!(
            ent2.status_change_history(change.equipment_id)
                .await
                .unwrap_err()
                .status(),
            Some(404)
        );
        let own: serde_json::Value = ent1
            .get_json(&format!("/status-changes/{}", change.id), &())
            .await
            .unwrap();
        assert_eq!(own["id"], change.id);
    }
}
both!(another_enterprise_cannot_read_a_change);
