//! The Alipay adapter against a local fake gateway: the fake checks our RSA2 `sign` with the
//! app's public key and signs its answers and callbacks with the (test-only) Alipay key, as
//! Alipay does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use support::{Request, Response};
use tejian_payments::alipay::{Alipay, AlipayConfig, fen_to_yuan, yuan_to_fen};
use tejian_payments::{NewPayment, PaymentProvider, ProviderError, ProviderStatus, RefundRequest};

const APP_KEY_PKCS1: &str = include_str!("fixtures/test_only_alipay_app_key_pkcs1.pem");
const ALIPAY_KEY: &str = include_str!("fixtures/test_only_alipay_platform_key.pem");
const ALIPAY_PUB: &str = include_str!("fixtures/test_only_alipay_platform_pub.pem");
const INTRUDER_KEY: &str = include_str!("fixtures/test_only_intruder_key.pem");

const APP_ID: &str = "2021000000TEST01";
const SELLER_ID: &str = "2088000000TEST01";

fn sign_b64(key: &SigningKey<Sha256>, message: &[u8]) -> String {
    BASE64.encode(key.sign(message).to_bytes())
}

/// `k=v&…` sorted by name, without `sign` (and `sign_type` when `drop_sign_type`), and without
/// empty values when `skip_empty`.
fn content(params: &BTreeMap<String, String>, drop_sign_type: bool, skip_empty: bool) -> String {
    params
        .iter()
        .filter(|(k, v)| {
            *k != "sign" && !(drop_sign_type && *k == "sign_type") && !(skip_empty && v.is_empty())
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answers {
    Signed,
    Forged,
    Unsigned,
}

struct Trade {
    total_amount: String,
    /// `None` until the payer scans (Alipay does not know a precreated trade before that).
    trade_status: Option<&'static str>,
}

struct State {
    trades: HashMap<String, Trade>,
    requests: Vec<BTreeMap<String, String>>,
    answers: Answers,
}

/// The fake gateway.
struct Fake {
    app: VerifyingKey<Sha256>,
    alipay: SigningKey<Sha256>,
    intruder: SigningKey<Sha256>,
    state: Mutex<State>,
}

impl Fake {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            app: VerifyingKey::new(RsaPublicKey::from(
                &RsaPrivateKey::from_pkcs1_pem(APP_KEY_PKCS1).unwrap(),
            )),
            alipay: SigningKey::new(RsaPrivateKey::from_pkcs8_pem(ALIPAY_KEY).unwrap()),
            intruder: SigningKey::new(RsaPrivateKey::from_pkcs8_pem(INTRUDER_KEY).unwrap()),
            state: Mutex::new(State {
                trades: HashMap::new(),
                requests: Vec::new(),
                answers: Answers::Signed,
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// `{"<method>_response":{…},"sign":"…"}`, the signature over the node's exact text.
    fn answer(&self, method: &str, node: &Value) -> Response {
        let key = format!("{}_response", method.replace('.', "_"));
        let node = node.to_string();
        let text = match self.state().answers {
            Answers::Signed => format!(
                r#"{{"{key}":{node},"sign":"{}"}}"#,
                sign_b64(&self.alipay, node.as_bytes())
            ),
            Answers::Forged => format!(
                r#"{{"{key}":{node},"sign":"{}"}}"#,
                sign_b64(&self.intruder, node.as_bytes())
            ),
            Answers::Unsigned => format!(r#"{{"{key}":{node}}}"#),
        };
        Response::new(200, text).header("Content-Type", "text/html;charset=utf-8")
    }

    fn not_exist(&self, method: &str, no: &str) -> Response {
        self.answer(
            method,
            &json!({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": "交易不存在", "out_trade_no": no}),
        )
    }

    fn handle(&self, request: Request) -> Response {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/gateway.do?charset=utf-8");
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded;charset=utf-8")
        );
        let params: BTreeMap<String, String> = serde_urlencoded::from_bytes(&request.body).unwrap();
        self.state().requests.push(params.clone());
        let method = params.get("method").cloned().unwrap_or_default();

        // Common parameters, then the RSA2 signature of the request (sign_type included).
        let common_ok = params.get("app_id").map(String::as_str) == Some(APP_ID)
            && params.get("format").map(String::as_str) == Some("JSON")
            && params.get("charset").map(String::as_str) == Some("utf-8")
            && params.get("sign_type").map(String::as_str) == Some("RSA2")
            && params.get("version").map(String::as_str) == Some("1.0")
            && params.get("timestamp").is_some_and(|t| t.len() == 19);
        let signature = params
            .get("sign")
            .and_then(|s| BASE64.decode(s).ok())
            .and_then(|s| Signature::try_from(s.as_slice()).ok());
        let signed = signature.is_some_and(|s| {
            self.app
                .verify(content(&params, false, true).as_bytes(), &s)
                .is_ok()
        });
        if !common_ok || !signed {
            return self.answer(
                &method,
                &json!({"code": "40002", "msg": "Invalid Arguments",
                        "sub_code": "isv.invalid-signature", "sub_msg": "验签出错"}),
            );
        }

        let biz: Value = serde_json::from_str(params.get("biz_content").unwrap()).unwrap();
        let no = biz["out_trade_no"].as_str().unwrap_or("").to_owned();
        match method.as_str() {
            "alipay.trade.precreate" => {
                self.state().trades.insert(
                    no.clone(),
                    Trade {
                        total_amount: biz["total_amount"].as_str().unwrap().to_owned(),
                        trade_status: None,
                    },
                );
                self.answer(
                    &method,
                    &json!({"code": "10000", "msg": "Success", "out_trade_no": no,
                            "qr_code": format!("https://qr.alipay.com/bax0TEST{no}")}),
                )
            }
            "alipay.trade.query" => {
                let found = self
                    .state()
                    .trades
                    .get(&no)
                    .and_then(|t| Some((t.trade_status?, t.total_amount.clone())));
                match found {
                    None => self.not_exist(&method, &no),
                    Some((status, amount)) => {
                        let mut node = json!({"code": "10000", "msg": "Success",
                            "trade_no": "2026050122001400000000000001", "out_trade_no": no,
                            "buyer_logon_id": "159****5620", "trade_status": status,
                            "total_amount": amount, "buyer_pay_amount": "0.00"});
                        if status == "TRADE_SUCCESS" {
                            node["send_pay_date"] = json!("2026-05-01 10:34:56");
                        }
                        self.answer(&method, &node)
                    }
                }
            }
            "alipay.trade.close" => {
                let closed = match self.state().trades.get_mut(&no) {
                    Some(Trade {
                        trade_status: Some(status),
                        ..
                    }) if *status == "WAIT_BUYER_PAY" => {
                        *status = "TRADE_CLOSED";
                        Some(true)
                    }
                    Some(Trade {
                        trade_status: Some(_),
                        ..
                    }) => Some(false),
                    _ => None,
                };
                match closed {
                    Some(true) => self.answer(
                        &method,
                        &json!({"code": "10000", "msg": "Success", "out_trade_no": no}),
                    ),
                    Some(false) => self.answer(
                        &method,
                        &json!({"code": "40004", "msg": "Business Failed",
                                "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "交易状态不合法"}),
                    ),
                    None => self.not_exist(&method, &no),
                }
            }
            "alipay.trade.refund" => {
                let paid = self
                    .state()
                    .trades
                    .get(&no)
                    .is_some_and(|t| t.trade_status == Some("TRADE_SUCCESS"));
                if paid {
                    self.answer(
                        &method,
                        &json!({"code": "10000", "msg": "Success", "out_trade_no": no,
                                "trade_no": "2026050122001400000000000001", "fund_change": "Y",
                                "refund_fee": biz["refund_amount"]}),
                    )
                } else {
                    self.answer(
                        &method,
                        &json!({"code": "40004", "msg": "Business Failed",
                                "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "交易状态不合法"}),
                    )
                }
            }
            _ => self.answer(
                &method,
                &json!({"code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-method"}),
            ),
        }
    }

    fn set(&self, no: &str, status: &'static str) {
        self.state().trades.get_mut(no).unwrap().trade_status = Some(status);
    }
}

async fn start() -> (Arc<Fake>, String) {
    let fake = Fake::new();
    let handler = fake.clone();
    let base = support::serve(move |r| handler.handle(r)).await;
    (fake, format!("{base}/gateway.do"))
}

fn config(gateway: &str) -> AlipayConfig {
    let mut config = AlipayConfig::new(APP_ID, APP_KEY_PKCS1, ALIPAY_PUB);
    config.gateway_url = gateway.to_owned();
    config
}

fn alipay(gateway: &str) -> Alipay {
    Alipay::new(config(gateway)).unwrap()
}

fn payment(no: &str, amount_fen: i64) -> NewPayment {
    NewPayment {
        out_trade_no: no.to_owned(),
        amount_fen,
        description: "检验费 缴款通知书 26330500000000000421".to_owned(),
        expires_at: OffsetDateTime::now_utc() + Duration::minutes(15),
        notify_url: "https://pay.example.test/api/v1/payments/notify/alipay".to_owned(),
    }
}

/// A callback (trade_status_sync) built and signed like Alipay's.
fn callback_params(no: &str, status: &str, amount: &str) -> BTreeMap<String, String> {
    let mut p = BTreeMap::new();
    for (k, v) in [
        ("notify_time", "2026-05-01 10:35:00"),
        ("notify_type", "trade_status_sync"),
        ("notify_id", "ac05099524730693a8b330c5ecf72da9786"),
        ("app_id", APP_ID),
        ("auth_app_id", APP_ID),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", "2026050122001400000000000001"),
        ("out_trade_no", no),
        ("buyer_id", "2088102116773037"),
        ("buyer_logon_id", "159****5620"),
        ("seller_id", SELLER_ID),
        ("trade_status", status),
        ("total_amount", amount),
        ("receipt_amount", amount),
        ("buyer_pay_amount", amount),
        ("subject", "检验费 缴款通知书 26330500000000000421"),
        ("gmt_create", "2026-05-01 10:34:40"),
        ("gmt_payment", "2026-05-01 10:34:56"),
        (
            "fund_bill_list",
            r#"[{"amount":"380.00","fundChannel":"ALIPAYACCOUNT"}]"#,
        ),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    p
}

fn signed_form(mut params: BTreeMap<String, String>, key: &str, skip_empty: bool) -> Vec<u8> {
    let signer = SigningKey::<Sha256>::new(RsaPrivateKey::from_pkcs8_pem(key).unwrap());
    params.insert("sign_type".to_owned(), "RSA2".to_owned());
    let sign = sign_b64(&signer, content(&params, true, skip_empty).as_bytes());
    params.insert("sign".to_owned(), sign);
    serde_urlencoded::to_string(&params).unwrap().into_bytes()
}

fn is_bad_signature<T: std::fmt::Debug>(result: Result<T, ProviderError>) -> bool {
    matches!(result, Err(ProviderError::BadSignature(_)))
}

#[test]
fn amounts_convert_exactly() {
    assert_eq!(yuan_to_fen("0.01").unwrap(), 1);
    assert_eq!(yuan_to_fen("380.00").unwrap(), 38_000);
    assert_eq!(yuan_to_fen("1000000.10").unwrap(), 100_000_010);
    for bad in [
        "", "1.001", "-0.01", "0.0.1", "1e2", " 1", "abc", "1.", ".1",
    ] {
        assert!(yuan_to_fen(bad).is_err(), "{bad:?}");
    }
    assert_eq!(fen_to_yuan(1), "0.01");
    assert_eq!(fen_to_yuan(38_000), "380.00");
    assert_eq!(fen_to_yuan(100_000_010), "1000000.10");
}

#[tokio::test]
async fn create_qr_signs_the_request_and_returns_the_qr_code() {
    let (fake, gateway) = start().await;
    let alipay = alipay(&gateway);
    let qr = alipay
        .create_qr(&payment("P20260501000001", 38_000))
        .await
        .unwrap();
    assert_eq!(qr.qr_text, "https://qr.alipay.com/bax0TESTP20260501000001");

    let state = fake.state();
    let request = state.requests.last().unwrap();
    assert_eq!(request["method"], "alipay.trade.precreate");
    assert_eq!(
        request["notify_url"],
        "https://pay.example.test/api/v1/payments/notify/alipay"
    );
    let biz: Value = serde_json::from_str(&request["biz_content"]).unwrap();
    assert_eq!(biz["out_trade_no"], "P20260501000001");
    assert_eq!(biz["total_amount"], "380.00");
    assert_eq!(biz["subject"], "检验费 缴款通知书 26330500000000000421");
    assert_eq!(biz["timeout_express"], "15m");
    assert!(biz.get("seller_id").is_none());
    // yyyy-MM-dd HH:mm:ss, UTC+8.
    let timestamp = &request["timestamp"];
    assert_eq!(timestamp.as_bytes()[10], b' ', "{timestamp}");
}

#[tokio::test]
async fn small_and_large_amounts_go_out_exactly() {
    let (fake, gateway) = start().await;
    let mut config = config(&gateway);
    config.seller_id = Some(SELLER_ID.to_owned());
    let alipay = Alipay::new(config).unwrap();
    for (fen, yuan) in [(1, "0.01"), (100_000_010, "1000000.10")] {
        alipay
            .create_qr(&payment(&format!("P{fen}"), fen))
            .await
            .unwrap();
        let biz: Value =
            serde_json::from_str(&fake.state().requests.last().unwrap()["biz_content"]).unwrap();
        assert_eq!(biz["total_amount"], yuan);
        assert_eq!(biz["seller_id"], SELLER_ID);
    }
    assert!(alipay.create_qr(&payment("P0", 0)).await.is_err());
    assert!(
        alipay
            .create_qr(&payment("P_too_much", 10_000_000_001))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_fake_refuses_requests_signed_with_another_key() {
    let (_fake, gateway) = start().await;
    let mut config = config(&gateway);
    config.app_private_key_pem = INTRUDER_KEY.to_owned();
    let alipay = Alipay::new(config).unwrap();
    let error = alipay.create_qr(&payment("P1", 100)).await.unwrap_err();
    assert!(
        matches!(&error, ProviderError::Provider(m) if m.contains("isv.invalid-signature")),
        "{error:?}"
    );
}

#[tokio::test]
async fn answers_with_a_bad_or_no_signature_are_refused() {
    let (fake, gateway) = start().await;
    let alipay = alipay(&gateway);
    fake.state().answers = Answers::Forged;
    assert!(is_bad_signature(
        alipay.create_qr(&payment("P1", 100)).await
    ));
    assert!(is_bad_signature(alipay.query("P1").await));
    fake.state().answers = Answers::Unsigned;
    assert!(is_bad_signature(
        alipay.create_qr(&payment("P2", 100)).await
    ));
    // An error answer may come unsigned (only ever a failure or NotFound) …
    assert_eq!(
        alipay.query("P404").await.unwrap().status,
        ProviderStatus::NotFound
    );
    // … but a badly signed one is refused.
    fake.state().answers = Answers::Forged;
    assert!(is_bad_signature(alipay.query("P404").await));
    assert!(is_bad_signature(alipay.close("P404").await));
}

#[test]
fn a_callback_signed_like_alipays_verifies() {
    let alipay = alipay("http://127.0.0.1:9/gateway.do");
    let body = signed_form(
        callback_params("P20260501000001", "TRADE_SUCCESS", "380.00"),
        ALIPAY_KEY,
        false,
    );
    let headers = vec![(
        "content-type".to_owned(),
        "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
    )];
    let paid = alipay.verify_callback(&headers, &body).unwrap();
    assert_eq!(paid.out_trade_no, "P20260501000001");
    assert_eq!(paid.status, ProviderStatus::Paid);
    assert_eq!(paid.amount_fen, Some(38_000));
    assert_eq!(paid.currency, "CNY");
    assert_eq!(
        paid.transaction_id.as_deref(),
        Some("2026050122001400000000000001")
    );
    assert_eq!(paid.merchant_id.as_deref(), Some(APP_ID));
    assert_eq!(paid.merchant_id.as_deref(), Some(alipay.merchant_id()));
    assert_eq!(
        paid.paid_at,
        Some(time::macros::datetime!(2026-05-01 02:34:56 UTC))
    );

    for (status, expected) in [
        ("TRADE_FINISHED", ProviderStatus::Paid),
        ("WAIT_BUYER_PAY", ProviderStatus::Pending),
        ("TRADE_CLOSED", ProviderStatus::Closed),
    ] {
        let body = signed_form(callback_params("P1", status, "0.01"), ALIPAY_KEY, false);
        let read = alipay.verify_callback(&[], &body).unwrap();
        assert_eq!(read.status, expected, "{status}");
        assert_eq!(read.amount_fen, Some(1));
    }

    // With a seller id configured, the merchant id carries it.
    let mut config = config("http://127.0.0.1:9/gateway.do");
    config.seller_id = Some(SELLER_ID.to_owned());
    let with_seller = Alipay::new(config).unwrap();
    let read = with_seller.verify_callback(&[], &body).unwrap();
    assert_eq!(with_seller.merchant_id(), format!("{APP_ID}/{SELLER_ID}"));
    assert_eq!(read.merchant_id.as_deref(), Some(with_seller.merchant_id()));

    // Another app's callback verifies but does not carry our id.
    let mut theirs = callback_params("P1", "TRADE_SUCCESS", "1.00");
    theirs.insert("app_id".to_owned(), "2021000000OTHER1".to_owned());
    let read = alipay
        .verify_callback(&[], &signed_form(theirs, ALIPAY_KEY, false))
        .unwrap();
    assert_ne!(read.merchant_id.as_deref(), Some(alipay.merchant_id()));
}

#[test]
fn empty_parameters_verify_either_way() {
    let alipay = alipay("http://127.0.0.1:9/gateway.do");
    let mut params = callback_params("P1", "TRADE_SUCCESS", "380.00");
    params.insert("body".to_owned(), String::new());
    // Signed with the empty value in the string (Alipay's Java SDK) …
    let body = signed_form(params.clone(), ALIPAY_KEY, false);
    assert!(alipay.verify_callback(&[], &body).is_ok());
    // … or without it (gopay).
    let body = signed_form(params, ALIPAY_KEY, true);
    assert!(alipay.verify_callback(&[], &body).is_ok());
}

#[test]
fn forged_and_tampered_callbacks_are_refused() {
    let alipay = alipay("http://127.0.0.1:9/gateway.do");
    let params = callback_params("P1", "TRADE_SUCCESS", "380.00");
    let body = signed_form(params.clone(), ALIPAY_KEY, false);
    let mut decoded: BTreeMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap();

    // Tampered amount.
    let mut tampered = decoded.clone();
    tampered.insert("total_amount".to_owned(), "0.01".to_owned());
    let tampered = serde_urlencoded::to_string(&tampered).unwrap();
    assert!(is_bad_signature(
        alipay.verify_callback(&[], tampered.as_bytes())
    ));

    // A parameter added.
    let mut added = decoded.clone();
    added.insert("refund_fee".to_owned(), "380.00".to_owned());
    let added = serde_urlencoded::to_string(&added).unwrap();
    assert!(is_bad_signature(
        alipay.verify_callback(&[], added.as_bytes())
    ));

    // Signed with another key.
    let forged = signed_form(params.clone(), INTRUDER_KEY, false);
    assert!(is_bad_signature(alipay.verify_callback(&[], &forged)));

    // No sign; another sign_type; a parameter given twice; not a form at all.
    let mut unsigned = decoded.clone();
    unsigned.remove("sign");
    let unsigned = serde_urlencoded::to_string(&unsigned).unwrap();
    assert!(is_bad_signature(
        alipay.verify_callback(&[], unsigned.as_bytes())
    ));
    decoded.insert("sign_type".to_owned(), "RSA".to_owned());
    let rsa1 = serde_urlencoded::to_string(&decoded).unwrap();
    assert!(is_bad_signature(
        alipay.verify_callback(&[], rsa1.as_bytes())
    ));
    let mut twice = body.clone();
    twice.extend_from_slice(b"&total_amount=0.01");
    assert!(is_bad_signature(alipay.verify_callback(&[], &twice)));
    assert!(is_bad_signature(
        alipay.verify_callback(&[], b"{\"trade_status\":\"TRADE_SUCCESS\"}")
    ));
    assert!(is_bad_signature(alipay.verify_callback(&[], b"")));

    // Verified first, read second: a malformed amount signed by Alipay is Malformed.
    for amount in ["38O.00", "380.001", "-380.00", ""] {
        let body = signed_form(
            callback_params("P1", "TRADE_SUCCESS", amount),
            ALIPAY_KEY,
            false,
        );
        assert!(
            matches!(
                alipay.verify_callback(&[], &body),
                Err(ProviderError::Malformed(_))
            ),
            "{amount:?}"
        );
    }
}

#[test]
fn a_sign_whose_plus_signs_became_spaces_still_verifies() {
    let alipay = alipay("http://127.0.0.1:9/gateway.do");
    let body = signed_form(
        callback_params("P1", "TRADE_SUCCESS", "380.00"),
        ALIPAY_KEY,
        false,
    );
    // Re-encode the sign with raw `+` (which form decoding turns into spaces).
    let params: BTreeMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap();
    let sign = params["sign"].clone();
    assert!(sign.contains('+'), "this signature has no + to lose");
    let mut rest = params.clone();
    rest.remove("sign");
    let broken = format!(
        "{}&sign={}",
        serde_urlencoded::to_string(&rest).unwrap(),
        sign.replace('/', "%2F").replace('=', "%3D")
    );
    assert!(alipay.verify_callback(&[], broken.as_bytes()).is_ok());
}

#[tokio::test]
async fn query_maps_the_trade_statuses() {
    let (fake, gateway) = start().await;
    let alipay = alipay(&gateway);
    alipay
        .create_qr(&payment("P20260501000002", 38_000))
        .await
        .unwrap();
    // Before the payer scans, Alipay does not know the trade.
    let unknown = alipay.query("P20260501000002").await.unwrap();
    assert_eq!(unknown.status, ProviderStatus::NotFound);
    assert_eq!(unknown.amount_fen, None);

    fake.set("P20260501000002", "WAIT_BUYER_PAY");
    let waiting = alipay.query("P20260501000002").await.unwrap();
    assert_eq!(waiting.status, ProviderStatus::Pending);
    assert_eq!(waiting.amount_fen, Some(38_000));

    fake.set("P20260501000002", "TRADE_SUCCESS");
    let paid = alipay.query("P20260501000002").await.unwrap();
    assert_eq!(paid.status, ProviderStatus::Paid);
    assert_eq!(paid.amount_fen, Some(38_000));
    assert_eq!(
        paid.transaction_id.as_deref(),
        Some("2026050122001400000000000001")
    );
    assert_eq!(paid.merchant_id.as_deref(), Some(alipay.merchant_id()));
    assert_eq!(
        paid.paid_at,
        Some(time::macros::datetime!(2026-05-01 02:34:56 UTC))
    );
    let request = fake.state().requests.last().unwrap().clone();
    assert_eq!(request["method"], "alipay.trade.query");
    assert!(!request.contains_key("notify_url"));

    fake.set("P20260501000002", "TRADE_FINISHED");
    assert_eq!(
        alipay.query("P20260501000002").await.unwrap().status,
        ProviderStatus::Paid
    );
    fake.set("P20260501000002", "TRADE_CLOSED");
    assert_eq!(
        alipay.query("P20260501000002").await.unwrap().status,
        ProviderStatus::Closed
    );
}

#[tokio::test]
async fn close_and_refund_succeed_against_the_fake() {
    let (fake, gateway) = start().await;
    let alipay = alipay(&gateway);
    alipay
        .create_qr(&payment("P20260501000003", 38_000))
        .await
        .unwrap();
    // Nothing to close before a scan.
    alipay.close("P20260501000003").await.unwrap();
    fake.set("P20260501000003", "WAIT_BUYER_PAY");
    alipay.close("P20260501000003").await.unwrap();
    assert_eq!(
        alipay.query("P20260501000003").await.unwrap().status,
        ProviderStatus::Closed
    );

    alipay
        .create_qr(&payment("P20260501000004", 38_000))
        .await
        .unwrap();
    fake.set("P20260501000004", "TRADE_SUCCESS");
    // A paid trade does not close.
    assert!(matches!(
        alipay.close("P20260501000004").await,
        Err(ProviderError::Provider(m)) if m.contains("ACQ.TRADE_STATUS_ERROR")
    ));
    let refund = RefundRequest {
        out_trade_no: "P20260501000004".to_owned(),
        out_refund_no: "R20260501000004".to_owned(),
        refund_fen: 10_001,
        total_fen: 38_000,
        reason: "重复缴费".to_owned(),
    };
    alipay.refund(&refund).await.unwrap();
    let request = fake.state().requests.last().unwrap().clone();
    assert_eq!(request["method"], "alipay.trade.refund");
    let biz: Value = serde_json::from_str(&request["biz_content"]).unwrap();
    assert_eq!(
        biz,
        json!({"out_trade_no": "P20260501000004", "refund_amount": "100.01",
               "out_request_no": "R20260501000004", "refund_reason": "重复缴费"})
    );
    // An unpaid trade does not refund.
    let unpaid = RefundRequest {
        out_trade_no: "P20260501000003".to_owned(),
        ..refund
    };
    assert!(alipay.refund(&unpaid).await.is_err());
}

#[test]
fn the_ack_is_plain_success_or_fail() {
    let alipay = alipay("http://127.0.0.1:9/gateway.do");
    let ok = alipay.ack(true);
    assert_eq!((ok.status, ok.body.as_str()), (200, "success"));
    assert!(ok.content_type.starts_with("text/plain"));
    let fail = alipay.ack(false);
    assert_eq!((fail.status, fail.body.as_str()), (200, "fail"));
}

#[test]
fn keys_are_read_in_the_forms_alipay_hands_out() {
    // The Alipay public key as the console shows it: bare base64, no PEM lines.
    let bare: String = ALIPAY_PUB
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut c = config("http://127.0.0.1:9/gateway.do");
    c.alipay_public_key_pem = bare;
    let alipay = Alipay::new(c).unwrap();
    let body = signed_form(
        callback_params("P1", "TRADE_SUCCESS", "380.00"),
        ALIPAY_KEY,
        false,
    );
    assert!(alipay.verify_callback(&[], &body).is_ok());
    // The app key as PKCS#8 bare base64 works as well as the PKCS#1 PEM of the fixture.
    let mut c = config("http://127.0.0.1:9/gateway.do");
    c.app_private_key_pem = ALIPAY_KEY
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    assert!(Alipay::new(c).is_ok());
    // Garbage is a configuration error; so is the default https gateway without `tls`.
    let mut c = config("http://127.0.0.1:9/gateway.do");
    c.alipay_public_key_pem = "not a key".to_owned();
    assert!(matches!(Alipay::new(c), Err(ProviderError::Config(_))));
    let c = AlipayConfig::new(APP_ID, APP_KEY_PKCS1, ALIPAY_PUB);
    assert_eq!(c.gateway_url, "https://openapi.alipay.com/gateway.do");
    assert!(!format!("{c:?}").contains("PRIVATE KEY"));
    if cfg!(feature = "tls") {
        assert!(Alipay::new(c).is_ok());
    } else {
        assert!(matches!(Alipay::new(c), Err(ProviderError::Config(m)) if m.contains("tls")));
    }
}
