//! 设备管理 › 非在用设备查询 (manual §4.5): equipment not in use (未投入使用, 停用, 报废 …, or with
//! its registration cancelled), with 使用状态 and 变更日期.

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
    Column::ChangedOn,
    Column::Actions,
];

/// 非在用设备查询.
#[component]
pub fn InactiveEquipment() -> impl IntoView {
    let t = t();
    view! {
        <EquipmentList
            path="/equipment/inactive"
            view=EquipmentView::Inactive
            columns=COLUMNS
            sorts=t.sorts_by_date
            intro=t.inactive_intro
        />
    }
}
