//! 网上报检 › 报检查询 (manual §5.1.9): the enterprise's applications, newest first, by 外网申报序列号,
//! 注册代码/设备代码, 申报日期 and 受理状态. Each shows its progress (已提交 → 已受理 → 已排期 → 已检验 →
//! 已出报告, or 不予受理) and its units with 受理意见 (待受理 / 同意 / 不同意 and why), 参考费用, 核定费用,
//! 业务流水号, 检验日期 and 报告编号. 「同意」 means the unit was applied for successfully.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use tejian_contract::application::{Application, ApplicationItem, ApplicationQuery};
use tejian_contract::list::DEFAULT_PER_PAGE;
use tejian_domain::application::{ItemState, Progress};

use crate::auth::use_auth;
use crate::components::equipment_table::{dash, date_text, opt_text};
use crate::components::fee::yuan;
use crate::components::filters::{
    DateRange, SelectField, TextField, date_value, field_text, pairs_query, param_number,
    param_text, parse_date,
};
use crate::components::pagination::Pagination;
use crate::components::status_change_table::datetime_text;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::online_application::{ApplicationTab, ApplicationTabs};

const PATH: &str = "/services/applications/history";

fn query_of(p: &ParamsMap) -> ApplicationQuery {
    ApplicationQuery {
        serial_no: param_text(p, "serial_no"),
        item_state: param_text(p, "item_state").and_then(|v| v.parse().ok()),
        equipment: param_text(p, "equipment"),
        submitted_from: param_text(p, "submitted_from").and_then(|v| parse_date(&v)),
        submitted_to: param_text(p, "submitted_to").and_then(|v| parse_date(&v)),
        enterprise_id: None,
        page: param_number(p, "page"),
        per_page: param_number(p, "per_page"),
    }
}

fn url_of(q: &ApplicationQuery) -> String {
    let query = pairs_query(vec![
        ("serial_no", q.serial_no.clone()),
        ("equipment", q.equipment.clone()),
        ("submitted_from", q.submitted_from.map(|d| d.to_string())),
        ("submitted_to", q.submitted_to.map(|d| d.to_string())),
        ("item_state", q.item_state.map(|s| s.as_str().to_owned())),
        ("page", q.page.filter(|&p| p > 1).map(|p| p.to_string())),
        (
            "per_page",
            q.per_page
                .filter(|&p| p != DEFAULT_PER_PAGE)
                .map(|p| p.to_string()),
        ),
    ]);
    format!("{PATH}{query}")
}

/// 报检查询.
#[component]
pub fn ApplicationHistory() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));

    let list = Loader::new(move || {
        let q = query.get_untracked();
        async move {
            auth.call(move |c| async move { c.applications(&q).await })
                .await
        }
    });
    Effect::watch(move || query.get(), move |_, _, _| list.reload(), false);

    // The form shows the URL's conditions.
    let serial = RwSignal::new(String::new());
    let equipment = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let load = move |q: &ApplicationQuery| {
        serial.set(q.serial_no.clone().unwrap_or_default());
        equipment.set(q.equipment.clone().unwrap_or_default());
        from.set(date_value(q.submitted_from));
        to.set(date_value(q.submitted_to));
        state.set(
            q.item_state
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        );
    };
    query.with_untracked(load);
    Effect::new(move || query.with(load));

    let go = StoredValue::new_local(move |q: ApplicationQuery| {
        navigate(&url_of(&q), NavigateOptions::default());
    });
    let change = move |f: &dyn Fn(&mut ApplicationQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        go.with_value(|go| go(q));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(&|q| {
            q.serial_no = field_text(serial);
            q.equipment = field_text(equipment);
            q.submitted_from = parse_date(&from.get_untracked());
            q.submitted_to = parse_date(&to.get_untracked());
            q.item_state = field_text(state).and_then(|s| s.parse().ok());
            q.page = None;
        });
    };
    let reset = move |_| {
        change(&|q| {
            *q = ApplicationQuery {
                per_page: q.per_page,
                ..ApplicationQuery::default()
            };
        });
    };
    let on_page = Callback::new(move |page: u32| change(&|q| q.page = Some(page)));
    let on_per_page = Callback::new(move |n: u32| {
        change(&|q| {
            q.per_page = Some(n);
            q.page = None;
        });
    });

    let states = Signal::derive(|| {
        ItemState::all()
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label_zh().to_owned()))
            .collect::<Vec<_>>()
    });

    let results = move || {
        list.state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| list.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                view! { <Empty text=t.no_applications /> }.into_any()
            }
            Load::Ready(page) => {
                let cards = page
                    .items
                    .iter()
                    .map(|a| view! { <ApplicationCard app=a.clone() /> })
                    .collect_view();
                view! {
                    <div class="applications">{cards}</div>
                    <Pagination
                        page=page.page
                        per_page=page.per_page
                        total=page.total
                        unit=t.applications_unit
                        on_page=on_page
                        on_per_page=on_per_page
                    />
                }
                .into_any()
            }
        })
    };

    view! {
        <ApplicationTabs active=ApplicationTab::History />
        <div class="stack">
            <section class="card">
                <h1 class="page-title">{t.tab_history}</h1>
                <p class="muted lead-line">{t.history_intro}</p>
                <form class="filters" on:submit=submit novalidate role="search">
                    <div class="filter-grid">
                        <TextField id="f-serial" label=t.serial_no value=serial />
                        <TextField id="f-equipment" label=t.equipment_codes value=equipment />
                        <SelectField id="f-item-state" label=t.item_state value=state options=states />
                        <DateRange id="f-submitted" label=t.submitted_on from=from to=to />
                    </div>
                    <div class="filter-actions">
                        <button type="submit" id="search-submit" class="btn btn-primary">{t.search}</button>
                        <button type="button" id="search-reset" class="btn btn-secondary" on:click=reset>
                            {t.reset}
                        </button>
                    </div>
                </form>
            </section>
            <section class="card results" aria-live="polite">
                <div class="results-bar">
                    <h2 class="results-title">{t.results}</h2>
                </div>
                {results}
            </section>
        </div>
    }
}

