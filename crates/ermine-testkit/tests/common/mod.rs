//! Plain HTTP and WebSocket helpers for the local server's tests (deliberately not ermine's
//! own client, so the two cannot share a mistake).

#![allow(dead_code, unreachable_pub, clippy::expect_used, clippy::unwrap_used)]

use std::time::Duration;

use ermine_testkit::{Config, TestServer};
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// An answer: status, headers and body (JSON when it parses, else a string).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The error `type` of a `{"type": ...}` body.
    pub fn kind(&self) -> Option<&str> {
        self.body.get("type").and_then(Value::as_str)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A server plus an HTTP client pointed at it.
pub struct Harness {
    pub server: TestServer,
    pub http: reqwest::Client,
}

impl Harness {
    pub async fn new() -> Self {
        Self::with(Config::default().rate_limits(false)).await
    }

    pub async fn with(config: Config) -> Self {
        let server = TestServer::start_with(config).await.expect("server starts");
        Self {
            server,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.urls().api, path)
    }

    /// Sends a request with a session token (or none) and an optional JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.send(
            method,
            path,
            token.map(|t| ("x-session-token", t)),
            body,
            &[],
        )
        .await
    }

    /// Same, authenticating as a bot.
    pub async fn bot(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Answer {
        self.send(method, path, Some(("x-bot-token", token)), body, &[])
            .await
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        auth: Option<(&str, &str)>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, self.url(path));
        if let Some((name, token)) = auth {
            request = request.header(name, token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request is answered");
        Self::answer(response).await
    }

    pub async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Opens an events socket with `query` appended (e.g. `token=...`).
    pub async fn socket(&self, query: &str) -> Socket {
        // Any path reaches the events socket; the one here is what a browser client asks for.
        let url = format!("{}/events?version=1&{query}", self.server.urls().events);
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("socket connects");
        Socket { ws }
    }

    /// A socket past `Authenticated` and `Ready` (JSON).
    pub async fn ready_socket(&self, token: &str) -> (Socket, Value) {
        let mut socket = self.socket(&format!("format=json&token={token}")).await;
        let first = socket.next_json().await.expect("first frame");
        assert_eq!(first["type"], "Authenticated");
        let ready = socket.next_json().await.expect("ready");
        assert_eq!(ready["type"], "Ready");
        (socket, ready)
    }
}

pub struct Socket {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    pub async fn send_json(&mut self, value: Value) {
        self.ws
            .send(Message::Text(value.to_string().into()))
            .await
            .expect("frame sent");
    }

    /// The next frame as JSON (msgpack frames decoded), or `None` on close/timeout (2 s).
    pub async fn next_json(&mut self) -> Option<Value> {
        self.next_within(Duration::from_secs(2)).await
    }

    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let frame = tokio::time::timeout(wait, self.ws.next()).await.ok()??;
            match frame.ok()? {
                Message::Text(text) => return serde_json::from_str(text.as_str()).ok(),
                Message::Binary(bytes) => return rmp_serde::from_slice(&bytes).ok(),
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// Skips frames until one of type `kind` arrives.
    pub async fn expect(&mut self, kind: &str) -> Value {
        loop {
            let frame = self
                .next_json()
                .await
                .unwrap_or_else(|| panic!("no {kind} frame arrived"));
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// The frames the server had queued for this socket before a ping sent now: its queue is
    /// first in, first out, and it handles this socket's frames in order, so everything
    /// caused earlier arrives before the `Pong` — a barrier instead of a quiet period.
    pub async fn until_pong(&mut self) -> Vec<Value> {
        let marker = json!(424_242);
        self.send_json(json!({"type": "Ping", "data": marker}))
            .await;
        let mut before = Vec::new();
        loop {
            let frame = self.next_json().await.expect("the barrier's Pong");
            if frame["type"] == "Pong" && frame["data"] == marker {
                return before;
            }
            before.push(frame);
        }
    }

    /// Collects frames until none arrives for `quiet`.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(frame) = self.next_within(quiet).await {
            out.push(frame);
        }
        out
    }
}
