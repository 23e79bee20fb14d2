//! 企业自助服务 › 检验意见通知书 (manual §5.3): the opinion notices the institute issued with the
//! enterprise's reports, by 通知书编号, 报告编号, 设备, 状态 and 只看逾期; with 通知书编号, 整改期限 (逾期
//! in red), 报告编号, 业务流水号, 设备 and 状态. 「通知书」 saves the PDF (5.3.4–5.3.5); 「提交整改」
//! (open or returned notices) leads to the rectification form, and a returned notice shows the
//! institute's comment.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use tejian_contract::list::DEFAULT_PER_PAGE;
use tejian_contract::notice::{Notice, NoticeQuery};
use tejian_domain::notice::NoticeState;

use crate::auth::{UiError, use_auth};
use crate::components::download::save_file;
use crate::components::filters::{
    SelectField, TextField, field_text, pairs_query, param_number, param_text,
};
use crate::components::pagination::Pagination;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

const PATH: &str = "/services/notices";

fn query_of(p: &ParamsMap) -> NoticeQuery {
    NoticeQuery {
        notice_no: param_text(p, "notice_no"),
        report_no: param_text(p, "report_no"),
        equipment: param_text(p, "equipment"),
        state: param_text(p, "state").and_then(|v| v.parse().ok()),
        overdue: param_text(p, "overdue")
            .filter(|v| v == "1" || v == "true")
            .map(|_| true),
        enterprise_id: None,
        page: param_number(p, "page"),
        per_page: param_number(p, "per_page"),
    }
}

