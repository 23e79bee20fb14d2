//! tejian-client: the typed client of the tejian REST API.
//!
//! Every other program talks to the API through this crate: the SPA (wasm32), the back-office CLI
//! and the integration tests (native). The typestate mirrors the API: an anonymous [`Client`] can
//! read public data and log in; logging in yields an [`AuthedClient`], which refreshes its access
//! token by itself once when the server answers 401.

mod conversations;
mod enterprise;
#[cfg(target_arch = "wasm32")]
mod fetch;
mod inspection;
mod notifications;
mod payments;
mod registrations;

use std::sync::{Arc, Mutex};

use http::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tejian_contract::API_BASE;
use tejian_contract::auth::{LoginRequest, RefreshRequest, TokenResponse};
use tejian_contract::equipment::{
    EquipmentDetail, EquipmentQuery, EquipmentSummary, ExportFormat, ImportReport, Overview,
    TimelineEvent,
};
use tejian_contract::files::StoredFileInfo;
use tejian_contract::list::{Page, PageQuery};
use tejian_contract::me::{ChangePassword, Me, UpdateMe};
use tejian_contract::problem::Problem;
use tejian_contract::reference::{Bureau, CatalogueEntry, District, Office};
use tejian_contract::status_change::{Decision, NewStatusChange, StatusChange, StatusChangeQuery};
use tejian_contract::system::Health;

/// The HTTP layer: reqwest natively; in the browser (wasm32) a small stand-in on `fetch` with the
/// same names (see `fetch.rs`), so the SPA does not carry reqwest's URL and header machinery.
pub mod http {
    #[cfg(target_arch = "wasm32")]
    pub use crate::fetch::{Body, Client, Method, RequestBuilder, Response, StatusCode, multipart};
    #[cfg(not(target_arch = "wasm32"))]
    pub use reqwest::{Body, Client, Method, RequestBuilder, Response, StatusCode, multipart};
}

/// What can go wrong calling the API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a problem (RFC 9457).
    #[error("{0}")]
    Api(Problem),
    /// The request never got an answer (network, server down).
    #[error("无法连接服务器: {0}")]
    Transport(String),
    /// The answer was not what the contract says.
    #[error("服务器响应无法解析: {0}")]
    Decode(String),
}

impl Error {
    /// The problem's machine code, if the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(p) => Some(&p.code),
            _ => None,
        }
    }

    /// The HTTP status of an API problem.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(p) => Some(p.status),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// An anonymous client: public endpoints and login.
#[derive(Debug, Clone)]
pub struct Client {
    http: http::Client,
    base: String,
}

impl Client {
    /// A client for the server at `base_url` (e.g. `http://127.0.0.1:8080`; empty for the SPA's
    /// own origin).
    pub fn new(base_url: &str) -> Self {
        Self {
            http: http::Client::new(),
            base: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The full URL of an API path (`/auth/login` → `…/api/v1/auth/login`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{API_BASE}{path}", self.base)
    }

    /// A raw request builder for an API path, for callers that need headers the typed calls do not
    /// set (tests, file downloads).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// 登录. Returns the authenticated client and the token response.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<(AuthedClient, TokenResponse)> {
        self.login_with(&LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
            use_cookie: false,
        })
        .await
    }

    /// 登录 with full control over the request (the SPA sets `use_cookie`).
    pub async fn login_with(
        &self,
        request: &LoginRequest,
    ) -> Result<(AuthedClient, TokenResponse)> {
        let tokens: TokenResponse =
            send(self.request(Method::POST, "/auth/login").json(request)).await?;
        let authed = AuthedClient::from_tokens(self.clone(), &tokens, request.use_cookie);
        Ok((authed, tokens))
    }

    /// Exchanges a refresh token (or, with `None` in a browser, the refresh cookie) for new tokens.
    pub async fn refresh(&self, refresh_token: Option<&str>) -> Result<TokenResponse> {
        let body = RefreshRequest {
            refresh_token: refresh_token.map(str::to_owned),
        };
        send(self.request(Method::POST, "/auth/refresh").json(&body)).await
    }

    /// Resumes a session in a browser from the refresh cookie alone (after a page reload).
    pub async fn resume_from_cookie(&self) -> Result<(AuthedClient, TokenResponse)> {
        let tokens = self.refresh(None).await?;
        Ok((
            AuthedClient::from_tokens(self.clone(), &tokens, true),
            tokens,
        ))
    }

