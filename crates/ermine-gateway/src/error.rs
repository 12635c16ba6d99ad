//! Why a gateway stream ended.

use std::fmt;

use ermine_model::error::ApiError;

/// A fatal gateway error: the stream yields it once and then ends. Anything recoverable
/// (drops, timeouts, bad frames) is handled inside by reconnecting or skipping.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// The server refused the token (`Error { InvalidSession }`).
    InvalidToken,
    /// The server refused the connection with another error.
    Refused(ApiError),
    /// This session was logged out (`Logout`).
    LoggedOut,
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidToken => f.write_str("the server refused the token"),
            Self::Refused(e) => write!(f, "the server refused the connection: {}", e.type_name()),
            Self::LoggedOut => f.write_str("the session was logged out"),
        }
    }
}

impl std::error::Error for GatewayError {}
