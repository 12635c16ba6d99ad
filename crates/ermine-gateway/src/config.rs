//! How to connect.

use std::time::Duration;

use ermine_model::auth::Token;

/// Wire format of frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON text frames.
    #[default]
    Json,
    /// msgpack binary frames (timestamps as integer milliseconds).
    #[cfg(feature = "msgpack")]
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
    /// In the connection URL's query (`token=`).
    #[default]
    Query,
    /// In an `Authenticate` frame after connecting (keeps the token out of URLs and logs).
    Frame,
}

/// Reconnection delays: exponential from `initial`, capped at `max`, with up to 25 % jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backoff {
    /// First delay.
    pub initial: Duration,
    /// Largest delay.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// Delays from `initial` up to `max`.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self { initial, max }
    }

    /// The delay before reconnection attempt `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let base = self
            .initial
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        base + base.mul_f64(f64::from(nanos % 250) / 1000.0)
    }
}

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
}

impl GatewayConfig {
    /// JSON, token in the query, 30 s pings with a 10 s pong timeout.
    pub fn new(url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            token: Token::new(token),
            format: Format::Json,
            auth: AuthMode::Query,
            ready: Vec::new(),
            ping_interval: Duration::from_secs(30),
            pong_timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            typing_renew: Duration::from_secs(3),
        }
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

    /// The URL to connect to (the token only in query mode).
    pub(crate) fn connect_url(&self) -> String {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        let mut url = format!(
            "{}{separator}version=1&format={}",
            self.url,
            self.format.as_str()
        );
        for field in &self.ready {
            url.push_str("&ready=");
            url.push_str(&encode(field));
        }
        if self.auth == AuthMode::Query {
            url.push_str("&token=");
            url.push_str(&encode(self.token.expose()));
        }
        url
    }
}

fn encode(value: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_version_format_selection_and_token() {
        let config =
            GatewayConfig::new("ws://h/events", "t o").ready(&["users", "user_settings[x]"]);
        assert_eq!(
            config.connect_url(),
            "ws://h/events?version=1&format=json&ready=users&ready=user_settings%5Bx%5D&token=t%20o"
        );
        let frame = GatewayConfig::new("ws://h/", "secret").auth(AuthMode::Frame);
        assert!(!frame.connect_url().contains("secret"));
    }

    #[test]
    fn backoff_grows_to_its_cap() {
        let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        assert!(
            b.delay(1) >= Duration::from_millis(100) && b.delay(1) < Duration::from_millis(130)
        );
        assert!(b.delay(3) >= Duration::from_millis(400));
        assert!(b.delay(20) <= Duration::from_millis(1250));
    }
}
