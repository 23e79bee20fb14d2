//! 特种设备目录: the national catalogue of special equipment (2014 revision, 质检总局公告2014年第114号).
//!
//! Every piece of special equipment belongs to a 4-character **hierarchical** code. The first
//! character is the 种类 (category, e.g. `3` 电梯), the second the 类别 (class, `31` 曳引与强制驱动电梯),
//! the third the 品种 (variety, `311` 曳引驱动乘客电梯); the fourth is normally `0`. Characters are
//! digits or upper-case letters (`4A00`, `6D10`, `23T0`).
//!
//! The table below is static data. Two groups sit beside the catalogue proper:
//! - `R000` 常压容器 (atmospheric vessels) is **outside** the catalogue (目录外), but platforms carry it,
//!   so it is listed with `in_catalogue: false`. Its two classes `R310` / `R320` do not follow the
//!   positional rule (they are written like varieties but are the classes of `R000`).
//! - `F000` 安全附件 (safety accessories) is listed as the catalogue prints it; this part is not yet
//!   checked against the official text. The catalogue files 安全阀 under 安全附件 with the code `7310`,
//!   so `7310` is the one code whose category is not given by its first character.
//!
//! Pressure-pipe-element varieties (`7110` …) are examples only; the catalogue changes over time,
//! so callers storing codes should keep the text and parse it when they need the meaning.

use serde::{Deserialize, Serialize};

use crate::error::{ParseError, string_newtype};

/// 层级: the level of a catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 种类, e.g. `3000` 电梯.
    Category,
    /// 类别, e.g. `3100` 曳引与强制驱动电梯.
    Class,
    /// 品种, e.g. `3110` 曳引驱动乘客电梯.
    Variety,
}

impl Level {
    /// Every level, from the top down.
    pub fn all() -> &'static [Level] {
        &[Level::Category, Level::Class, Level::Variety]
    }

    /// The Chinese name of the level.
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Category => "种类",
            Level::Class => "类别",
            Level::Variety => "品种",
        }
    }
}

crate::error::wire_enum_names!(Level, "unknown_catalogue_level", "未知的目录层级", {
    Category => "category",
    Class => "class",
    Variety => "variety",
});

/// 目录条目: one line of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CatalogueEntry {
    /// The 4-character code, e.g. `3110`.
    pub code: &'static str,
    /// The Chinese name, e.g. `曳引驱动乘客电梯`.
    pub name: &'static str,
    /// 种类, 类别 or 品种.
    pub level: Level,
    /// The code of the entry one level up; `None` for a category.
    pub parent: Option<&'static str>,
    /// `false` for equipment outside the catalogue (目录外), such as 常压容器.
    pub in_catalogue: bool,
}

const fn category(code: &'static str, name: &'static str) -> CatalogueEntry {
    CatalogueEntry {
        code,
        name,
        level: Level::Category,
        parent: None,
        in_catalogue: true,
    }
}

const fn class(code: &'static str, name: &'static str, parent: &'static str) -> CatalogueEntry {
    CatalogueEntry {
        code,
        name,
        level: Level::Class,
        parent: Some(parent),
        in_catalogue: true,
    }
}

const fn variety(code: &'static str, name: &'static str, parent: &'static str) -> CatalogueEntry {
    CatalogueEntry {
        code,
        name,
        level: Level::Variety,
        parent: Some(parent),
        in_catalogue: true,
    }
}

const fn outside(entry: CatalogueEntry) -> CatalogueEntry {
    CatalogueEntry {
        in_catalogue: false,
        ..entry
    }
}

