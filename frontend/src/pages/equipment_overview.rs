//! 设备管理 › 设备总览 (manual §4.1): the enterprise's equipment counted by category and state;
//! every number leads to the list it counts (4.1.3).

use leptos::prelude::*;
use tejian_contract::equipment::{Overview, OverviewCounts};

use crate::auth::use_auth;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// Where a count leads: the list's path and, for 在用, the extra condition.
#[derive(Debug, Clone, Copy)]
struct Target {
    path: &'static str,
    extra: &'static str,
}

const TOTAL: Target = Target {
    path: "/equipment/search",
    extra: "",
};
const IN_USE: Target = Target {
    path: "/equipment/search",
    extra: "use_status=in_use",
};
const OVERDUE: Target = Target {
    path: "/equipment/overdue",
    extra: "",
};
const EXPIRING: Target = Target {
    path: "/equipment/expiring",
    extra: "",
};
const UNQUALIFIED: Target = Target {
    path: "/equipment/unqualified",
    extra: "",
};
const INACTIVE: Target = Target {
    path: "/equipment/inactive",
    extra: "",
};

/// The list behind a count, for one category (or all when `category` is `None`).
fn href(target: Target, category: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(c) = category {
        parts.push(format!("category={c}"));
    }
    if !target.extra.is_empty() {
        parts.push(target.extra.to_owned());
    }
    if parts.is_empty() {
        target.path.to_owned()
    } else {
        format!("{}?{}", target.path, parts.join("&"))
    }
}

/// 设备总览.
#[component]
pub fn EquipmentOverview() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let overview = Loader::new(move || async move {
        auth.call(|c| async move { c.equipment_overview().await })
            .await
    });

    view! {
        <div class="stack">
            <section class="card">
                <h1 class="page-title">{t.screen_equipment_overview}</h1>
                <p class="muted lead-line">{t.overview_intro}</p>
                {move || {
                    overview
                        .state
                        .with(|state| match state {
                            Load::Loading => view! { <Loading /> }.into_any(),
                            Load::Failed(e) => {
                                view! {
                                    <ErrorBox
                                        error=e.clone()
                                        on_retry=Callback::new(move |()| overview.reload())
                                    />
                                }
                                    .into_any()
                            }
                            Load::Ready(o) if o.totals.total == 0 => {
                                view! { <Empty text=t.no_equipment_at_all /> }.into_any()
                            }
                            Load::Ready(o) => view! { <OverviewBody overview=o.clone() /> }.into_any(),
                        })
                }}
            </section>
        </div>
    }
}

#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let t = t();
    let totals = overview.totals.clone();
    let tile = |label: &'static str, n: u64, target: Target, class: &'static str| {
        view! {
            <a class=format!("tile {class}") href=href(target, None)>
                <span class="tile-number">{n}</span>
                <span class="tile-label">{label}</span>
            </a>
        }
    };
    let rows = overview
        .categories
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <th scope="row" data-label=t.category>{row.category_name.clone()}</th>
                    {count_cells(&row.counts, Some(&row.category_code))}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="tiles">
            {tile(t.tile_total, totals.total, TOTAL, "")}
            {tile(t.tile_overdue, totals.overdue, OVERDUE, "tile-error")}
            {tile(t.tile_expiring, totals.expiring, EXPIRING, "tile-warn")}
            {tile(t.tile_unqualified, totals.unqualified, UNQUALIFIED, "tile-error")}
        </div>
        <div class="table-wrap" role="region" aria-label=t.overview_table tabindex="0">
            <table class="data-table cards-on-phone overview-table">
                <thead>
                    <tr>
                        <th scope="col">{t.category}</th>
                        <th scope="col" class="num">{t.count_total}</th>
                        <th scope="col" class="num">{t.count_in_use}</th>
                        <th scope="col" class="num">{t.count_overdue}</th>
                        <th scope="col" class="num">{t.count_expiring}</th>
                        <th scope="col" class="num">{t.count_unqualified}</th>
                        <th scope="col" class="num">{t.count_inactive}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr class="total-row">
                        <th scope="row" data-label=t.category>{t.sum_total}</th>
                        {count_cells(&totals, None)}
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="muted small as-of">{format!("{}{}", t.as_of, overview.as_of)}</p>
    }
}

/// The six counts of one row, each a link to its list.
fn count_cells(counts: &OverviewCounts, category: Option<&str>) -> impl IntoView + use<> {
    let t = t();
    let cells = [
        (t.count_total, counts.total, TOTAL),
        (t.count_in_use, counts.in_use, IN_USE),
        (t.count_overdue, counts.overdue, OVERDUE),
        (t.count_expiring, counts.expiring, EXPIRING),
        (t.count_unqualified, counts.unqualified, UNQUALIFIED),
        (t.count_inactive, counts.inactive, INACTIVE),
    ];
    cells
        .into_iter()
        .map(|(label, n, target)| {
            let warn =
                n > 0 && matches!(target.path, "/equipment/overdue" | "/equipment/unqualified");
            view! {
                <td class="num" data-label=label>
                    <a href=href(target, category) class:zero=n == 0 class:text-error=warn>
                        {n}
                    </a>
                </td>
            }
        })
        .collect_view()
}
