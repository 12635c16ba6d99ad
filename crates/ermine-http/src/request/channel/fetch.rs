//! `GET /channels/{channel}`.

use ermine_model::channel::Channel;
use ermine_model::id::ChannelId;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches a channel.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ViewChannel`).
    FetchChannel { channel: ChannelId } => Channel,
    FETCH_CHANNEL
}

impl Client {
    /// Fetches a channel.
    pub fn fetch_channel(&self, channel: ChannelId) -> FetchChannel {
        FetchChannel::new(self.clone(), channel)
    }
}
