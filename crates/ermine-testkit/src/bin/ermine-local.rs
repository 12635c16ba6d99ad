//! `ermine-local`: a local Stoat-compatible server for running and testing bots offline.
//!
//! ```text
//! ermine-local [--port 14702] [--seed demo] [--window-ms 10000] [--voice]
//! ```
//!
//! Prints one JSON line with its URLs (and, with `--seed demo`, the demo credentials), then
//! serves until interrupted.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ermine_model::permission::{Override, Permissions};
use ermine_testkit::{Config, TestServer};
use serde_json::json;

struct Args {
    port: u16,
    demo: bool,
    window: Option<Duration>,
    voice: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 14702,
        demo: false,
        window: None,
        voice: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                let value = it.next().ok_or("--port needs a value")?;
                args.port = value.parse().map_err(|_| format!("bad port: {value}"))?;
            }
            "--seed" => match it.next().as_deref() {
                Some("demo") => args.demo = true,
                other => return Err(format!("unknown seed: {}", other.unwrap_or(""))),
            },
            "--window-ms" => {
                let value = it.next().ok_or("--window-ms needs a value")?;
                let ms: u64 = value.parse().map_err(|_| format!("bad window: {value}"))?;
                args.window = Some(Duration::from_millis(ms));
            }
            "--voice" => args.voice = true,
            "--help" | "-h" => {
                return Err(
                    "usage: ermine-local [--port N] [--seed demo] [--window-ms N] [--voice]"
                        .to_owned(),
                );
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::default().voice(args.voice);
    if let Some(window) = args.window {
        config = config.rate_limit_window(window);
    }
    let server = match TestServer::bind(config, SocketAddr::from(([127, 0, 0, 1], args.port))).await
    {
        Ok(server) => server,
        Err(error) => {
            eprintln!("cannot listen on port {}: {error}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let urls = server.urls();
    let mut line = json!({ "api": urls.api, "events": urls.events, "files": urls.files });
    if args.demo {
        line["demo"] = demo(&server);
    }
    println!("{line}");
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
    ExitCode::SUCCESS
}

/// The demo world: an owner, a member, a bot and a server with roles and messages.
fn demo(server: &TestServer) -> serde_json::Value {
    let seed = server.seed();
    let alice = seed.user("alice");
    let bob = seed.user("bob");
    let carol = seed.user("carol");
    let bot = seed.bot("ermine-demo", alice.id);
    let guild = seed.server("Ermine Demo", alice.id);
    let moderator = seed.role(
        guild.id,
        "Moderator",
        0,
        Override::new(
            Permissions::KICK_MEMBERS
                | Permissions::BAN_MEMBERS
                | Permissions::TIMEOUT_MEMBERS
                | Permissions::MANAGE_NICKNAMES
                | Permissions::ASSIGN_ROLES,
            Permissions::empty(),
        ),
    );
    let member = seed.role(guild.id, "Member", 1, Override::default());
    for user in [bob.id, carol.id, bot.id] {
        seed.join(guild.id, user);
    }
    seed.assign(guild.id, bot.id, &[moderator]);
    seed.assign(guild.id, bob.id, &[member]);
    seed.message(
        guild.general,
        alice.id,
        "Welcome to the ermine demo server!",
    );
    seed.message(guild.general, bob.id, "Hello from bob");
    let user = |u: &ermine_testkit::SeededUser| json!({ "id": u.id, "username": u.username, "token": u.token, "email": u.email });
    json!({
        "users": { "alice": user(&alice), "bob": user(&bob), "carol": user(&carol) },
        "password": ermine_testkit::seed::PASSWORD,
        "bot": { "id": bot.id, "token": bot.token, "owner": alice.id },
        "server": guild.id,
        "channel": guild.general,
        "roles": { "moderator": moderator, "member": member },
    })
}
