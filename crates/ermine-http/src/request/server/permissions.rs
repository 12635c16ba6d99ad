//! `PUT /servers/{server}/permissions/default` and `PUT /servers/{server}/permissions/{role}`.

use ermine_model::id::{RoleId, ServerId};
use ermine_model::permission::{Override, Permissions};
use ermine_model::server::{DefaultPermissionsBody, RolePermissionsBody, Server};

use crate::Client;
use crate::request::{body_request, request};

body_request! {
    /// Sets what every member of a server may do.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManagePermissions`); `CannotGiveMissingPermissions`.
    SetDefaultPermissions { server: ServerId } => Server,
    SET_DEFAULT_PERMISSIONS, DefaultPermissionsBody
}

body_request! {
    /// Sets a role's permissions in a server.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManagePermissions`); `NotElevated` (the role ranks
    /// as high as the caller or higher); `CannotGiveMissingPermissions`.
    SetRolePermissions { server: ServerId, role: RoleId } => Server,
    SET_ROLE_PERMISSIONS, RolePermissionsBody
}

impl Client {
    /// Sets a server's default permissions.
    pub fn set_default_permissions(
        &self,
        server: ServerId,
        permissions: Permissions,
    ) -> SetDefaultPermissions {
        SetDefaultPermissions::with_body(
            self.clone(),
            server,
            DefaultPermissionsBody { permissions },
        )
    }

    /// Sets a role's permissions in a server.
    pub fn set_role_permissions(
        &self,
        server: ServerId,
        role: RoleId,
        permissions: Override,
    ) -> SetRolePermissions {
        let body = RolePermissionsBody {
            permissions: permissions.into(),
        };
        SetRolePermissions::with_body(self.clone(), server, role, body)
    }
}
