//! Member handles: stoat.py's `BaseMember`, `PartialMember` and `Member`, in Rust.
//!
//! | stoat.py | ermine |
//! | --- | --- |
//! | `BaseMember` (identity and actions) | the identity and action methods of [`Member`] (`id`, `server_id`, `kick`, `ban`, `edit`, `timeout`, …) |
//! | `Member` (full data) | [`Member`]: a model snapshot plus a cheap clone of the [`Client`] |
//! | `PartialMember` (an update's fields) | [`PartialMember`]: each field left alone, cleared or set ([`Patch`]) |
//!
//! Properties read the member, or the cached user and server; where the seed defaults on a
//! cache miss there is a defaulting accessor (`name()` is `""` without the user) and a
//! fallible one (`get_user()`).

use std::hash::{Hash, Hasher};
use std::time::Duration;

use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine_model::patch::Patch;
use ermine_model::permission::Permissions;
use ermine_model::permission::calculate::{Perspective, server_permissions};
use ermine_model::server::{Role, Server};
use ermine_model::user::{RelationshipStatus, User};
use ermine_model::{MemberId, Timestamp};

use crate::{Client, Error};

/// A server member: a snapshot of its data plus the client, for reading the cache and acting.
///
/// Identity is the pair (server, user): `==` and `Hash` use only that, so a newer snapshot of
/// the same member is equal to an older one.
#[derive(Clone, Debug)]
pub struct Member {
    model: ermine_model::member::Member,
    client: Client,
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.model.id == other.model.id
    }
}

impl Eq for Member {}

impl Hash for Member {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.model.id.hash(state);
    }
}

impl Member {
    pub(crate) fn new(model: ermine_model::member::Member, client: Client) -> Self {
        Self { model, client }
    }

    /// The model snapshot.
    pub fn model(&self) -> &ermine_model::member::Member {
        &self.model
    }

    /// The client the handle acts through (stoat.py's `state`).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The user as the cache holds it (stoat.py's `internal_user`), if cached.
    pub fn internal_user(&self) -> Option<User> {
        self.user()
    }

    /// The user's avatar file as sent by the API (stoat.py's `internal_avatar`).
    pub fn internal_avatar(&self) -> Option<ermine_model::file::File> {
        self.avatar()
    }

    /// The server avatar file as sent by the API (stoat.py's `internal_server_avatar`).
    pub fn internal_server_avatar(&self) -> Option<&ermine_model::file::File> {
        self.server_avatar()
    }

    /// The bot's owner when the user is a cached bot and the owner is cached too.
    pub fn bot_owner(&self) -> Option<User> {
        self.get_bot_owner().ok()
    }

    /// (server, user).
    pub fn id(&self) -> MemberId {
        self.model.id
    }

    /// The user's ID.
    pub fn user_id(&self) -> UserId {
        self.model.id.user
    }

    /// The server's ID.
    pub fn server_id(&self) -> ServerId {
        self.model.id.server
    }

    /// The cached user, or an error naming what is missing.
    pub fn get_user(&self) -> Result<User, Error> {
        self.client
            .cache()
            .user(self.user_id())
            .ok_or_else(|| Error::NotCached {
                what: "user",
                id: self.user_id().to_string(),
            })
    }

