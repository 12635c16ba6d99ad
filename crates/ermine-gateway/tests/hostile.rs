//! The gateway against servers that misbehave: small scripted servers on loopback that
//! refuse, stay silent, never send `Ready`, close after `Ready`, or send frames that are too
//! deep or too large. Also the events URL in every form a server advertises.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ermine_gateway::{
    Backoff, COMMAND_QUEUE, ConnectionState, Format, Gateway, GatewayConfig, GatewayError,
};
use ermine_model::event::ServerEvent;
use ermine_model::id::ChannelId;
use ermine_testkit::{Config, TestServer};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

/// Generous bound that turns a hang into a failure; no test waits for it.
const HANG: Duration = Duration::from_secs(20);

fn quick(url: String) -> GatewayConfig {
    GatewayConfig::new(url, "token").backoff(Backoff::new(
        Duration::from_millis(5),
        Duration::from_millis(40),
    ))
}

async fn next(gateway: &mut Gateway) -> Result<ServerEvent, GatewayError> {
    tokio::time::timeout(HANG, gateway.next())
        .await
        .expect("the gateway hung")
        .expect("the stream ended")
}

/// A server that runs `script` on every TCP connection; it counts them.
async fn tcp_server<F, Fut>(script: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(script(stream));
        }
    });
    (url, connections)
}

/// A WebSocket server that runs `script` on every connection after the handshake.
async fn ws_server<F, Fut>(script: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(WebSocketStream<TcpStream>) -> Fut + Send + Sync + Clone + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tcp_server(move |stream| {
        let script = script.clone();
        async move {
            if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                script(ws).await;
            }
        }
    })
    .await
}

const READY: &str =
    r#"{"type":"Ready","users":[],"servers":[],"channels":[],"members":[],"emojis":[]}"#;

