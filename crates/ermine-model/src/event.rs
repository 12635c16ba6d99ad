//! Messages of the events WebSocket, both ways.
//!
//! [`ServerEvent`] is what the server sends (tagged by `type`); [`ClientEvent`] is what a
//! client sends. An event type this version does not know arrives as
//! [`ServerEvent::Unknown`] with its whole payload, never as an error.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::channel::{
    Channel, ChannelSlowmode, ChannelUnread, ChannelVoiceState, FieldsChannel, PartialChannel,
};
use crate::emoji::Emoji;
use crate::error::ErrorBody;
use crate::id::{ChannelId, EmojiId, MemberId, MessageId, RoleId, ServerId, UserId};
use crate::member::{FieldsMember, Member, PartialMember, RemovalIntention};
use crate::message::{AppendMessage, FieldsMessage, Message, PartialMessage};
use crate::server::{FieldsRole, FieldsServer, PartialRole, PartialServer, Server};
use crate::user::{FieldsUser, PartialUser, PartialUserVoiceState, User, UserVoiceState};
use crate::wire::tagged_enum;

/// An event sent by the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
///
/// Large payloads (servers, channels, roles, users, webhooks) are boxed, so an event is small
/// to move whatever its kind: a member update, the most frequent, is not padded to the size of
/// a whole server.
pub enum ServerEvent {
    /// Several events, to be handled in order.
    Bulk(Bulk),
    /// An error; after an authentication error the server closes the socket.
    Error(ErrorEvent),
    /// Authentication succeeded.
    Authenticated,
    /// The session was deleted; the server closes the socket.
    Logout,
    /// The initial state.
    Ready(Ready),
    /// Answer to a ping.
    Pong(Pong),
    /// A new message.
    Message(Box<Message>),
    /// A message changed.
    MessageUpdate(MessageUpdate),
    /// Content was appended to a message.
    MessageAppend(MessageAppend),
    /// A message was deleted.
    MessageDelete(MessageDelete),
    /// A reaction was added.
    MessageReact(MessageReact),
    /// A reaction was removed.
    MessageUnreact(MessageReact),
    /// All reactions of one emoji were removed.
    MessageRemoveReaction(MessageRemoveReaction),
    /// Several messages were deleted.
    BulkMessageDelete(BulkMessageDelete),
    /// You joined a server.
    ServerCreate(Box<ServerCreate>),
    /// A server changed.
    ServerUpdate(Box<ServerUpdate>),
    /// A server was deleted.
    ServerDelete(IdOnly<ServerId>),
    /// A member changed.
    ServerMemberUpdate(ServerMemberUpdate),
    /// A user joined a server.
    ServerMemberJoin(ServerMemberJoin),
    /// A user left a server.
    ServerMemberLeave(ServerMemberLeave),
    /// A role was created or changed.
    ServerRoleUpdate(Box<ServerRoleUpdate>),
    /// A role was deleted.
    ServerRoleDelete(ServerRoleDelete),
    /// Role ranks were reordered.
    ServerRoleRanksUpdate(ServerRoleRanksUpdate),
    /// A user changed.
    UserUpdate(Box<UserUpdate>),
    /// Your relationship with a user changed.
    UserRelationship(Box<UserRelationship>),
    /// Your settings changed elsewhere.
    UserSettingsUpdate(UserSettingsUpdate),
    /// A user was banned from the platform or deleted their account.
    UserPlatformWipe(UserPlatformWipe),
    /// Your slowmode state.
    UserSlowmodes(UserSlowmodes),
    /// A custom emoji was created.
    EmojiCreate(Emoji),
    /// A custom emoji was renamed.
    EmojiUpdate(EmojiUpdate),
    /// A custom emoji was deleted.
    EmojiDelete(IdOnly<EmojiId>),
    /// A webhook was created (its token included).
    WebhookCreate(Box<crate::webhook::Webhook>),
    /// A webhook changed.
    WebhookUpdate(Box<WebhookUpdate>),
    /// A webhook was deleted.
    WebhookDelete(IdOnly<crate::id::WebhookId>),
    /// A channel was created.
    ChannelCreate(Box<Channel>),
    /// A channel changed.
    ChannelUpdate(Box<ChannelUpdate>),
    /// A channel was deleted.
    ChannelDelete(IdOnly<ChannelId>),
    /// A user joined a group.
    ChannelGroupJoin(ChannelUser),
    /// A user left a group.
    ChannelGroupLeave(ChannelUser),
    /// A user started typing.
    ChannelStartTyping(ChannelUser),
    /// A user stopped typing.
    ChannelStopTyping(ChannelUser),
    /// You acknowledged a message.
    ChannelAck(ChannelAck),
    /// A user's voice state changed.
    UserVoiceStateUpdate(UserVoiceStateUpdate),
    /// A user joined a voice channel.
    VoiceChannelJoin(VoiceChannelJoin),
    /// A user left a voice channel.
    VoiceChannelLeave(ChannelUser),
    /// A user moved between voice channels.
    VoiceChannelMove(VoiceChannelMove),
    /// You were moved to another voice channel.
    UserMoveVoiceChannel(UserMoveVoiceChannel),
    /// A DM or group call started ringing or ended.
    VoiceCallUpdate(VoiceCallUpdate),
    /// An event type this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(ServerEvent, "type", {
    "Bulk" => Bulk(Bulk),
    "Error" => Error(ErrorEvent),
    "Authenticated" => Authenticated,
    "Logout" => Logout,
    "Ready" => Ready(Ready),
    "Pong" => Pong(Pong),
    "Message" => Message(Box<Message>),
    "MessageUpdate" => MessageUpdate(MessageUpdate),
    "MessageAppend" => MessageAppend(MessageAppend),
    "MessageDelete" => MessageDelete(MessageDelete),
    "MessageReact" => MessageReact(MessageReact),
    "MessageUnreact" => MessageUnreact(MessageReact),
    "MessageRemoveReaction" => MessageRemoveReaction(MessageRemoveReaction),
    "BulkMessageDelete" => BulkMessageDelete(BulkMessageDelete),
    "ServerCreate" => ServerCreate(Box<ServerCreate>),
    "ServerUpdate" => ServerUpdate(Box<ServerUpdate>),
    "ServerDelete" => ServerDelete(IdOnly<ServerId>),
    "ServerMemberUpdate" => ServerMemberUpdate(ServerMemberUpdate),
    "ServerMemberJoin" => ServerMemberJoin(ServerMemberJoin),
    "ServerMemberLeave" => ServerMemberLeave(ServerMemberLeave),
    "ServerRoleUpdate" => ServerRoleUpdate(Box<ServerRoleUpdate>),
    "ServerRoleDelete" => ServerRoleDelete(ServerRoleDelete),
    "ServerRoleRanksUpdate" => ServerRoleRanksUpdate(ServerRoleRanksUpdate),
    "UserUpdate" => UserUpdate(Box<UserUpdate>),
    "UserRelationship" => UserRelationship(Box<UserRelationship>),
    "UserSettingsUpdate" => UserSettingsUpdate(UserSettingsUpdate),
    "UserPlatformWipe" => UserPlatformWipe(UserPlatformWipe),
    "UserSlowmodes" => UserSlowmodes(UserSlowmodes),
    "EmojiCreate" => EmojiCreate(Emoji),
    "EmojiUpdate" => EmojiUpdate(EmojiUpdate),
    "EmojiDelete" => EmojiDelete(IdOnly<EmojiId>),
    "WebhookCreate" => WebhookCreate(Box<crate::webhook::Webhook>),
    "WebhookUpdate" => WebhookUpdate(Box<WebhookUpdate>),
    "WebhookDelete" => WebhookDelete(IdOnly<crate::id::WebhookId>),
    "ChannelCreate" => ChannelCreate(Box<Channel>),
    "ChannelUpdate" => ChannelUpdate(Box<ChannelUpdate>),
    "ChannelDelete" => ChannelDelete(IdOnly<ChannelId>),
    "ChannelGroupJoin" => ChannelGroupJoin(ChannelUser),
    "ChannelGroupLeave" => ChannelGroupLeave(ChannelUser),
    "ChannelStartTyping" => ChannelStartTyping(ChannelUser),
    "ChannelStopTyping" => ChannelStopTyping(ChannelUser),
    "ChannelAck" => ChannelAck(ChannelAck),
    "UserVoiceStateUpdate" => UserVoiceStateUpdate(UserVoiceStateUpdate),
    "VoiceChannelJoin" => VoiceChannelJoin(VoiceChannelJoin),
    "VoiceChannelLeave" => VoiceChannelLeave(ChannelUser),
    "VoiceChannelMove" => VoiceChannelMove(VoiceChannelMove),
    "UserMoveVoiceChannel" => UserMoveVoiceChannel(UserMoveVoiceChannel),
    "VoiceCallUpdate" => VoiceCallUpdate(VoiceCallUpdate),
});

