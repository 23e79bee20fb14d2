//! 设备: the register, always read through the caller's scope (manual §4).

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, NullOrdering, Query};
use sea_orm::{
    ColumnTrait, Condition, DbErr, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, QueryTrait, Select, SelectModel, Selector,
};
use tejian_contract::equipment::{
    ApplicationStatus, EquipmentDetail, EquipmentQuery, EquipmentSummary, EquipmentView,
    InspectionRecord, Overview, OverviewCounts, OverviewRow, ParamLine, TimelineEvent,
};
use tejian_contract::list::{Page, PageQuery};
use tejian_domain::application::ItemState;
use tejian_domain::catalogue;
use tejian_domain::equipment::{RegistrationStatus, UseStatus};
use tejian_domain::inspection::{InspectionType, Outcome};
use tejian_domain::status_change::{ChangeKind, ChangeState};
use time::{Date, Duration};

use super::{Actor, Scope, Services, local_today};
use crate::error::{AppError, AppResult};
use crate::store::entity::{application_item, enterprise, equipment, inspection, status_change};

/// How old a district's or the province's 设备总览 may be.
pub const OVERVIEW_CACHE_SECONDS: u64 = 60;

/// The staff overviews last computed, by scope.
#[derive(Debug, Default)]
pub struct OverviewCache {
    entries: tokio::sync::Mutex<HashMap<Scope, (std::time::Instant, Overview)>>,
}

/// Most rows one export returns.
pub const EXPORT_LIMIT: u64 = 50_000;
/// Rows an export stream holds between the database cursor and the download.
const EXPORT_CHANNEL_ROWS: usize = 256;
/// Default horizon of 即将到期设备, in days.
pub const DEFAULT_EXPIRING_DAYS: u16 = 30;

/// Use statuses in which equipment is in use (the only ones that can be overdue or due).
pub(crate) const IN_USE: [&str; 2] = ["in_use", "in_use_unregistered"];
/// Use statuses after which equipment no longer matters for 不合格 (it is gone).
const GONE: [&str; 5] = ["scrapped", "dismantled", "moved_out", "junk", "removed"];

/// Ids of the equipment in a bureau's district (for scoping rows that hang off equipment).
pub(crate) fn ids_in_district(code: &str) -> sea_orm::sea_query::SelectStatement {
    equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Id)
        .filter(equipment::Column::DistrictCode.eq(code))
        .into_query()
}

/// Ids of the equipment in `scope` whose 注册代码 or 设备代码 contains `code`.
pub(crate) fn ids_matching_code(scope: &Scope, code: &str) -> sea_orm::sea_query::SelectStatement {
    let like = contains(code);
    scoped(
        equipment::Entity::find()
            .select_only()
            .column(equipment::Column::Id)
            .filter(
                Condition::any()
                    .add(equipment::Column::RegistrationCode.like(like.clone()))
                    .add(equipment::Column::EquipmentCode.like(like)),
            ),
        scope,
    )
    .into_query()
}

/// Restricts an equipment query to what `scope` may see. This is where tenant isolation happens.
pub fn scoped(query: Select<equipment::Entity>, scope: &Scope) -> Select<equipment::Entity> {
    match scope {
        Scope::Enterprise(id) => query.filter(equipment::Column::EnterpriseId.eq(*id)),
        Scope::District(code) => query.filter(equipment::Column::DistrictCode.eq(code.clone())),
        Scope::All => query,
        Scope::Nothing => query.filter(equipment::Column::Id.lt(0)),
    }
}

fn in_use() -> Condition {
    Condition::all().add(equipment::Column::UseStatus.is_in(IN_USE))
}

/// 超期: in use, past the next inspection date, and no deferral that still runs.
fn overdue(today: Date) -> Condition {
    in_use()
        .add(equipment::Column::NextInspectionDate.lt(today))
        .add(
            Condition::any()
                .add(equipment::Column::DeferredUntil.is_null())
                .add(equipment::Column::DeferredUntil.lt(today)),
        )
}

