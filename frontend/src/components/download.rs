//! 下载与导出: bytes from the API saved as a file through a Blob and an object URL (导出 of the
//! equipment lists, attachments of status changes).

use leptos::prelude::*;
use tejian_contract::equipment::{EquipmentQuery, ExportFormat};
use tejian_contract::files::StoredFileInfo;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::auth::{UiError, use_auth};
use crate::i18n::t;

/// Hands `bytes` to the browser as a download named `file_name`.
pub fn save_file(bytes: &[u8], file_name: &str, mime: &str) -> Result<(), UiError> {
    let failed = |_| UiError::local(0, "download_failed", t().download_failed);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let anchor = document()
        .create_element("a")
        .map_err(failed)?
        .dyn_into::<HtmlAnchorElement>()
        .map_err(|_| UiError::local(0, "download_failed", t().download_failed))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    if let Some(body) = document().body() {
        let _ = body.append_child(&anchor);
        anchor.click();
        anchor.remove();
    } else {
        anchor.click();
    }
    // Give the browser time to start the download before the URL goes away.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// A size for people: `12.3 KB`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// 导出: the whole filtered list as CSV (设备清单.csv), with its progress.
#[component]
pub fn ExportButton(#[prop(into)] query: Signal<EquipmentQuery>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let action = Action::new_local(move |q: &EquipmentQuery| {
        let q = q.clone();
        async move {
            let bytes = auth
                .call(move |c| async move { c.equipment_export(&q, ExportFormat::Csv).await })
                .await?;
            save_file(&bytes, t.export_file_name, "text/csv;charset=utf-8")?;
            Ok::<usize, UiError>(bytes.len())
        }
    });
    let pending = action.pending();
    let outcome = move || {
        if pending.get() {
            return view! {
                <span class="export-state" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    {t.exporting}
                </span>
            }
            .into_any();
        }
        match action.value().get() {
            Some(Ok(len)) => view! {
                <span class="export-state ok" role="status">
                    {format!("{}（{}）", t.exported, human_size(len as u64))}
                </span>
            }
            .into_any(),
            Some(Err(e)) => view! {
                <span class="export-state alert-error" role="alert">{e.message}</span>
            }
            .into_any(),
            None => ().into_any(),
        }
    };
    view! {
        <button
            type="button"
            id="export"
            class="btn btn-secondary"
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| {
                action.dispatch_local(query.get_untracked());
            }
        >
            {t.export}
        </button>
        {outcome}
    }
}

/// An attachment that downloads under its own name when pressed.
#[component]
pub fn AttachmentLink(file: StoredFileInfo) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let info = StoredValue::new(file);
    let action = Action::new_local(move |(): &()| {
        let file = info.get_value();
        async move {
            let id = file.id.clone();
            let bytes = auth
                .call(move |c| async move { c.download_file(&id).await })
                .await?;
            save_file(&bytes, &file.file_name, &file.content_type)
        }
    });
    let pending = action.pending();
    let name = info.with_value(|f| f.file_name.clone());
    let size = info.with_value(|f| human_size(f.size));
    view! {
        <span class="attachment">
            <button
                type="button"
                class="btn-link"
                disabled=move || pending.get()
                title=t.download
                on:click=move |_| {
                    action.dispatch_local(());
                }
            >
                {name}
            </button>
            <span class="muted small">
                {move || if pending.get() { t.downloading.to_owned() } else { size.clone() }}
            </span>
            {move || {
                action
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|e| view! { <span class="field-error" role="alert">{e.message}</span> })
            }}
        </span>
    }
}
