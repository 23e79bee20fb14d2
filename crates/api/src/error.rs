//! The one error type of the server and its mapping to RFC 9457 problem+json. Handlers and
//! services return [`AppError`]; nothing else decides how an error looks on the wire.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use tejian_contract::problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

/// Everything a request can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// 422: one or more fields are invalid.
    #[error("提交的数据有误")]
    Validation(Vec<FieldError>),
    /// 400: the request could not be read at all.
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// 401: wrong user name or password (the same answer for both, manual §8.1).
    #[error("用户名或密码错误，请重新输入")]
    InvalidCredentials,
    /// 401: no usable credentials on a protected endpoint.
    #[error("请先登录")]
    Unauthenticated,
    /// 401: the access token has expired; refresh it.
    #[error("登录已过期，请刷新令牌或重新登录")]
    TokenExpired,
    /// 401: the refresh token was used twice; the whole session is revoked.
    #[error("刷新令牌已被使用，会话已注销，请重新登录")]
    RefreshTokenReused,
    /// 403: the password must be changed before anything else.
    #[error("首次登录或密码被重置后，请先修改密码")]
    PasswordChangeRequired,
    /// 403: authenticated, but the role may not do this.
    #[error("无权执行此操作")]
    Forbidden,
    /// 403 with a reason the caller can act on (a read-only role, an admin-only action).
    #[error("{detail}")]
    Denied { code: &'static str, detail: String },
    /// 404: missing, or not the caller's (both look the same).
    #[error("请求的对象不存在或无权访问")]
    NotFound,
    /// 405: the path exists, but not with this method (`allow` lists the ones it has).
    #[error("该地址不支持此请求方法，可用：{allow}")]
    MethodNotAllowed { allow: String },
    /// 409: the request conflicts with the current state.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// 413: the body is larger than the endpoint accepts (`limit` bytes).
    #[error("请求内容过大：不能超过 {}", human_size(*limit))]
    PayloadTooLarge { limit: usize },
    /// 429: too many failed logins; the lock expires by itself.
    #[error("登录失败次数过多，请 {minutes} 分钟后再试，或致电 0572-2523106 申请重置密码")]
    LoginLocked { retry_after_secs: u64, minutes: u64 },
    /// 429: too many requests from one address to a public endpoint.
    #[error("请求过于频繁，请 {retry_after_secs} 秒后再试")]
    RateLimited { retry_after_secs: u64 },
    /// 503: a dependency other than the database (the PDF font) is not available.
    #[error("服务暂时不可用，请稍后再试")]
    Unavailable,
    /// 503: the database cannot be reached (restarting, down, or the pool is exhausted); the
    /// request may be retried after `Retry-After`.
    #[error("数据库暂时不可用，请稍后再试")]
    DatabaseUnavailable,
    /// 500: a bug or an unexpected failure; logged, never shown.
    #[error("服务器内部错误")]
    Internal(String),
}

