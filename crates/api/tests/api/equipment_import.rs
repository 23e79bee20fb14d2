//! Bulk import from XLSX (the CSV path is in equipment_admin.rs): the same checks and the same
//! all-or-nothing write, row numbers as Excel shows them, other files and big bodies refused.

use calamine::Reader as _;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;
use tejian_contract::equipment::{EquipmentQuery, ExportFormat, XLSX_CONTENT_TYPE};

use crate::both;
use crate::helpers::TestApp;

/// A cell of a test workbook.
enum Cell {
    Text(&'static str),
    Owned(String),
    Number(f64),
    Date(u16, u8, u8),
    Bool(bool),
    Error,
}

/// A workbook whose first sheet has `headers` in row 1 and each `(excel row, cells by header)`.
fn workbook(headers: &[String], rows: &[(u32, Vec<(&str, Cell)>)]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_string(0, col, h).unwrap();
    }
    for (excel_row, cells) in rows {
        let row = excel_row - 1;
        for (header, cell) in cells {
            let col = u16::try_from(headers.iter().position(|h| h == header).unwrap()).unwrap();
            match cell {
                Cell::Text(t) => sheet.write_string(row, col, *t),
                Cell::Owned(t) => sheet.write_string(row, col, t),
                Cell::Number(n) => sheet.write_number(row, col, *n),
                Cell::Date(y, m, d) => sheet.write_datetime_with_format(
                    row,
                    col,
                    ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                    &date,
                ),
                Cell::Bool(b) => sheet.write_boolean(row, col, *b),
                Cell::Error => {
                    sheet.write_formula(row, col, Formula::new("=NA()").set_result("#N/A"))
                }
            }
            .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The headers of the CSV template of `variety`.
async fn csv_headers(staff: &tejian_client::AuthedClient, variety: &str) -> Vec<String> {
    let bytes = staff
        .import_template(variety, ExportFormat::Csv)
        .await
        .unwrap();
    String::from_utf8(bytes)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(str::to_owned)
        .collect()
}

async fn post(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    app.http()
        .post(app.url("/api/v1/equipment/import?variety=3110"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap().to_owned())
        .collect()
}

async fn xlsx_import_all_or_nothing(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-2").await;
    let credit = ent.me().await.unwrap().enterprise.unwrap().credit_code;
    let token = staff.access_token();
    let headers = csv_headers(&staff, "3110").await;
    let count = || async {
        ent.equipment_search(&EquipmentQuery::default())
            .await
            .unwrap()
            .total
    };
    let before = count().await;

    // Dates as date cells and as text, numbers as numeric cells (one a float a hair off 1.75,
    // as a formula result would be), a boolean cell.
    let good = vec![
        (
            2,
            vec![
                ("使用单位统一社会信用代码", Cell::Owned(credit.clone())),
                ("品种代码", Cell::Number(3110.0)),
                ("注册代码", Cell::Text("31103305022021050101")),
                ("使用地点", Cell::Text("A 座")),
                ("辖区代码", Cell::Number(330_502.0)),
                ("制造日期", Cell::Date(2020, 5, 1)),
                ("投入使用日期", Cell::Text("2020/06/01")),
                ("使用状态", Cell::Text("在用")),
                ("层站数(层/站)", Cell::Number(18.0)),
                ("额定速度(m/s)", Cell::Number(1.75 + f64::EPSILON)),
                ("机房", Cell::Bool(true)),
            ],
        ),
        (
            3,
            vec![
                ("使用单位统一社会信用代码", Cell::Owned(credit.clone())),
                ("品种代码", Cell::Text("3120")),
                ("设备代码", Cell::Text("31203310020210001")),
                ("使用地点", Cell::Text("B 座")),
                ("辖区代码", Cell::Text("330502")),
                ("下次检验日期", Cell::Date(2027, 5, 31)),
            ],
        ),
    ];
    // Row 4 is left empty; the bad row is row 5, as Excel shows it.
    let bad = (
        5,
        vec![
            ("使用单位统一社会信用代码", Cell::Text("91330000000000000X")),
            ("品种代码", Cell::Number(3110.0)),
            ("注册代码", Cell::Text("31103305022021130101")),
            ("辖区代码", Cell::Number(330_502.0)),
            ("出厂编号", Cell::Error),
            ("制造日期", Cell::Text("昨天")),
            ("层站数(层/站)", Cell::Number(999.0)),
        ],
    );
    let mut rows = good;
    rows.push(bad);
    let r = post(&app, &token, XLSX_CONTENT_TYPE, workbook(&headers, &rows)).await;
    assert_eq!(r.status().as_u16(), 422);
    let problem: Value = r.json().await.unwrap();
    let found = pointers(&problem);
    for expected in [
        "/rows/5/使用单位统一社会信用代码",
        "/rows/5/注册代码",
        "/rows/5/使用地点",
        "/rows/5/出厂编号",
        "/rows/5/制造日期",
        "/rows/5/层站数(层/站)",
    ] {
        assert!(
            found.iter().any(|p| p == expected),
            "{expected} not in {found:?}"
        );
    }
    assert!(
        found.iter().all(|p| p.starts_with("/rows/5/")),
        "good rows have no problems: {found:?}"
    );
    let details: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("第 5 行「制造日期」") && d.contains("昨天")),
        "{details:?}"
    );
    assert!(details.iter().any(|d| d.contains("#N/A")), "{details:?}");
    assert_eq!(count().await, before, "nothing is imported");

    // Without the bad row, both go in; the format is found from the bytes alone.
    rows.pop();
    let r = post(
        &app,
        &token,
        "application/octet-stream",
        workbook(&headers, &rows),
    )
    .await;
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 2);
    assert_eq!(count().await, before + 2);
    let found = ent
        .equipment_search(&EquipmentQuery {
            registration_code: Some("31103305022021050101".into()),
            ..EquipmentQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let detail = ent.equipment_by_id(found.items[0].id).await.unwrap();
    assert_eq!(
        detail.manufacture_date,
        Some(time::macros::date!(2020 - 05 - 01))
    );
    assert_eq!(
        detail.commissioning_date,
        Some(time::macros::date!(2020 - 06 - 01))
    );
    assert_eq!(detail.summary.variety_code, "3110");
    assert_eq!(detail.summary.district_code, "330502");
    let speed = &detail.params["rated_speed_m_s"];
    assert!(
        speed == "1.75" || speed.as_f64() == Some(1.75),
        "{}",
        detail.params
    );
    assert_eq!(detail.params["floors"], 18);
    assert_eq!(detail.params["machine_room"], true);

    // Importing the same workbook again: every code is already on the platform.
    let r = post(&app, &token, XLSX_CONTENT_TYPE, workbook(&headers, &rows)).await;
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "already_registered");
    assert_eq!(problem["errors"][0]["pointer"], "/rows/2/注册代码");
}
both!(xlsx_import_all_or_nothing);

async fn import_refuses_other_files_and_big_bodies(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-2").await;
    let token = staff.access_token();
    let field_code = |problem: &Value| problem["errors"][0]["code"].as_str().unwrap().to_owned();

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    // Enterprises are refused before the file is looked at.
    let r = post(&app, &ent.access_token(), "image/png", png.clone()).await;
    assert_eq!(r.status().as_u16(), 403);
    for (content_type, body, code) in [
        ("image/png", png, "unsupported_file_type"),
        (
            "application/pdf",
            b"%PDF-1.7\n%\xe2\xe3".to_vec(),
            "unsupported_file_type",
        ),
        (
            "application/vnd.ms-excel",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec(),
            "unsupported_file_type",
        ),
        (
            XLSX_CONTENT_TYPE,
            b"a,b\r\n1,2\r\n".to_vec(),
            "invalid_xlsx",
        ),
        (
            XLSX_CONTENT_TYPE,
            workbook(&["a".into()], &[]).into_iter().take(300).collect(),
            "invalid_xlsx",
        ),
        (
            "text/csv",
            b"\xca\xb9\xd3\xc3,\xb5\xa5\xce\xbb\r\n".to_vec(),
            "invalid_encoding",
        ),
    ] {
        let r = post(&app, &token, content_type, body).await;
        assert_eq!(r.status().as_u16(), 422, "{code}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(field_code(&problem), code, "{problem}");
        assert_eq!(problem["errors"][0]["pointer"], "/file");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("XLSX") || d.contains("CSV")),
            "{problem}"
        );
    }

    // Over 5 MB: problem+json, whether the size is declared or only counted.
    let limit = tejian_contract::equipment::MAX_IMPORT_BYTES;
    let r = post(&app, &token, "text/csv", vec![b'a'; limit + 1]).await;
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "payload_too_large");
    assert!(
        problem["detail"].as_str().unwrap().contains("5 MB"),
        "{problem}"
    );
    let addr = app.base.trim_start_matches("http://").to_owned();
    let response = tokio::task::spawn_blocking(move || chunked_upload(&addr, &token, limit + 1))
        .await
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(
        response.contains("application/problem+json") && response.contains("payload_too_large"),
        "{response}"
    );
}
both!(import_refuses_other_files_and_big_bodies);

