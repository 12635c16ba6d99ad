//! Messages and the shapes that carry them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::embed::Embed;
use crate::file::File;
use crate::id::{ChannelId, MessageId, RoleId, UserId};
use crate::member::Member;
use crate::user::User;
use crate::wire::{is_false, string_enum, tagged_enum};

/// A message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The message's ID.
    #[serde(rename = "_id")]
    pub id: MessageId,
    /// Nonce given at send time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Channel it was sent in.
    pub channel: ChannelId,
    /// Author: a user ID, a webhook ID, or the all-zero system ID.
    pub author: UserId,
    /// The author, on send responses and events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The author's member, on send responses and events in servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
    /// Webhook that sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<MessageWebhook>,
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// System message payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemMessage>,
    /// Attached files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<File>>,
    /// When it was last edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Timestamp>,
    /// Embeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<Embed>>,
    /// Mentioned users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<UserId>>,
    /// Mentioned roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_mentions: Option<Vec<RoleId>>,
    /// Messages replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<MessageId>>,
    /// Reactions: emoji to the users who reacted.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub reactions: HashMap<String, Vec<UserId>>,
    /// Reaction settings.
    #[serde(default, skip_serializing_if = "Interactions::is_default")]
    pub interactions: Interactions,
    /// Name, avatar and colour shown instead of the author's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masquerade: Option<Masquerade>,
    /// Pinned (only written when true).
    #[serde(default, skip_serializing_if = "is_not_true")]
    pub pinned: Option<bool>,
    /// Flags, opaque: the server's meaning of these bits is in flux (declared values 1, 2,
    /// 3; tested as bit positions since 0.15.1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub flags: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(v: &u32) -> bool {
    *v == 0
}

#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
fn is_not_true(v: &Option<bool>) -> bool {
    *v != Some(true)
}

/// A message with every field optional: the `data` of `MessageUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialMessage {
    /// New content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Edit time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Timestamp>,
    /// New embeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<Embed>>,
    /// New pinned state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// New reactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<HashMap<String, Vec<UserId>>>,
    /// New flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<u32>,
}

impl Message {
    /// Applies a `MessageUpdate`.
    pub fn apply_update(&mut self, data: &PartialMessage, clear: &[FieldsMessage]) {
        for field in clear {
            if *field == FieldsMessage::Pinned {
                self.pinned = None;
            }
        }
        if let Some(v) = &data.content {
            self.content = Some(v.clone());
        }
        if let Some(v) = data.edited {
            self.edited = Some(v);
        }
        if let Some(v) = &data.embeds {
            self.embeds = Some(v.clone());
        }
        if let Some(v) = data.pinned {
            self.pinned = Some(v);
        }
        if let Some(v) = &data.reactions {
            self.reactions.clone_from(v);
        }
        if let Some(v) = data.flags {
            self.flags = v;
        }
    }
}

string_enum! {
    /// Message fields a `MessageUpdate` can clear.
    pub enum FieldsMessage {
        /// The pinned state.
        Pinned = "Pinned",
    }
}

/// Webhook identity on a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageWebhook {
    /// Webhook name.
    pub name: String,
    /// Avatar file ID (always written, may be `null`).
    #[serde(default)]
    pub avatar: Option<String>,
}

/// Name, avatar and colour shown instead of the author's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Masquerade {
    /// Name (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Avatar URL (1..=256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Colour (needs ManageRole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}

/// Reaction settings of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interactions {
    /// Reactions offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Vec<String>>,
    /// Only the offered reactions may be used.
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrict_reactions: bool,
}

impl Interactions {
    /// Nothing set.
    pub fn is_default(&self) -> bool {
        self.reactions.is_none() && !self.restrict_reactions
    }
}

/// A system message, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SystemMessage {
    /// Plain text.
    Text(SystemText),
    /// A user was added to a group.
    UserAdded(UserBy),
    /// A user was removed from a group.
    UserRemove(UserBy),
    /// A user joined.
    UserJoined(UserOnly),
    /// A user left.
    UserLeft(UserOnly),
    /// A user was kicked.
    UserKicked(UserOnly),
    /// A user was banned.
    UserBanned(UserOnly),
    /// The channel was renamed.
    ChannelRenamed(ChannelRenamed),
    /// The description changed.
    ChannelDescriptionChanged(By),
    /// The icon changed.
    ChannelIconChanged(By),
    /// Ownership moved.
    ChannelOwnershipChanged(OwnershipChanged),
    /// A message was pinned.
    MessagePinned(MessageBy),
    /// A message was unpinned.
    MessageUnpinned(MessageBy),
    /// A call started.
    CallStarted(CallStarted),
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(SystemMessage, "type", {
    "text" => Text(SystemText),
    "user_added" => UserAdded(UserBy),
    "user_remove" => UserRemove(UserBy),
    "user_joined" => UserJoined(UserOnly),
    "user_left" => UserLeft(UserOnly),
    "user_kicked" => UserKicked(UserOnly),
    "user_banned" => UserBanned(UserOnly),
    "channel_renamed" => ChannelRenamed(ChannelRenamed),
    "channel_description_changed" => ChannelDescriptionChanged(By),
    "channel_icon_changed" => ChannelIconChanged(By),
    "channel_ownership_changed" => ChannelOwnershipChanged(OwnershipChanged),
    "message_pinned" => MessagePinned(MessageBy),
    "message_unpinned" => MessageUnpinned(MessageBy),
    "call_started" => CallStarted(CallStarted),
});

