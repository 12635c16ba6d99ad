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

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use ermine_model::id::UserId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::control::{Control, Fault, LoggedRequest};
use crate::http::{AppState, Json, no_content};

/// Routes of the test controls (mounted under `/__ermine`).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", post(fault))
        .route("/frames", post(frame))
        .route("/sockets", get(sockets))
        .route("/sockets/drop", post(drop_sockets))
        .route("/pings", post(pings))
        .route("/clock", post(clock))
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
