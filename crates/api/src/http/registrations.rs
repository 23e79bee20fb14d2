//! 账号开通 (manual §3): the terms and the online registration (anonymous), the institute's
//! review, the printable application form and the institute's direct creation of an enterprise.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use futures_util::TryStreamExt;
use tejian_contract::list::Page;
use tejian_contract::problem::Problem;
use tejian_contract::registration::{
    AccountApplication, EnterpriseCreated, LICENCE_PART, REGISTRATION_PART, Registration,
    RegistrationQuery, RegistrationReceipt, RegistrationTerms, RejectRegistration,
};
use validator::Validate;

use super::extract::{ClientAddr, StaffUser};
use crate::error::{AppError, AppResult};
use crate::files::attachment_disposition;
use crate::ratelimit::RateLimiter;
use crate::services::Services;
use crate::services::registrations::{LicenceUpload, MAX_LICENCE_BYTES};

/// The per-address limit of `POST /registrations` (its own type, so it is not the limiter of
/// report verification).
#[derive(Debug)]
pub struct RegistrationLimiter(pub RateLimiter);

/// The multipart form of an online registration.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct RegistrationForm {
    /// 申请表字段（JSON，`Content-Type: application/json`）。
    registration: AccountApplication,
    /// 营业执照扫描件或照片：PDF、JPEG 或 PNG，不超过 10 MB（按文件内容识别类型）。
    #[schema(value_type = String, format = Binary)]
    licence: Vec<u8>,
}

/// 企业客户服务条款
///
/// 《湖州市特种设备企业服务平台企业客户服务条款》。注册页面先显示条款，`min_read_seconds` 秒后才能
/// 点击「同意以上条款」；注册时回传 `version`（`terms_version`）。
#[utoipa::path(
    get, path = "/api/v1/registration/terms", tag = "账号开通",
    responses((status = 200, description = "条款", body = RegistrationTerms))
)]
#[get("/registration/terms")]
pub async fn terms(svc: web::Data<Services>) -> web::Json<RegistrationTerms> {
    web::Json(svc.registration_terms())
}

