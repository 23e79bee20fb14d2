//! 金额: amounts of money in 元 (yuan), exact to the 分 (fen, 0.01 元).
//!
//! Inspection fees, payment notices and invoices all deal in 元 with two decimals. [`Money`]
//! never uses floating point: it holds a whole number of 分 and converts to and from
//! [`rust_decimal::Decimal`] at the edges. On the wire it is the string `"12.30"`; WeChat Pay wants
//! 分 ([`Money::to_fen`]), Alipay wants the yuan string ([`Money`]'s `Display`).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// 金额: an amount in 元 with exactly two decimals; may be negative (refunds, corrections).
///
/// The range is that of `i64` 分 (about ±9.2 × 10¹⁶ 元). `+`, `-` and `Sum` panic on overflow,
/// like integer arithmetic; use the `checked_` methods for untrusted input.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Money {
    fen: i64,
}

fn not_a_number(value: &str) -> ParseError {
    ParseError::new(
        "invalid_amount",
        format!("金额格式不正确：{value}（示例：12.30）"),
    )
}

fn out_of_range() -> ParseError {
    ParseError::new("amount_out_of_range", "金额超出可处理的范围")
}

/// 零 to 玖.
const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

fn digit(n: u64) -> usize {
    usize::try_from(n % 10).unwrap_or(0)
}

/// A whole number below 10 000 in capitals: `壹仟零伍`, `壹拾`; no leading 零.
fn group_words(n: u64) -> String {
    const UNITS: [&str; 4] = ["仟", "佰", "拾", ""];
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero_pending = false;
    for (d, unit) in digits.iter().zip(UNITS) {
        if *d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        out.push(DIGITS[digit(*d)]);
        out.push_str(unit);
    }
    out
}

/// A whole number in capitals with 万 and 亿 (亿 repeats for larger numbers: 壹万亿, 壹亿亿).
fn integer_words(n: u64) -> String {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    if n >= YI {
        let (high, low) = (n / YI, n % YI);
        let mut out = integer_words(high);
        out.push('亿');
        if low > 0 {
            if low < YI / 10 {
                out.push('零');
            }
            out.push_str(&integer_words(low));
        }
        out
    } else if n >= WAN {
        let (high, low) = (n / WAN, n % WAN);
        let mut out = group_words(high);
        out.push('万');
        if low > 0 {
            if low < WAN / 10 {
                out.push('零');
            }
            out.push_str(&group_words(low));
        }
        out
    } else {
        group_words(n)
    }
}

impl Money {
    /// Zero 元.
    pub const ZERO: Money = Money { fen: 0 };

