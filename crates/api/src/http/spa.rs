//! Serves the built SPA (`frontend/dist`) at `/`, with `index.html` for every client-side route.
//!
//! `cargo xtask spa` also writes brotli (`.br`) and gzip -9 (`.gz`) copies of the wasm module and
//! the JavaScript next to them; a browser that accepts them gets those bytes as they are (brotli
//! is about a quarter smaller than gzip for the module, and the `Compress` middleware's on-the-fly
//! gzip is only level 1). Everything else is served as it is and compressed on the fly.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, guard, web};

const NOT_BUILT: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>tejian</title>\
<body><h1>前端尚未构建</h1><p>请在仓库根目录运行 <code>cargo xtask spa</code>（或 <code>cargo xtask run</code>），\
或设置 <code>TEJIAN_SPA_DIR</code>。API 文档见 <a href=\"/docs/\">/docs/</a>。</p></body></html>";

/// The top-level files that may have precompressed copies (the build writes them for these).
const PRECOMPRESSED_PATH: &str = r"/{file:[A-Za-z0-9_.-]+\.(?:wasm|js)}";

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
    let dir = spa_dir.clone();
    cfg.service(
        web::resource(PRECOMPRESSED_PATH)
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .to(move |req: HttpRequest, file: web::Path<String>| {
                let dir = dir.clone();
                async move { asset(&req, &dir, &file.into_inner()).await }
            }),
    );
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

/// One asset: its brotli or gzip copy when the browser takes it and the copy is at least as new
/// as the file, else the file; `index.html` for a name that does not exist (as `Files` does).
async fn asset(req: &HttpRequest, dir: &Path, name: &str) -> actix_web::Result<HttpResponse> {
    let path = dir.join(name);
    let Ok(meta) = tokio::fs::metadata(&path).await else {
        let index = NamedFile::open_async(dir.join("index.html")).await?;
        return Ok(index.into_response(req));
    };
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = actix_files::file_extension_to_mime(ext);
    for (encoding, suffix) in [
        (ContentEncoding::Brotli, "br"),
        (ContentEncoding::Gzip, "gz"),
    ] {
        if !accepts(accepted, encoding.as_str()) {
            continue;
        }
        let copy = dir.join(format!("{name}.{suffix}"));
        let fresh = match (tokio::fs::metadata(&copy).await, meta.modified()) {
            (Ok(c), Ok(original)) => c.modified().is_ok_and(|m| m >= original),
            _ => false,
        };
        if !fresh {
            continue;
        }
        let file = NamedFile::open_async(&copy)
            .await?
            .set_content_type(mime.clone())
            .set_content_encoding(encoding)
            .disable_content_disposition();
        let mut res = file.into_response(req);
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        return Ok(res);
    }
    let file = NamedFile::open_async(&path).await?;
    let mut res = file.into_response(req);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// Whether an `Accept-Encoding` value accepts `coding` (named, or `*`, with a q-value above 0).
fn accepts(header: &str, coding: &str) -> bool {
    let mut star = false;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            return q > 0.0;
        }
        if name == "*" {
            star = q > 0.0;
        }
    }
    star
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("identity", "gzip"));
    }
}