    /// A client for an access token obtained elsewhere (the CLI's saved session, an API token).
    pub fn with_token(&self, access_token: &str, refresh_token: Option<String>) -> AuthedClient {
        AuthedClient {
            anon: self.clone(),
            session: Arc::new(Mutex::new(Session {
                access_token: access_token.to_owned(),
                refresh: refresh_token.map_or(RefreshVia::None, RefreshVia::Token),
            })),
        }
    }

    /// `GET /healthz`.
    pub async fn health(&self) -> Result<Health> {
        send(self.http.get(format!("{}/healthz", self.base))).await
    }

    /// 特种设备目录.
    pub async fn categories(&self) -> Result<Vec<CatalogueEntry>> {
        send(self.request(Method::GET, "/reference/categories")).await
    }

    /// 辖区.
    pub async fn districts(&self) -> Result<Vec<District>> {
        send(self.request(Method::GET, "/reference/districts")).await
    }

    /// 监管局.
    pub async fn bureaus(&self) -> Result<Vec<Bureau>> {
        send(self.request(Method::GET, "/reference/bureaus")).await
    }

    /// 检验院办事机构.
    pub async fn offices(&self) -> Result<Vec<Office>> {
        send(self.request(Method::GET, "/reference/offices")).await
    }
}

#[derive(Debug, Clone)]
enum RefreshVia {
    /// No way to refresh: the caller must log in again.
    None,
    /// A refresh token kept by this client (API clients, the CLI).
    Token(String),
    /// The browser's HttpOnly cookie.
    Cookie,
}

#[derive(Debug)]
struct Session {
    access_token: String,
    refresh: RefreshVia,
}

/// A client acting for a signed-in user.
#[derive(Debug, Clone)]
pub struct AuthedClient {
    anon: Client,
    session: Arc<Mutex<Session>>,
}

impl AuthedClient {
    fn from_tokens(anon: Client, tokens: &TokenResponse, cookie: bool) -> Self {
        let refresh = match (&tokens.refresh_token, cookie) {
            (Some(t), _) => RefreshVia::Token(t.clone()),
            (None, true) => RefreshVia::Cookie,
            (None, false) => RefreshVia::None,
        };
        Self {
            anon,
            session: Arc::new(Mutex::new(Session {
                access_token: tokens.access_token.clone(),
                refresh,
            })),
        }
    }

    /// The anonymous side of this client.
    pub fn anonymous(&self) -> &Client {
        &self.anon
    }

    /// The current access token.
    pub fn access_token(&self) -> String {
        self.session
            .lock()
            .map(|s| s.access_token.clone())
            .unwrap_or_default()
    }

    /// The refresh token this client holds, if it holds one (not in cookie mode).
    pub fn refresh_token(&self) -> Option<String> {
        match self.session.lock().map(|s| s.refresh.clone()) {
            Ok(RefreshVia::Token(t)) => Some(t),
            _ => None,
        }
    }

    /// Refreshes the access token now (rotating the refresh token).
    pub async fn refresh(&self) -> Result<TokenResponse> {
        let via = self
            .session
            .lock()
            .map(|s| s.refresh.clone())
            .unwrap_or(RefreshVia::None);
        let tokens = match &via {
            RefreshVia::None => {
                return Err(Error::Api(Problem::new(401, "unauthenticated", "请先登录")));
            }
            RefreshVia::Token(t) => self.anon.refresh(Some(t)).await?,
            RefreshVia::Cookie => self.anon.refresh(None).await?,
        };
        if let Ok(mut s) = self.session.lock() {
            s.access_token = tokens.access_token.clone();
            if let Some(t) = &tokens.refresh_token {
                s.refresh = RefreshVia::Token(t.clone());
            }
        }
        Ok(tokens)
    }

    /// Runs an authorised call; when the access token has expired, refreshes once and retries.
    async fn with_refresh<T, F, Fut>(&self, attempt: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        match attempt(self.access_token()).await {
            Err(Error::Api(p)) if p.status == 401 && p.code == "token_expired" => {
                self.refresh().await?;
                attempt(self.access_token()).await
            }
            other => other,
        }
    }

    /// Sends an authorised request and decodes its JSON answer.
    async fn call<T: DeserializeOwned>(
        &self,
        build: impl Fn(&Client) -> RequestBuilder + Send + Sync,
    ) -> Result<T> {
        // The JSON decoding is the only per-type code of a call.
        serde_json::from_slice(&self.call_bytes(&build).await?).map_err(decode_error)
    }

    /// The untyped part of [`Self::call`]: one copy of the request and refresh code in the SPA's
    /// wasm instead of one per answer type (the generic version cost about 40 KB).
    async fn call_bytes(
        &self,
        build: &(dyn Fn(&Client) -> RequestBuilder + Send + Sync),
    ) -> Result<Vec<u8>> {
        self.with_refresh(|token| send_bytes(build(&self.anon).bearer_auth(token)))
            .await
    }

