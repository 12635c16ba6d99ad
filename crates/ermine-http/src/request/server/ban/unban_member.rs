//! `DELETE /servers/{server}/bans/{user}`.

use ermine_model::id::{ServerId, UserId};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Lifts a ban.
    ///
    /// # Errors
    /// `MissingPermission` (`BanMembers`), `NotFound` (no such ban).
    UnbanMember { server: ServerId, user: UserId } => (),
    UNBAN
}

impl Client {
    /// Lifts a ban.
    pub fn unban_member(&self, server: ServerId, user: UserId) -> UnbanMember {
        UnbanMember::new(self.clone(), server, user)
    }
}
