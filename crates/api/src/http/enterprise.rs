//! `/enterprise` (基本信息维护, manual §6.1), `/users` (企业用户管理), `/api-tokens` and `/audit`:
//! what an enterprise admin keeps.

use actix_web::{HttpResponse, delete, get, post, put, web};
use tejian_contract::enterprise::{EnterpriseDetails, UpdateEnterprise};
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::problem::Problem;
use tejian_contract::users::{
    ApiToken, AuditEntry, AuditQuery, CreatedApiToken, EnterpriseUser, NewApiToken,
    NewEnterpriseUser, UpdateEnterpriseUser,
};
use validator::Validate;

use super::extract::{AuthUser, EnterpriseAdmin};
use crate::error::AppResult;
use crate::services::Services;

/// 单位信息
///
/// 企业用户查看本单位的基本信息。
#[utoipa::path(
    get, path = "/api/v1/enterprise", tag = "企业信息",
    responses(
        (status = 200, description = "本单位信息", body = EnterpriseDetails),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "不是企业用户 (`enterprise_user_required`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/enterprise")]
pub async fn get_enterprise(
    svc: web::Data<Services>,
    user: AuthUser,
) -> AppResult<web::Json<EnterpriseDetails>> {
    Ok(web::Json(svc.enterprise_details(&user.0).await?))
}

/// 保存单位信息
///
/// 本单位管理员修改地址、法定代表人、安全管理负责人及其手机、联系电话和邮箱。单位名称、统一社会
/// 信用代码和所在区县不能在此修改（请联系检验院）。更换安全管理负责人手机须在 `current_password`
/// 中再次输入当前登录密码：该手机接收检验信息、电子发票、检验意见通知书等短信。
#[utoipa::path(
    put, path = "/api/v1/enterprise", tag = "企业信息",
    request_body = UpdateEnterprise,
    responses(
        (status = 200, description = "已保存", body = EnterpriseDetails),
        (status = 403, description = "不是本单位管理员 (`enterprise_admin_required`) 或使用了 API 令牌 (`not_for_api_tokens`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误；更换手机未输入或输错密码 (`password_required`, `wrong_current_password`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "密码错误次数过多，暂时锁定", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/enterprise")]
pub async fn update_enterprise(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    body: web::Json<UpdateEnterprise>,
) -> AppResult<web::Json<EnterpriseDetails>> {
    let update = body.into_inner();
    update.validate()?;
    Ok(web::Json(svc.update_enterprise(&user.0, update).await?))
}

/// 企业用户列表
///
/// 本单位管理员查看本单位的全部用户及其角色：`admin` 管理员（另可维护单位信息、用户、API 令牌、
/// 提醒设置，查看操作日志）、`operator` 经办（可报检、申请变更、缴费、交流）、`viewer` 查看（只读）。
#[utoipa::path(
    get, path = "/api/v1/users", tag = "企业用户",
    params(PageQuery),
    responses(
        (status = 200, description = "用户列表", body = Page<EnterpriseUser>),
        (status = 403, description = "不是本单位管理员", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    query: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<EnterpriseUser>>> {
    Ok(web::Json(
        svc.enterprise_users(&user.0, query.into_inner()).await?,
    ))
}

/// 新增企业用户
///
/// 随机初始密码以短信发到新用户的手机，首次登录必须修改；管理员看不到该密码。
#[utoipa::path(
    post, path = "/api/v1/users", tag = "企业用户",
    request_body = NewEnterpriseUser,
    responses(
        (status = 201, description = "已新增，初始密码已通过短信发送", body = EnterpriseUser),
        (status = 403, description = "不是本单位管理员", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "用户名已被使用 (`username_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/users")]
pub async fn create_user(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    body: web::Json<NewEnterpriseUser>,
) -> AppResult<HttpResponse> {
    let new = body.into_inner();
    new.validate()?;
    let created = svc.create_enterprise_user(&user.0, new).await?;
    Ok(HttpResponse::Created().json(created))
}

/// 修改企业用户
///
/// 改角色，或停用/启用。停用后该用户的全部会话立即结束，其创建的 API 令牌也停止工作。单位至少保留
/// 一名启用的管理员。
#[utoipa::path(
    put, path = "/api/v1/users/{id}", tag = "企业用户",
    params(("id" = i64, Path, description = "用户 id")),
    request_body = UpdateEnterpriseUser,
    responses(
        (status = 200, description = "已保存", body = EnterpriseUser),
        (status = 403, description = "不是本单位管理员", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "用户不存在或不属于本单位", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "会使单位没有管理员 (`last_admin`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/users/{id}")]
pub async fn update_user(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    id: web::Path<i64>,
    body: web::Json<UpdateEnterpriseUser>,
) -> AppResult<web::Json<EnterpriseUser>> {
    Ok(web::Json(
        svc.update_enterprise_user(&user.0, id.into_inner(), body.into_inner())
            .await?,
    ))
}

/// API 令牌列表
///
/// 本单位的全部令牌（不含令牌本身）：名称、权限、到期时间、最近使用时间、状态。
#[utoipa::path(
    get, path = "/api/v1/api-tokens", tag = "API 令牌",
    params(PageQuery),
    responses(
        (status = 200, description = "令牌列表", body = Page<ApiToken>),
        (status = 403, description = "不是本单位管理员，或使用了 API 令牌", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/api-tokens")]
pub async fn list_tokens(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    query: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<ApiToken>>> {
    Ok(web::Json(
        svc.api_tokens(&user.0, query.into_inner()).await?,
    ))
}

/// 新建 API 令牌
///
/// 供第三方系统调用本 API：请求头 `Authorization: Bearer tjk_…`。权限默认只读（`read`），
/// `write` 另可报检、申请变更、缴费、交流；令牌不能管理用户、令牌或密码。有效期 1–365 天（默认
/// 90）。令牌只在本次返回一次，平台只保存其散列值。
#[utoipa::path(
    post, path = "/api/v1/api-tokens", tag = "API 令牌",
    request_body = NewApiToken,
    responses(
        (status = 201, description = "已新建；`token` 只显示这一次", body = CreatedApiToken),
        (status = 403, description = "不是本单位管理员，或使用了 API 令牌", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "有效令牌过多 (`too_many_tokens`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "名称或有效期有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/api-tokens")]
pub async fn create_token(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    body: web::Json<NewApiToken>,
) -> AppResult<HttpResponse> {
    let created = svc.create_api_token(&user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// 吊销 API 令牌
///
/// 立即失效；重复吊销不报错。
#[utoipa::path(
    delete, path = "/api/v1/api-tokens/{id}", tag = "API 令牌",
    params(("id" = i64, Path, description = "令牌 id")),
    responses(
        (status = 204, description = "已吊销"),
        (status = 403, description = "不是本单位管理员，或使用了 API 令牌", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "令牌不存在或不属于本单位", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/api-tokens/{id}")]
pub async fn revoke_token(
    svc: web::Data<Services>,
    user: EnterpriseAdmin,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    svc.revoke_api_token(&user.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// 操作日志
///
/// 谁在什么时间做了什么：本单位管理员看到本单位的记录；检验院看到全部。按时间倒序，可按操作人
/// 用户名、操作代码和日期筛选。
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "企业用户",
    params(AuditQuery),
    responses(
        (status = 200, description = "操作日志", body = Page<AuditEntry>),
        (status = 403, description = "不是本单位管理员", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "日期范围有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit")]
pub async fn audit(
    svc: web::Data<Services>,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> AppResult<web::Json<Page<AuditEntry>>> {
    Ok(web::Json(svc.audit_log(&user.0, &query).await?))
}