async fn authenticate_and_ready(ws: &mut WebSocketStream<TcpStream>) {
    // The token arrives in a frame (the default), never in the URL.
    let auth = ws.next().await.unwrap().unwrap();
    assert!(auth.to_text().unwrap().contains(r#""Authenticate""#));
    ws.send(Message::text(r#"{"type":"Authenticated"}"#))
        .await
        .unwrap();
    ws.send(Message::text(READY)).await.unwrap();
}

#[tokio::test]
async fn every_advertised_form_of_the_events_url_connects() {
    let server = TestServer::start_with(Config::default().rate_limits(false))
        .await
        .unwrap();
    let alice = server.seed().user("alice");
    let advertised = server.urls().events.clone();
    assert!(
        !advertised[5..].contains('/'),
        "advertised without a path, as a real instance does: {advertised}"
    );
    for url in [
        advertised.clone(),
        format!("{advertised}/"),
        format!("{advertised}/events"),
        format!("{advertised}?client=test"),
        format!("{advertised}/events/?client=test"),
    ] {
        for format in [Format::Json, Format::Msgpack] {
            let mut gateway =
                Gateway::new(GatewayConfig::new(url.clone(), alice.token.clone()).format(format));
            loop {
                let event = next(&mut gateway)
                    .await
                    .unwrap_or_else(|e| panic!("{url}: {e}"));
                if event.kind() == "Ready" {
                    break;
                }
            }
        }
    }
}

#[tokio::test]
async fn a_server_that_drops_every_connection_is_reported_and_retried() {
    let (url, connections) = tcp_server(|stream| async move { drop(stream) }).await;
    let mut gateway = Gateway::new(quick(url));
    let status = gateway.status();
    for expected in [3, 6] {
        match next(&mut gateway).await {
            Err(GatewayError::Unreachable { attempts, reason }) => {
                assert_eq!(attempts, expected);
                assert!(reason.contains("could not connect"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        !GatewayError::Unreachable {
            attempts: 1,
            reason: String::new()
        }
        .is_fatal()
    );
    assert!(connections.load(Ordering::SeqCst) >= 6);
    assert!(gateway.stats().failed_attempts >= 6);
    assert!(matches!(
        status.borrow().state,
        ConnectionState::Disconnected { .. } | ConnectionState::Connecting
    ));
}

#[tokio::test]
async fn a_server_that_accepts_and_says_nothing_times_out_the_handshake() {
    let (url, _) = tcp_server(|stream| async move {
        // Holds the connection open and never answers.
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await;
    let mut gateway = Gateway::new(
        quick(url)
            .timeouts(Duration::from_millis(100), Duration::from_secs(5))
            .report_failures_after(1),
    );
    match next(&mut gateway).await {
        Err(GatewayError::Unreachable {
            attempts: 1,
            reason,
        }) => {
            assert!(reason.contains("no connection within"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_sends_ready_is_replaced() {
    let (url, connections) = ws_server(|mut ws| async move {
        // Reads everything, answers nothing.
        while ws.next().await.is_some() {}
    })
    .await;
    let mut gateway = Gateway::new(
        quick(url)
            .timeouts(Duration::from_secs(5), Duration::from_millis(100))
            .report_failures_after(2),
    );
    match next(&mut gateway).await {
        Err(GatewayError::Unreachable {
            attempts: 2,
            reason,
        }) => {
            assert!(reason.contains("no Ready within"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(connections.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn ready_then_close_does_not_reset_the_backoff() {
    let (url, _) = ws_server(|mut ws| async move {
        authenticate_and_ready(&mut ws).await;
        let _ = ws.close(None).await;
    })
    .await;
    let mut gateway = Gateway::new(quick(url));
    // Records the highest attempt count the state shows.
    let mut status = gateway.status();
    let highest = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&highest);
    tokio::spawn(async move {
        while status.changed().await.is_ok() {
            if let ConnectionState::Disconnected { attempt } = status.borrow().state {
                seen.fetch_max(attempt as usize, Ordering::SeqCst);
            }
        }
    });
    // Each connection lives far less than `stable_after`: the attempts keep counting, so the
    // delays keep growing (a reset at each Ready would keep the count at 1).
    let mut readies = 0;
    while highest.load(Ordering::SeqCst) < 5 {
        if next(&mut gateway).await.unwrap().kind() == "Ready" {
            readies += 1;
        }
        assert!(readies < 30, "the attempts were reset: {highest:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_nested_too_deep_are_skipped_and_counted() {
    let (url, _) = ws_server(|mut ws| async move {
        authenticate_and_ready(&mut ws).await;
        // 250 levels of Bulk in msgpack (3 KB) and 10,000 in JSON.
        let mut nested = json!({"type": "Logout"});
        for _ in 0..250 {
            nested = json!({"type": "Bulk", "v": [nested]});
        }
        let packed = rmp_serde::to_vec_named(&nested).unwrap();
        ws.send(Message::binary(packed)).await.unwrap();
        let json = format!(
            "{}{}{}",
            r#"{"type":"Bulk","v":["#.repeat(10_000),
            r#"{"type":"Logout"}"#,
            "]}".repeat(10_000)
        );
        ws.send(Message::text(json)).await.unwrap();
        ws.send(Message::text(
            r#"{"type":"ChannelStartTyping","id":"01M86CDRZC9YVCV9K979HDVTHQ","user":"01M86CDGJKEQQDSY6RW2KHTPJQ"}"#,
        ))
        .await
        .unwrap();
        while ws.next().await.is_some() {}
    })
    .await;
    // On a runtime worker (2 MiB of stack), as a bot's gateway runs.
    let stats = tokio::spawn(async move {
        let mut gateway = Gateway::new(quick(url));
        loop {
            let event = next(&mut gateway).await.unwrap();
            if event.kind() == "ChannelStartTyping" {
                return gateway.stats();
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(stats.decode_errors, 2);
    assert_eq!(stats.reconnects, 0);
}

#[tokio::test]
async fn a_message_over_the_limit_replaces_the_connection() {
    let (url, connections) = ws_server(|mut ws| async move {
        authenticate_and_ready(&mut ws).await;
        let big = format!(r#"{{"type":"Pong","data":"{}"}}"#, "x".repeat(4096));
        let _ = ws.send(Message::text(big)).await;
        while ws.next().await.is_some() {}
    })
    .await;
    let mut gateway = Gateway::new(quick(url).max_message_size(1024));
    let mut readies = 0;
    while readies < 2 {
        if next(&mut gateway).await.unwrap().kind() == "Ready" {
            readies += 1;
        }
    }
    assert!(connections.load(Ordering::SeqCst) >= 2);
    assert!(gateway.stats().reconnects >= 1);
}

#[tokio::test]
async fn commands_beyond_the_queue_are_refused_while_typing_guards_are_kept() {
    // Nothing polls the gateway: commands pile up to the bound, then are refused.
    let gateway = Gateway::new(quick("ws://127.0.0.1:9".to_owned()));
    let handle = gateway.handle();
    let channel: ChannelId = "01M86CDRZC9YVCV9K979HDVTHQ".parse().unwrap();
    let accepted = (0..COMMAND_QUEUE * 4)
        .filter(|_| handle.begin_typing(channel))
        .count();
    assert_eq!(accepted, COMMAND_QUEUE);
    // Guards live outside the queue: they still work, and close still ends the stream.
    let guard = handle.typing(channel);
    drop(guard);
    handle.close();
    let mut gateway = gateway;
    assert!(
        tokio::time::timeout(HANG, gateway.next())
            .await
            .unwrap()
            .is_none()
    );
}
