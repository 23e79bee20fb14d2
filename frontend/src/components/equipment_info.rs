//! Pieces of the screens about one piece of equipment (设备档案, 变更申请, 历史变更记录): its id
//! from the route, the not-found message, and the heading that says which equipment it is.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use tejian_contract::equipment::EquipmentDetail;

use crate::auth::UiError;
use crate::components::equipment_table::use_status_badge;
use crate::i18n::t;

/// The `:id` of the route (`None` when it is not a number).
pub fn use_equipment_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())))
}

/// 404 (unknown, or another enterprise's) reads 「设备不存在或无权访问」.
pub fn equipment_error(error: UiError) -> UiError {
    if error.problem.as_ref().is_some_and(|p| p.status == 404) {
        UiError {
            message: t().equipment_not_found.to_owned(),
            ..error
        }
    } else {
        error
    }
}

/// The error of a route whose id is not a number.
pub fn bad_id() -> UiError {
    UiError::local(404, "not_found", t().equipment_not_found)
}

/// The code people know the equipment by: 注册代码, else 设备代码.
pub fn equipment_label(d: &EquipmentDetail) -> String {
    d.summary
        .registration_code
        .clone()
        .or_else(|| d.summary.equipment_code.clone())
        .unwrap_or_else(|| format!("#{}", d.summary.id))
}

/// Which equipment a screen is about: code, variety, use status.
#[component]
pub fn EquipmentHeading(detail: EquipmentDetail) -> impl IntoView {
    let t = t();
    let code_label = if detail.summary.registration_code.is_some() {
        t.registration_code
    } else {
        t.equipment_code
    };
    view! {
        <dl class="facts equipment-heading">
            <div>
                <dt>{code_label}</dt>
                <dd class="code">{equipment_label(&detail)}</dd>
            </div>
            <div>
                <dt>{t.variety}</dt>
                <dd>{format!("{} / {}", detail.summary.category_name, detail.summary.variety_name)}</dd>
            </div>
            <div>
                <dt>{t.install_location}</dt>
                <dd>{detail.summary.install_location.clone()}</dd>
            </div>
            <div>
                <dt>{t.use_status}</dt>
                <dd>{use_status_badge(detail.summary.use_status)}</dd>
            </div>
        </dl>
    }
}
