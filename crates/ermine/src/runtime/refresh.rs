//! Member lists refetched after a reconnect, off the event path.
//!
//! A reconnect's `Ready` names the servers whose kept member lists may be stale. Their lists
//! are fetched [`CONCURRENT`] at a time (the REST client's rate limiter paces them) while
//! events keep flowing. A list describes the server at the moment it was read, so the events
//! received since the refresh started that change what a list holds (its server's members
//! and roles, any user) are kept and applied again after the list replaced the cached one:
//! the cache ends at the newest state whichever came first. A list whose server is gone
//! meanwhile (deleted, or left), or whose fetch a newer `Ready` replaced, is dropped unread.

use std::collections::HashMap;
use std::sync::Arc;

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_model::id::{ServerId, UserId};
use tokio::sync::Semaphore;
use tokio::task::{AbortHandle, JoinSet};

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

/// What an event means for the lists in flight.
#[derive(Debug, PartialEq, Eq)]
enum Over {
    /// Applied again over its server's list: a member event, a role deleted (the list's
    /// members may still hold it).
    Server(ServerId),
    /// Applied again over every list: a user's update, relationship or wipe (a list carries
    /// its members' users, as they were when it was sent).
    All,
    /// Its server's list is dropped: the server is gone for this account (deleted, or left).
    Gone(ServerId),
    /// None: the lists hold nothing it changes.
    None,
}

/// What `event` means for the lists in flight; `me` (this account) is asked only when it
/// matters.
fn replayed_over(event: &ServerEvent, me: impl FnOnce() -> Option<UserId>) -> Over {
    match event {
        ServerEvent::ServerMemberLeave(leave) if Some(leave.user) == me() => Over::Gone(leave.id),
        ServerEvent::ServerDelete(delete) => Over::Gone(delete.id),
        ServerEvent::ServerMemberJoin(join) => Over::Server(join.id),
        ServerEvent::ServerMemberUpdate(update) => Over::Server(update.id.server),
        ServerEvent::ServerMemberLeave(leave) => Over::Server(leave.id),
        ServerEvent::ServerRoleDelete(delete) => Over::Server(delete.id),
        ServerEvent::UserUpdate(_)
        | ServerEvent::UserRelationship(_)
        | ServerEvent::UserPlatformWipe(_) => Over::All,
        _ => Over::None,
    }
}

/// A refresh in flight: which fetch it waits for, and the events to apply again over its list.
struct Pending {
    fetch: u64,
    task: AbortHandle,
    replay: Replay,
}

/// The refreshes in flight.
pub(super) struct Refreshes {
    client: Client,
    tasks: JoinSet<(ServerId, u64, Fetched)>,
    limit: Arc<Semaphore>,
    pending: HashMap<ServerId, Pending>,
    /// Fetches started so far: each one's number, so a list whose refresh was replaced or
    /// dropped is told apart from the one awaited.
    fetches: u64,
}

impl Refreshes {
    pub(super) fn new(client: Client) -> Self {
        Self {
            client,
            tasks: JoinSet::new(),
            limit: Arc::new(Semaphore::new(CONCURRENT)),
            pending: HashMap::new(),
            fetches: 0,
        }
    }

    fn start(&mut self, server: ServerId) {
        self.fetches += 1;
        let fetch = self.fetches;
        let client = self.client.clone();
        let limit = Arc::clone(&self.limit);
        let task = self.tasks.spawn(async move {
            // The semaphore is never closed, so a permit always comes.
            let _permit = limit.acquire_owned().await;
            (
                server,
                fetch,
                client.http().fetch_members(server).body().await,
            )
        });
        let replaced = self.pending.insert(
            server,
            Pending {
                fetch,
                task,
                replay: Replay::default(),
            },
        );
        if let Some(replaced) = replaced {
            replaced.task.abort();
        }
    }

    /// This account.
    fn me(&self) -> Option<UserId> {
        self.client.cache().me()
    }

    /// Whether `event` is kept to be applied again over a list in flight, or drops one (so
    /// it must go through [`observe`](Self::observe)).
    pub(super) fn keeps(&self, event: &ServerEvent) -> bool {
        if self.pending.is_empty() {
            return false;
        }
        match replayed_over(event, || self.me()) {
            Over::Server(server) | Over::Gone(server) => self.pending.contains_key(&server),
            Over::All => true,
            Over::None => false,
        }
    }

