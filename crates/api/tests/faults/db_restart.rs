//! PostgreSQL restarted under load (a private cluster, never the machine's shared server): while
//! it is down, requests answer 503 problem+json `database_unavailable` (never 500, never a hang)
//! and `/readyz` says not ready; once it is back the pool reconnects by itself and requests
//! succeed again, without restarting tejian.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::harness::{
    Node, PgDatabase, PrivateCluster, TempDir, http, login, seed_small, wait_for,
};

/// What the load saw.
#[derive(Default)]
struct Seen {
    ok: AtomicUsize,
    unavailable: AtomicUsize,
    /// Anything else: other statuses, bodies that are not the expected problem, broken
    /// connections, timeouts (the client's timeout is 60 s: reaching it means a hang).
    wrong: std::sync::Mutex<Vec<String>>,
}

async fn one_request(http: &reqwest::Client, url: &str, token: &str, seen: &Seen) {
    let response = match http.get(url).bearer_auth(token).send().await {
        Ok(r) => r,
        Err(e) => {
            seen.wrong.lock().unwrap().push(format!("no answer: {e}"));
            return;
        }
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let retry_after = response.headers().contains_key("retry-after");
    let body = response.text().await.unwrap_or_default();
    match status {
        200 => {
            seen.ok.fetch_add(1, Ordering::SeqCst);
        }
        503 => {
            let code = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned));
            if content_type.starts_with("application/problem+json")
                && code.as_deref() == Some("database_unavailable")
                && retry_after
            {
                seen.unavailable.fetch_add(1, Ordering::SeqCst);
            } else {
                seen.wrong.lock().unwrap().push(format!(
                    "503 with {content_type} (Retry-After: {retry_after}): {body}"
                ));
            }
        }
        other => seen
            .wrong
            .lock()
            .unwrap()
            .push(format!("{other} {content_type}: {body}")),
    }
}

async fn readyz(http: &reqwest::Client, node: &Node) -> Option<u16> {
    http.get(node.url("/readyz"))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restart_answers_503_and_recovers() {
    let _serial = crate::harness::SERIAL.lock().await;
    let bin = match PrivateCluster::binaries() {
        Ok(bin) => bin,
        Err(why) => {
            eprintln!(
                "SKIPPED postgres_restart_answers_503_and_recovers: no PostgreSQL server binaries \
                 to run a private cluster ({why}); install postgresql to run it"
            );
            return;
        }
    };
    let cluster = tokio::task::spawn_blocking(move || PrivateCluster::init(bin))
        .await
        .unwrap();
    let dir = TempDir::new("pg-restart");
    let pg = PgDatabase::create(&cluster.admin_url()).await;
    seed_small(&pg.url, dir.path()).await;
    let node = Node::start(
        "pg-restart",
        &pg.url,
        dir.path(),
        &[("TEJIAN_DB_ACQUIRE_TIMEOUT_SECONDS", "2")],
    )
    .await;
    let http = http();
    let token = login(&http, &node, "demo-ent-1").await;
    assert_eq!(readyz(&http, &node).await, Some(200));

    // Load: four clients reading the equipment register (each request also checks the caller's
    // session in the database) until told to stop.
    let seen = Arc::new(Seen::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for _ in 0..4 {
        let (http, seen, stop, token) = (http.clone(), seen.clone(), stop.clone(), token.clone());
        let url = node.url("/api/v1/equipment?per_page=5");
        load.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                one_request(&http, &url, &token, &seen).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    let ok_before = |n: usize| {
        let seen = seen.clone();
        move || {
            let seen = seen.clone();
            async move { seen.ok.load(Ordering::SeqCst) >= n }
        }
    };
    wait_for(
        "answers before the restart",
        Duration::from_secs(60),
        ok_before(20),
    )
    .await;

    // Down.
    // pg_ctl waits for the server; the load runs on the runtime's other threads meanwhile.
    tokio::task::block_in_place(|| cluster.stop());
    wait_for("/readyz to say not ready", Duration::from_secs(30), || {
        let http = http.clone();
        let url = node.url("/readyz");
        async move {
            http.get(url)
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 503)
        }
    })
    .await;
    let unavailable_from = seen.unavailable.load(Ordering::SeqCst);
    wait_for(
        "503 database_unavailable answers while the database is down",
        Duration::from_secs(60),
        || {
            let seen = seen.clone();
            async move { seen.unavailable.load(Ordering::SeqCst) >= unavailable_from + 8 }
        },
    )
    .await;

    // Back: the same tejian process recovers by itself.
    tokio::task::block_in_place(|| cluster.start());
    wait_for(
        "/readyz to say ready again",
        Duration::from_secs(60),
        || {
            let http = http.clone();
            let url = node.url("/readyz");
            async move {
                http.get(url)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().as_u16() == 200)
            }
        },
    )
    .await;
    let ok_after = seen.ok.load(Ordering::SeqCst) + 20;
    wait_for(
        "answers after the restart",
        Duration::from_secs(60),
        ok_before(ok_after),
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    // A write after the restart.
    let status = http
        .put(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "display_name": "重启之后" }))
        .send()
        .await
        .unwrap()
        .status();
    println!(
        "pg restart: {} ok, {} database_unavailable",
        seen.ok.load(Ordering::SeqCst),
        seen.unavailable.load(Ordering::SeqCst)
    );
    let wrong = seen.wrong.lock().unwrap().clone();
    assert!(
        wrong.is_empty(),
        "{} answers were neither 200 nor 503 database_unavailable, e.g.:\n{}\n{}",
        wrong.len(),
        wrong.iter().take(5).cloned().collect::<Vec<_>>().join("\n"),
        node.log_tail()
    );
    assert!(status.is_success(), "PUT /me after the restart: {status}");
    drop(node);
    drop(pg);
}