/// Text of a system message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemText {
    /// The text.
    pub content: String,
}

/// A user and who acted on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBy {
    /// The user.
    pub id: UserId,
    /// Who did it.
    pub by: UserId,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOnly {
    /// The user.
    pub id: UserId,
}

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct By {
    /// The user.
    pub by: UserId,
}

/// A rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRenamed {
    /// New name.
    pub name: String,
    /// Who renamed it.
    pub by: UserId,
}

/// An ownership change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipChanged {
    /// Previous owner.
    pub from: UserId,
    /// New owner.
    pub to: UserId,
}

/// A message and who acted on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBy {
    /// The message.
    pub id: MessageId,
    /// Who did it.
    pub by: UserId,
}

/// A call start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallStarted {
    /// Who started it.
    pub by: UserId,
    /// When it ended (always written, may be `null`).
    #[serde(default)]
    pub finished_at: Option<Timestamp>,
}

/// History and search results: a plain list, or messages with their users and members
/// (`include_users=true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BulkMessageResponse {
    /// Just messages.
    JustMessages(Vec<Message>),
    /// Messages with their authors.
    MessagesAndUsers {
        /// Messages.
        messages: Vec<Message>,
        /// Their authors.
        users: Vec<User>,
        /// Their authors' members, in servers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        members: Option<Vec<Member>>,
    },
}

impl BulkMessageResponse {
    /// The messages, whichever shape was sent.
    pub fn messages(&self) -> &[Message] {
        match self {
            Self::JustMessages(m) | Self::MessagesAndUsers { messages: m, .. } => m,
        }
    }
}

string_enum! {
    /// Order of history and search results.
    #[derive(Default)]
    pub enum MessageSort {
        /// By search relevance (the serde default of search).
        #[default]
        Relevance = "Relevance",
        /// Newest first.
        Latest = "Latest",
        /// Oldest first.
        Oldest = "Oldest",
    }
}

/// Content appended to a message (`MessageAppend`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendMessage {
    /// Embeds added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<Embed>>,
}

/// Body of `PATCH /channels/{channel}/messages/{message}` (`DataEditMessage`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEditBody {
    /// New content (≤ 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// New embeds (≤ 10), replacing the old ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<crate::embed::SendableEmbed>>,
}

/// Body of `DELETE /channels/{channel}/messages/bulk` (`OptionsBulkDelete`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkDeleteBody {
    /// The messages (1..=100, none older than a week).
    pub ids: Vec<MessageId>,
}

/// A message being replied to (`ReplyIntent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplyIntent {
    /// The message.
    pub id: MessageId,
    /// Whether to mention its author.
    #[serde(default)]
    pub mention: bool,
    /// Fail when it no longer exists (the server's default) or send anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_if_not_exists: Option<bool>,
}

impl ReplyIntent {
    /// A reply to `id`, mentioning its author or not.
    pub const fn new(id: MessageId, mention: bool) -> Self {
        Self {
            id,
            mention,
            fail_if_not_exists: None,
        }
    }
}

/// Body of `POST /channels/{channel}/messages` and of a webhook's execution
/// (`DataMessageSend`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSendBody {
    /// Deprecated nonce (the `Idempotency-Key` header replaces it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Content (≤ 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// File IDs of unused uploads to `attachments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<String>>,
    /// Messages replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<ReplyIntent>>,
    /// Embeds (≤ 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<crate::embed::SendableEmbed>>,
    /// Name, avatar and colour shown instead of the author's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masquerade: Option<Masquerade>,
    /// Reaction settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions: Option<Interactions>,
    /// Flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<u32>,
}

/// Body of `POST /channels/{channel}/search` (`DataMessageSearch`): a text query or the
/// pinned messages, with paging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSearchBody {
    /// Full-text query (1..=64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Only pinned messages (instead of a query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// How many (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u8>,
    /// Only messages older than this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<MessageId>,
    /// Only messages newer than this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<MessageId>,
    /// Order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<MessageSort>,
    /// Also return the authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_users: Option<bool>,
}