/// 即将到期: in use, next inspection date from today to today + `days`.
fn expiring(today: Date, days: u16) -> Condition {
    in_use()
        .add(equipment::Column::NextInspectionDate.gte(today))
        .add(equipment::Column::NextInspectionDate.lte(today + Duration::days(i64::from(days))))
}

/// 不合格: the last conclusion failed and the equipment is still there and registered.
fn unqualified() -> Condition {
    Condition::all()
        .add(equipment::Column::LastOutcome.eq(Outcome::Fail.as_str()))
        .add(equipment::Column::UseStatus.is_not_in(GONE))
        .add(equipment::Column::RegistrationStatus.ne(RegistrationStatus::Cancelled.as_str()))
}

/// 可报检: still there and registered, and not in an open inspection application.
fn applicable() -> Condition {
    let open = crate::store::entity::application_item::Entity::find()
        .select_only()
        .column(crate::store::entity::application_item::Column::EquipmentId)
        .filter(
            crate::store::entity::application_item::Column::State
                .is_in(super::applications::open_states()),
        )
        .into_query();
    Condition::all()
        .add(equipment::Column::UseStatus.is_not_in(GONE))
        .add(equipment::Column::RegistrationStatus.ne(RegistrationStatus::Cancelled.as_str()))
        .add(equipment::Column::Id.not_in_subquery(open))
}

/// 非在用: any use status but in use, or the registration was cancelled.
fn inactive() -> Condition {
    Condition::any()
        .add(equipment::Column::UseStatus.is_not_in(IN_USE))
        .add(equipment::Column::RegistrationStatus.eq(RegistrationStatus::Cancelled.as_str()))
}

/// Escapes LIKE wildcards in user text.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn prefix(text: &str) -> LikeExpr {
    LikeExpr::new(format!("{}%", like_escaped(text))).escape('\\')
}

fn contains(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", like_escaped(text))).escape('\\')
}

/// A filter value, trimmed; empty means "no condition".
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The catalogue prefix a class or variety code stands for: `3100` → `31`, `3110` → `311`.
fn catalogue_prefix(code: &str) -> String {
    code.trim_end_matches('0').to_owned()
}

fn check_range(from: Option<Date>, to: Option<Date>, pointer: &str) -> AppResult<()> {
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(AppError::field(
            pointer,
            "invalid_range",
            "开始日期不能晚于结束日期",
        )),
        _ => Ok(()),
    }
}

/// The sort columns a client may ask for.
fn sort_of(sort: Option<&str>) -> AppResult<(equipment::Column, Order)> {
    let raw = sort
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("next_inspection_date");
    let (name, descending) = match raw.strip_prefix('-') {
        Some(name) => (name, true),
        None => (raw, false),
    };
    let (column, flip) = match name {
        "next_inspection_date" => (equipment::Column::NextInspectionDate, false),
        // More days overdue = an earlier next date.
        "overdue_days" => (equipment::Column::NextInspectionDate, true),
        "last_inspection_date" => (equipment::Column::LastInspectionDate, false),
        "registration_code" => (equipment::Column::RegistrationCode, false),
        "equipment_code" => (equipment::Column::EquipmentCode, false),
        "variety_code" => (equipment::Column::VarietyCode, false),
        "use_status" => (equipment::Column::UseStatus, false),
        "internal_no" => (equipment::Column::InternalNo, false),
        "id" => (equipment::Column::Id, false),
        _ => {
            return Err(AppError::field(
                "/sort",
                "unknown_sort",
                "不支持的排序字段：可用 next_inspection_date、overdue_days、last_inspection_date、registration_code、equipment_code、variety_code、use_status、internal_no（前加 - 为倒序）",
            ));
        }
    };
    Ok((
        column,
        if descending != flip {
            Order::Desc
        } else {
            Order::Asc
        },
    ))
}

