//! 办事机构: the institute's offices and how to reach them (manual 附录二 联系方式, §3.2.2).
//!
//! The institute has its headquarters (本部) in 吴兴区 and one office or inspection station in
//! each county. An enterprise hands in applications and collects reports at the office that
//! serves its district (办事大厅: 检验申报、报告领取). Questions about this platform go to the
//! 质量和科技管理部 at headquarters, which also receives paper account applications.

use serde::Serialize;

/// The institute's full name.
pub const INSTITUTE_NAME: &str = "湖州市特种设备检测研究院";

/// The institute's web site, where the forms are published (表格下载 — 公共类).
pub const INSTITUTE_WEBSITE: &str = "http://www.hztjzx.cn";

/// 质量和科技管理部: the department that answers questions about the platform and resets passwords.
pub const SUPPORT_DEPARTMENT: &str = "质量和科技管理部";

/// The phone of the 质量和科技管理部 (platform questions, password resets; manual §8.1).
pub const SUPPORT_PHONE: &str = "0572-2523106";

/// 办事机构: an office of the institute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Office {
    /// A stable slug, e.g. `nanxun`.
    pub code: &'static str,
    /// The Chinese name, e.g. `南浔办事处`.
    pub name: &'static str,
    /// The street address.
    pub address: &'static str,
    /// The phone of the service hall (办事大厅) that serves the office's districts.
    pub phone: &'static str,
    /// The district codes whose applications and reports this office handles.
    pub serves: &'static [&'static str],
}

static OFFICES: &[Office] = &[
    Office {
        code: "headquarters",
        name: "本部",
        address: "湖州市吴兴区安吉路299号",
        phone: "0572-2523107",
        // 吴兴区、经济开发区 (now part of 南太湖新区) and the city's own level.
        serves: &["330502", "330590", "330599"],
    },
    Office {
        code: "nanxun",
        name: "南浔办事处",
        address: "湖州市南浔镇南林中路660号2号楼",
        phone: "0572-3652231",
        serves: &["330503"],
    },
    Office {
        code: "deqing",
        name: "德清检验站",
        address: "湖州市德清县武康镇英溪南路318号",
        phone: "0572-8083880",
        serves: &["330521"],
    },
    Office {
        code: "changxing",
        name: "长兴检验站",
        address: "湖州市长兴县雉州大道108号",
        phone: "0572-6890121",
        serves: &["330522"],
    },
    Office {
        code: "anji",
        name: "安吉检验站",
        address: "湖州市安吉县云鸿路转椅市场二期9幢11号",
        phone: "0572-5028082",
        serves: &["330523"],
    },
];

/// Every office, headquarters first.
pub fn offices() -> &'static [Office] {
    OFFICES
}

/// The office with this slug.
pub fn find(code: &str) -> Option<&'static Office> {
    OFFICES.iter().find(|office| office.code == code)
}

/// The office whose service hall handles a district (a code from [`crate::region`]).
pub fn office_for_district(district_code: &str) -> Option<&'static Office> {
    OFFICES
        .iter()
        .find(|office| office.serves.contains(&district_code))
}

/// 线下申请: where a paper 《企业服务平台账号申请表》 and a copy of the 营业执照 go (manual §3.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OfflineApplication {
    /// 邮寄地址: the postal address.
    pub mail_address: &'static str,
    /// 收件人: the recipient to write on the envelope.
    pub recipient: &'static str,
    /// 联系电话.
    pub phone: &'static str,
    /// 现场送达: where to hand it in person.
    pub in_person_address: &'static str,
}

/// The offline account application: by post, in person, or to the inspector on site.
pub const OFFLINE_APPLICATION: OfflineApplication = OfflineApplication {
    mail_address: "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院",
    recipient: "质量和科技管理部（收）",
    phone: SUPPORT_PHONE,
    in_person_address: "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院405室，质量和科技管理部",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::Landline;
    use crate::region::HUZHOU_DISTRICTS;

    #[test]
    fn every_district_is_served_by_exactly_one_office() {
        for district in HUZHOU_DISTRICTS {
            let serving = offices()
                .iter()
                .filter(|o| o.serves.contains(&district.code))
                .count();
            assert_eq!(serving, 1, "{}", district.name);
        }
        for office in offices() {
            for code in office.serves {
                assert!(HUZHOU_DISTRICTS.iter().any(|d| d.code == *code), "{code}");
            }
        }
    }

    #[test]
    fn offices_from_the_manual() {
        assert_eq!(offices().len(), 5);
        assert_eq!(office_for_district("330503").unwrap().phone, "0572-3652231");
        assert_eq!(office_for_district("330590").unwrap().code, "headquarters");
        assert_eq!(find("anji").unwrap().name, "安吉检验站");
        assert_eq!(office_for_district("110101"), None);
        for office in offices() {
            assert!(Landline::parse(office.phone).is_ok(), "{}", office.phone);
        }
        assert!(OFFLINE_APPLICATION.in_person_address.contains("405室"));
        assert_eq!(OFFLINE_APPLICATION.phone, "0572-2523106");
    }
}