static ENTRIES: &[CatalogueEntry] = &[
    // 1000 锅炉
    category("1000", "锅炉"),
    class("1100", "承压蒸汽锅炉", "1000"),
    class("1200", "承压热水锅炉", "1000"),
    class("1300", "有机热载体锅炉", "1000"),
    variety("1310", "有机热载体气相炉", "1300"),
    variety("1320", "有机热载体液相炉", "1300"),
    // 2000 压力容器
    category("2000", "压力容器"),
    class("2100", "固定式压力容器", "2000"),
    variety("2110", "超高压容器", "2100"),
    variety("2130", "第三类压力容器", "2100"),
    variety("2150", "第二类压力容器", "2100"),
    variety("2170", "第一类压力容器", "2100"),
    class("2200", "移动式压力容器", "2000"),
    variety("2210", "铁路罐车", "2200"),
    variety("2220", "汽车罐车", "2200"),
    variety("2230", "长管拖车", "2200"),
    variety("2240", "罐式集装箱", "2200"),
    variety("2250", "管束式集装箱", "2200"),
    class("2300", "气瓶", "2000"),
    variety("2310", "无缝气瓶", "2300"),
    variety("2320", "焊接气瓶", "2300"),
    variety("23T0", "特种气瓶", "2300"),
    class("2400", "氧舱", "2000"),
    variety("2410", "医用氧舱", "2400"),
    variety("2420", "高气压舱", "2400"),
    // 3000 电梯
    category("3000", "电梯"),
    class("3100", "曳引与强制驱动电梯", "3000"),
    variety("3110", "曳引驱动乘客电梯", "3100"),
    variety("3120", "曳引驱动载货电梯", "3100"),
    variety("3130", "强制驱动载货电梯", "3100"),
    class("3200", "液压驱动电梯", "3000"),
    variety("3210", "液压乘客电梯", "3200"),
    variety("3220", "液压载货电梯", "3200"),
    class("3300", "自动扶梯与自动人行道", "3000"),
    variety("3310", "自动扶梯", "3300"),
    variety("3320", "自动人行道", "3300"),
    class("3400", "其它类型电梯", "3000"),
    variety("3410", "防爆电梯", "3400"),
    variety("3420", "消防员电梯", "3400"),
    variety("3430", "杂物电梯", "3400"),
    // 4000 起重机械
    category("4000", "起重机械"),
    class("4100", "桥式起重机", "4000"),
    variety("4110", "通用桥式起重机", "4100"),
    variety("4130", "防爆桥式起重机", "4100"),
    variety("4140", "绝缘桥式起重机", "4100"),
    variety("4150", "冶金桥式起重机", "4100"),
    variety("4170", "电动单梁起重机", "4100"),
    variety("4190", "电动葫芦桥式起重机", "4100"),
    class("4200", "门式起重机", "4000"),
    variety("4210", "通用门式起重机", "4200"),
    variety("4220", "防爆门式起重机", "4200"),
    variety("4230", "轨道式集装箱门式起重机", "4200"),
    variety("4240", "轮胎式集装箱门式起重机", "4200"),
    variety("4250", "岸边集装箱起重机", "4200"),
    variety("4260", "造船门式起重机", "4200"),
    variety("4270", "电动葫芦门式起重机", "4200"),
    variety("4280", "装卸桥", "4200"),
    variety("4290", "架桥机", "4200"),
    class("4300", "塔式起重机", "4000"),
    variety("4310", "普通塔式起重机", "4300"),
    variety("4320", "电站塔式起重机", "4300"),
    class("4400", "流动式起重机", "4000"),
    variety("4410", "轮胎起重机", "4400"),
    variety("4420", "履带起重机", "4400"),
    variety("4440", "集装箱正面吊运起重机", "4400"),
    variety("4450", "铁路起重机", "4400"),
    class("4700", "门座式起重机", "4000"),
    variety("4710", "门座起重机", "4700"),
    variety("4760", "固定式起重机", "4700"),
    class("4800", "升降机", "4000"),
    variety("4860", "施工升降机", "4800"),
    variety("4870", "简易升降机", "4800"),
    class("4900", "缆索式起重机", "4000"),
    class("4A00", "桅杆式起重机", "4000"),
    class("4D00", "机械式停车设备", "4000"),
    // 5000 场（厂）内专用机动车辆
    category("5000", "场（厂）内专用机动车辆"),
    class("5100", "机动工业车辆", "5000"),
    variety("5110", "叉车", "5100"),
    class("5200", "非公路用旅游观光车辆", "5000"),
    // 6000 大型游乐设施
    category("6000", "大型游乐设施"),
    class("6100", "观览车类", "6000"),
    class("6200", "滑行车类", "6000"),
    class("6300", "架空游览车类", "6000"),
    class("6400", "陀螺类", "6000"),
    class("6500", "飞行塔类", "6000"),
    class("6600", "转马类", "6000"),
    class("6700", "自控飞机类", "6000"),
    class("6800", "赛车类", "6000"),
    class("6900", "小火车类", "6000"),
    class("6A00", "碰碰车类", "6000"),
    class("6B00", "滑道类", "6000"),
    class("6D00", "水上游乐设施", "6000"),
    variety("6D10", "峡谷漂流系列", "6D00"),
    variety("6D20", "水滑梯系列", "6D00"),
    variety("6D40", "碰碰船系列", "6D00"),
    class("6E00", "无动力游乐设施", "6000"),
    variety("6E10", "蹦极系列", "6E00"),
    variety("6E40", "滑索系列", "6E00"),
    variety("6E50", "空中飞人系列", "6E00"),
    variety("6E60", "系留式观光气球系列", "6E00"),
    // 7000 压力管道元件
    category("7000", "压力管道元件"),
    class("7100", "压力管道管子", "7000"),
    variety("7110", "无缝钢管", "7100"),
    variety("7120", "焊接钢管", "7100"),
    variety("71F0", "非金属材料管", "7100"),
    class("7200", "压力管道管件", "7000"),
    class("7300", "压力管道阀门", "7000"),
    class("7400", "压力管道法兰", "7000"),
    class("7500", "补偿器", "7000"),
    variety("7510", "金属波纹膨胀节", "7500"),
    class("7700", "压力管道密封元件", "7000"),
    class("7T00", "压力管道特种元件", "7000"),
    variety("7T10", "防腐管道元件", "7T00"),
    variety("7TZ0", "元件组合装置", "7T00"),
    // 8000 压力管道
    category("8000", "压力管道"),
    class("8100", "长输管道", "8000"),
    variety("8110", "输油管道", "8100"),
    variety("8120", "输气管道", "8100"),
    class("8200", "公用管道", "8000"),
    variety("8210", "燃气管道", "8200"),
    variety("8220", "热力管道", "8200"),
    class("8300", "工业管道", "8000"),
    variety("8310", "工艺管道", "8300"),
    variety("8320", "动力管道", "8300"),
    variety("8330", "制冷管道", "8300"),
    // 9000 客运索道
    category("9000", "客运索道"),
    class("9100", "客运架空索道", "9000"),
    variety("9110", "往复式客运架空索道", "9100"),
    variety("9120", "循环式客运架空索道", "9100"),
    class("9200", "客运缆车", "9000"),
    variety("9210", "往复式客运缆车", "9200"),
    variety("9220", "循环式客运缆车", "9200"),
    class("9300", "客运拖牵索道", "9000"),
    variety("9310", "低位客运拖牵索道", "9300"),
    variety("9320", "高位客运拖牵索道", "9300"),
    // F000 安全附件 (not yet checked against the official text)
    category("F000", "安全附件"),
    class("7310", "安全阀", "F000"),
    class("F220", "爆破片装置", "F000"),
    class("F230", "紧急切断阀", "F000"),
    class("F260", "气瓶阀门", "F000"),
    // R000 常压容器: outside the catalogue (目录外)
    outside(category("R000", "常压容器")),
    outside(class("R310", "液体危险货物常压容器(罐体)", "R000")),
    outside(class("R320", "危险化学品常压容器", "R000")),
];

