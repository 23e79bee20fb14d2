//! 系统管理 › 提醒设置: when the enterprise is reminded of equipment falling due (the window, the
//! marks, weekly when overdue) and who gets the SMS. In-app messages always go out. Only an
//! enterprise admin may change it; others see it read-only.

use leptos::prelude::*;
use tejian_contract::notification::{ReminderSettings as Settings, ReminderSettingsView};

use crate::auth::{UiError, use_auth};
use crate::components::field::FieldMessage;
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// 提醒设置.
#[component]
pub fn ReminderSettings() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let view_state: Loader<ReminderSettingsView> = Loader::new(move || async move {
        auth.call(|c| async move { c.reminder_settings().await })
            .await
    });
    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_reminder_settings}</h1>
            <p class="muted">{t.reminder_intro}</p>
            {move || {
                view_state
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| view_state.reload()) />
                        }
                        .into_any(),
                        Load::Ready(v) => view! { <SettingsForm initial=v.clone() /> }.into_any(),
                    })
            }}
        </section>
    }
}

/// Field messages of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    window: Option<String>,
    marks: Option<String>,
    phones: Option<String>,
    general: Option<String>,
}

fn server_errors(e: &UiError) -> Errors {
    let starts = |prefix: &str| {
        e.fields()
            .iter()
            .find(|f| f.pointer.starts_with(prefix))
            .map(|f| f.detail.clone())
    };
    let mut errors = Errors {
        window: starts("/window_days"),
        marks: starts("/marks"),
        phones: starts("/extra_phones"),
        general: None,
    };
    if errors == Errors::default() {
        errors.general = Some(e.message.clone());
    }
    errors
}

#[component]
fn SettingsForm(initial: ReminderSettingsView) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let editable = initial.editable;
    let manager_phone = initial.safety_manager_phone.clone();
    let s = initial.settings;
    let window = RwSignal::new(s.window_days.to_string());
    let marks = RwSignal::new(
        s.marks
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(","),
    );
    let weekly = RwSignal::new(s.weekly_overdue);
    let sms_manager = RwSignal::new(s.sms_to_safety_manager);
    let phones = RwSignal::new(s.extra_phones.join("\n"));
    let errors = RwSignal::new(Errors::default());
    let saved = RwSignal::new(false);

    let save = Action::new_local(move |settings: &Settings| {
        let settings = settings.clone();
        async move {
            match auth
                .call(move |c| async move { c.update_reminder_settings(&settings).await })
                .await
            {
                Ok(v) => {
                    let s = v.settings;
                    let _ = window.try_set(s.window_days.to_string());
                    let _ = marks.try_set(
                        s.marks
                            .iter()
                            .map(u16::to_string)
                            .collect::<Vec<_>>()
                            .join(","),
                    );
                    let _ = phones.try_set(s.extra_phones.join("\n"));
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = errors.try_set(server_errors(&e));
                }
            }
        }
    });
    let pending = save.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !editable {
            return;
        }
        saved.set(false);
        let Ok(window_days) = window.get_untracked().trim().parse::<u16>() else {
            errors.set(Errors {
                window: Some(t.reminder_bad_number.to_owned()),
                ..Errors::default()
            });
            return;
        };
        let parsed: Result<Vec<u16>, _> = marks
            .get_untracked()
            .split([',', '，', ' ', '、'])
            .filter(|m| !m.trim().is_empty())
            .map(|m| m.trim().parse::<u16>())
            .collect();
        let Ok(mark_days) = parsed else {
            errors.set(Errors {
                marks: Some(t.reminder_bad_marks.to_owned()),
                ..Errors::default()
            });
            return;
        };
        errors.set(Errors::default());
        save.dispatch_local(Settings {
            window_days,
            marks: mark_days,
            weekly_overdue: weekly.get_untracked(),
            sms_to_safety_manager: sms_manager.get_untracked(),
            extra_phones: phones
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        });
    };

    let window_error = Signal::derive(move || errors.with(|e| e.window.clone()));
    let marks_error = Signal::derive(move || errors.with(|e| e.marks.clone()));
    let phones_error = Signal::derive(move || errors.with(|e| e.phones.clone()));
    let manager_text = match manager_phone {
        Some(p) => format!("{}（{p}）", t.reminder_sms_manager),
        None => format!("{}{}", t.reminder_sms_manager, t.reminder_sms_manager_none),
    };

    view! {
        <form class="form" id="reminder-settings" on:submit=submit novalidate>
            {(!editable).then(|| view! { <div class="alert alert-info" role="status">{t.reminder_read_only}</div> })}
            {move || saved.get().then(|| view! { <div class="alert alert-success" role="status">{t.reminder_saved}</div> })}
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })
            }}
            <fieldset class="fieldset" disabled=!editable>
                <legend>{t.reminder_when}</legend>
                <div class="field">
                    <label for="window-days">{t.reminder_window}</label>
                    <input
                        id="window-days"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="90"
                        bind:value=window
                        aria-invalid=move || window_error.with(Option::is_some).then_some("true")
                        aria-describedby="window-days-hint window-days-error"
                    />
                    <p class="field-hint" id="window-days-hint">{t.reminder_window_hint}</p>
                    <FieldMessage id="window-days-error" message=window_error />
                </div>
                <div class="field">
                    <label for="marks">{t.reminder_marks}</label>
                    <input
                        id="marks"
                        type="text"
                        inputmode="numeric"
                        maxlength="40"
                        bind:value=marks
                        aria-invalid=move || marks_error.with(Option::is_some).then_some("true")
                        aria-describedby="marks-hint marks-error"
                    />
                    <p class="field-hint" id="marks-hint">{t.reminder_marks_hint}</p>
                    <FieldMessage id="marks-error" message=marks_error />
                </div>
                <label class="check">
                    <input id="weekly-overdue" type="checkbox" bind:checked=weekly />
                    {t.reminder_weekly}
                </label>
            </fieldset>
            <fieldset class="fieldset" disabled=!editable>
                <legend>{t.reminder_recipients}</legend>
                <p class="muted small">{t.reminder_inapp_always}</p>
                <label class="check">
                    <input id="sms-manager" type="checkbox" bind:checked=sms_manager />
                    {manager_text}
                </label>
                <div class="field">
                    <label for="extra-phones">{t.reminder_extra_phones}</label>
                    <textarea
                        id="extra-phones"
                        rows="3"
                        inputmode="tel"
                        bind:value=phones
                        aria-invalid=move || phones_error.with(Option::is_some).then_some("true")
                        aria-describedby="extra-phones-hint extra-phones-error"
                    ></textarea>
                    <p class="field-hint" id="extra-phones-hint">{t.reminder_extra_hint}</p>
                    <FieldMessage id="extra-phones-error" message=phones_error />
                </div>
            </fieldset>
            {editable.then(|| view! {
                <div class="form-actions">
                    <button
                        id="reminder-save"
                        type="submit"
                        class="btn btn-primary"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || if pending.get() { t.saving } else { t.reminder_save }}
                    </button>
                </div>
            })}
        </form>
    }
}