    /// Notes an event the cache just applied: a `Ready` restarts the refreshes it asks for;
    /// an event the lists in flight must not roll back is kept to be applied again over them;
    /// a server gone drops its list.
    pub(super) fn observe(&mut self, event: &ServerEvent, change: &Change) {
        if let Change::Ready(summary) = change {
            self.tasks.abort_all();
            self.pending.clear();
            for &server in &summary.refresh {
                self.start(server);
            }
            return;
        }
        if self.pending.is_empty() {
            return;
        }
        match replayed_over(event, || self.me()) {
            Over::Server(server) => {
                if let Some(pending) = self.pending.get_mut(&server) {
                    pending.replay.keep(event);
                }
            }
            Over::All => {
                for pending in self.pending.values_mut() {
                    pending.replay.keep(event);
                }
            }
            Over::Gone(server) => {
                if let Some(gone) = self.pending.remove(&server) {
                    gone.task.abort();
                }
            }
            Over::None => {}
        }
    }

    /// The next finished fetch that is still awaited (a fetch replaced by a newer `Ready`,
    /// or whose server is gone, is dropped); `None` at once when none is in flight.
    pub(super) async fn next_done(&mut self) -> Option<(ServerId, Fetched)> {
        loop {
            // An error is a fetch aborted.
            if let Ok((server, fetch, fetched)) = self.tasks.join_next().await?
                && self.pending.get(&server).is_some_and(|p| p.fetch == fetch)
            {
                return Some((server, fetched));
            }
        }
    }

    /// Applies a fetched list (and the events kept meanwhile); what the consumer hears of it.
    pub(super) fn apply(&mut self, server: ServerId, fetched: Fetched) -> Event {
        let replay = self
            .pending
            .remove(&server)
            .map(|p| p.replay)
            .unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "01M86CDRZC9YVCV9K979HDVTHQ";
    const ME: &str = "01M86CDGJKEQQDSY6RW2KHTPJQ";
    const BOB: &str = "01M86CDGJKEQQDSY6RW2KHTPJR";

    fn over(frame: &serde_json::Value) -> Over {
        let event: ServerEvent = serde_json::from_value(frame.clone()).unwrap();
        replayed_over(&event, || Some(ME.parse().unwrap()))
    }

    #[test]
    fn what_each_event_means_for_the_lists_in_flight() {
        let server: ServerId = SERVER.parse().unwrap();
        let user = |id: &str| {
            serde_json::json!({"_id": id, "username": "bob", "discriminator": "0001",
                "relationship": "Friend", "online": false})
        };
        let cases = [
            (
                serde_json::json!({"type": "ServerMemberLeave", "id": SERVER, "user": BOB}),
                Over::Server(server),
            ),
            (
                serde_json::json!({"type": "ServerMemberLeave", "id": SERVER, "user": ME}),
                Over::Gone(server),
            ),
            (
                serde_json::json!({"type": "ServerDelete", "id": SERVER}),
                Over::Gone(server),
            ),
            (
                serde_json::json!({"type": "ServerMemberJoin", "id": SERVER, "user": BOB,
                    "member": {"_id": {"server": SERVER, "user": BOB},
                        "joined_at": "2026-01-01T00:00:00Z"}}),
                Over::Server(server),
            ),
            (
                serde_json::json!({"type": "ServerRoleDelete", "id": SERVER,
                    "role_id": "01M86CDRZC9YVCV9K979HDVTHR"}),
                Over::Server(server),
            ),
            (
                serde_json::json!({"type": "UserRelationship", "id": ME, "user": user(BOB)}),
                Over::All,
            ),
            (
                serde_json::json!({"type": "UserPlatformWipe", "user_id": BOB, "flags": 4}),
                Over::All,
            ),
            (
                serde_json::json!({"type": "UserUpdate", "id": BOB, "data": {}}),
                Over::All,
            ),
            (
                serde_json::json!({"type": "ServerUpdate", "id": SERVER, "data": {}}),
                Over::None,
            ),
        ];
        for (frame, expected) in cases {
            assert_eq!(over(&frame), expected, "{frame}");
        }
    }
}
