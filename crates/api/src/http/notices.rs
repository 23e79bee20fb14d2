//! 检验意见通知书 (manual 5.3): `/notices`, their PDFs and the rectification loop.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use tejian_contract::list::Page;
use tejian_contract::notice::{NewNotice, Notice, NoticeFeedback, NoticeQuery, NoticeReview};
use tejian_contract::problem::Problem;
use validator::Validate;

use super::extract::{AuthUser, EnterpriseCaller, StaffUser};
use crate::error::AppResult;
use crate::files::attachment_disposition;
use crate::services::Services;

/// 签发检验意见通知书（检验院）
///
/// 在报告上签发通知书：问题及处理要求、整改期限（默认签发后 30 天）。立即生成 PDF，并短信通知企业。
#[utoipa::path(
    post, path = "/api/v1/reports/{id}/notices", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "报告 id")),
    request_body = NewNotice,
    responses(
        (status = 201, description = "已签发", body = Notice),
        (status = 403, description = "只有检验院工作人员可以签发", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "报告不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "报告已作废 (`report_voided`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误（整改期限早于今天 `deadline_in_past` 等）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/reports/{id}/notices")]
pub async fn issue(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<NewNotice>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let notice = svc.issue_notice(&user.0, id.into_inner(), request).await?;
    Ok(HttpResponse::Created().json(notice))
}

/// 检验意见通知书查询
///
/// 通知书编号、整改期限、对应的报告编号和业务流水号、设备信息、整改状态；`overdue=true` 只看逾期未整改的。
#[utoipa::path(
    get, path = "/api/v1/notices", tag = "检验意见通知书",
    params(NoticeQuery),
    responses(
        (status = 200, description = "通知书分页列表，最近签发的在前", body = Page<Notice>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/notices")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<NoticeQuery>,
) -> AppResult<web::Json<Page<Notice>>> {
    Ok(web::Json(svc.notices(&user.0, &query.into_inner()).await?))
}

/// 通知书详情
#[utoipa::path(
    get, path = "/api/v1/notices/{id}", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "通知书 id")),
    responses(
        (status = 200, description = "通知书", body = Notice),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/notices/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Notice>> {
    Ok(web::Json(svc.notice(&user.0, id.into_inner()).await?))
}

/// 下载通知书 PDF
#[utoipa::path(
    get, path = "/api/v1/notices/{id}/pdf", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "通知书 id")),
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/notices/{id}/pdf")]
pub async fn pdf(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (name, bytes) = svc.notice_pdf(&user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment_disposition(&name, "application/pdf"),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// 提交整改（企业）
///
/// 整改说明和见证资料（先用 `POST /api/v1/files` 上传）。待整改或退回整改的通知书可以提交；逾期后
/// 仍可提交，记为逾期提交。
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/feedback", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "通知书 id")),
    request_body = NoticeFeedback,
    responses(
        (status = 200, description = "已提交，待检验院确认", body = Notice),
        (status = 403, description = "只有企业用户可以提交", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已提交或已确认 (`notice_not_open`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误或附件无效", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/notices/{id}/feedback")]
pub async fn feedback(
    svc: web::Data<Services>,
    user: EnterpriseCaller,
    id: web::Path<i64>,
    body: web::Json<NoticeFeedback>,
) -> AppResult<web::Json<Notice>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.notice_feedback(&user.0, id.into_inner(), request)
            .await?,
    ))
}

/// 确认整改（检验院）
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/confirm", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "通知书 id")),
    request_body = NoticeReview,
    responses(
        (status = 200, description = "已确认", body = Notice),
        (status = 403, description = "只有检验院工作人员可以确认", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "通知书不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "没有待确认的整改 (`notice_not_submitted`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/notices/{id}/confirm")]
pub async fn confirm(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<NoticeReview>,
) -> AppResult<web::Json<Notice>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.review_notice(&user.0, id.into_inner(), true, request)
            .await?,
    ))
}

/// 退回整改（检验院）
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/return", tag = "检验意见通知书",
    params(("id" = i64, Path, description = "通知书 id")),
    request_body = NoticeReview,
    responses(
        (status = 200, description = "已退回", body = Notice),
        (status = 403, description = "只有检验院工作人员可以退回", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "通知书不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "没有待确认的整改 (`notice_not_submitted`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "未填写意见", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/notices/{id}/return")]
pub async fn return_feedback(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<NoticeReview>,
) -> AppResult<web::Json<Notice>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.review_notice(&user.0, id.into_inner(), false, request)
            .await?,
    ))
}
