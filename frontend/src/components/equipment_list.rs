//! One equipment list screen: the conditions (in the URL), the result table, paging, sorting and
//! 导出. 设备综合查询 and the four lists (超期 / 不合格 / 非在用 / 即将到期) are this component with
//! another view, other columns and another default order.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use tejian_contract::equipment::{EquipmentQuery, EquipmentView};
use tejian_contract::list::DEFAULT_PER_PAGE;

use crate::auth::use_auth;
use crate::components::download::ExportButton;
use crate::components::equipment_table::{Column, EquipmentTable};
use crate::components::filters::{FilterForm, FilterPanel, query_from_params, query_string};
use crate::components::pagination::Pagination;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::nav::screen_at;

/// 即将到期: the horizons offered, in days.
const HORIZONS: [u16; 3] = [30, 60, 90];
/// 即将到期: the horizon when none is chosen.
const DEFAULT_HORIZON: u16 = 30;

/// An equipment list screen.
#[component]
pub fn EquipmentList(
    /// The screen's route (its title comes from the menu).
    path: &'static str,
    view: EquipmentView,
    columns: &'static [Column],
    /// (sort key, text) pairs; the first is the default order.
    sorts: &'static [(&'static str, &'static str)],
    /// A line under the title.
    intro: &'static str,
    /// Offer 「更多条件」.
    #[prop(optional)]
    more: bool,
    /// Rows with check boxes that add to this selection (网上报检), and 「全选本页」.
    #[prop(optional)]
    select: Option<RwSignal<Vec<i64>>>,
    /// Leave out 导出.
    #[prop(optional)]
    no_export: bool,
    /// Shown above the table (the batch buttons of a selection).
    #[prop(optional, into)]
    toolbar: Option<ViewFn>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_query_map();
    let default_sort = sorts.first().map_or("", |s| s.0);
    let title = screen_at(path).map_or("", |s| s.name());

    // The conditions as the API gets them: the URL's, with this screen's view and defaults.
    let query = Memo::new(move |_| {
        let mut q = params.with(query_from_params);
        q.view = (view != EquipmentView::All).then_some(view);
        q.format = None;
        if q.sort.is_none() && !default_sort.is_empty() {
            q.sort = Some(default_sort.to_owned());
        }
        if view == EquipmentView::Expiring && q.within_days.is_none() {
            q.within_days = Some(DEFAULT_HORIZON);
        }
        q
    });

    // The URL of a query: defaults left out, so plain links stay plain.
    let url_of = move |q: &EquipmentQuery| {
        let mut q = q.clone();
        q.view = None;
        q.format = None;
        if q.sort.as_deref() == Some(default_sort) {
            q.sort = None;
        }
        if q.page == Some(1) {
            q.page = None;
        }
        if q.per_page == Some(DEFAULT_PER_PAGE) {
            q.per_page = None;
        }
        if q.within_days == Some(DEFAULT_HORIZON) {
            q.within_days = None;
        }
        format!("{path}{}", query_string(&q))
    };
    let go = move |q: EquipmentQuery| {
        navigate(&url_of(&q), NavigateOptions::default());
    };
    let go = StoredValue::new_local(go);
    let change = move |f: &dyn Fn(&mut EquipmentQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        go.with_value(|go| go(q));
    };

    let rows = Loader::new(move || {
        let q = query.get_untracked();
        async move {
            auth.call(move |c| async move { c.equipment_search(&q).await })
                .await
        }
    });
    Effect::watch(move || query.get(), move |_, _, _| rows.reload(), false);

    // The form shows the URL's conditions (also after 后退).
    let form = FilterForm::new();
    query.with_untracked(|q| form.load(q));
    Effect::new(move || query.with(|q| form.load(q)));

    let on_search = Callback::new(move |()| {
        change(&|q| {
            form.apply(q);
            q.page = None;
        });
    });
    let on_reset = Callback::new(move |()| {
        form.load(&EquipmentQuery::default());
        change(&|q| {
            let keep = (q.per_page, q.within_days);
            *q = EquipmentQuery {
                per_page: keep.0,
                within_days: keep.1,
                ..EquipmentQuery::default()
            };
        });
    });
    let on_page = Callback::new(move |page: u32| change(&|q| q.page = Some(page)));
    let on_per_page = Callback::new(move |n: u32| {
        change(&|q| {
            q.per_page = Some(n);
            q.page = None;
        });
    });

    let sort_select = (sorts.len() > 1).then(|| {
        let options = sorts
            .iter()
            .map(|(key, text)| {
                let key = *key;
                view! {
                    <option value=key selected=move || query.with(|q| q.sort.as_deref() == Some(key))>
                        {*text}
                    </option>
                }
            })
            .collect_view();
        view! {
            <label class="inline-field">
                <span>{t.sort_by}</span>
                <select
                    id="sort"
                    on:change=move |ev| {
                        let key = event_target_value(&ev);
                        change(&|q| {
                            q.sort = Some(key.clone());
                            q.page = None;
                        });
                    }
                >
                    {options}
                </select>
            </label>
        }
    });

    let horizon = (view == EquipmentView::Expiring).then(|| {
        let buttons = HORIZONS
            .iter()
            .map(|&days| {
                let active = move || query.with(|q| q.within_days == Some(days));
                view! {
                    <button
                        type="button"
                        class="seg"
                        class:active=active
                        aria-pressed=move || if active() { "true" } else { "false" }
                        on:click=move |_| {
                            change(&|q| {
                                q.within_days = Some(days);
                                q.page = None;
                            });
                        }
                    >
                        {format!("{days} {}", t.days)}
                    </button>
                }
            })
            .collect_view();
        view! {
            <div class="segmented" role="group" aria-label=t.horizon>
                <span class="segmented-label">{t.horizon}</span>
                {buttons}
            </div>
        }
    });

    let results = move || {
        rows.state.with(|state| match state {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| rows.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                view! { <Empty text=t.no_equipment /> }.into_any()
            }
            Load::Ready(page) => view! {
                {(select.is_some() || toolbar.is_some()).then(|| view! {
                    <div class="select-bar">
                        {select.map(|selected| select_page(selected, page.items.iter().map(|e| e.id).collect()))}
                        {toolbar.clone().map(|f| f.run())}
                    </div>
                })}
                <EquipmentTable items=page.items.clone() columns=columns select=select />
                <Pagination
                    page=page.page
                    per_page=page.per_page
                    total=page.total
                    capped=page.total_capped
                    on_page=on_page
                    on_per_page=on_per_page
                />
            }
            .into_any(),
        })
    };

    view! {
        <div class="stack">
            <section class="card">
                <h1 class="page-title">{title}</h1>
                <p class="muted lead-line">{intro}</p>
                <FilterPanel form=form more=more on_search=on_search on_reset=on_reset>
                    {(!no_export).then(|| view! { <ExportButton query=query /> })}
                </FilterPanel>
            </section>
            <section class="card results" aria-live="polite">
                <div class="results-bar">
                    <h2 class="results-title">{t.results}</h2>
                    {horizon}
                    {sort_select}
                </div>
                {results}
            </section>
        </div>
    }
}

/// 「全选本页」: ticks (or unticks) every row of the page shown.
fn select_page(selected: RwSignal<Vec<i64>>, ids: Vec<i64>) -> impl IntoView {
    let t = t();
    let ids = StoredValue::new(ids);
    let all = move || {
        ids.with_value(|ids| {
            !ids.is_empty() && selected.with(|s| ids.iter().all(|i| s.contains(i)))
        })
    };
    view! {
        <label class="select-page">
            <input
                type="checkbox"
                id="select-page"
                prop:checked=all
                on:change:target=move |ev| {
                    let on = ev.target().checked();
                    ids.with_value(|ids| {
                        selected.update(|s| {
                            s.retain(|x| !ids.contains(x));
                            if on {
                                s.extend(ids.iter().copied());
                            }
                        });
                    });
                }
            />
            {t.select_page}
        </label>
    }
}
