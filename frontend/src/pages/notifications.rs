//! 站内消息: the enterprise's inbox of inspection reminders, newest first, with this user's read
//! marks: 只看未读, 标为已读, 全部标为已读, and a link to each unit's archive.

use leptos::prelude::*;
use tejian_contract::notification::{Notification, NotificationPage, NotificationQuery};

use crate::auth::use_auth;
use crate::components::bell::use_unread;
use crate::components::pagination::Pagination;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// 站内消息.
#[component]
pub fn Notifications() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let unread = use_unread();
    let unread_only = RwSignal::new(false);
    let page = RwSignal::new(1_u32);
    let per_page = RwSignal::new(20_u32);
    let action_error = RwSignal::new(None::<String>);

    let list: Loader<NotificationPage> = Loader::new(move || {
        let query = NotificationQuery {
            unread: unread_only.get_untracked().then_some(true),
            page: Some(page.get_untracked()),
            per_page: Some(per_page.get_untracked()),
        };
        async move {
            let answer = auth
                .call(move |c| async move { c.notifications(&query).await })
                .await;
            if let Ok(p) = &answer {
                let _ = unread.0.try_set(Some(p.unread));
            }
            answer
        }
    });
    Effect::watch(
        move || (unread_only.get(), page.get(), per_page.get()),
        move |_, _, _| list.reload(),
        false,
    );

    let mark_all = Action::new_local(move |(): &()| async move {
        match auth
            .call(|c| async move { c.mark_all_notifications_read().await })
            .await
        {
            Ok(r) => {
                let _ = unread.0.try_set(Some(r.unread));
                let _ = action_error.try_set(None);
                list.reload();
            }
            Err(e) => {
                let _ = action_error.try_set(Some(e.message));
            }
        }
    });
    let marking_all = mark_all.pending();
    let mark_one = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match auth
                .call(move |c| async move { c.mark_notification_read(id).await })
                .await
            {
                Ok(r) => {
                    let _ = unread.0.try_set(Some(r.unread));
                    let _ = action_error.try_set(None);
                    list.reload();
                }
                Err(e) => {
                    let _ = action_error.try_set(Some(e.message));
                }
            }
        }
    });

    let has_unread = move || unread.0.get().unwrap_or(0) > 0;

    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_notifications}</h1>
            <div class="inbox-toolbar">
                <label class="check">
                    <input
                        id="unread-only"
                        type="checkbox"
                        prop:checked=move || unread_only.get()
                        on:change=move |ev| {
                            unread_only.set(event_target_checked(&ev));
                            page.set(1);
                        }
                    />
                    {t.inbox_unread_only}
                </label>
                <span class="muted small" id="inbox-unread">
                    {move || unread.0.get().map(|n| format!("{n} {}", t.bell_unread_suffix))}
                </span>
                <button
                    id="mark-all-read"
                    type="button"
                    class="btn btn-secondary"
                    disabled=move || marking_all.get() || !has_unread()
                    aria-busy=move || marking_all.get().then_some("true")
                    on:click=move |_| {
                        mark_all.dispatch_local(());
                    }
                >
                    {move || if marking_all.get() { t.inbox_marking } else { t.inbox_mark_all }}
                </button>
            </div>
            {move || {
                action_error
                    .get()
                    .map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })
            }}
            {move || {
                list.state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| list.reload()) />
                        }
                        .into_any(),
                        Load::Ready(p) if p.items.is_empty() => {
                            let text = if unread_only.get_untracked() {
                                t.inbox_empty_unread
                            } else {
                                t.inbox_empty
                            };
                            view! { <Empty text=text /> }.into_any()
                        }
                        Load::Ready(p) => {
                            let items = p
                                .items
                                .iter()
                                .cloned()
                                .map(|n| view! { <Entry n=n on_read=Callback::new(move |id| { mark_one.dispatch_local(id); }) /> })
                                .collect_view();
                            view! {
                                <ul class="inbox" id="inbox">{items}</ul>
                                <Pagination
                                    page=p.page
                                    per_page=p.per_page
                                    total=p.total
                                    unit=t.inbox_units
                                    on_page=Callback::new(move |n| page.set(n))
                                    on_per_page=Callback::new(move |n| {
                                        per_page.set(n);
                                        page.set(1);
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

/// One message.
#[component]
fn Entry(n: Notification, on_read: Callback<i64>) -> impl IntoView {
    let t = t();
    let id = n.id;
    // Huzhou time, like every date on the platform.
    let local = n.created_at.to_offset(time::macros::offset!(+8));
    let created = format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute());
    let overdue = n.kind == "reminder_overdue";
    view! {
        <li class="inbox-item" class:unread=!n.read data-id=id.to_string()>
            <div class="inbox-head">
                <span class=if overdue { "badge badge-error" } else { "badge badge-warn" }>
                    {if overdue { t.inbox_kind_overdue } else { t.inbox_kind_due }}
                </span>
                <h2 class="inbox-title">{n.title.clone()}</h2>
                <span class="muted small inbox-time">{created}</span>
            </div>
            <p class="inbox-body">{n.body.clone()}</p>
            <div class="inbox-actions">
                {n.equipment_id.map(|eid| view! {
                    <a class="btn btn-link" href=format!("/equipment/{eid}")>{t.inbox_open_archive}</a>
                })}
                {if n.read {
                    view! { <span class="badge badge-muted">{t.inbox_read}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="btn btn-ghost-dark mark-read" on:click=move |_| on_read.run(id)>
                            {t.inbox_mark_read}
                        </button>
                    }
                    .into_any()
                }}
            </div>
        </li>
    }
}
