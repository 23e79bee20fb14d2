//! 缴费: payment notices (缴款通知书) and online payments by QR code (manual 5.5, DOMAIN §9).
//!
//! The institute issues a notice for the approved fees of inspected items; the enterprise pays it
//! by scanning a QR code of a payment provider. One notice may see several payment attempts (a QR
//! expired, another provider chosen); at most one of them pays it.
//!
//! ```text
//! notice:   unpaid ──pay──▶ paid            unpaid ──cancel──▶ cancelled
//! payment:  created ──qr──▶ qr_issued ──▶ paid | closed | expired | failed
//!           paid ──▶ refunding ──▶ refunded
//! ```

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// 缴款通知书编号: 20 digits in the style of a 非税收入缴款码 — the year (2), the region code (6,
/// e.g. 330500), a sequence (11) and a check digit (Luhn, mod 10), so a mistyped number is caught
/// before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PaymentNoticeNo(String);

impl PaymentNoticeNo {
    /// The number of sequence `seq` in `year` for `region` (a 6-digit code).
    pub fn new(year: i32, region: &str, seq: u64) -> Result<Self, ParseError> {
        let region_ok = region.len() == 6 && region.bytes().all(|b| b.is_ascii_digit());
        if !region_ok || seq >= 100_000_000_000 || !(2000..2100).contains(&year) {
            return Err(ParseError::new(
                "invalid_payment_notice_no",
                "缴款通知书编号的组成部分超出范围",
            ));
        }
        let body = format!("{:02}{region}{seq:011}", year % 100);
        let check = luhn_check_digit(&body);
        Ok(Self(format!("{body}{check}")))
    }

    /// Reads a number as typed: spaces and dashes are ignored; 20 digits with a valid check digit.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let digits: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let bad = || {
            ParseError::new(
                "invalid_payment_notice_no",
                "缴款通知书编号应为 20 位数字（见缴款通知书右上角），请核对",
            )
        };
        if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (body, check) = digits.split_at(19);
        if luhn_check_digit(body).to_string() != check {
            return Err(bad());
        }
        Ok(Self(digits))
    }

    /// The 20 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::error::string_newtype!(PaymentNoticeNo);

/// The Luhn check digit of a string of digits.
fn luhn_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// 缴款通知书状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// 未缴.
    Unpaid,
    /// 已缴.
    Paid,
    /// 已作废.
    Cancelled,
}

crate::error::wire_enum_names!(NoticeState, "unknown_payment_notice_state", "未知的缴款状态", {
    Unpaid => "unpaid",
    Paid => "paid",
    Cancelled => "cancelled",
});

impl NoticeState {
    /// Every state.
    pub fn all() -> &'static [NoticeState] {
        &[
            NoticeState::Unpaid,
            NoticeState::Paid,
            NoticeState::Cancelled,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeState::Unpaid => "未缴",
            NoticeState::Paid => "已缴",
            NoticeState::Cancelled => "已作废",
        }
    }

    /// Whether a payment may start: only an unpaid notice can be paid.
    pub fn check_payable(self) -> Result<(), ParseError> {
        match self {
            NoticeState::Unpaid => Ok(()),
            NoticeState::Paid => Err(ParseError::new(
                "notice_already_paid",
                "该缴款通知书已缴费，无需重复支付",
            )),
            NoticeState::Cancelled => Err(ParseError::new(
                "notice_cancelled",
                "该缴款通知书已作废，请联系检验机构",
            )),
        }
    }

    /// A payment of the notice succeeded.
    pub fn pay(self) -> Result<NoticeState, ParseError> {
        self.check_payable().map(|()| NoticeState::Paid)
    }

    /// The institute cancels an unpaid notice.
    pub fn cancel(self) -> Result<NoticeState, ParseError> {
        self.check_payable().map(|()| NoticeState::Cancelled)
    }
}

/// 支付渠道.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// 模拟支付 (local runs and demos).
    Sandbox,
    /// 微信支付 Native.
    Wechat,
    /// 支付宝当面付.
    Alipay,
}

crate::error::wire_enum_names!(Provider, "unknown_provider", "未知的支付渠道", {
    Sandbox => "sandbox",
    Wechat => "wechat",
    Alipay => "alipay",
});

impl Provider {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Provider::Sandbox => "模拟支付",
            Provider::Wechat => "微信支付",
            Provider::Alipay => "支付宝",
        }
    }
}

/// 支付状态 of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Created here, not yet at the provider.
    Created,
    /// The provider gave a QR code; waiting for the payer.
    QrIssued,
    /// Paid (the provider said so in a verified callback or a query).
    Paid,
    /// Closed before payment (the payer chose another way, or we closed it).
    Closed,
    /// The QR code expired unpaid.
    Expired,
    /// The provider refused it.
    Failed,
    /// A refund is under way.
    Refunding,
    /// Refunded.
    Refunded,
}

