//! 下次检验日期: when equipment is next due for inspection after a passed (or conditionally
//! passed) inspection, per category (DOMAIN §3).
//!
//! [`next_due`] returns one [`DueItem`] per series the rules keep: boilers have an 外部检验 and an
//! 内部检验, fixed pressure vessels, oxygen chambers and pipelines have their 定期检验 plus a yearly
//! 年度检查. The equipment's 下次检验日期 is the [`earliest`] of them. A failed inspection gives no
//! date: the equipment stays 不合格 until a passed re-inspection.
//!
//! The rules, with the choices made where the regulations leave room:
//! - **电梯** (3xxx, TSG T7001-2023): the baseline is the month of `commissioning_date` (pass the
//!   date of the latest 监督检验 after an installation or modification). Within the first 15
//!   years the inspection years are 1, 4, 7, 9, 11, 13 and 15, then every year. The next date is
//!   the first scheduled month more than two months after the inspection month, because an
//!   inspection may be done up to two months early without moving the schedule. The schedule is
//!   to the **month**; the date returned is the **last day of that month** (a sign reading
//!   "2024年03月" is valid through 31 March). Without a commissioning date the elevator is
//!   inspected yearly (the old TSG T7001-2009 rule): the end of the month a year after the
//!   inspection. The rule is applied to inspections before its 2024-04-02 transition too.
//! - **锅炉** (1xxx): 外部检验 every year, 内部检验 every 2 years, both from this inspection.
//! - **固定式压力容器** (21xx, and a bare `2`/`2000`): an inspection within the first year after
//!   commissioning (the installation or acceptance inspection) sets the first 定期检验 at
//!   commissioning + 3 years. Otherwise by 安全状况等级 from the parameters: 1–2 → 6 years,
//!   3 → 3 years (the conservative end of 3–6), 4 → 1 year (监控使用), 5 → no date at all (it
//!   must not be used); unknown → 3 years. A conditional pass (基本符合要求, 监控使用) caps the
//!   interval at 1 year. Plus a 年度检查 every year.
//! - **移动式压力容器** (22xx): every year. **气瓶** (23xx): every 3 years (general gases).
//!   **氧舱** (24xx) [M]: 定期检验 every 3 years plus a 年度检查 every year.
//! - **起重机械** (4xxx), by [`CraneKind`]: tower, hoist and mobile cranes every year; bridge,
//!   gantry, portal, cable, mast, railway cranes and parking equipment every 2 years, except
//!   cranes that lift molten metal (`lifts_molten_metal`, and 4150 冶金桥式 unless the flag says
//!   `false`): every year. An unknown kind is inspected every year (the conservative choice).
//! - **场（厂）内专用机动车辆** (5xxx), **大型游乐设施** (6xxx), **客运索道** (9xxx): every year.
//! - **压力管道** (8xxx): the first-year rule as for vessels (commissioning + 3 years); then by
//!   安全状况等级: 1–2 → 6 years (GC3: 9 years; GA, GB, GD grades and unknown grades use 6, the
//!   GC1/GC2 value), 3 → 3 years, 4 → no date (not usable), unknown → 3 years; a conditional pass
//!   caps it at 3 years. Plus a 年度检查 every year.
//! - **常压容器** (Rxxx, outside the catalogue) [M]: every year (the usual practice for
//!   dangerous-goods tanks; to be confirmed with the client).
//! - **安全阀** (7310, and the bare 安全附件 category `F`/`F000`) [M]: 校验 every year
//!   (TSG ZF001 / TSG 21).
//! - **压力管道元件** (7xxx), the other **安全附件** (F220 爆破片装置, F230 紧急切断阀, F260 气瓶阀门:
//!   checked with the equipment they sit on) and unknown codes: no periodic inspection, no items.
//!
//! Years are added on the calendar (29 February → 28 February). Dates outside the range of
//! [`time::Date`] drop their item instead of panicking.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::catalogue::EquipmentCategory;
use crate::equipment::params::{CraneKind, EquipmentParams, PipelineGrade, crane_kind};
use crate::inspection::Outcome;

/// 检验项目: which series a due date belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// 定期检验 (for boilers: 外部检验).
    Periodic,
    /// 内部检验 (boilers).
    Internal,
    /// 年度检查 (pressure vessels, oxygen chambers, pipelines).
    Annual,
}

