//! 设备档案 (manual §4.2.4 (1)): everything about one piece of equipment — 基本信息, 参数信息,
//! 检验信息, its status changes and a merged 时间线.

use leptos::prelude::*;
use tejian_contract::equipment::{EquipmentDetail, TimelineEvent};
use tejian_contract::reference::District;

use crate::auth::use_auth;
use crate::components::equipment_info::{
    bad_id, equipment_error, equipment_label, use_equipment_id,
};
use crate::components::equipment_table::{
    application_badge, date_text, header_cells, opt_text, outcome_badge, use_status_badge,
};
use crate::components::status_change_table::StatusChangeTable;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// 返回: back where the user came from, else to 设备综合查询.
pub fn go_back() {
    match window().history() {
        Ok(h) if h.length().unwrap_or(0) > 1 => {
            let _ = h.back();
        }
        _ => {
            let _ = window().location().set_href("/equipment/search");
        }
    }
}

/// 设备档案.
#[component]
pub fn EquipmentArchive() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let id = use_equipment_id();

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
        }
    });
    let timeline = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(bad_id)?;
            auth.call(move |c| async move { c.equipment_timeline(id).await })
                .await
        }
    });
    let districts = Loader::new(move || {
        let client = auth.client();
        async move { Ok(client.districts().await.unwrap_or_default()) }
    });
    Effect::watch(
        move || id.get(),
        move |_, _, _| {
            detail.reload();
            changes.reload();
            timeline.reload();
        },
        false,
    );

    let links = move || {
        let id = id.get().unwrap_or_default();
        view! {
            <div class="page-links">
                <a class="btn btn-primary" href=format!("/equipment/{id}/change")>{t.change_request}</a>
                <a class="btn btn-secondary" href=format!("/equipment/{id}/changes")>{t.change_history}</a>
                <button type="button" class="btn btn-secondary" on:click=move |_| go_back()>
                    {t.back}
                </button>
            </div>
        }
    };

    move || {
        detail.state.with(|state| match state {
            Load::Loading => view! {
                <section class="card">
                    <h1 class="page-title">{t.archive}</h1>
                    <Loading />
                </section>
            }
            .into_any(),
            Load::Failed(e) => view! {
                <section class="card">
                    <h1 class="page-title">{t.archive}</h1>
                    <ErrorBox error=e.clone() on_retry=Callback::new(move |()| detail.reload()) />
                    <p>
                        <a href="/equipment/search">{t.back_to_search}</a>
                    </p>
                </section>
            }
            .into_any(),
            Load::Ready(d) => {
                let d = d.clone();
                let district_name = {
                    let code = d.summary.district_code.clone();
                    Signal::derive(move || {
                        districts.state.with(|s| match s {
                            Load::Ready(all) => district_of(Some(all), &code),
                            _ => code.clone(),
                        })
                    })
                };
                view! {
                    <div class="stack archive">
                        <section class="card">
                            <h1 class="page-title">
                                {t.archive}
                                <span class="title-code">{equipment_label(&d)}</span>
                            </h1>
                            {links}
                            <h2 class="section-title">{t.basic_info}</h2>
                            <BasicInfo detail=d.clone() district=district_name />
                            <h2 class="section-title">{t.param_info}</h2>
                            <Params detail=d.clone() />
                            <h2 class="section-title">{t.inspection_info}</h2>
                            <Inspections detail=d />
                        </section>
                        <section class="card">
                            <h2 class="section-title">{t.change_records}</h2>
                            {move || {
                                changes
                                    .state
                                    .with(|s| match s {
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
                        <section class="card">
                            <h2 class="section-title">{t.timeline}</h2>
                            {move || {
                                timeline
                                    .state
                                    .with(|s| match s {
                                        Load::Loading => view! { <Loading /> }.into_any(),
                                        Load::Failed(e) => view! {
                                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| timeline.reload()) />
                                        }
                                        .into_any(),
                                        Load::Ready(items) if items.is_empty() => {
                                            view! { <Empty /> }.into_any()
                                        }
                                        Load::Ready(items) => view! { <Timeline events=items.clone() /> }.into_any(),
                                    })
                            }}
                        </section>
                    </div>
                }
                .into_any()
            }
        })
    }
}

fn district_of(all: Option<&[District]>, code: &str) -> String {
    all.and_then(|all| all.iter().find(|d| d.code == code))
        .map_or_else(|| code.to_owned(), |d| d.name.clone())
}

/// One 「label value」 pair of a fact list.
fn fact(label: &'static str, value: AnyView) -> impl IntoView {
    view! {
        <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

#[component]
fn BasicInfo(detail: EquipmentDetail, district: Signal<String>) -> impl IntoView {
    let t = t();
    let s = detail.summary;
    let overdue = s.overdue_days.map(|d| {
        fact(
            t.overdue_days,
            view! { <span class="text-error strong">{format!("{d} {}", t.days)}</span> }.into_any(),
        )
    });
    view! {
        <dl class="facts facts-grid">
            {fact(t.category, s.category_name.into_any())}
            {fact(t.variety, format!("{}（{}）", s.variety_name, s.variety_code).into_any())}
            {fact(t.registration_code, opt_text(s.registration_code))}
            {fact(t.equipment_code, opt_text(s.equipment_code))}
            {fact(t.use_certificate_no, opt_text(s.use_certificate_no))}
            {fact(t.internal_no, opt_text(s.internal_no))}
            {fact(t.factory_no, opt_text(detail.factory_no))}
            {fact(t.model, opt_text(detail.model))}
            {fact(t.manufacturer, opt_text(detail.manufacturer))}
            {fact(t.manufacture_date, date_text(detail.manufacture_date))}
            {fact(t.commissioning_date, date_text(detail.commissioning_date))}
            {fact(t.registration_date, date_text(detail.registration_date))}
            {fact(t.user_unit, s.enterprise_name.into_any())}
            {fact(t.install_location, s.install_location.into_any())}
            {fact(t.district, (move || district.get()).into_any())}
            {fact(t.use_status, use_status_badge(s.use_status).into_any())}
            {fact(t.registration_status, s.registration_status.label_zh().into_any())}
            {fact(t.last_inspection_date, date_text(s.last_inspection_date))}
            {fact(t.next_inspection_date, date_text(s.next_inspection_date))}
            {overdue}
            {fact(
                t.last_outcome,
                s.last_outcome.map_or_else(|| opt_text(None), |o| outcome_badge(o).into_any()),
            )}
            {fact(t.application_status, application_badge(s.application_status).into_any())}
        </dl>
    }
}

#[component]
fn Params(detail: EquipmentDetail) -> impl IntoView {
    let t = t();
    if detail.param_lines.is_empty() {
        return view! { <Empty text=t.no_params /> }.into_any();
    }
    let lines = detail
        .param_lines
        .into_iter()
        .map(|p| {
            let value = if p.unit.is_empty() {
                p.value
            } else {
                format!("{} {}", p.value, p.unit)
            };
            view! {
                <div>
                    <dt>{p.label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="facts facts-grid">{lines}</dl> }.into_any()
}

#[component]
fn Inspections(detail: EquipmentDetail) -> impl IntoView {
    let t = t();
    if detail.inspections.is_empty() {
        return view! { <Empty text=t.no_inspections /> }.into_any();
    }
    let headers = [
        t.inspection_date,
        t.inspection_type,
        t.conclusion,
        t.next_inspection_date,
        t.report_no,
        t.inspector,
    ];
    let head = header_cells(&headers);
    let rows = detail
        .inspections
        .into_iter()
        .map(|i| {
            let reinspection = i.is_reinspection.then(|| {
                view! { <span class="muted small">{format!("（{}）", t.reinspection)}</span> }
            });
            view! {
                <tr class="inspection-row">
                    <td data-label=headers[0]><div class="cell">{i.inspection_date.to_string()}</div></td>
                    <td data-label=headers[1]><div class="cell">{i.inspection_type_name}{reinspection}</div></td>
                    <td data-label=headers[2]><div class="cell">
                        {outcome_badge(i.outcome)}
                        {(i.conclusion != i.outcome.label_zh())
                            .then(|| view! { <span class="muted small conclusion">{i.conclusion}</span> })}
                    </div></td>
                    <td data-label=headers[3]><div class="cell">{date_text(i.next_inspection_date)}</div></td>
                    <td data-label=headers[4]><div class="cell">{opt_text(i.report_no)}</div></td>
                    <td data-label=headers[5]><div class="cell">{opt_text(i.inspector)}</div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.inspection_info tabindex="0">
            <table class="data-table cards-on-phone">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Timeline(events: Vec<TimelineEvent>) -> impl IntoView {
    let items = events
        .into_iter()
        .map(|e| {
            let class = format!("timeline-item tl-{}", e.kind);
            view! {
                <li class=class>
                    <time class="tl-date">{e.date.to_string()}</time>
                    <div class="tl-body">
                        <p class="tl-title">{e.title}</p>
                        {e.detail.map(|d| view! { <p class="muted small">{d}</p> })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}
