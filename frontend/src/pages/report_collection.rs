//! 企业自助服务 › 报告领取查询 (manual §5.2): find and download inspection reports.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn ReportCollection() -> impl IntoView {
    view! { <UnderConstruction path="/services/reports" /> }
}
