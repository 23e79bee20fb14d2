//! 企业自助服务 › 检验意见通知书 (manual §5.3): inspection opinion notices and rectification.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn InspectionNotices() -> impl IntoView {
    view! { <UnderConstruction path="/services/notices" /> }
}
