//! 微信支付 Native (API v3): the payer scans a `weixin://wxpay/bizpayurl?pr=…` QR code.
//!
//! # Calls
//!
//! | what | request | success |
//! | --- | --- | --- |
//! | [`create_qr`](PaymentProvider::create_qr) | `POST /v3/pay/transactions/native` `{appid, mchid, description, out_trade_no, time_expire, notify_url, amount{total, currency:"CNY"}}` | 200 `{code_url}` |
//! | [`query`](PaymentProvider::query) | `GET /v3/pay/transactions/out-trade-no/{no}?mchid=…` | 200 transaction; 404 `ORDER_NOT_EXIST` → [`ProviderStatus::NotFound`] |
//! | [`close`](PaymentProvider::close) | `POST /v3/pay/transactions/out-trade-no/{no}/close` `{mchid}` | 204 |
//! | [`refund`](PaymentProvider::refund) | `POST /v3/refund/domestic/refunds` `{out_trade_no, out_refund_no, reason, amount{refund, total, currency}}` | 200 with `status` `SUCCESS` or `PROCESSING` |
//!
//! `time_expire` is RFC 3339 in +08:00 without fractions (`2026-05-01T10:34:56+08:00`);
//! `description` is cut to 127 bytes.
//!
//! # Signing our requests
//!
//! `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`,
//! where `signature` is base64 of SHA256withRSA (PKCS#1 v1.5) with the merchant API private key
//! over five lines, each ending in `\n` (the last one too):
//!
//! ```text
//! METHOD\nPATH[?QUERY]\nunix-timestamp\nnonce\nbody\n
//! ```
//!
//! The path is the absolute URL path with the query string; the body is the exact JSON sent
//! (empty for GET). Sources: 微信支付 "签名生成",
//! <https://pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/wechatpay4_0.shtml> and
//! <https://wechatpay-api.gitbook.io/wechatpay-api-v3/qian-ming-zhi-nan-1/qian-ming-sheng-cheng>
//! (both show `GET\n/v3/certificates\n1554208460\n593BEC0C…\n\n`).
//!
//! # Verifying answers and callbacks
//!
//! WeChat Pay signs its answers and callbacks the same way: headers `Wechatpay-Timestamp`,
//! `Wechatpay-Nonce`, `Wechatpay-Signature` (base64), `Wechatpay-Serial` (the 微信支付公钥ID
//! `PUB_KEY_ID_…` or the platform certificate serial), signature SHA256withRSA over three lines
//! `timestamp\nnonce\nbody\n` (an empty body, as in a 204, leaves the last line a lone `\n`).
//! Source: "构造验签串",
//! <https://pay.weixin.qq.com/docs/merchant/development/interface-rules/build-verify-sign-src.html>.
//!
//! Every 2xx answer is verified (an unsigned or badly signed one is
//! [`ProviderError::BadSignature`]); error answers are not trusted for anything but their
//! message. A callback is checked in this order, and nothing is read before the first two pass:
//!
//! 1. `Wechatpay-Serial` must be the configured platform key id, and the signature must verify
//!    with the configured platform public key over the raw body → else `BadSignature`;
//! 2. `Wechatpay-Timestamp` must be within 5 minutes of now → else `BadSignature` (replay);
//! 3. the body is read: `resource.algorithm` must be `AEAD_AES_256_GCM` and
//!    `resource.original_type` `transaction` (else `Malformed`);
//! 4. `resource.ciphertext` (base64, the 16-byte tag at its end, RFC 5116) is decrypted with
//!    AES-256-GCM, the APIv3 key, `resource.nonce` (12 bytes) and `resource.associated_data`;
//!    a failure is `BadSignature`. Source: "如何解密证书和回调报文",
//!    <https://pay.weixin.qq.com/docs/merchant/development/interface-rules/certificate-callback-decryption.html>;
//! 5. the transaction is mapped: `trade_state` SUCCESS → Paid, NOTPAY/USERPAYING → Pending,
//!    CLOSED/REVOKED → Closed, REFUND → Refunded, PAYERROR → Failed (anything else:
//!    `Malformed`); `amount.total` → `amount_fen`; `amount.currency` → `currency`;
//!    `transaction_id`; `success_time` → `paid_at`; and `"{mchid}/{appid}"` → `merchant_id`.
//!
//! # What the service must still compare
//!
//! `merchant_id` against [`WechatPay::merchant_id`] (`"{mchid}/{appid}"`: one comparison checks
//! both), `amount_fen` against the payment (it is the order total; `payer_total` may be lower
//! with coupons), `currency` against `CNY`, and `out_trade_no` against an attempt it issued.
//! Callbacks repeat: handle them idempotently.
//!
//! # Answering callbacks
//!
//! Accepted: 204 without a body. Rejected: 400 `{"code":"FAIL","message":"…"}`; WeChat Pay
//! retries then.
//!
//! # Not covered
//!
//! One platform key at a time (rotation: configure the new key when WeChat Pay switches; a
//! callback signed with another serial is rejected and retried later). Platform certificates are
//! not downloaded or parsed: give the public key (微信支付公钥, or `openssl x509 -pubkey -noout`
//! of the certificate). Refund notices (`REFUND.SUCCESS`) are not read; no refund `notify_url` is
//! sent, so they go to the URL configured in the merchant platform.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::{
    Ack, BEIJING, BoxFuture, NewPayment, PaymentProvider, ProviderError, ProviderPayment,
    ProviderStatus, QrPayment, RefundRequest, check_id, header, keys, truncate_bytes,
};

