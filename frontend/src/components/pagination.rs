//! 分页: 上一页 / 下一页, 第 x / y 页, 共 n 台 (份, 条 …), and the page size (20 / 50 / 100).

use leptos::prelude::*;

use crate::i18n::t;

/// The page sizes offered.
pub const PAGE_SIZES: [u32; 3] = [20, 50, 100];

/// The number of pages for `total` rows (at least one).
pub fn page_count(total: u64, per_page: u32) -> u64 {
    total.div_ceil(u64::from(per_page.max(1))).max(1)
}

/// The pager under a list.
#[component]
pub fn Pagination(
    page: u32,
    per_page: u32,
    total: u64,
    /// Goes to another page.
    on_page: Callback<u32>,
    /// Changes the page size (back to page 1).
    on_per_page: Callback<u32>,
    /// What the rows are counted in (default 「台」).
    #[prop(optional)]
    unit: Option<&'static str>,
    /// The server stopped counting at `total`: there are more rows (「10000+」).
    #[prop(optional)]
    capped: bool,
) -> impl IntoView {
    let t = t();
    let unit = unit.unwrap_or(t.units);
    let pages = page_count(total, per_page);
    let has_prev = page > 1;
    let has_next = u64::from(page) < pages;
    let sizes = PAGE_SIZES
        .iter()
        .map(|&n| {
            view! {
                <option value=n.to_string() selected=n == per_page>
                    {format!("{n} {}", t.per_page_unit)}
                </option>
            }
        })
        .collect_view();
    view! {
        <nav class="pagination" aria-label=t.pagination>
            <span class="page-total" title=capped.then_some(t.total_capped_hint)>
                {format!("{} {total}{} {unit}", t.total_prefix, if capped { "+" } else { "" })}
            </span>
            <span class="page-where">{format!("第 {page} / {pages} 页")}</span>
            <span class="page-buttons">
                <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    disabled=!has_prev
                    on:click=move |_| on_page.run(page.saturating_sub(1).max(1))
                >
                    {t.prev_page}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    disabled=!has_next
                    on:click=move |_| on_page.run(page.saturating_add(1))
                >
                    {t.next_page}
                </button>
            </span>
            <label class="page-size">
                <span class="visually-hidden">{t.per_page}</span>
                <select on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                        on_per_page.run(n);
                    }
                }>{sizes}</select>
            </label>
        </nav>
    }
}
