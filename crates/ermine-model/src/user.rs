//! Users, their relationships, presence, badges and flags.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::file::File;
use crate::id::UserId;
use crate::wire::{bitflags_serde, is_false, string_enum};

/// A user as the API shows it to the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The user's ID.
    #[serde(rename = "_id")]
    pub id: UserId,
    /// Username (2..=32 characters).
    pub username: String,
    /// Four-digit discriminator, a string such as `"0420"`.
    pub discriminator: String,
    /// Display name, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Pronouns, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// Avatar, if set (boxed: keeps `User` small in the large lists the API sends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Box<File>>,
    /// Relationships with other users; only on your own user.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relationship>,
    /// Badges.
    #[serde(default, skip_serializing_if = "UserBadges::is_empty")]
    pub badges: UserBadges,
    /// Custom status and presence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// Account flags (suspended, deleted, banned, spam).
    #[serde(default, skip_serializing_if = "UserFlags::is_empty")]
    pub flags: UserFlags,
    /// Platform staff.
    #[serde(default, skip_serializing_if = "is_false")]
    pub privileged: bool,
    /// Present when the user is a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotInformation>,
    /// The caller's relationship with this user.
    #[serde(default)]
    pub relationship: RelationshipStatus,
    /// Whether the user is online.
    #[serde(default)]
    pub online: bool,
}

impl User {
    /// Applies a `UserUpdate` by the one rule ([`apply_update`]).
    pub fn apply_update(&mut self, data: &PartialUser, clear: &[FieldsUser]) {
        apply_update(self, data, clear);
    }

    /// `username#discriminator`.
    pub fn tag(&self) -> String {
        format!("{}#{}", self.username, self.discriminator)
    }

    /// The name to show: display name, else username.
    pub fn display_name_or_username(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.username)
    }
}

/// A holder of a user's fields: the model's [`User`], or a compact cached form. What
/// [`apply_update`] writes through.
pub trait UserFields {
    /// Sets the username.
    fn set_username(&mut self, username: &str);
    /// Sets the discriminator.
    fn set_discriminator(&mut self, discriminator: &str);
    /// Sets or clears the display name.
    fn set_display_name(&mut self, name: Option<&str>);
    /// Sets or clears the pronouns.
    fn set_pronouns(&mut self, pronouns: Option<&str>);
    /// Sets or clears the avatar.
    fn set_avatar(&mut self, avatar: Option<&File>);
    /// Replaces the relationships.
    fn set_relations(&mut self, relations: &[Relationship]);
    /// Sets the badges.
    fn set_badges(&mut self, badges: UserBadges);
    /// Clears the status text, when there is a status.
    fn clear_status_text(&mut self);
    /// Clears the presence, when there is a status.
    fn clear_status_presence(&mut self);
    /// Sets the parts of the status that `status` has, creating an empty status first when
    /// there is none.
    fn merge_status(&mut self, status: &UserStatus);
    /// Sets the flags.
    fn set_flags(&mut self, flags: UserFlags);
    /// Sets the privileged state.
    fn set_privileged(&mut self, privileged: bool);
    /// Sets the bot information.
    fn set_bot(&mut self, bot: &BotInformation);
    /// Sets the relationship with the caller.
    fn set_relationship(&mut self, relationship: &RelationshipStatus);
    /// Sets the online state.
    fn set_online(&mut self, online: bool);
}

/// Applies a `UserUpdate` the way the server does: the fields named in `clear` first (the
/// profile's parts and internal fields are not user fields here), then every field `data`
/// sets.
pub fn apply_update(target: &mut impl UserFields, data: &PartialUser, clear: &[FieldsUser]) {
    for field in clear {
        match field {
            FieldsUser::Avatar => target.set_avatar(None),
            FieldsUser::StatusText => target.clear_status_text(),
            FieldsUser::StatusPresence => target.clear_status_presence(),
            FieldsUser::DisplayName => target.set_display_name(None),
            FieldsUser::Pronouns => target.set_pronouns(None),
            _ => {}
        }
    }
    if let Some(v) = &data.username {
        target.set_username(v);
    }
    if let Some(v) = &data.discriminator {
        target.set_discriminator(v);
    }
    if let Some(v) = &data.display_name {
        target.set_display_name(Some(v));
    }
    if let Some(v) = &data.pronouns {
        target.set_pronouns(Some(v));
    }
    if let Some(v) = &data.avatar {
        target.set_avatar(Some(v));
    }
    if let Some(v) = &data.relations {
        target.set_relations(v);
    }
    if let Some(v) = data.badges {
        target.set_badges(v);
    }
    if let Some(v) = &data.status {
        target.merge_status(v);
    }
    if let Some(v) = data.flags {
        target.set_flags(v);
    }
    if let Some(v) = data.privileged {
        target.set_privileged(v);
    }
    if let Some(v) = &data.bot {
        target.set_bot(v);
    }
    if let Some(v) = &data.relationship {
        target.set_relationship(v);
    }
    if let Some(v) = data.online {
        target.set_online(v);
    }
}

