//! The REST API and file server: routing, the request pipeline (log, faults, rate limits,
//! the framework's error pages) and the extractors handlers share.

mod error;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use ermine_model::id::{Id, SessionId, UserId};
use serde::de::DeserializeOwned;

pub(crate) use error::{Fail, Reply, fail, invalid, missing, not_found};
pub(crate) use routes::{channel_audience, send_user_update, system_message};

use crate::control::LoggedRequest;
use crate::ratelimit::bucket_for;
use crate::{Shared, lock};

/// Shared state as handlers receive it.
pub(crate) type AppState = Arc<Shared>;

/// The API application: REST API, file server and test controls (the events socket has its
/// own port: [`crate::gateway::router`]).
pub(crate) fn router(shared: AppState) -> Router {
    let api = routes::api().dispatcher(&shared);
    Router::new()
        .nest("/autumn", routes::files())
        .nest("/__ermine", routes::admin(Arc::clone(&shared)))
        .nest("/voice-ingress", crate::livekit::room::routes())
        .fallback(move |request: Request| api.clone().call(request))
        // The pipeline bounds bodies itself (413 for JSON over the limit, as the real server).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            pipeline,
        ))
        .with_state(shared)
}

/// Every request passes here: size checks, faults, rate limits, error pages, the log.
async fn pipeline(
    State(shared): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/__ermine") {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_owned());
    let json = error::prefers_json(request.headers());
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let at = shared.clock.now();

    let (parts, body) = request.into_parts();
    let limit = shared.config.json_limit.max(shared.config.upload_limit) + 1;
    let bytes = axum::body::to_bytes(body, limit).await;
    let header_size: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum();

    let response = match bytes {
        Err(_) => error::render_framework(StatusCode::PAYLOAD_TOO_LARGE, json),
        Ok(_) if header_size > shared.config.header_limit => {
            error::render_framework(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, json)
        }
        Ok(bytes) => {
            let logged_body = String::from_utf8_lossy(&bytes).into_owned();
            let request = Request::from_parts(parts, Body::from(bytes));
            let response = if let Some(fault) = shared.control.take_fault(&method, &path) {
                fault_response(&fault)
            } else if path.starts_with("/autumn") {
                finish(next.run(request).await, json)
            } else {
                limited(&shared, peer, &method, &path, request, next, json).await
            };
            shared.control.wait_if_held(&path).await;
            log(
                &shared,
                &method,
                &path_and_query,
                headers,
                logged_body,
                &response,
                at,
            );
            return response;
        }
    };
    log(
        &shared,
        &method,
        &path_and_query,
        headers,
        String::new(),
        &response,
        at,
    );
    response
}

fn log(
    shared: &Shared,
    method: &str,
    path: &str,
    headers: Vec<(String, String)>,
    body: String,
    response: &Response,
    at: ermine_model::Timestamp,
) {
    let mut log = lock(&shared.control.log);
    // A ring: the oldest entries make room.
    while log.len() >= shared.config.request_log.max(1) {
        log.pop_front();
    }
    log.push_back(LoggedRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body,
        status: response.status().as_u16(),
        at,
    });
}

fn fault_response(fault: &crate::control::Fault) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, fault.body.clone()).into_response();
    let content_type = fault.content_type.clone().unwrap_or_else(|| {
        if fault.body.trim_start().starts_with('{') {
            "application/json".to_owned()
        } else {
            "text/plain; charset=utf-8".to_owned()
        }
    });
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, value);
    }
    for (name, value) in &fault.headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Applies the rate limiter around the handler.
async fn limited(
    shared: &Shared,
    peer: SocketAddr,
    method: &str,
    path: &str,
    request: Request,
    next: Next,
    json: bool,
) -> Response {
    if !shared.config.rate_limits {
        return finish(next.run(request).await, json);
    }
    let identifier = identifier(shared, request.headers(), peer);
    let bucket = bucket_for(method, path);
    let now = shared.clock.now();
    if path == "/ratelimit" {
        let verdict = shared.limiter.peek(&identifier, &bucket, now);
        let body = serde_json::json!({
            "key": verdict.key,
            "limit": verdict.limit,
            "remaining": verdict.remaining,
            "reset": verdict.reset_after_ms,
        });
        return with_limit_headers(axum::Json(body).into_response(), &verdict);
    }
    let verdict = shared.limiter.hit(&identifier, &bucket, now);
    if !verdict.allowed {
        let body = ermine_model::error::RateLimitedBody {
            retry_after: verdict.reset_after_ms,
        };
        let response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
        return with_limit_headers(response, &verdict);
    }
    with_limit_headers(finish(next.run(request).await, json), &verdict)
}

fn with_limit_headers(mut response: Response, v: &crate::ratelimit::Verdict) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", v.limit.to_string()),
        ("x-ratelimit-bucket", v.key.to_string()),
        ("x-ratelimit-remaining", v.remaining.to_string()),
        ("x-ratelimit-reset-after", v.reset_after_ms.to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// Turns guard failures and wrong methods into the framework's error page.
fn finish(response: Response, json: bool) -> Response {
    let status = response.status();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        return error::render_framework(StatusCode::NOT_FOUND, json);
    }
    if response
        .extensions()
        .get::<error::FrameworkFailure>()
        .is_some()
    {
        return error::render_framework(status, json);
    }
    response
}

