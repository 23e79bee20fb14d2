//! 统一社会信用代码: the 18-character unified social credit code of an organisation (GB 32100-2015).
//!
//! Every enterprise that uses special equipment registers with it. The code reads:
//!
//! | positions | meaning |
//! |---|---|
//! | 1 | 登记管理部门代码: who registered it (`9` 市场监管, `1` 机构编制, `5` 民政 …) |
//! | 2 | 机构类别代码: what it is (under `9`: `1` 企业, `2` 个体工商户, `3` 农民专业合作社) |
//! | 3–8 | 登记管理机关行政区划码: GB/T 2260 code of the registering authority, e.g. `330502` |
//! | 9–17 | 主体标识码: the organisation code (GB 11714) |
//! | 18 | 校验码: a check character over the first 17 |
//!
//! The alphabet has 31 symbols, without I, O, S, V and Z. The check character is
//! `31 − (Σ vᵢ·3^(i−1) mod 31)` (31 becoming 0), where `vᵢ` is the symbol's index in the alphabet.

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, string_newtype};

/// The 31 symbols a credit code may use; a symbol's value is its index.
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights `3^(i−1) mod 31` of positions 1 to 17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The valid first two characters: registration department followed by organisation type.
pub const VALID_PREFIXES: &[&str] = &[
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52",
    "53", "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1",
    "N2", "N3", "N9", "Y1",
];

fn value_of(c: char) -> Option<u32> {
    let c = c.to_ascii_uppercase();
    CHARSET
        .chars()
        .position(|symbol| symbol == c)
        .and_then(|i| u32::try_from(i).ok())
}

fn symbol_of(value: u32) -> Option<char> {
    CHARSET.chars().nth(usize::try_from(value).ok()?)
}

/// The check character (position 18) for the first 17 characters of a credit code.
///
/// Returns `None` unless `first17` is exactly 17 characters of [`CHARSET`] (lower case is
/// accepted). Only the checksum is computed: the prefix and region are not checked here.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * weight;
    }
    symbol_of((31 - sum % 31) % 31)
}

/// 统一社会信用代码: a credit code whose structure and check character are valid.
///
/// Parsing trims surrounding whitespace and turns lower case into upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn invalid(message: impl Into<String>) -> ParseError {
    ParseError::new("invalid_credit_code", message)
}

impl CreditCode {
    /// Parses a credit code; every failure has the code `invalid_credit_code`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let code = value.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(invalid("请填写统一社会信用代码"));
        }
        if code.chars().count() != 18 {
            return Err(invalid("统一社会信用代码应为 18 位"));
        }
        if let Some(bad) = code.chars().find(|&c| value_of(c).is_none()) {
            return Err(invalid(format!(
                "统一社会信用代码含有无效字符“{bad}”（不使用 I、O、S、V、Z）"
            )));
        }
        // From here on every character is one ASCII byte, so byte slicing is safe.
        if !VALID_PREFIXES.contains(&&code[..2]) {
            return Err(invalid(
                "统一社会信用代码前两位（登记管理部门和机构类别）无效",
            ));
        }
        if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("统一社会信用代码第 3–8 位应为行政区划代码"));
        }
        let expected = check_char(&code[..17]);
        if expected != code.chars().last() {
            return Err(invalid("统一社会信用代码校验位不正确，请核对"));
        }
        Ok(CreditCode(code))
    }

    /// The code, upper case, e.g. `91330502MA2B3C4D1U`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理部门代码 and 机构类别代码: the first two characters, e.g. `"91"` (an enterprise).
    pub fn prefix(&self) -> &str {
        &self.0[..2]
    }

    /// 登记管理机关行政区划码: the GB/T 2260 code in positions 3–8, e.g. `"330502"`.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// 主体标识码: the organisation code in positions 9–17.
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }
}

string_newtype!(CreditCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_vectors() {
        let code = CreditCode::parse("91330502MA2B3C4D1U").unwrap();
        assert_eq!(code.prefix(), "91");
        assert_eq!(code.region_code(), "330502");
        assert_eq!(code.organisation_code(), "MA2B3C4D1");
        assert_eq!(check_char("91330502MA2B3C4D1"), Some('U'));
        let err = CreditCode::parse("911100001000000000").unwrap_err();
        assert_eq!(err.code(), "invalid_credit_code");
        assert!(err.to_string().contains("校验位"));
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
        assert_eq!(CHARSET.len(), 31);
    }

    #[test]
    fn input_is_normalised() {
        let code = CreditCode::parse("  91330502ma2b3c4d1u\n").unwrap();
        assert_eq!(code.as_str(), "91330502MA2B3C4D1U");
        assert_eq!(code.to_string(), "91330502MA2B3C4D1U");
    }

    #[test]
    fn structural_errors_are_explained() {
        for (input, needle) in [
            ("", "请填写"),
            ("91330502MA2B3C4D1", "18 位"),
            ("91330502MA2B3C4DIU", "无效字符"),
            ("04330502MA2B3C4D1U", "前两位"),
            ("9133A502MA2B3C4D1U", "行政区划"),
            ("９１330502MA2B3C4D1U", "无效字符"),
        ] {
            let err = CreditCode::parse(input).unwrap_err();
            assert!(err.message().contains(needle), "{input}: {err}");
            assert_eq!(err.code(), "invalid_credit_code");
        }
    }

    #[test]
    fn serde_round_trip_and_rejection() {
        let code = CreditCode::parse("91330502MA2B3C4D1U").unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"91330502MA2B3C4D1U\"");
        assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<CreditCode>("\"911100001000000000\"").is_err());
    }

    fn charset_char() -> impl Strategy<Value = char> {
        proptest::sample::select(CHARSET.chars().collect::<Vec<_>>())
    }

    /// 17 characters with a valid prefix and region: everything but the check character.
    fn first17() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(VALID_PREFIXES),
            "[0-9]{6}",
            proptest::collection::vec(charset_char(), 9),
        )
            .prop_map(|(prefix, region, body)| {
                format!("{prefix}{region}{}", body.into_iter().collect::<String>())
            })
    }

    proptest! {
        #[test]
        fn appending_the_check_char_gives_a_valid_code(first in first17()) {
            let check = check_char(&first).unwrap();
            let full = format!("{first}{check}");
            let parsed = CreditCode::parse(&full).unwrap();
            prop_assert_eq!(parsed.as_str(), full.as_str());
            let lower = CreditCode::parse(&full.to_lowercase()).unwrap();
            prop_assert_eq!(lower, parsed);
        }

        #[test]
        fn any_single_substitution_is_detected(
            first in first17(),
            position in 0usize..18,
            replacement in charset_char(),
        ) {
            let check = check_char(&first).unwrap();
            let mut chars: Vec<char> = format!("{first}{check}").chars().collect();
            prop_assume!(chars[position] != replacement);
            chars[position] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = CreditCode::parse(&input);
            let _ = check_char(&input);
        }

        #[test]
        fn parse_never_panics_on_near_codes(input in "[0-9A-Za-z ]{16,20}") {
            if let Ok(code) = CreditCode::parse(&input) {
                prop_assert_eq!(code.as_str().len(), 18);
            }
        }
    }
}
