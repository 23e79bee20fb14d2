//! 检验提醒 and 站内消息: the reminder job, the inbox and the per-enterprise settings.
//!
//! The job ([`Services::run_reminders`]) selects candidate equipment by a date range on the next
//! inspection date (index `idx_equipment_next_inspection`), skipping equipment already reminded
//! on that day, asks the domain ([`tejian_domain::reminder::due_now`]) which threshold is due and
//! then, per enterprise and in ONE transaction, inserts the reminder rows (unique per equipment,
//! due date and threshold; a row another run or node inserted first is skipped), one inbox entry
//! per new reminder and one SMS per recipient listing them. Reruns and concurrent nodes therefore
//! never send a reminder twice.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TryInsertResult,
};
use serde_json::json;
use tejian_contract::list::PageQuery;
use tejian_contract::notification::{
    Notification, NotificationPage, NotificationQuery, ReadResult, ReminderRun,
    ReminderSettings as WireSettings, ReminderSettingsView,
};
use tejian_contract::problem::FieldError;
use tejian_domain::account::Role;
use tejian_domain::phone::MobileNumber;
use tejian_domain::reminder::{
    self, DEFAULT_WINDOW_DAYS, Due, OVERDUE_WEEKS_MAX, ReminderSettings, Threshold,
};
use time::{Date, Duration, OffsetDateTime};

use super::equipment::IN_USE;
use super::{Actor, Scope, Services};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::outbox::{self, Message};
use crate::store::entity::{
    enterprise, equipment, notification, notification_read, reminder as reminder_row,
    reminder_settings,
};

/// Equipment codes an SMS lists before "等".
const SMS_CODES: usize = 3;
/// Ids per `IN (…)` query.
const CHUNK: usize = 500;

/// The label people know a unit by: 注册代码, else 设备代码, else 单位内编号.
fn label(e: &equipment::Model) -> String {
    e.registration_code
        .clone()
        .or_else(|| e.equipment_code.clone())
        .or_else(|| e.internal_no.clone())
        .unwrap_or_else(|| format!("#{}", e.id))
}

fn settings_from_row(row: Option<reminder_settings::Model>) -> ReminderSettings {
    let Some(row) = row else {
        return ReminderSettings::default();
    };
    let marks: Vec<u16> = row
        .marks
        .split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect();
    let phones: Vec<String> = row
        .extra_phones
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let window = u16::try_from(row.window_days).unwrap_or(DEFAULT_WINDOW_DAYS);
    // Stored rows passed the same check; a row edited by hand that no longer does falls back to
    // the defaults rather than stopping the job.
    ReminderSettings::new(
        window,
        &marks,
        row.weekly_overdue,
        row.sms_safety_manager,
        &phones,
    )
    .unwrap_or_default()
}

fn to_wire(settings: &ReminderSettings) -> WireSettings {
    WireSettings {
        window_days: settings.window_days(),
        marks: settings.marks().to_vec(),
        weekly_overdue: settings.weekly_overdue(),
        sms_to_safety_manager: settings.sms_to_safety_manager(),
        extra_phones: settings
            .extra_phones()
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
    }
}

/// A reminder decided for one unit, before it is written.
struct Planned {
    equipment: equipment::Model,
    due_date: Date,
    due: Due,
}

/// The inbox entry of a reminder: title and body.
fn inbox_text(p: &Planned, today: Date) -> (String, String) {
    let code = label(&p.equipment);
    let days = (p.due_date - today).whole_days();
    if p.due.threshold.is_overdue() {
        (
            format!("超期提醒：设备 {code} 已超期未检"),
            format!(
                "设备 {code}（{}）的下次检验日期为 {}，已超期 {} 天。请尽快申请检验；超期未检的设备不得继续使用。",
                p.equipment.install_location, p.due_date, -days
            ),
        )
    } else {
        let left = if days == 0 {
            "今天到期".to_owned()
        } else {
            format!("还有 {days} 天到期")
        };
        // The threshold's own day may have been missed (catch-up), so the title says what is
        // true today rather than naming the threshold.
        let title = if p.due.threshold == Threshold::Window {
            format!("到期提醒：设备 {code} 进入报检期")
        } else {
            format!("到期提醒：设备 {code} 将于 {} 到期", p.due_date)
        };
        (
            title,
            format!(
                "设备 {code}（{}）的下次检验日期为 {}，{left}。请在到期前一个月内通过网上报检申请检验。",
                p.equipment.install_location, p.due_date
            ),
        )
    }
}

