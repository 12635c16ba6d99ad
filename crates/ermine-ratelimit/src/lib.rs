#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

//! The rate limiter: a small, replaceable component. Requests take a [`Permit`] from their
//! bucket before they are sent and hand back what the answer said; buckets are seeded from
//! the server's route table and learned from `X-RateLimit-*` headers; waiting requests queue
//! FIFO per bucket instead of stampeding when a window resets.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ermine_model::route;
use http::HeaderMap;
use tokio::sync::{Notify, broadcast};
use tokio::time::Instant;

/// Which bucket a request counts against, as the server resolves it: whose budget
/// (`identity`), a name and the resource it is keyed by (`servers` + the server ID, `users` +
/// nothing, ...).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BucketKey {
    /// The bucket's name in the server's table.
    pub name: &'static str,
    /// The resource it is keyed by (empty for global buckets).
    pub resource: String,
    /// The limit per window the table gives it.
    pub limit: u32,
    /// Whose budget it is, as the server counts: the API origin and either the session
    /// (session tokens, as a hash) or the client's address (bots, no token). Empty when
    /// unknown. Never holds a credential.
    pub identity: Arc<str>,
}

impl fmt::Display for BucketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.resource.is_empty() {
            f.write_str(self.name)
        } else {
            write!(f, "{}/{}", self.name, self.resource)
        }
    }
}

impl BucketKey {
    /// The key of `bucket`, keyed by `resource` (empty for global buckets), in no identity's
    /// budget yet.
    pub fn new(bucket: route::Bucket, resource: &str) -> Self {
        Self {
            name: bucket.name(),
            resource: resource.to_owned(),
            limit: bucket.limit(),
            identity: Arc::from(""),
        }
    }

    /// The same bucket in another identity's budget.
    #[must_use]
    pub fn with_identity(mut self, identity: Arc<str>) -> Self {
        self.identity = identity;
        self
    }
}

/// A short, stable, non-reversible name for `value` (the first 12 bytes of its SHA-256, in
/// hex): how a session token appears in a rate-limit identity, and how identities appear in
/// shared stores' keys.
pub fn identity_hash(value: &str) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    let digest = sha2::Sha256::digest(value.as_bytes());
    digest[..12].iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The longest a bucket is ever closed: the server's windows last 10 s, so a reset or
/// `retry_after` beyond this (a broken or hostile server) is clamped to it, and a 429 asking
/// for longer is not retried but returned to the caller as
/// `ErrorKind::RateLimited` of `ermine-http` with the server's value.
pub const MAX_WINDOW: Duration = Duration::from_mins(1);

/// The rate-limit headers of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Bucket`: the server's opaque bucket ID.
    pub bucket: Option<String>,
    /// `X-RateLimit-Limit`.
    pub limit: Option<u32>,
    /// `X-RateLimit-Remaining`.
    pub remaining: u32,
    /// `X-RateLimit-Reset-After` (sent in milliseconds).
    pub reset_after: Duration,
}

impl RateLimitHeaders {
    /// Reads the headers; `None` when `Remaining` or `Reset-After` is missing or unreadable
    /// (a proxy in between may strip them). A reset beyond [`MAX_WINDOW`] is clamped to it
    /// and a limit of 0 is ignored, so no answer can close a bucket for good.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let remaining = get("x-ratelimit-remaining")?.trim().parse().ok()?;
        let reset_ms: u64 = get("x-ratelimit-reset-after")?.trim().parse().ok()?;
        let read = Self {
            bucket: get("x-ratelimit-bucket")
                .filter(|b| b.len() <= 64)
                .map(str::to_owned),
            limit: get("x-ratelimit-limit").and_then(|v| v.trim().parse().ok()),
            remaining,
            reset_after: Duration::from_millis(reset_ms),
        };
        Some(read.bounded())
    }

    /// The same with the reset at most [`MAX_WINDOW`] and a limit of 0 ignored.
    #[must_use]
    pub fn bounded(mut self) -> Self {
        self.reset_after = self.reset_after.min(MAX_WINDOW);
        self.limit = self.limit.filter(|limit| *limit > 0);
        self
    }
}

