//! 企业服务平台账号申请表 (manual 3.2.1): the paper form for offline registration, with empty
//! boxes to fill in by hand, room for the company seal and where to send it.

use crate::layout::{self, Align, BODY, CONTENT_W, Cell, LEFT, Layout};
use crate::report::masthead;
use crate::tables::{LABEL_W, PAIR_VALUE_W};
use crate::text::Shaper;
use crate::{AccountFormDocument, DocumentError, Fonts};

const TITLE: &str = "企业服务平台账号申请表";

pub(crate) fn render(fonts: &Fonts, doc: &AccountFormDocument) -> Result<Vec<u8>, DocumentError> {
    let shaper = Shaper::new(fonts)?;
    let mut layout = Layout::new(
        &shaper,
        (TITLE.to_owned(), doc.institute_name.clone()),
        "请用黑色钢笔或签字笔正楷填写，所有信息必须完整、正确".to_owned(),
    );
    let l = &mut layout;
    masthead(l, &doc.institute_name, TITLE);

    let boxes: Vec<String> = doc.unit_types.iter().map(|t| format!("□ {t}")).collect();
    l.row(
        LEFT,
        &[
            Cell::label("单位类型", LABEL_W),
            Cell::value(boxes.join("　　"), CONTENT_W - LABEL_W),
        ],
    );
    // Two text lines of room in every box, so a hand-written entry fits.
    let blank = "\n";
    for label in ["单位名称", "统一社会信用代码", "单位地址"] {
        l.row(
            LEFT,
            &[
                Cell::label(label, LABEL_W),
                Cell::value(blank, CONTENT_W - LABEL_W),
            ],
        );
    }
    for (a, b) in [
        ("所在区县", "法定代表人"),
        ("安全管理负责人", "安全管理负责人手机"),
        ("申请人", "申请人手机"),
    ] {
        l.row(
            LEFT,
            &[
                Cell::label(a, LABEL_W),
                Cell::value(blank, PAIR_VALUE_W),
                Cell::label(b, LABEL_W),
                Cell::value(blank, PAIR_VALUE_W),
            ],
        );
    }
    l.row(
        LEFT,
        &[
            Cell::label("电子邮箱（选填）", LABEL_W),
            Cell::value(blank, CONTENT_W - LABEL_W),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("申请单位\n（加盖公章）", LABEL_W),
            Cell::value(
                "本单位已阅读并同意《湖州市特种设备企业服务平台企业客户服务条款》，保证以上信息真实、准确、完整。\n\n\n\n（加盖公章）　　　　　　年　　月　　日",
                CONTENT_W - LABEL_W,
            ),
        ],
    );
    l.gap(4.0);
    l.paragraph(LEFT, CONTENT_W, &doc.mobile_note, 9.0, false, Align::Left);
    l.gap(6.0);

    l.paragraph(
        LEFT,
        CONTENT_W,
        "以下由湖州市特种设备检测研究院填写",
        9.0,
        false,
        Align::Left,
    );
    l.row(
        LEFT,
        &[
            Cell::label("受理人", LABEL_W),
            Cell::value("", PAIR_VALUE_W),
            Cell::label("受理日期", LABEL_W),
            Cell::value("", PAIR_VALUE_W),
        ],
    );
    l.row(
        LEFT,
        &[
            Cell::label("开通账号", LABEL_W),
            Cell::value("", CONTENT_W - LABEL_W),
        ],
    );

    l.heading("递交方式", 60.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        "请将本申请表和《营业执照》复印件通过以下方式送至湖州市特种设备检测研究院：",
        BODY,
        false,
        Align::Left,
    );
    for line in [
        "（1）、邮寄".to_owned(),
        format!("　　地址：{}；", doc.mail_address),
        format!("　　收件人：{}；", doc.mail_recipient),
        format!("　　联系电话：{}。", doc.phone),
        "（2）、现场送达".to_owned(),
        format!("　　地址：{}。", doc.delivery_address),
        "（3）、设备检验时交给检验员。".to_owned(),
    ] {
        l.paragraph(LEFT, CONTENT_W, &line, BODY, false, Align::Left);
    }
    l.gap(4.0);
    l.paragraph(
        LEFT,
        CONTENT_W,
        "审核通过后，平台账号和初始密码将以短信发送至申请人手机，首次登录须修改密码。",
        BODY,
        false,
        Align::Left,
    );

    let pages = layout.finish();
    layout::render(&shaper, pages, TITLE)
}
