//! 支付宝当面付 扫码支付 (`alipay.trade.precreate`): the payer scans a `https://qr.alipay.com/…`
//! QR code.
//!
//! # Calls
//!
//! All calls go to the gateway (`https://openapi.alipay.com/gateway.do`) as a form-encoded POST
//! (`application/x-www-form-urlencoded;charset=utf-8`, and `?charset=utf-8` on the URL so the
//! gateway decodes the body as UTF-8) of the common parameters `app_id`, `method`,
//! `format=JSON`, `charset=utf-8`, `sign_type=RSA2`, `timestamp` (`yyyy-MM-dd HH:mm:ss`, UTC+8),
//! `version=1.0`, `notify_url` (precreate only), `biz_content` (JSON) and `sign`.
//!
//! | what | `method` | `biz_content` | success |
//! | --- | --- | --- | --- |
//! | [`create_qr`](PaymentProvider::create_qr) | `alipay.trade.precreate` | `{out_trade_no, total_amount, subject, timeout_express[, seller_id]}` | `code` 10000, `qr_code` |
//! | [`query`](PaymentProvider::query) | `alipay.trade.query` | `{out_trade_no}` | 10000 with `trade_status`; 40004 `ACQ.TRADE_NOT_EXIST` → [`ProviderStatus::NotFound`] (nobody has scanned yet) |
//! | [`close`](PaymentProvider::close) | `alipay.trade.close` | `{out_trade_no}` | 10000, or 40004 `ACQ.TRADE_NOT_EXIST` (nothing to close) |
//! | [`refund`](PaymentProvider::refund) | `alipay.trade.refund` | `{out_trade_no, refund_amount, out_request_no, refund_reason}` | 10000 |
//!
//! Amounts are integer 分 everywhere else; here they become 元 strings with two decimals by
//! integer arithmetic ([`fen_to_yuan`]: 38000 → `"380.00"`) and come back the same way
//! ([`yuan_to_fen`]: `"0.01"` → 1, `"1000000.10"` → 100000010; anything but digits with an
//! optional point and one or two decimals is refused). `timeout_express` is the time left until
//! `expires_at` rounded to whole minutes (`"15m"`; at least one minute, at most 15 days);
//! `subject` is cut to 256 bytes.
//!
//! # Signing our requests (RSA2)
//!
//! All parameters except `sign` and those with empty values (so `sign_type` **is** signed),
//! sorted by name in ASCII order, joined as `name=value` with `&` (raw values, not URL-encoded),
//! signed SHA256withRSA (PKCS#1 v1.5) with the app private key (应用私钥), base64. Sources: the
//! 签名与验签 rules (copy at <http://static.kancloud.cn/s2981295/qing/932556>: 筛选, 排序 by
//! ASCII, 拼接 `参数=参数值` with `&`) and their implementation in go-pay/gopay
//! (`alipay/sign.go`, `GetRsaSign` over `EncodeAliPaySignParams`, which drops empty values).
//!
//! # Verifying answers
//!
//! An answer is `{"<method with _>_response":{…},"sign":"…"}` (or `error_response`); the
//! signature covers the **exact text** of the `…_response` value as sent, and is verified with
//! the Alipay public key (支付宝公钥) before the value is read. An answer with `code` 10000 must
//! be signed. An error answer is verified when it carries a `sign` (a bad one is
//! `BadSignature`) but may come without one, as the SDKs allow (gopay returns business errors
//! before it verifies anything); so an unsigned `ACQ.TRADE_NOT_EXIST` is believed, which only
//! ever makes `query` say NotFound or `close` do nothing. Source: the 验签 rules cited by
//! go-pay/gopay (`getSignData`: the substring between `_response":` and `,"sign":`;
//! <https://opendocs.alipay.com/open/200/106120>).
//!
//! # Verifying callbacks
//!
//! The callback is a form-encoded POST. In this order, nothing being read before step 2 passes:
//!
//! 1. the form is decoded (unreadable, or a parameter repeated → `BadSignature`); `sign` must be
//!    there and `sign_type`, if there, must be `RSA2` (else `BadSignature`);
//! 2. all parameters but `sign` and `sign_type`, sorted by name (ASCII), joined `k=v` with `&`,
//!    must verify with the Alipay public key (else `BadSignature`). Sources:
//!    <https://docs.antom.com/ac/web_cn/async> (将 sign 和 sign_type 字段移除, 字母顺序排列, `&`
//!    拼接), <https://cnblogs.com/feiyu2/p/17068010.html> (RSA2 example), go-pay/gopay
//!    `VerifySign`. Alipay's Java SDK keeps parameters with empty values in this string while
//!    gopay drops them; the string with them is tried first, then the one without (both are
//!    Alipay's signature over the same non-empty data);
//! 3. the fields are mapped: `trade_status` TRADE_SUCCESS/TRADE_FINISHED → Paid,
//!    WAIT_BUYER_PAY → Pending, TRADE_CLOSED → Closed (also after a full refund); `total_amount`
//!    (元) → `amount_fen` (malformed → `Malformed`); `trade_no` → `transaction_id`; `gmt_payment`
//!    (UTC+8) → `paid_at`; `app_id` (with `seller_id` when one is configured: `"{app_id}/{seller_id}"`)
//!    → `merchant_id`; currency is always `CNY`.
//!
//! There is no timestamp check: Alipay repeats a callback for up to 25 hours, and a repeated
//! callback must be handled idempotently anyway.
//!
//! # What the service must still compare
//!
//! `merchant_id` against [`Alipay::merchant_id`], `amount_fen` against the payment, and
//! `out_trade_no` against an attempt it issued. A query's answer is Alipay's signed answer to
//! our own request, so its `merchant_id` is ours.
//!
//! # Answering callbacks
//!
//! HTTP 200 with the plain text `success`, or `fail`; Alipay retries on anything but `success`.
//!
//! # Not covered, weak spots
//!
//! Public-key mode only (公钥模式), not certificate mode (公钥证书模式, `alipay_cert_sn`). A
//! precreated trade exists at Alipay only once scanned, so `close` before a scan is a no-op and
//! `timeout_express` only starts at the scan: a late scan of an old QR code can still pay, and
//! the service must be ready for a paid callback of a closed attempt (refund it or accept it).
//! `alipay.trade.cancel` is not used for closing, because it refunds a paid trade.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use reqwest::header::CONTENT_TYPE;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use serde_json::json;
use serde_json::value::RawValue;
use sha2::Sha256;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::{
    Ack, BEIJING, BoxFuture, NewPayment, PaymentProvider, ProviderError, ProviderPayment,
    ProviderStatus, QrPayment, RefundRequest, check_id, keys, truncate_bytes,
};

