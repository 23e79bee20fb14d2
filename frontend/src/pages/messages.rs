//! 企业自助服务 › 交流互动 (manual §5.4): conversations with the market supervision bureaus.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn Messages() -> impl IntoView {
    view! { <UnderConstruction path="/services/messages" /> }
}
