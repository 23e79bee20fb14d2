//! 帮助: the manual's §8 常见问题, rewritten for current browsers, and 附录二 联系方式 with the
//! institute's offices from `GET /reference/offices`. Reachable without login: inside the frame
//! when signed in, standalone otherwise.

use leptos::prelude::*;
use tejian_contract::reference::Office;

use crate::auth::{Status, UiError, use_auth};
use crate::components::{Empty, ErrorBox, Frame, Load, Loader, Loading, PageLoading};
use crate::i18n::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Waiting,
    Framed,
    Standalone,
}

/// 帮助.
#[component]
pub fn Help() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let mode = Memo::new(move |_| match auth.status.get() {
        Status::Resuming => Mode::Waiting,
        Status::Ready if !auth.must_change_password() => Mode::Framed,
        _ => Mode::Standalone,
    });
    Effect::new(move || document().set_title(&format!("{} - {}", t.help, t.app_short)));

    move || match mode.get() {
        Mode::Waiting => view! { <PageLoading text=t.session_restoring /> }.into_any(),
        Mode::Framed => view! {
            <Frame>
                <HelpContent />
            </Frame>
        }
        .into_any(),
        Mode::Standalone => view! {
            <div class="standalone standalone-wide">
                <div class="standalone-brand">
                    <span class="brand-mark" aria-hidden="true">"特"</span>
                    <p class="standalone-name">{t.app_name}</p>
                </div>
                <main id="main" class="stack">
                    <HelpContent />
                    <p class="center">
                        <a href="/login">{t.help_back_to_login}</a>
                    </p>
                </main>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn HelpContent() -> impl IntoView {
    let t = t();
    let faqs = t
        .faq
        .iter()
        .map(|faq| {
            let answers = faq
                .answers
                .iter()
                .map(|a| view! { <li>{*a}</li> })
                .collect_view();
            view! {
                <article class="faq" id=faq.id>
                    <h3>
                        <span class="faq-no">{faq.section}</span>
                        {faq.question}
                    </h3>
                    <p class="muted">{faq.symptom}</p>
                    <ol class="faq-answers">{answers}</ol>
                </article>
            }
        })
        .collect_view();

    view! {
        <div class="stack">
            <section class="card">
                <h1 class="page-title">{t.help_title}</h1>
                <p class="muted">{t.help_intro}</p>
                <h2 class="section-title">{t.faq_title}</h2>
                {faqs}
            </section>
            <Contacts />
        </div>
    }
}

/// 附录二 联系方式.
#[component]
fn Contacts() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let offices = Loader::new(move || {
        let client = auth.client();
        async move { client.offices().await.map_err(UiError::from) }
    });
    let retry = Callback::new(move |()| offices.reload());

    view! {
        <section class="card" id="contacts">
            <h2 class="section-title">{t.contacts_title}</h2>
            <div class="contact-lead">
                <p>
                    <strong>{t.contacts_platform_desk}</strong>
                    " "
                    <a class="tel" href=tel(t.contacts_platform_desk_phone)>
                        {t.contacts_platform_desk_phone}
                    </a>
                </p>
                <p class="muted small">{t.contacts_platform_desk_duty}</p>
            </div>
            <h3 class="subsection-title">{t.contacts_offices}</h3>
            <p class="muted small">{t.contacts_offices_duty}</p>
            {move || {
                offices
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(error) => {
                            view! { <ErrorBox error=error.clone() on_retry=retry /> }.into_any()
                        }
                        Load::Ready(list) if list.is_empty() => {
                            view! { <Empty text=t.contacts_empty /> }.into_any()
                        }
                        Load::Ready(list) => office_cards(list).into_any(),
                    })
            }}
        </section>
    }
}

fn office_cards(offices: &[Office]) -> impl IntoView + use<> {
    let t = t();
    let cards = offices
        .iter()
        .map(|office| {
            view! {
                <li class="office">
                    <h4>{t.institute} " " {office.name.clone()}</h4>
                    <p>
                        <span class="label">{t.contacts_address}</span>
                        {office.address.clone()}
                    </p>
                    <p>
                        <span class="label">{t.contacts_phone}</span>
                        <a class="tel" href=tel(&office.phone)>{office.phone.clone()}</a>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="office-grid">{cards}</ul> }
}

/// A `tel:` link for a printed number (`0572-2523106` → `tel:0572-2523106`).
fn tel(number: &str) -> String {
    let dialable: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '+' | '-'))
        .collect();
    format!("tel:{dialable}")
}