/// The production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.mch.weixin.qq.com";

/// How far a callback's timestamp may be from now.
const MAX_AGE_SECONDS: i64 = 300;

/// The configuration of a WeChat Pay merchant (直连商户).
#[derive(Clone)]
pub struct WechatPayConfig {
    /// The app (公众号/小程序/移动应用) bound to the merchant, e.g. `wx8888888888888888`.
    pub appid: String,
    /// The merchant id (商户号), e.g. `1900000109`.
    pub mchid: String,
    /// The merchant API private key (`apiclient_key.pem`; PKCS#8 or PKCS#1 PEM, RSA 2048).
    pub merchant_private_key_pem: String,
    /// The serial number of the merchant API certificate (商户API证书序列号).
    pub merchant_serial_no: String,
    /// The APIv3 key (APIv3密钥): exactly 32 bytes.
    pub apiv3_key: String,
    /// The WeChat Pay public key (微信支付公钥, SPKI PEM) that signs answers and callbacks.
    pub platform_public_key_pem: String,
    /// Its id as `Wechatpay-Serial` carries it (`PUB_KEY_ID_…`, or the platform certificate
    /// serial).
    pub platform_key_id: String,
    /// [`DEFAULT_BASE_URL`], or a fake's address in tests.
    pub base_url: String,
}

impl WechatPayConfig {
    /// A configuration against the production host.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        appid: &str,
        mchid: &str,
        merchant_private_key_pem: &str,
        merchant_serial_no: &str,
        apiv3_key: &str,
        platform_public_key_pem: &str,
        platform_key_id: &str,
    ) -> Self {
        Self {
            appid: appid.to_owned(),
            mchid: mchid.to_owned(),
            merchant_private_key_pem: merchant_private_key_pem.to_owned(),
            merchant_serial_no: merchant_serial_no.to_owned(),
            apiv3_key: apiv3_key.to_owned(),
            platform_public_key_pem: platform_public_key_pem.to_owned(),
            platform_key_id: platform_key_id.to_owned(),
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }
}

impl fmt::Debug for WechatPayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatPayConfig")
            .field("appid", &self.appid)
            .field("mchid", &self.mchid)
            .field("merchant_private_key_pem", &"<redacted>")
            .field("merchant_serial_no", &self.merchant_serial_no)
            .field("apiv3_key", &"<redacted>")
            .field("platform_key_id", &self.platform_key_id)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// The WeChat Pay Native adapter.
pub struct WechatPay {
    appid: String,
    mchid: String,
    merchant_id: String,
    serial_no: String,
    platform_key_id: String,
    /// Scheme and host (no trailing slash) …
    origin: String,
    /// … and the path prefix of the base URL (usually empty), which is part of the signed path.
    prefix: String,
    signing: SigningKey<Sha256>,
    platform: VerifyingKey<Sha256>,
    aead: Aes256Gcm,
    http: reqwest::Client,
}

