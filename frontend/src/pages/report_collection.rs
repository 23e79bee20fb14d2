//! 企业自助服务 › 报告领取查询 (manual §5.2): the enterprise's inspection reports by 年度 (this year
//! by default, any year back to 2015, or 全部年度), 设备种类, 注册代码, 业务流水号, 报告编号 and 流转状态,
//! with each report's workflow state and whether its fee is paid. 「报告下载」 saves the zip that
//! holds the PDF (5.2.6) when the report is issued (报告打印 / 报告归档) and paid; otherwise it says
//! why not (5.2.5).

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use tejian_contract::list::DEFAULT_PER_PAGE;
use tejian_contract::report::{Report, ReportQuery};
use tejian_domain::inspection::Outcome;
use tejian_domain::report::ReportState;

use crate::auth::{UiError, use_auth};
use crate::components::download::{human_size, save_file};
use crate::components::fee::yuan;
use crate::components::filters::{
    SelectField, TextField, field_text, pairs_query, param_number, param_text,
};
use crate::components::pagination::Pagination;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::status_change_form::today;

const PATH: &str = "/services/reports";
/// The oldest year offered (the old platform's reports go back to about then).
const FIRST_YEAR: i32 = 2015;

/// This year in the browser (the server's default too).
fn this_year() -> i32 {
    today().map_or(2026, |d| d.year())
}

fn query_of(p: &ParamsMap) -> ReportQuery {
    ReportQuery {
        year: Some(
            param_text(p, "year")
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_else(this_year),
        ),
        category: param_text(p, "category"),
        registration_code: param_text(p, "registration_code"),
        business_no: param_text(p, "business_no"),
        report_no: param_text(p, "report_no"),
        state: param_text(p, "state").and_then(|v| v.parse().ok()),
        enterprise_id: None,
        page: param_number(p, "page"),
        per_page: param_number(p, "per_page"),
    }
}

