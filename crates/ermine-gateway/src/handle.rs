//! Commands from any task, while the stream is being read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use ermine_model::event::{ClientEvent, Subscribe, TypingChannel};
use ermine_model::id::{ChannelId, ServerId};
use tokio::sync::{Notify, mpsc};

/// Commands waiting for the connection; beyond this many, new ones are refused.
pub const COMMAND_QUEUE: usize = 256;

/// What handles share with the connection: the queue of frames to send, the typing guards
/// alive per channel, and the close request.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Live typing guards per channel.
    pub(crate) typing: Mutex<HashMap<ChannelId, usize>>,
    /// Set by [`GatewayHandle::close`].
    pub(crate) close: AtomicBool,
    /// Wakes the connection after a typing change or a close request.
    pub(crate) changed: Notify,
}

impl Shared {
    pub(crate) fn typing(&self) -> std::sync::MutexGuard<'_, HashMap<ChannelId, usize>> {
        self.typing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn close_requested(&self) -> bool {
        self.close.load(Ordering::Acquire)
    }
}

/// A cheap, cloneable handle to a [`Gateway`](crate::Gateway). Frames are sent on the current
/// connection in order; up to [`COMMAND_QUEUE`] wait while the stream is not polled or is
/// reconnecting, and further ones are refused (`false`) instead of growing memory. Typing
/// guards and [`close`](Self::close) never wait in that queue, so they are never lost.
#[derive(Debug, Clone)]
pub struct GatewayHandle {
    pub(crate) tx: mpsc::Sender<ClientEvent>,
    pub(crate) shared: Arc<Shared>,
}

impl GatewayHandle {
    fn send(&self, event: ClientEvent) -> bool {
        match self.tx.try_send(event) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(
                    queue = COMMAND_QUEUE,
                    "gateway command queue full; command refused"
                );
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Shows "typing" in a channel once. Returns `false` when the gateway is gone or its
    /// command queue is full.
    pub fn begin_typing(&self, channel: ChannelId) -> bool {
        self.send(ClientEvent::BeginTyping(TypingChannel { channel }))
    }

    /// Stops showing "typing" in a channel.
    pub fn end_typing(&self, channel: ChannelId) -> bool {
        self.send(ClientEvent::EndTyping(TypingChannel { channel }))
    }

    /// Shows "typing" until the returned guard is dropped.
    #[must_use = "typing stops when the guard is dropped"]
    pub fn typing(&self, channel: ChannelId) -> TypingGuard {
        *self.shared.typing().entry(channel).or_default() += 1;
        self.shared.changed.notify_one();
        TypingGuard {
            shared: Arc::clone(&self.shared),
            channel,
        }
    }

    /// Asks for `UserUpdate` events of a server's members (5 servers at most, 15 minutes).
    pub fn subscribe(&self, server: ServerId) -> bool {
        self.send(ClientEvent::Subscribe(Subscribe { server_id: server }))
    }

    /// Closes the connection; the stream then ends.
    pub fn close(&self) {
        self.shared.close.store(true, Ordering::Release);
        self.shared.changed.notify_one();
    }
}

/// Typing in a channel for as long as it lives: `BeginTyping` when created, sent again every
/// [`GatewayConfig::typing_renew`](crate::GatewayConfig) (and after a reconnect) while it lives,
/// `EndTyping` when the last guard of the channel is dropped.
#[derive(Debug)]
pub struct TypingGuard {
    shared: Arc<Shared>,
    channel: ChannelId,
}

impl Drop for TypingGuard {
    fn drop(&mut self) {
        {
            let mut typing = self.shared.typing();
            if let Some(count) = typing.get_mut(&self.channel) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    typing.remove(&self.channel);
                }
            }
        }
        self.shared.changed.notify_one();
    }
}
