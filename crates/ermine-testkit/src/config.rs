//! What a local server instance is configured with.

use std::time::Duration;

/// Settings of a [`TestServer`](crate::TestServer). `Config::default()` is what the real
/// server ships with, except that voice is off (no LiveKit here) unless enabled.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// Length of a rate-limit window (the real server: 10 s). Shorten it for fast tests.
    pub rate_limit_window: Duration,
    /// Whether rate limits apply at all.
    pub rate_limits: bool,
    /// Whether voice is enabled without a LiveKit server: `join_call` then records the
    /// caller in the call at once and answers with a token no LiveKit server accepts (for
    /// tests of the voice states alone).
    pub voice: bool,
    /// The LiveKit server voice goes through, as Stoat runs it: `join_call` signs a token for
    /// it and creates the room there, and its webhooks (to
    /// [`TestServer::voice_ingress_url`](crate::TestServer::voice_ingress_url)) become the
    /// voice states and events.
    pub livekit: Option<crate::LiveKitNode>,
    /// Maximum message length in bytes (`message_length`).
    pub message_length: usize,
    /// Maximum attachments per message.
    pub message_attachments: usize,
    /// Maximum replies per message.
    pub message_replies: usize,
    /// Maximum embeds per message.
    pub message_embeds: usize,
    /// Largest accepted JSON body in bytes (the web framework's default is 1 MiB).
    pub json_limit: usize,
    /// Largest accepted upload to the file server in bytes.
    pub upload_limit: usize,
    /// Largest accepted total size of request headers in bytes.
    pub header_limit: usize,
    /// Version string reported by `GET /`.
    pub version: String,
    /// The token the test controls (`/__ermine/*` over HTTP) require in `X-Ermine-Control`
    /// (random unless set).
    pub control_token: String,
    /// The events socket's port (a free one when `None`).
    pub events_port: Option<u16>,
    /// How many requests the request log keeps (the oldest are forgotten first).
    pub request_log: usize,
    /// How many uploaded files the file server keeps, and their total size in bytes;
    /// uploads beyond either are refused.
    pub upload_store: (usize, usize),
    /// How many events may wait for one socket; a socket that stops reading longer is
    /// dropped.
    pub socket_queue: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            rate_limit_window: Duration::from_secs(10),
            rate_limits: true,
            voice: false,
            livekit: None,
            message_length: 2000,
            message_attachments: 5,
            message_replies: 5,
            message_embeds: 5,
            json_limit: 1 << 20,
            upload_limit: 20_000_000,
            header_limit: 32 * 1024,
            version: "0.15.1".to_owned(),
            control_token: format!("{:032x}", fastrand::u128(..)),
            events_port: None,
            request_log: 10_000,
            upload_store: (1_000, 512 << 20),
            socket_queue: 4_096,
        }
    }
}

impl Config {
    /// Sets the token the HTTP test controls require.
    pub fn control_token(mut self, token: impl Into<String>) -> Self {
        self.control_token = token.into();
        self
    }

    /// Sets the events socket's port.
    pub fn events_port(mut self, port: u16) -> Self {
        self.events_port = Some(port);
        self
    }

    /// Sets how many requests the request log keeps.
    pub fn request_log(mut self, entries: usize) -> Self {
        self.request_log = entries;
        self
    }

    /// Sets how many events may wait for one socket.
    pub fn socket_queue(mut self, events: usize) -> Self {
        self.socket_queue = events;
        self
    }

    /// Sets the rate-limit window.
    pub fn rate_limit_window(mut self, window: Duration) -> Self {
        self.rate_limit_window = window;
        self
    }

    /// Turns rate limiting on or off.
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// Turns voice without a LiveKit server on or off (see [`voice`](Self::voice)).
    pub fn voice(mut self, enabled: bool) -> Self {
        self.voice = enabled;
        self
    }

    /// Sends voice through this LiveKit server.
    pub fn livekit(mut self, node: crate::LiveKitNode) -> Self {
        self.livekit = Some(node);
        self
    }

    /// Whether `join_call` and the other voice routes work (with or without LiveKit).
    pub fn voice_enabled(&self) -> bool {
        self.voice || self.livekit.is_some()
    }
}
