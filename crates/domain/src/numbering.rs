//! 编号: the numbers the platform gives its documents.
//!
//! - 外网申报序列号 of an online application: `SB20261127-7K3QXP`. The date makes it readable on
//!   the phone; the six random characters make it unguessable, so one enterprise cannot probe
//!   another's applications by counting.
//! - 业务流水号 of an accepted application item: `YW20261127-000042` (the item's number).
//! - 报告编号: a category prefix, the year and a sequence, `DT2026-000123` for an elevator.
//! - 检验意见通知书编号: `TZ2026-000017`.
//! - 验证码 printed under a report's QR code: eight random characters, not derived from any number,
//!   so knowing a report number is not enough to forge a "genuine" answer.
//!
//! Random parts use an alphabet without look-alikes (no 0/O, 1/I/L), so a code read aloud or
//! typed from paper survives. The caller supplies the entropy (this crate does no IO).

use time::Date;

use crate::catalogue::EquipmentCategory;
use crate::error::ParseError;

/// Characters of random code parts: digits and capitals without 0, 1, I, L, O.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `count` characters of [`ALPHABET`] drawn from `entropy` (one byte per character; the slight
/// modulo bias is irrelevant for 30+ bits of guessing resistance).
fn random_part(entropy: &[u8], count: usize) -> String {
    entropy
        .iter()
        .take(count)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

fn compact_date(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// 外网申报序列号 for an application submitted on `date`, from 6 bytes of entropy.
pub fn application_serial(date: Date, entropy: &[u8; 6]) -> String {
    format!("SB{}-{}", compact_date(date), random_part(entropy, 6))
}

/// 申请编号 of an online account registration submitted on `date` (`ZC20261127-7K3QXP`), from 6
/// bytes of entropy: random, so an applicant cannot count or probe other registrations.
pub fn registration_reference(date: Date, entropy: &[u8; 6]) -> String {
    format!("ZC{}-{}", compact_date(date), random_part(entropy, 6))
}

/// 业务流水号 of an application item accepted on `date`.
pub fn business_no(date: Date, item_id: i64) -> String {
    format!("YW{}-{:06}", compact_date(date), item_id)
}

/// The two-letter prefix of a category's report numbers.
pub fn report_prefix(category: EquipmentCategory) -> &'static str {
    match category {
        EquipmentCategory::Boiler => "GL",
        EquipmentCategory::PressureVessel => "RQ",
        EquipmentCategory::Elevator => "DT",
        EquipmentCategory::Crane => "QZ",
        EquipmentCategory::FieldVehicle => "CC",
        EquipmentCategory::AmusementRide => "YL",
        EquipmentCategory::Pipeline => "GD",
        EquipmentCategory::Ropeway => "SD",
        EquipmentCategory::PipelineComponent => "YJ",
        EquipmentCategory::AtmosphericVessel => "CY",
        EquipmentCategory::SafetyAccessory => "FJ",
    }
}

/// 报告编号 of the report with sequence `seq` issued in `year`.
pub fn report_no(category: EquipmentCategory, year: i32, seq: i64) -> String {
    format!("{}{year}-{seq:06}", report_prefix(category))
}

/// 检验意见通知书编号.
pub fn notice_no(year: i32, seq: i64) -> String {
    format!("TZ{year}-{seq:06}")
}

/// 验证码 of a report, from 8 bytes of entropy.
pub fn verification_code(entropy: &[u8; 8]) -> String {
    random_part(entropy, 8)
}

/// Reads a verification code as typed by a person: trimmed, upper-cased, 8 alphabet characters.
pub fn parse_verification_code(value: &str) -> Result<String, ParseError> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 8 && code.bytes().all(|b| ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(ParseError::new(
            "invalid_verification_code",
            "验证码应为 8 位字母数字（见报告二维码下方）",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn formats() {
        assert_eq!(
            application_serial(date!(2026 - 11 - 27), &[0, 1, 2, 3, 30, 31]),
            "SB20261127-2345Z2"
        );
        assert_eq!(business_no(date!(2026 - 01 - 05), 42), "YW20260105-000042");
        assert_eq!(
            report_no(EquipmentCategory::Elevator, 2026, 123),
            "DT2026-000123"
        );
        assert_eq!(notice_no(2026, 17), "TZ2026-000017");
    }

    proptest! {
        #[test]
        fn verification_codes_parse_back(bytes in any::<[u8; 8]>()) {
            let code = verification_code(&bytes);
            prop_assert_eq!(parse_verification_code(&code.to_lowercase()).unwrap(), code);
        }

        #[test]
        fn no_look_alikes(bytes in any::<[u8; 6]>()) {
            let serial = application_serial(date!(2026 - 11 - 27), &bytes);
            let random = &serial[11..];
            prop_assert!(!random.contains(['0', '1', 'I', 'L', 'O']));
        }
    }

    #[test]
    fn bad_codes_are_refused() {
        for bad in ["", "ABC", "ABCDEFG0", "ABCDEFGHI"] {
            assert_eq!(
                parse_verification_code(bad).unwrap_err().code(),
                "invalid_verification_code"
            );
        }
    }
}
