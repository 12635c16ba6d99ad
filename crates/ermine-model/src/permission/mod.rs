//! Permission bits, overrides and the exact calculator the server uses.
//!
//! Stoat has one permission space for servers and channels ([`Permissions`], 64 bits of
//! which 35 are defined) and a small one between users ([`UserPermissions`]). A role or a
//! channel carries an [`Override`]: `allow` bits are set, then `deny` bits are cleared.
//!
//! [`calculate`] holds the algorithms (server, channel, user permissions and member ranking),
//! each also available with an [`Explanation`] of which step granted or
//! revoked each bit.

pub mod calculate;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::bitflags_serde;

pub use calculate::{
    ChannelScope, Explanation, Perspective, Step, StepRecord, TargetUser, caller_ranking,
    channel_permissions, explain_channel_permissions, explain_server_permissions, member_ranking,
    server_permissions, user_permissions,
};

macro_rules! permission_table {
    ($($(#[doc = $doc:tt])* $konst:ident = $bit:literal, $wire:literal;)+) => {
        bitflags::bitflags! {
            /// Server and channel permissions (`ChannelPermission` in the API), a 64-bit set.
            ///
            /// Unknown bits are kept, so a value read from a newer server writes back unchanged.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub struct Permissions: u64 {
                $($(#[doc = $doc])* const $konst = 1 << $bit;)+
            }
        }

        impl Permissions {
            /// Each defined permission with its API name, in bit order.
            pub const NAMED: &'static [(&'static str, Permissions)] = &[
                $(($wire, Permissions::$konst),)+
            ];
        }
    };
}

permission_table! {
    /// Manage the channel or channels on the server.
    MANAGE_CHANNEL = 0, "ManageChannel";
    /// Manage the server.
    MANAGE_SERVER = 1, "ManageServer";
    /// Manage permissions on servers or channels.
    MANAGE_PERMISSIONS = 2, "ManagePermissions";
    /// Manage roles on the server.
    MANAGE_ROLE = 3, "ManageRole";
    /// Manage server customisation (includes emoji).
    MANAGE_CUSTOMISATION = 4, "ManageCustomisation";
    /// Kick other members below their ranking.
    KICK_MEMBERS = 6, "KickMembers";
    /// Ban other members below their ranking.
    BAN_MEMBERS = 7, "BanMembers";
    /// Time out other members below their ranking.
    TIMEOUT_MEMBERS = 8, "TimeoutMembers";
    /// Assign roles to members below their ranking.
    ASSIGN_ROLES = 9, "AssignRoles";
    /// Change own nickname.
    CHANGE_NICKNAME = 10, "ChangeNickname";
    /// Change or remove other members' nicknames below their ranking.
    MANAGE_NICKNAMES = 11, "ManageNicknames";
    /// Change own avatar.
    CHANGE_AVATAR = 12, "ChangeAvatar";
    /// Remove other members' avatars below their ranking.
    REMOVE_AVATARS = 13, "RemoveAvatars";
    /// View a channel.
    VIEW_CHANNEL = 20, "ViewChannel";
    /// Read a channel's past message history.
    READ_MESSAGE_HISTORY = 21, "ReadMessageHistory";
    /// Send a message in a channel.
    SEND_MESSAGE = 22, "SendMessage";
    /// Delete messages in a channel.
    MANAGE_MESSAGES = 23, "ManageMessages";
    /// Manage webhook entries on a channel.
    MANAGE_WEBHOOKS = 24, "ManageWebhooks";
    /// Create invites to this channel.
    INVITE_OTHERS = 25, "InviteOthers";
    /// Send embedded content in this channel.
    SEND_EMBEDS = 26, "SendEmbeds";
    /// Send attachments and media in this channel.
    UPLOAD_FILES = 27, "UploadFiles";
    /// Masquerade messages using a custom nickname and avatar.
    MASQUERADE = 28, "Masquerade";
    /// React to messages with emojis.
    REACT = 29, "React";
    /// Connect to a voice channel.
    CONNECT = 30, "Connect";
    /// Speak in a voice call.
    SPEAK = 31, "Speak";
    /// Share video in a voice call.
    VIDEO = 32, "Video";
    /// Mute other members with lower ranking in a voice call.
    MUTE_MEMBERS = 33, "MuteMembers";
    /// Deafen other members with lower ranking in a voice call.
    DEAFEN_MEMBERS = 34, "DeafenMembers";
    /// Move members between voice channels.
    MOVE_MEMBERS = 35, "MoveMembers";
    /// Listen to other users in a voice call.
    LISTEN = 36, "Listen";
    /// Mention everyone and online members.
    MENTION_EVERYONE = 37, "MentionEveryone";
    /// Mention roles.
    MENTION_ROLES = 38, "MentionRoles";
    /// Bypass slowmode.
    BYPASS_SLOWMODE = 39, "BypassSlowmode";
    /// Access server audit logs.
    VIEW_AUDIT_LOGS = 40, "ViewAuditLogs";
    /// Use emojis from other servers (server 0.16+).
    USE_EXTERNAL_EMOJIS = 41, "UseExternalEmojis";
}

bitflags_serde!(Permissions, u64);

impl Permissions {
    /// Every safe bit (0–51), what owners and privileged users get (`GrantAllSafe`).
    pub const GRANT_ALL_SAFE: Self = Self::from_bits_retain(0x000F_FFFF_FFFF_FFFF);
    /// Every bit (`GrantAll`).
    pub const GRANT_ALL: Self = Self::from_bits_retain(u64::MAX);
    /// What a timed-out member keeps: view and read history (`ALLOW_IN_TIMEOUT`).
    pub const ALLOW_IN_TIMEOUT: Self =
        Self::from_bits_retain(Self::VIEW_CHANNEL.bits() | Self::READ_MESSAGE_HISTORY.bits());
    /// View and read history (`DEFAULT_PERMISSION_VIEW_ONLY`).
    pub const DEFAULT_VIEW_ONLY: Self = Self::ALLOW_IN_TIMEOUT;
    /// The base default (`DEFAULT_PERMISSION`).
    pub const DEFAULT: Self = Self::from_bits_retain(
        Self::DEFAULT_VIEW_ONLY.bits()
            | Self::SEND_MESSAGE.bits()
            | Self::INVITE_OTHERS.bits()
            | Self::SEND_EMBEDS.bits()
            | Self::UPLOAD_FILES.bits()
            | Self::CONNECT.bits()
            | Self::SPEAK.bits()
            | Self::LISTEN.bits()
            | Self::VIDEO.bits(),
    );
    /// Saved messages: everything safe (`DEFAULT_PERMISSION_SAVED_MESSAGES`).
    pub const DEFAULT_SAVED_MESSAGES: Self = Self::GRANT_ALL_SAFE;
    /// A DM where messaging is allowed (`DEFAULT_PERMISSION_DIRECT_MESSAGE`).
    pub const DEFAULT_DIRECT_MESSAGE: Self = Self::from_bits_retain(
        Self::DEFAULT.bits()
            | Self::MANAGE_CHANNEL.bits()
            | Self::REACT.bits()
            | Self::MASQUERADE.bits(),
    );
    /// `default_permissions` of a new server on 0.16 (`DEFAULT_PERMISSION_SERVER`).
    pub const DEFAULT_SERVER: Self = Self::from_bits_retain(
        Self::DEFAULT.bits()
            | Self::REACT.bits()
            | Self::CHANGE_NICKNAME.bits()
            | Self::CHANGE_AVATAR.bits()
            | Self::USE_EXTERNAL_EMOJIS.bits(),
    );
    /// `default_permissions` of a new server on 0.15 (before `UseExternalEmojis`).
    pub const DEFAULT_SERVER_0_15: Self =
        Self::from_bits_retain(Self::DEFAULT_SERVER.bits() & !Self::USE_EXTERNAL_EMOJIS.bits());
    /// What a new webhook may do (`DEFAULT_WEBHOOK_PERMISSIONS`).
    pub const DEFAULT_WEBHOOK: Self = Self::from_bits_retain(
        Self::SEND_MESSAGE.bits()
            | Self::SEND_EMBEDS.bits()
            | Self::MASQUERADE.bits()
            | Self::REACT.bits(),
    );

    /// The permission with this API name (`"KickMembers"`), if it is a defined one.
    pub fn from_api_name(name: &str) -> Option<Self> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
    }

    /// The API name of a single defined permission, `None` for a set or an unknown bit.
    pub fn api_name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(n, _)| *n)
    }

    /// API names of the defined bits in this set, in bit order.
    pub fn api_names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMED
            .iter()
            .filter(move |(_, p)| self.contains(*p))
            .map(|(n, _)| *n)
    }

    /// Applies an override: set `allow`, then clear `deny`.
    #[must_use]
    pub fn apply(self, value: Override) -> Self {
        (self | value.allow) - value.deny
    }
}