    /// 退出登录: revokes the refresh token (or cookie session).
    pub async fn logout(&self) -> Result<()> {
        let body = RefreshRequest {
            refresh_token: self.refresh_token(),
        };
        let rb = self
            .anon
            .request(Method::POST, "/auth/logout")
            .bearer_auth(self.access_token())
            .json(&body);
        send_empty(rb).await
    }

    /// 当前用户.
    pub async fn me(&self) -> Result<Me> {
        self.call(|c| c.request(Method::GET, "/me")).await
    }

    /// 修改个人资料.
    pub async fn update_me(&self, update: &UpdateMe) -> Result<Me> {
        self.call(|c| c.request(Method::PUT, "/me").json(update))
            .await
    }

    /// 修改密码. The server ends every other session of the user.
    pub async fn change_password(&self, change: &ChangePassword) -> Result<()> {
        self.with_refresh(|token| {
            send_empty(
                self.anon
                    .request(Method::PUT, "/me/password")
                    .bearer_auth(token)
                    .json(change),
            )
        })
        .await
    }

    /// 设备列表 with paging only (the user's own enterprise; staff see all).
    pub async fn equipment(&self, page: PageQuery) -> Result<Page<EquipmentSummary>> {
        self.call(|c| c.request(Method::GET, "/equipment").query(&page))
            .await
    }

    /// 设备查询: filters, views (超期 / 不合格 / 非在用 / 即将到期), sorting and paging.
    pub async fn equipment_search(&self, query: &EquipmentQuery) -> Result<Page<EquipmentSummary>> {
        let mut query = query.clone();
        query.format = None;
        self.call(|c| c.request(Method::GET, "/equipment").query(&query))
            .await
    }

    /// 导出: the whole filtered list as CSV (UTF-8 with BOM) or XLSX bytes, Chinese headers.
    pub async fn equipment_export(
        &self,
        query: &EquipmentQuery,
        format: ExportFormat,
    ) -> Result<Vec<u8>> {
        let mut query = query.clone();
        query.format = Some(format);
        query.page = None;
        query.per_page = None;
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, "/equipment")
                    .query(&query)
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 设备总览: counts per category and state.
    pub async fn equipment_overview(&self) -> Result<Overview> {
        self.call(|c| c.request(Method::GET, "/equipment/overview"))
            .await
    }

    /// 设备档案: basic information, parameters and inspections.
    pub async fn equipment_by_id(&self, id: i64) -> Result<EquipmentDetail> {
        self.call(|c| c.request(Method::GET, &format!("/equipment/{id}")))
            .await
    }

    /// 设备时间线: every dated event, newest first.
    pub async fn equipment_timeline(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        self.call(|c| c.request(Method::GET, &format!("/equipment/{id}/timeline")))
            .await
    }

