//! [`BaseMember`]: what a member is and does knowing only its server and user.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use ermine_http::RequestOptions;
use ermine_http::request::channel::JoinCall;
use ermine_http::request::channel::message::AckMessage;
use ermine_http::request::channel::message::FetchMessage;
use ermine_http::request::channel::message::FetchMessages;
use ermine_http::request::channel::message::SearchMessages;
use ermine_http::request::channel::message::SendMessage;
use ermine_http::request::file::{FileSource, FileTag};
use ermine_http::request::safety::ReportContent;
use ermine_http::request::server::ban::BanMember;
use ermine_http::request::server::member::EditMember;
use ermine_http::request::server::member::KickMember;
use ermine_http::request::user::BlockUser;
use ermine_http::request::user::FetchDefaultAvatar;
use ermine_http::request::user::FetchMutuals;
use ermine_http::request::user::FetchProfile;
use ermine_http::request::user::FetchUserFlags;
use ermine_http::request::user::OpenDm;
use ermine_http::request::user::RemoveFriend;
use ermine_http::request::user::UnblockUser;
use ermine_model::channel::Channel;
use ermine_model::file::File;
use ermine_model::id::{ChannelId, MessageId, ServerId, UserId};
use ermine_model::member::ServerBan;
use ermine_model::message::Message;
use ermine_model::report::{ReportedContent, ReportedUser, UserReportReason};
use ermine_model::server::Server;
use ermine_model::user::{BotInformation, FlagResponse, MutualResponse, UserProfile};
use ermine_model::user::{RelationshipStatus, User, UserBadges, UserFlags, UserStatus};
use ermine_model::{MemberId, Timestamp};

use super::{DmLookup, DmRequest, Member};
use crate::action::Action;
use crate::{Client, Error};

/// A member known by its identity alone: the server, the user, and the client to act through
/// (stoat.py's `BaseMember`). [`Member`](super::Member) and
/// [`PartialMember`](super::PartialMember) dereference to it, so everything here is available
/// on both.
///
/// Get one from IDs with [`Client::base_member`], or from a member with `&*member`.
/// Identity is the pair (server, user): `==` and `Hash` use only that, and `!=` is exactly its
/// negation.
#[derive(Clone)]
pub struct BaseMember {
    id: MemberId,
    client: Client,
}

impl std::fmt::Debug for BaseMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BaseMember")
            .field("server", &self.id.server)
            .field("user", &self.id.user)
            .finish_non_exhaustive()
    }
}

impl PartialEq for BaseMember {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for BaseMember {}

impl Hash for BaseMember {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl BaseMember {
    pub(crate) fn new(id: MemberId, client: Client) -> Self {
        Self { id, client }
    }

    /// The client the handle acts through (stoat.py's `state`).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// (server, user).
    pub fn id(&self) -> MemberId {
        self.id
    }

    /// The user's ID.
    pub fn user_id(&self) -> UserId {
        self.id.user
    }

    /// The server's ID.
    pub fn server_id(&self) -> ServerId {
        self.id.server
    }

    /// The cached user, or [`Error::NotCached`].
    pub fn get_user(&self) -> Result<User, Error> {
        self.user()
            .ok_or_else(|| Error::not_cached("user", &self.user_id()))
    }

    /// The cached user, if any.
    pub fn user(&self) -> Option<User> {
        self.client.cache().user(self.user_id())
    }

    /// The user as the cache holds it (stoat.py's `internal_user`), if cached.
    pub fn internal_user(&self) -> Option<User> {
        self.user()
    }

    /// The cached server, if any.
    pub fn get_server(&self) -> Option<Server> {
        self.client.cache().server(self.server_id())
    }

    /// The username (`""` when the user is not cached).
    pub fn name(&self) -> String {
        self.user().map(|u| u.username).unwrap_or_default()
    }

    /// The discriminator (`""` when the user is not cached).
    pub fn discriminator(&self) -> String {
        self.user().map(|u| u.discriminator).unwrap_or_default()
    }

    /// The user's global display name: `None` when they have none or are not cached. It is
    /// never the server nickname; [`Member::shown_name`](super::Member::shown_name) combines
    /// nickname, display name and username.
    pub fn display_name(&self) -> Option<String> {
        self.user().and_then(|u| u.display_name)
    }

