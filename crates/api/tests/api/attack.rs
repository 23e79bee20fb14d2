//! The attack suite's API part (issue 7 item 4): hostile uploads and workbooks, injection strings
//! in every filter of the served spec, oversized and deeply nested bodies, slow clients. The
//! other parts: schemathesis in `cargo xtask attack`, tenant isolation in isolation.rs, tokens in
//! auth.rs and enterprise_users.rs, parsers in crates/domain/tests/parsers_at_scale.rs.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value;
use tejian_contract::equipment::XLSX_CONTENT_TYPE;

use crate::both;
use crate::helpers::{Backend, TestApp, spawn_app_with, tiny_png};

/// Posts one file part whose Content-Disposition is written by hand (`disposition` goes after
/// `form-data; name="file"; `), so names no client library would send can be tried.
async fn upload_raw(
    app: &TestApp,
    token: &str,
    disposition: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let boundary = "----tejian-attack-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; {disposition}\r\n\
         Content-Type: text/html\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.http()
        .post(app.url("/api/v1/files"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Percent-decodes the `filename*=UTF-8''…` of a Content-Disposition header.
fn extended_file_name(disposition: &str) -> String {
    let encoded = disposition.split("filename*=UTF-8''").nth(1).unwrap();
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(&tail[..2]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap()
}

async fn hostile_uploads(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let token = ent.access_token();
    let png = tiny_png();

    // The type comes from the first bytes only: an executable, HTML, SVG with a script and GIF
    // are refused whatever they are called or declared as.
    for (name, bytes) in [
        ("report.png", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()),
        ("report.pdf", b"<html><script>alert(1)</script>".to_vec()),
        (
            "logo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
        ),
        ("anim.png", b"GIF89a\x01\x00\x01\x00".to_vec()),
        ("almost.pdf", b"%PD".to_vec()),
        ("empty.png", Vec::new()),
    ] {
        let r = upload_raw(&app, &token, &format!("filename=\"{name}\""), &bytes).await;
        assert_eq!(r.status().as_u16(), 422, "{name}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: Value = r.json().await.unwrap();
        let code = p["errors"][0]["code"].as_str().unwrap();
        assert!(
            ["unsupported_file_type", "empty_file"].contains(&code),
            "{name}: {p}"
        );
    }
    // One byte over 10 MB, with a real PNG head: refused as too large, as problem+json.
    let mut big = png.clone();
    big.resize(tejian_contract::files::MAX_UPLOAD_BYTES + 1, 0);
    let r = upload_raw(&app, &token, "filename=\"big.png\"", &big).await;
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    // Names: paths, control characters, a header injection attempt, a right-to-left override,
    // quotes, a very long name, nothing at all.
    let long = "长".repeat(5000);
    let names: Vec<(String, Option<&str>)> = vec![
        ("filename=\"../../../etc/passwd\"".into(), Some("passwd")),
        (
            "filename=\"..\\\\..\\\\windows\\\\win.ini\"".into(),
            Some("win.ini"),
        ),
        ("filename=\"/\"".into(), Some("附件")),
        ("filename=\"..\"".into(), Some("附件")),
        ("filename=\"a\x01b\x7fc\tf.png\"".into(), Some("abcf.png")),
        // Only the plain `filename` is read (browsers send UTF-8 there); the RFC 5987 form,
        // which could decode to CR LF, is ignored.
        (
            "filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3D1.png".into(),
            Some("附件"),
        ),
        (
            "filename=\"报告\u{202e}gnp.exe\"".into(),
            Some("报告gnp.exe"),
        ),
        ("filename=\"say \\\"hi\\\".png\"".into(), Some("say hi.png")),
        (format!("filename=\"{long}.png\""), None),
        ("filename=\"%00%0a.png\"".into(), Some("%00%0a.png")),
        ("filename=\"\"".into(), Some("附件")),
    ];
    for (disposition, expected) in names {
        let r = upload_raw(&app, &token, &disposition, &png).await;
        if disposition.chars().any(|c| c.is_ascii_control()) {
            // Raw control characters in a part header: refused outright, or the name cleaned.
            if r.status().as_u16() == 400 {
                assert_eq!(r.headers()["content-type"], "application/problem+json");
                continue;
            }
        }
        assert_eq!(r.status().as_u16(), 201, "{disposition:.80}");
        let stored: Value = r.json().await.unwrap();
        let name = stored["file_name"].as_str().unwrap().to_owned();
        assert!(!name.is_empty() && name.chars().count() <= 100, "{name}");
        assert!(
            !name
                .chars()
                .any(|c| c.is_control() || matches!(c, '/' | '\\' | '"' | '\u{202a}'..='\u{202e}')),
            "{name:?}"
        );
        if let Some(expected) = expected {
            assert_eq!(name, expected, "{disposition:.80}");
        }
        // The download names the file safely: an ASCII header whose UTF-8 form is the stored
        // name, with a fixed ASCII fallback.
        let r = app
            .http()
            .get(app.url(&format!("/api/v1/files/{}", stored["id"].as_str().unwrap())))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let disposition = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\"file.png\"; filename*=UTF-8''"),
            "{disposition}"
        );
        assert!(
            disposition.bytes().all(|b| (0x20..0x7f).contains(&b)),
            "{disposition}"
        );
        assert_eq!(extended_file_name(&disposition), name);
    }
}
both!(hostile_uploads);

/// A workbook-shaped zip whose sheet unpacks to 40 MB of spaces (about 40 KB packed); built once.
fn zip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..40 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap().into_inner()
    })
}