/// The one SMS of an enterprise's batch: counts and the first few codes.
fn sms_text(enterprise_name: &str, planned: &[&Planned]) -> String {
    let overdue = planned
        .iter()
        .filter(|p| p.due.threshold.is_overdue())
        .count();
    let due = planned.len() - overdue;
    let mut parts = Vec::new();
    if due > 0 {
        let earliest = planned
            .iter()
            .filter(|p| !p.due.threshold.is_overdue())
            .map(|p| p.due_date)
            .min();
        match earliest {
            Some(d) => parts.push(format!("{due} 台即将到期（最早 {d}）")),
            None => parts.push(format!("{due} 台即将到期")),
        }
    }
    if overdue > 0 {
        parts.push(format!("{overdue} 台已超期未检"));
    }
    let codes: Vec<String> = planned
        .iter()
        .take(SMS_CODES)
        .map(|p| label(&p.equipment))
        .collect();
    let more = if planned.len() > SMS_CODES { "等" } else { "" };
    format!(
        "【湖州特检院】{enterprise_name}：您单位有特种设备需报检，{}：{}{more}。请登录企业服务平台查看站内消息并办理网上报检。",
        parts.join("，"),
        codes.join("、")
    )
}

impl Services {
    /// One pass of the reminder job for the Huzhou day `today`. Safe to run any number of times
    /// and on several nodes at once: each reminder is written (and its SMS queued) exactly once.
    pub async fn run_reminders(&self, today: Date) -> AppResult<ReminderRun> {
        let mut run = ReminderRun {
            date: today,
            enterprises: 0,
            reminders: 0,
            sms: 0,
            failed: 0,
        };
        // Look ahead as far as any enterprise's settings reach.
        let configured: Option<Option<i16>> = reminder_settings::Entity::find()
            .select_only()
            .column_as(reminder_settings::Column::HorizonDays.max(), "max")
            .into_tuple()
            .one(&self.db)
            .await?;
        let default_horizon = ReminderSettings::default().horizon_days();
        let horizon = configured
            .flatten()
            .and_then(|h| u16::try_from(h).ok())
            .map_or(default_horizon, |h| Ord::max(h, default_horizon));
        let from = today - Duration::days(i64::from(OVERDUE_WEEKS_MAX) * 7);
        let to = today + Duration::days(i64::from(horizon));
        let reminded_today = Query::select()
            .expr(Expr::val(1))
            .from(reminder_row::Entity)
            .and_where(
                Expr::col((reminder_row::Entity, reminder_row::Column::EquipmentId))
                    .equals((equipment::Entity, equipment::Column::Id)),
            )
            .and_where(Expr::col((reminder_row::Entity, reminder_row::Column::RunOn)).eq(today))
            .to_owned();
        let candidates = Condition::all()
            .add(equipment::Column::UseStatus.is_in(IN_USE))
            .add(equipment::Column::NextInspectionDate.between(from, to))
            .add(Expr::not_exists(reminded_today));
        let enterprise_ids: Vec<i64> = equipment::Entity::find()
            .select_only()
            .column(equipment::Column::EnterpriseId)
            .distinct()
            .filter(candidates.clone())
            .order_by_asc(equipment::Column::EnterpriseId)
            .into_tuple()
            .all(&self.db)
            .await?;
        for enterprise_id in enterprise_ids {
            // One enterprise that fails (a database hiccup) must not hold back the others; its
            // transaction rolled back, so the next pass tries it again.
            match self
                .remind_enterprise(enterprise_id, today, candidates.clone())
                .await
            {
                Ok((0, _)) => {}
                Ok((reminders, sms)) => {
                    run.enterprises += 1;
                    run.reminders += reminders;
                    run.sms += sms;
                }
                Err(e) => {
                    tracing::warn!(enterprise_id, error = %e, "reminders of an enterprise failed");
                    run.failed += 1;
                }
            }
        }
        if run.reminders > 0 || run.failed > 0 {
            tracing::info!(
                failed = run.failed,
                %today,
                enterprises = run.enterprises,
                reminders = run.reminders,
                sms = run.sms,
                "reminders sent"
            );
        }
        Ok(run)
    }