crate::error::wire_enum_names!(DueKind, "unknown_due_kind", "未知的检验项目", {
    Periodic => "periodic",
    Internal => "internal",
    Annual => "annual",
});

impl DueKind {
    /// Every kind.
    pub fn all() -> &'static [DueKind] {
        &[DueKind::Periodic, DueKind::Internal, DueKind::Annual]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            DueKind::Periodic => "定期检验",
            DueKind::Internal => "内部检验",
            DueKind::Annual => "年度检查",
        }
    }

    /// The Chinese name for equipment of `variety`: a boiler's periodic series is its 外部检验.
    pub fn label_zh_for(self, variety: &str) -> &'static str {
        match (self, EquipmentCategory::from_code(variety.trim())) {
            (DueKind::Periodic, Some(EquipmentCategory::Boiler)) => "外部检验",
            (DueKind::Periodic, Some(EquipmentCategory::SafetyAccessory)) => "校验",
            _ => self.label_zh(),
        }
    }
}

/// 待检项目: one series and the date it is next due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DueItem {
    /// Which series.
    pub kind: DueKind,
    /// The date it is due (see the module documentation for elevators' month precision).
    pub due: Date,
}

/// What the next date is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleInput<'a> {
    /// The variety (or class / category) code, e.g. `3110`.
    pub variety: &'a str,
    /// 投入使用日期 (for elevators: the latest 监督检验合格 date), if known.
    pub commissioning_date: Option<Date>,
    /// The date of the inspection just recorded.
    pub inspection_date: Date,
    /// Its outcome.
    pub outcome: Outcome,
    /// The equipment's parameters, with the safety grade this inspection gave (vessels and
    /// pipelines) and the molten-metal flag (cranes).
    pub params: Option<&'a EquipmentParams>,
}

/// The rule a variety follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Elevator,
    Boiler,
    FixedVessel,
    MobileVessel,
    GasCylinder,
    OxygenChamber,
    Crane(CraneKind),
    FieldVehicle,
    AmusementRide,
    Ropeway,
    Pipeline,
    AtmosphericVessel,
    /// 安全阀: calibrated every year.
    SafetyValve,
    /// 压力管道元件 and the other 安全附件: no periodic inspection.
    NotPeriodic,
    /// A code of no known category.
    Unknown,
}

fn rule_of(variety: &str) -> Rule {
    let code = variety.trim().to_ascii_uppercase();
    match EquipmentCategory::from_code(&code) {
        Some(EquipmentCategory::Boiler) => Rule::Boiler,
        Some(EquipmentCategory::PressureVessel) => match code.get(..2) {
            Some("22") => Rule::MobileVessel,
            Some("23") => Rule::GasCylinder,
            Some("24") => Rule::OxygenChamber,
            _ => Rule::FixedVessel,
        },
        Some(EquipmentCategory::Elevator) => Rule::Elevator,
        Some(EquipmentCategory::Crane) => Rule::Crane(crane_kind(&code)),
        Some(EquipmentCategory::FieldVehicle) => Rule::FieldVehicle,
        Some(EquipmentCategory::AmusementRide) => Rule::AmusementRide,
        Some(EquipmentCategory::Ropeway) => Rule::Ropeway,
        Some(EquipmentCategory::Pipeline) => Rule::Pipeline,
        Some(EquipmentCategory::AtmosphericVessel) => Rule::AtmosphericVessel,
        Some(EquipmentCategory::SafetyAccessory) if !code.starts_with("F2") => Rule::SafetyValve,
        Some(EquipmentCategory::PipelineComponent | EquipmentCategory::SafetyAccessory) => {
            Rule::NotPeriodic
        }
        None => Rule::Unknown,
    }
}

/// `true` when equipment of `variety` has a periodic-inspection rule: every category but
/// 压力管道元件; of the 安全附件 only 安全阀 (7310, and the bare category `F000`); never an unknown
/// code.
pub fn has_rule(variety: &str) -> bool {
    !matches!(rule_of(variety), Rule::NotPeriodic | Rule::Unknown)
}

