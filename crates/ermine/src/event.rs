//! Events as the facade offers them: member events with the cached values before and after.

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_model::id::{ServerId, UserId};
use ermine_model::member::RemovalIntention;
use ermine_model::message::Message;

use crate::client::Client;
use crate::member::{BaseMember, Member, PartialMember};

/// An event, after the cache has applied it.
// Member updates carry two snapshots; an event is moved once, so boxing would only add an
// allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// The connection is ready (after every reconnect too; handlers should be idempotent).
    Ready(ermine_cache::ReadySummary),
    /// A member joined.
    MemberJoin(Member),
    /// A member changed: the cached value before (when it was cached), after, and the
    /// partial update itself.
    MemberUpdate {
        /// Before, when cached.
        before: Option<Member>,
        /// After, when the member was cached (an update never invents a member).
        after: Option<Member>,
        /// What the event set and cleared.
        partial: PartialMember,
    },
    /// A member left, was kicked or banned.
    MemberRemove {
        /// The server.
        server: ServerId,
        /// The user.
        user: UserId,
        /// Why.
        reason: RemovalIntention,
        /// The member as cached before it went, if it was.
        member: Option<Member>,
    },
    /// After a reconnect: what a refetched member list showed had changed meanwhile.
    Reconciled {
        /// The server.
        server: ServerId,
        /// Members who joined.
        joined: Vec<Member>,
        /// Members who changed: before and after.
        changed: Vec<(Member, Member)>,
        /// Members who are gone (why is not known).
        removed: Vec<Member>,
    },
    /// A message.
    Message(Box<Message>),
    /// Any other event, as received.
    Other(Box<ServerEvent>),
}

impl Event {
    pub(crate) fn reconciled(client: &Client, server: ServerId, found: Vec<Change>) -> Self {
        let handle = |m: ermine_cache::MemberSnapshot| Member::new(m.into_member(), client.clone());
        let (mut joined, mut changed, mut removed) = (Vec::new(), Vec::new(), Vec::new());
        for item in found {
            if let Change::Member { before, after, .. } = item {
                match (before, after) {
                    (None, Some(a)) => joined.push(handle(a)),
                    (Some(b), Some(a)) => changed.push((handle(b), handle(a))),
                    (Some(b), None) => removed.push(handle(b)),
                    (None, None) => {}
                }
            }
        }
        Self::Reconciled {
            server,
            joined,
            changed,
            removed,
        }
    }

    pub(crate) fn from_change(client: &Client, event: ServerEvent, change: Change) -> Self {
        let handle = |m: Option<ermine_cache::MemberSnapshot>| {
            m.map(|m| Member::new(m.into_member(), client.clone()))
        };
        match (event, change) {
            (_, Change::Ready(summary)) => Self::Ready(summary),
            (ServerEvent::ServerMemberJoin(join), Change::Member { after, .. }) => {
                match handle(after) {
                    Some(member) => Self::MemberJoin(member),
                    None => Self::Other(Box::new(ServerEvent::ServerMemberJoin(join))),
                }
            }
            (ServerEvent::ServerMemberUpdate(update), Change::Member { before, after, .. }) => {
                Self::MemberUpdate {
                    before: handle(before),
                    after: handle(after),
                    partial: PartialMember::from_update(
                        BaseMember::new(update.id, client.clone()),
                        &update,
                    ),
                }
            }
            (ServerEvent::ServerMemberLeave(leave), Change::Member { before, .. }) => {
                Self::MemberRemove {
                    server: leave.id,
                    user: leave.user,
                    reason: leave.reason,
                    member: handle(before),
                }
            }
            (ServerEvent::Message(message), _) => Self::Message(message),
            (event, _) => Self::Other(Box::new(event)),
        }
    }
}
