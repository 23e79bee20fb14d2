//! `tejianctl registrations|enterprises`: 账号开通 (manual §3) for the institute — review online
//! registrations and create enterprises from the paper form.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tejian_client::AuthedClient;
use tejian_contract::registration::{AccountApplication, Registration, RegistrationQuery};

use crate::{api_error, print_json};

#[derive(Subcommand)]
pub enum Registrations {
    /// 注册申请列表（默认只看待审核的；`--state all` 为全部）。
    List {
        /// pending（默认）、approved、rejected 或 all。
        #[arg(long, default_value = "pending")]
        state: String,
        /// 单位名称、统一社会信用代码、申请编号或申请人（包含）。
        #[arg(long)]
        q: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// 一条申请的详情；`--licence FILE` 同时保存营业执照。
    Show {
        id: i64,
        #[arg(long)]
        licence: Option<PathBuf>,
    },
    /// 审核通过：创建单位和首个账号，账号和初始密码以短信发给申请人。
    Approve { id: i64 },
    /// 审核不通过：原因以短信告知申请人。
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum Enterprises {
    /// 线下开户：按纸质《企业服务平台账号申请表》创建单位及其首个账号。
    Create(EnterpriseFields),
}

#[derive(Args)]
pub struct EnterpriseFields {
    /// 单位类型: use_unit 使用单位, manufacturer 制造单位, installer 安装改造维修单位, filling 充装单位。
    #[arg(long, default_value = "use_unit")]
    unit_type: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    credit_code: String,
    /// 区县代码（tejianctl reference districts）。
    #[arg(long)]
    district: String,
    #[arg(long)]
    address: String,
    #[arg(long)]
    legal_representative: String,
    #[arg(long)]
    safety_manager: String,
    #[arg(long)]
    safety_manager_phone: String,
    #[arg(long)]
    applicant: String,
    #[arg(long)]
    applicant_phone: String,
    #[arg(long)]
    email: Option<String>,
}

fn print_one(r: &Registration) {
    println!(
        "#{:<5} {} {:<6} {} {} {} 申请人 {} {}{}",
        r.id,
        r.reference_no,
        r.state_name,
        r.credit_code,
        r.name,
        r.district_name,
        r.applicant_name,
        r.applicant_phone,
        match (&r.username, &r.reason) {
            (Some(u), _) => format!("  账号 {u}"),
            (None, Some(reason)) => format!("  原因 {reason}"),
            _ => String::new(),
        }
    );
}

pub async fn registrations(
    client: &AuthedClient,
    action: Registrations,
    json: bool,
) -> Result<(), String> {
    match action {
        Registrations::List { state, q, page } => {
            let state = match state.as_str() {
                "all" => None,
                s => Some(
                    s.parse()
                        .map_err(|e: tejian_domain::ParseError| e.to_string())?,
                ),
            };
            let query = RegistrationQuery {
                state,
                q,
                page: Some(page),
                per_page: Some(50),
            };
            let list = client.registrations(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 条（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_one);
        }
        Registrations::Show { id, licence } => {
            let r = client.registration(id).await.map_err(api_error)?;
            if let Some(path) = &licence {
                let bytes = client.registration_licence(id).await.map_err(api_error)?;
                std::fs::write(path, bytes)
                    .map_err(|e| format!("无法写入 {}: {e}", path.display()))?;
            }
            if json {
                return print_json(&r);
            }
            print_one(&r);
            println!(
                "  {}；地址 {}；法定代表人 {}；安全管理负责人 {} {}；邮箱 {}",
                r.unit_type_name,
                r.address,
                r.legal_representative,
                r.safety_manager,
                r.safety_manager_phone,
                r.email.as_deref().unwrap_or("-")
            );
            println!(
                "  营业执照 {}（{}，{} 字节）{}",
                r.licence.file_name,
                r.licence.content_type,
                r.licence.size,
                licence
                    .map(|p| format!("，已保存到 {}", p.display()))
                    .unwrap_or_default()
            );
        }
        Registrations::Approve { id } => {
            let r = client.approve_registration(id).await.map_err(api_error)?;
            if json {
                return print_json(&r);
            }
            print_one(&r);
            println!("已通过：账号和初始密码已通过短信发送给申请人（首次登录须修改密码）");
        }
        Registrations::Reject { id, reason } => {
            let r = client
                .reject_registration(id, &reason)
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&r);
            }
            print_one(&r);
            println!("已驳回：原因已通过短信告知申请人");
        }
    }
    Ok(())
}

pub async fn enterprises(
    client: &AuthedClient,
    action: Enterprises,
    json: bool,
) -> Result<(), String> {
    match action {
        Enterprises::Create(f) => {
            let application = AccountApplication {
                unit_type: f.unit_type,
                name: f.name,
                credit_code: f.credit_code,
                district_code: f.district,
                address: f.address,
                legal_representative: f.legal_representative,
                safety_manager: f.safety_manager,
                safety_manager_phone: f.safety_manager_phone,
                applicant_name: f.applicant,
                applicant_phone: f.applicant_phone,
                email: f.email,
                terms_version: None,
            };
            let created = client
                .create_enterprise(&application)
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&created);
            }
            println!(
                "已创建单位 #{} {}（{}），账号 {}；初始密码已通过短信发送至 {}",
                created.enterprise_id,
                created.name,
                created.credit_code,
                created.username,
                created.sms_sent_to
            );
        }
    }
    Ok(())
}
