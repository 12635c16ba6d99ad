//! How to connect.

use std::time::Duration;

use ermine_model::auth::{Token, redact_url};
use url::Url;

use crate::error::GatewayError;

/// Wire format of frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON text frames.
    #[default]
    Json,
    /// msgpack binary frames (timestamps as integer milliseconds).
    #[cfg(feature = "msgpack")]
    #[cfg_attr(docsrs, doc(cfg(feature = "msgpack")))]
    Msgpack,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            #[cfg(feature = "msgpack")]
            Self::Msgpack => "msgpack",
        }
    }
}

/// Where the token goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMode {
    /// In the connection URL's query (`token=`). URLs end up in proxies' and libraries' logs:
    /// prefer [`AuthMode::Frame`] unless a server cannot take it.
    Query,
    /// In an `Authenticate` frame after connecting (keeps the token out of URLs and logs).
    #[default]
    Frame,
}

/// Reconnection delays: the one backoff rule of [`ermine_model::backoff`].
pub use ermine_model::backoff::Backoff;

/// Settings of a [`Gateway`](crate::Gateway).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GatewayConfig {
    /// The events URL (the `ws` field of `GET /`).
    pub url: String,
    /// The session or bot token.
    pub token: Token,
    /// Frame format.
    pub format: Format,
    /// Where the token goes.
    pub auth: AuthMode,
    /// `ready=` selection: only these `Ready` fields (all but unreads and settings when empty).
    pub ready: Vec<String>,
    /// How often to ping (default 30 s).
    pub ping_interval: Duration,
    /// How long to wait for the matching pong before replacing the connection (default 10 s).
    pub pong_timeout: Duration,
    /// Reconnection delays.
    pub backoff: Backoff,
    /// How often a live typing guard sends `BeginTyping` again (default 3 s).
    pub typing_renew: Duration,
    /// Longest time to open the socket: TCP, TLS and the WebSocket handshake (default 10 s).
    pub connect_timeout: Duration,
    /// Longest time from an open socket to `Ready` before the connection is replaced
    /// (default 30 s).
    pub ready_timeout: Duration,
    /// How long a connection must have stayed up after `Ready` for the backoff to start
    /// again from its first delay (default 30 s). A server that sends `Ready` and closes at
    /// once is retried with growing delays.
    pub stable_after: Duration,
    /// After this many failed attempts in a row (and again after each further run of as
    /// many), the stream yields a non-fatal [`GatewayError::Unreachable`](crate::GatewayError)
    /// and keeps trying (default 3; 0 never reports).
    pub report_failures_after: u32,
    /// Largest events message accepted (default 16 MiB): a larger one closes the connection,
    /// which is then replaced; the failure is logged and counted.
    pub max_message_size: usize,
}

