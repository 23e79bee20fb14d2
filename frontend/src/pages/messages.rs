//! 企业自助服务 › 交流互动 (manual §5.4): conversations with the market-supervision bureaus.
//!
//! The list (5.4.1, 5.4.6) shows 状态, 受理机构, 主题 and the latest content, with 回复 and 交流记录
//! per row (5.4.7–5.4.8); 发起交流 opens the form (5.4.2–5.4.3: 主题, 内容, attachments, 保存),
//! which goes to the bureau of the enterprise's district (5.4.4). The thread page shows every
//! message with its attachments, the reply box, and 提交监察机构 to pass the conversation on to
//! another bureau (5.4.5). A closed conversation says so and takes nothing more.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use tejian_contract::conversation::{
    Conversation, ConversationDetail, ConversationQuery, ForwardConversation, NewConversation,
    NewMessage, ThreadEntry,
};
use tejian_contract::list::DEFAULT_PER_PAGE;
use tejian_contract::reference::Bureau;
use tejian_domain::conversation::{
    ConversationState, EntryKind, MAX_CONTENT_CHARS, MAX_SUBJECT_CHARS, MessageContent, Party,
    Subject,
};

use crate::auth::{AuthState, UiError, use_auth};
use crate::components::download::AttachmentLink;
use crate::components::equipment_table::header_cells;
use crate::components::field::FieldMessage;
use crate::components::filters::{
    SelectField, TextField, field_text, pairs_query, param_number, param_text,
};
use crate::components::pagination::Pagination;
use crate::components::status_change_table::datetime_text;
use crate::components::uploads::{UploadField, Uploads};
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

const PATH: &str = "/services/messages";

fn query_of(p: &ParamsMap) -> ConversationQuery {
    ConversationQuery {
        state: param_text(p, "state").and_then(|v| v.parse().ok()),
        text: param_text(p, "text"),
        page: param_number(p, "page"),
        per_page: param_number(p, "per_page"),
    }
}

fn url_of(q: &ConversationQuery) -> String {
    let query = pairs_query(vec![
        ("state", q.state.map(|s| s.as_str().to_owned())),
        ("text", q.text.clone()),
        ("page", q.page.filter(|&p| p > 1).map(|p| p.to_string())),
        (
            "per_page",
            q.per_page
                .filter(|&p| p != DEFAULT_PER_PAGE)
                .map(|p| p.to_string()),
        ),
    ]);
    format!("{PATH}{query}")
}

/// 状态 as a badge: 待回复 waits (amber), 已回复 answered (green), 交流关闭 ended (grey).
pub fn conversation_badge(state: ConversationState) -> impl IntoView {
    let class = match state {
        ConversationState::AwaitingReply => "badge badge-warn",
        ConversationState::Replied => "badge badge-ok",
        ConversationState::Closed => "badge badge-muted",
    };
    view! { <span class=class data-state=state.as_str()>{state.label_zh()}</span> }
}

/// Whether the signed-in user may only read (an enterprise 查看 user): the write controls are left
/// out (the server refuses them anyway).
fn read_only(auth: AuthState) -> bool {
    auth.me.with(|me| {
        me.as_ref()
            .and_then(|m| m.enterprise_role)
            .is_some_and(|r| !r.can_write())
    })
}

/// 404 (unknown, or another enterprise's) reads 「交流不存在或无权访问」.
fn conversation_error(error: UiError) -> UiError {
    if error.problem.as_ref().is_some_and(|p| p.status == 404) {
        UiError {
            message: t().conversation_not_found.to_owned(),
            ..error
        }
    } else {
        error
    }
}

