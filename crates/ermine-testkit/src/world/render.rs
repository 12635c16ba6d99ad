//! How stored objects look to a given viewer.

use ermine_model::id::{ServerId, UserId};
use ermine_model::server::Server;
use ermine_model::user::{Presence, Relationship, RelationshipStatus, User};

use super::World;

impl World {
    /// `target` as `viewer` sees it (`into_known` / `into_self`): relationship, presence,
    /// and `relations` only on the self view. `online` comes from `is_online`.
    pub(crate) fn render_user(
        &self,
        viewer: UserId,
        target: UserId,
        is_online: &dyn Fn(UserId) -> bool,
    ) -> Option<User> {
        let record = self.users.get(&target)?;
        let mut user = record.user.clone();
        let invisible = user
            .status
            .as_ref()
            .and_then(|s| s.presence.as_ref())
            .is_some_and(|p| *p == Presence::Invisible);
        user.online = is_online(target) && !invisible;
        if viewer == target {
            user.relationship = RelationshipStatus::User;
            let mut relations: Vec<Relationship> = record
                .relations
                .iter()
                .map(|(id, status)| Relationship {
                    user: *id,
                    status: status.clone(),
                })
                .collect();
            relations.sort_by_key(|r| r.user);
            user.relations = relations;
        } else {
            user.relationship = self.relationship(viewer, target);
            user.relations = Vec::new();
            if invisible && let Some(status) = user.status.as_mut() {
                status.presence = None;
            }
            if user.relationship == RelationshipStatus::BlockedOther {
                user.status = None;
                user.online = false;
            }
        }
        Some(user)
    }

    /// A server as sent to clients: with its current member count.
    pub(crate) fn render_server(&self, id: ServerId) -> Option<Server> {
        let mut server = self.servers.get(&id)?.clone();
        server.approximate_member_count = self.members.get(&id).map_or(0, |m| m.len() as u64);
        Some(server)
    }
}
