//! Server audit logs: who did what to whom, and why (`GET /servers/{id}/audit_logs`).

use serde::{Deserialize, Serialize};

use crate::channel::PartialChannel;
use crate::emoji::PartialEmoji;
use crate::id::{ChannelId, EmojiId, MessageId, RoleId, ServerId, UserId};
use crate::member::{Member, PartialMember};
use crate::permission::Override;
use crate::server::{PartialRole, PartialServer};
use crate::user::User;
use crate::wire::tagged_enum;

/// One entry of a server's audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLogEntry {
    /// The entry's ID (a ULID: entries sort by time).
    #[serde(rename = "_id")]
    pub id: String,
    /// The server it happened in.
    pub server: ServerId,
    /// The reason given (`X-Audit-Log-Reason`, or a ban's reason); written as `null` when
    /// none was.
    #[serde(default)]
    pub reason: Option<String>,
    /// Who did it.
    pub user: UserId,
    /// The user it was done to, when it was done to a user (`null` otherwise).
    #[serde(default)]
    pub target: Option<String>,
    /// What was done.
    pub action: AuditLogAction,
}

/// The answer of an audit-log query: the entries, newest first, with the users and members
/// they name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLogQueryResponse {
    /// The entries, newest first.
    pub audit_logs: Vec<AuditLogEntry>,
    /// The users the entries name, as the caller sees them.
    pub users: Vec<User>,
    /// Those of them who are members of the server.
    pub members: Vec<Member>,
}

/// What an audit-log entry records, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum AuditLogAction {
    /// A message was deleted.
    MessageDelete(AuditMessageDelete),
    /// Messages were deleted at once.
    MessageBulkDelete(AuditMessageBulkDelete),
    /// A message was pinned.
    MessagePin(AuditMessagePin),
    /// A message was unpinned.
    MessageUnpin(AuditMessageUnpin),
    /// A user was banned.
    BanCreate(AuditBanCreate),
    /// A user was unbanned.
    BanDelete(AuditBanDelete),
    /// A channel was created.
    ChannelCreate(AuditChannelCreate),
    /// A channel was edited.
    ChannelEdit(Box<AuditChannelEdit>),
    /// A role's permissions in a channel were set.
    ChannelRolePermissionsEdit(Box<AuditChannelRolePermissionsEdit>),
    /// A channel was deleted.
    ChannelDelete(AuditChannelDelete),
    /// A member was edited.
    MemberEdit(Box<AuditMemberEdit>),
    /// A member was kicked.
    MemberKick(AuditMemberKick),
    /// The server was edited.
    ServerEdit(Box<AuditServerEdit>),
    /// A role was edited.
    RoleEdit(Box<AuditRoleEdit>),
    /// A role was created.
    RoleCreate(AuditRoleCreate),
    /// A role was deleted.
    RoleDelete(AuditRoleDelete),
    /// The roles were reordered.
    RolesReorder(Box<AuditRolesReorder>),
    /// An invite was created.
    InviteCreate(AuditInviteCreate),
    /// An invite was deleted.
    InviteDelete(AuditInviteDelete),
    /// A webhook was created.
    WebhookCreate(AuditWebhookCreate),
    /// A webhook was deleted.
    WebhookDelete(AuditWebhookDelete),
    /// An emoji was created.
    EmojiCreate(AuditEmojiCreate),
    /// An emoji was edited.
    EmojiUpdate(Box<AuditEmojiUpdate>),
    /// An emoji was deleted.
    EmojiDelete(AuditEmojiDelete),
    /// An action this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

