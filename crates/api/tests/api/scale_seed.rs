//! The scale data generator (`tejian seed --scale`) at a tiny size: counts, determinism, valid
//! codes, and lists with rows.

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::Value;
use tejian_api::seed::scale::{
    BENCH_ENTERPRISE_USER, BENCH_INSTITUTE_USER, MARKER_ACTION, ScaleCounts, marker, seed_scale,
};
use tejian_domain::payment::PaymentNoticeNo;
use tejian_domain::{CreditCode, EquipmentCode, RegistrationCode};

use crate::helpers::{Backend, TestApp, spawn_app_unseeded};

const COUNTS: ScaleCounts = ScaleCounts::TEST;

async fn seeded(backend: Backend, seed: u64) -> TestApp {
    let app = spawn_app_unseeded(backend).await;
    let report = seed_scale(&app.services, "test", COUNTS, seed)
        .await
        .unwrap();
    assert_eq!(report.rows("enterprise"), 40);
    assert_eq!(report.rows("equipment"), 600);
    assert!(report.rows("inspection") >= 600);
    assert!(report.lines().len() > 5);
    app
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    tejian_api::seed::scale::scalar_i64(db, sql).await.unwrap()
}

/// Every row that matters, as text, for comparing two runs.
async fn fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let mut all = Vec::new();
    for sql in [
        "SELECT name || '|' || credit_code || '|' || district_code FROM enterprise ORDER BY id",
        "SELECT CAST(enterprise_id AS TEXT) || '|' || variety_code || '|' || \
         COALESCE(registration_code, '-') || '|' || use_status || '|' || \
         CAST(next_inspection_date AS TEXT) FROM equipment ORDER BY id",
        "SELECT CAST(equipment_id AS TEXT) || '|' || CAST(inspection_date AS TEXT) || '|' || outcome \
         FROM inspection ORDER BY id",
        "SELECT serial_no FROM inspection_application ORDER BY id",
        "SELECT report_no || '|' || state || '|' || verification_code FROM report ORDER BY id",
        "SELECT notice_no || '|' || state FROM payment_notice ORDER BY id",
        "SELECT subject || '|' || state || '|' || bureau_code FROM conversation ORDER BY id",
    ] {
        all.extend(strings(db, sql).await);
    }
    all
}

async fn scale_data_is_valid_and_deterministic(backend: Backend) {
    let app = seeded(backend, 7).await;
    let db = &app.db;

    // The benchmark enterprise and its accounts.
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM equipment WHERE enterprise_id = 1").await,
        120
    );
    let most = count(
        db,
        "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM equipment WHERE enterprise_id <> 1 \
         GROUP BY enterprise_id) t",
    )
    .await;
    assert!(most < 120, "another enterprise has {most} pieces");
    assert_eq!(
        strings(
            db,
            &format!("SELECT entity_id FROM audit_log WHERE action = '{MARKER_ACTION}'")
        )
        .await,
        vec![marker("test", 7)]
    );
    for table in [
        "inspection_application",
        "application_item",
        "report",
        "payment_notice",
        "payment_notice_item",
        "conversation",
        "conversation_message",
    ] {
        assert!(
            count(db, &format!("SELECT COUNT(*) FROM {table}")).await > 0,
            "{table} is empty"
        );
    }
    // Several years of inspections for older equipment.
    assert!(
        count(
            db,
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM inspection GROUP BY equipment_id) t"
        )
        .await
            >= 3
    );

    // Codes parse with the domain's own rules.
    for code in strings(db, "SELECT credit_code FROM enterprise").await {
        CreditCode::parse(&code).unwrap_or_else(|e| panic!("{code}: {e}"));
    }
    for code in strings(
        db,
        "SELECT registration_code FROM equipment WHERE registration_code IS NOT NULL",
    )
    .await
    {
        RegistrationCode::parse(&code).unwrap_or_else(|e| panic!("{code}: {e}"));
    }
    for code in strings(db, "SELECT equipment_code FROM equipment").await {
        EquipmentCode::parse(&code).unwrap_or_else(|e| panic!("{code}: {e}"));
    }
    for no in strings(db, "SELECT notice_no FROM payment_notice").await {
        PaymentNoticeNo::parse(&no).unwrap_or_else(|e| panic!("{no}: {e}"));
    }

    // The lists have rows, for the benchmark enterprise and for the institute.
    let ent = app.login(BENCH_ENTERPRISE_USER).await;
    let staff = app.login(BENCH_INSTITUTE_USER).await;
    for view in ["overdue", "expiring", "unqualified", "inactive"] {
        let page: Value = staff
            .get_json("/equipment", &[("view", view)])
            .await
            .unwrap();
        assert!(page["total"].as_u64().unwrap() > 0, "institute {view}");
    }
    for view in ["overdue", "expiring", "inactive"] {
        let page: Value = ent.get_json("/equipment", &[("view", view)]).await.unwrap();
        assert!(page["total"].as_u64().unwrap() > 0, "enterprise {view}");
    }
    let all: Value = ent
        .get_json("/equipment", &[("per_page", "1")])
        .await
        .unwrap();
    assert_eq!(all["total"], 120);
    // Its issued reports have stored PDFs: the download works.
    let id = count(
        db,
        "SELECT MIN(id) FROM report WHERE enterprise_id = 1 AND pdf_key IS NOT NULL",
    )
    .await;
    let response = ent
        .anonymous()
        .request(reqwest::Method::GET, &format!("/reports/{id}/download"))
        .bearer_auth(ent.access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Same seed, same rows; another seed, other rows.
    let again = seeded(backend, 7).await;
    let first = fingerprint(db).await;
    assert!(first.len() > 1_000);
    assert_eq!(first, fingerprint(&again.db).await);
    let other = seeded(backend, 8).await;
    assert_ne!(first, fingerprint(&other.db).await);

    // A database with data is refused.
    assert!(seed_scale(&app.services, "test", COUNTS, 7).await.is_err());
}

#[tokio::test]
async fn sqlite() {
    scale_data_is_valid_and_deterministic(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    scale_data_is_valid_and_deterministic(Backend::Postgres).await;
}
