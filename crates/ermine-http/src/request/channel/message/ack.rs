//! `PUT /channels/{channel}/ack/{message}`.

use ermine_model::id::{ChannelId, MessageId};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Marks a channel read up to a message.
    ///
    /// # Errors
    /// `IsBot` (bots cannot), `NotFound`, `MissingPermission` (`ViewChannel`).
    AckMessage { channel: ChannelId, message: MessageId } => (),
    ACK_MESSAGE
}

impl Client {
    /// Marks a channel read up to `message`.
    pub fn ack_message(&self, channel: ChannelId, message: MessageId) -> AckMessage {
        AckMessage::new(self.clone(), channel, message)
    }
}
