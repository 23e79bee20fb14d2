//! 设备使用状态变更: enterprises ask, the bureau of the equipment's district decides, an approval
//! moves the equipment's statuses in the same transaction (manual 4.2.4 (2)(3)).

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use serde_json::json;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::status_change::{Decision, NewStatusChange, StatusChange, StatusChangeQuery};
use tejian_domain::account::Role;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::status_change::{ChangeKind, ChangeState, EquipmentStatuses, plan};
use time::{Duration, OffsetDateTime};

use super::equipment::scoped as scoped_equipment;
use super::files::info;
use super::{Actor, Scope, Services, filter_text, local_today};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::store::entity::{enterprise, equipment, status_change, status_change_file, stored_file};

/// Restricts a change query to what `scope` may see.
fn scoped(query: Select<status_change::Entity>, scope: &Scope) -> Select<status_change::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(status_change::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => query.filter(status_change::Column::DistrictCode.eq(code.clone())),
        Scope::All => query,
        Scope::Nothing => query.filter(status_change::Column::Id.lt(0)),
    }
}

impl Services {
    async fn wire_changes(&self, rows: Vec<status_change::Model>) -> AppResult<Vec<StatusChange>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = status_change_file::Entity::find()
            .filter(status_change_file::Column::StatusChangeId.is_in(ids))
            .all(&self.db)
            .await?;
        let file_ids: Vec<String> = links.iter().map(|l| l.file_id.clone()).collect();
        let files: HashMap<String, stored_file::Model> = stored_file::Entity::find()
            .filter(stored_file::Column::Id.is_in(file_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|f| (f.id.clone(), f))
            .collect();
        let equipment_ids: Vec<i64> = rows.iter().map(|r| r.equipment_id).collect();
        let labels: HashMap<i64, String> = equipment::Entity::find()
            .filter(equipment::Column::Id.is_in(equipment_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| {
                let label = e
                    .registration_code
                    .or(e.equipment_code)
                    .unwrap_or_else(|| format!("#{}", e.id));
                (e.id, label)
            })
            .collect();
        let enterprise_ids: Vec<i64> = rows.iter().map(|r| r.enterprise_id).collect();
        let names: HashMap<i64, String> = enterprise::Entity::find()
            .filter(enterprise::Column::Id.is_in(enterprise_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        rows.into_iter()
            .map(|r| {
                let bad = |what: &str| {
                    AppError::internal(format!("status change {} has invalid {what}", r.id))
                };
                let kind = ChangeKind::from_str(&r.kind).map_err(|_| bad("kind"))?;
                let state = ChangeState::from_str(&r.state).map_err(|_| bad("state"))?;
                let attachments = links
                    .iter()
                    .filter(|l| l.status_change_id == r.id)
                    .filter_map(|l| files.get(&l.file_id).map(info))
                    .collect();
                Ok(StatusChange {
                    id: r.id,
                    equipment_id: r.equipment_id,
                    equipment_label: labels.get(&r.equipment_id).cloned().unwrap_or_default(),
                    enterprise_name: names.get(&r.enterprise_id).cloned().unwrap_or_default(),
                    district_code: r.district_code,
                    kind,
                    kind_name: kind.label_zh().to_owned(),
                    state,
                    state_name: state.label_zh().to_owned(),
                    from_use_status: UseStatus::from_str(&r.from_use_status)
                        .map_err(|_| bad("from_use_status"))?,
                    to_use_status: UseStatus::from_str(&r.to_use_status)
                        .map_err(|_| bad("to_use_status"))?,
                    from_registration_status: RegistrationStatus::from_str(
                        &r.from_registration_status,
                    )
                    .map_err(|_| bad("from_registration_status"))?,
                    to_registration_status: RegistrationStatus::from_str(&r.to_registration_status)
                        .map_err(|_| bad("to_registration_status"))?,
                    reason: r.reason,
                    effective_date: r.effective_date,
                    new_location: r.new_location,
                    applicant_name: r.applicant_name,
                    submitted_at: r.submitted_at,
                    reviewer_name: r.reviewer_name,
                    reviewed_at: r.reviewed_at,
                    opinion: r.opinion,
                    attachments,
                })
            })
            .collect()
    }

    async fn one_change(&self, row: status_change::Model) -> AppResult<StatusChange> {
        self.wire_changes(vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("status change vanished"))
    }

    /// 提交变更申请. Returns the change and whether it was created now (false: the same
    /// `Idempotency-Key` was used before and the earlier change is returned).
    pub async fn submit_status_change(
        &self,
        actor: &Actor,
        equipment_id: i64,
        request: NewStatusChange,
        idempotency_key: Option<String>,
    ) -> AppResult<(StatusChange, bool)> {
        if actor.role != Role::Enterprise {
            return Err(AppError::Forbidden);
        }
        if let Some(key) = &idempotency_key {
            let earlier = status_change::Entity::find()
                .filter(status_change::Column::ApplicantUserId.eq(actor.user_id))
                .filter(status_change::Column::IdempotencyKey.eq(key.clone()))
                .one(&self.db)
                .await?;
            if let Some(earlier) = earlier {
                return Ok((self.one_change(earlier).await?, false));
            }
        }
        let today = local_today();
        if request.effective_date < today - Duration::days(30)
            || request.effective_date > today + Duration::days(90)
        {
            return Err(AppError::field(
                "/effective_date",
                "out_of_range",
                "生效日期应在今天前 30 天到后 90 天之间",
            ));
        }
        let new_location = filter_text(request.new_location.as_deref());
        if request.kind.needs_new_location() && new_location.is_none() {
            return Err(AppError::field(
                "/new_location",
                "required",
                "移装须填写移装后的使用地点",
            ));
        }
        let reason = request.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(AppError::field("/reason", "required", "请填写变更原因"));
        }
        let mut attachment_ids = request.attachment_ids.clone();
        attachment_ids.sort();
        attachment_ids.dedup();
        let user = self.acting_user(actor).await?;

        let txn = self.begin_write().await?;
        let eq = scoped_equipment(equipment::Entity::find_by_id(equipment_id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let pending = status_change::Entity::find()
            .filter(status_change::Column::EquipmentId.eq(eq.id))
            .filter(status_change::Column::State.eq(ChangeState::Submitted.as_str()))
            .count(&txn)
            .await?;
        if pending > 0 {
            return Err(AppError::Conflict {
                code: "status_change_pending",
                detail: "该设备已有待审批的变更申请，请等待监管局审批后再提交".to_owned(),
            });
        }
        let current = EquipmentStatuses {
            use_status: UseStatus::from_str(&eq.use_status).map_err(AppError::internal)?,
            registration_status: RegistrationStatus::from_str(&eq.registration_status)
                .map_err(AppError::internal)?,
            next_inspection_date: match (eq.next_inspection_date, eq.deferred_until) {
                (Some(next), Some(deferred)) => Some(next.max(deferred)),
                (next, _) => next,
            },
        };
        let transition = plan(request.kind, current, today).map_err(|e| AppError::conflict(&e))?;
        let owned = stored_file::Entity::find()
            .filter(stored_file::Column::Id.is_in(attachment_ids.clone()))
            .filter(stored_file::Column::EnterpriseId.eq(eq.enterprise_id))
            .count(&txn)
            .await?;
        if usize::try_from(owned).unwrap_or(0) != attachment_ids.len() {
            return Err(AppError::field(
                "/attachment_ids",
                "invalid_attachment",
                "附件不存在或不属于本单位，请重新上传",
            ));
        }
        let row = status_change::ActiveModel {
            equipment_id: Set(eq.id),
            enterprise_id: Set(eq.enterprise_id),
            district_code: Set(eq.district_code.clone()),
            kind: Set(request.kind.as_str().to_owned()),
            state: Set(ChangeState::Submitted.as_str().to_owned()),
            from_use_status: Set(current.use_status.as_str().to_owned()),
            to_use_status: Set(transition.to_use_status.as_str().to_owned()),
            from_registration_status: Set(current.registration_status.as_str().to_owned()),
            to_registration_status: Set(transition.to_registration_status.as_str().to_owned()),
            reason: Set(reason),
            effective_date: Set(request.effective_date),
            new_location: Set(new_location.map(str::to_owned)),
            applicant_user_id: Set(actor.user_id),
            applicant_name: Set(user.display_name.clone()),
            submitted_at: Set(OffsetDateTime::now_utc()),
            reviewer_user_id: Set(None),
            reviewer_name: Set(None),
            reviewed_at: Set(None),
            opinion: Set(None),
            idempotency_key: Set(idempotency_key),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for file_id in &attachment_ids {
            status_change_file::ActiveModel {
                status_change_id: Set(row.id),
                file_id: Set(file_id.clone()),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "status_change_submitted",
                "status_change",
                row.id,
            )
            .after(json!({
                "equipment_id": eq.id, "kind": row.kind, "to_use_status": row.to_use_status,
                "to_registration_status": row.to_registration_status, "attachments": attachment_ids,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok((self.one_change(row).await?, true))
    }

    /// 历史变更记录 of one piece of equipment, newest first.
    pub async fn equipment_status_changes(
        &self,
        actor: &Actor,
        equipment_id: i64,
    ) -> AppResult<Vec<StatusChange>> {
        let eq = scoped_equipment(equipment::Entity::find_by_id(equipment_id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let rows = scoped(status_change::Entity::find(), &actor.scope())
            .filter(status_change::Column::EquipmentId.eq(eq.id))
            .order_by_desc(status_change::Column::SubmittedAt)
            .order_by_desc(status_change::Column::Id)
            .all(&self.db)
            .await?;
        self.wire_changes(rows).await
    }

    /// Changes the actor may see: an enterprise its own, a bureau its district's queue, the
    /// institute all.
    pub async fn status_changes(
        &self,
        actor: &Actor,
        query: &StatusChangeQuery,
    ) -> AppResult<Page<StatusChange>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(status_change::Entity::find(), &actor.scope());
        if let Some(state) = query.state {
            select = select.filter(status_change::Column::State.eq(state.as_str()));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(status_change::Column::SubmittedAt)
            .order_by_desc(status_change::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_changes(rows).await?, total))
    }

    /// One change.
    pub async fn status_change(&self, actor: &Actor, id: i64) -> AppResult<StatusChange> {
        let row = scoped(status_change::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        self.one_change(row).await
    }

    /// 审批: the bureau of the change's district approves or rejects, once. An approval moves
    /// the equipment's statuses (and its location for 移装) in the same transaction.
    pub async fn decide_status_change(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        decision: Decision,
    ) -> AppResult<StatusChange> {
        if !matches!(actor.role, Role::Bureau | Role::Admin) {
            return Err(AppError::Forbidden);
        }
        let opinion = filter_text(decision.opinion.as_deref()).map(str::to_owned);
        if !approve && opinion.is_none() {
            return Err(AppError::field(
                "/opinion",
                "required",
                "驳回时请填写审批意见",
            ));
        }
        let reviewer = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(status_change::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ChangeState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state.decide(approve).map_err(|e| AppError::conflict(&e))?;
        let now = OffsetDateTime::now_utc();
        let mut active = row.clone().into_active_model();
        active.state = Set(next.as_str().to_owned());
        active.reviewer_user_id = Set(Some(actor.user_id));
        active.reviewer_name = Set(Some(reviewer.display_name.clone()));
        active.reviewed_at = Set(Some(now));
        active.opinion = Set(opinion.clone());
        let updated = active.update(&txn).await?;
        if next == ChangeState::Approved {
            let eq = equipment::Entity::find_by_id(row.equipment_id)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::internal("equipment of a change vanished"))?;
            let before = json!({ "use_status": eq.use_status, "registration_status": eq.registration_status,
                "install_location": eq.install_location });
            let mut e = eq.into_active_model();
            if row.to_use_status != row.from_use_status {
                e.status_changed_on = Set(Some(row.effective_date));
            }
            e.use_status = Set(row.to_use_status.clone());
            e.registration_status = Set(row.to_registration_status.clone());
            if let Some(location) = &row.new_location {
                e.install_location = Set(location.clone());
            }
            e.updated_at = Set(now);
            let after_eq = e.update(&txn).await?;
            audit::record(
                &txn,
                Entry {
                    enterprise_id: Some(row.enterprise_id),
                    ..Entry::by(actor, &reviewer.username, "equipment_status_changed", "equipment", row.equipment_id)
                }
                .before(before)
                .after(json!({ "use_status": after_eq.use_status, "registration_status": after_eq.registration_status,
                    "install_location": after_eq.install_location, "status_change_id": row.id })),
            )
            .await?;
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &reviewer.username,
                    if approve {
                        "status_change_approved"
                    } else {
                        "status_change_rejected"
                    },
                    "status_change",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(json!({ "state": updated.state, "opinion": opinion })),
        )
        .await?;
        txn.commit().await?;
        self.one_change(updated).await
    }
}
