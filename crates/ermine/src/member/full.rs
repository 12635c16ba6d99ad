//! [`Member`]: a member's data plus its identity.

use std::hash::{Hash, Hasher};
use std::ops::Deref;

use ermine_model::Timestamp;
use ermine_model::file::File;
use ermine_model::id::RoleId;
use ermine_model::permission::Permissions;
use ermine_model::permission::calculate::Explanation;
use ermine_model::server::Role;

use super::{BaseMember, PartialMember};
use crate::{Client, Error};

/// A server member: a snapshot of its data plus the client (stoat.py's `Member`).
///
/// It dereferences to [`BaseMember`], so the identity, the user's properties and every
/// action are available here too. Identity is the pair (server, user): `==` and `Hash` use
/// only that, so a newer snapshot of the same member equals an older one.
#[derive(Clone, Debug)]
pub struct Member {
    base: BaseMember,
    model: ermine_model::member::Member,
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base
    }
}

impl Eq for Member {}

impl Hash for Member {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.base.hash(state);
    }
}

impl Deref for Member {
    type Target = BaseMember;

    fn deref(&self) -> &BaseMember {
        &self.base
    }
}

impl Member {
    pub(crate) fn new(model: ermine_model::member::Member, client: Client) -> Self {
        Self {
            base: BaseMember::new(model.id, client),
            model,
        }
    }

    /// The model snapshot.
    pub fn model(&self) -> &ermine_model::member::Member {
        &self.model
    }

    /// The model snapshot, owned.
    pub fn into_model(self) -> ermine_model::member::Member {
        self.model
    }

    /// The identity-only handle.
    pub fn base(&self) -> &BaseMember {
        &self.base
    }

    /// The name a client shows for the member: the nickname, else the user's display name,
    /// else the username (`""` when the user is not cached).
    pub fn shown_name(&self) -> String {
        if let Some(nick) = &self.model.nickname {
            return nick.clone();
        }
        self.user()
            .map(|u| u.display_name.unwrap_or(u.username))
            .unwrap_or_default()
    }

    /// The server nickname.
    pub fn nick(&self) -> Option<&str> {
        self.model.nickname.as_deref()
    }

    /// The member's pronouns on this server.
    pub fn pronouns(&self) -> Option<&str> {
        self.model.pronouns.as_deref()
    }

    /// The server avatar.
    pub fn server_avatar(&self) -> Option<&File> {
        self.model.avatar.as_deref()
    }

    /// The server avatar file as the API sent it (stoat.py's `internal_server_avatar`).
    pub fn internal_server_avatar(&self) -> Option<&File> {
        self.server_avatar()
    }

    /// The avatar to show: the server avatar, else the user's avatar.
    pub fn display_avatar(&self) -> Option<File> {
        self.server_avatar().cloned().or_else(|| self.avatar())
    }

    /// The role IDs, in the member's order.
    pub fn role_ids(&self) -> &[RoleId] {
        &self.model.roles
    }

    /// The member's roles that the cached server knows, in [`role_ids`](Self::role_ids)
    /// order (unknown IDs skipped; empty when the server is not cached).
    pub fn roles(&self) -> Vec<Role> {
        let Some(server) = self.get_server() else {
            return Vec::new();
        };
        self.model
            .roles
            .iter()
            .filter_map(|id| server.roles.get(id).cloned())
            .collect()
    }

    /// The highest role: the smallest rank number.
    pub fn top_role(&self) -> Option<Role> {
        self.roles().into_iter().min_by_key(|r| r.rank)
    }

    /// Server-wide permissions, with the server's exact algorithm (owner, default
    /// permissions, role overrides by rank, active timeout only).
    ///
    /// # Errors
    /// [`Error::NotCached`] when the server is not cached. Without the cached user, the
    /// member is taken as neither privileged nor a bot.
    pub fn server_permissions(&self) -> Result<Permissions, Error> {
        Ok(self.explain_server_permissions()?.value)
    }

    /// The same, step by step: which default, role or timeout decided each permission
    /// ([`Explanation::decided_by`]).
    ///
    /// # Errors
    /// As [`server_permissions`](Self::server_permissions).
    pub fn explain_server_permissions(&self) -> Result<Explanation, Error> {
        crate::permissions::in_server(
            self.client(),
            self.server_id(),
            self.user_id(),
            Some(&self.model),
        )
    }

    /// The member's permissions in a channel of the server (its overrides included).
    ///
    /// # Errors
    /// [`Error::NotCached`] when the channel or the server is not cached.
    pub fn permissions_in(&self, channel: &crate::Channel) -> Result<Permissions, Error> {
        channel.permissions_of(self.user_id())
    }

    /// When the member joined.
    pub fn joined_at(&self) -> Timestamp {
        self.model.joined_at
    }

    /// Until when the member is timed out (possibly in the past: see
    /// [`is_timed_out`](Self::is_timed_out)).
    pub fn timed_out_until(&self) -> Option<Timestamp> {
        self.model.timeout
    }

    /// Whether a timeout is active now.
    pub fn is_timed_out(&self) -> bool {
        self.model.is_timed_out(Timestamp::now())
    }

    /// Whether the member may speak in voice (not server-muted).
    pub fn can_publish(&self) -> bool {
        self.model.can_publish
    }

    /// Whether the member may listen in voice (not server-deafened).
    pub fn can_receive(&self) -> bool {
        self.model.can_receive
    }

    /// Applies a partial update to this snapshot: every field, the timeout included; a
    /// cleared `can_publish`/`can_receive` means `true`. The partial's own identity is not
    /// checked: apply only updates of this member.
    pub fn locally_update(&mut self, partial: &PartialMember) {
        partial.apply_to(&mut self.model);
    }

    /// The API's JSON shape of the member (stoat.py's `to_dict`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.model).unwrap_or(serde_json::Value::Null)
    }
}
