//! [`User`]: a user and what can be done with them.

use ermine_http::request::user::{
    AddFriend, BlockUser, FetchMutuals, FetchProfile, FetchUser, OpenDm, RemoveFriend, UnblockUser,
};
use ermine_model::id::{ServerId, UserId};

use crate::action::Action;
use crate::channel::cache_channel;
use crate::{BaseMember, Channel, Client, Error};

/// A user, known by their ID, with the client to act through. Cheap to clone; what it holds
/// is read from the cache ([`model`](Self::model)) or fetched ([`fetch`](Self::fetch)).
#[derive(Clone)]
pub struct User {
    id: UserId,
    client: Client,
}

crate::identity::identity!(User { id });

/// Caches a user the server answered with.
fn cache_user(client: &Client, user: ermine_model::user::User) -> ermine_model::user::User {
    client.cache_backend().insert_user(&user);
    user
}

impl User {
    pub(crate) fn new(id: UserId, client: Client) -> Self {
        Self { id, client }
    }

    /// Their ID.
    pub fn id(&self) -> UserId {
        self.id
    }

    /// The client the handle acts through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// `<@id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.id)
    }

    /// The user as cached.
    pub fn model(&self) -> Option<ermine_model::user::User> {
        self.client.cache().user(self.id)
    }

    /// The user as cached, or [`Error::NotCached`].
    pub fn get(&self) -> Result<ermine_model::user::User, Error> {
        self.model()
            .ok_or_else(|| Error::not_cached("user", &self.id))
    }

    /// Fetches the user (and caches them).
    pub fn fetch(&self) -> Action<FetchUser, ermine_model::user::User> {
        Action::new(
            &self.client,
            self.client.http().fetch_user(self.id),
            cache_user,
        )
    }

    /// As a member of a server.
    pub fn member_of(&self, server: ServerId) -> BaseMember {
        self.client.base_member(server, self.id)
    }

    /// The DM channel with them: opened (or found) by the server, and cached.
    pub fn dm(&self) -> Action<OpenDm, Channel> {
        Action::new(
            &self.client,
            self.client.http().open_dm(self.id),
            cache_channel,
        )
    }

    /// Their profile.
    pub fn profile(&self) -> Action<FetchProfile, ermine_model::user::UserProfile> {
        Action::plain(&self.client, self.client.http().fetch_profile(self.id))
    }

    /// The friends and servers this account shares with them.
    pub fn mutuals(&self) -> Action<FetchMutuals, ermine_model::user::MutualResponse> {
        Action::plain(&self.client, self.client.http().fetch_mutuals(self.id))
    }

    /// Sends them a friend request, or accepts theirs; the answer is cached.
    pub fn add_friend(&self) -> Action<AddFriend, ermine_model::user::User> {
        Action::new(
            &self.client,
            self.client.http().add_friend(self.id),
            cache_user,
        )
    }

    /// Removes them as a friend, or declines or cancels a request; the answer is cached.
    pub fn remove_friend(&self) -> Action<RemoveFriend, ermine_model::user::User> {
        Action::new(
            &self.client,
            self.client.http().remove_friend(self.id),
            cache_user,
        )
    }

    /// Blocks them; the answer is cached.
    pub fn block(&self) -> Action<BlockUser, ermine_model::user::User> {
        Action::new(
            &self.client,
            self.client.http().block_user(self.id),
            cache_user,
        )
    }

    /// Unblocks them; the answer is cached.
    pub fn unblock(&self) -> Action<UnblockUser, ermine_model::user::User> {
        Action::new(
            &self.client,
            self.client.http().unblock_user(self.id),
            cache_user,
        )
    }
}
