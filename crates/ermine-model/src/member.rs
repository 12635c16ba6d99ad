//! Server members, bans and the responses that carry them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::file::File;
use crate::id::{ChannelId, MemberId, RoleId, UserId};
use crate::server::Role;
use crate::user::User;
use crate::wire::{default_true, is_true, string_enum};

/// A member of a server.
///
/// Absent fields take the server's defaults: no roles, `can_publish` and `can_receive` true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Server and user.
    #[serde(rename = "_id")]
    pub id: MemberId,
    /// When the user joined.
    pub joined_at: Timestamp,
    /// Server nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Server pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// Server avatar (boxed: most members have none, and a list of members stays small).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Box<File>>,
    /// Role IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleId>,
    /// Timed out until this instant (a past instant means no active timeout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timestamp>,
    /// `false` when server-muted in voice.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub can_publish: bool,
    /// `false` when server-deafened in voice.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub can_receive: bool,
}

impl Member {
    /// A member with nothing but its key and join time.
    pub fn new(id: MemberId, joined_at: Timestamp) -> Self {
        Self {
            id,
            joined_at,
            nickname: None,
            pronouns: None,
            avatar: None,
            roles: Vec::new(),
            timeout: None,
            can_publish: true,
            can_receive: true,
        }
    }

    /// Whether a timeout is active at `now`.
    pub fn is_timed_out(&self, now: Timestamp) -> bool {
        self.timeout.is_some_and(|until| until > now)
    }

    /// Clears the fields named in `clear`, then applies `data`: how the server applies a
    /// `ServerMemberUpdate` (by [`apply_update`], the one rule).
    pub fn apply_update(&mut self, data: &PartialMember, clear: &[FieldsMember]) {
        if let Some(v) = data.id {
            self.id = v;
        }
        apply_update(self, data, clear);
    }
}

/// A holder of a member's fields: the model's [`Member`], or a compact cached form. What
/// [`apply_update`] writes through.
pub trait MemberFields {
    /// Sets when the member joined.
    fn set_joined_at(&mut self, at: Timestamp);
    /// Sets or clears the nickname.
    fn set_nickname(&mut self, nickname: Option<&str>);
    /// Sets or clears the pronouns.
    fn set_pronouns(&mut self, pronouns: Option<&str>);
    /// Sets or clears the server avatar.
    fn set_avatar(&mut self, avatar: Option<&File>);
    /// Replaces the roles (empty clears them).
    fn set_roles(&mut self, roles: &[RoleId]);
    /// Sets or lifts the timeout.
    fn set_timeout(&mut self, until: Option<Timestamp>);
    /// Sets the voice-publish right.
    fn set_can_publish(&mut self, can: bool);
    /// Sets the voice-receive right.
    fn set_can_receive(&mut self, can: bool);
}

/// Applies a `ServerMemberUpdate` the way the server does: the fields named in `clear`
/// first (a cleared `can_publish`/`can_receive` means `true`; join time and voice channel
/// are not member fields to clear), then every field `data` sets.
pub fn apply_update(target: &mut impl MemberFields, data: &PartialMember, clear: &[FieldsMember]) {
    for field in clear {
        match field {
            FieldsMember::Nickname => target.set_nickname(None),
            FieldsMember::Pronouns => target.set_pronouns(None),
            FieldsMember::Avatar => target.set_avatar(None),
            FieldsMember::Roles => target.set_roles(&[]),
            FieldsMember::Timeout => target.set_timeout(None),
            FieldsMember::CanPublish => target.set_can_publish(true),
            FieldsMember::CanReceive => target.set_can_receive(true),
            FieldsMember::JoinedAt | FieldsMember::VoiceChannel | FieldsMember::Unknown(_) => {}
        }
    }
    if let Some(v) = data.joined_at {
        target.set_joined_at(v);
    }
    if let Some(v) = &data.nickname {
        target.set_nickname(Some(v));
    }
    if let Some(v) = &data.pronouns {
        target.set_pronouns(Some(v));
    }
    if let Some(v) = &data.avatar {
        target.set_avatar(Some(v));
    }
    if let Some(v) = &data.roles {
        target.set_roles(v);
    }
    if let Some(v) = data.timeout {
        target.set_timeout(Some(v));
    }
    if let Some(v) = data.can_publish {
        target.set_can_publish(v);
    }
    if let Some(v) = data.can_receive {
        target.set_can_receive(v);
    }
}