    /// Parses `"12"`, `"12.3"`, `"12.30"`, `"-5.00"` (surrounding whitespace allowed).
    ///
    /// Fails with `invalid_amount` for anything that is not a plain decimal number (no exponent,
    /// no thousands separators, no currency sign), with `too_many_decimals` when digits other than
    /// trailing zeros follow the second decimal place (`"12.345"`; `"12.300"` is fine), and with
    /// `amount_out_of_range` when the amount is too large.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let text = value.trim();
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (unsigned, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (unsigned.contains('.') && fraction.is_empty())
        {
            return Err(not_a_number(text));
        }
        let significant = fraction.trim_end_matches('0');
        if significant.len() > 2 {
            return Err(ParseError::new(
                "too_many_decimals",
                "金额最多保留两位小数（精确到分）",
            ));
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 18 {
            return Err(out_of_range());
        }
        let yuan: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| not_a_number(text))?
        };
        let cents: i128 = format!("{significant:0<2}")
            .parse()
            .map_err(|_| not_a_number(text))?;
        let fen = yuan * 100 + cents;
        let fen = if negative { -fen } else { fen };
        i64::try_from(fen)
            .map(Money::from_fen)
            .map_err(|_| out_of_range())
    }

    /// The amount of so many 分: `from_fen(1230)` is 12.30 元.
    pub const fn from_fen(fen: i64) -> Money {
        Money { fen }
    }

    /// The amount in 分, exactly: 12.30 元 is 1230.
    pub const fn to_fen(self) -> i64 {
        self.fen
    }

    /// A computed amount (a fee from a tariff, a percentage) rounded to the 分, half away from zero
    /// (四舍五入): 12.345 → 12.35, −12.345 → −12.35. Fails with `amount_out_of_range`.
    pub fn round_half_up(amount: Decimal) -> Result<Money, ParseError> {
        amount
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|fen| fen.to_i64())
            .map(Money::from_fen)
            .ok_or_else(out_of_range)
    }

    /// 金额大写: the amount in Chinese capital numerals as invoices and bank forms write it
    /// (中国人民银行《支付结算办法》): `壹仟陆佰捌拾元零叁角贰分`, `壹拾元整`, `伍分`,
    /// `壹佰万元零壹角`. Conventions where the rules allow a choice: a whole amount ends in
    /// `整`, an amount ending in 角 or 分 does not; a 零 is written where the 元 digit is zero and
    /// 角 is not (`…元零壹角`) and where 角 is zero and 分 is not (`…元零伍分`); 拾 always has its
    /// digit (`壹拾`); a negative amount starts with `负`.
    pub fn to_capital_words(self) -> String {
        let negative = self.fen < 0;
        let fen_total = self.fen.unsigned_abs();
        let yuan = fen_total / 100;
        let jiao = (fen_total / 10) % 10;
        let fen = fen_total % 10;
        let mut out = String::new();
        if negative {
            out.push('负');
        }
        if yuan > 0 {
            out.push_str(&integer_words(yuan));
            out.push('元');
            match (jiao, fen) {
                (0, 0) => out.push('整'),
                (0, _) => {
                    out.push('零');
                    out.push(DIGITS[digit(fen)]);
                    out.push('分');
                }
                (_, _) => {
                    if yuan.is_multiple_of(10) {
                        out.push('零');
                    }
                    out.push(DIGITS[digit(jiao)]);
                    out.push('角');
                    if fen > 0 {
                        out.push(DIGITS[digit(fen)]);
                        out.push('分');
                    }
                }
            }
        } else {
            match (jiao, fen) {
                (0, 0) => out.push_str("零元整"),
                (0, _) => {
                    out.push(DIGITS[digit(fen)]);
                    out.push('分');
                }
                (_, _) => {
                    out.push(DIGITS[digit(jiao)]);
                    out.push('角');
                    if fen > 0 {
                        out.push(DIGITS[digit(fen)]);
                        out.push('分');
                    }
                }
            }
        }
        out
    }

    /// The amount as a `Decimal` with scale 2.
    pub fn as_decimal(self) -> Decimal {
        Decimal::new(self.fen, 2)
    }

    /// `true` below zero.
    pub const fn is_negative(self) -> bool {
        self.fen < 0
    }

    /// `true` for exactly zero.
    pub const fn is_zero(self) -> bool {
        self.fen == 0
    }

    /// The sum, or `None` on overflow.
    pub const fn checked_add(self, other: Money) -> Option<Money> {
        match self.fen.checked_add(other.fen) {
            Some(fen) => Some(Money { fen }),
            None => None,
        }
    }

    /// The difference, or `None` on overflow.
    pub const fn checked_sub(self, other: Money) -> Option<Money> {
        match self.fen.checked_sub(other.fen) {
            Some(fen) => Some(Money { fen }),
            None => None,
        }
    }

    /// The sum of many amounts, or `None` on overflow.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.fen < 0 { "-" } else { "" };
        let abs = self.fen.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl TryFrom<String> for Money {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Money::parse(&value)
    }
}

impl std::str::FromStr for Money {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Money::parse(value)
    }
}

impl From<Money> for String {
    fn from(value: Money) -> String {
        value.to_string()
    }
}

impl From<Money> for Decimal {
    fn from(value: Money) -> Decimal {
        value.as_decimal()
    }
}