impl ServerEvent {
    /// The `type` string of this event.
    pub fn kind(&self) -> &str {
        match self {
            Self::Unknown(raw) => raw.get("type").and_then(|t| t.as_str()).unwrap_or(""),
            other => other.known_kind(),
        }
    }

    fn known_kind(&self) -> &'static str {
        match self {
            Self::Bulk(_) => "Bulk",
            Self::Error(_) => "Error",
            Self::Authenticated => "Authenticated",
            Self::Logout => "Logout",
            Self::Ready(_) => "Ready",
            Self::Pong(_) => "Pong",
            Self::Message(_) => "Message",
            Self::MessageUpdate(_) => "MessageUpdate",
            Self::MessageAppend(_) => "MessageAppend",
            Self::MessageDelete(_) => "MessageDelete",
            Self::MessageReact(_) => "MessageReact",
            Self::MessageUnreact(_) => "MessageUnreact",
            Self::MessageRemoveReaction(_) => "MessageRemoveReaction",
            Self::BulkMessageDelete(_) => "BulkMessageDelete",
            Self::ServerCreate(_) => "ServerCreate",
            Self::ServerUpdate(_) => "ServerUpdate",
            Self::ServerDelete(_) => "ServerDelete",
            Self::ServerMemberUpdate(_) => "ServerMemberUpdate",
            Self::ServerMemberJoin(_) => "ServerMemberJoin",
            Self::ServerMemberLeave(_) => "ServerMemberLeave",
            Self::ServerRoleUpdate(_) => "ServerRoleUpdate",
            Self::ServerRoleDelete(_) => "ServerRoleDelete",
            Self::ServerRoleRanksUpdate(_) => "ServerRoleRanksUpdate",
            Self::UserUpdate(_) => "UserUpdate",
            Self::UserRelationship(_) => "UserRelationship",
            Self::UserSettingsUpdate(_) => "UserSettingsUpdate",
            Self::UserPlatformWipe(_) => "UserPlatformWipe",
            Self::UserSlowmodes(_) => "UserSlowmodes",
            Self::EmojiCreate(_) => "EmojiCreate",
            Self::EmojiUpdate(_) => "EmojiUpdate",
            Self::EmojiDelete(_) => "EmojiDelete",
            Self::WebhookCreate(_) => "WebhookCreate",
            Self::WebhookUpdate(_) => "WebhookUpdate",
            Self::WebhookDelete(_) => "WebhookDelete",
            Self::ChannelCreate(_) => "ChannelCreate",
            Self::ChannelUpdate(_) => "ChannelUpdate",
            Self::ChannelDelete(_) => "ChannelDelete",
            Self::ChannelGroupJoin(_) => "ChannelGroupJoin",
            Self::ChannelGroupLeave(_) => "ChannelGroupLeave",
            Self::ChannelStartTyping(_) => "ChannelStartTyping",
            Self::ChannelStopTyping(_) => "ChannelStopTyping",
            Self::ChannelAck(_) => "ChannelAck",
            Self::UserVoiceStateUpdate(_) => "UserVoiceStateUpdate",
            Self::VoiceChannelJoin(_) => "VoiceChannelJoin",
            Self::VoiceChannelLeave(_) => "VoiceChannelLeave",
            Self::VoiceChannelMove(_) => "VoiceChannelMove",
            Self::UserMoveVoiceChannel(_) => "UserMoveVoiceChannel",
            Self::VoiceCallUpdate(_) => "VoiceCallUpdate",
            Self::Unknown(_) => "",
        }
    }

    /// Decodes a JSON text frame.
    pub fn from_json(frame: &str) -> Result<Self, serde_json::Error> {
        crate::decode::json(frame.as_bytes())
    }
}

