//! 收费标准文件: the tariff book as data — its JSON schema, its validation and the choice of the
//! tariff in force for a region on a date. The calculation itself is in the `estimate` module.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

use crate::catalogue::{self, CatalogueCode, EquipmentCategory};
use crate::equipment::params::{EquipmentParams, RideClass};
use crate::inspection::InspectionType;

/// The schema version this code reads (`schema_version` at the top of the file).
pub const SCHEMA_VERSION: u32 = 1;

/// The note every estimate carries unless the tariff gives its own (manual 5.1.7).
pub const DEFAULT_NOTE: &str = "本费用仅为参考值，实际费用以缴款通知书为准";

/// The bundled Zhejiang book, `data/tariffs/zhejiang.json` at the repository root.
const BUNDLED_JSON: &str = include_str!("../../../../data/tariffs/zhejiang.json");

/// The largest amount, rate or minimum a book may hold (元), so no calculation can overflow.
const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0); // 10^12
/// The largest percentage a book may hold.
const MAX_PERCENT: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
/// The largest factor a book may hold.
const MAX_FACTOR: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

// ---------------------------------------------------------------------------------------------
// Measures and price inputs
// ---------------------------------------------------------------------------------------------

/// 计费参数: a quantity a tariff bands on or multiplies by.
///
/// Most are read from the equipment's parameters ([`EquipmentParams`]); two are
/// **supplementary**, given in [`FeeRequest::measures`](super::FeeRequest::measures) because the
/// register does not keep them: `water_volume_l` (小型蒸汽锅炉) and `generating_power_kw`
/// (boilers above 130 t/h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    /// 额定蒸发量 D, t/h; hot-water and organic-heat-carrier boilers are converted from their
    /// power at 0.7 MW = 1 t/h ([`BoilerParams::equivalent_t_h`]).
    ///
    /// [`BoilerParams::equivalent_t_h`]: crate::equipment::params::BoilerParams::equivalent_t_h
    #[serde(rename = "evaporation_t_h")]
    EvaporationTH,
    /// 水容积 L, litres (supplementary; 小型蒸汽锅炉).
    #[serde(rename = "water_volume_l")]
    WaterVolumeL,
    /// 额定发电功率 Q, kW (supplementary; boilers above 130 t/h).
    #[serde(rename = "generating_power_kw")]
    GeneratingPowerKw,
    /// 容积 V, m³ (pressure and atmospheric vessels).
    #[serde(rename = "volume_m3")]
    VolumeM3,
    /// 层站数 N (elevators).
    #[serde(rename = "floors")]
    Floors,
    /// 额定载重量, kg (elevators).
    #[serde(rename = "rated_load_kg")]
    RatedLoadKg,
    /// 提升高度 H, m (escalators).
    #[serde(rename = "rise_m")]
    RiseM,
    /// 长度 L, m: 使用区段长度 of a moving walk, 管道长度 of a pipeline, 线路长度 of a ropeway.
    #[serde(rename = "length_m")]
    LengthM,
    /// 额定起重量 G, t (cranes).
    #[serde(rename = "rated_capacity_t")]
    RatedCapacityT,
    /// 泊位数 n (机械式停车设备).
    #[serde(rename = "parking_spaces")]
    ParkingSpaces,
    /// 额定起重量（载质量）G, kg (场车).
    #[serde(rename = "rated_capacity_kg")]
    VehicleCapacityKg,
    /// 额定载客人数 n (观光车辆).
    #[serde(rename = "seats")]
    Seats,
    /// 公称直径 DN, mm (pipelines).
    #[serde(rename = "dn")]
    Dn,
    /// 游乐设施级别 as a rank: C = 1, B = 2, A = 3 (A carries the highest risk and fee).
    #[serde(rename = "ride_class")]
    RideClass,
}

crate::error::wire_enum_names!(Measure, "unknown_measure", "未知的计费参数", {
    EvaporationTH => "evaporation_t_h",
    WaterVolumeL => "water_volume_l",
    GeneratingPowerKw => "generating_power_kw",
    VolumeM3 => "volume_m3",
    Floors => "floors",
    RatedLoadKg => "rated_load_kg",
    RiseM => "rise_m",
    LengthM => "length_m",
    RatedCapacityT => "rated_capacity_t",
    ParkingSpaces => "parking_spaces",
    VehicleCapacityKg => "rated_capacity_kg",
    Seats => "seats",
    Dn => "dn",
    RideClass => "ride_class",
});