/// Every entry of the catalogue, categories first within each group, in catalogue order.
pub fn entries() -> &'static [CatalogueEntry] {
    ENTRIES
}

/// The entry with exactly this 4-character code (upper case), if the catalogue has one.
pub fn find(code: &str) -> Option<&'static CatalogueEntry> {
    ENTRIES.iter().find(|entry| entry.code == code)
}

/// The entries one level below `code` (the classes of a category, the varieties of a class).
pub fn children(code: &str) -> impl Iterator<Item = &'static CatalogueEntry> + use<> {
    let code = code.to_owned();
    ENTRIES
        .iter()
        .filter(move |entry| entry.parent == Some(code.as_str()))
}

/// The eleven categories (种类), including 安全附件 and the out-of-catalogue 常压容器.
pub fn categories() -> impl Iterator<Item = &'static CatalogueEntry> {
    ENTRIES
        .iter()
        .filter(|entry| entry.level == Level::Category)
}

/// The category (种类) a code belongs to.
///
/// A known code is followed up its parents, so `7310` 安全阀 belongs to `F000` 安全附件. Any other
/// code, including a shorter prefix such as `"3"` or `"31"`, belongs to the category with the same
/// first character: `"3110"` → `3000` 电梯. Returns `None` when no category starts with that
/// character.
pub fn category_of(code: &str) -> Option<&'static CatalogueEntry> {
    if let Some(mut entry) = find(code) {
        // The table is at most three levels deep; the bound keeps a bad table from looping.
        for _ in 0..3 {
            match entry.parent.and_then(find) {
                Some(parent) => entry = parent,
                None => break,
            }
        }
        if entry.level == Level::Category {
            return Some(entry);
        }
    }
    let first = code.chars().next()?.to_ascii_uppercase();
    categories().find(|entry| entry.code.starts_with(first))
}