    /// The cached user, if any.
    pub fn user(&self) -> Option<User> {
        self.client.cache().user(self.user_id())
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

    /// The name to show: nickname, else the user's display name, else the username.
    pub fn display_name(&self) -> String {
        if let Some(nick) = &self.model.nickname {
            return nick.clone();
        }
        self.user()
            .map(|u| u.display_name.unwrap_or(u.username))
            .unwrap_or_default()
    }

    /// `name#discriminator`.
    pub fn tag(&self) -> String {
        format!("{}#{}", self.name(), self.discriminator())
    }

    /// `<@id>`.
    pub fn mention(&self) -> String {
        format!("<@{}>", self.user_id())
    }

    /// The server nickname.
    pub fn nick(&self) -> Option<&str> {
        self.model.nickname.as_deref()
    }

    /// The member pronouns.
    pub fn pronouns(&self) -> Option<&str> {
        self.model.pronouns.as_deref()
    }

    /// The server avatar.
    pub fn server_avatar(&self) -> Option<&ermine_model::file::File> {
        self.model.avatar.as_ref()
    }

    /// The URL of the user's default avatar.
    pub fn default_avatar_url(&self) -> String {
        self.client.http().default_avatar_url(self.user_id())
    }

    /// Whether the user is a bot (`false` when not cached).
    pub fn bot(&self) -> bool {
        self.user().is_some_and(|u| u.bot.is_some())
    }

    /// Whether the user is online (`false` when not cached).
    pub fn online(&self) -> bool {
        self.user().is_some_and(|u| u.online)
    }

    /// Your relationship with the user (`None` status when not cached).
    pub fn relationship(&self) -> RelationshipStatus {
        self.user()
            .map_or(RelationshipStatus::None, |u| u.relationship)
    }

    /// The DM channel with the user, when cached.
    pub fn dm_channel_id(&self) -> Option<ChannelId> {
        self.client.cache().dm_channel(self.user_id())
    }

    /// The user's avatar (not the server avatar).
    pub fn avatar(&self) -> Option<ermine_model::file::File> {
        self.user().and_then(|u| u.avatar)
    }

    /// The avatar to show: the server avatar, else the user's avatar.
    pub fn display_avatar(&self) -> Option<ermine_model::file::File> {
        self.model.avatar.clone().or_else(|| self.avatar())
    }

    /// The user's badges (empty when not cached).
    pub fn badges(&self) -> ermine_model::user::UserBadges {
        self.user()
            .map_or_else(ermine_model::user::UserBadges::empty, |u| u.badges)
    }

    /// The user's badges as their raw bits.
    pub fn raw_badges(&self) -> u32 {
        self.badges().bits()
    }

    /// The user's flags (empty when not cached).
    pub fn flags(&self) -> ermine_model::user::UserFlags {
        self.user()
            .map_or_else(ermine_model::user::UserFlags::empty, |u| u.flags)
    }

    /// The user's flags as their raw bits.
    pub fn raw_flags(&self) -> u32 {
        self.flags().bits()
    }

    /// The owner of the bot, when the user is a cached bot.
    pub fn bot_owner_id(&self) -> Option<UserId> {
        self.user().and_then(|u| u.bot.map(|b| b.owner))
    }

    /// The bot's owner from the cache, or an error naming what is missing.
    pub fn get_bot_owner(&self) -> Result<User, Error> {
        let owner = self.bot_owner_id().ok_or_else(|| Error::NotCached {
            what: "bot owner of user",
            id: self.user_id().to_string(),
        })?;
        self.client
            .cache()
            .user(owner)
            .ok_or_else(|| Error::NotCached {
                what: "user",
                id: owner.to_string(),
            })
    }

    /// The user's status (text and presence), when cached and visible.
    pub fn status(&self) -> Option<ermine_model::user::UserStatus> {
        self.user().and_then(|u| u.status)
    }

    /// Whether the user is platform staff (`false` when not cached).
    pub fn privileged(&self) -> bool {
        self.user().is_some_and(|u| u.privileged)
    }

    /// Alias of [`dm_channel_id`](Self::dm_channel_id).
    pub fn pm_id(&self) -> Option<ChannelId> {
        self.dm_channel_id()
    }

    /// The cached DM channel with the user.
    pub fn dm_channel(&self) -> Option<ermine_model::channel::Channel> {
        self.dm_channel_id()
            .and_then(|c| self.client.cache().channel(c))
    }

    /// Alias of [`dm_channel`](Self::dm_channel).
    pub fn pm(&self) -> Option<ermine_model::channel::Channel> {
        self.dm_channel()
    }

    /// Cached messages of the DM with the user, oldest first.
    pub fn messages(&self) -> Vec<ermine_model::message::Message> {
        self.dm_channel_id()
            .map(|c| self.client.cache().messages(c))
            .unwrap_or_default()
    }

    /// A cached message of the DM with the user.
    pub fn get_message(
        &self,
        id: ermine_model::id::MessageId,
    ) -> Option<ermine_model::message::Message> {
        self.dm_channel_id()
            .and_then(|c| self.client.cache().message(c, id))
    }

    /// The DM channel's ID: from the cache, else opened (`GET /users/{id}/dm`) with its own
    /// request options (stoat.py's `channel_http_overrides`).
    pub async fn get_channel_id(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ChannelId, Error> {
        use ermine_http::WithOptions as _;
        if let Some(id) = self.dm_channel_id() {
            return Ok(id);
        }
        let channel = self.open_dm().options(channel_options).await?;
        self.client.cache().insert_channel(&channel);
        channel.id().ok_or_else(|| Error::NotCached {
            what: "channel of DM with",
            id: self.user_id().to_string(),
        })
    }

    /// Alias of [`get_channel_id`](Self::get_channel_id): the DM channel, opened if needed.
    pub async fn fetch_channel_id(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ChannelId, Error> {
        self.get_channel_id(channel_options).await
    }

    /// A message builder for the DM with the user (opened first when not cached).
    pub async fn send_message(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_http::request::channel::message::send::SendMessage, Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().send_message(channel))
    }

    /// The DM's history, as a request to configure and await.
    pub async fn history(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_http::request::channel::message::history::FetchMessages, Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().fetch_messages(channel))
    }

    /// A search of the DM, as a request to configure and await.
    pub async fn search(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_http::request::channel::message::search::SearchMessages, Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().search_messages(channel))
    }

