//! 设备管理 › 非在用设备查询 (manual §4.5): equipment that is not in use (停用, 报废, …).
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn InactiveEquipment() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/inactive" /> }
}
