//! Load check of the local server: a 100,000-member server and 1,000 concurrent event
//! sockets. Prints what it measured; exits non-zero on any error.
//!
//! ```text
//! cargo run --release -p ermine-testkit --example load_check [-- MEMBERS SOCKETS]
//! ```
//! Needs a file-descriptor limit above twice the socket count (`ulimit -n`).

#![allow(clippy::too_many_lines, clippy::cast_precision_loss)]

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ermine_testkit::{Config, TestServer};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let members: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let sockets: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    match run(members, sockets).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load check failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(members: usize, sockets: usize) -> Result<(), Failure> {
    let server = TestServer::start_with(Config::default().rate_limits(false)).await?;
    let seed = server.seed();
    let owner = seed.user("owner");
    let guild = seed.server("Load", owner.id);

    let started = Instant::now();
    seed.members(guild.id, members);
    println!("seeded {members} members in {:.2?}", started.elapsed());

    let http = reqwest::Client::new();
    let started = Instant::now();
    let all = http
        .get(format!(
            "{}/servers/{}/members",
            server.urls().api,
            guild.id
        ))
        .header("x-session-token", &owner.token)
        .send()
        .await?;
    let status = all.status();
    let body = all.bytes().await?;
    let parsed: Value = serde_json::from_slice(&body)?;
    let count = parsed["members"].as_array().map_or(0, Vec::len);
    println!(
        "GET members: {status}, {count} members, {:.1} MB in {:.2?}",
        body.len() as f64 / 1e6,
        started.elapsed()
    );
    if !status.is_success() || count != members + 1 {
        return Err(format!("member list: status {status}, {count} members").into());
    }

    // Socket owners: users with sessions, members of the server.
    let users: Vec<_> = (0..sockets)
        .map(|i| {
            let user = seed.user(&format!("listener{i}"));
            seed.join(guild.id, user.id);
            user
        })
        .collect();
    let started = Instant::now();
    let mut connections = Vec::with_capacity(sockets);
    for user in &users {
        let url = format!(
            "{}/?version=1&format=json&token={}",
            server.urls().events,
            user.token
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
        // Authenticated, then Ready.
        for _ in 0..2 {
            ws.next().await.ok_or("socket closed during handshake")??;
        }
        connections.push(ws);
    }
    println!(
        "{sockets} sockets authenticated and ready in {:.2?}",
        started.elapsed()
    );

    let started = Instant::now();
    let sent = http
        .post(format!(
            "{}/channels/{}/messages",
            server.urls().api,
            guild.general
        ))
        .header("x-session-token", &owner.token)
        .json(&json!({"content": "load check"}))
        .send()
        .await?;
    if !sent.status().is_success() {
        return Err(format!("message send: {}", sent.status()).into());
    }
    let mut tasks = Vec::with_capacity(sockets);
    for mut ws in connections {
        tasks.push(tokio::spawn(async move {
            loop {
                let frame = tokio::time::timeout(Duration::from_secs(30), ws.next())
                    .await
                    .map_err(|_| "timed out waiting for the message")?
                    .ok_or("socket closed")??;
                if let Message::Text(text) = frame {
                    let event: Value = serde_json::from_str(text.as_str())?;
                    if event["type"] == "Message" {
                        ws.send(Message::Close(None)).await.ok();
                        return Ok::<(), Failure>(());
                    }
                }
            }
        }));
    }
    let mut errors = 0;
    for task in tasks {
        if !matches!(task.await, Ok(Ok(()))) {
            errors += 1;
        }
    }
    println!(
        "message fanned out to {} of {sockets} sockets in {:.2?} ({errors} errors)",
        sockets - errors,
        started.elapsed()
    );
    if errors > 0 {
        return Err(format!("{errors} sockets did not get the message").into());
    }
    Ok(())
}
