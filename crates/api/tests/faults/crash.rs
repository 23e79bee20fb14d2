//! SIGKILL in the middle of a stream of multi-row writes: inspection applications (the
//! application, one item per unit, an audit record), equipment creates (the unit and its audit
//! record) and 缴款通知书 (the notice, one line per accepted unit, an SMS and an audit record). Afterwards every answered 2xx is complete in the database, every refused
//! request is absent, every unanswered one is complete or absent — never half — and the server
//! starts again on the same database (migrations rerun) and serves.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{
    Node, PgDatabase, TempDir, http, lit, login, pg_admin_url, scalar, seed_small, wait_for,
};

/// Units per application in the stream.
const UNITS_PER_APPLICATION: usize = 3;
/// Concurrent submitters of each kind.
const WORKERS: usize = 3;
/// Applications each enterprise worker may send.
const APPLICATIONS_PER_WORKER: usize = 12;
/// Accepted applications (of 2 units) the payment-notice workers bill, per worker.
const NOTICES_PER_WORKER: usize = 8;
/// Answered writes of each kind before the kill.
const KILL_AFTER: usize = 10;

/// A unit in 吴兴区 with a unique registration code (year from 1960: the seeds never use those).
fn equipment_body(enterprise_id: i64, n: usize, internal_no: &str) -> Value {
    let year = 1960 + n / 120_000;
    let month = (n / 10_000) % 12 + 1;
    let seq = n % 10_000;
    // `NewEquipment`: the fields are flattened beside `enterprise_id`.
    json!({
        "enterprise_id": enterprise_id,
        "variety_code": "3110",
        "registration_code": format!("3110330502{year}{month:02}{seq:04}"),
        "internal_no": internal_no,
        "factory_no": format!("F{n:06}"),
        "model": "TKJ1000/1.75",
        "manufacturer": "杭州西奥电梯有限公司",
        "manufacture_date": "2019-06-01",
        "commissioning_date": "2020-01-15",
        "registration_date": "2020-01-20",
        "install_location": "主楼 东侧",
        "district_code": "330502",
        "next_inspection_date": "2027-01-31",
        "params": { "floors": 12, "rated_speed_m_s": "1.75", "rated_load_kg": 1000, "machine_room": true }
    })
}

fn application_body(units: &[i64]) -> Value {
    let preferred = time::OffsetDateTime::now_utc().date() + time::Duration::days(7);
    json!({
        "contact_name": "王建国",
        "contact_phone": "13957200001",
        "contact_address": "湖州市吴兴区红丰路 1 号",
        "preferred_date": preferred.to_string(),
        "items": units.iter().map(|id| json!({ "equipment_id": id, "inspection_type": "periodic" })).collect::<Vec<_>>(),
    })
}

#[derive(Debug, Clone)]
enum Write {
    /// An application with this `Idempotency-Key` for these units.
    Application { key: String, units: Vec<i64> },
    /// An equipment create with this 单位内编号.
    Equipment { internal_no: String, n: usize },
    /// A 缴款通知书 for every accepted unit of this application.
    PaymentNotice { application_id: i64 },
}

#[derive(Debug)]
struct Sent {
    write: Write,
    /// The answer's status; `None` when the connection broke before an answer.
    status: Option<u16>,
}

