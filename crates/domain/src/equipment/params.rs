//! 设备参数: the technical parameters of a unit of equipment, typed per category.
//!
//! The register stores the parameters as one JSON object on the equipment row. Which keys are
//! allowed depends on the category of the variety (品种): an elevator has 层站数, 额定速度,
//! 额定载重量; a boiler 额定蒸发量 and 额定工作压力; and so on. [`EquipmentParams::parse`] reads
//! the object for a variety, rejects keys that do not belong (`unknown_parameter`), checks every
//! value and its range, and reports **all** problems at once as [`FieldProblem`]s, each naming its
//! key, so a form or an import can mark every bad cell.
//!
//! Conventions of the JSON object:
//! - Keys are snake_case and carry the unit: `rated_speed_m_s`, `volume_m3`, `dn` (mm).
//! - Measured values are [`Decimal`]s and are read from a JSON number (`1.75`) or a string
//!   (`"1.75"`); [`EquipmentParams::to_json`] writes them as strings, exactly as entered.
//! - Counts are integers (a number, or a string of digits).
//! - `null` is the same as a missing key; every parameter is optional, because real registers
//!   often lack them, but a value that is present must be valid.
//! - Choices use their wire names (`"electric"`, `"hot_water"`); grades and classes that are
//!   written in capitals on paper keep them (`"GC1"`, ride class `"A"`), read case-insensitively.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalogue::EquipmentCategory;
use crate::error::ParseError;

// ---------------------------------------------------------------------------------------------
// Problems, lines, field descriptions
// ---------------------------------------------------------------------------------------------

/// 参数问题: why one parameter (or the whole object) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The JSON key, e.g. `floors`; empty when the problem concerns the whole object.
    pub field: Cow<'static, str>,
    /// A stable snake_case code: `unknown_parameter`, `invalid_number`, `invalid_integer`,
    /// `invalid_boolean`, `invalid_choice`, `out_of_range`, `invalid_parameters` (not an object)
    /// or `unknown_variety`.
    pub code: &'static str,
    /// The message for people, in Chinese.
    pub message: String,
}

impl FieldProblem {
    fn new(field: impl Into<Cow<'static, str>>, code: &'static str, message: String) -> Self {
        Self {
            field: field.into(),
            code,
            message,
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// 参数行: one parameter ready for display, e.g. 额定速度 1.75 m/s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamLine {
    /// The JSON key, e.g. `rated_speed_m_s`.
    pub key: &'static str,
    /// The Chinese label, e.g. `额定速度`.
    pub label: &'static str,
    /// The value as text, e.g. `1.75`, `有机房`, `第二类`.
    pub value: String,
    /// The unit, e.g. `m/s`; empty for yes/no and choices.
    pub unit: &'static str,
}

/// 参数类型: what kind of value a parameter holds (for forms and import templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A measured value (decimal), from a number or a string.
    Decimal,
    /// A whole number.
    Integer,
    /// Yes or no.
    Boolean,
    /// One of a fixed list of wire names.
    Choice,
}

/// 参数定义: the key, Chinese label, unit and kind of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ParamField {
    /// The JSON key.
    pub key: &'static str,
    /// The Chinese label (also the column header of the import template).
    pub label: &'static str,
    /// The unit, empty when there is none.
    pub unit: &'static str,
    /// What the value is.
    pub kind: ParamKind,
    /// For [`ParamKind::Choice`]: the accepted wire names with their Chinese labels.
    pub choices: &'static [(&'static str, &'static str)],
}

const fn field(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    kind: ParamKind,
) -> ParamField {
    ParamField {
        key,
        label,
        unit,
        kind,
        choices: &[],
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    choices: &'static [(&'static str, &'static str)],
) -> ParamField {
    ParamField {
        key,
        label,
        unit: "",
        kind: ParamKind::Choice,
        choices,
    }
}

/// Collects range problems for one struct.
struct Checks<'f> {
    fields: &'f [ParamField],
    problems: Vec<FieldProblem>,
}

impl<'f> Checks<'f> {
    fn new(fields: &'f [ParamField]) -> Self {
        Self {
            fields,
            problems: Vec::new(),
        }
    }

    fn label(&self, key: &'static str) -> &'static str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or(key, |f| f.label)
    }

    /// Records `out_of_range` for `key` unless `ok`; `range` reads like `0.1～20 m/s`.
    fn range(&mut self, key: &'static str, ok: bool, range: &str) {
        if !ok {
            let label = self.label(key);
            self.problems.push(FieldProblem::new(
                key,
                "out_of_range",
                format!("{label}应在 {range} 范围内"),
            ));
        }
    }

    fn decimal(&mut self, key: &'static str, value: Option<Decimal>, bounds: Bounds, range: &str) {
        if let Some(value) = value {
            self.range(key, bounds.contains(value), range);
        }
    }

    fn integer(&mut self, key: &'static str, value: Option<i64>, min: i64, max: i64, unit: &str) {
        if let Some(value) = value {
            let range = format!("{min}～{max} {unit}");
            self.range(key, (min..=max).contains(&value), range.trim_end());
        }
    }

    fn finish(self) -> Result<(), Vec<FieldProblem>> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

/// A decimal range: `min` inclusive unless `min_exclusive`, `max` inclusive.
#[derive(Clone, Copy)]
struct Bounds {
    min: Decimal,
    min_exclusive: bool,
    max: Decimal,
}

impl Bounds {
    /// `(0, max]`: strictly positive, at most `max`.
    const fn positive(max: i64) -> Self {
        Self {
            min: Decimal::ZERO,
            min_exclusive: true,
            max: Decimal::from_parts(max as u32, 0, 0, false, 0),
        }
    }

    /// `[min, max]` with `min` and `max` given as (mantissa, scale).
    const fn closed(min: (i64, u32), max: (i64, u32)) -> Self {
        Self {
            min: decimal(min.0, min.1),
            min_exclusive: false,
            max: decimal(max.0, max.1),
        }
    }

