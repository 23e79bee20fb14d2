//! The inspection report (检验报告).

use crate::layout::{self, Align, BODY, BOTTOM, CONTENT_W, Cell, LEADING, LEFT, Layout, RIGHT};
use crate::tables::{self, LABEL_W};
use crate::text::Shaper;
use crate::{DocumentError, Field, Fonts, ReportDocument, format_date, qr};

/// Side of the QR symbol: about 30 mm.
const QR_SIZE: f32 = 84.0;
/// Width given to the QR code and its caption.
const QR_BLOCK_W: f32 = 150.0;
const CAPTION: f32 = 9.0;

pub(crate) fn render(fonts: &Fonts, doc: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    let code = qr::symbol(&doc.verification_url)?;
    let shaper = Shaper::new(fonts)?;
    let mut layout = Layout::new(
        &shaper,
        (
            format!("{}　报告编号：{}", doc.title, doc.report_no),
            doc.institute_name.clone(),
        ),
        "本报告电子版与纸质版具有同等效力".to_owned(),
    );
    let l = &mut layout;

    masthead(l, &doc.institute_name, &doc.title);
    numbers_line(
        l,
        &format!("报告编号：{}", doc.report_no),
        &format!("业务流水号：{}", doc.business_no),
    );

    let mut section = 0;
    let mut heading = |l: &mut Layout<'_, '_>, title: &str| {
        section += 1;
        l.heading(&format!("{}{title}", tables::section_number(section)), 24.0);
    };

    heading(l, "使用单位");
    tables::fields(
        l,
        &[
            Field::new("单位名称", doc.enterprise_name.as_str()),
            Field::new("单位地址", doc.enterprise_address.as_str()),
        ],
    );

    if !doc.equipment.is_empty() {
        heading(l, "设备信息");
        tables::fields(l, &doc.equipment);
    }

    if !doc.parameters.is_empty() {
        heading(l, "设备参数");
        tables::fields(l, &doc.parameters);
    }

    heading(l, "检验信息");
    tables::fields(
        l,
        &[
            Field::new("检验类别", doc.inspection_type.as_str()),
            Field::new("检验日期", format_date(doc.inspection_date)),
        ],
    );

    heading(l, "检验结论");
    l.row(
        LEFT,
        &[
            Cell::label("检验结论", LABEL_W),
            Cell::value(doc.conclusion.as_str(), CONTENT_W - LABEL_W)
                .sized(18.0, true)
                .aligned(Align::Center),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("下次检验日期", LABEL_W),
            Cell::value(
                doc.next_inspection_date
                    .map(format_date)
                    .unwrap_or_else(|| "—".to_owned()),
                CONTENT_W - LABEL_W,
            ),
        ],
    );

    heading(l, "检验发现的问题");
    problems(l, &doc.problems);

    signatures(l, doc, &code);

    let pages = layout.finish();
    layout::render(&shaper, pages, &format!("{} {}", doc.title, doc.report_no))
}

/// The institute's name and the document title, centred, as on a cover.
pub(crate) fn masthead(l: &mut Layout<'_, '_>, institute: &str, title: &str) {
    l.paragraph(LEFT, CONTENT_W, institute, 15.0, true, Align::Center);
    l.gap(4.0);
    l.paragraph(LEFT, CONTENT_W, title, 22.0, true, Align::Center);
    l.gap(10.0);
}

/// "报告编号：…" on the left and "业务流水号：…" on the right of one line (two lines when they
/// do not fit together), over a double rule.
pub(crate) fn numbers_line(l: &mut Layout<'_, '_>, left: &str, right: &str) {
    let together = l.shaper.width(left, BODY, false) + l.shaper.width(right, BODY, false) + 24.0;
    if together <= CONTENT_W {
        let line_height = BODY * LEADING;
        let baseline = layout::baseline_in(l.y, line_height, BODY);
        l.text(LEFT, baseline, BODY, false, left, Align::Left);
        l.text(RIGHT, baseline, BODY, false, right, Align::Right);
        l.y += line_height;
    } else {
        l.paragraph(LEFT, CONTENT_W, left, BODY, false, Align::Left);
        l.paragraph(LEFT, CONTENT_W, right, BODY, false, Align::Right);
    }
    l.gap(2.0);
    l.hline(LEFT, RIGHT, l.y, 1.4);
    l.hline(LEFT, RIGHT, l.y + 2.4, 0.5);
    l.gap(8.0);
}

fn problems(l: &mut Layout<'_, '_>, problems: &[String]) {
    const NUMBER_W: f32 = 44.0;
    if problems.is_empty() {
        l.row(LEFT, &[Cell::value("无", CONTENT_W)]);
        return;
    }
    let header = vec![
        Cell::label("序号", NUMBER_W),
        Cell::label("问题描述", CONTENT_W - NUMBER_W),
    ];
    l.row(LEFT, &header);
    l.repeat_header(Some((LEFT, header)));
    for (index, problem) in problems.iter().enumerate() {
        l.row(
            LEFT,
            &[
                Cell::value((index + 1).to_string(), NUMBER_W).aligned(Align::Center),
                Cell::value(problem.as_str(), CONTENT_W - NUMBER_W),
            ],
        );
    }
    l.repeat_header(None);
}

/// The signature table on the left and the QR code on the right, at the foot of the last page.
fn signatures(l: &mut Layout<'_, '_>, doc: &ReportDocument, code: &qrcode::QrCode) {
    let caption_lines: Vec<String> = {
        let mut lines = vec!["扫码验证真伪".to_owned()];
        let mut code_lines = l.shaper.wrap(
            &format!("验证码：{}", doc.verification_code),
            CAPTION,
            false,
            QR_BLOCK_W,
        );
        code_lines.truncate(3);
        lines.extend(code_lines);
        lines
    };
    let caption_line = CAPTION * 1.4;
    let signature_h = 4.0 * (BODY * LEADING + 6.0) + 6.0 + BODY * LEADING;
    let block = (QR_SIZE + 10.0 + caption_lines.len() as f32 * caption_line).max(signature_h);
    l.gap(12.0);
    l.ensure(block);
    let top = (BOTTOM - block).max(l.y);

    // QR code, centred over its caption (none without a URL).
    if !doc.verification_url.is_empty() {
        let centre = RIGHT - QR_BLOCK_W / 2.0;
        qr::draw(l, code, centre - QR_SIZE / 2.0, top, QR_SIZE);
        let mut line_top = top + QR_SIZE + 10.0;
        for line in &caption_lines {
            let baseline = layout::baseline_in(line_top, caption_line, CAPTION);
            l.text(centre, baseline, CAPTION, false, line, Align::Center);
            line_top += caption_line;
        }
    }

    // Signatures.
    let table_w = CONTENT_W - QR_BLOCK_W - 16.0;
    let none = || "—".to_owned();
    let rows = [
        ("检验", doc.inspector.clone()),
        ("审核", doc.reviewer.clone().unwrap_or_else(none)),
        ("批准", doc.approver.clone().unwrap_or_else(none)),
        ("签发日期", format_date(doc.issue_date)),
    ];
    l.y = top;
    for (label, value) in rows {
        l.row(
            LEFT,
            &[
                Cell::label(label, LABEL_W - 20.0),
                Cell::value(value, table_w - LABEL_W + 20.0),
            ],
        );
    }
    l.gap(6.0);
    l.paragraph(
        LEFT,
        table_w,
        &doc.institute_name,
        BODY,
        false,
        Align::Right,
    );
}
