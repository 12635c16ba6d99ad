//! The event runtime: the connection, the cache and member-list refreshes run in their own
//! task, so a consumer that awaits for a long time never stalls them.
//!
//! ```text
//! socket ─▶ Gateway ─▶ cache.update ─▶ Event ─▶ queue (bounded) ─▶ Events (the consumer)
//!              ▲                          ▲
//!  commands (typing, subscribe)    member lists refetched after a reconnect
//! ```
//!
//! The gateway is polled continuously by the runtime's task: typing and subscribe commands
//! go out as soon as they are made, pings are answered on time, and the cache is current
//! whatever the consumer is doing. Events wait in an [`EventQueue`] for the consumer; what
//! happens when it falls that far behind is its [`Overflow`] policy.

mod queue;
mod refresh;
#[cfg(feature = "redis")]
mod worker;

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use ermine_gateway::Gateway;
use ermine_model::event::ServerEvent;
use futures_util::{Stream, StreamExt as _};

pub use queue::{EventQueue, Overflow};

use crate::event::{Event, EventKind};
use crate::{Client, Error};
use queue::{Queue, Queued};
use refresh::Refreshes;

/// What acknowledges an event once the consumer is done with it (a worker's delivery): run
/// when the consumer asks for the next event.
pub(crate) type Ack = Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Every kind, as the filter's initial value.
const ALL_KINDS: u64 = u64::MAX;

/// What the consumer side shares with the runtime's task.
struct Shared {
    queue: Queue,
    /// The kinds the consumer wants, one bit per [`EventKind`].
    kinds: AtomicU64,
}

impl Shared {
    fn wants(&self, event: &Event) -> bool {
        self.wants_kind(event.kind())
    }

    fn wants_kind(&self, kind: EventKind) -> bool {
        self.kinds.load(Ordering::Relaxed) & kind.bit() != 0
    }
}

/// The events of a connected [`Client`], after the cache has applied them.
///
/// The connection and the cache run in a task of their own, so awaiting between two events
/// never delays a ping, a typing indicator or the cache; events wait for the consumer in a
/// bounded queue ([`EventQueue`], with its [`Overflow`] policy). After a
/// reconnect, servers whose member lists the cache keeps are refetched off the event path,
/// several at a time within the rate limits, and what changed meanwhile arrives as
/// [`Event::Reconciled`]. Dropping `Events` closes the connection.
pub struct Events {
    stream: Pin<Box<dyn Stream<Item = Result<Event, Error>> + Send>>,
    shared: Arc<Shared>,
    source: Source,
    task: tokio::task::JoinHandle<()>,
}

/// Where the events come from.
enum Source {
    /// This process's events connection.
    Gateway {
        status: tokio::sync::watch::Receiver<ermine_gateway::Status>,
        handle: ermine_gateway::GatewayHandle,
    },
    /// The writer's event stream, as one worker of a pool.
    #[cfg(feature = "redis")]
    Worker(ermine_redis::events::ConsumerMonitor),
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut f = f.debug_struct("Events");
        match &self.source {
            Source::Gateway { status, .. } => f.field("status", &*status.borrow()),
            #[cfg(feature = "redis")]
            Source::Worker(monitor) => f.field("worker", &monitor.stats()),
        };
        f.field("waiting", &self.shared.queue.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        self.shared.queue.abandon();
        if let Some(handle) = self.handle() {
            handle.close();
        }
        self.task.abort();
    }
}

impl Events {
    /// Starts the runtime's task for this connection.
    pub(crate) fn start(gateway: Gateway, client: Client, queue: EventQueue) -> Self {
        let source = Source::Gateway {
            status: gateway.status(),
            handle: gateway.handle(),
        };
        Self::spawn(queue, source, |shared| run(gateway, client, shared))
    }

