//! Where things live in Redis.

/// The keys of one shared cache or limiter namespace.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    base: String,
}

impl Keys {
    pub(crate) fn new(prefix: &str, namespace: &str) -> Self {
        Self {
            base: format!("{prefix}:{namespace}"),
        }
    }

    /// The cache snapshot: a hash with `epoch`, `seq`, `id` (the stream entry it follows)
    /// and `data`.
    pub(crate) fn snapshot(&self) -> String {
        format!("{}:cache:v1:snapshot", self.base)
    }

    /// The cache's stream of writes: entries with `epoch`, `seq` and `op`.
    pub(crate) fn ops(&self) -> String {
        format!("{}:cache:v1:ops", self.base)
    }

    /// One partition of the event stream for workers: entries with `record`.
    pub(crate) fn events(&self, partition: u16) -> String {
        format!("{}:events:v1:{partition}", self.base)
    }

    /// Events that failed too often: entries with `stream`, `id`, `deliveries`, `record`.
    pub(crate) fn dead_events(&self) -> String {
        format!("{}:events:v1:dead", self.base)
    }

    /// A rate-limit bucket: a hash with `limit`, `remaining` and `reset_at` (Redis time, ms).
    pub(crate) fn bucket(&self, bucket: &str) -> String {
        format!("{}:ratelimit:v1:{bucket}", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_stable_and_hide_the_token() {
        let keys = Keys::new("ermine", "bot");
        assert_eq!(keys.ops(), "ermine:bot:cache:v1:ops");
        assert_eq!(
            keys.bucket("servers/1"),
            "ermine:bot:ratelimit:v1:servers/1"
        );
    }
}