    fn contains(self, value: Decimal) -> bool {
        let above = if self.min_exclusive {
            value > self.min
        } else {
            value >= self.min
        };
        above && value <= self.max
    }
}

/// A small decimal constant: `mantissa × 10^−scale` (the mantissa fits in 32 bits).
const fn decimal(mantissa: i64, scale: u32) -> Decimal {
    let negative = mantissa < 0;
    let magnitude = mantissa.unsigned_abs() as u32;
    Decimal::from_parts(magnitude, 0, 0, negative, scale)
}

fn push_decimal(
    lines: &mut Vec<ParamLine>,
    fields: &[ParamField],
    key: &'static str,
    value: Option<Decimal>,
) {
    if let Some(value) = value {
        push_text(lines, fields, key, value.to_string());
    }
}

fn push_integer(
    lines: &mut Vec<ParamLine>,
    fields: &[ParamField],
    key: &'static str,
    value: Option<impl fmt::Display>,
) {
    if let Some(value) = value {
        push_text(lines, fields, key, value.to_string());
    }
}

fn push_text(lines: &mut Vec<ParamLine>, fields: &[ParamField], key: &'static str, value: String) {
    if let Some(f) = fields.iter().find(|f| f.key == key) {
        lines.push(ParamLine {
            key,
            label: f.label,
            value,
            unit: f.unit,
        });
    }
}

fn yes_no(value: bool) -> String {
    if value { "是" } else { "否" }.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Choices
// ---------------------------------------------------------------------------------------------

/// 安全状况等级: the safety grade an inspection gives a pressure vessel (1–5) or pipeline (1–4).
///
/// Grade 1 is best. On the wire it is the number `1`–`5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SafetyGrade(u8);

impl SafetyGrade {
    /// A grade from 1 to 5; anything else fails with `invalid_safety_grade`.
    pub fn new(grade: u8) -> Result<Self, ParseError> {
        if (1..=5).contains(&grade) {
            Ok(Self(grade))
        } else {
            Err(ParseError::new(
                "invalid_safety_grade",
                format!("安全状况等级应为 1～5 级：{grade}"),
            ))
        }
    }

    /// Parses `"1"`–`"5"` (whitespace allowed).
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let grade = value.trim().parse::<u8>().map_err(|_| {
            ParseError::new(
                "invalid_safety_grade",
                format!("安全状况等级应为 1～5 级：{}", value.trim()),
            )
        })?;
        Self::new(grade)
    }

    /// The grade as a number, 1–5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The Chinese name, e.g. `2级`.
    pub fn label_zh(self) -> String {
        format!("{}级", self.0)
    }
}

impl TryFrom<u8> for SafetyGrade {
    type Error = ParseError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<SafetyGrade> for u8 {
    fn from(value: SafetyGrade) -> u8 {
        value.0
    }
}

impl std::str::FromStr for SafetyGrade {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

impl fmt::Display for SafetyGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Declares a choice enum: serde names, `as_str`/`FromStr`/`Display`, `all()`, `label_zh()` and
/// the `(name, label)` table used by [`ParamField::choices`].
macro_rules! choice_enum {
    (
        $(#[$meta:meta])*
        $ty:ident, $table:ident, $code:literal, $msg:literal,
        { $($(#[$vmeta:meta])* $variant:ident => $name:literal, $label:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $ty {
            $($(#[$vmeta])* #[serde(rename = $name)] $variant,)+
        }

        crate::error::wire_enum_names!($ty, $code, $msg, { $($variant => $name),+ });

        impl $ty {
            /// Every value, in display order.
            pub fn all() -> &'static [$ty] {
                &[$($ty::$variant),+]
            }

            /// The Chinese name.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $($ty::$variant => $label,)+
                }
            }

            /// Every `(wire name, Chinese name)` pair, for a select box.
            pub fn choices() -> &'static [(&'static str, &'static str)] {
                $table
            }
        }

        const $table: &[(&str, &str)] = &[$(($name, $label)),+];
    };
}

choice_enum!(
    /// 锅炉介质: what a boiler heats.
    BoilerMedium, BOILER_MEDIUM, "unknown_boiler_medium", "未知的锅炉介质", {
    /// 蒸汽: a steam boiler (rated in t/h).
    Steam => "steam", "蒸汽",
    /// 热水: a hot-water boiler (rated in MW).
    HotWater => "hot_water", "热水",
    /// 有机热载体: an organic heat-carrier boiler (rated in MW).
    Organic => "organic", "有机热载体",
});

choice_enum!(
    /// 压力容器类别: the class of a fixed pressure vessel under TSG 21-2016.
    VesselClass, VESSEL_CLASS, "unknown_vessel_class", "未知的压力容器类别", {
    /// 第一类压力容器 (2170).
    I => "i", "第一类",
    /// 第二类压力容器 (2150).
    Ii => "ii", "第二类",
    /// 第三类压力容器 (2130).
    Iii => "iii", "第三类",
    /// 超高压容器 (2110).
    UltraHigh => "ultra_high", "超高压",
});

impl VesselClass {
    /// The class a fixed-vessel variety implies: `2110` → ultra-high, `2130` → III, `2150` → II,
    /// `2170` → I; `None` for other codes.
    pub fn from_variety(variety: &str) -> Option<VesselClass> {
        match variety.trim().to_ascii_uppercase().as_str() {
            "2110" => Some(VesselClass::UltraHigh),
            "2130" => Some(VesselClass::Iii),
            "2150" => Some(VesselClass::Ii),
            "2170" => Some(VesselClass::I),
            _ => None,
        }
    }
}

choice_enum!(
    /// 起重机类型: the type of a crane, derived from its catalogue class (41xx … 4Dxx).
    CraneKind, CRANE_KIND, "unknown_crane_kind", "未知的起重机类型", {
    /// 桥式起重机 (4100).
    Bridge => "bridge", "桥式起重机",
    /// 门式起重机 (4200).
    Gantry => "gantry", "门式起重机",
    /// 塔式起重机 (4300).
    Tower => "tower", "塔式起重机",
    /// 流动式起重机 (4400, except 铁路起重机).
    Mobile => "mobile", "流动式起重机",
    /// 铁路起重机 (4450): catalogued under 流动式, but inspected like 桥门式 (every 2 years).
    Railway => "railway", "铁路起重机",
    /// 门座式起重机 (4700).
    Portal => "portal", "门座式起重机",
    /// 升降机 (4800).
    Hoist => "hoist", "升降机",
    /// 缆索式起重机 (4900).
    Cable => "cable", "缆索式起重机",
    /// 桅杆式起重机 (4A00).
    Mast => "mast", "桅杆式起重机",
    /// 机械式停车设备 (4D00).
    Parking => "parking", "机械式停车设备",
    /// 类型未明: a bare `4` / `4000`, or a crane code of no known class.
    Other => "other", "其他起重机械",
});

/// The crane type of a variety, [`CraneKind::Other`] when the code does not say
/// (see [`CraneKind::from_variety`]).
pub fn crane_kind(variety: &str) -> CraneKind {
    CraneKind::from_variety(variety).unwrap_or(CraneKind::Other)
}

impl CraneKind {
    /// The kind of a crane variety or class by its first two characters (`4310` → tower), with
    /// `4450` → railway; `None` for a bare `4` / `4000` or a code that is not a crane.
    pub fn from_variety(variety: &str) -> Option<CraneKind> {
        let code = variety.trim().to_ascii_uppercase();
        if code.starts_with("445") {
            return Some(CraneKind::Railway);
        }
        match code.get(..2)? {
            "41" => Some(CraneKind::Bridge),
            "42" => Some(CraneKind::Gantry),
            "43" => Some(CraneKind::Tower),
            "44" => Some(CraneKind::Mobile),
            "47" => Some(CraneKind::Portal),
            "48" => Some(CraneKind::Hoist),
            "49" => Some(CraneKind::Cable),
            "4A" => Some(CraneKind::Mast),
            "4D" => Some(CraneKind::Parking),
            _ => None,
        }
    }
}

choice_enum!(
    /// 动力类型: how a field vehicle is driven.
    VehiclePower, VEHICLE_POWER, "unknown_vehicle_power", "未知的动力类型", {
    /// 电动.
    Electric => "electric", "电动",
    /// 内燃.
    Combustion => "combustion", "内燃",
});

choice_enum!(
    /// 游乐设施级别: the class of an amusement ride (TSG 71-2023). Written in capitals, `"A"`.
    RideClass, RIDE_CLASS, "unknown_ride_class", "未知的游乐设施级别", {
    /// A级.
    A => "A", "A级",
    /// B级.
    B => "B", "B级",
    /// C级.
    C => "C", "C级",
});

choice_enum!(
    /// 管道级别: the grade of a pressure pipeline (TSG D0001). Written as on paper, `"GC1"`.
    PipelineGrade, PIPELINE_GRADE, "unknown_pipeline_grade", "未知的管道级别", {
    /// GA1 长输管道.
    Ga1 => "GA1", "GA1级",
    /// GA2 长输管道.
    Ga2 => "GA2", "GA2级",
    /// GB1 燃气管道.
    Gb1 => "GB1", "GB1级",
    /// GB2 热力管道.
    Gb2 => "GB2", "GB2级",
    /// GC1 工业管道.
    Gc1 => "GC1", "GC1级",
    /// GC2 工业管道.
    Gc2 => "GC2", "GC2级",
    /// GC3 工业管道.
    Gc3 => "GC3", "GC3级",
    /// GD1 动力管道.
    Gd1 => "GD1", "GD1级",
    /// GD2 动力管道.
    Gd2 => "GD2", "GD2级",
});

// ---------------------------------------------------------------------------------------------
// Reading the JSON object
// ---------------------------------------------------------------------------------------------

/// Reads typed values out of a JSON object, collecting problems.
struct Reader<'a> {
    object: Option<&'a Map<String, Value>>,
    fields: &'static [ParamField],
    problems: Vec<FieldProblem>,
}

impl<'a> Reader<'a> {
    fn new(json: &'a Value, fields: &'static [ParamField]) -> Self {
        let mut problems = Vec::new();
        let object = match json {
            Value::Object(map) => Some(map),
            Value::Null => None,
            _ => {
                problems.push(FieldProblem::new(
                    "",
                    "invalid_parameters",
                    "设备参数应为对象（键值对）".to_owned(),
                ));
                None
            }
        };
        Self {
            object,
            fields,
            problems,
        }
    }

