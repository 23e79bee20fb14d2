//! 系统管理 › 操作日志: who in the enterprise did what and when, newest first, with filters by user,
//! action and dates, and paging.

use leptos::prelude::*;
use tejian_contract::list::Page;
use tejian_contract::users::{AuditEntry, AuditQuery};

use crate::auth::use_auth;
use crate::components::equipment_table::header_cells;
use crate::components::pagination::Pagination;
use crate::components::status_change_table::datetime_text;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// The actions offered in the filter (the log holds more; those show with their code).
const ACTIONS: [(&str, &str); 12] = [
    ("login_succeeded", "登录"),
    ("login_failed", "登录失败"),
    ("password_changed", "修改密码"),
    ("enterprise_updated", "修改单位信息"),
    ("enterprise_user_created", "新增用户"),
    ("enterprise_user_updated", "修改用户角色或状态"),
    ("api_token_created", "新建 API 令牌"),
    ("api_token_revoked", "吊销 API 令牌"),
    ("application_submitted", "提交报检申请"),
    ("status_change_submitted", "提交变更申请"),
    ("notice_feedback", "提交整改反馈"),
    ("file_uploaded", "上传附件"),
];

/// 操作日志.
#[component]
pub fn AuditLog() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = RwSignal::new(AuditQuery {
        page: Some(1),
        per_page: Some(20),
        ..AuditQuery::default()
    });
    let log: Loader<Page<AuditEntry>> = Loader::new(move || {
        let q = query.get_untracked();
        async move {
            auth.call(move |c| async move { c.audit_log(&q).await })
                .await
        }
    });
    let run = move |q: AuditQuery| {
        query.set(q);
        log.reload();
    };
    let date = |s: String| {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(s.trim(), &format).ok()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            (!v.is_empty()).then_some(v)
        };
        run(AuditQuery {
            actor: text(actor),
            action: text(action),
            from: date(from.get_untracked()),
            to: date(to.get_untracked()),
            page: Some(1),
            per_page: query.get_untracked().per_page,
        });
    };
    let options = ACTIONS
        .iter()
        .map(|(code, label)| view! { <option value=*code>{*label}</option> })
        .collect_view();

    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_audit}</h1>
            <p class="muted">{t.audit_intro}</p>
            <form class="filters" on:submit=submit>
                <div class="filter-grid">
                    <div class="field">
                        <label for="audit-actor">{t.audit_actor}</label>
                        <input id="audit-actor" type="text" maxlength="32" bind:value=actor />
                    </div>
                    <div class="field">
                        <label for="audit-action">{t.audit_action}</label>
                        <select id="audit-action" on:change=move |ev| action.set(event_target_value(&ev))>
                            <option value="">{t.audit_all_actions}</option>
                            {options}
                        </select>
                    </div>
                    <div class="field">
                        <label for="audit-from">{t.audit_from}</label>
                        <input id="audit-from" type="date" bind:value=from />
                    </div>
                    <div class="field">
                        <label for="audit-to">{t.audit_to}</label>
                        <input id="audit-to" type="date" bind:value=to />
                    </div>
                </div>
                <div class="form-actions">
                    <button id="audit-search" type="submit" class="btn btn-primary">{t.audit_search}</button>
                </div>
            </form>
            {move || {
                log.state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| log.reload()) />
                        }
                        .into_any(),
                        Load::Ready(page) if page.items.is_empty() => {
                            view! { <Empty text=t.audit_none /> }.into_any()
                        }
                        Load::Ready(page) => {
                            let (p, per, total) = (page.page, page.per_page, page.total);
                            view! {
                                <AuditTable items=page.items.clone() />
                                <Pagination
                                    page=p
                                    per_page=per
                                    total=total
                                    unit=t.audit_units
                                    on_page=Callback::new(move |n| {
                                        let mut q = query.get_untracked();
                                        q.page = Some(n);
                                        run(q);
                                    })
                                    on_per_page=Callback::new(move |n| {
                                        let mut q = query.get_untracked();
                                        q.page = Some(1);
                                        q.per_page = Some(n);
                                        run(q);
                                    })
                                />
                            }
                            .into_any()
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn AuditTable(items: Vec<AuditEntry>) -> impl IntoView {
    let t = t();
    let headers = [
        t.audit_time,
        t.users_username,
        t.audit_action,
        t.audit_object,
        t.audit_addr,
    ];
    let rows = items
        .into_iter()
        .map(|e| {
            let who = match &e.actor_name {
                Some(name) => format!("{}（{name}）", e.actor),
                None => e.actor.clone(),
            };
            let object = match &e.entity_id {
                Some(id) => format!("{} #{id}", e.entity),
                None => e.entity.clone(),
            };
            view! {
                <tr>
                    <td data-label=headers[0]><div class="cell">{datetime_text(e.at)}</div></td>
                    <td data-label=headers[1]><div class="cell">{who}</div></td>
                    <td data-label=headers[2]><div class="cell">{e.action_label.clone()}</div></td>
                    <td data-label=headers[3]><div class="cell code">{object}</div></td>
                    <td data-label=headers[4]><div class="cell code">{e.client_addr.clone().unwrap_or_default()}</div></td>
                </tr>
            }
        })
        .collect_view();
    let head = header_cells(&headers);
    view! {
        <div class="table-wrap" role="region" aria-label=t.screen_audit tabindex="0">
            <table class="data-table cards-on-phone" id="audit-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