bitflags::bitflags! {
    /// What one user may do towards another (`UserPermission` in the API).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    pub struct UserPermissions: u64 {
        /// See the user at all (fetch the user).
        const ACCESS = 1 << 0;
        /// View the user's profile and mutuals.
        const VIEW_PROFILE = 1 << 1;
        /// Open a DM with and message the user.
        const SEND_MESSAGE = 1 << 2;
        /// Invite the user (defined, never granted except through "everything").
        const INVITE = 1 << 3;
    }
}

bitflags_serde!(UserPermissions, u64);

impl UserPermissions {
    /// Each defined user permission with its API name.
    pub const NAMED: &'static [(&'static str, UserPermissions)] = &[
        ("Access", Self::ACCESS),
        ("ViewProfile", Self::VIEW_PROFILE),
        ("SendMessage", Self::SEND_MESSAGE),
        ("Invite", Self::INVITE),
    ];

    /// The user permission with this API name, if defined.
    pub fn from_api_name(name: &str) -> Option<Self> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
    }

    /// The API name of this value when it is exactly one defined user permission.
    pub fn api_name(self) -> Option<&'static str> {
        Self::NAMED
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(n, _)| *n)
    }
}

/// An allow/deny pair as roles and channels carry it.
///
/// Models write it as `{"a": i64, "d": i64}` ([`Override`]'s serde form); request bodies use
/// `{"allow": u64, "deny": u64}` ([`OverrideRequest`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Override {
    /// Bits this override sets.
    #[serde(rename = "a", with = "signed_bits")]
    pub allow: Permissions,
    /// Bits this override clears (after `allow`).
    #[serde(rename = "d", with = "signed_bits")]
    pub deny: Permissions,
}

