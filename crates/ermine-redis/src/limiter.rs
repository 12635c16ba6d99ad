//! [`RedisRateLimiter`]: one rate-limit budget per identity (session, or client address) for every process.

use std::sync::Arc;
use std::time::Duration;

use ermine_ratelimit::{
    BucketKey, InMemoryRateLimiter, Outcome, Permit, PermitFuture, RateLimiter,
};
use redis::Script;

use crate::connection::Link;
use crate::keys::Keys;
use crate::{Error, RedisConfig};

/// Takes one request from a bucket, atomically, on Redis's clock. Returns 0 when the request
/// may go, else the milliseconds until the bucket's window ends.
///
/// A new window starts with the limit less the requests still in flight: they may yet be
/// counted in it by the server. In-flight requests older than 30 s are forgotten (a process
/// that died with requests in flight does not shrink the budget for long).
///
/// KEYS[1] the bucket (hash), KEYS[2] its requests in flight (sorted set by grant time);
/// ARGV[1] the table's limit; ARGV[2] the table's window (ms); ARGV[3] this request's ID.
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 30000)
local b = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'reset_at')
local limit = tonumber(b[1]) or tonumber(ARGV[1])
local remaining = tonumber(b[2])
local reset_at = tonumber(b[3])
if reset_at == nil or now >= reset_at then
  remaining = math.max(limit - redis.call('ZCARD', KEYS[2]), 0)
  reset_at = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'limit', limit, 'reset_at', reset_at, 'started_at', now)
end
redis.call('PEXPIRE', KEYS[1], 120000)
redis.call('PEXPIRE', KEYS[2], 120000)
if remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
  redis.call('ZADD', KEYS[2], now, ARGV[3])
  return 0
end
redis.call('HSET', KEYS[1], 'remaining', 0)
return math.max(reset_at - now, 1)
";

/// Records what an answer said. A 429 empties the bucket for the wait it asked. An answer
/// whose window ends after the bucket's current window began describes that window: its
/// limit, what remains (never more than the processes already took) and when it ends. An
/// older answer (or none) for a request that was in flight when the current window began
/// gives back the place it held there.
///
/// An answer's window ends at `now + reset-after`: one from the server's previous window ends
/// about when the bucket's current window began, one from its current window about a window
/// later; half the longest window seen (`span`) tells them apart.
///
/// KEYS as for [`ACQUIRE`]; ARGV[1] limit or -1; ARGV[2] remaining or -1; ARGV[3]
/// reset-after (ms) or -1; ARGV[4] the 429's wait (ms) or -1; ARGV[5] the request's ID.
const COMPLETE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local granted = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[5]))
redis.call('ZREM', KEYS[2], ARGV[5])
local b = redis.call('HMGET', KEYS[1], 'remaining', 'started_at', 'limit', 'span')
local current = tonumber(b[1])
local started = tonumber(b[2])
local limit = tonumber(b[3])
local span = tonumber(b[4])
local tolerance = 0
if span ~= nil then
  tolerance = math.floor(span / 2)
end
local limited = tonumber(ARGV[4])
if limited >= 0 then
  redis.call('HSET', KEYS[1], 'remaining', 0, 'reset_at', now + limited)
  return 1
end
local remaining = tonumber(ARGV[2])
local reset_after = tonumber(ARGV[3])
if remaining >= 0 and reset_after >= 0 and started ~= nil and now + reset_after > started + tolerance then
  if tonumber(ARGV[1]) >= 0 then
    redis.call('HSET', KEYS[1], 'limit', tonumber(ARGV[1]))
  end
  if current ~= nil and current < remaining then
    remaining = current
  end
  redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset_at', now + reset_after,
    'span', math.max(span or 0, reset_after))
  return 1
end
if granted ~= nil and started ~= nil and granted < started and current ~= nil and limit ~= nil and current < limit then
  redis.call('HSET', KEYS[1], 'remaining', current + 1)
end
return 0
";

/// The sorted set of a bucket's requests in flight.
fn inflight(bucket: &str) -> String {
    format!("{bucket}:inflight")
}

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
    /// Answers being written to Redis in the background.
    recording: tokio::sync::watch::Sender<usize>,
}

impl RedisRateLimiter {
    /// A limiter shared by every process that uses it. Each bucket is kept per identity, as
    /// the server counts ([`BucketKey::identity`]: the session for session tokens, the client
    /// address for bots), stored as a hash. Nothing is sent to Redis until the first request.
    pub fn new(config: &RedisConfig) -> Result<Self, Error> {
        let client = redis::Client::open(config.url.as_str()).map_err(Error::Url)?;
        Ok(Self {
            inner: Arc::new(Inner {
                link: Link::new(client, "rate limiter"),
                keys: Keys::new(&config.prefix, "shared"),
                acquire: Script::new(ACQUIRE),
                complete: Script::new(COMPLETE),
                fallback: InMemoryRateLimiter::new(),
                recording: tokio::sync::watch::Sender::new(0),
            }),
        })
    }

    /// Waits until every answer handed to a permit has been written to Redis (or failed to
    /// be): after it, other processes see them.
    pub async fn recorded(&self) {
        let mut pending = self.inner.recording.subscribe();
        // The sender lives in `self`: this ends when nothing is pending.
        let _ = pending.wait_for(|n| *n == 0).await;
    }

    /// Whether the last exchange with Redis worked (`false`: limiting in this process only).
    pub fn is_shared(&self) -> bool {
        self.inner.link.is_healthy()
    }
}

impl Inner {
    async fn take(
        &self,
        key: &str,
        bucket: &BucketKey,
        id: &str,
    ) -> Result<u64, redis::RedisError> {
        let mut conn = self.link.get().await?;
        self.acquire
            .key(key)
            .key(inflight(key))
            .arg(bucket.limit)
            .arg(u64::try_from(WINDOW.as_millis()).unwrap_or(10_000))
            .arg(id)
            .invoke_async(&mut conn)
            .await
    }

    async fn record(&self, key: &str, id: &str, outcome: Outcome) -> Result<(), redis::RedisError> {
        let outcome = outcome.bounded();
        let mut conn = self.link.get().await?;
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let headers = outcome.headers.as_ref();
        self.complete
            .key(key)
            .key(inflight(key))
            .arg(headers.and_then(|h| h.limit).map_or(-1, i64::from))
            .arg(headers.map_or(-1, |h| i64::from(h.remaining)))
            .arg(headers.map_or(-1, |h| ms(h.reset_after)))
            .arg(outcome.limited.map_or(-1, ms))
            .arg(id)
            .invoke_async::<i64>(&mut conn)
            .await
            .map(|_| ())
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(&'a self, bucket: &'a BucketKey) -> PermitFuture<'a> {
        Box::pin(async move {
            let inner = &self.inner;
            let key = inner.keys.bucket(&format!(
                "{}:{bucket}",
                ermine_ratelimit::identity_hash(&bucket.identity)
            ));
            loop {
                if inner.link.cooling_down() {
                    return inner.fallback.acquire(bucket).await;
                }
                let id = ulid::Ulid::new().to_string();
                match inner.take(&key, bucket, &id).await {
                    Ok(0) => {
                        inner.link.worked();
                        let shared = Arc::clone(inner);
                        return Permit::new(move |outcome| {
                            // The answer is recorded in the background: the caller already
                            // has it.
                            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                                shared.recording.send_modify(|n| *n += 1);
                                runtime.spawn(async move {
                                    if let Err(error) = shared.record(&key, &id, outcome).await {
                                        shared.link.failed(&error).await;
                                    }
                                    shared.recording.send_modify(|n| *n -= 1);
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
