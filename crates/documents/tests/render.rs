//! Renders the documents and reads them back with poppler-utils (pdftotext, pdfinfo, pdffonts),
//! as a person's PDF viewer would. Needs poppler-utils and a CJK font (fonts-noto-cjk, or
//! TEJIAN_CJK_FONT); CI installs both, and a missing one fails the tests rather than skipping them.
//!
//! Set TEJIAN_DOCUMENTS_KEEP=/some/dir to keep the PDFs for a look.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tejian_documents::{
    DocumentError, Fonts, NoticeDocument, ReportDocument, format_date, render_notice,
    render_report, samples, zip_single,
};

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let configured = std::env::var_os("TEJIAN_CJK_FONT").map(PathBuf::from);
        Fonts::load(configured.as_deref()).unwrap_or_else(|e| {
            panic!("{e}\n(install a CJK font: apt-get install -y fonts-noto-cjk)")
        })
    })
}

/// Writes `pdf` to a temporary file (or TEJIAN_DOCUMENTS_KEEP/`name`).
fn save(name: &str, pdf: &[u8]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let path = match std::env::var_os("TEJIAN_DOCUMENTS_KEEP") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            Path::new(&dir).join(name)
        }
        None => std::env::temp_dir().join(format!(
            "tejian-documents-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        )),
    };
    std::fs::write(&path, pdf).unwrap();
    path
}

/// Runs a poppler tool; fails clearly when it is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {tool} ({e}): these tests need poppler-utils \
                 (apt-get install -y poppler-utils)"
            )
        });
    assert!(
        output.status.success(),
        "{tool} {args:?} {} failed: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn text_of(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

fn pages_of(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"))
}

/// Each word's box per page, from `pdftotext -bbox`.
fn word_boxes(pdf: &Path) -> Vec<Vec<(String, [f32; 4])>> {
    let html = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for word in page.split("<word ").skip(1) {
            let (tag, rest) = word.split_once('>').unwrap();
            let text = rest.split('<').next().unwrap_or_default().to_owned();
            let bbox = ["xMin", "yMin", "xMax", "yMax"].map(|name| attr(tag, name));
            words.push((text, bbox));
        }
        pages.push(words);
    }
    pages
}

/// No two words on a page overlap, and all lie on the page.
fn assert_no_overlaps(pdf: &Path) {
    for (number, words) in word_boxes(pdf).iter().enumerate() {
        for (i, (a, ab)) in words.iter().enumerate() {
            assert!(
                ab[0] >= 0.0 && ab[1] >= 0.0 && ab[2] <= 595.3 && ab[3] <= 841.9,
                "page {}: {a:?} {ab:?} is off the page",
                number + 1
            );
            for (b, bb) in &words[i + 1..] {
                let overlap_x = ab[2].min(bb[2]) - ab[0].max(bb[0]);
                let overlap_y = ab[3].min(bb[3]) - ab[1].max(bb[1]);
                assert!(
                    overlap_x <= 0.5 || overlap_y <= 0.5,
                    "page {}: {a:?} {ab:?} overlaps {b:?} {bb:?}",
                    number + 1
                );
            }
        }
    }
}

fn assert_pdf(bytes: &[u8]) {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "not a PDF: {:?}",
        &bytes[..bytes.len().min(16)]
    );
}

#[test]
fn report_text_is_extractable_and_the_font_embedded() {
    let doc = samples::report();
    let pdf = render_report(fonts(), &doc).unwrap();
    assert_pdf(&pdf);
    let path = save("report.pdf", &pdf);
    let text = text_of(&path);
    for expected in [
        doc.report_no.as_str(),
        doc.business_no.as_str(),
        doc.enterprise_name.as_str(),
        doc.conclusion.as_str(),
        doc.title.as_str(),
        doc.institute_name.as_str(),
        doc.verification_code.as_str(),
        "检验结论",
        "使用单位",
        "设备代码",
        "31103305022018060012",
        "额定速度",
        "1.75 m/s",
        "2026年11月27日",
        "下次检验日期",
        "2027年11月26日",
        "扫码验证真伪",
        "本报告电子版与纸质版具有同等效力",
        "轿厢内紧急报警装置",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the text:\n{text}"
        );
    }
    assert_eq!(pages_of(&path), 1);
    let fonts = poppler("pdffonts", &[], &path);
    let cjk: Vec<&str> = fonts.lines().filter(|l| l.contains("Identity-H")).collect();
    assert!(!cjk.is_empty(), "no CID font in:\n{fonts}");
    for line in cjk {
        // Columns: emb sub uni.
        assert!(
            line.contains("yes yes yes"),
            "font not embedded and subsetted: {line}"
        );
    }
    assert_no_overlaps(&path);
}