async fn send(
    http: &reqwest::Client,
    node_base: &str,
    token: &str,
    enterprise_id: i64,
    write: &Write,
) -> Option<u16> {
    let request = match write {
        Write::Application { key, units } => http
            .post(format!("{node_base}/api/v1/inspection-applications"))
            .header("Idempotency-Key", key)
            .json(&application_body(units)),
        Write::Equipment { internal_no, n } => http
            .post(format!("{node_base}/api/v1/equipment"))
            .json(&equipment_body(enterprise_id, *n, internal_no)),
        Write::PaymentNotice { application_id } => http
            .post(format!("{node_base}/api/v1/payment-notices"))
            .json(&json!({ "application_id": application_id })),
    };
    let response = request.bearer_auth(token).send().await.ok()?;
    let status = response.status().as_u16();
    // An answer counts once its body has arrived.
    response.bytes().await.ok()?;
    Some(status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_stream_leaves_no_partial_records() {
    let _serial = crate::harness::SERIAL.lock().await;
    let dir = TempDir::new("crash");
    let pg = PgDatabase::create(&pg_admin_url()).await;
    seed_small(&pg.url, dir.path()).await;
    let db = crate::harness::connect_one(&pg.url).await;
    // Staff issue the payment notices (in the stream), not the acceptance.
    let env = [("TEJIAN_AUTO_PAYMENT_NOTICE", "off")];
    let mut node = Node::start("crash", &pg.url, dir.path(), &env).await;
    let http = http();
    let staff = login(&http, &node, "demo-institute").await;
    let ent = login(&http, &node, "demo-ent-1").await;
    let me: Value = http
        .get(node.url("/api/v1/me"))
        .bearer_auth(&ent)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let enterprise_id = me["enterprise"]["id"].as_i64().expect("enterprise id");

    // Units the applications in the stream are for: each used by one application only.
    let needed = WORKERS * APPLICATIONS_PER_WORKER * UNITS_PER_APPLICATION;
    let mut pool = Vec::new();
    for n in 0..needed {
        let response = http
            .post(node.url("/api/v1/equipment"))
            .bearer_auth(&staff)
            .json(&equipment_body(enterprise_id, n, &format!("pre-{n}")))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        pool.push(
            body["equipment"]["id"]
                .as_i64()
                .expect("id of the new unit"),
        );
    }

    // Applications of two units each, accepted, for the payment-notice workers to bill.
    let mut accepted = Vec::new();
    for n in 0..WORKERS * NOTICES_PER_WORKER {
        let mut units = Vec::new();
        for k in 0..2 {
            let m = 50_000 + 2 * n + k;
            let response = http
                .post(node.url("/api/v1/equipment"))
                .bearer_auth(&staff)
                .json(&equipment_body(enterprise_id, m, &format!("billed-{m}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            units.push(
                body["equipment"]["id"]
                    .as_i64()
                    .expect("id of the new unit"),
            );
        }
        let response = http
            .post(node.url("/api/v1/inspection-applications"))
            .bearer_auth(&ent)
            .json(&application_body(&units))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let app: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{app}");
        let application_id = app["id"].as_i64().unwrap();
        let items: Vec<Value> = app["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| json!({ "item_id": i["id"], "approved_fee": "300.00" }))
            .collect();
        let response = http
            .post(node.url(&format!(
                "/api/v1/inspection-applications/{application_id}/accept"
            )))
            .bearer_auth(&staff)
            .json(&json!({ "items": items }))
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(
            status.is_success(),
            "accept: {status} {}",
            response.text().await.unwrap()
        );
        accepted.push(application_id);
    }

    let answered_applications = Arc::new(AtomicUsize::new(0));
    let answered_notices = Arc::new(AtomicUsize::new(0));
    let answered_equipment = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        // Enterprise workers: applications of UNITS_PER_APPLICATION units each.
        let writes: Vec<Write> = pool[w * APPLICATIONS_PER_WORKER * UNITS_PER_APPLICATION..]
            .chunks(UNITS_PER_APPLICATION)
            .take(APPLICATIONS_PER_WORKER)
            .enumerate()
            .map(|(i, units)| Write::Application {
                key: format!("crash-{w}-{i}"),
                units: units.to_vec(),
            })
            .collect();
        tasks.push(tokio::spawn(stream(
            http.clone(),
            node.base.clone(),
            ent.clone(),
            enterprise_id,
            writes,
            answered_applications.clone(),
        )));
        // Staff workers: equipment creates, more than can be sent before the kill.
        let writes: Vec<Write> = (0..2_000)
            .map(|i| {
                let n = needed + w * 2_000 + i;
                Write::Equipment {
                    internal_no: format!("crash-{n}"),
                    n,
                }
            })
            .collect();
        tasks.push(tokio::spawn(stream(
            http.clone(),
            node.base.clone(),
            staff.clone(),
            enterprise_id,
            writes,
            answered_equipment.clone(),
        )));
        // Staff workers: payment notices for the accepted applications.
        let writes: Vec<Write> = accepted[w * NOTICES_PER_WORKER..(w + 1) * NOTICES_PER_WORKER]
            .iter()
            .map(|id| Write::PaymentNotice {
                application_id: *id,
            })
            .collect();
        tasks.push(tokio::spawn(stream(
            http.clone(),
            node.base.clone(),
            staff.clone(),
            enterprise_id,
            writes,
            answered_notices.clone(),
        )));
    }
    wait_for(
        "writes answered before the kill",
        Duration::from_secs(180),
        || {
            let apps = answered_applications.load(Ordering::SeqCst);
            let units = answered_equipment.load(Ordering::SeqCst);
            let notices = answered_notices.load(Ordering::SeqCst);
            async move { apps >= KILL_AFTER && units >= KILL_AFTER && notices >= KILL_AFTER }
        },
    )
    .await;
    node.kill();
    let mut sent: Vec<Sent> = Vec::new();
    for task in tasks {
        sent.extend(task.await.unwrap());
    }
    // PostgreSQL finishes what the dead process had already sent (a COMMIT in its socket) and
    // then closes its sessions; check the data once they are all gone.
    wait_for(
        "the killed server's database sessions to end",
        Duration::from_secs(60),
        || {
            let db = db.clone();
            async move {
                scalar(
                    &db,
                    "SELECT count(*) AS n FROM pg_stat_activity \
                     WHERE datname = current_database() AND backend_type = 'client backend' \
                     AND pid <> pg_backend_pid()",
                )
                .await
                    == 0
            }
        },
    )
    .await;
    let unanswered = sent.iter().filter(|s| s.status.is_none()).count();
    let ok = sent
        .iter()
        .filter(|s| s.status.is_some_and(|c| (200..300).contains(&c)))
        .count();
    let applications_ok = sent
        .iter()
        .filter(|s| {
            matches!(s.write, Write::Application { .. })
                && s.status.is_some_and(|c| (200..300).contains(&c))
        })
        .count();
    let notices_ok = sent
        .iter()
        .filter(|s| {
            matches!(s.write, Write::PaymentNotice { .. })
                && s.status.is_some_and(|c| (200..300).contains(&c))
        })
        .count();
    println!(
        "crash: {} writes sent, {ok} answered 2xx ({applications_ok} applications, \
         {notices_ok} payment notices), {unanswered} without an answer",
        sent.len()
    );
    assert!(
        applications_ok >= KILL_AFTER,
        "{applications_ok} applications accepted"
    );
    assert!(ok >= 3 * KILL_AFTER, "{ok} answered");

    // Nothing half-written, whatever the answer was.
    for s in &sent {
        let answered_ok = s.status.is_some_and(|c| (200..300).contains(&c));
        match &s.write {
            Write::Application { key, units } => {
                let apps = scalar(
                    &db,
                    &format!(
                        "SELECT count(*) AS n FROM inspection_application WHERE idempotency_key = {}",
                        lit(key)
                    ),
                )
                .await;
                assert!(apps <= 1, "{key}: {apps} applications");
                if answered_ok {
                    assert_eq!(apps, 1, "{key} answered {:?} but is not stored", s.status);
                } else if s.status.is_some() {
                    assert_eq!(apps, 0, "{key} was refused ({:?}) but is stored", s.status);
                }
                if apps == 1 {
                    let app = format!(
                        "(SELECT id FROM inspection_application WHERE idempotency_key = {})",
                        lit(key)
                    );
                    let items = scalar(
                        &db,
                        &format!("SELECT count(*) AS n FROM application_item WHERE application_id = {app}"),
                    )
                    .await;
                    assert_eq!(items, units.len() as i64, "{key}: items of the application");
                    let audit = scalar(
                        &db,
                        &format!(
                            "SELECT count(*) AS n FROM audit_log WHERE action = 'application_submitted' \
                             AND entity = 'inspection_application' AND entity_id = CAST({app} AS TEXT)"
                        ),
                    )
                    .await;
                    assert_eq!(audit, 1, "{key}: audit record of the application");
                }
            }
            Write::PaymentNotice { application_id } => {
                // The notices holding lines of this application's units.
                let notices_of = format!(
                    "SELECT DISTINCT l.notice_id FROM payment_notice_item l \
                     JOIN application_item i ON i.id = l.application_item_id \
                     WHERE i.application_id = {application_id}"
                );
                let notices =
                    scalar(&db, &format!("SELECT count(*) AS n FROM ({notices_of}) d")).await;
                assert!(
                    notices <= 1,
                    "application {application_id}: {notices} notices"
                );
                if answered_ok {
                    assert_eq!(
                        notices, 1,
                        "notice for {application_id} answered but not stored"
                    );
                } else if s.status.is_some() {
                    assert_eq!(notices, 0, "notice for {application_id} refused but stored");
                }
                if notices == 1 {
                    let lines = scalar(
                        &db,
                        &format!(
                            "SELECT count(*) AS n FROM payment_notice_item WHERE notice_id IN ({notices_of})"
                        ),
                    )
                    .await;
                    assert_eq!(
                        lines, 2,
                        "application {application_id}: lines of its notice"
                    );
                    let audit = scalar(
                        &db,
                        &format!(
                            "SELECT count(*) AS n FROM audit_log WHERE action = 'payment_notice_issued' \
                             AND entity_id IN (SELECT CAST(notice_id AS TEXT) FROM ({notices_of}) d)"
                        ),
                    )
                    .await;
                    assert_eq!(
                        audit, 1,
                        "application {application_id}: audit record of its notice"
                    );
                    let sms = scalar(
                        &db,
                        &format!(
                            "SELECT count(*) AS n FROM outbox_message WHERE dedupe_key IN \
                             (SELECT 'payment_notice_issued:' || CAST(notice_id AS TEXT) FROM ({notices_of}) d)"
                        ),
                    )
                    .await;
                    assert_eq!(
                        sms, 1,
                        "application {application_id}: the SMS of its notice"
                    );
                }
            }
            Write::Equipment { internal_no, .. } => {
                let units = scalar(
                    &db,
                    &format!(
                        "SELECT count(*) AS n FROM equipment WHERE internal_no = {}",
                        lit(internal_no)
                    ),
                )
                .await;
                assert!(units <= 1, "{internal_no}: {units} units");
                if answered_ok {
                    assert_eq!(units, 1, "{internal_no} answered but is not stored");
                } else if s.status.is_some() {
                    assert_eq!(units, 0, "{internal_no} was refused but is stored");
                }
                if units == 1 {
                    let audit = scalar(
                        &db,
                        &format!(
                            "SELECT count(*) AS n FROM audit_log WHERE action = 'equipment_created' \
                             AND entity_id = (SELECT CAST(id AS TEXT) FROM equipment WHERE internal_no = {})",
                            lit(internal_no)
                        ),
                    )
                    .await;
                    assert_eq!(audit, 1, "{internal_no}: audit record of the unit");
                }
            }
        }
    }
    // And across the whole database: no notice without lines, no application without items, no
    // unit without its audit record.
    for (orphans, what) in [
        (
            "SELECT count(*) AS n FROM payment_notice p WHERE NOT EXISTS \
             (SELECT 1 FROM payment_notice_item l WHERE l.notice_id = p.id)",
            "notices without lines",
        ),
        (
            "SELECT count(*) AS n FROM inspection_application a WHERE NOT EXISTS \
             (SELECT 1 FROM application_item i WHERE i.application_id = a.id)",
            "applications without items",
        ),
        (
            "SELECT count(*) AS n FROM equipment e WHERE e.internal_no LIKE 'crash-%' AND NOT EXISTS \
             (SELECT 1 FROM audit_log l WHERE l.action = 'equipment_created' AND l.entity_id = CAST(e.id AS TEXT))",
            "units without their audit record",
        ),
    ] {
        assert_eq!(scalar(&db, orphans).await, 0, "{what}");
    }

    // A clean restart on the same database: migrations rerun, the server serves.
    let node = Node::start("crash", &pg.url, dir.path(), &env).await;
    let ready = http.get(node.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    // Unanswered applications are sent again with their key: each ends up stored exactly once.
    for s in sent.iter().filter(|s| s.status.is_none()) {
        if let Write::Application { key, .. } = &s.write {
            let status = send(&http, &node.base, &ent, enterprise_id, &s.write).await;
            assert!(
                matches!(status, Some(200 | 201)),
                "{key} again after the restart: {status:?}\n{}",
                node.log_tail()
            );
            let apps = scalar(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM inspection_application WHERE idempotency_key = {}",
                    lit(key)
                ),
            )
            .await;
            assert_eq!(apps, 1, "{key} after the retry");
        }
    }
    // New writes work.
    let after = Write::Equipment {
        internal_no: "after-restart".to_owned(),
        n: 99_999,
    };
    assert_eq!(
        send(&http, &node.base, &staff, enterprise_id, &after).await,
        Some(201),
        "{}",
        node.log_tail()
    );
    db.close().await.unwrap();
}

/// Sends `writes` one after another until the server stops answering.
async fn stream(
    http: reqwest::Client,
    base: String,
    token: String,
    enterprise_id: i64,
    writes: Vec<Write>,
    answered: Arc<AtomicUsize>,
) -> Vec<Sent> {
    let mut sent = Vec::new();
    for write in writes {
        let status = send(&http, &base, &token, enterprise_id, &write).await;
        if status.is_some_and(|c| (200..300).contains(&c)) {
            answered.fetch_add(1, Ordering::SeqCst);
        }
        let stop = status.is_none();
        sent.push(Sent { write, status });
        if stop {
            break;
        }
    }
    sent
}
