//! The app: the session in context, the routes, and the guard in front of signed-in screens.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{NavigateOptions, path};
use tejian_client::Client;

use crate::auth::{AuthState, Status, use_auth};
use crate::components::{Frame, PageLoading};
use crate::i18n::t;
use crate::nav::HOME;
use crate::pages::{
    account::Account, api_tokens::ApiTokens, application_form::ApplicationForm,
    application_history::ApplicationHistory, audit_log::AuditLog, change_password::ChangePassword,
    enterprise_info::EnterpriseInfo, enterprise_users::EnterpriseUsers,
    equipment_archive::EquipmentArchive, equipment_overview::EquipmentOverview,
    equipment_search::EquipmentSearch, expiring_equipment::ExpiringEquipment, help::Help,
    inactive_equipment::InactiveEquipment, inspection_notices::InspectionNotices,
    invoice_download::InvoiceDownload, login::Login, login::login_url,
    messages::ConversationThread, messages::Messages, not_found::NotFound,
    notice_feedback::NoticeFeedbackForm, notifications::Notifications,
    online_application::OnlineApplication, online_payment::OnlinePayment,
    overdue_equipment::OverdueEquipment, registration::Registration,
    reminder_settings::ReminderSettings, report_collection::ReportCollection,
    status_change_form::StatusChangeForm, status_change_history::StatusChangeHistory,
    unqualified_equipment::UnqualifiedEquipment, verify_report::VerifyReport,
};

/// The API lives on the SPA's own origin; reqwest on wasm needs it absolute.
fn api_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let auth = AuthState::new(Client::new(&api_origin()));
    provide_context(auth);
    // After a reload or a deep link: resume the session from the HttpOnly refresh cookie.
    auth.resume();

    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("") view=|| view! { <Redirect path=HOME /> } />
                <Route path=path!("/login") view=Login />
                <Route path=path!("/change-password") view=ChangePassword />
                <Route path=path!("/help") view=Help />
                <Route path=path!("/register") view=Registration />
                // 报告真伪验证: public, the target of every report's QR code.
                <Route path=path!("/verify") view=VerifyReport />
                <ParentRoute path=path!("") view=RequireLogin>
                    <Route path=path!("/equipment/overview") view=EquipmentOverview />
                    <Route path=path!("/equipment/search") view=EquipmentSearch />
                    <Route path=path!("/equipment/overdue") view=OverdueEquipment />
                    <Route path=path!("/equipment/unqualified") view=UnqualifiedEquipment />
                    <Route path=path!("/equipment/inactive") view=InactiveEquipment />
                    <Route path=path!("/equipment/expiring") view=ExpiringEquipment />
                    <Route path=path!("/equipment/:id") view=EquipmentArchive />
                    <Route path=path!("/equipment/:id/change") view=StatusChangeForm />
                    <Route path=path!("/equipment/:id/changes") view=StatusChangeHistory />
                    <Route path=path!("/services/applications") view=OnlineApplication />
                    <Route path=path!("/services/applications/new") view=ApplicationForm />
                    <Route path=path!("/services/applications/history") view=ApplicationHistory />
                    <Route path=path!("/services/reports") view=ReportCollection />
                    <Route path=path!("/services/notices") view=InspectionNotices />
                    <Route path=path!("/services/notices/:id/feedback") view=NoticeFeedbackForm />
                    <Route path=path!("/services/messages") view=Messages />
                    <Route path=path!("/services/messages/:id") view=ConversationThread />
                    <Route path=path!("/services/payments") view=OnlinePayment />
                    <Route path=path!("/services/invoices") view=InvoiceDownload />
                    <Route path=path!("/enterprise/info") view=EnterpriseInfo />
                    <Route path=path!("/system/account") view=Account />
                    <Route path=path!("/system/users") view=EnterpriseUsers />
                    <Route path=path!("/system/api-tokens") view=ApiTokens />
                    <Route path=path!("/system/audit") view=AuditLog />
                    <Route path=path!("/system/notifications") view=Notifications />
                    <Route path=path!("/system/reminders") view=ReminderSettings />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// 登录校验: the frame and the screen for a signed-in user whose password is in order; else a
/// loading state while the session resumes, and a redirect to the login page (remembering where
/// the user wanted to go) or to the forced password change.
#[component]
fn RequireLogin() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();

    Effect::new(move || {
        let status = auth.status.get();
        let must_change = auth.must_change_password();
        let path = location.pathname.get_untracked();
        let replace = NavigateOptions {
            replace: true,
            ..NavigateOptions::default()
        };
        match status {
            Status::Anonymous => {
                let wanted = format!("{path}{}", location.search.get_untracked().as_str());
                let wanted = if wanted.starts_with('/') {
                    wanted
                } else {
                    format!("/{wanted}")
                };
                navigate(&login_url(&wanted), replace);
            }
            Status::LoggedOut if path != "/login" => navigate("/login", replace),
            Status::Ready if must_change => navigate("/change-password", replace),
            _ => {}
        }
    });

    let allowed =
        Memo::new(move |_| auth.status.get() == Status::Ready && !auth.must_change_password());
    move || {
        if allowed.get() {
            view! {
                <Frame>
                    <Outlet />
                </Frame>
            }
            .into_any()
        } else {
            let text = if auth.status.get_untracked() == Status::Resuming {
                t().session_restoring
            } else {
                t().redirecting
            };
            view! { <PageLoading text=text /> }.into_any()
        }
    }
}