impl UserFields for User {
    fn set_username(&mut self, username: &str) {
        username.clone_into(&mut self.username);
    }
    fn set_discriminator(&mut self, discriminator: &str) {
        discriminator.clone_into(&mut self.discriminator);
    }
    fn set_display_name(&mut self, name: Option<&str>) {
        self.display_name = name.map(str::to_owned);
    }
    fn set_pronouns(&mut self, pronouns: Option<&str>) {
        self.pronouns = pronouns.map(str::to_owned);
    }
    fn set_avatar(&mut self, avatar: Option<&File>) {
        self.avatar = avatar.map(|f| Box::new(f.clone()));
    }
    fn set_relations(&mut self, relations: &[Relationship]) {
        relations.clone_into(&mut self.relations);
    }
    fn set_badges(&mut self, badges: UserBadges) {
        self.badges = badges;
    }
    fn clear_status_text(&mut self) {
        if let Some(status) = self.status.as_mut() {
            status.text = None;
        }
    }
    fn clear_status_presence(&mut self) {
        if let Some(status) = self.status.as_mut() {
            status.presence = None;
        }
    }
    fn merge_status(&mut self, status: &UserStatus) {
        let current = self.status.get_or_insert_with(UserStatus::default);
        if let Some(text) = &status.text {
            current.text = Some(text.clone());
        }
        if let Some(presence) = &status.presence {
            current.presence = Some(presence.clone());
        }
    }
    fn set_flags(&mut self, flags: UserFlags) {
        self.flags = flags;
    }
    fn set_privileged(&mut self, privileged: bool) {
        self.privileged = privileged;
    }
    fn set_bot(&mut self, bot: &BotInformation) {
        self.bot = Some(*bot);
    }
    fn set_relationship(&mut self, relationship: &RelationshipStatus) {
        self.relationship = relationship.clone();
    }
    fn set_online(&mut self, online: bool) {
        self.online = online;
    }
}

/// A user with every field optional: the `data` of `UserUpdate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialUser {
    /// New ID (never sent in practice).
    #[serde(alias = "_id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<UserId>,
    /// New username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// New discriminator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// New pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// New avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Box<File>>,
    /// New relationships.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<Relationship>>,
    /// New badges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badges: Option<UserBadges>,
    /// New status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// New flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<UserFlags>,
    /// New privileged state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    /// New bot information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotInformation>,
    /// New relationship with the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<RelationshipStatus>,
    /// New online state (presence changes arrive as just this).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<bool>,
}

string_enum! {
    /// Optional user fields that an edit or a `UserUpdate` can clear.
    pub enum FieldsUser {
        /// The avatar.
        Avatar = "Avatar",
        /// The status text.
        StatusText = "StatusText",
        /// The presence.
        StatusPresence = "StatusPresence",
        /// The profile text.
        ProfileContent = "ProfileContent",
        /// The profile background.
        ProfileBackground = "ProfileBackground",
        /// The display name.
        DisplayName = "DisplayName",
        /// The pronouns.
        Pronouns = "Pronouns",
        /// Internal fields.
        Internal = "Internal",
    }
}

string_enum! {
    /// The caller's relationship with a user.
    #[derive(Default)]
    pub enum RelationshipStatus {
        /// No relationship.
        #[default]
        None = "None",
        /// It is the caller.
        User = "User",
        /// Friends.
        Friend = "Friend",
        /// The caller sent a friend request.
        Outgoing = "Outgoing",
        /// The user sent the caller a friend request.
        Incoming = "Incoming",
        /// The caller blocked the user.
        Blocked = "Blocked",
        /// The user blocked the caller.
        BlockedOther = "BlockedOther",
    }
}

/// One entry of [`User::relations`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    /// The other user.
    #[serde(rename = "_id")]
    pub user: UserId,
    /// The relationship.
    pub status: RelationshipStatus,
}

string_enum! {
    /// Presence a user chose.
    pub enum Presence {
        /// Online.
        Online = "Online",
        /// Idle.
        Idle = "Idle",
        /// Focus mode.
        Focus = "Focus",
        /// Busy.
        Busy = "Busy",
        /// Invisible (never shown to others).
        Invisible = "Invisible",
    }
}

/// Custom status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserStatus {
    /// Status text (0..=128 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Presence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence: Option<Presence>,
}

/// A user's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    /// Profile text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Profile background.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<File>,
}

