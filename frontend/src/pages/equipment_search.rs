//! 设备管理 › 设备综合查询 (manual §4.2): every piece of equipment of the enterprise, by the basic
//! conditions and 「更多条件」; per row 设备档案, 变更申请 and 历史变更记录.

use leptos::prelude::*;
use tejian_contract::equipment::EquipmentView;

use crate::components::EquipmentList;
use crate::components::equipment_table::Column;
use crate::i18n::t;

const COLUMNS: &[Column] = &[
    Column::Kind,
    Column::Code,
    Column::Certificate,
    Column::InternalNo,
    Column::Location,
    Column::UseStatus,
    Column::NextDate,
    Column::LastOutcome,
    Column::Application,
    Column::Actions,
];

/// 设备综合查询.
#[component]
pub fn EquipmentSearch() -> impl IntoView {
    let t = t();
    view! {
        <EquipmentList
            path="/equipment/search"
            view=EquipmentView::All
            columns=COLUMNS
            sorts=t.sorts_by_date
            intro=t.search_intro
            more=true
        />
    }
}
