//! `/equipment`: the register (filters, views and exports arrive with the equipment issue).

use actix_web::{get, web};
use tejian_contract::equipment::EquipmentSummary;
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

/// 设备列表
///
/// 企业用户只能看到本单位的设备；监管局看到本辖区；检验院看到全部。按下次检验日期排序。
#[utoipa::path(
    get, path = "/api/v1/equipment", tag = "设备",
    params(PageQuery),
    responses(
        (status = 200, description = "设备分页列表", body = Page<EquipmentSummary>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "分页参数超出范围", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<EquipmentSummary>>> {
    let paging = paging(query.into_inner())?;
    Ok(web::Json(svc.equipment_list(&user.0, paging).await?))
}

/// 单台设备
///
/// 其他单位的设备与不存在的设备一样返回 404。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}", tag = "设备",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "设备", body = EquipmentSummary),
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
) -> AppResult<web::Json<EquipmentSummary>> {
    Ok(web::Json(
        svc.equipment_get(&user.0, id.into_inner()).await?,
    ))
}
