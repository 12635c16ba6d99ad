//! What the request and end-to-end tests share: clients, the shape of a prepared request,
//! matching API errors, and waiting for an event.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ermine_gateway::{Gateway, GatewayConfig, GatewayError};
use ermine_http::error::ErrorKind;
use ermine_http::{Client, Prepared};
use ermine_model::error::ApiError;
use ermine_model::event::ServerEvent;
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt as _;
use serde_json::Value;

/// The base URL of the offline tests (nothing listens there).
pub(crate) const BASE: &str = "http://stoat.invalid";

/// A session client for the offline tests.
pub(crate) fn offline_client() -> Client {
    Client::builder()
        .session_token("session-secret")
        .base_url(BASE)
        .build()
        .unwrap()
}

/// A prepared request as the tests compare it: `METHOD /path?query`, the body (or null),
/// whether the token is sent, and the MFA ticket sent.
pub(crate) fn shape(p: &Prepared) -> (String, Value, bool, Option<String>) {
    let body = p
        .body
        .as_deref()
        .map_or(Value::Null, |b| serde_json::from_str(b).unwrap());
    (
        format!("{} {}", p.method, p.url.trim_start_matches(BASE)),
        body,
        p.header("x-session-token").is_some(),
        p.header("x-mfa-ticket").map(str::to_owned),
    )
}

/// A local server with short rate-limit windows (the tests make many requests per bucket).
pub(crate) async fn local_server() -> TestServer {
    let config = Config::default().rate_limit_window(Duration::from_millis(50));
    TestServer::start_with(config).await.unwrap()
}

/// A client of `server` with a session token.
pub(crate) fn session(server: &TestServer, token: &str) -> Client {
    Client::builder()
        .session_token(token)
        .base_url(&server.urls().api)
        .build()
        .unwrap()
}

/// A client of `server` without credentials.
pub(crate) fn anonymous(server: &TestServer) -> Client {
    Client::builder()
        .base_url(&server.urls().api)
        .build()
        .unwrap()
}

/// The API error of a failed request.
pub(crate) fn api(e: &ermine_http::Error) -> &ApiError {
    e.api().unwrap_or_else(|| panic!("not an API error: {e:?}"))
}

/// The permission a `MissingPermission` names.
pub(crate) fn missing(e: &ermine_http::Error) -> &str {
    match api(e) {
        ApiError::MissingPermission { permission } => permission,
        other => panic!("not MissingPermission: {other:?}"),
    }
}

/// Whether a request was refused before it was sent.
pub(crate) fn is_validation(e: &ermine_http::Error) -> bool {
    matches!(e.kind(), ErrorKind::Validation(_))
}

/// An events connection past its Ready.
pub(crate) async fn gateway(server: &TestServer, token: &str) -> Gateway {
    let mut gateway = Gateway::new(GatewayConfig::new(server.urls().events.clone(), token));
    expect(&mut gateway, "Ready").await;
    gateway
}

/// The next event of `kind` (others skipped), or the fatal error that ended the stream.
pub(crate) async fn next_event(
    gateway: &mut Gateway,
    kind: &str,
) -> Result<ServerEvent, GatewayError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let item = tokio::time::timeout(left, gateway.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} event"))
            .unwrap_or_else(|| panic!("stream ended before {kind}"));
        match item {
            Ok(event) if event.kind() == kind => return Ok(event),
            Ok(_) => {}
            Err(e) => return Err(e),
        }
    }
}

/// The next event of `kind`.
pub(crate) async fn expect(gateway: &mut Gateway, kind: &str) -> ServerEvent {
    next_event(gateway, kind)
        .await
        .unwrap_or_else(|e| panic!("fatal before {kind}: {e}"))
}
