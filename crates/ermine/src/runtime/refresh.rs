//! Member lists refetched after a reconnect, off the event path.
//!
//! A reconnect's `Ready` names the servers whose kept member lists may be stale. Their lists
//! are fetched [`CONCURRENT`] at a time (the REST client's rate limiter paces them) while
//! events keep flowing. A list describes the server at the moment it was read, so the member
//! events of that server received since the refresh started are kept and applied again after
//! the list replaced the cached one: the cache ends at the newest state whichever came first.

use std::collections::HashMap;
use std::sync::Arc;

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::event::Event;
use crate::{Client, Error};

/// Member lists fetched at the same time.
pub(crate) const CONCURRENT: usize = 4;

/// Events kept per list in flight; beyond this the list is fetched again.
const REPLAY_LIMIT: usize = 1024;

/// A member list's body, decoded straight into the cache when it is applied.
type Fetched = Result<Vec<u8>, ermine_http::Error>;

/// Events received while a list was in flight, to apply again over it.
#[derive(Default)]
struct Replay {
    events: Vec<ServerEvent>,
    overflowed: bool,
}

impl Replay {
    /// Keeps an event, up to [`REPLAY_LIMIT`]; past it, the list is fetched again instead.
    fn keep(&mut self, event: &ServerEvent) {
        if self.events.len() < REPLAY_LIMIT {
            self.events.push(event.clone());
        } else {
            self.overflowed = true;
        }
    }
}

/// Which lists in flight an event is applied again over.
enum Over {
    /// Its server's: a member event.
    Server(ServerId),
    /// Every one: a user update (a list carries its members' users, as they were when it
    /// was sent).
    All,
    /// None: the lists hold nothing it changes.
    None,
}

fn replayed_over(event: &ServerEvent) -> Over {
    match event {
        ServerEvent::ServerMemberJoin(join) => Over::Server(join.id),
        ServerEvent::ServerMemberUpdate(update) => Over::Server(update.id.server),
        ServerEvent::ServerMemberLeave(leave) => Over::Server(leave.id),
        ServerEvent::UserUpdate(_) => Over::All,
        _ => Over::None,
    }
}

/// The refreshes in flight.
pub(super) struct Refreshes {
    client: Client,
    tasks: JoinSet<(ServerId, Fetched)>,
    limit: Arc<Semaphore>,
    replay: HashMap<ServerId, Replay>,
}

impl Refreshes {
    pub(super) fn new(client: Client) -> Self {
        Self {
            client,
            tasks: JoinSet::new(),
            limit: Arc::new(Semaphore::new(CONCURRENT)),
            replay: HashMap::new(),
        }
    }

    fn start(&mut self, server: ServerId) {
        self.replay.insert(server, Replay::default());
        let client = self.client.clone();
        let limit = Arc::clone(&self.limit);
        self.tasks.spawn(async move {
            // The semaphore is never closed, so a permit always comes.
            let _permit = limit.acquire_owned().await;
            (server, client.http().fetch_members(server).body().await)
        });
    }

    /// Whether `event` is kept to be applied again over a list in flight (so it must go
    /// through [`observe`](Self::observe)).
    pub(super) fn keeps(&self, event: &ServerEvent) -> bool {
        match replayed_over(event) {
            Over::Server(server) => self.replay.contains_key(&server),
            Over::All => !self.replay.is_empty(),
            Over::None => false,
        }
    }

    /// Notes an event the cache just applied: a `Ready` restarts the refreshes it asks for;
    /// an event the lists in flight must not roll back is kept to be applied again over them.
    pub(super) fn observe(&mut self, event: &ServerEvent, change: &Change) {
        if let Change::Ready(summary) = change {
            self.tasks.abort_all();
            self.replay.clear();
            for &server in &summary.refresh {
                self.start(server);
            }
            return;
        }
        match replayed_over(event) {
            Over::Server(server) => {
                if let Some(replay) = self.replay.get_mut(&server) {
                    replay.keep(event);
                }
            }
            Over::All => {
                for replay in self.replay.values_mut() {
                    replay.keep(event);
                }
            }
            Over::None => {}
        }
    }

    /// The next finished fetch; `None` at once when none is in flight.
    pub(super) async fn next_done(&mut self) -> Option<(ServerId, Fetched)> {
        loop {
            // An error is a fetch aborted by a newer `Ready`.
            if let Ok(done) = self.tasks.join_next().await? {
                return Some(done);
            }
        }
    }

    /// Applies a fetched list (and the events kept meanwhile); what the consumer hears of it.
    pub(super) fn apply(&mut self, server: ServerId, fetched: Fetched) -> Event {
        let replay = self.replay.remove(&server).unwrap_or_default();
        let cache = self.client.cache_backend();
        let changes = fetched.and_then(|body| {
            cache
                .replace_members_json(server, &body)
                .map_err(ermine_http::Error::decode)
        });
        // Also after a list that failed to decode part way: what it put in is older than them.
        for event in &replay.events {
            cache.update(event);
        }
        let changes = match changes {
            Ok(changes) => changes,
            Err(error) => {
                tracing::warn!(%error, %server, "member list refresh failed");
                return Event::RefreshFailed {
                    server,
                    error: Arc::new(Error::from(error)),
                };
            }
        };
        if replay.overflowed {
            self.start(server);
        }
        #[cfg(feature = "redis")]
        if let Some(publisher) = self.client.publisher() {
            publisher.publish(&ermine_redis::events::EventRecordRef::Reconciled {
                server,
                changes: &changes,
            });
        }
        Event::reconciled(&self.client, server, changes)
    }
}
