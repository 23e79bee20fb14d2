//! 设备管理 › 超期设备查询 (manual §4.3): equipment in use past its next inspection date, with
//! 下次检验日期 and 超期天数, the longest overdue first.

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
    Column::NextDate,
    Column::OverdueDays,
    Column::Actions,
];

/// 超期设备查询.
#[component]
pub fn OverdueEquipment() -> impl IntoView {
    let t = t();
    view! {
        <EquipmentList
            path="/equipment/overdue"
            view=EquipmentView::Overdue
            columns=COLUMNS
            sorts=t.sorts_overdue
            intro=t.overdue_intro
        />
    }
}