/// Builds the filtered, scoped, sorted query of a list request.
fn filtered(
    query: &EquipmentQuery,
    scope: &Scope,
    today: Date,
) -> AppResult<Select<equipment::Entity>> {
    check_range(
        query.manufactured_from,
        query.manufactured_to,
        "/manufactured_from",
    )?;
    check_range(query.next_from, query.next_to, "/next_from")?;
    check_range(
        query.registered_from,
        query.registered_to,
        "/registered_from",
    )?;
    let mut select = scoped(equipment::Entity::find(), scope);
    let view = query.view.unwrap_or_default();
    let within = query.within_days.unwrap_or(DEFAULT_EXPIRING_DAYS);
    if query.within_days.is_some() && view != EquipmentView::Expiring {
        return Err(AppError::field(
            "/within_days",
            "not_applicable",
            "within_days 只用于 view=expiring",
        ));
    }
    if !(1..=365).contains(&within) {
        return Err(AppError::field(
            "/within_days",
            "out_of_range",
            "天数应在 1 到 365 之间",
        ));
    }
    select = match view {
        EquipmentView::All => select,
        EquipmentView::Overdue => select.filter(overdue(today)),
        EquipmentView::Unqualified => select.filter(unqualified()),
        EquipmentView::Inactive => select.filter(inactive()),
        EquipmentView::Expiring => select.filter(expiring(today, within)),
        EquipmentView::Applicable => select.filter(applicable()),
    };
    if let Some(category) = given(&query.category) {
        let category = category.to_uppercase();
        let code = if category.len() == 1 {
            format!("{category}000")
        } else {
            category
        };
        select = select.filter(equipment::Column::CategoryCode.eq(code));
    }
    if let Some(variety) = given(&query.variety) {
        select = select.filter(
            equipment::Column::VarietyCode.like(prefix(&catalogue_prefix(&variety.to_uppercase()))),
        );
    }
    if let Some(code) = given(&query.registration_code) {
        select =
            select.filter(equipment::Column::RegistrationCode.like(prefix(&code.to_uppercase())));
    }
    if let Some(code) = given(&query.equipment_code) {
        select = select.filter(equipment::Column::EquipmentCode.like(prefix(&code.to_uppercase())));
    }
    if let Some(text) = given(&query.use_certificate_no) {
        select = select.filter(equipment::Column::UseCertificateNo.like(contains(text)));
    }
    if let Some(text) = given(&query.internal_no) {
        select = select.filter(equipment::Column::InternalNo.like(contains(text)));
    }
    if let Some(status) = query.use_status {
        select = select.filter(equipment::Column::UseStatus.eq(status.as_str()));
    }
    if let Some(district) = given(&query.district) {
        select = select.filter(equipment::Column::DistrictCode.eq(district));
    }
    if let Some(text) = given(&query.location) {
        select = select.filter(equipment::Column::InstallLocation.like(contains(text)));
    }
    if let Some(text) = given(&query.manufacturer) {
        select = select.filter(equipment::Column::Manufacturer.like(contains(text)));
    }
    if let Some(text) = given(&query.model) {
        select = select.filter(equipment::Column::Model.like(contains(text)));
    }
    if let Some(d) = query.manufactured_from {
        select = select.filter(equipment::Column::ManufactureDate.gte(d));
    }
    if let Some(d) = query.manufactured_to {
        select = select.filter(equipment::Column::ManufactureDate.lte(d));
    }
    if let Some(d) = query.next_from {
        select = select.filter(equipment::Column::NextInspectionDate.gte(d));
    }
    if let Some(d) = query.next_to {
        select = select.filter(equipment::Column::NextInspectionDate.lte(d));
    }
    if let Some(outcome) = query.last_outcome {
        select = select.filter(equipment::Column::LastOutcome.eq(outcome.as_str()));
    }
    if let Some(d) = query.registered_from {
        select = select.filter(equipment::Column::RegistrationDate.gte(d));
    }
    if let Some(d) = query.registered_to {
        select = select.filter(equipment::Column::RegistrationDate.lte(d));
    }
    let (column, order) = sort_of(query.sort.as_deref())?;
    Ok(select
        .order_by_with_nulls(column, order, NullOrdering::Last)
        .order_by_asc(equipment::Column::Id))
}

pub(crate) fn category_name(code: &str) -> String {
    catalogue::find(code).map_or_else(|| code.to_owned(), |e| e.name.to_owned())
}

