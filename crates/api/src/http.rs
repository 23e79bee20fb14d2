//! HTTP: routes, extractors, middleware and the OpenAPI document. Handlers are thin: extract,
//! call a service, shape the answer.

pub mod applications;
pub mod auth;
pub mod conversations;
pub mod enterprise;
pub mod equipment;
pub mod extract;
pub mod fees;
pub mod files;
pub mod invoices;
pub mod me;
pub mod middleware;
pub mod notices;
pub mod notifications;
pub mod openapi;
pub mod payments;
pub mod reference;
pub mod registrations;
pub mod reports;
pub mod spa;
pub mod status_changes;
pub mod system;

use actix_web::{HttpResponse, web};
use utoipa::OpenApi as _;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;

/// Largest JSON body any endpoint accepts (file uploads have their own limit).
pub const JSON_LIMIT: usize = 64 * 1024;

/// Registers every route. The SPA's catch-all comes last.
pub fn configure(cfg: &mut web::ServiceConfig, spa_dir: std::path::PathBuf) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(JSON_LIMIT)
            .error_handler(|err, _| json_error(&err).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            code: "invalid_query",
            detail: format!("查询参数有误: {err}"),
        }
        .into()
    }))
    .app_data(web::PathConfig::default().error_handler(|_, req| no_route(req).into()))
    .service(
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(extract::authenticate))
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(me::get_me)
            .service(me::update_me)
            .service(me::change_password)
            .service(me::reset_password)
            .service(enterprise::get_enterprise)
            .service(enterprise::update_enterprise)
            .service(enterprise::list_users)
            .service(enterprise::create_user)
            .service(enterprise::update_user)
            .service(enterprise::list_tokens)
            .service(enterprise::create_token)
            .service(enterprise::revoke_token)
            .service(enterprise::audit)
            .service(reference::categories)
            .service(reference::districts)
            .service(reference::bureaus)
            .service(reference::offices)
            .service(equipment::list)
            .service(equipment::import_template)
            .service(
                // The handler reads the body itself, within MAX_IMPORT_BYTES.
                web::resource("/equipment/import").route(web::post().to(equipment::import_handler)),
            )
            .service(equipment::create)
            .service(equipment::overview)
            .service(equipment::update)
            .service(equipment::get)
            .service(equipment::timeline)
            .service(equipment::record_inspection)
            .service(status_changes::submit)
            .service(status_changes::history)
            .service(status_changes::list)
            .service(status_changes::get)
            .service(status_changes::approve)
            .service(status_changes::reject)
            .service(conversations::list)
            .service(conversations::start)
            .service(conversations::get)
            .service(conversations::messages)
            .service(conversations::post_message)
            .service(conversations::forward)
            .service(conversations::close)
            .service(files::upload)
            .service(files::download)
            .service(fees::estimate)
            .service(fees::tariff)
            .service(applications::submit)
            .service(applications::list)
            .service(applications::get)
            .service(applications::accept)
            .service(applications::reject)
            .service(applications::schedule)
            .service(applications::record_inspection)
            .service(reports::list)
            .service(reports::get)
            .service(reports::download)
            .service(reports::transition)
            .service(reports::fee_paid)
            .service(reports::verify)
            .service(notices::issue)
            .service(notices::list)
            .service(notices::get)
            .service(notices::pdf)
            .service(notices::feedback)
            .service(notices::confirm)
            .service(notices::return_feedback)
            .service(payments::issue)
            .service(payments::cancel)
            .service(payments::list)
            .service(payments::pay)
            .service(payments::notify)
            .service(payments::status)
            .service(invoices::list)
            .service(invoices::pdf)
            .service(registrations::terms)
            .service(registrations::submit)
            .service(registrations::list)
            .service(registrations::get)
            .service(registrations::licence)
            .service(registrations::approve)
            .service(registrations::reject)
            .service(registrations::application_form)
            .service(registrations::create_enterprise)
            .service(notifications::list)
            .service(notifications::read_all)
            .service(notifications::read)
            .service(notifications::get_settings)
            .service(notifications::update_settings)
            .service(notifications::run)
            .default_service(web::to(unmatched)),
    )
    .service(payments::sandbox_page)
    .service(payments::sandbox_confirm)
    .service(system::healthz)
    .service(system::readyz)
    .service(system::metrics)
    .service(web::redirect("/docs", "/docs/"))
    .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi::ApiDoc::openapi()))
    .configure(|c| spa::configure(c, spa_dir));
}

fn json_error(err: &actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError;
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            AppError::PayloadTooLarge { limit: JSON_LIMIT }
        }
        JsonPayloadError::ContentType => AppError::BadRequest {
            code: "unsupported_media_type",
            detail: "请求体必须是 JSON (Content-Type: application/json)".to_owned(),
        },
        // Well-formed JSON whose values do not fit (a string for a number, `1.0` for an integer,
        // an unknown enum value, a bad date or amount): 422, like every other refused value.
        JsonPayloadError::Deserialize(e) if e.classify() == serde_json::error::Category::Data => {
            AppError::field("", "invalid_value", format!("请求体中的数据有误: {e}"))
        }
        JsonPayloadError::Deserialize(e) => AppError::BadRequest {
            code: "malformed_request",
            detail: format!("请求体无法解析: {e}"),
        },
        other => AppError::BadRequest {
            code: "malformed_request",
            detail: format!("请求体无法读取: {other}"),
        },
    }
}

/// The API routes of the spec: (path segments, methods), e.g. (`["api","v1","equipment","{id}"]`,
/// `["GET","PUT"]`).
static ROUTES: std::sync::LazyLock<Vec<(Vec<String>, Vec<String>)>> =
    std::sync::LazyLock::new(|| {
        openapi::ApiDoc::openapi()
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect()
    });

/// No route answered: 405 with `Allow` when the path exists with other methods, else 404.
async fn unmatched(req: actix_web::HttpRequest) -> Result<HttpResponse, AppError> {
    Err(no_route(&req))
}

/// The answer for a request no handler takes: 405 with `Allow` when the most literal route
/// template matching the path allows other methods (`PUT /equipment/overview` is 405, not a bad
/// `{id}`), else 404.
pub(crate) fn no_route(req: &actix_web::HttpRequest) -> AppError {
    let segments: Vec<&str> = req.path().trim_matches('/').split('/').collect();
    let matches: Vec<(usize, &Vec<String>)> = ROUTES
        .iter()
        .filter(|(template, _)| {
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
        .map(|(template, methods)| {
            let placeholders = template.iter().filter(|t| t.starts_with('{')).count();
            (placeholders, methods)
        })
        .collect();
    // The most literal template wins, as in the router: `/equipment/overview`, not `/{id}`.
    let fewest = matches.iter().map(|(n, _)| *n).min();
    let mut allowed: Vec<&str> = matches
        .iter()
        .filter(|(n, _)| Some(*n) == fewest)
        .flat_map(|(_, methods)| methods.iter().map(String::as_str))
        .collect();
    allowed.sort_unstable();
    allowed.dedup();
    if allowed.is_empty() || allowed.contains(&req.method().as_str()) {
        // No such route, or the method is right and a path parameter is not (a bad id).
        AppError::NotFound
    } else {
        AppError::MethodNotAllowed {
            allow: allowed.join(", "),
        }
    }
}
