//! Two api nodes on one PostgreSQL database run their background jobs concurrently, every
//! second, while new work keeps arriving: each SMS of the outbox is sent exactly once (by one of
//! the nodes), each paid 缴款通知书 gets exactly one invoice with one SMS and one audit record,
//! and each reminder exists once with one inbox entry.

use std::collections::HashMap;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tejian_api::outbox::{self, Message};

use crate::harness::{Node, PgDatabase, TempDir, pg_admin_url, scalar, seed_small, wait_for};

/// Messages queued before the nodes start, and while they run.
const MESSAGES_BEFORE: usize = 150;
const MESSAGES_DURING: usize = 150;
/// Paid notices waiting for their invoice before the nodes start, and added while they run.
const NOTICES_BEFORE: usize = 6;
const NOTICES_DURING: usize = 6;

async fn enqueue(db: &DatabaseConnection, from: usize, count: usize) {
    for n in from..from + count {
        outbox::enqueue_sms(
            db,
            Message {
                recipient: format!("139{n:08}"),
                kind: "fault_suite",
                body: format!("【湖州特检院】故障测试短信 {n}"),
                dedupe_key: format!("fault_suite:{n}"),
            },
        )
        .await
        .unwrap();
    }
}

/// Paid notices without items (the invoice job needs only the notice and its enterprise).
async fn paid_notices(db: &DatabaseConnection, enterprise_id: i64, from: usize, count: usize) {
    for n in from..from + count {
        db.execute_unprepared(&format!(
            "INSERT INTO payment_notice (notice_no, enterprise_id, payer_name, total_fen, state, \
             due_date, issued_at, issued_by_name, paid_at, updated_at) \
             SELECT '9{n:019}', id, name, {fen}, 'paid', CURRENT_DATE + 15, now(), '故障测试', now(), now() \
             FROM enterprise WHERE id = {enterprise_id}",
            fen = 10_000 + n
        ))
        .await
        .unwrap();
    }
}

/// Message ids from a node's SMS log file (`{"id","to","text"}` per line).
fn sms_ids(path: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_i64())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_run_each_job_exactly_once() {
    let _serial = crate::harness::SERIAL.lock().await;
    let dir = TempDir::new("jobs");
    let pg = PgDatabase::create(&pg_admin_url()).await;
    seed_small(&pg.url, dir.path()).await;
    let db = crate::harness::connect_one(&pg.url).await;
    let enterprise_id = scalar(
        &db,
        "SELECT enterprise_id AS n FROM app_user WHERE username = 'demo-ent-1'",
    )
    .await;
    enqueue(&db, 0, MESSAGES_BEFORE).await;
    paid_notices(&db, enterprise_id, 0, NOTICES_BEFORE).await;

    let logs = [
        dir.path().join("sms-a.jsonl"),
        dir.path().join("sms-b.jsonl"),
    ];
    let mut nodes = Vec::new();
    for (name, log) in ["node-a", "node-b"].into_iter().zip(&logs) {
        let log = log.display().to_string();
        nodes.push(
            Node::start(
                name,
                &pg.url,
                dir.path(),
                &[
                    ("TEJIAN_OUTBOX_INTERVAL_SECONDS", "1"),
                    ("TEJIAN_REMINDER_INTERVAL_SECONDS", "1"),
                    ("TEJIAN_PAYMENT_JOB_INTERVAL_SECONDS", "1"),
                    ("TEJIAN_SMS_LOG_FILE", log.as_str()),
                ],
            )
            .await,
        );
    }
    // New work while both nodes' jobs run.
    for round in 0..10 {
        enqueue(
            &db,
            MESSAGES_BEFORE + round * (MESSAGES_DURING / 10),
            MESSAGES_DURING / 10,
        )
        .await;
        if round < NOTICES_DURING {
            paid_notices(&db, enterprise_id, NOTICES_BEFORE + round, 1).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let notices = scalar(
        &db,
        "SELECT count(*) AS n FROM payment_notice WHERE state = 'paid'",
    )
    .await;
    wait_for(
        "every paid notice invoiced and every SMS sent",
        Duration::from_secs(240),
        || {
            let db = db.clone();
            async move {
                scalar(&db, "SELECT count(*) AS n FROM invoice").await == notices
                    && scalar(
                        &db,
                        "SELECT count(*) AS n FROM outbox_message WHERE state <> 'sent'",
                    )
                    .await
                        == 0
            }
        },
    )
    .await;
    // A few more passes of every job on both nodes with nothing left to do.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for node in &nodes {
        node.signal("TERM");
    }
    for node in &mut nodes {
        assert!(
            node.wait_exit(Duration::from_secs(60)).await.is_some(),
            "{} did not stop",
            node.name
        );
    }

    // SMS: every message sent, each by exactly one node, once.
    let a = sms_ids(&logs[0]);
    let b = sms_ids(&logs[1]);
    let mut times: HashMap<i64, usize> = HashMap::new();
    for id in a.iter().chain(&b) {
        *times.entry(*id).or_default() += 1;
    }
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let sent = scalar(
        &db,
        "SELECT count(*) AS n FROM outbox_message WHERE state = 'sent'",
    )
    .await;
    let total = scalar(&db, "SELECT count(*) AS n FROM outbox_message").await;
    assert_eq!(sent, total, "every message sent");
    assert_eq!(times.len() as i64, sent, "the logs hold every sent message");
    assert!(
        sent >= (MESSAGES_BEFORE + MESSAGES_DURING) as i64,
        "{sent} sent"
    );
    println!(
        "jobs: {sent} SMS, node-a sent {}, node-b sent {}",
        a.len(),
        b.len()
    );

    // Invoices: one per paid notice, each with one SMS and one audit record.
    assert_eq!(
        scalar(&db, "SELECT count(*) AS n FROM invoice").await,
        notices
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) AS n FROM (SELECT payment_notice_id FROM invoice \
             GROUP BY payment_notice_id HAVING count(*) > 1) d"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) AS n FROM audit_log WHERE action = 'invoice_issued'"
        )
        .await,
        notices,
        "one audit record per invoice"
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) AS n FROM outbox_message WHERE kind = 'invoice_ready'"
        )
        .await,
        notices,
        "one SMS per invoice"
    );

    // Reminders: the passes found work, each reminder once, each with one inbox entry.
    let reminders = scalar(&db, "SELECT count(*) AS n FROM reminder").await;
    assert!(reminders > 0, "the small seed has equipment due");
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) AS n FROM (SELECT 1 FROM reminder \
             GROUP BY equipment_id, due_date, threshold HAVING count(*) > 1) d"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) AS n FROM reminder r WHERE \
             (SELECT count(*) FROM notification n WHERE n.reminder_id = r.id) <> 1"
        )
        .await,
        0,
        "one inbox entry per reminder"
    );
    println!("jobs: {notices} invoices, {reminders} reminders");
    drop(nodes);
    db.close().await.unwrap();
}
