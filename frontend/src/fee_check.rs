//! The browser's fee calculator, callable from JavaScript, so a browser test can prove the wasm
//! build computes exactly what `POST /api/v1/fees/estimate` computes (same domain code, same
//! tariff book) on the shared case table.

use tejian_domain::fee::{FeeRequest, TariffBook};
use wasm_bindgen::prelude::wasm_bindgen;

/// Estimates `request_json` (a `FeeRequest`) under the tariff of `region` in force on `date`
/// (`YYYY-MM-DD`) in `book_json`. Returns the estimate as JSON, or `{"error": code}`.
#[wasm_bindgen]
pub fn tejian_fee_estimate(
    book_json: &str,
    region: &str,
    date: &str,
    request_json: &str,
) -> String {
    let result = (|| {
        let book =
            TariffBook::from_json(book_json).map_err(|_| "invalid_tariff_book".to_owned())?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let day = time::Date::parse(date, format).map_err(|_| "invalid_date".to_owned())?;
        let tariff = book
            .select(region, day)
            .ok_or_else(|| "no_tariff_in_force".to_owned())?;
        let value: serde_json::Value =
            serde_json::from_str(request_json).map_err(|_| "invalid_fee_request".to_owned())?;
        let request = FeeRequest::from_json(&value).map_err(|e| e.code().to_owned())?;
        let estimate = tariff.estimate(&request).map_err(|e| e.code().to_owned())?;
        serde_json::to_string(&estimate).map_err(|_| "serialize".to_owned())
    })();
    result.unwrap_or_else(|code| serde_json::json!({ "error": code }).to_string())
}
