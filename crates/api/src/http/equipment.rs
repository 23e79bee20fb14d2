//! `/equipment`: the register (manual §4): search, the four lists, overview, archive, timeline,
//! CSV export.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use tejian_contract::equipment::{
    EquipmentDetail, EquipmentQuery, EquipmentSummary, ExportFormat, Overview, TimelineEvent,
};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::problem::Problem;

use super::extract::AuthUser;
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// Checks paging bounds, answering `validation_failed` with the offending parameter.
pub fn paging(query: PageQuery) -> AppResult<tejian_contract::list::Paging> {
    query
        .resolve()
        .map_err(|e| AppError::field(&format!("/{}", e.field), "out_of_range", e.detail))
}

/// 设备查询 / 超期 / 不合格 / 非在用 / 即将到期
///
/// 一个接口服务手册 4.2–4.6 的全部列表：`view` 选择列表，其余参数为基本条件和「更多条件」，全部
/// 条件同时满足；不带条件返回全部设备。企业用户只能看到本单位的设备；监管局看到本辖区；检验院
/// 看到全部。`format=csv` 导出当前条件下的全部记录（UTF-8 带 BOM，中文表头，最多 50,000 条）。
#[utoipa::path(
    get, path = "/api/v1/equipment", tag = "设备",
    params(EquipmentQuery),
    responses(
        (status = 200, description = "设备分页列表；format=csv 时为 CSV 文件", body = Page<EquipmentSummary>),
        (status = 400, description = "查询参数格式错误", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "参数超出范围（分页、天数、日期区间、排序字段）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<EquipmentQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    match query.format {
        Some(ExportFormat::Csv) => {
            let rows = svc.equipment_export(&user.0, &query).await?;
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"equipment.csv\"; filename*=UTF-8''%E8%AE%BE%E5%A4%87%E6%B8%85%E5%8D%95.csv",
                ))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(csv(&rows)))
        }
        None => Ok(HttpResponse::Ok().json(svc.equipment_list(&user.0, &query).await?)),
    }
}

/// CSV with a BOM so spreadsheet programs read the Chinese text as UTF-8.
fn csv(rows: &[EquipmentSummary]) -> String {
    fn field(out: &mut String, value: &str) {
        // Quote every field; double the quotes. A leading =, +, - or @ would be run as a formula
        // by spreadsheet programs: prefix it with an apostrophe.
        let needs_guard = value.starts_with(['=', '+', '-', '@']);
        out.push('"');
        if needs_guard {
            out.push('\'');
        }
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    }
    let mut out = String::from("\u{feff}");
    let headers = [
        "使用单位",
        "设备种类",
        "设备品种",
        "注册代码",
        "设备代码",
        "使用登记证编号",
        "单位内编号",
        "使用地点",
        "辖区",
        "使用状态",
        "注册状态",
        "上次检验日期",
        "下次检验日期",
        "超期天数",
        "最近检验结论",
        "受理状态",
    ];
    out.push_str(&headers.map(|h| format!("\"{h}\"")).join(","));
    out.push_str("\r\n");
    for r in rows {
        let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let values = [
            r.enterprise_name.clone(),
            r.category_name.clone(),
            r.variety_name.clone(),
            r.registration_code.clone().unwrap_or_default(),
            r.equipment_code.clone().unwrap_or_default(),
            r.use_certificate_no.clone().unwrap_or_default(),
            r.internal_no.clone().unwrap_or_default(),
            r.install_location.clone(),
            r.district_code.clone(),
            r.use_status.label_zh().to_owned(),
            r.registration_status.label_zh().to_owned(),
            date(r.last_inspection_date),
            date(r.next_inspection_date),
            r.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
            r.last_outcome
                .map(|o| o.label_zh().to_owned())
                .unwrap_or_default(),
            r.application_status.label_zh().to_owned(),
        ];
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, v);
        }
        out.push_str("\r\n");
    }
    out
}

/// 设备总览
///
/// 按设备种类统计数量：全部、在用、超期未检、30 天内到期、不合格、非在用（手册 4.1）。
#[utoipa::path(
    get, path = "/api/v1/equipment/overview", tag = "设备",
    responses(
        (status = 200, description = "各种类数量", body = Overview),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/overview")]
pub async fn overview(svc: web::Data<Services>, user: AuthUser) -> AppResult<web::Json<Overview>> {
    Ok(web::Json(svc.equipment_overview(&user.0).await?))
}

/// 设备档案
///
/// 基本信息、参数信息和检验信息（手册 4.2.4）。其他单位的设备与不存在的设备一样返回 404。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "设备档案", body = EquipmentDetail),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<EquipmentDetail>> {
    Ok(web::Json(
        svc.equipment_detail(&user.0, id.into_inner()).await?,
    ))
}

/// 设备时间线
///
/// 制造、投入使用、登记、每次检验和状态变更，最近的在前。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}/timeline", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "事件", body = Vec<TimelineEvent>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/{id}/timeline")]
pub async fn timeline(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<TimelineEvent>>> {
    Ok(web::Json(
        svc.equipment_timeline(&user.0, id.into_inner()).await?,
    ))
}
