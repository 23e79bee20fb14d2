//! 计费 (manual §5.1.6–5.1.7): the inspection fee's reference value, computed in the browser with
//! the domain's own code ([`tejian_domain::fee`]) from the tariff book the server uses
//! (`GET /api/v1/fees/tariff`, fetched once per page load), so the dialog answers at once and
//! gives the same figure the server stores with the application.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use serde_json::{Map, Value};
use tejian_contract::equipment::EquipmentDetail;
use tejian_domain::catalogue::CatalogueCode;
use tejian_domain::equipment::params::{EquipmentParams, ParamField, ParamKind};
use tejian_domain::fee::{FeeEstimate, FeeRequest, FeeRule, MethodKind, Tariff, TariffBook};
use tejian_domain::inspection::InspectionType;

use crate::auth::{AuthState, UiError};
use crate::components::equipment_info::equipment_label;
use crate::components::field::InputField;
use crate::i18n::t;
use crate::pages::status_change_form::today;

/// The tariff of this region applies (the book falls back to the province's).
const REGION: &str = "330500";

thread_local! {
    static BOOK: RefCell<Option<Rc<TariffBook>>> = const { RefCell::new(None) };
}

/// The tariff book, from the server the first time and from memory after that.
pub async fn tariff_book(auth: AuthState) -> Result<Rc<TariffBook>, UiError> {
    if let Some(book) = BOOK.with(|b| b.borrow().clone()) {
        return Ok(book);
    }
    let none: [(&str, &str); 0] = [];
    let json: Value = auth
        .call(move |c| async move { c.get_json::<Value, _>("/fees/tariff", &none).await })
        .await?;
    let book = TariffBook::from_json(&json.to_string()).map_err(|e| {
        let t = t();
        UiError::local(0, "invalid_tariff", &format!("{}{e}", t.tariff_unreadable))
    })?;
    let book = Rc::new(book);
    BOOK.with(|b| *b.borrow_mut() = Some(Rc::clone(&book)));
    Ok(book)
}

/// The tariff in force today.
pub fn tariff_in_force(book: &TariffBook) -> Option<&Tariff> {
    book.select(REGION, today()?)
}

/// What the user may set in the 计费 dialog, as typed (an empty text is not given). The
/// parameters start from the equipment's register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeInputs {
    /// Parameter key → text.
    pub params: Pairs,
    /// 整机进口.
    pub imported: bool,
    /// Optional items asked for, with their quantity, in the rule's order.
    pub options: Vec<(String, u32)>,
    /// 出厂价 (元).
    pub ex_works_price: String,
    /// 工程费用（含主材）(元).
    pub works_cost: String,
    /// Supplementary measures (`water_volume_l`, `generating_power_kw`) → text.
    pub measures: Pairs,
    /// A subtype of the tariff (`small_steam`), or empty.
    pub subtype: String,
    /// A 收费方式 (`full_process`), or empty.
    pub scheme: String,
}

/// Texts by key, in order (a list: smaller in wasm than a map, and these hold a handful).
pub type Pairs = Vec<(String, String)>;

/// The text under `key`.
pub fn pair<'p>(pairs: &'p [(String, String)], key: &str) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Sets the text under `key`.
fn set_pair(pairs: &mut Pairs, key: &str, value: String) {
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => pairs.push((key.to_owned(), value)),
    }
}

/// A JSON parameter value as text.
fn value_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

impl FeeInputs {
    /// The register's parameters of a piece of equipment, nothing else asked for.
    pub fn from_detail(detail: &EquipmentDetail) -> Self {
        let fields = EquipmentParams::fields_for(&detail.summary.variety_code);
        Self {
            params: fields
                .iter()
                .map(|f| (f.key.to_owned(), value_text(detail.params.get(f.key))))
                .collect(),
            ..Self::default()
        }
    }

    /// The parameter object: typed as the variety's fields want, empty ones left out (a text
    /// that does not read as its type goes as typed, so the domain names the problem).
    fn params_json(&self, fields: &[ParamField]) -> Value {
        let mut params = Map::new();
        for field in fields {
            let text = pair(&self.params, field.key)
                .map(str::trim)
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            let value = match field.kind {
                ParamKind::Integer => text
                    .parse::<u64>()
                    .map_or_else(|_| Value::String(text.to_owned()), Value::from),
                ParamKind::Boolean => match text {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    other => Value::String(other.to_owned()),
                },
                _ => Value::String(text.to_owned()),
            };
            params.insert(field.key.to_owned(), value);
        }
        Value::Object(params)
    }

