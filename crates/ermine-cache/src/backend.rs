//! Where the cache's truth lives: this process, or a store shared between processes.

use ermine_model::channel::Channel;
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use ermine_model::member::{AllMemberResponse, Member};
use ermine_model::server::Server;
use ermine_model::user::User;

use crate::{Cache, Change};

/// A cache backend: every write goes through it, every read goes to its local
/// [`view`](Self::view), so reads never wait on a network.
///
/// [`Cache`] is the in-process backend (its view is itself). A shared backend (such as
/// `ermine-redis`) keeps a local view in step with a store that several processes see: one
/// process writes what its events connection receives, the others follow.
pub trait CacheBackend: Send + Sync + std::fmt::Debug {
    /// The local, consistent view every read goes to.
    fn view(&self) -> &Cache;

    /// Applies an event in receive order and says what changed.
    fn update(&self, event: &ServerEvent) -> Change;

    /// Applies an event in receive order when nobody reads what changed; a backend that
    /// can skip building the report (the in-process cache) does.
    fn apply(&self, event: &ServerEvent) {
        drop(self.update(event));
    }

    /// Inserts or replaces a member (a REST result).
    fn insert_member(&self, member: &Member);

    /// Inserts a fetched member list (joined to users by ID).
    fn insert_members(&self, list: &AllMemberResponse);

    /// Inserts or replaces a user (a REST result).
    fn insert_user(&self, user: &User);

    /// Inserts or replaces a server (a REST result).
    fn insert_server(&self, server: &Server);

    /// Inserts or replaces a channel (a REST result).
    fn insert_channel(&self, channel: &Channel);

    /// Replaces a server's members with a fetched list and says what differed.
    fn replace_members(&self, server: ServerId, list: &AllMemberResponse) -> Vec<Change>;

    /// Replaces a server's members with a fetched list still in JSON (the answer's body) and
    /// says what differed. By default the list is decoded, then
    /// [`replace_members`](Self::replace_members); the in-process cache decodes it straight
    /// into itself ([`Cache::replace_members_from`]).
    ///
    /// # Errors
    /// The body is not a member list.
    fn replace_members_json(
        &self,
        server: ServerId,
        body: &[u8],
    ) -> Result<Vec<Change>, serde_json::Error> {
        let list = ermine_model::decode::json(body)?;
        Ok(self.replace_members(server, &list))
    }
}

impl CacheBackend for Cache {
    fn view(&self) -> &Cache {
        self
    }

    fn update(&self, event: &ServerEvent) -> Change {
        Cache::update(self, event)
    }

    fn apply(&self, event: &ServerEvent) {
        Cache::apply(self, event);
    }

    fn insert_member(&self, member: &Member) {
        Cache::insert_member(self, member);
    }

    fn insert_members(&self, list: &AllMemberResponse) {
        Cache::insert_members(self, list);
    }

    fn insert_user(&self, user: &User) {
        Cache::insert_user(self, user);
    }

    fn insert_server(&self, server: &Server) {
        Cache::insert_server(self, server);
    }

    fn insert_channel(&self, channel: &Channel) {
        Cache::insert_channel(self, channel);
    }

    fn replace_members(&self, server: ServerId, list: &AllMemberResponse) -> Vec<Change> {
        Cache::replace_members(self, server, list)
    }

    fn replace_members_json(
        &self,
        server: ServerId,
        body: &[u8],
    ) -> Result<Vec<Change>, serde_json::Error> {
        Cache::replace_members_json(self, server, body)
    }
}
