//! A clock tests can move: timeouts expire and rate-limit windows reset when told to.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use ermine_model::Timestamp;

/// The server's notion of now: the system time plus an offset that tests can advance.
///
/// Cheap to clone; every clone shares the offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The current server time.
    pub fn now(&self) -> Timestamp {
        let real = Timestamp::now().unix_millis();
        Timestamp::from_unix_millis(real.saturating_add(self.offset_ms.load(Ordering::SeqCst)))
    }

    /// Moves the server's time forward by `by` (member timeouts expire, rate-limit windows
    /// reset).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// How far the clock has been advanced in total.
    pub fn offset(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.offset_ms.load(Ordering::SeqCst)).unwrap_or(0))
    }
}
