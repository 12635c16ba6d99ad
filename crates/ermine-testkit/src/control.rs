//! Test controls: the request log, injected faults, socket control and the clock. The same
//! controls are served over HTTP under `/__ermine/` for clients in other languages.

use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ermine_model::Timestamp;
use ermine_model::id::UserId;
use serde::{Deserialize, Serialize};

use crate::events::Outgoing;
use crate::{Shared, lock};

/// One request the server received, as it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query, e.g. `/servers/01.../members?exclude_offline=true`.
    pub path: String,
    /// Headers, names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for binary bodies).
    pub body: String,
    /// The status the server answered with.
    pub status: u16,
    /// When it arrived (server clock).
    pub at: Timestamp,
}

impl LoggedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A canned answer for the next `count` requests to a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fault {
    /// Method to match; any when `None`.
    #[serde(default)]
    pub method: Option<String>,
    /// Path to match, without the query (exact).
    pub path: String,
    /// How many requests it answers.
    pub count: u32,
    /// Status to answer with.
    pub status: u16,
    /// Body to answer with.
    #[serde(default)]
    pub body: String,
    /// Content type of the body.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Extra response headers.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl Fault {
    /// Answers the next `count` requests to `path` (any method) with `status` and `body`.
    pub fn new(path: impl Into<String>, count: u32, status: u16, body: impl Into<String>) -> Self {
        Self {
            method: None,
            path: path.into(),
            count,
            status,
            body: body.into(),
            content_type: None,
            headers: Vec::new(),
        }
    }

    /// Only for requests with this method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// With this content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// With this extra response header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The state behind the controls.
#[derive(Debug, Default)]
pub(crate) struct Controls {
    pub(crate) log: Mutex<std::collections::VecDeque<LoggedRequest>>,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) holds: Mutex<Vec<(String, std::sync::Arc<HoldState>)>>,
}

/// One hold: how many answers it holds, and whether it was opened.
#[derive(Debug)]
pub(crate) struct HoldState {
    open: tokio::sync::watch::Sender<bool>,
    held: tokio::sync::watch::Sender<u32>,
}

/// Answers to requests for a path, held back after they were handled (so they describe the
/// moment they were read) until [`open`](Self::open) or drop.
#[derive(Debug)]
#[must_use = "the answers are released when the gate is dropped"]
pub struct Gate {
    state: std::sync::Arc<HoldState>,
}

impl Gate {
    /// Waits until at least `count` answers are being held.
    pub async fn reached(&self, count: u32) {
        let mut held = self.state.held.subscribe();
        // The sender lives in the gate, so this only ends when enough are held.
        let _ = held.wait_for(|n| *n >= count).await;
    }

    /// Releases every held answer (and any later one).
    pub fn open(self) {}
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.state.open.send_replace(true);
    }
}

impl Controls {
    /// Holds the answer to a request for `path` while a gate for it is closed.
    pub(crate) async fn wait_if_held(&self, path: &str) {
        let state = lock(&self.holds)
            .iter()
            .find(|(p, s)| p == path && !*s.open.borrow())
            .map(|(_, s)| std::sync::Arc::clone(s));
        let Some(state) = state else { return };
        let mut open = state.open.subscribe();
        state.held.send_modify(|n| *n += 1);
        // The gate opens on drop, and the state lives in it and here.
        let _ = open.wait_for(|o| *o).await;
    }

    /// Takes one use of the first fault matching the request.
    pub(crate) fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let index = faults.iter().position(|f| {
            f.path == path
                && f.count > 0
                && f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let fault = faults[index].clone();
        faults[index].count -= 1;
        if faults[index].count == 0 {
            faults.remove(index);
        }
        Some(fault)
    }
}

/// Controls of a running [`TestServer`](crate::TestServer).
#[derive(Debug, Clone, Copy)]
pub struct Control<'a> {
    shared: &'a Shared,
}

