//! Realistic sample documents, for previews, benchmarks and tests.

use time::macros::date;

use crate::{Field, NoticeDocument, NoticeProblem, ReportDocument};

const INSTITUTE: &str = "湖州市特种设备检测研究院";

fn equipment() -> Vec<Field> {
    vec![
        Field::new("设备品种", "曳引驱动乘客电梯"),
        Field::new("设备代码", "31103305022018060012"),
        Field::new("注册代码", "31103305022018060012"),
        Field::new("使用登记证编号", "梯11浙E01234(18)"),
        Field::new("单位内编号", "3号楼1号梯"),
        Field::new("制造单位", "奥的斯电梯（中国）有限公司"),
        Field::new("型号", "GeN2-MR"),
        Field::new("出厂编号", "NCS1234567"),
        Field::new(
            "安装地点",
            "湖州市吴兴区仁皇山路666号湖州国际会展中心3号楼东侧电梯厅",
        ),
    ]
}

/// An elevator periodic-inspection report with two problems.
pub fn report() -> ReportDocument {
    ReportDocument {
        institute_name: INSTITUTE.to_owned(),
        title: "电梯定期检验报告".to_owned(),
        report_no: "DT2026-HZ-001234".to_owned(),
        business_no: "YW20261127000123".to_owned(),
        enterprise_name: "湖州市南太湖物业管理有限公司".to_owned(),
        enterprise_address: "浙江省湖州市吴兴区仁皇山路666号".to_owned(),
        equipment: equipment(),
        parameters: vec![
            Field::new("额定载重量", "1000 kg"),
            Field::new("额定速度", "1.75 m/s"),
            Field::new("层站门数", "18层18站18门"),
            Field::new("控制方式", "集选控制"),
        ],
        inspection_type: "定期检验".to_owned(),
        inspection_date: date!(2026 - 11 - 27),
        conclusion: "合格".to_owned(),
        problems: vec![
            "轿厢内紧急报警装置与值班室的对讲音质不清晰，已现场调整。".to_owned(),
            "底坑内有积水及杂物，应及时清理并检查防水措施（GB/T 7588.1—2020 5.2.2.1）。".to_owned(),
        ],
        next_inspection_date: Some(date!(2027 - 11 - 26)),
        inspector: "张建国、李晓明".to_owned(),
        reviewer: Some("王志强".to_owned()),
        approver: Some("陈海涛".to_owned()),
        issue_date: date!(2026 - 11 - 30),
        verification_code: "8K3F-Q7MZ".to_owned(),
        verification_url: "https://tejian.example.cn/verify/DT2026-HZ-001234?code=8K3F-Q7MZ"
            .to_owned(),
    }
}

/// A rectification notice with `problems` problems.
pub fn notice(problems: usize) -> NoticeDocument {
    let texts = [
        (
            "限速器校验标签超过有效期。",
            "对限速器进行动作速度校验，并粘贴有效的校验标签。",
        ),
        (
            "层门门锁啮合长度不足7mm（实测约5mm），不符合TSG T7001—2023附件A 6.4的要求。",
            "调整层门门锁啮合长度不小于7mm，并提交调整记录。",
        ),
        ("机房内堆放杂物，通道不畅。", "清理机房杂物，保持通道畅通。"),
    ];
    NoticeDocument {
        institute_name: INSTITUTE.to_owned(),
        notice_no: "TZ2026-HZ-000321".to_owned(),
        enterprise_name: "湖州市南太湖物业管理有限公司".to_owned(),
        equipment: equipment().into_iter().take(5).collect(),
        inspection_type: "定期检验".to_owned(),
        inspection_date: date!(2026 - 11 - 27),
        report_no: "DT2026-HZ-001234".to_owned(),
        business_no: "YW20261127000123".to_owned(),
        problems: (0..problems)
            .map(|i| {
                let (description, requirement) = texts[i % texts.len()];
                NoticeProblem {
                    description: description.to_owned(),
                    requirement: requirement.to_owned(),
                }
            })
            .collect(),
        deadline: date!(2026 - 12 - 27),
        inspector: "张建国".to_owned(),
        issued_on: date!(2026 - 11 - 27),
    }
}
