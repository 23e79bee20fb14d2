//! 设备使用状态变更: enterprises submit (`/equipment/{id}/status-changes`), the bureau decides
//! (`/status-changes/{id}/approve|reject`).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;
use tejian_contract::status_change::{Decision, NewStatusChange, StatusChange, StatusChangeQuery};
use validator::Validate;

use super::extract::{AuthUser, BureauUser, EnterpriseCaller, OptionalJson};
use crate::error::{AppError, AppResult};
use crate::services::Services;

pub(crate) fn idempotency_key(req: &HttpRequest) -> AppResult<Option<String>> {
    match req.headers().get("Idempotency-Key") {
        None => Ok(None),
        Some(v) => {
            let key = v.to_str().unwrap_or("").trim();
            if key.is_empty() || key.len() > 128 {
                return Err(AppError::BadRequest {
                    code: "invalid_idempotency_key",
                    detail: "Idempotency-Key 应为 1 到 128 个可见字符".to_owned(),
                });
            }
            Ok(Some(key.to_owned()))
        }
    }
}

/// 提交变更申请
///
/// 企业用户为本单位设备提交变更（停用、停用后启用、报废、移装、单位变更、更名、改造、达到设计使用
/// 年限），附上用 `POST /api/v1/files` 上传的申报资料，由设备所在辖区的市场监管局审批。支持
/// `Idempotency-Key`：同一用户重复提交同一个键时返回第一次的结果（200）。
#[utoipa::path(
    post, path = "/api/v1/equipment/{id}/status-changes", tag = "设备状态变更",
    params(
        ("id" = i64, Path, description = "设备 id"),
        ("Idempotency-Key" = Option<String>, Header, description = "幂等键，1–128 个可见 ASCII 字符", min_length = 1, max_length = 128, pattern = "^[!-~](?:[ \t!-~]*[!-~])?$"),
    ),
    request_body = NewStatusChange,
    responses(
        (status = 201, description = "已提交，待审批", body = StatusChange),
        (status = 200, description = "相同 Idempotency-Key 的既有申请", body = StatusChange),
        (status = 403, description = "只有企业用户可以提交", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "设备不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已有待审批申请 (`status_change_pending`)、设备已报废或注销 (`equipment_cancelled`)、状态不允许 (`invalid_transition`)、检验已过期 (`inspection_lapsed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误或附件无效", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/equipment/{id}/status-changes")]
pub async fn submit(
    svc: web::Data<Services>,
    user: EnterpriseCaller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<NewStatusChange>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let key = idempotency_key(&req)?;
    let (change, created) = svc
        .submit_status_change(&user.0, id.into_inner(), request, key)
        .await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(change))
}

/// 历史变更记录
///
/// 一台设备的全部变更申请：类别、变更前后状态、申请人、申请日期、审批状态、审批人和意见。
#[utoipa::path(
    get, path = "/api/v1/equipment/{id}/status-changes", tag = "设备状态变更",
    params(("id" = i64, Path, description = "设备 id")),
    responses(
        (status = 200, description = "变更记录，最近的在前", body = Vec<StatusChange>),
        (status = 404, description = "设备不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/equipment/{id}/status-changes")]
pub async fn history(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<StatusChange>>> {
    Ok(web::Json(
        svc.equipment_status_changes(&user.0, id.into_inner())
            .await?,
    ))
}

/// 变更申请列表
///
/// 监管局看到本辖区的申请（`state=submitted` 为待审批队列）；企业看到本单位的；检验院看到全部。
#[utoipa::path(
    get, path = "/api/v1/status-changes", tag = "设备状态变更",
    params(StatusChangeQuery),
    responses(
        (status = 200, description = "变更申请分页列表", body = Page<StatusChange>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/status-changes")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<StatusChangeQuery>,
) -> AppResult<web::Json<Page<StatusChange>>> {
    Ok(web::Json(
        svc.status_changes(&user.0, &query.into_inner()).await?,
    ))
}

/// 变更申请详情
#[utoipa::path(
    get, path = "/api/v1/status-changes/{id}", tag = "设备状态变更",
    params(("id" = i64, Path, description = "申请 id")),
    responses(
        (status = 200, description = "变更申请", body = StatusChange),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/status-changes/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<StatusChange>> {
    Ok(web::Json(
        svc.status_change(&user.0, id.into_inner()).await?,
    ))
}

/// 批准变更申请
///
/// 设备所在辖区的监管局批准；设备的使用状态和注册状态（移装时还有使用地点）在同一事务中变更。
#[utoipa::path(
    post, path = "/api/v1/status-changes/{id}/approve", tag = "设备状态变更",
    params(("id" = i64, Path, description = "申请 id")),
    request_body(content = Option<Decision>, description = "可选的审批意见"),
    responses(
        (status = 200, description = "已批准", body = StatusChange),
        (status = 403, description = "只有监管局可以审批", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在本辖区", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已审批过 (`change_already_decided`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/status-changes/{id}/approve")]
pub async fn approve(
    svc: web::Data<Services>,
    user: BureauUser,
    id: web::Path<i64>,
    body: OptionalJson<Decision>,
) -> AppResult<web::Json<StatusChange>> {
    let decision = body.0.unwrap_or_default();
    decision.validate()?;
    Ok(web::Json(
        svc.decide_status_change(&user.0, id.into_inner(), true, decision)
            .await?,
    ))
}

/// 驳回变更申请
///
/// 必须填写审批意见；设备状态不变。
#[utoipa::path(
    post, path = "/api/v1/status-changes/{id}/reject", tag = "设备状态变更",
    params(("id" = i64, Path, description = "申请 id")),
    request_body = Decision,
    responses(
        (status = 200, description = "已驳回", body = StatusChange),
        (status = 403, description = "只有监管局可以审批", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不在本辖区", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已审批过", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "缺少审批意见", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/status-changes/{id}/reject")]
pub async fn reject(
    svc: web::Data<Services>,
    user: BureauUser,
    id: web::Path<i64>,
    body: web::Json<Decision>,
) -> AppResult<web::Json<StatusChange>> {
    let decision = body.into_inner();
    decision.validate()?;
    Ok(web::Json(
        svc.decide_status_change(&user.0, id.into_inner(), false, decision)
            .await?,
    ))
}