impl GatewayConfig {
    /// JSON, token in the query, 30 s pings with a 10 s pong timeout.
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            token: Token::new(token),
            format: Format::Json,
            auth: AuthMode::Frame,
            ready: Vec::new(),
            ping_interval: Duration::from_secs(30),
            pong_timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            typing_renew: Duration::from_secs(3),
            connect_timeout: Duration::from_secs(10),
            ready_timeout: Duration::from_secs(30),
            stable_after: Duration::from_secs(30),
            report_failures_after: 3,
            max_message_size: 16 << 20,
        }
    }

    /// Sets the connect and `Ready` timeouts.
    #[must_use]
    pub fn timeouts(mut self, connect: Duration, ready: Duration) -> Self {
        self.connect_timeout = connect;
        self.ready_timeout = ready;
        self
    }

    /// Sets how long a connection must stay up for the backoff to start again.
    #[must_use]
    pub fn stable_after(mut self, after: Duration) -> Self {
        self.stable_after = after;
        self
    }

    /// Sets after how many failed attempts in a row the stream reports
    /// [`GatewayError::Unreachable`](crate::GatewayError) (0: never).
    #[must_use]
    pub fn report_failures_after(mut self, attempts: u32) -> Self {
        self.report_failures_after = attempts;
        self
    }

    /// Sets the largest events message accepted.
    #[must_use]
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// Sets how often a live typing guard renews.
    #[must_use]
    pub fn typing_renew(mut self, every: Duration) -> Self {
        self.typing_renew = every;
        self
    }

    /// Sets the frame format.
    #[must_use]
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Sets where the token goes.
    #[must_use]
    pub fn auth(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// Asks for only these `Ready` fields.
    #[must_use]
    pub fn ready(mut self, fields: &[&str]) -> Self {
        self.ready = fields.iter().map(|f| (*f).to_owned()).collect();
        self
    }

    /// Sets the ping interval and pong timeout.
    #[must_use]
    pub fn heartbeat(mut self, interval: Duration, pong_timeout: Duration) -> Self {
        self.ping_interval = interval;
        self.pong_timeout = pong_timeout;
        self
    }

    /// Sets the reconnection delays.
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The URL to connect to: the events URL as the server advertises it (with or without a
    /// path or query), plus `version`, `format`, the `ready` selection and, in query mode
    /// only, the token.
    pub(crate) fn connect_url(&self) -> Result<Url, GatewayError> {
        let mut url = Url::parse(self.url.trim())
            .map_err(|e| GatewayError::InvalidUrl(format!("{e}: {}", redact_url(&self.url))))?;
        if !matches!(url.scheme(), "ws" | "wss") || !url.has_host() {
            return Err(GatewayError::InvalidUrl(format!(
                "not a ws:// or wss:// URL: {}",
                redact_url(&self.url)
            )));
        }
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("version", "1")
                .append_pair("format", self.format.as_str());
            for field in &self.ready {
                query.append_pair("ready", field);
            }
            if self.auth == AuthMode::Query {
                query.append_pair("token", self.token.expose());
            }
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_version_format_selection_and_token() {
        let config = GatewayConfig::new("ws://h/events", "t o")
            .auth(AuthMode::Query)
            .ready(&["users", "user_settings[x]"]);
        assert_eq!(
            config.connect_url().unwrap().as_str(),
            "ws://h/events?version=1&format=json&ready=users&ready=user_settings%5Bx%5D&token=t+o"
        );
        let frame = GatewayConfig::new("ws://h/", "secret");
        assert_eq!(
            frame.auth,
            AuthMode::Frame,
            "frame authentication is the default"
        );
        assert!(!frame.connect_url().unwrap().as_str().contains("secret"));
    }

    #[test]
    fn every_advertised_form_gives_a_request_path() {
        for (advertised, expected) in [
            ("ws://h:14703", "ws://h:14703/?version=1&format=json"),
            ("ws://h:14703/", "ws://h:14703/?version=1&format=json"),
            ("wss://h/events", "wss://h/events?version=1&format=json"),
            ("wss://h/events/", "wss://h/events/?version=1&format=json"),
            ("ws://h?x=1", "ws://h/?x=1&version=1&format=json"),
            (
                "ws://h/events?x=1",
                "ws://h/events?x=1&version=1&format=json",
            ),
            (" ws://h ", "ws://h/?version=1&format=json"),
        ] {
            let url = GatewayConfig::new(advertised, "t").connect_url().unwrap();
            assert_eq!(url.as_str(), expected, "{advertised}");
            assert!(url.path().starts_with('/'));
        }
    }

    #[test]
    fn a_bad_url_is_a_typed_error_without_credentials() {
        for bad in [
            "",
            "events.example",
            "http://me:pw@h/",
            "ws://",
            "ws://user:pw@[::1",
        ] {
            let error = GatewayConfig::new(bad, "t").connect_url().unwrap_err();
            assert!(
                matches!(error, GatewayError::InvalidUrl(_)),
                "{bad}: {error:?}"
            );
            assert!(!error.to_string().contains("pw"), "{error}");
        }
    }
}