/// 交流互动: the list, its filters and the 发起交流 form.
#[component]
pub fn Messages() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));

    let list = Loader::new(move || {
        let q = query.get_untracked();
        async move {
            auth.call(move |c| async move { c.conversations(&q).await })
                .await
        }
    });
    Effect::watch(move || query.get(), move |_, _, _| list.reload(), false);

    let state = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let load = move |q: &ConversationQuery| {
        state.set(q.state.map(|s| s.as_str().to_owned()).unwrap_or_default());
        text.set(q.text.clone().unwrap_or_default());
    };
    query.with_untracked(load);
    Effect::new(move || query.with(load));

    let go = StoredValue::new_local(move |q: ConversationQuery| {
        navigate(&url_of(&q), NavigateOptions::default());
    });
    let change = move |f: &dyn Fn(&mut ConversationQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        go.with_value(|go| go(q));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(&|q| {
            q.state = field_text(state).and_then(|s| s.parse().ok());
            q.text = field_text(text);
            q.page = None;
        });
    };
    let reset = move |_| {
        change(&|q| {
            *q = ConversationQuery {
                per_page: q.per_page,
                ..ConversationQuery::default()
            };
        });
    };
    let on_page = Callback::new(move |page: u32| change(&|q| q.page = Some(page)));
    let on_per_page = Callback::new(move |n: u32| {
        change(&|q| {
            q.per_page = Some(n);
            q.page = None;
        });
    });
    let state_options = Signal::derive(|| {
        ConversationState::all()
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label_zh().to_owned()))
            .collect::<Vec<_>>()
    });

    let composing = RwSignal::new(false);
    let sent_to = RwSignal::new(None::<String>);
    let on_started = Callback::new(move |detail: ConversationDetail| {
        composing.set(false);
        // Back to the first page of the unfiltered list, where the new conversation is on top.
        go.with_value(|go| {
            go(ConversationQuery {
                per_page: query.get_untracked().per_page,
                ..ConversationQuery::default()
            });
        });
        sent_to.set(Some(detail.conversation.bureau_name));
        list.reload();
    });

    let results = move || {
        list.state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <ErrorBox error=e.clone() on_retry=Callback::new(move |()| list.reload()) />
            }
            .into_any(),
            Load::Ready(page) if page.items.is_empty() => {
                view! { <Empty text=t.no_conversations /> }.into_any()
            }
            Load::Ready(page) => view! {
                <ConversationTable items=page.items.clone() writable=!read_only(auth) />
                <Pagination
                    page=page.page
                    per_page=page.per_page
                    total=page.total
                    unit=t.conversations_unit
                    on_page=on_page
                    on_per_page=on_per_page
                />
            }
            .into_any(),
        })
    };

    view! {
        <div class="stack">
            <section class="card">
                <div class="title-row">
                    <h1 class="page-title">{t.screen_messages}</h1>
                    <Show when=move || !read_only(auth)>
                        <button
                            type="button"
                            id="conv-new"
                            class="btn btn-primary"
                            aria-expanded=move || composing.get().to_string()
                            aria-controls="conv-form"
                            on:click=move |_| composing.update(|c| *c = !*c)
                        >
                            {t.start_conversation}
                        </button>
                    </Show>
                </div>
                <p class="muted lead-line">{t.conv_intro}</p>
                {move || {
                    sent_to
                        .get()
                        .map(|bureau| {
                            view! {
                                <div class="alert alert-success" role="status" id="conv-sent">
                                    {format!("{}{bureau}{}", t.conversation_sent_prefix, t.conversation_sent_suffix)}
                                </div>
                            }
                        })
                }}
                <Show when=move || composing.get()>
                    <NewConversationForm on_started=on_started on_cancel=Callback::new(move |()| composing.set(false)) />
                </Show>
                <form class="filters" on:submit=submit novalidate role="search">
                    <div class="filter-grid">
                        <SelectField id="f-conv-state" label=t.conversation_state value=state options=state_options />
                        <TextField id="f-conv-text" label=t.conversation_text value=text />
                    </div>
                    <div class="filter-actions">
                        <button type="submit" id="search-submit" class="btn btn-primary">{t.search}</button>
                        <button type="button" id="search-reset" class="btn btn-secondary" on:click=reset>
                            {t.reset}
                        </button>
                    </div>
                </form>
            </section>
            <section class="card results" aria-live="polite">
                <div class="results-bar">
                    <h2 class="results-title">{t.results}</h2>
                </div>
                {results}
            </section>
        </div>
    }
}

