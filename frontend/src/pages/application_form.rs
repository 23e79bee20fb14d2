//! 网上报检 › 申报 (manual §5.1.5–5.1.8): 检验联系人, 检验联系电话, 联系地址, 期望检验日期 and 备注,
//! the chosen equipment with each unit's 检验类别 and 参考费用 (「计费」 opens the fee dialog), and
//! 「提交」. The request carries an `Idempotency-Key` made once per form, so a double click or a
//! retry after a lost answer files one application. On success the 外网申报序列号 is shown with
//! a link to 报检查询.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use tejian_contract::application::{
    Application, ApplicationQuery, NewApplication, NewApplicationItem,
};
use tejian_contract::equipment::EquipmentDetail;
use tejian_domain::fee::TariffBook;
use tejian_domain::inspection::InspectionType;
use tejian_domain::money::Money;
use tejian_domain::phone::ContactPhone;
use time::Duration;

use crate::auth::{UiError, use_auth};
use crate::components::equipment_info::{equipment_error, equipment_label};
use crate::components::fee::{FeeDialog, FeeInputs, estimate, tariff_book, yuan};
use crate::components::field::{FieldMessage, InputField};
use crate::components::filters::parse_date;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;
use crate::pages::online_application::{ApplicationTab, ApplicationTabs, MAX_ITEMS};
use crate::pages::status_change_form::{idempotency_key, today};

/// The longest texts the server takes.
const MAX_NAME: usize = 32;
const MAX_ADDRESS: usize = 255;
const MAX_NOTE: usize = 500;

/// The ids in `?equipment=1,2,3` (numbers only, each once, at most [`MAX_ITEMS`]).
fn ids_of(text: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for id in text.split(',').filter_map(|s| s.trim().parse::<i64>().ok()) {
        if !ids.contains(&id) && ids.len() < MAX_ITEMS {
            ids.push(id);
        }
    }
    ids
}

/// One unit of the application.
#[derive(Debug, Clone)]
struct Row {
    detail: EquipmentDetail,
    kind: RwSignal<InspectionType>,
    /// The 计费 dialog's inputs, once the user confirmed them.
    fee: RwSignal<Option<FeeInputs>>,
}

impl Row {
    fn id(&self) -> i64 {
        self.detail.summary.id
    }
}

/// Per-field messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_address: Option<String>,
    preferred_date: Option<String>,
    note: Option<String>,
    items: Option<String>,
    /// (equipment id, message)
    rows: Vec<(i64, String)>,
    general: Option<String>,
}

impl Errors {
    fn any_field(&self) -> bool {
        self.contact_name.is_some()
            || self.contact_phone.is_some()
            || self.contact_address.is_some()
            || self.preferred_date.is_some()
            || self.note.is_some()
            || self.items.is_some()
            || !self.rows.is_empty()
    }
}

/// The loaded units: the ones found, and the ids that could not be read with why.
type Loaded = (Vec<EquipmentDetail>, Vec<(i64, String)>);

