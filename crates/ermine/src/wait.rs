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

/// The waiters of one client. The runtime offers every event (after the cache applied it)
/// before queueing it for the stream, so a waiter sees it even while the stream's consumer is
/// busy in the handler that is waiting.
#[derive(Default)]
pub(crate) struct Waiters {
    list: Mutex<Vec<Waiter>>,
    /// How many are registered: offering costs one atomic read when nobody waits.
    count: AtomicUsize,
}

impl Waiters {
    fn list(&self) -> MutexGuard<'_, Vec<Waiter>> {
        self.list.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(&self, matches: Matches) -> oneshot::Receiver<Event> {
        let (deliver, receive) = oneshot::channel();
        let mut list = self.list();
        // Waiters that gave up (timed out, dropped) go here, so the list never grows past
        // the live ones.
        list.retain(|w| !w.deliver.is_closed());
        list.push(Waiter { matches, deliver });
        self.count.store(list.len(), Ordering::Release);
        receive
    }

    /// Hands the event to every waiter it matches (each is satisfied once).
    pub(crate) fn offer(&self, event: &Event) {
        if self.count.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut list = self.list();
        let waiting = std::mem::take(&mut *list);
        for waiter in waiting {
            if waiter.deliver.is_closed() {
                continue;
            }
            if (waiter.matches)(event) {
                // The receiver may have just given up; then nobody wanted it.
                let _ = waiter.deliver.send(event.clone());
            } else {
                list.push(waiter);
            }
        }
        self.count.store(list.len(), Ordering::Release);
    }
}

impl std::fmt::Debug for Waiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiters")
            .field("count", &self.count.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Waits for the next event that `matches` (a user's reply, a reaction, …), at most
    /// `timeout`. Any task may wait, including a handler that the event stream's consumer
    /// is running: the runtime offers each event to the waiters before queueing it.
    ///
    /// ```no_run
    /// # async fn demo(client: ermine::Client, question: ermine::Message) -> Result<(), ermine::Error> {
    /// use std::time::Duration;
    /// use ermine::Event;
    ///
    /// let (asker, channel) = (question.author, question.channel);
    /// let answer = client
    ///     .wait_for(
    ///         move |e| matches!(e, Event::Message(m) if m.author == asker && m.channel == channel),
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
