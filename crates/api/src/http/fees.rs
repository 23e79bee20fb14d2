//! 计费 (manual 5.1.6–5.1.7): `POST /fees/estimate` and the tariff the SPA computes with.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use tejian_contract::problem::Problem;
use tejian_domain::fee::FeeEstimate;

use super::extract::AuthUser;
use crate::error::AppResult;
use crate::services::Services;

/// 计算检验费用参考值
///
/// 按当前生效的收费标准计算一台设备的参考费用：明细行（项目、计费依据、金额）和合计，标注「参考费用」
/// 和「本费用仅为参考值，实际费用以缴款通知书为准」。只有 `variety` 必填；`inspection_type` 默认定期
/// 检验；`params` 为设备参数（同设备档案的参数对象）。浏览器中的计费对话框用同一份领域代码和
/// `GET /api/v1/fees/tariff` 的收费标准即时算出相同结果。
#[utoipa::path(
    post, path = "/api/v1/fees/estimate", tag = "计费",
    request_body(content = Object, description = "计费请求", example = json!({
        "variety": "3110", "inspection_type": "periodic", "params": {"floors": 10},
        "imported": false, "options": [{"key": "governor_check", "quantity": 1}]
    })),
    responses(
        (status = 200, description = "参考费用：明细和合计", body = Object, example = json!({
            "label": "参考费用", "total": "530.00",
            "lines": [{"kind": "base", "item": "定期检验", "basis": "曳引驱动乘客电梯", "amount": "380.00"}],
            "note": "本费用仅为参考值，实际费用以缴款通知书为准"
        })),
        (status = 400, description = "请求不是 JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "没有生效的收费标准 (`no_tariff_in_force`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "计费请求有误（`invalid_fee_request`、`invalid_parameters`、`missing_parameter`、`out_of_tariff_range` 等）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/fees/estimate")]
pub async fn estimate(
    svc: web::Data<Services>,
    _user: AuthUser,
    body: web::Json<serde_json::Value>,
) -> AppResult<web::Json<FeeEstimate>> {
    Ok(web::Json(svc.estimate_fee(&body.into_inner())?))
}

/// 收费标准
///
/// 检验院当前使用的收费标准文件（含各地区、各生效期的版本），供浏览器端即时计费。
#[utoipa::path(
    get, path = "/api/v1/fees/tariff", tag = "计费",
    responses(
        (status = 200, description = "收费标准文件（JSON）", body = Object),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/fees/tariff")]
pub async fn tariff(svc: web::Data<Services>, _user: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(svc.tariffs.json().to_owned()))
}
