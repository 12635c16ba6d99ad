//! The cache fed by the gateway from the local server while members change and sockets
//! drop: at the end it equals the server's state, member for member (JSON and msgpack).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use ermine_cache::{Cache, CacheConfig, Change};
use ermine_gateway::{Backoff, Format, Gateway, GatewayConfig};
use ermine_http::Client;
use ermine_http::ratelimit::Unlimited;
use ermine_model::id::{RoleId, ServerId};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;
use serde_json::{Value, json};

fn http(server: &TestServer, token: &str) -> Client {
    Client::builder()
        .session_token(token)
        .base_url(server.urls().api.clone())
        .rate_limiter(Arc::new(Unlimited))
        .build()
        .unwrap()
}

async fn raw(server: &TestServer, method: &str, path: &str, token: &str, body: Value) -> Value {
    let answer = reqwest::Client::new()
        .request(
            method.parse().unwrap(),
            format!("{}{path}", server.urls().api),
        )
        .header("x-session-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "{method} {path}: {}",
        answer.status()
    );
    answer.json().await.unwrap_or(Value::Null)
}

/// Feeds the cache from the gateway; refreshes member lists on every Ready.
async fn drive(
    mut gateway: Gateway,
    cache: Arc<Cache>,
    client: Client,
    server: ServerId,
    readies: Arc<tokio::sync::watch::Sender<u64>>,
) {
    while let Some(item) = gateway.next().await {
        let Ok(event) = item else { break };
        if let Change::Ready(_) = cache.update(&event) {
            // Ready carries only our own member: fetch the full list, as a bot keeping full
            // member lists does, and let the cache say what differed.
            let list = client.fetch_members(server).await.unwrap();
            cache.replace_members(server, &list);
            readies.send_modify(|n| *n += 1);
        }
    }
}

async fn run(format: Format) {
    let server = TestServer::start_with(Config::default().rate_limits(false))
        .await
        .unwrap();
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("watcher", owner.id);
    let guild = seed.server("Live", owner.id);
    seed.join(guild.id, bot.id);
    let people: Vec<_> = (0..10).map(|i| seed.user(&format!("p{i}"))).collect();
    for p in &people {
        seed.join(guild.id, p.id);
    }
    let admin = http(&server, &owner.token);
    let invite = raw(
        &server,
        "POST",
        &format!("/channels/{}/invites", guild.general),
        &owner.token,
        json!({}),
    )
    .await;
    let code = invite["_id"].as_str().unwrap().to_owned();

    let cache = Arc::new(Cache::with_config(
        CacheConfig::default().keep_member_lists(true),
    ));
    let readies = Arc::new(tokio::sync::watch::Sender::new(0_u64));
    let config = GatewayConfig::new(server.urls().events.clone(), bot.token.clone())
        .format(format)
        .backoff(Backoff::new(
            Duration::from_millis(5),
            Duration::from_millis(50),
        ));
    let bot_http = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(server.urls().api.clone())
        .rate_limiter(Arc::new(Unlimited))
        .build()
        .unwrap();
    let driver = tokio::spawn(drive(
        Gateway::new(config),
        Arc::clone(&cache),
        bot_http,
        guild.id,
        Arc::clone(&readies),
    ));
    tokio::time::timeout(
        Duration::from_secs(5),
        readies.subscribe().wait_for(|n| *n > 0),
    )
    .await
    .expect("a first Ready")
    .expect("the driver runs");

    let mut roles: Vec<RoleId> = Vec::new();
    let mut drops = 0;
    for i in 0..100 {
        let p = &people[i % people.len()];
        match i % 6 {
            0 => {
                admin
                    .edit_member(guild.id, p.id)
                    .nickname(Some(&format!("n{i}")))
                    .await
                    .unwrap();
            }
            1 => {
                let role = raw(
                    &server,
                    "POST",
                    &format!("/servers/{}/roles", guild.id),
                    &owner.token,
                    json!({"name": format!("r{i}")}),
                )
                .await;
                let role: RoleId = role["id"].as_str().unwrap().parse().unwrap();
                roles.push(role);
                admin
                    .edit_member(guild.id, p.id)
                    .roles(Some(&[role]))
                    .await
                    .unwrap();
            }
            2 => {
                admin.kick_member(guild.id, p.id).await.unwrap();
                raw(
                    &server,
                    "POST",
                    &format!("/invites/{code}"),
                    &p.token,
                    json!({}),
                )
                .await;
            }
            3 => {
                if let Some(role) = roles.pop() {
                    raw(
                        &server,
                        "DELETE",
                        &format!("/servers/{}/roles/{role}", guild.id),
                        &owner.token,
                        json!({}),
                    )
                    .await;
                }
            }
            4 => {
                let mut ranked = roles.clone();
                ranked.reverse();
                if !ranked.is_empty() {
                    raw(
                        &server,
                        "PATCH",
                        &format!("/servers/{}/roles/ranks", guild.id),
                        &owner.token,
                        json!({"ranks": ranked}),
                    )
                    .await;
                }
            }
            _ => {
                admin
                    .ban_member(guild.id, p.id)
                    .reason("test")
                    .await
                    .unwrap();
                admin.unban_member(guild.id, p.id).await.unwrap();
                raw(
                    &server,
                    "POST",
                    &format!("/invites/{code}"),
                    &p.token,
                    json!({}),
                )
                .await;
            }
        }
        if i % 2 == 1 {
            tokio::time::timeout(
                Duration::from_secs(5),
                server.control().wait_for_sockets(|n| *n > 0),
            )
            .await
            .expect("the gateway reconnects");
            drops += server.control().drop_sockets();
        }
    }
    assert_eq!(drops, 50, "every drop found a connected socket");

    // Settle: wait until the last reconnect's refresh is done and no event is in flight.
    let expected = admin.fetch_members(guild.id).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let cached = cache.member_map(guild.id);
        let equal = expected.members.len() == cached.len()
            && expected
                .members
                .iter()
                .all(|m| cached.get(&m.id.user) == Some(m));
        // A Ready (and its refresh) after every drop.
        if equal && *readies.borrow() >= 51 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "cache never matched the server: {} vs {}",
            cached.len(),
            expected.members.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let server_roles = admin.fetch_server(guild.id).await.unwrap().server.roles;
    assert_eq!(
        cache.server(guild.id).unwrap().roles,
        server_roles,
        "roles match too"
    );
    driver.abort();
}

