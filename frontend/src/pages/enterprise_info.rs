//! 企业信息维护 › 基本信息维护 (manual §6.1): the enterprise's own details. The name, credit code
//! and district are shown but not editable; a new 安全管理负责人 mobile asks for the password again.

use leptos::prelude::*;
use tejian_contract::enterprise::{EnterpriseDetails, UpdateEnterprise};
use tejian_domain::account::EnterpriseRole;

use crate::auth::{UiError, use_auth};
use crate::components::field::InputField;
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// 基本信息维护.
#[component]
pub fn EnterpriseInfo() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let details =
        Loader::new(
            move || async move { auth.call(|c| async move { c.enterprise().await }).await },
        );
    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_enterprise_info}</h1>
            {move || {
                details
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| details.reload()) />
                        }
                        .into_any(),
                        Load::Ready(d) => view! { <DetailsForm details=d.clone() /> }.into_any(),
                    })
            }}
        </section>
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn optional(value: String) -> Option<String> {
    let value = value.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

#[component]
fn DetailsForm(details: EnterpriseDetails) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let is_admin = auth.me.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| m.enterprise_role == Some(EnterpriseRole::Admin))
    });
    let address = RwSignal::new(details.address.clone());
    let legal = RwSignal::new(text(&details.legal_representative));
    let manager = RwSignal::new(text(&details.safety_manager));
    let manager_phone = RwSignal::new(text(&details.safety_manager_phone));
    let contact = RwSignal::new(text(&details.contact_phone));
    let email = RwSignal::new(text(&details.email));
    let password = RwSignal::new(String::new());
    // The stored mobile: a different one needs the password again.
    let saved_phone = RwSignal::new(text(&details.safety_manager_phone));
    let phone_changed =
        Memo::new(move |_| manager_phone.with(|p| p.trim() != saved_phone.get().trim()));
    let error = RwSignal::new(None::<UiError>);
    let saved = RwSignal::new(false);

    let action = Action::new_local(move |update: &UpdateEnterprise| {
        let update = update.clone();
        async move {
            match auth
                .call(move |c| async move { c.update_enterprise(&update).await })
                .await
            {
                Ok(d) => {
                    let _ = saved_phone.try_set(text(&d.safety_manager_phone));
                    let _ = password.try_set(String::new());
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        }
    });
    let pending = action.pending();
    let field = move |pointer: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(pointer))))
    };
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.fields().is_empty())
                .map(|e| e.message.clone())
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        if address.get_untracked().trim().is_empty() {
            error.set(Some(UiError::local(422, "required", t.ent_need_address)));
            return;
        }
        error.set(None);
        action.dispatch_local(UpdateEnterprise {
            address: address.get_untracked().trim().to_owned(),
            legal_representative: optional(legal.get_untracked()),
            safety_manager: optional(manager.get_untracked()),
            safety_manager_phone: optional(manager_phone.get_untracked()),
            contact_phone: optional(contact.get_untracked()),
            email: optional(email.get_untracked()),
            current_password: phone_changed
                .get_untracked()
                .then(|| password.get_untracked()),
        });
    };

    view! {
        <h2 class="section-title">{t.ent_readonly_title}</h2>
        <dl class="facts">
            <div>
                <dt>{t.ent_name}</dt>
                <dd>{details.name.clone()}</dd>
            </div>
            <div>
                <dt>{t.ent_credit_code}</dt>
                <dd class="mono">{details.credit_code.clone()}</dd>
            </div>
            <div>
                <dt>{t.ent_district}</dt>
                <dd>{details.district_name.clone()}</dd>
            </div>
        </dl>
        <p class="muted small">{t.ent_readonly_note}</p>
        {(!is_admin).then(|| view! { <div class="alert alert-info" role="note">{t.ent_admin_only}</div> })}
        <form class="form" on:submit=submit novalidate>
            {move || saved.get().then(|| view! {
                <div class="alert alert-success" role="status">{t.ent_saved}</div>
            })}
            {move || general().map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            <fieldset class="form-grid" disabled=!is_admin>
                <InputField id="ent-address" label=t.ent_address value=address error=field("/address") maxlength="200" wide=true />
                <InputField id="ent-legal" label=t.ent_legal_rep value=legal error=field("/legal_representative") maxlength="50" />
                <InputField id="ent-manager" label=t.ent_safety_manager value=manager error=field("/safety_manager") maxlength="50" />
                <InputField
                    id="ent-manager-phone"
                    label=t.ent_safety_phone
                    value=manager_phone
                    error=field("/safety_manager_phone")
                    kind="tel"
                    inputmode="numeric"
                    maxlength="11"
                    hint=t.ent_safety_phone_note
                />
                <InputField id="ent-contact" label=t.ent_contact_phone value=contact error=field("/contact_phone") kind="tel" maxlength="30" />
                <InputField id="ent-email" label=t.ent_email value=email error=field("/email") kind="email" maxlength="120" />
                {move || phone_changed.get().then(|| view! {
                    <InputField
                        id="ent-password"
                        label=t.ent_password_again
                        value=password
                        error=field("/current_password")
                        kind="password"
                        autocomplete="current-password"
                        hint=t.ent_password_again_hint
                    />
                })}
            </fieldset>
            {is_admin.then(|| view! {
                <div class="form-actions">
                    <button
                        id="enterprise-save"
                        type="submit"
                        class="btn btn-primary"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || if pending.get() { t.saving } else { t.ent_save }}
                    </button>
                </div>
            })}
        </form>
    }
}