impl MemberFields for Member {
    fn set_joined_at(&mut self, at: Timestamp) {
        self.joined_at = at;
    }
    fn set_nickname(&mut self, nickname: Option<&str>) {
        self.nickname = nickname.map(str::to_owned);
    }
    fn set_pronouns(&mut self, pronouns: Option<&str>) {
        self.pronouns = pronouns.map(str::to_owned);
    }
    fn set_avatar(&mut self, avatar: Option<&File>) {
        self.avatar = avatar.map(|f| Box::new(f.clone()));
    }
    fn set_roles(&mut self, roles: &[RoleId]) {
        roles.clone_into(&mut self.roles);
    }
    fn set_timeout(&mut self, until: Option<Timestamp>) {
        self.timeout = until;
    }
    fn set_can_publish(&mut self, can: bool) {
        self.can_publish = can;
    }
    fn set_can_receive(&mut self, can: bool) {
        self.can_receive = can;
    }
}

/// A member with every field optional: the `data` of `ServerMemberUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialMember {
    /// New key (never sent in practice).
    #[serde(alias = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MemberId>,
    /// New join time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// New nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// New pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// New avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Box<File>>,
    /// New role list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleId>>,
    /// New timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timestamp>,
    /// New publish state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish: Option<bool>,
    /// New receive state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_receive: Option<bool>,
}

string_enum! {
    /// Member fields that an edit's `remove` list or an event's `clear` list names.
    pub enum FieldsMember {
        /// The nickname.
        Nickname = "Nickname",
        /// The pronouns.
        Pronouns = "Pronouns",
        /// The server avatar.
        Avatar = "Avatar",
        /// All roles.
        Roles = "Roles",
        /// The timeout.
        Timeout = "Timeout",
        /// Server-deafen (clearing means `can_receive` true).
        CanReceive = "CanReceive",
        /// Server-mute (clearing means `can_publish` true).
        CanPublish = "CanPublish",
        /// Join time.
        JoinedAt = "JoinedAt",
        /// Voice channel (disconnects from voice).
        VoiceChannel = "VoiceChannel",
    }
}

string_enum! {
    /// Why a member left a server.
    pub enum RemovalIntention {
        /// Left by themselves.
        Leave = "Leave",
        /// Kicked.
        Kick = "Kick",
        /// Banned.
        Ban = "Ban",
    }
}

/// `GET /servers/{id}/members/{user}`: the member, with the server's roles when `roles=true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MemberResponse {
    /// The member and the server's roles.
    WithRoles {
        /// The member.
        member: Member,
        /// Roles of the member, by ID.
        roles: HashMap<RoleId, Role>,
    },
    /// Just the member.
    Member(Member),
}

impl MemberResponse {
    /// The member, whichever shape was sent.
    pub fn member(&self) -> &Member {
        match self {
            Self::WithRoles { member, .. } | Self::Member(member) => member,
        }
    }

    /// The member, whichever shape was sent.
    pub fn into_member(self) -> Member {
        match self {
            Self::WithRoles { member, .. } | Self::Member(member) => member,
        }
    }
}

/// `GET /servers/{id}/members`: members and their users.
///
/// The lists are not in matching order; join them by user ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllMemberResponse {
    /// Members.
    pub members: Vec<Member>,
    /// Their users.
    pub users: Vec<User>,
}

/// `GET /servers/{id}/members_experimental_query`: members whose name matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQueryResponse {
    /// Members.
    pub members: Vec<Member>,
    /// Their users.
    pub users: Vec<User>,
}

/// A ban.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerBan {
    /// Server and banned user.
    #[serde(rename = "_id")]
    pub id: MemberId,
    /// Reason given (always written, may be `null`).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A banned user as the ban list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BannedUser {
    /// The user.
    #[serde(rename = "_id")]
    pub id: UserId,
    /// Username.
    pub username: String,
    /// Discriminator.
    pub discriminator: String,
    /// Avatar (always written, may be `null`).
    #[serde(default)]
    pub avatar: Option<File>,
}

/// `GET /servers/{id}/bans`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanListResult {
    /// Banned users.
    pub users: Vec<BannedUser>,
    /// Bans.
    pub bans: Vec<ServerBan>,
}

/// Fields of a member edit that are set, cleared through `remove`, or left alone.
///
/// This is the request body of `PATCH /servers/{server}/members/{user}` (`DataMemberEdit`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEditBody {
    /// New nickname (1..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// New pronouns (1..=24 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// File ID of the new avatar (tag `avatars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// New role list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleId>>,
    /// Timed out until.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timestamp>,
    /// Server-mute state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish: Option<bool>,
    /// Server-deafen state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_receive: Option<bool>,
    /// Voice channel to move the member to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_channel: Option<ChannelId>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsMember>,
}

/// Body of `PUT /servers/{server}/bans/{user}` (`DataBanCreate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanCreateBody {
    /// Reason (up to 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Delete the user's messages of this many past seconds (up to 604800).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_message_seconds: Option<u32>,
}
