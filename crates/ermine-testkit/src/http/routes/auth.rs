//! `/auth`: accounts and sessions (no e-mail verification here).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
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

fn valid_email(email: &str) -> bool {
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
    if body.password.chars().count() < 8 {
        return Err(fail(ApiError::ShortPassword));
    }
    if COMPROMISED.contains(&body.password.to_lowercase().as_str()) {
        return Err(fail(ApiError::CompromisedPassword));
    }
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
        world.accounts.insert(
            key,
            Account {
                id,
                email: body.email,
                password: body.password,
            },
        );
    }
    Ok(no_content())
}

#[derive(Debug, Deserialize)]
pub(crate) struct Login {
    email: String,
    password: String,
    #[serde(default)]
    friendly_name: Option<String>,
}

/// `POST /auth/session/login`.
pub(crate) async fn login(
    State(shared): State<AppState>,
    Json(body): Json<Login>,
) -> Reply<axum::Json<serde_json::Value>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let account = world
        .accounts
        .get(&body.email.to_lowercase())
        .filter(|a| a.password == body.password)
        .cloned()
        .ok_or_else(|| fail(ApiError::InvalidCredentials))?;
    let record = world.open_session(account.id, body.friendly_name.unwrap_or_default(), now);
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
