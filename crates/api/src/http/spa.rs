//! Serves the built SPA (`frontend/dist`) at `/`, with `index.html` for every client-side route.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::{HttpResponse, web};

const NOT_BUILT: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>tejian</title>\
<body><h1>前端尚未构建</h1><p>请在仓库根目录运行 <code>cargo xtask spa</code>（或 <code>cargo xtask run</code>），\
或设置 <code>TEJIAN_SPA_DIR</code>。API 文档见 <a href=\"/docs/\">/docs/</a>。</p></body></html>";

pub fn configure(cfg: &mut web::ServiceConfig, spa_dir: PathBuf) {
    let index = spa_dir.join("index.html");
    if !index.is_file() {
        cfg.default_service(web::to(|req: actix_web::HttpRequest| async move {
            // Like the built SPA's file service: pages answer GET and HEAD only.
            if !matches!(*req.method(), Method::GET | Method::HEAD) {
                return Err(super::no_route(&req));
            }
            Ok(HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(NOT_BUILT))
        }));
        return;
    }
    // Other methods fall through to 405 (with `Allow`, for a known route such as `/healthz`) or
    // 404, as problem+json.
    cfg.default_service(web::to(|req: actix_web::HttpRequest| async move {
        Err::<HttpResponse, _>(super::no_route(&req))
    }));
    cfg.service(
        Files::new("/", spa_dir)
            .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
            .index_file("index.html")
            .use_etag(true)
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move {
                    let (req, _) = req.into_parts();
                    let file = NamedFile::open_async(&index).await?;
                    let res = file.into_response(&req);
                    Ok(ServiceResponse::new(req, res))
                }
            })),
    );
}
