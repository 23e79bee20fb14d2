//! `/me`: 账户信息维护 (manual §7.1).

use actix_web::{HttpResponse, get, put, web};
use tejian_contract::me::{ChangePassword, Me, UpdateMe};
use tejian_contract::problem::Problem;
use validator::Validate;

use super::extract::{AuthUser, AuthUserAnyState, StaffUser};
use crate::error::AppResult;
use crate::services::Services;

/// 当前用户信息
///
/// 需要修改密码的用户也可以调用（用于强制修改密码页面）。
#[utoipa::path(
    get, path = "/api/v1/me", tag = "账户",
    responses(
        (status = 200, description = "当前用户", body = Me),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn get_me(svc: web::Data<Services>, user: AuthUserAnyState) -> AppResult<web::Json<Me>> {
    Ok(web::Json(svc.me(&user.0).await?))
}

/// 修改个人资料
#[utoipa::path(
    put, path = "/api/v1/me", tag = "账户",
    request_body = UpdateMe,
    responses(
        (status = 200, description = "已保存", body = Me),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "需要先修改密码", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/me")]
pub async fn update_me(
    svc: web::Data<Services>,
    user: AuthUser,
    body: web::Json<UpdateMe>,
) -> AppResult<web::Json<Me>> {
    let update = body.into_inner();
    update.validate()?;
    Ok(web::Json(svc.update_me(&user.0, update).await?))
}

/// 修改密码
///
/// 需要当前密码。新密码 8–128 个字符，不能是常见密码，不能与用户名或当前密码相同。成功后该用户的
/// 其他会话全部失效；调用方随后刷新令牌即可去掉「需要修改密码」状态。
#[utoipa::path(
    put, path = "/api/v1/me/password", tag = "账户",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "密码已修改"),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "当前密码不正确或新密码不符合要求", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "错误次数过多，暂时锁定", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/me/password")]
pub async fn change_password(
    svc: web::Data<Services>,
    user: AuthUserAnyState,
    body: web::Json<ChangePassword>,
) -> AppResult<HttpResponse> {
    let change = body.into_inner();
    change.validate()?;
    svc.change_password(&user.0, change).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// 重置企业用户密码（检验院）
///
/// 生成随机临时密码，以短信发给该用户（或其单位的安全管理负责人），下次登录必须修改；该用户的所有会话结束。
/// 工作人员看不到临时密码。
#[utoipa::path(
    post, path = "/api/v1/users/{id}/password-reset", tag = "账户",
    params(("id" = String, Path, description = "用户 id（也可用用户名）")),
    responses(
        (status = 204, description = "已重置，临时密码已通过短信发送"),
        (status = 403, description = "只有检验院工作人员可以重置", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "用户不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "不是企业用户 (`not_an_enterprise_user`) 或没有手机号 (`no_mobile_number`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[actix_web::post("/users/{id}/password-reset")]
pub async fn reset_password(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    svc.reset_password(&user.0, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