    /// `name#discriminator`, e.g. `kotlin.Unit#3510`.
    pub fn tag(&self) -> String {
        // One cache read for both parts.
        let user = self.user();
        let (name, discriminator) = user.as_ref().map_or(("", ""), |u| {
            (u.username.as_str(), u.discriminator.as_str())
        });
        format!("{name}#{discriminator}")
    }

    /// `<@user id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.user_id())
    }

    /// The user's avatar (not the server avatar), when the user is cached.
    pub fn avatar(&self) -> Option<File> {
        self.user().and_then(|u| u.avatar).map(|f| *f)
    }

    /// The user's avatar file as the API sent it (stoat.py's `internal_avatar`).
    pub fn internal_avatar(&self) -> Option<File> {
        self.avatar()
    }

    /// The URL of the user's default avatar (`{api}/users/{id}/default_avatar`).
    pub fn default_avatar_url(&self) -> String {
        self.client.http().default_avatar_url(self.user_id())
    }

    /// The user's badges (empty when not cached).
    pub fn badges(&self) -> UserBadges {
        self.user().map_or_else(UserBadges::empty, |u| u.badges)
    }

    /// The user's badges as raw bits (unknown bits kept).
    pub fn raw_badges(&self) -> u32 {
        self.badges().bits()
    }

    /// The user's flags (empty when not cached).
    pub fn flags(&self) -> UserFlags {
        self.user().map_or_else(UserFlags::empty, |u| u.flags)
    }

    /// The user's flags as raw bits (unknown bits kept).
    pub fn raw_flags(&self) -> u32 {
        self.flags().bits()
    }

    /// The bot information (its owner) when the user is a cached bot.
    pub fn bot(&self) -> Option<BotInformation> {
        self.user().and_then(|u| u.bot)
    }

    /// Whether the user is a cached bot.
    pub fn is_bot(&self) -> bool {
        self.bot().is_some()
    }

    /// The bot's owner when the user is a cached bot and its owner is cached too.
    pub fn bot_owner(&self) -> Option<User> {
        self.get_bot_owner().ok().flatten()
    }

    /// The bot's owner's ID, when the user is a cached bot.
    pub fn bot_owner_id(&self) -> Option<UserId> {
        self.bot().map(|b| b.owner)
    }

    /// The bot's owner from the cache: `None` when the user is not a bot (stoat.py's
    /// `(None, '')`).
    ///
    /// # Errors
    /// [`Error::NotCached`] naming what is missing: the user (whether they are a bot is not
    /// known), or the owner of a bot.
    pub fn get_bot_owner(&self) -> Result<Option<User>, Error> {
        let user = self.get_user()?;
        let Some(bot) = user.bot else {
            return Ok(None);
        };
        self.client
            .cache()
            .user(bot.owner)
            .map(Some)
            .ok_or_else(|| Error::not_cached("user", &bot.owner))
    }

    /// The user's status (text and presence), when cached and visible to you.
    pub fn status(&self) -> Option<UserStatus> {
        self.user().and_then(|u| u.status)
    }

    /// Whether the user is online (`false` when not cached).
    pub fn online(&self) -> bool {
        self.user().is_some_and(|u| u.online)
    }

    /// Whether the user is platform staff (`false` when not cached).
    pub fn privileged(&self) -> bool {
        self.user().is_some_and(|u| u.privileged)
    }

    /// Your relationship with the user (`None` when not cached).
    pub fn relationship(&self) -> RelationshipStatus {
        self.user()
            .map_or(RelationshipStatus::None, |u| u.relationship)
    }

    /// The ID of the cached DM channel with the user.
    pub fn dm_channel_id(&self) -> Option<ChannelId> {
        self.client.cache().dm_channel(self.user_id())
    }

    /// Alias of [`dm_channel_id`](Self::dm_channel_id).
    pub fn pm_id(&self) -> Option<ChannelId> {
        self.dm_channel_id()
    }

    /// The cached DM channel with the user.
    pub fn dm_channel(&self) -> Option<Channel> {
        self.dm_channel_id()
            .and_then(|c| self.client.cache().channel(c))
    }

    /// Alias of [`dm_channel`](Self::dm_channel).
    pub fn pm(&self) -> Option<Channel> {
        self.dm_channel()
    }

    /// The cached messages of the DM with the user, oldest first (empty when none).
    pub fn messages(&self) -> Vec<Message> {
        self.dm_channel_id()
            .map(|c| self.client.cache().messages(c))
            .unwrap_or_default()
    }

