//! `tejian-bench`: seeds (or reuses) a PostgreSQL benchmark database, starts the release server
//! on it, runs the harness from this process, prints the table and writes bench/RESULTS.md.
//! Run it through `cargo xtask bench` (`just bench`), which builds the release binaries first.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use tejian_bench::{Options, Results, Target, report};

#[derive(Parser)]
#[command(name = "tejian-bench", about = "tejian 基准测试")]
struct Args {
    /// `province` (100,000 enterprises, 1,000,000 equipment) or `city` (30,000 / 300,000).
    #[arg(long, default_value = "province")]
    scale: String,
    /// Seed number of the data set.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds of each load run.
    #[arg(long, default_value_t = 3.0)]
    duration: f64,
    /// Concurrency levels.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    clients: Vec<usize>,
    /// The release server binary.
    #[arg(long, default_value = "target/release/tejian")]
    server: PathBuf,
    /// PostgreSQL server (without a database name).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pg: String,
    /// The benchmark database.
    #[arg(long, default_value = "tejian_bench")]
    database: String,
    /// The server's data directory (stored report PDFs live here, next to the database).
    #[arg(long, default_value = "target/bench-data")]
    data_dir: PathBuf,
    /// Port of the server under test.
    #[arg(long, default_value_t = 18_080)]
    port: u16,
    /// Drop and reseed even when the seed marker matches.
    #[arg(long)]
    reseed: bool,
    /// Where to write the results.
    #[arg(long, default_value = "bench/RESULTS.md")]
    out: PathBuf,
}

/// The heading of the hand-written section of RESULTS.md that a new run keeps.
const KEPT_HEADING: &str = "## 未达标原因 (misses and why)";

#[tokio::main]
async fn main() {
    if let Err(e) = run(Args::parse()).await {
        eprintln!("tejian-bench: {e}");
        std::process::exit(1);
    }
}

async fn connect(url: &str, pool: u32) -> Result<DatabaseConnection, String> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(pool).sqlx_logging(false);
    Database::connect(options)
        .await
        .map_err(|e| format!("{url}: {e}"))
}

async fn text(db: &DatabaseConnection, sql: &str) -> Option<String> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .ok()??;
    row.try_get_by_index::<String>(0).ok()
}

/// The seed marker of the database and the seed run's figures (JSON), if it was seeded.
async fn marker(db: &DatabaseConnection) -> Option<(String, String)> {
    let marker = text(
        db,
        "SELECT entity_id FROM audit_log WHERE action = 'scale_seed' ORDER BY id DESC LIMIT 1",
    )
    .await?;
    let after = text(
        db,
        "SELECT CAST(after AS TEXT) FROM audit_log WHERE action = 'scale_seed' ORDER BY id DESC LIMIT 1",
    )
    .await
    .unwrap_or_default();
    Some((marker, after))
}

fn server_command(args: &Args, db_url: &str) -> Command {
    let mut cmd = Command::new(&args.server);
    cmd.env("DATABASE_URL", db_url)
        .env("TEJIAN_DATA_DIR", &args.data_dir)
        .env("TEJIAN_DEMO", "false")
        .env("TEJIAN_ADDR", format!("127.0.0.1:{}", args.port))
        .env("TEJIAN_ACCESS_TTL_SECONDS", "86400")
        // A throwaway signing key: the benchmark server holds nothing worth protecting.
        .env(
            "TEJIAN_JWT_SECRET",
            "tejian-bench-only-secret-never-used-in-production",
        )
        .env("RUST_LOG", "warn");
    cmd
}