impl Measure {
    /// Every measure.
    pub fn all() -> &'static [Measure] {
        use Measure::*;
        &[
            EvaporationTH,
            WaterVolumeL,
            GeneratingPowerKw,
            VolumeM3,
            Floors,
            RatedLoadKg,
            RiseM,
            LengthM,
            RatedCapacityT,
            ParkingSpaces,
            VehicleCapacityKg,
            Seats,
            Dn,
            RideClass,
        ]
    }

    /// The Chinese name, e.g. `额定蒸发量`.
    pub fn label_zh(self) -> &'static str {
        use Measure::*;
        match self {
            EvaporationTH => "额定蒸发量",
            WaterVolumeL => "水容积",
            GeneratingPowerKw => "额定发电功率",
            VolumeM3 => "容积",
            Floors => "层站数",
            RatedLoadKg => "额定载重量",
            RiseM => "提升高度",
            LengthM => "长度",
            RatedCapacityT => "额定起重量",
            ParkingSpaces => "泊位数",
            VehicleCapacityKg => "额定起重量(载质量)",
            Seats => "额定载客人数",
            Dn => "公称直径",
            RideClass => "游乐设施级别",
        }
    }

    /// The unit, e.g. `t/h`; empty for the ride class.
    pub fn unit(self) -> &'static str {
        use Measure::*;
        match self {
            EvaporationTH => "t/h",
            WaterVolumeL => "L",
            GeneratingPowerKw => "kW",
            VolumeM3 => "m³",
            Floors => "层",
            RatedLoadKg | VehicleCapacityKg => "kg",
            RiseM | LengthM => "m",
            RatedCapacityT => "t",
            ParkingSpaces => "个",
            Seats => "人",
            Dn => "mm",
            RideClass => "",
        }
    }

    /// The symbol used in band texts, e.g. `D` in `2 < D ≤ 4`.
    pub fn symbol(self) -> &'static str {
        use Measure::*;
        match self {
            EvaporationTH => "D",
            WaterVolumeL | LengthM => "L",
            GeneratingPowerKw => "Q",
            VolumeM3 => "V",
            Floors => "N",
            RatedLoadKg => "Q",
            RiseM => "H",
            RatedCapacityT | VehicleCapacityKg => "G",
            ParkingSpaces | Seats => "n",
            Dn => "DN",
            RideClass => "级别",
        }
    }

    /// `true` for the measures a request gives in `measures` because the register lacks them.
    pub fn is_supplementary(self) -> bool {
        matches!(self, Measure::WaterVolumeL | Measure::GeneratingPowerKw)
    }

    /// The categories whose parameters (or supplements) can give this measure.
    pub fn categories(self) -> &'static [EquipmentCategory] {
        use EquipmentCategory as C;
        use Measure::*;
        match self {
            EvaporationTH | WaterVolumeL | GeneratingPowerKw => &[C::Boiler],
            VolumeM3 => &[C::PressureVessel, C::AtmosphericVessel],
            Floors | RatedLoadKg | RiseM => &[C::Elevator],
            LengthM => &[C::Elevator, C::Pipeline, C::Ropeway],
            RatedCapacityT | ParkingSpaces => &[C::Crane],
            VehicleCapacityKg | Seats => &[C::FieldVehicle],
            Dn => &[C::Pipeline],
            RideClass => &[C::AmusementRide],
        }
    }

    /// The value of this measure in the equipment's parameters (not the supplements).
    pub fn from_params(self, params: &EquipmentParams) -> Option<Decimal> {
        use EquipmentParams as P;
        use Measure::*;
        match (self, params) {
            (EvaporationTH, P::Boiler(p)) => p.equivalent_t_h(),
            (VolumeM3, P::PressureVessel(p)) => p.volume_m3,
            (VolumeM3, P::AtmosphericVessel(p)) => p.volume_m3,
            (Floors, P::Elevator(p)) => p.floors.map(Decimal::from),
            (RatedLoadKg, P::Elevator(p)) => p.rated_load_kg.map(Decimal::from),
            (RiseM, P::Escalator(p)) => p.rise_m,
            (LengthM, P::Escalator(p)) => p.length_m,
            (LengthM, P::Pipeline(p)) => p.length_m,
            (LengthM, P::Ropeway(p)) => p.length_m,
            (RatedCapacityT, P::Crane(p)) => p.rated_capacity_t,
            (ParkingSpaces, P::Crane(p)) => p.parking_spaces.map(Decimal::from),
            (VehicleCapacityKg, P::FieldVehicle(p)) => p.rated_capacity_kg.map(Decimal::from),
            (Seats, P::FieldVehicle(p)) => p.seats.map(Decimal::from),
            (Dn, P::Pipeline(p)) => p.dn.map(Decimal::from),
            (RideClass, P::AmusementRide(p)) => p.class.map(rank_of_ride_class),
            _ => None,
        }
    }

    /// A value for people: `4 t/h`, `DN100`, `B级`.
    pub fn show(self, value: Decimal) -> String {
        let number = value.normalize();
        match self {
            Measure::Dn => format!("DN{number}"),
            Measure::RideClass => ride_class_of_rank(value)
                .map_or_else(|| number.to_string(), |c| c.label_zh().to_owned()),
            _ => format!("{number} {}", self.unit()),
        }
    }
}

/// C = 1, B = 2, A = 3: the order of risk, and of fees.
fn rank_of_ride_class(class: RideClass) -> Decimal {
    Decimal::from(match class {
        RideClass::C => 1,
        RideClass::B => 2,
        RideClass::A => 3,
    })
}

fn ride_class_of_rank(rank: Decimal) -> Option<RideClass> {
    if rank == Decimal::ONE {
        Some(RideClass::C)
    } else if rank == Decimal::TWO {
        Some(RideClass::B)
    } else if rank == Decimal::from(3) {
        Some(RideClass::A)
    } else {
        None
    }
}

/// 计费基数: the money a percentage-of-price method applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PriceKind {
    /// 出厂价: the ex-works price of the equipment (installation supervision).
    #[serde(rename = "ex_works_price")]
    ExWorksPrice,
    /// 工程费用（含主材）: the cost of a modification or major repair, main materials included.
    #[serde(rename = "works_cost")]
    WorksCost,
}

crate::error::wire_enum_names!(PriceKind, "unknown_price_kind", "未知的计费基数", {
    ExWorksPrice => "ex_works_price",
    WorksCost => "works_cost",
});

impl PriceKind {
    /// Both kinds.
    pub fn all() -> &'static [PriceKind] {
        &[PriceKind::ExWorksPrice, PriceKind::WorksCost]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            PriceKind::ExWorksPrice => "出厂价",
            PriceKind::WorksCost => "工程费用(含主材)",
        }
    }
}

/// 计费方式: how an inspection type is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MethodKind {
    /// 按定期检验费: the periodic fee (base, surcharges, type factors), times `factor`.
    #[serde(rename = "periodic")]
    Periodic,
    /// 按价格比例: a percentage of the ex-works price or of the works cost.
    #[serde(rename = "percent")]
    Percent,
}

crate::error::wire_enum_names!(MethodKind, "unknown_method_kind", "未知的计费方式", {
    Periodic => "periodic",
    Percent => "percent",
});

impl MethodKind {
    /// Both kinds.
    pub fn all() -> &'static [MethodKind] {
        &[MethodKind::Periodic, MethodKind::Percent]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            MethodKind::Periodic => "按定期检验费",
            MethodKind::Percent => "按价格比例",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

/// 档: one band of a banded price. Bands are listed in ascending order; a band covers the values
/// above the previous band's `up_to` up to and including its own (`0.5 < D ≤ 2`).
///
/// The price is `amount + rate × (value − over)` where `value` is the `per` measure (default: the
/// measure the bands are on) and the difference is never below zero. `60 × D` is `rate: 60`;
/// `300 + 4 × (D − 35)` is `amount: 300, rate: 4, over: 35`. A band with neither `amount` nor
/// `rate` has **no price** (the table shows —): asking for it is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The upper bound, inclusive; `null` for the open last band.
    #[serde(default)]
    pub up_to: Option<Decimal>,
    /// A name shown instead of the computed range, e.g. `B级`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A fixed amount in 元.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// 元 per unit of the `per` measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    /// The measure the rate multiplies; default the measure of the bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Measure>,
    /// The rate applies to the part of the value above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over: Option<Decimal>,
}

impl Band {
    /// `true` when the band has no price (—).
    pub fn is_unpriced(&self) -> bool {
        self.amount.is_none() && self.rate.is_none()
    }
}

