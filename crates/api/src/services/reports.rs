//! 检验报告 (manual 5.2): recording an inspection creates the report; staff move it through its
//! workflow; at 批准签发 the PDF is rendered, hashed and stored; the enterprise downloads it as a
//! zip once it is issued and paid; anyone can check it on the public verification page.

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use serde_json::json;
use tejian_contract::application::RecordInspection;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::report::{Report, ReportQuery, ReportTransition, ReportVerification};
use tejian_documents::{Field, ReportDocument};
use tejian_domain::application::ItemState;
use tejian_domain::catalogue;
use tejian_domain::equipment::params::EquipmentParams;
use tejian_domain::inspection::{Conclusion, InspectionType, Outcome};
use tejian_domain::money::Money;
use tejian_domain::numbering;
use tejian_domain::report::{ReportAction, ReportState, check_downloadable};
use time::{Date, OffsetDateTime};

use super::applications::{contains, equipment_label};
use super::equipment::category_name;
use super::equipment_admin::{InspectionRecord, apply_inspection, staff_only};
use super::{Actor, Scope, Services, filter_text, local_today, random_bytes};
use crate::audit::{self, Entry};
use crate::documents::INSTITUTE_NAME;
use crate::error::{AppError, AppResult};
use crate::store::entity::{application_item, enterprise, equipment, opinion_notice, report};
use crate::store::lookup;

/// Restricts a report query to what `scope` may see: an enterprise its own, a bureau the reports
/// of equipment in its district, the institute all.
pub(crate) fn scoped(query: Select<report::Entity>, scope: &Scope) -> Select<report::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(report::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => query.filter(
            report::Column::EquipmentId.in_subquery(super::equipment::ids_in_district(code)),
        ),
        Scope::All => query,
        Scope::Nothing => query.filter(report::Column::Id.lt(0)),
    }
}

