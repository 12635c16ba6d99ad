//! Events as the facade offers them: typed, with the cached values before and after.

use ermine_cache::Change;
use ermine_model::channel::Channel;
use ermine_model::event::{MessageReact, ServerEvent};
use ermine_model::id::{ChannelId, MessageId, RoleId, ServerId, UserId};
use ermine_model::member::RemovalIntention;
use ermine_model::message::Message;
use ermine_model::server::{Role, Server};
use ermine_model::user::User;

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
    /// After a reconnect: what a refetched member list showed had changed meanwhile. Events
    /// received while the list was in flight (member joins, updates and leaves, role
    /// deletions, user updates, relationships and wipes) are applied again over it, so the
    /// cache keeps the newest state; a server deleted or left meanwhile gets no `Reconciled`.
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
    /// A message, as a handle to act on it (reply, react, delete, …).
    Message(crate::Message),
    /// A message was edited (or its embeds, pins or reactions changed): as cached before
    /// and after (both `None` when the cache did not hold it).
    MessageUpdate {
        /// Its channel.
        channel: ChannelId,
        /// The message.
        id: MessageId,
        /// Before, when cached.
        before: Option<Box<Message>>,
        /// After, when cached.
        after: Option<Box<Message>>,
    },
    /// A message was deleted, with what the cache held of it.
    MessageDelete {
        /// Its channel.
        channel: ChannelId,
        /// The message.
        id: MessageId,
        /// The message as cached, if it was.
        message: Option<Box<Message>>,
    },
    /// Messages were deleted at once, with what the cache held of them.
    MessagesDelete {
        /// Their channel.
        channel: ChannelId,
        /// The messages.
        ids: Vec<MessageId>,
        /// Those the cache held.
        messages: Vec<Message>,
    },
    /// Someone reacted to a message.
    ReactionAdd(MessageReact),
    /// Someone's reaction was removed.
    ReactionRemove(MessageReact),
    /// A channel appeared (created, or became visible).
    ChannelCreate(Box<Channel>),
    /// A channel changed: as cached before and after.
    ChannelUpdate {
        /// The channel.
        id: ChannelId,
        /// Before, when cached.
        before: Option<Box<Channel>>,
        /// After, when cached.
        after: Option<Box<Channel>>,
    },
    /// A channel was deleted (or became invisible), with what the cache held of it.
    ChannelDelete {
        /// The channel.
        id: ChannelId,
        /// The channel as cached, if it was.
        channel: Option<Box<Channel>>,
    },
    /// A role was created (`before` is `None`) or changed.
    RoleUpdate {
        /// Its server.
        server: ServerId,
        /// The role.
        id: RoleId,
        /// Before, when cached.
        before: Option<Box<Role>>,
        /// After, when cached.
        after: Option<Box<Role>>,
    },
    /// A role was deleted, with what the cache held of it.
    RoleDelete {
        /// Its server.
        server: ServerId,
        /// The role.
        id: RoleId,
        /// The role as cached, if it was.
        role: Option<Box<Role>>,
    },
    /// A server changed: as cached before and after.
    ServerUpdate {
        /// The server.
        id: ServerId,
        /// Before, when cached.
        before: Option<Box<Server>>,
        /// After, when cached.
        after: Option<Box<Server>>,
    },
    /// A user changed (profile, status, relationship): as cached before and after.
    UserUpdate {
        /// The user.
        id: UserId,
        /// Before, when cached.
        before: Option<Box<User>>,
        /// After, when cached.
        after: Option<Box<User>>,
    },
    /// Someone started (`started`) or stopped typing in a channel.
    Typing {
        /// The channel.
        channel: ChannelId,
        /// Who.
        user: UserId,
        /// Started (`true`) or stopped.
        started: bool,
    },
    /// A relationship with another user changed (friend request, friendship, block).
    Relationship(Box<User>),
    /// A custom emoji was created, renamed or deleted.
    Emoji(EmojiChange),
    /// A webhook was created, changed or deleted.
    Webhook(WebhookChange),
    /// The bot joined a server (or one was created): the server as the event brought it.
    ServerCreate(Box<Server>),
    /// A server was deleted or left, with what the cache held of it.
    ServerDelete {
        /// The server.
        id: ServerId,
        /// The server as cached, if it was.
        server: Option<Box<Server>>,
    },
    /// A server's roles were ranked again (highest first).
    RoleRanks {
        /// The server.
        server: ServerId,
        /// Its roles, in their new order.
        ranks: Vec<RoleId>,
    },
    /// All reactions of one emoji were removed from a message.
    ReactionClear {
        /// The channel.
        channel: ChannelId,
        /// The message.
        message: MessageId,
        /// The emoji.
        emoji: String,
    },
    /// Someone joined a group.
    GroupJoin {
        /// The group.
        channel: ChannelId,
        /// Who.
        user: UserId,
    },
    /// Someone left a group.
    GroupLeave {
        /// The group.
        channel: ChannelId,
        /// Who.
        user: UserId,
    },
    /// This account read a channel up to a message (from any of its sessions).
    Ack(ermine_model::event::ChannelAck),
    /// Someone joined, left or moved between voice channels, or a voice state changed.
    Voice(VoiceChange),
    /// A settings key of this account changed.
    SettingsUpdate(ermine_model::event::UserSettingsUpdate),
    /// A user's content was wiped from the platform (the cache dropped what it held).
    UserWipe {
        /// The user.
        user: UserId,
        /// The wipe's flags.
        flags: i32,
    },
    /// This account's slowmode cooldowns.
    Slowmodes(ermine_model::event::UserSlowmodes),
    /// The session was ended (logged out or revoked); the connection closes.
    Logout,
    /// The consumer fell behind by more than the queue holds and these many events were
    /// dropped (only under [`Overflow::DropOldest`](crate::Overflow::DropOldest); the cache
    /// applied them).
    Lagged {
        /// How many.
        missed: u64,
    },
    /// A member list refetched after a reconnect could not be read; the cache keeps what the
    /// fresh `Ready` vouched for.
    RefreshFailed {
        /// The server.
        server: ServerId,
        /// Why.
        error: std::sync::Arc<crate::Error>,
    },
    /// Any other event, as received (kinds newer than this version).
    Other(Box<ServerEvent>),
}