/// 比例档: one band of a percentage-of-price method; `percent: null` means not offered (—).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentBand {
    /// The upper bound, inclusive; `null` for the open last band.
    #[serde(default)]
    pub up_to: Option<Decimal>,
    /// The percentage, e.g. `0.4` for 0.4 %; `null` when this band has no such fee.
    #[serde(default)]
    pub percent: Option<Decimal>,
}

/// Something with an upper bound and perhaps a label (for band lookups).
pub(crate) trait Banded {
    fn up_to(&self) -> Option<Decimal>;
    fn label(&self) -> Option<&str>;
}

impl Banded for Band {
    fn up_to(&self) -> Option<Decimal> {
        self.up_to
    }
    fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

impl Banded for PercentBand {
    fn up_to(&self) -> Option<Decimal> {
        self.up_to
    }
    fn label(&self) -> Option<&str> {
        None
    }
}

/// 基本检验费: the periodic fee of one unit, by band of the main measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// The line's name, e.g. `停炉内外部宏观检验`.
    pub name: String,
    /// The unit priced, default `台`.
    #[serde(default = "default_unit")]
    pub unit: String,
    /// The measure the bands are on; `null` for a single flat band.
    #[serde(default)]
    pub measure: Option<Measure>,
    /// The bands, ascending.
    pub bands: Vec<Band>,
    /// The base is never below this (元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Decimal>,
}

fn default_unit() -> String {
    "台".to_owned()
}

fn one() -> Decimal {
    Decimal::ONE
}

/// 附加费: a per-step surcharge above a threshold, e.g. `+25 元 per floor from the 7th floor`
/// (`measure: floors, over: 6, amount: 25`) or `rise above 6 m: +10 % per extra 2 m`
/// (`measure: rise_m, over: 6, step: 2, percent: 10`).
///
/// Steps are `⌈(value − over) / step⌉` (a part step counts as a whole one), at most `max_steps`.
/// Each step adds `amount` 元, or `percent` % of the base line. No value, no surcharge. With
/// `varieties`, only those varieties (and the codes below them) pay it (载货电梯 by load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surcharge {
    /// The line's name, e.g. `层站附加费`.
    pub name: String,
    /// What is counted.
    pub measure: Measure,
    /// The threshold; only the part above it counts.
    pub over: Decimal,
    /// The size of a step, default 1.
    #[serde(default = "one")]
    pub step: Decimal,
    /// 元 per step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Percent of the base line per step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Decimal>,
    /// A cap on the number of steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_steps: Option<u32>,
    /// Only these catalogue codes (and those below them) pay it; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub varieties: Vec<CatalogueCode>,
}

/// 系数: a factor for special types (液压 ×1.5, 防爆 ×1.2), applied to the periodic fee.
///
/// It applies when the variety is one of `varieties` or below one, **or** when one of `params`
/// matches the equipment's parameters. The parameters seen are those stored, plus two derived
/// ones: `vessel_class` (from the variety 2110/2130/2150/2170 when it says, else the stored
/// value) and `lifts_molten_metal` (stored, else `true` for 4150 冶金桥式). A value may be a list
/// (any of); strings compare without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Multiplier {
    /// The line's name, e.g. `液压驱动电梯`.
    pub name: String,
    /// The factor, at least 1.
    pub factor: Decimal,
    /// Catalogue codes; the variety or one of its parents must be listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub varieties: Vec<CatalogueCode>,
    /// Parameter values, e.g. `{"vessel_class": "iii"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Value>,
}

/// 计费方法: how one inspection type is priced. A list of methods is tried in order (see the
/// module doc); `scheme` names alternatives a request can pick (常规 / 全过程监检).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// `periodic` or `percent`.
    pub method: MethodKind,
    /// `periodic`: the periodic fee times this (default 1, at least 1), e.g. 1.5 for 监督检验.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<Decimal>,
    /// `percent`: the money the percentage applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<PriceKind>,
    /// `percent`: one percentage for all sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Decimal>,
    /// `percent`: percentages by band of the rule's base measure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<PercentBand>,
    /// `percent`: without the money, the periodic fee times this (with a line saying so);
    /// without it, the money is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otherwise_factor: Option<Decimal>,
    /// The key a request uses to pick this alternative, e.g. `full_process`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Its Chinese name, e.g. `全过程监检`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_name: Option<String>,
}

/// 可选检验项目: an item the customer may add, priced per unit (per valve, per point, per item),
/// by band of `measure` when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionalItem {
    /// The key a request uses, e.g. `safety_valve`.
    pub key: String,
    /// The Chinese name, e.g. `安全阀校验`.
    pub name: String,
    /// The unit counted, e.g. `只`, `点`, `项`, `台`.
    pub unit: String,
    /// The measure the bands are on; `null` for one price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// The price per unit, by band.
    pub bands: Vec<Band>,
}

/// 收费规则: the prices of one group of varieties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeRule {
    /// The name, e.g. `曳引与强制驱动电梯、液压电梯、其它类型电梯`.
    pub name: String,
    /// Catalogue codes; the rule applies to them and every code below them, unless a rule for a
    /// more specific code exists.
    pub applies_to: Vec<CatalogueCode>,
    /// 子类 key (the legacy platforms' `subv`), e.g. `small_steam`; the rule then applies only to
    /// requests that name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// The Chinese name of the subtype, e.g. `小型蒸汽锅炉`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_name: Option<String>,
    /// Where the numbers come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The periodic fee; without it only `percent` methods can price this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// Surcharges on the periodic fee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surcharges: Vec<Surcharge>,
    /// Factors for special types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multipliers: Vec<Multiplier>,
    /// 整机进口加收: percent added for equipment imported as a whole (cranes 20, rides 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_percent: Option<Decimal>,
    /// Pricing per inspection type; a type not listed uses the tariff's default, an empty list
    /// means "not priced".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inspections: BTreeMap<InspectionType, Vec<Method>>,
    /// Optional items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionalItem>,
}

/// 收费标准: one tariff, in force in one region for a range of dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tariff {
    /// A stable identifier, e.g. `zhejiang-reference-v1`.
    pub id: String,
    /// The name, e.g. `浙江省特种设备检验收费参考标准`.
    pub name: String,
    /// The 6-digit GB/T 2260 code of the region: `330000` 浙江, `330500` 湖州.
    pub region: String,
    /// The first day in force.
    pub effective_from: Date,
    /// The last day in force (inclusive); `null` while in force.
    #[serde(default)]
    pub effective_to: Option<Date>,
    /// `true` for reference values (参考值) rather than the official tariff.
    pub reference: bool,
    /// How the values are labelled, e.g. `参考值`.
    pub label: String,
    /// Where the numbers come from.
    pub source: String,
    /// The note on every estimate; default [`DEFAULT_NOTE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Default pricing per inspection type, for rules that do not give their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inspections: BTreeMap<InspectionType, Vec<Method>>,
    /// The rules.
    pub rules: Vec<FeeRule>,
}

