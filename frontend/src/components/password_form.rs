//! 修改密码表单: 当前密码 / 新密码 / 确认新密码, shared by 账户信息维护 › 账户安全 and the forced
//! change after a first login or a reset.
//!
//! The new password is checked here with the server's own rule
//! ([`tejian_domain::account::password::check_new_password`]); the server's answers are shown
//! next to the field they concern.

use leptos::prelude::*;
use tejian_contract::me::ChangePassword;
use tejian_domain::account::password::check_new_password;

use crate::auth::{UiError, use_auth};
use crate::components::field::FieldMessage;
use crate::i18n::t;

/// Per-field messages of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
    general: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.current.is_some() || self.new.is_some() || self.confirm.is_some()
    }
}

/// The password change form. `on_success` runs after the change and the token refresh.
#[component]
pub fn PasswordForm(#[prop(optional)] on_success: Option<Callback<()>>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let success = RwSignal::new(false);

    let action = Action::new_local(move |change: &ChangePassword| {
        let change = change.clone();
        async move {
            let result = auth
                .call(move |c| async move { c.change_password(&change).await })
                .await;
            match result {
                Ok(()) => {
                    // A token without the must-change flag, and the user again. The change itself
                    // succeeded even if this fails; the next call refreshes by itself.
                    let _ = auth.after_password_change().await;
                    let _ = current.try_set(String::new());
                    let _ = new.try_set(String::new());
                    let _ = confirm.try_set(String::new());
                    let _ = success.try_set(true);
                    if let Some(done) = on_success {
                        done.run(());
                    }
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
        success.set(false);
        let username = auth
            .me
            .with_untracked(|m| m.as_ref().map(|m| m.username.clone()))
            .unwrap_or_default();
        let checked = local_errors(
            &current.get_untracked(),
            &new.get_untracked(),
            &confirm.get_untracked(),
            &username,
        );
        if checked.any() {
            errors.set(checked);
            return;
        }
        errors.set(Errors::default());
        action.dispatch_local(ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };

    let current_error = Signal::derive(move || errors.with(|e| e.current.clone()));
    let new_error = Signal::derive(move || errors.with(|e| e.new.clone()));
    let confirm_error = Signal::derive(move || errors.with(|e| e.confirm.clone()));

    view! {
        <form class="form" on:submit=submit novalidate>
            {move || {
                success
                    .get()
                    .then(|| {
                        view! {
                            <div class="alert alert-success" role="status">
                                {t.password_changed}
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
            <div class="field">
                <label for="current-password">{t.current_password}</label>
                <input
                    id="current-password"
                    type="password"
                    autocomplete="current-password"
                    bind:value=current
                    aria-invalid=move || current_error.with(Option::is_some).then_some("true")
                    aria-describedby="current-password-error"
                />
                <FieldMessage id="current-password-error" message=current_error />
            </div>
            <div class="field">
                <label for="new-password">{t.new_password}</label>
                <input
                    id="new-password"
                    type="password"
                    autocomplete="new-password"
                    bind:value=new
                    aria-invalid=move || new_error.with(Option::is_some).then_some("true")
                    aria-describedby="new-password-hint new-password-error"
                />
                <p class="field-hint" id="new-password-hint">{t.password_rule}</p>
                <FieldMessage id="new-password-error" message=new_error />
            </div>
            <div class="field">
                <label for="confirm-password">{t.confirm_password}</label>
                <input
                    id="confirm-password"
                    type="password"
                    autocomplete="new-password"
                    bind:value=confirm
                    aria-invalid=move || confirm_error.with(Option::is_some).then_some("true")
                    aria-describedby="confirm-password-error"
                />
                <FieldMessage id="confirm-password-error" message=confirm_error />
            </div>
            <div class="form-actions">
                <button
                    id="password-submit"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.submitting } else { t.ok }}
                </button>
            </div>
        </form>
    }
}

/// The checks made before asking the server.
fn local_errors(current: &str, new: &str, confirm: &str, username: &str) -> Errors {
    let t = t();
    let mut errors = Errors::default();
    if current.is_empty() {
        errors.current = Some(t.password_need_current.to_owned());
    }
    if let Err(problem) = check_new_password(new, username) {
        errors.new = Some(problem.to_string());
    }
    if confirm != new {
        errors.confirm = Some(t.password_mismatch.to_owned());
    }
    errors
}

/// The server's answer, per field.
fn server_errors(error: &UiError) -> Errors {
    let mut errors = Errors {
        current: error.field("/current_password"),
        new: error.field("/new_password"),
        ..Errors::default()
    };
    if !errors.any() {
        errors.general = Some(error.message.clone());
    }
    errors
}