#[test]
fn notice_text_is_extractable() {
    let doc = samples::notice(3);
    let pdf = render_notice(fonts(), &doc).unwrap();
    assert_pdf(&pdf);
    let path = save("notice.pdf", &pdf);
    let text = text_of(&path);
    for expected in [
        doc.notice_no.as_str(),
        doc.report_no.as_str(),
        doc.enterprise_name.as_str(),
        "特种设备检验意见通知书",
        "存在的问题",
        "整改要求",
        "限速器校验标签超过有效期",
        "请于 2026年12月27日 前将整改报告及见证资料报送本院",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the text:\n{text}"
        );
    }
    assert_eq!(pages_of(&path), 1);
    assert_no_overlaps(&path);
}

#[test]
fn notice_with_60_problems_flows_onto_more_pages() {
    let doc = samples::notice(60);
    let pdf = render_notice(fonts(), &doc).unwrap();
    let path = save("notice-60.pdf", &pdf);
    let pages = pages_of(&path);
    assert!(pages >= 2, "60 problems on {pages} page(s)");
    let last = poppler(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &pages.to_string(),
            "-l",
            &pages.to_string(),
        ],
        &path,
    );
    assert!(
        last.contains("请于 2026年12月27日 前"),
        "deadline not on the last page:\n{last}"
    );
    let second = poppler("pdftotext", &["-enc", "UTF-8", "-f", "2", "-l", "2"], &path);
    assert!(
        second.contains("整改要求"),
        "the table header is not repeated on page 2:\n{second}"
    );
    assert!(
        second.contains(&doc.notice_no),
        "no running head on page 2:\n{second}"
    );
    assert!(
        second.contains(&format!("第 2 页 共 {pages} 页"))
            || second.contains(&format!("第2页共{pages}页"))
    );
    // Every problem number is there, once per page at most.
    let text = text_of(&path);
    assert!(text.contains("60"), "problem 60 is missing");
    assert_no_overlaps(&path);
}

fn stress_report() -> ReportDocument {
    let long = "超长的文本".repeat(300);
    let mut doc = samples::report();
    doc.enterprise_name = format!("湖州{long}有限公司");
    doc.enterprise_address = "A".repeat(2_000);
    doc.title = "很长的报告标题".repeat(20);
    doc.report_no = "NO-".repeat(50);
    doc.equipment.push(tejian_documents::Field::new(
        "很长很长很长很长的标签名称",
        "值",
    ));
    doc.equipment.push(tejian_documents::Field::new("", ""));
    doc.parameters.push(tejian_documents::Field::new(
        "说明",
        "first line\nsecond line\twith a tab\r\n第三行（带括号）、标点。".repeat(5),
    ));
    doc.problems = (1..=200)
        .map(|i| {
            format!(
                "第{i}项问题：{}",
                "描述文字，包括 English words and 12345 numbers。".repeat(i % 4 + 1)
            )
        })
        .collect();
    doc.conclusion = "不合格".repeat(30);
    doc.verification_code = "X".repeat(300);
    doc
}

#[test]
fn report_with_200_problems_and_very_long_strings_flows_without_overlaps() {
    let doc = stress_report();
    let pdf = render_report(fonts(), &doc).unwrap();
    assert_pdf(&pdf);
    let path = save("report-stress.pdf", &pdf);
    let pages = pages_of(&path);
    assert!(pages >= 5, "200 problems on {pages} page(s)");
    let text = text_of(&path);
    assert!(text.contains("第200项问题"));
    assert!(text.contains("第三行（带括号）"));
    let last = poppler(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &pages.to_string(),
            "-l",
            &pages.to_string(),
        ],
        &path,
    );
    assert!(
        last.contains("扫码验证真伪"),
        "no QR caption on the last page:\n{last}"
    );
    assert_no_overlaps(&path);
}

#[test]
fn empty_documents_render() {
    let date = time::macros::date!(2026 - 01 - 01);
    let report = ReportDocument {
        institute_name: String::new(),
        title: String::new(),
        report_no: String::new(),
        business_no: String::new(),
        enterprise_name: String::new(),
        enterprise_address: String::new(),
        equipment: Vec::new(),
        parameters: Vec::new(),
        inspection_type: String::new(),
        inspection_date: date,
        conclusion: String::new(),
        problems: Vec::new(),
        next_inspection_date: None,
        inspector: String::new(),
        reviewer: None,
        approver: None,
        issue_date: date,
        verification_code: String::new(),
        verification_url: String::new(),
    };
    let pdf = render_report(fonts(), &report).unwrap();
    assert_pdf(&pdf);
    let path = save("report-empty.pdf", &pdf);
    assert_eq!(pages_of(&path), 1);
    assert!(text_of(&path).contains("2026年1月1日"));

    let notice = NoticeDocument {
        institute_name: String::new(),
        notice_no: String::new(),
        enterprise_name: String::new(),
        equipment: Vec::new(),
        inspection_type: String::new(),
        inspection_date: date,
        report_no: String::new(),
        business_no: String::new(),
        problems: Vec::new(),
        deadline: date,
        inspector: String::new(),
        issued_on: date,
    };
    let pdf = render_notice(fonts(), &notice).unwrap();
    let path = save("notice-empty.pdf", &pdf);
    assert_eq!(pages_of(&path), 1);
}