/// 收费标准文件: every tariff the institute has, across regions and dates. Build one with
/// [`TariffBook::from_json`] (which validates) or take the [`bundled`](TariffBook::bundled) one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TariffBook {
    schema_version: u32,
    tariffs: Vec<Tariff>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookWire {
    schema_version: u32,
    tariffs: Vec<Tariff>,
}

// ---------------------------------------------------------------------------------------------
// Problems
// ---------------------------------------------------------------------------------------------

/// 收费标准问题: one thing wrong with a tariff book, located by a path such as
/// `tariffs[0].rules[3].base.bands[2]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookProblem {
    /// Where, e.g. `tariffs[0].rules[3].base.bands[2]`; empty for the whole file.
    pub path: String,
    /// A stable snake_case code, e.g. `bands_not_ascending`.
    pub code: &'static str,
    /// The message for people, in Chinese.
    pub message: String,
}

impl fmt::Display for BookProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}：{}", self.path, self.message)
        }
    }
}

/// 收费标准文件有误: every problem found in a book, one per line when displayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
pub struct BookErrors(pub Vec<BookProblem>);

impl fmt::Display for BookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "收费标准文件有误（{} 处）：", self.0.len())?;
        for problem in &self.0 {
            writeln!(f, "- {problem}")?;
        }
        Ok(())
    }
}

struct Problems(Vec<BookProblem>);

impl Problems {
    fn push(&mut self, path: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(BookProblem {
            path: path.to_owned(),
            code,
            message: message.into(),
        });
    }

    fn non_negative(&mut self, path: &str, what: &str, value: Option<Decimal>, max: Decimal) {
        if let Some(value) = value {
            if value.is_sign_negative() && !value.is_zero() {
                self.push(
                    path,
                    "negative_amount",
                    format!("{what}不得为负数：{value}"),
                );
            } else if value > max {
                self.push(path, "amount_too_large", format!("{what}过大：{value}"));
            }
        }
    }

    fn factor(&mut self, path: &str, what: &str, value: Option<Decimal>) {
        if let Some(value) = value
            && (value < Decimal::ONE || value > MAX_FACTOR)
        {
            self.push(
                path,
                "invalid_factor",
                format!("{what}应在 1～100 之间（减收请另立规则）：{value}"),
            );
        }
    }

