//! 附件上传: files chosen in a form go to `POST /api/v1/files` at once, each with its own state
//! (上传中 / 已上传 / the reason it failed) and a 移除 button; the form sends the ids of the ones
//! that arrived. Used by 变更申请 and 提交整改.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tejian_contract::files::{MAX_UPLOAD_BYTES, StoredFileInfo};
use wasm_bindgen_futures::JsFuture;

use crate::auth::{AuthState, UiError, use_auth};
use crate::components::download::human_size;
use crate::components::field::FieldMessage;
use crate::i18n::t;

/// The most attachments a form may carry.
pub const MAX_ATTACHMENTS: usize = 10;
/// The file types the server takes (it checks the content too).
const EXTENSIONS: [&str; 4] = [".pdf", ".jpg", ".jpeg", ".png"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum UploadState {
    Uploading,
    Done(StoredFileInfo),
    Failed(String),
}

/// One chosen file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Upload {
    key: u32,
    name: String,
    size: u64,
    state: UploadState,
}

/// The files of one form.
#[derive(Debug, Clone, Copy)]
pub struct Uploads {
    list: RwSignal<Vec<Upload>>,
    next_key: StoredValue<u32>,
    auth: AuthState,
}

impl Default for Uploads {
    fn default() -> Self {
        Self::new()
    }
}

impl Uploads {
    /// No files yet (call it in the component, where the session is in context).
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            auth: use_auth(),
        }
    }

    /// `true` while a file is on its way (tracked).
    pub fn uploading(&self) -> bool {
        self.list
            .with(|l| l.iter().any(|u| u.state == UploadState::Uploading))
    }

    /// The ids of the files that arrived, in the order chosen.
    pub fn ids_untracked(&self) -> Vec<String> {
        self.list.with_untracked(|l| {
            l.iter()
                .filter_map(|u| match &u.state {
                    UploadState::Done(info) => Some(info.id.clone()),
                    _ => None,
                })
                .collect()
        })
    }

    /// Uploads one file (or lists why it cannot be).
    pub fn start(&self, file: web_sys::File) {
        let t = t();
        let auth = self.auth;
        let list = self.list;
        let name = file.name();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = file.size() as u64;
        let upload_key = self.next_key.get_value();
        self.next_key.set_value(upload_key.wrapping_add(1));
        let lower = name.to_lowercase();
        let refused = if !EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            Some(t.file_type_refused.to_owned())
        } else if size > MAX_UPLOAD_BYTES as u64 {
            Some(t.file_too_large.to_owned())
        } else if list.with_untracked(|l| {
            l.iter()
                .filter(|u| !matches!(u.state, UploadState::Failed(_)))
                .count()
        }) >= MAX_ATTACHMENTS
        {
            Some(t.too_many_files.to_owned())
        } else {
            None
        };
        let state = refused
            .clone()
            .map_or(UploadState::Uploading, UploadState::Failed);
        list.update(|l| {
            l.push(Upload {
                key: upload_key,
                name: name.clone(),
                size,
                state,
            });
        });
        if refused.is_some() {
            return;
        }
        spawn_local(async move {
            let result = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    auth.call(move |c| async move { c.upload_file(&name, bytes).await })
                        .await
                }
                Err(_) => Err(UiError::local(0, "read_failed", t.file_read_failed)),
            };
            let _ = list.try_update(|l| {
                if let Some(u) = l.iter_mut().find(|u| u.key == upload_key) {
                    u.state = match result {
                        Ok(info) => UploadState::Done(info),
                        Err(e) => UploadState::Failed(e.message),
                    };
                }
            });
        });
    }

    fn remove(&self, key: u32) {
        self.list.update(|l| l.retain(|x| x.key != key));
    }
}

/// The file input with its list of chosen files. `id` is the input's id, `error_id` its
/// message's; the hint is `{id}-hint`.
#[component]
pub fn UploadField(
    id: &'static str,
    error_id: &'static str,
    label: &'static str,
    hint: &'static str,
    uploads: Uploads,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = t();
    let hint_id = format!("{id}-hint");
    let file_list = move || {
        uploads
            .list
            .get()
            .into_iter()
            .map(|u| {
                let upload_key = u.key;
                let (class, state) = match &u.state {
                    UploadState::Uploading => ("upload uploading", t.uploading.to_owned()),
                    UploadState::Done(_) => ("upload done", t.uploaded.to_owned()),
                    UploadState::Failed(m) => ("upload failed", m.clone()),
                };
                let busy = u.state == UploadState::Uploading;
                view! {
                    <li class=class>
                        <span class="upload-name">{u.name}</span>
                        <span class="muted small">{human_size(u.size)}</span>
                        <span class="upload-state" role="status">
                            {busy.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                            {state}
                        </span>
                        <button
                            type="button"
                            class="btn-link upload-remove"
                            on:click=move |_| uploads.remove(upload_key)
                        >
                            {t.remove}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="file"
                accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                multiple
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change:target=move |ev| {
                    let input = ev.target();
                    if let Some(files) = input.files() {
                        for i in 0..files.length() {
                            if let Some(file) = files.get(i) {
                                uploads.start(file);
                            }
                        }
                    }
                    input.set_value("");
                }
            />
            <p class="field-hint" id=hint_id>{hint}</p>
            <ul class="uploads">{file_list}</ul>
            <FieldMessage id=error_id message=error />
        </div>
    }
}
