//! The cache's event-application suite (the same file `ermine-cache` runs in-process), with
//! writes going through a Redis writer and reads from a follower that only sees Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../ermine-cache/tests/suite/mod.rs"]
mod suite;
mod support;

use std::time::{Duration, Instant};

use ermine_cache::{Cache, CacheBackend, CacheConfig};
use ermine_redis::{RedisCache, RedisConfig};

struct Shared {
    writer: RedisCache,
    follower: RedisCache,
    runtime: tokio::runtime::Runtime,
    _redis: support::Redis,
}

impl suite::Harness for Shared {
    fn available() -> bool {
        support::installed()
    }

    fn make(config: CacheConfig) -> Self {
        let redis = support::Redis::start().expect("redis-server");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let shared = RedisConfig::new(redis.url()).cache(config);
        let writer = runtime
            .block_on(RedisCache::writer(shared.clone()))
            .unwrap();
        let follower = runtime.block_on(RedisCache::follower(shared)).unwrap();
        Self {
            writer,
            follower,
            runtime,
            _redis: redis,
        }
    }

    fn backend(&self) -> &dyn CacheBackend {
        &self.writer
    }

    fn view(&self) -> &Cache {
        self.follower.view()
    }

    fn sync(&self) {
        let _enter = self.runtime.enter();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.follower.position() < self.writer.position() {
            assert!(
                Instant::now() < deadline,
                "the follower is at {} of {}",
                self.follower.position(),
                self.writer.position()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

suite::conformance_tests!(Shared);
