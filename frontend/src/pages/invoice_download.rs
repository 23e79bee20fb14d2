//! 企业自助服务 › 电子发票下载 (manual §5.6): electronic invoices.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn InvoiceDownload() -> impl IntoView {
    view! { <UnderConstruction path="/services/invoices" /> }
}
