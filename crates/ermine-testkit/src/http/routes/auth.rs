//! `/auth`: accounts and sessions (no e-mail verification here).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ermine_model::auth::LoginBody;
use ermine_model::error::ApiError;
use ermine_model::id::SessionId;
use serde::Deserialize;
use serde_json::json;

use crate::http::{AppState, Json, Reply, SessionCaller, fail, no_content, parse_id};
use crate::lock;
use crate::world::{Account, Auth, SessionRecord};

/// Domains the real server refuses (its disposable-mail blacklist includes these).
const BLACKLISTED_DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];
/// Passwords the real server finds in breach lists (a tiny stand-in for the real check).
const COMPROMISED: [&str; 6] = [
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "qwertyuiop",
];

#[derive(Debug, Deserialize)]
pub(crate) struct CreateAccount {
    email: String,
    password: String,
}

pub(crate) fn valid_email(email: &str) -> bool {
    let mut parts = email.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        _ => false,
    }
}

/// The real server's password rules: long enough, and not in a breach list.
pub(crate) fn assert_safe(password: &str) -> Reply<()> {
    if password.chars().count() < 8 {
        return Err(fail(ApiError::ShortPassword));
    }
    if COMPROMISED.contains(&password.to_lowercase().as_str()) {
        return Err(fail(ApiError::CompromisedPassword));
    }
    Ok(())
}

/// `POST /auth/account/create`.
pub(crate) async fn create_account(
    State(shared): State<AppState>,
    Json(body): Json<CreateAccount>,
) -> Reply<Response> {
    if !valid_email(&body.email) {
        return Err(fail(ApiError::IncorrectData {
            with: "email".to_owned(),
        }));
    }
    let domain = body.email.rsplit('@').next().unwrap_or("").to_lowercase();
    if BLACKLISTED_DOMAINS.contains(&domain.as_str()) {
        let body = json!({
            "type": "DisallowedContactSupport",
            "note": "If you see this messages right here, you're probably doing something you shouldn't be."
        });
        let mut response = (StatusCode::UNAUTHORIZED, body.to_string()).into_response();
        response.headers_mut().remove(header::CONTENT_TYPE);
        return Ok(response);
    }
    assert_safe(&body.password)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let key = body.email.to_lowercase();
    // An existing address starts a password reset on the real server, which fails with
    // `OperationFailed` on an instance without e-mail (as this one is).
    if world.accounts.contains_key(&key) {
        return Err(fail(ApiError::OperationFailed));
    }
    {
        let id = world.id(now);
        world.account_ids.insert(id, key.clone());
        world
            .accounts
            .insert(key, Account::new(id, body.email, body.password));
    }
    Ok(no_content())
}

/// `POST /auth/session/login`: the password step (which asks for a second factor when
/// TOTP is on), or the MFA step with the ticket it gave; a disabled account gets `Disabled`.
pub(crate) async fn login(
    State(shared): State<AppState>,
    Json(body): Json<LoginBody>,
) -> Reply<axum::Json<serde_json::Value>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let (account, name) = match body {
        LoginBody::Password {
            email,
            password,
            friendly_name,
        } => {
            let account = world
                .accounts
                .get(&email.to_lowercase())
                .filter(|a| a.password == password)
                .cloned()
                .ok_or_else(|| fail(ApiError::InvalidCredentials))?;
            if let crate::world::Totp::Enabled(secret) = &account.mfa.totp {
                let code = super::account::totp_code(secret, now);
                let mut ticket = world.new_ticket(account.id, false, now);
                ticket.last_totp_code = code;
                world.tickets.insert(ticket.token.clone(), ticket.clone());
                return Ok(axum::Json(json!({
                    "result": "MFA",
                    "ticket": ticket.token,
                    "allowed_methods": account.mfa.methods(),
                })));
            }
            (account, friendly_name)
        }
        LoginBody::Mfa {
            mfa_ticket,
            mfa_response,
            friendly_name,
        } => {
            let ticket = world
                .tickets
                .get(&mfa_ticket)
                .cloned()
                .ok_or_else(|| fail(ApiError::InvalidToken))?;
            match &mfa_response {
                Some(proof) => {
                    world.consume_mfa_response(ticket.account, proof, Some(&ticket), now)?;
                }
                None if !ticket.authorised => return Err(fail(ApiError::InvalidToken)),
                None => {}
            }
            let account = world.account_of(ticket.account)?.clone();
            (account, friendly_name)
        }
    };
    if account.disabled {
        return Ok(axum::Json(
            json!({ "result": "Disabled", "user_id": account.id }),
        ));
    }
    let name = name.unwrap_or_else(|| "Unknown".to_owned());
    let record = world.open_session(account.id, name, now);
    Ok(axum::Json(json!({
        "result": "Success",
        "_id": record.id,
        "user_id": record.user,
        "token": record.token,
        "name": record.name,
        "last_seen": now,
        "origin": "local",
    })))
}

/// `POST /auth/session/logout`.
pub(crate) async fn logout(State(shared): State<AppState>, caller: SessionCaller) -> Response {
    lock(&shared.world).close_session(caller.session);
    shared.hub.logout_session(caller.session);
    no_content()
}

/// `GET /auth/account/`.
pub(crate) async fn fetch_account(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> Reply<axum::Json<serde_json::Value>> {
    let world = lock(&shared.world);
    let email = world
        .account_ids
        .get(&caller.user)
        .and_then(|key| world.accounts.get(key))
        .map(|a| a.email.clone())
        .unwrap_or_default();
    Ok(axum::Json(json!({ "_id": caller.user, "email": email })))
}

/// `GET /auth/session/all`.
pub(crate) async fn sessions(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> axum::Json<serde_json::Value> {
    let world = lock(&shared.world);
    let mut list: Vec<&SessionRecord> = world
        .sessions
        .values()
        .filter(|s| s.user == caller.user)
        .collect();
    list.sort_by_key(|s| s.id);
    axum::Json(serde_json::Value::Array(
        list.into_iter()
            .map(|s| json!({ "_id": s.id, "name": s.name }))
            .collect(),
    ))
}

/// `DELETE /auth/session/{id}`.
pub(crate) async fn revoke(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Path(id): Path<String>,
) -> Reply<Response> {
    let id: SessionId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    if world
        .sessions
        .get(&id)
        .is_none_or(|s| s.user != caller.user)
    {
        return Err(fail(ApiError::InvalidSession));
    }
    world.close_session(id);
    drop(world);
    shared.hub.logout_session(id);
    Ok(no_content())
}

impl crate::world::World {
    /// Opens a session for `user` and returns it.
    pub(crate) fn open_session(
        &mut self,
        user: ermine_model::id::UserId,
        name: String,
        now: ermine_model::Timestamp,
    ) -> SessionRecord {
        let id = self.id(now);
        let token = self.token(now);
        let record = SessionRecord {
            id,
            user,
            token: token.clone(),
            name,
            subscription: None,
        };
        self.tokens.insert(
            token,
            Auth {
                user,
                session: Some(id),
            },
        );
        self.sessions.insert(id, record.clone());
        record
    }

    /// Closes a session and forgets its token.
    pub(crate) fn close_session(&mut self, id: SessionId) {
        if let Some(record) = self.sessions.remove(&id) {
            self.tokens.remove(&record.token);
        }
    }
}
