//! The harness, not the figures: a short run against an in-process server on a tiny data set
//! must produce a well-formed table with every scenario, requests that succeed, the raw SQL side
//! for reads, and (on PostgreSQL) query plans.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database};
use tejian_api::config::Settings;
use tejian_api::seed::scale::{
    BENCH_ENTERPRISE_USER, BENCH_INSTITUTE_USER, ScaleCounts, seed_scale,
};
use tejian_api::startup::Application;
use tejian_bench::report::{self, HEADER};
use tejian_bench::{Options, Target};

fn temp_dir() -> std::path::PathBuf {
    let mut bytes = [0u8; 6];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .unwrap();
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("tejian-bench-test-{suffix}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn check(url: String, dir: std::path::PathBuf, postgres: bool) {
    let settings = Settings::for_database(&url, &dir);
    let app = Application::build(settings).await.unwrap();
    let services = app.services();
    seed_scale(&services, "test", ScaleCounts::TEST, 3)
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    let target = Target {
        base,
        db,
        server_pid: Some(std::process::id()),
        ent_user: BENCH_ENTERPRISE_USER.to_owned(),
        staff_user: BENCH_INSTITUTE_USER.to_owned(),
        password: tejian_api::seed::DEMO_PASSWORD.to_owned(),
    };
    let options = Options {
        duration: Duration::from_millis(150),
        clients: vec![1, 4],
        progress: false,
    };
    let results = tejian_bench::run(&target, &options).await.unwrap();

    // 14 scenarios for the enterprise user, 12 for staff (no application submit, no export),
    // two levels.
    assert_eq!(results.measurements.len(), (14 + 12) * 2);
    let table = report::table(&results);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2 + results.measurements.len());
    assert!(lines[0].contains("API/SQL p95"));
    for line in &lines {
        assert_eq!(line.matches('|').count(), HEADER.len() + 1, "{line}");
    }
    for m in &results.measurements {
        assert!(
            m.api.requests > 0,
            "{} / {:?}: {:?}",
            m.scenario,
            m.who,
            m.api
        );
        assert_eq!(
            m.api.errors, 0,
            "{} / {:?}: {:?}",
            m.scenario, m.who, m.api.first_error
        );
        assert!(m.api.p50_ms > 0.0 && m.api.p50_ms <= m.api.p99_ms);
        assert!(m.rss_kb.is_some());
        let read = !["费用估算", "登录", "报检申请提交"].contains(&m.scenario.as_str());
        assert_eq!(m.raw.is_some(), read, "{}", m.scenario);
        if let Some(raw) = &m.raw {
            assert!(
                raw.requests > 0 && raw.errors == 0,
                "{}: {raw:?}",
                m.scenario
            );
            assert!(m.ratio().is_some());
        }
    }
    // What the submit scenario wrote is gone again.
    let left = tejian_api::seed::scale::scalar_i64(
        &target.db,
        "SELECT COUNT(*) FROM inspection_application WHERE contact_name = '基准 联系人'",
    )
    .await
    .unwrap();
    assert_eq!(left, 0);
    if postgres {
        // Every list, the overview, the archive and the report list of the enterprise user.
        assert!(results.plans.len() >= 14, "{}", results.plans.len());
        assert!(results.plans.iter().all(|p| p.plan.contains("cost=")));
        assert!(report::plans(&results).lines().count() >= 14);
    } else {
        assert!(results.plans.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn harness_on_sqlite() {
    let dir = temp_dir();
    let url = tejian_api::config::sqlite_url(&dir.join("bench.db"));
    check(url, dir, false).await;
}

#[tokio::test]
async fn harness_on_postgres() {
    let admin_url = std::env::var("TEJIAN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let dir = temp_dir();
    let name = format!(
        "tejian_bench_t_{}",
        dir.file_name()
            .unwrap()
            .to_string_lossy()
            .rsplit('-')
            .next()
            .unwrap()
    );
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    check(url, dir, true).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}
