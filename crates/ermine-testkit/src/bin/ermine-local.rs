//! `ermine-local`: a local Stoat-compatible server for running and testing bots offline.
//!
//! ```text
//! ermine-local [--port 14702] [--events-port 14703] [--seed demo] [--window-ms 10000]
//!              [--voice] [--control-token TOKEN]
//! ```
//!
//! Prints one JSON line with its URLs, the test controls' token (and, with `--seed demo`, the
//! demo credentials), then serves until interrupted.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ermine_model::permission::{Override, Permissions};
use ermine_testkit::{Config, TestServer};
use serde_json::json;

const USAGE: &str = "\
usage: ermine-local [options]

A local Stoat-compatible server for running and testing bots offline. Prints one JSON line
with its API, events and file-server URLs and its control token, then serves until
interrupted.

options:
  --port N             the API's port (default 14702; 0 picks a free one)
  --events-port N      the events socket's port (default: the API's port + 1; 0 picks one)
  --seed NAME          fill the server with a world; seeds: demo
  --window-ms N        rate-limit window in milliseconds (default 10000, as the real server)
  --voice              answer join_call as a server with voice configured
  --control-token T    the token the test controls under /__ermine require (default random)
  -h, --help           print this help
  -V, --version        print the version";

/// The seeds `--seed` knows.
const SEEDS: [&str; 1] = ["demo"];

struct Args {
    port: u16,
    events_port: Option<u16>,
    demo: bool,
    window: Option<Duration>,
    voice: bool,
    control_token: Option<String>,
}

/// What the command line asks for.
enum Command {
    Serve(Args),
    /// Print this on stdout and exit successfully.
    Print(String),
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: not a valid number: {value}"))
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut parsed = Args {
        port: 14702,
        events_port: None,
        demo: false,
        window: None,
        voice: false,
        control_token: None,
    };
    let mut it = args;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => parsed.port = number("--port", it.next())?,
            "--events-port" => parsed.events_port = Some(number("--events-port", it.next())?),
            "--seed" => match it.next().as_deref() {
                Some("demo") => parsed.demo = true,
                Some(other) => {
                    return Err(format!(
                        "unknown seed {other:?}; valid seeds: {}",
                        SEEDS.join(", ")
                    ));
                }
                None => {
                    return Err(format!(
                        "--seed needs a value; valid seeds: {}",
                        SEEDS.join(", ")
                    ));
                }
            },
            "--window-ms" => {
                parsed.window = Some(Duration::from_millis(number("--window-ms", it.next())?));
            }
            "--voice" => parsed.voice = true,
            "--control-token" => {
                parsed.control_token = Some(it.next().ok_or("--control-token needs a value")?);
            }
            "--help" | "-h" => return Ok(Command::Print(USAGE.to_owned())),
            "--version" | "-V" => {
                return Ok(Command::Print(format!(
                    "ermine-local {}",
                    env!("CARGO_PKG_VERSION")
                )));
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Command::Serve(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(args)) => args,
        Ok(Command::Print(text)) => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("ermine-local: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let events_port = args.events_port.unwrap_or(if args.port == 0 {
        0
    } else {
        args.port.saturating_add(1)
    });
    let mut config = Config::default().voice(args.voice).events_port(events_port);
    if let Some(token) = args.control_token {
        config = config.control_token(token);
    }
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
    let mut line = json!({
        "api": urls.api,
        "events": urls.events,
        "files": urls.files,
        "control_token": server.control_token(),
    });
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
    // A friend and a DM partner made after alice (larger IDs), as real accounts have.
    seed.friends(alice.id, carol.id);
    let dm = seed.dm(alice.id, bot.id);
    seed.message(dm, bot.id, "Hi alice, I am your bot");
    let user = |u: &ermine_testkit::SeededUser| json!({ "id": u.id, "username": u.username, "token": u.token, "email": u.email });
    json!({
        "users": { "alice": user(&alice), "bob": user(&bob), "carol": user(&carol) },
        "password": ermine_testkit::seed::PASSWORD,
        "bot": { "id": bot.id, "token": bot.token, "owner": alice.id },
        "server": guild.id,
        "channel": guild.general,
        "dm": dm,
        "roles": { "moderator": moderator, "member": member },
    })
}
