//! Demo inspection lifecycle: applications in every state, reports in every workflow state with
//! paid and unpaid fees, notices open and overdue. Written through the same use cases the API
//! runs (so the PDFs, numbers, audit records and SMS are real), then a few dates are moved into
//! the past, which no use case allows.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use tejian_contract::application::{
    AcceptApplication, ApprovedItem, NewApplication, NewApplicationItem, RecordInspection,
    RejectApplication,
};
use tejian_contract::notice::{NewNotice, NoticeFeedback, NoticeProblem};
use tejian_contract::report::ReportTransition;
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use tejian_domain::report::ReportAction;
use time::Duration;

use super::DEMO_PDF;
use crate::error::{AppError, AppResult};
use crate::services::{Actor, Services, local_today};
use crate::store::entity::{app_user, equipment, opinion_notice, report};

fn actor(user: &app_user::Model) -> AppResult<Actor> {
    Actor::of_user(user, "seed".to_owned(), None)
}

async fn user(services: &Services, username: &str) -> AppResult<app_user::Model> {
    app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(&services.db)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo user {username} missing")))
}

/// What the lifecycle demo wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct LifecycleReport {
    pub applications: usize,
    pub reports: usize,
    pub notices: usize,
    pub payment_notices: usize,
}

/// Writes the demo lifecycle for `demo-ent-1` and `demo-ent-2`.
pub async fn lifecycle(services: &Services) -> AppResult<LifecycleReport> {
    // The demo bills chosen items itself (to show paid and unpaid notices side by side), so the
    // automatic notice at acceptance is off while it runs.
    let mut own = services.clone();
    own.settings = std::sync::Arc::new(crate::config::Settings {
        auto_payment_notice: false,
        ..(*services.settings).clone()
    });
    let services = &own;
    let institute = actor(&user(services, "demo-institute").await?)?;
    let mut report = LifecycleReport::default();
    for username in ["demo-ent-1", "demo-ent-2"] {
        let ent_user = user(services, username).await?;
        let ent = actor(&ent_user)?;
        let Some(enterprise_id) = ent.enterprise_id else {
            continue;
        };
        let one = enterprise_lifecycle(services, &ent, &institute, enterprise_id).await?;
        report.applications += one.applications;
        report.reports += one.reports;
        report.notices += one.notices;
        report.payment_notices += one.payment_notices;
    }
    Ok(report)
}

fn contact() -> (String, String, String) {
    (
        "沈国强".to_owned(),
        "13857201000".to_owned(),
        "湖州市吴兴区凤凰路 88 号".to_owned(),
    )
}

async fn apply(
    services: &Services,
    ent: &Actor,
    ids: &[i64],
) -> AppResult<tejian_contract::application::Application> {
    let (contact_name, contact_phone, contact_address) = contact();
    let (application, _) = services
        .submit_application(
            ent,
            NewApplication {
                contact_name,
                contact_phone,
                contact_address,
                preferred_date: Some(local_today() + Duration::days(10)),
                note: None,
                items: ids
                    .iter()
                    .map(|id| NewApplicationItem {
                        equipment_id: *id,
                        inspection_type: InspectionType::Periodic,
                        fee: None,
                    })
                    .collect(),
            },
            None,
        )
        .await?;
    Ok(application)
}

async fn accept(
    services: &Services,
    institute: &Actor,
    application: &tejian_contract::application::Application,
    scheduled: bool,
) -> AppResult<tejian_contract::application::Application> {
    services
        .accept_application(
            institute,
            application.id,
            AcceptApplication {
                items: application
                    .items
                    .iter()
                    .map(|i| ApprovedItem {
                        item_id: i.id,
                        approved_fee: i.estimated_fee.unwrap_or(Money::from_fen(38_000)),
                    })
                    .collect(),
                scheduled_date: scheduled.then(|| local_today() + Duration::days(7)),
                opinion: None,
            },
        )
        .await
}

