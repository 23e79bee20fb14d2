//! 账号开通 (manual §3): how an enterprise gets its first account.
//!
//! Online (§3.1) an enterprise reads the [terms](TERMS_TEXT) for at least
//! [`MIN_READ_SECONDS`], fills in the form and uploads its 营业执照; the registration waits
//! ([`RegistrationState::Pending`]) until the institute approves it (the enterprise and its first
//! account are created, the applicant gets the credentials by SMS) or rejects it with a reason.
//! Offline (§3.2) the enterprise mails or brings the signed and stamped 《企业服务平台账号申请表》
//! and the institute creates the enterprise directly.

use serde::{Deserialize, Serialize};

use crate::account::{USERNAME_MAX_CHARS, Username};
use crate::credit_code::CreditCode;
use crate::error::ParseError;

/// 单位类型: what kind of unit applies. Most are 使用单位 (the manual's §3.1.4 says to pick it);
/// the others deal with the institute too (manufacturers, installers, filling stations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    /// 使用单位: uses special equipment (stored as `use_unit`, like the seed's enterprises).
    UseUnit,
    /// 制造单位: manufactures it.
    Manufacturer,
    /// 安装改造维修单位: installs, modifies and repairs it.
    Installer,
    /// 充装单位: fills gas cylinders.
    Filling,
}

crate::error::wire_enum_names!(UnitType, "unknown_unit_type", "未知的单位类型", {
    UseUnit => "use_unit",
    Manufacturer => "manufacturer",
    Installer => "installer",
    Filling => "filling",
});

impl UnitType {
    /// Every unit type, 使用单位 first.
    pub fn all() -> &'static [UnitType] {
        &[
            UnitType::UseUnit,
            UnitType::Manufacturer,
            UnitType::Installer,
            UnitType::Filling,
        ]
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            UnitType::UseUnit => "使用单位",
            UnitType::Manufacturer => "制造单位",
            UnitType::Installer => "安装改造维修单位",
            UnitType::Filling => "充装单位",
        }
    }
}

/// 审核状态 of an online registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    /// 待审核
    Pending,
    /// 已通过: the enterprise and its first account exist.
    Approved,
    /// 未通过
    Rejected,
}

crate::error::wire_enum_names!(RegistrationState, "unknown_registration_state", "未知的审核状态", {
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
});

impl RegistrationState {
    pub fn all() -> &'static [RegistrationState] {
        &[
            RegistrationState::Pending,
            RegistrationState::Approved,
            RegistrationState::Rejected,
        ]
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RegistrationState::Pending => "待审核",
            RegistrationState::Approved => "已通过",
            RegistrationState::Rejected => "未通过",
        }
    }

    /// The institute's decision: only a pending registration can be decided, once.
    pub fn decide(self, approve: bool) -> Result<RegistrationState, ParseError> {
        match self {
            RegistrationState::Pending if approve => Ok(RegistrationState::Approved),
            RegistrationState::Pending => Ok(RegistrationState::Rejected),
            decided => Err(ParseError::new(
                "registration_already_decided",
                format!("该注册申请已{}，不能再次审核", decided.label_zh()),
            )),
        }
    }
}

/// The first user name tried for an enterprise's first account: its credit code in lower case
/// (user names are kept in lower case; login ignores case), which the enterprise knows by heart
/// and which is unique among enterprises. `attempt` 0 gives the code
/// itself; later attempts add `-2`, `-3` … (only needed if someone already took that name).
pub fn username_for(code: &CreditCode, attempt: u32) -> Result<Username, ParseError> {
    let base = code.as_str().to_ascii_lowercase();
    let name = if attempt == 0 {
        base
    } else {
        let suffix = format!("-{}", attempt + 1);
        let keep = USERNAME_MAX_CHARS.saturating_sub(suffix.len());
        format!("{}{suffix}", &base[..base.len().min(keep)])
    };
    Username::parse(&name)
}

/// The manual's note on the two mobile numbers of the form (3.1.4, 3.2.1).
pub const MOBILE_NOTE: &str = "注：安全管理负责人手机用于接收今后报检信息、电子发票、检验意见通知书等短信；申请人用于接收服务平台账号和密码短信。";

/// Where the paper form goes by post (manual 3.2.2 (1)).
pub const MAIL_ADDRESS: &str = "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院";
/// Who receives it by post.
pub const MAIL_RECIPIENT: &str = "质量和科技管理部（收）";
/// The phone of the institute's 质量和科技管理部.
pub const CONTACT_PHONE: &str = "0572-2523106";
/// Where the paper form can be handed in (manual 3.2.2 (2)).
pub const DELIVERY_ADDRESS: &str =
    "湖州市吴兴区安吉路299号，湖州市特种设备检测研究院405室，质量和科技管理部";

