//! 检验: inspections by the institute — what kind of inspection, and what it concluded.
//!
//! Every report ends in a 检验结论 (conclusion). The wording depends on the equipment and on the
//! age of the record: 机电类 equipment (elevators, cranes …) is 合格 or 不合格; boilers, pressure
//! vessels and pipelines are 符合要求 / 基本符合要求 / 不符合要求; older records say 允许运行,
//! 监督运行, 停止运行 and the like. [`Conclusion::normalise`] keeps the text as written and maps
//! it to one of three [`Outcome`]s, so lists such as 不合格设备查询 work across all of them.
//!
//! After a passed inspection, [`schedule`] gives the next inspection date(s) by category.

pub mod schedule;

use serde::{Deserialize, Serialize};

use crate::error::ParseError;

/// 检验类别: why an inspection is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionType {
    /// 定期检验: the periodic statutory inspection of equipment in service.
    Periodic,
    /// 年度检查: the yearly check of pressure vessels and pipelines.
    Annual,
    /// 首次检验: the first inspection before use, for equipment without installation supervision
    /// (notably 场车).
    First,
    /// 安装监检: supervision inspection of an installation.
    Installation,
    /// 改造监检: supervision inspection of a modification.
    Modification,
    /// 重大修理监检: supervision inspection of a major repair.
    MajorRepair,
    /// 委托检验: a non-statutory inspection at the customer's request.
    Commissioned,
}

crate::error::wire_enum_names!(InspectionType, "unknown_inspection_type", "未知的检验类别", {
    Periodic => "periodic",
    Annual => "annual",
    First => "first",
    Installation => "installation",
    Modification => "modification",
    MajorRepair => "major_repair",
    Commissioned => "commissioned",
});

impl InspectionType {
    /// Every inspection type.
    pub fn all() -> &'static [InspectionType] {
        use InspectionType::*;
        &[
            Periodic,
            Annual,
            First,
            Installation,
            Modification,
            MajorRepair,
            Commissioned,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        use InspectionType::*;
        match self {
            Periodic => "定期检验",
            Annual => "年度检查",
            First => "首次检验",
            Installation => "安装监检",
            Modification => "改造监检",
            MajorRepair => "重大修理监检",
            Commissioned => "委托检验",
        }
    }

    /// `true` for the inspections the law requires (everything but 委托检验).
    pub fn is_statutory(self) -> bool {
        self != InspectionType::Commissioned
    }

    /// `true` for the 监督检验 of installation, modification and major repair.
    pub fn is_supervision(self) -> bool {
        matches!(
            self,
            InspectionType::Installation
                | InspectionType::Modification
                | InspectionType::MajorRepair
        )
    }
}

/// 检验结论 (normalised): the outcome of an inspection in three steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 合格: the equipment may be used.
    Pass,
    /// 有条件合格(监控使用): may be used under conditions (monitoring, lower parameters, a shorter
    /// interval).
    ConditionalPass,
    /// 不合格: must not be used until put right.
    Fail,
}

crate::error::wire_enum_names!(Outcome, "unknown_outcome", "未知的检验结论", {
    Pass => "pass",
    ConditionalPass => "conditional_pass",
    Fail => "fail",
});

impl Outcome {
    /// Every outcome, best first.
    pub fn all() -> &'static [Outcome] {
        &[Outcome::Pass, Outcome::ConditionalPass, Outcome::Fail]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Pass => "合格",
            Outcome::ConditionalPass => "有条件合格(监控使用)",
            Outcome::Fail => "不合格",
        }
    }

    /// `true` unless the outcome is [`Fail`](Outcome::Fail).
    pub fn allows_use(self) -> bool {
        self != Outcome::Fail
    }
}

/// The words a conclusion may use, each matched as a whole.
const VOCABULARY: &[(&str, Outcome)] = &[
    ("合格", Outcome::Pass),
    ("符合要求", Outcome::Pass),
    ("允许使用", Outcome::Pass),
    ("允许运行", Outcome::Pass),
    ("基本符合要求", Outcome::ConditionalPass),
    ("监控使用", Outcome::ConditionalPass),
    ("限制使用", Outcome::ConditionalPass),
    ("监督运行", Outcome::ConditionalPass),
    ("整改后运行", Outcome::ConditionalPass),
    ("不合格", Outcome::Fail),
    ("不符合要求", Outcome::Fail),
    ("停止运行", Outcome::Fail),
    ("停止使用", Outcome::Fail),
];

/// The prefix that marks a re-inspection after rectification: 复检合格, 复检不合格.
const REINSPECTION_PREFIX: &str = "复检";

/// 检验结论: the conclusion as written on the report, and what it means.
///
/// Build one with [`Conclusion::normalise`]; the fields are public for reading. Deserialising
/// reads `raw` again and derives the other two fields from it, so a stored conclusion can never
/// contradict its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ConclusionWire")]
pub struct Conclusion {
    /// The conclusion as written (trimmed), e.g. `复检合格`.
    pub raw: String,
    /// What the conclusion means.
    pub outcome: Outcome,
    /// `true` for the result of a re-inspection after rectification (复检…).
    pub is_reinspection: bool,
}

