//! 检验意见通知书 (manual 5.3): staff issue a notice on a report; the enterprise reads and
//! downloads it and sends its rectification (statement + evidence); staff confirm or return it.

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set,
};
use serde_json::json;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::notice::{
    NewNotice, Notice, NoticeFeedback, NoticeProblem, NoticeQuery, NoticeReview,
};
use tejian_documents::{Field, NoticeDocument};
use tejian_domain::account::Role;
use tejian_domain::inspection::InspectionType;
use tejian_domain::notice::{self as rules, NoticeState, is_overdue};
use tejian_domain::numbering;
use tejian_domain::report::ReportState;
use time::OffsetDateTime;

use super::applications::{contains, equipment_label};
use super::equipment::category_name;
use super::equipment_admin::staff_only;
use super::files::info;
use super::{Actor, Scope, Services, filter_text, local_today};
use crate::audit::{self, Entry};
use crate::documents::INSTITUTE_NAME;
use crate::error::{AppError, AppResult};
use crate::store::entity::{
    enterprise, equipment, notice_feedback_file, opinion_notice, report, stored_file,
};
use crate::store::lookup;

fn scoped(query: Select<opinion_notice::Entity>, scope: &Scope) -> Select<opinion_notice::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(opinion_notice::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => query.filter(
            opinion_notice::Column::EquipmentId
                .in_subquery(super::equipment::ids_in_district(code)),
        ),
        Scope::All => query,
        Scope::Nothing => query.filter(opinion_notice::Column::Id.lt(0)),
    }
}

fn problems_of(value: &serde_json::Value) -> Vec<NoticeProblem> {
    serde_json::from_value(value.clone()).unwrap_or_default()
}

