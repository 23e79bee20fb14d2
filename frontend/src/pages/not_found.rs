//! 页面不存在 (404): any path the app does not know.

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = t();
    Effect::new(move || document().set_title(&format!("{} - {}", t.not_found_title, t.app_short)));
    view! {
        <div class="standalone">
            <div class="standalone-brand">
                <span class="brand-mark" aria-hidden="true">"特"</span>
                <p class="standalone-name">{t.app_name}</p>
            </div>
            <main class="card login-card center">
                <p class="big-code" aria-hidden="true">"404"</p>
                <h1 class="page-title">{t.not_found_title}</h1>
                <p class="muted">{t.not_found_text}</p>
                <p>
                    <a class="btn btn-primary" href="/">{t.back_home}</a>
                </p>
            </main>
        </div>
    }
}
