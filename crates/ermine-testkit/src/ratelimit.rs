//! The server's rate limiter: fixed windows per (identifier, bucket, resource), as the real
//! server counts them.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use ermine_model::Timestamp;

use crate::lock;

/// The bucket a request falls into, with its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub(crate) name: &'static str,
    pub(crate) resource: String,
    pub(crate) limit: u32,
}

/// Resolves the bucket of a request the way the real server does.
pub(crate) fn bucket_for(method: &str, path: &str) -> Bucket {
    let mut segments: Vec<&str> = path
        .split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if segments.first() == Some(&"0.8") {
        segments.remove(0);
    }
    let bucket = |name, resource: &str, limit| Bucket {
        name,
        resource: resource.to_owned(),
        limit,
    };
    match segments.as_slice() {
        ["users", id] if method == "PATCH" => bucket("user_edit", id, 2),
        ["users", _, "default_avatar"] => bucket("default_avatar", "", 255),
        ["users", ..] => bucket("users", "", 20),
        ["bots", ..] => bucket("bots", "", 10),
        // Every POST under a channel's messages (sending, pinning): `messaging`.
        ["channels", id, "messages", ..] if method == "POST" => bucket("messaging", id, 10),
        ["channels", id, ..] => bucket("channels", id, 15),
        ["servers", id, ..] => bucket("servers", id, 5),
        ["auth", ..] if method == "DELETE" => bucket("auth_delete", "", 255),
        ["auth", ..] => bucket("auth", "", 15),
        ["swagger", ..] => bucket("swagger", "", 100),
        ["safety", "report", ..] => bucket("safety_report", "report", 3),
        ["safety", ..] => bucket("safety", "", 15),
        _ => bucket("any", "", 20),
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
    fn buckets_follow_the_route_table() {
        assert_eq!(bucket_for("PATCH", "/users/@me").name, "user_edit");
        assert_eq!(bucket_for("GET", "/users/@me").name, "users");
        assert_eq!(bucket_for("GET", "/users/X/default_avatar").limit, 255);
        assert_eq!(bucket_for("POST", "/channels/C/messages").name, "messaging");
        assert_eq!(bucket_for("GET", "/channels/C/messages").name, "channels");
        assert_eq!(
            bucket_for("POST", "/channels/C/messages/M/pin").name,
            "messaging"
        );
        assert_eq!(
            bucket_for("DELETE", "/channels/C/messages/M/pin").name,
            "channels"
        );
        let s = bucket_for("PATCH", "/servers/S/members/U");
        assert_eq!((s.name, s.resource.as_str(), s.limit), ("servers", "S", 5));
        assert_eq!(bucket_for("DELETE", "/auth/session/x").name, "auth_delete");
        assert_eq!(bucket_for("POST", "/safety/report").limit, 3);
        assert_eq!(bucket_for("GET", "/").name, "any");
        assert_eq!(bucket_for("GET", "/0.8/servers/S").name, "servers");
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