    /// Decides and writes one enterprise's reminders; returns (reminders, SMS) written.
    async fn remind_enterprise(
        &self,
        enterprise_id: i64,
        today: Date,
        candidates: Condition,
    ) -> AppResult<(u32, u32)> {
        let Some(ent) = enterprise::Entity::find_by_id(enterprise_id)
            .one(&self.db)
            .await?
        else {
            return Ok((0, 0));
        };
        let settings = settings_from_row(
            reminder_settings::Entity::find_by_id(enterprise_id)
                .one(&self.db)
                .await?,
        );
        // Served by idx_equipment_enterprise_next (enterprise_id, next_inspection_date, id).
        let units = equipment::Entity::find()
            .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
            .filter(candidates)
            .order_by_asc(equipment::Column::Id)
            .all(&self.db)
            .await?;
        let mut sent: HashMap<(i64, Date), Vec<Due>> = HashMap::new();
        for chunk in units.chunks(CHUNK) {
            let ids: Vec<i64> = chunk.iter().map(|e| e.id).collect();
            for r in reminder_row::Entity::find()
                .filter(reminder_row::Column::EquipmentId.is_in(ids))
                .all(&self.db)
                .await?
            {
                if let Ok(threshold) = Threshold::parse(&r.threshold) {
                    sent.entry((r.equipment_id, r.due_date))
                        .or_default()
                        .push(Due {
                            threshold,
                            offset: r.offset_days,
                        });
                }
            }
        }
        let mut planned: Vec<Planned> = Vec::new();
        for unit in units {
            let Some(due_date) = unit.next_inspection_date else {
                continue;
            };
            let already = sent
                .get(&(unit.id, due_date))
                .map_or(&[][..], Vec::as_slice);
            let Some(due) = reminder::due_now(today, due_date, &settings, already) else {
                continue;
            };
            // An approved deferral that still runs keeps the unit off the overdue list, and so
            // out of the overdue reminders.
            if due.threshold.is_overdue() && unit.deferred_until.is_some_and(|d| d >= today) {
                continue;
            }
            planned.push(Planned {
                equipment: unit,
                due_date,
                due,
            });
        }
        if planned.is_empty() {
            return Ok((0, 0));
        }

        let now = OffsetDateTime::now_utc();
        let txn = self.begin_write().await?;
        let mut written: Vec<(i64, &Planned)> = Vec::new();
        for p in &planned {
            let row = reminder_row::ActiveModel {
                equipment_id: Set(p.equipment.id),
                enterprise_id: Set(enterprise_id),
                due_date: Set(p.due_date),
                threshold: Set(p.due.threshold.key()),
                offset_days: Set(p.due.offset),
                run_on: Set(today),
                created_at: Set(now),
                ..Default::default()
            };
            let inserted = reminder_row::Entity::insert(row)
                .on_conflict_do_nothing_on([
                    reminder_row::Column::EquipmentId,
                    reminder_row::Column::DueDate,
                    reminder_row::Column::Threshold,
                ])
                .exec(&txn)
                .await?;
            // Conflicted: another run or node wrote this reminder first; it sent the messages.
            if let TryInsertResult::Inserted(result) = inserted {
                written.push((result.last_insert_id, p));
            }
        }
        if written.is_empty() {
            txn.commit().await?;
            return Ok((0, 0));
        }
        for (reminder_id, p) in &written {
            let (title, body) = inbox_text(p, today);
            let kind = if p.due.threshold.is_overdue() {
                "reminder_overdue"
            } else {
                "reminder_due"
            };
            notification::Entity::insert(notification::ActiveModel {
                enterprise_id: Set(enterprise_id),
                kind: Set(kind.to_owned()),
                title: Set(title.chars().take(200).collect()),
                body: Set(body.chars().take(1000).collect()),
                equipment_id: Set(Some(p.equipment.id)),
                reminder_id: Set(Some(*reminder_id)),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        let mut recipients: Vec<String> = Vec::new();
        if settings.sms_to_safety_manager()
            && let Some(phone) = ent
                .safety_manager_phone
                .as_deref()
                .and_then(|p| MobileNumber::parse(p).ok())
        {
            recipients.push(phone.as_str().to_owned());
        }
        for phone in settings.extra_phones() {
            if !recipients.iter().any(|r| r == phone.as_str()) {
                recipients.push(phone.as_str().to_owned());
            }
        }
        let batch: Vec<&Planned> = written.iter().map(|(_, p)| *p).collect();
        let body = sms_text(&ent.name, &batch);
        // The first new reminder id names the batch: ids are unique, so batches never collide.
        let batch_id = written.first().map_or(0, |(id, _)| *id);
        for phone in &recipients {
            outbox::enqueue_sms(
                &txn,
                Message {
                    recipient: phone.clone(),
                    kind: "inspection_reminder",
                    body: body.clone(),
                    dedupe_key: format!("reminder:{enterprise_id}:{batch_id}:{phone}"),
                },
            )
            .await?;
        }
        txn.commit().await?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok((count(written.len()), count(recipients.len())))
    }

    /// The enterprise whose inbox `actor` reads (`None`: staff have no inbox).
    fn inbox_of(actor: &Actor) -> Option<i64> {
        match actor.scope() {
            Scope::Enterprise(id) => Some(id),
            _ => None,
        }
    }

    /// The notifications `user_id` has not read, of `enterprise_id`.
    fn unread_condition(user_id: i64) -> Condition {
        let read = Query::select()
            .expr(Expr::val(1))
            .from(notification_read::Entity)
            .and_where(
                Expr::col((
                    notification_read::Entity,
                    notification_read::Column::NotificationId,
                ))
                .equals((notification::Entity, notification::Column::Id)),
            )
            .and_where(
                Expr::col((notification_read::Entity, notification_read::Column::UserId))
                    .eq(user_id),
            )
            .to_owned();
        Condition::all().add(Expr::not_exists(read))
    }

    async fn unread_count(&self, enterprise_id: i64, user_id: i64) -> AppResult<u64> {
        Ok(notification::Entity::find()
            .filter(notification::Column::EnterpriseId.eq(enterprise_id))
            .filter(Self::unread_condition(user_id))
            .count(&self.db)
            .await?)
    }

    /// 站内消息: the caller's enterprise inbox, newest first, with this user's read marks.
    pub async fn notifications(
        &self,
        actor: &Actor,
        query: &NotificationQuery,
    ) -> AppResult<NotificationPage> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let Some(enterprise_id) = Self::inbox_of(actor) else {
            return Ok(NotificationPage {
                items: Vec::new(),
                total: 0,
                page: paging.page,
                per_page: paging.per_page,
                unread: 0,
            });
        };
        let mut select = notification::Entity::find()
            .filter(notification::Column::EnterpriseId.eq(enterprise_id));
        if query.unread == Some(true) {
            select = select.filter(Self::unread_condition(actor.user_id));
        }
        let total = select.clone().count(&self.db).await?;
        let unread = self.unread_count(enterprise_id, actor.user_id).await?;
        let rows = select
            .order_by_desc(notification::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let read: HashSet<i64> = notification_read::Entity::find()
            .filter(notification_read::Column::UserId.eq(actor.user_id))
            .filter(notification_read::Column::NotificationId.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.notification_id)
            .collect();
        let equipment_ids: Vec<i64> = rows.iter().filter_map(|r| r.equipment_id).collect();
        let labels: HashMap<i64, String> = equipment::Entity::find()
            .filter(equipment::Column::EnterpriseId.eq(enterprise_id))
            .filter(equipment::Column::Id.is_in(equipment_ids))
            .all(&self.db)
            .await?
            .iter()
            .map(|e| (e.id, label(e)))
            .collect();
        let reminder_ids: Vec<i64> = rows.iter().filter_map(|r| r.reminder_id).collect();
        let reminders: HashMap<i64, reminder_row::Model> = reminder_row::Entity::find()
            .filter(reminder_row::Column::EnterpriseId.eq(enterprise_id))
            .filter(reminder_row::Column::Id.is_in(reminder_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let items = rows
            .into_iter()
            .map(|r| {
                let reminder = r.reminder_id.and_then(|id| reminders.get(&id));
                Notification {
                    id: r.id,
                    kind: r.kind,
                    title: r.title,
                    body: r.body,
                    equipment_id: r.equipment_id,
                    equipment_label: r.equipment_id.and_then(|id| labels.get(&id).cloned()),
                    due_date: reminder.map(|m| m.due_date),
                    threshold: reminder.map(|m| m.threshold.clone()),
                    created_at: r.created_at,
                    read: read.contains(&r.id),
                }
            })
            .collect();
        Ok(NotificationPage {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
            unread,
        })
    }

    /// Marks one inbox entry read for the caller. Another enterprise's entry is not found.
    pub async fn mark_notification_read(&self, actor: &Actor, id: i64) -> AppResult<ReadResult> {
        let enterprise_id = Self::inbox_of(actor).ok_or(AppError::NotFound)?;
        let found = notification::Entity::find_by_id(id)
            .filter(notification::Column::EnterpriseId.eq(enterprise_id))
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        // A read mark is the user's own view state, not a change of record: no audit entry.
        let marked = notification_read::Entity::insert(notification_read::ActiveModel {
            notification_id: Set(found.id),
            user_id: Set(actor.user_id),
            read_at: Set(OffsetDateTime::now_utc()),
        })
        .on_conflict_do_nothing_on([
            notification_read::Column::NotificationId,
            notification_read::Column::UserId,
        ])
        .exec_without_returning(&self.db)
        .await?;
        let marked = match marked {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        };
        Ok(ReadResult {
            marked,
            unread: self.unread_count(enterprise_id, actor.user_id).await?,
        })
    }

    /// Marks every entry of the caller's inbox read for the caller, in one statement.
    pub async fn mark_all_notifications_read(&self, actor: &Actor) -> AppResult<ReadResult> {
        let enterprise_id = Self::inbox_of(actor).ok_or(AppError::NotFound)?;
        let unread = Query::select()
            .column((notification::Entity, notification::Column::Id))
            .expr(Expr::val(actor.user_id))
            .expr(Expr::val(OffsetDateTime::now_utc()))
            .from(notification::Entity)
            .and_where(
                Expr::col((notification::Entity, notification::Column::EnterpriseId))
                    .eq(enterprise_id),
            )
            .cond_where(Self::unread_condition(actor.user_id))
            .to_owned();
        let insert = Query::insert()
            .into_table(notification_read::Entity)
            .columns([
                notification_read::Column::NotificationId,
                notification_read::Column::UserId,
                notification_read::Column::ReadAt,
            ])
            .select_from(unread)
            .map_err(AppError::internal)?
            .on_conflict(
                OnConflict::columns([
                    notification_read::Column::NotificationId,
                    notification_read::Column::UserId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        let marked = self.db.execute(&insert).await?.rows_affected();
        Ok(ReadResult {
            marked,
            unread: self.unread_count(enterprise_id, actor.user_id).await?,
        })
    }

    async fn settings_view(
        &self,
        actor: &Actor,
        enterprise_id: i64,
    ) -> AppResult<ReminderSettingsView> {
        let ent = enterprise::Entity::find_by_id(enterprise_id)
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let settings = settings_from_row(
            reminder_settings::Entity::find_by_id(enterprise_id)
                .one(&self.db)
                .await?,
        );
        Ok(ReminderSettingsView {
            settings: to_wire(&settings),
            safety_manager_phone: ent
                .safety_manager_phone
                .as_deref()
                .and_then(|p| MobileNumber::parse(p).ok())
                .map(|p| p.masked()),
            editable: actor.require_enterprise_admin().is_ok(),
        })
    }

    /// 提醒设置 of the caller's enterprise (the defaults until changed).
    pub async fn reminder_settings(&self, actor: &Actor) -> AppResult<ReminderSettingsView> {
        let enterprise_id = Self::inbox_of(actor).ok_or(AppError::Forbidden)?;
        self.settings_view(actor, enterprise_id).await
    }

    /// Changes the caller's enterprise's 提醒设置 (enterprise admin), audited.
    pub async fn update_reminder_settings(
        &self,
        actor: &Actor,
        wire: WireSettings,
    ) -> AppResult<ReminderSettingsView> {
        let enterprise_id = actor.require_enterprise_admin()?;
        let settings = ReminderSettings::new(
            wire.window_days,
            &wire.marks,
            wire.weekly_overdue,
            wire.sms_to_safety_manager,
            &wire.extra_phones,
        )
        .map_err(|errors| {
            AppError::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        pointer: format!("/{}", e.field),
                        code: e.error.code().to_owned(),
                        detail: e.error.message().to_owned(),
                    })
                    .collect(),
            )
        })?;
        let user = self.acting_user(actor).await?;
        let join = |v: Vec<String>| v.join(",");
        let row = reminder_settings::ActiveModel {
            enterprise_id: Set(enterprise_id),
            window_days: Set(i16::try_from(settings.window_days()).map_err(AppError::internal)?),
            marks: Set(join(settings.marks().iter().map(u16::to_string).collect())),
            horizon_days: Set(i16::try_from(settings.horizon_days()).map_err(AppError::internal)?),
            weekly_overdue: Set(settings.weekly_overdue()),
            sms_safety_manager: Set(settings.sms_to_safety_manager()),
            extra_phones: Set(join(
                settings
                    .extra_phones()
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            )),
            updated_at: Set(OffsetDateTime::now_utc()),
        };
        let txn = self.begin_write().await?;
        let before = settings_from_row(
            reminder_settings::Entity::find_by_id(enterprise_id)
                .one(&txn)
                .await?,
        );
        reminder_settings::Entity::insert(row)
            .on_conflict(
                OnConflict::column(reminder_settings::Column::EnterpriseId)
                    .update_columns([
                        reminder_settings::Column::WindowDays,
                        reminder_settings::Column::Marks,
                        reminder_settings::Column::HorizonDays,
                        reminder_settings::Column::WeeklyOverdue,
                        reminder_settings::Column::SmsSafetyManager,
                        reminder_settings::Column::ExtraPhones,
                        reminder_settings::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "reminder_settings.update",
                "enterprise",
                enterprise_id,
            )
            .before(json!(to_wire(&before)))
            .after(json!(to_wire(&settings))),
        )
        .await?;
        txn.commit().await?;
        self.settings_view(actor, enterprise_id).await
    }

    /// 手动运行提醒任务 (institute staff): the same pass the server runs hourly.
    pub async fn run_reminders_as(
        &self,
        actor: &Actor,
        date: Option<Date>,
    ) -> AppResult<ReminderRun> {
        if !matches!(actor.role, Role::Institute | Role::Admin) {
            return Err(AppError::Forbidden);
        }
        self.run_reminders(date.unwrap_or_else(super::local_today))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str) -> equipment::Model {
        let now = OffsetDateTime::UNIX_EPOCH;
        equipment::Model {
            id,
            enterprise_id: 1,
            category_code: "3000".to_owned(),
            variety_code: "3110".to_owned(),
            equipment_code: None,
            registration_code: Some(code.to_owned()),
            use_certificate_no: None,
            internal_no: None,
            factory_no: None,
            model: None,
            manufacturer: None,
            manufacture_date: None,
            commissioning_date: None,
            install_location: "1号楼".to_owned(),
            district_code: "330502".to_owned(),
            use_status: "in_use".to_owned(),
            registration_status: "registered".to_owned(),
            last_inspection_date: None,
            next_inspection_date: None,
            last_outcome: None,
            params: json!({}),
            registration_date: None,
            status_changed_on: None,
            deferred_until: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn sms_lists_counts_and_the_first_codes() {
        let d = time::macros::date!(2027 - 01 - 10);
        let planned: Vec<Planned> = (1..=5)
            .map(|i| Planned {
                equipment: unit(i, &format!("CODE{i}")),
                due_date: d + Duration::days(i),
                due: Due {
                    threshold: if i == 5 {
                        Threshold::OverdueWeek(1)
                    } else {
                        Threshold::Days(7)
                    },
                    offset: 7,
                },
            })
            .collect();
        let refs: Vec<&Planned> = planned.iter().collect();
        let text = sms_text("湖州示例公司", &refs);
        assert!(text.contains("4 台即将到期（最早 2027-01-11）"), "{text}");
        assert!(text.contains("1 台已超期未检"), "{text}");
        assert!(text.contains("CODE1、CODE2、CODE3等"), "{text}");
        assert!(!text.contains("CODE4"), "{text}");
    }
}
