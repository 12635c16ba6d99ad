//! The connection's observable state.

use std::time::Duration;

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Opening the socket.
    Connecting,
    /// Waiting for `Authenticated`.
    Authenticating,
    /// Authenticated; `Ready` received.
    Ready,
    /// The connection dropped or could not be opened; `attempt` reconnections have been tried
    /// since the last connection that stayed up for
    /// [`GatewayConfig::stable_after`](crate::GatewayConfig).
    Disconnected {
        /// Reconnection attempts so far.
        attempt: u32,
    },
    /// Ended for good (fatal error or [`GatewayHandle::close`](crate::GatewayHandle::close)).
    Closed,
}

/// State and latency, as published to [`Gateway::status`](crate::Gateway::status) watchers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// The connection's state.
    pub state: ConnectionState,
    /// Round trip of the last answered ping.
    pub latency: Option<Duration>,
}