#[component]
fn ConversationTable(items: Vec<Conversation>, writable: bool) -> impl IntoView {
    let t = t();
    let headers = [
        t.conversation_state,
        t.conv_bureau,
        t.conversation_subject_content,
        t.conversation_started_at,
        t.conversation_latest_at,
        t.actions,
    ];
    let head = header_cells(&headers);
    let rows = items
        .into_iter()
        .map(|c| {
            let href = format!("{PATH}/{}", c.id);
            let reply = (writable && c.state.is_open()).then(|| {
                view! {
                    <a class="btn btn-primary btn-small conv-reply" href=format!("{href}#reply")>
                        {t.conv_reply}
                    </a>
                }
            });
            let who = match c.last_party {
                Party::Enterprise => t.conv_from_us,
                Party::Bureau => t.conv_from_bureau,
            };
            view! {
                <tr class="conversation-row" data-id=c.id.to_string() data-subject=c.subject.clone()>
                    <td data-label=headers[0]><div class="cell">{conversation_badge(c.state)}</div></td>
                    <td data-label=headers[1]><div class="cell conv-bureau">{c.bureau_name.clone()}</div></td>
                    <td data-label=headers[2]>
                        <div class="cell">
                            <span class="strong conv-subject">{c.subject.clone()}</span>
                            <br />
                            <span class="muted small conv-excerpt">{format!("{who}{}", c.last_excerpt)}</span>
                        </div>
                    </td>
                    <td data-label=headers[3]><div class="cell">{datetime_text(c.created_at)}</div></td>
                    <td data-label=headers[4]><div class="cell">{datetime_text(c.last_message_at)}</div></td>
                    <td data-label=headers[5]>
                        <div class="cell row-actions">
                            {reply}
                            <a class="btn btn-secondary btn-small conv-thread" href=href>{t.conversation_record}</a>
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label=t.results tabindex="0">
            <table class="data-table cards-on-phone conversation-table">
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Per-field messages of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Errors {
    subject: Option<String>,
    content: Option<String>,
    attachments: Option<String>,
    general: Option<String>,
}

impl Errors {
    fn from_server(e: &UiError) -> Self {
        Errors {
            subject: e.field("/subject"),
            content: e.field("/content"),
            attachments: e.field("/attachment_ids"),
            general: Some(if e.fields().is_empty() {
                e.message.clone()
            } else {
                t().form_has_errors.to_owned()
            }),
        }
    }
}

/// 发起交流: 主题, 内容, 附件, 保存.
#[component]
fn NewConversationForm(
    on_started: Callback<ConversationDetail>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let subject = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let uploads = Uploads::new();
    let errors = RwSignal::new(Errors::default());
    let uploading = Memo::new(move |_| uploads.uploading());

    let action = Action::new_local(move |request: &NewConversation| {
        let request = request.clone();
        async move {
            auth.call(move |c| async move { c.start_conversation(&request, None).await })
                .await
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(result) = action.value().get() {
            match result {
                Ok(detail) => on_started.run(detail),
                Err(e) => errors.set(Errors::from_server(&e)),
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || uploading.get_untracked() {
            return;
        }
        // The same rules as the server, from the shared domain crate.
        let parsed_subject = Subject::parse(&subject.get_untracked());
        let parsed_content = MessageContent::parse(&content.get_untracked());
        match (parsed_subject, parsed_content) {
            (Ok(s), Ok(c)) => {
                errors.set(Errors::default());
                action.dispatch_local(NewConversation {
                    subject: s.as_str().to_owned(),
                    content: c.as_str().to_owned(),
                    attachment_ids: uploads.ids_untracked(),
                });
            }
            (s, c) => errors.set(Errors {
                subject: s.err().map(|e| e.to_string()),
                content: c.err().map(|e| e.to_string()),
                attachments: None,
                general: Some(t.form_has_errors.to_owned()),
            }),
        }
    };

    let subject_error = Signal::derive(move || errors.with(|e| e.subject.clone()));
    let content_error = Signal::derive(move || errors.with(|e| e.content.clone()));
    let files_error = Signal::derive(move || errors.with(|e| e.attachments.clone()));

    view! {
        <form id="conv-form" class="form conversation-form" on:submit=submit novalidate>
            <h2 class="section-title">{t.start_conversation}</h2>
            <p class="muted small">{t.start_conversation_hint}</p>
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|message| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p class="alert-title">{t.conversation_refused}</p>
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
            <div class="field">
                <label for="conv-subject">{t.conversation_subject}</label>
                <input
                    id="conv-subject"
                    type="text"
                    maxlength=MAX_SUBJECT_CHARS.to_string()
                    bind:value=subject
                    aria-invalid=move || subject_error.with(Option::is_some).then_some("true")
                    aria-describedby="conv-subject-error"
                />
                <FieldMessage id="conv-subject-error" message=subject_error />
            </div>
            <div class="field">
                <label for="conv-content">{t.conversation_content}</label>
                <textarea
                    id="conv-content"
                    rows="5"
                    maxlength=MAX_CONTENT_CHARS.to_string()
                    bind:value=content
                    aria-invalid=move || content_error.with(Option::is_some).then_some("true")
                    aria-describedby="conv-content-hint conv-content-error"
                ></textarea>
                <p class="field-hint" id="conv-content-hint">
                    {move || format!("{} / {MAX_CONTENT_CHARS}", content.with(|r| r.chars().count()))}
                </p>
                <FieldMessage id="conv-content-error" message=content_error />
            </div>
            <UploadField
                id="conv-files"
                error_id="conv-files-error"
                label=t.conv_attachments
                hint=t.conversation_files_rule
                uploads=uploads
                error=files_error
            />
            <div class="form-actions page-links">
                <button
                    id="conv-save"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get() || uploading.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || {
                        if pending.get() {
                            t.saving
                        } else if uploading.get() {
                            t.wait_uploads
                        } else {
                            t.conv_save
                        }
                    }}
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_cancel.run(())>
                    {t.cancel}
                </button>
            </div>
        </form>
    }
}

/// 交流记录: one conversation with its thread, the reply box and 提交监察机构.
#[component]
pub fn ConversationThread() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|s| s.parse::<i64>().ok())));
    let detail = Loader::new(move || {
        let id = id.get_untracked();
        async move {
            let id =
                id.ok_or_else(|| UiError::local(404, "not_found", t.conversation_not_found))?;
            auth.call(move |c| async move { c.conversation(id).await })
                .await
                .map_err(conversation_error)
        }
    });
    Effect::watch(move || id.get(), move |_, _, _| detail.reload(), false);
    // A reply or a forward answers with the whole conversation: show it without reloading.
    let updated = Callback::new(move |d: ConversationDetail| detail.state.set(Load::Ready(d)));

    view! {
        <section class="card">
            <h1 class="page-title">{t.conversation_record}</h1>
            {move || {
                detail
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| detail.reload()) />
                            <p><a href=PATH>{t.conv_back}</a></p>
                        }
                        .into_any(),
                        Load::Ready(d) => {
                            let c = d.conversation.clone();
                            let open = c.state.is_open();
                            view! {
                                <dl class="facts facts-grid">
                                    <div><dt>{t.conversation_subject}</dt><dd class="strong" id="conv-title">{c.subject.clone()}</dd></div>
                                    <div><dt>{t.conversation_state}</dt><dd id="conv-state">{conversation_badge(c.state)}</dd></div>
                                    <div><dt>{t.conv_bureau}</dt><dd id="conv-bureau">{c.bureau_name.clone()}</dd></div>
                                    <div><dt>{t.conversation_started_at}</dt><dd>{datetime_text(c.created_at)}</dd></div>
                                </dl>
                                <ThreadList entries=d.thread.clone() />
                                {if open && read_only(auth) {
                                    view! {
                                        <div class="alert alert-info" role="note" id="conv-read-only">{t.conv_read_only}</div>
                                    }
                                    .into_any()
                                } else if open {
                                    view! {
                                        <ReplyForm id=c.id on_done=updated />
                                        <ForwardForm id=c.id current=c.bureau_code.clone() on_done=updated />
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <div class="alert alert-info" role="note" id="conv-closed">{t.conversation_closed}</div>
                                    }
                                    .into_any()
                                }}
                                <p class="page-links"><a href=PATH>{t.conv_back}</a></p>
                            }
                            .into_any()
                        }
                    })
            }}
        </section>
    }
}

