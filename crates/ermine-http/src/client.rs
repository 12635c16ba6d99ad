//! The client: credentials, base URL, connection pool, rate limiter, retries, tracing.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use ermine_model::auth::{Token, redact_url};
use ermine_model::route;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;
use url::Url;

use crate::error::{Error, ErrorKind, ResponseInfo};
use crate::options::{Auth, RequestOptions, RetryPolicy};
use crate::ratelimit::{
    BucketKey, InMemoryRateLimiter, MAX_WINDOW, Outcome, Permit, RateLimitHeaders, RateLimiter,
    identity_hash,
};
use crate::request::RawRequest;
use crate::validate;

/// The official instance's API.
pub const DEFAULT_BASE_URL: &str = "https://api.stoat.chat";

/// The default `User-Agent`.
pub const USER_AGENT: &str = concat!(
    "ermine/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/ermine-rs/ermine)"
);

/// A Stoat REST client. Cheap to clone: clones share the connection pool, the rate limiter
/// and the discovered URLs.
///
/// ```no_run
/// # async fn demo() -> Result<(), ermine_http::Error> {
/// use ermine_http::Client;
///
/// let client = Client::builder().bot_token("TOKEN").build()?;
/// let me = client.fetch_self().await?;
/// println!("logged in as {}", me.tag());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Option<Auth>,
    user_agent: String,
    timeout: Duration,
    retry: RetryPolicy,
    limiter: Arc<dyn RateLimiter>,
    files_url: RwLock<Option<String>>,
    events_url: RwLock<Option<String>>,
    max_body: usize,
    deadline: Duration,
    /// Whose budget requests count against, as the server keys it.
    identity: Arc<str>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact_url(&self.inner.base_url))
            .field("auth", &self.inner.auth)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("limiter", &self.inner.limiter)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    auth: Option<Auth>,
    base_url: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    limiter: Option<Arc<dyn RateLimiter>>,
    files_url: Option<String>,
    events_url: Option<String>,
    max_body: Option<usize>,
    deadline: Option<Duration>,
    address: Option<String>,
}

/// The largest response body read by default (64 MiB: a 200,000-member list fits).
pub const DEFAULT_MAX_BODY: usize = 64 << 20;
/// The most of an error answer's body that is read (enough for any typed error).
const ERROR_BODY_READ: usize = 64 << 10;

