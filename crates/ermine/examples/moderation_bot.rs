//! A small moderation bot: greets members who join, and obeys `!members`, `!nick @user name`,
//! `!timeout @user seconds`, `!dm @user text`, `!kick @user` and `!ban @user reason` from
//! members allowed to do so.
//!
//! With `STOAT_TOKEN` set (a bot token; `STOAT_API` for a self-hosted instance) it runs
//! against that instance until interrupted. Without it, it starts the bundled local server,
//! plays a short scripted scene there (someone joins, a moderator gives commands) and exits.
//!
//! ```text
//! cargo run -p ermine --example moderation_bot
//! ```

use std::time::Duration;

use ermine::model::id::UserId;
use ermine::model::permission::{Override, Permissions};
use ermine::{Client, Event};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    if let Ok(token) = std::env::var("STOAT_TOKEN") {
        let api = std::env::var("STOAT_API")
            .unwrap_or_else(|_| ermine::http::DEFAULT_BASE_URL.to_owned());
        let client = Client::builder().bot_token(token).base_url(api).build()?;
        return run(client, false).await;
    }
    local_scene().await
}

/// The bot itself: reacts to events until the stream ends (or, in the local scene, until
/// the first member is removed).
async fn run(client: Client, scene: bool) -> Result<(), Failure> {
    let mut events = client.connect().await?;
    let me = client.http().fetch_self().await?;
    println!("bot: connected as {}", me.tag());
    while let Some(event) = events.next().await {
        match event? {
            Event::Ready(summary) => println!("bot: ready (reconnect: {})", summary.reconnect),
            Event::MemberJoin(member) => {
                let member = client
                    .fetch_member(member.server_id(), member.user_id())
                    .await?;
                println!("bot: welcome, {} ({})", member.mention(), member.tag());
            }
            Event::MemberUpdate {
                after: Some(after),
                partial,
                ..
            } => {
                println!("bot: {} changed: {partial:?}", after.shown_name());
            }
            Event::MemberRemove { user, reason, .. } => {
                println!("bot: {user} left ({reason})");
                if scene && reason.as_str() == "Ban" {
                    break;
                }
            }
            Event::Message(message) if message.author != me.id => {
                if let Err(error) = command(&client, &message).await {
                    println!("bot: command failed: {error}");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `!nick @user name`, `!timeout @user seconds`, `!kick @user`, checked against the
/// author's permissions in the cache.
async fn command(
    client: &Client,
    message: &ermine::model::message::Message,
) -> Result<(), Failure> {
    let Some(text) = message.content.as_deref() else {
        return Ok(());
    };
    let mut words = text.split_whitespace();
    let Some(channel) = client.cache().channel(message.channel) else {
        return Ok(());
    };
    let Some(server) = channel.server() else {
        return Ok(());
    };
    let Some(verb) = words.next() else {
        return Ok(());
    };
    if verb == "!members" {
        // From the cache: no request spent.
        for member in client.cache().members(server) {
            let Some(member) = client.member(server, member.id.user) else {
                continue;
            };
            let top = member.top_role().map_or_else(|| "-".to_owned(), |r| r.name);
            let permissions = member
                .server_permissions()
                .map_or(0, |p| p.api_names().count());
            println!(
                "bot:   {:<14} top role {top:<10} {permissions} permissions",
                member.shown_name()
            );
        }
        return Ok(());
    }
    let Some(target) = words.next() else {
        return Ok(());
    };
    let target: UserId = target
        .trim_start_matches("<@")
        .trim_end_matches('>')
        .parse()?;
    // The cache first: every REST call on a server shares its 5-per-10-s budget.
    let author = match client.member(server, message.author) {
        Some(m) => m,
        None => client.fetch_member(server, message.author).await?,
    };
    let target = match client.member(server, target) {
        Some(m) => m,
        None => client.fetch_member(server, target).await?,
    };
    let allowed = author.server_permissions()?;
    match verb {
        "!nick" if allowed.contains(Permissions::MANAGE_NICKNAMES) => {
            let name = words.collect::<Vec<_>>().join(" ");
            target.edit().nickname(Some(&name)).await?;
            println!("bot: renamed {} to {name}", target.tag());
        }
        "!timeout" if allowed.contains(Permissions::TIMEOUT_MEMBERS) => {
            let seconds: u64 = words.next().unwrap_or("60").parse()?;
            let member = target.timeout(Some(Duration::from_secs(seconds))).await?;
            println!(
                "bot: timed out {} until {:?}",
                target.tag(),
                member.timed_out_until()
            );
        }
        "!kick" if allowed.contains(Permissions::KICK_MEMBERS) => {
            target.kick().await?;
            println!("bot: kicked {}", target.tag());
        }
        "!ban" if allowed.contains(Permissions::BAN_MEMBERS) => {
            let reason = words.collect::<Vec<_>>().join(" ");
            target.ban().reason(&reason).await?;
            println!("bot: banned {} ({reason})", target.tag());
        }
        "!dm" => {
            let text = words.collect::<Vec<_>>().join(" ");
            let typing = target.typing().await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
            target.send(&text).await?;
            drop(typing);
            let history = target.history().with(|h| h.limit(5)).await?;
            println!(
                "bot: sent a DM to {}; the DM now holds {} message(s)",
                target.tag(),
                history.messages().len()
            );
        }
        "!nick" | "!timeout" | "!kick" | "!ban" => println!("bot: {} may not {verb}", author.tag()),
        _ => {}
    }
    Ok(())
}

/// The local scene: a server with an owner, a moderator, a member and the bot.
async fn local_scene() -> Result<(), Failure> {
    // A 1-second rate-limit window keeps the scene short; the real server's is 10 s.
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_secs(1))).await?;
    println!(
        "local server at {} (set STOAT_TOKEN to use a real instance)",
        server.urls().api
    );
    let seed = server.seed();
    let owner = seed.user("owner");
    let moderator = seed.user("moderator");
    let newcomer = seed.user("newcomer");
    let spammer = seed.user("spammer");
    let bot = seed.bot("ermine-bot", owner.id);
    let guild = seed.server("Ermine Demo", owner.id);
    let powers = Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::TIMEOUT_MEMBERS
        | Permissions::MANAGE_NICKNAMES;
    let mods = seed.role(
        guild.id,
        "Moderator",
        0,
        Override::new(powers, Permissions::empty()),
    );
    let bots = seed.role(
        guild.id,
        "Bots",
        1,
        Override::new(powers, Permissions::empty()),
    );
    seed.join(guild.id, moderator.id);
    seed.join(guild.id, bot.id);
    seed.assign(guild.id, moderator.id, &[mods]);
    seed.assign(guild.id, bot.id, &[bots]);

    let client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .build()?;
    let bot_task = tokio::spawn(run(client, true));
    tokio::time::sleep(Duration::from_millis(300)).await;

    let as_user = |token: &str| {
        ermine::http::Client::builder()
            .session_token(token)
            .base_url(server.urls().api.clone())
            .build()
    };
    let owner_http = as_user(&owner.token)?;
    let moderator_http = as_user(&moderator.token)?;
    let newcomer_http = as_user(&newcomer.token)?;
    let invite = reqwest_invite(&server, &owner.token, guild.general).await?;
    newcomer_http.fetch_self().await?;
    join(&server, &newcomer.token, &invite).await?;
    join(&server, &spammer.token, &invite).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    for text in [
        "!members".to_owned(),
        format!("!nick <@{}> Newbie", newcomer.id),
        format!("!timeout <@{}> 600", newcomer.id),
        format!("!dm <@{}> Welcome! Please read the rules.", newcomer.id),
        format!("!kick <@{}>", newcomer.id),
        format!("!ban <@{}> spam links", spammer.id),
    ] {
        println!("moderator: {text}");
        moderator_http
            .send_message(guild.general)
            .content(&text)
            .await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    owner_http.fetch_self().await?;
    match tokio::time::timeout(Duration::from_secs(30), bot_task).await {
        Ok(done) => done??,
        Err(_) => println!("scene over"),
    }
    Ok(())
}

async fn reqwest_invite(
    server: &TestServer,
    token: &str,
    channel: ermine::model::id::ChannelId,
) -> Result<String, Failure> {
    let answer = http_call(
        server,
        "POST",
        &format!("/channels/{channel}/invites"),
        token,
    )
    .await?;
    let value: serde_json::Value = serde_json::from_str(&answer)?;
    Ok(value["_id"].as_str().unwrap_or_default().to_owned())
}

async fn join(server: &TestServer, token: &str, code: &str) -> Result<(), Failure> {
    http_call(server, "POST", &format!("/invites/{code}"), token)
        .await
        .map(|_| ())
}

/// Routes the HTTP client does not cover (invites) through a plain HTTP/1.1 request.
async fn http_call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: &str,
) -> Result<String, Failure> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nX-Session-Token: {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    Ok(answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned())
}