/// What an answer told the limiter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The rate-limit headers, when present.
    pub headers: Option<RateLimitHeaders>,
    /// Set when the answer was a 429: how long the server asked to wait.
    pub limited: Option<Duration>,
}

impl Outcome {
    /// An answer's outcome: its headers, and how long a 429 asked to wait.
    pub const fn new(headers: Option<RateLimitHeaders>, limited: Option<Duration>) -> Self {
        Self { headers, limited }
    }

    /// What a limiter acts on, whatever the answer said: every wait at most [`MAX_WINDOW`],
    /// a limit of 0 ignored. Every limiter applies it to the outcomes it is handed.
    #[must_use]
    pub fn bounded(mut self) -> Self {
        self.headers = self.headers.map(RateLimitHeaders::bounded);
        self.limited = self.limited.map(|wait| wait.min(MAX_WINDOW));
        self
    }
}

/// Something a limiter reports, for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitEvent {
    /// A request waits for its bucket (`None`: until an answer tells when the window ends).
    Waiting {
        /// The bucket.
        bucket: String,
        /// How long, when known.
        wait: Option<Duration>,
    },
    /// An answer updated a bucket.
    Updated {
        /// The bucket.
        bucket: String,
        /// Requests left in the window.
        remaining: u32,
        /// Time until the window resets.
        reset_after: Duration,
    },
    /// The server answered 429.
    Limited {
        /// The bucket.
        bucket: String,
        /// How long the server asked to wait.
        retry_after: Duration,
    },
}

/// Permission to send one request. Hand the answer's [`Outcome`] back with
/// [`Permit::complete`]; dropping a permit unanswered (a cancelled request) frees the bucket
/// for the next waiter.
pub struct Permit {
    complete: Option<Box<dyn FnOnce(Outcome) + Send>>,
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

impl Permit {
    /// A permit that reports to `complete`.
    pub fn new(complete: impl FnOnce(Outcome) + Send + 'static) -> Self {
        Self {
            complete: Some(Box::new(complete)),
        }
    }

    /// A permit that reports nowhere (for limiters that do not track answers).
    pub fn unconditional() -> Self {
        Self { complete: None }
    }

    /// Reports what the answer said.
    pub fn complete(mut self, outcome: Outcome) {
        if let Some(f) = self.complete.take() {
            f(outcome);
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(f) = self.complete.take() {
            f(Outcome::default());
        }
    }
}

/// A future of a [`Permit`].
pub type PermitFuture<'a> = Pin<Box<dyn Future<Output = Permit> + Send + 'a>>;

/// A rate limiter the client asks before each request. Implement it to share a budget
/// between processes or to plug in another policy.
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Waits until a request in `bucket` may be sent.
    fn acquire<'a>(&'a self, bucket: &'a BucketKey) -> PermitFuture<'a>;
}

#[derive(Debug)]
struct State {
    limit: u32,
    remaining: u32,
    reset_at: Option<Instant>,
    /// When the first request of the current window was let through.
    window_start: Option<Instant>,
    server_bucket: Option<String>,
}

#[derive(Debug)]
struct Bucket {
    name: String,
    queue: tokio::sync::Mutex<()>,
    state: Mutex<State>,
    answered: Notify,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's window length, assumed until answers tell the real reset time (every bucket
/// of the route table uses it).
const WINDOW: Duration = Duration::from_secs(10);

impl Bucket {
    /// Whether forgetting it changes nothing: its window is over.
    fn idle(&self, now: Instant) -> bool {
        let s = lock(&self.state);
        let end = s.reset_at.or(s.window_start.map(|start| start + WINDOW));
        end.is_none_or(|end| now >= end)
    }

