//! `/files`: 附件 upload and download.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use futures_util::TryStreamExt;
use tejian_contract::files::{MAX_UPLOAD_BYTES, StoredFileInfo};
use tejian_contract::problem::Problem;

use super::extract::AuthUser;
use crate::error::{AppError, AppResult};
use crate::files::attachment_disposition;
use crate::services::Services;

/// The multipart form of an upload (other parts are not part of the contract).
#[derive(utoipa::ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// 文件：PDF、JPEG 或 PNG，不超过 10 MB（按文件内容识别类型，不看扩展名）。
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// 上传附件
///
/// 表单字段 `file`。只接受 PDF、JPEG、PNG（按文件头识别），不超过 10 MB。返回的 `id` 用于提交变更
/// 申请等。文件属于上传者的单位，其他单位无法读取。
#[utoipa::path(
    post, path = "/api/v1/files", tag = "附件",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "已上传", body = StoredFileInfo),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "超过 10 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "缺少文件、空文件或类型不支持", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/files")]
pub async fn upload(
    svc: web::Data<Services>,
    user: AuthUser,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let bad_form = |e: actix_multipart::MultipartError| AppError::BadRequest {
        code: "malformed_request",
        detail: format!("上传表单无法读取: {e}"),
    };
    while let Some(mut field) = form.try_next().await.map_err(bad_form)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("附件")
            .to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(bad_form)? {
            if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                return Err(AppError::PayloadTooLarge {
                    limit: MAX_UPLOAD_BYTES,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let stored = svc.upload(&user.0, &name, bytes).await?;
        return Ok(HttpResponse::Created().json(stored));
    }
    Err(AppError::field(
        "/file",
        "required",
        "请选择要上传的文件（表单字段 file）",
    ))
}

/// 下载附件
///
/// 以附件方式返回（`Content-Disposition: attachment`），类型为上传时识别的类型。
#[utoipa::path(
    get, path = "/api/v1/files/{id}", tag = "附件",
    params(("id" = String, Path, description = "文件 id")),
    responses(
        (status = 200, description = "文件内容（上传时按文件头识别的类型）", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "image/png"),
        )),
        (status = 401, description = "未登录", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "不存在或无权访问", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/files/{id}")]
pub async fn download(
    svc: web::Data<Services>,
    user: AuthUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (file, bytes) = svc.download(&user.0, &id).await?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type.as_str())
        .insert_header((
            header::CONTENT_DISPOSITION,
            attachment_disposition(&file.file_name, &file.content_type),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
