//! The event-application suite on the in-process cache.

#![allow(clippy::unwrap_used)]

mod suite;

use ermine_cache::{Cache, CacheBackend, CacheConfig};

struct Local(Cache);

impl suite::Harness for Local {
    fn make(config: CacheConfig) -> Self {
        Self(Cache::with_config(config))
    }

    fn backend(&self) -> &dyn CacheBackend {
        &self.0
    }

    fn view(&self) -> &Cache {
        &self.0
    }
}

suite::conformance_tests!(Local);
