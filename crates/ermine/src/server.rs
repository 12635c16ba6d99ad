//! [`Server`]: a server and what can be done with it.

use ermine_http::request::server::ban::{BanMember, FetchBans, UnbanMember};
use ermine_http::request::server::member::{FetchMember, FetchMembers};
use ermine_http::request::server::role::CreateRole;
use ermine_http::request::server::{
    CreateChannel, DeleteServer, EditServer, FetchAuditLogs, FetchServer, FetchServerEmojis,
    FetchServerInvites,
};
use ermine_model::id::{RoleId, ServerId, UserId};
use ermine_model::member::AllMemberResponse;
use ermine_model::server::FetchServerResponse;

use crate::action::Action;
use crate::channel::cache_channel;
use crate::{BaseMember, Channel, Client, Error, Member, Role};

/// A server, known by its ID, with the client to act through. Cheap to clone; what it holds
/// is read from the cache ([`model`](Self::model)) or fetched ([`fetch`](Self::fetch)).
#[derive(Clone)]
pub struct Server {
    id: ServerId,
    client: Client,
}

crate::identity::identity!(Server { id });

/// Caches a fetched server (and its channels, when they came with it).
fn cache_server(client: &Client, answer: FetchServerResponse) -> ermine_model::server::Server {
    client.cache_backend().insert_server(&answer.server);
    for channel in answer.channels.iter().flatten() {
        client.cache_backend().insert_channel(channel);
    }
    answer.server
}

/// Caches a member list with its users and returns the member handles.
pub(crate) fn cache_members(client: &Client, list: AllMemberResponse) -> Vec<Member> {
    client.cache_backend().insert_members(&list);
    list.members
        .into_iter()
        .map(|m| Member::new(m, client.clone()))
        .collect()
}

impl Server {
    pub(crate) fn new(id: ServerId, client: Client) -> Self {
        Self { id, client }
    }

    /// Its ID.
    pub fn id(&self) -> ServerId {
        self.id
    }

    /// The client the handle acts through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server as cached.
    pub fn model(&self) -> Option<ermine_model::server::Server> {
        self.client.cache().server(self.id)
    }

    /// The server as cached, or [`Error::NotCached`].
    pub fn get(&self) -> Result<ermine_model::server::Server, Error> {
        self.model()
            .ok_or_else(|| Error::not_cached("server", &self.id))
    }

    /// Fetches the server (with its channels when asked on the builder) and caches it.
    pub fn fetch(&self) -> Action<FetchServer, ermine_model::server::Server> {
        Action::new(
            &self.client,
            self.client.http().fetch_server(self.id),
            cache_server,
        )
    }

    /// A member as cached.
    pub fn member(&self, user: UserId) -> Option<Member> {
        self.client.member(self.id, user)
    }

    /// A member handle from the IDs alone (actions; properties when cached).
    pub fn base_member(&self, user: UserId) -> BaseMember {
        self.client.base_member(self.id, user)
    }

    /// Fetches a member (and caches it).
    pub fn fetch_member(&self, user: UserId) -> Action<FetchMember, Member> {
        Action::new(
            &self.client,
            self.client.http().fetch_member(self.id, user),
            |c, m| {
                c.cache_backend().insert_member(&m);
                Member::new(m, c.clone())
            },
        )
    }

    /// Fetches every member with their users and caches them
    /// (`.with(|r| r.exclude_offline(true))` for the online ones only).
    pub fn members(&self) -> Action<FetchMembers, Vec<Member>> {
        Action::new(
            &self.client,
            self.client.http().fetch_members(self.id),
            cache_members,
        )
    }

    /// Its roles as cached, highest first.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<_> = self
            .model()
            .map(|s| s.roles.into_values().collect())
            .unwrap_or_default();
        roles.sort_by_key(|r: &ermine_model::server::Role| r.rank);
        roles
            .into_iter()
            .map(|r| Role::new(self.id, r.id, self.client.clone()))
            .collect()
    }

    /// A role handle.
    pub fn role(&self, id: RoleId) -> Role {
        Role::new(self.id, id, self.client.clone())
    }

    /// Its channels as cached, in the server's order.
    pub fn channels(&self) -> Vec<Channel> {
        self.model()
            .map(|s| s.channels)
            .unwrap_or_default()
            .into_iter()
            .map(|id| self.client.channel(id))
            .collect()
    }

    /// Creates a text channel (its type and description on the builder) and caches it.
    pub fn create_channel(&self, name: &str) -> Action<CreateChannel, Channel> {
        Action::new(
            &self.client,
            self.client.http().create_channel(self.id, name),
            cache_channel,
        )
    }

    /// Creates a role (its rank on the builder).
    pub fn create_role(&self, name: &str) -> Action<CreateRole, Role> {
        let id = self.id;
        Action::new(
            &self.client,
            self.client.http().create_role(id, name),
            move |c, made| {
                crate::role::cache_role(c, id, made.role);
                Role::new(id, made.id, c.clone())
            },
        )
    }

    /// Its bans.
    pub fn bans(&self) -> Action<FetchBans, ermine_model::member::BanListResult> {
        Action::plain(&self.client, self.client.http().fetch_bans(self.id))
    }

    /// Bans a user (a member or not).
    pub fn ban(&self, user: UserId) -> Action<BanMember, ermine_model::member::ServerBan> {
        Action::plain(&self.client, self.client.http().ban_member(self.id, user))
    }

    /// Lifts a ban.
    pub fn unban(&self, user: UserId) -> Action<UnbanMember, ()> {
        Action::plain(&self.client, self.client.http().unban_member(self.id, user))
    }

    /// Its audit log (filters and paging on the builder).
    pub fn audit_log(&self) -> Action<FetchAuditLogs, ermine_model::audit::AuditLogQueryResponse> {
        Action::plain(&self.client, self.client.http().fetch_audit_logs(self.id))
    }

    /// Its invites.
    pub fn invites(&self) -> Action<FetchServerInvites, Vec<ermine_model::invite::Invite>> {
        Action::plain(
            &self.client,
            self.client.http().fetch_server_invites(self.id),
        )
    }

    /// Its custom emoji.
    pub fn emojis(&self) -> Action<FetchServerEmojis, Vec<ermine_model::emoji::Emoji>> {
        Action::plain(
            &self.client,
            self.client.http().fetch_server_emojis(self.id),
        )
    }

    /// Edits it (every field on the builder); the answer is cached.
    pub fn edit(&self) -> Action<EditServer, ermine_model::server::Server> {
        Action::new(
            &self.client,
            self.client.http().edit_server(self.id),
            |c, server| {
                c.cache_backend().insert_server(&server);
                server
            },
        )
    }

    /// Leaves it (`.with(|r| r.leave_silently(true))` to leave without a message), or deletes
    /// it when this account owns it.
    pub fn leave(&self) -> Action<DeleteServer, ()> {
        Action::plain(&self.client, self.client.http().delete_server(self.id))
    }
}
