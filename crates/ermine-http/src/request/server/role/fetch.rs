//! `GET /servers/{server}/roles/{role}`.

use ermine_model::id::{RoleId, ServerId};
use ermine_model::server::Role;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Fetches one role of a server.
    ///
    /// # Errors
    /// `NotFound` for an unknown server or role, or when the caller is not a member.
    FetchRole { server: ServerId, role: RoleId } => Role,
    FETCH_ROLE
}

impl Client {
    /// Fetches a role.
    pub fn fetch_role(&self, server: ServerId, role: RoleId) -> FetchRole {
        FetchRole::new(self.clone(), server, role)
    }
}