/// 申报.
#[component]
pub fn ApplicationForm() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let query = use_query_map();
    let ids = Memo::new(move |_| query.with(|q| ids_of(&q.get("equipment").unwrap_or_default())));

    let details = Loader::new(move || {
        let ids = ids.get_untracked();
        async move {
            let calls = ids.iter().map(|&id| async move {
                let one = auth
                    .call(move |c| async move { c.equipment_by_id(id).await })
                    .await
                    .map_err(equipment_error);
                (id, one)
            });
            let results = futures_util::future::join_all(calls).await;
            // A session that ended shows as an error of the whole screen.
            if let Some((_, Err(e))) = results.iter().find(|(_, r)| {
                r.as_ref()
                    .is_err_and(|e| e.problem.as_ref().is_some_and(|p| p.status == 401))
            }) {
                return Err(e.clone());
            }
            let mut found = Vec::new();
            let mut failed = Vec::new();
            for (id, result) in results {
                match result {
                    Ok(d) => found.push(d),
                    Err(e) => failed.push((id, e.message)),
                }
            }
            Ok::<Loaded, UiError>((found, failed))
        }
    });
    Effect::watch(move || ids.get(), move |_, _, _| details.reload(), false);
    let tariff = Loader::new(move || tariff_book(auth));

    view! {
        <ApplicationTabs active=ApplicationTab::Apply />
        <section class="card">
            <h1 class="page-title">{t.apply_form_title}</h1>
            {move || {
                if ids.with(Vec::is_empty) {
                    return view! {
                        <Empty text=t.apply_none_chosen />
                        <p class="center"><a href="/services/applications">{t.back_to_apply}</a></p>
                    }
                    .into_any();
                }
                details
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| details.reload()) />
                        }
                        .into_any(),
                        Load::Ready((found, failed)) => view! {
                            <Form found=found.clone() failed=failed.clone() tariff=tariff />
                        }
                        .into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn Form(
    found: Vec<EquipmentDetail>,
    failed: Vec<(i64, String)>,
    tariff: Loader<Rc<TariffBook>>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let key = StoredValue::new(idempotency_key());

    let rows = RwSignal::new(
        found
            .into_iter()
            .map(|detail| Row {
                detail,
                kind: RwSignal::new(InspectionType::Periodic),
                fee: RwSignal::new(None),
            })
            .collect::<Vec<_>>(),
    );
    let me = auth.me.get_untracked();
    let contact_name = RwSignal::new(
        me.as_ref()
            .map(|m| m.display_name.clone())
            .unwrap_or_default(),
    );
    let contact_phone = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.phone.clone())
            .unwrap_or_default(),
    );
    let contact_address = RwSignal::new(String::new());
    let preferred = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Errors::default());
    let editing = RwSignal::new(None::<i64>);
    let sent_ids = StoredValue::new(Vec::<i64>::new());

    // The contact of the enterprise's last application, where the user has not typed yet
    // (GET /me has no address; the last application usually has the right one).
    {
        let user_name = contact_name.get_untracked();
        let user_phone = contact_phone.get_untracked();
        leptos::task::spawn_local(async move {
            let q = ApplicationQuery {
                per_page: Some(1),
                ..ApplicationQuery::default()
            };
            if let Ok(page) = auth
                .call(move |c| async move { c.applications(&q).await })
                .await
                && let Some(last) = page.items.first()
            {
                let fill = |signal: RwSignal<String>, was: &str, value: &str| {
                    if signal.try_get_untracked().is_some_and(|v| v == was) {
                        let _ = signal.try_set(value.to_owned());
                    }
                };
                fill(contact_name, &user_name, &last.contact_name);
                fill(contact_phone, &user_phone, &last.contact_phone);
                fill(contact_address, "", &last.contact_address);
            }
        });
    }

    let book = move || {
        tariff.state.with(|s| match s {
            Load::Ready(b) => Some(Rc::clone(b)),
            _ => None,
        })
    };

    let action = Action::new_local(move |request: &NewApplication| {
        let request = request.clone();
        let key = key.get_value();
        async move {
            auth.call(move |c| async move { c.submit_application(&request, Some(&key)).await })
                .await
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(Err(e)) = action.value().get() {
            errors.set(server_errors(&e, &sent_ids.get_value()));
        }
    });
    // Only success replaces the form (a refusal keeps it, and the focus, where they are).
    let done = Memo::new(move |_| {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let local = local_errors(
            &contact_name.get_untracked(),
            &contact_phone.get_untracked(),
            &contact_address.get_untracked(),
            &preferred.get_untracked(),
            &note.get_untracked(),
            rows.with_untracked(Vec::len),
        );
        if local.any_field() {
            errors.set(Errors {
                general: Some(t.form_has_errors.to_owned()),
                ..local
            });
            return;
        }
        errors.set(Errors::default());
        let items: Vec<NewApplicationItem> = rows.with_untracked(|rs| {
            rs.iter()
                .map(|r| NewApplicationItem {
                    equipment_id: r.id(),
                    inspection_type: r.kind.get_untracked(),
                    fee: r
                        .fee
                        .get_untracked()
                        .map(|f| f.to_json(&r.detail.summary.variety_code)),
                })
                .collect()
        });
        sent_ids.set_value(items.iter().map(|i| i.equipment_id).collect());
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let note_text = text(note);
        action.dispatch_local(NewApplication {
            contact_name: text(contact_name),
            contact_phone: text(contact_phone),
            contact_address: text(contact_address),
            preferred_date: parse_date(&preferred.get_untracked()),
            note: (!note_text.is_empty()).then_some(note_text),
            items,
        });
    };

    let err = |f: fn(&Errors) -> Option<String>| Signal::derive(move || errors.with(f));
    let name_error = err(|e| e.contact_name.clone());
    let phone_error = err(|e| e.contact_phone.clone());
    let address_error = err(|e| e.contact_address.clone());
    let date_error = err(|e| e.preferred_date.clone());
    let note_error = err(|e| e.note.clone());
    let items_error = err(|e| e.items.clone());

    let failed_note = (!failed.is_empty()).then(|| {
        let list = failed
            .iter()
            .map(|(id, message)| view! { <li>{format!("#{id}：{message}")}</li> })
            .collect_view();
        view! {
            <div class="alert alert-info" role="note">
                <p class="alert-title">{t.apply_some_missing}</p>
                <ul>{list}</ul>
            </div>
        }
    });

    let row_views = move || {
        rows.get()
            .into_iter()
            .map(|row| {
                view! { <ItemRow row=row rows=rows errors=errors editing=editing tariff=tariff /> }
            })
            .collect_view()
    };

    // 参考费用合计 of the units that could be estimated.
    let total = move || {
        let book = book()?;
        let mut sum = Money::ZERO;
        let mut priced = 0_usize;
        rows.with(|rs| {
            for r in rs {
                let inputs = r
                    .fee
                    .get()
                    .unwrap_or_else(|| FeeInputs::from_detail(&r.detail));
                if let Ok(est) =
                    estimate(&book, &r.detail.summary.variety_code, r.kind.get(), &inputs)
                {
                    sum = sum + est.total;
                    priced += 1;
                }
            }
        });
        let count = rows.with(Vec::len);
        Some(view! {
            <p class="fee-sum">
                <span>{t.fee_sum_label}</span>
                <strong id="estimated-total">{yuan(sum)}</strong>
                {(priced < count).then(|| view! {
                    <span class="muted small">{format!("（{}/{} {}）", priced, count, t.fee_priced_units)}</span>
                })}
            </p>
            <p class="muted small">{t.fee_note}</p>
        })
    };

    let dialog = move || {
        let id = editing.get()?;
        let row = rows.with_untracked(|rs| rs.iter().find(|r| r.id() == id).cloned())?;
        let book = book()?;
        let initial = row
            .fee
            .get_untracked()
            .unwrap_or_else(|| FeeInputs::from_detail(&row.detail));
        let fee = row.fee;
        Some(view! {
            <FeeDialog
                detail=row.detail.clone()
                kind=row.kind.get_untracked()
                book=book
                initial=initial
                on_save=Callback::new(move |inputs: FeeInputs| fee.set(Some(inputs)))
                on_close=Callback::new(move |()| editing.set(None))
            />
        })
    };

    // After success the form stays in the page, hidden (nothing in it can be sent again).
    view! {
        {move || done.get().map(|app| view! { <Success app=app /> })}
        <div class="apply-body" hidden=move || done.with(Option::is_some)>
            <p class="muted lead-line">{t.apply_form_intro}</p>
            {failed_note}
            <form class="form apply-form" on:submit=submit novalidate>
                {move || {
                    errors
                        .with(|e| e.general.clone())
                        .map(|message| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    <p class="alert-title">{t.apply_refused}</p>
                                    <p>{message}</p>
                                </div>
                            }
                        })
                }}
                <dl class="facts facts-long-labels">
                    <div>
                        <dt>{t.serial_no}</dt>
                        <dd class="muted">{t.serial_no_auto}</dd>
                    </div>
                </dl>
                <div class="form-grid">
                    <InputField
                        id="contact-name"
                        label=t.contact_name
                        value=contact_name
                        error=name_error
                        maxlength="32"
                        autocomplete="name"
                    />
                    <InputField
                        id="contact-phone"
                        label=t.contact_phone
                        value=contact_phone
                        error=phone_error
                        hint=t.contact_phone_hint
                        kind="tel"
                        autocomplete="tel"
                    />
                    <InputField
                        id="contact-address"
                        label=t.contact_address
                        value=contact_address
                        error=address_error
                        maxlength="255"
                        autocomplete="street-address"
                        wide=true
                    />
                    <InputField
                        id="preferred-date"
                        label=t.preferred_date
                        value=preferred
                        error=date_error
                        hint=t.preferred_date_hint
                        kind="date"
                        min=today().map(|d| d.to_string()).unwrap_or_default()
                        max=today()
                            .map(|d| (d + Duration::days(365)).to_string())
                            .unwrap_or_default()
                    />
                    <div class="field field-wide">
                        <label for="apply-note">{format!("{}（{}）", t.note, t.optional)}</label>
                        <textarea
                            id="apply-note"
                            rows="2"
                            maxlength="500"
                            bind:value=note
                            aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                            aria-describedby="apply-note-error"
                        ></textarea>
                        <FieldMessage id="apply-note-error" message=note_error />
                    </div>
                </div>
                <h2 class="section-title">
                    {move || format!("{}（{} {}）", t.apply_items, rows.with(Vec::len), t.units)}
                </h2>
                <FieldMessage id="apply-items-error" message=items_error />
                <div class="table-wrap" role="region" aria-label=t.apply_items tabindex="0">
                    <table class="data-table cards-on-phone apply-items">
                        <thead>
                            <tr>
                                <th scope="col">{t.equipment}</th>
                                <th scope="col">{t.inspection_type}</th>
                                <th scope="col" class="num">{t.estimated_fee}</th>
                                <th scope="col">{t.actions}</th>
                            </tr>
                        </thead>
                        <tbody>{row_views}</tbody>
                    </table>
                </div>
                {move || match tariff.state.with(|s| matches!(s, Load::Failed(_))) {
                    true => view! { <p class="muted small">{t.tariff_failed}</p> }.into_any(),
                    false => total().into_any(),
                }}
                <div class="form-actions page-links">
                    <button
                        id="apply-submit"
                        type="submit"
                        class="btn btn-primary"
                        disabled=move || pending.get() || rows.with(Vec::is_empty)
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || if pending.get() { t.submitting } else { t.submit }}
                    </button>
                    <a class="btn btn-secondary" href="/services/applications">{t.back_to_apply}</a>
                </div>
            </form>
            {dialog}
        </div>
    }
}