impl ClientBuilder {
    /// Authenticates as a bot (`X-Bot-Token`).
    pub fn bot_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Bot(Token::new(token)));
        self
    }

    /// Authenticates as a user session (`X-Session-Token`).
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Session(Token::new(token)));
        self
    }

    /// Authenticates with any kind of token.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// The API base URL (default: the official instance). Self-hosted instances are common.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The file server URL (otherwise discovered from `GET /` on first upload).
    pub fn files_url(mut self, url: impl Into<String>) -> Self {
        self.files_url = Some(url.into());
        self
    }

    /// The events URL (otherwise discovered from `GET /`).
    pub fn events_url(mut self, url: impl Into<String>) -> Self {
        self.events_url = Some(url.into());
        self
    }

    /// The `User-Agent` (default names ermine and its version).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Timeout of each attempt, from sending to the last byte of the answer, uploads
    /// included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overall deadline of a request: rate-limit waits, every attempt and the backoff
    /// between them (default 120 s). Past it the request fails with
    /// [`ErrorKind::Timeout`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Largest response body accepted (default [`DEFAULT_MAX_BODY`]); a larger one fails
    /// with [`ErrorKind::BodyTooLarge`] as soon as the limit is passed, without reading the
    /// rest.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// Names the network address this client's bot or unauthenticated requests come from.
    /// The server counts those per client address, not per token: every client in this
    /// process with the same base URL and address shares one budget (through the default
    /// limiter, or a shared one). The default (`"default"`) suits one egress address; give
    /// clients that leave through different addresses different names. Session tokens are
    /// counted per session whatever this says.
    pub fn rate_limit_address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Another rate limiter (default: [`InMemoryRateLimiter::process_wide`], shared by every
    /// client of the process so that bots on one address share their budget as the server
    /// counts it).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Builds the client. Redirects are followed only within the same origin (scheme, host
    /// and port; at most 5), so credentials never reach another origin and https is never
    /// downgraded; any other redirect fails with [`ErrorKind::Redirect`].
    pub fn build(self) -> Result<Client, Error> {
        // TLS is what the crate's features chose: rustls (webpki or native roots) or the
        // system's library; with none of them, only http:// URLs work.
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(90))
            .redirect(same_origin_redirects())
            .build()
            .map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
        let base_url = self
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        let parsed = Url::parse(&base_url).map_err(|e| {
            Error::new(ErrorKind::Build)
                .with_source(format!("invalid base URL {}: {e}", redact_url(&base_url)))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::new(ErrorKind::Build).with_source(format!(
                "the base URL must be http or https: {}",
                redact_url(&base_url)
            )));
        }
        let identity = rate_limit_identity(
            &parsed,
            self.auth.as_ref(),
            self.address.as_deref().unwrap_or("default"),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth: self.auth,
                user_agent: self.user_agent.unwrap_or_else(|| USER_AGENT.to_owned()),
                timeout: self.timeout.unwrap_or(Duration::from_secs(30)),
                retry: self.retry.unwrap_or_default(),
                limiter: self
                    .limiter
                    .unwrap_or_else(|| InMemoryRateLimiter::process_wide() as Arc<dyn RateLimiter>),
                files_url: RwLock::new(self.files_url),
                events_url: RwLock::new(self.events_url),
                max_body: self.max_body.unwrap_or(DEFAULT_MAX_BODY),
                deadline: self.deadline.unwrap_or(Duration::from_mins(2)),
                identity: identity.into(),
            }),
        })
    }
}

/// Follows redirects only within the origin of the request that was redirected.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|from| from.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 5 {
            attempt.error("more than 5 redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Who the server counts a request against: the session for session tokens, otherwise the
/// client's address (bots and unauthenticated calls), within one API origin.
fn rate_limit_identity(base: &Url, auth: Option<&Auth>, address: &str) -> String {
    let origin = base.origin().ascii_serialization();
    match auth {
        Some(Auth::Session(token)) => {
            format!("{origin} session {}", identity_hash(token.expose()))
        }
        _ => format!("{origin} address {address}"),
    }
}

/// A request exactly as it would go on the wire (tokens redacted in `Debug`).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Prepared {
    /// HTTP method.
    pub method: Method,
    /// Full URL, query included.
    pub url: String,
    /// Every header.
    pub headers: HeaderMap,
    /// The JSON body, if any.
    pub body: Option<String>,
    /// For a path that holds a secret: the path as sent and as `Debug` shows it.
    secret_path: Option<(String, String)>,
}

impl Prepared {
    /// The URL as `Debug` shows it: credentials and path secrets written as names.
    fn shown_url(&self) -> String {
        match &self.secret_path {
            Some((sent, shown)) => redact_url(&self.url.replacen(sent, shown, 1)),
            None => redact_url(&self.url),
        }
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

const SECRET_HEADERS: [&str; 7] = [
    "authorization",
    "proxy-authorization",
    "x-bot-token",
    "x-session-token",
    "x-oauth2-token",
    "x-mfa-ticket",
    "cookie",
];

// `secret_path` is shown through the URL it redacts.
#[allow(clippy::missing_fields_in_debug)]
impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if SECRET_HEADERS.contains(&n.as_str()) {
                    "<redacted>"
                } else {
                    v.to_str().unwrap_or("<not text>")
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("Prepared")
            .field("method", &self.method)
            .field("url", &self.shown_url())
            .field("headers", &headers)
            .field(
                "body",
                &self.body.as_deref().map(crate::request::shown_body_text),
            )
            .finish()
    }
}

/// Sets a header, replacing any earlier value; a name or value that cannot be a header is a
/// [`ErrorKind::Build`] error.
fn set_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), Error> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
    let value =
        HeaderValue::from_str(value).map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
    headers.insert(name, value);
    Ok(())
}

