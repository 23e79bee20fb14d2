//! tejian-payments: the payment providers behind one trait (DOMAIN §9.4).
//!
//! A provider turns a payment (an `out_trade_no`, an amount in 分, a deadline) into a QR code,
//! verifies and reads the provider's signed callback, and answers queries, closes and refunds.
//! Money is integer 分 here; the service converts from `Money` at the edge. Nothing in this
//! crate touches the database: the API's payment service decides what a verified event means.
//!
//! Providers:
//! - [`sandbox::Sandbox`]: for local runs, demos and tests. Its QR code links to a simulated payer
//!   page of the server itself, which "pays" by sending the same kind of signed callback a real
//!   provider sends (HMAC-SHA256 with a server secret).
//! - [`wechat::WechatPay`] (微信支付 Native, API v3) and [`alipay::Alipay`] (支付宝当面付,
//!   `alipay.trade.precreate`): the real adapters, tested against local fake provider servers
//!   that sign with test keys. Real providers only answer over https: build this crate with its
//!   `tls` feature wherever one is configured (without it an `https://` base URL is refused at
//!   construction, so the mistake shows at start-up, not at the first payment).
//!
//! What the adapters check and what is left to the service: an adapter verifies a callback's
//! signature (and, for WeChat Pay, its age and decryption) before it reads anything, and maps
//! the provider's fields onto [`ProviderPayment`]. It does **not** decide whether the payment is
//! ours: the service must compare `amount_fen` with the payment's amount, `currency` with
//! `CNY`, `merchant_id` with [`PaymentProvider::merchant_id`], and `out_trade_no` with an
//! attempt it issued, and treat duplicates idempotently.

use std::future::Future;
use std::pin::Pin;

use time::OffsetDateTime;

pub mod alipay;
mod keys;
pub mod sandbox;
pub mod wechat;

/// A boxed future, so the trait stays object-safe (`Arc<dyn PaymentProvider>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a provider call failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The callback's signature (or decryption) did not verify: nothing may change.
    #[error("signature verification failed: {0}")]
    BadSignature(String),
    /// The callback or answer could not be read.
    #[error("malformed message: {0}")]
    Malformed(String),
    /// The provider could not be reached, or answered with an error.
    #[error("provider error: {0}")]
    Provider(String),
    /// The adapter is misconfigured (keys, ids).
    #[error("configuration: {0}")]
    Config(String),
}

/// A payment to put before the payer.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// Our id of the attempt, unique per merchant: `[0-9A-Za-z_]`, at most 32 characters.
    pub out_trade_no: String,
    /// The amount in 分 (> 0).
    pub amount_fen: i64,
    /// What is paid for, e.g. `检验费 缴款通知书 2633050000000000042x`.
    pub description: String,
    /// When the QR code stops working.
    pub expires_at: OffsetDateTime,
    /// Where the provider sends its callback (https for real providers).
    pub notify_url: String,
}

/// The QR code of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPayment {
    /// What the QR code encodes (`weixin://wxpay/bizpayurl?…`, `https://qr.alipay.com/…`, or the
    /// sandbox payer page).
    pub qr_text: String,
    pub expires_at: OffsetDateTime,
}

/// What a verified callback or a query says about a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPayment {
    pub out_trade_no: String,
    /// The provider's transaction id, once paid.
    pub transaction_id: Option<String>,
    pub status: ProviderStatus,
    /// The amount the provider says was paid, in 分 (compare with ours before believing it).
    pub amount_fen: Option<i64>,
    /// `CNY` unless the provider says otherwise.
    pub currency: String,
    /// The merchant (and app) the callback is for (compare with ours).
    pub merchant_id: Option<String>,
    pub paid_at: Option<OffsetDateTime>,
}

/// A provider's view of one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Waiting for the payer.
    Pending,
    Paid,
    Closed,
    Refunded,
    Failed,
    /// The provider does not know it (before the payer scanned, for Alipay).
    NotFound,
}

/// A refund to ask for.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub out_trade_no: String,
    pub out_refund_no: String,
    pub refund_fen: i64,
    pub total_fen: i64,
    pub reason: String,
}

/// The answer a provider expects from our callback endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// One payment provider.
pub trait PaymentProvider: Send + Sync + std::fmt::Debug {
    /// `sandbox`, `wechat` or `alipay`.
    fn name(&self) -> &'static str;

    /// Our merchant id as callbacks carry it (checked against every callback).
    fn merchant_id(&self) -> &str;

    /// Creates the payment at the provider and returns its QR code.
    fn create_qr<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, Result<QrPayment, ProviderError>>;

    /// Verifies a callback's signature **before anything else**, then reads it. `headers` are
    /// the request's headers with lower-case names.
    fn verify_callback(
        &self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<ProviderPayment, ProviderError>;

    /// Asks the provider for the payment's status (reconciliation of pending payments).
    fn query<'a>(
        &'a self,
        out_trade_no: &'a str,
    ) -> BoxFuture<'a, Result<ProviderPayment, ProviderError>>;

    /// Closes an unpaid payment (expired, or replaced by another attempt).
    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// Refunds (part of) a paid payment.
    fn refund<'a>(&'a self, refund: &'a RefundRequest) -> BoxFuture<'a, Result<(), ProviderError>>;

    /// The answer to a callback: accepted, or not (the provider retries then).
    fn ack(&self, accepted: bool) -> Ack;
}

/// Random characters for nonces: letters and digits.
pub fn nonce(len: usize) -> Result<String, ProviderError> {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(|e| ProviderError::Config(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CHARS[usize::from(*b) % CHARS.len()]))
        .collect())
}

/// A header's value by case-insensitive name.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The HTTP client of a real provider at `base_url` (http or https; https needs the `tls`
/// feature).
pub(crate) fn http_client(base_url: &str) -> Result<reqwest::Client, ProviderError> {
    let url = reqwest::Url::parse(base_url)
        .map_err(|e| ProviderError::Config(format!("base URL {base_url:?}: {e}")))?;
    match url.scheme() {
        "https" if !cfg!(feature = "tls") => {
            return Err(ProviderError::Config(format!(
                "{base_url} is https: build tejian-payments with the `tls` feature"
            )));
        }
        "http" | "https" => {}
        other => {
            return Err(ProviderError::Config(format!(
                "base URL {base_url:?}: unsupported scheme {other}"
            )));
        }
    }
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(20))
        .user_agent(concat!("tejian-payments/", env!("CARGO_PKG_VERSION")))
        // A redirect would change the signed URL; the providers do not redirect API calls.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ProviderError::Config(format!("HTTP client: {e}")))
}

/// Checks an id we send to a provider (`out_trade_no`, `out_refund_no`): 1 to `max` characters
/// of `[0-9A-Za-z_]`, so it is safe in a URL path and valid for both providers.
pub(crate) fn check_id(what: &str, id: &str, max: usize) -> Result<(), ProviderError> {
    if id.is_empty()
        || id.len() > max
        || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(ProviderError::Provider(format!(
            "{what} {id:?} must be 1-{max} characters of [0-9A-Za-z_]"
        )));
    }
    Ok(())
}

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
pub(crate) fn truncate_bytes(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// UTC+8, the time zone both providers speak.
pub(crate) const BEIJING: time::UtcOffset = time::macros::offset!(+8);
