//! Commands from any task, while the stream is being read.

use ermine_model::event::{ClientEvent, Subscribe, TypingChannel};
use ermine_model::id::{ChannelId, ServerId};
use tokio::sync::mpsc;

/// What a handle asks the connection to do.
#[derive(Debug)]
pub(crate) enum Command {
    Send(ClientEvent),
    /// A typing guard started (`true`) or ended (`false`) in a channel.
    Typing(ChannelId, bool),
    Close,
}

/// A cheap, cloneable handle to a [`Gateway`](crate::Gateway). Commands are sent on the
/// current connection (they are dropped while disconnected, as typing state is per
/// connection on the server).
#[derive(Debug, Clone)]
pub struct GatewayHandle {
    pub(crate) tx: mpsc::UnboundedSender<Command>,
}

impl GatewayHandle {
    fn send(&self, event: ClientEvent) -> bool {
        self.tx.send(Command::Send(event)).is_ok()
    }

    /// Shows "typing" in a channel. Returns `false` when the gateway is gone.
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
        let _ = self.tx.send(Command::Typing(channel, true));
        TypingGuard {
            handle: self.clone(),
            channel,
        }
    }

    /// Asks for `UserUpdate` events of a server's members (5 servers at most, 15 minutes).
    pub fn subscribe(&self, server: ServerId) -> bool {
        self.send(ClientEvent::Subscribe(Subscribe { server_id: server }))
    }

    /// Closes the connection; the stream then ends.
    pub fn close(&self) {
        let _ = self.tx.send(Command::Close);
    }
}

/// Typing in a channel for as long as it lives: `BeginTyping` when created, sent again every
/// [`GatewayConfig::typing_renew`](crate::GatewayConfig) (and after a reconnect) while it lives,
/// `EndTyping` when the last guard of the channel is dropped.
#[derive(Debug)]
pub struct TypingGuard {
    handle: GatewayHandle,
    channel: ChannelId,
}

impl Drop for TypingGuard {
    fn drop(&mut self) {
        let _ = self.handle.tx.send(Command::Typing(self.channel, false));
    }
}
