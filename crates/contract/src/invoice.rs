//! 电子发票下载 (manual 5.6).

use serde::{Deserialize, Serialize};
use tejian_domain::money::Money;
use time::OffsetDateTime;

/// 一张电子发票（或财政电子票据）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: i64,
    /// `tax_e_invoice`（数电票）或 `fiscal_receipt`（财政电子票据）。
    pub kind: String,
    pub kind_name: String,
    /// 发票号码（财政电子票据为票据号码）。
    pub invoice_no: String,
    /// 票据代码（仅财政电子票据）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_code: Option<String>,
    /// 对应的缴款通知书编号。
    pub notice_no: String,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax: Money,
    /// 价税合计。
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Money,
    pub total_in_words: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: OffsetDateTime,
}

/// 电子发票查询：按缴款通知书编号，或列出全部。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InvoiceQuery {
    /// 缴款通知书编号。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}