impl AuditLogAction {
    /// The action's `type`, as the server names it (and as the query's `type` filter takes).
    pub fn kind(&self) -> &str {
        match self {
            Self::MessageDelete(_) => "MessageDelete",
            Self::MessageBulkDelete(_) => "MessageBulkDelete",
            Self::MessagePin(_) => "MessagePin",
            Self::MessageUnpin(_) => "MessageUnpin",
            Self::BanCreate(_) => "BanCreate",
            Self::BanDelete(_) => "BanDelete",
            Self::ChannelCreate(_) => "ChannelCreate",
            Self::ChannelEdit(_) => "ChannelEdit",
            Self::ChannelRolePermissionsEdit(_) => "ChannelRolePermissionsEdit",
            Self::ChannelDelete(_) => "ChannelDelete",
            Self::MemberEdit(_) => "MemberEdit",
            Self::MemberKick(_) => "MemberKick",
            Self::ServerEdit(_) => "ServerEdit",
            Self::RoleEdit(_) => "RoleEdit",
            Self::RoleCreate(_) => "RoleCreate",
            Self::RoleDelete(_) => "RoleDelete",
            Self::RolesReorder(_) => "RolesReorder",
            Self::InviteCreate(_) => "InviteCreate",
            Self::InviteDelete(_) => "InviteDelete",
            Self::WebhookCreate(_) => "WebhookCreate",
            Self::WebhookDelete(_) => "WebhookDelete",
            Self::EmojiCreate(_) => "EmojiCreate",
            Self::EmojiUpdate(_) => "EmojiUpdate",
            Self::EmojiDelete(_) => "EmojiDelete",
            Self::Unknown(raw) => raw
                .get("type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(""),
        }
    }
}

tagged_enum!(AuditLogAction, "type", {
    "MessageDelete" => MessageDelete(AuditMessageDelete),
    "MessageBulkDelete" => MessageBulkDelete(AuditMessageBulkDelete),
    "MessagePin" => MessagePin(AuditMessagePin),
    "MessageUnpin" => MessageUnpin(AuditMessageUnpin),
    "BanCreate" => BanCreate(AuditBanCreate),
    "BanDelete" => BanDelete(AuditBanDelete),
    "ChannelCreate" => ChannelCreate(AuditChannelCreate),
    "ChannelEdit" => ChannelEdit(Box<AuditChannelEdit>),
    "ChannelRolePermissionsEdit" => ChannelRolePermissionsEdit(Box<AuditChannelRolePermissionsEdit>),
    "ChannelDelete" => ChannelDelete(AuditChannelDelete),
    "MemberEdit" => MemberEdit(Box<AuditMemberEdit>),
    "MemberKick" => MemberKick(AuditMemberKick),
    "ServerEdit" => ServerEdit(Box<AuditServerEdit>),
    "RoleEdit" => RoleEdit(Box<AuditRoleEdit>),
    "RoleCreate" => RoleCreate(AuditRoleCreate),
    "RoleDelete" => RoleDelete(AuditRoleDelete),
    "RolesReorder" => RolesReorder(Box<AuditRolesReorder>),
    "InviteCreate" => InviteCreate(AuditInviteCreate),
    "InviteDelete" => InviteDelete(AuditInviteDelete),
    "WebhookCreate" => WebhookCreate(AuditWebhookCreate),
    "WebhookDelete" => WebhookDelete(AuditWebhookDelete),
    "EmojiCreate" => EmojiCreate(AuditEmojiCreate),
    "EmojiUpdate" => EmojiUpdate(Box<AuditEmojiUpdate>),
    "EmojiDelete" => EmojiDelete(AuditEmojiDelete),
});

/// `MessageDelete`: a message was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMessageDelete {
    /// Its author.
    pub author: UserId,
    /// Its channel.
    pub channel: ChannelId,
}

/// `MessageBulkDelete`: messages were deleted at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMessageBulkDelete {
    /// Their channel.
    pub channel: ChannelId,
    /// How many.
    pub count: u64,
}

/// `MessagePin`: a message was pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMessagePin {
    /// The message.
    pub message: MessageId,
    /// Its author.
    pub author: UserId,
    /// Its channel.
    pub channel: ChannelId,
}