    /// A cached message of the DM with the user.
    pub fn get_message(&self, id: MessageId) -> Option<Message> {
        self.dm_channel_id()
            .and_then(|c| self.client.cache().message(c, id))
    }

    /// The DM channel's ID when it is cached (stoat.py's `get_channel_id`; the async
    /// [`fetch_channel_id`](Self::fetch_channel_id) opens it when it is not).
    pub fn get_channel_id(&self) -> Option<ChannelId> {
        self.dm_channel_id()
    }

    /// The DM channel's ID: from the cache, else opened (`GET /users/{id}/dm`, with the
    /// lookup's [options](ermine_http::WithOptions)) and cached.
    ///
    /// # Errors
    /// As [`open_dm`](Self::open_dm).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let channel = member.fetch_channel_id().await?;
    /// assert_eq!(member.get_channel_id(), Some(channel));
    /// # Ok(())
    /// # }
    /// ```
    pub fn fetch_channel_id(&self) -> DmLookup<ChannelId> {
        DmLookup::new(self.clone(), |_, channel| Ok(channel))
    }

    /// The DM channel's ID from the cache, else opened with `options` and cached.
    pub(crate) async fn dm_channel_lookup(
        &self,
        options: RequestOptions,
    ) -> Result<ChannelId, Error> {
        use ermine_http::WithOptions as _;
        if let Some(id) = self.dm_channel_id() {
            return Ok(id);
        }
        let channel = self.open_dm().options(options).await?;
        Ok(channel.id())
    }

    /// Whether this is the system user (the all-zero ID).
    pub fn is_sentinel(&self) -> bool {
        self.user_id().is_sentinel()
    }

