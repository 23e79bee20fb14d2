//! 操作日志: who in an enterprise did what and when. An enterprise admin sees the enterprise's
//! entries; institute staff and administrators see every entry.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::users::{AuditEntry, AuditQuery};
use tejian_domain::account::Role;
use time::{OffsetDateTime, Time, UtcOffset};

use super::{Actor, Services, filter_text};
use crate::error::{AppError, AppResult};
use crate::store::entity::audit_log;
use crate::store::users;

/// The Chinese name of an audited action; an action without one shows its code.
pub fn action_label(action: &str) -> &str {
    match action {
        "login_succeeded" => "登录",
        "login_failed" => "登录失败",
        "logout" => "退出登录",
        "refresh_token_reused" => "刷新令牌被重复使用（会话已注销）",
        "profile_updated" => "修改个人资料",
        "password_changed" => "修改密码",
        "password_reset" => "重置密码",
        "enterprise_updated" => "修改单位信息",
        "enterprise_user_created" => "新增用户",
        "enterprise_user_updated" => "修改用户角色或状态",
        "api_token_created" => "新建 API 令牌",
        "api_token_revoked" => "吊销 API 令牌",
        "file_uploaded" => "上传附件",
        "equipment_created" => "新增设备",
        "equipment_updated" => "修改设备",
        "equipment_status_changed" => "设备状态变更",
        "status_change_submitted" => "提交变更申请",
        "status_change_approved" => "变更申请通过",
        "status_change_rejected" => "变更申请驳回",
        "application_submitted" => "提交报检申请",
        "application_accepted" => "报检受理",
        "application_rejected" => "报检退回",
        "application_scheduled" => "安排检验",
        "inspection_recorded" => "录入检验结果",
        "report_created" => "生成检验报告",
        "report_transition" => "报告流转",
        "report_fee_paid" => "报告费用已缴",
        "notice_issued" => "签发检验意见通知书",
        "notice_feedback" => "提交整改反馈",
        "payment_notice_issued" => "开具缴款通知书",
        "payment_notice_cancelled" => "作废缴款通知书",
        "payment_state" => "支付状态变化",
        "invoice_issued" => "开具电子发票",
        other => other,
    }
}

/// Midnight of `date` in Huzhou (UTC+8), the day boundaries people mean.
fn local_midnight(date: time::Date) -> OffsetDateTime {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    date.with_time(Time::MIDNIGHT).assume_offset(offset)
}

impl Services {
    /// The audit log, newest first, filtered by actor, action and dates.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> AppResult<Page<AuditEntry>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = audit_log::Entity::find();
        match actor.role {
            Role::Institute | Role::Admin => {}
            Role::Enterprise => {
                let enterprise = actor.require_enterprise_admin()?;
                select = select.filter(audit_log::Column::EnterpriseId.eq(enterprise));
            }
            Role::Bureau => return Err(AppError::Forbidden),
        }
        if let Some(name) = filter_text(query.actor.as_deref()) {
            // An unknown user name matches nothing (not everything).
            let id = users::find_by_username(&self.db, name)
                .await?
                .map_or(-1, |u| u.id);
            select = select.filter(audit_log::Column::ActorUserId.eq(id));
        }
        if let Some(action) = filter_text(query.action.as_deref()) {
            select = select.filter(audit_log::Column::Action.eq(action));
        }
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(AppError::field(
                "/from",
                "invalid_range",
                "起始日期不能晚于截止日期",
            ));
        }
        if let Some(from) = query.from {
            select = select.filter(audit_log::Column::At.gte(local_midnight(from)));
        }
        if let Some(to) = query.to.and_then(|d| d.next_day()) {
            select = select.filter(audit_log::Column::At.lt(local_midnight(to)));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(audit_log::Column::At)
            .order_by_desc(audit_log::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let people = crate::store::lookup::users_by_id(
            &self.db,
            rows.iter().filter_map(|r| r.actor_user_id),
        )
        .await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let person = r.actor_user_id.and_then(|id| people.get(&id));
                // Labels like `user:7` predate names in the log: show the user's name instead.
                let actor = match (person, r.actor_label.strip_prefix("user:")) {
                    (Some(p), Some(rest)) => {
                        let note = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                        format!("{}{note}", p.username)
                    }
                    (Some(p), None) if r.actor_label.is_empty() => p.username.clone(),
                    _ => r.actor_label.clone(),
                };
                AuditEntry {
                    id: r.id,
                    at: r.at,
                    actor,
                    actor_name: person.map(|p| p.display_name.clone()),
                    action_label: action_label(&r.action).to_owned(),
                    action: r.action,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    before: r.before,
                    after: r.after,
                    client_addr: r.client_addr,
                }
            })
            .collect();
        Ok(paging.wrap_counted(items, total))
    }
}
