//! The rectification notice (特种设备检验意见通知书).

use crate::layout::{self, Align, BODY, CONTENT_W, Cell, LEFT, Layout};
use crate::report::{masthead, numbers_line};
use crate::tables::{self, LABEL_W, PAIR_VALUE_W};
use crate::text::Shaper;
use crate::{DocumentError, Field, Fonts, NoticeDocument, NoticeProblem, format_date};

const TITLE: &str = "特种设备检验意见通知书";

pub(crate) fn render(fonts: &Fonts, doc: &NoticeDocument) -> Result<Vec<u8>, DocumentError> {
    let shaper = Shaper::new(fonts)?;
    let mut layout = Layout::new(
        &shaper,
        (
            format!("{TITLE}　编号：{}", doc.notice_no),
            doc.institute_name.clone(),
        ),
        "本通知书电子版与纸质版具有同等效力".to_owned(),
    );
    let l = &mut layout;

    masthead(l, &doc.institute_name, TITLE);
    numbers_line(
        l,
        &format!("编号：{}", doc.notice_no),
        &format!("业务流水号：{}", doc.business_no),
    );

    l.paragraph(
        LEFT,
        CONTENT_W,
        &format!("{}：", doc.enterprise_name),
        11.0,
        true,
        Align::Left,
    );
    l.gap(2.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        "　　经检验，你单位下列特种设备存在以下问题，不符合相关安全技术规范及标准的要求，请按要求进行整改。",
        BODY,
        false,
        Align::Left,
    );
    l.gap(4.0);

    l.heading(
        &format!("{}设备及检验信息", tables::section_number(1)),
        24.0,
    );
    let mut fields = doc.equipment.clone();
    fields.extend([
        Field::new("检验类别", doc.inspection_type.as_str()),
        Field::new("检验日期", format_date(doc.inspection_date)),
        Field::new("报告编号", doc.report_no.as_str()),
    ]);
    tables::fields(l, &fields);

    l.heading(
        &format!("{}存在的问题及整改要求", tables::section_number(2)),
        24.0,
    );
    problems(l, &doc.problems);

    l.heading(&format!("{}整改期限", tables::section_number(3)), 16.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        &format!(
            "　　请于 {} 前将整改报告及见证资料报送本院。",
            format_date(doc.deadline)
        ),
        BODY,
        false,
        Align::Left,
    );
    l.gap(12.0);

    // Sign-off: who issued it, and room for the enterprise to acknowledge receipt.
    l.ensure(3.0 * 28.0);
    l.row(
        LEFT,
        &[
            Cell::label("检验人员", LABEL_W),
            Cell::value(doc.inspector.as_str(), PAIR_VALUE_W),
            Cell::label("签发日期", LABEL_W),
            Cell::value(format_date(doc.issued_on), PAIR_VALUE_W),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("使用单位签收", LABEL_W),
            Cell::value("\n", PAIR_VALUE_W),
            Cell::label("签收日期", LABEL_W),
            Cell::value("", PAIR_VALUE_W),
        ],
    );
    l.gap(6.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        &doc.institute_name,
        BODY,
        false,
        Align::Right,
    );
    l.paragraph(
        LEFT,
        CONTENT_W,
        "注：本通知书一式两份，检验机构和使用单位各执一份。",
        9.0,
        false,
        Align::Left,
    );

    let pages = layout.finish();
    layout::render(&shaper, pages, &format!("{TITLE} {}", doc.notice_no))
}

fn problems(l: &mut Layout<'_, '_>, problems: &[NoticeProblem]) {
    const NUMBER_W: f32 = 40.0;
    let description_w = (CONTENT_W - NUMBER_W) * 0.55;
    let requirement_w = CONTENT_W - NUMBER_W - description_w;
    if problems.is_empty() {
        l.row(LEFT, &[Cell::value("无", CONTENT_W)]);
        return;
    }
    let header = vec![
        Cell::label("序号", NUMBER_W),
        Cell::label("存在的问题", description_w),
        Cell::label("整改要求", requirement_w),
    ];
    l.row(LEFT, &header);
    l.repeat_header(Some((LEFT, header)));
    for (index, problem) in problems.iter().enumerate() {
        l.row(
            LEFT,
            &[
                Cell::value((index + 1).to_string(), NUMBER_W).aligned(Align::Center),
                Cell::value(problem.description.as_str(), description_w),
                Cell::value(problem.requirement.as_str(), requirement_w),
            ],
        );
    }
    l.repeat_header(None);
}
