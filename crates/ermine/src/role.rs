//! [`Role`]: a server's role and what can be done with it.

use ermine_http::request::server::SetRolePermissions;
use ermine_http::request::server::role::{DeleteRole, EditRole, EditRoleRanks};
use ermine_model::id::{RoleId, ServerId};
use ermine_model::permission::Override;

use crate::action::Action;
use crate::{Client, Error, Server};

/// A role, known by its server and ID, with the client to act through.
#[derive(Clone)]
pub struct Role {
    server: ServerId,
    id: RoleId,
    client: Client,
}

crate::identity::identity!(Role { server, id });

/// Puts a role the server answered with into the cached server, when that is cached.
pub(crate) fn cache_role(client: &Client, server: ServerId, role: ermine_model::server::Role) {
    if let Some(mut cached) = client.cache().server(server) {
        cached.roles.insert(role.id, role);
        client.cache_backend().insert_server(&cached);
    }
}

impl Role {
    pub(crate) fn new(server: ServerId, id: RoleId, client: Client) -> Self {
        Self { server, id, client }
    }

    /// Its ID.
    pub fn id(&self) -> RoleId {
        self.id
    }

    /// Its server.
    pub fn server(&self) -> Server {
        self.client.server(self.server)
    }

    /// The role as cached.
    pub fn model(&self) -> Option<ermine_model::server::Role> {
        self.client.cache().role(self.server, self.id)
    }

    /// The role as cached, or [`Error::NotCached`].
    pub fn get(&self) -> Result<ermine_model::server::Role, Error> {
        self.model()
            .ok_or_else(|| Error::not_cached("role", &self.id))
    }

    /// Edits it (name, colour, hoist, icon on the builder); the answer is cached.
    pub fn edit(&self) -> Action<EditRole, ermine_model::server::Role> {
        let server = self.server;
        Action::new(
            &self.client,
            self.client.http().edit_role(server, self.id),
            move |c, role| {
                cache_role(c, server, role.clone());
                role
            },
        )
    }

    /// Sets what it allows and denies server-wide.
    pub fn set_permissions(&self, permissions: Override) -> Action<SetRolePermissions, ()> {
        Action::new(
            &self.client,
            self.client
                .http()
                .set_role_permissions(self.server, self.id, permissions),
            |c, server| c.cache_backend().insert_server(&server),
        )
    }

    /// Deletes it.
    pub fn delete(&self) -> Action<DeleteRole, ()> {
        Action::plain(
            &self.client,
            self.client.http().delete_role(self.server, self.id),
        )
    }

    /// Moves it to `position` among the server's roles (0 is the highest), keeping the
    /// others' order, as one ranking request.
    ///
    /// # Errors
    /// [`Error::NotCached`] when the server is not cached (the ranking is of all its roles).
    pub fn move_to(&self, position: usize) -> Result<Action<EditRoleRanks, ()>, Error> {
        let server = self.server().get()?;
        let mut ranked: Vec<_> = server.roles.values().collect();
        ranked.sort_by_key(|r| r.rank);
        let mut order: Vec<RoleId> = ranked
            .iter()
            .map(|r| r.id)
            .filter(|id| *id != self.id)
            .collect();
        if !server.roles.contains_key(&self.id) {
            return Err(Error::not_cached("role", &self.id));
        }
        order.insert(position.min(order.len()), self.id);
        Ok(Action::new(
            &self.client,
            self.client.http().edit_role_ranks(self.server, &order),
            |c, server| c.cache_backend().insert_server(&server),
        ))
    }
}
