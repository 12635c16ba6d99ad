//! `POST /channels/{channel}/invites`.

use ermine_model::id::ChannelId;
use ermine_model::invite::Invite;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Creates an invite to a server channel or a group.
    ///
    /// # Errors
    /// `IsBot`; `NotFound`; `InvalidOperation` (a DM or saved messages); `MissingPermission`
    /// (`InviteOthers`).
    CreateInvite { channel: ChannelId } => Invite,
    CREATE_INVITE
}

impl Client {
    /// Creates an invite to a channel.
    pub fn create_invite(&self, channel: ChannelId) -> CreateInvite {
        CreateInvite::new(self.clone(), channel)
    }
}
