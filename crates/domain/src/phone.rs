//! 电话号码: the phone numbers enterprises give us.
//!
//! The 安全管理负责人手机 (mobile of the person responsible for safety management) receives the
//! inspection reminders, e-invoices and inspection-opinion notices by SMS, so it must be a real
//! mainland mobile number: [`MobileNumber`]. Office phones are landlines such as `0572-2523106`;
//! [`Landline`] accepts them leniently and writes them one way. [`ContactPhone`] takes either.

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, string_newtype};

/// The Huzhou area code, assumed for a landline written without one.
pub const HUZHOU_AREA_CODE: &str = "0572";

/// Removes spaces (also full-width) and dashes, the separators people type inside numbers.
fn without_separators(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—'))
        .collect()
}

/// 手机号码: a mainland China mobile number, 11 digits starting with 13–19.
///
/// Parsing strips spaces and dashes and a `+86`, `0086` or `86` country prefix:
/// `"+86 138-0000-5678"` becomes `13800005678`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parses a mobile number; fails with `invalid_mobile`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let digits = without_separators(value);
        let national = if let Some(rest) = digits.strip_prefix("+86") {
            rest
        } else if let Some(rest) = digits.strip_prefix("0086") {
            rest
        } else if digits.len() == 13 {
            digits.strip_prefix("86").unwrap_or(&digits)
        } else {
            &digits
        };
        let bytes = national.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes.first() == Some(&b'1')
            && bytes.get(1).is_some_and(|b| (b'3'..=b'9').contains(b));
        if valid {
            Ok(MobileNumber(national.to_owned()))
        } else {
            Err(ParseError::new(
                "invalid_mobile",
                "请输入有效的 11 位手机号码",
            ))
        }
    }

    /// The 11 digits, e.g. `13800005678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with the middle four digits hidden, for screens and logs: `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

string_newtype!(MobileNumber);

/// 固定电话: a landline, written `area-number` or `area-number-extension`.
///
/// Accepts `0572-2523106`, `0572 2523106`, `05722523106`, `(0572)2523106`, `0572-2523106-801`,
/// `0572-2523106转801` and a bare local number (`2523106`, taken as Huzhou `0572`). The area code is
/// three digits for `010` and `02x`, four otherwise; the local number has 7 or 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Landline(String);

impl Landline {
    /// Parses a landline; fails with `invalid_landline`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        Self::normalise(value).map(Landline).ok_or_else(|| {
            ParseError::new(
                "invalid_landline",
                "请输入有效的固定电话号码，例如 0572-2523106",
            )
        })
    }

    fn normalise(value: &str) -> Option<String> {
        let value = value.trim();
        // Split off an extension: "转801", "ext801", or a third dash-separated group.
        let (main, extension) = match value.split_once('转') {
            Some((main, ext)) => (main.to_owned(), Some(ext.trim().to_owned())),
            None => {
                let groups: Vec<&str> = value.split(['-', '－']).map(str::trim).collect();
                if groups.len() == 3 {
                    (
                        format!("{}{}", groups[0], groups[1]),
                        Some(groups[2].to_owned()),
                    )
                } else {
                    (value.to_owned(), None)
                }
            }
        };
        if let Some(ext) = &extension
            && (ext.is_empty() || ext.len() > 6 || !ext.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let digits: String = without_separators(&main)
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '（' | '）'))
            .collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (area, local) = if digits.starts_with('0') {
            let area_len = if matches!(digits.as_bytes().get(1), Some(b'1' | b'2')) {
                3
            } else {
                4
            };
            if digits.len() <= area_len {
                return None;
            }
            digits.split_at(area_len)
        } else {
            (HUZHOU_AREA_CODE, digits.as_str())
        };
        if !(7..=8).contains(&local.len()) || local.starts_with('0') {
            return None;
        }
        Some(match extension {
            Some(ext) => format!("{area}-{local}-{ext}"),
            None => format!("{area}-{local}"),
        })
    }

    /// The number as `area-number[-extension]`, e.g. `0572-2523106`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The area code, e.g. `0572`.
    pub fn area_code(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }
}

string_newtype!(Landline);

/// 联系电话: a contact phone that may be a mobile or a landline (检验联系电话 on an application).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ContactPhone {
    /// A mobile number.
    Mobile(MobileNumber),
    /// A landline.
    Landline(Landline),
}

