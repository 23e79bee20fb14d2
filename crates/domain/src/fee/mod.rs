//! 检验费用参考值: the reference fee of an inspection, from a tariff kept as data.
//!
//! Inspection fees are set by the **province** (物价局/发改委 with the 财政厅), per unit of
//! equipment, from its category and one main parameter, with surcharges (DOMAIN §6). When an
//! enterprise applies for an inspection online, the 计费 button shows what it will roughly cost
//! (manual 5.1.6–5.1.7); the institute fixes the real fee (核定费用) on the 缴款通知书. So the
//! result here is always labelled **参考费用** and carries the note
//! 「本费用仅为参考值，实际费用以缴款通知书为准」.
//!
//! ## Tariffs are data
//! Tariffs change and the current Huzhou numbers are not known yet, so they are not code. A
//! [`TariffBook`] is a JSON file (`data/tariffs/zhejiang.json` at the repository root is the
//! default; the institute can replace it without a rebuild) holding [`Tariff`]s, each for a
//! region (`330000` 浙江, `330500` 湖州) and a range of dates, and flagged `reference` when its
//! numbers are reference values. [`TariffBook::select`] picks the one in force for a district on a
//! date (district → city → province). [`TariffBook::from_json`] checks a file and reports every
//! problem with its path (bands ascending, amounts non-negative, factors ≥ 1, no overlapping
//! dates for one region …). [`TariffBook::bundled`] is the same file compiled in, for the browser
//! and the tests.
//!
//! A tariff holds [`FeeRule`]s. A rule `applies_to` catalogue codes and everything below them;
//! the most specific rule wins (`3430` 杂物电梯 has its own, the other elevators share `3000`),
//! and a rule may be a **subtype** a request names (`small_steam` 小型蒸汽锅炉, like the legacy
//! platforms' `subv`). A rule has:
//! - `base`: the periodic fee by **band** of a [`Measure`] (额定蒸发量, 层站数, 容积 …). Bands
//!   have inclusive upper bounds and a price `amount + rate × (value − over)`, so the boiler table's
//!   `160`, `60 × D` and `300 + 4 × (D − 35)` are all bands;
//! - `surcharges` per step above a threshold (+25 元 per floor from the 7th; +10 % per extra 2 m
//!   of rise above 6 m, a part step counting whole);
//! - `multipliers` for special types (液压 ×1.5, 防爆 ×1.2), matched by variety or parameter;
//! - `imported_percent` (整机进口: cranes +20 %, rides +50 %);
//! - `inspections`: how each [`InspectionType`] is priced, overriding the tariff's defaults
//!   (by default 监督检验 is 150 % of the periodic fee). A method is either `periodic` × a factor
//!   or `percent` of the ex-works price (安装监检) or works cost (改造、重大修理监检), flat or by band;
//! - `options`: items the customer may add (安全阀校验 per valve, 壁厚测定 per point, 限速器校验,
//!   锅炉辅机及管道附件宏观检验, 强度校核).
//!
//! The file, in short (every struct of the schema documents its fields; decimals are strings,
//! dates `YYYY-MM-DD`, unknown fields are refused so typos do not pass silently):
//! ```json
//! { "schema_version": 1,
//!   "tariffs": [{
//!     "id": "zhejiang-reference-v1", "name": "…", "region": "330000",
//!     "effective_from": "2000-01-01", "effective_to": null,
//!     "reference": true, "label": "参考值", "source": "…", "note": "…",
//!     "inspections": { "periodic": [{ "method": "periodic" }],
//!                      "installation": [{ "method": "periodic", "factor": "1.5" }] },
//!     "rules": [{
//!       "name": "锅炉", "applies_to": ["1000"], "source": "…",
//!       "base": { "name": "停炉内外部宏观检验", "unit": "台", "measure": "evaporation_t_h",
//!                 "bands": [{ "up_to": "0.5", "amount": "160" }, { "up_to": "35", "rate": "60" },
//!                           { "up_to": null, "rate": "0.3", "per": "generating_power_kw" }] },
//!       "surcharges": [{ "name": "层站附加费", "measure": "floors", "over": "6", "amount": "25" }],
//!       "multipliers": [{ "name": "液压驱动电梯", "factor": "1.5", "varieties": ["3200"] }],
//!       "imported_percent": "20",
//!       "inspections": { "installation": [{ "method": "percent", "of": "ex_works_price",
//!           "scheme": "routine", "scheme_name": "常规监检",
//!           "bands": [{ "up_to": "0.5", "percent": "0.5" }, { "up_to": null, "percent": null }],
//!           "otherwise_factor": "1.5" }] },
//!       "options": [{ "key": "safety_valve", "name": "安全阀校验", "unit": "只",
//!                     "bands": [{ "amount": "80" }] }] }] }] }
//! ```
//!
//! ## The calculation ([`estimate`])
//! In this order, each step one or more [`FeeLine`]s:
//! 1. **The inspection type's method.** Methods are tried in order. With a `scheme` in the
//!    request (e.g. `full_process` 全过程监检) only methods of that scheme are tried. A `percent`
//!    method whose band has no percentage (—) is skipped, and so is a `periodic` one whose base
//!    band has no price or whose rule has no base; when nothing is left the estimate fails with
//!    `inspection_not_priced` (`scheme_not_applicable` with a scheme). An inspection type with no
//!    methods at all is not priced (the bundled book prices no 年度检查). The first that applies
//!    gives:
//!    - `periodic`: the **base** line; then each **surcharge** (a fixed amount per step, or a
//!      percentage of the base line per step); then each matching **multiplier** as a line of
//!      `subtotal × (factor − 1)`, one after the other (so factors compound); then, when the
//!      factor is above 1, a line `periodic fee × (factor − 1)` (监督检验 at 150 % adds 50 %);
//!    - `percent`: one line `price × percent`. Without the price, the method's
//!      `otherwise_factor` prices it as `periodic` × that factor, with a line and an assumption
//!      saying so (未提供出厂价，按定期检验费的 150% 估算); with no `otherwise_factor` it is an error.
//! 2. **Imported** (the request's `imported`, or a ride's `imported` parameter): a line of
//!    `imported_percent` of the lines so far.
//! 3. **Options**, in request order: unit price (by band when the item has a measure) × quantity.
//!
//! **Rounding.** Every line is computed exactly (`Decimal`) and rounded to the 分, half away from
//! zero (四舍五入, [`Money::round_half_up`](crate::money::Money::round_half_up)), when it is made.
//! A line that takes a percentage of earlier lines uses their **rounded** amounts, exactly as
//! printed above it. The total is the exact sum of the rounded lines, so what a person adds up
//! on the screen is the total.
//!
//! **Missing parameters.** A missing main parameter selects the **lowest band**; the line's basis
//! and the estimate's `assumptions` say so (未提供额定蒸发量，按最低档（D ≤ 0.5）计). A missing
//! surcharge parameter means no surcharge (and an assumption). But when the chosen band's price
//! **multiplies** a missing value (`1 × L` for a 小型蒸汽锅炉, 元/m of pipeline, 元 per parking
//! space, `0.3 × Q` above 130 t/h), there is nothing sensible to assume and the estimate fails
//! with `missing_parameter`, naming the parameter. A value above the last band, when that band
//! is closed, fails with `out_of_tariff_range`.
//!
//! Errors are [`ParseError`]s with stable codes: `invalid_fee_request` and
//! `invalid_parameters` ([`FeeRequest::from_json`]),
//! `invalid_measure`, `not_a_supplementary_measure`, `invalid_price`, `invalid_quantity`,
//! `duplicate_fee_option`, `no_fee_rule`, `unknown_subtype`, `inspection_not_priced`,
//! `unknown_scheme`, `scheme_not_applicable`, `missing_parameter`,
//! `missing_price`, `out_of_tariff_range`, `unknown_fee_option`, `option_not_priced`,
//! `amount_out_of_range`, `invalid_tariff`. Each message is Chinese and names what to fill in or
//! what the tariff offers instead.
//!
//! The estimate is labelled `参考费用` when the tariff is flagged `reference`, else `标准费用`.
//!
//! ## The bundled Zhejiang book
//! The boiler rule is the Zhejiang table of DOMAIN §6.1 as published (undated, reconstructed
//! from flattened copies). Every other category has a **default** following §6.2–6.3 (elevator
//! examples from other provinces, parameters marked \[M\] there); each rule says where its numbers
//! come from in `source`. All of them are reference values until the institute supplies its tariff.

