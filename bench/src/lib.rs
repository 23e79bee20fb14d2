//! tejian's benchmark harness (issue 7): drives a running server from this process over
//! loopback with 1, 8 and 64 concurrent clients per scenario, fetches the same result sets by
//! raw SQL through the same database, samples the server's RSS, checks query plans, and renders
//! the results. `cargo xtask bench` (src/main.rs) prepares the database and the release server;
//! the tests run this library against an in-process server and a tiny data set.

pub mod load;
pub mod report;
pub mod scenarios;
pub mod stats;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Value};
use serde_json::json;

use crate::load::{RssSampler, drive};
use crate::scenarios::{Context, Sql, Who, max_application_id, remove_applications, scenarios};
use crate::stats::Summary;

/// The server and database under test.
pub struct Target {
    /// e.g. `http://127.0.0.1:18080`.
    pub base: String,
    /// The server's own database, for the raw SQL side.
    pub db: DatabaseConnection,
    /// The server's process, for its RSS (None: not sampled).
    pub server_pid: Option<u32>,
    pub ent_user: String,
    pub staff_user: String,
    pub password: String,
}

/// How long and how hard.
#[derive(Debug, Clone)]
pub struct Options {
    /// Length of each load run.
    pub duration: Duration,
    /// Concurrency levels.
    pub clients: Vec<usize>,
    /// Print a line per run on stderr.
    pub progress: bool,
}

/// One scenario at one concurrency.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub scenario: String,
    pub who: Who,
    pub clients: usize,
    pub api: Summary,
    pub raw: Option<Summary>,
    /// Peak server RSS during the API run, in kB.
    pub rss_kb: Option<u64>,
}

impl Measurement {
    /// API p95 over raw SQL p95.
    pub fn ratio(&self) -> Option<f64> {
        self.raw
            .as_ref()
            .filter(|r| r.p95_ms > 0.0 && self.api.requests > 0)
            .map(|r| self.api.p95_ms / r.p95_ms)
    }
}

/// The plan of one of the enterprise user's raw statements.
#[derive(Debug, Clone)]
pub struct PlanCheck {
    pub scenario: String,
    pub statement: String,
    pub plan: String,
    pub seq_scan_on_equipment: bool,
}

/// Everything one run measured.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub measurements: Vec<Measurement>,
    /// Empty on SQLite (EXPLAIN is checked on PostgreSQL only).
    pub plans: Vec<PlanCheck>,
}

async fn ids(db: &DatabaseConnection, sql: &str, values: Vec<Value>) -> Result<Vec<i64>, String> {
    let rows = db
        .query_all_raw(
            Sql {
                text: sql.to_owned(),
                values,
            }
            .statement(db.get_database_backend()),
        )
        .await
        .map_err(|e| format!("{sql}: {e}"))?;
    rows.iter()
        .map(|r| r.try_get_by_index::<i64>(0).map_err(|e| e.to_string()))
        .collect()
}

async fn login(
    http: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> Result<String, String> {
    let response = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .map_err(|e| format!("login {user}: {e}"))?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .map_err(|e| format!("login {user}: {e}"))?;
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("login {user}: {status} {body}"))
}

