//! `/invites/{code}`: look up, join, delete.

use ermine_model::invite::{InviteInfo, InviteJoinResponse};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// What an invite leads to. Needs no token.
    ///
    /// # Errors
    /// `NotFound`.
    FetchInvite { code: String } => InviteInfo,
    FETCH_INVITE
}

path_request! {
    /// Joins the server or group of an invite.
    ///
    /// # Errors
    /// `NotFound`; `Banned`; `AlreadyInServer`; `AlreadyInGroup`; `TooManyServers`;
    /// `GroupTooLarge`; `IsBot` (bots join through their owner).
    JoinInvite { code: String } => InviteJoinResponse,
    JOIN_INVITE
}

path_request! {
    /// Deletes an invite: one's own, or any of a server one may manage.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageServer`).
    DeleteInvite { code: String } => (),
    DELETE_INVITE
}

impl Client {
    /// Looks up an invite.
    pub fn fetch_invite(&self, code: &str) -> FetchInvite {
        FetchInvite::new(self.clone(), code.to_owned())
    }

    /// Joins through an invite.
    pub fn join_invite(&self, code: &str) -> JoinInvite {
        JoinInvite::new(self.clone(), code.to_owned())
    }

    /// Deletes an invite.
    pub fn delete_invite(&self, code: &str) -> DeleteInvite {
        DeleteInvite::new(self.clone(), code.to_owned())
    }
}
