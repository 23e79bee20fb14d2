//! 注册代码: the 20-character registration code of the old registration system.
//!
//! Before TSG 08-2017 every registered unit got a code from its registering authority, and most
//! legacy records still carry it. It is the number enterprises search by (manual §8.3).
//!
//! | positions | meaning |
//! |---|---|
//! | 1–4 | 设备分类码: the catalogue code, e.g. `3110` |
//! | 5–10 | 地址码: GB/T 2260 code of the registering authority, e.g. `330502` |
//! | 11–16 | 登记日期码: `YYYYMM` |
//! | 17–20 | 排序码: order within that month and class, `0001`–`9999`, then `A000`, `B000` … |
//!
//! The published pattern is `^\d{4}\d{6}\d{6}[0-9A-Z]\d{3}$`. We also accept catalogue codes that
//! contain a letter (`4A00`, `6D10`, …) in the first four places, because the 2014 catalogue
//! introduced them while registration codes were still issued; whatever stands there must be a
//! known catalogue code. The 18-character variant some texts describe for pressure pipelines is
//! not accepted: its length is inconsistent in the sources, so such values stay plain text.

use serde::{Deserialize, Serialize};

use crate::catalogue::CatalogueCode;
use crate::error::{ParseError, string_newtype};

/// The earliest registration year accepted.
pub const MIN_YEAR: i32 = 1950;
/// The latest registration year accepted.
pub const MAX_YEAR: i32 = 2100;

/// 注册代码: a 20-character registration code with a known catalogue code and a real month.
///
/// Parsing trims whitespace and accepts a lower-case sequence letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationCode {
    code: String,
    catalogue: CatalogueCode,
    year: i32,
    month: u8,
}

fn invalid(message: impl Into<String>) -> ParseError {
    ParseError::new("invalid_registration_code", message)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

impl RegistrationCode {
    /// Parses a registration code; every failure has the code `invalid_registration_code`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let code = value.trim().to_ascii_uppercase();
        let shape = code.len() == 20
            && code
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            && all_digits(&code[4..16])
            && all_digits(&code[17..]);
        if !shape {
            return Err(invalid(
                "注册代码应为 20 位：设备分类码4位、地址码6位、年月6位、排序码4位",
            ));
        }
        let catalogue = CatalogueCode::parse(&code[..4]).map_err(|_| {
            invalid(format!(
                "注册代码前 4 位 {} 不是特种设备目录代码",
                &code[..4]
            ))
        })?;
        let year: i32 = code[10..14]
            .parse()
            .map_err(|_| invalid("注册代码年份无效"))?;
        let month: u8 = code[14..16]
            .parse()
            .map_err(|_| invalid("注册代码月份无效"))?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return Err(invalid(format!(
                "注册代码中的登记年月 {year}年{month:02}月 无效"
            )));
        }
        Ok(RegistrationCode {
            code,
            catalogue,
            year,
            month,
        })
    }

    /// The code, e.g. `31103305022014080025`.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// 设备分类码: the catalogue code in the first four places.
    pub fn catalogue_code(&self) -> CatalogueCode {
        self.catalogue
    }

    /// 地址码: the GB/T 2260 code of the registering authority, e.g. `330502`.
    pub fn address_code(&self) -> &str {
        &self.code[4..10]
    }

    /// 登记日期码: the year and month (1–12) of registration.
    pub fn registered_month(&self) -> (i32, u8) {
        (self.year, self.month)
    }

    /// 排序码: the four-character sequence, e.g. `0025` or `A002`.
    pub fn sequence(&self) -> &str {
        &self.code[16..]
    }

    /// The sequence as a number: `0025` → 25, `A002` → 10 002 (the letter counts 10, 11, …).
    pub fn sequence_number(&self) -> u32 {
        let mut chars = self.code[16..].chars();
        let lead = chars
            .next()
            .and_then(|c| c.to_digit(36))
            .unwrap_or_default();
        let rest: u32 = chars.as_str().parse().unwrap_or_default();
        lead * 1000 + rest
    }
}

string_newtype!(RegistrationCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{EquipmentCategory, entries};
    use proptest::prelude::*;

    #[test]
    fn parses_the_real_example() {
        let code = RegistrationCode::parse("31106401052014080025").unwrap();
        assert_eq!(code.catalogue_code().as_str(), "3110");
        assert_eq!(
            code.catalogue_code().category(),
            EquipmentCategory::Elevator
        );
        assert_eq!(code.address_code(), "640105");
        assert_eq!(code.registered_month(), (2014, 8));
        assert_eq!(code.sequence(), "0025");
        assert_eq!(code.sequence_number(), 25);
    }

    #[test]
    fn overflowing_sequences_use_a_letter() {
        let code = RegistrationCode::parse(" 2150330502201612a002 ").unwrap();
        assert_eq!(code.as_str(), "2150330502201612A002");
        assert_eq!(code.sequence(), "A002");
        assert_eq!(code.sequence_number(), 10_002);
        let letters_in_class = RegistrationCode::parse("6D10330502201606B123").unwrap();
        assert_eq!(letters_in_class.sequence_number(), 11_123);
    }

    #[test]
    fn rejects_bad_codes() {
        for input in [
            "",
            "3110640105201408002",   // 19 characters
            "311064010520140800250", // 21 characters
            "31106401052014130025",  // month 13
            "31106401052014000025",  // month 00
            "31106401051949120025",  // before 1950
            "31106401052101010025",  // after 2100
            "99996401052014080025",  // unknown catalogue code
            "311064010A2014080025",  // letter in the address
            "3110640105201408002A",  // letter at the end
            "3110 640105 201408 0025",
        ] {
            assert_eq!(
                RegistrationCode::parse(input).unwrap_err().code(),
                "invalid_registration_code",
                "{input}"
            );
        }
    }

    fn parts() -> impl Strategy<Value = (&'static str, String, i32, u8, String)> {
        let codes: Vec<&'static str> = entries().iter().map(|e| e.code).collect();
        (
            proptest::sample::select(codes),
            "[0-9]{6}",
            MIN_YEAR..=MAX_YEAR,
            1u8..=12,
            "[0-9A-Z][0-9]{3}",
        )
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = RegistrationCode::parse(&input);
        }

        #[test]
        fn codes_built_from_parts_round_trip((class, address, year, month, seq) in parts()) {
            let text = format!("{class}{address}{year:04}{month:02}{seq}");
            let code = RegistrationCode::parse(&text).unwrap();
            prop_assert_eq!(code.as_str(), text.as_str());
            prop_assert_eq!(code.catalogue_code().as_str(), class);
            prop_assert_eq!(code.address_code(), address.as_str());
            prop_assert_eq!(code.registered_month(), (year, month));
            prop_assert_eq!(code.sequence(), seq.as_str());
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<RegistrationCode>(&json).unwrap(), code);
        }
    }
}
