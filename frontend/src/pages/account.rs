//! 系统管理 › 账户信息维护 (manual §7.1): two tabs, 个人资料 (name, phone, email) and 账户安全
//! (change the password).

use leptos::prelude::*;
use tejian_contract::me::UpdateMe;

use crate::auth::{UiError, use_auth};
use crate::components::PasswordForm;
use crate::components::field::FieldMessage;
use crate::i18n::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Profile,
    Security,
}

/// 账户信息维护.
#[component]
pub fn Account() -> impl IntoView {
    let t = t();
    let tab = RwSignal::new(Tab::Profile);

    let tab_button =
        move |which: Tab, id: &'static str, panel: &'static str, label: &'static str| {
            view! {
                <button
                    type="button"
                    role="tab"
                    id=id
                    class="tab"
                    class:active=move || tab.get() == which
                    aria-selected=move || if tab.get() == which { "true" } else { "false" }
                    aria-controls=panel
                    on:click=move |_| tab.set(which)
                >
                    {label}
                </button>
            }
        };

    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_account}</h1>
            <div class="tabs" role="tablist">
                {tab_button(Tab::Profile, "tab-profile", "panel-profile", t.tab_profile)}
                {tab_button(Tab::Security, "tab-security", "panel-security", t.tab_security)}
            </div>
            {move || match tab.get() {
                Tab::Profile => {
                    view! {
                        <div role="tabpanel" id="panel-profile" aria-labelledby="tab-profile">
                            <Profile />
                        </div>
                    }
                        .into_any()
                }
                Tab::Security => {
                    view! {
                        <div role="tabpanel" id="panel-security" aria-labelledby="tab-security">
                            <PasswordForm />
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Per-field messages of the profile form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    display_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    general: Option<String>,
}

/// 个人资料.
#[component]
fn Profile() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let me = auth.me.get_untracked();

    let display_name = RwSignal::new(
        me.as_ref()
            .map(|m| m.display_name.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.phone.clone())
            .unwrap_or_default(),
    );
    let email = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.email.clone())
            .unwrap_or_default(),
    );
    let errors = RwSignal::new(Errors::default());
    let saved = RwSignal::new(false);

    let action = Action::new_local(move |update: &UpdateMe| {
        let update = update.clone();
        async move {
            match auth
                .call(move |c| async move { c.update_me(&update).await })
                .await
            {
                Ok(me) => {
                    let _ = display_name.try_set(me.display_name.clone());
                    let _ = phone.try_set(me.phone.clone().unwrap_or_default());
                    let _ = email.try_set(me.email.clone().unwrap_or_default());
                    auth.me.set(Some(me));
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = errors.try_set(server_errors(&e));
                }
            }
        }
    });
    let pending = action.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        let name = display_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            errors.set(Errors {
                display_name: Some(t.profile_need_name.to_owned()),
                ..Errors::default()
            });
            return;
        }
        errors.set(Errors::default());
        let optional = |s: String| {
            let s = s.trim().to_owned();
            (!s.is_empty()).then_some(s)
        };
        action.dispatch_local(UpdateMe {
            display_name: name,
            phone: optional(phone.get_untracked()),
            email: optional(email.get_untracked()),
        });
    };

    let name_error = Signal::derive(move || errors.with(|e| e.display_name.clone()));
    let phone_error = Signal::derive(move || errors.with(|e| e.phone.clone()));
    let email_error = Signal::derive(move || errors.with(|e| e.email.clone()));

    let read = move |f: fn(&tejian_contract::me::Me) -> String| {
        move || auth.me.with(|m| m.as_ref().map(f).unwrap_or_default())
    };

    view! {
        <form class="form" on:submit=submit novalidate>
            {move || {
                saved
                    .get()
                    .then(|| {
                        view! {
                            <div class="alert alert-success" role="status">
                                {t.profile_saved}
                            </div>
                        }
                    })
            }}
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|message| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {message}
                            </div>
                        }
                    })
            }}
            <dl class="facts">
                <div>
                    <dt>{t.username}</dt>
                    <dd>{read(|m| m.username.clone())}</dd>
                </div>
                <div>
                    <dt>{t.role}</dt>
                    <dd>{read(|m| m.role.label_zh().to_owned())}</dd>
                </div>
                <div>
                    <dt>{t.organisation}</dt>
                    <dd>
                        {read(|m| {
                            m.enterprise
                                .as_ref()
                                .map_or_else(|| m.role.label_zh().to_owned(), |e| e.name.clone())
                        })}
                    </dd>
                </div>
            </dl>
            <div class="field">
                <label for="display-name">{t.display_name}</label>
                <input
                    id="display-name"
                    type="text"
                    autocomplete="name"
                    maxlength="50"
                    bind:value=display_name
                    aria-invalid=move || name_error.with(Option::is_some).then_some("true")
                    aria-describedby="display-name-error"
                />
                <FieldMessage id="display-name-error" message=name_error />
            </div>
            <div class="field">
                <label for="phone">{t.phone} <span class="muted small">{t.optional}</span></label>
                <input
                    id="phone"
                    type="tel"
                    inputmode="numeric"
                    autocomplete="tel"
                    maxlength="20"
                    bind:value=phone
                    aria-invalid=move || phone_error.with(Option::is_some).then_some("true")
                    aria-describedby="phone-error"
                />
                <FieldMessage id="phone-error" message=phone_error />
            </div>
            <div class="field">
                <label for="email">{t.email} <span class="muted small">{t.optional}</span></label>
                <input
                    id="email"
                    type="email"
                    autocomplete="email"
                    maxlength="120"
                    bind:value=email
                    aria-invalid=move || email_error.with(Option::is_some).then_some("true")
                    aria-describedby="email-error"
                />
                <FieldMessage id="email-error" message=email_error />
            </div>
            <div class="form-actions">
                <button
                    id="profile-submit"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.saving } else { t.ok }}
                </button>
            </div>
        </form>
    }
}

/// The server's answer, per field.
fn server_errors(error: &UiError) -> Errors {
    let mut errors = Errors {
        display_name: error.field("/display_name"),
        phone: error.field("/phone"),
        email: error.field("/email"),
        general: None,
    };
    let known = ["/display_name", "/phone", "/email"];
    let has_known =
        errors.display_name.is_some() || errors.phone.is_some() || errors.email.is_some();
    let has_other = error
        .fields()
        .iter()
        .any(|f| !known.contains(&f.pointer.as_str()));
    if !has_known || has_other {
        errors.general = Some(error.message.clone());
    }
    errors
}
