//! tejianctl against a real server: login keeps a private session file, later commands use it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use tejian_api::config::{Settings, sqlite_url};
use tejian_api::seed::{self, SeedSize};
use tejian_api::startup::Application;

fn tejianctl(api: &str, home: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tejianctl"))
        .args(args)
        .env("TEJIAN_API", api)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("TEJIAN_PASSWORD", "Tejian-demo-2026")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn login_me_reference_logout() {
    let dir = std::env::temp_dir().join(format!("tejianctl-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings::for_database(&sqlite_url(&dir.join("db.sqlite")), &dir);
    let app = Application::build(settings).await.unwrap();
    seed::seed(app.db(), app.files(), SeedSize::Small)
        .await
        .unwrap();
    let api = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();

    let run = |args: &'static [&'static str]| {
        let api = api.clone();
        let home = home.clone();
        tokio::task::spawn_blocking(move || tejianctl(&api, &home, args))
    };

    let (ok, _, err) = run(&["me"]).await.unwrap();
    assert!(!ok && err.contains("尚未登录"), "{err}");

    let (ok, out, err) = run(&["login", "-u", "demo-institute"]).await.unwrap();
    assert!(ok, "{err}");
    assert!(out.contains("已登录"));
    let session = home.join(".config/tejian/session.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&session).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    let (ok, out, err) = run(&["me", "--json"]).await.unwrap();
    assert!(ok, "{err}");
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(me["username"], "demo-institute");
    assert_eq!(me["role"], "institute");

    let (ok, out, err) = run(&["equipment", "template", "--variety", "3110"])
        .await
        .unwrap();
    assert!(ok && out.contains("层站数"), "{err}");
    let csv_path = dir.join("import.csv");
    std::fs::write(
        &csv_path,
        format!("{}\n", out.trim_start_matches('\u{feff}').trim_end()),
    )
    .unwrap();
    let import = [
        "equipment",
        "import",
        "--variety",
        "3110",
        csv_path.to_str().unwrap(),
    ]
    .map(str::to_owned);
    let (ok, _, err) = {
        let api = api.clone();
        let home = home.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = import.iter().map(String::as_str).collect();
            tejianctl(&api, &home, &args)
        })
        .await
        .unwrap()
    };
    assert!(
        !ok && err.contains("没有数据行"),
        "an empty file imports nothing: {err}"
    );

    let (ok, out, _) = run(&["reference", "offices"]).await.unwrap();
    assert!(
        ok && out.contains("南浔办事处") && out.contains("0572-3652231"),
        "{out}"
    );

    // demo-institute sees every change; log in as the bureau to work its queue.
    let (ok, out, err) = run(&["status-changes", "list", "--json"]).await.unwrap();
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["total"], 3);
    let (ok, _, err) = run(&["login", "-u", "demo-bureau"]).await.unwrap();
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["status-changes", "list", "--state", "submitted", "--json"])
        .await
        .unwrap();
    assert!(ok, "{err}");
    let queue: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(queue["total"], 1);
    let id = queue["items"][0]["id"].as_i64().unwrap();
    let approve = [
        "status-changes",
        "approve",
        "--opinion",
        "同意",
        &id.to_string(),
    ]
    .map(str::to_owned);
    let (ok, out, err) = {
        let api = api.clone();
        let home = home.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = approve.iter().map(String::as_str).collect();
            tejianctl(&api, &home, &args)
        })
        .await
        .unwrap()
    };
    assert!(ok, "{err}");
    assert!(out.contains("已批准"), "{out}");
    let (ok, _, err) = run(&["status-changes", "reject", "--opinion", "x", "999999"])
        .await
        .unwrap();
    assert!(!ok && err.contains("不存在"), "{err}");

    // 交流互动: the bureau's queue of conversations awaiting its reply, a reply, a closed one.
    let (ok, out, err) = run(&[
        "conversations",
        "list",
        "--state",
        "awaiting_reply",
        "--json",
    ])
    .await
    .unwrap();
    assert!(ok, "{err}");
    let queue: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(queue["total"], 1);
    let id = queue["items"][0]["id"].as_i64().unwrap().to_string();
    let reply = ["conversations", "reply", &id, "--content", "可以集中安排。"].map(str::to_owned);
    let (ok, out, err) = run_owned(&api, &home, reply.to_vec()).await;
    assert!(ok, "{err}");
    assert!(
        out.contains("已回复") && out.contains("可以集中安排。"),
        "{out}"
    );
    let (ok, out, err) = run(&["conversations", "list", "--state", "closed"])
        .await
        .unwrap();
    assert!(
        ok && out.contains("共 1 条") && out.contains("叉车"),
        "{out}{err}"
    );
    let (ok, _, err) = run(&["conversations", "close", "999999"]).await.unwrap();
    assert!(!ok && err.contains("不存在"), "{err}");

    let (ok, out, _) = run(&["logout"]).await.unwrap();
    assert!(ok && out.contains("已退出"));
    assert!(!session.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs tejianctl with owned arguments on a blocking thread.
async fn run_owned(api: &str, home: &std::path::Path, args: Vec<String>) -> (bool, String, String) {
    let (api, home) = (api.to_owned(), home.to_owned());
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tejianctl(&api, &home, &args)
    })
    .await
    .unwrap()
}

