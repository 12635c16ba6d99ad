//! ermine across processes: a cache shared through Redis ([`RedisCache`]), a rate-limit
//! budget shared through Redis ([`RedisRateLimiter`]), and events delivered from the one
//! process holding the events connection to a pool of workers through Redis Streams
//! ([`events`]: [`EventPublisher`], [`EventConsumer`]).
//!
//! A bot that outgrows one process (several workers, rolling restarts, a dashboard beside
//! it) plugs both into [`ermine`'s client](https://docs.rs/ermine) (`cache_backend`,
//! `rate_limiter`), or lets it choose from `REDIS_URL`.
//!
//! # The shared cache
//!
//! One process is the **writer**: it applies what its events connection receives (and the
//! REST results it caches) to its local cache, then publishes each write to Redis in the
//! same order. Any number of **followers** keep a local cache in step by applying those
//! writes. Reads never leave the process: each process reads its own local view, taken under
//! one lock, so a member and its user are always read from the same moment.
//!
//! Key layout (prefix and namespace configurable; `ermine:default` by default):
//!
//! | key | type | holds |
//! | --- | --- | --- |
//! | `{prefix}:{namespace}:cache:v1:ops` | stream | one entry per write: `epoch` (the writer's run), `seq` (1, 2, 3, … within the run), `op` (the write) |
//! | `{prefix}:{namespace}:cache:v1:snapshot` | hash | `epoch`, `seq` (the last write it covers), `id` (the stream entry it follows), `data` (the whole cache) |
//! | `{prefix}:shared:ratelimit:v1:{identity hash}:{bucket}` | hash | `limit`, `remaining`, `reset_at` and `started_at` of the current window (Redis time, ms), `span` (the longest window seen) |
//! | `{prefix}:shared:ratelimit:v1:{identity hash}:{bucket}:inflight` | sorted set | requests let through and not yet answered, by grant time |
//! | `{prefix}:{namespace}:events:v1:{partition}` | stream (group `workers`) | one entry per event for the workers: `record` (the event and what it changed), with IDs the writer assigns (so a write retried after a failure is never doubled) |
//! | `{prefix}:{namespace}:events:v1:dead` | stream | entries that failed too often: `stream`, `id`, `deliveries`, `record` |
//!
//! Values are msgpack with named fields (compact, and readable by future versions that add
//! fields), after one format byte (`1`); the `v1` in the keys names the layout. A write is the
//! event or REST result itself, so a follower applies exactly the writer's logic.
//!
//! The writer stores a snapshot every 50,000 writes (configurable), after every `Ready`, and
//! whenever Redis comes back after an absence; the stream keeps the last 100,000 writes. A
//! follower starts from the snapshot and applies the writes after it; a gap in `seq` (writes
//! trimmed away, or lost while Redis was away) or a new `epoch` (the writer restarted) makes it
//! reload the snapshot.
//!
//! **Warm restart**: a writer starts from the snapshot and the writes after it, so its first
//! `Ready` is reconciled against what it knew, and the differences are reported.
//!
//! **Degraded mode**: when Redis does not answer, the writer keeps working on its local cache
//! and the limiter falls back to an in-process one; both log it once, try again every half
//! second, log when Redis is back, and the writer then publishes a fresh snapshot.
//!
//! # The shared limiter
//!
//! Every process using the same token shares each bucket's state. Taking a request and
//! recording an answer's `X-RateLimit-*` headers are Lua scripts (atomic, on Redis's clock);
//! only a 64-bit hash of the token is stored. Until a window's first answer, the route table's
//! limit and 10-second window are assumed. A new window starts with the limit less the requests
//! still in flight, since the server may count them in it; an answer that turns out to belong
//! to the previous window gives the place back.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cache;
mod codec;
mod connection;
pub mod events;
mod keys;
mod limiter;

use std::fmt;

pub use cache::{RedisCache, Role};
pub use events::{EventConsumer, EventPublisher, EventStreamConfig, WorkerConfig};
pub use limiter::RedisRateLimiter;

/// Where Redis is and how to name things there. Its `Debug` hides the URL's credentials.
#[derive(Clone)]
pub struct RedisConfig {
    url: String,
    prefix: String,
    namespace: String,
    cache: ermine_cache::CacheConfig,
    snapshot_every: u64,
    publish_queue: usize,
}

impl fmt::Debug for RedisConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisConfig")
            .field("url", &ermine_model::auth::redact_url(&self.url))
            .field("prefix", &self.prefix)
            .field("namespace", &self.namespace)
            .field("cache", &self.cache)
            .field("snapshot_every", &self.snapshot_every)
            .field("publish_queue", &self.publish_queue)
            .finish()
    }
}

impl RedisConfig {
    /// Redis at `url` (`redis://host:port/db`).
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefix: "ermine".to_owned(),
            namespace: "default".to_owned(),
            cache: ermine_cache::CacheConfig::default(),
            snapshot_every: 50_000,
            publish_queue: 50_000,
        }
    }

    /// Redis at `REDIS_URL`, if it is set.
    pub fn from_env() -> Option<Self> {
        std::env::var("REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Self::new)
    }

    /// The first part of every key (default `ermine`).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How many writes may wait for Redis in the writer (default 50,000). When Redis is slower
    /// than the events for longer, the queue stops growing: the writes that did not fit are
    /// covered by a fresh snapshot as soon as Redis keeps up again (logged once).
    #[must_use]
    pub fn publish_queue(mut self, writes: usize) -> Self {
        self.publish_queue = writes.max(1);
        self
    }

    /// The shared cache's namespace: processes of one bot share one (default `default`).
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }
}

/// What went wrong setting up Redis sharing.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The URL is not a Redis URL.
    Url(redis::RedisError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(e) => write!(f, "bad redis url: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Url(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_urls_credentials() {
        let config = RedisConfig::new("redis://user:hunter2@127.0.0.1:6379/0");
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("user"),
            "{shown}"
        );
        assert!(shown.contains("127.0.0.1:6379"), "{shown}");
    }
}
