//! 系统管理 › API 令牌: tokens for the enterprise's other systems. A new token is shown once, with a
//! copy button; the list shows hints, scopes, expiry and last use, and revokes.

use leptos::prelude::*;
use tejian_contract::list::PageQuery;
use tejian_contract::users::{ApiToken, CreatedApiToken, NewApiToken};
use tejian_domain::api_token::TokenScope;

use crate::auth::{UiError, use_auth};
use crate::components::equipment_table::header_cells;
use crate::components::field::InputField;
use crate::components::status_change_table::datetime_text;
use crate::components::{Empty, ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// API 令牌.
#[component]
pub fn ApiTokens() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let tokens = Loader::new(move || async move {
        auth.call(|c| async move {
            c.api_tokens(PageQuery {
                page: Some(1),
                per_page: Some(200),
            })
            .await
        })
        .await
    });
    let created = RwSignal::new(None::<CreatedApiToken>);
    let failure = RwSignal::new(None::<UiError>);
    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_api_tokens}</h1>
            <p class="muted">{t.tokens_intro}</p>
            {move || created.get().map(|c| view! { <NewSecret token=c.token /> })}
            {move || failure.get().map(|e| view! { <div class="alert alert-error" role="alert">{e.message}</div> })}
            <CreateToken on_created=Callback::new(move |c: CreatedApiToken| {
                created.set(Some(c));
                tokens.reload();
            }) />
            {move || {
                tokens
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| tokens.reload()) />
                        }
                        .into_any(),
                        Load::Ready(page) if page.items.is_empty() => {
                            view! { <Empty text=t.tokens_none /> }.into_any()
                        }
                        Load::Ready(page) => view! {
                            <TokenTable
                                items=page.items.clone()
                                on_revoked=Callback::new(move |result: Result<(), UiError>| {
                                    failure.set(result.err());
                                    tokens.reload();
                                })
                            />
                        }
                        .into_any(),
                    })
            }}
        </section>
    }
}

/// The secret, once, with a copy button.
#[component]
fn NewSecret(token: String) -> impl IntoView {
    let t = t();
    let copied = RwSignal::new(false);
    let copy_value = token.clone();
    view! {
        <div class="alert alert-success token-secret" role="status">
            <p>{t.tokens_created}</p>
            <p><code id="new-token" class="code">{token}</code></p>
            <button
                type="button"
                class="btn btn-secondary btn-small"
                on:click=move |_| {
                    let clipboard = window().navigator().clipboard();
                    let _ = clipboard.write_text(&copy_value);
                    copied.set(true);
                }
            >
                {move || if copied.get() { t.tokens_copied } else { t.tokens_copy }}
            </button>
        </div>
    }
}

fn state_badge(state: &str) -> impl IntoView + use<> {
    let t = t();
    let (class, text) = match state {
        "active" => ("badge badge-ok", t.tokens_state_active),
        "expired" => ("badge badge-muted", t.tokens_state_expired),
        _ => ("badge badge-error", t.tokens_state_revoked),
    };
    view! { <span class=class>{text}</span> }
}

#[component]
fn TokenTable(items: Vec<ApiToken>, on_revoked: Callback<Result<(), UiError>>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let headers = [
        t.tokens_name,
        t.tokens_scope,
        t.tokens_hint,
        t.tokens_creator,
        t.tokens_created_at,
        t.tokens_expires,
        t.tokens_last_used,
        t.users_status,
        t.users_actions,
    ];
    let rows = items
        .into_iter()
        .map(|tk| {
            let id = tk.id;
            let active = tk.state == "active";
            let revoke = move |_| {
                if !window()
                    .confirm_with_message(t.tokens_confirm_revoke)
                    .unwrap_or(false)
                {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let result = auth
                        .call(move |c| async move { c.revoke_api_token(id).await })
                        .await;
                    on_revoked.run(result);
                });
            };
            view! {
                <tr>
                    <td data-label=headers[0]><div class="cell">{tk.name.clone()}</div></td>
                    <td data-label=headers[1]><div class="cell">{tk.scope.label_zh()}</div></td>
                    <td data-label=headers[2]><div class="cell code">{format!("{}…", tk.hint)}</div></td>
                    <td data-label=headers[3]><div class="cell">{tk.created_by_name.clone()}</div></td>
                    <td data-label=headers[4]><div class="cell">{datetime_text(tk.created_at)}</div></td>
                    <td data-label=headers[5]><div class="cell">{datetime_text(tk.expires_at)}</div></td>
                    <td data-label=headers[6]><div class="cell">
                        {tk.last_used_at.map_or_else(|| "—".to_owned(), datetime_text)}
                    </div></td>
                    <td data-label=headers[7]><div class="cell">{state_badge(&tk.state)}</div></td>
                    <td data-label=headers[8]><div class="cell row-actions">
                        {active.then(|| view! {
                            <button type="button" class="btn btn-secondary btn-small" on:click=revoke>
                                {t.tokens_revoke}
                            </button>
                        })}
                    </div></td>
                </tr>
            }
        })
        .collect_view();
    let head = header_cells(&headers);
    view! {
        <div class="table-wrap" role="region" aria-label=t.screen_api_tokens tabindex="0">
            <table class="data-table cards-on-phone" id="tokens-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn CreateToken(on_created: Callback<CreatedApiToken>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new("90".to_owned());
    let scope = RwSignal::new(TokenScope::Read);
    let error = RwSignal::new(None::<UiError>);
    let action = Action::new_local(move |new: &NewApiToken| {
        let new = new.clone();
        async move {
            match auth
                .call(move |c| async move { c.create_api_token(&new).await })
                .await
            {
                Ok(created) => {
                    let _ = name.try_set(String::new());
                    on_created.run(created);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        }
    });
    let pending = action.pending();
    let field = move |pointer: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(pointer))))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let n = name.get_untracked().trim().to_owned();
        if n.is_empty() {
            error.set(Some(UiError::local(422, "required", t.tokens_need_name)));
            return;
        }
        error.set(None);
        action.dispatch_local(NewApiToken {
            name: n,
            scope: scope.get_untracked(),
            expires_in_days: days.get_untracked().trim().parse().ok(),
        });
    };
    view! {
        <form class="form subform" on:submit=submit novalidate>
            <h2 class="section-title">{t.tokens_new}</h2>
            {move || error.with(|e| e.as_ref().filter(|e| e.fields().is_empty()).map(|e| e.message.clone()))
                .map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
            <div class="form-grid">
                <InputField id="token-name" label=t.tokens_name value=name error=field("/name") maxlength="50" />
                <div class="field">
                    <label for="token-scope">{t.tokens_scope}</label>
                    <select id="token-scope" on:change=move |ev| {
                        scope.set(if event_target_value(&ev) == "write" { TokenScope::Write } else { TokenScope::Read });
                    }>
                        <option value="read" selected=true>{t.tokens_scope_read}</option>
                        <option value="write">{t.tokens_scope_write}</option>
                    </select>
                </div>
                <InputField id="token-days" label=t.tokens_days value=days error=field("/expires_in_days") kind="number" min="1" max="365" hint=t.tokens_days_hint />
            </div>
            <div class="form-actions">
                <button
                    id="token-create"
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { t.submitting } else { t.tokens_create }}
                </button>
            </div>
        </form>
    }
}
