//! `/auth/session`: log in (with the MFA step), log out, list, rename and revoke sessions.

use ermine_model::auth::{EditSessionBody, LoginBody, LoginResponse, MfaResponse, SessionInfo};
use ermine_model::id::SessionId;
use ermine_model::route;

use super::email;
use crate::options::RequestOptions;
use crate::request::{RawRequest, body_request, path_request, request};
use crate::{Client, Error};

body_request! {
    /// Logs in: a session, a request for the MFA step (`LoginResponse::Mfa` with a ticket),
    /// or a disabled account.
    ///
    /// # Errors
    /// `FailedValidation`; `InvalidCredentials`; `UnverifiedAccount`; `LockedOut`;
    /// `InvalidToken` (a bad MFA answer).
    Login {} => LoginResponse,
    LOGIN, LoginBody
}

path_request! {
    /// Ends the current session.
    ///
    /// # Errors
    /// `InvalidSession`.
    Logout {} => (),
    LOGOUT
}

path_request! {
    /// The account's sessions.
    ///
    /// # Errors
    /// `InvalidSession`.
    FetchSessions {} => Vec<SessionInfo>,
    FETCH_SESSIONS
}

/// Ends every session of the account, the current one too with `revoke_self`.
///
/// # Errors
/// `InvalidSession`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct RevokeAllSessions {
    client: Client,
    options: RequestOptions,
    revoke_self: Option<bool>,
}

impl RevokeAllSessions {
    /// Also ends the current session.
    pub fn revoke_self(mut self, revoke: bool) -> Self {
        self.revoke_self = Some(revoke);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let raw = RawRequest::new(&route::REVOKE_ALL_SESSIONS, [""; 0])?;
        Ok(match self.revoke_self {
            Some(revoke) => raw.query("revoke_self", &revoke),
            None => raw,
        })
    }
}

request!(RevokeAllSessions => ());

path_request! {
    /// Ends one session.
    ///
    /// # Errors
    /// `InvalidSession`; `NotFound`.
    RevokeSession { session: SessionId } => (),
    REVOKE_SESSION
}

body_request! {
    /// Renames a session.
    ///
    /// # Errors
    /// `InvalidSession`; `NotFound`.
    EditSession { session: SessionId } => SessionInfo,
    EDIT_SESSION, EditSessionBody
}

impl Login {
    /// Names the new session.
    pub fn friendly_name(mut self, name: &str) -> Self {
        match &mut self.body {
            LoginBody::Password { friendly_name, .. } | LoginBody::Mfa { friendly_name, .. } => {
                *friendly_name = Some(name.to_owned());
            }
        }
        self
    }
}

impl Client {
    /// Logs in with an e-mail and a password.
    pub fn login(&self, address: &str, password: &str) -> Login {
        let body = LoginBody::Password {
            email: address.to_owned(),
            password: password.to_owned(),
            friendly_name: None,
        };
        let mut request = Login::with_body(self.clone(), body);
        request.check(email(address));
        request
    }

    /// The second step of a login: the ticket from the `Mfa` answer and a proof.
    pub fn login_mfa(&self, ticket: &str, proof: MfaResponse) -> Login {
        let body = LoginBody::Mfa {
            mfa_ticket: ticket.to_owned(),
            mfa_response: Some(proof),
            friendly_name: None,
        };
        Login::with_body(self.clone(), body)
    }

    /// Ends the current session.
    pub fn logout(&self) -> Logout {
        Logout::new(self.clone())
    }

    /// Fetches the account's sessions.
    pub fn fetch_sessions(&self) -> FetchSessions {
        FetchSessions::new(self.clone())
    }

    /// Ends every session (but the current one, unless `revoke_self`).
    pub fn revoke_all_sessions(&self) -> RevokeAllSessions {
        RevokeAllSessions {
            client: self.clone(),
            options: RequestOptions::default(),
            revoke_self: None,
        }
    }

    /// Ends one session.
    pub fn revoke_session(&self, session: SessionId) -> RevokeSession {
        RevokeSession::new(self.clone(), session)
    }

    /// Renames a session.
    pub fn edit_session(&self, session: SessionId, name: &str) -> EditSession {
        let body = EditSessionBody {
            friendly_name: name.to_owned(),
        };
        EditSession::with_body(self.clone(), session, body)
    }
}
