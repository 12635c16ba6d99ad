//! Channels: saved messages, direct messages, groups and server text channels.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::file::File;
use crate::id::{ChannelId, MessageId, RoleId, ServerId, UserId};
use crate::permission::{Override, Permissions};
use crate::server::option_signed_bits;
use crate::user::UserVoiceState;
use crate::wire::{is_false, string_enum, tagged_enum};

/// A channel, tagged by `channel_type`.
///
/// There is no voice channel type: a voice-capable server channel is a [`TextChannel`] with
/// [`TextChannel::voice`] set; DMs and groups always allow calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "channel_type")]
#[non_exhaustive]
pub enum Channel {
    /// A user's personal notes.
    SavedMessages(SavedMessages),
    /// A conversation between two users.
    DirectMessage(DirectMessage),
    /// A group conversation.
    Group(Group),
    /// A server channel.
    TextChannel(TextChannel),
    /// A channel type this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(Channel, "channel_type", {
    "SavedMessages" => SavedMessages(SavedMessages),
    "DirectMessage" => DirectMessage(DirectMessage),
    "Group" => Group(Group),
    "TextChannel" => TextChannel(TextChannel),
});

impl Channel {
    /// The channel's ID (`None` only for an unknown channel type without a readable `_id`).
    pub fn id(&self) -> Option<ChannelId> {
        match self {
            Self::SavedMessages(c) => Some(c.id),
            Self::DirectMessage(c) => Some(c.id),
            Self::Group(c) => Some(c.id),
            Self::TextChannel(c) => Some(c.id),
            Self::Unknown(raw) => raw
                .get("_id")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok()),
        }
    }

    /// The server of a server channel.
    pub fn server(&self) -> Option<ServerId> {
        match self {
            Self::TextChannel(c) => Some(c.server),
            _ => None,
        }
    }

    /// Name, where the channel has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::SavedMessages(_) => Some("Saved Messages"),
            Self::Group(c) => Some(&c.name),
            Self::TextChannel(c) => Some(&c.name),
            Self::DirectMessage(_) | Self::Unknown(_) => None,
        }
    }

    /// Whether calls can be made in it.
    pub fn voice_capable(&self) -> bool {
        match self {
            Self::DirectMessage(_) | Self::Group(_) => true,
            Self::TextChannel(c) => c.voice.is_some(),
            Self::SavedMessages(_) | Self::Unknown(_) => false,
        }
    }

    /// Last message sent, where tracked.
    pub fn last_message_id(&self) -> Option<MessageId> {
        match self {
            Self::DirectMessage(c) => c.last_message_id,
            Self::Group(c) => c.last_message_id,
            Self::TextChannel(c) => c.last_message_id,
            Self::SavedMessages(_) | Self::Unknown(_) => None,
        }
    }

    /// Applies a `ChannelUpdate`: clears `clear`, then sets what `data` holds.
    pub fn apply_update(&mut self, data: &PartialChannel, clear: &[FieldsChannel]) {
        match self {
            Self::TextChannel(c) => {
                for field in clear {
                    match field {
                        FieldsChannel::Description => c.description = None,
                        FieldsChannel::Icon => c.icon = None,
                        FieldsChannel::DefaultPermissions => c.default_permissions = None,
                        FieldsChannel::Voice => c.voice = None,
                        FieldsChannel::Slowmode => c.slowmode = None,
                        FieldsChannel::Unknown(_) => {}
                    }
                }
                set(&mut c.name, data.name.as_ref());
                set_opt(&mut c.description, data.description.as_ref());
                set_opt(&mut c.icon, data.icon.as_ref());
                set(&mut c.nsfw, data.nsfw.as_ref());
                set(&mut c.role_permissions, data.role_permissions.as_ref());
                set_opt(
                    &mut c.default_permissions,
                    data.default_permissions.as_ref(),
                );
                set_opt(&mut c.last_message_id, data.last_message_id.as_ref());
                set_opt(&mut c.voice, data.voice.as_ref());
                set_opt(&mut c.slowmode, data.slowmode.as_ref());
            }
            Self::Group(c) => {
                for field in clear {
                    match field {
                        FieldsChannel::Description => c.description = None,
                        FieldsChannel::Icon => c.icon = None,
                        _ => {}
                    }
                }
                set(&mut c.name, data.name.as_ref());
                set(&mut c.owner, data.owner.as_ref());
                set_opt(&mut c.description, data.description.as_ref());
                set_opt(&mut c.icon, data.icon.as_ref());
                set(&mut c.nsfw, data.nsfw.as_ref());
                set_opt(&mut c.permissions, data.permissions.as_ref());
                set_opt(&mut c.last_message_id, data.last_message_id.as_ref());
            }
            Self::DirectMessage(c) => {
                set(&mut c.active, data.active.as_ref());
                set_opt(&mut c.last_message_id, data.last_message_id.as_ref());
            }
            Self::SavedMessages(_) | Self::Unknown(_) => {}
        }
    }
}

fn set<T: Clone>(field: &mut T, value: Option<&T>) {
    if let Some(v) = value {
        field.clone_from(v);
    }
}

fn set_opt<T: Clone>(field: &mut Option<T>, value: Option<&T>) {
    if let Some(v) = value {
        *field = Some(v.clone());
    }
}

/// Saved messages: notes to self.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMessages {
    /// The channel's ID.
    #[serde(rename = "_id")]
    pub id: ChannelId,
    /// Its owner.
    pub user: UserId,
}