/// 设备种类: the eleven top-level groups of equipment, as an enum to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentCategory {
    /// 锅炉 (1000).
    Boiler,
    /// 压力容器 (2000).
    PressureVessel,
    /// 电梯 (3000).
    Elevator,
    /// 起重机械 (4000).
    Crane,
    /// 场（厂）内专用机动车辆 (5000).
    FieldVehicle,
    /// 大型游乐设施 (6000).
    AmusementRide,
    /// 压力管道元件 (7000).
    PipelineComponent,
    /// 压力管道 (8000).
    Pipeline,
    /// 客运索道 (9000).
    Ropeway,
    /// 常压容器 (R000), outside the catalogue.
    AtmosphericVessel,
    /// 安全附件 (F000).
    SafetyAccessory,
}

crate::error::wire_enum_names!(EquipmentCategory, "unknown_equipment_category", "未知的设备种类", {
    Boiler => "boiler",
    PressureVessel => "pressure_vessel",
    Elevator => "elevator",
    Crane => "crane",
    FieldVehicle => "field_vehicle",
    AmusementRide => "amusement_ride",
    PipelineComponent => "pipeline_component",
    Pipeline => "pipeline",
    Ropeway => "ropeway",
    AtmosphericVessel => "atmospheric_vessel",
    SafetyAccessory => "safety_accessory",
});

impl EquipmentCategory {
    /// Every category, in catalogue order (the two extra groups last).
    pub fn all() -> &'static [EquipmentCategory] {
        use EquipmentCategory::*;
        &[
            Boiler,
            PressureVessel,
            Elevator,
            Crane,
            FieldVehicle,
            AmusementRide,
            PipelineComponent,
            Pipeline,
            Ropeway,
            AtmosphericVessel,
            SafetyAccessory,
        ]
    }

    /// The catalogue code of the category, e.g. `"3000"`, `"R000"`, `"F000"`.
    pub fn code(self) -> &'static str {
        use EquipmentCategory::*;
        match self {
            Boiler => "1000",
            PressureVessel => "2000",
            Elevator => "3000",
            Crane => "4000",
            FieldVehicle => "5000",
            AmusementRide => "6000",
            PipelineComponent => "7000",
            Pipeline => "8000",
            Ropeway => "9000",
            AtmosphericVessel => "R000",
            SafetyAccessory => "F000",
        }
    }

    /// The Chinese name, as the catalogue writes it.
    pub fn label_zh(self) -> &'static str {
        use EquipmentCategory::*;
        match self {
            Boiler => "锅炉",
            PressureVessel => "压力容器",
            Elevator => "电梯",
            Crane => "起重机械",
            FieldVehicle => "场（厂）内专用机动车辆",
            AmusementRide => "大型游乐设施",
            PipelineComponent => "压力管道元件",
            Pipeline => "压力管道",
            Ropeway => "客运索道",
            AtmosphericVessel => "常压容器",
            SafetyAccessory => "安全附件",
        }
    }

    /// The category of any code or code prefix, by the rule of [`category_of`]:
    /// `"3110"`, `"31"` and `"3"` are all [`Elevator`](Self::Elevator); `"7310"` is
    /// [`SafetyAccessory`](Self::SafetyAccessory).
    pub fn from_code(code: &str) -> Option<EquipmentCategory> {
        let entry = category_of(code)?;
        Self::all()
            .iter()
            .copied()
            .find(|category| category.code() == entry.code)
    }

    /// The catalogue entry of this category.
    pub fn entry(self) -> &'static CatalogueEntry {
        // Every category code is in the table (tested); the fallback is never taken.
        find(self.code()).unwrap_or(&ENTRIES[0])
    }

    /// `false` only for 常压容器, which is outside the catalogue.
    pub fn in_catalogue(self) -> bool {
        self != EquipmentCategory::AtmosphericVessel
    }
}