    fn label(&self, key: &'static str) -> &'static str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or(key, |f| f.label)
    }

    /// The value of `key`; `null` counts as missing.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.object?.get(key).filter(|v| !v.is_null())
    }

    fn problem(&mut self, key: &'static str, code: &'static str, message: String) {
        self.problems.push(FieldProblem::new(key, code, message));
    }

    fn decimal(&mut self, key: &'static str) -> Option<Decimal> {
        let value = self.get(key)?;
        let parsed = match value {
            Value::Number(n) => parse_decimal(&n.to_string()),
            Value::String(s) => parse_decimal(s),
            _ => None,
        };
        if parsed.is_none() {
            let label = self.label(key);
            self.problem(key, "invalid_number", format!("{label}应为数字"));
        }
        parsed
    }

    fn integer(&mut self, key: &'static str) -> Option<i64> {
        let value = self.get(key)?;
        let parsed = match value {
            Value::Number(n) => n.as_i64().or_else(|| {
                // 12.0 is a whole number too.
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            let label = self.label(key);
            self.problem(key, "invalid_integer", format!("{label}应为整数"));
        }
        parsed
    }

    /// An integer converted to `T`; a value outside `T` is `out_of_range`.
    fn count<T: TryFrom<i64>>(&mut self, key: &'static str, min: i64, max: i64) -> Option<T> {
        let value = self.integer(key)?;
        let converted = (min..=max)
            .contains(&value)
            .then(|| T::try_from(value).ok())
            .flatten();
        if converted.is_none() {
            let label = self.label(key);
            let unit = self
                .fields
                .iter()
                .find(|f| f.key == key)
                .map_or("", |f| f.unit);
            let range = format!("{min}～{max} {unit}");
            self.problem(
                key,
                "out_of_range",
                format!("{label}应在 {} 范围内", range.trim_end()),
            );
        }
        converted
    }

    fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let value = self.get(key)?;
        let parsed = match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim() {
                "true" | "是" | "有" => Some(true),
                "false" | "否" | "无" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            let label = self.label(key);
            self.problem(key, "invalid_boolean", format!("{label}应为是或否"));
        }
        parsed
    }

    fn choice<T: std::str::FromStr>(&mut self, key: &'static str, upper: bool) -> Option<T> {
        let value = self.get(key)?;
        let parsed = value.as_str().and_then(|s| {
            let s = s.trim();
            let s = if upper {
                s.to_ascii_uppercase()
            } else {
                s.to_ascii_lowercase()
            };
            s.parse::<T>().ok()
        });
        if parsed.is_none() {
            let label = self.label(key);
            let allowed: Vec<&str> = self
                .fields
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.choices.iter().map(|(name, _)| *name).collect())
                .unwrap_or_default();
            self.problem(
                key,
                "invalid_choice",
                format!("{label}的取值无效，可选：{}", allowed.join("、")),
            );
        }
        parsed
    }

    fn safety_grade(&mut self, key: &'static str) -> Option<SafetyGrade> {
        let grade = self.count::<u8>(key, 1, 5)?;
        SafetyGrade::new(grade).ok()
    }

    /// Ends reading: unknown keys become `unknown_parameter`; then `build` makes the struct, and
    /// its own `validate` adds the range problems.
    fn finish<T>(
        mut self,
        value: T,
        validate: impl FnOnce(&T) -> Result<(), Vec<FieldProblem>>,
    ) -> Result<T, Vec<FieldProblem>> {
        if let Some(object) = self.object {
            for key in object.keys() {
                if !self.fields.iter().any(|f| f.key == key) {
                    let known: Vec<&str> = self.fields.iter().map(|f| f.key).collect();
                    let hint = if known.is_empty() {
                        "该品种没有设备参数".to_owned()
                    } else {
                        format!("可用：{}", known.join("、"))
                    };
                    self.problems.push(FieldProblem::new(
                        key.clone(),
                        "unknown_parameter",
                        format!("未知的设备参数：{key}（{hint}）"),
                    ));
                }
            }
        }
        if let Err(problems) = validate(&value) {
            // A value that failed to read is absent, so it cannot be reported twice.
            self.problems.extend(problems);
        }
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }
}

/// A plain decimal or scientific notation (`1e3`, which JSON numbers may print as).
fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

// ---------------------------------------------------------------------------------------------
// The parameter structs
// ---------------------------------------------------------------------------------------------

/// 电梯参数 (3100 曳引与强制驱动, 3200 液压, 3400 其它类型电梯).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ElevatorParams {
    /// 层站数 `floors`: number of landings, 2–200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floors: Option<u16>,
    /// 额定速度 `rated_speed_m_s`, m/s, 0.1–20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_speed_m_s: Option<Decimal>,
    /// 额定载重量 `rated_load_kg`, kg, 50–50 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_load_kg: Option<u32>,
    /// 有/无机房 `machine_room`: `true` with a machine room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_room: Option<bool>,
}

const ELEVATOR_FIELDS: &[ParamField] = &[
    field("floors", "层站数", "层/站", ParamKind::Integer),
    field("rated_speed_m_s", "额定速度", "m/s", ParamKind::Decimal),
    field("rated_load_kg", "额定载重量", "kg", ParamKind::Integer),
    field("machine_room", "机房", "", ParamKind::Boolean),
];

impl ElevatorParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = ELEVATOR_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.integer("floors", self.floors.map(i64::from), 2, 200, "层/站");
        c.decimal(
            "rated_speed_m_s",
            self.rated_speed_m_s,
            Bounds::closed((1, 1), (20, 0)),
            "0.1～20 m/s",
        );
        c.integer(
            "rated_load_kg",
            self.rated_load_kg.map(i64::from),
            50,
            50_000,
            "kg",
        );
        c.finish()
    }

    /// The parameters for display, in the order of [`FIELDS`](Self::FIELDS).
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_integer(&mut lines, f, "floors", self.floors);
        push_decimal(&mut lines, f, "rated_speed_m_s", self.rated_speed_m_s);
        push_integer(&mut lines, f, "rated_load_kg", self.rated_load_kg);
        if let Some(room) = self.machine_room {
            let text = if room { "有机房" } else { "无机房" };
            push_text(&mut lines, f, "machine_room", text.to_owned());
        }
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            floors: r.count("floors", 2, 200),
            rated_speed_m_s: r.decimal("rated_speed_m_s"),
            rated_load_kg: r.count("rated_load_kg", 50, 50_000),
            machine_room: r.boolean("machine_room"),
        };
        r.finish(value, Self::validate)
    }
}

/// 自动扶梯与自动人行道参数 (3300: 3310 自动扶梯, 3320 自动人行道).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EscalatorParams {
    /// 提升高度 `rise_m`, m, above 0 and at most 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rise_m: Option<Decimal>,
    /// 使用区段长度 `length_m`, m, above 0 and at most 1000 (moving walks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<Decimal>,
    /// 名义宽度 `width_mm`, mm, 300–2000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width_mm: Option<u16>,
    /// 倾斜角 `incline_deg`, degrees, 0–35.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incline_deg: Option<Decimal>,
    /// 名义速度 `rated_speed_m_s`, m/s, 0.1–0.9.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_speed_m_s: Option<Decimal>,
}

const ESCALATOR_FIELDS: &[ParamField] = &[
    field("rise_m", "提升高度", "m", ParamKind::Decimal),
    field("length_m", "使用区段长度", "m", ParamKind::Decimal),
    field("width_mm", "名义宽度", "mm", ParamKind::Integer),
    field("incline_deg", "倾斜角", "°", ParamKind::Decimal),
    field("rated_speed_m_s", "名义速度", "m/s", ParamKind::Decimal),
];