/// The HTTP method of the API's method.
fn http_method(method: route::Method) -> Method {
    match method {
        route::Method::Get => Method::GET,
        route::Method::Post => Method::POST,
        route::Method::Put => Method::PUT,
        route::Method::Patch => Method::PATCH,
        route::Method::Delete => Method::DELETE,
    }
}

/// Backoff for attempt `n` (1-based), by the one rule of [`ermine_model::backoff`].
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    ermine_model::backoff::Backoff::new(policy.backoff, policy.max_backoff).delay(attempt)
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The timeout of each attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// Whether the client authenticates as a bot.
    pub fn is_bot(&self) -> bool {
        self.inner.auth.as_ref().is_some_and(Auth::is_bot)
    }

    /// The client's credentials.
    pub fn auth(&self) -> Option<&Auth> {
        self.inner.auth.as_ref()
    }

    /// The file server URL, if set or discovered.
    pub fn files_url(&self) -> Option<String> {
        self.inner
            .files_url
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The events URL, if set or discovered.
    pub fn events_url(&self) -> Option<String> {
        self.inner
            .events_url
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reads `GET /` and remembers the events and file-server URLs it names.
    pub async fn discover(&self) -> Result<ermine_model::instance::InstanceConfig, Error> {
        let config = self.fetch_instance().await?;
        let set = |slot: &RwLock<Option<String>>, value: String| {
            *slot
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(value);
        };
        set(&self.inner.events_url, config.ws.clone());
        set(&self.inner.files_url, config.features.autumn.url.clone());
        Ok(config)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The request as it would be sent, after the client's settings and `options`.
    pub fn prepare(&self, raw: &RawRequest, options: &RequestOptions) -> Result<Prepared, Error> {
        let base = options
            .base_url
            .as_deref()
            .unwrap_or(&self.inner.base_url)
            .trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{}", raw.path))
            .map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
        if !raw.query.is_empty() {
            let mut query = url.query_pairs_mut();
            for (key, value) in &raw.query {
                query.append_pair(key, value);
            }
        }
        let shown = raw.shown_path();
        let secret_path = (shown != raw.path).then(|| (raw.path.clone(), shown.into_owned()));
        let url = String::from(url);
        let mut headers = HeaderMap::new();
        set_header(&mut headers, "accept", "application/json")?;
        let agent = options
            .user_agent
            .as_deref()
            .unwrap_or(&self.inner.user_agent);
        set_header(&mut headers, "user-agent", agent)?;
        if raw.auth {
            let auth = options
                .auth
                .as_ref()
                .map_or(self.inner.auth.as_ref(), Option::as_ref);
            if let Some(auth) = auth {
                set_header(&mut headers, auth.header(), auth.token().expose())?;
            }
        }
        if raw.body.is_some() {
            set_header(&mut headers, "content-type", "application/json")?;
        }
        for (name, value) in &raw.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(reason) = &options.reason {
            validate::length("X-Audit-Log-Reason", reason.len(), 0, 512)?;
            set_header(&mut headers, "x-audit-log-reason", reason)?;
        }
        if let Some(key) = &options.idempotency_key {
            validate::chars("Idempotency-Key", key, 1, 64)?;
            set_header(&mut headers, "idempotency-key", key)?;
        }
        if let Some(ticket) = &options.mfa_ticket {
            set_header(&mut headers, "x-mfa-ticket", ticket.expose())?;
        }
        if let Some(cookie) = &options.cookie {
            set_header(&mut headers, "cookie", cookie)?;
        }
        for (name, value) in &options.headers {
            set_header(&mut headers, name, value)?;
        }
        Ok(Prepared {
            method: http_method(raw.method),
            url,
            headers,
            body: raw.body.as_ref().map(ToString::to_string),
            secret_path,
        })
    }

    /// Sends a request with rate limiting and retries; returns the body of a successful
    /// answer. The whole of it (limiter waits, attempts, backoff) ends by the deadline.
    pub async fn execute(
        &self,
        raw: &RawRequest,
        options: &RequestOptions,
    ) -> Result<Vec<u8>, Error> {
        let prepared = self.prepare(raw, options)?;
        let bucket = self.bucket(raw);
        let span = tracing::debug_span!(
            "request",
            method = %raw.method,
            route = %raw.shown_path(),
            bucket = %bucket,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            wait_ms = tracing::field::Empty,
        );
        let deadline = options.deadline.unwrap_or(self.inner.deadline);
        tokio::time::timeout(
            deadline,
            self.run(prepared, raw, options, bucket).instrument(span),
        )
        .await
        .unwrap_or_else(|_| {
            Err(Error::new(ErrorKind::Timeout)
                .with_source(format!("no answer within the deadline of {deadline:?}")))
        })
    }

    /// The rate-limit bucket of a request, with whose budget it counts against.
    pub fn bucket(&self, raw: &RawRequest) -> BucketKey {
        let (bucket, resource) = raw.bucket();
        BucketKey::new(bucket, resource).with_identity(Arc::clone(&self.inner.identity))
    }

    async fn run(
        &self,
        prepared: Prepared,
        raw: &RawRequest,
        options: &RequestOptions,
        bucket: BucketKey,
    ) -> Result<Vec<u8>, Error> {
        let policy = options.retry.unwrap_or(self.inner.retry);
        let idempotent = raw.idempotent
            || (options.idempotency_key.is_some() && raw.method == route::Method::Post);
        let headers = prepared.headers.clone();
        let (mut limited_attempts, mut failed_attempts, mut attempt) = (0u32, 0u32, 0u32);
        loop {
            attempt += 1;
            let started = tokio::time::Instant::now();
            let permit = if options.bypass_rate_limiter {
                Permit::unconditional()
            } else {
                self.inner.limiter.acquire(&bucket).await
            };
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record(
                "wait_ms",
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            let timeout = options.timeout.unwrap_or(self.inner.timeout);
            let mut request = self
                .inner
                .http
                .request(prepared.method.clone(), &prepared.url)
                .headers(headers.clone());
            if let Some(body) = &prepared.body {
                request = request.body(body.clone());
            }
            let answer = match self.exchange(request, timeout).await {
                Ok(answer) => answer,
                Err((error, retryable)) => {
                    drop(permit);
                    if retryable && idempotent && failed_attempts < policy.server_errors {
                        failed_attempts += 1;
                        tracing::debug!(attempt, "connection failed, retrying");
                        tokio::time::sleep(backoff(&policy, failed_attempts)).await;
                        continue;
                    }
                    return Err(error);
                }
            };
            span.record("status", answer.status);
            let error = answer.error(raw.method.as_str(), &raw.shown_path());
            // Only the limiter's 429 (`{retry_after}`) is retried, and only when its wait
            // is one a window can have; a typed 429 such as InSlowmode is the caller's.
            let limited = match error.as_ref().map(Error::kind) {
                Some(ErrorKind::RateLimited { retry_after }) => Some(*retry_after),
                _ => None,
            };
            permit.complete(Outcome::new(answer.limit_headers, limited));
            if limited.is_some_and(|wait| wait <= MAX_WINDOW)
                && limited_attempts < policy.rate_limited
            {
                limited_attempts += 1;
                tracing::debug!(attempt, "rate limited, retrying after the window");
                continue;
            }
            if matches!(answer.status, 502..=504)
                && idempotent
                && failed_attempts < policy.server_errors
            {
                failed_attempts += 1;
                tracing::debug!(attempt, status = answer.status, "server error, retrying");
                tokio::time::sleep(backoff(&policy, failed_attempts)).await;
                continue;
            }
            return match error {
                Some(error) => Err(error),
                None => Ok(answer.body),
            };
        }
    }

    /// One round trip within `timeout`, the body read up to the client's limit (error
    /// bodies up to 64 KiB); on failure the error and whether a retry may help.
    pub(crate) async fn exchange(
        &self,
        request: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<Answer, (Error, bool)> {
        let failed = |e: reqwest::Error| {
            let timed_out = e.is_timeout();
            let kind = if timed_out {
                ErrorKind::Timeout
            } else {
                ErrorKind::Transport
            };
            (Error::new(kind).with_source(e), !timed_out)
        };
        let round_trip = async {
            let mut response = request.send().await.map_err(failed)?;
            let status = response.status().as_u16();
            let limit_headers = RateLimitHeaders::from_headers(response.headers());
            let redirected = response.status().is_redirection();
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|to| response.url().join(to).ok())
                .map(|to| to.origin().ascii_serialization());
            let success = (200..300).contains(&status);
            let limit = if success {
                self.inner.max_body
            } else {
                ERROR_BODY_READ
            };
            if success
                && response
                    .content_length()
                    .is_some_and(|len| usize::try_from(len).map_or(true, |len| len > limit))
            {
                return Err((Error::new(ErrorKind::BodyTooLarge { limit }), false));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(failed)? {
                if body.len() + chunk.len() > limit {
                    if success {
                        return Err((Error::new(ErrorKind::BodyTooLarge { limit }), false));
                    }
                    // Enough of an error body to read it; the rest is not wanted.
                    body.extend_from_slice(&chunk[..limit - body.len()]);
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Answer {
                status,
                limit_headers,
                body,
                redirected,
                location,
            })
        };
        tokio::time::timeout(timeout, round_trip)
            .await
            .unwrap_or_else(|_| {
                Err((
                    Error::new(ErrorKind::Timeout)
                        .with_source(format!("no complete answer within {timeout:?}")),
                    false,
                ))
            })
    }
}

/// An answer as read by [`Client::exchange`].
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) limit_headers: Option<RateLimitHeaders>,
    pub(crate) body: Vec<u8>,
    /// A redirect that was not followed.
    redirected: bool,
    /// The origin a `Location` header points to, when readable.
    location: Option<String>,
}

impl Answer {
    /// The error this answer means, if any: an error status, a redirect that was not
    /// followed, or `NoEffect`.
    pub(crate) fn error(&self, method: &str, path: &str) -> Option<Error> {
        let info = || ResponseInfo {
            method: method.to_owned(),
            path: path.to_owned(),
            status: self.status,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        };
        if self.redirected {
            let mut info = info();
            crate::error::shorten(&mut info.body);
            let to = self.location.clone();
            return Some(Error::new(ErrorKind::Redirect { to }).with_response(info));
        }
        (!(200..300).contains(&self.status) || self.body.starts_with(br#"{"type":"NoEffect""#))
            .then(|| {
                Error::from_response(info(), self.limit_headers.as_ref().map(|h| h.reset_after))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_token() {
        let client = Client::builder()
            .bot_token("secret-token-123")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("secret-token-123"), "{shown}");
        let raw = RawRequest::new(&route::FETCH_SELF, [""; 0]).unwrap();
        let mut options = RequestOptions::default();
        options
            .headers
            .push(("Authorization".into(), "Bearer secret-bearer".into()));
        let prepared = client.prepare(&raw, &options).unwrap();
        assert_eq!(prepared.header("x-bot-token"), Some("secret-token-123"));
        let shown = format!("{prepared:?}");
        assert!(!shown.contains("secret-token-123"), "{shown}");
        assert!(!shown.contains("secret-bearer"), "{shown}");
        let with_credentials = Client::builder()
            .base_url("https://me:secret-password@api.example")
            .build()
            .unwrap();
        let shown = format!("{with_credentials:?}");
        assert!(!shown.contains("secret-password"), "{shown}");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        assert!(backoff(&policy, 1) >= Duration::from_millis(250));
        assert!(backoff(&policy, 2) >= Duration::from_millis(500));
        assert!(backoff(&policy, 30) <= policy.max_backoff.mul_f64(1.25));
    }
}