/// The production gateway.
pub const DEFAULT_GATEWAY_URL: &str = "https://openapi.alipay.com/gateway.do";

/// The largest amount Alipay takes: 100 000 000.00 元.
const MAX_FEN: i64 = 10_000_000_000;

/// The configuration of an Alipay app (public-key mode).
#[derive(Clone)]
pub struct AlipayConfig {
    /// The app id (APPID), e.g. `2021000000000000`.
    pub app_id: String,
    /// The app private key (应用私钥 RSA2): PKCS#8 or PKCS#1, PEM or bare base64.
    pub app_private_key_pem: String,
    /// The Alipay public key (支付宝公钥): SPKI, PEM or bare base64.
    pub alipay_public_key_pem: String,
    /// [`DEFAULT_GATEWAY_URL`], or a fake's address in tests.
    pub gateway_url: String,
    /// The receiving account (卖家支付宝用户号, `2088…`) if it is not the app's own: sent with
    /// precreate and part of [`Alipay::merchant_id`].
    pub seller_id: Option<String>,
}

impl AlipayConfig {
    /// A configuration against the production gateway, without a seller id.
    pub fn new(app_id: &str, app_private_key_pem: &str, alipay_public_key_pem: &str) -> Self {
        Self {
            app_id: app_id.to_owned(),
            app_private_key_pem: app_private_key_pem.to_owned(),
            alipay_public_key_pem: alipay_public_key_pem.to_owned(),
            gateway_url: DEFAULT_GATEWAY_URL.to_owned(),
            seller_id: None,
        }
    }
}

