//! What the facade's tests share: a local server with short rate-limit windows, and a
//! connected client past its `Ready`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ermine::{Client, Event, Events};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

/// The local server's configuration for tests: 50 ms rate-limit windows (the client's
/// limiter learns them from the headers).
pub(crate) fn config() -> Config {
    Config::default().rate_limit_window(Duration::from_millis(50))
}

/// A local server with [`config`].
pub(crate) async fn local_server() -> TestServer {
    TestServer::start_with(config()).await.unwrap()
}

/// Connects `client` and returns its events once `Ready` has been applied.
pub(crate) async fn connected(client: &Client) -> Events {
    let mut events = client.connect().await.unwrap();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .expect("Ready within 5 s")
            .unwrap()
            .unwrap();
        if let Event::Ready(_) = event {
            return events;
        }
    }
}

/// The next event the predicate picks (others skipped), within 5 s.
pub(crate) async fn next(events: &mut Events, what: &str, pick: impl Fn(&Event) -> bool) -> Event {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap_or_else(|_| panic!("no {what} within 5 s"))
            .unwrap_or_else(|| panic!("stream ended before {what}"))
            .unwrap();
        if pick(&event) {
            return event;
        }
    }
}