#[tokio::test]
async fn fifty_drops_during_member_changes_json() {
    run(Format::Json).await;
}

#[tokio::test]
async fn fifty_drops_during_member_changes_msgpack() {
    run(Format::Msgpack).await;
}

#[tokio::test]
async fn changes_made_while_disconnected_are_found_and_reported() {
    for format in [Format::Json, Format::Msgpack] {
        let server = TestServer::start_with(Config::default().rate_limits(false))
            .await
            .unwrap();
        let seed = server.seed();
        let owner = seed.user("owner");
        let bot = seed.bot("watcher", owner.id);
        let guild = seed.server("Live", owner.id);
        seed.join(guild.id, bot.id);
        let renamed = seed.user("renamed");
        let kicked = seed.user("kicked");
        let banned = seed.user("banned");
        for p in [&renamed, &kicked, &banned] {
            seed.join(guild.id, p.id);
        }
        let admin = http(&server, &owner.token);
        let bot_http = Client::builder()
            .bot_token(bot.token.clone())
            .base_url(server.urls().api.clone())
            .rate_limiter(Arc::new(Unlimited))
            .build()
            .unwrap();
        let cache = Cache::with_config(CacheConfig::default().keep_member_lists(true));
        let mut gateway = Gateway::new(
            GatewayConfig::new(server.urls().events.clone(), bot.token.clone())
                .format(format)
                .backoff(Backoff::new(
                    Duration::from_millis(5),
                    Duration::from_millis(50),
                )),
        );
        // First Ready, and the full list.
        loop {
            let event = gateway.next().await.unwrap().unwrap();
            if let Change::Ready(_) = cache.update(&event) {
                cache.replace_members(guild.id, &admin.fetch_members(guild.id).await.unwrap());
                break;
            }
        }
        assert_eq!(cache.member_count(guild.id), 5);

        // The socket drops; while nobody polls the gateway, the server changes.
        server.control().drop_sockets();
        server.control().wait_for_sockets(|n| *n == 0).await;
        admin
            .edit_member(guild.id, renamed.id)
            .nickname(Some("New"))
            .await
            .unwrap();
        admin.kick_member(guild.id, kicked.id).await.unwrap();
        admin.ban_member(guild.id, banned.id).await.unwrap();

        // Polling again: the events sent to the dead socket are lost; the fresh Ready and the
        // refresh find the changes and report them.
        let summary = loop {
            let event = tokio::time::timeout(Duration::from_secs(5), gateway.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            if let Change::Ready(summary) = cache.update(&event) {
                break summary;
            }
        };
        assert!(summary.reconnect);
        assert_eq!(summary.refresh, vec![guild.id]);
        let changes =
            cache.replace_members(guild.id, &bot_http.fetch_members(guild.id).await.unwrap());
        let gone: Vec<_> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Member {
                    user, after: None, ..
                } => Some(*user),
                _ => None,
            })
            .collect();
        assert!(
            gone.contains(&kicked.id) && gone.contains(&banned.id),
            "{changes:?}"
        );
        let renamed_change = changes.iter().any(|c| matches!(c,
            Change::Member { user, before: Some(b), after: Some(a), .. }
                if *user == renamed.id && b.to_member().nickname.is_none() && a.to_member().nickname.as_deref() == Some("New")));
        assert!(renamed_change, "{changes:?}");
        assert_eq!(cache.member_count(guild.id), 3);
    }
}