mod estimate;
mod tariff;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::CatalogueCode;
use crate::equipment::params::{EquipmentParams, FieldProblem};
use crate::error::ParseError;
use crate::inspection::InspectionType;
use crate::money::Money;

pub use estimate::estimate;
pub use tariff::{
    Band, Base, BookErrors, BookProblem, DEFAULT_NOTE, FeeRule, Measure, Method, MethodKind,
    Multiplier, OptionalItem, PercentBand, PriceKind, SCHEMA_VERSION, Surcharge, Tariff,
    TariffBook,
};

/// The label of every estimate from a reference tariff.
pub const REFERENCE_LABEL: &str = "参考费用";
/// The label of an estimate from a tariff that is not flagged `reference`.
pub const STANDARD_LABEL: &str = "标准费用";

/// The most units of one optional item a request may ask for.
pub const MAX_QUANTITY: u32 = 100_000;

/// 可选项目: an optional item asked for, by its key in the rule, and how many (default 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeOption {
    /// The item's key, e.g. `safety_valve`.
    pub key: String,
    /// How many units (valves, points, items), 1–[`MAX_QUANTITY`].
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

impl FeeOption {
    /// An item asked for `quantity` times.
    pub fn new(key: impl Into<String>, quantity: u32) -> Self {
        Self {
            key: key.into(),
            quantity,
        }
    }
}

