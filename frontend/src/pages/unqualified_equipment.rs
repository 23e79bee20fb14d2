//! 设备管理 › 不合格设备查询 (manual §4.4): equipment whose last inspection concluded 不合格.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn UnqualifiedEquipment() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/unqualified" /> }
}
