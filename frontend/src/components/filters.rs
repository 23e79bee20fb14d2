//! 查询条件 (manual §4.2.2): the equipment filters of 设备综合查询 and the four lists.
//!
//! The conditions live in the URL query (`?category=3000&page=2`), so a list can be reloaded,
//! bookmarked and shared; the form only edits them and navigates.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use tejian_contract::equipment::EquipmentQuery;
use tejian_contract::reference::{CatalogueEntry, District};
use tejian_domain::equipment::UseStatus;
use tejian_domain::inspection::Outcome;
use time::Date;
use time::macros::format_description;

use crate::auth::use_auth;
use crate::components::{Load, Loader};
use crate::i18n::t;

/// The conditions in a URL query. A value that does not parse (a page of `abc`, an unknown
/// status) is left out, so a hand-edited link still shows a list.
pub fn query_from_params(params: &ParamsMap) -> EquipmentQuery {
    let text = |key: &str| {
        params
            .get_str(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let date = |key: &str| text(key).and_then(|v| parse_date(&v));
    EquipmentQuery {
        page: text("page").and_then(|v| v.parse().ok()).filter(|&p| p > 0),
        per_page: text("per_page")
            .and_then(|v| v.parse().ok())
            .filter(|&p| p > 0),
        view: None,
        within_days: text("within_days").and_then(|v| v.parse().ok()),
        category: text("category"),
        variety: text("variety"),
        registration_code: text("registration_code"),
        equipment_code: text("equipment_code"),
        use_certificate_no: text("use_certificate_no"),
        internal_no: text("internal_no"),
        use_status: text("use_status").and_then(|v| v.parse().ok()),
        district: text("district"),
        location: text("location"),
        manufacturer: text("manufacturer"),
        model: text("model"),
        manufactured_from: date("manufactured_from"),
        manufactured_to: date("manufactured_to"),
        next_from: date("next_from"),
        next_to: date("next_to"),
        last_outcome: text("last_outcome").and_then(|v| v.parse().ok()),
        registered_from: date("registered_from"),
        registered_to: date("registered_to"),
        sort: text("sort"),
        format: None,
    }
}

/// `?key=value&…` for the conditions that are set (empty when none is); `view` and `format`
/// are left out (the route says the view).
pub fn query_string(q: &EquipmentQuery) -> String {
    let mut pairs: Vec<(&'static str, String)> = Vec::new();
    let mut put = |key: &'static str, value: Option<String>| {
        if let Some(v) = value {
            pairs.push((key, v));
        }
    };
    let d = |v: Option<Date>| v.map(|d| d.to_string());
    put("category", q.category.clone());
    put("variety", q.variety.clone());
    put("registration_code", q.registration_code.clone());
    put("equipment_code", q.equipment_code.clone());
    put("use_certificate_no", q.use_certificate_no.clone());
    put("internal_no", q.internal_no.clone());
    put("use_status", q.use_status.map(|s| s.as_str().to_owned()));
    put("district", q.district.clone());
    put("location", q.location.clone());
    put("manufacturer", q.manufacturer.clone());
    put("model", q.model.clone());
    put("manufactured_from", d(q.manufactured_from));
    put("manufactured_to", d(q.manufactured_to));
    put("next_from", d(q.next_from));
    put("next_to", d(q.next_to));
    put(
        "last_outcome",
        q.last_outcome.map(|s| s.as_str().to_owned()),
    );
    put("registered_from", d(q.registered_from));
    put("registered_to", d(q.registered_to));
    put("within_days", q.within_days.map(|n| n.to_string()));
    put("sort", q.sort.clone());
    put("page", q.page.map(|n| n.to_string()));
    put("per_page", q.per_page.map(|n| n.to_string()));
    pairs.into_iter().collect::<ParamsMap>().to_query_string()
}

/// A condition of the URL query, trimmed; `None` when it is missing or empty.
pub fn param_text(params: &ParamsMap, key: &str) -> Option<String> {
    params
        .get_str(key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `?page=2` style paging from the URL (positive numbers only).
pub fn param_number(params: &ParamsMap, key: &str) -> Option<u32> {
    param_text(params, key)
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
}

/// `?key=value&…` for the pairs that are set (empty when none is).
pub fn pairs_query(pairs: Vec<(&'static str, Option<String>)>) -> String {
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect::<ParamsMap>()
        .to_query_string()
}

/// The text of a form field, `None` when empty.
pub fn field_text(value: RwSignal<String>) -> Option<String> {
    text(value)
}

/// `YYYY-MM-DD` (a date input's value).
pub fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// A date as a date input wants it.
pub fn date_value(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn text(value: RwSignal<String>) -> Option<String> {
    let v = value.get_untracked();
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn date(value: RwSignal<String>) -> Option<Date> {
    parse_date(&value.get_untracked())
}

/// The form's fields, one text per condition (empty = not set).
#[derive(Debug, Clone, Copy)]
pub struct FilterForm {
    pub category: RwSignal<String>,
    pub variety: RwSignal<String>,
    pub registration_code: RwSignal<String>,
    pub equipment_code: RwSignal<String>,
    pub use_certificate_no: RwSignal<String>,
    pub internal_no: RwSignal<String>,
    pub use_status: RwSignal<String>,
    pub district: RwSignal<String>,
    pub location: RwSignal<String>,
    pub manufacturer: RwSignal<String>,
    pub model: RwSignal<String>,
    pub manufactured_from: RwSignal<String>,
    pub manufactured_to: RwSignal<String>,
    pub next_from: RwSignal<String>,
    pub next_to: RwSignal<String>,
    pub last_outcome: RwSignal<String>,
    pub registered_from: RwSignal<String>,
    pub registered_to: RwSignal<String>,
}

impl FilterForm {
    /// An empty form.
    pub fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            category: s(),
            variety: s(),
            registration_code: s(),
            equipment_code: s(),
            use_certificate_no: s(),
            internal_no: s(),
            use_status: s(),
            district: s(),
            location: s(),
            manufacturer: s(),
            model: s(),
            manufactured_from: s(),
            manufactured_to: s(),
            next_from: s(),
            next_to: s(),
            last_outcome: s(),
            registered_from: s(),
            registered_to: s(),
        }
    }

    /// Shows the conditions of `q`.
    pub fn load(&self, q: &EquipmentQuery) {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        self.category.set(o(&q.category));
        self.variety.set(o(&q.variety));
        self.registration_code.set(o(&q.registration_code));
        self.equipment_code.set(o(&q.equipment_code));
        self.use_certificate_no.set(o(&q.use_certificate_no));
        self.internal_no.set(o(&q.internal_no));
        self.use_status.set(
            q.use_status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        );
        self.district.set(o(&q.district));
        self.location.set(o(&q.location));
        self.manufacturer.set(o(&q.manufacturer));
        self.model.set(o(&q.model));
        self.manufactured_from.set(date_value(q.manufactured_from));
        self.manufactured_to.set(date_value(q.manufactured_to));
        self.next_from.set(date_value(q.next_from));
        self.next_to.set(date_value(q.next_to));
        self.last_outcome.set(
            q.last_outcome
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        );
        self.registered_from.set(date_value(q.registered_from));
        self.registered_to.set(date_value(q.registered_to));
    }

    /// Writes the form's conditions into `q` (paging, view and sort are left alone).
    pub fn apply(&self, q: &mut EquipmentQuery) {
        q.category = text(self.category);
        q.variety = text(self.variety);
        q.registration_code = text(self.registration_code);
        q.equipment_code = text(self.equipment_code);
        q.use_certificate_no = text(self.use_certificate_no);
        q.internal_no = text(self.internal_no);
        q.use_status = text(self.use_status).and_then(|s| s.parse::<UseStatus>().ok());
        q.district = text(self.district);
        q.location = text(self.location);
        q.manufacturer = text(self.manufacturer);
        q.model = text(self.model);
        q.manufactured_from = date(self.manufactured_from);
        q.manufactured_to = date(self.manufactured_to);
        q.next_from = date(self.next_from);
        q.next_to = date(self.next_to);
        q.last_outcome = text(self.last_outcome).and_then(|s| s.parse::<Outcome>().ok());
        q.registered_from = date(self.registered_from);
        q.registered_to = date(self.registered_to);
    }

    /// `true` when a 「更多条件」 condition is set (the panel then opens by itself).
    pub fn has_more(&self) -> bool {
        [
            self.district,
            self.location,
            self.manufacturer,
            self.model,
            self.manufactured_from,
            self.manufactured_to,
            self.next_from,
            self.next_to,
            self.last_outcome,
            self.registered_from,
            self.registered_to,
        ]
        .iter()
        .any(|s| !s.with_untracked(String::is_empty))
    }
}

impl Default for FilterForm {
    fn default() -> Self {
        Self::new()
    }
}

/// A `<select>` of (value, text) pairs with a first 「全部」 option; the options may arrive later.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// The empty option's text (default 「全部」).
    #[prop(optional)]
    all: Option<&'static str>,
    /// Runs after the user picks an option.
    #[prop(optional)]
    on_pick: Option<Callback<()>>,
) -> impl IntoView {
    let all = all.unwrap_or(t().all);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(f) = on_pick {
                        f.run(());
                    }
                }
            >
                <option value="" selected=move || value.with(String::is_empty)>{all}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(code, name)| {
                            let selected = {
                                let code = code.clone();
                                move || value.with(|v| *v == code)
                            };
                            view! {
                                <option value=code selected=selected>{name}</option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// A text condition.
#[component]
pub fn TextField(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete="off" bind:value=value />
        </div>
    }
}

/// A date range 起 / 止.
#[component]
pub fn DateRange(
    id: &'static str,
    label: &'static str,
    from: RwSignal<String>,
    to: RwSignal<String>,
) -> impl IntoView {
    let t = t();
    let from_id = format!("{id}-from");
    let to_id = format!("{id}-to");
    view! {
        <fieldset class="field date-range">
            <legend>{label}</legend>
            <div class="date-pair">
                <input id=from_id type="date" aria-label=format!("{label}{}", t.from) bind:value=from />
                <span aria-hidden="true">"–"</span>
                <input id=to_id type="date" aria-label=format!("{label}{}", t.to) bind:value=to />
            </div>
        </fieldset>
    }
}

/// The catalogue and the districts, loaded once per form (public reference data; a failure
/// leaves the lists empty, the conditions still work).
#[derive(Clone, Copy)]
struct Reference {
    categories: Loader<Vec<CatalogueEntry>>,
    districts: Loader<Vec<District>>,
}

impl Reference {
    fn new(with_districts: bool) -> Self {
        let auth = use_auth();
        Self {
            categories: Loader::new(move || {
                let client = auth.client();
                async move { Ok(client.categories().await.unwrap_or_default()) }
            }),
            districts: Loader::new(move || {
                let client = auth.client();
                async move {
                    if with_districts {
                        Ok(client.districts().await.unwrap_or_default())
                    } else {
                        Ok(Vec::new())
                    }
                }
            }),
        }
    }
}

/// The value of a loaded list (empty until it is there).
fn loaded<T: Clone>(loader: Loader<Vec<T>>) -> Vec<T> {
    loader.state.with(|s| match s {
        Load::Ready(v) => v.clone(),
        _ => Vec::new(),
    })
}

/// The classes and varieties of a category, a variety indented under its class.
fn varieties_of(all: &[CatalogueEntry], category: &str) -> Vec<(String, String)> {
    if category.is_empty() {
        return Vec::new();
    }
    let classes: Vec<&CatalogueEntry> = all
        .iter()
        .filter(|e| e.level == "class" && e.parent.as_deref() == Some(category))
        .collect();
    let mut out = Vec::new();
    for class in &classes {
        out.push((class.code.clone(), class.name.clone()));
        for v in all
            .iter()
            .filter(|e| e.level == "variety" && e.parent.as_deref() == Some(class.code.as_str()))
        {
            out.push((v.code.clone(), format!("\u{3000}{}", v.name)));
        }
    }
    // A variety straight under its category (no class level).
    for v in all
        .iter()
        .filter(|e| e.level == "variety" && e.parent.as_deref() == Some(category))
    {
        out.push((v.code.clone(), v.name.clone()));
    }
    out
}

/// The filter form: the basic conditions and, with `more`, the 「更多条件」 toggle. `children`
/// are extra buttons (导出) after 查询 and 重置.
#[component]
pub fn FilterPanel(
    form: FilterForm,
    /// Offer 「更多条件」 (设备综合查询 only).
    #[prop(optional)]
    more: bool,
    on_search: Callback<()>,
    on_reset: Callback<()>,
    children: Children,
) -> impl IntoView {
    let t = t();
    let reference = Reference::new(more);
    let show_more = RwSignal::new(more && form.has_more());

    let categories = Signal::derive(move || {
        loaded(reference.categories)
            .iter()
            .filter(|e| e.level == "category")
            .map(|e| (e.code.clone(), e.name.clone()))
            .collect()
    });
    let varieties = Signal::derive(move || {
        let category = form.category.get();
        varieties_of(&loaded(reference.categories), &category)
    });
    let districts = Signal::derive(move || {
        loaded(reference.districts)
            .iter()
            .map(|d| (d.code.clone(), d.name.clone()))
            .collect()
    });
    let use_statuses = Signal::derive(|| {
        UseStatus::all()
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label_zh().to_owned()))
            .collect::<Vec<_>>()
    });
    let outcomes = Signal::derive(|| {
        Outcome::all()
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label_zh().to_owned()))
            .collect::<Vec<_>>()
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_search.run(());
    };

    view! {
        <form class="filters" on:submit=submit novalidate role="search">
            <div class="filter-grid">
                <SelectField
                    id="f-category"
                    label=t.category
                    value=form.category
                    options=categories
                    on_pick=Callback::new(move |()| form.variety.set(String::new()))
                />
                <SelectField id="f-variety" label=t.variety value=form.variety options=varieties />
                <TextField id="f-registration-code" label=t.registration_code value=form.registration_code />
                <TextField id="f-equipment-code" label=t.equipment_code value=form.equipment_code />
                <TextField id="f-certificate" label=t.use_certificate_no value=form.use_certificate_no />
                <TextField id="f-internal-no" label=t.internal_no value=form.internal_no />
                <SelectField id="f-use-status" label=t.use_status value=form.use_status options=use_statuses />
            </div>
            {more
                .then(|| {
                    view! {
                        <button
                            type="button"
                            id="more-filters"
                            class="btn-link more-toggle"
                            aria-expanded=move || if show_more.get() { "true" } else { "false" }
                            aria-controls="more-filter-grid"
                            on:click=move |_| show_more.update(|v| *v = !*v)
                        >
                            {move || if show_more.get() { t.fewer_filters } else { t.more_filters }}
                        </button>
                        <div
                            class="filter-grid more-grid"
                            id="more-filter-grid"
                            hidden=move || !show_more.get()
                        >
                            <SelectField id="f-district" label=t.district value=form.district options=districts />
                            <TextField id="f-location" label=t.install_location value=form.location />
                            <TextField id="f-manufacturer" label=t.manufacturer value=form.manufacturer />
                            <TextField id="f-model" label=t.model value=form.model />
                            <SelectField id="f-outcome" label=t.last_outcome value=form.last_outcome options=outcomes />
                            <DateRange id="f-manufactured" label=t.manufacture_date from=form.manufactured_from to=form.manufactured_to />
                            <DateRange id="f-next" label=t.next_inspection_date from=form.next_from to=form.next_to />
                            <DateRange id="f-registered" label=t.registration_date from=form.registered_from to=form.registered_to />
                        </div>
                    }
                })}
            <div class="filter-actions">
                <button type="submit" id="search-submit" class="btn btn-primary">{t.search}</button>
                <button type="button" id="search-reset" class="btn btn-secondary" on:click=move |_| on_reset.run(())>
                    {t.reset}
                </button>
                {children()}
            </div>
        </form>
    }
}
