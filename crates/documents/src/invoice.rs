//! 电子发票 / 财政电子票据: the e-invoice of a paid payment notice.

use crate::layout::{self, Align, BODY, CONTENT_W, Cell, LEFT, Layout, RIGHT};
use crate::report::numbers_line;
use crate::tables::{LABEL_W, PAIR_VALUE_W};
use crate::text::Shaper;
use crate::{DocumentError, Fonts, InvoiceDocument, format_date, qr};

const QR_SIZE: f32 = 72.0;

pub(crate) fn render(fonts: &Fonts, doc: &InvoiceDocument) -> Result<Vec<u8>, DocumentError> {
    let code = if doc.qr_text.is_empty() {
        None
    } else {
        Some(qr::symbol(&doc.qr_text)?)
    };
    let shaper = Shaper::new(fonts)?;
    let mut layout = Layout::new(
        &shaper,
        (
            format!("{}　发票号码：{}", doc.title, doc.invoice_no),
            doc.seller_name.clone(),
        ),
        "本电子票据与纸质票据具有同等法律效力".to_owned(),
    );
    let l = &mut layout;

    // Title with the QR code at the top left, as on a 数电票.
    let top = l.y;
    if let Some(code) = &code {
        qr::draw(l, code, LEFT, top, QR_SIZE);
    }
    l.y = top + 14.0;
    l.paragraph(LEFT, CONTENT_W, &doc.title, 20.0, true, Align::Center);
    l.y = l.y.max(top + QR_SIZE + 6.0);
    let right = match &doc.invoice_code {
        Some(code) => format!(
            "票据代码：{code}　开票日期：{}",
            format_date(doc.issue_date)
        ),
        None => format!("开票日期：{}", format_date(doc.issue_date)),
    };
    numbers_line(l, &format!("发票号码：{}", doc.invoice_no), &right);

    // Buyer and seller.
    for (who, name, code) in [
        ("购买方", &doc.buyer_name, &doc.buyer_credit_code),
        ("销售方", &doc.seller_name, &doc.seller_credit_code),
    ] {
        l.row(
            LEFT,
            &[
                Cell::label(format!("{who}名称"), LABEL_W),
                Cell::value(name.as_str(), PAIR_VALUE_W + 24.0),
                Cell::label("统一社会信用代码", LABEL_W + 24.0),
                Cell::value(code.as_str(), PAIR_VALUE_W - 48.0),
            ],
        );
    }
    l.gap(8.0);

    // Items.
    let widths = [
        CONTENT_W * 0.40,
        CONTENT_W * 0.08,
        CONTENT_W * 0.16,
        CONTENT_W * 0.12,
        CONTENT_W * 0.24,
    ];
    let header = vec![
        Cell::label("项目名称", widths[0]),
        Cell::label("数量", widths[1]),
        Cell::label("金额", widths[2]),
        Cell::label("税率", widths[3]),
        Cell::label("税额", widths[4]),
    ];
    l.row(LEFT, &header);
    l.repeat_header(Some((LEFT, header)));
    for line in &doc.items {
        l.row(
            LEFT,
            &[
                Cell::value(line.name.as_str(), widths[0]),
                Cell::value(line.quantity.as_str(), widths[1]).aligned(Align::Center),
                Cell::value(line.amount.as_str(), widths[2]).aligned(Align::Right),
                Cell::value(line.tax_rate.as_str(), widths[3]).aligned(Align::Center),
                Cell::value(line.tax.as_str(), widths[4]).aligned(Align::Right),
            ],
        );
    }
    l.repeat_header(None);
    l.row(
        LEFT,
        &[
            Cell::label("合计", widths[0] + widths[1]),
            Cell::value(format!("¥{}", doc.total_amount), widths[2]).aligned(Align::Right),
            Cell::value("", widths[3]),
            Cell::value(format!("¥{}", doc.total_tax), widths[4]).aligned(Align::Right),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("价税合计（大写）", LABEL_W + 20.0),
            Cell::value(
                format!("⊗{}", doc.total_in_words),
                CONTENT_W - 2.0 * (LABEL_W + 20.0) - 90.0,
            ),
            Cell::label("（小写）", LABEL_W + 20.0),
            Cell::value(format!("¥{}", doc.total), 90.0).aligned(Align::Right),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("备注", LABEL_W),
            Cell::value(doc.remark.as_str(), CONTENT_W - LABEL_W),
        ],
    );
    l.gap(10.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        &format!("开票人：{}", doc.issuer),
        BODY,
        false,
        Align::Left,
    );
    l.paragraph(
        LEFT,
        RIGHT - LEFT,
        &doc.seller_name,
        BODY,
        false,
        Align::Right,
    );

    let pages = layout.finish();
    layout::render(&shaper, pages, &format!("{} {}", doc.title, doc.invoice_no))
}
