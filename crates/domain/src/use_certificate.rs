//! 使用登记证编号: the number on the use-registration certificate (TSG 08-2017).
//!
//! The standard form is `梯11浙E12345(19)`:
//!
//! | part | meaning |
//! |---|---|
//! | `梯` | 设备类别代号: 锅 容 瓶 管 梯 起 索 游 车 |
//! | `11` | 品种特征代号: the 2nd–3rd digits of the variety code (3110 → `11`) |
//! | `浙` | 省份简称 |
//! | `E` | the city letter, as on car plates (湖州 = `E`) |
//! | `12345` | 流水号: five digits or capital letters (`AJ502` occurs in real data) |
//! | `(19)` | year of registration, in half- or full-width brackets |
//!
//! Legacy certificates hold all kinds of text, and many hold the 20-character 注册代码 instead.
//! So this type is **lenient**: it refuses only an empty value or one longer than
//! [`MAX_CHARS`] characters, keeps the trimmed text exactly as written, and reports anything
//! non-standard as a [`CodeWarning`]. A value that is a valid [`RegistrationCode`] is accepted
//! without a warning (as the Ningxia checker does), because it identifies the registration just as
//! well; [`UseCertificateNo::format`] tells the two apart.

use serde::{Deserialize, Serialize};

use crate::error::{CodeWarning, ParseError, string_newtype};
use crate::registration_code::RegistrationCode;

/// The longest value kept, in characters.
pub const MAX_CHARS: usize = 64;

/// The category characters (设备类别代号) of the standard form.
pub const CATEGORY_CHARS: &[char] = &['锅', '容', '瓶', '管', '梯', '起', '索', '游', '车'];

/// 编号格式: which form a certificate number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseCertificateFormat {
    /// The TSG 08 form, `梯11浙E12345(19)`.
    Standard,
    /// A 20-character 注册代码 written in this field.
    RegistrationCode,
    /// Anything else (free text from legacy records).
    Nonstandard,
}

crate::error::wire_enum_names!(UseCertificateFormat, "unknown_use_certificate_format", "未知的编号格式", {
    Standard => "standard",
    RegistrationCode => "registration_code",
    Nonstandard => "nonstandard",
});

impl UseCertificateFormat {
    /// The Chinese description of the format.
    pub fn label_zh(self) -> &'static str {
        match self {
            UseCertificateFormat::Standard => "标准格式",
            UseCertificateFormat::RegistrationCode => "注册代码",
            UseCertificateFormat::Nonstandard => "非标准格式",
        }
    }
}

/// 使用登记证编号: a certificate number as written on the certificate, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UseCertificateNo(String);

impl UseCertificateNo {
    /// Accepts any non-empty text up to [`MAX_CHARS`] characters; fails with
    /// `invalid_use_certificate_no`.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(ParseError::new(
                "invalid_use_certificate_no",
                "请填写使用登记证编号",
            ));
        }
        if value.chars().count() > MAX_CHARS {
            return Err(ParseError::new(
                "invalid_use_certificate_no",
                format!("使用登记证编号不能超过 {MAX_CHARS} 个字符"),
            ));
        }
        Ok(UseCertificateNo(value.to_owned()))
    }

    /// The number as written, e.g. `梯11浙E12345(19)`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Which form the number takes.
    pub fn format(&self) -> UseCertificateFormat {
        if is_standard(&self.0) {
            UseCertificateFormat::Standard
        } else if RegistrationCode::parse(&self.0).is_ok() {
            UseCertificateFormat::RegistrationCode
        } else {
            UseCertificateFormat::Nonstandard
        }
    }

    /// What is unusual about the number; empty for the standard form and for a 注册代码.
    pub fn warnings(&self) -> Vec<CodeWarning> {
        match self.format() {
            UseCertificateFormat::Standard | UseCertificateFormat::RegistrationCode => Vec::new(),
            UseCertificateFormat::Nonstandard => vec![CodeWarning::new(
                "nonstandard_format",
                "使用登记证编号不符合标准格式（如 梯11浙E12345(19)），请核对",
            )],
        }
    }
}

