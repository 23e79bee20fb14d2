//! Middleware: security headers, request logging without secrets, and request metrics.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// The CSP of the SPA: its own scripts and wasm only, no framing.
const CSP_APP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";
/// Swagger UI needs an inline bootstrap script and styles.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path().starts_with("/docs");
    let api = req.path().starts_with("/api/");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if !api && !headers.contains_key(header::CACHE_CONTROL) {
        // The SPA's files keep their names across builds: revalidate (ETag) every time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let csp = if docs { CSP_DOCS } else { CSP_APP };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    Ok(res)
}

/// (method, route pattern, status) → (requests, seconds spent).
type RouteCounters = BTreeMap<(String, String, u16), (u64, f64)>;

/// Per-route request counts and durations, and the requests being served, rendered as
/// Prometheus text.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<RouteCounters>,
    /// Requests between their head and their answer (what a graceful shutdown drains).
    in_flight: AtomicI64,
}

/// Counts a request in flight until dropped (also when the client goes away mid-request).
struct InFlight(std::sync::Arc<Metrics>);

impl InFlight {
    fn new(metrics: std::sync::Arc<Metrics>) -> Self {
        metrics.in_flight.fetch_add(1, Ordering::Relaxed);
        Self(metrics)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut map) = self.routes.lock() {
            let entry = map
                .entry((method.to_owned(), route.to_owned(), status))
                .or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += seconds;
        }
    }

    /// Prometheus exposition format.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from(
            "# HELP tejian_http_requests_total HTTP requests by method, route and status.\n\
             # TYPE tejian_http_requests_total counter\n",
        );
        let mut sums = String::from(
            "# HELP tejian_http_request_duration_seconds_sum Time spent serving requests.\n\
             # TYPE tejian_http_request_duration_seconds_sum counter\n",
        );
        if let Ok(map) = self.routes.lock() {
            for ((method, route, status), (count, secs)) in map.iter() {
                let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
                let _ = writeln!(out, "tejian_http_requests_total{{{labels}}} {count}");
                let _ = writeln!(
                    sums,
                    "tejian_http_request_duration_seconds_sum{{{labels}}} {secs:.6}"
                );
            }
        }
        out.push_str(&sums);
        let _ = write!(
            out,
            "# HELP tejian_http_requests_in_flight Requests being served (this one included).\n\
             # TYPE tejian_http_requests_in_flight gauge\n\
             tejian_http_requests_in_flight {}\n",
            self.in_flight.load(Ordering::Relaxed)
        );
        out
    }
}

/// Logs one line per request (method, route, path without query, status, duration) and counts it.
/// Query strings and bodies are never logged: they can hold personal data.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let _in_flight = metrics.clone().map(|m| InFlight::new(m.into_inner()));
    let res = next.call(req).await?;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    let route = res.request().match_pattern().unwrap_or_else(|| {
        if path.starts_with("/api/") {
            "unmatched".to_owned()
        } else {
            "static".to_owned()
        }
    });
    if let Some(m) = metrics {
        m.observe(&method, &route, status, elapsed.as_secs_f64());
    }
    tracing::info!(
        target: "tejian::http",
        method = %method,
        route = %route,
        path = %path,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(res)
}

/// How long a client may pause while sending a request body (see `Settings::client_timeout`).
#[derive(Debug, Clone, Copy)]
pub struct BodyIdleTimeout(pub std::time::Duration);

/// Hostile input at the door, for every API route:
/// - a query string with a NUL character (`%00`) is refused with 400 `invalid_query`: PostgreSQL
///   cannot compare text with NUL in it (it would answer 500), and no filter needs one;
/// - a request body must keep coming: when no piece arrives within [`BodyIdleTimeout`], reading
///   fails, the request is answered and the connection closed, so a stalled client holds nothing.
pub async fn guard_input(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    use actix_web::ResponseError as _;
    // `%00` is the only way to write NUL in a query (a raw NUL never passes the HTTP parser).
    if req.query_string().contains("%00") {
        let refused = crate::error::AppError::BadRequest {
            code: "invalid_query",
            detail: "查询参数不能包含 NUL 字符 (%00)".to_owned(),
        }
        .error_response();
        return Ok(req.into_response(refused).map_into_right_body());
    }
    if let Some(limit) = req.app_data::<web::Data<BodyIdleTimeout>>().map(|t| t.0) {
        let payload = std::mem::replace(req.parts_mut().1, actix_web::dev::Payload::None);
        match payload {
            actix_web::dev::Payload::None => {}
            payload => req.set_payload(idle_limited(payload, limit)),
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The payload, failing with `TimedOut` when the next piece takes longer than `limit`.
fn idle_limited(
    payload: actix_web::dev::Payload,
    limit: std::time::Duration,
) -> actix_web::dev::Payload {
    use futures_util::StreamExt as _;
    let stream = futures_util::stream::unfold(Some(payload), move |state| async move {
        let mut payload = state?;
        match tokio::time::timeout(limit, payload.next()).await {
            Ok(Some(item)) => Some((item, Some(payload))),
            Ok(None) => None,
            Err(_) => Some((
                Err(actix_web::error::PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "请求体发送过慢，连接已关闭",
                ))),
                // Nothing more is read after a timeout.
                None,
            )),
        }
    });
    actix_web::dev::Payload::Stream {
        // Fused: readers such as actix-multipart poll again after the end.
        payload: Box::pin(stream.fuse()),
    }
}