/// One unit: which it is, 检验类别, 参考费用, 计费 and 移除.
#[component]
fn ItemRow(
    row: Row,
    rows: RwSignal<Vec<Row>>,
    errors: RwSignal<Errors>,
    editing: RwSignal<Option<i64>>,
    tariff: Loader<Rc<TariffBook>>,
) -> impl IntoView {
    let t = t();
    let id = row.id();
    let kind = row.kind;
    let fee = row.fee;
    let detail = StoredValue::new(row.detail.clone());
    let label = equipment_label(&row.detail);
    let select_id = format!("kind-{id}");
    let error = move || {
        errors.with(|e| {
            e.rows
                .iter()
                .find(|(row, _)| *row == id)
                .map(|(_, m)| m.clone())
        })
    };

    let kinds = InspectionType::all()
        .iter()
        .map(|k| {
            let k = *k;
            view! { <option value=k.as_str() selected=move || kind.get() == k>{k.label_zh()}</option> }
        })
        .collect_view();

    let estimate_view = move || {
        let state = tariff.state.with(|s| match s {
            Load::Ready(b) => Ok(Rc::clone(b)),
            Load::Loading => Err(true),
            Load::Failed(_) => Err(false),
        });
        match state {
            Err(true) => view! { <span class="muted small">{t.loading}</span> }.into_any(),
            Err(false) => view! { <span class="muted">"—"</span> }.into_any(),
            Ok(book) => {
                let inputs = fee
                    .get()
                    .unwrap_or_else(|| detail.with_value(FeeInputs::from_detail));
                let result = detail
                    .with_value(|d| estimate(&book, &d.summary.variety_code, kind.get(), &inputs));
                match result {
                    Ok(est) => view! {
                        <span class="strong item-fee">{yuan(est.total)}</span>
                        {fee.with(Option::is_some).then(|| view! {
                            <br />
                            <span class="muted small">{t.fee_by_dialog}</span>
                        })}
                    }
                    .into_any(),
                    Err(message) => view! {
                        <span class="text-error small item-fee-error">{message}</span>
                    }
                    .into_any(),
                }
            }
        }
    };

    view! {
        <tr class="apply-row" class:row-invalid=move || error().is_some()>
            <td data-label=t.equipment>
                <div class="cell">
                    <span class="code strong">{label.clone()}</span>
                    <br />
                    <span class="muted small">
                        {format!("{} · {}", row.detail.summary.variety_name, row.detail.summary.install_location)}
                    </span>
                    {move || error().map(|m| view! { <p class="field-error row-error" role="alert">{m}</p> })}
                </div>
            </td>
            <td data-label=t.inspection_type>
                <div class="cell">
                    <label class="visually-hidden" for=select_id.clone()>
                        {format!("{}{}", label, t.inspection_type)}
                    </label>
                    <select
                        id=select_id
                        class="kind-select"
                        on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<InspectionType>() {
                                kind.set(k);
                            }
                        }
                    >
                        {kinds}
                    </select>
                </div>
            </td>
            <td data-label=t.estimated_fee class="num">
                <div class="cell">{estimate_view}</div>
            </td>
            <td data-label=t.actions>
                <div class="cell row-actions">
                    <button
                        type="button"
                        class="btn btn-secondary btn-small fee-open"
                        disabled=move || !tariff.state.with(|s| matches!(s, Load::Ready(_)))
                        on:click=move |_| editing.set(Some(id))
                    >
                        {t.fee_button}
                    </button>
                    <button
                        type="button"
                        class="btn-link"
                        on:click=move |_| {
                            rows.update(|rs| rs.retain(|r| r.id() != id));
                            errors.update(|e| e.rows.retain(|(row, _)| *row != id));
                        }
                    >
                        {t.remove}
                    </button>
                </div>
            </td>
        </tr>
    }
}

