//! Operations: health, readiness, metrics.

use actix_web::{HttpResponse, get, web};
use tejian_contract::system::Health;

use super::middleware::Metrics;
use crate::services::Services;

fn health(status: &str) -> Health {
    Health {
        status: status.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// 存活检查
#[utoipa::path(get, path = "/healthz", tag = "运维", responses((status = 200, description = "进程存活", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(health("ok"))
}

/// 就绪检查
///
/// 数据库可用时返回 200，否则 503。
#[utoipa::path(get, path = "/readyz", tag = "运维", responses(
    (status = 200, description = "可以接收请求", body = Health),
    (status = 503, description = "数据库不可用", body = Health)))]
#[get("/readyz")]
pub async fn readyz(svc: web::Data<Services>) -> HttpResponse {
    if crate::store::ping(&svc.db).await {
        HttpResponse::Ok().json(health("ok"))
    } else {
        HttpResponse::ServiceUnavailable().json(health("unavailable"))
    }
}

/// Prometheus 指标
#[utoipa::path(get, path = "/metrics", tag = "运维", responses((status = 200, description = "Prometheus 文本格式", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render())
}