/// Sends `size` bytes with chunked transfer encoding (no Content-Length) over a plain socket and
/// returns the raw response.
fn chunked_upload(addr: &str, token: &str, size: usize) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /api/v1/equipment/import?variety=3110 HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: text/csv\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'a'; 256 * 1024];
    let mut sent = 0;
    // The server may answer and stop reading before everything is sent.
    while sent < size {
        let n = chunk.len().min(size - sent);
        let frame = [
            format!("{n:x}\r\n").as_bytes(),
            &chunk[..n],
            b"\r\n".as_slice(),
        ]
        .concat();
        if stream.write_all(&frame).is_err() {
            break;
        }
        sent += n;
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

async fn xlsx_template_round_trip(app: TestApp) {
    let staff = app.login("demo-institute").await;
    let ent = app.login("demo-ent-2").await;
    let credit = ent.me().await.unwrap().enterprise.unwrap().credit_code;
    let token = staff.access_token();
    let r = app
        .http()
        .get(app.url("/api/v1/equipment/import-template?variety=3110&format=xlsx"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], XLSX_CONTENT_TYPE);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("equipment-template-3110.xlsx"),
        "{disposition}"
    );
    let template = r.bytes().await.unwrap().to_vec();

    // The first sheet holds the same header row as the CSV template, in bold; notes follow.
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(template.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["设备", "填写说明"]);
    let range = book.worksheet_range("设备").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let csv = csv_headers(&staff, "3110").await;
    assert_eq!(header, csv);
    assert_eq!(
        range.height(),
        1,
        "no example row to delete before importing"
    );
    let styles = book.worksheet_style("设备").unwrap();
    assert!(
        styles
            .get((0, 0))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold()),
        "the header row is bold"
    );
    let notes = book.worksheet_range("填写说明").unwrap();
    let notes_text: Vec<String> = notes.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        notes_text.iter().any(|t| t.contains("2024-03-15")),
        "{notes_text:?}"
    );

    // The untouched template has no rows; filled in, it imports.
    let r = post(&app, &token, XLSX_CONTENT_TYPE, template).await;
    assert_eq!(r.status().as_u16(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "empty_file");
    let filled = workbook(
        &header,
        &[(
            2,
            vec![
                ("使用单位统一社会信用代码", Cell::Owned(credit)),
                ("品种代码", Cell::Text("3110")),
                ("注册代码", Cell::Text("31103305022021050101")),
                ("使用地点", Cell::Text("C 座")),
                ("辖区代码", Cell::Text("330502")),
                ("制造日期", Cell::Date(2021, 1, 31)),
            ],
        )],
    );
    let r = post(&app, &token, XLSX_CONTENT_TYPE, filled).await;
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 1);

    // An unknown variety has no template in either format; enterprises get none.
    for format in ["csv", "xlsx"] {
        let r = app
            .http()
            .get(app.url(&format!(
                "/api/v1/equipment/import-template?variety=9999&format={format}"
            )))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422);
    }
    let e = ent
        .import_template("3110", ExportFormat::Xlsx)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403));
}
both!(xlsx_template_round_trip);
