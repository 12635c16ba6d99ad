//! Probes ermine's client crates against misbehaving servers, with default settings, and
//! prints what happened, how long it took and the process's peak memory. One probe per run
//! (so that peak memory is the probe's own):
//!
//! ```text
//! for p in $(cargo run -q --release -p ermine --example hostile_probes -- list); do
//!     cargo run -q --release -p ermine --example hostile_probes -- "$p"
//! done
//! ```
//!
//! Each scripted server listens on loopback. A measurement tool, not a test: the tests of the
//! same behaviours are in `crates/ermine-gateway/tests/hostile.rs` and
//! `crates/ermine-http/tests/hostile.rs`.

// A measurement tool: failing to set up its own loopback servers ends the probe.
#![allow(clippy::expect_used)]

use std::time::{Duration, Instant};

use ermine::gateway::{Gateway, GatewayConfig, GatewayError};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const PROBES: [&str; 9] = [
    "events-url-without-path",
    "events-refused",
    "events-nested-bulk",
    "events-60mb-message",
    "http-endless-200",
    "http-1gb-400",
    "http-429-forever",
    "http-redirect-elsewhere",
    "http-silent",
];

/// A TCP server answering every connection with `reply` (an HTTP response head), then
/// `body_chunks` chunks of `chunk` bytes (`usize::MAX`: without end).
async fn http_server(reply: String, chunk: usize, body_chunks: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
                let data = vec![b'x'; chunk];
                for _ in 0..body_chunks {
                    if stream.write_all(&data).await.is_err() {
                        return;
                    }
                }
                std::future::pending::<()>().await;
            });
        }
    });
    url
}

/// A WebSocket server that authenticates, sends `Ready`, then `extra` frames.
async fn ws_server(extra: Vec<Message>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let extra = extra.clone();
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let _ = ws.next().await;
                let _ = ws.send(Message::text(r#"{"type":"Authenticated"}"#)).await;
                let _ = ws
                    .send(Message::text(
                        r#"{"type":"Ready","users":[],"servers":[],"channels":[],"members":[],"emojis":[]}"#,
                    ))
                    .await;
                for frame in extra {
                    if ws.send(frame).await.is_err() {
                        return;
                    }
                }
                while ws.next().await.is_some() {}
            });
        }
    });
    url
}

/// Reads the gateway until `done` says so; what it saw last.
async fn gateway_until(
    url: String,
    done: impl Fn(&Result<ermine::model::event::ServerEvent, GatewayError>, &Gateway) -> bool,
) -> String {
    let mut gateway = Gateway::new(GatewayConfig::new(url, "token"));
    while let Some(item) = gateway.next().await {
        if done(&item, &gateway) {
            return match item {
                Ok(event) => format!("{} (stats {:?})", event.kind(), gateway.stats()),
                Err(error) => format!("{error}"),
            };
        }
    }
    "the stream ended".to_owned()
}

fn http_client(base: &str) -> ermine::http::Client {
    ermine::http::Client::builder()
        .bot_token("secret-token")
        .base_url(base)
        .build()
        .expect("client")
}

async fn run(probe: &str) -> String {
    match probe {
        "events-url-without-path" => {
            let url = ws_server(Vec::new()).await;
            gateway_until(url, |item, _| matches!(item, Ok(e) if e.kind() == "Ready")).await
        }
        "events-refused" => {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let url = format!("ws://{}", listener.local_addr().expect("addr"));
            drop(listener);
            gateway_until(url, |item, _| item.is_err()).await
        }
        "events-nested-bulk" => {
            let mut nested = serde_json::json!({"type": "Logout"});
            for _ in 0..250 {
                nested = serde_json::json!({"type": "Bulk", "v": [nested]});
            }
            let packed = rmp_serde::to_vec_named(&nested).expect("encodes");
            let marker = r#"{"type":"ChannelStartTyping","id":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"}"#;
            let url = ws_server(vec![Message::binary(packed), Message::text(marker)]).await;
            gateway_until(
                url,
                |item, _| matches!(item, Ok(e) if e.kind() == "ChannelStartTyping"),
            )
            .await
        }
        "events-60mb-message" => {
            let big = format!(r#"{{"type":"Pong","data":"{}"}}"#, "x".repeat(60 << 20));
            let url = ws_server(vec![Message::text(big)]).await;
            gateway_until(url, |_, gateway| gateway.stats().reconnects >= 1).await
        }
        "http-endless-200" => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n".to_owned();
            let base = http_server(head, 64 << 10, usize::MAX).await;
            describe(http_client(&base).fetch_self().await)
        }
        "http-1gb-400" => {
            let head = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-length: {}\r\n\r\n",
                1u64 << 30
            );
            let base = http_server(head, 1 << 20, 1024).await;
            describe(http_client(&base).fetch_self().await)
        }
        "http-429-forever" => {
            let body = r#"{"retry_after":1000000000000}"#;
            let head = format!(
                "HTTP/1.1 429 Too Many Requests\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            let base = http_server(head, 0, 0).await;
            describe(http_client(&base).fetch_self().await)
        }
        "http-redirect-elsewhere" => {
            let head = "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:9/users/@me\r\ncontent-length: 0\r\n\r\n".to_owned();
            let base = http_server(head, 0, 0).await;
            describe(http_client(&base).fetch_self().await)
        }
        "http-silent" => {
            let base = http_server(String::new(), 0, 0).await;
            describe(http_client(&base).fetch_self().await)
        }
        other => format!("unknown probe {other}; `list` names them"),
    }
}

fn describe<T: std::fmt::Debug>(result: Result<T, ermine::http::Error>) -> String {
    match result {
        Ok(value) => format!("answered {value:?}"),
        Err(error) => {
            let shown = format!(
                "{error}; kept body {} bytes",
                error.response().map_or(0, |r| r.body.len())
            );
            assert!(!format!("{error:?}").contains("secret-token"));
            shown
        }
    }
}

/// The process's peak resident memory (Linux), in MiB.
fn peak_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(|| "?".to_owned(), |kb| format!("{}", kb / 1024))
}

#[tokio::main]
async fn main() {
    let probe = std::env::args().nth(1).unwrap_or_else(|| "list".to_owned());
    if probe == "list" {
        println!("{}", PROBES.join("\n"));
        return;
    }
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_mins(5), run(&probe))
        .await
        .unwrap_or_else(|_| "no outcome within 300 s".to_owned());
    println!(
        "| {probe} | {outcome} | {:.2} s | {} MiB |",
        started.elapsed().as_secs_f64(),
        peak_mib()
    );
}
