//! 企业信息维护 › 基本信息维护 (manual §6.1): the enterprise's own details.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn EnterpriseInfo() -> impl IntoView {
    view! { <UnderConstruction path="/enterprise/info" /> }
}