/// What happened in voice.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VoiceChange {
    /// Someone joined a voice channel.
    Join(ermine_model::event::VoiceChannelJoin),
    /// Someone left a voice channel.
    Leave {
        /// The channel.
        channel: ChannelId,
        /// Who.
        user: UserId,
    },
    /// Someone moved between voice channels.
    Move(ermine_model::event::VoiceChannelMove),
    /// Someone's voice state changed (muted, deafened, camera, screen).
    State(ermine_model::event::UserVoiceStateUpdate),
    /// This account was moved to another voice channel: where to connect now.
    MovedMe(ermine_model::event::UserMoveVoiceChannel),
    /// A call in a DM or group started or ended.
    Call(ermine_model::event::VoiceCallUpdate),
}

/// The kind of an [`Event`], to choose which ones [`Events::only`](crate::Events::only) keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// [`Event::Ready`].
    Ready,
    /// [`Event::MemberJoin`].
    MemberJoin,
    /// [`Event::MemberUpdate`].
    MemberUpdate,
    /// [`Event::MemberRemove`].
    MemberRemove,
    /// [`Event::Reconciled`].
    Reconciled,
    /// [`Event::Message`].
    Message,
    /// [`Event::MessageUpdate`].
    MessageUpdate,
    /// [`Event::MessageDelete`].
    MessageDelete,
    /// [`Event::MessagesDelete`].
    MessagesDelete,
    /// [`Event::ReactionAdd`].
    ReactionAdd,
    /// [`Event::ReactionRemove`].
    ReactionRemove,
    /// [`Event::ReactionClear`].
    ReactionClear,
    /// [`Event::ChannelCreate`].
    ChannelCreate,
    /// [`Event::ChannelUpdate`].
    ChannelUpdate,
    /// [`Event::ChannelDelete`].
    ChannelDelete,
    /// [`Event::GroupJoin`].
    GroupJoin,
    /// [`Event::GroupLeave`].
    GroupLeave,
    /// [`Event::Ack`].
    Ack,
    /// [`Event::RoleUpdate`].
    RoleUpdate,
    /// [`Event::RoleDelete`].
    RoleDelete,
    /// [`Event::RoleRanks`].
    RoleRanks,
    /// [`Event::ServerCreate`].
    ServerCreate,
    /// [`Event::ServerUpdate`].
    ServerUpdate,
    /// [`Event::ServerDelete`].
    ServerDelete,
    /// [`Event::UserUpdate`].
    UserUpdate,
    /// [`Event::UserWipe`].
    UserWipe,
    /// [`Event::Relationship`].
    Relationship,
    /// [`Event::SettingsUpdate`].
    SettingsUpdate,
    /// [`Event::Slowmodes`].
    Slowmodes,
    /// [`Event::Typing`].
    Typing,
    /// [`Event::Emoji`].
    Emoji,
    /// [`Event::Webhook`].
    Webhook,
    /// [`Event::Voice`].
    Voice,
    /// [`Event::Logout`].
    Logout,
    /// [`Event::Lagged`].
    Lagged,
    /// [`Event::RefreshFailed`].
    RefreshFailed,
    /// [`Event::Other`].
    Other,
}