/// Uses the database when its marker matches, else recreates and seeds it.
async fn prepare(args: &Args, db_url: &str) -> Result<String, String> {
    let wanted = format!("scale={};seed={}", args.scale, args.seed);
    let admin = connect(&format!("{}/postgres", args.pg), 2).await?;
    let exists = text(
        &admin,
        &format!(
            "SELECT datname::text FROM pg_database WHERE datname = '{}'",
            args.database
        ),
    )
    .await
    .is_some();
    if exists && !args.reseed {
        let db = connect(db_url, 2).await?;
        let found = marker(&db).await;
        db.close().await.ok();
        if let Some((m, after)) = found
            && m == wanted
        {
            println!("数据库 {} 已有 {m} 的数据，直接使用", args.database);
            return Ok(after);
        }
    }
    println!("重建数据库 {} 并写入 {wanted} ...", args.database);
    for sql in [
        format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", args.database),
        format!("CREATE DATABASE {}", args.database),
    ] {
        admin
            .execute_unprepared(&sql)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    admin.close().await.ok();
    let _ = std::fs::remove_dir_all(&args.data_dir);
    std::fs::create_dir_all(&args.data_dir).map_err(|e| e.to_string())?;
    let status = server_command(args, db_url)
        .args([
            "seed",
            "--scale",
            &args.scale,
            "--seed",
            &args.seed.to_string(),
        ])
        .status()
        .map_err(|e| format!("{}: {e}", args.server.display()))?;
    if !status.success() {
        return Err(format!("tejian seed failed: {status}"));
    }
    let db = connect(db_url, 2).await?;
    let found = marker(&db).await;
    db.close().await.ok();
    found
        .map(|(_, after)| after)
        .ok_or_else(|| "no seed marker after seeding".to_owned())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(args: &Args, db_url: &str) -> Result<Server, String> {
    let log = std::fs::File::create(args.data_dir.join("server.log")).map_err(|e| e.to_string())?;
    let child = server_command(args, db_url)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("{}: {e}", args.server.display()))?;
    let server = Server(child);
    let url = format!("http://127.0.0.1:{}/readyz", args.port);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(r) = reqwest::get(&url).await
            && r.status().is_success()
        {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!(
        "server not ready after 60 s; see {}",
        args.data_dir.join("server.log").display()
    ))
}

fn shell(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".to_owned())
}

fn mem_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(
            || "?".to_owned(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        )
}

/// The SPA's wasm files: total bytes raw and gzip -9.
fn wasm_size(dist: &Path) -> Option<(u64, u64)> {
    let mut raw = 0;
    let mut gz = 0;
    for entry in std::fs::read_dir(dist).ok()?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = std::fs::read(&path).ok()?;
            raw += bytes.len() as u64;
            let mut encoder = flate2::read::GzEncoder::new(&bytes[..], flate2::Compression::best());
            let mut out = Vec::new();
            encoder.read_to_end(&mut out).ok()?;
            gz += out.len() as u64;
        }
    }
    (raw > 0).then_some((raw, gz))
}

/// SPA time to first rendered list: `bench/first-list.mjs` (headless Chromium, cold cache, the
/// enterprise user's 设备查询) against the running server, as one line for RESULTS.md; says why
/// when it could not run (no node, Chromium or e2e/node_modules).
async fn first_list(base: &str, user: &str, password: &str) -> String {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new("e2e/node_modules/playwright-core").is_dir() || !Path::new(&chromium).exists() {
        return "未测量：需要 e2e/node_modules（`cargo xtask setup`）与 Chromium".to_owned();
    }
    let args = [
        "bench/first-list.mjs".to_owned(),
        format!("--base={base}"),
        format!("--user={user}"),
        format!("--password={password}"),
        "--runs=5".to_owned(),
    ];
    let output = tokio::process::Command::new("node")
        .args(args)
        .output()
        .await;
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            return format!(
                "未测量：{}",
                String::from_utf8_lossy(&o.stderr)
                    .trim()
                    .lines()
                    .last()
                    .unwrap_or("node failed")
            );
        }
        Err(e) => return format!("未测量：node: {e}"),
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else {
        return "未测量：first-list.mjs 的输出不是 JSON".to_owned();
    };
    let median = v["median_ms"].as_f64().unwrap_or(f64::NAN);
    format!(
        "中位数 {median:.0} ms（{} 次冷缓存，{user} 的设备查询，导航开始到首行绘制；最短 {} / 最长 {} ms；\
         wasm 传输 {:.0} KB）— 目标 ≤ 1500 ms：{}",
        v["runs"],
        v["min_ms"],
        v["max_ms"],
        v["wasm_transfer_bytes"].as_f64().unwrap_or(0.0) / 1024.0,
        if median <= 1500.0 {
            "达标"
        } else {
            "**未达标**"
        }
    )
}

fn seed_section(after: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(after) else {
        return "（无写入记录）\n".to_owned();
    };
    let mut out = format!(
        "写入于 {}，共 {:.1} s；报告 PDF 渲染 {} 份，平均 {:.1} ms/份。\n\n| 表 | 行数 | 秒 | 行/s |\n|---|---|---|---|\n",
        v["seeded_on"].as_str().unwrap_or("?"),
        v["total_seconds"].as_f64().unwrap_or(0.0),
        v["pdfs"],
        v["pdf_render_ms"].as_f64().unwrap_or(0.0),
    );
    for t in v["tables"].as_array().into_iter().flatten() {
        let rows = t["rows"].as_f64().unwrap_or(0.0);
        let secs = t["seconds"].as_f64().unwrap_or(0.0);
        out.push_str(&format!(
            "| {} | {} | {:.2} | {:.0} |\n",
            t["table"].as_str().unwrap_or("?"),
            rows,
            secs,
            if secs > 0.0 { rows / secs } else { 0.0 }
        ));
    }
    out
}