    /// 上传附件 (PDF, JPEG or PNG, at most 10 MB).
    pub async fn upload_file(&self, file_name: &str, bytes: Vec<u8>) -> Result<StoredFileInfo> {
        self.with_refresh(|token| {
            let part = http::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_owned());
            let form = http::multipart::Form::new().part("file", part);
            send(
                self.anon
                    .request(Method::POST, "/files")
                    .multipart(form)
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 下载附件.
    pub async fn download_file(&self, id: &str) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, &format!("/files/{id}"))
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 提交变更申请; `idempotency_key` makes a retry return the first result.
    pub async fn submit_status_change(
        &self,
        equipment_id: i64,
        request: &NewStatusChange,
        idempotency_key: Option<&str>,
    ) -> Result<StatusChange> {
        self.call(|c| {
            let rb = c
                .request(
                    Method::POST,
                    &format!("/equipment/{equipment_id}/status-changes"),
                )
                .json(request);
            match idempotency_key {
                Some(key) => rb.header("Idempotency-Key", key),
                None => rb,
            }
        })
        .await
    }

    /// 历史变更记录 of one piece of equipment.
    pub async fn status_change_history(&self, equipment_id: i64) -> Result<Vec<StatusChange>> {
        self.call(|c| {
            c.request(
                Method::GET,
                &format!("/equipment/{equipment_id}/status-changes"),
            )
        })
        .await
    }

    /// 变更申请列表 (a bureau's queue with `state: submitted`).
    pub async fn status_changes(&self, query: &StatusChangeQuery) -> Result<Page<StatusChange>> {
        self.call(|c| c.request(Method::GET, "/status-changes").query(query))
            .await
    }

    /// 批准 (bureau).
    pub async fn approve_status_change(
        &self,
        id: i64,
        opinion: Option<&str>,
    ) -> Result<StatusChange> {
        let decision = Decision {
            opinion: opinion.map(str::to_owned),
        };
        self.call(|c| {
            c.request(Method::POST, &format!("/status-changes/{id}/approve"))
                .json(&decision)
        })
        .await
    }

    /// 驳回 (bureau); the opinion is required.
    pub async fn reject_status_change(&self, id: i64, opinion: &str) -> Result<StatusChange> {
        let decision = Decision {
            opinion: Some(opinion.to_owned()),
        };
        self.call(|c| {
            c.request(Method::POST, &format!("/status-changes/{id}/reject"))
                .json(&decision)
        })
        .await
    }

    /// 导入模板 (institute) for the parameter family of `variety`: CSV (the header row, UTF-8 with
    /// BOM) or an XLSX workbook (header row, then a sheet of notes).
    pub async fn import_template(&self, variety: &str, format: ExportFormat) -> Result<Vec<u8>> {
        self.with_refresh(|token| {
            send_bytes(
                self.anon
                    .request(Method::GET, "/equipment/import-template")
                    .query(&[("variety", variety)])
                    .query(&[("format", format)])
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// 批量导入 (institute): all rows of a CSV or XLSX file, or none with every problem listed.
    /// `content_type` is `text/csv` or [`tejian_contract::equipment::XLSX_CONTENT_TYPE`] (the
    /// server also looks at the bytes).
    pub async fn import_equipment(
        &self,
        variety: &str,
        content_type: &str,
        file: Vec<u8>,
    ) -> Result<ImportReport> {
        self.import_equipment_with(variety, content_type, || http::Body::from(file.clone()))
            .await
    }

    /// [`Self::import_equipment`] with the request body made by `body` for each attempt (a retry
    /// after refreshing an expired token makes it anew), e.g. a stream that reports progress.
    pub async fn import_equipment_with(
        &self,
        variety: &str,
        content_type: &str,
        body: impl Fn() -> http::Body,
    ) -> Result<ImportReport> {
        self.with_refresh(|token| {
            send(
                self.anon
                    .request(Method::POST, "/equipment/import")
                    .query(&[("variety", variety)])
                    .header("content-type", content_type)
                    .body(body())
                    .bearer_auth(token),
            )
        })
        .await
    }

    /// A POST of any API path with a JSON body, decoded as `T` (staff endpoints without a typed
    /// call yet).
    pub async fn post_json<B: Serialize + Sync, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.call(|c| c.request(Method::POST, path).json(body))
            .await
    }

    /// A PUT of any API path with a JSON body, decoded as `T`.
    pub async fn put_json<B: Serialize + Sync, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.call(|c| c.request(Method::PUT, path).json(body)).await
    }

    /// A GET of any API path with this user's token, decoded as `T` (for endpoints newer than the
    /// typed calls).
    pub async fn get_json<T: DeserializeOwned, Q: Serialize + Sync>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T> {
        self.call(|c| c.request(Method::GET, path).query(query))
            .await
    }
}

/// Sends a request and decodes a JSON body, or the problem on failure.
async fn send<T: DeserializeOwned>(rb: RequestBuilder) -> Result<T> {
    serde_json::from_slice(&send_bytes(rb).await?).map_err(decode_error)
}

fn decode_error(e: serde_json::Error) -> Error {
    Error::Decode(e.to_string())
}

/// Sends a request and returns the raw body bytes (downloads).
async fn send_bytes(rb: RequestBuilder) -> Result<Vec<u8>> {
    let response = rb
        .send()
        .await
        .map_err(|e| Error::Transport(e.to_string()))?;
    let status = response.status();
    if status.is_success() {
        response
            .bytes()
            .await
            .map(Vec::from)
            .map_err(|e| Error::Decode(e.to_string()))
    } else {
        Err(problem_of(status, response).await)
    }
}

/// Sends a request whose success has no body.
async fn send_empty(rb: RequestBuilder) -> Result<()> {
    let response = rb
        .send()
        .await
        .map_err(|e| Error::Transport(e.to_string()))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(problem_of(status, response).await)
    }
}

async fn problem_of(status: StatusCode, response: http::Response) -> Error {
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<Problem>(&text) {
        Ok(p) => Error::Api(p),
        Err(_) => Error::Api(
            Problem::new(status.as_u16(), "http_error", "服务器返回错误")
                .with_detail(format!("HTTP {status}")),
        ),
    }
}