/// `{"id": ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdOnly<T> {
    /// The ID.
    pub id: T,
}

/// `Bulk`: events in order.
///
/// The server never puts a `Bulk` inside another; decoding accepts at most
/// [`MAX_BULK_NESTING`] levels so that nested input cannot recurse without bound, and at
/// most [`MAX_BULK_EVENTS`] events in one `Bulk`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulk {
    /// The events.
    pub v: Vec<ServerEvent>,
}

/// How many `Bulk` events may enclose one another when decoding (a deeper one is an error).
pub const MAX_BULK_NESTING: u8 = 4;

thread_local! {
    static BULK_DEPTH: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Counts one level of `Bulk` while it lives.
struct BulkLevel(u8);

impl BulkLevel {
    fn enter() -> Option<Self> {
        let depth = BULK_DEPTH.with(std::cell::Cell::get);
        (depth < MAX_BULK_NESTING).then(|| {
            BULK_DEPTH.with(|d| d.set(depth + 1));
            Self(depth)
        })
    }
}

impl Drop for BulkLevel {
    fn drop(&mut self) {
        BULK_DEPTH.with(|d| d.set(self.0));
    }
}

impl<'de> Deserialize<'de> for Bulk {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            #[serde(deserialize_with = "bounded_events")]
            v: Vec<ServerEvent>,
        }
        let Some(_level) = BulkLevel::enter() else {
            return Err(serde::de::Error::custom(format_args!(
                "Bulk nested more than {MAX_BULK_NESTING} deep"
            )));
        };
        Fields::deserialize(deserializer).map(|f| Self { v: f.v })
    }
}

