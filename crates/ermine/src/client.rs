//! The client: REST, events and cache together.

use std::sync::Arc;

use ermine_cache::{Cache, CacheBackend, CacheConfig};
use ermine_gateway::{AuthMode, Format, Gateway, GatewayConfig};
use ermine_model::id::{ServerId, UserId};

use crate::Error;
use crate::member::{BaseMember, Member};
use crate::runtime::{EventQueue, Events};

/// A Stoat client: the REST client, the cache the events feed, and what is needed to
/// connect. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("http", &self.inner.http)
            .field("gateway", &self.inner.gateway_config)
            .field("events_url", &self.inner.events_url)
            .field("connected", &self.gateway().is_some())
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: ermine_http::Client,
    cache: Arc<dyn CacheBackend>,
    /// The gateway's settings; the URL and token are filled in when connecting.
    gateway_config: GatewayConfig,
    queue: EventQueue,
    events_url: Option<String>,
    gateway: std::sync::Mutex<Option<ermine_gateway::GatewayHandle>>,
    waiters: crate::wait::Waiters,
    #[cfg(feature = "redis")]
    shared_events: SharedEvents,
}

/// This client's part in a pool of workers.
#[cfg(feature = "redis")]
#[derive(Debug, Default)]
struct SharedEvents {
    /// A writer: publishes every event to the workers.
    publisher: Option<ermine_redis::EventPublisher>,
    /// A worker: reads its events from the stream instead of a connection.
    worker: Option<(
        ermine_redis::RedisConfig,
        ermine_redis::WorkerConfig,
        ermine_redis::EventStreamConfig,
    )>,
}

/// Builds a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    /// The REST client's settings, kept in its own builder (one source for each of them).
    http: ermine_http::ClientBuilder,
    events_url: Option<String>,
    cache: CacheConfig,
    backend: Option<Arc<dyn CacheBackend>>,
    #[cfg(feature = "redis")]
    redis: Option<(ermine_redis::RedisConfig, ermine_redis::Role)>,
    #[cfg(feature = "redis")]
    publish: Option<ermine_redis::EventStreamConfig>,
    #[cfg(feature = "redis")]
    worker: Option<(ermine_redis::WorkerConfig, ermine_redis::EventStreamConfig)>,
    /// The gateway's settings; the URL and token are filled in when connecting.
    gateway: GatewayConfig,
    queue: EventQueue,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            http: ermine_http::ClientBuilder::default(),
            events_url: None,
            cache: CacheConfig::default(),
            backend: None,
            #[cfg(feature = "redis")]
            redis: None,
            #[cfg(feature = "redis")]
            publish: None,
            #[cfg(feature = "redis")]
            worker: None,
            gateway: GatewayConfig::new(String::new(), String::new()),
            queue: EventQueue::default(),
        }
    }
}

impl ClientBuilder {
    /// Authenticates as a bot.
    pub fn bot_token(mut self, token: impl Into<String>) -> Self {
        self.http = self.http.bot_token(token);
        self
    }

