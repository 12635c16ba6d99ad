//! The gateway against the local server's fault controls, in JSON and in msgpack.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::time::{Duration, Instant};

use ermine_gateway::{
    AuthMode, Backoff, ConnectionState, Format, Gateway, GatewayConfig, GatewayError,
};
use ermine_model::event::ServerEvent;
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;
use serde_json::json;

const FORMATS: [Format; 2] = [Format::Json, Format::Msgpack];

async fn server() -> TestServer {
    TestServer::start_with(Config::default().rate_limits(false))
        .await
        .unwrap()
}

fn config(server: &TestServer, token: &str, format: Format) -> GatewayConfig {
    GatewayConfig::new(server.urls().events.clone(), token)
        .format(format)
        .backoff(Backoff::new(
            Duration::from_millis(10),
            Duration::from_millis(100),
        ))
}

/// The next event of `kind`, skipping others (fails after 5 s).
async fn expect(gateway: &mut Gateway, kind: &str) -> ServerEvent {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let item = tokio::time::timeout(left, gateway.next())
            .await
            .unwrap_or_else(|_| panic!("no {kind} within 5 s"))
            .unwrap_or_else(|| panic!("stream ended before {kind}"));
        let event = item.unwrap_or_else(|e| panic!("fatal before {kind}: {e}"));
        if event.kind() == kind {
            return event;
        }
    }
}

#[tokio::test]
async fn connects_pings_types_and_reports_its_state() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let guild = server.seed().server("G", alice.id);
        for auth in [AuthMode::Query, AuthMode::Frame] {
            let mut gateway = Gateway::new(
                config(&server, &alice.token, format)
                    .auth(auth)
                    .heartbeat(Duration::from_millis(50), Duration::from_secs(2)),
            );
            expect(&mut gateway, "Authenticated").await;
            let ready = expect(&mut gateway, "Ready").await;
            let ServerEvent::Ready(ready) = ready else {
                unreachable!()
            };
            assert_eq!(ready.servers.unwrap()[0].id, guild.id);
            assert_eq!(gateway.state(), ConnectionState::Ready);

            let handle = gateway.handle();
            let guard = handle.typing(guild.general);
            let ServerEvent::ChannelStartTyping(start) =
                expect(&mut gateway, "ChannelStartTyping").await
            else {
                unreachable!()
            };
            assert_eq!((start.id, start.user), (guild.general, alice.id));
            drop(guard);
            expect(&mut gateway, "ChannelStopTyping").await;

            // Pings are answered: a latency appears.
            let mut status = gateway.status();
            let drive = async {
                while status.borrow().latency.is_none() {
                    tokio::select! {
                        _ = gateway.next() => {}
                        _ = status.changed() => {}
                    }
                }
            };
            tokio::time::timeout(Duration::from_secs(3), drive)
                .await
                .expect("a pong arrives");
            handle.close();
            while gateway.next().await.is_some() {}
            assert_eq!(gateway.state(), ConnectionState::Closed);
        }
    }
}

#[tokio::test]
async fn a_bad_token_ends_the_stream_with_a_typed_error_and_no_retry() {
    for format in FORMATS {
        for auth in [AuthMode::Query, AuthMode::Frame] {
            let server = server().await;
            let mut gateway = Gateway::new(config(&server, "invalid-token-xyz", format).auth(auth));
            let first = gateway.next().await.expect("an item");
            assert_eq!(first.unwrap_err(), GatewayError::InvalidToken);
            assert!(gateway.next().await.is_none(), "then the stream ends");
            assert_eq!(gateway.state(), ConnectionState::Closed);
            assert_eq!(gateway.stats().reconnects, 0);
        }
    }
}

#[tokio::test]
async fn logout_ends_the_stream() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let mut gateway = Gateway::new(config(&server, &alice.token, format));
        expect(&mut gateway, "Ready").await;
        reqwest_logout(&server, &alice.token).await;
        let item = tokio::time::timeout(Duration::from_secs(2), gateway.next())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(item.unwrap_err(), GatewayError::LoggedOut);
        assert!(gateway.next().await.is_none());
        assert_eq!(gateway.stats().reconnects, 0);
    }
}

async fn reqwest_logout(server: &TestServer, token: &str) {
    let url = format!("{}/auth/session/logout", server.urls().api);
    let status = http_post(&url, token).await;
    assert_eq!(status, 204);
}

/// A minimal HTTP/1.1 POST with a session token, so this crate needs no HTTP client.
async fn http_post(url: &str, token: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!(
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\nX-Session-Token: {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn fifty_drops_fifty_reconnects_each_with_a_fresh_ready() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let mut gateway = Gateway::new(config(&server, &alice.token, format));
        expect(&mut gateway, "Ready").await;
        for _ in 0..50 {
            // Wait until the server has the socket, then drop it.
            tokio::time::timeout(
                Duration::from_secs(5),
                server.control().wait_for_sockets(|n| *n > 0),
            )
            .await
            .expect("the gateway reconnects");
            assert_eq!(server.control().drop_sockets(), 1);
            expect(&mut gateway, "Ready").await;
        }
        assert_eq!(gateway.stats().reconnects, 50);
        assert_eq!(gateway.state(), ConnectionState::Ready);
    }
}

#[tokio::test]
async fn withheld_pongs_replace_the_connection_within_interval_plus_timeout() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let interval = Duration::from_millis(100);
        let timeout = Duration::from_millis(150);
        let mut gateway =
            Gateway::new(config(&server, &alice.token, format).heartbeat(interval, timeout));
        expect(&mut gateway, "Ready").await;
        server.control().answer_pings(false);
        let started = Instant::now();
        expect(&mut gateway, "Ready").await;
        let took = started.elapsed();
        assert!(
            took < interval + timeout + Duration::from_secs(2),
            "replaced after {took:?}"
        );
        assert_eq!(gateway.stats().reconnects, 1);
        server.control().answer_pings(true);
    }
}