    fn text(&mut self, path: &str, what: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(path, "empty_field", format!("{what}不能为空"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn is_region_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The categories a rule's codes belong to.
fn rule_categories(rule: &FeeRule) -> BTreeSet<EquipmentCategory> {
    rule.applies_to
        .iter()
        .map(CatalogueCode::category)
        .collect()
}

fn check_measure(p: &mut Problems, path: &str, measure: Measure, rule: &FeeRule) {
    for category in rule_categories(rule) {
        if !measure.categories().contains(&category) {
            p.push(
                path,
                "measure_not_for_category",
                format!(
                    "计费参数 {}（{}）不适用于{}",
                    measure.as_str(),
                    measure.label_zh(),
                    category.label_zh()
                ),
            );
        }
    }
}

fn check_bounds<B: Banded>(p: &mut Problems, path: &str, bands: &[B], measure: Option<Measure>) {
    if bands.is_empty() {
        p.push(path, "empty_bands", "至少需要一个档");
        return;
    }
    if measure.is_none() {
        if bands.len() > 1 {
            p.push(
                path,
                "bands_without_measure",
                "分多档时须指定计费参数 measure",
            );
        }
        if bands.iter().any(|b| b.up_to().is_some()) {
            p.push(
                path,
                "bands_without_measure",
                "未指定计费参数时档不能有上限 up_to",
            );
        }
        return;
    }
    let last = bands.len() - 1;
    let mut previous: Option<Decimal> = None;
    for (i, band) in bands.iter().enumerate() {
        let here = format!("{path}[{i}]");
        match band.up_to() {
            None if i != last => p.push(
                &here,
                "bands_not_ascending",
                "只有最后一档可以没有上限（up_to 为 null）",
            ),
            None => {}
            Some(up_to) => {
                if up_to.is_sign_negative() && !up_to.is_zero() {
                    p.push(&here, "negative_amount", "档的上限不得为负数");
                }
                if let Some(before) = previous
                    && up_to <= before
                {
                    p.push(
                        &here,
                        "bands_not_ascending",
                        format!("档的上限应逐档递增：{up_to} 不大于上一档的 {before}"),
                    );
                }
                previous = Some(up_to);
            }
        }
    }
}

fn check_bands(
    p: &mut Problems,
    path: &str,
    bands: &[Band],
    measure: Option<Measure>,
    rule: &FeeRule,
) {
    check_bounds(p, path, bands, measure);
    for (i, band) in bands.iter().enumerate() {
        let here = format!("{path}[{i}]");
        p.non_negative(&here, "金额 amount", band.amount, MAX_AMOUNT);
        p.non_negative(&here, "单价 rate", band.rate, MAX_AMOUNT);
        p.non_negative(&here, "起算值 over", band.over, MAX_AMOUNT);
        if let Some(label) = &band.label {
            p.text(&here, "档名 label", label);
        }
        if band.rate.is_none() && (band.per.is_some() || band.over.is_some()) {
            p.push(&here, "field_not_allowed", "per 与 over 只用于单价 rate");
        }
        if band.rate.is_some() {
            match band.per.or(measure) {
                None => p.push(
                    &here,
                    "rate_without_measure",
                    "单价 rate 须指定所乘的计费参数 per",
                ),
                Some(per) => check_measure(p, &here, per, rule),
            }
        }
    }
}

fn check_methods(
    p: &mut Problems,
    path: &str,
    methods: &[Method],
    rule: Option<&FeeRule>,
    base_measure: Option<Measure>,
) {
    let mut schemes = BTreeSet::new();
    for (i, method) in methods.iter().enumerate() {
        let here = format!("{path}[{i}]");
        p.factor(&here, "系数 factor", method.factor);
        p.factor(&here, "系数 otherwise_factor", method.otherwise_factor);
        match (&method.scheme, &method.scheme_name) {
            (Some(key), Some(name)) => {
                if !is_key(key) {
                    p.push(
                        &here,
                        "invalid_key",
                        format!("scheme 应为小写字母、数字和下划线：{key}"),
                    );
                }
                p.text(&here, "scheme_name", name);
                if !schemes.insert(key.clone()) {
                    p.push(&here, "duplicate_scheme", format!("收费方式重复：{key}"));
                }
            }
            (None, None) => {}
            _ => p.push(
                &here,
                "incomplete_scheme",
                "scheme 与 scheme_name 须同时给出",
            ),
        }
        match method.method {
            MethodKind::Periodic => {
                if method.of.is_some()
                    || method.percent.is_some()
                    || !method.bands.is_empty()
                    || method.otherwise_factor.is_some()
                {
                    p.push(
                        &here,
                        "field_not_allowed",
                        "按定期检验费计（periodic）时只能给出 factor",
                    );
                }
                if let Some(rule) = rule
                    && rule.base.is_none()
                {
                    p.push(
                        &here,
                        "method_needs_base",
                        "该规则没有基本检验费 base，不能按定期检验费计",
                    );
                }
            }
            MethodKind::Percent => {
                if method.of.is_none() {
                    p.push(&here, "missing_field", "按价格比例计（percent）须给出 of");
                }
                if method.factor.is_some() {
                    p.push(&here, "field_not_allowed", "按价格比例计时不能给出 factor");
                }
                match (method.percent, method.bands.is_empty()) {
                    (Some(percent), true) => {
                        p.non_negative(&here, "百分比 percent", Some(percent), MAX_PERCENT);
                    }
                    (None, false) => {
                        let bands = format!("{here}.bands");
                        if rule.is_some() && base_measure.is_none() {
                            p.push(
                                &bands,
                                "bands_without_measure",
                                "按比例分档须有基本检验费的计费参数 base.measure",
                            );
                        } else if rule.is_none() {
                            p.push(
                                &bands,
                                "bands_without_measure",
                                "收费标准的默认计费方法不能分档（没有计费参数）",
                            );
                        } else {
                            check_bounds(p, &bands, &method.bands, base_measure);
                        }
                        for (j, band) in method.bands.iter().enumerate() {
                            p.non_negative(
                                &format!("{bands}[{j}]"),
                                "百分比 percent",
                                band.percent,
                                MAX_PERCENT,
                            );
                        }
                    }
                    _ => p.push(
                        &here,
                        "missing_field",
                        "按价格比例计须给出 percent 或 bands 之一",
                    ),
                }
                if let Some(rule) = rule
                    && method.otherwise_factor.is_some()
                    && rule.base.is_none()
                {
                    p.push(
                        &here,
                        "method_needs_base",
                        "该规则没有基本检验费 base，不能给出 otherwise_factor",
                    );
                }
            }
        }
    }
}

/// The parameter keys a multiplier may test for a rule's codes.
fn condition_keys(rule: &FeeRule) -> BTreeSet<&'static str> {
    let mut keys: BTreeSet<&'static str> = rule
        .applies_to
        .iter()
        .flat_map(|code| EquipmentParams::fields_for(code.as_str()).iter())
        .map(|field| field.key)
        .collect();
    if rule_categories(rule).contains(&EquipmentCategory::Crane) {
        keys.insert("kind");
    }
    keys
}

fn check_rule(p: &mut Problems, path: &str, rule: &FeeRule) {
    p.text(path, "规则名称 name", &rule.name);
    if rule.applies_to.is_empty() {
        p.push(path, "empty_applies_to", "applies_to 至少需要一个目录代码");
    }
    match (&rule.subtype, &rule.subtype_name) {
        (Some(key), Some(name)) => {
            if !is_key(key) {
                p.push(
                    path,
                    "invalid_key",
                    format!("subtype 应为小写字母、数字和下划线：{key}"),
                );
            }
            p.text(path, "subtype_name", name);
        }
        (None, None) => {}
        _ => p.push(
            path,
            "incomplete_subtype",
            "subtype 与 subtype_name 须同时给出",
        ),
    }
    let base_measure = rule.base.as_ref().and_then(|b| b.measure);
    if let Some(base) = &rule.base {
        let here = format!("{path}.base");
        p.text(&here, "名称 name", &base.name);
        p.text(&here, "单位 unit", &base.unit);
        p.non_negative(&here, "最低收费 minimum", base.minimum, MAX_AMOUNT);
        if let Some(measure) = base.measure {
            check_measure(p, &here, measure, rule);
        }
        check_bands(p, &format!("{here}.bands"), &base.bands, base.measure, rule);
    } else if !rule.surcharges.is_empty() || !rule.multipliers.is_empty() {
        p.push(
            path,
            "method_needs_base",
            "没有基本检验费 base 的规则不能有附加费或系数",
        );
    }
    for (i, s) in rule.surcharges.iter().enumerate() {
        let here = format!("{path}.surcharges[{i}]");
        p.text(&here, "名称 name", &s.name);
        check_measure(p, &here, s.measure, rule);
        p.non_negative(&here, "起算值 over", Some(s.over), MAX_AMOUNT);
        if s.step <= Decimal::ZERO || s.step > MAX_AMOUNT {
            p.push(
                &here,
                "invalid_step",
                format!("步长 step 应大于 0：{}", s.step),
            );
        }
        match (s.amount, s.percent) {
            (Some(amount), None) => p.non_negative(&here, "金额 amount", Some(amount), MAX_AMOUNT),
            (None, Some(percent)) => {
                p.non_negative(&here, "百分比 percent", Some(percent), MAX_PERCENT);
            }
            _ => p.push(
                &here,
                "invalid_surcharge",
                "附加费须给出 amount（元/步）或 percent（%/步）之一",
            ),
        }
    }
    let keys = condition_keys(rule);
    for (i, m) in rule.multipliers.iter().enumerate() {
        let here = format!("{path}.multipliers[{i}]");
        p.text(&here, "名称 name", &m.name);
        p.factor(&here, "系数 factor", Some(m.factor));
        if m.varieties.is_empty() && m.params.is_empty() {
            p.push(
                &here,
                "multiplier_without_condition",
                "系数须给出适用的 varieties 或 params",
            );
        }
        for key in m.params.keys() {
            if !keys.contains(key.as_str()) {
                p.push(
                    &here,
                    "unknown_parameter",
                    format!("该规则的设备没有参数 {key}"),
                );
            }
        }
    }
    p.non_negative(
        path,
        "整机进口加收比例 imported_percent",
        rule.imported_percent,
        MAX_PERCENT,
    );
    for (kind, methods) in &rule.inspections {
        check_methods(
            p,
            &format!("{path}.inspections.{}", kind.as_str()),
            methods,
            Some(rule),
            base_measure,
        );
    }
    let mut option_keys = BTreeSet::new();
    for (i, item) in rule.options.iter().enumerate() {
        let here = format!("{path}.options[{i}]");
        if !is_key(&item.key) {
            p.push(
                &here,
                "invalid_key",
                format!("key 应为小写字母、数字和下划线：{}", item.key),
            );
        }
        if !option_keys.insert(item.key.as_str()) {
            p.push(
                &here,
                "duplicate_option",
                format!("可选项目重复：{}", item.key),
            );
        }
        p.text(&here, "名称 name", &item.name);
        p.text(&here, "单位 unit", &item.unit);
        if let Some(measure) = item.measure {
            check_measure(p, &here, measure, rule);
        }
        check_bands(p, &format!("{here}.bands"), &item.bands, item.measure, rule);
    }
}

impl Tariff {
    /// Checks one tariff on its own: texts present, region code, dates in order, every rule
    /// (bands ascending, amounts non-negative, factors at least 1, no two rules for the same
    /// code and subtype). Overlaps with other tariffs are the book's business.
    pub fn validate(&self) -> Result<(), BookErrors> {
        let mut p = Problems(Vec::new());
        self.check(&mut p, "");
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(BookErrors(p.0))
        }
    }

    fn check(&self, p: &mut Problems, path: &str) {
        p.text(path, "编号 id", &self.id);
        p.text(path, "名称 name", &self.name);
        p.text(path, "标注 label", &self.label);
        p.text(path, "来源 source", &self.source);
        if !is_region_code(&self.region) {
            p.push(
                path,
                "invalid_region",
                format!("地区代码应为 6 位数字：{}", self.region),
            );
        }
        if let Some(to) = self.effective_to
            && to < self.effective_from
        {
            p.push(
                path,
                "invalid_effective_range",
                format!("失效日期 {to} 早于生效日期 {}", self.effective_from),
            );
        }
        for (kind, methods) in &self.inspections {
            check_methods(
                p,
                &format!("{path}.inspections.{}", kind.as_str()),
                methods,
                None,
                None,
            );
        }
        let mut seen = BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let here = format!("{path}.rules[{i}]");
            check_rule(p, &here, rule);
            for code in &rule.applies_to {
                if !seen.insert((code.as_str(), rule.subtype.clone())) {
                    p.push(
                        &here,
                        "duplicate_rule",
                        format!("目录代码 {code} 已有收费规则"),
                    );
                }
            }
        }
    }

    /// `true` when the tariff is in force on `date` (both ends inclusive).
    pub fn is_in_force(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }

    /// The note for estimates: the tariff's own, or [`DEFAULT_NOTE`].
    pub fn note(&self) -> &str {
        self.note.as_deref().unwrap_or(DEFAULT_NOTE)
    }

    /// The rule for a variety: the rule listing the variety itself, else its class, else its
    /// category (the first found walking up the catalogue). With a `subtype`, only rules of that
    /// subtype count; without, only rules without one.
    pub fn rule_for(&self, variety: CatalogueCode, subtype: Option<&str>) -> Option<&FeeRule> {
        let mut code = Some(variety.as_str());
        // The catalogue is at most three levels deep; the bound keeps a bad table from looping.
        for _ in 0..4 {
            let here = code?;
            if let Some(rule) = self.rules.iter().find(|rule| {
                rule.subtype.as_deref() == subtype
                    && rule.applies_to.iter().any(|c| c.as_str() == here)
            }) {
                return Some(rule);
            }
            code = catalogue::find(here).and_then(|entry| entry.parent);
        }
        None
    }

    /// The subtypes (key, Chinese name) the tariff offers for a variety, for a select box.
    pub fn subtypes_for(&self, variety: CatalogueCode) -> Vec<(&str, &str)> {
        let mut found = Vec::new();
        for rule in &self.rules {
            if let (Some(key), Some(name)) = (&rule.subtype, &rule.subtype_name)
                && self
                    .rule_for(variety, Some(key))
                    .is_some_and(|r| std::ptr::eq(r, rule))
                && !found.iter().any(|(k, _)| k == key)
            {
                found.push((key.as_str(), name.as_str()));
            }
        }
        found
    }

    /// The schemes (key, Chinese name) a request may pick for an inspection type under a rule,
    /// e.g. `[("routine", "常规监检"), ("full_process", "全过程监检")]` for a boiler's 安装监检.
    pub fn schemes_for<'s>(
        &'s self,
        rule: &'s FeeRule,
        inspection_type: InspectionType,
    ) -> Vec<(&'s str, &'s str)> {
        self.methods_for(rule, inspection_type)
            .iter()
            .filter_map(|m| Some((m.scheme.as_deref()?, m.scheme_name.as_deref()?)))
            .collect()
    }