    fn update(&self, outcome: Outcome, events: &broadcast::Sender<RateLimitEvent>) {
        let outcome = outcome.bounded();
        let now = Instant::now();
        {
            let mut s = lock(&self.state);
            if let Some(h) = &outcome.headers {
                if let Some(limit) = h.limit {
                    s.limit = limit;
                }
                s.remaining = s.remaining.min(h.remaining);
                s.reset_at = Some(now + h.reset_after);
                s.server_bucket.clone_from(&h.bucket);
                let _ = events.send(RateLimitEvent::Updated {
                    bucket: self.name.clone(),
                    remaining: h.remaining,
                    reset_after: h.reset_after,
                });
            }
            if let Some(wait) = outcome.limited {
                s.remaining = 0;
                s.reset_at = Some(now + wait);
                let _ = events.send(RateLimitEvent::Limited {
                    bucket: self.name.clone(),
                    retry_after: wait,
                });
            }
        }
        self.answered.notify_waiters();
    }
}

/// What a spent bucket waits for.
enum Wait {
    /// The known end of the window.
    Until(Instant),
    /// An answer telling the end of the window, at most until this instant.
    Answer(Instant),
}

/// The default limiter: in-process, one queue per bucket.
///
/// Buckets of every identity live in one map, which is pruned of buckets that are idle (no
/// request waiting or in flight, window over) whenever it has grown past twice its size
/// after the last pruning (at least 1,024), so its memory follows the buckets in use.
#[derive(Debug)]
pub struct InMemoryRateLimiter {
    buckets: Mutex<Buckets>,
    events: broadcast::Sender<RateLimitEvent>,
}

#[derive(Debug)]
struct Buckets {
    map: HashMap<BucketKey, Arc<Bucket>>,
    prune_at: usize,
}

const PRUNE_FLOOR: usize = 1024;

impl Default for InMemoryRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl InMemoryRateLimiter {
    /// A limiter with no learned state.
    pub fn new() -> Self {
        Self {
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                prune_at: PRUNE_FLOOR,
            }),
            events: broadcast::channel(1024).0,
        }
    }

    /// The limiter every client of this process uses unless given another: buckets are
    /// keyed by identity, so bots on one address share one budget, as the server counts.
    pub fn process_wide() -> Arc<Self> {
        static SHARED: std::sync::OnceLock<Arc<InMemoryRateLimiter>> = std::sync::OnceLock::new();
        Arc::clone(SHARED.get_or_init(|| Arc::new(Self::new())))
    }

    /// How many buckets it holds now.
    pub fn bucket_count(&self) -> usize {
        lock(&self.buckets).map.len()
    }

    /// A stream of what the limiter does (lagging receivers lose the oldest events).
    pub fn subscribe(&self) -> broadcast::Receiver<RateLimitEvent> {
        self.events.subscribe()
    }

    /// The server's bucket ID learned for `key`, if any answer carried one.
    pub fn learned_bucket(&self, key: &BucketKey) -> Option<String> {
        let buckets = lock(&self.buckets);
        let bucket = buckets.map.get(key)?;
        lock(&bucket.state).server_bucket.clone()
    }

    fn bucket(&self, key: &BucketKey) -> Arc<Bucket> {
        let mut buckets = lock(&self.buckets);
        if buckets.map.len() >= buckets.prune_at {
            let now = Instant::now();
            buckets
                .map
                .retain(|_, bucket| Arc::strong_count(bucket) > 1 || !bucket.idle(now));
            buckets.prune_at = (buckets.map.len() * 2).max(PRUNE_FLOOR);
        }
        Arc::clone(buckets.map.entry(key.clone()).or_insert_with(|| {
            Arc::new(Bucket {
                name: key.to_string(),
                queue: tokio::sync::Mutex::new(()),
                state: Mutex::new(State {
                    limit: key.limit,
                    remaining: key.limit,
                    reset_at: None,
                    window_start: None,
                    server_bucket: None,
                }),
                answered: Notify::new(),
            })
        }))
    }

