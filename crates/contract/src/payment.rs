//! 网上自助缴费 (manual 5.5): payment notices and QR-code payments.

use serde::{Deserialize, Serialize};
use tejian_domain::money::Money;
use tejian_domain::payment::{NoticeState, PaymentState, Provider};
use time::{Date, OffsetDateTime};

/// 开具缴款通知书（检验院）：一份申请中已受理设备的核定费用。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPaymentNotice {
    pub application_id: i64,
    /// 要收费的报检设备；为空时为该申请中全部已受理、尚未开具缴款通知书的设备。
    #[serde(default)]
    pub item_ids: Vec<i64>,
    /// 缴费期限（默认 15 天后）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
}

/// 缴款通知书中的一项费用。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentNoticeItem {
    pub application_item_id: i64,
    /// 收费项目，如「电梯定期检验 33103305022017080232」。
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "380.00"))]
    pub amount: Money,
}

/// 缴款通知书。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentNotice {
    pub id: i64,
    /// 缴款通知书编号（20 位）。
    pub notice_no: String,
    /// 缴款单位名称。
    pub payer_name: String,
    pub enterprise_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "760.00"))]
    pub total: Money,
    /// 合计（大写）。
    pub total_in_words: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: NoticeState,
    pub state_name: String,
    /// 缴费期限。
    pub due_date: Date,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: OffsetDateTime,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub paid_at: Option<OffsetDateTime>,
    pub items: Vec<PaymentNoticeItem>,
}

/// 缴费查询：匿名查询时缴款单位名称和缴款通知书编号都必须填写且完全一致；登录的企业用户可不填，列出本单位的通知书。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PaymentNoticeQuery {
    /// 缴款单位名称（完整）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// 缴款通知书编号（20 位）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000000))]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// 在线支付：选择支付渠道。未登录时须再次给出缴款单位名称和通知书编号。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPayment {
    /// `sandbox`（模拟支付）、`wechat`、`alipay`。
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::provider))]
    pub provider: Provider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_no: Option<String>,
}

/// 一次支付：二维码、金额、渠道、有效期和状态。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    /// 支付单号（随机、不可猜测；用它查询支付状态）。
    pub out_trade_no: String,
    pub notice_no: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub provider: Provider,
    pub provider_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "760.00"))]
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: PaymentState,
    pub state_name: String,
    /// 二维码内容。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_text: Option<String>,
    /// 二维码（SVG）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub paid_at: Option<OffsetDateTime>,
}

/// 作废缴款通知书（检验院）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelPaymentNotice {
    /// 作废原因。
    pub reason: String,
}
