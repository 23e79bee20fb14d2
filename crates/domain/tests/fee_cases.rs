//! The shared fee cases (`fee_cases.json`): every request gives the expected total or error under
//! the bundled tariff book. The server and the wasm build are checked against the same file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use tejian_domain::fee::{FeeRequest, TariffBook};
use time::Date;
use time::macros::format_description;

const CASES: &str = include_str!("fee_cases.json");

#[test]
fn every_shared_case_gives_its_total() {
    let doc: Value = serde_json::from_str(CASES).unwrap();
    let format = format_description!("[year]-[month]-[day]");
    let region = doc["region"].as_str().unwrap();
    let date = Date::parse(doc["date"].as_str().unwrap(), &format).unwrap();
    let tariff = TariffBook::bundled().unwrap().select(region, date).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let outcome = FeeRequest::from_json(&case["request"]).and_then(|r| tariff.estimate(&r));
        match (outcome, case["total"].as_str(), case["error"].as_str()) {
            (Ok(estimate), Some(total), None) => {
                if estimate.total.to_string() != total {
                    failures.push(format!("{name}: total {} ≠ {total}", estimate.total));
                }
                let sum: i64 = estimate.lines.iter().map(|l| l.amount.to_fen()).sum();
                assert_eq!(sum, estimate.total.to_fen(), "{name}");
                assert_eq!(estimate.label, "参考费用", "{name}");
            }
            (Err(error), None, Some(code)) => {
                if error.code() != code {
                    failures.push(format!("{name}: error {} ≠ {code} ({error})", error.code()));
                }
            }
            (Ok(estimate), _, _) => failures.push(format!("{name}: got total {}", estimate.total)),
            (Err(error), _, _) => failures.push(format!("{name}: got error {error}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn requests_round_trip_through_json() {
    let doc: Value = serde_json::from_str(CASES).unwrap();
    for case in doc["cases"].as_array().unwrap() {
        if let Ok(request) = FeeRequest::from_json(&case["request"]) {
            let json = serde_json::to_value(&request).unwrap();
            assert_eq!(FeeRequest::from_json(&json).unwrap(), request);
            let text = serde_json::to_string(&request).unwrap();
            assert_eq!(serde_json::from_str::<FeeRequest>(&text).unwrap(), request);
        }
    }
}
