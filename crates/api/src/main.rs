//! `tejian`: the server binary. `tejian serve` with no configuration runs the whole platform on
//! http://127.0.0.1:8080 with an embedded SQLite database and demo data.

use clap::{Parser, Subcommand};
use tejian_api::config::Settings;
use tejian_api::seed::{self, DEMO_ACCOUNTS, DEMO_PASSWORD, SeedSize};
use tejian_api::startup::{Application, StartError, prepare_database};
use tejian_api::telemetry;

/// See the note on `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tejian", version, about = "tejian 特种设备企业服务平台")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and the SPA (default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Seed demo data into an empty database.
    Seed {
        /// `demo` (a whole city) or `small`.
        #[arg(long, default_value = "demo")]
        size: String,
        /// Benchmark data instead of demo data: `city` (30,000 enterprises, 300,000 pieces of
        /// equipment) or `province` (100,000 and 1,000,000), written in bulk.
        #[arg(long)]
        scale: Option<String>,
        /// Seed number of the scale data (the same number gives the same rows).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the OpenAPI document.
    Openapi,
}

fn print_demo_accounts(url: &str) {
    println!();
    println!("tejian 已启动: {url}");
    println!("API 文档: {url}/docs/");
    println!("演示账号（密码均为 {DEMO_PASSWORD}）:");
    for (username, role, who) in DEMO_ACCOUNTS {
        println!("  {username:<16} {role:<10} {who}");
    }
    println!();
}

/// `tejian seed --scale`: the use cases are built (the generator prices application items and
/// renders report PDFs with them) but no server runs.
async fn seed_scale(scale: &str, seed: u64) -> Result<(), StartError> {
    let counts = seed::scale::ScaleCounts::named(scale)
        .ok_or_else(|| format!("unknown scale {scale:?}: use city or province"))?;
    let mut settings = Settings::from_env()?;
    telemetry::init(settings.log_json);
    settings.demo = false;
    settings.addr = "127.0.0.1:0".to_owned();
    let app = Application::build(settings).await?;
    println!("写入规模数据 {scale} (seed {seed}) ...");
    let report = seed::scale::seed_scale(&app.services(), scale, counts, seed)
        .await
        .map_err(|e| e.to_string())?;
    println!("规模数据已写入 ({}):", seed::scale::marker(scale, seed));
    for line in report.lines() {
        println!("{line}");
    }
    Ok(())
}

#[actix_web::main]
async fn main() -> Result<(), StartError> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", tejian_api::http::openapi::document());
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_json);
            prepare_database(&settings).await?;
            println!("数据库迁移完成");
            Ok(())
        }
        Command::Seed {
            scale: Some(scale),
            seed,
            ..
        } => seed_scale(&scale, seed).await,
        Command::Seed { size, .. } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_json);
            let size = match size.as_str() {
                "demo" => SeedSize::Demo,
                "small" => SeedSize::Small,
                other => {
                    return Err(format!("unknown seed size {other:?}: use demo or small").into());
                }
            };
            let db = prepare_database(&settings).await?;
            if !seed::is_empty(&db).await? {
                println!("数据库已有数据，未写入演示数据");
                return Ok(());
            }
            let files =
                tejian_api::files::FileStore::from_url(&settings.storage_url, &settings.s3)?;
            let report = seed::seed(&db, &files, size)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "已写入演示数据: {} 家单位, {} 台设备, {} 条检验记录, {} 条状态变更申请",
                report.enterprises, report.equipment, report.inspections, report.status_changes
            );
            Ok(())
        }
        Command::Serve => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_json);
            let demo = settings.demo;
            let app = Application::build(settings.clone()).await?;
            // The bound port, so `TEJIAN_ADDR=…:0` (tests, several nodes) can be found.
            let addr = match settings.addr.rsplit_once(':') {
                Some((host, _)) => format!("{host}:{}", app.port()),
                None => settings.addr.clone(),
            };
            if demo {
                print_demo_accounts(&format!("http://{addr}"));
            } else {
                println!("tejian 已启动: http://{addr}");
            }
            app.run_until_stopped().await?;
            Ok(())
        }
    }
}
