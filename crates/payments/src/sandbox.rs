//! 模拟支付: a provider that lives inside the server, for local runs, demos and tests.
//!
//! Its QR code links to the server's own payer page (`{payer_base}/{out_trade_no}`). Confirming
//! there calls [`Sandbox::pay`], which records the trade as paid and returns a callback signed
//! like a real provider's (HMAC-SHA256 over `timestamp\nbody` with the server's sandbox secret,
//! in `x-sandbox-timestamp` and `x-sandbox-signature`); the server posts it to its own callback
//! endpoint, so the same verification path runs as for WeChat and Alipay.

use std::collections::HashMap;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::{
    Ack, BoxFuture, NewPayment, PaymentProvider, ProviderError, ProviderPayment, ProviderStatus,
    QrPayment, RefundRequest, header,
};

/// How old a callback may be.
const MAX_AGE_SECONDS: i64 = 300;

#[derive(Debug, Clone)]
struct Trade {
    amount_fen: i64,
    status: ProviderStatus,
    transaction_id: Option<String>,
    paid_at: Option<OffsetDateTime>,
    expires_at: OffsetDateTime,
}

/// The simulated provider.
#[derive(Debug)]
pub struct Sandbox {
    secret: Vec<u8>,
    merchant_id: String,
    payer_base: String,
    trades: Mutex<HashMap<String, Trade>>,
}

/// The callback body the sandbox signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxCallback {
    pub merchant_id: String,
    pub out_trade_no: String,
    pub transaction_id: String,
    pub amount_fen: i64,
    pub currency: String,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub paid_at: OffsetDateTime,
}

/// A signed callback, ready to post.
#[derive(Debug, Clone)]
pub struct SignedCallback {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Sandbox {
    /// A sandbox signing with `secret` (at least 16 bytes), whose payer page is under
    /// `payer_base` (e.g. `http://127.0.0.1:8080/sandbox/pay`).
    pub fn new(
        secret: Vec<u8>,
        merchant_id: &str,
        payer_base: &str,
    ) -> Result<Self, ProviderError> {
        if secret.len() < 16 {
            return Err(ProviderError::Config(
                "sandbox secret must be at least 16 bytes".to_owned(),
            ));
        }
        Ok(Self {
            secret,
            merchant_id: merchant_id.to_owned(),
            payer_base: payer_base.trim_end_matches('/').to_owned(),
            trades: Mutex::new(HashMap::new()),
        })
    }

    fn trades(&self) -> std::sync::MutexGuard<'_, HashMap<String, Trade>> {
        self.trades
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn mac(&self, timestamp: &str, body: &[u8]) -> Result<Hmac<Sha256>, ProviderError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret)
            .map_err(|e| ProviderError::Config(e.to_string()))?;
        mac.update(timestamp.as_bytes());
        mac.update(b"\n");
        mac.update(body);
        Ok(mac)
    }

    /// Signs `body` as the sandbox's callbacks are signed.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> Result<String, ProviderError> {
        Ok(hex::encode(
            self.mac(timestamp, body)?.finalize().into_bytes(),
        ))
    }

    /// The payer confirmed: the trade is paid (once) and the signed callback is returned. A
    /// second confirmation returns the same callback again (providers repeat callbacks too).
    pub fn pay(&self, out_trade_no: &str) -> Result<SignedCallback, ProviderError> {
        let now = OffsetDateTime::now_utc();
        let (amount_fen, transaction_id, paid_at) = {
            let mut trades = self.trades();
            let trade = trades
                .get_mut(out_trade_no)
                .ok_or_else(|| ProviderError::Provider(format!("unknown trade {out_trade_no}")))?;
            match trade.status {
                ProviderStatus::Pending if now > trade.expires_at => {
                    trade.status = ProviderStatus::Closed;
                    return Err(ProviderError::Provider("二维码已过期".to_owned()));
                }
                ProviderStatus::Pending => {
                    trade.status = ProviderStatus::Paid;
                    trade.transaction_id = Some(format!("SBX{}", crate::nonce(20)?));
                    trade.paid_at = Some(now);
                }
                ProviderStatus::Paid => {}
                _ => return Err(ProviderError::Provider("交易已关闭".to_owned())),
            }
            (
                trade.amount_fen,
                trade.transaction_id.clone().unwrap_or_default(),
                trade.paid_at.unwrap_or(now),
            )
        };
        let body = serde_json::to_vec(&SandboxCallback {
            merchant_id: self.merchant_id.clone(),
            out_trade_no: out_trade_no.to_owned(),
            transaction_id,
            amount_fen,
            currency: "CNY".to_owned(),
            status: "SUCCESS".to_owned(),
            paid_at,
        })
        .map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let timestamp = now.unix_timestamp().to_string();
        let signature = self.sign(&timestamp, &body)?;
        Ok(SignedCallback {
            headers: vec![
                ("x-sandbox-timestamp".to_owned(), timestamp),
                ("x-sandbox-signature".to_owned(), signature),
                ("content-type".to_owned(), "application/json".to_owned()),
            ],
            body,
        })
    }

    /// The amount and state of a trade, for the payer page.
    pub fn trade(&self, out_trade_no: &str) -> Option<(i64, ProviderStatus, OffsetDateTime)> {
        self.trades()
            .get(out_trade_no)
            .map(|t| (t.amount_fen, t.status, t.expires_at))
    }
}

impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    fn create_qr<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, Result<QrPayment, ProviderError>> {
        Box::pin(async move {
            if payment.amount_fen <= 0 {
                return Err(ProviderError::Provider(
                    "amount must be positive".to_owned(),
                ));
            }
            self.trades().insert(
                payment.out_trade_no.clone(),
                Trade {
                    amount_fen: payment.amount_fen,
                    status: ProviderStatus::Pending,
                    transaction_id: None,
                    paid_at: None,
                    expires_at: payment.expires_at,
                },
            );
            Ok(QrPayment {
                qr_text: format!("{}/{}", self.payer_base, payment.out_trade_no),
                expires_at: payment.expires_at,
            })
        })
    }

    fn verify_callback(
        &self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<ProviderPayment, ProviderError> {
        let timestamp = header(headers, "x-sandbox-timestamp")
            .ok_or_else(|| ProviderError::BadSignature("missing timestamp".to_owned()))?;
        let signature = header(headers, "x-sandbox-signature")
            .ok_or_else(|| ProviderError::BadSignature("missing signature".to_owned()))?;
        let expected = hex::decode(signature)
            .map_err(|_| ProviderError::BadSignature("signature is not hex".to_owned()))?;
        self.mac(timestamp, body)?
            .verify_slice(&expected)
            .map_err(|_| ProviderError::BadSignature("signature mismatch".to_owned()))?;
        let sent: i64 = timestamp
            .parse()
            .map_err(|_| ProviderError::BadSignature("bad timestamp".to_owned()))?;
        if (OffsetDateTime::now_utc().unix_timestamp() - sent).abs() > MAX_AGE_SECONDS {
            return Err(ProviderError::BadSignature("callback too old".to_owned()));
        }
        let callback: SandboxCallback =
            serde_json::from_slice(body).map_err(|e| ProviderError::Malformed(e.to_string()))?;
        Ok(ProviderPayment {
            out_trade_no: callback.out_trade_no,
            transaction_id: Some(callback.transaction_id),
            status: if callback.status == "SUCCESS" {
                ProviderStatus::Paid
            } else {
                ProviderStatus::Failed
            },
            amount_fen: Some(callback.amount_fen),
            currency: callback.currency,
            merchant_id: Some(callback.merchant_id),
            paid_at: Some(callback.paid_at),
        })
    }

    fn query<'a>(
        &'a self,
        out_trade_no: &'a str,
    ) -> BoxFuture<'a, Result<ProviderPayment, ProviderError>> {
        Box::pin(async move {
            let trade = self.trades().get(out_trade_no).cloned();
            Ok(match trade {
                None => ProviderPayment {
                    out_trade_no: out_trade_no.to_owned(),
                    transaction_id: None,
                    status: ProviderStatus::NotFound,
                    amount_fen: None,
                    currency: "CNY".to_owned(),
                    merchant_id: Some(self.merchant_id.clone()),
                    paid_at: None,
                },
                Some(t) => ProviderPayment {
                    out_trade_no: out_trade_no.to_owned(),
                    transaction_id: t.transaction_id,
                    status: t.status,
                    amount_fen: Some(t.amount_fen),
                    currency: "CNY".to_owned(),
                    merchant_id: Some(self.merchant_id.clone()),
                    paid_at: t.paid_at,
                },
            })
        })
    }

    fn close<'a>(&'a self, out_trade_no: &'a str) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            if let Some(t) = self.trades().get_mut(out_trade_no)
                && t.status == ProviderStatus::Pending
            {
                t.status = ProviderStatus::Closed;
            }
            Ok(())
        })
    }

    fn refund<'a>(&'a self, refund: &'a RefundRequest) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let mut trades = self.trades();
            let t = trades
                .get_mut(&refund.out_trade_no)
                .ok_or_else(|| ProviderError::Provider("unknown trade".to_owned()))?;
            if t.status != ProviderStatus::Paid || refund.refund_fen > t.amount_fen {
                return Err(ProviderError::Provider("cannot refund".to_owned()));
            }
            t.status = ProviderStatus::Refunded;
            Ok(())
        })
    }

    fn ack(&self, accepted: bool) -> Ack {
        Ack {
            status: if accepted { 200 } else { 400 },
            content_type: "application/json",
            body: if accepted {
                r#"{"code":"SUCCESS"}"#.to_owned()
            } else {
                r#"{"code":"FAIL","message":"rejected"}"#.to_owned()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::Duration;

    fn sandbox() -> Sandbox {
        Sandbox::new(
            b"0123456789abcdef0123".to_vec(),
            "SBX-MCH",
            "http://x/sandbox/pay",
        )
        .unwrap()
    }

    fn payment(no: &str, minutes: i64) -> NewPayment {
        NewPayment {
            out_trade_no: no.to_owned(),
            amount_fen: 38_000,
            description: "检验费".to_owned(),
            expires_at: OffsetDateTime::now_utc() + Duration::minutes(minutes),
            notify_url: "http://x/notify".to_owned(),
        }
    }

    #[tokio::test]
    async fn pays_with_a_verifiable_callback() {
        let s = sandbox();
        let qr = s.create_qr(&payment("P1", 5)).await.unwrap();
        assert_eq!(qr.qr_text, "http://x/sandbox/pay/P1");
        let cb = s.pay("P1").unwrap();
        let paid = s.verify_callback(&cb.headers, &cb.body).unwrap();
        assert_eq!(paid.status, ProviderStatus::Paid);
        assert_eq!(paid.amount_fen, Some(38_000));
        assert_eq!(paid.merchant_id.as_deref(), Some("SBX-MCH"));
        // Paying again repeats the same transaction.
        let again = s
            .verify_callback(&s.pay("P1").unwrap().headers, &s.pay("P1").unwrap().body)
            .unwrap();
        assert_eq!(again.transaction_id, paid.transaction_id);
        assert_eq!(s.query("P1").await.unwrap().status, ProviderStatus::Paid);
    }

    #[tokio::test]
    async fn tampering_is_caught() {
        let s = sandbox();
        s.create_qr(&payment("P2", 5)).await.unwrap();
        let cb = s.pay("P2").unwrap();
        let mut body = cb.body.clone();
        let text = String::from_utf8(body.clone())
            .unwrap()
            .replace("38000", "1");
        body = text.into_bytes();
        assert!(matches!(
            s.verify_callback(&cb.headers, &body),
            Err(ProviderError::BadSignature(_))
        ));
        assert!(matches!(
            s.verify_callback(&[], &cb.body),
            Err(ProviderError::BadSignature(_))
        ));
        let other = Sandbox::new(b"another-secret-0000".to_vec(), "SBX-MCH", "http://x").unwrap();
        assert!(other.verify_callback(&cb.headers, &cb.body).is_err());
    }

    #[tokio::test]
    async fn expired_and_closed_trades_cannot_be_paid() {
        let s = sandbox();
        s.create_qr(&payment("P3", -1)).await.unwrap();
        assert!(s.pay("P3").is_err());
        s.create_qr(&payment("P4", 5)).await.unwrap();
        s.close("P4").await.unwrap();
        assert!(s.pay("P4").is_err());
        assert_eq!(
            s.query("P5").await.unwrap().status,
            ProviderStatus::NotFound
        );
    }
}