impl EscalatorParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = ESCALATOR_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "rise_m",
            self.rise_m,
            Bounds::positive(100),
            "0～100 m（大于 0）",
        );
        c.decimal(
            "length_m",
            self.length_m,
            Bounds::positive(1000),
            "0～1000 m（大于 0）",
        );
        c.integer("width_mm", self.width_mm.map(i64::from), 300, 2000, "mm");
        c.decimal(
            "incline_deg",
            self.incline_deg,
            Bounds::closed((0, 0), (35, 0)),
            "0～35°",
        );
        c.decimal(
            "rated_speed_m_s",
            self.rated_speed_m_s,
            Bounds::closed((1, 1), (9, 1)),
            "0.1～0.9 m/s",
        );
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_decimal(&mut lines, f, "rise_m", self.rise_m);
        push_decimal(&mut lines, f, "length_m", self.length_m);
        push_integer(&mut lines, f, "width_mm", self.width_mm);
        push_decimal(&mut lines, f, "incline_deg", self.incline_deg);
        push_decimal(&mut lines, f, "rated_speed_m_s", self.rated_speed_m_s);
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            rise_m: r.decimal("rise_m"),
            length_m: r.decimal("length_m"),
            width_mm: r.count("width_mm", 300, 2000),
            incline_deg: r.decimal("incline_deg"),
            rated_speed_m_s: r.decimal("rated_speed_m_s"),
        };
        r.finish(value, Self::validate)
    }
}

/// 锅炉参数 (1000).
///
/// Steam boilers are rated by 额定蒸发量 (t/h), hot-water and organic-heat-carrier boilers by
/// 额定热功率 (MW); the fee tariff converts **0.7 MW = 1 t/h** ([`equivalent_t_h`]).
///
/// [`equivalent_t_h`]: BoilerParams::equivalent_t_h
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoilerParams {
    /// 额定蒸发量 `rated_evaporation_t_h`, t/h, above 0 and at most 5000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_evaporation_t_h: Option<Decimal>,
    /// 额定热功率 `rated_power_mw`, MW, above 0 and at most 5000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_power_mw: Option<Decimal>,
    /// 额定工作压力 `rated_pressure_mpa`, MPa, above 0 and at most 40.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_pressure_mpa: Option<Decimal>,
    /// 介质 `medium`: steam, hot water or organic heat carrier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<BoilerMedium>,
}

const BOILER_FIELDS: &[ParamField] = &[
    field(
        "rated_evaporation_t_h",
        "额定蒸发量",
        "t/h",
        ParamKind::Decimal,
    ),
    field("rated_power_mw", "额定热功率", "MW", ParamKind::Decimal),
    field(
        "rated_pressure_mpa",
        "额定工作压力",
        "MPa",
        ParamKind::Decimal,
    ),
    choice("medium", "介质", BOILER_MEDIUM),
];

impl BoilerParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = BOILER_FIELDS;

    /// 折算蒸发量: the rated evaporation in t/h, or else the rated power converted at
    /// 0.7 MW = 1 t/h and rounded to two decimals (banker's rounding); `None` with neither.
    pub fn equivalent_t_h(&self) -> Option<Decimal> {
        if let Some(evaporation) = self.rated_evaporation_t_h {
            return Some(evaporation);
        }
        let power = self.rated_power_mw?;
        power
            .checked_div(decimal(7, 1))
            .map(|t| t.round_dp(2).normalize())
    }

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "rated_evaporation_t_h",
            self.rated_evaporation_t_h,
            Bounds::positive(5000),
            "0～5000 t/h（大于 0）",
        );
        c.decimal(
            "rated_power_mw",
            self.rated_power_mw,
            Bounds::positive(5000),
            "0～5000 MW（大于 0）",
        );
        c.decimal(
            "rated_pressure_mpa",
            self.rated_pressure_mpa,
            Bounds::positive(40),
            "0～40 MPa（大于 0）",
        );
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_decimal(
            &mut lines,
            f,
            "rated_evaporation_t_h",
            self.rated_evaporation_t_h,
        );
        push_decimal(&mut lines, f, "rated_power_mw", self.rated_power_mw);
        push_decimal(&mut lines, f, "rated_pressure_mpa", self.rated_pressure_mpa);
        if let Some(medium) = self.medium {
            push_text(&mut lines, f, "medium", medium.label_zh().to_owned());
        }
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            rated_evaporation_t_h: r.decimal("rated_evaporation_t_h"),
            rated_power_mw: r.decimal("rated_power_mw"),
            rated_pressure_mpa: r.decimal("rated_pressure_mpa"),
            medium: r.choice("medium", false),
        };
        r.finish(value, Self::validate)
    }
}

/// 压力容器参数 (2000: fixed and mobile vessels, gas cylinders, oxygen chambers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VesselParams {
    /// 容积 `volume_m3`, m³, above 0 and at most 1 000 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_m3: Option<Decimal>,
    /// 设计压力 `design_pressure_mpa`, MPa, −0.1 (vacuum) to 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design_pressure_mpa: Option<Decimal>,
    /// 类别 `vessel_class`: I, II, III or ultra-high pressure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vessel_class: Option<VesselClass>,
    /// 安全状况等级 `safety_grade`, 1–5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_grade: Option<SafetyGrade>,
}

const VESSEL_FIELDS: &[ParamField] = &[
    field("volume_m3", "容积", "m³", ParamKind::Decimal),
    field("design_pressure_mpa", "设计压力", "MPa", ParamKind::Decimal),
    choice("vessel_class", "类别", VESSEL_CLASS),
    field("safety_grade", "安全状况等级", "级", ParamKind::Integer),
];

impl VesselParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = VESSEL_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "volume_m3",
            self.volume_m3,
            Bounds::positive(1_000_000),
            "0～1000000 m³（大于 0）",
        );
        c.decimal(
            "design_pressure_mpa",
            self.design_pressure_mpa,
            Bounds::closed((-1, 1), (1000, 0)),
            "-0.1～1000 MPa",
        );
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_decimal(&mut lines, f, "volume_m3", self.volume_m3);
        push_decimal(
            &mut lines,
            f,
            "design_pressure_mpa",
            self.design_pressure_mpa,
        );
        if let Some(class) = self.vessel_class {
            push_text(&mut lines, f, "vessel_class", class.label_zh().to_owned());
        }
        push_integer(&mut lines, f, "safety_grade", self.safety_grade);
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            volume_m3: r.decimal("volume_m3"),
            design_pressure_mpa: r.decimal("design_pressure_mpa"),
            vessel_class: r.choice("vessel_class", false),
            safety_grade: r.safety_grade("safety_grade"),
        };
        r.finish(value, Self::validate)
    }
}

/// 起重机械参数 (4000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CraneParams {
    /// 起重机类型: derived from the variety by [`EquipmentParams::parse`], never stored.
    #[serde(skip)]
    pub kind: Option<CraneKind>,
    /// 额定起重量 `rated_capacity_t`, t, above 0 and at most 20 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_capacity_t: Option<Decimal>,
    /// 跨度 `span_m`, m, above 0 and at most 500.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_m: Option<Decimal>,
    /// 起升高度 `lifting_height_m`, m, above 0 and at most 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifting_height_m: Option<Decimal>,
    /// 泊位数 `parking_spaces` (机械式停车设备), 1–10 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parking_spaces: Option<u16>,
    /// 吊运熔融金属 `lifts_molten_metal`: lifts molten or hot metal (yearly inspection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifts_molten_metal: Option<bool>,
}

const CRANE_FIELDS: &[ParamField] = &[
    field("rated_capacity_t", "额定起重量", "t", ParamKind::Decimal),
    field("span_m", "跨度", "m", ParamKind::Decimal),
    field("lifting_height_m", "起升高度", "m", ParamKind::Decimal),
    field("parking_spaces", "泊位数", "个", ParamKind::Integer),
    field("lifts_molten_metal", "吊运熔融金属", "", ParamKind::Boolean),
];