    /// Authenticates as a user session.
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.http = self.http.session_token(token);
        self
    }

    /// The API base URL (default: the official instance).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.http = self.http.base_url(url);
        self
    }

    /// The events URL (default: discovered from `GET /` when connecting).
    pub fn events_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.http = self.http.events_url(url.clone());
        self.events_url = Some(url);
        self
    }

    /// Any other setting of the REST client (timeouts, deadline, retries, user agent, body
    /// limit, …), on its own builder.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = ermine::Client::builder()
    ///     .bot_token("token")
    ///     .http(|http| http.timeout(Duration::from_secs(5)).user_agent("my-bot/1.0"))
    ///     .build()?;
    /// assert_eq!(client.http().timeout(), Duration::from_secs(5));
    /// # Ok::<(), ermine::Error>(())
    /// ```
    pub fn http(
        mut self,
        configure: impl FnOnce(ermine_http::ClientBuilder) -> ermine_http::ClientBuilder,
    ) -> Self {
        self.http = configure(self.http);
        self
    }

    /// What the cache keeps.
    pub fn cache(mut self, config: CacheConfig) -> Self {
        self.cache = config;
        self
    }

    /// Another cache backend (for example a store shared with other processes); its
    /// configuration replaces [`cache`](Self::cache)'s.
    pub fn cache_backend(mut self, backend: Arc<dyn CacheBackend>) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Another rate limiter (for example one shared with other processes).
    pub fn rate_limiter(mut self, limiter: Arc<dyn ermine_http::ratelimit::RateLimiter>) -> Self {
        self.http = self.http.rate_limiter(limiter);
        self
    }

    /// Shares the cache and the rate-limit budget through Redis, in this role (see
    /// [`build_shared`](Self::build_shared)).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis(mut self, config: ermine_redis::RedisConfig, role: ermine_redis::Role) -> Self {
        self.redis = Some((config, role));
        self
    }

    /// Builds the client, sharing through Redis when [`redis`](Self::redis) was given or
    /// `REDIS_URL` is set (as the writer), and in-process otherwise: the cache becomes a
    /// [`RedisCache`](ermine_redis::RedisCache) (warm from what is stored, configured as
    /// [`cache`](Self::cache) says) and the limiter a
    /// [`RedisRateLimiter`](ermine_redis::RedisRateLimiter) (one budget per identity, shared by
    /// every process that uses it).
    ///
    /// # Errors
    /// [`Error::Redis`] for a bad Redis URL, else as [`build`](Self::build). Redis being
    /// unreachable is not an error: the client works in-process until it answers.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub async fn build_shared(mut self) -> Result<Client, Error> {
        // A worker's cache follows the writer's.
        let default_role = if self.worker.is_some() {
            ermine_redis::Role::Follower
        } else {
            ermine_redis::Role::Writer
        };
        let chosen = self
            .redis
            .take()
            .or_else(|| ermine_redis::RedisConfig::from_env().map(|c| (c, default_role)));
        let Some((config, role)) = chosen else {
            if self.worker.is_some() {
                return Err(Error::NoRedis);
            }
            return self.build();
        };
        let config = config.cache(self.cache);
        let cache = ermine_redis::RedisCache::start(config.clone(), role)
            .await
            .map_err(Error::Redis)?;
        self.backend = Some(Arc::new(cache));
        let limiter = ermine_redis::RedisRateLimiter::new(&config).map_err(Error::Redis)?;
        self.http = self.http.rate_limiter(Arc::new(limiter));
        let publisher = match self.publish.take() {
            Some(stream) => {
                Some(ermine_redis::EventPublisher::start(&config, stream).map_err(Error::Redis)?)
            }
            None => None,
        };
        let worker = self
            .worker
            .take()
            .map(|(worker, stream)| (config, worker, stream));
        self.assemble(SharedEvents { publisher, worker })
    }

    /// Publishes every event this client receives (after its cache applied it) to a pool of
    /// workers through Redis Streams (see [`ermine_redis::events`]); with
    /// [`build_shared`](Self::build_shared).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn publish_events(mut self, stream: ermine_redis::EventStreamConfig) -> Self {
        self.publish = Some(stream);
        self
    }

    /// Makes this client a worker of a pool: [`Client::connect`] reads the events the writer
    /// published (the same typed events, with the writer's before and after) instead of
    /// opening an events connection; each is acknowledged when the consumer asks for the
    /// next one, and handed to another worker if this one dies first. Its cache follows the
    /// writer's. With [`build_shared`](Self::build_shared).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn worker(
        mut self,
        worker: ermine_redis::WorkerConfig,
        stream: ermine_redis::EventStreamConfig,
    ) -> Self {
        self.worker = Some((worker, stream));
        self
    }

    /// The events frame format.
    pub fn format(mut self, format: Format) -> Self {
        self.gateway.format = format;
        self
    }

    /// Where the events connection sends the token (default [`AuthMode::Frame`]: in a
    /// frame after connecting, never in a URL).
    pub fn events_auth(mut self, auth: AuthMode) -> Self {
        self.gateway.auth = auth;
        self
    }

    /// Any other setting of the events connection (heartbeat, timeouts, backoff, `Ready`
    /// fields, largest message, …), on its own configuration. Its URL and token are the
    /// client's, filled in when connecting.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = ermine::Client::builder()
    ///     .bot_token("token")
    ///     .gateway(|g| g.heartbeat(Duration::from_secs(15), Duration::from_secs(5)))
    ///     .build()?;
    /// # Ok::<(), ermine::Error>(())
    /// ```
    pub fn gateway(mut self, configure: impl FnOnce(GatewayConfig) -> GatewayConfig) -> Self {
        self.gateway = configure(self.gateway);
        self
    }

    /// How many events wait for a consumer that is busy, and what happens beyond that
    /// (default: 4,096, then the connection waits; see [`Overflow`](crate::Overflow)).
    pub fn event_queue(mut self, queue: EventQueue) -> Self {
        self.queue = queue;
        self
    }

    /// Uses a session kept from a [`login`](crate::login) (its token, as
    /// [`session_token`](Self::session_token)).
    pub fn resume(self, session: &crate::login::SavedSession) -> Self {
        self.session_token(session.token.expose())
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        #[cfg(feature = "redis")]
        return self.assemble(SharedEvents::default());
        #[cfg(not(feature = "redis"))]
        return self.assemble();
    }

    fn assemble(
        self,
        #[cfg(feature = "redis")] shared_events: SharedEvents,
    ) -> Result<Client, Error> {
        Ok(Client {
            inner: Arc::new(Inner {
                http: self.http.build()?,
                cache: self
                    .backend
                    .unwrap_or_else(|| Arc::new(Cache::with_config(self.cache))),
                gateway_config: self.gateway,
                queue: self.queue,
                events_url: self.events_url,
                gateway: std::sync::Mutex::new(None),
                waiters: crate::wait::Waiters::default(),
                #[cfg(feature = "redis")]
                shared_events,
            }),
        })
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The REST client.
    pub fn http(&self) -> &ermine_http::Client {
        &self.inner.http
    }

    /// The cache (the backend's local view: reads never wait on a network).
    pub fn cache(&self) -> &Cache {
        self.inner.cache.view()
    }

    /// The cache backend every write goes through.
    pub fn cache_backend(&self) -> &dyn CacheBackend {
        &*self.inner.cache
    }

    /// Opens the events connection and starts the runtime that reads it: the cache is fed in
    /// receive order (before each event is yielded), and commands and pings flow whether or
    /// not the returned stream is being read (see [`Events`]).
    pub async fn connect(&self) -> Result<Events, Error> {
        #[cfg(feature = "redis")]
        if let Some((config, worker, stream)) = &self.inner.shared_events.worker {
            let consumer = ermine_redis::EventConsumer::new(config, stream.clone(), worker.clone())
                .map_err(Error::Redis)?;
            // A worker holds no more than one read ahead: the rest stays with the pool.
            let queue = EventQueue::new(
                self.inner.queue.capacity.min(stream.batch),
                self.inner.queue.overflow,
            );
            return Ok(Events::start_worker(consumer, self.clone(), queue));
        }
        let url = match self
            .inner
            .events_url
            .clone()
            .or_else(|| self.inner.http.events_url())
        {
            Some(url) => url,
            None => self.inner.http.discover().await?.ws,
        };
        let mut config = self.inner.gateway_config.clone();
        config.url = url;
        if let Some(auth) = self.inner.http.auth() {
            config.token = auth.token().clone();
        }
        let gateway = Gateway::new(config);
        *self
            .inner
            .gateway
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(gateway.handle());
        Ok(Events::start(gateway, self.clone(), self.inner.queue))
    }

    /// The publisher to the workers, when this client is a writer of a pool.
    #[cfg(feature = "redis")]
    pub(crate) fn publisher(&self) -> Option<&ermine_redis::EventPublisher> {
        self.inner.shared_events.publisher.as_ref()
    }

    /// What the publisher to the workers did so far, when this client is a writer of a pool.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn publisher_stats(&self) -> Option<ermine_redis::events::PublisherStats> {
        self.publisher().map(ermine_redis::EventPublisher::stats)
    }

    /// Who waits for an event.
    pub(crate) fn waiters(&self) -> &crate::wait::Waiters {
        &self.inner.waiters
    }

    /// The command handle of the current events connection, once connected.
    pub fn gateway(&self) -> Option<ermine_gateway::GatewayHandle> {
        self.inner
            .gateway
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A channel handle (what it holds is read from the cache or fetched).
    pub fn channel(&self, id: ermine_model::id::ChannelId) -> crate::Channel {
        crate::Channel::new(id, self.clone())
    }

    /// A server handle (what it holds is read from the cache or fetched).
    pub fn server(&self, id: ServerId) -> crate::Server {
        crate::Server::new(id, self.clone())
    }

    /// A user handle (what it holds is read from the cache or fetched).
    pub fn user(&self, id: UserId) -> crate::User {
        crate::User::new(id, self.clone())
    }

    /// A role handle.
    pub fn role(&self, server: ServerId, id: ermine_model::id::RoleId) -> crate::Role {
        crate::Role::new(server, id, self.clone())
    }

    /// This account, once known (from `Ready`).
    pub fn me(&self) -> Option<crate::User> {
        self.cache().me().map(|id| self.user(id))
    }

    /// Fetches a server (and caches it).
    ///
    /// # Errors
    /// As [`Server::fetch`](crate::Server::fetch).
    pub async fn fetch_server(&self, id: ServerId) -> Result<ermine_model::server::Server, Error> {
        self.server(id).fetch().await
    }

    /// A member handle from IDs alone, without the cache or a request: everything
    /// [`BaseMember`] offers (actions, and the user's properties when cached).
    pub fn base_member(&self, server: ServerId, user: UserId) -> BaseMember {
        BaseMember::new(ermine_model::MemberId { server, user }, self.clone())
    }

    /// A member from the cache.
    pub fn member(&self, server: ServerId, user: UserId) -> Option<Member> {
        self.cache()
            .member(server, user)
            .map(|m| Member::new(m, self.clone()))
    }

    /// Fetches a member (and caches it, with its user when that is not cached yet).
    pub async fn fetch_member(&self, server: ServerId, user: UserId) -> Result<Member, Error> {
        let member = self.http().fetch_member(server, user).await?;
        self.cache_backend().insert_member(&member);
        if self.cache().user(user).is_none() {
            let fetched = self.http().fetch_user(user).await?;
            self.cache_backend().insert_user(&fetched);
        }
        Ok(Member::new(member, self.clone()))
    }

    /// Fetches every member of a server (and caches them with their users, joined by ID);
    /// `.exclude_offline(true)` for the online ones only. As
    /// [`Server::members`](crate::Server::members).
    pub fn fetch_members(
        &self,
        server: ServerId,
    ) -> crate::Action<ermine_http::request::server::member::FetchMembers, Vec<Member>> {
        self.server(server).members()
    }

    /// Searches members by name (the server's experimental query).
    pub async fn query_members(&self, server: ServerId, query: &str) -> Result<Vec<Member>, Error> {
        let found = self.http().query_members(server, query).await?;
        for user in &found.users {
            self.cache_backend().insert_user(user);
        }
        Ok(found
            .members
            .into_iter()
            .map(|m| Member::new(m, self.clone()))
            .collect())
    }

    /// A server's bans.
    pub async fn fetch_bans(
        &self,
        server: ServerId,
    ) -> Result<ermine_model::member::BanListResult, Error> {
        self.server(server).bans().await
    }

    /// Lifts a ban.
    pub async fn unban(&self, server: ServerId, user: UserId) -> Result<(), Error> {
        self.server(server).unban(user).await
    }
}
