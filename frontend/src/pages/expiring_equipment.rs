//! 设备管理 › 即将到期设备 (manual §4.6): equipment in use whose next inspection falls within the
//! chosen horizon (30 / 60 / 90 天), with 受理状态 and 下次检验日期.

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
    Column::NextDate,
    Column::Actions,
];

/// 即将到期设备.
#[component]
pub fn ExpiringEquipment() -> impl IntoView {
    let t = t();
    view! {
        <EquipmentList
            path="/equipment/expiring"
            view=EquipmentView::Expiring
            columns=COLUMNS
            sorts=t.sorts_by_date
            intro=t.expiring_intro
        />
    }
}
