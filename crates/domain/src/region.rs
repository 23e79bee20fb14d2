//! 辖区: the districts of Huzhou and the market-supervision bureaus (市场监督管理局) that govern them.
//!
//! An address has a GB/T 2260 code (吴兴区 `330502` …). The bureau that approves an enterprise's
//! status changes and answers its messages is chosen by **jurisdiction** (管辖区域), which is not
//! quite the same thing: 湖州南太湖新区 is a functional zone (功能区) run by a 管委会, without a
//! GB/T 2260 code, but with its own 分局. Zhejiang's government platforms give such zones private
//! codes (`330590` 南太湖新区, `330599` 湖州市本级), and so do we.
//!
//! The names of the bureaus follow DOMAIN.md and are still to be confirmed with the client, and
//! not every deployment wants the functional zone. [`Jurisdictions`] is therefore configurable:
//! start from [`Jurisdictions::huzhou_default`] and switch a zone off with
//! [`Jurisdictions::without_functional_zone`]; its addresses then fall back to 吴兴区.

use serde::{Deserialize, Serialize};

/// The code of the 吴兴区, the district where the city government sits. Functional zones that are
/// switched off fall back to it.
pub const SEAT_DISTRICT_CODE: &str = "330502";

/// The GB/T 2260 code of 湖州市 itself.
pub const CITY_CODE: &str = "330500";

/// 辖区类型: whether a district is a real administrative division or a functional zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistrictKind {
    /// 行政区: a county or district with a GB/T 2260 code.
    Administrative,
    /// 功能区: a zone with a private code (南太湖新区, 市本级).
    FunctionalZone,
}

crate::error::wire_enum_names!(DistrictKind, "unknown_district_kind", "未知的辖区类型", {
    Administrative => "administrative",
    FunctionalZone => "functional_zone",
});

impl DistrictKind {
    /// Both kinds.
    pub fn all() -> &'static [DistrictKind] {
        &[DistrictKind::Administrative, DistrictKind::FunctionalZone]
    }

    /// The Chinese name of the kind.
    pub fn label_zh(self) -> &'static str {
        match self {
            DistrictKind::Administrative => "行政区",
            DistrictKind::FunctionalZone => "功能区",
        }
    }
}

/// 辖区: a district, county or functional zone of Huzhou.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct District {
    /// GB/T 2260 code, or the provincial private code of a functional zone.
    pub code: &'static str,
    /// The Chinese name, e.g. `吴兴区`.
    pub name: &'static str,
    /// Administrative division or functional zone.
    pub kind: DistrictKind,
}

/// 监管局: a market-supervision bureau that registers equipment in its district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Bureau {
    /// A stable slug, e.g. `wuxing`.
    pub code: &'static str,
    /// The full Chinese name, e.g. `湖州市市场监督管理局吴兴分局`.
    pub name: &'static str,
    /// The district it governs.
    pub district_code: &'static str,
    /// A public phone number, when the client has given one.
    pub phone: Option<&'static str>,
}

/// The districts of Huzhou: five administrative ones, then the two functional zones.
pub static HUZHOU_DISTRICTS: &[District] = &[
    District {
        code: "330502",
        name: "吴兴区",
        kind: DistrictKind::Administrative,
    },
    District {
        code: "330503",
        name: "南浔区",
        kind: DistrictKind::Administrative,
    },
    District {
        code: "330521",
        name: "德清县",
        kind: DistrictKind::Administrative,
    },
    District {
        code: "330522",
        name: "长兴县",
        kind: DistrictKind::Administrative,
    },
    District {
        code: "330523",
        name: "安吉县",
        kind: DistrictKind::Administrative,
    },
    District {
        code: "330590",
        name: "南太湖新区",
        kind: DistrictKind::FunctionalZone,
    },
    District {
        code: "330599",
        name: "湖州市本级",
        kind: DistrictKind::FunctionalZone,
    },
];

/// The bureaus of Huzhou, one per district. Phone numbers are not known yet.
pub static HUZHOU_BUREAUS: &[Bureau] = &[
    Bureau {
        code: "wuxing",
        name: "湖州市市场监督管理局吴兴分局",
        district_code: "330502",
        phone: None,
    },
    Bureau {
        code: "nanxun",
        name: "湖州市市场监督管理局南浔分局",
        district_code: "330503",
        phone: None,
    },
    Bureau {
        code: "deqing",
        name: "德清县市场监督管理局",
        district_code: "330521",
        phone: None,
    },
    Bureau {
        code: "changxing",
        name: "长兴县市场监督管理局",
        district_code: "330522",
        phone: None,
    },
    Bureau {
        code: "anji",
        name: "安吉县市场监督管理局",
        district_code: "330523",
        phone: None,
    },
    Bureau {
        code: "nantaihu",
        name: "湖州市市场监督管理局南太湖新区分局",
        district_code: "330590",
        phone: None,
    },
    Bureau {
        code: "city",
        name: "湖州市市场监督管理局",
        district_code: "330599",
        phone: None,
    },
];

/// 管辖配置: the districts and bureaus one deployment works with.
///
/// A district that has been switched off keeps answering: its code is redirected to another
/// district (吴兴区 unless told otherwise), so old addresses still find a bureau.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdictions {
    districts: Vec<District>,
    bureaus: Vec<Bureau>,
    /// `(switched-off district, district that takes over)`.
    redirects: Vec<(&'static str, &'static str)>,
}

impl Default for Jurisdictions {
    fn default() -> Self {
        Self::huzhou_default()
    }
}

impl Jurisdictions {
    /// All seven Huzhou districts and their seven bureaus.
    pub fn huzhou_default() -> Self {
        Self {
            districts: HUZHOU_DISTRICTS.to_vec(),
            bureaus: HUZHOU_BUREAUS.to_vec(),
            redirects: Vec::new(),
        }
    }