async fn run(args: Args) -> Result<(), String> {
    let db_url = format!("{}/{}", args.pg, args.database);
    let seed = prepare(&args, &db_url).await?;
    let server = start_server(&args, &db_url).await?;
    let pid = server.0.id();
    // The server's pool holds 20 connections; the raw SQL side gets as many.
    let db = connect(&db_url, 20).await?;
    let pg_version = text(&db, "SELECT version()").await.unwrap_or_default();
    // Other work on the machine skews the figures; the load average says how much there was.
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let target = Target {
        base: format!("http://127.0.0.1:{}", args.port),
        db: db.clone(),
        server_pid: Some(pid),
        ent_user: "bench-ent".to_owned(),
        staff_user: "bench-institute".to_owned(),
        password: "Tejian-demo-2026".to_owned(),
    };
    let options = Options {
        duration: Duration::from_secs_f64(args.duration),
        clients: args.clients.clone(),
        progress: true,
    };
    eprintln!("{}", report::table(&Results::default()).trim_end());
    let results = tejian_bench::run(&target, &options).await?;
    let idle_rss = tejian_bench::load::rss_kb(pid);
    let first_list = first_list(&target.base, &target.ent_user, &target.password).await;
    println!("SPA 首个列表渲染: {first_list}");
    let load_after = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    drop(server);

    let table = report::table(&results);
    println!("\n{table}");
    let wasm = wasm_size(Path::new("frontend/dist"));
    let wasm_line = match wasm {
        Some((raw, gz)) => format!(
            "{:.0} KB raw, {:.0} KB gzip -9",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0
        ),
        None => "frontend/dist 中没有 wasm（先运行 `cargo xtask spa`）".to_owned(),
    };
    println!("SPA wasm: {wasm_line}");
    println!("{}", report::targets(&results, wasm.map(|w| w.1)));

    let kept = std::fs::read_to_string(&args.out)
        .ok()
        .and_then(|old| old.find(KEPT_HEADING).map(|i| old[i..].to_owned()))
        .unwrap_or_else(|| format!("{KEPT_HEADING}\n\n（运行后手写。）\n"));
    let commit = shell("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = if shell("git", &["status", "--porcelain"]).is_empty() {
        ""
    } else {
        " (未提交的修改)"
    };
    let markdown = format!(
        "# tejian 基准测试结果\n\n\
         由 `just bench --scale {scale}`（`cargo xtask bench`）生成；数字是测得的，不是断言的。\n\n\
         ## 机器与版本\n\n\
         - 日期: {date}\n- git: {commit}{dirty}\n- nproc: {nproc}\n- 内存: {mem}\n\
         - 负载均值 (/proc/loadavg) 开始 / 结束: {load_before} / {load_after}\n\
         - PostgreSQL: {pg_version}\n- 数据: {scale} (seed {seed_no})，数据库 `{db}`，同机\n\
         - 负载: 本进程经回环地址，每个场景每个并发 {duration} s；原始 SQL 与服务器同样各 20 个连接\n\
         - 服务器: `{server}`，负载结束时 RSS {idle}\n\n\
         ## 数据写入速度 (`tejian seed --scale {scale}`)\n\n{seed_md}\n\
         ## 结果\n\n\
         API/SQL p95 是同一结果集由 API 返回与由原始 SQL 取回的 p95 之比；报告下载的 SQL 侧只取记录\
         （文件读取与压缩不是 SQL）；费用估算、登录、报检申请提交没有对应的只读 SQL。\n\n{table}\n\
         错误:\n\n{errors}\n\
         ## 其他\n\n- SPA wasm: {wasm_line}\n- 报告 PDF 渲染: 见上方写入速度（写入时为 bench-ent 渲染）\n\
         - SPA 首个列表渲染时间（headless Chromium）: {first_list}\n\n\
         ## 企业用户查询计划 (EXPLAIN)\n\n{plans}\n\
         ## 目标对照 (issue 7 第 3 项)\n\n{targets}\n{kept}",
        scale = args.scale,
        seed_no = args.seed,
        date = shell("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        nproc = std::thread::available_parallelism().map_or(0, |n| n.get()),
        mem = mem_total(),
        db = args.database,
        server = args.server.display(),
        load_before = load_before
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        load_after = load_after
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        duration = args.duration,
        idle = idle_rss.map_or("?".to_owned(), |kb| format!("{:.0} MB", kb as f64 / 1024.0)),
        seed_md = seed_section(&seed),
        errors = {
            let e = report::errors(&results);
            if e.is_empty() {
                "（无）\n".to_owned()
            } else {
                e
            }
        },
        plans = report::plans(&results),
        targets = report::targets(&results, wasm.map(|w| w.1)),
    );
    std::fs::write(&args.out, markdown).map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!("已写入 {}", args.out.display());
    db.close().await.ok();
    Ok(())
}
