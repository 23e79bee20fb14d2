//! 检验意见通知书 › 提交整改: the rectification of an open or returned notice — 整改说明 and the
//! evidence (uploaded at once to `POST /api/v1/files`), sent to `POST /notices/{id}/feedback`.
//! The notice's problems and, when it was returned, the institute's comment are shown above.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use tejian_contract::notice::{Notice, NoticeFeedback};

use crate::auth::{UiError, use_auth};
use crate::components::field::FieldMessage;
use crate::components::uploads::{UploadField, Uploads};
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::inspection_notices::{NoticePdf, can_feed_back, notice_badge};

/// The longest 整改说明 the server takes.
const MAX_STATEMENT: usize = 2000;

/// 404 (unknown, or another enterprise's) reads 「通知书不存在或无权访问」.
fn notice_error(error: UiError) -> UiError {
    if error.problem.as_ref().is_some_and(|p| p.status == 404) {
        UiError {
            message: t().notice_not_found.to_owned(),
            ..error
        }
    } else {
        error
    }
}

/// 提交整改.
#[component]
pub fn NoticeFeedbackForm() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())));
    let notice = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(|| UiError::local(404, "not_found", t.notice_not_found))?;
            let none: [(&str, &str); 0] = [];
            auth.call(move |c| async move {
                c.get_json::<Notice, _>(&format!("/notices/{id}"), &none)
                    .await
            })
            .await
            .map_err(notice_error)
        }
    });
    Effect::watch(move || id.get(), move |_, _, _| notice.reload(), false);

    view! {
        <section class="card">
            <h1 class="page-title">{t.submit_feedback}</h1>
            {move || {
                notice
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| notice.reload()) />
                            <p><a href="/services/notices">{t.back_to_notices}</a></p>
                        }
                        .into_any(),
                        Load::Ready(n) => view! {
                            <NoticeFacts notice=n.clone() />
                            {if can_feed_back(n.state) {
                                view! { <FeedbackForm id=n.id notice_no=n.notice_no.clone() /> }.into_any()
                            } else {
                                view! {
                                    <div class="alert alert-info" role="note">
                                        {format!("{}「{}」{}", t.notice_now, n.state_name, t.feedback_not_open)}
                                    </div>
                                    <p><a href="/services/notices">{t.back_to_notices}</a></p>
                                }
                                .into_any()
                            }}
                        }
                        .into_any(),
                    })
            }}
        </section>
    }
}

/// What the notice says: its number, report, equipment, deadline, state, the problems with what
/// to do, and the institute's comment on a returned rectification.
#[component]
fn NoticeFacts(notice: Notice) -> impl IntoView {
    let t = t();
    let n = notice;
    let problems = n
        .problems
        .iter()
        .map(|p| {
            view! {
                <li>
                    <p class="strong">{p.description.clone()}</p>
                    <p class="muted small">{format!("{}{}", t.requirement_prefix, p.requirement)}</p>
                </li>
            }
        })
        .collect_view();
    let returned = n
        .review_comment
        .clone()
        .filter(|_| can_feed_back(n.state))
        .map(|c| {
            view! {
                <div class="alert alert-error review-returned" role="note">
                    <p class="alert-title">{t.feedback_returned}</p>
                    <p>{c}</p>
                </div>
            }
        });
    view! {
        {returned}
        <dl class="facts facts-grid">
            <div><dt>{t.notice_no}</dt><dd class="code">{n.notice_no.clone()}</dd></div>
            <div><dt>{t.report_no}</dt><dd class="code">{n.report_no.clone()}</dd></div>
            <div><dt>{t.equipment}</dt><dd>{format!("{}（{}）", n.equipment_label, n.variety_name)}</dd></div>
            <div>
                <dt>{t.deadline}</dt>
                <dd>
                    <span class:text-error=n.overdue>{n.deadline.to_string()}</span>
                    {n.overdue.then(|| view! { " "<span class="badge badge-error">{t.overdue}</span> })}
                </dd>
            </div>
            <div><dt>{t.notice_state}</dt><dd>{notice_badge(n.state, n.state_name.clone())}</dd></div>
            <div><dt>{t.notice_pdf}</dt><dd><NoticePdf id=n.id notice_no=n.notice_no.clone() /></dd></div>
        </dl>
        <h2 class="section-title">{t.problems}</h2>
        <ol class="problem-detail">{problems}</ol>
    }
}