impl CraneParams {
    /// The parameters, their labels and units (the derived type is not one of them).
    pub const FIELDS: &'static [ParamField] = CRANE_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "rated_capacity_t",
            self.rated_capacity_t,
            Bounds::positive(20_000),
            "0～20000 t（大于 0）",
        );
        c.decimal(
            "span_m",
            self.span_m,
            Bounds::positive(500),
            "0～500 m（大于 0）",
        );
        c.decimal(
            "lifting_height_m",
            self.lifting_height_m,
            Bounds::positive(1000),
            "0～1000 m（大于 0）",
        );
        c.integer(
            "parking_spaces",
            self.parking_spaces.map(i64::from),
            1,
            10_000,
            "个",
        );
        c.finish()
    }

    /// The parameters for display; the derived type comes first as `类型`.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        if let Some(kind) = self.kind {
            lines.push(ParamLine {
                key: "kind",
                label: "类型",
                value: kind.label_zh().to_owned(),
                unit: "",
            });
        }
        push_decimal(&mut lines, f, "rated_capacity_t", self.rated_capacity_t);
        push_decimal(&mut lines, f, "span_m", self.span_m);
        push_decimal(&mut lines, f, "lifting_height_m", self.lifting_height_m);
        push_integer(&mut lines, f, "parking_spaces", self.parking_spaces);
        if let Some(molten) = self.lifts_molten_metal {
            push_text(&mut lines, f, "lifts_molten_metal", yes_no(molten));
        }
        lines
    }

    fn read(json: &Value, kind: Option<CraneKind>) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            kind,
            rated_capacity_t: r.decimal("rated_capacity_t"),
            span_m: r.decimal("span_m"),
            lifting_height_m: r.decimal("lifting_height_m"),
            parking_spaces: r.count("parking_spaces", 1, 10_000),
            lifts_molten_metal: r.boolean("lifts_molten_metal"),
        };
        r.finish(value, Self::validate)
    }
}

/// 场（厂）内专用机动车辆参数 (5000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VehicleParams {
    /// 额定起重量（载质量） `rated_capacity_kg`, kg, 1–100 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rated_capacity_kg: Option<u32>,
    /// 额定载客人数 `seats` (观光车辆), 1–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats: Option<u16>,
    /// 动力类型 `power`: electric or combustion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<VehiclePower>,
}

const VEHICLE_FIELDS: &[ParamField] = &[
    field(
        "rated_capacity_kg",
        "额定起重量(载质量)",
        "kg",
        ParamKind::Integer,
    ),
    field("seats", "额定载客人数", "人", ParamKind::Integer),
    choice("power", "动力类型", VEHICLE_POWER),
];

impl VehicleParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = VEHICLE_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.integer(
            "rated_capacity_kg",
            self.rated_capacity_kg.map(i64::from),
            1,
            100_000,
            "kg",
        );
        c.integer("seats", self.seats.map(i64::from), 1, 100, "人");
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_integer(&mut lines, f, "rated_capacity_kg", self.rated_capacity_kg);
        push_integer(&mut lines, f, "seats", self.seats);
        if let Some(power) = self.power {
            push_text(&mut lines, f, "power", power.label_zh().to_owned());
        }
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            rated_capacity_kg: r.count("rated_capacity_kg", 1, 100_000),
            seats: r.count("seats", 1, 100),
            power: r.choice("power", false),
        };
        r.finish(value, Self::validate)
    }
}

/// 大型游乐设施参数 (6000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RideParams {
    /// 级别 `class`: A, B or C.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<RideClass>,
    /// 整机进口 `imported`: imported as a whole (fees +50 %).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<bool>,
}

const RIDE_FIELDS: &[ParamField] = &[
    choice("class", "级别", RIDE_CLASS),
    field("imported", "整机进口", "", ParamKind::Boolean),
];

impl RideParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = RIDE_FIELDS;

    /// Nothing to range-check: both values are choices.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        Ok(())
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        if let Some(class) = self.class {
            push_text(&mut lines, f, "class", class.label_zh().to_owned());
        }
        if let Some(imported) = self.imported {
            push_text(&mut lines, f, "imported", yes_no(imported));
        }
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            class: r.choice("class", true),
            imported: r.boolean("imported"),
        };
        r.finish(value, Self::validate)
    }
}

/// 压力管道参数 (8000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PipelineParams {
    /// 管道长度 `length_m`, m, above 0 and at most 10 000 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<Decimal>,
    /// 公称直径 `dn`, DN in mm, 1–5000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dn: Option<u16>,
    /// 管道级别 `grade`: GA1 … GD2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<PipelineGrade>,
    /// 安全状况等级 `safety_grade`, 1–4 for pipelines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_grade: Option<SafetyGrade>,
}

const PIPELINE_FIELDS: &[ParamField] = &[
    field("length_m", "管道长度", "m", ParamKind::Decimal),
    field("dn", "公称直径", "mm", ParamKind::Integer),
    choice("grade", "管道级别", PIPELINE_GRADE),
    field("safety_grade", "安全状况等级", "级", ParamKind::Integer),
];

impl PipelineParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = PIPELINE_FIELDS;

    /// Checks the ranges of the values that are present (a pipeline's grade is at most 4).
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "length_m",
            self.length_m,
            Bounds::positive(10_000_000),
            "0～10000000 m（大于 0）",
        );
        c.integer("dn", self.dn.map(i64::from), 1, 5000, "mm");
        c.integer(
            "safety_grade",
            self.safety_grade.map(|g| i64::from(g.get())),
            1,
            4,
            "级",
        );
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_decimal(&mut lines, f, "length_m", self.length_m);
        push_integer(&mut lines, f, "dn", self.dn);
        if let Some(grade) = self.grade {
            push_text(&mut lines, f, "grade", grade.label_zh().to_owned());
        }
        push_integer(&mut lines, f, "safety_grade", self.safety_grade);
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            length_m: r.decimal("length_m"),
            dn: r.count("dn", 1, 5000),
            grade: r.choice("grade", true),
            safety_grade: r.safety_grade("safety_grade"),
        };
        r.finish(value, Self::validate)
    }
}

/// 客运索道参数 (9000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RopewayParams {
    /// 线路长度 `length_m`, m, above 0 and at most 100 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<Decimal>,
    /// 运行速度 `speed_m_s`, m/s, above 0 and at most 15.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_m_s: Option<Decimal>,
    /// 运载工具数量 `carriers`, 1–10 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carriers: Option<u16>,
}

const ROPEWAY_FIELDS: &[ParamField] = &[
    field("length_m", "线路长度", "m", ParamKind::Decimal),
    field("speed_m_s", "运行速度", "m/s", ParamKind::Decimal),
    field("carriers", "运载工具数量", "个", ParamKind::Integer),
];

impl RopewayParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = ROPEWAY_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "length_m",
            self.length_m,
            Bounds::positive(100_000),
            "0～100000 m（大于 0）",
        );
        c.decimal(
            "speed_m_s",
            self.speed_m_s,
            Bounds::positive(15),
            "0～15 m/s（大于 0）",
        );
        c.integer("carriers", self.carriers.map(i64::from), 1, 10_000, "个");
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let f = Self::FIELDS;
        let mut lines = Vec::new();
        push_decimal(&mut lines, f, "length_m", self.length_m);
        push_decimal(&mut lines, f, "speed_m_s", self.speed_m_s);
        push_integer(&mut lines, f, "carriers", self.carriers);
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            length_m: r.decimal("length_m"),
            speed_m_s: r.decimal("speed_m_s"),
            carriers: r.count("carriers", 1, 10_000),
        };
        r.finish(value, Self::validate)
    }
}

