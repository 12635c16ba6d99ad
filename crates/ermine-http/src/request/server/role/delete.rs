//! `DELETE /servers/{server}/roles/{role}`.

use ermine_model::id::{RoleId, ServerId};

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// Deletes a role.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageRole`); `NotElevated`.
    DeleteRole { server: ServerId, role: RoleId } => (),
    DELETE_ROLE
}

impl Client {
    /// Deletes a role.
    pub fn delete_role(&self, server: ServerId, role: RoleId) -> DeleteRole {
        DeleteRole::new(self.clone(), server, role)
    }
}