impl fmt::Debug for AlipayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipayConfig")
            .field("app_id", &self.app_id)
            .field("app_private_key_pem", &"<redacted>")
            .field("gateway_url", &self.gateway_url)
            .field("seller_id", &self.seller_id)
            .finish_non_exhaustive()
    }
}

/// The Alipay 当面付 adapter.
pub struct Alipay {
    app_id: String,
    seller_id: Option<String>,
    merchant_id: String,
    post_url: String,
    signing: SigningKey<Sha256>,
    alipay_key: VerifyingKey<Sha256>,
    http: reqwest::Client,
}

impl fmt::Debug for Alipay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alipay")
            .field("app_id", &self.app_id)
            .field("seller_id", &self.seller_id)
            .field("post_url", &self.post_url)
            .finish_non_exhaustive()
    }
}

/// 分 → 元 with two decimals: 1 → `"0.01"`, 38000 → `"380.00"`.
pub fn fen_to_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// 元 → 分, exactly: digits (no sign, no superfluous leading zero), optionally a point and one
/// or two decimals. `"0.01"` → 1, `"380.00"` → 38000, `"1000000.10"` → 100000010.
pub fn yuan_to_fen(text: &str) -> Result<i64, ProviderError> {
    let bad = || ProviderError::Malformed(format!("bad amount {text:?}"));
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.len() <= 2 => (int, frac),
        Some(_) => return Err(bad()),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || int.len() > 17
        || (int.len() > 1 && int.starts_with('0'))
        || !digits(int)
        || !digits(frac)
    {
        return Err(bad());
    }
    let yuan: i64 = int.parse().map_err(|_| bad())?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    yuan.checked_mul(100)
        .and_then(|f| f.checked_add(cents))
        .ok_or_else(bad)
}

