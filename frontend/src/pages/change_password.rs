//! 强制修改密码: after a first login or a password reset by the institute (manual §8.1), nothing
//! else works until the password is changed. Same three fields as 账户信息维护 › 账户安全.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::auth::{Status, use_auth};
use crate::components::{PageLoading, PasswordForm};
use crate::i18n::t;
use crate::nav::HOME;

/// 强制修改密码.
#[component]
pub fn ChangePassword() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();

    // Not signed in: to the login page, and back here afterwards if still needed.
    {
        let navigate = navigate.clone();
        Effect::new(move || {
            if matches!(auth.status.get(), Status::Anonymous | Status::LoggedOut) {
                navigate(
                    "/login",
                    NavigateOptions {
                        replace: true,
                        ..NavigateOptions::default()
                    },
                );
            }
        });
    }
    Effect::new(move || {
        document().set_title(&format!("{} - {}", t.force_change_title, t.app_short))
    });

    let done = {
        let navigate = navigate.clone();
        Callback::new(move |()| navigate(HOME, NavigateOptions::default()))
    };
    let logout = move |_| {
        spawn_local(async move {
            auth.logout().await;
        });
    };
    let ready = Memo::new(move |_| auth.status.get() == Status::Ready);

    move || {
        if !ready.get() {
            return view! { <PageLoading text=t.session_restoring /> }.into_any();
        }
        let username = auth
            .me
            .with_untracked(|m| m.as_ref().map(|m| m.username.clone()));
        view! {
            <div class="standalone">
                <div class="standalone-brand">
                    <span class="brand-mark" aria-hidden="true">"特"</span>
                    <p class="standalone-name">{t.app_name}</p>
                </div>
                <main class="card login-card">
                    <h1 class="page-title">{t.force_change_title}</h1>
                    <p class="alert alert-info">{t.force_change_why}</p>
                    <p class="muted lead-line">{t.username} "：" <strong>{username}</strong></p>
                    <PasswordForm on_success=done />
                    <div class="login-links">
                        <a href="/help">{t.help}</a>
                        <button type="button" class="btn-link" on:click=logout>
                            {t.force_change_logout}
                        </button>
                    </div>
                </main>
            </div>
        }
        .into_any()
    }
}
