//! `GET /channels/{channel}/messages/{message}`.

use ermine_model::id::{ChannelId, MessageId};
use ermine_model::message::Message;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches one message.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ViewChannel`, `ReadMessageHistory`).
    FetchMessage { channel: ChannelId, message: MessageId } => Message,
    FETCH_MESSAGE
}

impl Client {
    /// Fetches one message of a channel.
    pub fn fetch_message(&self, channel: ChannelId, message: MessageId) -> FetchMessage {
        FetchMessage::new(self.clone(), channel, message)
    }
}
