//! Every parser of the domain crate fed hostile input at scale (the attack suite's stand-in for
//! `cargo fuzz`, which needs a nightly toolchain): arbitrary Unicode, arbitrary bytes read as
//! lossy UTF-8, and near-valid strings built from each format's own alphabet. No parser may
//! panic; what a parser accepts must read back to the same value from its canonical text.
//!
//! Cases per property: 512 by default (quick enough for CI); `PROPTEST_CASES=100000 cargo test
//! -p tejian-domain --test parsers_at_scale` runs a long campaign.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};
use tejian_domain::account::password::{check_new_password, is_common};
use tejian_domain::api_token::{TokenName, looks_like_token};
use tejian_domain::application::{ItemState, Progress};
use tejian_domain::conversation::{ConversationState, MessageContent, Subject, excerpt};
use tejian_domain::credit_code::check_char;
use tejian_domain::equipment::params::EquipmentParams;
use tejian_domain::fee::FeeRequest;
use tejian_domain::inspection::Conclusion;
use tejian_domain::notice::NoticeState;
use tejian_domain::numbering::parse_verification_code;
use tejian_domain::payment::PaymentNoticeNo;
use tejian_domain::registration::RegistrationState;
use tejian_domain::reminder::Threshold;
use tejian_domain::report::ReportState;
use tejian_domain::status_change::{ChangeKind, ChangeState};
use tejian_domain::{
    CatalogueCode, ContactPhone, CreditCode, EquipmentCategory, EquipmentCode, InspectionType,
    Landline, MobileNumber, Money, Outcome, RegistrationCode, RegistrationStatus, Role, TariffBook,
    UseCertificateNo, UseStatus, Username,
};

/// `PROPTEST_CASES` when set, else a CI-sized default.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        // Shrinking a panic is what matters; a long shrink on CI is not.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Hostile text: any Unicode (controls, NUL, RTL marks, astral planes), arbitrary bytes made
/// into text, whitespace-padded and very long strings.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "\\PC{0,40}",
        "[\\s\\x00-\\x1f\u{200b}\u{202e}\u{feff}]{0,8}[0-9A-Za-z\u{4e00}-\u{4e10}]{0,30}[\\s]{0,4}",
        proptest::collection::vec(any::<char>(), 1000..4000).prop_map(String::from_iter),
    ]
}

/// Strings close to the real formats: digits, upper-case letters and the punctuation the codes
/// use, of the lengths the formats have, so parsers get past their first checks.
fn near_valid() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4,24}",
        "[0-9A-Z]{16,22}",
        "[0-9A-HJ-NP-RTUWXY]{18}",
        "[0-9A-Za-z]{1,3}[0-9]{0,20}[A-Z]?",
        "[\u{4e00}-\u{9fa5}]{1,3}[A-Z0-9]{2,6}[\u{4e00}-\u{9fa5}]?\\([0-9]{2}\\)[A-Z0-9]{0,8}",
        "1[3-9][0-9]{9}",
        "0[0-9]{2,3}-?[0-9]{7,8}",
        "[+-]?[0-9]{0,20}(\\.[0-9]{0,6})?",
        "(days|overdue:week|window)(:[0-9+-]{0,12})?",
        "[0-9 -]{18,26}",
        "复检?(合格|不合格|基本符合要求|符合要求|复检合格)?[\\s]{0,2}",
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![3 => hostile(), 2 => near_valid()]
}

/// A parser that returns a value with a canonical text: no panic, and what it accepts reads back
/// to the same value from that text.
macro_rules! round_trip {
    ($name:ident, $ty:ty) => {
        proptest! {
            #![proptest_config(config())]
            #[test]
            fn $name(s in any_text()) {
                match <$ty>::parse(&s) {
                    Ok(v) => prop_assert_eq!(<$ty>::parse(v.as_str()).ok(), Some(v)),
                    Err(e) => {
                        prop_assert!(!e.code().is_empty());
                        prop_assert!(!e.message().is_empty());
                    }
                }
            }
        }
    };
}

round_trip!(credit_code, CreditCode);
round_trip!(registration_code, RegistrationCode);
round_trip!(equipment_code, EquipmentCode);
round_trip!(use_certificate_no, UseCertificateNo);
round_trip!(mobile_number, MobileNumber);
round_trip!(landline, Landline);
round_trip!(contact_phone, ContactPhone);
round_trip!(catalogue_code, CatalogueCode);
round_trip!(username, Username);
round_trip!(token_name, TokenName);
round_trip!(subject, Subject);
round_trip!(message_content, MessageContent);
round_trip!(payment_notice_no, PaymentNoticeNo);

/// Wire enums: `FromStr` never panics and reads its own names back.
macro_rules! wire_enum {
    ($name:ident, $ty:ty) => {
        proptest! {
            #![proptest_config(config())]
            #[test]
            fn $name(s in any_text()) {
                if let Ok(v) = s.parse::<$ty>() {
                    prop_assert_eq!(v.as_str().parse::<$ty>().ok(), Some(v));
                    prop_assert_eq!(v.as_str(), s.trim());
                }
            }
        }
    };
}

