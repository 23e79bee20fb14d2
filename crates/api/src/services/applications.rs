//! 网上报检 (manual 5.1): enterprises apply, the institute accepts with an approved fee and a
//! date, or rejects with a reason; later steps (inspection, report) move each item on.

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use serde_json::json;
use tejian_contract::application::{
    AcceptApplication, Application, ApplicationItem, ApplicationQuery, NewApplication,
    RejectApplication, ScheduleApplication,
};
use tejian_contract::list::{Page, PageQuery};
use tejian_domain::account::Role;
use tejian_domain::application::{ItemState, check_eligible, progress};
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use tejian_domain::numbering;
use tejian_domain::phone::ContactPhone;
use time::{Duration, OffsetDateTime};

use super::equipment::{category_name, scoped as scoped_equipment};
use super::equipment_admin::staff_only;
use super::{Actor, Scope, Services, filter_text, local_today, random_bytes};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::outbox;
use crate::store::entity::{
    application_item, enterprise, equipment, inspection_application, report,
};
use crate::store::lookup;

/// Restricts an application query to what `scope` may see (bureaus see none: applications are
/// between the enterprise and the institute).
fn scoped(
    query: Select<inspection_application::Entity>,
    scope: &Scope,
) -> Select<inspection_application::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(inspection_application::Column::EnterpriseId.eq(*id)),
        Scope::All => query,
        Scope::District(_) | Scope::Nothing => {
            query.filter(inspection_application::Column::Id.lt(0))
        }
    }
}

pub(crate) fn equipment_label(e: &equipment::Model) -> String {
    e.registration_code
        .clone()
        .or_else(|| e.equipment_code.clone())
        .unwrap_or_else(|| format!("#{}", e.id))
}

fn money(fen: Option<i64>) -> Option<Money> {
    fen.map(Money::from_fen)
}

/// The phone an SMS about an enterprise goes to: its 安全管理负责人, else its contact phone.
pub(crate) fn sms_recipient(e: &enterprise::Model) -> Option<String> {
    e.safety_manager_phone
        .clone()
        .or_else(|| e.contact_phone.clone())
        .filter(|p| p.chars().filter(char::is_ascii_digit).count() == 11 && p.starts_with('1'))
}