/// A workbook with the template's `headers` in row 1 and one row of text cells in row 2 (plus a
/// date cell for 制造日期, when given).
fn workbook(headers: &[&str], row: &[(&str, &str)], made: Option<(u16, u8, u8)>) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_string(0, col, *h).unwrap();
        if let Some((_, v)) = row.iter().find(|(k, _)| k == h) {
            sheet.write_string(1, col, *v).unwrap();
        }
        if let (Some((y, m, d)), "制造日期") = (made, *h) {
            let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
            let value = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).unwrap();
            sheet
                .write_datetime_with_format(1, col, value, &date)
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn xlsx_template_and_import() {
    let dir = std::env::temp_dir().join(format!("tejianctl-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings::for_database(&sqlite_url(&dir.join("db.sqlite")), &dir);
    let app = Application::build(settings).await.unwrap();
    seed::seed(app.db(), app.files(), SeedSize::Small)
        .await
        .unwrap();
    let api = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let run =
        |args: &[&str]| run_owned(&api, &home, args.iter().map(|a| (*a).to_owned()).collect());
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();

    let (ok, _, err) = run(&["login", "-u", "demo-ent-2"]).await;
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["me", "--json"]).await;
    assert!(ok, "{err}");
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    let credit = me["enterprise"]["credit_code"].as_str().unwrap().to_owned();
    let (ok, _, err) = run(&["login", "-u", "demo-institute"]).await;
    assert!(ok, "{err}");

    // The XLSX template goes to a file.
    let template = path("template-3110.xlsx");
    let (ok, out, err) = run(&[
        "equipment",
        "template",
        "--variety",
        "3110",
        "--format",
        "xlsx",
        "-o",
        &template,
    ])
    .await;
    assert!(ok, "{err}");
    assert!(out.contains("已保存导入模板"), "{out}");
    assert!(std::fs::read(&template).unwrap().starts_with(b"PK\x03\x04"));
    let (ok, csv, err) = run(&["equipment", "template", "--variety", "3110"]).await;
    assert!(ok, "{err}");
    let headers: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .collect();

    // A good workbook: plain progress steps (stdout is not a terminal), then the count.
    let good = path("good.xlsx");
    std::fs::write(
        &good,
        workbook(
            &headers,
            &[
                ("使用单位统一社会信用代码", &credit),
                ("品种代码", "3110"),
                ("注册代码", "31103305022021050101"),
                ("使用地点", "A 座"),
                ("辖区代码", "330502"),
                ("层站数(层/站)", "18"),
            ],
            Some((2020, 5, 1)),
        ),
    )
    .unwrap();
    let (ok, out, err) = run(&["equipment", "import", "--variety", "3110", &good]).await;
    assert!(ok, "{err}");
    assert!(out.contains("已导入 1 台设备"), "{out}");
    assert!(
        err.contains("XLSX")
            && err.contains("已上传，服务器正在校验并写入")
            && err.contains("用时"),
        "plain step lines: {err}"
    );
    assert!(
        !err.contains('\r') && !err.contains('\u{1b}'),
        "no bar drawn: {err:?}"
    );

    // A bad workbook: the table of row, column and reason; nothing imported; exit code 1.
    let bad = path("bad.xlsx");
    std::fs::write(
        &bad,
        workbook(
            &headers,
            &[
                ("使用单位统一社会信用代码", &credit),
                ("品种代码", "3110"),
                ("注册代码", "31103305022021050101"),
                ("辖区代码", "330502"),
                ("制造日期", "昨天"),
            ],
            None,
        ),
    )
    .unwrap();
    let (ok, out, err) = run(&["equipment", "import", "--variety", "3110", &bad]).await;
    assert!(!ok);
    assert!(err.contains("未导入任何设备"), "{err}");
    let table: Vec<&str> = out.lines().collect();
    assert!(
        table[0].starts_with("行") && table[0].ends_with("原因"),
        "{out}"
    );
    for (column, reason) in [
        ("注册代码", "已在平台上"),
        ("使用地点", "请填写"),
        ("制造日期", "昨天"),
    ] {
        assert!(
            table
                .iter()
                .any(|l| l.starts_with("2 ") && l.contains(column) && l.contains(reason)),
            "{column}: {out}"
        );
    }
    let (ok, out, _) = run(&["equipment", "import", "--variety", "3110", &bad, "--json"]).await;
    assert!(!ok);
    let problem: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert!(pointers.contains(&"/rows/2/注册代码"), "{pointers:?}");

    // Not a spreadsheet at all: the server's reason, exit code 1.
    let pdf = path("scan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap();
    let (ok, _, err) = run(&["equipment", "import", "--variety", "3110", &pdf]).await;
    assert!(!ok && err.contains("unsupported_file_type"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An integrator's script: `TEJIAN_API_TOKEN` instead of a login; nothing is saved.
#[tokio::test]
async fn api_token_from_the_environment() {
    let dir = std::env::temp_dir().join(format!("tejianctl-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings::for_database(&sqlite_url(&dir.join("db.sqlite")), &dir);
    let app = Application::build(settings).await.unwrap();
    seed::seed(app.db(), app.files(), SeedSize::Small)
        .await
        .unwrap();
    let api = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let (admin, _) = tejian_client::Client::new(&api)
        .login("demo-ent-1", "Tejian-demo-2026")
        .await
        .unwrap();
    let token = admin
        .create_api_token(&tejian_contract::users::NewApiToken {
            name: "脚本".to_owned(),
            scope: tejian_domain::api_token::TokenScope::Read,
            expires_in_days: None,
        })
        .await
        .unwrap()
        .token;
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let run = |args: &'static [&'static str], token: String| {
        let api = api.clone();
        let home = home.clone();
        tokio::task::spawn_blocking(move || {
            let out = Command::new(env!("CARGO_BIN_EXE_tejianctl"))
                .args(args)
                .env("TEJIAN_API", &api)
                .env("HOME", &home)
                .env("XDG_CONFIG_HOME", home.join(".config"))
                .env("TEJIAN_API_TOKEN", token)
                .output()
                .unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
    };
    let (ok, out, err) = run(&["applications", "list"], token.clone()).await.unwrap();
    assert!(ok, "{err}");
    assert!(!out.trim().is_empty());
    // A token is not a person: no profile.
    let (ok, _, err) = run(&["me"], token.clone()).await.unwrap();
    assert!(!ok && err.contains("not_for_api_tokens"), "{err}");
    assert!(
        !home.join(".config/tejian/session.json").exists(),
        "nothing saved"
    );
    let (ok, _, err) = run(&["applications", "list"], format!("tjk_{}", "x".repeat(43)))
        .await
        .unwrap();
    assert!(!ok && err.contains("unauthenticated"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `tejianctl registrations list|show|approve|reject` and `enterprises create` (manual 3.1, 3.2).
#[tokio::test]
async fn registrations_and_offline_accounts() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tejian_api::store::entity::outbox_message;
    use tejian_contract::registration::AccountApplication;

    let dir = std::env::temp_dir().join(format!("tejianctl-reg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings::for_database(&sqlite_url(&dir.join("db.sqlite")), &dir);
    let app = Application::build(settings).await.unwrap();
    seed::seed(app.db(), app.files(), SeedSize::Small)
        .await
        .unwrap();
    let db = app.db().clone();
    let api = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let run = |args: Vec<String>| {
        let api = api.clone();
        let home = home.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            tejianctl(&api, &home, &args)
        })
    };
    let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let code = |first17: &str| {
        format!(
            "{first17}{}",
            tejian_domain::credit_code::check_char(first17).unwrap()
        )
    };

    // Two online registrations.
    let client = tejian_client::Client::new(&api);
    let png = b"\x89PNG\r\n\x1a\n-licence".to_vec();
    let (first, second) = (code("91330502MA2B3C4D5"), code("91330502MA2B3C4D6"));
    for (credit_code, name) in [(&first, "湖州甲公司"), (&second, "湖州乙公司")] {
        let application = AccountApplication {
            unit_type: "use_unit".to_owned(),
            name: name.to_owned(),
            credit_code: credit_code.clone(),
            district_code: "330502".to_owned(),
            address: "湖州市吴兴区示例路 1 号".to_owned(),
            legal_representative: "王建国".to_owned(),
            safety_manager: "沈国强".to_owned(),
            safety_manager_phone: "13857201234".to_owned(),
            applicant_name: "钱丽".to_owned(),
            applicant_phone: "13957205678".to_owned(),
            email: None,
            terms_version: Some(tejian_domain::registration::TERMS_VERSION.to_owned()),
        };
        client
            .submit_registration(&application, "licence.png", png.clone())
            .await
            .unwrap();
    }

    let (ok, _, err) = run(args(&["login", "-u", "demo-institute"])).await.unwrap();
    assert!(ok, "{err}");
    let (ok, out, err) = run(args(&["registrations", "list", "--json"]))
        .await
        .unwrap();
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list["total"], 2);
    let id_of = |credit_code: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["credit_code"] == credit_code)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let (first_id, second_id) = (id_of(&first), id_of(&second));

    let licence = dir.join("licence.png");
    let (ok, out, err) = run(args(&[
        "registrations",
        "show",
        &first_id,
        "--licence",
        licence.to_str().unwrap(),
    ]))
    .await
    .unwrap();
    assert!(
        ok && out.contains("湖州甲公司") && out.contains("image/png"),
        "{out}{err}"
    );
    assert_eq!(std::fs::read(&licence).unwrap(), png);

    let (ok, out, err) = run(args(&["registrations", "approve", &first_id]))
        .await
        .unwrap();
    assert!(
        ok && out.contains("已通过") && out.contains(&first.to_lowercase()),
        "{out}{err}"
    );
    let (ok, _, err) = run(args(&["registrations", "approve", &first_id]))
        .await
        .unwrap();
    assert!(!ok && err.contains("不能再次审核"), "{err}");
    let (ok, _, err) = run(args(&["registrations", "reject", &second_id]))
        .await
        .unwrap();
    assert!(!ok, "a rejection needs --reason: {err}");
    let (ok, out, err) = run(args(&[
        "registrations",
        "reject",
        &second_id,
        "--reason",
        "营业执照不清晰",
    ]))
    .await
    .unwrap();
    assert!(ok && out.contains("已驳回"), "{out}{err}");
    let (ok, out, _) = run(args(&["registrations", "list"])).await.unwrap();
    assert!(
        ok && out.contains("共 0 条"),
        "nothing pending any more: {out}"
    );

    // Offline: the institute creates an enterprise from the paper form.
    let third = code("91330502MA2B3C4D7");
    let create = [
        "enterprises",
        "create",
        "--name",
        "湖州丙公司",
        "--credit-code",
        &third,
        "--district",
        "330502",
        "--address",
        "湖州市吴兴区示例路 3 号",
        "--legal-representative",
        "张伟",
        "--safety-manager",
        "吴斌",
        "--safety-manager-phone",
        "13857209999",
        "--applicant",
        "姚芳",
        "--applicant-phone",
        "13957208888",
    ];
    let (ok, out, err) = run(args(&create)).await.unwrap();
    assert!(
        ok && out.contains(&third.to_lowercase()) && out.contains("139****8888"),
        "{out}{err}"
    );
    let (ok, _, err) = run(args(&create)).await.unwrap();
    assert!(!ok && err.contains("已开通"), "{err}");
    let sms = outbox_message::Entity::find()
        .filter(outbox_message::Column::Recipient.eq("13957208888"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(sms.body.contains(&third.to_lowercase()) && sms.body.contains("初始密码"));
    let _ = std::fs::remove_dir_all(&dir);
}
