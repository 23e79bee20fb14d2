//! 站内消息 (`/notifications`), 提醒设置 (`/reminder-settings`) and the staff trigger of the
//! reminder job (`/reminders/run`).

use actix_web::{get, post, put, web};
use tejian_contract::notification::{
    NotificationPage, NotificationQuery, ReadResult, ReminderRun, ReminderSettings,
    ReminderSettingsView, RunReminders,
};
use tejian_contract::problem::Problem;

use super::extract::{AuthUser, EnterpriseAdmin, StaffUser};
use crate::error::AppResult;
use crate::services::Services;

/// 站内消息
///
/// 本单位的站内消息（检验到期与超期提醒），最新的在前。已读状态按用户记录：同一单位的每个用户
/// 各自标记已读。`unread` 为当前用户的未读条数（不受 `unread=true` 筛选影响），铃铛可用
/// `per_page=1` 只取它。检验院与监管局用户没有站内消息，返回空列表。
#[utoipa::path(
    get, path = "/api/v1/notifications", tag = "站内消息",
    params(NotificationQuery),
    responses(
        (status = 200, description = "站内消息分页列表及未读条数", body = NotificationPage),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "分页参数有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/notifications")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<NotificationQuery>,
) -> AppResult<web::Json<NotificationPage>> {
    Ok(web::Json(svc.notifications(&user.0, &query).await?))
}

/// 标记已读
///
/// 为当前用户把一条站内消息标为已读（重复标记无副作用）。其他单位的消息返回 404。
#[utoipa::path(
    post, path = "/api/v1/notifications/{id}/read", tag = "站内消息",
    params(("id" = i64, Path, description = "消息 id")),
    responses(
        (status = 200, description = "已标记；返回之后的未读条数", body = ReadResult),
        (status = 404, description = "消息不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/notifications/{id}/read")]
pub async fn read(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<ReadResult>> {
    Ok(web::Json(
        svc.mark_notification_read(&user.0, id.into_inner()).await?,
    ))
}

/// 全部标为已读
///
/// 为当前用户把本单位的全部站内消息标为已读。
#[utoipa::path(
    post, path = "/api/v1/notifications/read-all", tag = "站内消息",
    responses(
        (status = 200, description = "已标记的条数与之后的未读条数", body = ReadResult),
        (status = 404, description = "没有站内消息（非企业用户）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/notifications/read-all")]
pub async fn read_all(
    svc: web::Data<Services>,
    user: AuthUser,
) -> AppResult<web::Json<ReadResult>> {
    Ok(web::Json(svc.mark_all_notifications_read(&user.0).await?))
}

/// 提醒设置
///
/// 本单位的检验提醒设置：进入报检期（默认到期前 30 天）、到期前提醒（默认 7 天、1 天）、超期后每周
/// 提醒，以及短信接收人（安全管理负责人手机、其他手机）。站内消息总是发送。未修改过时返回默认值。
#[utoipa::path(
    get, path = "/api/v1/reminder-settings", tag = "站内消息",
    responses(
        (status = 200, description = "提醒设置", body = ReminderSettingsView),
        (status = 403, description = "只有企业用户有提醒设置", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reminder-settings")]
pub async fn get_settings(
    svc: web::Data<Services>,
    user: AuthUser,
) -> AppResult<web::Json<ReminderSettingsView>> {
    Ok(web::Json(svc.reminder_settings(&user.0).await?))
}

/// 修改提醒设置
///
/// 企业管理员修改本单位的提醒设置；修改记入审计日志。已发出的提醒不会重发；新的节点从下一次
/// 提醒任务起生效。
#[utoipa::path(
    put, path = "/api/v1/reminder-settings", tag = "站内消息",
    request_body = ReminderSettings,
    responses(
        (status = 200, description = "修改后的提醒设置", body = ReminderSettingsView),
        (status = 403, description = "只有本单位管理员可以修改 (`enterprise_admin_required`)；查看权限的账号或令牌 (`read_only_access`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "天数超出范围或手机号码无效", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/reminder-settings")]
pub async fn update_settings(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    body: web::Json<ReminderSettings>,
) -> AppResult<web::Json<ReminderSettingsView>> {
    Ok(web::Json(
        svc.update_reminder_settings(&user.0, body.into_inner())
            .await?,
    ))
}

/// 运行提醒任务
///
/// 检验院手动运行一次检验提醒任务（服务器启动时和之后每小时自动运行）。可指定按哪一天运行。
/// 每台设备、每个下次检验日期、每个提醒节点只提醒一次，重复运行不会重复发送。
#[utoipa::path(
    post, path = "/api/v1/reminders/run", tag = "站内消息",
    request_body = RunReminders,
    responses(
        (status = 200, description = "本次新发出的提醒", body = ReminderRun),
        (status = 403, description = "只有检验院可以运行", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/reminders/run")]
pub async fn run(
    svc: web::Data<Services>,
    user: StaffUser,
    body: web::Json<RunReminders>,
) -> AppResult<web::Json<ReminderRun>> {
    Ok(web::Json(svc.run_reminders_as(&user.0, body.date).await?))
}