/// The most events one `Bulk` may carry when decoding. Each decoded event takes far more
/// memory than its smallest encoding, so the count is bounded as well as the message size.
pub const MAX_BULK_EVENTS: usize = 10_000;

fn bounded_events<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ServerEvent>, D::Error> {
    struct Events;

    impl<'de> serde::de::Visitor<'de> for Events {
        type Value = Vec<ServerEvent>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_BULK_EVENTS} events")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut events = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(event) = seq.next_element()? {
                if events.len() == MAX_BULK_EVENTS {
                    return Err(serde::de::Error::custom(format_args!(
                        "Bulk of more than {MAX_BULK_EVENTS} events"
                    )));
                }
                events.push(event);
            }
            Ok(events)
        }
    }

    deserializer.deserialize_seq(Events)
}

/// `Error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// The error body.
    pub data: ErrorBody,
}

/// `Pong`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pong {
    /// The ping's data, echoed (absent on some gateways).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<PingData>,
}

/// Data of a ping: a non-negative number or bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PingData {
    /// A number.
    Number(u64),
    /// Bytes.
    Binary(Vec<u8>),
}

/// `Ready`: the initial state. Each list is present only when selected with `ready=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ready {
    /// Yourself and the users you have relationships or DMs with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<User>>,
    /// Your servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servers: Option<Vec<Server>>,
    /// DMs, groups and server channels you can see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<Channel>>,
    /// Your own member in each server (not full member lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<Member>>,
    /// Custom emojis of your servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emojis: Option<Vec<Emoji>>,
    /// Voice channel participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_states: Option<Vec<ChannelVoiceState>>,
    /// Settings, by key: `[revision, json]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_settings: Option<serde_json::Value>,
    /// Read states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_unreads: Option<Vec<ChannelUnread>>,
    /// Policy changes to accept, kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_changes: Option<Vec<serde_json::Value>>,
}