/// The rule for equipment of `variety`, in Chinese, for display next to the date.
pub fn rule_description_zh(variety: &str) -> &'static str {
    match rule_of(variety) {
        Rule::Elevator => {
            "电梯（TSG T7001-2023）：以投入使用（监督检验合格）月份为基准，前15年在第1、4、7、9、11、13、15年定期检验，此后每年检验；可提前至多2个月检验而不改变周期"
        }
        Rule::Boiler => "锅炉：外部检验每年一次，内部检验每2年一次",
        Rule::FixedVessel => {
            "固定式压力容器：投用后3年内首次定期检验；此后安全状况等级1–2级每6年、3级每3年、4级监控使用每年检验，5级不得使用；另每年年度检查"
        }
        Rule::MobileVessel => "移动式压力容器：每年检验",
        Rule::GasCylinder => "气瓶：每3年检验",
        Rule::OxygenChamber => "氧舱：每3年定期检验，另每年年度检查",
        Rule::Crane(CraneKind::Tower | CraneKind::Hoist | CraneKind::Mobile) => {
            "起重机械（塔式起重机、升降机、流动式起重机）：每年检验"
        }
        Rule::Crane(CraneKind::Other) => "起重机械（类型未明）：按每年检验",
        Rule::Crane(_) => {
            "起重机械（桥式、门式、门座式、缆索式、桅杆式、铁路起重机及机械式停车设备）：每2年检验；吊运熔融金属的每年检验"
        }
        Rule::FieldVehicle => "场（厂）内专用机动车辆：每年检验",
        Rule::AmusementRide => "大型游乐设施：每年检验",
        Rule::Ropeway => "客运索道：每年检验",
        Rule::Pipeline => {
            "压力管道：投用后3年内首次定期检验；此后安全状况等级1–2级GC1/GC2每6年、GC3每9年，3级每3年，4级不得使用；另每年年度检查"
        }
        Rule::AtmosphericVessel => "常压容器（目录外）：每年检验",
        Rule::SafetyValve => "安全阀：每年至少校验一次",
        Rule::NotPeriodic => "压力管道元件、爆破片装置等安全附件：无单独的定期检验周期",
        Rule::Unknown => "无适用的定期检验规则",
    }
}

/// The dates equipment is next due after the inspection in `input`, one per series, periodic
/// first. Empty after a failed inspection, for 压力管道元件 / 安全附件 / unknown codes, and for a
/// vessel of 安全状况等级 5 or a pipeline of grade 4 (not usable). Every date is after the
/// inspection date.
pub fn next_due(input: &ScheduleInput<'_>) -> Vec<DueItem> {
    if input.outcome == Outcome::Fail {
        return Vec::new();
    }
    let d = input.inspection_date;
    let conditional = input.outcome == Outcome::ConditionalPass;
    let periodic = |due: Option<Date>| {
        due.map(|due| DueItem {
            kind: DueKind::Periodic,
            due,
        })
    };
    let annual = || {
        add_years(d, 1).map(|due| DueItem {
            kind: DueKind::Annual,
            due,
        })
    };
    let items: Vec<Option<DueItem>> = match rule_of(input.variety) {
        Rule::Elevator => vec![periodic(elevator_next(input.commissioning_date, d))],
        Rule::Boiler => vec![
            periodic(add_years(d, 1)),
            add_years(d, 2).map(|due| DueItem {
                kind: DueKind::Internal,
                due,
            }),
        ],
        Rule::FixedVessel => {
            let grade = input
                .params
                .and_then(EquipmentParams::safety_grade)
                .map(|g| g.get());
            let years = match grade {
                Some(5) => return Vec::new(),
                Some(1 | 2) => 6,
                Some(4) => 1,
                _ => 3,
            };
            let years = if conditional { years.min(1) } else { years };
            vec![
                periodic(first_or(input.commissioning_date, d, years)),
                annual(),
            ]
        }
        Rule::MobileVessel => vec![periodic(add_years(d, 1))],
        Rule::GasCylinder => vec![periodic(add_years(d, 3))],
        Rule::OxygenChamber => vec![periodic(add_years(d, 3)), annual()],
        Rule::Crane(kind) => {
            let molten = match input.params {
                Some(EquipmentParams::Crane(p)) => p.lifts_molten_metal,
                _ => None,
            }
            .unwrap_or_else(|| input.variety.trim().starts_with("415"));
            let yearly = molten
                || matches!(
                    kind,
                    CraneKind::Tower | CraneKind::Hoist | CraneKind::Mobile | CraneKind::Other
                );
            vec![periodic(add_years(d, if yearly { 1 } else { 2 }))]
        }
        Rule::FieldVehicle
        | Rule::AmusementRide
        | Rule::Ropeway
        | Rule::AtmosphericVessel
        | Rule::SafetyValve => {
            vec![periodic(add_years(d, 1))]
        }
        Rule::Pipeline => {
            let (grade, pipe) = match input.params {
                Some(EquipmentParams::Pipeline(p)) => (p.safety_grade.map(|g| g.get()), p.grade),
                _ => (None, None),
            };
            let years = match grade {
                Some(4..) => return Vec::new(),
                Some(1 | 2) if pipe == Some(PipelineGrade::Gc3) => 9,
                Some(1 | 2) => 6,
                _ => 3,
            };
            let years = if conditional { years.min(3) } else { years };
            vec![
                periodic(first_or(input.commissioning_date, d, years)),
                annual(),
            ]
        }
        Rule::NotPeriodic | Rule::Unknown => Vec::new(),
    };
    items.into_iter().flatten().collect()
}

