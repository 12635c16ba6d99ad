//! The bounded queue between the connection's task and the consumer of [`Events`](super::Events).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::Error;
use crate::event::Event;

/// What the runtime does when the consumer has fallen [`EventQueue::capacity`] events behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Overflow {
    /// Stop reading the connection until the consumer takes an event (the default): nothing
    /// is dropped, and everything stays in order. While paused, pings are not answered, so a
    /// consumer that stays behind for longer than the pong timeout causes a reconnect (and its
    /// reconciliation).
    #[default]
    Wait,
    /// Keep reading: the oldest waiting event makes room, and the consumer is told how many
    /// it missed with [`Event::Lagged`] before the next one. The cache has applied every
    /// event either way.
    DropOldest,
}

/// How many events wait for the consumer, and what happens beyond that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventQueue {
    /// Events held for the consumer (default 4,096; at least 1).
    pub capacity: usize,
    /// The policy when they are that many.
    pub overflow: Overflow,
}

impl Default for EventQueue {
    fn default() -> Self {
        Self {
            capacity: 4096,
            overflow: Overflow::Wait,
        }
    }
}

impl EventQueue {
    /// A queue of `capacity` events (at least 1) with this policy.
    pub fn new(capacity: usize, overflow: Overflow) -> Self {
        Self {
            capacity: capacity.max(1),
            overflow,
        }
    }
}

/// An event for the consumer, with what acknowledges it once handled (a worker's delivery).
pub(crate) struct Queued {
    pub(crate) item: Result<Event, Error>,
    pub(crate) ack: Option<super::Ack>,
}

type Item = Queued;

#[derive(Default)]
struct State {
    items: VecDeque<Item>,
    /// Events dropped since the consumer last heard about it.
    missed: u64,
    /// The producer is done (the connection ended).
    finished: bool,
    /// The consumer is gone.
    abandoned: bool,
}

/// A bounded single-producer, single-consumer queue with an overflow policy.
pub(crate) struct Queue {
    config: EventQueue,
    state: Mutex<State>,
    readable: Notify,
    writable: Notify,
}

impl Queue {
    pub(crate) fn new(config: EventQueue) -> Self {
        Self {
            config: EventQueue::new(config.capacity, config.overflow),
            state: Mutex::default(),
            readable: Notify::new(),
            writable: Notify::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an item; `false` once the consumer is gone.
    pub(crate) async fn push(&self, item: Item) -> bool {
        let mut item = Some(item);
        loop {
            let writable = self.writable.notified();
            tokio::pin!(writable);
            writable.as_mut().enable();
            {
                let mut state = self.state();
                if state.abandoned {
                    return false;
                }
                if state.items.len() >= self.config.capacity
                    && self.config.overflow == Overflow::DropOldest
                {
                    state.items.pop_front();
                    state.missed += 1;
                }
                if state.items.len() < self.config.capacity {
                    if let Some(item) = item.take() {
                        state.items.push_back(item);
                    }
                    drop(state);
                    self.readable.notify_one();
                    return true;
                }
            }
            writable.await;
        }
    }

    /// The next item; `None` when the producer is done and everything was taken.
    pub(crate) async fn pop(&self) -> Option<Item> {
        loop {
            let readable = self.readable.notified();
            tokio::pin!(readable);
            readable.as_mut().enable();
            {
                let mut state = self.state();
                if state.missed > 0 {
                    let missed = std::mem::take(&mut state.missed);
                    return Some(Queued {
                        item: Ok(Event::Lagged { missed }),
                        ack: None,
                    });
                }
                if let Some(item) = state.items.pop_front() {
                    drop(state);
                    self.writable.notify_one();
                    return Some(item);
                }
                if state.finished {
                    return None;
                }
            }
            readable.await;
        }
    }

    /// The producer is done.
    pub(crate) fn finish(&self) {
        self.state().finished = true;
        self.readable.notify_one();
    }

    /// The consumer is gone: the producer stops at its next push.
    pub(crate) fn abandon(&self) {
        let mut state = self.state();
        state.abandoned = true;
        state.items.clear();
        drop(state);
        self.writable.notify_one();
    }

    /// Events waiting for the consumer.
    pub(crate) fn len(&self) -> usize {
        self.state().items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Queued {
        fn plain(event: Event) -> Self {
            Self {
                item: Ok(event),
                ack: None,
            }
        }
    }

    fn typing(n: u64) -> Event {
        Event::Typing {
            channel: ermine_model::id::ChannelId::from_u128(u128::from(n) + 1).unwrap(),
            user: ermine_model::id::UserId::from_u128(1).unwrap(),
            started: true,
        }
    }

    #[tokio::test]
    async fn drop_oldest_reports_what_was_missed_then_keeps_order() {
        let queue = Queue::new(EventQueue::new(2, Overflow::DropOldest));
        for n in 0..5 {
            assert!(queue.push(Queued::plain(typing(n))).await);
        }
        assert!(matches!(
            queue.pop().await.map(|q| q.item),
            Some(Ok(Event::Lagged { missed: 3 }))
        ));
        for n in 3..5_u64 {
            match queue.pop().await.map(|q| q.item) {
                Some(Ok(Event::Typing { channel, .. })) => {
                    assert_eq!(channel.get(), u128::from(n) + 1);
                }
                other => panic!("expected typing {n}, got {other:?}"),
            }
        }
        queue.finish();
        assert!(queue.pop().await.is_none());
    }

    #[tokio::test]
    async fn wait_holds_the_producer_until_the_consumer_takes_one() {
        let queue = std::sync::Arc::new(Queue::new(EventQueue::new(1, Overflow::Wait)));
        assert!(queue.push(Queued::plain(typing(0))).await);
        let producer = tokio::spawn({
            let queue = std::sync::Arc::clone(&queue);
            async move { queue.push(Queued::plain(typing(1))).await }
        });
        tokio::task::yield_now().await;
        assert!(!producer.is_finished());
        assert_eq!(queue.len(), 1);
        assert!(queue.pop().await.is_some());
        assert!(producer.await.unwrap_or(false));
        assert_eq!(queue.len(), 1);
        queue.abandon();
        assert!(!queue.push(Queued::plain(typing(2))).await);
    }
}
