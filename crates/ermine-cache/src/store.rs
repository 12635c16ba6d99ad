//! The cache's storage and what readers can ask.

use std::collections::VecDeque;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use ermine_model::channel::Channel;
use ermine_model::id::{ChannelId, MessageId, RoleId, ServerId, UserId};
use ermine_model::member::Member;
use ermine_model::message::Message;
use ermine_model::server::{Role, Server};
use ermine_model::user::User;

use crate::compact::{CachedMember, CachedUser};
use crate::config::CacheConfig;
use crate::hash::{IdIndexMap, IdMap};

/// One server's members. (An index map, as for users, was measured: its lookups and removals
/// made member events about a tenth slower, which matters more than its faster teardown.)
pub(crate) type MemberTable = IdMap<UserId, CachedMember>;

/// The state behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) me: Option<UserId>,
    pub(crate) readies: u64,
    pub(crate) users: IdIndexMap<UserId, CachedUser>,
    pub(crate) servers: IdMap<ServerId, Server>,
    pub(crate) members: IdMap<ServerId, MemberTable>,
    pub(crate) channels: IdMap<ChannelId, Channel>,
    pub(crate) dms: IdMap<UserId, ChannelId>,
    pub(crate) messages: IdMap<ChannelId, VecDeque<Message>>,
    pub(crate) roles: crate::compact::RoleLists,
}

/// An event-fed cache. Share it behind an `Arc`; readers take a short read lock and get
/// owned, consistent values; [`update`](Cache::update) takes a short write lock.
#[derive(Debug, Default)]
pub struct Cache {
    pub(crate) inner: RwLock<Inner>,
    pub(crate) config: CacheConfig,
}

/// Counts and approximate memory of a cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Users.
    pub users: usize,
    /// Servers.
    pub servers: usize,
    /// Members, over all servers.
    pub members: usize,
    /// Roles, over all servers.
    pub roles: usize,
    /// Channels.
    pub channels: usize,
    /// Messages.
    pub messages: usize,
    /// Approximate bytes held (entries, tables and heap data; allocator overhead excluded).
    pub approximate_bytes: usize,
}

impl Cache {
    /// An empty cache keeping everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache with `config`.
    pub fn with_config(config: CacheConfig) -> Self {
        Self {
            inner: RwLock::default(),
            config,
        }
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current user (from `Ready`).
    pub fn me(&self) -> Option<UserId> {
        self.read().me
    }

    /// A member.
    pub fn member(&self, server: ServerId, user: UserId) -> Option<Member> {
        self.read()
            .members
            .get(&server)?
            .get(&user)
            .map(|m| m.to_member(server, user))
    }

    /// Every cached member of a server.
    pub fn members(&self, server: ServerId) -> Vec<Member> {
        self.read().members.get(&server).map_or_else(Vec::new, |m| {
            m.iter().map(|(u, c)| c.to_member(server, *u)).collect()
        })
    }

    /// How many members of a server are cached.
    pub fn member_count(&self, server: ServerId) -> usize {
        self.read().members.get(&server).map_or(0, MemberTable::len)
    }

    /// A member and its user, read together (consistent with each other).
    pub fn member_with_user(
        &self,
        server: ServerId,
        user: UserId,
    ) -> Option<(Member, Option<User>)> {
        let inner = self.read();
        let member = inner
            .members
            .get(&server)?
            .get(&user)?
            .to_member(server, user);
        let user = inner.users.get(&user).map(|u| u.to_user(user));
        Some((member, user))
    }

    /// A user.
    pub fn user(&self, id: UserId) -> Option<User> {
        self.read().users.get(&id).map(|u| u.to_user(id))
    }

    /// A server.
    pub fn server(&self, id: ServerId) -> Option<Server> {
        self.read().servers.get(&id).cloned()
    }

    /// A role of a server.
    pub fn role(&self, server: ServerId, role: RoleId) -> Option<Role> {
        self.read().servers.get(&server)?.roles.get(&role).cloned()
    }

    /// A channel.
    pub fn channel(&self, id: ChannelId) -> Option<Channel> {
        self.read().channels.get(&id).cloned()
    }

    /// The DM channel with a user, when known.
    pub fn dm_channel(&self, user: UserId) -> Option<ChannelId> {
        self.read().dms.get(&user).copied()
    }

    /// Cached messages of a channel, oldest first.
    pub fn messages(&self, channel: ChannelId) -> Vec<Message> {
        self.read()
            .messages
            .get(&channel)
            .map_or_else(Vec::new, |m| m.iter().cloned().collect())
    }

    /// One cached message.
    pub fn message(&self, channel: ChannelId, id: MessageId) -> Option<Message> {
        self.read()
            .messages
            .get(&channel)?
            .iter()
            .find(|m| m.id == id)
            .cloned()
    }

    /// Counts and approximate bytes.
    pub fn stats(&self) -> CacheStats {
        let inner = self.read();
        let members: usize = inner.members.values().map(MemberTable::len).sum();
        let member_bytes: usize = inner
            .members
            .values()
            .map(|m| {
                m.capacity() * (size_of::<UserId>() + size_of::<CachedMember>() + 1)
                    + m.values().map(CachedMember::heap_bytes).sum::<usize>()
            })
            .sum();
        // Entries (hash, key, value) in a vector; positions in the table.
        let user_bytes = inner.users.capacity()
            * (size_of::<u64>()
                + size_of::<UserId>()
                + size_of::<CachedUser>()
                + size_of::<usize>()
                + 1)
            + inner
                .users
                .values()
                .map(CachedUser::heap_bytes)
                .sum::<usize>();
        let messages: usize = inner.messages.values().map(VecDeque::len).sum();
        CacheStats {
            users: inner.users.len(),
            servers: inner.servers.len(),
            members,
            roles: inner.servers.values().map(|s| s.roles.len()).sum(),
            channels: inner.channels.len(),
            messages,
            approximate_bytes: member_bytes
                + inner.roles.heap_bytes()
                + user_bytes
                + inner.servers.len() * size_of::<Server>()
                + inner.channels.len() * size_of::<Channel>()
                + messages * size_of::<Message>(),
        }
    }

    /// Inserts or replaces a member (from a REST result).
    pub fn insert_member(&self, member: &Member) {
        crate::update::put_member(&mut self.write(), &self.config, member);
    }

    /// Inserts or replaces a user (from a REST result).
    pub fn insert_user(&self, user: &User) {
        if self.config.resources.contains(crate::ResourceTypes::USERS) {
            self.write()
                .users
                .insert(user.id, CachedUser::from_user(user));
        }
    }

    /// Inserts or replaces a server (from a REST result).
    pub fn insert_server(&self, server: &Server) {
        if self
            .config
            .resources
            .contains(crate::ResourceTypes::SERVERS)
        {
            self.write().servers.insert(server.id, server.clone());
        }
    }

    /// Inserts or replaces a channel (from a REST result).
    pub fn insert_channel(&self, channel: &Channel) {
        let mut inner = self.write();
        crate::update::put_channel(&mut inner, &self.config, channel.clone());
    }
}