fn summary(
    row: &equipment::Model,
    enterprise_name: &str,
    today: Date,
) -> AppResult<EquipmentSummary> {
    let bad = |what: &str| AppError::internal(format!("equipment {} has invalid {what}", row.id));
    let use_status = UseStatus::from_str(&row.use_status).map_err(|_| bad("use_status"))?;
    let registration_status = RegistrationStatus::from_str(&row.registration_status)
        .map_err(|_| bad("registration_status"))?;
    let last_outcome = row
        .last_outcome
        .as_deref()
        .map(Outcome::from_str)
        .transpose()
        .map_err(|_| bad("last_outcome"))?;
    let overdue_days = match row.next_inspection_date {
        Some(next)
            if use_status.is_active()
                && next < today
                && row.deferred_until.is_none_or(|d| d < today) =>
        {
            Some((today - next).whole_days())
        }
        _ => None,
    };
    Ok(EquipmentSummary {
        id: row.id,
        enterprise_id: row.enterprise_id,
        enterprise_name: enterprise_name.to_owned(),
        category_code: row.category_code.clone(),
        category_name: category_name(&row.category_code),
        variety_code: row.variety_code.clone(),
        variety_name: category_name(&row.variety_code),
        equipment_code: row.equipment_code.clone(),
        registration_code: row.registration_code.clone(),
        use_certificate_no: row.use_certificate_no.clone(),
        internal_no: row.internal_no.clone(),
        install_location: row.install_location.clone(),
        district_code: row.district_code.clone(),
        use_status,
        registration_status,
        last_inspection_date: row.last_inspection_date,
        next_inspection_date: row.next_inspection_date,
        overdue_days,
        last_outcome,
        status_changed_on: row.status_changed_on,
        // Filled by `summaries` from the open application items.
        application_status: ApplicationStatus::None,
    })
}

/// One list row: the equipment with its enterprise's name and the state of its open application
/// item, all from one query (two correlated subqueries), so a page is one round trip.
#[derive(Debug)]
struct ListRow {
    equipment: equipment::Model,
    enterprise_name: Option<String>,
    open_item_state: Option<String>,
}

impl FromQueryResult for ListRow {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        Ok(Self {
            equipment: equipment::Model::from_query_result(row, prefix)?,
            enterprise_name: row.try_get(prefix, "enterprise_name")?,
            open_item_state: row.try_get(prefix, "open_item_state")?,
        })
    }
}

/// Adds the enterprise name and the open application item's state to an equipment query. With
/// one open item per piece (an open application keeps it off 可报检) `MIN` only makes the choice
/// deterministic.
fn decorated(select: Select<equipment::Entity>) -> Selector<SelectModel<ListRow>> {
    let name = Query::select()
        .column((enterprise::Entity, enterprise::Column::Name))
        .from(enterprise::Entity)
        .and_where(
            Expr::col((enterprise::Entity, enterprise::Column::Id))
                .equals((equipment::Entity, equipment::Column::EnterpriseId)),
        )
        .to_owned();
    let open_state = Query::select()
        .expr(Expr::col((application_item::Entity, application_item::Column::State)).min())
        .from(application_item::Entity)
        .and_where(
            Expr::col((
                application_item::Entity,
                application_item::Column::EquipmentId,
            ))
            .equals((equipment::Entity, equipment::Column::Id)),
        )
        .and_where(
            Expr::col((application_item::Entity, application_item::Column::State))
                .is_in(super::applications::open_states()),
        )
        .to_owned();
    select
        .column_as(
            Expr::SubQuery(None, Box::new(name.into())),
            "enterprise_name",
        )
        .column_as(
            Expr::SubQuery(None, Box::new(open_state.into())),
            "open_item_state",
        )
        .into_model::<ListRow>()
}

fn list_summary(row: &ListRow, today: Date) -> AppResult<EquipmentSummary> {
    let mut s = summary(
        &row.equipment,
        row.enterprise_name.as_deref().unwrap_or(""),
        today,
    )?;
    s.application_status = match row.open_item_state.as_deref().map(ItemState::from_str) {
        Some(Ok(ItemState::Pending)) => ApplicationStatus::Pending,
        Some(Ok(_)) => ApplicationStatus::Accepted,
        Some(Err(_)) => {
            return Err(AppError::internal(format!(
                "equipment {} has an application item in an unknown state",
                row.equipment.id
            )));
        }
        None => ApplicationStatus::None,
    };
    Ok(s)
}

