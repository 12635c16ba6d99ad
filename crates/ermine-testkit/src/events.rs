//! Who is connected, and delivering events to them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ermine_model::event::ServerEvent;
use ermine_model::id::{ServerId, SessionId, UserId};
use tokio::sync::{Notify, mpsc};

use crate::lock;

/// What the server pushes into one connection's task.
#[derive(Debug, Clone)]
pub(crate) enum Outgoing {
    /// An event, encoded in the connection's format.
    Event(Arc<ServerEvent>),
    /// A raw JSON value injected by a test, encoded in the connection's format.
    Raw(Arc<serde_json::Value>),
    /// Send `Logout`, then close.
    Logout,
    /// Close the socket without a word (a dropped connection).
    Drop,
}

/// One connection's outgoing queue. It is bounded: a connection that stops reading while
/// events pile up is dropped (as the real events server does) instead of growing memory.
#[derive(Debug, Clone)]
pub(crate) struct Mailbox {
    tx: mpsc::Sender<Outgoing>,
    overflow: Arc<Notify>,
}

impl Mailbox {
    /// A mailbox of `capacity` messages; its receiver, and what is notified when it
    /// overflows.
    pub(crate) fn new(capacity: usize) -> (Self, mpsc::Receiver<Outgoing>, Arc<Notify>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let overflow = Arc::new(Notify::new());
        let mailbox = Self {
            tx,
            overflow: Arc::clone(&overflow),
        };
        (mailbox, rx, overflow)
    }

    /// Queues a message; `false` when the connection is gone or its queue is full (it is
    /// then dropped).
    fn post(&self, message: Outgoing) -> bool {
        match self.tx.try_send(message) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!("an events socket stopped reading; dropping it");
                self.overflow.notify_one();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

#[derive(Debug)]
struct Connection {
    user: UserId,
    session: Option<SessionId>,
    tx: Mailbox,
    subscribed: HashSet<ServerId>,
    /// Users whose `UserUpdate`s this connection hears (from its Ready snapshot).
    users: HashSet<UserId>,
}

#[derive(Debug, Default)]
struct Inner {
    connections: HashMap<u64, Connection>,
    by_user: HashMap<UserId, BTreeSet<u64>>,
}

/// The registry of event connections.
#[derive(Debug, Default)]
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    next: AtomicU64,
    /// When set, pings are not answered (a test control).
    pub(crate) ignore_pings: AtomicBool,
    /// The number of open connections, for tests to wait on.
    pub(crate) sockets: tokio::sync::watch::Sender<usize>,
    /// Pings received on every connection so far, for tests to wait on.
    pub(crate) pings: tokio::sync::watch::Sender<u64>,
}

impl Hub {
    /// Registers a connection; returns its ID and whether it is the user's first.
    pub(crate) fn register(
        &self,
        user: UserId,
        session: Option<SessionId>,
        tx: Mailbox,
    ) -> (u64, bool) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut inner = lock(&self.inner);
        inner.connections.insert(
            id,
            Connection {
                user,
                session,
                tx,
                subscribed: HashSet::new(),
                users: HashSet::new(),
            },
        );
        self.sockets.send_replace(inner.connections.len());
        let set = inner.by_user.entry(user).or_default();
        set.insert(id);
        (id, set.len() == 1)
    }

    /// Removes a connection; returns its user when it was that user's last.
    pub(crate) fn unregister(&self, id: u64) -> Option<UserId> {
        let mut inner = lock(&self.inner);
        let conn = inner.connections.remove(&id)?;
        self.sockets.send_replace(inner.connections.len());
        let set = inner.by_user.get_mut(&conn.user)?;
        set.remove(&id);
        if set.is_empty() {
            inner.by_user.remove(&conn.user);
            Some(conn.user)
        } else {
            None
        }
    }

    /// Connections opened so far.
    pub(crate) fn opened(&self) -> u64 {
        self.next.load(Ordering::Relaxed)
    }

    /// Whether `user` has at least one connection.
    pub(crate) fn is_online(&self, user: UserId) -> bool {
        lock(&self.inner).by_user.contains_key(&user)
    }

    /// The users with at least one connection.
    pub(crate) fn connected_users(&self) -> Vec<UserId> {
        lock(&self.inner).by_user.keys().copied().collect()
    }