impl ContactPhone {
    /// Parses a mobile number first, then a landline; fails with `invalid_phone`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if let Ok(mobile) = MobileNumber::parse(value) {
            return Ok(ContactPhone::Mobile(mobile));
        }
        Landline::parse(value)
            .map(ContactPhone::Landline)
            .map_err(|_| {
                ParseError::new(
                    "invalid_phone",
                    "请输入有效的手机号码或固定电话（如 0572-2523106）",
                )
            })
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        match self {
            ContactPhone::Mobile(number) => number.as_str(),
            ContactPhone::Landline(number) => number.as_str(),
        }
    }
}

string_newtype!(ContactPhone);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mobile_numbers_are_normalised() {
        for input in [
            "13800005678",
            " 138 0000 5678 ",
            "138-0000-5678",
            "+8613800005678",
            "+86 138 0000 5678",
            "008613800005678",
            "8613800005678",
        ] {
            assert_eq!(
                MobileNumber::parse(input).unwrap().as_str(),
                "13800005678",
                "{input}"
            );
        }
        assert_eq!(
            MobileNumber::parse("13800005678").unwrap().masked(),
            "138****5678"
        );
    }

    #[test]
    fn invalid_mobiles_are_rejected() {
        for input in [
            "",
            "12800005678",
            "1380000567",
            "138000056789",
            "1380000567a",
            "0572-2523106",
            "+85213800005678",
            "１３８００００５６７８",
            "86 1380000567",
        ] {
            let err = MobileNumber::parse(input).unwrap_err();
            assert_eq!(err.code(), "invalid_mobile", "{input}");
        }
    }

    #[test]
    fn landlines_are_lenient_but_normalised() {
        for (input, expected) in [
            ("0572-2523106", "0572-2523106"),
            ("0572 2523106", "0572-2523106"),
            ("05722523106", "0572-2523106"),
            ("(0572)2523106", "0572-2523106"),
            ("2523106", "0572-2523106"),
            ("0572-2523106-801", "0572-2523106-801"),
            ("0572-2523106转801", "0572-2523106-801"),
            ("010-12345678", "010-12345678"),
            ("02112345678", "021-12345678"),
        ] {
            assert_eq!(
                Landline::parse(input).unwrap().as_str(),
                expected,
                "{input}"
            );
        }
        assert_eq!(Landline::parse("0572-2523106").unwrap().area_code(), "0572");
        for input in [
            "",
            "0572",
            "0572-123",
            "0572-0123456",
            "abc",
            "0572-2523106-",
            "13800005678x",
        ] {
            assert_eq!(
                Landline::parse(input).unwrap_err().code(),
                "invalid_landline",
                "{input}"
            );
        }
    }

    #[test]
    fn contact_phone_takes_either() {
        assert!(matches!(
            ContactPhone::parse("13800005678").unwrap(),
            ContactPhone::Mobile(_)
        ));
        assert!(matches!(
            ContactPhone::parse("0572-2523106").unwrap(),
            ContactPhone::Landline(_)
        ));
        assert_eq!(
            ContactPhone::parse("hello").unwrap_err().code(),
            "invalid_phone"
        );
        let json = serde_json::to_string(&ContactPhone::parse("+86 13800005678").unwrap()).unwrap();
        assert_eq!(json, "\"13800005678\"");
    }

    #[test]
    fn serde_is_the_string() {
        let number = MobileNumber::parse("13800005678").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"13800005678\"");
        let back: MobileNumber = serde_json::from_str("\"+86 13800005678\"").unwrap();
        assert_eq!(back, number);
        assert!(serde_json::from_str::<MobileNumber>("\"12345\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = MobileNumber::parse(&input);
            let _ = Landline::parse(&input);
            let _ = ContactPhone::parse(&input);
        }

        #[test]
        fn any_mobile_round_trips(number in "1[3-9][0-9]{9}") {
            let parsed = MobileNumber::parse(&number).unwrap();
            prop_assert_eq!(parsed.as_str(), number.as_str());
            let with_prefix = MobileNumber::parse(&format!("+86 {number}")).unwrap();
            prop_assert_eq!(&with_prefix, &parsed);
            let again = MobileNumber::parse(&format!("{parsed}")).unwrap();
            prop_assert_eq!(again, parsed.clone());
            let masked = parsed.masked();
            prop_assert_eq!(masked.chars().count(), 11);
            prop_assert!(masked.ends_with(&number[7..]));
        }

        #[test]
        fn normalised_landlines_are_fixed_points(input in "0[0-9]{2,3}-?[1-9][0-9]{6,7}") {
            if let Ok(parsed) = Landline::parse(&input) {
                let again = Landline::parse(parsed.as_str()).unwrap();
                prop_assert_eq!(again, parsed);
            }
        }
    }
}