    /// The runtime's task, and the consumer's side of its queue: each event's
    /// acknowledgement (a worker's delivery) runs when the consumer asks for the next one.
    fn spawn<F>(queue: EventQueue, source: Source, task: impl FnOnce(Arc<Shared>) -> F) -> Self
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let shared = Arc::new(Shared {
            queue: Queue::new(queue),
            kinds: AtomicU64::new(ALL_KINDS),
        });
        let task = tokio::spawn(task(Arc::clone(&shared)));
        let state = (Arc::clone(&shared), None::<Ack>);
        let stream = futures_util::stream::unfold(state, |(shared, handled)| async move {
            if let Some(ack) = handled {
                ack.await;
            }
            let Queued { item, ack } = shared.queue.pop().await?;
            Some((item, (shared, ack)))
        });
        Self {
            stream: Box::pin(stream),
            shared,
            source,
            task,
        }
    }

    /// Only events of these kinds are queued from now on (the others are still applied to
    /// the cache). Errors and [`Event::Lagged`] always come through.
    ///
    /// ```no_run
    /// # async fn demo(client: ermine::Client) -> Result<(), ermine::Error> {
    /// use ermine::EventKind;
    ///
    /// let events = client
    ///     .connect()
    ///     .await?
    ///     .only([EventKind::Message, EventKind::MessageDelete]);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn only(self, kinds: impl IntoIterator<Item = EventKind>) -> Self {
        let bits = kinds.into_iter().fold(0, |bits, kind| bits | kind.bit());
        self.shared
            .kinds
            .store(bits | EventKind::Lagged.bit(), Ordering::Relaxed);
        self
    }

    /// Events waiting for the consumer.
    pub fn waiting(&self) -> usize {
        self.shared.queue.len()
    }

    /// The connection's state and latency (`None` for a worker, which has no connection).
    pub fn status(&self) -> Option<tokio::sync::watch::Receiver<ermine_gateway::Status>> {
        match &self.source {
            Source::Gateway { status, .. } => Some(status.clone()),
            #[cfg(feature = "redis")]
            Source::Worker(_) => None,
        }
    }

    /// The gateway's command handle: typing, subscribe, close (`None` for a worker).
    pub fn handle(&self) -> Option<ermine_gateway::GatewayHandle> {
        match &self.source {
            Source::Gateway { handle, .. } => Some(handle.clone()),
            #[cfg(feature = "redis")]
            Source::Worker(_) => None,
        }
    }

    /// For a worker: what it handled, redelivered, dead-lettered, and the pool's lag and
    /// pending count at the last look.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn worker_stats(&self) -> Option<ermine_redis::events::ConsumerStats> {
        match &self.source {
            Source::Worker(monitor) => Some(monitor.stats()),
            Source::Gateway { .. } => None,
        }
    }
}

impl Stream for Events {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

/// The runtime's task: reads the connection, applies each event to the cache, runs the
/// member-list refreshes a reconnect asks for, and queues what the consumer wants.
async fn run(mut gateway: Gateway, client: Client, shared: Arc<Shared>) {
    let mut refreshes = Refreshes::new(client.clone());
    // The events of a `Bulk`, delivered one by one.
    let mut unpacked = VecDeque::new();
    loop {
        let item = if let Some(event) = unpacked.pop_front() {
            apply(&client, &shared, &mut refreshes, event).map(Ok)
        } else {
            tokio::select! {
                biased;
                // Refreshed lists first: they are applied between events, in the cache's order.
                Some((server, fetched)) = refreshes.next_done() => {
                    Some(Ok(refreshes.apply(server, fetched)))
                }
                next = gateway.next() => match next {
                    None => break,
                    Some(Err(error)) => Some(Err(Error::from(error))),
                    Some(Ok(ServerEvent::Bulk(bulk))) => {
                        unpack(bulk, &mut unpacked);
                        None
                    }
                    Some(Ok(event)) => apply(&client, &shared, &mut refreshes, event).map(Ok),
                },
            }
        };
        let Some(item) = item else { continue };
        if !shared.deliver(&client, item, None).await {
            break;
        }
    }
    shared.queue.finish();
}

impl Shared {
    /// Offers an event to the waiters and queues it when the consumer wants it (an unwanted
    /// one is acknowledged at once); `false` once the consumer is gone.
    async fn deliver(&self, client: &Client, item: Result<Event, Error>, ack: Option<Ack>) -> bool {
        if let Ok(event) = &item {
            client.waiters().offer(event);
            if !self.wants(event) {
                if let Some(ack) = ack {
                    ack.await;
                }
                return true;
            }
        }
        self.queue.push(Queued { item, ack }).await
    }
}

/// Applies one event to the cache, publishes it to the workers when this client is a
/// writer, and makes the facade's event of it. A member or user update nobody will read (the
/// consumer filtered them out, no waiter, no worker, no member list in flight that it must
/// be applied again over) is applied without the before/after snapshots and not made into an
/// event: on a large server they are most of the traffic, and a bot that asked only for
/// messages pays for none of it.
fn apply(
    client: &Client,
    shared: &Shared,
    refreshes: &mut Refreshes,
    event: ServerEvent,
) -> Option<Event> {
    let unread = match &event {
        ServerEvent::ServerMemberUpdate(_) => !shared.wants_kind(EventKind::MemberUpdate),
        ServerEvent::UserUpdate(_) => !shared.wants_kind(EventKind::UserUpdate),
        _ => false,
    };
    if unread && !refreshes.keeps(&event) {
        #[cfg(feature = "redis")]
        let publishing = client.publisher().is_some();
        #[cfg(not(feature = "redis"))]
        let publishing = false;
        if client.waiters().idle() && !publishing {
            client.cache_backend().apply(&event);
            return None;
        }
    }
    let change = client.cache_backend().update(&event);
    refreshes.observe(&event, &change);
    #[cfg(feature = "redis")]
    if let Some(publisher) = client.publisher() {
        publisher.publish(&ermine_redis::events::EventRecordRef::Event {
            event: &event,
            change: &change,
        });
    }
    Some(Event::from_change(client, event, change))
}

/// The events of a `Bulk` (and of any `Bulk` inside it), in order.
fn unpack(bulk: ermine_model::event::Bulk, into: &mut VecDeque<ServerEvent>) {
    for event in bulk.v {
        match event {
            ServerEvent::Bulk(inner) => unpack(inner, into),
            event => into.push_back(event),
        }
    }
}
