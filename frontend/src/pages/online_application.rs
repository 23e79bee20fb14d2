//! 企业自助服务 › 网上报检 (manual §5.1.1–5.1.4): the equipment that can be applied for (not
//! scrapped, cancelled or moved out, and without an open application), found with the same
//! conditions as 设备综合查询 and 「更多条件」; per row 「申报登记」, and 「检验申报」 for the ticked rows.
//! Both open the application form (`/services/applications/new?equipment=…`).

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use tejian_contract::equipment::EquipmentView;

use crate::components::EquipmentList;
use crate::components::equipment_table::Column;
use crate::i18n::t;

/// The most units one application may hold (the server's limit).
pub const MAX_ITEMS: usize = 200;

const COLUMNS: &[Column] = &[
    Column::Kind,
    Column::Code,
    Column::Certificate,
    Column::Location,
    Column::UseStatus,
    Column::NextDate,
    Column::LastOutcome,
    Column::Apply,
];

/// Which page of 网上报检 is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationTab {
    /// 报检申请: choose equipment, fill in the form.
    Apply,
    /// 报检查询 (5.1.9).
    History,
}

/// The two pages of 网上报检 as tabs (links, so each has its own address).
#[component]
pub fn ApplicationTabs(active: ApplicationTab) -> impl IntoView {
    let t = t();
    let link = |tab: ApplicationTab, href: &'static str, text: &'static str| {
        let current = tab == active;
        view! {
            <a
                href=href
                class="subnav-link"
                class:active=current
                aria-current=current.then_some("page")
            >
                {text}
            </a>
        }
    };
    view! {
        <nav class="subnav" aria-label=t.screen_applications>
            {link(ApplicationTab::Apply, "/services/applications", t.tab_apply)}
            {link(ApplicationTab::History, "/services/applications/history", t.tab_history)}
        </nav>
    }
}

/// The form's address for these units.
pub fn form_url(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("/services/applications/new?equipment={}", list.join(","))
}

/// 网上报检.
#[component]
pub fn OnlineApplication() -> impl IntoView {
    let t = t();
    let navigate = use_navigate();
    let selected = RwSignal::new(Vec::<i64>::new());
    let too_many = RwSignal::new(false);

    let apply = move |_| {
        let ids = selected.get_untracked();
        if ids.is_empty() {
            return;
        }
        if ids.len() > MAX_ITEMS {
            too_many.set(true);
            return;
        }
        navigate(&form_url(&ids), NavigateOptions::default());
    };
    let apply = StoredValue::new_local(apply);

    let toolbar = move || {
        let count = move || selected.with(Vec::len);
        view! {
            <div class="batch-actions">
                <span class="batch-count" role="status">
                    {move || format!("{}{} {}", t.selected_prefix, count(), t.units)}
                </span>
                <button
                    type="button"
                    id="batch-apply"
                    class="btn btn-primary"
                    disabled=move || count() == 0
                    on:click=move |ev| apply.with_value(|f| f(ev))
                >
                    {t.apply_batch}
                </button>
                <button
                    type="button"
                    class="btn-link"
                    hidden=move || count() == 0
                    on:click=move |_| {
                        selected.set(Vec::new());
                        too_many.set(false);
                    }
                >
                    {t.clear_selection}
                </button>
                {move || {
                    too_many
                        .get()
                        .then(|| view! { <span class="field-error" role="alert">{t.too_many_items}</span> })
                }}
            </div>
        }
    };

    view! {
        <ApplicationTabs active=ApplicationTab::Apply />
        <EquipmentList
            path="/services/applications"
            view=EquipmentView::Applicable
            columns=COLUMNS
            sorts=t.sorts_by_date
            intro=t.apply_intro
            more=true
            select=selected
            no_export=true
            toolbar=toolbar
        />
    }
}
