//! 站内消息 bell: the unread count in the top bar, for enterprise users. It asks the server for
//! one row of the inbox (`per_page=1`, the answer carries `unread`) on every navigation and every
//! 60 seconds; the inbox screen updates it at once after marking read.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use tejian_contract::notification::NotificationQuery;
use tejian_domain::account::Role;

use crate::auth::use_auth;
use crate::i18n::t;

/// How often the count is refreshed while a screen stays open.
const POLL: Duration = Duration::from_secs(60);

/// The unread count shared by the bell and the inbox (`None`: not known yet).
#[derive(Debug, Clone, Copy)]
pub struct Unread(pub RwSignal<Option<u64>>);

/// The shared count (a detached one outside the frame).
pub fn use_unread() -> Unread {
    use_context::<Unread>().unwrap_or_else(|| Unread(RwSignal::new(None)))
}

/// Asks the server for the count and stores it (a failure keeps the last count).
pub fn refresh_unread(unread: Unread) {
    let auth = use_auth();
    spawn_local(async move {
        let query = NotificationQuery {
            per_page: Some(1),
            ..NotificationQuery::default()
        };
        if let Ok(page) = auth
            .call(move |c| async move { c.notifications(&query).await })
            .await
        {
            let _ = unread.0.try_set(Some(page.unread));
        }
    });
}

/// The bell with its badge.
#[component]
pub fn Bell() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let unread = use_unread();
    let path = use_location().pathname;
    let enterprise = Memo::new(move |_| {
        auth.me
            .with(|m| m.as_ref().is_some_and(|m| m.role == Role::Enterprise))
    });

    Effect::new(move || {
        path.track();
        if enterprise.get() {
            refresh_unread(unread);
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if enterprise.get_untracked() {
                refresh_unread(unread);
            }
        },
        POLL,
    ) {
        on_cleanup(move || handle.clear());
    }

    let count = move || unread.0.get().unwrap_or(0);
    let label = move || match count() {
        0 => t.bell_title.to_owned(),
        n => format!("{}：{n} {}", t.bell_title, t.bell_unread_suffix),
    };
    move || {
        enterprise.get().then(|| {
            view! {
                <a
                    id="bell"
                    class="bell"
                    href="/system/notifications"
                    aria-label=label
                    title=label
                    class:active=move || path.get() == "/system/notifications"
                >
                    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                        <path
                            fill="currentColor"
                            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                        />
                    </svg>
                    {move || {
                        (count() > 0)
                            .then(|| {
                                let n = count();
                                let text = if n > 99 { "99+".to_owned() } else { n.to_string() };
                                view! { <span id="bell-count" class="bell-count">{text}</span> }
                            })
                    }}
                </a>
            }
        })
    }
}