    async fn take(&self, key: &BucketKey) -> Permit {
        let bucket = self.bucket(key);
        // FIFO: the queue lock is fair, so waiters go in arrival order.
        let turn = bucket.queue.lock().await;
        loop {
            let answered = bucket.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let wait = {
                let mut s = lock(&bucket.state);
                let now = Instant::now();
                let assumed_end = s.window_start.map(|start| start + WINDOW);
                if s.reset_at.or(assumed_end).is_some_and(|r| now >= r) {
                    s.remaining = s.limit;
                    s.reset_at = None;
                    s.window_start = None;
                }
                if s.remaining > 0 {
                    if s.remaining == s.limit {
                        s.window_start = Some(now);
                    }
                    s.remaining -= 1;
                    break;
                }
                match s.reset_at {
                    Some(reset) => Wait::Until(reset),
                    // Spent before any answer told when the window ends: the next answer
                    // will, or the table's window runs out.
                    None => Wait::Answer(assumed_end.unwrap_or(now + WINDOW)),
                }
            };
            let (until, known) = match wait {
                Wait::Until(until) => (until, true),
                Wait::Answer(until) => (until, false),
            };
            let _ = self.events.send(RateLimitEvent::Waiting {
                bucket: bucket.name.clone(),
                wait: known.then(|| until.saturating_duration_since(Instant::now())),
            });
            if known {
                tokio::time::sleep_until(until).await;
            } else {
                let _ = tokio::time::timeout_at(until, answered).await;
            }
        }
        drop(turn);
        let events = self.events.clone();
        Permit::new(move |outcome| bucket.update(outcome, &events))
    }
}

