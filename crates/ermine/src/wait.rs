//! Waiting for the next event that matches, from any task, whoever reads the event stream.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::event::Event;
use crate::{Client, Error};

type Matches = Box<dyn Fn(&Event) -> bool + Send>;

struct Waiter {
    matches: Matches,
    deliver: oneshot::Sender<Event>,
}

/// Recent messages and reactions kept for waiters that start just after their answer came.
const RECENT: usize = 128;

#[derive(Default)]
struct State {
    waiters: Vec<Waiter>,
    /// The last [`RECENT`] messages and reactions, oldest first.
    recent: std::collections::VecDeque<Event>,
}

/// The waiters of one client. The runtime offers every event (after the cache applied it)
/// before queueing it for the stream, so a waiter sees it even while the stream's consumer is
/// busy in the handler that is waiting. The most recent messages and reactions are kept too,
/// so that an answer that arrived between a question and the wait is not missed.
#[derive(Default)]
pub(crate) struct Waiters {
    state: Mutex<State>,
    /// How many waiters are registered: offering an event no waiter could want and that is
    /// not kept costs one atomic read.
    count: AtomicUsize,
}

/// Whether an event is kept among the recent ones.
fn kept(event: &Event) -> bool {
    matches!(event, Event::Message(_) | Event::ReactionAdd(_))
}

impl Waiters {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a waiter, or answers at once from the recent events.
    fn register(&self, matches: Matches) -> oneshot::Receiver<Event> {
        let (deliver, receive) = oneshot::channel();
        let mut state = self.state();
        if let Some(event) = state.recent.iter().find(|e| matches(e)) {
            // The receiver is still here: it is returned below.
            let _ = deliver.send(event.clone());
            return receive;
        }
        // Waiters that gave up (timed out, dropped) go here, so the list never grows past
        // the live ones.
        state.waiters.retain(|w| !w.deliver.is_closed());
        state.waiters.push(Waiter { matches, deliver });
        self.count.store(state.waiters.len(), Ordering::Release);
        receive
    }

    /// Whether no waiter is registered (then only messages and reactions, which are kept
    /// among the recent ones, are of any use to them).
    pub(crate) fn idle(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    /// Hands the event to every waiter it matches (each is satisfied once), and keeps it
    /// among the recent ones when it is a message or a reaction.
    pub(crate) fn offer(&self, event: &Event) {
        let keep = kept(event);
        if !keep && self.count.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut state = self.state();
        if keep {
            if state.recent.len() >= RECENT {
                state.recent.pop_front();
            }
            state.recent.push_back(event.clone());
        }
        let waiting = std::mem::take(&mut state.waiters);
        for waiter in waiting {
            if waiter.deliver.is_closed() {
                continue;
            }
            if (waiter.matches)(event) {
                // The receiver may have just given up; then nobody wanted it.
                let _ = waiter.deliver.send(event.clone());
            } else {
                state.waiters.push(waiter);
            }
        }
        self.count.store(state.waiters.len(), Ordering::Release);
    }
}

impl std::fmt::Debug for Waiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiters")
            .field("waiting", &self.count.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Waits for the next event that `matches` (a user's reply, a reaction, …), at most
    /// `timeout`. Any task may wait, including a handler that the event stream's consumer
    /// is running: the runtime offers each event to the waiters before queueing it.
    ///
    /// The most recent messages and reactions (the last 128) are checked first, oldest
    /// first, so an answer that came between asking and waiting is not missed: match only
    /// what answers — for example a message whose ID is above the question's (IDs grow with
    /// time), or a reaction to the question itself.
    ///
    /// ```no_run
    /// # async fn demo(client: ermine::Client, question: ermine::Message) -> Result<(), ermine::Error> {
    /// use std::time::Duration;
    /// use ermine::Event;
    ///
    /// let (asker, channel, asked) = (question.author, question.channel, question.id);
    /// let answer = client
    ///     .wait_for(
    ///         move |e| {
    ///             matches!(e, Event::Message(m)
    ///                 if m.author == asker && m.channel == channel && m.id > asked)
    ///         },
    ///         Duration::from_secs(30),
    ///     )
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::TimedOut`] when nothing matched in time (or the client was dropped).
    pub async fn wait_for(
        &self,
        matches: impl Fn(&Event) -> bool + Send + 'static,
        timeout: Duration,
    ) -> Result<Event, Error> {
        let receive = self.waiters().register(Box::new(matches));
        match tokio::time::timeout(timeout, receive).await {
            Ok(Ok(event)) => Ok(event),
            _ => Err(Error::TimedOut),
        }
    }
}