impl Services {
    async fn wire_notices(&self, rows: Vec<opinion_notice::Model>) -> AppResult<Vec<Notice>> {
        let report_ids: Vec<i64> = rows.iter().map(|r| r.report_id).collect();
        let reports: HashMap<i64, report::Model> = report::Entity::find()
            .filter(report::Column::Id.is_in(report_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let equipment =
            lookup::equipment_by_id(&self.db, rows.iter().map(|r| r.equipment_id)).await?;
        let names =
            lookup::enterprise_names(&self.db, rows.iter().map(|r| r.enterprise_id)).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = notice_feedback_file::Entity::find()
            .filter(notice_feedback_file::Column::NoticeId.is_in(ids))
            .all(&self.db)
            .await?;
        let files: HashMap<String, stored_file::Model> = stored_file::Entity::find()
            .filter(stored_file::Column::Id.is_in(links.iter().map(|l| l.file_id.clone())))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|f| (f.id.clone(), f))
            .collect();
        let today = local_today();
        rows.into_iter()
            .map(|r| {
                let state = NoticeState::from_str(&r.state).map_err(AppError::internal)?;
                let rep = reports.get(&r.report_id);
                let eq = equipment.get(&r.equipment_id);
                Ok(Notice {
                    id: r.id,
                    notice_no: r.notice_no,
                    report_id: r.report_id,
                    report_no: rep.map(|x| x.report_no.clone()).unwrap_or_default(),
                    business_no: rep.map(|x| x.business_no.clone()).unwrap_or_default(),
                    enterprise_id: r.enterprise_id,
                    enterprise_name: names.get(&r.enterprise_id).cloned().unwrap_or_default(),
                    equipment_id: r.equipment_id,
                    equipment_label: eq.map(equipment_label).unwrap_or_default(),
                    variety_name: eq
                        .map(|e| category_name(&e.variety_code))
                        .unwrap_or_default(),
                    problems: problems_of(&r.problems),
                    deadline: r.deadline,
                    state,
                    state_name: state.label_zh().to_owned(),
                    overdue: is_overdue(state, r.deadline, today),
                    inspector: r.inspector,
                    issued_on: r.issued_on,
                    feedback_statement: r.feedback_statement,
                    feedback_at: r.feedback_at,
                    feedback_files: links
                        .iter()
                        .filter(|l| l.notice_id == r.id)
                        .filter_map(|l| files.get(&l.file_id).map(info))
                        .collect(),
                    review_comment: r.review_comment,
                    reviewed_at: r.reviewed_at,
                })
            })
            .collect()
    }

    async fn one_notice(&self, row: opinion_notice::Model) -> AppResult<Notice> {
        self.wire_notices(vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("notice vanished"))
    }

    /// 签发检验意见通知书 (institute) on a report; the PDF is rendered and stored at once.
    pub async fn issue_notice(
        &self,
        actor: &Actor,
        report_id: i64,
        request: NewNotice,
    ) -> AppResult<Notice> {
        staff_only(actor)?;
        let today = local_today();
        let deadline = rules::deadline(today, request.deadline)
            .map_err(|e| AppError::field("/deadline", e.code(), e.to_string()))?;
        let problems: Vec<NoticeProblem> = request
            .problems
            .iter()
            .map(|p| NoticeProblem {
                description: p.description.trim().to_owned(),
                requirement: p.requirement.trim().to_owned(),
            })
            .collect();
        if let Some(n) = problems
            .iter()
            .position(|p| p.description.is_empty() || p.requirement.is_empty())
        {
            return Err(AppError::field(
                &format!("/problems/{n}"),
                "required",
                "请填写问题描述和处理要求",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let rep = report::Entity::find_by_id(report_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if ReportState::from_str(&rep.state).map_err(AppError::internal)? == ReportState::Voided {
            return Err(AppError::Conflict {
                code: "report_voided",
                detail: "报告已作废，不能签发检验意见通知书".to_owned(),
            });
        }
        let eq = equipment::Entity::find_by_id(rep.equipment_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("equipment of a report vanished"))?;
        let ent = enterprise::Entity::find_by_id(rep.enterprise_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("enterprise of a report vanished"))?;
        let now = OffsetDateTime::now_utc();
        let placeholder = format!("tmp-{}-{}", rep.id, now.unix_timestamp_nanos());
        let row = opinion_notice::ActiveModel {
            notice_no: Set(placeholder.chars().take(32).collect()),
            report_id: Set(rep.id),
            enterprise_id: Set(rep.enterprise_id),
            equipment_id: Set(rep.equipment_id),
            problems: Set(json!(problems)),
            deadline: Set(deadline),
            state: Set(NoticeState::Open.as_str().to_owned()),
            inspector: Set(rep.inspector.clone()),
            issued_on: Set(today),
            pdf_key: Set(None),
            pdf_sha256: Set(None),
            feedback_statement: Set(None),
            feedback_at: Set(None),
            feedback_by_name: Set(None),
            review_comment: Set(None),
            reviewed_by_name: Set(None),
            reviewed_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let notice_no = numbering::notice_no(today.year(), row.id);
        let kind = InspectionType::from_str(&rep.inspection_type).map_err(AppError::internal)?;
        let mut identity = vec![Field {
            label: "设备品种".to_owned(),
            value: category_name(&eq.variety_code),
        }];
        for (label, value) in [
            ("设备代码", eq.equipment_code.clone()),
            ("注册代码", eq.registration_code.clone()),
            ("使用登记证编号", eq.use_certificate_no.clone()),
            ("使用地点", Some(eq.install_location.clone())),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                identity.push(Field {
                    label: label.to_owned(),
                    value,
                });
            }
        }
        let pdf = self
            .documents
            .notice_pdf(NoticeDocument {
                institute_name: INSTITUTE_NAME.to_owned(),
                notice_no: notice_no.clone(),
                enterprise_name: ent.name.clone(),
                equipment: identity,
                inspection_type: kind.label_zh().to_owned(),
                inspection_date: rep.inspection_date,
                report_no: rep.report_no.clone(),
                business_no: rep.business_no.clone(),
                problems: problems
                    .iter()
                    .map(|p| tejian_documents::NoticeProblem {
                        description: p.description.clone(),
                        requirement: p.requirement.clone(),
                    })
                    .collect(),
                deadline,
                inspector: rep.inspector.clone(),
                issued_on: today,
            })
            .await?;
        let (key, sha) = self.store_document("notice", row.id, pdf).await?;
        let mut a = row.into_active_model();
        a.notice_no = Set(notice_no.clone());
        a.pdf_key = Set(Some(key));
        a.pdf_sha256 = Set(Some(sha));
        let row = a.update(&txn).await?;
        self.notify_enterprise(
            &txn,
            rep.enterprise_id,
            "notice_issued",
            &format!("notice_issued:{}", row.id),
            &format!(
                "【湖州特检院】设备 {} 检验发现问题，已签发检验意见通知书 {}，请于 {deadline} 前完成整改并在企业服务平台提交整改资料。",
                equipment_label(&eq),
                notice_no
            ),
        )
        .await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(rep.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "notice_issued",
                    "opinion_notice",
                    row.id,
                )
            }
            .after(
                json!({ "notice_no": notice_no, "report_id": rep.id, "deadline": deadline,
                "problems": problems.len() }),
            ),
        )
        .await?;
        txn.commit().await?;
        self.one_notice(row).await
    }

    /// 检验意见通知书查询.
    pub async fn notices(&self, actor: &Actor, query: &NoticeQuery) -> AppResult<Page<Notice>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(opinion_notice::Entity::find(), &actor.scope());
        if let Some(no) = filter_text(query.notice_no.as_deref()) {
            select = select.filter(
                opinion_notice::Column::NoticeNo
                    .like(LikeExpr::new(contains(&no.to_uppercase())).escape('\\')),
            );
        }
        if let Some(no) = filter_text(query.report_no.as_deref()) {
            let reports = report::Entity::find()
                .select_only()
                .column(report::Column::Id)
                .filter(
                    report::Column::ReportNo
                        .like(LikeExpr::new(contains(&no.to_uppercase())).escape('\\')),
                )
                .into_query();
            select = select.filter(opinion_notice::Column::ReportId.in_subquery(reports));
        }
        if let Some(code) = filter_text(query.equipment.as_deref()) {
            let matching = super::equipment::ids_matching_code(&actor.scope(), code);
            select = select.filter(opinion_notice::Column::EquipmentId.in_subquery(matching));
        }
        if let Some(state) = query.state {
            select = select.filter(opinion_notice::Column::State.eq(state.as_str()));
        }
        if let Some(overdue) = query.overdue {
            let owed = [NoticeState::Open.as_str(), NoticeState::Returned.as_str()];
            let today = local_today();
            let cond = Condition::all()
                .add(opinion_notice::Column::State.is_in(owed))
                .add(opinion_notice::Column::Deadline.lt(today));
            select = if overdue {
                select.filter(cond)
            } else {
                select.filter(cond.not())
            };
        }
        if let Some(id) = query.enterprise_id
            && actor.enterprise_id.is_none()
        {
            select = select.filter(opinion_notice::Column::EnterpriseId.eq(id));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(opinion_notice::Column::IssuedOn)
            .order_by_desc(opinion_notice::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_notices(rows).await?, total))
    }

    /// One notice.
    pub async fn notice(&self, actor: &Actor, id: i64) -> AppResult<Notice> {
        let row = scoped(opinion_notice::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        self.one_notice(row).await
    }

    /// The notice's PDF: file name and bytes.
    pub async fn notice_pdf(&self, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
        let row = scoped(opinion_notice::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let pdf = self
            .stored_document(
                "notice",
                row.id,
                row.pdf_key.as_deref(),
                row.pdf_sha256.as_deref(),
            )
            .await?;
        Ok((format!("{}.pdf", row.notice_no), pdf))
    }

    /// 提交整改 (enterprise): statement and evidence files (uploaded by the same enterprise).
    pub async fn notice_feedback(
        &self,
        actor: &Actor,
        id: i64,
        request: NoticeFeedback,
    ) -> AppResult<Notice> {
        if actor.role != Role::Enterprise {
            return Err(AppError::Forbidden);
        }
        let statement = request.statement.trim().to_owned();
        if statement.is_empty() {
            return Err(AppError::field("/statement", "required", "请填写整改说明"));
        }
        let mut attachment_ids = request.attachment_ids.clone();
        attachment_ids.sort();
        attachment_ids.dedup();
        let user = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(opinion_notice::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = NoticeState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state
            .submit_feedback()
            .map_err(|e| AppError::conflict(&e))?;
        let owned = stored_file::Entity::find()
            .filter(stored_file::Column::Id.is_in(attachment_ids.clone()))
            .filter(stored_file::Column::EnterpriseId.eq(row.enterprise_id))
            .count(&txn)
            .await?;
        if usize::try_from(owned).unwrap_or(0) != attachment_ids.len() {
            return Err(AppError::field(
                "/attachment_ids",
                "invalid_attachment",
                "附件不存在或不属于本单位，请重新上传",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let late = local_today() > row.deadline;
        let mut a = row.clone().into_active_model();
        a.state = Set(next.as_str().to_owned());
        a.feedback_statement = Set(Some(statement));
        a.feedback_at = Set(Some(now));
        a.feedback_by_name = Set(Some(user.display_name.clone()));
        a.updated_at = Set(now);
        let updated = a.update(&txn).await?;
        for file_id in &attachment_ids {
            let link = notice_feedback_file::ActiveModel {
                notice_id: Set(row.id),
                file_id: Set(file_id.clone()),
            };
            // A file sent in an earlier round is already linked.
            notice_feedback_file::Entity::insert(link)
                .on_conflict_do_nothing_on([
                    notice_feedback_file::Column::NoticeId,
                    notice_feedback_file::Column::FileId,
                ])
                .exec(&txn)
                .await?;
        }
        audit::record(
            &txn,
            Entry::by(
                actor,
                &user.username,
                "notice_feedback",
                "opinion_notice",
                row.id,
            )
            .before(json!({ "state": row.state }))
            .after(json!({ "state": updated.state, "attachments": attachment_ids, "late": late })),
        )
        .await?;
        txn.commit().await?;
        self.one_notice(updated).await
    }

    /// 整改确认 / 退回 (institute).
    pub async fn review_notice(
        &self,
        actor: &Actor,
        id: i64,
        confirm: bool,
        request: NoticeReview,
    ) -> AppResult<Notice> {
        staff_only(actor)?;
        let comment = filter_text(request.comment.as_deref()).map(str::to_owned);
        if !confirm && comment.is_none() {
            return Err(AppError::field(
                "/comment",
                "required",
                "退回整改时请填写意见",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(opinion_notice::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = NoticeState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state.review(confirm).map_err(|e| AppError::conflict(&e))?;
        let now = OffsetDateTime::now_utc();
        let mut a = row.clone().into_active_model();
        a.state = Set(next.as_str().to_owned());
        a.review_comment = Set(comment.clone());
        a.reviewed_by_name = Set(Some(staff.display_name.clone()));
        a.reviewed_at = Set(Some(now));
        a.updated_at = Set(now);
        let updated = a.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    if confirm {
                        "notice_confirmed"
                    } else {
                        "notice_returned"
                    },
                    "opinion_notice",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(json!({ "state": updated.state, "comment": comment })),
        )
        .await?;
        txn.commit().await?;
        self.one_notice(updated).await
    }
}
