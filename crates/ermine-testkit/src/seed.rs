//! Building a world directly in the server's memory, for tests that need users, servers and
//! members without going through the API (fast enough for 100,000-member servers).
//!
//! The seed writes state only; it sends no events, so seed before clients connect.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use ermine_testkit::TestServer;
//!
//! let server = TestServer::start().await?;
//! let seed = server.seed();
//! let alice = seed.user("alice");
//! let guild = seed.server("Guild", alice.id);
//! let members = seed.members(guild.id, 1_000);
//! assert_eq!(members.len(), 1_000);
//! # Ok(())
//! # }
//! ```

use ermine_model::Timestamp;
use ermine_model::channel::VoiceInformation;
use ermine_model::id::{ChannelId, MessageId, RoleId, ServerId, UserId};
use ermine_model::message::{Interactions, Message};
use ermine_model::permission::{Override, Permissions};
use ermine_model::server::Role;
use ermine_model::user::RelationshipStatus;

use crate::{Shared, lock};

/// A user made by the seed, with a session token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededUser {
    /// The user's ID.
    pub id: UserId,
    /// Username.
    pub username: String,
    /// Discriminator.
    pub discriminator: String,
    /// A session token (`X-Session-Token`).
    pub token: String,
    /// Account e-mail (password: `correct horse battery staple`).
    pub email: String,
}

/// A bot made by the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededBot {
    /// The bot's user ID.
    pub id: UserId,
    /// Its owner.
    pub owner: UserId,
    /// Its token (`X-Bot-Token`).
    pub token: String,
}

/// A server made by the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededServer {
    /// The server's ID.
    pub id: ServerId,
    /// Its owner.
    pub owner: UserId,
    /// Its first text channel ("General").
    pub general: ChannelId,
}

/// The password of every seeded account.
pub const PASSWORD: &str = "correct horse battery staple";

/// Writes objects straight into a server's state. Obtained from
/// [`TestServer::seed`](crate::TestServer::seed).
#[derive(Debug, Clone, Copy)]
pub struct Seed<'a> {
    shared: &'a Shared,
}

impl<'a> Seed<'a> {
    pub(crate) fn new(shared: &'a Shared) -> Self {
        Self { shared }
    }

    fn now(self) -> Timestamp {
        self.shared.clock.now()
    }

    /// A user with an account, a session and the given username (made unique by its
    /// discriminator).
    pub fn user(&self, username: &str) -> SeededUser {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        let id: UserId = world.id(now);
        // Lower case throughout: login lower-cases the address it is given.
        let email = format!("{username}.{id}@ermine.local").to_lowercase();
        world.account_ids.insert(id, email.clone());
        world.accounts.insert(
            email.clone(),
            crate::world::Account::new(id, email.clone(), PASSWORD.to_owned()),
        );
        // Usernames are checked by the API, not here; only a full discriminator space fails.
        let _ = world.create_user(id, username, None);
        let session = world.open_session(id, "seed".to_owned(), now);
        let discriminator = world
            .users
            .get(&id)
            .map(|u| u.user.discriminator.clone())
            .unwrap_or_default();
        SeededUser {
            id,
            username: username.to_owned(),
            discriminator,
            token: session.token,
            email,
        }
    }

    /// A bot named `name` owned by `owner`.
    pub fn bot(&self, name: &str, owner: UserId) -> SeededBot {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        match world.create_bot(owner, name, now) {
            Ok(bot) => SeededBot {
                id: bot.id,
                owner,
                token: bot.token.expose().to_owned(),
            },
            Err(_) => SeededBot {
                id: UserId::sentinel(),
                owner,
                token: String::new(),
            },
        }
    }

    /// A server owned by `owner`, with a "General" text channel.
    pub fn server(&self, name: &str, owner: UserId) -> SeededServer {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        let (id, channels) = world.create_server(owner, name, now);
        SeededServer {
            id,
            owner,
            general: channels
                .first()
                .copied()
                .unwrap_or_else(ChannelId::sentinel),
        }
    }