/// 常压容器参数 (R000, outside the catalogue).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AtmosphericVesselParams {
    /// 容积 `volume_m3`, m³, above 0 and at most 1 000 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_m3: Option<Decimal>,
}

const ATMOSPHERIC_FIELDS: &[ParamField] = &[field("volume_m3", "容积", "m³", ParamKind::Decimal)];

impl AtmosphericVesselParams {
    /// The parameters, their labels and units.
    pub const FIELDS: &'static [ParamField] = ATMOSPHERIC_FIELDS;

    /// Checks the ranges of the values that are present.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut c = Checks::new(Self::FIELDS);
        c.decimal(
            "volume_m3",
            self.volume_m3,
            Bounds::positive(1_000_000),
            "0～1000000 m³（大于 0）",
        );
        c.finish()
    }

    /// The parameters for display.
    pub fn labelled(&self) -> Vec<ParamLine> {
        let mut lines = Vec::new();
        push_decimal(&mut lines, Self::FIELDS, "volume_m3", self.volume_m3);
        lines
    }

    fn read(json: &Value) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(json, Self::FIELDS);
        let value = Self {
            volume_m3: r.decimal("volume_m3"),
        };
        r.finish(value, Self::validate)
    }
}

// ---------------------------------------------------------------------------------------------
// The enum over all categories
// ---------------------------------------------------------------------------------------------

/// 设备参数: the typed parameters of one unit of equipment, by the category of its variety.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EquipmentParams {
    /// 锅炉 (1000).
    Boiler(BoilerParams),
    /// 压力容器 (2000).
    PressureVessel(VesselParams),
    /// 电梯 (3100, 3200, 3400).
    Elevator(ElevatorParams),
    /// 自动扶梯与自动人行道 (3300).
    Escalator(EscalatorParams),
    /// 起重机械 (4000).
    Crane(CraneParams),
    /// 场（厂）内专用机动车辆 (5000).
    FieldVehicle(VehicleParams),
    /// 大型游乐设施 (6000).
    AmusementRide(RideParams),
    /// 压力管道 (8000).
    Pipeline(PipelineParams),
    /// 客运索道 (9000).
    Ropeway(RopewayParams),
    /// 常压容器 (R000).
    AtmosphericVessel(AtmosphericVesselParams),
    /// 压力管道元件 (7000) and 安全附件 (F000): no typed parameters; the object must be empty.
    Generic,
}

/// `true` for a variety (or prefix) of 3300 自动扶梯与自动人行道.
fn is_escalator(variety: &str) -> bool {
    variety.trim().starts_with("33")
}

impl EquipmentParams {
    /// Reads the parameter object of a unit of the given variety (a catalogue code such as
    /// `"3110"`, or a prefix such as `"3"`; case and surrounding spaces do not matter).
    ///
    /// The variant follows the category of the variety (3300 gives [`Escalator`](Self::Escalator),
    /// the rest of 3000 [`Elevator`](Self::Elevator)). `null` reads as an empty object. Every
    /// problem is reported: keys that do not belong (`unknown_parameter`), values of the wrong
    /// type, and values out of range; a variety of no known category gives `unknown_variety`.
    pub fn parse(variety: &str, json: &Value) -> Result<EquipmentParams, Vec<FieldProblem>> {
        let Some(category) = EquipmentCategory::from_code(variety.trim()) else {
            return Err(vec![FieldProblem::new(
                "",
                "unknown_variety",
                format!("无法识别的设备品种：{}", variety.trim()),
            )]);
        };
        use EquipmentCategory as C;
        Ok(match category {
            C::Boiler => Self::Boiler(BoilerParams::read(json)?),
            C::PressureVessel => Self::PressureVessel(VesselParams::read(json)?),
            C::Elevator if is_escalator(variety) => Self::Escalator(EscalatorParams::read(json)?),
            C::Elevator => Self::Elevator(ElevatorParams::read(json)?),
            C::Crane => Self::Crane(CraneParams::read(json, CraneKind::from_variety(variety))?),
            C::FieldVehicle => Self::FieldVehicle(VehicleParams::read(json)?),
            C::AmusementRide => Self::AmusementRide(RideParams::read(json)?),
            C::Pipeline => Self::Pipeline(PipelineParams::read(json)?),
            C::Ropeway => Self::Ropeway(RopewayParams::read(json)?),
            C::AtmosphericVessel => Self::AtmosphericVessel(AtmosphericVesselParams::read(json)?),
            C::PipelineComponent | C::SafetyAccessory => {
                Reader::new(json, &[]).finish((), |_| Ok(()))?;
                Self::Generic
            }
        })
    }

