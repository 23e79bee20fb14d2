//! 会话: who is signed in, provided to every screen as context.
//!
//! The access token lives only in memory (inside [`AuthedClient`]); the refresh token is an
//! HttpOnly cookie the script never sees. After a reload or a deep link the app asks the server to
//! resume the session from that cookie ([`AuthState::resume`]); until it answers, the state is
//! [`Status::Resuming`] and guarded screens show a loading state.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tejian_client::{AuthedClient, Client, Error};
use tejian_contract::auth::LoginRequest;
use tejian_contract::me::Me;
use tejian_contract::problem::{FieldError, Problem};

/// Where the session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The page just loaded; the refresh cookie is being tried.
    Resuming,
    /// Nobody is signed in (no cookie, or the session expired).
    Anonymous,
    /// The user signed out in this tab.
    LoggedOut,
    /// Signed in; [`AuthState::me`] holds the user.
    Ready,
}

/// An error as a screen shows it: cloneable, with the problem when the server sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiError {
    /// The text for people (the problem's detail, else its title, else the transport error).
    pub message: String,
    /// The server's problem, when there was one.
    pub problem: Option<Problem>,
}

impl UiError {
    /// The problem's machine code, if any.
    pub fn code(&self) -> Option<&str> {
        self.problem.as_ref().map(|p| p.code.as_str())
    }

    /// The per-field errors of a `validation_failed` problem.
    pub fn fields(&self) -> &[FieldError] {
        self.problem.as_ref().map_or(&[], |p| p.errors.as_slice())
    }

    /// The detail for one field (`/phone`), if the server sent one.
    pub fn field(&self, pointer: &str) -> Option<String> {
        self.fields()
            .iter()
            .find(|f| f.pointer == pointer)
            .map(|f| f.detail.clone())
    }

    /// A problem made here (client-side checks).
    pub fn local(status: u16, code: &str, message: &str) -> Self {
        Self {
            message: message.to_owned(),
            problem: Some(Problem::new(status, code, message).with_detail(message)),
        }
    }
}

impl From<Error> for UiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Api(problem) => Self {
                message: problem.message().to_owned(),
                problem: Some(problem),
            },
            other => Self {
                message: other.to_string(),
                problem: None,
            },
        }
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The session, shared by every screen (`use_context::<AuthState>()` / [`use_auth`]).
#[derive(Debug, Clone, Copy)]
pub struct AuthState {
    client: StoredValue<Client, LocalStorage>,
    authed: RwSignal<Option<AuthedClient>, LocalStorage>,
    /// The signed-in user.
    pub me: RwSignal<Option<Me>>,
    /// Where the session stands.
    pub status: RwSignal<Status>,
}

/// The session from context.
pub fn use_auth() -> AuthState {
    use_context::<AuthState>().unwrap_or_else(|| {
        // Only reachable if a screen is rendered outside `App`; a fresh anonymous state keeps
        // it working instead of panicking.
        AuthState::new(Client::new(""))
    })
}

impl AuthState {
    /// A signed-out state over the API at `client`'s base URL.
    pub fn new(client: Client) -> Self {
        Self {
            client: StoredValue::new_local(client),
            authed: RwSignal::new_local(None),
            me: RwSignal::new(None),
            status: RwSignal::new(Status::Resuming),
        }
    }

    /// The anonymous client (public endpoints).
    pub fn client(&self) -> Client {
        self.client.get_value()
    }

    /// `true` once a user is signed in.
    pub fn is_ready(&self) -> bool {
        self.status.get() == Status::Ready
    }

    /// [`AuthState::is_ready`] without tracking.
    pub fn is_ready_untracked(&self) -> bool {
        self.status.get_untracked() == Status::Ready
    }

    /// `true` when the signed-in user must change the password before anything else.
    pub fn must_change_password(&self) -> bool {
        self.me
            .with(|m| m.as_ref().is_some_and(|m| m.must_change_password))
    }

    /// Tries the refresh cookie (page load); ends in [`Status::Ready`] or [`Status::Anonymous`].
    pub fn resume(self) {
        spawn_local(async move {
            let client = self.client();
            let outcome = match client.resume_from_cookie().await {
                Ok((authed, _)) => authed.me().await.map(|me| (authed, me)),
                Err(e) => Err(e),
            };
            // A login in this tab may have finished first; it wins.
            if self.status.get_untracked() != Status::Resuming {
                return;
            }
            match outcome {
                Ok((authed, me)) => self.establish(authed, me),
                Err(_) => self.status.set(Status::Anonymous),
            }
        });
    }

    /// 登录 with the refresh token in an HttpOnly cookie; loads the user on success.
    pub async fn login(self, username: String, password: String) -> Result<(), UiError> {
        let request = LoginRequest {
            username,
            password,
            use_cookie: true,
        };
        let (authed, _tokens) = self.client().login_with(&request).await?;
        let me = authed.me().await?;
        self.establish(authed, me);
        Ok(())
    }

    fn establish(self, authed: AuthedClient, me: Me) {
        self.authed.set(Some(authed));
        self.me.set(Some(me));
        self.status.set(Status::Ready);
    }

    /// 退出登录: revokes the session on the server (best effort) and forgets it here.
    ///
    /// Waits for the server so that its answer (which clears the refresh cookie) cannot arrive
    /// after a new login in this tab; the caller bounds the wait with [`AuthState::forget_now`].
    pub async fn logout(self) {
        if let Some(authed) = self.authed.get_untracked() {
            // Even if this fails (network down), the tab no longer holds any token afterwards.
            let _ = authed.logout().await;
        }
        self.forget(Status::LoggedOut);
    }

    /// Forgets the session in this tab at once (logout whose server call takes too long).
    pub fn forget_now(self) {
        self.forget(Status::LoggedOut);
    }

    fn forget(self, status: Status) {
        self.authed.set(None);
        self.me.set(None);
        self.status.set(status);
    }

    /// After a password change: a fresh token without the must-change flag, and the user again.
    pub async fn after_password_change(self) -> Result<(), UiError> {
        let authed = self.authed_client()?;
        authed.refresh().await?;
        let me = authed.me().await?;
        self.me.set(Some(me));
        Ok(())
    }

    fn authed_client(&self) -> Result<AuthedClient, UiError> {
        self.authed
            .get_untracked()
            .ok_or_else(|| UiError::local(401, "unauthenticated", "请先登录"))
    }

    /// Runs an API call as the signed-in user. Session-level failures change the state, and the
    /// route guard takes the user where they need to go: 403 `password_change_required` to the
    /// forced password change, a 401 that survived the client's own refresh to the login page.
    pub async fn call<T, F, Fut>(self, f: F) -> Result<T, UiError>
    where
        F: FnOnce(AuthedClient) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let authed = match self.authed_client() {
            Ok(a) => a,
            Err(e) => {
                self.forget(Status::Anonymous);
                return Err(e);
            }
        };
        let result = f(authed).await.map_err(UiError::from);
        if let Err(e) = &result {
            self.observe(e);
        }
        result
    }

    /// Reacts to an error that concerns the whole session.
    pub fn observe(self, error: &UiError) {
        let Some(problem) = &error.problem else {
            return;
        };
        if problem.status == 403 && problem.code == "password_change_required" {
            self.me.update(|m| {
                if let Some(m) = m {
                    m.must_change_password = true;
                }
            });
        } else if problem.status == 401 && problem.code != "invalid_credentials" {
            self.forget(Status::Anonymous);
        }
    }
}