string_newtype!(UseCertificateNo);

/// `^[锅容瓶管梯起索游车]\d{2}[\u4e00-\u9fa5][A-Z][0-9A-Z]{5}[（(]\d{2}[)）]$`
fn is_standard(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let [
        category,
        v1,
        v2,
        province,
        city,
        s1,
        s2,
        s3,
        s4,
        s5,
        open,
        y1,
        y2,
        close,
    ] = chars[..]
    else {
        return false;
    };
    let digit = |c: char| c.is_ascii_digit();
    let serial = |c: char| c.is_ascii_digit() || c.is_ascii_uppercase();
    CATEGORY_CHARS.contains(&category)
        && digit(v1)
        && digit(v2)
        && ('\u{4e00}'..='\u{9fa5}').contains(&province)
        && city.is_ascii_uppercase()
        && [s1, s2, s3, s4, s5].into_iter().all(serial)
        && matches!(open, '(' | '（')
        && digit(y1)
        && digit(y2)
        && matches!(close, ')' | '）')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_numbers_have_no_warnings() {
        for input in [
            "梯11浙E12345(19)",
            "梯11浙AJ5023(19)",
            "容15浙E00001（21）",
            "起17浙E0A001(20）",
        ] {
            let no = UseCertificateNo::parse(input).unwrap();
            assert_eq!(no.format(), UseCertificateFormat::Standard, "{input}");
            assert!(no.warnings().is_empty(), "{input}");
        }
    }

    #[test]
    fn a_registration_code_is_accepted_without_warning() {
        let no = UseCertificateNo::parse("31106401052014080025").unwrap();
        assert_eq!(no.format(), UseCertificateFormat::RegistrationCode);
        assert!(no.warnings().is_empty());
    }

    #[test]
    fn legacy_text_is_kept_with_a_warning() {
        for input in [
            "湖州梯字第0123号",
            "梯11浙e12345(19)",
            "电11浙E12345(19)",
            "梯11浙E1234(19)",
            "梯11浙E12345 19",
            "31106401052014130025",
        ] {
            let no = UseCertificateNo::parse(&format!("  {input} ")).unwrap();
            assert_eq!(no.as_str(), input);
            assert_eq!(no.format(), UseCertificateFormat::Nonstandard, "{input}");
            let warnings = no.warnings();
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].code(), "nonstandard_format");
            assert!(warnings[0].message().contains("标准格式"));
        }
    }

    #[test]
    fn only_empty_or_overlong_values_fail() {
        for input in ["", "   ", "\n\t"] {
            assert_eq!(
                UseCertificateNo::parse(input).unwrap_err().code(),
                "invalid_use_certificate_no"
            );
        }
        assert!(UseCertificateNo::parse(&"梯".repeat(64)).is_ok());
        assert!(UseCertificateNo::parse(&"梯".repeat(65)).is_err());
    }

    fn standard_parts() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(CATEGORY_CHARS),
            "[0-9]{2}",
            proptest::char::range('\u{4e00}', '\u{9fa5}'),
            "[A-Z]",
            "[0-9A-Z]{5}",
            proptest::sample::select(vec!['(', '（']),
            "[0-9]{2}",
            proptest::sample::select(vec![')', '）']),
        )
            .prop_map(|(c, v, p, city, serial, open, year, close)| {
                format!("{c}{v}{p}{city}{serial}{open}{year}{close}")
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            if let Ok(no) = UseCertificateNo::parse(&input) {
                let _ = no.warnings();
                prop_assert_eq!(no.as_str(), input.trim());
            }
        }

        #[test]
        fn standard_numbers_round_trip(text in standard_parts()) {
            let no = UseCertificateNo::parse(&text).unwrap();
            prop_assert_eq!(no.as_str(), text.as_str());
            prop_assert_eq!(no.format(), UseCertificateFormat::Standard);
            prop_assert!(no.warnings().is_empty());
            let json = serde_json::to_string(&no).unwrap();
            prop_assert_eq!(serde_json::from_str::<UseCertificateNo>(&json).unwrap(), no);
        }
    }
}
