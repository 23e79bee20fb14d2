//! Form helpers.

use leptos::prelude::*;

/// The message under a field (the server's or the client's check), referenced by the input's
/// `aria-describedby`. Empty (and hidden by the style sheet) when there is none.
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id>
            {move || message.get().unwrap_or_default()}
        </p>
    }
}

/// A labelled input with its hint (`{id}-hint`) and message (`{id}-error`). One component for
/// every plain input of the newer forms keeps the wasm small.
#[component]
pub fn InputField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The input's `type` (default `text`).
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional, into)] min: Option<String>,
    #[prop(optional, into)] max: Option<String>,
    /// Spans both columns of a `form-grid`.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:field-wide=wide>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                inputmode=inputmode
                maxlength=maxlength
                min=min
                max=max
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="field-hint" id=hint_id>{h}</p> })}
            <FieldMessage id=error_id message=error />
        </div>
    }
}
