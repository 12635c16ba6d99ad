//! Credentials and per-request overrides.

use std::fmt;
use std::time::Duration;

use ermine_model::auth::Token;

/// A token and the header it goes in.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// A bot token: `X-Bot-Token`.
    Bot(Token),
    /// A user session token: `X-Session-Token`.
    Session(Token),
    /// An OAuth2 access token: `X-OAuth2-Token`.
    OAuth2(Token),
}

impl Auth {
    /// The header the token is sent in.
    pub fn header(&self) -> &'static str {
        match self {
            Self::Bot(_) => "x-bot-token",
            Self::Session(_) => "x-session-token",
            Self::OAuth2(_) => "x-oauth2-token",
        }
    }

    /// The token.
    pub fn token(&self) -> &Token {
        match self {
            Self::Bot(t) | Self::Session(t) | Self::OAuth2(t) => t,
        }
    }

    /// Whether this is a bot token.
    pub fn is_bot(&self) -> bool {
        matches!(self, Self::Bot(_))
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Self::Bot(_) => "Bot",
            Self::Session(_) => "Session",
            Self::OAuth2(_) => "OAuth2",
        };
        write!(f, "{kind}(<redacted>)")
    }
}

/// When to send a request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a 429 is retried (after its `retry_after`).
    pub rate_limited: u32,
    /// How many times a 502/503/504 or a broken connection is retried, for idempotent
    /// requests only (a message send counts as idempotent when it carries an
    /// `Idempotency-Key`).
    pub server_errors: u32,
    /// First backoff for server errors; doubled each attempt, with jitter.
    pub backoff: Duration,
    /// Largest backoff.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            rate_limited: 3,
            server_errors: 3,
            backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub const fn none() -> Self {
        Self {
            rate_limited: 0,
            server_errors: 0,
            backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        }
    }

    /// Sets how many times a 429 is retried.
    pub const fn rate_limited(mut self, times: u32) -> Self {
        self.rate_limited = times;
        self
    }

    /// Sets how many times a server error or broken connection is retried.
    pub const fn server_errors(mut self, times: u32) -> Self {
        self.server_errors = times;
        self
    }

    /// Sets the first backoff.
    pub const fn backoff(mut self, first: Duration) -> Self {
        self.backoff = first;
        self
    }
}

/// Overrides for one request; every field left `None` uses the client's setting.
///
/// Built with the same setters as a request ([`WithOptions`]), so a set of options kept for
/// several requests reads as one request's would:
///
/// ```
/// use std::time::Duration;
/// use ermine_http::{RequestOptions, WithOptions};
///
/// let careful = RequestOptions::default()
///     .timeout(Duration::from_secs(5))
///     .audit_log_reason("cleanup");
/// assert_eq!(careful.timeout, Some(Duration::from_secs(5)));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Credentials: `Some(None)` sends no token at all.
    pub auth: Option<Option<Auth>>,
    /// Extra headers (a header named here replaces the client's).
    pub headers: Vec<(String, String)>,
    /// Another API base URL.
    pub base_url: Option<String>,
    /// Another `User-Agent`.
    pub user_agent: Option<String>,
    /// An `Idempotency-Key` (≤ 64 characters).
    pub idempotency_key: Option<String>,
    /// An `X-MFA-Ticket`.
    pub mfa_ticket: Option<Token>,
    /// A `Cookie` header (e.g. a proxy's clearance cookie).
    pub cookie: Option<String>,
    /// Another timeout for each attempt.
    pub timeout: Option<Duration>,
    /// Another overall deadline: limiter waits, every attempt and the backoff between them.
    pub deadline: Option<Duration>,
    /// Another retry policy.
    pub retry: Option<RetryPolicy>,
    /// Skip the rate limiter (the server still counts the request).
    pub bypass_rate_limiter: bool,
    /// `X-Audit-Log-Reason` (≤ 512 bytes), on routes that write the audit log.
    pub reason: Option<String>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("auth", &self.auth)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("idempotency_key", &self.idempotency_key)
            .field("mfa_ticket", &self.mfa_ticket)
            .field("cookie", &self.cookie.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("bypass_rate_limiter", &self.bypass_rate_limiter)
            .field("reason", &self.reason)
            .finish()
    }
}

/// Setters for [`RequestOptions`], offered by every request builder.
pub trait WithOptions: Sized {
    /// The request's options.
    fn options_mut(&mut self) -> &mut RequestOptions;

    /// Sends this request with other credentials.
    fn auth(mut self, auth: Auth) -> Self {
        self.options_mut().auth = Some(Some(auth));
        self
    }

    /// Sends this request without any token.
    fn without_auth(mut self) -> Self {
        self.options_mut().auth = Some(None);
        self
    }

    /// Adds (or replaces) a header.
    fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options_mut().headers.push((name.into(), value.into()));
        self
    }

    /// Sends this request to another API base URL.
    fn base_url(mut self, url: impl Into<String>) -> Self {
        self.options_mut().base_url = Some(url.into());
        self
    }

    /// Uses another `User-Agent`.
    fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.options_mut().user_agent = Some(agent.into());
        self
    }

    /// Sets the `Idempotency-Key`.
    fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options_mut().idempotency_key = Some(key.into());
        self
    }

    /// Sets the `X-MFA-Ticket`.
    fn mfa_ticket(mut self, ticket: Token) -> Self {
        self.options_mut().mfa_ticket = Some(ticket);
        self
    }

    /// Sets the `Cookie` header.
    fn cookie(mut self, cookie: impl Into<String>) -> Self {
        self.options_mut().cookie = Some(cookie.into());
        self
    }

    /// Uses another timeout.
    fn timeout(mut self, timeout: Duration) -> Self {
        self.options_mut().timeout = Some(timeout);
        self
    }

    /// Uses another overall deadline (limiter waits, attempts and backoff together).
    fn deadline(mut self, deadline: Duration) -> Self {
        self.options_mut().deadline = Some(deadline);
        self
    }

    /// Uses another retry policy.
    fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options_mut().retry = Some(policy);
        self
    }

    /// Skips the client's rate limiter.
    fn bypass_rate_limiter(mut self) -> Self {
        self.options_mut().bypass_rate_limiter = true;
        self
    }

    /// Sets the audit-log reason (`X-Audit-Log-Reason`, ≤ 512 bytes).
    fn audit_log_reason(mut self, reason: impl Into<String>) -> Self {
        self.options_mut().reason = Some(reason.into());
        self
    }

    /// Replaces all options at once.
    fn options(mut self, options: RequestOptions) -> Self {
        *self.options_mut() = options;
        self
    }
}

/// Options are configured by the setters that configure a request.
impl WithOptions for RequestOptions {
    fn options_mut(&mut self) -> &mut RequestOptions {
        self
    }
}
