//! One connection to Redis, replaced after a failure, with the degraded/shared state logged
//! once per change.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisResult};

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long an answer may take (blocking reads ask for less).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(3);
/// After a failure, how long to work locally before trying again.
pub(crate) const RETRY_AFTER: Duration = Duration::from_millis(500);

#[derive(Debug)]
pub(crate) struct Link {
    client: redis::Client,
    what: &'static str,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    healthy: AtomicBool,
    last_failure: std::sync::Mutex<Option<Instant>>,
}

impl Link {
    pub(crate) fn new(client: redis::Client, what: &'static str) -> Self {
        Self {
            client,
            what,
            conn: tokio::sync::Mutex::new(None),
            healthy: AtomicBool::new(true),
            last_failure: std::sync::Mutex::new(None),
        }
    }

    /// Whether the last exchange with Redis worked.
    pub(crate) fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    /// Whether a failure was so recent that trying again would only slow the caller down.
    pub(crate) fn cooling_down(&self) -> bool {
        self.last_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|t| t.elapsed() < RETRY_AFTER)
    }

    /// A connection, opened when there is none.
    pub(crate) async fn get(&self) -> RedisResult<MultiplexedConnection> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = &*slot {
            return Ok(conn.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let conn = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        *slot = Some(conn.clone());
        Ok(conn)
    }

    /// Records a failure: the connection is dropped, and the first failure after a healthy
    /// spell is logged.
    pub(crate) async fn failed(&self, error: &redis::RedisError) {
        *self.conn.lock().await = None;
        *self
            .last_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        if self.healthy.swap(false, Ordering::Relaxed) {
            tracing::warn!(%error, "redis unavailable for the {}: working in this process alone", self.what);
        }
    }

    /// Records a success: the first one after a failure is logged.
    pub(crate) fn worked(&self) {
        if !self.healthy.swap(true, Ordering::Relaxed) {
            tracing::info!("redis is back for the {}: sharing again", self.what);
        }
    }
}
