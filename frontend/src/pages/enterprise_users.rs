//! 系统管理 › 用户管理: an enterprise admin's colleagues, their roles, and adding or disabling
//! them. The initial password goes to the new user's phone by SMS; nobody here sees it.

use leptos::prelude::*;
use tejian_contract::list::PageQuery;
use tejian_contract::users::{EnterpriseUser, NewEnterpriseUser, UpdateEnterpriseUser};
use tejian_domain::account::EnterpriseRole;

use crate::auth::{UiError, use_auth};
use crate::components::equipment_table::{header_cells, opt_text};
use crate::components::field::InputField;
use crate::components::status_change_table::datetime_text;
use crate::components::{ErrorBox, Load, Loader, Loading};
use crate::i18n::t;

/// 用户管理.
#[component]
pub fn EnterpriseUsers() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let users = Loader::new(move || async move {
        auth.call(|c| async move {
            c.enterprise_users(PageQuery {
                page: Some(1),
                per_page: Some(200),
            })
            .await
        })
        .await
    });
    let notice = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<UiError>);

    view! {
        <section class="card">
            <h1 class="page-title">{t.screen_users}</h1>
            <p class="muted">{t.users_intro}</p>
            {move || notice.get().map(|m| view! { <div class="alert alert-success" role="status">{m}</div> })}
            {move || failure.get().map(|e| view! { <div class="alert alert-error" role="alert">{e.message}</div> })}
            <AddUser on_added=Callback::new(move |()| {
                notice.set(Some(t.users_created.to_owned()));
                users.reload();
            }) />
            {move || {
                users
                    .state
                    .with(|state| match state {
                        Load::Loading => view! { <Loading /> }.into_any(),
                        Load::Failed(e) => view! {
                            <ErrorBox error=e.clone() on_retry=Callback::new(move |()| users.reload()) />
                        }
                        .into_any(),
                        Load::Ready(page) => view! {
                            <UserTable
                                items=page.items.clone()
                                on_changed=Callback::new(move |result: Result<(), UiError>| {
                                    notice.set(None);
                                    failure.set(result.err());
                                    users.reload();
                                })
                            />
                        }
                        .into_any(),
                    })
            }}
        </section>
    }
}

