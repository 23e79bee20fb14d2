//! 报告真伪验证: anyone (no login) checks a report with its 报告编号 and the 验证码 printed under
//! its QR code. The QR code of every report PDF points here with both filled in
//! (`/verify?report_no=…&code=…`), so scanning it verifies at once. The answer shows only what the
//! public may see: 报告编号, 设备代码, 检验结论 and 签发日期.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use tejian_contract::report::ReportVerification;

use crate::auth::{UiError, use_auth};
use crate::components::Loading;
use crate::components::field::InputField;
use crate::components::filters::{pairs_query, param_text};
use crate::i18n::t;

/// 报告真伪验证.
#[component]
pub fn VerifyReport() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        query.with(|q| {
            (
                param_text(q, "report_no").unwrap_or_default(),
                param_text(q, "code").unwrap_or_default(),
            )
        })
    });

    let report_no = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let missing = RwSignal::new((None::<String>, None::<String>));

    let action = Action::new_local(move |(no, code): &(String, String)| {
        let (no, code) = (no.clone(), code.clone());
        let client = auth.client();
        async move {
            client
                .verify_report(&no, &code)
                .await
                .map_err(UiError::from)
        }
    });
    let pending = action.pending();

    // The address says what to verify (a scanned QR code, or the form below).
    Effect::watch(
        move || wanted.get(),
        move |(no, c), _, _| {
            report_no.set(no.clone());
            code.set(c.clone());
            if !no.is_empty() && !c.is_empty() {
                action.dispatch_local((no.clone(), c.clone()));
            }
        },
        true,
    );
    Effect::new(move || {
        document().set_title(&format!("{} - {}", t.verify_title, t.app_short));
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let no = report_no.get_untracked().trim().to_uppercase();
        let c = code.get_untracked().trim().to_uppercase();
        let need_no = no.is_empty().then(|| t.need_report_no.to_owned());
        let need_code = c.is_empty().then(|| t.need_verify_code.to_owned());
        let invalid = need_no.is_some() || need_code.is_some();
        missing.set((need_no, need_code));
        if invalid {
            return;
        }
        if wanted.get_untracked() == (no.clone(), c.clone()) {
            action.dispatch_local((no, c));
        } else {
            let url = format!(
                "/verify{}",
                pairs_query(vec![("report_no", Some(no)), ("code", Some(c))])
            );
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    };

    let no_error = Signal::derive(move || missing.with(|m| m.0.clone()));
    let code_error = Signal::derive(move || missing.with(|m| m.1.clone()));

    let result = move || {
        if pending.get() {
            return view! { <Loading text=t.verifying /> }.into_any();
        }
        match action.value().get() {
            None => ().into_any(),
            Some(Ok(v)) => verdict(v).into_any(),
            Some(Err(e)) => {
                let message = if e.code() == Some("rate_limited") {
                    t.verify_rate_limited.to_owned()
                } else {
                    e.message.clone()
                };
                view! {
                    <div class="alert alert-error" role="alert">
                        <p class="alert-title">{t.verify_failed}</p>
                        <p>{message}</p>
                    </div>
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="standalone">
            <div class="standalone-brand">
                <span class="brand-mark" aria-hidden="true">"特"</span>
                <div>
                    <p class="standalone-name">{t.app_name}</p>
                    <p class="muted small">{t.institute}</p>
                </div>
            </div>
            <main id="main" class="card login-card verify-card">
                <h1 class="page-title">{t.verify_title}</h1>
                <p class="muted lead-line">{t.verify_intro}</p>
                <form class="form" on:submit=submit novalidate>
                    <InputField
                        id="verify-report-no"
                        label=t.report_no
                        value=report_no
                        error=no_error
                    />
                    <InputField
                        id="verify-code"
                        label=t.verify_code
                        value=code
                        error=code_error
                        hint=t.verify_code_hint
                        maxlength="16"
                    />
                    <div class="form-actions">
                        <button
                            id="verify-submit"
                            type="submit"
                            class="btn btn-primary btn-block"
                            disabled=move || pending.get()
                            aria-busy=move || pending.get().then_some("true")
                        >
                            {t.verify_submit}
                        </button>
                    </div>
                </form>
                <div class="verify-outcome" aria-live="polite">{result}</div>
            </main>
            <footer class="standalone-footer muted small">
                <a href="/login">{t.help_back_to_login}</a>
                " · "
                <a href="/help">{t.help}</a>
            </footer>
        </div>
    }
}

/// 真 (green, with the public facts) or not (red, with the server's words).
fn verdict(v: ReportVerification) -> impl IntoView {
    let t = t();
    if !v.genuine {
        return view! {
            <div class="verify-result not-genuine" role="alert" id="verify-result">
                <p class="verify-verdict">
                    <span class="verdict-mark" aria-hidden="true">"✕"</span>
                    {t.verify_not_genuine}
                </p>
                <p>{v.message}</p>
            </div>
        }
        .into_any();
    }
    let row = |label: &'static str, value: Option<String>| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd class="code">{value.unwrap_or_else(|| "—".to_owned())}</dd>
            </div>
        }
    };
    view! {
        <div class="verify-result genuine" role="status" id="verify-result">
            <p class="verify-verdict">
                <span class="verdict-mark" aria-hidden="true">"✓"</span>
                {t.verify_genuine}
            </p>
            <p>{v.message}</p>
            <dl class="facts verify-facts">
                {row(t.report_no, v.report_no)}
                {row(t.equipment_code, v.equipment_code)}
                {row(t.conclusion, v.conclusion)}
                {row(t.issued_on, v.issued_on.map(|d| d.to_string()))}
            </dl>
        </div>
    }
    .into_any()
}
