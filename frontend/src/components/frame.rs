//! 页面框架: the top bar (product, the four top menus, 帮助, the user, 退出登录) and the left menu
//! of the current section, around every signed-in screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::auth::use_auth;
use crate::components::bell::{Bell, Unread};
use crate::i18n::t;
use crate::nav::{HOME, SECTIONS, screen_for, section_of};
use tejian_domain::account::EnterpriseRole;

/// How long logout waits for the server before leaving anyway.
const LOGOUT_WAIT_MS: u64 = 3000;

/// The frame around a signed-in screen.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let t = t();
    let location = use_location();
    let path = location.pathname;
    provide_context(Unread(RwSignal::new(None)));

    // The document title follows the screen.
    Effect::new(move || {
        let title = match screen_for(&path.get()) {
            Some(screen) => format!("{} - {}", screen.name(), t.app_short),
            None if path.get().starts_with("/help") => format!("{} - {}", t.help, t.app_short),
            None => t.app_short.to_owned(),
        };
        document().set_title(&title);
    });

    view! {
        <div class="app">
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <TopBar />
            <div class="app-body">
                <SideMenu />
                <main id="main" class="content" tabindex="-1">
                    {children()}
                </main>
            </div>
        </div>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let t = t();
    let auth = use_auth();
    let path = use_location().pathname;
    let navigate = use_navigate();
    let leaving = RwSignal::new(false);

    let display_name = move || auth.me.with(|m| m.as_ref().map(|m| m.display_name.clone()));
    let organisation = move || {
        auth.me.with(|m| {
            m.as_ref().map(|m| match &m.enterprise {
                Some(e) => e.name.clone(),
                None => m.role.label_zh().to_owned(),
            })
        })
    };

    let logout = move |_| {
        if leaving.get_untracked() {
            return;
        }
        leaving.set(true);
        let leave = {
            let navigate = navigate.clone();
            move || {
                navigate(
                    "/login",
                    NavigateOptions {
                        replace: true,
                        ..NavigateOptions::default()
                    },
                );
            }
        };
        // A server that does not answer must not keep the user here.
        {
            let leave = leave.clone();
            set_timeout(
                move || {
                    if auth.is_ready_untracked() {
                        auth.forget_now();
                        leave();
                    }
                },
                std::time::Duration::from_millis(LOGOUT_WAIT_MS),
            );
        }
        spawn_local(async move {
            auth.logout().await;
            leave();
        });
    };

    let menus = SECTIONS
        .iter()
        .map(|section| {
            let active = move || section.contains(&path.get());
            view! {
                <li>
                    <a
                        href=section.home()
                        class:active=active
                        aria-current=move || active().then_some("page")
                    >
                        {section.name()}
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <header class="app-header">
            <nav class="topbar" aria-label=t.nav_main_label>
                <a class="brand" href=HOME>
                    <span class="brand-mark" aria-hidden="true">"特"</span>
                    <span class="brand-name">{t.app_name}</span>
                </a>
                <ul class="topmenu">
                    {menus}
                    <li>
                        <a
                            href="/help"
                            class:active=move || path.get().starts_with("/help")
                            aria-current=move || path.get().starts_with("/help").then_some("page")
                        >
                            {t.help}
                        </a>
                    </li>
                </ul>
                <div class="user">
                    <Bell />
                    <span class="user-text">
                        <span class="user-name">{display_name}</span>
                        <span class="user-org">{organisation}</span>
                    </span>
                    <button
                        id="logout"
                        type="button"
                        class="btn btn-ghost"
                        on:click=logout
                        disabled=move || leaving.get()
                    >
                        {move || if leaving.get() { t.logging_out } else { t.logout }}
                    </button>
                </div>
            </nav>
        </header>
    }
}

#[component]
fn SideMenu() -> impl IntoView {
    let t = t();
    let path = use_location().pathname;
    let auth = use_auth();
    // Rebuild the menu only when the section (or the user's rights) change, not on every
    // navigation.
    let prefix = Memo::new(move |_| section_of(&path.get()).map(|s| s.prefix));
    let is_admin = Memo::new(move |_| {
        auth.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.enterprise_role == Some(EnterpriseRole::Admin))
        })
    });
    move || {
        let is_admin = is_admin.get();
        match prefix
            .get()
            .and_then(|p| SECTIONS.iter().find(|s| s.prefix == p))
        {
            Some(section) => {
                let items = section
                    .screens
                    .iter()
                    .filter(|screen| is_admin || !screen.admin_only)
                    .map(|screen| {
                        // Its own route or one of its pages (报检查询 under 网上报检).
                        let active =
                            move || screen_for(&path.get()).is_some_and(|s| s.path == screen.path);
                        view! {
                            <li>
                                <a
                                    href=screen.path
                                    class:active=active
                                    aria-current=move || active().then_some("page")
                                >
                                    {screen.name()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <nav class="sidemenu" aria-label=t.nav_side_label>
                        <h2 class="sidemenu-title">{section.name()}</h2>
                        <ul>{items}</ul>
                    </nav>
                }
                .into_any()
            }
            // 帮助 (and anything outside the four sections): the help page's own contents.
            None => {
                let items = t
                    .faq
                    .iter()
                    .map(|faq| {
                        view! {
                            <li>
                                <a href=format!("/help#{}", faq.id)>
                                    {format!("{} {}", faq.section, faq.question)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <nav class="sidemenu" aria-label=t.nav_side_label>
                        <h2 class="sidemenu-title">{t.help}</h2>
                        <ul>
                            {items}
                            <li>
                                <a href="/help#contacts">{t.contacts_title}</a>
                            </li>
                        </ul>
                    </nav>
                }
                .into_any()
            }
        }
    }
}
