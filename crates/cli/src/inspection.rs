//! `tejianctl applications|reports|notices`: the institute's side of the inspection lifecycle
//! (manual 5.1–5.3) for back-office scripts.

use clap::Subcommand;
use tejian_client::AuthedClient;
use tejian_contract::application::{
    AcceptApplication, Application, ApplicationQuery, ApprovedItem, RecordInspection,
    RejectApplication, ScheduleApplication,
};
use tejian_contract::notice::{NewNotice, Notice, NoticeProblem, NoticeQuery, NoticeReview};
use tejian_contract::report::{Report, ReportQuery, ReportTransition};
use tejian_domain::money::Money;
use time::Date;

use crate::{api_error, print_json};

fn parse<T: std::str::FromStr<Err = tejian_domain::ParseError>>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|e: tejian_domain::ParseError| e.to_string())
}

pub(crate) fn date(s: &str) -> Result<Date, String> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("日期格式应为 YYYY-MM-DD：{s}"))
}

#[derive(Subcommand)]
pub enum Applications {
    /// 报检申请列表（`--pending` 只看有待受理设备的）。
    List {
        #[arg(long)]
        pending: bool,
        /// 外网申报序列号（部分）。
        #[arg(long)]
        serial: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// 一份申请的详情。
    Show { id: i64 },
    /// 受理：每台设备 `--fee ITEM_ID=金额`；不给 `--fee` 时按参考费用核定全部待受理设备。
    Accept {
        id: i64,
        #[arg(long = "fee", value_name = "ITEM_ID=AMOUNT")]
        fees: Vec<String>,
        /// 检验日期 YYYY-MM-DD。
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        opinion: Option<String>,
    },
    /// 不予受理（不列 `--item` 时为全部待受理设备）。
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long = "item")]
        items: Vec<i64>,
    },
    /// 安排检验日期。
    Schedule {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long = "item")]
        items: Vec<i64>,
    },
    /// 登记检验结果，生成报告（编制）。
    Inspect {
        id: i64,
        #[arg(long)]
        item: i64,
        /// 检验日期 YYYY-MM-DD。
        #[arg(long)]
        date: String,
        #[arg(long)]
        inspector: String,
        /// 检验结论，如 合格、不合格、符合要求。
        #[arg(long)]
        conclusion: String,
        /// 发现的问题（可多次）。
        #[arg(long = "problem")]
        problems: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum Reports {
    /// 报告列表：`--year 0` 为全部年度；`--state drafting|reviewing|approving|printed|archived|voided`。
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        report_no: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// 报告流转：submit 送审、review 审核通过、approve 批准签发、archive 归档、return 退回、void 作废。
    Move {
        id: i64,
        action: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// 标记检验费用已缴。
    Paid { id: i64 },
    /// 签发检验意见通知书：`--problem "问题|处理要求"`（可多次）。
    Notice {
        id: i64,
        #[arg(long = "problem", required = true)]
        problems: Vec<String>,
        /// 整改期限 YYYY-MM-DD（默认签发后 30 天）。
        #[arg(long)]
        deadline: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum PaymentNotices {
    /// 开具缴款通知书：一份申请中已受理设备的核定费用（`--item` 只收所列设备）。
    Issue {
        application_id: i64,
        #[arg(long = "item")]
        items: Vec<i64>,
        /// 缴费期限 YYYY-MM-DD（默认 15 天后）。
        #[arg(long)]
        due: Option<String>,
    },
    /// 缴款通知书列表。
    List {
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
}

#[derive(Subcommand)]
pub enum Notices {
    /// 通知书列表（`--overdue` 只看逾期未整改的；`--state submitted` 为待确认）。
    List {
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// 确认整改。
    Confirm {
        id: i64,
        #[arg(long)]
        comment: Option<String>,
    },
    /// 退回整改（须写意见）。
    Return {
        id: i64,
        #[arg(long)]
        comment: String,
    },
}

fn print_application(a: &Application) {
    println!(
        "#{:<6} {}  {}  {}  提交 {}  参考费用 {}",
        a.id,
        a.serial_no,
        a.progress_name,
        a.enterprise_name,
        a.submitted_at.date(),
        a.estimated_total
    );
    for i in &a.items {
        println!(
            "    设备项 {:<6} {:<20} {:<10} {:<6} 核定 {:<10} {} {}",
            i.id,
            i.equipment_label,
            i.variety_name,
            i.state_name,
            i.approved_fee.map(|m| m.to_string()).unwrap_or_default(),
            i.scheduled_date.map(|d| d.to_string()).unwrap_or_default(),
            i.opinion.as_deref().unwrap_or("")
        );
    }
}

fn print_report(r: &Report) {
    println!(
        "#{:<6} {:<16} {:<20} {:<8} {:<6} 费用 {} {} {}",
        r.id,
        r.report_no,
        r.equipment_label,
        r.state_name,
        r.conclusion,
        r.fee,
        if r.fee_paid { "已缴" } else { "未缴" },
        r.verification_code.as_deref().unwrap_or("")
    );
}

fn print_notice(n: &Notice) {
    println!(
        "#{:<6} {:<14} 报告 {:<16} {:<20} 期限 {} {}{}",
        n.id,
        n.notice_no,
        n.report_no,
        n.equipment_label,
        n.deadline,
        n.state_name,
        if n.overdue { "（逾期）" } else { "" }
    );
}

pub async fn applications(
    client: &AuthedClient,
    action: Applications,
    json: bool,
) -> Result<(), String> {
    let one = |a: Application| {
        if json {
            print_json(&a)
        } else {
            print_application(&a);
            Ok(())
        }
    };
    match action {
        Applications::List {
            pending,
            serial,
            page,
        } => {
            let query = ApplicationQuery {
                serial_no: serial,
                item_state: pending.then_some(tejian_domain::application::ItemState::Pending),
                page: Some(page),
                per_page: Some(50),
                ..Default::default()
            };
            let list = client.applications(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 份（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_application);
            Ok(())
        }
        Applications::Show { id } => one(client.application(id).await.map_err(api_error)?),
        Applications::Accept {
            id,
            fees,
            date: when,
            opinion,
        } => {
            let items = if fees.is_empty() {
                let a = client.application(id).await.map_err(api_error)?;
                a.items
                    .iter()
                    .filter(|i| i.state == tejian_domain::application::ItemState::Pending)
                    .map(|i| ApprovedItem {
                        item_id: i.id,
                        approved_fee: i.estimated_fee.unwrap_or(Money::ZERO),
                    })
                    .collect()
            } else {
                fees.iter()
                    .map(|f| {
                        let (item, amount) = f
                            .split_once('=')
                            .ok_or_else(|| format!("--fee 应为 ITEM_ID=金额：{f}"))?;
                        Ok(ApprovedItem {
                            item_id: item
                                .trim()
                                .parse()
                                .map_err(|_| format!("设备项 id 有误：{item}"))?,
                            approved_fee: Money::parse(amount).map_err(|e| e.to_string())?,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?
            };
            let request = AcceptApplication {
                items,
                scheduled_date: when.as_deref().map(date).transpose()?,
                opinion,
            };
            one(client
                .accept_application(id, &request)
                .await
                .map_err(api_error)?)
        }
        Applications::Reject { id, reason, items } => one(client
            .reject_application(
                id,
                &RejectApplication {
                    reason,
                    item_ids: items,
                },
            )
            .await
            .map_err(api_error)?),
        Applications::Schedule {
            id,
            date: when,
            items,
        } => one(client
            .schedule_application(
                id,
                &ScheduleApplication {
                    scheduled_date: date(&when)?,
                    item_ids: items,
                },
            )
            .await
            .map_err(api_error)?),
        Applications::Inspect {
            id,
            item,
            date: when,
            inspector,
            conclusion,
            problems,
        } => {
            let report = client
                .record_item_inspection(
                    id,
                    item,
                    &RecordInspection {
                        inspection_date: date(&when)?,
                        inspector,
                        conclusion,
                        problems,
                    },
                )
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&report);
            }
            print_report(&report);
            Ok(())
        }
    }
}

pub async fn reports(client: &AuthedClient, action: Reports, json: bool) -> Result<(), String> {
    let one = |r: Report| {
        if json {
            print_json(&r)
        } else {
            print_report(&r);
            Ok(())
        }
    };
    match action {
        Reports::List {
            year,
            state,
            report_no,
            page,
        } => {
            let query = ReportQuery {
                year,
                state: state.as_deref().map(parse).transpose()?,
                report_no,
                page: Some(page),
                per_page: Some(50),
                ..Default::default()
            };
            let list = client.reports(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 份（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_report);
            Ok(())
        }
        Reports::Move { id, action, reason } => one(client
            .transition_report(
                id,
                &ReportTransition {
                    action: parse(&action)?,
                    reason,
                },
            )
            .await
            .map_err(api_error)?),
        Reports::Paid { id } => one(client.mark_report_paid(id).await.map_err(api_error)?),
        Reports::Notice {
            id,
            problems,
            deadline,
        } => {
            let problems = problems
                .iter()
                .map(|p| match p.split_once('|') {
                    Some((d, r)) => NoticeProblem {
                        description: d.trim().to_owned(),
                        requirement: r.trim().to_owned(),
                    },
                    None => NoticeProblem {
                        description: p.trim().to_owned(),
                        requirement: "立即整改，并将整改报告及见证资料报送本院".to_owned(),
                    },
                })
                .collect();
            let notice = client
                .issue_notice(
                    id,
                    &NewNotice {
                        problems,
                        deadline: deadline.as_deref().map(date).transpose()?,
                    },
                )
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&notice);
            }
            print_notice(&notice);
            Ok(())
        }
    }
}

pub async fn notices(client: &AuthedClient, action: Notices, json: bool) -> Result<(), String> {
    let one = |n: Notice| {
        if json {
            print_json(&n)
        } else {
            print_notice(&n);
            Ok(())
        }
    };
    match action {
        Notices::List {
            overdue,
            state,
            page,
        } => {
            let query = NoticeQuery {
                overdue: overdue.then_some(true),
                state: state.as_deref().map(parse).transpose()?,
                page: Some(page),
                per_page: Some(50),
                ..Default::default()
            };
            let list = client.notices(&query).await.map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 份（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_notice);
            Ok(())
        }
        Notices::Confirm { id, comment } => one(client
            .review_notice(id, true, &NoticeReview { comment })
            .await
            .map_err(api_error)?),
        Notices::Return { id, comment } => one(client
            .review_notice(
                id,
                false,
                &NoticeReview {
                    comment: Some(comment),
                },
            )
            .await
            .map_err(api_error)?),
    }
}

fn print_payment_notice(n: &tejian_contract::payment::PaymentNotice) {
    println!(
        "#{:<6} {}  {}  {} 元（{}）  {}  期限 {}",
        n.id, n.notice_no, n.payer_name, n.total, n.total_in_words, n.state_name, n.due_date
    );
}

pub async fn payment_notices(
    client: &AuthedClient,
    action: PaymentNotices,
    json: bool,
) -> Result<(), String> {
    match action {
        PaymentNotices::Issue {
            application_id,
            items,
            due,
        } => {
            let notice = client
                .issue_payment_notice(&tejian_contract::payment::NewPaymentNotice {
                    application_id,
                    item_ids: items,
                    due_date: due.as_deref().map(date).transpose()?,
                })
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&notice);
            }
            print_payment_notice(&notice);
        }
        PaymentNotices::List { page } => {
            let list = client
                .payment_notices(&tejian_contract::payment::PaymentNoticeQuery {
                    page: Some(page),
                    per_page: Some(50),
                    ..Default::default()
                })
                .await
                .map_err(api_error)?;
            if json {
                return print_json(&list);
            }
            println!("共 {} 份（第 {} 页）", list.total, list.page);
            list.items.iter().for_each(print_payment_notice);
        }
    }
    Ok(())
}