/// The short name of a step of the progress indicator.
fn step_name(p: Progress) -> &'static str {
    let t = t();
    match p {
        Progress::Submitted => t.step_submitted,
        Progress::Accepted => t.step_accepted,
        Progress::Scheduled => t.step_scheduled,
        Progress::Inspected => t.step_inspected,
        Progress::ReportIssued => t.step_report,
        Progress::Rejected => t.step_rejected,
    }
}

/// 已提交 → 已受理 → 已排期 → 已检验 → 已出报告; a rejected application stops at 不予受理.
#[component]
fn Steps(progress: Progress) -> impl IntoView {
    let t = t();
    let steps: Vec<(Progress, &'static str)> = if progress == Progress::Rejected {
        vec![
            (Progress::Submitted, "done"),
            (Progress::Rejected, "current rejected"),
        ]
    } else {
        let at = Progress::steps()
            .iter()
            .position(|p| *p == progress)
            .unwrap_or(0);
        Progress::steps()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let class = if i < at || (i == at && progress == Progress::ReportIssued) {
                    "done"
                } else if i == at {
                    "current"
                } else {
                    "todo"
                };
                (*p, class)
            })
            .collect()
    };
    let items = steps
        .into_iter()
        .map(|(p, class)| {
            let current = class.starts_with("current");
            view! {
                <li class=format!("step {class}") aria-current=current.then_some("step")>
                    <span class="step-dot" aria-hidden="true"></span>
                    <span class="step-name">{step_name(p)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="steps" aria-label=t.progress>{items}</ol>
    }
}

/// 受理意见 as a badge, with the reason when there is one.
fn opinion(item: &ApplicationItem) -> impl IntoView + use<> {
    let class = match item.state {
        ItemState::Pending => "badge badge-warn",
        ItemState::Rejected => "badge badge-error",
        _ => "badge badge-ok",
    };
    view! {
        <span class=class>{item.opinion_name.clone()}</span>
        {item.opinion.clone().map(|o| view! { <br /><span class="small opinion-text">{o}</span> })}
    }
}

/// One application: its facts, progress and units.
#[component]
fn ApplicationCard(app: Application) -> impl IntoView {
    let t = t();
    let headers = [
        t.equipment,
        t.inspection_type,
        t.opinion_col,
        t.estimated_fee,
        t.approved_fee,
        t.business_no,
        t.inspection_date,
        t.report_no,
    ];
    let classes = [
        "col-equipment",
        "col-short",
        "col-opinion",
        "num col-short",
        "num col-short",
        "col-code",
        "col-short",
        "col-code",
    ];
    let head = headers
        .iter()
        .zip(classes)
        .map(|(h, class)| view! { <th scope="col" class=class>{*h}</th> })
        .collect_view();
    let money = |m: Option<tejian_domain::money::Money>| match m {
        Some(m) => yuan(m).into_any(),
        None => dash().into_any(),
    };
    let rows = app
        .items
        .iter()
        .map(|i| {
            view! {
                <tr class="application-item">
                    <td data-label=headers[0] class="col-equipment"><div class="cell">
                        <span class="code">{i.equipment_label.clone()}</span>
                        <br />
                        <span class="muted small">{i.variety_name.clone()}</span>
                    </div></td>
                    <td data-label=headers[1] class="col-short"><div class="cell">{i.inspection_type_name.clone()}</div></td>
                    <td data-label=headers[2] class="col-opinion"><div class="cell">{opinion(i)}</div></td>
                    <td data-label=headers[3] class="num col-short"><div class="cell">{money(i.estimated_fee)}</div></td>
                    <td data-label=headers[4] class="num col-short"><div class="cell">{money(i.approved_fee)}</div></td>
                    <td data-label=headers[5] class="col-code"><div class="cell code">{opt_text(i.business_no.clone())}</div></td>
                    <td data-label=headers[6] class="col-short"><div class="cell">{date_text(i.scheduled_date)}</div></td>
                    <td data-label=headers[7] class="col-code"><div class="cell code">{opt_text(i.report_no.clone())}</div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="application" aria-labelledby=format!("app-{}", app.id)>
            <header class="application-head">
                <h3 id=format!("app-{}", app.id)>
                    <span class="muted small">{t.serial_no}</span>
                    " "
                    <span class="code serial-no">{app.serial_no.clone()}</span>
                </h3>
                <p class="muted small application-meta">
                    {format!(
                        "{}{} · {}{}",
                        t.submitted_at_prefix,
                        datetime_text(app.submitted_at),
                        t.applicant_prefix,
                        app.applicant_name,
                    )}
                </p>
                <p class="application-money small">
                    {format!("{}：{}", t.fee_sum_label, yuan(app.estimated_total))}
                    {app.approved_total.map(|m| format!(" · {}：{}", t.approved_total, yuan(m)))}
                </p>
            </header>
            <Steps progress=app.progress />
            <div class="table-wrap" role="region" aria-label=t.apply_items tabindex="0">
                <table class="data-table cards-on-phone">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </article>
    }
}
