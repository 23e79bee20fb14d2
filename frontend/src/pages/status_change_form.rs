//! 变更申请 (manual §4.2.4 (2)): ask the bureau of the equipment's district to approve a change of
//! use (停用, 报废, 移装 …) with the documents it needs. Each document is uploaded as soon as it
//! is chosen; the request goes with an `Idempotency-Key` made once per form, so a retry after a
//! lost answer cannot file it twice.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use tejian_contract::status_change::NewStatusChange;
use tejian_domain::status_change::ChangeKind;
use time::{Date, Month};

use crate::auth::{UiError, use_auth};
use crate::components::equipment_info::{
    EquipmentHeading, bad_id, equipment_error, use_equipment_id,
};
use crate::components::field::FieldMessage;
use crate::components::filters::{date_value, parse_date};
use crate::components::uploads::{UploadField, Uploads};
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::equipment_archive::go_back;

/// The longest 变更原因 the server takes.
const MAX_REASON_CHARS: usize = 500;

/// Today in the browser's time zone.
pub fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    let month = u8::try_from(now.get_month() + 1).ok()?;
    Date::from_calendar_date(
        i32::try_from(now.get_full_year()).ok()?,
        Month::try_from(month).ok()?,
        u8::try_from(now.get_date()).ok()?,
    )
    .ok()
}

/// A fresh random `Idempotency-Key`.
pub fn idempotency_key() -> String {
    // Truncation is fine: these are random bits and a clock, not quantities.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (now, a, b) = (
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 4_294_967_296.0) as u64,
        (js_sys::Math::random() * 4_294_967_296.0) as u64,
    );
    format!("web-{now:x}-{a:08x}{b:08x}")
}

/// Per-field messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    kind: Option<String>,
    reason: Option<String>,
    effective_date: Option<String>,
    new_location: Option<String>,
    attachments: Option<String>,
    general: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.kind.is_some()
            || self.reason.is_some()
            || self.effective_date.is_some()
            || self.new_location.is_some()
            || self.attachments.is_some()
    }
}

/// 变更申请.
#[component]
pub fn StatusChangeForm() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let id = use_equipment_id();
    let detail = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(bad_id)?;
            auth.call(move |c| async move { c.equipment_by_id(id).await })
                .await
                .map_err(equipment_error)
        }
    });
    Effect::watch(move || id.get(), move |_, _, _| detail.reload(), false);

    view! {
        <section class="card">
            <h1 class="page-title">{t.change_request}</h1>
            {move || {
                detail
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| detail.reload()) />
                            <p>
                                <a href="/equipment/search">{t.back_to_search}</a>
                            </p>
                        }
                        .into_any(),
                        Load::Ready(d) => {
                            let equipment_id = d.summary.id;
                            view! {
                                <EquipmentHeading detail=d.clone() />
                                <PendingGuard equipment_id=equipment_id />
                            }
                            .into_any()
                        }
                    })
            }}
        </section>
    }
}

/// Checks the equipment's change history first: while a change waits for the bureau, says so
/// (with the pending change) instead of offering a form the server would refuse.
#[component]
fn PendingGuard(equipment_id: i64) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let history = Loader::new(move || async move {
        auth.call(move |c| async move { c.status_change_history(equipment_id).await })
            .await
    });
    move || {
        history.state.with(|state| match state {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| history.reload()) />
            }
            .into_any(),
            Load::Ready(changes) => {
                let pending = changes
                    .iter()
                    .find(|c| c.state == tejian_domain::status_change::ChangeState::Submitted)
                    .cloned();
                match pending {
                    Some(c) => view! {
                        <div class="alert alert-warn" role="status">
                            <p>
                                {t.change_pending_block}
                                <strong>{c.kind_name.clone()}</strong>
                                {format!("（{}）", c.submitted_at.date())}
                            </p>
                            <p>
                                <a href=format!("/equipment/{equipment_id}/changes")>
                                    {t.change_pending_history}
                                </a>
                            </p>
                        </div>
                    }
                    .into_any(),
                    None => view! { <ChangeForm equipment_id=equipment_id /> }.into_any(),
                }
            }
        })
    }
}