    /// The methods that price an inspection type under a rule: the rule's own, else the
    /// tariff's default; empty when not priced.
    pub fn methods_for<'s>(
        &'s self,
        rule: &'s FeeRule,
        inspection_type: InspectionType,
    ) -> &'s [Method] {
        rule.inspections
            .get(&inspection_type)
            .or_else(|| self.inspections.get(&inspection_type))
            .map_or(&[], Vec::as_slice)
    }
}

impl TariffBook {
    /// Reads and validates a book. Shape errors (bad JSON, unknown fields, unknown catalogue
    /// codes) stop at the first, with its line and column; the checks after that report every
    /// problem: the schema version, each tariff ([`Tariff::validate`]), duplicate ids, and
    /// overlapping dates for one region.
    pub fn from_json(json: &str) -> Result<TariffBook, BookErrors> {
        let wire: BookWire = serde_json::from_str(json).map_err(|e| {
            BookErrors(vec![BookProblem {
                path: String::new(),
                code: "invalid_tariff_json",
                message: format!("收费标准文件格式错误：{e}"),
            }])
        })?;
        let book = TariffBook {
            schema_version: wire.schema_version,
            tariffs: wire.tariffs,
        };
        book.validate()?;
        Ok(book)
    }

    /// Builds a book from tariffs made in code, with the same checks as [`from_json`](Self::from_json).
    pub fn new(tariffs: Vec<Tariff>) -> Result<TariffBook, BookErrors> {
        let book = TariffBook {
            schema_version: SCHEMA_VERSION,
            tariffs,
        };
        book.validate()?;
        Ok(book)
    }

