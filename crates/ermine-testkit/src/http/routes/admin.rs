//! The test controls over HTTP, under `/__ermine/`, for clients in any language.
//!
//! | method and path | body | effect |
//! | --- | --- | --- |
//! | `GET /__ermine/requests` | | the request log |
//! | `DELETE /__ermine/requests` | | clears it |
//! | `POST /__ermine/faults` | a [`Fault`](crate::Fault) | canned answers for a route |
//! | `POST /__ermine/frames` | `{"user": id, "frame": {...}}` | a raw frame to a user's sockets |
//! | `POST /__ermine/sockets/drop` | | drops every event socket |
//! | `GET /__ermine/sockets` | | `{"count": n}` |
//! | `POST /__ermine/pings` | `{"answer": bool}` | stop or resume answering pings |
//! | `POST /__ermine/clock` | `{"advance_ms": n}` | moves the server clock forward |
//!
//! Every control requires the server's control token in `X-Ermine-Control`
//! ([`TestServer::control_token`](crate::TestServer::control_token), printed by `ermine-local`):
//! 401 without it. A request from a web page is refused (403) when its `Origin` is another
//! site or its `Host` is not the loopback address the server listens on, so a page the
//! developer visits cannot reach the controls (a custom header already forces a preflight
//! that this server never grants); bodies must be JSON.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ermine_model::id::UserId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::control::{Control, Fault, LoggedRequest};
use crate::http::{AppState, Json, no_content};

/// Refuses control requests without the token, from other sites, or not in JSON.
async fn guard(
    State(shared): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::{StatusCode, header};
    let headers = request.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let own = |authority: &str| {
        let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    };
    if text(header::HOST).is_some_and(|host| !own(host)) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(origin) = text(header::ORIGIN) {
        let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
        if !own(authority) {
            return StatusCode::FORBIDDEN.into_response();
        }
    }
    let token = headers
        .get("x-ermine-control")
        .and_then(|v| v.to_str().ok());
    if token != Some(shared.config.control_token.as_str()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if request.method() == axum::http::Method::POST
        && !text(header::CONTENT_TYPE).is_some_and(|t| t.starts_with("application/json"))
    {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    next.run(request).await
}

/// Routes of the test controls (mounted under `/__ermine`), behind [`guard`].
pub(crate) fn routes(shared: AppState) -> Router<AppState> {
    Router::new()
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", post(fault))
        .route("/frames", post(frame))
        .route("/sockets", get(sockets))
        .route("/sockets/drop", post(drop_sockets))
        .route("/pings", post(pings))
        .route("/clock", post(clock))
        .layer(axum::middleware::from_fn_with_state(shared, guard))
}

async fn requests(State(shared): State<AppState>) -> axum::Json<Vec<LoggedRequest>> {
    axum::Json(Control::new(&shared).requests())
}

async fn clear_requests(State(shared): State<AppState>) -> Response {
    Control::new(&shared).clear_requests();
    no_content()
}

async fn fault(State(shared): State<AppState>, Json(fault): Json<Fault>) -> Response {
    Control::new(&shared).inject_fault(fault);
    no_content()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Frame {
    user: UserId,
    frame: Value,
}

async fn frame(State(shared): State<AppState>, Json(body): Json<Frame>) -> axum::Json<Value> {
    let reached = Control::new(&shared).inject_frame(body.user, body.frame);
    axum::Json(json!({ "reached": reached }))
}

async fn sockets(State(shared): State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({ "count": Control::new(&shared).socket_count() }))
}

async fn drop_sockets(State(shared): State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({ "dropped": Control::new(&shared).drop_sockets() }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct Pings {
    answer: bool,
}

async fn pings(State(shared): State<AppState>, Json(body): Json<Pings>) -> Response {
    Control::new(&shared).answer_pings(body.answer);
    no_content()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Clock {
    advance_ms: u64,
}

async fn clock(State(shared): State<AppState>, Json(body): Json<Clock>) -> Response {
    Control::new(&shared).advance_clock(Duration::from_millis(body.advance_ms));
    no_content()
}