/// Drives `gateway` (its events dropped) until the server has received `count` pings in all.
async fn drive_until_pings(gateway: &mut Gateway, server: &TestServer, count: u64) {
    let control = server.control();
    let reached = control.wait_for_pings(count);
    tokio::pin!(reached);
    loop {
        tokio::select! {
            () = &mut reached => return,
            item = gateway.next() => assert!(item.is_some(), "the gateway ended"),
        }
    }
}

#[tokio::test]
async fn a_pong_that_arrived_while_the_consumer_was_busy_is_not_late() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let bob = server.seed().user("bob");
        // The busy consumer's pongs are late after 40 ms; the other client only marks time.
        let mut busy = Gateway::new(
            config(&server, &alice.token, format)
                .heartbeat(Duration::from_millis(20), Duration::from_millis(40)),
        );
        let mut clock = Gateway::new(
            config(&server, &bob.token, format)
                .heartbeat(Duration::from_millis(20), Duration::from_mins(1)),
        );
        expect(&mut busy, "Ready").await;
        expect(&mut clock, "Ready").await;
        let control = server.control();
        for _ in 0..20 {
            // A ping of the busy one goes out and is answered at once...
            drive_until_pings(&mut busy, &server, control.pings() + 1).await;
            // ...while its consumer reads nothing for five of the other's pings (> 80 ms).
            drive_until_pings(&mut clock, &server, control.pings() + 5).await;
            // Read again: the pong waiting since then counts as in time.
            drive_until_pings(&mut busy, &server, control.pings() + 1).await;
        }
        assert_eq!(busy.stats().reconnects, 0, "{format:?}");
        assert_eq!(control.sockets_opened(), 2, "{format:?}");
    }
}

#[tokio::test]
async fn malformed_and_unknown_frames_are_skipped_and_counted() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let mut gateway = Gateway::new(config(&server, &alice.token, format));
        expect(&mut gateway, "Ready").await;
        let control = server.control();
        control.inject_frame(alice.id, json!({"type": 5}));
        control.inject_frame(
            alice.id,
            json!({"type": "ServerMemberUpdate", "id": "nope"}),
        );
        control.inject_frame(alice.id, json!({"type": "Bees", "buzz": true}));
        control.inject_frame(alice.id, json!({"type": "Bulk", "v": [{"type": "Bees"}, {"type": "ChannelStartTyping", "id": "01M86CDRZC5Y42Q4GC71KR5ZC0", "user": "01M86CDGJKEQQDSY6RW2KHTPJQ"}]}));
        let ServerEvent::Unknown(raw) = expect(&mut gateway, "Bees").await else {
            unreachable!()
        };
        assert_eq!(raw["buzz"], true);
        expect(&mut gateway, "Bees").await;
        expect(&mut gateway, "ChannelStartTyping").await;
        assert_eq!(gateway.stats().decode_errors, 2);
        assert_eq!(gateway.stats().reconnects, 0, "the connection is kept");
    }
}

#[tokio::test]
async fn a_typing_guard_is_renewed_while_it_lives_and_seen_by_others() {
    for format in FORMATS {
        let server = server().await;
        let alice = server.seed().user("alice");
        let bob = server.seed().user("bob");
        let guild = server.seed().server("G", alice.id);
        server.seed().join(guild.id, bob.id);
        let mut typist = Gateway::new(
            config(&server, &alice.token, format).typing_renew(Duration::from_millis(50)),
        );
        let mut watcher = Gateway::new(config(&server, &bob.token, format));
        expect(&mut typist, "Ready").await;
        expect(&mut watcher, "Ready").await;
        let guard = typist.handle().typing(guild.general);
        let second = typist.handle().typing(guild.general);
        // Drive the typist for a while so that it renews.
        let _ = tokio::time::timeout(Duration::from_millis(260), async {
            while typist.next().await.is_some() {}
        })
        .await;
        drop(guard);
        let _ = tokio::time::timeout(Duration::from_millis(60), async {
            while typist.next().await.is_some() {}
        })
        .await;
        drop(second);
        let _ = tokio::time::timeout(Duration::from_millis(60), async {
            while typist.next().await.is_some() {}
        })
        .await;
        let mut starts = 0;
        let mut stops = 0;
        let _ = tokio::time::timeout(Duration::from_millis(300), async {
            while let Some(Ok(event)) = watcher.next().await {
                match event.kind() {
                    "ChannelStartTyping" => starts += 1,
                    "ChannelStopTyping" => stops += 1,
                    _ => {}
                }
            }
        })
        .await;
        assert!(starts >= 2, "renewed while alive: {starts} starts");
        assert_eq!(stops, 1, "one stop, when the last guard went");
    }
}