    /// Makes `user` a member of `server`.
    pub fn join(&self, server: ServerId, user: UserId) {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        if world.member(server, user).is_none() {
            world.add_member(server, user, now);
        }
    }

    /// `count` new users (no sessions), all members of `server`; returns their IDs.
    pub fn members(&self, server: ServerId, count: usize) -> Vec<UserId> {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let id: UserId = world.id(now);
            let _ = world.create_user(id, &format!("member{i}"), None);
            world.add_member(server, id, now);
            out.push(id);
        }
        out
    }

    /// A role in `server` with the given rank and permission override.
    pub fn role(&self, server: ServerId, name: &str, rank: i64, permissions: Override) -> RoleId {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        let id: RoleId = world.id(now);
        if let Some(srv) = world.servers.get_mut(&server) {
            srv.roles.insert(
                id,
                Role {
                    id,
                    name: name.to_owned(),
                    permissions,
                    colour: None,
                    hoist: false,
                    rank,
                    icon: None,
                    owner: None,
                },
            );
        }
        id
    }

    /// Gives `user` the roles (replacing the ones it had).
    pub fn assign(&self, server: ServerId, user: UserId, roles: &[RoleId]) {
        let mut world = lock(&self.shared.world);
        if let Some(member) = world.member_mut(server, user) {
            member.roles = roles.to_vec();
        }
    }

    /// Sets the server's default permissions.
    pub fn default_permissions(&self, server: ServerId, permissions: Permissions) {
        let mut world = lock(&self.shared.world);
        if let Some(srv) = world.servers.get_mut(&server) {
            srv.default_permissions = permissions;
        }
    }

    /// Times `user` out in `server` until `until`.
    pub fn timeout(&self, server: ServerId, user: UserId, until: Timestamp) {
        let mut world = lock(&self.shared.world);
        if let Some(member) = world.member_mut(server, user) {
            member.timeout = Some(until);
        }
    }

    /// A text channel in `server` (voice-capable when `voice`).
    pub fn channel(&self, server: ServerId, name: &str, voice: bool) -> ChannelId {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        world.create_text_channel(server, name, voice.then(VoiceInformation::default), now)
    }

    /// A message by `author` in `channel`.
    pub fn message(&self, channel: ChannelId, author: UserId, content: &str) -> MessageId {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        let id: MessageId = world.id(now);
        let message = Message {
            id,
            nonce: None,
            channel,
            author,
            user: None,
            member: None,
            webhook: None,
            content: Some(content.to_owned()),
            system: None,
            attachments: None,
            edited: None,
            embeds: None,
            mentions: None,
            role_mentions: None,
            replies: None,
            reactions: std::collections::HashMap::new(),
            interactions: Interactions::default(),
            masquerade: None,
            pinned: None,
            flags: 0,
        };
        world
            .messages
            .entry(channel)
            .or_default()
            .insert(id, message);
        id
    }

    /// Makes `a` and `b` friends.
    pub fn friends(&self, a: UserId, b: UserId) {
        let mut world = lock(&self.shared.world);
        world.set_relationship(a, b, RelationshipStatus::Friend);
        world.set_relationship(b, a, RelationshipStatus::Friend);
    }

    /// The direct-message channel between `a` and `b`, opened if needed.
    pub fn dm(&self, a: UserId, b: UserId) -> ChannelId {
        let now = self.now();
        let mut world = lock(&self.shared.world);
        if let Some(existing) = world.dm_between(a, b) {
            return existing;
        }
        let id: ChannelId = world.id(now);
        world.channels.insert(
            id,
            ermine_model::channel::Channel::DirectMessage(ermine_model::channel::DirectMessage {
                id,
                active: true,
                recipients: vec![a, b],
                last_message_id: None,
            }),
        );
        world.dms.insert(crate::world::dm_key(a, b), id);
        id
    }

    /// Puts `user` in voice `channel` (as if it had joined the call).
    pub fn in_voice(&self, user: UserId, channel: ChannelId) {
        lock(&self.shared.world).voice.insert(user, channel);
    }
}
