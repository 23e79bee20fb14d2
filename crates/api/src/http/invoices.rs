//! 电子发票下载 (manual 5.6): `/invoices`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use tejian_contract::invoice::{Invoice, InvoiceQuery};
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;

use super::extract::AuthUser;
use crate::error::AppResult;
use crate::files::attachment_disposition;
use crate::services::Services;

/// 电子发票查询
///
/// 按缴款通知书编号查询，或列出本单位的全部电子发票（缴费后由系统自动开具）。
#[utoipa::path(
    get, path = "/api/v1/invoices", tag = "电子发票",
    params(InvoiceQuery),
    responses(
        (status = 200, description = "电子发票", body = Page<Invoice>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "缴款通知书编号有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/invoices")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<InvoiceQuery>,
) -> AppResult<web::Json<Page<Invoice>>> {
    Ok(web::Json(svc.invoices(&user.0, &query.into_inner()).await?))
}

/// 下载或打印电子发票（PDF）
///
/// `?inline=1` 在浏览器中打开（打印）；默认作为附件下载。链接是普通的登录后地址，可在同一用户的任何浏览器会话中打开。
#[utoipa::path(
    get, path = "/api/v1/invoices/{id}/pdf", tag = "电子发票",
    params(("id" = i64, Path, description = "发票 id"), ("inline" = Option<bool>, Query, description = "在浏览器中打开")),
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/invoices/{id}/pdf")]
pub async fn pdf(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
    query: web::Query<InlineQuery>,
) -> AppResult<HttpResponse> {
    let (name, bytes) = svc.invoice_pdf(&user.0, id.into_inner()).await?;
    let disposition = attachment_disposition(&name, "application/pdf");
    let disposition = if query.inline.unwrap_or(false) {
        disposition.replacen("attachment", "inline", 1)
    } else {
        disposition
    };
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// `?inline=1`.
#[derive(Debug, serde::Deserialize)]
pub struct InlineQuery {
    pub inline: Option<bool>,
}