    /// The `fee` object of an application item (the server adds the variety and the inspection
    /// type and computes again).
    pub fn to_json(&self, variety: &str) -> Value {
        let mut o = Map::new();
        o.insert(
            "params".to_owned(),
            self.params_json(EquipmentParams::fields_for(variety)),
        );
        if self.imported {
            o.insert("imported".to_owned(), Value::Bool(true));
        }
        if !self.options.is_empty() {
            let options = self
                .options
                .iter()
                .map(|(key, quantity)| {
                    let mut item = Map::new();
                    item.insert("key".to_owned(), Value::String(key.clone()));
                    item.insert("quantity".to_owned(), Value::from(*quantity));
                    Value::Object(item)
                })
                .collect();
            o.insert("options".to_owned(), Value::Array(options));
        }
        let mut text = |key: &str, value: &str| {
            let value = value.trim();
            if !value.is_empty() {
                o.insert(key.to_owned(), Value::String(value.to_owned()));
            }
        };
        text("ex_works_price", &self.ex_works_price);
        text("works_cost", &self.works_cost);
        text("subtype", &self.subtype);
        text("scheme", &self.scheme);
        let measures: Map<String, Value> = self
            .measures
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), Value::String(v.trim().to_owned())))
            .collect();
        if !measures.is_empty() {
            o.insert("measures".to_owned(), Value::Object(measures));
        }
        Value::Object(o)
    }
}

/// The estimate for one unit, or the reason there is none (in Chinese).
pub fn estimate(
    book: &TariffBook,
    variety: &str,
    kind: InspectionType,
    inputs: &FeeInputs,
) -> Result<FeeEstimate, String> {
    let t = t();
    let tariff = tariff_in_force(book).ok_or_else(|| t.no_tariff.to_owned())?;
    let mut json = inputs.to_json(variety);
    if let Value::Object(o) = &mut json {
        o.insert("variety".to_owned(), Value::String(variety.to_owned()));
        o.insert(
            "inspection_type".to_owned(),
            Value::String(kind.as_str().to_owned()),
        );
    }
    let request = FeeRequest::from_json(&json).map_err(|e| e.to_string())?;
    tariff.estimate(&request).map_err(|e| e.to_string())
}

/// 123.45 → 「¥123.45」.
pub fn yuan(amount: impl std::fmt::Display) -> String {
    format!("¥{amount}")
}

/// The rule the dialog prices with (the subtype's, when one is chosen).
fn rule_of<'b>(tariff: &'b Tariff, variety: &str, subtype: &str) -> Option<&'b FeeRule> {
    let code = CatalogueCode::parse(variety).ok()?;
    tariff.rule_for(code, (!subtype.is_empty()).then_some(subtype))
}

