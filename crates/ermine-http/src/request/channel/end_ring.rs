//! `PUT /channels/{channel}/end_ring/{user}`.

use ermine_model::id::{ChannelId, UserId};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Stops ringing a user for a DM or group call.
    ///
    /// # Errors
    /// `LiveKitUnavailable`, `NoEffect` (server channel), `NotConnected` (caller not in the
    /// call), `NotFound` (not a recipient).
    EndRing { channel: ChannelId, user: UserId } => (),
    END_RING
}

impl Client {
    /// Stops ringing a user.
    pub fn end_ring(&self, channel: ChannelId, user: UserId) -> EndRing {
        EndRing::new(self.clone(), channel, user)
    }
}
