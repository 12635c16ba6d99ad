//! What an update changed.

use ermine_model::channel::Channel;
use ermine_model::id::{ServerId, UserId};
use ermine_model::member::{Member, RemovalIntention};
use ermine_model::message::Message;
use ermine_model::server::{Role, Server};
use ermine_model::user::User;

use crate::compact::{CachedMember, CachedUser, Replaced};

/// What one event changed in the cache, with the values before and after (`None` where the
/// object did not exist, or was not cached).
// Member changes carry snapshots inline: boxing them would cost two allocations per event on
// the hottest path; a change is moved once.
///
/// It serializes with serde (members as the API's member objects), so a change can travel
/// with its event to another process.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Change {
    /// Nothing the cache keeps.
    None,
    /// A `Ready` was applied; after a reconnect, what reconciliation found.
    Ready(ReadySummary),
    /// A server appeared, changed or went away.
    Server {
        /// Before.
        before: Option<Box<Server>>,
        /// After.
        after: Option<Box<Server>>,
    },
    /// A member joined (`before` is `None`), changed, or left (`after` is `None`).
    Member {
        /// The server.
        server: ServerId,
        /// The member's user.
        user: UserId,
        /// Before (`None`: not cached or new).
        before: Option<MemberSnapshot>,
        /// After (`None`: gone, or an update for a member the cache did not have).
        after: Option<MemberSnapshot>,
        /// Why it left, for a leave.
        reason: Option<RemovalIntention>,
    },
    /// A role was created, changed or deleted.
    Role {
        /// The server.
        server: ServerId,
        /// Before.
        before: Option<Box<Role>>,
        /// After.
        after: Option<Box<Role>>,
    },
    /// Role ranks were reassigned.
    RoleRanks {
        /// The server.
        server: ServerId,
    },
    /// A user changed (profile, presence, relationship) or was wiped.
    User {
        /// Before.
        before: Option<UserSnapshot>,
        /// After.
        after: Option<UserSnapshot>,
    },
    /// A channel appeared, changed or went away.
    Channel {
        /// Before.
        before: Option<Box<Channel>>,
        /// After.
        after: Option<Box<Channel>>,
    },
    /// A message arrived, changed or was deleted.
    Message {
        /// Before.
        before: Option<Box<Message>>,
        /// After.
        after: Option<Box<Message>>,
    },
    /// Several changes from one event (`Bulk`, `BulkMessageDelete`, a platform wipe).
    Many(Vec<Change>),
}

/// A member as a change reported it. The model is built on demand
/// ([`to_member`](Self::to_member)), so reporting a change costs no copy of it. Two
/// snapshots are equal when they stand for equal members.
#[derive(Debug, Clone)]
pub struct MemberSnapshot(Snapshot);

#[derive(Debug, Clone)]
enum Snapshot {
    Stored {
        server: ServerId,
        user: UserId,
        slim: CachedMember,
    },
    /// The member before an update: the member after it, and the values it replaced.
    Before {
        server: ServerId,
        user: UserId,
        after: CachedMember,
        replaced: Replaced,
    },
    /// Boxed: a change is moved a few times, and a stored snapshot is far smaller.
    Model(Box<Member>),
}

impl PartialEq for MemberSnapshot {
    fn eq(&self, other: &Self) -> bool {
        self.to_member() == other.to_member()
    }
}

/// A snapshot travels as the member object it stands for.
impl serde::Serialize for MemberSnapshot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_member().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for MemberSnapshot {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Member::deserialize(deserializer).map(Self::model)
    }
}

impl MemberSnapshot {
    pub(crate) fn stored(server: ServerId, user: UserId, slim: CachedMember) -> Self {
        Self(Snapshot::Stored { server, user, slim })
    }

    /// The member before an update, from the member after it (`after`) and what the update
    /// replaced.
    pub(crate) fn before(
        server: ServerId,
        user: UserId,
        after: CachedMember,
        replaced: Replaced,
    ) -> Self {
        Self(Snapshot::Before {
            after,
            server,
            user,
            replaced,
        })
    }

    pub(crate) fn model(member: Member) -> Self {
        Self(Snapshot::Model(Box::new(member)))
    }

    /// The member.
    pub fn to_member(&self) -> Member {
        match &self.0 {
            Snapshot::Stored { server, user, slim } => slim.to_member(*server, *user),
            Snapshot::Before {
                server,
                user,
                after,
                replaced,
            } => {
                let mut member = after.to_member(*server, *user);
                replaced.restore(&mut member);
                member
            }
            Snapshot::Model(m) => Member::clone(m),
        }
    }

    /// The member, consuming the snapshot.
    pub fn into_member(self) -> Member {
        match self.0 {
            Snapshot::Model(m) => *m,
            _ => self.to_member(),
        }
    }
}

/// A user as a change reported it. The model is built on demand
/// ([`to_user`](Self::to_user)), so reporting a change costs no copy of it. Two snapshots
/// are equal when they stand for equal users.
#[derive(Debug, Clone)]
pub struct UserSnapshot(UserSnap);

#[derive(Debug, Clone)]
enum UserSnap {
    Stored(UserId, Box<CachedUser>),
    Model(Box<User>),
}

impl PartialEq for UserSnapshot {
    fn eq(&self, other: &Self) -> bool {
        self.to_user() == other.to_user()
    }
}

/// A snapshot travels as the user object it stands for.
impl serde::Serialize for UserSnapshot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_user().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for UserSnapshot {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        User::deserialize(deserializer).map(Self::model)
    }
}

impl UserSnapshot {
    pub(crate) fn stored(id: UserId, user: CachedUser) -> Self {
        Self(UserSnap::Stored(id, Box::new(user)))
    }

    pub(crate) fn model(user: User) -> Self {
        Self(UserSnap::Model(Box::new(user)))
    }

    /// The user.
    pub fn to_user(&self) -> User {
        match &self.0 {
            UserSnap::Stored(id, user) => user.to_user(*id),
            UserSnap::Model(user) => User::clone(user),
        }
    }

    /// The user, consuming the snapshot.
    pub fn into_user(self) -> User {
        match self.0 {
            UserSnap::Model(user) => *user,
            UserSnap::Stored(..) => self.to_user(),
        }
    }
}

/// What a `Ready` changed. On the first `Ready` only `servers_added` is filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ReadySummary {
    /// Whether this `Ready` followed an earlier one (a reconnect).
    pub reconnect: bool,
    /// Servers now known that were not before.
    pub servers_added: Vec<ServerId>,
    /// Servers left while disconnected: dropped with their members and channels.
    pub servers_removed: Vec<ServerId>,
    /// Members dropped because the fresh `Ready` cannot vouch for them.
    pub members_dropped: usize,
    /// Servers whose kept member lists may be stale: refetch them and pass the result to
    /// [`Cache::replace_members`](crate::Cache::replace_members), which reports the
    /// differences.
    pub refresh: Vec<ServerId>,
    /// Users whose cached value changed.
    pub users_changed: Vec<UserId>,
}

#[cfg(test)]
mod tests {
    /// A change is moved on every event: it stays small (a model snapshot is boxed; an
    /// update's replaced values are not, since an allocation and a free per update were
    /// measured to cost more than moving them).
    #[test]
    fn a_change_is_small() {
        assert!(
            size_of::<super::Change>() <= 352,
            "{}",
            size_of::<super::Change>()
        );
    }
}