    /// The parameters a variety takes, with labels and units (for forms and import templates);
    /// empty for 7000 / F000 and for an unknown variety.
    pub fn fields_for(variety: &str) -> &'static [ParamField] {
        use EquipmentCategory as C;
        match EquipmentCategory::from_code(variety.trim()) {
            Some(C::Boiler) => BoilerParams::FIELDS,
            Some(C::PressureVessel) => VesselParams::FIELDS,
            Some(C::Elevator) if is_escalator(variety) => EscalatorParams::FIELDS,
            Some(C::Elevator) => ElevatorParams::FIELDS,
            Some(C::Crane) => CraneParams::FIELDS,
            Some(C::FieldVehicle) => VehicleParams::FIELDS,
            Some(C::AmusementRide) => RideParams::FIELDS,
            Some(C::Pipeline) => PipelineParams::FIELDS,
            Some(C::Ropeway) => RopewayParams::FIELDS,
            Some(C::AtmosphericVessel) => AtmosphericVesselParams::FIELDS,
            Some(C::PipelineComponent | C::SafetyAccessory) | None => &[],
        }
    }

    /// The JSON object to store: canonical keys only, missing values left out, decimals as
    /// strings exactly as entered (`"1.60"`), counts as numbers. [`parse`](Self::parse) reads it
    /// back to the same value.
    pub fn to_json(&self) -> Value {
        let value = match self {
            Self::Boiler(p) => serde_json::to_value(p),
            Self::PressureVessel(p) => serde_json::to_value(p),
            Self::Elevator(p) => serde_json::to_value(p),
            Self::Escalator(p) => serde_json::to_value(p),
            Self::Crane(p) => serde_json::to_value(p),
            Self::FieldVehicle(p) => serde_json::to_value(p),
            Self::AmusementRide(p) => serde_json::to_value(p),
            Self::Pipeline(p) => serde_json::to_value(p),
            Self::Ropeway(p) => serde_json::to_value(p),
            Self::AtmosphericVessel(p) => serde_json::to_value(p),
            Self::Generic => Ok(Value::Object(Map::new())),
        };
        // Serialising these plain structs cannot fail; an empty object is the safe fallback.
        value.unwrap_or_else(|_| Value::Object(Map::new()))
    }

    /// Checks the ranges again (for values built in code rather than parsed).
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        match self {
            Self::Boiler(p) => p.validate(),
            Self::PressureVessel(p) => p.validate(),
            Self::Elevator(p) => p.validate(),
            Self::Escalator(p) => p.validate(),
            Self::Crane(p) => p.validate(),
            Self::FieldVehicle(p) => p.validate(),
            Self::AmusementRide(p) => p.validate(),
            Self::Pipeline(p) => p.validate(),
            Self::Ropeway(p) => p.validate(),
            Self::AtmosphericVessel(p) => p.validate(),
            Self::Generic => Ok(()),
        }
    }

    /// The parameters for display, with Chinese labels and units.
    pub fn labelled(&self) -> Vec<ParamLine> {
        match self {
            Self::Boiler(p) => p.labelled(),
            Self::PressureVessel(p) => p.labelled(),
            Self::Elevator(p) => p.labelled(),
            Self::Escalator(p) => p.labelled(),
            Self::Crane(p) => p.labelled(),
            Self::FieldVehicle(p) => p.labelled(),
            Self::AmusementRide(p) => p.labelled(),
            Self::Pipeline(p) => p.labelled(),
            Self::Ropeway(p) => p.labelled(),
            Self::AtmosphericVessel(p) => p.labelled(),
            Self::Generic => Vec::new(),
        }
    }

    /// 主参数: the one value the fee tariff bands on (DOMAIN §6.3), or `None` when unknown:
    /// - elevator: 层站数 `floors`;
    /// - escalator / moving walk: 提升高度 `rise_m`;
    /// - boiler: 额定蒸发量 in t/h, or 热功率 converted ([`BoilerParams::equivalent_t_h`]);
    /// - pressure vessel and atmospheric vessel: 容积 `volume_m3`;
    /// - crane: 额定起重量 `rated_capacity_t`;
    /// - field vehicle: 额定起重量 `rated_capacity_kg`;
    /// - pipeline and ropeway: 长度 `length_m`;
    /// - amusement ride: always `None` (the fee follows the class, [`RideParams::class`]);
    /// - 7000 / F000: `None`.
    pub fn main_parameter(&self) -> Option<Decimal> {
        match self {
            Self::Boiler(p) => p.equivalent_t_h(),
            Self::PressureVessel(p) => p.volume_m3,
            Self::Elevator(p) => p.floors.map(Decimal::from),
            Self::Escalator(p) => p.rise_m,
            Self::Crane(p) => p.rated_capacity_t,
            Self::FieldVehicle(p) => p.rated_capacity_kg.map(Decimal::from),
            Self::AmusementRide(_) | Self::Generic => None,
            Self::Pipeline(p) => p.length_m,
            Self::Ropeway(p) => p.length_m,
            Self::AtmosphericVessel(p) => p.volume_m3,
        }
    }

    /// The safety grade, for pressure vessels and pipelines that record one.
    pub fn safety_grade(&self) -> Option<SafetyGrade> {
        match self {
            Self::PressureVessel(p) => p.safety_grade,
            Self::Pipeline(p) => p.safety_grade,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn codes(problems: &[FieldProblem]) -> Vec<(String, &'static str)> {
        problems
            .iter()
            .map(|p| (p.field.to_string(), p.code))
            .collect()
    }

    #[test]
    fn reads_what_the_demo_seed_writes() {
        let cases = [
            (
                "1100",
                json!({ "rated_evaporation_t_h": 4, "rated_pressure_mpa": "1.25" }),
            ),
            (
                "2150",
                json!({ "volume_m3": "12.3", "design_pressure_mpa": "1.60", "safety_grade": 2 }),
            ),
            (
                "3110",
                json!({ "floors": 12, "rated_speed_m_s": "1.75", "rated_load_kg": 1000, "machine_room": true }),
            ),
            ("4110", json!({ "rated_capacity_t": 16, "span_m": 22 })),
            (
                "5110",
                json!({ "rated_capacity_kg": 3000, "power": "electric" }),
            ),
            ("6200", json!({ "class": "A" })),
            (
                "8310",
                json!({ "length_m": 1200, "dn": 150, "grade": "GC2" }),
            ),
            ("9110", json!({ "length_m": 1800 })),
            ("R310", json!({ "volume_m3": 30 })),
        ];
        for (variety, json) in cases {
            let params = EquipmentParams::parse(variety, &json)
                .unwrap_or_else(|p| panic!("{variety}: {p:?}"));
            // What we write reads back to the same value.
            let again = EquipmentParams::parse(variety, &params.to_json()).unwrap();
            assert_eq!(again, params, "{variety}");
            assert!(!params.labelled().is_empty(), "{variety}");
        }
    }

    #[test]
    fn elevator_values_labels_and_units() {
        let json = json!({ "floors": 12, "rated_speed_m_s": 1.75, "rated_load_kg": "1000", "machine_room": false });
        let EquipmentParams::Elevator(p) = EquipmentParams::parse(" 3110 ", &json).unwrap() else {
            panic!("not an elevator")
        };
        assert_eq!(p.floors, Some(12));
        assert_eq!(p.rated_speed_m_s, Some(dec("1.75")));
        assert_eq!(p.rated_load_kg, Some(1000));
        let lines = p.labelled();
        let shown: Vec<(&str, String, &str)> = lines
            .iter()
            .map(|l| (l.label, l.value.clone(), l.unit))
            .collect();
        assert_eq!(
            shown,
            [
                ("层站数", "12".to_owned(), "层/站"),
                ("额定速度", "1.75".to_owned(), "m/s"),
                ("额定载重量", "1000".to_owned(), "kg"),
                ("机房", "无机房".to_owned(), ""),
            ]
        );
        assert_eq!(
            EquipmentParams::Elevator(p.clone()).main_parameter(),
            Some(Decimal::from(12))
        );
        assert_eq!(
            EquipmentParams::Elevator(p).to_json(),
            json!({ "floors": 12, "rated_speed_m_s": "1.75", "rated_load_kg": 1000, "machine_room": false })
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let json = json!({
            "floors": 1, "rated_speed_m_s": "fast", "rated_load_kg": 1.5,
            "machine_room": "maybe", "colour": "red"
        });
        let problems = EquipmentParams::parse("3110", &json).unwrap_err();
        let mut got = codes(&problems);
        got.sort();
        assert_eq!(
            got,
            [
                ("colour".to_owned(), "unknown_parameter"),
                ("floors".to_owned(), "out_of_range"),
                ("machine_room".to_owned(), "invalid_boolean"),
                ("rated_load_kg".to_owned(), "invalid_integer"),
                ("rated_speed_m_s".to_owned(), "invalid_number"),
            ]
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
        let speed =
            EquipmentParams::parse("3110", &json!({ "rated_speed_m_s": "25" })).unwrap_err();
        assert_eq!(
            codes(&speed),
            [("rated_speed_m_s".to_owned(), "out_of_range")]
        );
        assert!(
            speed[0].message.contains("额定速度"),
            "{}",
            speed[0].message
        );
    }

    #[test]
    fn escalators_have_their_own_parameters() {
        let json = json!({ "rise_m": "4.5", "width_mm": 1000, "incline_deg": 30, "rated_speed_m_s": "0.5" });
        let params = EquipmentParams::parse("3310", &json).unwrap();
        assert!(matches!(params, EquipmentParams::Escalator(_)));
        assert_eq!(params.main_parameter(), Some(dec("4.5")));
        let err = EquipmentParams::parse("3320", &json!({ "floors": 3 })).unwrap_err();
        assert_eq!(codes(&err), [("floors".to_owned(), "unknown_parameter")]);
    }

    #[test]
    fn boiler_power_converts_to_evaporation() {
        let p = BoilerParams {
            rated_power_mw: Some(dec("1.4")),
            medium: Some(BoilerMedium::HotWater),
            ..Default::default()
        };
        assert_eq!(p.equivalent_t_h(), Some(dec("2")));
        let p = BoilerParams {
            rated_power_mw: Some(dec("1.0")),
            ..Default::default()
        };
        assert_eq!(p.equivalent_t_h(), Some(dec("1.43")));
        let p = BoilerParams {
            rated_evaporation_t_h: Some(dec("4")),
            rated_power_mw: Some(dec("7")),
            ..Default::default()
        };
        assert_eq!(p.equivalent_t_h(), Some(dec("4")));
        assert_eq!(BoilerParams::default().equivalent_t_h(), None);
        let params = EquipmentParams::parse(
            "1200",
            &json!({ "rated_power_mw": "2.8", "medium": "hot_water" }),
        )
        .unwrap();
        assert_eq!(params.main_parameter(), Some(dec("4")));
        let err = EquipmentParams::parse("1200", &json!({ "medium": "lava" })).unwrap_err();
        assert_eq!(codes(&err), [("medium".to_owned(), "invalid_choice")]);
        assert!(err[0].message.contains("hot_water"));
    }

    #[test]
    fn vessels_grades_and_classes() {
        let params = EquipmentParams::parse(
            "2130",
            &json!({ "volume_m3": 5, "vessel_class": "III", "safety_grade": "3" }),
        )
        .unwrap();
        assert_eq!(params.safety_grade().map(SafetyGrade::get), Some(3));
        let EquipmentParams::PressureVessel(p) = &params else {
            panic!()
        };
        assert_eq!(p.vessel_class, Some(VesselClass::Iii));
        assert_eq!(VesselClass::from_variety("2130"), Some(VesselClass::Iii));
        assert_eq!(VesselClass::from_variety("2200"), None);
        let err = EquipmentParams::parse("2150", &json!({ "safety_grade": 6 })).unwrap_err();
        assert_eq!(codes(&err), [("safety_grade".to_owned(), "out_of_range")]);
        assert!(SafetyGrade::new(0).is_err());
        assert_eq!(SafetyGrade::parse(" 5 ").unwrap().label_zh(), "5级");
        assert_eq!(
            SafetyGrade::parse("x").unwrap_err().code(),
            "invalid_safety_grade"
        );
        assert_eq!(
            serde_json::to_string(&SafetyGrade::new(2).unwrap()).unwrap(),
            "2"
        );
        assert!(serde_json::from_str::<SafetyGrade>("9").is_err());
        // A vacuum vessel.
        assert!(EquipmentParams::parse("2170", &json!({ "design_pressure_mpa": "-0.1" })).is_ok());
    }

    #[test]
    fn pipelines_allow_grades_up_to_four() {
        let ok = EquipmentParams::parse("8310", &json!({ "grade": "gc3", "safety_grade": 4 }));
        assert!(ok.is_ok());
        let err = EquipmentParams::parse("8310", &json!({ "safety_grade": 5, "grade": "GC9" }))
            .unwrap_err();
        let mut got = codes(&err);
        got.sort();
        assert_eq!(
            got,
            [
                ("grade".to_owned(), "invalid_choice"),
                ("safety_grade".to_owned(), "out_of_range"),
            ]
        );
    }

    #[test]
    fn crane_kind_follows_the_variety() {
        for (variety, kind) in [
            ("4310", Some(CraneKind::Tower)),
            ("4110", Some(CraneKind::Bridge)),
            ("4A00", Some(CraneKind::Mast)),
            ("4d00", Some(CraneKind::Parking)),
            ("4860", Some(CraneKind::Hoist)),
            ("4450", Some(CraneKind::Railway)),
            ("4410", Some(CraneKind::Mobile)),
            ("4000", None),
            ("4", None),
        ] {
            let EquipmentParams::Crane(p) =
                EquipmentParams::parse(variety, &json!({ "rated_capacity_t": 5 })).unwrap()
            else {
                panic!("{variety}")
            };
            assert_eq!(p.kind, kind, "{variety}");
        }
        let p = EquipmentParams::parse("4310", &json!({ "rated_capacity_t": "8" })).unwrap();
        assert_eq!(p.labelled()[0].value, "塔式起重机");
        // The kind is derived, never stored.
        assert_eq!(p.to_json(), json!({ "rated_capacity_t": "8" }));
        let err = EquipmentParams::parse("4310", &json!({ "kind": "tower" })).unwrap_err();
        assert_eq!(codes(&err), [("kind".to_owned(), "unknown_parameter")]);
    }

    #[test]
    fn generic_objects_and_bad_shapes() {
        assert_eq!(
            EquipmentParams::parse("7310", &json!({})),
            Ok(EquipmentParams::Generic)
        );
        assert_eq!(
            EquipmentParams::parse("7110", &Value::Null),
            Ok(EquipmentParams::Generic)
        );
        let err = EquipmentParams::parse("F220", &json!({ "dn": 50 })).unwrap_err();
        assert_eq!(codes(&err), [("dn".to_owned(), "unknown_parameter")]);
        let err = EquipmentParams::parse("3110", &json!([1, 2])).unwrap_err();
        assert_eq!(codes(&err), [(String::new(), "invalid_parameters")]);
        let err = EquipmentParams::parse("Z000", &json!({})).unwrap_err();
        assert_eq!(codes(&err), [(String::new(), "unknown_variety")]);
        // null values count as missing.
        let p = EquipmentParams::parse("3110", &json!({ "floors": null })).unwrap();
        assert_eq!(p, EquipmentParams::Elevator(ElevatorParams::default()));
        assert_eq!(p.to_json(), json!({}));
    }

    #[test]
    fn rides_and_vehicles() {
        let p = EquipmentParams::parse("6100", &json!({ "class": "b", "imported": true })).unwrap();
        let EquipmentParams::AmusementRide(r) = &p else {
            panic!()
        };
        assert_eq!(r.class, Some(RideClass::B));
        assert_eq!(p.main_parameter(), None);
        assert_eq!(p.to_json(), json!({ "class": "B", "imported": true }));
        let v =
            EquipmentParams::parse("5200", &json!({ "seats": 14, "power": "COMBUSTION" })).unwrap();
        assert_eq!(v.labelled()[1].value, "内燃");
    }

    #[test]
    fn fields_for_every_category() {
        assert_eq!(EquipmentParams::fields_for("3110")[0].key, "floors");
        assert_eq!(EquipmentParams::fields_for("3310")[0].key, "rise_m");
        assert!(EquipmentParams::fields_for("7110").is_empty());
        assert!(EquipmentParams::fields_for("").is_empty());
        let vessel = EquipmentParams::fields_for("2150");
        let class = vessel.iter().find(|f| f.key == "vessel_class").unwrap();
        assert_eq!(class.kind, ParamKind::Choice);
        assert_eq!(class.choices.len(), VesselClass::all().len());
    }

    #[test]
    fn choice_names_match_serde() {
        fn check<T: Serialize + std::str::FromStr + PartialEq + std::fmt::Debug + Copy>(
            all: &[T],
            name: fn(T) -> &'static str,
        ) {
            for value in all {
                let json = serde_json::to_string(value).unwrap();
                assert_eq!(json, format!("\"{}\"", name(*value)));
                assert!(name(*value).parse::<T>().ok() == Some(*value));
            }
        }
        check(BoilerMedium::all(), BoilerMedium::as_str);
        check(VesselClass::all(), VesselClass::as_str);
        check(CraneKind::all(), CraneKind::as_str);
        check(VehiclePower::all(), VehiclePower::as_str);
        check(RideClass::all(), RideClass::as_str);
        check(PipelineGrade::all(), PipelineGrade::as_str);
        assert_eq!(
            "x".parse::<CraneKind>().unwrap_err().code(),
            "unknown_crane_kind"
        );
    }

    fn json_leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            "[0-9.eE+-]{0,12}".prop_map(Value::String),
            any::<String>().prop_map(Value::String),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        let known: Vec<String> = [
            BoilerParams::FIELDS,
            VesselParams::FIELDS,
            ElevatorParams::FIELDS,
            EscalatorParams::FIELDS,
            CraneParams::FIELDS,
            VehicleParams::FIELDS,
            RideParams::FIELDS,
            PipelineParams::FIELDS,
            RopewayParams::FIELDS,
        ]
        .iter()
        .flat_map(|fields| fields.iter().map(|f| f.key.to_owned()))
        .collect();
        prop_oneof![proptest::sample::select(known), "[a-z_]{0,8}"]
    }

    proptest! {
        #[test]
        fn parse_never_panics(
            variety in prop_oneof![
                proptest::sample::select(
                    crate::catalogue::entries().iter().map(|e| e.code.to_owned()).collect::<Vec<_>>()
                ),
                any::<String>(),
            ],
            entries in proptest::collection::btree_map(key(), json_leaf(), 0..6),
        ) {
            let object: Map<String, Value> = entries.into_iter().collect();
            let json = Value::Object(object);
            match EquipmentParams::parse(&variety, &json) {
                Ok(params) => {
                    prop_assert!(params.validate().is_ok());
                    let _ = params.labelled();
                    let _ = params.main_parameter();
                    let again = EquipmentParams::parse(&variety, &params.to_json());
                    prop_assert_eq!(again, Ok(params));
                }
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
    }
}
