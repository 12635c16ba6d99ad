//! The server's rate limiter: fixed windows per (identifier, bucket, resource), as the real
//! server counts them.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use ermine_model::Timestamp;
use ermine_model::route::{self, Method};

use crate::lock;

/// The bucket a request falls into, with its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub(crate) name: &'static str,
    pub(crate) resource: String,
    pub(crate) limit: u32,
}

/// Resolves the bucket of a request the way the real server does, by the one rule of
/// [`ermine_model::route::Bucket::of`]. Methods outside the API's (`HEAD`, `OPTIONS`) count
/// as a `GET` would.
pub(crate) fn bucket_for(method: &str, path: &str) -> Bucket {
    let method = Method::parse(method).unwrap_or(Method::Get);
    let (bucket, resource) = route::Bucket::of(method, path);
    Bucket {
        name: bucket.name(),
        resource: resource.to_owned(),
        limit: bucket.limit(),
    }
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) allowed: bool,
    pub(crate) key: u64,
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    pub(crate) reset_after_ms: u64,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    used: u32,
}

/// Fixed-window counters.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    window: Duration,
    windows: Mutex<HashMap<u64, Window>>,
}

impl RateLimiter {
    /// A limiter with the given window length.
    pub(crate) fn new(window: Duration) -> Self {
        Self {
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The opaque bucket key the `X-RateLimit-Bucket` header carries.
    pub(crate) fn key(identifier: &str, bucket: &Bucket) -> u64 {
        let mut hasher = DefaultHasher::new();
        identifier.hash(&mut hasher);
        bucket.name.hash(&mut hasher);
        bucket.resource.hash(&mut hasher);
        hasher.finish()
    }

    /// Counts one request of `identifier` in `bucket` at `now`.
    pub(crate) fn hit(&self, identifier: &str, bucket: &Bucket, now: Timestamp) -> Verdict {
        let key = Self::key(identifier, bucket);
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        let now = now.unix_millis();
        let mut windows = lock(&self.windows);
        let entry = windows.entry(key).or_insert(Window {
            started: now,
            used: 0,
        });
        if now.saturating_sub(entry.started) >= window_ms {
            *entry = Window {
                started: now,
                used: 0,
            };
        }
        let reset_after_ms =
            u64::try_from(window_ms - now.saturating_sub(entry.started)).unwrap_or(0);
        if entry.used >= bucket.limit {
            return Verdict {
                allowed: false,
                key,
                limit: bucket.limit,
                remaining: 0,
                reset_after_ms,
            };
        }
        entry.used += 1;
        Verdict {
            allowed: true,
            key,
            limit: bucket.limit,
            remaining: bucket.limit - entry.used,
            reset_after_ms,
        }
    }

    /// The state of a bucket without counting a request (`GET /ratelimit`).
    pub(crate) fn peek(&self, identifier: &str, bucket: &Bucket, now: Timestamp) -> Verdict {
        let key = Self::key(identifier, bucket);
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        let now = now.unix_millis();
        let windows = lock(&self.windows);
        let (used, reset) = match windows.get(&key) {
            Some(w) if now.saturating_sub(w.started) < window_ms => {
                (w.used, window_ms - now.saturating_sub(w.started))
            }
            _ => (0, window_ms),
        };
        Verdict {
            allowed: used < bucket.limit,
            key,
            limit: bucket.limit,
            remaining: bucket.limit.saturating_sub(used),
            reset_after_ms: u64::try_from(reset).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_come_from_the_route_table() {
        let s = bucket_for("PATCH", "/0.8/servers/S/members/U");
        assert_eq!((s.name, s.resource.as_str(), s.limit), ("servers", "S", 5));
        assert_eq!(bucket_for("OPTIONS", "/users/@me").name, "users");
    }

    #[test]
    fn a_window_allows_its_limit_then_refuses_until_it_resets() {
        let limiter = RateLimiter::new(Duration::from_secs(10));
        let bucket = bucket_for("GET", "/servers/S");
        let t0 = Timestamp::from_unix_millis(1_000_000);
        for left in (0..5).rev() {
            let v = limiter.hit("me", &bucket, t0);
            assert!(v.allowed);
            assert_eq!(v.remaining, left);
        }
        let refused = limiter.hit("me", &bucket, Timestamp::from_unix_millis(1_004_000));
        assert!(!refused.allowed);
        assert_eq!(refused.reset_after_ms, 6000);
        assert!(limiter.hit("other", &bucket, t0).allowed);
        let later = limiter.hit("me", &bucket, Timestamp::from_unix_millis(1_010_000));
        assert!(later.allowed);
        assert_eq!(later.remaining, 4);
    }
}