impl Services {
    /// 设备查询 and the four lists: the caller's equipment, filtered, sorted, one page. Two
    /// queries: the capped count and the decorated page.
    pub async fn equipment_list(
        &self,
        actor: &Actor,
        query: &EquipmentQuery,
    ) -> AppResult<Page<EquipmentSummary>> {
        let paging = crate::http::equipment::paging(PageQuery {
            page: query.page,
            per_page: query.per_page,
        })?;
        let today = local_today();
        let select = filtered(query, &actor.scope(), today)?;
        let total = crate::store::paging::capped_count(select.clone(), &self.db).await?;
        let rows = decorated(
            select
                .offset(paging.offset())
                .limit(u64::from(paging.per_page)),
        )
        .all(&self.db)
        .await?;
        let items = rows
            .iter()
            .map(|r| list_summary(r, today))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(paging.wrap_counted(items, total))
    }

    /// 导出: every row of the filtered list (at most [`EXPORT_LIMIT`]).
    pub async fn equipment_export(
        &self,
        actor: &Actor,
        query: &EquipmentQuery,
    ) -> AppResult<Vec<EquipmentSummary>> {
        let today = local_today();
        let rows = decorated(filtered(query, &actor.scope(), today)?.limit(EXPORT_LIMIT))
            .all(&self.db)
            .await?;
        rows.iter().map(|r| list_summary(r, today)).collect()
    }

    /// 导出 as a stream: the filtered list (at most [`EXPORT_LIMIT`] rows) read from a database
    /// cursor by a task and handed over through a small channel, so memory stays the same whatever
    /// the number of rows; the task stops when the receiver (the download) goes away.
    pub fn equipment_export_stream(
        &self,
        actor: &Actor,
        query: &EquipmentQuery,
    ) -> AppResult<tokio::sync::mpsc::Receiver<AppResult<EquipmentSummary>>> {
        use futures_util::StreamExt;
        let today = local_today();
        let select = decorated(filtered(query, &actor.scope(), today)?.limit(EXPORT_LIMIT));
        let db = self.db.clone();
        let (tx, rx) = tokio::sync::mpsc::channel(EXPORT_CHANNEL_ROWS);
        tokio::spawn(async move {
            let mut rows = match select.stream(&db).await {
                Ok(rows) => rows,
                Err(e) => {
                    let _ = tx.send(Err(e.into())).await;
                    return;
                }
            };
            while let Some(row) = rows.next().await {
                let item = row
                    .map_err(AppError::from)
                    .and_then(|r| list_summary(&r, today));
                let failed = item.is_err();
                if tx.send(item).await.is_err() || failed {
                    break;
                }
            }
        });
        Ok(rx)
    }

    /// 设备总览: counts per category and state for the caller's scope. An enterprise's counts are
    /// always fresh (one pass over its rows); a district's or the province's come from a copy at
    /// most [`OVERVIEW_CACHE_SECONDS`] old, because one pass over a million rows takes the
    /// database half a second.
    pub async fn equipment_overview(&self, actor: &Actor) -> AppResult<Overview> {
        let scope = actor.scope();
        if matches!(scope, Scope::Enterprise(_) | Scope::Nothing) {
            return self.count_overview(&scope).await;
        }
        let mut cached = self.overview_cache.entries.lock().await;
        let today = local_today();
        if let Some((at, overview)) = cached.get(&scope)
            && overview.as_of == today
            && at.elapsed() < std::time::Duration::from_secs(OVERVIEW_CACHE_SECONDS)
        {
            return Ok(overview.clone());
        }
        // Computed under the lock: concurrent staff requests wait for one pass, not start eight.
        let overview = self.count_overview(&scope).await?;
        cached.insert(scope, (std::time::Instant::now(), overview.clone()));
        Ok(overview)
    }