fn role_options(selected: EnterpriseRole) -> impl IntoView {
    EnterpriseRole::all()
        .iter()
        .rev()
        .map(|r| {
            view! {
                <option value=r.as_str() selected=*r == selected>
                    {r.label_zh()}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn UserTable(
    items: Vec<EnterpriseUser>,
    on_changed: Callback<Result<(), UiError>>,
) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let me = auth.me.with_untracked(|m| m.as_ref().map(|m| m.id));
    let update = move |id: i64, update: UpdateEnterpriseUser| {
        leptos::task::spawn_local(async move {
            let result = auth
                .call(move |c| async move { c.update_enterprise_user(id, &update).await })
                .await
                .map(|_| ());
            on_changed.run(result);
        });
    };
    let headers = [
        t.users_username,
        t.users_name,
        t.users_role,
        t.users_phone,
        t.users_status,
        t.users_last_login,
        t.users_actions,
    ];
    let rows = items
        .into_iter()
        .map(|u| {
            let id = u.id;
            let is_me = me == Some(id);
            let status = if u.disabled {
                view! { <span class="badge badge-muted">{t.users_disabled}</span> }.into_any()
            } else if u.must_change_password {
                view! { <span class="badge badge-warn">{t.users_pending_password}</span> }.into_any()
            } else {
                view! { <span class="badge badge-ok">{t.users_enabled}</span> }.into_any()
            };
            let last_login = u
                .last_login_at
                .map_or_else(|| t.users_never.to_owned(), datetime_text);
            let disabled = u.disabled;
            view! {
                <tr>
                    <td data-label=headers[0]><div class="cell code">
                        {u.username.clone()}
                        {is_me.then(|| view! { <span class="muted small">{t.users_you}</span> })}
                    </div></td>
                    <td data-label=headers[1]><div class="cell">{u.display_name.clone()}</div></td>
                    <td data-label=headers[2]><div class="cell">
                        <label class="visually-hidden" for=format!("role-{id}")>{t.users_role}</label>
                        <select
                            id=format!("role-{id}")
                            class="role-select"
                            on:change=move |ev| {
                                if let Ok(role) = event_target_value(&ev).parse::<EnterpriseRole>() {
                                    update(id, UpdateEnterpriseUser { role: Some(role), disabled: None });
                                }
                            }
                        >
                            {role_options(u.role)}
                        </select>
                    </div></td>
                    <td data-label=headers[3]><div class="cell">{opt_text(u.phone.clone())}</div></td>
                    <td data-label=headers[4]><div class="cell">{status}</div></td>
                    <td data-label=headers[5]><div class="cell">{last_login}</div></td>
                    <td data-label=headers[6]><div class="cell row-actions">
                        <button
                            type="button"
                            class="btn btn-secondary btn-small"
                            on:click=move |_| {
                                let confirmed = disabled
                                    || window().confirm_with_message(t.users_confirm_disable).unwrap_or(false);
                                if confirmed {
                                    update(id, UpdateEnterpriseUser { role: None, disabled: Some(!disabled) });
                                }
                            }
                        >
                            {if disabled { t.users_enable } else { t.users_disable }}
                        </button>
                    </div></td>
                </tr>
            }
        })
        .collect_view();
    let head = header_cells(&headers);
    view! {
        <div class="table-wrap" role="region" aria-label=t.screen_users tabindex="0">
            <table class="data-table cards-on-phone" id="users-table">
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn AddUser(on_added: Callback<()>) -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let open = RwSignal::new(false);
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(EnterpriseRole::Operator);
    let error = RwSignal::new(None::<UiError>);
    let action = Action::new_local(move |new: &NewEnterpriseUser| {
        let new = new.clone();
        async move {
            match auth
                .call(move |c| async move { c.create_enterprise_user(&new).await })
                .await
            {
                Ok(_) => {
                    for s in [username, name, phone, email] {
                        let _ = s.try_set(String::new());
                    }
                    let _ = open.try_set(false);
                    on_added.run(());
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
        error.set(None);
        let email = email.get_untracked().trim().to_owned();
        action.dispatch_local(NewEnterpriseUser {
            username: username.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            phone: phone.get_untracked().trim().to_owned(),
            email: (!email.is_empty()).then_some(email),
        });
    };
    view! {
        <div class="page-links">
            <button
                type="button"
                id="user-add-toggle"
                class="btn btn-primary"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {t.users_add}
            </button>
        </div>
        {move || open.get().then(|| view! {
            <form class="form subform" on:submit=submit novalidate>
                {move || error.with(|e| e.as_ref().filter(|e| e.fields().is_empty()).map(|e| e.message.clone()))
                    .map(|m| view! { <div class="alert alert-error" role="alert">{m}</div> })}
                <div class="form-grid">
                    <InputField id="new-username" label=t.users_username value=username error=field("/username") hint=t.users_username_hint maxlength="32" />
                    <InputField id="new-name" label=t.users_name value=name error=field("/display_name") maxlength="50" />
                    <div class="field">
                        <label for="new-role">{t.users_role}</label>
                        <select id="new-role" on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<EnterpriseRole>() {
                                role.set(r);
                            }
                        }>
                            {role_options(EnterpriseRole::Operator)}
                        </select>
                    </div>
                    <InputField id="new-phone" label=t.users_phone value=phone error=field("/phone") kind="tel" inputmode="numeric" maxlength="11" hint=t.users_phone_hint />
                    <InputField id="new-email" label=t.ent_email value=email error=field("/email") kind="email" maxlength="120" />
                </div>
                <div class="form-actions">
                    <button
                        id="user-add-submit"
                        type="submit"
                        class="btn btn-primary"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                    >
                        {move || if pending.get() { t.submitting } else { t.ok }}
                    </button>
                </div>
            </form>
        })}
    }
}