#[component]
fn ChangeForm(equipment_id: i64) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let key = StoredValue::new(idempotency_key());

    let kind = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let effective = RwSignal::new(date_value(today()));
    let new_location = RwSignal::new(String::new());
    let uploads = Uploads::new();
    let errors = RwSignal::new(Errors::default());

    let chosen = Memo::new(move |_| kind.with(|k| k.parse::<ChangeKind>().ok()));
    let uploading = Memo::new(move |_| uploads.uploading());

    let action = Action::new_local(move |request: &NewStatusChange| {
        let request = request.clone();
        let key = key.get_value();
        async move {
            auth.call(move |c| async move {
                c.submit_status_change(equipment_id, &request, Some(&key))
                    .await
            })
            .await
        }
    });
    let pending = action.pending();

    // Success: to the history, which says so.
    Effect::new(move || {
        if let Some(result) = action.value().get() {
            match result {
                Ok(_) => navigate(
                    &format!("/equipment/{equipment_id}/changes?submitted=1"),
                    NavigateOptions::default(),
                ),
                Err(e) => errors.set(server_errors(&e)),
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || uploading.get_untracked() {
            return;
        }
        let mut local = Errors::default();
        let kind_value = chosen.get_untracked();
        if kind_value.is_none() {
            local.kind = Some(t.need_change_kind.to_owned());
        }
        let reason_value = reason.get_untracked().trim().to_owned();
        if reason_value.is_empty() {
            local.reason = Some(t.need_reason.to_owned());
        } else if reason_value.chars().count() > MAX_REASON_CHARS {
            local.reason = Some(t.reason_too_long.to_owned());
        }
        let date = parse_date(&effective.get_untracked());
        if date.is_none() {
            local.effective_date = Some(t.need_effective_date.to_owned());
        }
        let location = new_location.get_untracked().trim().to_owned();
        if kind_value.is_some_and(ChangeKind::needs_new_location) && location.is_empty() {
            local.new_location = Some(t.need_new_location.to_owned());
        }
        let attachment_ids = uploads.ids_untracked();
        if attachment_ids.is_empty() {
            local.attachments = Some(t.need_attachment.to_owned());
        }
        let (Some(kind_value), Some(date), false) = (kind_value, date, local.any()) else {
            local.general = Some(t.form_has_errors.to_owned());
            errors.set(local);
            return;
        };
        errors.set(Errors::default());
        action.dispatch_local(NewStatusChange {
            kind: kind_value,
            reason: reason_value,
            effective_date: date,
            new_location: kind_value.needs_new_location().then_some(location),
            attachment_ids,
        });
    };

    let kind_error = Signal::derive(move || errors.with(|e| e.kind.clone()));
    let reason_error = Signal::derive(move || errors.with(|e| e.reason.clone()));
    let date_error = Signal::derive(move || errors.with(|e| e.effective_date.clone()));
    let location_error = Signal::derive(move || errors.with(|e| e.new_location.clone()));
    let files_error = Signal::derive(move || errors.with(|e| e.attachments.clone()));

    let kinds = ChangeKind::all()
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <option value=k.as_str() selected=move || kind.with(|v| v == k.as_str())>
                    {k.label_zh()}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="form change-form" on:submit=submit novalidate>
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|message| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p class="alert-title">{t.change_refused}</p>
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
            <div class="field">
                <label for="change-kind">{t.change_kind}</label>
                <select
                    id="change-kind"
                    on:change=move |ev| kind.set(event_target_value(&ev))
                    aria-invalid=move || kind_error.with(Option::is_some).then_some("true")
                    aria-describedby="change-kind-hint change-kind-error"
                >
                    <option value="" selected=move || kind.with(String::is_empty)>
                        {t.choose_change_kind}
                    </option>
                    {kinds}
                </select>
                <p class="field-hint" id="change-kind-hint">
                    {move || {
                        chosen
                            .get()
                            .map(|k| format!("{}{}", t.required_documents, k.required_documents_zh()))
                    }}
                </p>
                <FieldMessage id="change-kind-error" message=kind_error />
            </div>
            <div class="field">
                <label for="change-reason">{t.change_reason}</label>
                <textarea
                    id="change-reason"
                    rows="4"
                    maxlength="500"
                    bind:value=reason
                    aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                    aria-describedby="change-reason-error"
                ></textarea>
                <p class="field-hint">
                    {move || format!("{} / {MAX_REASON_CHARS}", reason.with(|r| r.chars().count()))}
                </p>
                <FieldMessage id="change-reason-error" message=reason_error />
            </div>
            <div class="field">
                <label for="effective-date">{t.effective_date}</label>
                <input
                    id="effective-date"
                    type="date"
                    bind:value=effective
                    aria-invalid=move || date_error.with(Option::is_some).then_some("true")
                    aria-describedby="effective-date-hint effective-date-error"
                />
                <p class="field-hint" id="effective-date-hint">{t.effective_date_rule}</p>
                <FieldMessage id="effective-date-error" message=date_error />
            </div>
            {move || {
                chosen
                    .get()
                    .is_some_and(ChangeKind::needs_new_location)
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="new-location">{t.new_location}</label>
                                <input
                                    id="new-location"
                                    type="text"
                                    maxlength="255"
                                    bind:value=new_location
                                    aria-invalid=move || {
                                        location_error.with(Option::is_some).then_some("true")
                                    }
                                    aria-describedby="new-location-error"
                                />
                                <FieldMessage id="new-location-error" message=location_error />
                            </div>
                        }
                    })
            }}
            <UploadField
                id="attachments"
                error_id="attachments-error"
                label=t.attachments_upload
                hint=t.attachments_rule
                uploads=uploads
                error=files_error
            />
            <div class="form-actions page-links">
                <button
                    id="change-submit"
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
                <button type="button" class="btn btn-secondary" on:click=move |_| go_back()>
                    {t.back}
                </button>
            </div>
        </form>
    }
}

/// The server's answer: per field where it names one, else the whole message (the refusals
/// `status_change_pending`, `inspection_lapsed`, `equipment_cancelled`, `invalid_transition`
/// carry a Chinese detail that says what to do).
fn server_errors(error: &UiError) -> Errors {
    let field = |pointer: &str| {
        error
            .fields()
            .iter()
            .find(|f| f.pointer == pointer || f.pointer.starts_with(&format!("{pointer}/")))
            .map(|f| f.detail.clone())
    };
    let mut errors = Errors {
        kind: field("/kind"),
        reason: field("/reason"),
        effective_date: field("/effective_date"),
        new_location: field("/new_location"),
        attachments: field("/attachment_ids"),
        general: None,
    };
    errors.general = Some(if errors.any() {
        t().form_has_errors.to_owned()
    } else {
        error.message.clone()
    });
    errors
}
