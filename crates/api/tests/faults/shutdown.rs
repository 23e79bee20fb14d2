//! Graceful shutdown: SIGTERM while requests are in flight. The requests here are made slow by
//! their client — the body arrives in two parts, the second after the signal — and the signal
//! goes once `/metrics` counts them in flight, so they are in flight at the signal for certain,
//! with no timing guesses. They complete and their writes are
//! stored; new connections are refused; the process exits by itself, also when a client never
//! finishes (after `TEJIAN_SHUTDOWN_TIMEOUT_SECONDS`).

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{
    Node, PgDatabase, TempDir, http, lit, login, pg_admin_url, scalar, seed_small, wait_for,
};

/// Opens a connection and makes sure the server has accepted it (a whole request answered on
/// it), so the signal cannot catch it still in the listen queue.
async fn accepted_connection(node: &Node) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", node.port)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: tejian\r\n\r\n")
        .await
        .unwrap();
    // Read the answer to /healthz: headers, then exactly content-length bytes.
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.unwrap();
        assert_eq!(n, 1, "connection closed during /healthz");
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("content-length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    stream
}

/// The status of the answer read until the server closes the connection.
async fn read_status(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut answer))
        .await
        .expect("the answer arrives")
        .expect("read the answer");
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or("").to_owned()
}

/// Whether `/metrics` counts at least `n` requests in flight (itself included).
async fn in_flight_at_least(http: &reqwest::Client, node: &Node, n: usize) -> bool {
    let Ok(response) = http.get(node.url("/metrics")).send().await else {
        return false;
    };
    let text = response.text().await.unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("tejian_http_requests_in_flight "))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .is_some_and(|v| v >= n)
}

async fn refuses_connections(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).await.is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_drains_requests_in_flight() {
    let _serial = crate::harness::SERIAL.lock().await;
    let dir = TempDir::new("shutdown");
    let pg = PgDatabase::create(&pg_admin_url()).await;
    seed_small(&pg.url, dir.path()).await;
    let db = crate::harness::connect_one(&pg.url).await;
    let mut node = Node::start(
        "shutdown",
        &pg.url,
        dir.path(),
        &[("TEJIAN_SHUTDOWN_TIMEOUT_SECONDS", "30")],
    )
    .await;
    let http = http();
    let token = login(&http, &node, "demo-ent-1").await;
    let enterprise_id = scalar(
        &db,
        "SELECT enterprise_id AS n FROM app_user WHERE username = 'demo-ent-1'",
    )
    .await;
    let units = {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        db.query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT id FROM equipment WHERE enterprise_id = {enterprise_id} \
                 AND use_status = 'in_use' AND registration_status = 'registered' ORDER BY id LIMIT 3"
            ),
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect::<Vec<_>>()
    };
    assert_eq!(units.len(), 3, "the small seed has units to apply for");

    // Three applications, each on its own accepted connection, cut after half the body.
    let mut in_flight = Vec::new();
    for (n, unit) in units.iter().enumerate() {
        let mut stream = accepted_connection(&node).await;
        let body = json!({
            "contact_name": "王建国",
            "contact_phone": "13957200001",
            "contact_address": "湖州市吴兴区红丰路 1 号",
            "items": [{ "equipment_id": unit, "inspection_type": "periodic" }],
        })
        .to_string()
        .into_bytes();
        let head = format!(
            "POST /api/v1/inspection-applications HTTP/1.1\r\nHost: tejian\r\n\
             Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
             Idempotency-Key: drain-{n}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let (first, rest) = body.split_at(body.len() / 2);
        stream.write_all(first).await.unwrap();
        stream.flush().await.unwrap();
        in_flight.push((stream, rest.to_vec(), format!("drain-{n}")));
    }

    // Wait until the server is serving all three (their heads read, the handlers waiting for
    // the bodies): a request whose head the server has not read yet is not in flight, and a
    // draining server rightly closes such a connection.
    wait_for(
        "the three requests to be in flight",
        Duration::from_secs(60),
        || in_flight_at_least(&http, &node, units.len() + 1),
    )
    .await;
    node.signal("TERM");
    // New connections are refused once the server has taken the signal.
    wait_for(
        "new connections to be refused",
        Duration::from_secs(30),
        || refuses_connections(node.port),
    )
    .await;
    // The requests in flight finish: the rest of each body, then the answer.
    for (stream, rest, key) in &mut in_flight {
        let written = stream.write_all(rest).await;
        assert!(
            written.is_ok(),
            "{key}: the server dropped the request in flight ({written:?})\n{}",
            node.log_tail()
        );
        stream.flush().await.unwrap();
    }
    for (stream, _, key) in &mut in_flight {
        let status = read_status(stream).await;
        assert!(
            status.starts_with("HTTP/1.1 201"),
            "{key}: {status:?}\n{}",
            node.log_tail()
        );
        assert_eq!(
            scalar(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM application_item WHERE application_id = \
                     (SELECT id FROM inspection_application WHERE idempotency_key = {})",
                    lit(key)
                )
            )
            .await,
            1,
            "{key} stored whole"
        );
    }
    drop(in_flight);
    let status = node
        .wait_exit(Duration::from_secs(60))
        .await
        .unwrap_or_else(|| panic!("no exit after SIGTERM\n{}", node.log_tail()));
    assert!(
        status.success(),
        "exit status {status}\n{}",
        node.log_tail()
    );
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_exits_after_the_timeout_when_a_client_stalls() {
    let _serial = crate::harness::SERIAL.lock().await;
    let dir = TempDir::new("shutdown-stall");
    let pg = PgDatabase::create(&pg_admin_url()).await;
    seed_small(&pg.url, dir.path()).await;
    let mut node = Node::start(
        "shutdown-stall",
        &pg.url,
        dir.path(),
        &[("TEJIAN_SHUTDOWN_TIMEOUT_SECONDS", "2")],
    )
    .await;
    // A request whose body never arrives.
    let mut stalled = accepted_connection(&node).await;
    stalled
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: tejian\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"username\":",
        )
        .await
        .unwrap();
    stalled.flush().await.unwrap();
    node.signal("TERM");
    // Bounded by the 2 s shutdown timeout; the wait is generous so that only a hang fails.
    let status = node
        .wait_exit(Duration::from_secs(60))
        .await
        .unwrap_or_else(|| panic!("no exit with a stalled client\n{}", node.log_tail()));
    assert!(
        status.success(),
        "exit status {status}\n{}",
        node.log_tail()
    );
    drop(stalled);
}