impl RateLimiter for InMemoryRateLimiter {
    fn acquire<'a>(&'a self, bucket: &'a BucketKey) -> PermitFuture<'a> {
        Box::pin(self.take(bucket))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn for_route(method: &str, path: &str) -> BucketKey {
        let method = ermine_model::route::Method::parse(method).unwrap();
        let (bucket, resource) = route::Bucket::of(method, path);
        BucketKey::new(bucket, resource)
    }

    #[test]
    fn buckets_follow_the_servers_table() {
        let k = for_route("PATCH", "/servers/S/members/U");
        assert_eq!((k.name, k.resource.as_str(), k.limit), ("servers", "S", 5));
        assert_eq!(for_route("POST", "/channels/C/messages").name, "messaging");
        assert_eq!(for_route("GET", "/channels/C/messages").name, "channels");
        assert_eq!(
            for_route("POST", "/channels/C/messages/M/pin").name,
            "messaging"
        );
        assert_eq!(for_route("PATCH", "/users/@me").name, "user_edit");
        assert_eq!(for_route("GET", "/users/U/default_avatar").limit, 255);
        assert_eq!(for_route("POST", "/safety/report").limit, 3);
        assert_eq!(for_route("GET", "/").name, "any");
        assert_eq!(k.to_string(), "servers/S");
    }

    #[test]
    fn headers_are_read_and_missing_ones_tolerated() {
        let mut h = HeaderMap::new();
        assert_eq!(RateLimitHeaders::from_headers(&h), None);
        h.insert("x-ratelimit-remaining", "3".parse().unwrap());
        h.insert("x-ratelimit-reset-after", "1500".parse().unwrap());
        h.insert("x-ratelimit-bucket", "77".parse().unwrap());
        let read = RateLimitHeaders::from_headers(&h).unwrap();
        assert_eq!(read.remaining, 3);
        assert_eq!(read.reset_after, Duration::from_millis(1500));
        assert_eq!(read.bucket.as_deref(), Some("77"));
        assert_eq!(read.limit, None);
        h.insert("x-ratelimit-remaining", "lots".parse().unwrap());
        assert_eq!(RateLimitHeaders::from_headers(&h), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_spent_bucket_waits_for_the_reset_in_arrival_order() {
        let limiter = Arc::new(InMemoryRateLimiter::new());
        let key = for_route("GET", "/servers/S");
        let start = Instant::now();
        for _ in 0..5 {
            let permit = limiter.acquire(&key).await;
            permit.complete(Outcome {
                headers: Some(RateLimitHeaders {
                    bucket: Some("b".into()),
                    limit: Some(5),
                    remaining: 4,
                    reset_after: Duration::from_secs(10),
                }),
                limited: None,
            });
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..3 {
            let limiter = Arc::clone(&limiter);
            let key = key.clone();
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                let permit = limiter.acquire(&key).await;
                lock(&order).push(i);
                drop(permit);
            }));
            tokio::task::yield_now().await;
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert!(start.elapsed() >= Duration::from_secs(10));
        assert_eq!(*lock(&order), vec![0, 1, 2]);
        assert_eq!(limiter.learned_bucket(&key).as_deref(), Some("b"));
    }

    #[tokio::test(start_paused = true)]
    async fn without_headers_the_tables_window_applies() {
        let limiter = InMemoryRateLimiter::new();
        let key = for_route("GET", "/servers/S");
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire(&key).await.complete(Outcome::default());
        }
        limiter.acquire(&key).await.complete(Outcome::default());
        let waited = start.elapsed();
        assert!(waited >= WINDOW && waited < WINDOW * 2, "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn no_answer_closes_a_bucket_for_longer_than_the_cap() {
        let limiter = InMemoryRateLimiter::new();
        let key = for_route("GET", "/users/@me");
        // A 429 asking for 31 years.
        limiter.acquire(&key).await.complete(Outcome {
            headers: None,
            limited: Some(Duration::from_secs(1_000_000_000)),
        });
        let start = Instant::now();
        drop(limiter.acquire(&key).await);
        assert_eq!(start.elapsed(), MAX_WINDOW);
        // Headers with a zero limit and the largest reset there is.
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", "0".parse().unwrap());
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert(
            "x-ratelimit-reset-after",
            u64::MAX.to_string().parse().unwrap(),
        );
        let read = RateLimitHeaders::from_headers(&h).unwrap();
        assert_eq!((read.limit, read.reset_after), (None, MAX_WINDOW));
        limiter.acquire(&key).await.complete(Outcome {
            headers: Some(read),
            limited: None,
        });
        let start = Instant::now();
        for _ in 0..25 {
            drop(limiter.acquire(&key).await);
        }
        // One capped wait, then the table's windows: never wedged.
        assert!(
            start.elapsed() <= MAX_WINDOW + WINDOW,
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn idle_buckets_are_pruned() {
        let limiter = InMemoryRateLimiter::new();
        for i in 0..5000 {
            let key = for_route("GET", &format!("/servers/S{i}"));
            limiter.acquire(&key).await.complete(Outcome::default());
            if i % 1000 == 999 {
                tokio::time::advance(WINDOW).await;
            }
        }
        assert!(limiter.bucket_count() <= 2048, "{}", limiter.bucket_count());
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_empties_the_bucket_for_its_retry_after() {
        let limiter = InMemoryRateLimiter::new();
        let mut events = limiter.subscribe();
        let key = for_route("GET", "/users/@me");
        let permit = limiter.acquire(&key).await;
        permit.complete(Outcome {
            headers: None,
            limited: Some(Duration::from_millis(700)),
        });
        let start = Instant::now();
        drop(limiter.acquire(&key).await);
        assert!(start.elapsed() >= Duration::from_millis(700));
        assert!(matches!(
            events.recv().await.unwrap(),
            RateLimitEvent::Limited { .. }
        ));
    }
}

/// A limiter that never waits: for a client behind its own rate-limiting proxy, or a server
/// without limits. 429s are still retried after their `retry_after`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unlimited;

impl RateLimiter for Unlimited {
    fn acquire<'a>(&'a self, _: &'a BucketKey) -> PermitFuture<'a> {
        Box::pin(std::future::ready(Permit::unconditional()))
    }
}