fn problems_of(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The start of the year `year` and of the next one.
fn year_range(year: i32) -> AppResult<(Date, Date)> {
    let bad = || AppError::field("/year", "out_of_range", "年度应在 1990 到 2100 之间");
    if !(1990..=2100).contains(&year) {
        return Err(bad());
    }
    let start = Date::from_ordinal_date(year, 1).map_err(|_| bad())?;
    let end = Date::from_ordinal_date(year + 1, 1).map_err(|_| bad())?;
    Ok((start, end))
}

impl Services {
    pub(crate) async fn wire_reports(
        &self,
        actor: &Actor,
        rows: Vec<report::Model>,
    ) -> AppResult<Vec<Report>> {
        let equipment =
            lookup::equipment_by_id(&self.db, rows.iter().map(|r| r.equipment_id)).await?;
        let names =
            lookup::enterprise_names(&self.db, rows.iter().map(|r| r.enterprise_id)).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let notice_counts: Vec<(i64, i64)> = opinion_notice::Entity::find()
            .select_only()
            .column(opinion_notice::Column::ReportId)
            .column_as(opinion_notice::Column::Id.count(), "n")
            .filter(opinion_notice::Column::ReportId.is_in(ids))
            .group_by(opinion_notice::Column::ReportId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let notice_counts: HashMap<i64, i64> = notice_counts.into_iter().collect();
        let notice_nos = self
            .payment_notice_numbers(rows.iter().filter_map(|r| r.application_item_id))
            .await?;
        let staff = actor.enterprise_id.is_none();
        rows.into_iter()
            .map(|r| {
                let bad =
                    |what: &str| AppError::internal(format!("report {} has invalid {what}", r.id));
                let state = ReportState::from_str(&r.state).map_err(|_| bad("state"))?;
                let kind = InspectionType::from_str(&r.inspection_type).map_err(|_| bad("type"))?;
                let outcome = Outcome::from_str(&r.outcome).map_err(|_| bad("outcome"))?;
                let paid = r.fee_paid_at.is_some();
                let refusal = check_downloadable(state, paid).err();
                let eq = equipment.get(&r.equipment_id);
                Ok(Report {
                    id: r.id,
                    report_no: r.report_no,
                    business_no: r.business_no,
                    enterprise_id: r.enterprise_id,
                    enterprise_name: names.get(&r.enterprise_id).cloned().unwrap_or_default(),
                    equipment_id: r.equipment_id,
                    equipment_label: eq.map(equipment_label).unwrap_or_default(),
                    variety_name: eq
                        .map(|e| category_name(&e.variety_code))
                        .unwrap_or_default(),
                    category_code: r.category_code,
                    inspection_type: kind,
                    inspection_type_name: kind.label_zh().to_owned(),
                    inspection_date: r.inspection_date,
                    conclusion: r.conclusion_raw,
                    outcome,
                    problems: problems_of(&r.problems),
                    next_inspection_date: r.next_inspection_date,
                    inspector: r.inspector,
                    reviewer_name: r.reviewer_name,
                    approver_name: r.approver_name,
                    state,
                    state_name: state.label_zh().to_owned(),
                    fee: Money::from_fen(r.fee_fen),
                    fee_paid: paid,
                    payment_notice_no: r
                        .application_item_id
                        .and_then(|i| notice_nos.get(&i).cloned()),
                    downloadable: refusal.is_none(),
                    not_downloadable_code: refusal.map(|n| n.code().to_owned()),
                    not_downloadable_reason: refusal.map(|n| n.message_zh().to_owned()),
                    issued_on: r.issued_on,
                    pdf_sha256: r.pdf_sha256,
                    verification_code: staff.then_some(r.verification_code),
                    remark: r.remark,
                    notice_count: u32::try_from(notice_counts.get(&r.id).copied().unwrap_or(0))
                        .unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    async fn one_report(&self, actor: &Actor, row: report::Model) -> AppResult<Report> {
        self.wire_reports(actor, vec![row])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("report vanished"))
    }

    /// 登记检验结果 (institute) for an accepted application item: writes the inspection (moving
    /// the equipment's dates by the rules) and creates its report in 编制.
    pub async fn record_item_inspection(
        &self,
        actor: &Actor,
        application_id: i64,
        item_id: i64,
        request: RecordInspection,
    ) -> AppResult<Report> {
        staff_only(actor)?;
        let conclusion = Conclusion::normalise(&request.conclusion)
            .map_err(|e| AppError::field("/conclusion", e.code(), e.to_string()))?;
        let inspector = request.inspector.trim().to_owned();
        if inspector.is_empty() {
            return Err(AppError::field("/inspector", "required", "请填写检验员"));
        }
        if request.inspection_date > local_today() {
            return Err(AppError::field(
                "/inspection_date",
                "in_future",
                "检验日期不能晚于今天",
            ));
        }
        let problems: Vec<String> = request
            .problems
            .iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        if let Some(n) = problems.iter().position(|p| p.chars().count() > 500) {
            return Err(AppError::field(
                &format!("/problems/{n}"),
                "too_long",
                "每条问题不超过 500 字",
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let item = application_item::Entity::find_by_id(item_id)
            .filter(application_item::Column::ApplicationId.eq(application_id))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ItemState::from_str(&item.state).map_err(AppError::internal)?;
        let next_state = state.inspect().map_err(|e| AppError::conflict(&e))?;
        let kind = InspectionType::from_str(&item.inspection_type).map_err(AppError::internal)?;
        let eq = equipment::Entity::find_by_id(item.equipment_id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("equipment of an application item vanished"))?;
        let category = catalogue::EquipmentCategory::from_code(&eq.category_code)
            .ok_or_else(|| AppError::internal("equipment with an unknown category"))?;
        let inspection = apply_inspection(
            &txn,
            actor,
            eq.clone(),
            InspectionRecord {
                kind,
                date: request.inspection_date,
                conclusion: &conclusion,
                inspector: &inspector,
                report_no: None,
            },
        )
        .await?;
        let now = OffsetDateTime::now_utc();
        let placeholder = format!("tmp-{}", hex::encode(random_bytes::<12>()?));
        let row = report::ActiveModel {
            report_no: Set(placeholder),
            business_no: Set(item
                .business_no
                .clone()
                .unwrap_or_else(|| numbering::business_no(local_today(), item.id))),
            enterprise_id: Set(item.enterprise_id),
            equipment_id: Set(eq.id),
            inspection_id: Set(Some(inspection.id)),
            application_item_id: Set(Some(item.id)),
            category_code: Set(eq.category_code.clone()),
            inspection_type: Set(kind.as_str().to_owned()),
            inspection_date: Set(request.inspection_date),
            conclusion_raw: Set(conclusion.raw.clone()),
            outcome: Set(conclusion.outcome.as_str().to_owned()),
            problems: Set(json!(problems)),
            next_inspection_date: Set(inspection.next_inspection_date),
            inspector: Set(inspector.clone()),
            reviewer_name: Set(None),
            approver_name: Set(None),
            state: Set(ReportState::Drafting.as_str().to_owned()),
            fee_fen: Set(item
                .approved_fee_fen
                .or(item.estimated_fee_fen)
                .unwrap_or(0)),
            // Paid ahead (its payment notice was paid before the inspection): unlocked at once.
            fee_paid_at: Set(self.item_paid_at(&txn, item.id).await?),
            verification_code: Set(numbering::verification_code(&random_bytes::<8>()?)),
            pdf_key: Set(None),
            pdf_sha256: Set(None),
            issued_on: Set(None),
            remark: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // The number carries the row id, so it is unique without a counter table.
        let report_no = numbering::report_no(category, request.inspection_date.year(), row.id);
        let mut a = row.into_active_model();
        a.report_no = Set(report_no.clone());
        let row = a.update(&txn).await?;
        let mut i = inspection.into_active_model();
        i.report_no = Set(Some(report_no.clone()));
        i.update(&txn).await?;
        let mut it = item.clone().into_active_model();
        it.state = Set(next_state.as_str().to_owned());
        it.report_id = Set(Some(row.id));
        it.updated_at = Set(now);
        it.update(&txn).await?;
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(actor, &staff.username, "report_created", "report", row.id)
            }
            .after(
                json!({ "report_no": report_no, "application_item_id": item.id,
                "conclusion": conclusion.raw, "problems": problems.len() }),
            ),
        )
        .await?;
        txn.commit().await?;
        self.one_report(actor, row).await
    }

    /// 报告领取查询: by year (default this year, `0` all years), category, 注册代码, 业务流水号,
    /// report number and state.
    pub async fn reports(&self, actor: &Actor, query: &ReportQuery) -> AppResult<Page<Report>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let mut select = scoped(report::Entity::find(), &actor.scope());
        let year = query.year.unwrap_or_else(|| local_today().year());
        if year != 0 {
            let (start, end) = year_range(year)?;
            select = select
                .filter(report::Column::InspectionDate.gte(start))
                .filter(report::Column::InspectionDate.lt(end));
        }
        if let Some(category) = filter_text(query.category.as_deref()) {
            select = select.filter(report::Column::CategoryCode.eq(category));
        }
        if let Some(state) = query.state {
            select = select.filter(report::Column::State.eq(state.as_str()));
        }
        if let Some(no) = filter_text(query.report_no.as_deref()) {
            select = select.filter(
                report::Column::ReportNo
                    .like(LikeExpr::new(contains(&no.to_uppercase())).escape('\\')),
            );
        }
        if let Some(no) = filter_text(query.business_no.as_deref()) {
            select = select.filter(
                report::Column::BusinessNo
                    .like(LikeExpr::new(contains(&no.to_uppercase())).escape('\\')),
            );
        }
        if let Some(code) = filter_text(query.registration_code.as_deref()) {
            let matching = super::equipment::ids_matching_code(&actor.scope(), code);
            select = select.filter(report::Column::EquipmentId.in_subquery(matching));
        }
        if let Some(id) = query.enterprise_id
            && actor.enterprise_id.is_none()
        {
            select = select.filter(report::Column::EnterpriseId.eq(id));
        }
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = select
            .order_by_desc(report::Column::InspectionDate)
            .order_by_desc(report::Column::Id)
            .offset(paging.offset())
            .limit(u64::from(paging.per_page))
            .all(&self.db)
            .await?;
        Ok(paging.wrap_counted(self.wire_reports(actor, rows).await?, total))
    }

    /// One report.
    pub async fn report(&self, actor: &Actor, id: i64) -> AppResult<Report> {
        let row = scoped(report::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        self.one_report(actor, row).await
    }

    /// 报告流转 (institute): one step of the workflow, audited. 批准签发 renders the PDF.
    pub async fn transition_report(
        &self,
        actor: &Actor,
        id: i64,
        request: ReportTransition,
    ) -> AppResult<Report> {
        staff_only(actor)?;
        let reason = filter_text(request.reason.as_deref()).map(str::to_owned);
        if request.action.needs_reason() && reason.is_none() {
            return Err(AppError::field(
                "/reason",
                "required",
                format!("{}时请填写原因", request.action.label_zh()),
            ));
        }
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(report::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ReportState::from_str(&row.state).map_err(AppError::internal)?;
        let next = state
            .apply(request.action)
            .map_err(|e| AppError::conflict(&e))?;
        let now = OffsetDateTime::now_utc();
        let mut a = row.clone().into_active_model();
        a.state = Set(next.as_str().to_owned());
        a.updated_at = Set(now);
        match request.action {
            ReportAction::Review => a.reviewer_name = Set(Some(staff.display_name.clone())),
            ReportAction::Return | ReportAction::Void => a.remark = Set(reason.clone()),
            ReportAction::Approve => {
                let issued_on = local_today();
                let mut issued = row.clone();
                issued.approver_name = Some(staff.display_name.clone());
                issued.issued_on = Some(issued_on);
                let pdf = self.render_report_pdf(&txn, &issued).await?;
                let (key, sha) = self.store_document("report", row.id, pdf).await?;
                a.approver_name = Set(issued.approver_name);
                a.issued_on = Set(Some(issued_on));
                a.pdf_key = Set(Some(key));
                a.pdf_sha256 = Set(Some(sha));
                a.remark = Set(None);
            }
            ReportAction::Submit | ReportAction::Archive => {}
        }
        let updated = a.update(&txn).await?;
        if request.action == ReportAction::Approve {
            if let Some(item_id) = row.application_item_id
                && let Some(item) = application_item::Entity::find_by_id(item_id)
                    .one(&txn)
                    .await?
            {
                let state = ItemState::from_str(&item.state).map_err(AppError::internal)?;
                if let Ok(next) = state.issue_report() {
                    let mut it = item.into_active_model();
                    it.state = Set(next.as_str().to_owned());
                    it.updated_at = Set(now);
                    it.update(&txn).await?;
                }
            }
            let tail = if row.fee_paid_at.is_some() {
                "请登录企业服务平台「报告领取查询」下载电子报告。"
            } else {
                "检验费用交清后即可在企业服务平台下载电子报告。"
            };
            self.notify_enterprise(
                &txn,
                row.enterprise_id,
                "report_ready",
                &format!("report_ready:{}", row.id),
                &format!(
                    "【湖州特检院】您单位的检验报告 {} 已出具。{tail}",
                    row.report_no
                ),
            )
            .await?;
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(
                    actor,
                    &staff.username,
                    "report_transition",
                    "report",
                    row.id,
                )
            }
            .before(json!({ "state": row.state }))
            .after(
                json!({ "state": updated.state, "action": request.action.as_str(),
                "reason": reason, "pdf_sha256": updated.pdf_sha256 }),
            ),
        )
        .await?;
        txn.commit().await?;
        self.one_report(actor, updated).await
    }

    pub(crate) async fn render_report_pdf<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        row: &report::Model,
    ) -> AppResult<Vec<u8>> {
        let eq = equipment::Entity::find_by_id(row.equipment_id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::internal("equipment of a report vanished"))?;
        let ent = enterprise::Entity::find_by_id(row.enterprise_id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::internal("enterprise of a report vanished"))?;
        let kind = InspectionType::from_str(&row.inspection_type).map_err(AppError::internal)?;
        let variety = category_name(&eq.variety_code);
        let mut identity = vec![Field {
            label: "设备品种".to_owned(),
            value: variety.clone(),
        }];
        for (label, value) in [
            ("设备代码", eq.equipment_code.clone()),
            ("注册代码", eq.registration_code.clone()),
            ("使用登记证编号", eq.use_certificate_no.clone()),
            ("单位内编号", eq.internal_no.clone()),
            ("制造单位", eq.manufacturer.clone()),
            ("型号", eq.model.clone()),
            ("出厂编号", eq.factory_no.clone()),
            ("使用地点", Some(eq.install_location.clone())),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                identity.push(Field {
                    label: label.to_owned(),
                    value,
                });
            }
        }
        let parameters = EquipmentParams::parse(&eq.variety_code, &eq.params)
            .map(|p| {
                p.labelled()
                    .into_iter()
                    .map(|l| Field {
                        label: l.label.to_owned(),
                        value: if l.unit.is_empty() {
                            l.value
                        } else {
                            format!("{} {}", l.value, l.unit)
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let category = catalogue::find(&eq.category_code).map_or("特种设备", |e| e.name);
        let doc = ReportDocument {
            institute_name: INSTITUTE_NAME.to_owned(),
            title: format!("{category}{}报告", kind.label_zh()),
            report_no: row.report_no.clone(),
            business_no: row.business_no.clone(),
            enterprise_name: ent.name,
            enterprise_address: ent.address,
            equipment: identity,
            parameters,
            inspection_type: kind.label_zh().to_owned(),
            inspection_date: row.inspection_date,
            conclusion: row.conclusion_raw.clone(),
            problems: problems_of(&row.problems),
            next_inspection_date: row.next_inspection_date,
            inspector: row.inspector.clone(),
            reviewer: row.reviewer_name.clone(),
            approver: row.approver_name.clone(),
            issue_date: row.issued_on.unwrap_or_else(local_today),
            verification_code: row.verification_code.clone(),
            verification_url: self
                .documents
                .verification_url(&row.report_no, &row.verification_code),
        };
        self.documents.report_pdf(doc).await
    }

    /// 标记已缴费 (institute), until payment notices arrive: the fee of the report counts as paid.
    pub async fn mark_report_paid(&self, actor: &Actor, id: i64) -> AppResult<Report> {
        staff_only(actor)?;
        let staff = self.acting_user(actor).await?;
        let txn = self.begin_write().await?;
        let row = scoped(report::Entity::find_by_id(id), &actor.scope())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.fee_paid_at.is_some() {
            return Err(AppError::Conflict {
                code: "already_paid",
                detail: "该报告的检验费用已标记为已缴".to_owned(),
            });
        }
        let now = OffsetDateTime::now_utc();
        let mut a = row.clone().into_active_model();
        a.fee_paid_at = Set(Some(now));
        a.updated_at = Set(now);
        let updated = a.update(&txn).await?;
        let state = ReportState::from_str(&row.state).map_err(AppError::internal)?;
        if state.is_issued() {
            self.notify_enterprise(
                &txn,
                row.enterprise_id,
                "report_ready",
                &format!("report_paid:{}", row.id),
                &format!(
                    "【湖州特检院】检验报告 {} 的费用已到账，可登录企业服务平台下载电子报告。",
                    row.report_no
                ),
            )
            .await?;
        }
        audit::record(
            &txn,
            Entry {
                enterprise_id: Some(row.enterprise_id),
                ..Entry::by(actor, &staff.username, "report_fee_paid", "report", row.id)
            }
            .after(json!({ "fee_fen": row.fee_fen })),
        )
        .await?;
        txn.commit().await?;
        self.one_report(actor, updated).await
    }

    /// 报告下载: the zip holding the PDF, only when issued and paid (manual 5.2.4–5.2.6).
    /// Returns the zip's file name and bytes.
    pub async fn download_report(&self, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
        let row = scoped(report::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let state = ReportState::from_str(&row.state).map_err(AppError::internal)?;
        check_downloadable(state, row.fee_paid_at.is_some()).map_err(|n| AppError::Conflict {
            code: n.code(),
            detail: n.message_zh().to_owned(),
        })?;
        let pdf = self
            .stored_document(
                "report",
                row.id,
                row.pdf_key.as_deref(),
                row.pdf_sha256.as_deref(),
            )
            .await?;
        let zip = tejian_documents::zip_single(&format!("{}.pdf", row.report_no), &pdf)
            .map_err(AppError::internal)?;
        Ok((format!("{}.zip", row.report_no), zip))
    }

    /// 报告真伪验证 (public): genuine only for an issued report whose code matches. Shows
    /// nothing but the report number, equipment code, conclusion and issue date.
    pub async fn verify_report(
        &self,
        report_no: &str,
        code: &str,
    ) -> AppResult<ReportVerification> {
        let not_found = ReportVerification {
            genuine: false,
            report_no: None,
            equipment_code: None,
            conclusion: None,
            issued_on: None,
            message:
                "未找到与该报告编号和验证码相符的有效报告，请核对后重试，或致电 0572-2523106 咨询"
                    .to_owned(),
        };
        let report_no = report_no.trim().to_uppercase();
        let Ok(code) = numbering::parse_verification_code(code) else {
            return Ok(not_found);
        };
        if report_no.is_empty() || report_no.len() > 32 {
            return Ok(not_found);
        }
        let Some(row) = report::Entity::find()
            .filter(report::Column::ReportNo.eq(report_no))
            .one(&self.db)
            .await?
        else {
            return Ok(not_found);
        };
        if !constant_time_eq(row.verification_code.as_bytes(), code.as_bytes()) {
            return Ok(not_found);
        }
        let state = ReportState::from_str(&row.state).map_err(AppError::internal)?;
        if state == ReportState::Voided {
            return Ok(ReportVerification {
                genuine: false,
                report_no: Some(row.report_no),
                equipment_code: None,
                conclusion: None,
                issued_on: None,
                message: "该报告已作废，不再有效".to_owned(),
            });
        }
        if !state.is_issued() {
            return Ok(not_found);
        }
        let eq = equipment::Entity::find_by_id(row.equipment_id)
            .one(&self.db)
            .await?;
        Ok(ReportVerification {
            genuine: true,
            equipment_code: eq.as_ref().map(equipment_label),
            message: format!("该报告为{INSTITUTE_NAME}出具的有效报告"),
            report_no: Some(row.report_no),
            conclusion: Some(row.conclusion_raw),
            issued_on: row.issued_on,
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn years() {
        let (a, b) = year_range(2026).unwrap();
        assert_eq!(a.to_string(), "2026-01-01");
        assert_eq!(b - a, Duration::days(365));
        assert!(year_range(1800).is_err());
    }

    #[test]
    fn equal_codes() {
        assert!(constant_time_eq(b"ABCDEFGH", b"ABCDEFGH"));
        assert!(!constant_time_eq(b"ABCDEFGH", b"ABCDEFGJ"));
        assert!(!constant_time_eq(b"ABC", b"ABCD"));
    }
}