fn url_of(q: &NoticeQuery) -> String {
    let query = pairs_query(vec![
        ("notice_no", q.notice_no.clone()),
        ("report_no", q.report_no.clone()),
        ("equipment", q.equipment.clone()),
        ("state", q.state.map(|s| s.as_str().to_owned())),
        ("overdue", (q.overdue == Some(true)).then(|| "1".to_owned())),
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

/// 状态 as a badge.
pub fn notice_badge(state: NoticeState, name: String) -> impl IntoView {
    let class = match state {
        NoticeState::Open => "badge badge-warn",
        NoticeState::Submitted => "badge badge-muted",
        NoticeState::Confirmed => "badge badge-ok",
        NoticeState::Returned => "badge badge-error",
    };
    view! { <span class=class>{name}</span> }
}

/// Whether the enterprise can (still or again) submit its rectification.
pub fn can_feed_back(state: NoticeState) -> bool {
    matches!(state, NoticeState::Open | NoticeState::Returned)
}

/// 检验意见通知书.
#[component]
pub fn InspectionNotices() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));
    let submitted = move || params.with(|p| param_text(p, "submitted"));

    let list = Loader::new(move || {
        let q = query.get_untracked();
        async move { auth.call(move |c| async move { c.notices(&q).await }).await }
    });
    Effect::watch(move || query.get(), move |_, _, _| list.reload(), false);

    let notice_no = RwSignal::new(String::new());
    let report_no = RwSignal::new(String::new());
    let equipment = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let load = move |q: &NoticeQuery| {
        notice_no.set(q.notice_no.clone().unwrap_or_default());
        report_no.set(q.report_no.clone().unwrap_or_default());
        equipment.set(q.equipment.clone().unwrap_or_default());
        state.set(q.state.map(|s| s.as_str().to_owned()).unwrap_or_default());
        overdue.set(q.overdue == Some(true));
    };
    query.with_untracked(load);
    Effect::new(move || query.with(load));

    let go = StoredValue::new_local(move |q: NoticeQuery| {
        navigate(&url_of(&q), NavigateOptions::default());
    });
    let change = move |f: &dyn Fn(&mut NoticeQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        go.with_value(|go| go(q));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(&|q| {
            q.notice_no = field_text(notice_no);
            q.report_no = field_text(report_no);
            q.equipment = field_text(equipment);
            q.state = field_text(state).and_then(|s| s.parse().ok());
            q.overdue = overdue.get_untracked().then_some(true);
            q.page = None;
        });
    };
    let reset = move |_| {
        change(&|q| {
            *q = NoticeQuery {
                per_page: q.per_page,
                ..NoticeQuery::default()
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
    let state_options = Signal::derive(|| {
        NoticeState::all()
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
                view! { <Empty text=t.no_notices /> }.into_any()
            }
            Load::Ready(page) => view! {
                <NoticeTable items=page.items.clone() />
                <Pagination
                    page=page.page
                    per_page=page.per_page
                    total=page.total
                    unit=t.copies_unit
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
                <h1 class="page-title">{t.screen_notices}</h1>
                <p class="muted lead-line">{t.notices_intro}</p>
                {move || {
                    submitted()
                        .map(|no| {
                            view! {
                                <div class="alert alert-success" role="status">
                                    {format!("{no} {}", t.feedback_submitted)}
                                </div>
                            }
                        })
                }}
                <form class="filters" on:submit=submit novalidate role="search">
                    <div class="filter-grid">
                        <TextField id="f-notice-no" label=t.notice_no value=notice_no />
                        <TextField id="f-report-no" label=t.report_no value=report_no />
                        <TextField id="f-equipment" label=t.equipment_codes value=equipment />
                        <SelectField id="f-state" label=t.notice_state value=state options=state_options />
                        <div class="field check-cell">
                            <label class="check-field" for="f-overdue">
                                <input id="f-overdue" type="checkbox" bind:checked=overdue />
                                {t.only_overdue}
                            </label>
                        </div>
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

#[component]
fn NoticeTable(items: Vec<Notice>) -> impl IntoView {
    let t = t();
    let headers = [
        t.notice_no,
        t.deadline,
        t.report_no,
        t.business_no,
        t.equipment,
        t.problems,
        t.notice_state,
        t.actions,
    ];
    let classes = [
        "col-code",
        "col-short",
        "col-code",
        "col-code",
        "col-equipment",
        "col-problems",
        "col-state",
        "col-actions",
    ];
    let head = headers
        .iter()
        .zip(classes)
        .map(|(h, class)| view! { <th scope="col" class=class>{*h}</th> })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|n| {
            let problems = n
                .problems
                .iter()
                .map(|p| view! { <li>{p.description.clone()}</li> })
                .collect_view();
            let comment = (n.state == NoticeState::Returned)
                .then(|| n.review_comment.clone())
                .flatten()
                .map(|c| {
                    view! {
                        <p class="review-comment small">
                            <span class="strong">{t.review_comment}</span>
                            {c}
                        </p>
                    }
                });
            let feedback = can_feed_back(n.state).then(|| {
                view! {
                    <a class="btn btn-primary btn-small feedback-open" href=format!("/services/notices/{}/feedback", n.id)>
                        {t.submit_feedback}
                    </a>
                }
            });
            view! {
                <tr class="notice-row" class:overdue=n.overdue data-notice-no=n.notice_no.clone()>
                    <td data-label=headers[0] class="col-code">
                        <div class="cell">
                            <span class="code">{n.notice_no.clone()}</span>
                            <br />
                            <span class="muted small">{format!("{}{}", t.issued_prefix, n.issued_on)}</span>
                        </div>
                    </td>
                    <td data-label=headers[1] class="col-short">
                        <div class="cell">
                            <span class:text-error=n.overdue>{n.deadline.to_string()}</span>
                            {n.overdue.then(|| view! { " "<span class="badge badge-error overdue-badge">{t.overdue}</span> })}
                        </div>
                    </td>
                    <td data-label=headers[2] class="col-code"><div class="cell code">{n.report_no.clone()}</div></td>
                    <td data-label=headers[3] class="col-code"><div class="cell code">{n.business_no.clone()}</div></td>
                    <td data-label=headers[4] class="col-equipment">
                        <div class="cell">
                            <span class="code">{n.equipment_label.clone()}</span>
                            <br />
                            <span class="muted small">{n.variety_name.clone()}</span>
                        </div>
                    </td>
                    <td data-label=headers[5] class="col-problems"><div class="cell"><ul class="problem-list">{problems}</ul></div></td>
                    <td data-label=headers[6] class="col-state">
                        <div class="cell">{notice_badge(n.state, n.state_name.clone())}{comment}</div>
                    </td>
                    <td data-label=headers[7] class="col-actions">
                        <div class="cell row-actions">
                            <NoticePdf id=n.id notice_no=n.notice_no.clone() />
                            {feedback}
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.results tabindex="0">
            <table class="data-table cards-on-phone notice-table">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// 「通知书」: saves the notice's PDF.
#[component]
pub fn NoticePdf(id: i64, notice_no: String) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let file_name = StoredValue::new(format!("{notice_no}.pdf"));
    let action = Action::new_local(move |(): &()| {
        let name = file_name.get_value();
        async move {
            let bytes = auth
                .call(move |c| async move { c.notice_pdf(id).await })
                .await?;
            save_file(&bytes, &name, "application/pdf")
        }
    });
    let pending = action.pending();
    view! {
        <span class="notice-pdf">
            <button
                type="button"
                class="btn-link notice-download"
                disabled=move || pending.get()
                aria-busy=move || pending.get().then_some("true")
                on:click=move |_| {
                    action.dispatch_local(());
                }
            >
                {move || if pending.get() { t.downloading } else { t.notice_pdf }}
            </button>
            {move || {
                action
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|e: UiError| view! { <span class="field-error" role="alert">{e.message}</span> })
            }}
        </span>
    }
}
