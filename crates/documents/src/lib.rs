//! tejian's PDFs, rendered server-side: the inspection report (检验报告) and the rectification
//! notice (检验意见通知书), A4 portrait, set in an embedded (subsetted) CJK font so the text stays
//! searchable and extractable; plus [`zip_single`] for the report download.
//!
//! Load [`Fonts`] once (it reads the font file) and share it; each render is independent.

mod account_form;
mod fonts;
mod invoice;
mod layout;
mod notice;
mod qr;
mod report;
pub mod samples;
mod tables;
mod text;

use std::io::{Cursor, Write};

pub use fonts::{Fonts, SYSTEM_FONT_PATHS};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// No usable CJK font: the message lists what was tried.
    #[error("CJK font not found: {0}")]
    FontNotFound(String),
    #[error("PDF rendering failed: {0}")]
    Render(String),
    #[error("zip archive failed: {0}")]
    Zip(String),
}

/// One "label: value" line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    pub label: String,
    pub value: String,
}

impl Field {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// An inspection report (检验报告).
#[derive(Debug, Clone)]
pub struct ReportDocument {
    /// 湖州市特种设备检测研究院
    pub institute_name: String,
    /// e.g. "电梯定期检验报告"
    pub title: String,
    pub report_no: String,
    /// 业务流水号
    pub business_no: String,
    pub enterprise_name: String,
    pub enterprise_address: String,
    /// Identity: 设备品种, 设备代码, 注册代码, 使用登记证编号, 单位内编号, 制造单位, 型号, 出厂编号,
    /// 安装地点.
    pub equipment: Vec<Field>,
    /// e.g. 额定速度: 1.75 m/s. The section is left out when empty.
    pub parameters: Vec<Field>,
    /// 定期检验
    pub inspection_type: String,
    pub inspection_date: time::Date,
    /// 合格 / 不合格 / 符合要求 ...
    pub conclusion: String,
    /// May be empty (printed as 无).
    pub problems: Vec<String>,
    pub next_inspection_date: Option<time::Date>,
    pub inspector: String,
    /// 审核
    pub reviewer: Option<String>,
    /// 批准
    pub approver: Option<String>,
    pub issue_date: time::Date,
    pub verification_code: String,
    /// The content of the QR code.
    pub verification_url: String,
}

/// Renders an inspection report as a PDF.
pub fn render_report(fonts: &Fonts, doc: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    report::render(fonts, doc)
}

/// One problem of a rectification notice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoticeProblem {
    pub description: String,
    pub requirement: String,
}

/// A rectification notice (特种设备检验意见通知书).
#[derive(Debug, Clone)]
pub struct NoticeDocument {
    pub institute_name: String,
    pub notice_no: String,
    pub enterprise_name: String,
    /// 设备品种, 设备代码, 注册代码, 使用登记证编号 ...
    pub equipment: Vec<Field>,
    pub inspection_type: String,
    pub inspection_date: time::Date,
    pub report_no: String,
    pub business_no: String,
    pub problems: Vec<NoticeProblem>,
    /// 整改期限: printed as "请于 2026年12月27日 前将整改报告及见证资料报送本院".
    pub deadline: time::Date,
    pub inspector: String,
    pub issued_on: time::Date,
}

/// Renders a rectification notice as a PDF.
pub fn render_notice(fonts: &Fonts, doc: &NoticeDocument) -> Result<Vec<u8>, DocumentError> {
    notice::render(fonts, doc)
}

/// One line of an invoice (amounts already formatted, e.g. `358.49`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// 项目名称, e.g. `*鉴证咨询服务*检验费`.
    pub name: String,
    pub quantity: String,
    pub amount: String,
    /// e.g. `6%`, `免税`, `不征税`.
    pub tax_rate: String,
    pub tax: String,
}

/// An e-invoice (电子发票（普通发票）) or fiscal receipt (财政电子票据).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    /// e.g. `电子发票（普通发票）`.
    pub title: String,
    pub invoice_no: String,
    /// 票据代码 (fiscal receipts only).
    pub invoice_code: Option<String>,
    pub issue_date: time::Date,
    pub buyer_name: String,
    pub buyer_credit_code: String,
    pub seller_name: String,
    pub seller_credit_code: String,
    pub items: Vec<InvoiceLine>,
    pub total_amount: String,
    pub total_tax: String,
    /// 价税合计 in figures.
    pub total: String,
    /// 价税合计 in capital words.
    pub total_in_words: String,
    pub remark: String,
    /// 开票人.
    pub issuer: String,
    /// What the QR code encodes (empty: none).
    pub qr_text: String,
}

/// Renders an invoice as a PDF.
pub fn render_invoice(fonts: &Fonts, doc: &InvoiceDocument) -> Result<Vec<u8>, DocumentError> {
    invoice::render(fonts, doc)
}

/// 企业服务平台账号申请表: the printable offline registration form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFormDocument {
    pub institute_name: String,
    /// The unit types to tick, e.g. 使用单位.
    pub unit_types: Vec<String>,
    /// The note on what the two mobile numbers are for.
    pub mobile_note: String,
    pub mail_address: String,
    pub mail_recipient: String,
    pub phone: String,
    pub delivery_address: String,
}

/// Renders the account application form as a PDF.
pub fn render_account_form(
    fonts: &Fonts,
    doc: &AccountFormDocument,
) -> Result<Vec<u8>, DocumentError> {
    account_form::render(fonts, doc)
}

/// A zip archive holding one file (the manual's report download is a zip with the PDF),
/// deflated. The entry is dated 1980-01-01 00:00 (zip's epoch) so equal input gives an equal
/// archive; [`zip_single_dated`] sets a real date.
pub fn zip_single(file_name: &str, bytes: &[u8]) -> Result<Vec<u8>, DocumentError> {
    zip_with(file_name, bytes, zip::DateTime::default())
}

/// Like [`zip_single`], with the entry dated `modified` (local time, as zip has no zones; years
/// outside 1980..=2107 fall back to 1980-01-01).
pub fn zip_single_dated(
    file_name: &str,
    bytes: &[u8],
    modified: time::PrimitiveDateTime,
) -> Result<Vec<u8>, DocumentError> {
    let when = u16::try_from(modified.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                u8::from(modified.month()),
                modified.day(),
                modified.hour(),
                modified.minute(),
                modified.second(),
            )
            .ok()
        })
        .unwrap_or_default();
    zip_with(file_name, bytes, when)
}

fn zip_with(
    file_name: &str,
    bytes: &[u8],
    modified: zip::DateTime,
) -> Result<Vec<u8>, DocumentError> {
    let zip_error = |e: zip::result::ZipError| DocumentError::Zip(e.to_string());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .last_modified_time(modified)
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(u64::try_from(bytes.len()).unwrap_or(u64::MAX) >= u64::from(u32::MAX));
    writer.start_file(file_name, options).map_err(zip_error)?;
    writer
        .write_all(bytes)
        .map_err(|e| DocumentError::Zip(e.to_string()))?;
    let cursor = writer.finish().map_err(zip_error)?;
    Ok(cursor.into_inner())
}

/// A date as printed on the documents: 2026年11月27日.
pub fn format_date(date: time::Date) -> String {
    format!(
        "{}年{}月{}日",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