async fn enterprise_lifecycle(
    services: &Services,
    ent: &Actor,
    institute: &Actor,
    enterprise_id: i64,
) -> AppResult<LifecycleReport> {
    let today = local_today();
    // Due equipment gets the open applications (that is when enterprises apply); equipment
    // well within its period gets the finished ones, so inspecting it keeps every list of the
    // register non-empty.
    let candidates = equipment::Entity::find()
        .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
        .filter(equipment::Column::UseStatus.eq("in_use"))
        .filter(equipment::Column::RegistrationStatus.eq("registered"))
        .order_by_asc(equipment::Column::NextInspectionDate)
        .order_by_asc(equipment::Column::Id)
        .all(&services.db)
        .await?;
    let due: Vec<i64> = candidates
        .iter()
        .filter(|e| {
            e.next_inspection_date
                .is_some_and(|d| d <= today + Duration::days(30))
        })
        .map(|e| e.id)
        .collect();
    let later: Vec<i64> = candidates
        .iter()
        .rev()
        .filter(|e| {
            e.next_inspection_date
                .is_some_and(|d| d > today + Duration::days(120))
        })
        .map(|e| e.id)
        .collect();
    if due.len() < 4 || later.len() < 8 {
        return Ok(LifecycleReport::default());
    }
    let mut out = LifecycleReport::default();

    // 待受理: two due units in one batch.
    apply(services, ent, &due[0..2]).await?;
    // 已排期 and 不予受理.
    let scheduled = apply(services, ent, &due[2..3]).await?;
    accept(services, institute, &scheduled, true).await?;
    let rejected = apply(services, ent, &due[3..4]).await?;
    services
        .reject_application(
            institute,
            rejected.id,
            RejectApplication {
                reason: "该设备本年度已由其他检验机构完成定期检验，请核实后再申报".to_owned(),
                item_ids: Vec::new(),
            },
        )
        .await?;
    out.applications += 3;

    // Reports in every workflow state, from one accepted batch of eight.
    let batch = apply(services, ent, &later[0..8]).await?;
    let batch = accept(services, institute, &batch, true).await?;
    out.applications += 1;
    let plan: [(&str, &[&str], &[ReportAction], bool); 8] = [
        ("合格", &[], &[], false),
        ("合格", &[], &[ReportAction::Submit], false),
        (
            "合格",
            &[],
            &[ReportAction::Submit, ReportAction::Review],
            false,
        ),
        (
            "合格",
            &[],
            &[
                ReportAction::Submit,
                ReportAction::Review,
                ReportAction::Approve,
            ],
            true,
        ),
        (
            "不合格",
            &["层门门锁啮合长度不足 7 mm", "轿厢应急照明不能正常工作"],
            &[
                ReportAction::Submit,
                ReportAction::Review,
                ReportAction::Approve,
            ],
            false,
        ),
        (
            "合格",
            &["机房内杂物堆放，影响检修"],
            &[
                ReportAction::Submit,
                ReportAction::Review,
                ReportAction::Approve,
                ReportAction::Archive,
            ],
            true,
        ),
        (
            "合格",
            &[],
            &[
                ReportAction::Submit,
                ReportAction::Review,
                ReportAction::Approve,
            ],
            false,
        ),
        (
            "合格",
            &[],
            &[ReportAction::Submit, ReportAction::Void],
            false,
        ),
    ];
    let mut issued = Vec::new();
    for (n, (item, (conclusion, problems, actions, paid))) in
        batch.items.iter().zip(plan).enumerate()
    {
        let days_ago = i64::try_from(n).unwrap_or(0) + 1;
        let r = services
            .record_item_inspection(
                institute,
                batch.id,
                item.id,
                RecordInspection {
                    inspection_date: today - Duration::days(days_ago),
                    inspector: "李明".to_owned(),
                    conclusion: conclusion.to_owned(),
                    problems: problems.iter().map(|p| (*p).to_owned()).collect(),
                },
            )
            .await?;
        for action in actions {
            services
                .transition_report(
                    institute,
                    r.id,
                    ReportTransition {
                        action: *action,
                        reason: matches!(action, ReportAction::Void | ReportAction::Return)
                            .then(|| "设备参数录入错误，重新出具".to_owned()),
                    },
                )
                .await?;
        }
        if paid {
            services.mark_report_paid(institute, r.id).await?;
        }
        if !problems.is_empty() {
            issued.push(r.id);
        }
        out.reports += 1;
    }

    // Notices: one open, one overdue with a returned rectification.
    for (n, report_id) in issued.iter().enumerate() {
        let notice = services
            .issue_notice(
                institute,
                *report_id,
                NewNotice {
                    problems: vec![NoticeProblem {
                        description: if n == 0 {
                            "层门门锁啮合长度不足 7 mm".to_owned()
                        } else {
                            "机房内杂物堆放，影响检修通道".to_owned()
                        },
                        requirement: "立即整改，并将整改报告及见证资料报送本院".to_owned(),
                    }],
                    deadline: None,
                },
            )
            .await?;
        out.notices += 1;
        if n == 1 {
            let file = services
                .upload(ent, "整改照片.pdf", DEMO_PDF.to_vec())
                .await?;
            services
                .notice_feedback(
                    ent,
                    notice.id,
                    NoticeFeedback {
                        statement: "已清理机房杂物。".to_owned(),
                        attachment_ids: vec![file.id],
                    },
                )
                .await?;
            services
                .review_notice(
                    institute,
                    notice.id,
                    false,
                    tejian_contract::notice::NoticeReview {
                        comment: Some("照片未显示检修通道，请补充整改后全景照片".to_owned()),
                    },
                )
                .await?;
            // Issued six weeks ago, so the deadline has passed.
            if let Some(row) = opinion_notice::Entity::find_by_id(notice.id)
                .one(&services.db)
                .await?
            {
                let mut a = row.into_active_model();
                a.issued_on = Set(today - Duration::days(42));
                a.deadline = Set(today - Duration::days(12));
                a.update(&services.db).await?;
            }
        }
    }

    // Payment notices: one unpaid (its report waits for the fee), one paid through the sandbox
    // (its report unlocked, its e-invoice issued).
    if let (Some(unpaid_item), Some(paid_item)) = (batch.items.get(4), batch.items.get(6)) {
        services
            .issue_payment_notice(
                institute,
                tejian_contract::payment::NewPaymentNotice {
                    application_id: batch.id,
                    item_ids: vec![unpaid_item.id],
                    due_date: None,
                },
            )
            .await?;
        let paid = services
            .issue_payment_notice(
                institute,
                tejian_contract::payment::NewPaymentNotice {
                    application_id: batch.id,
                    item_ids: vec![paid_item.id],
                    due_date: None,
                },
            )
            .await?;
        let payment = services
            .start_payment(
                Some(ent),
                paid.id,
                tejian_contract::payment::NewPayment {
                    provider: tejian_domain::payment::Provider::Sandbox,
                    payer_name: None,
                    notice_no: None,
                },
            )
            .await?;
        services.sandbox_pay(&payment.out_trade_no).await?;
        services.issue_invoices(10).await?;
        out.payment_notices += 2;
    }

    // A report from last year, archived and paid, so the year filter has something to find.
    if let Some(archived) = report::Entity::find()
        .filter(report::Column::EnterpriseId.eq(enterprise_id))
        .filter(report::Column::State.eq("archived"))
        .one(&services.db)
        .await?
    {
        let last_year = today - Duration::days(400);
        let mut a = archived.into_active_model();
        a.inspection_date = Set(last_year);
        a.issued_on = Set(Some(last_year + Duration::days(5)));
        a.update(&services.db).await?;
    }
    Ok(out)
}