#[test]
fn rendering_is_deterministic() {
    let doc = samples::report();
    assert!(render_report(fonts(), &doc).unwrap() == render_report(fonts(), &doc).unwrap());
}

#[test]
fn zip_single_round_trips() {
    let pdf = render_report(fonts(), &samples::report()).unwrap();
    let archive = zip_single("DT2026-HZ-001234 检验报告.pdf", &pdf).unwrap();
    assert!(archive.starts_with(b"PK"));
    assert!(archive.len() < pdf.len() + 1024);
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).unwrap();
    assert_eq!(zip.len(), 1);
    let mut entry = zip.by_index(0).unwrap();
    assert_eq!(entry.name().unwrap(), "DT2026-HZ-001234 检验报告.pdf");
    assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    let mut back = Vec::new();
    entry.read_to_end(&mut back).unwrap();
    assert!(back == pdf);

    let empty = zip_single("empty.txt", b"").unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(empty)).unwrap();
    assert_eq!(zip.by_index(0).unwrap().size(), 0);
}

#[test]
fn a_missing_configured_font_is_reported() {
    let err = Fonts::load(Some(Path::new("/nonexistent/font.ttf"))).unwrap_err();
    assert!(
        matches!(&err, DocumentError::FontNotFound(m) if m.contains("/nonexistent/font.ttf")),
        "{err}"
    );
    // A font without Chinese glyphs is refused too (when one is around to try).
    let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.exists() {
        let err = Fonts::load(Some(latin)).unwrap_err();
        assert!(err.to_string().contains("no glyph"), "{err}");
    }
}

#[test]
fn a_collection_face_can_be_named() {
    let (path, index) = fonts().regular_path();
    if path.extension().is_some_and(|e| e == "ttc") {
        let named = format!("{}#{index}", path.display());
        let again = Fonts::load(Some(Path::new(&named))).unwrap();
        assert_eq!(again.regular_path(), (path, index));
    }
}

#[test]
fn dates_are_printed_the_chinese_way() {
    assert_eq!(
        format_date(time::macros::date!(2026 - 11 - 27)),
        "2026年11月27日"
    );
    assert_eq!(
        format_date(time::macros::date!(2027 - 03 - 05)),
        "2027年3月5日"
    );
}

#[test]
fn fonts_can_be_shared_between_server_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Fonts>();
}

#[test]
fn invoice_text_is_extractable() {
    let doc = tejian_documents::InvoiceDocument {
        title: "电子发票（普通发票）".to_owned(),
        invoice_no: "26331000000000000042".to_owned(),
        invoice_code: None,
        issue_date: time::macros::date!(2026 - 11 - 27),
        buyer_name: "湖州吴兴金鼎纺织有限公司".to_owned(),
        buyer_credit_code: "91330502MA2B3C4D5E".to_owned(),
        seller_name: "湖州市特种设备检测研究院".to_owned(),
        seller_credit_code: "12330500470000000X".to_owned(),
        items: vec![tejian_documents::InvoiceLine {
            name: "*鉴证咨询服务*检验费".to_owned(),
            quantity: "1".to_owned(),
            amount: "358.49".to_owned(),
            tax_rate: "6%".to_owned(),
            tax: "21.51".to_owned(),
        }],
        total_amount: "358.49".to_owned(),
        total_tax: "21.51".to_owned(),
        total: "380.00".to_owned(),
        total_in_words: "叁佰捌拾元整".to_owned(),
        remark: "缴款通知书 26330500000000000421".to_owned(),
        issuer: "检验院 张工".to_owned(),
        qr_text: "http://127.0.0.1:8080/invoice/26331000000000000042".to_owned(),
    };
    let pdf = tejian_documents::render_invoice(fonts(), &doc).unwrap();
    assert_pdf(&pdf);
    let path = save("invoice", &pdf);
    let text = text_of(&path);
    for needle in [
        "26331000000000000042",
        "叁佰捌拾元整",
        "价税合计",
        "湖州吴兴金鼎纺织有限公司",
        "21.51",
    ] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
    assert_no_overlaps(&path);
}
