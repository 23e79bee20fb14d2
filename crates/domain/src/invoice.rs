//! 电子发票: the e-invoice issued after a payment (manual 5.6, DOMAIN §9.1).
//!
//! Two kinds exist and the institute must say which applies (DOMAIN §10): a 数电票 (全面数字化的
//! 电子发票, when the fee is a business fee) or a 财政电子票据 (when it is a 行政事业性收费). Both
//! show the total in figures and in capital words ([`crate::money::Money::to_capital_words`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ParseError;
use crate::money::Money;

/// 票据种类.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// 电子发票（普通发票）, 数电票: a 20-digit number, tax shown per line.
    TaxEInvoice,
    /// 财政电子票据: 票据代码 (8) + 票据号码 (10), no tax.
    FiscalReceipt,
}

crate::error::wire_enum_names!(InvoiceKind, "unknown_invoice_kind", "未知的票据种类", {
    TaxEInvoice => "tax_e_invoice",
    FiscalReceipt => "fiscal_receipt",
});

impl InvoiceKind {
    /// The title printed on the document.
    pub fn title_zh(self) -> &'static str {
        match self {
            InvoiceKind::TaxEInvoice => "电子发票（普通发票）",
            InvoiceKind::FiscalReceipt => "浙江省非税收入统一票据（电子）",
        }
    }
}

/// 数电票发票号码: 20 digits — the year (2), the province (2, 33 浙江), the issuing channel (1)
/// and a sequence (15).
pub fn tax_invoice_number(
    year: i32,
    province: &str,
    channel: u8,
    seq: u64,
) -> Result<String, ParseError> {
    let province_ok = province.len() == 2 && province.bytes().all(|b| b.is_ascii_digit());
    if !province_ok || channel > 9 || seq >= 1_000_000_000_000_000 || !(2000..2100).contains(&year)
    {
        return Err(ParseError::new(
            "invalid_invoice_number",
            "发票号码的组成部分超出范围",
        ));
    }
    Ok(format!("{:02}{province}{channel}{seq:015}", year % 100))
}

/// 财政电子票据: 票据代码 (8 digits: region 6 + kind 2) and 票据号码 (10 digits).
pub fn fiscal_receipt_number(
    region: &str,
    kind: u8,
    seq: u64,
) -> Result<(String, String), ParseError> {
    let region_ok = region.len() == 6 && region.bytes().all(|b| b.is_ascii_digit());
    if !region_ok || kind > 99 || seq >= 10_000_000_000 {
        return Err(ParseError::new(
            "invalid_invoice_number",
            "票据代码或号码的组成部分超出范围",
        ));
    }
    Ok((format!("{region}{kind:02}"), format!("{seq:010}")))
}

/// 价税分离: splits an amount that includes tax into the amount without tax and the tax, at
/// `rate` (e.g. 0.06). The amount is rounded half-up to the 分 and the tax is the rest, so the
/// two always add up to the total exactly (the 价税合计 on the invoice is what was paid).
pub fn split_tax(total: Money, rate: Decimal) -> Result<(Money, Money), ParseError> {
    if rate.is_sign_negative() || rate >= Decimal::ONE {
        return Err(ParseError::new("invalid_tax_rate", "税率应在 0 到 1 之间"));
    }
    let net = total
        .as_decimal()
        .checked_div(Decimal::ONE + rate)
        .ok_or_else(|| ParseError::new("amount_out_of_range", "金额超出可处理的范围"))?;
    let net = Money::round_half_up(net)?;
    let tax = total
        .checked_sub(net)
        .ok_or_else(|| ParseError::new("amount_out_of_range", "金额超出可处理的范围"))?;
    Ok((net, tax))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            tax_invoice_number(2026, "33", 1, 42).unwrap(),
            "26331000000000000042"
        );
        assert_eq!(tax_invoice_number(2026, "33", 1, 42).unwrap().len(), 20);
        assert!(tax_invoice_number(2026, "3", 1, 42).is_err());
        assert_eq!(
            fiscal_receipt_number("330500", 1, 7).unwrap(),
            ("33050001".to_owned(), "0000000007".to_owned())
        );
    }

    #[test]
    fn tax_split() {
        let (net, tax) = split_tax(Money::parse("380.00").unwrap(), dec("0.06")).unwrap();
        assert_eq!(
            (net.to_string(), tax.to_string()),
            ("358.49".to_owned(), "21.51".to_owned())
        );
        let (net, tax) = split_tax(Money::parse("0.01").unwrap(), dec("0.06")).unwrap();
        assert_eq!(
            (net.to_string(), tax.to_string()),
            ("0.01".to_owned(), "0.00".to_owned())
        );
        let (net, tax) = split_tax(Money::parse("100.00").unwrap(), Decimal::ZERO).unwrap();
        assert_eq!((net, tax), (Money::parse("100.00").unwrap(), Money::ZERO));
        assert!(split_tax(Money::ZERO, dec("1.5")).is_err());
    }

    proptest! {
        #[test]
        fn split_adds_up(fen in 0i64..10_000_000_000, rate_pct in 0u32..20) {
            let total = Money::from_fen(fen);
            let (net, tax) = split_tax(total, Decimal::new(i64::from(rate_pct), 2)).unwrap();
            prop_assert_eq!(net + tax, total);
            prop_assert!(!tax.is_negative());
            prop_assert!(net <= total);
        }
    }
}
