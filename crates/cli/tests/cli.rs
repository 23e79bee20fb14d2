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

    let (ok, out, _) = run(&["logout"]).await.unwrap();
    assert!(ok && out.contains("已退出"));
    assert!(!session.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