/// The string Alipay signs: `k=v` pairs sorted by name (ASCII), joined by `&`, without `sign`
/// (and without empty values when `skip_empty`).
fn sign_content<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    skip_empty: bool,
) -> String {
    let mut pairs: Vec<(&str, &str)> = pairs
        .into_iter()
        .filter(|(k, v)| *k != "sign" && !(skip_empty && v.is_empty()))
        .collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Now in UTC+8 as `yyyy-MM-dd HH:mm:ss`.
fn beijing_now() -> Result<String, ProviderError> {
    OffsetDateTime::now_utc()
        .to_offset(BEIJING)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .map_err(|e| ProviderError::Malformed(e.to_string()))
}

/// `yyyy-MM-dd HH:mm:ss` in UTC+8.
fn parse_beijing(text: &str) -> Result<OffsetDateTime, ProviderError> {
    PrimitiveDateTime::parse(
        text,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .map(|t| t.assume_offset(BEIJING))
    .map_err(|_| ProviderError::Malformed(format!("bad time {text:?}")))
}

fn status_of(trade_status: &str) -> Result<ProviderStatus, ProviderError> {
    Ok(match trade_status {
        "TRADE_SUCCESS" | "TRADE_FINISHED" => ProviderStatus::Paid,
        "WAIT_BUYER_PAY" => ProviderStatus::Pending,
        "TRADE_CLOSED" => ProviderStatus::Closed,
        other => {
            return Err(ProviderError::Malformed(format!(
                "unknown trade_status {other:?}"
            )));
        }
    })
}

/// The verified `…_response` object of an answer.
struct Reply {
    method: &'static str,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl Reply {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .and_then(serde_json::Value::as_str)
            .filter(|v| !v.is_empty())
    }

    fn code(&self) -> &str {
        self.get("code").unwrap_or("")
    }

    fn is_success(&self) -> bool {
        self.code() == "10000"
    }

    fn trade_not_exist(&self) -> bool {
        self.code() == "40004" && self.get("sub_code") == Some("ACQ.TRADE_NOT_EXIST")
    }

    fn failure(&self) -> ProviderError {
        ProviderError::Provider(format!(
            "alipay {}: {} {} {} {}",
            self.method,
            self.code(),
            self.get("msg").unwrap_or(""),
            self.get("sub_code").unwrap_or(""),
            self.get("sub_msg").unwrap_or("")
        ))
    }
}

impl Alipay {
    /// Reads the keys and checks the configuration.
    pub fn new(config: AlipayConfig) -> Result<Self, ProviderError> {
        if config.app_id.trim().is_empty() || config.app_id.contains('/') {
            return Err(ProviderError::Config(
                "alipay app_id is empty or invalid".to_owned(),
            ));
        }
        let seller_id = config
            .seller_id
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let signing = keys::private_key(&config.app_private_key_pem, "alipay app private key")?;
        let alipay_key = keys::public_key(&config.alipay_public_key_pem, "alipay public key")?;
        let http = crate::http_client(&config.gateway_url)?;
        let separator = if config.gateway_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(Self {
            merchant_id: match &seller_id {
                Some(seller) => format!("{}/{seller}", config.app_id),
                None => config.app_id.clone(),
            },
            post_url: format!("{}{separator}charset=utf-8", config.gateway_url),
            app_id: config.app_id,
            seller_id,
            signing,
            alipay_key,
            http,
        })
    }

    /// Sends a signed call; returns its verified `…_response` object.
    async fn call(
        &self,
        method: &'static str,
        biz_content: serde_json::Value,
        notify_url: Option<&str>,
    ) -> Result<Reply, ProviderError> {
        let mut params: BTreeMap<&str, String> = BTreeMap::new();
        params.insert("app_id", self.app_id.clone());
        params.insert("method", method.to_owned());
        params.insert("format", "JSON".to_owned());
        params.insert("charset", "utf-8".to_owned());
        params.insert("sign_type", "RSA2".to_owned());
        params.insert("timestamp", beijing_now()?);
        params.insert("version", "1.0".to_owned());
        params.insert("biz_content", biz_content.to_string());
        if let Some(url) = notify_url.filter(|u| !u.is_empty()) {
            params.insert("notify_url", url.to_owned());
        }
        let content = sign_content(params.iter().map(|(k, v)| (*k, v.as_str())), true);
        params.insert("sign", keys::sign(&self.signing, content.as_bytes())?);
        let form = serde_urlencoded::to_string(&params)
            .map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let response = self
            .http
            .post(&self.post_url)
            .header(
                CONTENT_TYPE,
                "application/x-www-form-urlencoded;charset=utf-8",
            )
            .body(form)
            .send()
            .await
            .map_err(|e| ProviderError::Provider(format!("alipay: {e}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| ProviderError::Provider(format!("alipay: {e}")))?;
        if !status.is_success() {
            return Err(ProviderError::Provider(format!("alipay HTTP {status}")));
        }
        self.read_reply(method, &text)
    }

    /// Verifies the signature over the raw `…_response` text, then reads it.
    fn read_reply(&self, method: &'static str, text: &str) -> Result<Reply, ProviderError> {
        let envelope: HashMap<String, &RawValue> = serde_json::from_str(text)
            .map_err(|e| ProviderError::Malformed(format!("alipay answer: {e}")))?;
        let key = format!("{}_response", method.replace('.', "_"));
        let node = envelope
            .get(&key)
            .or_else(|| envelope.get("error_response"))
            .ok_or_else(|| ProviderError::Malformed(format!("alipay answer without {key}")))?;
        let signed = match envelope.get("sign") {
            Some(sign) => {
                let sign: String = serde_json::from_str(sign.get())
                    .map_err(|_| ProviderError::BadSignature("sign is not a string".to_owned()))?;
                keys::verify(&self.alipay_key, node.get().as_bytes(), &sign)?;
                true
            }
            None => false,
        };
        let fields = serde_json::from_str(node.get())
            .map_err(|e| ProviderError::Malformed(format!("alipay {key}: {e}")))?;
        let reply = Reply { method, fields };
        if !signed && reply.is_success() {
            return Err(ProviderError::BadSignature(format!(
                "unsigned alipay answer to {method}"
            )));
        }
        Ok(reply)
    }
}

impl PaymentProvider for Alipay {
    fn name(&self) -> &'static str {
        "alipay"
    }

    /// The app id, or `"{app_id}/{seller_id}"` when a seller id is configured.
    fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    fn create_qr<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, Result<QrPayment, ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", &payment.out_trade_no, 64)?;
            if payment.amount_fen <= 0 || payment.amount_fen > MAX_FEN {
                return Err(ProviderError::Provider(
                    "amount must be 0.01 to 100000000.00 元".to_owned(),
                ));
            }
            // Rounded to the nearest minute: "15m" for a payment created to last 15 minutes.
            let seconds = (payment.expires_at - OffsetDateTime::now_utc()).whole_seconds();
            let minutes = (seconds + 30) / 60;
            if minutes < 1 {
                return Err(ProviderError::Provider(
                    "the payment expires in less than a minute".to_owned(),
                ));
            }
            let mut biz = json!({
                "out_trade_no": payment.out_trade_no,
                "total_amount": fen_to_yuan(payment.amount_fen),
                "subject": truncate_bytes(&payment.description, 256),
                "timeout_express": format!("{}m", minutes.min(15 * 24 * 60)),
            });
            if let (Some(seller), Some(map)) = (&self.seller_id, biz.as_object_mut()) {
                map.insert("seller_id".to_owned(), seller.clone().into());
            }
            let reply = self
                .call("alipay.trade.precreate", biz, Some(&payment.notify_url))
                .await?;
            if !reply.is_success() {
                return Err(reply.failure());
            }
            if let Some(no) = reply.get("out_trade_no")
                && no != payment.out_trade_no
            {
                return Err(ProviderError::Malformed(format!(
                    "asked for {}, got {no}",
                    payment.out_trade_no
                )));
            }
            let qr_code = reply
                .get("qr_code")
                .ok_or_else(|| ProviderError::Malformed("precreate without qr_code".to_owned()))?;
            Ok(QrPayment {
                qr_text: qr_code.to_owned(),
                expires_at: payment.expires_at,
            })
        })
    }

    fn verify_callback(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<ProviderPayment, ProviderError> {
        // 1. Decode; nothing is read yet.
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|_| ProviderError::BadSignature("unreadable form".to_owned()))?;
        let mut params: BTreeMap<&str, &str> = BTreeMap::new();
        for (k, v) in &pairs {
            if params.insert(k.as_str(), v.as_str()).is_some() {
                return Err(ProviderError::BadSignature(format!("{k} given twice")));
            }
        }
        // A `+` turned into a space by a careless form encoder; base64 has no spaces.
        let sign = params
            .get("sign")
            .map(|s| s.replace(' ', "+"))
            .ok_or_else(|| ProviderError::BadSignature("missing sign".to_owned()))?;
        if params.get("sign_type").is_some_and(|t| *t != "RSA2") {
            return Err(ProviderError::BadSignature(
                "sign_type is not RSA2".to_owned(),
            ));
        }
        // 2. Verify.
        let signed = || {
            params
                .iter()
                .filter(|(k, _)| **k != "sign_type")
                .map(|(k, v)| (*k, *v))
        };
        let with_empty = sign_content(signed(), false);
        let verified = keys::verify(&self.alipay_key, with_empty.as_bytes(), &sign);
        if verified.is_err() && params.values().any(|v| v.is_empty()) {
            let without_empty = sign_content(signed(), true);
            keys::verify(&self.alipay_key, without_empty.as_bytes(), &sign)?;
        } else {
            verified?;
        }
        // 3. Read.
        let field = |name: &str| params.get(name).copied().filter(|v| !v.is_empty());
        let required = |name: &str| {
            field(name).ok_or_else(|| ProviderError::Malformed(format!("callback without {name}")))
        };
        let status = status_of(required("trade_status")?)?;
        let amount_fen = yuan_to_fen(required("total_amount")?)?;
        let app_id = required("app_id")?;
        let merchant_id = match &self.seller_id {
            Some(_) => format!("{app_id}/{}", field("seller_id").unwrap_or("")),
            None => app_id.to_owned(),
        };
        Ok(ProviderPayment {
            out_trade_no: required("out_trade_no")?.to_owned(),
            transaction_id: field("trade_no").map(str::to_owned),
            status,
            amount_fen: Some(amount_fen),
            currency: "CNY".to_owned(),
            merchant_id: Some(merchant_id),
            paid_at: field("gmt_payment").map(parse_beijing).transpose()?,
        })
    }

    fn query<'a>(
        &'a self,
        out_trade_no: &'a str,
    ) -> BoxFuture<'a, Result<ProviderPayment, ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", out_trade_no, 64)?;
            let reply = self
                .call(
                    "alipay.trade.query",
                    json!({ "out_trade_no": out_trade_no }),
                    None,
                )
                .await?;
            if reply.trade_not_exist() {
                return Ok(ProviderPayment {
                    out_trade_no: out_trade_no.to_owned(),
                    transaction_id: None,
                    status: ProviderStatus::NotFound,
                    amount_fen: None,
                    currency: "CNY".to_owned(),
                    merchant_id: Some(self.merchant_id.clone()),
                    paid_at: None,
                });
            }
            if !reply.is_success() {
                return Err(reply.failure());
            }
            if let Some(no) = reply.get("out_trade_no")
                && no != out_trade_no
            {
                return Err(ProviderError::Malformed(format!(
                    "asked for {out_trade_no}, got {no}"
                )));
            }
            let status = status_of(reply.get("trade_status").ok_or_else(|| {
                ProviderError::Malformed("query without trade_status".to_owned())
            })?)?;
            Ok(ProviderPayment {
                out_trade_no: out_trade_no.to_owned(),
                transaction_id: reply.get("trade_no").map(str::to_owned),
                status,
                amount_fen: reply.get("total_amount").map(yuan_to_fen).transpose()?,
                currency: "CNY".to_owned(),
                merchant_id: Some(self.merchant_id.clone()),
                paid_at: reply.get("send_pay_date").map(parse_beijing).transpose()?,
            })
        })
    }

    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", out_trade_no, 64)?;
            let reply = self
                .call(
                    "alipay.trade.close",
                    json!({ "out_trade_no": out_trade_no }),
                    None,
                )
                .await?;
            if reply.is_success() || reply.trade_not_exist() {
                Ok(())
            } else {
                Err(reply.failure())
            }
        })
    }

    fn refund<'a>(&'a self, refund: &'a RefundRequest) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            check_id("out_trade_no", &refund.out_trade_no, 64)?;
            check_id("out_refund_no", &refund.out_refund_no, 64)?;
            if refund.refund_fen <= 0 || refund.refund_fen > refund.total_fen {
                return Err(ProviderError::Provider(
                    "refund must be positive and at most the total".to_owned(),
                ));
            }
            let mut biz = json!({
                "out_trade_no": refund.out_trade_no,
                "refund_amount": fen_to_yuan(refund.refund_fen),
                "out_request_no": refund.out_refund_no,
            });
            let reason = truncate_bytes(refund.reason.trim(), 256);
            if !reason.is_empty()
                && let Some(map) = biz.as_object_mut()
            {
                map.insert("refund_reason".to_owned(), reason.into());
            }
            let reply = self.call("alipay.trade.refund", biz, None).await?;
            if reply.is_success() {
                Ok(())
            } else {
                Err(reply.failure())
            }
        })
    }

    fn ack(&self, accepted: bool) -> Ack {
        Ack {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            body: if accepted { "success" } else { "fail" }.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    #[test]
    fn amounts_convert_exactly() {
        for (yuan, fen) in [
            ("0.01", 1),
            ("0.10", 10),
            ("0.1", 10),
            ("1", 100),
            ("380.00", 38_000),
            ("380", 38_000),
            ("1000000.10", 100_000_010),
            ("100000000.00", 10_000_000_000),
            ("0", 0),
            ("0.00", 0),
        ] {
            assert_eq!(yuan_to_fen(yuan).unwrap(), fen, "{yuan}");
        }
        for bad in [
            "",
            ".",
            "1.",
            ".5",
            "1.001",
            "-1.00",
            "+1.00",
            " 1.00",
            "1.00 ",
            "1,00",
            "1e3",
            "01.00",
            "00",
            "1.0.0",
            "abc",
            "1.a",
            "１.００",
            "999999999999999999999.00",
        ] {
            assert!(yuan_to_fen(bad).is_err(), "{bad:?} should be refused");
        }
        for (fen, yuan) in [
            (1, "0.01"),
            (10, "0.10"),
            (38_000, "380.00"),
            (100_000_010, "1000000.10"),
            (0, "0.00"),
            (-5, "-0.05"),
        ] {
            assert_eq!(fen_to_yuan(fen), yuan);
        }
        // Round trip over a spread of values.
        for fen in (0..100_000).step_by(7).chain([MAX_FEN, i64::MAX / 100]) {
            assert_eq!(yuan_to_fen(&fen_to_yuan(fen)).unwrap(), fen);
        }
    }

    #[test]
    fn the_sign_content_is_sorted_without_sign_and_empty_values() {
        let pairs = [
            ("method", "alipay.trade.precreate"),
            ("app_id", "2021"),
            ("sign", "xyz"),
            ("notify_url", ""),
            ("sign_type", "RSA2"),
            ("biz_content", "{\"a\":1}"),
            ("Zeta", "upper case sorts first"),
        ];
        assert_eq!(
            sign_content(pairs, true),
            "Zeta=upper case sorts first&app_id=2021&biz_content={\"a\":1}&method=alipay.trade.precreate&sign_type=RSA2"
        );
        assert_eq!(
            sign_content(pairs, false),
            "Zeta=upper case sorts first&app_id=2021&biz_content={\"a\":1}&method=alipay.trade.precreate&notify_url=&sign_type=RSA2"
        );
    }

    #[test]
    fn times_are_beijing_time() {
        assert_eq!(
            parse_beijing("2016-07-19 14:10:47").unwrap(),
            datetime!(2016-07-19 06:10:47 UTC)
        );
        assert!(parse_beijing("2016-07-19T14:10:47").is_err());
        assert_eq!(beijing_now().unwrap().len(), 19);
    }

    #[test]
    fn trade_statuses_map() {
        assert_eq!(status_of("TRADE_SUCCESS").unwrap(), ProviderStatus::Paid);
        assert_eq!(status_of("TRADE_FINISHED").unwrap(), ProviderStatus::Paid);
        assert_eq!(
            status_of("WAIT_BUYER_PAY").unwrap(),
            ProviderStatus::Pending
        );
        assert_eq!(status_of("TRADE_CLOSED").unwrap(), ProviderStatus::Closed);
        assert!(status_of("SOMETHING").is_err());
    }
}
