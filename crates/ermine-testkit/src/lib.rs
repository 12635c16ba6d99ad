#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod avatar;
mod clock;
mod config;
mod control;
mod events;
mod gateway;
mod http;
pub mod livekit;
mod ratelimit;
pub mod redis;
pub mod seed;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::Clock;
pub use config::Config;
pub use control::{Fault, Gate, LoggedRequest};
pub use livekit::LiveKitNode;
pub use seed::{Seed, SeededBot, SeededServer, SeededUser};

use events::Hub;
use ratelimit::RateLimiter;
use world::World;

/// A test needs something this machine lacks (`what` says what, and how to install it): a
/// failure when `CI` is set (`.ci/run` installs everything), else a notice on stderr and
/// `false`, for the test to skip.
///
/// # Panics
/// When `CI` is set.
pub fn missing(what: &str) -> bool {
    assert!(std::env::var_os("CI").is_none(), "{what}");
    eprintln!("skipped: {what}");
    false
}

/// Locks a mutex, carrying on with the data if another thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The base URLs a running server answers on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// The REST API, e.g. `http://127.0.0.1:40123`.
    pub api: String,
    /// The events WebSocket on its own port, advertised without a path as a real instance
    /// does, e.g. `ws://127.0.0.1:40124`. Like the real events server it ignores the path and
    /// reads only the query.
    pub events: String,
    /// The file server, e.g. `http://127.0.0.1:40123/autumn`.
    pub files: String,
}

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) world: Mutex<World>,
    pub(crate) hub: Hub,
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) limiter: RateLimiter,
    pub(crate) control: control::Controls,
    pub(crate) urls: Urls,
}

/// A running local Stoat server. Dropping it stops the server.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let server = ermine_testkit::TestServer::start().await?;
/// println!("API at {}", server.urls().api);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TestServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the default configuration on 127.0.0.1 and a free port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(Config::default()).await
    }

    /// Starts a server with `config` on 127.0.0.1 and a free port.
    pub async fn start_with(config: Config) -> std::io::Result<Self> {
        Self::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a server with `config` on `addr` (port 0 picks a free one); the events socket
    /// listens on another free port of the same address.
    pub async fn bind(config: Config, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let events_listener =
            TcpListener::bind(SocketAddr::new(addr.ip(), config.events_port.unwrap_or(0))).await?;
        let events_addr = events_listener.local_addr()?;
        let urls = Urls {
            api: format!("http://{addr}"),
            events: format!("ws://{events_addr}"),
            files: format!("http://{addr}/autumn"),
        };
        let shared = Arc::new(Shared {
            world: Mutex::new(World::default()),
            hub: Hub::default(),
            limiter: RateLimiter::new(config.rate_limit_window),
            config,
            clock: Clock::default(),
            control: control::Controls::default(),
            urls,
        });
        let (shutdown, on_shutdown) = watch::channel(false);
        let tasks = vec![
            serve(
                listener,
                http::router(Arc::clone(&shared)),
                on_shutdown.clone(),
            ),
            serve(
                events_listener,
                gateway::router(Arc::clone(&shared)),
                on_shutdown,
            ),
        ];
        Ok(Self {
            shared,
            addr,
            shutdown,
            tasks,
        })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URLs (API, events, files).
    pub fn urls(&self) -> &Urls {
        &self.shared.urls
    }

    /// Where a LiveKit node's webhooks go (its `webhook.urls` entry): the voice ingress of
    /// the node named `node`.
    pub fn voice_ingress_url(&self, node: &str) -> String {
        format!(
            "{}/voice-ingress/{node}",
            self.urls().api.trim_end_matches('/')
        )
    }

    /// The token the HTTP test controls require (`X-Ermine-Control`).
    pub fn control_token(&self) -> &str {
        &self.shared.config.control_token
    }

    /// The server's clock; advance it to expire timeouts and rate-limit windows.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// A seed builder that writes straight into this server's state (fast; no HTTP).
    pub fn seed(&self) -> Seed<'_> {
        Seed::new(&self.shared)
    }

    /// The test controls: request log, fault injection, socket control.
    pub fn control(&self) -> control::Control<'_> {
        control::Control::new(&self.shared)
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        self.shared.hub.control(None, &events::Outgoing::Drop);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

/// Serves `app` on `listener` until `shutdown` turns true.
fn serve(
    listener: TcpListener,
    app: axum::Router,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(listener, service).with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        });
        if let Err(error) = served.await {
            tracing::warn!(%error, "local server stopped with an error");
        }
    })
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.shared.hub.control(None, &events::Outgoing::Drop);
        for task in &self.tasks {
            task.abort();
        }
    }
}

pub use control::Control;

/// The API operations the local server serves, from the route table
/// ([`ermine_model::route::ALL`]); every other operation answers `404`.
pub fn served_routes() -> Vec<&'static ermine_model::route::Route> {
    http::served_routes()
}

/// The TOTP code (RFC 6238: 30-second steps, six digits, SHA-1) of a base32 `secret` at
/// `at` — what an authenticator app would show; pass the local server's
/// [`Clock`] time to answer its MFA steps. `None` for a secret that is not
/// base32.
pub fn totp_code(secret: &str, at: ermine_model::Timestamp) -> Option<String> {
    http::totp_code(secret, at)
}
