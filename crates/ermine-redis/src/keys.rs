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

    /// A rate-limit bucket: a hash with `limit`, `remaining` and `reset_at` (Redis time, ms).
    pub(crate) fn bucket(&self, bucket: &str) -> String {
        format!("{}:ratelimit:v1:{bucket}", self.base)
    }
}

/// A stable, non-secret name for a token (FNV-1a, 64 bits): processes sharing a token share
/// a budget without the token being written anywhere.
pub(crate) fn token_identity(token: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in token.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_stable_and_hide_the_token() {
        assert_eq!(token_identity("abc"), token_identity("abc"));
        assert_ne!(token_identity("abc"), token_identity("abd"));
        assert!(!token_identity("secret-token").contains("secret"));
        assert_eq!(token_identity(""), "cbf29ce484222325");
        let keys = Keys::new("ermine", "bot");
        assert_eq!(keys.ops(), "ermine:bot:cache:v1:ops");
        assert_eq!(
            keys.bucket("servers/1"),
            "ermine:bot:ratelimit:v1:servers/1"
        );
    }
}