    /// Number of open connections.
    pub(crate) fn connection_count(&self) -> usize {
        lock(&self.inner).connections.len()
    }

    /// Subscribes connection `id` to the updates of `users`.
    pub(crate) fn watch_users(&self, id: u64, users: impl IntoIterator<Item = UserId>) {
        if let Some(conn) = lock(&self.inner).connections.get_mut(&id) {
            conn.users.extend(users);
        }
    }

    /// Sends a `UserUpdate` about `user` to every connection subscribed to it (`include_self`
    /// decides for `user`'s own), and to those for which `through_server(listener,
    /// subscriptions)` holds.
    pub(crate) fn send_user_update(
        &self,
        user: UserId,
        event: &ServerEvent,
        include_self: bool,
        through_server: impl Fn(UserId, &HashSet<ServerId>) -> bool,
    ) {
        let shared = Arc::new(event.clone());
        let inner = lock(&self.inner);
        for conn in inner.connections.values() {
            let hears = if conn.user == user {
                include_self
            } else {
                conn.users.contains(&user) || through_server(conn.user, &conn.subscribed)
            };
            if hears {
                let _ = conn.tx.post(Outgoing::Event(Arc::clone(&shared)));
            }
        }
    }

    /// Records a `Subscribe` of connection `id` to `server`.
    pub(crate) fn subscribe(&self, id: u64, server: ServerId) {
        if let Some(conn) = lock(&self.inner).connections.get_mut(&id)
            && (conn.subscribed.len() < 5 || conn.subscribed.contains(&server))
        {
            conn.subscribed.insert(server);
        }
    }

    /// Sends to every connection of each user, building the event per connected user
    /// (outside the registry's lock, so `event` may ask the hub about presence).
    pub(crate) fn send_each(
        &self,
        users: impl IntoIterator<Item = UserId>,
        mut event: impl FnMut(UserId) -> ServerEvent,
    ) {
        let connected: Vec<UserId> = {
            let inner = lock(&self.inner);
            users
                .into_iter()
                .filter(|u| inner.by_user.contains_key(u))
                .collect()
        };
        let built: Vec<(UserId, Arc<ServerEvent>)> = connected
            .into_iter()
            .map(|user| (user, Arc::new(event(user))))
            .collect();
        let inner = lock(&self.inner);
        for (user, event) in built {
            for id in inner.by_user.get(&user).into_iter().flatten() {
                if let Some(conn) = inner.connections.get(id) {
                    let _ = conn.tx.post(Outgoing::Event(Arc::clone(&event)));
                }
            }
        }
    }

    /// Sends the same event to every connection of each user.
    pub(crate) fn send(&self, users: impl IntoIterator<Item = UserId>, event: &ServerEvent) {
        let shared = Arc::new(event.clone());
        let inner = lock(&self.inner);
        for user in users {
            for id in inner.by_user.get(&user).into_iter().flatten() {
                if let Some(conn) = inner.connections.get(id) {
                    let _ = conn.tx.post(Outgoing::Event(Arc::clone(&shared)));
                }
            }
        }
    }

    /// Sends a control message to the connections of `user` (all users when `None`);
    /// returns how many connections it reached.
    pub(crate) fn control(&self, user: Option<UserId>, message: &Outgoing) -> usize {
        let inner = lock(&self.inner);
        let mut reached = 0;
        for conn in inner.connections.values() {
            if user.is_none_or(|u| u == conn.user) && conn.tx.post(message.clone()) {
                reached += 1;
            }
        }
        reached
    }

    /// The queues of `user`'s connections, to send to without holding the registry.
    pub(crate) fn senders(&self, user: UserId) -> Vec<mpsc::Sender<Outgoing>> {
        lock(&self.inner)
            .connections
            .values()
            .filter(|c| c.user == user)
            .map(|c| c.tx.tx.clone())
            .collect()
    }

    /// Logs out the connections of one session (`Logout`, then close).
    pub(crate) fn logout_session(&self, session: SessionId) {
        let inner = lock(&self.inner);
        for conn in inner.connections.values() {
            if conn.session == Some(session) {
                let _ = conn.tx.post(Outgoing::Logout);
            }
        }
    }
}
