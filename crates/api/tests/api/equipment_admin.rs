//! The institute creates and edits equipment; the domain rules check every field.

use serde_json::json;
use tejian_contract::equipment::{EquipmentFields, NewEquipment};

use crate::both;
use crate::helpers::TestApp;

fn fields() -> EquipmentFields {
    EquipmentFields {
        variety_code: "3110".to_owned(),
        equipment_code: Some("31103310020200001".to_owned()),
        registration_code: Some("31103305022020010001".to_owned()),
        use_certificate_no: Some("梯11浙E00001(20)".to_owned()),
        internal_no: Some("1号梯".to_owned()),
        factory_no: Some("F2019001".to_owned()),
        model: Some("TKJ1000/1.75".to_owned()),
        manufacturer: Some("杭州西奥电梯有限公司".to_owned()),
        manufacture_date: Some(time::macros::date!(2019 - 06 - 01)),
        commissioning_date: Some(time::macros::date!(2020 - 01 - 15)),
        registration_date: Some(time::macros::date!(2020 - 01 - 20)),
        install_location: "主楼 东侧".to_owned(),
        district_code: "330502".to_owned(),
        use_status: None,
        registration_status: None,
        next_inspection_date: Some(time::macros::date!(2027 - 01 - 31)),
        params: json!({ "floors": 12, "rated_speed_m_s": "1.75", "rated_load_kg": 1000, "machine_room": true }),
    }
}

async fn institute_creates_and_edits(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-1").await;
    let enterprise_id = ent.me().await.unwrap().enterprise.unwrap().id;
    let request = NewEquipment {
        enterprise_id,
        fields: fields(),
    };
    // Enterprises cannot create equipment.
    let e = ent
        .post_json::<_, serde_json::Value>("/equipment", &request)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));

    let saved: tejian_contract::equipment::EquipmentSaved =
        staff.post_json("/equipment", &request).await.unwrap();
    assert!(saved.warnings.is_empty());
    let id = saved.equipment.summary.id;
    assert_eq!(saved.equipment.summary.category_code, "3000");
    let labels: Vec<&str> = saved
        .equipment
        .param_lines
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert!(labels.contains(&"层站数"), "{labels:?}");
    // The enterprise sees it in its register.
    assert_eq!(
        ent.equipment_by_id(id)
            .await
            .unwrap()
            .summary
            .internal_no
            .as_deref(),
        Some("1号梯")
    );

    // A legacy certificate number is kept, with a warning.
    let mut legacy = fields();
    legacy.use_certificate_no = Some("湖质监梯字 2003-118".to_owned());
    let saved: tejian_contract::equipment::EquipmentSaved = staff
        .put_json(&format!("/equipment/{id}"), &legacy)
        .await
        .unwrap();
    assert_eq!(
        saved.equipment.summary.use_certificate_no.as_deref(),
        Some("湖质监梯字 2003-118")
    );
    assert_eq!(saved.warnings[0].pointer, "/use_certificate_no");

    // Every bad field is reported at once, and nothing changes.
    let mut bad = fields();
    bad.variety_code = "3110".to_owned();
    bad.registration_code = Some("31103305022020130001".to_owned());
    bad.equipment_code = Some("XYZ".to_owned());
    bad.install_location = " ".to_owned();
    bad.params = json!({ "floors": 1000, "colour": "red" });
    let e = staff
        .put_json::<_, serde_json::Value>(&format!("/equipment/{id}"), &bad)
        .await
        .unwrap_err();
    let tejian_client::Error::Api(p) = e else {
        panic!()
    };
    assert_eq!(p.status, 422);
    let pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
    for expected in [
        "/registration_code",
        "/equipment_code",
        "/install_location",
        "/params/floors",
        "/params/colour",
    ] {
        assert!(
            pointers.contains(&expected),
            "{expected} missing from {pointers:?}"
        );
    }
    assert_eq!(
        ent.equipment_by_id(id)
            .await
            .unwrap()
            .summary
            .use_certificate_no
            .as_deref(),
        Some("湖质监梯字 2003-118")
    );
    // Unknown district, unknown enterprise.
    let mut nowhere = fields();
    nowhere.district_code = "110101".to_owned();
    let e = staff
        .put_json::<_, serde_json::Value>(&format!("/equipment/{id}"), &nowhere)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("validation_failed"));
    let orphan = NewEquipment {
        enterprise_id: 999_999,
        fields: fields(),
    };
    assert_eq!(
        staff
            .post_json::<_, serde_json::Value>("/equipment", &orphan)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
}
both!(institute_creates_and_edits);

