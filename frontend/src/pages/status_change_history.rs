//! 历史变更记录 (manual §4.2.4 (3)): the status changes of one piece of equipment — kind, from → to,
//! applicant and date, the bureau's decision and its opinion, and the documents.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::auth::use_auth;
use crate::components::equipment_info::{
    EquipmentHeading, bad_id, equipment_error, use_equipment_id,
};
use crate::components::status_change_table::StatusChangeTable;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::equipment_archive::go_back;

/// 历史变更记录.
#[component]
pub fn StatusChangeHistory() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let id = use_equipment_id();
    let query = use_query_map();
    let submitted = move || query.with(|q| q.get_str("submitted") == Some("1"));

    let detail = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(bad_id)?;
            auth.call(move |c| async move { c.equipment_by_id(id).await })
                .await
                .map_err(equipment_error)
        }
    });
    let changes = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(bad_id)?;
            auth.call(move |c| async move { c.status_change_history(id).await })
                .await
                .map_err(equipment_error)
        }
    });
    Effect::watch(
        move || id.get(),
        move |_, _, _| {
            detail.reload();
            changes.reload();
        },
        false,
    );

    let links = move || {
        let id = id.get().unwrap_or_default();
        view! {
            <div class="page-links">
                <a class="btn btn-primary" href=format!("/equipment/{id}/change")>{t.change_request}</a>
                <a class="btn btn-secondary" href=format!("/equipment/{id}")>{t.archive}</a>
                <button type="button" class="btn btn-secondary" on:click=move |_| go_back()>
                    {t.back}
                </button>
            </div>
        }
    };

    view! {
        <section class="card">
            <h1 class="page-title">{t.change_history}</h1>
            {move || {
                submitted()
                    .then(|| {
                        view! {
                            <div class="alert alert-success" role="status">
                                {t.change_submitted}
                            </div>
                        }
                    })
            }}
            {move || {
                detail
                    .state
                    .with(|state| match state {
                        Load::Ready(d) => view! { <EquipmentHeading detail=d.clone() /> }.into_any(),
                        // The list below says what went wrong.
                        _ => ().into_any(),
                    })
            }}
            {links}
            {move || {
                changes
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| changes.reload()) />
                        }
                        .into_any(),
                        Load::Ready(items) if items.is_empty() => {
                            view! { <Empty text=t.no_changes /> }.into_any()
                        }
                        Load::Ready(items) => {
                            view! { <StatusChangeTable items=items.clone() /> }.into_any()
                        }
                    })
            }}
        </section>
    }
}