    /// Switches a functional zone off; its addresses fall back to 吴兴区 ([`SEAT_DISTRICT_CODE`]).
    ///
    /// Administrative districts cannot be switched off: for them (and for unknown codes) this
    /// returns the configuration unchanged.
    pub fn without_functional_zone(self, code: &str) -> Self {
        self.without_functional_zone_into(code, SEAT_DISTRICT_CODE)
    }

    /// Switches a functional zone off and sends its addresses to `fallback_code`, which must be a
    /// district still in the configuration; otherwise the configuration is returned unchanged.
    pub fn without_functional_zone_into(mut self, code: &str, fallback_code: &str) -> Self {
        let zone = self
            .districts
            .iter()
            .find(|d| d.code == code && d.kind == DistrictKind::FunctionalZone)
            .copied();
        let fallback = self
            .districts
            .iter()
            .find(|d| d.code == fallback_code && d.code != code)
            .copied();
        let (Some(zone), Some(fallback)) = (zone, fallback) else {
            return self;
        };
        self.districts.retain(|d| d.code != zone.code);
        self.bureaus.retain(|b| b.district_code != zone.code);
        for redirect in &mut self.redirects {
            if redirect.1 == zone.code {
                redirect.1 = fallback.code;
            }
        }
        self.redirects.push((zone.code, fallback.code));
        self
    }

    /// Sets the public phone number of a bureau (by its slug); unknown slugs are ignored.
    pub fn with_bureau_phone(mut self, bureau_code: &str, phone: &'static str) -> Self {
        for bureau in &mut self.bureaus {
            if bureau.code == bureau_code {
                bureau.phone = Some(phone);
            }
        }
        self
    }

    /// The districts in use.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// The bureaus in use.
    pub fn bureaus(&self) -> &[Bureau] {
        &self.bureaus
    }

    /// The district a code stands for, following the redirect of a switched-off zone.
    pub fn district(&self, code: &str) -> Option<&District> {
        let code = code.trim();
        let code = self
            .redirects
            .iter()
            .find(|(from, _)| *from == code)
            .map_or(code, |(_, to)| *to);
        self.districts.iter().find(|d| d.code == code)
    }

    /// The bureau with this slug, e.g. `"wuxing"`.
    pub fn bureau(&self, code: &str) -> Option<&Bureau> {
        self.bureaus.iter().find(|b| b.code == code)
    }

    /// The bureau that governs a district (following redirects), e.g. `"330590"` → 南太湖新区分局,
    /// or 吴兴分局 once the zone is switched off.
    pub fn bureau_for_district(&self, code: &str) -> Option<&Bureau> {
        let district = self.district(code)?;
        self.bureaus
            .iter()
            .find(|b| b.district_code == district.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_a_bureau_for_every_district() {
        let j = Jurisdictions::huzhou_default();
        assert_eq!(j.districts().len(), 7);
        assert_eq!(j.bureaus().len(), 7);
        for district in j.districts() {
            let bureau = j.bureau_for_district(district.code).unwrap();
            assert_eq!(bureau.district_code, district.code);
        }
        for bureau in j.bureaus() {
            assert!(
                j.district(bureau.district_code).is_some(),
                "{}",
                bureau.code
            );
            assert_eq!(j.bureau(bureau.code), Some(bureau));
        }
        assert_eq!(j.bureau_for_district("330502").unwrap().code, "wuxing");
        assert_eq!(j.bureau_for_district("330590").unwrap().code, "nantaihu");
        assert_eq!(j.bureau_for_district("330599").unwrap().code, "city");
        assert_eq!(j.bureau_for_district("330501"), None);
        assert_eq!(Jurisdictions::default(), j);
    }

    #[test]
    fn switching_the_new_area_off_falls_back_to_wuxing() {
        let j = Jurisdictions::huzhou_default().without_functional_zone("330590");
        assert_eq!(j.districts().len(), 6);
        assert!(j.bureau("nantaihu").is_none());
        assert_eq!(j.bureau_for_district("330590").unwrap().code, "wuxing");
        assert_eq!(j.district("330590").unwrap().name, "吴兴区");
        assert_eq!(j.bureau_for_district("330521").unwrap().code, "deqing");
    }

    #[test]
    fn administrative_districts_cannot_be_switched_off() {
        let j = Jurisdictions::huzhou_default().without_functional_zone("330503");
        assert_eq!(j, Jurisdictions::huzhou_default());
        let j = Jurisdictions::huzhou_default().without_functional_zone_into("330590", "999999");
        assert_eq!(j, Jurisdictions::huzhou_default());
    }

    #[test]
    fn chained_redirects_follow_to_the_end() {
        let j = Jurisdictions::huzhou_default()
            .without_functional_zone_into("330590", "330599")
            .without_functional_zone("330599");
        assert_eq!(j.bureau_for_district("330590").unwrap().code, "wuxing");
        assert_eq!(j.bureau_for_district("330599").unwrap().code, "wuxing");
    }

    #[test]
    fn bureau_phone_can_be_configured() {
        let j = Jurisdictions::huzhou_default().with_bureau_phone("anji", "0572-5000000");
        assert_eq!(j.bureau("anji").unwrap().phone, Some("0572-5000000"));
        assert_eq!(j.bureau("deqing").unwrap().phone, None);
    }

    #[test]
    fn kinds_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&DistrictKind::FunctionalZone).unwrap(),
            "\"functional_zone\""
        );
        for kind in DistrictKind::all() {
            assert_eq!(
                serde_json::to_string(kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        assert_eq!(DistrictKind::FunctionalZone.label_zh(), "功能区");
    }
}
