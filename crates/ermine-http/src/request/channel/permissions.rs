//! `PUT /channels/{channel}/permissions/{role}` and `PUT /channels/{channel}/permissions/default`.

use ermine_model::channel::{Channel, DefaultChannelPermissions, DefaultChannelPermissionsBody};
use ermine_model::id::{ChannelId, RoleId};
use ermine_model::permission::{Override, Permissions};
use ermine_model::server::RolePermissionsBody;

use crate::Client;
use crate::request::{body_request, request};

body_request! {
    /// Sets a role's override in a server channel.
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (not a server channel); `MissingPermission`
    /// (`ManagePermissions`); `NotElevated`; `CannotGiveMissingPermissions`.
    SetChannelRolePermissions { channel: ChannelId, role: RoleId } => Channel,
    SET_CHANNEL_ROLE_PERMISSIONS, RolePermissionsBody
}

body_request! {
    /// Sets a channel's default permissions: an override in a server channel, a value in a
    /// group.
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (a DM or saved messages); `MissingPermission`
    /// (`ManagePermissions`); `CannotGiveMissingPermissions`.
    SetChannelDefaultPermissions { channel: ChannelId } => Channel,
    SET_CHANNEL_DEFAULT_PERMISSIONS, DefaultChannelPermissionsBody
}

impl Client {
    /// Sets a role's override in a server channel.
    pub fn set_channel_role_permissions(
        &self,
        channel: ChannelId,
        role: RoleId,
        permissions: Override,
    ) -> SetChannelRolePermissions {
        let body = RolePermissionsBody {
            permissions: permissions.into(),
        };
        SetChannelRolePermissions::with_body(self.clone(), channel, role, body)
    }

    /// Sets a server channel's default override.
    pub fn set_channel_default_permissions(
        &self,
        channel: ChannelId,
        permissions: Override,
    ) -> SetChannelDefaultPermissions {
        let body = DefaultChannelPermissionsBody {
            permissions: DefaultChannelPermissions::Override(permissions.into()),
        };
        SetChannelDefaultPermissions::with_body(self.clone(), channel, body)
    }

    /// Sets what the members of a group may do.
    pub fn set_group_permissions(
        &self,
        channel: ChannelId,
        permissions: Permissions,
    ) -> SetChannelDefaultPermissions {
        let body = DefaultChannelPermissionsBody {
            permissions: DefaultChannelPermissions::Value(permissions),
        };
        SetChannelDefaultPermissions::with_body(self.clone(), channel, body)
    }
}