impl Conclusion {
    /// Reads a conclusion: whitespace is ignored, the words are matched exactly (so 不合格 is never
    /// read as 合格), and a leading 复检 marks a re-inspection. Unknown wording fails with
    /// `unknown_conclusion`.
    pub fn normalise(raw: &str) -> Result<Conclusion, ParseError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let (is_reinspection, words) = match compact.strip_prefix(REINSPECTION_PREFIX) {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        VOCABULARY
            .iter()
            .find(|(text, _)| *text == words)
            .map(|&(_, outcome)| Conclusion {
                raw: raw.trim().to_owned(),
                outcome,
                is_reinspection,
            })
            .ok_or_else(|| {
                ParseError::new(
                    "unknown_conclusion",
                    format!("无法识别的检验结论：{}", raw.trim()),
                )
            })
    }
}

/// The serialised form of a [`Conclusion`] as it is read back: only `raw` counts.
#[derive(Deserialize)]
struct ConclusionWire {
    raw: String,
}

impl TryFrom<ConclusionWire> for Conclusion {
    type Error = ParseError;
    fn try_from(wire: ConclusionWire) -> Result<Self, Self::Error> {
        Conclusion::normalise(&wire.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn outcome(raw: &str) -> (Outcome, bool) {
        let c = Conclusion::normalise(raw).unwrap();
        (c.outcome, c.is_reinspection)
    }

    #[test]
    fn maps_every_known_wording() {
        use Outcome::*;
        for (raw, expected) in [
            ("合格", (Pass, false)),
            ("复检合格", (Pass, true)),
            ("符合要求", (Pass, false)),
            ("允许使用", (Pass, false)),
            ("允许运行", (Pass, false)),
            ("基本符合要求", (ConditionalPass, false)),
            ("监控使用", (ConditionalPass, false)),
            ("限制使用", (ConditionalPass, false)),
            ("监督运行", (ConditionalPass, false)),
            ("整改后运行", (ConditionalPass, false)),
            ("不合格", (Fail, false)),
            ("复检不合格", (Fail, true)),
            ("不符合要求", (Fail, false)),
            ("停止运行", (Fail, false)),
            ("停止使用", (Fail, false)),
        ] {
            assert_eq!(outcome(raw), expected, "{raw}");
        }
    }

    #[test]
    fn fail_is_not_read_as_pass() {
        assert_eq!(outcome("不合格").0, Outcome::Fail);
        assert_eq!(outcome("不符合要求").0, Outcome::Fail);
        assert_eq!(outcome("基本符合要求").0, Outcome::ConditionalPass);
    }

    #[test]
    fn whitespace_is_ignored_and_raw_is_kept() {
        let c = Conclusion::normalise("  复检 合格\u{3000}").unwrap();
        assert_eq!(c.raw, "复检 合格");
        assert_eq!(c.outcome, Outcome::Pass);
        assert!(c.is_reinspection);
    }

    #[test]
    fn unknown_wording_is_an_error() {
        for raw in [
            "",
            "复检",
            "合格。",
            "基本合格",
            "合格不合格",
            "pass",
            "不合格合格",
        ] {
            let err = Conclusion::normalise(raw).unwrap_err();
            assert_eq!(err.code(), "unknown_conclusion", "{raw}");
        }
    }

    #[test]
    fn serde_rederives_from_raw() {
        let c = Conclusion::normalise("复检不合格").unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"raw":"复检不合格","outcome":"fail","is_reinspection":true}"#
        );
        let lying = r#"{"raw":"不合格","outcome":"pass","is_reinspection":false}"#;
        let back: Conclusion = serde_json::from_str(lying).unwrap();
        assert_eq!(back.outcome, Outcome::Fail);
        assert!(serde_json::from_str::<Conclusion>(r#"{"raw":"好"}"#).is_err());
    }

    #[test]
    fn enums_on_the_wire() {
        for o in Outcome::all() {
            assert_eq!(
                serde_json::to_string(o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
            assert_eq!(o.as_str().parse::<Outcome>().unwrap(), *o);
        }
        assert_eq!(Outcome::ConditionalPass.label_zh(), "有条件合格(监控使用)");
        for t in InspectionType::all() {
            assert_eq!(
                serde_json::to_string(t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
            assert_eq!(t.as_str().parse::<InspectionType>().unwrap(), *t);
        }
        assert_eq!(InspectionType::MajorRepair.as_str(), "major_repair");
        assert!(!InspectionType::Commissioned.is_statutory());
        assert!(InspectionType::Installation.is_supervision());
        assert!(!InspectionType::Periodic.is_supervision());
    }

    proptest! {
        #[test]
        fn normalise_never_panics(raw in any::<String>()) {
            if let Ok(c) = Conclusion::normalise(&raw) {
                prop_assert_eq!(c.raw, raw.trim());
            }
        }
    }
}
