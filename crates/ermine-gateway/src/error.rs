//! What a gateway stream reports.

use std::fmt;

use ermine_model::error::ApiError;

/// An error on the gateway stream. Fatal errors ([`GatewayError::is_fatal`]) are yielded once
/// and the stream ends; [`GatewayError::Unreachable`] is a report: the stream keeps trying.
/// Everything else recoverable (drops, timeouts, bad frames) is handled inside by
/// reconnecting or skipping, and logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// The server refused the token (`Error { InvalidSession }`).
    InvalidToken,
    /// The server refused the connection with another error.
    Refused(ApiError),
    /// This session was logged out (`Logout`).
    LoggedOut,
    /// The events URL is not a `ws://` or `wss://` URL (credentials in it are redacted).
    InvalidUrl(String),
    /// Not fatal: this many attempts in a row failed to reach `Ready`; the stream keeps
    /// trying with growing delays. Reported after every
    /// [`GatewayConfig::report_failures_after`](crate::GatewayConfig) failures.
    Unreachable {
        /// Failed attempts in a row.
        attempts: u32,
        /// Why the last one failed.
        reason: String,
    },
}

impl GatewayError {
    /// Whether the stream ends after this error.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Self::Unreachable { .. })
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidToken => f.write_str("the server refused the token"),
            Self::Refused(e) => write!(f, "the server refused the connection: {}", e.type_name()),
            Self::LoggedOut => f.write_str("the session was logged out"),
            Self::InvalidUrl(why) => write!(f, "invalid events URL: {why}"),
            Self::Unreachable { attempts, reason } => write!(
                f,
                "the events server could not be reached ({attempts} attempts in a row; last: {reason})"
            ),
        }
    }
}

impl std::error::Error for GatewayError {}