impl Services {
    async fn wire_applications(
        &self,
        rows: Vec<inspection_application::Model>,
    ) -> AppResult<Vec<Application>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let items = application_item::Entity::find()
            .filter(application_item::Column::ApplicationId.is_in(ids))
            .order_by_asc(application_item::Column::Id)
            .all(&self.db)
            .await?;
        let equipment =
            lookup::equipment_by_id(&self.db, items.iter().map(|i| i.equipment_id)).await?;
        let report_ids: Vec<i64> = items.iter().filter_map(|i| i.report_id).collect();
        let report_nos: HashMap<i64, String> = report::Entity::find()
            .filter(report::Column::Id.is_in(report_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.report_no))
            .collect();
        let names =
            lookup::enterprise_names(&self.db, rows.iter().map(|r| r.enterprise_id)).await?;
        rows.into_iter()
            .map(|row| {
                let mine: Vec<ApplicationItem> = items
                    .iter()
                    .filter(|i| i.application_id == row.id)
                    .map(|i| {
                        let state = ItemState::from_str(&i.state).map_err(AppError::internal)?;
                        let kind = InspectionType::from_str(&i.inspection_type)
                            .map_err(AppError::internal)?;
                        let eq = equipment.get(&i.equipment_id);
                        Ok(ApplicationItem {
                            id: i.id,
                            equipment_id: i.equipment_id,
                            equipment_label: eq.map(equipment_label).unwrap_or_default(),
                            variety_name: eq
                                .map(|e| category_name(&e.variety_code))
                                .unwrap_or_default(),
                            install_location: eq
                                .map(|e| e.install_location.clone())
                                .unwrap_or_default(),
                            inspection_type: kind,
                            inspection_type_name: kind.label_zh().to_owned(),
                            state,
                            state_name: state.label_zh().to_owned(),
                            opinion_name: state.opinion_zh().to_owned(),
                            opinion: i.opinion.clone(),
                            estimated_fee: money(i.estimated_fee_fen),
                            approved_fee: money(i.approved_fee_fen),
                            business_no: i.business_no.clone(),
                            scheduled_date: i.scheduled_date,
                            decided_at: i.decided_at,
                            report_id: i.report_id,
                            report_no: i.report_id.and_then(|id| report_nos.get(&id).cloned()),
                        })
                    })
                    .collect::<AppResult<_>>()?;
                let states: Vec<ItemState> = mine.iter().map(|i| i.state).collect();
                let p = progress(&states);
                let estimated_total = mine
                    .iter()
                    .filter_map(|i| i.estimated_fee)
                    .fold(Money::ZERO, |a, b| a + b);
                let approved: Vec<Money> = mine.iter().filter_map(|i| i.approved_fee).collect();
                Ok(Application {
                    id: row.id,
                    serial_no: row.serial_no,
                    enterprise_id: row.enterprise_id,
                    enterprise_name: names.get(&row.enterprise_id).cloned().unwrap_or_default(),
                    contact_name: row.contact_name,
                    contact_phone: row.contact_phone,
                    contact_address: row.contact_address,
                    preferred_date: row.preferred_date,
                    note: row.note,
                    applicant_name: row.applicant_name,
                    submitted_at: row.submitted_at,
                    progress: p,
                    progress_name: p.label_zh().to_owned(),
                    estimated_total,
                    approved_total: (!approved.is_empty())
                        .then(|| approved.into_iter().fold(Money::ZERO, |a, b| a + b)),
                    items: mine,
                })
            })
            .collect()
    }

    async fn one_application(&self, row: inspection_application::Model) -> AppResult<Application> {
        self.wire_applications(vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("application vanished"))
    }

    /// 提交报检. Returns the application and whether it was created now (false: the same
    /// `Idempotency-Key` was used before and the earlier application is returned).
    pub async fn submit_application(
        &self,
        actor: &Actor,
        request: NewApplication,
        idempotency_key: Option<String>,
    ) -> AppResult<(Application, bool)> {
        if actor.role != Role::Enterprise {
            return Err(AppError::Forbidden);
        }
        if let Some(key) = &idempotency_key {
            let earlier = inspection_application::Entity::find()
                .filter(inspection_application::Column::ApplicantUserId.eq(actor.user_id))
                .filter(inspection_application::Column::IdempotencyKey.eq(key.clone()))
                .one(&self.db)
                .await?;
            if let Some(earlier) = earlier {
                return Ok((self.one_application(earlier).await?, false));
            }
        }
        let contact_name = request.contact_name.trim().to_owned();
        let contact_address = request.contact_address.trim().to_owned();
        if contact_name.is_empty() {
            return Err(AppError::field(
                "/contact_name",
                "required",
                "请填写检验联系人",
            ));
        }
        if contact_address.is_empty() {
            return Err(AppError::field(
                "/contact_address",
                "required",
                "请填写联系地址",
            ));
        }
        let phone = ContactPhone::parse(&request.contact_phone)
            .map_err(|e| AppError::field("/contact_phone", e.code(), e.to_string()))?;
        let today = local_today();
        if let Some(preferred) = request.preferred_date
            && (preferred < today || preferred > today + Duration::days(365))
        {
            return Err(AppError::field(
                "/preferred_date",
                "out_of_range",
                "期望检验日期应在今天到一年之内",
            ));
        }
        if request.items.is_empty() {
            return Err(AppError::field(
                "/items",
                "empty_batch",
                "请至少选择一台设备",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (n, item) in request.items.iter().enumerate() {
            if !seen.insert(item.equipment_id) {
                return Err(AppError::field(
                    &format!("/items/{n}/equipment_id"),
                    "duplicate_equipment",
                    "同一台设备在一次申报中只能出现一次",
                ));
            }
        }
        let user = self.acting_user(actor).await?;
        let enterprise_id = actor.enterprise_id.ok_or(AppError::Forbidden)?;

        let txn = self.begin_write().await?;
        let ids: Vec<i64> = request.items.iter().map(|i| i.equipment_id).collect();
        // Scoped: another enterprise's equipment is simply not found.
        let found: HashMap<i64, equipment::Model> =
            scoped_equipment(equipment::Entity::find(), &actor.scope())
                .filter(equipment::Column::Id.is_in(ids))
                .all(&txn)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        let open: Vec<i64> = application_item::Entity::find()
            .select_only()
            .column(application_item::Column::EquipmentId)
            .filter(application_item::Column::EquipmentId.is_in(found.keys().copied()))
            .filter(application_item::Column::State.is_in(open_states()))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut problems = Vec::new();
        let mut planned = Vec::new();
        for (n, item) in request.items.iter().enumerate() {
            let pointer = format!("/items/{n}/equipment_id");
            let Some(eq) = found.get(&item.equipment_id) else {
                problems.push(field(
                    &pointer,
                    "equipment_not_found",
                    "设备不存在或不属于本单位",
                ));
                continue;
            };
            let use_status = UseStatus::from_str(&eq.use_status).map_err(AppError::internal)?;
            let registration = RegistrationStatus::from_str(&eq.registration_status)
                .map_err(AppError::internal)?;
            if let Err(e) = check_eligible(use_status, registration) {
                problems.push(field(
                    &pointer,
                    e.code(),
                    &format!("{}：{}", equipment_label(eq), e.message()),
                ));
                continue;
            }
            if open.contains(&eq.id) {
                problems.push(field(
                    &pointer,
                    "application_pending",
                    &format!("{}：该设备已有未完成的报检申请", equipment_label(eq)),
                ));
                continue;
            }
            let (fee_request, estimate) = self
                .estimate_item_fee(eq, item.inspection_type, item.fee.as_ref())
                .map_err(|e| {
                    AppError::field(&format!("/items/{n}/fee"), e.code(), e.to_string())
                })?;
            planned.push((eq.clone(), item.inspection_type, fee_request, estimate));
        }
        if !problems.is_empty() {
            return Err(AppError::Validation(problems));
        }
        let now = OffsetDateTime::now_utc();
        let serial_no = numbering::application_serial(today, &random_bytes::<6>()?);
        let row = inspection_application::ActiveModel {
            serial_no: Set(serial_no),
            enterprise_id: Set(enterprise_id),
            contact_name: Set(contact_name),
            contact_phone: Set(phone.as_str().to_owned()),
            contact_address: Set(contact_address),
            preferred_date: Set(request.preferred_date),
            note: Set(request
                .note
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())),
            applicant_user_id: Set(actor.user_id),
            applicant_name: Set(user.display_name.clone()),
            submitted_at: Set(now),
            idempotency_key: Set(idempotency_key),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (eq, kind, fee_request, estimate) in &planned {
            let inserted = application_item::ActiveModel {
                application_id: Set(row.id),
                enterprise_id: Set(enterprise_id),
                equipment_id: Set(eq.id),
                inspection_type: Set(kind.as_str().to_owned()),
                state: Set(ItemState::Pending.as_str().to_owned()),
                fee_request: Set(fee_request.clone()),
                estimated_fee_fen: Set(estimate.map(Money::to_fen)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            // The partial unique index catches a concurrent submission for the same equipment.
            if let Err(e) = inserted {
                if is_unique_violation(&e) {
                    return Err(AppError::Conflict {
                        code: "application_pending",
                        detail: format!("{}：该设备已有未完成的报检申请", equipment_label(eq)),
                    });
                }
                return Err(e.into());
            }
        }
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "application_submitted",
                "inspection_application",
                row.id,
            )
            .after(json!({
                "serial_no": row.serial_no,
                "equipment_ids": planned.iter().map(|p| p.0.id).collect::<Vec<_>>(),
            })),
        )
        .await?;
        txn.commit().await?;
        Ok((self.one_application(row).await?, true))
    }

    /// 报检查询: an enterprise its own applications, the institute every enterprise's.
    pub async fn applications(
        &self,
        actor: &Actor,
        query: &ApplicationQuery,
    ) -> AppResult<Page<Application>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(inspection_application::Entity::find(), &actor.scope());
        if let Some(serial) = filter_text(query.serial_no.as_deref()) {
            select = select.filter(
                inspection_application::Column::SerialNo
                    .like(LikeExpr::new(contains(&serial.to_uppercase())).escape('\\')),
            );
        }
        if let Some(id) = query.enterprise_id
            && actor.enterprise_id.is_none()
        {
            select = select.filter(inspection_application::Column::EnterpriseId.eq(id));
        }
        if let Some(from) = query.submitted_from {
            select = select.filter(
                inspection_application::Column::SubmittedAt
                    .gte(from.midnight().assume_utc() - Duration::hours(8)),
            );
        }
        if let Some(to) = query.submitted_to {
            select = select.filter(
                inspection_application::Column::SubmittedAt
                    .lt((to + Duration::days(1)).midnight().assume_utc() - Duration::hours(8)),
            );
        }
        let mut item_filter = Condition::all();
        let mut filter_items = false;
        if let Some(state) = query.item_state {
            item_filter = item_filter.add(application_item::Column::State.eq(state.as_str()));
            filter_items = true;
        }
        if let Some(code) = filter_text(query.equipment.as_deref()) {
            let matching = super::equipment::ids_matching_code(&actor.scope(), code);
            item_filter =
                item_filter.add(application_item::Column::EquipmentId.in_subquery(matching));
            filter_items = true;
        }
        if filter_items {
            let apps = application_item::Entity::find()
                .select_only()
                .column(application_item::Column::ApplicationId)
                .filter(item_filter)
                .into_query();
            select = select.filter(inspection_application::Column::Id.in_subquery(apps));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(inspection_application::Column::SubmittedAt)
            .order_by_desc(inspection_application::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_applications(rows).await?, total))
    }

    /// One application.
    pub async fn application(&self, actor: &Actor, id: i64) -> AppResult<Application> {
        let row = scoped(
            inspection_application::Entity::find_by_id(id),
            &actor.scope(),
        )
        .one(&self.db)
        .await?
        .ok_or(AppError::NotFound)?;
        self.one_application(row).await
    }

    /// 受理 (institute): accept the listed items with their approved fees, optionally dated.
    pub async fn accept_application(
        &self,
        actor: &Actor,
        id: i64,
        request: AcceptApplication,
    ) -> AppResult<Application> {
        staff_only(actor)?;
        let today = local_today();
        if let Some(date) = request.scheduled_date
            && date < today
        {
            return Err(AppError::field(
                "/scheduled_date",
                "in_past",
                "检验日期不能早于今天",
            ));
        }
        for (n, item) in request.items.iter().enumerate() {
            if item.approved_fee < Money::ZERO {
                return Err(AppError::field(
                    &format!("/items/{n}/approved_fee"),
                    "negative_amount",
                    "核定费用不能为负数",
                ));
            }
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let app = scoped(
            inspection_application::Entity::find_by_id(id),
            &actor.scope(),
        )
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
        let now = OffsetDateTime::now_utc();
        let opinion = filter_text(request.opinion.as_deref()).map(str::to_owned);
        let mut accepted = Vec::new();
        for (n, approved) in request.items.iter().enumerate() {
            let item = application_item::Entity::find_by_id(approved.item_id)
                .filter(application_item::Column::ApplicationId.eq(app.id))
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    AppError::field(
                        &format!("/items/{n}/item_id"),
                        "item_not_found",
                        "该申请中没有这台设备",
                    )
                })?;
            let state = ItemState::from_str(&item.state).map_err(AppError::internal)?;
            let next = state
                .decide(true, request.scheduled_date.is_some())
                .map_err(|e| AppError::conflict(&e))?;
            let mut a = item.clone().into_active_model();
            a.state = Set(next.as_str().to_owned());
            a.approved_fee_fen = Set(Some(approved.approved_fee.to_fen()));
            a.business_no = Set(Some(numbering::business_no(today, item.id)));
            a.opinion = Set(opinion.clone());
            a.decided_by_name = Set(Some(staff.display_name.clone()));
            a.decided_at = Set(Some(now));
            a.scheduled_date = Set(request.scheduled_date);
            a.updated_at = Set(now);
            a.update(&txn).await?;
            accepted.push(item.id);
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(app.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "application_accepted",
                    "inspection_application",
                    app.id,
                )
            }
            .after(json!({ "items": request.items.iter().map(|i| json!({"item_id": i.item_id, "approved_fee": i.approved_fee.to_string()})).collect::<Vec<_>>(),
                "scheduled_date": request.scheduled_date })),
        )
        .await?;
        let date = request
            .scheduled_date
            .map(|d| format!("，检验日期 {d}"))
            .unwrap_or_default();
        self.notify_enterprise(
            &txn,
            app.enterprise_id,
            "application_accepted",
            &format!("application_accepted:{}:{}", app.id, join(&accepted)),
            &format!(
                "【湖州特检院】您单位的报检申请 {} 已受理 {} 台设备{date}。详情请登录企业服务平台查看。",
                app.serial_no,
                accepted.len()
            ),
        )
        .await?;
        txn.commit().await?;
        if self.settings.auto_payment_notice {
            // The notice follows the acceptance; when it cannot be issued (a zero fee) the
            // acceptance stands and staff can bill later.
            let notice = self
                .issue_payment_notice(
                    actor,
                    tejian_contract::payment::NewPaymentNotice {
                        application_id: app.id,
                        item_ids: accepted.clone(),
                        due_date: None,
                    },
                )
                .await;
            if let Err(e) = notice {
                tracing::info!(application_id = app.id, error = %e, "no payment notice issued at acceptance");
            }
        }
        self.one_application(app).await
    }

    /// 不予受理 (institute): reject the listed pending items (all pending when none are listed).
    pub async fn reject_application(
        &self,
        actor: &Actor,
        id: i64,
        request: RejectApplication,
    ) -> AppResult<Application> {
        staff_only(actor)?;
        let reason = request.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(AppError::field(
                "/reason",
                "required",
                "请填写不予受理的原因",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let app = scoped(
            inspection_application::Entity::find_by_id(id),
            &actor.scope(),
        )
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
        let mut select = application_item::Entity::find()
            .filter(application_item::Column::ApplicationId.eq(app.id));
        if request.item_ids.is_empty() {
            select = select.filter(application_item::Column::State.eq(ItemState::Pending.as_str()));
        } else {
            select = select.filter(application_item::Column::Id.is_in(request.item_ids.clone()));
        }
        let items = select.all(&txn).await?;
        if items.is_empty()
            || (!request.item_ids.is_empty() && items.len() != request.item_ids.len())
        {
            return Err(AppError::Conflict {
                code: "nothing_to_reject",
                detail: "没有可驳回的待受理设备".to_owned(),
            });
        }
        let now = OffsetDateTime::now_utc();
        for item in &items {
            let state = ItemState::from_str(&item.state).map_err(AppError::internal)?;
            let next = state
                .decide(false, false)
                .map_err(|e| AppError::conflict(&e))?;
            let mut a = item.clone().into_active_model();
            a.state = Set(next.as_str().to_owned());
            a.opinion = Set(Some(reason.clone()));
            a.decided_by_name = Set(Some(staff.display_name.clone()));
            a.decided_at = Set(Some(now));
            a.updated_at = Set(now);
            a.update(&txn).await?;
        }
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(app.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "application_rejected",
                    "inspection_application",
                    app.id,
                )
            }
            .after(json!({ "item_ids": ids, "reason": reason })),
        )
        .await?;
        let short: String = reason.chars().take(60).collect();
        self.notify_enterprise(
            &txn,
            app.enterprise_id,
            "application_rejected",
            &format!("application_rejected:{}:{}", app.id, join(&ids)),
            &format!(
                "【湖州特检院】您单位的报检申请 {} 有 {} 台设备不予受理，原因：{short}。",
                app.serial_no,
                ids.len()
            ),
        )
        .await?;
        txn.commit().await?;
        self.one_application(app).await
    }

    /// 协商检验日期 (institute): date or re-date accepted items.
    pub async fn schedule_application(
        &self,
        actor: &Actor,
        id: i64,
        request: ScheduleApplication,
    ) -> AppResult<Application> {
        staff_only(actor)?;
        if request.scheduled_date < local_today() {
            return Err(AppError::field(
                "/scheduled_date",
                "in_past",
                "检验日期不能早于今天",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let app = scoped(
            inspection_application::Entity::find_by_id(id),
            &actor.scope(),
        )
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
        let mut select = application_item::Entity::find()
            .filter(application_item::Column::ApplicationId.eq(app.id));
        if request.item_ids.is_empty() {
            select = select.filter(
                application_item::Column::State
                    .is_in([ItemState::Accepted.as_str(), ItemState::Scheduled.as_str()]),
            );
        } else {
            select = select.filter(application_item::Column::Id.is_in(request.item_ids.clone()));
        }
        let items = select.all(&txn).await?;
        if items.is_empty() {
            return Err(AppError::Conflict {
                code: "application_not_accepted",
                detail: "没有已受理的设备可安排检验日期".to_owned(),
            });
        }
        let now = OffsetDateTime::now_utc();
        for item in &items {
            let state = ItemState::from_str(&item.state).map_err(AppError::internal)?;
            let next = state.schedule().map_err(|e| AppError::conflict(&e))?;
            let mut a = item.clone().into_active_model();
            a.state = Set(next.as_str().to_owned());
            a.scheduled_date = Set(Some(request.scheduled_date));
            a.updated_at = Set(now);
            a.update(&txn).await?;
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(app.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "application_scheduled",
                    "inspection_application",
                    app.id,
                )
            }
            .after(
                json!({ "item_ids": items.iter().map(|i| i.id).collect::<Vec<_>>(),
                "scheduled_date": request.scheduled_date }),
            ),
        )
        .await?;
        txn.commit().await?;
        self.one_application(app).await
    }

    /// Queues an SMS to the enterprise's 安全管理负责人 (skipped when it has no mobile number).
    pub(crate) async fn notify_enterprise<C: ConnectionTrait>(
        &self,
        conn: &C,
        enterprise_id: i64,
        kind: &'static str,
        dedupe_key: &str,
        body: &str,
    ) -> AppResult<()> {
        let Some(ent) = enterprise::Entity::find_by_id(enterprise_id)
            .one(conn)
            .await?
        else {
            return Ok(());
        };
        let Some(recipient) = sms_recipient(&ent) else {
            tracing::info!(enterprise_id, kind, "no mobile number for SMS; skipped");
            return Ok(());
        };
        outbox::enqueue_sms(
            conn,
            outbox::Message {
                recipient,
                kind,
                body: body.to_owned(),
                dedupe_key: dedupe_key.chars().take(128).collect(),
            },
        )
        .await?;
        Ok(())
    }
}

/// Wire names of the states that keep an application open for its equipment.
pub(crate) fn open_states() -> Vec<&'static str> {
    ItemState::all()
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

fn field(pointer: &str, code: &str, detail: &str) -> tejian_contract::problem::FieldError {
    tejian_contract::problem::FieldError {
        pointer: pointer.to_owned(),
        code: code.to_owned(),
        detail: detail.to_owned(),
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// `%value%` with LIKE wildcards in the value escaped.
pub(crate) fn contains(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Whether a database error is a unique-constraint violation (both databases).
pub(crate) fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
