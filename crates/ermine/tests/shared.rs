//! Two clients sharing one cache through Redis: the bot (writer, with the events connection)
//! and a dashboard (follower, without one) that reads the same members.

#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../ermine-redis/tests/support/mod.rs"]
mod redis_support;
mod support;

use std::time::{Duration, Instant};

use ermine::Client;
use ermine::redis::{RedisConfig, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_reads_the_members_the_bot_caches() {
    let Some(redis) = redis_support::Redis::start() else {
        return;
    };
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("helper", owner.id);
    let guild = seed.server("G", owner.id);
    seed.join(guild.id, bot.id);
    let members = seed.members(guild.id, 5);

    let shared = RedisConfig::new(redis.url()).namespace("facade");
    let bot_client = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .redis(shared.clone(), Role::Writer)
        .build_shared()
        .await
        .unwrap();
    let dashboard = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .redis(shared, Role::Follower)
        .build_shared()
        .await
        .unwrap();

    let _events = support::connected(&bot_client).await;
    bot_client.fetch_members(guild.id).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while dashboard.cache().member_count(guild.id) < 7 {
        assert!(Instant::now() < deadline, "the dashboard sees the members");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let from_dashboard = dashboard.member(guild.id, members[0]).unwrap();
    assert_eq!(
        from_dashboard.name(),
        bot_client.member(guild.id, members[0]).unwrap().name()
    );
    // The bot's requests went through the shared limiter (no error; the budget is Redis's).
    assert!(bot_client.fetch_member(guild.id, members[1]).await.is_ok());
}

#[tokio::test]
async fn redis_url_chooses_sharing_and_its_absence_keeps_everything_in_process() {
    let url = std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty());
    assert!(
        url.is_some() || std::env::var_os("CI").is_none(),
        "CI starts a Redis server and sets REDIS_URL"
    );
    let client = Client::builder()
        .bot_token("token")
        .base_url("http://127.0.0.1:9")
        .build_shared()
        .await
        .unwrap();
    let backend = format!("{:?}", client.cache_backend());
    if url.is_some() {
        assert!(backend.starts_with("RedisCache"), "{backend}");
    } else {
        assert!(backend.starts_with("Cache"), "{backend}");
    }
}
