//! 企业账号申请注册 (manual §3.1): the terms with a 10-second countdown before 「同意以上条款」
//! (3.1.3), the form with the 营业执照 upload (3.1.4–3.1.5), and the confirmation with the
//! reference number (3.1.6). No login. The paper form for offline registration (3.2) is linked.

use std::time::Duration;

use leptos::prelude::*;
use tejian_contract::reference::District;
use tejian_contract::registration::{AccountApplication, RegistrationReceipt, RegistrationTerms};
use tejian_domain::credit_code::CreditCode;
use tejian_domain::phone::MobileNumber;
use tejian_domain::registration::UnitType;
use wasm_bindgen_futures::JsFuture;

use crate::auth::{UiError, use_auth};
use crate::components::field::{FieldMessage, InputField};
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

const FORM_URL: &str = "/api/v1/forms/account-application.pdf";
/// The file types the server takes (it checks the content, too).
const EXTENSIONS: [&str; 4] = [".pdf", ".jpg", ".jpeg", ".png"];

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Terms,
    Form,
    Done(RegistrationReceipt),
}

/// 企业账号申请注册.
#[component]
pub fn Registration() -> impl IntoView {
    let t = t();
    let step = RwSignal::new(Step::Terms);
    let terms_version = RwSignal::new(String::new());
    Effect::new(move || document().set_title(&format!("{} - {}", t.reg_title, t.app_short)));

    let steps = move || {
        let current = match step.get() {
            Step::Terms => 0,
            Step::Form => 1,
            Step::Done(_) => 2,
        };
        [t.reg_step_terms, t.reg_step_form, t.reg_step_done]
            .into_iter()
            .enumerate()
            .map(|(i, label)| {
                view! {
                    <li
                        class="step"
                        class:done=i < current
                        class:reg-step-current=i == current
                        aria-current=(i == current).then_some("step")
                    >
                        <span class="step-dot" aria-hidden="true"></span>
                        {label}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="standalone standalone-wide">
            <div class="standalone-brand">
                <span class="brand-mark" aria-hidden="true">"特"</span>
                <div>
                    <p class="standalone-name">{t.app_name}</p>
                    <p class="muted small">{t.institute}</p>
                </div>
            </div>
            <main id="main" class="card login-card">
                <h1 class="page-title">{t.reg_title}</h1>
                <ol class="steps">{steps}</ol>
                {move || match step.get() {
                    Step::Terms => {
                        view! {
                            <Terms on_agree=Callback::new(move |version: String| {
                                terms_version.set(version);
                                step.set(Step::Form);
                            }) />
                        }
                            .into_any()
                    }
                    Step::Form => {
                        view! {
                            <RegistrationForm
                                terms_version=terms_version.get_untracked()
                                on_done=Callback::new(move |r| step.set(Step::Done(r)))
                            />
                        }
                            .into_any()
                    }
                    Step::Done(receipt) => view! { <Done receipt /> }.into_any(),
                }}
                <div class="login-links">
                    <a href="/login">{t.reg_back_login}</a>
                    <a href=FORM_URL id="reg-form-download" target="_blank" rel="noopener">
                        {t.reg_download_form}
                    </a>
                </div>
            </main>
            <footer class="standalone-footer muted small">
                <p>{t.reg_offline_title} {t.reg_offline_text}</p>
            </footer>
        </div>
    }
}

/// The terms, and 「同意以上条款」 enabled after the countdown (3.1.3).
#[component]
fn Terms(on_agree: Callback<String>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let terms: Loader<RegistrationTerms> = Loader::new(move || {
        let client = auth.client();
        async move { client.registration_terms().await.map_err(UiError::from) }
    });
    let left = RwSignal::new(None::<u32>);
    // Start counting when the terms are on the screen.
    Effect::new(move || {
        if let Load::Ready(terms) = &*terms.state.read()
            && left.get_untracked().is_none()
        {
            left.set(Some(terms.min_read_seconds));
        }
    });
    let ticker = set_interval_with_handle(
        move || {
            if let Some(Some(n)) = left.try_get_untracked()
                && n > 0
            {
                let _ = left.try_set(Some(n - 1));
            }
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = ticker {
            handle.clear();
        }
    });

    move || match terms.state.get() {
        Load::Loading => view! { <Loading /> }.into_any(),
        Load::Failed(error) => {
            view! { <ErrorBox error on_retry=Callback::new(move |()| terms.reload()) /> }.into_any()
        }
        Load::Ready(terms) => {
            let version = terms.version.clone();
            let paragraphs = terms
                .text
                .lines()
                .map(|p| view! { <p>{p.to_owned()}</p> })
                .collect_view();
            let waiting = move || left.get().is_none_or(|n| n > 0);
            view! {
                <section class="reg-terms" aria-labelledby="reg-terms-title">
                    <h2 id="reg-terms-title" class="reg-terms-title">
                        {format!("《{}》", terms.title)}
                    </h2>
                    <div class="reg-terms-text" tabindex="0">{paragraphs}</div>
                    <p class="muted small reg-terms-version">{t.reg_terms_version} {terms.version.clone()}</p>
                    <p class="reg-countdown" id="reg-countdown" aria-live="polite">
                        {move || {
                            left.get()
                                .filter(|n| *n > 0)
                                .map(|n| {
                                    format!("{}{n}{}", t.reg_countdown_before, t.reg_countdown_after)
                                })
                        }}
                    </p>
                    <div class="form-actions">
                        <button
                            id="reg-agree"
                            type="button"
                            class="btn btn-primary"
                            disabled=waiting
                            on:click=move |_| on_agree.run(version.clone())
                        >
                            {t.reg_agree}
                            {move || {
                                left.get()
                                    .filter(|n| *n > 0)
                                    .map(|n| format!("（{n}{}）", t.reg_seconds))
                            }}
                        </button>
                    </div>
                </section>
            }
                .into_any()
        }
    }
}

/// The chosen 营业执照: name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Licence {
    name: String,
    bytes: Vec<u8>,
}

/// The form (3.1.4–3.1.6).
#[component]
fn RegistrationForm(
    terms_version: String,
    on_done: Callback<RegistrationReceipt>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let districts: Loader<Vec<District>> = Loader::new(move || {
        let client = auth.client();
        async move { client.districts().await.map_err(UiError::from) }
    });

    let unit_type = RwSignal::new(UnitType::UseUnit.as_str().to_owned());
    let name = RwSignal::new(String::new());
    let credit_code = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let legal = RwSignal::new(String::new());
    let safety = RwSignal::new(String::new());
    let safety_phone = RwSignal::new(String::new());
    let applicant = RwSignal::new(String::new());
    let applicant_phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let licence = RwSignal::new(None::<Licence>);
    let licence_local_error = RwSignal::new(None::<String>);
    let terms_version = StoredValue::new(terms_version);

    let action = Action::new_local(move |(form, licence): &(AccountApplication, Licence)| {
        let (form, licence) = (form.clone(), licence.clone());
        let client = auth.client();
        async move {
            client
                .submit_registration(&form, &licence.name, licence.bytes)
                .await
                .map_err(UiError::from)
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(Ok(receipt)) = action.value().get() {
            on_done.run(receipt);
        }
    });
    let server_error = move || action.value().get().and_then(Result::err);
    // The browser's own check (the domain's parsers, as on the server) until the next submit.
    let local_errors = RwSignal::new(Vec::<(&'static str, String)>::new());
    let field_error = move |pointer: &'static str| {
        Signal::derive(move || {
            local_errors
                .with(|l| {
                    l.iter()
                        .find(|(p, _)| *p == pointer)
                        .map(|(_, m)| m.clone())
                })
                .or_else(|| server_error().and_then(|e| e.field(pointer)))
        })
    };
    let general_error = move || {
        server_error().filter(|e| e.fields().is_empty()).map(|e| {
            if e.code() == Some("rate_limited") {
                t.reg_rate_limited.to_owned()
            } else {
                e.message
            }
        })
    };
    let licence_error = Signal::derive(move || {
        licence_local_error
            .get()
            .or_else(|| server_error().and_then(|e| e.field("/licence")))
    });

    let choose_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            licence.set(None);
            return;
        };
        let file_name = file.name();
        let lower = file_name.to_lowercase();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = file.size() as u64;
        if !EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            licence.set(None);
            licence_local_error.set(Some(t.file_type_refused.to_owned()));
            return;
        }
        if size > tejian_contract::files::MAX_UPLOAD_BYTES as u64 {
            licence.set(None);
            licence_local_error.set(Some(t.file_too_large.to_owned()));
            return;
        }
        licence_local_error.set(None);
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let _ = licence.try_set(Some(Licence {
                        name: file_name,
                        bytes,
                    }));
                }
                Err(_) => {
                    let _ = licence_local_error.try_set(Some(t.file_read_failed.to_owned()));
                }
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let mut local = Vec::new();
        if let Err(e) = CreditCode::parse(&text(credit_code)) {
            local.push(("/credit_code", e.to_string()));
        }
        for (pointer, value) in [
            ("/safety_manager_phone", text(safety_phone)),
            ("/applicant_phone", text(applicant_phone)),
        ] {
            if !value.is_empty()
                && let Err(e) = MobileNumber::parse(&value)
            {
                local.push((pointer, e.to_string()));
            }
        }
        let file = licence.get_untracked();
        if file.is_none() {
            licence_local_error.set(Some(t.reg_need_licence.to_owned()));
        }
        let invalid = !local.is_empty();
        local_errors.set(local);
        let (Some(file), false) = (file, invalid) else {
            return;
        };
        let form = AccountApplication {
            unit_type: unit_type.get_untracked(),
            name: text(name),
            credit_code: text(credit_code),
            district_code: district.get_untracked(),
            address: text(address),
            legal_representative: text(legal),
            safety_manager: text(safety),
            safety_manager_phone: text(safety_phone),
            applicant_name: text(applicant),
            applicant_phone: text(applicant_phone),
            email: Some(text(email)).filter(|e| !e.is_empty()),
            terms_version: Some(terms_version.get_value()),
        };
        action.dispatch_local((form, file));
    };

    let unit_types = UnitType::all()
        .iter()
        .map(|u| {
            let value = u.as_str();
            view! {
                <label class="radio">
                    <input
                        type="radio"
                        name="unit_type"
                        value=value
                        checked=move || unit_type.with(|v| v == value)
                        on:change=move |_| unit_type.set(value.to_owned())
                    />
                    {u.label_zh()}
                </label>
            }
        })
        .collect_view();
    let district_options = move || {
        districts.state.with(|s| match s {
            Load::Ready(list) => list
                .iter()
                .map(|d| {
                    let code = d.code.clone();
                    let selected = {
                        let code = code.clone();
                        move || district.with(|v| *v == code)
                    };
                    view! { <option value=code selected=selected>{d.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let district_error = field_error("/district_code");
    let unit_type_error = field_error("/unit_type");

    view! {
        <form class="form reg-form" on:submit=submit novalidate>
            {move || {
                general_error()
                    .map(|message| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p class="alert-title">{t.reg_refused}</p>
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
            {move || {
                server_error()
                    .filter(|e| !e.fields().is_empty())
                    .map(|e| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p class="alert-title">{t.reg_refused}</p>
                                <p>{e.message}</p>
                            </div>
                        }
                    })
            }}
            <fieldset class="reg-unit-types">
                <legend>{t.reg_unit_type}</legend>
                <div class="radio-row">{unit_types}</div>
                <FieldMessage id="reg-unit-type-error" message=unit_type_error />
            </fieldset>
            <div class="form-grid">
                <InputField id="reg-name" label=t.reg_name value=name error=field_error("/name") wide=true />
                <InputField
                    id="reg-credit-code"
                    label=t.reg_credit_code
                    value=credit_code
                    error=field_error("/credit_code")
                    hint=t.reg_credit_code_hint
                    maxlength="18"
                />
                <div class="field">
                    <label for="reg-district">{t.reg_district}</label>
                    <select
                        id="reg-district"
                        on:change=move |ev| district.set(event_target_value(&ev))
                        aria-invalid=move || district_error.with(Option::is_some).then_some("true")
                        aria-describedby="reg-district-error"
                    >
                        <option value="" selected=move || district.with(String::is_empty)>
                            {t.reg_choose_district}
                        </option>
                        {district_options}
                    </select>
                    <FieldMessage id="reg-district-error" message=district_error />
                </div>
                <InputField id="reg-address" label=t.reg_address value=address error=field_error("/address") wide=true />
                <InputField id="reg-legal" label=t.reg_legal_rep value=legal error=field_error("/legal_representative") />
                <InputField id="reg-safety" label=t.reg_safety_manager value=safety error=field_error("/safety_manager") />
                <InputField
                    id="reg-safety-phone"
                    label=t.reg_safety_phone
                    value=safety_phone
                    error=field_error("/safety_manager_phone")
                    hint=t.reg_safety_phone_hint
                    kind="tel"
                    inputmode="tel"
                />
                <InputField id="reg-applicant" label=t.reg_applicant value=applicant error=field_error("/applicant_name") />
                <InputField
                    id="reg-applicant-phone"
                    label=t.reg_applicant_phone
                    value=applicant_phone
                    error=field_error("/applicant_phone")
                    hint=t.reg_applicant_phone_hint
                    kind="tel"
                    inputmode="tel"
                />
                <InputField
                    id="reg-email"
                    label=t.reg_email
                    value=email
                    error=field_error("/email")
                    kind="email"
                    autocomplete="email"
                />
                <div class="field field-wide">
                    <label for="reg-licence">{t.reg_licence}</label>
                    <input
                        id="reg-licence"
                        type="file"
                        accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                        on:change=choose_file
                        aria-invalid=move || licence_error.with(Option::is_some).then_some("true")
                        aria-describedby="reg-licence-hint reg-licence-error"
                    />
                    <p class="field-hint" id="reg-licence-hint">
                        {move || {
                            licence
                                .get()
                                .map(|l| {
                                    format!(
                                        "{}（{}）",
                                        l.name,
                                        crate::components::download::human_size(l.bytes.len() as u64),
                                    )
                                })
                                .unwrap_or_else(|| t.reg_licence_hint.to_owned())
                        }}
                    </p>
                    <FieldMessage id="reg-licence-error" message=licence_error />
                </div>
            </div>
            <p class="muted small">{t.reg_note}</p>
            <div class="form-actions">
                <button
                    id="reg-submit"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.submitting } else { t.reg_submit }}
                </button>
            </div>
        </form>
    }
}

/// The confirmation (3.1.6).
#[component]
fn Done(receipt: RegistrationReceipt) -> impl IntoView {
    let t = t();
    view! {
        <div class="alert alert-success reg-done" role="status" id="reg-done">
            <p class="alert-title">{t.reg_done_title}</p>
            <p>
                {t.reg_reference_no} "："
                <strong id="reg-reference-no">{receipt.reference_no.clone()}</strong>
                "（" {receipt.state_name.clone()} "）"
            </p>
            <p>{receipt.next_steps.clone()}</p>
            <p class="muted small">{t.reg_keep_reference}</p>
        </div>
    }
}