#[allow(clippy::panic)]
fn overflow() -> ! {
    panic!("金额溢出 (money overflow)")
}

impl Add for Money {
    type Output = Money;
    /// # Panics
    /// On overflow; see [`Money::checked_add`].
    fn add(self, other: Money) -> Money {
        self.checked_add(other).unwrap_or_else(|| overflow())
    }
}

impl Sub for Money {
    type Output = Money;
    /// # Panics
    /// On overflow; see [`Money::checked_sub`].
    fn sub(self, other: Money) -> Money {
        self.checked_sub(other).unwrap_or_else(|| overflow())
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::ZERO - self
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn parses_and_displays_two_decimals() {
        for (input, fen, shown) in [
            ("12.3", 1230, "12.30"),
            ("12.30", 1230, "12.30"),
            ("12", 1200, "12.00"),
            (" 0.05 ", 5, "0.05"),
            ("-5.1", -510, "-5.10"),
            ("-0.01", -1, "-0.01"),
            ("+7", 700, "7.00"),
            ("007.50", 750, "7.50"),
            ("12.300", 1230, "12.30"),
            ("0", 0, "0.00"),
            ("-0", 0, "0.00"),
        ] {
            let money = Money::parse(input).unwrap();
            assert_eq!(money.to_fen(), fen, "{input}");
            assert_eq!(money.to_string(), shown, "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for input in [
            "", "abc", "1e3", "12.", ".5", "1,000.00", "¥12", "12.3.4", "--1", "1 000", "NaN",
        ] {
            assert_eq!(
                Money::parse(input).unwrap_err().code(),
                "invalid_amount",
                "{input}"
            );
        }
        for input in ["12.345", "0.001", "1.0001"] {
            assert_eq!(
                Money::parse(input).unwrap_err().code(),
                "too_many_decimals",
                "{input}"
            );
        }
        assert_eq!(
            Money::parse("99999999999999999999").unwrap_err().code(),
            "amount_out_of_range"
        );
        assert_eq!(
            Money::parse("92233720368547758.08").unwrap_err().code(),
            "amount_out_of_range"
        );
        assert_eq!(
            Money::parse("92233720368547758.07").unwrap().to_fen(),
            i64::MAX
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(
            Money::round_half_up(d("12.345")).unwrap().to_string(),
            "12.35"
        );
        assert_eq!(
            Money::round_half_up(d("12.344")).unwrap().to_string(),
            "12.34"
        );
        assert_eq!(
            Money::round_half_up(d("-12.345")).unwrap().to_string(),
            "-12.35"
        );
        assert_eq!(
            Money::round_half_up(d("0.125")).unwrap().to_string(),
            "0.13"
        );
        assert_eq!(Money::round_half_up(d("380")).unwrap().to_fen(), 38000);
        assert_eq!(
            Money::round_half_up(Decimal::MAX).unwrap_err().code(),
            "amount_out_of_range"
        );
        assert_eq!(Money::parse("12.30").unwrap().as_decimal(), d("12.30"));
    }

    #[test]
    fn arithmetic() {
        let a = Money::parse("0.10").unwrap();
        let b = Money::parse("0.20").unwrap();
        assert_eq!(a + b, Money::parse("0.30").unwrap());
        assert_eq!((a - b).to_string(), "-0.10");
        assert!((a - b).is_negative());
        assert_eq!(-a, Money::from_fen(-10));
        assert!(Money::ZERO.is_zero());
        assert_eq!(
            Money::from_fen(i64::MAX).checked_add(Money::from_fen(1)),
            None
        );
        assert_eq!(
            Money::checked_sum([Money::from_fen(i64::MAX), Money::from_fen(1)]),
            None
        );
        let total: Money = [a, b, a].iter().sum();
        assert_eq!(total.to_string(), "0.40");
    }

    #[test]
    fn serde_is_the_yuan_string() {
        let money = Money::parse("12.3").unwrap();
        assert_eq!(serde_json::to_string(&money).unwrap(), "\"12.30\"");
        assert_eq!(serde_json::from_str::<Money>("\"12.30\"").unwrap(), money);
        assert!(serde_json::from_str::<Money>("\"12.301\"").is_err());
        assert!(serde_json::from_str::<Money>("12.30").is_err());
    }

    proptest! {
        #[test]
        fn fen_round_trip(fen in any::<i64>()) {
            prop_assert_eq!(Money::from_fen(fen).to_fen(), fen);
        }

        #[test]
        fn display_parse_round_trip(fen in any::<i64>()) {
            let money = Money::from_fen(fen);
            let text = money.to_string();
            prop_assert_eq!(Money::parse(&text).unwrap(), money);
            let (_, decimals) = text.split_once('.').unwrap();
            prop_assert_eq!(decimals.len(), 2);
            prop_assert_eq!(money.as_decimal().to_string(), text);
        }

        #[test]
        fn sum_is_exact(fens in proptest::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 0..50)) {
            let total: Money = fens.iter().map(|&f| Money::from_fen(f)).sum();
            prop_assert_eq!(total.to_fen(), fens.iter().sum::<i64>());
            let decimal_total: Decimal = fens.iter().map(|&f| Money::from_fen(f).as_decimal()).sum();
            prop_assert_eq!(total.as_decimal(), decimal_total);
        }

        #[test]
        fn rounding_is_within_half_a_fen(mantissa in -1_000_000_000_000i64..1_000_000_000_000, scale in 0u32..6) {
            let amount = Decimal::new(mantissa, scale);
            let money = Money::round_half_up(amount).unwrap();
            let error = (money.as_decimal() - amount).abs();
            prop_assert!(error <= Decimal::new(5, 3));
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = Money::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_numbers(input in "[-+]?[0-9]{0,25}(\\.[0-9]{0,5})?") {
            if let Ok(money) = Money::parse(&input) {
                prop_assert_eq!(Money::parse(&money.to_string()).unwrap(), money);
            }
        }
    }

    #[test]
    fn capital_words() {
        for (amount, words) in [
            ("0.00", "零元整"),
            ("0.05", "伍分"),
            ("0.50", "伍角"),
            ("0.56", "伍角陆分"),
            ("1.00", "壹元整"),
            ("10.00", "壹拾元整"),
            ("10.05", "壹拾元零伍分"),
            ("10.50", "壹拾元零伍角"),
            ("11.50", "壹拾壹元伍角"),
            ("100.00", "壹佰元整"),
            ("105.00", "壹佰零伍元整"),
            ("1005.00", "壹仟零伍元整"),
            ("1050.00", "壹仟零伍拾元整"),
            ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
            ("1681.32", "壹仟陆佰捌拾壹元叁角贰分"),
            ("107000.53", "壹拾万柒仟元零伍角叁分"),
            ("100500.00", "壹拾万零伍佰元整"),
            ("1000000.10", "壹佰万元零壹角"),
            ("100000000.00", "壹亿元整"),
            ("100000001.00", "壹亿零壹元整"),
            ("100010000.00", "壹亿零壹万元整"),
            (
                "123456789012.00",
                "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元整",
            ),
            ("1000000000000.00", "壹万亿元整"),
            ("-1.00", "负壹元整"),
        ] {
            assert_eq!(
                Money::parse(amount).unwrap().to_capital_words(),
                words,
                "{amount}"
            );
        }
    }

    proptest! {
        /// Every amount has words; only 负 and the capital vocabulary appear; whole amounts end
        /// in 整 and others do not.
        #[test]
        fn capital_words_are_well_formed(fen in any::<i64>()) {
            let money = Money::from_fen(fen);
            let words = money.to_capital_words();
            prop_assert!(!words.is_empty());
            prop_assert!(words.chars().all(|c| "负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整".contains(c)));
            prop_assert_eq!(words.ends_with('整'), fen % 100 == 0);
            prop_assert!(!words.contains("零零"));
        }
    }
}