/// Per-field messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    statement: Option<String>,
    attachments: Option<String>,
    general: Option<String>,
}

#[component]
fn FeedbackForm(id: i64, notice_no: String) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let statement = RwSignal::new(String::new());
    let uploads = Uploads::new();
    let errors = RwSignal::new(Errors::default());
    let uploading = Memo::new(move |_| uploads.uploading());
    let notice_no = StoredValue::new(notice_no);

    let action = Action::new_local(move |request: &NoticeFeedback| {
        let request = request.clone();
        async move {
            auth.call(move |c| async move { c.notice_feedback(id, &request).await })
                .await
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(result) = action.value().get() {
            match result {
                Ok(_) => navigate(
                    &format!("/services/notices?submitted={}", notice_no.get_value()),
                    NavigateOptions::default(),
                ),
                Err(e) => errors.set(Errors {
                    statement: e.field("/statement"),
                    attachments: e.field("/attachment_ids"),
                    general: Some(if e.fields().is_empty() {
                        e.message.clone()
                    } else {
                        t.form_has_errors.to_owned()
                    }),
                }),
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || uploading.get_untracked() {
            return;
        }
        let text = statement.get_untracked().trim().to_owned();
        let ids = uploads.ids_untracked();
        let mut local = Errors::default();
        if text.is_empty() || text.chars().count() > MAX_STATEMENT {
            local.statement = Some(t.need_statement.to_owned());
        }
        if ids.is_empty() {
            local.attachments = Some(t.need_evidence.to_owned());
        }
        if local.statement.is_some() || local.attachments.is_some() {
            local.general = Some(t.form_has_errors.to_owned());
            errors.set(local);
            return;
        }
        errors.set(Errors::default());
        action.dispatch_local(NoticeFeedback {
            statement: text,
            attachment_ids: ids,
        });
    };

    let statement_error = Signal::derive(move || errors.with(|e| e.statement.clone()));
    let files_error = Signal::derive(move || errors.with(|e| e.attachments.clone()));

    view! {
        <h2 class="section-title">{t.feedback_form}</h2>
        <form class="form change-form" on:submit=submit novalidate>
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|message| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p class="alert-title">{t.feedback_refused}</p>
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
            <div class="field">
                <label for="feedback-statement">{t.feedback_statement}</label>
                <textarea
                    id="feedback-statement"
                    rows="5"
                    maxlength="2000"
                    bind:value=statement
                    aria-invalid=move || statement_error.with(Option::is_some).then_some("true")
                    aria-describedby="feedback-statement-hint feedback-statement-error"
                ></textarea>
                <p class="field-hint" id="feedback-statement-hint">
                    {move || format!("{} / {MAX_STATEMENT}", statement.with(|r| r.chars().count()))}
                </p>
                <FieldMessage id="feedback-statement-error" message=statement_error />
            </div>
            <UploadField
                id="evidence"
                error_id="evidence-error"
                label=t.evidence
                hint=t.evidence_rule
                uploads=uploads
                error=files_error
            />
            <div class="form-actions page-links">
                <button
                    id="feedback-submit"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get() || uploading.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || {
                        if pending.get() {
                            t.submitting
                        } else if uploading.get() {
                            t.wait_uploads
                        } else {
                            t.submit
                        }
                    }}
                </button>
                <a class="btn btn-secondary" href="/services/notices">{t.back_to_notices}</a>
            </div>
        </form>
    }
}
