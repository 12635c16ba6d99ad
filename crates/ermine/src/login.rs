//! Logging in as a user, for client authors: e-mail and password, the second factor when
//! the account asks for one, and a session to keep and resume.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ermine::Error> {
//! use ermine::login::{Login, Step};
//! use ermine::model::auth::MfaResponse;
//!
//! let step = Login::new("https://api.stoat.chat")
//!     .friendly_name("my terminal client")
//!     .password("me@example.com", "correct horse battery staple")
//!     .await?;
//! let session = match step {
//!     Step::Done(session) => session,
//!     Step::SecondFactor(challenge) => {
//!         let code = "123456"; // from the user's authenticator app
//!         challenge.answer(MfaResponse::Totp { totp_code: code.into() }).await?
//!     }
//!     Step::Disabled(user) => return Err(ermine::Error::Disabled(user)),
//!     _ => return Err(ermine::Error::UnexpectedLogin),
//! };
//! // Keep `session` (it serializes); later, or in another process:
//! let client = ermine::Client::builder()
//!     .base_url("https://api.stoat.chat")
//!     .resume(&session)
//!     .build()?;
//! let others = client.http().fetch_sessions().await?;
//! # let _ = others;
//! # Ok(())
//! # }
//! ```

use ermine_http::Client as Http;
use ermine_model::auth::{LoginResponse, MfaMethod, MfaResponse, Token};
use ermine_model::id::{SessionId, UserId};
use serde::{Deserialize, Serialize};

use crate::Error;

/// A logged-in session: what a client keeps to resume without the password. Its token never
/// appears in `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedSession {
    /// The session.
    pub id: SessionId,
    /// Its user.
    pub user: UserId,
    /// Its name, as the session list shows it.
    pub name: String,
    /// The session token.
    pub token: Token,
}

/// Where a login stands after a step.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step {
    /// Logged in.
    Done(SavedSession),
    /// The account asks for a second factor.
    SecondFactor(Challenge),
    /// The account is disabled.
    Disabled(UserId),
}

/// The second step of a login: answer it with a TOTP code or a recovery code.
#[derive(Debug)]
pub struct Challenge {
    http: Http,
    ticket: Token,
    methods: Vec<MfaMethod>,
    friendly_name: Option<String>,
}

impl Challenge {
    /// The methods the account accepts.
    pub fn methods(&self) -> &[MfaMethod] {
        &self.methods
    }

    /// Answers the challenge.
    ///
    /// # Errors
    /// `InvalidToken` (a wrong code), `DisallowedMFAMethod`, transport errors; a disabled
    /// account is [`Error::Disabled`].
    pub async fn answer(self, proof: MfaResponse) -> Result<SavedSession, Error> {
        let mut request = self.http.login_mfa(self.ticket.expose(), proof);
        if let Some(name) = &self.friendly_name {
            request = request.friendly_name(name);
        }
        match finish(&self.http, request.await?)? {
            Step::Done(session) => Ok(session),
            Step::Disabled(user) => Err(Error::Disabled(user)),
            Step::SecondFactor(_) => Err(Error::UnexpectedLogin),
        }
    }
}

/// Starts a login against an instance.
#[derive(Debug)]
pub struct Login {
    base_url: String,
    friendly_name: Option<String>,
}

impl Login {
    /// A login against the API at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            friendly_name: None,
        }
    }

    /// Names the session (the session list shows it).
    #[must_use]
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// The first step: e-mail and password.
    ///
    /// # Errors
    /// `InvalidCredentials`, `UnverifiedAccount`, `LockedOut`, client-side validation,
    /// transport errors.
    pub async fn password(self, email: &str, password: &str) -> Result<Step, Error> {
        let http = Http::builder().base_url(self.base_url).build()?;
        let mut request = http.login(email, password);
        if let Some(name) = &self.friendly_name {
            request = request.friendly_name(name);
        }
        let answer = request.await?;
        let step = finish(&http, answer)?;
        Ok(match step {
            Step::SecondFactor(mut challenge) => {
                challenge.friendly_name = self.friendly_name;
                Step::SecondFactor(challenge)
            }
            other => other,
        })
    }
}

fn finish(http: &Http, answer: LoginResponse) -> Result<Step, Error> {
    Ok(match answer {
        LoginResponse::Success(session) => Step::Done(SavedSession {
            id: session.id,
            user: session.user_id,
            name: session.name,
            token: session.token,
        }),
        LoginResponse::Mfa(required) => Step::SecondFactor(Challenge {
            http: http.clone(),
            ticket: required.ticket,
            methods: required.allowed_methods,
            friendly_name: None,
        }),
        LoginResponse::Disabled(account) => Step::Disabled(account.user_id),
        _ => return Err(Error::UnexpectedLogin),
    })
}