impl fmt::Debug for WechatPay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatPay")
            .field("appid", &self.appid)
            .field("mchid", &self.mchid)
            .field("serial_no", &self.serial_no)
            .field("platform_key_id", &self.platform_key_id)
            .field("base_url", &format!("{}{}", self.origin, self.prefix))
            .finish_non_exhaustive()
    }
}

/// An answer of the API (its signature checked if it is a 2xx).
struct Answer {
    status: u16,
    body: Vec<u8>,
}

#[derive(Deserialize)]
struct ApiError {
    code: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Notice {
    #[serde(default)]
    event_type: String,
    resource: Resource,
}

#[derive(Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    #[serde(default)]
    associated_data: Option<String>,
    nonce: String,
    #[serde(default)]
    original_type: Option<String>,
}

#[derive(Deserialize)]
struct Transaction {
    appid: Option<String>,
    mchid: Option<String>,
    out_trade_no: String,
    transaction_id: Option<String>,
    trade_state: String,
    success_time: Option<String>,
    amount: Option<TransactionAmount>,
}

#[derive(Deserialize)]
struct TransactionAmount {
    total: Option<i64>,
    currency: Option<String>,
}

impl WechatPay {
    /// Reads the keys and checks the configuration.
    pub fn new(config: WechatPayConfig) -> Result<Self, ProviderError> {
        for (what, value) in [
            ("appid", &config.appid),
            ("mchid", &config.mchid),
            ("merchant_serial_no", &config.merchant_serial_no),
            ("platform_key_id", &config.platform_key_id),
        ] {
            if value.trim().is_empty() || value.contains(['"', ',', '/', '\n']) {
                return Err(ProviderError::Config(format!(
                    "wechat {what} is empty or invalid"
                )));
            }
        }
        if config.apiv3_key.len() != 32 {
            return Err(ProviderError::Config(
                "wechat apiv3_key must be exactly 32 bytes".to_owned(),
            ));
        }
        let signing = keys::private_key(&config.merchant_private_key_pem, "wechat merchant key")?;
        let platform = keys::public_key(&config.platform_public_key_pem, "wechat platform key")?;
        let aead = Aes256Gcm::new_from_slice(config.apiv3_key.as_bytes())
            .map_err(|_| ProviderError::Config("wechat apiv3_key".to_owned()))?;
        let http = crate::http_client(&config.base_url)?;
        let url = reqwest::Url::parse(&config.base_url)
            .map_err(|e| ProviderError::Config(format!("wechat base_url: {e}")))?;
        let origin = url.origin().ascii_serialization();
        let prefix = url.path().trim_end_matches('/').to_owned();
        Ok(Self {
            merchant_id: format!("{}/{}", config.mchid, config.appid),
            appid: config.appid,
            mchid: config.mchid,
            serial_no: config.merchant_serial_no,
            platform_key_id: config.platform_key_id,
            origin,
            prefix,
            signing,
            platform,
            aead,
            http,
        })
    }

    /// The `Authorization` header of a request.
    fn authorization(
        &self,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> Result<String, ProviderError> {
        let timestamp = OffsetDateTime::now_utc().unix_timestamp().to_string();
        let nonce = crate::nonce(32)?;
        let message = request_message(method, path_and_query, &timestamp, &nonce, body);
        let signature = keys::sign(&self.signing, message.as_bytes())?;
        Ok(format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.mchid, self.serial_no
        ))
    }

