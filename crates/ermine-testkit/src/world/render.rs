//! How stored objects look to a given viewer.

use ermine_model::id::{ServerId, UserId};
use ermine_model::server::Server;
use ermine_model::user::{Presence, Relationship, RelationshipStatus, User};

use super::World;

impl World {
    /// `target` as `viewer` sees it anywhere but the self view (`into_known`): a bot is
    /// `None` to everyone (its owner and itself included), yourself is `User`, others carry
    /// `viewer`'s relationship; presence follows `is_online` and invisibility; `relations`
    /// are never included.
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
        user.relations = Vec::new();
        user.relationship = if user.bot.is_some() {
            RelationshipStatus::None
        } else if viewer == target {
            RelationshipStatus::User
        } else {
            self.relationship(viewer, target)
        };
        if viewer != target || user.bot.is_some() {
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

    /// A user's own view of itself (`into_self`: `/users/@me`, its own entry in `Ready`):
    /// `User`, with its relations.
    pub(crate) fn render_self(
        &self,
        user: UserId,
        is_online: &dyn Fn(UserId) -> bool,
    ) -> Option<User> {
        let record = self.users.get(&user)?;
        let mut rendered = self.render_user(user, user, is_online)?;
        rendered.relationship = RelationshipStatus::User;
        rendered.status.clone_from(&record.user.status);
        let mut relations: Vec<Relationship> = record
            .relations
            .iter()
            .map(|(id, status)| Relationship {
                user: *id,
                status: status.clone(),
            })
            .collect();
        relations.sort_by_key(|r| r.user);
        rendered.relations = relations;
        Some(rendered)
    }

    /// A server as sent to clients: with its current member count.
    pub(crate) fn render_server(&self, id: ServerId) -> Option<Server> {
        let mut server = self.servers.get(&id)?.clone();
        server.approximate_member_count = self.members.get(&id).map_or(0, |m| m.len() as u64);
        Some(server)
    }
}
