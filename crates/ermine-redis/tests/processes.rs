//! Several OS processes (this test binary run again in a child role) against the local
//! server and one Redis: a writer fed by the events connection and followers that must see
//! every member it has; and four processes editing members on one server bucket under one
//! shared budget.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ermine_cache::CacheBackend;
use ermine_model::id::{ServerId, UserId};
use ermine_redis::{RedisCache, RedisConfig, RedisRateLimiter};
use ermine_testkit::{Config, TestServer};
use futures_util::StreamExt;

const CHILD: &str = "ERMINE_REDIS_CHILD";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set for children"))
}

/// Starts this test binary again, running only `child` in `role`.
fn spawn(role: &str, vars: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (name, value) in vars {
        command.env(name, value);
    }
    command.spawn().unwrap()
}

/// The lines a child prints, as they come.
fn lines(child: &mut Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for a line starting with `prefix`; the rest of it.
fn wait_for(rx: &std::sync::mpsc::Receiver<String>, prefix: &str) -> String {
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the child printed {prefix}"));
        if let Some(rest) = line.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
}

/// Waits for a child and returns its `RESULT` line.
fn result(child: Child) -> String {
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed:\n{stdout}");
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line in:\n{stdout}"))
        .to_owned()
}

/// The members of a server as (user, nickname) lines, sorted: what every process must agree on.
fn digest(members: impl IntoIterator<Item = (UserId, Option<String>)>) -> String {
    let sorted: BTreeMap<String, String> = members
        .into_iter()
        .map(|(u, n)| (u.to_string(), n.unwrap_or_default()))
        .collect();
    sorted
        .iter()
        .map(|(u, n)| format!("{u}={n}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn view_digest(cache: &ermine_cache::Cache, server: ServerId) -> String {
    digest(
        cache
            .members(server)
            .into_iter()
            .map(|m| (m.id.user, m.nickname)),
    )
}

/// The entry point of child processes (does nothing in a normal run).
#[test]
fn child() {
    let Ok(role) = std::env::var(CHILD) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let line = runtime.block_on(async {
        match role.as_str() {
            "writer" => writer().await,
            "follower" => follower().await,
            "editor" => editor().await,
            "bot" => bot().await,
            other => panic!("unknown role {other}"),
        }
    });
    // On a line of its own: the test harness has printed the test's name without one.
    println!("\nRESULT {line}");
}

/// Waits until `cache` holds the members the expectation file names (written by the parent
/// once its changes are made); `ok` or what differs.
async fn converge(cache: &ermine_cache::Cache, server: ServerId) -> String {
    let expected_file = PathBuf::from(env("EXPECTED"));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        let have = view_digest(cache, server);
        if !expected.is_empty() && have == expected {
            return format!("ok {}", cache.member_count(server));
        }
        if Instant::now() > deadline {
            return format!("mismatch: have {have} want {expected}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn writer() -> String {
    let server: ServerId = env("SERVER").parse().unwrap();
    let cache = Arc::new(
        RedisCache::writer(RedisConfig::new(env("REDIS")).namespace(env("NAMESPACE")))
            .await
            .unwrap(),
    );
    let http = ermine_http::Client::builder()
        .bot_token(env("TOKEN"))
        .base_url(env("API"))
        .build()
        .unwrap();
    let mut gateway = ermine_gateway::Gateway::new(ermine_gateway::GatewayConfig::new(
        env("EVENTS"),
        env("TOKEN"),
    ));
    // Ready, then the member list (a REST result, published too), then events as they come.
    loop {
        let event = gateway.next().await.unwrap().unwrap();
        let ready = matches!(event, ermine_model::event::ServerEvent::Ready(_));
        cache.update(&event);
        if ready {
            break;
        }
    }
    let list = http.fetch_members(server).await.unwrap();
    cache.insert_members(&list);
    println!("\nREADY");
    let view = Arc::clone(&cache);
    let pump = tokio::spawn(async move {
        while let Some(Ok(event)) = gateway.next().await {
            view.update(&event);
        }
    });
    let outcome = converge(cache.view(), server).await;
    pump.abort();
    // Everything is in Redis before the process ends.
    assert!(cache.flush(Duration::from_secs(10)).await);
    outcome
}

async fn follower() -> String {
    let server: ServerId = env("SERVER").parse().unwrap();
    let cache = RedisCache::follower(RedisConfig::new(env("REDIS")).namespace(env("NAMESPACE")))
        .await
        .unwrap();
    converge(cache.view(), server).await
}

async fn editor() -> String {
    let server: ServerId = env("SERVER").parse().unwrap();
    let shared = RedisRateLimiter::new(&RedisConfig::new(env("REDIS"))).unwrap();
    let http = ermine_http::Client::builder()
        .session_token(env("TOKEN"))
        .base_url(env("API"))
        .rate_limiter(Arc::new(shared))
        // A 429 must reach the caller here, not be retried away.
        .retry(ermine_http::RetryPolicy::default().rate_limited(0))
        .build()
        .unwrap();
    let me: usize = env("INDEX").parse().unwrap();
    let users: Vec<UserId> = env("USERS")
        .split(',')
        .map(|u| u.parse().unwrap())
        .collect();
    let (mut succeeded, mut refused, mut other) = (0, 0, 0);
    for round in 0..10 {
        let user = users[(me + round) % users.len()];
        match http
            .edit_member(server, user)
            .nickname(Some(&format!("p{me}r{round}")))
            .await
        {
            Ok(_) => succeeded += 1,
            Err(e) if e.status() == Some(429) => refused += 1,
            Err(e) => {
                eprintln!("editor {me}: {e}");
                other += 1;
            }
        }
    }
    format!("{succeeded} {refused} {other}")
}

/// A bot process: 15 requests in the `users` bucket, each with its own token; bots on one
/// address share one budget on the server.
async fn bot() -> String {
    let shared = RedisRateLimiter::new(&RedisConfig::new(env("REDIS"))).unwrap();
    let http = ermine_http::Client::builder()
        .bot_token(env("TOKEN"))
        .base_url(env("API"))
        .rate_limiter(Arc::new(shared))
        .retry(ermine_http::RetryPolicy::default().rate_limited(0))
        .build()
        .unwrap();
    let (mut succeeded, mut refused, mut other) = (0, 0, 0);
    for _ in 0..15 {
        match http.fetch_self().await {
            Ok(_) => succeeded += 1,
            Err(e) if e.status() == Some(429) => refused += 1,
            Err(e) => {
                eprintln!("bot: {e}");
                other += 1;
            }
        }
    }
    format!("{succeeded} {refused} {other}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_bot_processes_on_one_address_share_its_budget() {
    if std::env::var_os(CHILD).is_some() || !support::installed() {
        return;
    }
    let redis = support::Redis::start().unwrap();
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_millis(500)))
            .await
            .unwrap();
    let owner = server.seed().user("owner");
    let bots: Vec<Child> = (0..3)
        .map(|i| {
            let bot = server.seed().bot(&format!("bot{i}"), owner.id);
            spawn(
                "bot",
                &[
                    ("REDIS", redis.url()),
                    ("TOKEN", bot.token),
                    ("API", server.urls().api.clone()),
                ],
            )
        })
        .collect();
    for bot in bots {
        let line = tokio::task::spawn_blocking(move || result(bot))
            .await
            .unwrap();
        assert_eq!(
            line, "15 0 0",
            "every request succeeded, none was refused with 429"
        );
    }
    let statuses: Vec<u16> = server
        .control()
        .requests()
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses.len(), 45);
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_in_other_processes_see_every_member_the_writer_has() {
    if std::env::var_os(CHILD).is_some() || !support::installed() {
        return;
    }
    let redis = support::Redis::start().unwrap();
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_millis(100)))
            .await
            .unwrap();
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("writer", owner.id);
    let guild = seed.server("Shared", owner.id);
    seed.join(guild.id, bot.id);
    let members = seed.members(guild.id, 40);
    let dir = std::env::temp_dir().join(format!("ermine-redis-{}", ulid::Ulid::new()));
    std::fs::create_dir_all(&dir).unwrap();
    let expected = dir.join("expected");
    let vars = vec![
        ("REDIS", redis.url()),
        ("NAMESPACE", "processes".to_owned()),
        ("SERVER", guild.id.to_string()),
        ("TOKEN", bot.token.clone()),
        ("API", server.urls().api.clone()),
        ("EVENTS", server.urls().events.clone()),
        ("EXPECTED", expected.display().to_string()),
    ];
    let mut writer = spawn("writer", &vars);
    let writer_lines = lines(&mut writer);
    // Wait for the writer's Ready and member list before changing anything.
    let writer_lines = tokio::task::spawn_blocking(move || {
        wait_for(&writer_lines, "READY");
        writer_lines
    })
    .await
    .unwrap();
    let followers: Vec<Child> = (0..2).map(|_| spawn("follower", &vars)).collect();

    // A stream of member changes: renames, kicks and bans.
    let owner_http = ermine_http::Client::builder()
        .session_token(owner.token.clone())
        .base_url(server.urls().api.clone())
        .build()
        .unwrap();
    for (i, user) in members.iter().enumerate() {
        match i % 8 {
            0 => owner_http.kick_member(guild.id, *user).await,
            1 => owner_http.ban_member(guild.id, *user).await.map(|_| ()),
            _ => owner_http
                .edit_member(guild.id, *user)
                .nickname(Some(&format!("n{i}")))
                .await
                .map(|_| ()),
        }
        .unwrap();
    }
    let now = owner_http.fetch_members(guild.id).await.unwrap();
    std::fs::write(
        &expected,
        digest(now.members.into_iter().map(|m| (m.id.user, m.nickname))),
    )
    .unwrap();

    let (writer_result, writer_lines) =
        tokio::task::spawn_blocking(move || (wait_for(&writer_lines, "RESULT "), writer_lines))
            .await
            .unwrap();
    assert_eq!(writer_result, "ok 32", "the writer's own view");
    assert!(writer.wait().unwrap().success());
    drop(writer_lines);
    for follower in followers {
        let line = tokio::task::spawn_blocking(move || result(follower))
            .await
            .unwrap();
        assert_eq!(line, "ok 32", "a follower's view");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_budget_and_no_429_reaches_a_caller() {
    if std::env::var_os(CHILD).is_some() || !support::installed() {
        return;
    }
    let redis = support::Redis::start().unwrap();
    let server =
        TestServer::start_with(Config::default().rate_limit_window(Duration::from_millis(500)))
            .await
            .unwrap();
    let seed = server.seed();
    let owner = seed.user("owner");
    let guild = seed.server("Busy", owner.id);
    let members = seed.members(guild.id, 8);
    let users = members
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    server.control().clear_requests();
    let editors: Vec<Child> = (0..4)
        .map(|i| {
            spawn(
                "editor",
                &[
                    ("REDIS", redis.url()),
                    ("SERVER", guild.id.to_string()),
                    ("TOKEN", owner.token.clone()),
                    ("API", server.urls().api.clone()),
                    ("USERS", users.clone()),
                    ("INDEX", i.to_string()),
                ],
            )
        })
        .collect();
    for editor in editors {
        let line = tokio::task::spawn_blocking(move || result(editor))
            .await
            .unwrap();
        assert_eq!(
            line, "10 0 0",
            "every edit succeeded, none was refused with 429"
        );
    }
    let log = server.control().requests();
    let edits: Vec<_> = log.iter().filter(|r| r.method == "PATCH").collect();
    assert_eq!(edits.len(), 40, "every edit reached the server once");
    assert!(
        edits.iter().all(|r| r.status == 200),
        "the server answered no 429: {:?}",
        edits.iter().map(|r| r.status).collect::<Vec<_>>()
    );
}