    fn validate(&self) -> Result<(), BookErrors> {
        let mut p = Problems(Vec::new());
        if self.schema_version != SCHEMA_VERSION {
            p.push(
                "schema_version",
                "unsupported_schema_version",
                format!(
                    "不支持的收费标准文件版本 {}（应为 {SCHEMA_VERSION}）",
                    self.schema_version
                ),
            );
        }
        if self.tariffs.is_empty() {
            p.push("tariffs", "empty_book", "收费标准文件中没有收费标准");
        }
        let mut ids = BTreeSet::new();
        for (i, tariff) in self.tariffs.iter().enumerate() {
            let path = format!("tariffs[{i}]");
            tariff.check(&mut p, &path);
            if !ids.insert(tariff.id.as_str()) {
                p.push(
                    &path,
                    "duplicate_tariff_id",
                    format!("收费标准编号重复：{}", tariff.id),
                );
            }
            for (j, other) in self.tariffs.iter().enumerate().take(i) {
                if other.region == tariff.region && overlaps(other, tariff) {
                    p.push(
                        &path,
                        "overlapping_tariffs",
                        format!(
                            "与 tariffs[{j}]（{}）在地区 {} 的有效期重叠",
                            other.id, tariff.region
                        ),
                    );
                }
            }
        }
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(BookErrors(p.0))
        }
    }

    /// The book shipped with the code (`data/tariffs/zhejiang.json`), parsed once. The server
    /// loads the same file from disk by default so the institute can replace it; the browser
    /// and the tests use this copy.
    pub fn bundled() -> Result<&'static TariffBook, &'static BookErrors> {
        static BUNDLED: OnceLock<Result<TariffBook, BookErrors>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| TariffBook::from_json(BUNDLED_JSON))
            .as_ref()
    }

    /// The text of the bundled file.
    pub fn bundled_json() -> &'static str {
        BUNDLED_JSON
    }

    /// Every tariff, in file order.
    pub fn tariffs(&self) -> &[Tariff] {
        &self.tariffs
    }

    /// The tariff with this id.
    pub fn get(&self, id: &str) -> Option<&Tariff> {
        self.tariffs.iter().find(|t| t.id == id)
    }

    /// The tariff in force for `region` on `date`: one for the region itself, else for its city
    /// (`330502` → `330500`), else for its province (`330000`). `None` when nothing is in force.
    pub fn select(&self, region: &str, date: Date) -> Option<&Tariff> {
        let region = region.trim();
        let mut candidates = vec![region.to_owned()];
        if is_region_code(region) {
            for prefix in [4, 2] {
                let wider = format!("{:0<6}", &region[..prefix]);
                if !candidates.contains(&wider) {
                    candidates.push(wider);
                }
            }
        }
        candidates.iter().find_map(|code| {
            self.tariffs
                .iter()
                .find(|t| &t.region == code && t.is_in_force(date))
        })
    }
}