/// 目录代码: a 4-character code that names a known entry of the catalogue.
///
/// Parsing trims whitespace and accepts lower case (`"6d10"` → `6D10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct CatalogueCode(&'static str);

// By hand rather than derived: the derive would demand `'de: 'static` because of the
// `&'static str` field, so the code could only be read from `'static` input.
impl<'de> Deserialize<'de> for CatalogueCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CatalogueCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl CatalogueCode {
    /// Parses a code; fails with `invalid_catalogue_code` unless it is a known entry.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let code = value.trim().to_ascii_uppercase();
        if code.chars().count() != 4 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ParseError::new(
                "invalid_catalogue_code",
                "设备目录代码应为 4 位数字或大写字母",
            ));
        }
        find(&code)
            .map(|entry| CatalogueCode(entry.code))
            .ok_or_else(|| {
                ParseError::new(
                    "invalid_catalogue_code",
                    format!("特种设备目录中没有代码 {code}"),
                )
            })
    }

    /// The code, e.g. `"3110"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The catalogue entry (name, level, parent).
    pub fn entry(&self) -> &'static CatalogueEntry {
        find(self.0).unwrap_or(&ENTRIES[0])
    }

    /// The Chinese name, e.g. `曳引驱动乘客电梯`.
    pub fn name(&self) -> &'static str {
        self.entry().name
    }

    /// The category (种类) the code belongs to.
    pub fn category(&self) -> EquipmentCategory {
        EquipmentCategory::from_code(self.0).unwrap_or(EquipmentCategory::Boiler)
    }
}

