//! `PATCH /servers/{server}/roles/{role}` and `PATCH /servers/{server}/roles/ranks`.

use ermine_model::id::{RoleId, ServerId};
use ermine_model::server::{FieldsRole, Role, RoleEditBody, RoleRanksBody, Server};

use crate::Client;
use crate::request::{body_request, patch_setter, request};
use crate::validate;

body_request! {
    /// Edits a role. A setter never called leaves its field alone; `Some(v)` sets it; `None`
    /// clears it.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageRole`); `NotElevated`
    /// (the role ranks as high as the caller or higher).
    EditRole { server: ServerId, role: RoleId } => Role,
    EDIT_ROLE, RoleEditBody
}

impl EditRole {
    /// Renames it (1..=32 characters).
    pub fn name(mut self, name: &str) -> Self {
        self.check(validate::chars("name", name, 1, 32));
        self.body.name = Some(name.to_owned());
        self
    }

    patch_setter! {
        /// Sets (any CSS colour, 1..=128 characters) or clears the colour.
        colour => colour, FieldsRole::Colour, chars(1, 128)
    }

    /// Whether members with it are listed apart.
    pub fn hoist(mut self, hoist: bool) -> Self {
        self.body.hoist = Some(hoist);
        self
    }

    patch_setter! {
        /// Sets the icon to an unused file uploaded to `icons`, or clears it.
        icon => icon, FieldsRole::Icon
    }
}

body_request! {
    /// Orders a server's roles: every role, highest first.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageRole`); `InvalidOperation` (not every role,
    /// or a role twice); `NotElevated` (moving a role at or above the caller's rank).
    EditRoleRanks { server: ServerId } => Server,
    EDIT_ROLE_RANKS, RoleRanksBody
}

impl Client {
    /// Edits a role.
    pub fn edit_role(&self, server: ServerId, role: RoleId) -> EditRole {
        EditRole::with_body(self.clone(), server, role, RoleEditBody::default())
    }

    /// Orders a server's roles, highest first.
    pub fn edit_role_ranks(&self, server: ServerId, ranks: &[RoleId]) -> EditRoleRanks {
        let body = RoleRanksBody {
            ranks: ranks.to_vec(),
        };
        EditRoleRanks::with_body(self.clone(), server, body)
    }
}