    /// Fetches a message of the DM with the user.
    pub async fn fetch_message(
        &self,
        message: ermine_model::id::MessageId,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_model::message::Message, Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().fetch_message(channel, message).await?)
    }

    /// Sets the server avatar from bytes, a file path or an uploaded file's ID (uploaded to
    /// the `avatars` tag first when needed); only on yourself.
    pub async fn edit_avatar(
        &self,
        source: ermine_http::request::file::upload::FileSource,
    ) -> Result<ermine_model::member::Member, Error> {
        let id = self
            .client
            .http()
            .upload_file(ermine_http::request::file::upload::FileTag::Avatars, source)
            .await?;
        Ok(self.edit().avatar(Some(&id)).await?)
    }

    /// Marks the DM read up to `message`.
    pub async fn acknowledge(
        &self,
        message: ermine_model::id::MessageId,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<(), Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().ack_message(channel, message).await?)
    }

    /// Joins a call in the DM: the voice server's token and URL to hand to a LiveKit client
    /// (stoat.py's `connect` returns a LiveKit room; ermine stops at the token and URL).
    pub async fn connect(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_model::channel::JoinCallResponse, Error> {
        Ok(self.join_call(channel_options).await?.await?)
    }

    /// Joins a call in the DM, as a request to configure and await.
    pub async fn join_call(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_http::request::channel::join_call::JoinCall, Error> {
        let channel = self.get_channel_id(channel_options).await?;
        Ok(self.client.http().join_call(channel))
    }

    /// Shows "typing" in the DM until the returned guard is dropped (needs the events
    /// connection).
    pub async fn typing(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<ermine_gateway::TypingGuard, Error> {
        let handle = self.client.gateway().ok_or(Error::NotConnected)?;
        let channel = self.get_channel_id(channel_options).await?;
        Ok(handle.typing(channel))
    }

    /// Starts showing "typing" in the DM.
    pub async fn begin_typing(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<(), Error> {
        let handle = self.client.gateway().ok_or(Error::NotConnected)?;
        let channel = self.get_channel_id(channel_options).await?;
        handle.begin_typing(channel);
        Ok(())
    }

    /// Stops showing "typing" in the DM.
    pub async fn end_typing(
        &self,
        channel_options: ermine_http::RequestOptions,
    ) -> Result<(), Error> {
        let handle = self.client.gateway().ok_or(Error::NotConnected)?;
        let channel = self.get_channel_id(channel_options).await?;
        handle.end_typing(channel);
        Ok(())
    }

    /// IDs of friends you share with the user.
    pub async fn mutual_friend_ids(&self) -> Result<Vec<UserId>, Error> {
        Ok(self.mutuals().await?.users)
    }

    /// IDs of servers you share with the user.
    pub async fn mutual_server_ids(&self) -> Result<Vec<ServerId>, Error> {
        Ok(self.mutuals().await?.servers)
    }

    /// Removes the user as a friend (or cancels or denies a request).
    pub fn remove_friend(&self) -> ermine_http::request::user::remove_friend::RemoveFriend {
        self.client.http().remove_friend(self.user_id())
    }

    /// Blocks the user.
    pub fn block(&self) -> ermine_http::request::user::block::BlockUser {
        self.client.http().block_user(self.user_id())
    }

    /// Unblocks the user.
    pub fn unblock(&self) -> ermine_http::request::user::unblock::UnblockUser {
        self.client.http().unblock_user(self.user_id())
    }

    /// Reports the user.
    pub fn report(
        &self,
        reason: ermine_model::report::UserReportReason,
    ) -> ermine_http::request::safety::report::ReportContent {
        self.client
            .http()
            .report(ermine_model::report::ReportedContent::User(
                ermine_model::report::ReportedUser {
                    id: self.user_id(),
                    report_reason: reason,
                    message_id: None,
                },
            ))
    }

    /// Times the member out until an instant (UTC).
    pub fn timeout_until(
        &self,
        until: Timestamp,
    ) -> ermine_http::request::server::member::edit::EditMember {
        self.edit().timeout(Some(until))
    }

    /// Sends a DM to the user (the DM is opened first when not cached).
    pub async fn send(&self, content: &str) -> Result<ermine_model::message::Message, Error> {
        let channel = self
            .get_channel_id(ermine_http::RequestOptions::default())
            .await?;
        Ok(self
            .client
            .http()
            .send_message(channel)
            .content(content)
            .await?)
    }

    /// The role IDs, in the member's order.
    pub fn role_ids(&self) -> &[RoleId] {
        &self.model.roles
    }

    /// The member's roles that the cached server knows, in `role_ids` order.
    pub fn roles(&self) -> Vec<Role> {
        let Some(server) = self.get_server() else {
            return Vec::new();
        };
        self.model
            .roles
            .iter()
            .filter_map(|id| server.roles.get(id).cloned())
            .collect()
    }

    /// The highest role: the smallest rank number.
    pub fn top_role(&self) -> Option<Role> {
        self.roles().into_iter().min_by_key(|r| r.rank)
    }

    /// Server-wide permissions, with the server's exact algorithm; an active timeout counts.
    pub fn server_permissions(&self) -> Result<Permissions, Error> {
        let server = self.get_server().ok_or_else(|| Error::NotCached {
            what: "server",
            id: self.server_id().to_string(),
        })?;
        let user = self.user();
        let who = Perspective {
            user: self.user_id(),
            privileged: user.as_ref().is_some_and(|u| u.privileged),
            bot: user.as_ref().is_some_and(|u| u.bot.is_some()),
        };
        Ok(server_permissions(
            &who,
            &server,
            Some(&self.model),
            Timestamp::now(),
        ))
    }

    /// When the member joined.
    pub fn joined_at(&self) -> Timestamp {
        self.model.joined_at
    }

    /// Until when the member is timed out (possibly in the past).
    pub fn timed_out_until(&self) -> Option<Timestamp> {
        self.model.timeout
    }

    /// Whether a timeout is active now.
    pub fn is_timed_out(&self) -> bool {
        self.model.is_timed_out(Timestamp::now())
    }

    /// Whether the member may speak in voice (not server-muted).
    pub fn can_publish(&self) -> bool {
        self.model.can_publish
    }

    /// Whether the member may listen in voice (not server-deafened).
    pub fn can_receive(&self) -> bool {
        self.model.can_receive
    }

    /// Whether this is the system user (all-zero ID).
    pub fn is_sentinel(&self) -> bool {
        self.user_id().is_sentinel()
    }

    /// Applies a partial update to this snapshot (every field, timeout included).
    pub fn locally_update(&mut self, partial: &PartialMember) {
        partial.apply_to(&mut self.model);
    }

    /// The API's JSON shape of the member (stoat.py's `to_dict`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.model).unwrap_or(serde_json::Value::Null)
    }

    /// Kicks the member.
    ///
    /// Needs `KickMembers` and a higher ranking than the member.
    ///
    /// # Errors
    /// `CannotRemoveYourself`, `InvalidOperation` (the owner), `MissingPermission`
    /// (`KickMembers`), `NotFound`, `NotElevated`.
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::http::Error> {
    /// use ermine::http::WithOptions;
    /// member.kick().audit_log_reason("spam").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn kick(&self) -> ermine_http::request::server::member::kick::KickMember {
        self.client
            .http()
            .kick_member(self.server_id(), self.user_id())
    }

    /// Bans the member (`.reason(..)`, `.delete_message_seconds(..)` on the request).
    ///
    /// Needs `BanMembers` and a higher ranking than the member.
    ///
    /// # Errors
    /// `FailedValidation`, `NotFound`, `CannotRemoveYourself`, `InvalidOperation` (the owner),
    /// `MissingPermission` (`BanMembers`), `NotElevated`, `DatabaseError` (already banned).
    pub fn ban(&self) -> ermine_http::request::server::ban::create::BanMember {
        self.client
            .http()
            .ban_member(self.server_id(), self.user_id())
    }

    /// Edits the member: each field left alone, cleared (`None`) or set (`Some`).
    ///
    /// Needs, per field: `ChangeNickname` (own) or `ManageNicknames`; `ChangeAvatar` (own) or
    /// `RemoveAvatars`; `AssignRoles`; `TimeoutMembers`; `MuteMembers`; `DeafenMembers`;
    /// `MoveMembers`; and a higher ranking than the member unless it is yourself.
    ///
    /// # Errors
    /// See [`EditMember`](ermine_http::request::server::member::edit::EditMember).
    ///
    /// ```no_run
    /// # async fn demo(member: ermine::Member) -> Result<(), ermine::http::Error> {
    /// member.edit().nickname(Some("Bobby")).roles(None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn edit(&self) -> ermine_http::request::server::member::edit::EditMember {
        self.client
            .http()
            .edit_member(self.server_id(), self.user_id())
    }

    /// Times the member out for `duration` from when the request is sent (`None` lifts the
    /// timeout).
    ///
    /// Needs `TimeoutMembers` and a higher ranking than the member.
    ///
    /// # Errors
    /// `CannotTimeoutYourself`, `IsElevated` (the member may time out others),
    /// `MissingPermission` (`TimeoutMembers`), `NotElevated`, `NotFound`.
    pub fn timeout(
        &self,
        duration: Option<Duration>,
    ) -> ermine_http::request::server::member::edit::EditMember {
        match duration {
            Some(d) => self.edit().timeout_for(d),
            None => self.edit().timeout(None),
        }
    }

    /// The user's profile.
    pub fn fetch_profile(&self) -> ermine_http::request::user::profile::FetchProfile {
        self.client.http().fetch_profile(self.user_id())
    }

    /// The user's flags.
    pub fn fetch_flags(&self) -> ermine_http::request::user::flags::FetchUserFlags {
        self.client.http().fetch_user_flags(self.user_id())
    }

    /// The user's default avatar (PNG bytes).
    pub fn fetch_default_avatar(
        &self,
    ) -> ermine_http::request::user::default_avatar::FetchDefaultAvatar {
        self.client.http().fetch_default_avatar(self.user_id())
    }

    /// What you share with the user.
    pub fn mutuals(&self) -> ermine_http::request::user::mutual::FetchMutuals {
        self.client.http().fetch_mutuals(self.user_id())
    }

    /// Opens the DM with the user.
    pub fn open_dm(&self) -> ermine_http::request::user::open_dm::OpenDm {
        self.client.http().open_dm(self.user_id())
    }
}

/// An update's fields: each left alone, cleared or set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PartialMember {
    /// Nickname.
    pub nickname: Patch<String>,
    /// Member pronouns.
    pub pronouns: Patch<String>,
    /// Server avatar.
    pub avatar: Patch<ermine_model::file::File>,
    /// Roles (a set replaces them all; a clear empties them).
    pub roles: Patch<Vec<RoleId>>,
    /// Timeout.
    pub timeout: Patch<Timestamp>,
    /// Voice publish (a clear means `true`).
    pub can_publish: Patch<bool>,
    /// Voice receive (a clear means `true`).
    pub can_receive: Patch<bool>,
}