crate::error::wire_enum_names!(PaymentState, "unknown_payment_state", "未知的支付状态", {
    Created => "created",
    QrIssued => "qr_issued",
    Paid => "paid",
    Closed => "closed",
    Expired => "expired",
    Failed => "failed",
    Refunding => "refunding",
    Refunded => "refunded",
});

/// What happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentEvent {
    /// The provider issued the QR code.
    QrIssued,
    /// The provider reports it paid.
    Paid,
    /// Closed by us or the provider.
    Closed,
    /// The QR code's time ran out.
    Expired,
    /// The provider refused.
    Failed,
    /// A refund was asked for.
    RefundRequested,
    /// The refund went through.
    Refunded,
}

impl PaymentState {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            PaymentState::Created => "已创建",
            PaymentState::QrIssued => "待支付",
            PaymentState::Paid => "已支付",
            PaymentState::Closed => "已关闭",
            PaymentState::Expired => "已过期",
            PaymentState::Failed => "支付失败",
            PaymentState::Refunding => "退款中",
            PaymentState::Refunded => "已退款",
        }
    }

    /// Whether the attempt is over (no callback can change it any more, except a refund of a
    /// paid one).
    pub fn is_final(self) -> bool {
        !matches!(self, PaymentState::Created | PaymentState::QrIssued)
    }

    /// The state after `event`. A repeated event that changes nothing (a duplicate "paid"
    /// callback) is `Ok(self)`, so callbacks are idempotent; an impossible one is an error.
    pub fn apply(self, event: PaymentEvent) -> Result<PaymentState, ParseError> {
        use PaymentEvent as E;
        use PaymentState as S;
        let next = match (self, event) {
            (S::Created, E::QrIssued) => S::QrIssued,
            (S::Created | S::QrIssued, E::Paid) => S::Paid,
            (S::Created | S::QrIssued, E::Closed) => S::Closed,
            (S::Created | S::QrIssued, E::Expired) => S::Expired,
            (S::Created | S::QrIssued, E::Failed) => S::Failed,
            (S::Paid, E::RefundRequested) => S::Refunding,
            (S::Refunding, E::Refunded) => S::Refunded,
            // Repeats.
            (S::QrIssued, E::QrIssued)
            | (S::Paid, E::Paid)
            | (S::Closed, E::Closed)
            | (S::Expired, E::Expired)
            | (S::Failed, E::Failed)
            | (S::Refunding, E::RefundRequested)
            | (S::Refunded, E::Refunded) => self,
            _ => {
                return Err(ParseError::new(
                    "invalid_payment_transition",
                    format!("支付当前为「{}」，不能再变更", self.label_zh()),
                ));
            }
        };
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn notice_numbers() {
        let no = PaymentNoticeNo::new(2026, "330500", 42).unwrap();
        assert_eq!(no.as_str().len(), 20);
        assert!(no.as_str().starts_with("2633050000000000042"));
        assert_eq!(PaymentNoticeNo::parse(no.as_str()).unwrap(), no);
        // Spaces and dashes as people type them.
        let spaced = format!(
            "{} {}-{}",
            &no.as_str()[..4],
            &no.as_str()[4..10],
            &no.as_str()[10..]
        );
        assert_eq!(PaymentNoticeNo::parse(&spaced).unwrap(), no);
        // One wrong digit is caught.
        let mut wrong = no.as_str().to_owned();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert!(PaymentNoticeNo::parse(&wrong).is_err());
        assert!(PaymentNoticeNo::parse("123").is_err());
        assert!(PaymentNoticeNo::new(2026, "33050", 1).is_err());
    }

    proptest! {
        #[test]
        fn every_single_digit_error_is_caught(seq in 0u64..100_000_000_000, pos in 0usize..20, delta in 1u8..10) {
            let no = PaymentNoticeNo::new(2026, "330500", seq).unwrap();
            let mut bytes = no.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(PaymentNoticeNo::parse(&typo).is_err());
        }
    }

    #[test]
    fn notices_are_paid_once() {
        assert_eq!(NoticeState::Unpaid.pay().unwrap(), NoticeState::Paid);
        assert_eq!(
            NoticeState::Paid.pay().unwrap_err().code(),
            "notice_already_paid"
        );
        assert_eq!(
            NoticeState::Cancelled.pay().unwrap_err().code(),
            "notice_cancelled"
        );
        assert_eq!(
            NoticeState::Paid.cancel().unwrap_err().code(),
            "notice_already_paid"
        );
    }

    #[test]
    fn payments_are_idempotent_and_final() {
        let s = PaymentState::Created.apply(PaymentEvent::QrIssued).unwrap();
        let s = s.apply(PaymentEvent::Paid).unwrap();
        assert_eq!(s.apply(PaymentEvent::Paid).unwrap(), PaymentState::Paid);
        assert!(s.apply(PaymentEvent::Expired).is_err());
        assert!(PaymentState::Expired.apply(PaymentEvent::Paid).is_err());
        let r = s.apply(PaymentEvent::RefundRequested).unwrap();
        assert_eq!(
            r.apply(PaymentEvent::Refunded).unwrap(),
            PaymentState::Refunded
        );
    }
}