    /// Kicks the member from the server.
    ///
    /// **Permission**: `KickMembers`, and a top role ranked above the member's. Fires
    /// `ServerMemberLeave` (reason `Kick`) for the member and every other member.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `CannotRemoveYourself` | you tried to kick yourself |
    /// | `InvalidOperation` | you tried to kick the server's owner |
    /// | `InvalidSession` (401) | the token is invalid ([`is_invalid_session`](ermine_http::Error::is_invalid_session)) |
    /// | `NotElevated` | your top role is not ranked above the member's |
    /// | `MissingPermission` | you lack `KickMembers` |
    /// | `NotFound` | the server or member was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// use ermine::http::WithOptions;
    /// member.kick().audit_log_reason("spam").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn kick(&self) -> Action<KickMember, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .kick_member(self.server_id(), self.user_id()),
        )
    }

    /// Bans the user from the server (`.reason(..)` up to 1024 characters,
    /// `.delete_message_seconds(..)` up to a week), whether or not they are a member.
    ///
    /// **Permission**: `BanMembers`, and a top role ranked above the member's. Fires
    /// `ServerMemberLeave` (reason `Ban`) when the user was a member.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `CannotRemoveYourself` | you tried to ban yourself |
    /// | `FailedValidation` | the body was invalid (a reason over 1024 characters is refused before sending: [`ErrorKind::Validation`](ermine_http::error::ErrorKind::Validation)) |
    /// | `InvalidOperation` | you tried to ban the server's owner |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotElevated` | your top role is not ranked above the member's |
    /// | `MissingPermission` | you lack `BanMembers` |
    /// | `NotFound` | the server or user was not found |
    /// | `DatabaseError` | the user is already banned, or the database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let ban = member.ban().reason("raiding").delete_message_seconds(3600).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn ban(&self) -> Action<BanMember, ServerBan> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .ban_member(self.server_id(), self.user_id()),
        )
    }

    /// Edits the member: each field left alone, cleared (`None`) or set (`Some`); returns the
    /// member as the server stored it.
    ///
    /// **Permission**, per field: `nickname` — `ChangeNickname` on yourself, else
    /// `ManageNicknames`; `avatar` — `ChangeAvatar`, yourself only (others' can only be
    /// cleared, with `RemoveAvatars`); `roles` — `AssignRoles`, and every added role ranked
    /// below your top role; `timeout` — `TimeoutMembers`; `can_publish` — `MuteMembers`;
    /// `can_receive` — `DeafenMembers`; `voice_channel` — `MoveMembers`. Editing someone else
    /// also needs a top role ranked above theirs. Fires `ServerMemberUpdate` for every member
    /// (and channel creations or deletions for the member when roles change what they see).
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `CannotTimeoutYourself` | you tried to time yourself out |
    /// | `LivekitUnavailable` | a voice field was given and the instance has no voice server |
    /// | `NotAVoiceChannel` | `voice_channel` is not a voice channel (newer servers; 0.15/0.16 accept any channel of the server) |
    /// | `NotConnected` | `voice_channel` given and the member is not in a call of this server |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `IsElevated` | the member has `TimeoutMembers` and cannot be timed out |
    /// | `MissingPermission` | you lack a permission a field needs |
    /// | `NotElevated` | a role you add, or the member, ranks at or above your top role |
    /// | `InvalidRole` | a role in `roles` does not exist |
    /// | `NotFound` | the server or member was not found |
    /// | `UnknownChannel` | `voice_channel` was not found |
    /// | `DatabaseError`, `InternalError` | the server failed |
    ///
    /// Nickname (1..=32 characters) and pronouns (1..=24) are checked before sending
    /// ([`ErrorKind::Validation`](ermine_http::error::ErrorKind::Validation)).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// // Set the nickname, remove every role, leave the rest alone.
    /// let updated = member.edit().nickname(Some("Bobby")).roles(None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn edit(&self) -> Action<EditMember, Member> {
        Action::new(
            &self.client,
            self.client
                .http()
                .edit_member(self.server_id(), self.user_id()),
            |client, member| {
                client.cache_backend().insert_member(&member);
                Member::new(member, client.clone())
            },
        )
    }

    /// Times the member out for `duration` from when the request is sent; `None` lifts the
    /// timeout. Returns the updated member.
    ///
    /// **Permission**: `TimeoutMembers`, and a top role ranked above the member's. Fires
    /// `ServerMemberUpdate` for every member.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `CannotTimeoutYourself` | you tried to time yourself out |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `IsElevated` | the member has `TimeoutMembers` and cannot be timed out |
    /// | `MissingPermission` | you lack `TimeoutMembers` |
    /// | `NotElevated` | your top role is not ranked above the member's |
    /// | `NotFound` | the server or member was not found |
    /// | `DatabaseError`, `InternalError` | the server failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// use std::time::Duration;
    /// member.timeout(Some(Duration::from_secs(600))).await?;
    /// member.timeout(None).await?; // lifted
    /// # Ok(())
    /// # }
    /// ```
    pub fn timeout(&self, duration: Option<Duration>) -> Action<EditMember, Member> {
        match duration {
            Some(d) => self.edit().timeout_for(d),
            None => self.edit().timeout_until(None),
        }
    }

    /// Times the member out until an instant (UTC). As [`timeout`](Self::timeout).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// use ermine::model::Timestamp;
    /// let until = Timestamp::now().saturating_add(std::time::Duration::from_secs(60));
    /// member.timeout_until(until).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn timeout_until(&self, until: Timestamp) -> Action<EditMember, Member> {
        self.edit().timeout_until(Some(until))
    }

    /// Sets your own server avatar from bytes, a file path or an uploaded file's ID
    /// (uploaded to the `avatars` tag first when needed).
    ///
    /// **Permission**: `ChangeAvatar`; only on yourself.
    ///
    /// # Errors
    /// The upload's errors (`FileTooLarge`, `FileTypeNotAllowed`, …), then
    /// [`edit`](Self::edit)'s.
    ///
    /// ```no_run
    /// # async fn demo(me: ermine::Member) -> Result<(), ermine::Error> {
    /// use ermine::http::request::file::upload::FileSource;
    /// me.edit_avatar(FileSource::Path("avatar.png".into())).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn edit_avatar(&self, source: FileSource) -> Result<Member, Error> {
        let id = self
            .client
            .http()
            .upload_file(FileTag::Avatars, source)
            .await?;
        self.edit().avatar(Some(&id)).await
    }

    /// The user's profile (bio, background).
    ///
    /// **Permission**: the user permission `ViewProfile`.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` (`ViewProfile`) | you may not view the profile (the seed's `MissingUserPermission`: the server names the user permission in `MissingPermission`) |
    /// | `NotFound` | the user was not found |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let profile = member.fetch_profile().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn fetch_profile(&self) -> Action<FetchProfile, UserProfile> {
        Action::plain(
            &self.client,
            self.client.http().fetch_profile(self.user_id()),
        )
    }

    /// The user's flags (suspended, deleted, banned, spam). Needs no token; an unknown user
    /// has no flags.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let flags = member.fetch_flags().await?.flags;
    /// # Ok(())
    /// # }
    /// ```
    pub fn fetch_flags(&self) -> Action<FetchUserFlags, FlagResponse> {
        Action::plain(
            &self.client,
            self.client.http().fetch_user_flags(self.user_id()),
        )
    }

    /// The user's default avatar, as PNG bytes. Needs no token.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let png: Vec<u8> = member.fetch_default_avatar().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn fetch_default_avatar(&self) -> Action<FetchDefaultAvatar, Vec<u8>> {
        Action::plain(
            &self.client,
            self.client.http().fetch_default_avatar(self.user_id()),
        )
    }

    /// The friends and servers you share with the user.
    ///
    /// **Permission**: the user permission `ViewProfile`.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `InvalidOperation` | the user is you |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user was not found |
    /// | `MissingPermission` (`ViewProfile`) | you may not view the profile (the seed's `MissingUserPermission`: the server names the user permission in `MissingPermission`) |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let shared = member.mutuals().await?;
    /// println!("{} friends, {} servers", shared.users.len(), shared.servers.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn mutuals(&self) -> Action<FetchMutuals, MutualResponse> {
        Action::plain(
            &self.client,
            self.client.http().fetch_mutuals(self.user_id()),
        )
    }

    /// The IDs of the friends you share with the user.
    ///
    /// # Errors
    /// As [`mutuals`](Self::mutuals).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let friends = member.mutual_friend_ids().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn mutual_friend_ids(&self) -> Action<FetchMutuals, Vec<UserId>> {
        Action::new(
            &self.client,
            self.client.http().fetch_mutuals(self.user_id()),
            |_, mutuals| mutuals.users,
        )
    }

    /// The IDs of the servers you share with the user.
    ///
    /// # Errors
    /// As [`mutuals`](Self::mutuals).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let servers = member.mutual_server_ids().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn mutual_server_ids(&self) -> Action<FetchMutuals, Vec<ServerId>> {
        Action::new(
            &self.client,
            self.client.http().fetch_mutuals(self.user_id()),
            |_, mutuals| mutuals.servers,
        )
    }

    /// Opens (or finds) the DM with the user; with yourself, your Saved Messages.
    ///
    /// **Permission**: the user permission `SendMessage`. May fire `ChannelCreate` for both.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user was not found |
    /// | `MissingPermission` (`SendMessage`) | you may not message the user (the seed's `MissingUserPermission`) |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let channel = member.open_dm().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn open_dm(&self) -> Action<OpenDm, crate::Channel> {
        self.client.user(self.user_id()).dm()
    }

    /// Removes the user from your friends (or cancels or denies a request). Not for bots.
    /// Fires `UserRelationship` for both.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `IsBot` | you or the user is a bot |
    /// | `NoEffect` | there was no friendship or request ([`is_no_effect`](ermine_http::Error::is_no_effect)) |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let user = member.remove_friend().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove_friend(&self) -> Action<RemoveFriend, User> {
        self.client.user(self.user_id()).remove_friend()
    }

    /// Blocks the user. Fires `UserRelationship` for both.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `NoEffect` | the user is you or already blocked |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// member.block().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn block(&self) -> Action<BlockUser, User> {
        self.client.user(self.user_id()).block()
    }

    /// Unblocks the user. Fires `UserRelationship` for both.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `NoEffect` | the user is you or was not blocked |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user was not found |
    /// | `DatabaseError`, `InternalError` | the server failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let user = member.unblock().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unblock(&self) -> Action<UnblockUser, User> {
        self.client.user(self.user_id()).unblock()
    }

    /// Reports the user to the instance's moderators, optionally with a message for context
    /// (`.additional_context(..)`, up to 1000 characters, on the request). Not for bots.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `CannotReportYourself` | the user is you |
    /// | `FailedValidation` | the body was invalid (context over 1000 characters is refused before sending) |
    /// | `IsBot` | you are a bot |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `NotFound` | the user or message was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// use ermine::model::report::UserReportReason;
    /// member
    ///     .report(UserReportReason::SpamAbuse, None)
    ///     .additional_context("posts links in every channel")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn report(
        &self,
        reason: UserReportReason,
        message_context: Option<MessageId>,
    ) -> Action<ReportContent, ()> {
        Action::plain(
            &self.client,
            self.client
                .http()
                .report(ReportedContent::User(ReportedUser {
                    id: self.user_id(),
                    report_reason: reason,
                    message_id: message_context,
                })),
        )
    }

    /// Sends `content` to the user in the DM (opened first when not cached); configure the
    /// rest with [`with`](DmRequest::with): attachments, replies, embeds, masquerade,
    /// interactions, `silent`, `mention_everyone`, `mention_online`, and `nonce` (sent as the
    /// `Idempotency-Key`).
    ///
    /// **Permission**: `SendMessage` (and `UploadFiles`, `SendEmbeds`, `Masquerade`,
    /// `MentionEveryone`, `MentionRoles` for those parts). Fires `Message` for everyone who
    /// sees the channel.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `EmptyMessage` | there was nothing to send |
    /// | `FailedValidation` | the body was invalid |
    /// | `InvalidFlagValue` | both `mention_everyone` and `mention_online` (servers up to 0.16 answer `InvalidProperty` first: they accept no flag value above 7) |
    /// | `InvalidOperation` | the (deprecated body) nonce was used before |
    /// | `InvalidProperty` | a flag value above 7 (on servers up to 0.16, `mention_online`) |
    /// | `IsBot`, `IsNotBot` | the operation is for users only / bots only (mention flags) |
    /// | `PayloadTooLarge` | the content is over the instance's limit |
    /// | `TooManyAttachments`, `TooManyEmbeds`, `TooManyReplies` | over the instance's limits |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you lack a permission a part needs |
    /// | `NotFound` | the channel, a file or a replied message was not found |
    /// | `DatabaseError`, `InternalError` | the server failed |
    ///
    /// A reused `Idempotency-Key` is answered 409 by the server's framework.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let message = member.send("Welcome!").with(|m| m.silent(true)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(&self, content: &str) -> DmRequest<SendMessage> {
        let content = content.to_owned();
        DmRequest::new(self.clone(), move |http, channel| {
            http.send_message(channel).content(&content)
        })
    }

    /// A message to the user with nothing set yet (e.g. attachments only), as
    /// [`send`](Self::send).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member, file_id: String) -> Result<(), ermine::Error> {
    /// member
    ///     .send_message()
    ///     .with(move |m| m.attachments(&[file_id.as_str()]))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_message(&self) -> DmRequest<SendMessage> {
        DmRequest::new(self.clone(), ermine_http::Client::send_message)
    }

    /// The DM's history (`.with(|h| h.limit(..).before(..).after(..).sort(..).nearby(..)
    /// .include_users(..))`).
    ///
    /// **Permission**: `ReadMessageHistory` (and `ViewChannel`).
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you may not read the history |
    /// | `NotFound` | the channel was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// A limit outside 1..=100 is refused before sending.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let recent = member.history().with(|h| h.limit(10)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn history(&self) -> DmRequest<FetchMessages> {
        DmRequest::new(self.clone(), ermine_http::Client::fetch_messages)
    }

    /// Searches the DM (`.with(|s| s.query(..))` or `.pinned(..)`, not both). Not for bots.
    ///
    /// **Permission**: `ReadMessageHistory`.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `FailedValidation` | `before`, `after` or `nearby` was invalid |
    /// | `InvalidOperation` | both `query` and `pinned` (refused before sending too) |
    /// | `IsBot` | you are a bot |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you may not search |
    /// | `NotFound` | the channel was not found |
    /// | `DatabaseError` | the server's database failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let found = member.search().with(|s| s.query("invoice")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self) -> DmRequest<SearchMessages> {
        DmRequest::new(self.clone(), ermine_http::Client::search_messages)
    }

    /// A message of the DM.
    ///
    /// **Permission**: `ViewChannel`.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you may not view the channel |
    /// | `NotFound` | the channel or message was not found |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member, id: ermine::model::id::MessageId) -> Result<(), ermine::Error> {
    /// let message = member.fetch_message(id).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn fetch_message(&self, message: MessageId) -> DmRequest<FetchMessage> {
        DmRequest::new(self.clone(), move |http, channel| {
            http.fetch_message(channel, message)
        })
    }

    /// Marks the DM read up to `message`. Not for bots. Fires `ChannelAck` for you.
    ///
    /// **Permission**: `ViewChannel`.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `IsBot` | you are a bot |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you may not view the channel |
    /// | `NotFound` | the channel was not found |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member, id: ermine::model::id::MessageId) -> Result<(), ermine::Error> {
    /// member.acknowledge(id).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn acknowledge(&self, message: MessageId) -> DmRequest<AckMessage> {
        DmRequest::new(self.clone(), move |http, channel| {
            http.ack_message(channel, message)
        })
    }

    /// Asks for a token to join the DM's call (`.with(|c| c.node(..).force_disconnect(..)
    /// .recipients(..))`): the token and the voice server's URL, to hand to a LiveKit client
    /// (e.g. the `livekit` crate's `Room::connect(&url, &token, ..)`).
    ///
    /// **Permission**: `Connect`. Fires `VoiceChannelJoin` for everyone who sees the channel.
    ///
    /// # Errors
    /// | `type` | when |
    /// | --- | --- |
    /// | `AlreadyConnected` | you are already in this call |
    /// | `CannotJoinCall` | the channel is your Saved Messages, or the call is full |
    /// | `InvalidOperation` | the voice server is unavailable |
    /// | `LivekitUnavailable` | the instance has no voice server |
    /// | `NotConnected` | you are in another call |
    /// | `NotAVoiceChannel` | the channel has no voice |
    /// | `UnknownNode` | the node was not found |
    /// | `VosoUnavailable` | the legacy voice server is unavailable |
    /// | `InvalidSession` (401) | the token is invalid |
    /// | `MissingPermission` | you lack `Connect` |
    /// | `NotFound` | the channel was not found |
    /// | `DatabaseError`, `InternalError` | the server failed |
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let call = member.join_call().with(|c| c.force_disconnect(true)).await?;
    /// println!("connect to {} with the token", call.url);
    /// # Ok(())
    /// # }
    /// ```
    pub fn join_call(&self) -> DmRequest<JoinCall> {
        DmRequest::new(self.clone(), ermine_http::Client::join_call)
    }

    /// stoat.py's `connect` (feature `voice`): joins the call of the DM with this member —
    /// `join_call`, then its LiveKit room at once — and returns the connection: who is in
    /// it, their audio as PCM, a track to publish on.
    ///
    /// # Errors
    /// `join_call`'s ([`join_call`](Self::join_call)), then [`Error::Voice`] when the room
    /// cannot be joined.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let call = member.connect().with(|c| c.node("worldwide")).await?;
    /// for someone in call.participants() {
    ///     println!("{} is in the call", someone.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "voice")]
    #[cfg_attr(docsrs, doc(cfg(feature = "voice")))]
    pub fn connect(&self) -> crate::voice::Connect<DmRequest<JoinCall>> {
        crate::voice::Connect::new(self.join_call())
    }

    /// Shows "typing" in the DM until the returned guard is dropped: starts at once, renewed
    /// while it lives, ended when the last guard for the channel drops. Needs the events
    /// connection ([`Client::connect`]); the DM is opened (with the lookup's options) when not
    /// cached.
    ///
    /// # Errors
    /// [`Error::NotConnected`] without the events connection; [`open_dm`](Self::open_dm)'s.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// let typing = member.typing().await?;
    /// let reply = "a long answer"; // ... compose ...
    /// member.send(reply).await?;
    /// drop(typing);
    /// # Ok(())
    /// # }
    /// ```
    pub fn typing(&self) -> DmLookup<ermine_gateway::TypingGuard> {
        DmLookup::on_connection(self.clone(), |member, channel| {
            member.client.channel(channel).typing()
        })
    }

    /// Starts showing "typing" in the DM, until [`end_typing`](Self::end_typing).
    ///
    /// # Errors
    /// As [`typing`](Self::typing); and [`Error::NotConnected`] when nothing could be sent
    /// (the connection ended, or its command queue is full).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::Error> {
    /// member.begin_typing().await?;
    /// // ... compose ...
    /// member.end_typing().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn begin_typing(&self) -> DmLookup<()> {
        DmLookup::on_connection(self.clone(), |member, channel| {
            let handle = member.client.gateway().ok_or(Error::NotConnected)?;
            // Nothing was sent when the connection is gone or its command queue is full.
            handle
                .begin_typing(channel)
                .then_some(())
                .ok_or(Error::NotConnected)
        })
    }

    /// Stops showing "typing" in the DM.
    ///
    /// # Errors
    /// As [`begin_typing`](Self::begin_typing).
    pub fn end_typing(&self) -> DmLookup<()> {
        DmLookup::on_connection(self.clone(), |member, channel| {
            let handle = member.client.gateway().ok_or(Error::NotConnected)?;
            handle
                .end_typing(channel)
                .then_some(())
                .ok_or(Error::NotConnected)
        })
    }
}
