//! The WeChat Pay adapter against a local fake of the API v3: the fake checks our
//! `Authorization` signatures with the merchant's public key and signs its answers and
//! callbacks with the (test-only) platform key, as WeChat Pay does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use support::{Request, Response};
use tejian_payments::wechat::{WechatPay, WechatPayConfig};
use tejian_payments::{NewPayment, PaymentProvider, ProviderError, ProviderStatus, RefundRequest};

const MERCHANT_KEY: &str = include_str!("fixtures/test_only_wechat_merchant_key.pem");
const PLATFORM_KEY: &str = include_str!("fixtures/test_only_wechat_platform_key.pem");
const PLATFORM_PUB: &str = include_str!("fixtures/test_only_wechat_platform_pub.pem");
const INTRUDER_KEY: &str = include_str!("fixtures/test_only_intruder_key.pem");

const APPID: &str = "wxTEST0000000000";
const MCHID: &str = "1900000109";
const MERCHANT_SERIAL: &str = "TEST5157F09EFDC096DE15EBE81A47057A72";
const PLATFORM_KEY_ID: &str = "PUB_KEY_ID_TEST0000000000000000000001";
/// 32 bytes, test only.
const APIV3_KEY: &str = "TEST0nly0APIv3key0not0a0secret00";

fn private_key(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
}

fn sign_b64(key: &SigningKey<Sha256>, message: &[u8]) -> String {
    BASE64.encode(key.sign(message).to_bytes())
}

#[derive(Default)]
struct State {
    trades: HashMap<String, Value>,
    requests: Vec<Request>,
    /// Sign answers with the wrong key.
    forge_answers: bool,
}

/// The fake WeChat Pay.
struct Fake {
    merchant: VerifyingKey<Sha256>,
    platform: SigningKey<Sha256>,
    intruder: SigningKey<Sha256>,
    state: Mutex<State>,
}