impl Override {
    /// An override that sets `allow` then clears `deny`.
    pub const fn new(allow: Permissions, deny: Permissions) -> Self {
        Self { allow, deny }
    }
}

/// An override in request-body form, `{"allow": u64, "deny": u64}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct OverrideRequest {
    /// Bits to set.
    pub allow: Permissions,
    /// Bits to clear.
    pub deny: Permissions,
}

impl From<Override> for OverrideRequest {
    fn from(v: Override) -> Self {
        Self {
            allow: v.allow,
            deny: v.deny,
        }
    }
}

impl From<OverrideRequest> for Override {
    fn from(v: OverrideRequest) -> Self {
        Self {
            allow: v.allow,
            deny: v.deny,
        }
    }
}

/// Model fields hold permission bits as `i64` (so bit 63 is negative on the wire).
pub(crate) mod signed_bits {
    use serde::{Deserializer, Serializer};

    use super::Permissions;

    #[allow(clippy::trivially_copy_pass_by_ref)]
    pub(crate) fn serialize<S: Serializer>(
        value: &Permissions,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.bits().cast_signed())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Permissions, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

impl fmt::Display for Permissions {
    /// API names joined by `|`, unknown bits as hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for name in self.api_names() {
            if !first {
                f.write_str(" | ")?;
            }
            f.write_str(name)?;
            first = false;
        }
        let unknown = self.bits() & !Self::all().bits();
        if unknown != 0 {
            if !first {
                f.write_str(" | ")?;
            }
            write!(f, "{unknown:#x}")?;
            first = false;
        }
        if first {
            f.write_str("(none)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composite_values_match_the_server() {
        assert_eq!(Permissions::GRANT_ALL_SAFE.bits(), 4_503_599_627_370_495);
        assert_eq!(Permissions::ALLOW_IN_TIMEOUT.bits(), 3_145_728);
        assert_eq!(Permissions::DEFAULT.bits(), 76_477_890_560);
        assert_eq!(Permissions::DEFAULT_DIRECT_MESSAGE.bits(), 77_283_196_929);
        assert_eq!(Permissions::DEFAULT_SERVER.bits(), 2_276_038_022_144);
        assert_eq!(Permissions::DEFAULT_SERVER_0_15.bits(), 77_014_766_592);
        assert_eq!(Permissions::DEFAULT_WEBHOOK.bits(), 876_609_536);
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(
            Permissions::from_api_name("KickMembers"),
            Some(Permissions::KICK_MEMBERS)
        );
        assert_eq!(Permissions::KICK_MEMBERS.api_name(), Some("KickMembers"));
        assert_eq!(Permissions::from_api_name("Nope"), None);
        assert_eq!(
            (Permissions::SPEAK | Permissions::VIDEO).to_string(),
            "Speak | Video"
        );
        assert_eq!(
            Permissions::from_bits_retain(1 << 50).to_string(),
            "0x4000000000000"
        );
    }

    #[test]
    fn override_serde_and_apply() {
        let o: Override =
            serde_json::from_str(r#"{"a": 4194304, "d": -9223372036854775808}"#).unwrap();
        assert_eq!(o.allow, Permissions::SEND_MESSAGE);
        assert_eq!(o.deny.bits(), 1 << 63);
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            r#"{"a":4194304,"d":-9223372036854775808}"#
        );
        let p = Permissions::VIEW_CHANNEL.apply(Override::new(
            Permissions::SEND_MESSAGE,
            Permissions::VIEW_CHANNEL,
        ));
        assert_eq!(p, Permissions::SEND_MESSAGE);
        // allow then deny: a bit both allowed and denied ends up cleared
        let p = Permissions::empty().apply(Override::new(Permissions::REACT, Permissions::REACT));
        assert!(p.is_empty());
    }
}