/// The thread, oldest first: the enterprise's messages on one side, the bureau's on the other,
/// forwards and the closing as notes between them.
#[component]
fn ThreadList(entries: Vec<ThreadEntry>) -> impl IntoView {
    let t = t();
    let items = entries
        .into_iter()
        .map(|e| {
            let side = match (e.kind, e.party) {
                (EntryKind::Message, Party::Enterprise) => "thread-entry from-enterprise",
                (EntryKind::Message, Party::Bureau) => "thread-entry from-bureau",
                _ => "thread-entry thread-event",
            };
            let what = match e.kind {
                EntryKind::Message => None,
                EntryKind::Forward => Some(format!(
                    "{}{} → {}",
                    t.conv_forwarded_prefix,
                    e.from_bureau_name.clone().unwrap_or_default(),
                    e.to_bureau_name.clone().unwrap_or_default()
                )),
                EntryKind::Close => Some(t.conversation_closed_event.to_owned()),
            };
            let attachments = (!e.attachments.is_empty()).then(|| {
                let links = e
                    .attachments
                    .into_iter()
                    .map(|f| view! { <li><AttachmentLink file=f /></li> })
                    .collect_view();
                view! { <ul class="thread-files" aria-label=t.attachments>{links}</ul> }
            });
            view! {
                <li class=side data-kind=e.kind.as_str() data-party=e.party.as_str()>
                    <p class="thread-meta small">
                        <span class="strong">{e.party_name}</span>
                        " · "{e.author_name}" · "
                        <time>{datetime_text(e.created_at)}</time>
                    </p>
                    {what.map(|w| view! { <p class="thread-event-text strong">{w}</p> })}
                    {e.content.map(|c| view! { <p class="thread-content">{c}</p> })}
                    {attachments}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">{t.conversation_thread}</h2>
        <ol class="thread" id="conv-thread">{items}</ol>
    }
}

/// 回复: one more message, with attachments.
#[component]
fn ReplyForm(id: i64, on_done: Callback<ConversationDetail>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let content = RwSignal::new(String::new());
    let uploads = Uploads::new();
    let errors = RwSignal::new(Errors::default());
    let uploading = Memo::new(move |_| uploads.uploading());
    let action = Action::new_local(move |message: &NewMessage| {
        let message = message.clone();
        async move {
            auth.call(move |c| async move { c.post_message(id, &message).await })
                .await
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(result) = action.value().get() {
            match result {
                Ok(detail) => on_done.run(detail),
                Err(e) => errors.set(Errors::from_server(&e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || uploading.get_untracked() {
            return;
        }
        match MessageContent::parse(&content.get_untracked()) {
            Ok(c) => {
                errors.set(Errors::default());
                action.dispatch_local(NewMessage {
                    content: c.as_str().to_owned(),
                    attachment_ids: uploads.ids_untracked(),
                });
            }
            Err(e) => errors.set(Errors {
                content: Some(e.to_string()),
                ..Errors::default()
            }),
        }
    };
    let content_error = Signal::derive(move || errors.with(|e| e.content.clone()));
    let files_error = Signal::derive(move || errors.with(|e| e.attachments.clone()));
    view! {
        <form id="reply" class="form conversation-form" on:submit=submit novalidate>
            <h2 class="section-title">{t.conv_reply}</h2>
            {move || {
                errors
                    .with(|e| e.general.clone())
                    .map(|message| view! { <div class="alert alert-error" role="alert">{message}</div> })
            }}
            <div class="field">
                <label for="reply-content">{t.conversation_content}</label>
                <textarea
                    id="reply-content"
                    rows="4"
                    maxlength=MAX_CONTENT_CHARS.to_string()
                    bind:value=content
                    aria-invalid=move || content_error.with(Option::is_some).then_some("true")
                    aria-describedby="reply-content-error"
                ></textarea>
                <FieldMessage id="reply-content-error" message=content_error />
            </div>
            <UploadField
                id="reply-files"
                error_id="reply-files-error"
                label=t.conv_attachments
                hint=t.conversation_files_rule
                uploads=uploads
                error=files_error
            />
            <div class="form-actions">
                <button
                    id="reply-send"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get() || uploading.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.submitting } else { t.conv_send_reply }}
                </button>
            </div>
        </form>
    }
}

/// 提交监察机构: a select of the other bureaus and 提交.
#[component]
fn ForwardForm(id: i64, current: String, on_done: Callback<ConversationDetail>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let bureaus =
        Loader::new(move || async move { auth.client().bureaus().await.map_err(UiError::from) });
    let current = StoredValue::new(current);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let action = Action::new_local(move |code: &String| {
        let request = ForwardConversation {
            bureau_code: code.clone(),
            note: None,
        };
        async move {
            auth.call(move |c| async move { c.forward_conversation(id, &request).await })
                .await
        }
    });
    let pending = action.pending();
    Effect::new(move || {
        if let Some(result) = action.value().get() {
            match result {
                Ok(detail) => {
                    chosen.set(String::new());
                    error.set(None);
                    on_done.run(detail);
                }
                Err(e) => error.set(Some(e.field("/bureau_code").unwrap_or(e.message))),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = chosen.get_untracked();
        if code.is_empty() {
            error.set(Some(t.conv_need_bureau.to_owned()));
            return;
        }
        if !pending.get_untracked() {
            error.set(None);
            action.dispatch_local(code);
        }
    };
    let options = move || {
        bureaus.state.with(|s| match s {
            Load::Ready(list) => list
                .iter()
                .filter(|b: &&Bureau| current.with_value(|c| *c != b.code))
                .map(|b| {
                    let code = b.code.clone();
                    let selected = {
                        let code = code.clone();
                        move || chosen.with(|v| *v == code)
                    };
                    view! { <option value=code selected=selected>{b.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let message = Signal::derive(move || {
        error.get().or_else(|| {
            bureaus.state.with(|s| match s {
                Load::Failed(e) => Some(e.message.clone()),
                _ => None,
            })
        })
    });
    view! {
        <form id="forward" class="form forward-form" on:submit=submit novalidate>
            <h2 class="section-title">{t.conv_forward_title}</h2>
            <p class="muted small">{t.conv_forward_hint}</p>
            <div class="forward-row">
                <div class="field">
                    <label for="forward-bureau">{t.conv_forward_to}</label>
                    <select
                        id="forward-bureau"
                        aria-describedby="forward-error"
                        aria-invalid=move || message.with(Option::is_some).then_some("true")
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || chosen.with(String::is_empty)>{t.conv_choose_bureau}</option>
                        {options}
                    </select>
                </div>
                <button
                    id="forward-submit"
                    type="submit"
                    class="btn btn-secondary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.submitting } else { t.submit }}
                </button>
            </div>
            <FieldMessage id="forward-error" message=message />
        </form>
    }
}