/// Logs in both users and looks up the ids the scenarios use.
pub async fn context(target: &Target) -> Result<Context, String> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .map_err(|e| e.to_string())?;
    let db = target.db.clone();
    let ent_token = login(&http, &target.base, &target.ent_user, &target.password).await?;
    let staff_token = login(&http, &target.base, &target.staff_user, &target.password).await?;
    let enterprise_id = *ids(
        &db,
        "SELECT enterprise_id FROM app_user WHERE username = $1",
        vec![Value::from(target.ent_user.clone())],
    )
    .await?
    .first()
    .ok_or("the enterprise user has no enterprise")?;
    let eid = Value::from(enterprise_id);
    let ent_ids = ids(
        &db,
        "SELECT id FROM equipment WHERE enterprise_id = $1 ORDER BY id",
        vec![eid.clone()],
    )
    .await?;
    let total = *ids(&db, "SELECT COUNT(*) FROM equipment", Vec::new())
        .await?
        .first()
        .unwrap_or(&0);
    let step = (total / 2_000).max(1);
    let all_ids = ids(
        &db,
        "SELECT id FROM equipment WHERE id % $1 = 0 ORDER BY id",
        vec![Value::from(step)],
    )
    .await?;
    let report_ids = ids(
        &db,
        "SELECT id FROM report WHERE enterprise_id = $1 AND pdf_key IS NOT NULL \
         AND fee_paid_at IS NOT NULL AND state IN ('printed', 'archived') ORDER BY id",
        vec![eid.clone()],
    )
    .await?;
    let applicable_ids = ids(
        &db,
        "SELECT id FROM equipment WHERE enterprise_id = $1 \
         AND use_status NOT IN ('scrapped', 'dismantled', 'junk', 'removed') \
         AND registration_status <> 'cancelled' AND id NOT IN \
         (SELECT equipment_id FROM application_item \
          WHERE state IN ('pending', 'accepted', 'scheduled', 'inspected')) ORDER BY id",
        vec![eid],
    )
    .await?;
    if ent_ids.is_empty() || report_ids.is_empty() || applicable_ids.is_empty() {
        return Err(format!(
            "the data set lacks what the benchmark needs: {} equipment, {} downloadable reports, \
             {} applicable pieces for {}",
            ent_ids.len(),
            report_ids.len(),
            applicable_ids.len(),
            target.ent_user
        ));
    }
    Ok(Context {
        base: target.base.clone(),
        http,
        db,
        password: target.password.clone(),
        ent_user: target.ent_user.clone(),
        staff_user: target.staff_user.clone(),
        ent_token,
        staff_token,
        enterprise_id,
        today: (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date(),
        ent_ids: Arc::new(ent_ids),
        all_ids: Arc::new(all_ids),
        report_ids: Arc::new(report_ids),
        applicable_ids: Arc::new(applicable_ids),
    })
}

/// Runs every scenario for both users at every concurrency level.
pub async fn run(target: &Target, options: &Options) -> Result<Results, String> {
    let ctx = context(target).await?;
    let mut results = Results::default();
    for who in [Who::Enterprise, Who::Institute] {
        for scenario in scenarios(&ctx, who) {
            for &clients in &options.clients {
                let before = if scenario.writes {
                    Some(max_application_id(&ctx.db).await?)
                } else {
                    None
                };
                let sampler = target.server_pid.map(RssSampler::start);
                let api = drive(
                    scenario.api.clone(),
                    clients,
                    options.duration,
                    Arc::default(),
                )
                .await;
                let rss_kb = match sampler {
                    Some(s) => s.peak_kb().await,
                    None => None,
                };
                if let Some(before) = before {
                    remove_applications(&ctx.db, before).await?;
                }
                let raw = match &scenario.raw {
                    Some(raw) => {
                        Some(drive(raw.clone(), clients, options.duration, Arc::default()).await)
                    }
                    None => None,
                };
                let m = Measurement {
                    scenario: scenario.name.to_owned(),
                    who,
                    clients,
                    api,
                    raw,
                    rss_kb,
                };
                if options.progress {
                    eprintln!("{}", report::row(&m));
                }
                results.measurements.push(m);
            }
            if who == Who::Enterprise {
                results
                    .plans
                    .extend(plans(&ctx.db, scenario.name, &scenario.plan).await?);
            }
        }
    }
    Ok(results)
}

/// EXPLAIN of each statement on PostgreSQL; flags a sequential scan of the equipment table.
pub async fn plans(
    db: &DatabaseConnection,
    scenario: &str,
    statements: &[Sql],
) -> Result<Vec<PlanCheck>, String> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for sql in statements {
        let explain = Sql {
            text: format!("EXPLAIN {}", sql.text),
            values: sql.values.clone(),
        };
        let rows = db
            .query_all_raw(explain.statement(DbBackend::Postgres))
            .await
            .map_err(|e| format!("EXPLAIN {}: {e}", sql.text))?;
        let plan: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get_by_index::<String>(0).ok())
            .collect();
        let plan = plan.join("\n");
        out.push(PlanCheck {
            scenario: scenario.to_owned(),
            statement: sql.text.clone(),
            seq_scan_on_equipment: plan.contains("Seq Scan on equipment"),
            plan,
        });
    }
    Ok(out)
}
