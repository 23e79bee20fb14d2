//! 网上自助缴费 (manual 5.5): `/payment-notices`, `/payments`, provider callbacks and the
//! sandbox payer page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tejian_contract::list::Page;
use tejian_contract::payment::{
    CancelPaymentNotice, NewPayment, NewPaymentNotice, Payment, PaymentNotice, PaymentNoticeQuery,
};
use tejian_contract::problem::Problem;
use tejian_domain::payment::Provider;

use super::extract::{MaybeUser, StaffUser};
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// 开具缴款通知书（检验院）
///
/// 为一份申请中已受理的设备开具缴款通知书（核定费用合计），编号为 20 位、带校验位；短信通知企业。
#[utoipa::path(
    post, path = "/api/v1/payment-notices", tag = "网上缴费",
    request_body = NewPaymentNotice,
    responses(
        (status = 201, description = "已开具", body = PaymentNotice),
        (status = 403, description = "只有检验院工作人员可以开具", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "申请不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "没有可收费的设备 (`nothing_to_bill`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/payment-notices")]
pub async fn issue(
    svc: web::Data<Services>,
    user: StaffUser,
    body: web::Json<NewPaymentNotice>,
) -> AppResult<HttpResponse> {
    let notice = svc.issue_payment_notice(&user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(notice))
}

/// 作废缴款通知书（检验院）
///
/// 只有未缴的通知书可以作废（须写原因）；其中的费用可以重新开具。未过期的支付二维码随之关闭。
#[utoipa::path(
    post, path = "/api/v1/payment-notices/{id}/cancel", tag = "网上缴费",
    params(("id" = i64, Path, description = "缴款通知书 id")),
    request_body = CancelPaymentNotice,
    responses(
        (status = 200, description = "已作废", body = PaymentNotice),
        (status = 403, description = "只有检验院工作人员可以作废", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "通知书不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已缴 (`notice_already_paid`) 或已作废 (`notice_cancelled`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "未写原因", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/payment-notices/{id}/cancel")]
pub async fn cancel(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<CancelPaymentNotice>,
) -> AppResult<web::Json<PaymentNotice>> {
    Ok(web::Json(
        svc.cancel_payment_notice(&user.0, id.into_inner(), &body.reason)
            .await?,
    ))
}

/// 缴费查询
///
/// 未登录时必须同时输入缴款单位名称和缴款通知书编号（完全一致才返回），任何人都不能列出他人的通知书；
/// 登录的企业用户不带条件时列出本单位的全部通知书。
#[utoipa::path(
    get, path = "/api/v1/payment-notices", tag = "网上缴费",
    params(PaymentNoticeQuery),
    responses(
        (status = 200, description = "缴款通知书", body = Page<PaymentNotice>),
        (status = 422, description = "未登录时缺少条件，或编号格式/校验位有误 (`invalid_payment_notice_no`)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/payment-notices")]
pub async fn list(
    svc: web::Data<Services>,
    user: MaybeUser,
    query: web::Query<PaymentNoticeQuery>,
) -> AppResult<web::Json<Page<PaymentNotice>>> {
    Ok(web::Json(
        svc.payment_notices(user.0.as_ref(), &query.into_inner())
            .await?,
    ))
}

/// 在线支付
///
/// 生成支付二维码（金额、渠道、有效期）；同一渠道未过期的二维码会被重复使用。未登录时须在请求体中再次给出
/// 缴款单位名称和通知书编号。已缴或已作废的通知书会被拒绝。
#[utoipa::path(
    post, path = "/api/v1/payment-notices/{id}/payments", tag = "网上缴费",
    params(("id" = i64, Path, description = "缴款通知书 id")),
    request_body = NewPayment,
    responses(
        (status = 201, description = "二维码", body = Payment),
        (status = 404, description = "通知书不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已缴 (`notice_already_paid`)、已作废 (`notice_cancelled`)、渠道不可用 (`provider_unavailable`, `provider_error`)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[post("/payment-notices/{id}/payments")]
pub async fn pay(
    svc: web::Data<Services>,
    user: MaybeUser,
    id: web::Path<i64>,
    body: web::Json<NewPayment>,
) -> AppResult<HttpResponse> {
    let payment = svc
        .start_payment(user.0.as_ref(), id.into_inner(), body.into_inner())
        .await?;
    Ok(HttpResponse::Created().json(payment))
}

/// 支付状态
///
/// 按支付单号（随机、不可猜测）查询，供付款页面轮询，直到 `paid`。
#[utoipa::path(
    get, path = "/api/v1/payments/{out_trade_no}", tag = "网上缴费",
    params(("out_trade_no" = String, Path, description = "支付单号")),
    responses(
        (status = 200, description = "支付", body = Payment),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/payments/{out_trade_no}")]
pub async fn status(
    svc: web::Data<Services>,
    out_trade_no: web::Path<String>,
) -> AppResult<HttpResponse> {
    let payment = svc.payment_status(&out_trade_no).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(payment))
}

/// 支付结果通知（支付渠道回调）
///
/// 先验证签名，再核对商户、金额和币种，仅生效一次（重复和并发的通知只产生一次缴费）；按渠道要求的格式应答。
/// 签名错误不改变任何数据，并记入日志。
#[utoipa::path(
    post, path = "/api/v1/payments/notify/{provider}", tag = "网上缴费",
    params(("provider" = String, Path, description = "`sandbox`、`wechat`、`alipay`")),
    request_body(content = String, description = "渠道的原始通知报文"),
    responses(
        (status = 200, description = "已接收（各渠道要求的应答）"),
        (status = 204, description = "已接收（微信支付）"),
        (status = 400, description = "未接收（渠道会重试）"),
        (status = 404, description = "未知渠道", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/notify/{provider}")]
pub async fn notify(
    svc: web::Data<Services>,
    req: HttpRequest,
    provider: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let provider: Provider = provider.parse().map_err(|_| AppError::NotFound)?;
    let adapter = svc.providers.get(provider).ok_or(AppError::NotFound)?;
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned())))
        .collect();
    let accepted = svc.payment_callback(provider, &headers, &body).await?;
    let ack = adapter.ack(accepted);
    let code = actix_web::http::StatusCode::from_u16(ack.status).map_err(AppError::internal)?;
    Ok(HttpResponse::build(code)
        .content_type(ack.content_type)
        .body(ack.body))
}

/// The sandbox's payer page: what a phone shows after scanning the QR code.
#[get("/sandbox/pay/{out_trade_no}")]
pub async fn sandbox_page(
    svc: web::Data<Services>,
    out_trade_no: web::Path<String>,
) -> AppResult<HttpResponse> {
    let payment = svc.payment_status(&out_trade_no).await?;
    let no = html_escape(&payment.out_trade_no);
    let action = if payment.state_name == "待支付" {
        format!(
            r#"<form method="post" action="/sandbox/pay/{no}"><button type="submit">确认支付 ¥{}</button></form>"#,
            payment.amount
        )
    } else {
        format!(
            "<p class=\"state\">{}</p>",
            html_escape(&payment.state_name)
        )
    };
    let page = format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>模拟支付</title>
<style>body{{font-family:sans-serif;max-width:420px;margin:2rem auto;padding:0 1rem;color:#1f2937}}h1{{font-size:1.25rem}}.amount{{font-size:2rem;font-weight:700;margin:1rem 0}}button{{width:100%;padding:.9rem;font-size:1.1rem;background:#16a34a;color:#fff;border:0;border-radius:.5rem}}.note{{color:#6b7280;font-size:.85rem}}.state{{font-size:1.2rem;font-weight:600}}</style></head>
<body><h1>模拟支付（沙箱）</h1><p>缴款通知书 {notice}</p><p class="amount">¥{amount}</p>{action}<p class="note">这是本地演示用的模拟支付页：确认后，沙箱以与真实支付渠道相同的方式发送签名的支付结果通知。不会产生真实扣款。</p></body></html>"#,
        notice = html_escape(&payment.notice_no),
        amount = payment.amount,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page))
}

/// The sandbox payer confirms.
#[post("/sandbox/pay/{out_trade_no}")]
pub async fn sandbox_confirm(
    svc: web::Data<Services>,
    out_trade_no: web::Path<String>,
) -> AppResult<HttpResponse> {
    svc.sandbox_pay(&out_trade_no).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/sandbox/pay/{}", out_trade_no.as_str()),
        ))
        .finish())
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