/// A DM between two users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectMessage {
    /// The channel's ID.
    #[serde(rename = "_id")]
    pub id: ChannelId,
    /// Whether it is open for both.
    pub active: bool,
    /// The two users.
    pub recipients: Vec<UserId>,
    /// Last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<MessageId>,
}

impl DirectMessage {
    /// The recipient who is not `me`.
    pub fn other(&self, me: UserId) -> Option<UserId> {
        self.recipients.iter().copied().find(|u| *u != me)
    }
}

/// A group conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The channel's ID.
    #[serde(rename = "_id")]
    pub id: ChannelId,
    /// Name.
    pub name: String,
    /// Owner.
    pub owner: UserId,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Members.
    pub recipients: Vec<UserId>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// Last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<MessageId>,
    /// What non-owners may do (allow-only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_signed_bits"
    )]
    pub permissions: Option<Permissions>,
    /// Age-restricted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nsfw: bool,
}

/// A server channel (text, and voice when [`TextChannel::voice`] is set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextChannel {
    /// The channel's ID.
    #[serde(rename = "_id")]
    pub id: ChannelId,
    /// Its server.
    pub server: ServerId,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// Last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<MessageId>,
    /// Override applied to every member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_permissions: Option<Override>,
    /// Overrides per role.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub role_permissions: HashMap<RoleId, Override>,
    /// Age-restricted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nsfw: bool,
    /// Present when the channel allows voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceInformation>,
    /// Slowmode in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slowmode: Option<u64>,
}

/// Voice settings of a channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceInformation {
    /// Most users at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_users: Option<u64>,
}

/// A channel with every field optional: the `data` of `ChannelUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialChannel {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<File>,
    /// New age restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
    /// New active state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// New group permissions.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_signed_bits"
    )]
    pub permissions: Option<Permissions>,
    /// New role overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_permissions: Option<HashMap<RoleId, Override>>,
    /// New default override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_permissions: Option<Override>,
    /// New last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<MessageId>,
    /// New voice settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceInformation>,
    /// New slowmode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slowmode: Option<u64>,
}

string_enum! {
    /// Channel fields that an edit or a `ChannelUpdate` can clear.
    pub enum FieldsChannel {
        /// The description.
        Description = "Description",
        /// The icon.
        Icon = "Icon",
        /// The default override.
        DefaultPermissions = "DefaultPermissions",
        /// Voice settings.
        Voice = "Voice",
        /// Slowmode.
        Slowmode = "Slowmode",
    }
}

/// `POST /channels/{id}/join_call`: credentials for the voice server (LiveKit).
///
/// Hand `url` and `token` to a LiveKit client to connect to the room. `Debug` does not show
/// the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinCallResponse {
    /// Access token for the room.
    pub token: String,
    /// URL of the voice node.
    pub url: String,
}

crate::auth::redacted_debug!(JoinCallResponse { url } secret { token });

/// Who is in a voice channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelVoiceState {
    /// The channel.
    pub id: ChannelId,
    /// Users in it.
    pub participants: Vec<UserVoiceState>,
}

/// Slowmode state of the caller in a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSlowmode {
    /// The channel.
    pub channel_id: ChannelId,
    /// Slowmode length in seconds.
    pub duration: u64,
    /// Seconds until the caller may send again.
    pub retry_after: u64,
}

/// Key of a channel unread entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChannelUnreadKey {
    /// The channel.
    pub channel: ChannelId,
    /// The user.
    pub user: UserId,
}

/// Read state of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelUnread {
    /// Channel and user.
    #[serde(rename = "_id")]
    pub id: ChannelUnreadKey,
    /// Last message read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_id: Option<MessageId>,
    /// Unread mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<MessageId>>,
}

/// Body of `POST /channels/{id}/join_call` (`DataJoinCall`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinCallBody {
    /// Voice node to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Disconnect other sessions of the caller from voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_disconnect: Option<bool>,
    /// Users to ring (DMs and groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<UserId>>,
}

string_enum! {
    /// The kind of channel a server channel is created as.
    pub enum ServerChannelKind {
        /// A text channel.
        Text = "Text",
        /// A voice channel (a text channel with voice settings, on servers since 0.8).
        Voice = "Voice",
    }
}

/// Body of `POST /servers/{server}/channels` (`DataCreateServerChannel`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelCreateBody {
    /// The kind (the server's default: text).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ServerChannelKind>,
    /// Name (1..=32 characters).
    pub name: String,
    /// Description (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is age-restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
    /// Voice settings (makes it a voice channel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceInformation>,
}

/// Body of `PATCH /channels/{channel}` (`DataEditChannel`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelEditBody {
    /// Name (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New owner (groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// File ID of the icon (tag `icons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Whether it is age-restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
    /// Whether it is archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// Voice settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceInformation>,
    /// Slowmode, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slowmode: Option<u64>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsChannel>,
}

/// Body of `POST /channels/create` (`DataCreateGroup`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCreateBody {
    /// Name (1..=32 characters).
    pub name: String,
    /// Description (≤ 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// File ID of the icon (tag `icons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Friends to add (besides the creator; at most the group size limit in all).
    #[serde(default)]
    pub users: Vec<UserId>,
    /// Whether it is age-restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
}

/// The default permissions of a channel: a value for a group, an override for a server
/// channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DefaultChannelPermissions {
    /// A group's permissions for its members.
    Value(Permissions),
    /// A server channel's default override.
    Override(crate::permission::OverrideRequest),
}

/// Body of `PUT /channels/{channel}/permissions/default` (`DataDefaultChannelPermissions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultChannelPermissionsBody {
    /// The new default.
    pub permissions: DefaultChannelPermissions,
}