impl<'a> Control<'a> {
    pub(crate) fn new(shared: &'a Shared) -> Self {
        Self { shared }
    }

    /// Every request received so far (test-control requests excluded), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.control.log).iter().cloned().collect()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.control.log).clear();
    }

    /// Answers matching requests with a canned response (checked before rate limits).
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.shared.control.faults).push(fault);
    }

    /// Sends a raw JSON frame to every socket of `user`; returns how many sockets got it.
    pub fn inject_frame(&self, user: UserId, frame: serde_json::Value) -> usize {
        self.shared
            .hub
            .control(Some(user), &Outgoing::Raw(std::sync::Arc::new(frame)))
    }

    /// Sends a raw JSON frame to every socket of `user`, waiting while a socket's queue is
    /// full (instead of dropping the socket as a slow reader, as [`inject_frame`] does): for
    /// feeding many events in a row. Returns how many sockets got it.
    ///
    /// [`inject_frame`]: Self::inject_frame
    pub async fn send_frame(&self, user: UserId, frame: serde_json::Value) -> usize {
        let message = Outgoing::Raw(std::sync::Arc::new(frame));
        let mut reached = 0;
        for sender in self.shared.hub.senders(user) {
            if sender.send(message.clone()).await.is_ok() {
                reached += 1;
            }
        }
        reached
    }

    /// Drops every event socket without a close frame, as a network failure would.
    pub fn drop_sockets(&self) -> usize {
        self.shared.hub.control(None, &Outgoing::Drop)
    }

    /// Stops (`false`) or resumes (`true`) answering pings.
    pub fn answer_pings(&self, answer: bool) {
        self.shared
            .hub
            .ignore_pings
            .store(!answer, Ordering::SeqCst);
    }

    /// The reports received through `POST /safety/report`: who sent each, and its body.
    pub fn reports(&self) -> Vec<(UserId, ermine_model::report::ReportBody)> {
        lock(&self.shared.world)
            .reports
            .iter()
            .map(|r| (r.author, r.body.clone()))
            .collect()
    }

    /// Number of open event sockets.
    pub fn socket_count(&self) -> usize {
        self.shared.hub.connection_count()
    }

    /// Waits until the number of open event sockets satisfies `ready` (for example
    /// `|n| n == 0` after [`drop_sockets`](Self::drop_sockets), or `|n| n > 0` for a
    /// reconnection): an event to wait on instead of polling.
    pub async fn wait_for_sockets(&self, ready: impl FnMut(&usize) -> bool) {
        let mut count = self.shared.hub.sockets.subscribe();
        // The sender lives as long as the server, so this only ends when `ready` holds.
        let _ = count.wait_for(ready).await;
    }

    /// Event sockets opened since the server started (a reconnect opens one more).
    pub fn sockets_opened(&self) -> u64 {
        self.shared.hub.opened()
    }

    /// Pings received on all event sockets since the server started.
    pub fn pings(&self) -> u64 {
        *self.shared.hub.pings.borrow()
    }

    /// Waits until `count` pings in all were received on event sockets (answered or not):
    /// an event that marks time passing on the clients' side.
    pub async fn wait_for_pings(&self, count: u64) {
        let mut pings = self.shared.hub.pings.subscribe();
        // The sender lives as long as the server, so this only ends when enough arrived.
        let _ = pings.wait_for(|n| *n >= count).await;
    }

    /// Holds the answers to requests for `path` after they were handled, until the returned
    /// gate is opened or dropped: for tests of what happens while an answer is in flight.
    pub fn hold(&self, path: impl Into<String>) -> Gate {
        let state = std::sync::Arc::new(HoldState {
            open: tokio::sync::watch::Sender::new(false),
            held: tokio::sync::watch::Sender::new(0),
        });
        lock(&self.shared.control.holds).push((path.into(), std::sync::Arc::clone(&state)));
        Gate { state }
    }

    /// Moves the server clock forward.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }
}
