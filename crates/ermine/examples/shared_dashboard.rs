//! A bot and a dashboard in two roles sharing one cache through Redis: the bot (the writer)
//! runs the events connection; the dashboard (a follower) never connects and reads the same
//! members, kept in step through Redis.
//!
//! Runs against the bundled local server; needs a Redis server at `REDIS_URL`:
//!
//! ```text
//! REDIS_URL=redis://127.0.0.1:6379/ cargo run -p ermine --features redis --example shared_dashboard
//! ```

use std::time::Duration;

use ermine::redis::{RedisConfig, Role};
use ermine::{Client, Event};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let Some(redis) = RedisConfig::from_env() else {
        println!("set REDIS_URL (for example redis://127.0.0.1:6379/) to run this example");
        return Ok(());
    };
    let redis = redis.namespace(format!("dashboard-example-{}", std::process::id()));
    let server = TestServer::start_with(Config::default()).await?;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("ermine-bot", owner.id);
    let guild = seed.server("Shared Demo", owner.id);
    seed.join(guild.id, bot.id);
    let members = seed.members(guild.id, 5);

    // The bot: writes what it learns to Redis.
    let bot_client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .redis(redis.clone(), Role::Writer)
        .build_shared()
        .await?;
    // The dashboard: only follows.
    let dashboard = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .redis(redis, Role::Follower)
        .build_shared()
        .await?;

    let mut events = bot_client.connect().await?;
    while !matches!(events.next().await.transpose()?, Some(Event::Ready(_))) {}
    bot_client.fetch_members(guild.id).await?;
    let bot_task = tokio::spawn(async move { while events.next().await.is_some() {} });

    wait_for(|| dashboard.cache().member_count(guild.id) == 7).await?;
    println!(
        "dashboard: {} members",
        dashboard.cache().member_count(guild.id)
    );

    // A change on the server reaches the bot's events, then the dashboard through Redis.
    let owner_http = ermine::http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()?;
    owner_http
        .edit_member(guild.id, members[0])
        .nickname(Some("Renamed"))
        .await?;
    wait_for(|| {
        dashboard
            .member(guild.id, members[0])
            .is_some_and(|m| m.nick() == Some("Renamed"))
    })
    .await?;
    let renamed = dashboard
        .member(guild.id, members[0])
        .ok_or("the member is cached")?;
    println!(
        "dashboard: {} is now {}",
        renamed.tag(),
        renamed.shown_name()
    );
    bot_task.abort();
    Ok(())
}

async fn wait_for(check: impl Fn() -> bool) -> Result<(), Failure> {
    for _ in 0..500 {
        if check() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("the dashboard did not catch up within 10 s".into())
}