/// The earliest due date: the equipment's 下次检验日期.
pub fn earliest(items: &[DueItem]) -> Option<Date> {
    items.iter().map(|item| item.due).min()
}

/// For vessels and pipelines: an inspection within the first year after commissioning is the
/// installation / acceptance inspection, and the first periodic inspection is due at
/// commissioning + 3 years; otherwise `years` after the inspection.
fn first_or(commissioning: Option<Date>, inspection: Date, years: i32) -> Option<Date> {
    match commissioning {
        Some(c) if add_years(c, 1).is_some_and(|one| inspection < one) => add_years(c, 3),
        _ => add_years(inspection, years),
    }
}

/// The years after commissioning in which an elevator is inspected within its first 15 years.
const ELEVATOR_YEARS: [i64; 7] = [1, 4, 7, 9, 11, 13, 15];

/// How many months early an elevator may be inspected without moving its schedule.
const ELEVATOR_EARLY_MONTHS: i64 = 2;

fn elevator_next(commissioning: Option<Date>, inspection: Date) -> Option<Date> {
    let inspected = month_index(inspection);
    let Some(commissioning) = commissioning else {
        return month_end(inspected + 12);
    };
    let base = month_index(commissioning);
    let threshold = inspected + ELEVATOR_EARLY_MONTHS;
    let year = ELEVATOR_YEARS
        .iter()
        .copied()
        .find(|y| base + 12 * y > threshold)
        .unwrap_or_else(|| ((threshold - base).div_euclid(12) + 1).max(16));
    month_end(base + 12 * year)
}

/// Months since year 0: `year × 12 + month − 1`.
fn month_index(date: Date) -> i64 {
    i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1
}

/// The last day of the month with this index.
fn month_end(index: i64) -> Option<Date> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(year, month, month.length(year)).ok()
}