/// `MessageUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageUpdate {
    /// The message.
    pub id: MessageId,
    /// Its channel.
    pub channel: ChannelId,
    /// Changed fields.
    pub data: PartialMessage,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsMessage>,
}

/// `MessageAppend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageAppend {
    /// The message.
    pub id: MessageId,
    /// Its channel.
    pub channel: ChannelId,
    /// What was appended.
    pub append: AppendMessage,
}

/// `MessageDelete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDelete {
    /// The message.
    pub id: MessageId,
    /// Its channel.
    pub channel: ChannelId,
}

/// `MessageReact` / `MessageUnreact`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReact {
    /// The message.
    pub id: MessageId,
    /// Its channel.
    pub channel_id: ChannelId,
    /// Who reacted.
    pub user_id: UserId,
    /// The emoji (a custom emoji ID or a Unicode emoji).
    pub emoji_id: String,
}

/// `MessageRemoveReaction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRemoveReaction {
    /// The message.
    pub id: MessageId,
    /// Its channel.
    pub channel_id: ChannelId,
    /// The emoji.
    pub emoji_id: String,
}

/// `EmojiUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiUpdate {
    /// The emoji.
    pub id: EmojiId,
    /// Changed fields.
    pub data: crate::emoji::PartialEmoji,
}

/// `WebhookUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookUpdate {
    /// The webhook.
    pub id: crate::id::WebhookId,
    /// Changed fields.
    pub data: crate::webhook::PartialWebhook,
    /// Cleared fields.
    #[serde(default)]
    pub remove: Vec<crate::webhook::FieldsWebhook>,
}

/// `BulkMessageDelete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkMessageDelete {
    /// The channel.
    pub channel: ChannelId,
    /// The messages.
    pub ids: Vec<MessageId>,
}

/// `ServerCreate`: you joined a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCreate {
    /// The server's ID.
    pub id: ServerId,
    /// The server.
    pub server: Server,
    /// Its channels.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Its emojis.
    #[serde(default)]
    pub emojis: Vec<Emoji>,
    /// Its voice states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_states: Option<Vec<ChannelVoiceState>>,
}

/// `ServerUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerUpdate {
    /// The server.
    pub id: ServerId,
    /// Changed fields.
    pub data: PartialServer,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsServer>,
}

/// `ServerMemberUpdate`: apply `clear`, then `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerMemberUpdate {
    /// The member.
    pub id: MemberId,
    /// Changed fields.
    pub data: PartialMember,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsMember>,
}

/// `ServerMemberJoin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerMemberJoin {
    /// The server.
    pub id: ServerId,
    /// The user (deprecated upstream in favour of `member._id.user`, still sent).
    pub user: UserId,
    /// The new member (older servers omit it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
}

/// `ServerMemberLeave`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerMemberLeave {
    /// The server.
    pub id: ServerId,
    /// The user.
    pub user: UserId,
    /// Why (older servers omit it; read as `Leave`).
    #[serde(default = "leave")]
    pub reason: RemovalIntention,
}

fn leave() -> RemovalIntention {
    RemovalIntention::Leave
}

/// `ServerRoleUpdate`: a role was created or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRoleUpdate {
    /// The server.
    pub id: ServerId,
    /// The role.
    pub role_id: RoleId,
    /// Changed fields (all fields for a new role).
    pub data: PartialRole,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsRole>,
}

/// `ServerRoleDelete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRoleDelete {
    /// The server.
    pub id: ServerId,
    /// The role.
    pub role_id: RoleId,
}

/// `ServerRoleRanksUpdate`: `ranks[i]` now has rank `i`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRoleRanksUpdate {
    /// The server.
    pub id: ServerId,
    /// Roles in rank order.
    pub ranks: Vec<RoleId>,
}

/// `UserUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdate {
    /// The user.
    pub id: UserId,
    /// Changed fields.
    pub data: PartialUser,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsUser>,
    /// Always `null` after de-duplication (written as such).
    #[serde(default)]
    pub event_id: Option<String>,
}

