//! `POST /servers/{server}/roles`.

use ermine_model::id::ServerId;
use ermine_model::server::{NewRoleResponse, RoleCreateBody};

use crate::Client;
use crate::request::{body_request, request};
use crate::validate;

body_request! {
    /// Creates a role, ranked below every other.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageRole`); `TooManyRoles`.
    CreateRole { server: ServerId } => NewRoleResponse,
    CREATE_ROLE, RoleCreateBody
}

impl Client {
    /// Creates a role named `name` (1..=32 characters).
    pub fn create_role(&self, server: ServerId, name: &str) -> CreateRole {
        let body = RoleCreateBody {
            name: name.to_owned(),
            rank: None,
        };
        let mut request = CreateRole::with_body(self.clone(), server, body);
        request.check(validate::chars("name", name, 1, 32));
        request
    }
}
