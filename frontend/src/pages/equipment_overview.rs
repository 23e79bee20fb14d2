//! 设备管理 › 设备总览 (manual §4.1): counts of the enterprise's equipment by category and status.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn EquipmentOverview() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/overview" /> }
}
