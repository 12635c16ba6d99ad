//! The shared limiter's bookkeeping, driven with made-up answers: which request may go and
//! which must wait.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use ermine_http::ratelimit::{BucketKey, Outcome, Permit, RateLimitHeaders, RateLimiter};
use ermine_redis::{RedisConfig, RedisRateLimiter};
use reqwest::header::{HeaderMap, HeaderValue};

fn answer(remaining: u32, reset_after_ms: u64) -> Outcome {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-limit", HeaderValue::from_static("5"));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("x-ratelimit-reset-after", HeaderValue::from(reset_after_ms));
    let mut outcome = Outcome::default();
    outcome.headers = RateLimitHeaders::from_headers(&headers);
    assert!(outcome.headers.is_some());
    outcome
}

fn bucket() -> BucketKey {
    // `servers/{id}`: 5 requests per window in the route table.
    let path = ermine_model::route::EDIT_MEMBER
        .path(["01M86CDRZC9YVCV9K979HDVTHQ", "01M86CDGJKEQQDSY6RW2KHTPJQ"])
        .unwrap();
    let (bucket, resource) = path.bucket();
    let key = BucketKey::new(bucket, resource);
    assert_eq!(key.limit, 5);
    key
}

/// Whether `limiter` grants a request now (it is not granted while it waits).
async fn granted_now(limiter: &RedisRateLimiter, key: &BucketKey) -> Option<Permit> {
    tokio::time::timeout(Duration::from_millis(150), limiter.acquire(key))
        .await
        .ok()
}

/// Waits (generously) for a permit that must come.
async fn granted(limiter: &RedisRateLimiter, key: &BucketKey) -> Permit {
    tokio::time::timeout(Duration::from_secs(5), limiter.acquire(key))
        .await
        .expect("a permit")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_when_a_window_begins_holds_its_place_until_answered() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url());
    // Two processes' limiters for one token.
    let one = RedisRateLimiter::new(&config).unwrap();
    let two = RedisRateLimiter::new(&config).unwrap();
    let key = bucket();

    let mut first: Vec<Permit> = Vec::new();
    for i in 0..5 {
        let limiter = if i % 2 == 0 { &one } else { &two };
        first.push(granted(limiter, &key).await);
    }
    assert!(
        granted_now(&two, &key).await.is_none(),
        "the window's five are spent"
    );
    // Four answers: the server's window ends in 200 ms; the fifth request stays in flight.
    let in_flight = first.pop().unwrap();
    for (i, permit) in first.into_iter().enumerate() {
        permit.complete(answer(4 - u32::try_from(i).unwrap(), 200));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The new window holds one place for the request still in flight: four go.
    let mut second = Vec::new();
    for _ in 0..4 {
        second.push(granted(&one, &key).await);
    }
    // Its answer comes from the previous window (it ended as this one began): the place is
    // given back, and one more goes; then the window's five are spent. Without the held
    // place, or without giving it back, the count would differ by one.
    in_flight.complete(answer(0, 0));
    one.recorded().await;
    two.recorded().await;
    second.push(granted(&two, &key).await);
    assert!(
        granted_now(&one, &key).await.is_none(),
        "five in this window"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_shorten_the_assumed_window_and_a_429_empties_the_bucket() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let limiter = RedisRateLimiter::new(&RedisConfig::new(redis.url())).unwrap();
    let key = bucket();
    let mut permits = Vec::new();
    for _ in 0..5 {
        permits.push(granted(&limiter, &key).await);
    }
    // Until an answer comes the table's 10-second window is assumed...
    assert!(granted_now(&limiter, &key).await.is_none());
    // ...and the server says its window ends in 100 ms.
    permits.pop().unwrap().complete(answer(0, 100));
    let next = granted(&limiter, &key).await;

    // A 429 asking for 400 ms: nothing goes before then.
    next.complete({
        let mut outcome = answer(0, 400);
        outcome.limited = Some(Duration::from_millis(400));
        outcome
    });
    limiter.recorded().await;
    assert!(granted_now(&limiter, &key).await.is_none());
    let _after = granted(&limiter, &key).await;
    drop(permits);
}