    /// One pass over the scope's equipment: every bucket is a conditional sum per category.
    async fn count_overview(&self, scope: &Scope) -> AppResult<Overview> {
        let today = local_today();
        let bucket = |condition: Condition| {
            let case: Expr = Expr::case(condition, Expr::cust("1"))
                .finally(Expr::cust("0"))
                .into();
            case.sum()
        };
        let counted: Vec<(String, i64, i64, i64, i64, i64, i64)> =
            scoped(equipment::Entity::find(), scope)
                .select_only()
                .column(equipment::Column::CategoryCode)
                .column_as(Expr::cust("COUNT(*)"), "total")
                .column_as(bucket(in_use()), "in_use")
                .column_as(bucket(overdue(today)), "overdue")
                .column_as(bucket(expiring(today, DEFAULT_EXPIRING_DAYS)), "expiring")
                .column_as(bucket(unqualified()), "unqualified")
                .column_as(bucket(inactive()), "inactive")
                .group_by(equipment::Column::CategoryCode)
                .into_tuple()
                .all(&self.db)
                .await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        let rows = counted.into_iter().map(
            |(code, total, in_use, overdue, expiring, unqualified, inactive)| {
                (
                    code,
                    OverviewCounts {
                        total: n(total),
                        in_use: n(in_use),
                        overdue: n(overdue),
                        expiring: n(expiring),
                        unqualified: n(unqualified),
                        inactive: n(inactive),
                    },
                )
            },
        );
        // Catalogue order, not code order (目录外 and 安全附件 after the catalogue).
        let order = |code: &str| {
            catalogue::entries()
                .iter()
                .position(|e| e.code == code)
                .unwrap_or(usize::MAX)
        };
        let mut categories: Vec<OverviewRow> = rows
            .into_iter()
            .map(|(code, counts)| OverviewRow {
                category_name: category_name(&code),
                category_code: code,
                counts,
            })
            .collect();
        categories.sort_by_key(|r| order(&r.category_code));
        let mut totals = OverviewCounts::default();
        for r in &categories {
            totals.total += r.counts.total;
            totals.in_use += r.counts.in_use;
            totals.overdue += r.counts.overdue;
            totals.expiring += r.counts.expiring;
            totals.unqualified += r.counts.unqualified;
            totals.inactive += r.counts.inactive;
        }
        Ok(Overview {
            categories,
            totals,
            as_of: today,
        })
    }