/// 企业账号网上注册（无需登录）
///
/// `multipart/form-data`，一次请求提交两部分：`registration`（申请表 JSON）和 `licence`（营业执照
/// 文件）。文件与申请在同一请求中提交，所以匿名用户无法引用别人上传的文件。提交后状态为待审核，
/// 返回申请编号；审核通过后账号和初始密码以短信发送至申请人手机。同一统一社会信用代码的单位已开通
/// 账号（`enterprise_already_registered`）或已有待审核申请（`registration_pending`）时拒绝，不透露
/// 其他信息。每个地址每小时最多提交 `TEJIAN_REGISTRATION_RATE_LIMIT` 次（默认 10 次，含被拒绝的）。
/// 任何错误都不会保存任何内容。
#[utoipa::path(
    post, path = "/api/v1/registrations", tag = "账号开通",
    request_body(content = RegistrationForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "已提交，待审核", body = RegistrationReceipt),
        (status = 400, description = "表单无法读取", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已开通 (`enterprise_already_registered`) 或已有待审核申请 (`registration_pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "营业执照超过 10 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误（`errors[]` 逐项列出，如 `/credit_code` 校验码不正确、`/licence` 文件类型不支持）", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "提交过于频繁 (`rate_limited`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations")]
pub async fn submit(
    svc: web::Data<Services>,
    limiter: web::Data<RegistrationLimiter>,
    addr: ClientAddr,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let key = addr.0.clone().unwrap_or_else(|| "unknown".to_owned());
    limiter
        .0
        .check(&key)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let bad_form = |e: actix_multipart::MultipartError| AppError::BadRequest {
        code: "malformed_request",
        detail: format!("注册表单无法读取: {e}"),
    };
    let mut application: Option<AccountApplication> = None;
    let mut upload: Option<LicenceUpload> = None;
    while let Some(mut field) = form.try_next().await.map_err(bad_form)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == REGISTRATION_PART {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.try_next().await.map_err(bad_form)? {
                if bytes.len() + chunk.len() > super::JSON_LIMIT {
                    return Err(AppError::PayloadTooLarge {
                        limit: super::JSON_LIMIT,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            application =
                Some(
                    serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest {
                        code: "malformed_request",
                        detail: format!("申请表（registration 部分）不是有效的 JSON: {e}"),
                    })?,
                );
        } else if name == LICENCE_PART {
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("营业执照")
                .to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.try_next().await.map_err(bad_form)? {
                if bytes.len() + chunk.len() > MAX_LICENCE_BYTES {
                    return Err(AppError::PayloadTooLarge {
                        limit: MAX_LICENCE_BYTES,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            upload = Some(LicenceUpload { file_name, bytes });
        }
    }
    let application = application.ok_or_else(|| AppError::BadRequest {
        code: "malformed_request",
        detail: "缺少申请表（表单字段 registration，JSON）".to_owned(),
    })?;
    let receipt = svc.submit_registration(application, upload, addr.0).await?;
    Ok(HttpResponse::Created().json(receipt))
}

/// 注册申请列表（检验院）
///
/// 可按审核状态（`state=pending` 为待审核）和文字（单位名称、统一社会信用代码、申请编号、申请人）筛选；
/// 最新的在前。
#[utoipa::path(
    get, path = "/api/v1/registrations", tag = "账号开通",
    params(RegistrationQuery),
    responses(
        (status = 200, description = "分页列表", body = Page<Registration>),
        (status = 403, description = "只有检验院工作人员可以查看", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/registrations")]
pub async fn list(
    svc: web::Data<Services>,
    user: StaffUser,
    query: web::Query<RegistrationQuery>,
) -> AppResult<web::Json<Page<Registration>>> {
    Ok(web::Json(svc.registrations(&user.0, &query).await?))
}

/// 查看注册申请（检验院）
#[utoipa::path(
    get, path = "/api/v1/registrations/{id}", tag = "账号开通",
    params(("id" = i64, Path, description = "注册申请 id")),
    responses(
        (status = 200, description = "注册申请", body = Registration),
        (status = 403, description = "只有检验院工作人员可以查看", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/registrations/{id}")]
pub async fn get(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Registration>> {
    Ok(web::Json(svc.registration(&user.0, id.into_inner()).await?))
}

/// 下载营业执照（检验院）
///
/// 申请人上传的营业执照，以附件方式返回，类型为上传时按内容识别的类型。
#[utoipa::path(
    get, path = "/api/v1/registrations/{id}/licence", tag = "账号开通",
    params(("id" = i64, Path, description = "注册申请 id")),
    responses(
        (status = 200, description = "文件内容（上传时按文件头识别的类型）", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "image/png"),
        )),
        (status = 403, description = "只有检验院工作人员可以下载", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/registrations/{id}/licence")]
pub async fn licence(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (name, content_type, bytes) = svc.registration_licence(&user.0, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type.as_str())
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment_disposition(&name, &content_type),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// 审核通过（检验院）
///
/// 在同一事务中创建单位及其首个账号（单位管理员，用户名为统一社会信用代码），随机初始密码只以短信
/// 发给申请人，首次登录须修改；应答和审计日志中都没有密码。已审核过的申请返回 409。
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/approve", tag = "账号开通",
    params(("id" = i64, Path, description = "注册申请 id")),
    responses(
        (status = 200, description = "已通过；`enterprise_id` 和 `username` 为新建的单位和账号", body = Registration),
        (status = 403, description = "只有检验院工作人员可以审核", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已审核过 (`registration_already_decided`) 或单位已开通 (`enterprise_already_registered`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/registrations/{id}/approve")]
pub async fn approve(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
) -> AppResult<web::Json<Registration>> {
    Ok(web::Json(
        svc.approve_registration(&user.0, id.into_inner()).await?,
    ))
}

/// 审核不通过（检验院）
///
/// 必须填写原因；原因以短信告知申请人。已审核过的申请返回 409。
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/reject", tag = "账号开通",
    params(("id" = i64, Path, description = "注册申请 id")),
    request_body = RejectRegistration,
    responses(
        (status = 200, description = "已驳回", body = Registration),
        (status = 403, description = "只有检验院工作人员可以审核", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已审核过 (`registration_already_decided`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "缺少原因", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/registrations/{id}/reject")]
pub async fn reject(
    svc: web::Data<Services>,
    user: StaffUser,
    id: web::Path<i64>,
    body: web::Json<RejectRegistration>,
) -> AppResult<web::Json<Registration>> {
    let body = body.into_inner();
    body.validate()?;
    Ok(web::Json(
        svc.reject_registration(&user.0, id.into_inner(), &body.reason)
            .await?,
    ))
}

/// 企业服务平台账号申请表（PDF，无需登录）
///
/// 线下开户（手册 3.2）：打印、填写、加盖公章，连同营业执照复印件邮寄或送至湖州市特种设备检测研究院。
#[utoipa::path(
    get, path = "/api/v1/forms/account-application.pdf", tag = "账号开通",
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 503, description = "服务器缺少中文字体", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forms/account-application.pdf")]
pub async fn application_form(svc: web::Data<Services>) -> AppResult<HttpResponse> {
    let pdf = svc.documents.account_application_pdf().await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"account-application.pdf\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E6%9C%8D%E5%8A%A1%E5%B9%B3%E5%8F%B0%E8%B4%A6%E5%8F%B7%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf",
        ))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(pdf))
}

/// 线下开户：直接创建单位及其首个账号（检验院）
///
/// 根据企业寄来或送来的《企业服务平台账号申请表》录入，字段与网上注册相同（无需上传文件和条款版本）。
/// 同样拒绝已开通或已有待审核申请的统一社会信用代码；账号和初始密码以短信发给申请人。
#[utoipa::path(
    post, path = "/api/v1/enterprises", tag = "账号开通",
    request_body = AccountApplication,
    responses(
        (status = 201, description = "已创建", body = EnterpriseCreated),
        (status = 403, description = "只有检验院工作人员可以创建", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "已开通 (`enterprise_already_registered`) 或已有待审核申请 (`registration_pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "字段有误", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/enterprises")]
pub async fn create_enterprise(
    svc: web::Data<Services>,
    user: StaffUser,
    body: web::Json<AccountApplication>,
) -> AppResult<HttpResponse> {
    let created = svc.create_enterprise(&user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}
