//! 企业自助服务 › 网上自助缴费 (manual §5.5): look up payment notices and pay online.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn OnlinePayment() -> impl IntoView {
    view! { <UnderConstruction path="/services/payments" /> }
}