/// 计费请求: what the fee calculator is asked.
///
/// On the wire (JSON):
/// ```json
/// { "variety": "3110", "inspection_type": "periodic", "params": { "floors": 10 },
///   "subtype": null, "scheme": null, "imported": false,
///   "measures": { "water_volume_l": "40" },
///   "ex_works_price": "1200000.00", "works_cost": null,
///   "options": [{ "key": "governor_check", "quantity": 1 }] }
/// ```
/// Only `variety` is required; `inspection_type` defaults to `periodic`. `params` is the
/// equipment's parameter object, read against the variety as
/// [`EquipmentParams::parse`] reads it (a problem there fails with `invalid_parameters`, the
/// messages joined). Money is the yuan string (`"12.30"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FeeRequestWire", into = "FeeRequestWire")]
pub struct FeeRequest {
    /// 设备品种: the catalogue code of the equipment, e.g. `3110`.
    pub variety: CatalogueCode,
    /// 子类: a subtype the tariff defines for the variety, e.g. `small_steam`.
    pub subtype: Option<String>,
    /// 检验类别.
    pub inspection_type: InspectionType,
    /// 设备参数, typed for the variety.
    pub params: EquipmentParams,
    /// Supplementary measures the register does not keep ([`Measure::is_supplementary`]).
    pub measures: BTreeMap<Measure, Decimal>,
    /// 整机进口: the equipment was imported as a whole.
    pub imported: bool,
    /// 出厂价 (for 安装监检 priced as a percentage).
    pub ex_works_price: Option<Money>,
    /// 工程费用（含主材） (for 改造 / 重大修理监检 priced as a percentage).
    pub works_cost: Option<Money>,
    /// 收费方式: picks one alternative of the inspection type's methods, e.g. `full_process`.
    pub scheme: Option<String>,
    /// 可选项目.
    pub options: Vec<FeeOption>,
}

impl FeeRequest {
    /// A request with nothing but the variety, the inspection type and the parameters.
    pub fn new(
        variety: CatalogueCode,
        inspection_type: InspectionType,
        params: EquipmentParams,
    ) -> Self {
        Self {
            variety,
            subtype: None,
            inspection_type,
            params,
            measures: BTreeMap::new(),
            imported: false,
            ex_works_price: None,
            works_cost: None,
            scheme: None,
            options: Vec::new(),
        }
    }

    /// Reads a request from its JSON form (the body of `POST /fees/estimate`), with the domain's
    /// error: `invalid_fee_request` when the shape is wrong (unknown field, bad code, bad amount),
    /// `invalid_parameters` when the parameters do not suit the variety.
    pub fn from_json(json: &Value) -> Result<Self, ParseError> {
        let wire = FeeRequestWire::deserialize(json).map_err(|e| {
            ParseError::new("invalid_fee_request", format!("计费请求格式错误：{e}"))
        })?;
        Self::try_from(wire)
    }

    /// The money a percentage method applies to.
    pub fn price(&self, kind: PriceKind) -> Option<Money> {
        match kind {
            PriceKind::ExWorksPrice => self.ex_works_price,
            PriceKind::WorksCost => self.works_cost,
        }
    }
}

/// The wire form of a [`FeeRequest`]: the parameters as a JSON object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeeRequestWire {
    variety: CatalogueCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subtype: Option<String>,
    #[serde(default = "periodic")]
    inspection_type: InspectionType,
    #[serde(default)]
    params: Value,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    measures: BTreeMap<Measure, Decimal>,
    #[serde(default)]
    imported: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ex_works_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    works_cost: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<FeeOption>,
}