/// The same day `years` later on the calendar (29 February → 28 February).
fn add_years(date: Date, years: i32) -> Option<Date> {
    let year = date.year().checked_add(years)?;
    let day = date.day().min(date.month().length(year));
    Date::from_calendar_date(year, date.month(), day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{self, Level};
    use crate::equipment::params::{CraneParams, PipelineParams, SafetyGrade, VesselParams};
    use proptest::prelude::*;
    use time::Duration;
    use time::macros::date;

    fn due(
        variety: &str,
        commissioning: Option<Date>,
        inspected: Date,
        params: Option<&EquipmentParams>,
    ) -> Vec<DueItem> {
        next_due(&ScheduleInput {
            variety,
            commissioning_date: commissioning,
            inspection_date: inspected,
            outcome: Outcome::Pass,
            params,
        })
    }

    fn periodic(items: &[DueItem]) -> Date {
        items
            .iter()
            .find(|i| i.kind == DueKind::Periodic)
            .unwrap()
            .due
    }

    fn vessel(grade: u8) -> EquipmentParams {
        EquipmentParams::PressureVessel(VesselParams {
            safety_grade: Some(SafetyGrade::new(grade).unwrap()),
            ..Default::default()
        })
    }

    #[test]
    fn elevator_by_t7001_2023() {
        let c = Some(date!(2020 - 03 - 15));
        // Year 1 done → year 4, to the end of the month.
        let items = due("3110", c, date!(2021 - 03 - 10), None);
        assert_eq!(
            items,
            [DueItem {
                kind: DueKind::Periodic,
                due: date!(2024 - 03 - 31)
            }]
        );
        // Up to two months early does not move the schedule; three months early does not count.
        assert_eq!(
            periodic(&due("3110", c, date!(2024 - 01 - 05), None)),
            date!(2027 - 03 - 31)
        );
        assert_eq!(
            periodic(&due("3110", c, date!(2023 - 12 - 20), None)),
            date!(2024 - 03 - 31)
        );
        // A late inspection keeps the schedule too.
        assert_eq!(
            periodic(&due("3110", c, date!(2024 - 09 - 01), None)),
            date!(2027 - 03 - 31)
        );
        // 7 → 9 → 11 → 13 → 15, then every year.
        for (inspected, next) in [
            (date!(2027 - 03 - 02), date!(2029 - 03 - 31)),
            (date!(2029 - 03 - 02), date!(2031 - 03 - 31)),
            (date!(2033 - 03 - 02), date!(2035 - 03 - 31)),
            (date!(2035 - 03 - 02), date!(2036 - 03 - 31)),
            (date!(2036 - 03 - 02), date!(2037 - 03 - 31)),
            (date!(2041 - 02 - 10), date!(2042 - 03 - 31)),
        ] {
            assert_eq!(
                periodic(&due("3110", c, inspected, None)),
                next,
                "{inspected}"
            );
        }
        // The acceptance inspection before use leads to year 1.
        assert_eq!(
            periodic(&due("3310", c, date!(2020 - 03 - 01), None)),
            date!(2021 - 03 - 31)
        );
        // No commissioning date: yearly.
        assert_eq!(
            periodic(&due("3210", None, date!(2025 - 02 - 10), None)),
            date!(2026 - 02 - 28)
        );
    }

    #[test]
    fn boiler_has_two_items() {
        let items = due("1100", None, date!(2024 - 02 - 29), None);
        assert_eq!(
            items,
            [
                DueItem {
                    kind: DueKind::Periodic,
                    due: date!(2025 - 02 - 28)
                },
                DueItem {
                    kind: DueKind::Internal,
                    due: date!(2026 - 02 - 28)
                },
            ]
        );
        assert_eq!(earliest(&items), Some(date!(2025 - 02 - 28)));
        assert_eq!(DueKind::Periodic.label_zh_for("1200"), "外部检验");
        assert_eq!(DueKind::Periodic.label_zh_for("2150"), "定期检验");
    }

    #[test]
    fn fixed_vessels_by_safety_grade() {
        let d = date!(2025 - 06 - 10);
        let c = Some(date!(2015 - 01 - 01));
        for (grade, next) in [
            (1, date!(2031 - 06 - 10)),
            (2, date!(2031 - 06 - 10)),
            (3, date!(2028 - 06 - 10)),
            (4, date!(2026 - 06 - 10)),
        ] {
            let p = vessel(grade);
            let items = due("2150", c, d, Some(&p));
            assert_eq!(periodic(&items), next, "grade {grade}");
            assert_eq!(
                items[1],
                DueItem {
                    kind: DueKind::Annual,
                    due: date!(2026 - 06 - 10)
                }
            );
        }
        assert!(due("2150", c, d, Some(&vessel(5))).is_empty());
        // Unknown grade: 3 years.
        assert_eq!(periodic(&due("2130", c, d, None)), date!(2028 - 06 - 10));
        // First periodic inspection: commissioning + 3 years.
        let new = Some(date!(2025 - 03 - 01));
        assert_eq!(
            periodic(&due("2170", new, d, Some(&vessel(1)))),
            date!(2028 - 03 - 01)
        );
        // A conditional pass is monitored yearly.
        let items = next_due(&ScheduleInput {
            variety: "2150",
            commissioning_date: c,
            inspection_date: d,
            outcome: Outcome::ConditionalPass,
            params: None,
        });
        assert_eq!(periodic(&items), date!(2026 - 06 - 10));
    }

    #[test]
    fn other_vessels() {
        let d = date!(2025 - 06 - 10);
        assert_eq!(
            due("2220", None, d, None),
            [DueItem {
                kind: DueKind::Periodic,
                due: date!(2026 - 06 - 10)
            }]
        );
        assert_eq!(periodic(&due("2310", None, d, None)), date!(2028 - 06 - 10));
        assert_eq!(due("2410", None, d, None).len(), 2);
        assert_eq!(
            due("R310", None, d, None),
            [DueItem {
                kind: DueKind::Periodic,
                due: date!(2026 - 06 - 10)
            }]
        );
    }

    #[test]
    fn cranes_by_kind() {
        let d = date!(2025 - 06 - 10);
        let one = date!(2026 - 06 - 10);
        let two = date!(2027 - 06 - 10);
        for (variety, next) in [
            ("4310", one),
            ("4860", one),
            ("4410", one),
            ("4000", one),
            ("4150", one),
            ("4110", two),
            ("4210", two),
            ("4710", two),
            ("4900", two),
            ("4A00", two),
            ("4D00", two),
            ("4450", two),
        ] {
            assert_eq!(periodic(&due(variety, None, d, None)), next, "{variety}");
        }
        let molten = EquipmentParams::Crane(CraneParams {
            lifts_molten_metal: Some(true),
            ..Default::default()
        });
        assert_eq!(periodic(&due("4110", None, d, Some(&molten))), one);
        let not_molten = EquipmentParams::Crane(CraneParams {
            lifts_molten_metal: Some(false),
            ..Default::default()
        });
        assert_eq!(periodic(&due("4150", None, d, Some(&not_molten))), two);
    }

    #[test]
    fn pipelines_by_grade() {
        let d = date!(2025 - 06 - 10);
        let c = Some(date!(2010 - 01 - 01));
        let pipe = |grade: Option<PipelineGrade>, safety: u8| {
            EquipmentParams::Pipeline(PipelineParams {
                grade,
                safety_grade: Some(SafetyGrade::new(safety).unwrap()),
                ..Default::default()
            })
        };
        let cases = [
            (pipe(Some(PipelineGrade::Gc1), 1), date!(2031 - 06 - 10)),
            (pipe(Some(PipelineGrade::Gc2), 2), date!(2031 - 06 - 10)),
            (pipe(Some(PipelineGrade::Gc3), 2), date!(2034 - 06 - 10)),
            (pipe(Some(PipelineGrade::Gc3), 3), date!(2028 - 06 - 10)),
            (pipe(None, 1), date!(2031 - 06 - 10)),
        ];
        for (p, next) in cases {
            let items = due("8310", c, d, Some(&p));
            assert_eq!(periodic(&items), next, "{p:?}");
            assert_eq!(items[1].kind, DueKind::Annual);
        }
        assert!(due("8310", c, d, Some(&pipe(Some(PipelineGrade::Gc1), 4))).is_empty());
        assert_eq!(periodic(&due("8210", c, d, None)), date!(2028 - 06 - 10));
    }

    #[test]
    fn yearly_categories_and_none() {
        let d = date!(2025 - 06 - 10);
        for variety in ["5110", "5200", "6D10", "9120", "R000", "7310", "F000"] {
            assert_eq!(
                periodic(&due(variety, None, d, None)),
                date!(2026 - 06 - 10),
                "{variety}"
            );
        }
        assert_eq!(DueKind::Periodic.label_zh_for("7310"), "校验");
        for variety in ["7110", "F220", "F260", "Z000", ""] {
            assert!(due(variety, None, d, None).is_empty(), "{variety}");
            assert!(!has_rule(variety));
        }
        assert_eq!(earliest(&[]), None);
    }

    #[test]
    fn failed_inspection_has_no_date() {
        let items = next_due(&ScheduleInput {
            variety: "3110",
            commissioning_date: None,
            inspection_date: date!(2025 - 06 - 10),
            outcome: Outcome::Fail,
            params: None,
        });
        assert!(items.is_empty());
    }

    #[test]
    fn every_category_but_components_has_a_rule() {
        for entry in catalogue::entries() {
            let category = EquipmentCategory::from_code(entry.code).unwrap();
            // Pipeline components, and the accessories other than the safety valve.
            let exempt =
                category == EquipmentCategory::PipelineComponent || entry.code.starts_with("F2");
            assert_eq!(has_rule(entry.code), !exempt, "{}", entry.code);
            let items = due(entry.code, None, date!(2025 - 06 - 10), None);
            assert_eq!(items.is_empty(), exempt, "{}", entry.code);
            assert!(!rule_description_zh(entry.code).is_empty());
            if entry.level == Level::Category {
                assert_ne!(rule_description_zh(entry.code), "无适用的定期检验规则");
            }
        }
        for category in EquipmentCategory::all() {
            let expected = *category != EquipmentCategory::PipelineComponent;
            assert_eq!(has_rule(category.code()), expected, "{category}");
        }
    }

    #[test]
    fn kinds_on_the_wire() {
        for kind in DueKind::all() {
            assert_eq!(
                serde_json::to_string(kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
            assert_eq!(kind.as_str().parse::<DueKind>().unwrap(), *kind);
        }
        assert_eq!(DueKind::Annual.label_zh(), "年度检查");
        let item = DueItem {
            kind: DueKind::Internal,
            due: date!(2026 - 02 - 28),
        };
        assert_eq!(
            serde_json::to_string(&item).unwrap(),
            r#"{"kind":"internal","due":"2026-02-28"}"#
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        // 1950-01-01 .. 2100-01-01
        (0i64..54_787).prop_map(|days| date!(1950 - 01 - 01) + Duration::days(days))
    }

    fn any_variety() -> impl Strategy<Value = String> {
        let codes: Vec<String> = catalogue::entries()
            .iter()
            .map(|e| e.code.to_owned())
            .collect();
        prop_oneof![
            proptest::sample::select(codes),
            "[0-9A-Za-z ]{0,5}",
            any::<String>(),
        ]
    }

    fn any_params() -> impl Strategy<Value = Option<EquipmentParams>> {
        prop_oneof![
            Just(None),
            (1u8..=5).prop_map(|g| Some(vessel(g))),
            (1u8..=4, proptest::option::of(0usize..9)).prop_map(|(g, p)| {
                Some(EquipmentParams::Pipeline(PipelineParams {
                    grade: p.map(|i| PipelineGrade::all()[i]),
                    safety_grade: Some(SafetyGrade::new(g).unwrap()),
                    ..Default::default()
                }))
            }),
            proptest::option::of(any::<bool>()).prop_map(|m| {
                Some(EquipmentParams::Crane(CraneParams {
                    lifts_molten_metal: m,
                    ..Default::default()
                }))
            }),
            Just(Some(EquipmentParams::Generic)),
        ]
    }

    proptest! {
        #[test]
        fn next_is_after_the_inspection(
            variety in any_variety(),
            commissioning in proptest::option::of(any_date()),
            inspected in any_date(),
            conditional in any::<bool>(),
            params in any_params(),
        ) {
            let items = next_due(&ScheduleInput {
                variety: &variety,
                commissioning_date: commissioning,
                inspection_date: inspected,
                outcome: if conditional { Outcome::ConditionalPass } else { Outcome::Pass },
                params: params.as_ref(),
            });
            for item in &items {
                prop_assert!(item.due > inspected, "{:?} not after {}", item, inspected);
            }
            prop_assert_eq!(earliest(&items), items.iter().map(|i| i.due).min());
            if has_rule(&variety) && params.is_none() {
                prop_assert!(!items.is_empty());
            }
            let _ = rule_description_zh(&variety);
        }

        #[test]
        fn next_due_never_panics(
            variety in any::<String>(),
            commissioning in proptest::option::of(any::<i32>()),
            inspected in any::<i32>(),
            outcome in 0usize..3,
            params in any_params(),
        ) {
            let date = |n: i32| Date::from_julian_day(n).unwrap_or(Date::MIN);
            let items = next_due(&ScheduleInput {
                variety: &variety,
                commissioning_date: commissioning.map(date),
                inspection_date: date(inspected),
                outcome: Outcome::all()[outcome],
                params: params.as_ref(),
            });
            if outcome == 2 {
                prop_assert!(items.is_empty());
            }
        }
    }
}