/// `MessageUnpin`: a message was unpinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMessageUnpin {
    /// The message.
    pub message: MessageId,
    /// Its author.
    pub author: UserId,
    /// Its channel.
    pub channel: ChannelId,
}

/// `BanCreate`: a user was banned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditBanCreate {
    /// The banned user.
    pub user: UserId,
}

/// `BanDelete`: a user was unbanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditBanDelete {
    /// The unbanned user.
    pub user: UserId,
}

/// `ChannelCreate`: a channel was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChannelCreate {
    /// The channel.
    pub channel: ChannelId,
    /// Its name.
    pub name: String,
}

/// `ChannelEdit`: a channel was edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditChannelEdit {
    /// The channel.
    pub channel: ChannelId,
    /// The changed fields before.
    pub before: PartialChannel,
    /// The changed fields after.
    pub after: PartialChannel,
}

/// `ChannelRolePermissionsEdit`: a role's permissions in a channel were set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditChannelRolePermissionsEdit {
    /// The channel.
    pub channel: ChannelId,
    /// The role (or `default`).
    pub role: String,
    /// The new override.
    pub permissions: Override,
}

/// `ChannelDelete`: a channel was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChannelDelete {
    /// The channel.
    pub channel: ChannelId,
    /// Its name.
    pub name: String,
}

/// `MemberEdit`: a member was edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditMemberEdit {
    /// The member's user.
    pub user: UserId,
    /// The changed fields before.
    pub before: PartialMember,
    /// The changed fields after.
    pub after: PartialMember,
}

/// `MemberKick`: a member was kicked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMemberKick {
    /// The kicked user.
    pub user: UserId,
}

/// `ServerEdit`: the server was edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditServerEdit {
    /// The changed fields before.
    pub before: PartialServer,
    /// The changed fields after.
    pub after: PartialServer,
}

/// `RoleEdit`: a role was edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRoleEdit {
    /// The role.
    pub role: RoleId,
    /// The changed fields before.
    pub before: PartialRole,
    /// The changed fields after.
    pub after: PartialRole,
}

/// `RoleCreate`: a role was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRoleCreate {
    /// The role.
    pub role: RoleId,
    /// Its name.
    pub name: String,
}

/// `RoleDelete`: a role was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRoleDelete {
    /// The role.
    pub role: RoleId,
    /// Its name.
    pub name: String,
}

/// `RolesReorder`: the roles were reordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRolesReorder {
    /// The order before.
    pub before: Vec<RoleId>,
    /// The order after.
    pub after: Vec<RoleId>,
}

/// `InviteCreate`: an invite was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditInviteCreate {
    /// The invite code.
    pub invite: String,
    /// Its channel.
    pub channel: ChannelId,
}

/// `InviteDelete`: an invite was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditInviteDelete {
    /// The invite code.
    pub invite: String,
    /// Its channel.
    pub channel: ChannelId,
}

/// `WebhookCreate`: a webhook was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditWebhookCreate {
    /// The webhook.
    pub webhook: String,
    /// Its name.
    pub name: String,
    /// Its channel.
    pub channel: ChannelId,
}

/// `WebhookDelete`: a webhook was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditWebhookDelete {
    /// The webhook.
    pub webhook: String,
    /// Its name.
    pub name: String,
    /// Its channel.
    pub channel: ChannelId,
}

/// `EmojiCreate`: an emoji was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEmojiCreate {
    /// The emoji.
    pub emoji: EmojiId,
    /// Its name.
    pub name: String,
}

/// `EmojiUpdate`: an emoji was edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEmojiUpdate {
    /// The emoji.
    pub emoji: EmojiId,
    /// The changed fields before.
    pub before: PartialEmoji,
    /// The changed fields after.
    pub after: PartialEmoji,
}

/// `EmojiDelete`: an emoji was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEmojiDelete {
    /// The emoji.
    pub emoji: EmojiId,
    /// Its name.
    pub name: String,
}