impl EventKind {
    /// The kind's bit in a set of kinds.
    pub(crate) fn bit(self) -> u64 {
        1 << (self as u32)
    }
}

/// What happened to a custom emoji.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EmojiChange {
    /// Created.
    Created(ermine_model::emoji::Emoji),
    /// Renamed.
    Updated(ermine_model::event::EmojiUpdate),
    /// Deleted.
    Deleted(ermine_model::id::EmojiId),
}

/// What happened to a webhook.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookChange {
    /// Created (its token included, as the server sends it).
    Created(Box<ermine_model::webhook::Webhook>),
    /// Changed.
    Updated(Box<ermine_model::event::WebhookUpdate>),
    /// Deleted.
    Deleted(ermine_model::id::WebhookId),
}

impl Event {
    /// This event's kind.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::Ready(_) => EventKind::Ready,
            Self::MemberJoin { .. } => EventKind::MemberJoin,
            Self::MemberUpdate { .. } => EventKind::MemberUpdate,
            Self::MemberRemove { .. } => EventKind::MemberRemove,
            Self::Reconciled { .. } => EventKind::Reconciled,
            Self::Message(_) => EventKind::Message,
            Self::MessageUpdate { .. } => EventKind::MessageUpdate,
            Self::MessageDelete { .. } => EventKind::MessageDelete,
            Self::MessagesDelete { .. } => EventKind::MessagesDelete,
            Self::ReactionAdd(_) => EventKind::ReactionAdd,
            Self::ReactionRemove(_) => EventKind::ReactionRemove,
            Self::ReactionClear { .. } => EventKind::ReactionClear,
            Self::ChannelCreate(_) => EventKind::ChannelCreate,
            Self::ChannelUpdate { .. } => EventKind::ChannelUpdate,
            Self::ChannelDelete { .. } => EventKind::ChannelDelete,
            Self::GroupJoin { .. } => EventKind::GroupJoin,
            Self::GroupLeave { .. } => EventKind::GroupLeave,
            Self::Ack(_) => EventKind::Ack,
            Self::RoleUpdate { .. } => EventKind::RoleUpdate,
            Self::RoleDelete { .. } => EventKind::RoleDelete,
            Self::RoleRanks { .. } => EventKind::RoleRanks,
            Self::ServerCreate(_) => EventKind::ServerCreate,
            Self::ServerUpdate { .. } => EventKind::ServerUpdate,
            Self::ServerDelete { .. } => EventKind::ServerDelete,
            Self::UserUpdate { .. } => EventKind::UserUpdate,
            Self::UserWipe { .. } => EventKind::UserWipe,
            Self::Relationship(_) => EventKind::Relationship,
            Self::SettingsUpdate(_) => EventKind::SettingsUpdate,
            Self::Slowmodes(_) => EventKind::Slowmodes,
            Self::Typing { .. } => EventKind::Typing,
            Self::Emoji(_) => EventKind::Emoji,
            Self::Webhook(_) => EventKind::Webhook,
            Self::Voice(_) => EventKind::Voice,
            Self::Logout => EventKind::Logout,
            Self::Lagged { .. } => EventKind::Lagged,
            Self::RefreshFailed { .. } => EventKind::RefreshFailed,
            Self::Other(_) => EventKind::Other,
        }
    }

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
            (event, change) => Self::from_object_change(client, event, change),
        }
    }

    /// Messages, reactions, channels, roles, the server and users, with what the cache held.
    fn from_object_change(client: &Client, event: ServerEvent, change: Change) -> Self {
        match (event, change) {
            (ServerEvent::Message(message), _) => {
                Self::Message(crate::Message::new(message, client.clone()))
            }
            (ServerEvent::MessageUpdate(update), change) => {
                let (before, after) = messages(change);
                Self::MessageUpdate {
                    channel: update.channel,
                    id: update.id,
                    before,
                    after,
                }
            }
            (ServerEvent::MessageAppend(append), change) => {
                let (before, after) = messages(change);
                Self::MessageUpdate {
                    channel: append.channel,
                    id: append.id,
                    before,
                    after,
                }
            }
            (ServerEvent::ServerDelete(delete), change) => Self::ServerDelete {
                id: delete.id,
                server: match change {
                    Change::Server { before, .. } => before,
                    _ => None,
                },
            },
            (ServerEvent::MessageDelete(delete), change) => Self::MessageDelete {
                channel: delete.channel,
                id: delete.id,
                message: messages(change).0,
            },
            (ServerEvent::BulkMessageDelete(delete), change) => {
                let messages = match change {
                    Change::Many(changes) => changes
                        .into_iter()
                        .filter_map(|c| messages(c).0.map(|m| *m))
                        .collect(),
                    _ => Vec::new(),
                };
                Self::MessagesDelete {
                    channel: delete.channel,
                    ids: delete.ids,
                    messages,
                }
            }
            (ServerEvent::MessageReact(react), _) => Self::ReactionAdd(react),
            (ServerEvent::MessageUnreact(react), _) => Self::ReactionRemove(react),
            (ServerEvent::ChannelCreate(channel), _) => Self::ChannelCreate(channel),
            (ServerEvent::ChannelUpdate(update), change) => {
                let (before, after) = channels(change);
                Self::ChannelUpdate {
                    id: update.id,
                    before,
                    after,
                }
            }
            (ServerEvent::ChannelDelete(delete), change) => Self::ChannelDelete {
                id: delete.id,
                channel: channels(change).0,
            },
            (ServerEvent::ServerRoleUpdate(update), change) => {
                let (before, after) = roles(change);
                Self::RoleUpdate {
                    server: update.id,
                    id: update.role_id,
                    before,
                    after,
                }
            }
            (ServerEvent::ServerRoleDelete(delete), change) => Self::RoleDelete {
                server: delete.id,
                id: delete.role_id,
                role: roles(change).0,
            },
            (ServerEvent::ServerUpdate(update), Change::Server { before, after }) => {
                Self::ServerUpdate {
                    id: update.id,
                    before,
                    after,
                }
            }
            (ServerEvent::UserUpdate(update), Change::User { before, after }) => {
                let user =
                    |u: Option<ermine_cache::UserSnapshot>| u.map(|u| Box::new(u.into_user()));
                Self::UserUpdate {
                    id: update.id,
                    before: user(before),
                    after: user(after),
                }
            }
            (event, _) => Self::from_event(event),
        }
    }

    /// Events the cache keeps nothing of.
    fn from_event(event: ServerEvent) -> Self {
        match event {
            ServerEvent::ChannelStartTyping(t) => Self::Typing {
                channel: t.id,
                user: t.user,
                started: true,
            },
            ServerEvent::ChannelStopTyping(t) => Self::Typing {
                channel: t.id,
                user: t.user,
                started: false,
            },
            ServerEvent::UserRelationship(r) => Self::Relationship(Box::new(r.user)),
            ServerEvent::EmojiCreate(e) => Self::Emoji(EmojiChange::Created(e)),
            ServerEvent::EmojiUpdate(e) => Self::Emoji(EmojiChange::Updated(e)),
            ServerEvent::EmojiDelete(e) => Self::Emoji(EmojiChange::Deleted(e.id)),
            ServerEvent::WebhookCreate(w) => Self::Webhook(WebhookChange::Created(w)),
            ServerEvent::WebhookUpdate(w) => Self::Webhook(WebhookChange::Updated(w)),
            ServerEvent::WebhookDelete(w) => Self::Webhook(WebhookChange::Deleted(w.id)),
            ServerEvent::ServerCreate(c) => Self::ServerCreate(Box::new(c.server)),
            ServerEvent::ServerRoleRanksUpdate(r) => Self::RoleRanks {
                server: r.id,
                ranks: r.ranks,
            },
            ServerEvent::MessageRemoveReaction(r) => Self::ReactionClear {
                channel: r.channel_id,
                message: r.id,
                emoji: r.emoji_id,
            },
            ServerEvent::ChannelGroupJoin(j) => Self::GroupJoin {
                channel: j.id,
                user: j.user,
            },
            ServerEvent::ChannelGroupLeave(l) => Self::GroupLeave {
                channel: l.id,
                user: l.user,
            },
            ServerEvent::ChannelAck(a) => Self::Ack(a),
            ServerEvent::UserSettingsUpdate(u) => Self::SettingsUpdate(u),
            ServerEvent::UserPlatformWipe(w) => Self::UserWipe {
                user: w.user_id,
                flags: w.flags,
            },
            ServerEvent::UserSlowmodes(s) => Self::Slowmodes(s),
            ServerEvent::Logout => Self::Logout,
            ServerEvent::VoiceChannelJoin(j) => Self::Voice(VoiceChange::Join(j)),
            ServerEvent::VoiceChannelLeave(l) => Self::Voice(VoiceChange::Leave {
                channel: l.id,
                user: l.user,
            }),
            ServerEvent::VoiceChannelMove(m) => Self::Voice(VoiceChange::Move(m)),
            ServerEvent::UserVoiceStateUpdate(u) => Self::Voice(VoiceChange::State(u)),
            ServerEvent::UserMoveVoiceChannel(m) => Self::Voice(VoiceChange::MovedMe(m)),
            ServerEvent::VoiceCallUpdate(c) => Self::Voice(VoiceChange::Call(c)),
            event => Self::Other(Box::new(event)),
        }
    }
}

/// A cached value before and after a change.
type BeforeAfter<T> = (Option<Box<T>>, Option<Box<T>>);

/// The message a change is about, before and after (`None`s for another kind of change).
fn messages(change: Change) -> BeforeAfter<Message> {
    match change {
        Change::Message { before, after } => (before, after),
        _ => (None, None),
    }
}

/// The channel a change is about, before and after.
fn channels(change: Change) -> BeforeAfter<Channel> {
    match change {
        Change::Channel { before, after } => (before, after),
        _ => (None, None),
    }
}

/// The role a change is about, before and after.
fn roles(change: Change) -> BeforeAfter<Role> {
    match change {
        Change::Role { before, after, .. } => (before, after),
        _ => (None, None),
    }
}
