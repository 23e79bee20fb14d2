//! Form helpers.

use leptos::prelude::*;

/// The message under a field (the server's or the client's check), referenced by the input's
/// `aria-describedby`. Empty (and hidden by the style sheet) when there is none.
#[component]
pub fn FieldMessage(
    id: &'static str,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id>
            {move || message.get().unwrap_or_default()}
        </p>
    }
}
