//! Waiting between attempts: exponential delays, capped, with jitter — one rule for the
//! gateway's reconnections and the REST client's retries.

use std::time::Duration;

/// Delays that double from `initial` up to `max`, each with up to 25 % added at random so
/// that many clients do not retry in step.
///
/// ```
/// use std::time::Duration;
/// use ermine_model::backoff::Backoff;
///
/// let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
/// assert!(b.delay(1) >= Duration::from_millis(100) && b.delay(1) <= Duration::from_millis(125));
/// assert!(b.delay(20) <= Duration::from_millis(1250));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backoff {
    /// First delay.
    pub initial: Duration,
    /// Largest delay (before jitter).
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_mins(1),
        }
    }
}

impl Backoff {
    /// Delays from `initial` up to `max`.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self { initial, max }
    }

    /// The delay before attempt `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let base = self
            .initial
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max);
        base + base.mul_f64(fastrand::f64() * 0.25)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_their_cap() {
        let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        assert!(
            b.delay(1) >= Duration::from_millis(100) && b.delay(1) < Duration::from_millis(130)
        );
        assert!(b.delay(3) >= Duration::from_millis(400));
        assert!(b.delay(20) <= Duration::from_millis(1250));
        assert!(b.delay(u32::MAX) <= Duration::from_millis(1250));
    }
}