/// `invalid_parameters`, with every problem's message.
fn params_error(problems: &[FieldProblem]) -> ParseError {
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    ParseError::new(
        "invalid_parameters",
        format!("设备参数有误：{}", messages.join("；")),
    )
}

fn periodic() -> InspectionType {
    InspectionType::Periodic
}

impl TryFrom<FeeRequestWire> for FeeRequest {
    type Error = ParseError;
    fn try_from(wire: FeeRequestWire) -> Result<Self, Self::Error> {
        let params = EquipmentParams::parse(wire.variety.as_str(), &wire.params)
            .map_err(|problems| params_error(&problems))?;
        Ok(Self {
            variety: wire.variety,
            subtype: wire.subtype,
            inspection_type: wire.inspection_type,
            params,
            measures: wire.measures,
            imported: wire.imported,
            ex_works_price: wire.ex_works_price,
            works_cost: wire.works_cost,
            scheme: wire.scheme,
            options: wire.options,
        })
    }
}

impl From<FeeRequest> for FeeRequestWire {
    fn from(request: FeeRequest) -> Self {
        Self {
            variety: request.variety,
            subtype: request.subtype,
            inspection_type: request.inspection_type,
            params: request.params.to_json(),
            measures: request.measures,
            imported: request.imported,
            ex_works_price: request.ex_works_price,
            works_cost: request.works_cost,
            scheme: request.scheme,
            options: request.options,
        }
    }
}

/// 费用行类别: what a line of an estimate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// 基本检验费.
    Base,
    /// 附加费 (floors, rise, length, load).
    Surcharge,
    /// 类型系数 (液压, 防爆 …).
    Multiplier,
    /// 检验类别加收 (监督检验 150 %).
    Inspection,
    /// 按价格比例 (安装监检 % of the ex-works price …).
    Percent,
    /// 整机进口加收.
    Imported,
    /// 可选项目.
    Option,
}

crate::error::wire_enum_names!(LineKind, "unknown_line_kind", "未知的费用行类别", {
    Base => "base",
    Surcharge => "surcharge",
    Multiplier => "multiplier",
    Inspection => "inspection",
    Percent => "percent",
    Imported => "imported",
    Option => "option",
});

impl LineKind {
    /// Every kind, in the order lines appear.
    pub fn all() -> &'static [LineKind] {
        use LineKind::*;
        &[
            Base, Surcharge, Multiplier, Inspection, Percent, Imported, Option,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            LineKind::Base => "基本检验费",
            LineKind::Surcharge => "附加费",
            LineKind::Multiplier => "类型系数",
            LineKind::Inspection => "检验类别加收",
            LineKind::Percent => "按价格比例",
            LineKind::Imported => "整机进口加收",
            LineKind::Option => "可选项目",
        }
    }
}

/// 费用明细行: one line of an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    /// What the line is.
    pub kind: LineKind,
    /// The item, in Chinese, e.g. `停炉内外部宏观检验`.
    pub item: String,
    /// How it was worked out, e.g. `额定蒸发量 4 t/h，2 < D ≤ 4 档`.
    pub basis: String,
    /// The amount, rounded to the 分.
    pub amount: Money,
}

/// 检验费用参考值: the result of [`estimate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeEstimate {
    /// The tariff used.
    pub tariff_id: String,
    /// Its name.
    pub tariff_name: String,
    /// `true` when the tariff holds reference values.
    pub reference: bool,
    /// `参考费用` (or `标准费用` for a tariff not flagged `reference`).
    pub label: String,
    /// The rule used, e.g. `锅炉`.
    pub rule: String,
    /// Where the rule's numbers come from.
    pub source: String,
    /// The variety asked about.
    pub variety: CatalogueCode,
    /// The inspection type asked about.
    pub inspection_type: InspectionType,
    /// The lines, in the order of the calculation.
    pub lines: Vec<FeeLine>,
    /// The exact sum of the lines.
    pub total: Money,
    /// What was assumed for missing values (未提供…，按最低档计).
    pub assumptions: Vec<String>,
    /// 本费用仅为参考值，实际费用以缴款通知书为准.
    pub note: String,
}

impl Tariff {
    /// The estimate of a request under this tariff; see [`estimate`].
    pub fn estimate(&self, request: &FeeRequest) -> Result<FeeEstimate, ParseError> {
        estimate(self, request)
    }
}
