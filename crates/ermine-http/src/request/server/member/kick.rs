//! `DELETE /servers/{server}/members/{member}`.

use ermine_model::id::{ServerId, UserId};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Kicks a member.
    ///
    /// # Errors
    /// `CannotRemoveYourself`, `InvalidOperation` (the owner), `MissingPermission`
    /// (`KickMembers`), `NotFound`, `NotElevated` (the target ranks as high or higher).
    KickMember { server: ServerId, user: UserId } => (),
    KICK_MEMBER
}

impl Client {
    /// Kicks a member.
    pub fn kick_member(&self, server: ServerId, user: UserId) -> KickMember {
        KickMember::new(self.clone(), server, user)
    }
}
