//! The server's side of PDF rendering: finds the CJK font once, renders off the async runtime,
//! and knows the institute's name and the public address of the verification page.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use tejian_documents::{
    AccountFormDocument, DocumentError, Fonts, InvoiceDocument, NoticeDocument, ReportDocument,
};

use crate::error::{AppError, AppResult};

/// 湖州市特种设备检测研究院: the name printed on every document.
pub const INSTITUTE_NAME: &str = "湖州市特种设备检测研究院";

/// Fonts (loaded on first use) and the settings documents need.
#[derive(Debug)]
pub struct Documents {
    font_path: Option<PathBuf>,
    fonts: OnceLock<Arc<Fonts>>,
    /// The account application form, rendered on first request.
    account_form: OnceLock<Vec<u8>>,
    /// The public base URL of the SPA (`TEJIAN_PUBLIC_URL`), for QR codes.
    pub public_url: String,
}

impl Documents {
    /// `font_path` is `TEJIAN_CJK_FONT`; `None` searches the usual system font folders.
    pub fn new(font_path: Option<PathBuf>, public_url: String) -> Self {
        Self {
            font_path,
            fonts: OnceLock::new(),
            account_form: OnceLock::new(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    fn fonts(&self) -> AppResult<Arc<Fonts>> {
        if let Some(fonts) = self.fonts.get() {
            return Ok(fonts.clone());
        }
        let loaded = Fonts::load(self.font_path.as_deref()).map_err(|e| {
            tracing::error!(error = %e, "no CJK font for PDFs; set TEJIAN_CJK_FONT");
            AppError::Unavailable
        })?;
        Ok(self.fonts.get_or_init(|| Arc::new(loaded)).clone())
    }

    /// The address the QR code of a report points at.
    pub fn verification_url(&self, report_no: &str, code: &str) -> String {
        format!(
            "{}/verify?report_no={}&code={}",
            self.public_url,
            url_encode(report_no),
            url_encode(code)
        )
    }

    /// Renders a report (on a blocking thread: layout and font subsetting take CPU time).
    pub async fn report_pdf(&self, doc: ReportDocument) -> AppResult<Vec<u8>> {
        let fonts = self.fonts()?;
        run(move || tejian_documents::render_report(&fonts, &doc)).await
    }

    /// Renders an e-invoice.
    pub async fn invoice_pdf(&self, doc: InvoiceDocument) -> AppResult<Vec<u8>> {
        let fonts = self.fonts()?;
        run(move || tejian_documents::render_invoice(&fonts, &doc)).await
    }

    /// The 企业服务平台账号申请表 (the same for everyone: rendered once, then kept).
    pub async fn account_application_pdf(&self) -> AppResult<Vec<u8>> {
        use tejian_domain::registration as r;
        if let Some(pdf) = self.account_form.get() {
            return Ok(pdf.clone());
        }
        let fonts = self.fonts()?;
        let doc = AccountFormDocument {
            institute_name: INSTITUTE_NAME.to_owned(),
            unit_types: r::UnitType::all()
                .iter()
                .map(|t| t.label_zh().to_owned())
                .collect(),
            mobile_note: r::MOBILE_NOTE.to_owned(),
            mail_address: r::MAIL_ADDRESS.to_owned(),
            mail_recipient: r::MAIL_RECIPIENT.to_owned(),
            phone: r::CONTACT_PHONE.to_owned(),
            delivery_address: r::DELIVERY_ADDRESS.to_owned(),
        };
        let pdf = run(move || tejian_documents::render_account_form(&fonts, &doc)).await?;
        Ok(self.account_form.get_or_init(|| pdf).clone())
    }

    /// Renders an inspection opinion notice.
    pub async fn notice_pdf(&self, doc: NoticeDocument) -> AppResult<Vec<u8>> {
        let fonts = self.fonts()?;
        run(move || tejian_documents::render_notice(&fonts, &doc)).await
    }
}

async fn run(
    job: impl FnOnce() -> Result<Vec<u8>, DocumentError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// Percent-encodes a query value (report numbers and codes are ASCII; be safe anyway).
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_urls_are_encoded() {
        let d = Documents::new(None, "https://example.org/".to_owned());
        assert_eq!(
            d.verification_url("DT2026-000001", "AB CD"),
            "https://example.org/verify?report_no=DT2026-000001&code=AB%20CD"
        );
    }
}
