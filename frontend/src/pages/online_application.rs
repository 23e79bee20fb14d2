//! 企业自助服务 › 网上报检 (manual §5.1): apply for inspections online, with the fee estimate.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn OnlineApplication() -> impl IntoView {
    view! { <UnderConstruction path="/services/applications" /> }
}