impl PartialMember {
    pub(crate) fn from_update(update: &ermine_model::event::ServerMemberUpdate) -> Self {
        use ermine_model::member::FieldsMember as F;
        fn pick<T>(value: Option<T>, cleared: bool) -> Patch<T> {
            match value {
                Some(v) => Patch::Set(v),
                None if cleared => Patch::Clear,
                None => Patch::Unset,
            }
        }
        let cleared = |field: F| update.clear.contains(&field);
        let d = update.data.clone();
        Self {
            nickname: pick(d.nickname, cleared(F::Nickname)),
            pronouns: pick(d.pronouns, cleared(F::Pronouns)),
            avatar: pick(d.avatar, cleared(F::Avatar)),
            roles: pick(d.roles, cleared(F::Roles)),
            timeout: pick(d.timeout, cleared(F::Timeout)),
            can_publish: pick(d.can_publish, cleared(F::CanPublish)),
            can_receive: pick(d.can_receive, cleared(F::CanReceive)),
        }
    }

    fn apply_to(&self, m: &mut ermine_model::member::Member) {
        fn put<T: Clone>(slot: &mut Option<T>, patch: &Patch<T>) {
            match patch {
                Patch::Unset => {}
                Patch::Clear => *slot = None,
                Patch::Set(v) => *slot = Some(v.clone()),
            }
        }
        put(&mut m.nickname, &self.nickname);
        put(&mut m.pronouns, &self.pronouns);
        put(&mut m.avatar, &self.avatar);
        put(&mut m.timeout, &self.timeout);
        match &self.roles {
            Patch::Unset => {}
            Patch::Clear => m.roles.clear(),
            Patch::Set(r) => m.roles.clone_from(r),
        }
        for (slot, patch) in [
            (&mut m.can_publish, self.can_publish),
            (&mut m.can_receive, self.can_receive),
        ] {
            match patch {
                Patch::Unset => {}
                Patch::Clear => *slot = true,
                Patch::Set(v) => *slot = v,
            }
        }
    }
}