wire_enum!(use_status, UseStatus);
wire_enum!(registration_status, RegistrationStatus);
wire_enum!(outcome, Outcome);
wire_enum!(inspection_type, InspectionType);
wire_enum!(role, Role);
wire_enum!(equipment_category, EquipmentCategory);
wire_enum!(item_state, ItemState);
wire_enum!(progress, Progress);
wire_enum!(report_state, ReportState);
wire_enum!(notice_state, NoticeState);
wire_enum!(change_kind, ChangeKind);
wire_enum!(change_state, ChangeState);
wire_enum!(conversation_state, ConversationState);
wire_enum!(registration_state, RegistrationState);

proptest! {
    #![proptest_config(config())]

    #[test]
    fn money(s in any_text()) {
        if let Ok(m) = Money::parse(&s) {
            prop_assert_eq!(Money::parse(&m.to_string()).ok(), Some(m));
        }
    }

    #[test]
    fn reminder_threshold(s in any_text()) {
        if let Ok(t) = Threshold::parse(&s) {
            prop_assert_eq!(Threshold::parse(&t.key()).ok(), Some(t));
        }
    }

    #[test]
    fn conclusion(s in any_text()) {
        if let Ok(c) = Conclusion::normalise(&s) {
            prop_assert_eq!(Conclusion::normalise(&c.raw).map(|again| again.outcome).ok(), Some(c.outcome));
        }
    }

    #[test]
    fn verification_code(s in any_text()) {
        if let Ok(code) = parse_verification_code(&s) {
            prop_assert_eq!(parse_verification_code(&code).ok(), Some(code));
        }
    }

    #[test]
    fn credit_code_check_char(s in any_text()) {
        // Only a structurally valid 17-character body has a check character.
        if let Some(c) = check_char(&s) {
            prop_assert!(c.is_ascii_alphanumeric());
        }
    }

    #[test]
    fn text_helpers(s in any_text(), max in 0usize..200) {
        let cut = excerpt(&s, max);
        prop_assert!(cut.chars().count() <= max.max(1));
        prop_assert!(!cut.contains('\n'));
        let _ = looks_like_token(&s);
        let _ = is_common(&s);
        let _ = check_new_password(&s, "demo-ent-1");
    }
}

/// Arbitrary JSON values, nested a few levels, with the keys the parameter and fee readers know
/// mixed into random ones.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        "[a-z_]{1,12}",
        Just("rated_speed".to_owned()),
        Just("rated_load".to_owned()),
        Just("floors".to_owned()),
        Just("safety_grade".to_owned()),
        Just("variety".to_owned()),
        Just("inspection_type".to_owned()),
        Just("params".to_owned()),
        Just("measures".to_owned()),
        Just("options".to_owned()),
        Just("ex_works_price".to_owned()),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn variety() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("3110".to_owned()),
        Just("3310".to_owned()),
        Just("1100".to_owned()),
        Just("2110".to_owned()),
        Just("4110".to_owned()),
        Just("5110".to_owned()),
        Just("6110".to_owned()),
        Just("8110".to_owned()),
        Just("9110".to_owned()),
        any_text(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn equipment_params(variety in variety(), value in json_value()) {
        if let Ok(params) = EquipmentParams::parse(&variety, &value) {
            // What was accepted writes out and reads back to the same value.
            prop_assert_eq!(EquipmentParams::parse(&variety, &params.to_json()).ok(), Some(params));
        }
    }

    #[test]
    fn fee_request(variety in variety(), ty in "[a-z_]{0,20}", params in json_value(), extra in json_value()) {
        let mut request = json!({"variety": variety, "inspection_type": ty, "params": params});
        if let (Value::Object(r), Value::Object(e)) = (&mut request, extra) {
            r.extend(e);
        }
        let _ = FeeRequest::from_json(&request);
    }

    #[test]
    fn tariff_book_from_text(s in any_text()) {
        prop_assert!(TariffBook::from_json(&s).is_err());
    }
}

/// The bundled tariff book, damaged: truncated at any point or with one byte changed. The reader
/// refuses or accepts, never panics.
#[test]
fn tariff_book_damaged() {
    let text = include_str!("../../../data/tariffs/zhejiang.json");
    assert!(TariffBook::from_json(text).is_ok());
    let bytes = text.as_bytes();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: config().cases.min(256),
        ..config()
    });
    runner
        .run(
            &(0..bytes.len(), any::<u8>(), any::<bool>()),
            |(at, byte, truncate)| {
                let mut damaged = bytes.to_vec();
                if truncate {
                    damaged.truncate(at);
                } else {
                    damaged[at] = byte;
                }
                let _ = TariffBook::from_json(&String::from_utf8_lossy(&damaged));
                Ok(())
            },
        )
        .unwrap();
}