/// Present on bot users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BotInformation {
    /// The bot's owner.
    pub owner: UserId,
}

bitflags::bitflags! {
    /// Badges on a user.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct UserBadges: u32 {
        /// Developer.
        const DEVELOPER = 1;
        /// Translator.
        const TRANSLATOR = 2;
        /// Supporter.
        const SUPPORTER = 4;
        /// Responsible disclosure.
        const RESPONSIBLE_DISCLOSURE = 8;
        /// Founder.
        const FOUNDER = 16;
        /// Platform moderation.
        const PLATFORM_MODERATION = 32;
        /// Active supporter.
        const ACTIVE_SUPPORTER = 64;
        /// Paw.
        const PAW = 128;
        /// Early adopter.
        const EARLY_ADOPTER = 256;
        /// Reserved joke badge 1.
        const RESERVED_RELEVANT_JOKE_BADGE_1 = 512;
        /// Reserved joke badge 2.
        const RESERVED_RELEVANT_JOKE_BADGE_2 = 1024;
    }
}
bitflags_serde!(UserBadges, u32);

bitflags::bitflags! {
    /// Account flags of a user.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct UserFlags: u32 {
        /// Suspended until a date.
        const SUSPENDED_UNTIL = 1;
        /// Deleted.
        const DELETED = 2;
        /// Banned.
        const BANNED = 4;
        /// Flagged as spam.
        const SPAM = 8;
    }
}
bitflags_serde!(UserFlags, u32);

bitflags::bitflags! {
    /// Flags of a bot.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct BotFlags: u32 {
        /// Verified.
        const VERIFIED = 1;
        /// Official.
        const OFFICIAL = 2;
    }
}
bitflags_serde!(BotFlags, u32);

/// `GET /users/{id}/flags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagResponse {
    /// The user's flags (`0` for unknown users).
    pub flags: UserFlags,
}

/// `GET /users/{id}/mutual`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutualResponse {
    /// Mutual friends.
    pub users: Vec<UserId>,
    /// Mutual servers.
    pub servers: Vec<crate::id::ServerId>,
    /// Mutual DM and group channels.
    #[serde(default)]
    pub channels: Vec<crate::id::ChannelId>,
}

/// A user's state in a voice channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserVoiceState {
    /// The user.
    pub id: UserId,
    /// When they joined.
    pub joined_at: Timestamp,
    /// Receiving audio.
    pub is_receiving: bool,
    /// Publishing audio.
    pub is_publishing: bool,
    /// Sharing the screen.
    pub screensharing: bool,
    /// Camera on.
    pub camera: bool,
}

/// [`UserVoiceState`] with every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialUserVoiceState {
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<UserId>,
    /// When they joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<Timestamp>,
    /// Receiving audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_receiving: Option<bool>,
    /// Publishing audio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_publishing: Option<bool>,
    /// Sharing the screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screensharing: Option<bool>,
    /// Camera on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<bool>,
}

/// The default avatar image number (1..=7) the server serves for a user, chosen by the last
/// character of the ID.
pub fn default_avatar_index(user: UserId) -> u8 {
    let text = user.to_string();
    match text.as_bytes().last() {
        Some(b'0' | b'1' | b'2' | b'3' | b'S' | b'Z') => 2,
        Some(b'4' | b'5' | b'6' | b'7' | b'T') => 3,
        Some(b'8' | b'9' | b'A' | b'B') => 4,
        Some(b'C' | b'D' | b'E' | b'F' | b'V') => 5,
        Some(b'G' | b'H' | b'J' | b'K' | b'W') => 6,
        Some(b'M' | b'N' | b'P' | b'Q' | b'X') => 7,
        _ => 1,
    }
}

/// The profile part of a user edit (`DataUserProfile`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEditBody {
    /// Profile text (≤ 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// File ID of an unused upload to `backgrounds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
}

/// Body of `PATCH /users/{user}` (`DataEditUser`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEditBody {
    /// Display name (2..=32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// File ID of an unused upload to `avatars`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Status: its text (≤ 128 characters) and presence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// Profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileEditBody>,
    /// Badges (privileged users only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badges: Option<u32>,
    /// Flags (privileged users only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<u32>,
    /// Fields to clear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<FieldsUser>,
}

/// Body of `PATCH /users/@me/username` (`DataChangeUsername`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeUsernameBody {
    /// New username (2..=32 characters).
    pub username: String,
    /// The account's password (never shown in `Debug`).
    pub password: String,
}

impl std::fmt::Debug for ChangeUsernameBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeUsernameBody")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Body of `POST /users/friend` (`DataSendFriendRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendRequestBody {
    /// `username#discriminator`.
    pub username: String,
}
