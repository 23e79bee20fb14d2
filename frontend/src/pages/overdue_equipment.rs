//! 设备管理 › 超期设备查询 (manual §4.3): equipment past its next inspection date.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn OverdueEquipment() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/overdue" /> }
}