async fn post_import(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let r = app
        .http()
        .post(app.url("/api/v1/equipment/import?variety=3110"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn hostile_workbooks(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let token = staff.access_token();
    let field = |p: &Value| {
        (
            p["errors"][0]["code"].as_str().unwrap_or("").to_owned(),
            p["errors"][0]["detail"].as_str().unwrap_or("").to_owned(),
        )
    };

    // A zip bomb disguised as a workbook: refused by what it unpacks to, in Chinese.
    let bomb = zip_bomb().to_vec();
    assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
    let (status, p) = post_import(&app, &token, XLSX_CONTENT_TYPE, bomb).await;
    assert_eq!(status, 422, "{p}");
    let (code, detail) = field(&p);
    assert_eq!(code, "xlsx_too_large", "{p}");
    assert!(detail.contains("解压后超过"), "{detail}");

    // Not a zip after its first four bytes.
    let mut broken = b"PK\x03\x04".to_vec();
    broken.extend_from_slice(&[0xA5; 4096]);
    let (status, p) = post_import(&app, &token, XLSX_CONTENT_TYPE, broken).await;
    assert_eq!((status, field(&p).0.as_str()), (422, "invalid_xlsx"), "{p}");

    // A huge sheet: one row more than an import may hold, refused with the limit named.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "注册代码").unwrap();
    for row in 1..=5_001u32 {
        sheet.write_number(row, 0, f64::from(row)).unwrap();
    }
    let (status, p) = post_import(
        &app,
        &token,
        XLSX_CONTENT_TYPE,
        workbook.save_to_buffer().unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let (code, detail) = field(&p);
    assert_eq!(code, "too_many_rows", "{p}");
    assert!(detail.contains("5000"), "{detail}");

    // Formulas are never evaluated: a formula cell gives the value saved with it; text that
    // looks like a formula is stored as text, and the CSV export neutralises it.
    let ent = app.login("demo-ent-2").await;
    let credit = ent.me().await.unwrap().enterprise.unwrap().credit_code;
    let template = staff
        .import_template("3110", tejian_contract::equipment::ExportFormat::Csv)
        .await
        .unwrap();
    let headers: Vec<String> = String::from_utf8(template)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(str::to_owned)
        .collect();
    let col = |name: &str| u16::try_from(headers.iter().position(|h| h == name).unwrap()).unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in (0u16..).zip(&headers) {
        sheet.write_string(0, c, h).unwrap();
    }
    let injected = "=HYPERLINK(\"http://evil.example/\",\"点我\")";
    sheet
        .write_string(1, col("使用单位统一社会信用代码"), &credit)
        .unwrap();
    sheet.write_string(1, col("品种代码"), "3110").unwrap();
    sheet
        .write_string(1, col("注册代码"), "31103305022021050177")
        .unwrap();
    sheet.write_string(1, col("辖区代码"), "330502").unwrap();
    sheet
        .write_formula(
            1,
            col("使用地点"),
            Formula::new("=CONCATENATE(\"A\",\"座\")").set_result("A座"),
        )
        .unwrap();
    sheet.write_string(1, col("单位内编号"), injected).unwrap();
    let (status, p) = post_import(
        &app,
        &token,
        XLSX_CONTENT_TYPE,
        workbook.save_to_buffer().unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let r = app
        .http()
        .get(app.url("/api/v1/equipment?format=csv&registration_code=31103305022021050177"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("\"A座\""), "{csv}");
    let quoted = format!("\"'{}\"", injected.replace('"', "\"\""));
    assert!(csv.contains(&quoted), "{csv}");
    // No field of the export starts with a character that starts a formula.
    for line in csv.lines().skip(1) {
        for cell in line.split("\",\"") {
            let cell = cell.trim_start_matches(['"', '\u{feff}']);
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
    }
}
both!(hostile_workbooks);

/// Payloads for every string filter: SQL, LIKE wildcards, escapes, control characters, a NUL,
/// right-to-left and astral characters, and a 10 KB string.
fn payloads() -> Vec<String> {
    vec![
        "' OR 1=1--".into(),
        "\" OR \"\"=\"".into(),
        "'; DROP TABLE equipment;--".into(),
        "1); DELETE FROM app_user WHERE (1=1".into(),
        "%".into(),
        "_".into(),
        "%%".into(),
        "\\".into(),
        "\\%".into(),
        "a\0b".into(),
        "\u{202e}\u{200b}😀𠀀".into(),
        "\r\n\t".into(),
        "$(reboot)`id`".into(),
        "x".repeat(10 * 1024),
    ]
}

/// Every GET operation of the served spec without path parameters, with its string query
/// parameters (those not bound to an enum or a format).
fn string_filters(spec: &Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        if path.contains('{') {
            continue;
        }
        let names: Vec<String> = get["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .filter(|p| {
                        let s = &p["schema"];
                        s["type"] == "string"
                            && s.get("enum").is_none()
                            && s.get("format").is_none()
                    })
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !names.is_empty() {
            out.push((path.clone(), names));
        }
    }
    out
}

async fn count_rows(app: &TestApp) -> Vec<(String, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let mut counts = Vec::new();
    for table in [
        "equipment",
        "app_user",
        "enterprise",
        "registration",
        "audit_log",
    ] {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push((table.to_owned(), row.try_get::<i64>("", "n").unwrap()));
    }
    counts
}

async fn injection_in_every_filter(app: TestApp) {
    let spec: Value = app
        .http()
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let filters = string_filters(&spec);
    // The equipment search and the registrations are there, so the sweep is not empty.
    assert!(
        filters.iter().any(|(p, _)| p == "/api/v1/equipment"),
        "{filters:?}"
    );
    assert!(
        filters.iter().any(|(p, _)| p == "/api/v1/registrations"),
        "{filters:?}"
    );
    // One online registration, so the institute's registrations list is not empty.
    app.client
        .submit_registration(
            &crate::registrations::application(&crate::registrations::code("91330502MA2B3C4D5")),
            "licence.png",
            tiny_png(),
        )
        .await
        .unwrap();
    let tokens = [
        app.login("demo-ent-2").await.access_token(),
        app.login("demo-institute").await.access_token(),
        app.login("demo-bureau").await.access_token(),
    ];
    let before = count_rows(&app).await;
    let http = app.http();
    let get = |path: &str, query: Vec<(String, String)>, token: String| {
        let request = http.get(app.url(path)).query(&query).bearer_auth(token);
        async move {
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            let body = r.bytes().await.unwrap();
            (status, serde_json::from_slice::<Value>(&body).ok())
        }
    };
    let mut checked = 0;
    for (path, names) in &filters {
        for token in &tokens {
            let (status, baseline) = get(path, Vec::new(), token.clone()).await;
            if status != 200 {
                // Not this role's list (403), or a lookup needing its parameters (422).
                assert!(
                    [400, 403, 404, 422, 429].contains(&status),
                    "{path}: {status}"
                );
                continue;
            }
            let baseline_total = baseline.as_ref().and_then(|b| b["total"].as_u64());
            for name in names {
                for payload in payloads() {
                    let (status, body) =
                        get(path, vec![(name.clone(), payload.clone())], token.clone()).await;
                    let shown = payload.chars().take(30).collect::<String>();
                    assert!(
                        [200, 400, 403, 404, 422, 429].contains(&status),
                        "{path}?{name}={shown:?}: {status}"
                    );
                    if payload.contains('\0') {
                        assert_eq!(status, 400, "{path}?{name}: NUL is refused");
                    }
                    // `%` and `_` match themselves: they never widen a list to everything.
                    if status == 200 && (payload == "%" || payload == "_" || payload == "%%") {
                        let total = body.as_ref().and_then(|b| b["total"].as_u64());
                        if let (Some(total), Some(all)) = (total, baseline_total)
                            && all > 0
                        {
                            assert!(total < all, "{path}?{name}={payload}: {total} of {all}");
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert_eq!(count_rows(&app).await, before, "no table changed");
    // Still serving.
    let (status, _) = get("/api/v1/equipment", Vec::new(), tokens[0].clone()).await;
    assert_eq!(status, 200);
}
both!(injection_in_every_filter);

async fn oversized_and_nested_bodies(app: TestApp) {
    let ent = app.login("demo-ent-2").await;
    let token = ent.access_token();
    let post = |path: &str, body: Vec<u8>| {
        app.http()
            .post(app.url(path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // Beyond the JSON limit: 413 problem+json, whether the client says so up front or not.
    let mut big = br#"{"subject":""#.to_vec();
    big.resize(tejian_api::http::JSON_LIMIT + 10, b'a');
    big.extend_from_slice(br#"","content":"x"}"#);
    let r = post("/api/v1/conversations", big).await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["code"], "payload_too_large");

    // Deeply nested JSON within the limit (also where any JSON value is read): refused, and the
    // server does not overflow its stack.
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let depth = 10_000;
        let body = format!("{}1{}", open.repeat(depth), close.repeat(depth)).into_bytes();
        assert!(body.len() < tejian_api::http::JSON_LIMIT * 2);
        for path in ["/api/v1/conversations", "/api/v1/fees/estimate"] {
            let r = post(path, body.clone()).await.unwrap();
            let status = r.status().as_u16();
            assert!([400, 413, 422].contains(&status), "{path}: {status}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
        }
    }
    // A NUL inside a JSON string never reaches the database as a 500.
    let r = post(
        "/api/v1/conversations",
        br#"{"subject":"a\u0000b","content":"c\u0000d"}"#.to_vec(),
    )
    .await
    .unwrap();
    let status = r.status().as_u16();
    assert!([201, 400, 422].contains(&status), "{status}");
    // Still serving.
    assert_eq!(ent.me().await.unwrap().username, "demo-ent-2");
}
both!(oversized_and_nested_bodies);

/// Reads from `stream` until the server closes it (or 20 s pass); returns what came and how long
/// it took.
fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

/// Slow clients are cut off: one that never finishes its request head, and one that stops in
/// the middle of its body; meanwhile the server answers everyone else.
async fn slow_clients(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.client_timeout = Duration::from_secs(1)).await;
    let ent = app.login("demo-ent-2").await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let token = ent.access_token();

    let conversations = || async { ent.conversations(&Default::default()).await.unwrap().total };
    let before = conversations().await;

    let head_addr = addr.clone();
    let slow_head = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&head_addr).unwrap();
        // A few bytes, a pause, a few more, then nothing: the head never ends.
        s.write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        s.write_all(b"Host: x\r\n").unwrap();
        read_until_closed(&mut s)
    });
    let body_addr = addr.clone();
    let body_token = token.clone();
    let slow_body = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&body_addr).unwrap();
        let head = format!(
            "POST /api/v1/conversations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {body_token}\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"subject\":\""
        );
        s.write_all(head.as_bytes()).unwrap();
        read_until_closed(&mut s)
    });
    // Others are served while the two hang.
    for _ in 0..5 {
        assert_eq!(ent.me().await.unwrap().username, "demo-ent-2");
    }
    let (head_response, head_took) = slow_head.await.unwrap();
    let (body_response, body_took) = slow_body.await.unwrap();
    // Cut off well before the 20 s the client would wait (no finer timing assertion).
    assert!(head_took < Duration::from_secs(15), "{head_took:?}");
    assert!(
        head_response.is_empty() || head_response.starts_with("HTTP/1.1 408"),
        "{head_response}"
    );
    assert!(body_took < Duration::from_secs(15), "{body_took:?}");
    assert!(body_response.starts_with("HTTP/1.1 4"), "{body_response}");
    // The half-sent body created nothing.
    assert_eq!(conversations().await, before);
}

#[tokio::test]
async fn slow_clients_sqlite() {
    slow_clients(Backend::Sqlite).await;
}