    async fn equipment_row(&self, actor: &Actor, id: i64) -> AppResult<equipment::Model> {
        scoped(equipment::Entity::find_by_id(id), &actor.scope())
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn inspections_of(&self, row: &equipment::Model) -> AppResult<Vec<inspection::Model>> {
        Ok(inspection::Entity::find()
            .filter(inspection::Column::EquipmentId.eq(row.id))
            .filter(inspection::Column::EnterpriseId.eq(row.enterprise_id))
            .order_by_desc(inspection::Column::InspectionDate)
            .order_by_desc(inspection::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// 设备档案: another enterprise's equipment is "not found", exactly like a missing one.
    pub async fn equipment_detail(&self, actor: &Actor, id: i64) -> AppResult<EquipmentDetail> {
        let listed = decorated(scoped(equipment::Entity::find_by_id(id), &actor.scope()))
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let summary = list_summary(&listed, local_today())?;
        let row = listed.equipment;
        let inspections = self.inspections_of(&row).await?;
        let inspections = inspections
            .into_iter()
            .map(|i| {
                let outcome = Outcome::from_str(&i.outcome).map_err(|_| {
                    AppError::internal(format!("inspection {} has invalid outcome", i.id))
                })?;
                let type_name = InspectionType::from_str(&i.inspection_type)
                    .map_or_else(|_| i.inspection_type.clone(), |t| t.label_zh().to_owned());
                Ok(InspectionRecord {
                    id: i.id,
                    inspection_type: i.inspection_type,
                    inspection_type_name: type_name,
                    inspection_date: i.inspection_date,
                    conclusion: i.conclusion_raw,
                    outcome,
                    is_reinspection: i.is_reinspection,
                    next_inspection_date: i.next_inspection_date,
                    report_no: i.report_no,
                    inspector: i.inspector,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(EquipmentDetail {
            summary,
            factory_no: row.factory_no,
            model: row.model,
            manufacturer: row.manufacturer,
            manufacture_date: row.manufacture_date,
            commissioning_date: row.commissioning_date,
            registration_date: row.registration_date,
            param_lines: param_lines(&row.variety_code, &row.params),
            params: row.params,
            inspections,
        })
    }

    /// 设备时间线: manufacture, commissioning, registration, inspections, change requests and the
    /// last status change.
    pub async fn equipment_timeline(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Vec<TimelineEvent>> {
        let row = self.equipment_row(actor, id).await?;
        let mut events = Vec::new();
        let mut push = |date: Option<Date>, kind: &str, title: String, detail: Option<String>| {
            if let Some(date) = date {
                events.push(TimelineEvent {
                    date,
                    kind: kind.to_owned(),
                    title,
                    detail,
                });
            }
        };
        push(
            row.manufacture_date,
            "manufactured",
            "制造".to_owned(),
            row.manufacturer.clone(),
        );
        push(
            row.commissioning_date,
            "commissioned",
            "投入使用".to_owned(),
            None,
        );
        push(
            row.registration_date,
            "registered",
            "使用登记".to_owned(),
            row.use_certificate_no.clone(),
        );
        if let Ok(status) = UseStatus::from_str(&row.use_status) {
            push(
                row.status_changed_on,
                "status_changed",
                format!("使用状态变为{}", status.label_zh()),
                None,
            );
        }
        let changes = status_change::Entity::find()
            .filter(status_change::Column::EquipmentId.eq(row.id))
            .filter(status_change::Column::EnterpriseId.eq(row.enterprise_id))
            .all(&self.db)
            .await?;
        for c in changes {
            let kind = ChangeKind::from_str(&c.kind)
                .map_or_else(|_| c.kind.clone(), |k| k.label_zh().to_owned());
            let state = ChangeState::from_str(&c.state)
                .map_or_else(|_| c.state.clone(), |s| s.label_zh().to_owned());
            push(
                Some((c.submitted_at + Duration::hours(8)).date()),
                "change_requested",
                format!("申请{kind}"),
                Some(format!("{}（{state}）", c.reason)),
            );
        }
        for i in self.inspections_of(&row).await? {
            let type_name = InspectionType::from_str(&i.inspection_type)
                .map_or_else(|_| i.inspection_type.clone(), |t| t.label_zh().to_owned());
            let detail = match &i.report_no {
                Some(no) => format!("结论：{}；报告编号 {no}", i.conclusion_raw),
                None => format!("结论：{}", i.conclusion_raw),
            };
            push(
                Some(i.inspection_date),
                "inspected",
                type_name,
                Some(detail),
            );
        }
        events.sort_by_key(|e| std::cmp::Reverse(e.date));
        Ok(events)
    }
}

/// Parameters with Chinese labels and units, through the domain's typed parameters; a stored
/// object that no longer parses (legacy data) is shown key by key as stored.
fn param_lines(variety: &str, params: &serde_json::Value) -> Vec<ParamLine> {
    if let Ok(typed) = tejian_domain::equipment::params::EquipmentParams::parse(variety, params) {
        return typed
            .labelled()
            .into_iter()
            .map(|l| ParamLine {
                key: l.key.to_owned(),
                label: l.label.to_owned(),
                value: l.value,
                unit: l.unit.to_owned(),
            })
            .collect();
    }
    params
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(k, v)| ParamLine {
                    key: k.clone(),
                    label: k.clone(),
                    value: match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                    unit: String::new(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's `sort` enum (from the contract) and the server agree.
    #[test]
    fn every_documented_sort_is_accepted() {
        for field in tejian_contract::equipment::EQUIPMENT_SORT_FIELDS {
            assert!(sort_of(Some(field)).is_ok(), "{field}");
            assert!(sort_of(Some(&format!("-{field}"))).is_ok(), "-{field}");
        }
        assert!(sort_of(Some("name")).is_err());
        assert!(sort_of(Some("--id")).is_err());
    }
}
