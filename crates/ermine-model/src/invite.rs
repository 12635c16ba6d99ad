//! Invites. Invite codes are not ULIDs; they are opaque strings.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::channel::Channel;
use crate::file::File;
use crate::id::{ChannelId, ServerId, UserId};
use crate::server::Server;
use crate::user::User;
use crate::wire::tagged_enum;

/// An invite, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Invite {
    /// To a server channel.
    Server(ServerInvite),
    /// To a group.
    Group(GroupInvite),
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(Invite, "type", {
    "Server" => Server(ServerInvite),
    "Group" => Group(GroupInvite),
});

/// An invite to a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInvite {
    /// Invite code.
    #[serde(rename = "_id")]
    pub code: String,
    /// The server.
    pub server: ServerId,
    /// Who made it.
    pub creator: UserId,
    /// The channel.
    pub channel: ChannelId,
    /// Most uses (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<u64>,
    /// Uses so far (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<u64>,
    /// Expiry (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Timestamp>,
}

/// An invite to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInvite {
    /// Invite code.
    #[serde(rename = "_id")]
    pub code: String,
    /// Who made it.
    pub creator: UserId,
    /// The group.
    pub channel: ChannelId,
    /// Most uses (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<u64>,
    /// Uses so far (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<u64>,
    /// Expiry (server 0.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Timestamp>,
}

/// `GET /invites/{code}`: what an invite leads to, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum InviteInfo {
    /// A server.
    Server(ServerInviteInfo),
    /// A group, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(InviteInfo, "type", {
    "Server" => Server(ServerInviteInfo),
});

/// What a server invite leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInviteInfo {
    /// Invite code.
    pub code: String,
    /// The server.
    pub server_id: ServerId,
    /// Its name.
    pub server_name: String,
    /// Its icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_icon: Option<File>,
    /// Its banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_banner: Option<File>,
    /// Its flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_flags: Option<i32>,
    /// The channel.
    pub channel_id: ChannelId,
    /// Its name.
    pub channel_name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_description: Option<String>,
    /// Creator's name.
    pub user_name: String,
    /// Creator's avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_avatar: Option<File>,
    /// Member count.
    pub member_count: i64,
}

/// `POST /invites/{code}`: what was joined, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum InviteJoinResponse {
    /// A server and its channels.
    Server(JoinedServer),
    /// A group and its users.
    Group(JoinedGroup),
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(InviteJoinResponse, "type", {
    "Server" => Server(JoinedServer),
    "Group" => Group(JoinedGroup),
});

/// A joined server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedServer {
    /// Its channels.
    pub channels: Vec<Channel>,
    /// The server.
    pub server: Server,
}

/// A joined group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedGroup {
    /// The group.
    pub channel: Channel,
    /// Its users.
    pub users: Vec<User>,
}