/// How long the terms must be shown before 「同意以上条款」 can be clicked (manual 3.1.3).
pub const MIN_READ_SECONDS: u32 = 10;

/// The title of the terms.
pub const TERMS_TITLE: &str = "湖州市特种设备企业服务平台企业客户服务条款";

/// The version of [`TERMS_TEXT`]; a registration records the version the applicant agreed to.
pub const TERMS_VERSION: &str = "2026-11";

/// 《湖州市特种设备企业服务平台企业客户服务条款》, one paragraph per line.
pub const TERMS_TEXT: &str = "\
一、服务内容。湖州市特种设备企业服务平台（以下简称“平台”）由湖州市特种设备检测研究院（以下简称“本院”）建设和运营，为特种设备使用单位等企业客户提供设备信息查询、网上报检、检验费用查询与缴纳、电子检验报告与电子发票领取、设备状态变更申请以及与监管部门交流互动等服务。
二、账号申请。企业申请平台账号时，应如实、完整地填写单位名称、统一社会信用代码、所在区县、地址、法定代表人、安全管理负责人及其手机、申请人及其手机等信息，并上传有效的《营业执照》扫描件或照片。本院审核通过后，将账号和初始密码以短信发送至申请人手机。
三、信息真实。企业对所提交信息和资料的真实性、准确性、完整性负责。信息发生变更（特别是单位名称、安全管理负责人或其手机号码变更）时，应及时在平台“基本信息维护”中更新或按申请流程重新提交资料。因信息不实或未及时更新造成的后果由企业自行承担。
四、短信通知。安全管理负责人手机用于接收今后的报检信息、电子发票、检验意见通知书、检验到期提醒等短信；申请人手机用于接收平台账号和密码短信。企业同意本院为上述目的向这两个号码发送短信。
五、账号安全。账号仅供本单位使用。初始密码须在首次登录时修改；企业应妥善保管账号和密码，不得转借他人。通过本单位账号进行的一切操作视为本单位的行为。发现账号被盗用或存在安全隐患的，应立即致电本院（0572-2523106）。
六、个人信息保护。本院依照《中华人民共和国个人信息保护法》等法律法规处理企业提交的联系人姓名、手机号码等个人信息，仅用于账号开通、检验业务办理、费用结算和依法监管，不向无关第三方提供；法律法规另有规定或监管部门依法要求的除外。
七、使用规范。企业不得利用平台从事违法活动，不得上传含有病毒或与业务无关的文件，不得以自动化手段批量访问平台或干扰平台正常运行。违反的，本院有权暂停或注销其账号。
八、责任限制。平台所示的费用估算仅供参考，以本院受理确认的金额为准；电子检验报告与纸质报告具有同等效力。因不可抗力、网络或通信故障造成的服务中断，本院将尽快恢复，但不承担由此产生的间接损失。
九、条款变更。本院可根据法律法规和业务需要修订本条款，修订后的条款在平台公布后生效。企业继续使用平台即视为同意修订后的条款。
十、其他。本条款的解释权归湖州市特种设备检测研究院。如有疑问，请致电 0572-2523106。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_decide_once() {
        assert_eq!(
            RegistrationState::Pending.decide(true).unwrap(),
            RegistrationState::Approved
        );
        assert_eq!(
            RegistrationState::Pending.decide(false).unwrap(),
            RegistrationState::Rejected
        );
        for decided in [RegistrationState::Approved, RegistrationState::Rejected] {
            assert_eq!(
                decided.decide(true).unwrap_err().code(),
                "registration_already_decided"
            );
        }
    }

    #[test]
    fn unit_types_on_the_wire() {
        for t in UnitType::all() {
            assert_eq!(t.as_str().parse::<UnitType>().unwrap(), *t);
        }
        assert_eq!(UnitType::UseUnit.as_str(), "use_unit");
        assert_eq!(
            "x".parse::<UnitType>().unwrap_err().code(),
            "unknown_unit_type"
        );
    }

    #[test]
    fn usernames_from_credit_codes() {
        let first17 = "91330502MA2B3C4D5";
        let check = crate::credit_code::check_char(first17).unwrap();
        let code = CreditCode::parse(&format!("{first17}{check}")).unwrap();
        let first = username_for(&code, 0).unwrap();
        let lower = code.as_str().to_ascii_lowercase();
        assert_eq!(first.as_str(), lower);
        let second = username_for(&code, 1).unwrap();
        assert_eq!(second.as_str(), format!("{lower}-2"));
        assert!(username_for(&code, 99_999).is_ok());
    }

    #[test]
    fn terms_mention_the_sms_numbers() {
        assert!(TERMS_TEXT.contains("安全管理负责人手机"));
        assert!(TERMS_TEXT.contains("申请人手机"));
    }
}