    /// Checks `Wechatpay-Serial` and `Wechatpay-Signature` over `timestamp\nnonce\nbody\n`;
    /// returns the timestamp.
    fn verify_signed(
        &self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<i64, ProviderError> {
        let missing = |name: &str| ProviderError::BadSignature(format!("missing {name}"));
        let serial = header(headers, "wechatpay-serial").ok_or_else(|| missing("serial"))?;
        let timestamp =
            header(headers, "wechatpay-timestamp").ok_or_else(|| missing("timestamp"))?;
        let nonce = header(headers, "wechatpay-nonce").ok_or_else(|| missing("nonce"))?;
        let signature =
            header(headers, "wechatpay-signature").ok_or_else(|| missing("signature"))?;
        if serial.trim() != self.platform_key_id {
            return Err(ProviderError::BadSignature(format!(
                "signed with unknown key {serial:?}"
            )));
        }
        let mut message = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
        message.extend_from_slice(timestamp.as_bytes());
        message.push(b'\n');
        message.extend_from_slice(nonce.as_bytes());
        message.push(b'\n');
        message.extend_from_slice(body);
        message.push(b'\n');
        keys::verify(&self.platform, &message, signature)?;
        timestamp
            .trim()
            .parse()
            .map_err(|_| ProviderError::BadSignature("bad timestamp".to_owned()))
    }

    /// Sends a signed request; verifies the signature of a 2xx answer.
    async fn call(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<String>,
    ) -> Result<Answer, ProviderError> {
        let path = format!("{}{path_and_query}", self.prefix);
        let text = body.unwrap_or_default();
        let authorization = self.authorization(method.as_str(), &path, &text)?;
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.origin))
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, "application/json");
        if !text.is_empty() {
            request = request.header(CONTENT_TYPE, "application/json").body(text);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ProviderError::Provider(format!("wechat: {e}")))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = response
            .bytes()
            .await
            .map_err(|e| ProviderError::Provider(format!("wechat: {e}")))?
            .to_vec();
        if (200..300).contains(&status) {
            self.verify_signed(&headers, &body)?;
        }
        Ok(Answer { status, body })
    }

    /// The error of a non-success answer.
    fn failure(answer: &Answer) -> ProviderError {
        let (code, message) = serde_json::from_slice::<ApiError>(&answer.body)
            .map(|e| (e.code.unwrap_or_default(), e.message.unwrap_or_default()))
            .unwrap_or_else(|_| (String::new(), String::from_utf8_lossy(&answer.body).into()));
        ProviderError::Provider(format!("wechat HTTP {} {code}: {message}", answer.status))
    }

    fn decrypt(&self, resource: &Resource) -> Result<Vec<u8>, ProviderError> {
        let nonce: [u8; 12] = resource.nonce.as_bytes().try_into().map_err(|_| {
            ProviderError::BadSignature("resource nonce is not 12 bytes".to_owned())
        })?;
        let ciphertext = BASE64
            .decode(resource.ciphertext.trim())
            .map_err(|_| ProviderError::BadSignature("ciphertext is not base64".to_owned()))?;
        self.aead
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: resource.associated_data.as_deref().unwrap_or("").as_bytes(),
                },
            )
            .map_err(|_| ProviderError::BadSignature("resource does not decrypt".to_owned()))
    }

    fn not_found(&self, out_trade_no: &str) -> ProviderPayment {
        ProviderPayment {
            out_trade_no: out_trade_no.to_owned(),
            transaction_id: None,
            status: ProviderStatus::NotFound,
            amount_fen: None,
            currency: "CNY".to_owned(),
            merchant_id: Some(self.merchant_id.clone()),
            paid_at: None,
        }
    }
}

/// The five-line string our requests sign.
fn request_message(
    method: &str,
    path_and_query: &str,
    timestamp: &str,
    nonce: &str,
    body: &str,
) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// `2026-05-01T10:34:56+08:00`.
fn time_expire(at: OffsetDateTime) -> Result<String, ProviderError> {
    at.to_offset(BEIJING)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]+08:00"
        ))
        .map_err(|e| ProviderError::Malformed(e.to_string()))
}

fn status_of(trade_state: &str) -> Result<ProviderStatus, ProviderError> {
    Ok(match trade_state {
        "SUCCESS" => ProviderStatus::Paid,
        "NOTPAY" | "USERPAYING" => ProviderStatus::Pending,
        "CLOSED" | "REVOKED" => ProviderStatus::Closed,
        "REFUND" => ProviderStatus::Refunded,
        "PAYERROR" => ProviderStatus::Failed,
        other => {
            return Err(ProviderError::Malformed(format!(
                "unknown trade_state {other:?}"
            )));
        }
    })
}