impl Fake {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            merchant: VerifyingKey::new(RsaPublicKey::from(&private_key(MERCHANT_KEY))),
            platform: SigningKey::new(private_key(PLATFORM_KEY)),
            intruder: SigningKey::new(private_key(INTRUDER_KEY)),
            state: Mutex::new(State::default()),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Checks `Authorization` as WeChat Pay does (签名生成, five lines).
    fn authorized(&self, request: &Request) -> Result<(), String> {
        let auth = request.header("authorization").ok_or("no Authorization")?;
        let fields = auth
            .strip_prefix("WECHATPAY2-SHA256-RSA2048 ")
            .ok_or("wrong scheme")?;
        let fields: HashMap<&str, &str> = fields
            .split(',')
            .filter_map(|f| f.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
            .collect();
        if fields.get("mchid") != Some(&MCHID) {
            return Err("mchid".into());
        }
        if fields.get("serial_no") != Some(&MERCHANT_SERIAL) {
            return Err("serial_no".into());
        }
        let timestamp: i64 = fields
            .get("timestamp")
            .ok_or("timestamp")?
            .parse()
            .map_err(|_| "timestamp")?;
        if (OffsetDateTime::now_utc().unix_timestamp() - timestamp).abs() > 300 {
            return Err("stale".into());
        }
        let nonce = fields.get("nonce_str").ok_or("nonce_str")?;
        let message = format!(
            "{}\n{}\n{timestamp}\n{nonce}\n{}\n",
            request.method,
            request.target,
            request.body_text()
        );
        let signature = BASE64
            .decode(fields.get("signature").ok_or("signature")?)
            .map_err(|_| "base64")?;
        let signature = Signature::try_from(signature.as_slice()).map_err(|_| "form")?;
        self.merchant
            .verify(message.as_bytes(), &signature)
            .map_err(|_| "signature mismatch".to_owned())
    }

    /// A signed answer (应答签名, three lines).
    fn answer(&self, status: u16, body: &str) -> Response {
        let timestamp = OffsetDateTime::now_utc().unix_timestamp().to_string();
        let nonce = "c5ac7061fccab6bf3e254dcf98995b8c";
        let message = format!("{timestamp}\n{nonce}\n{body}\n");
        let key = if self.state().forge_answers {
            &self.intruder
        } else {
            &self.platform
        };
        Response::new(status, body)
            .header("Content-Type", "application/json")
            .header("Wechatpay-Timestamp", &timestamp)
            .header("Wechatpay-Nonce", nonce)
            .header("Wechatpay-Signature", &sign_b64(key, message.as_bytes()))
            .header("Wechatpay-Serial", PLATFORM_KEY_ID)
            .header("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")
    }

    fn handle(&self, request: Request) -> Response {
        self.state().requests.push(request.clone());
        if let Err(why) = self.authorized(&request) {
            return Response::new(
                401,
                json!({"code": "SIGN_ERROR", "message": why}).to_string(),
            );
        }
        let path = request.path().to_owned();
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        match (request.method.as_str(), path.as_str()) {
            ("POST", "/v3/pay/transactions/native") => {
                let no = body["out_trade_no"].as_str().unwrap_or("").to_owned();
                self.state().trades.insert(
                    no.clone(),
                    json!({
                        "appid": body["appid"], "mchid": body["mchid"], "out_trade_no": no,
                        "trade_type": "NATIVE", "trade_state": "NOTPAY", "trade_state_desc": "未支付",
                        "amount": {"total": body["amount"]["total"], "currency": "CNY"},
                    }),
                );
                self.answer(
                    200,
                    &json!({"code_url": format!("weixin://wxpay/bizpayurl?pr=TEST{no}")})
                        .to_string(),
                )
            }
            ("POST", "/v3/refund/domestic/refunds") => {
                let known = self
                    .state()
                    .trades
                    .get(body["out_trade_no"].as_str().unwrap_or(""))
                    .is_some_and(|t| t["trade_state"] == "SUCCESS");
                if !known {
                    return Response::new(
                        400,
                        json!({"code": "INVALID_REQUEST", "message": "订单状态不正确"}).to_string(),
                    );
                }
                self.answer(
                    200,
                    &json!({
                        "refund_id": "50000000382019052709732678859",
                        "out_refund_no": body["out_refund_no"],
                        "out_trade_no": body["out_trade_no"],
                        "status": "PROCESSING",
                        "amount": {"refund": body["amount"]["refund"], "total": body["amount"]["total"], "currency": "CNY"},
                    })
                    .to_string(),
                )
            }
            ("GET", p) if p.starts_with("/v3/pay/transactions/out-trade-no/") => {
                let no = p.trim_start_matches("/v3/pay/transactions/out-trade-no/");
                if !request.target.ends_with(&format!("?mchid={MCHID}")) {
                    return Response::new(400, r#"{"code":"PARAM_ERROR","message":"mchid"}"#);
                }
                let trade = self.state().trades.get(no).cloned();
                match trade {
                    Some(trade) => self.answer(200, &trade.to_string()),
                    None => Response::new(
                        404,
                        json!({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}).to_string(),
                    ),
                }
            }
            ("POST", p) if p.ends_with("/close") => {
                let no = p
                    .trim_start_matches("/v3/pay/transactions/out-trade-no/")
                    .trim_end_matches("/close");
                if body != json!({"mchid": MCHID}) {
                    return Response::new(400, r#"{"code":"PARAM_ERROR","message":"body"}"#);
                }
                let closed = match self.state().trades.get_mut(no) {
                    Some(trade) => {
                        trade["trade_state"] = json!("CLOSED");
                        true
                    }
                    None => false,
                };
                match closed {
                    true => self.answer(204, ""),
                    false => Response::new(
                        404,
                        json!({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}).to_string(),
                    ),
                }
            }
            _ => Response::new(404, r#"{"code":"NOT_FOUND","message":"no such API"}"#),
        }
    }

    /// The payer pays: the trade becomes SUCCESS.
    fn pay(&self, no: &str) -> Value {
        let mut state = self.state();
        let trade = state.trades.get_mut(no).unwrap();
        trade["trade_state"] = json!("SUCCESS");
        trade["transaction_id"] = json!("4200000000TEST000000000000001");
        trade["success_time"] = json!("2026-05-01T10:34:56+08:00");
        trade["payer"] = json!({"openid": "oTEST"});
        trade.clone()
    }
}

async fn start() -> (Arc<Fake>, String) {
    let fake = Fake::new();
    let handler = fake.clone();
    let base = support::serve(move |r| handler.handle(r)).await;
    (fake, base)
}

fn config(base_url: &str) -> WechatPayConfig {
    let mut config = WechatPayConfig::new(
        APPID,
        MCHID,
        MERCHANT_KEY,
        MERCHANT_SERIAL,
        APIV3_KEY,
        PLATFORM_PUB,
        PLATFORM_KEY_ID,
    );
    config.base_url = base_url.to_owned();
    config
}

fn wechat(base_url: &str) -> WechatPay {
    WechatPay::new(config(base_url)).unwrap()
}

fn payment(no: &str) -> NewPayment {
    NewPayment {
        out_trade_no: no.to_owned(),
        amount_fen: 38_000,
        description: "检验费 缴款通知书 26330500000000000421".to_owned(),
        expires_at: OffsetDateTime::now_utc() + Duration::minutes(15),
        notify_url: "https://pay.example.test/api/v1/payments/notify/wechat".to_owned(),
    }
}

/// A callback built and signed like WeChat Pay's (TRANSACTION.SUCCESS).
struct Callback {
    signer: SigningKey<Sha256>,
    serial: String,
    apiv3_key: Vec<u8>,
    timestamp: i64,
}

impl Callback {
    fn new() -> Self {
        Self {
            signer: SigningKey::new(private_key(PLATFORM_KEY)),
            serial: PLATFORM_KEY_ID.to_owned(),
            apiv3_key: APIV3_KEY.as_bytes().to_vec(),
            timestamp: OffsetDateTime::now_utc().unix_timestamp(),
        }
    }

    fn body(&self, transaction: &Value) -> Vec<u8> {
        let nonce = b"fCa9dEfBd2cE";
        let aad = "transaction";
        let cipher = Aes256Gcm::new_from_slice(&self.apiv3_key).unwrap();
        let ciphertext = cipher
            .encrypt(
                &Nonce::from(*nonce),
                Payload {
                    msg: transaction.to_string().as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .unwrap();
        json!({
            "id": "EV-2018022511223320873",
            "create_time": "2026-05-01T10:35:00+08:00",
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": BASE64.encode(ciphertext),
                "associated_data": aad,
                "nonce": std::str::from_utf8(nonce).unwrap(),
            },
        })
        .to_string()
        .into_bytes()
    }

    fn headers(&self, body: &[u8]) -> Vec<(String, String)> {
        let nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
        let mut message = format!("{}\n{nonce}\n", self.timestamp).into_bytes();
        message.extend_from_slice(body);
        message.push(b'\n');
        vec![
            ("wechatpay-timestamp".to_owned(), self.timestamp.to_string()),
            ("wechatpay-nonce".to_owned(), nonce.to_owned()),
            (
                "wechatpay-signature".to_owned(),
                sign_b64(&self.signer, &message),
            ),
            ("wechatpay-serial".to_owned(), self.serial.clone()),
            (
                "wechatpay-signature-type".to_owned(),
                "WECHATPAY2-SHA256-RSA2048".to_owned(),
            ),
            ("content-type".to_owned(), "application/json".to_owned()),
        ]
    }

    fn build(&self, transaction: &Value) -> (Vec<(String, String)>, Vec<u8>) {
        let body = self.body(transaction);
        (self.headers(&body), body)
    }
}

fn paid_transaction() -> Value {
    json!({
        "appid": APPID, "mchid": MCHID, "out_trade_no": "P20260501000001",
        "transaction_id": "4200000000TEST000000000000001", "trade_type": "NATIVE",
        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
        "attach": "", "success_time": "2026-05-01T10:34:56+08:00",
        "payer": {"openid": "oTEST"},
        "amount": {"total": 38000, "payer_total": 38000, "currency": "CNY", "payer_currency": "CNY"},
    })
}

fn is_bad_signature<T: std::fmt::Debug>(result: Result<T, ProviderError>) -> bool {
    matches!(result, Err(ProviderError::BadSignature(_)))
}

#[tokio::test]
async fn create_qr_signs_the_request_and_returns_the_code_url() {
    let (fake, base) = start().await;
    let wechat = wechat(&base);
    let qr = wechat.create_qr(&payment("P20260501000001")).await.unwrap();
    assert_eq!(
        qr.qr_text,
        "weixin://wxpay/bizpayurl?pr=TESTP20260501000001"
    );

    let state = fake.state();
    let request = state.requests.last().unwrap();
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(request.header("user-agent").is_some());
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["appid"], APPID);
    assert_eq!(body["mchid"], MCHID);
    assert_eq!(body["out_trade_no"], "P20260501000001");
    assert_eq!(
        body["description"],
        "检验费 缴款通知书 26330500000000000421"
    );
    assert_eq!(
        body["notify_url"],
        "https://pay.example.test/api/v1/payments/notify/wechat"
    );
    assert_eq!(body["amount"], json!({"total": 38000, "currency": "CNY"}));
    let expire = body["time_expire"].as_str().unwrap();
    assert_eq!(expire.len(), "2018-06-08T10:34:56+08:00".len(), "{expire}");
    assert!(expire.ends_with("+08:00"), "{expire}");
    let parsed =
        OffsetDateTime::parse(expire, &time::format_description::well_known::Rfc3339).unwrap();
    assert!((parsed - payment("x").expires_at).abs() < Duration::seconds(5));
}

#[tokio::test]
async fn the_fake_refuses_requests_signed_with_another_key() {
    let (_fake, base) = start().await;
    let mut config = config(&base);
    config.merchant_private_key_pem = INTRUDER_KEY.to_owned();
    let wechat = WechatPay::new(config).unwrap();
    let error = wechat.create_qr(&payment("P1")).await.unwrap_err();
    assert!(
        matches!(&error, ProviderError::Provider(m) if m.contains("401") && m.contains("SIGN_ERROR")),
        "{error:?}"
    );
}

#[tokio::test]
async fn answers_with_a_bad_signature_are_refused() {
    let (fake, base) = start().await;
    fake.state().forge_answers = true;
    let wechat = wechat(&base);
    assert!(is_bad_signature(wechat.create_qr(&payment("P1")).await));
    // An answer under another key id is refused too.
    let mut config = config(&base);
    config.platform_key_id = "PUB_KEY_ID_SOMETHING_ELSE".to_owned();
    fake.state().forge_answers = false;
    let other = WechatPay::new(config).unwrap();
    assert!(is_bad_signature(other.create_qr(&payment("P2")).await));
}

#[tokio::test]
async fn a_callback_signed_like_wechat_pays_verifies_and_decrypts() {
    let wechat = wechat("http://127.0.0.1:9");
    let (headers, body) = Callback::new().build(&paid_transaction());
    let paid = wechat.verify_callback(&headers, &body).unwrap();
    assert_eq!(paid.out_trade_no, "P20260501000001");
    assert_eq!(paid.status, ProviderStatus::Paid);
    assert_eq!(paid.amount_fen, Some(38_000));
    assert_eq!(paid.currency, "CNY");
    assert_eq!(
        paid.transaction_id.as_deref(),
        Some("4200000000TEST000000000000001")
    );
    assert_eq!(paid.merchant_id.as_deref(), Some(wechat.merchant_id()));
    assert_eq!(wechat.merchant_id(), format!("{MCHID}/{APPID}"));
    assert_eq!(
        paid.paid_at,
        Some(time::macros::datetime!(2026-05-01 02:34:56 UTC))
    );

    // Another merchant's callback verifies (WeChat signed it) but does not carry our id: the
    // service's comparison catches it.
    let mut other = paid_transaction();
    other["mchid"] = json!("1900000999");
    let (headers, body) = Callback::new().build(&other);
    let theirs = wechat.verify_callback(&headers, &body).unwrap();
    assert_ne!(theirs.merchant_id.as_deref(), Some(wechat.merchant_id()));

    // Other states of the transaction map too.
    let mut closed = paid_transaction();
    closed["trade_state"] = json!("CLOSED");
    let (headers, body) = Callback::new().build(&closed);
    assert_eq!(
        wechat.verify_callback(&headers, &body).unwrap().status,
        ProviderStatus::Closed
    );
}

#[tokio::test]
async fn forged_tampered_misrouted_and_stale_callbacks_are_refused() {
    let wechat = wechat("http://127.0.0.1:9");
    let callback = Callback::new();
    let (headers, body) = callback.build(&paid_transaction());

    // Tampered body (any byte).
    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("支付成功", "支付失败")
        .into_bytes();
    assert_ne!(tampered, body);
    assert!(is_bad_signature(
        wechat.verify_callback(&headers, &tampered)
    ));

    // Signed with another key.
    let forger = Callback {
        signer: SigningKey::new(private_key(INTRUDER_KEY)),
        ..Callback::new()
    };
    let (h, b) = forger.build(&paid_transaction());
    assert!(is_bad_signature(wechat.verify_callback(&h, &b)));

    // Right signature, wrong serial.
    let mut h = headers.clone();
    for (k, v) in &mut h {
        if k == "wechatpay-serial" {
            *v = "PUB_KEY_ID_OTHER".to_owned();
        }
    }
    assert!(is_bad_signature(wechat.verify_callback(&h, &body)));

    // Stale, or from the future.
    for offset in [-310, 310, -86_400] {
        let old = Callback {
            timestamp: OffsetDateTime::now_utc().unix_timestamp() + offset,
            ..Callback::new()
        };
        let (h, b) = old.build(&paid_transaction());
        assert!(is_bad_signature(wechat.verify_callback(&h, &b)), "{offset}");
    }
    // A late retry inside the window is fine.
    let late = Callback {
        timestamp: OffsetDateTime::now_utc().unix_timestamp() - 200,
        ..Callback::new()
    };
    let (h, b) = late.build(&paid_transaction());
    assert!(wechat.verify_callback(&h, &b).is_ok());

    // Headers missing, signature not base64.
    for name in [
        "wechatpay-timestamp",
        "wechatpay-nonce",
        "wechatpay-signature",
        "wechatpay-serial",
    ] {
        let h: Vec<_> = headers.iter().filter(|(k, _)| k != name).cloned().collect();
        assert!(
            is_bad_signature(wechat.verify_callback(&h, &body)),
            "{name}"
        );
    }
    let mut h = headers.clone();
    for (k, v) in &mut h {
        if k == "wechatpay-signature" {
            *v = "WECHATPAY/SIGNTEST/!!!".to_owned();
        }
    }
    assert!(is_bad_signature(wechat.verify_callback(&h, &body)));

    // Signed by WeChat but encrypted under another APIv3 key: decryption fails.
    let wrong_key = Callback {
        apiv3_key: b"another0APIv3key0of0thirty0two00".to_vec(),
        ..Callback::new()
    };
    let (h, b) = wrong_key.build(&paid_transaction());
    assert!(is_bad_signature(wechat.verify_callback(&h, &b)));

    // The signature is checked before the body is read: garbage is BadSignature unsigned …
    assert!(is_bad_signature(
        wechat.verify_callback(&headers, b"not json")
    ));
    // … and Malformed only once it verifies.
    let signed_garbage = b"not json".to_vec();
    let h = callback.headers(&signed_garbage);
    assert!(matches!(
        wechat.verify_callback(&h, &signed_garbage),
        Err(ProviderError::Malformed(_))
    ));
}

#[tokio::test]
async fn query_maps_the_trade_states() {
    let (fake, base) = start().await;
    let wechat = wechat(&base);
    assert_eq!(
        wechat.query("P404").await.unwrap().status,
        ProviderStatus::NotFound
    );
    wechat.create_qr(&payment("P20260501000002")).await.unwrap();
    let pending = wechat.query("P20260501000002").await.unwrap();
    assert_eq!(pending.status, ProviderStatus::Pending);
    assert_eq!(pending.amount_fen, Some(38_000));
    assert_eq!(pending.transaction_id, None);
    assert_eq!(pending.merchant_id.as_deref(), Some(wechat.merchant_id()));

    fake.pay("P20260501000002");
    let paid = wechat.query("P20260501000002").await.unwrap();
    assert_eq!(paid.status, ProviderStatus::Paid);
    assert_eq!(
        paid.transaction_id.as_deref(),
        Some("4200000000TEST000000000000001")
    );
    assert!(paid.paid_at.is_some());
    let request = fake.state().requests.last().unwrap().clone();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        format!("/v3/pay/transactions/out-trade-no/P20260501000002?mchid={MCHID}")
    );
    assert!(request.body.is_empty());

    for (state, status) in [
        ("CLOSED", ProviderStatus::Closed),
        ("REVOKED", ProviderStatus::Closed),
        ("USERPAYING", ProviderStatus::Pending),
        ("REFUND", ProviderStatus::Refunded),
        ("PAYERROR", ProviderStatus::Failed),
    ] {
        fake.state().trades.get_mut("P20260501000002").unwrap()["trade_state"] = json!(state);
        assert_eq!(
            wechat.query("P20260501000002").await.unwrap().status,
            status
        );
    }

    // A query can't be sent for an id that is not ours to send.
    assert!(wechat.query("../../v3/other").await.is_err());
}

#[tokio::test]
async fn close_and_refund_succeed_against_the_fake() {
    let (fake, base) = start().await;
    let wechat = wechat(&base);
    wechat.create_qr(&payment("P20260501000003")).await.unwrap();
    wechat.close("P20260501000003").await.unwrap();
    assert_eq!(
        fake.state().trades["P20260501000003"]["trade_state"],
        "CLOSED"
    );
    assert!(wechat.close("P404").await.is_err());

    wechat.create_qr(&payment("P20260501000004")).await.unwrap();
    let refund = RefundRequest {
        out_trade_no: "P20260501000004".to_owned(),
        out_refund_no: "R20260501000004".to_owned(),
        refund_fen: 10_000,
        total_fen: 38_000,
        reason: "重复缴费".to_owned(),
    };
    // Not paid yet: the fake refuses.
    assert!(matches!(
        wechat.refund(&refund).await,
        Err(ProviderError::Provider(_))
    ));
    fake.pay("P20260501000004");
    wechat.refund(&refund).await.unwrap();
    let body: Value = serde_json::from_slice(&fake.state().requests.last().unwrap().body).unwrap();
    assert_eq!(
        body,
        json!({
            "out_trade_no": "P20260501000004",
            "out_refund_no": "R20260501000004",
            "reason": "重复缴费",
            "amount": {"refund": 10000, "total": 38000, "currency": "CNY"},
        })
    );
    // More than the total is refused before asking.
    let too_much = RefundRequest {
        refund_fen: 38_001,
        ..refund
    };
    assert!(wechat.refund(&too_much).await.is_err());
}

#[test]
fn the_ack_is_204_or_a_fail_json() {
    let wechat = wechat("http://127.0.0.1:9");
    let ok = wechat.ack(true);
    assert_eq!(ok.status, 204);
    assert!(ok.body.is_empty());
    let fail = wechat.ack(false);
    assert_eq!(fail.status, 400);
    let body: Value = serde_json::from_str(&fail.body).unwrap();
    assert_eq!(body["code"], "FAIL");
    assert!(body["message"].is_string());
}

#[test]
fn bad_configurations_are_refused() {
    let mut c = config("http://127.0.0.1:9");
    c.apiv3_key = "too short".to_owned();
    assert!(matches!(WechatPay::new(c), Err(ProviderError::Config(_))));
    let mut c = config("http://127.0.0.1:9");
    c.merchant_private_key_pem =
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----".to_owned();
    assert!(matches!(WechatPay::new(c), Err(ProviderError::Config(_))));
    let mut c = config("http://127.0.0.1:9");
    c.platform_public_key_pem = MERCHANT_KEY.to_owned(); // a private key is not a public key
    assert!(matches!(WechatPay::new(c), Err(ProviderError::Config(_))));
    let mut c = config("http://127.0.0.1:9");
    c.mchid = String::new();
    assert!(matches!(WechatPay::new(c), Err(ProviderError::Config(_))));
    // The default (https) host needs the `tls` feature.
    let c = WechatPayConfig::new(
        APPID,
        MCHID,
        MERCHANT_KEY,
        MERCHANT_SERIAL,
        APIV3_KEY,
        PLATFORM_PUB,
        PLATFORM_KEY_ID,
    );
    assert_eq!(c.base_url, "https://api.mch.weixin.qq.com");
    assert!(!format!("{c:?}").contains("PRIVATE KEY"));
    assert!(!format!("{c:?}").contains(APIV3_KEY));
    if cfg!(feature = "tls") {
        assert!(WechatPay::new(c).is_ok());
    } else {
        assert!(matches!(WechatPay::new(c), Err(ProviderError::Config(m)) if m.contains("tls")));
    }
}
