//! Redis going away and coming back: the writer and the limiter keep working in the process,
//! and sharing resumes; a restarted writer starts warm.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use ermine_cache::{Cache, CacheBackend, Change};
use ermine_http::ratelimit::{BucketKey, Outcome, RateLimiter};
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use ermine_redis::{RedisCache, RedisConfig, RedisRateLimiter};
use serde_json::json;

const ME: &str = "01M86CDEXVEC1T9JZGTPNYYWGV";
const SERVER: &str = "01M86CDRZC9YVCV9K979HDVTHQ";

fn event(frame: serde_json::Value) -> ServerEvent {
    serde_json::from_value(frame).unwrap()
}

fn ready() -> ServerEvent {
    event(json!({"type": "Ready",
        "users": [{"_id": ME, "username": "me", "discriminator": "0001", "relationship": "User", "online": true}],
        "servers": [{"_id": SERVER, "owner": ME, "name": "G", "channels": [], "default_permissions": 0}],
        "channels": [],
        "members": [{"_id": {"server": SERVER, "user": ME}, "joined_at": "2026-11-24T08:58:11.926Z"}]}))
}

/// A member joins; users are numbered so each join is a new one.
fn join(n: u32) -> ServerEvent {
    let user = format!("01M86CDGJKEQQDSY6RW2K{n:05}");
    event(
        json!({"type": "ServerMemberJoin", "id": SERVER, "user": user,
        "member": {"_id": {"server": SERVER, "user": user}, "joined_at": "2026-11-24T08:58:11.926Z",
                   "nickname": format!("m{n}")}}),
    )
}

fn server() -> ServerId {
    SERVER.parse().unwrap()
}

fn names(cache: &Cache) -> Vec<String> {
    let mut names: Vec<String> = cache
        .members(server())
        .into_iter()
        .map(|m| m.nickname.unwrap_or_default())
        .collect();
    names.sort();
    names
}

/// Everything logged in this test binary (a global subscriber: the publisher logs from the
/// runtime's threads).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    Arc::clone(LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || Sink(Arc::clone(&sink)))
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    }))
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged(text: &str) -> bool {
    String::from_utf8_lossy(&logs().lock().unwrap()).contains(text)
}

async fn until(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check() {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_the_bot_works_locally_and_sharing_resumes() {
    let Some(mut redis) = support::Redis::start() else {
        return;
    };
    logs();
    let config = RedisConfig::new(redis.url()).namespace("outage");
    let writer = RedisCache::writer(config.clone()).await.unwrap();
    let follower = RedisCache::follower(config.clone()).await.unwrap();
    let limiter = RedisRateLimiter::new(&config).unwrap();
    let bucket = BucketKey::new(ermine_model::route::Bucket::Servers, SERVER);

    writer.update(&ready());
    for n in 0..5 {
        writer.update(&join(n));
    }
    until("the follower caught up", || {
        names(follower.view()) == names(writer.view())
    })
    .await;
    limiter.acquire(&bucket).await.complete(Outcome::default());
    assert!(writer.is_shared() && limiter.is_shared());

    // Redis goes away: writes go on in the process; the limiter limits locally.
    redis.stop();
    for n in 5..10 {
        writer.update(&join(n));
    }
    assert_eq!(writer.view().member_count(server()), 11);
    until("the writer noticed", || !writer.is_shared()).await;
    let permit = tokio::time::timeout(Duration::from_secs(5), limiter.acquire(&bucket))
        .await
        .expect("the fallback limiter answers without Redis");
    permit.complete(Outcome::default());
    assert!(!limiter.is_shared());
    // Logged by whichever task noticed first, possibly a background one.
    until("logged: redis unavailable for the shared cache", || {
        logged("redis unavailable for the shared cache")
    })
    .await;
    until("logged: redis unavailable for the rate limiter", || {
        logged("redis unavailable for the rate limiter")
    })
    .await;
    assert_eq!(
        follower.view().member_count(server()),
        6,
        "the follower keeps what it had"
    );
    until("the follower noticed", || !follower.is_shared()).await;

    // Redis comes back, empty: the writer republishes everything, the follower reloads.
    redis.restart();
    tokio::time::sleep(Duration::from_millis(600)).await;
    for n in 10..12 {
        writer.update(&join(n));
    }
    until("sharing resumed and the follower has every member", || {
        writer.is_shared() && follower.is_shared() && names(follower.view()) == names(writer.view())
    })
    .await;
    assert_eq!(follower.view().member_count(server()), 13);
    limiter.acquire(&bucket).await.complete(Outcome::default());
    assert!(limiter.is_shared());
    until("logged: redis is back for the shared cache", || {
        logged("redis is back for the shared cache")
    })
    .await;
    until("logged: redis is back for the rate limiter", || {
        logged("redis is back for the rate limiter")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_writer_starts_warm_and_reconciles_its_first_ready() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    // Every test of this binary installs the log capture before it logs anything.
    logs();
    let config = RedisConfig::new(redis.url()).namespace("warm");
    let first = RedisCache::writer(config.clone()).await.unwrap();
    first.update(&ready());
    for n in 0..3 {
        first.update(&join(n));
    }
    let follower = RedisCache::follower(config.clone()).await.unwrap();
    until("published", || follower.view().member_count(server()) == 4).await;
    assert!(
        first.flush(Duration::from_secs(5)).await,
        "published before the restart"
    );
    drop(first);

    // The new process starts with what the old one knew...
    let second = RedisCache::writer(config.clone()).await.unwrap();
    assert_eq!(names(second.view()), names(follower.view()));
    // ...so its first Ready is a reconnect: members it cannot vouch for are reported.
    let Change::Ready(summary) = second.update(&ready()) else {
        panic!("a Ready")
    };
    assert!(summary.reconnect);
    assert_eq!(summary.members_dropped, 3);
    // The follower follows the new writer (a new run: it reloads).
    until("the follower follows the new writer", || {
        names(follower.view()) == names(second.view())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_faster_than_redis_keeps_its_queue_bounded_and_loses_nothing() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    logs();
    let config = RedisConfig::new(redis.url())
        .namespace("overflow")
        .publish_queue(8);
    let writer = RedisCache::writer(config.clone()).await.unwrap();
    let follower = RedisCache::follower(config).await.unwrap();
    writer.update(&ready());
    until("the follower has the Ready", || {
        follower.view().member_count(server()) == 1
    })
    .await;

    // Redis stops taking writes for a while; 300 writes arrive meanwhile, far more than the
    // queue holds.
    let client = redis::Client::open(redis.url()).unwrap();
    let mut control = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(300)
        .arg("WRITE")
        .query_async(&mut control)
        .await
        .unwrap();
    for n in 0..300 {
        writer.update(&join(n));
    }
    until("logged: the queue overflowed", || {
        logged("redis is slower than the cache's writes")
    })
    .await;
    // Once Redis takes writes again, a snapshot covers what did not fit.
    until("the follower has every member", || {
        names(follower.view()) == names(writer.view())
    })
    .await;
    assert_eq!(follower.view().member_count(server()), 301);
}