fn overlaps(a: &Tariff, b: &Tariff) -> bool {
    let a_ends_after_b_starts = a.effective_to.is_none_or(|to| to >= b.effective_from);
    let b_ends_after_a_starts = b.effective_to.is_none_or(|to| to >= a.effective_from);
    a_ends_after_b_starts && b_ends_after_a_starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn minimal_tariff(id: &str, region: &str) -> Value {
        json!({
            "id": id, "name": "测试标准", "region": region,
            "effective_from": "2020-01-01", "effective_to": null,
            "reference": true, "label": "参考值", "source": "测试",
            "inspections": { "periodic": [{ "method": "periodic" }] },
            "rules": [{
                "name": "电梯", "applies_to": ["3000"],
                "base": { "name": "定期检验费", "bands": [{ "amount": "380" }] }
            }]
        })
    }

    fn book(tariffs: Vec<Value>) -> Result<TariffBook, BookErrors> {
        TariffBook::from_json(&json!({ "schema_version": 1, "tariffs": tariffs }).to_string())
    }

    fn codes(errors: &BookErrors) -> Vec<&'static str> {
        errors.0.iter().map(|p| p.code).collect()
    }

    #[test]
    fn the_bundled_book_is_valid() {
        let book = TariffBook::bundled().unwrap();
        assert!(!book.tariffs().is_empty());
        let tariff = book.select("330502", date!(2026 - 01 - 15)).unwrap();
        assert_eq!(tariff.region, "330000");
        assert!(tariff.reference);
        assert_eq!(tariff.note(), DEFAULT_NOTE);
        // What we write reads back to the same book.
        let again = TariffBook::from_json(&serde_json::to_string(book).unwrap()).unwrap();
        assert_eq!(&again, book);
    }

    #[test]
    fn every_catalogue_entry_has_a_rule() {
        let book = TariffBook::bundled().unwrap();
        for tariff in book.tariffs() {
            for entry in catalogue::entries() {
                let code = CatalogueCode::parse(entry.code).unwrap();
                let rule = tariff.rule_for(code, None);
                assert!(rule.is_some(), "{}: no rule for {}", tariff.id, entry.code);
                assert!(
                    rule.unwrap().source.is_some() || !tariff.source.is_empty(),
                    "{}",
                    entry.code
                );
            }
            for category in EquipmentCategory::all() {
                let code = CatalogueCode::parse(category.code()).unwrap();
                assert!(tariff.rule_for(code, None).is_some(), "{category:?}");
            }
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let tariff = &TariffBook::bundled().unwrap().tariffs()[0];
        let code = |c: &str| CatalogueCode::parse(c).unwrap();
        let elevator = tariff.rule_for(code("3110"), None).unwrap();
        let dumbwaiter = tariff.rule_for(code("3430"), None).unwrap();
        assert_ne!(elevator, dumbwaiter);
        assert_eq!(tariff.rule_for(code("3410"), None), Some(elevator));
        // 安全阀 sits under 安全附件, not under 压力管道元件.
        let valve = tariff.rule_for(code("7310"), None).unwrap();
        assert_eq!(tariff.rule_for(code("F220"), None), Some(valve));
        assert_ne!(tariff.rule_for(code("7300"), None), Some(valve));
        // Subtypes are chosen by name only.
        let small = tariff.rule_for(code("1100"), Some("small_steam")).unwrap();
        assert_eq!(small.subtype_name.as_deref(), Some("小型蒸汽锅炉"));
        assert_eq!(tariff.rule_for(code("3110"), Some("small_steam")), None);
        assert_eq!(
            tariff.subtypes_for(code("1100")),
            [("small_steam", "小型蒸汽锅炉")]
        );
        assert!(tariff.subtypes_for(code("1200")).is_empty());
        assert!(tariff.subtypes_for(code("3110")).is_empty());
        let boiler = tariff.rule_for(code("1100"), None).unwrap();
        assert_eq!(
            tariff.schemes_for(boiler, InspectionType::Installation),
            [("routine", "常规监检"), ("full_process", "全过程监检")]
        );
        assert!(
            tariff
                .schemes_for(boiler, InspectionType::Periodic)
                .is_empty()
        );
    }

    #[test]
    fn select_by_region_and_date() {
        let mut city = minimal_tariff("huzhou-2024", "330500");
        city["effective_from"] = json!("2024-01-01");
        city["effective_to"] = json!("2024-12-31");
        let mut old_city = minimal_tariff("huzhou-2020", "330500");
        old_city["effective_to"] = json!("2023-12-31");
        let province = minimal_tariff("zhejiang", "330000");
        let book = book(vec![city, old_city, province]).unwrap();
        let id = |region: &str, date: Date| book.select(region, date).map(|t| t.id.as_str());
        assert_eq!(id("330502", date!(2024 - 06 - 01)), Some("huzhou-2024"));
        assert_eq!(id("330500", date!(2024 - 01 - 01)), Some("huzhou-2024"));
        assert_eq!(id("330500", date!(2024 - 12 - 31)), Some("huzhou-2024"));
        assert_eq!(id("330590", date!(2023 - 12 - 31)), Some("huzhou-2020"));
        assert_eq!(id("330502", date!(2025 - 01 - 01)), Some("zhejiang"));
        assert_eq!(id("330100", date!(2024 - 06 - 01)), Some("zhejiang"));
        assert_eq!(id("320500", date!(2024 - 06 - 01)), None);
        assert_eq!(id("330502", date!(2019 - 12 - 31)), None);
        assert_eq!(id("abc", date!(2024 - 06 - 01)), None);
        assert_eq!(book.get("zhejiang").unwrap().region, "330000");
    }

    #[test]
    fn overlapping_dates_for_one_region_are_refused() {
        let a = minimal_tariff("a", "330500");
        let mut b = minimal_tariff("b", "330500");
        b["effective_from"] = json!("2022-01-01");
        let err = book(vec![a.clone(), b]).unwrap_err();
        assert_eq!(codes(&err), ["overlapping_tariffs"]);
        assert!(err.to_string().contains("tariffs[1]"), "{err}");
        // Another region may overlap, and so may consecutive ranges.
        let c = minimal_tariff("c", "330000");
        assert!(book(vec![a.clone(), c]).is_ok());
        let mut first = minimal_tariff("first", "330500");
        first["effective_to"] = json!("2023-06-30");
        let mut second = minimal_tariff("second", "330500");
        second["effective_from"] = json!("2023-07-01");
        assert!(book(vec![first, second]).is_ok());
        let dup = book(vec![a.clone(), a]).unwrap_err();
        assert!(codes(&dup).contains(&"duplicate_tariff_id"));
    }

    #[test]
    fn bad_books_report_every_problem_with_its_path() {
        let mut t = minimal_tariff("", "3305");
        t["effective_to"] = json!("2019-01-01");
        t["rules"] = json!([
            {
                "name": "锅炉", "applies_to": ["1000"],
                "base": {
                    "name": "定期检验", "measure": "evaporation_t_h",
                    "bands": [
                        { "up_to": "2", "amount": "250" },
                        { "up_to": "0.5", "amount": "-160" },
                        { "up_to": null, "rate": "60" },
                        { "up_to": "200", "amount": "1" }
                    ]
                },
                "surcharges": [{ "name": "x", "measure": "floors", "over": "6", "step": "0" }],
                "multipliers": [{ "name": "y", "factor": "0.5" }],
                "inspections": { "installation": [{ "method": "percent", "of": "ex_works_price" }] }
            },
            {
                "name": "锅炉二", "applies_to": ["1000"],
                "base": { "name": "b", "bands": [{ "amount": "1" }, { "amount": "2" }] }
            }
        ]);
        let err = book(vec![t]).unwrap_err();
        let got = codes(&err);
        for expected in [
            "empty_field",
            "invalid_region",
            "invalid_effective_range",
            "bands_not_ascending",
            "negative_amount",
            "measure_not_for_category",
            "invalid_step",
            "invalid_surcharge",
            "invalid_factor",
            "multiplier_without_condition",
            "missing_field",
            "bands_without_measure",
            "duplicate_rule",
        ] {
            assert!(got.contains(&expected), "{expected} not in {got:?}");
        }
        let text = err.to_string();
        assert!(text.contains("tariffs[0].rules[0].base.bands[1]"), "{text}");
        assert!(text.contains("tariffs[0].rules[0].base.bands[2]"), "{text}");
    }

    #[test]
    fn shape_errors_name_the_line() {
        let err = TariffBook::from_json("{ \"schema_version\": 1, \"tarifs\": [] }").unwrap_err();
        assert_eq!(codes(&err), ["invalid_tariff_json"]);
        assert!(err.to_string().contains("tarifs"), "{err}");
        let unknown_code = json!({ "schema_version": 1, "tariffs": [{
            "id": "x", "name": "x", "region": "330000", "effective_from": "2020-01-01",
            "reference": true, "label": "参考值", "source": "x",
            "rules": [{ "name": "x", "applies_to": ["9999"] }]
        }]});
        let err = TariffBook::from_json(&unknown_code.to_string()).unwrap_err();
        assert!(err.to_string().contains("9999"), "{err}");
        let version = json!({ "schema_version": 2, "tariffs": [minimal_tariff("a", "330000")] });
        let err = TariffBook::from_json(&version.to_string()).unwrap_err();
        assert_eq!(codes(&err), ["unsupported_schema_version"]);
        assert_eq!(
            codes(&TariffBook::new(Vec::new()).unwrap_err()),
            ["empty_book"]
        );
    }

    #[test]
    fn measures_and_kinds_match_serde() {
        for measure in Measure::all() {
            let json = serde_json::to_string(measure).unwrap();
            assert_eq!(json, format!("\"{}\"", measure.as_str()));
            assert_eq!(measure.as_str().parse::<Measure>().unwrap(), *measure);
            assert!(!measure.label_zh().is_empty());
            assert!(!measure.categories().is_empty());
        }
        for kind in PriceKind::all() {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        for kind in MethodKind::all() {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(Measure::Dn.show(Decimal::from(100)), "DN100");
        assert_eq!(Measure::RideClass.show(Decimal::TWO), "B级");
        assert_eq!(
            Measure::EvaporationTH.show("4.00".parse().unwrap()),
            "4 t/h"
        );
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000i64));
    }
}