async fn inspections_move_the_schedule(app: TestApp) {
    use tejian_contract::equipment::{EquipmentQuery, EquipmentView, NewInspection};
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-1").await;
    let enterprise_id = ent.me().await.unwrap().enterprise.unwrap().id;
    // A tower crane (yearly) commissioned in 2020.
    let mut crane = fields();
    crane.variety_code = "4310".to_owned();
    crane.equipment_code = Some("43103310020200002".to_owned());
    crane.registration_code = Some("43103305022020010002".to_owned());
    crane.use_certificate_no = Some("起31浙E00002(20)".to_owned());
    crane.params = json!({ "rated_capacity_t": 10 });
    crane.next_inspection_date = None;
    let saved: tejian_contract::equipment::EquipmentSaved = staff
        .post_json(
            "/equipment",
            &NewEquipment {
                enterprise_id,
                fields: crane,
            },
        )
        .await
        .unwrap();
    let id = saved.equipment.summary.id;
    let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
    let inspected = today - time::Duration::days(10);
    let record = |conclusion: &str| NewInspection {
        inspection_type: "periodic".to_owned(),
        inspection_date: inspected,
        conclusion: conclusion.to_owned(),
        inspector: "周明".to_owned(),
        report_no: Some("HZTJ-2026-T0001".to_owned()),
    };
    let path = format!("/equipment/{id}/inspections");
    // Enterprises cannot record inspections; unknown conclusions are refused.
    assert_eq!(
        ent.post_json::<_, serde_json::Value>(&path, &record("合格"))
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
    let e = staff
        .post_json::<_, serde_json::Value>(&path, &record("还行"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("validation_failed"));

    // A failed inspection: no new date, the crane is 不合格.
    let detail: tejian_contract::equipment::EquipmentDetail =
        staff.post_json(&path, &record("不合格")).await.unwrap();
    assert_eq!(detail.summary.next_inspection_date, None);
    assert_eq!(
        detail.summary.last_outcome.map(|o| o.as_str()),
        Some("fail")
    );
    let unqualified = ent
        .equipment_search(&EquipmentQuery {
            view: Some(EquipmentView::Unqualified),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(unqualified.items.iter().any(|e| e.id == id));
    // The passed re-inspection sets the next date a year on (tower cranes are yearly).
    let detail: tejian_contract::equipment::EquipmentDetail =
        staff.post_json(&path, &record("复检合格")).await.unwrap();
    let next = detail.summary.next_inspection_date.unwrap();
    assert_eq!(
        (next - inspected).whole_days() / 30,
        12,
        "about a year: {inspected} → {next}"
    );
    assert_eq!(detail.inspections.len(), 2);
    assert!(detail.inspections[0].is_reinspection);
    let unqualified = ent
        .equipment_search(&EquipmentQuery {
            view: Some(EquipmentView::Unqualified),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(unqualified.items.iter().all(|e| e.id != id));
}
both!(inspections_move_the_schedule);

/// Every demo row carries parameters and codes the domain accepts, so the demo shows typed
/// parameters everywhere and editing a demo row never fails on data the seed made.
#[tokio::test]
async fn demo_data_passes_the_domain_rules() {
    use sea_orm::EntityTrait;
    use tejian_api::seed::{self, SeedSize};
    use tejian_api::store::entity::equipment;
    use tejian_domain::equipment::params::EquipmentParams;
    let dir = std::env::temp_dir().join(format!("tejian-demo-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = tejian_api::config::Settings::for_database(
        &tejian_api::config::sqlite_url(&dir.join("d.db")),
        &dir,
    );
    let db = tejian_api::startup::prepare_database(&settings)
        .await
        .unwrap();
    let files = tejian_api::files::FileStore::local(&dir.join("files")).unwrap();
    let report = seed::seed(&db, &files, SeedSize::Demo).await.unwrap();
    assert!(
        report.enterprises >= 20 && report.equipment >= 1000,
        "{report:?}"
    );
    let rows = equipment::Entity::find().all(&db).await.unwrap();
    let mut categories = std::collections::BTreeSet::new();
    for row in &rows {
        categories.insert(row.category_code.clone());
        if let Err(p) = EquipmentParams::parse(&row.variety_code, &row.params) {
            panic!("{} {}: {p:?}", row.variety_code, row.params);
        }
        if let Some(code) = &row.registration_code {
            tejian_domain::registration_code::RegistrationCode::parse(code).unwrap();
        }
        if let Some(code) = &row.equipment_code {
            tejian_domain::equipment_code::EquipmentCode::parse(code).unwrap();
        }
        let cert = tejian_domain::use_certificate::UseCertificateNo::parse(
            row.use_certificate_no.as_deref().unwrap(),
        )
        .unwrap();
        assert!(cert.warnings().is_empty(), "{}", cert.as_str());
    }
    assert_eq!(categories.len(), 9, "{categories:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn bulk_import_all_or_nothing(app: TestApp) {
    use tejian_contract::equipment::EquipmentQuery;
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-2").await;
    let credit = {
        let me = ent.me().await.unwrap();
        me.enterprise.unwrap().credit_code
    };
    let token = staff.access_token();
    let http = app.http();
    let template = http
        .get(app.url("/api/v1/equipment/import-template?variety=3110"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let header = template
        .trim_start_matches('\u{feff}')
        .trim_end()
        .to_owned();
    assert!(
        header.starts_with("使用单位统一社会信用代码,品种代码,注册代码"),
        "{header}"
    );
    assert!(
        header.contains("层站数(层/站)") && header.contains("额定速度(m/s)"),
        "{header}"
    );
    let columns: Vec<&str> = header.split(',').collect();
    let row = |values: &[(&str, &str)]| {
        columns
            .iter()
            .map(|c| values.iter().find(|(k, _)| k == c).map_or("", |(_, v)| *v))
            .collect::<Vec<_>>()
            .join(",")
    };
    let good = [
        row(&[
            ("使用单位统一社会信用代码", &credit),
            ("品种代码", "3110"),
            ("注册代码", "31103305022021050101"),
            ("使用地点", "A 座"),
            ("辖区代码", "330502"),
            ("制造日期", "2020/05/01"),
            ("使用状态", "在用"),
            ("层站数(层/站)", "18"),
            ("额定速度(m/s)", "1.75"),
        ]),
        row(&[
            ("使用单位统一社会信用代码", &credit),
            ("品种代码", "3120"),
            ("设备代码", "31203310020210001"),
            ("使用地点", "B 座"),
            ("辖区代码", "330502"),
            ("下次检验日期", "2027-05-31"),
        ]),
    ];
    let post = |body: String, token: String| {
        let http = http.clone();
        let url = app.url("/api/v1/equipment/import?variety=3110");
        async move {
            http.post(url)
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let before = ent
        .equipment_search(&EquipmentQuery::default())
        .await
        .unwrap()
        .total;
    // One bad row among good ones: nothing is imported, every problem is named.
    let bad = row(&[
        ("使用单位统一社会信用代码", "91330000000000000X"),
        ("品种代码", "3110"),
        ("注册代码", "31103305022021130101"),
        ("使用地点", ""),
        ("辖区代码", "330502"),
        ("制造日期", "昨天"),
        ("层站数(层/站)", "999"),
    ]);
    let file = format!(
        "\u{feff}{header}\r\n{}\r\n{}\r\n{bad}\r\n",
        good[0], good[1]
    );
    let r = post(file, token.clone()).await;
    assert_eq!(r.status().as_u16(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    for expected in [
        "/rows/4/使用单位统一社会信用代码",
        "/rows/4/注册代码",
        "/rows/4/使用地点",
        "/rows/4/制造日期",
        "/rows/4/层站数(层/站)",
    ] {
        assert!(
            pointers.contains(&expected),
            "{expected} not in {pointers:?}"
        );
    }
    assert!(
        pointers.iter().all(|p| p.starts_with("/rows/4/")),
        "good rows have no problems: {pointers:?}"
    );
    assert_eq!(
        ent.equipment_search(&EquipmentQuery::default())
            .await
            .unwrap()
            .total,
        before
    );
    // Enterprises cannot import.
    let file = format!("{header}\r\n{}\r\n", good[0]);
    assert_eq!(
        post(file.clone(), ent.access_token())
            .await
            .status()
            .as_u16(),
        403
    );
    // The good rows go in together; importing them again is refused as duplicates.
    let file = format!("{header}\r\n{}\r\n{}\r\n", good[0], good[1]);
    let r = post(file.clone(), token.clone()).await;
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["imported"], 2);
    assert_eq!(
        ent.equipment_search(&EquipmentQuery::default())
            .await
            .unwrap()
            .total,
        before + 2
    );
    let r = post(file, token.clone()).await;
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "already_registered");
}
both!(bulk_import_all_or_nothing);