/// 检验费用参考值计算: the dialog of one unit. Opens as a modal at once; `on_save` gets the
/// inputs when 确定 is pressed (after a successful 合计), `on_close` runs when it closes.
#[component]
pub fn FeeDialog(
    detail: EquipmentDetail,
    kind: InspectionType,
    book: Rc<TariffBook>,
    initial: FeeInputs,
    on_save: Callback<FeeInputs>,
    on_close: Callback<()>,
) -> impl IntoView {
    let t = t();
    let variety = detail.summary.variety_code.clone();
    let fields: &'static [ParamField] = EquipmentParams::fields_for(&variety);
    let book = StoredValue::new_local(book);
    let variety = StoredValue::new(variety);
    let dialog = NodeRef::<leptos::html::Dialog>::new();

    // The inputs, one signal each.
    let params: Vec<(ParamField, RwSignal<String>)> = fields
        .iter()
        .map(|f| {
            let text = pair(&initial.params, f.key).unwrap_or_default().to_owned();
            (*f, RwSignal::new(text))
        })
        .collect();
    let params = StoredValue::new(params);
    let imported = RwSignal::new(initial.imported);
    let options = RwSignal::new(
        initial
            .options
            .iter()
            .map(|(k, q)| (k.clone(), q.to_string()))
            .collect::<Pairs>(),
    );
    let ex_works = RwSignal::new(initial.ex_works_price.clone());
    let works_cost = RwSignal::new(initial.works_cost.clone());
    let measures = RwSignal::new(initial.measures.clone());
    let subtype = RwSignal::new(initial.subtype.clone());
    let scheme = RwSignal::new(initial.scheme.clone());
    let result = RwSignal::new(None::<Result<FeeEstimate, String>>);

    let tariff_name = book.with_value(|b| {
        tariff_in_force(b).map(|tariff| format!("{}（{}）", tariff.name, tariff.label))
    });

    // What the rule in use offers.
    let rule_info = Memo::new(move |_| {
        let sub = subtype.get();
        book.with_value(|b| {
            let tariff = tariff_in_force(b)?;
            let rule = variety.with_value(|v| rule_of(tariff, v, &sub))?;
            let opts: Vec<(String, String, String)> = rule
                .options
                .iter()
                .map(|o| (o.key.clone(), o.name.clone(), o.unit.clone()))
                .collect();
            let schemes: Vec<(String, String)> = tariff
                .schemes_for(rule, kind)
                .into_iter()
                .map(|(k, n)| (k.to_owned(), n.to_owned()))
                .collect();
            let methods = tariff.methods_for(rule, kind);
            let prices: Vec<_> = tejian_domain::fee::PriceKind::all()
                .iter()
                .copied()
                .filter(|p| {
                    methods
                        .iter()
                        .any(|m| m.method == MethodKind::Percent && m.of == Some(*p))
                })
                .collect();
            let mut supplements = Vec::new();
            if let Some(base) = &rule.base {
                let candidates = base
                    .measure
                    .into_iter()
                    .chain(base.bands.iter().filter_map(|b| b.per));
                for m in candidates {
                    if m.is_supplementary() && !supplements.contains(&m) {
                        supplements.push(m);
                    }
                }
            }
            Some(RuleInfo {
                imported_percent: rule.imported_percent.map(|p| p.normalize().to_string()),
                options: opts,
                schemes,
                prices,
                supplements,
            })
        })
    });
    let subtypes: Vec<(String, String)> = book.with_value(|b| {
        tariff_in_force(b)
            .and_then(|tariff| {
                let code = variety.with_value(|v| CatalogueCode::parse(v).ok())?;
                Some(
                    tariff
                        .subtypes_for(code)
                        .into_iter()
                        .map(|(k, n)| (k.to_owned(), n.to_owned()))
                        .collect(),
                )
            })
            .unwrap_or_default()
    });

    // The inputs as they stand.
    let current = move || {
        let info = rule_info.get_untracked();
        let offered: Vec<String> = info
            .as_ref()
            .map(|i| i.options.iter().map(|o| o.0.clone()).collect())
            .unwrap_or_default();
        let chosen = options.get_untracked();
        FeeInputs {
            params: params.with_value(|ps| {
                ps.iter()
                    .map(|(f, s)| (f.key.to_owned(), s.get_untracked()))
                    .collect()
            }),
            imported: imported.get_untracked()
                && info.as_ref().is_some_and(|i| i.imported_percent.is_some()),
            options: offered
                .iter()
                .filter_map(|key| {
                    let q = pair(&chosen, key)?;
                    Some((key.clone(), q.trim().parse::<u32>().unwrap_or(0)))
                })
                .collect(),
            ex_works_price: ex_works.get_untracked(),
            works_cost: works_cost.get_untracked(),
            measures: measures.get_untracked(),
            subtype: subtype.get_untracked(),
            scheme: scheme.get_untracked(),
        }
    };
    let compute = move || {
        let inputs = current();
        let outcome = book.with_value(|b| variety.with_value(|v| estimate(b, v, kind, &inputs)));
        result.set(Some(outcome.clone()));
        outcome.map(|_| inputs)
    };

    Effect::new(move || {
        if let Some(el) = dialog.get()
            && !el.open()
        {
            let _ = el.show_modal();
        }
    });
    let close = move || {
        if let Some(el) = dialog.get_untracked() {
            el.close();
        }
    };

    let param_fields = params.with_value(|ps| {
        ps.iter()
            .map(|(f, value)| param_input(*f, *value))
            .collect_view()
    });
    let subtype_field = (!subtypes.is_empty()).then(|| {
        let choices = subtypes
            .into_iter()
            .map(|(k, n)| {
                let key = k.clone();
                view! { <option value=k selected=move || subtype.with(|s| *s == key)>{n}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="fee-subtype">{t.fee_subtype}</label>
                <select id="fee-subtype" on:change=move |ev| subtype.set(event_target_value(&ev))>
                    <option value="" selected=move || subtype.with(String::is_empty)>{t.fee_subtype_general}</option>
                    {choices}
                </select>
            </div>
        }
    });
    let rule_fields = move || {
        let Some(info) = rule_info.get() else {
            return view! { <p class="alert alert-error" role="alert">{t.no_fee_rule}</p> }
                .into_any();
        };
        let scheme_field = (!info.schemes.is_empty()).then(|| {
            let choices = info
                .schemes
                .iter()
                .map(|(k, n)| {
                    let key = k.clone();
                    view! { <option value=k.clone() selected=move || scheme.with(|s| *s == key)>{n.clone()}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for="fee-scheme">{t.fee_scheme}</label>
                    <select id="fee-scheme" on:change=move |ev| scheme.set(event_target_value(&ev))>
                        <option value="" selected=move || scheme.with(String::is_empty)>{t.fee_scheme_default}</option>
                        {choices}
                    </select>
                </div>
            }
        });
        let price_fields = info
            .prices
            .iter()
            .map(|p| {
                let (id, signal) = match p {
                    tejian_domain::fee::PriceKind::ExWorksPrice => ("fee-ex-works", ex_works),
                    tejian_domain::fee::PriceKind::WorksCost => ("fee-works-cost", works_cost),
                };
                view! {
                    <InputField
                        id=id
                        label=format!("{}（元）", p.label_zh())
                        value=signal
                        inputmode="decimal"
                    />
                }
            })
            .collect_view();
        let supplement_fields = info
            .supplements
            .iter()
            .map(|m| {
                let key = m.as_str().to_owned();
                let id = format!("fee-m-{key}");
                let read_key = key.clone();
                view! {
                    <div class="field">
                        <label for=id.clone()>{format!("{}（{}）", m.label_zh(), m.unit())}</label>
                        <input
                            id=id
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            prop:value=move || {
                                measures.with(|ms| pair(ms, &read_key).unwrap_or_default().to_owned())
                            }
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                measures.update(|ms| set_pair(ms, &key, v));
                            }
                        />
                    </div>
                }
            })
            .collect_view();
        let imported_field = info.imported_percent.clone().map(|percent| {
            view! {
                <label class="check-field">
                    <input id="fee-imported" type="checkbox" bind:checked=imported />
                    {format!("{}（{}{percent}%）", t.fee_imported, t.fee_surcharge)}
                </label>
            }
        });
        let option_fields = (!info.options.is_empty()).then(|| {
            let items = info
                .options
                .iter()
                .map(|(key, name, unit)| {
                    option_input(options, key.clone(), name.clone(), unit.clone())
                })
                .collect_view();
            view! {
                <fieldset class="fee-options">
                    <legend>{t.fee_options}</legend>
                    {items}
                </fieldset>
            }
        });
        view! {
            {scheme_field}
            {price_fields}
            {supplement_fields}
            {imported_field}
            {option_fields}
        }
        .into_any()
    };

    let result_view = move || {
        result.get().map(|outcome| match outcome {
            Ok(est) => fee_lines(&est).into_any(),
            Err(message) => view! {
                <div class="alert alert-error" role="alert">
                    <p class="alert-title">{t.fee_failed}</p>
                    <p>{message}</p>
                </div>
            }
            .into_any(),
        })
    };

    let label = equipment_label(&detail);
    let variety_name = format!(
        "{} / {}",
        detail.summary.category_name, detail.summary.variety_name
    );
    view! {
        <dialog
            node_ref=dialog
            class="dialog fee-dialog"
            aria-labelledby="fee-title"
            on:close=move |_| on_close.run(())
        >
            <div class="dialog-head">
                <h2 id="fee-title">{t.fee_title}</h2>
                <button type="button" class="dialog-close" aria-label=t.close on:click=move |_| close()>
                    "×"
                </button>
            </div>
            <dl class="facts fee-facts">
                <div>
                    <dt>{t.equipment}</dt>
                    <dd class="code">{label}</dd>
                </div>
                <div>
                    <dt>{t.variety}</dt>
                    <dd>{variety_name}</dd>
                </div>
                <div>
                    <dt>{t.inspection_type}</dt>
                    <dd>{kind.label_zh()}</dd>
                </div>
                <div>
                    <dt>{t.fee_tariff}</dt>
                    <dd>{tariff_name.unwrap_or_else(|| t.no_tariff.to_owned())}</dd>
                </div>
            </dl>
            <form
                class="fee-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    let _ = compute();
                }
            >
                <div class="fee-grid">
                    {subtype_field}
                    {param_fields}
                </div>
                {rule_fields}
                <div class="form-actions">
                    <button type="submit" id="fee-total" class="btn btn-secondary">{t.fee_sum}</button>
                </div>
            </form>
            <div class="fee-result" aria-live="polite">{result_view}</div>
            <div class="dialog-actions">
                <button
                    type="button"
                    id="fee-save"
                    class="btn btn-primary"
                    on:click=move |_| {
                        if let Ok(inputs) = compute() {
                            on_save.run(inputs);
                            close();
                        }
                    }
                >
                    {t.fee_use}
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| close()>
                    {t.cancel}
                </button>
            </div>
        </dialog>
    }
}

/// What the rule in use offers beyond the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RuleInfo {
    imported_percent: Option<String>,
    /// (key, name, unit)
    options: Vec<(String, String, String)>,
    schemes: Vec<(String, String)>,
    prices: Vec<tejian_domain::fee::PriceKind>,
    supplements: Vec<tejian_domain::fee::Measure>,
}

/// One parameter of the variety, as its kind wants to be typed.
fn param_input(field: ParamField, value: RwSignal<String>) -> AnyView {
    let t = t();
    let id = format!("fee-p-{}", field.key);
    let label = if field.unit.is_empty() {
        field.label.to_owned()
    } else {
        format!("{}（{}）", field.label, field.unit)
    };
    match field.kind {
        ParamKind::Boolean | ParamKind::Choice => {
            let choices: Vec<(&'static str, &'static str)> = if field.kind == ParamKind::Boolean {
                vec![("true", t.yes), ("false", t.no)]
            } else {
                field.choices.to_vec()
            };
            let options = choices
                .into_iter()
                .map(|(k, n)| {
                    view! { <option value=k selected=move || value.with(|v| v == k)>{n}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for=id.clone()>{label}</label>
                    <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="" selected=move || value.with(String::is_empty)>{t.not_given}</option>
                        {options}
                    </select>
                </div>
            }
            .into_any()
        }
        ParamKind::Integer | ParamKind::Decimal => {
            let mode = if field.kind == ParamKind::Integer {
                "numeric"
            } else {
                "decimal"
            };
            view! { <InputField id=id label=label value=value inputmode=mode /> }.into_any()
        }
    }
}

/// One optional item: ticked or not, and how many.
fn option_input(
    options: RwSignal<Pairs>,
    key: String,
    name: String,
    unit: String,
) -> impl IntoView {
    let t = t();
    let check_id = format!("fee-o-{key}");
    let qty_id = format!("fee-q-{key}");
    let qty_for = qty_id.clone();
    let k1 = key.clone();
    let k2 = key.clone();
    let k3 = key.clone();
    let k4 = key;
    let ticked = move || options.with(|o| pair(o, &k1).is_some());
    view! {
        <div class="fee-option">
            <label class="check-field">
                <input
                    id=check_id
                    type="checkbox"
                    prop:checked=ticked.clone()
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        options.update(|o| {
                            if !on {
                                o.retain(|(k, _)| *k != k2);
                            } else if pair(o, &k2).is_none() {
                                o.push((k2.clone(), "1".to_owned()));
                            }
                        });
                    }
                />
                {name}
            </label>
            <label class="qty" for=qty_for>
                <span>{t.quantity}</span>
                <input
                    id=qty_id
                    type="number"
                    min="1"
                    max="100000"
                    inputmode="numeric"
                    disabled=move || !ticked()
                    prop:value=move || options.with(|o| pair(o, &k3).unwrap_or("1").to_owned())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        options.update(|o| set_pair(o, &k4, v));
                    }
                />
                <span>{unit}</span>
            </label>
        </div>
    }
}

/// The lines of an estimate (项目, 计费依据, 金额), its total labelled 参考费用, the note and what
/// was assumed.
pub fn fee_lines(est: &FeeEstimate) -> impl IntoView + use<> {
    let t = t();
    let rows = est
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td data-label=t.fee_item><div class="cell">{l.item.clone()}</div></td>
                    <td data-label=t.fee_basis><div class="cell">{l.basis.clone()}</div></td>
                    <td data-label=t.fee_amount class="num"><div class="cell">{yuan(l.amount)}</div></td>
                </tr>
            }
        })
        .collect_view();
    let assumptions = (!est.assumptions.is_empty()).then(|| {
        let items = est
            .assumptions
            .iter()
            .map(|a| view! { <li>{a.clone()}</li> })
            .collect_view();
        view! { <ul class="fee-assumptions muted small">{items}</ul> }
    });
    view! {
        <div class="table-wrap">
            <table class="data-table cards-on-phone fee-lines">
                <thead>
                    <tr>
                        <th scope="col">{t.fee_item}</th>
                        <th scope="col">{t.fee_basis}</th>
                        <th scope="col" class="num">{t.fee_amount}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr class="fee-total-row">
                        <th scope="row" colspan="2">{est.label.clone()}</th>
                        <td class="num fee-total" data-label=est.label.clone()>
                            <div class="cell">{yuan(est.total)}</div>
                        </td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <p class="fee-note">{est.note.clone()}</p>
        {assumptions}
    }
}
