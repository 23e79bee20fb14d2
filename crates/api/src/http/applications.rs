//! 网上报检 (manual 5.1): `/inspection-applications` for enterprises (submit, query) and the
//! institute (accept, reject, schedule, record the inspection).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tejian_contract::application::{
    AcceptApplication, Application, ApplicationQuery, NewApplication, RecordInspection,
    RejectApplication, ScheduleApplication,
};
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;
use tejian_contract::report::Report;
use validator::Validate;

use super::extract::{AuthUser, EnterpriseCaller, StaffUser};
use super::status_changes::idempotency_key;
use crate::error::AppResult;
use crate::services::Services;

/// 提交报检申请
///
/// 企业用户为一台（申报登记）或多台（检验申报）本单位设备申请检验：检验联系人、联系电话、联系地址、
/// 期望日期，每台设备的检验类别和计费参数。系统生成外网申报序列号并按计费标准计算参考费用。
/// 已报废、注销或迁出的设备、已有未完成申请的设备、他单位的设备都会被拒绝，整批不写入。支持
/// `Idempotency-Key`：同一用户重复提交同一个键时返回第一次的结果（200）。
#[utoipa::path(
    post, path = "/api/v1/inspection-applications", tag = "网上报检",
    params(("Idempotency-Key" = Option<String>, Header, description = "幂等键，1–128 个可见 ASCII 字符", min_length = 1, max_length = 128, pattern = "^[!-~](?:[ \t!-~]*[!-~])?$")),
    request_body = NewApplication,
    responses(
        (status = 201, description = "已提交，待受理", body = Application),
        (status = 200, description = "相同 Idempotency-Key 的既有申请", body = Application),
        (status = 403, description = "只有企业用户可以申报", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "并发提交时设备已有未完成的申请 (`application_pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误：联系人、电话 (`invalid_phone`)、空批次 (`empty_batch`)、设备不存在或非本单位 (`equipment_not_found`)、已报废或注销 (`equipment_cancelled`)、已有未完成申请 (`application_pending`)、计费参数有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/inspection-applications")]
pub async fn submit(
    svc: web::Data<Services>,
    user: EnterpriseCaller,
    req: HttpRequest,
    body: web::Json<NewApplication>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let key = idempotency_key(&req)?;
    let (application, created) = svc.submit_application(&user.0, request, key).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(application))
}

/// 报检查询
///
/// 企业看到本单位的申请，检验院看到全部（可按使用单位筛选）。每台设备显示受理意见（待受理 / 同意 /
/// 不同意及原因）、核定费用、业务流水号、检验日期和报告编号；申请显示总体进度。
#[utoipa::path(
    get, path = "/api/v1/inspection-applications", tag = "网上报检",
    params(ApplicationQuery),
    responses(
        (status = 200, description = "报检申请分页列表，最近的在前", body = Page<Application>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "分页参数超出范围", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/inspection-applications")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<ApplicationQuery>,
) -> AppResult<web::Json<Page<Application>>> {
    Ok(web::Json(
        svc.applications(&user.0, &query.into_inner()).await?,
    ))
}

/// 报检申请详情
#[utoipa::path(
    get, path = "/api/v1/inspection-applications/{id}", tag = "网上报检",
    params(("id" = i64, Path, description = "申请 id")),
    responses(
        (status = 200, description = "报检申请", body = Application),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/inspection-applications/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Application>> {
    Ok(web::Json(svc.application(&user.0, id.into_inner()).await?))
}

/// 受理（检验院）
///
/// 同意所列设备并给出核定费用；带 `scheduled_date` 时同时安排检验日期。生成业务流水号，并短信通知
/// 企业安全管理负责人。
#[utoipa::path(
    post, path = "/api/v1/inspection-applications/{id}/accept", tag = "网上报检",
    params(("id" = i64, Path, description = "申请 id")),
    request_body = AcceptApplication,
    responses(
        (status = 200, description = "已受理", body = Application),
        (status = 403, description = "只有检验院工作人员可以受理", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "申请不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "设备已受理或已驳回 (`application_already_decided`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/inspection-applications/{id}/accept")]
pub async fn accept(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<AcceptApplication>,
) -> AppResult<web::Json<Application>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.accept_application(&user.0, id.into_inner(), request)
            .await?,
    ))
}

/// 不予受理（检验院）
///
/// 驳回所列设备（不列则驳回全部待受理设备），必须写明原因；短信通知企业。
#[utoipa::path(
    post, path = "/api/v1/inspection-applications/{id}/reject", tag = "网上报检",
    params(("id" = i64, Path, description = "申请 id")),
    request_body = RejectApplication,
    responses(
        (status = 200, description = "已驳回", body = Application),
        (status = 403, description = "只有检验院工作人员可以受理", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "申请不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "没有可驳回的设备 (`nothing_to_reject`) 或已决定 (`application_already_decided`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "未填写原因", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/inspection-applications/{id}/reject")]
pub async fn reject(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<RejectApplication>,
) -> AppResult<web::Json<Application>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.reject_application(&user.0, id.into_inner(), request)
            .await?,
    ))
}

/// 安排检验日期（检验院）
#[utoipa::path(
    post, path = "/api/v1/inspection-applications/{id}/schedule", tag = "网上报检",
    params(("id" = i64, Path, description = "申请 id")),
    request_body = ScheduleApplication,
    responses(
        (status = 200, description = "已安排", body = Application),
        (status = 403, description = "只有检验院工作人员可以安排", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "申请不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "设备尚未受理 (`application_not_accepted`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "日期早于今天", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/inspection-applications/{id}/schedule")]
pub async fn schedule(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<ScheduleApplication>,
) -> AppResult<web::Json<Application>> {
    Ok(web::Json(
        svc.schedule_application(&user.0, id.into_inner(), body.into_inner())
            .await?,
    ))
}

/// 登记检验结果（检验院）
///
/// 为已受理的设备写入检验记录（按规则推算下次检验日期），并生成处于「编制」状态的检验报告。
#[utoipa::path(
    post, path = "/api/v1/inspection-applications/{id}/items/{item_id}/inspection", tag = "网上报检",
    params(
        ("id" = i64, Path, description = "申请 id"),
        ("item_id" = i64, Path, description = "报检设备 id"),
    ),
    request_body = RecordInspection,
    responses(
        (status = 201, description = "检验已登记，报告已生成", body = Report),
        (status = 403, description = "只有检验院工作人员可以登记", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "申请或设备不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "设备尚未受理或已检验 (`application_not_accepted`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误（结论无法识别、日期晚于今天）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/inspection-applications/{id}/items/{item_id}/inspection")]
pub async fn record_inspection(
    svc: web::Data<Services>,
    user: StaffUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<RecordInspection>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let (id, item_id) = path.into_inner();
    let report = svc
        .record_item_inspection(&user.0, id, item_id, request)
        .await?;
    Ok(HttpResponse::Created().json(report))
}
