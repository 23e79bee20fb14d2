//! 设备管理 › 设备综合查询 (manual §4.2): search the equipment with filters and 更多条件.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn EquipmentSearch() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/search" /> }
}
