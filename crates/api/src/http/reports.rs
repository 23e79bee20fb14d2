//! 报告领取查询 (manual 5.2): `/reports` and the public verification endpoint.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;
use tejian_contract::report::{
    Report, ReportQuery, ReportTransition, ReportVerification, VerifyQuery,
};
use validator::Validate;

use super::extract::{AuthUser, ClientAddr, StaffUser};
use crate::error::{AppError, AppResult};
use crate::files::attachment_disposition;
use crate::ratelimit::RateLimiter;
use crate::services::Services;

/// 报告查询
///
/// 按检验年度（默认今年；`year=0` 为全部年度，不受旧平台只能查近年的限制）、设备种类、注册代码、
/// 业务流水号、报告编号、流转状态查询。列表显示流转状态，以及能否下载和不能下载的原因。
#[utoipa::path(
    get, path = "/api/v1/reports", tag = "检验报告",
    params(ReportQuery),
    responses(
        (status = 200, description = "报告分页列表，检验日期最近的在前", body = Page<Report>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "年度或分页参数超出范围", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<ReportQuery>,
) -> AppResult<web::Json<Page<Report>>> {
    Ok(web::Json(svc.reports(&user.0, &query.into_inner()).await?))
}

/// 报告详情
#[utoipa::path(
    get, path = "/api/v1/reports/{id}", tag = "检验报告",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "报告", body = Report),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Report>> {
    Ok(web::Json(svc.report(&user.0, id.into_inner()).await?))
}

/// 报告下载
///
/// 返回内含 PDF 电子报告的 zip 压缩包（手册 5.2.6）。只有「报告打印」或「报告归档」且检验费用已交清
/// 的报告可以下载；否则返回 `report_not_ready` 或 `report_unpaid`（手册 5.2.5）。
#[utoipa::path(
    get, path = "/api/v1/reports/{id}/download", tag = "检验报告",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "zip 压缩包（内含 报告编号.pdf）", content_type = "application/zip"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "报告尚未出具 (`report_not_ready`) 或费用未交 (`report_unpaid`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/{id}/download")]
pub async fn download(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (name, zip) = svc.download_report(&user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment_disposition(&name, "application/zip"),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(zip))
}

/// 报告流转（检验院）
///
/// 编制 →（送审）审核 →（审核通过）批准 →（批准签发）报告打印 →（归档）报告归档；审核、批准时可退回
/// 编制，归档前可作废（退回和作废须写原因）。批准签发时生成带防伪二维码的 PDF 并记录其 SHA-256，
/// 并短信通知企业。每一步都记入审计日志。
#[utoipa::path(
    post, path = "/api/v1/reports/{id}/transitions", tag = "检验报告",
    params(("id" = i64, Path, description = "报告 id")),
    request_body = ReportTransition,
    responses(
        (status = 200, description = "流转后的报告", body = Report),
        (status = 403, description = "只有检验院工作人员可以操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "报告不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "当前状态不允许该操作 (`invalid_report_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "退回或作废未写原因", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "服务器缺少中文字体，无法生成 PDF", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/reports/{id}/transitions")]
pub async fn transition(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<ReportTransition>,
) -> AppResult<web::Json<Report>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.transition_report(&user.0, id.into_inner(), request)
            .await?,
    ))
}

/// 标记费用已缴（检验院）
///
/// 在线缴费上线前，由检验院在收到费用后标记；之后企业即可下载已出具的报告。
#[utoipa::path(
    post, path = "/api/v1/reports/{id}/fee-paid", tag = "检验报告",
    params(("id" = i64, Path, description = "报告 id")),
    responses(
        (status = 200, description = "已标记", body = Report),
        (status = 403, description = "只有检验院工作人员可以操作", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "报告不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已标记过 (`already_paid`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/reports/{id}/fee-paid")]
pub async fn fee_paid(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Report>> {
    Ok(web::Json(
        svc.mark_report_paid(&user.0, id.into_inner()).await?,
    ))
}

/// 报告真伪验证（公开）
///
/// 无需登录。输入报告编号和报告二维码下方的验证码，回答是否为本院出具的有效报告；只显示报告编号、
/// 设备代码、检验结论和签发日期。每个地址每分钟最多 20 次。
#[utoipa::path(
    get, path = "/api/v1/public/reports/verify", tag = "检验报告",
    params(VerifyQuery),
    responses(
        (status = 200, description = "验证结果（`genuine` 为 false 时表示未找到或已作废）", body = ReportVerification),
        (status = 429, description = "请求过于频繁 (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/public/reports/verify")]
pub async fn verify(
    svc: web::Data<Services>,
    limiter: web::Data<RateLimiter>,
    addr: ClientAddr,
    query: web::Query<VerifyQuery>,
) -> AppResult<HttpResponse> {
    let key = addr.0.unwrap_or_else(|| "unknown".to_owned());
    limiter
        .check(&key)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let result = svc.verify_report(&query.report_no, &query.code).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(result))
}
