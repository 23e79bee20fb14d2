//! 加载中 / 出错 / 暂无数据: the three states every data screen has besides its data.

use leptos::prelude::*;

use crate::auth::UiError;
use crate::i18n::t;

/// 正在加载: a spinner with a text, announced politely to screen readers.
#[component]
pub fn Loading(
    /// What is loading (default 「正在加载…」).
    #[prop(optional, into)]
    text: Option<String>,
) -> impl IntoView {
    let text = text.unwrap_or_else(|| t().loading.to_owned());
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{text}</span>
        </div>
    }
}

/// A whole-screen loading state (session being restored, redirect under way).
#[component]
pub fn PageLoading(#[prop(optional, into)] text: Option<String>) -> impl IntoView {
    view! {
        <div class="page-loading">
            <Loading text=text.unwrap_or_else(|| t().loading.to_owned()) />
        </div>
    }
}

/// 出错了: the problem's message and, when given, a 重试 button.
#[component]
pub fn ErrorBox(
    error: UiError,
    /// Runs when 重试 is pressed.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="alert alert-error error-box" role="alert">
            <p class="alert-title">{t().error_title}</p>
            <p>{error.message.clone()}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="btn btn-secondary" on:click=move |_| retry.run(())>
                    {t().retry}
                </button>
            })}
        </div>
    }
}

/// 暂无数据.
#[component]
pub fn Empty(#[prop(optional, into)] text: Option<String>) -> impl IntoView {
    view! {
        <div class="empty">
            <span class="empty-icon" aria-hidden="true">"∅"</span>
            <p>{text.unwrap_or_else(|| t().empty.to_owned())}</p>
        </div>
    }
}