string_newtype!(CatalogueCode);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for entry in entries() {
            assert!(seen.insert(entry.code), "duplicate code {}", entry.code);
            assert_eq!(entry.code.len(), 4, "{}", entry.code);
            assert!(
                entry
                    .code
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()),
                "{}",
                entry.code
            );
        }
    }

    #[test]
    fn every_parent_exists_one_level_up() {
        for entry in entries() {
            match (entry.level, entry.parent) {
                (Level::Category, None) => {}
                (Level::Category, Some(_)) => panic!("category {} has a parent", entry.code),
                (_, None) => panic!("{} has no parent", entry.code),
                (level, Some(parent)) => {
                    let parent = find(parent).unwrap();
                    let expected = match level {
                        Level::Class => Level::Category,
                        _ => Level::Class,
                    };
                    assert_eq!(parent.level, expected, "parent of {}", entry.code);
                    assert_eq!(parent.in_catalogue, entry.in_catalogue, "{}", entry.code);
                }
            }
        }
    }

    #[test]
    fn every_variety_resolves_to_its_category() {
        for entry in entries().iter().filter(|e| e.level == Level::Variety) {
            let class = find(entry.parent.unwrap()).unwrap();
            let category = find(class.parent.unwrap()).unwrap();
            assert_eq!(category_of(entry.code), Some(category), "{}", entry.code);
            // Apart from the documented 安全阀 exception, the first character decides.
            assert_eq!(category.code[..1], entry.code[..1], "{}", entry.code);
        }
    }

    #[test]
    fn every_entry_has_a_category_enum() {
        for entry in entries() {
            let category = EquipmentCategory::from_code(entry.code).unwrap();
            assert_eq!(Some(category.entry()), category_of(entry.code));
        }
        let codes: Vec<&str> = categories().map(|e| e.code).collect();
        let from_enum: Vec<&str> = EquipmentCategory::all().iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), 11);
        for code in codes {
            assert!(from_enum.contains(&code), "{code}");
        }
        for category in EquipmentCategory::all() {
            assert_eq!(category.entry().name, category.label_zh());
            assert_eq!(category.entry().in_catalogue, category.in_catalogue());
        }
    }

    #[test]
    fn category_by_first_character() {
        assert_eq!(category_of("3110").unwrap().name, "电梯");
        assert_eq!(category_of("3").unwrap().code, "3000");
        assert_eq!(category_of("6d").unwrap().code, "6000");
        assert_eq!(category_of("7310").unwrap().code, "F000");
        assert_eq!(category_of("7320").unwrap().code, "7000");
        assert_eq!(category_of("Z000"), None);
        assert_eq!(category_of(""), None);
        assert_eq!(
            EquipmentCategory::from_code("R310"),
            Some(EquipmentCategory::AtmosphericVessel)
        );
        assert_eq!(
            EquipmentCategory::from_code("5"),
            Some(EquipmentCategory::FieldVehicle)
        );
        assert_eq!(EquipmentCategory::from_code("0"), None);
    }

    #[test]
    fn children_and_out_of_catalogue() {
        let classes: Vec<&str> = children("3000").map(|e| e.code).collect();
        assert_eq!(classes, ["3100", "3200", "3300", "3400"]);
        assert_eq!(children("1100").count(), 0);
        let vessels: Vec<&CatalogueEntry> = children("R000").collect();
        assert_eq!(vessels.len(), 2);
        assert!(vessels.iter().all(|e| !e.in_catalogue));
        assert!(find("3110").unwrap().in_catalogue);
    }

    #[test]
    fn catalogue_code_parses_known_codes_only() {
        let code = CatalogueCode::parse(" 6d10 ").unwrap();
        assert_eq!(code.as_str(), "6D10");
        assert_eq!(code.name(), "峡谷漂流系列");
        assert_eq!(code.category(), EquipmentCategory::AmusementRide);
        assert_eq!(
            CatalogueCode::parse("3110").unwrap().category(),
            EquipmentCategory::Elevator
        );
        for bad in ["", "311", "31100", "3190", "4B00", "电梯", "31 0"] {
            let err = CatalogueCode::parse(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_catalogue_code", "{bad}");
        }
    }

    #[test]
    fn serde_uses_the_code_and_parses_on_the_way_in() {
        let code = CatalogueCode::parse("3110").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"3110\"");
        let back: CatalogueCode = serde_json::from_str("\"3110\"").unwrap();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<CatalogueCode>("\"9999\"").is_err());
        // Readable from borrowed, non-'static input too.
        let owned = String::from("[\"6d10\"]");
        let codes: Vec<CatalogueCode> = serde_json::from_str(&owned).unwrap();
        assert_eq!(codes[0].as_str(), "6D10");
        assert_eq!(
            serde_json::to_string(&EquipmentCategory::AmusementRide).unwrap(),
            "\"amusement_ride\""
        );
        assert_eq!(
            serde_json::to_string(&Level::Variety).unwrap(),
            "\"variety\""
        );
    }

    #[test]
    fn names_match_serde() {
        for category in EquipmentCategory::all() {
            let json = serde_json::to_string(category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.as_str()));
            assert_eq!(
                category.as_str().parse::<EquipmentCategory>().unwrap(),
                *category
            );
        }
        for level in Level::all() {
            let json = serde_json::to_string(level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
        }
    }
}