impl AppError {
    /// A validation failure of one field.
    pub fn field(pointer: &str, code: &str, detail: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            pointer: pointer.to_owned(),
            code: code.to_owned(),
            detail: detail.into(),
        }])
    }

    /// 409 for a domain rule that refuses the request in the current state (the rule's code and
    /// message go to the client).
    pub fn conflict(rule: &tejian_domain::ParseError) -> Self {
        Self::Conflict {
            code: rule.code(),
            detail: rule.to_string(),
        }
    }

    /// An unexpected failure, with its cause kept for the log.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Denied { code, .. } => code,
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Unauthenticated => "unauthenticated",
            AppError::TokenExpired => "token_expired",
            AppError::RefreshTokenReused => "refresh_token_reused",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::LoginLocked { .. } => "login_locked",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable => "unavailable",
            AppError::DatabaseUnavailable => "database_unavailable",
            AppError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "提交的数据有误",
            AppError::BadRequest { .. } => "请求格式错误",
            AppError::InvalidCredentials => "登录失败",
            AppError::Unauthenticated | AppError::TokenExpired | AppError::RefreshTokenReused => {
                "未登录"
            }
            AppError::PasswordChangeRequired => "需要修改密码",
            AppError::Forbidden | AppError::Denied { .. } => "无权访问",
            AppError::NotFound => "未找到",
            AppError::MethodNotAllowed { .. } => "请求方法不支持",
            AppError::Conflict { .. } => "操作冲突",
            AppError::PayloadTooLarge { .. } => "请求内容过大",
            AppError::LoginLocked { .. } => "登录已暂时锁定",
            AppError::RateLimited { .. } => "请求过于频繁",
            AppError::Unavailable | AppError::DatabaseUnavailable => "服务不可用",
            AppError::Internal(_) => "服务器内部错误",
        }
    }

    /// The problem body.
    pub fn problem(&self) -> Problem {
        let mut problem = Problem::new(self.status_code().as_u16(), self.code(), self.title())
            .with_detail(self.to_string());
        if let AppError::Validation(errors) = self {
            problem.errors.clone_from(errors);
            if let Some(first) = errors.first() {
                problem.detail = Some(first.detail.clone());
            }
        }
        problem
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::InvalidCredentials
            | AppError::Unauthenticated
            | AppError::TokenExpired
            | AppError::RefreshTokenReused => StatusCode::UNAUTHORIZED,
            AppError::PasswordChangeRequired | AppError::Forbidden | AppError::Denied { .. } => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::LoginLocked { .. } | AppError::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Unavailable | AppError::DatabaseUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        match self {
            AppError::InvalidCredentials
            | AppError::Unauthenticated
            | AppError::TokenExpired
            | AppError::RefreshTokenReused => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"tejian\""),
                ));
            }
            AppError::MethodNotAllowed { allow } => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    response.insert_header((header::ALLOW, value));
                }
            }
            AppError::LoginLocked {
                retry_after_secs, ..
            }
            | AppError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            AppError::DatabaseUnavailable => {
                response.insert_header((
                    header::RETRY_AFTER,
                    HeaderValue::from_static(DATABASE_RETRY_AFTER),
                ));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

/// Seconds a client should wait before retrying after `database_unavailable` (a PostgreSQL
/// restart takes a few seconds).
const DATABASE_RETRY_AFTER: &str = "5";

/// Whether a database error means "the database cannot be reached" rather than "this statement
/// failed": pool timeouts, refused or broken connections, and PostgreSQL's own shutdown and
/// connection classes (SQLSTATE 08…, 57P01–57P03 admin/crash shutdown and "cannot connect now",
/// 53300 too many connections). Such errors answer 503 `database_unavailable`, never 500.
pub fn is_database_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            sqlx_unavailable(e)
        }
        _ => false,
    }
}

fn sqlx_unavailable(err: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match err {
        Error::Io(_)
        | Error::Tls(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_database_unavailable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            AppError::DatabaseUnavailable
        } else if is_unstorable_text(&err) {
            AppError::BadRequest {
                code: "invalid_characters",
                detail: "文本中含有无法保存的字符（如 NUL \\u0000），请删除后重试".to_owned(),
            }
        } else {
            AppError::Internal(err.to_string())
        }
    }
}

/// PostgreSQL refuses text with a NUL character (SQLSTATE 22021) or one its encoding cannot hold
/// (22P05): bad input from the client, not a server fault. SQLite stores such text.
fn is_unstorable_text(err: &sea_orm::DbErr) -> bool {
    let (sea_orm::DbErr::Exec(runtime) | sea_orm::DbErr::Query(runtime)) = err else {
        return false;
    };
    let sea_orm::RuntimeErr::SqlxError(e) = runtime else {
        return false;
    };
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "22021" || code == "22P05")
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_field_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        AppError::Validation(fields)
    }
}

fn collect_field_errors(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let pointer = format!("{prefix}/{field}");
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(FieldError {
                        pointer: pointer.clone(),
                        code: e.code.to_string(),
                        detail: e
                            .message
                            .as_ref()
                            .map_or_else(|| "格式不正确".to_owned(), ToString::to_string),
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_field_errors(&pointer, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(&format!("{pointer}/{index}"), inner, out);
                }
            }
        }
    }
}

/// A byte count as people say it: 5 MB, 64 KB.
fn human_size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

/// Result of a service or handler.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::sqlx;
    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};

    use super::*;

    fn query(err: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))
    }

    #[test]
    fn unreachable_database_is_503() {
        let broken = query(sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        )));
        for err in [
            broken,
            query(sqlx::Error::PoolTimedOut),
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        ] {
            let app = AppError::from(err);
            assert_eq!(app.code(), "database_unavailable");
            assert_eq!(app.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        }
    }

    #[test]
    fn failing_statements_stay_500() {
        for err in [
            query(sqlx::Error::RowNotFound),
            DbErr::Custom("bug".to_owned()),
        ] {
            assert_eq!(AppError::from(err).code(), "internal_error");
        }
    }
}