fn map_transaction(tx: Transaction) -> Result<ProviderPayment, ProviderError> {
    let status = status_of(&tx.trade_state)?;
    let paid_at = match tx.success_time.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            OffsetDateTime::parse(s, &Rfc3339)
                .map_err(|_| ProviderError::Malformed(format!("bad success_time {s:?}")))?,
        ),
        None => None,
    };
    let (amount_fen, currency) = match tx.amount {
        Some(a) => (a.total, a.currency.unwrap_or_else(|| "CNY".to_owned())),
        None => (None, "CNY".to_owned()),
    };
    Ok(ProviderPayment {
        out_trade_no: tx.out_trade_no,
        transaction_id: tx.transaction_id.filter(|t| !t.is_empty()),
        status,
        amount_fen,
        currency,
        merchant_id: Some(format!(
            "{}/{}",
            tx.mchid.unwrap_or_default(),
            tx.appid.unwrap_or_default()
        )),
        paid_at,
    })
}

impl PaymentProvider for WechatPay {
    fn name(&self) -> &'static str {
        "wechat"
    }

    /// `"{mchid}/{appid}"`, as [`ProviderPayment::merchant_id`] carries it.
    fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    fn create_qr<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, Result<QrPayment, ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", &payment.out_trade_no, 32)?;
            if payment.amount_fen <= 0 {
                return Err(ProviderError::Provider(
                    "amount must be positive".to_owned(),
                ));
            }
            if payment.expires_at <= OffsetDateTime::now_utc() {
                return Err(ProviderError::Provider(
                    "the payment has already expired".to_owned(),
                ));
            }
            let body = json!({
                "appid": self.appid,
                "mchid": self.mchid,
                "description": truncate_bytes(&payment.description, 127),
                "out_trade_no": payment.out_trade_no,
                "time_expire": time_expire(payment.expires_at)?,
                "notify_url": payment.notify_url,
                "amount": { "total": payment.amount_fen, "currency": "CNY" },
            })
            .to_string();
            let answer = self
                .call(Method::POST, "/v3/pay/transactions/native", Some(body))
                .await?;
            if answer.status != 200 {
                return Err(Self::failure(&answer));
            }
            #[derive(Deserialize)]
            struct Created {
                code_url: String,
            }
            let created: Created = serde_json::from_slice(&answer.body)
                .map_err(|e| ProviderError::Malformed(format!("wechat answer: {e}")))?;
            Ok(QrPayment {
                qr_text: created.code_url,
                expires_at: payment.expires_at,
            })
        })
    }

    fn verify_callback(
        &self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<ProviderPayment, ProviderError> {
        // 1. Signature (and serial) before anything else.
        let timestamp = self.verify_signed(headers, body)?;
        // 2. Age.
        if (OffsetDateTime::now_utc().unix_timestamp() - timestamp).abs() > MAX_AGE_SECONDS {
            return Err(ProviderError::BadSignature(
                "callback timestamp is stale".to_owned(),
            ));
        }
        // 3. Only now read the body.
        let notice: Notice = serde_json::from_slice(body)
            .map_err(|e| ProviderError::Malformed(format!("wechat notice: {e}")))?;
        if notice.resource.algorithm != "AEAD_AES_256_GCM" {
            return Err(ProviderError::Malformed(format!(
                "unknown algorithm {:?}",
                notice.resource.algorithm
            )));
        }
        if notice
            .resource
            .original_type
            .as_deref()
            .is_some_and(|t| t != "transaction")
        {
            return Err(ProviderError::Malformed(format!(
                "not a payment notice: {}",
                notice.event_type
            )));
        }
        // 4. Decrypt (authenticated: a wrong key or a changed ciphertext fails here).
        let plain = self.decrypt(&notice.resource)?;
        let tx: Transaction = serde_json::from_slice(&plain)
            .map_err(|e| ProviderError::Malformed(format!("wechat transaction: {e}")))?;
        // 5. Map; the service compares amount, currency and merchant.
        map_transaction(tx)
    }

    fn query<'a>(
        &'a self,
        out_trade_no: &'a str,
    ) -> BoxFuture<'a, Result<ProviderPayment, ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", out_trade_no, 32)?;
            let path = format!(
                "/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={}",
                self.mchid
            );
            let answer = self.call(Method::GET, &path, None).await?;
            match answer.status {
                200 => {
                    let tx: Transaction = serde_json::from_slice(&answer.body).map_err(|e| {
                        ProviderError::Malformed(format!("wechat transaction: {e}"))
                    })?;
                    if tx.out_trade_no != out_trade_no {
                        return Err(ProviderError::Malformed(format!(
                            "asked for {out_trade_no}, got {}",
                            tx.out_trade_no
                        )));
                    }
                    map_transaction(tx)
                }
                404 => Ok(self.not_found(out_trade_no)),
                _ => Err(Self::failure(&answer)),
            }
        })
    }

    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", out_trade_no, 32)?;
            let path = format!("/v3/pay/transactions/out-trade-no/{out_trade_no}/close");
            let body = json!({ "mchid": self.mchid }).to_string();
            let answer = self.call(Method::POST, &path, Some(body)).await?;
            match answer.status {
                200 | 204 => Ok(()),
                _ => Err(Self::failure(&answer)),
            }
        })
    }

    fn refund<'a>(&'a self, refund: &'a RefundRequest) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", &refund.out_trade_no, 32)?;
            check_id("out_refund_no", &refund.out_refund_no, 64)?;
            if refund.refund_fen <= 0 || refund.refund_fen > refund.total_fen {
                return Err(ProviderError::Provider(
                    "refund must be positive and at most the total".to_owned(),
                ));
            }
            let mut body = json!({
                "out_trade_no": refund.out_trade_no,
                "out_refund_no": refund.out_refund_no,
                "amount": {
                    "refund": refund.refund_fen,
                    "total": refund.total_fen,
                    "currency": "CNY",
                },
            });
            let reason = truncate_bytes(refund.reason.trim(), 80);
            if !reason.is_empty()
                && let Some(map) = body.as_object_mut()
            {
                map.insert("reason".to_owned(), reason.into());
            }
            let answer = self
                .call(
                    Method::POST,
                    "/v3/refund/domestic/refunds",
                    Some(body.to_string()),
                )
                .await?;
            if answer.status != 200 {
                return Err(Self::failure(&answer));
            }
            #[derive(Deserialize)]
            struct Refund {
                status: String,
            }
            let refunded: Refund = serde_json::from_slice(&answer.body)
                .map_err(|e| ProviderError::Malformed(format!("wechat refund: {e}")))?;
            match refunded.status.as_str() {
                "SUCCESS" | "PROCESSING" => Ok(()),
                other => Err(ProviderError::Provider(format!("wechat refund {other}"))),
            }
        })
    }

    fn ack(&self, accepted: bool) -> Ack {
        if accepted {
            Ack {
                status: 204,
                content_type: "application/json",
                body: String::new(),
            }
        } else {
            Ack {
                status: 400,
                content_type: "application/json",
                body: r#"{"code":"FAIL","message":"rejected"}"#.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_request_message_has_five_lines_each_ending_in_a_newline() {
        // The example of 签名生成: GET /v3/certificates, no body.
        assert_eq!(
            request_message(
                "GET",
                "/v3/certificates",
                "1554208460",
                "593BEC0C930BF1AFEB40B4A08C8FB242",
                ""
            ),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
        );
    }

    #[test]
    fn time_expire_is_beijing_time_without_fractions() {
        assert_eq!(
            time_expire(datetime!(2018-06-08 02:34:56.789 UTC)).unwrap(),
            "2018-06-08T10:34:56+08:00"
        );
    }

    #[test]
    fn trade_states_map() {
        assert_eq!(status_of("SUCCESS").unwrap(), ProviderStatus::Paid);
        assert_eq!(status_of("NOTPAY").unwrap(), ProviderStatus::Pending);
        assert_eq!(status_of("USERPAYING").unwrap(), ProviderStatus::Pending);
        assert_eq!(status_of("CLOSED").unwrap(), ProviderStatus::Closed);
        assert_eq!(status_of("REVOKED").unwrap(), ProviderStatus::Closed);
        assert_eq!(status_of("REFUND").unwrap(), ProviderStatus::Refunded);
        assert_eq!(status_of("PAYERROR").unwrap(), ProviderStatus::Failed);
        assert!(status_of("WHATEVER").is_err());
    }
}