/// 申报成功: the serial number and where to follow the application.
#[component]
fn Success(app: Application) -> impl IntoView {
    let t = t();
    let history = format!("/services/applications/history?serial_no={}", app.serial_no);
    view! {
        <div class="alert alert-success apply-success" role="status" id="apply-success">
            <p class="alert-title">{t.apply_done}</p>
            <p>
                {t.serial_no}"："
                <strong class="code serial-no">{app.serial_no.clone()}</strong>
            </p>
            <p>{format!("{}{} {}，{}{}", t.apply_done_units, app.items.len(), t.units, t.fee_sum_label, yuan(app.estimated_total))}</p>
            <p>{t.apply_done_next}</p>
        </div>
        <div class="page-links">
            <a class="btn btn-primary" id="to-history" href=history>{t.tab_history}</a>
            <a class="btn btn-secondary" href="/services/applications">{t.apply_more}</a>
        </div>
    }
}

/// The checks made before asking the server (the server's own rules, with its words).
fn local_errors(
    name: &str,
    phone: &str,
    address: &str,
    preferred: &str,
    note: &str,
    rows: usize,
) -> Errors {
    let t = t();
    let mut e = Errors::default();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        e.contact_name = Some(t.need_contact_name.to_owned());
    }
    if let Err(problem) = ContactPhone::parse(phone.trim()) {
        e.contact_phone = Some(problem.to_string());
    }
    let address = address.trim();
    if address.is_empty() || address.chars().count() > MAX_ADDRESS {
        e.contact_address = Some(t.need_contact_address.to_owned());
    }
    if !preferred.trim().is_empty() {
        match (parse_date(preferred), today()) {
            (Some(d), Some(now)) if d >= now && d <= now + Duration::days(365) => {}
            _ => e.preferred_date = Some(t.preferred_date_rule.to_owned()),
        }
    }
    if note.trim().chars().count() > MAX_NOTE {
        e.note = Some(t.note_too_long.to_owned());
    }
    if rows == 0 {
        e.items = Some(t.need_items.to_owned());
    }
    e
}

