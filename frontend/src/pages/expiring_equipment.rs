//! 设备管理 › 即将到期设备 (manual §4.6): equipment whose next inspection is due soon.
//!
//! Built by a later issue; until then the screen says so (no sample data).

use leptos::prelude::*;

use crate::components::UnderConstruction;

#[component]
pub fn ExpiringEquipment() -> impl IntoView {
    view! { <UnderConstruction path="/equipment/expiring" /> }
}
