//! [`RedisRateLimiter`]: one rate-limit budget for every process sharing a token.

use std::sync::Arc;
use std::time::Duration;

use ermine_http::ratelimit::{
    BucketKey, InMemoryRateLimiter, Outcome, Permit, PermitFuture, RateLimiter,
};
use redis::Script;

use crate::keys::{Keys, token_identity};
use crate::link::Link;
use crate::{Error, RedisConfig};

/// Takes one request from a bucket, atomically, on Redis's clock. Returns 0 when the request
/// may go, else the milliseconds until the bucket's window ends.
///
/// KEYS[1] the bucket; ARGV[1] the table's limit; ARGV[2] the table's window (ms).
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'reset_at')
local limit = tonumber(b[1]) or tonumber(ARGV[1])
local remaining = tonumber(b[2])
local reset_at = tonumber(b[3])
if reset_at == nil or now >= reset_at then
  remaining = limit
  reset_at = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'limit', limit, 'reset_at', reset_at)
end
redis.call('PEXPIRE', KEYS[1], 120000)
if remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
  return 0
end
redis.call('HSET', KEYS[1], 'remaining', 0)
return math.max(reset_at - now, 1)
";

/// Records what an answer said: the server's limit, what remains (never more than the
/// processes already took), and when its window ends; a 429 empties the bucket for the
/// wait it asked.
///
/// KEYS[1] the bucket; ARGV[1] limit or -1; ARGV[2] remaining or -1; ARGV[3] reset-after
/// (ms) or -1; ARGV[4] the 429's wait (ms) or -1.
const COMPLETE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limited = tonumber(ARGV[4])
if limited >= 0 then
  redis.call('HSET', KEYS[1], 'remaining', 0, 'reset_at', now + limited)
  return 1
end
local remaining = tonumber(ARGV[2])
local reset_after = tonumber(ARGV[3])
if remaining < 0 or reset_after < 0 then
  return 0
end
local limit = tonumber(ARGV[1])
if limit >= 0 then
  redis.call('HSET', KEYS[1], 'limit', limit)
end
local current = tonumber(redis.call('HGET', KEYS[1], 'remaining'))
if current ~= nil and current < remaining then
  remaining = current
end
redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset_at', now + reset_after)
return 1
";

/// The window the route table assumes until an answer tells the real one.
const WINDOW: Duration = Duration::from_secs(10);
/// The longest a waiting request sleeps before asking again (answers may shorten the wait).
const POLL: Duration = Duration::from_millis(50);

/// A [`RateLimiter`] whose bucket state lives in Redis: processes that share a token share
/// one budget, learned from the server's `X-RateLimit-*` headers and updated atomically
/// (Lua scripts on Redis's clock).
///
/// When Redis is unreachable, each process falls back to its own in-memory limiter (logged),
/// and shares again when Redis answers.
#[derive(Debug, Clone)]
pub struct RedisRateLimiter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    link: Link,
    keys: Keys,
    acquire: Script,
    complete: Script,
    fallback: InMemoryRateLimiter,
}

impl RedisRateLimiter {
    /// A limiter for the processes that use `token` (only a hash of it is stored). Nothing
    /// is sent to Redis until the first request.
    pub fn new(config: &RedisConfig, token: &str) -> Result<Self, Error> {
        let client = redis::Client::open(config.url.as_str()).map_err(Error::Url)?;
        Ok(Self {
            inner: Arc::new(Inner {
                link: Link::new(client, "rate limiter"),
                keys: Keys::new(&config.prefix, &token_identity(token)),
                acquire: Script::new(ACQUIRE),
                complete: Script::new(COMPLETE),
                fallback: InMemoryRateLimiter::new(),
            }),
        })
    }

    /// Whether the last exchange with Redis worked (`false`: limiting in this process only).
    pub fn is_shared(&self) -> bool {
        self.inner.link.is_healthy()
    }
}

impl Inner {
    async fn take(&self, key: &str, bucket: &BucketKey) -> Result<u64, redis::RedisError> {
        let mut conn = self.link.get().await?;
        self.acquire
            .key(key)
            .arg(bucket.limit)
            .arg(u64::try_from(WINDOW.as_millis()).unwrap_or(10_000))
            .invoke_async(&mut conn)
            .await
    }

    async fn record(&self, key: &str, outcome: &Outcome) -> Result<(), redis::RedisError> {
        let mut conn = self.link.get().await?;
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let headers = outcome.headers.as_ref();
        self.complete
            .key(key)
            .arg(headers.and_then(|h| h.limit).map_or(-1, i64::from))
            .arg(headers.map_or(-1, |h| i64::from(h.remaining)))
            .arg(headers.map_or(-1, |h| ms(h.reset_after)))
            .arg(outcome.limited.map_or(-1, ms))
            .invoke_async::<i64>(&mut conn)
            .await
            .map(|_| ())
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(&'a self, bucket: &'a BucketKey) -> PermitFuture<'a> {
        Box::pin(async move {
            let inner = &self.inner;
            let key = inner.keys.bucket(&bucket.to_string());
            loop {
                if inner.link.cooling_down() {
                    return inner.fallback.acquire(bucket).await;
                }
                match inner.take(&key, bucket).await {
                    Ok(0) => {
                        inner.link.worked();
                        let shared = Arc::clone(inner);
                        return Permit::new(move |outcome| {
                            // The answer is recorded in the background: the caller already
                            // has it.
                            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                                runtime.spawn(async move {
                                    if let Err(error) = shared.record(&key, &outcome).await {
                                        shared.link.failed(&error).await;
                                    }
                                });
                            }
                        });
                    }
                    Ok(wait) => {
                        inner.link.worked();
                        tokio::time::sleep(Duration::from_millis(wait).min(POLL)).await;
                    }
                    Err(error) => {
                        inner.link.failed(&error).await;
                        return inner.fallback.acquire(bucket).await;
                    }
                }
            }
        })
    }
}
