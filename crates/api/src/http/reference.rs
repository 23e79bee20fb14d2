//! `/reference`: 基础数据, public.

use actix_web::{get, web};
use tejian_contract::reference::{Bureau, CatalogueEntry, District, Office};

use crate::error::AppResult;
use crate::services::{Services, reference};

/// 特种设备目录
///
/// 2014 版《特种设备目录》的种类、类别、品种（含目录外的常压容器），按目录顺序。
#[utoipa::path(get, path = "/api/v1/reference/categories", tag = "基础数据",
    responses((status = 200, description = "目录条目", body = Vec<CatalogueEntry>)))]
#[get("/reference/categories")]
pub async fn categories() -> web::Json<Vec<CatalogueEntry>> {
    web::Json(reference::categories())
}

/// 辖区
///
/// 湖州市的区县及功能区（南太湖新区可按部署配置），以及负责的监管局。
#[utoipa::path(get, path = "/api/v1/reference/districts", tag = "基础数据",
    responses((status = 200, description = "辖区", body = Vec<District>)))]
#[get("/reference/districts")]
pub async fn districts(svc: web::Data<Services>) -> AppResult<web::Json<Vec<District>>> {
    Ok(web::Json(svc.districts().await?))
}

/// 市场监管局
#[utoipa::path(get, path = "/api/v1/reference/bureaus", tag = "基础数据",
    responses((status = 200, description = "监管局", body = Vec<Bureau>)))]
#[get("/reference/bureaus")]
pub async fn bureaus(svc: web::Data<Services>) -> AppResult<web::Json<Vec<Bureau>>> {
    Ok(web::Json(svc.bureaus().await?))
}

/// 检验院办事机构
///
/// 本部及各办事处、检验站的地址和电话（手册附录二）。
#[utoipa::path(get, path = "/api/v1/reference/offices", tag = "基础数据",
    responses((status = 200, description = "办事机构", body = Vec<Office>)))]
#[get("/reference/offices")]
pub async fn offices(svc: web::Data<Services>) -> AppResult<web::Json<Vec<Office>>> {
    Ok(web::Json(svc.offices().await?))
}