/// The server's answer: `/contact_phone` … next to their fields, `/items/{n}/…` next to the
/// n-th unit sent, anything else on top.
fn server_errors(error: &UiError, sent: &[i64]) -> Errors {
    let t = t();
    let mut e = Errors::default();
    for f in error.fields() {
        let detail = f.detail.clone();
        match f.pointer.as_str() {
            "/contact_name" => e.contact_name = Some(detail),
            "/contact_phone" => e.contact_phone = Some(detail),
            "/contact_address" => e.contact_address = Some(detail),
            "/preferred_date" => e.preferred_date = Some(detail),
            "/note" => e.note = Some(detail),
            "/items" => e.items = Some(detail),
            pointer => {
                let row = pointer
                    .strip_prefix("/items/")
                    .and_then(|rest| rest.split('/').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| sent.get(n));
                match row {
                    Some(id) => match e.rows.iter_mut().find(|(row, _)| row == id) {
                        Some((_, m)) => {
                            m.push('；');
                            m.push_str(&detail);
                        }
                        None => e.rows.push((*id, detail)),
                    },
                    None => e.items = Some(detail),
                }
            }
        }
    }
    e.general = Some(if e.any_field() {
        t.form_has_errors.to_owned()
    } else {
        error.message.clone()
    });
    e
}
