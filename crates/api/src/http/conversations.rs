//! 交流互动 (manual §5.4): `/conversations`, their messages, 转交 and 关闭.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tejian_contract::conversation::{
    CloseConversation, Conversation, ConversationDetail, ConversationQuery, ForwardConversation,
    NewConversation, NewMessage, ThreadEntry,
};
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;
use validator::Validate;

use super::extract::{AuthUser, BureauUser, EnterpriseCaller, OptionalJson};
use super::status_changes::idempotency_key;
use crate::error::AppResult;
use crate::services::Services;

/// 交流列表
///
/// 企业看到本单位发起的交流；监管局看到当前由本辖区监管局受理的交流（转交出去后不再可见）；检验院
/// 看到全部（只读）。按最新留言时间倒序；`state` 按状态筛选，`text` 在主题和留言内容中查找。
#[utoipa::path(
    get, path = "/api/v1/conversations", tag = "交流互动",
    params(ConversationQuery),
    responses(
        (status = 200, description = "交流分页列表", body = Page<Conversation>),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "分页参数有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/conversations")]
pub async fn list(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<ConversationQuery>,
) -> AppResult<web::Json<Page<Conversation>>> {
    Ok(web::Json(
        svc.conversations(&user.0, &query.into_inner()).await?,
    ))
}

/// 发起交流
///
/// 企业用户填写主题和内容（可附用 `POST /api/v1/files` 上传的本单位文件），系统自动提交至单位所在
/// 辖区的市场监管局，状态为「待回复」。支持 `Idempotency-Key`：同一用户重复提交同一个键时返回第一次
/// 的结果（200）。
#[utoipa::path(
    post, path = "/api/v1/conversations", tag = "交流互动",
    params(("Idempotency-Key" = Option<String>, Header, description = "幂等键，1–128 个可见 ASCII 字符", min_length = 1, max_length = 128, pattern = "^[!-~](?:[ \t!-~]*[!-~])?$")),
    request_body = NewConversation,
    responses(
        (status = 201, description = "已提交至辖区监管局", body = ConversationDetail),
        (status = 200, description = "相同 Idempotency-Key 的既有交流", body = ConversationDetail),
        (status = 403, description = "只有企业用户可以发起交流", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "辖区没有监管局 (`no_bureau_for_district`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "主题、内容或附件有误（`subject_required`、`subject_too_long`、`content_required`、`content_too_long`、`invalid_attachment`）", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations")]
pub async fn start(
    svc: web::Data<Services>,
    user: EnterpriseCaller,
    req: HttpRequest,
    body: web::Json<NewConversation>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let key = idempotency_key(&req)?;
    let (detail, created) = svc.start_conversation(&user.0, request, key).await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(detail))
}

/// 交流详情
///
/// 一条交流及其全部交流记录（留言、转交、关闭，最早的在前，含附件）。
#[utoipa::path(
    get, path = "/api/v1/conversations/{id}", tag = "交流互动",
    params(("id" = i64, Path, description = "交流 id")),
    responses(
        (status = 200, description = "交流及交流记录", body = ConversationDetail),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/conversations/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<ConversationDetail>> {
    Ok(web::Json(svc.conversation(&user.0, id.into_inner()).await?))
}

/// 交流记录
///
/// 一条交流的全部记录，最早的在前。
#[utoipa::path(
    get, path = "/api/v1/conversations/{id}/messages", tag = "交流互动",
    params(("id" = i64, Path, description = "交流 id")),
    responses(
        (status = 200, description = "交流记录", body = Vec<ThreadEntry>),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/conversations/{id}/messages")]
pub async fn messages(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<ThreadEntry>>> {
    Ok(web::Json(
        svc.conversation_thread(&user.0, id.into_inner()).await?,
    ))
}

/// 回复
///
/// 企业继续提问，或受理的监管局回复（状态变为「已回复」，并短信通知企业的安全管理负责人）。
/// 交流关闭后不能再回复。
#[utoipa::path(
    post, path = "/api/v1/conversations/{id}/messages", tag = "交流互动",
    params(("id" = i64, Path, description = "交流 id")),
    request_body = NewMessage,
    responses(
        (status = 201, description = "已发送；返回交流及全部记录", body = ConversationDetail),
        (status = 403, description = "检验院只读", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "交流已关闭 (`conversation_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "内容或附件有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/messages")]
pub async fn post_message(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<NewMessage>,
) -> AppResult<HttpResponse> {
    let request = body.into_inner();
    request.validate()?;
    let detail = svc.post_message(&user.0, id.into_inner(), request).await?;
    Ok(HttpResponse::Created().json(detail))
}

/// 提交监察机构（转交）
///
/// 企业或当前受理的监管局把交流转交给另一个监管局（`GET /api/v1/reference/bureaus`）；交流记录中
/// 留下转交记录，状态为「待回复」。转交出去的监管局此后看不到这条交流。
#[utoipa::path(
    post, path = "/api/v1/conversations/{id}/forward", tag = "交流互动",
    params(("id" = i64, Path, description = "交流 id")),
    request_body = ForwardConversation,
    responses(
        (status = 200, description = "已转交", body = ConversationDetail),
        (status = 403, description = "检验院只读", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "交流已关闭 (`conversation_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "监管局无效 (`unknown_bureau`) 或未改变 (`same_bureau`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/forward")]
pub async fn forward(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ForwardConversation>,
) -> AppResult<web::Json<ConversationDetail>> {
    let request = body.into_inner();
    request.validate()?;
    Ok(web::Json(
        svc.forward_conversation(&user.0, id.into_inner(), request)
            .await?,
    ))
}

/// 关闭交流
///
/// 受理的监管局结束交流（状态「交流关闭」）；此后不能再回复、转交或关闭。
#[utoipa::path(
    post, path = "/api/v1/conversations/{id}/close", tag = "交流互动",
    params(("id" = i64, Path, description = "交流 id")),
    request_body(content = Option<CloseConversation>, description = "可选的关闭说明"),
    responses(
        (status = 200, description = "已关闭", body = ConversationDetail),
        (status = 403, description = "只有监管局可以关闭", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或不由本辖区受理", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "交流已关闭 (`conversation_closed`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/close")]
pub async fn close(
    svc: web::Data<Services>,
    user: BureauUser,
    id: web::Path<i64>,
    body: OptionalJson<CloseConversation>,
) -> AppResult<web::Json<ConversationDetail>> {
    let request = body.0.unwrap_or_default();
    request.validate()?;
    Ok(web::Json(
        svc.close_conversation(&user.0, id.into_inner(), request)
            .await?,
    ))
}
