//! 登录 (manual §3.1.1, §8.1): user name and password; the refresh token goes into an HttpOnly
//! cookie. A wrong user name and a wrong password get the same message from the server.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::auth::{Status, UiError, use_auth};
use crate::components::PageLoading;
use crate::i18n::t;
use crate::nav::HOME;

/// Failures in this page after which the lock-out notice is shown.
const NOTICE_AFTER_FAILURES: u32 = 3;

/// The `next` parameter when it is a path of this app (never another site, never /login).
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with("/login")
    })
    .unwrap_or_else(|| HOME.to_owned())
}

/// `/login?next=…` for a path the user wanted.
pub fn login_url(next: &str) -> String {
    if next.is_empty() || next == "/" || next.starts_with("/login") {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode_component(next))
    }
}

/// Percent-encodes everything but the unreserved characters and `/`.
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// 登录.
#[component]
pub fn Login() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let failures = RwSignal::new(0_u32);

    // Signed in (just now, or a session resumed from the cookie): go where the user wanted.
    Effect::new(move || {
        if auth.status.get() == Status::Ready {
            let target = if auth.must_change_password() {
                "/change-password".to_owned()
            } else {
                safe_next(query.with_untracked(|q| q.get("next")))
            };
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    Effect::new(move || document().set_title(&format!("{} - {}", t.login_title, t.app_short)));

    let action = Action::new_local(move |(user, pass): &(String, String)| {
        let (user, pass) = (user.clone(), pass.clone());
        async move {
            let result = auth.login(user, pass).await;
            if let Err(e) = &result
                && e.code() == Some("invalid_credentials")
            {
                let _ = failures.try_update(|n| *n += 1);
            }
            result
        }
    });
    let pending = action.pending();
    let server_error = move || -> Option<UiError> {
        if pending.get() {
            return None;
        }
        action.value().get().and_then(Result::err)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let user = username.get_untracked().trim().to_owned();
        let pass = password.get_untracked();
        if user.is_empty() {
            local_error.set(Some(t.login_need_username.to_owned()));
            return;
        }
        if pass.is_empty() {
            local_error.set(Some(t.login_need_password.to_owned()));
            return;
        }
        local_error.set(None);
        action.dispatch_local((user, pass));
    };

    let error = move || {
        local_error
            .get()
            .or_else(|| server_error().map(|e| e.message))
    };

    view! {
        <div class="standalone">
            <div class="standalone-brand">
                <span class="brand-mark" aria-hidden="true">"特"</span>
                <div>
                    <p class="standalone-name">{t.app_name}</p>
                    <p class="muted small">{t.login_subtitle}</p>
                </div>
            </div>
            <main class="card login-card">
                <h1 class="page-title">{t.login_title}</h1>
                {move || {
                    (auth.status.get() == Status::Ready)
                        .then(|| view! { <PageLoading text=t.redirecting /> })
                }}
                <form class="form" on:submit=submit novalidate>
                    {move || {
                        error()
                            .map(|message| {
                                view! {
                                    <div class="alert alert-error" role="alert">
                                        {message}
                                    </div>
                                }
                            })
                    }}
                    {move || {
                        (failures.get() >= NOTICE_AFTER_FAILURES)
                            .then(|| {
                                view! {
                                    <div class="alert alert-info" role="note">
                                        {t.login_many_failures}
                                    </div>
                                }
                            })
                    }}
                    <div class="field">
                        <label for="username">{t.username}</label>
                        <input
                            id="username"
                            name="username"
                            type="text"
                            autocomplete="username"
                            autocapitalize="none"
                            spellcheck="false"
                            placeholder=t.username_placeholder
                            bind:value=username
                        />
                    </div>
                    <div class="field">
                        <label for="password">{t.password}</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            placeholder=t.password_placeholder
                            bind:value=password
                        />
                    </div>
                    <div class="form-actions">
                        <button
                            id="login-submit"
                            type="submit"
                            class="btn btn-primary btn-block"
                            disabled=move || pending.get()
                            aria-busy=move || pending.get().then_some("true")
                        >
                            {move || if pending.get() { t.login_pending } else { t.login_submit }}
                        </button>
                    </div>
                </form>
                <div class="login-links">
                    <a href="/help">{t.help}</a>
                    <a href="/register" id="register-link">{t.register_entry}</a>
                    <a
                        href="/api/v1/forms/account-application.pdf"
                        id="application-form-link"
                        target="_blank"
                        rel="noopener"
                    >
                        {t.reg_download_form}
                    </a>
                </div>
            </main>
            <footer class="standalone-footer muted small">
                <a href="/verify" id="verify-link">{t.verify_title}</a>
                " · "
                {t.login_footer}
            </footer>
        </div>
    }
}