/// Who the rate limiter counts a request against: the session, or the client address.
fn identifier(shared: &Shared, headers: &HeaderMap, peer: SocketAddr) -> String {
    if headers.get("x-bot-token").is_none()
        && let Some(token) = headers.get("x-session-token").and_then(|v| v.to_str().ok())
        && let Some(session) = lock(&shared.world).auth(token).and_then(|a| a.session)
    {
        return session.to_string();
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map_or_else(|| peer.ip().to_string(), |ip| ip.trim().to_owned())
}

/// The authenticated caller of a guarded route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller {
    pub(crate) user: UserId,
    pub(crate) session: Option<SessionId>,
}

impl Caller {
    /// Whether the caller authenticated with a bot token.
    pub(crate) fn is_bot(&self) -> bool {
        self.session.is_none()
    }
}

/// A caller who is a person, not a bot: routes bots may not use (`IsBot` otherwise, checked
/// before the body, as the real server's guards are).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Person(pub(crate) Caller);

impl FromRequestParts<AppState> for Person {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.is_bot() {
            return Err(fail(ermine_model::error::ApiError::IsBot));
        }
        Ok(Self(caller))
    }
}

/// A session, onboarded or not (for `/onboard` and `/auth` routes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionCaller {
    pub(crate) user: UserId,
    pub(crate) session: SessionId,
}

/// The token's owner; with `onboarded`, only when the account has a user already.
fn token_auth(shared: &Shared, parts: &Parts, onboarded: bool) -> Option<crate::world::Auth> {
    let world = lock(&shared.world);
    let auth = if let Some(token) = parts.headers.get("x-bot-token") {
        world
            .auth(token.to_str().ok()?)
            .filter(|a| a.session.is_none())
    } else {
        let token = parts.headers.get("x-session-token")?.to_str().ok()?;
        world.auth(token).filter(|a| a.session.is_some())
    }?;
    (!onboarded || world.users.contains_key(&auth.user)).then_some(auth)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        let auth =
            token_auth(state, parts, true).ok_or(Fail::Framework(StatusCode::UNAUTHORIZED))?;
        Ok(Self {
            user: auth.user,
            session: auth.session,
        })
    }
}

impl FromRequestParts<AppState> for SessionCaller {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        let auth =
            token_auth(state, parts, false).ok_or(Fail::Framework(StatusCode::UNAUTHORIZED))?;
        let session = auth
            .session
            .ok_or(Fail::Framework(StatusCode::UNAUTHORIZED))?;
        Ok(Self {
            user: auth.user,
            session,
        })
    }
}

/// `X-Audit-Log-Reason`: at most 512 bytes, else the guard fails with 400. (The reason
/// itself is kept in the request log.)
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditReason(pub(crate) Option<String>);

impl FromRequestParts<AppState> for AuditReason {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Fail> {
        match parts.headers.get("x-audit-log-reason") {
            Some(value) if value.len() > 512 => Err(Fail::Framework(StatusCode::BAD_REQUEST)),
            Some(value) => Ok(Self(Some(
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            ))),
            None => Ok(Self(None)),
        }
    }
}

/// `Idempotency-Key`: at most 64 characters (400), not reused among the last 1000 (409).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdempotencyKey(pub(crate) Option<String>);

impl FromRequestParts<AppState> for IdempotencyKey {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        let key = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if key.chars().count() > 64 {
            return Err(Fail::Framework(StatusCode::BAD_REQUEST));
        }
        if !lock(&state.world).remember_idempotency_key(&key) {
            return Err(Fail::Framework(StatusCode::CONFLICT));
        }
        Ok(Self(Some(key)))
    }
}

/// A JSON body read the way the real server's framework reads it: too large → 413, syntax
/// error or empty → 400, wrong shape → 422.
#[derive(Debug)]
pub(crate) struct Json<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = Fail;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Fail> {
        let limit = state.config.json_limit;
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| Fail::Framework(StatusCode::BAD_REQUEST))?;
        if bytes.len() > limit {
            return Err(Fail::Framework(StatusCode::PAYLOAD_TOO_LARGE));
        }
        serde_json::from_slice(&bytes).map(Self).map_err(|e| {
            Fail::Framework(if e.is_data() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            })
        })
    }
}

/// Query parameters; ones that do not parse fail with 422.
#[derive(Debug)]
pub(crate) struct Query<T>(pub(crate) T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Fail> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|_| Fail::Framework(StatusCode::UNPROCESSABLE_ENTITY))
    }
}

/// Parses an ID from a path; anything that is not an ID names nothing (`NotFound`).
#[track_caller]
pub(crate) fn parse_id<M>(raw: &str) -> Reply<Id<M>> {
    let location = std::panic::Location::caller();
    raw.parse().map_err(|_| Fail::Api {
        error: ermine_model::error::ApiError::NotFound,
        location,
    })
}

/// A 204 answer.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The operations [`router`] serves.
pub(crate) fn served_routes() -> Vec<&'static ermine_model::route::Route> {
    routes::api().served()
}

pub(crate) use routes::totp_code;