/// `UserRelationship`: `user.relationship` is the new status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRelationship {
    /// Your own ID.
    pub id: UserId,
    /// The other user.
    pub user: User,
}

/// `UserSettingsUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSettingsUpdate {
    /// Your ID.
    pub id: UserId,
    /// Changed settings, kept as sent.
    pub update: serde_json::Value,
}

/// `UserPlatformWipe`: drop the user's messages, DMs, relationships and memberships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPlatformWipe {
    /// The user.
    pub user_id: UserId,
    /// Why (user flags).
    pub flags: i32,
}

/// `UserSlowmodes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSlowmodes {
    /// Slowmode state per channel.
    pub slowmodes: Vec<ChannelSlowmode>,
}

/// `ChannelUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelUpdate {
    /// The channel.
    pub id: ChannelId,
    /// Changed fields.
    pub data: PartialChannel,
    /// Cleared fields.
    #[serde(default)]
    pub clear: Vec<FieldsChannel>,
}

/// A channel and a user: typing, group joins and leaves, voice leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelUser {
    /// The channel.
    pub id: ChannelId,
    /// The user.
    pub user: UserId,
}

/// `ChannelAck`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelAck {
    /// The channel.
    pub id: ChannelId,
    /// Who acknowledged.
    pub user: UserId,
    /// Up to which message.
    pub message_id: MessageId,
}

/// `UserVoiceStateUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserVoiceStateUpdate {
    /// The user.
    pub id: UserId,
    /// The channel.
    pub channel_id: ChannelId,
    /// Changed fields.
    pub data: PartialUserVoiceState,
}

/// `VoiceChannelJoin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceChannelJoin {
    /// The channel.
    pub id: ChannelId,
    /// The user's state.
    pub state: UserVoiceState,
}

/// `VoiceChannelMove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceChannelMove {
    /// The user.
    pub user: UserId,
    /// Previous channel.
    pub from: ChannelId,
    /// New channel.
    pub to: ChannelId,
    /// The user's state.
    pub state: UserVoiceState,
}

/// `UserMoveVoiceChannel`: reconnect to the voice server with the new token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMoveVoiceChannel {
    /// Voice node.
    pub node: String,
    /// Previous channel.
    pub from: ChannelId,
    /// New channel.
    pub to: ChannelId,
    /// New token.
    pub token: String,
}

crate::auth::redacted_debug!(UserMoveVoiceChannel { node, from, to } secret { token });

/// `VoiceCallUpdate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceCallUpdate {
    /// Who started the call.
    pub initiator_id: UserId,
    /// The channel.
    pub channel_id: ChannelId,
    /// When it started.
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    /// Whether it ended.
    #[serde(default)]
    pub ended: bool,
}

/// A message a client sends, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum ClientEvent {
    /// Authenticate with a session or bot token.
    Authenticate(Authenticate),
    /// Start typing in a channel.
    BeginTyping(TypingChannel),
    /// Stop typing in a channel.
    EndTyping(TypingChannel),
    /// Ask for `UserUpdate` events of a server's members.
    Subscribe(Subscribe),
    /// Keep-alive; answered with `Pong`.
    Ping(Ping),
    /// A type this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(ClientEvent, "type", {
    "Authenticate" => Authenticate(Authenticate),
    "BeginTyping" => BeginTyping(TypingChannel),
    "EndTyping" => EndTyping(TypingChannel),
    "Subscribe" => Subscribe(Subscribe),
    "Ping" => Ping(Ping),
});

/// `Authenticate`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticate {
    /// The token.
    pub token: String,
}

impl std::fmt::Debug for Authenticate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticate")
            .field("token", &"<redacted>")
            .finish()
    }
}

/// `BeginTyping` / `EndTyping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypingChannel {
    /// The channel.
    pub channel: ChannelId,
}

/// `Subscribe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscribe {
    /// The server.
    pub server_id: ServerId,
}

/// `Ping`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ping {
    /// Data echoed in the `Pong`.
    pub data: PingData,
}
