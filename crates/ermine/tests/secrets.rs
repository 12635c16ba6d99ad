//! No credential reaches a log: every `trace` record of a whole session (events connection,
//! REST calls, an error, the client's `Debug`) from ermine and the libraries under it
//! (tungstenite, reqwest, hyper), captured and searched for the token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ermine::Client;
use futures_util::StreamExt;
use tracing_subscriber::util::SubscriberInitExt as _;

/// A log writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The local server on a thread and runtime of its own, so that only the client's records
/// reach the capture (the server's WebSocket library logs what it receives).
fn server_elsewhere() -> (
    ermine_testkit::Urls,
    ermine_testkit::SeededUser,
    ermine_testkit::SeededServer,
    ermine_testkit::SeededBot,
    std::sync::mpsc::Sender<()>,
) {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let server = support::local_server().await;
            let alice = server.seed().user("alice");
            let guild = server.seed().server("Guild", alice.id);
            let bot = server.seed().bot("helper", alice.id);
            server.seed().join(guild.id, bot.id);
            ready_tx
                .send((server.urls().clone(), alice, guild, bot))
                .unwrap();
            tokio::task::spawn_blocking(move || stop_rx.recv())
                .await
                .unwrap()
                .ok();
            drop(server);
        });
    });
    let (urls, alice, guild, bot) = ready_rx.recv().unwrap();
    (urls, alice, guild, bot, stop_tx)
}

#[tokio::test]
async fn a_whole_session_logs_no_token() {
    let (urls, _alice, guild, bot, stop) = server_elsewhere();
    let captured = Captured::default();
    let writer = captured.clone();
    // This thread's records (the test runs on one thread), with `log` records (tungstenite,
    // reqwest, hyper) forwarded to tracing.
    let _logging = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .set_default();

    let client = Client::builder()
        .bot_token(&bot.token)
        .base_url(&urls.api)
        .build()
        .unwrap();
    let mut events = support::connected(&client).await;
    client.fetch_members(guild.id).await.unwrap();
    client
        .http()
        .send_message(guild.general)
        .content("hello")
        .await
        .unwrap();
    let refused = client
        .http()
        .fetch_member(guild.id, "01M86CDGJKEQQDSY6RW2KHTPJQ".parse().unwrap())
        .await
        .unwrap_err();
    tracing::info!(?refused, ?client, "end of session");
    // The message's event went through the events connection too.
    while let Some(event) = events.next().await {
        if matches!(event.unwrap(), ermine::Event::Message(_)) {
            break;
        }
    }
    drop(events);
    let _ = stop.send(());

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.len() > 10_000, "the capture works: {} bytes", log.len());
    assert!(log.contains("tungstenite"), "library records are captured");
    assert!(log.contains("Authenticated"), "frames are traced");
    let leaks: Vec<&str> = log.lines().filter(|l| l.contains(&bot.token)).collect();
    assert!(
        leaks.is_empty(),
        "the token appears in the logs: {leaks:#?}"
    );
}