fn url_of(q: &ReportQuery) -> String {
    let query = pairs_query(vec![
        (
            "year",
            q.year.filter(|&y| y != this_year()).map(|y| y.to_string()),
        ),
        ("category", q.category.clone()),
        ("registration_code", q.registration_code.clone()),
        ("business_no", q.business_no.clone()),
        ("report_no", q.report_no.clone()),
        ("state", q.state.map(|s| s.as_str().to_owned())),
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

/// 报告领取查询.
#[component]
pub fn ReportCollection() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));

    let list = Loader::new(move || {
        let q = query.get_untracked();
        async move { auth.call(move |c| async move { c.reports(&q).await }).await }
    });
    Effect::watch(move || query.get(), move |_, _, _| list.reload(), false);
    let categories = Loader::new(move || {
        let client = auth.client();
        async move { Ok(client.categories().await.unwrap_or_default()) }
    });

    let year = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let registration_code = RwSignal::new(String::new());
    let business_no = RwSignal::new(String::new());
    let report_no = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let load = move |q: &ReportQuery| {
        year.set(q.year.unwrap_or_else(this_year).to_string());
        category.set(q.category.clone().unwrap_or_default());
        registration_code.set(q.registration_code.clone().unwrap_or_default());
        business_no.set(q.business_no.clone().unwrap_or_default());
        report_no.set(q.report_no.clone().unwrap_or_default());
        state.set(q.state.map(|s| s.as_str().to_owned()).unwrap_or_default());
    };
    query.with_untracked(load);
    Effect::new(move || query.with(load));

    let go = StoredValue::new_local(move |q: ReportQuery| {
        navigate(&url_of(&q), NavigateOptions::default());
    });
    let change = move |f: &dyn Fn(&mut ReportQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        go.with_value(|go| go(q));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(&|q| {
            q.year = year.get_untracked().parse().ok();
            q.category = field_text(category);
            q.registration_code = field_text(registration_code);
            q.business_no = field_text(business_no);
            q.report_no = field_text(report_no);
            q.state = field_text(state).and_then(|s| s.parse().ok());
            q.page = None;
        });
    };
    let reset = move |_| {
        change(&|q| {
            *q = ReportQuery {
                per_page: q.per_page,
                ..ReportQuery::default()
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

    let category_options = Signal::derive(move || {
        categories.state.with(|s| match s {
            Load::Ready(list) => list
                .iter()
                .filter(|e| e.level == "category")
                .map(|e| (e.code.clone(), e.name.clone()))
                .collect(),
            _ => Vec::new(),
        })
    });
    let state_options = Signal::derive(|| {
        ReportState::all()
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label_zh().to_owned()))
            .collect::<Vec<_>>()
    });
    let years = {
        let mut options = vec![("0".to_owned(), t.all_years.to_owned())];
        options.extend(
            (FIRST_YEAR..=this_year())
                .rev()
                .map(|y| (y.to_string(), format!("{y} {}", t.year_unit))),
        );
        options
            .into_iter()
            .map(|(value, text)| {
                let v = value.clone();
                view! { <option value=value selected=move || year.with(|y| *y == v)>{text}</option> }
            })
            .collect_view()
    };

    let results = move || {
        list.state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| list.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                let text = match query.with_untracked(|q| q.year) {
                    Some(0) | None => t.no_reports.to_owned(),
                    Some(y) => format!("{y} {}{}", t.year_unit, t.no_reports_in_year),
                };
                view! { <Empty text=text /> }.into_any()
            }
            Load::Ready(page) => view! {
                <ReportTable items=page.items.clone() />
                <Pagination
                    page=page.page
                    per_page=page.per_page
                    total=page.total
                    unit=t.reports_unit
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
                <h1 class="page-title">{t.screen_reports}</h1>
                <p class="muted lead-line">{t.reports_intro}</p>
                <form class="filters" on:submit=submit novalidate role="search">
                    <div class="filter-grid">
                        <div class="field">
                            <label for="f-year">{t.year}</label>
                            <select id="f-year" on:change=move |ev| year.set(event_target_value(&ev))>
                                {years}
                            </select>
                        </div>
                        <SelectField id="f-category" label=t.category value=category options=category_options />
                        <TextField id="f-registration-code" label=t.registration_code value=registration_code />
                        <TextField id="f-business-no" label=t.business_no value=business_no />
                        <TextField id="f-report-no" label=t.report_no value=report_no />
                        <SelectField id="f-state" label=t.report_state value=state options=state_options />
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

/// 流转状态 as a badge.
fn state_badge(state: ReportState, name: String) -> impl IntoView {
    let class = match state {
        ReportState::Printed | ReportState::Archived => "badge badge-ok",
        ReportState::Voided => "badge badge-error",
        _ => "badge badge-muted",
    };
    view! { <span class=class>{name}</span> }
}

/// 检验结论 in its own words, coloured by its outcome.
fn conclusion_badge(outcome: Outcome, text: String) -> impl IntoView {
    let class = match outcome {
        Outcome::Pass => "badge badge-ok",
        Outcome::ConditionalPass => "badge badge-warn",
        Outcome::Fail => "badge badge-error",
    };
    view! { <span class=class>{text}</span> }
}

#[component]
fn ReportTable(items: Vec<Report>) -> impl IntoView {
    let t = t();
    let headers = [
        t.report_download,
        t.report_no,
        t.business_no,
        t.equipment,
        t.inspection_type,
        t.inspection_date,
        t.conclusion,
        t.report_state,
        t.fee,
    ];
    let classes = [
        "col-download",
        "col-code",
        "col-code",
        "col-equipment",
        "col-short",
        "col-short",
        "col-conclusion",
        "col-short",
        "col-short",
    ];
    let head = headers
        .iter()
        .zip(classes)
        .map(|(h, class)| view! { <th scope="col" class=class>{*h}</th> })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|r| {
            let notices = (r.notice_count > 0).then(|| {
                view! {
                    <br />
                    <a class="small notice-link" href=format!("/services/notices?report_no={}", r.report_no)>
                        {format!("{} {} {}", t.notices_link, r.notice_count, t.copies_unit)}
                    </a>
                }
            });
            let paid = if r.fee_paid {
                view! { <span class="badge badge-ok">{t.fee_paid}</span> }
            } else {
                view! { <span class="badge badge-warn">{t.fee_unpaid}</span> }
            };
            view! {
                <tr class="report-row" data-report-no=r.report_no.clone()>
                    <td data-label=headers[0] class="col-download">
                        <div class="cell">
                            <DownloadCell
                                id=r.id
                                report_no=r.report_no.clone()
                                downloadable=r.downloadable
                                voided=r.state == ReportState::Voided
                                code=r.not_downloadable_code.clone()
                                reason=r.not_downloadable_reason.clone()
                            />
                        </div>
                    </td>
                    <td data-label=headers[1] class="col-code"><div class="cell code">{r.report_no.clone()}</div></td>
                    <td data-label=headers[2] class="col-code"><div class="cell code">{r.business_no.clone()}</div></td>
                    <td data-label=headers[3] class="col-equipment">
                        <div class="cell">
                            <span class="code">{r.equipment_label.clone()}</span>
                            <br />
                            <span class="muted small">{r.variety_name.clone()}</span>
                        </div>
                    </td>
                    <td data-label=headers[4] class="col-short"><div class="cell">{r.inspection_type_name.clone()}</div></td>
                    <td data-label=headers[5] class="col-short"><div class="cell">{r.inspection_date.to_string()}</div></td>
                    <td data-label=headers[6] class="col-conclusion">
                        <div class="cell">{conclusion_badge(r.outcome, r.conclusion.clone())}{notices}</div>
                    </td>
                    <td data-label=headers[7] class="col-short"><div class="cell">{state_badge(r.state, r.state_name.clone())}</div></td>
                    <td data-label=headers[8] class="col-short">
                        <div class="cell">{yuan(r.fee)}" "{paid}</div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.results tabindex="0">
            <table class="data-table cards-on-phone report-table">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// 「报告下载」: the zip when the report may be downloaded; otherwise pressing it says why.
#[component]
fn DownloadCell(
    id: i64,
    report_no: String,
    downloadable: bool,
    voided: bool,
    code: Option<String>,
    reason: Option<String>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let file_name = StoredValue::new(format!("{report_no}.zip"));
    let action = Action::new_local(move |(): &()| {
        let name = file_name.get_value();
        async move {
            let bytes = auth
                .call(move |c| async move { c.download_report(id).await })
                .await?;
            save_file(&bytes, &name, "application/zip")?;
            Ok::<usize, UiError>(bytes.len())
        }
    });
    let pending = action.pending();

    if !downloadable {
        let shown = RwSignal::new(false);
        let reason = reason.unwrap_or_else(|| t.report_not_downloadable.to_owned());
        let short = if voided {
            t.report_voided
        } else if code.as_deref() == Some("report_unpaid") {
            t.download_needs_payment
        } else {
            t.download_not_ready
        };
        let reason_id = format!("why-{id}");
        let reason = StoredValue::new(reason);
        return view! {
            // Not disabled: pressing it says why (manual 5.2.5).
            <button
                type="button"
                class="btn-link report-download unavailable"
                aria-expanded=move || if shown.get() { "true" } else { "false" }
                aria-controls=reason_id.clone()
                aria-describedby=format!("{reason_id}-short")
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {t.report_download}
            </button>
            <span class="muted small why-short" id=format!("{reason_id}-short")>{short}</span>
            <div id=reason_id>
                {move || {
                    shown
                        .get()
                        .then(|| view! {
                            <p class="field-error not-downloadable" role="alert">{reason.get_value()}</p>
                        })
                }}
            </div>
        }
        .into_any();
    }

    view! {
        <button
            type="button"
            class="btn-link report-download"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| {
                action.dispatch_local(());
            }
        >
            {t.report_download}
        </button>
        {move || {
            if pending.get() {
                return view! { <span class="muted small download-state">{t.downloading}</span> }.into_any();
            }
            match action.value().get() {
                Some(Ok(len)) => view! {
                    <span class="small text-ok download-state" role="status">{format!("{}（{}）", t.downloaded, human_size(len as u64))}</span>
                }
                .into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{e.message}</p> }.into_any(),
                None => ().into_any(),
            }
        }}
    }
    .into_any()
}
