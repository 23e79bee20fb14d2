//! `tejianctl`: back-office scripts over the tejian REST API.
//!
//! `tejianctl login -u demo-institute` keeps the session in the user's config directory (file mode
//! 0600); later commands reuse it and refresh it when the access token has expired. `--json`
//! prints machine-readable output for scripts.

mod conversations;
mod inspection;
mod registrations;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};
use tejian_client::{AuthedClient, Client, Error};
use tejian_contract::equipment::ExportFormat;

mod import;

#[derive(Parser)]
#[command(name = "tejianctl", version, about = "tejian 后台管理脚本")]
struct Cli {
    /// API server address.
    #[arg(
        long,
        env = "TEJIAN_API",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    api: String,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Log in and keep the session for later commands.
    Login {
        #[arg(short, long)]
        username: String,
        /// Read the password from this environment variable instead of prompting.
        #[arg(long, default_value = "TEJIAN_PASSWORD")]
        password_env: String,
    },
    /// End the kept session.
    Logout,
    /// Show the logged-in user.
    Me,
    /// Reference data.
    Reference {
        #[command(subcommand)]
        what: Reference,
    },
    /// 设备: import templates and bulk import (institute staff).
    Equipment {
        #[command(subcommand)]
        action: EquipmentCommand,
    },
    /// 设备使用状态变更: a bureau's queue and decisions.
    StatusChanges {
        #[command(subcommand)]
        action: StatusChanges,
    },
    /// 网上报检: the institute's queue, acceptance, scheduling and inspection results.
    Applications {
        #[command(subcommand)]
        action: inspection::Applications,
    },
    /// 检验报告: workflow, fees, opinion notices.
    Reports {
        #[command(subcommand)]
        action: inspection::Reports,
    },
    /// 重置企业用户密码 (manual 8.1): a temporary password goes to the user by SMS.
    ResetPassword { username: String },
    /// 缴款通知书: bill the approved fees of an application.
    PaymentNotices {
        #[command(subcommand)]
        action: inspection::PaymentNotices,
    },
    /// 检验意见通知书: rectifications to confirm or return.
    Notices {
        #[command(subcommand)]
        action: inspection::Notices,
    },
    /// 账号注册申请 (manual 3.1): list, show (with the 营业执照), approve, reject.
    Registrations {
        #[command(subcommand)]
        action: registrations::Registrations,
    },
    /// 单位 (manual 3.2): create an enterprise and its first account from the paper form.
    Enterprises {
        #[command(subcommand)]
        action: registrations::Enterprises,
    },
    /// 交流互动: a bureau's conversations — list, read, reply, pass on, close.
    Conversations {
        #[command(subcommand)]
        action: conversations::Conversations,
    },
    /// 检验提醒: run the reminder pass now (institute staff; the server also runs it hourly).
    Reminders {
        #[command(subcommand)]
        action: Reminders,
    },
}

#[derive(Subcommand)]
enum Reminders {
    /// Send the reminders due on a day (default today, Huzhou time); reruns send nothing twice.
    Run {
        /// The day to run for, YYYY-MM-DD.
        #[arg(long, value_parser = inspection::date)]
        date: Option<time::Date>,
    },
}

