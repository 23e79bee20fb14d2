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
//! - `wechat` (WeChat Pay Native, API v3) and `alipay` (当面付 precreate): real adapters, tested
//!   against local fake provider servers with test keys.

use std::future::Future;
use std::pin::Pin;

use time::OffsetDateTime;

pub mod sandbox;

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
