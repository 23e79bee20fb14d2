//! 设备管理 › 不合格设备查询 (manual §4.4): equipment whose last inspection failed, with 受理状态
//! and 检验结论.

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
    Column::Application,
    Column::LastOutcome,
    Column::NextDate,
    Column::Actions,
];

/// 不合格设备查询.
#[component]
pub fn UnqualifiedEquipment() -> impl IntoView {
    let t = t();
    view! {
        <EquipmentList
            path="/equipment/unqualified"
            view=EquipmentView::Unqualified
            columns=COLUMNS
            sorts=t.sorts_by_date
            intro=t.unqualified_intro
        />
    }
}
