//! 设备代码: the lifetime code of a piece of equipment (TSG 08-2017, 特种设备代码编号方法).
//!
//! The manufacturer gives each unit a code that stays with it for life:
//!
//! | positions | meaning |
//! |---|---|
//! | 1–4 | 设备基本代码: the catalogue variety, e.g. `3110` |
//! | 5–9 | 制造单位代号: licensing region (2 digits) + unit number from the licence |
//! | 10–13 | 制造年份, e.g. `2015` |
//! | 14–17/18 | 制造顺序号: the manufacturer's sequence; a letter replaces the lead digit on overflow |
//!
//! The published texts disagree on whether the sequence has 4 or 5 places, so 17 and 18
//! characters are both accepted. Validation is deliberately loose: upper-case letters and digits,
//! and a first four characters that name a class or variety of the catalogue.

use serde::{Deserialize, Serialize};

use crate::catalogue::{CatalogueCode, Level};
use crate::error::{ParseError, string_newtype};

/// 设备代码: a 17- or 18-character equipment code whose first four characters are a catalogue
/// class or variety.
///
/// Parsing trims whitespace and accepts lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EquipmentCode {
    code: String,
    variety: CatalogueCode,
}

fn invalid(message: impl Into<String>) -> ParseError {
    ParseError::new("invalid_equipment_code", message)
}

impl EquipmentCode {
    /// Parses an equipment code; every failure has the code `invalid_equipment_code`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let code = value.trim().to_ascii_uppercase();
        let well_formed = (17..=18).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if !well_formed {
            return Err(invalid("设备代码应为 17 或 18 位数字或大写字母"));
        }
        let variety = CatalogueCode::parse(&code[..4])
            .ok()
            .filter(|c| c.entry().level != Level::Category)
            .ok_or_else(|| {
                invalid(format!(
                    "设备代码前 4 位 {} 不是特种设备目录中的类别或品种代码",
                    &code[..4]
                ))
            })?;
        Ok(EquipmentCode { code, variety })
    }

    /// The code, e.g. `31101089020150001`.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// 设备基本代码: the catalogue class or variety in the first four characters.
    pub fn variety(&self) -> CatalogueCode {
        self.variety
    }

    /// 制造单位代号: the five characters after the variety.
    pub fn manufacturer_code(&self) -> &str {
        &self.code[4..9]
    }

    /// 制造年份, when positions 10–13 are digits.
    pub fn manufacture_year(&self) -> Option<u16> {
        self.code[9..13].parse().ok()
    }

    /// 制造顺序号: the rest, 4 or 5 characters.
    pub fn sequence(&self) -> &str {
        &self.code[13..]
    }
}

string_newtype!(EquipmentCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{EquipmentCategory, entries};
    use proptest::prelude::*;

    #[test]
    fn parses_seventeen_and_eighteen_characters() {
        let code = EquipmentCode::parse("31101089020150001").unwrap();
        assert_eq!(code.variety().as_str(), "3110");
        assert_eq!(code.variety().category(), EquipmentCategory::Elevator);
        assert_eq!(code.manufacturer_code(), "10890");
        assert_eq!(code.manufacture_year(), Some(2015));
        assert_eq!(code.sequence(), "0001");
        let long = EquipmentCode::parse(" 2150331232019a0001 ").unwrap();
        assert_eq!(long.as_str(), "2150331232019A0001");
        assert_eq!(long.sequence(), "A0001");
    }

    #[test]
    fn rejects_bad_codes() {
        for input in [
            "",
            "3110108902015000",    // 16
            "3110108902015000001", // 19
            "31101089020150-01",   // dash
            "99991089020150001",   // unknown variety
            "30001089020150001",   // a category, not a variety
            "３110108902015000１",
        ] {
            assert_eq!(
                EquipmentCode::parse(input).unwrap_err().code(),
                "invalid_equipment_code",
                "{input}"
            );
        }
    }

    fn known_prefix() -> impl Strategy<Value = &'static str> {
        let codes: Vec<&'static str> = entries()
            .iter()
            .filter(|e| e.level != Level::Category)
            .map(|e| e.code)
            .collect();
        proptest::sample::select(codes)
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = EquipmentCode::parse(&input);
        }

        #[test]
        fn built_codes_round_trip(prefix in known_prefix(), rest in "[0-9A-Z]{13,14}") {
            let text = format!("{prefix}{rest}");
            let code = EquipmentCode::parse(&text).unwrap();
            prop_assert_eq!(code.as_str(), text.as_str());
            prop_assert_eq!(code.variety().as_str(), prefix);
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<EquipmentCode>(&json).unwrap(), code);
        }
    }
}