#[derive(Subcommand)]
enum EquipmentCommand {
    /// Fetch the import template of a variety's parameter family (CSV to stdout by default).
    Template {
        /// Variety code, e.g. 3110 (elevators), 3310 (escalators), 1100 (boilers).
        #[arg(long)]
        variety: String,
        /// csv or xlsx (an Excel workbook with a sheet of notes; needs -o or a pipe).
        #[arg(long, value_enum, default_value_t = TemplateFormat::Csv)]
        format: TemplateFormat,
        /// Write the template to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import an .xlsx or .csv file made from the template: every row, or none with every
    /// problem listed by row and column (exit code 1).
    Import {
        #[arg(long)]
        variety: String,
        file: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TemplateFormat {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum StatusChanges {
    /// List changes (a bureau sees its district; `--state submitted` is its queue).
    List {
        /// submitted, approved or rejected.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// Approve a change (bureau).
    Approve {
        id: i64,
        #[arg(long)]
        opinion: Option<String>,
    },
    /// Reject a change with an opinion (bureau).
    Reject {
        id: i64,
        #[arg(long)]
        opinion: String,
    },
}

#[derive(Subcommand, Clone, Copy)]
enum Reference {
    /// 特种设备目录.
    Categories,
    /// 辖区.
    Districts,
    /// 监管局.
    Bureaus,
    /// 检验院办事机构.
    Offices,
}

/// The kept session.
#[derive(Debug, Serialize, Deserialize)]
struct SavedSession {
    api: String,
    username: String,
    access_token: String,
    refresh_token: Option<String>,
}

fn session_path() -> Result<PathBuf, String> {
    let dir = dirs::config_dir().ok_or("找不到用户配置目录")?;
    Ok(dir.join("tejian").join("session.json"))
}

fn save_session(session: &SavedSession) -> Result<(), String> {
    let path = session_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}: {e}", dir.display()))?;
    }
    let json = serde_json::to_string_pretty(session).map_err(|e| e.to_string())?;
    write_private(&path, json.as_bytes()).map_err(|e| format!("无法写入 {}: {e}", path.display()))
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // An existing file keeps its old mode on open: set it explicitly.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

fn load_session(api: &str) -> Result<SavedSession, String> {
    let path = session_path()?;
    let text = std::fs::read_to_string(&path)
        .map_err(|_| "尚未登录：请先运行 tejianctl login -u 用户名".to_owned())?;
    let session: SavedSession =
        serde_json::from_str(&text).map_err(|e| format!("会话文件已损坏 ({e})，请重新登录"))?;
    if session.api != api {
        return Err(format!(
            "已保存的会话属于 {}，请对 {api} 重新登录",
            session.api
        ));
    }
    Ok(session)
}

/// A client for the kept session; after the command, tokens it refreshed are saved again. With
/// `TEJIAN_API_TOKEN` set (an enterprise's API token, for scripts of integrators) that token is
/// used instead and nothing is saved.
fn authed(api: &str) -> Result<(AuthedClient, SavedSession), String> {
    if let Some(token) = std::env::var("TEJIAN_API_TOKEN")
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
    {
        let client = Client::new(api).with_token(&token, None);
        let session = SavedSession {
            api: api.to_owned(),
            username: "API 令牌".to_owned(),
            access_token: token,
            refresh_token: None,
        };
        return Ok((client, session));
    }
    let session = load_session(api)?;
    let client = Client::new(api).with_token(&session.access_token, session.refresh_token.clone());
    Ok((client, session))
}

fn keep(client: &AuthedClient, mut session: SavedSession) -> Result<(), String> {
    let access = client.access_token();
    if access != session.access_token {
        session.access_token = access;
        session.refresh_token = client.refresh_token();
        save_session(&session)?;
    }
    Ok(())
}

fn api_error(e: Error) -> String {
    match e {
        Error::Api(p) => format!("{} [{}]", p.message(), p.code),
        other => other.to_string(),
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

async fn run(cli: Cli) -> Result<(), String> {
    let api = cli.api.trim_end_matches('/').to_owned();
    match cli.command {
        Command::Login {
            username,
            password_env,
        } => {
            let password = match std::env::var(&password_env) {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password("密码: ")
                    .map_err(|e| format!("无法读取密码: {e}"))?,
            };
            let (client, tokens) = Client::new(&api)
                .login(&username, &password)
                .await
                .map_err(api_error)?;
            save_session(&SavedSession {
                api: api.clone(),
                username: username.clone(),
                access_token: client.access_token(),
                refresh_token: tokens.refresh_token,
            })?;
            if cli.json {
                print_json(
                    &serde_json::json!({ "username": username, "must_change_password": tokens.must_change_password }),
                )?;
            } else {
                println!("已登录 {api}，用户 {username}");
                if tokens.must_change_password {
                    println!("注意：请先在平台上修改密码");
                }
            }
            Ok(())
        }
        Command::Logout => {
            if let Ok((client, _)) = authed(&api) {
                // The server may be gone or the session expired; the local copy goes either way.
                let _ = client.logout().await;
            }
            let path = session_path()?;
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| e.to_string())?;
            }
            println!("已退出");
            Ok(())
        }
        Command::Me => {
            let (client, session) = authed(&api)?;
            let me = client.me().await.map_err(api_error)?;
            keep(&client, session)?;
            if cli.json {
                return print_json(&me);
            }
            println!("用户名  {}", me.username);
            println!("姓名    {}", me.display_name);
            println!("角色    {}", me.role.label_zh());
            if let Some(e) = &me.enterprise {
                println!("单位    {} ({})", e.name, e.credit_code);
            }
            if let Some(d) = &me.district_code {
                println!("辖区    {d}");
            }
            Ok(())
        }
        Command::Equipment { action } => {
            let (client, session) = authed(&api)?;
            let result = equipment(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::StatusChanges { action } => {
            let (client, session) = authed(&api)?;
            let result = status_changes(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Applications { action } => {
            let (client, session) = authed(&api)?;
            let result = inspection::applications(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Reports { action } => {
            let (client, session) = authed(&api)?;
            let result = inspection::reports(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::ResetPassword { username } => {
            let (client, session) = authed(&api)?;
            let result = client.reset_password(&username).await.map_err(api_error);
            keep(&client, session)?;
            result?;
            println!("已重置 {username} 的密码，临时密码已通过短信发送（下次登录须修改）");
            Ok(())
        }
        Command::Reminders {
            action: Reminders::Run { date },
        } => {
            let (client, session) = authed(&api)?;
            let result = client
                .run_reminders(&tejian_contract::notification::RunReminders { date })
                .await
                .map_err(api_error);
            keep(&client, session)?;
            let run = result?;
            if cli.json {
                return print_json(&run);
            }
            println!(
                "{} 提醒任务完成：{} 家单位，新提醒 {} 条，短信 {} 条",
                run.date, run.enterprises, run.reminders, run.sms
            );
            if run.failed > 0 {
                println!(
                    "{} 家单位出错，已回滚，下次运行重试（见服务器日志）",
                    run.failed
                );
            }
            Ok(())
        }
        Command::PaymentNotices { action } => {
            let (client, session) = authed(&api)?;
            let result = inspection::payment_notices(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Notices { action } => {
            let (client, session) = authed(&api)?;
            let result = inspection::notices(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Registrations { action } => {
            let (client, session) = authed(&api)?;
            let result = registrations::registrations(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Enterprises { action } => {
            let (client, session) = authed(&api)?;
            let result = registrations::enterprises(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Conversations { action } => {
            let (client, session) = authed(&api)?;
            let result = conversations::conversations(&client, action, cli.json).await;
            keep(&client, session)?;
            result
        }
        Command::Reference { what } => {
            let client = Client::new(&api);
            match what {
                Reference::Categories => {
                    let items = client.categories().await.map_err(api_error)?;
                    if cli.json {
                        return print_json(&items);
                    }
                    for c in items {
                        let indent = match c.level.as_str() {
                            "category" => "",
                            "class" => "  ",
                            _ => "    ",
                        };
                        let note = if c.in_catalogue {
                            ""
                        } else {
                            "（目录外）"
                        };
                        println!("{indent}{} {}{note}", c.code, c.name);
                    }
                }
                Reference::Districts => {
                    let items = client.districts().await.map_err(api_error)?;
                    if cli.json {
                        return print_json(&items);
                    }
                    for d in items {
                        println!(
                            "{} {} [{}] 监管局: {}",
                            d.code,
                            d.name,
                            d.kind,
                            d.bureau_code.unwrap_or_default()
                        );
                    }
                }
                Reference::Bureaus => {
                    let items = client.bureaus().await.map_err(api_error)?;
                    if cli.json {
                        return print_json(&items);
                    }
                    for b in items {
                        println!("{:<10} {} ({})", b.code, b.name, b.district_code);
                    }
                }
                Reference::Offices => {
                    let items = client.offices().await.map_err(api_error)?;
                    if cli.json {
                        return print_json(&items);
                    }
                    for o in items {
                        println!("{}  {}  {}", o.name, o.phone, o.address);
                    }
                }
            }
            Ok(())
        }
    }
}

async fn equipment(
    client: &AuthedClient,
    action: EquipmentCommand,
    json: bool,
) -> Result<(), String> {
    match action {
        EquipmentCommand::Template {
            variety,
            format,
            output,
        } => {
            let format = match format {
                TemplateFormat::Csv => ExportFormat::Csv,
                TemplateFormat::Xlsx => ExportFormat::Xlsx,
            };
            import::template(client, &variety, format, output.as_deref()).await
        }
        EquipmentCommand::Import { variety, file } => {
            import::import(client, &variety, &file, json).await
        }
    }
}

async fn status_changes(
    client: &AuthedClient,
    action: StatusChanges,
    json: bool,
) -> Result<(), String> {
    use tejian_contract::status_change::{StatusChange, StatusChangeQuery};
    let print_one = |c: &StatusChange| {
        println!(
            "#{:<6} {:<8} {:<6} {} {} {} → {}  {}",
            c.id,
            c.state_name,
            c.kind_name,
            c.equipment_label,
            c.enterprise_name,
            c.from_use_status.label_zh(),
            c.to_use_status.label_zh(),
            c.opinion.as_deref().unwrap_or("")
        );
    };
    match action {
        StatusChanges::List { state, page } => {
            let state = state
                .map(|s| {
                    s.parse()
                        .map_err(|e: tejian_domain::ParseError| e.to_string())
                })
                .transpose()?;
            let query = StatusChangeQuery {
                state,
                page: Some(page),
                per_page: Some(50),
            };
            let list = client.status_changes(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 条（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_one);
        }
        StatusChanges::Approve { id, opinion } => {
            let c = client
                .approve_status_change(id, opinion.as_deref())
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&c);
            }
            print_one(&c);
        }
        StatusChanges::Reject { id, opinion } => {
            let c = client
                .reject_status_change(id, &opinion)
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&c);
            }
            print_one(&c);
        }
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误: {message}");
            ExitCode::FAILURE
        }
    }
}
